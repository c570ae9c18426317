"""Tables for exploring the 1 GW scale: what a budget holds, and how far the answer moves.

The dashboard's pages ask questions that take more than one call to the
model: "how many of each accelerator fit a 1 GW budget?", "how does that
change between methodologies?", "where does the fleet cross 1 GW on a grid of
two assumptions?". Each function here answers one of them with the library's
own functions, vectorized over the catalogue, and returns plain columns
(a dict of lists and float64 arrays) that any front end can show.

Nothing here imports streamlit or pandas.

References
----------
.. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
   (2024): 405B parameters, 15.6T tokens, 3.8e25 FLOP; power swings "on the
   order of tens of megawatts".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, compute, energy, power, solve, validate
from estimator.scenario import Estimate, Scenario, estimate, preset_assumptions

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

LLAMA3_405B_TRAINING_FLOP = 3.8e25
"""Training compute of Llama 3 405B [FLOP] (arXiv:2407.21783, section 3.3)."""

GIGAWATT_W = 1e9
"""The headline budget [W]."""

SECONDS_PER_DAY = 86_400.0
HOURS_PER_DAY = 24.0

#: Budgets the explorer accepts [W]: 10 MW to 10 GW.
BUDGET_RANGE_W = (1e7, 1e10)

#: Display label and unit of every Scenario field.
ASSUMPTIONS: dict[str, tuple[str, str]] = {
    "gpus": ("Accelerators in the fleet", "count"),
    "gpu_watts": ("Accelerator power at full load", "W"),
    "server_overhead": ("Server overhead (server ÷ accelerator power)", "ratio"),
    "network_overhead": ("Network and storage overhead (IT ÷ server power)", "ratio"),
    "pue": ("PUE (facility ÷ IT power)", "ratio"),
    "utilization": ("Utilization (average ÷ full-load draw)", "ratio"),
    "hours": ("Period", "h"),
    "electricity_price": ("Electricity price", "currency/kWh"),
    "carbon_intensity": ("Grid carbon intensity", "kg CO2e/kWh"),
    "wue": ("Water usage effectiveness (WUE)", "L/kWh"),
    "peak_flop_per_s": ("Dense peak per accelerator", "FLOP/s"),
    "mfu": ("Model FLOPs utilization (MFU)", "ratio"),
}

#: Display label and unit of every Estimate field.
RESULTS: dict[str, tuple[str, str]] = {
    "accelerator_power_w": ("Accelerator power, full load", "W"),
    "server_power_w": ("Server power, full load", "W"),
    "it_power_w": ("IT power, full load", "W"),
    "facility_power_w": ("Facility power, full load", "W"),
    "average_it_power_w": ("Average IT draw", "W"),
    "average_facility_power_w": ("Average facility draw", "W"),
    "watts_per_gpu": ("All-in facility power per accelerator", "W"),
    "host_power_w": ("Host (CPUs, memory, NICs, fans, PSU loss)", "W"),
    "network_storage_power_w": ("Network and storage", "W"),
    "cooling_conversion_power_w": ("Cooling and power conversion", "W"),
    "energy_wh": ("Facility energy over the period", "Wh"),
    "it_energy_wh": ("IT energy over the period", "Wh"),
    "cost": ("Electricity cost over the period", "currency"),
    "emissions_kg": ("Emissions over the period (location-based)", "kg CO2e"),
    "water_l": ("Site water over the period", "L"),
    "peak_cluster_flop_per_s": ("Peak compute of the fleet", "FLOP/s"),
    "sustained_flop_per_s": ("Sustained compute (peak × MFU)", "FLOP/s"),
    "flop_in_period": ("Compute delivered over the period", "FLOP"),
}

#: The factors of the power chain, the fields a budget heatmap can sweep.
CHAIN_FIELDS = ("gpus", "gpu_watts", "server_overhead", "network_overhead", "pue", "utilization")

#: Default sweep range of each chain factor, in the field's own unit.
SWEEP_RANGES: dict[str, tuple[float, float]] = {
    "gpus": (1e4, 2e6),
    "gpu_watts": (300.0, 1500.0),
    "server_overhead": (1.0, 2.2),
    "network_overhead": (1.0, 1.3),
    "pue": (1.0, 1.6),
    "utilization": (0.3, 1.0),
}

PRESET_PARAMS = ("accelerator", "methodology", "site", "precision")
"""Query-parameter names of the preset pickers (catalogue keys, and "bf16" or "fp8")."""


def _columns(rows: list[dict[str, Any]], numeric: Iterable[str]) -> dict[str, Any]:
    """Rows of dicts to columns: float64 arrays for ``numeric`` names, lists otherwise."""
    names = list(rows[0]) if rows else []
    numeric = set(numeric)
    return {n: (np.array([r[n] for r in rows], dtype=float) if n in numeric else [r[n] for r in rows])
            for n in names}


def budget_fleet(facility_power_w: ArrayLike, gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                 network_overhead: ArrayLike = 1.0, pue: ArrayLike = 1.0,
                 peak_flop_per_s: ArrayLike | None = None, mfu: ArrayLike = 1.0,
                 hours: ArrayLike | None = None,
                 training_flop: ArrayLike = LLAMA3_405B_TRAINING_FLOP) -> dict[str, float | np.ndarray]:
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
    mfu : numeric, default 1.0
        Model FLOPs utilization [unitless, (0, 1]].
    hours : numeric, optional
        Length of the training period [h]; without it, ``flop_in_period``
        and ``runs`` are absent.
    training_flop : numeric, default 3.8e25
        Compute of one reference run, Llama 3 405B by default [FLOP].

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
        runs          = sustained × hours × 3600 ÷ training_flop

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
        out["sustained_flop_per_s"] = peak * validate.field("mfu", mfu)
        if hours is not None:
            flop = out["sustained_flop_per_s"] * validate.field("hours", hours) * compute.SECONDS_PER_HOUR
            out["flop_in_period"] = flop
            out["runs"] = compute.runs_in_period(flop, training_flop)
    shape = np.broadcast_shapes(*(np.shape(v) for v in out.values()))
    return {k: (float(v) if shape == () else np.broadcast_to(v, shape).astype(float)) for k, v in out.items()}


def _peak(part: catalog.Accelerator, precision: str) -> tuple[float, str]:
    """Dense peak at ``precision``, falling back to BF16 where FP8 is not published."""
    if precision == "fp8" and part.peak_flop_per_s_fp8 is not None:
        return part.peak_flop_per_s_fp8.value, "FP8"
    if precision not in ("bf16", "fp8"):
        raise ValueError(f"precision must be 'bf16' or 'fp8' (got {precision!r})")
    return part.peak_flop_per_s.value, "BF16"


def accelerator_table(facility_power_w: float, methodology: str | None = None, site: str | None = None,
                      *, network_overhead: float | None = None, pue: float | None = None,
                      mfu: float | None = None, hours: float | None = None,
                      training_flop: float = LLAMA3_405B_TRAINING_FLOP, precision: str = "bf16",
                      accelerators: Sequence[str] | None = None) -> dict[str, Any]:
    """Every accelerator generation side by side under one facility budget.

    Each accelerator keeps its own preset power, peak and server overhead (as
    the methodology sets it for that part); the fleet-level assumptions
    (network overhead, PUE, MFU) can be given once for all of them.

    Parameters
    ----------
    facility_power_w : float
        Facility power budget [W].
    methodology, site : str, optional
        Preset keys applied after each accelerator's own presets.
    network_overhead, pue : float, optional
        Overrides applied to every accelerator [unitless, >= 1].
    mfu : float, optional
        Model FLOPs utilization for every accelerator; by default the
        methodology's, else 1.0 [unitless, (0, 1]].
    hours : float, optional
        Training period [h]; without it, ``flop_in_period`` and ``runs`` are
        absent.
    training_flop : float, default 3.8e25
        Compute of one reference run [FLOP].
    precision : {"bf16", "fp8"}, default "bf16"
        Which dense peak to use; parts without a published FP8 peak keep BF16
        (column ``precision``).
    accelerators : sequence of str, optional
        Accelerator keys, in order; all of the catalogue by default.

    Returns
    -------
    dict of str to list or numpy.ndarray
        One entry per accelerator: ``key``, ``name``, ``year``, ``precision``
        (text); ``gpu_watts`` [W], ``server_overhead``, ``network_overhead``,
        ``pue``, ``mfu`` [unitless], ``peak_flop_per_s`` [FLOP/s]; and the
        columns of :func:`budget_fleet`.

    Examples
    --------
    >>> t = accelerator_table(1e9, "nameplate", accelerators=["h100-sxm"])
    >>> int(t["gpus"][0])
    594177
    """
    parts = catalog.accelerators()
    keys = list(parts) if accelerators is None else [catalog.accelerator(k).key for k in accelerators]
    rows = []
    for key in keys:
        values = preset_assumptions(key, methodology, site)
        peak, used = _peak(parts[key], precision)
        rows.append({
            "key": key, "name": parts[key].name, "year": parts[key].year, "precision": used,
            "gpu_watts": values["gpu_watts"], "server_overhead": values["server_overhead"],
            "network_overhead": values.get("network_overhead", 1.0) if network_overhead is None
            else network_overhead,
            "pue": values.get("pue", 1.0) if pue is None else pue,
            "mfu": values.get("mfu", 1.0) if mfu is None else mfu,
            "peak_flop_per_s": peak,
        })
    numeric = ("year", "gpu_watts", "server_overhead", "network_overhead", "pue", "mfu", "peak_flop_per_s")
    table = _columns(rows, numeric)
    if not rows:
        return table
    table.update(budget_fleet(facility_power_w, table["gpu_watts"], table["server_overhead"],
                              table["network_overhead"], table["pue"], table["peak_flop_per_s"],
                              table["mfu"], hours, training_flop))
    return table


def methodology_table(facility_power_w: float, accelerator: str, *, gpu_watts: float | None = None,
                      peak_flop_per_s: float | None = None, mfu: float | None = None,
                      hours: float | None = None, training_flop: float = LLAMA3_405B_TRAINING_FLOP,
                      methodologies: Sequence[str] | None = None) -> dict[str, Any]:
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
        Model FLOPs utilization used where a methodology sets none; 1.0 if
        not given [unitless, (0, 1]]. A methodology's own MFU wins.
    hours : float, optional
        Training period [h].
    training_flop : float, default 3.8e25
        Compute of one reference run [FLOP].
    methodologies : sequence of str, optional
        Methodology keys, in order; all of the catalogue by default.

    Returns
    -------
    dict of str to list or numpy.ndarray
        One entry per methodology: ``key``, ``name`` (text);
        ``server_overhead``, ``network_overhead``, ``pue``, ``utilization``,
        ``mfu`` [unitless]; ``average_facility_power_w`` (the budget ×
        utilization) [W]; and the columns of :func:`budget_fleet`.
    """
    part = catalog.accelerator(accelerator)
    watts = part.gpu_watts.value if gpu_watts is None else gpu_watts
    peak = part.peak_flop_per_s.value if peak_flop_per_s is None else peak_flop_per_s
    table_of = catalog.methodologies()
    keys = list(table_of) if methodologies is None else [catalog.methodology(k).key for k in methodologies]
    rows = []
    for key in keys:
        values = table_of[key].assumptions(part)
        rows.append({
            "key": key, "name": table_of[key].name,
            "server_overhead": values["server_overhead"], "network_overhead": values["network_overhead"],
            "pue": values["pue"], "utilization": values["utilization"],
            "mfu": values.get("mfu", 1.0 if mfu is None else mfu),
        })
    table = _columns(rows, ("server_overhead", "network_overhead", "pue", "utilization", "mfu"))
    if not rows:
        return table
    table.update(budget_fleet(facility_power_w, watts, table["server_overhead"], table["network_overhead"],
                              table["pue"], peak, table["mfu"], hours, training_flop))
    table["average_facility_power_w"] = power.average_power_w(
        np.full(len(rows), validate.field("facility_power_w", facility_power_w)), table["utilization"])
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


def power_vs_fleet(gpus: ArrayLike, pue: ArrayLike, gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                   network_overhead: ArrayLike = 1.0) -> np.ndarray:
    """Facility power against fleet size for several PUEs.

    Parameters
    ----------
    gpus : array_like, 1-D
        Fleet sizes [count].
    pue : array_like, 1-D
        PUE values, one curve each [unitless, >= 1].
    gpu_watts : float
        Power of one accelerator at full load [W].
    server_overhead, network_overhead : float, default 1.0
        The chain's ratios [unitless, >= 1].

    Returns
    -------
    numpy.ndarray
        Shape (len(pue), len(gpus)): full-load facility power [W].
    """
    g = np.atleast_1d(validate.field("gpus", gpus))
    p = np.atleast_1d(validate.field("pue", pue))
    return np.asarray(power.fleet_facility_power_w(g[np.newaxis, :], gpu_watts, server_overhead,
                                                   network_overhead, p[:, np.newaxis]), dtype=float)


def grid(scenario: Scenario, x_field: str, x_values: ArrayLike, y_field: str, y_values: ArrayLike,
         output: str = "facility_power_w") -> np.ndarray:
    """One result on a grid of two assumptions, the others held at the scenario's values.

    Parameters
    ----------
    scenario : Scenario
        The other assumptions (scalars).
    x_field, y_field : str
        Two different Scenario fields.
    x_values, y_values : array_like, 1-D
        Values of each, in the field's own unit.
    output : str, default "facility_power_w"
        An Estimate field.

    Returns
    -------
    numpy.ndarray
        Shape (len(y_values), len(x_values)), in the output's unit.

    Raises
    ------
    ValueError
        If the fields are equal or unknown, a value breaks its field's rule,
        or the output is absent for this scenario (e.g. energy without hours).
    """
    names = Scenario.field_names()
    for f in (x_field, y_field):
        if f not in names:
            raise ValueError(f"unknown assumption {f!r} (valid: {', '.join(names)})")
    if x_field == y_field:
        raise ValueError(f"choose two different assumptions (both are {x_field!r})")
    if output not in Estimate.field_names():
        raise ValueError(f"unknown output {output!r} (valid: {', '.join(Estimate.field_names())})")
    x = np.atleast_1d(np.asarray(x_values, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(y_values, dtype=float)).ravel()
    result = getattr(estimate(scenario.replace(**{x_field: x[np.newaxis, :], y_field: y[:, np.newaxis]})),
                     output)
    if result is None:
        raise ValueError(f"{output} needs an assumption this scenario does not give")
    return np.broadcast_to(result, (y.size, x.size)).astype(float)


def level_crossing(x: ArrayLike, y: ArrayLike, z: ArrayLike, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Where a grid crosses a level along y, column by column: a contour line.

    Parameters
    ----------
    x : array_like, 1-D
        Column coordinates, length nx.
    y : array_like, 1-D
        Row coordinates, length ny, ascending.
    z : array_like, 2-D
        Values, shape (ny, nx), monotone along y in each column.
    level : float
        The contour level, in z's unit (1e9 for the 1 GW line).

    Returns
    -------
    x_line, y_line : numpy.ndarray
        Coordinates of the crossing in each column that has one (linear
        interpolation between the two grid rows around it); columns without
        a crossing are left out, so no NaN is returned.

    Examples
    --------
    >>> level_crossing([1, 2], [0, 1, 2], [[0, 0], [1, 2], [2, 4]], 1.5)
    (array([1., 2.]), array([1.5 , 0.75]))
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    if z.shape != (y.size, x.size):
        raise ValueError(f"z must have shape (len(y), len(x)) = {(y.size, x.size)} (got {z.shape})")
    if y.size < 2:
        return np.array([]), np.array([])
    above = z >= level
    change = above[1:] != above[:-1]  # (ny-1, nx): a crossing between rows i and i+1
    has = change.any(axis=0)
    i = np.argmax(change, axis=0)
    cols = np.flatnonzero(has)
    i = i[cols]
    z0, z1 = z[i, cols], z[i + 1, cols]
    # z0 != z1 wherever the sign of (z - level) changes, so the division is safe.
    t = (level - z0) / (z1 - z0)
    return x[cols], y[i] + t * (y[i + 1] - y[i])


def contour(x: ArrayLike, y: ArrayLike, z: ArrayLike, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Points of one contour line of a grid, found along both axes, ordered along x.

    Parameters
    ----------
    x : array_like, 1-D
        Column coordinates, length nx, ascending.
    y : array_like, 1-D
        Row coordinates, length ny, ascending.
    z : array_like, 2-D
        Values, shape (ny, nx), monotone along each axis (as every output of
        the power chain is in each of its factors).
    level : float
        The contour level, in z's unit.

    Returns
    -------
    x_line, y_line : numpy.ndarray
        The crossings of :func:`level_crossing` along y (one per column) and
        along x (one per row), merged and sorted by x then y, so a steep line
        is as well sampled as a flat one. Empty if the grid never crosses the
        level; never NaN.

    Examples
    --------
    >>> xs, ys = contour([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [[1, 2, 3], [2, 4, 6], [3, 6, 9]], 4.0)
    >>> [(float(a), float(b)) for a, b in zip(xs, ys)]
    [(1.3333333333333333, 3.0), (2.0, 2.0), (2.0, 2.0), (3.0, 1.3333333333333333)]
    """
    z = np.asarray(z, dtype=float)
    cx, cy = level_crossing(x, y, z, level)
    ry, rx = level_crossing(y, x, z.T, level)
    xs = np.concatenate([cx, rx])
    ys = np.concatenate([cy, ry])
    # z falls as y rises where z rises with x, so for x ties the larger y comes first.
    order = np.lexsort((-ys, xs))
    return xs[order], ys[order]


def reference_points(methodology: str | None = None, *, network_overhead: float | None = None,
                     pue: float | None = None) -> dict[str, Any]:
    """Public reference clusters as points of fleet size and facility power.

    Parameters
    ----------
    methodology : str, optional
        Methodology used to estimate the power of clusters whose power was
        not reported.
    network_overhead, pue : float, optional
        Overrides for those estimates, and the PUE that turns a reported IT
        power into facility power [unitless, >= 1].

    Returns
    -------
    dict of str to list or numpy.ndarray
        One entry per cluster with a published accelerator count: ``key``,
        ``name``, ``basis`` (text: "reported", "reported IT × PUE" or
        "estimated from the fleet"), ``confirmed`` (bool list); ``gpus``
        [count] and ``facility_power_w`` [W]. Clusters with a reported power
        but no published count are in ``power_only``: a dict with ``key``,
        ``name``, ``confirmed`` and ``facility_power_w`` [W].

    Notes
    -----
    An estimate uses the cluster's accelerator presets under ``methodology``;
    a mixed fleet without an accelerator and without a reported power is
    left out. These are press figures, often plans, never measurements.
    """
    rows, power_only = [], []
    for key, c in catalog.reference_clusters().items():
        if c.gpus is None:
            if c.facility_power_w is not None:
                power_only.append({"key": key, "name": c.name, "confirmed": c.facility_power_w.confirmed,
                                   "facility_power_w": c.facility_power_w.value})
            continue
        confirmed = c.gpus.confirmed
        if c.facility_power_w is not None:
            watts, basis = c.facility_power_w.value, "reported"
            confirmed = confirmed and c.facility_power_w.confirmed
        elif c.it_power_w is not None:
            p = pue if pue is not None else (preset_assumptions(c.accelerator, methodology).get("pue", 1.0)
                                             if c.accelerator else 1.0)
            watts, basis = float(power.facility_power_w(c.it_power_w.value, p)), "reported IT × PUE"
            confirmed = confirmed and c.it_power_w.confirmed
        elif c.accelerator is not None:
            v = preset_assumptions(c.accelerator, methodology)
            watts = float(power.fleet_facility_power_w(
                c.gpus.value, v["gpu_watts"], v["server_overhead"],
                v.get("network_overhead", 1.0) if network_overhead is None else network_overhead,
                v.get("pue", 1.0) if pue is None else pue))
            basis = "estimated from the fleet"
        else:
            continue
        rows.append({"key": key, "name": c.name, "basis": basis, "confirmed": confirmed,
                     "gpus": c.gpus.value, "facility_power_w": watts})
    out = _columns(rows, ("gpus", "facility_power_w"))
    if not rows:
        out = {"key": [], "name": [], "basis": [], "confirmed": [], "gpus": np.array([]),
               "facility_power_w": np.array([])}
    out["power_only"] = _columns(power_only, ("facility_power_w",)) if power_only else {
        "key": [], "name": [], "confirmed": [], "facility_power_w": np.array([])}
    return out


def load_swing(gpus: ArrayLike, gpu_watts: ArrayLike, idle_fraction: ArrayLike, job_share: ArrayLike = 1.0,
               facility_power_w: ArrayLike | None = None) -> dict[str, float | np.ndarray]:
    """Synchronized power swing of a training job on part or all of a fleet.

    Parameters
    ----------
    gpus : numeric
        Accelerators in the fleet [count].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    idle_fraction : numeric
        Power of a waiting accelerator ÷ its full-load power [unitless, 0–1].
    job_share : numeric, default 1.0
        Share of the fleet running the job in lockstep [unitless, (0, 1]].
    facility_power_w : numeric, optional
        Facility power at full load, to express the swing as a share [W].

    Returns
    -------
    dict of str to numeric
        ``job_gpus`` [count], ``swing_w`` [W] and, with a facility power,
        ``share_of_facility`` [unitless].

    Notes
    -----
    ``swing_w = gpus × job_share × gpu_watts × (1 − idle_fraction)``, see
    :func:`estimator.power.load_swing_w` for why neither the server overhead
    nor PUE multiplies it [1]_.

    Examples
    --------
    >>> round(load_swing(24_576, 700, 0.1)["swing_w"] / 1e6, 1)
    15.5
    """
    share = validate.number("job_share", job_share, "fraction")
    job_gpus = validate.field("gpus", gpus) * share
    out: dict[str, float | np.ndarray] = {"job_gpus": job_gpus,
                                          "swing_w": power.load_swing_w(job_gpus, gpu_watts, idle_fraction)}
    if facility_power_w is not None:
        # A result, not a budget: checked as a positive power, without the budget's sanity ceiling.
        out["share_of_facility"] = out["swing_w"] / validate.number("facility_power_w", facility_power_w, "positive")
    return out


def training_run(scenario: Scenario, training_flop: ArrayLike) -> dict[str, float | np.ndarray | None]:
    """A training run on the scenario's fleet: time, accelerator-hours, energy and its consequences.

    Parameters
    ----------
    scenario : Scenario
        The fleet, its overheads and site; ``peak_flop_per_s`` and ``mfu``
        are required, ``hours`` is ignored (the run sets its own length).
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
        If the scenario has no ``peak_flop_per_s``.

    Notes
    -----
    ``time = training_flop ÷ (gpus × peak × mfu)``; energy is the average
    facility draw (full load × utilization) over that time.
    """
    if scenario.peak_flop_per_s is None:
        raise ValueError("peak_flop_per_s is needed for a training run (got None)")
    flop = validate.field("training_flop", training_flop)
    seconds = compute.training_time_s(flop, scenario.gpus, scenario.peak_flop_per_s, scenario.mfu)
    r = estimate(scenario.replace(hours=None))
    hours = seconds / compute.SECONDS_PER_HOUR
    # Not energy.energy_wh: a run on a tiny fleet may outlast its 10^6 h sanity ceiling for a period.
    facility_wh = np.multiply(r.average_facility_power_w, hours)
    it_wh = np.multiply(r.average_it_power_w, hours)
    out: dict[str, float | np.ndarray | None] = {
        "training_flop": flop, "training_time_s": seconds,
        "gpu_hours": compute.gpu_hours(scenario.gpus, seconds),
        "facility_power_w": r.facility_power_w, "average_facility_power_w": r.average_facility_power_w,
        "energy_wh": facility_wh, "it_energy_wh": it_wh, "cost": None, "emissions_kg": None, "water_l": None,
    }
    if scenario.electricity_price is not None:
        out["cost"] = energy.cost(facility_wh, scenario.electricity_price)
    if scenario.carbon_intensity is not None:
        out["emissions_kg"] = energy.emissions_kg(facility_wh, scenario.carbon_intensity)
    if scenario.wue is not None:
        out["water_l"] = energy.water_l(it_wh, scenario.wue)
    return {k: (float(v) if v is not None and np.ndim(v) == 0 else v) for k, v in out.items()}


def training_fleet(scenario: Scenario, training_flop: ArrayLike,
                   training_time_s: ArrayLike) -> dict[str, float | np.ndarray]:
    """The fleet that finishes a run in a given time, and the power it needs.

    Parameters
    ----------
    scenario : Scenario
        Per-accelerator power, peak, MFU and overheads (``gpus`` is ignored).
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
        ``gpu_hours`` [GPU-h]; ``share_of_gigawatt`` [unitless].

    Raises
    ------
    ValueError
        If the scenario has no ``peak_flop_per_s``, or an input breaks its rule.
    """
    if scenario.peak_flop_per_s is None:
        raise ValueError("peak_flop_per_s is needed for a training run (got None)")
    needed = solve.gpus_for_training(training_flop, training_time_s, scenario.peak_flop_per_s, scenario.mfu)
    gpus = np.ceil(needed)
    r = estimate(scenario.replace(gpus=gpus, hours=None))
    out = {
        "gpus": gpus, "accelerator_power_w": r.accelerator_power_w, "it_power_w": r.it_power_w,
        "facility_power_w": r.facility_power_w, "average_facility_power_w": r.average_facility_power_w,
        "gpu_hours": compute.gpu_hours(gpus, training_time_s),
    }
    out["share_of_gigawatt"] = np.divide(out["facility_power_w"], GIGAWATT_W)
    return {k: (float(v) if np.ndim(v) == 0 else v) for k, v in out.items()}


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
    rows = [(n, "assumption", *ASSUMPTIONS[n]) for n in Scenario.field_names()]
    rows += [(n, "result", *RESULTS[n]) for n in Estimate.field_names()]
    out: dict[str, Any] = {"quantity": [r[0] for r in rows], "kind": [r[1] for r in rows],
                           "label": [r[2] for r in rows], "unit": [r[3] for r in rows]}
    for name, s in scenarios.items():
        given, result = s.to_dict(), estimate(s).to_dict()
        out[name] = [given[q] if k == "assumption" else result[q] for q, k, *_ in rows]
    return out


def _query_number(name: str, text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {text!r})") from None


def scenario_from_query(params: Mapping[str, str], defaults: Mapping[str, float] | None = None,
                        default_presets: Mapping[str, str] | None = None,
                        ) -> tuple[dict[str, float | None], dict[str, str | None]]:
    """Read a scenario and its preset keys from URL query parameters, validating everything.

    Parameters
    ----------
    params : mapping of str to str
        Query parameters: Scenario field names with numbers in the field's own
        unit; ``accelerator``, ``methodology``, ``site`` preset keys and
        ``precision`` ("bf16" or "fp8"). An empty value means "not given":
        an empty field is left unset (None), an empty preset is as if absent.
    defaults : mapping of str to float, optional
        Field values that stand under the presets, for fields that neither
        the presets nor the parameters give (the dashboard's own defaults,
        such as the fleet size and the period).
    default_presets : mapping of str to str, optional
        Preset keys used where the parameters name none, so a short link
        reads exactly as if those presets had been picked and only the given
        values typed.

    Returns
    -------
    fields : dict
        Every Scenario field, float or None, validated by :class:`Scenario`:
        the presets' values first (as in a scenario file), then the
        parameters given.
    presets : dict
        ``accelerator``, ``methodology``, ``site``: catalogue keys or None;
        ``precision``: "bf16", "fp8" or None.

    Raises
    ------
    ValueError
        On an unknown parameter (with the closest valid one suggested), a
        value that is not a number, a missing required field, a value that
        breaks its field's rule, or an unknown preset key.
    """
    import difflib

    names = Scenario.field_names()
    valid = (*names, *PRESET_PARAMS)
    unknown = sorted(set(params) - set(valid))
    if unknown:
        # "PUE", "gpu-watts" and "GPU Watts" are near misses of "pue" and "gpu_watts".
        normal = "_".join(unknown[0].strip().lower().replace("-", " ").split())
        close = difflib.get_close_matches(normal, valid, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown parameter {unknown[0]!r} in the address (valid: {', '.join(valid)}){hint}")
    chosen = dict(default_presets or {})
    chosen.update({p: params[p] for p in PRESET_PARAMS if params.get(p, "") != ""})
    named = tuple(chosen.get(p, "") for p in PRESET_PARAMS)
    # Only text is hashable for the cache; anything else gets the uncached call and its TypeError.
    resolve = _query_presets if all(isinstance(t, str) for t in named) else _query_presets.__wrapped__
    presets, preset_values = resolve(*named)
    presets = dict(presets)
    values: dict[str, float | None] = {k: float(v) for k, v in (defaults or {}).items() if k in names}
    values.update(preset_values)
    for n in names:
        text = params.get(n)
        if text is not None:
            values[n] = None if text == "" else _query_number(n, text)
    missing = [n for n in ("gpus", "gpu_watts") if values.get(n) is None]
    if missing:
        raise ValueError(f"{missing[0]} is required in a shared address")
    s = Scenario(**{k: v for k, v in values.items() if v is not None})
    return {k: v for k, v in s.to_dict().items()}, presets


@functools.lru_cache(maxsize=128)
def _query_presets(accelerator: str, methodology: str, site: str,
                   precision: str) -> tuple[tuple[tuple[str, str | None], ...], tuple[tuple[str, float], ...]]:
    """Preset keys named in a query string and the Scenario fields they fill.

    Cached: the dashboard asks this of the same few presets on every rerun
    (to write the address bar), and each catalogue lookup rebuilds the
    catalogue. Errors are not cached; the result is immutable.
    """
    presets: dict[str, str | None] = dict.fromkeys(PRESET_PARAMS)
    finders = {"accelerator": catalog.accelerator, "methodology": catalog.methodology, "site": catalog.site}
    for p, text in (("accelerator", accelerator), ("methodology", methodology), ("site", site)):
        if text:
            presets[p] = finders[p](text).key
    if precision:
        if precision not in ("bf16", "fp8"):
            raise ValueError(f"precision must be 'bf16' or 'fp8' (got {precision!r})")
        presets["precision"] = precision
    values: dict[str, float] = {}
    if presets["accelerator"] is not None:
        # As in a scenario file: presets first, explicit values on top.
        values.update(preset_assumptions(presets["accelerator"], presets["methodology"], presets["site"]))
        if presets["precision"] == "fp8":
            values["peak_flop_per_s"] = _peak(catalog.accelerator(presets["accelerator"]), "fp8")[0]
    elif presets["methodology"] is not None:
        raise ValueError(f"methodology {presets['methodology']!r} needs an accelerator too: "
                         "its server overhead depends on the accelerator")
    elif presets["site"] is not None:
        values.update(catalog.site(presets["site"]).assumptions())
    return tuple(presets.items()), tuple(values.items())


def query_from_scenario(scenario: Scenario, presets: Mapping[str, str | None],
                        defaults: Mapping[str, float] | None = None) -> dict[str, str]:
    """URL query parameters that restore a scalar scenario and its presets.

    Parameters
    ----------
    scenario : Scenario
        Scalar scenario.
    presets : mapping
        ``accelerator``, ``methodology``, ``site``, ``precision`` keys or None.
    defaults : mapping of str to float, optional
        The ``defaults`` the reader will pass to :func:`scenario_from_query`:
        a field unset here that a default would fill is written empty.

    Returns
    -------
    dict of str to str
        Numbers written with ``repr`` so they read back exactly; a field not
        given is left out, or written empty where a preset would otherwise
        fill it. ``scenario_from_query`` of the result gives ``scenario`` back.
    """
    out = {p: presets[p] for p in PRESET_PARAMS if presets.get(p)}
    supplied = (scenario_from_query({**out, "gpus": "1", "gpu_watts": "1"}, defaults)[0]
                if out or defaults else {})
    for name, value in scenario.to_dict().items():
        if value is None:
            if supplied.get(name) is not None:
                out[name] = ""  # "not given", so the preset's value is not restored in its place
            continue
        if isinstance(value, list):
            raise ValueError(f"{name} is an array; only a scalar scenario fits in an address")
        number = float(value)
        out[name] = repr(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    return out


def log_range(low: float, high: float, n: int = 50) -> np.ndarray:
    """``n`` values evenly spaced on a log scale from ``low`` to ``high``, both included.

    Parameters
    ----------
    low, high : float
        Ends, both > 0, in any unit.
    n : int, default 50
        Number of values, >= 2.

    Returns
    -------
    numpy.ndarray
        In the unit of ``low``.
    """
    low = validate.number("low", low, "positive")
    high = validate.number("high", high, "positive")
    if high <= low:
        raise ValueError(f"high must be > low (got {low!r} and {high!r})")
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2 (got {n!r})")
    return np.geomspace(low, high, n)


# --------------------------------------------------------------------------- uncertainty page

#: Fields whose default range is the spread of the methodology presets (see :func:`default_ranges`).
SPREAD_FIELDS = ("server_overhead", "network_overhead", "pue", "utilization")

#: The methodology left out of that spread: every ratio 1.0 is a floor, not a published estimate.
NEUTRAL_METHODOLOGY = "neutral"

#: Default range of the other uncertain fields: field → (low ÷ value, high ÷ value, where it comes from).
RANGE_BANDS: dict[str, tuple[float, float, str]] = {
    "gpu_watts": (0.90, 1.05, "Dashboard assumption, −10 % to +5 % of the value (not a published figure): "
                  "sustained board power is capped near the rated TDP; operators may cap lower, and short "
                  "excursions go above it."),
    "mfu": (0.75, 1.25, "Dashboard assumption, ±25 % of the value: published MFUs of large training runs span "
            "about 0.3–0.5 (Llama 3 405B: 0.38–0.43 at BF16 on H100, arXiv:2407.21783; Epoch AI: median "
            "0.375 of 33 runs)."),
    "electricity_price": (0.75, 1.25, "Dashboard assumption, ±25 %: prices differ by region, contract and "
                          "year."),
    "carbon_intensity": (0.75, 1.25, "Dashboard assumption, ±25 %: grid averages move from year to year and "
                         "with the hours of use."),
    "wue": (0.5, 1.5, "Dashboard assumption, ±50 %: site water use depends on climate and cooling design and "
            "changes through the year."),
}

#: Fields held at their value by default (a zero-width range), and why.
FIXED_FIELDS: dict[str, str] = {
    "gpus": "Your fleet size: held fixed (a choice, not an uncertain figure).",
    "hours": "Your period: held fixed (a choice, not an uncertain figure).",
    "peak_flop_per_s": "Vendor datasheet peak: held fixed (a specification; MFU carries the uncertainty of "
                       "achieved compute).",
}


def _in_domain(field_name: str, low: float, high: float) -> tuple[float, float]:
    """``[low, high]`` narrowed to the field's valid values (PUE >= 1, utilization <= 1, ...)."""
    rule, maximum = validate.FIELDS[field_name]
    if rule == "at_least_one":
        low = max(low, 1.0)
    if rule == "fraction":
        high = min(high, 1.0)
    if maximum is not None:
        high = min(high, maximum)
    return low, high


def default_ranges(scenario: Scenario, accelerator: str,
                   methodologies: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
    """A sensible low / likely / high range for every assumption a scenario gives.

    Parameters
    ----------
    scenario : Scenario
        Scalar scenario; each given field's value is the likely value.
    accelerator : str
        Accelerator key: the methodologies' server overhead (and utilization)
        depend on it.
    methodologies : sequence of str, optional
        Methodology keys whose spread sets the ranges of :data:`SPREAD_FIELDS`;
        every one but the neutral one by default.

    Returns
    -------
    dict
        Field → ``{"low", "likely", "high"}`` (floats, in the field's unit;
        ``low <= likely <= high``) and ``"source"`` (text: where the range
        comes from), for every field the scenario gives, in Scenario order.

    Notes
    -----
    - :data:`SPREAD_FIELDS` (server and network overhead, PUE, utilization):
      from the lowest to the highest value the methodology presets give for
      this accelerator, widened to include the likely value.
    - :data:`RANGE_BANDS` (accelerator power, MFU, price, grid intensity,
      WUE): the likely value times a documented band.
    - :data:`FIXED_FIELDS` (fleet size, period, peak FLOP/s): zero width.

    Every range is kept inside its field's valid values (PUE >= 1,
    utilization and MFU <= 1). These are starting points for a sensitivity
    study, each labelled with its basis, not measured uncertainties.

    Examples
    --------
    >>> s = Scenario.from_accelerator("h100-sxm", gpus=1000, methodology="nameplate")
    >>> r = default_ranges(s, "h100-sxm")["pue"]
    >>> r["low"], r["likely"], r["high"]
    (1.1, 1.2, 1.4)
    """
    part = catalog.accelerator(accelerator)
    table = catalog.methodologies()
    keys = ([k for k in table if k != NEUTRAL_METHODOLOGY] if methodologies is None
            else [catalog.methodology(k).key for k in methodologies])
    spread = {k: table[k].assumptions(part) for k in keys}
    out: dict[str, dict[str, Any]] = {}
    for field_name in Scenario.field_names():
        value = getattr(scenario, field_name)
        if value is None:
            continue
        if np.ndim(value) != 0:
            raise ValueError(f"{field_name} must be a single value for a range (got shape {np.shape(value)})")
        likely = float(value)
        if field_name in SPREAD_FIELDS and spread:
            values = {k: v[field_name] for k, v in spread.items()}
            lowest, highest = min(values, key=values.get), max(values, key=values.get)
            low, high = values[lowest], values[highest]
            source = (f"Methodology presets for {part.name} range from {low:.3g} in {table[lowest].name} "
                      f"to {high:.3g} in {table[highest].name}")
            if not low <= likely <= high:
                source += "; widened to include your value"
            low, high = min(low, likely), max(high, likely)
        elif field_name in RANGE_BANDS:
            down, up, source = RANGE_BANDS[field_name]
            low, high = _in_domain(field_name, likely * down, likely * up)
        else:
            low = high = likely
            source = FIXED_FIELDS.get(field_name, "Held fixed.")
        out[field_name] = {"low": float(low), "likely": likely, "high": float(high), "source": source}
    return out


def sobol_sampling_error(n: int, shares: int = 1) -> float:
    """Order of the sampling error of a sum of Sobol shares from ``n`` base samples.

    Parameters
    ----------
    n : int
        Base samples, >= 1 [count].
    shares : int, default 1
        How many estimated shares are summed (``1 − Σ S_i`` sums them all) [count].

    Returns
    -------
    float
        ``sqrt(shares / n)``: each share's error is of order ``1 / sqrt(n)``,
        and independent errors add in quadrature [unitless, a fraction of the
        variance].
    """
    n = validate.number("n", n, "positive")
    shares = validate.number("shares", shares, "positive")
    return float(np.sqrt(shares / n))


def histogram(samples: ArrayLike, bins: int = 40) -> dict[str, np.ndarray]:
    """Counts of samples in equal-width bins, for a chart.

    Parameters
    ----------
    samples : array_like
        Finite values, in any unit.
    bins : int, default 40
        Number of bins, >= 1.

    Returns
    -------
    dict
        ``start`` and ``end`` of each bin (in the samples' unit), ``count``
        [count] and ``share`` of all samples [unitless]; one entry per bin.
    """
    x = np.asarray(samples, dtype=float).ravel()
    if not isinstance(bins, int) or isinstance(bins, bool) or bins < 1:
        raise ValueError(f"bins must be an int >= 1 (got {bins!r})")
    if x.size == 0:
        raise ValueError("samples must not be empty")
    counts, edges = np.histogram(x, bins=bins)
    return {"start": edges[:-1], "end": edges[1:], "count": counts.astype(float), "share": counts / x.size}


def uncertainty_summary(specs: Mapping[str, object], outputs: Sequence[str], n: int = 100_000,
                        seed: int = 0, bins: int = 40,
                        progress: Any = None) -> dict[str, Any]:
    """Monte Carlo percentiles and histograms of a few outputs: what the uncertainty page shows.

    Parameters
    ----------
    specs : mapping
        Field → range or number, as :func:`estimator.uncertainty.monte_carlo`
        takes them; every assumption of the scenario.
    outputs : sequence of str
        Names from :data:`estimator.uncertainty.OUTPUTS`.
    n : int, default 100_000
        Samples.
    seed : int, default 0
        Seed of the samples.
    bins : int, default 40
        Bins of each histogram.
    progress : callable, optional
        Passed to :func:`~estimator.uncertainty.monte_carlo`.

    Returns
    -------
    dict
        ``percentiles``: output → {5, 50, 95} → value; ``histograms``: output →
        :func:`histogram`; ``clipped``: field → fraction of its samples clipped
        to the field's domain (log-normal ranges); ``n`` and ``seed``. Values
        in each output's unit. Small enough to cache: the samples are not kept.
    """
    from estimator import uncertainty

    result = uncertainty.monte_carlo(specs, n=n, seed=seed, outputs=list(outputs), progress=progress)
    return {"percentiles": result.percentiles,
            "histograms": {k: histogram(v, bins) for k, v in result.samples.items()},
            "clipped": dict(result.clipped), "n": result.n, "seed": result.seed}
