"""The same question at every door gets the same answer.

Each question (a fleet → its power and energy over a period; a power budget →
the fleet it holds; a training run → its time; a deadline → the fleet and
power it needs) is asked through the library (``Scenario.from_accelerator`` and
the tables every door shows), the command line (``--format json``), a scenario
file (``estimator run``), a share link (``links.write`` → ``links.read``) and
the dashboard (AppTest, the same link). Machine doors must agree exactly; the
dashboard must show the library's number to its last shown digit (the one
formatter, ``units.format_value``).
"""

from __future__ import annotations

import contextlib
import io as stdio
import json
import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from estimator import cli, estimate, fields, links, resolve, tables, units
from estimator.scenario import Scenario

APP = str(Path(__file__).resolve().parents[1] / "app.py")
RTOL = 1e-12  # machine doors: the same float64 arithmetic, so agreement to rounding


@dataclass(frozen=True)
class Question:
    """One question: presets, the user's values, and what is asked."""

    kind: str  # "power", "fit", "train", "deadline"
    presets: dict[str, str]
    values: dict[str, float] = field(default_factory=dict)
    budget_w: float | None = None  # fit
    flop: float | None = None  # train, deadline
    days: float | None = None  # deadline

    @property
    def id(self) -> str:
        named = "-".join(v for v in self.presets.values())
        extra = "-".join(f"{k}{v:g}" for k, v in self.values.items() if k != "gpus")
        return f"{self.kind}-{named}-{extra}".strip("-")


YEAR = {"hours": 8760.0, "electricity_price": 0.08, "carbon_intensity": 0.4, "wue": 0.3}
ACCELERATORS = ["h100-sxm", "h200", "a100-sxm", "b200", "gb200", "mi300x", "tpu-v5p"]
METHODOLOGIES = ["neutral", "nameplate", "epoch-ai", "epoch-ai-gpu-share", "semianalysis"]
SITES = ["google-fleet", "meta-fleet", "microsoft-fleet", "industry-average", "us-hyperscale-2025",
         "llama3-training"]

QUESTIONS: list[Question] = [
    # fleet → power and a year's energy, cost, emissions, water: every accelerator, the default methodology
    *[Question("power", {"accelerator": a}, {"gpus": 24_576.0, **YEAR}) for a in ACCELERATORS],
    # every methodology, and every site, on the H100
    *[Question("power", {"accelerator": "h100-sxm", "methodology": m}, {"gpus": 100_000.0, **YEAR, "mfu": 0.4})
      for m in METHODOLOGIES],
    *[Question("power", {"accelerator": "h100-sxm", "site": site}, {"gpus": 100_000.0, "hours": 2160.0})
      for site in SITES],
    # the user's own values on top of presets; FP8
    Question("power", {"accelerator": "gb200", "methodology": "nameplate"},
             {"gpus": 72_000.0, "pue": 1.15, "utilization": 0.8, "hours": 8760.0, "electricity_price": 0.05}),
    Question("power", {"accelerator": "b200", "precision": "fp8"}, {"gpus": 50_000.0, "mfu": 0.3, "hours": 720.0}),
    Question("power", {"accelerator": "h100-sxm", "precision": "fp8", "site": "meta-fleet"},
             {"gpus": 16_384.0, "gpu_watts": 650.0, "mfu": 0.35, "hours": 1296.0}),
    # budget → fleet: every accelerator at 1 GW (default methodology), other budgets and methodologies
    *[Question("fit", {"accelerator": a}, {"mfu": 0.4, "hours": 2160.0}, budget_w=1e9) for a in ACCELERATORS],
    *[Question("fit", {"accelerator": "h100-sxm", "methodology": m}, {"mfu": 0.4, "hours": 2160.0}, budget_w=150e6)
      for m in ("epoch-ai", "semianalysis")],
    Question("fit", {"accelerator": "b200", "precision": "fp8", "site": "google-fleet"}, {"mfu": 0.3},
             budget_w=5e9),
    # training run → time, and its inverse: deadline → fleet and facility power
    Question("train", {"accelerator": "h100-sxm"}, {"gpus": 16_384.0, "mfu": 0.41}, flop=3.8e25),
    Question("train", {"accelerator": "h100-sxm", "methodology": "epoch-ai"}, {"gpus": 24_576.0}, flop=3.8e25),
    Question("train", {"accelerator": "b200", "precision": "fp8"}, {"gpus": 100_000.0, "mfu": 0.3}, flop=3e26),
    Question("train", {"accelerator": "gb200", "site": "llama3-training"},
             {"gpus": 72_000.0, "mfu": 0.4, "carbon_intensity": 0.4, "electricity_price": 0.08}, flop=1e26),
    Question("deadline", {"accelerator": "h100-sxm"}, {"mfu": 0.4}, flop=3.8e25, days=90.0),
    # goodput (Llama 3 paper, section 3.3.4: higher than 90% effective training time) slows the run at every door
    Question("train", {"accelerator": "h100-sxm", "site": "llama3-training"},
             {"gpus": 16_384.0, "mfu": 0.41, "goodput": 0.9}, flop=3.8e25),
    Question("deadline", {"accelerator": "h100-sxm"}, {"mfu": 0.41, "goodput": 0.5}, flop=3.8e25, days=90.0),
    Question("deadline", {"accelerator": "gb200", "methodology": "semianalysis"}, {"mfu": 0.4}, flop=1e27,
             days=120.0),
    Question("deadline", {"accelerator": "mi300x", "precision": "fp8"}, {"mfu": 0.3}, flop=5e25, days=30.0),
    Question("deadline", {"accelerator": "tpu-v5p", "methodology": "epoch-ai"}, {}, flop=2e25, days=60.0),
    # serving: energy per token and per query, queries a day (load factor given, and defaulting to utilization)
    Question("power", {"accelerator": "h100-sxm"},
             {"gpus": 100_000.0, "utilization": 0.6, "tokens_per_s_per_gpu": 3000.0, "tokens_per_query": 500.0,
              "load_factor": 0.5, **YEAR}),
    Question("power", {"accelerator": "b200", "methodology": "epoch-ai"},
             {"gpus": 50_000.0, "tokens_per_s_per_gpu": 5000.0, "tokens_per_query": 500.0,
              "input_tokens_per_query": 10_000.0, "prefill_tokens_per_s_per_gpu": 40_000.0, "hours": 720.0}),
    # money, racks and provisioning: 2N power equipment, 20 % headroom ($40k and $12/W illustrative, 2°)
    Question("power", {"accelerator": "h100-sxm"},
             {"gpus": 100_000.0, "hours": 8760.0, "electricity_price": 0.08, "accelerator_cost": 40_000.0,
              "facility_cost_per_w": 12.0, "hardware_life_years": 5.0, "facility_life_years": 20.0,
              "redundancy": 2.0, "headroom": 0.2}),
    # a methodology and a site together: the site's PUE wins
    Question("power", {"accelerator": "a100-sxm", "methodology": "epoch-ai", "site": "microsoft-fleet"},
             {"gpus": 10_000.0, **YEAR}),
    Question("train", {"accelerator": "tpu-v5p", "methodology": "epoch-ai", "site": "google-fleet"},
             {"gpus": 8_960.0}, flop=5e24),
]


def test_the_matrix_is_large_enough():
    assert len(QUESTIONS) >= 40
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


# --------------------------------------------------------------------------- the library's answers

def library(q: Question) -> dict[str, float | None]:
    gpus = q.values.get("gpus", 1.0)
    rest = {k: v for k, v in q.values.items() if k != "gpus"}
    s = Scenario.from_accelerator(q.presets["accelerator"], gpus=gpus,
                                  **{k: v for k, v in q.presets.items() if k != "accelerator"}, **rest)
    if q.kind == "power":
        return {k: v for k, v in estimate(s).to_dict().items() if v is not None}
    if q.kind == "fit":
        t = tables.budget_fleet(q.budget_w, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                                s.peak_flop_per_s, s.mfu, s.hours)
        return {k: float(v) for k, v in t.items() if v is not None}
    if q.kind == "train":
        return {k: float(v) for k, v in tables.training_run(s, q.flop).items() if v is not None}
    seconds = units.to_unit(q.days, "s", from_unit="days")
    return {k: float(v) for k, v in tables.training_fleet(s, q.flop, seconds).items() if v is not None}


# --------------------------------------------------------------------------- command line and files

def _cli_json(argv: list[str]) -> object:
    out, err = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([*argv, "--format", "json"])
    assert status == 0, err.getvalue()
    return json.loads(out.getvalue())


def _options(presets: dict[str, str], values: dict[str, float]) -> list[str]:
    argv = []
    for key, value in presets.items():
        argv += ["--" + key, value]
    for key, value in values.items():
        argv += ["--" + key.replace("_", "-"), repr(value)]
    return argv


def _results(document: object) -> dict[str, float]:
    record = document[0] if isinstance(document, list) else document
    return record["results"]


def command_line(q: Question) -> dict[str, float]:
    if q.kind == "power":
        return _results(_cli_json(["power", *_options(q.presets, q.values)]))
    if q.kind == "fit":
        return _results(_cli_json(["fit", "--power", repr(q.budget_w), *_options(q.presets, q.values)]))
    if q.kind == "train":
        return _results(_cli_json(["train", "--flop", repr(q.flop), *_options(q.presets, q.values)]))
    return _results(_cli_json(["train", "--flop", repr(q.flop), "--days", repr(q.days),
                               *_options(q.presets, q.values)]))


def _check(expected: dict[str, float | None], got: dict[str, float], names: list[str]) -> None:
    for name in names:
        assert name in got, (name, sorted(got))
        assert_allclose(got[name], expected[name], rtol=RTOL, err_msg=name)


ANSWERS = {
    "power": ["facility_power_w", "average_facility_power_w", "it_power_w", "watts_per_gpu", "energy_wh", "cost",
              "emissions_kg", "water_l", "peak_cluster_flop_per_s", "sustained_flop_per_s", "flop_in_period",
              "energy_per_token_j", "energy_per_query_wh", "queries_per_day",
              "capex", "facility_capex", "total_cost", "grid_connection_w", "racks", "rack_power_w"],
    "fit": ["gpus", "peak_cluster_flop_per_s", "sustained_flop_per_s", "flop_in_period"],
    "train": ["training_time_s", "gpu_hours", "facility_power_w", "energy_wh", "cost", "emissions_kg"],
    "deadline": ["gpus", "facility_power_w", "gpu_hours"],
}


def _asked(q: Question, expected: dict[str, float | None]) -> list[str]:
    return [n for n in ANSWERS[q.kind] if expected.get(n) is not None]


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_command_line_equals_library(q):
    expected = library(q)
    _check(expected, command_line(q), _asked(q, expected))


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.kind == "power"], ids=lambda q: q.id)
def test_scenario_file_equals_library(q, tmp_path):
    lines = [f'{k} = "{v}"' for k, v in q.presets.items()] + [f"{k} = {v!r}" for k, v in q.values.items()]
    path = tmp_path / "question.toml"
    path.write_text("\n".join(lines) + "\n")
    expected = library(q)
    _check(expected, _results(_cli_json(["run", str(path)])), _asked(q, expected))


# --------------------------------------------------------------------------- links and the dashboard

def _link(q: Question) -> dict[str, str]:
    extra = {}
    if q.kind == "fit":
        extra["explorer.budget"] = units.format_value(q.budget_w, "W").replace(" ", "")
    elif q.kind in ("train", "deadline"):
        extra.update({"training.mode": "flop", "training.flop": repr(q.flop)})
        if q.days is not None:
            extra["training.days"] = repr(q.days)
    values = {"gpus": 1.0, **q.values} if q.kind in ("fit", "deadline") else dict(q.values)
    return links.write({"methodology": resolve.DEFAULT_METHODOLOGY, **q.presets}, values, extra)


@pytest.mark.parametrize("q", [q for q in QUESTIONS if q.kind == "power"], ids=lambda q: q.id)
def test_link_equals_library(q):
    state = links.read(_link(q))
    assert not state.problems and not state.unknown
    r = resolve.resolve(values=state.values, **state.presets)
    got = {k: v for k, v in estimate(Scenario(**r.values)).to_dict().items() if v is not None}
    expected = library(q)
    _check(expected, got, _asked(q, expected))


def _dashboard(q: Question):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in _link(q).items():
        at.query_params[key] = value
    at.run()
    page = {"power": "energy", "fit": "explorer", "train": "training", "deadline": "training"}[q.kind]
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at, key: str) -> dict[str, str]:
    return {m.label: m.value for m in at.get_by_key(key).metric}


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: q.id)
def test_dashboard_shows_the_library_answer(q):
    import streamlit as st

    st.cache_data.clear()
    expected = library(q)
    at = _dashboard(q)
    f = units.format_value
    if q.kind == "power":
        shown = {**_metrics(at, "kpis_energy"), **_metrics(at, "kpis_impact")}
        assert shown[fields.label("average_facility_power_w")] == f(expected["average_facility_power_w"], "W")
        assert shown[fields.label("energy_wh")] == f(expected["energy_wh"], "Wh")
        assert shown[fields.label("cost")] == f(expected.get("cost"), "currency")
        assert shown[fields.label("emissions_kg")] == f(expected.get("emissions_kg"), "kg CO2e")
        assert shown[fields.label("water_l")] == f(expected.get("water_l"), "L")
    elif q.kind == "fit":
        shown = _metrics(at, "kpis_budget")
        assert shown[fields.label("gpus")] == f(expected["gpus"], "count")
        assert shown[fields.label("sustained_flop_per_s")] == f(expected.get("sustained_flop_per_s"), "FLOP/s")
    elif q.kind == "train":
        shown = {**_metrics(at, "kpis_run"), **_metrics(at, "kpis_run_energy")}
        assert shown[fields.label("training_time_s")] == f(expected["training_time_s"], "s")
        assert shown[fields.label("gpu_hours")] == f(expected["gpu_hours"], "GPU-h")
        assert shown[fields.label("energy_wh")] == f(expected["energy_wh"], "Wh")
    else:
        shown = _metrics(at, "kpis_inverse")
        assert shown[fields.label("gpus")] == f(expected["gpus"], "count")
        assert shown[fields.label("facility_power_w")] == f(expected["facility_power_w"], "W")
