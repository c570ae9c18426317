"""Distributions: assumptions written as ranges, and the grammar that reads them.

Every input of the model is an assumption, so any of them may be given as a
range instead of a number. A range is one of four small frozen objects (a
"spec"), each able to draw samples and to name its low, likely and high value:

| spec | low / likely / high | samples |
|---|---|---|
| ``Fixed(value)`` | value / value / value | the value |
| ``Uniform(low, high)`` | low / midpoint / high | uniform on [low, high] |
| ``Triangular(low, likely, high)`` | low / likely / high | triangular, mode ``likely`` |
| ``LogNormal(median, p95)`` | P5 / median / P95 | log-normal |

The analyses that use them (Monte Carlo, tornado, Sobol) are in
:mod:`estimator.uncertainty`.

The range grammar. :func:`spec_from_value` reads a range from a scenario file
or the command line: a number, a table such as ``{low = 1.1, likely = 1.2,
high = 1.4}`` or ``{distribution = "lognormal", median = 1.2, p95 = 1.4}``, or
text such as ``"1.1..1.4"`` (uniform) or ``"1.1/1.2/1.4"`` (triangular).
:func:`read_range` reads the whole grammar: those forms, text naming a
distribution (``"lognormal:0.3..0.5"``, ``"lognormal:median=0.4, p95=0.5"``)
and tables whose keys are checked against :data:`RANGE_KEYS` (the closest one
suggested); :func:`estimator.io.read_range` adds each field's unit.
:func:`is_range` tells a range from a single value. :func:`spec_from_range`
builds one from a low, likely and high value in a chosen shape (the dashboard's
rows).

Validity. A range is checked against its field's rule up front: its low,
likely and high value must each be valid for the field (``pue low must be >= 1
(got 0.9)``). Uniform and triangular samples then stay inside [low, high]; a
log-normal range has tails beyond its P5 and P95, which
:func:`estimator.uncertainty.monte_carlo` clips to the field's valid domain.

Examples
--------
>>> from estimator import distributions as d
>>> d.spec_from_value("pue", "1.1/1.2/1.4")
Triangular(low=1.1, likely=1.2, high=1.4)
>>> d.read_range("mfu", "lognormal:median=0.4, p95=0.5")
LogNormal(median=0.4, p95=0.5)
>>> d.is_range("$0.08/kWh"), d.is_range("1.1..1.4")
(False, True)
"""

from __future__ import annotations

import math
import numbers
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from estimator import fields, validate
from estimator.scenario import Scenario

#: The 95th percentile of the standard normal distribution, Φ⁻¹(0.95).
Z95 = 1.6448536269514722
_NORMAL = statistics.NormalDist()


def _fail(field_name: str, text: str) -> ValueError:
    """A rejection of a range's structure (the number rules are worded in ``validate``)."""
    return ValueError(f"{field_name} {text}")


#: Largest x with a finite exp(x) in float64.
_LOG_MAX = math.log(np.finfo(float).max)


def _check_width(mu: float, sigma: float) -> None:
    """Refuse a log-normal whose P95 exp(mu + 1.645 sigma) would overflow to infinity."""
    if mu + Z95 * sigma > _LOG_MAX:
        raise _fail("LogNormal", f"is too wide: with mu={mu:.4g} and sigma={sigma:.4g} its P95 "
                    f"exp(mu + {Z95:.4g} sigma) exceeds the largest number (mu + {Z95:.4g} sigma must be <= "
                    f"{_LOG_MAX:.1f})")


def _real(label: str, value: object) -> float:
    """One finite real number, as a float (errors worded by ``validate``)."""
    checked = validate.number(label, value)
    if np.ndim(checked):
        raise TypeError(f"{label} must be a single number (got an array of shape {np.shape(checked)})")
    return float(checked)


class _Spec:
    """Shared behaviour of the range objects (they are frozen dataclasses)."""

    #: How the three reference values are called in messages.
    labels: tuple[str, str, str] = ("low", "likely", "high")
    #: Whether samples can fall outside [low, high].
    unbounded = False
    low: float
    likely: float
    high: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def percentile(self, p: float | Sequence[float] | np.ndarray) -> float | np.ndarray:
        """The value below which ``p`` percent of the distribution lies (its inverse CDF).

        Parameters
        ----------
        p : numeric
            Percentile(s), each in [0, 100] [unitless].

        Returns
        -------
        numeric
            The value(s) [the field's unit]; a float for a single ``p``.
        """
        q = np.asarray(validate.number("percentile", p, "nonnegative", maximum=100.0), dtype=float) / 100.0
        out = self._quantile(q)
        return float(out) if np.ndim(out) == 0 else out

    def _quantile(self, q: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """The table form that :func:`spec_from_value` reads back."""
        raise NotImplementedError  # pragma: no cover


@dataclass(frozen=True)
class Fixed(_Spec):
    """A single value: no uncertainty.

    Parameters
    ----------
    value : float
        The value [the field's unit].
    """

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _real("Fixed value", self.value))

    @property
    def low(self) -> float:  # type: ignore[override]
        return self.value

    @property
    def likely(self) -> float:  # type: ignore[override]
        return self.value

    @property
    def high(self) -> float:  # type: ignore[override]
        return self.value

    @property
    def mean(self) -> float:
        """Expected value [the field's unit]."""
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` copies of the value (``rng`` is not used) [the field's unit]."""
        return np.full(n, self.value)

    def _quantile(self, q: np.ndarray) -> np.ndarray:
        return np.full(np.shape(q), self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"distribution": "fixed", "value": self.value}


@dataclass(frozen=True)
class Uniform(_Spec):
    """Every value between ``low`` and ``high`` equally likely.

    Parameters
    ----------
    low, high : float
        Bounds, ``low <= high`` [the field's unit].

    Notes
    -----
    ``likely`` is the midpoint, which is both the mean and the median.
    """

    low: float
    high: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "low", _real("Uniform low", self.low))
        object.__setattr__(self, "high", _real("Uniform high", self.high))
        if not self.low <= self.high:
            raise _fail("Uniform", f"high must be >= low (got low={self.low!r}, high={self.high!r})")

    @property
    def likely(self) -> float:  # type: ignore[override]
        return 0.5 * (self.low + self.high)

    @property
    def mean(self) -> float:
        """Expected value [the field's unit]."""
        return self.likely

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws [the field's unit]."""
        return rng.uniform(self.low, self.high, n)

    def _quantile(self, q: np.ndarray) -> np.ndarray:
        return self.low + q * (self.high - self.low)

    def to_dict(self) -> dict[str, Any]:
        return {"distribution": "uniform", "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Triangular(_Spec):
    """A three-point estimate: least, most likely and greatest value.

    Parameters
    ----------
    low, likely, high : float
        Minimum, mode and maximum, ``low <= likely <= high`` [the field's unit].

    Notes
    -----
    The density rises linearly from ``low`` to ``likely`` and falls linearly
    to ``high``; the mean is ``(low + likely + high) / 3``.
    """

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        for name in ("low", "likely", "high"):
            object.__setattr__(self, name, _real(f"Triangular {name}", getattr(self, name)))
        if not self.low <= self.likely <= self.high:
            raise _fail("Triangular", "values must be ordered low <= likely <= high (got "
                        f"low={self.low!r}, likely={self.likely!r}, high={self.high!r})")

    @property
    def mean(self) -> float:
        """Expected value [the field's unit]."""
        return (self.low + self.likely + self.high) / 3.0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws [the field's unit]."""
        if self.low == self.high:  # numpy refuses a zero-width triangle
            return np.full(n, self.low)
        return rng.triangular(self.low, self.likely, self.high, n)

    def _quantile(self, q: np.ndarray) -> np.ndarray:
        # The CDF is (x − low)² ÷ ((high − low)(likely − low)) up to the mode, then its mirror image.
        a, c, b = self.low, self.likely, self.high
        if a == b:
            return np.full(np.shape(q), a)
        at_mode = (c - a) / (b - a)
        rising = a + np.sqrt(q * (b - a) * (c - a))
        falling = b - np.sqrt((1.0 - q) * (b - a) * (b - c))
        return np.where(q <= at_mode, rising, falling)

    def to_dict(self) -> dict[str, Any]:
        return {"distribution": "triangular", "low": self.low, "likely": self.likely, "high": self.high}


@dataclass(frozen=True)
class LogNormal(_Spec):
    """A positive quantity known to within a factor: its median and a plausible high.

    Parameters
    ----------
    median : float
        The middle value: half the mass lies below it [the field's unit, > 0].
    p95 : float
        The 95th percentile: a 1-in-20 chance of a value above it
        [the field's unit, >= median].

    Notes
    -----
    ``log(X)`` is normal with mean ``mu = log(median)`` and standard deviation
    ``sigma = log(p95 / median) / Φ⁻¹(0.95)``. The distribution is symmetric in
    log space, so the 5th percentile is ``median² / p95``; :attr:`low`,
    :attr:`likely` and :attr:`high` are P5, the median and P95 (the tornado's
    low and high). Samples beyond them are possible; see
    :mod:`estimator.uncertainty` on clipping them to a field's valid domain.

    Examples
    --------
    >>> spec = LogNormal(median=1.2, p95=1.44)
    >>> round(spec.low, 6), spec.likely, spec.high
    (1.0, 1.2, 1.44)
    """

    median: float
    p95: float
    labels = ("P5", "median", "P95")
    unbounded = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "median", float(validate.number("LogNormal median", self.median, "positive")))
        object.__setattr__(self, "p95", _real("LogNormal p95", self.p95))
        if not self.p95 >= self.median:
            raise _fail("LogNormal", f"p95 must be >= median (got median={self.median!r}, p95={self.p95!r})")
        _check_width(self.mu, self.sigma)

    @classmethod
    def from_interval(cls, low: float, high: float) -> LogNormal:
        """The log-normal whose 90% interval (P5 to P95) is ``low`` to ``high``.

        Parameters
        ----------
        low, high : float
            5th and 95th percentiles, ``0 < low <= high`` [the field's unit].
        """
        low = float(validate.number("LogNormal low", low, "positive"))
        high = _real("LogNormal high", high)
        if not high >= low:
            raise _fail("LogNormal", f"high must be >= low (got low={low!r}, high={high!r})")
        median = math.sqrt(low * high)
        # median² / high can round one ulp below low (P5 of 0.9999999999999998 for a range from 1):
        # nudge the median so that the P5 it implies is never below the low end given.
        while median * median / high < low:
            median = math.nextafter(median, math.inf)
        return cls(median=median, p95=high)

    @classmethod
    def from_mu_sigma(cls, mu: float, sigma: float) -> LogNormal:
        """The log-normal with ``log(X) ~ Normal(mu, sigma)``.

        Parameters
        ----------
        mu : float
            Mean of ``log(X)`` [log of the field's unit].
        sigma : float
            Standard deviation of ``log(X)`` [unitless, >= 0].
        """
        mu = _real("LogNormal mu", mu)
        sigma = float(validate.number("LogNormal sigma", sigma, "nonnegative"))
        _check_width(mu, sigma)
        return cls(median=math.exp(mu), p95=math.exp(mu + Z95 * sigma))

    @property
    def mu(self) -> float:
        """Mean of ``log(X)``."""
        return math.log(self.median)

    @property
    def sigma(self) -> float:
        """Standard deviation of ``log(X)``."""
        return math.log(self.p95 / self.median) / Z95

    @property
    def low(self) -> float:  # type: ignore[override]
        return self.median * self.median / self.p95

    @property
    def likely(self) -> float:  # type: ignore[override]
        return self.median

    @property
    def high(self) -> float:  # type: ignore[override]
        return self.p95

    @property
    def mean(self) -> float:
        """Expected value, ``exp(mu + sigma² / 2)`` [the field's unit]."""
        exponent = self.mu + 0.5 * self.sigma**2
        if exponent > _LOG_MAX:
            raise ValueError(f"LogNormal mean exp(mu + sigma²/2) exceeds the largest number (mu={self.mu:.4g}, "
                             f"sigma={self.sigma:.4g})")
        return math.exp(exponent)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` independent draws [the field's unit]."""
        if self.p95 == self.median:
            return np.full(n, self.median)
        return rng.lognormal(self.mu, self.sigma, n)

    def _quantile(self, q: np.ndarray) -> np.ndarray:
        if self.p95 == self.median:
            return np.full(np.shape(q), self.median)
        inner = np.clip(q, 1e-300, 1.0 - 1e-16)  # Φ⁻¹ is infinite at 0 and 1
        z = np.vectorize(_NORMAL.inv_cdf, otypes=[float])(inner)
        return np.where(q <= 0, 0.0, np.where(q >= 1, math.inf, np.exp(self.mu + self.sigma * z)))

    def to_dict(self) -> dict[str, Any]:
        return {"distribution": "lognormal", "median": self.median, "p95": self.p95}


Spec = Fixed | Uniform | Triangular | LogNormal
"""Any range object."""

#: Names accepted by ``distribution = "..."`` in a table.
DISTRIBUTIONS: dict[str, type] = {"fixed": Fixed, "uniform": Uniform, "triangular": Triangular,
                                  "lognormal": LogNormal}

# The key sets each distribution accepts in a table, and the constructor for each.
_TABLE_FORMS: dict[str, list[tuple[frozenset[str], Callable[..., _Spec]]]] = {
    "fixed": [(frozenset({"value"}), Fixed), (frozenset({"likely"}), lambda likely: Fixed(likely))],
    "uniform": [(frozenset({"low", "high"}), Uniform)],
    "triangular": [(frozenset({"low", "likely", "high"}), Triangular),
                   (frozenset({"low", "mode", "high"}),
                    lambda low, mode, high: Triangular(low, mode, high))],
    "lognormal": [(frozenset({"median", "p95"}), LogNormal),
                  (frozenset({"low", "high"}), LogNormal.from_interval),
                  (frozenset({"mu", "sigma"}), LogNormal.from_mu_sigma)],
}

_TABLE_HELP = ("write {low, likely, high} (triangular), {low, high} (uniform), {median, p95} "
               "(lognormal), or add distribution = " + " | ".join(repr(d) for d in DISTRIBUTIONS))

_TEXT_HELP = "write 'low..high' (uniform) or 'low/likely/high' (triangular)"


def _suggest(name: str, valid: Sequence[str]) -> str:
    close = fields.closest(name, valid)
    return f"did you mean {close!r}? " if close else ""


def _check_field_name(name: object, what: str = "assumption") -> str:
    valid = Scenario.field_names()
    if not isinstance(name, str) or name not in valid:
        hint = _suggest(name, valid) if isinstance(name, str) else ""
        raise ValueError(f"unknown {what} {name!r} ({hint}valid: {', '.join(valid)})")
    return name


def _field_check(field_name: str, label: str, value: float) -> None:
    if field_name in validate.FIELDS:
        validate.field(field_name, value, label=f"{field_name} {label}")
    else:
        validate.number(f"{field_name} {label}", value)


def check_spec(field_name: str, spec: Spec) -> Spec:
    """Check that a range's low, likely and high value are valid for a field.

    Parameters
    ----------
    field_name : str
        A Scenario field (or any name of :data:`estimator.validate.FIELDS`).
    spec : Fixed, Uniform, Triangular or LogNormal
        The range.

    Returns
    -------
    spec
        The same object.

    Raises
    ------
    ValueError
        Naming the field, the point and the rule: ``pue low must be >= 1 (got 0.9)``.
    """
    if not isinstance(spec, _Spec):
        raise TypeError(f"{field_name} must be a range object (got {type(spec).__name__})")
    low, likely, high = spec.labels
    # The ends first: a uniform range's likely value is derived from them.
    for label, value in ((low, spec.low), (high, spec.high), (likely, spec.likely)):
        _field_check(field_name, label, value)
    return spec


# "lognormal:0.3..0.5", "uniform: 650 W..750 W", "lognormal:median=0.4, p95=0.5"
_NAMED_RANGE = re.compile(r"\s*([A-Za-z][A-Za-z_\-]*)\s*:(.*)", re.DOTALL)
# In "key=value, key=value" a comma separates pairs only before the next key
# ("100,000 W" keeps its comma).
_PAIR_SPLIT = re.compile(r",\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*=)")


def is_range(value: object) -> bool:
    """Whether a file or command-line value is written as a range rather than a number.

    True for a range object, a table (mapping), text holding ``..`` or
    exactly two ``/`` (a single slash belongs to a unit, as in "$0.08/kWh"),
    and text naming a distribution before a colon
    (``"lognormal:median=0.4, p95=0.5"``). The file loader and the command
    line use it to send such values to :func:`read_range` and everything else
    to :class:`~estimator.Scenario`.
    """
    if isinstance(value, _Spec | Mapping):
        return True
    return isinstance(value, str) and (".." in value or value.count("/") == 2 or _named(value) is not None)


def _named(text: str) -> tuple[str, str] | None:
    """(name, rest) of text that names a distribution: a known name, or any name before a range."""
    match = _NAMED_RANGE.fullmatch(text)
    if match is None:
        return None
    name, rest = match.group(1), match.group(2).strip()
    known = name.lower().replace("-", "").replace("_", "") in DISTRIBUTIONS
    return (name, rest) if known or "=" in rest or ".." in rest or rest.count("/") == 2 else None


def spec_from_value(field_name: str, value: object,
                    parse_number: Callable[[str], float] | None = None) -> Spec:
    """Read a range written in a scenario file or on the command line.

    Parameters
    ----------
    field_name : str
        The assumption it belongs to; checked against the field's rule and
        used to begin every error message.
    value : number, str, mapping or range object
        One of:

        - a number: ``1.2`` → ``Fixed(1.2)``;
        - text ``"1.1..1.4"`` → ``Uniform(1.1, 1.4)``; ``"1.1/1.2/1.4"`` →
          ``Triangular(1.1, 1.2, 1.4)``; a single number ``"1.2"`` → ``Fixed``;
        - a table: ``{low, likely, high}`` → Triangular; ``{low, high}`` →
          Uniform; ``{median, p95}`` → LogNormal; or with an explicit
          ``distribution`` key: ``"fixed"`` (``value``), ``"uniform"`` (``low``,
          ``high``), ``"triangular"`` (``low``, ``likely`` or ``mode``,
          ``high``), ``"lognormal"`` (``median`` and ``p95``; or ``low`` and
          ``high`` as P5 and P95; or ``mu`` and ``sigma`` of the logarithm);
        - a range object, checked and returned.
    parse_number : callable, optional
        Reads one number written as text (in a string range or a table). The
        default accepts plain numbers; pass e.g. ``lambda t:
        units.parse(t, "W", field)`` to accept "600 W..800 W".

    Returns
    -------
    Fixed, Uniform, Triangular or LogNormal

    Raises
    ------
    TypeError, ValueError
        Naming the field and the rule that failed, e.g. ``pue low must be >= 1
        (got 0.9)`` or ``pue range '1.4..1.1': high must be >= low``.

    Examples
    --------
    >>> spec_from_value("pue", "1.1/1.2/1.4")
    Triangular(low=1.1, likely=1.2, high=1.4)
    >>> spec_from_value("pue", {"distribution": "lognormal", "median": 1.2, "p95": 1.4}).high
    1.4
    """
    if isinstance(value, _Spec):
        return check_spec(field_name, value)
    if isinstance(value, bool | np.bool_) or value is None:
        validate.number(field_name, value)  # words the TypeError
    if isinstance(value, numbers.Real):
        return check_spec(field_name, Fixed(_real(field_name, value)))
    if isinstance(value, str):
        return check_spec(field_name, _spec_from_text(field_name, value, parse_number))
    if isinstance(value, Mapping):
        return check_spec(field_name, _spec_from_table(field_name, value, parse_number))
    raise TypeError(f"{field_name} must be a number or a range (got {type(value).__name__} {value!r:.60}); "
                    f"{_TEXT_HELP}, or {_TABLE_HELP}")


#: Shapes :func:`spec_from_range` builds from a low, likely and high value.
RANGE_SHAPES: tuple[str, ...] = ("triangular", "uniform", "lognormal")


def spec_from_range(field_name: str, low: float, likely: float, high: float,
                    distribution: str = "triangular") -> Spec:
    """A range from a low, a likely and a high value, in one of three shapes.

    Parameters
    ----------
    field_name : str
        The assumption (a Scenario field); every value is checked against its
        rule and every message starts with it.
    low, likely, high : float
        The three values [the field's unit]. ``likely`` is typically the
        single value the estimate uses.
    distribution : {"triangular", "uniform", "lognormal"}, default "triangular"
        How the values between ``low`` and ``high`` are weighted.

    Returns
    -------
    Fixed, Triangular, Uniform or LogNormal
        ``Fixed(likely)`` when ``low == likely == high``, whatever the shape;
        otherwise ``Triangular(low, likely, high)``, ``Uniform(low, high)``, or
        the log-normal whose P5 and P95 are ``low`` and ``high``.

    Raises
    ------
    TypeError, ValueError
        If a value is not a number or breaks the field's rule (``pue low must
        be >= 1 (got 0.9)``), if the values are out of order (triangular:
        ``low <= likely <= high``; uniform and log-normal: ``low <= high``), if a
        log-normal ``low`` is not > 0, or if the shape is unknown.

    Notes
    -----
    A uniform range ignores ``likely`` (its likely value is the midpoint), and
    so does a log-normal one: its median is ``sqrt(low × high)``, the centre of
    ``[low, high]`` on a log scale (:meth:`LogNormal.from_interval`). Its tails
    beyond P5 and P95 are clipped to the field's valid domain when sampled.

    Examples
    --------
    >>> spec_from_range("pue", 1.1, 1.2, 1.4)
    Triangular(low=1.1, likely=1.2, high=1.4)
    >>> spec_from_range("pue", 1.2, 1.2, 1.2, "lognormal")
    Fixed(value=1.2)
    >>> round(spec_from_range("pue", 1.1, 1.2, 1.4, "lognormal").median, 4)
    1.241
    """
    _check_field_name(field_name)
    if distribution not in RANGE_SHAPES:
        raise ValueError(f"{field_name} distribution must be one of {', '.join(RANGE_SHAPES)} "
                         f"(got {distribution!r})")
    values = {"low": _real(f"{field_name} low", low), "likely": _real(f"{field_name} likely", likely),
              "high": _real(f"{field_name} high", high)}
    for label in ("low", "high", "likely"):  # the ends first, as check_spec does
        _field_check(field_name, label, values[label])
    if values["low"] == values["likely"] == values["high"]:
        return Fixed(values["likely"])
    if distribution == "triangular":
        return spec_from_value(field_name, values)
    if distribution == "uniform":
        return spec_from_value(field_name, {"low": values["low"], "high": values["high"]})
    if not values["low"] > 0:
        raise _fail(field_name, f"low must be > 0 for a log-normal range (got {values['low']!r})")
    return spec_from_value(field_name, {"distribution": "lognormal", "low": values["low"],
                                        "high": values["high"]})


def _number_in(where: str, value: object, parse_number: Callable[[str], float] | None) -> float:
    if isinstance(value, str):
        if parse_number is not None:
            return _real(where, parse_number(value))
        try:
            number = float(value.strip().replace("_", ""))
        except ValueError:
            raise _fail(where, f"must be a number (got {value!r})") from None
        return _real(where, number)
    return _real(where, value)


def _build(field_name: str, what: str, build: Callable[..., _Spec], **params: float) -> _Spec:
    try:
        return build(**params)
    except ValueError as error:
        # The constructors name their own type; the caller wants the field.
        text = str(error).split(" ", 1)[1]
        raise _fail(field_name, f"{what}: {text}") from None


def _spec_from_text(field_name: str, text: str, parse_number: Callable[[str], float] | None) -> _Spec:
    # "a..b" is uniform and "a/b/c" triangular; a single slash belongs to a unit ("$0.08/kWh").
    if ".." in text:
        separator, names, build = "..", ("low", "high"), Uniform
    elif text.count("/") == 2:
        separator, names, build = "/", ("low", "likely", "high"), Triangular
    else:
        return Fixed(_number_in(field_name, text, parse_number))
    parts = text.split(separator)
    if len(parts) != len(names):
        raise _fail(field_name, f"range {text!r} could not be read; {_TEXT_HELP}")
    params = {k: _number_in(f"{field_name} {k}", p, parse_number) for k, p in zip(names, parts, strict=True)}
    return _build(field_name, f"range {text!r}", build, **params)


def _spec_from_table(field_name: str, table: Mapping[str, Any],
                     parse_number: Callable[[str], float] | None) -> _Spec:
    params = {str(k).strip().lower(): v for k, v in table.items()}
    kind = params.pop("distribution", None)
    if kind is not None:
        name = str(kind).strip().lower().replace("-", "").replace("_", "")
        if name not in DISTRIBUTIONS:
            raise _fail(field_name, f"distribution {kind!r} is not known ({_suggest(name, list(DISTRIBUTIONS))}"
                        f"valid: {', '.join(DISTRIBUTIONS)})")
        kinds = [name]
    else:
        kinds = list(_TABLE_FORMS)
    keys = frozenset(params)
    for name in kinds:
        for form, build in _TABLE_FORMS[name]:
            if keys == form:
                numbers_ = {k: _number_in(f"{field_name} {k}", v, parse_number) for k, v in params.items()}
                return _build(field_name, f"{name} range", build, **numbers_)
    if kind is not None:
        forms = " or ".join("{" + ", ".join(sorted(form)) + "}" for form, _ in _TABLE_FORMS[kinds[0]])
        raise _fail(field_name, f"{kinds[0]} range takes {forms} (got {{{', '.join(sorted(keys))}}})")
    raise _fail(field_name, f"range {{{', '.join(sorted(keys))}}} could not be read; {_TABLE_HELP}")


#: Keys a range table may hold (see :func:`spec_from_value` for the
#: combinations each distribution takes).
RANGE_KEYS: tuple[str, ...] = ("distribution", "low", "likely", "mode", "high", "median", "p95", "mu",
                               "sigma", "value")

#: Reads one number of a range: ``read_number(where, value, unitless)``, where
#: ``where`` names it in messages ("pue low") and ``unitless`` is true for the
#: ``mu`` and ``sigma`` of a log-normal (of the logarithm: no unit).
ReadNumber = Callable[[str, object, bool], Any]


def _as_given(where: str, value: object, unitless: bool) -> object:
    """The default number reader: values left for :func:`spec_from_value` to read."""
    return value


def _named_range_table(field_name: str, text: str) -> dict[str, Any] | None:
    """The table of a range written ``NAME:LOW..HIGH``, ``NAME:LOW/LIKELY/HIGH`` or ``NAME:k=v, k=v``."""
    named = _named(text)
    if named is None:
        return None
    name, rest = named
    table: dict[str, Any] = {"distribution": name}
    if "=" in rest:
        for pair in _PAIR_SPLIT.split(rest):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{field_name} range {text!r} could not be read: write key=value pairs "
                                 "separated by commas, e.g. 'lognormal:median=0.4, p95=0.5'")
            key = key.strip()
            if key in table:
                raise ValueError(f"{field_name} range {text!r} repeats the key {key!r}")
            table[key] = value.strip()
    elif ".." in rest:
        parts = rest.split("..")
        if len(parts) != 2:
            raise ValueError(f"{field_name} range {text!r} could not be read: write {name}:LOW..HIGH")
        table["low"], table["high"] = (part.strip() for part in parts)
    elif rest.count("/") == 2:
        table["low"], table["likely"], table["high"] = (part.strip() for part in rest.split("/"))
    else:
        raise ValueError(f"{field_name} range {text!r} could not be read: after '{name}:' write LOW..HIGH, "
                         "LOW/LIKELY/HIGH or key=value pairs (e.g. 'lognormal:median=0.4, p95=0.5')")
    return table


def _range_table(field_name: str, table: Mapping[Any, Any], read_number: ReadNumber) -> dict[str, Any]:
    """A range table's keys checked (closest valid key suggested) and its numbers read by ``read_number``."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        if not isinstance(key, str):
            raise TypeError(f"{field_name} range keys must be text (got {key!r})")
        normal = re.sub(r"[\s\-]+", "_", key.strip().lower())
        if normal not in RANGE_KEYS:
            close = fields.closest(normal, RANGE_KEYS)
            hint = f"did you mean {close!r}?; " if close else ""
            raise ValueError(f"unknown key {key!r} in the range of {field_name} ({hint}valid keys: "
                             f"{', '.join(RANGE_KEYS)})")
        if normal in out:
            raise ValueError(f"{field_name} range gives {normal!r} twice")
        if normal == "distribution":
            if not isinstance(value, str):
                raise TypeError(f"{field_name} distribution must be text (got {value!r})")
            out[normal] = value
        else:
            out[normal] = read_number(f"{field_name} {normal}", value, normal in ("mu", "sigma"))
    if not out:
        raise ValueError(f"{field_name} range is an empty table; write e.g. "
                         "{ low = ..., likely = ..., high = ... }")
    return out


def read_range(field_name: str, value: object, read_number: ReadNumber | None = None) -> Spec:
    """Read one assumption written in any form of the range grammar.

    Parameters
    ----------
    field_name : str
        The assumption it belongs to; checked against the field's rule and
        used to begin every error message.
    value : number, str, mapping or range object
        Anything :func:`spec_from_value` reads; also text naming a
        distribution, ``"NAME:LOW..HIGH"``, ``"NAME:LOW/LIKELY/HIGH"`` or
        ``"NAME:key=value, key=value"``; a table's keys must be
        :data:`RANGE_KEYS` (in any case, the closest suggested).
    read_number : callable, optional
        ``read_number(where, value, unitless)`` reads each number of a table
        and each number written as text (``unitless`` for ``mu`` and
        ``sigma``); :func:`estimator.io.read_range` passes one that reads
        units. By default numbers are read as :func:`spec_from_value` reads
        them.

    Returns
    -------
    Fixed, Uniform, Triangular or LogNormal

    Raises
    ------
    TypeError, ValueError
        Naming the field and the rule: ``pue low must be >= 1 (got 0.9)``,
        ``pue distribution 'unifrom' is not known (did you mean 'uniform'? ...)``,
        ``unknown key 'likley' in the range of pue (did you mean 'likely'?; ...)``.

    Examples
    --------
    >>> read_range("mfu", "lognormal:0.3..0.5").high
    0.5
    >>> read_range("pue", {"Low": 1.1, "High": 1.4})
    Uniform(low=1.1, high=1.4)
    """
    if isinstance(value, str):
        named = _named_range_table(field_name, value)
        if named is not None:
            value = named
    if isinstance(value, Mapping):
        value = _range_table(field_name, value, _as_given if read_number is None else read_number)
    parse_number = None if read_number is None else (lambda text: read_number(field_name, text, False))
    return spec_from_value(field_name, value, parse_number)
