"""Tests of compute and training."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import compute

H100_BF16 = 989.4e12  # NVIDIA H100 SXM5 datasheet: 989.4 TFLOP/s dense BF16


def test_training_flop_llama3_405b():
    # Llama 3 paper (arXiv 2407.21783): 405B parameters on 15.6T tokens, 6ND = 3.79e25 (paper: 3.8e25)
    assert_allclose(compute.training_flop(405e9, 15.6e12), 3.7908e25, rtol=1e-12)
    assert_allclose(compute.training_flop(405e9, 15.6e12), 3.8e25, rtol=0.01)


def test_training_time_s_llama3_405b():
    # Llama 3 paper: 16,384 H100 at 41% BF16 MFU (400 TFLOP/s per GPU).
    seconds = compute.training_time_s(3.7908e25, 16_384, H100_BF16, 0.41)
    assert_allclose(seconds, 3.7908e25 / (16_384 * H100_BF16 * 0.41), rtol=1e-12)
    # About 66 days of pure compute; Meta reports the run took place over ~54 days of
    # pre-training with most steps at 16K GPUs, so the order of magnitude holds.
    assert_allclose(seconds / 86_400, 66.1, rtol=0.01)


def test_training_time_s_per_gpu_throughput():
    # Llama 3 paper: 41% MFU on H100 is 400 TFLOP/s per GPU
    assert_allclose(compute.sustained_flop_per_s(H100_BF16, 0.41), 400e12, rtol=0.02)


def test_gpu_hours_llama31_405b():
    # Llama 3.1 model card: 30.84M GPU hours for 405B. At 16,384 GPUs that is ~78 days of wall-clock.
    days = 30.84e6 / 16_384 / 24
    assert_allclose(compute.gpu_hours(16_384, days * 86_400), 30.84e6, rtol=1e-12)


def test_flop_in_period_scalar():
    assert_allclose(compute.flop_in_period(1e18, 24), 8.64e22, rtol=1e-15)


def test_runs_in_period_scalar():
    assert_allclose(compute.runs_in_period(7.6e25, 3.8e25), 2.0, rtol=1e-15)


def test_training_time_s_array_equals_scalar():
    gpus = np.array([8_192, 16_384, 24_576])
    mfu = np.array([0.43, 0.41, 0.38])
    vector = compute.training_time_s(3.8e25, gpus, H100_BF16, mfu)
    scalar = [compute.training_time_s(3.8e25, g, H100_BF16, m) for g, m in zip(gpus, mfu, strict=True)]
    assert_allclose(vector, scalar, rtol=1e-15)


@pytest.mark.parametrize("func, args, field", [
    (compute.training_flop, (-1, 1e12), "parameters"),
    (compute.training_flop, (1e9, True), "tokens"),
    (compute.training_time_s, (3.8e25, 16_384, H100_BF16, 0), "mfu"),
    (compute.training_time_s, (3.8e25, 16_384, -1, 0.4), "peak_flop_per_s"),
    (compute.peak_cluster_flop_per_s, (float("nan"), 1e15), "gpus"),
])
def test_compute_invalid(func, args, field):
    with pytest.raises((ValueError, TypeError), match=field):
        func(*args)


def test_goodput_halves_the_speed():
    # goodput 0.5: half the wall time trains, so a run takes twice as long, a deadline needs twice the fleet
    # and a period delivers half the useful compute, at every layer that computes them.
    from estimator import Scenario, estimate, solve, tables

    full = compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41)
    assert_allclose(compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41, goodput=0.5), 2 * full, rtol=1e-12)
    assert_allclose(compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41, goodput=1.0), full, rtol=1e-12)
    assert_allclose(solve.gpus_for_training(3.8e25, 86_400.0, H100_BF16, 0.41, goodput=0.5),
                    2 * solve.gpus_for_training(3.8e25, 86_400.0, H100_BF16, 0.41), rtol=1e-12)
    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41, hours=720.0, carbon_intensity=0.4)
    half = s.replace(goodput=0.5)
    assert_allclose(estimate(half).flop_in_period, estimate(s).flop_in_period / 2, rtol=1e-12)
    assert estimate(half).sustained_flop_per_s == estimate(s).sustained_flop_per_s  # the rate while it trains
    assert estimate(half).facility_power_w == estimate(s).facility_power_w  # power does not change
    run, slow = tables.training_run(s, 3.8e25), tables.training_run(half, 3.8e25)
    for name in ("training_time_s", "gpu_hours", "energy_wh", "emissions_kg"):
        assert_allclose(slow[name], 2 * run[name], rtol=1e-12, err_msg=name)
    fleet, bigger = tables.training_fleet(s, 3.8e25, 90 * 86_400.0), tables.training_fleet(half, 3.8e25, 90 * 86_400.0)
    assert_allclose(bigger["gpus"], 2 * fleet["gpus"], rtol=1e-4)
    budget = tables.budget_fleet(1e9, 700, 1.8214285714285714, 1.1, 1.2, H100_BF16, 0.4, 2160, goodput=0.5)
    assert_allclose(budget["runs"], tables.budget_fleet(1e9, 700, 1.8214285714285714, 1.1, 1.2, H100_BF16, 0.4,
                                                        2160)["runs"] / 2, rtol=1e-12)


def test_goodput_array_equals_scalar_and_invalid():
    goodput = np.array([0.5, 0.9, 1.0])
    vector = compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41, goodput)
    for i, g in enumerate(goodput):
        assert_allclose(vector[i], compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41, float(g)), rtol=1e-12)
    with pytest.raises(ValueError, match=r"goodput must be in \(0, 1\] \(got 1.5\)"):
        compute.training_time_s(3.8e25, 16_384, H100_BF16, 0.41, 1.5)
    with pytest.raises(ValueError, match=r"goodput must be in \(0, 1\] \(got 0"):
        compute.useful_flop_per_s(4e17, 0.0)
