"""estimate() on arrays vs a Python loop over scalar scenarios, per scenario.

Both include building and validating the Scenario. Limit: the arrays are at
least 100× faster per scenario.
"""

from __future__ import annotations

import numpy as np
from bench_estimate_vs_numpy import SCALARS, arrays
from timing import Measurement, interleaved_medians

import estimator

N_VECTOR = 10**6
N_LOOP = 2_000
REPEATS = 5


def vectorized(inputs: dict[str, np.ndarray]) -> None:
    estimator.estimate(estimator.Scenario(**inputs, **SCALARS))


def loop(inputs: dict[str, np.ndarray], n: int) -> None:
    columns = {k: v[:n].tolist() for k, v in inputs.items()}
    for i in range(n):
        estimator.estimate(estimator.Scenario(**{k: v[i] for k, v in columns.items()}, **SCALARS))


def measure(n_vector: int = N_VECTOR, n_loop: int = N_LOOP, repeats: int = REPEATS) -> Measurement:
    inputs = arrays(n_vector, seed=1)
    vector_s, loop_s = interleaved_medians(lambda: vectorized(inputs), lambda: loop(inputs, n_loop), repeats)
    return Measurement(
        title="estimate() on arrays vs a Python loop, per scenario",
        subject=f"one call on {n_vector:,} scenarios", baseline=f"{n_loop:,} scalar calls",
        limit=100.0, at_least=True, subject_s=vector_s / n_vector, baseline_s=loop_s / n_loop,
        note=f"times are per scenario; the ratio is the speed-up; median of {repeats} interleaved runs",
    )


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
