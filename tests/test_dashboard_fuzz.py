"""Dashboard fuzz (AppTest, no browser): random widget settings and tampered addresses.

- 6 pages × 35 reruns = 210 random widget settings: each rerun sets 1–3 widgets of the sidebar
  or the page (numbers anywhere in their range, text from a pool of valid and hostile entries,
  presets, buttons, uploads) on one AppTest per page, so that state builds up as it does for a
  person clicking around.
- 60 addresses: valid shared links of random scenarios and links with tampered parameters.

After every run: no exception, and no NaN or infinity among the figures shown (metrics,
headings, captions, Markdown, tables and chart data). Error and warning boxes are not searched:
they quote what the user typed, which may well be "nan".

The random generator is seeded (ESTIMATOR_DASHBOARD_SEED, default 2025), so a failure replays;
its message lists every setting that led to it.
"""

from __future__ import annotations

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import math
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages import common
from estimator import Scenario, catalog, fields, io, links, sweep

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["fleet", "explorer", "sweeps", "energy", "training", "compare"]
RERUNS_PER_PAGE = 35
ADDRESSES = 60
SEED = int(os.environ.get("ESTIMATOR_DASHBOARD_SEED", "2025"))
NON_FINITE = re.compile(r"(?<![\w.])-?(nan|inf|infinity)(?![\w])", re.IGNORECASE)

# What people type into the text boxes: valid entries per box, and hostile ones for any box.
VALID_TEXT = {
    "hours": ["1 year", "90 days", "2160 h", "", "54 days", "1 week", "0.5 h", "10 years"],
    "gpus": ["100000", "100k", "594,177", "1,000", "1.2 million", "24576", "1e9", "1"],
    "date": ["", "2025-01-01", "2024-03-12", "1999-12-31"],
    "energy_budget": ["1 GW", "300 MW", "10 MW", "10 GW"],
    "budget": ["1 GW", "300 MW", "10 GW", "10 MW", "2.5 GW", "1,000 MW"],
    "run_flop": ["3.8e25 FLOP", "1e24", "38 YFLOP", "2e26 FLOP"],
    "train_parameters": ["405B", "70e9", "8 billion", "1T"],
    "train_tokens": ["15.6T", "2T", "1e12", "300 billion"],
    "train_flop": ["3.8e25 FLOP", "1e23", "5e26"],
    "heat_level": ["1 GW", "100 MW", "5 GW", "1 kW"],
    "keep_name": ["Plan A", "Plan A", "", "Colossus", "x" * 80],
}
HOSTILE_TEXT = [
    "nan", "inf", "-inf", "NaN W", "Infinity", "1e400", "-1e400", "0", "-5", "1e-320", "1e308", "abc", "1 GWh", "1 mW",
    "1,00,000", "1.2.3", "<script>alert(1)</script>", "**bold** _x_ [link](http://x)", "<b>", "$1", "$$x$$",
    "\u202e\u0661\u0662", "１ GW", "1 ㎿", "  ", "\t", "💥", "1" * 400, "9" * 5000, "1 GW" * 200, "\x00", "1e5 years",
    "90 days ago", "1 x 10^25", "−3 h",
]
NUMBER_EDGES = [0, 1e-9, 1e-300, 5e-324]
BUTTONS = ["keep_button", "reset_presets", "fill_missing", "load_button", "remove_button", "upload_open",
           "dismiss_link_notice"]
RADIO_VALUES = {"train_mode": ["size", "flop"], "energy_basis": ["fleet", "budget"]}
UPLOADS = [
    ("plan.toml", io.dumps(Scenario(gpus=16_384, gpu_watts=700, server_overhead=1.8, pue=1.1, hours=1296), "toml",
                           name="Llama run")),
    ("plan.json", io.dumps(Scenario(gpus=1e6, gpu_watts=1200, server_overhead=1.7, pue=1.3, mfu=0.4), "json",
                           name="Plan A")),
    ("noserver.toml", "gpus = 1000\ngpu_watts = 700\n"),
    ("preset.toml", 'accelerator = "gb200"\nmethodology = "nameplate"\nsite = "industry-average"\ngpus = "200k"\n'),
    ("bad.toml", "gpus = nan\ngpu_watts = 700\n"),
    ("bad.json", '{"gpus": 1, "gpu_watts": 700, "pue": 0.5}'),
    ("junk.toml", "\x80\x81 not a scenario"),
    ("array.toml", "gpus = [1, 2]\ngpu_watts = 700\n"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _walk(node: Any):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def _is_finite_text(text: str) -> bool:
    return NON_FINITE.search(text) is None


def shown_problems(at: AppTest) -> list[str]:
    """Figures on screen that read NaN or infinity, each with where it was."""
    problems: list[str] = []
    user_names = set(at.session_state["kept"]) if "kept" in at.session_state else set()
    texts = [("metric", f"{m.label}: {m.value}") for m in at.metric]
    for kind in ("title", "header", "subheader", "caption", "markdown", "latex", "code"):
        texts += [(kind, e.value) for e in getattr(at, kind)]
    for kind, text in texts:
        for name in user_names:  # a kept scenario's name is the user's own text
            text = text.replace(name, "")
        if not _is_finite_text(text):
            problems.append(f"{kind}: {text[:200]!r}")
    for table in at.dataframe:
        frame = table.value
        for column in frame.columns:
            for cell in frame[column]:
                if isinstance(cell, float | np.floating) and not math.isfinite(cell):
                    problems.append(f"table {table.key or ''} [{column}]: {cell!r}")
                elif isinstance(cell, str) and cell not in user_names and not _is_finite_text(cell):
                    problems.append(f"table {table.key or ''} [{column}]: {cell!r}")
    for chart in (e for e in _walk(at._tree) if getattr(e, "type", "") == "vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frame = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            for column in frame.columns:
                values = frame[column]
                if values.dtype.kind == "f" and not np.isfinite(values.to_numpy()).all():
                    problems.append(f"chart {chart.proto.id[:8]} [{column}]: non-finite value")
                elif values.dtype.kind == "O":
                    bad = [v for v in values if isinstance(v, str) and v not in user_names and not _is_finite_text(v)]
                    if bad:
                        problems.append(f"chart {chart.proto.id[:8]} [{column}]: {bad[:3]!r}")
    return problems


def check(at: AppTest, history: list[str]) -> None:
    where = "\n  ".join(history[-12:])
    assert not at.exception, f"{[e.value for e in at.exception]}\nafter:\n  {where}"
    for box in at.error:
        assert box.value.strip() and "Traceback" not in box.value, box.value
    problems = shown_problems(at)
    assert not problems, f"{problems}\nafter:\n  {where}"


def _number(rng: random.Random, widget) -> float | int | None:
    low = widget.min if widget.min is not None else -1e12
    high = widget.max if widget.max is not None else 1e12
    roll = rng.random()
    if roll < 0.1:
        value: float = low
    elif roll < 0.2:
        value = high
    elif roll < 0.25:
        value = min(max(rng.choice(NUMBER_EDGES), low), high)
    elif low > 0 and roll < 0.7:
        value = math.exp(rng.uniform(math.log(low), math.log(high)))
    else:
        value = rng.uniform(low, high)
    if widget.proto.data_type == widget.proto.DataType.INT:
        return round(value)
    if widget.value is None or rng.random() < 0.05:  # an optional input left empty, or emptied
        return None if rng.random() < 0.5 else value
    return value


def _text(rng: random.Random, key: str) -> str:
    pool = VALID_TEXT.get(key, [])
    if pool and rng.random() < 0.6:
        return rng.choice(pool)
    return rng.choice(HOSTILE_TEXT)


def select_values(at: AppTest, widget) -> list[Any]:
    """The values behind a selectbox's labels (AppTest's select_index passes the label, not the value)."""
    candidates = [*catalog.accelerators(), *catalog.methodologies(), *catalog.sites(), "none", "bf16", "fp8",
                  *sweep.CHAIN_FIELDS, "facility_power_w", "average_facility_power_w", "it_power_w",
                  *(at.session_state["kept"] if "kept" in at.session_state else ())]
    labels = set(widget.options)
    return [v for v in candidates if str(widget.format_func(v)) in labels] or [widget.value]


def random_setting(rng: random.Random, at: AppTest) -> str:
    """Change one widget (or click one button, or upload one file) and say what was done."""
    choices: list[tuple[str, Any]] = []
    choices += [("number", w) for w in at.number_input if w.key]
    choices += [("text", w) for w in at.text_input if w.key]
    choices += [("select", w) for w in at.selectbox if w.key]
    choices += [("multi", w) for w in at.multiselect if w.key]
    choices += [("slider", w) for w in at.slider if w.key]
    choices += [("radio", w) for w in at.radio if w.key in RADIO_VALUES]
    choices += [("button", w) for w in at.button if w.key in BUTTONS or (w.key or "").startswith("reset_")]
    choices += [("upload", w) for w in at.file_uploader if w.key]
    choices = [(k, w) for k, w in choices if not getattr(w, "disabled", False)]  # as a person cannot
    kind, widget = rng.choice(choices)
    if kind == "number":
        value: Any = _number(rng, widget)
        widget.set_value(value)
    elif kind == "text":
        value = _text(rng, widget.key)
        widget.set_value(value)
    elif kind == "select":
        value = rng.choice(select_values(at, widget))
        widget.set_value(value)
    elif kind == "multi":
        options = [float(o) for o in widget.options]
        value = rng.sample(options, rng.randint(0, len(options)))
        widget.set_value(value)
    elif kind == "slider":
        value = rng.uniform(widget.min, widget.max)
        if widget.proto.data_type == widget.proto.DataType.INT:
            value = round(value)
        widget.set_value(value)
    elif kind == "radio":
        value = rng.choice(RADIO_VALUES[widget.key])
        widget.set_value(value)
    elif kind == "button":
        value = "click"
        widget.click()
    else:
        name, content = rng.choice(UPLOADS)
        value = name
        widget.set_value((name, content.encode("utf-8", "surrogateescape"), "application/octet-stream"))
    return f"{kind} {widget.key} = {value!r:.80}"


@pytest.mark.parametrize("page_name", PAGES)  # not "page": pytest-playwright owns that fixture name
def test_random_widget_settings(page_name):
    page = page_name
    rng = random.Random(f"{SEED}-{page}")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page != "fleet":
        at.switch_page(f"app_pages/{page}.py").run()
    history = [f"seed {SEED}, page {page}"]
    check(at, history)
    for step in range(RERUNS_PER_PAGE):
        for _ in range(rng.randint(1, 3)):
            history.append(f"step {step}: {random_setting(rng, at)}")
        at.run()
        check(at, history)


LINK_PARAMS = (*(f.name for f in fields.INPUTS), *(p.param for p in common.PAGE_INPUTS))
TAMPERED_VALUES = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1", "0", "-0", "", " ", "1e15", "1e-320",
                   "0x10", "1_000", "1,000", "100k", "700 W", "１０", "true", "None", "[1,2]", "<b>1</b>",
                   "**1**", "1" * 5000, "1e308", "\u0000", "%00", "💥", "0.5", "0.999", "10", "10.0000001",
                   "90 days", "1 GW", "fp8", "1.1,2", "gpus"]
TAMPERED_KEYS = ["PUE", "gpu-watts", "gpus ", "foo", "__proto__", "accelerator[]", "", "hours\x00", "utm_source",
                 "fbclid", "explorer.budgett", "uncertainty.low.pue", "uncertainty.high.nope"]
#: A typed value in range for its sidebar input, per field.
RANGES = {"gpus": (1, 1e9), "gpu_watts": (1, 1e6), "server_overhead": (1, 10), "network_overhead": (1, 10),
          "pue": (1, 10), "utilization": (0.01, 1), "mfu": (0.01, 1), "hours": (0.01, 1e6),
          "peak_flop_per_s": (1e9, 1e18), "electricity_price": (0, 1000), "carbon_intensity": (0, 10),
          "wue": (0, 100)}
PAGE_VALUES = {"explorer.budget": ["300 MW", "1 GW", "2.5 GW"], "explorer.days": ["30", "365"],
               "sweeps.pues": ["1.1,2", "", "1.54"], "sweeps.x": ["gpu_watts", "utilization"],
               "training.mode": ["flop"], "training.flop": ["1e26 FLOP"], "energy.basis": ["budget"],
               "uncertainty.samples": ["10000"], "uncertainty.seed": ["7"], "compare.diff_only": ["true"],
               "fleet.job_share": ["50"]}


def random_state(rng: random.Random) -> tuple[dict, dict, dict]:
    """Presets, typed values (each in its input's range, or emptied) and page inputs, as a link writes them."""
    part = rng.choice(sorted(catalog.accelerators()))
    fp8 = catalog.accelerator(part).peak_flop_per_s_fp8 is not None
    presets = {"accelerator": part, "methodology": rng.choice(sorted(catalog.methodologies())),
               "site": rng.choice([None, *sorted(catalog.sites())]),
               "precision": rng.choice(["bf16", "fp8"] if fp8 else ["bf16"])}
    typed: dict[str, float | None] = {}
    for name, (low, high) in RANGES.items():
        roll = rng.random()
        if roll < 0.4:
            typed[name] = float(rng.choice([low, high, rng.uniform(low, high)]))
            if name == "gpus" and rng.random() < 0.5:
                typed[name] = float(round(typed[name]))
        elif roll < 0.45 and fields.FIELDS[name].optional:
            typed[name] = None
    extra = {k: rng.choice(v) for k, v in PAGE_VALUES.items() if rng.random() < 0.4}
    return presets, typed, extra


def tamper(rng: random.Random, params: dict[str, str]) -> dict[str, str]:
    params = dict(params)
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.5:
            params[rng.choice(LINK_PARAMS)] = rng.choice(TAMPERED_VALUES)
        elif roll < 0.65 and params:
            del params[rng.choice(sorted(params))]
        elif roll < 0.8:
            params[rng.choice(TAMPERED_KEYS)] = rng.choice(TAMPERED_VALUES)
        else:
            params[rng.choice(["accelerator", "methodology", "site", "precision", "date"])] = rng.choice(
                ["H100-SXM", "h100", "", "fp16", "../../etc/passwd", "<script>", "nameplate", "gb200", "none",
                 "fp8", "2025-13-01", "2024-03-12"])
    return params


@pytest.mark.parametrize("chunk", range(4))
def test_random_and_tampered_addresses(chunk):
    """Each address: no exception and no NaN shown; what it holds is applied exactly, less only the values
    that cannot be used (each named in a warning)."""
    rng = random.Random(f"{SEED}-address-{chunk}")
    for i in range(ADDRESSES // 4):
        presets, typed, extra = random_state(rng)
        params = links.write(presets, typed, extra)
        tampered = rng.random() < 0.7
        if tampered:
            params = tamper(rng, params)
        page = rng.choice(PAGES)
        at = AppTest.from_file(APP, default_timeout=30)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        warned = any("could not be used" in w.value for w in at.warning)
        history = [f"seed {SEED}, address {chunk}.{i} on {page}: {params!r:.600}"]
        check(at, history)
        if page != "fleet":
            at.switch_page(f"app_pages/{page}.py").run()
            check(at, history)
        expected = links.read(params, common._link_extra(), common.check_widget)
        if not tampered:
            assert not warned, [w.value for w in at.warning]
            assert expected.values == typed
        assert warned == bool(expected.problems), history[0]
        # Restored exactly: the typed values are the link's, less the dropped ones (and, for a link that
        # records preset values without the current catalogue's version, those values as it recorded them).
        assert at.session_state["_typed"] == {**expected.catalogue.pinned, **expected.values}, history[0]
        for param, text in expected.extra.items():
            if param in common.PAGE_PARAMS:
                p = common.PAGE_PARAMS[param]
                assert at.session_state[p.key] == p.read(text), (param, history[0])


def test_every_input_at_its_maximum_on_every_page():
    """The sidebar's largest values are valid (Scenario accepts them): every page must still draw."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for widget in at.number_input:
        if widget.max is not None and widget.key in ("gpu_watts", "server_overhead", "network_overhead",
                                                     "pue", "utilization", "mfu", "peak_flop_per_s"):
            widget.set_value(widget.max)
    at.text_input(key="gpus").set_value("1e9")
    at.run()
    for page in PAGES:
        if page != "fleet":
            at.switch_page(f"app_pages/{page}.py").run()
        check(at, [f"every sidebar input at its maximum, page {page}"])


def test_every_input_at_its_minimum_on_every_page():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for widget in at.number_input:
        if widget.min is not None and widget.key in ("gpu_watts", "server_overhead", "network_overhead",
                                                     "pue", "utilization", "mfu", "peak_flop_per_s",
                                                     "electricity_price", "carbon_intensity", "wue"):
            widget.set_value(widget.min)
    at.text_input(key="gpus").set_value("1")
    at.text_input(key="hours").set_value("1 s")
    at.run()
    for page in PAGES:
        if page != "fleet":
            at.switch_page(f"app_pages/{page}.py").run()
        check(at, [f"every sidebar input at its minimum, page {page}"])
