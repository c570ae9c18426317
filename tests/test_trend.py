"""The frontier training run's power on a growth trend: estimator.trend.projection."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import estimator
from estimator import trend


def test_projection_by_hand():
    # 100 MW in 2025.0 at 2.1× a year: 1 GW after ln 10 / ln 2.1 = 3.1035 years, 5 GW after ln 50 / ln 2.1 =
    # 5.2727, 10 GW after ln 100 / ln 2.1 = 6.2070.
    p = estimator.projection(start_power_w=100e6, start_year=2025.0, growth=2.1, years=8)
    assert_allclose(p["crossing_years"], [2028.1035, 2030.2727, 2031.2070], rtol=0, atol=1e-4)
    assert_allclose(p["power_w"][:4], [100e6, 210e6, 441e6, 926.1e6], rtol=1e-12)
    assert p["year"].tolist() == [2025.0 + i for i in range(9)]
    assert p["run"] is None


def test_projection_default_start_is_the_largest_ready_run():
    # Grok 3 (xAI, 17 Feb 2025): 100,000 H100 at the nameplate chain, 700 W × 1.82 × 1.10 × 1.20 = 168.3 MW.
    p = estimator.projection()
    assert p["run"] == "grok-3"
    assert_allclose(p["start_power_w"], 100_000 * 700 * (10_200 / 5_600) * 1.10 * 1.20, rtol=1e-12)
    assert_allclose(p["start_year"], 2025 + 47 / 365, rtol=1e-12)
    assert p["growth"] == trend.GROWTH.value == 2.1
    expected = [2025 + 47 / 365 + math.log(t / p["start_power_w"]) / math.log(2.1) for t in (1e9, 5e9, 10e9)]
    assert_allclose(p["crossing_years"], expected, rtol=1e-12)


def test_projection_start_above_threshold_crosses_at_start():
    p = estimator.projection(start_power_w=2e9, start_year=2030.0)
    assert p["crossing_years"][0] == 2030.0


def test_projection_array_equals_scalar():
    growths = np.array([1.5, 2.1, 3.0])
    p = estimator.projection(100e6, 2025.0, growths, years=5)
    for i, g in enumerate(growths):
        one = estimator.projection(100e6, 2025.0, g, years=5)
        assert_allclose(p["power_w"][i], one["power_w"], rtol=1e-15)
        assert_allclose([c[i] for c in p["crossing_years"]], one["crossing_years"], rtol=1e-15)


@settings(max_examples=50, deadline=None)
@given(st.floats(1.05, 5.0), st.floats(1.05, 5.0))
def test_projection_faster_growth_crosses_sooner(a, b):
    slow, fast = sorted((a, b))
    ys = estimator.projection(100e6, 2025.0, slow)["crossing_years"]
    yf = estimator.projection(100e6, 2025.0, fast)["crossing_years"]
    assert all(f <= s for f, s in zip(yf, ys, strict=True))


@pytest.mark.parametrize("kwargs, match", [
    ({"start_power_w": 1e8}, "together"),
    ({"start_power_w": 1e8, "start_year": 2025.0, "growth": 1.0}, "growth must be > 1"),
    ({"start_power_w": -1.0, "start_year": 2025.0}, "start_power_w"),
    ({"start_power_w": 1e8, "start_year": 2025.0, "years": 0}, "years"),
    ({"start_power_w": 1e8, "start_year": 2025.0, "years": 2.5}, "years"),
    ({"start_power_w": 1e8, "start_year": 2025.0, "growth": float("nan")}, "growth"),
])
def test_projection_invalid(kwargs, match):
    with pytest.raises(ValueError, match=match):
        estimator.projection(**kwargs)
