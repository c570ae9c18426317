"""Tests of the address-bar links of the dashboard (estimator.links)."""

import pytest

from estimator import links
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
    assert b[0]["gpu_watts"] == 700.0 and b[0]["pue"] == 1.0
    with pytest.raises(TypeError, match="must be a str"):
        links.scenario_from_query({"accelerator": ["h100-sxm"], "gpus": "10", "gpu_watts": "700"})
