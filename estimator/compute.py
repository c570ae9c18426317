"""Compute: cluster FLOP/s, training FLOP and training time.

References
----------
.. [1] J. Kaplan et al., "Scaling Laws for Neural Language Models",
   arXiv:2001.08361 (2020): training compute C ≈ 6 N D for dense transformers.
.. [2] A. Chowdhery et al., "PaLM: Scaling Language Modeling with Pathways",
   arXiv:2204.02311 (2022), appendix B: model FLOPs utilization (MFU).
.. [3] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
   (2024): 405B parameters, 15.6T tokens, 3.8e25 FLOP, 38–43% BF16 MFU.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from estimator import validate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

SECONDS_PER_HOUR = 3600.0
FLOP_PER_PARAMETER_TOKEN = 6.0  # forward (2) + backward (4) multiply-adds per parameter per token [1]


def peak_cluster_flop_per_s(gpus: ArrayLike, peak_flop_per_s: ArrayLike) -> float | np.ndarray:
    """Peak compute of the fleet.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    peak_flop_per_s : numeric
        Dense peak of one accelerator at the chosen precision [FLOP/s].

    Returns
    -------
    numeric
        ``gpus × peak_flop_per_s`` [FLOP/s].
    """
    return validate.field("gpus", gpus) * validate.field("peak_flop_per_s", peak_flop_per_s)


def sustained_flop_per_s(peak_cluster_flop_per_s: ArrayLike, mfu: ArrayLike) -> float | np.ndarray:
    """Compute achieved by a training job.

    Parameters
    ----------
    peak_cluster_flop_per_s : numeric
        Peak compute of the fleet [FLOP/s].
    mfu : numeric
        Model FLOPs utilization, achieved ÷ peak [unitless, (0, 1]] [1]_.

    Returns
    -------
    numeric
        ``peak_cluster_flop_per_s × mfu`` [FLOP/s].

    References
    ----------
    .. [1] A. Chowdhery et al., "PaLM: Scaling Language Modeling with Pathways",
       arXiv:2204.02311 (2022), appendix B: model FLOPs utilization (MFU).
    """
    return validate.number("peak_cluster_flop_per_s", peak_cluster_flop_per_s, "positive") * validate.field(
        "mfu", mfu)


def useful_flop_per_s(sustained_flop_per_s: ArrayLike, goodput: ArrayLike | None = None) -> float | np.ndarray:
    """Compute that goes into training, averaged over wall time: sustained compute × goodput.

    Every training time, fleet size and compute-over-a-period of the model
    goes through this one function, so a goodput given at any door counts
    the same everywhere.

    Parameters
    ----------
    sustained_flop_per_s : numeric
        Compute achieved while the job trains (peak × MFU) [FLOP/s].
    goodput : numeric, optional
        Share of wall time doing useful training (restarts, checkpoint
        writes, failures and stalls excluded) [unitless, (0, 1]]; None means
        1, no time lost. Llama 3 405B reports "higher than 90%" effective
        training time over a 54-day snapshot [1]_ (the preset
        ``goodput`` of the ``llama-3-405b`` training run).

    Returns
    -------
    numeric
        ``sustained_flop_per_s × goodput`` [FLOP/s].

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024), section 3.3.4, "Reliability and operational challenges".
       https://arxiv.org/abs/2407.21783

    Examples
    --------
    >>> useful_flop_per_s(4e17, 0.9)
    3.6e+17
    """
    if goodput is None:
        return sustained_flop_per_s
    return sustained_flop_per_s * validate.field("goodput", goodput)


def training_flop(parameters: ArrayLike, tokens: ArrayLike) -> float | np.ndarray:
    """Training compute of a dense transformer, ``6 N D`` [1]_.

    Parameters
    ----------
    parameters : numeric
        Model parameters N [count].
    tokens : numeric
        Training tokens D [count].

    Returns
    -------
    numeric
        ``6 × parameters × tokens`` [FLOP].

    References
    ----------
    .. [1] J. Kaplan et al., "Scaling Laws for Neural Language Models",
       arXiv:2001.08361 (2020): training compute C ≈ 6 N D for dense transformers.
    .. [2] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024): 405B parameters, 15.6T tokens, 3.8e25 FLOP, 38–43% BF16 MFU.

    Examples
    --------
    >>> training_flop(405e9, 15.6e12)  # Llama 3 405B [2]_
    3.7908e+25
    """
    return FLOP_PER_PARAMETER_TOKEN * validate.field("parameters", parameters) * validate.field("tokens", tokens)


def training_time_s(training_flop: ArrayLike, gpus: ArrayLike, peak_flop_per_s: ArrayLike,
                    mfu: ArrayLike, goodput: ArrayLike | None = None) -> float | np.ndarray:
    """Wall-clock time to train, at a constant MFU and goodput.

    Parameters
    ----------
    training_flop : numeric
        Compute of the run [FLOP].
    gpus : numeric
        Accelerators [count].
    peak_flop_per_s : numeric
        Dense peak of one accelerator [FLOP/s].
    mfu : numeric
        Model FLOPs utilization [unitless, (0, 1]].
    goodput : numeric, optional
        Share of wall time doing useful training [unitless, (0, 1]]; None
        means 1 (no restarts or downtime) (see :func:`useful_flop_per_s`).

    Returns
    -------
    numeric
        ``training_flop ÷ (gpus × peak_flop_per_s × mfu × goodput)`` [s].

    Notes
    -----
    Llama 3 405B reports higher than 90% effective training time [1]_: at
    ``goodput=0.9`` the run takes 1/0.9 of the time at full goodput.

    References
    ----------
    .. [1] Llama Team, AI @ Meta, "The Llama 3 Herd of Models", arXiv:2407.21783
       (2024): 405B parameters, 15.6T tokens, 3.8e25 FLOP, 38–43% BF16 MFU;
       section 3.3.4: higher than 90% effective training time.

    Examples
    --------
    >>> round(training_time_s(3.8e25, 16_384, 989.4e12, 0.41, 0.9) / 86_400, 1)
    73.5
    """
    flop = validate.field("training_flop", training_flop)
    sustained = sustained_flop_per_s(peak_cluster_flop_per_s(gpus, peak_flop_per_s), mfu)
    return flop / useful_flop_per_s(sustained, goodput)


def flop_in_period(sustained_flop_per_s: ArrayLike, hours: ArrayLike) -> float | np.ndarray:
    """Compute delivered over a period.

    Parameters
    ----------
    sustained_flop_per_s : numeric
        Achieved compute [FLOP/s].
    hours : numeric
        Length of the period [h].

    Returns
    -------
    numeric
        ``sustained_flop_per_s × hours × 3600`` [FLOP].
    """
    return (validate.number("sustained_flop_per_s", sustained_flop_per_s, "positive")
            * validate.field("hours", hours) * SECONDS_PER_HOUR)


def gpu_hours(gpus: ArrayLike, training_time_s: ArrayLike) -> float | np.ndarray:
    """Accelerator-hours of a run.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    training_time_s : numeric
        Wall-clock time [s].

    Returns
    -------
    numeric
        ``gpus × training_time_s ÷ 3600`` [GPU-h].
    """
    return validate.field("gpus", gpus) * validate.field("training_time_s", training_time_s) / SECONDS_PER_HOUR


def runs_in_period(flop_in_period: ArrayLike, training_flop: ArrayLike) -> float | np.ndarray:
    """How many training runs of a given size fit the compute of a period.

    Parameters
    ----------
    flop_in_period : numeric
        Compute delivered over the period [FLOP].
    training_flop : numeric
        Compute of one run [FLOP].

    Returns
    -------
    numeric
        ``flop_in_period ÷ training_flop`` [runs].
    """
    return validate.number("flop_in_period", flop_in_period, "nonnegative") / validate.field(
        "training_flop", training_flop)
