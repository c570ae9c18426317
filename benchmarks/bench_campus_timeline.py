"""timeline() of a 1,000-block campus over 120 months vs the same layers as bare numpy.

The campus (1,000 Scenario blocks, each with its own accelerator power,
overheads, prices, money and online date) is built once, outside the timing.
The subject runs ``estimator.timeline`` and reads every field's total over
the blocks; the baseline computes the same per-block layers (each block's
hourly rates from the power chain, times its online flag or its hours online
in each period) with plain numpy on the same stacked arrays, and sums them.
Limit: at most 3×. The per-block work (stacking the blocks' inputs and
estimating them) is done once per campus, on its first timeline, and kept;
its time is reported in the note.
"""

from __future__ import annotations

import time

import numpy as np
from timing import Measurement, interleaved_medians, seconds_text

import estimator
from estimator import campus

BLOCKS = 1000
START, END = "2025-01-01", "2034-12-31"  # 120 months
REPEATS = 7

SHARED = dict(electricity_price=0.08, carbon_intensity=0.4, wue=0.3, peak_flop_per_s=989.4e12, mfu=0.4,
              accelerator_cost=40_000.0, facility_cost_per_w=12.0, hardware_life_years=5.0,
              facility_life_years=20.0)


def blocks(n: int = BLOCKS, seed: int = 0) -> tuple[estimator.Campus, dict[str, np.ndarray]]:
    """A campus of n blocks around DESIGN.md's worked example, and its inputs stacked as arrays."""
    rng = np.random.default_rng(seed)
    inputs = dict(gpus=rng.integers(1_000, 100_000, n).astype(float), gpu_watts=rng.uniform(300, 1200, n),
                  server_overhead=rng.uniform(1.0, 2.1, n), network_overhead=rng.uniform(1.0, 1.2, n),
                  pue=rng.uniform(1.05, 1.6, n), utilization=rng.uniform(0.3, 1.0, n))
    online = np.datetime64("2024-06-01") + rng.integers(0, 3650, n).astype("timedelta64[D]")
    scenarios = [estimator.Scenario(**{k: float(v[i]) for k, v in inputs.items()}, **SHARED) for i in range(n)]
    return campus.Campus(scenarios, online=list(online)), {**inputs, "online": online}


def library(c: estimator.Campus) -> dict[str, np.ndarray]:
    t = estimator.timeline(c, START, END, "month")
    totals = {name: getattr(t, name) for name in t.field_names()}
    return {name: v for name, v in totals.items() if v is not None}


def bare_numpy(x: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same layers written out: rates per hour (the chain at hours = 1) times each period's weight."""
    starts, ends = campus.period_starts(START, END, "month")
    first, after = starts.astype(np.int64)[None, :], ends.astype(np.int64)[None, :]
    on = x["online"].astype(np.int64).astype(float)[:, None]
    off = on + np.floor(SHARED["hardware_life_years"] * 365.0)
    online = ((on <= first) & (first < off)).astype(float)
    hours = np.clip(np.minimum(after, off) - np.maximum(first, on), 0.0, None) * 24.0
    s = SHARED
    gpus = x["gpus"]
    acc = gpus * x["gpu_watts"]
    server = acc * x["server_overhead"]
    it = server * x["network_overhead"]
    facility = it * x["pue"]
    average_it, average_facility = it * x["utilization"], facility * x["utilization"]
    energy, it_energy = average_facility, average_it  # one hour
    peak = gpus * s["peak_flop_per_s"]
    sustained = peak * s["mfu"]
    hardware, building = gpus * s["accelerator_cost"], it * s["facility_cost_per_w"]
    amortized = hardware / (8760 * s["hardware_life_years"]) + building / (8760 * s["facility_life_years"])
    cost = energy / 1000 * s["electricity_price"]
    instant = dict(gpus=gpus, h100_equivalents=gpus * s["peak_flop_per_s"] / campus.H100_BF16_PEAK_FLOP_PER_S,
                   accelerator_power_w=acc, server_power_w=server, it_power_w=it, facility_power_w=facility,
                   average_it_power_w=average_it, average_facility_power_w=average_facility,
                   host_power_w=server - acc, network_storage_power_w=it - server,
                   cooling_conversion_power_w=facility - it, peak_cluster_flop_per_s=peak,
                   sustained_flop_per_s=sustained, hardware_capex=hardware, facility_capex=building,
                   capex=hardware + building)
    period = dict(energy_wh=energy, it_energy_wh=it_energy, cost=cost,
                  emissions_kg=energy / 1000 * s["carbon_intensity"], water_l=it_energy / 1000 * s["wue"],
                  flop_in_period=sustained * 3600, amortized_capex=amortized, total_cost=amortized + cost)
    # Σ_b rate_b × weight[b, i] for every period i: one matrix-vector product per field.
    out = {k: v @ online for k, v in instant.items()}
    out.update({k: v @ hours for k, v in period.items()})
    return out


def measure(repeats: int = REPEATS) -> Measurement:
    c, stacked = blocks()
    # Same layers: every field of the baseline is the timeline's.
    ours, theirs = library(c), bare_numpy(stacked)
    assert set(theirs) <= set(ours), sorted(set(theirs) - set(ours))
    for name, values in theirs.items():
        np.testing.assert_allclose(ours[name], values, rtol=1e-9, err_msg=name)
    # The first timeline of a campus also stacks its blocks (Campus.block_rates, kept): timed apart, on a
    # campus built afresh, and reported in the note; the ratio is for every later timeline.
    fresh, _ = blocks()
    tic = time.perf_counter()
    library(fresh)
    first_s = time.perf_counter() - tic
    subject_s, baseline_s = interleaved_medians(lambda: library(c), lambda: bare_numpy(stacked), repeats)
    return Measurement(
        title=f"timeline() of a {BLOCKS:,}-block campus over 120 months vs bare numpy",
        subject=f"estimator.timeline(campus, month) + every field's total ({len(ours)} fields)",
        baseline=f"the same {len(theirs)} layers from the stacked arrays in numpy", limit=3.0,
        subject_s=subject_s, baseline_s=baseline_s,
        note=f"{BLOCKS:,} scalar blocks built once, outside the timing; median of {repeats} interleaved runs. "
             f"A campus's first timeline also stacks its blocks' inputs and estimates them (kept on the "
             f"campus): {seconds_text(first_s)} for the first call",
    )


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
