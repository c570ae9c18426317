"""Campuses: mixed fleets that come online (and retire) over time.

A :class:`Campus` is a list of blocks, each a :class:`~estimator.scenario.Scenario`
(its own accelerator, count, methodology and site), with a name, the date it
comes online and the date it retires. :func:`estimate` sums every additive
output over the blocks (accelerators too) and recomputes the ratios;
:func:`timeline` gives the campus over calendar periods: power at each
period's start and energy, money and compute over each period, prorated by
day, each block drawing only while it is online.

A block's methodology date is the one its Scenario was built with
(``Scenario.from_accelerator(..., date=...)``), not its online date: Epoch AI
dates a whole cluster phase once.

Examples
--------
xAI Colossus phase 3 as Epoch AI's GPU-clusters data counts it (200,000
accelerators at 700 W and 30,000 at 1,200 W, server ratio 1.82, PUE 1.10):

>>> from estimator import Scenario
>>> h = Scenario(gpus=200_000, gpu_watts=700, server_overhead=1.82, pue=1.10)
>>> g = Scenario(gpus=30_000, gpu_watts=1200, server_overhead=1.82, pue=1.10)
>>> campus = Campus([h, g], names=["H100/H200", "GB200"])
>>> round(estimate(campus).facility_power_w / 1e6, 3)
352.352
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from estimator import catalog, fields, validate
from estimator import scenario as _scenario
from estimator.scenario import Estimate, Scenario

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

Numeric = float | np.ndarray

#: Dense BF16 peak of one NVIDIA H100 SXM [FLOP/s]: the unit of H100-equivalents
#: (NVIDIA H100 Tensor Core GPU datasheet: 989.4 TFLOP/s dense, 1,979 with sparsity).
H100_BF16_PEAK_FLOP_PER_S = 989.4e12

#: Days in a year of hardware life (365, as every annual figure of the library).
DAYS_PER_YEAR = 365.0
HOURS_PER_DAY = 24.0

#: Calendar periods of :func:`timeline`, in months.
FREQUENCIES: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}

#: Most periods one timeline may hold (a monthly timeline of more than 8,000 years is a typo).
MAX_PERIODS = 100_000

#: Outputs that are ratios, not sums (the registry's ``ratio_of``): each campus value is
#: recomputed from sums (numerator field, denominator: "gpus" or "gpu_hours"). Outputs the
#: registry marks not additive are absent for a campus; any other output is summed.
RATIOS: dict[str, tuple[str, str]] = {f.name: f.ratio_of for f in fields.OUTPUTS if f.ratio_of}


def _date(where: str, value: Any) -> np.datetime64 | None:
    """A calendar day from ISO text, a date or a numpy datetime64; None passes through."""
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError(f"{where} must be a date YYYY-MM-DD (got NaT)")
        return value.astype("datetime64[D]")
    if isinstance(value, datetime.date):
        return np.datetime64(value.isoformat()[:10], "D")
    if not isinstance(value, str):
        raise TypeError(f"{where} must be a date YYYY-MM-DD (got {value!r})")
    try:
        return np.datetime64(datetime.date.fromisoformat(value.strip()).isoformat(), "D")
    except ValueError:
        raise ValueError(f"{where} must be a date YYYY-MM-DD (got {value!r})") from None


def _check_name(where: str, label: Any) -> str:
    """A block's name: non-empty text."""
    if not isinstance(label, str) or not label.strip():
        raise TypeError(f"{where} must be non-empty text (got {label!r})")
    return label


def _check_window(start: np.datetime64 | None, stop: np.datetime64 | None, online: str = "online",
                  retire: str = "retire") -> None:
    """A block retires after it comes online (``online`` and ``retire`` name the two dates in the message)."""
    if start is not None and stop is not None and stop <= start:
        raise ValueError(f"{retire} must be after {online} (got {stop} ≤ {start})")


def _per_block(name: str, values: Sequence[Any] | None, n: int) -> list[Any]:
    if values is None:
        return [None] * n
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a list with one entry per block (got {values!r})")
    if len(values) != n:
        raise ValueError(f"{name} must have one entry per block: {n} blocks, {len(values)} {name}")
    return list(values)


class Campus:
    """Blocks of accelerators, each a Scenario, that come online and retire on given dates.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The blocks (at least one); each may have its own accelerator, count,
        overheads, site and prices.
    names : sequence of str, optional
        One unique name per block; default "block 1", "block 2", ...
    online : sequence of date or None, optional
        The day each block comes online (ISO text ``"2025-01-01"``, a
        ``datetime.date`` or a ``numpy.datetime64``); None: online from the
        start of any timeline.
    retire : sequence of date or None, optional
        The day each block stops drawing power; None: ``hardware_life_years``
        after its online date if both are given, otherwise never.

    Raises
    ------
    TypeError, ValueError
        For a block that is not a Scenario, a list of the wrong length, a
        name given twice, a date that is not a date, or a block that retires
        on or before the day it comes online.

    Examples
    --------
    >>> from estimator import Scenario
    >>> a = Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82, pue=1.2)
    >>> b = Scenario(gpus=50_000, gpu_watts=1200, server_overhead=1.8, pue=1.1)
    >>> campus = Campus([a, b], names=["hall A", "hall B"], online=["2025-01-01", "2025-07-01"])
    >>> campus.names
    ('hall A', 'hall B')
    """

    __slots__ = ("_estimates", "_rates", "names", "online", "retire", "scenarios")

    def __init__(self, scenarios: Sequence[Scenario], names: Sequence[str] | None = None,
                 online: Sequence[Any] | None = None, retire: Sequence[Any] | None = None) -> None:
        if isinstance(scenarios, Scenario):
            scenarios = [scenarios]
        if not isinstance(scenarios, Sequence) or isinstance(scenarios, str | bytes):
            raise TypeError(f"Campus takes a list of Scenario blocks (got {type(scenarios).__name__})")
        blocks = list(scenarios)
        if not blocks:
            raise ValueError("a campus needs at least one block (got an empty list)")
        for i, block in enumerate(blocks):
            if not isinstance(block, Scenario):
                raise TypeError(f"block {i} must be a Scenario (got {type(block).__name__})")
        n = len(blocks)
        given_names = _per_block("names", names, n)
        labels = [f"block {i + 1}" if v is None else v for i, v in enumerate(given_names)]
        for i, label in enumerate(labels):
            _check_name(f"names[{i}]", label)
        seen: set[str] = set()
        for label in labels:
            if label in seen:
                raise ValueError(f"names must be unique: {label!r} is given twice")
            seen.add(label)
        on = [_date(f"online[{i}]", v) for i, v in enumerate(_per_block("online", online, n))]
        off = [_date(f"retire[{i}]", v) for i, v in enumerate(_per_block("retire", retire, n))]
        for i, (start, stop) in enumerate(zip(on, off, strict=True)):
            _check_window(start, stop, f"online[{i}]", f"retire[{i}]")
        object.__setattr__(self, "scenarios", tuple(blocks))
        object.__setattr__(self, "names", tuple(labels))
        object.__setattr__(self, "online", tuple(on))
        object.__setattr__(self, "retire", tuple(off))
        object.__setattr__(self, "_estimates", None)
        object.__setattr__(self, "_rates", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Campus is frozen: build a new one")

    def __len__(self) -> int:
        return len(self.scenarios)

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self.scenarios)

    def __repr__(self) -> str:
        parts = [f"{name!r}: {s.gpus!r} × {s.gpu_watts!r} W" + (f" from {on}" if on is not None else "")
                 for name, s, on in zip(self.names, self.scenarios, self.online, strict=True)]
        return f"Campus({', '.join(parts)})"

    @property
    def block_estimates(self) -> tuple[Estimate, ...]:
        """Each block's own :class:`~estimator.scenario.Estimate`, computed on first use and kept."""
        if self._estimates is None:
            object.__setattr__(self, "_estimates", tuple(_scenario.estimate(s) for s in self.scenarios))
        return self._estimates

    @property
    def block_rates(self) -> dict[str, np.ndarray | None]:
        """Every block's outputs for one hour and at an instant, stacked over the blocks (computed once, kept).

        What :func:`timeline` weighs by each period's online flags and hours; the
        keys are the registry's outputs plus ``gpus``, ``bf16_peak_flop_per_s``
        (None where a block's is unknown) and ``online_day`` / ``retire_day``
        (days since 1970, ±inf where open). Refuses blocks with array inputs.
        """
        if self._rates is None:
            object.__setattr__(self, "_rates", _hourly_rates(self))
        return self._rates

    def retire_dates(self) -> tuple[np.datetime64 | None, ...]:
        """The day each block stops drawing: its retire date, else online + ``hardware_life_years``, else None.

        A fractional life ends on the day it reaches (``floor(life × 365)`` days after online).
        """
        out = []
        for s, on, off in zip(self.scenarios, self.online, self.retire, strict=True):
            life = s.hardware_life_years
            if off is None and on is not None and life is not None and np.ndim(life) == 0:
                off = on + np.timedelta64(int(np.floor(float(life) * DAYS_PER_YEAR)), "D")
            out.append(off)
        return tuple(out)


def from_presets(accelerators: Sequence[str], gpus: Sequence[ArrayLike], names: Sequence[str] | None = None,
                 online: Sequence[Any] | None = None, retire: Sequence[Any] | None = None,
                 methodology: str | Sequence[str | None] | None = None,
                 site: str | Sequence[str | None] | None = None, precision: str = "bf16",
                 date: str | None = None, **shared: Any) -> Campus:
    """A campus of accelerator presets: one block per accelerator and count, sharing everything else.

    Parameters
    ----------
    accelerators : sequence of str
        One accelerator key per block (see :func:`estimator.accelerators`).
    gpus : sequence of numeric
        Accelerators in each block [count].
    names, online, retire : sequence, optional
        As :class:`Campus`.
    methodology, site : str or sequence of str or None, optional
        As :meth:`Scenario.from_accelerator`: one for every block, or one
        per block (None where a block takes the default).
    precision, date : optional
        As :meth:`Scenario.from_accelerator`, for every block.
    **shared
        Scenario fields given to every block (prices, lives, hours, ...),
        applied over the presets.

    Returns
    -------
    Campus

    Examples
    --------
    >>> c = from_presets(["h100-sxm", "gb200"], [100_000, 50_000], online=["2025-01-01", "2025-10-01"],
    ...                  hours=8760)
    >>> [s.gpu_watts for s in c.scenarios]
    [700.0, 1200.0]
    >>> c = from_presets(["h100-sxm", "h100-sxm"], [1000, 1000], site=[None, "google-fleet"])
    >>> [s.pue for s in c.scenarios]
    [1.2, 1.09]
    """
    keys, counts = list(accelerators), list(gpus)
    if len(keys) != len(counts):
        raise ValueError(f"accelerators and gpus must have one entry per block (got {len(keys)} and {len(counts)})")
    one = (lambda v: v is None or isinstance(v, str))  # noqa: E731  (one key for every block)
    methods = [methodology] * len(keys) if one(methodology) else _per_block("methodology", methodology, len(keys))
    places = [site] * len(keys) if one(site) else _per_block("site", site, len(keys))
    scenarios = [Scenario.from_accelerator(key, gpus=count, methodology=m or None, site=p or None,
                                           precision=precision, date=date, **shared)
                 for key, count, m, p in zip(keys, counts, methods, places, strict=True)]
    return Campus(scenarios, names=names, online=online, retire=retire)


def _bf16_peak(s: Scenario) -> Numeric | None:
    """One accelerator's dense BF16 peak: the scenario's own, or the catalogue's for an FP8 preset."""
    if s.presets.get("precision", "bf16") != "fp8":
        return s.peak_flop_per_s
    part = catalog.accelerator(s.presets["accelerator"])
    return None if part.peak_flop_per_s is None else part.peak_flop_per_s.value


def h100_equivalents(gpus: ArrayLike, bf16_peak_flop_per_s: ArrayLike) -> float | np.ndarray:
    """Accelerators counted as H100s by dense BF16 peak.

    Parameters
    ----------
    gpus : numeric
        Accelerators [count].
    bf16_peak_flop_per_s : numeric
        Dense BF16 peak of one of them [FLOP/s].

    Returns
    -------
    numeric
        ``gpus × bf16_peak_flop_per_s ÷ 989.4e12`` [count of H100-equivalents].

    References
    ----------
    .. [1] Epoch AI, "Frontier data centers" (2025): H100-equivalents count
       compute relative to an H100, https://epoch.ai/data/data-centers
    .. [2] NVIDIA, "H100 Tensor Core GPU" datasheet: 989.4 TFLOP/s dense BF16 (SXM).

    Examples
    --------
    >>> h100_equivalents(1000, 989.4e12)
    1000.0
    """
    return (validate.field("gpus", gpus) * validate.field("peak_flop_per_s", bf16_peak_flop_per_s)
            / H100_BF16_PEAK_FLOP_PER_S)


class CampusEstimate:
    """Results of :func:`estimate` for a campus: every output summed over the blocks.

    Attributes
    ----------
    gpus : numeric
        Accelerators in every block [count].
    h100_equivalents : numeric or None
        Σ gpus × dense BF16 peak ÷ 989.4e12 [count]; None if a block's peak is unknown.
    blocks : tuple of Estimate
        Each block's own results, in the campus's order.
    names : tuple of str
        The blocks' names.

    Every output of :func:`estimator.estimate` (``facility_power_w``,
    ``energy_wh``, ``capex``, ...) is the sum over the blocks, None if any
    block lacks it; ratios (``watts_per_gpu``, ``cost_per_gpu_hour``) are
    recomputed from the sums.
    """

    __slots__ = ("_campus", "_values", "gpus", "h100_equivalents", "names")

    def __init__(self, campus: Campus, values: dict[str, Numeric | None], gpus: Numeric,
                 h100e: Numeric | None) -> None:
        object.__setattr__(self, "_campus", campus)
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "gpus", gpus)
        object.__setattr__(self, "h100_equivalents", h100e)
        object.__setattr__(self, "names", campus.names)

    @property
    def blocks(self) -> tuple[Estimate, ...]:
        """Each block's :class:`~estimator.scenario.Estimate` (computed once per campus)."""
        return self._campus.block_estimates

    def __getattr__(self, name: str) -> Any:
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"CampusEstimate has no output {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CampusEstimate is frozen")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"CampusEstimate(gpus={self.gpus!r}, {shown})"

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Names of the summed outputs, in registry order (``gpus`` and ``h100_equivalents`` besides)."""
        return fields.outputs()

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python form: ``gpus``, ``h100_equivalents`` and every output (lists for arrays)."""
        def plain(v: Any) -> Any:
            return v.tolist() if isinstance(v, np.ndarray) else v
        return {"gpus": plain(self.gpus), "h100_equivalents": plain(self.h100_equivalents),
                **{k: plain(v) for k, v in self._values.items()}}


def _sum(values: Sequence[Numeric | None]) -> Numeric | None:
    if any(v is None for v in values):
        return None
    total = values[0]
    for v in values[1:]:
        total = total + v
    return float(total) if np.ndim(total) == 0 else np.asarray(total)


def _ratio(numerator: Numeric | None, denominator: Numeric | None) -> Numeric | None:
    if numerator is None or denominator is None:
        return None
    out = np.asarray(numerator, dtype=float) / np.asarray(denominator, dtype=float)
    return float(out) if out.ndim == 0 else out


def estimate_campus(campus: Campus) -> CampusEstimate:
    """Every output of a campus: additive outputs summed over its blocks, ratios recomputed.

    Parameters
    ----------
    campus : Campus
        The blocks; each block's own ``hours`` sets its energy and money.

    Returns
    -------
    CampusEstimate
        ``gpus``, ``h100_equivalents`` and every output of
        :func:`estimator.estimate`; ``.blocks`` holds each block's Estimate.

    Notes
    -----
    A sum is None if any block lacks the output (a campus total that left a
    block out would mislead). ``watts_per_gpu`` = Σ facility power ÷ Σ gpus;
    ``cost_per_gpu_hour`` = Σ total cost ÷ Σ (gpus × hours). Online and
    retire dates do not enter: every block counts (see :func:`timeline`).

    References
    ----------
    .. [1] Epoch AI, "GPU clusters" documentation, "Estimating power
       requirements": multi-chip clusters sum per chip type,
       https://epoch.ai/data/gpu-clusters-documentation

    Examples
    --------
    >>> from estimator import Scenario
    >>> a = Scenario(gpus=1000, gpu_watts=700, pue=1.2)
    >>> b = Scenario(gpus=3000, gpu_watts=1000, pue=1.1)
    >>> r = estimate_campus(Campus([a, b]))
    >>> r.gpus, round(r.facility_power_w / 1e6, 2), round(r.watts_per_gpu, 1)
    (4000.0, 4.14, 1035.0)
    """
    if not isinstance(campus, Campus):
        raise TypeError(f"estimate_campus() takes a Campus (got {type(campus).__name__})")
    blocks = campus.block_estimates
    values = {f.name: _sum([getattr(e, f.name) for e in blocks]) if f.additive or f.ratio_of else None
              for f in fields.OUTPUTS}
    gpus = _sum([s.gpus for s in campus.scenarios])
    gpu_hours = _sum([None if s.hours is None else s.gpus * s.hours for s in campus.scenarios])
    totals = {**values, "gpus": gpus, "gpu_hours": gpu_hours}
    for name, (numerator, denominator) in RATIOS.items():
        if name in values:
            values[name] = _ratio(totals[numerator], totals[denominator])
    peaks = [_bf16_peak(s) for s in campus.scenarios]
    h100e = _sum([None if p is None else h100_equivalents(s.gpus, p)
                  for s, p in zip(campus.scenarios, peaks, strict=True)])
    return CampusEstimate(campus, values, gpus, h100e)


def estimate(subject: Scenario | Campus) -> Estimate | CampusEstimate:
    """Run the model on a scenario, or on every block of a campus.

    Parameters
    ----------
    subject : Scenario or Campus
        One fleet, or a campus of blocks.

    Returns
    -------
    Estimate or CampusEstimate
        For a Scenario, :func:`estimator.scenario.estimate`'s result; for a
        Campus, :func:`estimate_campus`'s (sums over blocks, ``.blocks``).

    Examples
    --------
    >>> from estimator import Scenario
    >>> round(estimate(Scenario(gpus=16_384, gpu_watts=700, pue=1.1)).facility_power_w / 1e6, 2)
    12.62
    """
    if isinstance(subject, Campus):
        return estimate_campus(subject)
    if not isinstance(subject, Scenario):
        raise TypeError(f"estimate() takes a Scenario or a Campus (got {type(subject).__name__})")
    return _scenario.estimate(subject)


class Timeline:
    """A campus over calendar periods (see :func:`timeline`).

    Attributes
    ----------
    dates : numpy.ndarray of datetime64[D]
        The start of each period; the first is ``start``.
    ends : numpy.ndarray of datetime64[D]
        The day after each period (the next period's start; the last is ``end`` + 1 day).
    hours : numpy.ndarray
        Length of each period [h].
    names : tuple of str
        The blocks' names.
    gpus, h100_equivalents : numpy.ndarray
        Accelerators online at each period's start [count] (H100e None if a
        block's peak is unknown).
    <output> : numpy.ndarray or None
        Every additive output of :func:`estimator.estimate`, over time:
        power, compute and capital at each period's start (blocks online
        then); energy, cost, emissions, water, FLOP and amortized capital
        over each period. None where a block lacks it. Ratios are not given
        over time.
    """

    __slots__ = ("_blocks", "dates", "ends", "h100_equivalents", "hours", "names")

    def __init__(self, dates: np.ndarray, ends: np.ndarray, names: tuple[str, ...],
                 blocks: dict[str, tuple[np.ndarray, np.ndarray] | None]) -> None:
        # Each field is kept as (each block's rate, the weights it takes over the periods): a layer is their
        # product, and a total over the blocks a matrix-vector product, so no (blocks × periods) array of it is
        # made unless by_block asks for one.
        object.__setattr__(self, "dates", dates)
        object.__setattr__(self, "ends", ends)
        object.__setattr__(self, "hours", (ends - dates).astype(float) * HOURS_PER_DAY)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "_blocks", blocks)
        object.__setattr__(self, "h100_equivalents", self._total("h100_equivalents"))

    def _total(self, name: str) -> np.ndarray | None:
        layer = self._blocks[name]
        return None if layer is None else layer[0] @ layer[1]

    def __getattr__(self, name: str) -> Any:
        blocks = object.__getattribute__(self, "_blocks")
        if name not in blocks:
            raise AttributeError(f"Timeline has no field {name!r}")
        return self._total(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Timeline is frozen")

    def __len__(self) -> int:
        return len(self.dates)

    def __repr__(self) -> str:
        return f"Timeline({len(self)} periods from {self.dates[0]} to {self.ends[-1] - 1}, {len(self.names)} blocks)"

    def field_names(self) -> tuple[str, ...]:
        """The fields given over time: ``gpus``, ``h100_equivalents`` and the additive outputs."""
        return tuple(self._blocks)

    def total(self, name: str) -> float | None:
        """One field summed over every block and period (energy, cost, ... over the whole timeline)."""
        value = getattr(self, name)
        return None if value is None else float(value.sum())

    def by_block(self, name: str) -> np.ndarray | None:
        """One field per block and period, shape (blocks, periods): the stacked layers of a chart."""
        if name not in self._blocks:
            raise KeyError(f"Timeline has no field {name!r} (fields: {', '.join(self._blocks)})")
        layer = self._blocks[name]
        return None if layer is None else layer[0][:, None] * layer[1]

    def to_xarray(self) -> Any:
        """Every field per block and period as an :class:`xarray.Dataset`.

        Needs xarray; see :func:`estimator.display.timeline_dataset`.
        """
        from estimator import display

        return display.timeline_dataset(self)

    def to_frame(self) -> Any:
        """The campus totals, a row per period, as a :class:`pandas.DataFrame`.

        Needs pandas; see :func:`estimator.display.timeline_frame`.
        """
        from estimator import display

        return display.timeline_frame(self)


def period_starts(start: Any, end: Any, freq: str = "month") -> tuple[np.ndarray, np.ndarray]:
    """Calendar periods covering ``start`` to ``end`` (both days included).

    Parameters
    ----------
    start, end : date
        First and last day (ISO text, ``datetime.date`` or ``numpy.datetime64``).
    freq : {"month", "quarter", "year"}
        Period length; periods after the first begin on the first day of a
        month, a quarter (January, April, July, October) or a year.

    Returns
    -------
    starts, ends : numpy.ndarray of datetime64[D]
        Each period's first day and the day after its last; the first period
        starts on ``start`` and the last ends the day after ``end``.

    Examples
    --------
    >>> starts, ends = period_starts("2024-10-15", "2025-01-31", "month")
    >>> [str(d) for d in starts]
    ['2024-10-15', '2024-11-01', '2024-12-01', '2025-01-01']
    >>> str(ends[-1])
    '2025-02-01'
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)} (got {freq!r})")
    first, last = _date("start", start), _date("end", end)
    if first is None or last is None:
        raise TypeError("timeline needs a start and an end date (got None)")
    if last < first:
        raise ValueError(f"end must be on or after start (got end {last} before start {first})")
    step = FREQUENCIES[freq]
    month = int(first.astype("datetime64[M]").astype(np.int64))
    last_month = int(last.astype("datetime64[M]").astype(np.int64))
    # Month numbers count from January 1970, so multiples of 3 and 12 fall on quarters and years.
    first_boundary = (month // step + 1) * step
    count = max(0, (last_month - first_boundary) // step + 1)
    if count + 1 > MAX_PERIODS:
        raise ValueError(f"a timeline holds at most {MAX_PERIODS:,} periods (got {count + 1:,} {freq}s "
                         f"from {first} to {last})")
    boundaries = (first_boundary + step * np.arange(count, dtype=np.int64)).astype("datetime64[M]")
    starts = np.concatenate([[first], boundaries.astype("datetime64[D]")])
    ends = np.concatenate([starts[1:], [last + np.timedelta64(1, "D")]])
    return starts, ends


def timeline(campus: Campus, start: Any, end: Any, freq: str = "month") -> Timeline:
    """A campus over time: which blocks are online, what they draw, and what they cost.

    Parameters
    ----------
    campus : Campus
        The blocks, with their online and retire dates. Each block must be
        scalar (no array inputs).
    start, end : date
        First and last day of the timeline (both included), as ISO text,
        ``datetime.date`` or ``numpy.datetime64``.
    freq : {"month", "quarter", "year"}, default "month"
        Period length (see :func:`period_starts`).

    Returns
    -------
    Timeline
        ``.dates`` (period starts) and every additive output as an array over
        the periods; ``.by_block(name)`` gives each block's layer.

    Notes
    -----
    A block is online from its online date (inclusive) to its retire date
    (exclusive); without a retire date it retires ``hardware_life_years``
    after its online date if both are given, otherwise never; without an
    online date it is online from the start. For block ``b`` and period
    ``[d_i, d_i+1)``::

        online[b, i] = on_b ≤ d_i < off_b
        hours[b, i]  = 24 × max(0, min(d_i+1, off_b) − max(d_i, on_b))    (days online in the period)
        power_w[i]   = Σ_b facility_power_w_b × online[b, i]               (at the period's start)
        energy_wh[i] = Σ_b average_facility_power_w_b × hours[b, i]

    and so for every output: quantities that hold at an instant (power,
    FLOP/s, accelerators, capital in place) are counted at each period's
    start; quantities over a period (energy, cost, emissions, water, FLOP,
    amortized capital) are each block's hourly rate times its hours online in
    the period. The blocks' own ``hours`` are ignored.

    References
    ----------
    .. [1] Epoch AI, "Frontier data centers" (2025): sites' power and
       H100-equivalents over their build-out, https://epoch.ai/data/data-centers

    Examples
    --------
    >>> from estimator import Scenario
    >>> a = Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82, pue=1.1)
    >>> t = timeline(Campus([a], online=["2025-03-01"]), "2025-01-01", "2025-06-30", "quarter")
    >>> [str(d) for d in t.dates]
    ['2025-01-01', '2025-04-01']
    >>> (t.facility_power_w / 1e6).round(1).tolist()
    [0.0, 140.1]
    >>> (t.energy_wh / 1e9).round(2).tolist()  # GWh: 31 days online in Q1, 91 in Q2
    [104.26, 306.07]
    """
    if not isinstance(campus, Campus):
        raise TypeError(f"timeline() takes a Campus (got {type(campus).__name__})")
    starts, ends = period_starts(start, end, freq)
    rates = campus.block_rates  # the per-block work, done once per campus
    on, off = rates["online_day"][:, None], rates["retire_day"][:, None]
    first, after = starts.astype(np.int64)[None, :], ends.astype(np.int64)[None, :]
    online = ((on <= first) & (first < off)).astype(float)                       # (blocks, periods)
    hours = np.clip(np.minimum(after, off) - np.maximum(first, on), 0.0, None) * HOURS_PER_DAY

    layers: dict[str, tuple[np.ndarray, np.ndarray] | None] = {}
    layers["gpus"] = (rates["gpus"], online)
    peaks = rates["bf16_peak_flop_per_s"]
    layers["h100_equivalents"] = None if peaks is None else (rates["gpus"] * peaks / H100_BF16_PEAK_FLOP_PER_S,
                                                             online)
    for f in fields.OUTPUTS:
        if not f.additive:  # ratios and per-token figures: not summed over blocks
            continue
        rate = rates[f.name]
        layers[f.name] = None if rate is None else (rate, hours if "hours" in f.needs else online)
    return Timeline(starts, ends, campus.names, layers)


def _one_value_each(campus: Campus, what: str) -> None:
    """Refuse blocks with array inputs, naming the first such block and its arrays (``what`` needs scalars)."""
    for name, s in zip(campus.names, campus.scenarios, strict=True):
        shaped = [f for f in s.field_names() if np.ndim(getattr(s, f)) > 0]
        if shaped:
            raise ValueError(f"{what} needs one value per input in each block: block {name!r} has arrays "
                             f"in {', '.join(shaped)}")


def _hourly_rates(campus: Campus) -> dict[str, np.ndarray | None]:
    """Each block's outputs for one hour (linear in hours) and at an instant, one array over the blocks.

    The blocks are stacked into one Scenario of arrays and estimated at once; where an optional input is
    given for some blocks and not others, each block is estimated on its own (an output is then None if
    any block lacks it).
    """
    _one_value_each(campus, "timeline")
    blocks = campus.scenarios
    stacked: dict[str, Any] = {}
    mixed = False
    for name in Scenario.field_names():
        values = [getattr(s, name) for s in blocks]
        given = [v is not None for v in values]
        if all(given):
            stacked[name] = np.array(values, dtype=float)
        elif any(given):
            mixed = True
            break
    out: dict[str, np.ndarray | None] = {}
    if mixed:
        hourly = [_scenario.estimate(s.replace(hours=1.0)) for s in blocks]
        for f in fields.OUTPUTS:
            values = [getattr(e, f.name) for e in hourly]
            out[f.name] = None if any(v is None for v in values) else np.array(values, dtype=float)
    else:
        stacked["hours"] = np.ones(len(blocks))
        with validate.trusted():  # every block was validated when its Scenario was built
            e = _scenario.estimate(Scenario(**stacked))
        for f in fields.OUTPUTS:
            value = getattr(e, f.name)
            out[f.name] = None if value is None else np.asarray(value, dtype=float)
    out["gpus"] = np.array([s.gpus for s in blocks], dtype=float)
    peaks = [_bf16_peak(s) for s in blocks]
    out["bf16_peak_flop_per_s"] = None if any(p is None for p in peaks) else np.array(peaks, dtype=float)
    day = lambda d, open_end: open_end if d is None else float(d.astype(np.int64))  # noqa: E731
    out["online_day"] = np.array([day(d, -np.inf) for d in campus.online])
    out["retire_day"] = np.array([day(d, np.inf) for d in campus.retire_dates()])
    return out


def block_table(campus: Campus) -> dict[str, list[Any]]:
    """One row per block: name, dates, accelerators, power and money (None where not given).

    Parameters
    ----------
    campus : Campus
        The blocks.

    Returns
    -------
    dict of str to list
        Columns ``name``, ``online``, ``retire`` (ISO text or None), ``gpus``,
        ``gpu_watts`` [W], ``it_power_w``, ``facility_power_w`` [W],
        ``h100_equivalents`` [count], ``capex``, ``amortized_capex``,
        ``total_cost`` [currency] for each block at its own ``hours``.

    Examples
    --------
    >>> from estimator import Scenario
    >>> t = block_table(Campus([Scenario(gpus=10, gpu_watts=700)], online=["2025-01-01"]))
    >>> t["name"], t["online"], t["facility_power_w"]
    (['block 1'], ['2025-01-01'], [7000.0])
    """
    if not isinstance(campus, Campus):
        raise TypeError(f"block_table() takes a Campus (got {type(campus).__name__})")
    _one_value_each(campus, "a table of blocks (one row each)")
    text = lambda d: None if d is None else str(d)  # noqa: E731
    rows: dict[str, list[Any]] = {k: [] for k in (
        "name", "online", "retire", "gpus", "gpu_watts", "it_power_w", "facility_power_w", "h100_equivalents",
        "capex", "amortized_capex", "total_cost")}
    for name, s, e, on, off in zip(campus.names, campus.scenarios, campus.block_estimates, campus.online,
                                   campus.retire_dates(), strict=True):
        peak = _bf16_peak(s)
        rows["name"].append(name)
        rows["online"].append(text(on))
        rows["retire"].append(text(off))
        rows["gpus"].append(s.gpus)
        rows["gpu_watts"].append(s.gpu_watts)
        rows["h100_equivalents"].append(None if peak is None else h100_equivalents(s.gpus, peak))
        for k in ("it_power_w", "facility_power_w", "capex", "amortized_capex", "total_cost"):
            rows[k].append(getattr(e, k))
    return rows


class CampusPreset:
    """A public campus as blocks coming online over time, each block with its source.

    Attributes
    ----------
    key, name, source, note : str
        Catalogue key, display name, public sources and what the figures cover.
    confirmed : bool
        False where the figures are secondary reports or assumptions.
    blocks : tuple of dict
        Each block's keys as the data file gives them: ``name``,
        ``accelerator``, ``gpus`` or ``facility_power_w``, ``online``,
        ``source``, ``note``, ``confirmed``.
    """

    __slots__ = ("blocks", "confirmed", "key", "name", "note", "source")

    def __init__(self, key: str, name: str, source: str, note: str, confirmed: bool,
                 blocks: tuple[dict[str, Any], ...]) -> None:
        for attr, value in (("key", key), ("name", name), ("source", source), ("note", note),
                            ("confirmed", confirmed), ("blocks", blocks)):
            object.__setattr__(self, attr, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CampusPreset is frozen")

    def __repr__(self) -> str:
        return f"CampusPreset({self.key!r}, {len(self.blocks)} blocks)"


#: Keys of a ready campus's block besides the scenario's own.
_PRESET_BLOCK_META = ("source", "note", "confirmed")
_PRESET_BLOCK_KEYS = ("name", "accelerator", "gpus", "facility_power_w", "online", "retire", *_PRESET_BLOCK_META)


def _campus_table() -> dict[str, CampusPreset]:
    out = {}
    for key, raw in catalog._load("campuses.toml").items():
        blocks = []
        for i, block in enumerate(raw.get("block", []), start=1):
            unknown = set(block) - set(_PRESET_BLOCK_KEYS)
            if unknown or not block.get("source") or ("gpus" in block) == ("facility_power_w" in block):
                raise ValueError(f"campuses.toml: {key} block {i} needs a source and gpus or facility_power_w "
                                 f"(unknown keys: {sorted(unknown)})")
            catalog.accelerator(block["accelerator"])
            blocks.append({"confirmed": True, "note": "", **block})
        if not blocks or not raw.get("source"):
            raise ValueError(f"campuses.toml: {key} needs a source and at least one block")
        out[key] = CampusPreset(key, raw["name"], raw["source"], raw.get("note", ""),
                                bool(raw.get("confirmed", True)), tuple(blocks))
    return out


_CAMPUSES: dict[str, CampusPreset] | None = None


def campus_presets() -> dict[str, CampusPreset]:
    """The ready campuses (``estimator/data/campuses.toml``), by key, in catalogue order.

    Examples
    --------
    >>> list(campus_presets())
    ['xai-memphis', 'meta-genai-24k', 'meta-prometheus-hyperion', 'stargate-abilene']
    """
    global _CAMPUSES
    if _CAMPUSES is None:
        _CAMPUSES = _campus_table()
    return dict(_CAMPUSES)


def campus_preset(name: str, methodology: str | None = None, site: str | None = None, precision: str = "bf16",
                  date: str | None = None, **shared: Any) -> Campus:
    """A ready public campus as a :class:`Campus`: its blocks, accelerators and online dates.

    Parameters
    ----------
    name : str
        Key of :func:`campus_presets` (``"xai-memphis"``, ``"stargate-abilene"``, ...).
    methodology, site, precision, date : optional
        As :meth:`Scenario.from_accelerator`, for every block (default: the
        ``nameplate`` methodology).
    **shared
        Scenario fields for every block (prices, lives, hours, MFU, ...).

    Returns
    -------
    Campus
        One block per phase. A block published only as power gets the
        accelerators that power holds at full load at its chain (whole ones).

    Notes
    -----
    Counts and dates are press reports, mostly secondary, and several online
    dates are assumptions; each block's source and note are in
    ``campus_presets()[name].blocks``.

    Examples
    --------
    >>> c = campus_preset("xai-memphis")
    >>> c.names[0], str(c.online[0]), float(estimate(c).gpus)
    ('Phase 1: 100k H100', '2024-09-02', 230000.0)
    """
    from estimator import solve  # kept out of campus's import time

    preset = catalog._lookup("campus", name, campus_presets())
    scenarios = []
    for block in preset.blocks:
        if "gpus" in block:
            scenarios.append(Scenario.from_accelerator(block["accelerator"], gpus=block["gpus"],
                                                       methodology=methodology, site=site, precision=precision,
                                                       date=date, **shared))
            continue
        one = Scenario.from_accelerator(block["accelerator"], gpus=1, methodology=methodology, site=site,
                                        precision=precision, date=date, **shared)
        gpus = solve.gpus_for_power(block["facility_power_w"], one.gpu_watts, one.server_overhead,
                                    one.network_overhead, one.pue, whole=True)
        scenarios.append(one.replace(gpus=gpus))
    return Campus(scenarios, names=[b["name"] for b in preset.blocks], online=[b["online"] for b in preset.blocks],
                  retire=[b.get("retire") for b in preset.blocks])
