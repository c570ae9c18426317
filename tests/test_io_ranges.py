"""Tests of scenario files with ranges: estimator.io.loads_uncertain / dumps_uncertain and friends."""

import json
import math
import os
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from estimator import Scenario, distributions, estimate, io, uncertainty
from estimator.distributions import Fixed, LogNormal, Triangular, Uniform

BASE = "gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\n"


def with_base(line: str) -> str:
    """A valid file's content with ``line`` added (replacing the base's line of the same key)."""
    key = line.split("=")[0].strip()
    return "".join(f"{k} = {v}\n" for k, v in (("gpus", 1000), ("gpu_watts", 700), ("server_overhead", 1))
                   if k != key) + line + "\n"

# The forms of the issue, in TOML; numbers inside may carry units.
RANGES_TOML = """\
name = "100k H100 with ranges"
accelerator = "h100-sxm"
gpus = "100k"
pue = { low = 1.1, likely = 1.2, high = 1.4 }
gpu_watts = { distribution = "uniform", low = "650 W", high = "750 W" }
mfu = { distribution = "lognormal", median = 0.4, p95 = 0.5 }
server_overhead = "1.5..1.9"
utilization = "60%/75%/85%"
hours = "60 days..90 days"
electricity_price = "lognormal:$0.05/kWh..$0.10/kWh"
wue = "triangular:0.2/0.3/0.5"
carbon_intensity = 0.4
"""

RANGES_JSON = json.dumps({
    "accelerator": "h100-sxm",
    "gpus": "100k",
    "pue": {"low": 1.1, "likely": 1.2, "high": 1.4},
    "gpu_watts": {"distribution": "uniform", "low": "650 W", "high": "750 W"},
    "mfu": {"distribution": "lognormal", "median": 0.4, "p95": 0.5},
    "server_overhead": "1.5..1.9",
    "utilization": "60%/75%/85%",
    "hours": "60 days..90 days",
    "electricity_price": "lognormal:$0.05/kWh..$0.10/kWh",
    "wue": "triangular:0.2/0.3/0.5",
    "carbon_intensity": 0.4,
})

EXPECTED_SPECS = {
    "gpu_watts": Uniform(650.0, 750.0),
    "server_overhead": Uniform(1.5, 1.9),
    "pue": Triangular(1.1, 1.2, 1.4),
    "utilization": Triangular(0.6, 0.75, 0.85),
    "hours": Uniform(1440.0, 2160.0),  # 60 and 90 days × 24 h
    "electricity_price": LogNormal.from_interval(0.05, 0.10),  # P5 and P95
    "wue": Triangular(0.2, 0.3, 0.5),
    "mfu": LogNormal(0.4, 0.5),
}


@pytest.mark.parametrize("text, fmt", [(RANGES_TOML, "toml"), (RANGES_JSON, "json")], ids=["toml", "json"])
def test_loads_uncertain_every_form(text, fmt):
    s, specs = io.loads_uncertain(text, fmt)
    assert specs == EXPECTED_SPECS
    assert list(specs) == [k for k in Scenario.field_names() if k in specs]  # declaration order
    # The Scenario holds each range's likely value; the rest as given or from the preset.
    assert s.gpus == 100_000.0
    assert s.gpu_watts == 700.0  # midpoint of 650..750
    assert s.pue == 1.2 and s.utilization == 0.75 and s.wue == 0.3 and s.mfu == 0.4
    assert s.server_overhead == 0.5 * (1.5 + 1.9)
    assert s.hours == 1800.0
    assert_allclose(s.electricity_price, math.sqrt(0.05 * 0.10), rtol=1e-15)  # log-normal median
    assert s.carbon_intensity == 0.4
    assert s.peak_flop_per_s == Scenario.from_accelerator("h100-sxm", gpus=1).peak_flop_per_s
    assert estimate(s).facility_power_w > 0  # the point estimate still works


@pytest.mark.parametrize("fmt", io.FORMATS)
@pytest.mark.parametrize("text", [RANGES_TOML, RANGES_JSON], ids=["from-toml", "from-json"])
def test_dumps_loads_uncertain_round_trip_exact(fmt, text):
    s, specs = io.loads_uncertain(text, "json" if text.startswith("{") else "toml")
    assert io.loads_uncertain(io.dumps_uncertain(s, specs, fmt), fmt) == (s, specs)


@pytest.mark.parametrize("fmt", io.FORMATS)
def test_dumps_uncertain_every_distribution_round_trip_exact(fmt):
    specs = {"gpus": Fixed(16_384.0), "gpu_watts": Uniform(650.0, 750.0), "pue": Triangular(1.1, 1.2, 1.4),
             "mfu": LogNormal.from_mu_sigma(math.log(0.4), 0.1), "hours": LogNormal.from_interval(100.0, 200.0)}
    s = Scenario(**{k: v.likely for k, v in specs.items()}, peak_flop_per_s=989e12)
    loaded = io.loads_uncertain(io.dumps_uncertain(s, specs, fmt), fmt)
    assert loaded == (s, specs)
    assert {k: v.to_dict() for k, v in loaded[1].items()} == {k: v.to_dict() for k, v in specs.items()}


def test_dumps_uncertain_toml_text():
    s, specs = io.loads_uncertain('gpus = 1000\npue = "1.1/1.2/1.4"\ngpu_watts = "650W..750W"\nserver_overhead = 1\n')
    text = io.dumps_uncertain(s, specs, name="ranges")
    assert 'gpu_watts = { distribution = "uniform", low = 650.0, high = 750.0 }  # [W]' in text
    assert 'pue = { distribution = "triangular", low = 1.1, likely = 1.2, high = 1.4 }  # [unitless]' in text
    assert "estimator uncertainty FILE" in text.splitlines()[1]
    assert tomllib.loads(text)["name"] == "ranges"


def test_dumps_uncertain_json_objects():
    s, specs = io.loads_uncertain(BASE + "mfu = { distribution = \"lognormal\", median = 0.4, p95 = 0.5 }\n")
    data = json.loads(io.dumps_uncertain(s, specs, "json"))
    assert data["mfu"] == {"distribution": "lognormal", "median": 0.4, "p95": 0.5}
    assert data["gpus"] == 1000.0


def test_dumps_uncertain_reads_specs_like_a_file():
    """Specs may be written as in a file (text with units, tables, numbers)."""
    s = Scenario(gpus=1000, gpu_watts=700)
    text = io.dumps_uncertain(s, {"gpu_watts": "650 W..750 W", "pue": {"low": 1.1, "high": 1.3}, "mfu": 0.4})
    _, specs = io.loads_uncertain(text)
    assert specs == {"gpu_watts": Uniform(650.0, 750.0), "pue": Uniform(1.1, 1.3), "mfu": Fixed(0.4)}


def test_dumps_uncertain_range_wins_over_the_scenario_value():
    """As in monte_carlo(specs, base=s): a ranged field's own value is not written."""
    s = Scenario(gpus=1000, gpu_watts=700, pue=1.5)
    loaded, specs = io.loads_uncertain(io.dumps_uncertain(s, {"pue": Triangular(1.1, 1.2, 1.4)}))
    assert loaded.pue == 1.2 and specs == {"pue": Triangular(1.1, 1.2, 1.4)}


def test_dumps_uncertain_range_of_an_absent_field():
    s = Scenario(gpus=1000, gpu_watts=700)  # no hours
    text = io.dumps_uncertain(s, {"hours": Uniform(100.0, 200.0)}, "json")
    assert list(json.loads(text)) == ["gpus", "gpu_watts", "server_overhead", "network_overhead", "pue",
                                      "utilization", "hours"]  # mfu: not given, not written


def test_dumps_uncertain_unknown_field_invalid():
    with pytest.raises(ValueError, match=r"unknown key 'PUE' in scenario \(did you mean 'pue'\?"):
        io.dumps_uncertain(Scenario(gpus=1, gpu_watts=1), {"PUE": "1.1..1.2"})


def test_dumps_uncertain_bad_range_invalid():
    with pytest.raises(ValueError, match=r"^pue low must be >= 1 \(got 0\.9\)$"):
        io.dumps_uncertain(Scenario(gpus=1, gpu_watts=1), {"pue": "0.9..1.2"})


def test_dumps_uncertain_specs_not_mapping_invalid():
    with pytest.raises(TypeError, match="specs must be a mapping"):
        io.dumps_uncertain(Scenario(gpus=1, gpu_watts=1), [("pue", 1.2)])


def test_loads_uncertain_without_ranges_equals_loads():
    text = io.dumps(Scenario(gpus=1000, gpu_watts=700, pue=[1.1, 1.2], hours=24))
    s, specs = io.loads_uncertain(text)
    assert (s, specs) == (io.loads(text), {})


def test_loads_uncertain_explicit_range_beats_preset():
    s, specs = io.loads_uncertain('accelerator = "h100-sxm"\nmethodology = "nameplate"\ngpus = 1000\n'
                                  'server_overhead = "1.6..2.0"\n')
    assert specs == {"server_overhead": Uniform(1.6, 2.0)}
    assert_allclose(s.server_overhead, 1.8, rtol=1e-15)


def test_loads_uncertain_fixed_table_kept_as_range():
    s, specs = io.loads_uncertain(BASE + 'pue = { distribution = "fixed", value = 1.25 }\n')
    assert s.pue == 1.25 and specs == {"pue": Fixed(1.25)}


@pytest.mark.parametrize("text, spec", [
    ('"lognormal:median=0.4, p95=0.5"', LogNormal(0.4, 0.5)),
    ('"lognormal: median = 40%, p95 = 50%"', LogNormal(0.4, 0.5)),
    ('"lognormal:mu=-0.916290731874155, sigma=0"', LogNormal(math.exp(-0.916290731874155),
                                                            math.exp(-0.916290731874155))),
    ('"uniform:30%..50%"', Uniform(0.3, 0.5)),
    ('"Triangular:0.3/0.4/0.5"', Triangular(0.3, 0.4, 0.5)),
    ('{ distribution = "triangular", low = 0.3, mode = 0.4, high = 0.5 }', Triangular(0.3, 0.4, 0.5)),
    ('{ Low = 0.3, HIGH = 0.5 }', Uniform(0.3, 0.5)),
    ('{ distribution = "lognormal", low = 0.3, high = 0.5 }', LogNormal.from_interval(0.3, 0.5)),
])
def test_loads_uncertain_range_forms(text, spec):
    _, specs = io.loads_uncertain(BASE + f"mfu = {text}\n")
    assert specs == {"mfu": spec}


def test_loads_uncertain_units_inside_ranges():
    _, specs = io.loads_uncertain(BASE.replace("gpu_watts = 700", 'gpu_watts = "0.65 kW..750 W"')
                                  + 'hours = { low = "1 week", likely = "30 days", high = "0.25 years" }\n'
                                  + 'peak_flop_per_s = "900 TFLOP/s..1 PFLOP/s"\n'
                                  + 'carbon_intensity = "300 g/kWh..500 g/kWh"\n')
    assert specs["gpu_watts"] == Uniform(650.0, 750.0)
    assert specs["hours"] == Triangular(168.0, 720.0, 2190.0)
    assert specs["peak_flop_per_s"] == Uniform(900e12, 1e15)
    assert_allclose([specs["carbon_intensity"].low, specs["carbon_intensity"].high], [0.3, 0.5], rtol=1e-15)


def test_loads_uncertain_arrays_without_ranges_kept():
    s, specs = io.loads_uncertain(BASE + 'pue = [1.1, 1.2]\nmfu = "0.3..0.5"\n')
    assert s.pue.tolist() == [1.1, 1.2] and specs == {"mfu": Uniform(0.3, 0.5)}


def test_load_uncertain_and_save_uncertain(tmp_path):
    s, specs = io.loads_uncertain(RANGES_TOML)
    for suffix in (".toml", ".json"):
        path = io.save_uncertain(s, specs, tmp_path / f"r{suffix}", name="n", description="d")
        assert io.load_uncertain(path) == (s, specs)
        assert {k: v for k, v in io.load_mapping(path).items() if k in io.METADATA_KEYS} == {
            "name": "n", "description": "d"}


def test_save_uncertain_format_overrides_suffix(tmp_path):
    s, specs = io.loads_uncertain(BASE + 'pue = "1.1..1.2"\n')
    path = io.save_uncertain(s, specs, tmp_path / "r.txt", "json")
    assert json.loads(path.read_text())["pue"]["distribution"] == "uniform"
    assert io.loads_uncertain(path.read_text(), "json") == (s, specs)


def test_save_uncertain_atomic_failure_keeps_old_file(tmp_path, monkeypatch):
    s, specs = io.loads_uncertain(BASE + 'pue = "1.1..1.2"\n')
    target = io.save_uncertain(s, specs, tmp_path / "r.toml")
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space left"):
        io.save_uncertain(s, {"pue": "1.3..1.4"}, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.toml"]


def test_load_uncertain_error_names_path(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BASE + "pue = { low = 0.9, high = 1.4 }\n")
    with pytest.raises(ValueError, match=rf"^{path}: pue low must be >= 1 \(got 0\.9\)$"):
        io.load_uncertain(path)


def test_load_uncertain_suffix_invalid(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(BASE)
    with pytest.raises(ValueError, match="cannot tell the format"):
        io.load_uncertain(path)


# --------------------------------------------------------------------------- plain load refuses ranges

@pytest.mark.parametrize("line, error, match", [
    ("pue = { low = 1.1, likely = 1.2, high = 1.4 }", TypeError,
     r"^pue must be a number, not a table \(got \{'low': 1\.1, 'likely': 1\.2, 'high': 1\.4\}\); a range is read "
     r"by io\.load_uncertain or `estimator uncertainty FILE`, not by io\.load or `estimator run`$"),
    ('pue = "1.1..1.4"', ValueError,
     r"^pue must be a single value, not a range \(got '1\.1\.\.1\.4'\); a range is read by io\.load_uncertain"),
    ('pue = "1.1/1.2/1.4"', ValueError, r"^pue must be a single value, not a range \(got '1\.1/1\.2/1\.4'\)"),
    ('mfu = "lognormal:median=0.4, p95=0.5"', ValueError, r"^mfu must be a single value, not a range"),
    ('gpu_watts = "650 W..750 W"', ValueError, r"^gpu_watts must be a single value, not a range"),
])
def test_loads_refuses_ranges(line, error, match):
    text = with_base(line)
    with pytest.raises(error, match=match):
        io.loads(text)
    io.loads_uncertain(text)  # the message points to a loader that reads it


def test_load_refuses_ranges_names_path(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"gpus": 1, "gpu_watts": "650 W..750 W"}')
    with pytest.raises(ValueError, match=rf"^{path}: gpu_watts must be a single value, not a range"):
        io.load(path)


def test_loads_unit_text_with_slash_is_not_a_range():
    s = io.loads(BASE + 'electricity_price = "$0.08/kWh"\ncarbon_intensity = "400 g/kWh"\n')
    assert_allclose([s.electricity_price, s.carbon_intensity], [0.08, 0.4], rtol=1e-15)


@pytest.mark.parametrize("value, expected", [
    ("1.1..1.4", True), ("1.1/1.2/1.4", True), ("lognormal:0.3..0.5", True), ("uniform:1..2", True),
    ("lognormal:median=0.4, p95=0.5", True), ("Lognormal: 1", True), ("unifrom:1..2", True),
    ({"low": 1, "high": 2}, True), (Uniform(1, 2), True),
    ("1.2", False), ("700 W", False), ("$0.08/kWh", False), ("foo:1", False), (1.2, False), ([1.1, 1.2], False),
])
def test_is_range(value, expected):
    assert distributions.is_range(value) is expected


def test_range_keys_cover_uncertainty_tables():
    keys = {k for forms in distributions._TABLE_FORMS.values() for form, _ in forms for k in form}
    assert keys | {"distribution"} == set(distributions.RANGE_KEYS)


# --------------------------------------------------------------------------- bad ranges

@pytest.mark.parametrize("line, error, match", [
    # low > high
    ('pue = "1.4..1.1"', ValueError, r"^pue range '1\.4\.\.1\.1': high must be >= low \(got low=1\.4, high=1\.1\)$"),
    ('pue = "1.4/1.2/1.1"', ValueError, r"^pue range '1\.4/1\.2/1\.1': values must be ordered low <= likely <= high"),
    ("pue = { low = 1.3, likely = 1.2, high = 1.4 }", ValueError,
     r"^pue triangular range: values must be ordered low <= likely <= high"),
    ('gpu_watts = { distribution = "uniform", low = "750 W", high = "650 W" }', ValueError,
     r"^gpu_watts uniform range: high must be >= low \(got low=750\.0, high=650\.0\)$"),
    # unknown distribution, with a suggestion
    ('pue = { distribution = "unifrom", low = 1.1, high = 1.4 }', ValueError,
     r"^pue distribution 'unifrom' is not known \(did you mean 'uniform'\? valid: fixed, uniform, triangular, "
     r"lognormal\)$"),
    ('pue = "normal:1.1..1.4"', ValueError, r"^pue distribution 'normal' is not known \(did you mean 'lognormal'\?"),
    ("pue = { distribution = 3, low = 1, high = 2 }", TypeError, r"^pue distribution must be text \(got 3\)$"),
    # the field's rule at low, likely and high
    ("pue = { low = 0.9, likely = 1.2, high = 1.4 }", ValueError, r"^pue low must be >= 1 \(got 0\.9\)$"),
    ('pue = "0.9..1.4"', ValueError, r"^pue low must be >= 1 \(got 0\.9\)$"),
    ('utilization = "50%..120%"', ValueError, r"^utilization high must be in \(0, 1\] \(got 1\.2\)$"),
    ('gpus = "0..1000"', ValueError, r"^gpus low must be > 0 \(got 0\.0\)$"),
    ('gpu_watts = "700 W..2 GW"', ValueError, r"^gpu_watts high must be <= 1e\+06 \(got 2000000000\.0\)"),
    ('mfu = { distribution = "lognormal", median = 0.9, p95 = 1.2 }', ValueError,
     r"^mfu P95 must be in \(0, 1\] \(got 1\.2\)$"),
    # lognormal p95 below its median, or a median that is not positive
    ('mfu = { distribution = "lognormal", median = 0.4, p95 = 0.3 }', ValueError,
     r"^mfu lognormal range: p95 must be >= median \(got median=0\.4, p95=0\.3\)$"),
    ('electricity_price = { distribution = "lognormal", median = 0, p95 = 0.1 }', ValueError,
     r"^electricity_price lognormal range: median must be > 0 \(got 0\.0\)$"),
    # missing keys
    ("pue = { low = 1.1 }", ValueError, r"^pue range \{low\} could not be read; write \{low, likely, high\} "
                                        r"\(triangular\), \{low, high\} \(uniform\), \{median, p95\} \(lognormal\)"),
    ('pue = { distribution = "uniform", low = 1.1 }', ValueError,
     r"^pue uniform range takes \{high, low\} \(got \{low\}\)$"),
    ('mfu = { distribution = "lognormal", median = 0.4 }', ValueError,
     r"^mfu lognormal range takes \{median, p95\} or \{high, low\} or \{mu, sigma\} \(got \{median\}\)$"),
    ("pue = {}", ValueError, r"^pue range is an empty table"),
    # unknown key inside a range, with a suggestion
    ("pue = { low = 1.1, likley = 1.2, high = 1.4 }", ValueError,
     r"^unknown key 'likley' in the range of pue \(did you mean 'likely'\?; valid keys: distribution, low, likely"),
    ('mfu = "lognormal:medain=0.4, p95=0.5"', ValueError,
     r"^unknown key 'medain' in the range of mfu \(did you mean 'median'\?"),
    ("pue = { low = 1.1, high = 1.4, colour = 1 }", ValueError,
     r"^unknown key 'colour' in the range of pue \(valid keys: "),
    ("pue = { low = 1.1, Low = 1.2, high = 1.4 }", ValueError, r"^pue range gives 'low' twice$"),
    # numbers inside a range
    ("pue = { low = true, high = 1.4 }", TypeError, r"^pue low must be a number, not a boolean \(got true\)$"),
    ("pue = { low = nan, high = 1.4 }", ValueError, r"^pue low must be finite \(got nan\)$"),
    ("pue = { low = [1.1], high = 1.4 }", TypeError, r"^pue low must be a number \(got list"),
    ("pue = { low = { a = 1 }, high = 1.4 }", TypeError, r"^pue low must be a number, not a table"),
    ('gpu_watts = "650 W..750 kWh"', ValueError, r"^gpu_watts: cannot read '750 kWh' as a power \(an energy was"),
    ('gpu_watts = { low = "650 W", high = "750 kWh" }', ValueError,
     r"^gpu_watts high: cannot read '750 kWh' as a power \(an energy was"),
    ('hours = "lognormal:60 days..3 fortnights"', ValueError, r"^hours high: unknown unit 'fortnights'"),
    # text that is not a range
    ('pue = "1.1..1.2..1.3"', ValueError, r"^pue range '1\.1\.\.1\.2\.\.1\.3' could not be read"),
    ('pue = "uniform:1.1..1.2..1.3"', ValueError, r"^pue range 'uniform:1\.1\.\.1\.2\.\.1\.3' could not be read: "
                                                  r"write uniform:LOW\.\.HIGH$"),
    ('pue = "lognormal:1.2"', ValueError, r"^pue range 'lognormal:1\.2' could not be read: after 'lognormal:' write"),
    ('pue = "lognormal:median=1.2, median=1.3"', ValueError, r"repeats the key 'median'"),
    ('pue = "triangular:1.1..1.4"', ValueError, r"^pue triangular range takes \{high, likely, low\}"),
    # a range inside an array
    ('pue = ["1.1..1.2", 1.3]', ValueError, r"^pue\[0\] is a range inside an array; give one range for pue instead"),
    ("pue = [[1.1], [{ low = 1.1, high = 1.2 }]]", ValueError, r"^pue\[1, 0\] is a range inside an array"),
])
def test_loads_uncertain_bad_range_invalid(line, error, match):
    with pytest.raises(error, match=match) as info:
        io.loads_uncertain(with_base(line))
    assert "\n" not in str(info.value)


def test_loads_uncertain_lognormal_spelled_with_hyphen():
    _, specs = io.loads_uncertain(BASE + 'pue = "log-normal:1.1..1.4"\n')
    assert specs == {"pue": LogNormal.from_interval(1.1, 1.4)}


def test_loads_uncertain_json_non_finite_in_range_invalid():
    with pytest.raises(ValueError, match=r"^pue low must be finite \(got NaN\)$"):
        io.loads_uncertain('{"gpus": 1, "gpu_watts": 1, "pue": {"low": NaN, "high": 1.2}}', "json")
    with pytest.raises(TypeError, match=r"^pue low must be a number \(got null\)"):
        io.loads_uncertain('{"gpus": 1, "gpu_watts": 1, "pue": {"low": null, "high": 1.2}}', "json")


def test_loads_uncertain_file_level_checks_still_apply():
    with pytest.raises(ValueError, match=r"^unknown key 'PUE' in scenario \(did you mean 'pue'\?"):
        io.loads_uncertain(BASE + 'PUE = "1.1..1.2"\n')
    with pytest.raises(ValueError, match=r"^scenario is missing gpu_watts"):
        io.loads_uncertain('gpus = "1k..2k"\n')
    with pytest.raises(ValueError, match=r"^duplicate key 'pue'"):
        io.loads_uncertain(BASE + 'pue = "1.1..1.2"\npue = { low = 1.1, high = 1.3 }\n')


def test_read_range():
    assert io.read_range("gpu_watts", "650 W..750 W") == Uniform(650.0, 750.0)
    assert io.read_range("hours", "60..90", unit="days") == Uniform(60.0, 90.0)
    assert io.read_range("pue", 1.2) == Fixed(1.2)
    assert io.read_range("pue", Triangular(1.1, 1.2, 1.4)) == Triangular(1.1, 1.2, 1.4)
    with pytest.raises(ValueError, match=r"^pue low must be >= 1 \(got 0\.9\)$"):
        io.read_range("pue", Uniform(0.9, 1.1))
    with pytest.raises(ValueError, match=r"unknown key 'puee' in scenario \(did you mean 'pue'\?"):
        io.read_range("puee", "1.1..1.2")


def test_loaded_specs_feed_monte_carlo():
    s, specs = io.loads_uncertain(RANGES_TOML)
    r = uncertainty.monte_carlo(specs, n=2000, seed=1, base=s, outputs=["facility_power_w", "cost"])
    direct = uncertainty.monte_carlo(EXPECTED_SPECS, n=2000, seed=1, base=s, outputs=["facility_power_w", "cost"])
    assert r.percentiles == direct.percentiles


# --------------------------------------------------------------------------- properties

_FIELDS = {  # a valid interval of each field, in its unit
    "gpus": (1.0, 1e6), "gpu_watts": (1.0, 2000.0), "server_overhead": (1.0, 3.0), "pue": (1.0, 2.0),
    "utilization": (0.01, 1.0), "hours": (1.0, 1e5), "electricity_price": (0.0, 1.0), "mfu": (0.01, 1.0),
}


@st.composite
def uncertain(draw):
    specs = {}
    values = {"gpus": 1000.0, "gpu_watts": 700.0}
    for name, (low, high) in _FIELDS.items():
        kind = draw(st.sampled_from(["none", "value", "fixed", "uniform", "triangular", "lognormal"]))
        a, b, c = sorted(draw(st.floats(low, high)) for _ in range(3))
        if kind == "value":
            values[name] = b
        elif kind == "fixed":
            specs[name] = Fixed(b)
        elif kind == "uniform":
            specs[name] = Uniform(a, c)
        elif kind == "triangular":
            specs[name] = Triangular(a, b, c)
        elif kind == "lognormal" and b > 0 and b * b / c >= low and c / b <= 1e3:  # P5 valid, not too wide
            specs[name] = LogNormal(b, c)
    values.update({k: v.likely for k, v in specs.items()})
    return Scenario(**values), specs


@settings(max_examples=150, deadline=None)
@given(pair=uncertain(), fmt=st.sampled_from(io.FORMATS), name=st.none() | st.text(max_size=20))
def test_dumps_loads_uncertain_round_trip_property(pair, fmt, name):
    s, specs = pair
    assert io.loads_uncertain(io.dumps_uncertain(s, specs, fmt, name=name), fmt) == (s, specs)


LEAVES = (st.floats() | st.integers(-(10**30), 10**30) | st.booleans() | st.text(max_size=12)
          | st.sampled_from(["1.1..1.4", "650 W..750 W", "1/2/3", "lognormal:0.3..0.5", "uniform:", "x:1..2",
                             "lognormal:median=0.4,p95=", "0.9..1.4", "1e400..2", "nan..1", "..", "/ /"]))
TABLES = st.dictionaries(st.sampled_from([*distributions.RANGE_KEYS, "likley", "Low", " high", "mean"]),
                         LEAVES | st.sampled_from(["uniform", "lognormal", "triangular", "fixed", "normal"]),
                         max_size=4)


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(Scenario.field_names()), value=LEAVES | TABLES, fmt=st.sampled_from(io.FORMATS))
def test_loads_uncertain_any_value_gives_a_range_or_a_one_line_error(field, value, fmt):
    mapping = {"gpus": 1000, "gpu_watts": 700, "server_overhead": 1, field: value}
    if fmt == "json":
        text = json.dumps(mapping)
    else:
        def toml(v):
            if isinstance(v, dict):
                return "{ " + ", ".join(f"{json.dumps(k)} = {toml(x)}" for k, x in v.items()) + " }"
            if isinstance(v, bool):
                return str(v).lower()
            if isinstance(v, float) and not math.isfinite(v):
                return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
            return json.dumps(v)
        text = "".join(f"{k} = {toml(v)}\n" for k, v in mapping.items())
    try:
        s, specs = io.loads_uncertain(text, fmt)
    except (ValueError, TypeError) as exc:
        assert str(exc).strip() and "\n" not in str(exc), repr(exc)
        return
    for name, spec in specs.items():
        assert getattr(s, name) == spec.likely
        assert all(math.isfinite(x) for x in (spec.low, spec.likely, spec.high))
