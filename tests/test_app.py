"""Dashboard tests with Streamlit's AppTest (no browser): every page runs, shows the library's numbers,
and turns bad input into a message rather than a traceback.

Widgets are found by key; figures are compared with the library's results for the same inputs,
formatted with the same estimator.units functions the pages use.
"""

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import datetime
import json
import math
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import estimator
from app_pages.common import METRIC_LABELS
from estimator import catalog, fields, io, links, sweep, tables, units
from estimator.scenario import Scenario, preset_assumptions

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["fleet", "explorer", "sweeps", "energy", "training", "uncertainty", "compare"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _run(page: str | None = None, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != "fleet":
        at.switch_page(f"app_pages/{page}.py").run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _metrics(at: AppTest, key: str) -> dict[str, str]:
    return {m.label: m.value for m in at.get_by_key(key).metric}


def _table(at: AppTest, key: str):
    return at.get_by_key(key).dataframe[0].value


def _assumptions(at: AppTest):
    """The assumptions table, opening its panel first (its contents are built only while it is open)."""
    if not at.session_state["assumptions_panel"]:
        at.session_state["assumptions_panel"] = True
        at.run()
        _ok(at)
    return _table(at, "assumptions_table")


def _has(at: AppTest, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def _params(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def _own(params: dict[str, str]) -> dict[str, str]:
    """A link's parameters less the catalogue's record of its preset values (tests/test_links.py)."""
    return {k: v for k, v in params.items() if k != "catalog" and not k.startswith(links.RECORDED_PREFIX)}


def _texts(elements) -> list[str]:
    # Messages are shown with Markdown escaped; undo the escaping to read them.
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def _default(**changes) -> Scenario:
    """The dashboard's starting scenario: H100, nameplate methodology, 100,000 accelerators, MFU 0.4, a year."""
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 100_000, "mfu": 0.4,
                       "hours": 8760, **changes})


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    at = _run(page)
    assert not at.error
    assert at.title[0].value
    assert at.get_by_key("accelerator").value == "h100-sxm"


#: The pages that show metrics (sweeps and compare show tables and charts only).
METRIC_PAGES = ["fleet", "explorer", "energy", "training", "serving", "uncertainty", "campus"]


def _is_non_field_label(label: str) -> bool:
    """Whether a label is one of the dashboard's non-field labels (a ``{}`` in one stands for any text)."""
    return any(re.fullmatch(".+".join(re.escape(part) for part in known.split("{}")), label)
               for known in METRIC_LABELS.values())


@pytest.mark.parametrize("page", METRIC_PAGES)
def test_every_metric_label_is_a_registry_label_or_a_named_non_field_label(page):
    # Default inputs, plus a throughput and tokens per query so that the serving rows are drawn too.
    at = _run(page, {"tokens_per_s_per_gpu": "3000", "tokens_per_query": "500"})
    labels = [m.label for m in at.metric]
    assert labels, f"no metric on the {page} page"
    registry = {f.label for f in fields.FIELDS.values()}
    strays = [label for label in labels if label not in registry and not _is_non_field_label(label)]
    assert not strays, f"{page}: labels neither a field's (estimator.fields) nor in common.METRIC_LABELS: {strays}"


def test_non_field_labels_are_not_registry_labels():
    # A field's label belongs in the registry only: a non-field label that spells one would name two things.
    registry = {f.label for f in fields.FIELDS.values()}
    assert not registry & set(METRIC_LABELS.values())
    assert len(set(METRIC_LABELS.values())) == len(METRIC_LABELS)


@pytest.mark.parametrize("page", PAGES)
def test_page_bad_period_shows_error_not_exception(page):
    at = _run(page)
    at.text_input(key="hours").set_value("forever").run()
    _ok(at)
    assert any("Period (hours) = 'forever'" in t for t in _texts(at.sidebar.error)), _texts(at.error)
    # The page says plainly that what needs the period is not shown.
    assert any("Period (hours): results that need it are not shown" in t for t in _texts(at.warning))


# --------------------------------------------------------------------------- fleet → power

def test_fleet_default_figures_equal_library():
    at = _run()
    r = estimator.estimate(_default())
    shown = {**_metrics(at, "kpis_power"), **_metrics(at, "kpis_draw")}
    assert shown[fields.label("accelerator_power_w")] == units.format_power(r.accelerator_power_w)
    assert shown[fields.label("server_power_w")] == units.format_power(r.server_power_w)
    assert shown[fields.label("it_power_w")] == units.format_power(r.it_power_w)
    assert shown[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)
    assert shown[fields.label("average_facility_power_w")] == units.format_power(r.average_facility_power_w)
    assert shown[fields.label("watts_per_gpu")] == units.format_power(r.watts_per_gpu)
    assert shown[fields.label("share_of_gigawatt")] == units.format_value(r.facility_power_w / 1e9, "%")
    # DESIGN.md worked example: 1 GW holds about 595,000 H100
    fit = estimator.gpus_for_power(1e9, 700, preset_assumptions("h100-sxm")["server_overhead"], 1.1, 1.2,
                                   whole=True)
    assert shown[fields.label("gpus_per_gigawatt")] == units.format_count(fit)


def test_fleet_equivalents_caption_is_the_library_s():
    at = _run()
    caption = at.get_by_key("fleet_equivalents").caption[0].value
    expected = estimator.equivalents(average_power_w=estimator.estimate(_default()).average_facility_power_w)
    assert caption.startswith("Equivalences, not measurements: ")
    assert all(e["text"] in caption for e in expected)


def test_fleet_overrides_change_figures():
    at = _run()
    at.text_input(key="gpus").set_value("24,576")
    at.number_input(key="pue").set_value(1.1)
    at.number_input(key="utilization").set_value(0.75).run()
    _ok(at)
    r = estimator.estimate(_default(gpus=24_576, pue=1.1, utilization=0.75))
    shown = {**_metrics(at, "kpis_power"), **_metrics(at, "kpis_draw")}
    assert shown[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)
    assert shown[fields.label("average_facility_power_w")] == units.format_power(r.average_facility_power_w)
    assert at.query_params["gpus"] == "24576"
    assert at.query_params["pue"] == "1.1"


def test_fleet_load_swing_formula():
    at = _run()
    at.text_input(key="gpus").set_value("24576")
    at.slider(key="idle_fraction").set_value(0.1)
    at.slider(key="job_share").set_value(50).run()
    _ok(at)
    shown = _metrics(at, "kpis_swing")
    s = _default(gpus=24_576)
    swing = estimator.power.load_swing(24_576, 700, 0.1, 0.5, server_overhead=s.server_overhead, pue=s.pue)
    alone = estimator.load_swing_w(24_576 * 0.5, 700, 0.1)
    assert shown[fields.label("accelerator_w")] == units.format_power(alone)
    assert shown[fields.label("swing_w")] == units.format_power(swing["swing_w"])
    assert shown[fields.label("step_w")] == units.format_power(swing["step_w"])
    assert shown[fields.label("job_gpus")] == units.format_count(12_288)
    assert at.latex  # the formula is on the page
    assert at.get_by_key("chart_swing").get("vega_lite_chart")
    sources = at.get_by_key("table_swing_assumptions").dataframe[0].value["Source"]
    assert any("80 PLUS" in text for text in sources)


def test_breakdown_chart_present():
    at = _run()
    assert at.get_by_key("chart_breakdown") is not None


# --------------------------------------------------------------------------- presets

def test_preset_change_fills_inputs_and_keeps_fleet():
    at = _run()
    at.text_input(key="gpus").set_value("50k").run()
    at.selectbox(key="accelerator").set_value("b200").run()
    _ok(at)
    part = catalog.accelerator("b200")
    assert at.number_input(key="gpu_watts").value == part.gpu_watts.value
    assert at.number_input(key="server_overhead").value == part.server_overhead.value
    assert at.number_input(key="peak_flop_per_s").value == pytest.approx(part.peak_flop_per_s.value / 1e12)
    assert at.text_input(key="gpus").value == "50,000"
    r = estimator.estimate(Scenario(**{**preset_assumptions("b200", "nameplate"), "gpus": 50_000}))
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)


def test_methodology_and_site_presets():
    at = _run()
    at.selectbox(key="methodology").set_value("epoch-ai").run()
    assert at.number_input(key="pue").value == 1.1
    assert at.number_input(key="utilization").value == 0.75
    assert at.number_input(key="mfu").value == 0.375
    at.selectbox(key="site").set_value("us-hyperscale-2025").run()
    _ok(at)
    assert at.number_input(key="electricity_price").value == pytest.approx(0.0826)
    at.selectbox(key="site").set_value("meta-fleet").run()
    _ok(at)
    # the price came from the previous site preset, so it is cleared, not carried over
    assert at.number_input(key="electricity_price").value is None
    assert at.number_input(key="wue").value == pytest.approx(0.26)
    assert at.number_input(key="pue").value == pytest.approx(1.08)


def test_typed_value_survives_site_change_and_reset_restores_presets():
    at = _run()
    at.number_input(key="electricity_price").set_value(0.05).run()
    at.selectbox(key="site").set_value("meta-fleet").run()
    assert at.number_input(key="electricity_price").value == pytest.approx(0.05)
    at.number_input(key="pue").set_value(1.5).run()
    assert any("pue" in c.value for c in at.sidebar.caption)
    at.button(key="reset_presets").click().run()
    _ok(at)
    assert at.number_input(key="pue").value == pytest.approx(1.08)
    assert at.number_input(key="electricity_price").value is None


def test_assumptions_table_lists_sources():
    at = _run()
    table = _assumptions(at)
    row = table[table["Assumption"].str.startswith("Server overhead")].iloc[0]
    assert "DGX H100" in row["Source"]
    assert row["Status"] == "accelerator preset (h100-sxm)"
    assert set(table["Confirmed"]) >= {"yes"}
    pue = table[table["Assumption"] == "PUE"].iloc[0]
    assert pue["Status"] == "default methodology (nameplate)"
    mfu = table[table["Assumption"] == "MFU"].iloc[0]
    assert mfu["Status"] == "dashboard prefill" and "arXiv:2407.21783" in mfu["Source"]
    assert "not a preset" in mfu["Source"]
    at.number_input(key="gpu_watts").set_value(650.0).run()
    table = _assumptions(at)
    row = table[table["Assumption"].str.startswith("Accelerator power")].iloc[0]
    assert row["Status"] == "yours (preset 700 W)"


def test_assumptions_panel_is_built_only_while_open():
    at = _run()
    assert at.session_state["assumptions_panel"] is False
    assert not any(e.key == "assumptions_table" for e in at.dataframe)
    table = _assumptions(at)
    assert len(table) == len(Scenario.field_names())
    assert any("Methodology: Nameplate" in c.value for c in at.caption)
    at.session_state["assumptions_panel"] = False
    at.run()
    _ok(at)
    assert not any(e.key == "assumptions_table" for e in at.dataframe)


@pytest.mark.parametrize(("page", "key", "value"), [
    ("energy", "hours", ""),  # the page stops at "set a period"
    ("training", "peak_flop_per_s", None),  # stops at "no peak"
    ("explorer", "budget", "5 kW"),  # stops at a rejected page input
    ("energy", "hours", "forever"),  # an invalid sidebar input: the energy page says the period is invalid
    ("fleet", "gpus", "lots"),  # an invalid required input: the last valid value is used, and said so
])
def test_assumptions_panel_shown_when_a_page_stops_early(page, key, value):
    at = _run(page)
    widget = at.number_input(key=key) if key == "peak_flop_per_s" else at.text_input(key=key)
    widget.set_value(value).run()
    _ok(at)
    assert any(e.label == "Assumptions and sources" for e in at.expander)
    at.session_state["assumptions_panel"] = True
    at.run()
    _ok(at)
    assert len(_table(at, "assumptions_table")) == len(Scenario.field_names())


def test_unconfirmed_preset_is_flagged():
    at = _run()
    at.selectbox(key="accelerator").set_value("tpu-v5p").run()
    table = _assumptions(at)
    row = table[table["Assumption"].str.startswith("Accelerator power")].iloc[0]
    assert row["Confirmed"].startswith("no")


def test_sidebar_and_page_inputs_persist_across_pages():
    at = _run("explorer")
    at.text_input(key="gpus").set_value("2000")
    at.text_input(key="budget").set_value("300 MW").run()
    at.switch_page("app_pages/energy.py").run()
    at.switch_page("app_pages/explorer.py").run()
    _ok(at)
    assert at.text_input(key="gpus").value == "2,000"
    assert at.text_input(key="budget").value == "300 MW"


# --------------------------------------------------------------------------- 1 GW explorer

def test_explorer_default_1gw():
    at = _run("explorer")
    s = _default()
    out = tables.budget_fleet(1e9, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                              s.peak_flop_per_s, s.mfu, 90 * 24, 3.8e25)
    shown = {**_metrics(at, "kpis_budget"), **_metrics(at, "kpis_training")}
    assert shown[fields.label("gpus")] == units.format_count(out["gpus"])
    assert shown[fields.label("peak_cluster_flop_per_s")] == units.format_flop_rate(out["peak_cluster_flop_per_s"])
    assert shown[fields.label("sustained_flop_per_s")] == units.format_flop_rate(out["sustained_flop_per_s"])
    assert shown[fields.label("flop_in_period")] == units.format_flop(out["flop_in_period"])
    assert shown[fields.label("runs")] == f"{out['runs']:,.1f}"
    table = _table(at, "table_accelerators")
    assert len(table) == len(catalog.accelerators())
    spread = _table(at, "table_methodologies")
    assert len(spread) == len(catalog.methodologies())


def test_explorer_budget_days_and_run():
    at = _run("explorer")
    at.text_input(key="budget").set_value("300 MW")
    at.number_input(key="explorer_days").set_value(30)
    at.text_input(key="run_flop").set_value("1e25").run()
    _ok(at)
    s = _default()
    out = tables.budget_fleet(3e8, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                              s.peak_flop_per_s, s.mfu, 30 * 24, 1e25)
    shown = {**_metrics(at, "kpis_budget"), **_metrics(at, "kpis_training")}
    assert shown[fields.label("gpus")] == units.format_count(out["gpus"])
    assert shown[fields.label("runs")] == f"{out['runs']:,.1f}"
    t = tables.accelerator_table(3e8, "nameplate", network_overhead=1.1, pue=1.2, mfu=0.4, hours=720,
                                 training_flop=1e25)
    table = _table(at, "table_accelerators")
    assert list(table["Fit in budget"]) == [units.format_count(g) for g in t["gpus"]]


def test_explorer_budget_serves_queries_with_the_sidebar_throughput():
    at = _run("explorer")
    with pytest.raises(KeyError):  # no throughput: no made-up queries a day
        at.get_by_key("kpis_budget_serving")
    assert any("queries a day this budget serves" in c.value for c in at.caption)
    at.number_input(key="tokens_per_s_per_gpu").set_value(3000.0)
    at.number_input(key="tokens_per_query").set_value(500.0).run()
    _ok(at)
    s = _default().replace(tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0)
    served = tables.budget_serving(1e9, s)
    shown = _metrics(at, "kpis_budget_serving")
    assert shown[fields.label("queries_per_day")] == units.format_value(served["queries_per_day"], "count")
    assert shown[fields.label("energy_per_query_wh")] == units.format_value(served["energy_per_query_wh"], "Wh")
    # Hand arithmetic: the accelerators that fit × utilization × 86,400 s × 3,000 tokens/s ÷ 500 tokens.
    fit = tables.budget_fleet(1e9, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue)["gpus"]
    assert math.isclose(served["queries_per_day"], fit * s.utilization * 86_400 * 3000 / 500, rel_tol=1e-12)


@pytest.mark.parametrize(("text", "fragment"), [
    ("5 kW", "between 10.0 MW and 10.0 GW"),
    ("20 GW", "between 10.0 MW and 10.0 GW"),
    ("lots", "budget"),
    ("1 GWh", "budget"),
    ("-1 GW", "between"),
    ("nan", "NaN"),
])
def test_explorer_bad_budget_shows_error(text, fragment):
    at = _run("explorer")
    at.text_input(key="budget").set_value(text).run()
    _ok(at)
    assert any(fragment in t for t in _texts(at.error)), _texts(at.error)


def test_explorer_fp8_precision():
    at = _run("explorer")
    at.selectbox(key="precision").set_value("fp8").run()
    _ok(at)
    assert at.number_input(key="peak_flop_per_s").value == pytest.approx(1978.9)


# --------------------------------------------------------------------------- sweeps

def test_sweeps_axes_and_ranges():
    at = _run("sweeps")
    assert at.get_by_key("chart_power_fleet") is not None
    assert at.get_by_key("chart_heatmap") is not None
    at.selectbox(key="heat_x").set_value("gpu_watts").run()
    _ok(at)
    assert at.number_input(key="heat_x_min").value == sweep.SWEEP_RANGES["gpu_watts"][0]
    assert at.number_input(key="heat_x_max").value == sweep.SWEEP_RANGES["gpu_watts"][1]
    at.multiselect(key="sweep_pues").set_value([1.1, 2.0]).run()
    _ok(at)
    table = _table(at, "table_reference_clusters")
    assert "Stargate" in " ".join(table["Reference cluster"])


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("heat_x_min", 5e6, "smaller to a larger"),
    ("heat_y_min", 0.5, "pue"),
    ("heat_y", "gpus", "two different"),
])
def test_sweeps_bad_heatmap_inputs(key, value, fragment):
    at = _run("sweeps")
    widget = at.selectbox(key=key) if key == "heat_y" else at.number_input(key=key)
    widget.set_value(value).run()
    _ok(at)
    assert any(fragment in t for t in _texts(at.error)), _texts(at.error)


def test_sweeps_bad_fleet_range_and_level():
    at = _run("sweeps")
    at.number_input(key="sweep_gpus_min").set_value(5_000_000)
    at.text_input(key="heat_level").set_value("1 GW of joy").run()
    _ok(at)
    errors = _texts(at.error)
    assert any("largest fleet" in t for t in errors) and any("contour" in t for t in errors)


# --------------------------------------------------------------------------- energy

def test_energy_figures_equal_library():
    at = _run("energy")
    at.number_input(key="electricity_price").set_value(0.08)
    at.number_input(key="carbon_intensity").set_value(0.4)
    at.number_input(key="wue").set_value(0.3)
    at.text_input(key="hours").set_value("90 days").run()
    _ok(at)
    r = estimator.estimate(_default(hours=2160, electricity_price=0.08, carbon_intensity=0.4, wue=0.3))
    shown = {**_metrics(at, "kpis_energy"), **_metrics(at, "kpis_impact")}
    assert shown[fields.label("energy_wh")] == units.format_energy(r.energy_wh)
    assert shown[fields.label("it_energy_wh")] == units.format_energy(r.it_energy_wh)
    assert shown[fields.label("cost")] == units.format_money(r.cost)
    assert shown[fields.label("emissions_kg")] == units.format_mass(r.emissions_kg) + " CO2e"
    assert shown[fields.label("water_l")] == units.format_volume(r.water_l)
    assert not at.info


def test_energy_missing_figures_are_absent_then_filled_from_sites():
    at = _run("energy")
    shown = _metrics(at, "kpis_impact")
    assert shown[fields.label("cost")] == "—"
    assert at.info
    at.button(key="fill_missing").click().run()
    _ok(at)
    price = catalog.site("us-hyperscale-2025").electricity_price.value
    assert at.number_input(key="electricity_price").value == pytest.approx(price)
    r = estimator.estimate(_default(electricity_price=price,
                                    carbon_intensity=catalog.site("llama3-training").carbon_intensity.value,
                                    wue=catalog.site("microsoft-fleet").wue.value))
    assert _metrics(at, "kpis_impact")[fields.label("cost")] == units.format_money(r.cost)
    table = _assumptions(at)
    row = table[table["Assumption"] == "Electricity price"].iloc[0]
    assert "Epoch AI" in row["Source"]


def test_energy_without_period():
    at = _run("energy")
    at.text_input(key="hours").set_value("").run()
    _ok(at)
    assert at.info and not at.error


# --------------------------------------------------------------------------- training

def test_training_run_figures_equal_library():
    at = _run("training")
    at.text_input(key="gpus").set_value("16,384")
    at.number_input(key="mfu").set_value(0.41).run()
    _ok(at)
    s = _default(gpus=16_384, mfu=0.41)
    flop = estimator.training_flop(405e9, 15.6e12)
    run = tables.training_run(s, flop)
    shown = {**_metrics(at, "kpis_run"), **_metrics(at, "kpis_run_energy")}
    assert shown[fields.label("training_flop")] == units.format_flop(flop)
    assert shown[fields.label("training_time_s")] == units.format_duration(run["training_time_s"])
    assert shown[fields.label("gpu_hours")] == units.format_count(run["gpu_hours"]) + " GPU-h"
    assert shown[fields.label("energy_wh")] == units.format_energy(run["energy_wh"])
    need = tables.training_fleet(s, flop, 90 * 86_400)
    inverse = _metrics(at, "kpis_inverse")
    assert inverse[fields.label("gpus")] == units.format_count(need["gpus"])
    assert inverse[fields.label("facility_power_w")] == units.format_power(need["facility_power_w"])


def test_training_ready_run_selector_and_report():
    # Default: Llama 3 405B as the Llama 3.1 model card reports it (30.84M H100 GPU-hours), estimated at the
    # sidebar's MFU; picking DeepSeek-V3 (technical report: 2,048 H800, FP8, 37B active, 14.8T tokens,
    # 2.788M GPU-hours) fills the size and the sidebar, and the link carries the choice.
    at = _run("training")
    assert at.selectbox(key="train_run").value == "llama-3.1-405b"
    report = _table(at, "train_run_report")
    versus = tables.run_versus_report("llama-3.1-405b", _default())
    shown = dict(zip(report["Quantity"], report["Value"], strict=True))
    assert shown["Reported accelerator-hours"] == units.format_value(30.84e6, "GPU-h")
    assert shown["Estimated accelerator-hours"] == units.format_value(versus["estimated_gpu_hours"], "GPU-h")
    assert shown["Implied effective MFU"] == units.format_value(versus["implied_mfu"], "%") == "34.5%"
    assert shown["Reported emissions"] == units.format_value(8_930e3, "kg CO2e")
    at.selectbox(key="train_run").set_value("deepseek-v3").run()
    _ok(at)
    assert at.text_input(key="train_parameters").value == "37.0B"
    assert at.text_input(key="train_tokens").value == "14.8T"
    assert at.selectbox(key="accelerator").value == "h800" and at.selectbox(key="precision").value == "fp8"
    s = Scenario.from_accelerator("h800", gpus=2048, precision="fp8", mfu=0.4, hours=8760)
    versus = tables.run_versus_report("deepseek-v3", s)
    shown = dict(zip(*(_table(at, "train_run_report")[c] for c in ("Quantity", "Value")), strict=True))
    assert shown["Reported accelerator-hours"] == units.format_value(2.788e6, "GPU-h")
    assert shown["Implied goodput"] == units.format_value(versus["implied_goodput"], "%")
    assert _metrics(at, "kpis_run")[fields.label("gpu_hours")] == units.format_value(versus["estimated_gpu_hours"],
                                                                               "GPU-h")
    assert _params(at)["training.run"] == "deepseek-v3"
    again = _run("training", _params(at))  # the link brings the same run back
    assert again.selectbox(key="train_run").value == "deepseek-v3"
    assert _table(again, "train_run_report")["Value"].tolist() == _table(at, "train_run_report")["Value"].tolist()


def test_training_by_flop_and_inverse_days():
    at = _run("training")
    at.radio(key="train_mode").set_value("flop").run()
    at.text_input(key="train_flop").set_value("1e26 FLOP")
    at.number_input(key="train_days").set_value(30.0).run()
    _ok(at)
    s = _default()
    assert _metrics(at, "kpis_run")[fields.label("training_time_s")] == units.format_duration(
        estimator.training_time_s(1e26, s.gpus, s.peak_flop_per_s, s.mfu))
    need = tables.training_fleet(s, 1e26, 30 * 86_400)
    assert _metrics(at, "kpis_inverse")[fields.label("gpus")] == units.format_count(need["gpus"])


@pytest.mark.parametrize(("key", "text"), [("train_parameters", "lots"), ("train_tokens", "-5T"),
                                           ("train_parameters", "1e30")])
def test_training_bad_size_shows_error(key, text):
    at = _run("training")
    at.text_input(key=key).set_value(text).run()
    _ok(at)
    assert at.error


def test_training_without_peak_is_explained():
    at = _run("training")
    at.number_input(key="peak_flop_per_s").set_value(None).run()
    _ok(at)
    assert at.info and not at.error


def test_training_without_mfu_is_explained_no_mfu_is_invented():
    at = _run("training")
    at.number_input(key="mfu").set_value(None).run()
    _ok(at)
    assert any("MFU" in i.value for i in at.info) and not at.error
    assert not _has(at, "kpis_run")


# --------------------------------------------------------------------------- compare, files, URL

def test_compare_keep_never_overwrites():
    at = _run("compare")
    at.text_input(key="keep_name").set_value("base").run()
    at.button(key="keep_button").click().run()
    at.number_input(key="pue").set_value(1.4).run()
    at.text_input(key="keep_name").set_value("base").run()
    at.button(key="keep_button").click().run()
    _ok(at)
    assert list(at.session_state["kept"]) == ["base", "base (2)"]
    table = _table(at, "table_compare")
    assert list(table.columns) == ["Quantity", "Kind", "Current (sidebar)", "base", "base (2)"]
    row = table[table["Quantity"].str.startswith("Facility power, full load")].iloc[0]
    assert row["base (2)"] == units.format_power(estimator.estimate(_default(pue=1.4)).facility_power_w)
    for key in ("download_csv", "download_json", "download_toml"):
        assert at.get_by_key(key) is not None
    at.toggle(key="compare_diff_only").set_value(True).run()
    _ok(at)
    differing = _table(at, "table_compare")
    assert 0 < len(differing) < len(table)
    assert any(q.startswith("PUE") for q in differing["Quantity"])


def test_compare_load_and_remove():
    at = _run("compare")
    at.button(key="keep_button").click().run()
    at.text_input(key="gpus").set_value("1,000").run()
    at.selectbox(key="kept_select").set_value("Scenario 1")
    at.button(key="load_button").click().run()
    _ok(at)
    assert at.text_input(key="gpus").value == "100,000"
    at.button(key="remove_button").click().run()
    _ok(at)
    assert not at.session_state["kept"]


def test_upload_valid_file_and_name_clash():
    at = _run("compare")
    at.text_input(key="keep_name").set_value("Llama").run()
    at.button(key="keep_button").click().run()
    text = ('name = "Llama"\naccelerator = "h100-sxm"\nmethodology = "epoch-ai"\n'
            'gpus = "16,384"\nhours = "54 days"\n')
    at.file_uploader(key="upload_file").set_value(("llama.toml", text.encode(), "application/toml")).run()
    _ok(at)
    kept = at.session_state["kept"]
    assert list(kept) == ["Llama", "Llama (2)"]
    assert kept["Llama (2)"]["fields"]["gpus"] == 16_384
    assert kept["Llama (2)"]["presets"].items() >= {"accelerator": "h100-sxm", "methodology": "epoch-ai"}.items()
    assert kept["Llama (2)"]["typed"] == {"gpus": 16_384, "hours": 54 * 24}
    assert at.success
    # Opened into the sidebar, not only kept.
    at.button(key="upload_open").click().run()
    _ok(at)
    assert at.selectbox(key="methodology").value == "epoch-ai"
    assert at.text_input(key="gpus").value == "16,384"
    assert at.text_input(key="hours").value == "54 days"


def test_upload_file_of_another_catalogue_keeps_its_values_and_says_so():
    text = ('accelerator = "h100-sxm"\nmethodology = "nameplate"\ncatalog = "2025.06"\ngpus = 1000\n'
            "catalog_values = { gpu_watts = 650.0 }\n")  # as an older catalogue would have written it
    at = _run("compare")
    at.file_uploader(key="upload_file").set_value(("old.toml", text.encode(), "application/toml")).run()
    _ok(at)
    (message,) = _texts(at.success)
    assert "made with catalogue 2025.06" in message and "gpu_watts (h100-sxm) 650 W then, 700 W now" in message
    assert at.session_state["kept"]["old"]["typed"] == {"gpus": 1000.0, "gpu_watts": 650.0}
    at.button(key="upload_open").click().run()
    _ok(at)
    assert at.number_input(key="gpu_watts").value == 650


def test_upload_json_round_trip():
    s = _default(pue=1.3)
    at = _run("compare")
    at.file_uploader(key="upload_file").set_value(("s.json", io.dumps(s, "json").encode(), "application/json"))
    at.run()
    _ok(at)
    (name, entry), = at.session_state["kept"].items()
    assert name == "s"
    assert Scenario(**{k: v for k, v in entry["fields"].items() if v is not None}) == s


@pytest.mark.parametrize(("content", "fragment"), [
    (b"gpus = 1000\ngpu_watts = 700\nserver_overhead = 1.5\npue = 0.5\n", "pue must be >= 1"),
    (b"gpus = 1000\ngpu_wats = 700\n", "did you mean 'gpu_watts'"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"gpus = [", "not valid TOML"),
    (b"gpus = 1000\ngpu_watts = 700\nserver_overhead = 1.5\npue = [1.1, 1.2]\n", "array"),
    (b"gpus = 1000\ngpu_watts = 0.5\nserver_overhead = 1.5\n", "in the dashboard"),
    (b"", "empty"),
    (b"x" * (io.MAX_BYTES + 1), "more than the limit"),
])
def test_upload_bad_file_shows_error(content, fragment):
    at = _run("compare")
    at.file_uploader(key="upload_file").set_value(("bad.toml", content, "application/toml")).run()
    _ok(at)
    assert any(fragment in t for t in _texts(at.error)), _texts(at.error)
    assert not at.session_state["kept"]


def test_scenario_json_holds_assumptions_and_results():
    from app_pages import common

    s = _default(electricity_price=0.08)
    doc = json.loads(common.scenario_json({"a": (s, {"accelerator": "h100-sxm", "site": "none"})}))
    (entry,) = doc["scenarios"]
    assert entry["presets"] == {"accelerator": "h100-sxm"}
    assert entry["assumptions"]["electricity_price"] == 0.08
    assert math.isclose(entry["results"]["cost"], estimator.estimate(s).cost)
    assert doc["units"]["facility_power_w"] == "W"


def test_share_url_restores_scenario():
    s = _default(gpus=16_384, pue=1.1, electricity_price=0.05)
    params = links.write({"accelerator": "h100-sxm", "methodology": "nameplate"}, s.to_dict())
    at = _run("fleet", params)
    assert not at.warning
    assert at.text_input(key="gpus").value == "16,384"
    assert at.number_input(key="electricity_price").value == 0.05
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(
        estimator.estimate(s).facility_power_w)
    at.switch_page("app_pages/compare.py").run()
    _ok(at)
    assert "gpus=16384" in at.code[0].value


def test_share_url_of_another_catalogue_opens_with_its_values_and_says_so():
    s = _default(gpus=16_384)
    params = links.write({"accelerator": "h100-sxm", "methodology": "nameplate"}, {"gpus": 16_384.0})
    # As an older catalogue would have written it: another version, another H100 power.
    at = _run("fleet", {**params, "catalog": "2025.06", "catalog.gpu_watts": "650"})
    (notice,) = [t for t in _texts(at.warning) if "catalogue 2025.06" in t]
    assert "gpu_watts (h100-sxm) 650 W then, 700 W now" in notice
    assert at.number_input(key="gpu_watts").value == 650
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(
        estimator.estimate(s.replace(gpu_watts=650.0)).facility_power_w)
    # The address now says the current catalogue and holds 650 W as a value of its own.
    assert at.query_params["catalog"] == catalog.VERSION and at.query_params["gpu_watts"] == "650"


def test_share_url_restores_presets_and_period():
    at = _run("fleet", {"accelerator": "gb200", "methodology": "epoch-ai-gpu-share", "site": "meta-fleet",
                        "gpus": "72000", "gpu_watts": "1200", "hours": "2160"})
    assert not at.warning
    assert at.selectbox(key="accelerator").value == "gb200"
    assert at.selectbox(key="site").value == "meta-fleet"
    assert at.text_input(key="hours").value == "90 days"


def test_share_url_keeps_a_cleared_preset_value_cleared():
    at = _run("energy")
    at.selectbox(key="site").set_value("us-hyperscale-2025").run()
    at.number_input(key="electricity_price").set_value(None).run()
    _ok(at)
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["electricity_price"] == ""
    again = _run("energy", params)
    assert not again.warning
    assert again.selectbox(key="site").value == "us-hyperscale-2025"
    assert again.number_input(key="electricity_price").value is None


def test_short_url_fills_the_rest_from_the_default_presets():
    """A link giving a few values reads as if the default presets were picked and only those typed."""
    at = _run("energy", {"accelerator": "b200", "gpus": "50000", "pue": "1.3"})
    assert not at.warning
    assert at.selectbox(key="accelerator").value == "b200"
    assert at.selectbox(key="methodology").value == "nameplate"
    # The same as picking the presets by hand and typing the two values.
    by_hand = _run("energy")
    by_hand.selectbox(key="accelerator").set_value("b200").run()
    by_hand.text_input(key="gpus").set_value("50000")
    by_hand.number_input(key="pue").set_value(1.3).run()
    _ok(by_hand)
    for key in ("gpu_watts", "server_overhead", "network_overhead", "pue", "utilization", "mfu",
                "peak_flop_per_s"):
        assert at.number_input(key=key).value == by_hand.number_input(key=key).value, key
    assert at.text_input(key="gpus").value == by_hand.text_input(key="gpus").value == "50,000"
    assert at.number_input(key="network_overhead").value == 1.1
    assert at.number_input(key="mfu").value == 0.4
    assert at.text_input(key="hours").value == "1 year"
    assert _metrics(at, "kpis_energy") == _metrics(by_hand, "kpis_energy")
    changed = [c.value for c in at.caption if c.value.startswith("Your values")]
    assert changed == ["Your values, kept when a preset changes: gpus, pue"]
    assert {k: at.query_params[k] for k in at.query_params} == {
        k: by_hand.query_params[k] for k in by_hand.query_params}




# --------------------------------------------------------------------------- links: tampered, tracking, short

@pytest.mark.parametrize(("params", "dropped", "kept"), [
    ({"gpus": "abc", "gpu_watts": "650"}, ["gpus='abc'", "count"], {"gpu_watts": 650.0}),
    ({"gpus": "5000", "pue": "0.9"}, ["pue='0.9'", "pue must be >= 1 (got 0.9)"], {"gpus": 5000.0}),
    ({"gpus": "5000", "gpu_watts": "nan"}, ["gpu_watts='nan'"], {"gpus": 5000.0}),
    ({"gpus": "1e400", "pue": "1.3"}, ["gpus='1e400'"], {"pue": 1.3}),
    ({"gpus": "5000", "gpu_watts": "0.5"}, ["gpu_watts='0.5'", "gpu_watts must be between 1 and 1e+06 in the "
                                            "dashboard (got 0.5)"], {"gpus": 5000.0}),
    ({"gpus": "0.999"}, ["gpus must be between 1 and 1e+09 in the dashboard (got 0.999)"], {}),
    ({"gpus": "nan", "pue": "1.3"}, ["gpus='nan'", "gpus must be > 0 and finite (got nan)"], {"pue": 1.3}),
    ({"gpus": "", "pue": "1.3"}, ["gpus=''", "gpus is required in a shared address"], {"pue": 1.3}),
    ({"gpus": "5000", "accelerator": "<script>alert(1)</script>"}, ["accelerator=", "unknown accelerator"],
     {"gpus": 5000.0}),
    ({"accelerator": "a100-sxm", "precision": "fp8", "pue": "1.3"}, ["precision='fp8'", "no published FP8"],
     {"pue": 1.3}),
])
def test_bad_link_value_drops_only_that_value(params, dropped, kept):
    at = _run("fleet", params)
    (warning,) = _texts(at.warning)
    assert "could not be used" in warning
    for fragment in dropped:
        assert fragment in warning, warning
    assert "<script>" not in at.warning[0].value  # escaped, never rendered as markup
    assert at.session_state["_typed"] == kept  # the rest of the link is applied
    values = {**preset_assumptions(at.session_state["accelerator"], "nameplate"),
              "gpus": 100_000, "mfu": 0.4, "hours": 8760, **kept}
    r = estimator.estimate(Scenario(**values))
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)
    # The address is rewritten without the dropped value.
    again = _params(at)
    for key, value in params.items():
        if (key not in kept and key != "accelerator") or "<" in value:
            assert again.get(key) != value, key


def test_link_with_tracking_parameters_restores_exactly_and_names_them():
    at = _run("explorer")
    at.selectbox(key="site").set_value("meta-fleet").run()
    at.number_input(key="gpu_watts").set_value(650.0)
    at.text_input(key="budget").set_value("300 MW").run()
    _ok(at)
    params = _params(at)
    assert params["explorer.budget"] == "300 MW" and params["gpu_watts"] == "650"
    shared = {**params, "utm_source": "newsletter", "fbclid": "IwAR0abc", "puee": "1.3"}
    again = _run("explorer", shared)
    assert not again.warning
    notice = " ".join(_texts(again.caption))
    assert "Ignored in the address" in notice
    for name in ("utm_source", "fbclid", "puee"):
        assert f"'{name}'" in notice
    assert "did you mean 'pue'?" in notice
    assert _params(again) == params  # exactly: the tracking parameters are gone, the rest is unchanged
    assert _metrics(again, "kpis_budget") == _metrics(at, "kpis_budget")


def test_link_reads_units_like_files_and_the_cli():
    at = _run("energy", {"gpus": "100k", "hours": "90 days", "gpu_watts": "1.2 kW", "electricity_price": "80 USD/MWh"})
    assert not at.warning
    assert at.text_input(key="gpus").value == "100,000"
    assert at.text_input(key="hours").value == "90 days"
    assert at.number_input(key="gpu_watts").value == 1200.0
    assert at.number_input(key="electricity_price").value == pytest.approx(0.08)
    r = estimator.estimate(_default(hours=2160, gpu_watts=1200, electricity_price=0.08))
    assert _metrics(at, "kpis_energy")[fields.label("energy_wh")] == units.format_energy(r.energy_wh)
    assert _params(at)["gpus"] == "100000"


def test_link_holds_presets_and_typed_values_only():

    at = _run()
    assert _own(_params(at)) == {"accelerator": "h100-sxm", "methodology": "nameplate"}
    assert _params(at)["catalog"] == catalog.VERSION and _params(at)["catalog.gpu_watts"] == "700"
    at.selectbox(key="accelerator").set_value("b200").run()
    at.number_input(key="pue").set_value(1.3).run()
    assert _own(_params(at)) == {"accelerator": "b200", "methodology": "nameplate", "pue": "1.3"}
    assert _params(at)["catalog.gpu_watts"] == "1000" and "catalog.pue" not in _params(at)


def _set_every_page_input(at: AppTest) -> dict[str, object]:
    """Change every page's inputs from their defaults, through their widgets; the values set, by key."""
    at.switch_page("app_pages/fleet.py").run()
    at.slider(key="idle_fraction").set_value(0.3)
    at.slider(key="job_share").set_value(50).run()
    at.number_input(key="swing_host_swing_share").set_value(0.6)
    at.number_input(key="swing_psu_efficiency").set_value(0.94)
    at.number_input(key="swing_distribution_efficiency").set_value(0.97)
    at.number_input(key="swing_cooling_step_share").set_value(0.3).run()
    at.switch_page("app_pages/explorer.py").run()
    at.text_input(key="budget").set_value("300 MW")
    at.number_input(key="explorer_days").set_value(30)
    at.text_input(key="run_flop").set_value("1e25").run()
    at.switch_page("app_pages/sweeps.py").run()
    at.multiselect(key="sweep_pues").set_value([1.1, 2.0])
    at.number_input(key="sweep_gpus_min").set_value(2_000)
    at.number_input(key="sweep_gpus_max").set_value(1_000_000).run()
    at.selectbox(key="heat_x").set_value("gpu_watts").run()
    at.number_input(key="heat_x_min").set_value(500.0)
    at.selectbox(key="heat_output").set_value("it_power_w")
    at.text_input(key="heat_level").set_value("500 MW").run()
    at.switch_page("app_pages/energy.py").run()
    at.radio(key="energy_basis").set_value("budget").run()
    at.text_input(key="energy_budget").set_value("2 GW").run()
    at.switch_page("app_pages/training.py").run()
    at.selectbox(key="train_run").set_value("custom").run()  # custom fills nothing: the presets stay
    at.text_input(key="train_parameters").set_value("70B")
    at.text_input(key="train_tokens").set_value("2T")
    at.number_input(key="train_days").set_value(30.0).run()
    at.radio(key="train_mode").set_value("flop").run()
    at.text_input(key="train_flop").set_value("1e26 FLOP").run()
    at.switch_page("app_pages/uncertainty.py").run()
    at.radio(key="unc_distribution").set_value("uniform")
    at.select_slider(key="unc_samples").set_value(10_000)
    at.number_input(key="unc_seed").set_value(7)
    at.number_input(key="unc_low_pue").set_value(1.05).run()
    at.selectbox(key="unc_output").set_value("average_facility_power_w").run()
    at.switch_page("app_pages/serving.py").run()
    at.text_input(key="serving_active_parameters").set_value("70B")
    at.selectbox(key="serving_bytes").set_value(2.0)
    at.text_input(key="serving_bandwidth").set_value("4.8T")
    at.number_input(key="serving_batch").set_value(32)
    at.text_input(key="serving_kv").set_value("100,000")
    at.text_input(key="serving_context").set_value("2,000").run()
    at.number_input(key="tokens_per_s_per_gpu").set_value(1000.0)
    at.number_input(key="tokens_per_query").set_value(500.0).run()
    at.slider(key="serving_share").set_value(0.3)
    at.text_input(key="serving_run_flop").set_value("1e25 FLOP").run()
    at.text_input(key="serving_demand").set_value("2B").run()
    at.switch_page("app_pages/campus.py").run()
    at.selectbox(key="campus_start").set_value("colossus").run()
    at.date_input(key="campus_from").set_value(datetime.date(2024, 7, 1))
    at.date_input(key="campus_to").set_value(datetime.date(2026, 6, 30))
    at.selectbox(key="campus_freq").set_value("month").run()
    at.text_input(key="campus_cap_power").set_value("500 MW")
    at.text_input(key="campus_cap_it").set_value("300 MW")
    at.text_input(key="campus_cap_capex").set_value("$5B")
    at.text_input(key="campus_cap_days").set_value("60 days")
    at.text_input(key="campus_cap_flop").set_value("1e26 FLOP").run()
    at.number_input(key="campus_trend_start_mw").set_value(200.0)
    at.number_input(key="campus_trend_year").set_value(2025.5)
    at.number_input(key="campus_trend_growth").set_value(2.5).run()
    at.switch_page("app_pages/compare.py").run()
    at.button(key="keep_button").click().run()
    at.toggle(key="compare_diff_only").set_value(True).run()
    _ok(at)
    return {"campus_start": "colossus", "campus_from": datetime.date(2024, 7, 1),
            "campus_to": datetime.date(2026, 6, 30), "campus_freq": "month", "campus_cap_power": "500 MW",
            "campus_cap_it": "300 MW", "campus_cap_capex": "$5B", "campus_cap_days": "60 days",
            "campus_cap_flop": "1e26 FLOP", "campus_trend_start_mw": 200.0, "campus_trend_year": 2025.5,
            "campus_trend_growth": 2.5,
            "idle_fraction": 0.3, "job_share": 50, "swing_host_swing_share": 0.6, "swing_psu_efficiency": 0.94,
            "swing_distribution_efficiency": 0.97, "swing_cooling_step_share": 0.3,
            "budget": "300 MW", "explorer_days": 30, "run_flop": "1e25",
            "sweep_pues": [1.1, 2.0], "sweep_gpus_min": 2_000, "sweep_gpus_max": 1_000_000, "heat_x": "gpu_watts",
            "heat_x_min": 500.0, "heat_x_max": sweep.SWEEP_RANGES["gpu_watts"][1], "heat_output": "it_power_w",
            "heat_level": "500 MW", "energy_basis": "budget", "energy_budget": "2 GW", "train_mode": "flop",
            "train_parameters": "70B", "train_tokens": "2T", "train_days": 30.0, "train_flop": "1e26 FLOP",
            "unc_distribution": "uniform", "unc_samples": 10_000, "unc_seed": 7, "unc_low_pue": 1.05,
            "unc_output": "average_facility_power_w", "compare_diff_only": True,
            "serving_active_parameters": "70B", "serving_bytes": 2.0, "serving_bandwidth": "4.8T", "serving_batch": 32,
            "serving_kv": "100,000", "serving_context": "2,000", "serving_demand": "2B", "serving_share": 0.3,
            "serving_run_flop": "1e25 FLOP"}


def test_every_page_input_round_trips_through_the_link():
    from app_pages import common

    at = _run()
    at.selectbox(key="accelerator").set_value("gb200").run()
    at.number_input(key="pue").set_value(1.15).run()
    wanted = _set_every_page_input(at)
    params = _params(at)
    # Every page input is in the link (prefixed by its page), and so are the presets and typed values.
    # (The Campus page's blocks are edited in a table AppTest cannot type into: see the test below.)
    assert {p.param for p in common.PAGE_INPUTS} - {"sweeps.y", "sweeps.y_min", "sweeps.y_max",
                                                    "sweeps.x_max", "campus.blocks"} <= set(params)
    assert params["explorer.budget"] == "300 MW" and params["uncertainty.low.pue"] == "1.05"
    assert params["accelerator"] == "gb200" and params["pue"] == "1.15"
    again = _run("fleet", params)
    assert not again.warning
    for key, value in wanted.items():
        if key != "unc_low_pue":
            assert again.session_state[key] == value, key
    assert _params(again) == params
    again.switch_page("app_pages/uncertainty.py").run()
    _ok(again)
    assert again.number_input(key="unc_low_pue").value == 1.05
    assert _params(again) == params
    again.switch_page("app_pages/energy.py").run()
    _ok(again)
    assert _metrics(again, "kpis_energy") == _metrics(at.switch_page("app_pages/energy.py").run(), "kpis_energy")


def test_campus_blocks_travel_in_the_link_and_give_the_library_campus():
    # Two blocks of ready parts, one name with the separators in it: the page shows them, keeps them in the
    # link, survives a trip to another page and gives the library's totals.
    text = links.write_blocks(["North; hall", "South"], ["h100-sxm", "gb200"], [50_000, 20_000],
                              ["2025-03-01", "2026-01-01"])
    at = _run("campus", {"campus.blocks": text, "campus.start": "buildout"})
    assert not at.warning
    blocks = _table(at, "campus_block_table")
    assert list(blocks["Block"]) == ["North; hall", "South"]
    assert _params(at)["campus.blocks"] == text
    expected = estimator.estimate(estimator.campus.from_presets(
        ["h100-sxm", "gb200"], [50_000, 20_000], names=["North; hall", "South"], online=["2025-03-01", "2026-01-01"]))
    kpis = _metrics(at, "kpis_campus")
    assert kpis[fields.label("gpus")] == units.format_value(expected.gpus, "count")
    assert kpis[fields.label("facility_power_w")] == units.format_value(expected.facility_power_w, "W")
    at.switch_page("app_pages/energy.py").run()
    at.switch_page("app_pages/campus.py").run()
    _ok(at)
    assert list(_table(at, "campus_block_table")["Block"]) == ["North; hall", "South"]
    assert _params(at)["campus.blocks"] == text
    # Another starting table replaces the link's blocks (and drops them from the link).
    at.selectbox(key="campus_start").set_value("colossus").run()
    _ok(at)
    assert "campus.blocks" not in _params(at)
    assert list(_table(at, "campus_block_table")["Block"]) == [r[0] for r in common_starts()["colossus"][1]]


def test_campus_blocks_with_their_own_methodology_and_site():
    # One hall at Google's fleet PUE, one on Epoch AI's GPU-clusters methodology: the page builds what the
    # library builds, keeps it in the link and shows each block's presets.
    text = links.write_blocks(["A", "B"], ["h100-sxm", "gb200"], [50_000, 20_000], ["2025-03-01", "2026-01-01"],
                              [None, "epoch-ai-clusters"], ["google-fleet", None])
    at = _run("campus", {"campus.blocks": text})
    assert not at.warning
    expected = estimator.estimate(estimator.campus.from_presets(
        ["h100-sxm", "gb200"], [50_000, 20_000], names=["A", "B"], online=["2025-03-01", "2026-01-01"],
        methodology=[None, "epoch-ai-clusters"], site=["google-fleet", None]))
    assert _metrics(at, "kpis_campus")[fields.label("facility_power_w")] == units.format_value(
        expected.facility_power_w, "W")
    blocks = _table(at, "campus_block_table")
    assert list(blocks["Methodology"]) == ["nameplate", "epoch-ai-clusters"]
    assert list(blocks["Site"]) == ["google-fleet", "—"]
    assert _params(at)["campus.blocks"] == text


def test_campus_limits_say_what_each_fleet_serves():
    at = _run("campus", {"tokens_per_s_per_gpu": "3000", "tokens_per_query": "500"})
    table = _table(at, "campus_limits_table")
    s = Scenario.from_accelerator("h100-sxm", gpus=1, tokens_per_s_per_gpu=3000, tokens_per_query=500)
    lim = estimator.binding_limit(s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, power_budget_w=1e9)
    served = estimator.estimate(s.replace(gpus=lim["fleet_gpus"])).queries_per_day
    assert table["Queries a day"][0] == units.format_value(served, "count")
    assert list(_table(_run("campus"), "campus_limits_table")["Queries a day"]) == ["—"]  # no throughput


def common_starts():
    from app_pages import common

    return common.CAMPUS_STARTS


@pytest.mark.parametrize(("value", "match"), [
    ("Hall 1,h100-sxm,24.576,2025-01-01", "whole number.*did you mean 24,576"),
    ("Hall 1,h100-smx,1000,2025-01-01", "unknown accelerator 'h100-smx'.*did you mean 'h100-sxm'"),
    ("Hall 1,h100-sxm,1000,2025-13-01", "online date must be YYYY-MM-DD"),
    ("Hall 1,h100-sxm,1000", "block 1 must be name,accelerator,count,online"),
    ("A,h100-sxm,1,2025-01-01;A,b200,1,2025-01-01", "name 'A' is taken"),
    ("Hall 1,h100-sxm,1e12,2025-01-01", "block 1: gpus must be <="),
    ("Hall 1,h100-sxm,1,2025-01-01,epoch-aii", "block 1: unknown methodology 'epoch-aii'.*did you mean 'epoch-ai'"),
    ("Hall 1,h100-sxm,1,2025-01-01,,google-flet", "block 1: unknown site 'google-flet'.*did you mean 'google-fleet'"),
])
def test_bad_campus_blocks_in_a_link_are_dropped_with_the_rule(value, match):
    at = _run("campus", {"campus.blocks": value})
    assert re.search(match, " ".join(w.value for w in at.warning).replace("\\", "")), [w.value for w in at.warning]
    assert list(_table(at, "campus_block_table")["Block"]) == ["Hall 1", "Hall 2", "Hall 3"]


def test_campus_limits_with_an_it_cap_or_a_deadline_alone():
    at = _run("campus")
    at.text_input(key="campus_cap_power").set_value("")
    at.text_input(key="campus_cap_capex").set_value("")
    at.text_input(key="campus_cap_it").set_value("100 MW").run()
    _ok(at)
    s = Scenario.from_accelerator("h100-sxm", gpus=24_576)
    lim = estimator.binding_limit(s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, it_budget_w=100e6)
    table = _table(at, "campus_limits_table")
    assert list(table["Limit"]) == ["Power budget (critical IT) (binds)"]
    assert table["Accelerators"][0] == units.format_value(lim["fleet_gpus"], "count")
    # No cap at all: the sidebar's fleet is the limit, and the deadline says what it computes.
    at.text_input(key="campus_cap_it").set_value("").run()
    _ok(at)
    table = _table(at, "campus_limits_table")
    assert list(table["Limit"]) == ["Fleet on hand (binds)"]
    assert table["Accelerators"][0] == at.text_input(key="gpus").value


def test_bad_page_parameter_drops_only_that_value():
    at = _run("explorer", {"explorer.budget": "5 kW", "explorer.days": "30", "sweeps.x": "banana",
                           "training.mode": "flop"})
    (warning,) = _texts(at.warning)
    assert "explorer.budget='5 kW'" in warning and "between" in warning
    assert "sweeps.x='banana'" in warning and "must be one of" in warning
    assert at.text_input(key="budget").value == "1 GW"
    assert at.number_input(key="explorer_days").value == 30
    assert at.session_state["train_mode"] == "flop"


# --------------------------------------------------------------------------- typed values and presets

def _type_three(at: AppTest) -> None:
    at.number_input(key="gpu_watts").set_value(650.0)
    at.number_input(key="pue").set_value(1.35)
    at.number_input(key="utilization").set_value(0.8).run()
    _ok(at)


@pytest.mark.parametrize(("preset", "value", "follows"), [
    ("precision", "fp8", {"peak_flop_per_s": 1978.9}),
    ("accelerator", "b200", {"server_overhead": catalog.accelerator("b200").server_overhead.value,
                             "peak_flop_per_s": 2250.0}),
    ("site", "meta-fleet", {"wue": 0.26}),
    ("methodology", "epoch-ai", {"mfu": 0.375}),
])
def test_typed_values_survive_every_preset_change(preset, value, follows):
    at = _run()
    _type_three(at)
    at.selectbox(key=preset).set_value(value).run()
    _ok(at)
    assert at.number_input(key="gpu_watts").value == 650.0
    assert at.number_input(key="pue").value == 1.35
    assert at.number_input(key="utilization").value == 0.8
    for key, expected in follows.items():  # what the preset owns and the user did not type follows it
        assert at.number_input(key=key).value == pytest.approx(expected), key
    assert at.session_state["_typed"] == {"gpu_watts": 650.0, "pue": 1.35, "utilization": 0.8}
    r = estimator.estimate(Scenario.from_accelerator(
        at.session_state["accelerator"], 100_000, methodology=at.session_state["methodology"],
        site=None if at.session_state["site"] == "none" else at.session_state["site"],
        precision=at.session_state["precision"], gpu_watts=650, pue=1.35, utilization=0.8, hours=8760,
        mfu=0.375 if at.session_state["methodology"] == "epoch-ai" else 0.4))
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)


def test_typed_values_survive_all_preset_changes_in_a_row_and_are_marked():
    at = _run()
    _type_three(at)
    for preset, value in (("precision", "fp8"), ("accelerator", "gb200"), ("site", "meta-fleet"),
                          ("methodology", "epoch-ai"), ("accelerator", "h100-sxm")):
        at.selectbox(key=preset).set_value(value).run()
        _ok(at)
        assert (at.number_input(key="gpu_watts").value, at.number_input(key="pue").value,
                at.number_input(key="utilization").value) == (650.0, 1.35, 0.8), preset
    marks = [c.value for c in at.sidebar.caption if c.value.startswith("✎ Yours")]
    assert marks == ["✎ Yours (preset: 700 W)", "✎ Yours (preset: 1.08)", "✎ Yours (preset: 0.75)"]
    assert any(c.value == "Your values, kept when a preset changes: gpu_watts, pue, utilization"
               for c in at.sidebar.caption)


def test_reset_one_value_and_reset_all():
    at = _run()
    _type_three(at)
    at.button(key="reset_pue").click().run()
    _ok(at)
    assert at.number_input(key="pue").value == 1.2
    assert at.number_input(key="gpu_watts").value == 650.0
    assert set(at.session_state["_typed"]) == {"gpu_watts", "utilization"}
    at.button(key="reset_presets").click().run()
    _ok(at)
    assert at.number_input(key="gpu_watts").value == 700.0 and at.number_input(key="utilization").value == 1.0
    assert at.session_state["_typed"] == {}
    assert _own(_params(at)) == {"accelerator": "h100-sxm", "methodology": "nameplate"}
    assert _params(at)["catalog"] == catalog.VERSION


def test_fp8_offered_only_where_published():
    at = _run()
    assert at.selectbox(key="precision").options == ["BF16 (dense)", "FP8 (dense)"]
    at.selectbox(key="precision").set_value("fp8").run()
    at.selectbox(key="accelerator").set_value("a100-sxm").run()
    _ok(at)
    assert at.selectbox(key="precision").value == "bf16"
    assert at.selectbox(key="precision").options == ["BF16 (dense)"]
    assert any("no published FP8 peak" in c.value for c in at.sidebar.caption)
    part = catalog.accelerator("a100-sxm")
    assert at.number_input(key="peak_flop_per_s").value == pytest.approx(part.peak_flop_per_s.value / 1e12)


def test_mfu_prefill_is_visible_labelled_and_not_a_preset():
    at = _run()
    assert at.number_input(key="mfu").value == 0.4
    assert any("Dashboard prefill 0.40, not a preset" in c.value and "arXiv:2407.21783" in c.value
               for c in at.sidebar.caption)
    assert "mfu" not in _params(at)  # a prefill is not the user's, so not in the link


def test_gpus_text_box_takes_units_and_shows_separators():
    at = _run()
    assert at.text_input(key="gpus").value == "100,000"
    at.text_input(key="gpus").set_value("594177").run()
    _ok(at)
    assert at.text_input(key="gpus").value == "594,177"
    at.text_input(key="gpus").set_value("1.2 million").run()
    assert at.text_input(key="gpus").value == "1,200,000"
    assert _params(at)["gpus"] == "1200000"


# --------------------------------------------------------------------------- invalid widget input

@pytest.mark.parametrize("text", ["abc", "-5", "0", "1e12"])
def test_invalid_gpus_shows_message_and_stale_notice(text):
    at = _run()
    at.text_input(key="gpus").set_value("24576").run()
    before = _metrics(at, "kpis_power")
    at.text_input(key="gpus").set_value(text).run()
    _ok(at)
    (error,) = _texts(at.sidebar.error)
    assert f"Accelerators in the fleet (gpus) = {text!r} cannot be used" in error
    assert "results use the last valid value, 24,576" in error
    (warning,) = _texts(at.warning)
    assert "the results below use the last valid value, 24,576" in warning
    assert _metrics(at, "kpis_power") == before  # the last valid value, and said so
    assert at.text_input(key="gpus").value == text  # the text stays for the user to fix
    assert _params(at)["gpus"] == "24576"
    at.text_input(key="gpus").set_value("30k").run()
    assert not at.warning and not at.sidebar.error


def test_bad_period_keeps_power_and_says_energy_is_invalid():
    at = _run("energy")
    at.text_input(key="hours").set_value("3 parsecs").run()
    _ok(at)
    assert any("Period (hours) = '3 parsecs'" in t and "unknown unit 'parsecs'" in t for t in _texts(at.error))
    assert any("period in the sidebar is invalid" in t for t in _texts(at.warning))
    assert not _has(at, "kpis_energy")
    at.switch_page("app_pages/fleet.py").run()
    _ok(at)
    r = estimator.estimate(_default())
    assert _metrics(at, "kpis_power")[fields.label("facility_power_w")] == units.format_power(r.facility_power_w)


def test_number_box_emptied_where_required_is_explained():
    at = _run()
    at.number_input(key="gpu_watts").set_value(None)
    at.run()
    _ok(at)
    # gpu_watts has no empty state: a number box without value=None keeps its value
    assert at.number_input(key="gpu_watts").value is not None


# --------------------------------------------------------------------------- compare, upload, energy from a budget

def test_kept_scenario_keeps_its_presets_and_typed_values():
    at = _run("compare")
    at.selectbox(key="accelerator").set_value("gb200").run()
    at.number_input(key="pue").set_value(1.15).run()
    at.text_input(key="keep_name").set_value("GB200 PUE 1.15").run()
    at.button(key="keep_button").click().run()
    _ok(at)
    entry = at.session_state["kept"]["GB200 PUE 1.15"]
    assert entry["fields"]["pue"] == 1.15 and entry["typed"] == {"pue": 1.15}
    assert entry["presets"]["accelerator"] == "gb200"
    table = _table(at, "table_compare")
    assert table[table["Quantity"].str.startswith("PUE")].iloc[0]["GB200 PUE 1.15"] == "1.15"
    at.button(key="reset_presets").click().run()
    at.selectbox(key="accelerator").set_value("h100-sxm").run()
    assert at.number_input(key="pue").value == 1.2
    at.selectbox(key="kept_select").set_value("GB200 PUE 1.15")
    at.button(key="load_button").click().run()
    _ok(at)
    assert at.selectbox(key="accelerator").value == "gb200"
    assert at.number_input(key="pue").value == 1.15
    assert at.session_state["_typed"] == {"pue": 1.15}
    assert any("session only" in c.value for c in at.caption)  # says plainly a reload will not keep them


def test_compare_headers_do_not_contradict_their_cells():
    at = _run("compare")
    table = _table(at, "table_compare")
    assert not any("[W]" in q or "[Wh]" in q for q in table["Quantity"])
    row = table[table["Quantity"] == "Accelerator power, full load"].iloc[0]
    assert row["Current (sidebar)"] == "70.0 MW"


def test_energy_from_a_power_budget():
    at = _run("energy")
    at.radio(key="energy_basis").set_value("budget").run()
    _ok(at)
    fit = estimator.gpus_for_power(1e9, 700, preset_assumptions("h100-sxm")["server_overhead"], 1.1, 1.2,
                                   whole=True)
    r = estimator.estimate(_default(gpus=fit))
    assert _metrics(at, "kpis_energy")[fields.label("energy_wh")] == units.format_energy(r.energy_wh)
    assert at.subheader[0].value.startswith(units.format_count(fit))
    at.text_input(key="energy_budget").set_value("5 kW").run()
    _ok(at)
    assert any("budget must be between" in t for t in _texts(at.error))


# --------------------------------------------------------------------------- the registry drives the sidebar

@pytest.fixture
def knob():
    from estimator import fields

    field = fields.register(fields.Field(
        "test_knob", "W", "Test knob", "a field added in a test fixture", rule="positive", maximum=1e6,
        group="chain", widget_range=(1.0, 1e6), step=1.0, decimals=0))
    yield field
    fields.unregister("test_knob")


def test_a_field_added_to_the_registry_is_a_sidebar_widget_and_in_the_link(knob):
    at = _run()
    widget = at.number_input(key="test_knob")
    assert widget.label == "Test knob [W]"
    assert widget.value is None  # no preset gives it
    widget.set_value(5.0).run()
    _ok(at)
    assert _params(at)["test_knob"] == "5"
    again = _run("fleet", {"test_knob": "7 W"})
    assert not again.warning
    assert again.number_input(key="test_knob").value == 7.0
    assert again.session_state["_typed"] == {"test_knob": 7.0}
    bad = _run("fleet", {"test_knob": "-1"})
    assert "test_knob" in _texts(bad.warning)[0]
