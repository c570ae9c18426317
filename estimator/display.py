"""Scenarios and estimates as HTML tables (for notebooks) and as pandas frames.

A notebook shows :class:`~estimator.Scenario` and :class:`~estimator.Estimate`
through their ``_repr_html_``, which call :func:`scenario_html` and
:func:`estimate_html`: one row per value that is set, with its label and unit
from the field registry (:mod:`estimator.fields`) and its value formatted by
:func:`estimator.units.format_value`, the formatter of every other door. A
scenario's rows also say where each value came from (its provenance).

``to_frame()`` gives the same values as a :class:`pandas.DataFrame` in base
units, one row per case of the broadcast shape and one column per field, for
analysis and plots. pandas is an optional dependency (``pip install
"ai-datacenter-estimator[frame]"``), imported only when a frame is asked for:
``import estimator`` never imports it.

Sweeps and campus timelines become labelled arrays: :func:`sweep_dataarray`
and :func:`timeline_dataset` give :mod:`xarray` objects whose dimensions are
the swept assumptions (or blocks and periods), and :func:`sweep_frame` and
:func:`timeline_frame` long pandas frames. xarray is in the same optional
extra and imported only when asked for.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import fields, units

if TYPE_CHECKING:  # pandas is optional and imported only by the frame functions
    import pandas as pd

    from estimator.scenario import Estimate, Scenario

__all__ = ["MAX_CASES", "display_unit", "estimate_frame", "estimate_html", "frame", "scenario_frame",
           "scenario_html", "sweep_dataarray", "sweep_frame", "timeline_dataset", "timeline_frame"]

#: Cases (elements of a broadcast array) an HTML table shows one column each; beyond, a range.
MAX_CASES = 12

#: Where the full-load breakdown ("of which ...") is listed: after the total it splits.
_BREAKDOWN_OF = "facility_power_w"

_STYLE = ("<style>table.estimator td.num{text-align:right;font-variant-numeric:tabular-nums}"
          "table.estimator td.of{padding-left:1.5em}table.estimator caption{text-align:left}"
          "table.estimator code{font-size:90%}</style>")


def display_unit(name: str) -> str:
    """The unit :func:`estimator.units.format_value` shows a registry field in ("W", "kg CO2e", "ratio", ...).

    Examples
    --------
    >>> display_unit("emissions_kg"), display_unit("pue"), display_unit("cost")
    ('kg CO2e', 'ratio', 'currency')
    """
    spec = fields.FIELDS[name]
    return spec.unit if spec.unit_text == "unitless" else spec.unit_text


def _ordered(names: list[str]) -> list[str]:
    """Registry order, with the full-load breakdown right after the total it splits."""
    breakdown = [n for n in names if fields.FIELDS[n].label.startswith("of which")]
    rest = [n for n in names if n not in breakdown]
    at = rest.index(_BREAKDOWN_OF) + 1 if _BREAKDOWN_OF in rest else len(rest)
    return [*rest[:at], *breakdown, *rest[at:]]


def _shape(values: Mapping[str, Any]) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(v) for v in values.values() if v is not None and not isinstance(v, str)))


def _cells(value: Any, unit: str, shape: tuple[int, ...], columns: int) -> list[str]:
    """The value formatted once per shown case; an array too large to show is its range."""
    if isinstance(value, str):
        return [value] * columns
    if shape == () or (np.ndim(value) == 0 and columns > 1):
        return [units.format_value(float(value), unit)] * columns
    if math.prod(shape) > MAX_CASES:
        low, high = float(np.min(value)), float(np.max(value))
        text = units.format_value(low, unit)
        return [text if low == high else f"{text} … {units.format_value(high, unit)}"]
    return [units.format_value(float(x), unit) for x in np.broadcast_to(value, shape).ravel()]


def _case_headers(shape: tuple[int, ...]) -> list[str]:
    if shape == ():
        return ["value"]
    if math.prod(shape) > MAX_CASES:
        return [f"range over {' × '.join(str(n) for n in shape)} cases"]
    return [f"case {list(i)}" if len(shape) > 1 else f"case {i[0]}" for i in np.ndindex(shape)]


def _numbers(texts: list[str]) -> str:
    return "".join(f'<td class="num">{html.escape(v)}</td>' for v in texts)


def _table(caption: str, headers: list[str], rows: list[tuple[str, str, list[str]]]) -> str:
    """An HTML table: each row its label cell, its value cells (both HTML), then its trailing cells' HTML."""
    e = html.escape
    out = [_STYLE, '<table class="estimator">', f"<caption>{e(caption)}</caption>", "<thead><tr>"]
    out += [f"<th>{e(h)}</th>" for h in headers]
    out.append("</tr></thead><tbody>")
    for label, values, trailing in rows:
        out.append(f"<tr>{label}{values}{''.join(f'<td>{t}</td>' for t in trailing)}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _label_cell(name: str) -> str:
    label = fields.FIELDS[name].label if name in fields.FIELDS else fields.label(name)
    kind = ' class="of"' if label.startswith("of which") else ""
    return f"<td{kind}>{html.escape(label)}</td>"


def estimate_html(estimate: Estimate) -> str:
    """An estimate as an HTML table: every result that is not None, labelled, in human units.

    Parameters
    ----------
    estimate : Estimate
        The results of :func:`estimator.estimate`.

    Returns
    -------
    str
        A ``<table class="estimator">``: one row per result with its label
        and its value formatted by :func:`estimator.units.format_value`
        (one column per case of a broadcast array of up to
        :data:`MAX_CASES` cases, else the range), and the field's name.

    Examples
    --------
    >>> import estimator
    >>> r = estimator.estimate(estimator.Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82,
    ...                                           network_overhead=1.10, pue=1.2))
    >>> "<td>Facility power, full load</td><td class=\\"num\\">168 MW</td>" in estimate_html(r)
    True
    """
    values = {n: v for n, v in estimate.to_dict().items() if v is not None}
    shape = _shape(values)
    headers = ["result", *_case_headers(shape), "field"]
    n = len(headers) - 2
    rows = [(_label_cell(name), _numbers(_cells(getattr(estimate, name), display_unit(name), shape, n)),
             [f"<code>{name}</code>"]) for name in _ordered(list(values))]
    return _table("Estimate (results of the assumptions; not measurements)", headers, rows)


def scenario_html(scenario: Scenario) -> str:
    """A scenario as an HTML table: the presets applied, then every assumption with where it came from.

    Parameters
    ----------
    scenario : Scenario
        The assumptions.

    Returns
    -------
    str
        A ``<table class="estimator">``: one row per preset and per value
        that is set, with its label, its value formatted by
        :func:`estimator.units.format_value`, its field name and its origin
        (``"user"``, ``"accelerator h100-sxm"``, ``"nameplate (default)"``,
        with the preset's public source as a tooltip).

    Examples
    --------
    >>> import estimator
    >>> s = estimator.Scenario.from_accelerator("h100-sxm", gpus=24_576)
    >>> page = scenario_html(s)
    >>> "<td>PUE</td><td class=\\"num\\">1.2</td>" in page, "nameplate (default)" in page
    (True, True)
    """
    values = {n: v for n, v in scenario.to_dict().items() if v is not None}
    shape = _shape(values)
    headers = ["assumption", *_case_headers(shape), "field", "origin"]
    n = len(headers) - 3
    e = html.escape
    rows = []
    for key, preset in scenario.presets.items():
        if preset is None or (key == "precision" and scenario.presets.get("accelerator") is None):
            continue
        rows.append((_label_cell(key), f'<td colspan="{n}">{e(str(preset))}</td>',
                     [f"<code>{key}</code>", "preset"]))
    for name in _ordered(list(values)):
        origin = scenario.provenance.get(name)
        where = "default" if origin is None else origin.describe()  # "user", or "pinned: catalogue …"
        tip = f' title="{e(origin.source)}"' if origin is not None and origin.source else ""
        rows.append((_label_cell(name), _numbers(_cells(getattr(scenario, name), display_unit(name), shape, n)),
                     [f"<code>{name}</code>", f"<span{tip}>{e(where)}</span>"]))
    return _table("Scenario (assumptions chosen by the user or taken from presets; not measurements)", headers,
                  rows)


def frame(values: Mapping[str, Any]) -> pd.DataFrame:
    """Values as a :class:`pandas.DataFrame`: one row per case of their broadcast shape, one column each.

    Parameters
    ----------
    values : mapping of str to float, ndarray, str or None
        Field name → value, in the field's base unit; None values are left out.

    Returns
    -------
    pandas.DataFrame
        Every number in its base unit (W, Wh, FLOP/s, ...). A scalar set of
        values is one row; an array of shape ``(n,)`` gives ``n`` rows; a
        shape of more axes gives a row per element with a MultiIndex of its
        position. ``frame.attrs["units"]`` and ``frame.attrs["labels"]``
        hold each registry field's base unit and label.

    Raises
    ------
    ModuleNotFoundError
        Without pandas (``pip install "ai-datacenter-estimator[frame]"``).
    """
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError("to_frame() needs pandas: pip install pandas "
                                  "(or the extra: pip install \"ai-datacenter-estimator[frame]\")") from exc
    present = {k: v for k, v in values.items() if v is not None}
    shape = _shape(present)
    columns = {k: (v if isinstance(v, str) else np.broadcast_to(np.asarray(v, dtype=float), shape).ravel())
               for k, v in present.items()}
    n = math.prod(shape)
    if len(shape) > 1:
        index = pd.MultiIndex.from_tuples(list(np.ndindex(shape)), names=[f"axis_{i}" for i in range(len(shape))])
    else:
        index = pd.RangeIndex(n, name="case" if shape else None)
    table = pd.DataFrame({k: ([v] * n if isinstance(v, str) else v) for k, v in columns.items()}, index=index)
    table.attrs["units"] = {k: fields.FIELDS[k].unit_text for k in present if k in fields.FIELDS}
    table.attrs["labels"] = {k: fields.FIELDS[k].label for k in present if k in fields.FIELDS}
    return table


def estimate_frame(estimate: Estimate) -> pd.DataFrame:
    """The results that are not None as a :func:`frame` (base units; one row per case)."""
    return frame(estimate.to_dict())


def scenario_frame(scenario: Scenario) -> pd.DataFrame:
    """The presets applied and every assumption that is set, as a :func:`frame` (base units; one row per case).

    ``frame.attrs["provenance"]`` holds where each value came from
    (:meth:`estimator.resolve.Origin.describe`).
    """
    presets = {k: v for k, v in scenario.presets.items() if v is not None}
    table = frame({**presets, **scenario.to_dict()})
    table.attrs["provenance"] = {k: o.describe() for k, o in scenario.provenance.items()}
    return table


def _optional(module: str, method: str) -> Any:
    """Import an optional dependency, or say which extra brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(f"{method} needs {module}: pip install {module} "
                                  "(or the extra: pip install \"ai-datacenter-estimator[frame]\")") from exc


def _attrs(name: str) -> dict[str, str]:
    """A field's label and base unit for a labelled array's ``attrs`` (empty for a name outside the registry)."""
    spec = fields.FIELDS.get(name)
    return {} if spec is None else {"long_name": spec.label, "units": spec.unit_text}


def sweep_dataarray(result: Any) -> Any:
    """A sweep as an :class:`xarray.DataArray`: one dimension per assumption, its values as coordinates.

    Parameters
    ----------
    result : estimator.sweep.Sweep
        The grid from :func:`estimator.sweep.grid`.

    Returns
    -------
    xarray.DataArray
        Named after the output, in its base unit; each axis is a coordinate
        with its own label and unit in ``attrs``.

    Raises
    ------
    ModuleNotFoundError
        Without xarray (``pip install "ai-datacenter-estimator[frame]"``).
    """
    xr = _optional("xarray", "Sweep.to_xarray()")
    coords = {name: xr.Variable(name, values, attrs=_attrs(name)) for name, values in result.axes.items()}
    return xr.DataArray(result.values, coords=coords, dims=result.dims, name=result.output,
                        attrs=_attrs(result.output))


def sweep_frame(result: Any) -> pd.DataFrame:
    """A sweep as a long :class:`pandas.DataFrame`: one row per grid point, the assumptions as a MultiIndex.

    ``frame.attrs["units"]`` and ``frame.attrs["labels"]`` hold the base unit
    and label of the output and of every axis.
    """
    pd = _optional("pandas", "Sweep.to_frame()")
    index = pd.MultiIndex.from_product(list(result.axes.values()), names=list(result.dims))
    table = pd.DataFrame({result.output: np.asarray(result.values, dtype=float).ravel()}, index=index)
    names = [result.output, *result.dims]
    table.attrs["units"] = {k: _attrs(k)["units"] for k in names if k in fields.FIELDS}
    table.attrs["labels"] = {k: _attrs(k)["long_name"] for k in names if k in fields.FIELDS}
    return table


def timeline_dataset(result: Any) -> Any:
    """A campus timeline as an :class:`xarray.Dataset` over ``(block, time)``.

    Parameters
    ----------
    result : estimator.campus.Timeline
        The timeline from :func:`estimator.timeline`.

    Returns
    -------
    xarray.Dataset
        One variable per field the timeline gives (those None for some block
        are left out), each of shape ``(block, time)`` in its base unit, with
        ``hours`` [h] and ``end`` over ``time``: ``dataset.sum("block")`` is
        the campus. ``time`` is each period's start.

    Raises
    ------
    ModuleNotFoundError
        Without xarray (``pip install "ai-datacenter-estimator[frame]"``).
    """
    xr = _optional("xarray", "Timeline.to_xarray()")
    data = {name: (("block", "time"), values, _attrs(name))
            for name in result.field_names() if (values := result.by_block(name)) is not None}
    data["hours"] = ("time", result.hours, {"long_name": "Hours in the period", "units": "h"})
    data["end"] = ("time", result.ends.astype("datetime64[ns]"), {"long_name": "Day after the period"})
    return xr.Dataset(data, coords={"block": list(result.names),
                                    "time": result.dates.astype("datetime64[ns]")})


def timeline_frame(result: Any) -> pd.DataFrame:
    """A campus timeline's totals as a :class:`pandas.DataFrame`: one row per period, one column per field.

    The index is each period's start; ``hours`` [h] is a column. Per-block
    values are in :func:`timeline_dataset` or ``Timeline.by_block``.
    ``frame.attrs["units"]`` and ``frame.attrs["labels"]`` hold each
    registry field's base unit and label.
    """
    pd = _optional("pandas", "Timeline.to_frame()")
    columns = {name: value for name in result.field_names() if (value := getattr(result, name)) is not None}
    table = pd.DataFrame({**columns, "hours": result.hours},
                         index=pd.DatetimeIndex(result.dates.astype("datetime64[ns]"), name="period_start"))
    table.attrs["units"] = {k: _attrs(k)["units"] for k in columns if k in fields.FIELDS}
    table.attrs["labels"] = {k: _attrs(k)["long_name"] for k in columns if k in fields.FIELDS}
    return table
