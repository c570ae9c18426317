"""`import estimator` vs `import numpy`, each in a fresh interpreter.

Both run with the same environment and a warm bytecode cache (kept in a
temporary directory, so the project tree gets no __pycache__). The times
include the interpreter's own start-up. Limit: at most 1.3×.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import Measurement, interleaved_medians

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 15


def measure(repeats: int = REPEATS) -> Measurement:
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=cache, PYTHONPATH=str(ROOT))

        def run(module: str) -> None:
            subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, env=env, check=True)

        subject_s, baseline_s = interleaved_medians(lambda: run("estimator"), lambda: run("numpy"), repeats,
                                                    warmup=2)
    return Measurement(
        title="import estimator vs import numpy, fresh interpreter",
        subject="python -c 'import estimator'", baseline="python -c 'import numpy'", limit=1.3,
        subject_s=subject_s, baseline_s=baseline_s,
        note=f"interpreter start-up included; warm bytecode cache; median of {repeats} interleaved runs",
    )


if __name__ == "__main__":
    m = measure()
    print(m.title, m.subject_s, m.baseline_s, m.ratio, m.status)
