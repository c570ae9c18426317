"""Capital and total cost: what the fleet and its building cost, and what that is per hour.

All functions are vectorized products of their inputs (scalars or numpy
arrays, broadcast together). Money is in one currency unit throughout
(whatever the prices were given in); power in watts, time in hours or years.

The capital cost of a fleet is the accelerators (each with its share of
servers, network and storage) plus the facility, priced per watt of critical
IT as builders quote it. Spread over the period, it is amortized straight-line
over each asset's life, or with a capital recovery factor when a discount rate
is given. Added to the electricity bill, it gives a total that is capital plus
energy only: no staff, maintenance, software, land or taxes, so not a full
total cost of ownership.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import units, validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

HOURS_PER_YEAR = 8760.0
"""A year of 365 days, as every annual figure here uses."""


#: Share of a facility's cost per watt that is electrical (switchgear, UPS, generators, distribution):
#: an assumption, the middle of the 35–45 % one builder quotes (Cortex Construct, "What does it take to
#: build a data center", https://cortexconstruct.com/blog/what-does-it-take-to-build-a-data-center). The
#: same publisher gives 25–30 % of hard cost elsewhere, so it is a rough figure: give electrical_share.
ELECTRICAL_SHARE = 0.40

#: Installed ÷ needed power-equipment capacity by redundancy level; N+1 with 4 modules (1 + 1/4). The same
#: spellings are read from text for the ``redundancy`` field (``--redundancy 2N``).
REDUNDANCY: dict[str, float] = units.REDUNDANCY_LEVELS


def redundancy_factor(level: str, modules: int = 4) -> float:
    """Installed ÷ needed power-equipment capacity for a redundancy level.

    Parameters
    ----------
    level : {"N", "N+1", "2N"}
        Redundancy of the power equipment: none, one spare module, or a full second path.
    modules : int, default 4
        Modules that carry the load (``k``) for N+1.

    Returns
    -------
    float
        1 for N, ``1 + 1/k`` for N+1, 2 for 2N [unitless].

    Examples
    --------
    >>> redundancy_factor("N+1", modules=4), redundancy_factor("2N")
    (1.25, 2.0)
    """
    key = level.strip().upper() if isinstance(level, str) else level
    if key not in REDUNDANCY:
        raise ValueError(f"redundancy must be one of {', '.join(REDUNDANCY)} (got {level!r})")
    if isinstance(modules, bool) or not isinstance(modules, int) or modules < 1:
        raise ValueError(f"modules must be a whole number >= 1 (got {modules!r})")
    return 1.0 + 1.0 / modules if key == "N+1" else REDUNDANCY[key]


def facility_cost_factor(redundancy: ArrayLike = 1.0,
                         electrical_share: ArrayLike | None = None) -> float | np.ndarray:
    """How redundancy scales the facility cost per watt: only its electrical part grows.

    Parameters
    ----------
    redundancy : numeric, default 1.0
        Installed ÷ needed power-equipment capacity (1 N, 1.25 N+1 of 4, 2 2N) [unitless, >= 1].
    electrical_share : numeric, optional
        Share of the facility cost that is power equipment [unitless, (0, 1]];
        default :data:`ELECTRICAL_SHARE` (0.40, an assumption).

    Returns
    -------
    numeric
        ``1 + electrical_share × (redundancy − 1)`` [unitless]: 1.4 for 2N at 0.40.

    Notes
    -----
    ``facility_cost_per_w`` is read as the cost at N; 2N doubles the
    electrical part, N+1 adds ``1/k`` of it. Cooling and the shell do not
    scale (mechanical redundancy is not modelled).

    Examples
    --------
    >>> facility_cost_factor(2.0)
    1.4
    """
    share = ELECTRICAL_SHARE if electrical_share is None else validate.field("electrical_share", electrical_share)
    return 1.0 + share * (validate.field("redundancy", redundancy) - 1.0)


def hardware_capex(gpus: ArrayLike, accelerator_cost: ArrayLike) -> float | np.ndarray:
    """Capital cost of the accelerators with their servers, network and storage.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    accelerator_cost : numeric
        One accelerator with its share of servers, network and storage [currency].

    Returns
    -------
    numeric
        ``gpus × accelerator_cost`` [currency].

    References
    ----------
    .. [1] Cottier, B., Rahman, R., Fattorini, L., Maslej, N., Owen, D.,
       "The rising costs of training frontier AI models", arXiv:2405.21015
       (2024): hardware cost as accelerators plus server and cluster-level
       interconnect, https://arxiv.org/abs/2405.21015

    Examples
    --------
    >>> hardware_capex(100_000, 40_000)
    4000000000.0
    """
    return validate.field("gpus", gpus) * validate.field("accelerator_cost", accelerator_cost)


def facility_capex(it_power_w: ArrayLike, facility_cost_per_w: ArrayLike, redundancy: ArrayLike | None = None,
                   electrical_share: ArrayLike | None = None) -> float | np.ndarray:
    """Capital cost of the building, power and cooling, priced per watt of critical IT.

    Parameters
    ----------
    it_power_w : numeric
        Critical IT power at full load [W].
    facility_cost_per_w : numeric
        Building, power and cooling per watt of critical IT, at N (no
        redundant power equipment) [currency/W].
    redundancy : numeric, optional
        Installed ÷ needed power-equipment capacity [unitless, >= 1]; None is N (1).
    electrical_share : numeric, optional
        Share of the facility cost that is power equipment [unitless]; see
        :func:`facility_cost_factor`.

    Returns
    -------
    numeric
        ``it_power_w × facility_cost_per_w × facility_cost_factor(redundancy,
        electrical_share)`` [currency].

    Notes
    -----
    Builders quote a data hall's cost per watt (or per MW) of critical IT, not
    of the grid connection, so the facility is priced on IT power, not on
    facility power.

    References
    ----------
    .. [1] Turner & Townsend, "Data centre construction cost index 2025-2026":
       construction cost per watt in 52 markets (e.g. USD 13.3/W in Silicon
       Valley, 12.0 in London), https://www.turnerandtownsend.com/news/
       ai-data-centre-rush-raises-alarm-over-construction-supply-chain

    Examples
    --------
    >>> facility_capex(150e6, 12.0)
    1800000000.0
    >>> facility_capex(150e6, 12.0, redundancy=2.0)  # 2N: the 40 % electrical part doubles
    2520000000.0
    """
    cost = (validate.number("it_power_w", it_power_w, "nonnegative")
            * validate.field("facility_cost_per_w", facility_cost_per_w))
    if redundancy is None:
        return cost
    return cost * facility_cost_factor(redundancy, electrical_share)


def capex(hardware_capex: ArrayLike, facility_capex: ArrayLike) -> float | np.ndarray:
    """Capital cost of a fleet and its facility.

    Parameters
    ----------
    hardware_capex : numeric
        Accelerators with servers, network and storage [currency].
    facility_capex : numeric
        Building, power and cooling [currency].

    Returns
    -------
    numeric
        ``hardware_capex + facility_capex`` [currency].

    References
    ----------
    .. [1] Cottier, B. et al., "The rising costs of training frontier AI
       models", arXiv:2405.21015 (2024), https://arxiv.org/abs/2405.21015

    Examples
    --------
    >>> capex(4e9, 1.8e9)
    5800000000.0
    """
    return (validate.number("hardware_capex", hardware_capex, "nonnegative")
            + validate.number("facility_capex", facility_capex, "nonnegative"))


def capital_recovery_factor(discount_rate: ArrayLike, life_years: ArrayLike) -> float | np.ndarray:
    """The share of a capital cost to recover each year at a cost of capital.

    Parameters
    ----------
    discount_rate : numeric
        Annual cost of capital; 0 gives straight-line ``1 / life`` [unitless, >= 0].
    life_years : numeric
        Life the capital is recovered over [years].

    Returns
    -------
    numeric
        ``r / (1 − (1 + r)^−life)``, and ``1 / life`` where ``r`` is 0 [1/year].

    Notes
    -----
    The annuity that repays a unit of capital with interest ``r`` over
    ``life`` equal annual payments. The denominator is computed as
    ``−expm1(−life × log1p(r))``, which stays accurate for small ``r`` where
    ``1 − (1 + r)^−life`` would lose digits to cancellation.

    References
    ----------
    .. [1] Short, W., Packey, D. J., Holt, T., "A Manual for the Economic
       Evaluation of Energy Efficiency and Renewable Energy Technologies",
       NREL/TP-462-5173 (1995), https://www.nrel.gov/docs/legosti/old/5173.pdf

    Examples
    --------
    >>> round(capital_recovery_factor(0.08, 5), 6)
    0.250456
    >>> capital_recovery_factor(0.0, 5)
    0.2
    """
    r = validate.field("discount_rate", discount_rate)
    life = validate.number("life_years", life_years, "positive")
    # CRF = (r / log1p(r)) × (x / (1 − e^−x)) / life with x = life × log1p(r): both factors tend to 1
    # as r → 0 (straight line), so a tiny rate neither divides by an underflowed 0 nor loses digits.
    x = life * np.log1p(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(r > 0, r / np.where(r > 0, np.log1p(r), 1.0), 1.0)
        shape = np.where(x > 1e-10, x / -np.expm1(-np.where(x > 1e-10, x, 1.0)), 1.0 + x / 2)
    annuity = rate * shape / life
    return float(annuity) if np.ndim(annuity) == 0 else annuity


def amortized_capex(hardware_capex: ArrayLike, facility_capex: ArrayLike, hours: ArrayLike,
                    hardware_life_years: ArrayLike, facility_life_years: ArrayLike,
                    discount_rate: ArrayLike | None = None) -> float | np.ndarray:
    """The capital cost that falls in a period: each asset spread over its own life.

    Parameters
    ----------
    hardware_capex, facility_capex : numeric
        Capital cost of the hardware and of the facility [currency].
    hours : numeric
        Length of the period [h].
    hardware_life_years, facility_life_years : numeric
        Amortization lives [years].
    discount_rate : numeric, optional
        Annual cost of capital; None or 0 means straight line [unitless, >= 0].

    Returns
    -------
    numeric
        Straight line: ``hardware_capex × hours / (8760 × hardware_life_years)
        + facility_capex × hours / (8760 × facility_life_years)``; with a
        discount rate ``r``, each capex × CRF(r, life) × hours / 8760 [currency].

    See Also
    --------
    capital_recovery_factor : CRF = r / (1 − (1 + r)^−life).

    References
    ----------
    .. [1] Short, W., Packey, D. J., Holt, T., NREL/TP-462-5173 (1995),
       levelized cost with a capital recovery factor,
       https://www.nrel.gov/docs/legosti/old/5173.pdf

    Examples
    --------
    >>> amortized_capex(4e9, 1.8e9, 8760, 5, 20)
    890000000.0
    """
    hardware = validate.number("hardware_capex", hardware_capex, "nonnegative")
    facility = validate.number("facility_capex", facility_capex, "nonnegative")
    years = validate.field("hours", hours) / HOURS_PER_YEAR
    hardware_life = validate.field("hardware_life_years", hardware_life_years)
    facility_life = validate.field("facility_life_years", facility_life_years)
    if discount_rate is None:
        return hardware * years / hardware_life + facility * years / facility_life
    r = validate.field("discount_rate", discount_rate)
    return (hardware * capital_recovery_factor(r, hardware_life) * years
            + facility * capital_recovery_factor(r, facility_life) * years)


def total_cost(amortized_capex: ArrayLike, energy_cost: ArrayLike) -> float | np.ndarray:
    """Capital plus energy over a period (not a full total cost of ownership).

    Parameters
    ----------
    amortized_capex : numeric
        Capital cost that falls in the period [currency].
    energy_cost : numeric
        Electricity cost over the period [currency].

    Returns
    -------
    numeric
        ``amortized_capex + energy_cost`` [currency]. Staff, maintenance,
        software, land and taxes are not included.

    References
    ----------
    .. [1] Cottier, B. et al., "The rising costs of training frontier AI
       models", arXiv:2405.21015 (2024): amortized hardware plus energy,
       https://arxiv.org/abs/2405.21015

    Examples
    --------
    >>> total_cost(890e6, 120e6)
    1010000000.0
    """
    return (validate.number("amortized_capex", amortized_capex, "nonnegative")
            + validate.number("energy_cost", energy_cost, "nonnegative"))


def cost_per_gpu_hour(total_cost: ArrayLike, gpus: ArrayLike, hours: ArrayLike) -> float | np.ndarray:
    """Capital plus energy per accelerator-hour.

    Parameters
    ----------
    total_cost : numeric
        Capital plus energy over the period [currency].
    gpus : numeric
        Accelerators [count].
    hours : numeric
        Length of the period [h].

    Returns
    -------
    numeric
        ``total_cost / (gpus × hours)`` [currency per accelerator-hour].

    References
    ----------
    .. [1] Cottier, B. et al., "The rising costs of training frontier AI
       models", arXiv:2405.21015 (2024): cost per hardware-hour,
       https://arxiv.org/abs/2405.21015

    Examples
    --------
    >>> round(cost_per_gpu_hour(1.01e9, 100_000, 8760), 4)
    1.153
    """
    # Divided one at a time: gpus × hours can underflow to 0 where each ratio is finite.
    return (validate.number("total_cost", total_cost, "nonnegative")
            / validate.field("gpus", gpus) / validate.field("hours", hours))


def gpus_for_capex(capex_budget: ArrayLike, accelerator_cost: ArrayLike, facility_cost_per_w: ArrayLike,
                   gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                   network_overhead: ArrayLike = 1.0, redundancy: ArrayLike | None = None,
                   electrical_share: ArrayLike | None = None) -> float | np.ndarray:
    """How many accelerators a capital budget buys, with the facility that houses them.

    Parameters
    ----------
    capex_budget : numeric
        Capital to spend [currency].
    accelerator_cost : numeric
        One accelerator with its share of servers, network and storage [currency].
    facility_cost_per_w : numeric
        Building, power and cooling per watt of critical IT [currency/W].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead : numeric, default 1.0
        Server ÷ accelerator power and cluster IT ÷ server power [unitless, >= 1].
    redundancy, electrical_share : numeric, optional
        As :func:`facility_capex`: the facility cost per watt times
        :func:`facility_cost_factor` (None: N).

    Returns
    -------
    numeric
        ``capex_budget / (accelerator_cost + gpu_watts × server_overhead ×
        network_overhead × facility_cost_per_w × factor)`` [count]; fractional, so
        that the capex of the result is the budget.

    Notes
    -----
    The inverse of :func:`capex` for one accelerator's share: each
    accelerator costs its price plus the facility for its critical IT power.
    PUE does not enter, because the facility is priced per watt of IT.

    References
    ----------
    .. [1] Cottier, B. et al., "The rising costs of training frontier AI
       models", arXiv:2405.21015 (2024), https://arxiv.org/abs/2405.21015

    Examples
    --------
    $10B at $40k per accelerator and $12 per watt of IT, for H100 in DGX
    servers (1.82) and a network and storage overhead of 1.10:

    >>> int(gpus_for_capex(10e9, 40_000, 12.0, 700, 1.82, 1.10))
    176004
    """
    budget = validate.field("capex_budget", capex_budget)
    per_gpu = (validate.field("accelerator_cost", accelerator_cost)
               + validate.field("gpu_watts", gpu_watts) * validate.field("server_overhead", server_overhead)
               * validate.field("network_overhead", network_overhead)
               * validate.field("facility_cost_per_w", facility_cost_per_w)
               * (1.0 if redundancy is None else facility_cost_factor(redundancy, electrical_share)))
    return budget / per_gpu
