"""Tests for estimator.catalog: every preset sourced, in range, and looked up safely."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from estimator import Scenario, catalog, estimate, runs
from estimator.catalog import Accelerator, Sourced

DOCS = Path(__file__).resolve().parents[1] / "docs" / "presets.md"

LOOKUPS = [
    (catalog.accelerator, catalog.accelerators, "accelerator"),
    (catalog.methodology, catalog.methodologies, "methodology"),
    (catalog.site, catalog.sites, "site"),
    (catalog.reference_cluster, catalog.reference_clusters, "reference cluster"),
]


def _sourced_values(entry):
    """Every (field path, Sourced) of a catalogue entry, dict fields included."""
    for f in dataclasses.fields(entry):
        value = getattr(entry, f.name)
        if isinstance(value, Sourced):
            yield f.name, value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield f"{f.name}.{key}", item


def _all_entries():
    for _, listing, kind in LOOKUPS:
        for key, entry in listing().items():
            yield kind, key, entry


ALL_SOURCED = [
    pytest.param(value, id=f"{kind}:{key}.{path}")
    for kind, key, entry in _all_entries()
    for path, value in _sourced_values(entry)
]


def test_catalog_expected_keys():
    assert {"h100-sxm", "h200", "a100-sxm", "b200", "gb200", "mi300x", "tpu-v5p"} <= set(
        catalog.accelerators())
    assert {"neutral", "nameplate", "epoch-ai", "epoch-ai-gpu-share", "semianalysis", "epoch-ai-clusters",
            "epoch-ai-models"} <= set(catalog.methodologies())
    assert {"google-fleet", "meta-fleet", "aws-fleet", "microsoft-fleet", "industry-average"} <= set(
        catalog.sites())
    assert {"llama3-405b", "meta-genai-24k", "semianalysis-100k-h100", "stargate-abilene"} <= set(
        catalog.reference_clusters())


def test_catalog_current_parts():
    parts = catalog.accelerators()
    assert len(parts) >= 16
    assert {"h100-pcie", "h100-nvl", "h200-nvl", "h800", "v100-sxm", "a100-40gb", "b300", "gb300", "mi325x",
            "mi350x", "mi355x", "tpu-v6e", "tpu-v7", "trainium2", "gaudi3"} <= set(parts)
    assert max(p.year for p in parts.values()) >= 2025
    # every ready training run names a part the catalogue has
    used = {r.accelerator for r in runs.training_runs().values() if r.accelerator is not None}
    assert used <= set(parts)


def test_catalog_version():
    assert catalog.VERSION == "2026.12"
    assert f"version {catalog.VERSION}" in catalog.document()


def test_catalog_built_once_and_shared():
    for _, listing, _kind in LOOKUPS:
        assert listing() is listing()
    assert catalog.accelerator("h100-sxm") is catalog.accelerators()["h100-sxm"]
    assert catalog.methodology("epoch-ai") is catalog.methodology("EPOCH_AI")


@pytest.mark.parametrize("value", ALL_SOURCED)
def test_sourced_every_value_has_source(value):
    assert isinstance(value, Sourced)
    assert value.unit.strip()
    # A citation is a public document plus its address; the project's own
    # assumptions (neutral, nameplate) say so and name the section of
    # docs/methodology.md that documents them. Internal briefs are never a source.
    assert "http" in value.source or value.source.startswith("Project assumption, documented in docs/"), value.source
    assert "DESIGN" not in value.source and "DESIGN" not in value.note, value
    assert math.isfinite(value.value)
    assert value.value > 0


@pytest.mark.parametrize("value", ALL_SOURCED)
def test_sourced_unconfirmed_says_why(value):
    if not value.confirmed:
        assert value.note.strip(), f"unconfirmed value without a note: {value}"


@pytest.mark.parametrize("kind,key,entry", [pytest.param(*e, id=f"{e[0]}:{e[1]}") for e in _all_entries()])
def test_catalog_entry_text_fields(kind, key, entry):
    assert entry.key == key
    assert entry.name.strip()
    for name in ("source", "description"):
        if hasattr(entry, name):
            assert getattr(entry, name).strip()


# Parts whose dense FP8 peak is not twice the BF16 one, as their makers publish.
FP8_RATIO = {"gaudi3": 1835 / 1835,  # Intel Gaudi 3, Hot Chips 2024: BF16 and FP8 matrix both 1,835 TFLOPS
             "trainium2": 1299 / 667}  # AWS Neuron docs, Trainium2: FP8 1,299, BF16 667 TFLOPS


def test_accelerators_ratios_and_peaks_valid():
    units = {"memory_bytes": "B", "memory_bandwidth_bytes_per_s": "B/s", "accelerators_per_server": "count",
             "accelerators_per_rack": "count", "server_power_w": "W", "rack_power_w": "W",
             "peak_flop_per_s_fp4": "FLOP/s", "peak_flop_per_s_fp8": "FLOP/s"}
    for key, part in catalog.accelerators().items():
        assert part.server_overhead.value >= 1, key
        assert part.gpu_watts.unit == "W"
        assert part.peak_flop_per_s.unit == "FLOP/s"
        for name, unit in units.items():
            value = getattr(part, name)
            assert value is None or value.unit == unit, (key, name)
        assert part.memory_bytes is not None and part.memory_bandwidth_bytes_per_s is not None, key
        assert part.accelerators_per_server is not None, key
        if part.peak_flop_per_s_fp8 is not None:
            # Dense FP8 is twice dense BF16 on the listed parts but two; a sparse
            # figure slipped into either field would break the ratio.
            assert_allclose(part.peak_flop_per_s_fp8.value / part.peak_flop_per_s.value,
                            FP8_RATIO.get(key, 2.0), rtol=1e-3, err_msg=key)
        if part.peak_flop_per_s_fp4 is not None:
            assert part.peak_flop_per_s_fp8 is not None, key
            ratio = part.peak_flop_per_s_fp4.value / part.peak_flop_per_s_fp8.value
            assert 2.0 - 1e-3 <= ratio <= 3.0 + 1e-3, key  # dense FP4 is 2–3× dense FP8
        if part.server_power_w is not None and part.accelerators_per_server is not None:
            # a server's rating covers at least its accelerators
            assert part.server_power_w.value >= part.accelerators_per_server.value * part.gpu_watts.value, key
        assert part.memory_bytes.value < 1e12 and part.memory_bandwidth_bytes_per_s.value < 2e13, key


def test_accelerator_fp4_is_information_only():
    b300 = catalog.accelerator("b300")
    assert b300.peak_flop_per_s_fp4 is not None
    with pytest.raises(ValueError, match=r"precision must be 'bf16' or 'fp8' \(got 'fp4'\)"):
        b300.assumptions("fp4")


def test_accelerator_new_parts_reference_values():
    # Google Cloud TPU7x documentation: BF16 2,307 and FP8 4,614 TFLOPs per chip, 192 GiB HBM.
    ironwood = catalog.accelerator("tpu-v7")
    assert_allclose([ironwood.peak_flop_per_s.value, ironwood.peak_flop_per_s_fp8.value], [2307e12, 4614e12],
                    rtol=1e-12)
    assert ironwood.memory_bytes.value == 192 * 2**30
    # Google Cloud TPU v6e documentation: 918 TFLOPs bf16, 32 GB, 1,638 GBps, 8 chips per host.
    v6e = catalog.accelerator("tpu-v6e")
    assert_allclose([v6e.peak_flop_per_s.value, v6e.memory_bandwidth_bytes_per_s.value], [918e12, 1.638e12],
                    rtol=1e-12)
    # AWS Neuron documentation, Trainium2: 667 BF16 / 1,299 FP8 TFLOPS, 96 GiB.
    trn2 = catalog.accelerator("trainium2")
    assert_allclose(trn2.peak_flop_per_s_fp8.value, 1299e12, rtol=1e-12)
    assert trn2.memory_bytes.value == 96 * 2**30
    # NVIDIA H100 PCIe product brief: maximum TDP 350 W.
    assert catalog.accelerator("h100-pcie").gpu_watts.value == 350.0
    # Board powers not published by their makers are labelled estimates.
    for key in ("tpu-v6e", "tpu-v7", "trainium2", "tpu-v5p"):
        watts = catalog.accelerator(key).gpu_watts
        assert not watts.confirmed and "estimate" in watts.note.lower(), key


def test_accelerator_h100_reference_values():
    h100 = catalog.accelerator("h100-sxm")
    # NVIDIA H100 datasheet: 700 W TDP (SXM5); Llama 3 paper arXiv:2407.21783 also states 700 W.
    assert_allclose(h100.gpu_watts.value, 700.0, rtol=0)
    # NVIDIA H100 whitepaper: 989.4 TFLOP/s dense BF16 (1,979 with sparsity).
    assert_allclose(h100.peak_flop_per_s.value, 989.4e12, rtol=1e-12)
    assert h100.peak_flop_per_s.value < 1.5e15  # not the sparse figure
    assert h100.gpu_watts.confirmed and h100.peak_flop_per_s.confirmed


def test_accelerator_server_overhead_from_system_ratings():
    # DGX H100 user guide: 10.2 kW max for 8 × 700 W.
    assert_allclose(catalog.accelerator("h100-sxm").server_overhead.value, 10_200 / (8 * 700), rtol=1e-12)
    assert_allclose(catalog.accelerator("h100-sxm").server_overhead.value, 1.821, rtol=1e-3)
    # HGX H200 is a drop-in for the same server: same ratio as H100.
    assert_allclose(catalog.accelerator("h200").server_overhead.value, 1.821, rtol=1e-3)
    # DGX A100 datasheet: 6.5 kW for 8 × 400 W.
    assert_allclose(catalog.accelerator("a100-sxm").server_overhead.value, 6_500 / (8 * 400), rtol=1e-12)
    # DGX B200 user guide: 14.3 kW max for 8 × 1,000 W.
    assert_allclose(catalog.accelerator("b200").server_overhead.value, 14_300 / (8 * 1_000), rtol=1e-12)
    # GB200 NVL72: about 120 kW per rack for 72 GPUs at 1,200 W.
    assert_allclose(catalog.accelerator("gb200").server_overhead.value, 120_000 / (72 * 1_200), rtol=1e-12)


def test_accelerator_estimates_flagged():
    tpu = catalog.accelerator("tpu-v5p")
    assert not tpu.gpu_watts.confirmed
    assert "estimate" in tpu.gpu_watts.note.lower()
    gb200 = catalog.accelerator("gb200")
    assert not gb200.server_overhead.confirmed
    assert "Grace" in gb200.server_overhead.note
    mi300x = catalog.accelerator("mi300x")
    assert not mi300x.server_overhead.confirmed
    assert_allclose(mi300x.server_overhead.value, 1.8, rtol=0)


def test_accelerator_assumptions_scalar():
    h100 = catalog.accelerator("h100-sxm")
    assert h100.assumptions() == {
        "gpu_watts": 700.0,
        "peak_flop_per_s": 989.4e12,
        "server_overhead": 10_200 / 5_600,
        "accelerators_per_rack": 32.0,  # four DGX H100 per rack (unconfirmed)
    }
    assert_allclose(h100.assumptions("fp8")["peak_flop_per_s"], 1978.9e12, rtol=1e-12)
    assert h100.sourced_assumptions()["gpu_watts"] is h100.gpu_watts


def test_accelerator_assumptions_invalid():
    with pytest.raises(ValueError, match="'a100-sxm' has no FP8 peak"):
        catalog.accelerator("a100-sxm").assumptions("fp8")
    with pytest.raises(ValueError, match=r"precision must be 'bf16' or 'fp8' \(got 'fp4'\)"):
        catalog.accelerator("h100-sxm").assumptions("fp4")


@pytest.mark.parametrize("name", ["h100-sxm", "H100-SXM", "h100_sxm", "H100_SXM", " h100 sxm "])
def test_accelerator_case_insensitive(name):
    assert catalog.accelerator(name).key == "h100-sxm"


def test_accelerator_unknown():
    with pytest.raises(ValueError, match=r"unknown accelerator 'h300' \(valid: a100-40gb, a100-sxm, b200, ") as info:
        catalog.accelerator("h300")
    assert "did you mean 'h800'?" in str(info.value) or "did you mean 'h200'?" in str(info.value)
    with pytest.raises(ValueError, match="did you mean 'h100-sxm'"):
        catalog.accelerator("h100-sx")
    for key in catalog.accelerators():
        assert key in str(info.value)


def test_accelerator_unknown_without_suggestion():
    with pytest.raises(ValueError, match=r"unknown accelerator 'zzzzzz' \(valid: ") as info:
        catalog.accelerator("zzzzzz")
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize("lookup,listing,kind", LOOKUPS, ids=[k for *_, k in LOOKUPS])
def test_lookup_unknown(lookup, listing, kind):
    with pytest.raises(ValueError, match=rf"unknown {kind} 'no-such-preset' \(valid: ") as info:
        lookup("no-such-preset")
    assert ", ".join(sorted(listing())) in str(info.value)
    with pytest.raises(ValueError, match=rf"unknown {kind} ''"):
        lookup("")


@pytest.mark.parametrize("bad", [None, 100, 1.5, b"h100-sxm", ["h100-sxm"]])
@pytest.mark.parametrize("lookup,listing,kind", LOOKUPS, ids=[k for *_, k in LOOKUPS])
def test_lookup_type_error(lookup, listing, kind, bad):
    with pytest.raises(TypeError, match=rf"{kind} name must be a str \(got {type(bad).__name__}\)"):
        lookup(bad)


@pytest.mark.parametrize("lookup,listing,kind", LOOKUPS, ids=[k for *_, k in LOOKUPS])
def test_lookup_case_insensitive(lookup, listing, kind):
    for key in listing():
        assert lookup(key.upper().replace("-", "_")).key == key


def test_methodology_assumptions_epoch_per_accelerator():
    epoch = catalog.methodology("epoch-ai")
    # Epoch AI training-cost-trends energy.py: A100 (6.5 kW / 8) / 0.4 kW = 2.031.
    assert_allclose(epoch.assumptions("a100-sxm")["server_overhead"], 2.031, rtol=1e-3)
    # Same file: H100 (10.2 kW / 8) / 0.7 kW = 1.821.
    assert_allclose(epoch.assumptions("h100-sxm")["server_overhead"], 1.821, rtol=1e-3)
    # Same file: every other GPU 1.8 (H200 is not matched by Epoch's "H100" test).
    for key in ("h200", "b200", "gb200", "mi300x"):
        assert_allclose(epoch.assumptions(key)["server_overhead"], 1.8, rtol=0, err_msg=key)
    # Same file: other TPUs 1.56, and 43% of server TDP on average for TPUs.
    tpu = epoch.assumptions("tpu-v5p")
    assert_allclose([tpu["server_overhead"], tpu["utilization"]], [1.56, 0.43], rtol=0)
    common = epoch.assumptions("h100-sxm")
    assert_allclose([common["network_overhead"], common["pue"], common["utilization"], common["mfu"]],
                    [1.0, 1.1, 0.75, 0.375], rtol=0)


def test_methodology_assumptions_accelerator_object():
    nameplate = catalog.methodology("nameplate")
    b200 = catalog.accelerator("b200")
    assert nameplate.assumptions(b200) == nameplate.assumptions("b200")
    own = Sourced(1.5, "ratio", "my notes, local")
    custom = dataclasses.replace(b200, key="my-part", server_overhead=own)
    assert nameplate.assumptions(custom)["server_overhead"] == 1.5


def test_methodology_assumptions_invalid():
    with pytest.raises(ValueError, match=r"unknown accelerator 'h300'"):
        catalog.methodology("epoch-ai").assumptions("h300")
    with pytest.raises(TypeError, match="accelerator name must be a str"):
        catalog.methodology("epoch-ai").assumptions(3)


def test_methodology_nameplate_design_example():
    # docs/methodology.md worked example (NVIDIA DGX H100 user guide: 10.2 kW for 8 GPUs): DGX H100
    # ratio 1.82, network 1.10, PUE 1.2 → about 1.68 kW per H100 at the facility, 595,000 H100 in 1 GW.
    values = catalog.methodology("nameplate").assumptions("h100-sxm")
    per_gpu_w = 700 * values["server_overhead"] * values["network_overhead"] * values["pue"]
    assert_allclose(per_gpu_w, 1_680, rtol=5e-3)
    assert_allclose(1e9 / per_gpu_w, 595_000, rtol=5e-3)
    assert values["utilization"] == 1.0
    assert "mfu" not in values


def test_methodology_neutral_all_ones():
    for key in catalog.accelerators():
        assert catalog.methodology("neutral").assumptions(key) == {
            "server_overhead": 1.0, "network_overhead": 1.0, "pue": 1.0, "utilization": 1.0}


def test_methodology_epoch_gpu_share_about_40_percent():
    values = catalog.methodology("epoch-ai-gpu-share").assumptions("h100-sxm")
    assert_allclose([values["server_overhead"], values["network_overhead"], values["pue"]],
                    [1.53, 1.14, 1.4], rtol=0)
    # Epoch AI data insight: GPUs draw "about 40%" of a frontier AI data center's power.
    share = 1 / (values["server_overhead"] * values["network_overhead"] * values["pue"])
    assert_allclose(share, 0.40, atol=0.02)


def test_methodology_semianalysis_host_power():
    semi = catalog.methodology("semianalysis")
    # SemiAnalysis "100,000 H100 Clusters": 700 W GPU + about 575 W host per GPU.
    assert_allclose(semi.assumptions("h100-sxm")["server_overhead"], (700 + 575) / 700, rtol=1e-12)
    # Other parts fall back to their own system rating (an extrapolation of the method).
    assert semi.assumptions("b200")["server_overhead"] == catalog.accelerator("b200").server_overhead.value
    assert not semi.pue.confirmed
    assert "CALIBRATED" in semi.network_overhead.note and "150 MW" in semi.network_overhead.note
    assert "extrapolation" in semi.description


def test_methodology_semianalysis_reproduces_headline_figures():
    # SemiAnalysis, "100,000 H100 Clusters" (17 Jun 2024): ">150MW in datacenter capacity ... 1.59
    # terawatt hours in a single year, costing $123.9 million at a standard rate of $0.078/kWh".
    s = Scenario.from_accelerator("h100-sxm", gpus=100_000, methodology="semianalysis", hours=8760,
                                  electricity_price=0.078)
    r = estimate(s)
    assert_allclose(r.it_power_w, 150e6, rtol=1e-12)
    assert_allclose(r.energy_wh / 1e12, 1.59, rtol=0.005 / 1.59)  # to the article's rounding, 0.01 TWh
    assert_allclose(r.cost / 1e6, 123.9, rtol=0.05 / 123.9)  # to the article's rounding, $0.1M
    # The per-GPU build-up alone falls short of 150 MW, which is why one factor is calibrated.
    build_up = 100_000 * (700 + 575) * 1.10
    assert build_up < 150e6


EPOCH_CLUSTERS = [
    # Epoch AI GPU clusters dataset ("Estimating power requirements": TDP × chips × 1.82 × PUE by year).
    pytest.param([("h100-sxm", 200_000, 700.0), ("gb200", 30_000, 1200.0)], "2025-06-01", 352.352e6,
                 id="colossus-phase-3"),  # xAI Colossus phase 3, 2025: 352.352 MW (two parts summed)
    pytest.param([(None, 37_632, 500.0)], "2022-05-27", 40.067e6, id="frontier"),  # ORNL Frontier, MI250X
    pytest.param([("v100-sxm", 27_648, 300.0)], "2018-06-08", 19.021e6, id="summit"),  # ORNL Summit, V100
    pytest.param([(None, 63_744, 600.0)], "2024-05-13", 77.961e6, id="aurora"),  # ANL Aurora, Max 1550
]


@pytest.mark.parametrize("parts,date,expected_w", EPOCH_CLUSTERS)
def test_methodology_epoch_clusters_reproduces_dataset(parts, date, expected_w):
    total = 0.0
    for part, gpus, watts in parts:
        s = Scenario.from_accelerator(part, gpus=gpus, methodology="epoch-ai-clusters", date=date,
                                      gpu_watts=watts)
        total += estimate(s).facility_power_w
    assert_allclose(total, expected_w, rtol=0.5e3 / expected_w)  # the dataset rounds to 1 kW


EPOCH_MODELS = [
    # Epoch AI Notable AI Models, "Training power draw (W)": chips × TDP × 1.82 × PUE(publication date).
    pytest.param("gpt-3", "v100-sxm", 10_000, 250.0, 5_100_760, id="gpt-3"),  # Epoch's row uses 250 W per V100
    pytest.param("gpt-4", "a100-sxm", 25_000, 400.0, 19_944_368, id="gpt-4"),
    pytest.param("falcon-180b", "a100-40gb", 4_096, 400.0, 3_254_975, id="falcon-180b"),
]


@pytest.mark.parametrize("run,part,gpus,watts,expected_w", EPOCH_MODELS)
def test_methodology_epoch_models_reproduces_dataset(run, part, gpus, watts, expected_w):
    date = runs.training_run(run).date  # the publication date, as Epoch dates each row
    s = Scenario.from_accelerator(part, gpus=gpus, methodology="epoch-ai-models", date=date, gpu_watts=watts)
    assert_allclose(estimate(s).facility_power_w, expected_w, rtol=0.5 / expected_w)  # rounded to 1 W


def test_methodology_epoch_clusters_by_date_end_to_end():
    # Epoch AI GPU clusters: PUE 1.12 in 2024; 1.82 overhead covers network and storage.
    s = Scenario.from_accelerator("h100-sxm", gpus=24_576, methodology="epoch-ai-clusters", date="2024-03-12")
    assert (s.server_overhead, s.network_overhead, s.pue, s.utilization) == (1.82, 1.0, 1.12, 1.0)
    assert s.provenance["pue"].origin == "methodology" and s.provenance["pue"].preset == "epoch-ai-clusters"
    assert s.presets["date"] == "2024-03-12"
    assert_allclose(estimate(s).facility_power_w, 24_576 * 700 * 1.82 * 1.12, rtol=1e-12)
    undated = Scenario.from_accelerator("h100-sxm", gpus=24_576, methodology="epoch-ai-clusters")
    assert undated.pue == 1.10  # undated or planned clusters


def test_methodology_pue_at_edges():
    clusters = catalog.methodology("epoch-ai-clusters")
    assert clusters.varies_by_date and not catalog.methodology("epoch-ai").varies_by_date
    assert clusters.pue_at("2031-01-01").value == 1.10  # 2025 and later
    early = clusters.pue_at("2012-01-01")
    assert early.value == 1.31 and "before the first" in early.note
    assert clusters.pue_at(None) is clusters.pue
    models = catalog.methodology("epoch-ai-models")
    # 1.1247470 × 0.9918991^t falls below 1 after about 14.5 years: kept at 1.
    assert models.pue_at("2040-01-01").value == 1.0 and "kept at 1.0" in models.pue_at("2040-01-01").note
    assert_allclose(models.pue_at("2021-01-01").value, 1.1247470 * 0.9918991 ** (366 / 365.25), rtol=1e-12)
    # A method that does not vary by date ignores the date.
    assert catalog.methodology("nameplate").assumptions("h100-sxm", date="2019-01-01")["pue"] == 1.2
    import datetime
    assert clusters.pue_at(datetime.date(2020, 6, 1)).value == 1.20


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", 2024])
def test_methodology_pue_at_invalid(bad):
    with pytest.raises(ValueError, match="date must be a date YYYY-MM-DD"):
        catalog.methodology("epoch-ai-clusters").pue_at(bad)


def test_methodology_epoch_network_included():
    for key in ("epoch-ai", "epoch-ai-clusters", "epoch-ai-models"):
        assert catalog.methodology(key).network_overhead.value == 1.0, key


def test_methodologies_ratios_valid():
    parts = catalog.accelerators()
    for key, method in catalog.methodologies().items():
        assert set(method.server_overhead_by_accelerator) <= set(parts), key
        assert set(method.utilization_by_accelerator) <= set(parts), key
        for part in parts:
            values = method.assumptions(part)
            for name in ("server_overhead", "network_overhead", "pue"):
                assert values[name] >= 1, (key, part, name)
            assert 0 < values["utilization"] <= 1, (key, part)
            assert 0 < values.get("mfu", 1) <= 1, (key, part)


def test_sites_assumptions_only_set_fields():
    # AWS sustainability page: PUE 1.15 in 2024; WUE 0.15 L/kWh (secondary).
    assert catalog.site("aws-fleet").assumptions() == {"pue": 1.15, "wue": 0.15}
    assert catalog.site("meta-fleet").assumptions() == {"pue": 1.08, "wue": 0.26}
    assert catalog.site("microsoft-fleet").assumptions() == {"pue": 1.18, "wue": 0.30}
    # Google Environmental Report 2025: 84% less overhead than the industry's 1.56 -> 1.09.
    assert catalog.site("google-fleet").assumptions() == {"pue": 1.09}
    # Uptime Institute Global Data Center Survey 2025: industry average PUE 1.54.
    assert catalog.site("industry-average").assumptions() == {"pue": 1.54}
    # Epoch AI training-cost-trends: US industrial electricity 2025, $0.0826/kWh.
    assert catalog.site("us-hyperscale-2025").assumptions()["electricity_price"] == 0.0826
    for key, entry in catalog.sites().items():
        assert entry.pue is None or entry.pue.value >= 1, key
        assert entry.assumptions(), key
        assert set(entry.assumptions()) <= {"pue", "wue", "carbon_intensity", "electricity_price"}


def test_sites_grid_only_keeps_methodology_pue():
    # Ember via Our World in Data: 2023 generation intensity, e.g. France 56 g, India 713 g CO2e/kWh.
    assert catalog.site("grid-france-2023").assumptions() == {"carbon_intensity": 0.056}
    assert catalog.site("grid-india-2023").assumptions() == {"carbon_intensity": 0.713}
    s = Scenario.from_accelerator("h100-sxm", gpus=1000, site="grid-world-2023", hours=24)
    assert s.pue == 1.2 and s.provenance["pue"].preset == "nameplate"
    assert s.carbon_intensity == 0.481 and s.provenance["carbon_intensity"].origin == "site"


def test_site_llama3_carbon_intensity_reproduces_model_card():
    factor = catalog.site("llama3-training").assumptions()["carbon_intensity"]
    # Llama 3.1 model card: 39.3M GPU hours at 700 W, 11,390 t CO2e location-based.
    emissions_t = 39.3e6 * 0.700 * factor / 1000
    assert_allclose(emissions_t, 11_390, rtol=1e-3)


def test_reference_clusters_consistent():
    parts = catalog.accelerators()
    for key, cluster in catalog.reference_clusters().items():
        assert cluster.accelerator is None or cluster.accelerator in parts, key
        assert cluster.gpus or cluster.facility_power_w or cluster.it_power_w, key
        if cluster.gpus is not None:
            assert cluster.gpus.value == int(cluster.gpus.value), key
        if cluster.gpus is not None and cluster.accelerator is not None:
            for power in (cluster.facility_power_w, cluster.it_power_w):
                if power is not None:
                    # All-in watts per accelerator can't be below the chip's own.
                    assert power.value / cluster.gpus.value >= parts[cluster.accelerator].gpu_watts.value, key


def test_reference_cluster_published_sizes():
    # Llama 3 paper (arXiv:2407.21783): 405B trained on up to 16,384 H100.
    assert catalog.reference_cluster("llama3-405b").gpus.value == 16_384
    # Meta Engineering, 2024-03-12: two clusters of 24,576 H100.
    assert catalog.reference_cluster("meta-genai-24k").gpus.value == 24_576
    # SemiAnalysis: 100k H100 at over 150 MW of critical IT.
    semi = catalog.reference_cluster("semianalysis-100k-h100")
    assert (semi.gpus.value, semi.it_power_w.value) == (100_000, 150e6)


@pytest.mark.parametrize("lookup,listing,kind", LOOKUPS, ids=[k for *_, k in LOOKUPS])
def test_listing_read_only(lookup, listing, kind):
    table = listing()
    key = next(iter(table))
    with pytest.raises(TypeError):
        del table[key]
    with pytest.raises(TypeError):
        table["bogus"] = None
    copy = dict(table)
    del copy[key]
    assert key in listing() and "bogus" not in listing()


def test_methodology_tables_read_only():
    epoch = catalog.methodology("epoch-ai")
    with pytest.raises(TypeError):
        epoch.server_overhead_by_accelerator["b200"] = Sourced(9.0, "ratio", "a test, local")
    with pytest.raises((TypeError, AttributeError)):
        epoch.utilization_by_accelerator.clear()
    with pytest.raises(TypeError):
        catalog.methodology("epoch-ai-clusters").pue_by_year[2030] = Sourced(1.0, "ratio", "a test, local")
    assert epoch.assumptions("b200")["server_overhead"] == 1.8
    assert epoch.assumptions("tpu-v5p")["utilization"] == 0.43


def test_methodology_built_by_hand_is_read_only():
    ratio = Sourced(1.0, "ratio", "a test, local")
    table = {"h100-sxm": ratio}
    m = catalog.Methodology("x", "x", "x", "x", None, table, ratio, ratio, ratio)
    table["b200"] = ratio  # the caller's dict is copied, not kept
    assert set(m.server_overhead_by_accelerator) == {"h100-sxm"}
    with pytest.raises(ValueError, match="go together"):
        catalog.Methodology("x", "x", "x", "x", None, {}, ratio, ratio, ratio, pue_annual_factor=ratio)


def test_entries_frozen():
    h100 = catalog.accelerator("h100-sxm")
    with pytest.raises(dataclasses.FrozenInstanceError):
        h100.gpu_watts = Sourced(1.0, "W", "x, local")
    with pytest.raises(dataclasses.FrozenInstanceError):
        h100.gpu_watts.value = 1.0
    assert hash(catalog.methodology("epoch-ai")) == hash(catalog.methodology("epoch-ai"))


def test_sourced_scalar():
    value = Sourced(700, "W", "NVIDIA H100 datasheet, https://www.nvidia.com/en-us/data-center/h100/")
    assert value.value == 700.0 and isinstance(value.value, float)
    assert value.confirmed and value.note == ""


@pytest.mark.parametrize("kwargs,error,match", [
    ({"value": True}, TypeError, "value must be a real number"),
    ({"value": "700"}, TypeError, "value must be a real number"),
    ({"value": math.nan}, ValueError, "value must be finite"),
    ({"value": math.inf}, ValueError, "value must be finite"),
    ({"source": " "}, ValueError, "source must not be empty"),
    ({"unit": ""}, ValueError, "unit must not be empty"),
    ({"confirmed": "no"}, TypeError, "confirmed must be a bool"),
])
def test_sourced_invalid(kwargs, error, match):
    args = {"value": 1.0, "unit": "W", "source": "doc, https://example.org"} | kwargs
    with pytest.raises(error, match=match):
        Sourced(**args)


def _with_data(monkeypatch, files):
    """Swap in fake TOML content for some data files, and a fresh table cache to build them."""
    real = catalog._load
    monkeypatch.setattr(catalog, "_load", lambda name: files.get(name) or real(name))
    monkeypatch.setattr(catalog, "_TABLES", {})


def _ratio(value, **extra):
    return {"value": value, "unit": "ratio", "source": "test, https://example.org"} | extra


@pytest.mark.parametrize("entry,match", [
    ({"name": "x", "pue": {"value": 1.1, "unit": "ratio"}}, r"sites.toml \[bad\].pue is missing source"),
    ({"name": "x", "pue": _ratio(0.9)}, r"sites.toml \[bad\].pue must be >= 1 \(got 0.9\)"),
    ({"name": "x", "pue": _ratio(1.1, comment="x")}, r"sites.toml \[bad\].pue has unknown key\(s\) comment"),
    ({"name": "x", "pue": 1.1}, r"sites.toml \[bad\].pue must be a table"),
    ({"name": "x", "pue": _ratio(1.1), "PUE2": _ratio(1.1)}, r"sites.toml \[bad\] has unknown key\(s\) PUE2"),
    ({"pue": _ratio(1.1)}, r"sites.toml \[bad\].name must be a non-empty str"),
    ({"name": "x", "pue": _ratio(True)}, r"sites.toml \[bad\].pue: value must be a real number"),
    ({"name": "x"}, r"sites.toml \[bad\] sets none of pue, wue"),
])
def test_sites_invalid_data(monkeypatch, entry, match):
    _with_data(monkeypatch, {"sites.toml": {"bad": entry}})
    with pytest.raises(ValueError, match=match):
        catalog.sites()


def test_methodologies_invalid_accelerator_key(monkeypatch):
    entry = {"name": "x", "description": "x", "source": "x", "network_overhead": _ratio(1.0),
             "pue": _ratio(1.1), "utilization": _ratio(1.0),
             "server_overhead_by_accelerator": {"h300": _ratio(1.8)}}
    _with_data(monkeypatch, {"methodologies.toml": {"bad": entry}})
    with pytest.raises(ValueError, match=r"methodologies.toml \[bad\].server_overhead_by_accelerator: "
                                         r"unknown accelerator 'h300'"):
        catalog.methodologies()


def test_accelerators_invalid_key(monkeypatch):
    entry = dict(catalog._load("accelerators.toml")["h100-sxm"])
    _with_data(monkeypatch, {"accelerators.toml": {"H100_SXM": entry}})
    with pytest.raises(ValueError, match=r"use 'h100-sxm'"):
        catalog.accelerators()


def test_import_is_light():
    code = ("import sys, estimator.catalog; "
            "print(sorted(m for m in ('streamlit', 'pandas', 'altair') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_accelerator_type_is_exported():
    assert isinstance(catalog.accelerator("b200"), Accelerator)


def _method(**extra):
    return {"name": "x", "description": "x", "source": "x", "network_overhead": _ratio(1.0),
            "pue": _ratio(1.1), "utilization": _ratio(1.0)} | extra


@pytest.mark.parametrize("entry,match", [
    (_method(pue_by_year={"20x4": _ratio(1.1)}), r"pue_by_year: keys must be years such as 2024 \(got '20x4'\)"),
    (_method(pue_by_year={"2024": _ratio(0.9)}), r"pue_by_year.2024 must be >= 1 \(got 0.9\)"),
    (_method(pue_by_year=1.1), r"pue_by_year must be a table keyed by year"),
    (_method(pue_reference_date="2020-01-01"), r"pue_annual_factor and pue_reference_date go together"),
    (_method(pue_annual_factor=_ratio(0.99), pue_reference_date="soon"),
     r"methodologies.toml \[bad\].pue_reference_date must be a date"),
])
def test_methodologies_invalid_date_tables(monkeypatch, entry, match):
    _with_data(monkeypatch, {"methodologies.toml": {"bad": entry}})
    with pytest.raises(ValueError, match=match):
        catalog.methodologies()


def test_cache_rebuilds_after_reset(monkeypatch):
    before = catalog.accelerators()
    monkeypatch.setattr(catalog, "_TABLES", {})
    after = catalog.accelerators()
    assert after is not before and list(after) == list(before)


def test_document_is_current():
    # docs/presets.md is generated: python -c "from estimator import catalog; print(catalog.document(), end='')"
    assert DOCS.read_text(encoding="utf-8") == catalog.document()


def test_document_lists_everything():
    text = catalog.document()
    for _, listing, _kind in LOOKUPS:
        for key in listing():
            assert f"### `{key}`" in text, key
    for key in runs.training_runs():
        assert f"### `{key}`" in text, key
    assert "DESIGN" not in text
    assert text.count("| no |") >= 10  # unconfirmed values are shown as such


def test_stargate_count_is_gpus_not_superchips():
    # TechSpot / Financial Times: "roughly 400,000 Nvidia GB200 superchips" for a campus of "up to 1.2
    # gigawatts". Read as GPUs (the gb200 preset is per B200 GPU), the fleet draws 0.88-0.96 GW, below
    # the reported capacity; read as superchips of two GPUs it would need 1.8-1.9 GW, far above it.
    cluster = catalog.reference_cluster("stargate-abilene")
    reported = cluster.facility_power_w.value
    drawn = {m: estimate(Scenario.from_accelerator("gb200", gpus=cluster.gpus.value, methodology=m,
                                                   date="2026-06-01")).facility_power_w
             for m in ("nameplate", "epoch-ai-clusters")}
    assert all(0.7 * reported < w <= reported for w in drawn.values()), drawn
    assert all(2 * w > 1.4 * reported for w in drawn.values())
    assert "not as superchips" in cluster.gpus.note
