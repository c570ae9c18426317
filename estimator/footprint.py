"""Footprint beyond the meter: market-based emissions, water at the power plants, embodied emissions.

The location-based emissions and site water of :mod:`estimator.energy` count
what the grid emits and what the building drinks. These count what the
electricity contracts claim, the water evaporated generating the electricity
off site, and the share of the hardware's manufacturing emissions that falls
in the period. :func:`equivalents` puts a fleet's draw or energy beside
everyday yardsticks (homes, a power plant, a city), each an equivalence, not a
measurement.

References
----------
.. [1] GHG Protocol Scope 2 Guidance (2015): market-based method.
.. [2] J. Macknick et al., "Operational water consumption and withdrawal
   factors for electricity generating technologies", Environ. Res. Lett. 7
   045802 (2012), doi:10.1088/1748-9326/7/4/045802.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import validate
from estimator.catalog import Sourced, _sourced

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

__all__ = ["Yardstick", "embodied_emissions_kg", "equivalents", "generation_water_l", "market_emissions_kg",
           "yardsticks"]

WH_PER_KWH = 1000.0
HOURS_PER_YEAR = 8760.0


def market_emissions_kg(energy_wh: ArrayLike, market_carbon_intensity: ArrayLike) -> float | np.ndarray:
    """Market-based emissions of the facility's energy.

    Parameters
    ----------
    energy_wh : numeric
        Facility energy [Wh].
    market_carbon_intensity : numeric
        Emissions factor of the electricity bought, after contracts and
        certificates [kg CO2e/kWh].

    Returns
    -------
    numeric
        ``energy_wh / 1000 × market_carbon_intensity`` [kg CO2e].

    References
    ----------
    .. [1] GHG Protocol Scope 2 Guidance (2015), chapter 6: the market-based
       method. https://ghgprotocol.org/scope-2-guidance

    Examples
    --------
    >>> market_emissions_kg(1e6, 0.1)
    100.0
    """
    return (validate.number("energy_wh", energy_wh, "nonnegative") / WH_PER_KWH
            * validate.field("market_carbon_intensity", market_carbon_intensity))


def generation_water_l(energy_wh: ArrayLike, generation_wue: ArrayLike) -> float | np.ndarray:
    """Water consumed at the power plants that generate the facility's energy.

    Parameters
    ----------
    energy_wh : numeric
        Facility energy (all of it, not only IT) [Wh].
    generation_wue : numeric
        Water consumed per kWh generated, for the grid's mix [L/kWh].

    Returns
    -------
    numeric
        ``energy_wh / 1000 × generation_wue`` [L].

    References
    ----------
    .. [1] J. Macknick et al., "Operational water consumption and withdrawal
       factors for electricity generating technologies", Environ. Res. Lett.
       7 045802 (2012), doi:10.1088/1748-9326/7/4/045802.

    Examples
    --------
    >>> generation_water_l(1e6, 1.8)
    1800.0
    """
    return (validate.number("energy_wh", energy_wh, "nonnegative") / WH_PER_KWH
            * validate.field("generation_wue", generation_wue))


def embodied_emissions_kg(gpus: ArrayLike, embodied_kg_per_gpu: ArrayLike, hours: ArrayLike,
                          hardware_life_years: ArrayLike) -> float | np.ndarray:
    """Manufacturing emissions of the hardware, spread evenly over its life.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    embodied_kg_per_gpu : numeric
        Manufacturing emissions of one accelerator with its share of servers,
        network and building [kg CO2e], >= 0.
    hours : numeric
        Length of the period [h].
    hardware_life_years : numeric
        Years the hardware serves [years], > 0.

    Returns
    -------
    numeric
        ``gpus × embodied_kg_per_gpu × hours / (8760 × hardware_life_years)``
        [kg CO2e].

    References
    ----------
    .. [1] GHG Protocol Corporate Value Chain (Scope 3) Standard (2011),
       category 2, capital goods. https://ghgprotocol.org/standards/scope-3-standard

    Examples
    --------
    >>> embodied_emissions_kg(1000, 2500.0, 8760, 5)
    500000.0
    """
    share = validate.field("hours", hours) / (
        HOURS_PER_YEAR * validate.number("hardware_life_years", hardware_life_years, "positive"))
    return (validate.field("gpus", gpus) * validate.number("embodied_kg_per_gpu", embodied_kg_per_gpu, "nonnegative")
            * share)


# --------------------------------------------------------------------------- everyday equivalents

#: What every equivalence says it is.
EQUIVALENCE_NOTE = "equivalence, not a measurement"

_YARDSTICK_TEXT = ("name", "label", "energy_label", "cite")
_YARDSTICK_FIGURES = {"annual_energy_wh": "positive", "capacity_w": "positive", "capacity_factor": "fraction"}


@dataclass(frozen=True)
class Yardstick:
    """An everyday quantity to compare a fleet with (homes, a power plant, a city), with its sources.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"us-homes"``.
    name, label, energy_label, cite : str
        Display name; what a number of them means for an average draw, and
        for an amount of energy; a short source tag ("EIA 2022").
    figures : dict of str to Sourced
        ``annual_energy_wh`` [Wh], or ``capacity_w`` [W] with
        ``capacity_factor`` [unitless].
    """

    key: str
    name: str
    label: str
    energy_label: str
    cite: str
    figures: dict[str, Sourced]

    @property
    def average_power_w(self) -> float:
        """The average draw (or output) it stands for [W]."""
        f = self.figures
        if "annual_energy_wh" in f:
            return f["annual_energy_wh"].value / HOURS_PER_YEAR
        return f["capacity_w"].value * f["capacity_factor"].value


@functools.cache
def _yardsticks() -> tuple[Yardstick, ...]:
    """The yardsticks of ``estimator/data/equivalents.toml``, read once (the shape of the query presets' loader)."""
    import tomllib  # deferred, as in estimator.catalog: `import estimator` does not pay for it
    from importlib import resources

    filename = "equivalents.toml"
    with (resources.files("estimator") / "data" / filename).open("rb") as handle:
        raw = tomllib.load(handle)
    out = []
    for key, entry in raw.items():
        where = f"{filename} [{key}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} must be a table")
        unknown = sorted(set(entry) - {*_YARDSTICK_TEXT, *_YARDSTICK_FIGURES})
        if unknown:
            raise ValueError(f"{where} has unknown key(s) {', '.join(unknown)}")
        for text in _YARDSTICK_TEXT:
            if not isinstance(entry.get(text), str) or not entry[text].strip():
                raise ValueError(f"{where}.{text} must be a non-empty str")
        figures = {n: _sourced(entry[n], f"{where}.{n}", rule) for n, rule in _YARDSTICK_FIGURES.items()
                   if n in entry}
        if set(figures) not in ({"annual_energy_wh"}, {"capacity_w", "capacity_factor"}):
            raise ValueError(f"{where} needs annual_energy_wh, or capacity_w and capacity_factor (got "
                             f"{', '.join(figures) or 'none'})")
        out.append(Yardstick(key, *(entry[t] for t in _YARDSTICK_TEXT), figures))
    return tuple(out)


def yardsticks() -> dict[str, Yardstick]:
    """Every yardstick of :func:`equivalents` (``estimator/data/equivalents.toml``), each figure with its source.

    Returns
    -------
    dict of str to Yardstick
        A fresh dict keyed by name, in file order; the yardsticks are frozen.

    References
    ----------
    .. [1] US Energy Information Administration, "How much electricity does an
       American home use?", https://www.eia.gov/tools/faqs/faq.php?id=97

    Examples
    --------
    >>> list(yardsticks())
    ['us-homes', 'nuclear-reactors', 'san-francisco']
    >>> round(yardsticks()["us-homes"].average_power_w, 1)
    1231.8
    """
    return {y.key: y for y in _yardsticks()}


def _amount_text(n: float) -> str:
    """How many of a yardstick, as people read it, to three figures: "1.23M", "812,000", "5.12", "0.584"."""
    from estimator import units  # deferred: units is large and only the text needs it

    if abs(n) >= 1000:  # an equivalence is no count: no more figures than its yardstick has
        return units.format_value(float(f"{n:.3g}"), "count")
    return units.format_value(n, "ratio", digits=2)


def equivalents(average_power_w: ArrayLike | None = None,
                energy_wh: ArrayLike | None = None) -> list[dict[str, Any]]:
    """Everyday equivalents of an average draw or an amount of energy: homes, power plants, a city.

    Parameters
    ----------
    average_power_w : numeric, optional
        An average draw, e.g. a facility's average power [W].
    energy_wh : numeric, optional
        An amount of energy, e.g. a period's facility energy [Wh]. Give
        exactly one of the two.

    Returns
    -------
    list of dict
        One per yardstick: ``key``, ``name``, ``value`` (how many of it) [count
        or years], ``label`` (what the value counts), ``text`` (e.g. "≈ 812,000
        US homes' electricity (the same average draw) (EIA 2022)"; an array
        gives the text of its first element), ``source`` (every figure's
        source, joined), ``confirmed`` [bool] and ``kind``, always
        ``"equivalence, not a measurement"``.

    Notes
    -----
    With a power, ``value = average_power_w ÷ yardstick``; with an energy,
    ``value = energy_wh ÷ (yardstick × 8,760 h)``, i.e. the yardstick's
    annual electricity or years of its output. A yardstick's average draw is
    its annual energy ÷ 8,760 h, or a plant's capacity × capacity factor.
    These compare sizes; they say nothing about where the electricity comes
    from or whether a grid can supply it.

    Raises
    ------
    ValueError
        If neither or both are given, or a value is negative, NaN or infinite.

    References
    ----------
    .. [1] US Energy Information Administration, "How much electricity does an
       American home use?", https://www.eia.gov/tools/faqs/faq.php?id=97
    .. [2] US Energy Information Administration, "Nuclear explained: U.S.
       nuclear statistics",
       https://www.eia.gov/energyexplained/nuclear/data-and-statistics.php
    .. [3] California Energy Commission, Energy Almanac, electricity
       consumption by county.

    Examples
    --------
    >>> e = equivalents(average_power_w=1e9)
    >>> [round(x["value"], 2) for x in e]
    [811787.6, 1.08, 1.71]
    >>> e[0]["text"]
    "≈ 812,000 US homes' electricity (the same average draw) (EIA 2022)"
    """
    if (average_power_w is None) == (energy_wh is None):
        raise ValueError("equivalents needs exactly one of average_power_w [W] or energy_wh [Wh]")
    if average_power_w is not None:
        power = validate.number("average_power_w", average_power_w, "nonnegative")
    else:
        power = validate.number("energy_wh", energy_wh, "nonnegative") / HOURS_PER_YEAR  # over a year
    out = []
    for y in _yardsticks():
        value = power / y.average_power_w
        label = y.label if average_power_w is not None else y.energy_label
        first = float(np.ravel(value)[0]) if np.ndim(value) else float(value)
        out.append({"key": y.key, "name": y.name, "value": value, "label": label,
                    "text": f"≈ {_amount_text(first)} {label} ({y.cite})",
                    "source": "; ".join(f.source for f in y.figures.values()),
                    "confirmed": all(f.confirmed for f in y.figures.values()), "kind": EQUIVALENCE_NOTE})
    return out
