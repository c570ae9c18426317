"""The preset catalogue: accelerators, methodologies, sites and reference clusters.

Presets are nominal public figures — vendor ratings, assumption sets others
have published, fleet averages, press reports of large clusters — used as
*assumptions* to start a scenario from. None of them is a measurement, and
every one can be overridden. Each number travels as a :class:`Sourced` value
with its unit, its citation (document and address), an optional note, and a
``confirmed`` flag that is ``False`` when the figure was read only in a
secondary source, is implied rather than stated, or is our own estimate.

The data live in ``estimator/data/*.toml`` and are read once with
:mod:`importlib.resources` and :mod:`tomllib`; every call returns a fresh dict
of fresh frozen dataclasses, so callers may change what they get back without
affecting the next caller.

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

import functools
import math
import numbers
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Accelerator",
    "Methodology",
    "ReferenceCluster",
    "Site",
    "Sourced",
    "accelerator",
    "accelerators",
    "methodologies",
    "methodology",
    "reference_cluster",
    "reference_clusters",
    "site",
    "sites",
]

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

    def sourced_assumptions(self, precision: str = "bf16") -> dict[str, Sourced]:
        """The scenario assumptions this accelerator sets, with their sources.

        Parameters
        ----------
        precision : {"bf16", "fp8"}, optional
            Which dense peak to use for ``peak_flop_per_s``. Default ``"bf16"``.

        Returns
        -------
        dict of str to Sourced
            ``gpu_watts`` [W], ``peak_flop_per_s`` [FLOP/s] and
            ``server_overhead`` [unitless].

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
        return {
            "gpu_watts": self.gpu_watts,
            "peak_flop_per_s": peak,
            "server_overhead": self.server_overhead,
        }

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
    server_overhead_by_accelerator : dict of str to Sourced
        Per-accelerator server ratios, keyed by accelerator catalogue name
        [unitless].
    network_overhead : Sourced
        Cluster IT power ÷ server power [unitless].
    pue : Sourced
        Facility power ÷ IT power [unitless].
    utilization : Sourced
        Average IT draw ÷ full-load IT draw [unitless].
    mfu : Sourced or None, optional
        Model FLOPs utilization, if the methodology sets one [unitless].
    utilization_by_accelerator : dict of str to Sourced, optional
        Per-accelerator utilization overrides, e.g. Epoch AI's 0.43 for TPUs
        [unitless].
    """

    key: str
    name: str
    description: str
    source: str
    server_overhead: Sourced | None
    # hash=False keeps the frozen dataclass hashable despite the dict fields.
    server_overhead_by_accelerator: dict[str, Sourced] = field(hash=False)
    network_overhead: Sourced
    pue: Sourced
    utilization: Sourced
    mfu: Sourced | None = None
    utilization_by_accelerator: dict[str, Sourced] = field(default_factory=dict, hash=False)

    def sourced_assumptions(self, accelerator: str | Accelerator) -> dict[str, Sourced]:
        """This methodology's assumptions for one accelerator, with their sources.

        Parameters
        ----------
        accelerator : str or Accelerator
            Catalogue name or an :class:`Accelerator`.

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
            "pue": self.pue,
            "utilization": self.utilization_by_accelerator.get(part.key, self.utilization),
        }
        if self.mfu is not None:
            out["mfu"] = self.mfu
        return out

    def sourced_assumptions_without_accelerator(self) -> dict[str, Sourced]:
        """The assumptions this methodology sets for any accelerator, with their sources.

        Returns
        -------
        dict of str to Sourced
            ``network_overhead``, ``pue``, ``utilization``, and
            ``server_overhead`` and ``mfu`` where the methodology sets one
            for every accelerator [unitless].
        """
        out = {"network_overhead": self.network_overhead, "pue": self.pue, "utilization": self.utilization}
        if self.server_overhead is not None:
            out["server_overhead"] = self.server_overhead
        if self.mfu is not None:
            out["mfu"] = self.mfu
        return out

    def assumptions(self, accelerator: str | Accelerator) -> dict[str, float]:
        """This methodology's assumptions for one accelerator, as plain numbers.

        Parameters
        ----------
        accelerator : str or Accelerator
            Catalogue name or an :class:`Accelerator`.

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
            If ``accelerator`` names no catalogue entry.

        Examples
        --------
        >>> methodology("epoch-ai").assumptions("b200")["server_overhead"]
        1.8
        """
        return {k: v.value for k, v in self.sourced_assumptions(accelerator).items()}


@dataclass(frozen=True)
class Site:
    """Facility and grid figures for a site or fleet.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"meta-fleet"``.
    name : str
        Display name.
    pue : Sourced
        Facility power ÷ IT power [unitless].
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
    pue: Sourced
    wue: Sourced | None = None
    carbon_intensity: Sourced | None = None
    electricity_price: Sourced | None = None
    note: str = ""

    def sourced_assumptions(self) -> dict[str, Sourced]:
        """The scenario assumptions this site sets, with their sources.

        Returns
        -------
        dict of str to Sourced
            ``pue`` [unitless] and whichever of ``wue`` [L/kWh],
            ``carbon_intensity`` [kg CO2e/kWh] and ``electricity_price``
            [USD/kWh] are set.
        """
        out = {"pue": self.pue}
        for name in ("wue", "carbon_intensity", "electricity_price"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def assumptions(self) -> dict[str, float]:
        """The scenario assumptions this site sets, as plain numbers.

        Returns
        -------
        dict of str to float
            ``pue`` [unitless] and whichever of ``wue`` [L/kWh],
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


def _normalize(name: str) -> str:
    # "H100_SXM", "h100 sxm" and "h100-sxm" all name the same preset.
    return re.sub(r"[\s_]+", "-", name.strip().lower())


def _lookup(kind: str, name: object, table: dict[str, Any]) -> Any:
    """Find ``name`` in ``table`` or raise an error that lists the valid names."""
    if not isinstance(name, str):
        raise TypeError(f"{kind} name must be a str (got {type(name).__name__})")
    key = _normalize(name)
    if key in table:
        return table[key]
    valid = sorted(table)
    message = f"unknown {kind} {name!r} (valid: {', '.join(valid)})"
    import difflib  # deferred: only an unknown name needs it

    close = difflib.get_close_matches(key, valid, n=1)
    if close:
        message += f"; did you mean {close[0]!r}?"
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

    def check_accelerator(self, key: object, valid_keys: set[str], where: str) -> None:
        try:
            _lookup("accelerator", key, dict.fromkeys(valid_keys))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None


def _build_accelerators() -> dict[str, Accelerator]:
    filename = "accelerators.toml"
    fields = {"name", "vendor", "year", "note", "gpu_watts", "peak_flop_per_s",
              "peak_flop_per_s_fp8", "server_overhead"}
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
            peak_flop_per_s_fp8=e.sourced("peak_flop_per_s_fp8", "positive", required=False),
            server_overhead=e.sourced("server_overhead", "at_least_one"),
            note=e.text("note", required=False),
        )
    return out


def _build_methodologies() -> dict[str, Methodology]:
    filename = "methodologies.toml"
    fields = {"name", "description", "source", "server_overhead", "server_overhead_by_accelerator",
              "network_overhead", "pue", "utilization", "utilization_by_accelerator", "mfu"}
    parts = set(_load("accelerators.toml"))
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
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
        )
    return out


def _build_sites() -> dict[str, Site]:
    filename = "sites.toml"
    fields = {"name", "note", "pue", "wue", "carbon_intensity", "electricity_price"}
    out = {}
    for key, raw in _load(filename).items():
        e = _Entry(filename, key, raw, fields)
        out[key] = Site(
            key=key,
            name=e.text("name"),
            pue=e.sourced("pue", "at_least_one"),
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


def accelerators() -> dict[str, Accelerator]:
    """All accelerator presets.

    Returns
    -------
    dict of str to Accelerator
        A fresh dict keyed by catalogue name, in catalogue order.

    Examples
    --------
    >>> "h100-sxm" in accelerators()
    True
    """
    return _build_accelerators()


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


def methodologies() -> dict[str, Methodology]:
    """All methodology presets.

    Returns
    -------
    dict of str to Methodology
        A fresh dict keyed by catalogue name, in catalogue order.
    """
    return _build_methodologies()


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


def sites() -> dict[str, Site]:
    """All site presets.

    Returns
    -------
    dict of str to Site
        A fresh dict keyed by catalogue name, in catalogue order.
    """
    return _build_sites()


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


def reference_clusters() -> dict[str, ReferenceCluster]:
    """All reference clusters.

    Returns
    -------
    dict of str to ReferenceCluster
        A fresh dict keyed by catalogue name, in catalogue order.
    """
    return _build_reference_clusters()


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
