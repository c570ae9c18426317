"""Several limits at once: power, money and time, and which one binds.

A fleet is capped by its power (a facility or a critical-IT budget) and by
its capital budget; a training run is bounded by the time it may take. Given
any of these, :func:`binding_limit` finds the largest fleet each cap allows,
the smallest of them (the limit that binds), and what that fleet computes in
the deadline or how long it takes to reach a compute target. All inputs
broadcast; every value is validated by its registry field.

Examples
--------
$10B, 1 GW and 90 days for H100 in DGX servers (1.82), network 1.10, PUE 1.2,
$40k per accelerator and $12 per watt of IT:

>>> t = binding_limit(700, 1.82, 1.10, 1.2, power_budget_w=1e9, capex_budget=10e9,
...                   accelerator_cost=40_000, facility_cost_per_w=12.0)
>>> t["limit"], [int(g) for g in t["gpus"]], t["binding"]
(['power', 'capex'], [594643, 176004], 'capex')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import money, power, solve, validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

Numeric = float | np.ndarray

#: The limits, in the order a table lists them: (name, the registry field of its value, label).
LIMITS: tuple[tuple[str, str, str], ...] = (
    ("power", "power_budget_w", "Power budget (facility)"),
    ("it_power", "it_budget_w", "Power budget (critical IT)"),
    ("capex", "capex_budget", "Capital budget"),
    ("fleet", "gpus", "Fleet on hand"),
    ("deadline", "training_time_s", "Deadline"),
)
LABELS: dict[str, str] = {name: label for name, _, label in LIMITS}

SECONDS_PER_DAY = 86_400.0


def _plain(value: Numeric) -> Numeric:
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def binding_limit(gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0, network_overhead: ArrayLike = 1.0,
                  pue: ArrayLike = 1.0, *, power_budget_w: ArrayLike | None = None,
                  it_budget_w: ArrayLike | None = None, capex_budget: ArrayLike | None = None,
                  gpus: ArrayLike | None = None,
                  accelerator_cost: ArrayLike | None = None, facility_cost_per_w: ArrayLike | None = None,
                  redundancy: ArrayLike | None = None, electrical_share: ArrayLike | None = None,
                  training_time_s: ArrayLike | None = None, training_flop: ArrayLike | None = None,
                  peak_flop_per_s: ArrayLike | None = None, mfu: ArrayLike | None = None) -> dict[str, Any]:
    """The largest fleet under each limit, the limit that binds, and the training run it allows.

    Parameters
    ----------
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The power chain's ratios [unitless, >= 1].
    power_budget_w : numeric, optional
        Facility power cap, full load [W].
    it_budget_w : numeric, optional
        Critical-IT power cap, full load [W].
    capex_budget : numeric, optional
        Capital cap [currency]; needs ``accelerator_cost`` and ``facility_cost_per_w``.
    accelerator_cost, facility_cost_per_w, redundancy, electrical_share : numeric, optional
        As :func:`estimator.money.gpus_for_capex`; with the first two, every
        row also gives its fleet's capital cost.
    gpus : numeric, optional
        Accelerators on hand [count]: a cap of its own (a fleet cannot grow
        past what is bought), so a deadline alone asks what this fleet does in it.
    training_time_s : numeric, optional
        Deadline of a training run [s]; with ``peak_flop_per_s`` and ``mfu``,
        each row gives the compute its fleet delivers in it.
    training_flop : numeric, optional
        Compute target of the run [FLOP]; with a peak and an MFU, each row
        gives the days its fleet needs, and with a deadline the fleet that
        meets it is a row of its own (a floor, not a cap).
    peak_flop_per_s : numeric, optional
        Dense peak of one accelerator [FLOP/s].
    mfu : numeric, optional
        Model FLOPs utilization [unitless, (0, 1]]; no MFU is invented.

    Returns
    -------
    dict
        Rows, one per limit given (``"power"``, ``"it_power"``, ``"capex"``,
        ``"fleet"``, and ``"deadline"`` when a target and a deadline are both given), as
        parallel lists: ``limit``, ``label``, ``field`` (its registry field),
        ``value`` (in that field's unit), ``gpus`` (whole accelerators the
        cap allows; for the deadline, the fewest that meet the target)
        [count], ``facility_power_w`` [W], ``capex`` [currency] or None,
        ``flop_in_deadline`` [FLOP] or None, ``days_for_target`` [days] or
        None. And the summary: ``binding`` (the cap with the fewest
        accelerators; an array of names where the inputs are arrays),
        ``fleet_gpus`` (that fewest) [count], ``fleet_facility_power_w`` [W],
        ``fleet_capex`` [currency] or None, ``fleet_flop_in_deadline`` [FLOP]
        or None, ``fleet_days_for_target`` [days] or None, and
        ``target_fits`` (the binding fleet meets the target in the deadline) or None.

    Raises
    ------
    ValueError
        If no cap is given, a capital budget comes without its prices, or a
        value breaks its field's rule.

    Notes
    -----
    ::

        watts_per_gpu = gpu_watts × server_overhead × network_overhead × pue
        power:    gpus = floor(power_budget_w ÷ watts_per_gpu)
        it_power: gpus = floor(it_budget_w ÷ (gpu_watts × server_overhead × network_overhead))
        capex:    gpus = floor(gpus_for_capex(capex_budget, ...))
        fleet:    gpus = floor(gpus)
        deadline: gpus = ceil(training_flop ÷ (peak_flop_per_s × mfu × training_time_s))
        binding   = the cap with the fewest gpus
        flop_in_deadline = gpus × peak_flop_per_s × mfu × training_time_s
        days_for_target  = training_flop ÷ (gpus × peak_flop_per_s × mfu) ÷ 86,400

    A cap that holds no whole accelerator is refused, naming it.

    Examples
    --------
    >>> t = binding_limit(700, 1.82, 1.10, 1.2, power_budget_w=1e9, it_budget_w=500e6)
    >>> t["binding"], int(t["fleet_gpus"])
    ('it_power', 356786)
    """
    watts = validate.field("gpu_watts", gpu_watts)
    so = validate.field("server_overhead", server_overhead)
    no = validate.field("network_overhead", network_overhead)
    ratio = validate.field("pue", pue)
    priced = accelerator_cost is not None and facility_cost_per_w is not None
    if capex_budget is not None and not priced:
        raise ValueError("capex_budget needs accelerator_cost and facility_cost_per_w (not given)")
    computes = peak_flop_per_s is not None and mfu is not None
    rate = (validate.field("peak_flop_per_s", peak_flop_per_s) * validate.field("mfu", mfu)) if computes else None
    deadline = None if training_time_s is None else validate.field("training_time_s", training_time_s)
    target = None if training_flop is None else validate.field("training_flop", training_flop)

    caps: list[tuple[str, Numeric, Numeric]] = []  # (limit, its value, whole accelerators it allows)
    if power_budget_w is not None:
        budget = validate.field("power_budget_w", power_budget_w)
        caps.append(("power", budget, solve.gpus_for_power(budget, watts, so, no, ratio, whole=True)))
    if it_budget_w is not None:
        budget = validate.field("it_budget_w", it_budget_w)
        caps.append(("it_power", budget, solve.gpus_for_power(budget, watts, so, no, 1.0, whole=True)))
    if capex_budget is not None:
        budget = validate.field("capex_budget", capex_budget)
        caps.append(("capex", budget, np.floor(money.gpus_for_capex(
            budget, accelerator_cost, facility_cost_per_w, watts, so, no, redundancy, electrical_share))))
    if gpus is not None:
        on_hand = validate.field("gpus", gpus)
        caps.append(("fleet", on_hand, np.floor(on_hand)))
    if not caps:
        raise ValueError("binding_limit needs a cap: power_budget_w, it_budget_w, capex_budget or gpus (none given)")
    for name, value, gpus in caps:
        if np.any(np.asarray(gpus) < 1):
            field = next(f for n, f, _ in LIMITS if n == name)
            raise ValueError(f"{field} holds no whole accelerator (got {float(np.min(value)):g}): raise it or "
                             "lower the cost or power of one accelerator")

    rows: list[tuple[str, Numeric, Numeric]] = list(caps)
    if deadline is not None and target is not None and rate is not None:
        rows.append(("deadline", deadline, np.ceil(target / (rate * deadline))))

    per_gpu_w = power.fleet_facility_power_w(1.0, watts, so, no, ratio)

    def describe(gpus: Numeric) -> dict[str, Numeric | None]:
        cost = None
        if priced:
            cost = (gpus * validate.field("accelerator_cost", accelerator_cost)
                    + gpus * watts * so * no * validate.field("facility_cost_per_w", facility_cost_per_w)
                    * (1.0 if redundancy is None else money.facility_cost_factor(redundancy, electrical_share)))
        flop = None if rate is None or deadline is None else gpus * rate * deadline
        days = None if rate is None or target is None else target / (gpus * rate) / SECONDS_PER_DAY
        return {"facility_power_w": gpus * per_gpu_w, "capex": cost, "flop_in_deadline": flop,
                "days_for_target": days}

    out: dict[str, Any] = {"limit": [], "label": [], "field": [], "value": [], "gpus": [],
                           "facility_power_w": [], "capex": [], "flop_in_deadline": [], "days_for_target": []}
    fields_of = {name: field for name, field, _ in LIMITS}
    for name, value, gpus in rows:
        out["limit"].append(name)
        out["label"].append(LABELS[name])
        out["field"].append(fields_of[name])
        out["value"].append(_plain(value))
        out["gpus"].append(_plain(gpus))
        for k, v in describe(gpus).items():
            out[k].append(None if v is None else _plain(v))

    stacked = np.stack(np.broadcast_arrays(*(g for _, _, g in caps)))
    which = np.argmin(stacked, axis=0)  # ties go to the first listed cap
    names = np.array([name for name, _, _ in caps])
    out["binding"] = str(names[which]) if which.ndim == 0 else names[which]
    fleet = np.min(stacked, axis=0)
    out["fleet_gpus"] = _plain(fleet)
    for k, v in describe(fleet).items():
        out[f"fleet_{k}"] = None if v is None else _plain(v)
    out["target_fits"] = None
    if deadline is not None and out["fleet_days_for_target"] is not None:
        fits = np.asarray(out["fleet_days_for_target"]) * SECONDS_PER_DAY <= deadline
        out["target_fits"] = bool(fits) if fits.ndim == 0 else fits
    return out

