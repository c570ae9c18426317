"""What every benchmark shares: interleaved medians and the result record.

Each benchmark times a subject and its baseline in the same run, alternating
them so that drift in the machine's speed (other processes, turbo, caches)
falls on both, and reports the ratio of the medians.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Measurement:
    """One benchmark's outcome.

    ``ratio`` is ``subject_s / baseline_s``, or its inverse (a speed-up) when
    ``at_least`` is set; the limit bounds it from above, or from below with
    ``at_least``.
    """

    title: str
    subject: str
    baseline: str
    limit: float
    at_least: bool = False
    subject_s: float | None = None
    baseline_s: float | None = None
    skipped: str | None = None
    error: str | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.subject_s is None or self.baseline_s is None:
            return None
        if self.at_least:
            return self.baseline_s / self.subject_s
        return self.subject_s / self.baseline_s

    @property
    def passed(self) -> bool:
        """A skip passes; an error or a ratio out of its limit fails."""
        if self.error is not None:
            return False
        if self.skipped is not None:
            return True
        ratio = self.ratio
        return ratio is not None and (ratio >= self.limit if self.at_least else ratio <= self.limit)

    @property
    def status(self) -> str:
        if self.error is not None:
            return f"FAIL (error: {self.error})"
        if self.skipped is not None:
            return f"skipped ({self.skipped})"
        return "pass" if self.passed else "FAIL"

    @property
    def limit_text(self) -> str:
        return f"≥ {self.limit:g}×" if self.at_least else f"≤ {self.limit:g}×"


def interleaved_medians(subject: Callable[[], object], baseline: Callable[[], object], repeats: int,
                        warmup: int = 1) -> tuple[float, float]:
    """Median wall time [s] of ``subject`` and of ``baseline``, run alternately.

    The order flips every round so neither always runs on a cache warmed by
    the other.
    """
    for _ in range(warmup):
        subject()
        baseline()
    times: dict[int, list[float]] = {0: [], 1: []}
    functions = (subject, baseline)
    for round_ in range(repeats):
        for which in ((0, 1) if round_ % 2 == 0 else (1, 0)):
            start = time.perf_counter()
            functions[which]()
            times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def seconds_text(seconds: float | None) -> str:
    """A duration for the results table: "12.3 ms", "1.24 s", "85.2 µs"."""
    if seconds is None:
        return "–"
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.3g} µs"
    return f"{seconds * 1e9:.3g} ns"
