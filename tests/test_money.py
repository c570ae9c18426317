"""Capital and total cost: estimator.money, its registry fields and the doors that read them."""

from __future__ import annotations

import contextlib
import io as stdio

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import estimator
from estimator import cli, fields, io, links, money, units
from estimator import estimate as estimate_any
from estimator.scenario import Scenario, estimate

# Illustrative figures, not presets: H100 about $25k–$40k per GPU in press
# reports (2°); Turner & Townsend's 2025–2026 index, USD 12.0/W in London,
# 13.3 in Silicon Valley; a DGX H100 is 10.2 kW for 8 × 700 W (ratio 1.82).
MONEY = dict(accelerator_cost=40_000.0, facility_cost_per_w=12.0, hardware_life_years=5.0,
             facility_life_years=20.0)
FLEET = dict(gpus=100_000, gpu_watts=700, server_overhead=1.82, network_overhead=1.10, pue=1.2,
             utilization=0.75, hours=8760, electricity_price=0.08)


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize("text", ["12", "$12/W", "12 $/W", "12 USD/W", "$12M/MW", "$12B/GW", "$12,000/kW",
                                  "€12 per watt", "12 eur/W"])
def test_parse_capital_per_watt_spellings(text):
    assert units.parse(text, "$/W", field="facility_cost_per_w") == 12.0


def test_parse_capital_per_watt_needs_a_power_denominator():
    with pytest.raises(ValueError, match="facility_cost_per_w: cannot read '\\$12/kWh' as a cost per watt"):
        units.parse("$12/kWh", "$/W", field="facility_cost_per_w")
    with pytest.raises(ValueError, match="cost per watt was given"):
        units.parse("$12/W", "$/kWh", field="electricity_price")


def test_parse_money_and_years_for_the_money_inputs():
    assert units.parse("$40k", "$") == 40_000.0
    assert units.parse("60 months", "years") == 5.0
    assert units.parse("8%", "ratio") == 0.08
    assert units.to_unit(12.0, "$/kW", from_unit="$/W") == 12_000.0


def test_format_capital_per_watt():
    assert units.format_value(12.0, "$/W") == "$12.0/W"
    assert units.format_value(12.0, fields.FIELDS["facility_cost_per_w"].unit_text) == "$12.0/W"
    assert units.format_header("Facility cost", "currency/W", scaled_to="$/kW") == "Facility cost [$/kW]"


# --------------------------------------------------------------------------- kernels


def test_hardware_capex_scalar():
    assert money.hardware_capex(100_000, 40_000) == 4e9


def test_hardware_capex_array():
    assert_allclose(money.hardware_capex(np.array([1.0, 2.0]), 10.0), [10.0, 20.0], rtol=0)


def test_hardware_capex_invalid():
    with pytest.raises(ValueError, match=r"^accelerator_cost must be > 0 \(got 0\.0\)$"):
        money.hardware_capex(10, 0.0)
    with pytest.raises(ValueError, match=r"^accelerator_cost\[1\] must be > 0 \(got -1\.0\)$"):
        money.hardware_capex(10, [5.0, -1.0])


def test_facility_capex_scalar():
    # 150 MW of critical IT (SemiAnalysis's 100k-H100 cluster) at $12/W
    assert money.facility_capex(150e6, 12.0) == 1.8e9


def test_facility_capex_invalid():
    with pytest.raises(ValueError, match=r"^facility_cost_per_w must be >= 0 \(got -1\.0\)$"):
        money.facility_capex(1e6, -1.0)
    with pytest.raises(ValueError, match=r"^facility_cost_per_w must be <= 1000"):
        money.facility_capex(1e6, 12_000.0)  # a $/kW figure typed as $/W


def test_capital_recovery_factor_known_value():
    # 8% over 5 years: 0.08 / (1 − 1.08^−5) = 0.2504564545...
    assert_allclose(money.capital_recovery_factor(0.08, 5), 0.08 / (1 - 1.08 ** -5), rtol=1e-14)
    assert_allclose(money.capital_recovery_factor(0.08, 5), 0.2504564545, rtol=1e-9)


def test_capital_recovery_factor_zero_rate_is_straight_line():
    assert money.capital_recovery_factor(0.0, 4) == 0.25


def test_capital_recovery_factor_small_rate_is_continuous():
    # no cancellation as r → 0: the annuity tends to 1/life from above
    crf = money.capital_recovery_factor(1e-12, 5)
    assert_allclose(crf, 0.2, rtol=1e-11)
    assert crf > 0.2


def test_capital_recovery_factor_array_equals_scalar():
    r = np.array([0.0, 0.03, 0.08, 0.5, 1.0])
    life = np.array([[5.0], [20.0]])
    vector = money.capital_recovery_factor(r, life)
    assert vector.shape == (2, 5)
    for i in range(2):
        for j in range(5):
            assert vector[i, j] == money.capital_recovery_factor(float(r[j]), float(life[i, 0]))


def test_capital_recovery_factor_invalid():
    with pytest.raises(ValueError, match=r"^discount_rate must be <= 1"):
        money.capital_recovery_factor(1.5, 5)
    with pytest.raises(ValueError, match=r"^discount_rate must be >= 0 \(got -0\.1\)$"):
        money.capital_recovery_factor(-0.1, 5)


def test_amortized_capex_straight_line():
    # 4e9 over 5 years + 1.8e9 over 20 years, for one year
    assert money.amortized_capex(4e9, 1.8e9, 8760, 5, 20) == 8.9e8
    # half a year is half of it
    assert money.amortized_capex(4e9, 1.8e9, 4380, 5, 20) == 4.45e8


def test_amortized_capex_zero_rate_equals_none():
    assert_allclose(money.amortized_capex(4e9, 1.8e9, 8760, 5, 20, 0.0),
                    money.amortized_capex(4e9, 1.8e9, 8760, 5, 20), rtol=1e-15)


def test_amortized_capex_with_discount_rate():
    expected = 4e9 * 0.08 / (1 - 1.08 ** -5) + 1.8e9 * 0.08 / (1 - 1.08 ** -20)
    assert_allclose(money.amortized_capex(4e9, 1.8e9, 8760, 5, 20, 0.08), expected, rtol=1e-14)


def test_total_cost_and_cost_per_gpu_hour():
    assert money.total_cost(8.9e8, 1.1e8) == 1e9
    assert_allclose(money.cost_per_gpu_hour(1e9, 100_000, 8760), 1e9 / 876e6, rtol=1e-15)


def test_gpus_for_capex_example():
    # $10B at $40k per accelerator and $12/W of IT, H100 in DGX servers (1.82) with 1.10 for the network
    gpus = estimator.gpus_for_capex(10e9, accelerator_cost=40_000, facility_cost_per_w=12.0, gpu_watts=700,
                                    server_overhead=1.82, network_overhead=1.10)
    assert_allclose(gpus, 10e9 / (40_000 + 700 * 1.82 * 1.10 * 12.0), rtol=1e-15)
    assert int(gpus) == 176_004


def test_gpus_for_capex_array_equals_scalar():
    budgets = np.array([1e9, 1e10, 5e10])
    costs = np.array([[25_000.0], [40_000.0]])
    vector = money.gpus_for_capex(budgets, costs, 12.0, 700, 1.82, 1.1)
    assert vector.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert vector[i, j] == money.gpus_for_capex(float(budgets[j]), float(costs[i, 0]), 12.0, 700, 1.82, 1.1)


def test_gpus_for_capex_invalid():
    with pytest.raises(ValueError, match=r"^capex_budget must be > 0 \(got -1\.0\)$"):
        money.gpus_for_capex(-1.0, 40_000, 12, 700)
    with pytest.raises(ValueError, match=r"^server_overhead must be >= 1 \(got 0\.5\)$"):
        money.gpus_for_capex(1e9, 40_000, 12, 700, server_overhead=0.5)
    with pytest.raises(TypeError, match="capex_budget must be a number, not text"):
        money.gpus_for_capex("10B", 40_000, 12, 700)


@settings(max_examples=200, deadline=None)
@given(budget=st.floats(1e6, 1e12), cost=st.floats(1e3, 1e6), per_w=st.floats(0.0, 50.0),
       watts=st.floats(50.0, 2000.0), server=st.floats(1.0, 3.0), network=st.floats(1.0, 1.5))
def test_gpus_for_capex_round_trips_with_capex(budget, cost, per_w, watts, server, network):
    gpus = money.gpus_for_capex(budget, cost, per_w, watts, server, network)
    s = Scenario(gpus=gpus, gpu_watts=watts, server_overhead=server, network_overhead=network,
                 accelerator_cost=cost, facility_cost_per_w=per_w)
    assert_allclose(estimate(s).capex, budget, rtol=1e-12)


# --------------------------------------------------------------------------- the chain


def test_estimate_money_outputs():
    r = estimate(Scenario(**FLEET, **MONEY))
    it = 100_000 * 700 * 1.82 * 1.10
    assert r.hardware_capex == 4e9
    assert_allclose(r.facility_capex, it * 12.0, rtol=1e-15)
    assert_allclose(r.capex, 4e9 + it * 12.0, rtol=1e-15)
    assert_allclose(r.amortized_capex, 4e9 / 5 + it * 12.0 / 20, rtol=1e-15)
    energy_cost = it * 1.2 * 0.75 * 8760 / 1000 * 0.08
    assert_allclose(r.cost, energy_cost, rtol=1e-15)
    assert_allclose(r.total_cost, r.amortized_capex + energy_cost, rtol=1e-15)
    assert_allclose(r.cost_per_gpu_hour, r.total_cost / (100_000 * 8760), rtol=1e-15)


def test_estimate_capex_without_hours():
    values = {k: v for k, v in FLEET.items() if k != "hours"}
    r = estimate(Scenario(**values, **MONEY))
    assert r.capex is not None and r.hardware_capex == 4e9
    assert r.amortized_capex is None and r.total_cost is None and r.cost_per_gpu_hour is None


@pytest.mark.parametrize("absent", ["accelerator_cost", "facility_cost_per_w", "hardware_life_years",
                                    "facility_life_years", "hours", "electricity_price"])
def test_money_outputs_none_exactly_as_the_registry_says(absent):
    given_values = {**FLEET, **MONEY, absent: None}
    r = estimate(Scenario(**given_values))
    for name in ("hardware_capex", "facility_capex", "capex", "amortized_capex", "total_cost",
                 "cost_per_gpu_hour"):
        missing = fields.missing_for(name, given_values)
        assert (getattr(r, name) is None) == bool(missing), name


def test_estimate_discount_rate_raises_amortized_capex():
    plain = estimate(Scenario(**FLEET, **MONEY))
    discounted = estimate(Scenario(**FLEET, **MONEY, discount_rate=0.08))
    zero = estimate(Scenario(**FLEET, **MONEY, discount_rate=0.0))
    assert discounted.amortized_capex > plain.amortized_capex
    assert_allclose(zero.amortized_capex, plain.amortized_capex, rtol=1e-15)


def test_estimate_money_broadcasts():
    r = estimate(Scenario(**FLEET, **{**MONEY, "accelerator_cost": np.array([25_000.0, 40_000.0])}))
    assert r.capex.shape == (2,) and r.cost_per_gpu_hour.shape == (2,)
    assert r.facility_capex.shape == (2,)


def test_estimate_money_vector_equals_scalar():
    costs = np.array([25_000.0, 30_000.0, 40_000.0])
    rates = np.array([0.0, 0.05, 0.1])
    vector = estimate(Scenario(**FLEET, **{**MONEY, "accelerator_cost": costs}, discount_rate=rates))
    for i in range(3):
        one = estimate(Scenario(**FLEET, **{**MONEY, "accelerator_cost": float(costs[i])},
                                discount_rate=float(rates[i])))
        for name in ("capex", "amortized_capex", "total_cost", "cost_per_gpu_hour"):
            assert_allclose(getattr(vector, name)[i], getattr(one, name), rtol=1e-15, err_msg=name)


def test_money_inputs_are_validated_by_scenario():
    with pytest.raises(ValueError, match=r"^hardware_life_years must be > 0 \(got 0\.0\)$"):
        Scenario(gpus=1, gpu_watts=700, hardware_life_years=0.0)
    with pytest.raises(ValueError, match=r"^accelerator_cost must be <= 1e\+08"):
        Scenario(gpus=1, gpu_watts=700, accelerator_cost=1e9)
    with pytest.raises(TypeError, match="did you mean 'accelerator_cost'"):
        Scenario(gpus=1, gpu_watts=700, accelerator_costs=1)


def test_estimate_dispatches_scenarios_and_refuses_other_things():
    s = Scenario(**FLEET, **MONEY)
    assert estimate_any(s) == estimate(s)
    with pytest.raises(TypeError, match="takes a Scenario or a Campus"):
        estimate_any({"gpus": 1})


def test_total_cost_is_labelled_not_a_full_tco():
    assert "not a full TCO" in fields.FIELDS["total_cost"].help


# --------------------------------------------------------------------------- doors


TOML = """
name = "100k H100 with money"
accelerator = "h100-sxm"
gpus = "100k"
hours = "1 year"
electricity_price = "$0.08/kWh"
accelerator_cost = "$40k"
facility_cost_per_w = "$12M/MW"
hardware_life_years = "5 years"
facility_life_years = 20
discount_rate = "8%"
"""


def test_file_door_reads_money_inputs():
    s = io.loads(TOML)
    assert (s.accelerator_cost, s.facility_cost_per_w, s.hardware_life_years, s.discount_rate) == (
        40_000.0, 12.0, 5.0, 0.08)
    r = estimate(s)
    assert_allclose(r.capex, 100_000 * 40_000 + r.it_power_w * 12.0, rtol=1e-15)
    assert r.total_cost is not None
    assert io.loads(io.dumps(s)) == s


def test_file_door_refuses_a_bad_money_value():
    with pytest.raises(ValueError, match="facility_cost_per_w"):
        io.loads('accelerator = "h100-sxm"\ngpus = 10\nfacility_cost_per_w = "$12/kWh"\n')


def test_link_door_round_trips_money_inputs():
    values = {"accelerator_cost": 40_000.0, "facility_cost_per_w": 12.0, "hardware_life_years": 5.0,
              "facility_life_years": 20.0, "discount_rate": 0.08}
    state = links.read(links.write({"accelerator": "h100-sxm"}, values))
    assert state.values == values and not state.unknown and not state.problems
    state = links.read({"accelerator": "h100-sxm", "facility_cost_per_w": "$12M/MW"})
    assert state.values == {"facility_cost_per_w": 12.0}


def test_preset_door_takes_money_overrides():
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, accelerator_cost=30_000, facility_cost_per_w=11)
    assert s.provenance["accelerator_cost"].origin == "user"
    assert estimate(s).hardware_capex == 3e7


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.skipif("accelerator_cost" not in getattr(cli, "_FIELD_HELP", {"accelerator_cost": 0}),
                    reason="this CLI keeps its own help table; the registry-derived CLI reads the money inputs")
def test_cli_door_reads_money_inputs():
    import json

    status, out, err = _cli(["power", "--accelerator", "h100-sxm", "--gpus", "100k", "--hours", "8760",
                             "--accelerator-cost", "$40k", "--facility-cost-per-w", "$12/W", "--format", "json"])
    assert status == 0, err
    doc = json.loads(out)
    text = json.dumps(doc)
    assert "capex" in text and "hardware_capex" in text


# --------------------------------------------------------------------------- redundancy and provisioning


def test_redundancy_factor_levels():
    assert money.redundancy_factor("N") == 1.0
    assert money.redundancy_factor("n+1", modules=4) == 1.25
    assert money.redundancy_factor("N+1", modules=2) == 1.5
    assert money.redundancy_factor("2N") == 2.0


@pytest.mark.parametrize("level, modules", [("3N", 4), ("N+1", 0), ("N+1", True), (2, 4)])
def test_redundancy_factor_invalid(level, modules):
    with pytest.raises(ValueError, match=r"redundancy|modules"):
        money.redundancy_factor(level, modules=modules)


def test_facility_cost_factor_by_hand():
    # 2N doubles the electrical part: 1 + 0.40 × (2 − 1) = 1.4; N+1 of 4 modules: 1 + 0.40 × 0.25 = 1.1.
    assert_allclose(money.facility_cost_factor(2.0), 1.4, rtol=1e-15)
    assert_allclose(money.facility_cost_factor(1.25), 1.1, rtol=1e-15)
    assert_allclose(money.facility_cost_factor(2.0, 0.5), 1.5, rtol=1e-15)
    assert_allclose(money.facility_cost_factor(1.0, 0.9), 1.0, rtol=0)


@settings(max_examples=50, deadline=None)
@given(st.floats(1.0, 3.0), st.floats(1.0, 3.0), st.floats(0.01, 1.0))
def test_facility_capex_grows_with_redundancy(a, b, share):
    low, high = sorted((a, b))
    assert money.facility_capex(1e8, 12.0, low, share) <= money.facility_capex(1e8, 12.0, high, share)


def test_estimate_redundancy_and_headroom_by_hand():
    s = Scenario(**FLEET, **MONEY, headroom=0.2, redundancy=2.0, accelerators_per_rack=32)
    r = estimate(s)
    it = 100_000 * 700 * 1.82 * 1.10
    assert_allclose(r.facility_capex, it * 12.0 * 1.4, rtol=1e-12)
    assert_allclose(r.grid_connection_w, it * 1.2 * 1.2, rtol=1e-12)
    assert_allclose(r.racks, 100_000 / 32, rtol=1e-15)
    assert_allclose(r.rack_power_w, 32 * 700 * 1.82, rtol=1e-12)
    plain = estimate(Scenario(**FLEET, **MONEY))
    assert plain.grid_connection_w is None and plain.racks is None
    assert_allclose(plain.facility_capex, it * 12.0, rtol=1e-12)


def test_gpus_for_capex_with_redundancy_inverts_capex():
    n = money.gpus_for_capex(10e9, 40_000, 12.0, 700, 1.82, 1.10, redundancy=2.0)
    r = estimate(Scenario(gpus=n, gpu_watts=700, server_overhead=1.82, network_overhead=1.10,
                          accelerator_cost=40_000, facility_cost_per_w=12.0, redundancy=2.0))
    assert_allclose(r.capex, 10e9, rtol=1e-12)


@pytest.mark.parametrize("text, value", [("N", 1.0), ("n+1", 1.25), ("2N", 2.0), (" 2 N ", 2.0), ("1.5", 1.5)])
def test_redundancy_reads_the_planners_spelling(text, value):
    assert units.parse(text, "ratio", field="redundancy") == value
    assert io.scenario_from_dict({"gpus": 10, "gpu_watts": 700, "server_overhead": 1.0,
                                  "redundancy": text}).redundancy == value


def test_redundancy_spelling_invalid():
    with pytest.raises(ValueError, match=r"N, N\+1 .* or 2N"):
        units.parse("3N", "ratio", field="redundancy")
    with pytest.raises(ValueError, match="pue"):
        units.parse("2N", "ratio", field="pue")


def test_cli_redundancy_2n_equals_library():
    out = stdio.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["power", "--accelerator", "h100-sxm", "--gpus", "100k", "--accelerator-cost", "40k",
                         "--facility-cost-per-w", "12", "--redundancy", "2N", "--format", "json"]) == 0
    got = __import__("json").loads(out.getvalue())["results"]
    s = Scenario.from_accelerator("h100-sxm", gpus=100_000, accelerator_cost=40_000, facility_cost_per_w=12,
                                  redundancy=2.0)
    assert_allclose(got["facility_capex"], estimate(s).facility_capex, rtol=1e-12)
