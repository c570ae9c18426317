"""The frontier training run's power by year, on a growth trend, and when it passes 1, 5 and 10 GW.

A projection, not a forecast of ours: a starting run's facility power grown
by a constant factor a year, by default Epoch AI's fit to frontier models
(2.1× a year). The starting run is by default the ready training run
(:func:`estimator.training_runs`) that draws the most at full load at the
default methodology; every input may be changed.

Examples
--------
>>> p = projection(start_power_w=100e6, start_year=2025.0, growth=2.1, years=8)
>>> [round(y, 2) for y in p["crossing_years"]]
[2028.1, 2030.27, 2031.21]
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import validate
from estimator.catalog import Sourced

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

#: Growth of frontier training runs' power, a year [unitless].
GROWTH = Sourced(
    2.1, "ratio",
    "Epoch AI, 'The power required to train frontier AI models is doubling annually' (Emberson and Rahman, "
    "19 Sep 2024), https://epoch.ai/data-insights/power-usage-trend",
    "A log-linear fit to 45 frontier models (top 10 by training compute when published) since 2010: 2.1× a "
    "year, 90% confidence interval 1.9–2.2×. Epoch AI and EPRI later give 2.2× a year "
    "(https://epoch.ai/blog/power-demands-of-frontier-ai-training).")

#: The powers :func:`projection` reports the crossing year of [W].
THRESHOLDS_W: tuple[float, ...] = (1e9, 5e9, 10e9)

#: Most years a projection spans (a trend of 2× a year for a century is a typo).
MAX_YEARS = 100

#: Latest start year a projection takes (a sanity ceiling: a year of 20250 or 2.025e9 is a typo).
MAX_START_YEAR = 3000.0


def _decimal_year(iso: str) -> float:
    day = datetime.date.fromisoformat(iso)
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def largest_ready_run() -> dict[str, Any]:
    """The ready training run with the largest full-load facility power at the default methodology.

    Returns
    -------
    dict
        ``key``, ``name``, ``date`` (ISO), ``year`` (decimal) and
        ``facility_power_w`` [W]: its accelerators × the preset chain
        (:meth:`estimator.Scenario.from_accelerator`, the ``nameplate``
        methodology). Runs without a published accelerator or count are left out.

    Examples
    --------
    >>> run = largest_ready_run()
    >>> run["key"], round(run["facility_power_w"] / 1e6)
    ('grok-3', 168)
    """
    from estimator import runs  # deferred: runs and scenario are not needed for a projection from given numbers
    from estimator.scenario import Scenario, estimate

    best: dict[str, Any] | None = None
    for key, run in runs.training_runs().items():
        if run.accelerator is None or run.gpus is None:
            continue
        watts = estimate(Scenario.from_accelerator(run.accelerator, gpus=run.gpus.value)).facility_power_w
        if best is None or watts > best["facility_power_w"]:
            best = {"key": key, "name": run.name, "date": run.date, "year": _decimal_year(run.date),
                    "facility_power_w": float(watts)}
    if best is None:  # the catalogue always holds sized runs; a trimmed one would land here
        raise ValueError("no ready training run has an accelerator and a count: give start_power_w and start_year")
    return best


def projection(start_power_w: ArrayLike | None = None, start_year: ArrayLike | None = None,
               growth: ArrayLike = GROWTH.value, years: int = 10,
               thresholds_w: tuple[float, ...] = THRESHOLDS_W) -> dict[str, Any]:
    """The frontier training run's power by year on a constant growth trend.

    Parameters
    ----------
    start_power_w : numeric, optional
        Facility power of the starting run [W]; default the largest ready
        training run's (:func:`largest_ready_run`).
    start_year : numeric, optional
        Its year, decimal (2025.13 is mid-February 2025) [years]; default
        that run's date. Give both or neither to use a run of your own.
    growth : numeric, default 2.1
        Factor the power grows by each year [unitless, > 1]; Epoch AI's 2.1 [1]_.
    years : int, default 10
        Whole years after the start to tabulate, 1 to 100.
    thresholds_w : tuple of float, default (1e9, 5e9, 10e9)
        Powers to give the crossing year of [W].

    Returns
    -------
    dict
        ``year`` (the start and each whole year after it) [years],
        ``power_w`` (the power at each) [W], ``thresholds_w`` [W],
        ``crossing_years`` (the year the trend reaches each threshold,
        continuous; the start year where the start is already above it)
        [years], ``start_power_w``, ``start_year``, ``growth`` and ``run``
        (the starting run's key, or None for a start of your own). With
        array inputs, ``power_w`` and each crossing year broadcast (the
        year axis last).

    Notes
    -----
    ::

        power_w(t)    = start_power_w × growth^(t − start_year)
        crossing_year = start_year + max(0, ln(threshold ÷ start_power_w) ÷ ln(growth))

    References
    ----------
    .. [1] Epoch AI, "The power required to train frontier AI models is
       doubling annually" (2024), https://epoch.ai/data-insights/power-usage-trend

    Examples
    --------
    >>> p = projection(100e6, 2025.0, 2.1, years=3)
    >>> (p["power_w"] / 1e6).round(1).tolist()
    [100.0, 210.0, 441.0, 926.1]
    """
    if (start_power_w is None) != (start_year is None):
        raise ValueError("projection needs start_power_w and start_year together (or neither, for the largest "
                         "ready training run)")
    run = None
    if start_power_w is None:
        largest = largest_ready_run()
        run, start_power_w, start_year = largest["key"], largest["facility_power_w"], largest["year"]
    power = validate.number("start_power_w", start_power_w, "positive")
    year = validate.number("start_year", start_year, "positive", maximum=MAX_START_YEAR)
    rate = validate.number("growth", growth, "positive")
    if np.any(np.asarray(rate) <= 1):
        raise ValueError(f"growth must be > 1 (got {float(np.min(rate)):g}): a trend that does not grow "
                         "never reaches a larger power")
    if isinstance(years, bool) or not isinstance(years, int | np.integer) or not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must be a whole number from 1 to {MAX_YEARS} (got {years!r})")
    limits = [validate.number("thresholds_w", t, "positive") for t in thresholds_w]
    steps = np.arange(years + 1, dtype=float)
    with np.errstate(over="ignore"):  # an overflow is refused just below, naming growth and years
        power_w = np.asarray(power)[..., None] * np.asarray(rate)[..., None] ** steps
    if not np.all(np.isfinite(power_w)):
        raise ValueError(f"growth^years overflows: growth {float(np.max(rate)):g} over {years} years")
    crossings = [year + np.maximum(0.0, np.log(t / power) / np.log(rate)) for t in limits]
    plain = lambda v: float(v) if np.ndim(v) == 0 else np.asarray(v)  # noqa: E731
    return {"year": np.asarray(year)[..., None] + steps, "power_w": power_w, "thresholds_w": tuple(limits),
            "crossing_years": [plain(c) for c in crossings], "start_power_w": plain(power),
            "start_year": plain(year), "growth": plain(rate), "run": run}
