"""Dashboard tests with Streamlit's AppTest (no browser): every page runs, shows the library's numbers,
and turns bad input into a message rather than a traceback.

Widgets are found by key; figures are compared with the library's results for the same inputs,
formatted with the same estimator.units functions the pages use.
"""

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import json
import math
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import estimator
from estimator import catalog, io, links, sweep, tables, units
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


@pytest.mark.parametrize("page", PAGES)
def test_page_bad_period_shows_error_not_exception(page):
    at = _run(page)
    at.text_input(key="period").set_value("forever").run()
    _ok(at)
    assert any("period" in t for t in _texts(at.error))


# --------------------------------------------------------------------------- fleet → power

def test_fleet_default_figures_equal_library():
    at = _run()
    r = estimator.estimate(_default())
    shown = {**_metrics(at, "kpis_power"), **_metrics(at, "kpis_draw")}
    assert shown["Accelerator power (full load)"] == units.format_power(r.accelerator_power_w)
    assert shown["Server power (full load)"] == units.format_power(r.server_power_w)
    assert shown["IT power (full load)"] == units.format_power(r.it_power_w)
    assert shown["Facility power (full load)"] == units.format_power(r.facility_power_w)
    assert shown["Average facility draw"] == units.format_power(r.average_facility_power_w)
    assert shown["All-in power per accelerator"] == units.format_power(r.watts_per_gpu)
    assert shown["Share of 1 GW"] == f"{r.facility_power_w / 1e9 * 100:.3g} %"
    # DESIGN.md worked example: 1 GW holds about 595,000 H100
    fit = estimator.gpus_for_power(1e9, 700, preset_assumptions("h100-sxm")["server_overhead"], 1.1, 1.2,
                                   whole=True)
    assert shown["Accelerators per 1 GW"] == units.format_count(fit)


def test_fleet_overrides_change_figures():
    at = _run()
    at.number_input(key="gpus").set_value(24_576)
    at.number_input(key="pue").set_value(1.1)
    at.number_input(key="utilization").set_value(0.75).run()
    _ok(at)
    r = estimator.estimate(_default(gpus=24_576, pue=1.1, utilization=0.75))
    shown = {**_metrics(at, "kpis_power"), **_metrics(at, "kpis_draw")}
    assert shown["Facility power (full load)"] == units.format_power(r.facility_power_w)
    assert shown["Average facility draw"] == units.format_power(r.average_facility_power_w)
    assert at.query_params["gpus"] == "24576"
    assert at.query_params["pue"] == "1.1"


def test_fleet_load_swing_formula():
    at = _run()
    at.number_input(key="gpus").set_value(24_576)
    at.slider(key="idle_fraction").set_value(0.1)
    at.slider(key="job_share").set_value(50).run()
    _ok(at)
    shown = _metrics(at, "kpis_swing")
    swing = estimator.load_swing_w(24_576 * 0.5, 700, 0.1)
    assert shown["Load swing"] == units.format_power(swing)
    assert shown["Accelerators in the job"] == units.format_count(12_288)
    assert at.latex  # the formula is on the page


def test_breakdown_chart_present():
    at = _run()
    assert at.get_by_key("chart_breakdown") is not None


# --------------------------------------------------------------------------- presets

def test_preset_change_fills_inputs_and_keeps_fleet():
    at = _run()
    at.number_input(key="gpus").set_value(50_000).run()
    at.selectbox(key="accelerator").set_value("b200").run()
    _ok(at)
    part = catalog.accelerator("b200")
    assert at.number_input(key="gpu_watts").value == part.gpu_watts.value
    assert at.number_input(key="server_overhead").value == part.server_overhead.value
    assert at.number_input(key="peak_tflops").value == pytest.approx(part.peak_flop_per_s.value / 1e12)
    assert at.number_input(key="gpus").value == 50_000
    r = estimator.estimate(Scenario(**{**preset_assumptions("b200", "nameplate"), "gpus": 50_000}))
    assert _metrics(at, "kpis_power")["Facility power (full load)"] == units.format_power(r.facility_power_w)


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
    assert row["Status"] == "preset"
    assert set(table["Confirmed"]) >= {"yes"}
    at.number_input(key="gpu_watts").set_value(650.0).run()
    table = _assumptions(at)
    row = table[table["Assumption"].str.startswith("Accelerator power")].iloc[0]
    assert row["Status"].startswith("overridden")


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
    ("energy", "period", ""),  # the page stops at "set a period"
    ("training", "peak_tflops", None),  # stops at "no peak"
    ("explorer", "budget", "5 kW"),  # stops at a rejected page input
    ("fleet", "period", "forever"),  # an invalid sidebar input
])
def test_assumptions_panel_shown_when_a_page_stops_early(page, key, value):
    at = _run(page)
    widget = at.number_input(key=key) if key == "peak_tflops" else at.text_input(key=key)
    widget.set_value(value).run()
    _ok(at)
    assert any(e.label == "Assumptions and sources" for e in at.expander)
    at.session_state["assumptions_panel"] = True
    at.run()
    _ok(at)
    if key == "period" and value == "forever":
        assert any("inputs in the sidebar are valid" in c.value for c in at.caption)
    else:
        assert len(_table(at, "assumptions_table")) == len(Scenario.field_names())


def test_unconfirmed_preset_is_flagged():
    at = _run()
    at.selectbox(key="accelerator").set_value("tpu-v5p").run()
    table = _assumptions(at)
    row = table[table["Assumption"].str.startswith("Accelerator power")].iloc[0]
    assert row["Confirmed"].startswith("no")


def test_sidebar_and_page_inputs_persist_across_pages():
    at = _run("explorer")
    at.number_input(key="gpus").set_value(2_000)
    at.text_input(key="budget").set_value("300 MW").run()
    at.switch_page("app_pages/energy.py").run()
    at.switch_page("app_pages/explorer.py").run()
    _ok(at)
    assert at.number_input(key="gpus").value == 2_000
    assert at.text_input(key="budget").value == "300 MW"


# --------------------------------------------------------------------------- 1 GW explorer

def test_explorer_default_1gw():
    at = _run("explorer")
    s = _default()
    out = tables.budget_fleet(1e9, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                              s.peak_flop_per_s, s.mfu, 90 * 24, 3.8e25)
    shown = {**_metrics(at, "kpis_budget"), **_metrics(at, "kpis_training")}
    assert shown["Accelerators that fit"] == units.format_count(out["gpus"])
    assert shown["Peak compute"] == units.format_flop_rate(out["peak_cluster_flop_per_s"])
    assert shown["Sustained compute"] == units.format_flop_rate(out["sustained_flop_per_s"])
    assert shown["Training compute in 90 days"] == units.format_flop(out["flop_in_period"])
    assert shown["Reference runs in the period"] == f"{out['runs']:,.1f}"
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
    assert shown["Accelerators that fit"] == units.format_count(out["gpus"])
    assert shown["Reference runs in the period"] == f"{out['runs']:,.1f}"
    t = tables.accelerator_table(3e8, "nameplate", network_overhead=1.1, pue=1.2, mfu=0.4, hours=720,
                                 training_flop=1e25)
    table = _table(at, "table_accelerators")
    assert list(table["Fit in budget"]) == [units.format_count(g) for g in t["gpus"]]


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
    assert at.number_input(key="peak_tflops").value == pytest.approx(1978.9)


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
    at.text_input(key="period").set_value("90 days").run()
    _ok(at)
    r = estimator.estimate(_default(hours=2160, electricity_price=0.08, carbon_intensity=0.4, wue=0.3))
    shown = {**_metrics(at, "kpis_energy"), **_metrics(at, "kpis_impact")}
    assert shown["Facility energy"] == units.format_energy(r.energy_wh)
    assert shown["IT energy"] == units.format_energy(r.it_energy_wh)
    assert shown["Electricity cost"] == units.format_money(r.cost)
    assert shown["Emissions (location-based)"] == units.format_mass(r.emissions_kg) + " CO2e"
    assert shown["Site water"] == units.format_volume(r.water_l)
    assert not at.info


def test_energy_missing_figures_are_absent_then_filled_from_sites():
    at = _run("energy")
    shown = _metrics(at, "kpis_impact")
    assert shown["Electricity cost"] == "—"
    assert at.info
    at.button(key="fill_missing").click().run()
    _ok(at)
    price = catalog.site("us-hyperscale-2025").electricity_price.value
    assert at.number_input(key="electricity_price").value == pytest.approx(price)
    r = estimator.estimate(_default(electricity_price=price,
                                    carbon_intensity=catalog.site("llama3-training").carbon_intensity.value,
                                    wue=catalog.site("microsoft-fleet").wue.value))
    assert _metrics(at, "kpis_impact")["Electricity cost"] == units.format_money(r.cost)
    table = _assumptions(at)
    row = table[table["Assumption"] == "Electricity price"].iloc[0]
    assert "Epoch AI" in row["Source"]


def test_energy_without_period():
    at = _run("energy")
    at.text_input(key="period").set_value("").run()
    _ok(at)
    assert at.info and not at.error


# --------------------------------------------------------------------------- training

def test_training_run_figures_equal_library():
    at = _run("training")
    at.number_input(key="gpus").set_value(16_384)
    at.number_input(key="mfu").set_value(0.41).run()
    _ok(at)
    s = _default(gpus=16_384, mfu=0.41)
    flop = estimator.training_flop(405e9, 15.6e12)
    run = tables.training_run(s, flop)
    shown = {**_metrics(at, "kpis_run"), **_metrics(at, "kpis_run_energy")}
    assert shown["Training compute"] == units.format_flop(flop)
    assert shown["Time to train"] == units.format_duration(run["training_time_s"])
    assert shown["Accelerator-hours"] == units.format_count(run["gpu_hours"]) + " GPU-h"
    assert shown["Facility energy"] == units.format_energy(run["energy_wh"])
    need = tables.training_fleet(s, flop, 90 * 86_400)
    inverse = _metrics(at, "kpis_inverse")
    assert inverse["Accelerators needed"] == units.format_count(need["gpus"])
    assert inverse["Facility power (full load)"] == units.format_power(need["facility_power_w"])


def test_training_by_flop_and_inverse_days():
    at = _run("training")
    at.radio(key="train_mode").set_value("flop").run()
    at.text_input(key="train_flop").set_value("1e26 FLOP")
    at.number_input(key="train_days").set_value(30.0).run()
    _ok(at)
    s = _default()
    assert _metrics(at, "kpis_run")["Time to train"] == units.format_duration(
        estimator.training_time_s(1e26, s.gpus, s.peak_flop_per_s, s.mfu))
    need = tables.training_fleet(s, 1e26, 30 * 86_400)
    assert _metrics(at, "kpis_inverse")["Accelerators needed"] == units.format_count(need["gpus"])


@pytest.mark.parametrize(("key", "text"), [("train_parameters", "lots"), ("train_tokens", "-5T"),
                                           ("train_parameters", "1e30")])
def test_training_bad_size_shows_error(key, text):
    at = _run("training")
    at.text_input(key=key).set_value(text).run()
    _ok(at)
    assert at.error


def test_training_without_peak_is_explained():
    at = _run("training")
    at.number_input(key="peak_tflops").set_value(None).run()
    _ok(at)
    assert at.info and not at.error


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
    at.number_input(key="gpus").set_value(1_000).run()
    at.selectbox(key="kept_select").set_value("Scenario 1")
    at.button(key="load_button").click().run()
    _ok(at)
    assert at.number_input(key="gpus").value == 100_000
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
    assert kept["Llama (2)"]["presets"] == {"accelerator": "h100-sxm", "methodology": "epoch-ai"}
    assert at.success


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
    (b"gpus = 1000\ngpu_watts = 700\npue = 0.5\n", "pue must be >= 1"),
    (b"gpus = 1000\ngpu_wats = 700\n", "did you mean 'gpu_watts'"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"gpus = [", "not valid TOML"),
    (b"gpus = 1000\ngpu_watts = 700\npue = [1.1, 1.2]\n", "array"),
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
    params = links.query_from_scenario(s, {"accelerator": "h100-sxm", "methodology": "nameplate"})
    at = _run("fleet", params)
    assert not at.warning
    assert at.number_input(key="gpus").value == 16_384
    assert at.number_input(key="electricity_price").value == 0.05
    assert _metrics(at, "kpis_power")["Facility power (full load)"] == units.format_power(
        estimator.estimate(s).facility_power_w)
    at.switch_page("app_pages/compare.py").run()
    _ok(at)
    assert "gpus=16384" in at.code[0].value


def test_share_url_restores_presets_and_period():
    at = _run("fleet", {"accelerator": "gb200", "methodology": "epoch-ai-gpu-share", "site": "meta-fleet",
                        "gpus": "72000", "gpu_watts": "1200", "hours": "2160"})
    assert not at.warning
    assert at.selectbox(key="accelerator").value == "gb200"
    assert at.selectbox(key="site").value == "meta-fleet"
    assert at.text_input(key="period").value == "90 days"


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
    by_hand.number_input(key="gpus").set_value(50_000)
    by_hand.number_input(key="pue").set_value(1.3).run()
    _ok(by_hand)
    for key in ("gpu_watts", "server_overhead", "network_overhead", "pue", "utilization", "mfu",
                "peak_tflops", "gpus"):
        assert at.number_input(key=key).value == by_hand.number_input(key=key).value, key
    assert at.number_input(key="network_overhead").value == 1.1
    assert at.number_input(key="mfu").value == 0.4
    assert at.text_input(key="period").value == "1 year"
    assert _metrics(at, "kpis_energy") == _metrics(by_hand, "kpis_energy")
    changed = [c.value for c in at.caption if c.value.startswith("Changed from the presets")]
    assert changed == ["Changed from the presets: gpus, pue"]


@pytest.mark.parametrize("params", [
    {"gpus": "abc", "gpu_watts": "700"},
    {"gpus": "1000", "gpu_watts": "700", "pue": "0.5"},
    {"gpus": "1000", "gpu_watts": "nan"},
    {"gpus": "1e400", "gpu_watts": "700"},
    {"gpus": "1000", "gpu_watts": "700", "accelerator": "<script>alert(1)</script>"},
    {"gpus": "1000", "gpu_watts": "700", "evil": "[x](http://example.com)"},
    {"gpus": "", "pue": "1.2"},  # an empty value means "not given", and gpus has no preset
])
def test_tampered_url_warns_and_uses_defaults(params):
    at = _run("fleet", params)
    assert at.warning
    assert "defaults" in at.warning[0].value
    assert "<script>" not in at.warning[0].value  # escaped, never rendered as markup
    assert at.number_input(key="gpus").value == 100_000
    r = estimator.estimate(_default())
    assert _metrics(at, "kpis_power")["Facility power (full load)"] == units.format_power(r.facility_power_w)
    assert at.query_params["gpus"] == "100000"  # the address is rewritten with the defaults
