"""Tests of the exploration tables behind the dashboard (estimator.explore)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import estimator
from estimator import catalog, compute, explore, power, solve
from estimator.scenario import Scenario, estimate, preset_assumptions

H100_SERVER = 10_200 / (8 * 700)  # NVIDIA DGX H100 user guide: 10.2 kW for 8 × 700 W


def test_budget_fleet_design_example():
    # DESIGN.md worked example: ratio 1.82, network 1.10, PUE 1.2 -> 1 GW holds about 595,000 H100
    out = explore.budget_fleet(1e9, 700, 1.82, 1.10, 1.2, 989.4e12, 0.4, 90 * 24)
    assert out["gpus"] == 594_643
    assert_allclose(out["watts_per_gpu"], 700 * 1.82 * 1.10 * 1.2, rtol=1e-12)
    assert_allclose(out["peak_cluster_flop_per_s"], 594_643 * 989.4e12, rtol=1e-12)
    assert_allclose(out["sustained_flop_per_s"], 594_643 * 989.4e12 * 0.4, rtol=1e-12)
    assert_allclose(out["flop_in_period"], 594_643 * 989.4e12 * 0.4 * 90 * 86_400, rtol=1e-12)
    # Llama 3 405B: 3.8e25 FLOP (arXiv:2407.21783)
    assert_allclose(out["runs"], out["flop_in_period"] / 3.8e25, rtol=1e-12)


def test_budget_fleet_matches_library():
    out = explore.budget_fleet(3e8, 1000, 1.7875, 1.1, 1.2, 2.25e15, 0.35, 24 * 30, training_flop=1e25)
    gpus = solve.gpus_for_power(3e8, 1000, 1.7875, 1.1, 1.2, whole=True)
    assert out["gpus"] == gpus
    flop = compute.flop_in_period(compute.sustained_flop_per_s(compute.peak_cluster_flop_per_s(gpus, 2.25e15),
                                                               0.35), 24 * 30)
    assert_allclose(out["flop_in_period"], flop, rtol=1e-12)
    assert_allclose(out["runs"], compute.runs_in_period(flop, 1e25), rtol=1e-12)


def test_budget_fleet_without_peak_or_hours():
    assert set(explore.budget_fleet(1e9, 700)) == {"watts_per_gpu", "gpus"}
    assert "runs" not in explore.budget_fleet(1e9, 700, peak_flop_per_s=1e15)


def test_budget_fleet_array_equals_scalar():
    pues = np.array([1.1, 1.2, 1.4])
    out = explore.budget_fleet(1e9, 700, 1.82, 1.1, pues, 989.4e12, 0.4, 2160)
    for i, p in enumerate(pues):
        one = explore.budget_fleet(1e9, 700, 1.82, 1.1, p, 989.4e12, 0.4, 2160)
        for key, value in one.items():
            assert_allclose(out[key][i], value, rtol=1e-12)


def test_budget_fleet_below_one_accelerator():
    out = explore.budget_fleet(1000.0, 700, 2.0, 1.0, 1.0, 1e15, 0.5, 24)
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
        explore.budget_fleet(**args)


def test_accelerator_table_matches_presets():
    t = explore.accelerator_table(1e9, "nameplate", hours=2160)
    assert t["key"] == list(catalog.accelerators())
    for i, key in enumerate(t["key"]):
        v = preset_assumptions(key, "nameplate")
        gpus = solve.gpus_for_power(1e9, v["gpu_watts"], v["server_overhead"], v["network_overhead"], v["pue"],
                                    whole=True)
        assert t["gpus"][i] == gpus
        assert_allclose(t["peak_cluster_flop_per_s"][i], gpus * v["peak_flop_per_s"], rtol=1e-12)


def test_accelerator_table_overrides_apply_to_every_part():
    t = explore.accelerator_table(1e9, "nameplate", network_overhead=1.0, pue=1.5, mfu=0.3,
                                  accelerators=["h100-sxm", "b200"])
    assert_array_equal(t["pue"], [1.5, 1.5])
    assert_array_equal(t["mfu"], [0.3, 0.3])
    assert_allclose(t["watts_per_gpu"], [700 * H100_SERVER * 1.5, 1000 * 1.7875 * 1.5], rtol=1e-12)


def test_accelerator_table_fp8_falls_back_to_bf16():
    t = explore.accelerator_table(1e9, "nameplate", precision="fp8", accelerators=["h100-sxm", "a100-sxm"])
    assert t["precision"] == ["FP8", "BF16"]
    assert_allclose(t["peak_flop_per_s"], [1978.9e12, 312e12])
    with pytest.raises(ValueError, match="precision"):
        explore.accelerator_table(1e9, precision="fp4")


def test_accelerator_table_unknown_accelerator():
    with pytest.raises(ValueError, match="unknown accelerator"):
        explore.accelerator_table(1e9, accelerators=["h1000"])


def test_methodology_table_spread():
    t = explore.methodology_table(1e9, "h100-sxm", mfu=0.4, hours=24)
    assert t["key"] == list(catalog.methodologies())
    i = t["key"].index("neutral")
    assert t["gpus"][i] == math.floor(1e9 / 700)
    j = t["key"].index("epoch-ai")
    assert t["mfu"][j] == 0.375  # Epoch AI's median MFU wins over the given 0.4
    assert_allclose(t["average_facility_power_w"][j], 0.75e9, rtol=1e-12)
    k = t["key"].index("nameplate")
    assert t["mfu"][k] == 0.4
    assert t["gpus"][k] == solve.gpus_for_power(1e9, 700, H100_SERVER, 1.1, 1.2, whole=True)


def test_methodology_table_overrides_power_and_peak():
    t = explore.methodology_table(1e9, "h100-sxm", gpu_watts=1000, peak_flop_per_s=2e15,
                                  methodologies=["neutral"])
    assert t["gpus"][0] == 1_000_000
    assert_allclose(t["peak_cluster_flop_per_s"][0], 2e21)


def test_fit_matrix_matches_table():
    m = explore.fit_matrix(1e9)
    assert m["gpus"].shape == (len(catalog.accelerators()), len(catalog.methodologies()))
    for j, met in enumerate(m["methodologies"]):
        t = explore.accelerator_table(1e9, met)
        assert_array_equal(m["gpus"][:, j], t["gpus"])


def test_power_vs_fleet_shape_and_values():
    w = explore.power_vs_fleet([1e3, 1e5], [1.1, 1.2, 1.5], 700, 1.82, 1.1)
    assert w.shape == (3, 2)
    assert_allclose(w[1, 1], power.fleet_facility_power_w(1e5, 700, 1.82, 1.1, 1.2), rtol=1e-12)


def test_grid_matches_estimate():
    s = Scenario(gpus=1e5, gpu_watts=700, server_overhead=1.82, network_overhead=1.1, pue=1.2)
    z = explore.grid(s, "gpus", [1e4, 1e5, 1e6], "pue", [1.0, 1.5], "facility_power_w")
    assert z.shape == (2, 3)
    assert_allclose(z[1, 2], estimate(s.replace(gpus=1e6, pue=1.5)).facility_power_w, rtol=1e-12)


@pytest.mark.parametrize(("x", "y", "output", "match"), [
    ("pue", "pue", "facility_power_w", "two different"),
    ("pues", "gpus", "facility_power_w", "unknown assumption"),
    ("gpus", "pue", "power", "unknown output"),
    ("gpus", "pue", "energy_wh", "needs an assumption"),
])
def test_grid_invalid(x, y, output, match):
    s = Scenario(gpus=1e5, gpu_watts=700)
    with pytest.raises(ValueError, match=match):
        explore.grid(s, x, [1.0, 2.0], y, [1.0, 2.0], output)


def test_grid_out_of_range_value_names_field():
    s = Scenario(gpus=1e5, gpu_watts=700)
    with pytest.raises(ValueError, match=r"pue\[0, 0\] must be >= 1"):
        explore.grid(s, "gpus", [1.0, 2.0], "pue", [0.5, 2.0])


def test_level_crossing_linear():
    x, y = explore.level_crossing([1, 2], [0, 1, 2], [[0, 0], [1, 2], [2, 4]], 1.5)
    assert_allclose(x, [1, 2])
    assert_allclose(y, [1.5, 0.75])


def test_level_crossing_no_crossing_is_empty():
    x, y = explore.level_crossing([1, 2], [0, 1], [[0, 0], [1, 1]], 5.0)
    assert x.size == 0 and y.size == 0


def test_level_crossing_shape_invalid():
    with pytest.raises(ValueError, match="shape"):
        explore.level_crossing([1, 2], [1, 2, 3], np.ones((2, 3)), 1.0)


def test_contour_points_lie_on_the_level():
    # Facility power of a fleet over gpus × PUE; the 1 GW contour is gpus × PUE = 1e9 / (700 × 1.82 × 1.1).
    gpus = np.geomspace(1e5, 2e6, 40)
    pue = np.linspace(1.0, 1.6, 40)
    s = Scenario(gpus=1e5, gpu_watts=700, server_overhead=1.82, network_overhead=1.1)
    z = explore.grid(s, "gpus", gpus, "pue", pue)
    x, y = explore.contour(gpus, pue, z, 1e9)
    assert x.size > 40  # crossings along both axes
    assert np.all(np.diff(x) >= 0)
    assert_allclose(x * y, 1e9 / (700 * 1.82 * 1.1), rtol=0.02)
    assert not np.isnan(x).any() and not np.isnan(y).any()


def test_reference_points_bases():
    ref = explore.reference_points("nameplate", pue=1.3)
    by_key = dict(zip(ref["key"], range(len(ref["key"])), strict=True))
    # Stargate Abilene: about 1.2 GW campus (press reports)
    assert ref["basis"][by_key["stargate-abilene"]] == "reported"
    assert_allclose(ref["facility_power_w"][by_key["stargate-abilene"]], 1.2e9)
    # SemiAnalysis: over 150 MW critical IT -> facility = IT × PUE
    assert ref["basis"][by_key["semianalysis-100k-h100"]] == "reported IT × PUE"
    assert_allclose(ref["facility_power_w"][by_key["semianalysis-100k-h100"]], 150e6 * 1.3)
    # Llama 3 405B: 16,384 H100 with presets
    i = by_key["llama3-405b"]
    assert ref["basis"][i] == "estimated from the fleet"
    assert_allclose(ref["facility_power_w"][i], power.fleet_facility_power_w(16_384, 700, H100_SERVER, 1.1, 1.3))
    assert "meta-prometheus" in ref["power_only"]["key"]
    assert "meta-prometheus" not in ref["key"]


def test_load_swing_llama3_order_of_magnitude():
    # Llama 3: "instant fluctuations ... on the order of tens of megawatts" on a 24K-H100 cluster
    out = explore.load_swing(24_576, 700, 0.1, facility_power_w=40e6)
    assert 10e6 < out["swing_w"] < 100e6
    assert_allclose(out["swing_w"], power.load_swing_w(24_576, 700, 0.1))
    assert_allclose(out["share_of_facility"], out["swing_w"] / 40e6)
    half = explore.load_swing(24_576, 700, 0.1, job_share=0.5)
    assert_allclose(half["swing_w"], out["swing_w"] / 2)


@pytest.mark.parametrize("share", [0.0, 1.5, float("nan")])
def test_load_swing_invalid_share(share):
    with pytest.raises(ValueError, match="job_share"):
        explore.load_swing(1000, 700, 0.1, job_share=share)


def _h100(**changes):
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 16_384, "mfu": 0.41, **changes})


def test_training_run_llama3():
    # Llama 3 405B: 3.8e25 FLOP on 16,384 H100 at 41% MFU (arXiv:2407.21783)
    s = _h100(electricity_price=0.08, carbon_intensity=0.4, wue=0.3)
    run = explore.training_run(s, 3.8e25)
    seconds = compute.training_time_s(3.8e25, 16_384, 989.4e12, 0.41)
    assert_allclose(run["training_time_s"], seconds, rtol=1e-12)
    assert 50 < seconds / 86_400 < 70
    assert_allclose(run["gpu_hours"], compute.gpu_hours(16_384, seconds), rtol=1e-12)
    r = estimate(s.replace(hours=seconds / 3600))
    for key in ("energy_wh", "it_energy_wh", "cost", "emissions_kg", "water_l"):
        assert_allclose(run[key], getattr(r, key), rtol=1e-12)


def test_training_run_without_price_is_none():
    run = explore.training_run(_h100(), 3.8e25)
    assert run["cost"] is None and run["emissions_kg"] is None and run["water_l"] is None


def test_training_run_without_peak_raises():
    with pytest.raises(ValueError, match="peak_flop_per_s"):
        explore.training_run(Scenario(gpus=10, gpu_watts=700), 1e20)


def test_training_run_longer_than_period_ceiling():
    # 1 accelerator for 3.8e25 FLOP takes millennia: still a finite answer, not a period-limit error
    run = explore.training_run(_h100(gpus=1), 3.8e25)
    assert math.isfinite(run["energy_wh"]) and run["training_time_s"] > 1e6 * 3600


def test_training_fleet_round_trip():
    s = _h100()
    need = explore.training_fleet(s, 3.8e25, 90 * 86_400)
    exact = solve.gpus_for_training(3.8e25, 90 * 86_400, 989.4e12, 0.41)
    assert need["gpus"] == math.ceil(exact)
    assert compute.training_time_s(3.8e25, need["gpus"], 989.4e12, 0.41) <= 90 * 86_400
    assert_allclose(need["facility_power_w"],
                    power.fleet_facility_power_w(need["gpus"], 700, H100_SERVER, 1.1, 1.2), rtol=1e-12)
    assert_allclose(need["share_of_gigawatt"], need["facility_power_w"] / 1e9)


def test_training_fleet_invalid_time():
    with pytest.raises(ValueError, match="training_time_s must be > 0"):
        explore.training_fleet(_h100(), 3.8e25, 0)


def test_power_and_energy_layers_sum():
    s = _h100(hours=8760, utilization=0.75)
    r = estimate(s)
    p = explore.power_layers(r)
    assert_allclose(sum(p["power_w"].values()), r.facility_power_w, rtol=1e-12)
    assert_allclose(sum(p["share"].values()), 1.0, rtol=1e-12)
    e = explore.energy_layers(r, 8760, 0.75)
    assert_allclose(sum(e["energy_wh"].values()), r.energy_wh, rtol=1e-12)
    assert list(e["energy_wh"]) == list(explore.LAYERS)


def test_energy_layers_neutral_overheads_are_zero():
    r = estimate(Scenario(gpus=10, gpu_watts=700))
    e = explore.energy_layers(r, 24, 1.0)
    assert e["energy_wh"]["host"] == 0 and e["energy_wh"]["cooling_conversion"] == 0


def test_per_accelerator_and_share_of_gigawatt():
    r = estimate(_h100(hours=8760, electricity_price=0.08))
    per = explore.per_accelerator(r, 16_384)
    assert_allclose(per["energy_wh"] * 16_384, r.energy_wh, rtol=1e-12)
    assert per["emissions_kg"] is None
    assert_allclose(explore.share_of_gigawatt(5e8), 0.5)


def test_comparison_rows():
    a, b = _h100(), _h100(pue=1.5, hours=24)
    table = explore.comparison({"a": a, "b": b})
    n = len(Scenario.field_names()) + len(estimator.Estimate.field_names())
    assert len(table["quantity"]) == n == len(table["a"]) == len(table["b"]) == len(table["unit"])
    i = table["quantity"].index("facility_power_w")
    assert table["kind"][i] == "result"
    assert_allclose(table["b"][i], estimate(b).facility_power_w)
    assert table["a"][table["quantity"].index("hours")] is None


def test_query_round_trip():
    s = _h100(hours=2160, electricity_price=0.0826, peak_flop_per_s=1978.9e12)
    presets = {"accelerator": "h100-sxm", "methodology": "nameplate", "site": None, "precision": "fp8"}
    params = explore.query_from_scenario(s, presets)
    assert all(isinstance(v, str) for v in params.values())
    assert "site" not in params and "wue" not in params
    fields, back = explore.scenario_from_query(params)
    assert Scenario(**{k: v for k, v in fields.items() if v is not None}) == s
    assert back == presets


def test_query_round_trip_keeps_cleared_preset_value_cleared():
    # The site sets a price; the user cleared it: the address must not bring it back.
    presets = {"accelerator": "h100-sxm", "methodology": "epoch-ai", "site": "us-hyperscale-2025"}
    values = preset_assumptions(**presets)
    del values["electricity_price"]
    s = Scenario(**values, gpus=1000)
    params = explore.query_from_scenario(s, presets)
    assert params["electricity_price"] == ""
    fields, _ = explore.scenario_from_query(params)
    assert fields["electricity_price"] is None
    assert Scenario(**{k: v for k, v in fields.items() if v is not None}) == s


def test_scenario_from_query_fills_from_presets():
    fields, presets = explore.scenario_from_query({"accelerator": "B200", "methodology": "nameplate",
                                                   "precision": "fp8", "gpus": "1000", "pue": "1.3"})
    assert presets["accelerator"] == "b200"
    assert fields["gpu_watts"] == 1000 and fields["server_overhead"] == 1.7875 and fields["pue"] == 1.3
    assert fields["peak_flop_per_s"] == 4.5e15
    with pytest.raises(ValueError, match="needs an accelerator"):
        explore.scenario_from_query({"methodology": "nameplate", "gpus": "1", "gpu_watts": "1"})


def test_scenario_from_query_defaults_fill_what_the_link_leaves_out():
    defaults = {"gpus": 100_000.0, "hours": 8760.0, "mfu": 0.4}
    fields, presets = explore.scenario_from_query({"accelerator": "b200", "pue": "1.3", "wue": ""}, defaults,
                                                  {"accelerator": "h100-sxm", "methodology": "nameplate"})
    assert presets["accelerator"] == "b200" and presets["methodology"] == "nameplate"
    assert fields["gpus"] == 100_000 and fields["hours"] == 8760 and fields["mfu"] == 0.4
    assert fields["network_overhead"] == 1.1 and fields["pue"] == 1.3 and fields["wue"] is None
    # A preset's value wins over a default; an empty field stays "not given".
    fields, _ = explore.scenario_from_query({"methodology": "epoch-ai", "hours": ""}, defaults,
                                            {"accelerator": "h100-sxm"})
    assert fields["mfu"] == 0.375 and fields["hours"] is None
    with pytest.raises(ValueError, match="gpus is required"):
        explore.scenario_from_query({"gpus": ""}, defaults, {"accelerator": "h100-sxm"})


def test_query_from_scenario_writes_empty_where_a_default_would_fill():
    s = _h100()  # no period
    params = explore.query_from_scenario(s, {"accelerator": "h100-sxm"}, {"hours": 8760.0, "mfu": 0.4})
    assert params["hours"] == ""
    fields, _ = explore.scenario_from_query(params, {"hours": 8760.0, "mfu": 0.4})
    assert fields == s.to_dict()


def test_query_from_scenario_rejects_arrays():
    with pytest.raises(ValueError, match="array"):
        explore.query_from_scenario(_h100(pue=[1.1, 1.2]), {})


@pytest.mark.parametrize(("params", "match"), [
    ({"gpus": "1000", "gpu_watts": "700", "pue": "0.5"}, "pue must be >= 1"),
    ({"gpus": "abc", "gpu_watts": "700"}, "gpus must be a number"),
    ({"gpus": "nan", "gpu_watts": "700"}, "gpus must be > 0 and finite"),
    ({"gpus": "1e400", "gpu_watts": "700"}, "gpus"),
    ({"gpus": "1000"}, "gpu_watts is required"),
    ({"gpus": "1000", "gpu_watts": "700", "puee": "1.2"}, "did you mean 'pue'"),
    ({"gpus": "1000", "gpu_watts": "700", "accelerator": "h1000"}, "unknown accelerator"),
    ({"gpus": "1000", "gpu_watts": "700", "precision": "fp4"}, "precision"),
    ({"gpus": "1000", "gpu_watts": "700", "mfu": "2"}, "mfu must be in"),
])
def test_scenario_from_query_invalid(params, match):
    with pytest.raises(ValueError, match=match):
        explore.scenario_from_query(params)


def test_log_range():
    v = explore.log_range(1e3, 1e6, 4)
    assert_allclose(v, [1e3, 1e4, 1e5, 1e6])
    with pytest.raises(ValueError, match="high must be > low"):
        explore.log_range(10, 1)
    with pytest.raises(ValueError, match="n must be"):
        explore.log_range(1, 10, 1)


# --------------------------------------------------------------------------- uncertainty page

def _nameplate(**changes) -> Scenario:
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 100_000, "mfu": 0.4,
                       "hours": 8760, **changes})


def test_default_ranges_spread_of_methodologies():
    d = explore.default_ranges(_nameplate(), "h100-sxm")
    assert list(d) == [f for f in Scenario.field_names() if getattr(_nameplate(), f) is not None]
    # methodologies.toml: PUE 1.1 (Epoch AI training-cost-trends) to 1.4 (Epoch AI GPU share); nameplate 1.2
    assert (d["pue"]["low"], d["pue"]["likely"], d["pue"]["high"]) == (1.1, 1.2, 1.4)
    assert "Epoch AI" in d["pue"]["source"] and "1.4" in d["pue"]["source"]
    # network: 1.0 (Epoch AI) to 1.14 (Epoch AI GPU share); utilization 0.75 (Epoch AI) to 1.0
    assert (d["network_overhead"]["low"], d["network_overhead"]["high"]) == (1.0, 1.14)
    assert (d["utilization"]["low"], d["utilization"]["high"]) == (0.75, 1.0)
    # server: 1.53 (Epoch AI GPU share) to DGX H100's 10.2 kW ÷ 8 × 700 W
    assert_allclose([d["server_overhead"]["low"], d["server_overhead"]["high"]], [1.53, H100_SERVER], rtol=1e-12)


def test_default_ranges_neutral_left_out_and_widened_to_value():
    d = explore.default_ranges(_nameplate(pue=1.05, utilization=0.5), "h100-sxm")
    assert d["pue"]["low"] == 1.05 and d["pue"]["high"] == 1.4
    assert "widened to include your value" in d["pue"]["source"]
    assert d["utilization"]["low"] == 0.5
    only = explore.default_ranges(_nameplate(), "h100-sxm", methodologies=["neutral", "nameplate"])
    assert (only["pue"]["low"], only["pue"]["high"]) == (1.0, 1.2)


def test_default_ranges_bands_and_fixed_fields():
    d = explore.default_ranges(_nameplate(electricity_price=0.08, carbon_intensity=0.4, wue=0.3, mfu=0.9),
                               "h100-sxm")
    assert_allclose([d["gpu_watts"]["low"], d["gpu_watts"]["high"]], [630.0, 735.0], rtol=1e-12)
    # MFU ±25 %, kept <= 1
    assert_allclose([d["mfu"]["low"], d["mfu"]["high"]], [0.675, 1.0], rtol=1e-12)
    assert "arXiv:2407.21783" in d["mfu"]["source"]
    assert_allclose([d["electricity_price"]["low"], d["electricity_price"]["high"]], [0.06, 0.1], rtol=1e-12)
    assert_allclose([d["wue"]["low"], d["wue"]["high"]], [0.15, 0.45], rtol=1e-12)
    for field in ("gpus", "hours", "peak_flop_per_s"):
        assert d[field]["low"] == d[field]["likely"] == d[field]["high"] == getattr(_nameplate(), field)
    for r in d.values():
        assert r["low"] <= r["likely"] <= r["high"] and r["source"]


def test_default_ranges_give_valid_specs():
    # every default range is accepted by the library in every shape
    from estimator import uncertainty

    for part in catalog.accelerators():
        s = Scenario.from_accelerator(part, gpus=1000, methodology="epoch-ai", hours=24)
        for field, r in explore.default_ranges(s, part).items():
            for shape in uncertainty.RANGE_SHAPES:
                uncertainty.spec_from_range(field, r["low"], r["likely"], r["high"], shape)


def test_default_ranges_invalid():
    with pytest.raises(ValueError, match="unknown accelerator"):
        explore.default_ranges(_nameplate(), "h1000")
    with pytest.raises(ValueError, match="pue must be a single value"):
        explore.default_ranges(_nameplate(pue=[1.1, 1.2]), "h100-sxm")


def test_histogram():
    h = explore.histogram([1.0, 2.0, 2.0, 3.0, 4.0], bins=3)
    assert_allclose(h["start"], [1.0, 2.0, 3.0])
    assert_allclose(h["end"], [2.0, 3.0, 4.0])
    assert_array_equal(h["count"], [1, 2, 2])
    assert_allclose(h["share"], [0.2, 0.4, 0.4])
    assert explore.histogram(np.full(10, 5.0), 4)["count"].sum() == 10
    with pytest.raises(ValueError, match="bins"):
        explore.histogram([1.0], 0)
    with pytest.raises(ValueError, match="empty"):
        explore.histogram([])


def test_uncertainty_summary_equals_monte_carlo():
    from estimator import uncertainty

    specs = {"gpus": 1000, "gpu_watts": "600..800", "pue": uncertainty.LogNormal(1.2, 1.4)}
    out = explore.uncertainty_summary(specs, ["facility_power_w", "gpus_per_gigawatt"], n=5000, seed=3, bins=10)
    ref = uncertainty.monte_carlo(specs, n=5000, seed=3, outputs=["facility_power_w", "gpus_per_gigawatt"])
    assert out["percentiles"] == ref.percentiles
    assert out["n"] == 5000 and out["seed"] == 3
    assert out["clipped"] == ref.clipped
    h = out["histograms"]["facility_power_w"]
    assert h["count"].sum() == 5000 and len(h["start"]) == 10
    assert h["start"][0] == ref.samples["facility_power_w"].min()
    calls = []
    again = explore.uncertainty_summary(specs, ["facility_power_w"], n=5000, seed=3,
                                        progress=lambda done, total: calls.append((done, total)))
    assert again["percentiles"]["facility_power_w"] == ref.percentiles["facility_power_w"]
    assert calls[0] == (0, 5000) and calls[-1] == (5000, 5000)


def test_scenario_from_query_presets_cached_and_not_shared():
    a = explore.scenario_from_query({"accelerator": "h100-sxm", "gpus": "10"})
    a[1]["accelerator"] = "changed"
    a[0]["pue"] = 99.0
    b = explore.scenario_from_query({"accelerator": "h100-sxm", "gpus": "10"})
    assert b[1]["accelerator"] == "h100-sxm"
    assert b[0]["gpu_watts"] == 700.0 and b[0]["pue"] == 1.0
    with pytest.raises(TypeError, match="must be a str"):
        explore.scenario_from_query({"accelerator": ["h100-sxm"], "gpus": "10", "gpu_watts": "700"})
