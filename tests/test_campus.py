"""Campuses: estimator.campus (Campus, estimate over blocks, timeline) and the dashboard's campus page."""

from __future__ import annotations

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import datetime
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import estimator
from estimator import Campus, Scenario, campus, fields, io, timeline, units
from estimator.scenario import estimate as estimate_one

ROOT = Path(__file__).resolve().parents[1]

# Epoch AI, GPU clusters dataset (epoch.ai/data/gpu-clusters), xAI Colossus phase 3 (2025):
# 200,000 × 700 W + 30,000 × 1,200 W, × 1.82 (every system) × PUE 1.10 = 352.352 MW.
COLOSSUS_H = Scenario(gpus=200_000, gpu_watts=700, server_overhead=1.82, pue=1.10)
COLOSSUS_G = Scenario(gpus=30_000, gpu_watts=1200, server_overhead=1.82, pue=1.10)

MONEY = dict(hours=8760, electricity_price=0.08, accelerator_cost=40_000, facility_cost_per_w=12,
             hardware_life_years=5, facility_life_years=20)


def _block(gpus, watts=700.0, **kw):
    return Scenario(gpus=gpus, gpu_watts=watts, server_overhead=1.82, network_overhead=1.1, pue=1.2,
                    utilization=0.75, **kw)


# --------------------------------------------------------------------------- Campus


def test_campus_colossus_phase_3_is_epochs_352_352_mw():
    r = estimator.estimate(Campus([COLOSSUS_H, COLOSSUS_G], names=["H100/H200", "GB200"],
                                  online=["2025-01-01", "2025-01-01"]))
    assert_allclose(r.facility_power_w, 352.352e6, rtol=1e-12)
    assert r.gpus == 230_000
    assert_allclose(r.watts_per_gpu, 352.352e6 / 230_000, rtol=1e-15)
    assert len(r.blocks) == 2
    assert_allclose(r.blocks[0].facility_power_w, 280.28e6, rtol=1e-12)
    assert_allclose(r.blocks[1].facility_power_w, 72.072e6, rtol=1e-12)


def test_campus_blocks_are_each_blocks_own_estimate():
    blocks = [_block(1000, **MONEY), _block(2000, 1000.0, **MONEY)]
    c = Campus(blocks)
    r = estimator.estimate(c)
    assert r.blocks == tuple(estimate_one(s) for s in blocks)
    assert c.block_estimates is c.block_estimates  # computed once
    assert r.names == ("block 1", "block 2")


block_strategy = st.builds(
    lambda gpus, watts, server, network, pue, util, hours, price, cost, per_w: Scenario(
        gpus=gpus, gpu_watts=watts, server_overhead=server, network_overhead=network, pue=pue, utilization=util,
        hours=hours, electricity_price=price, carbon_intensity=0.4, wue=0.3, peak_flop_per_s=989.4e12, mfu=0.4,
        accelerator_cost=cost, facility_cost_per_w=per_w, hardware_life_years=5, facility_life_years=20),
    st.integers(1, 10**6), st.floats(50, 2000), st.floats(1, 2.5), st.floats(1, 1.3), st.floats(1, 2),
    st.floats(0.1, 1), st.floats(1, 8760), st.floats(0, 0.3), st.floats(1e3, 1e5), st.floats(0, 30))


@settings(max_examples=60, deadline=None)
@given(blocks=st.lists(block_strategy, min_size=1, max_size=5))
def test_campus_estimate_is_the_sum_of_block_estimates(blocks):
    r = estimator.estimate(Campus(blocks))
    ones = [estimate_one(s) for s in blocks]
    for f in fields.OUTPUTS:
        if not f.additive:  # ratios are recomputed; per-token figures are absent for a campus
            continue
        parts = [getattr(e, f.name) for e in ones]
        if any(p is None for p in parts):
            assert getattr(r, f.name) is None, f.name
            continue
        assert_allclose(getattr(r, f.name), sum(parts), rtol=1e-12, err_msg=f.name)
    assert r.gpus == sum(s.gpus for s in blocks)
    assert_allclose(r.watts_per_gpu, r.facility_power_w / r.gpus, rtol=1e-15)
    assert_allclose(r.cost_per_gpu_hour, r.total_cost / sum(s.gpus * s.hours for s in blocks), rtol=1e-12)
    assert_allclose(r.h100_equivalents, r.gpus, rtol=1e-12)  # every block has an H100's peak


def test_campus_sum_is_none_where_a_block_lacks_it():
    r = estimator.estimate(Campus([_block(1000, hours=24), _block(1000)]))
    assert r.energy_wh is None and r.facility_power_w is not None
    assert r.h100_equivalents is None and r.cost_per_gpu_hour is None


def test_campus_broadcasts_array_blocks():
    r = estimator.estimate(Campus([_block(1000), Scenario(gpus=1000, gpu_watts=700, pue=np.array([1.1, 1.3]))]))
    assert r.facility_power_w.shape == (2,)
    assert_allclose(r.facility_power_w, 1000 * 700 * 1.82 * 1.1 * 1.2 + 1000 * 700 * np.array([1.1, 1.3]),
                    rtol=1e-15)


def test_campus_h100_equivalents_use_the_bf16_peak():
    # an FP8 preset block still counts by its dense BF16 peak
    fp8 = Scenario.from_accelerator("h100-sxm", gpus=1000, precision="fp8")
    bf16 = Scenario.from_accelerator("h100-sxm", gpus=1000)
    assert fp8.peak_flop_per_s > bf16.peak_flop_per_s
    assert_allclose(estimator.estimate(Campus([fp8, bf16])).h100_equivalents, 2000.0, rtol=1e-12)
    assert_allclose(estimator.h100_equivalents(1000, 2 * 989.4e12), 2000.0, rtol=1e-15)


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    (dict(scenarios=[]), ValueError, "at least one block"),
    (dict(scenarios=[1]), TypeError, "block 0 must be a Scenario"),
    (dict(scenarios=[COLOSSUS_H], names=["a", "b"]), ValueError, "one entry per block: 1 blocks, 2 names"),
    (dict(scenarios=[COLOSSUS_H, COLOSSUS_G], names=["a", "a"]), ValueError, "'a' is given twice"),
    (dict(scenarios=[COLOSSUS_H], names=[""]), TypeError, r"names\[0\] must be non-empty text"),
    (dict(scenarios=[COLOSSUS_H], online=["2025-13-01"]), ValueError, r"online\[0\] must be a date YYYY-MM-DD"),
    (dict(scenarios=[COLOSSUS_H], online=[20250101]), TypeError, r"online\[0\] must be a date"),
    (dict(scenarios=[COLOSSUS_H], online=["2025-06-01"], retire=["2025-06-01"]), ValueError,
     r"retire\[0\] must be after online\[0\]"),
    (dict(scenarios=[COLOSSUS_H], online="2025-01-01"), TypeError, "online must be a list"),
])
def test_campus_invalid(kwargs, error, match):
    with pytest.raises(error, match=match):
        Campus(**kwargs)


def test_campus_accepts_dates_of_every_kind():
    c = Campus([COLOSSUS_H, COLOSSUS_G, COLOSSUS_H], names=["a", "b", "c"],
               online=["2025-01-01", datetime.date(2025, 2, 1), np.datetime64("2025-03-01")])
    assert [str(d) for d in c.online] == ["2025-01-01", "2025-02-01", "2025-03-01"]


def test_campus_is_frozen():
    c = Campus([COLOSSUS_H])
    with pytest.raises(AttributeError, match="frozen"):
        c.names = ("x",)


# --------------------------------------------------------------------------- timeline


def test_period_starts_month_end_inclusive():
    starts, ends = campus.period_starts("2024-10-01", "2025-12-31", "month")
    assert len(starts) == 15
    assert str(starts[0]) == "2024-10-01" and str(starts[-1]) == "2025-12-01"
    assert str(ends[-1]) == "2026-01-01"
    assert (starts[1:] == ends[:-1]).all()


def test_period_starts_quarter_and_year_align_to_the_calendar():
    starts, _ = campus.period_starts("2024-11-15", "2025-12-31", "quarter")
    assert [str(d) for d in starts] == ["2024-11-15", "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01"]
    starts, ends = campus.period_starts("2024-06-01", "2026-03-31", "year")
    assert [str(d) for d in starts] == ["2024-06-01", "2025-01-01", "2026-01-01"]
    assert str(ends[-1]) == "2026-04-01"
    starts, ends = campus.period_starts("2025-01-01", "2025-01-01", "year")
    assert len(starts) == 1 and (ends - starts)[0] == np.timedelta64(1, "D")


def test_period_starts_before_1970():
    starts, _ = campus.period_starts("1969-11-20", "1970-02-01", "quarter")
    assert [str(d) for d in starts] == ["1969-11-20", "1970-01-01"]


@pytest.mark.parametrize(("args", "error", "match"), [
    (("2025-01-01", "2024-01-01", "month"), ValueError, "end must be on or after start"),
    (("2025-01-01", "2025-12-31", "week"), ValueError, "freq must be one of month, quarter, year"),
    (("2025-01-01", None, "month"), TypeError, "needs a start and an end"),
    (("0001-01-01", "9999-12-31", "month"), ValueError, "at most 100,000 periods"),
])
def test_period_starts_invalid(args, error, match):
    with pytest.raises(error, match=match):
        campus.period_starts(*args)


def test_timeline_block_draws_nothing_before_its_online_date():
    c = Campus([_block(100_000, **MONEY), _block(50_000, 1200.0, **MONEY)], names=["A", "B"],
               online=["2025-01-01", "2025-07-01"])
    t = timeline(c, start="2024-10-01", end="2025-12-31", freq="month")
    a, b = estimate_one(c.scenarios[0]), estimate_one(c.scenarios[1])
    before = t.dates < np.datetime64("2025-01-01")
    assert (t.facility_power_w[before] == 0).all() and (t.energy_wh[before] == 0).all()
    assert (t.cost[before] == 0).all() and (t.gpus[before] == 0).all()
    only_a = (t.dates >= np.datetime64("2025-01-01")) & (t.dates < np.datetime64("2025-07-01"))
    assert_allclose(t.facility_power_w[only_a], a.facility_power_w, rtol=1e-15)
    after = t.dates >= np.datetime64("2025-07-01")
    assert_allclose(t.facility_power_w[after], a.facility_power_w + b.facility_power_w, rtol=1e-15)
    assert (t.by_block("facility_power_w")[1][~after] == 0).all()
    assert t.by_block("facility_power_w").shape == (2, 15)


def test_timeline_prorates_energy_by_day():
    # online on 11 March: 21 of March's 31 days
    s = _block(10_000, hours=1, electricity_price=0.1)
    t = timeline(Campus([s], online=["2025-03-11"]), "2025-03-01", "2025-04-30")
    avg = estimate_one(s).average_facility_power_w
    assert_allclose(t.energy_wh, [avg * 21 * 24, avg * 30 * 24], rtol=1e-15)
    assert_allclose(t.cost, t.energy_wh / 1000 * 0.1, rtol=1e-15)
    assert_allclose(t.hours, [31 * 24, 30 * 24], rtol=0)
    assert t.facility_power_w[0] == 0.0  # not online at 1 March
    assert t.facility_power_w[1] == estimate_one(s).facility_power_w


def test_timeline_ignores_the_blocks_hours():
    short, long = _block(1000, hours=1), _block(1000, hours=87_600)
    t1 = timeline(Campus([short]), "2025-01-01", "2025-12-31")
    t2 = timeline(Campus([long]), "2025-01-01", "2025-12-31")
    assert_allclose(t1.energy_wh, t2.energy_wh, rtol=0)
    assert_allclose(t1.energy_wh.sum(), estimate_one(_block(1000, hours=8760)).energy_wh, rtol=1e-12)


def test_timeline_retires_after_hardware_life_or_at_retire_date():
    s = _block(1000, hardware_life_years=1)
    c = Campus([s, _block(2000)], names=["lived", "dated"], online=["2025-01-01", "2025-01-01"],
               retire=[None, "2025-04-01"])
    assert [str(d) for d in c.retire_dates()] == ["2026-01-01", "2025-04-01"]
    t = timeline(c, "2025-01-01", "2026-06-30", "quarter")
    gpus = t.by_block("gpus")
    assert gpus[0].tolist() == [1000] * 4 + [0, 0]
    assert gpus[1].tolist() == [2000, 0, 0, 0, 0, 0]
    assert t.energy_wh[-1] == 0.0


def test_timeline_money_accrues_only_while_online():
    s = _block(1000, **MONEY)
    t = timeline(Campus([s], online=["2025-07-01"]), "2025-01-01", "2025-12-31", "year")
    one = estimate_one(s.replace(hours=184 * 24))  # 1 July to 31 December
    for name in ("energy_wh", "cost", "amortized_capex", "total_cost"):
        assert_allclose(getattr(t, name), [getattr(one, name)], rtol=1e-12, err_msg=name)
    assert t.capex[0] == 0.0  # not yet in place on 1 January


def test_timeline_compute_and_h100_equivalents():
    h = Scenario.from_accelerator("h100-sxm", gpus=100_000, mfu=0.4)
    g = Scenario.from_accelerator("gb200", gpus=30_000, mfu=0.4)
    t = timeline(Campus([h, g], online=["2025-01-01", "2025-04-01"]), "2025-01-01", "2025-06-30", "quarter")
    assert_allclose(t.h100_equivalents[0], 100_000, rtol=1e-12)
    gb200 = 30_000 * g.peak_flop_per_s / 989.4e12
    assert_allclose(t.h100_equivalents[1], 100_000 + gb200, rtol=1e-12)
    assert_allclose(t.peak_cluster_flop_per_s, [100_000 * h.peak_flop_per_s,
                                                100_000 * h.peak_flop_per_s + 30_000 * g.peak_flop_per_s],
                    rtol=1e-12)
    assert_allclose(t.sustained_flop_per_s, 0.4 * t.peak_cluster_flop_per_s, rtol=1e-12)


def test_timeline_fields_absent_where_a_block_lacks_them():
    t = timeline(Campus([_block(10), _block(10, electricity_price=0.1)]), "2025-01-01", "2025-03-31")
    assert t.energy_wh is not None and t.cost is None and t.by_block("cost") is None
    assert "watts_per_gpu" not in t.field_names()
    with pytest.raises(AttributeError, match="no field 'watts_per_gpu'"):
        _ = t.watts_per_gpu


def test_timeline_refuses_array_blocks():
    with pytest.raises(ValueError, match="block 'block 1' has arrays in pue"):
        timeline(Campus([Scenario(gpus=10, gpu_watts=700, pue=np.array([1.1, 1.2]))]), "2025-01-01",
                 "2025-02-01")


def test_timeline_is_vectorized_over_periods():
    # 50 blocks × 12,000 monthly periods: well under a second without a loop over periods
    blocks = [_block(1000 + i, hardware_life_years=5, **{k: v for k, v in MONEY.items() if k != "hardware_life_years"})
              for i in range(50)]
    c = Campus(blocks, online=[f"{2000 + i}-01-01" for i in range(50)])
    started = time.perf_counter()
    t = timeline(c, "1025-01-01", "2024-12-31", "month")
    elapsed = time.perf_counter() - started
    assert len(t) == 12_000 and elapsed < 2.0
    window_end = np.datetime64("2025-01-01")
    expected = sum(estimate_one(s).average_facility_power_w * 24
                   * max(0, int((min(off, window_end) - on) / np.timedelta64(1, "D")))
                   for s, on, off in zip(blocks, c.online, c.retire_dates(), strict=True))
    assert_allclose(t.energy_wh.sum(), expected, rtol=1e-12)


def test_block_table():
    c = Campus([COLOSSUS_H, COLOSSUS_G], names=["H", "G"], online=["2025-01-01", None])
    rows = campus.block_table(c)
    assert rows["name"] == ["H", "G"] and rows["online"] == ["2025-01-01", None]
    assert_allclose(rows["facility_power_w"], [280.28e6, 72.072e6], rtol=1e-12)
    assert rows["capex"] == [None, None] and rows["h100_equivalents"] == [None, None]


# --------------------------------------------------------------------------- campus files

COLOSSUS_TOML = """
name = "xAI Colossus, phase 3 (Epoch AI's GPU-clusters method)"
server_overhead = 1.82   # every system, as Epoch counts it
pue = 1.10               # Epoch's PUE for 2025

[[block]]
name = "H100/H200"
gpus = "200k"
gpu_watts = "700 W"
online = 2025-01-01

[[block]]
name = "GB200"
gpus = 30_000
gpu_watts = "1.2 kW"
online = "2025-06-01"
pue = 1.10
"""


def test_loads_campus_colossus():
    c = io.loads_campus(COLOSSUS_TOML)
    assert c.names == ("H100/H200", "GB200")
    assert [str(d) for d in c.online] == ["2025-01-01", "2025-06-01"]
    assert_allclose(estimator.estimate(c).facility_power_w, 352.352e6, rtol=1e-12)


def test_load_campus_json_and_shared_keys(tmp_path):
    path = tmp_path / "campus.json"
    path.write_text('{"accelerator": "h100-sxm", "pue": 1.2, "block": ['
                    '{"gpus": 1000}, {"gpus": 2000, "pue": 1.1, "retire": "2030-01-01"}]}')
    c = io.load_campus(path)
    assert c.names == ("block 1", "block 2")
    assert [s.pue for s in c.scenarios] == [1.2, 1.1]
    assert c.scenarios[0].gpu_watts == 700.0 and str(c.retire[1]) == "2030-01-01"


@pytest.mark.parametrize(("text", "error", "match"), [
    ("pue = 1.1\n", ValueError, r"needs at least one \[\[block\]\]"),
    ("block = 3\n", TypeError, "block must be an array of tables"),
    ('[[block]]\nname = "A"\ngpus = 0\ngpu_watts = 700\n', ValueError,
     r"^block 1 \('A'\): gpus must be > 0 \(got 0\.0\)$"),
    ('[[block]]\naccelerator = "h100-sxm"\ngpus = 10\nonline = "soon"\n', ValueError,
     r"^block 1: online must be a date YYYY-MM-DD \(got 'soon'\)$"),
    ('[[block]]\ngpus = 10\ngpu_watts = 700\ngpu = 3\n', ValueError, "block 1: unknown key 'gpu'"),
])
def test_loads_campus_invalid(text, error, match):
    with pytest.raises(error, match=match):
        io.loads_campus(text)


# --------------------------------------------------------------------------- the dashboard page

APP = str(ROOT / "app.py")
# The page's illustrative starting blocks, with the dashboard's prefills (one year, MFU 0.4).
BUILDOUT = campus.from_presets(["h100-sxm", "gb200", "gb200"], [100_000, 100_000, 200_000],
                               names=["Hall 1", "Hall 2", "Hall 3"],
                               online=["2025-01-01", "2025-10-01", "2026-07-01"], hours=8760, mfu=0.4)


def test_from_presets_blocks_resolve_their_own_accelerator():
    assert [s.gpu_watts for s in BUILDOUT.scenarios] == [700.0, 1200.0, 1200.0]
    assert BUILDOUT.scenarios[1].provenance["server_overhead"].preset == "gb200"
    with pytest.raises(ValueError, match="one entry per block"):
        campus.from_presets(["h100-sxm"], [1, 2])
    with pytest.raises(ValueError, match="h100-sxm"):
        campus.from_presets(["h100"], [1])


@pytest.fixture
def page():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("app_pages/campus.py").run()
    assert not at.exception, [e.value for e in at.exception]
    yield at
    st.cache_data.clear()


def _metrics(at, key):
    return {m.label: m.value for m in at.get_by_key(key).metric}


def test_page_shows_the_librarys_campus(page):
    r = estimator.estimate(BUILDOUT)
    kpis = _metrics(page, "kpis_campus")
    assert kpis[fields.label("gpus")] == units.format_value(r.gpus, "count") == "400,000"
    assert kpis[fields.label("h100_equivalents")] == units.format_value(r.h100_equivalents, "count")
    assert kpis[fields.label("facility_power_w")] == units.format_value(r.facility_power_w, "W")
    table = page.get_by_key("campus_block_table").dataframe[0].value
    assert table["Block"].tolist() == ["Hall 1", "Hall 2", "Hall 3"]
    assert table["Facility power"].tolist() == [units.format_value(e.facility_power_w, "W") for e in r.blocks]
    assert page.get_by_key("chart_campus_power") is not None
    t = timeline(BUILDOUT, "2025-01-01", "2027-12-31", "quarter")
    rows = page.get_by_key("campus_timeline_table").dataframe[0].value
    assert rows["Facility power"].tolist() == [units.format_value(v, "W") for v in t.facility_power_w]
    from app_pages.common import METRIC_LABELS  # the dashboard's, imported with streamlit

    assert _metrics(page, "kpis_campus_timeline")[METRIC_LABELS["energy_wh_over_timeline"]] == units.format_value(
        t.total("energy_wh"), "Wh")
    # without money inputs the money figures are absent, and the page says what to set
    assert set(_metrics(page, "kpis_campus_money").values()) == {"—"}
    assert any("Cost per accelerator" in i.value or "cost per accelerator" in i.value for i in page.info)


def test_page_money_from_the_sidebar(page):
    page.button(key="campus_fill_money").click().run()
    assert not page.exception
    money = dict(accelerator_cost=40_000.0, facility_cost_per_w=12.0, hardware_life_years=5.0,
                 facility_life_years=20.0)
    c = campus.from_presets(["h100-sxm", "gb200", "gb200"], [100_000, 100_000, 200_000], hours=8760, mfu=0.4,
                            **money)
    r = estimator.estimate(c)
    kpis = _metrics(page, "kpis_campus_money")
    assert kpis[fields.label("capex")] == units.format_value(r.capex, "currency")
    assert kpis[fields.label("amortized_capex")] == units.format_value(r.amortized_capex, "currency")
    # the sidebar's inputs now hold them, as the user's values
    assert page.session_state["_typed"]["facility_cost_per_w"] == 12.0
    page.number_input(key="electricity_price").set_value(0.08).run()
    r = estimator.estimate(campus.from_presets(["h100-sxm", "gb200", "gb200"], [100_000, 100_000, 200_000],
                                               hours=8760, mfu=0.4, electricity_price=0.08, **money))
    kpis = _metrics(page, "kpis_campus_money")
    assert kpis[fields.label("total_cost")] == units.format_value(r.total_cost, "currency")


def test_page_start_table_and_edits(page):
    page.selectbox(key="campus_start").set_value("colossus").run()
    assert _metrics(page, "kpis_campus")[fields.label("gpus")] == "230,000"
    from app_pages import common

    edits = {"edited_rows": {"0": {"Accelerators": 100_000}}, "added_rows": [], "deleted_rows": []}
    page.session_state[common.campus_editor_key(page.session_state)] = edits
    page.run()
    assert not page.exception
    assert _metrics(page, "kpis_campus")[fields.label("gpus")] == "130,000"


def test_page_says_which_rows_are_left_out(page):
    from app_pages import common

    edits = {"edited_rows": {}, "added_rows": [{"Block": "Hall 4", "Accelerators": 1000}], "deleted_rows": []}
    page.session_state[common.campus_editor_key(page.session_state)] = edits
    page.run()
    assert not page.exception
    assert any("1 row without a name, accelerator, count or online date is left out" in i.value for i in page.info)
    assert _metrics(page, "kpis_campus")[fields.label("gpus")] == "400,000"  # the three halls only


def test_page_step_and_bad_dates(page):
    page.selectbox(key="campus_freq").set_value("year").run()
    rows = page.get_by_key("campus_timeline_table").dataframe[0].value
    assert rows["From"].tolist() == ["2025-01-01", "2026-01-01", "2027-01-01"]
    page.date_input(key="campus_to").set_value(datetime.date(2024, 1, 1)).run()
    assert not page.exception
    assert any("end must be on or after start" in e.value for e in page.error)  # the library's message


def test_page_binding_limit_table(page):
    # Without money only the power cap applies; the page says what to set for the capital cap.
    assert any("capital cap" in i.value for i in page.info)
    page.button(key="campus_fill_money").click().run()
    page.text_input(key="campus_cap_flop").set_value("3.8e26").run()
    assert not page.exception
    # The sidebar's fleet: H100 SXM at the default methodology, the dashboard's MFU 0.4, the money filled.
    s = Scenario.from_accelerator("h100-sxm", gpus=1, mfu=0.4, accelerator_cost=40_000.0, facility_cost_per_w=12.0)
    lim = estimator.binding_limit(s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, power_budget_w=1e9,
                                  capex_budget=10e9, accelerator_cost=40_000.0, facility_cost_per_w=12.0,
                                  training_time_s=90 * 86_400.0, training_flop=3.8e26,
                                  peak_flop_per_s=s.peak_flop_per_s, mfu=0.4)
    rows = page.get_by_key("campus_limits_table").dataframe[0].value
    assert rows["Accelerators"].tolist() == [units.format_value(v, "count") for v in lim["gpus"]]
    assert rows["Limit"].tolist()[1] == "Capital budget (binds)" and lim["binding"] == "capex"
    assert page.get_by_key("chart_campus_limits") is not None
    page.text_input(key="campus_cap_power").set_value("1 kW").run()
    assert any("holds no whole accelerator" in e.value for e in page.error)


# --------------------------------------------------------------------------- ready campuses


def test_campus_presets_have_sources_and_load():
    presets = estimator.campus_presets()
    assert set(presets) >= {"xai-memphis", "meta-genai-24k", "meta-prometheus-hyperion", "stargate-abilene"}
    for key, preset in presets.items():
        assert preset.source.startswith(preset.source.strip()) and "http" in preset.source
        assert all("http" in b["source"] for b in preset.blocks)
        assert all(b["note"] or b["confirmed"] for b in preset.blocks)  # an unconfirmed block says why
        c = estimator.campus_preset(key)
        assert len(c) == len(preset.blocks)
        assert all(on is not None for on in c.online)


def test_campus_preset_xai_memphis_phases():
    # Musk on X, 2 Sep 2024 (Tom's Hardware): 100k H100 online, doubling to 200k (50k H200); Epoch AI's
    # GPU clusters data: phase 3 adds 30,000 GB200.
    c = estimator.campus_preset("xai-memphis")
    t = timeline(c, "2024-09-01", "2025-12-31", "month")
    assert t.gpus.tolist()[0] == 0.0 and t.gpus.tolist()[1] == 100_000
    assert t.gpus.tolist()[-1] == 230_000
    # With Epoch's method the campus reproduces its 352 MW within the phase-3 mix's rounding (H200 at 700 W).
    epoch = estimator.estimate(estimator.campus_preset("xai-memphis", methodology="epoch-ai-clusters",
                                                       date="2025-06-01"))
    assert_allclose(epoch.facility_power_w, 352.352e6, rtol=1e-6)


def test_campus_preset_stargate_counts_gpus_not_superchips():
    # TechSpot/FT: '400,000 GB200 superchips', campus up to 1.2 GW. Read as 400,000 GPUs, the campus at the
    # nameplate chain is 0.88 GW, within the 1.2 GW; as 800,000 GPUs (2 per superchip) it would be 1.76 GW.
    c = estimator.campus_preset("stargate-abilene")
    r = estimator.estimate(c)
    assert r.gpus == 400_000
    assert 0.6e9 < r.facility_power_w <= 1.2e9
    assert 2 * r.facility_power_w > 1.2e9


def test_campus_preset_power_only_blocks_fill_their_power():
    c = estimator.campus_preset("meta-prometheus-hyperion")
    powers = [e.facility_power_w for e in c.block_estimates]
    assert all(p <= cap and p > 0.999 * cap for p, cap in zip(powers, (1e9, 2e9), strict=True))


def test_campus_preset_unknown_name():
    with pytest.raises(ValueError, match="xai-memphis"):
        estimator.campus_preset("xai-memfis")


def test_page_trend_years(page):
    p = estimator.projection()
    kpis = _metrics(page, "kpis_campus_trend")
    assert list(kpis.values()) == [f"{y:.1f}" for y in p["crossing_years"]]
    page.number_input(key="campus_trend_growth").set_value(3.0).run()
    assert not page.exception
    start = page.number_input(key="campus_trend_start_mw").value
    faster = estimator.projection(start * 1e6, page.number_input(key="campus_trend_year").value, 3.0)
    assert list(_metrics(page, "kpis_campus_trend").values()) == [f"{y:.1f}" for y in faster["crossing_years"]]
    assert page.get_by_key("chart_campus_trend") is not None


@pytest.mark.parametrize("parts", [["h100-sxm", "gb200", "h100-sxm"],   # every block has a rack size: stacked
                                   ["h100-sxm", "gb200", "mi300x"]])    # one lacks it: block by block
def test_timeline_stacked_blocks_equal_each_block_alone(parts):
    # The timeline estimates the blocks stacked into arrays; each layer must equal that block's own timeline.
    money = dict(accelerator_cost=40_000.0, facility_cost_per_w=12.0, hardware_life_years=5.0,
                 facility_life_years=20.0, electricity_price=0.08, mfu=0.4)
    c = campus.from_presets(parts, [1000, 2000, 3000], online=["2025-01-01", "2025-05-15", "2026-02-01"], **money)
    t = timeline(c, "2025-01-01", "2026-12-31", "month")
    alone = [timeline(Campus([s], online=[on]), "2025-01-01", "2026-12-31", "month")
             for s, on in zip(c.scenarios, c.online, strict=True)]
    assert (t.by_block("racks") is None) == ("mi300x" in parts)
    for name in t.field_names():
        layer = t.by_block(name)
        if layer is None:
            assert any(a.by_block(name) is None for a in alone), name
            continue
        for i, a in enumerate(alone):
            assert_allclose(layer[i], a.by_block(name)[0], rtol=1e-14, err_msg=name)


def test_page_ready_campus_start(page):
    page.selectbox(key="campus_start").set_value("stargate-abilene").run()
    assert not page.exception
    c = estimator.campus_preset("stargate-abilene")
    shown = _metrics(page, "kpis_campus")
    assert shown[fields.label("gpus")] == units.format_value(estimator.estimate(c).gpus, "count")
    table = page.get_by_key("campus_block_table").dataframe[0].value
    assert table["Block"].tolist() == list(c.names)
    assert any("Financial Times" in cap.value for cap in page.caption)


# --------------------------------------------------------------------------- campus files written

@pytest.mark.parametrize("name", sorted(estimator.campus_presets()))
@pytest.mark.parametrize("format", ["toml", "json"])
def test_every_ready_campus_round_trips_through_its_file(name, format, tmp_path):
    c = estimator.campus_preset(name)
    path = io.save_campus(c, tmp_path / f"campus.{format}", name=name)
    again = io.load_campus(path)
    assert again.names == c.names and again.online == c.online and again.retire == c.retire
    assert [s.to_dict() for s in again.scenarios] == [s.to_dict() for s in c.scenarios]
    assert estimator.estimate(again).to_dict() == estimator.estimate(c).to_dict()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t and t),
                          st.sampled_from(["h100-sxm", "gb200", "mi300x"]), st.integers(1, 10**6),
                          st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 1, 1)),
                          st.one_of(st.none(), st.integers(1, 4000))),
                min_size=1, max_size=5, unique_by=lambda b: b[0]))
def test_any_campus_round_trips_through_toml(blocks):
    # Names with quotes, backslashes and non-ASCII text, retire dates or none, shared typed values.
    online = [b[3] for b in blocks]
    retire = [None if b[4] is None else b[3] + datetime.timedelta(days=b[4]) for b in blocks]
    c = campus.from_presets([b[1] for b in blocks], [b[2] for b in blocks], names=[b[0] for b in blocks],
                            online=online, retire=retire, hours=8760.0, electricity_price=0.08)
    again = io.loads_campus(io.dumps_campus(c))
    assert again.names == c.names and again.online == c.online and again.retire == c.retire
    assert [s.to_dict() for s in again.scenarios] == [s.to_dict() for s in c.scenarios]


def test_campus_file_refuses_what_is_not_a_campus(tmp_path):
    with pytest.raises(TypeError, match="expected a Campus"):
        io.dumps_campus(Scenario(gpus=1, gpu_watts=700))
    with pytest.raises(ValueError, match="format must be one of"):
        io.dumps_campus(estimator.campus_preset("xai-memphis"), "yaml")
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(OSError):
        io.save_campus(estimator.campus_preset("xai-memphis"), tmp_path / "dir.toml")
