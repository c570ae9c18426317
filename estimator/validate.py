"""The one place that checks inputs and words the errors.

Every public entry point (``Scenario``, the functions of ``power``, ``energy``,
``compute`` and ``solve``, the file loader, the command line) passes its
numbers through :func:`number`. A rejection is a ``TypeError`` for something
that is not a number and a ``ValueError`` for a number outside its rule; the
message names the field, the value and the rule, and for arrays the first
offending index: ``pue[3] must be >= 1 (got 0.9)``.

The checks are written for speed on large arrays: one ``min`` and one ``max``
reduction decide the common case (``min`` and ``max`` propagate NaN), and the
element-wise search for the first offender runs only when something is wrong.
"""

from __future__ import annotations

import contextlib
import contextvars
import decimal
import math
import numbers
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np

from estimator import fields

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

# Set by estimate(): its Scenario was validated at construction, so the chain
# of functions it calls skips re-checking the same arrays (2 passes each).
_TRUSTED: contextvars.ContextVar[bool] = contextvars.ContextVar("trusted", default=False)


@contextlib.contextmanager
def trusted() -> Iterator[None]:
    """Skip checks inside this block; only for values validated already."""
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


Rule = Literal["positive", "nonnegative", "at_least_one", "fraction", "any"]

#: Human wording of each rule, as it appears in error messages.
RULE_TEXT: dict[str, str] = {
    "positive": "must be > 0",
    "nonnegative": "must be >= 0",
    "at_least_one": "must be >= 1",
    "fraction": "must be in (0, 1]",
    "any": "must be finite",
}


def _index_text(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]"


def _violates(values: np.ndarray, rule: str) -> np.ndarray:
    """Element-wise mask of the values that break ``rule`` (NaN and inf included)."""
    bad = ~np.isfinite(values)
    with np.errstate(invalid="ignore"):
        if rule == "positive":
            bad |= values <= 0
        elif rule == "nonnegative":
            bad |= values < 0
        elif rule == "at_least_one":
            bad |= values < 1
        elif rule == "fraction":
            bad |= (values <= 0) | (values > 1)
    return bad


def _rule_holds(low: float, high: float, rule: str) -> bool:
    """Whether the range [low, high] of an array satisfies ``rule``.

    ``low`` and ``high`` come from ``min``/``max``, which return NaN when any
    element is NaN, so NaN fails every comparison below.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    if rule == "positive":
        return low > 0
    if rule == "nonnegative":
        return low >= 0
    if rule == "at_least_one":
        return low >= 1
    if rule == "fraction":
        return low > 0 and high <= 1
    return True


def _fail(field: str, index: tuple[int, ...] | None, value: float, rule: str,
          maximum: float | None = None, minimum: float | None = None) -> ValueError:
    where = field if index is None else field + _index_text(index)
    if minimum is not None and math.isfinite(value) and value < minimum and _rule_holds(value, value, rule):
        return ValueError(f"{where} must be >= {minimum:g} (got {value!r}); "
                          "the floor keeps every output finite")
    if maximum is not None and math.isfinite(value) and value > maximum:
        return ValueError(f"{where} must be <= {maximum:g} (got {value!r}); "
                          "the limit catches typos and unit slips")
    text = RULE_TEXT[rule]
    if rule != "any" and not math.isfinite(value):
        text += " and finite"
    return ValueError(f"{where} {text} (got {value!r})")


def _too_large(field: str) -> ValueError:
    return ValueError(f"{field} must be finite (got a number beyond float64's range of about 1.8e308)")


def _as_float_array(field: str, value: object) -> np.ndarray:
    """Convert ``value`` to float64, refusing booleans, strings and other non-numbers."""
    if value is None:
        raise TypeError(f"{field} must be a number (got None)")
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{field} must be a number, not a boolean (got {value!r})")
    if isinstance(value, str | bytes):
        raise TypeError(
            f"{field} must be a number, not text (got {value!r}); "
            "units such as '1 GW' are read by estimator.units.parse"
        )
    if isinstance(value, numbers.Real | decimal.Decimal) and not isinstance(value, np.ndarray):
        try:
            return np.asarray(float(value))
        except OverflowError:  # an int or Fraction beyond float64
            raise _too_large(field) from None
    if isinstance(value, numbers.Complex):
        raise TypeError(f"{field} must be a real number (got {value!r})")
    try:
        array = np.asarray(value)
    except ValueError:  # numpy's "inhomogeneous shape" for a ragged nested list
        raise ValueError(f"{field} must be a rectangular array (every row the same length)") from None
    kind = array.dtype.kind
    if kind == "f" and array.dtype == np.float64:
        return array
    if kind in "iuf":
        return array.astype(np.float64)
    if kind == "b":
        raise TypeError(f"{field} must hold numbers, not booleans (got dtype bool)")
    if kind in "US":
        raise TypeError(f"{field} must hold numbers, not text (got {array.ravel()[:1].tolist()!r}...)")
    if kind == "O":
        flat = array.ravel()
        for i, item in enumerate(flat):
            if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real | decimal.Decimal):
                where = field + _index_text(np.unravel_index(i, array.shape)) if array.ndim else field
                raise TypeError(f"{where} must be a number (got {item!r})")
        try:
            return array.astype(np.float64)
        except OverflowError:
            raise _too_large(field) from None
    raise TypeError(f"{field} must be a number (got {value!r} of type {type(value).__name__})")


def number(field: str, value: ArrayLike, rule: Rule = "any",
           maximum: float | None = None, minimum: float | None = None) -> float | np.ndarray:
    """Check one input and return it as float64.

    Parameters
    ----------
    field : str
        Name of the input, used in the error message.
    value : numeric
        Scalar or array-like of real numbers.
    rule : {"positive", "nonnegative", "at_least_one", "fraction", "any"}
        The range the value must lie in; every rule also requires finiteness.
    maximum : float, optional
        A sanity ceiling (inclusive) against typos such as 10^15 accelerators.
    minimum : float, optional
        A floor (inclusive) where a smaller valid value would overflow an output.

    Returns
    -------
    float or numpy.ndarray
        A Python float for scalar input, otherwise a float64 array.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans, text, None, complex).
    ValueError
        If any element is NaN, infinite or outside ``rule``; the message
        names the field, the first offending index, the value and the rule.
    """
    if _TRUSTED.get():
        return value  # type: ignore[return-value]
    array = _as_float_array(field, value)
    if array.ndim == 0:
        scalar = float(array)
        if (not _rule_holds(scalar, scalar, rule) or (maximum is not None and scalar > maximum)
                or (minimum is not None and scalar < minimum)):
            raise _fail(field, None, scalar, rule, maximum, minimum)
        return scalar
    if array.size == 0:
        raise ValueError(f"{field} must not be empty (got an array of shape {array.shape})")
    high, low = float(array.max()), float(array.min())
    if (not _rule_holds(low, high, rule) or (maximum is not None and high > maximum)
            or (minimum is not None and low < minimum)):
        bad = _violates(array, rule)
        if maximum is not None:
            bad |= array > maximum
        if minimum is not None:
            bad |= array < minimum
        flat_index = int(np.argmax(bad.ravel()))
        index = tuple(int(i) for i in np.unravel_index(flat_index, array.shape))
        raise _fail(field, index, float(array[index]), rule, maximum, minimum)
    return array


class _Rules(Mapping[str, tuple[str, float | None]]):
    """Read-only view of the registry's rules: name → (rule, ceiling)."""

    def __getitem__(self, name: str) -> tuple[str, float | None]:
        spec = fields.FIELDS[name]
        return spec.rule, spec.maximum

    def __iter__(self) -> Iterator[str]:
        return iter(fields.FIELDS)

    def __len__(self) -> int:
        return len(fields.FIELDS)


#: Rule and sanity ceiling of every named quantity, read from :mod:`estimator.fields`.
FIELDS = _Rules()


def field(name: str, value: ArrayLike, label: str | None = None) -> float | np.ndarray:
    """Check a named quantity against its rule and ceiling in the field registry.

    Parameters
    ----------
    name : str
        A key of :data:`estimator.fields.FIELDS`.
    value : numeric
        The value to check.
    label : str, optional
        The name to show in messages, if it differs from ``name``.

    Returns
    -------
    float or numpy.ndarray
        The value as float64.
    """
    spec = fields.FIELDS[name]
    return number(label or name, value, spec.rule, spec.maximum, spec.minimum)


def optional(name: str, value: ArrayLike | None) -> float | np.ndarray | None:
    """Like :func:`field`, but ``None`` (assumption not given) passes through."""
    if value is None:
        return None
    return field(name, value)


def broadcast(**values: float | np.ndarray | None) -> None:
    """Check that the given inputs broadcast together; name them if not.

    Raises
    ------
    ValueError
        If the array shapes are incompatible, listing each field's shape.
    """
    shapes = {k: np.shape(v) for k, v in values.items() if v is not None and np.ndim(v) > 0}
    if len(shapes) < 2:
        return
    try:
        np.broadcast_shapes(*shapes.values())
    except ValueError:
        listed = ", ".join(f"{k} {s}" for k, s in shapes.items())
        raise ValueError(f"input shapes do not broadcast together: {listed}") from None
