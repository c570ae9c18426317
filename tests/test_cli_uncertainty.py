"""Tests of `estimator uncertainty` (alias `mc`): ranges on the command line and in scenario files."""

import csv
import io as stdio
import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from estimator import Scenario, io, uncertainty
from estimator.cli import MAX_SAMPLES, main
from estimator.distributions import LogNormal, Triangular, Uniform

FLEET = ["--gpus", "100k", "--gpu-watts", "650W..750W", "--server-overhead", "1", "--pue", "1.1/1.2/1.4"]
# The same assumptions as library objects.
SPECS = {"gpu_watts": Uniform(650.0, 750.0), "pue": Triangular(1.1, 1.2, 1.4)}
BASE = Scenario(gpus=100_000, gpu_watts=700, pue=1.2)
OUTPUTS = ["facility_power_w", "average_facility_power_w", "gpus_per_gigawatt"]

RANGES_TOML = """\
name = "100k H100, a year, ranges"
accelerator = "h100-sxm"
methodology = "nameplate"
gpus = "100k"
pue = { low = 1.1, likely = 1.2, high = 1.4 }
gpu_watts = { distribution = "uniform", low = "650 W", high = "750 W" }
mfu = { distribution = "lognormal", median = 0.4, p95 = 0.5 }
utilization = "60%/75%/85%"
hours = "1 year"
electricity_price = "0.06..0.10"
carbon_intensity = 0.4
wue = 0.3
"""


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--format", "json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


@pytest.fixture
def ranges_file(tmp_path):
    path = tmp_path / "ranges.toml"
    path.write_text(RANGES_TOML)
    return path


# --------------------------------------------------------------------------- equals the library

@pytest.mark.parametrize("n", [20_000, 150_000], ids=["one-block", "blocks"])
def test_json_percentiles_equal_monte_carlo(capsys, n):
    doc = run_json(capsys, "uncertainty", *FLEET, "--samples", n, "--seed", 3)
    ref = uncertainty.monte_carlo(SPECS, n=n, seed=3, outputs=OUTPUTS, base=BASE)
    assert list(doc["results"]) == OUTPUTS
    for name in OUTPUTS:
        for p in (5, 50, 95):
            assert_allclose(doc["results"][name][f"p{p}"], ref.percentiles[name][p], rtol=1e-12)
        assert_allclose(doc["results"][name]["likely"], uncertainty.evaluate(BASE, [name])[name], rtol=1e-15)
    assert (doc["samples"], doc["seed"], doc["percentiles"]) == (n, 3, [5, 50, 95])
    assert doc["assumptions"]["gpu_watts"] == {"distribution": "uniform", "low": 650.0, "high": 750.0}
    assert doc["assumptions"]["pue"] == SPECS["pue"].to_dict()
    assert doc["assumptions"]["gpus"] == 100_000.0


def test_json_from_file_equals_monte_carlo(capsys, ranges_file):
    doc = run_json(capsys, "uncertainty", ranges_file, "--samples", 5000, "--seed", 11)
    s, specs = io.load_uncertain(ranges_file)
    outputs = [*OUTPUTS, "energy_wh", "cost", "emissions_kg", "water_l"]  # the period's, as their inputs are given
    ref = uncertainty.monte_carlo(specs, n=5000, seed=11, outputs=outputs, base=s)
    assert list(doc["results"]) == outputs
    for name in outputs:
        assert_allclose(doc["results"][name]["p50"], ref.percentiles[name][50], rtol=1e-12)
    assert doc["name"] == "100k H100, a year, ranges" and doc["file"] == str(ranges_file)
    assert doc["assumptions"]["accelerator"] == "h100-sxm"
    assert doc["assumptions"]["mfu"] == {"distribution": "lognormal", "median": 0.4, "p95": 0.5}
    assert doc["clipped"] == {"mfu": ref.clipped["mfu"]}


def test_percentiles_option(capsys):
    doc = run_json(capsys, "mc", *FLEET, "--samples", 4000, "--percentiles", "2.5", "50", "97.5", "50",
                   "--outputs", "facility_power_w")
    ref = uncertainty.monte_carlo(SPECS, n=4000, seed=0, outputs=["facility_power_w"], base=BASE,
                                  percentiles=(2.5, 50, 97.5))
    assert doc["percentiles"] == [2.5, 50, 97.5]
    assert list(doc["results"]["facility_power_w"]) == ["likely", "p2.5", "p50", "p97.5"]
    assert_allclose(doc["results"]["facility_power_w"]["p97.5"], ref.percentiles["facility_power_w"][97.5],
                    rtol=1e-12)


def test_tornado_and_sobol_equal_library(capsys):
    doc = run_json(capsys, "uncertainty", *FLEET, "--server-overhead", "1.5..1.9", "--samples", 1000,
                   "--seed", 5, "--tornado", "--sobol", "--sobol-samples", 2048, "--sensitivity-output",
                   "gpus_per_gigawatt")
    specs = {**SPECS, "server_overhead": Uniform(1.5, 1.9)}
    base = BASE.replace(server_overhead=1.7)
    rows = uncertainty.tornado(specs, "gpus_per_gigawatt", base=base)
    assert doc["tornado"]["output"] == "gpus_per_gigawatt"
    assert [r["field"] for r in doc["tornado"]["rows"]] == [r.field for r in rows] == [
        "server_overhead", "pue", "gpu_watts"]
    assert_allclose([r["swing"] for r in doc["tornado"]["rows"]], [r.swing for r in rows], rtol=1e-15)
    sobol = uncertainty.sobol_first_order(specs, "gpus_per_gigawatt", n=2048, seed=5, base=base)
    assert doc["sobol"]["first_order"] == sobol.first_order
    assert doc["sobol"]["total_order"] == sobol.total_order
    assert (doc["sobol"]["n"], doc["sobol"]["seed"]) == (2048, 5)


def test_tornado_band_is_p5_p95_in_every_format(capsys):
    doc = run_json(capsys, "mc", *FLEET, "--samples", 100, "--tornado")
    assert doc["tornado"]["band"] == [5.0, 95.0]
    rows = {r["field"]: r for r in doc["tornado"]["rows"]}
    # uniform 650..750 W: P5 and P95 are 655 W and 745 W; triangular 1.1/1.2/1.4 its inverse CDF
    assert_allclose([rows["gpu_watts"]["low_value"], rows["gpu_watts"]["high_value"]], [655, 745], rtol=1e-14)
    assert_allclose([rows["pue"]["low_value"], rows["pue"]["high_value"]],
                    [1.1 + math.sqrt(0.05 * 0.3 * 0.1), 1.4 - math.sqrt(0.05 * 0.3 * 0.2)], rtol=1e-14)
    code, out, _ = run(capsys, "mc", *FLEET, "--samples", 100, "--tornado")
    assert code == 0
    assert "each range from its own P5 to its own P95" in out
    assert re.search(r"P5 \.\. P95\s+output at P5\s+output at P95\s+swing", out)


DEFAULT_MC = ["--accelerator", "h100-sxm", "--gpus", "100k", "--hours", "8760", "--electricity-price", "0.08",
              "--carbon-intensity", "0.4", "--wue", "0.3", "--samples", "100000", "--default-ranges"]


@pytest.mark.parametrize("shape", ["triangular", "uniform", "lognormal"])
def test_default_ranges_p50_within_two_percent(capsys, shape):
    # The CLI's default ranges are the library's (uncertainty.default_ranges), centred on each value: the
    # median of every output stays within 2 % of the estimate at the likely values.
    doc = run_json(capsys, "mc", *DEFAULT_MC, shape)
    assert {"gpu_watts", "server_overhead", "network_overhead", "pue", "electricity_price",
            "carbon_intensity", "wue"} <= set(doc["default_ranges"])
    assert "utilization" not in doc["default_ranges"]  # nameplate's 1.0 sits at the edge: held at its value
    assert list(doc["results"]) == [*OUTPUTS, "energy_wh", "cost", "emissions_kg", "water_l"]
    for name, values in doc["results"].items():
        assert_allclose(values["p50"], values["likely"], rtol=0.02, err_msg=name)
    s = Scenario.from_accelerator("h100-sxm", gpus=100_000, hours=8760, electricity_price=0.08,
                                  carbon_intensity=0.4, wue=0.3)
    d = uncertainty.default_ranges(s, "h100-sxm", distribution=shape)
    assert doc["assumptions"]["pue"]["distribution"] == shape
    if shape == "triangular":
        assert (doc["assumptions"]["pue"]["low"], doc["assumptions"]["pue"]["high"]) == (d["pue"]["low"],
                                                                                        d["pue"]["high"])


def test_default_ranges_keep_the_given_ranges(capsys):
    doc = run_json(capsys, "mc", *DEFAULT_MC, "--pue", "1.1..1.3")
    assert doc["assumptions"]["pue"] == {"distribution": "uniform", "low": 1.1, "high": 1.3}
    assert "pue" not in doc["default_ranges"] and "gpu_watts" in doc["default_ranges"]
    code, out, _ = run(capsys, "mc", *DEFAULT_MC, "--samples", 10)
    assert code == 0 and "[default]" in out


def test_default_ranges_need_an_accelerator(capsys):
    code, _, err = run(capsys, "mc", "--gpus", "1000", "--gpu-watts", "700", "--server-overhead", "1.8",
                       "--default-ranges")
    assert code == 2 and "--default-ranges needs --accelerator" in err


def test_days_range_is_hours(capsys):
    doc = run_json(capsys, "mc", *FLEET, "--days", "60..90", "--samples", 100)
    assert doc["assumptions"]["hours"] == {"distribution": "uniform", "low": 1440.0, "high": 2160.0}
    assert "energy_wh" in doc["results"]


def test_named_distributions_on_the_command_line(capsys):
    doc = run_json(capsys, "mc", "--gpus", "1k", "--accelerator", "h100-sxm", "--mfu", "lognormal:median=40%,p95=50%",
                   "--utilization", "triangular:0.6/0.75/0.85", "--pue", "lognormal:1.1..1.3", "--samples", 100)
    assert doc["assumptions"]["mfu"] == LogNormal(0.4, 0.5).to_dict()
    assert doc["assumptions"]["utilization"] == Triangular(0.6, 0.75, 0.85).to_dict()
    assert doc["assumptions"]["pue"] == LogNormal.from_interval(1.1, 1.3).to_dict()


# --------------------------------------------------------------------------- reproducibility

def test_seed_reproducible(capsys):
    argv = ["uncertainty", *FLEET, "--samples", 3000, "--format", "json"]
    first = run(capsys, *argv, "--seed", 42)
    again = run(capsys, *argv, "--seed", 42)
    other = run(capsys, *argv, "--seed", 43)
    assert first == again
    assert first[0] == other[0] == 0
    assert json.loads(first[1])["results"] != json.loads(other[1])["results"]


def test_default_seed_is_zero(capsys):
    assert run(capsys, "mc", *FLEET, "--samples", 500) == run(capsys, "mc", *FLEET, "--samples", 500, "--seed", 0)


def test_alias_mc_equals_uncertainty(capsys):
    assert run(capsys, "mc", *FLEET, "--samples", 500) == run(capsys, "uncertainty", *FLEET, "--samples", 500)


# --------------------------------------------------------------------------- formats

def test_text_output(capsys, ranges_file):
    code, out, err = run(capsys, "uncertainty", ranges_file, "--pue", "1.15/1.2/1.3", "--samples", 2000,
                         "--tornado", "--sobol", "--sobol-samples", 1000)
    assert (code, err) == (0, "")
    assert "Assumptions (chosen inputs, presets and ranges; not measurements)" in out
    assert "Results (Monte Carlo, 2,000 samples, seed 0" in out
    assert re.search(r"\bat likely values\s+P5\s+P50\s+P95\b", out)
    assert re.search(r"gpu_watts\s+700 W\s+uniform 650 W \.\. 750 W\s+\(file\)", out)
    assert re.search(r"pue\s+1\.2\s+triangular 1\.15 / 1\.2 / 1\.3 \(low / likely / high\)\s+\(given\)", out)
    assert re.search(r"mfu\s+0\.4\s+lognormal median 0\.4, P95 0\.5 \(P5 0\.32\)\s+\(file\)", out)
    assert re.search(r"server_overhead\s+1\.821\s+\(accelerator h100-sxm\)", out)
    assert re.search(r"Facility power, full load\s+\d+ MW\s+\d+ MW", out)
    assert "TWh" in out and "kt CO2e" in out and "$" in out
    assert "Tornado for Facility power, full load" in out
    assert "Sobol variance shares" in out and "Saltelli et al. 2010" in out
    assert "interactions (1 - sum of S_i)" in out


def test_text_without_ranges_says_so(capsys):
    code, out, _ = run(capsys, "mc", "--gpus", "1000", "--gpu-watts", "700", "--server-overhead", "1", "--samples", 10,
                       "--tornado")
    assert code == 0
    assert "no ranges given: every percentile is the single estimate" in out
    assert re.search(r"Facility power, full load\s+700 kW\s+700 kW\s+700 kW\s+700 kW", out)


def test_csv_output(capsys):
    code, out, _ = run(capsys, "mc", *FLEET, "--samples", 2000, "--format", "csv", "--tornado")
    assert code == 0
    rows = list(csv.DictReader(stdio.StringIO(out)))
    doc = run_json(capsys, "mc", *FLEET, "--samples", 2000, "--tornado")
    results = {r["name"]: r for r in rows if r["section"] == "result"}
    assert list(results) == OUTPUTS
    for name in OUTPUTS:
        assert float(results[name]["p50"]) == doc["results"][name]["p50"]
    pue = next(r for r in rows if r["section"] == "assumption" and r["name"] == "pue")
    assert (pue["distribution"], float(pue["low"]), float(pue["likely"]), float(pue["high"])) == (
        "triangular", 1.1, 1.2, 1.4)
    assert [r["name"] for r in rows if r["section"] == "tornado"] == ["pue", "gpu_watts"]


def test_output_file(capsys, tmp_path):
    target = tmp_path / "mc.json"
    code, out, err = run(capsys, "mc", *FLEET, "--samples", 100, "--format", "json", "--output", target)
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text())["samples"] == 100


def test_default_outputs_follow_the_given_assumptions(capsys):
    doc = run_json(capsys, "mc", *FLEET, "--samples", 10, "--hours", "8760", "--electricity-price", "0.08")
    assert list(doc["results"]) == [*OUTPUTS, "energy_wh", "cost"]
    doc = run_json(capsys, "mc", "--accelerator", "h100-sxm", "--gpus", "1000", "--samples", 10, "--hours", "8760",
                   "--electricity-price", "0.08", "--accelerator-cost", "30000", "--facility-cost-per-w", "10",
                   "--hardware-life-years", "5", "--facility-life-years", "15")
    assert list(doc["results"]) == [*OUTPUTS, "energy_wh", "cost", "total_cost"]
    doc = run_json(capsys, "mc", *FLEET, "--samples", 10, "--outputs", "it_power_w", "watts_per_gpu")
    assert list(doc["results"]) == ["it_power_w", "watts_per_gpu"]


def test_options_override_the_file(capsys, ranges_file):
    doc = run_json(capsys, "mc", ranges_file, "--pue", "1.3", "--accelerator", "b200", "--gpus", "90k..110k",
                   "--samples", 10)
    assert doc["assumptions"]["pue"] == 1.3  # a single value now
    assert doc["assumptions"]["accelerator"] == "b200"
    assert doc["assumptions"]["gpus"] == {"distribution": "uniform", "low": 90_000.0, "high": 110_000.0}
    assert doc["assumptions"]["gpu_watts"]["distribution"] == "uniform"  # the file's explicit range stays


def test_provenance_in_json(capsys, ranges_file):
    doc = run_json(capsys, "mc", ranges_file, "--pue", "1.3", "--samples", 10)
    p = doc["provenance"]
    assert (p["accelerator"], p["methodology"], p["precision"]) == ("file", "file", "default")
    assert (p["pue"], p["gpus"], p["server_overhead"]) == ("given", "file", "accelerator h100-sxm")
    doc = run_json(capsys, "mc", "--gpus", "1k", "--accelerator", "h100-sxm", "--pue", "1.1..1.3", "--samples", 10)
    p = doc["provenance"]
    assert (p["methodology"], p["network_overhead"], p["pue"]) == ("default", "nameplate (default)", "given")
    assert doc["assumptions"]["methodology"] == "nameplate"  # the default methodology, as at every door


def test_same_resolution_as_power(capsys):
    """The single estimate of `uncertainty` is `power`'s: presets, default methodology, precision, date."""
    for extra in ([], ["--precision", "fp8"], ["--methodology", "epoch-ai", "--date", "2024-03-12"],
                  ["--site", "meta-fleet"]):
        argv = ["--gpus", "1k", "--accelerator", "h100-sxm", "--mfu", "0.4", *extra]
        power = json.loads(run(capsys, "power", *argv, "--format", "json")[1])
        doc = run_json(capsys, "mc", *argv, "--samples", 10, "--outputs", "facility_power_w", "sustained_flop_per_s")
        assert doc["assumptions"] == power["assumptions"], extra
        assert doc["provenance"] == power["provenance"], extra
        for name in ("facility_power_w", "sustained_flop_per_s"):
            assert doc["results"][name]["likely"] == power["results"][name], (extra, name)


def test_methodology_without_accelerator_as_power(capsys):
    # Without an accelerator a methodology still sets what it sets for any part (network, PUE, utilization);
    # server_overhead must be given, as at every preset door.
    argv = ["--gpus", "1k", "--gpu-watts", "700", "--server-overhead", "1.5", "--methodology", "nameplate"]
    power = json.loads(run(capsys, "power", *argv, "--format", "json")[1])
    doc = run_json(capsys, "mc", *argv, "--samples", 10)
    assert doc["results"]["facility_power_w"]["likely"] == power["results"]["facility_power_w"]
    assert doc["provenance"]["pue"] == power["provenance"]["pue"] == "methodology nameplate"


def test_help_mentions_ranges_and_saltelli(capsys):
    code, out, _ = run(capsys, "uncertainty", "--help")
    assert code == 0
    assert "LOW..HIGH" in out and "LOW/LIKELY/HIGH" in out and "lognormal" in out
    assert "Saltelli" in out and "10.1016/j.cpc.2009.09.018" in out
    assert "10,000,000" in out


def test_module_mc_smoke():
    done = subprocess.run([sys.executable, "-m", "estimator", "mc", *FLEET, "--samples", "1000", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["samples"] == 1000


# --------------------------------------------------------------------------- single-value commands refuse ranges

@pytest.mark.parametrize("argv, match", [
    (["power", "--gpus", "100k", "--gpu-watts", "700", "--server-overhead", "1", "--pue", "1.1..1.4"],
     r"pue: '1\.1\.\.1\.4' is a range; `estimator power` takes single values .*use `estimator uncertainty`"),
    (["power", "--gpus", "100k", "--gpu-watts", "650W..750W"], r"gpu_watts: '650W\.\.750W' is a range"),
    (["power", "--gpus", "100k", "--gpu-watts", "700", "--server-overhead", "1", "--days", "60/90/120"],
     r"days: '60/90/120' is a range"),
    (["fit", "--power", "1GW", "--gpu-watts", "700", "--server-overhead", "1", "--pue", "lognormal:1.1..1.3"],
     r"pue: 'lognormal:1\.1\.\.1\.3' is a range; `estimator fit` takes single values"),
    (["train", "--flop", "1e25", "--gpus", "16k", "--accelerator", "h100-sxm", "--mfu", "0.3..0.5"],
     r"mfu: '0\.3\.\.0\.5' is a range; `estimator train`"),
])
def test_single_value_commands_refuse_ranges(capsys, argv, match):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert re.search(match, err.strip().splitlines()[-1])


def test_power_unit_with_slash_is_not_a_range(capsys):
    code, _, err = run(capsys, "power", "--gpus", "1k", "--gpu-watts", "700", "--server-overhead", "1", "--hours", "10",
                       "--electricity-price", "$0.08/kWh")
    assert (code, err) == (0, "")


def test_run_refuses_a_file_of_ranges(capsys, ranges_file):
    code, out, err = run(capsys, "run", ranges_file)
    assert (code, out) == (2, "")
    assert re.search(rf"^estimator: error: {re.escape(str(ranges_file))}: gpu_watts must be a number, not a table "
                     r".*a range is read by io\.load_uncertain or `estimator uncertainty FILE`", err.strip())


# --------------------------------------------------------------------------- bad input

BAD_FILES = {
    "low-pue.toml": ("gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\n"
                     "pue = { low = 0.9, likely = 1.2, high = 1.4 }\n"),
    "reversed.json": '{"gpus": 1000, "gpu_watts": "750 W..650 W"}',
    "unknown-distribution.toml": ('gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\n'
                                  'pue = { distribution = "unifrom", low = 1.1, high = 1.4 }\n'),
    "lognormal.toml": ('gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\n'
                       'mfu = { distribution = "lognormal", median = 0.4, p95 = 0.35 }\n'),
    "missing.json": ('{"gpus": 1000, "gpu_watts": 700, "server_overhead": 1, '
                     '"pue": {"distribution": "uniform", "high": 1.4}}'),
    "typo.toml": "gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\npue = { low = 1.1, likley = 1.2, high = 1.4 }\n",
    "array.toml": "gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\npue = [1.1, 1.2]\n",
    "no-gpus.toml": "gpu_watts = 700\nserver_overhead = 1\n",
}

CLI_ONLY = ["--gpus", "100k", "--gpu-watts", "700", "--server-overhead", "1"]


@pytest.mark.parametrize("argv, match", [
    # ranges on the command line
    ([*CLI_ONLY, "--pue", "0.9..1.4"], r"^pue low must be >= 1 \(got 0\.9\)$"),
    ([*CLI_ONLY, "--pue", "1.4..1.1"], r"^pue range '1\.4\.\.1\.1': high must be >= low \(got low=1\.4, high=1\.1\)$"),
    ([*CLI_ONLY, "--pue", "1.4/1.2/1.1"], r"^pue range '1\.4/1\.2/1\.1': values must be ordered low <= likely"),
    ([*CLI_ONLY, "--pue", "unifrom:1.1..1.4"], r"^pue distribution 'unifrom' is not known \(did you mean 'uniform'\?"),
    ([*CLI_ONLY, "--mfu", "lognormal:median=0.4,p95=0.3"],
     r"^mfu lognormal range: p95 must be >= median \(got median=0\.4, p95=0\.3\)$"),
    ([*CLI_ONLY, "--mfu", "lognormal:median=0.4"], r"^mfu lognormal range takes \{median, p95\} or"),
    ([*CLI_ONLY, "--mfu", "lognormal:medain=0.4,p95=0.5"],
     r"^unknown key 'medain' in the range of mfu \(did you mean 'median'\?"),
    ([*CLI_ONLY, "--utilization", "50%..120%"], r"^utilization high must be in \(0, 1\] \(got 1\.2\)$"),
    ([*CLI_ONLY, "--pue", "0.5"], r"^pue must be >= 1 \(got 0\.5\)$"),
    ([*CLI_ONLY, "--days", "0..10"], r"^hours low must be > 0 \(got 0\.0\)$"),
    ([*CLI_ONLY, "--gpu-watts", "650 W..750 kWh"], r"gpu_watts: cannot read '750 kWh' as a power"),
    # the same from files
    (["low-pue.toml"], r"^low-pue\.toml: pue low must be >= 1 \(got 0\.9\)$"),
    (["reversed.json"], r"^reversed\.json: gpu_watts range '750 W\.\.650 W': high must be >= low"),
    (["unknown-distribution.toml"],
     r"^unknown-distribution\.toml: pue distribution 'unifrom' is not known \(did you mean 'uniform'\?"),
    (["lognormal.toml"],
     r"^lognormal\.toml: mfu lognormal range: p95 must be >= median \(got median=0\.4, p95=0\.35\)"),
    (["missing.json"], r"^missing\.json: pue uniform range takes \{high, low\} \(got \{high\}\)$"),
    (["typo.toml"], r"^typo\.toml: unknown key 'likley' in the range of pue \(did you mean 'likely'\?"),
    (["array.toml"], r"^array\.toml: pue is an array; `estimator uncertainty` takes one value or one range"),
    (["no-gpus.toml"], r"^uncertainty needs gpus: give --gpus N or a range \(e\.g\. --gpus 90k\.\.110k\), or set it "
                       r"in no-gpus\.toml$"),
    (["missing-file.toml"], r"^missing-file\.toml: No such file or directory$"),
    # an option wrong next to a good file is not blamed on the file
    (["low-pue.toml", "--pue", "0.8..1.2"], r"^pue low must be >= 1 \(got 0\.8\)$"),
    # the analysis options
    ([*CLI_ONLY, "--samples", "0"], r"^samples must be >= 1 \(got 0\)$"),
    ([*CLI_ONLY, "--samples", "1e9"],
     r"^samples must be <= 10,000,000 \(got 1,000,000,000\); more samples barely narrow the percentiles"),
    ([*CLI_ONLY, "--samples", "-5"], r"^samples must be >= 1 \(got -5\)$"),
    ([*CLI_ONLY, "--samples", "1.5"], r"^samples must be a whole number \(got 1\.5\)$"),
    ([*CLI_ONLY, "--samples", "many"], r"^samples: cannot read 'many' as a count"),
    ([*CLI_ONLY, "--samples", "nan"], r"^samples: cannot read 'nan' as a count \(NaN and infinity are not allowed\)"),
    ([*CLI_ONLY, "--seed", "-1"], r"^seed must be a whole number >= 0 \(got '-1'\)$"),
    ([*CLI_ONLY, "--seed", "1.5"], r"^seed must be a whole number >= 0 \(got '1\.5'\)$"),
    ([*CLI_ONLY, "--sobol", "--sobol-samples", "1"], r"^sobol-samples must be >= 2 \(got 1\)$"),
    ([*CLI_ONLY, "--sobol-samples", "1e7"], r"^sobol-samples must be <= 1,000,000 \(got 10,000,000\)"),
    ([*CLI_ONLY, "--percentiles", "150"], r"^percentile must be from 0 to 100 \(got '150'\)$"),
    ([*CLI_ONLY, "--percentiles", "nan"], r"^percentile must be from 0 to 100 \(got 'nan'\)$"),
    ([*CLI_ONLY, "--percentiles", "x"], r"^percentile must be a number from 0 to 100 \(got 'x'\)$"),
    ([*CLI_ONLY, "--outputs", "facility_power"],
     r"^unknown output 'facility_power' \(did you mean 'facility_power_w'\? valid: "),
    ([*CLI_ONLY, "--outputs", "cost"], r"^output cost needs .* \(not given\)"),
    ([*CLI_ONLY, "--sensitivity-output", "cosst"], r"^unknown output 'cosst' \(did you mean 'cost'\?"),
    ([*CLI_ONLY, "--tornado", "--sensitivity-output", "energy_wh"], r"^output energy_wh needs"),
    # what is missing, and presets
    (["--gpu-watts", "700", "--server-overhead", "1"], r"^uncertainty needs gpus: give --gpus N or a range"),
    (["--gpus", "1k"], r"^uncertainty needs gpu_watts: give --accelerator KEY or --gpu-watts W or a range"),
    (["--gpus", "1k", "--accelerator", "h100"], r"^unknown accelerator 'h100' \(valid: "),
    (["--gpus", "1k", "--gpu-watts", "700", "--methodology", "nameplate"],
     r"^server_overhead must be given when no accelerator preset is named"),
    (["--gpus", "1k", "--accelerator", "a100-sxm", "--precision", "fp8"],
     r"^precision 'fp8': accelerator 'a100-sxm' has no published FP8 peak"),
    (["--gpus", "1k", "--accelerator", "h100-sxm", "--date", "2024-13-01"], r"^date must be a date YYYY-MM-DD"),
    ([*CLI_ONLY, "--pue", "1.1", "1.2"], r"^'1\.2' is not a scenario file \(\.toml or \.json\); each assumption option "
                                         r"takes one value or one range"),
    ([*CLI_ONLY, "--hours", "10", "--days", "1"], r"argument --days: not allowed with argument --hours"),
])
def test_bad_input_exit_2(capsys, tmp_path, monkeypatch, argv, match):
    for name, content in BAD_FILES.items():
        (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "uncertainty", *argv)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("estimator: error: "), err
    assert re.search(match, last.removeprefix("estimator: error: ")), last
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(BAD_FILES)  # nothing written


def test_max_samples_is_ten_million():
    assert MAX_SAMPLES == 10**7


def test_lognormal_clipping_reported(capsys):
    # A wide log-normal utilization: its upper tail passes 1 and is clipped there.
    code, out, _ = run(capsys, "mc", *CLI_ONLY, "--utilization", "lognormal:median=0.9,p95=0.99", "--samples", 20_000)
    assert code == 0
    clipped = uncertainty.monte_carlo({"utilization": LogNormal(0.9, 0.99)}, n=20_000, seed=0,
                                      base=Scenario(gpus=1e5, gpu_watts=700)).clipped["utilization"]
    assert clipped > 0.01
    assert f"note: {clipped:.2%} of the utilization samples fell outside its valid values" in out


def test_every_output_finite(capsys):
    doc = run_json(capsys, "mc", "--accelerator", "h100-sxm", "--gpus", "1..1e9", "--samples", 20_000,
                   "--hours", "1h..1e6h", "--electricity-price", "0..1000", "--pue", "lognormal:median=3,p95=9",
                   "--mfu", "0.4", "--outputs", *OUTPUTS, "cost", "flop_in_period")
    values = [v for r in doc["results"].values() for v in r.values()]
    assert all(math.isfinite(v) for v in values)
    assert np.all(np.asarray(values) >= 0)


def test_serving_ranges_and_default_serving_outputs(capsys):
    doc = run_json(capsys, "uncertainty", "--gpus", "100k", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu",
                   "2k..4k", "--tokens-per-query", "500", "--samples", "10000", "--seed", "2")
    assert list(doc["results"])[-2:] == ["energy_per_query_wh", "queries_per_day"]
    s = Scenario.from_accelerator("h100-sxm", 100_000, tokens_per_s_per_gpu=3000.0, tokens_per_query=500.0)
    # Uniform throughput: the likely value is the midpoint, 3k tokens/s.
    likely = uncertainty.evaluate(s, ["energy_per_query_wh", "queries_per_day"])
    for name in likely:
        assert_allclose(doc["results"][name]["likely"], likely[name], rtol=1e-12)
    ref = uncertainty.monte_carlo({**{k: v for k, v in s.to_dict().items() if v is not None},
                                   "tokens_per_s_per_gpu": Uniform(2000.0, 4000.0)}, n=10_000, seed=2,
                                  outputs=["energy_per_query_wh"])
    assert_allclose(doc["results"]["energy_per_query_wh"]["p50"], ref.percentiles["energy_per_query_wh"][50],
                    rtol=1e-12)
