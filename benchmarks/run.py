"""Run every benchmark, write benchmarks/RESULTS.md, and fail if a ratio is out of its limit.

Usage (from the project root)::

    python benchmarks/run.py                 # all of them, about five minutes on 2 cores
    python benchmarks/run.py --only import   # those whose name contains "import"
    python benchmarks/run.py --no-write      # print the table, leave RESULTS.md alone

Each benchmark measures a subject and a baseline in the same run, alternating
them, and compares the medians: a ratio is meaningful on any machine, an
absolute time only on this one. Exit status 1 if any ratio is out of its
limit or a benchmark could not run; a skipped benchmark does not fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The project itself first: the library as it is in this tree, whatever is installed.
sys.path[:0] = [str(HERE), str(ROOT)]

from timing import Measurement, seconds_text  # noqa: E402

BENCHMARKS = (
    "bench_estimate_vs_numpy",
    "bench_vector_vs_loop",
    "bench_monte_carlo",
    "bench_campus_timeline",
    "bench_import",
    "bench_dashboard_rerun",  # late: it imports streamlit into this process
    "bench_browser",  # Chromium against real servers, one row per dashboard page (skipped without Chromium)
)

RESULTS = HERE / "RESULTS.md"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import numpy

    try:
        from importlib.metadata import version

        streamlit = version("streamlit")
    except Exception:  # not installed: the dashboard benchmark is skipped anyway
        streamlit = "not installed"
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "Platform": platform.platform(),
        "CPU": f"{_cpu_model()}, {os.cpu_count()} logical CPUs ({affinity} usable)",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": numpy.__version__,
        "streamlit": streamlit,
    }


def run_one(module_name: str) -> tuple[list[Measurement], float]:
    """A benchmark's rows: ``measure()`` returns one Measurement, or a list of them (one per case)."""
    start = time.perf_counter()
    try:
        result = importlib.import_module(module_name).measure()
    except Exception as error:  # report it in the table and fail the run, but run the others
        traceback.print_exc()
        result = Measurement(title=module_name, subject="", baseline="", limit=float("nan"),
                             error=f"{type(error).__name__}: {error}")
    return (result if isinstance(result, list) else [result]), time.perf_counter() - start


def table(results: list[Measurement]) -> str:
    rows = ["| benchmark | measured (median) | baseline (median) | ratio | limit | result |",
            "|---|---|---|---|---|---|"]
    for m in results:
        ratio = "–" if m.ratio is None else f"{m.ratio:.3g}×"
        measured = f"{seconds_text(m.subject_s)} — {m.subject}" if m.subject else seconds_text(m.subject_s)
        baseline = f"{seconds_text(m.baseline_s)} — {m.baseline}" if m.baseline else seconds_text(m.baseline_s)
        rows.append(f"| {m.title} | {measured} | {baseline} | {ratio} | {m.limit_text} | {m.status} |")
    return "\n".join(rows)


def report(results: list[Measurement], info: dict[str, str], elapsed: float) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py` (also `make bench`) on {stamp}, in {elapsed:.0f} s.",
        "Each ratio compares two medians measured in the same run, subject and baseline alternating;",
        "absolute times hold only for this machine.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "## Results",
        "",
        table(results),
        "",
        "## Notes",
        "",
        *(f"- {m.title}: {m.note}" for m in results if m.note),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the benchmarks whose module name contains this text")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHMARKS if args.only is None or args.only in b]
    if not chosen:
        parser.error(f"no benchmark matches {args.only!r} (names: {', '.join(BENCHMARKS)})")
    start = time.perf_counter()
    results = []
    for name in chosen:
        print(f"{name} ...", end=" ", flush=True)
        rows, seconds = run_one(name)
        for result in rows:
            ratio = "" if result.ratio is None else f"ratio {result.ratio:.3g}× ({result.limit_text}), "
            label = f"\n  {result.title}: " if len(rows) > 1 else ""
            print(f"{label}{ratio}{result.status}", end="", flush=True)
        print(f" [{seconds:.0f} s]", flush=True)
        results.extend(rows)
    text = report(results, machine(), time.perf_counter() - start)
    print()
    print(table(results))
    if not args.no_write:
        from estimator.io import write_text_atomic

        write_text_atomic(RESULTS, text)
        print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0 if all(m.passed for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
