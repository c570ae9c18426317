"""Tests of the input checks and the wording of their errors."""

import numpy as np
import pytest

from estimator import validate


@pytest.mark.parametrize("value, expected", [(3, 3.0), (2.5, 2.5), (np.float32(1.5), 1.5), (np.int64(7), 7.0)])
def test_number_scalar(value, expected):
    out = validate.number("x", value, "positive")
    assert type(out) is float and out == expected


def test_number_array_is_float64():
    out = validate.number("x", [1, 2, 3], "positive")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])


def test_number_float64_array_not_copied():
    array = np.array([1.0, 2.0])
    assert validate.number("x", array, "positive") is array


@pytest.mark.parametrize("rule, value, message", [
    ("positive", 0, r"x must be > 0 \(got 0.0\)"),
    ("positive", -1, r"x must be > 0 \(got -1.0\)"),
    ("nonnegative", -0.5, r"x must be >= 0"),
    ("at_least_one", 0.9, r"x must be >= 1 \(got 0.9\)"),
    ("fraction", 1.5, r"x must be in \(0, 1\]"),
    ("fraction", 0, r"x must be in \(0, 1\]"),
    ("positive", float("nan"), r"x must be > 0 and finite \(got nan\)"),
    ("any", float("inf"), r"x must be finite \(got inf\)"),
])
def test_number_invalid(rule, value, message):
    with pytest.raises(ValueError, match=message):
        validate.number("x", value, rule)


def test_number_array_names_first_bad_index():
    with pytest.raises(ValueError, match=r"pue\[3\] must be >= 1 \(got 0.9\)"):
        validate.field("pue", [1.1, 1.2, 1.3, 0.9, 0.8])


def test_number_2d_array_names_index_pair():
    with pytest.raises(ValueError, match=r"gpus\[1, 0\] must be > 0 and finite \(got nan\)"):
        validate.field("gpus", [[1.0, 2.0], [np.nan, 3.0]])


def test_number_maximum():
    with pytest.raises(ValueError, match=r"gpus must be <= 1e\+09 \(got 1000000000000000.0\)"):
        validate.field("gpus", 1e15)
    with pytest.raises(ValueError, match=r"gpu_watts\[1\] must be <= 1e\+06"):
        validate.field("gpu_watts", [700, 1e9])


@pytest.mark.parametrize("value", [True, np.bool_(False), "700", b"7", None, 1 + 2j, [True, False],
                                   ["a", "b"], {"a": 1}, [1, "2"]])
def test_number_type_errors(value):
    with pytest.raises(TypeError, match="gpu_watts"):
        validate.field("gpu_watts", value)


def test_number_empty_array():
    with pytest.raises(ValueError, match="gpus must not be empty"):
        validate.field("gpus", [])


def test_optional_none_passes():
    assert validate.optional("wue", None) is None
    assert validate.optional("wue", 0.3) == 0.3


def test_broadcast_names_shapes():
    with pytest.raises(ValueError, match=r"gpus \(3,\), pue \(2,\)"):
        validate.broadcast(gpus=np.ones(3), pue=np.ones(2), wue=None)


def test_trusted_skips_checks_only_inside():
    with validate.trusted():
        assert validate.field("pue", 0.5) == 0.5
    with pytest.raises(ValueError):
        validate.field("pue", 0.5)
