"""The power chain: accelerators → servers → IT → facility.

Every function is a pure, vectorized product of its inputs: each argument is
a scalar or an array, broadcast together, computed in float64. Full-load
(provisioned) power and average draw are kept apart: the first sizes the grid
connection, the second sets the energy bill. :func:`load_swing` gathers
:func:`load_swing_w` (the accelerators) with what swings alongside them: host
and fans, power-supply and distribution losses, and for a job start or stop
part of the cooling.

References
----------
.. [1] NVIDIA DGX H100 user guide: 10.2 kW maximum input power for 8 × H100
   SXM5 (700 W each). https://docs.nvidia.com/dgx/dgxh100-user-guide/
.. [2] The Green Grid, "PUE: a comprehensive examination of the metric" (2012).
.. [3] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
   (2024), section 3.3.4 on power fluctuations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import fields, validate
from estimator.catalog import Sourced

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike


def accelerator_power_w(gpus: ArrayLike, gpu_watts: ArrayLike) -> float | np.ndarray:
    """Power of the accelerators alone at full load.

    Parameters
    ----------
    gpus : numeric
        Accelerators in the fleet [count].
    gpu_watts : numeric
        Power of one accelerator at full load (nameplate TDP/TGP) [W].

    Returns
    -------
    numeric
        ``gpus × gpu_watts`` [W].

    Examples
    --------
    >>> accelerator_power_w(16_384, 700)
    11468800.0
    """
    return validate.field("gpus", gpus) * validate.field("gpu_watts", gpu_watts)


def server_power_w(accelerator_power_w: ArrayLike, server_overhead: ArrayLike = 1.0) -> float | np.ndarray:
    """Wall power of the servers that host the accelerators, at full load.

    Parameters
    ----------
    accelerator_power_w : numeric
        Power of the accelerators [W].
    server_overhead : numeric, default 1.0
        Server wall power ÷ accelerator power: host CPUs, memory, NICs, fans,
        PSU loss [unitless, >= 1].

    Returns
    -------
    numeric
        ``accelerator_power_w × server_overhead`` [W].

    Notes
    -----
    A DGX H100 is rated 10.2 kW for 8 × 700 W, so ``server_overhead`` =
    10,200 ÷ 5,600 ≈ 1.82 [1]_.

    References
    ----------
    .. [1] NVIDIA DGX H100 user guide: 10.2 kW maximum input power for 8 × H100
       SXM5 (700 W each). https://docs.nvidia.com/dgx/dgxh100-user-guide/
    """
    return validate.number("accelerator_power_w", accelerator_power_w, "positive") * validate.field(
        "server_overhead", server_overhead)


def it_power_w(server_power_w: ArrayLike, network_overhead: ArrayLike = 1.0) -> float | np.ndarray:
    """Critical IT power of the cluster at full load.

    Parameters
    ----------
    server_power_w : numeric
        Power of the accelerator servers [W].
    network_overhead : numeric, default 1.0
        Cluster IT power (servers + network + storage + management) ÷ server
        power [unitless, >= 1].

    Returns
    -------
    numeric
        ``server_power_w × network_overhead`` [W].
    """
    return validate.number("server_power_w", server_power_w, "positive") * validate.field(
        "network_overhead", network_overhead)


def facility_power_w(it_power_w: ArrayLike, pue: ArrayLike = 1.0) -> float | np.ndarray:
    """Facility power at full IT load: what the grid connection must supply.

    Parameters
    ----------
    it_power_w : numeric
        Critical IT power [W].
    pue : numeric, default 1.0
        Power usage effectiveness, facility power ÷ IT power [unitless, >= 1].

    Returns
    -------
    numeric
        ``it_power_w × pue`` [W].

    Notes
    -----
    PUE is defined on annual energy [1]_; applying it to full-load power is
    the usual planning approximation.

    References
    ----------
    .. [1] The Green Grid, "PUE: a comprehensive examination of the metric" (2012).
    """
    return validate.number("it_power_w", it_power_w, "positive") * validate.field("pue", pue)


def grid_connection_w(facility_power_w: ArrayLike, headroom: ArrayLike = 0.0) -> float | np.ndarray:
    """Provisioned grid capacity: the full-load draw plus a design headroom.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power at full load [W].
    headroom : numeric, default 0.0
        Capacity provisioned above the draw, as a share of it [unitless, >= 0].

    Returns
    -------
    numeric
        ``facility_power_w × (1 + headroom)`` [W].

    Examples
    --------
    >>> grid_connection_w(1e9, 0.2)
    1200000000.0
    """
    return validate.number("facility_power_w", facility_power_w, "positive") * (
        1.0 + validate.field("headroom", headroom))


def racks(gpus: ArrayLike, accelerators_per_rack: ArrayLike) -> float | np.ndarray:
    """Racks the accelerators fill (fractional: a part-filled rack counts its share).

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    accelerators_per_rack : numeric
        Accelerators in one rack [count].

    Returns
    -------
    numeric
        ``gpus ÷ accelerators_per_rack`` [count].

    Examples
    --------
    >>> racks(100_000, 72)  # GB200 NVL72
    1388.888888888889
    """
    return validate.field("gpus", gpus) / validate.field("accelerators_per_rack", accelerators_per_rack)


def rack_power_w(server_power_w: ArrayLike, gpus: ArrayLike, accelerators_per_rack: ArrayLike) -> float | np.ndarray:
    """Server power of one rack at full load: what its power and cooling deliver.

    Parameters
    ----------
    server_power_w : numeric
        Server power of the fleet at full load [W].
    gpus : numeric
        Accelerators in the fleet [count].
    accelerators_per_rack : numeric
        Accelerators in one rack [count].

    Returns
    -------
    numeric
        ``server_power_w ÷ gpus × accelerators_per_rack`` (the fleet's server
        power ÷ its racks) [W]; network and storage racks are not counted.

    Examples
    --------
    >>> round(rack_power_w(72_000 * 1200 * 1.389, 72_000, 72) / 1e3, 2)  # GB200 NVL72: about 120 kW
    120.01
    """
    # Per accelerator first: gpus ÷ accelerators_per_rack can underflow to 0 where this ratio is finite.
    return (validate.number("server_power_w", server_power_w, "positive") / validate.field("gpus", gpus)
            * validate.field("accelerators_per_rack", accelerators_per_rack))


def average_power_w(power_w: ArrayLike, utilization: ArrayLike = 1.0) -> float | np.ndarray:
    """Average draw over a period from full-load power.

    Parameters
    ----------
    power_w : numeric
        Full-load power [W].
    utilization : numeric, default 1.0
        Average draw ÷ full-load draw over the period [unitless, (0, 1]].

    Returns
    -------
    numeric
        ``power_w × utilization`` [W].
    """
    return validate.number("power_w", power_w, "positive") * validate.field("utilization", utilization)


def fleet_facility_power_w(gpus: ArrayLike, gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                           network_overhead: ArrayLike = 1.0, pue: ArrayLike = 1.0) -> float | np.ndarray:
    """Facility power of a fleet at full load, the whole chain in one call.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The chain's ratios [unitless, >= 1].

    Returns
    -------
    numeric
        ``gpus × gpu_watts × server_overhead × network_overhead × pue`` [W].

    Examples
    --------
    >>> round(fleet_facility_power_w(100_000, 700, 1.82, 1.10, 1.2) / 1e6, 1)
    168.2
    """
    return facility_power_w(it_power_w(server_power_w(accelerator_power_w(gpus, gpu_watts), server_overhead),
                                       network_overhead), pue)


def breakdown_w(accelerator_power_w: ArrayLike, server_power_w: ArrayLike, it_power_w: ArrayLike,
                facility_power_w: ArrayLike) -> dict[str, float | np.ndarray]:
    """Split facility power into the four layers of the chain.

    Parameters
    ----------
    accelerator_power_w, server_power_w, it_power_w, facility_power_w : numeric
        The cumulative powers of the chain [W].

    Returns
    -------
    dict
        ``accelerators``, ``host`` (server − accelerators), ``network_storage``
        (IT − server) and ``cooling_conversion`` (facility − IT) [W]; they sum
        to ``facility_power_w``.
    """
    return {
        "accelerators": accelerator_power_w,
        "host": np.subtract(server_power_w, accelerator_power_w, dtype=float),
        "network_storage": np.subtract(it_power_w, server_power_w, dtype=float),
        "cooling_conversion": np.subtract(facility_power_w, it_power_w, dtype=float),
    }


#: Assumptions of :func:`load_swing`, each with its source or labelled as an assumption.
SWING_ASSUMPTIONS: dict[str, Sourced] = {
    "idle_fraction": Sourced(
        0.15, "ratio",
        "Assumption, not a published figure: a waiting H100 still draws roughly 100 W of its 700 W (memory, "
        "clocks, leakage). Choukse et al., 'Power Stabilization for AI Training Datacenters', arXiv:2508.14318 "
        "(2025), https://arxiv.org/abs/2508.14318, describe the communication phases as near the GPUs' idle "
        "power",
        "Power of a waiting accelerator ÷ its full-load power; change it to see how the swing moves.", False),
    "host_swing_share": Sourced(
        0.5, "ratio",
        "Assumption, not a published figure: of the server's own power (CPUs, memory, NVSwitch, NICs, fans), "
        "about half tracks the job; CPUs and fans ease off in a stall and ramp with the load, switches and "
        "NICs stay busy through the collectives",
        "Share of the server power above the accelerators (after the PSU) that swings with them.", False),
    "psu_efficiency": Sourced(
        0.96, "ratio",
        "80 PLUS Titanium, 230 V internal redundant: 96 % efficient at 50 % load (90 % at 10 %, 94 % at 20 %, "
        "91 % at 100 %); CLEAResult 80 PLUS programme, https://www.clearesult.com/80plus/ (levels read in a "
        "secondary table citing plugloadsolutions.com, https://dariusptrs.github.io/tex4tum/psu; 2°)",
        "Server power supplies (AC → DC); their loss moves with the load they carry.", False),
    "distribution_efficiency": Sourced(
        0.95, "ratio",
        "Assumption, not a published figure: a double-conversion UPS with its transformers and PDUs; UPS "
        "efficiency varies with type and load (M. Ton and B. Fortenbury, 'High Performance Buildings: Data "
        "Centers — Uninterruptible Power Supplies', LBNL / Ecos / EPRI Solutions, 2005)",
        "Grid → server inlet; electrical losses follow the load at once.", False),
    "cooling_step_share": Sourced(
        0.5, "ratio",
        "Assumption, not a published figure: chillers and compressors follow the heat load within minutes, "
        "pumps and air handlers at minimum speed do not",
        "Share of the non-electrical facility overhead (PUE − 1 ÷ distribution efficiency) that a sustained "
        "job start or stop moves, once cooling has caught up.", False),
}


def load_swing_w(gpus: ArrayLike, gpu_watts: ArrayLike, idle_fraction: ArrayLike) -> float | np.ndarray:
    """Accelerator part of the synchronized power swing of a training job.

    In synchronous data-parallel training every accelerator computes, then
    waits for the same collective or checkpoint at the same moment, so the
    whole job drops from full load to idle and back together. The Llama 3
    paper reports swings "on the order of tens of megawatts" on a 24K-H100
    cluster [1]_. :func:`load_swing` adds what swings with the accelerators:
    host and fans, the power supplies' and the distribution's losses, and for
    a job start or stop part of the cooling.

    Parameters
    ----------
    gpus : numeric
        Accelerators running the job in lockstep [count].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    idle_fraction : numeric
        Power of a waiting accelerator ÷ its full-load power [unitless, 0–1].

    Returns
    -------
    numeric
        ``gpus × gpu_watts × (1 − idle_fraction)``, at the accelerator boards
        (DC) [W]: a lower bound of the swing the grid sees.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024), section 3.3.4 on power fluctuations.
    """
    idle = validate.field("idle_fraction", idle_fraction)
    return accelerator_power_w(gpus, gpu_watts) * (1.0 - idle)


def _at_least_zero(x: float | np.ndarray) -> float | np.ndarray:
    """``max(x, 0)`` elementwise, a float for a scalar (as every other result of this module)."""
    out = np.maximum(x, 0.0)
    return float(out) if np.ndim(out) == 0 else out


#: The parts of :func:`load_swing`, in the order they build up the swing, with their labels.
SWING_PARTS: dict[str, str] = {name: fields.label(name) for name in (
    "accelerator_w", "host_w", "psu_loss_w", "distribution_loss_w", "cooling_step_w")}


def load_swing(gpus: ArrayLike, gpu_watts: ArrayLike, idle_fraction: ArrayLike, job_share: ArrayLike = 1.0,
               facility_power_w: ArrayLike | None = None, *, server_overhead: ArrayLike = 1.0,
               pue: ArrayLike = 1.0, host_swing_share: ArrayLike | None = None,
               psu_efficiency: ArrayLike | None = None, distribution_efficiency: ArrayLike | None = None,
               cooling_step_share: ArrayLike | None = None) -> dict[str, float | np.ndarray]:
    """Synchronized power swing of a training job at the grid, built up part by part.

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
    server_overhead : numeric, default 1.0
        Server wall power ÷ accelerator power at full load [unitless, >= 1].
    pue : numeric, default 1.0
        Facility power ÷ IT power [unitless, >= 1].
    host_swing_share, psu_efficiency, distribution_efficiency, cooling_step_share : numeric, optional
        The assumptions of the build-up [unitless, 0–1; efficiencies (0, 1]];
        by default the values of :data:`SWING_ASSUMPTIONS`.

    Returns
    -------
    dict of str to numeric
        ``job_gpus`` [count]; the parts ``accelerator_w``, ``host_w``,
        ``psu_loss_w``, ``distribution_loss_w`` and ``cooling_step_w`` [W];
        ``swing_w``, the fast swing at the grid (every part but cooling) [W];
        ``step_w``, a sustained job start or stop (every part) [W]; with a
        facility power, ``share_of_facility`` and ``step_share_of_facility``
        [unitless].

    Notes
    -----
    With ``N = gpus × job_share`` and ``w = gpu_watts``::

        accelerator_w       = N × w × (1 − idle_fraction)
        host_w              = N × w × max(server_overhead × psu_efficiency − 1, 0) × host_swing_share
        psu_loss_w          = (accelerator_w + host_w) × (1 ÷ psu_efficiency − 1)
        it_swing_w          = accelerator_w + host_w + psu_loss_w          (at the server inlets)
        distribution_loss_w = it_swing_w × (1 ÷ distribution_efficiency − 1)
        swing_w             = it_swing_w ÷ distribution_efficiency
        cooling_step_w      = it_swing_w × cooling_step_share × max(pue − 1 ÷ distribution_efficiency, 0)
        step_w              = swing_w + cooling_step_w

    ``server_overhead`` is a wall-power ratio (a DGX H100 is rated 10.2 kW
    for 8 × 700 W [2]_), so the host's own DC power is ``server_overhead ×
    psu_efficiency − 1`` times the accelerators'. Power-supply and
    distribution losses follow the load at once [3]_; the cooling plant
    responds over minutes, so it counts only for a held step (a job starting
    or stopping), and only its load-following share. PUE's electrical part is
    taken as ``1 ÷ distribution_efficiency``; the rest is cooling and other
    overhead. Every swing assumes a perfectly synchronized job; stragglers
    and power smoothing [4]_ make real swings smaller.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024), section 3.3.4: power swings "on the order of tens of megawatts".
    .. [2] NVIDIA DGX H100 user guide: 10.2 kW maximum input power.
       https://docs.nvidia.com/dgx/dgxh100-user-guide/
    .. [3] CLEAResult, 80 PLUS programme: Titanium (230 V internal redundant)
       96 % efficient at 50 % load. https://www.clearesult.com/80plus/
    .. [4] E. Choukse et al., "Power Stabilization for AI Training
       Datacenters", arXiv:2508.14318 (2025). https://arxiv.org/abs/2508.14318

    Examples
    --------
    >>> out = load_swing(16_384, 700, 0.15, server_overhead=10_200 / 5_600, pue=1.1)
    >>> round(out["accelerator_w"] / 1e6, 2), round(out["swing_w"] / 1e6, 2), round(out["step_w"] / 1e6, 2)
    (9.75, 15.4, 15.74)
    """
    given = {"host_swing_share": host_swing_share, "psu_efficiency": psu_efficiency,
             "distribution_efficiency": distribution_efficiency, "cooling_step_share": cooling_step_share}
    a = {k: SWING_ASSUMPTIONS[k].value if v is None else v for k, v in given.items()}
    host_share = validate.field("host_swing_share", a["host_swing_share"])
    cooling_share = validate.field("cooling_step_share", a["cooling_step_share"])
    psu = validate.field("psu_efficiency", a["psu_efficiency"])
    dist = validate.field("distribution_efficiency", a["distribution_efficiency"])
    share = validate.field("job_share", job_share)
    job_gpus = validate.field("gpus", gpus) * share
    overhead, pue_ = validate.field("server_overhead", server_overhead), validate.field("pue", pue)
    acc = load_swing_w(job_gpus, gpu_watts, idle_fraction)
    host = accelerator_power_w(job_gpus, gpu_watts) * _at_least_zero(overhead * psu - 1.0) * host_share
    dc = acc + host
    psu_loss = dc * (1.0 / psu - 1.0)
    it_swing = dc + psu_loss
    swing = it_swing / dist
    cooling = it_swing * cooling_share * _at_least_zero(pue_ - 1.0 / dist)
    out: dict[str, float | np.ndarray] = {
        "job_gpus": job_gpus, "accelerator_w": acc, "host_w": host, "psu_loss_w": psu_loss,
        "distribution_loss_w": swing - it_swing, "cooling_step_w": cooling, "swing_w": swing,
        "step_w": swing + cooling}
    if facility_power_w is not None:
        # A result, not a budget: checked as a positive power, without the budget's sanity ceiling.
        facility = validate.number("facility_power_w", facility_power_w, "positive")
        out["share_of_facility"] = out["swing_w"] / facility
        out["step_share_of_facility"] = out["step_w"] / facility
    return out
