"""Energy, money, carbon and water over a period.

All functions are vectorized products of their inputs. Energy is in watt-hours;
prices and emission factors are per kilowatt-hour, as published.

References
----------
.. [1] The Green Grid, "Water Usage Effectiveness (WUE): a Green Grid data
   center sustainability metric", White Paper #35 (2011).
.. [2] GHG Protocol Scope 2 Guidance (2015): location-based method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

WH_PER_KWH = 1000.0


def energy_wh(power_w: ArrayLike, hours: ArrayLike) -> float | np.ndarray:
    """Energy drawn at a constant average power over a period.

    Parameters
    ----------
    power_w : numeric
        Average power [W].
    hours : numeric
        Length of the period (8,760 = a year) [h].

    Returns
    -------
    numeric
        ``power_w × hours`` [Wh].
    """
    return validate.number("power_w", power_w, "nonnegative") * validate.field("hours", hours)


def cost(energy_wh: ArrayLike, electricity_price: ArrayLike) -> float | np.ndarray:
    """Cost of energy.

    Parameters
    ----------
    energy_wh : numeric
        Energy [Wh].
    electricity_price : numeric
        Price of energy [currency/kWh].

    Returns
    -------
    numeric
        ``energy_wh / 1000 × electricity_price`` [currency].
    """
    return (validate.number("energy_wh", energy_wh, "nonnegative") / WH_PER_KWH
            * validate.field("electricity_price", electricity_price))


def emissions_kg(energy_wh: ArrayLike, carbon_intensity: ArrayLike) -> float | np.ndarray:
    """Location-based greenhouse-gas emissions of energy drawn from a grid [1]_.

    Parameters
    ----------
    energy_wh : numeric
        Energy [Wh].
    carbon_intensity : numeric
        Grid emission factor [kg CO2e/kWh].

    Returns
    -------
    numeric
        ``energy_wh / 1000 × carbon_intensity`` [kg CO2e].

    References
    ----------
    .. [1] GHG Protocol Scope 2 Guidance (2015): location-based method.
    """
    return (validate.number("energy_wh", energy_wh, "nonnegative") / WH_PER_KWH
            * validate.field("carbon_intensity", carbon_intensity))


def water_l(it_energy_wh: ArrayLike, wue: ArrayLike) -> float | np.ndarray:
    """Site water use from IT energy and water usage effectiveness [1]_.

    Parameters
    ----------
    it_energy_wh : numeric
        Energy of the IT equipment (not the facility) [Wh].
    wue : numeric
        Water usage effectiveness, site water ÷ IT energy [L/kWh].

    Returns
    -------
    numeric
        ``it_energy_wh / 1000 × wue`` [L].

    Notes
    -----
    WUE counts on-site water (mostly evaporative cooling), not the water used
    to generate the electricity.

    References
    ----------
    .. [1] The Green Grid, "Water Usage Effectiveness (WUE): a Green Grid data
       center sustainability metric", White Paper #35 (2011).
    """
    return validate.number("it_energy_wh", it_energy_wh, "nonnegative") / WH_PER_KWH * validate.field("wue", wue)
