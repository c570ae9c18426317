"""Serving: energy per token and per query, queries a day, and the fleet a demand needs.

A serving fleet is described by its throughput: ``tokens_per_s_per_gpu``, the
output (decode) tokens one accelerator serves per second at full load, and
optionally ``prefill_tokens_per_s_per_gpu``, the input (prompt) tokens it reads
per second. ``load_factor`` is average ÷ full-load throughput over the period;
``utilization`` stays average ÷ full-load *draw*, so machines that idle while
still drawing power make each token dearer.

The time one query occupies one accelerator at full load is::

    t_query = tokens_per_query / tokens_per_s_per_gpu
            + input_tokens_per_query / prefill_tokens_per_s_per_gpu     [s]

A fleet of ``gpus`` at ``load_factor`` delivers ``gpus × load_factor``
accelerator-seconds of full-load work per second, so it serves
``gpus × load_factor / t_query`` queries a second while drawing its average
facility power. Hence::

    energy_per_query_j = average_facility_power_w × t_query / (gpus × load_factor)
    queries_per_day    = gpus × load_factor × 86,400 / t_query
    energy_per_token_j = average_facility_power_w / (gpus × tokens_per_s_per_gpu × load_factor)

Without input tokens ``energy_per_query = energy_per_token × tokens_per_query``.
The module also estimates throughput from model and hardware facts
(:func:`decode_tokens_per_s`, :func:`prefill_tokens_per_s`) for people who do
not know a tokens/s figure, and hands out query presets
(:func:`queries`, ``estimator/data/queries.toml``).

References
----------
.. [1] J. You, "How much energy does ChatGPT use?", Epoch AI Gradient Updates
   (2025). https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use
.. [2] C. Elsworth et al., "Measuring the environmental impact of delivering AI
   at Google Scale", Google (2025), arXiv:2508.15734.
.. [3] J.-W. Chung et al., "The ML.ENERGY Benchmark", arXiv:2505.06371 (2025);
   https://ml.energy/leaderboard

Examples
--------
>>> from estimator import serving
>>> round(serving.energy_per_query_wh(1070.0, 1.0, 494.7, 500), 3)  # Epoch AI's GPT-4o arithmetic
0.3
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import energy, footprint, validate
from estimator.catalog import Sourced, _lookup, _sourced

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

    from estimator.scenario import Scenario

__all__ = [
    "QueryPreset",
    "decode_tokens_per_s",
    "energy_per_query_wh",
    "energy_per_token_j",
    "fleet_for_queries",
    "gpus_for_queries",
    "prefill_tokens_per_s",
    "queries",
    "queries_per_day",
    "query",
    "query_energy_split",
    "query_footprint",
    "query_seconds",
]

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86_400.0
GIGAWATT_W = 1e9
FLOP_PER_PARAMETER_TOKEN = 2.0  # one multiply-add per active parameter per generated token (forward pass)


def _plain(value: float | np.ndarray) -> float | np.ndarray:
    """A 0-d result as a Python float, as every function of the library returns for scalar input."""
    return float(value) if np.ndim(value) == 0 else value


def query_seconds(tokens_per_query: ArrayLike, tokens_per_s_per_gpu: ArrayLike,
                  input_tokens_per_query: ArrayLike | None = None,
                  prefill_tokens_per_s_per_gpu: ArrayLike | None = None) -> float | np.ndarray:
    """Accelerator-seconds at full load that one query takes.

    Parameters
    ----------
    tokens_per_query : numeric
        Output tokens of one query [count].
    tokens_per_s_per_gpu : numeric
        Output (decode) tokens one accelerator serves per second at full load [tokens/s].
    input_tokens_per_query : numeric, optional
        Input (prompt) tokens of one query [count]; needs ``prefill_tokens_per_s_per_gpu``.
    prefill_tokens_per_s_per_gpu : numeric, optional
        Input tokens one accelerator reads per second at full load [tokens/s].

    Returns
    -------
    numeric
        ``tokens_per_query / tokens_per_s_per_gpu + input_tokens_per_query /
        prefill_tokens_per_s_per_gpu`` [s].

    Raises
    ------
    ValueError
        If input tokens are given without a prefill throughput (their cost
        would be unknown), or any value breaks its field's rule.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025): long
       inputs cost energy of their own (about 2.5 Wh with 10k input tokens).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use

    Examples
    --------
    >>> query_seconds(500, 1000, input_tokens_per_query=10_000, prefill_tokens_per_s_per_gpu=20_000)
    1.0
    """
    seconds = validate.field("tokens_per_query", tokens_per_query) / validate.field(
        "tokens_per_s_per_gpu", tokens_per_s_per_gpu)
    if input_tokens_per_query is None:
        return seconds
    if prefill_tokens_per_s_per_gpu is None:
        raise ValueError("input_tokens_per_query needs prefill_tokens_per_s_per_gpu (not given): the cost of "
                         "reading the prompt is unknown without it")
    return seconds + validate.field("input_tokens_per_query", input_tokens_per_query) / validate.field(
        "prefill_tokens_per_s_per_gpu", prefill_tokens_per_s_per_gpu)


def energy_per_token_j(average_facility_power_w: ArrayLike, gpus: ArrayLike, tokens_per_s_per_gpu: ArrayLike,
                       load_factor: ArrayLike = 1.0) -> float | np.ndarray:
    """Facility energy per output token at the average load.

    Parameters
    ----------
    average_facility_power_w : numeric
        Facility power averaged over the period (× utilization) [W].
    gpus : numeric
        Accelerators [count].
    tokens_per_s_per_gpu : numeric
        Output tokens one accelerator serves per second at full load [tokens/s].
    load_factor : numeric, default 1.0
        Average ÷ full-load throughput [unitless, (0, 1]]. A Scenario uses its
        ``utilization`` when none is given.

    Returns
    -------
    numeric
        ``average_facility_power_w / (gpus × tokens_per_s_per_gpu ×
        load_factor)`` [J].

    Notes
    -----
    Counts decode throughput only: the energy of reading prompts is in
    :func:`energy_per_query_wh` when input tokens are given.

    References
    ----------
    .. [1] J.-W. Chung et al., "The ML.ENERGY Benchmark", arXiv:2505.06371
       (2025): energy per output token, measured (GPU energy only).

    Examples
    --------
    >>> round(energy_per_token_j(1.68e9, 1e6, 1000, 0.75), 3)
    2.24
    """
    power = validate.number("average_facility_power_w", average_facility_power_w, "nonnegative")
    rate = (validate.field("gpus", gpus) * validate.field("tokens_per_s_per_gpu", tokens_per_s_per_gpu)
            * validate.field("load_factor", load_factor))
    return power / rate


def energy_per_query_wh(average_facility_power_w: ArrayLike, gpus: ArrayLike, tokens_per_s_per_gpu: ArrayLike,
                        tokens_per_query: ArrayLike, load_factor: ArrayLike = 1.0,
                        input_tokens_per_query: ArrayLike | None = None,
                        prefill_tokens_per_s_per_gpu: ArrayLike | None = None) -> float | np.ndarray:
    """Facility energy per query at the average load.

    Parameters
    ----------
    average_facility_power_w : numeric
        Facility power averaged over the period [W].
    gpus : numeric
        Accelerators [count].
    tokens_per_s_per_gpu : numeric
        Output tokens one accelerator serves per second at full load [tokens/s].
    tokens_per_query : numeric
        Output tokens of one query [count].
    load_factor : numeric, default 1.0
        Average ÷ full-load throughput [unitless, (0, 1]].
    input_tokens_per_query, prefill_tokens_per_s_per_gpu : numeric, optional
        Input tokens of one query [count] and the rate one accelerator reads
        them at full load [tokens/s]; both or neither.

    Returns
    -------
    numeric
        ``average_facility_power_w × query_seconds / (gpus × load_factor) / 3600``
        [Wh], with :func:`query_seconds`.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025): about
       0.3 Wh for a typical GPT-4o query.
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use
    .. [2] C. Elsworth et al., "Measuring the environmental impact of delivering
       AI at Google Scale", arXiv:2508.15734 (2025): 0.24 Wh for the median
       Gemini Apps text prompt.

    Examples
    --------
    Epoch AI's GPT-4o arithmetic: 1,071 W per H100 at the facility on
    average, 100B active parameters at 10% of the 989 TFLOP/s peak (an
    average throughput, so ``load_factor`` 1), 500 output tokens:

    >>> round(energy_per_query_wh(1071.0, 1.0, 989.4e12 * 0.1 / 2e11, 500), 3)
    0.301
    """
    seconds = query_seconds(tokens_per_query, tokens_per_s_per_gpu, input_tokens_per_query,
                            prefill_tokens_per_s_per_gpu)
    power = validate.number("average_facility_power_w", average_facility_power_w, "nonnegative")
    per_gpu = power / (validate.field("gpus", gpus) * validate.field("load_factor", load_factor))
    return per_gpu * seconds / SECONDS_PER_HOUR


def queries_per_day(gpus: ArrayLike, tokens_per_s_per_gpu: ArrayLike, tokens_per_query: ArrayLike,
                    load_factor: ArrayLike = 1.0, input_tokens_per_query: ArrayLike | None = None,
                    prefill_tokens_per_s_per_gpu: ArrayLike | None = None) -> float | np.ndarray:
    """Queries a fleet serves a day at its average load.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    tokens_per_s_per_gpu : numeric
        Output tokens one accelerator serves per second at full load [tokens/s].
    tokens_per_query : numeric
        Output tokens of one query [count].
    load_factor : numeric, default 1.0
        Average ÷ full-load throughput [unitless, (0, 1]].
    input_tokens_per_query, prefill_tokens_per_s_per_gpu : numeric, optional
        Input tokens of one query [count] and the prefill throughput [tokens/s].

    Returns
    -------
    numeric
        ``gpus × load_factor × 86,400 / query_seconds`` [count]; without input
        tokens, ``gpus × tokens_per_s_per_gpu × load_factor × 86,400 /
        tokens_per_query``.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use

    Examples
    --------
    >>> queries_per_day(1000, 1000, 500, 0.5)
    86400000.0
    """
    seconds = query_seconds(tokens_per_query, tokens_per_s_per_gpu, input_tokens_per_query,
                            prefill_tokens_per_s_per_gpu)
    return validate.field("gpus", gpus) * validate.field("load_factor", load_factor) * SECONDS_PER_DAY / seconds


def gpus_for_queries(queries_per_day: ArrayLike, tokens_per_query: ArrayLike, tokens_per_s_per_gpu: ArrayLike,
                     load_factor: ArrayLike, input_tokens_per_query: ArrayLike | None = None,
                     prefill_tokens_per_s_per_gpu: ArrayLike | None = None) -> float | np.ndarray:
    """Accelerators a demand of queries a day needs (the inverse of :func:`queries_per_day`).

    Parameters
    ----------
    queries_per_day : numeric
        Demand [count/day], > 0.
    tokens_per_query : numeric
        Output tokens of one query [count].
    tokens_per_s_per_gpu : numeric
        Output tokens one accelerator serves per second at full load [tokens/s].
    load_factor : numeric
        Average ÷ full-load throughput the fleet will run at [unitless, (0, 1]];
        headroom for peaks lives here (0.5 means half the capacity is spare on
        average).
    input_tokens_per_query, prefill_tokens_per_s_per_gpu : numeric, optional
        Input tokens of one query [count] and the prefill throughput [tokens/s].

    Returns
    -------
    numeric
        ``queries_per_day × query_seconds / (86,400 × load_factor)`` [count],
        fractional; round up for a real fleet, and pass it to
        :class:`estimator.Scenario` (or :func:`estimator.fleet_facility_power_w`)
        for the power it draws.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use

    Examples
    --------
    >>> gpus_for_queries(86.4e6, 500, 1000, 0.5)
    1000.0
    """
    demand = validate.field("queries_per_day", queries_per_day)
    seconds = query_seconds(tokens_per_query, tokens_per_s_per_gpu, input_tokens_per_query,
                            prefill_tokens_per_s_per_gpu)
    return demand * seconds / (SECONDS_PER_DAY * validate.field("load_factor", load_factor))


def decode_tokens_per_s(active_parameters: ArrayLike, bytes_per_parameter: ArrayLike,
                        memory_bandwidth_b_per_s: ArrayLike, batch: ArrayLike,
                        kv_cache_bytes_per_token: ArrayLike = 0.0, context_tokens: ArrayLike = 0.0,
                        peak_flop_per_s: ArrayLike | None = None, mfu: ArrayLike = 1.0) -> float | np.ndarray:
    """Output tokens one accelerator can decode per second: a roofline estimate from model and hardware facts.

    Parameters
    ----------
    active_parameters : numeric
        Parameters used per token (all of a dense model; the active experts of
        a mixture of experts) [count].
    bytes_per_parameter : numeric
        Storage of one weight: 2 for BF16, 1 for FP8, 0.5 for 4-bit [bytes].
    memory_bandwidth_b_per_s : numeric
        Memory bandwidth of one accelerator [bytes/s] (H100 SXM: 3.35e12).
    batch : numeric
        Sequences decoded together by one copy of the weights [count].
    kv_cache_bytes_per_token : numeric, default 0
        Key-value cache of one token of context, all layers [bytes]
        (2 × layers × KV heads × head size × bytes per value).
    context_tokens : numeric, default 0
        Average context each sequence attends to while decoding [count].
    peak_flop_per_s : numeric, optional
        Dense peak of one accelerator at the precision used [FLOP/s]; without
        it the compute limit is not applied.
    mfu : numeric, default 1.0
        Share of that peak decode reaches when compute-bound [unitless, (0, 1]];
        1.0 makes the compute limit the roofline's.

    Returns
    -------
    numeric
        The lower of the two limits [tokens/s]::

            memory:  batch × memory_bandwidth_b_per_s
                     / (active_parameters × bytes_per_parameter
                        + batch × context_tokens × kv_cache_bytes_per_token)
            compute: peak_flop_per_s × mfu / (2 × active_parameters)

    Notes
    -----
    Assumptions, all favourable, so the result is an upper bound on what a
    real server reaches (and the energy per token derived from it a lower
    bound):

    - each decode step reads every active weight once for the whole batch and
      each sequence's KV cache once, at the full memory bandwidth;
    - a model split over ``k`` accelerators (tensor or pipeline parallel)
      reads ``1/k`` of the weights on each, for ``1/k`` of the batch's tokens,
      so the per-accelerator rate does not depend on ``k``; communication,
      scheduling gaps and prefill interleaving are ignored;
    - compute is 2 FLOP per active parameter per token; attention FLOP,
      which grow with context, are left out (the KV reads usually bind first);
    - weights and caches fit in memory at the batch given (not checked).

    References
    ----------
    .. [1] R. Pope et al., "Efficiently Scaling Transformer Inference",
       arXiv:2211.05102 (2022): decode is memory-bandwidth bound at small
       batch; weights and KV cache are read every step.
    .. [2] S. Williams, A. Waterman, D. Patterson, "Roofline: an insightful
       visual performance model for multicore architectures", Commun. ACM
       52(4) (2009), doi:10.1145/1498765.1498785.

    Examples
    --------
    Llama 3.1 8B in BF16 on an H100 SXM (3.35 TB/s), batch 64, 1,000 tokens
    of context, 128 KiB of KV cache per token:

    >>> round(decode_tokens_per_s(8.03e9, 2, 3.35e12, 64, 131_072, 1000, 989.4e12))
    8769
    """
    n = validate.number("active_parameters", active_parameters, "positive")
    weights = n * validate.number("bytes_per_parameter", bytes_per_parameter, "positive")
    b = validate.number("batch", batch, "positive")
    kv = (b * validate.number("context_tokens", context_tokens, "nonnegative")
          * validate.number("kv_cache_bytes_per_token", kv_cache_bytes_per_token, "nonnegative"))
    memory_bound = b * validate.number("memory_bandwidth_b_per_s", memory_bandwidth_b_per_s, "positive") / (
        weights + kv)
    if peak_flop_per_s is None:
        return memory_bound
    compute_bound = prefill_tokens_per_s(n, peak_flop_per_s, mfu)
    return _plain(np.minimum(memory_bound, compute_bound))


def prefill_tokens_per_s(active_parameters: ArrayLike, peak_flop_per_s: ArrayLike,
                         mfu: ArrayLike = 1.0) -> float | np.ndarray:
    """Input tokens one accelerator can read per second: prefill is compute-bound.

    Parameters
    ----------
    active_parameters : numeric
        Parameters used per token [count].
    peak_flop_per_s : numeric
        Dense peak of one accelerator at the precision used [FLOP/s].
    mfu : numeric, default 1.0
        Share of that peak prefill reaches [unitless, (0, 1]].

    Returns
    -------
    numeric
        ``peak_flop_per_s × mfu / (2 × active_parameters)`` [tokens/s].

    Notes
    -----
    A prompt's tokens are processed in parallel, so prefill reads the weights
    once for many tokens and is limited by compute. Attention FLOP, which grow
    with the square of the prompt, are left out: for very long prompts (100k
    tokens) this rate is too high and the energy too low.

    References
    ----------
    .. [1] R. Pope et al., "Efficiently Scaling Transformer Inference",
       arXiv:2211.05102 (2022).

    Examples
    --------
    >>> round(prefill_tokens_per_s(1e11, 989.4e12, 0.4))
    1979
    """
    n = validate.number("active_parameters", active_parameters, "positive")
    peak = validate.field("peak_flop_per_s", peak_flop_per_s)
    return peak * validate.field("mfu", mfu) / (FLOP_PER_PARAMETER_TOKEN * n)


# --------------------------------------------------------------------------- what every door shows

def query_footprint(scenario: Scenario) -> dict[str, float | np.ndarray | None]:
    """One query of a scenario's fleet: energy, cost, emissions and water, and the fleet's daily volume.

    Parameters
    ----------
    scenario : Scenario
        With ``tokens_per_s_per_gpu`` and ``tokens_per_query`` (and input
        tokens with their prefill throughput, if any).

    Returns
    -------
    dict
        ``energy_per_query_wh`` [Wh], ``energy_per_token_j`` [J],
        ``queries_per_day`` [count], ``tokens_per_day`` (output) [count],
        ``load_factor`` (the one used: the scenario's, else its
        utilization) [unitless], ``load_factor_is_default`` [bool], and per
        query where their inputs are given (None otherwise): ``cost``
        [currency], ``emissions_kg`` and ``market_emissions_kg`` [kg CO2e],
        ``water_l`` (site, from IT energy) and ``generation_water_l`` [L];
        ``queries_per_day_per_gigawatt`` [count], the queries a day of as
        many of these accelerators as 1 GW holds at full load.

    References
    ----------
    .. [1] C. Elsworth et al., "Measuring the environmental impact of delivering
       AI at Google Scale", arXiv:2508.15734 (2025): per prompt 0.24 Wh,
       0.03 g CO2e (market-based) and 0.26 mL of water.

    Examples
    --------
    >>> from estimator import Scenario
    >>> s = Scenario(gpus=1000, gpu_watts=700, tokens_per_s_per_gpu=1000, tokens_per_query=500)
    >>> round(query_footprint(s)["energy_per_query_wh"], 4)
    0.0972
    """
    from estimator.scenario import estimate  # deferred: estimator.scenario imports this module

    r = estimate(scenario)
    s = scenario
    out: dict[str, Any] = {
        "energy_per_query_wh": r.energy_per_query_wh, "energy_per_token_j": r.energy_per_token_j,
        "queries_per_day": r.queries_per_day,
        "tokens_per_day": None if r.queries_per_day is None else r.queries_per_day * s.tokens_per_query,
        "load_factor": s.utilization if s.load_factor is None else s.load_factor,
        "load_factor_is_default": s.load_factor is None,
        "queries_per_day_per_gigawatt": (None if r.queries_per_day is None
                                         else r.queries_per_day / r.facility_power_w * GIGAWATT_W),
    }
    wh = r.energy_per_query_wh
    given = wh is not None
    it_wh = None if not given else wh * (r.it_power_w / r.facility_power_w)  # the query's IT share: ÷ PUE
    out["cost"] = energy.cost(wh, s.electricity_price) if given and s.electricity_price is not None else None
    out["emissions_kg"] = (energy.emissions_kg(wh, s.carbon_intensity)
                           if given and s.carbon_intensity is not None else None)
    out["market_emissions_kg"] = (footprint.market_emissions_kg(wh, s.market_carbon_intensity)
                                  if given and s.market_carbon_intensity is not None else None)
    out["water_l"] = energy.water_l(it_wh, s.wue) if given and s.wue is not None else None
    out["generation_water_l"] = (footprint.generation_water_l(wh, s.generation_wue)
                                 if given and s.generation_wue is not None else None)
    return out


#: The parts of one query's energy, in the order Google's per-prompt accounting lists them.
QUERY_ENERGY_PARTS: dict[str, str] = {
    "accelerators": "Accelerators, serving",
    "host": "Host (CPUs, memory), serving",
    "network_storage": "Network and storage, serving",
    "idle": "Idle capacity (drawing power, serving nothing)",
    "facility_overhead": "Facility overhead (cooling, power conversion)",
}


def query_energy_split(scenario: Scenario) -> dict[str, float | np.ndarray | None]:
    """One query's facility energy split into the parts Google's per-prompt accounting names.

    Parameters
    ----------
    scenario : Scenario
        With ``tokens_per_s_per_gpu`` and ``tokens_per_query``.

    Returns
    -------
    dict
        ``energy_per_query_wh`` [Wh] and its parts (:data:`QUERY_ENERGY_PARTS`)
        [Wh], which sum to it; every value None when the scenario cannot give
        an energy per query.

    Notes
    -----
    With ``E`` the energy per query, ``u`` the utilization (average ÷
    full-load draw) and ``lf`` the load factor (average ÷ full-load
    throughput, ``u`` when not given), the share of the average draw that
    serves tokens is ``a = min(1, lf / u)``; the rest, ``1 − lf / u`` of the
    IT energy, is capacity that draws power but serves nothing (Google's
    "idle machines")::

        it                = E ÷ pue
        accelerators      = it ÷ (server_overhead × network_overhead) × a
        host              = accelerators × (server_overhead − 1)
        network_storage   = accelerators × server_overhead × (network_overhead − 1)
        idle              = it × (1 − a)
        facility_overhead = E − it

    References
    ----------
    .. [1] C. Elsworth et al., "Measuring the environmental impact of delivering
       AI at Google Scale", arXiv:2508.15734 (2025): the median Gemini Apps
       text prompt, 0.24 Wh, is 58% active accelerators, 25% active host CPU
       and memory, 10% idle machines and 8% data-centre overhead.

    Examples
    --------
    >>> from estimator import Scenario
    >>> s = Scenario(gpus=1, gpu_watts=700, server_overhead=1.5, pue=1.2, utilization=0.6, load_factor=0.5,
    ...              tokens_per_s_per_gpu=1000, tokens_per_query=500)
    >>> {k: round(v, 4) for k, v in query_energy_split(s).items()}  # doctest: +NORMALIZE_WHITESPACE
    {'energy_per_query_wh': 0.21, 'accelerators': 0.0972, 'host': 0.0486, 'network_storage': 0.0,
     'idle': 0.0292, 'facility_overhead': 0.035}
    """
    from estimator.scenario import estimate  # deferred: estimator.scenario imports this module

    r = estimate(scenario)
    wh = r.energy_per_query_wh
    if wh is None:
        return {"energy_per_query_wh": None, **dict.fromkeys(QUERY_ENERGY_PARTS)}
    s = scenario
    load = s.utilization if s.load_factor is None else s.load_factor
    serving_share = np.minimum(1.0, np.divide(load, s.utilization))
    it = np.divide(wh, s.pue)
    accelerators = it / (np.multiply(s.server_overhead, s.network_overhead)) * serving_share
    out = {
        "energy_per_query_wh": wh, "accelerators": accelerators,
        "host": accelerators * np.subtract(s.server_overhead, 1.0),
        "network_storage": accelerators * np.multiply(s.server_overhead, np.subtract(s.network_overhead, 1.0)),
        "idle": it * (1.0 - serving_share), "facility_overhead": wh - it,
    }
    return {k: _plain(np.asarray(v, dtype=float)) for k, v in out.items()}


def fleet_for_queries(scenario: Scenario, queries_per_day: ArrayLike,
                      load_factor: ArrayLike | None = None) -> dict[str, float | np.ndarray]:
    """The fleet of a scenario's accelerators that serves a demand, and the power it draws.

    Parameters
    ----------
    scenario : Scenario
        Accelerator, chain and serving assumptions (its ``gpus`` is replaced).
    queries_per_day : numeric
        Demand [count/day].
    load_factor : numeric, optional
        Average ÷ full-load throughput the fleet is sized for [unitless];
        default the scenario's, else its utilization.

    Returns
    -------
    dict
        ``gpus`` (rounded up) [count], ``facility_power_w`` (full load) and
        ``average_facility_power_w`` [W], ``energy_per_day_wh`` [Wh] and
        ``share_of_gigawatt`` [unitless].

    Raises
    ------
    ValueError
        If the scenario lacks ``tokens_per_s_per_gpu`` or ``tokens_per_query``.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use

    Examples
    --------
    >>> from estimator import Scenario
    >>> s = Scenario(gpus=1, gpu_watts=700, tokens_per_s_per_gpu=1000, tokens_per_query=500)
    >>> fleet_for_queries(s, 86.4e6, load_factor=0.5)["gpus"]
    1000.0
    """
    from estimator.scenario import estimate  # deferred: estimator.scenario imports this module

    s = scenario
    for name in ("tokens_per_s_per_gpu", "tokens_per_query"):
        if getattr(s, name) is None:
            raise ValueError(f"sizing a fleet for a demand needs {name} (not given)")
    if s.input_tokens_per_query is not None and s.prefill_tokens_per_s_per_gpu is None:
        query_seconds(1, 1, s.input_tokens_per_query, None)  # raises, naming what is missing
    if load_factor is None:
        load_factor = s.utilization if s.load_factor is None else s.load_factor
    prefill = s.prefill_tokens_per_s_per_gpu if s.input_tokens_per_query is not None else None
    gpus = _plain(np.ceil(gpus_for_queries(queries_per_day, s.tokens_per_query, s.tokens_per_s_per_gpu, load_factor,
                                    s.input_tokens_per_query, prefill)))
    r = estimate(s.replace(gpus=gpus, load_factor=load_factor))
    return {"gpus": gpus, "facility_power_w": r.facility_power_w,
            "average_facility_power_w": r.average_facility_power_w,
            "energy_per_day_wh": r.average_facility_power_w * SECONDS_PER_DAY / SECONDS_PER_HOUR,
            "share_of_gigawatt": r.facility_power_w / GIGAWATT_W}


# --------------------------------------------------------------------------- query presets

_QUERY_FIELDS = ("tokens_per_query", "input_tokens_per_query")
_QUERY_RULES = {"tokens_per_query": "at_least_one", "input_tokens_per_query": "nonnegative"}


@dataclass(frozen=True)
class QueryPreset:
    """A kind of query: its output tokens and, where it matters, its input tokens, each with its source.

    Parameters
    ----------
    key : str
        Catalogue name, e.g. ``"chat"``.
    name : str
        Display name.
    description : str
        What the preset stands for.
    tokens_per_query : Sourced
        Output tokens of one query [count].
    input_tokens_per_query : Sourced or None
        Input tokens of one query [count]; None where the source counts
        output tokens only.
    """

    key: str
    name: str
    description: str
    tokens_per_query: Sourced
    input_tokens_per_query: Sourced | None = None

    def sourced_assumptions(self) -> dict[str, Sourced]:
        """The Scenario fields this preset sets, with their sources."""
        return {k: getattr(self, k) for k in _QUERY_FIELDS if getattr(self, k) is not None}

    def assumptions(self) -> dict[str, float]:
        """The Scenario fields this preset sets, as plain numbers [count].

        Examples
        --------
        >>> query("long-context").assumptions()
        {'tokens_per_query': 500.0, 'input_tokens_per_query': 10000.0}
        """
        return {k: v.value for k, v in self.sourced_assumptions().items()}


@functools.cache
def _presets() -> tuple[QueryPreset, ...]:
    """The presets of ``estimator/data/queries.toml``, read once (frozen dataclasses: safe to share)."""
    import tomllib  # deferred, as in estimator.catalog: `import estimator` does not pay for it
    from importlib import resources

    filename = "queries.toml"
    with (resources.files("estimator") / "data" / filename).open("rb") as handle:
        raw = tomllib.load(handle)
    out = []
    for key, entry in raw.items():
        where = f"{filename} [{key}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} must be a table")
        unknown = sorted(set(entry) - {"name", "description", *_QUERY_FIELDS})
        if unknown:
            raise ValueError(f"{where} has unknown key(s) {', '.join(unknown)}")
        for text in ("name", "description"):
            if not isinstance(entry.get(text), str) or not entry[text].strip():
                raise ValueError(f"{where}.{text} must be a non-empty str")
        values: dict[str, Any] = {}
        for name in _QUERY_FIELDS:
            if name in entry:
                values[name] = _sourced(entry[name], f"{where}.{name}", _QUERY_RULES[name])
        if "tokens_per_query" not in values:
            raise ValueError(f"{where} is missing tokens_per_query")
        out.append(QueryPreset(key, entry["name"], entry["description"], **values))
    return tuple(out)


def queries() -> dict[str, QueryPreset]:
    """All query presets (chat, long context, reasoning, ...), each value with its source.

    Returns
    -------
    dict of str to QueryPreset
        A fresh dict keyed by catalogue name, in file order; the presets are
        frozen, so changing the dict does not change the next caller's.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use
    .. [2] ML.ENERGY, "Diagnosing Inference Energy Consumption with the
       ML.ENERGY Leaderboard v3.0" (2025).
       https://ml.energy/blog/measurement/energy/diagnosing-inference-energy-consumption-with-the-mlenergy-leaderboard-v30

    Examples
    --------
    >>> list(queries())[:2]
    ['chat', 'long-context']
    """
    return {p.key: p for p in _presets()}


def query(name: str) -> QueryPreset:
    """One query preset by name (case-insensitive; ``"_"`` and spaces match ``"-"``).

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If no preset has that name; the message lists the valid names.

    References
    ----------
    .. [1] J. You, "How much energy does ChatGPT use?", Epoch AI (2025).
       https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use
    """
    return _lookup("query preset", name, queries())
