"""Tests of the address-bar links of the dashboard (estimator.links)."""

import pytest

from estimator import fields, links, units
from estimator.scenario import Scenario, preset_assumptions


def _h100(**changes):
    return Scenario(**{**preset_assumptions("h100-sxm", "nameplate"), "gpus": 16_384, "mfu": 0.41, **changes})



def test_query_round_trip():
    s = _h100(hours=2160, electricity_price=0.0826, peak_flop_per_s=1978.9e12)
    presets = {"accelerator": "h100-sxm", "methodology": "nameplate", "site": None, "precision": "fp8"}
    params = links.query_from_scenario(s, presets)
    assert all(isinstance(v, str) for v in params.values())
    assert "site" not in params and "wue" not in params
    fields, back = links.scenario_from_query(params)
    assert Scenario(**{k: v for k, v in fields.items() if v is not None}) == s
    assert back == presets


def test_query_round_trip_keeps_cleared_preset_value_cleared():
    # The site sets a price; the user cleared it: the address must not bring it back.
    presets = {"accelerator": "h100-sxm", "methodology": "epoch-ai", "site": "us-hyperscale-2025"}
    values = preset_assumptions(**presets)
    del values["electricity_price"]
    s = Scenario(**values, gpus=1000)
    params = links.query_from_scenario(s, presets)
    assert params["electricity_price"] == ""
    fields, _ = links.scenario_from_query(params)
    assert fields["electricity_price"] is None
    assert Scenario(**{k: v for k, v in fields.items() if v is not None}) == s


def test_scenario_from_query_fills_from_presets():
    fields, presets = links.scenario_from_query({"accelerator": "B200", "methodology": "nameplate",
                                                 "precision": "fp8", "gpus": "1000", "pue": "1.3"})
    assert presets["accelerator"] == "b200"
    assert fields["gpu_watts"] == 1000 and fields["server_overhead"] == 1.7875 and fields["pue"] == 1.3
    assert fields["peak_flop_per_s"] == 4.5e15
    with pytest.raises(ValueError, match="needs an accelerator"):
        links.scenario_from_query({"methodology": "nameplate", "gpus": "1", "gpu_watts": "1"})


def test_scenario_from_query_defaults_fill_what_the_link_leaves_out():
    defaults = {"gpus": 100_000.0, "hours": 8760.0, "mfu": 0.4}
    fields, presets = links.scenario_from_query({"accelerator": "b200", "pue": "1.3", "wue": ""}, defaults,
                                                {"accelerator": "h100-sxm", "methodology": "nameplate"})
    assert presets["accelerator"] == "b200" and presets["methodology"] == "nameplate"
    assert fields["gpus"] == 100_000 and fields["hours"] == 8760 and fields["mfu"] == 0.4
    assert fields["network_overhead"] == 1.1 and fields["pue"] == 1.3 and fields["wue"] is None
    # A preset's value wins over a default; an empty field stays "not given".
    fields, _ = links.scenario_from_query({"methodology": "epoch-ai", "hours": ""}, defaults,
                                          {"accelerator": "h100-sxm"})
    assert fields["mfu"] == 0.375 and fields["hours"] is None
    with pytest.raises(ValueError, match="gpus is required"):
        links.scenario_from_query({"gpus": ""}, defaults, {"accelerator": "h100-sxm"})


def test_query_from_scenario_writes_empty_where_a_default_would_fill():
    s = _h100()  # no period
    params = links.query_from_scenario(s, {"accelerator": "h100-sxm"}, {"hours": 8760.0, "mfu": 0.4})
    assert params["hours"] == ""
    fields, _ = links.scenario_from_query(params, {"hours": 8760.0, "mfu": 0.4})
    assert fields == s.to_dict()


def test_query_from_scenario_rejects_arrays():
    with pytest.raises(ValueError, match="array"):
        links.query_from_scenario(_h100(pue=[1.1, 1.2]), {})


@pytest.mark.parametrize(("params", "match"), [
    ({"gpus": "1000", "gpu_watts": "700", "pue": "0.5"}, "pue must be >= 1"),
    ({"gpus": "abc", "gpu_watts": "700"}, "gpus must be a number"),
    ({"gpus": "nan", "gpu_watts": "700"}, "gpus must be > 0 and finite"),
    ({"gpus": "1e400", "gpu_watts": "700"}, "gpus"),
    ({"gpus": "1000"}, "gpu_watts is required"),
    ({"gpus": "1000", "gpu_watts": "700", "puee": "1.2"}, "did you mean 'pue'"),
    ({"gpus": "1000", "gpu_watts": "700", "accelerator": "h1000"}, "unknown accelerator"),
    ({"gpus": "1000", "gpu_watts": "700", "precision": "fp4"}, "precision"),
    ({"gpus": "1000", "gpu_watts": "700", "mfu": "2"}, "mfu must be in"),
])
def test_scenario_from_query_invalid(params, match):
    with pytest.raises(ValueError, match=match):
        links.scenario_from_query(params)


def test_scenario_from_query_presets_cached_and_not_shared():
    a = links.scenario_from_query({"accelerator": "h100-sxm", "gpus": "10"})
    a[1]["accelerator"] = "changed"
    a[0]["pue"] = 99.0
    b = links.scenario_from_query({"accelerator": "h100-sxm", "gpus": "10"})
    assert b[1]["accelerator"] == "h100-sxm"
    # Without a methodology the default one ("nameplate") applies, as at every preset door.
    assert b[0]["gpu_watts"] == 700.0 and b[0]["pue"] == 1.2
    with pytest.raises(TypeError, match="must be a str"):
        links.scenario_from_query({"accelerator": ["h100-sxm"], "gpus": "10", "gpu_watts": "700"})


# --------------------------------------------------------------------------- read / write: links that travel

def test_write_then_read_round_trips_presets_typed_values_and_page_parameters():
    presets = {"accelerator": "gb200", "methodology": "epoch-ai", "site": "meta-fleet", "precision": "fp8",
               "date": "2025-03-01"}
    values = {"gpus": 72_000.0, "pue": 1.15, "hours": 2160.0, "wue": None, "mfu": 0.41234567890123}
    extra = {"explorer.budget": "1 GW", "sweeps.pues": "1.1,1.2"}
    params = links.write(presets, values, extra)
    assert all(isinstance(v, str) for v in params.values())
    assert params["wue"] == "" and params["gpus"] == "72000"
    state = links.read(params, {"explorer.budget": lambda t: units.parse(t, "W"), "sweeps.pues": str})
    assert state.presets == presets
    assert state.values == values  # exactly: numbers are written with repr
    assert state.extra == extra
    assert not state.unknown and not state.problems


def test_read_takes_units_as_files_and_the_cli_do():
    state = links.read({"gpus": "100k", "hours": "90 days", "gpu_watts": "1.2 kW", "electricity_price": "80 USD/MWh",
                        "peak_flop_per_s": "989 TFLOP/s", "mfu": "40%"})
    assert state.values == {"gpus": 100_000.0, "hours": 2160.0, "gpu_watts": 1200.0,
                            "electricity_price": pytest.approx(0.08), "peak_flop_per_s": 989e12, "mfu": 0.4}
    assert not state.problems


def test_read_ignores_unknown_parameters_and_names_the_closest_key():
    state = links.read({"utm_source": "newsletter", "fbclid": "IwAR", "puee": "1.3", "GPU-Watts": "700",
                        "pue": "1.2"})
    assert state.values == {"pue": 1.2}
    assert dict(state.unknown) == {"utm_source": None, "fbclid": None, "puee": "pue", "GPU-Watts": "gpu_watts"}
    assert not state.problems


@pytest.mark.parametrize(("params", "fragment"), [
    ({"pue": "0.9"}, "pue='0.9' was dropped: pue must be >= 1 (got 0.9)"),
    ({"gpus": "abc"}, "gpus='abc' was dropped: gpus: cannot read 'abc'"),
    ({"gpus": "nan"}, "gpus='nan' was dropped: gpus must be > 0 and finite (got nan)"),
    ({"hours": "inf"}, "hours='inf' was dropped: hours must be > 0 and finite (got inf)"),
    ({"gpus": "1e400"}, "gpus='1e400' was dropped"),
    ({"gpus": ""}, "gpus='' was dropped: gpus is required in a shared address"),
    ({"mfu": "2"}, "mfu='2' was dropped"),
    ({"accelerator": "h1000"}, "accelerator='h1000' was dropped: unknown accelerator"),
    ({"precision": "fp4"}, "precision='fp4' was dropped: precision must be one of bf16, fp8"),
    ({"date": "yesterday"}, "date='yesterday' was dropped"),
    ({"accelerator": "a100-sxm", "precision": "fp8"}, "precision='fp8' was dropped: accelerator 'a100-sxm' has no"),
])
def test_read_drops_only_the_bad_value(params, fragment):
    state = links.read({**params, "network_overhead": "1.1"})
    (problem,) = state.problems
    assert problem.startswith(fragment), problem
    assert state.values.get("network_overhead") == 1.1  # the rest is kept


def test_read_applies_the_callers_check_and_page_checkers():
    def widget(name, value):
        if name == "gpu_watts" and value < 1:
            raise ValueError("gpu_watts must be between 1 and 1e+06 W in the dashboard (got 0.5 W)")

    def budget(text):
        if units.parse(text, "W") < 1e7:
            raise ValueError(f"explorer.budget must be between 10 MW and 10 GW (got {text})")

    state = links.read({"gpu_watts": "0.5", "explorer.budget": "5 kW", "explorer.days": "9"},
                       {"explorer.budget": budget, "explorer.days": int}, widget)
    assert state.values == {} and state.extra == {"explorer.days": "9"}
    assert [p.split(" was")[0] for p in state.problems] == ["gpu_watts='0.5'", "explorer.budget='5 kW'"]


def test_read_never_raises_on_hostile_text():
    hostile = ["<script>", "\x00", "1" * 5000, "💥", "1e308", "-inf", "[1,2]", "**1**"]
    for text in hostile:
        state = links.read({"gpus": text, "accelerator": text, "site": text, text: "1"})
        assert "gpus" not in state.values or state.values["gpus"] > 0
        assert all(len(p) < 500 for p in state.problems)  # user text and messages are cut short


def test_a_field_added_to_the_registry_travels_in_a_link():
    fields.register(fields.Field("test_knob", "W", "Test knob", "test", rule="positive", maximum=1e6))
    try:
        params = links.write({"accelerator": "h100-sxm"}, {"test_knob": 5.0})
        assert params == {"accelerator": "h100-sxm", "test_knob": "5"}
        assert links.read({**params, "test_knob": "7 kW"}).values == {"test_knob": 7000.0}
        assert links.read({"test_knob": "-1"}).problems
    finally:
        fields.unregister("test_knob")
    assert links.read({"test_knob": "5"}).unknown == [("test_knob", None)]
