"""Compare & share: keep named scenarios, compare them, download, upload, and share a link."""

import json
import tomllib
import warnings
from pathlib import PurePath
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import estimator
from app_pages import common, vega
from estimator import io, resolve, tables, units

st.title("Compare & share")
st.caption("Keep the sidebar's scenario under a name, change the assumptions, keep another, and see them side "
           "by side. Download the lot with every assumption, upload a scenario file, or share a link. "
           + common.ASSUMPTION_NOTE)

s = common.require_scenario()
kept: dict = st.session_state.setdefault("kept", {})
CURRENT = "Current (sidebar)"


def _free_name(name: str) -> str:
    """``name``, or ``name (2)``, ``name (3)``... so that no kept scenario is overwritten."""
    if name not in kept and name != CURRENT:
        return name
    i = 2
    while f"{name} ({i})" in kept:
        i += 1
    return f"{name} ({i})"


def _presets_for_file() -> dict:
    presets = common.current_presets()
    return {k: v for k, v in presets.items() if v and v != common.NO_SITE}


def _keep() -> None:
    current, _ = common.current_scenario()
    if current is None:
        return
    typed = (st.session_state.get("keep_name") or "").strip()[:80]
    name = _free_name(typed or f"Scenario {len(kept) + 1}")
    # Its presets and the values typed over them, so that loading it back gives exactly this scenario.
    kept[name] = {"fields": current.to_dict(), "presets": _presets_for_file(), "typed": common.typed_values()}
    st.session_state["_kept_message"] = (f"Kept as '{name}'" + (f" ('{typed}' was taken)" if typed and typed != name
                                                               else "") + ".")
    st.session_state["keep_name"] = ""


def _load(name: str | None) -> None:
    """Put a kept scenario into the sidebar (a button callback, before the sidebar is drawn)."""
    if name not in kept:
        return
    entry = kept[name]
    common.load_state(entry["presets"], entry["typed"])
    st.session_state["_kept_message"] = f"Loaded '{name}' into the sidebar."


def _remove(name: str | None) -> None:
    if name in kept:
        del kept[name]
        st.session_state["_kept_message"] = f"Removed '{name}'."


# --------------------------------------------------------------------------- keep
c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
c1.text_input("Name for the sidebar's scenario", key="keep_name", max_chars=80,
              placeholder=f"Scenario {len(kept) + 1}")
c2.button("Keep this scenario", key="keep_button", on_click=_keep, type="primary", width="stretch")
message = st.session_state.pop("_kept_message", None)
if message:
    st.success(common.plain(message), icon=":material/check:")

# --------------------------------------------------------------------------- upload
with st.expander("Upload a scenario file (TOML or JSON)", expanded=False, icon=":material/upload:", key="upload_panel"):
    st.caption(f"A file written by *Download* below, or by `estimator` (io.save). At most "
               f"{io.MAX_BYTES // 1024:,} KiB; one value per assumption; units may be written out "
               "(\"700 W\", \"90 days\"). Every value is checked before it is kept.")
    upload = st.file_uploader("Scenario file", type=["toml", "json"], key="upload_file",
                              max_upload_size=1)
    if upload is not None:
        seen = st.session_state.setdefault("_seen_uploads", {})
        if upload.file_id not in seen:
            fmt_ = "json" if PurePath(upload.name).suffix.lower() == ".json" else "toml"
            data = upload.getvalue()
            try:
                with warnings.catch_warnings():  # the page says it itself, in the message below
                    warnings.simplefilter("ignore", resolve.CatalogueWarning)
                    scenario = io.loads(data, fmt_, max_bytes=io.MAX_BYTES)
                shapes = [k for k, v in scenario.to_dict().items() if isinstance(v, list)]
                if shapes:
                    raise ValueError(f"{shapes[0]} is an array; the dashboard compares one value per "
                                     "assumption (use estimator in Python for arrays)")
                # Valid for the library but beyond a sidebar input's range (0.5 W): the sidebar could not
                # hold it when opened, so say so now rather than change it silently.
                problems = common.widget_problems(scenario.to_dict())
                if problems:
                    raise ValueError(problems[0])
                # Already validated by io.loads: only the name is read here.
                raw = json.loads(data) if fmt_ == "json" else tomllib.loads(data.decode("utf-8-sig"))
                title = raw.get("name") if isinstance(raw.get("name"), str) else PurePath(upload.name).stem
                name = _free_name((title.strip() or "Uploaded")[:80])
                presets = {k: v for k, v in scenario.presets.items() if v}
                if presets.get("accelerator"):
                    typed = scenario.user_values()
                else:  # no accelerator preset: every value is the file's, and what it leaves out stays out
                    typed = scenario.to_dict()
                kept[name] = {"fields": scenario.to_dict(), "presets": presets, "typed": typed}
                # A file of another catalogue keeps the preset values it was made with (as its own): say so.
                notice = io.catalogue_check(raw).message()
                seen[upload.file_id] = ("ok", f"Kept '{name}' from the file"
                                        + (f" ('{title}' was taken)" if name != title else "") + "."
                                        + (f" Note: {notice}" if notice else ""), name)
            except (ValueError, TypeError) as exc:
                seen[upload.file_id] = ("error", f"{upload.name}: {common.error_text(exc)}", None)
        status, text, name = seen[upload.file_id]
        if status == "ok":
            st.success(common.plain(text), icon=":material/check:")
            if name in kept:
                st.button("Open in sidebar", key="upload_open", on_click=_load, args=(name,),
                          icon=":material/open_in_browser:",
                          help="Put the file's presets and values into the sidebar (it stays kept, too).")
        else:
            common.show_error(text)

# --------------------------------------------------------------------------- compare
scenarios = {CURRENT: s}
for name, entry in kept.items():
    try:
        scenarios[name] = estimator.Scenario(**{k: v for k, v in entry["fields"].items() if v is not None})
    except (ValueError, TypeError) as exc:  # cannot happen for a validated entry; never crash on one
        common.show_error(f"{name}: {common.error_text(exc)}")

table = tables.comparison(scenarios)
names = list(scenarios)
shown = pd.DataFrame({
    # Each cell carries its own unit (70.0 MW, 1.2 kW): a unit in the header would contradict it.
    "Quantity": list(table["label"]),
    "Kind": table["kind"],
    **{n: [common.fmt_assumption(q, v) if k == "assumption" else common.fmt(v, u)
           for q, v, u, k in zip(table["quantity"], table[n], table["unit"], table["kind"], strict=True)]
       for n in names},
})
st.subheader(f"{len(names)} scenario{'s' if len(names) > 1 else ''} side by side")
if not kept:
    st.caption("Only the sidebar's scenario so far: keep it, change an assumption, and keep another.")
elif st.toggle("Only the rows that differ", key="compare_diff_only"):
    differs = shown[names].nunique(axis=1) > 1
    shown = shown[differs]
common.table("table_compare", shown, height=min(38 * (len(shown) + 1), 760))

results = {n: estimator.estimate(scenarios[n]) for n in names}
# In the order of the power chain (full load, then the average draw), not alphabetical.
POWERS = ["Facility power, full load", "Average facility draw"]
bars = [(n, what, v) for n in names for what, v in ((POWERS[0], results[n].facility_power_w),
                                                    (POWERS[1], results[n].average_facility_power_w))]
common.chart("chart_compare", vega.chart(
    {"bars": vega.table({"scenario": [b[0] for b in bars], "what": [b[1] for b in bars],
                         "MW": [units.to_unit(b[2], "MW") for b in bars],
                         "power": [common.fmt(b[2], "W") for b in bars]})},
    data={"name": "bars"}, height=300, mark={"type": "bar"},
    encoding={"x": vega.nominal("scenario", sort=names, title=None, axis={"labelAngle": 0, "labelLimit": 200}),
              "xOffset": vega.nominal("what", sort=POWERS),
              "y": vega.field("MW", title="Power [MW]"),
              "color": vega.nominal("what", title=None, sort=POWERS, legend={"orient": "top"},
                                    scale={"domain": POWERS, "range": ["#1f6f8b", "#9ab8c4"]}),
              "tooltip": [vega.tooltip("scenario", "Scenario"), vega.tooltip("what", "Power"),
                          vega.tooltip("power", "Value")]}))

if kept:
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    choice = c1.selectbox("Kept scenario", list(kept), key="kept_select")
    c2.button("Load into the sidebar", key="load_button", on_click=_load, args=(choice,), width="stretch")
    c3.button("Remove", key="remove_button", on_click=_remove, args=(choice,), width="stretch")
st.caption("Kept scenarios live in this browser session only: a reload or a shared link does not bring them "
           "back (the link holds the sidebar and the pages' inputs). Download them as JSON to keep them.")

# --------------------------------------------------------------------------- download
st.subheader("Download")
csv = pd.DataFrame({"quantity": table["quantity"], "kind": table["kind"], "label": table["label"],
                    "unit": table["unit"], **{n: table[n] for n in names}}).to_csv(index=False)
presets = {n: kept[n]["presets"] for n in kept}
presets[CURRENT] = _presets_for_file()
doc = common.scenario_json({n: (scenarios[n], presets.get(n, {})) for n in names})
c1, c2, c3 = st.columns(3)
c1.download_button("Results and assumptions (CSV)", csv, file_name="estimator-scenarios.csv", mime="text/csv",
                   key="download_csv", icon=":material/table:", width="stretch", on_click="ignore")
c2.download_button("Results and assumptions (JSON)", doc, file_name="estimator-scenarios.json",
                   mime="application/json", key="download_json", icon=":material/data_object:", width="stretch",
                   on_click="ignore")
c3.download_button("Sidebar scenario as a file (TOML)", io.dumps(s, "toml", name="dashboard scenario"),
                   file_name="scenario.toml", mime="application/toml", key="download_toml",
                   icon=":material/download:", width="stretch", on_click="ignore")
st.caption("CSV and JSON hold every assumption and every result of every scenario shown, in the library's "
           "units (W, Wh, FLOP, kg CO2e, L; see the unit column). The TOML file can be uploaded again.")

# --------------------------------------------------------------------------- share
st.subheader("Share")
params = common.share_params(s)
base = st.context.url or ""
link = (base.split("?")[0] if base else "") + "?" + urlencode(params)
st.caption("The address bar always holds the dashboard's state; copy it, or this link. Opening it restores "
           "the presets, the values you typed and every page's inputs. A value in it that cannot be used is "
           "dropped with a warning (the rest is applied); parameters the dashboard does not know (utm_source, "
           "...) are ignored.")
st.code(link, language=None, wrap_lines=True)
st.caption("Query parameters: " + ", ".join(f"`{k}`" for k in params)
           + ". Values are read as files and the command line read them, in the field's unit unless written "
             "out (`gpus=100k`, `hours=90 days`); page inputs are prefixed by their page "
             "(`explorer.budget=1 GW`); preset values you did not change are left out.")
