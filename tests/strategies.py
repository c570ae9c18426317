"""Hypothesis strategies shared by the property tests, read from the field registry."""

from hypothesis import strategies as st

from estimator import fields

_LOWEST = {"positive": (0.0, True), "nonnegative": (0.0, False), "at_least_one": (1.0, False),
           "fraction": (0.0, True)}


def valid(name: str) -> st.SearchStrategy[float]:
    """Every valid value of a field: its rule (and floor) up to its sanity ceiling, both ends included."""
    f = fields.FIELDS[name]
    low, exclude = _LOWEST[f.rule]
    if f.minimum is not None:  # a floor that keeps every output finite
        low, exclude = f.minimum, False
    return st.floats(low, 1.0 if f.rule == "fraction" else f.maximum, exclude_min=exclude)
