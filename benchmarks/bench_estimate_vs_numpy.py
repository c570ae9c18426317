"""estimate() over 10^7 scenarios vs the same chain as bare numpy expressions.

The subject builds a Scenario from the arrays (validation included) and runs
estimate(); the baseline computes the same eighteen outputs with plain numpy
arithmetic on the same arrays, nothing checked. Limit: at most 2×.
"""

from __future__ import annotations

import numpy as np
from timing import Measurement, interleaved_medians

import estimator

N = 10**7
REPEATS = 3

SCALARS = dict(hours=8760.0, electricity_price=0.08, carbon_intensity=0.4, wue=0.3, peak_flop_per_s=989e12,
               mfu=0.4)


def arrays(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """The chain's six assumptions as arrays around DESIGN.md's worked example."""
    rng = np.random.default_rng(seed)
    return dict(gpus=rng.uniform(1e3, 1e6, n), gpu_watts=rng.uniform(300, 1200, n),
                server_overhead=rng.uniform(1.0, 2.1, n), network_overhead=rng.uniform(1.0, 1.2, n),
                pue=rng.uniform(1.05, 1.6, n), utilization=rng.uniform(0.3, 1.0, n))


def library(inputs: dict[str, np.ndarray]) -> estimator.Estimate:
    return estimator.estimate(estimator.Scenario(**inputs, **SCALARS))


def bare_numpy(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The chain of docs/methodology.md, written out; same operations, same order."""
    gpus, s = inputs["gpus"], SCALARS
    acc = gpus * inputs["gpu_watts"]
    server = acc * inputs["server_overhead"]
    it = server * inputs["network_overhead"]
    facility = it * inputs["pue"]
    average_it = it * inputs["utilization"]
    average_facility = facility * inputs["utilization"]
    energy = average_facility * s["hours"]
    it_energy = average_it * s["hours"]
    peak = gpus * s["peak_flop_per_s"]
    sustained = peak * s["mfu"]
    return dict(
        accelerator_power_w=acc, server_power_w=server, it_power_w=it, facility_power_w=facility,
        average_it_power_w=average_it, average_facility_power_w=average_facility,
        watts_per_gpu=facility / gpus, host_power_w=server - acc, network_storage_power_w=it - server,
        cooling_conversion_power_w=facility - it, energy_wh=energy, it_energy_wh=it_energy,
        cost=energy / 1000 * s["electricity_price"], emissions_kg=energy / 1000 * s["carbon_intensity"],
        water_l=it_energy / 1000 * s["wue"], peak_cluster_flop_per_s=peak, sustained_flop_per_s=sustained,
        flop_in_period=sustained * s["hours"] * 3600,
    )


def measure(n: int = N, repeats: int = REPEATS) -> Measurement:
    inputs = arrays(n)
    # Same chain: every output of estimate() is reproduced by the baseline.
    ours, theirs = library(inputs), bare_numpy(inputs)
    for name, values in theirs.items():
        np.testing.assert_allclose(getattr(ours, name)[:1000], values[:1000], rtol=1e-15, err_msg=name)
    del ours, theirs
    subject_s, baseline_s = interleaved_medians(lambda: library(inputs), lambda: bare_numpy(inputs), repeats)
    return Measurement(
        title=f"estimate() on 10^{round(np.log10(n))} scenarios vs bare numpy",
        subject="Scenario(...) + estimate(), validation included",
        baseline="the same 18 outputs as numpy expressions", limit=2.0,
        subject_s=subject_s, baseline_s=baseline_s,
        note=f"6 array inputs of {n:,} float64, 6 scalars; median of {repeats} interleaved runs",
    )


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
