"""Vega-Lite chart specs written as plain dicts, for :func:`app_pages.common.chart`.

Why not Altair: building and validating an Altair chart (``to_dict`` runs a
jsonschema validation of the whole spec) cost about half of every dashboard
rerun, for specs that are fixed in the code. A dict goes straight to
``st.vega_lite_chart``; the chart looks the same.

Data travels as named datasets holding ``pyarrow`` tables: Streamlit sends each
as Arrow bytes, as it does for Altair charts, and converting a pyarrow table
costs about a tenth of converting a pandas frame.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

#: Calm colours for the layers of the power chain (accelerators, host, network and storage, cooling),
#: dark to light: blues, a teal and a grey, so that no layer reads as a warning. Shared by every
#: "by layer" chart so a layer keeps its colour from page to page.
LAYER_PALETTE = ["#1f4e79", "#3a7ca5", "#6aa9a4", "#a9b8c2"]
#: The parts of a load swing, accelerators first; the last (cooling, a held step only) pale.
SWING_PALETTE = [*LAYER_PALETTE, "#d5dde2"]


def table(columns: Mapping[str, Sequence[Any] | np.ndarray]) -> pa.Table:
    """A chart dataset: column name → values (numbers as float64, text as str); a pandas frame works too."""
    return pa.table({k: (np.asarray(v, dtype=float) if _numeric(v) else [str(x) for x in v])
                     for k, v in columns.items()})


def _numeric(values: Sequence[Any] | np.ndarray) -> bool:
    dtype = getattr(values, "dtype", None)  # numpy arrays and pandas columns
    if dtype is not None and dtype.kind != "O":
        return dtype.kind in "fiu"
    return all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in values)


def field(name: str, kind: str = "quantitative", **options: Any) -> dict[str, Any]:
    """An encoding channel on a data field; ``kind`` is a Vega-Lite type name."""
    return {"field": name, "type": kind, **options}


def nominal(name: str, **options: Any) -> dict[str, Any]:
    """An encoding channel on a text field."""
    return field(name, "nominal", **options)


def tooltip(name: str, title: str | None = None, kind: str = "nominal", **options: Any) -> dict[str, Any]:
    """One tooltip entry."""
    out = field(name, kind, **options)
    if title is not None:
        out["title"] = title
    return out


def equals(name: str, value: str) -> str:
    """A Vega expression testing a text field, with the value quoted safely."""
    return f"datum[{json.dumps(name)}] === {json.dumps(value)}"


def when(test: str, then: Any, otherwise: Any) -> dict[str, Any]:
    """A conditional value channel: ``then`` where ``test`` holds, else ``otherwise``."""
    return {"condition": {"test": test, "value": then}, "value": otherwise}


def chart(datasets: Mapping[str, pa.Table], **spec: Any) -> dict[str, Any]:
    """A Vega-Lite spec with its named datasets; keyword arguments are top-level spec keys."""
    return {"datasets": dict(datasets), **spec}
