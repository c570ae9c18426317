"""A dashboard rerun after a widget change vs the rerun of a one-metric app.

Both apps run under Streamlit's AppTest (no browser, no server). The subject
is the project's app.py on its default page: the sidebar's PUE input
(``key="pue"``) alternates between two values and the script reruns. The
baseline is a one-metric app whose number input alternates the same way.
Limit: at most 3×. Without app.py (or its widget) the benchmark is skipped.
"""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import chdir
from pathlib import Path

from timing import Measurement, interleaved_medians

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
REPEATS = 7

#: The widget changed in app.py and the two values it alternates between.
WIDGET_KEY = "pue"
VALUES = (1.2, 1.3)

ONE_METRIC_APP = '''
import streamlit as st

x = st.number_input("x", value=1.2, key="x")
st.metric("x doubled", x * 2)
'''

# Keep Streamlit quiet and local, as the project's tests do.
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")


def _widget(app, key: str):
    """The widget with ``key``, whatever its kind."""
    for kind in ("number_input", "slider", "select_slider", "selectbox", "text_input"):
        try:
            return getattr(app, kind)(key=key)
        except (KeyError, IndexError):
            continue
    return None


def _rerun(app, key: str, values: tuple[float, float]):
    state = {"i": 0}

    def once() -> None:
        state["i"] += 1
        _widget(app, key).set_value(values[state["i"] % 2])
        app.run()
        if app.exception:
            raise RuntimeError(f"the app raised: {app.exception[0].message}")

    return once


def measure(repeats: int = REPEATS) -> Measurement:
    title = "dashboard rerun after a widget change vs a one-metric app"
    record = dict(title=title, subject=f"app.py, sidebar widget {WIDGET_KEY!r} changed",
                  baseline="one st.number_input + one st.metric", limit=3.0)
    if not APP.exists():
        return Measurement(**record, skipped="no app.py")
    from streamlit.testing.v1 import AppTest

    # AppTest runs outside a server, and Streamlit warns about that when one is made.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as folder, chdir(ROOT):
        baseline_file = Path(folder) / "one_metric.py"
        baseline_file.write_text(ONE_METRIC_APP, encoding="utf-8")
        # Both made before either runs: a run resets the log level set above.
        app = AppTest.from_file(str(APP), default_timeout=30)
        small = AppTest.from_file(str(baseline_file), default_timeout=30)
        app.run()
        if app.exception:
            return Measurement(**record, error=f"app.py raised on its first run: {app.exception[0].message}")
        if _widget(app, WIDGET_KEY) is None:
            return Measurement(**record, error=f"app.py has no widget with key {WIDGET_KEY!r}")
        small.run()
        subject_s, baseline_s = interleaved_medians(_rerun(app, WIDGET_KEY, VALUES), _rerun(small, "x", VALUES),
                                                    repeats)
    return Measurement(**record, subject_s=subject_s, baseline_s=baseline_s,
                       note=f"AppTest reruns, no browser; median of {repeats} interleaved runs")


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
