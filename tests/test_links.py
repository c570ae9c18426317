"""Tests of the address-bar links of the dashboard (estimator.links)."""

import re

import pytest

from estimator import catalog, fields, links, resolve, units
from estimator.scenario import Scenario


def _scenario(params: dict[str, str]) -> Scenario:
    """What a link means, resolved as at every door."""
    state = links.read(params)
    assert not state.problems and not state.unknown, (state.problems, state.unknown)
    return Scenario._resolved(resolve.resolve(values=state.values, **state.presets))


def test_link_round_trip_equals_the_scenario():
    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41, hours=2160, electricity_price=0.0826,
                                  precision="fp8", methodology="nameplate")
    params = links.write(s.presets, s.user_values())
    assert all(isinstance(v, str) for v in params.values())
    assert "site" not in params and "wue" not in params and "gpu_watts" not in params  # presets stay presets
    back = _scenario(params)
    assert back == s and back.presets == s.presets
    assert back.provenance["gpu_watts"].describe() == "accelerator h100-sxm"


def test_link_keeps_a_cleared_preset_value_cleared():
    # The site sets a price; the user cleared it: the address must not bring it back.
    params = links.write({"accelerator": "h100-sxm", "site": "us-hyperscale-2025"},
                         {"gpus": 1000.0, "electricity_price": None})
    assert params["electricity_price"] == ""
    state = links.read(params)
    assert state.values["electricity_price"] is None


def test_link_fills_from_presets():
    s = _scenario({"accelerator": "B200", "methodology": "nameplate", "precision": "fp8", "gpus": "1000",
                   "pue": "1.3"})
    assert s.presets["accelerator"] == "b200"
    assert s.gpu_watts == 1000 and s.server_overhead == 1.7875 and s.pue == 1.3
    assert s.peak_flop_per_s == 4.5e15


def test_link_without_an_accelerator_needs_server_overhead():
    state = links.read({"methodology": "nameplate", "gpus": "1", "gpu_watts": "1"})
    with pytest.raises(ValueError, match="server_overhead must be given"):
        resolve.resolve(values=state.values, **state.presets)


def test_write_refuses_arrays():
    with pytest.raises(ValueError, match="array"):
        links.write({}, {"pue": [1.1, 1.2]})


@pytest.mark.parametrize(("params", "match"), [
    ({"gpus": "1000", "gpu_watts": "700", "pue": "0.5"}, "pue must be >= 1"),
    ({"gpus": "abc", "gpu_watts": "700"}, "gpus"),
    ({"gpus": "nan", "gpu_watts": "700"}, "gpus must be > 0 and finite"),
    ({"gpus": "1e400", "gpu_watts": "700"}, "gpus"),
    ({"gpus": "1000", "gpu_watts": "700", "accelerator": "h1000"}, "unknown accelerator"),
    ({"gpus": "1000", "gpu_watts": "700", "precision": "fp4"}, "precision"),
    ({"gpus": "1000", "gpu_watts": "700", "mfu": "2"}, "mfu must be in"),
])
def test_read_drops_a_bad_value_and_names_it(params, match):
    state = links.read(params)
    assert len(state.problems) == 1 and re.search(match, state.problems[0]), state.problems
    assert "gpus" in state.values or "gpus" in state.problems[0]


def test_read_refuses_non_text_values_without_raising():
    state = links.read({"accelerator": ["h100-sxm"], "gpus": "10"})
    assert state.values == {"gpus": 10.0} and "must be text" in state.problems[0]


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
        own = {k: v for k, v in params.items() if not k.startswith(links.CATALOG_PARAM)}
        assert own == {"accelerator": "h100-sxm", "test_knob": "5"}
        assert links.read({**params, "test_knob": "7 kW"}).values == {"test_knob": 7000.0}
        assert links.read({"test_knob": "-1"}).problems
    finally:
        fields.unregister("test_knob")
    assert links.read({"test_knob": "5"}).unknown == [("test_knob", None)]


# --------------------------------------------------------------------------- catalogue version

def _made_with_another_catalogue(params: dict[str, str], then: dict[str, str]) -> dict[str, str]:
    """The link as an older catalogue would have written it: its version and some other preset values."""
    return {**params, "catalog": "2025.06", **{links.RECORDED_PREFIX + k: v for k, v in then.items()}}


def test_link_records_the_catalogue_version_and_the_preset_values():
    params = links.write({"accelerator": "h100-sxm", "methodology": "nameplate"}, {"gpus": 1000.0, "pue": 1.3})
    assert params["catalog"] == catalog.VERSION
    # What the presets gave, in the fields' units; the user's own pue is not recorded twice.
    assert params["catalog.gpu_watts"] == "700" and params["catalog.peak_flop_per_s"] == "9.894e14"
    assert "catalog.pue" not in params and "catalog.gpus" not in params
    assert float(params["catalog.server_overhead"]) == catalog.accelerator("h100-sxm").server_overhead.value
    # No preset, nothing from the catalogue: no version either.
    assert "catalog" not in links.write({}, {"gpus": 1.0, "gpu_watts": 1.0, "server_overhead": 1.0})


def test_link_of_the_same_catalogue_ignores_the_recorded_values():
    params = links.write({"accelerator": "h100-sxm"}, {"gpus": 1000.0})
    edited = {**params, "catalog.gpu_watts": "650"}  # the same version: the presets give the values
    state = links.read(edited)
    assert state.notice is None and state.catalogue.pinned == {}
    s = Scenario._resolved(resolve.resolve(values=state.values, **state.presets, pinned=state.catalogue))
    assert s == Scenario.from_accelerator("h100-sxm", gpus=1000.0)


def test_link_of_another_catalogue_opens_with_its_values_and_names_the_changes():
    params = links.write({"accelerator": "h100-sxm", "methodology": "nameplate"}, {"gpus": 1000.0, "pue": 1.3})
    old = _made_with_another_catalogue(params, {"gpu_watts": "650", "network_overhead": "1.05"})
    state = links.read(old)
    assert not state.problems and not state.unknown
    r = resolve.resolve(values=state.values, **state.presets, pinned=state.catalogue)
    assert r.values["gpu_watts"] == 650.0 and r.values["network_overhead"] == 1.05
    assert r.values["pue"] == 1.3  # the user's value, as typed
    assert r.provenance["gpu_watts"].origin == "pinned"
    assert r.provenance["gpu_watts"].describe() == "pinned: catalogue 2025.06"
    assert r.provenance["gpu_watts"].preset_value == 700.0  # what a reset goes back to
    assert "made with catalogue 2025.06" in state.notice and f"now catalogue {catalog.VERSION}" in state.notice
    assert "gpu_watts (h100-sxm) 650 W then, 700 W now" in state.notice
    assert "network_overhead (nameplate)" in state.notice
    assert "peak_flop_per_s" not in state.notice  # only the values that differ are listed


def test_link_of_another_catalogue_with_the_same_values_says_none_differs(monkeypatch):
    monkeypatch.setattr(catalog, "VERSION", "2025.06")
    params = links.write({"accelerator": "h100-sxm"}, {"gpus": 1000.0})
    assert params["catalog"] == "2025.06"
    monkeypatch.undo()
    state = links.read(params)
    assert "none of its recorded preset values differs" in state.notice
    r = resolve.resolve(values=state.values, **state.presets, pinned=state.catalogue)
    assert Scenario._resolved(r) == Scenario.from_accelerator("h100-sxm", gpus=1000.0)


@pytest.mark.parametrize(("params", "match"), [
    ({"catalog": "26.12"}, "catalog must be a catalogue version YYYY.MM or YYYY.MM.N"),
    ({"catalog": "2026.13"}, "got '2026.13'"),
    ({"catalog.gpu_watts": "-5"}, "gpu_watts must be > 0"),
])
def test_link_bad_catalogue_parameter_is_dropped_with_its_rule(params, match):
    state = links.read({"accelerator": "h100-sxm", **params})
    assert any(match in p for p in state.problems), state.problems


def test_link_unknown_recorded_field_is_named_with_the_closest():
    state = links.read({"accelerator": "h100-sxm", "catalog.gpu_wats": "700"})
    assert state.unknown == [("catalog.gpu_wats", "catalog.gpu_watts")]
