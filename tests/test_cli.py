"""Tests of the command line (estimator.cli, python -m estimator)."""

import csv
import io as stdio
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import estimator
from estimator import Scenario, catalog, compute, estimate, fields, io, solve, tables
from estimator import estimate as estimate_any
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


# --------------------------------------------------------------------------- default policy, provenance

def test_power_default_methodology_is_nameplate_and_said(capsys):
    # 24,576 H100 (one Llama 3 cluster): 24,576 × 700 W × 1.8214 × 1.10 × 1.2 = 41.36 MW at the facility.
    code, out, _ = run(capsys, "power", "--gpus", "24576", "--accelerator", "h100-sxm")
    assert code == 0
    assert re.search(r"methodology\s+nameplate\s+\(default\)", out)
    assert re.search(r"pue\s+1\.2\s+\(nameplate \(default\)\)", out)
    assert re.search(r"Facility power, full load\s+41\.4 MW", out)
    document = json.loads(run(capsys, "power", "--gpus", "24576", "--accelerator", "h100-sxm", "--format", "json")[1])
    s = Scenario.from_accelerator("h100-sxm", gpus=24_576)
    assert document["assumptions"]["methodology"] == "nameplate"
    assert {k: document["assumptions"][k] for k in ("accelerator", "methodology", "precision")} == {
        k: s.presets[k] for k in ("accelerator", "methodology", "precision")}
    assert {k: document["assumptions"][k] for k in s.to_dict() if s.to_dict()[k] is not None} == {
        k: v for k, v in s.to_dict().items() if v is not None}
    assert document["provenance"] == {
        "accelerator": "given", "methodology": "default", "precision": "default", "gpus": "given",
        **{k: s.provenance[k].describe() for k in s.provenance if k != "gpus"}}
    assert document["provenance"]["network_overhead"] == "nameplate (default)"
    assert document["provenance"]["gpu_watts"] == "accelerator h100-sxm"
    assert_allclose(document["results"]["facility_power_w"], estimate(s).facility_power_w, rtol=1e-15)
    assert_allclose(document["results"]["facility_power_w"], 41.361408e6, rtol=1e-12)


def test_power_named_methodology_is_given(capsys):
    _code, out, _ = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--methodology", "epoch-ai",
                       "--format", "json")
    provenance = json.loads(out)["provenance"]
    assert (provenance["methodology"], provenance["pue"]) == ("given", "methodology epoch-ai")


def test_power_without_mfu_has_no_sustained_compute(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--hours", "24",
                       "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert "mfu" not in document["assumptions"]
    assert "sustained_flop_per_s" not in document["results"] and "flop_in_period" not in document["results"]
    assert "peak_cluster_flop_per_s" in document["results"]
    assert "sustained_flop_per_s needs mfu (not given)" in " ".join(document["notes"])
    code, text, _ = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm")
    assert "Sustained compute not shown: sustained_flop_per_s needs mfu (not given)" in text
    # A methodology that publishes an MFU gives it, marked as the methodology's (Epoch AI: 0.375).
    document = json.loads(run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--methodology",
                              "epoch-ai", "--format", "json")[1])
    assert document["provenance"]["mfu"] == "methodology epoch-ai"
    assert_allclose(document["results"]["sustained_flop_per_s"], 1000 * 989.4e12 * 0.375, rtol=1e-15)


def test_power_fp8_peak(capsys):
    document = json.loads(run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--precision", "fp8",
                              "--mfu", "0.3", "--format", "json")[1])
    assert document["assumptions"]["precision"] == "fp8" and document["provenance"]["precision"] == "given"
    assert document["assumptions"]["peak_flop_per_s"] == 1978.9e12  # H100 SXM dense FP8 (accelerators.toml)
    assert_allclose(document["results"]["sustained_flop_per_s"], 1000 * 1978.9e12 * 0.3, rtol=1e-15)


@pytest.mark.parametrize("command", ["power", "fit", "train", "serve", "run", "uncertainty"])
def test_date_and_precision_options(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and "--precision {bf16,fp8}" in out and "--date YYYY-MM-DD" in out


def test_power_date_is_echoed(capsys):
    document = json.loads(run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--methodology",
                              "epoch-ai", "--date", "2024-03-12", "--format", "json")[1])
    assert (document["assumptions"]["date"], document["provenance"]["date"]) == ("2024-03-12", "given")
    code, _, err = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--date", "12/03/2024")
    assert code == 2 and "date must be a date YYYY-MM-DD" in err


# --------------------------------------------------------------------------- fit and train format the tables

def test_fit_nameplate_default_equals_budget_fleet(capsys):
    # nameplate: 700 W × 1.8214 (DGX H100) × 1.10 × 1.2 = 1,683 W → 1 GW holds 594,177 H100.
    _code, out, _ = run(capsys, "fit", "--power", "1GW", "--accelerator", "h100-sxm", "--format", "json")
    [record] = json.loads(out)
    s = Scenario.from_accelerator("h100-sxm", gpus=1)
    fleet = tables.budget_fleet(1e9, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, s.peak_flop_per_s)
    assert record["results"]["gpus"] == fleet["gpus"] == 594_177
    for key, value in fleet.items():
        assert record["results"][key] == value, key
    assert record["provenance"]["pue"] == "nameplate (default)"
    assert "sustained_flop_per_s" not in record["results"]


def test_fit_every_accelerator_equals_accelerator_table(capsys):
    _code, out, _ = run(capsys, "fit", "--power", "1GW", "--mfu", "0.4", "--days", "90", "--format", "json")
    records = json.loads(out)
    table = tables.accelerator_table(1e9, mfu=0.4, hours=90 * 24)
    assert [r["assumptions"]["accelerator"] for r in records] == table["key"]
    for i, r in enumerate(records):
        for key in ("gpus", "watts_per_gpu", "peak_cluster_flop_per_s", "sustained_flop_per_s", "runs"):
            assert r["results"][key] == table[key][i], key
        assert r["assumptions"]["methodology"] == "nameplate" and r["provenance"]["methodology"] == "default"
        assert r["assumptions"]["training_flop"] == 3.8e25  # Llama 3 405B, the default reference run
    text = run(capsys, "fit", "--power", "1GW", "--mfu", "0.4")[1]
    assert "Sustained compute" in text and "235 EFLOP/s" in text  # 594,177 × 989.4 TFLOP/s × 0.4


def test_fit_every_accelerator_without_mfu_has_no_sustained(capsys):
    _code, out, _ = run(capsys, "fit", "--power", "1GW", "--days", "90", "--format", "json")
    for r in json.loads(out):
        assert not {"sustained_flop_per_s", "flop_in_period", "runs"} & set(r["results"])
    text = run(capsys, "fit", "--power", "1GW")[1]
    assert "Sustained compute not shown: sustained_flop_per_s needs mfu (not given)" in text


def test_fit_every_accelerator_fp8_marks_parts_without_fp8(capsys):
    code, out, _ = run(capsys, "fit", "--power", "1GW", "--precision", "fp8", "--format", "json")
    records = {r["assumptions"]["accelerator"]: r for r in json.loads(out)}
    table = tables.accelerator_table(1e9, precision="fp8")
    for i, key in enumerate(table["key"]):
        assert records[key]["assumptions"]["precision"] == table["precision"][i].lower()
        assert records[key]["assumptions"]["peak_flop_per_s"] == table["peak_flop_per_s"][i]
    assert records["h100-sxm"]["assumptions"]["peak_flop_per_s"] == 1978.9e12
    assert records["a100-sxm"]["notes"] == ["a100-sxm has no published FP8 peak: its row uses the BF16 peak"]
    text = run(capsys, "fit", "--power", "1GW", "--precision", "fp8")[1]
    assert "a100-sxm has no published FP8 peak" in text and "precision" in text
    # One part named: refused as at every other door (resolve), not silently BF16.
    code, _, err = run(capsys, "fit", "--power", "1GW", "--accelerator", "a100-sxm", "--precision", "fp8")
    assert code == 2 and "no published FP8 peak" in err


def test_fit_every_accelerator_overrides_and_sites(capsys):
    _code, out, _ = run(capsys, "fit", "--power", "1GW", "--server-overhead", "2", "--site", "meta-fleet",
                       "--format", "json")
    records = json.loads(out)
    table = tables.accelerator_table(1e9, site="meta-fleet", server_overhead=2.0)
    assert [r["results"]["gpus"] for r in records] == list(table["gpus"])
    assert all(r["provenance"]["server_overhead"] == "given" for r in records)
    assert all(r["provenance"]["pue"] == "site meta-fleet" for r in records)


def test_train_equals_training_run_and_fp8(capsys):
    # Llama 3 405B on 16,384 H100 at MFU 0.41 (arXiv:2407.21783): 6 × 405e9 × 15.6e12 = 3.79e25 FLOP in ~66 days.
    argv = ["train", "--parameters", "405B", "--tokens", "15.6T", "--gpus", "16384", "--accelerator", "h100-sxm",
            "--mfu", "0.41"]
    results = json.loads(run(capsys, *argv, "--format", "json")[1])["results"]
    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41)
    table = tables.training_run(s, 6 * 405e9 * 15.6e12)
    assert results == {k: v for k, v in table.items() if v is not None}
    assert 65 < results["training_time_s"] / 86_400 < 67
    text = run(capsys, *argv)[1]
    assert re.search(r"Training time\s+66 days", text)
    fp8 = json.loads(run(capsys, *argv, "--precision", "fp8", "--format", "json")[1])["results"]
    assert_allclose(fp8["training_time_s"], results["training_time_s"] * 989.4 / 1978.9, rtol=1e-12)


def test_train_training_time_option_equals_days(capsys):
    base = ["train", "--flop", "3.8e25", "--accelerator", "h100-sxm", "--mfu", "0.4", "--format", "json"]
    by_days = json.loads(run(capsys, *base, "--days", "90")[1])
    by_time = json.loads(run(capsys, *base, "--training-time-s", "90 days")[1])
    assert by_days["results"] == by_time["results"]
    code, _, err = run(capsys, *base, "--days", "90", "--training-time-s", "90 days")
    assert code == 2 and "not allowed with" in err


def test_train_needs_mfu_or_a_methodology_that_sets_one(capsys):
    code, _, err = run(capsys, "train", "--flop", "3.8e25", "--gpus", "16k", "--accelerator", "h100-sxm")
    assert code == 2 and "train needs mfu" in err and "no MFU is assumed" in err
    code, out, _ = run(capsys, "train", "--flop", "3.8e25", "--gpus", "16k", "--accelerator", "h100-sxm",
                       "--methodology", "epoch-ai", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["provenance"]["mfu"] == "methodology epoch-ai"


def test_train_longer_than_the_period_limit_is_computed(capsys):
    # One H100 for Llama 3 405B: about 3,000 years, beyond the 10^6 h period ceiling; the table computes it.
    argv = ["train", "--flop", "3.8e25", "--gpus", "1", "--accelerator", "h100-sxm", "--mfu", "0.4"]
    code, out, err = run(capsys, *argv, "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    s = Scenario.from_accelerator("h100-sxm", gpus=1, mfu=0.4)
    table = tables.training_run(s, 3.8e25)
    assert document["results"] == {k: v for k, v in table.items() if v is not None and k != "training_flop"}
    assert document["results"]["training_time_s"] > 1e6 * 3600
    assert "longer than the model's longest period" in document["notes"][0]
    text = run(capsys, *argv)[1]
    assert "years" in text and "check the fleet size and units" in text


def test_run_options_override_the_files(capsys, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('accelerator = "h100-sxm"\ngpus = 1000\nhours = 24\n')
    document = json.loads(run(capsys, "run", str(path), "--pue", "1.3", "--format", "json")[1])[0]
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, hours=24, pue=1.3)
    assert document["results"]["facility_power_w"] == estimate(s).facility_power_w
    assert document["provenance"]["pue"] == "given" and document["provenance"]["gpus"] == "file"
    assert document["provenance"]["accelerator"] == "file"
    assert document["provenance"]["methodology"] == "default"


# --------------------------------------------------------------------------- options from the registry

@pytest.fixture
def registered():
    """A field added at run time: every door that reads the registry shows it."""
    spec = fields.register(fields.Field("test_cooling_share", "ratio", "Cooling share (test)",
                                        "share of the facility power that cools (a test field)",
                                        rule="fraction", example="0.3 or 30%"))
    try:
        yield spec
    finally:
        fields.unregister(spec.name)


@pytest.mark.parametrize("command", ["power", "fit", "train", "serve", "run", "uncertainty"])
def test_registered_field_is_an_option(capsys, registered, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "--test-cooling-share FRACTION" in out
    assert "share of the facility power that cools (a test field) [unitless], e.g. 0.3 or 30%" in " ".join(
        out.split())


def test_registered_field_is_accepted(capsys, registered, tmp_path):
    code, out, err = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--test-cooling-share", "30%",
                         "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["assumptions"]["test_cooling_share"] == 0.3
    assert document["provenance"]["test_cooling_share"] == "given"
    code, _, err = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--test-cooling-share", "2")
    assert code == 2 and "test_cooling_share must be in (0, 1] (got 2.0)" in err
    for argv in (["fit", "--power", "1GW", "--accelerator", "h100-sxm"], ["fit", "--power", "1GW"],
                 ["train", "--flop", "1e25", "--gpus", "1k", "--accelerator", "h100-sxm", "--mfu", "0.4"],
                 ["uncertainty", "--gpus", "1k", "--accelerator", "h100-sxm", "--samples", "10"]):
        code, out, err = run(capsys, *argv, "--test-cooling-share", "0.3", "--format", "json")
        assert (code, err) == (0, ""), argv
        document = json.loads(out)
        first = document[0] if isinstance(document, list) else document
        assert first["assumptions"]["test_cooling_share"] == 0.3, argv
    path = tmp_path / "a.toml"
    path.write_text('accelerator = "h100-sxm"\ngpus = 1000\n')
    code, out, err = run(capsys, "run", str(path), "--test-cooling-share", "0.3", "--format", "json")
    assert (code, err) == (0, "") and json.loads(out)[0]["assumptions"]["test_cooling_share"] == 0.3


def test_options_follow_the_registry(capsys):
    code, out, _ = run(capsys, "power", "--help")
    assert code == 0
    text = " ".join(out.split())
    for spec in fields.INPUTS:
        assert spec.option in out, spec.name
        assert " ".join(spec.help_with_unit.split()) in text, spec.name
    _code, out, _ = run(capsys, "fit", "--help")
    assert "--power POWER" not in out and "--power W" in out and "--power-budget-w W" in out
    _code, out, _ = run(capsys, "train", "--help")
    for name in ("parameters", "tokens", "training_flop", "training_time_s"):
        assert fields.FIELDS[name].option in out


def test_text_labels_are_the_registrys(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "1k", "--accelerator", "h100-sxm", "--hours", "1 year",
                       "--electricity-price", "0.08", "--carbon-intensity", "0.4", "--wue", "0.3", "--mfu", "0.4")
    assert code == 0
    results = out.split("Results:")[1]
    given = {"hours": 1, "electricity_price": 1, "carbon_intensity": 1, "wue": 1, "mfu": 1, "peak_flop_per_s": 1}
    for name in fields.outputs():
        if not fields.missing_for(name, given):  # the outputs these inputs give
            assert fields.FIELDS[name].label in results, name
    assert re.search(r"hours\s+1 year \(8,760 h\)", out)  # the period echoed in hours too
    assert re.search(r"Emissions over the period\s+\d.*t CO2e", results)
    assert re.search(r"Electricity cost over the period\s+\$", results)


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
                   "catalog, catalog_values, "
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


def test_train_run_equals_library(capsys):
    # Llama 3.1 405B as published (model card; arXiv:2407.21783): 16,384 H100, BF16, 41% MFU, goodput 0.9;
    # the JSON is the library's training_run plus run_versus_report on the same scenario.
    from estimator import runs

    document = json.loads(run(capsys, "train", "--run", "llama-3.1-405b", "--format", "json")[1])
    ready = runs.training_run("llama-3.1-405b")
    s = Scenario.from_accelerator("h100-sxm", gpus=16_384, mfu=0.41, goodput=0.9)
    expected = {k: v for k, v in tables.training_run(s, ready.flop_6nd).items() if v is not None}
    expected |= {k: v for k, v in tables.run_versus_report(ready, s).items() if v is not None}
    assert document["assumptions"]["training_flop"] == expected.pop("training_flop") == ready.flop_6nd
    assert document["results"] == expected
    assert document["provenance"]["mfu"] == "run llama-3.1-405b"
    assert document["provenance"]["accelerator"] == "run llama-3.1-405b"
    assert document["assumptions"]["goodput"] == 0.9
    assert_allclose(document["results"]["implied_mfu"], 0.345, rtol=0.0005 / 0.345)
    # options override the run's values; the implied MFU follows the peak, the implied goodput the MFU too
    mine = json.loads(run(capsys, "train", "--run", "llama-3.1-405b", "--mfu", "0.38", "--goodput", "0.5",
                          "--gpus", "8192", "--format", "json")[1])
    assert mine["provenance"]["mfu"] == "given" and mine["provenance"]["gpus"] == "given"
    assert_allclose(mine["results"]["estimated_gpu_hours"], ready.flop_6nd / (989.4e12 * 0.38 * 0.5 * 3600),
                    rtol=1e-12)
    assert_allclose(mine["results"]["implied_goodput"], document["results"]["implied_mfu"] / 0.38, rtol=1e-12)
    text = run(capsys, "train", "--run", "llama3-405b")[1]  # the paper's run: no GPU-hours to compare
    assert re.search(r"^  run +llama-3-405b", text, flags=re.M) and "published no accelerator-hours" in text


def test_train_run_refusals(capsys):
    code, _, err = run(capsys, "train", "--run", "llama-3.1-450b")
    assert code == 2 and "unknown training run 'llama-3.1-450b'" in err and "did you mean 'llama-3.1-405b'" in err
    code, _, err = run(capsys, "train", "--run", "llama-3.1-405b", "--flop", "1e25")
    assert code == 2 and "either --run or the run's size" in err
    code, _, err = run(capsys, "train", "--run", "grok-3", "--mfu", "0.4")
    assert code == 2 and "published neither parameters and tokens nor training FLOP" in err
    code, _, err = run(capsys, "train", "--run", "deepseek-v3")  # DeepSeek reports no MFU
    assert code == 2 and "train needs mfu" in err and "'deepseek-v3' reports none" in err
    code, out, _ = run(capsys, "train", "--run", "deepseek-v3", "--mfu", "0.4", "--days", "30", "--format", "json")
    assert code == 0 and json.loads(out)["assumptions"]["precision"] == "fp8"  # the run's own precision


def test_presets_runs(capsys):
    code, out, _ = run(capsys, "presets", "runs", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["kind"] for r in rows} == {"run"}
    goodput = [r for r in rows if r["key"] == "llama-3.1-405b" and r["field"] == "goodput"]
    assert goodput[0]["value"] == 0.9 and "arxiv.org/abs/2407.21783" in goodput[0]["source"]
    text = run(capsys, "presets", "runs")[1]
    assert "run deepseek-v3: DeepSeek-V3" in text and "active_parameters = 37.0B" in text


def test_presets_campuses_lists_every_ready_block_with_its_source(capsys):
    import estimator

    code, out, _ = run(capsys, "presets", "campuses", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["kind"] for r in rows} == {"campus"}
    for key, ready in estimator.campus_presets().items():
        mine = [r for r in rows if r["key"] == key]
        assert len(mine) == len(ready.blocks)
        for row, block in zip(mine, ready.blocks, strict=True):
            assert block["name"] in row["field"] and row["source"] == block["source"]
            assert row["value"] == block.get("gpus", block.get("facility_power_w"))
    assert "campus xai-memphis:" in run(capsys, "presets", "campuses")[1]
# --------------------------------------------------------------------------- serve

SERVE = ["serve", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k", "--tokens-per-query", "500",
         "--utilization", "0.5"]


def _serve_scenario(**changes):
    return Scenario.from_accelerator("h100-sxm", changes.pop("gpus", 100_000), utilization=0.5,
                                     tokens_per_s_per_gpu=3000, tokens_per_query=500, **changes)


def test_serve_json_equals_library(capsys):
    code, out, err = run(capsys, *SERVE, "--gpus", "100k", "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    s = _serve_scenario()
    f = serving_lib().query_footprint(s)
    r = estimate(s)
    for name in ("energy_per_token_j", "energy_per_query_wh", "queries_per_day", "load_factor"):
        assert_allclose(doc["results"][name], f[name], rtol=1e-12)
    assert_allclose(doc["results"]["average_facility_power_w"], r.average_facility_power_w, rtol=1e-12)
    # Hand arithmetic: 700 W × 1.8214 × 1.1 × 1.2 = 1,683 W a GPU at full load, × 0.5 on average, for
    # 3,000 × 0.5 tokens/s: 0.561 J a token; × 500 ÷ 3600 Wh a query; 100k × 1,500 × 86,400 ÷ 500 a day.
    per_gpu = 700 * 10_200 / 5_600 * 1.1 * 1.2
    assert_allclose(doc["results"]["energy_per_token_j"], per_gpu * 0.5 / 1500, rtol=1e-12)
    assert_allclose(doc["results"]["energy_per_query_wh"], per_gpu * 0.5 / 1500 * 500 / 3600, rtol=1e-12)
    assert_allclose(doc["results"]["queries_per_day"], 100_000 * 1500 * 86_400 / 500, rtol=1e-12)
    assert [e["kind"] for e in doc["equivalents"]] == ["equivalence, not a measurement"] * 3
    assert "equivalents" not in doc["results"]


def serving_lib():
    from estimator import serving
    return serving


def test_serve_demand_gives_the_library_fleet(capsys):
    code, out, _ = run(capsys, *SERVE, "--queries-per-day", "1e9", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    fleet = serving_lib().fleet_for_queries(_serve_scenario(gpus=1), 1e9)
    # 1e9 queries × 500 tokens ÷ (3,000 tokens/s × 0.5 × 86,400 s) = 3,858.02 → 3,859 accelerators.
    assert doc["results"]["gpus"] == fleet["gpus"] == math.ceil(1e9 * 500 / (3000 * 0.5 * 86_400))
    assert_allclose(doc["results"]["facility_power_w"], fleet["facility_power_w"], rtol=1e-12)
    assert_allclose(doc["results"]["energy_per_day_wh"], fleet["energy_per_day_wh"], rtol=1e-12)
    assert doc["assumptions"]["queries_per_day"] == 1e9 and "gpus" not in doc["assumptions"]


def test_serve_query_preset_and_text(capsys):
    code, out, err = run(capsys, "serve", "--gpus", "1000", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu",
                         "3k", "--prefill-tokens-per-s-per-gpu", "20k", "--query", "long-context")
    assert (code, err) == (0, "")
    assert "(query long-context)" in out and "Energy per query" in out and "Queries a day" in out
    assert "Everyday equivalents" in out and "not measurements" in out and "US homes" in out
    # An explicit option wins over the preset.
    code, out, _ = run(capsys, "serve", "--gpus", "1000", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu",
                       "3k", "--query", "chat", "--tokens-per-query", "800", "--format", "json")
    assert json.loads(out)["assumptions"]["tokens_per_query"] == 800.0


def test_serve_split_json_equals_library(capsys):
    code, out, _ = run(capsys, *SERVE, "--gpus", "100k", "--hours", "90 days", "--mfu", "0.4", "--serving-share",
                       "30%", "--flop", "1e25", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    split = tables.fleet_split(_serve_scenario(hours=2160, mfu=0.4), 0.3, 1e25)
    assert_allclose(doc["split"]["serving"]["queries_per_day"], split["serving"]["queries_per_day"], rtol=1e-12)
    assert_allclose(doc["split"]["training"]["runs"], split["training"]["runs"], rtol=1e-12)
    assert doc["split"]["training"]["queries_per_day"] is None
    assert doc["assumptions"]["serving_share"] == 0.3
    code, out, _ = run(capsys, *SERVE, "--gpus", "100k", "--hours", "90 days", "--mfu", "0.4", "--serving-share",
                       "0.3")
    assert "Split of the fleet" in out and "serving (30.0%)" in out and "training (70.0%)" in out


@pytest.mark.parametrize("argv, match", [
    (["serve", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k", "--tokens-per-query", "500"],
     "exactly one of --gpus"),
    ([*SERVE, "--gpus", "10", "--queries-per-day", "1e9"], "exactly one of --gpus"),
    (["serve", "--gpus", "10", "--accelerator", "h100-sxm", "--tokens-per-query", "500"],
     "serve needs tokens_per_s_per_gpu"),
    (["serve", "--gpus", "10", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k"],
     "serve needs tokens_per_query"),
    ([*SERVE, "--queries-per-day", "-5"], r"queries_per_day must be > 0 \(got -5"),
    ([*SERVE, "--gpus", "10", "--serving-share", "1.5"], r"serving_share must be <= 1 \(got 1.5\)"),
    ([*SERVE, "--queries-per-day", "1e9", "--serving-share", "0.5"], "use them with --gpus"),
    ([*SERVE, "--gpus", "10", "--query", "chatt"], "unknown query preset 'chatt'"),
    (["serve", "--gpus", "10", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k", "--query",
      "long-context"], "prefill_tokens_per_s_per_gpu"),
])
def test_serve_bad_input_is_one_line(capsys, argv, match):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert re.search(match, err) and err.count("\n") == 1, err


def test_power_and_fit_take_the_serving_options(capsys):
    code, out, _ = run(capsys, "power", "--gpus", "100k", "--accelerator", "h100-sxm", "--utilization", "0.5",
                       "--tokens-per-s-per-gpu", "3k", "--tokens-per-query", "500", "--format", "json")
    assert code == 0
    r = estimate(_serve_scenario())
    doc = json.loads(out)
    for name in ("energy_per_token_j", "energy_per_query_wh", "queries_per_day"):
        assert_allclose(doc["results"][name], getattr(r, name), rtol=1e-12)
    code, out, _ = run(capsys, "fit", "--power", "1GW", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k",
                       "--tokens-per-query", "500", "--format", "json")
    [record] = json.loads(out)
    gpus = record["results"]["gpus"]
    assert_allclose(record["results"]["queries_per_day"], gpus * 3000 * 86_400 / 500, rtol=1e-12)
    code, out, _ = run(capsys, "power", "--gpus", "100k", "--accelerator", "h100-sxm")
    assert "≈ " in out and "equivalences, not measurements" in out


# --------------------------------------------------------------------------- catalogue version

def test_outputs_name_the_catalogue_version(capsys):
    code, out, _ = run(capsys, "power", "--accelerator", "h100-sxm", "--gpus", "1000", "--format", "json")
    assert code == 0 and json.loads(out)["catalog"] == catalog.VERSION
    code, out, _ = run(capsys, "power", "--accelerator", "h100-sxm", "--gpus", "1000")
    assert out.splitlines()[-1] == f"presets: catalogue {catalog.VERSION}"
    code, out, _ = run(capsys, "power", "--accelerator", "h100-sxm", "--gpus", "1000", "--format", "csv")
    header, row = out.splitlines()
    assert header.split(",")[-1] == "catalog" and row.split(",")[-1] == catalog.VERSION


def test_run_file_of_another_catalogue_uses_its_values_and_warns(capsys, tmp_path):
    path = tmp_path / "old.toml"
    io.save(Scenario.from_accelerator("h100-sxm", gpus=1000, pue=1.3), path)
    _, now, _ = run(capsys, "run", str(path), "--format", "json")
    # As an older catalogue would have written it: another version, another H100 power.
    text = path.read_text().replace(f'catalog = "{catalog.VERSION}"', 'catalog = "2025.06"')
    path.write_text(text.replace("gpu_watts = 700.0", "gpu_watts = 650.0"))
    code, out, err = run(capsys, "run", str(path), "--format", "json")
    assert code == 0 and "Traceback" not in err
    assert err.startswith(f"estimator: warning: {path}: this file was made with catalogue 2025.06")
    assert "gpu_watts (h100-sxm) 650 W then, 700 W now" in err
    (record,) = json.loads(out)
    assert record["assumptions"]["gpu_watts"] == 650.0
    assert record["provenance"]["gpu_watts"] == "pinned: catalogue 2025.06"
    # Every other number as the file made it (here, the same as today's presets give).
    (before,) = json.loads(now)
    assert_allclose(record["results"]["accelerator_power_w"], 650_000.0, rtol=1e-12)  # 1000 × 650 W
    assert record["assumptions"]["server_overhead"] == before["assumptions"]["server_overhead"]


def test_run_file_with_a_bad_catalogue_version_names_the_rule(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('accelerator = "h100-sxm"\ngpus = 10\ncatalog = "Dec 2026"\n')
    code, _, err = run(capsys, "run", str(path))
    assert code == 2
    assert err == (f"estimator: error: {path}: catalog must be a catalogue version YYYY.MM or YYYY.MM.N, "
                   f"e.g. {catalog.VERSION!r} (got 'Dec 2026')\n")


def test_run_file_of_another_catalogue_with_another_preset_uses_todays(capsys, tmp_path):
    # The accelerator named on the command line replaces the file's: its recorded H100 values do not apply.
    path = tmp_path / "old.toml"
    path.write_text('accelerator = "h100-sxm"\ngpus = 10\ncatalog = "2025.06"\n'
                    "catalog_values = { gpu_watts = 650.0 }\n")
    code, out, err = run(capsys, "run", str(path), "--accelerator", "b200", "--format", "json")
    assert code == 0 and err == ""
    (record,) = json.loads(out)
    assert record["assumptions"]["gpu_watts"] == catalog.accelerator("b200").gpu_watts.value
    code, out, err = run(capsys, "uncertainty", str(path), "--samples", "100", "--format", "json")
    assert code == 0 and "650 W then, 700 W now" in err
    assert json.loads(out)["catalog"] == catalog.VERSION


# --------------------------------------------------------------------------- campus and several limits

CAMPUS_TOML = """
pue = 1.1
accelerator_cost = 40000
facility_cost_per_w = 12
hardware_life_years = 5
facility_life_years = 20
hours = 8760

[[block]]
name = "A"
accelerator = "h100-sxm"
gpus = "100k"
online = 2025-01-01

[[block]]
name = "B"
accelerator = "gb200"
gpus = 50000
online = "2025-07-01"
"""


def test_campus_json_equals_library(capsys, tmp_path):
    from estimator import campus

    path = tmp_path / "campus.toml"
    path.write_text(CAMPUS_TOML)
    code, out, err = run(capsys, "campus", str(path), "--timeline", "quarter", "--start", "2025-01-01",
                         "--end", "2025-12-31", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    c = io.load_campus(path)
    table = campus.block_table(c)
    assert [b["name"] for b in document["blocks"]] == ["A", "B"]
    assert [b["facility_power_w"] for b in document["blocks"]] == table["facility_power_w"]
    total = estimate_any(c)
    assert document["total"]["facility_power_w"] == total.facility_power_w
    assert document["total"]["capex"] == total.capex
    t = campus.timeline(c, "2025-01-01", "2025-12-31", "quarter")
    assert document["timeline"]["dates"] == [str(d) for d in t.dates]
    assert document["timeline"]["facility_power_w"] == t.facility_power_w.tolist()
    assert document["timeline"]["energy_wh"] == t.energy_wh.tolist()


def test_campus_text_csv_and_preset(capsys, tmp_path):
    path = tmp_path / "campus.toml"
    path.write_text(CAMPUS_TOML)
    code, out, _ = run(capsys, "campus", str(path))
    assert code == 0 and "total" in out and "H100-equivalents" in out and "Timeline" not in out
    code, out, _ = run(capsys, "campus", str(path), "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("kind,name") and out.count("\nblock,") == 2
    code, out, _ = run(capsys, "campus", "stargate-abilene", "--format", "json")
    assert code == 0
    assert json.loads(out)["total"]["gpus"] == 400_000


def test_campus_timeline_needs_dates(capsys, tmp_path):
    path = tmp_path / "campus.toml"
    path.write_text(CAMPUS_TOML)
    code, _, err = run(capsys, "campus", str(path), "--timeline", "year")
    assert code == 2 and "--start" in err and "Traceback" not in err


def test_fit_capex_and_power_json_equals_library(capsys):
    from estimator import limits

    code, out, err = run(capsys, "fit", "--capex", "10B", "--power", "1GW", "--accelerator", "h100-sxm",
                         "--network-overhead", "1.1", "--pue", "1.2", "--accelerator-cost", "40k",
                         "--facility-cost-per-w", "12", "--redundancy", "2", "--format", "json")
    assert (code, err) == (0, "")
    [record] = json.loads(out)
    s = Scenario.from_accelerator("h100-sxm", gpus=1, network_overhead=1.1, pue=1.2)
    lim = limits.binding_limit(s.gpu_watts, s.server_overhead, 1.1, 1.2, power_budget_w=1e9, capex_budget=10e9,
                               accelerator_cost=40_000, facility_cost_per_w=12.0, redundancy=2.0)
    assert record["results"]["binding_limit"] == lim["binding"] == "capex"
    assert record["results"]["gpus"] == lim["fleet_gpus"]
    assert record["results"]["gpus_under_power"] == lim["gpus"][0]
    assert record["results"]["capex"] <= 10e9


def test_fit_capex_alone_is_gpus_for_capex(capsys):
    code, out, _ = run(capsys, "fit", "--capex", "$10B", "--gpu-watts", "700", "--server-overhead", "1.82",
                       "--network-overhead", "1.10", "--accelerator-cost", "40000", "--facility-cost-per-w", "12",
                       "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["results"]["gpus"] == int(estimator.gpus_for_capex(10e9, 40_000, 12.0, 700, 1.82, 1.10))


def test_fit_capex_needs_prices(capsys):
    code, _, err = run(capsys, "fit", "--capex", "10B", "--accelerator", "h100-sxm")
    assert code == 2 and "--accelerator-cost" in err


def test_fit_it_power_binds_below_the_facility_cap(capsys):
    # 500 MW of critical IT is 600 MW at the meter with PUE 1.2: below a 1 GW facility cap, so it binds.
    code, out, _ = run(capsys, "fit", "--it-power", "500MW", "--power", "1GW", "--gpu-watts", "700",
                       "--server-overhead", "1.82", "--network-overhead", "1.1", "--pue", "1.2", "--format", "json")
    assert code == 0
    [record] = json.loads(out)
    assert record["results"]["binding_limit"] == "it_power"
    assert record["results"]["gpus"] == math.floor(500e6 / (700 * 1.82 * 1.1))
    assert record["results"]["it_power_w"] <= 500e6
