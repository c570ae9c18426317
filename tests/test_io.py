"""Tests of estimator.io: scenario files in TOML and JSON."""

import json
import os
import stat
import tomllib
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose
from strategies import valid

from estimator import Scenario, catalog, io, resolve

FULL = Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82, network_overhead=1.10, pue=1.2,
                utilization=0.75, hours=8760, electricity_price=0.08, carbon_intensity=0.4, wue=0.3,
                peak_flop_per_s=989e12, mfu=0.4)  # DESIGN.md, "Public API"

ARRAYS = Scenario(gpus=np.array([[1e4, 1e5, 1e6]]), gpu_watts=np.array([[700.0], [1000.0]]),
                  pue=np.array([1.1, 1.2, 1.3]), hours=0.1 + 0.2, mfu=np.array([0.38, 0.4, 0.43]))

# DGX H100 user guide: 10.2 kW for 8 × 700 W (accelerators.toml, h100-sxm.server_overhead).
H100_SERVER_OVERHEAD = 10_200 / (8 * 700)


@pytest.mark.parametrize("fmt", ["toml", "json"])
@pytest.mark.parametrize("scenario", [FULL, ARRAYS, Scenario(gpus=1, gpu_watts=5e-324)],
                         ids=["scalar", "array", "subnormal"])
def test_dumps_loads_round_trip_exact(fmt, scenario):
    assert io.loads(io.dumps(scenario, fmt), fmt) == scenario


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_load_round_trip_exact(tmp_path, suffix):
    for scenario in (FULL, ARRAYS):
        path = io.save(scenario, tmp_path / f"s{suffix}")
        assert io.load(path) == scenario


def test_save_load_with_metadata(tmp_path):
    name, description = 'Quoted "name"\\ é', "two\nlines\tand a tab \x7f"
    path = io.save(FULL, tmp_path / "s.toml", name=name, description=description)
    scenario, metadata = io.load_with_metadata(path)
    assert scenario == FULL
    assert metadata == {"name": name, "description": description}


def test_dumps_toml_comments_units():
    text = io.dumps(FULL)
    assert "gpu_watts = 700.0  # [W]" in text
    assert "carbon_intensity = 0.4  # [kg CO2e/kWh]" in text
    assert "electricity_price" in tomllib.loads(text)


def test_dumps_omits_absent_fields():
    data = json.loads(io.dumps(Scenario(gpus=1, gpu_watts=700), "json"))
    assert "hours" not in data and "electricity_price" not in data


def test_dumps_format_invalid():
    with pytest.raises(ValueError, match="format must be one of 'toml', 'json'"):
        io.dumps(FULL, "yaml")


def test_field_units_cover_scenario_fields():
    assert tuple(io.FIELD_UNITS) == Scenario.field_names()


def test_scenario_from_dict_unit_strings():
    s = io.scenario_from_dict({
        "gpus": "100k", "gpu_watts": "700 W", "hours": "90 days", "peak_flop_per_s": "989 TFLOP/s",
        "utilization": "75%", "electricity_price": "80 USD/MWh", "carbon_intensity": "400 g/kWh",
        "wue": "300 L/MWh", "pue": "1.2", "server_overhead": "1.82",
    })
    assert s.gpus == 100_000.0
    assert s.gpu_watts == 700.0
    assert s.hours == 2160.0  # 90 × 24 h
    assert_allclose(s.peak_flop_per_s, 989e12, rtol=1e-15)
    assert_allclose([s.utilization, s.electricity_price, s.carbon_intensity, s.wue, s.pue],
                    [0.75, 0.08, 0.4, 0.3, 1.2], rtol=1e-15)


def test_scenario_from_dict_unit_strings_in_array():
    s = io.scenario_from_dict({"gpus": ["16,384", 24_576, "100k"], "gpu_watts": [["700 W"], ["1.2 kW"]],
                               "server_overhead": 1})
    np.testing.assert_array_equal(s.gpus, [16_384, 24_576, 100_000])
    np.testing.assert_array_equal(s.gpu_watts, [[700.0], [1200.0]])


def test_scenario_from_dict_unit_string_invalid():
    with pytest.raises(ValueError, match="gpu_watts"):
        io.scenario_from_dict({"gpus": 1, "gpu_watts": "700 GX"})


def test_scenario_from_dict_presets():
    s = io.scenario_from_dict({"accelerator": "h100-sxm", "methodology": "nameplate", "site": "meta-fleet",
                               "gpus": 1000})
    assert s.gpu_watts == 700.0  # NVIDIA H100 datasheet: 700 W TDP (accelerators.toml)
    assert_allclose(s.server_overhead, H100_SERVER_OVERHEAD, rtol=1e-15)
    assert s.network_overhead == 1.10  # methodologies.toml, nameplate: DESIGN.md worked example
    assert s.pue == 1.08  # sites.toml, meta-fleet (applied after the methodology's 1.2)
    assert s.wue == 0.26  # sites.toml, meta-fleet


def test_scenario_from_dict_explicit_beats_preset():
    s = io.scenario_from_dict({"accelerator": "h100-sxm", "methodology": "nameplate", "gpus": 1,
                               "pue": 1.3, "gpu_watts": "650 W"})
    assert (s.pue, s.gpu_watts) == (1.3, 650.0)


def test_scenario_from_dict_site_only():
    s = io.scenario_from_dict({"site": "meta-fleet", "gpus": 1, "gpu_watts": 700, "server_overhead": 1})
    assert (s.pue, s.wue) == (1.08, 0.26)  # sites.toml, meta-fleet


def test_scenario_from_dict_methodology_without_accelerator():
    # A methodology without an accelerator sets what it sets for every part; the server ratio is the user's.
    s = io.scenario_from_dict({"methodology": "nameplate", "gpus": 1, "gpu_watts": 700, "server_overhead": 1.5})
    assert (s.server_overhead, s.network_overhead, s.pue) == (1.5, 1.1, 1.2)  # methodologies.toml, nameplate
    assert s.provenance["pue"].describe() == "methodology nameplate"


def test_scenario_from_dict_without_accelerator_needs_server_overhead():
    # Default policy (docs/methodology.md): no door silently assumes a server overhead of 1.
    with pytest.raises(ValueError, match=r"^server_overhead must be given when no accelerator preset is named"):
        io.scenario_from_dict({"gpus": 1, "gpu_watts": 700})


def test_scenario_from_dict_unknown_preset_invalid():
    with pytest.raises(ValueError, match=r"unknown accelerator 'h900' \(valid: .*h100-sxm"):
        io.scenario_from_dict({"accelerator": "h900", "gpus": 1})


@pytest.mark.parametrize(("key", "suggestion"), [("pu", "pue"), ("PUE", "pue"), ("gpu-watts", "gpu_watts"),
                                                 ("utilisation", "utilization")])
def test_scenario_from_dict_unknown_key_suggests(key, suggestion):
    with pytest.raises(ValueError, match=rf"unknown key '{key}' in scenario \(did you mean '{suggestion}'\?; "
                                         r"valid keys: .*gpus, gpu_watts"):
        io.scenario_from_dict({"gpus": 1, "gpu_watts": 700, "server_overhead": 1, key: 1.2})


def test_scenario_from_dict_unknown_key_without_suggestion():
    with pytest.raises(ValueError, match=r"unknown key 'zzz' in scenario \(valid keys: name, "):
        io.scenario_from_dict({"zzz": 1})


def test_scenario_from_dict_missing_required_invalid():
    with pytest.raises(ValueError, match="scenario is missing gpus"):
        io.scenario_from_dict({"accelerator": "h100-sxm"})
    with pytest.raises(ValueError, match="scenario is missing gpus and gpu_watts"):
        io.scenario_from_dict({"name": "nothing"})


@pytest.mark.parametrize(("value", "error", "match"), [
    (True, TypeError, "pue must be a number, not a boolean"),
    (None, TypeError, r"pue must be a number \(got null\)"),
    ({"value": 1.2}, TypeError, "pue must be a number, not a table"),
    ([1.2, False], TypeError, r"pue\[1\] must be a number, not a boolean"),
    ([[1.2], [1.1, 1.3]], ValueError, "pue must be a rectangular array"),
    ([], ValueError, "pue must not be empty"),
    (0.9, ValueError, r"pue must be >= 1 \(got 0.9\)"),
    (10**400, ValueError, "pue is too large for a float"),
])
def test_scenario_from_dict_value_invalid(value, error, match):
    with pytest.raises(error, match=match):
        io.scenario_from_dict({"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": value})


def test_scenario_from_dict_metadata_ignored():
    s = io.scenario_from_dict({"name": "n", "description": "d", "gpus": 1, "gpu_watts": 700, "server_overhead": 1})
    assert s == Scenario(gpus=1, gpu_watts=700)


def test_scenario_from_dict_metadata_invalid():
    with pytest.raises(TypeError, match="name must be text"):
        io.scenario_from_dict({"name": 3, "gpus": 1, "gpu_watts": 700, "server_overhead": 1})


def test_scenario_from_dict_not_mapping_invalid():
    with pytest.raises(TypeError, match="a scenario must be a table"):
        io.scenario_from_dict([("gpus", 1)])


def test_loads_toml_date_invalid():
    with pytest.raises(TypeError, match="hours must be a number"):
        io.loads("gpus = 1\ngpu_watts = 700\nserver_overhead = 1\nhours = 2024-01-01\n")


def test_loads_toml_table_invalid():
    with pytest.raises(TypeError, match="gpu_watts must be a number, not a table"):
        io.loads("gpus = 1\n[gpu_watts]\nvalue = 700\n")


def test_loads_json_duplicate_key_invalid():
    text = '{\n  "gpus": 1,\n  "gpu_watts": 700, "server_overhead": 1,\n  "gpus": 2\n}'
    with pytest.raises(ValueError, match=r"duplicate key 'gpus' in scenario file \(lines 2 and 4\)"):
        io.loads(text, "json")


def test_loads_toml_duplicate_key_invalid():
    with pytest.raises(ValueError, match=r"duplicate key 'pue' in scenario file \(lines 2 and 4\)"):
        io.loads("gpus = 1\npue = 1.2\ngpu_watts = 700\npue = 1.3\nserver_overhead = 1\n")


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_loads_not_utf8_invalid(fmt):
    with pytest.raises(ValueError, match=r"scenario file is not UTF-8 text \(byte 0xff at position 8\)"):
        io.loads(b"gpus = 1\xff", fmt)


def test_loads_bom_accepted():
    text = b'{"gpus": 1, "gpu_watts": 700, "server_overhead": 1}'
    assert io.loads(b"\xef\xbb\xbf" + text, "json") == Scenario(gpus=1, gpu_watts=700)


@pytest.mark.parametrize("data", ["", b"", " \n\t\n"])
def test_loads_empty_invalid(data):
    with pytest.raises(ValueError, match="scenario file is empty"):
        io.loads(data)


def test_loads_too_large_invalid():
    text = "gpus = 1\ngpu_watts = 700\nserver_overhead = 1\n"  # 45 bytes
    with pytest.raises(ValueError, match="scenario file is 45 bytes, more than the limit of 10 bytes"):
        io.loads(text, max_bytes=10)
    assert io.loads(text, max_bytes=45) == Scenario(gpus=1, gpu_watts=700)


def test_loads_default_limit_is_one_mebibyte():
    padding = "#" * io.MAX_BYTES + "\n"
    with pytest.raises(ValueError, match=r"more than the limit of 1,048,576 bytes"):
        io.loads(padding + "gpus = 1\n")


def test_load_too_large_invalid(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("gpus = 1\ngpu_watts = 700\nserver_overhead = 1\n" + "#" * 100)
    with pytest.raises(ValueError, match=r"big.toml: scenario file is 145 bytes, more than the limit of 64"):
        io.load(path, max_bytes=64)


@pytest.mark.parametrize(("fmt", "text", "match"), [
    ("toml", "gpus = 1\ngpu_watts = = 700\n", r"not valid TOML: .*line 2, column 13"),
    ("toml", "gpus = [1, 2\n", "not valid TOML"),
    ("json", '{"gpus": 1,\n "gpu_watts": 700, "server_overhead": 1,}',
     r"not valid JSON: .*\(line 2, column 41\)"),
    ("json", "[1, 2]", "must hold one JSON object"),
    ("json", '{"gpus": 1' + "0" * 5000 + "}", "not valid JSON"),
    ("json", "[" * 100_000 + "]" * 100_000, "too deeply"),
])
def test_loads_malformed_invalid(fmt, text, match):
    with pytest.raises(ValueError, match=match):
        io.loads(text, fmt)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_loads_json_nan_literal_invalid(literal):
    with pytest.raises(ValueError, match=rf"pue must be finite \(got {literal}\)"):
        io.loads(f'{{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": {literal}}}', "json")
    with pytest.raises(ValueError, match=rf"pue\[1\] must be finite \(got {literal}\)"):
        io.loads(f'{{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": [1.2, {literal}]}}', "json")


@pytest.mark.parametrize("literal", ["nan", "inf", "-inf"])
def test_loads_toml_nan_invalid(literal):
    with pytest.raises(ValueError, match="pue must be >= 1 and finite"):
        io.loads(f"gpus = 1\ngpu_watts = 700\nserver_overhead = 1\npue = {literal}\n")


@pytest.mark.parametrize("value", ["true", '"yes"'])
def test_loads_bool_and_text_invalid(value):
    with pytest.raises((TypeError, ValueError), match="gpus"):
        io.loads(f'{{"gpus": {value}, "gpu_watts": 700, "server_overhead": 1}}', "json")


def test_loads_content_type_invalid():
    with pytest.raises(TypeError, match="scenario content must be text or bytes"):
        io.loads(3)


def test_load_missing_file_invalid(tmp_path):
    with pytest.raises(FileNotFoundError):
        io.load(tmp_path / "missing.toml")


def test_load_error_names_path(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": 0.9}')
    with pytest.raises(ValueError, match=r"bad.json: pue must be >= 1 \(got 0.9\)"):
        io.load(path)


@pytest.mark.parametrize("name", ["s.yaml", "s", "s.toml.bak"])
def test_save_suffix_invalid(tmp_path, name):
    with pytest.raises(ValueError, match=r"valid suffixes: .toml, .json"):
        io.save(FULL, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_save_format_overrides_suffix(tmp_path):
    path = io.save(FULL, tmp_path / "s.txt", format="json")
    assert json.loads(path.read_text())["gpus"] == 100_000.0
    assert io.loads(path.read_bytes(), "json") == FULL


def _only_target_left(tmp_path, target):
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("broken", ["replace", "fsync", "write"])
def test_save_atomic_failure_keeps_old_file(tmp_path, monkeypatch, broken):
    target = tmp_path / "s.toml"
    io.save(FULL, target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if broken == "write":
        class BrokenFile:
            def __init__(self, fd, mode):
                os.close(fd)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            write = staticmethod(boom)

        monkeypatch.setattr(io, "open", BrokenFile, raising=False)
    else:
        monkeypatch.setattr(os, broken, boom)
    with pytest.raises(OSError, match="No space left"):
        io.save(ARRAYS, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    _only_target_left(tmp_path, target)


def test_save_atomic_interrupt_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "s.json"
    io.save(FULL, target)
    before = target.read_bytes()

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        io.save(ARRAYS, target)
    monkeypatch.undo()
    assert target.read_bytes() == before
    _only_target_left(tmp_path, target)


def test_save_keeps_permissions(tmp_path):
    target = tmp_path / "s.toml"
    io.save(FULL, target)
    target.chmod(0o640)
    io.save(ARRAYS, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert io.load(target) == ARRAYS


def test_write_text_atomic_missing_directory_names_target(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        io.write_text_atomic(tmp_path / "no" / "out.txt", "x")
    assert info.value.filename == str(tmp_path / "no" / "out.txt")


@st.composite
def scenarios(draw):
    shape = draw(st.sampled_from([(), (3,), (2, 3)]))
    values = {}
    for name in Scenario.field_names():
        if name not in ("gpus", "gpu_watts") and draw(st.booleans()):
            continue  # left out: default or None
        elements = valid(name)
        if shape and draw(st.booleans()):
            values[name] = draw(hnp.arrays(np.float64, shape, elements=elements))
        else:
            values[name] = draw(elements)
    return Scenario(**values)


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(), fmt=st.sampled_from(io.FORMATS), name=st.none() | st.text())
def test_dumps_loads_round_trip_property(scenario, fmt, name):
    text = io.dumps(scenario, fmt, name=name)
    assert io.loads(text, fmt) == scenario
    if name is not None:
        parsed = tomllib.loads(text) if fmt == "toml" else json.loads(text)
        assert parsed["name"] == name


# --------------------------------------------------------------------------- catalogue version

def _older(text: str, *changes: tuple[str, str]) -> str:
    """A written file as an older catalogue would have written it: its version and some preset values."""
    text = text.replace(f'"catalog": "{catalog.VERSION}"', '"catalog": "2025.06"').replace(
        f'catalog = "{catalog.VERSION}"', 'catalog = "2025.06"')
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("format", ["toml", "json"])
def test_file_records_the_catalogue_and_reads_back_the_same(format):
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.3, site="us-hyperscale-2025")
    text = io.dumps(s, format)
    mapping = tomllib.loads(text) if format == "toml" else json.loads(text)
    assert mapping["catalog"] == catalog.VERSION
    # The values the presets gave, in the fields' units; the user's pue is a value of its own.
    assert mapping["catalog_values"]["gpu_watts"] == 700.0 and "pue" not in mapping["catalog_values"]
    assert mapping["catalog_values"]["electricity_price"] == s.electricity_price
    with warnings.catch_warnings():
        warnings.simplefilter("error", resolve.CatalogueWarning)  # the same catalogue: no notice
        back = io.loads(text, format)
    assert back == s and back.provenance["gpu_watts"].describe() == "accelerator h100-sxm"


def test_explicit_scenario_file_names_no_catalogue():
    text = io.dumps(Scenario(gpus=1000, gpu_watts=700, pue=1.2))
    assert "catalog" not in text


@pytest.mark.parametrize("format", ["toml", "json"])
def test_file_of_another_catalogue_opens_with_its_values_and_warns(format):
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.3)
    watts = ("gpu_watts = 700.0", "gpu_watts = 650.0") if format == "toml" else ('"gpu_watts": 700.0',
                                                                                 '"gpu_watts": 650.0')
    text = _older(io.dumps(s, format), watts)
    with pytest.warns(resolve.CatalogueWarning) as record:
        back = io.loads(text, format)
    (message,) = [str(w.message) for w in record]
    assert message.startswith("this file was made with catalogue 2025.06; the presets are now catalogue")
    assert "gpu_watts (h100-sxm) 650 W then, 700 W now" in message
    assert "server_overhead" not in message  # only what differs is listed
    assert back == s.replace(gpu_watts=650.0)
    assert back.provenance["gpu_watts"].origin == "pinned"
    assert back.provenance["gpu_watts"].preset_value == 700.0
    assert back.provenance["server_overhead"].origin == "pinned"  # every recorded value, as it was made
    # Written again, it keeps those numbers as its own, under today's catalogue.
    again = io.dumps(back, format)
    assert catalog.VERSION in again and io.loads(again, format) == back


def test_file_of_another_catalogue_with_unchanged_values_says_none_differs(monkeypatch, tmp_path):
    monkeypatch.setattr(catalog, "VERSION", "2025.06")
    path = io.save(Scenario.from_accelerator("b200", gpus=500), tmp_path / "b200.toml")
    monkeypatch.undo()
    with pytest.warns(resolve.CatalogueWarning, match=r"b200\.toml: .*none of its recorded preset values differs"):
        back = io.load(path)
    assert back == Scenario.from_accelerator("b200", gpus=500)


def test_file_with_a_version_but_no_recorded_values_uses_todays_presets():
    with pytest.warns(resolve.CatalogueWarning, match="records no preset values, so the current catalogue"):
        s = io.loads('accelerator = "h100-sxm"\ngpus = 10\ncatalog = "2025.06"\n')
    assert s.gpu_watts == 700.0


def test_campus_block_of_another_catalogue_is_named():
    text = f'''catalog = "2025.06"
[[block]]
name = "hall A"
accelerator = "h100-sxm"
gpus = 1000
catalog_values = {{ gpu_watts = 650.0 }}
[[block]]
name = "hall B"
accelerator = "h100-sxm"
gpus = 1000
catalog = "{catalog.VERSION}"
catalog_values = {{ gpu_watts = 650.0 }}
'''
    with pytest.warns(resolve.CatalogueWarning) as record:
        c = io.loads_campus(text)
    (message,) = [str(w.message) for w in record]
    assert message.startswith("block 1 ('hall A'): this file was made with catalogue 2025.06")
    assert [b.gpu_watts for b in c.scenarios] == [650.0, 700.0]  # hall B is of today's catalogue


@pytest.mark.parametrize(("text", "error", "match"), [
    ('catalog = "2026-12"\n', ValueError, r"^catalog must be a catalogue version YYYY\.MM or YYYY\.MM\.N"),
    ("catalog = 2026.12\n", TypeError, r"^catalog must be text"),
    ('catalog_values = { gpu_wats = 700 }\n', ValueError,
     r"^unknown field 'gpu_wats' in catalog_values \(did you mean"),
    ('catalog_values = { gpu_watts = -1 }\n', ValueError, r"^gpu_watts must be > 0"),
    ('catalog_values = { gpu_watts = [1, 2] }\n', TypeError, r"^catalog_values\.gpu_watts must be one number"),
    ('catalog_values = 700\n', TypeError, r"^catalog_values must be a table of field = value"),
])
def test_file_bad_catalogue_keys_name_the_rule(text, error, match):
    with pytest.raises(error, match=match):
        io.loads('accelerator = "h100-sxm"\ngpus = 10\n' + text)
