"""Sweeps: one output over a grid of chosen assumptions, in memory or reduced in chunks.

:func:`grid` evaluates an output at every combination of the values given for
some assumptions (the axes), the others held at a base scenario's values, and
returns an array shaped by the axes with the axes' names and values attached.
:func:`summarize_grid` does the same for grids too big to hold (10^8 points
and more): it evaluates the grid in chunks of bounded size and keeps only
summaries (count, min, max, mean, standard deviation, where the extremes lie,
how many points lie above thresholds such as 1 GW, and percentiles from a
logarithmic histogram). :func:`iter_chunks` is the chunked evaluation itself,
for other reductions.

Each chunk is one vectorized :func:`~estimator.estimate` call on a block of
the grid in C order: the trailing axes are broadcast, the leading ones
enumerated, so memory is bounded by ``chunk_size`` whatever the grid's size
(about 200 bytes per point of a chunk: the model's outputs plus temporaries).

The dashboard's sweeps page uses :func:`grid_2d` (:func:`grid` on two
assumptions, as a plain array), :func:`contour` and :func:`level_crossing`
(where that array crosses a level such as 1 GW), :func:`power_vs_fleet`
(facility power against fleet size for several PUEs), :func:`log_range` and
:func:`reference_points` (the public reference clusters as points);
:data:`CHAIN_FIELDS` and :data:`SWEEP_RANGES` are the assumptions it offers
and their default ranges.

Examples
--------
>>> import numpy as np
>>> from estimator import sweep
>>> s = sweep.grid({"gpus": 100_000, "gpu_watts": 700, "server_overhead": 1.82},
...                {"pue": [1.1, 1.2, 1.3], "network_overhead": [1.0, 1.1]})
>>> s.dims, s.values.shape
(('pue', 'network_overhead'), (3, 2))
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, power, validate
from estimator.distributions import _check_field_name
from estimator.scenario import Scenario, preset_assumptions
from estimator.tables import _columns
from estimator.uncertainty import _base_values, _check_outputs, _scenario, evaluate

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

#: Points evaluated per chunk by default: about 200 MB of working memory.
CHUNK_SIZE = 1 << 20

#: Largest grid :func:`grid` returns whole (its values alone take 8 bytes a point).
MAX_POINTS = 50_000_000


@dataclass(frozen=True)
class Sweep:
    """One output on a grid of assumptions.

    Attributes
    ----------
    axes : dict
        Assumption name → 1-D array of its values, in the order of the
        dimensions of :attr:`values` [the field's unit].
    values : numpy.ndarray
        The output at every combination, shape ``tuple(len(a) for a in
        axes.values())``: ``values[i, j]`` is the output at the i-th value of
        the first axis and the j-th of the second [the output's unit].
    output : str
        The output's name.
    """

    axes: dict[str, np.ndarray]
    values: np.ndarray
    output: str

    @property
    def dims(self) -> tuple[str, ...]:
        """Axis names, in dimension order."""
        return tuple(self.axes)

    def point(self, index: Sequence[int]) -> dict[str, float]:
        """Assumption values at one grid index, e.g. ``point(np.unravel_index(values.argmax(), shape))``."""
        return {k: float(a[i]) for (k, a), i in zip(self.axes.items(), index, strict=True)}

    def to_xarray(self) -> Any:
        """The grid as a labelled :class:`xarray.DataArray`.

        Needs xarray; see :func:`estimator.display.sweep_dataarray`.
        """
        from estimator import display

        return display.sweep_dataarray(self)

    def to_frame(self) -> Any:
        """The grid as a long :class:`pandas.DataFrame`, a row per point.

        Needs pandas; see :func:`estimator.display.sweep_frame`.
        """
        from estimator import display

        return display.sweep_frame(self)


@dataclass(frozen=True)
class GridSummary:
    """Summaries of one output over a grid, from :func:`summarize_grid`.

    Attributes
    ----------
    output : str
        The output's name.
    axes : dict
        Assumption name → 1-D array of its values [the field's unit].
    count : int
        Points evaluated.
    min, max, mean, std : float
        Over every point (population standard deviation) [the output's unit].
    argmin, argmax : dict
        Assumption values where the minimum and maximum occur (the first in C
        order on ties) [the field's unit].
    count_above : dict
        Threshold → points strictly above it [count].
    percentiles : dict
        Percentile → value, read from a logarithmic histogram (see
        :func:`summarize_grid`) [the output's unit].
    resolution : float
        Relative width of a histogram bin: each percentile lies within half
        of it of the order statistic it stands for [unitless].
    """

    output: str
    axes: dict[str, np.ndarray] = field(repr=False)
    count: int
    min: float
    max: float
    mean: float
    std: float
    argmin: dict[str, float]
    argmax: dict[str, float]
    count_above: dict[float, int] = field(default_factory=dict)
    percentiles: dict[Any, float] = field(default_factory=dict)
    resolution: float = 0.0

    def fraction_above(self, threshold: float) -> float:
        """Share of the grid strictly above a threshold given to :func:`summarize_grid` [unitless]."""
        return self.count_above[threshold] / self.count


def _axes(axes: Mapping[str, ArrayLike]) -> dict[str, np.ndarray]:
    if not isinstance(axes, Mapping) or not axes:
        raise ValueError("axes must be a non-empty mapping of assumption → values")
    checked = {}
    for name, values in axes.items():
        _check_field_name(name, "axis")
        array = np.asarray(values) if not isinstance(values, np.ndarray) else values
        if array.ndim != 1:
            raise ValueError(f"axis {name} must be one-dimensional (got shape {array.shape})")
        checked[name] = np.asarray(validate.field(name, array), dtype=np.float64)
    return checked


def _prepare(base: Scenario | Mapping[str, object] | None, axes: Mapping[str, ArrayLike],
             output: str) -> tuple[dict[str, Any], dict[str, np.ndarray], str]:
    checked = _axes(axes)
    (name,) = _check_outputs([output])
    values = _base_values(base)
    values.update({k: float(a[0]) for k, a in checked.items()})
    # One point checks the base values, the required fields and that the output exists.
    evaluate(_scenario(values, {}, where="in base or as an axis"), [name])
    return values, checked, name


def _plan(shape: tuple[int, ...], chunk_size: int) -> tuple[int, int]:
    """Split axes into enumerated leading ones and broadcast trailing ones.

    Returns ``(split, rows_per_chunk)``: axes ``[split:]`` form a block of at
    most ``chunk_size`` points, and each chunk holds ``rows_per_chunk``
    combinations of the leading axes.
    """
    split, block = len(shape), 1
    while split > 0 and block * shape[split - 1] <= chunk_size:
        split -= 1
        block *= shape[split]
    return split, max(chunk_size // block, 1)


def _chunks(values: dict[str, Any], axes: dict[str, np.ndarray], output: str,
            chunk_size: int) -> Iterator[tuple[int, int, np.ndarray]]:
    names = list(axes)
    shape = tuple(a.size for a in axes.values())
    split, rows_per_chunk = _plan(shape, chunk_size)
    trailing = shape[split:]
    block = math.prod(trailing)
    columns: dict[str, np.ndarray] = {}
    for offset, name in enumerate(names[split:]):
        columns[name] = axes[name].reshape((1, *(-1 if i == offset else 1 for i in range(len(trailing)))))
    rows = math.prod(shape[:split])
    for first in range(0, rows, rows_per_chunk):
        last = min(first + rows_per_chunk, rows)
        if split:
            lead = np.unravel_index(np.arange(first, last), shape[:split])
            for name, index in zip(names[:split], lead, strict=True):
                columns[name] = axes[name][index].reshape((-1,) + (1,) * len(trailing))
        chunk_shape = (last - first, *trailing)
        result = np.asarray(evaluate(_scenario(values, columns), [output])[output])
        yield first * block, last * block, np.broadcast_to(result, chunk_shape).reshape(-1)


def iter_chunks(base: Scenario | Mapping[str, object] | None, axes: Mapping[str, ArrayLike],
                output: str = "facility_power_w",
                chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[int, int, np.ndarray]]:
    """Evaluate a grid chunk by chunk, in C order.

    Parameters
    ----------
    base : Scenario, mapping or None
        Single values of the assumptions that are not axes.
    axes : mapping
        Assumption name → 1-D array of values; the first varies slowest.
    output : str, default "facility_power_w"
        A name from :data:`estimator.uncertainty.OUTPUTS`.
    chunk_size : int, default 2**20
        Most points per chunk.

    Yields
    ------
    start, stop : int
        The chunk's range of flat (C-order) indices of the grid.
    values : numpy.ndarray
        The output at those points, 1-D [the output's unit].
    """
    values, checked, name = _prepare(base, axes, output)
    chunk_size = _positive_int("chunk_size", chunk_size)
    return _chunks(values, checked, name, chunk_size)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be a whole number (got {value!r})")
    if value < 1:
        raise ValueError(f"{name} must be >= 1 (got {value!r})")
    return int(value)


def grid(base: Scenario | Mapping[str, object] | None, axes: Mapping[str, ArrayLike],
         output: str = "facility_power_w", chunk_size: int = CHUNK_SIZE,
         max_points: int = MAX_POINTS) -> Sweep:
    """One output at every combination of the given assumption values.

    Parameters
    ----------
    base : Scenario, mapping or None
        Single values of the assumptions that are not axes.
    axes : mapping
        Assumption name → 1-D array of values [the field's unit]; the grid's
        dimensions follow the mapping's order.
    output : str, default "facility_power_w"
        A name from :data:`estimator.uncertainty.OUTPUTS` (an Estimate field
        or ``gpus_per_gigawatt``).
    chunk_size : int, default 2**20
        Most points evaluated at once; bounds the working memory.
    max_points : int, default 50_000_000
        Refuse bigger grids (use :func:`summarize_grid`).

    Returns
    -------
    Sweep

    Raises
    ------
    ValueError
        For an unknown assumption or output, an axis value outside its
        field's rule (``pue[3] must be >= 1 (got 0.9)``), a base value that
        is an array, or a grid bigger than ``max_points``.

    Examples
    --------
    >>> s = grid({"gpu_watts": 700, "server_overhead": 1.82, "network_overhead": 1.1},
    ...          {"gpus": [1e5, 5e5], "pue": [1.1, 1.3]})
    >>> round(float(s.values[1, 0]) / 1e6, 1)  # 500k GPUs at PUE 1.1 [MW]
    770.8
    """
    values, checked, name = _prepare(base, axes, output)
    chunk_size = _positive_int("chunk_size", chunk_size)
    shape = tuple(a.size for a in checked.values())
    points = math.prod(shape)
    if points > _positive_int("max_points", max_points):
        raise ValueError(f"the grid has {points:,} points, more than max_points={max_points:,} "
                         "(its values alone would take {:.1f} GB); use summarize_grid() to reduce "
                         "it in chunks".format(points * 8 / 1e9))
    out = np.empty(shape)
    flat = out.reshape(-1)
    for start, stop, chunk in _chunks(values, checked, name, chunk_size):
        flat[start:stop] = chunk
    return Sweep(axes=checked, values=out, output=name)


class _LogHistogram:
    """Counts of positive values in bins of equal width in log10, grown as needed."""

    def __init__(self, bins_per_decade: int) -> None:
        self.per_decade = bins_per_decade
        self.offset = 0
        self.counts = np.zeros(0, dtype=np.int64)
        self.nonpositive = 0

    def add(self, x: np.ndarray) -> None:
        positive = x[x > 0] if x.min() <= 0 else x
        self.nonpositive += x.size - positive.size
        if not positive.size:
            return
        index = np.floor(np.log10(positive) * self.per_decade).astype(np.int64)
        low, high = int(index.min()), int(index.max())
        counts = np.bincount(index - low, minlength=high - low + 1)
        if not self.counts.size:
            self.offset, self.counts = low, counts
            return
        start, stop = min(low, self.offset), max(high + 1, self.offset + self.counts.size)
        merged = np.zeros(stop - start, dtype=np.int64)
        merged[self.offset - start: self.offset - start + self.counts.size] += self.counts
        merged[low - start: low - start + counts.size] += counts
        self.offset, self.counts = start, merged

    def percentile(self, q: float, total: int, low: float, high: float) -> float:
        """The value of order statistic ``floor((total − 1) q / 100)``, to within half a bin."""
        rank = math.floor((total - 1) * q / 100.0)
        if rank < self.nonpositive:
            return low  # every non-positive output of this model is 0 (a layer absent)
        cumulative = np.cumsum(self.counts)
        bin_ = int(np.searchsorted(cumulative, rank - self.nonpositive, side="right"))
        centre = 10.0 ** ((self.offset + bin_ + 0.5) / self.per_decade)
        return float(min(max(centre, low), high))


def summarize_grid(base: Scenario | Mapping[str, object] | None, axes: Mapping[str, ArrayLike],
                   output: str = "facility_power_w", thresholds: Sequence[float] = (),
                   percentiles: Sequence[float] = (5, 50, 95), chunk_size: int = CHUNK_SIZE,
                   bins_per_decade: int = 1000) -> GridSummary:
    """Summaries of one output over a grid of any size, evaluated in chunks.

    Parameters
    ----------
    base : Scenario, mapping or None
        Single values of the assumptions that are not axes.
    axes : mapping
        Assumption name → 1-D array of values [the field's unit].
    output : str, default "facility_power_w"
        A name from :data:`estimator.uncertainty.OUTPUTS`.
    thresholds : sequence of float, optional
        Count the points strictly above each, e.g. ``[1e9]`` for 1 GW
        [the output's unit].
    percentiles : sequence of float, default (5, 50, 95)
        Percentiles over the grid's points, each in [0, 100]; ``()`` skips
        the histogram.
    chunk_size : int, default 2**20
        Most points evaluated at once: peak memory is about 200 bytes a
        point of a chunk, whatever the grid's size.
    bins_per_decade : int, default 1000
        Resolution of the percentile histogram.

    Returns
    -------
    GridSummary

    Notes
    -----
    Count, min, max and the threshold counts are exact. The mean and
    standard deviation merge per-chunk means and sums of squared deviations
    (Chan, Golub and LeVeque's pairwise update [1]_), accurate to rounding.
    Percentiles come from a histogram with ``bins_per_decade`` bins of equal
    width in log10 (10^(1/1000) − 1 ≈ 0.23% wide by default), so each
    reported value is the centre of the bin holding the order statistic
    ``floor((count − 1) p / 100)`` (numpy's "lower" method), within half a bin
    of it, clamped to [min, max]; zeros (a layer of the chain that is absent)
    are counted below every bin.

    References
    ----------
    .. [1] T. F. Chan, G. H. Golub and R. J. LeVeque, "Algorithms for computing
       the sample variance: analysis and recommendations", The American
       Statistician 37 (1983) 242–247. https://doi.org/10.1080/00031305.1983.10483115

    Examples
    --------
    A 10^4-point grid of fleets and PUEs: how many exceed 1 GW?

    >>> import numpy as np
    >>> s = summarize_grid({"gpu_watts": 700, "server_overhead": 1.82, "network_overhead": 1.1},
    ...                    {"gpus": np.linspace(1e5, 1e6, 100), "pue": np.linspace(1.05, 1.5, 100)},
    ...                    thresholds=[1e9])
    >>> s.count, s.count_above[1e9] > 0
    (10000, True)
    """
    values, checked, name = _prepare(base, axes, output)
    chunk_size = _positive_int("chunk_size", chunk_size)
    limits = [float(validate.number("thresholds", t)) for t in thresholds]
    keys = list(percentiles)
    if keys:
        validate.number("percentiles", np.asarray(keys, dtype=float), "nonnegative", maximum=100.0)
    histogram = _LogHistogram(_positive_int("bins_per_decade", bins_per_decade)) if keys else None
    count, mean, m2 = 0, 0.0, 0.0
    low, high, where_low, where_high = math.inf, -math.inf, 0, 0
    above = dict.fromkeys(limits, 0)
    for start, _stop, chunk in _chunks(values, checked, name, chunk_size):
        size = chunk.size
        i, j = int(chunk.argmin()), int(chunk.argmax())
        if chunk[i] < low:
            low, where_low = float(chunk[i]), start + i
        if chunk[j] > high:
            high, where_high = float(chunk[j]), start + j
        chunk_mean = float(chunk.mean())
        chunk_m2 = float(np.dot(chunk - chunk_mean, chunk - chunk_mean))
        delta = chunk_mean - mean
        total = count + size
        mean += delta * size / total
        m2 += chunk_m2 + delta * delta * count * size / total
        count = total
        for t in limits:
            above[t] += int(np.count_nonzero(chunk > t))
        if histogram is not None:
            histogram.add(chunk)
    shape = tuple(a.size for a in checked.values())

    def at(flat: int) -> dict[str, float]:
        index = np.unravel_index(flat, shape)
        return {k: float(a[i]) for (k, a), i in zip(checked.items(), index, strict=True)}

    table = {} if histogram is None else {p: histogram.percentile(float(p), count, low, high) for p in keys}
    return GridSummary(output=name, axes=checked, count=count, min=low, max=high, mean=mean,
                       std=math.sqrt(m2 / count), argmin=at(where_low), argmax=at(where_high),
                       count_above=above, percentiles=table,
                       resolution=10.0 ** (1.0 / bins_per_decade) - 1.0)


# --------------------------------------------------------------------------- the dashboard's sweeps

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




def grid_2d(scenario: Scenario, x_field: str, x_values: ArrayLike, y_field: str, y_values: ArrayLike,
            output: str = "facility_power_w") -> np.ndarray:
    """One result on a grid of two assumptions, the others held at the scenario's values.

    The dashboard's heatmap: :func:`grid` with the axes ``{y_field: y_values,
    x_field: x_values}``, returned as a plain array.

    Parameters
    ----------
    scenario : Scenario
        The other assumptions (scalars).
    x_field, y_field : str
        Two different Scenario fields.
    x_values, y_values : array_like, 1-D
        Values of each, in the field's own unit.
    output : str, default "facility_power_w"
        A name from :data:`estimator.uncertainty.OUTPUTS`.

    Returns
    -------
    numpy.ndarray
        Shape (len(y_values), len(x_values)), in the output's unit.

    Raises
    ------
    ValueError
        If the fields are equal or unknown, a value breaks its field's rule
        (named by its cell of the grid, ``pue[0, 0] must be >= 1``), or the
        output is unknown or absent for this scenario (e.g. energy without
        hours).

    Examples
    --------
    >>> s = Scenario(gpus=1e5, gpu_watts=700, server_overhead=1.82, network_overhead=1.1)
    >>> z = grid_2d(s, "gpus", [1e5, 5e5], "pue", [1.1, 1.3])
    >>> z.shape, round(float(z[0, 1]) / 1e6, 1)  # 500k GPUs at PUE 1.1 [MW]
    ((2, 2), 770.8)
    """
    names = Scenario.field_names()
    for f in (x_field, y_field):
        if f not in names:
            raise ValueError(f"unknown assumption {f!r} (valid: {', '.join(names)})")
    if x_field == y_field:
        raise ValueError(f"choose two different assumptions (both are {x_field!r})")
    x = np.atleast_1d(np.asarray(x_values, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(y_values, dtype=float)).ravel()
    # Checked as the grid they span, in field order, so a message names the cell: pue[0, 0].
    for name, values in sorted(((x_field, x[np.newaxis, :]), (y_field, y[:, np.newaxis])),
                               key=lambda item: names.index(item[0])):
        validate.field(name, values)
    return grid(scenario, {y_field: y, x_field: x}, output).values


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
