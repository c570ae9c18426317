"""Footprint beyond the meter: market-based emissions, water at the power plants, embodied emissions.

The location-based emissions and site water of :mod:`estimator.energy` count
what the grid emits and what the building drinks. These count what the
electricity contracts claim, the water evaporated generating the electricity
off site, and the share of the hardware's manufacturing emissions that falls
in the period.

References
----------
.. [1] GHG Protocol Scope 2 Guidance (2015): market-based method.
.. [2] J. Macknick et al., "Operational water consumption and withdrawal
   factors for electricity generating technologies", Environ. Res. Lett. 7
   045802 (2012), doi:10.1088/1748-9326/7/4/045802.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

__all__ = ["embodied_emissions_kg", "generation_water_l", "market_emissions_kg"]

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
