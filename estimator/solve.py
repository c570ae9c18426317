"""Inverse questions: every factor of the power chain solved from a budget.

The chain is a product, ``P = gpus × gpu_watts × server_overhead ×
network_overhead × pue``, so any factor is ``P`` divided by the others. The
training inverse adds ``time = training_flop ÷ (gpus × peak × mfu × goodput)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import validate
from estimator.compute import sustained_flop_per_s, useful_flop_per_s
from estimator.power import fleet_facility_power_w

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike


def _chain_w_per_gpu(gpu_watts: ArrayLike, server_overhead: ArrayLike, network_overhead: ArrayLike,
                     pue: ArrayLike) -> float | np.ndarray:
    """All-in facility watts per accelerator [W]."""
    return fleet_facility_power_w(1.0, gpu_watts, server_overhead, network_overhead, pue)


def gpus_for_power(facility_power_w: ArrayLike, gpu_watts: ArrayLike, server_overhead: ArrayLike = 1.0,
                   network_overhead: ArrayLike = 1.0, pue: ArrayLike = 1.0,
                   whole: bool = False) -> float | np.ndarray:
    """How many accelerators a facility power budget holds at full load.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power budget (grid connection) [W].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The chain's ratios [unitless, >= 1].
    whole : bool, default False
        Round down to whole accelerators.

    Returns
    -------
    numeric
        ``facility_power_w ÷ (gpu_watts × server_overhead × network_overhead
        × pue)`` [count].

    Examples
    --------
    The worked example of docs/methodology.md (DGX H100 ratio 1.82, network 1.10, PUE 1.2):

    >>> int(gpus_for_power(1e9, 700, 1.82, 1.10, 1.2, whole=True))
    594643
    """
    budget = validate.field("facility_power_w", facility_power_w)
    gpus = budget / _chain_w_per_gpu(gpu_watts, server_overhead, network_overhead, pue)
    return np.floor(gpus) if whole else gpus


def gpu_watts_for_power(facility_power_w: ArrayLike, gpus: ArrayLike, server_overhead: ArrayLike = 1.0,
                        network_overhead: ArrayLike = 1.0, pue: ArrayLike = 1.0) -> float | np.ndarray:
    """The per-accelerator power a budget allows for a given fleet.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power budget [W].
    gpus : numeric
        Accelerators [count].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The chain's ratios [unitless, >= 1].

    Returns
    -------
    numeric
        ``facility_power_w ÷ (gpus × server_overhead × network_overhead × pue)`` [W].
    """
    budget = validate.field("facility_power_w", facility_power_w)
    per_watt = fleet_facility_power_w(gpus, 1.0, server_overhead, network_overhead, pue)
    return budget / per_watt


def pue_for_power(facility_power_w: ArrayLike, gpus: ArrayLike, gpu_watts: ArrayLike,
                  server_overhead: ArrayLike = 1.0, network_overhead: ArrayLike = 1.0) -> float | np.ndarray:
    """The highest PUE at which a fleet still fits a facility budget.

    Parameters
    ----------
    facility_power_w : numeric
        Facility power budget [W].
    gpus : numeric
        Accelerators [count].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead : numeric, default 1.0
        The chain's ratios [unitless, >= 1].

    Returns
    -------
    numeric
        ``facility_power_w ÷ IT power`` [unitless]. A value below 1 means the
        fleet's IT load alone exceeds the budget: no facility can hold it.
    """
    budget = validate.field("facility_power_w", facility_power_w)
    return budget / fleet_facility_power_w(gpus, gpu_watts, server_overhead, network_overhead, 1.0)


def gpus_for_training(training_flop: ArrayLike, training_time_s: ArrayLike, peak_flop_per_s: ArrayLike,
                      mfu: ArrayLike, goodput: ArrayLike | None = None) -> float | np.ndarray:
    """Accelerators needed to finish a run in a given time.

    Parameters
    ----------
    training_flop : numeric
        Compute of the run [FLOP].
    training_time_s : numeric
        Wall-clock time allowed [s].
    peak_flop_per_s : numeric
        Dense peak of one accelerator [FLOP/s].
    mfu : numeric
        Model FLOPs utilization [unitless, (0, 1]].
    goodput : numeric, optional
        Share of wall time doing useful training [unitless, (0, 1]]; None
        means 1 (:func:`estimator.compute.useful_flop_per_s`).

    Returns
    -------
    numeric
        ``training_flop ÷ (training_time_s × peak_flop_per_s × mfu × goodput)``
        [count], fractional; round up for a real fleet.
    """
    flop = validate.field("training_flop", training_flop)
    seconds = validate.field("training_time_s", training_time_s)
    per_gpu = useful_flop_per_s(sustained_flop_per_s(validate.field("peak_flop_per_s", peak_flop_per_s), mfu),
                                goodput)
    return flop / (seconds * per_gpu)


def facility_power_for_training(training_flop: ArrayLike, training_time_s: ArrayLike,
                                peak_flop_per_s: ArrayLike, mfu: ArrayLike, gpu_watts: ArrayLike,
                                server_overhead: ArrayLike = 1.0, network_overhead: ArrayLike = 1.0,
                                pue: ArrayLike = 1.0, goodput: ArrayLike | None = None) -> float | np.ndarray:
    """Facility power (full load) of the fleet that finishes a run in time.

    Parameters
    ----------
    training_flop : numeric
        Compute of the run [FLOP].
    training_time_s : numeric
        Wall-clock time allowed [s].
    peak_flop_per_s : numeric
        Dense peak of one accelerator [FLOP/s].
    mfu : numeric
        Model FLOPs utilization [unitless, (0, 1]].
    gpu_watts : numeric
        Power of one accelerator at full load [W].
    server_overhead, network_overhead, pue : numeric, default 1.0
        The chain's ratios [unitless, >= 1].
    goodput : numeric, optional
        Share of wall time doing useful training [unitless, (0, 1]]; None means 1.

    Returns
    -------
    numeric
        ``gpus_for_training(...) × gpu_watts × server_overhead ×
        network_overhead × pue`` [W].
    """
    gpus = gpus_for_training(training_flop, training_time_s, peak_flop_per_s, mfu, goodput)
    return fleet_facility_power_w(gpus, gpu_watts, server_overhead, network_overhead, pue)
