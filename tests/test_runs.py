"""Tests for estimator.runs: ready training runs, sourced, and the 6ND check against reported GPU-hours."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

import estimator
from estimator import catalog, runs
from estimator.catalog import Sourced
from estimator.runs import TrainingRun

ALL_RUNS = list(runs.training_runs().values())


def test_training_runs_expected_keys():
    assert {"llama-3-8b", "llama-3-70b", "llama-3-405b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b",
            "llama-4-maverick", "gpt-3", "opt-175b", "bloom-176b", "deepseek-v3", "nemotron-4-340b",
            "grok-3"} <= set(runs.training_runs())


def test_training_runs_public_api():
    assert estimator.training_runs() is runs.training_runs()
    assert estimator.training_run("llama-3.1-405b") is runs.training_runs()["llama-3.1-405b"]
    assert estimator.compare_gpu_hours is runs.compare_gpu_hours


@pytest.mark.parametrize("run", ALL_RUNS, ids=[r.key for r in ALL_RUNS])
def test_training_run_values_sourced(run):
    assert run.name.strip() and run.developer.strip() and "http" in run.source
    assert run.accelerator is None or run.accelerator in catalog.accelerators()
    assert run.precision in runs.RUN_PRECISIONS
    for f in dataclasses.fields(run):
        value = getattr(run, f.name)
        if isinstance(value, Sourced):
            assert "http" in value.source and "DESIGN" not in value.source, (run.key, f.name)
            assert value.confirmed or value.note.strip(), (run.key, f.name)  # unconfirmed says why
    if run.active_parameters is not None:
        assert run.parameters is not None and run.active_parameters.value < run.parameters.value, run.key


def test_training_run_llama31_model_card():
    # Llama 3.1 model card: GPU hours 1.46M (8B), 7.0M (70B), 30.84M (405B), 39.3M total;
    # location-based emissions 420, 2,040, 8,930 t CO2e, 11,390 t total.
    keys = ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"]
    hours = [runs.training_run(k).gpu_hours.value for k in keys]
    tonnes = [runs.training_run(k).emissions_kg.value / 1000 for k in keys]
    assert_allclose(hours, [1.46e6, 7.0e6, 30.84e6], rtol=1e-12)
    assert_allclose(tonnes, [420, 2_040, 8_930], rtol=1e-12)
    assert_allclose(sum(hours), 39.3e6, rtol=1e-3)  # the card's total, rounded to 0.1M
    assert_allclose(sum(tonnes), 11_390, rtol=1e-12)


def test_training_run_llama31_emissions_match_site_factor():
    # The llama3-training site's 0.414 kg/kWh reproduces each row of the card at 700 W per GPU hour.
    factor = catalog.site("llama3-training").assumptions()["carbon_intensity"]
    for key in ("llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"):
        run = runs.training_run(key)
        assert_allclose(run.gpu_hours.value * 0.7 * factor, run.emissions_kg.value, rtol=0.02, err_msg=key)


def test_training_run_flop_6nd():
    # Llama 3 paper: 6 × 405e9 × 15.6e12 = 3.79e25, against the reported 3.8e25.
    run = runs.training_run("llama-3-405b")
    assert_allclose(run.flop_6nd, 3.7908e25, rtol=1e-12)
    assert_allclose(run.flop_6nd, run.training_flop.value, rtol=0.01)
    # DeepSeek-V3 report: a mixture of experts counts its 37B active parameters, not 671B.
    assert_allclose(runs.training_run("deepseek-v3").flop_6nd, 6 * 37e9 * 14.8e12, rtol=1e-12)
    # GPT-3 paper, Table D.1: 3.14e23 FLOP for 175B parameters on 300B tokens.
    gpt3 = runs.training_run("gpt-3")
    assert_allclose(gpt3.flop_6nd, gpt3.training_flop.value, rtol=0.01)
    assert runs.training_run("grok-3").flop_6nd is None  # xAI published neither


def test_compare_gpu_hours_llama31_405b():
    # Llama 3 paper: 41% BF16 MFU on 16,384 H100 (989.4 TFLOP/s dense). 6ND at 41% gives 25.96M
    # GPU-hours; the model card reports 30.84M, so the effective MFU over the run is about 34.5%.
    c = runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41)
    assert_allclose(c["estimated_gpu_hours"], 25.96e6, rtol=0.005e6 / 25.96e6)
    assert c["reported_gpu_hours"] == 30.84e6
    assert_allclose(c["implied_mfu"], 0.345, rtol=0.0005 / 0.345)
    assert_allclose(c["implied_mfu"], 0.41 * c["estimated_gpu_hours"] / c["reported_gpu_hours"], rtol=1e-12)
    assert_allclose(c["ratio"], 30.84 / 25.958, rtol=1e-4)
    assert c["peak_flop_per_s"] == 989.4e12


def test_compare_gpu_hours_array_equals_scalar():
    mfu = np.array([0.3, 0.41, 0.5])
    vector = runs.compare_gpu_hours("llama-3.1-405b", mfu=mfu)
    for i, m in enumerate(mfu):
        one = runs.compare_gpu_hours("llama-3.1-405b", mfu=float(m))
        assert_allclose(vector["estimated_gpu_hours"][i], one["estimated_gpu_hours"], rtol=1e-12)
        assert_allclose(vector["ratio"][i], one["ratio"], rtol=1e-12)
    # the implied MFU does not depend on the assumed one
    assert_allclose(vector["implied_mfu"], vector["implied_mfu"][0], rtol=1e-12)


def test_compare_gpu_hours_fp8_and_given_peak():
    # DeepSeek-V3 trained in FP8 on H800: MFU against the FP8 peak is half that against BF16.
    bf16 = runs.compare_gpu_hours("deepseek-v3", mfu=0.4)
    fp8 = runs.compare_gpu_hours("deepseek-v3", mfu=0.4, precision="fp8")
    assert_allclose(fp8["implied_mfu"], bf16["implied_mfu"] / 2, rtol=1e-3)
    given = runs.compare_gpu_hours("deepseek-v3", mfu=0.4, peak_flop_per_s=1e15)
    assert given["peak_flop_per_s"] == 1e15
    # A run without reported GPU-hours still gets its estimate.
    nemotron = runs.compare_gpu_hours("nemotron-4-340b", mfu=0.41)
    assert nemotron["reported_gpu_hours"] is None and nemotron["implied_mfu"] is None
    assert nemotron["estimated_gpu_hours"] > 0


def test_compare_gpu_hours_invalid():
    with pytest.raises(ValueError, match=r"mfu must be in \(0, 1\]"):
        runs.compare_gpu_hours("llama-3.1-405b", mfu=1.5)
    with pytest.raises(ValueError, match=r"mfu must be in \(0, 1\]"):
        runs.compare_gpu_hours("llama-3.1-405b", mfu=0)
    with pytest.raises(ValueError, match="'grok-3' has no published parameters and tokens"):
        runs.compare_gpu_hours("grok-3", mfu=0.4)
    bare = dataclasses.replace(runs.training_run("llama-3.1-405b"), key="mine", accelerator=None)
    with pytest.raises(ValueError, match="names no accelerator; give peak_flop_per_s"):
        runs.compare_gpu_hours(bare, mfu=0.4)
    assert runs.compare_gpu_hours(bare, mfu=0.4, peak_flop_per_s=989.4e12)["ratio"] > 1
    with pytest.raises(ValueError, match="has no FP8 peak"):
        runs.compare_gpu_hours("gpt-3", mfu=0.2, precision="fp8")


def test_training_run_lookup():
    assert runs.training_run("LLAMA_3.1_405B").key == "llama-3.1-405b"
    with pytest.raises(ValueError, match=r"unknown training run 'llama-5' \(valid: ") as info:
        runs.training_run("llama-5")
    assert "did you mean" in str(info.value)
    with pytest.raises(TypeError, match="training run name must be a str"):
        runs.training_run(405)


def test_training_runs_read_only_and_frozen():
    table = runs.training_runs()
    with pytest.raises(TypeError):
        table["mine"] = None
    run = table["gpt-3"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.gpus = None
    assert isinstance(run, TrainingRun)


def _with_runs(monkeypatch, entry):
    real = catalog._load
    monkeypatch.setattr(catalog, "_load", lambda name: {"bad": entry} if name == "runs.toml" else real(name))
    monkeypatch.setattr(runs, "_TABLE", {})


def _good(**changes):
    return {"name": "x", "developer": "x", "date": "2024-01-01", "precision": "bf16",
            "source": "x, https://example.org"} | changes


@pytest.mark.parametrize("entry,match", [
    (_good(accelerator="h300"), r"runs.toml \[bad\].accelerator: unknown accelerator 'h300'"),
    (_good(date="soon"), r"runs.toml \[bad\].date must be a date"),
    (_good(precision="fp4"), r"runs.toml \[bad\].precision must be one of bf16, fp8, fp16"),
    (_good(tokens=15e12), r"runs.toml \[bad\].tokens must be a table"),
    (_good(mfu={"value": 41, "unit": "ratio", "source": "x"}), r"runs.toml \[bad\].mfu must be in \(0, 1\]"),
    (_good(flops={"value": 1, "unit": "FLOP", "source": "x"}), r"runs.toml \[bad\] has unknown key\(s\) flops"),
])
def test_training_runs_invalid_data(monkeypatch, entry, match):
    _with_runs(monkeypatch, entry)
    with pytest.raises(ValueError, match=match):
        runs.training_runs()


# Reported accelerator-hours of each run that published them, with the source the figure comes from.
REPORTED_GPU_HOURS = [
    ("llama-3-8b", 1.3e6),  # Meta, Llama 3 model card: 1.3M H100-80GB GPU hours
    ("llama-3-70b", 6.4e6),  # Meta, Llama 3 model card: 6.4M
    ("llama-3.1-405b", 30.84e6),  # Meta, Llama 3.1 model card: 30.84M
    ("llama-4-maverick", 2.38e6),  # Meta, Llama 4 model card: 2.38M
    ("gpt-3", 3.552e6),  # Patterson et al. 2021, Table 4: 10,000 V100 × 14.8 days (derived)
    ("bloom-176b", 1_082_990),  # Luccioni et al. 2023, Table 1: 1,082,990 A100 hours
    ("deepseek-v3", 2.788e6),  # DeepSeek-V3 technical report, Table 1: 2.788M H800 GPU hours
]


@pytest.mark.parametrize(("key", "hours"), REPORTED_GPU_HOURS, ids=[k for k, _ in REPORTED_GPU_HOURS])
def test_training_run_reported_gpu_hours(key, hours):
    run = runs.training_run(key)
    assert_allclose(run.gpu_hours.value, hours, rtol=1e-12)
    c = runs.compare_gpu_hours(run, mfu=0.4, precision=run.scenario_precision)
    assert c["reported_gpu_hours"] == run.gpu_hours.value
    assert_allclose(c["implied_mfu"] * c["reported_gpu_hours"] * 3600 * c["peak_flop_per_s"], run.flop_6nd,
                    rtol=1e-12)


@pytest.mark.parametrize(("key", "flop"), [
    ("llama-3-405b", 3.8e25),  # Llama 3 paper, section 3.3: 3.8 × 10^25 FLOP
    ("llama-3.1-405b", 3.8e25),  # the same run
    ("gpt-3", 3.14e23),  # GPT-3 paper, Table D.1: 3.64e3 petaflop/s-days
])
def test_training_run_reported_flop_is_6nd(key, flop):
    run = runs.training_run(key)
    assert_allclose(run.training_flop.value, flop, rtol=1e-12)
    assert_allclose(run.flop_6nd, flop, rtol=0.01)
    assert run.flop == run.flop_6nd  # every estimate counts 6ND where N and D are published


def test_training_run_llama3_goodput_preset():
    # Llama 3 paper, section 3.3.4: "higher than 90% effective training time" over a 54-day snapshot.
    for key in ("llama-3-405b", "llama-3.1-405b"):
        goodput = runs.training_run(key).goodput
        assert goodput.value == 0.9 and "3.3.4" in goodput.source and "90%" in goodput.note
    assert runs.training_run("deepseek-v3").goodput is None


def test_compare_gpu_hours_goodput():
    # At Llama 3's 41% MFU the model card's 30.84M GPU-hours imply a goodput of 0.345 / 0.41 = 0.84;
    # goodput 0.5 doubles the estimate and leaves the implied figures alone.
    full = runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41)
    half = runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41, goodput=0.5)
    assert_allclose(half["estimated_gpu_hours"], 2 * full["estimated_gpu_hours"], rtol=1e-12)
    assert_allclose(full["implied_goodput"], full["implied_mfu"] / 0.41, rtol=1e-12)
    assert_allclose(full["implied_goodput"], 0.842, rtol=0.0005 / 0.842)
    assert half["implied_goodput"] == full["implied_goodput"]
    assert_allclose(runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41, goodput=full["implied_goodput"])[
        "estimated_gpu_hours"], 30.84e6, rtol=1e-12)  # the implied goodput closes the gap
    with pytest.raises(ValueError, match=r"goodput must be in \(0, 1\]"):
        runs.compare_gpu_hours("llama-3.1-405b", mfu=0.41, goodput=1.2)
    assert runs.compare_gpu_hours("nemotron-4-340b", mfu=0.41)["implied_goodput"] is None


def test_training_run_compact_name():
    assert runs.training_run("llama3-405b").key == "llama-3-405b"
    assert runs.training_run("Llama3.1-405B").key == "llama-3.1-405b"
    assert runs.training_run("deepseekv3").key == "deepseek-v3"
