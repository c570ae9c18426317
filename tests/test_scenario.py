"""Tests of Scenario, Estimate and estimate()."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import estimator
from estimator import Scenario, estimate

FULL = dict(gpus=100_000, gpu_watts=700, server_overhead=1.82, network_overhead=1.10, pue=1.2,
            utilization=0.75, hours=8760, electricity_price=0.08, carbon_intensity=0.4, wue=0.3,
            peak_flop_per_s=989e12, mfu=0.4, accelerator_cost=40_000, facility_cost_per_w=12,
            hardware_life_years=5, facility_life_years=20, discount_rate=0.08)


def test_estimate_scalar_outputs_are_floats():
    result = estimate(Scenario(**FULL))
    for name in result.field_names():
        if getattr(result, name) is None:  # an output of inputs FULL leaves out (serving, footprint)
            continue
        assert type(getattr(result, name)) is float, name


def test_estimate_breakdown_sums_to_facility():
    r = estimate(Scenario(**FULL))
    total = r.accelerator_power_w + r.host_power_w + r.network_storage_power_w + r.cooling_conversion_power_w
    assert_allclose(total, r.facility_power_w, rtol=1e-12)


def test_estimate_semianalysis_100k_h100_cluster():
    # SemiAnalysis, "100,000 H100 Clusters: Power, Network Topology" (2024): 700 W per GPU plus
    # about 575 W of host per GPU, about 10% for storage, switches and optics -> "over 150 MW"
    # of critical IT. Checked within 10%.
    r = estimate(Scenario(gpus=100_000, gpu_watts=700, server_overhead=(700 + 575) / 700, network_overhead=1.10))
    assert_allclose(r.it_power_w, 150e6, rtol=0.10)


def test_estimate_design_example_per_gpu():
    # DESIGN.md: one H100 costs about 1.68 kW at the facility (DGX H100 1.82, network 1.10, PUE 1.2)
    r = estimate(Scenario(gpus=1, gpu_watts=700, server_overhead=10_200 / 5_600, network_overhead=1.10, pue=1.2))
    assert_allclose(r.watts_per_gpu, 1_683, rtol=1e-3)


def test_estimate_optional_outputs_none():
    r = estimate(Scenario(gpus=1000, gpu_watts=700))
    assert r.energy_wh is None and r.cost is None and r.flop_in_period is None
    assert r.peak_cluster_flop_per_s is None
    r = estimate(Scenario(gpus=1000, gpu_watts=700, hours=24))
    assert r.energy_wh == 700_000 * 24 and r.cost is None and r.water_l is None


def test_estimate_broadcasts_all_outputs_to_common_shape():
    r = estimate(Scenario(gpus=np.array([1e3, 1e4, 1e5]), gpu_watts=700, pue=np.array([[1.1], [1.3]]),
                          hours=8760, electricity_price=0.08, peak_flop_per_s=989e12))
    for name in r.field_names():
        value = getattr(r, name)
        if value is not None:
            assert np.shape(value) == (2, 3), name
    # fields that depend on only one axis are broadcast copies, not views of each other
    assert r.peak_cluster_flop_per_s.flags.writeable


def test_estimate_array_equals_scalar_calls():
    rng = np.random.default_rng(1)
    arrays = dict(gpus=rng.uniform(1, 1e6, 20), gpu_watts=rng.uniform(300, 1200, 20),
                  server_overhead=rng.uniform(1, 2.2, 20), network_overhead=rng.uniform(1, 1.2, 20),
                  pue=rng.uniform(1, 1.6, 20), utilization=rng.uniform(0.3, 1, 20), hours=rng.uniform(1, 8760, 20),
                  electricity_price=rng.uniform(0, 0.2, 20), carbon_intensity=rng.uniform(0, 0.9, 20),
                  wue=rng.uniform(0, 2, 20), peak_flop_per_s=rng.uniform(1e14, 5e15, 20), mfu=rng.uniform(0.2, 0.6, 20),
                  accelerator_cost=rng.uniform(1e4, 5e4, 20), facility_cost_per_w=rng.uniform(0, 15, 20),
                  hardware_life_years=rng.uniform(3, 6, 20), facility_life_years=rng.uniform(10, 30, 20),
                  discount_rate=rng.uniform(0, 0.12, 20))
    vector = estimate(Scenario(**arrays))
    for i in range(20):
        one = estimate(Scenario(**{k: float(v[i]) for k, v in arrays.items()}))
        for name in vector.field_names():
            if getattr(one, name) is None:  # an output of inputs these arrays leave out (serving, footprint)
                continue
            assert_allclose(getattr(vector, name)[i], getattr(one, name), rtol=1e-15, err_msg=name)


def test_scenario_converts_to_float64():
    s = Scenario(gpus=np.array([10**7]), gpu_watts=np.array([1000], dtype=np.int32))
    assert s.gpus.dtype == np.float64 and s.gpu_watts.dtype == np.float64
    assert type(Scenario(gpus=3, gpu_watts=700).gpus) is float


def test_scenario_equality_with_arrays():
    a = Scenario(gpus=np.array([1.0, 2.0]), gpu_watts=700)
    assert a == Scenario(gpus=[1, 2], gpu_watts=700.0)
    assert a != Scenario(gpus=[1, 3], gpu_watts=700.0)
    assert a != Scenario(gpus=[1, 2], gpu_watts=700.0, hours=1)
    assert Scenario(gpus=2, gpu_watts=700) != Scenario(gpus=[2], gpu_watts=700)


def test_scenario_replace_validates():
    s = Scenario(gpus=1000, gpu_watts=700)
    assert s.replace(pue=1.3).pue == 1.3
    with pytest.raises(ValueError, match=r"pue must be >= 1 \(got 0.5\)"):
        s.replace(pue=0.5)


def test_scenario_to_dict_round_trip():
    s = Scenario(**{**FULL, "gpus": np.array([1e3, 1e4])})
    assert Scenario(**s.to_dict()) == s


def test_scenario_from_accelerator_h100():
    # NVIDIA H100 datasheet: 700 W, 989.4 TFLOP/s dense BF16
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.25)
    assert_allclose([s.gpu_watts, s.peak_flop_per_s, s.pue], [700, 989.4e12, 1.25], rtol=1e-12)
    assert s.server_overhead > 1


def test_scenario_from_accelerator_unknown_lists_valid():
    with pytest.raises(ValueError, match=r"h300.*h100-sxm"):
        Scenario.from_accelerator("h300", gpus=1000)


def test_scenario_with_methodology_and_site():
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, methodology="neutral")
    assert s.server_overhead == 1.0 and s.network_overhead == 1.0 and s.pue == 1.0
    assert s.with_site("meta-fleet").pue == pytest.approx(1.08)


@pytest.mark.parametrize("field, value, error, message", [
    ("pue", 0.9, ValueError, r"pue must be >= 1 \(got 0.9\)"),
    ("gpus", -1, ValueError, r"gpus must be > 0 \(got -1.0\)"),
    ("gpus", 0, ValueError, r"gpus must be > 0"),
    ("gpu_watts", float("nan"), ValueError, r"gpu_watts must be > 0 and finite \(got nan\)"),
    ("utilization", 1.5, ValueError, r"utilization must be in \(0, 1\]"),
    ("mfu", 0.0, ValueError, r"mfu must be in \(0, 1\]"),
    ("hours", float("inf"), ValueError, r"hours must be > 0 and finite"),
    ("server_overhead", 0.5, ValueError, r"server_overhead must be >= 1"),
    ("network_overhead", [1.1, 0.99], ValueError, r"network_overhead\[1\] must be >= 1"),
    ("electricity_price", -0.01, ValueError, r"electricity_price must be >= 0"),
    ("wue", "0.3", TypeError, r"wue must be a number, not text"),
    ("gpus", True, TypeError, r"gpus must be a number, not a boolean"),
    ("gpus", 1e15, ValueError, r"gpus must be <= 1e\+09"),
    ("gpu_watts", 1e9, ValueError, r"gpu_watts must be <= 1e\+06"),
])
def test_scenario_invalid(field, value, error, message):
    kwargs = dict(gpus=1000, gpu_watts=700, pue=1.2)
    kwargs[field] = value
    with pytest.raises(error, match=message):
        Scenario(**kwargs)


def test_scenario_shapes_must_broadcast():
    with pytest.raises(ValueError, match="do not broadcast"):
        Scenario(gpus=np.ones(3), gpu_watts=np.full(2, 700.0))


def test_estimate_rejects_non_scenario():
    with pytest.raises(TypeError, match="Scenario"):
        estimate({"gpus": 1})


def test_public_api_names():
    for name in ["Scenario", "estimate", "gpus_for_power", "training_time_s", "training_flop", "accelerators"]:
        assert hasattr(estimator, name)
