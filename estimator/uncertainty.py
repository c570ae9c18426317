"""Uncertainty: Monte Carlo, tornado and Sobol sensitivity over assumptions given as ranges.

Every input of the model is an assumption, so any of them may be given as a
range instead of a number: one of the range objects of
:mod:`estimator.distributions` (``Fixed``, ``Uniform``, ``Triangular``,
``LogNormal``), or anything its grammar reads (:func:`~estimator.distributions.spec_from_value`:
``"1.1..1.4"``, ``{low = 1.1, likely = 1.2, high = 1.4}``, ...).

Three analyses use them, each vectorized (one :class:`~estimator.Scenario`
with sampled arrays, one :func:`~estimator.estimate` call, no loop per sample):

- :func:`monte_carlo` draws every range, runs the model once on the arrays and
  reports each output's percentiles and samples;
- :func:`tornado` moves each range across the same band of its own
  distribution (P5 to P95, :data:`TORNADO_BAND`) with the others at their
  likely values, ranked by the swing of one output;
- :func:`sobol_first_order` splits the variance of one output among the
  ranges (first-order and total Sobol indices, Saltelli 2010 [1]_).

:func:`monte_carlo` can report its progress on large runs.

The dashboard's uncertainty page adds :func:`default_ranges` (a documented
low / likely / high for every assumption of a scenario),
:func:`uncertainty_summary` (percentiles and histograms small enough to
cache), :func:`histogram` and :func:`sobol_sampling_error`.

Validity. A range is checked against its field's rule up front: its low,
likely and high value must each be valid for the field (``pue low must be >= 1
(got 0.9)``). Uniform and triangular samples then stay inside [low, high]. A
log-normal range has tails beyond its P5 and P95; samples that fall outside the
field's valid domain (a PUE below 1, a utilization above 1, a value past the
field's sanity ceiling) are clipped to the domain's edge, and the fraction
clipped per field is reported in :attr:`MonteCarloResult.clipped`. Choose a
bounded range where a pile-up at the edge would matter.

Reproducibility. Each field draws from its own stream of numpy's
``Generator`` (PCG64), seeded by ``(seed, field name)``: the same seed gives the
same samples, and adding or removing one range leaves the samples of the
others unchanged.

References
----------
.. [1] A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and
   S. Tarantola, "Variance based sensitivity analysis of model output. Design
   and estimator for the total sensitivity index", Computer Physics
   Communications 181 (2010) 259–270. https://doi.org/10.1016/j.cpc.2009.09.018
.. [2] M. J. W. Jansen, "Analysis of variance designs for model output",
   Computer Physics Communications 117 (1999) 35–43.
   https://doi.org/10.1016/S0010-4655(98)00154-4
.. [3] R. W. Floyd and R. L. Rivest, "Expected time bounds for selection",
   Communications of the ACM 18 (1975) 165–172. https://doi.org/10.1145/360680.360691

Examples
--------
>>> from estimator import distributions as d, uncertainty as u
>>> r = u.monte_carlo({"gpus": 100_000, "gpu_watts": d.Triangular(600, 700, 750),
...                    "server_overhead": "1.5..1.9", "pue": d.LogNormal(1.2, 1.35)},
...                   n=10_000, seed=1)
>>> sorted(r.percentiles["facility_power_w"])
[5, 50, 95]
>>> r.samples["gpus_per_gigawatt"].shape
(10000,)
"""

from __future__ import annotations

import math
import numbers
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from estimator import catalog, fields, solve, validate
from estimator.distributions import RANGE_SHAPES, Fixed, Spec, _check_field_name, _suggest, spec_from_value
from estimator.scenario import Estimate, Scenario, estimate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

GIGAWATT_W = 1e9
"""The budget of the ``gpus_per_gigawatt`` output [W]."""


def _gpus_per_gigawatt(scenario: Scenario, result: Estimate) -> float | np.ndarray:
    with validate.trusted():  # the Scenario's fields were validated at construction
        return solve.gpus_for_power(GIGAWATT_W, scenario.gpu_watts, scenario.server_overhead,
                                    scenario.network_overhead, scenario.pue)


#: Outputs computed from a scenario beyond the fields of Estimate: name → (function, description).
DERIVED: dict[str, tuple[Callable[[Scenario, Estimate], Any], str]] = {
    "gpus_per_gigawatt": (_gpus_per_gigawatt,
                          "accelerators that 1 GW of facility power holds at full load "
                          "(solve.gpus_for_power with 1e9 W) [count]"),
}

#: Every output name the analyses accept: the Estimate fields, then :data:`DERIVED`.
OUTPUTS: tuple[str, ...] = (*Estimate.field_names(), *DERIVED)


def _specs(specs: Mapping[str, object]) -> dict[str, Spec]:
    if not isinstance(specs, Mapping):
        raise TypeError(f"specs must be a mapping of assumption → range (got {type(specs).__name__})")
    return {_check_field_name(k): spec_from_value(k, v) for k, v in specs.items()}


def _count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number (got {value!r})")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum} (got {value!r})")
    return int(value)


def _seed(seed: object) -> int:
    if seed is None:
        return int(np.random.SeedSequence().entropy)  # fresh, but recorded so it can be replayed
    return _count("seed", seed, 0)


def _stream(seed: int, field_name: str) -> np.random.Generator:
    # One stream per field, keyed by its name (crc32 is stable across runs,
    # unlike hash()), so one field's samples do not depend on the others'.
    return np.random.default_rng([seed, zlib.crc32(field_name.encode())])


def _domain(field_name: str) -> tuple[float, float]:
    """The valid interval of a field, for clipping log-normal tails."""
    rule, maximum = validate.FIELDS[field_name]
    lower = {"at_least_one": 1.0, "nonnegative": 0.0}.get(rule, float(np.finfo(float).tiny))
    upper = math.inf if maximum is None else maximum
    if rule == "fraction":
        upper = min(upper, 1.0)
    return lower, upper


def _draw(specs: Mapping[str, Spec], n: int, seed: int) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    samples, clipped = {}, {}
    for name, spec in specs.items():
        if isinstance(spec, Fixed):
            samples[name] = np.broadcast_to(spec.value, (n,))
            continue
        x = spec.sample(_stream(seed, name), n)
        if spec.unbounded:
            lower, upper = _domain(name)
            clipped[name] = 0.0
            if x.min() < lower or x.max() > upper:
                clipped[name] = np.count_nonzero((x < lower) | (x > upper)) / n
                np.clip(x, lower, upper, out=x)
        samples[name] = x
    return samples, clipped


def draw(specs: Mapping[str, object], n: int = 100_000, seed: int | None = 0) -> dict[str, np.ndarray]:
    """Draw samples of every range, as :func:`monte_carlo` does, without running the model.

    Parameters
    ----------
    specs : mapping
        Field → range (anything :func:`spec_from_value` reads).
    n : int, default 100_000
        Samples per field.
    seed : int or None, default 0
        Seed of the per-field streams; None for fresh entropy.

    Returns
    -------
    dict
        Field → samples, shape ``(n,)``, valid for the field (log-normal tails
        clipped to its domain); a Fixed field is a read-only broadcast view
        [the field's unit].
    """
    return _draw(_specs(specs), _count("n", n, 1), _seed(seed))[0]


def _base_values(base: Scenario | Mapping[str, object] | None) -> dict[str, Any]:
    """Single values of a base scenario, by field name."""
    if base is None:
        return {}
    if isinstance(base, Scenario):
        values = {k: getattr(base, k) for k in Scenario.field_names()}
    elif isinstance(base, Mapping):
        values = {_check_field_name(k): v for k, v in base.items()}
    else:
        raise TypeError(f"base must be a Scenario or a mapping of assumptions (got {type(base).__name__})")
    for name, value in values.items():
        if value is not None and np.ndim(value) != 0:
            raise ValueError(f"{name} in base must be a single value (got shape {np.shape(value)}); "
                             "give it as a range or an axis instead")
    return values


def _scenario(values: Mapping[str, Any], columns: Mapping[str, np.ndarray],
              where: str = "in base or as a range") -> Scenario:
    """Single values (checked here) with sampled columns put in place.

    The columns are valid by construction (drawn from ranges checked against
    their field, log-normal tails clipped), so the second Scenario skips
    re-checking 10^6-element arrays.
    """
    for required in ("gpus", "gpu_watts"):
        if values.get(required) is None:
            raise ValueError(f"{required} is required: give it {where}")
    single = Scenario(**values)
    if not columns:
        return single
    with validate.trusted():
        return single.replace(**columns)


def _check_outputs(outputs: Iterable[str]) -> list[str]:
    names = []
    for name in outputs:
        if name not in OUTPUTS:
            hint = _suggest(name, OUTPUTS) if isinstance(name, str) else ""
            raise ValueError(f"unknown output {name!r} ({hint}valid: {', '.join(OUTPUTS)})")
        names.append(name)
    return names


def evaluate(scenario: Scenario, outputs: Sequence[str] | None = None) -> dict[str, float | np.ndarray]:
    """Run the model once and pick outputs, including the derived ones of :data:`DERIVED`.

    Parameters
    ----------
    scenario : Scenario
        Validated assumptions (scalars or arrays).
    outputs : sequence of str, optional
        Names from :data:`OUTPUTS`; by default every output this scenario gives.

    Returns
    -------
    dict
        Output name → value broadcast to the scenario's shape [the output's unit].

    Raises
    ------
    ValueError
        For an unknown output, or one whose assumption the scenario does not
        give (``cost`` without ``electricity_price``).
    """
    result = estimate(scenario)
    names = list(OUTPUTS) if outputs is None else _check_outputs(outputs)
    shape = np.shape(result.facility_power_w)
    out: dict[str, float | np.ndarray] = {}
    for name in names:
        if name in DERIVED:
            value = DERIVED[name][0](scenario, result)
            value = np.broadcast_to(value, shape) if shape else float(value)
        else:
            value = getattr(result, name)
        if value is None:
            if outputs is None:
                continue
            raise ValueError("output " + fields.needs_text(name, scenario.to_dict()))
        out[name] = value
    return out


def _percentiles(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.percentile(x, q)`` (linear method) in a few passes over ``x``.

    Notes
    -----
    ``np.percentile`` partitions the whole array, which costs more than the
    model itself on 10^6 samples. Following Floyd and Rivest [1]_, a sorted
    subsample brackets each wanted order statistic between two values; one
    blocked pass counts the elements below each bracket and extracts the few
    inside it, and only those are partitioned. If a bracket misses (the count
    check fails; about once in 10^4 calls), the whole array is partitioned
    instead, so the result is always the exact order statistic.

    References
    ----------
    .. [1] R. W. Floyd and R. L. Rivest, "Expected time bounds for selection",
       Communications of the ACM 18 (1975) 165–172. https://doi.org/10.1145/360680.360691
    """
    n = x.size
    if n < _SELECT_MIN:
        return np.percentile(x, q)
    quantiles = q / 100.0
    virtual = (n - 1) * quantiles  # numpy's index for the linear method, as written there
    below_rank = np.clip(np.floor(virtual), 0, n - 1).astype(np.int64)
    above_rank = np.minimum(below_rank + 1, n - 1)
    gamma = virtual - np.floor(virtual)
    sub = np.sort(x[:: max(n // _SUBSAMPLE, 1)])
    m = sub.size
    if sub[0] == sub[-1] and x.min() == x.max():
        return np.full(q.shape, float(sub[0]))
    wanted = sorted(set(below_rank.tolist()))
    edges = []
    for rank in wanted:
        f = rank / (n - 1)
        centre, margin = f * (m - 1), 5.0 * math.sqrt(m * f * (1.0 - f)) + 3.0
        a, b = math.floor(centre - margin), math.ceil(centre + margin)
        edges.append((sub[a] if a >= 0 else -np.inf, sub[b] if b < m else np.inf))
    below = [0] * len(wanted)
    parts: list[list[np.ndarray]] = [[] for _ in wanted]
    ge, le = np.empty(_BLOCK, dtype=bool), np.empty(_BLOCK, dtype=bool)
    for start in range(0, n, _BLOCK):  # blocks that stay in cache across the brackets
        block = x[start: start + _BLOCK]
        g, l_ = ge[: block.size], le[: block.size]
        for j, (lo, hi) in enumerate(edges):
            np.greater_equal(block, lo, out=g)
            below[j] += block.size - int(np.count_nonzero(g))
            np.less_equal(block, hi, out=l_)
            np.logical_and(g, l_, out=l_)
            parts[j].append(block[l_])
    order: dict[int, float] = {}
    for j, rank in enumerate(wanted):
        inside = np.concatenate(parts[j])
        ranks = [rank, min(rank + 1, n - 1)]
        if below[j] <= ranks[0] and ranks[1] < below[j] + inside.size:
            inside.partition([r - below[j] for r in ranks])
            order.update({r: inside[r - below[j]] for r in ranks})
        else:  # the bracket missed: select from the whole array
            whole = np.partition(x, ranks)
            order.update({r: whole[r] for r in ranks})
    a_ = np.array([order[i] for i in below_rank.tolist()])
    b_ = np.array([order[i] for i in above_rank.tolist()])
    diff = b_ - a_  # numpy's _lerp, term for term
    return np.where(gamma >= 0.5, b_ - diff * (1 - gamma), a_ + diff * gamma)


# Selection pays off above this size; the subsample and block sizes suit 10^5–10^8 samples.
_SELECT_MIN = 50_000
_SUBSAMPLE = 16_384
_BLOCK = 1 << 16


def _percentile_list(percentiles: Iterable[float]) -> tuple[list[Any], np.ndarray]:
    keys = list(percentiles)
    if not keys:
        return keys, np.zeros(0)
    q = validate.number("percentiles", np.asarray(keys, dtype=float), "nonnegative", maximum=100.0)
    return keys, np.atleast_1d(q)


@dataclass(frozen=True)
class MonteCarloResult:
    """What :func:`monte_carlo` returns.

    Attributes
    ----------
    samples : dict
        Output name → samples, shape ``(n,)``; the i-th sample of every
        output comes from the i-th sample of the inputs [the output's unit].
    inputs : dict
        Field → samples for every field given in ``specs`` (a Fixed field is a
        read-only broadcast view) [the field's unit].
    percentiles : dict
        Output name → {percentile → value}, e.g. ``{5: ..., 50: ..., 95: ...}``
        (numpy's linear method) [the output's unit].
    specs : dict
        Field → the range used.
    n : int
        Samples.
    seed : int
        The seed that reproduces these samples.
    clipped : dict
        Field → fraction of samples of a log-normal range clipped to the
        field's valid domain (0.0 when none were).
    """

    samples: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    percentiles: dict[str, dict[Any, float]]
    specs: dict[str, Spec]
    n: int
    seed: int
    clipped: dict[str, float] = field(default_factory=dict)

    def percentile(self, output: str, p: float | Sequence[float]) -> float | np.ndarray:
        """Any percentile of an output's samples [the output's unit]."""
        if output not in self.samples:
            raise ValueError(f"unknown output {output!r} (valid: {', '.join(self.samples)})")
        q = validate.number("percentile", p, "nonnegative", maximum=100.0)
        value = _percentiles(self.samples[output], np.atleast_1d(q))
        return float(value[0]) if np.ndim(q) == 0 else value


def monte_carlo(specs: Mapping[str, object], n: int = 100_000, seed: int | None = 0,
                outputs: Sequence[str] | None = None, percentiles: Sequence[float] = (5, 50, 95),
                base: Scenario | Mapping[str, object] | None = None, *,
                progress: Callable[[int, int], object] | None = None) -> MonteCarloResult:
    """Propagate ranges through the model by Monte Carlo sampling.

    Parameters
    ----------
    specs : mapping
        Field → range or number (anything :func:`spec_from_value` reads);
        fields are independent.
    n : int, default 100_000
        Samples.
    seed : int or None, default 0
        Seed (same seed, same samples); None for fresh entropy, recorded in
        the result.
    outputs : sequence of str, optional
        Names from :data:`OUTPUTS`; by default every output the assumptions
        allow (energy needs ``hours``, cost needs ``electricity_price``, ...).
    percentiles : sequence of float, default (5, 50, 95)
        Percentiles to report, each in [0, 100].
    base : Scenario or mapping, optional
        Single values for the fields not in ``specs``.
    progress : callable, optional
        Called as ``progress(done, n)`` after the samples are drawn (``done =
        0``) and after each block of :data:`PROGRESS_BLOCK` samples is
        evaluated, ending with ``done = n``; for a progress bar. The samples
        and results are the same with or without it.

    Returns
    -------
    MonteCarloResult

    Notes
    -----
    One Scenario holds every sampled field as an array of ``n`` values and one
    :func:`~estimator.estimate` call evaluates all samples at once (with
    ``progress``, one call per block: the model works sample by sample, so
    the results are identical). Percentiles
    use numpy's linear method, computed by selection rather than a full
    partition [1]_. The Monte Carlo error of a percentile shrinks as
    ``1/sqrt(n)``: at 10^5 samples P5 and P95 move by about 0.1–0.3% between seeds
    for ranges of ±20%.

    References
    ----------
    .. [1] R. W. Floyd and R. L. Rivest, "Expected time bounds for selection",
       Communications of the ACM 18 (1975) 165–172. https://doi.org/10.1145/360680.360691

    Examples
    --------
    >>> r = monte_carlo({"gpus": 100_000, "gpu_watts": 700, "pue": "1.1..1.4"}, n=1000)
    >>> 1.1 * 70e6 <= r.percentiles["facility_power_w"][5] <= 1.4 * 70e6
    True
    """
    checked = _specs(specs)
    n = _count("n", n, 1)
    seed = _seed(seed)
    keys, q = _percentile_list(percentiles)
    names = None if outputs is None else _check_outputs(outputs)
    values = _base_values(base)
    values.update({k: s.likely for k, s in checked.items()})
    samples, clipped = _draw(checked, n, seed)
    columns = {k: samples[k] for k, s in checked.items() if not isinstance(s, Fixed)}
    if not columns and values.get("gpus") is not None:  # nothing varies: outputs are still (n,) arrays
        columns["gpus"] = np.full(n, float(values["gpus"]))
    if progress is None:
        results = evaluate(_scenario(values, columns), names)
    else:
        results = _evaluate_in_blocks(values, columns, names, n, progress)
    table = {name: dict(zip(keys, _percentiles(np.asarray(v), q).tolist(), strict=True))
             for name, v in results.items()}
    return MonteCarloResult(samples=results, inputs=samples, percentiles=table, specs=checked,
                            n=n, seed=seed, clipped=clipped)


#: Samples evaluated between two calls of a :func:`monte_carlo` progress callback.
PROGRESS_BLOCK = 100_000


def _evaluate_in_blocks(values: Mapping[str, Any], columns: Mapping[str, np.ndarray], names: list[str] | None,
                        n: int, progress: Callable[[int, int], object]) -> dict[str, np.ndarray]:
    """:func:`evaluate` over consecutive blocks of the samples, reporting after each."""
    progress(0, n)
    parts: dict[str, list[np.ndarray]] = {}
    for start in range(0, n, PROGRESS_BLOCK):
        stop = min(start + PROGRESS_BLOCK, n)
        block = evaluate(_scenario(values, {k: v[start:stop] for k, v in columns.items()}), names)
        for name, value in block.items():
            parts.setdefault(name, []).append(np.broadcast_to(value, (stop - start,)))
        progress(stop, n)
    return {name: np.concatenate(chunks) for name, chunks in parts.items()}


class TornadoRow(NamedTuple):
    """One bar of a tornado chart.

    Attributes
    ----------
    field : str
        The assumption moved.
    low_value, high_value : float
        The ends of its band: by default its own P5 and P95 (:data:`TORNADO_BAND`),
        whatever its distribution [the field's unit].
    output_at_low, output_at_high : float
        The output with the field at its low and high value, every other
        range at its likely value [the output's unit].
    swing : float
        ``abs(output_at_high - output_at_low)`` [the output's unit].
    base_output : float
        The output with every range at its likely value [the output's unit].
    """

    field: str
    low_value: float
    high_value: float
    output_at_low: float
    output_at_high: float
    swing: float
    base_output: float


#: The percentiles every tornado bar spans: each range from its own P5 to its own P95, so that
#: uniform, triangular and log-normal ranges are compared on the same footing.
TORNADO_BAND: tuple[float, float] = (5.0, 95.0)


def _varied(checked: Mapping[str, Spec]) -> list[str]:
    return [k for k, s in checked.items() if not isinstance(s, Fixed)]


def tornado(specs: Mapping[str, object], output: str = "facility_power_w",
            base: Scenario | Mapping[str, object] | None = None,
            band: tuple[float, float] = TORNADO_BAND) -> list[TornadoRow]:
    """One-at-a-time sensitivity: each range across the same percentile band of its own distribution.

    Parameters
    ----------
    specs : mapping
        Field → range or number; only ranges get a row.
    output : str, default "facility_power_w"
        A name from :data:`OUTPUTS`.
    base : Scenario or mapping, optional
        Single values for the fields not in ``specs``.
    band : (float, float), default :data:`TORNADO_BAND` (5, 95)
        The percentiles of each range's own distribution that a bar spans,
        ``0 <= low < high <= 100`` [percent].

    Returns
    -------
    list of TornadoRow
        Ranked by swing, largest first (ties keep the order of ``specs``).

    Notes
    -----
    Every bar spans the same band, P5 to P95 by default, of its own range:
    for a uniform range ``low + 0.05 × (high − low)`` to ``low + 0.95 ×
    (high − low)``, for a triangular one its inverse CDF, for a log-normal one
    its given P5 and P95. Moving each range to its bare ends instead would
    give a uniform range's bar the full width but a log-normal one only 90 %
    of its mass. Every point (all ranges at their likely values, then each
    field at the two ends of its band) is one row of a single vectorized
    scenario of ``1 + 2k`` rows. A tornado shows each factor's reach alone; it misses
    interactions, which :func:`sobol_first_order` measures.

    Examples
    --------
    >>> rows = tornado({"gpus": 100_000, "gpu_watts": "600..800", "pue": "1.1..1.2"})
    >>> [r.field for r in rows]
    ['gpu_watts', 'pue']
    """
    checked = _specs(specs)
    (name,) = _check_outputs([output])
    ends = _band(band)
    varied = _varied(checked)
    values = _base_values(base)
    values.update({k: s.likely for k, s in checked.items()})
    if not varied:
        _scenario(values, {})  # still reject bad single values
        return []
    rows = 1 + 2 * len(varied)
    columns, reach = {}, {}
    for i, k in enumerate(varied):
        reach[k] = checked[k].percentile(ends)
        if checked[k].unbounded:  # a log-normal tail: refused at 0 or 100, else kept to the valid values
            if ends[0] == 0 or ends[1] == 100:
                raise ValueError(f"band {tuple(ends.tolist())!r} reaches an unbounded end of the "
                                 f"log-normal range of {k}; choose percentiles inside (0, 100)")
            reach[k] = np.clip(reach[k], *_domain(k))
        columns[k] = np.full(rows, checked[k].likely)
        columns[k][1 + 2 * i], columns[k][2 + 2 * i] = reach[k]
    y = np.asarray(evaluate(_scenario(values, columns), [name])[name])
    table = [TornadoRow(k, float(reach[k][0]), float(reach[k][1]), float(y[1 + 2 * i]), float(y[2 + 2 * i]),
                        float(abs(y[2 + 2 * i] - y[1 + 2 * i])), float(y[0]))
             for i, k in enumerate(varied)]
    return sorted(table, key=lambda row: -row.swing)


def _band(band: object) -> np.ndarray:
    """A tornado band checked: two percentiles, low below high, each in [0, 100]."""
    if isinstance(band, str) or np.shape(band) != (2,):
        raise TypeError(f"band must be two percentiles (low, high), e.g. (5, 95) (got {band!r})")
    ends = np.asarray(validate.number("band", np.asarray(band, dtype=float), "nonnegative", maximum=100.0))
    if not ends[0] < ends[1]:
        raise ValueError(f"band must go from a lower to a higher percentile (got {tuple(band)!r})")
    return ends


@dataclass(frozen=True)
class SobolResult:
    """What :func:`sobol_first_order` returns.

    Attributes
    ----------
    output : str
        The output analysed.
    first_order : dict
        Field → first-order index S_i: the share of the output's variance
        explained by that field alone [unitless, about 0–1], largest first.
    total_order : dict
        Field → total index S_Ti: the share involving that field, its
        interactions included [unitless, about 0–1].
    variance : float
        Variance of the output [the output's unit squared].
    n : int
        Base samples N; the model ran ``N × (k + 2)`` times.
    seed : int
        The seed that reproduces the estimate.
    """

    output: str
    first_order: dict[str, float]
    total_order: dict[str, float]
    variance: float
    n: int
    seed: int

    @property
    def interactions(self) -> float:
        """``1 − Σ S_i``: the variance share due to interactions only [unitless]."""
        return 1.0 - sum(self.first_order.values())


def sobol_first_order(specs: Mapping[str, object], output: str = "facility_power_w", n: int = 16_384,
                      seed: int | None = 0,
                      base: Scenario | Mapping[str, object] | None = None) -> SobolResult:
    """Variance-based sensitivity: each range's share of an output's variance.

    Parameters
    ----------
    specs : mapping
        Field → range or number; only ranges are analysed.
    output : str, default "facility_power_w"
        A name from :data:`OUTPUTS`.
    n : int, default 16_384
        Base samples N (at least 2); the cost is ``N × (k + 2)`` model runs
        for ``k`` ranges, in one vectorized call.
    seed : int or None, default 0
        Seed; None for fresh entropy.
    base : Scenario or mapping, optional
        Single values for the fields not in ``specs``.

    Returns
    -------
    SobolResult

    Notes
    -----
    Two independent sample matrices A and B (N rows, one column per range)
    are drawn, and for each range i the matrix A_B^(i): A with column i taken
    from B. With outputs centred on their mean, the first-order index uses
    Saltelli's estimator [1]_ (Table 2, b) and the total index Jansen's [2]_
    (Table 2, f)::

        V   = Var([f(A), f(B)])
        S_i  = mean(f(B) × (f(A_B^(i)) − f(A))) / V
        S_Ti = mean((f(A) − f(A_B^(i)))²) / (2 V)

    The estimates carry sampling error of order ``1/sqrt(N)`` and may fall
    slightly outside [0, 1]. Ranges are assumed independent.

    References
    ----------
    .. [1] A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and
       S. Tarantola, "Variance based sensitivity analysis of model output. Design
       and estimator for the total sensitivity index", Computer Physics
       Communications 181 (2010) 259–270. https://doi.org/10.1016/j.cpc.2009.09.018
    .. [2] M. J. W. Jansen, "Analysis of variance designs for model output",
       Computer Physics Communications 117 (1999) 35–43.
       https://doi.org/10.1016/S0010-4655(98)00154-4
    """
    checked = _specs(specs)
    (name,) = _check_outputs([output])
    n = _count("n", n, 2)
    seed = _seed(seed)
    varied = _varied(checked)
    if not varied:
        return SobolResult(name, {}, {}, 0.0, n, seed)
    k = len(varied)
    drawn, _ = _draw({f: checked[f] for f in varied}, 2 * n, seed)
    values = _base_values(base)
    values.update({f: s.likely for f, s in checked.items()})
    columns = {}
    for j, f in enumerate(varied):
        a, b = drawn[f][:n], drawn[f][n:]
        columns[f] = np.concatenate([a, b] + [b if i == j else a for i in range(k)])
    y = np.asarray(evaluate(_scenario(values, columns), [name])[name], dtype=float)
    y = y - y[: 2 * n].mean()  # centring cuts the estimators' variance, not their expectation
    y_a, y_b = y[:n], y[n: 2 * n]
    variance = float(np.var(y[: 2 * n]))
    first, total = {}, {}
    for i, f in enumerate(varied):
        y_ab = y[(2 + i) * n: (3 + i) * n]
        if variance > 0:
            first[f] = float(np.mean(y_b * (y_ab - y_a)) / variance)
            total[f] = float(0.5 * np.mean((y_a - y_ab) ** 2) / variance)
        else:
            first[f] = total[f] = 0.0
    first = dict(sorted(first.items(), key=lambda item: -item[1]))
    return SobolResult(name, first, total, variance, n, seed)


# --------------------------------------------------------------------------- the dashboard's ranges

SPREAD_FIELDS = ("server_overhead", "network_overhead", "pue", "utilization")

#: The methodology left out of that spread: every ratio 1.0 is a floor, not a published estimate.
NEUTRAL_METHODOLOGY = "neutral"

#: Default range of the other uncertain fields: field → (half-width ÷ value, where it comes from). Every
#: default range is centred on the user's value, so that the value is the median of its range.
RANGE_BANDS: dict[str, tuple[float, str]] = {
    "gpu_watts": (0.075, "Dashboard assumption, ±7.5 % of the value (not a published figure): sustained board "
                  "power sits near the rated TDP; operators may cap lower, and short excursions go above it."),
    "goodput": (0.1, "Dashboard assumption, ±10 % of the value (at most 1): Llama 3 405B kept more than 90 % "
                "effective training time through 466 interruptions in 54 days (arXiv:2407.21783); restarts, "
                "checkpoints and stragglers move it from run to run."),
    "mfu": (0.25, "Dashboard assumption, ±25 % of the value: published MFUs of large training runs span about "
            "0.3–0.5 (Llama 3 405B: 0.38–0.43 at BF16 on H100, arXiv:2407.21783; Epoch AI: median 0.375 of "
            "33 runs)."),
    "electricity_price": (0.25, "Dashboard assumption, ±25 %: prices differ by region, contract and year."),
    "carbon_intensity": (0.25, "Dashboard assumption, ±25 %: grid averages move from year to year and with the "
                         "hours of use."),
    "wue": (0.5, "Dashboard assumption, ±50 %: site water use depends on climate and cooling design and changes "
            "through the year."),
    "accelerator_cost": (0.25, "Dashboard assumption, ±25 %: what an accelerator with its servers and network "
                         "costs depends on the buyer, the volume and the year."),
    "facility_cost_per_w": (0.25, "Dashboard assumption, ±25 %: construction costs per watt differ by site, "
                            "design and year."),
    "tokens_per_s_per_gpu": (0.5, "Dashboard assumption, ±50 % of the value: throughput per accelerator moves "
                             "with batch size, context length and serving software (the ML.ENERGY leaderboard's "
                             "configurations of one model differ by more than 2×)."),
    "tokens_per_query": (0.5, "Dashboard assumption, ±50 % of the value: answers run from a few hundred tokens "
                         "(Chatbot Arena's average, 269, cited by Epoch AI 2025) to thousands for reasoning "
                         "models."),
    "load_factor": (0.25, "Dashboard assumption, ±25 % of the value (at most 1): demand follows the day, and spare "
                    "capacity for peaks lowers the average load."),
}

#: Fields held at their value by default (a zero-width range), and why.
FIXED_FIELDS: dict[str, str] = {
    "gpus": "Your fleet size: held fixed (a choice, not an uncertain figure).",
    "hours": "Your period: held fixed (a choice, not an uncertain figure).",
    "peak_flop_per_s": "Vendor datasheet peak: held fixed (a specification; MFU carries the uncertainty of "
                       "achieved compute).",
}


def _valid_interval(field_name: str) -> tuple[float, float]:
    """The closed interval a field's values may take (a positive field's 0 is excluded by the caller)."""
    rule, maximum = validate.FIELDS[field_name]
    lower = {"at_least_one": 1.0}.get(rule, 0.0)
    upper = 1.0 if rule == "fraction" else math.inf
    if maximum is not None:
        upper = min(upper, maximum)
    return lower, upper


def _centred(field_name: str, likely: float, half: float, factor: float,
             distribution: str) -> tuple[float, float, bool]:
    """``(low, high, narrowed)``: a range whose median is ``likely``, inside the field's valid values.

    A triangular or uniform range is symmetric, ``likely ± half``; a log-normal one is symmetric on a log
    scale, ``likely ÷ factor`` to ``likely × factor`` (its median ``sqrt(low × high)`` is then ``likely``).
    Near an edge of the valid values (PUE >= 1, utilization <= 1) both sides shrink together, so the
    median stays at ``likely``; at the edge the range has no width.
    """
    lower, upper = _valid_interval(field_name)
    if distribution == "lognormal":
        reach = min(likely / lower if lower > 0 else math.inf, upper / likely)
        narrowed = factor > reach
        factor = min(factor, reach)
        return likely / factor, likely * factor, narrowed
    reach = min(likely - lower, upper - likely)
    narrowed = half > reach
    half = min(half, reach)
    if half >= likely:  # a positive field: keep the low end above 0
        half, narrowed = 0.5 * likely, True
    return likely - half, likely + half, narrowed


def default_ranges(scenario: Scenario, accelerator: str, methodologies: Sequence[str] | None = None,
                   distribution: str = "triangular") -> dict[str, dict[str, Any]]:
    """A low / likely / high range for every assumption a scenario gives, centred on its value.

    Parameters
    ----------
    scenario : Scenario
        Scalar scenario; each given field's value is the likely value.
    accelerator : str
        Accelerator key: the methodologies' server overhead (and utilization)
        depend on it.
    methodologies : sequence of str, optional
        Methodology keys whose spread sets the width of the ranges of
        :data:`SPREAD_FIELDS`; every one but the neutral one by default.
    distribution : {"triangular", "uniform", "lognormal"}, default "triangular"
        The shape the ranges will be given in
        (:func:`~estimator.distributions.spec_from_range`): symmetric ranges
        for a triangular or uniform shape, symmetric on a log scale for a
        log-normal one, so that in every shape the median of each range is
        the scenario's value.

    Returns
    -------
    dict
        Field → ``{"low", "likely", "high"}`` (floats, in the field's unit;
        ``low <= likely <= high``) and ``"source"`` (text: where the range
        comes from), for every field the scenario gives, in Scenario order.

    Notes
    -----
    - :data:`SPREAD_FIELDS` (server and network overhead, PUE, utilization):
      as wide as the methodology presets' spread for this accelerator (lowest
      to highest value; the ratio of the two for a log-normal shape), centred
      on the scenario's value.
    - :data:`RANGE_BANDS` (accelerator power, MFU, goodput, price, grid intensity,
      WUE, capital costs): the value ± a documented fraction (÷ and × one plus
      that fraction for a log-normal shape).
    - :data:`FIXED_FIELDS` (fleet size, period, peak FLOP/s) and every other
      field: zero width.

    A range centred on the value keeps the Monte Carlo median of each output
    near the single-value estimate (within 2 % for the dashboard's starting
    scenario), where ranges from the presets' lowest to highest value put it
    wherever the presets happen to lie. Every range is kept inside its
    field's valid values (PUE >= 1, utilization and MFU <= 1) by narrowing
    both sides alike; a value at the edge gets no width, and says so. These
    are starting points for a sensitivity study, each labelled with its
    basis, not measured uncertainties.

    Examples
    --------
    >>> s = Scenario.from_accelerator("h100-sxm", gpus=1000, methodology="nameplate")
    >>> r = default_ranges(s, "h100-sxm")["pue"]
    >>> round(r["low"], 6), r["likely"], round(r["high"], 6)
    (1.05, 1.2, 1.35)
    """
    if distribution not in RANGE_SHAPES:
        raise ValueError(f"distribution must be one of {', '.join(RANGE_SHAPES)} (got {distribution!r})")
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
        ranged = True
        if field_name in SPREAD_FIELDS and spread:
            values = {k: v[field_name] for k, v in spread.items()}
            lowest, highest = min(values, key=values.get), max(values, key=values.get)
            low, high = values[lowest], values[highest]
            half, factor = 0.5 * (high - low), math.sqrt(high / low)
            width = f"±{half:.3g}" if distribution != "lognormal" else f"÷ and × {factor:.3g}"
            source = (f"Methodology presets for {part.name} range from {low:.3g} in {table[lowest].name} to "
                      f"{high:.3g} in {table[highest].name}; that width ({width}), centred on your value")
        elif field_name in RANGE_BANDS:
            fraction, source = RANGE_BANDS[field_name]
            half, factor = fraction * likely, 1.0 + fraction
            if distribution == "lognormal":
                source += f" On a log scale: ÷ and × {factor:.3g}."
        else:
            ranged = False
        if not ranged or likely <= 0:
            out[field_name] = {"low": likely, "likely": likely, "high": likely,
                               "source": FIXED_FIELDS.get(field_name, "Held fixed.")}
            continue
        low, high, narrowed = _centred(field_name, likely, half, factor, distribution)
        if low == high:
            source += ("; held at your value, which sits at the edge of the valid values (a range centred on "
                       "it has no width): type a low or high value to widen it")
        elif narrowed:
            source += "; narrowed on both sides to stay within the valid values"
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
        Field → range or number, as :func:`monte_carlo` takes them; every
        assumption of the scenario.
    outputs : sequence of str
        Names from :data:`OUTPUTS`.
    n : int, default 100_000
        Samples.
    seed : int, default 0
        Seed of the samples.
    bins : int, default 40
        Bins of each histogram.
    progress : callable, optional
        Passed to :func:`monte_carlo`.

    Returns
    -------
    dict
        ``percentiles``: output → {5, 50, 95} → value; ``histograms``: output →
        :func:`histogram`; ``clipped``: field → fraction of its samples clipped
        to the field's domain (log-normal ranges); ``n`` and ``seed``. Values
        in each output's unit. Small enough to cache: the samples are not kept.
    """
    result = monte_carlo(specs, n=n, seed=seed, outputs=list(outputs), progress=progress)
    return {"percentiles": result.percentiles,
            "histograms": {k: histogram(v, bins) for k, v in result.samples.items()},
            "clipped": dict(result.clipped), "n": result.n, "seed": result.seed}
