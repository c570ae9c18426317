"""The preset catalogue: accelerators, methodologies, sites and reference clusters.

Presets are nominal public figures — vendor ratings, assumption sets others
have published, fleet averages, press reports of large clusters — used as
*assumptions* to start a scenario from. None of them is a measurement, and
every one can be overridden. Each number travels as a :class:`Sourced` value
with its unit, its citation (document and address), an optional note, and a
``confirmed`` flag that is ``False`` when the figure was read only in a
secondary source, is implied rather than stated, or is our own estimate.

The data live in ``estimator/data/*.toml`` and are read with
:mod:`importlib.resources` and :mod:`tomllib`. Each table is built and
validated once, on first use, and handed out read-only: the listings are
:class:`types.MappingProxyType` views of frozen dataclasses, whose own
per-accelerator tables are read-only too, so every caller sees the same
catalogue and none can change it for the next. :data:`VERSION` names the
catalogue's edition.

Names are looked up case-insensitively, and ``"_"`` or spaces match ``"-"``:
``accelerator("H100_SXM")`` is ``accelerator("h100-sxm")``. An unknown name
raises ``ValueError`` listing the valid names; a name that is not a string
raises ``TypeError``.

References
----------
.. [1] NVIDIA DGX H100 user guide: 10.2 kW maximum for 8 × H100 SXM5.
   https://docs.nvidia.com/dgx/dgxh100-user-guide/
.. [2] Epoch AI, training-cost-trends (energy.py, parameters.py).
   https://github.com/epoch-research/training-cost-trends
.. [3] Epoch AI, GPU clusters documentation, "Estimating power requirements".
   https://epoch.ai/data/gpu-clusters-documentation/estimation

Examples
--------
>>> from estimator import catalog
>>> h100 = catalog.accelerator("h100-sxm")
>>> h100.gpu_watts.value, h100.gpu_watts.unit
(700.0, 'W')
>>> round(catalog.methodology("epoch-ai").assumptions("a100-sxm")["server_overhead"], 3)
2.031
"""

from __future__ import annotations

import datetime
import functools
import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from estimator import fields

#: Edition of the catalogue (year.month of its latest review of sources). Files and links record
#: it with the preset values they were made with (see :func:`estimator.resolve.check_catalogue`).
VERSION = "2026.12"

# A catalogue version: year.month, optionally a third number for a revision within the month.
_VERSION_RULE = re.compile(r"\d{4}\.(0[1-9]|1[0-2])(\.\d{1,3})?")

__all__ = [
    "VERSION",
    "Accelerator",
    "Methodology",
    "ReferenceCluster",
    "Site",
    "Sourced",
    "accelerator",
    "accelerators",
    "check_version",
    "document",
    "methodologies",
    "methodology",
    "reference_cluster",
    "reference_clusters",
    "site",
    "sites",
]


def check_version(version: object, where: str = "catalog") -> str:
    """A catalogue version as a file or link names it, checked against the rule.

    Parameters
    ----------
    version : str
        ``YYYY.MM`` (the month 01 to 12), optionally ``.N``: ``"2026.12"``, ``"2027.03.1"``.
    where : str, default "catalog"
        The key or parameter that holds it, named in the message.

    Returns
    -------
    str
        The version, stripped of surrounding spaces.

    Raises
    ------
    TypeError
        If it is not text.
    ValueError
        If it does not follow the rule; the message names the key, the value and the rule.

    Examples
    --------
    >>> check_version(" 2026.12 ")
    '2026.12'
    >>> check_version("26.12")
    Traceback (most recent call last):
    ...
    ValueError: catalog must be a catalogue version YYYY.MM or YYYY.MM.N, e.g. '2026.12' (got '26.12')
    """
    rule = f"a catalogue version YYYY.MM or YYYY.MM.N, e.g. {VERSION!r}"
    if not isinstance(version, str):
        raise TypeError(f"{where} must be text, {rule} (got {version!r:.60})")
    if not _VERSION_RULE.fullmatch(version.strip()):
        raise ValueError(f"{where} must be {rule} (got {version!r:.60})")
    return version.strip()

_SOURCED_KEYS = frozenset({"value", "unit", "source", "note", "confirmed"})
_SOURCED_REQUIRED = ("value", "unit", "source")


@dataclass(frozen=True)
class Sourced:
    """A number with its unit and the public source it comes from.

    Parameters
    ----------
    value : float
        The figure, in ``unit``; stored as a finite float.
    unit : str
        Unit of ``value``, e.g. ``"W"``, ``"FLOP/s"``, ``"ratio"``.
    source : str
        Citation: document name and address (URL). Never empty.
    note : str, optional
        How the figure was derived or what it covers.
    confirmed : bool, optional
        ``False`` when the figure was read only in a secondary source, is
        implied rather than stated, or is an estimate. Default ``True``.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans included) or a text
        field is not a string.
    ValueError
        If ``value`` is NaN or infinite, or ``unit`` or ``source`` is empty.
    """

    value: float
    unit: str
    source: str
    note: str = ""
    confirmed: bool = True

    def __post_init__(self) -> None:
        value = self.value
        # bool is a numbers.Real subclass; a True here is always a data slip.
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"value must be a real number (got {value!r})")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be finite (got {value!r})")
        object.__setattr__(self, "value", value)
        for name in ("unit", "source", "note"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} must be a str (got {getattr(self, name)!r})")
        if not self.unit.strip():
            raise ValueError("unit must not be empty")
        if not self.source.strip():
            raise ValueError("source must not be empty: every value needs a citation")
        if not isinstance(self.confirmed, bool):
            raise TypeError(f"confirmed must be a bool (got {self.confirmed!r})")


@dataclass(frozen=True)
class Accelerator:
    """One accelerator part and its nominal figures.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"h100-sxm"``.
    name : str
        Full product name.
    vendor : str
        Maker of the part.
    year : int
        Year of introduction.
    gpu_watts : Sourced
        Board power at full load (TDP/TGP) [W].
    peak_flop_per_s : Sourced
        Dense BF16 tensor peak of one accelerator, without sparsity [FLOP/s].
    peak_flop_per_s_fp8 : Sourced or None
        Dense FP8 peak, or ``None`` where the part has no published FP8 peak
        [FLOP/s].
    server_overhead : Sourced
        Server wall power ÷ accelerator power for the part's typical server at
        full load, e.g. DGX H100 10,200 W ÷ (8 × 700 W) = 1.821 [unitless].
    note : str, optional
        What the figures cover.
    peak_flop_per_s_fp4 : Sourced or None, optional
        Dense FP4 peak where published, for information only: no scenario
        precision uses it [FLOP/s].
    memory_bytes : Sourced or None, optional
        High-bandwidth memory on one accelerator [B].
    memory_bandwidth_bytes_per_s : Sourced or None, optional
        Peak bandwidth of that memory [B/s].
    accelerators_per_server : Sourced or None, optional
        Accelerators in the part's typical server (or host) [count].
    accelerators_per_rack : Sourced or None, optional
        Accelerators in the part's typical rack, where a rack design is
        published [count].
    server_power_w : Sourced or None, optional
        Rated maximum power of that server [W].
    rack_power_w : Sourced or None, optional
        Rated or reported power of that rack [W].
    """

    key: str
    name: str
    vendor: str
    year: int
    gpu_watts: Sourced
    peak_flop_per_s: Sourced
    peak_flop_per_s_fp8: Sourced | None
    server_overhead: Sourced
    note: str = ""
    peak_flop_per_s_fp4: Sourced | None = None
    memory_bytes: Sourced | None = None
    memory_bandwidth_bytes_per_s: Sourced | None = None
    accelerators_per_server: Sourced | None = None
    accelerators_per_rack: Sourced | None = None
    server_power_w: Sourced | None = None
    rack_power_w: Sourced | None = None

    def sourced_assumptions(self, precision: str = "bf16") -> dict[str, Sourced]:
        """The scenario assumptions this accelerator sets, with their sources.

        Parameters
        ----------
        precision : {"bf16", "fp8"}, optional
            Which dense peak to use for ``peak_flop_per_s``. Default ``"bf16"``.

        Returns
        -------
        dict of str to Sourced
            ``gpu_watts`` [W], ``peak_flop_per_s`` [FLOP/s],
            ``server_overhead`` [unitless] and, where the part has a rack
            design, ``accelerators_per_rack`` [count].

        Raises
        ------
        ValueError
            If ``precision`` is unknown, or is ``"fp8"`` for a part without an
            FP8 peak.
        """
        if precision == "bf16":
            peak = self.peak_flop_per_s
        elif precision == "fp8":
            if self.peak_flop_per_s_fp8 is None:
                raise ValueError(f"accelerator {self.key!r} has no FP8 peak in the catalogue")
            peak = self.peak_flop_per_s_fp8
        else:
            raise ValueError(f"precision must be 'bf16' or 'fp8' (got {precision!r})")
        out = {
            "gpu_watts": self.gpu_watts,
            "peak_flop_per_s": peak,
            "server_overhead": self.server_overhead,
        }
        if self.accelerators_per_rack is not None:  # where a rack design is published: racks and kW per rack
            out["accelerators_per_rack"] = self.accelerators_per_rack
        return out

    def assumptions(self, precision: str = "bf16") -> dict[str, float]:
        """The scenario assumptions this accelerator sets, as plain numbers.

        Parameters
        ----------
        precision : {"bf16", "fp8"}, optional
            Which dense peak to use for ``peak_flop_per_s``. Default ``"bf16"``.

        Returns
        -------
        dict of str to float
            ``gpu_watts`` [W], ``peak_flop_per_s`` [FLOP/s] and
            ``server_overhead`` [unitless], keyed by scenario field name.

        Examples
        --------
        >>> accelerator("h100-sxm").assumptions()["gpu_watts"]
        700.0
        """
        return {k: v.value for k, v in self.sourced_assumptions(precision).items()}


@dataclass(frozen=True)
class Methodology:
    """A published set of assumptions for going from accelerator to facility power.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"epoch-ai"``.
    name : str
        Display name.
    description : str
        What the methodology assumes, in a sentence or two.
    source : str
        Citation of the methodology as a whole.
    server_overhead : Sourced or None
        Server ÷ accelerator ratio for every accelerator not listed in
        ``server_overhead_by_accelerator``; ``None`` means use each
        accelerator's own system-rated ratio [unitless].
    server_overhead_by_accelerator : mapping of str to Sourced
        Per-accelerator server ratios, keyed by accelerator catalogue name
        [unitless]. Stored read-only.
    network_overhead : Sourced
        Cluster IT power ÷ server power [unitless].
    pue : Sourced
        Facility power ÷ IT power; for a method that varies by date, the
        value used when no date is given [unitless].
    utilization : Sourced
        Average IT draw ÷ full-load IT draw [unitless].
    mfu : Sourced or None, optional
        Model FLOPs utilization, if the methodology sets one [unitless].
    utilization_by_accelerator : mapping of str to Sourced, optional
        Per-accelerator utilization overrides, e.g. Epoch AI's 0.43 for TPUs
        [unitless]. Stored read-only.
    pue_by_year : mapping of int to Sourced, optional
        PUE by calendar year of the scenario's ``date``; a date after the
        last year takes the last year's value, one before the first year the
        first year's [unitless]. Stored read-only.
    pue_annual_factor : Sourced or None, optional
        With ``pue_reference_date``: PUE(date) = ``pue`` ×
        factor^(years since the reference date, 365.25-day years)
        [unitless per year].
    pue_reference_date : str or None, optional
        ISO date at which ``pue`` applies for ``pue_annual_factor``.

    Notes
    -----
    Every table field is stored as a read-only mapping, so a catalogue entry
    cannot be changed by the code that looks it up.
    """

    key: str
    name: str
    description: str
    source: str
    server_overhead: Sourced | None
    # hash=False keeps the frozen dataclass hashable despite the mapping fields.
    server_overhead_by_accelerator: Mapping[str, Sourced] = field(hash=False)
    network_overhead: Sourced
    pue: Sourced
    utilization: Sourced
    mfu: Sourced | None = None
    utilization_by_accelerator: Mapping[str, Sourced] = field(default_factory=dict, hash=False)
    pue_by_year: Mapping[int, Sourced] = field(default_factory=dict, hash=False)
    pue_annual_factor: Sourced | None = None
    pue_reference_date: str | None = None

    def __post_init__(self) -> None:
        for name in ("server_overhead_by_accelerator", "utilization_by_accelerator", "pue_by_year"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):
                object.__setattr__(self, name, MappingProxyType(dict(value)))
        if (self.pue_annual_factor is None) != (self.pue_reference_date is None):
            raise ValueError(f"methodology {self.key!r}: pue_annual_factor and pue_reference_date "
                             "go together")
        if self.pue_reference_date is not None:
            _as_date(self.pue_reference_date, "pue_reference_date")

    @property
    def varies_by_date(self) -> bool:
        """Whether this methodology's PUE depends on the scenario's ``date``."""
        return bool(self.pue_by_year) or self.pue_annual_factor is not None

    def pue_at(self, date: str | datetime.date | None = None) -> Sourced:
        """This methodology's PUE at a date, with its source.

        Parameters
        ----------
        date : str or datetime.date, optional
            ISO date (``YYYY-MM-DD``) the methodology is applied at; None
            gives the undated value ``pue``.

        Returns
        -------
        Sourced
            The PUE [unitless]. A yearly table's own entry where the year is
            listed; a value computed from ``pue_annual_factor`` carries the
            formula in its note and is kept >= 1.

        Raises
        ------
        ValueError
            If ``date`` is not a date.

        Examples
        --------
        >>> methodology("epoch-ai-clusters").pue_at("2024-03-12").value
        1.12
        >>> round(methodology("epoch-ai-models").pue_at("2020-01-01").value, 7)
        1.124747
        """
        if date is None or not self.varies_by_date:
            return self.pue
        day = _as_date(date, "date")
        if self.pue_by_year:
            years = sorted(self.pue_by_year)
            year = min(max(day.year, years[0]), years[-1])
            entry = self.pue_by_year[year]
            if year == day.year:
                return entry
            edge = "after the last" if day.year > year else "before the first"
            return Sourced(entry.value, entry.unit, entry.source,
                           f"{day.year} is {edge} year of the table; {year}'s value. {entry.note}".strip(),
                           entry.confirmed)
        factor = self.pue_annual_factor
        assert factor is not None and self.pue_reference_date is not None
        years_since = (day - _as_date(self.pue_reference_date, "pue_reference_date")).days / DAYS_PER_YEAR
        value = self.pue.value * factor.value ** years_since
        note = (f"{self.pue.value:g} × {factor.value:g}^{years_since:.4f} (years since "
                f"{self.pue_reference_date} to {day.isoformat()})")
        if value < 1:
            note += f" = {value:.4f}, kept at 1.0: a PUE below 1 is impossible"
            value = 1.0
        return Sourced(value, self.pue.unit, f"{self.pue.source}; {factor.source}"
                       if factor.source != self.pue.source else self.pue.source,
                       note, self.pue.confirmed and factor.confirmed)

    def sourced_assumptions(self, accelerator: str | Accelerator,
                            date: str | datetime.date | None = None) -> dict[str, Sourced]:
        """This methodology's assumptions for one accelerator, with their sources.

        Parameters
        ----------
        accelerator : str or Accelerator
            Catalogue name or an :class:`Accelerator`.
        date : str or datetime.date, optional
            ISO date the methodology is applied at, for methods whose PUE
            varies by year (see :meth:`pue_at`); ignored by the others.

        Returns
        -------
        dict of str to Sourced
            ``server_overhead``, ``network_overhead``, ``pue``,
            ``utilization`` and, if set, ``mfu`` [unitless].

        Notes
        -----
        The server ratio is the accelerator's entry in
        ``server_overhead_by_accelerator`` if there is one, else the
        methodology's ``server_overhead``, else the accelerator's own.
        """
        part = _resolve_accelerator(accelerator)
        server = self.server_overhead_by_accelerator.get(part.key)
        if server is None:
            server = self.server_overhead if self.server_overhead is not None else part.server_overhead
        out = {
            "server_overhead": server,
            "network_overhead": self.network_overhead,
            "pue": self.pue_at(date),
            "utilization": self.utilization_by_accelerator.get(part.key, self.utilization),
        }
        if self.mfu is not None:
            out["mfu"] = self.mfu
        return out

    def sourced_assumptions_without_accelerator(self, date: str | datetime.date | None = None
                                                ) -> dict[str, Sourced]:
        """The assumptions this methodology sets for any accelerator, with their sources.

        Parameters
        ----------
        date : str or datetime.date, optional
            ISO date the methodology is applied at (see :meth:`pue_at`).

        Returns
        -------
        dict of str to Sourced
            ``network_overhead``, ``pue``, ``utilization``, and
            ``server_overhead`` and ``mfu`` where the methodology sets one
            for every accelerator [unitless].
        """
        out = {"network_overhead": self.network_overhead, "pue": self.pue_at(date),
               "utilization": self.utilization}
        if self.server_overhead is not None:
            out["server_overhead"] = self.server_overhead
        if self.mfu is not None:
            out["mfu"] = self.mfu
        return out

    def assumptions(self, accelerator: str | Accelerator,
                    date: str | datetime.date | None = None) -> dict[str, float]:
        """This methodology's assumptions for one accelerator, as plain numbers.

        Parameters
        ----------
        accelerator : str or Accelerator
            Catalogue name or an :class:`Accelerator`.
        date : str or datetime.date, optional
            ISO date the methodology is applied at (see :meth:`pue_at`).

        Returns
        -------
        dict of str to float
            ``server_overhead``, ``network_overhead``, ``pue``,
            ``utilization`` and, if set, ``mfu`` [unitless], keyed by scenario
            field name.

        Raises
        ------
        TypeError
            If ``accelerator`` is neither a str nor an :class:`Accelerator`.
        ValueError
            If ``accelerator`` names no catalogue entry, or ``date`` is not a date.

        Examples
        --------
        >>> methodology("epoch-ai").assumptions("b200")["server_overhead"]
        1.8
        >>> methodology("epoch-ai-clusters").assumptions("h100-sxm", date="2018-06-08")["pue"]
        1.26
        """
        return {k: v.value for k, v in self.sourced_assumptions(accelerator, date).items()}


@dataclass(frozen=True)
class Site:
    """Facility and grid figures for a site or fleet.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"meta-fleet"``.
    name : str
        Display name.
    pue : Sourced or None
        Facility power ÷ IT power; None for a grid-only preset (a region's
        carbon intensity), which leaves the methodology's PUE [unitless].
    wue : Sourced or None, optional
        Site water ÷ IT energy [L/kWh].
    carbon_intensity : Sourced or None, optional
        Location-based grid emissions factor [kg CO2e/kWh].
    electricity_price : Sourced or None, optional
        Price of energy [USD/kWh].
    note : str, optional
        What the figures cover.
    """

    key: str
    name: str
    pue: Sourced | None
    wue: Sourced | None = None
    carbon_intensity: Sourced | None = None
    electricity_price: Sourced | None = None
    note: str = ""

    def sourced_assumptions(self) -> dict[str, Sourced]:
        """The scenario assumptions this site sets, with their sources.

        Returns
        -------
        dict of str to Sourced
            Whichever of ``pue`` [unitless], ``wue`` [L/kWh],
            ``carbon_intensity`` [kg CO2e/kWh] and ``electricity_price``
            [USD/kWh] are set.
        """
        out = {}
        for name in ("pue", "wue", "carbon_intensity", "electricity_price"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def assumptions(self) -> dict[str, float]:
        """The scenario assumptions this site sets, as plain numbers.

        Returns
        -------
        dict of str to float
            Whichever of ``pue`` [unitless], ``wue`` [L/kWh],
            ``carbon_intensity`` [kg CO2e/kWh] and ``electricity_price``
            [USD/kWh] are set; an unset figure is absent, never defaulted.

        Examples
        --------
        >>> site("meta-fleet").assumptions()
        {'pue': 1.08, 'wue': 0.26}
        """
        return {k: v.value for k, v in self.sourced_assumptions().items()}


@dataclass(frozen=True)
class ReferenceCluster:
    """A large AI cluster as publicly reported, for illustrative scenarios.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"llama3-405b"``.
    name : str
        Display name.
    accelerator : str or None
        Accelerator catalogue name, or ``None`` when mixed or unpublished.
    gpus : Sourced or None
        Accelerators in the cluster [count].
    facility_power_w : Sourced or None
        Grid supply or campus capacity [W].
    it_power_w : Sourced or None
        Critical IT power [W].
    year : int
        Year the figures refer to (operation, or plan).
    source : str
        Citation of the main report.
    note : str, optional
        Caveats: what is a plan, what is rounded, what is missing.
    """

    key: str
    name: str
    accelerator: str | None
    gpus: Sourced | None
    facility_power_w: Sourced | None
    it_power_w: Sourced | None
    year: int
    source: str
    note: str = ""


#: Length of the year in Epoch AI's PUE trend [days].
DAYS_PER_YEAR = 365.25


def _as_date(value: object, name: str) -> datetime.date:
    """A date from an ISO ``YYYY-MM-DD`` text or a :class:`datetime.date`."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date YYYY-MM-DD (got {value!r})")


def _normalize(name: str) -> str:
    # "H100_SXM", "h100 sxm" and "h100-sxm" all name the same preset.
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _lookup(kind: str, name: object, table: Mapping[str, Any]) -> Any:
    """Find ``name`` in ``table`` or raise an error that lists the valid names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name must be a str (got {type(name).__name__})")
    key = _normalize(name)
    if key in table:
        return table[key]
    valid = sorted(table)
    message = f"unknown {kind} {name!r} (valid: {', '.join(valid)})"
    close = fields.closest(key, valid)
    if close:
        message += f"; did you mean {close!r}?"
    raise ValueError(message)


def _resolve_accelerator(part: str | Accelerator) -> Accelerator:
    if isinstance(part, Accelerator):
        return part
    return accelerator(part)  # raises TypeError for a non-str, ValueError if unknown


@functools.cache
def _load(filename: str) -> dict[str, Any]:
    """Parsed TOML of one data file; cached, so never hand it out or mutate it."""
    # deferred: `import estimator` should not pay for the TOML parser and importlib.resources
    import tomllib
    from importlib import resources

    with (resources.files("estimator") / "data" / filename).open("rb") as handle:
        return tomllib.load(handle)


_RULE_TEXT = {"positive": "> 0", "nonnegative": ">= 0", "at_least_one": ">= 1", "fraction": "in (0, 1]"}


def _rule_holds(value: float, rule: str) -> bool:
    if rule == "positive":
        return value > 0
    if rule == "nonnegative":
        return value >= 0
    if rule == "at_least_one":
        return value >= 1
    return 0 < value <= 1  # "fraction"


def _sourced(raw: object, where: str, rule: str) -> Sourced:
    """Build a :class:`Sourced` from its TOML table, checking keys and range."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a table with value, unit and source (got {raw!r})")
    unknown = sorted(set(raw) - _SOURCED_KEYS)
    if unknown:
        raise ValueError(f"{where} has unknown key(s) {', '.join(unknown)} "
                         f"(valid: {', '.join(sorted(_SOURCED_KEYS))})")
    missing = [k for k in _SOURCED_REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"{where} is missing {', '.join(missing)}: no value without a unit and source")
    try:
        sourced = Sourced(**raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    if not _rule_holds(sourced.value, rule):
        raise ValueError(f"{where} must be {_RULE_TEXT[rule]} (got {sourced.value!r})")
    return sourced


class _Entry:
    """Reads the fields of one TOML entry, naming file and key in every error."""

    def __init__(self, filename: str, key: str, raw: object, fields: set[str]) -> None:
        self.where = f"{filename} [{key}]"
        if key != _normalize(key):
            raise ValueError(f"{self.where}: catalogue names must be lower case with '-' "
                             f"(use {_normalize(key)!r})")
        if not isinstance(raw, dict):
            raise ValueError(f"{self.where} must be a table")
        unknown = sorted(set(raw) - fields)
        if unknown:
            raise ValueError(f"{self.where} has unknown key(s) {', '.join(unknown)} "
                             f"(valid: {', '.join(sorted(fields))})")
        self.raw = raw

    def text(self, name: str, required: bool = True) -> str:
        value = self.raw.get(name, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ValueError(f"{self.where}.{name} must be a non-empty str (got {value!r})")
        return value

    def year(self) -> int:
        value = self.raw.get("year")
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 < value < 2200:
            raise ValueError(f"{self.where}.year must be a year such as 2024 (got {value!r})")
        return value

    def sourced(self, name: str, rule: str, required: bool = True) -> Sourced | None:
        if name not in self.raw:
            if required:
                raise ValueError(f"{self.where} is missing {name}")
            return None
        return _sourced(self.raw[name], f"{self.where}.{name}", rule)

    def sourced_map(self, name: str, rule: str, valid_keys: set[str]) -> dict[str, Sourced]:
        table = self.raw.get(name, {})
        if not isinstance(table, dict):
            raise ValueError(f"{self.where}.{name} must be a table keyed by accelerator")
        out = {}
        for key, raw in table.items():
            # A misspelt accelerator here would otherwise be silently ignored.
            self.check_accelerator(key, valid_keys, f"{self.where}.{name}")
            out[_normalize(key)] = _sourced(raw, f"{self.where}.{name}.{key}", rule)
        return out

    def sourced_years(self, name: str, rule: str) -> dict[int, Sourced]:
        table = self.raw.get(name, {})
        if not isinstance(table, dict):
            raise ValueError(f"{self.where}.{name} must be a table keyed by year")
        out = {}
        for key, raw in table.items():
            if not (isinstance(key, str) and key.isdigit() and 1900 < int(key) < 2200):
                raise ValueError(f"{self.where}.{name}: keys must be years such as 2024 (got {key!r})")
            out[int(key)] = _sourced(raw, f"{self.where}.{name}.{key}", rule)
        return dict(sorted(out.items()))

    def check_accelerator(self, key: object, valid_keys: set[str], where: str) -> None:
        try:
            _lookup("accelerator", key, dict.fromkeys(valid_keys))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None


#: Optional sourced fields of an accelerator entry, and the rule each value obeys.
_ACCELERATOR_OPTIONAL = {
    "peak_flop_per_s_fp8": "positive", "peak_flop_per_s_fp4": "positive", "memory_bytes": "positive",
    "memory_bandwidth_bytes_per_s": "positive", "accelerators_per_server": "positive",
    "accelerators_per_rack": "positive", "server_power_w": "positive", "rack_power_w": "positive",
}


def _build_accelerators() -> dict[str, Accelerator]:
    filename = "accelerators.toml"
    fields = {"name", "vendor", "year", "note", "gpu_watts", "peak_flop_per_s", "server_overhead",
              *_ACCELERATOR_OPTIONAL}
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
        out[key] = Accelerator(
            key=key,
            name=e.text("name"),
            vendor=e.text("vendor"),
            year=e.year(),
            gpu_watts=e.sourced("gpu_watts", "positive"),
            peak_flop_per_s=e.sourced("peak_flop_per_s", "positive"),
            server_overhead=e.sourced("server_overhead", "at_least_one"),
            note=e.text("note", required=False),
            **{name: e.sourced(name, rule, required=False) for name, rule in _ACCELERATOR_OPTIONAL.items()},
        )
    return out


def _build_methodologies() -> dict[str, Methodology]:
    filename = "methodologies.toml"
    fields = {"name", "description", "source", "server_overhead", "server_overhead_by_accelerator",
              "network_overhead", "pue", "utilization", "utilization_by_accelerator", "mfu",
              "pue_by_year", "pue_annual_factor", "pue_reference_date"}
    parts = set(_load("accelerators.toml"))
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
        reference = raw.get("pue_reference_date")
        if reference is not None:
            try:
                reference = _as_date(reference, "pue_reference_date").isoformat()
            except ValueError as exc:
                raise ValueError(f"{e.where}.{exc}") from None
        try:
            out[key] = Methodology(
                key=key,
                name=e.text("name"),
                description=e.text("description"),
                source=e.text("source"),
                server_overhead=e.sourced("server_overhead", "at_least_one", required=False),
                server_overhead_by_accelerator=e.sourced_map("server_overhead_by_accelerator",
                                                             "at_least_one", parts),
                network_overhead=e.sourced("network_overhead", "at_least_one"),
                pue=e.sourced("pue", "at_least_one"),
                utilization=e.sourced("utilization", "fraction"),
                mfu=e.sourced("mfu", "fraction", required=False),
                utilization_by_accelerator=e.sourced_map("utilization_by_accelerator", "fraction", parts),
                pue_by_year=e.sourced_years("pue_by_year", "at_least_one"),
                pue_annual_factor=e.sourced("pue_annual_factor", "positive", required=False),
                pue_reference_date=reference,
            )
        except ValueError as exc:
            if str(exc).startswith(filename):
                raise
            raise ValueError(f"{e.where}: {exc}") from None
    return out


def _build_sites() -> dict[str, Site]:
    filename = "sites.toml"
    fields = {"name", "note", "pue", "wue", "carbon_intensity", "electricity_price"}
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
        if isinstance(raw, dict) and not {"pue", "wue", "carbon_intensity", "electricity_price"} & set(raw):
            raise ValueError(f"{e.where} sets none of pue, wue, carbon_intensity, electricity_price")
        out[key] = Site(
            key=key,
            name=e.text("name"),
            pue=e.sourced("pue", "at_least_one", required=False),
            wue=e.sourced("wue", "nonnegative", required=False),
            carbon_intensity=e.sourced("carbon_intensity", "nonnegative", required=False),
            electricity_price=e.sourced("electricity_price", "nonnegative", required=False),
            note=e.text("note", required=False),
        )
    return out


def _build_reference_clusters() -> dict[str, ReferenceCluster]:
    filename = "clusters.toml"
    fields = {"name", "accelerator", "year", "source", "note", "gpus", "facility_power_w", "it_power_w"}
    parts = set(_load("accelerators.toml"))
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
        part = raw.get("accelerator")
        if part is not None:
            e.check_accelerator(part, parts, f"{e.where}.accelerator")
            part = _normalize(part)
        out[key] = ReferenceCluster(
            key=key,
            name=e.text("name"),
            accelerator=part,
            gpus=e.sourced("gpus", "positive", required=False),
            facility_power_w=e.sourced("facility_power_w", "positive", required=False),
            it_power_w=e.sourced("it_power_w", "positive", required=False),
            year=e.year(),
            source=e.text("source"),
            note=e.text("note", required=False),
        )
    return out


_BUILDERS = {
    "accelerators": _build_accelerators,
    "methodologies": _build_methodologies,
    "sites": _build_sites,
    "reference_clusters": _build_reference_clusters,
}

# Each table, built and validated on first use; read-only views, so sharing is safe.
_TABLES: dict[str, Mapping[str, Any]] = {}


def _table(kind: str) -> Mapping[str, Any]:
    table = _TABLES.get(kind)
    if table is None:
        # Two threads racing here build equal tables; either result is fine to keep.
        table = _TABLES[kind] = MappingProxyType(_BUILDERS[kind]())
    return table


def accelerators() -> Mapping[str, Accelerator]:
    """All accelerator presets.

    Returns
    -------
    mapping of str to Accelerator
        Read-only, keyed by catalogue name, in catalogue order; built once
        and shared (``dict(accelerators())`` gives a copy to change).

    Examples
    --------
    >>> "h100-sxm" in accelerators()
    True
    """
    return _table("accelerators")


def accelerator(name: str) -> Accelerator:
    """One accelerator preset by name.

    Parameters
    ----------
    name : str
        Catalogue name, case-insensitive; ``"_"`` and spaces match ``"-"``.

    Returns
    -------
    Accelerator

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no preset has that name; the message lists the valid names.

    Examples
    --------
    >>> accelerator("H100_SXM").peak_flop_per_s.value
    989400000000000.0
    """
    return _lookup("accelerator", name, accelerators())


def methodologies() -> Mapping[str, Methodology]:
    """All methodology presets.

    Returns
    -------
    mapping of str to Methodology
        Read-only, keyed by catalogue name, in catalogue order; built once
        and shared.
    """
    return _table("methodologies")


def methodology(name: str) -> Methodology:
    """One methodology preset by name.

    Parameters
    ----------
    name : str
        Catalogue name, case-insensitive; ``"_"`` and spaces match ``"-"``.

    Returns
    -------
    Methodology

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no preset has that name; the message lists the valid names.
    """
    return _lookup("methodology", name, methodologies())


def sites() -> Mapping[str, Site]:
    """All site presets.

    Returns
    -------
    mapping of str to Site
        Read-only, keyed by catalogue name, in catalogue order; built once
        and shared.
    """
    return _table("sites")


def site(name: str) -> Site:
    """One site preset by name.

    Parameters
    ----------
    name : str
        Catalogue name, case-insensitive; ``"_"`` and spaces match ``"-"``.

    Returns
    -------
    Site

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no preset has that name; the message lists the valid names.
    """
    return _lookup("site", name, sites())


def reference_clusters() -> Mapping[str, ReferenceCluster]:
    """All reference clusters.

    Returns
    -------
    mapping of str to ReferenceCluster
        Read-only, keyed by catalogue name, in catalogue order; built once
        and shared.
    """
    return _table("reference_clusters")


def reference_cluster(name: str) -> ReferenceCluster:
    """One reference cluster by name.

    Parameters
    ----------
    name : str
        Catalogue name, case-insensitive; ``"_"`` and spaces match ``"-"``.

    Returns
    -------
    ReferenceCluster

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no cluster has that name; the message lists the valid names.
    """
    return _lookup("reference cluster", name, reference_clusters())


def _cell(text: object) -> str:
    # A table cell on one line, with the Markdown column separator escaped.
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e7:
        return f"{int(value):,}"
    return f"{value:.6g}"


def _sourced_table(rows: list[tuple[str, Sourced]]) -> list[str]:
    lines = ["| field | value | unit | confirmed | source | note |", "|---|---|---|---|---|---|"]
    for name, value in rows:
        lines.append(f"| {_cell(name)} | {_number(value.value)} | {_cell(value.unit)} | "
                     f"{'yes' if value.confirmed else 'no'} | {_cell(value.source)} | {_cell(value.note)} |")
    return lines


def _entry_rows(entry: object) -> list[tuple[str, Sourced]]:
    """Every sourced value of a catalogue entry, in field order, mapping fields flattened."""
    import dataclasses  # deferred: only the documentation needs it

    rows: list[tuple[str, Sourced]] = []
    for f in dataclasses.fields(entry):  # type: ignore[arg-type]
        value = getattr(entry, f.name)
        if isinstance(value, Sourced):
            rows.append((f.name, value))
        elif isinstance(value, Mapping):
            rows.extend((f"{f.name}.{key}", item) for key, item in value.items())
    return rows


def document() -> str:
    """The whole catalogue as Markdown: every preset value with its unit and source.

    Returns
    -------
    str
        The text of ``docs/presets.md``: the catalogue :data:`VERSION`, then
        every accelerator, methodology, site, reference cluster and training
        run (:func:`estimator.runs.training_runs`), each value with its unit,
        whether it is confirmed, its source and its note.

    Notes
    -----
    The committed ``docs/presets.md`` is this function's output; a test
    checks that it is current. Regenerate it with
    ``python -c "from estimator import catalog; print(catalog.document(), end='')" > docs/presets.md``.
    """
    from estimator import runs  # deferred: runs imports this module

    out = [
        "# Presets: the catalogue",
        "",
        f"Catalogue version {VERSION}. Generated by `estimator.catalog.document()`; do not edit by hand.",
        "",
        "Every preset is a nominal public figure used as an assumption, never a measurement. "
        "`confirmed = no` marks a value read only in a secondary source, implied rather than stated, "
        "or estimated; its note says why.",
        "",
        "Files, links and outputs name the catalogue version they were made with (`catalog = \"" + VERSION
        + "\"` in a scenario file, `catalog=" + VERSION + "` in a dashboard link, a `catalog` key or column "
        "and a `presets: catalogue " + VERSION + "` line in the command line's output). A file or link also "
        "records the values its presets gave (`catalog_values` in a file, `catalog.<field>=` in a link). "
        "Read with the same catalogue, those records are ignored; read with another one, they are applied "
        "as they were (origin `pinned`), so the file or link opens with the numbers it was made with, and a "
        "notice lists each recorded value that differs from this catalogue (or says none differs). A "
        "hand-written file that names no version uses this catalogue's values.",
        "",
    ]
    sections = [
        ("Accelerators", accelerators(), lambda e: [f"{e.name} ({e.vendor}, {e.year}).", e.note]),
        ("Methodologies", methodologies(), lambda e: [f"{e.name}. {e.description}", f"Source: {e.source}",
                                                      f"PUE varies by date from {e.pue_reference_date}."
                                                      if e.pue_reference_date else ""]),
        ("Sites", sites(), lambda e: [e.name + ".", e.note]),
        ("Reference clusters", reference_clusters(),
         lambda e: [f"{e.name}; accelerator: {e.accelerator or 'mixed or unpublished'}.",
                    f"Source: {e.source}", e.note]),
        ("Training runs", runs.training_runs(),
         lambda e: [f"{e.name} ({e.developer}, {e.date}); accelerator: {e.accelerator or 'unpublished'}; "
                    f"precision: {e.precision}.", f"Source: {e.source}", e.note]),
    ]
    for title, table, intro in sections:
        out += [f"## {title}", ""]
        for key, entry in table.items():
            out += [f"### `{key}`", ""]
            out += [" ".join(line.split()) for line in intro(entry) if line.strip()] + [""]
            rows = _entry_rows(entry)
            if rows:
                out += [*_sourced_table(rows), ""]
    from estimator import campus  # deferred: campus imports this module

    out += ["## Ready campuses", "", "Public sites as blocks coming online over time "
            "(`estimator.campus_preset(key)`); blocks given as power get the accelerators that power holds "
            "at their chain.", ""]
    for key, preset in campus.campus_presets().items():
        out += [f"### `{key}`", "", " ".join(f"{preset.name}. {preset.note}".split()), "",
                f"Source: {preset.source}", "",
                "| block | accelerator | count or power | online | confirmed | source | note |",
                "|---|---|---|---|---|---|---|"]
        for b in preset.blocks:
            size = f"{b['gpus']:,}" if "gpus" in b else f"{b['facility_power_w'] / 1e9:g} GW"
            out.append(f"| {b['name']} | `{b['accelerator']}` | {size} | {b['online']} | "
                       f"{'yes' if b['confirmed'] else 'no'} | {b['source']} | {b['note']} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
