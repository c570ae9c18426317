"""The power chain: accelerators → servers → IT → facility.

Every function is a pure, vectorized product of its inputs: each argument is
a scalar or an array, broadcast together, computed in float64. Full-load
(provisioned) power and average draw are kept apart: the first sizes the grid
connection, the second sets the energy bill. :func:`load_swing` gathers
:func:`load_swing_w` for part of a fleet, with its share of the facility.

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

from estimator import validate

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


def load_swing_w(gpus: ArrayLike, gpu_watts: ArrayLike, idle_fraction: ArrayLike) -> float | np.ndarray:
    """Synchronized power swing of a training job, as seen by the grid.

    In synchronous data-parallel training every accelerator computes, then
    waits for the same collective or checkpoint at the same moment, so the
    whole fleet drops from full load to idle and back together. The Llama 3
    paper reports swings "on the order of tens of megawatts" on a 24K-H100
    cluster [1]_.

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
        ``gpus × gpu_watts × (1 − idle_fraction)`` [W].

    Notes
    -----
    Only the accelerators swing: host CPUs, network and storage keep their draw
    over a sub-second stall, and cooling responds over minutes, so neither the
    server overhead nor PUE multiplies the swing. This is an upper bound for a
    perfectly synchronized job; real swings are smoothed by stragglers.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024), section 3.3.4 on power fluctuations.
    """
    idle = validate.field("idle_fraction", idle_fraction)
    return accelerator_power_w(gpus, gpu_watts) * (1.0 - idle)


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
    :func:`load_swing_w` for why neither the server overhead nor PUE
    multiplies it [1]_.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024), section 3.3.4: power swings "on the order of tens of megawatts".

    Examples
    --------
    >>> round(load_swing(24_576, 700, 0.1)["swing_w"] / 1e6, 1)
    15.5
    """
    share = validate.number("job_share", job_share, "fraction")
    job_gpus = validate.field("gpus", gpus) * share
    out: dict[str, float | np.ndarray] = {"job_gpus": job_gpus,
                                          "swing_w": load_swing_w(job_gpus, gpu_watts, idle_fraction)}
    if facility_power_w is not None:
        # A result, not a budget: checked as a positive power, without the budget's sanity ceiling.
        out["share_of_facility"] = out["swing_w"] / validate.number("facility_power_w", facility_power_w, "positive")
    return out
