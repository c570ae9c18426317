"""Tests of the power chain."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import power

DGX_H100_W = 10_200  # NVIDIA DGX H100 user guide: 10.2 kW max input for 8 × H100 SXM5 at 700 W


def test_accelerator_power_w_scalar():
    # Llama 3 paper (arXiv 2407.21783): 16,384 H100 at 700 W TDP
    assert_allclose(power.accelerator_power_w(16_384, 700), 11_468_800.0, rtol=1e-15)


def test_server_power_w_dgx_h100():
    ratio = DGX_H100_W / (8 * 700)
    assert_allclose(power.server_power_w(8 * 700, ratio), DGX_H100_W, rtol=1e-15)


def test_fleet_facility_power_w_design_example():
    # DESIGN.md worked example: one H100 costs about 1.68 kW at the facility
    assert_allclose(power.fleet_facility_power_w(1, 700, 1.82, 1.10, 1.2), 1681.68, rtol=1e-12)


def test_chain_array_equals_scalar():
    gpus = np.array([1e3, 2.5e4, 1e6])
    pue = np.array([1.08, 1.2, 1.54])
    vector = power.fleet_facility_power_w(gpus, 700, 1.82, 1.1, pue)
    scalar = [power.fleet_facility_power_w(g, 700, 1.82, 1.1, p) for g, p in zip(gpus, pue, strict=True)]
    assert_allclose(vector, scalar, rtol=1e-15)


def test_chain_broadcast():
    out = power.fleet_facility_power_w(np.array([1e3, 1e4])[:, None], np.array([400, 700, 1000]))
    assert out.shape == (2, 3)
    assert_allclose(out[1, 2], 1e7, rtol=1e-15)


def test_average_power_w_scalar():
    assert_allclose(power.average_power_w(1e9, 0.75), 7.5e8, rtol=1e-15)


def test_breakdown_w_sums_to_facility():
    acc, server, it, facility = 7e7, 7e7 * 1.82, 7e7 * 1.82 * 1.1, 7e7 * 1.82 * 1.1 * 1.2
    parts = power.breakdown_w(acc, server, it, facility)
    assert_allclose(sum(parts.values()), facility, rtol=1e-12)
    assert_allclose(parts["host"], 7e7 * 0.82, rtol=1e-12)


def test_load_swing_w_llama3():
    # Llama 3 paper: 24K-H100 cluster, swings "on the order of tens of megawatts";
    # with an assumed idle draw of 10% of 700 W the accelerators alone swing 15.5 MW.
    swing = power.load_swing_w(24_576, 700, 0.1)
    assert_allclose(swing, 24_576 * 700 * 0.9, rtol=1e-15)
    assert 1e7 <= swing < 1e8


@pytest.mark.parametrize("func, args, field", [
    (power.accelerator_power_w, (-5, 700), "gpus"),
    (power.accelerator_power_w, (5, 0), "gpu_watts"),
    (power.server_power_w, (1e6, 0.8), "server_overhead"),
    (power.it_power_w, (1e6, float("nan")), "network_overhead"),
    (power.facility_power_w, (1e6, 0.9), "pue"),
    (power.average_power_w, (1e6, 1.2), "utilization"),
    (power.load_swing_w, (1e3, 700, 1.5), "idle_fraction"),
])
def test_power_invalid(func, args, field):
    with pytest.raises(ValueError, match=field):
        func(*args)


def test_load_swing_llama3_16k_h100_reference():
    # Llama 3 paper (arXiv:2407.21783, section 3.3.4): a 16K-H100 job on a 24K cluster swings the data
    # centre's power "on the order of tens of megawatts". With the library's default assumptions
    # (power.SWING_ASSUMPTIONS: idle 0.15, host share 0.5, PSU 0.96 from 80 PLUS Titanium, distribution
    # 0.95, cooling share 0.5), DGX H100 server overhead 10.2 kW / 5.6 kW and PUE 1.1, by hand:
    a = power.SWING_ASSUMPTIONS
    idle, host_share, psu, dist, cool = (a[k].value for k in ("idle_fraction", "host_swing_share",
                                                              "psu_efficiency", "distribution_efficiency",
                                                              "cooling_step_share"))
    n, w, overhead, pue = 16_384, 700.0, DGX_H100_W / (8 * 700), 1.1
    acc = n * w * (1 - idle)                                    # 9.75 MW
    host = n * w * (overhead * psu - 1) * host_share            # 4.29 MW
    it = (acc + host) / psu                                     # 14.63 MW at the server inlets
    swing = it / dist                                           # 15.40 MW at the grid
    step = swing + it * cool * (pue - 1 / dist)                 # 15.74 MW for a job start or stop
    out = power.load_swing(n, w, idle, server_overhead=overhead, pue=pue)
    assert_allclose([out["accelerator_w"], out["host_w"], out["psu_loss_w"], out["distribution_loss_w"],
                     out["swing_w"], out["step_w"]],
                    [acc, host, it - acc - host, swing - it, swing, step], rtol=1e-12)
    assert_allclose(out["swing_w"], 15.396e6, rtol=1e-3)
    assert 10e6 <= out["swing_w"] <= out["step_w"] < 100e6  # "tens of megawatts"
    parts = sum(out[k] for k in power.SWING_PARTS)
    assert_allclose(parts, out["step_w"], rtol=1e-12)


def test_load_swing_parts_and_shares():
    out = power.load_swing(24_576, 700, 0.1, facility_power_w=40e6)
    # server_overhead and PUE 1.0: no host and no cooling part, only the accelerators and their losses
    assert out["host_w"] == 0 and out["cooling_step_w"] == 0
    assert_allclose(out["accelerator_w"], power.load_swing_w(24_576, 700, 0.1), rtol=1e-15)
    assert_allclose(out["swing_w"], out["accelerator_w"] / (0.96 * 0.95), rtol=1e-12)
    assert_allclose(out["share_of_facility"], out["swing_w"] / 40e6, rtol=1e-12)
    half = power.load_swing(24_576, 700, 0.1, job_share=0.5)
    assert_allclose(half["swing_w"], out["swing_w"] / 2, rtol=1e-12)
    lossless = power.load_swing(1000, 700, 0.2, psu_efficiency=1, distribution_efficiency=1)
    assert_allclose(lossless["swing_w"], 1000 * 700 * 0.8, rtol=1e-15)


def test_load_swing_array_equals_scalar():
    pue = np.array([1.0, 1.1, 1.5])
    vector = power.load_swing(16_384, 700, 0.15, server_overhead=1.82, pue=pue)["step_w"]
    scalar = [power.load_swing(16_384, 700, 0.15, server_overhead=1.82, pue=p)["step_w"] for p in pue]
    assert_allclose(vector, scalar, rtol=1e-15)


def test_swing_assumptions_are_labelled():
    for name, value in power.SWING_ASSUMPTIONS.items():
        assert 0 < value.value <= 1, name
        # a public figure (2° when read in a secondary source) or an assumption that says so
        assert value.confirmed or value.source.startswith("Assumption") or "2°" in value.source, name


@pytest.mark.parametrize("share", [0.0, 1.5, float("nan")])
def test_load_swing_invalid_share(share):
    with pytest.raises(ValueError, match="job_share"):
        power.load_swing(1000, 700, 0.1, job_share=share)


@pytest.mark.parametrize("name, value", [("host_swing_share", 1.5), ("psu_efficiency", 0.0),
                                         ("distribution_efficiency", 1.2), ("cooling_step_share", -0.1),
                                         ("server_overhead", 0.9), ("pue", 0.5)])
def test_load_swing_invalid_assumption(name, value):
    with pytest.raises(ValueError, match=name):
        power.load_swing(1000, 700, 0.1, **{name: value})


def test_grid_connection_w_headroom():
    # 1 GW at full load with 20 % headroom provisions 1.2 GW.
    assert_allclose(power.grid_connection_w(1e9, 0.2), 1.2e9, rtol=1e-15)
    assert_allclose(power.grid_connection_w(1e9, 0.0), 1e9, rtol=1e-15)


def test_grid_connection_w_invalid():
    with pytest.raises(ValueError, match="headroom"):
        power.grid_connection_w(1e9, -0.1)


def test_racks_and_rack_power_gb200_nvl72():
    # NVIDIA GB200 NVL72: 72 GPUs per rack; the catalogue's rack ratio 120,000 W ÷ (72 × 1,200 W).
    n = power.racks(72_000, 72)
    assert_allclose(n, 1000.0, rtol=1e-15)
    server = power.server_power_w(power.accelerator_power_w(72_000, 1200), 120_000 / (72 * 1200))
    assert_allclose(power.rack_power_w(server, 72_000, 72), 120_000.0, rtol=1e-12)
    assert_allclose(power.rack_power_w(server, 72_000, 72), server / n, rtol=1e-12)


def test_racks_array_equals_scalar():
    gpus = np.array([32.0, 3200.0, 100_000.0])
    assert_allclose(power.racks(gpus, 32), [power.racks(g, 32) for g in gpus], rtol=0)


def test_racks_invalid():
    with pytest.raises(ValueError, match="accelerators_per_rack"):
        power.racks(100, 0.5)
