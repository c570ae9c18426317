"""The uncertainty page under Streamlit's AppTest (no browser): it runs, shows the library's Monte Carlo
percentiles for the same ranges and seed, and turns a bad range into the library's message.

Widgets are found by key (all prefixed ``unc_``); figures are compared with
:func:`estimator.uncertainty.monte_carlo` on the specs built the way the page builds them
(:func:`estimator.uncertainty.default_ranges` and :func:`estimator.distributions.spec_from_range`),
formatted with the same estimator.units functions.
"""

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app_pages.common import METRIC_LABELS
from estimator import distributions, fields, uncertainty, units
from estimator.scenario import Scenario, preset_assumptions

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/uncertainty.py"
OUTPUTS = ["facility_power_w", "average_facility_power_w", "gpus_per_gigawatt", "energy_wh"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _run(**sidebar) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for key, value in sidebar.items():
        at.number_input(key=key).set_value(value)
    at.switch_page(PAGE).run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _metrics(at: AppTest, output: str) -> dict[str, str]:
    return {m.label: m.value for m in at.get_by_key(f"unc_kpis_{output}").metric}


def _has(at: AppTest, key: str) -> bool:
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True


def _errors(at: AppTest) -> list[str]:
    # Messages are shown with Markdown escaped; undo the escaping to read them.
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def _default(**changes) -> Scenario:
    """The dashboard's starting scenario: H100, nameplate methodology, 100,000 accelerators, MFU 0.4, a year."""
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 100_000, "mfu": 0.4,
                       "hours": 8760, **changes})


def _specs(scenario: Scenario, shape: str = "triangular", **ranges) -> dict:
    """The page's specs: every default range (or the (low, high) given), in one shape."""
    out = {}
    for field, d in uncertainty.default_ranges(scenario, "h100-sxm", distribution=shape).items():
        low, high = ranges.get(field, (d["low"], d["high"]))
        out[field] = distributions.spec_from_range(field, low, d["likely"], high, shape)
    return out


def _formatted(result, output: str) -> dict[str, str]:
    fmt = units.format_count if output == "gpus_per_gigawatt" else units.format_power
    p = result.percentiles[output]
    return {METRIC_LABELS["p5"]: fmt(p[5]), METRIC_LABELS["p50"]: fmt(p[50]), METRIC_LABELS["p95"]: fmt(p[95])}


# --------------------------------------------------------------------------- the page runs

def test_page_runs_and_shows_every_part():
    at = _run()
    assert at.title[0].value == "Uncertainty"
    assert not at.error
    for output in OUTPUTS:
        assert set(_metrics(at, output)) == {METRIC_LABELS[k] for k in ("p5", "p50", "p95", "at_sidebar")}
    for key in ("unc_chart_facility_power", "unc_chart_gpus_per_gigawatt", "unc_chart_tornado"):
        assert at.get_by_key(key).get("vega_lite_chart")
    sobol = at.get_by_key("unc_table_sobol").dataframe[0].value
    assert set(sobol["Assumption"]) >= {fields.label("pue"), fields.label("gpu_watts")}
    assert any("Saltelli" in c.value and "10.1016/j.cpc.2009.09.018" in c.value for c in at.caption)
    # every assumption of the scenario has a row, with its default range
    d = uncertainty.default_ranges(_default(), "h100-sxm")
    for field in d:
        assert at.number_input(key=f"unc_low_{field}").value is not None
    # PUE: the presets' spread 1.1–1.4, centred on nameplate's 1.2
    assert at.number_input(key="unc_low_pue").value == pytest.approx(1.05)
    assert at.number_input(key="unc_high_pue").value == pytest.approx(1.35)


def test_default_percentiles_equal_library():
    at = _run()
    result = uncertainty.monte_carlo(_specs(_default()), n=100_000, seed=0, outputs=OUTPUTS)
    for output in ("facility_power_w", "average_facility_power_w", "gpus_per_gigawatt"):
        shown = _metrics(at, output)
        assert {k: shown[k] for k in _formatted(result, output)} == _formatted(result, output)
    shown = _metrics(at, "energy_wh")
    assert shown[METRIC_LABELS["p50"]] == units.format_energy(result.percentiles["energy_wh"][50])
    r = uncertainty.evaluate(_default(), ["facility_power_w"])
    assert _metrics(at, "facility_power_w")[METRIC_LABELS["at_sidebar"]] == units.format_power(r["facility_power_w"])


def test_seed_shape_samples_and_edited_range_equal_library():
    at = _run()
    at.number_input(key="unc_seed").set_value(7)
    at.radio(key="unc_distribution").set_value("uniform")
    at.select_slider(key="unc_samples").set_value(20_000)
    at.number_input(key="unc_high_pue").set_value(1.6).run()
    _ok(at)
    assert not at.error
    result = uncertainty.monte_carlo(_specs(_default(), "uniform", pue=(1.05, 1.6)), n=20_000, seed=7,
                                     outputs=OUTPUTS)
    shown = _metrics(at, "facility_power_w")
    assert shown[METRIC_LABELS["p50"]] == _formatted(result, "facility_power_w")[METRIC_LABELS["p50"]]
    assert shown[METRIC_LABELS["p95"]] == _formatted(result, "facility_power_w")[METRIC_LABELS["p95"]]


def test_lognormal_shape_equals_library_and_reports_clipping():
    at = _run()
    at.radio(key="unc_distribution").set_value("lognormal").run()
    _ok(at)
    result = uncertainty.monte_carlo(_specs(_default(), "lognormal"), n=100_000, seed=0, outputs=OUTPUTS)
    assert _metrics(at, "gpus_per_gigawatt")[METRIC_LABELS["p50"]] == _formatted(result, "gpus_per_gigawatt")[
        METRIC_LABELS["p50"]]
    # the default PUE range is 1.2 ÷ and × sqrt(1.4 / 1.1); its tail below 1 (about 0.6 %) is clipped at 1
    assert at.number_input(key="unc_low_pue").value == pytest.approx(1.2 / (1.4 / 1.1) ** 0.5, abs=1e-3)
    assert 0.002 < result.clipped["pue"] < 0.02
    assert any("clipped" in c.value and "PUE" in c.value for c in at.caption)


def test_large_run_shows_progress_and_equals_library():
    at = _run()
    at.select_slider(key="unc_samples").set_value(200_000).run()
    _ok(at)
    result = uncertainty.monte_carlo(_specs(_default()), n=200_000, seed=0, outputs=OUTPUTS)
    median = METRIC_LABELS["p50"]
    assert _metrics(at, "facility_power_w")[median] == _formatted(result, "facility_power_w")[median]
    assert not at.get("progress")  # the bar is removed once the run is done
    at.run()  # the same run again comes from the cache
    _ok(at)
    median = METRIC_LABELS["p50"]
    assert _metrics(at, "facility_power_w")[median] == _formatted(result, "facility_power_w")[median]


def test_emissions_shown_when_grid_intensity_given():
    at = _run(carbon_intensity=0.4)
    scenario = _default(carbon_intensity=0.4)
    result = uncertainty.monte_carlo(_specs(scenario), n=100_000, seed=0, outputs=[*OUTPUTS, "emissions_kg"])
    shown = _metrics(at, "emissions_kg")
    assert shown[METRIC_LABELS["p50"]] == units.format_mass(result.percentiles["emissions_kg"][50]) + " CO2e"


# --------------------------------------------------------------------------- sensitivity

def _datasets(at: AppTest, key: str) -> tuple[dict, dict]:
    """The Vega-Lite spec of a keyed chart and its named datasets (as lists of rows)."""
    import json

    import pyarrow as pa

    (chart,) = at.get_by_key(key).get("vega_lite_chart")
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in chart.proto.datasets}
    return json.loads(chart.proto.spec), data


def test_histogram_marks_the_users_value():
    at = _run()
    point = uncertainty.evaluate(_default(), ["facility_power_w", "gpus_per_gigawatt"])
    spec, data = _datasets(at, "unc_chart_facility_power")
    assert any(layer.get("data", {}).get("name") == "yours" and layer["mark"]["type"] == "rule"
               for layer in spec["layer"])
    (mark,) = data["yours"]
    assert mark["x"] == pytest.approx(units.to_unit(point["facility_power_w"], "MW"), rel=1e-12)
    assert mark["label"] == f"At your values: {units.format_power(point['facility_power_w'])}"
    _, data = _datasets(at, "unc_chart_gpus_per_gigawatt")
    assert data["yours"][0]["x"] == pytest.approx(point["gpus_per_gigawatt"], rel=1e-12)


def test_p50_within_two_percent_of_the_point_estimate():
    # The dashboard's starting scenario: with every default range centred on the sidebar's value, the median
    # of facility power is within 2 % of the single-value estimate (it sat 5 % below with the former
    # presets'-lowest-to-highest ranges: P50 159.6 MW against 168.3 MW).
    at = _run()
    point = uncertainty.evaluate(_default(), ["facility_power_w"])["facility_power_w"]
    result = uncertainty.monte_carlo(_specs(_default()), n=100_000, seed=0, outputs=["facility_power_w"])
    assert _metrics(at, "facility_power_w")[METRIC_LABELS["p50"]] == _formatted(result, "facility_power_w")[
        METRIC_LABELS["p50"]]
    assert abs(result.percentiles["facility_power_w"][50] / point - 1) < 0.02


def test_water_and_cost_among_the_outputs():
    at = _run(electricity_price=0.08, wue=0.3)
    options = at.selectbox(key="unc_output").options
    assert {fields.label("cost"), fields.label("water_l")} <= set(options)
    scenario = _default(electricity_price=0.08, wue=0.3)
    result = uncertainty.monte_carlo(_specs(scenario), n=100_000, seed=0, outputs=["cost", "water_l"])
    assert _metrics(at, "cost")[METRIC_LABELS["p50"]] == units.format_value(result.percentiles["cost"][50], "$")
    at.selectbox(key="unc_output").set_value("water_l").run()
    _ok(at)
    rows = uncertainty.tornado(_specs(scenario), "water_l")
    assert any(r.field == "wue" for r in rows)
    _, data = _datasets(at, "unc_chart_tornado")
    assert {r["assumption"] for r in data["bars"]} >= {fields.label("wue")}


def test_tornado_and_sobol_follow_the_chosen_output():
    at = _run()
    sobol = at.get_by_key("unc_table_sobol").dataframe[0].value
    assert fields.label("pue") in set(sobol["Assumption"])
    at.selectbox(key="unc_output").set_value("gpus_per_gigawatt").run()
    _ok(at)
    assert any("accelerators per 1 gw" in c.value.lower() for c in at.caption)
    specs = _specs(_default())
    expected = uncertainty.sobol_first_order(specs, "gpus_per_gigawatt", n=12_500, seed=0)
    sobol = at.get_by_key("unc_table_sobol").dataframe[0].value
    top = sobol.iloc[0]
    field = next(iter(expected.first_order))
    assert top["Assumption"] == fields.label(field)
    assert top["First-order share S_i [%]"] == pytest.approx(100 * expected.first_order[field])


# --------------------------------------------------------------------------- ranges and bad input

@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("unc_low_pue", 0.9, "pue low must be >= 1 (got 0.9)"),
    ("unc_low_pue", 1.5, "pue triangular range: values must be ordered low <= likely <= high"),
    ("unc_high_utilization", 1.2, "utilization high must be in (0, 1] (got 1.2)"),
    ("unc_low_gpu_watts", -5.0, "gpu_watts low must be > 0 (got -5.0)"),
    ("unc_low_mfu", 0.0, "mfu low must be in (0, 1] (got 0.0)"),
])
def test_bad_range_shows_library_message(key, value, fragment):
    at = _run()
    at.number_input(key=key).set_value(value).run()
    _ok(at)
    assert any(fragment in e for e in _errors(at)), _errors(at)
    assert not _has(at, "unc_kpis_facility_power_w")
    assert all("Traceback" not in e for e in _errors(at))


def test_low_above_high_uniform_shows_error():
    at = _run()
    at.radio(key="unc_distribution").set_value("uniform")
    at.number_input(key="unc_low_pue").set_value(1.5).run()
    _ok(at)
    assert any("pue uniform range: high must be >= low" in e for e in _errors(at)), _errors(at)


def test_sidebar_change_resets_its_row_and_keeps_other_edits():
    at = _run()
    at.number_input(key="unc_high_pue").set_value(1.5)
    at.number_input(key="unc_low_gpu_watts").set_value(600.0).run()
    at.number_input(key="gpu_watts").set_value(800.0).run()
    _ok(at)
    # the accelerator power changed, so its row follows the new value; the PUE row keeps the edit
    assert at.number_input(key="unc_low_gpu_watts").value == pytest.approx(740.0)  # 800 W ± 7.5 %
    assert at.number_input(key="unc_high_gpu_watts").value == pytest.approx(860.0)
    assert at.number_input(key="unc_high_pue").value == pytest.approx(1.5)
    # a new shape keeps the typed PUE row and reseeds the others to that shape's centred defaults
    at.radio(key="unc_distribution").set_value("lognormal").run()
    _ok(at)
    assert at.number_input(key="unc_high_pue").value == pytest.approx(1.5)
    assert at.number_input(key="unc_high_gpu_watts").value == pytest.approx(800 * 1.075)
    at.button(key="unc_reset").click().run()
    _ok(at)
    assert at.number_input(key="unc_high_pue").value == pytest.approx(1.2 * (1.4 / 1.1) ** 0.5, abs=1e-3)


def test_fixed_rows_and_every_range_fixed():
    at = _run()
    # fleet size, period and peak are held fixed by default
    assert at.number_input(key="unc_low_gpus").value == at.number_input(key="unc_high_gpus").value == 100_000
    d = uncertainty.default_ranges(_default(), "h100-sxm")
    for field, r in d.items():
        if field == "peak_flop_per_s":
            continue  # shown in TFLOP/s; already fixed
        at.number_input(key=f"unc_low_{field}").set_value(r["likely"])
        at.number_input(key=f"unc_high_{field}").set_value(r["likely"])
    at.run()
    _ok(at)
    assert not at.error
    assert any("held fixed" in i.value for i in at.info)
    p = _metrics(at, "facility_power_w")
    assert p[METRIC_LABELS["p5"]] == p[METRIC_LABELS["p95"]] == p[METRIC_LABELS["at_sidebar"]]


def test_invalid_sidebar_stops_with_message():
    at = _run()
    at.text_input(key="hours").set_value("forever").run()
    _ok(at)
    assert any("hours" in e for e in _errors(at))
    # The page says plainly that results needing the period are not shown (never stale figures).
    assert any("not shown" in w.value for w in at.warning)
    assert not _has(at, "unc_kpis_energy_wh")


def test_page_url_is_uncertainty():
    source = Path(APP).read_text(encoding="utf-8")
    assert 'url_path="uncertainty"' in source


def test_sobol_interactions_caption_never_shows_a_negative_share_within_its_error():
    at = _run()
    (caption,) = [c.value for c in at.caption if "1 − ΣS_i" in c.value]
    value = re.search(r"1 − ΣS_i = (.*?)(?:\. Estimated| \(within)", caption).group(1)
    assert "-" not in value  # the minus sign, never a hyphen
    if not value.startswith("about 0 %"):
        shown = float(value.removesuffix(" %").replace("−", "-"))
        n = int(re.search(r"from ([\d,]+) base samples", caption).group(1).replace(",", ""))
        assert abs(shown) >= 100 * uncertainty.sobol_sampling_error(n, 1)


def test_likely_column_uses_the_inputs_digits():
    at = _run()
    likely = [m.value for m in at.get_by_key("unc_ranges").markdown]
    assert "1.821" in likely and "8,760" in likely  # not "1.82143", not "8,760 h (1 year)"


def test_serving_assumptions_get_ranges_and_serving_outputs_are_selectable():
    at = _run(tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0)
    s = _default(tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0)
    d = uncertainty.default_ranges(s, "h100-sxm")
    assert at.number_input(key="unc_low_tokens_per_s_per_gpu").value == pytest.approx(d["tokens_per_s_per_gpu"]["low"])
    assert at.number_input(key="unc_high_tokens_per_query").value == pytest.approx(d["tokens_per_query"]["high"])
    outputs = [*OUTPUTS, "energy_per_query_wh", "queries_per_day"]
    result = uncertainty.monte_carlo(_specs(s), n=100_000, seed=0, outputs=outputs)
    shown = _metrics(at, "energy_per_query_wh")
    assert shown[METRIC_LABELS["p50"]] == units.format_value(result.percentiles["energy_per_query_wh"][50], "Wh")
    assert _metrics(at, "queries_per_day")[METRIC_LABELS["p95"]] == units.format_value(
        result.percentiles["queries_per_day"][95], "count")
    at.selectbox(key="unc_output").set_value("energy_per_query_wh").run()
    _ok(at)
    sobol = at.get_by_key("unc_table_sobol").dataframe[0].value
    assert fields.label("tokens_per_query") in set(sobol["Assumption"])
