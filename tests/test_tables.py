"""Tests of the tables behind the dashboard (estimator.tables)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import estimator
from estimator import catalog, compute, power, solve, tables
from estimator.scenario import Scenario, estimate, preset_assumptions

H100_SERVER = 10_200 / (8 * 700)  # NVIDIA DGX H100 user guide: 10.2 kW for 8 × 700 W


def test_budget_fleet_design_example():
    # DESIGN.md worked example: ratio 1.82, network 1.10, PUE 1.2 -> 1 GW holds about 595,000 H100
    out = tables.budget_fleet(1e9, 700, 1.82, 1.10, 1.2, 989.4e12, 0.4, 90 * 24)
    assert out["gpus"] == 594_643
    assert_allclose(out["watts_per_gpu"], 700 * 1.82 * 1.10 * 1.2, rtol=1e-12)
    assert_allclose(out["peak_cluster_flop_per_s"], 594_643 * 989.4e12, rtol=1e-12)
    assert_allclose(out["sustained_flop_per_s"], 594_643 * 989.4e12 * 0.4, rtol=1e-12)
    assert_allclose(out["flop_in_period"], 594_643 * 989.4e12 * 0.4 * 90 * 86_400, rtol=1e-12)
    # Llama 3 405B: 3.8e25 FLOP (arXiv:2407.21783)
    assert_allclose(out["runs"], out["flop_in_period"] / 3.8e25, rtol=1e-12)


def test_budget_fleet_matches_library():
    out = tables.budget_fleet(3e8, 1000, 1.7875, 1.1, 1.2, 2.25e15, 0.35, 24 * 30, training_flop=1e25)
    gpus = solve.gpus_for_power(3e8, 1000, 1.7875, 1.1, 1.2, whole=True)
    assert out["gpus"] == gpus
    flop = compute.flop_in_period(compute.sustained_flop_per_s(compute.peak_cluster_flop_per_s(gpus, 2.25e15),
                                                               0.35), 24 * 30)
    assert_allclose(out["flop_in_period"], flop, rtol=1e-12)
    assert_allclose(out["runs"], compute.runs_in_period(flop, 1e25), rtol=1e-12)


def test_budget_fleet_without_peak_or_hours():
    assert set(tables.budget_fleet(1e9, 700)) == {"watts_per_gpu", "gpus"}
    assert "runs" not in tables.budget_fleet(1e9, 700, peak_flop_per_s=1e15)


def test_budget_fleet_array_equals_scalar():
    pues = np.array([1.1, 1.2, 1.4])
    out = tables.budget_fleet(1e9, 700, 1.82, 1.1, pues, 989.4e12, 0.4, 2160)
    for i, p in enumerate(pues):
        one = tables.budget_fleet(1e9, 700, 1.82, 1.1, p, 989.4e12, 0.4, 2160)
        for key, value in one.items():
            assert_allclose(out[key][i], value, rtol=1e-12)


def test_budget_fleet_below_one_accelerator():
    out = tables.budget_fleet(1000.0, 700, 2.0, 1.0, 1.0, 1e15, 0.5, 24)
    assert out["gpus"] == 0
    assert out["sustained_flop_per_s"] == 0
    assert out["runs"] == 0


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"facility_power_w": -1.0}, "facility_power_w must be > 0"),
    ({"facility_power_w": float("nan")}, "facility_power_w"),
    ({"pue": 0.9}, "pue must be >= 1"),
    ({"mfu": 1.5}, "mfu must be in"),
    ({"training_flop": 0.0}, "training_flop must be > 0"),
])
def test_budget_fleet_invalid(kwargs, match):
    args = {"facility_power_w": 1e9, "gpu_watts": 700, "pue": 1.2, "peak_flop_per_s": 1e15, "mfu": 0.4,
            "hours": 24, **kwargs}
    with pytest.raises(ValueError, match=match):
        tables.budget_fleet(**args)


def test_accelerator_table_matches_presets():
    t = tables.accelerator_table(1e9, "nameplate", hours=2160)
    assert t["key"] == list(catalog.accelerators())
    for i, key in enumerate(t["key"]):
        v = preset_assumptions(key, "nameplate")
        gpus = solve.gpus_for_power(1e9, v["gpu_watts"], v["server_overhead"], v["network_overhead"], v["pue"],
                                    whole=True)
        assert t["gpus"][i] == gpus
        assert_allclose(t["peak_cluster_flop_per_s"][i], gpus * v["peak_flop_per_s"], rtol=1e-12)


def test_accelerator_table_overrides_apply_to_every_part():
    t = tables.accelerator_table(1e9, "nameplate", network_overhead=1.0, pue=1.5, mfu=0.3,
                                 accelerators=["h100-sxm", "b200"])
    assert_array_equal(t["pue"], [1.5, 1.5])
    assert_array_equal(t["mfu"], [0.3, 0.3])
    assert_allclose(t["watts_per_gpu"], [700 * H100_SERVER * 1.5, 1000 * 1.7875 * 1.5], rtol=1e-12)


def test_accelerator_table_fp8_falls_back_to_bf16():
    t = tables.accelerator_table(1e9, "nameplate", precision="fp8", accelerators=["h100-sxm", "a100-sxm"])
    assert t["precision"] == ["FP8", "BF16"]
    assert_allclose(t["peak_flop_per_s"], [1978.9e12, 312e12])
    with pytest.raises(ValueError, match="precision"):
        tables.accelerator_table(1e9, precision="fp4")


def test_accelerator_table_unknown_accelerator():
    with pytest.raises(ValueError, match="unknown accelerator"):
        tables.accelerator_table(1e9, accelerators=["h1000"])


def test_accelerator_table_invents_no_mfu():
    t = tables.accelerator_table(1e9, hours=2160)
    assert not {"mfu", "sustained_flop_per_s", "flop_in_period", "runs"} & set(t)
    assert "peak_cluster_flop_per_s" in t
    # A methodology that publishes an MFU gives it to every row (Epoch AI: 0.375).
    t = tables.accelerator_table(1e9, "epoch-ai", hours=2160)
    assert_array_equal(t["mfu"], 0.375)
    assert_allclose(t["sustained_flop_per_s"], t["peak_cluster_flop_per_s"] * 0.375, rtol=1e-15)
    assert_allclose(t["runs"], t["sustained_flop_per_s"] * 2160 * 3600 / 3.8e25, rtol=1e-12)


def test_budget_fleet_invents_no_mfu():
    out = tables.budget_fleet(1e9, 700, 1.82, 1.1, 1.2, 989.4e12, hours=2160)
    assert set(out) == {"watts_per_gpu", "gpus", "peak_cluster_flop_per_s"}


def test_accelerator_table_default_methodology_is_nameplate():
    default, named = tables.accelerator_table(1e9), tables.accelerator_table(1e9, "nameplate")
    assert_array_equal(default["gpus"], named["gpus"])
    assert default["gpus"][default["key"].index("h100-sxm")] == 594_177
    origin = default["provenance"][0]["pue"]
    assert (origin.origin, origin.preset, origin.describe()) == ("default", "nameplate", "nameplate (default)")
    assert named["provenance"][0]["pue"].describe() == "methodology nameplate"
    assert default["provenance"][0]["gpu_watts"].describe() == "accelerator h100-sxm"


def test_accelerator_table_equals_resolution():
    t = tables.accelerator_table(1e9, "epoch-ai", "meta-fleet", precision="fp8", date="2024-03-12")
    for i, key in enumerate(t["key"]):
        precision = t["precision"][i].lower()
        s = Scenario.from_accelerator(key, gpus=1, methodology="epoch-ai", site="meta-fleet", precision=precision,
                                      date="2024-03-12")
        for name in ("gpu_watts", "server_overhead", "network_overhead", "pue", "peak_flop_per_s"):
            assert t[name][i] == getattr(s, name), (key, name)
        assert t["gpus"][i] == solve.gpus_for_power(1e9, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                                                    whole=True)


def test_accelerator_table_any_field_override():
    t = tables.accelerator_table(1e9, server_overhead=2.0, accelerators=["h100-sxm", "b200"])
    assert_array_equal(t["server_overhead"], [2.0, 2.0])
    assert t["provenance"][0]["server_overhead"].is_user
    with pytest.raises(ValueError, match="unknown field 'pu'"):
        tables.accelerator_table(1e9, pu=1.2)
    with pytest.raises(ValueError, match="server_overhead must be >= 1"):
        tables.accelerator_table(1e9, server_overhead=0.5)


def test_methodology_table_spread():
    t = tables.methodology_table(1e9, "h100-sxm", mfu=0.4, hours=24)
    assert t["key"] == list(catalog.methodologies())
    i = t["key"].index("neutral")
    assert t["gpus"][i] == math.floor(1e9 / 700)
    j = t["key"].index("epoch-ai")
    assert t["mfu"][j] == 0.375  # Epoch AI's median MFU wins over the given 0.4
    assert_allclose(t["average_facility_power_w"][j], 0.75e9, rtol=1e-12)
    k = t["key"].index("nameplate")
    assert t["mfu"][k] == 0.4
    assert t["gpus"][k] == solve.gpus_for_power(1e9, 700, H100_SERVER, 1.1, 1.2, whole=True)


def test_methodology_table_without_mfu_only_where_published():
    t = tables.methodology_table(1e9, "h100-sxm", hours=24)
    j, k = t["key"].index("epoch-ai"), t["key"].index("nameplate")
    assert t["mfu"][j] == 0.375 and t["mfu"][k] is None  # Epoch AI publishes an MFU; nameplate none
    assert t["sustained_flop_per_s"][k] is None and t["runs"][k] is None
    assert_allclose(t["sustained_flop_per_s"][j], t["peak_cluster_flop_per_s"][j] * 0.375, rtol=1e-15)
    fp8 = tables.methodology_table(1e9, "h100-sxm", precision="fp8", methodologies=["neutral"])
    assert_allclose(fp8["peak_cluster_flop_per_s"][0], math.floor(1e9 / 700) * 1978.9e12, rtol=1e-12)


def test_methodology_table_overrides_power_and_peak():
    t = tables.methodology_table(1e9, "h100-sxm", gpu_watts=1000, peak_flop_per_s=2e15,
                                 methodologies=["neutral"])
    assert t["gpus"][0] == 1_000_000
    assert_allclose(t["peak_cluster_flop_per_s"][0], 2e21)


def test_fit_matrix_matches_table():
    m = tables.fit_matrix(1e9)
    assert m["gpus"].shape == (len(catalog.accelerators()), len(catalog.methodologies()))
    for j, met in enumerate(m["methodologies"]):
        t = tables.accelerator_table(1e9, met)
        assert_array_equal(m["gpus"][:, j], t["gpus"])


def _h100(**changes):
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 16_384, "mfu": 0.41, **changes})


def test_training_run_llama3():
    # Llama 3 405B: 3.8e25 FLOP on 16,384 H100 at 41% MFU (arXiv:2407.21783)
    s = _h100(electricity_price=0.08, carbon_intensity=0.4, wue=0.3)
    run = tables.training_run(s, 3.8e25)
    seconds = compute.training_time_s(3.8e25, 16_384, 989.4e12, 0.41)
    assert_allclose(run["training_time_s"], seconds, rtol=1e-12)
    assert 50 < seconds / 86_400 < 70
    assert_allclose(run["gpu_hours"], compute.gpu_hours(16_384, seconds), rtol=1e-12)
    r = estimate(s.replace(hours=seconds / 3600))
    for key in ("energy_wh", "it_energy_wh", "cost", "emissions_kg", "water_l"):
        assert_allclose(run[key], getattr(r, key), rtol=1e-12)


def test_training_run_without_price_is_none():
    run = tables.training_run(_h100(), 3.8e25)
    assert run["cost"] is None and run["emissions_kg"] is None and run["water_l"] is None


def test_training_run_without_peak_raises():
    with pytest.raises(ValueError, match="peak_flop_per_s"):
        tables.training_run(Scenario(gpus=10, gpu_watts=700), 1e20)


def test_training_run_longer_than_period_ceiling():
    # 1 accelerator for 3.8e25 FLOP takes millennia: still a finite answer, not a period-limit error
    run = tables.training_run(_h100(gpus=1), 3.8e25)
    assert math.isfinite(run["energy_wh"]) and run["training_time_s"] > 1e6 * 3600


def test_training_run_needs_mfu():
    with pytest.raises(ValueError, match="mfu is needed for a training run"):
        tables.training_run(_h100(mfu=None), 3.8e25)
    with pytest.raises(ValueError, match="mfu is needed for a training run"):
        tables.training_fleet(_h100(mfu=None), 3.8e25, 86_400)


def test_longer_than_a_period():
    assert tables.longer_than_a_period(1e6 * 3600 + 1) and not tables.longer_than_a_period(1e6 * 3600)
    assert tables.longer_than_a_period(np.array([1.0, 4e9]))


def test_training_fleet_energy_over_the_time_allowed():
    s = _h100(electricity_price=0.08, utilization=0.8)
    need = tables.training_fleet(s, 3.8e25, 90 * 86_400)
    r = estimate(s.replace(gpus=need["gpus"], hours=90 * 24))
    for key in ("energy_wh", "it_energy_wh", "cost"):
        assert_allclose(need[key], getattr(r, key), rtol=1e-12)
    assert need["emissions_kg"] is None and need["water_l"] is None


def test_training_fleet_round_trip():
    s = _h100()
    need = tables.training_fleet(s, 3.8e25, 90 * 86_400)
    exact = solve.gpus_for_training(3.8e25, 90 * 86_400, 989.4e12, 0.41)
    assert need["gpus"] == math.ceil(exact)
    assert compute.training_time_s(3.8e25, need["gpus"], 989.4e12, 0.41) <= 90 * 86_400
    assert_allclose(need["facility_power_w"],
                    power.fleet_facility_power_w(need["gpus"], 700, H100_SERVER, 1.1, 1.2), rtol=1e-12)
    assert_allclose(need["share_of_gigawatt"], need["facility_power_w"] / 1e9)


def test_training_fleet_invalid_time():
    with pytest.raises(ValueError, match="training_time_s must be > 0"):
        tables.training_fleet(_h100(), 3.8e25, 0)


def test_power_and_energy_layers_sum():
    s = _h100(hours=8760, utilization=0.75)
    r = estimate(s)
    p = tables.power_layers(r)
    assert_allclose(sum(p["power_w"].values()), r.facility_power_w, rtol=1e-12)
    assert_allclose(sum(p["share"].values()), 1.0, rtol=1e-12)
    e = tables.energy_layers(r, 8760, 0.75)
    assert_allclose(sum(e["energy_wh"].values()), r.energy_wh, rtol=1e-12)
    assert list(e["energy_wh"]) == list(tables.LAYERS)


def test_energy_layers_neutral_overheads_are_zero():
    r = estimate(Scenario(gpus=10, gpu_watts=700))
    e = tables.energy_layers(r, 24, 1.0)
    assert e["energy_wh"]["host"] == 0 and e["energy_wh"]["cooling_conversion"] == 0


def test_per_accelerator_and_share_of_gigawatt():
    r = estimate(_h100(hours=8760, electricity_price=0.08))
    per = tables.per_accelerator(r, 16_384)
    assert_allclose(per["energy_wh"] * 16_384, r.energy_wh, rtol=1e-12)
    assert per["emissions_kg"] is None
    assert_allclose(tables.share_of_gigawatt(5e8), 0.5)


def test_comparison_rows():
    a, b = _h100(), _h100(pue=1.5, hours=24)
    table = tables.comparison({"a": a, "b": b})
    n = len(Scenario.field_names()) + len(estimator.Estimate.field_names())
    assert len(table["quantity"]) == n == len(table["a"]) == len(table["b"]) == len(table["unit"])
    i = table["quantity"].index("facility_power_w")
    assert table["kind"][i] == "result"
    assert_allclose(table["b"][i], estimate(b).facility_power_w)
    assert table["a"][table["quantity"].index("hours")] is None


def test_comparison_shows_a_registered_field():
    from estimator import fields

    spec = fields.register(fields.Field("test_knob", "ratio", "Test knob", "a field added at run time"))
    try:
        table = tables.comparison({"a": Scenario(gpus=1, gpu_watts=700, test_knob=0.5)})
        i = table["quantity"].index("test_knob")
        assert (table["label"][i], table["a"][i]) == ("Test knob", 0.5)
    finally:
        fields.unregister(spec.name)


def test_run_versus_report_llama31_405b():
    # Llama 3.1 model card: 30.84M H100 GPU-hours, 8,930 t CO2e; Llama 3 paper: 16,384 H100, 41% BF16 MFU,
    # higher than 90% effective training time. At 41% and 0.9 the estimate is 25.96M / 0.9 = 28.84M.
    from estimator import runs

    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41, goodput=0.9)
    r = tables.run_versus_report("llama-3.1-405b", s)
    c = runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41, goodput=0.9)
    assert_allclose(r["estimated_gpu_hours"], c["estimated_gpu_hours"], rtol=1e-12)
    assert_allclose(r["estimated_gpu_hours"], 25.958e6 / 0.9, rtol=1e-4)
    assert r["reported_gpu_hours"] == 30.84e6 and r["reported_emissions_kg"] == 8_930e3
    assert_allclose(r["implied_mfu"], 0.345, rtol=0.0005 / 0.345)
    assert_allclose(r["implied_goodput"], r["implied_mfu"] / 0.41, rtol=1e-12)
    assert_allclose(r["reported_training_time_s"] / 86_400, 30.84e6 / 16_384 / 24, rtol=1e-12)  # 78.4 days
    # the estimate does not depend on the fleet, and equals training_run's accelerator-hours
    assert_allclose(tables.training_run(s, r["training_flop"])["gpu_hours"], r["estimated_gpu_hours"], rtol=1e-12)
    other = tables.run_versus_report("llama-3.1-405b", s.replace(gpus=1_000))
    assert_allclose(other["estimated_gpu_hours"], r["estimated_gpu_hours"], rtol=1e-12)
    # a run without a report keeps its estimate; the rest is None
    nemotron = tables.run_versus_report("nemotron-4-340b", s)
    assert nemotron["reported_gpu_hours"] is None and nemotron["implied_goodput"] is None
    with pytest.raises(ValueError, match="mfu is needed"):
        tables.run_versus_report("llama-3.1-405b", s.replace(mfu=None))


def test_tables_goodput_scales_runs():
    # goodput 0.5: half the useful compute in the period, so half the reference runs, in every table row
    full = tables.accelerator_table(1e9, "nameplate", mfu=0.4, hours=2160, accelerators=["h100-sxm", "b200"])
    half = tables.accelerator_table(1e9, "nameplate", mfu=0.4, hours=2160, accelerators=["h100-sxm", "b200"],
                                    goodput=0.5)
    assert_allclose(half["runs"], full["runs"] / 2, rtol=1e-12)
    assert_array_equal(half["gpus"], full["gpus"])
    m_full = tables.methodology_table(1e9, "h100-sxm", mfu=0.4, hours=2160, methodologies=["nameplate"])
    m_half = tables.methodology_table(1e9, "h100-sxm", mfu=0.4, hours=2160, methodologies=["nameplate"],
                                      goodput=0.5)
    assert_allclose(m_half["flop_in_period"], m_full["flop_in_period"] / 2, rtol=1e-12)
# --------------------------------------------------------------------------- a fleet split between serving and training

def _split_scenario(**changes):
    return Scenario(**{**dict(gpus=1000, gpu_watts=700, peak_flop_per_s=989.4e12, mfu=0.4, hours=2160,
                              tokens_per_s_per_gpu=1000, tokens_per_query=500), **changes})


def test_fleet_split_hand_arithmetic():
    split = tables.fleet_split(_split_scenario(), 0.25)
    serve, train = split["serving"], split["training"]
    # Serving: 250 accelerators × 1000 tokens/s × 86,400 s ÷ 500 tokens a query.
    assert_allclose(serve["queries_per_day"], 250 * 1000 * 86_400 / 500, rtol=1e-12)
    # Training: 750 × 989.4 TFLOP/s × 0.4 × 2160 h × 3600 s, in Llama 3 405B runs of 3.8e25 FLOP.
    flop = 750 * 989.4e12 * 0.4 * 2160 * 3600
    assert_allclose([train["flop_in_period"], train["runs"]], [flop, flop / 3.8e25], rtol=1e-12)
    assert_allclose([serve["gpus"], train["gpus"]], [250, 750], rtol=1e-12)
    assert_allclose(serve["facility_power_w"] + train["facility_power_w"], 1000 * 700, rtol=1e-12)
    assert serve["runs"] is None and train["queries_per_day"] is None
    assert list(serve)[1:] == list(tables.SPLIT_ROWS)


def test_fleet_split_ends_and_other_run_size():
    all_serving = tables.fleet_split(_split_scenario(), 1.0)
    assert all_serving["training"]["runs"] == 0.0 and all_serving["training"]["gpus"] == 0.0
    whole = estimator.estimate(_split_scenario())
    assert_allclose(all_serving["serving"]["queries_per_day"], whole.queries_per_day, rtol=1e-12)
    none = tables.fleet_split(_split_scenario(), 0.0, training_flop=1e24)
    assert none["serving"]["queries_per_day"] == 0.0
    assert_allclose(none["training"]["runs"], whole.flop_in_period / 1e24, rtol=1e-12)


def test_fleet_split_absent_inputs_and_bad_share():
    split = tables.fleet_split(_split_scenario(tokens_per_s_per_gpu=None, mfu=None), 0.5)
    assert split["serving"]["queries_per_day"] is None and split["training"]["runs"] is None
    with pytest.raises(ValueError, match=r"serving_share must be <= 1 \(got 1.5\)"):
        tables.fleet_split(_split_scenario(), 1.5)
    with pytest.raises(ValueError, match="serving_share"):
        tables.fleet_split(_split_scenario(), -0.1)


def test_fleet_split_vector_equals_scalar():
    shares = np.array([0.2, 0.5, 0.8])
    many = tables.fleet_split(_split_scenario(), shares)
    for i, share in enumerate(shares):
        one = tables.fleet_split(_split_scenario(), float(share))
        for side in ("serving", "training"):
            for key, value in one[side].items():
                if value is not None:
                    assert_allclose(many[side][key][i], value, rtol=1e-12)


# --------------------------------------------------------------------------- a budget's queries a day

def test_budget_serving_hand_arithmetic():
    # DGX H100 10.2 kW for 8 × 700 W (1.8214), network 1.1, PUE 1.2: 1,683 W a GPU at the facility.
    s = Scenario(gpus=1, gpu_watts=700, server_overhead=10_200 / 5_600, network_overhead=1.1, pue=1.2,
                 utilization=0.6, load_factor=0.5, tokens_per_s_per_gpu=3000, tokens_per_query=500)
    out = tables.budget_serving(1e9, s)
    gpus = math.floor(1e9 / (700 * 10_200 / 5_600 * 1.1 * 1.2))
    assert out["gpus"] == gpus
    assert_allclose(out["queries_per_day"], gpus * 0.5 * 86_400 * 3000 / 500, rtol=1e-12)
    assert_allclose(out["energy_per_query_wh"], estimate(s).energy_per_query_wh, rtol=1e-12)
    small = tables.budget_serving(1000.0, s)  # below one accelerator: none fit, none served
    assert small["gpus"] == 0 and small["queries_per_day"] == 0


def test_budget_serving_absent_throughput_and_prefill():
    s = Scenario(gpus=1, gpu_watts=700, tokens_per_query=500)
    assert tables.budget_serving(1e9, s)["queries_per_day"] is None
    long = s.replace(tokens_per_s_per_gpu=1000, input_tokens_per_query=10_000)
    assert tables.budget_serving(1e9, long)["queries_per_day"] is None  # prompt cost unknown: nothing made up
    known = long.replace(prefill_tokens_per_s_per_gpu=20_000)
    # 0.5 s decode + 0.5 s prefill a query, utilization 1: one query a second per accelerator.
    assert_allclose(tables.budget_serving(7e8, known)["queries_per_day"], 1e6 * 86_400, rtol=1e-12)
    many = tables.budget_serving(np.array([7e8, 1.4e9]), known)
    assert_allclose(many["queries_per_day"], [1e6 * 86_400, 2e6 * 86_400], rtol=1e-12)
