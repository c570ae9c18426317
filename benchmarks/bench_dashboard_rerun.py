"""A dashboard rerun after a widget change vs the same elements drawn with no computation.

The apps run under Streamlit's AppTest (no browser, no server). The subject
is the project's app.py on its default page: the sidebar's PUE input
(``key="pue"``) alternates between two values and the script reruns; every
rerun must change the shown facility power, or the benchmark fails. The
baseline is generated from the default page's element tree after its first
run: the same elements (same kinds, keys, labels and nesting) with no
computation behind them, the floor that Streamlit's (and AppTest's) fixed
cost per element sets for a page that shows what the default page shows.
Limit: at most :data:`LIMIT` × that floor. A one-widget, one-metric app is
timed too, for the note: the floor alone is several times it (about 370 µs
per element), so a limit against it would measure Streamlit, not the
dashboard. Without app.py (or its widget) the benchmark is skipped.
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import chdir
from pathlib import Path

from timing import Measurement, seconds_text

from estimator import fields

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
REPEATS = 15
#: The dashboard's own work may add at most half of what drawing its elements costs.
LIMIT = 1.5

#: The widget changed in app.py, the two values it alternates between, and the metric that must follow.
WIDGET_KEY = "pue"
VALUES = (1.2, 1.3)
METRIC = fields.label("facility_power_w")

ONE_METRIC_APP = '''
import streamlit as st

x = st.number_input("x", value=1.2, key="x")
st.metric("x doubled", x * 2)
'''

# Keep Streamlit quiet and local, as the project's tests do.
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

WIDGETS = ("number_input", "selectbox", "text_input", "button", "slider", "select_slider", "radio", "checkbox",
           "toggle", "text_area", "multiselect", "expander (stateful)")


def _widget(app, key: str):
    """The widget with ``key``, whatever its kind."""
    for kind in ("number_input", "slider", "select_slider", "selectbox", "text_input"):
        try:
            return getattr(app, kind)(key=key)
        except (KeyError, IndexError):
            continue
    return None


def _shown(app, label: str) -> str | None:
    """The value of the metric labelled ``label``."""
    return next((m.value for m in app.metric if m.label == label), None)


def _rerun(app, key: str, values: tuple[float, float], metric: str):
    state = {"i": 0, "shown": _shown(app, metric)}

    def once() -> None:
        state["i"] += 1
        _widget(app, key).set_value(values[state["i"] % 2])
        app.run()
        if app.exception:
            raise RuntimeError(f"the app raised: {app.exception[0].message}")
        shown = _shown(app, metric)
        if shown is None or shown == state["shown"]:
            raise RuntimeError(f"{metric!r} did not change when {key!r} changed (shows {shown!r})")
        state["shown"] = shown

    return once


# --------------------------------------------------------------------------- the floor: same elements, no work

def _kind(node) -> str:
    kind = getattr(node, "type", type(node).__name__)
    if kind == "expander" and getattr(node.proto, "id", ""):
        return "expander (stateful)"
    return kind


def _emit(node, lines: list[str], depth: int, counts: Counter, skipped: Counter) -> None:
    """Append the Streamlit calls that draw ``node``'s children, without any computation."""
    pad = "    " * depth
    children = list(getattr(node, "children", {}).values())
    if children and all(_kind(c) == "column" for c in children):
        name = f"cols{len(lines)}"
        lines.append(f"{pad}{name} = st.columns({len(children)})")
        for i, column in enumerate(children):
            counts["column"] += 1
            lines.append(f"{pad}with {name}[{i}]:")
            lines.append(f"{pad}    pass")
            _emit(column, lines, depth + 1, counts, skipped)
        return
    for child in children:
        kind = _kind(child)
        key = getattr(child, "key", None)
        label = getattr(child, "label", "")
        if kind == "latex":  # the tree holds the body wrapped in $$ lines
            lines.append(f"{pad}st.latex({child.value.strip('$').strip()!r})")
        elif kind in ("title", "subheader", "caption", "markdown", "header"):
            lines.append(f"{pad}st.{kind}({child.value!r})")
        elif kind == "metric":
            lines.append(f"{pad}st.metric({label!r}, f'{{v.get(\"{WIDGET_KEY}\", 0) * {counts['metric'] + 1}:.4g}} "
                         "MW', border=True)")
        elif kind == "number_input":
            lines.append(f"{pad}v[{key!r}] = st.number_input({label!r}, value={child.value!r}, key={key!r})")
        elif kind == "selectbox":
            lines.append(f"{pad}st.selectbox({label!r}, {list(child.options)!r}, key={key!r})")
        elif kind == "text_input":
            lines.append(f"{pad}st.text_input({label!r}, value={child.value!r}, key={key!r})")
        elif kind == "button":
            lines.append(f"{pad}st.button({label!r}, key={key!r})")
        elif kind == "slider":
            cast = int if isinstance(child.value, int) else float  # the tree holds an int slider's ends as floats
            lines.append(f"{pad}st.slider({label!r}, {cast(child.min)!r}, {cast(child.max)!r}, {child.value!r}, "
                         f"step={cast(child.step)!r}, key={key!r})")
        elif kind == "vega_lite_chart":
            lines.append(f"{pad}st.vega_lite_chart({{'data': {{'values': [{{'a': 1}}]}}, 'mark': 'bar', "
                         "'encoding': {'x': {'field': 'a', 'type': 'quantitative'}}}, width='stretch')")
        elif kind == "dataframe":
            lines.append(f"{pad}st.dataframe({{'a': [1.0]}})")
        elif kind in ("flex_container", "expander", "expander (stateful)"):
            if kind == "flex_container":
                lines.append(f"{pad}with st.container():")
            elif kind == "expander":
                lines.append(f"{pad}with st.expander({label!r}, expanded={child.proto.expanded!r}):")
            else:
                user_key = child.proto.id.rsplit("-", 1)[-1]
                lines.append(f"{pad}with st.expander({label!r}, key={user_key!r}, on_change='rerun'):")
            lines.append(f"{pad}    pass")
            _emit(child, lines, depth + 1, counts, skipped)
        elif kind != "event":
            skipped[kind] += 1
            continue
        counts[kind] += 1


def floor_app(tree) -> tuple[str, Counter, Counter]:
    """A script drawing the elements of an AppTest tree (sidebar first, as app.py does) with no work.

    Returns the script, the count of each kind of element drawn, and the kinds it could not mirror.
    """
    lines = ["import streamlit as st", "", "v = {}"]
    counts: Counter = Counter()
    skipped: Counter = Counter()
    roots = {_kind(c): c for c in tree.children.values()}
    if "sidebar" in roots:
        lines.append("with st.sidebar:")
        lines.append("    pass")
        _emit(roots["sidebar"], lines, 1, counts, skipped)
    if "main" in roots:
        _emit(roots["main"], lines, 0, counts, skipped)
    return "\n".join(lines) + "\n", counts, skipped


def interleaved_medians(functions: list[Callable[[], object]], repeats: int, warmup: int = 1) -> list[float]:
    """Median wall time [s] of each function, run in turn, the order rotating every round
    (timing.interleaved_medians for more than two)."""
    for _ in range(warmup):
        for f in functions:
            f()
    times: list[list[float]] = [[] for _ in functions]
    for round_ in range(repeats):
        for i in range(len(functions)):
            which = (i + round_) % len(functions)
            start = time.perf_counter()
            functions[which]()
            times[which].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def measure(repeats: int = REPEATS) -> Measurement:
    title = "dashboard rerun after a widget change vs the same elements with no computation"
    record = dict(title=title, subject=f"app.py, sidebar widget {WIDGET_KEY!r} changed",
                  baseline="a script drawing the page's elements from constants", limit=LIMIT)
    if not APP.exists():
        return Measurement(**record, skipped="no app.py")
    from streamlit.testing.v1 import AppTest

    # AppTest runs outside a server, and Streamlit warns about that when one is made.
    quiet = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    quiet.setLevel(logging.ERROR)

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
        if _shown(app, METRIC) is None:
            return Measurement(**record, error=f"app.py shows no metric {METRIC!r} on its default page")
        small.run()
        # The floor is generated from the page as it was first drawn, then timed alongside the other two.
        script, counts, skipped = floor_app(app._tree)
        floor_file = Path(folder) / "same_elements.py"
        floor_file.write_text(script, encoding="utf-8")
        quiet.setLevel(logging.ERROR)  # again: the runs above reset it
        floor = AppTest.from_file(str(floor_file), default_timeout=30)
        floor.run()
        if floor.exception:
            return Measurement(**record, error=f"the generated floor app raised: {floor.exception[0].message}")
        subject_s, baseline_s, floor_s = interleaved_medians([
            _rerun(app, WIDGET_KEY, VALUES, METRIC), _rerun(small, "x", VALUES, "x doubled"),
            _rerun(floor, WIDGET_KEY, VALUES, METRIC)], repeats)

    elements = sum(counts.values())
    widgets = sum(counts[k] for k in WIDGETS)
    per_element = (floor_s - baseline_s) / max(elements - 2, 1)
    note = (f"AppTest reruns, no browser; median of {repeats} interleaved runs. The default page draws "
            f"{elements} elements ({widgets} of them widgets: "
            + ", ".join(f"{counts[k]} {k}" for k in WIDGETS if counts[k]) + "). "
            "The baseline is a script generated from the page's element tree that draws the same elements "
            "from constants: what Streamlit and AppTest cost for them, a floor no page can beat. The dashboard's "
            "own work (validation, catalogue, formatting, chart data, and AppTest compiling app.py and the page "
            "on every run) adds "
            + (f"{seconds_text(subject_s - floor_s)}" if subject_s > floor_s else "nothing measurable")
            + f". Against a one-widget, one-metric app ({seconds_text(baseline_s)}) the page is "
            f"{subject_s / baseline_s:.3g}× and its floor alone {floor_s / baseline_s:.2g}× (about "
            f"{seconds_text(per_element)} per element), which is why the limit is set against the floor.")
    if skipped:
        note += " Not mirrored in the floor: " + ", ".join(f"{n} {k}" for k, n in skipped.items()) + "."
    return Measurement(**record, subject_s=subject_s, baseline_s=floor_s, note=note)


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
    print(m.note)
