"""Tests of the inverse questions."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import compute, power, solve


def test_gpus_for_power_design_example():
    # DESIGN.md worked example: DGX H100 ratio 1.82, network 1.10, PUE 1.2 -> 1 GW holds about 595,000 H100
    gpus = solve.gpus_for_power(1e9, 700, 1.82, 1.10, 1.2)
    assert_allclose(gpus, 594_643.45, rtol=1e-6)
    assert solve.gpus_for_power(1e9, 700, 1.82, 1.10, 1.2, whole=True) == 594_643


def test_gpus_for_power_semianalysis_100k():
    # SemiAnalysis, "100,000 H100 Clusters" (2024): 700 W + ~575 W host per GPU, ~10% network
    # and storage -> a 100k cluster is about 150 MW of critical IT (within 10%).
    it_w = power.it_power_w(power.server_power_w(100_000 * 700, (700 + 575) / 700), 1.10)
    assert_allclose(it_w, 150e6, rtol=0.10)


def test_gpu_watts_for_power_round_trip():
    watts = solve.gpu_watts_for_power(1e9, 500_000, 1.82, 1.1, 1.2)
    assert_allclose(power.fleet_facility_power_w(500_000, watts, 1.82, 1.1, 1.2), 1e9, rtol=1e-12)


def test_pue_for_power_scalar_and_infeasible():
    assert_allclose(solve.pue_for_power(1e9, 500_000, 700, 1.82, 1.1), 1e9 / (500_000 * 700 * 1.82 * 1.1),
                    rtol=1e-12)
    assert solve.pue_for_power(1e8, 500_000, 700, 1.82, 1.1) < 1  # IT alone exceeds the budget


def test_gpus_for_training_round_trip():
    seconds = 90 * 86_400
    gpus = solve.gpus_for_training(3.8e25, seconds, 989.4e12, 0.4)
    assert_allclose(compute.training_time_s(3.8e25, gpus, 989.4e12, 0.4), seconds, rtol=1e-12)


def test_facility_power_for_training_scalar():
    seconds = 90 * 86_400
    gpus = 3.8e25 / (seconds * 989.4e12 * 0.4)
    assert_allclose(solve.facility_power_for_training(3.8e25, seconds, 989.4e12, 0.4, 700, 1.82, 1.1, 1.2),
                    gpus * 700 * 1.82 * 1.1 * 1.2, rtol=1e-12)


def test_gpus_for_power_array_equals_scalar():
    budget = np.array([1e7, 1e9, 1e10])
    pue = np.array([1.1, 1.2, 1.54])
    vector = solve.gpus_for_power(budget, 1000, 1.79, 1.1, pue)
    scalar = [solve.gpus_for_power(b, 1000, 1.79, 1.1, p) for b, p in zip(budget, pue, strict=True)]
    assert_allclose(vector, scalar, rtol=1e-15)


@pytest.mark.parametrize("args, field", [
    ((0, 700), "facility_power_w"),
    ((1e9, 700, 1.82, 1.1, 0.95), "pue"),
    ((1e9, -700), "gpu_watts"),
])
def test_gpus_for_power_invalid(args, field):
    with pytest.raises(ValueError, match=field):
        solve.gpus_for_power(*args)
