"""Monte Carlo with 10^6 samples, percentiles included, vs drawing the samples alone.

The subject is uncertainty.monte_carlo() with its defaults (every output the
assumptions allow, P5/P50/P95); the baseline is uncertainty.draw() on the same
ranges and seed: the same samples, without the model or the percentiles.
Limit: at most 3×.
"""

from __future__ import annotations

from collections import Counter

from timing import Measurement, interleaved_medians

from estimator import distributions, uncertainty

N = 10**6
REPEATS = 7

#: An H100 fleet with every assumption a range (shared/reference/public-figures.md).
SPECS: dict[str, object] = {
    "gpus": 100_000,
    "gpu_watts": "600/700/750",           # measured draw below the 700 W TDP, up to a margin above
    "server_overhead": "1.53/1.82/1.9",   # Epoch AI data insight 1.53; DGX H100 rating 1.82
    "network_overhead": "1.0/1.10/1.14",  # included in the server ratio; SemiAnalysis 1.10; Epoch 1.14
    "pue": {"distribution": "lognormal", "median": 1.2, "p95": 1.4},  # hyperscale 1.1 to Epoch's 1.4
    "utilization": "0.6/0.75/0.9",        # Epoch AI's 0.75 for GPUs
    "hours": 8760,
    "electricity_price": "0.0667..0.0832",  # US industrial price 2020–2025 [$/kWh]
    "carbon_intensity": "0.2/0.4/0.5",    # Llama 3.1 model card implies about 0.41 kg/kWh
    "wue": "0.1/0.26/0.5",                # Meta's new buildings about 0.26 L/kWh
    "peak_flop_per_s": 989e12,
    "mfu": "0.3/0.4/0.43",                # Llama 3 405B: 38–43% BF16 MFU
}


def measure(n: int = N, repeats: int = REPEATS) -> Measurement:
    outputs = len(uncertainty.monte_carlo(SPECS, n=10).samples)
    kinds = Counter(type(distributions.spec_from_value(k, v)).__name__ for k, v in SPECS.items())
    ranges = sum(kinds.values()) - kinds.pop("Fixed", 0)
    subject_s, baseline_s = interleaved_medians(lambda: uncertainty.monte_carlo(SPECS, n=n, seed=0),
                                                lambda: uncertainty.draw(SPECS, n=n, seed=0), repeats)
    return Measurement(
        title=f"Monte Carlo, 10^{len(str(n)) - 1} samples, percentiles included, vs drawing alone",
        subject=f"monte_carlo(): {ranges} ranges → {outputs} outputs × P5/P50/P95",
        baseline="draw(): the same samples", limit=3.0, subject_s=subject_s, baseline_s=baseline_s,
        note=(f"{ranges} ranges ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}) on an H100 fleet; "
              f"median of {repeats} interleaved runs"),
    )


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
