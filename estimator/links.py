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

A link that names a preset also records the catalogue it was made with:
``catalog=2026.12`` (:data:`estimator.catalog.VERSION`) and, for each value
the presets gave and the user did not type, ``catalog.<field>=<value>`` (in
the field's unit, the shortest text that reads back exactly). A reader with
the same catalogue ignores those; a reader with another one pins them
(:func:`estimator.resolve.check_catalogue`), so the link opens with the
values it was made with, and :attr:`LinkState.notice` says which of them
differ from today's presets.

Nothing here imports streamlit.

Examples
--------
>>> from estimator import links, resolve
>>> params = links.write({"accelerator": "h100-sxm"}, {"gpus": 1000, "pue": 1.3})
>>> params  # doctest: +NORMALIZE_WHITESPACE
{'accelerator': 'h100-sxm', 'catalog': '2026.12', 'gpus': '1000', 'pue': '1.3', 'catalog.gpu_watts': '700',
 'catalog.peak_flop_per_s': '9.894e14', 'catalog.server_overhead': '1.8214285714285714',
 'catalog.accelerators_per_rack': '32', 'catalog.network_overhead': '1.1', 'catalog.utilization': '1'}
>>> state = links.read(params)
>>> r = resolve.resolve(values=state.values, **state.presets, pinned=state.catalogue)
>>> r.values["pue"], r.provenance["network_overhead"].describe()
(1.3, 'nameplate (default)')
>>> old = links.read({**params, "catalog": "2025.06", "catalog.gpu_watts": "650"})
>>> old.catalogue.pinned["gpu_watts"], old.notice.split("; ")[-1]
(650.0, 'presets have changed since it was made: gpu_watts (h100-sxm) 650 W then, 700 W now.')
"""

from __future__ import annotations

import datetime
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from estimator import catalog, units, validate
from estimator import fields as _fields
from estimator import resolve as _resolve

#: Preset keys a link may carry (accelerator, methodology, site, precision, date).
LINK_PRESETS: tuple[str, ...] = tuple(p.name for p in _fields.PRESET_KEYS)

#: The parameter of the catalogue version, and the prefix of the preset values recorded with it.
CATALOG_PARAM = "catalog"
RECORDED_PREFIX = "catalog."


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
    catalog : str or None
        The catalogue version the link names (``catalog=``).
    recorded : dict
        Field → the preset value the link recorded (``catalog.<field>=``).
    catalogue : CatalogueCheck or None
        What :func:`estimator.resolve.check_catalogue` found: pass it to
        :func:`estimator.resolve.resolve` as ``pinned``; its ``pinned``
        values are applied when the link was made with another catalogue.
    notice : str or None
        For a link of another catalogue: which recorded values are used and
        which differ from today's presets; None otherwise.
    """

    presets: dict[str, str] = dataclass_field(default_factory=dict)
    values: dict[str, float | None] = dataclass_field(default_factory=dict)
    extra: dict[str, str] = dataclass_field(default_factory=dict)
    unknown: list[tuple[str, str | None]] = dataclass_field(default_factory=list)
    problems: list[str] = dataclass_field(default_factory=list)
    catalog: str | None = None
    recorded: dict[str, float] = dataclass_field(default_factory=dict)
    catalogue: _resolve.CatalogueCheck | None = None
    notice: str | None = None


def _closest(name: str, valid: list[str]) -> str | None:
    # Stricter than elsewhere: tracking parameters (utm_source, fbclid) should match nothing.
    return _fields.closest(name, valid, cutoff=0.75)


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, keeping a closing "did you mean" hint (lists of valid names are long)."""
    if len(text) <= limit:
        return text
    hint = text[text.rfind("; did you mean"):] if "; did you mean" in text else ""
    if hint and len(hint) < limit // 2:
        return text[:limit - len(hint)] + "…" + hint
    return text[:limit] + "…"


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
            elif name == CATALOG_PARAM:
                state.catalog = catalog.check_version(text, CATALOG_PARAM)
            elif name.startswith(RECORDED_PREFIX) and name[len(RECORDED_PREFIX):] in inputs:
                field = name[len(RECORDED_PREFIX):]
                value = float(validate.field(field, _number(text, inputs[field].unit, name)))
                if check is not None:
                    check(field, value)
                state.recorded[field] = value
            elif name in extra:
                extra[name](text)
                state.extra[name] = text
            elif name.startswith(RECORDED_PREFIX):
                close = _closest(name[len(RECORDED_PREFIX):], list(inputs))
                state.unknown.append((name, None if close is None else RECORDED_PREFIX + close))
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
    try:
        state.catalogue = _resolve.check_catalogue(state.catalog, state.recorded, state.presets, state.values,
                                                   "link")
    except (ValueError, TypeError):  # presets that cannot be resolved: the door names them
        state.catalogue = _resolve.CatalogueCheck(state.catalog, "link")
    state.notice = state.catalogue.message()
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


def _short_text(value: float) -> str:
    """Text that reads back to exactly this float, in exponent form where that is much shorter:
    ``9.894e14`` rather than ``989400000000000``, but ``1000``."""
    number = float(value)
    plain = _number_text(number)
    for digits in range(17):
        mantissa, exponent = f"{number:.{digits}e}".split("e")
        if float(f"{mantissa}e{exponent}") == number:
            short = f"{mantissa}e{int(exponent)}"
            return short if len(plain) > 6 and len(short) < len(plain) else plain  # "1000", not "1e3"
    return plain


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
        :func:`read` of the result gives the same presets, values and extra
        back. With a preset named, also ``catalog`` (the catalogue version)
        and ``catalog.<field>`` for each value the presets give that is not
        in ``values``: what a reader with another catalogue applies.

    Examples
    --------
    >>> write({"methodology": "nameplate", "site": None}, {"pue": 1.3, "wue": None},
    ...       {"explorer.budget": "1 GW"})  # doctest: +NORMALIZE_WHITESPACE
    {'methodology': 'nameplate', 'catalog': '2026.12', 'pue': '1.3', 'wue': '',
     'catalog.network_overhead': '1.1', 'catalog.utilization': '1', 'explorer.budget': '1 GW'}
    """
    out = {k: str(presets[k]) for k in LINK_PRESETS if presets.get(k)}
    named = {k: presets[k] for k in ("accelerator", "methodology", "site", "precision", "date") if presets.get(k)}
    recorded: dict[str, float] = {}
    if any(k in named for k in ("accelerator", "methodology", "site")):
        out[CATALOG_PARAM] = catalog.VERSION
        try:
            layers, _ = _resolve.preset_layers(**named)
        except (ValueError, TypeError):  # presets that cannot be resolved record nothing; the reader names them
            layers = {}
        recorded = {k: o.value for k, o in layers.items() if k not in values}
    for f in _fields.INPUTS:
        if f.name in values:
            value = values[f.name]
            if isinstance(value, list | tuple):
                raise ValueError(f"{f.name} is an array; only a scalar scenario fits in an address")
            out[f.name] = "" if value is None else _number_text(value)
    out.update((RECORDED_PREFIX + k, _short_text(v)) for k, v in recorded.items())
    out.update(extra or {})
    return out


# --------------------------------------------------------------------------- a campus's blocks

#: Most blocks a link carries (an address stays well under browsers' limits).
MAX_LINK_BLOCKS = 200


def write_blocks(names: Sequence[str], accelerators: Sequence[str], gpus: Sequence[float],
                 online: Sequence[datetime.date | str], methodologies: Sequence[str | None] | None = None,
                 sites: Sequence[str | None] | None = None) -> str:
    """A campus's blocks as one link value: ``name,accelerator,count,online[,methodology[,site]]`` per block,
    joined by ``;``.

    Parameters
    ----------
    names, accelerators : sequence of str
        Each block's name (percent-escaped, so it may hold any character) and accelerator preset key.
    gpus : sequence of numeric
        Accelerators in each block [count].
    online : sequence of date or str
        Each block's online date (ISO ``YYYY-MM-DD``).
    methodologies, sites : sequence of str or None, optional
        Each block's own methodology and site preset keys; None (or "") where the block takes the page's.
        Written only where some block has one.

    Returns
    -------
    str
        Text that :func:`read_blocks` reads back to the same blocks.

    Examples
    --------
    >>> write_blocks(["Hall 1", "Hall 2; east"], ["h100-sxm", "gb200"], [100_000, 50_000],
    ...              ["2025-01-01", "2025-10-01"])
    'Hall 1,h100-sxm,100000,2025-01-01;Hall 2%3B east,gb200,50000,2025-10-01'
    >>> write_blocks(["A", "B"], ["h100-sxm", "gb200"], [1000, 500], ["2025-01-01", "2026-01-01"],
    ...              sites=[None, "google-fleet"])
    'A,h100-sxm,1000,2025-01-01,,;B,gb200,500,2026-01-01,,google-fleet'
    """
    count = len(names)
    own = [[m or "" for m in (methodologies or [None] * count)], [x or "" for x in (sites or [None] * count)]]
    extra = 2 if any(own[1]) else 1 if any(own[0]) else 0
    return ";".join(",".join([urllib.parse.quote(str(n), safe=" "), str(a), _number_text(g), _iso(o),
                              *(column[i] for column in own[:extra])])
                    for i, (n, a, g, o) in enumerate(zip(names, accelerators, gpus, online, strict=True)))


def _iso(value: datetime.date | str) -> str:
    if isinstance(value, datetime.datetime):  # a pandas Timestamp too
        value = value.date()
    return value.isoformat() if isinstance(value, datetime.date) else str(value).strip()


def read_blocks(text: str, param: str = "campus.blocks") -> list[tuple[str, str, int, datetime.date,
                                                                     str | None, str | None]]:
    """Blocks from :func:`write_blocks`'s text; ValueError names the parameter, the block and the rule.

    Parameters
    ----------
    text : str
        The link value.
    param : str, default "campus.blocks"
        The parameter's name, for messages.

    Returns
    -------
    list of (str, str, int, datetime.date, str or None, str or None)
        Each block's name, accelerator key (normalized), count [count], online date, and its own
        methodology and site keys (None where the block takes the page's).

    Examples
    --------
    >>> read_blocks("Hall 1,H100 SXM,100k,2025-01-01")
    [('Hall 1', 'h100-sxm', 100000, datetime.date(2025, 1, 1), None, None)]
    >>> read_blocks("Hall 1,h100-sxm,1000,2025-01-01,epoch-ai-clusters")[0][4]
    'epoch-ai-clusters'
    >>> read_blocks("Hall 1,h100-sxm,24.576,2025-01-01")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: campus.blocks: block 1's count must be a whole number ... (got '24.576'; did you mean 24,576?)
    """
    parts = [p for p in text.strip().split(";") if p.strip()]
    if not parts:
        raise ValueError(f"{param} must hold at least one block name,accelerator,count,online (got {text!r:.60})")
    if len(parts) > MAX_LINK_BLOCKS:
        raise ValueError(f"{param} must hold at most {MAX_LINK_BLOCKS} blocks (got {len(parts)})")
    out: list[tuple[str, str, int, datetime.date, str | None, str | None]] = []
    for i, part in enumerate(parts, start=1):
        cells = part.split(",")
        if not 4 <= len(cells) <= 6:
            raise ValueError(f"{param}: block {i} must be name,accelerator,count,online[,methodology[,site]] "
                             f"(got {part.strip()!r:.80})")
        name = urllib.parse.unquote(cells[0]).strip()
        if not name:
            raise ValueError(f"{param}: block {i} must have a name (got {part.strip()!r:.80})")
        key = catalog.accelerator(cells[1]).key  # unknown: the valid names and the closest one
        count = units.parse(cells[2], "count", field=f"{param}: block {i}'s count")
        if not float(count).is_integer():
            hint = cells[2].strip().replace(".", "")
            raise ValueError(f"{param}: block {i}'s count must be a whole number of accelerators (got "
                             f"{cells[2].strip()!r}" + (f"; did you mean {int(hint):,}?)" if hint.isdigit() else ")"))
        try:
            validate.field("gpus", count)
        except ValueError as exc:
            raise ValueError(f"{param}: block {i}: {exc}") from None
        try:
            online = datetime.date.fromisoformat(cells[3].strip())
        except ValueError:
            raise ValueError(f"{param}: block {i}'s online date must be YYYY-MM-DD (got {cells[3].strip()!r:.40})") \
                from None
        own = [c.strip() or None for c in (*cells[4:], "", "")[:2]]
        try:
            method = None if own[0] is None else catalog.methodology(own[0]).key
            place = None if own[1] is None else catalog.site(own[1]).key
        except ValueError as exc:
            raise ValueError(f"{param}: block {i}: {exc}") from None
        if name in (n for n, *_ in out):
            raise ValueError(f"{param}: block {i}'s name {name!r} is taken by another block (names must be unique)")
        out.append((name, key, int(count), online, method, place))
    return out
