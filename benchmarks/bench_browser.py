"""Input change → updated figure in a real browser, for every dashboard page, vs its no-computation twin.

For each page of app.py (``st.Page`` entries, read from the file), Chromium
(Debian's ``/usr/bin/chromium`` through Playwright) opens the page on a real
``streamlit run`` server, types a new PUE into the sidebar (``key="pue"``) and
presses Enter; the time runs from that key press (taken in the page) until the
page's headline figure shows a new value *and* Streamlit reports the run over
(script state ``notRunning``, no status widget, no loading skeleton, every
chart drawn). Two baselines are timed in the same run, alternating with it:

- the page's **no-computation twin**: a multipage app generated from the
  page's element tree, captured with ``streamlit.testing.v1.AppTest`` at both
  PUE values. It draws the same elements (same kinds, keys, labels, nesting,
  sidebar and page navigation; charts and tables with the very same data and
  specs, metrics with the same texts; editable tables as data editors; the
  number inputs the page writes, written; the address bar kept as the page
  keeps it) from constants, with no library call: what Streamlit and the
  browser cost for what the page shows, a floor no page can beat. Limit: each
  page within 1.2× of its twin.
- a one-widget, one-metric app (ratio reported, no limit).

Each page's script rerun is also timed alone under AppTest (page and twin, no
browser), to tell its own Python from what the browser spends. The Serving page
is opened with a throughput and a query's tokens in its address (see
:func:`page_links`).

``python benchmarks/bench_browser.py`` prints a markdown table;
``benchmarks/run.py`` adds one row per page. Skipped without Chromium.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import logging
import os
import pickle
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from contextlib import ExitStack, chdir, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# tests/e2e/harness.py: the server and the "run over, all drawn" test, shared with the browser tests.
sys.path[:0] = [p for p in (str(HERE), str(ROOT), str(ROOT / "tests" / "e2e")) if p not in sys.path]

import harness  # noqa: E402
from timing import Measurement, seconds_text  # noqa: E402

APP = ROOT / "app.py"
CHROMIUM = harness.CHROMIUM
CHROMIUM_ARGS = ["--headless", *harness.CHROMIUM_ARGS,
                 # Several tabs are open at once: keep the one not in front running at full speed.
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]
VIEWPORT = harness.VIEWPORT
REPEATS = 11
LIMIT = 1.2
WIDGET_KEY = "pue"
VALUES = (1.2, 1.3)
LOAD_TIMEOUT_MS = 60_000
CHANGE_TIMEOUT_MS = 30_000



def page_links() -> dict[str, dict[str, str]]:
    """Page → the address a user would open it with, where the defaults leave its figures unset.

    The Serving page shows energy per query only once a throughput and the tokens of a query are
    given (no throughput is made up): it is opened with the chat query preset's output tokens and the
    first example of the throughput field, as the dashboard's own link spells them.
    """
    import estimator
    from estimator import fields, links

    throughput = fields.FIELDS["tokens_per_s_per_gpu"].example.split(",")[0].strip()
    chat = estimator.queries()["chat"].assumptions()
    return {"serving": links.write({}, {"tokens_per_s_per_gpu": float(throughput),
                                        "tokens_per_query": chat["tokens_per_query"]})}


ONE_METRIC_APP = '''import streamlit as st

x = st.number_input("x", value=1.2, key="x", format="%.3f")
st.metric("x doubled", f"{x * 2:.4g}")
'''

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")


# --------------------------------------------------------------------------- pages of app.py

@dataclass
class PageInfo:
    name: str  # file stem under app_pages/
    file: str  # as written in app.py
    title: str
    url_path: str  # "" for the default page
    icon: str | None
    default: bool


def app_pages() -> list[PageInfo]:
    """The ``st.Page`` entries of app.py, in order."""
    pages = []
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args):
            continue
        file = ast.literal_eval(node.args[0])
        kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords
              if k.arg in ("url_path", "default", "title", "icon")}
        name = Path(file).stem
        pages.append(PageInfo(name, file, kw.get("title", name), "" if kw.get("default") else kw.get("url_path", name),
                              kw.get("icon"), bool(kw.get("default"))))
    return pages


# --------------------------------------------------------------------------- the twin: same elements, no work

def _kind(node) -> str:
    kind = getattr(node, "type", type(node).__name__)
    if kind == "expander" and getattr(node.proto, "id", ""):
        return "expander (stateful)"
    return kind


def _user_key(node) -> str | None:
    """The key the page gave an element or container (Streamlit's id is ``$$ID-<hash>-<key>``)."""
    key = getattr(node, "key", None)
    if key:
        return key
    proto_id = getattr(getattr(node, "proto", None), "id", "") or ""
    parts = proto_id.split("-", 2)
    if proto_id.startswith("$$ID-") and len(parts) == 3 and parts[2] not in ("", "None"):
        return parts[2]
    return None


def _children(node) -> list:
    return list(getattr(node, "children", {}).values())


def _help(node) -> str:
    text = getattr(node.proto, "help", "") if hasattr(node, "proto") else ""
    return f", help={text!r}" if text else ""


def _gap(proto) -> str:
    size = proto.gap_config.gap_size if proto.HasField("gap_config") else 0
    return {1: "small", 2: "medium", 3: "large", 4: None}.get(size, "small")


def _vega(node) -> dict:
    """The chart's spec with its named datasets as pyarrow tables (as app_pages/vega.py builds them)."""
    import pyarrow as pa

    proto = node.proto
    spec = json.loads(proto.spec)
    if proto.datasets:
        spec["datasets"] = {d.name: pa.ipc.open_stream(d.data.data).read_all() for d in proto.datasets}
    if proto.data.data:
        spec["data"] = {"values": pa.ipc.open_stream(proto.data.data).read_all().to_pylist()}
    return spec


def _data_rows(value) -> int:
    if isinstance(value, dict):
        return sum(t.num_rows for t in value.get("datasets", {}).values())
    return len(value)


class TwinWriter:
    """Emits the Streamlit calls that draw an element tree; what changes with the input goes in ``data``.

    ``data[n]`` holds element n's payload in both captured states (PUE = VALUES[0], VALUES[1]); the
    generated script draws ``D[n][i]``, i being the state nearest the PUE input's current value.
    """

    def __init__(self, numbers: tuple[dict, dict] = ({}, {})) -> None:
        self.numbers = numbers  # keyed number inputs' values after each captured run (the tree holds the last)
        self.lines: list[str] = []
        self.data: list[tuple] = []
        self.counts: Counter = Counter()
        self.skipped: Counter = Counter()
        self.rows: Counter = Counter()  # chart/table rows mirrored

    def _payload(self, a, b) -> str:
        self.data.append((a, b))
        return f"D[{len(self.data) - 1}][i]"

    def emit(self, node, other, depth: int) -> None:
        pad = "    " * depth
        children = _children(node)
        others = _children(other) if other is not None else []
        if len(others) != len(children) or any(_kind(a) != _kind(b) for a, b in zip(children, others, strict=False)):
            others = children  # the other state drew a different tree: reuse this one's values
        if children and all(_kind(c) == "column" for c in children):
            name = f"cols{len(self.lines)}"
            weights = [round(c.proto.weight, 6) for c in children]
            self.lines.append(f"{pad}{name} = st.columns({weights!r}, gap={_gap(children[0].proto)!r})")
            for n, (column, other_column) in enumerate(zip(children, others, strict=False)):
                self.counts["column"] += 1
                self.lines.append(f"{pad}with {name}[{n}]:")
                self.lines.append(f"{pad}    pass")
                self.emit(column, other_column, depth + 1)
            return
        for child, twin in zip(children, others, strict=False):
            self._element(child, twin, pad, depth)

    def _element(self, child, twin, pad: str, depth: int) -> None:
        kind = _kind(child)
        key = _user_key(child)
        label = getattr(child, "label", "") or getattr(getattr(child, "proto", None), "label", "")
        add = self.lines.append
        p = getattr(child, "proto", None)
        if kind == "latex":
            add(f"{pad}st.latex({self._payload(child.value.strip('$').strip(), twin.value.strip('$').strip())})")
        elif kind in ("title", "subheader", "header", "caption", "markdown", "text"):
            add(f"{pad}st.{kind}({self._payload(child.value, twin.value)}{_help(child)})")
        elif kind in ("info", "warning", "error", "success"):
            icon = f", icon={p.icon!r}" if p.icon else ""
            add(f"{pad}st.{kind}({self._payload(child.value, twin.value)}{icon})")
        elif kind == "code":
            add(f"{pad}st.code({self._payload(p.code_text, twin.proto.code_text)}, "
                f"language={(p.language or None)!r}, wrap_lines={p.wrap_lines!r})")
        elif kind == "metric":
            add(f"{pad}st.metric({label!r}, {self._payload(child.value, twin.value)}{_help(child)}, "
                f"border={p.show_border!r}, width='stretch')")
        elif kind == "number_input":
            is_int = p.data_type == 0
            cast = int if is_int else float
            bounds = (f", min_value={cast(p.min)!r}" if p.has_min else "") + (
                f", max_value={cast(p.max)!r}" if p.has_max else "")
            step = f", step={cast(p.step)!r}" if p.step else ""
            fmt = f", format={p.format!r}" if p.format else ""
            value = child.value if child.value is None else cast(child.value)
            if key == WIDGET_KEY:  # AppTest reads a widget's value from the shared session state: the last run's
                value = VALUES[0]
            shown = [n.get(key) for n in self.numbers]
            if key != WIDGET_KEY and key and shown[0] != shown[1]:  # the page writes it (a default that follows PUE)
                add(f"{pad}st.session_state[{key!r}] = {self._payload(*shown)}")
                add(f"{pad}v[{key!r}] = st.number_input({label!r}{bounds}{step}{fmt}, key={key!r}{_help(child)})")
            else:
                add(f"{pad}v[{key!r}] = st.number_input({label!r}, value={value!r}{bounds}{step}{fmt}, "
                    f"key={key!r}{_help(child)})")
        elif kind == "selectbox":
            add(f"{pad}st.selectbox({label!r}, {list(child.options)!r}, index={child.index!r}, key={key!r}"
                f"{_help(child)})")
        elif kind == "radio":
            add(f"{pad}st.radio({label!r}, {list(child.options)!r}, index={child.index!r}, key={key!r}, "
                f"horizontal={p.horizontal!r}{_help(child)})")
        elif kind == "multiselect":
            default = [child.options[int(n)] for n in p.default]
            add(f"{pad}st.multiselect({label!r}, {list(child.options)!r}, default={default!r}, key={key!r}"
                f"{_help(child)})")
        elif kind in ("text_input", "text_area"):
            chars = f", max_chars={p.max_chars!r}" if getattr(p, "max_chars", 0) else ""
            add(f"{pad}st.{kind}({label!r}, value={child.value!r}{chars}, key={key!r}{_help(child)})")
        elif kind in ("checkbox", "toggle"):
            add(f"{pad}st.{kind}({label!r}, value={child.value!r}, key={key!r}{_help(child)})")
        elif kind == "button":
            kind_ = f", type={p.type!r}" if p.type in ("primary", "tertiary") else ""
            add(f"{pad}st.button({label!r}, key={key!r}{kind_}{_help(child)})")
        elif kind == "download_button":
            add(f"{pad}st.download_button({label!r}, data='x', key={key!r}, on_click='ignore')")
        elif kind == "file_uploader":
            types = [t.lstrip(".") for t in p.type] or None
            add(f"{pad}st.file_uploader({label!r}, type={types!r}, key={key!r}{_help(child)})")
        elif kind == "slider":
            cast = int if isinstance(child.value, int) else float
            add(f"{pad}st.slider({label!r}, {cast(child.min)!r}, {cast(child.max)!r}, {child.value!r}, "
                f"step={cast(child.step)!r}, key={key!r}{_help(child)})")
        elif kind == "select_slider":
            options = list(child.options)
            value = [options[int(n)] for n in p.default] if p.default else [options[0]]
            value_ = value[0] if len(value) == 1 else tuple(value)
            add(f"{pad}st.select_slider({label!r}, {options!r}, value={value_!r}, key={key!r}{_help(child)})")
        elif kind == "vega_lite_chart":
            a, b = _vega(child), _vega(twin)
            self.rows[kind] += _data_rows(a)
            add(f"{pad}_chart({self._payload(a, b)})")
        elif kind == "dataframe" and p.editing_mode:  # st.data_editor: 1 fixed rows, 2 dynamic
            a, b = child.value, twin.value
            self.rows[kind] += _data_rows(a)
            rows = "dynamic" if p.editing_mode == 2 else "fixed"
            add(f"{pad}st.data_editor({self._payload(a, b)}, key={key!r}, num_rows={rows!r}, hide_index=True, "
                "width='stretch')")
        elif kind == "dataframe":
            a, b = child.value, twin.value
            self.rows[kind] += _data_rows(a)
            add(f"{pad}st.dataframe({self._payload(a, b)}, hide_index=True, width='stretch')")
        elif kind == "date_input" and len(p.default) == 1:
            day = datetime.date.fromisoformat
            add(f"{pad}st.date_input({label!r}, value={day(p.default[0])!r}, min_value={day(p.min)!r}, "
                f"max_value={day(p.max)!r}, format={p.format!r}, key={key!r}{_help(child)})")
        elif kind in ("flex_container", "expander", "expander (stateful)", "vertical"):
            if kind in ("flex_container", "vertical"):
                fc = p.flex_container
                horizontal = fc.direction == 1  # HORIZONTAL
                args = [f"key={key!r}"] if key else []
                if horizontal:
                    args += ["horizontal=True", f"gap={_gap(fc)!r}"]
                add(f"{pad}with st.container({', '.join(args)}):")
            elif kind == "expander":
                add(f"{pad}with st.expander({label!r}, expanded={p.expanded!r}):")
            else:
                add(f"{pad}with st.expander({label!r}, key={key!r}, on_change='rerun'):")
            add(f"{pad}    pass")
            self.emit(child, twin, depth + 1)
        else:
            if kind != "event":
                self.skipped[kind] += 1
            return
        self.counts[kind] += 1


def twin_page(tree_a, tree_b, page: str, numbers: tuple[dict, dict] = ({}, {}),
              addresses: tuple[dict, dict] = ({}, {})) -> tuple[str, list[tuple], Counter, Counter, Counter]:
    """The twin script of one page (sidebar first, as app.py draws it), its payloads, and what it drew.

    ``addresses``: the query parameters after each captured run. The page keeps the address bar equal to its
    state (the sidebar writes it last); the twin writes the same, since the browser's update of the address is
    part of what an input change costs (measured: about 20–30 ms of the fleet page's change).
    """
    writer = TwinWriter(numbers)
    roots_a = {_kind(c): c for c in tree_a.children.values()}
    roots_b = {_kind(c): c for c in tree_b.children.values()}
    if "sidebar" in roots_a:
        writer.lines += ["with st.sidebar:", "    pass"]
        writer.emit(roots_a["sidebar"], roots_b.get("sidebar"), 1)
    if any(addresses):
        writer.lines += [f"_q = {writer._payload(*addresses)}",
                         "if st.query_params.to_dict() != _q:", "    st.query_params.from_dict(_q)"]
    if "main" in roots_a:
        writer.emit(roots_a["main"], roots_b.get("main"), 0)
    head = [
        f'"""No-computation twin of app_pages/{page}.py, generated by benchmarks/bench_browser.py."""',
        "import datetime", "", "import streamlit as st", "",
        "from _twin_data import chart as _chart, load", "",
        f"D = load({page!r})",
        f"_x = st.session_state.get({WIDGET_KEY!r}, {VALUES[0]!r}) or 0",
        f"i = 0 if abs(_x - {VALUES[0]!r}) <= abs(_x - {VALUES[1]!r}) else 1",
        "v = {}", "",
    ]
    return "\n".join(head + writer.lines) + "\n", writer.data, writer.counts, writer.skipped, writer.rows


TWIN_DATA_MODULE = '''"""Payloads of the twin pages, loaded once per server process (as app.py imports its library)."""
import functools
import pickle
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


@functools.cache
def load(page):
    return pickle.loads((HERE / f"{page}.pkl").read_bytes())


def chart(spec):
    # A fresh top level each run, as the real pages build one: the datasets are the same tables.
    spec = dict(spec)
    if "datasets" in spec:
        spec["datasets"] = dict(spec["datasets"])
    st.vega_lite_chart(spec, width="stretch")
'''


def twin_router(pages: list[PageInfo]) -> str:
    entries = []
    for p in pages:
        extra = ", default=True" if p.default else f", url_path={p.url_path!r}"
        entries.append(f"    st.Page('twin_{p.name}.py', title={p.title!r}, icon={p.icon!r}{extra}),")
    return "\n".join([
        '"""Router of the no-computation twins: the same page navigation as app.py."""',
        "import streamlit as st", "",
        "st.set_page_config(page_title='AI datacenter power estimator', page_icon=':material/bolt:', "
        "layout='wide')",
        "page = st.navigation([", *entries, "], position='sidebar')",
        "page.run()", ""])


@dataclass
class Headline:
    """What must change on screen: the nth metric labelled ``label``, or the chart in container ``key``."""
    kind: str  # "metric" | "chart" | "code"
    label: str = ""
    nth: int = 0
    key: str = ""

    def describe(self) -> str:
        return {"metric": f"metric {self.label!r}", "chart": f"chart in .st-key-{self.key}",
                "code": "code block"}[self.kind]


def _walk(node):
    for child in _children(node):
        yield child
        yield from _walk(child)


def find_headline(main_a, main_b) -> Headline | None:
    """The first metric of the main pane whose text changes with PUE; else the first such chart; else code."""
    metrics_a = [m for m in _walk(main_a) if _kind(m) == "metric"]
    metrics_b = [m for m in _walk(main_b) if _kind(m) == "metric"]
    seen: Counter = Counter()
    for a, b in zip(metrics_a, metrics_b, strict=False):
        if a.label == b.label and a.value != b.value:
            return Headline("metric", label=a.label, nth=seen[a.label])
        seen[a.label] += 1
    blocks_a = [n for n in _walk(main_a) if _user_key(n) and _kind(n) == "flex_container"]
    blocks_b = {_user_key(n): n for n in _walk(main_b) if _user_key(n) and _kind(n) == "flex_container"}
    for block in blocks_a:
        other = blocks_b.get(_user_key(block))
        charts = [c for c in _children(block) if _kind(c) == "vega_lite_chart"]
        if other is None or not charts:
            continue
        others = [c for c in _children(other) if _kind(c) == "vega_lite_chart"]
        if others and (charts[0].proto.SerializeToString() != others[0].proto.SerializeToString()):
            return Headline("chart", key=_user_key(block))
    codes_a = [c.proto.code_text for c in _walk(main_a) if _kind(c) == "code"]
    codes_b = [c.proto.code_text for c in _walk(main_b) if _kind(c) == "code"]
    if codes_a and codes_b and codes_a[0] != codes_b[0]:
        return Headline("code")
    return None


@dataclass
class Captured:
    page: PageInfo
    script: str
    data: list[tuple]
    counts: Counter
    skipped: Counter
    rows: Counter
    headline: Headline | None
    apptest_error: str | None = None


def capture(pages: list[PageInfo]) -> list[Captured]:
    """Each page's element tree under AppTest at both PUE values, turned into its twin."""
    from streamlit.testing.v1 import AppTest

    out = []
    with chdir(ROOT):
        for info in pages:
            logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
            app = AppTest.from_file(str(APP), default_timeout=60)
            app.query_params.update(page_links().get(info.name, {}))
            app.run()
            if not info.default:
                app.switch_page(info.file)
                app.run()
            try:
                trees = []
                error = None
                numbers: list[dict] = []
                addresses: list[dict] = []
                for value in VALUES:
                    app.number_input(key=WIDGET_KEY).set_value(value)
                    app.run()
                    if app.exception:
                        error = app.exception[0].message
                    trees.append(app._tree)
                    numbers.append({w.key: w.value for w in app.number_input if w.key})
                    addresses.append(dict(app.query_params))
                script, data, counts, skipped, rows = twin_page(trees[0], trees[1], info.name, tuple(numbers),
                                                                tuple(addresses))
                roots = [{_kind(c): c for c in t.children.values()} for t in trees]
                headline = find_headline(roots[0]["main"], roots[1]["main"])
                out.append(Captured(info, script, data, counts, skipped, rows, headline, error))
            except Exception as exc:  # one page the generator cannot mirror must not stop the others
                out.append(Captured(info, "import streamlit as st\nst.title('twin not generated')\n", [],
                                    Counter(), Counter(), Counter(), None,
                                    f"twin not generated: {type(exc).__name__}: {exc}"))
    return out


def write_twins(folder: Path, pages: list[PageInfo], captured: list[Captured]) -> None:
    (folder / "app.py").write_text(twin_router(pages), encoding="utf-8")
    (folder / "_twin_data.py").write_text(TWIN_DATA_MODULE, encoding="utf-8")
    for page in pages:  # a page the router needs but not measured (the default, with --pages): a title only
        (folder / f"twin_{page.name}.py").write_text(f"import streamlit as st\nst.title({page.title!r})\n",
                                                    encoding="utf-8")
    for c in captured:
        (folder / f"twin_{c.page.name}.py").write_text(c.script, encoding="utf-8")
        (folder / f"{c.page.name}.pkl").write_bytes(pickle.dumps(c.data))
    (folder / "one_metric.py").write_text(ONE_METRIC_APP, encoding="utf-8")


# --------------------------------------------------------------------------- servers

@contextmanager
def streamlit_server(script: Path, cwd: Path):
    """Base URL of ``streamlit run script`` on a free loopback port, the project importable; always stopped."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    with harness.streamlit_server(script, cwd, env={"PYTHONPATH": path}) as base:
        yield base


# --------------------------------------------------------------------------- the browser side

#: True once the script run is over and everything it sent is drawn (as the browser tests wait); the
#: one-metric app has no heading, so a metric also counts as the page being there.
READY_JS = harness.ready_js('[data-testid="stMain"] [data-testid="stMetric"], '
                            '[data-testid="stMain"] [data-testid="stHeading"]')

#: Text of the headline: a metric's value, a chart's drawing (SVG markup or canvas pixels), a code block.
SIGNATURE_JS = """(h) => {
  if (h.kind === 'metric') {
    const all = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')]
      .filter(m => (m.querySelector('[data-testid="stMetricLabel"]')?.innerText || '').trim() === h.label);
    const m = all[h.nth];
    return m ? (m.querySelector('[data-testid="stMetricValue"]')?.innerText || '') : null;
  }
  if (h.kind === 'chart') {
    const c = document.querySelector('.st-key-' + h.key + ' [data-testid="stVegaLiteChart"]');
    if (!c) return null;
    const svg = c.querySelector('svg');
    if (svg) return svg.innerHTML;
    const canvas = c.querySelector('canvas');
    return canvas ? canvas.toDataURL() : null;
  }
  const code = document.querySelector('[data-testid="stMain"] [data-testid="stCode"]');
  return code ? code.innerText : null;
}"""

#: Arm a timer: it starts at the next Enter key press and stops when the headline has changed and the run
#: is over; the promise resolves with the milliseconds, or with an error after the timeout.
ARM_JS = """([h, timeoutMs]) => {
  const ready = READY;
  const signature = SIGNATURE;
  const before = signature(h);
  window.__benchDone = null;
  window.__benchResult = new Promise((resolve) => {
    let t0 = null, tValue = null, done = false, observer = null, poll = null, timer = null;
    const onKey = (e) => { if (e.key === 'Enter' && t0 === null) t0 = performance.now(); };
    const finish = (result) => {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      clearInterval(poll); clearTimeout(timer);
      window.removeEventListener('keydown', onKey, true);
      window.__benchDone = result;
      resolve(result);
    };
    const check = () => {
      if (done || t0 === null) return;
      const now = signature(h);
      if (now === null || now === before) return;
      if (tValue === null) tValue = performance.now();
      if (ready()) finish({ms: performance.now() - t0, valueMs: tValue - t0, value: now.slice(0, 80)});
    };
    window.addEventListener('keydown', onKey, true);
    observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    poll = setInterval(check, 10);  // canvas drawing mutates no DOM
    timer = setTimeout(() => finish({error: 'timeout', before: String(before).slice(0, 80),
                                     now: String(signature(h)).slice(0, 80), ready: ready()}), timeoutMs);
  });
  return before === null ? 'missing' : 'ok';
}""".replace("READY", READY_JS).replace("SIGNATURE", SIGNATURE_JS)


class Tab:
    """One browser tab on one app page, able to time an input change."""

    def __init__(self, context, url: str, key: str, headline: Headline) -> None:
        self.page = context.new_page()
        self.url, self.key, self.headline = url, key, headline
        self.value_times: list[float] = []  # key press → headline changed (the run may not be over yet)
        self.page.goto(url, wait_until="domcontentloaded", timeout=LOAD_TIMEOUT_MS)
        self.page.wait_for_function(READY_JS, timeout=LOAD_TIMEOUT_MS, polling=100)
        if self.page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url} shows an exception")

    def change(self) -> float:
        """Seconds from Enter in the input to the updated headline with the run over."""
        self.page.bring_to_front()
        box = self.page.locator(f".st-key-{self.key} input").first
        current = box.input_value(timeout=CHANGE_TIMEOUT_MS)
        try:
            new = VALUES[1] if abs(float(current) - VALUES[0]) < 1e-9 else VALUES[0]
        except ValueError:
            new = VALUES[0]
        box.fill(f"{new:g}", timeout=CHANGE_TIMEOUT_MS)
        state = self.page.evaluate(ARM_JS, [self.headline.__dict__, CHANGE_TIMEOUT_MS])
        if state != "ok":
            raise RuntimeError(f"{self.url}: headline ({self.headline.describe()}) not found")
        box.press("Enter", timeout=CHANGE_TIMEOUT_MS)
        # Read the result when it is there rather than awaiting the promise: on a page whose address changes
        # with the input (the Uncertainty page), Chromium may collect the awaited promise. The time is taken
        # in the page either way.
        result = self.page.wait_for_function("() => window.__benchDone", timeout=CHANGE_TIMEOUT_MS + 5_000,
                                             polling=20).json_value()
        if "error" in result:
            raise RuntimeError(f"{self.url}: {self.headline.describe()} did not change within "
                               f"{CHANGE_TIMEOUT_MS / 1e3:.0f} s after {self.key}={new:g} ({result})")
        self.value_times.append(result["valueMs"] / 1e3)
        return result["ms"] / 1e3

    def close(self) -> None:
        self.page.close()


# --------------------------------------------------------------------------- the run

@dataclass
class PageResult:
    page: PageInfo
    headline: str
    elements: int = 0
    widgets: int = 0
    rows: int = 0
    subject_s: float | None = None
    twin_s: float | None = None
    one_s: float | None = None
    error: str | None = None
    skipped: Counter = field(default_factory=Counter)
    value_s: float | None = None  # key press → headline changed (the run may not be over), page
    twin_value_s: float | None = None  # the same, twin
    script_s: float | None = None  # the script's rerun alone (AppTest, no browser), page
    twin_script_s: float | None = None  # the same, twin

    @property
    def twin_ratio(self) -> float | None:
        return None if self.subject_s is None or self.twin_s is None else self.subject_s / self.twin_s

    @property
    def one_ratio(self) -> float | None:
        return None if self.subject_s is None or self.one_s is None else self.subject_s / self.one_s


WIDGET_KINDS = ("number_input", "selectbox", "text_input", "text_area", "button", "download_button", "slider",
                "select_slider", "radio", "checkbox", "toggle", "multiselect", "file_uploader",
                "expander (stateful)")


def run(repeats: int = REPEATS, only: list[str] | None = None) -> tuple[list[PageResult], str | None]:
    """Measure every page; returns the per-page results, or a reason to skip."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return [], f"no Chromium at {CHROMIUM}"
    if not APP.exists():
        return [], "no app.py"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [], "playwright not installed"
    pages = app_pages()
    chosen = [p for p in pages if only is None or p.name in only]
    captured = capture(chosen)
    results: list[PageResult] = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_browser_")))
        write_twins(folder, chosen if only is None else pages_subset(pages, chosen), captured)
        scripts = script_times(folder, captured)
        real = stack.enter_context(streamlit_server(APP, ROOT))
        twins = stack.enter_context(streamlit_server(folder / "app.py", folder))
        one = stack.enter_context(streamlit_server(folder / "one_metric.py", folder))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
        one_tab = Tab(context, one, "x", Headline("metric", label="x doubled"))
        one_tab.change()  # warm-up
        for c in captured:
            counts = c.counts
            result = PageResult(c.page, c.headline.describe() if c.headline else "–",
                                elements=sum(counts.values()), widgets=sum(counts[k] for k in WIDGET_KINDS),
                                rows=sum(c.rows.values()), skipped=c.skipped)
            results.append(result)
            print(f"  {c.page.name}: ", end="", flush=True)
            if c.apptest_error:
                result.error = f"under AppTest: {c.apptest_error}"
            elif c.headline is None:
                result.error = f"no metric, chart or code on the page changes with {WIDGET_KEY}"
            if result.error:
                print(result.error)
                continue
            tabs: list[Tab] = []
            try:
                link = page_links().get(c.page.name)
                path = "/" + c.page.url_path + ("?" + urllib.parse.urlencode(link) if link else "")
                tabs = [Tab(context, real + path, WIDGET_KEY, c.headline),
                        Tab(context, twins + path, WIDGET_KEY, c.headline)]
                for tab in tabs:
                    tab.change()  # warm-up: the first change loads element code (charts, tables) lazily
                order = [tabs[0], tabs[1], one_tab]
                times: dict[int, list[float]] = {0: [], 1: [], 2: []}
                for round_ in range(repeats):
                    for k in range(3):
                        which = (k + round_) % 3
                        times[which].append(order[which].change())
                result.subject_s, result.twin_s, result.one_s = (statistics.median(times[k]) for k in range(3))
                result.value_s, result.twin_value_s = (statistics.median(t.value_times[1:]) for t in tabs)
                result.script_s, result.twin_script_s = scripts.get(c.page.name, (None, None))
                print(f"{result.subject_s * 1e3:.0f} ms, twin {result.twin_s * 1e3:.0f} ms, "
                      f"one-metric {result.one_s * 1e3:.0f} ms", flush=True)
            except Exception as error:  # one page failing must not stop the others
                result.error = f"{type(error).__name__}: {str(error)[:300]}"
                print(result.error, flush=True)
            finally:
                for tab in tabs:
                    tab.close()
        one_tab.close()
        context.close()
    return results, None


def script_times(folder: Path, captured: list[Captured], repeats: int = 15) -> dict[str, tuple[float, float]]:
    """Page → median seconds of one rerun after a PUE change, the page and its twin, under AppTest (no browser,
    no server): how much of a page's time is its own Python (library, formatting, tables), not drawing."""
    from streamlit.testing.v1 import AppTest

    def ready(script: Path, file: str, default: bool, link: dict[str, str]) -> AppTest:
        app = AppTest.from_file(str(script), default_timeout=60)
        app.query_params.update(link)
        app.run()
        if not default:
            app.switch_page(file)
            app.run()
        return app

    out = {}
    sys.path.insert(0, str(folder))  # the twins import _twin_data, as `streamlit run` lets them
    try:
        with chdir(ROOT):
            for c in captured:
                if c.apptest_error or c.headline is None:
                    continue
                link = page_links().get(c.page.name, {})
                apps = [ready(APP, c.page.file, c.page.default, link),
                        ready(folder / "app.py", f"twin_{c.page.name}.py", c.page.default, {})]
                times: dict[int, list[float]] = {0: [], 1: []}
                for n in range(repeats + 1):
                    for k in ((0, 1) if n % 2 else (1, 0)):
                        apps[k].number_input(key=WIDGET_KEY).set_value(VALUES[n % 2])
                        start = time.perf_counter()
                        apps[k].run()
                        if n:  # the first round warms up
                            times[k].append(time.perf_counter() - start)
                out[c.page.name] = (statistics.median(times[0]), statistics.median(times[1]))
    finally:
        sys.path.remove(str(folder))
    return out


def pages_subset(pages: list[PageInfo], chosen: list[PageInfo]) -> list[PageInfo]:
    """The twin router needs a default page: keep the real default (as a twin) when only some are chosen."""
    if any(p.default for p in chosen):
        return chosen
    return chosen + [p for p in pages if p.default]


def markdown_table(results: list[PageResult]) -> str:
    rows = ["| page | headline watched | elements (widgets) | chart/table rows | page (median) | "
            "no-computation twin | one-metric app | page ÷ twin | page ÷ one-metric | "
            "script rerun, page / twin (AppTest) | target ≤ 1.2× twin |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        def ms(s):
            return "–" if s is None else f"{s * 1e3:.0f} ms"
        twin = "–" if r.twin_ratio is None else f"{r.twin_ratio:.2f}×"
        one = "–" if r.one_ratio is None else f"{r.one_ratio:.1f}×"
        verdict = (f"error: {r.error}" if r.error else "pass" if r.twin_ratio <= LIMIT else "FAIL")
        rows.append(f"| {r.page.name} (/{r.page.url_path}) | {r.headline} | {r.elements} ({r.widgets}) | {r.rows} | "
                    f"{ms(r.subject_s)} | {ms(r.twin_s)} | {ms(r.one_s)} | {twin} | {one} | "
                    f"{ms(r.script_s)} / {ms(r.twin_script_s)} | {verdict} |")
    return "\n".join(rows)


def measure(repeats: int = REPEATS) -> list[Measurement]:
    """One row per page for benchmarks/run.py."""
    base = dict(baseline="its no-computation twin (same elements and data, constant values)", limit=LIMIT)
    try:
        results, skip = run(repeats)
    except Exception as error:
        return [Measurement(title="browser: input change → updated figure", subject="every page", **base,
                            error=f"{type(error).__name__}: {error}")]
    if skip:
        return [Measurement(title="browser: input change → updated figure", subject="every page", **base,
                            skipped=skip)]
    out = []
    for r in results:
        note = (f"Chromium, sidebar {WIDGET_KEY!r} typed + Enter until {r.headline} changed and the run was over; "
                f"median of {repeats} rounds alternating page, twin and a one-metric app "
                f"({seconds_text(r.one_s)}"
                + (f", page = {r.one_ratio:.1f}× it" if r.one_ratio else "") + "). "
                f"The page draws {r.elements} elements ({r.widgets} widgets), charts and tables of {r.rows} rows.")
        link = page_links().get(r.page.name)
        if link:
            note += f" Opened with ?{urllib.parse.urlencode(link)} (without it the page has no figure that moves)."
        if r.value_s is not None and r.script_s is not None:
            own = r.script_s - r.twin_script_s
            note += (f" The headline changed after {seconds_text(r.value_s)} (twin {seconds_text(r.twin_value_s)}). "
                     f"The script's rerun alone (AppTest, no browser) takes {seconds_text(r.script_s)}, its twin's "
                     f"{seconds_text(r.twin_script_s)}: the page's own Python (library, formatting, tables) is "
                     f"{own * 1e3:.1f} ms of the {(r.subject_s - r.twin_s) * 1e3:.0f} ms between page and twin here.")
        if r.skipped:
            note += " Not mirrored in the twin: " + ", ".join(f"{n} {k}" for k, n in r.skipped.items()) + "."
        out.append(Measurement(title=f"browser: {r.page.name} page, input change → updated figure",
                               subject=f"/{r.page.url_path}", subject_s=r.subject_s, baseline_s=r.twin_s,
                               error=r.error, note=note, **base))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS, help=f"rounds per page (default {REPEATS})")
    parser.add_argument("--pages", help="comma-separated page names (default: every page of app.py)")
    parser.add_argument("--keep-twins", metavar="DIR", help="also write the generated twin apps to DIR")
    args = parser.parse_args(argv)
    only = args.pages.split(",") if args.pages else None
    if args.keep_twins:
        pages = app_pages()
        chosen = [p for p in pages if only is None or p.name in only]
        target = Path(args.keep_twins)
        target.mkdir(parents=True, exist_ok=True)
        write_twins(target, pages_subset(pages, chosen), capture(chosen))
        print(f"wrote the twins to {target}")
    start = time.perf_counter()
    results, skip = run(args.repeats, only)
    if skip:
        print(f"skipped: {skip}")
        return 0
    print()
    print(markdown_table(results))
    print(f"\n{args.repeats} rounds per page, {time.perf_counter() - start:.0f} s. Target: each page ≤ {LIMIT}× "
          "its twin (a miss is reported, not raised).")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    sys.exit(main())
