"""Links: a scenario and its presets in the address bar, and back.

A dashboard address such as ``/?accelerator=h100-sxm&methodology=nameplate&gpus=100000``
restores the scenario it was written from: :func:`query_from_scenario` writes
the query parameters (numbers with ``repr``, so they read back exactly) and
:func:`scenario_from_query` reads them, validating every value and naming the
closest valid parameter for a near miss (``PUE`` → ``pue``). The preset keys
(:data:`PRESET_PARAMS`) are applied first, as in a scenario file, and the
values given on top.

The dashboard's own address is written by :func:`write` and read by
:func:`read`: the presets, the values the user typed (only those, so a link
reproduces exactly and stays short) and each page's inputs under a page prefix
(``explorer.budget=1 GW``). Values are read by :func:`estimator.units.parse`
in the field's unit, as files and the command line read them (``gpus=100k``).
:func:`read` never raises: unknown parameters (``utm_source``, ``fbclid``,
typos) are ignored and named with the closest valid key, and a bad value of a
known parameter drops only that value, with a message naming the field, the
value and the rule. The older pair :func:`scenario_from_query` /
:func:`query_from_scenario` writes every value and refuses a bad link whole.

Nothing here imports streamlit.

Examples
--------
>>> from estimator import links
>>> from estimator.scenario import Scenario
>>> s = Scenario.from_accelerator("h100-sxm", gpus=1000, methodology="nameplate")
>>> params = links.query_from_scenario(s, {"accelerator": "h100-sxm", "methodology": "nameplate"})
>>> fields, presets = links.scenario_from_query(params)
>>> fields["gpus"], presets["accelerator"]
(1000.0, 'h100-sxm')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from estimator import catalog, units, validate
from estimator import fields as _fields
from estimator import resolve as _resolve
from estimator.scenario import Scenario, preset_assumptions
from estimator.tables import _peak

PRESET_PARAMS = ("accelerator", "methodology", "site", "precision")
"""Query-parameter names of the preset pickers (catalogue keys, and "bf16" or "fp8")."""


def _query_number(name: str, text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {text!r})") from None


def scenario_from_query(params: Mapping[str, str], defaults: Mapping[str, float] | None = None,
                        default_presets: Mapping[str, str] | None = None,
                        ) -> tuple[dict[str, float | None], dict[str, str | None]]:
    """Read a scenario and its preset keys from URL query parameters, validating everything.

    Parameters
    ----------
    params : mapping of str to str
        Query parameters: Scenario field names with numbers in the field's own
        unit; ``accelerator``, ``methodology``, ``site`` preset keys and
        ``precision`` ("bf16" or "fp8"). An empty value means "not given":
        an empty field is left unset (None), an empty preset is as if absent.
    defaults : mapping of str to float, optional
        Field values that stand under the presets, for fields that neither
        the presets nor the parameters give (the dashboard's own defaults,
        such as the fleet size and the period).
    default_presets : mapping of str to str, optional
        Preset keys used where the parameters name none, so a short link
        reads exactly as if those presets had been picked and only the given
        values typed.

    Returns
    -------
    fields : dict
        Every Scenario field, float or None, validated by :class:`Scenario`:
        the presets' values first (as in a scenario file), then the
        parameters given.
    presets : dict
        ``accelerator``, ``methodology``, ``site``: catalogue keys or None;
        ``precision``: "bf16", "fp8" or None.

    Raises
    ------
    ValueError
        On an unknown parameter (with the closest valid one suggested), a
        value that is not a number, a missing required field, a value that
        breaks its field's rule, or an unknown preset key.
    """
    import difflib

    names = Scenario.field_names()
    valid = (*names, *PRESET_PARAMS)
    unknown = sorted(set(params) - set(valid))
    if unknown:
        # "PUE", "gpu-watts" and "GPU Watts" are near misses of "pue" and "gpu_watts".
        normal = "_".join(unknown[0].strip().lower().replace("-", " ").split())
        close = difflib.get_close_matches(normal, valid, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown parameter {unknown[0]!r} in the address (valid: {', '.join(valid)}){hint}")
    chosen = dict(default_presets or {})
    chosen.update({p: params[p] for p in PRESET_PARAMS if params.get(p, "") != ""})
    named = tuple(chosen.get(p, "") for p in PRESET_PARAMS)
    # Only text is hashable for the cache; anything else gets the uncached call and its TypeError.
    resolve = _query_presets if all(isinstance(t, str) for t in named) else _query_presets.__wrapped__
    presets, preset_values = resolve(*named)
    presets = dict(presets)
    values: dict[str, float | None] = {k: float(v) for k, v in (defaults or {}).items() if k in names}
    values.update(preset_values)
    for n in names:
        text = params.get(n)
        if text is not None:
            values[n] = None if text == "" else _query_number(n, text)
    missing = [n for n in ("gpus", "gpu_watts") if values.get(n) is None]
    if missing:
        raise ValueError(f"{missing[0]} is required in a shared address")
    s = Scenario(**{k: v for k, v in values.items() if v is not None})
    return {k: v for k, v in s.to_dict().items()}, presets


@functools.lru_cache(maxsize=128)
def _query_presets(accelerator: str, methodology: str, site: str,
                   precision: str) -> tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, float], ...]]:
    """Preset keys named in a query string and the Scenario fields they fill.

    Cached: the dashboard asks this of the same few presets on every rerun
    (to write the address bar), and each catalogue lookup rebuilds the
    catalogue. Errors are not cached; the result is immutable.
    """
    presets: dict[str, str | None] = dict.fromkeys(PRESET_PARAMS)
    finders = {"accelerator": catalog.accelerator, "methodology": catalog.methodology, "site": catalog.site}
    for p, text in (("accelerator", accelerator), ("methodology", methodology), ("site", site)):
        if text:
            presets[p] = finders[p](text).key
    if precision:
        if precision not in ("bf16", "fp8"):
            raise ValueError(f"precision must be 'bf16' or 'fp8' (got {precision!r})")
        presets["precision"] = precision
    values: dict[str, float] = {}
    if presets["accelerator"] is not None:
        # As in a scenario file: presets first, explicit values on top.
        values.update(preset_assumptions(presets["accelerator"], presets["methodology"], presets["site"]))
        if presets["precision"] == "fp8":
            values["peak_flop_per_s"] = _peak(catalog.accelerator(presets["accelerator"]), "fp8")[0]
    elif presets["methodology"] is not None:
        raise ValueError(f"methodology {presets['methodology']!r} needs an accelerator too: "
                         "its server overhead depends on the accelerator")
    elif presets["site"] is not None:
        values.update(catalog.site(presets["site"]).assumptions())
    return tuple(presets.items()), tuple(values.items())


def query_from_scenario(scenario: Scenario, presets: Mapping[str, str | None],
                        defaults: Mapping[str, float] | None = None) -> dict[str, str]:
    """URL query parameters that restore a scalar scenario and its presets.

    Parameters
    ----------
    scenario : Scenario
        Scalar scenario.
    presets : mapping
        ``accelerator``, ``methodology``, ``site``, ``precision`` keys or None.
    defaults : mapping of str to float, optional
        The ``defaults`` the reader will pass to :func:`scenario_from_query`:
        a field unset here that a default would fill is written empty.

    Returns
    -------
    dict of str to str
        Numbers written with ``repr`` so they read back exactly; a field not
        given is left out, or written empty where a preset would otherwise
        fill it. ``scenario_from_query`` of the result gives ``scenario`` back.
    """
    out = {p: presets[p] for p in PRESET_PARAMS if presets.get(p)}
    supplied = (scenario_from_query({**out, "gpus": "1", "gpu_watts": "1"}, defaults)[0]
                if out or defaults else {})
    for name, value in scenario.to_dict().items():
        if value is None:
            if supplied.get(name) is not None:
                out[name] = ""  # "not given", so the preset's value is not restored in its place
            continue
        if isinstance(value, list):
            raise ValueError(f"{name} is an array; only a scalar scenario fits in an address")
        number = float(value)
        out[name] = repr(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    return out


# --------------------------------------------------------------------------- links that travel
#
# The dashboard's address carries the presets, the values the user typed (and only those, so a
# link stays short and reads back exactly) and each page's own inputs, under a page prefix
# (``explorer.budget=1 GW``). Values are read as files and the command line read them, by
# :func:`estimator.units.parse` in the field's unit (``gpus=100k`` works). A link never fails as
# a whole: an unknown parameter (``utm_source``, ``fbclid``, a typo) is ignored and named, with
# the closest valid key; a bad value of a known parameter drops only that value, with a message
# naming the field, the value and the rule.

#: Preset keys a link may carry (accelerator, methodology, site, precision, date).
LINK_PRESETS: tuple[str, ...] = tuple(p.name for p in _fields.PRESET_KEYS)


@dataclass
class LinkState:
    """What :func:`read` found in an address.

    Attributes
    ----------
    presets : dict
        Preset key → catalogue key (normalized), precision or ISO date.
    values : dict
        Scenario field → value in its base unit; None where the link empties
        the field ("not given": a preset's value is not restored in its place).
    extra : dict
        Page parameters the caller declared (``explorer.budget``), as text.
    unknown : list of (str, str or None)
        Parameters ignored, each with the closest valid key (None if none is close).
    problems : list of str
        One message per dropped value, naming the field, the value and the rule.
    """

    presets: dict[str, str] = dataclass_field(default_factory=dict)
    values: dict[str, float | None] = dataclass_field(default_factory=dict)
    extra: dict[str, str] = dataclass_field(default_factory=dict)
    unknown: list[tuple[str, str | None]] = dataclass_field(default_factory=list)
    problems: list[str] = dataclass_field(default_factory=list)


def _closest(name: str, valid: list[str]) -> str | None:
    import difflib

    normal = "_".join(str(name).strip().lower().replace("-", " ").split())
    close = difflib.get_close_matches(normal, valid, n=1, cutoff=0.75)
    return close[0] if close else None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _read_preset(name: str, text: str) -> str:
    if name == "accelerator":
        return catalog.accelerator(text).key
    if name == "methodology":
        return catalog.methodology(text).key
    if name == "site":
        return catalog.site(text).key
    if name == "precision":
        return _resolve.check_precision(text)
    return _resolve.check_date(text) or ""


def read(params: Mapping[str, str], extra: Mapping[str, Callable[[str], object]] | None = None,
         check: Callable[[str, float], None] | None = None) -> LinkState:
    """Read presets, typed values and page parameters from a query string; never raises.

    Parameters
    ----------
    params : mapping of str to str
        Query parameters.
    extra : mapping of str to callable, optional
        Page parameter → a checker that raises ValueError (naming the rule)
        on a bad value; a value it accepts is kept as text in ``extra``.
    check : callable, optional
        Called with (field, value) after the library's rule; raises
        ValueError for a value the caller cannot hold (e.g. beyond a widget's range).

    Returns
    -------
    LinkState

    Examples
    --------
    >>> state = read({"accelerator": "B200", "gpus": "100k", "utm_source": "x", "pue": "0.9"})
    >>> state.presets, state.values, state.unknown
    ({'accelerator': 'b200'}, {'gpus': 100000.0}, [('utm_source', None)])
    >>> state.problems
    ["pue='0.9' was dropped: pue must be >= 1 (got 0.9)"]
    """
    extra = dict(extra or {})
    inputs = {f.name: f for f in _fields.INPUTS}
    valid = [*LINK_PRESETS, *inputs, *extra]
    state = LinkState()
    for name in params:
        text = params[name]
        if not isinstance(text, str):
            state.problems.append(f"{_shorten(str(name))}: a parameter's value must be text (got {text!r:.60})")
            continue
        shown = f"{_shorten(name)}={_shorten(text, 120)!r}"
        try:
            if name in LINK_PRESETS:
                if text.strip():
                    state.presets[name] = _read_preset(name, text)
            elif name in inputs:
                f = inputs[name]
                if text.strip() == "":
                    if f.required:
                        raise ValueError(f"{name} is required in a shared address ({f.help}); an empty value "
                                         "would leave it out")
                    state.values[name] = None
                    continue
                value = float(validate.field(name, _number(text, f.unit, name)))
                if check is not None:
                    check(name, value)
                state.values[name] = value
            elif name in extra:
                extra[name](text)
                state.extra[name] = text
            else:
                state.unknown.append((name, _closest(name, valid)))
        except (ValueError, TypeError) as exc:
            state.problems.append(f"{shown} was dropped: {_shorten(str(exc), 300)}")
    # FP8 on a part without a published FP8 peak: the precision is what is dropped.
    if state.presets.get("precision") == "fp8" and "accelerator" in state.presets:
        part = catalog.accelerator(state.presets["accelerator"])
        if part.peak_flop_per_s_fp8 is None:
            del state.presets["precision"]
            state.problems.append(f"precision='fp8' was dropped: accelerator {part.key!r} has no published "
                                  "FP8 peak in the catalogue (BF16 is used)")
    return state


def _number(text: str, unit: str, name: str) -> float:
    """A bare number is a number in the field's unit (and NaN or infinity meets the field's rule, which
    names it); anything else is read by :func:`estimator.units.parse`, as files and the command line read it."""
    plain = text.strip()
    if plain and all(ch in "0123456789+-.eEnaifNIFty" for ch in plain):
        try:
            return float(plain)
        except ValueError:
            pass
    return units.parse(text, unit, field=name)


def _number_text(value: float) -> str:
    number = float(value)
    return repr(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)


def write(presets: Mapping[str, str | None], values: Mapping[str, float | None],
          extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Query parameters for presets, the user's typed values and page parameters.

    Parameters
    ----------
    presets : mapping
        Preset key → key; None or "" is left out.
    values : mapping
        The user's own values (Scenario field → value in its base unit);
        None is written empty ("not given", so a preset's value is not restored).
    extra : mapping of str to str, optional
        Page parameters, already as text.

    Returns
    -------
    dict of str to str
        :func:`read` of the result gives the same presets, values and extra back.

    Examples
    --------
    >>> write({"accelerator": "h100-sxm", "site": None}, {"pue": 1.3, "wue": None}, {"explorer.budget": "1 GW"})
    {'accelerator': 'h100-sxm', 'pue': '1.3', 'wue': '', 'explorer.budget': '1 GW'}
    """
    out = {k: str(presets[k]) for k in LINK_PRESETS if presets.get(k)}
    for f in _fields.INPUTS:
        if f.name in values:
            value = values[f.name]
            if isinstance(value, list | tuple):
                raise ValueError(f"{f.name} is an array; only a scalar scenario fits in an address")
            out[f.name] = "" if value is None else _number_text(value)
    out.update(extra or {})
    return out
