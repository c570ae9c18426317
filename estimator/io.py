"""Scenario files: TOML and JSON in and out.

A scenario file is a flat list of ``key = value`` pairs: any
:class:`~estimator.scenario.Scenario` field, optionally preceded by preset
keys (``accelerator``, ``methodology``, ``site``, applied in that order) and
metadata (``name``, ``description``, kept out of the model). Explicit values
override the presets. A value is a number in the field's unit (see
:data:`FIELD_UNITS`), an array of numbers (nested arrays for more
dimensions), or text with a unit as a person would write it, read by
:func:`estimator.units.parse`::

    # 100k H100 for a year (the worked example of docs/methodology.md)
    name = "100k H100, one year"
    accelerator = "h100-sxm"      # preset: gpu_watts, peak_flop_per_s, server_overhead
    methodology = "nameplate"     # preset: network_overhead, pue, utilization
    gpus = "100k"
    pue = [1.1, 1.2, 1.3]         # an array: one result per value
    utilization = "75%"
    hours = "1 year"
    electricity_price = 0.08      # [currency/kWh]
    carbon_intensity = 0.4        # [kg CO2e/kWh]
    mfu = 0.4

A file written from presets also records the catalogue it was made with:
``catalog = "2026.12"`` (:data:`estimator.catalog.VERSION`) and, last,
``catalog_values``, a table of the values its presets gave then. A reader
with the same catalogue ignores that table; a reader with another one applies
those values as they were (origin ``"pinned"``), so the file opens with the
numbers it was made with, and warns (:class:`estimator.resolve.CatalogueWarning`)
naming each recorded value that differs from today's presets. A hand-written
file without ``catalog`` uses the current presets.

The same scenario in JSON is one object with the same keys. Files are read
with :mod:`tomllib` / :mod:`json` and written atomically (temporary file in the
same directory, ``fsync``, then :func:`os.replace`), so a crash never leaves a
half-written file. Floats are written with ``repr`` and read back exactly:
``load(save(s, path)) == s``.

Everything that can be wrong with a file is a ``ValueError`` (or a
``TypeError`` for a value of the wrong kind) naming the key, the value and the
rule: unknown keys (with the closest valid key suggested), duplicate keys,
text that is not UTF-8, an empty or oversized file, a syntax error (with the
parser's line and column), NaN or infinity, booleans, null and tables where a
number belongs.

Ranges. Any assumption may instead be a range (see
:mod:`estimator.distributions`, which holds the grammar), written as a table or
as text; numbers inside may carry units as above::

    pue = { low = 1.1, likely = 1.2, high = 1.4 }                         # triangular
    gpu_watts = { distribution = "uniform", low = "650 W", high = "750 W" }
    mfu = { distribution = "lognormal", median = 0.4, p95 = 0.5 }
    server_overhead = "1.5..1.9"          # uniform, low..high
    utilization = "60%/75%/85%"           # triangular, low/likely/high
    hours = "lognormal:60 days..120 days" # a named distribution: its P5..P95
    wue = "lognormal:median=0.3, p95=0.6" # a named distribution, by its parameters

A table takes the keys ``distribution`` (``"uniform"``, ``"triangular"``,
``"lognormal"`` or ``"fixed"``), ``low``, ``likely`` (or ``mode``), ``high``,
``median``, ``p95``, ``mu``, ``sigma`` and ``value``, in the combinations
:func:`estimator.distributions.spec_from_value` lists; an unknown key is
refused with the closest valid one suggested. In JSON a range is an object or
the same text. Each range's low, likely and high value must be valid for its
field (``pue low must be >= 1 (got 0.9)``).

Ranges are read only by :func:`load_uncertain` / :func:`loads_uncertain` (and
``estimator uncertainty FILE``), which return the Scenario at every range's
likely value together with the ranges. :func:`load` and :func:`loads` (and
``estimator run``) read single values and refuse a range with a message
pointing there: a point estimate taken silently from a file of ranges would
be easy to mistake for the result of the ranges. :func:`dumps_uncertain` /
:func:`save_uncertain` write ranges back as tables, exactly:
``loads_uncertain(dumps_uncertain(s, specs)) == (s, specs)`` for a pair that
:func:`loads_uncertain` returned (a ranged field's value in the Scenario is
its range's likely value; a different value there is not written, as in
:func:`estimator.uncertainty.monte_carlo`, where the range wins).

Examples
--------
>>> from estimator import io
>>> s = io.loads('accelerator = "h100-sxm"\\ngpus = "100k"\\npue = 1.2\\n')
>>> s.gpus, s.gpu_watts, s.pue
(100000.0, 700.0, 1.2)
>>> io.loads(io.dumps(s, "json"), "json") == s
True
>>> s, specs = io.loads_uncertain('gpus = "100k"\\ngpu_watts = "650 W..750 W"\\n'
...                               'server_overhead = 1.82\\npue = "1.1/1.2/1.4"\\n')
>>> s.gpu_watts, s.pue, specs["gpu_watts"]
(700.0, 1.2, Uniform(low=650.0, high=750.0))
>>> io.loads_uncertain(io.dumps_uncertain(s, specs)) == (s, specs)
True
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import json
import math
import numbers
import os
import re
import secrets
import stat
import sys
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from estimator import catalog, distributions, fields, resolve, units, validate
from estimator.distributions import Spec, is_range
from estimator.scenario import Scenario

__all__ = [
    "CATALOG_KEYS",
    "FIELD_UNITS",
    "FORMATS",
    "MAX_BYTES",
    "METADATA_KEYS",
    "PRESET_KEYS",
    "SUFFIXES",
    "catalogue_check",
    "dumps",
    "dumps_uncertain",
    "load",
    "load_mapping",
    "load_uncertain",
    "load_with_metadata",
    "loads",
    "loads_uncertain",
    "read_range",
    "save",
    "save_uncertain",
    "scenario_from_dict",
    "scenario_to_dict",
    "uncertain_from_dict",
    "uncertain_to_dict",
    "write_text_atomic",
]

#: Unit of each Scenario field, as a target unit of :func:`estimator.units.parse`.
#: A bare number in a file is taken to be in this unit.
FIELD_UNITS = fields.INPUT_UNITS

# How each unit reads in a comment of a written TOML file.
_UNIT_LABELS = {"ratio": "unitless", "$/kWh": "currency/kWh", "kg/kWh": "kg CO2e/kWh"}

#: Preset keys, applied in this order before the explicit values.
PRESET_KEYS: tuple[str, ...] = tuple(p.name for p in fields.PRESET_KEYS)

#: Text keys kept with a file but ignored by the model.
METADATA_KEYS: tuple[str, ...] = ("name", "description")

#: The catalogue version a file was made with, and the preset values it gave then
#: (a table of field → value); see :func:`estimator.resolve.check_catalogue`.
CATALOG_KEYS: tuple[str, ...] = ("catalog", "catalog_values")

#: File formats, and the file suffix of each.
FORMATS: tuple[str, ...] = ("toml", "json")
SUFFIXES: dict[str, str] = {".toml": "toml", ".json": "json"}

#: Largest scenario file read by default [bytes] (1 MiB): far more than any
#: hand-written scenario, small enough that a wrong file fails fast.
MAX_BYTES = 1 << 20

# numpy's own limit on array dimensions; deeper nesting is a mistake.
_MAX_DEPTH = 32

# Where a range is refused because single values were asked for.
_RANGES_HINT = ("a range is read by io.load_uncertain or `estimator uncertainty FILE`, "
                "not by io.load or `estimator run`")


def _valid_keys() -> tuple[str, ...]:
    return (*METADATA_KEYS, *PRESET_KEYS, *CATALOG_KEYS, *Scenario.field_names())


def _required_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields.INPUTS if f.required)


class _NonFinite:
    """Stands in for a JSON ``NaN``/``Infinity`` literal until its key is known."""

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def __repr__(self) -> str:
        return self.literal


def _unknown_key(key: str, valid: tuple[str, ...], where: str = "scenario") -> ValueError:
    # "PUE", "gpu-watts" and "gpu watts" are near misses of "pue" and "gpu_watts".
    close = fields.closest(key, valid)
    hint = f"did you mean {close!r}?; " if close else ""
    return ValueError(f"unknown key {key!r} in {where} ({hint}valid keys: {', '.join(valid)})")


def _text(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{key} must be text (got {value!r})")
    return value


def _scalar(where: str, unit: str, value: object) -> float | np.ndarray:
    """One number of a field (``where`` names it in messages) as float64."""
    if isinstance(value, _NonFinite):
        raise ValueError(f"{where} must be finite (got {value.literal})")
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{where} must be a number, not a boolean (got {str(value).lower()})")
    if value is None:
        raise TypeError(f"{where} must be a number (got null); leave the key out "
                        "when the assumption is not given")
    if isinstance(value, Mapping):
        raise TypeError(f"{where} must be a number, not a table (got {dict(value)!r:.80})")
    if isinstance(value, str):
        return units.parse(value, unit, field=where)
    if isinstance(value, np.ndarray):
        return value  # Scenario validates arrays as a whole
    if isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"{where} is too large for a float (got an integer of "
                             f"{len(str(abs(int(value))))} digits)") from None
    raise TypeError(f"{where} must be a number (got {type(value).__name__} {value!r:.80})")


def _value(key: str, value: object) -> float | np.ndarray:
    """A field's value from a file: number, unit text, or (nested) array of them."""
    unit = FIELD_UNITS[key]
    if not isinstance(value, list | tuple):
        return _scalar(key, unit, value)

    def convert(item: object, index: tuple[int, ...]) -> Any:
        if len(index) > _MAX_DEPTH:
            raise ValueError(f"{key} nests arrays more than {_MAX_DEPTH} deep")
        if isinstance(item, list | tuple):
            return [convert(x, (*index, i)) for i, x in enumerate(item)]
        return _scalar(f"{key}[{', '.join(map(str, index))}]", unit, item)

    nested = convert(value, ())
    try:
        return np.array(nested, dtype=np.float64)
    except ValueError:
        raise ValueError(f"{key} must be a rectangular array (every row the same length); "
                         "got rows of different lengths") from None


def read_range(field: str, value: object, *, unit: str | None = None) -> Spec:
    """Read one assumption written as a range (or a number) in a file or on the command line.

    Parameters
    ----------
    field : str
        A Scenario field: the range is checked against its rule and every
        message starts with it.
    value : number, str, mapping or range object
        A number or unit text (a :class:`~estimator.distributions.Fixed` range);
        text ``"LOW..HIGH"`` (uniform), ``"LOW/LIKELY/HIGH"`` (triangular),
        ``"NAME:LOW..HIGH"``, ``"NAME:LOW/LIKELY/HIGH"`` or ``"NAME:key=value,
        key=value"`` (a named distribution); a table of
        :data:`~estimator.distributions.RANGE_KEYS`; or a range object (the
        grammar of :func:`estimator.distributions.read_range`, with units).
    unit : str, optional
        Unit of bare numbers (a target unit of :func:`estimator.units.parse`);
        the field's own unit (:data:`FIELD_UNITS`) by default.

    Returns
    -------
    Fixed, Uniform, Triangular or LogNormal

    Raises
    ------
    ValueError, TypeError
        Naming the field and the rule: ``pue low must be >= 1 (got 0.9)``,
        ``pue distribution 'unifrom' is not known (did you mean 'uniform'? ...)``,
        ``unknown key 'likley' in the range of pue (did you mean 'likely'?; ...)``.

    Examples
    --------
    >>> read_range("gpu_watts", "650 W..750 W")
    Uniform(low=650.0, high=750.0)
    >>> read_range("mfu", "lognormal:median=40%, p95=50%")
    LogNormal(median=0.4, p95=0.5)
    """
    if field not in FIELD_UNITS:
        raise _unknown_key(field, Scenario.field_names())
    unit = FIELD_UNITS[field] if unit is None else unit
    if isinstance(value, _NonFinite | bool | np.bool_) or value is None or (
            isinstance(value, numbers.Real) and not isinstance(value, float)):
        value = _scalar(field, unit, value)  # words NaN literals, booleans, null, huge integers

    def read_number(where: str, number: object, unitless: bool) -> float | np.ndarray:
        return _scalar(where, "ratio" if unitless else unit, number)

    return distributions.read_range(field, value, read_number)


def _single(key: str, value: object) -> float | np.ndarray:
    """A field's single value (or array); a range refused with a pointer to the loaders that read it."""
    if isinstance(value, Mapping):
        raise TypeError(f"{key} must be a number, not a table (got {dict(value)!r:.80}); {_RANGES_HINT}")
    if is_range(value):
        raise ValueError(f"{key} must be a single value, not a range (got {value!r:.80}); {_RANGES_HINT}")
    return _value(key, value)


def _array_without_ranges(key: str, value: object) -> float | np.ndarray:
    """A field's value that is not a range; an array may not hold ranges."""
    def check(item: object, index: tuple[int, ...]) -> None:
        if isinstance(item, list | tuple) and len(index) <= _MAX_DEPTH:
            for i, x in enumerate(item):
                check(x, (*index, i))
        elif index and is_range(item):
            raise ValueError(f"{key}[{', '.join(map(str, index))}] is a range inside an array; give one "
                             f"range for {key} instead (e.g. {key} = {{ low = ..., likely = ..., high = ... }})")

    check(value, ())
    return _value(key, value)


def _recorded(mapping: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The catalogue version a file names and the preset values it recorded, checked."""
    version = catalog.check_version(mapping["catalog"]) if "catalog" in mapping else None
    table = mapping.get("catalog_values", {})
    if not isinstance(table, Mapping):
        raise TypeError("catalog_values must be a table of field = value, the preset values the file was "
                        f"made with (got {table!r:.80})")
    recorded = {}
    for key, value in table.items():
        if not isinstance(key, str) or key not in FIELD_UNITS:
            close = fields.closest_input(str(key))
            hint = f"did you mean {close!r}? " if close else ""
            raise ValueError(f"unknown field {key!r} in catalog_values ({hint}valid fields: "
                             f"{', '.join(Scenario.field_names())})")
        where = f"catalog_values.{key}"
        if isinstance(value, list | tuple) or is_range(value):
            raise TypeError(f"{where} must be one number, the preset's value (got {value!r:.80})")
        recorded[key] = float(validate.field(key, _scalar(where, FIELD_UNITS[key], value)))
    return version, recorded


def catalogue_check(mapping: Mapping[str, Any]) -> resolve.CatalogueCheck:
    """What a file's ``catalog`` and ``catalog_values`` mean under the current catalogue.

    For a door that shows the notice itself rather than as a warning (the
    dashboard's upload). The mapping must already have been read by
    :func:`scenario_from_dict`, which names anything wrong in it.

    Parameters
    ----------
    mapping : Mapping
        A scenario file's key/value pairs.

    Returns
    -------
    estimator.resolve.CatalogueCheck
        Its :meth:`~estimator.resolve.CatalogueCheck.message` is None for a
        file of the current catalogue (or one that names none).
    """
    version, recorded = _recorded(mapping)
    presets = {key: mapping[key] for key in PRESET_KEYS if key in mapping}
    given = {key: mapping[key] for key in Scenario.field_names() if key in mapping}
    return resolve.check_catalogue(version, recorded, presets, given, "file")


def _warn(check: resolve.CatalogueCheck, source: str | None) -> None:
    message = check.message()
    if message is not None:
        warnings.warn(f"{source}: {message}" if source else message, resolve.CatalogueWarning, stacklevel=4)


def _check_keys(mapping: Mapping[Any, Any], valid: tuple[str, ...], where: str = "scenario") -> None:
    """Every key is text and valid; the first that is not is named, with the closest valid key."""
    for key in mapping:
        if not isinstance(key, str):
            raise TypeError(f"{where} keys must be text (got {key!r})")
        if key not in valid:
            raise _unknown_key(key, valid, where)


def _from_dict(mapping: Mapping[str, Any], ranges: bool,
               source: str | None = None) -> tuple[Scenario, dict[str, Spec]]:
    """Scenario (and, if ``ranges``, the ranges) from a file's key/value pairs.

    A file made with another catalogue opens with the preset values it recorded, pinned, and a
    :class:`~estimator.resolve.CatalogueWarning` (starting with ``source``) says which differ."""
    if not isinstance(mapping, Mapping):
        raise TypeError(f"a scenario must be a table of key = value pairs (got {type(mapping).__name__})")
    _check_keys(mapping, _valid_keys())
    for key in METADATA_KEYS:
        if key in mapping:
            _text(key, mapping[key])
    presets = {key: _text(key, mapping[key]) for key in PRESET_KEYS if key in mapping}
    values: dict[str, Any] = {}
    specs: dict[str, Spec] = {}
    for key in Scenario.field_names():
        if key not in mapping:
            continue
        value = mapping[key]
        if not ranges:
            values[key] = _single(key, value)
        elif is_range(value):
            specs[key] = read_range(key, value)
            values[key] = specs[key].likely
        else:
            values[key] = _array_without_ranges(key, value)
    for key, value in values.items():  # a bad value is named before anything that depends on it
        values[key] = validate.field(key, value)
    missing = [key for key in _required_fields() if key not in values and not (
        key == "gpu_watts" and "accelerator" in presets)]
    if missing:
        raise ValueError(f"scenario is missing {' and '.join(missing)} "
                         "(give them, or an accelerator preset for gpu_watts)")
    version, recorded = _recorded(mapping)
    try:
        check = resolve.check_catalogue(version, recorded, presets, values, "file")
    except (ValueError, TypeError):
        check = resolve.CatalogueCheck(version)  # a bad preset is named by the resolution below
    # The one resolution every door uses: presets (the default methodology with an accelerator),
    # then the values a file of another catalogue recorded, then the file's own values.
    resolution = resolve.resolve(values=values, **presets, pinned=None if check.current else check)
    _warn(check, source)
    return Scenario._resolved(resolution), specs


def scenario_from_dict(mapping: Mapping[str, Any], *, source: str | None = None) -> Scenario:
    """Build a validated Scenario from the key/value pairs of a scenario file.

    Parameters
    ----------
    mapping : Mapping
        Scenario field names → values, plus optional preset keys
        ``accelerator``, ``methodology``, ``site`` (catalogue names) and
        metadata keys ``name``, ``description`` (text, ignored by the model),
        and ``catalog`` (the catalogue version the file was made with) with
        ``catalog_values`` (a table of the preset values it gave then).
        A value is a number in the field's unit (:data:`FIELD_UNITS`: [count],
        [W], [unitless], [h], [currency/kWh], [kg CO2e/kWh], [L/kWh],
        [FLOP/s]), a list or nested list of them (an array), or text with a
        unit such as ``"700 W"``, ``"90 days"``, ``"989 TFLOP/s"``,
        ``"100k"`` or ``"75%"``.
    source : str, optional
        Named at the start of a warning (the file's path).

    Returns
    -------
    Scenario
        Presets applied first (accelerator, then methodology, then site),
        explicit values on top. A file whose ``catalog`` is not the current
        :data:`estimator.catalog.VERSION` opens with its ``catalog_values``
        pinned (origin ``"pinned"``) in place of today's preset values.

    Warns
    -----
    estimator.resolve.CatalogueWarning
        When the file names another catalogue version (or records values
        without one): which recorded values differ from today's presets.

    Raises
    ------
    ValueError
        On an unknown key (the closest valid key suggested), an unknown
        preset (the valid names listed), a methodology without an
        accelerator, a missing required field, a ragged array, any value
        out of its range, or a range (``"1.1..1.4"``; read those with
        :func:`uncertain_from_dict`).
    TypeError
        On a boolean, null, table (a range table included) or other
        non-number where a number belongs, or a non-text preset or metadata
        value.

    Examples
    --------
    >>> s = scenario_from_dict({"accelerator": "h100-sxm", "gpus": "16,384",
    ...                         "hours": "54 days", "utilization": "90%"})
    >>> s.gpus, s.gpu_watts, s.hours, s.utilization
    (16384.0, 700.0, 1296.0, 0.9)
    """
    return _from_dict(mapping, ranges=False, source=source)[0]


def uncertain_from_dict(mapping: Mapping[str, Any], *,
                        source: str | None = None) -> tuple[Scenario, dict[str, Spec]]:
    """A Scenario and its ranges from the key/value pairs of a scenario file.

    Parameters
    ----------
    mapping : Mapping
        As for :func:`scenario_from_dict`, except that any field's value may
        also be a range: a table of
        :data:`~estimator.distributions.RANGE_KEYS`, text ``"LOW..HIGH"``,
        ``"LOW/LIKELY/HIGH"`` or ``"NAME:..."``, or a range object (see
        :func:`read_range`).

    Returns
    -------
    scenario : Scenario
        Presets first, explicit values on top; a field given as a range holds
        the range's likely value (the midpoint of a uniform range, the median
        of a log-normal one), so ``estimate(scenario)`` is the point estimate.
    specs : dict of str to Spec
        Field → range, for the fields written as ranges, in declaration
        order; pass both to :func:`estimator.uncertainty.monte_carlo` as
        ``monte_carlo(specs, base=scenario)``.

    Raises
    ------
    ValueError, TypeError
        As :func:`scenario_from_dict`, and for a bad range, naming the field
        and the rule (see :func:`read_range`), or a range inside an array.

    Examples
    --------
    >>> s, specs = uncertain_from_dict({"accelerator": "h100-sxm", "gpus": "100k",
    ...                                 "pue": {"low": 1.1, "likely": 1.2, "high": 1.4}})
    >>> s.pue, specs
    (1.2, {'pue': Triangular(low=1.1, likely=1.2, high=1.4)})
    """
    return _from_dict(mapping, ranges=True, source=source)


def _spec_items(specs: Mapping[str, object]) -> dict[str, Spec]:
    if not isinstance(specs, Mapping):
        raise TypeError(f"specs must be a mapping of field → range (got {type(specs).__name__})")
    out = {}
    for key, value in specs.items():
        if not isinstance(key, str) or key not in FIELD_UNITS:
            raise _unknown_key(str(key), Scenario.field_names())
        out[key] = read_range(key, value)
    return out


def uncertain_to_dict(s: Scenario, specs: Mapping[str, object], *, name: str | None = None,
                      description: str | None = None) -> dict[str, Any]:
    """The key/value pairs of a scenario file with ranges.

    Parameters
    ----------
    s : Scenario
        The single values; a field that has a range is written as the range.
    specs : mapping
        Field → range (anything :func:`read_range` reads).
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    dict
        As :func:`scenario_to_dict`, with each ranged field's value replaced
        by the range's table (``spec.to_dict()``: its ``distribution`` and
        parameters, floats in the field's unit), in declaration order.
        ``uncertain_from_dict(uncertain_to_dict(s, specs)) == (s, specs)``
        when every ranged field of ``s`` holds its range's likely value.
    """
    checked = _spec_items(specs)
    plain = scenario_to_dict(s, name=name, description=description)
    out = {k: v for k, v in plain.items() if k not in FIELD_UNITS}
    for key in Scenario.field_names():
        if key in checked:
            out[key] = checked[key].to_dict()
        elif key in plain:
            out[key] = plain[key]
    return out


def scenario_to_dict(s: Scenario, *, name: str | None = None,
                     description: str | None = None) -> dict[str, Any]:
    """The key/value pairs of a scenario file.

    Parameters
    ----------
    s : Scenario
        The scenario.
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    dict
        Metadata given, then the presets and, for a scenario built from
        presets, ``catalog`` (the current :data:`estimator.catalog.VERSION`),
        then every field that is not None, in declaration order: floats in
        the field's unit (:data:`FIELD_UNITS`), nested lists for arrays; last,
        ``catalog_values``: the values the presets gave (see
        :func:`estimator.resolve.recorded_values`), which a reader with
        another catalogue applies as they were.
        ``scenario_from_dict(scenario_to_dict(s)) == s``.
    """
    if not isinstance(s, Scenario):
        raise TypeError(f"expected a Scenario (got {type(s).__name__})")
    out: dict[str, Any] = {}
    for key, value in (("name", name), ("description", description)):
        if value is not None:
            out[key] = _text(key, value)
    # A scenario built from presets is written as its presets and the user's own values, so that
    # loading it resolves to the same numbers with the same provenance; an explicit one, in full.
    out.update((k, v) for k, v in s.presets.items() if v is not None)
    recorded = resolve.recorded_values(s.provenance, s.to_dict()) if s.presets else {}
    if s.presets:
        out["catalog"] = catalog.VERSION
    user = s.user_values() if s.presets else None
    out.update((k, v) for k, v in s.to_dict().items() if v is not None and (user is None or k in user))
    if recorded:
        out["catalog_values"] = recorded
    return out


def _check_format(format: str) -> str:
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))} (got {format!r})")
    return format


def _toml_string(text: str) -> str:
    """A TOML basic string; escapes what TOML forbids raw (quote, backslash, controls)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, Mapping):  # a range: an inline table of bare keys
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"cannot write {number!r} to a scenario file")
    return repr(number)  # shortest text that reads back to the same float


def dumps(s: Scenario, format: str = "toml", *, name: str | None = None,
          description: str | None = None) -> str:
    """A scenario as the text of a TOML or JSON file.

    Parameters
    ----------
    s : Scenario
        The scenario.
    format : {"toml", "json"}, default "toml"
        File format.
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    str
        The file's text, ending in a newline. Floats are written with
        ``repr`` so they read back exactly; TOML lines carry the unit of each
        field in a comment.

    Examples
    --------
    >>> print(dumps(Scenario(gpus=1000, gpu_watts=700, pue=1.2)), end="")
    # estimator scenario: every value is an assumption
    gpus = 1000.0  # [count]
    gpu_watts = 700.0  # [W]
    server_overhead = 1.0  # [unitless]
    network_overhead = 1.0  # [unitless]
    pue = 1.2  # [unitless]
    utilization = 1.0  # [unitless]
    """
    return _dumps(scenario_to_dict(s, name=name, description=description), format)


def _dumps(mapping: Mapping[str, Any], format: str, header: Sequence[str] = (), version: str | None = None) -> str:
    if _check_format(format) == "json":
        # One key per line, each array on its line: as readable as the TOML form.
        pairs = (f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, allow_nan=False)}"
                 for k, v in mapping.items())
        return "{\n" + ",\n".join(pairs) + "\n}\n"
    lines = ["# estimator scenario: every value is an assumption", *header]
    for key, value in mapping.items():
        if key == "catalog_values":
            lines.append(f"# what the presets gave with catalogue {mapping.get('catalog', version)}, in the fields' "
                         "units; applied only by a reader with another catalogue")
        line = f"{key} = {_toml_value(value)}"
        if key in FIELD_UNITS:
            unit = FIELD_UNITS[key]
            line += f"  # [{_UNIT_LABELS.get(unit, unit)}]"
        lines.append(line)
    return "\n".join(lines) + "\n"


def dumps_uncertain(s: Scenario, specs: Mapping[str, object], format: str = "toml", *,
                    name: str | None = None, description: str | None = None) -> str:
    """A scenario with ranges as the text of a TOML or JSON file.

    Parameters
    ----------
    s : Scenario
        The single values (a ranged field's value is its range's likely value
        and is not written).
    specs : mapping
        Field → range (anything :func:`read_range` reads).
    format : {"toml", "json"}, default "toml"
        File format.
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    str
        The file's text: each range an inline table (TOML) or object (JSON)
        with its ``distribution`` and parameters, floats written with
        ``repr``. ``loads_uncertain(dumps_uncertain(s, specs)) == (s, specs)``
        for a pair :func:`loads_uncertain` returned.

    Examples
    --------
    >>> from estimator.distributions import Triangular
    >>> text = dumps_uncertain(Scenario(gpus=1000, gpu_watts=700, pue=1.2),
    ...                        {"pue": Triangular(1.1, 1.2, 1.4)})
    >>> print(text.splitlines()[6])
    pue = { distribution = "triangular", low = 1.1, likely = 1.2, high = 1.4 }  # [unitless]
    """
    mapping = uncertain_to_dict(s, specs, name=name, description=description)
    return _dumps(mapping, format, ["# ranges: read with `estimator uncertainty FILE` or io.load_uncertain"])


def _decode(data: str | bytes | bytearray | memoryview, max_bytes: int) -> str:
    """Check size and encoding of a file's content and return its text."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive integer (got {max_bytes!r})")
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raise TypeError(f"scenario content must be text or bytes (got {type(data).__name__})")
    if len(raw) > max_bytes:
        raise ValueError(f"scenario file is {len(raw):,} bytes, more than the limit of {max_bytes:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"scenario file is not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                         f"at position {exc.start})") from None
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some editors write
    if not text.strip():
        raise ValueError("scenario file is empty")
    return text


_TOML_KEY = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\-]+)\s*=""")


def _toml_duplicate(text: str) -> str | None:
    """Name the first repeated key of a flat TOML file, with its two lines.

    tomllib reports a repeated key only as "Cannot overwrite a value" (in
    Python 3.11 without a position), so the file is scanned for it.
    """
    seen: dict[tuple[str, str], int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[+\s*([^\]]*?)\s*\]", line)
        if header:
            table = header.group(1)
            continue
        match = _TOML_KEY.match(line)
        if match:
            key = match.group(1).strip("\"'")
            if (table, key) in seen:
                return f"duplicate key {key!r} in scenario file (lines {seen[table, key]} and {number})"
            seen[table, key] = number
    return None


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateJSONKey(key)
        out[key] = value
    return out


class _DuplicateJSONKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_duplicate_message(text: str, key: str) -> str:
    pattern = re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:"
    lines = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(pattern, text)]
    where = f" (lines {lines[0]} and {lines[1]})" if len(lines) >= 2 else ""
    return f"duplicate key {key!r} in scenario file{where}"


def _parse(data: str | bytes | bytearray | memoryview, format: str, max_bytes: int) -> dict[str, Any]:
    """The raw key/value pairs of a file's content, after every file-level check."""
    _check_format(format)
    text = _decode(data, max_bytes)
    try:
        if format == "toml":
            try:
                return tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                duplicate = _toml_duplicate(text) if "overwrite" in str(exc) else None
                raise ValueError(duplicate or f"scenario file is not valid TOML: {exc}") from None
        try:
            mapping = json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_NonFinite)
        except json.JSONDecodeError as exc:
            raise ValueError(f"scenario file is not valid JSON: {exc.msg} "
                             f"(line {exc.lineno}, column {exc.colno})") from None
        except _DuplicateJSONKey as exc:
            raise ValueError(_json_duplicate_message(text, exc.key)) from None
    except RecursionError:
        raise ValueError("scenario file nests arrays or tables too deeply") from None
    except ValueError as exc:
        if str(exc).startswith(("scenario file", "duplicate key")):
            raise
        if "integer string conversion" in str(exc):  # Python's limit on the digits of an int
            raise ValueError(f"scenario file is not valid {format.upper()}: a number has more than "
                             f"{sys.get_int_max_str_digits():,} digits") from None
        raise ValueError(f"scenario file is not valid {format.upper()}: {exc}") from None
    if not isinstance(mapping, dict):
        raise ValueError("scenario file must hold one JSON object of \"key\": value pairs "
                         f"(got {type(mapping).__name__})")
    return mapping


def loads(data: str | bytes, format: str = "toml", *, max_bytes: int = MAX_BYTES) -> Scenario:
    """Read a scenario from the content of a TOML or JSON file.

    Parameters
    ----------
    data : str or bytes
        The file's content; bytes must be UTF-8.
    format : {"toml", "json"}, default "toml"
        File format.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest content accepted [bytes].

    Returns
    -------
    Scenario

    Raises
    ------
    ValueError
        If the content is too large, not UTF-8, empty or malformed (with the
        parser's line and column), repeats a key, holds NaN or infinity, or
        anything :func:`scenario_from_dict` rejects.
    TypeError
        For a value of the wrong kind (see :func:`scenario_from_dict`).
    """
    return scenario_from_dict(_parse(data, format, max_bytes))


def loads_uncertain(data: str | bytes, format: str = "toml", *,
                    max_bytes: int = MAX_BYTES) -> tuple[Scenario, dict[str, Spec]]:
    """Read a scenario with ranges from the content of a TOML or JSON file.

    Parameters
    ----------
    data : str or bytes
        The file's content; bytes must be UTF-8.
    format : {"toml", "json"}, default "toml"
        File format.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest content accepted [bytes].

    Returns
    -------
    scenario : Scenario
        Every range at its likely value.
    specs : dict of str to Spec
        Field → range, for the fields written as ranges (see
        :func:`uncertain_from_dict`).

    Raises
    ------
    ValueError, TypeError
        As :func:`loads`, and for a bad range (see :func:`read_range`).
    """
    return uncertain_from_dict(_parse(data, format, max_bytes))


def _path(path: str | os.PathLike[str]) -> Path:
    """A file's path; an empty text is refused (``Path("")`` would be the working directory)."""
    if isinstance(path, str) and not path.strip():
        raise ValueError("a file path is needed (got an empty one)")
    return Path(path)


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        return _check_format(format)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot tell the format of {str(path)!r} from its suffix {suffix!r} "
                         f"(valid suffixes: {', '.join(SUFFIXES)})")
    return SUFFIXES[suffix]


def _read(path: str | os.PathLike[str], max_bytes: int) -> tuple[Path, bytes]:
    path = Path(path)
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:  # refuse before reading a wrong, huge file
            raise ValueError(f"{path}: scenario file is {size:,} bytes, more than the limit of "
                             f"{max_bytes:,} bytes")
        return path, handle.read(max_bytes + 1)


def load_mapping(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """The raw key/value pairs of a scenario file, after the file-level checks.

    For callers that want to know which keys a file set (the command line
    echoes where each assumption came from); :func:`scenario_from_dict` turns
    the result into a Scenario.

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` or ``.json`` file.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest file accepted [bytes].

    Returns
    -------
    dict
        Keys and values as the parser read them (not yet checked against
        the Scenario fields).

    Raises
    ------
    OSError
        If the file cannot be read (e.g. ``FileNotFoundError``).
    ValueError
        For a wrong suffix, or content that is too large, not UTF-8, empty,
        malformed or has a repeated key; the message starts with the path.
    """
    path = _path(path)
    format = _format_of(path, None)
    path, raw = _read(path, max_bytes)
    try:
        return _parse(raw, format, max_bytes)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{path}: {exc}") from None


def load_with_metadata(path: str | os.PathLike[str], *,
                       max_bytes: int = MAX_BYTES) -> tuple[Scenario, dict[str, str]]:
    """Read a scenario file and its metadata.

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` or ``.json`` file.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest file accepted [bytes].

    Returns
    -------
    scenario : Scenario
    metadata : dict of str to str
        ``name`` and ``description``, where the file has them.

    Raises
    ------
    OSError
        If the file cannot be read (e.g. ``FileNotFoundError``).
    ValueError, TypeError
        As :func:`loads`, the message starting with the file's path.
    """
    mapping = load_mapping(path, max_bytes=max_bytes)
    try:
        scenario = scenario_from_dict(mapping, source=str(path))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{path}: {exc}") from None
    return scenario, {k: mapping[k] for k in METADATA_KEYS if k in mapping}


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Scenario:
    """Read a scenario file, format from its suffix (``.toml`` or ``.json``).

    Parameters
    ----------
    path : str or path-like
        The file.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest file accepted [bytes].

    Returns
    -------
    Scenario

    Raises
    ------
    OSError
        If the file cannot be read (e.g. ``FileNotFoundError``).
    ValueError, TypeError
        As :func:`loads`, the message starting with the file's path; also for
        a suffix other than ``.toml`` or ``.json``.
    """
    return load_with_metadata(path, max_bytes=max_bytes)[0]


def load_uncertain(path: str | os.PathLike[str], *,
                   max_bytes: int = MAX_BYTES) -> tuple[Scenario, dict[str, Spec]]:
    """Read a scenario file with ranges, format from its suffix (``.toml`` or ``.json``).

    Parameters
    ----------
    path : str or path-like
        The file.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest file accepted [bytes].

    Returns
    -------
    scenario : Scenario
        Every range at its likely value.
    specs : dict of str to Spec
        Field → range (see :func:`uncertain_from_dict`); metadata, if wanted,
        comes from :func:`load_mapping`.

    Raises
    ------
    OSError
        If the file cannot be read (e.g. ``FileNotFoundError``).
    ValueError, TypeError
        As :func:`loads_uncertain`, the message starting with the file's path.
    """
    mapping = load_mapping(path, max_bytes=max_bytes)
    try:
        return uncertain_from_dict(mapping, source=str(path))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{path}: {exc}") from None


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text to a file so that it is either wholly old or wholly new.

    The text goes to a temporary file in the same directory, is flushed and
    ``fsync``-ed, and then replaces the target with :func:`os.replace`. On any
    error the temporary file is removed and the old file is left whole. An
    existing file's permissions are kept; a new file gets the usual umask.

    Parameters
    ----------
    path : str or path-like
        The target file.
    text : str
        Its new content.

    Returns
    -------
    pathlib.Path
        The target.
    """
    target = _path(path)
    if target.is_dir():  # also ".", "..", "/": no file name to write to
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    data = text.encode("utf-8")
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            # O_EXCL: never follow or reuse another file; mode 0o666 lets the umask apply.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:  # name the file asked for, not the temporary one
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        break
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and exc.filename is not None:
            # e.g. the target is a directory: name the file asked for, not the temporary one
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        raise
    _fsync_directory(target.parent)
    return target


def save(s: Scenario, path: str | os.PathLike[str], format: str | None = None, *,
         name: str | None = None, description: str | None = None) -> Path:
    """Write a scenario file atomically.

    Parameters
    ----------
    s : Scenario
        The scenario.
    path : str or path-like
        The file; its suffix (``.toml`` or ``.json``) gives the format unless
        ``format`` is given.
    format : {"toml", "json"}, optional
        File format, overriding the suffix.
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    pathlib.Path
        The file written; ``load(save(s, path)) == s``.

    Raises
    ------
    ValueError
        For a suffix other than ``.toml`` or ``.json`` without ``format``.
    OSError
        If the file cannot be written; the old file, if any, is left whole.
    """
    path = _path(path)
    text = dumps(s, _format_of(path, format), name=name, description=description)
    return write_text_atomic(path, text)


def save_uncertain(s: Scenario, specs: Mapping[str, object], path: str | os.PathLike[str],
                   format: str | None = None, *, name: str | None = None,
                   description: str | None = None) -> Path:
    """Write a scenario file with ranges atomically.

    Parameters
    ----------
    s : Scenario
        The single values (a ranged field's value is not written).
    specs : mapping
        Field → range (anything :func:`read_range` reads).
    path : str or path-like
        The file; its suffix (``.toml`` or ``.json``) gives the format unless
        ``format`` is given.
    format : {"toml", "json"}, optional
        File format, overriding the suffix.
    name, description : str, optional
        Metadata written ahead of the fields.

    Returns
    -------
    pathlib.Path
        The file written; ``load_uncertain(save_uncertain(s, specs, path)) ==
        (s, specs)`` for a pair :func:`load_uncertain` returned.

    Raises
    ------
    ValueError, TypeError
        For a bad range or suffix.
    OSError
        If the file cannot be written; the old file, if any, is left whole.
    """
    path = _path(path)
    text = dumps_uncertain(s, specs, _format_of(path, format), name=name, description=description)
    return write_text_atomic(path, text)


# --------------------------------------------------------------------------- campus files

#: Keys of one ``[[block]]`` of a campus file besides the scenario's own.
CAMPUS_BLOCK_KEYS: tuple[str, ...] = ("name", "online", "retire")


def campus_from_dict(mapping: Mapping[str, Any], *, source: str | None = None) -> Any:
    """Build a :class:`~estimator.campus.Campus` from a campus file's key/value pairs.

    Parameters
    ----------
    mapping : Mapping
        ``block``: a list of tables, one per block, each a scenario's keys
        (presets, fields, as in :func:`scenario_from_dict`) plus ``name``,
        ``online`` and ``retire`` (ISO dates, as text or TOML dates). Any
        other top-level key except ``name`` and ``description`` is a
        scenario key shared by every block; a block's own value overrides it.
        So ``catalog`` (the catalogue version) is usually written once at
        the top and ``catalog_values`` in each block (see
        :func:`scenario_from_dict`).
    source : str, optional
        Named at the start of a warning (the file's path), before the block.

    Returns
    -------
    Campus

    Warns
    -----
    estimator.resolve.CatalogueWarning
        For each block made with another catalogue version, naming the block.

    Raises
    ------
    ValueError, TypeError
        As :func:`scenario_from_dict` for each block, the message starting
        with the block (``block 2 ('GB200'): gpus must be > 0 (got 0.0)``);
        for a file without blocks, or a block that is not a table.

    Examples
    --------
    >>> c = campus_from_dict({"server_overhead": 1.82, "pue": 1.1, "block": [
    ...     {"name": "H100", "gpus": 200_000, "gpu_watts": 700, "online": "2025-01-01"},
    ...     {"name": "GB200", "gpus": 30_000, "gpu_watts": 1200, "online": "2025-06-01"}]})
    >>> c.names, [str(d) for d in c.online]
    (('H100', 'GB200'), ['2025-01-01', '2025-06-01'])
    """
    from estimator.campus import Campus, _check_name, _check_window, _date  # campus imports scenario

    if not isinstance(mapping, Mapping):
        raise TypeError(f"a campus must be a table of key = value pairs (got {type(mapping).__name__})")
    blocks = mapping.get("block")
    if blocks is None or (isinstance(blocks, list) and not blocks):
        raise ValueError("a campus file needs at least one [[block]] table "
                         f"(got {'none' if blocks is None else 'an empty list'})")
    if not isinstance(blocks, list):
        raise TypeError(f"block must be an array of tables, one [[block]] per block (got {type(blocks).__name__})")
    for key in CAMPUS_BLOCK_KEYS[1:]:  # a date of the campus as a whole would be one block's
        if key in mapping:
            value = mapping[key]
            shown = value.isoformat() if isinstance(value, datetime.date) else repr(value)
            raise ValueError(f"{key} is a key of each [[block]], not of the campus (got {key} = {shown} "
                             "before the first [[block]])")
    _check_keys(mapping, ("block", *_valid_keys()), "the campus's shared keys")
    shared = {k: v for k, v in mapping.items() if k not in ("block", *METADATA_KEYS)}
    block_keys = (*_valid_keys(), *CAMPUS_BLOCK_KEYS[1:])
    scenarios, names, online, retire = [], [], [], []
    seen: dict[str, int] = {}
    for i, block in enumerate(blocks, start=1):
        if not isinstance(block, Mapping):
            raise TypeError(f"block {i} must be a table of key = value pairs (got {type(block).__name__})")
        label = block.get("name")
        where = f"block {i}" + (f" ({label!r})" if isinstance(label, str) else "")
        try:
            _check_keys(block, block_keys, "a [[block]]")
            own = {k: v for k, v in block.items() if k not in CAMPUS_BLOCK_KEYS}
            if "name" in block:
                _check_name("name", _text("name", block["name"]))
                if label in seen:
                    raise ValueError(f"names must be unique: {label!r} is given twice (block {seen[label]} "
                                     f"and block {i})")
                seen[label] = i
            scenarios.append(_from_dict({**shared, **own}, False, f"{source}: {where}" if source else where)[0])
            online.append(_date("online", block.get("online")))
            retire.append(_date("retire", block.get("retire")))
            _check_window(online[-1], retire[-1])
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{where}: {exc}") from None
        names.append(label)
    names = [f"block {i}" if n is None else n for i, n in enumerate(names, start=1)]
    return Campus(scenarios, names=names, online=online, retire=retire)


def loads_campus(data: str | bytes, format: str = "toml", *, max_bytes: int = MAX_BYTES) -> Any:
    """Read a campus from the content of a TOML or JSON file (see :func:`campus_from_dict`).

    Parameters
    ----------
    data : str or bytes
        The file's content; bytes must be UTF-8.
    format : {"toml", "json"}, default "toml"
        File format.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest content accepted [bytes].

    Returns
    -------
    Campus

    Examples
    --------
    >>> c = loads_campus('''
    ... pue = 1.1
    ... [[block]]
    ... name = "hall A"
    ... accelerator = "h100-sxm"
    ... gpus = "100k"
    ... online = 2025-01-01
    ... ''')
    >>> c.names, c.scenarios[0].gpu_watts, str(c.online[0])
    (('hall A',), 700.0, '2025-01-01')
    """
    return campus_from_dict(_parse(data, format, max_bytes))


def load_campus(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Any:
    """Read a campus file, format from its suffix (``.toml`` or ``.json``).

    Parameters
    ----------
    path : str or path-like
        The file.
    max_bytes : int, default :data:`MAX_BYTES`
        Largest file accepted [bytes].

    Returns
    -------
    Campus

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError, TypeError
        As :func:`loads_campus`, the message starting with the file's path.
    """
    mapping = load_mapping(path, max_bytes=max_bytes)
    try:
        return campus_from_dict(mapping, source=str(path))
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{path}: {exc}") from None


def campus_to_dict(c: Any, *, name: str | None = None, description: str | None = None) -> dict[str, Any]:
    """The key/value pairs of a campus file: metadata, the catalogue version once, then one ``block`` each.

    Parameters
    ----------
    c : Campus
        The campus.
    name, description : str, optional
        Metadata written ahead of the blocks.

    Returns
    -------
    dict
        ``name`` and ``description`` if given, ``catalog`` where a block was
        built from presets, and ``block``: a list of tables, each the block's
        ``name``, ``online`` and ``retire`` (ISO dates; retire only if set)
        followed by its scenario's pairs (:func:`scenario_to_dict`, without
        ``catalog``). ``campus_from_dict(campus_to_dict(c))`` gives the same
        blocks.

    Examples
    --------
    >>> from estimator.campus import from_presets
    >>> d = campus_to_dict(from_presets(["h100-sxm"], [1000], names=["Hall 1"], online=["2025-01-01"]))
    >>> d["catalog"], d["block"][0]["name"], d["block"][0]["online"], d["block"][0]["gpus"]
    ('2026.12', 'Hall 1', '2025-01-01', 1000.0)
    """
    from estimator.campus import Campus

    if not isinstance(c, Campus):
        raise TypeError(f"expected a Campus (got {type(c).__name__})")
    out: dict[str, Any] = {}
    for key, value in (("name", name), ("description", description)):
        if value is not None:
            out[key] = _text(key, value)
    blocks = []
    for block_name, s, online, retire in zip(c.names, c.scenarios, c.online, c.retire, strict=True):
        pairs = scenario_to_dict(s)
        if "catalog" in pairs:
            out["catalog"] = pairs.pop("catalog")
        dates = {"online": None if online is None else str(online), "retire": None if retire is None else str(retire)}
        blocks.append({"name": block_name, **{k: v for k, v in dates.items() if v is not None}, **pairs})
    out["block"] = blocks
    return out


def dumps_campus(c: Any, format: str = "toml", *, name: str | None = None, description: str | None = None) -> str:
    """A campus as the text of a TOML (``[[block]]`` tables) or JSON file; :func:`loads_campus` reads it back.

    Parameters
    ----------
    c : Campus
        The campus.
    format : {"toml", "json"}, default "toml"
        File format.
    name, description : str, optional
        Metadata written ahead of the blocks.

    Returns
    -------
    str
        The file's text, ending in a newline; floats read back exactly.

    Examples
    --------
    >>> from estimator.campus import from_presets
    >>> c = from_presets(["h100-sxm", "gb200"], [1000, 500], names=["A", "B"], online=["2025-01-01", "2026-01-01"])
    >>> again = loads_campus(dumps_campus(c))
    >>> again.names, [str(d) for d in again.online], [s.gpus for s in again.scenarios]
    (('A', 'B'), ['2025-01-01', '2026-01-01'], [1000.0, 500.0])
    """
    mapping = campus_to_dict(c, name=name, description=description)
    if _check_format(format) == "json":
        return json.dumps(mapping, ensure_ascii=False, allow_nan=False, indent=2) + "\n"
    top = {k: v for k, v in mapping.items() if k != "block"}
    lines = _dumps(top, "toml").rstrip("\n").split("\n")
    lines[0] = "# estimator campus: every value is an assumption; one [[block]] per block"
    for block in mapping["block"]:
        text = _dumps(block, "toml", version=mapping.get("catalog"))
        lines += ["", "[[block]]", *text.rstrip("\n").split("\n")[1:]]
    return "\n".join(lines) + "\n"


def save_campus(c: Any, path: str | os.PathLike[str], format: str | None = None, *,
                name: str | None = None, description: str | None = None) -> Path:
    """Write a campus file atomically (format from the suffix unless given); ``load_campus`` reads it back.

    Parameters
    ----------
    c : Campus
        The campus.
    path : str or path-like
        The file (``.toml`` or ``.json``).
    format : {"toml", "json"}, optional
        File format, overriding the suffix.
    name, description : str, optional
        Metadata written ahead of the blocks.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For a suffix other than ``.toml`` or ``.json`` without ``format``.
    OSError
        If the file cannot be written (or is not a regular file); the old file, if any, is left whole.
    """
    path = _path(path)
    return write_text_atomic(path, dumps_campus(c, _format_of(path, format), name=name, description=description))
