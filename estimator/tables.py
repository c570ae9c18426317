"""Tables: what a facility budget holds, a training run, the layers of the chain, scenarios side by side.

The dashboard's pages ask questions that take more than one call to the
model: "how many of each accelerator fit a 1 GW budget?", "how does that
change between methodologies?", "how long does a reference run take on this
fleet?", "which layer of the chain draws what?". Each function here answers
one of them with the library's own functions, vectorized over the catalogue,
and returns plain columns (a dict of lists and float64 arrays) that any front
end can show. Labels and units come from the field
registry (:mod:`estimator.fields`).

Nothing here imports streamlit or pandas.

References
----------
.. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
   (2024): 405B parameters, 15.6T tokens, 3.8e25 FLOP.

Examples
--------
>>> from estimator import tables
>>> t = tables.accelerator_table(1e9, "nameplate", accelerators=["h100-sxm"])
>>> t["name"], int(t["gpus"][0])
(['NVIDIA H100 SXM5 80GB'], 594177)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, compute, energy, fields, power, resolve, runs, solve, validate
from estimator.scenario import Estimate, Scenario, estimate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

LLAMA3_405B_TRAINING_FLOP = 3.8e25
"""Training compute of Llama 3 405B [FLOP] (arXiv:2407.21783, section 3.3)."""

GIGAWATT_W = 1e9
"""The headline budget [W]."""

#: Budgets the explorer accepts [W]: 10 MW to 10 GW.
BUDGET_RANGE_W = (1e7, 1e10)


def _columns(rows: list[dict[str, Any]], numeric: Iterable[str]) -> dict[str, Any]:
    """Rows of dicts to columns: float64 arrays for ``numeric`` names, lists otherwise."""
    names = list(rows[0]) if rows else []
    numeric = set(numeric)
    return {n: (np.array([r[n] for r in rows], dtype=float) if n in numeric else [r[n] for r in rows])
            for n in names}


def budget_fleet(facility_power_w: ArrayLike, gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                 network_overhead: ArrayLike = 1.0, pue: ArrayLike = 1.0,
                 peak_flop_per_s: ArrayLike | None = None, mfu: ArrayLike | None = None,
                 hours: ArrayLike | None = None,
                 training_flop: ArrayLike = LLAMA3_405B_TRAINING_FLOP,
                 goodput: ArrayLike | None = None) -> dict[str, float | np.ndarray]:
    """What a facility power budget holds at full load, and what it can compute.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power budget (grid connection) [W].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The chain's ratios [unitless, >= 1].
    peak_flop_per_s : numeric, optional
        Dense peak of one accelerator [FLOP/s]; without it, compute outputs
        are absent.
    mfu : numeric, optional
        Model FLOPs utilization, relative to the peak's precision [unitless,
        (0, 1]]; without it, ``sustained_flop_per_s``, ``flop_in_period``
        and ``runs`` are absent (no MFU is invented).
    hours : numeric, optional
        Length of the training period [h]; without it, ``flop_in_period``
        and ``runs`` are absent.
    training_flop : numeric, default 3.8e25
        Compute of one reference run, Llama 3 405B by default [FLOP].
    goodput : numeric, optional
        Share of wall time doing useful training [unitless, (0, 1]]; None
        means 1. Scales ``flop_in_period`` and ``runs``.

    Returns
    -------
    dict of str to numeric
        ``watts_per_gpu`` (all-in facility power per accelerator) [W];
        ``gpus`` (whole accelerators that fit, rounded down) [count]; and with
        a peak: ``peak_cluster_flop_per_s``, ``sustained_flop_per_s``
        [FLOP/s]; with hours too: ``flop_in_period`` [FLOP] and ``runs``
        (reference runs in the period) [runs]. Every value broadcast.

    Notes
    -----
    ::

        watts_per_gpu = gpu_watts × server_overhead × network_overhead × pue
        gpus          = floor(facility_power_w ÷ watts_per_gpu)
        sustained     = gpus × peak_flop_per_s × mfu
        runs          = sustained × goodput × hours × 3600 ÷ training_flop

    A budget smaller than one accelerator holds 0 of them and computes 0.

    Examples
    --------
    >>> out = budget_fleet(1e9, 700, 1.8214285714285714, 1.1, 1.2, 989.4e12, 0.4, 90 * 24)
    >>> int(out["gpus"]), round(float(out["runs"]), 2)
    (594177, 48.12)
    """
    budget = validate.field("facility_power_w", facility_power_w)
    per_gpu = power.fleet_facility_power_w(1.0, gpu_watts, server_overhead, network_overhead, pue)
    gpus = solve.gpus_for_power(budget, gpu_watts, server_overhead, network_overhead, pue, whole=True)
    out: dict[str, float | np.ndarray] = {"watts_per_gpu": per_gpu, "gpus": gpus}
    if peak_flop_per_s is not None:
        # Plain products: a budget below one accelerator gives gpus = 0, which
        # the compute functions (gpus > 0) would reject.
        peak = gpus * validate.field("peak_flop_per_s", peak_flop_per_s)
        out["peak_cluster_flop_per_s"] = peak
    if peak_flop_per_s is not None and mfu is not None:  # no MFU is invented
        out["sustained_flop_per_s"] = out["peak_cluster_flop_per_s"] * validate.field("mfu", mfu)
        if hours is not None:
            useful = compute.useful_flop_per_s(out["sustained_flop_per_s"], goodput)
            flop = useful * validate.field("hours", hours) * compute.SECONDS_PER_HOUR
            out["flop_in_period"] = flop
            out["runs"] = compute.runs_in_period(flop, training_flop)
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: (float(v) if shape == () else np.broadcast_to(v, shape).astype(float)) for k, v in out.items()}


def _precision_for(part: catalog.Accelerator, precision: str) -> str:
    """The precision a table row uses: FP8 where the part publishes an FP8 peak, else BF16 (marked)."""
    if precision == "fp8" and part.peak_flop_per_s_fp8 is None:
        return "bf16"
    return precision


def _peak(part: catalog.Accelerator, precision: str) -> tuple[float, str]:
    """Dense peak at ``precision`` and its name, BF16 where FP8 is not published (as the table rows use it).

    Kept for :mod:`estimator.links`; the tables resolve presets through :mod:`estimator.resolve`.
    """
    used = _precision_for(part, resolve.check_precision(precision))
    peak = part.peak_flop_per_s_fp8 if used == "fp8" else part.peak_flop_per_s
    return peak.value, used.upper()


def _mfu_columns(table: dict[str, Any], mfus: Sequence[float | None], facility_power_w: ArrayLike,
                 hours: ArrayLike | None, training_flop: ArrayLike, goodput: ArrayLike | None = None) -> None:
    """Add ``mfu`` and the columns that need it, from the rows' MFUs (None: not given).

    Every row with an MFU: float64 arrays. No row with one: the columns are
    left out (no MFU is invented). Some rows: lists holding None for the rows
    without one.
    """
    given = [i for i, m in enumerate(mfus) if m is not None]
    if not given:
        return
    rows = np.array(given)
    fleet = budget_fleet(facility_power_w, table["gpu_watts"][rows], table["server_overhead"][rows],
                         table["network_overhead"][rows], table["pue"][rows], table["peak_flop_per_s"][rows],
                         np.array([mfus[i] for i in given], dtype=float), hours, training_flop, goodput)
    computed = {"mfu": np.array([mfus[i] for i in given], dtype=float),
                **{k: np.atleast_1d(fleet[k]) for k in ("sustained_flop_per_s", "flop_in_period", "runs")
                   if k in fleet}}
    for name, values in computed.items():
        if len(given) == len(mfus):
            table[name] = values
        else:
            column: list[float | None] = [None] * len(mfus)
            for j, i in enumerate(given):
                column[i] = float(values[j])
            table[name] = column


def accelerator_table(facility_power_w: float, methodology: str | None = None, site: str | None = None,
                      *, network_overhead: float | None = None, pue: float | None = None,
                      mfu: float | None = None, hours: float | None = None,
                      training_flop: float = LLAMA3_405B_TRAINING_FLOP, precision: str = "bf16",
                      accelerators: Sequence[str] | None = None, date: str | None = None,
                      **overrides: float | None) -> dict[str, Any]:
    """Every accelerator generation side by side under one facility budget.

    Each accelerator keeps its own preset power, peak and server overhead (as
    the methodology sets it for that part), resolved as every door resolves
    presets (:func:`estimator.resolve.resolve`: the default methodology,
    ``"nameplate"``, when none is named); the fleet-level assumptions
    (network overhead, PUE, MFU, or any other Scenario field) can be given
    once for all of them.

    Parameters
    ----------
    facility_power_w : float
        Facility power budget [W].
    methodology, site : str, optional
        Preset keys applied after each accelerator's own presets; without a
        methodology, the default one.
    network_overhead, pue : float, optional
        Overrides applied to every accelerator [unitless, >= 1].
    mfu : float, optional
        Model FLOPs utilization for every accelerator, relative to the
        precision's peak; by default the methodology's. Without either,
        ``mfu``, ``sustained_flop_per_s``, ``flop_in_period`` and ``runs``
        are left out (no MFU is invented) [unitless, (0, 1]].
    hours : float, optional
        Training period [h]; without it, ``flop_in_period`` and ``runs`` are
        absent.
    training_flop : float, default 3.8e25
        Compute of one reference run [FLOP].
    precision : {"bf16", "fp8"}, default "bf16"
        Which dense peak to use; parts without a published FP8 peak keep BF16,
        marked in the column ``precision``.
    accelerators : sequence of str, optional
        Accelerator keys, in order; all of the catalogue by default.
    date : str, optional
        ISO date the methodology is applied at, for methods that vary by year.
    **overrides
        Any other Scenario field, applied to every accelerator (e.g.
        ``server_overhead``); None means not given.

    Returns
    -------
    dict of str to list or numpy.ndarray
        One entry per accelerator: ``key``, ``name``, ``year``, ``precision``
        ("BF16" or "FP8", text); ``gpu_watts`` [W], ``server_overhead``,
        ``network_overhead``, ``pue`` [unitless], ``peak_flop_per_s``
        [FLOP/s]; ``provenance`` (field → :class:`estimator.resolve.Origin`
        of each row's values); the columns of :func:`budget_fleet`; and,
        with an MFU, ``mfu`` [unitless].

    Raises
    ------
    ValueError
        On an unknown preset or field, or an invalid value.

    Examples
    --------
    >>> t = accelerator_table(1e9, "nameplate", accelerators=["h100-sxm"])
    >>> int(t["gpus"][0]), "sustained_flop_per_s" in t
    (594177, False)
    """
    precision = resolve.check_precision(precision)
    parts = catalog.accelerators()
    keys = list(parts) if accelerators is None else [catalog.accelerator(k).key for k in accelerators]
    given = {"network_overhead": network_overhead, "pue": pue, "mfu": mfu, "hours": hours, **overrides}
    for name, value in given.items():  # named as given, not as a row of the table; unknown names: resolve's message
        if value is not None and name in fields.inputs():
            given[name] = validate.field(name, value)
    rows, mfus = [], []
    for key in keys:
        used = _precision_for(parts[key], precision)
        r = resolve.resolve(key, methodology, site, used, date, values=given)
        v = r.values
        rows.append({
            "key": key, "name": parts[key].name, "year": parts[key].year, "precision": used.upper(),
            "gpu_watts": v["gpu_watts"], "server_overhead": v["server_overhead"],
            "network_overhead": v["network_overhead"], "pue": v["pue"],
            "peak_flop_per_s": v.get("peak_flop_per_s"), "provenance": r.provenance,
        })
        mfus.append(v.get("mfu"))
    numeric = ("year", "gpu_watts", "server_overhead", "network_overhead", "pue", "peak_flop_per_s")
    table = _columns(rows, numeric)
    if not rows:
        return table
    table.update(budget_fleet(facility_power_w, table["gpu_watts"], table["server_overhead"],
                              table["network_overhead"], table["pue"], table["peak_flop_per_s"],
                              None, hours, training_flop))
    _mfu_columns(table, mfus, facility_power_w, hours, training_flop, given.get("goodput"))
    return table


def methodology_table(facility_power_w: float, accelerator: str, *, gpu_watts: float | None = None,
                      peak_flop_per_s: float | None = None, mfu: float | None = None,
                      hours: float | None = None, training_flop: float = LLAMA3_405B_TRAINING_FLOP,
                      methodologies: Sequence[str] | None = None, precision: str = "bf16",
                      date: str | None = None, goodput: float | None = None) -> dict[str, Any]:
    """One accelerator under each methodology: how far the answer moves.

    Parameters
    ----------
    facility_power_w : float
        Facility power budget [W].
    accelerator : str
        Accelerator key; its preset power and peak are used unless given.
    gpu_watts : float, optional
        Power of one accelerator at full load [W].
    peak_flop_per_s : float, optional
        Dense peak of one accelerator [FLOP/s].
    mfu : float, optional
        Model FLOPs utilization used where a methodology sets none
        [unitless, (0, 1]]. A methodology's own MFU wins. A row with neither
        has no sustained compute (no MFU is invented).
    hours : float, optional
        Training period [h].
    training_flop : float, default 3.8e25
        Compute of one reference run [FLOP].
    methodologies : sequence of str, optional
        Methodology keys, in order; all of the catalogue by default.
    precision : {"bf16", "fp8"}, default "bf16"
        Which dense peak of the accelerator preset to use.
    date : str, optional
        ISO date the methodologies are applied at.
    goodput : float, optional
        Share of wall time doing useful training, for every row [unitless,
        (0, 1]]; None means 1. Scales ``flop_in_period`` and ``runs``.

    Returns
    -------
    dict of str to list or numpy.ndarray
        One entry per methodology: ``key``, ``name`` (text);
        ``server_overhead``, ``network_overhead``, ``pue``, ``utilization``
        [unitless]; ``average_facility_power_w`` (the budget ×
        utilization) [W]; the columns of :func:`budget_fleet`; and ``mfu``
        with the columns that need it: float64 arrays when every row has an
        MFU, lists with None for the rows without one, left out when none has.
    """
    part = catalog.accelerator(accelerator)
    table_of = catalog.methodologies()
    keys = list(table_of) if methodologies is None else [catalog.methodology(k).key for k in methodologies]
    given = {"gpu_watts": gpu_watts, "peak_flop_per_s": peak_flop_per_s}
    rows, mfus = [], []
    for key in keys:
        v = resolve.resolve(part.key, key, None, precision, date, values=given).values
        rows.append({
            "key": key, "name": table_of[key].name, "gpu_watts": v["gpu_watts"],
            "server_overhead": v["server_overhead"], "network_overhead": v["network_overhead"],
            "pue": v["pue"], "utilization": v["utilization"], "peak_flop_per_s": v["peak_flop_per_s"],
        })
        mfus.append(v.get("mfu", mfu))
    table = _columns(rows, ("gpu_watts", "server_overhead", "network_overhead", "pue", "utilization",
                            "peak_flop_per_s"))
    if not rows:
        return table
    table.update(budget_fleet(facility_power_w, table["gpu_watts"], table["server_overhead"],
                              table["network_overhead"], table["pue"], table["peak_flop_per_s"], None, hours,
                              training_flop))
    _mfu_columns(table, mfus, facility_power_w, hours, training_flop, goodput)
    table["average_facility_power_w"] = power.average_power_w(
        np.full(len(rows), validate.field("facility_power_w", facility_power_w)), table["utilization"])
    for name in ("gpu_watts", "peak_flop_per_s"):  # one accelerator: shown once, not per row
        del table[name]
    return table


def fit_matrix(facility_power_w: float, accelerators: Sequence[str] | None = None,
               methodologies: Sequence[str] | None = None) -> dict[str, Any]:
    """Accelerators that fit a budget, for every accelerator × methodology.

    Parameters
    ----------
    facility_power_w : float
        Facility power budget [W].
    accelerators, methodologies : sequence of str, optional
        Keys, in order; all of the catalogue by default.

    Returns
    -------
    dict
        ``accelerators`` and ``methodologies`` (keys, lists); ``gpus``, a
        float64 array of shape (accelerators, methodologies), whole
        accelerators [count]; ``watts_per_gpu`` of the same shape [W].
    """
    parts = catalog.accelerators()
    methods = catalog.methodologies()
    acc_keys = list(parts) if accelerators is None else [catalog.accelerator(k).key for k in accelerators]
    met_keys = list(methods) if methodologies is None else [catalog.methodology(k).key for k in methodologies]
    chain = np.ones((len(acc_keys), len(met_keys), 4))
    for i, a in enumerate(acc_keys):
        for j, m in enumerate(met_keys):
            v = methods[m].assumptions(parts[a])
            chain[i, j] = (parts[a].gpu_watts.value, v["server_overhead"], v["network_overhead"], v["pue"])
    if chain.size == 0:
        empty = np.zeros((len(acc_keys), len(met_keys)))
        return {"accelerators": acc_keys, "methodologies": met_keys, "gpus": empty, "watts_per_gpu": empty}
    fit = budget_fleet(facility_power_w, *np.moveaxis(chain, -1, 0))
    return {"accelerators": acc_keys, "methodologies": met_keys,
            "gpus": np.asarray(fit["gpus"]), "watts_per_gpu": np.asarray(fit["watts_per_gpu"])}


def training_run(scenario: Scenario, training_flop: ArrayLike) -> dict[str, float | np.ndarray | None]:
    """A training run on the scenario's fleet: time, accelerator-hours, energy and its consequences.

    Parameters
    ----------
    scenario : Scenario
        The fleet, its overheads and site; ``peak_flop_per_s`` and ``mfu``
        are required, ``goodput`` counts where given, ``hours`` is ignored
        (the run sets its own length).
    training_flop : numeric
        Compute of the run [FLOP].

    Returns
    -------
    dict of str to numeric or None
        ``training_flop`` [FLOP]; ``training_time_s`` [s]; ``gpu_hours``
        [GPU-h]; ``facility_power_w`` and ``average_facility_power_w`` [W];
        ``energy_wh`` and ``it_energy_wh`` [Wh]; ``cost`` [currency],
        ``emissions_kg`` [kg CO2e] and ``water_l`` [L], None where the
        scenario gives no price, grid intensity or WUE.

    Raises
    ------
    ValueError
        If the scenario has no ``peak_flop_per_s`` or no ``mfu`` (none is
        invented).

    Notes
    -----
    ``time = training_flop ÷ (gpus × peak × mfu × goodput)`` (goodput 1
    when not given); energy is the average
    facility draw (full load × utilization) over that time. A run longer
    than the model's longest period (:data:`estimator.fields.FIELDS`
    ``["hours"].maximum``, 10⁶ h) is still computed: its time and energy are
    finite; :func:`longer_than_a_period` tells a door to say so.
    """
    _check_training(scenario)
    flop = validate.field("training_flop", training_flop)
    seconds = compute.training_time_s(flop, scenario.gpus, scenario.peak_flop_per_s, scenario.mfu,
                                      scenario.goodput)
    r = estimate(scenario.replace(hours=None))
    out: dict[str, float | np.ndarray | None] = {
        "training_flop": flop, "training_time_s": seconds,
        "gpu_hours": compute.gpu_hours(scenario.gpus, seconds),
        "facility_power_w": r.facility_power_w, "average_facility_power_w": r.average_facility_power_w,
        **_run_energy(scenario, r, seconds / compute.SECONDS_PER_HOUR),
    }
    return {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in out.items()}


def training_fleet(scenario: Scenario, training_flop: ArrayLike,
                   training_time_s: ArrayLike) -> dict[str, float | np.ndarray]:
    """The fleet that finishes a run in a given time, and the power it needs.

    Parameters
    ----------
    scenario : Scenario
        Per-accelerator power, peak, MFU (and goodput, where given) and
        overheads (``gpus`` is ignored).
    training_flop : numeric
        Compute of the run [FLOP].
    training_time_s : numeric
        Wall-clock time allowed [s].

    Returns
    -------
    dict of str to numeric
        ``gpus`` (rounded up to whole accelerators) [count];
        ``accelerator_power_w``, ``it_power_w``, ``facility_power_w`` (full
        load) and ``average_facility_power_w`` of that fleet [W];
        ``gpu_hours`` [GPU-h]; ``share_of_gigawatt`` [unitless]; and that
        fleet held for the time allowed, at its average draw: ``energy_wh``
        and ``it_energy_wh`` [Wh], ``cost`` [currency], ``emissions_kg`` [kg
        CO2e] and ``water_l`` [L], None where the scenario gives no price,
        grid intensity or WUE.

    Raises
    ------
    ValueError
        If the scenario has no ``peak_flop_per_s`` or no ``mfu``, or an input
        breaks its rule.
    """
    _check_training(scenario)
    needed = solve.gpus_for_training(training_flop, training_time_s, scenario.peak_flop_per_s, scenario.mfu,
                                     scenario.goodput)
    gpus = np.ceil(needed)
    r = estimate(scenario.replace(gpus=gpus, hours=None))
    out = {
        "gpus": gpus, "accelerator_power_w": r.accelerator_power_w, "it_power_w": r.it_power_w,
        "facility_power_w": r.facility_power_w, "average_facility_power_w": r.average_facility_power_w,
        "gpu_hours": compute.gpu_hours(gpus, training_time_s),
    }
    out["share_of_gigawatt"] = np.divide(out["facility_power_w"], GIGAWATT_W)
    out.update(_run_energy(scenario, r, np.divide(training_time_s, compute.SECONDS_PER_HOUR)))
    return {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in out.items()}


def run_versus_report(run: str | runs.TrainingRun, scenario: Scenario) -> dict[str, float | np.ndarray | None]:
    """A ready training run estimated on a scenario's peak, MFU and goodput, against what its authors reported.

    Parameters
    ----------
    run : str or TrainingRun
        Catalogue name (:func:`estimator.training_runs`) or a run.
    scenario : Scenario
        ``peak_flop_per_s`` and ``mfu`` are required (the run's own
        accelerator and reported MFU where a door builds the scenario from
        the run); ``goodput`` counts where given.

    Returns
    -------
    dict of str to numeric or None
        ``training_flop`` (6ND, or the reported FLOP) [FLOP];
        ``estimated_gpu_hours`` at the scenario's MFU and goodput [GPU-h];
        ``reported_gpu_hours`` [GPU-h]; ``reported_over_estimated``
        [unitless]; ``implied_mfu`` and ``implied_goodput`` [unitless];
        ``reported_training_time_s``, reported accelerator-hours ÷ the run's
        accelerators (all of them busy for the whole run, an assumption)
        [s]; ``reported_emissions_kg`` [kg CO2e]. None where the run
        published no such figure.

    Raises
    ------
    ValueError
        If the scenario has no peak or MFU, or the run has neither
        parameters and tokens nor training FLOP.

    Notes
    -----
    :func:`estimator.runs.compare_gpu_hours` at the scenario's values: the
    accelerator-hours do not depend on the fleet size.

    Examples
    --------
    >>> from estimator import Scenario
    >>> s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41, goodput=0.9)
    >>> r = run_versus_report("llama-3.1-405b", s)
    >>> round(r["estimated_gpu_hours"] / 1e6, 2), round(r["implied_mfu"], 3), round(r["implied_goodput"], 3)
    (28.84, 0.345, 0.842)
    """
    _check_training(scenario)
    if not isinstance(run, runs.TrainingRun):
        run = runs.training_run(run)
    c = runs.compare_gpu_hours(run, scenario.mfu, scenario.peak_flop_per_s, goodput=scenario.goodput)
    reported = c["reported_gpu_hours"]
    out: dict[str, float | np.ndarray | None] = {
        "training_flop": c["training_flop"], "estimated_gpu_hours": c["estimated_gpu_hours"],
        "reported_gpu_hours": reported, "reported_over_estimated": c["ratio"], "implied_mfu": c["implied_mfu"],
        "implied_goodput": c["implied_goodput"],
        "reported_training_time_s": (None if reported is None or run.gpus is None
                                     else reported * compute.SECONDS_PER_HOUR / run.gpus.value),
        "reported_emissions_kg": None if run.emissions_kg is None else run.emissions_kg.value,
    }
    return {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in out.items()}


#: The rows of :func:`fleet_split`, in the order the doors show them.
SPLIT_ROWS: tuple[str, ...] = ("gpus", "facility_power_w", "average_facility_power_w", "energy_wh",
                               "queries_per_day", "flop_in_period", "runs")


def fleet_split(scenario: Scenario, serving_share: ArrayLike,
                training_flop: ArrayLike = LLAMA3_405B_TRAINING_FLOP) -> dict[str, dict[str, Any]]:
    """A fleet split between serving and training: the queries a day one part serves, the runs the other trains.

    Parameters
    ----------
    scenario : Scenario
        The whole fleet with its chain; serving outputs need
        ``tokens_per_s_per_gpu`` and ``tokens_per_query``, training outputs
        ``peak_flop_per_s``, ``mfu`` and ``hours``.
    serving_share : numeric
        Share of the accelerators that serve queries; the rest train
        [unitless, 0 to 1].
    training_flop : numeric, default 3.8e25
        Compute of one training run, Llama 3 405B by default [FLOP].

    Returns
    -------
    dict
        ``"serving"`` and ``"training"``, each a dict of :data:`SPLIT_ROWS`:
        ``share`` [unitless], ``gpus`` (fractional) [count],
        ``facility_power_w`` and ``average_facility_power_w`` [W],
        ``energy_wh`` over ``hours`` [Wh]; ``queries_per_day`` [count] for
        serving, ``flop_in_period`` [FLOP] and ``runs`` [runs] for training;
        None where a part does not apply or an input it needs is absent.

    Notes
    -----
    Both parts keep the scenario's accelerators, chain and utilization, so
    every additive output divides in proportion to the share::

        serving:  gpus × s,       queries_per_day × s
        training: gpus × (1 − s), flop_in_period × (1 − s),
                  runs = flop_in_period × (1 − s) ÷ training_flop

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024): 3.8e25 FLOP for Llama 3 405B.

    Examples
    --------
    >>> s = Scenario(gpus=1000, gpu_watts=700, peak_flop_per_s=989.4e12, mfu=0.4, hours=2160,
    ...              tokens_per_s_per_gpu=1000, tokens_per_query=500)
    >>> split = fleet_split(s, 0.5)
    >>> split["serving"]["queries_per_day"], round(split["training"]["runs"], 4)
    (86400000.0, 0.0405)
    """
    share = validate.field("serving_share", serving_share)
    flop = validate.field("training_flop", training_flop)
    r = estimate(scenario)
    rest = 1.0 - share

    def part(fraction: Any) -> dict[str, Any]:
        return {"share": fraction, "gpus": np.multiply(scenario.gpus, fraction),
                **{n: None if getattr(r, n) is None else np.multiply(getattr(r, n), fraction)
                   for n in ("facility_power_w", "average_facility_power_w", "energy_wh")}}

    serve, train = part(share), part(rest)
    serve.update(queries_per_day=None if r.queries_per_day is None else np.multiply(r.queries_per_day, share),
                 flop_in_period=None, runs=None)
    flop_rest = None if r.flop_in_period is None else np.multiply(r.flop_in_period, rest)
    train.update(queries_per_day=None, flop_in_period=flop_rest,
                 runs=None if flop_rest is None else compute.runs_in_period(flop_rest, flop))
    return {name: {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in side.items()}
            for name, side in (("serving", serve), ("training", train))}


def budget_serving(facility_power_w: ArrayLike, scenario: Scenario) -> dict[str, float | np.ndarray | None]:
    """What a facility power budget serves: the whole accelerators that fit, and their queries a day.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power budget (grid connection, full load) [W].
    scenario : Scenario
        Accelerator, chain and serving assumptions (its ``gpus`` is
        replaced by the budget's); serving outputs need
        ``tokens_per_s_per_gpu`` and ``tokens_per_query``.

    Returns
    -------
    dict
        ``gpus`` (whole accelerators that fit at full load) [count];
        ``queries_per_day`` [count], ``energy_per_query_wh`` [Wh] and
        ``energy_per_token_j`` [J] of that fleet at its average load, None
        where the scenario gives no throughput or tokens per query (or input
        tokens without their prefill throughput).

    Notes
    -----
    ::

        gpus            = floor(facility_power_w ÷ watts_per_gpu)
        queries_per_day = gpus × load_factor × 86,400 ÷ query_seconds

    with ``load_factor`` the scenario's, else its utilization, as in
    :func:`estimator.serving.queries_per_day`. Per query and per token the
    energy does not depend on the fleet's size.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use

    Examples
    --------
    >>> s = Scenario(gpus=1, gpu_watts=700, server_overhead=1.8214285714285714, network_overhead=1.1, pue=1.2,
    ...              tokens_per_s_per_gpu=3000, tokens_per_query=500)
    >>> out = budget_serving(1e9, s)
    >>> int(out["gpus"]), f"{out['queries_per_day']:.4g}"
    (594177, '3.08e+11')
    """
    from estimator import serving  # deferred: only this question needs it

    s = scenario
    budget = validate.field("facility_power_w", facility_power_w)
    gpus = solve.gpus_for_power(budget, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, whole=True)
    out: dict[str, Any] = {"gpus": gpus, "queries_per_day": None, "energy_per_query_wh": None,
                           "energy_per_token_j": None}
    r = estimate(s)
    if r.energy_per_token_j is not None:
        out["energy_per_token_j"] = r.energy_per_token_j
    if r.energy_per_query_wh is not None:
        prefill = s.prefill_tokens_per_s_per_gpu if s.input_tokens_per_query is not None else None
        seconds = serving.query_seconds(s.tokens_per_query, s.tokens_per_s_per_gpu, s.input_tokens_per_query,
                                        prefill)
        load = s.utilization if s.load_factor is None else s.load_factor
        # Plain arithmetic: a budget below one accelerator holds 0, which serving.queries_per_day refuses.
        out["queries_per_day"] = np.multiply(gpus, load) * serving.SECONDS_PER_DAY / seconds
        out["energy_per_query_wh"] = r.energy_per_query_wh
    return {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in out.items()}


def _check_training(scenario: Scenario) -> None:
    if scenario.peak_flop_per_s is None:
        raise ValueError("peak_flop_per_s is needed for a training run (got None)")
    if scenario.mfu is None:
        raise ValueError("mfu is needed for a training run (got None): give one, e.g. 0.4 (Llama 3 405B reached "
                         "0.38-0.43 in BF16), or a methodology that sets it; none is invented")


def _run_energy(scenario: Scenario, r: Estimate, hours: ArrayLike) -> dict[str, Any]:
    """Energy of a fleet at its average draw over ``hours``, and its cost, emissions and water (None where
    the scenario gives no price, grid intensity or WUE)."""
    # Not energy.energy_wh: a run on a tiny fleet may outlast its 10^6 h sanity ceiling for a period.
    facility_wh = np.multiply(r.average_facility_power_w, hours)
    it_wh = np.multiply(r.average_it_power_w, hours)
    out: dict[str, Any] = {"energy_wh": facility_wh, "it_energy_wh": it_wh, "cost": None, "emissions_kg": None,
                           "water_l": None}
    if scenario.electricity_price is not None:
        out["cost"] = energy.cost(facility_wh, scenario.electricity_price)
    if scenario.carbon_intensity is not None:
        out["emissions_kg"] = energy.emissions_kg(facility_wh, scenario.carbon_intensity)
    if scenario.wue is not None:
        out["water_l"] = energy.water_l(it_wh, scenario.wue)
    return out


def longer_than_a_period(training_time_s: ArrayLike) -> bool:
    """Whether a run lasts longer than the model's longest period (10⁶ h, about 114 years).

    Such a run is still computed (:func:`training_run`); a door says that the
    fleet size or the units are probably wrong.
    """
    limit = fields.FIELDS["hours"].maximum
    return limit is not None and bool(np.max(np.divide(training_time_s, compute.SECONDS_PER_HOUR)) > limit)


#: The four layers of the chain, in order from the chips out, with their display names.
LAYERS: dict[str, str] = {
    "accelerators": "Accelerators",
    "host": "Host (CPUs, memory, NICs, fans, PSU loss)",
    "network_storage": "Network and storage",
    "cooling_conversion": "Cooling and power conversion",
}


def power_layers(result: Estimate) -> dict[str, dict[str, float | np.ndarray]]:
    """Full-load power of each layer of the chain and its share of the facility.

    Parameters
    ----------
    result : Estimate
        The fleet's results.

    Returns
    -------
    dict
        ``power_w``: layer → power [W]; ``share``: layer → power ÷ facility
        power [unitless]. Layers as in :data:`LAYERS`; they sum to the facility
        power and to 1.
    """
    watts = {"accelerators": result.accelerator_power_w, "host": result.host_power_w,
             "network_storage": result.network_storage_power_w,
             "cooling_conversion": result.cooling_conversion_power_w}
    return {"power_w": watts, "share": {k: np.divide(v, result.facility_power_w) for k, v in watts.items()}}


def energy_layers(result: Estimate, hours: ArrayLike, utilization: ArrayLike) -> dict[str, dict[str, Any]]:
    """Energy of each layer of the chain over a period, and its share.

    Parameters
    ----------
    result : Estimate
        The fleet's results (the layers at full load).
    hours : numeric
        Length of the period [h].
    utilization : numeric
        Average ÷ full-load draw [unitless, (0, 1]].

    Returns
    -------
    dict
        ``energy_wh``: layer → energy [Wh], summing to the facility energy;
        ``share``: layer → share of it [unitless].

    Notes
    -----
    Every layer is scaled by the same utilization, as the model does for the
    facility as a whole: ``energy = layer power × utilization × hours``.
    """
    u = validate.field("utilization", utilization)
    layers = power_layers(result)
    return {"energy_wh": {k: energy.energy_wh(np.multiply(v, u), hours) for k, v in layers["power_w"].items()},
            "share": layers["share"]}


def per_accelerator(result: Estimate, gpus: ArrayLike) -> dict[str, float | np.ndarray | None]:
    """Energy, cost, emissions and water of a fleet divided by its accelerators.

    Parameters
    ----------
    result : Estimate
        The fleet's results.
    gpus : numeric
        Accelerators in the fleet [count].

    Returns
    -------
    dict
        ``energy_wh`` [Wh], ``cost`` [currency], ``emissions_kg`` [kg CO2e],
        ``water_l`` [L] per accelerator; None where the result is absent.
    """
    n = validate.field("gpus", gpus)
    return {k: (None if getattr(result, k) is None else np.divide(getattr(result, k), n))
            for k in ("energy_wh", "cost", "emissions_kg", "water_l")}


def share_of_gigawatt(facility_power_w: ArrayLike) -> float | np.ndarray:
    """Facility power as a share of 1 GW.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power [W].

    Returns
    -------
    numeric
        ``facility_power_w ÷ 1e9`` [unitless].
    """
    return validate.number("facility_power_w", facility_power_w, "positive") / GIGAWATT_W


def comparison(scenarios: Mapping[str, Scenario]) -> dict[str, Any]:
    """Named scenarios side by side: every assumption and every result.

    Parameters
    ----------
    scenarios : mapping of str to Scenario
        Scalar scenarios, by name.

    Returns
    -------
    dict
        ``quantity`` (field names), ``kind`` ("assumption" or "result"),
        ``label``, ``unit`` (lists, one entry per row) and one list per
        scenario name holding the row values, None where not given.
    """
    rows = [(f.name, "assumption", f.label, f.unit_text) for f in fields.INPUTS]
    rows += [(f.name, "result", f.label, f.unit_text) for f in fields.OUTPUTS]
    out: dict[str, Any] = {"quantity": [r[0] for r in rows], "kind": [r[1] for r in rows],
                           "label": [r[2] for r in rows], "unit": [r[3] for r in rows]}
    for name, s in scenarios.items():
        given, result = s.to_dict(), estimate(s).to_dict()
        out[name] = [given[q] if k == "assumption" else result[q] for q, k, *_ in rows]
    return out
