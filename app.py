"""The dashboard: what a fleet means in power, and what a power budget means in fleet and compute.

Run with ``streamlit run app.py`` (binds 127.0.0.1; see .streamlit/config.toml).
This file is the router: it draws the shared sidebar (presets and every
assumption) and then the chosen page from ``app_pages/``. All arithmetic comes
from :mod:`estimator`; the pages only gather inputs and show results.
"""

import streamlit as st

from app_pages import common

st.set_page_config(page_title="AI datacenter power estimator", page_icon=":material/bolt:", layout="wide")

PAGES = [
    # The default page is served at the root address ("/").
    st.Page("app_pages/fleet.py", title="Fleet → power", icon=":material/memory:", default=True),
    st.Page("app_pages/explorer.py", title="1 GW explorer", icon=":material/bolt:", url_path="explorer"),
    st.Page("app_pages/sweeps.py", title="Sweeps", icon=":material/ssid_chart:", url_path="sweeps"),
    st.Page("app_pages/energy.py", title="Energy & emissions", icon=":material/eco:", url_path="energy"),
    st.Page("app_pages/training.py", title="Training run", icon=":material/model_training:",
            url_path="training"),
    st.Page("app_pages/serving.py", title="Serving", icon=":material/chat:", url_path="serving"),
    st.Page("app_pages/campus.py", title="Campus & build-out", icon=":material/domain:", url_path="campus"),
    st.Page("app_pages/uncertainty.py", title="Uncertainty", icon=":material/casino:", url_path="uncertainty"),
    st.Page("app_pages/compare.py", title="Compare & share", icon=":material/compare_arrows:",
            url_path="compare"),
]

page = st.navigation(PAGES, position="sidebar")
common.sidebar()
common.notices()
try:
    page.run()
except common.PageStop:  # a page that ends early (no period, invalid input) still gets the panel
    pass
common.sync_query_params()  # again: a page may keep state of its own for the link (the Campus page's blocks)
common.assumptions_panel(*common.current_scenario())
