"""Run a notebook top to bottom in a fresh kernel and fail on the first error (``make notebook``).

Usage: python examples/run_notebook.py examples/estimator.ipynb [--timeout SECONDS]
       python examples/run_notebook.py examples/estimator.ipynb --markdown docs/notebook.md

The notebook is executed in memory, from the directory it lives in; the file is left as it is
(the committed notebook has no outputs). Each cell's time and the total are printed.
``--markdown FILE`` instead writes the notebook's cells as a Markdown page for the docs site
(``make docs-notebook``; tests/test_packaging.py checks that the committed page is current).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def run(path: Path, timeout: int = 300) -> Any:
    """Execute the notebook at ``path`` in a fresh python3 kernel; the executed notebook."""
    import nbformat  # the docs extra; markdown() needs neither
    from nbclient import NotebookClient
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            started = time.perf_counter()
            client.execute_cell(cell, index)
            print(f"  cell {index:2d}: {time.perf_counter() - started:6.2f} s")
    return notebook


def markdown(path: Path) -> str:
    """The notebook's cells as Markdown: its text cells as they are, its code cells as python blocks."""
    notebook = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: no Jupyter package needed
    parts = [
        "<!-- Generated from examples/estimator.ipynb by `make docs-notebook`; do not edit by hand. -->",
        f"<!-- The notebook: {path.name}, run in CI by `make notebook`; its outputs are not committed. -->",
    ]
    for cell in notebook["cells"]:
        source = "".join(cell["source"]).strip("\n")
        parts.append(source if cell["cell_type"] == "markdown" else f"```python\n{source}\n```")
    parts.append("To run it yourself: `make notebook` (a fresh kernel, top to bottom), or open "
                 "`examples/estimator.ipynb` in Jupyter with the library installed "
                 "(`pip install -e \".[frame]\"` for the DataFrames).")
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default: 300)")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="write the cells as Markdown to FILE")
    args = parser.parse_args(argv)
    if args.markdown is not None:
        args.markdown.write_text(markdown(args.notebook))
        return 0
    started = time.perf_counter()
    from nbclient.exceptions import CellExecutionError

    try:
        notebook = run(args.notebook, args.timeout)
    except CellExecutionError as exc:
        print(f"{args.notebook}: {exc}", file=sys.stderr)
        return 1
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    if errors:
        print(f"{args.notebook}: {len(errors)} cells raised", file=sys.stderr)
        return 1
    print(f"{args.notebook}: ran in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
