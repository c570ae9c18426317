"""Tests for estimator.uncertainty: Monte Carlo, tornado, Sobol indices, the dashboard's ranges."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from estimator import Scenario, catalog, estimate, gpus_for_power, preset_assumptions
from estimator import distributions as dist
from estimator import uncertainty as u

Z95 = 1.6448536269514722

# DESIGN.md's worked example as the likely values (DGX H100 ratio 1.82, network 1.10, PUE 1.2).
H100 = {"gpus": 100_000, "gpu_watts": 700, "server_overhead": 1.82, "network_overhead": 1.10, "pue": 1.2}


def triangular_ppf(p, low, mode, high):
    """Inverse CDF of the triangular distribution (closed form)."""
    split = (mode - low) / (high - low)
    if p <= split:
        return low + math.sqrt(p * (high - low) * (mode - low))
    return high - math.sqrt((1 - p) * (high - low) * (high - mode))


def lognormal(median, sigma):
    return dist.LogNormal(median, median * math.exp(Z95 * sigma))


# Monte Carlo: statistics of known distributions


def test_monte_carlo_uniform_percentiles():
    # U(600, 800): P5 = 610, P50 = 700, P95 = 790; the sampling error of a percentile
    # at n = 2e5 is about sqrt(p(1-p)/n) / density = 0.1 W for P5.
    r = u.monte_carlo({"gpus": 1, "gpu_watts": dist.Uniform(600, 800)}, n=200_000, seed=1)
    p = r.percentiles["accelerator_power_w"]
    assert_allclose([p[5], p[50], p[95]], [610, 700, 790], atol=1.0)


def test_monte_carlo_triangular_percentiles():
    spec = dist.Triangular(1.1, 1.2, 1.6)
    r = u.monte_carlo({**H100, "pue": spec}, n=200_000, seed=2)
    it_power = 100_000 * 700 * 1.82 * 1.10
    expected = [it_power * triangular_ppf(q / 100, 1.1, 1.2, 1.6) for q in (5, 50, 95)]
    p = r.percentiles["facility_power_w"]
    assert_allclose([p[5], p[50], p[95]], expected, rtol=2e-3)
    assert_allclose(r.samples["facility_power_w"].mean(), it_power * spec.mean, rtol=1e-3)


def test_monte_carlo_lognormal_percentiles():
    spec = dist.LogNormal(median=700, p95=900)
    r = u.monte_carlo({"gpus": 1, "gpu_watts": spec}, n=200_000, seed=3)
    p = r.percentiles["accelerator_power_w"]
    assert_allclose([p[5], p[50], p[95]], [spec.low, 700, 900], rtol=4e-3)
    assert r.clipped == {"gpu_watts": 0.0}


def test_monte_carlo_percentiles_equal_numpy():
    # 10^6 samples go through the selection path; ties and sorted data are its hard cases.
    specs = {**H100, "gpu_watts": dist.Triangular(600, 700, 750), "pue": dist.LogNormal(1.25, 1.4),
             "utilization": "0.6..0.9"}
    r = u.monte_carlo(specs, n=1_000_000, seed=4, percentiles=(0, 0.1, 5, 33.3, 50, 95, 99.9, 100))
    for name, samples in r.samples.items():
        q = list(r.percentiles[name])
        assert_array_equal(list(r.percentiles[name].values()), np.percentile(samples, q), err_msg=name)
    for data in (np.sort(r.samples["facility_power_w"]), np.round(r.samples["facility_power_w"], -7)):
        assert_array_equal(u._percentiles(data, np.array([5.0, 50.0, 95.0])),
                           np.percentile(data, [5, 50, 95]))


def test_monte_carlo_percentile_method():
    r = u.monte_carlo({**H100, "pue": "1.1..1.3"}, n=1000, seed=0)
    assert_allclose(r.percentile("facility_power_w", 25),
                    np.percentile(r.samples["facility_power_w"], 25), rtol=1e-15)
    assert r.percentile("facility_power_w", [10, 90]).shape == (2,)


# Monte Carlo: reproducibility


def test_monte_carlo_same_seed_same_samples():
    specs = {**H100, "pue": dist.LogNormal(1.3, 1.5), "gpu_watts": "600/700/800"}
    a, b = u.monte_carlo(specs, n=1000, seed=7), u.monte_carlo(specs, n=1000, seed=7)
    for name in a.samples:
        assert_array_equal(a.samples[name], b.samples[name])
    assert a.percentiles == b.percentiles


def test_monte_carlo_different_seed_different_samples():
    specs = {**H100, "pue": "1.1..1.3"}
    a, b = u.monte_carlo(specs, n=1000, seed=7), u.monte_carlo(specs, n=1000, seed=8)
    assert not np.array_equal(a.inputs["pue"], b.inputs["pue"])


def test_monte_carlo_seed_none_is_recorded():
    specs = {**H100, "pue": "1.1..1.3"}
    a = u.monte_carlo(specs, n=100, seed=None)
    assert_array_equal(u.monte_carlo(specs, n=100, seed=a.seed).inputs["pue"], a.inputs["pue"])


def test_monte_carlo_fields_have_their_own_streams():
    # Adding a range for one field leaves another field's samples unchanged.
    one = u.monte_carlo({**H100, "pue": "1.1..1.3"}, n=500, seed=5)
    two = u.monte_carlo({**H100, "pue": "1.1..1.3", "gpu_watts": "600..800"}, n=500, seed=5)
    assert_array_equal(one.inputs["pue"], two.inputs["pue"])
    assert_array_equal(u.draw({**H100, "pue": "1.1..1.3"}, n=500, seed=5)["pue"], one.inputs["pue"])


# Monte Carlo: the model is run on the samples, and only there


def test_monte_carlo_vector_equals_scalar():
    specs = {**H100, "gpu_watts": "600..800", "pue": dist.LogNormal(1.3, 1.5), "utilization": "0.6/0.8/0.9",
             "hours": 8760, "electricity_price": "0.05..0.1"}
    r = u.monte_carlo(specs, n=50, seed=9)
    for i in (0, 17, 49):
        point = {k: float(v[i]) for k, v in r.inputs.items()}
        one = estimate(Scenario(**point))
        for name in ("facility_power_w", "energy_wh", "cost", "watts_per_gpu"):
            assert_allclose(r.samples[name][i], getattr(one, name), rtol=1e-15, err_msg=name)


def test_monte_carlo_gpus_per_gigawatt_from_solve():
    specs = {**H100, "server_overhead": "1.5/1.82/1.9", "pue": "1.1..1.4"}
    r = u.monte_carlo(specs, n=100, seed=1)
    x = r.inputs
    assert_allclose(r.samples["gpus_per_gigawatt"],
                    gpus_for_power(1e9, 700, x["server_overhead"], 1.10, x["pue"]), rtol=1e-15)
    # DESIGN.md: 1 GW holds about 595,000 H100 at the likely values
    assert 5e5 < r.percentiles["gpus_per_gigawatt"][50] < 7e5


def test_monte_carlo_outputs_absent_without_their_assumption():
    r = u.monte_carlo({**H100, "pue": "1.1..1.3"}, n=10)
    assert "cost" not in r.samples and "facility_power_w" in r.samples
    with pytest.raises(ValueError, match="output cost needs"):
        u.monte_carlo({**H100, "pue": "1.1..1.3"}, n=10, outputs=["cost"])


def test_monte_carlo_selected_outputs_and_percentiles():
    r = u.monte_carlo({**H100, "pue": "1.1..1.3"}, n=10, outputs=["it_power_w"], percentiles=(10, 90))
    assert list(r.samples) == ["it_power_w"] and list(r.percentiles["it_power_w"]) == [10, 90]


def test_monte_carlo_without_ranges_gives_arrays():
    r = u.monte_carlo(H100, n=5)
    assert r.samples["facility_power_w"].shape == (5,)
    assert_allclose(r.percentiles["facility_power_w"][50], 100_000 * 700 * 1.82 * 1.10 * 1.2, rtol=1e-15)


def test_monte_carlo_base_scenario():
    base = Scenario(**H100, hours=8760)
    r = u.monte_carlo({"pue": "1.1..1.3"}, n=100, base=base)
    assert "energy_wh" in r.samples and set(r.inputs) == {"pue"}


def test_monte_carlo_base_must_hold_single_values():
    base = Scenario(gpus=[1, 2], gpu_watts=700)
    with pytest.raises(ValueError, match=r"gpus in base must be a single value"):
        u.monte_carlo({"pue": "1.1..1.3"}, n=10, base=base)


# Validity: ranges checked against their field, tails clipped to its domain


@pytest.mark.parametrize("field, spec, match", [
    ("pue", dist.Uniform(0.9, 1.2), r"pue low must be >= 1 \(got 0.9\)"),
    ("pue", "0.9/1.1/1.3", r"pue low must be >= 1 \(got 0.9\)"),
    ("pue", dist.LogNormal(1.05, 1.3), r"pue P5 must be >= 1"),
    ("utilization", "0.5..1.5", r"utilization high must be in \(0, 1\]"),
    ("gpus", dist.Triangular(-5, 10, 20), r"gpus low must be > 0"),
    ("gpu_watts", "600..2e7", r"gpu_watts high must be <= 1e\+06"),
])
def test_monte_carlo_range_outside_field_rule(field, spec, match):
    with pytest.raises(ValueError, match=match):
        u.monte_carlo({**H100, field: spec}, n=10)


def test_monte_carlo_unknown_field():
    with pytest.raises(ValueError, match=r"unknown assumption 'peu' \(did you mean 'pue'\?"):
        u.monte_carlo({**H100, "peu": "1.1..1.3"}, n=10)


def test_monte_carlo_unknown_output():
    with pytest.raises(ValueError, match=r"unknown output 'facility_power' \(did you mean 'facility_power_w'"):
        u.monte_carlo(H100, n=10, outputs=["facility_power"])


def test_monte_carlo_missing_required_field():
    with pytest.raises(ValueError, match="gpu_watts is required"):
        u.monte_carlo({"gpus": 10, "pue": "1.1..1.3"}, n=10)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n=0), ValueError, "n must be >= 1"),
    (dict(n=10.5), TypeError, "n must be a whole number"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(percentiles=(5, 150)), ValueError, r"percentiles\[1\] must be <= 100"),
])
def test_monte_carlo_invalid_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        u.monte_carlo({**H100, "pue": "1.1..1.3"}, **kwargs)


def test_monte_carlo_lognormal_tail_clipped_at_field_rule():
    # PUE median 1.3, P95 1.5: sigma = ln(1.5/1.3)/1.645 = 0.087, so P(PUE < 1) = Φ(-3.02) ≈ 0.13%.
    r = u.monte_carlo({**H100, "pue": dist.LogNormal(1.3, 1.5)}, n=400_000, seed=11)
    pue = r.inputs["pue"]
    assert pue.min() == 1.0
    assert r.clipped["pue"] == np.count_nonzero(pue == 1.0) / pue.size
    assert_allclose(r.clipped["pue"], 0.00127, rtol=0.15)


def test_monte_carlo_fraction_tail_clipped_at_one():
    r = u.monte_carlo({**H100, "utilization": dist.LogNormal(0.8, 0.95)}, n=100_000, seed=12)
    assert r.inputs["utilization"].max() == 1.0 and 0 < r.clipped["utilization"] < 0.05
    assert r.samples["average_facility_power_w"].max() <= r.samples["facility_power_w"].max()


# Tornado


def test_tornado_ranks_by_swing():
    # Facility power is a product, so each swing is (P95 - P5) × the others' product:
    # gpus ±50% beats PUE 1.1–1.3 beats gpu_watts 690–710. A uniform range's P5 and P95 are
    # low + 0.05 and 0.95 of its width.
    specs = {**H100, "gpus": "50000..150000", "pue": "1.1..1.3", "gpu_watts": "690..710"}
    rows = u.tornado(specs)
    assert [r.field for r in rows] == ["gpus", "pue", "gpu_watts"]
    base = 100_000 * 700 * 1.82 * 1.10 * 1.2
    top = rows[0]
    assert_allclose([top.low_value, top.high_value], [55_000, 145_000], rtol=1e-15)
    assert_allclose([top.output_at_low, top.output_at_high, top.base_output], [base * 0.55, base * 1.45, base],
                    rtol=1e-14)
    assert_allclose(top.swing, base * 0.9, rtol=1e-14)
    assert_allclose(rows[1].swing, base / 1.2 * 0.2 * 0.9, rtol=1e-12)


def test_tornado_every_bar_on_the_same_band():
    # Uniform, triangular and log-normal ranges each span their own P5 to P95 (inverse CDFs by hand:
    # uniform low + q (high - low); triangular low + sqrt(q (high - low)(mode - low)) below the mode's
    # quantile, high - sqrt((1 - q)(high - low)(high - mode)) above; log-normal its given P5 and P95).
    specs = {**H100, "gpu_watts": dist.Uniform(600, 800), "server_overhead": dist.Triangular(1.5, 1.82, 2.0),
             "pue": dist.LogNormal(1.2, 1.4)}
    rows = {r.field: r for r in u.tornado(specs)}
    assert_allclose([rows["gpu_watts"].low_value, rows["gpu_watts"].high_value], [610, 790], rtol=1e-14)
    tri_low = 1.5 + math.sqrt(0.05 * 0.5 * 0.32)
    tri_high = 2.0 - math.sqrt(0.05 * 0.5 * 0.18)
    assert_allclose([rows["server_overhead"].low_value, rows["server_overhead"].high_value],
                    [tri_low, tri_high], rtol=1e-14)
    assert_allclose([rows["pue"].low_value, rows["pue"].high_value], [1.2**2 / 1.4, 1.4], rtol=1e-12)
    # and each band holds 90 % of its own samples
    drawn = u.draw({k: specs[k] for k in rows}, n=400_000, seed=3)
    for field, row in rows.items():
        inside = np.mean((drawn[field] >= row.low_value) & (drawn[field] <= row.high_value))
        assert_allclose(inside, 0.90, atol=0.003)
    others = {k: specs[k].likely for k in ("gpu_watts", "pue")}
    assert_allclose(rows["server_overhead"].output_at_high,
                    100_000 * others["gpu_watts"] * tri_high * 1.10 * others["pue"], rtol=1e-14)
    wide = {r.field: r for r in u.tornado({**H100, "gpu_watts": dist.Uniform(600, 800)}, band=(0, 100))}
    assert (wide["gpu_watts"].low_value, wide["gpu_watts"].high_value) == (600, 800)


@pytest.mark.parametrize("band, match", [((95, 5), "lower to a higher"), ((5, 101), "band"),
                                         ("5..95", "two percentiles"), ((0, 95), "unbounded end")])
def test_tornado_invalid_band(band, match):
    with pytest.raises((ValueError, TypeError), match=match):
        u.tornado({**H100, "pue": dist.LogNormal(1.2, 1.4)}, band=band)


def test_tornado_uses_likely_values_and_lognormal_p5_p95():
    # The others sit at their likely values: a triangle's mode, a log-normal's median.
    specs = {**H100, "pue": dist.LogNormal(1.25, 1.4), "gpu_watts": dist.Triangular(600, 650, 800)}
    rows = {r.field: r for r in u.tornado(specs, output="it_power_w")}
    assert_allclose(rows["pue"].swing, 0.0, atol=1e-6)  # PUE does not move IT power
    assert_allclose(rows["gpu_watts"].base_output, 100_000 * 650 * 1.82 * 1.10, rtol=1e-14)
    facility = {r.field: r for r in u.tornado(specs)}
    assert_allclose(facility["pue"].low_value, 1.25**2 / 1.4, rtol=1e-14)
    assert_allclose(facility["pue"].output_at_high, 100_000 * 650 * 1.82 * 1.10 * 1.4, rtol=1e-14)


def test_tornado_derived_output_and_no_ranges():
    rows = u.tornado({**H100, "pue": "1.1..1.3"}, output="gpus_per_gigawatt")
    assert rows[0].output_at_low > rows[0].output_at_high  # a higher PUE fits fewer accelerators
    assert u.tornado(H100) == []


# Sobol indices


def test_sobol_product_of_lognormals_analytic():
    # For Y = Π X_i with independent log-normal X_i (log-sd σ_i), E[Y | X_i] = X_i Π_{j≠i} E[X_j], so
    # S_i = (exp(σ_i²) − 1) / (exp(Σσ²) − 1) and S_Ti = 1 − (exp(Σσ² − σ_i²) − 1) / (exp(Σσ²) − 1).
    # Cost = gpus × gpu_watts × hours × price / 1000: the fields have no bounds to clip at.
    sigma = {"gpus": 0.3, "gpu_watts": 0.2, "hours": 0.1, "electricity_price": 0.05}
    specs = {"gpus": lognormal(1e5, 0.3), "gpu_watts": lognormal(700, 0.2), "hours": lognormal(5000, 0.1),
             "electricity_price": lognormal(0.08, 0.05)}
    r = u.sobol_first_order(specs, output="cost", n=2**15, seed=0)
    total = sum(s**2 for s in sigma.values())
    for name, s in sigma.items():
        first = (math.exp(s**2) - 1) / (math.exp(total) - 1)
        assert abs(r.first_order[name] - first) < 0.03, name  # sampling sd ≈ 0.006 at N = 2^15
        total_index = 1 - (math.exp(total - s**2) - 1) / (math.exp(total) - 1)
        assert abs(r.total_order[name] - total_index) < 0.03, name
    assert list(r.first_order) == ["gpus", "gpu_watts", "hours", "electricity_price"]
    assert 0 < r.interactions < 0.1


def test_sobol_single_range_takes_all_variance():
    r = u.sobol_first_order({**H100, "pue": "1.1..1.3", "mfu": "0.3..0.5"}, n=4096, seed=1)
    assert_allclose(r.first_order["pue"], 1.0, atol=0.05)
    assert_allclose(r.first_order["mfu"], 0.0, atol=1e-12)  # MFU does not move facility power
    assert_allclose(r.total_order["mfu"], 0.0, atol=1e-12)


def test_sobol_reproducible_and_without_ranges():
    specs = {**H100, "pue": "1.1..1.3", "gpu_watts": "600/700/800"}
    assert u.sobol_first_order(specs, n=256, seed=3) == u.sobol_first_order(specs, n=256, seed=3)
    empty = u.sobol_first_order(H100)
    assert empty.first_order == {} and empty.variance == 0.0


def test_sobol_invalid_n():
    with pytest.raises(ValueError, match="n must be >= 2"):
        u.sobol_first_order({**H100, "pue": "1.1..1.3"}, n=1)


def test_monte_carlo_progress_same_results():
    specs = {**H100, "gpu_watts": dist.Triangular(600, 700, 750), "pue": dist.LogNormal(1.2, 1.35),
             "utilization": "0.6..0.9"}
    n = 2 * u.PROGRESS_BLOCK + 17
    plain = u.monte_carlo(specs, n=n, seed=11)
    calls = []
    reported = u.monte_carlo(specs, n=n, seed=11, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, n), (u.PROGRESS_BLOCK, n), (2 * u.PROGRESS_BLOCK, n), (n, n)]
    assert reported.percentiles == plain.percentiles
    assert set(reported.samples) == set(plain.samples)
    for name, values in plain.samples.items():
        assert_array_equal(reported.samples[name], values)
    assert reported.clipped == plain.clipped


def test_monte_carlo_progress_nothing_varies():
    calls = []
    r = u.monte_carlo(H100, n=10, progress=lambda done, total: calls.append(done))
    assert calls == [0, 10]
    assert r.samples["facility_power_w"].shape == (10,)


# --------------------------------------------------------------------------- the dashboard's ranges
H100_SERVER = 10_200 / (8 * 700)  # NVIDIA DGX H100 user guide: 10.2 kW for 8 × 700 W


def _nameplate(**changes) -> Scenario:
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 100_000, "mfu": 0.4,
                       "hours": 8760, **changes})


def test_default_ranges_spread_of_methodologies():
    d = u.default_ranges(_nameplate(), "h100-sxm")
    assert list(d) == [f for f in Scenario.field_names() if getattr(_nameplate(), f) is not None]
    # methodologies.toml: PUE 1.1 (Epoch AI training-cost-trends) to 1.4 (Epoch AI GPU share): that
    # width, ±0.15, centred on nameplate's 1.2
    assert_allclose([d["pue"]["low"], d["pue"]["likely"], d["pue"]["high"]], [1.05, 1.2, 1.35], rtol=1e-12)
    assert "Epoch AI" in d["pue"]["source"] and "1.4" in d["pue"]["source"] and "centred" in d["pue"]["source"]
    # network: 1.0 (Epoch AI) to 150 MW ÷ (100k × 1,275 W) = 1.1765, SemiAnalysis's factor calibrated to its
    # ">150MW" for 100k H100 ("100,000 H100 Clusters", 2024), centred on nameplate's 1.1
    half = (150e6 / (100_000 * 1275) - 1.0) / 2
    assert_allclose([d["network_overhead"]["low"], d["network_overhead"]["high"]], [1.1 - half, 1.1 + half],
                    rtol=1e-12)
    # server: 1.53 (Epoch AI GPU share) to DGX H100's 10.2 kW ÷ 8 × 700 W, centred on the DGX figure
    half = (H100_SERVER - 1.53) / 2
    assert_allclose([d["server_overhead"]["low"], d["server_overhead"]["high"]],
                    [H100_SERVER - half, H100_SERVER + half], rtol=1e-12)
    # utilization 1.0 sits at the edge of (0, 1]: a centred range has no width, and the source says so
    assert d["utilization"]["low"] == d["utilization"]["high"] == 1.0
    assert "edge of the valid values" in d["utilization"]["source"]


def test_default_ranges_narrowed_symmetrically_near_an_edge():
    d = u.default_ranges(_nameplate(pue=1.05, utilization=0.5), "h100-sxm")
    assert_allclose([d["pue"]["low"], d["pue"]["high"]], [1.0, 1.1], rtol=1e-12)  # ±0.15 narrowed to ±0.05
    assert "narrowed on both sides" in d["pue"]["source"]
    # utilization 0.75 (Epoch AI) to 1.0: ±0.125 around 0.5
    assert_allclose([d["utilization"]["low"], d["utilization"]["high"]], [0.375, 0.625], rtol=1e-12)
    only = u.default_ranges(_nameplate(), "h100-sxm", methodologies=["neutral", "nameplate"])
    assert_allclose([only["pue"]["low"], only["pue"]["high"]], [1.1, 1.3], rtol=1e-12)


def test_default_ranges_lognormal_symmetric_on_a_log_scale():
    d = u.default_ranges(_nameplate(electricity_price=0.08), "h100-sxm", distribution="lognormal")
    factor = math.sqrt(1.4 / 1.1)  # PUE presets 1.1 to 1.4: their ratio's square root each way
    assert_allclose([d["pue"]["low"], d["pue"]["high"]], [1.2 / factor, 1.2 * factor], rtol=1e-12)
    assert_allclose([d["electricity_price"]["low"], d["electricity_price"]["high"]], [0.08 / 1.25, 0.1],
                    rtol=1e-12)
    for field, r in d.items():  # the median of every log-normal range is the value
        spec = dist.spec_from_range(field, r["low"], r["likely"], r["high"], "lognormal")
        assert_allclose(spec.percentile(50), r["likely"], rtol=1e-9)
    with pytest.raises(ValueError, match="distribution must be one of"):
        u.default_ranges(_nameplate(), "h100-sxm", distribution="normal")


def test_default_ranges_bands_and_fixed_fields():
    d = u.default_ranges(_nameplate(electricity_price=0.08, carbon_intensity=0.4, wue=0.3, mfu=0.9,
                                    accelerator_cost=30_000, facility_cost_per_w=10),
                         "h100-sxm")
    assert_allclose([d["gpu_watts"]["low"], d["gpu_watts"]["high"]], [647.5, 752.5], rtol=1e-12)
    # MFU ±25 % would pass 1: both sides narrowed to ±0.1
    assert_allclose([d["mfu"]["low"], d["mfu"]["high"]], [0.8, 1.0], rtol=1e-12)
    assert "arXiv:2407.21783" in d["mfu"]["source"]
    assert_allclose([d["electricity_price"]["low"], d["electricity_price"]["high"]], [0.06, 0.1], rtol=1e-12)
    assert_allclose([d["wue"]["low"], d["wue"]["high"]], [0.15, 0.45], rtol=1e-12)
    assert_allclose([d["accelerator_cost"]["low"], d["facility_cost_per_w"]["high"]], [22_500, 12.5], rtol=1e-12)
    for field in ("gpus", "hours", "peak_flop_per_s"):
        assert d[field]["low"] == d[field]["likely"] == d[field]["high"] == getattr(_nameplate(), field)
    for r in d.values():
        assert r["low"] <= r["likely"] <= r["high"] and r["source"]
        assert_allclose(r["low"] + r["high"], 2 * r["likely"], rtol=1e-12)  # centred


@pytest.mark.parametrize("shape", dist.RANGE_SHAPES)
def test_default_ranges_p50_within_two_percent_of_the_point_estimate(shape):
    # The dashboard's starting scenario (H100, nameplate, 100k accelerators, MFU 0.4, a year) with a price,
    # grid intensity, WUE and capital costs: with every default range centred, each output's Monte Carlo
    # median sits within 2 % of the single-value estimate (it was 5 % below for facility power when the
    # ranges ran from the presets' lowest to highest value).
    s = _nameplate(electricity_price=0.08, carbon_intensity=0.4, wue=0.3, accelerator_cost=30_000,
                   facility_cost_per_w=10, hardware_life_years=5, facility_life_years=15)
    specs = {k: dist.spec_from_range(k, r["low"], r["likely"], r["high"], shape)
             for k, r in u.default_ranges(s, "h100-sxm", distribution=shape).items()}
    outputs = ["facility_power_w", "average_facility_power_w", "gpus_per_gigawatt", "energy_wh", "cost",
               "emissions_kg", "water_l", "total_cost", "sustained_flop_per_s"]
    result = u.monte_carlo(specs, n=100_000, seed=0, outputs=outputs)
    point = u.evaluate(s, outputs)
    for output in outputs:
        assert_allclose(result.percentiles[output][50], point[output], rtol=0.02, err_msg=output)


def test_default_ranges_give_valid_specs():
    # every default range is accepted by the library in every shape
    for part in catalog.accelerators():
        s = Scenario.from_accelerator(part, gpus=1000, methodology="epoch-ai", hours=24)
        for field, r in u.default_ranges(s, part).items():
            for shape in dist.RANGE_SHAPES:
                dist.spec_from_range(field, r["low"], r["likely"], r["high"], shape)


def test_default_ranges_invalid():
    with pytest.raises(ValueError, match="unknown accelerator"):
        u.default_ranges(_nameplate(), "h1000")
    with pytest.raises(ValueError, match="pue must be a single value"):
        u.default_ranges(_nameplate(pue=[1.1, 1.2]), "h100-sxm")


def test_histogram():
    h = u.histogram([1.0, 2.0, 2.0, 3.0, 4.0], bins=3)
    assert_allclose(h["start"], [1.0, 2.0, 3.0])
    assert_allclose(h["end"], [2.0, 3.0, 4.0])
    assert_array_equal(h["count"], [1, 2, 2])
    assert_allclose(h["share"], [0.2, 0.4, 0.4])
    assert u.histogram(np.full(10, 5.0), 4)["count"].sum() == 10
    with pytest.raises(ValueError, match="bins"):
        u.histogram([1.0], 0)
    with pytest.raises(ValueError, match="empty"):
        u.histogram([])


def test_uncertainty_summary_equals_monte_carlo():
    specs = {"gpus": 1000, "gpu_watts": "600..800", "pue": dist.LogNormal(1.2, 1.4)}
    out = u.uncertainty_summary(specs, ["facility_power_w", "gpus_per_gigawatt"], n=5000, seed=3, bins=10)
    ref = u.monte_carlo(specs, n=5000, seed=3, outputs=["facility_power_w", "gpus_per_gigawatt"])
    assert out["percentiles"] == ref.percentiles
    assert out["n"] == 5000 and out["seed"] == 3
    assert out["clipped"] == ref.clipped
    h = out["histograms"]["facility_power_w"]
    assert h["count"].sum() == 5000 and len(h["start"]) == 10
    assert h["start"][0] == ref.samples["facility_power_w"].min()
    calls = []
    again = u.uncertainty_summary(specs, ["facility_power_w"], n=5000, seed=3,
                                  progress=lambda done, total: calls.append((done, total)))
    assert again["percentiles"]["facility_power_w"] == ref.percentiles["facility_power_w"]
    assert calls[0] == (0, 5000) and calls[-1] == (5000, 5000)


def test_default_ranges_of_the_serving_assumptions():
    d = u.default_ranges(_nameplate(tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0, load_factor=0.9),
                         "h100-sxm")
    assert_allclose([d["tokens_per_s_per_gpu"]["low"], d["tokens_per_s_per_gpu"]["high"]], [1500.0, 4500.0],
                    rtol=1e-12)
    assert_allclose([d["tokens_per_query"]["low"], d["tokens_per_query"]["high"]], [250.0, 750.0], rtol=1e-12)
    # ±25 % would pass 1: both sides narrow together, so the range stays centred on 0.9.
    assert_allclose([d["load_factor"]["low"], d["load_factor"]["high"]], [0.8, 1.0], rtol=1e-12)
    assert "ML.ENERGY" in d["tokens_per_s_per_gpu"]["source"]


def test_serving_outputs_under_ranges_follow_the_formula():
    # energy per query ∝ tokens_per_query ÷ tokens_per_s_per_gpu: with the throughput uniform on [2k, 4k]
    # and 500 tokens, every sample lies between the values at 4k and at 2k tokens/s.
    s = _nameplate(tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0)
    specs = {"tokens_per_s_per_gpu": dist.Uniform(2000.0, 4000.0)}
    base = {k: v for k, v in s.to_dict().items() if v is not None and k != "tokens_per_s_per_gpu"}
    specs.update({k: dist.Fixed(v) for k, v in base.items()})
    result = u.monte_carlo(specs, n=20_000, seed=1, outputs=["energy_per_query_wh", "queries_per_day"])
    at_2k = u.evaluate(s.replace(tokens_per_s_per_gpu=2000.0), ["energy_per_query_wh", "queries_per_day"])
    at_4k = u.evaluate(s.replace(tokens_per_s_per_gpu=4000.0), ["energy_per_query_wh", "queries_per_day"])
    p = result.percentiles
    assert at_4k["energy_per_query_wh"] <= p["energy_per_query_wh"][5] <= p["energy_per_query_wh"][95] <= (
        at_2k["energy_per_query_wh"])
    # Queries a day are linear in the throughput: the median of a uniform is its midpoint, 3k tokens/s.
    assert_allclose(p["queries_per_day"][50], u.evaluate(s, ["queries_per_day"])["queries_per_day"], rtol=0.02)
