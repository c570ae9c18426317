"""Tests for estimator.sweep: grids with labelled axes, and chunked summaries of huge grids."""

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from estimator import Scenario, estimate, gpus_for_power, power, sweep

ROOT = Path(__file__).resolve().parents[1]

# DESIGN.md's worked example (DGX H100 ratio 1.82, network 1.10) without PUE, which is swept.
BASE = {"gpu_watts": 700, "server_overhead": 1.82, "network_overhead": 1.10, "hours": 8760, "utilization": 0.8}
AXES = {"gpus": np.linspace(1e4, 1e6, 7), "pue": [1.05, 1.1, 1.2, 1.4, 1.6],
        "server_overhead": [1.5, 1.82, 2.0], "mfu": [0.3, 0.4]}


def test_grid_axes_and_shape():
    s = sweep.grid(BASE, AXES)
    assert s.dims == ("gpus", "pue", "server_overhead", "mfu")
    assert s.values.shape == (7, 5, 3, 2)
    assert s.output == "facility_power_w"
    for name, values in AXES.items():
        assert_array_equal(s.axes[name], values)
        assert s.axes[name].dtype == np.float64


def test_grid_equals_direct_estimate():
    s = sweep.grid(BASE, AXES, output="energy_wh")
    for index in [(0, 0, 0, 0), (6, 4, 2, 1), (3, 2, 1, 0), (1, 3, 0, 1)]:
        point = {**BASE, **s.point(index)}
        expected = estimate(Scenario(**point)).energy_wh
        assert_allclose(s.values[index], expected, rtol=1e-15)


def test_grid_gpus_per_gigawatt():
    s = sweep.grid({**BASE, "gpus": 1}, {"pue": [1.1, 1.2], "gpu_watts": [700, 1000]},
                   output="gpus_per_gigawatt")
    expected = gpus_for_power(1e9, np.array([[700, 1000]]), 1.82, 1.10, np.array([[1.1], [1.2]]))
    assert_allclose(s.values, expected, rtol=1e-15)
    # DESIGN.md: 1 GW holds about 595,000 H100 at PUE 1.2 (1e9 / 1681.68 W = 594,643)
    assert int(s.values[1, 0]) == 594_643


@pytest.mark.parametrize("chunk_size", [1, 2, 7, 11, 35, 100, 10_000])
def test_grid_chunked_equals_whole(chunk_size):
    whole = sweep.grid(BASE, AXES)
    assert_array_equal(sweep.grid(BASE, AXES, chunk_size=chunk_size).values, whole.values)


def test_grid_base_scenario():
    base = Scenario(gpus=1000, gpu_watts=700, pue=1.3)
    s = sweep.grid(base, {"gpu_watts": [500, 700]})
    assert_allclose(s.values, [1000 * 500 * 1.3, 1000 * 700 * 1.3], rtol=1e-15)


def test_iter_chunks_cover_grid_in_order():
    whole = sweep.grid(BASE, AXES).values.reshape(-1)
    pieces = list(sweep.iter_chunks(BASE, AXES, chunk_size=16))
    assert pieces[0][0] == 0 and pieces[-1][1] == whole.size
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert all(stop - start <= 16 for start, stop, _ in pieces)
    assert_array_equal(np.concatenate([values for _, _, values in pieces]), whole)


@pytest.mark.parametrize("axes, match", [
    ({"pue": [1.1, 1.2, 0.9]}, r"pue\[2\] must be >= 1 \(got 0.9\)"),
    ({"pue": [[1.1, 1.2]]}, r"axis pue must be one-dimensional \(got shape \(1, 2\)\)"),
    ({"pue": []}, r"pue must not be empty"),
    ({"peu": [1.1]}, r"unknown axis 'peu' \(did you mean 'pue'\?"),
    ({}, r"axes must be a non-empty mapping"),
])
def test_grid_invalid_axes(axes, match):
    with pytest.raises(ValueError, match=match):
        sweep.grid({"gpus": 1000, "gpu_watts": 700}, axes)


def test_grid_invalid_base_and_output():
    with pytest.raises(ValueError, match="gpus is required: give it in base or as an axis"):
        sweep.grid({"gpu_watts": 700}, {"pue": [1.1]})
    with pytest.raises(ValueError, match=r"gpus in base must be a single value"):
        sweep.grid(Scenario(gpus=[1, 2], gpu_watts=700), {"pue": [1.1]})
    with pytest.raises(ValueError, match=r"unknown output 'power'"):
        sweep.grid({"gpus": 1, "gpu_watts": 700}, {"pue": [1.1]}, output="power")
    with pytest.raises(ValueError, match="output cost needs"):
        sweep.grid({"gpus": 1, "gpu_watts": 700}, {"pue": [1.1]}, output="cost")
    with pytest.raises(ValueError, match=r"gpu_watts must be > 0"):
        sweep.grid({"gpus": 1, "gpu_watts": -700}, {"pue": [1.1]})


def test_grid_too_big_for_memory():
    axes = {"gpus": np.arange(1, 10_001.0), "pue": np.linspace(1, 2, 10_000)}
    with pytest.raises(ValueError, match=r"100,000,000 points, more than max_points.*use summarize_grid"):
        sweep.grid({"gpu_watts": 700}, axes)


@pytest.mark.parametrize("chunk_size", [5, 64, 1 << 20])
def test_summarize_equals_unchunked(chunk_size):
    whole = sweep.grid(BASE, AXES, output="facility_power_w").values
    s = sweep.summarize_grid(BASE, AXES, thresholds=[1e9, 2e9], chunk_size=chunk_size,
                             percentiles=(0, 5, 50, 95, 100))
    assert s.count == whole.size
    assert (s.min, s.max) == (whole.min(), whole.max())
    assert_allclose([s.mean, s.std], [whole.mean(), whole.std()], rtol=1e-12)
    assert s.argmax == {"gpus": 1e6, "pue": 1.6, "server_overhead": 2.0, "mfu": 0.3}
    assert s.argmin == {"gpus": 1e4, "pue": 1.05, "server_overhead": 1.5, "mfu": 0.3}
    assert s.count_above == {1e9: int((whole > 1e9).sum()), 2e9: int((whole > 2e9).sum())}
    assert_allclose(s.fraction_above(1e9), (whole > 1e9).mean(), rtol=1e-15)
    for p, value in s.percentiles.items():
        # within half a histogram bin of numpy's "lower" order statistic
        assert_allclose(value, np.percentile(whole, p, method="lower"), rtol=s.resolution / 2 + 1e-12)


def test_summarize_chunk_size_does_not_change_result():
    a = sweep.summarize_grid(BASE, AXES, thresholds=[1e9], chunk_size=3)
    b = sweep.summarize_grid(BASE, AXES, thresholds=[1e9], chunk_size=1000)
    assert (a.count, a.min, a.max, a.count_above, a.percentiles) == (b.count, b.min, b.max, b.count_above,
                                                                      b.percentiles)


def test_summarize_counts_zeros_below_every_bin():
    # server_overhead 1 leaves no host layer: host_power_w is exactly 0 there.
    s = sweep.summarize_grid({"gpus": 1000, "gpu_watts": 700}, {"server_overhead": [1.0, 1.0, 1.5, 2.0]},
                             output="host_power_w", percentiles=(25, 50, 100))
    assert s.min == 0.0 and s.percentiles[25] == 0.0
    assert_allclose(s.percentiles[100], 1000 * 700 * 1.0, rtol=s.resolution)


def test_summarize_without_percentiles():
    s = sweep.summarize_grid({**BASE, "gpus": 1}, {"pue": [1.1, 1.2]}, percentiles=())
    assert s.percentiles == {} and s.count == 2


MEMORY_PROBE = """
import json, resource, sys, time
import numpy as np
from estimator import sweep
axes = {"gpus": np.linspace(1e4, 2e6, 100), "gpu_watts": np.linspace(300, 1500, 100),
        "pue": np.linspace(1.0, 1.6, 100), "server_overhead": np.linspace(1.0, 2.2, 100)}
base = {"network_overhead": 1.1}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
s = sweep.summarize_grid(base, axes, thresholds=[1e9])
print(json.dumps({"count": s.count, "above": s.count_above[1e9], "max": s.max,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before,
                  "seconds": time.perf_counter() - start}))
"""


def test_summarize_1e8_points_stays_under_1_gib():
    # A fresh interpreter, so that the peak resident size belongs to this grid alone.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True, check=True,
                         cwd=ROOT, env=env, timeout=300)
    result = json.loads(out.stdout)
    assert result["count"] == 10**8
    assert result["peak_kib"] * 1024 < 2**30, result
    assert_allclose(result["max"], 2e6 * 1500 * 1.6 * 2.2 * 1.1, rtol=1e-14)
    assert 0 < result["above"] < 10**8


# --------------------------------------------------------------------------- the dashboard's sweeps

H100_SERVER = 10_200 / (8 * 700)  # NVIDIA DGX H100 user guide: 10.2 kW for 8 × 700 W


def test_power_vs_fleet_shape_and_values():
    w = sweep.power_vs_fleet([1e3, 1e5], [1.1, 1.2, 1.5], 700, 1.82, 1.1)
    assert w.shape == (3, 2)
    assert_allclose(w[1, 1], power.fleet_facility_power_w(1e5, 700, 1.82, 1.1, 1.2), rtol=1e-12)


def test_grid_matches_estimate():
    s = Scenario(gpus=1e5, gpu_watts=700, server_overhead=1.82, network_overhead=1.1, pue=1.2)
    z = sweep.grid_2d(s, "gpus", [1e4, 1e5, 1e6], "pue", [1.0, 1.5], "facility_power_w")
    assert z.shape == (2, 3)
    assert_allclose(z[1, 2], estimate(s.replace(gpus=1e6, pue=1.5)).facility_power_w, rtol=1e-12)


@pytest.mark.parametrize(("x", "y", "output", "match"), [
    ("pue", "pue", "facility_power_w", "two different"),
    ("pues", "gpus", "facility_power_w", "unknown assumption"),
    ("gpus", "pue", "power", "unknown output"),
    ("gpus", "pue", "energy_wh", "needs"),
])
def test_grid_invalid(x, y, output, match):
    s = Scenario(gpus=1e5, gpu_watts=700)
    with pytest.raises(ValueError, match=match):
        sweep.grid_2d(s, x, [1.0, 2.0], y, [1.0, 2.0], output)


def test_grid_out_of_range_value_names_field():
    s = Scenario(gpus=1e5, gpu_watts=700)
    with pytest.raises(ValueError, match=r"pue\[0, 0\] must be >= 1"):
        sweep.grid_2d(s, "gpus", [1.0, 2.0], "pue", [0.5, 2.0])


def test_level_crossing_linear():
    x, y = sweep.level_crossing([1, 2], [0, 1, 2], [[0, 0], [1, 2], [2, 4]], 1.5)
    assert_allclose(x, [1, 2])
    assert_allclose(y, [1.5, 0.75])


def test_level_crossing_no_crossing_is_empty():
    x, y = sweep.level_crossing([1, 2], [0, 1], [[0, 0], [1, 1]], 5.0)
    assert x.size == 0 and y.size == 0


def test_level_crossing_shape_invalid():
    with pytest.raises(ValueError, match="shape"):
        sweep.level_crossing([1, 2], [1, 2, 3], np.ones((2, 3)), 1.0)


def test_contour_points_lie_on_the_level():
    # Facility power of a fleet over gpus × PUE; the 1 GW contour is gpus × PUE = 1e9 / (700 × 1.82 × 1.1).
    gpus = np.geomspace(1e5, 2e6, 40)
    pue = np.linspace(1.0, 1.6, 40)
    s = Scenario(gpus=1e5, gpu_watts=700, server_overhead=1.82, network_overhead=1.1)
    z = sweep.grid_2d(s, "gpus", gpus, "pue", pue)
    x, y = sweep.contour(gpus, pue, z, 1e9)
    assert x.size > 40  # crossings along both axes
    assert np.all(np.diff(x) >= 0)
    assert_allclose(x * y, 1e9 / (700 * 1.82 * 1.1), rtol=0.02)
    assert not np.isnan(x).any() and not np.isnan(y).any()


def test_reference_points_bases():
    ref = sweep.reference_points("nameplate", pue=1.3)
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


def test_log_range():
    v = sweep.log_range(1e3, 1e6, 4)
    assert_allclose(v, [1e3, 1e4, 1e5, 1e6])
    with pytest.raises(ValueError, match="high must be > low"):
        sweep.log_range(10, 1)
    with pytest.raises(ValueError, match="n must be"):
        sweep.log_range(1, 10, 1)
