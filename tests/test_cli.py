"""Tests of the command line (estimator.cli, python -m estimator)."""

import csv
import io as stdio
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import Scenario, catalog, compute, estimate, fields, io, solve, tables
from estimator.cli import main

# The DESIGN.md worked example: DGX H100 10.2 kW for 8 × 700 W gives a server
# ratio of 1.82; with network 1.10 and PUE 1.2 one H100 costs 700 × 1.82 ×
# 1.10 × 1.2 = 1,681.68 W at the facility, and 1 GW holds 10⁹ ÷ 1,681.68 =
# 594,643.45 of them ("about 595,000" in DESIGN.md; docs/methodology.md).
WORKED_EXAMPLE = ["fit", "--power", "1GW", "--accelerator", "h100-sxm", "--server-overhead", "1.82",
                  "--network-overhead", "1.10", "--pue", "1.2"]
WORKED_EXAMPLE_GPUS = 594_643

# Llama 3 405B (arXiv:2407.21783): 405B parameters, 15.6T tokens, 16,384 H100s, BF16 MFU 38-43%.
LLAMA = ["--parameters", "405e9", "--tokens", "15.6T", "--accelerator", "h100-sxm", "--mfu", "0.4"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_main_fit_worked_example_text(capsys):
    code, out, err = run(capsys, *WORKED_EXAMPLE)
    assert (code, err) == (0, "")
    assert f"{WORKED_EXAMPLE_GPUS:,}" in out
    assert "Assumptions" in out and "not measurements" in out
    assert "1.68 kW" in out  # all-in per accelerator, 1,681.68 W (DESIGN.md worked example)


def test_main_fit_worked_example_json(capsys):
    code, out, _ = run(capsys, *WORKED_EXAMPLE, "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["results"]["gpus"] == WORKED_EXAMPLE_GPUS
    assert record["assumptions"]["power_budget_w"] == 1e9
    assert record["assumptions"]["gpu_watts"] == 700.0  # NVIDIA H100 datasheet (accelerators.toml)
    assert_allclose(record["results"]["watts_per_gpu"], 700 * 1.82 * 1.10 * 1.2, rtol=1e-12)
    assert record["results"]["facility_power_w"] <= 1e9
    library = solve.gpus_for_power(1e9, 700, 1.82, 1.10, 1.2, whole=True)
    assert record["results"]["gpus"] == library
    # No MFU given: sustained compute is unknown and not shown; peak is known.
    assert "sustained_flop_per_s" not in record["results"]
    assert_allclose(record["results"]["peak_cluster_flop_per_s"], WORKED_EXAMPLE_GPUS * 989.4e12, rtol=1e-12)


def test_main_fit_with_mfu_shows_sustained(capsys):
    code, out, _ = run(capsys, *WORKED_EXAMPLE, "--mfu", "40%", "--format", "json")
    assert code == 0
    results = json.loads(out)[0]["results"]
    assert_allclose(results["sustained_flop_per_s"], WORKED_EXAMPLE_GPUS * 989.4e12 * 0.4, rtol=1e-12)


@pytest.mark.parametrize("accelerator", [[], ["--accelerator", "all"]])
def test_main_fit_every_accelerator(capsys, accelerator):
    code, out, _ = run(capsys, "fit", "--power", "1 GW", "--methodology", "nameplate", *accelerator,
                       "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["assumptions"]["accelerator"] for r in records] == list(catalog.accelerators())
    for r in records:
        a = r["assumptions"]
        expected = solve.gpus_for_power(1e9, a["gpu_watts"], a["server_overhead"], a["network_overhead"],
                                        a["pue"], whole=True)
        assert r["results"]["gpus"] == expected


def test_main_fit_every_accelerator_text(capsys):
    code, out, _ = run(capsys, "fit", "--power", "1GW", "--methodology", "nameplate")
    assert code == 0
    assert "one row per catalogue accelerator" in out
    # nameplate methodology, H100: 700 × (10,200 ÷ 5,600) × 1.10 × 1.2 = 1,683 W → 594,177 in 1 GW.
    assert "594,177" in out
    for key in catalog.accelerators():
        assert key in out


def test_main_fit_array_budget(capsys):
    code, out, _ = run(capsys, "fit", "--power", "100MW", "1GW", "--accelerator", "h100-sxm",
                       "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(stdio.StringIO(out)))
    assert [float(r["power_budget_w"]) for r in rows] == [1e8, 1e9]
    assert float(rows[1]["gpus"]) > float(rows[0]["gpus"])


def test_main_power_json_equals_library(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "100,000", "--gpu-watts", "700W", "--server-overhead", "1.82",
                       "--network-overhead", "1.10", "--pue", "1.2", "--utilization", "75%",
                       "--hours", "1 year", "--electricity-price", "0.08", "--carbon-intensity", "0.4",
                       "--wue", "0.3", "--peak-flop-per-s", "989 TFLOP/s", "--mfu", "0.4", "--format", "json")
    assert code == 0
    document = json.loads(out)
    # DESIGN.md "Public API" scenario.
    s = Scenario(gpus=100_000, gpu_watts=700, server_overhead=1.82, network_overhead=1.10, pue=1.2,
                 utilization=0.75, hours=8760, electricity_price=0.08, carbon_intensity=0.4, wue=0.3,
                 peak_flop_per_s=989e12, mfu=0.4)
    expected = {k: v for k, v in estimate(s).to_dict().items() if v is not None}
    assert document["results"].keys() == expected.keys()
    for key, value in expected.items():
        assert_allclose(document["results"][key], value, rtol=1e-15, err_msg=key)
    assert document["assumptions"] == {k: v for k, v in s.to_dict().items() if v is not None}
    assert_allclose(document["results"]["facility_power_w"], 168.168e6, rtol=1e-12)  # README: 168,168,000 W


def test_main_power_csv_equals_library(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "16384", "--accelerator", "h100-sxm", "--methodology",
                       "epoch-ai", "--days", "54", "--format", "csv")
    assert code == 0
    [row] = list(csv.DictReader(stdio.StringIO(out)))
    s = Scenario.from_accelerator("h100-sxm", gpus=16384, methodology="epoch-ai", hours=54 * 24)
    for key, value in estimate(s).to_dict().items():
        if value is not None:
            assert_allclose(float(row[key]), value, rtol=1e-15, err_msg=key)
    assert row["accelerator"] == "h100-sxm"
    assert float(row["hours"]) == 1296.0  # 54 days × 24 h


def test_main_power_array_rows(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "100k", "--accelerator", "h100-sxm", "--pue", "1.1", "1.2",
                       "1.3", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(stdio.StringIO(out)))
    assert [float(r["pue"]) for r in rows] == [1.1, 1.2, 1.3]
    s = Scenario.from_accelerator("h100-sxm", gpus=1e5, pue=np.array([1.1, 1.2, 1.3]))
    assert_allclose([float(r["facility_power_w"]) for r in rows], estimate(s).facility_power_w, rtol=1e-15)


def test_main_power_text_labels(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "100k", "--accelerator", "h100-sxm", "--methodology",
                       "nameplate", "--utilization", "0.75", "--hours", "1 year")
    assert code == 0
    assert out.index("Assumptions") < out.index("Results")
    assert "(accelerator h100-sxm)" in out and "(methodology nameplate)" in out and "(given)" in out
    assert "Facility power, full load" in out  # the registry's labels (estimator.fields)
    assert "Facility power, average" in out
    assert "168 MW" in out  # 1e5 × 1,683 W (nameplate, DGX-rated 1.821 server ratio)
    assert "TWh" in out


def test_main_train_gpus_equals_library(capsys):
    code, out, _ = run(capsys, "train", *LLAMA, "--gpus", "16,384", "--methodology", "nameplate",
                       "--site", "llama3-training", "--format", "json")
    assert code == 0
    document = json.loads(out)
    flop = 6 * 405e9 * 15.6e12  # 6ND, Kaplan et al. (2020); 3.79e25 (Llama 3 reports 3.8e25)
    seconds = compute.training_time_s(flop, 16_384, 989.4e12, 0.4)
    results = document["results"]
    assert_allclose(results["training_flop"], flop, rtol=1e-15)
    assert_allclose(results["training_time_s"], seconds, rtol=1e-15)
    assert_allclose(results["gpu_hours"], 16_384 * seconds / 3600, rtol=1e-15)
    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, methodology="nameplate", site="llama3-training",
                                  mfu=0.4, hours=seconds / 3600)
    assert_allclose(results["energy_wh"], estimate(s).energy_wh, rtol=1e-15)
    assert_allclose(results["emissions_kg"], estimate(s).emissions_kg, rtol=1e-15)
    assert 60 * 86_400 < seconds < 75 * 86_400  # about 68 days at MFU 0.4


def test_main_train_days_equals_library(capsys):
    code, out, _ = run(capsys, "train", "--flop", "3.8e25", "--days", "90", "--accelerator", "h100-sxm",
                       "--methodology", "nameplate", "--mfu", "0.4", "--format", "json")
    assert code == 0
    results = json.loads(out)["results"]
    seconds = 90 * 86_400
    so = 10_200 / 5_600  # DGX H100 user guide (accelerators.toml)
    # Whole accelerators, rounded up, as the dashboard's training table (tables.training_fleet) gives them.
    gpus = math.ceil(solve.gpus_for_training(3.8e25, seconds, 989.4e12, 0.4))
    assert results["gpus"] == gpus
    assert_allclose(results["facility_power_w"], gpus * 700 * so * 1.10 * 1.2, rtol=1e-15)
    s = Scenario.from_accelerator("h100-sxm", gpus=1, methodology="nameplate", mfu=0.4)
    table = tables.training_fleet(s, 3.8e25, seconds)
    assert results == {k: v for k, v in table.items() if v is not None}


def test_main_train_days_text_rounds_up(capsys):
    code, out, _ = run(capsys, "train", "--flop", "3.8e25", "--days", "90", *LLAMA[4:])
    assert code == 0
    gpus = solve.gpus_for_training(3.8e25, 90 * 86_400, 989.4e12, 0.4)
    assert f"{math.ceil(gpus):,}" in out
    assert "accelerators rounded up" in out


def test_main_run_files(capsys, tmp_path):
    toml = tmp_path / "a.toml"
    toml.write_text('name = "100k H100"\naccelerator = "h100-sxm"\nmethodology = "nameplate"\n'
                    'gpus = "100k"\npue = [1.1, 1.2]\nhours = "1 year"\n')
    data = tmp_path / "b.json"
    io.save(Scenario(gpus=16_384, gpu_watts=700, pue=1.1, hours=1296), data)
    code, out, _ = run(capsys, "run", str(toml), str(data), "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["file"] for r in records] == [str(toml), str(data)]
    assert records[0]["name"] == "100k H100"
    for record, path in zip(records, (toml, data), strict=True):
        expected = estimate(io.load(path))
        for key, value in record["results"].items():
            assert_allclose(value, getattr(expected, key), rtol=1e-15, err_msg=key)


def test_main_run_text_marks_origins(capsys, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('accelerator = "h100-sxm"\ngpus = 1000\n')
    code, out, _ = run(capsys, "run", str(path))
    assert code == 0
    assert "(accelerator h100-sxm)" in out and "(file)" in out and "(default)" in out


@pytest.mark.parametrize("kind", ["accelerators", "methodologies", "sites", "clusters", None])
def test_main_presets_have_sources(capsys, kind):
    code, out, _ = run(capsys, "presets", *([kind] if kind else []), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["source"].strip() for r in rows)
    code, text, _ = run(capsys, "presets", *([kind] if kind else []))
    assert code == 0 and "source:" in text


def test_main_presets_csv(capsys):
    code, out, _ = run(capsys, "presets", "accelerators", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(stdio.StringIO(out)))
    h100 = {r["field"]: r for r in rows if r["key"] == "h100-sxm"}
    assert float(h100["gpu_watts"]["value"]) == 700.0  # NVIDIA H100 datasheet
    assert h100["gpu_watts"]["unit"] == "W"


def test_main_output_file(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, *WORKED_EXAMPLE, "--format", "json", "--output", str(target))
    assert (code, out) == (0, "")
    assert json.loads(target.read_text())[0]["results"]["gpus"] == WORKED_EXAMPLE_GPUS
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(("argv", "names"), [
    (["power", "--gpus", "100", "--accelerator", "h100"], "unknown accelerator 'h100' (valid:"),
    (["power", "--gpus", "100", "--accelerator", "h100-sxm", "--pue", "0.9"], "pue must be >= 1 (got 0.9)"),
    (["fit", "--power", "1 GX", "--accelerator", "h100-sxm"], "power: unknown unit 'GX'"),
    (["run", "missing.toml"], "missing.toml"),
    (["power", "--gpus", "-5", "--accelerator", "h100-sxm"], "gpus must be > 0 (got -5.0)"),
    (["power", "--gpus", "10", "--accelerator", "h100-sxm", "--pue", "nan"], "pue: cannot read 'nan'"),
    (["power", "--gpus", "NaN", "--accelerator", "h100-sxm"], "gpus: cannot read 'NaN'"),
    (["launch"], "invalid choice: 'launch'"),
    ([], "required: COMMAND"),
    (["power", "--gpus", "10"], "gpu_watts"),
    (["power", "--accelerator", "h100-sxm"], "--gpus"),
    (["power", "--gpus", "10", "--gpu-watts", "700", "--server-overhead", "1", "--pue", "1.1", "1.2", "--mfu", "0.1",
      "0.2", "0.3"],
     "mfu (3,), pue (2,)"),
    (["power", "--gpus", "10", "--methodology", "nameplat", "--accelerator", "h100-sxm"],
     "unknown methodology 'nameplat'"),
    (["power", "--gpus", "10", "--gpu-watts", "700", "--server-overhead", "1", "--days", "1", "--hours", "2"],
     "not allowed with"),
    (["fit", "--power", "1 kW", "--accelerator", "h100-sxm"], "holds no whole accelerator"),
    (["fit", "--power", "-1 GW", "--accelerator", "h100-sxm"], "power must be > 0"),
    (["train", "--flop", "1e25", "--gpus", "10", "--accelerator", "h100-sxm"], "mfu"),
    (["train", "--flop", "1e25", "--mfu", "0.4", "--accelerator", "h100-sxm"], "--gpus"),
    (["train", "--gpus", "10", "--mfu", "0.4", "--accelerator", "h100-sxm"], "--flop"),
    (["train", "--flop", "1e25", "--days", "0", "--mfu", "0.4", "--accelerator", "h100-sxm"], "days must be > 0"),
    (["power", "--gpus", "10", "--accelerator", "h100-sxm", "--output", "/nonexistent-dir/out.txt"],
     "/nonexistent-dir/out.txt"),
])  # fmt: skip
def test_main_bad_input_exit_2(capsys, argv, names):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert names in err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("estimator: error: ")


def test_main_bad_file_exit_2(capsys, tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pu": 1.2}')
    code, _, err = run(capsys, "run", str(path))
    assert code == 2
    assert err == (f"estimator: error: {path}: unknown key 'pu' in scenario (did you mean 'pue'?; valid keys: "
                   f"{', '.join(('name', 'description', 'accelerator', 'methodology', 'site', 'precision', 'date'))}, "
                   f"{', '.join(Scenario.field_names())})\n")


def test_main_help_exit_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "power" in out and "fit" in out and "train" in out


ROOT = Path(__file__).resolve().parents[1]


def _module(*argv):
    # From the project root, so the source tree is what runs whatever the install state.
    return subprocess.run([sys.executable, "-m", "estimator", *argv], capture_output=True, text=True,
                          timeout=60, check=False, cwd=ROOT)


def test_module_fit_worked_example():
    result = _module(*WORKED_EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert f"{WORKED_EXAMPLE_GPUS:,}" in result.stdout


def test_module_bad_input_exit_2():
    result = _module("power", "--gpus", "100", "--accelerator", "h100-sxm", "--pue", "0.9")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "estimator: error: pue must be >= 1 (got 0.9)\n"


def test_module_unknown_subcommand_exit_2():
    result = _module("launch")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "estimator: error:" in result.stderr
