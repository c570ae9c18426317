"""Links: a scenario and its presets in the address bar, and back.

The dashboard's address is written by :func:`write` and read by :func:`read`:
the presets, the values the user typed (only those, so a link reproduces
exactly and stays short) and each page's inputs under a page prefix
(``explorer.budget=1 GW``). Values are read by :func:`estimator.units.parse`
in the field's unit, as files and the command line read them (``gpus=100k``).
:func:`read` never raises: unknown parameters (``utm_source``, ``fbclid``,
typos) are ignored and named with the closest valid key, and a bad value of a
known parameter drops only that value, with a message naming the field, the
value and the rule. What a link means is then resolved as at every door
(:func:`estimator.resolve.resolve`).

Nothing here imports streamlit.

Examples
--------
>>> from estimator import links, resolve
>>> params = links.write({"accelerator": "h100-sxm"}, {"gpus": 1000, "pue": 1.3})
>>> params
{'accelerator': 'h100-sxm', 'gpus': '1000', 'pue': '1.3'}
>>> state = links.read(params)
>>> r = resolve.resolve(values=state.values, **state.presets)
>>> r.values["pue"], r.provenance["network_overhead"].describe()
(1.3, 'nameplate (default)')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from estimator import catalog, units, validate
from estimator import fields as _fields
from estimator import resolve as _resolve

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
    # Stricter than elsewhere: tracking parameters (utm_source, fbclid) should match nothing.
    return _fields.closest(name, valid, cutoff=0.75)


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
