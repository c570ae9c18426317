"""One resolution of presets, with provenance, used by every door.

A scenario's values are resolved in one order: the accelerator (at its
``precision``), then the methodology (at its ``date``, for methods that vary
by year), then the site (a site's PUE overrides a methodology's), then the
user's own values. Every value records where it came from in an
:class:`Origin`, so a door can say which values are presets, which are
defaults and which the user typed, and a preset change can replace only the
values that preset owns and the user has not typed.

Default policy: when no methodology is named, :data:`DEFAULT_METHODOLOGY`
applies and its values are marked ``"default"``. No preset door invents an
MFU. Without an accelerator preset, ``server_overhead`` must be given.

Examples
--------
>>> from estimator import resolve
>>> r = resolve.resolve("h100-sxm", values={"gpus": 1000})
>>> r.values["pue"], r.provenance["pue"].origin, r.provenance["pue"].preset
(1.2, 'default', 'nameplate')
>>> r.provenance["gpus"].origin
'user'
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from estimator import catalog, fields

#: The methodology every preset door applies when none is named.
DEFAULT_METHODOLOGY = "nameplate"

#: Precisions an accelerator preset knows.
PRECISIONS: tuple[str, ...] = fields.PRESETS["precision"].choices

OriginKind = Literal["accelerator", "methodology", "site", "default", "user", "pinned"]

#: Origins whose value comes from the catalogue (a default origin with a preset is the default methodology).
CATALOGUE_ORIGINS: tuple[str, ...] = ("accelerator", "methodology", "site")

#: Where an explicit Scenario's neutral defaults come from.
NEUTRAL_SOURCE = ("Project assumption: the neutral value of a ratio (1.0 adds nothing), "
                  "documented in docs/methodology.md ('Default policy')")


@dataclass(frozen=True)
class Origin:
    """Where one value of a scenario came from.

    Parameters
    ----------
    origin : {"accelerator", "methodology", "site", "default", "user", "pinned"}
        The layer that set the value. ``"default"`` marks both the neutral
        defaults of an explicit Scenario and the values of the default
        methodology when none was named. ``"pinned"`` marks a preset value
        a file or link recorded with another catalogue version, applied as
        it was (see :func:`check_catalogue`); like the user's, it is kept
        by writers and by a preset change.
    preset : str or None
        The preset's catalogue key (``"h100-sxm"``, ``"nameplate"``), if any;
        for a pinned value, the preset that gives the field today.
    source : str
        The public source of a preset value, or what the default is; empty
        for the user's own values.
    note : str
        How the figure was derived.
    confirmed : bool
        False where the figure is only in a secondary source, implied or estimated.
    value : float or None
        The value this layer gives (the user's value for ``"user"``); with
        :attr:`preset_value`, what a reset goes back to.
    preset_value : float or None
        For a user value, what the presets would give (None if they give none).
    """

    origin: OriginKind
    preset: str | None = None
    source: str = ""
    note: str = ""
    confirmed: bool = True
    value: Any = None
    preset_value: Any = None

    @property
    def is_user(self) -> bool:
        """Whether the user gave this value (a pinned value, which a file or link gave, counts)."""
        return self.origin in ("user", "pinned")

    @property
    def is_catalogue(self) -> bool:
        """Whether the value comes from the current catalogue (a preset or the default methodology)."""
        return self.origin in CATALOGUE_ORIGINS or (self.origin == "default" and self.preset is not None)

    def describe(self) -> str:
        """A short text for a table: ``"user"``, ``"accelerator h100-sxm"``, ``"nameplate (default)"``,
        ``"pinned: catalogue 2025.06"``."""
        if self.origin == "pinned":
            return f"pinned: {self.note}" if self.note else "pinned"
        if self.origin == "default":
            return f"{self.preset} (default)" if self.preset else "default"
        return self.origin if self.preset is None else f"{self.origin} {self.preset}"


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve`.

    Attributes
    ----------
    values : dict
        Scenario field → value, in the field's base unit.
    provenance : dict
        Scenario field → :class:`Origin`, for every value in ``values``.
    presets : dict
        The preset keys applied (``accelerator``, ``methodology``, ``site``,
        ``precision``, ``date``), None where not named; ``methodology`` holds
        the default methodology's key when it was applied by default.
    """

    values: dict[str, Any]
    provenance: dict[str, Origin]
    presets: dict[str, str | None] = field(default_factory=dict)

    def preset_values(self) -> dict[str, Any]:
        """What the presets (and defaults) give, before the user's values."""
        out = {}
        for name, origin in self.provenance.items():
            if origin.is_user:
                if origin.preset_value is not None:
                    out[name] = origin.preset_value
            else:
                out[name] = origin.value
        return out


def check_precision(precision: object) -> str:
    """A precision key, normalized; the error lists the valid ones."""
    if not isinstance(precision, str) or precision.strip().lower() not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)} (got {precision!r})")
    return precision.strip().lower()


def check_date(date: object) -> str | None:
    """An ISO date (``YYYY-MM-DD``) or None; the error names the field and the rule."""
    if date is None:
        return None
    if isinstance(date, datetime.date):
        return date.isoformat()[:10]
    if not isinstance(date, str):
        raise TypeError(f"date must be text YYYY-MM-DD (got {date!r})")
    try:
        return datetime.date.fromisoformat(date.strip()).isoformat()
    except ValueError:
        raise ValueError(f"date must be a date YYYY-MM-DD (got {date!r})") from None


def _layer(kind: OriginKind, key: str, sourced: Mapping[str, catalog.Sourced]) -> dict[str, Origin]:
    return {name: Origin(kind, key, s.source, s.note, s.confirmed, s.value) for name, s in sourced.items()}


def preset_layers(accelerator: str | None = None, methodology: str | None = None, site: str | None = None,
                  precision: str = "bf16", date: str | None = None, *,
                  default_methodology: str | None = DEFAULT_METHODOLOGY) -> tuple[dict[str, Origin], dict[str, Any]]:
    """The presets' values with their origins, before any user value.

    Parameters
    ----------
    accelerator, methodology, site : str, optional
        Catalogue keys.
    precision : {"bf16", "fp8"}
        Which dense peak the accelerator gives.
    date : str, optional
        ISO date the methodology is applied at.
    default_methodology : str or None
        Applied (and marked ``"default"``) when ``methodology`` is None and
        an accelerator is named; None applies none.

    Returns
    -------
    (dict, dict)
        Field → :class:`Origin`, and the presets applied.
    """
    precision = check_precision(precision)
    date = check_date(date)
    layers: dict[str, Origin] = {}
    part = None
    if accelerator is not None:
        part = catalog.accelerator(accelerator)
        if precision == "fp8" and part.peak_flop_per_s_fp8 is None:
            raise ValueError(f"precision 'fp8': accelerator {part.key!r} has no published FP8 peak in the "
                             "catalogue; use precision 'bf16' or give peak_flop_per_s")
        layers.update(_layer("accelerator", part.key, part.sourced_assumptions(precision)))
    method_kind: OriginKind = "methodology"
    if methodology is None and part is not None and default_methodology is not None:
        methodology, method_kind = default_methodology, "default"
    if methodology is not None:
        method = catalog.methodology(methodology)
        if part is not None:
            # A methodology that keeps the accelerator's own server ratio leaves it the accelerator's.
            sourced = {k: v for k, v in method.sourced_assumptions(part, date=date).items()
                       if not (k == "server_overhead" and v is part.server_overhead)}
        else:
            sourced = method.sourced_assumptions_without_accelerator(date=date)
        layers.update(_layer(method_kind, method.key, sourced))
        methodology = method.key
    if site is not None:
        place = catalog.site(site)
        layers.update(_layer("site", place.key, place.sourced_assumptions()))
        site = place.key
    presets = {"accelerator": None if part is None else part.key, "methodology": methodology, "site": site,
               "precision": precision, "date": date}
    return layers, presets


def resolve(accelerator: str | None = None, methodology: str | None = None, site: str | None = None,
            precision: str = "bf16", date: str | None = None, values: Mapping[str, Any] | None = None, *,
            default_methodology: str | None = DEFAULT_METHODOLOGY, require_server_overhead: bool = True,
            pinned: CatalogueCheck | None = None) -> Resolution:
    """Resolve presets and the user's values into a scenario's values, with provenance.

    Parameters
    ----------
    accelerator, methodology, site : str, optional
        Catalogue keys (see :func:`estimator.accelerators`,
        :func:`estimator.methodologies`, :func:`estimator.sites`).
    precision : {"bf16", "fp8"}, default "bf16"
        Which dense peak the accelerator preset gives; MFU is relative to it.
    date : str, optional
        ISO date the methodology is applied at, for methods that vary by year.
    values : mapping, optional
        The user's own values (Scenario field → value in its base unit);
        applied last. A None value means "not given".
    default_methodology : str or None, default "nameplate"
        The methodology applied when none is named (with an accelerator).
    require_server_overhead : bool, default True
        Refuse a scenario without an accelerator preset that does not give
        ``server_overhead`` (the preset doors' policy).
    pinned : CatalogueCheck, optional
        What :func:`check_catalogue` found in a file or link made with
        another catalogue: its recorded preset values are applied in place of
        the current presets' (origin ``"pinned"``), under the user's values.

    Returns
    -------
    Resolution

    Raises
    ------
    ValueError
        On an unknown preset (the valid names listed), an unknown field (the
        closest suggested), FP8 on a part without an FP8 peak, or a missing
        ``server_overhead`` without an accelerator.
    """
    values = {k: v for k, v in (values or {}).items() if v is not None}
    recorded = {} if pinned is None else {k: v for k, v in pinned.pinned.items() if k not in values}
    unknown = sorted((set(values) | set(recorded)) - set(fields.inputs()))
    if unknown:
        raise ValueError(_unknown_field(unknown[0]))
    layers, presets = preset_layers(accelerator, methodology, site, precision, date,
                                    default_methodology=default_methodology)
    if require_server_overhead and presets["accelerator"] is None and "server_overhead" not in values \
            and "server_overhead" not in layers and "server_overhead" not in recorded:
        raise ValueError("server_overhead must be given when no accelerator preset is named "
                         "(or name one: " + ", ".join(catalog.accelerators()) + ")")
    provenance: dict[str, Origin] = {}
    out: dict[str, Any] = {}
    for f in fields.INPUTS:
        preset = layers.get(f.name)
        if f.name in values:
            out[f.name] = values[f.name]
            provenance[f.name] = Origin("user", value=values[f.name],
                                        preset_value=None if preset is None else preset.value)
        elif f.name in recorded:
            out[f.name] = recorded[f.name]
            assert pinned is not None
            provenance[f.name] = Origin("pinned", None if preset is None else preset.preset,
                                        f"recorded in the {pinned.where} with catalogue {pinned.version}",
                                        f"catalogue {pinned.version}", value=recorded[f.name],
                                        preset_value=None if preset is None else preset.value)
        elif preset is not None:
            out[f.name] = preset.value
            provenance[f.name] = preset
        elif f.default is not None:
            out[f.name] = f.default
            provenance[f.name] = Origin("default", None, NEUTRAL_SOURCE, value=f.default)
    return Resolution(out, provenance, presets)


def _unknown_field(name: str) -> str:
    close = fields.closest_input(name)
    hint = f"did you mean {close!r}? " if close else ""
    return f"unknown field {name!r} ({hint}valid fields: {', '.join(fields.inputs())})"


def explicit_provenance(values: Mapping[str, Any]) -> dict[str, Origin]:
    """Provenance of an explicit ``Scenario(...)``: the given values are the user's, the rest defaults."""
    out = {}
    for f in fields.INPUTS:
        if values.get(f.name) is not None:
            out[f.name] = Origin("user", value=values[f.name])
        elif f.default is not None:
            out[f.name] = Origin("default", None, NEUTRAL_SOURCE, value=f.default)
    return out


# --------------------------------------------------------------------------- catalogue versions

class CatalogueWarning(UserWarning):
    """A file or link was made with another catalogue: its recorded preset values are used."""


@dataclass(frozen=True)
class CatalogueCheck:
    """What :func:`check_catalogue` found: the recorded values to pin, and how they differ from today's.

    Attributes
    ----------
    version : str or None
        The catalogue version the file or link names (None: it names none).
    where : str
        ``"file"`` or ``"link"``, for messages.
    pinned : dict
        Field → recorded value, to apply in place of the current presets'
        (empty when the version is the current one).
    changes : tuple of (str, str or None, float, float or None)
        Field, the preset that gives it today, the recorded value and the
        current preset value (None if no preset gives it today), for the
        pinned values that differ from today's.
    added : tuple of str
        Fields the current presets give that the file or link did not
        record; they take the current catalogue's values.
    """

    version: str | None
    where: str = "file"
    pinned: dict[str, Any] = field(default_factory=dict)
    changes: tuple[tuple[str, str | None, Any, Any], ...] = ()
    added: tuple[str, ...] = ()
    current: bool = True

    def message(self) -> str | None:
        """The notice for a reader, or None when the catalogue is the current one.

        It says which version the file or link was made with, that its
        recorded preset values are used, and lists each one that differs
        from the current catalogue (or says that none differs).
        """
        if self.current:
            return None
        made = (f"this {self.where} was made with catalogue {self.version}" if self.version
                else f"this {self.where} names no catalogue version")
        head = f"{made}; the presets are now catalogue {catalog.VERSION}"
        if not self.pinned:
            return (f"{head}. It records no preset values, so the current catalogue's values are used "
                    "(they may differ from what it was made with).")
        if self.changes:
            parts = []
            for name, preset, then, now in self.changes:
                unit = fields.FIELDS[name].unit
                now_text = "no preset value now" if now is None else f"{_shown(now, unit)} now"
                parts.append(f"{name}{f' ({preset})' if preset else ''} {_shown(then, unit)} then, {now_text}")
            body = "presets have changed since it was made: " + "; ".join(parts)
        else:
            body = "none of its recorded preset values differs from the current catalogue"
        tail = (f". The current catalogue also gives {', '.join(self.added)}, which it did not record."
                if self.added else ".")
        return f"{head}. It opens with the preset values it was made with ({len(self.pinned)} pinned); {body}{tail}"


def _shown(value: Any, unit: str) -> str:
    from estimator import units  # units is heavy; only a notice needs it

    return units.format_value(float(value), unit)


def recorded_values(provenance: Mapping[str, Origin], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values a writer records with the catalogue version: those the current catalogue gave.

    Parameters
    ----------
    provenance : mapping of str to Origin
        A scenario's provenance.
    values : mapping
        Its values (field → value in the base unit).

    Returns
    -------
    dict
        Field → value for every field whose origin is a catalogue preset
        (or the default methodology), in registry order; the user's and
        pinned values are written as values of their own, and neutral
        defaults are not the catalogue's.
    """
    return {f.name: values[f.name] for f in fields.INPUTS
            if f.name in provenance and provenance[f.name].is_catalogue and values.get(f.name) is not None}


def check_catalogue(version: str | None, recorded: Mapping[str, Any], presets: Mapping[str, Any],
                    values: Mapping[str, Any], where: str = "file") -> CatalogueCheck:
    """Compare what a file or link recorded with the current catalogue, and say what to pin.

    The scheme: a writer records the catalogue version and the values its
    presets gave (:func:`recorded_values`). A reader with the same version
    ignores the recorded values (the presets give the same ones). A reader
    with another version, or a file or link with recorded values but no
    version, pins the recorded values, so that it opens with the values it
    was made with, and says which differ from the current catalogue. A
    hand-written file that names no version and records nothing uses the
    current presets, as before.

    Parameters
    ----------
    version : str or None
        The version named (already checked by :func:`estimator.catalog.check_version`).
    recorded : mapping
        Field → recorded preset value, in the base unit (checked by the caller).
    presets : mapping
        The preset keys named (``accelerator``, ``methodology``, ``site``,
        ``precision``, ``date``), as for :func:`resolve`.
    values : mapping
        The file's or link's own values; a recorded value under one of them is not pinned.
    where : {"file", "link"}
        Named in the message.

    Returns
    -------
    CatalogueCheck

    Examples
    --------
    >>> c = check_catalogue("2025.06", {"gpu_watts": 650.0, "pue": 1.2},
    ...                     {"accelerator": "h100-sxm"}, {"gpus": 1000})
    >>> c.pinned, c.changes
    ({'gpu_watts': 650.0, 'pue': 1.2}, (('gpu_watts', 'h100-sxm', 650.0, 700.0),))
    >>> check_catalogue(catalog.VERSION, {"gpu_watts": 650.0}, {"accelerator": "h100-sxm"}, {}).pinned
    {}
    """
    if version == catalog.VERSION or (version is None and not recorded):
        return CatalogueCheck(version, where)
    known = {k: presets[k] for k in ("accelerator", "methodology", "site", "precision", "date")
             if presets.get(k) is not None}
    layers, _ = preset_layers(**known)
    given = {k for k, v in values.items() if v is not None}
    pinned = {k: v for k, v in recorded.items() if k not in given}
    changes = []
    for name, then in pinned.items():
        layer = layers.get(name)
        if layer is None or float(layer.value) != float(then):
            changes.append((name, None if layer is None else layer.preset, then,
                            None if layer is None else layer.value))
    added = tuple(k for k in layers if k not in recorded and k not in given)
    return CatalogueCheck(version, where, pinned, tuple(changes), added, current=False)
