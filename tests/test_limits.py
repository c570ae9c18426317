"""Several limits at once: estimator.limits.binding_limit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from estimator import limits

# H100 in DGX servers: NVIDIA DGX H100 user guide, 10.2 kW for 8 × 700 W (1.82); network 1.10 and PUE 1.2
# as DESIGN's worked example; $40k per accelerator and $12/W of IT are illustrative (press and Turner &
# Townsend 2025–2026, 2°).
CHAIN = dict(gpu_watts=700.0, server_overhead=1.82, network_overhead=1.10, pue=1.2)
MONEY = dict(accelerator_cost=40_000.0, facility_cost_per_w=12.0)
COMPUTE = dict(peak_flop_per_s=989.4e12, mfu=0.4)


def test_binding_limit_by_hand():
    t = limits.binding_limit(**CHAIN, **MONEY, **COMPUTE, power_budget_w=1e9, capex_budget=10e9,
                             training_time_s=90 * 86_400.0, training_flop=3.8e26)
    per_gpu_it = 700 * 1.82 * 1.10
    assert t["limit"] == ["power", "capex", "deadline"]
    assert t["gpus"][0] == np.floor(1e9 / (per_gpu_it * 1.2))
    assert t["gpus"][1] == np.floor(10e9 / (40_000 + per_gpu_it * 12.0))
    assert t["gpus"][2] == np.ceil(3.8e26 / (989.4e12 * 0.4 * 90 * 86_400))
    assert t["binding"] == "capex"
    assert t["fleet_gpus"] == t["gpus"][1]
    gpus = t["fleet_gpus"]
    assert_allclose(t["fleet_facility_power_w"], gpus * per_gpu_it * 1.2, rtol=1e-12)
    assert_allclose(t["fleet_capex"], gpus * (40_000 + per_gpu_it * 12.0), rtol=1e-12)
    assert_allclose(t["fleet_flop_in_deadline"], gpus * 989.4e12 * 0.4 * 90 * 86_400, rtol=1e-12)
    assert_allclose(t["fleet_days_for_target"], 3.8e26 / (gpus * 989.4e12 * 0.4) / 86_400, rtol=1e-12)
    assert t["target_fits"] is True


def test_binding_limit_power_binds_and_target_misses():
    t = limits.binding_limit(**CHAIN, **MONEY, **COMPUTE, power_budget_w=100e6, capex_budget=10e9,
                             training_time_s=30 * 86_400.0, training_flop=3.8e26)
    assert t["binding"] == "power"
    assert t["target_fits"] is False
    assert t["fleet_days_for_target"] > 30


def test_binding_limit_it_budget_is_facility_without_pue():
    a = limits.binding_limit(**CHAIN, it_budget_w=500e6)
    b = limits.binding_limit(**CHAIN, power_budget_w=500e6 * 1.2)
    assert a["binding"] == "it_power"
    assert abs(a["fleet_gpus"] - b["fleet_gpus"]) <= 1  # the same budget, floored on either side


def test_fleet_on_hand_is_a_cap_so_a_deadline_alone_asks_what_it_does():
    t = limits.binding_limit(**CHAIN, **COMPUTE, gpus=24_576, training_time_s=54 * 86_400.0)
    assert t["limit"] == ["fleet"] and t["binding"] == "fleet" and t["fleet_gpus"] == 24_576
    assert_allclose(t["fleet_flop_in_deadline"], 24_576 * 989.4e12 * 0.4 * 54 * 86_400, rtol=1e-12)
    # Beside a power cap it binds only when it is the smaller.
    both = limits.binding_limit(**CHAIN, power_budget_w=1e9, gpus=24_576)
    assert both["binding"] == "fleet"
    assert limits.binding_limit(**CHAIN, power_budget_w=10e6, gpus=24_576)["binding"] == "power"


def test_binding_limit_redundancy_lowers_the_capex_fleet():
    n = limits.binding_limit(**CHAIN, **MONEY, capex_budget=10e9)["fleet_gpus"]
    two_n = limits.binding_limit(**CHAIN, **MONEY, capex_budget=10e9, redundancy=2.0)["fleet_gpus"]
    assert two_n == np.floor(10e9 / (40_000 + 700 * 1.82 * 1.10 * 12.0 * 1.4))
    assert two_n < n


def test_binding_limit_array_equals_scalar():
    budgets = np.array([50e6, 300e6, 1e9, 5e9])
    t = limits.binding_limit(**CHAIN, **MONEY, power_budget_w=budgets, capex_budget=10e9)
    for i, b in enumerate(budgets):
        one = limits.binding_limit(**CHAIN, **MONEY, power_budget_w=b, capex_budget=10e9)
        assert t["binding"][i] == one["binding"]
        assert t["fleet_gpus"][i] == one["fleet_gpus"]
    assert list(t["binding"]) == ["power", "capex", "capex", "capex"]  # $10B holds about 296 MW


@settings(max_examples=60, deadline=None)
@given(st.floats(1e7, 1e10), st.floats(1e7, 1e10), st.floats(1e9, 1e11))
def test_binding_limit_fleet_grows_with_every_cap(p1, p2, capex):
    low, high = sorted((p1, p2))
    a = limits.binding_limit(**CHAIN, **MONEY, power_budget_w=low, capex_budget=capex)
    b = limits.binding_limit(**CHAIN, **MONEY, power_budget_w=high, capex_budget=capex)
    assert a["fleet_gpus"] <= b["fleet_gpus"]
    assert a["fleet_gpus"] == min(a["gpus"])


@pytest.mark.parametrize("kwargs, match", [
    ({}, "needs a cap"),
    ({"capex_budget": 1e9}, "capex_budget needs accelerator_cost"),
    ({"power_budget_w": -1.0}, "power_budget_w"),
    ({"power_budget_w": 100.0}, "holds no whole accelerator"),
    ({"power_budget_w": 1e9, "mfu": 1.5, "peak_flop_per_s": 1e15}, "mfu"),
])
def test_binding_limit_invalid(kwargs, match):
    with pytest.raises(ValueError, match=match):
        limits.binding_limit(**CHAIN, **kwargs)
