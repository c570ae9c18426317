"""Tests for estimator.distributions: range objects and the range grammar."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from estimator import distributions as dist
from estimator import units

Z95 = 1.6448536269514722


# Ranges: their reference points and samples


def test_fixed_reference_points():
    spec = dist.Fixed(1.2)
    assert (spec.low, spec.likely, spec.high, spec.mean) == (1.2, 1.2, 1.2, 1.2)
    assert_array_equal(spec.sample(np.random.default_rng(0), 3), [1.2, 1.2, 1.2])


def test_uniform_reference_points():
    spec = dist.Uniform(1.1, 1.4)
    assert (spec.low, spec.high) == (1.1, 1.4)
    assert_allclose(spec.likely, 1.25, rtol=1e-15)


def test_triangular_reference_points():
    spec = dist.Triangular(1.1, 1.2, 1.4)
    assert (spec.low, spec.likely, spec.high) == (1.1, 1.2, 1.4)
    assert_allclose(spec.mean, (1.1 + 1.2 + 1.4) / 3, rtol=1e-15)


def test_lognormal_reference_points():
    spec = dist.LogNormal(median=1.2, p95=1.44)
    assert_allclose(spec.low, 1.0, rtol=1e-15)  # symmetric in log space: P5 = median² / P95
    assert (spec.likely, spec.high) == (1.2, 1.44)
    assert_allclose(spec.sigma, math.log(1.2) / Z95, rtol=1e-15)
    assert_allclose(spec.mean, math.exp(math.log(1.2) + spec.sigma**2 / 2), rtol=1e-15)


def test_lognormal_from_interval_and_mu_sigma():
    spec = dist.LogNormal.from_interval(1.1, 1.4)
    assert_allclose([spec.low, spec.high], [1.1, 1.4], rtol=1e-14)
    same = dist.LogNormal.from_mu_sigma(spec.mu, spec.sigma)
    assert_allclose([same.median, same.p95], [spec.median, spec.p95], rtol=1e-14)


def test_degenerate_ranges_sample_their_value():
    rng = np.random.default_rng(0)
    assert_array_equal(dist.Triangular(2, 2, 2).sample(rng, 4), 2.0)
    assert_array_equal(dist.LogNormal(2, 2).sample(rng, 4), 2.0)
    assert_array_equal(dist.Uniform(2, 2).sample(rng, 4), 2.0)


@pytest.mark.parametrize("make, match", [
    (lambda: dist.Uniform(2, 1), "high must be >= low"),
    (lambda: dist.Triangular(1, 3, 2), "ordered low <= likely <= high"),
    (lambda: dist.LogNormal(1.2, 1.1), "p95 must be >= median"),
    (lambda: dist.LogNormal(-1, 1), "median must be > 0"),
    (lambda: dist.Uniform(float("nan"), 1), "Uniform low must be finite"),
])
def test_range_construction_invalid(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_range_construction_rejects_text():
    with pytest.raises(TypeError, match="Fixed value must be a number"):
        dist.Fixed("1.2")


# spec_from_value: what files and the command line write


@pytest.mark.parametrize("value, expected", [
    (1.2, dist.Fixed(1.2)),
    (2, dist.Fixed(2.0)),
    ("1.2", dist.Fixed(1.2)),
    ("1.1..1.4", dist.Uniform(1.1, 1.4)),
    (" 1.1 .. 1.4 ", dist.Uniform(1.1, 1.4)),
    ("1.1/1.2/1.4", dist.Triangular(1.1, 1.2, 1.4)),
    ({"low": 1.1, "likely": 1.2, "high": 1.4}, dist.Triangular(1.1, 1.2, 1.4)),
    ({"low": 1.1, "high": 1.4}, dist.Uniform(1.1, 1.4)),
    ({"median": 1.2, "p95": 1.4}, dist.LogNormal(1.2, 1.4)),
    ({"distribution": "uniform", "low": 1.1, "high": 1.4}, dist.Uniform(1.1, 1.4)),
    ({"distribution": "Triangular", "low": 1.1, "mode": 1.2, "high": 1.4}, dist.Triangular(1.1, 1.2, 1.4)),
    ({"distribution": "lognormal", "median": 1.2, "p95": 1.4}, dist.LogNormal(1.2, 1.4)),
    ({"distribution": "fixed", "value": 1.2}, dist.Fixed(1.2)),
    ({"likely": 1.2}, dist.Fixed(1.2)),
    ({"low": "1.1", "high": "1.4"}, dist.Uniform(1.1, 1.4)),
    (dist.Uniform(1.1, 1.4), dist.Uniform(1.1, 1.4)),
])
def test_spec_from_value(value, expected):
    assert dist.spec_from_value("pue", value) == expected


def test_spec_from_value_lognormal_interval_and_mu_sigma():
    spec = dist.spec_from_value("pue", {"distribution": "lognormal", "low": 1.1, "high": 1.4})
    assert_allclose([spec.low, spec.high], [1.1, 1.4], rtol=1e-14)
    spec = dist.spec_from_value("gpu_watts", {"distribution": "lognormal", "mu": math.log(700), "sigma": 0.1})
    assert_allclose([spec.median, spec.sigma], [700, 0.1], rtol=1e-14)


def test_spec_from_value_with_units():
    def watts(text):
        return units.parse(text, "W", "gpu_watts")

    spec = dist.spec_from_value("gpu_watts", "600 W..0.8 kW", parse_number=watts)
    assert spec == dist.Uniform(600.0, 800.0)
    price = dist.spec_from_value("electricity_price", "$0.08/kWh",
                              parse_number=lambda t: units.parse(t, "$/kWh", "electricity_price"))
    assert price == dist.Fixed(0.08)


@pytest.mark.parametrize("spec", [dist.Fixed(1.2), dist.Uniform(1.1, 1.4), dist.Triangular(1.1, 1.2, 1.4),
                                  dist.LogNormal(1.2, 1.4)])
def test_spec_to_dict_round_trip(spec):
    assert dist.spec_from_value("pue", spec.to_dict()) == spec


@pytest.mark.parametrize("value, error, match", [
    ("0.9..1.4", ValueError, r"pue low must be >= 1 \(got 0.9\)"),
    ("1.4..1.1", ValueError, r"pue range '1.4..1.1': high must be >= low"),
    ("1.3/1.1/1.4", ValueError, r"pue range '1.3/1.1/1.4': values must be ordered"),
    ("1.1..1.2..1.3", ValueError, r"pue range '1.1..1.2..1.3' could not be read; write 'low..high'"),
    ("abc", ValueError, r"pue must be a number \(got 'abc'\)"),
    ("1.1..x", ValueError, r"pue high must be a number \(got 'x'\)"),
    ("nan", ValueError, r"pue must be finite"),
    (float("inf"), ValueError, r"pue must be finite"),
    ({"lo": 1.1, "hi": 1.4}, ValueError, r"pue range \{hi, lo\} could not be read; write \{low, likely, high\}"),
    ({"distribution": "gaussian", "low": 1}, ValueError, r"pue distribution 'gaussian' is not known"),
    ({"distribution": "lognormal", "median": 1.2}, ValueError,
     r"pue lognormal range takes \{median, p95\} or \{high, low\} or \{mu, sigma\} \(got \{median\}\)"),
    ({"distribution": "lognormal", "median": 1.2, "p95": 1.1}, ValueError,
     r"pue lognormal range: p95 must be >= median"),
    ({"low": True, "high": 1.4}, TypeError, r"pue low must be a number, not a boolean"),
    (True, TypeError, r"pue must be a number, not a boolean"),
    (None, TypeError, r"pue must be a number \(got None\)"),
    ([1.1, 1.4], TypeError, r"pue must be a number or a range"),
])
def test_spec_from_value_invalid(value, error, match):
    with pytest.raises(error, match=match):
        dist.spec_from_value("pue", value)


@pytest.mark.parametrize("value, expected", [
    ("1.1..1.4", True), ("1.1/1.2/1.4", True), ({"low": 1}, True), (dist.Fixed(1), True),
    ("1.2", False), (1.2, False), ("$0.08/kWh", False), ("989 TFLOP/s", False), ([1, 2], False),
])
def test_is_range(value, expected):
    assert dist.is_range(value) is expected


# Ranges from low / likely / high (the dashboard's rows)


@pytest.mark.parametrize(("shape", "expected"), [
    ("triangular", dist.Triangular(1.1, 1.2, 1.4)),
    ("uniform", dist.Uniform(1.1, 1.4)),
    ("lognormal", dist.LogNormal.from_interval(1.1, 1.4)),
])
def test_spec_from_range(shape, expected):
    spec = dist.spec_from_range("pue", 1.1, 1.2, 1.4, shape)
    assert spec == expected
    assert_allclose([spec.low, spec.high], [1.1, 1.4], rtol=1e-12)


@pytest.mark.parametrize("shape", dist.RANGE_SHAPES)
def test_spec_from_range_zero_width_is_fixed(shape):
    assert dist.spec_from_range("gpus", 1000, 1000, 1000, shape) == dist.Fixed(1000.0)


@pytest.mark.parametrize(("args", "error", "match"), [
    (("pue", 0.9, 1.2, 1.4), ValueError, r"pue low must be >= 1 \(got 0.9\)"),
    (("pue", 1.1, 1.2, 10.5), ValueError, r"pue high must be <= 10"),
    (("utilization", 0.5, 0.8, 1.2), ValueError, r"utilization high must be in \(0, 1\] \(got 1.2\)"),
    (("pue", 1.3, 1.2, 1.4), ValueError, "pue triangular range: values must be ordered low <= likely <= high"),
    (("pue", 1.4, 1.2, 1.1, "uniform"), ValueError, "pue uniform range: high must be >= low"),
    (("pue", 1.4, 1.2, 1.1, "lognormal"), ValueError, "pue lognormal range: high must be >= low"),
    (("electricity_price", 0.0, 0.08, 0.1, "lognormal"), ValueError,
     r"electricity_price low must be > 0 for a log-normal range \(got 0.0\)"),
    (("pue", 1.1, 1.2, 1.4, "gamma"), ValueError, "pue distribution must be one of triangular"),
    (("puee", 1.1, 1.2, 1.4), ValueError, "did you mean 'pue'"),
    (("pue", "low", 1.2, 1.4), TypeError, "pue low"),
    (("pue", float("nan"), 1.2, 1.4), ValueError, "pue low"),
])
def test_spec_from_range_invalid(args, error, match):
    with pytest.raises(error, match=match):
        dist.spec_from_range(*args)


def test_percentile_inverse_cdf_by_hand():
    # Inverse CDFs: uniform low + q (high - low); triangular low + sqrt(q (high - low)(mode - low)) up to
    # the mode's quantile (mode - low) / (high - low); log-normal exp(mu + sigma Φ⁻¹(q)).
    assert_allclose(dist.Uniform(1, 3).percentile([5, 50, 95]), [1.1, 2.0, 2.9], rtol=1e-15)
    tri = dist.Triangular(1.0, 1.2, 1.4)
    assert_allclose(tri.percentile([5, 50, 95]), [1 + math.sqrt(0.05 * 0.4 * 0.2), 1.2,
                                                  1.4 - math.sqrt(0.05 * 0.4 * 0.2)], rtol=1e-15)
    spec = dist.LogNormal(1.2, 1.44)
    assert_allclose(spec.percentile([5, 50, 95]), [1.0, 1.2, 1.44], rtol=1e-12)
    assert dist.Fixed(2.0).percentile(37) == 2.0
    assert isinstance(tri.percentile(50), float)


def test_percentile_array_equals_scalar_and_samples():
    rng = np.random.default_rng(0)
    for spec in (dist.Uniform(600, 800), dist.Triangular(1.5, 1.82, 2.0), dist.Triangular(1.0, 1.0, 1.4),
                 dist.LogNormal(0.4, 0.5)):
        p = np.array([1.0, 5.0, 50.0, 95.0, 99.0])
        assert_allclose(spec.percentile(p), [spec.percentile(q) for q in p], rtol=1e-15)
        assert_allclose(np.percentile(spec.sample(rng, 200_000), p), spec.percentile(p), rtol=5e-3)


@pytest.mark.parametrize("p", [-1, 101, float("nan")])
def test_percentile_invalid(p):
    with pytest.raises(ValueError, match="percentile"):
        dist.Uniform(1, 2).percentile(p)


@pytest.mark.parametrize("mu, sigma", [(0.0, 432.0), (700.0, 10.0)])
def test_lognormal_too_wide_to_be_finite_is_refused(mu, sigma):
    # Found by hypothesis: exp(mu + 1.645 sigma) overflowed into an OverflowError instead of a message.
    with pytest.raises(ValueError, match=r"LogNormal is too wide: with mu=.* and sigma=.*must be <= 709\.8"):
        dist.LogNormal.from_mu_sigma(mu, sigma)


def test_lognormal_wide_but_finite_is_kept():
    spec = dist.LogNormal.from_mu_sigma(0.0, 30.0)
    assert np.isfinite(spec.mean) and np.isfinite(spec.high)
    wider = dist.LogNormal.from_mu_sigma(0.0, 40.0)  # a finite P95, a mean beyond float64: said, not inf
    assert np.isfinite(wider.high)
    with pytest.raises(ValueError, match="mean exp"):
        _ = wider.mean
