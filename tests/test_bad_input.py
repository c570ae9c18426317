"""The bad-input matrix: one table of what users get wrong, at each of the four doors.

Doors:

- ``library``: a call into :mod:`estimator` (``Scenario(...)``, the functions, ``units.parse``);
  expects the exception type and a message naming the field and the rule.
- ``file``: the content of a scenario file read by :func:`estimator.io.loads`, or of a campus file
  (``[[block]]`` tables) read by :func:`estimator.io.loads_campus`.
- ``cli``: ``estimator ...`` through :func:`estimator.cli.main`, run in a temporary directory
  holding :data:`FILES`; expects exit status 2, one ``estimator: error:`` line, no traceback.
- ``dashboard``: the Streamlit app through ``AppTest``: a tampered address (``url``), a value
  typed into a text box (``type``, after sidebar number boxes where the page needs them), widgets
  set in turn (``set``: a date, a data editor's edits) or an uploaded file (``upload``); expects
  no exception and the message in an error or warning box.

Each row's regex is searched in the message and names the field and the rule it broke.
docs/reliability.md lists the same rows for people.
"""

from __future__ import annotations

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import datetime
import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import estimator
from estimator import Scenario, campus, cli, io, limits, money, tables, units

APP = str(Path(__file__).resolve().parents[1] / "app.py")
H100 = {"gpu_watts": 700, "server_overhead": 1}
VALID_TOML = "gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\n"
H100_BLOCK = Scenario(gpus=1000, **H100)
ONE_BLOCK = campus.Campus([H100_BLOCK], online=["2025-01-01"])


@dataclass(frozen=True)
class Case:
    door: str  # library | file | cli | dashboard
    name: str
    given: Any  # callable | (content, format) | argv | dashboard action
    expect: type[Exception] | int  # exception type, or the CLI's exit status
    match: str  # regex that names the field and the rule

    @property
    def id(self) -> str:
        return f"{self.door}-{self.name}"


def s(**values: Any) -> Callable[[], Any]:
    """A Scenario built from ``values`` (with 700 W accelerators unless given)."""
    return lambda: Scenario(**{"gpus": 1000, **H100, **values})


def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
    return lambda: function(*args, **kwargs)


LIBRARY = [
    # wrong types
    Case("library", "gpus-text", s(gpus="100k"), TypeError, r"^gpus must be a number, not text \(got '100k'\)"),
    Case("library", "gpus-bool", s(gpus=True), TypeError, r"^gpus must be a number, not a boolean"),
    Case("library", "gpus-none", s(gpus=None), TypeError, r"^gpus must be given \(got None\)"),
    Case("library", "gpu_watts-list-of-text", s(gpu_watts=["700"]), TypeError,
         r"^gpu_watts must hold numbers, not text"),
    Case("library", "pue-complex", s(pue=1 + 1j), TypeError, r"^pue must be a real number"),
    Case("library", "gpus-none-in-array", s(gpus=np.array([1.0, None])), TypeError,
         r"^gpus\[1\] must be a number \(got None\)"),
    Case("library", "hours-dict", s(hours={"h": 1}), TypeError, r"^hours must be a number"),
    Case("library", "estimate-not-scenario", call(estimator.estimate, {"gpus": 1}), TypeError,
         r"^estimate\(\) takes a Scenario or a Campus \(got dict\)"),
    Case("library", "unknown-keyword", s(puee=1.2), TypeError, r"unexpected keyword argument 'puee'"),
    # NaN and infinity
    Case("library", "gpus-nan", s(gpus=float("nan")), ValueError, r"^gpus must be > 0 and finite \(got nan\)"),
    Case("library", "gpu_watts-inf", s(gpu_watts=float("inf")), ValueError,
         r"^gpu_watts must be > 0 and finite \(got inf\)"),
    Case("library", "hours-minus-inf", s(hours=-np.inf), ValueError, r"^hours must be > 0 and finite \(got -inf\)"),
    Case("library", "decimal-nan", s(gpus=decimal.Decimal("NaN")), ValueError,
         r"^gpus must be > 0 and finite \(got nan\)"),
    Case("library", "array-nan-2d-index", s(gpus=np.array([[1.0, 2.0], [np.nan, 4.0]])), ValueError,
         r"^gpus\[1, 0\] must be > 0 and finite \(got nan\)"),
    # negatives and zero
    Case("library", "gpus-negative", s(gpus=-1), ValueError, r"^gpus must be > 0 \(got -1\.0\)"),
    Case("library", "gpus-zero", s(gpus=0), ValueError, r"^gpus must be > 0 \(got 0\.0\)"),
    Case("library", "gpu_watts-zero", s(gpu_watts=0.0), ValueError, r"^gpu_watts must be > 0 \(got 0\.0\)"),
    Case("library", "price-negative", s(hours=1, electricity_price=-0.01), ValueError,
         r"^electricity_price must be >= 0 \(got -0\.01\)"),
    # absurd magnitudes
    Case("library", "gpus-1e15", s(gpus=1e15), ValueError, r"^gpus must be <= 1e\+09 \(got 1000000000000000\.0\)"),
    Case("library", "gpu_watts-1e9", s(gpu_watts=1e9), ValueError,
         r"^gpu_watts must be <= 1e\+06 \(got 1000000000\.0\)"),
    Case("library", "gpus-int-beyond-float", s(gpus=10**400), ValueError,
         r"^gpus must be finite \(got a number beyond float64's range"),
    Case("library", "parameters-1e20", call(estimator.training_flop, parameters=1e20, tokens=1e12), ValueError,
         r"^parameters must be <= 1e\+16 \(got 1e\+20\)"),
    # ratios and fractions
    Case("library", "pue-below-1", s(pue=0.9), ValueError, r"^pue must be >= 1 \(got 0\.9\)"),
    Case("library", "server_overhead-below-1", s(server_overhead=0.5), ValueError,
         r"^server_overhead must be >= 1 \(got 0\.5\)"),
    Case("library", "utilization-above-1", s(utilization=1.5), ValueError,
         r"^utilization must be in \(0, 1\] \(got 1\.5\)"),
    Case("library", "mfu-zero", s(mfu=0), ValueError, r"^mfu must be in \(0, 1\] \(got 0\.0\)"),
    Case("library", "pue-array-index", s(pue=[1.2, 1.1, 0.9]), ValueError, r"^pue\[2\] must be >= 1 \(got 0\.9\)"),
    # shapes
    Case("library", "empty-array", s(gpus=[]), ValueError, r"^gpus must not be empty"),
    Case("library", "ragged-array", s(gpus=[[1, 2], [3]]), ValueError, r"^gpus must be a rectangular array"),
    Case("library", "shapes-do-not-broadcast", s(gpus=[1, 2], gpu_watts=[700, 800, 900]), ValueError,
         r"^input shapes do not broadcast together: gpus \(2,\), gpu_watts \(3,\)"),
    # functions
    Case("library", "gpus_for_power-zero-budget", call(estimator.gpus_for_power, 0, 700), ValueError,
         r"^facility_power_w must be > 0 \(got 0\.0\)"),
    Case("library", "training_time-mfu-above-1",
         call(estimator.training_time_s, training_flop=3.8e25, gpus=16_384, peak_flop_per_s=989e12, mfu=1.5),
         ValueError, r"^mfu must be in \(0, 1\] \(got 1\.5\)"),
    # presets
    Case("library", "unknown-accelerator", call(Scenario.from_accelerator, "h100", gpus=1), ValueError,
         r"^unknown accelerator 'h100' \(valid: .*h100-sxm.*\); did you mean"),
    Case("library", "unknown-methodology", call(estimator.methodology, "nameplates"), ValueError,
         r"^unknown methodology 'nameplates' \(valid: .*nameplate"),
    Case("library", "unknown-site", call(estimator.site, "mars"), ValueError, r"^unknown site 'mars' \(valid: "),
    Case("library", "preset-name-not-text", call(estimator.accelerator, 100), TypeError,
         r"^accelerator name must be a str \(got int\)"),
    # units
    Case("library", "parse-wrong-unit", call(units.parse, "700 kWh", "W", field="gpu_watts"), ValueError,
         r"^gpu_watts: cannot read '700 kWh' as a power \(an energy was given"),
    Case("library", "parse-unknown-unit", call(units.parse, "3 fortnights", "h", field="hours"), ValueError,
         r"^hours: unknown unit 'fortnights' in '3 fortnights' \(valid: s, min, h, days"),
    Case("library", "parse-milli", call(units.parse, "700 mW", "W", field="gpu_watts"), ValueError,
         r"^gpu_watts: cannot read '700 mW' as a power \(the prefix 'm' in 'mW' means milli .*write 'MW'"),
    Case("library", "parse-nan", call(units.parse, "NaN", "W", field="gpu_watts"), ValueError,
         r"^gpu_watts: cannot read 'NaN' as a power \(NaN and infinity are not allowed\)"),
    Case("library", "parse-unknown-target", call(units.parse, "1 GW", "furlongs"), ValueError,
         r"^unknown unit 'furlongs' \(valid: W, Wh, h"),
    Case("library", "parse-bytes", call(units.parse, b"1 GW", "W", field="budget"), TypeError,
         r"^budget must be a number or a str"),
    # ranges (estimator.io.loads_uncertain reads a scenario file's ranges)
    Case("library", "range-pue-low-below-1",
         call(io.loads_uncertain, VALID_TOML + "pue = { low = 0.9, likely = 1.2, high = 1.4 }\n"), ValueError,
         r"^pue low must be >= 1 \(got 0\.9\)$"),
    Case("library", "range-low-above-high", call(io.loads_uncertain, VALID_TOML + 'pue = "1.4..1.1"\n'), ValueError,
         r"^pue range '1\.4\.\.1\.1': high must be >= low \(got low=1\.4, high=1\.1\)$"),
    Case("library", "range-unknown-distribution",
         call(io.loads_uncertain, VALID_TOML + 'pue = { distribution = "unifrom", low = 1.1, high = 1.4 }\n'),
         ValueError, r"^pue distribution 'unifrom' is not known \(did you mean 'uniform'\? valid: "),
    Case("library", "range-lognormal-p95-below-median",
         call(io.loads_uncertain, VALID_TOML + 'mfu = { distribution = "lognormal", median = 0.4, p95 = 0.3 }\n'),
         ValueError, r"^mfu lognormal range: p95 must be >= median \(got median=0\.4, p95=0\.3\)$"),
    Case("library", "range-missing-key",
         call(io.loads_uncertain, VALID_TOML + 'pue = { distribution = "uniform", low = 1.1 }\n'), ValueError,
         r"^pue uniform range takes \{high, low\} \(got \{low\}\)$"),
    Case("library", "range-unknown-key",
         call(io.loads_uncertain, VALID_TOML + "pue = { low = 1.1, likley = 1.2, high = 1.4 }\n"), ValueError,
         r"^unknown key 'likley' in the range of pue \(did you mean 'likely'\?; valid keys: "),
    Case("library", "range-in-array", call(io.loads_uncertain, VALID_TOML + 'pue = ["1.1..1.2", 1.3]\n'),
         ValueError, r"^pue\[0\] is a range inside an array; give one range for pue instead"),
    Case("library", "range-wrong-unit", call(io.read_range, "gpu_watts", "650 W..750 kWh"), ValueError,
         r"^gpu_watts: cannot read '750 kWh' as a power \(an energy was given"),
    Case("library", "goodput-above-1", s(goodput=1.2), ValueError, r"^goodput must be in \(0, 1\] \(got 1\.2\)"),
    Case("library", "unknown-training-run", call(estimator.training_run, "llama-3.1-450b"), ValueError,
         r"^unknown training run 'llama-3.1-450b' \(valid: .*\); did you mean 'llama-3.1-405b'\?"),
    # serving and the everyday equivalents
    Case("library", "tokens_per_s-an-energy", call(units.parse, "5 kJ", "tokens/s", "tokens_per_s_per_gpu"),
         ValueError, r"^tokens_per_s_per_gpu: cannot read '5 kJ' as a token rate \(an energy was given"),
    Case("library", "equivalents-negative-power", call(estimator.equivalents, average_power_w=-1.0), ValueError,
         r"^average_power_w must be >= 0 \(got -1\.0\)$"),
    # campuses (estimator.Campus, campus.from_presets, campus_preset) and their timelines
    Case("library", "campus-lengths-differ", call(campus.from_presets, ["h100-sxm", "gb200"], [1000]), ValueError,
         r"^accelerators and gpus must have one entry per block \(got 2 and 1\)$"),
    Case("library", "campus-names-length", call(campus.Campus, [H100_BLOCK, H100_BLOCK], names=["a"]), ValueError,
         r"^names must have one entry per block: 2 blocks, 1 names$"),
    Case("library", "campus-online-not-a-date", call(campus.Campus, [H100_BLOCK], online=["2025-13-01"]),
         ValueError, r"^online\[0\] must be a date YYYY-MM-DD \(got '2025-13-01'\)$"),
    Case("library", "campus-online-a-number", call(campus.Campus, [H100_BLOCK], online=[2025]), TypeError,
         r"^online\[0\] must be a date YYYY-MM-DD \(got 2025\)$"),
    Case("library", "campus-retire-before-online",
         call(campus.Campus, [H100_BLOCK], online=["2025-06-01"], retire=["2025-01-01"]), ValueError,
         r"^retire\[0\] must be after online\[0\] \(got 2025-01-01 ≤ 2025-06-01\)$"),
    Case("library", "campus-duplicate-names", call(campus.Campus, [H100_BLOCK, H100_BLOCK], names=["a", "a"]),
         ValueError, r"^names must be unique: 'a' is given twice$"),
    Case("library", "campus-unknown-accelerator", call(campus.from_presets, ["h100"], [1000]), ValueError,
         r"^unknown accelerator 'h100' \(valid: .*h100-sxm.*\); did you mean"),
    Case("library", "campus-no-blocks", call(campus.Campus, []), ValueError,
         r"^a campus needs at least one block \(got an empty list\)$"),
    Case("library", "campus-unknown-ready", call(estimator.campus_preset, "xai-memphys"), ValueError,
         r"^unknown campus 'xai-memphys' \(valid: .*\); did you mean 'xai-memphis'\?$"),
    Case("library", "campus-block-table-array",
         call(campus.block_table, campus.Campus([Scenario(gpus=[1000, 2000], **H100)], names=["hall A"])), ValueError,
         r"^a table of blocks \(one row each\) needs one value per input in each block: block 'hall A' has arrays "
         r"in gpus$"),
    Case("library", "timeline-end-before-start", call(estimator.timeline, ONE_BLOCK, "2025-06-01", "2025-01-01"),
         ValueError, r"^end must be on or after start \(got end 2025-01-01 before start 2025-06-01\)$"),
    Case("library", "timeline-unknown-freq", call(estimator.timeline, ONE_BLOCK, "2025-01-01", "2025-06-01", "week"),
         ValueError, r"^freq must be one of month, quarter, year \(got 'week'\)$"),
    Case("library", "timeline-not-a-date", call(estimator.timeline, ONE_BLOCK, "2025-02-30", "2025-06-01"),
         ValueError, r"^start must be a date YYYY-MM-DD \(got '2025-02-30'\)$"),
    Case("library", "timeline-too-many-periods", call(estimator.timeline, ONE_BLOCK, "0001-01-01", "9999-12-31"),
         ValueError,
         r"^a timeline holds at most 100,000 periods \(got 119,988 months from 0001-01-01 to 9999-12-31\)$"),
    # caps: binding_limit and gpus_for_capex
    Case("library", "binding_limit-negative-budget", call(limits.binding_limit, 700, power_budget_w=-1), ValueError,
         r"^power_budget_w must be > 0 \(got -1\.0\)$"),
    Case("library", "binding_limit-capex-nan",
         call(limits.binding_limit, 700, capex_budget=float("nan"), accelerator_cost=40e3, facility_cost_per_w=12),
         ValueError, r"^capex_budget must be > 0 and finite \(got nan\)$"),
    Case("library", "binding_limit-no-cap", call(limits.binding_limit, 700, 1.82), ValueError,
         r"^binding_limit needs a cap: power_budget_w, it_budget_w, capex_budget or gpus \(none given\)$"),
    Case("library", "binding_limit-capex-without-prices", call(limits.binding_limit, 700, capex_budget=10e9),
         ValueError, r"^capex_budget needs accelerator_cost and facility_cost_per_w \(not given\)$"),
    Case("library", "binding_limit-no-whole-accelerator", call(limits.binding_limit, 700, power_budget_w=100),
         ValueError, r"^power_budget_w holds no whole accelerator \(got 100\)"),
    Case("library", "gpus_for_capex-zero", call(money.gpus_for_capex, 0, 40e3, 12, 700), ValueError,
         r"^capex_budget must be > 0 \(got 0\.0\)$"),
    # the projection of the frontier run's power
    Case("library", "projection-growth-1", call(estimator.projection, 100e6, 2025.0, 1.0), ValueError,
         r"^growth must be > 1 \(got 1\): a trend that does not grow never reaches a larger power$"),
    Case("library", "projection-start-year-typo", call(estimator.projection, 100e6, 20250, 2.1), ValueError,
         r"^start_year must be <= 3000 \(got 20250\.0\); the limit catches typos"),
    Case("library", "projection-start-year-text", call(estimator.projection, 100e6, "2025", 2.1), TypeError,
         r"^start_year must be a number, not text \(got '2025'\)"),
    Case("library", "projection-power-without-year", call(estimator.projection, 100e6), ValueError,
         r"^projection needs start_power_w and start_year together"),
    # serving and money fields
    Case("library", "tokens_per_s_per_gpu-zero", s(tokens_per_s_per_gpu=0), ValueError,
         r"^tokens_per_s_per_gpu must be >= 1 \(got 0\.0\)$"),
    Case("library", "load_factor-above-1", s(load_factor=1.5), ValueError,
         r"^load_factor must be in \(0, 1\] \(got 1\.5\)$"),
    Case("library", "serving_share-above-1",
         call(tables.fleet_split, Scenario(gpus=1000, **H100), 2.0, 3.8e25), ValueError,
         r"^serving_share must be <= 1 \(got 2\.0\)"),
    Case("library", "serving_share-negative",
         call(tables.fleet_split, Scenario(gpus=1000, **H100), -0.1, 3.8e25), ValueError,
         r"^serving_share must be >= 0 \(got -0\.1\)$"),
    Case("library", "accelerator_cost-negative", s(accelerator_cost=-1), ValueError,
         r"^accelerator_cost must be > 0 \(got -1\.0\)$"),
    Case("library", "discount_rate-negative", s(discount_rate=-0.1), ValueError,
         r"^discount_rate must be >= 0 \(got -0\.1\)$"),
    Case("library", "hardware_life_years-zero", s(hardware_life_years=0), ValueError,
         r"^hardware_life_years must be > 0 \(got 0\.0\)$"),
    Case("library", "redundancy-unknown-level", call(money.redundancy_factor, "3N"), ValueError,
         r"^redundancy must be one of N, N\+1, 2N \(got '3N'\)$"),
    Case("library", "redundancy-unknown-spelling", call(units.parse, "N+2", "ratio", field="redundancy"), ValueError,
         r"^redundancy: cannot read 'N\+2' as a ratio \(write N, N\+1 \(4 modules: 1\.25\) or 2N"),
    Case("library", "headroom-negative", s(headroom=-0.1), ValueError, r"^headroom must be >= 0 \(got -0\.1\)$"),
    Case("library", "parse-bits-for-bytes", call(units.parse, "3.35 Tb/s", "B/s", field="memory_bandwidth_b_per_s"),
         ValueError, r"^memory_bandwidth_b_per_s: cannot read '3\.35 Tb/s' as a data rate \('Tb/s' counts bits; "
                     r"write 'TB/s' for bytes \(8 bits each\)\)$"),
    Case("library", "parse-money-two-signs", call(units.parse, "-$-5", "$", field="capex_budget"), ValueError,
         r"^capex_budget: cannot read '-\$-5' as an amount of money \(two signs"),
]


def f(text: str | bytes, fmt: str = "toml") -> tuple[str | bytes, str]:
    return text, fmt


def campus_file(text: str, fmt: str = "toml") -> tuple[str, str, str]:
    """A campus file's content, read by :func:`estimator.io.loads_campus` (and ``load_campus`` on disk)."""
    return text, fmt, "campus"


BLOCK = '[[block]]\nname = "hall A"\naccelerator = "h100-sxm"\n'


FILE = [
    # empty, huge, not text
    Case("file", "empty", f(""), ValueError, r"^scenario file is empty$"),
    Case("file", "whitespace-only", f(b" \n\t\r\n"), ValueError, r"^scenario file is empty$"),
    Case("file", "byte-order-mark-only", f("\ufeff", "json"), ValueError, r"^scenario file is empty$"),
    Case("file", "huge", f(VALID_TOML + "#" * io.MAX_BYTES), ValueError,
         r"^scenario file is 1,048,624 bytes, more than the limit of 1,048,576 bytes$"),
    Case("file", "not-utf8", f(b"gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\nname = '\xff\xfe'\n"), ValueError,
         r"^scenario file is not UTF-8 text \(byte 0xff at position 56\)$"),
    Case("file", "latin1-json", f('{"name": "Café", "gpus": 1, "gpu_watts": 1}'.encode("latin-1"), "json"),
         ValueError, r"^scenario file is not UTF-8 text \(byte 0xe9 at position 13\)$"),
    Case("file", "content-not-text", f(12), TypeError, r"^scenario content must be text or bytes \(got int\)$"),
    # malformed
    Case("file", "malformed-toml", f("gpus = \ngpu_watts = 700\nserver_overhead = 1\n"), ValueError,
         r"^scenario file is not valid TOML: .*\(at line 1, column \d+\)$"),
    Case("file", "malformed-json", f('{"gpus": 1000, "gpu_watts": 700, "server_overhead": 1,}', "json"), ValueError,
         r"^scenario file is not valid JSON: .*\(line 1, column \d+\)$"),
    Case("file", "json-not-object", f("[1000, 700]", "json"), ValueError,
         r"^scenario file must hold one JSON object of \"key\": value pairs \(got list\)$"),
    Case("file", "deeply-nested", f('{"gpus": ' + "[" * 50_000 + "]" * 50_000 + "}", "json"), ValueError,
         r"^scenario file nests arrays or tables too deeply$"),
    Case("file", "integer-of-5000-digits", f("gpus = " + "9" * 5000 + "\ngpu_watts = 700\nserver_overhead = 1\n"),
         ValueError,
         r"^scenario file is not valid TOML: a number has more than 4,300 digits$"),
    Case("file", "unknown-format", f(VALID_TOML, "yaml"), ValueError,
         r"^format must be one of 'toml', 'json' \(got 'yaml'\)$"),
    # duplicate and unknown keys, presets
    Case("file", "duplicate-key-toml", f("gpus = 1000\ngpu_watts = 700\nserver_overhead = 1\ngpus = 2000\n"),
         ValueError,
         r"^duplicate key 'gpus' in scenario file \(lines 1 and 4\)$"),
    Case("file", "duplicate-key-json", f('{\n"pue": 1.2,\n"gpus": 1,\n"pue": 1.3\n}', "json"), ValueError,
         r"^duplicate key 'pue' in scenario file \(lines 2 and 4\)$"),
    Case("file", "unknown-key-suggested", f(VALID_TOML + "PUE = 1.2\n"), ValueError,
         r"^unknown key 'PUE' in scenario \(did you mean 'pue'\?; valid keys: .*gpu_watts"),
    Case("file", "unknown-key-json", f('{"gpus": 1, "gpu-watts": 700}', "json"), ValueError,
         r"^unknown key 'gpu-watts' in scenario \(did you mean 'gpu_watts'\?"),
    Case("file", "unknown-accelerator", f('accelerator = "h100"\ngpus = 1000\n'), ValueError,
         r"^unknown accelerator 'h100' \(valid: .*h100-sxm"),
    Case("file", "unknown-methodology", f('accelerator = "h100-sxm"\nmethodology = "x"\ngpus = 1\n'), ValueError,
         r"^unknown methodology 'x' \(valid: .*nameplate"),
    Case("file", "no-accelerator-no-server-overhead", f("gpus = 1000\ngpu_watts = 700\n"), ValueError,
         r"^server_overhead must be given when no accelerator preset is named"),
    Case("file", "missing-required", f("gpus = 1000\n"), ValueError, r"^scenario is missing gpu_watts"),
    # NaN, infinity, wrong kinds
    Case("file", "nan-toml", f("gpus = nan\ngpu_watts = 700\nserver_overhead = 1\n"), ValueError,
         r"^gpus must be > 0 and finite \(got nan\)$"),
    Case("file", "inf-toml", f(VALID_TOML + "hours = inf\n"), ValueError,
         r"^hours must be > 0 and finite \(got inf\)$"),
    Case("file", "nan-json-literal", f('{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": NaN}', "json"),
         ValueError,
         r"^pue must be finite \(got NaN\)$"),
    Case("file", "infinity-json-literal", f('{"gpus": -Infinity, "gpu_watts": 700, "server_overhead": 1}', "json"),
         ValueError,
         r"^gpus must be finite \(got -Infinity\)$"),
    Case("file", "nan-text", f('gpus = "NaN"\ngpu_watts = 700\nserver_overhead = 1\n'), ValueError,
         r"^gpus: cannot read 'NaN' as a count \(NaN and infinity are not allowed\)$"),
    Case("file", "boolean", f("gpus = true\ngpu_watts = 700\nserver_overhead = 1\n"), TypeError,
         r"^gpus must be a number, not a boolean \(got true\)$"),
    Case("file", "null-json", f('{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "hours": null}', "json"),
         TypeError,
         r"^hours must be a number \(got null\); leave the key out"),
    Case("file", "table", f(VALID_TOML + "pue = {value = 1.2}\n"), TypeError, r"^pue must be a number, not a table"),
    Case("file", "date", f("gpus = 1979-05-27\ngpu_watts = 700\nserver_overhead = 1\n"), TypeError,
         r"^gpus must be a number \(got date "),
    Case("file", "name-not-text", f(VALID_TOML + "name = 5\n"), TypeError, r"^name must be text \(got 5\)$"),
    Case("file", "ragged-array", f("gpus = [[1, 2], [3]]\ngpu_watts = 700\nserver_overhead = 1\n"), ValueError,
         r"^gpus must be a rectangular array"),
    Case("file", "array-element", f(VALID_TOML + "pue = [1.1, 0.9]\n"), ValueError,
         r"^pue\[1\] must be >= 1 \(got 0\.9\)$"),
    # ranges
    Case("file", "negative", f("gpus = -1\ngpu_watts = 700\nserver_overhead = 1\n"), ValueError,
         r"^gpus must be > 0 \(got -1\.0\)$"),
    Case("file", "zero", f("gpus = 1000\ngpu_watts = 0\n"), ValueError, r"^gpu_watts must be > 0 \(got 0\.0\)$"),
    Case("file", "gpus-1e15", f('gpus = "1e15"\ngpu_watts = 700\nserver_overhead = 1\n'), ValueError,
         r"^gpus must be <= 1e\+09"),
    Case("file", "gpu_watts-1-GW", f('gpus = 1000\ngpu_watts = "1 GW"\n'), ValueError,
         r"^gpu_watts must be <= 1e\+06 \(got 1000000000\.0\); the limit catches typos and unit slips$"),
    Case("file", "integer-of-400-digits", f("gpus = " + "9" * 400 + "\ngpu_watts = 700\nserver_overhead = 1\n"),
         ValueError,
         r"^gpus is too large for a float \(got an integer of 400 digits\)$"),
    Case("file", "pue-below-1", f(VALID_TOML + "pue = 0.99\n"), ValueError, r"^pue must be >= 1 \(got 0\.99\)$"),
    Case("file", "utilization-150-percent", f(VALID_TOML + 'utilization = "150%"\n'), ValueError,
         r"^utilization must be in \(0, 1\] \(got 1\.5\)$"),
    Case("file", "mfu-above-1", f('{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "mfu": 1.01}', "json"),
         ValueError,
         r"^mfu must be in \(0, 1\] \(got 1\.01\)$"),
    # units
    Case("file", "wrong-unit", f('gpus = 1000\ngpu_watts = "700 kWh"\n'), ValueError,
         r"^gpu_watts: cannot read '700 kWh' as a power \(an energy was given"),
    Case("file", "unknown-unit", f(VALID_TOML + 'hours = "3 fortnights"\n'), ValueError,
         r"^hours: unknown unit 'fortnights' in '3 fortnights'"),
    Case("file", "unit-in-array", f(VALID_TOML + 'hours = ["90 days", "1 parsec"]\n'), ValueError,
         r"^hours\[1\]: unknown unit 'parsec'"),
    # a range where single values are read (io.load; io.load_uncertain reads it)
    Case("file", "range-table-single-value-loader", f(VALID_TOML + "pue = { low = 1.1, likely = 1.2, high = 1.4 }\n"),
         TypeError, r"^pue must be a number, not a table \(got .*\); a range is read by io\.load_uncertain or "
                    r"`estimator uncertainty FILE`, not by io\.load or `estimator run`$"),
    Case("file", "range-text-single-value-loader", f('{"gpus": 1000, "gpu_watts": "650 W..750 W"}', "json"),
         ValueError, r"^gpu_watts must be a single value, not a range \(got '650 W\.\.750 W'\); a range is read "
                     r"by io\.load_uncertain"),
    # the catalogue version a file was made with
    Case("file", "catalog-version-malformed", f('accelerator = "h100-sxm"\ngpus = 10\ncatalog = "2026-12"\n'),
         ValueError, r"^catalog must be a catalogue version YYYY\.MM or YYYY\.MM\.N, e\.g\. '\d{4}\.\d{2}' "
                     r"\(got '2026-12'\)$"),
    # campus files: [[block]] tables (io.loads_campus)
    Case("file", "campus-block-missing-count", campus_file(BLOCK + 'online = "2025-01-01"\n'), ValueError,
         r"^block 1 \('hall A'\): scenario is missing gpus"),
    Case("file", "campus-block-unknown-key", campus_file(BLOCK + 'gpus = 10\nonlien = "2025-01-01"\n'), ValueError,
         r"^block 1 \('hall A'\): unknown key 'onlien' in a \[\[block\]\] \(did you mean 'online'\?; "
         r"valid keys: .*online, retire\)$"),
    Case("file", "campus-shared-unknown-key", campus_file('PUE = 1.2\n' + BLOCK + 'gpus = 10\n'), ValueError,
         r"^unknown key 'PUE' in the campus's shared keys \(did you mean 'pue'\?; valid keys: block, "),
    Case("file", "campus-online-before-blocks", campus_file('online = 2025-01-01\n' + BLOCK + 'gpus = 10\n'),
         ValueError, r"^online is a key of each \[\[block\]\], not of the campus \(got online = "
                     r"2025-01-01 before the first \[\[block\]\]\)$"),
    Case("file", "campus-bad-online", campus_file(BLOCK + 'gpus = 10\nonline = "2025-13-01"\n'), ValueError,
         r"^block 1 \('hall A'\): online must be a date YYYY-MM-DD \(got '2025-13-01'\)$"),
    Case("file", "campus-retire-before-online", campus_file(BLOCK + "gpus = 10\nonline = 2025-06-01\n"
                                                            "retire = 2025-01-01\n"), ValueError,
         r"^block 1 \('hall A'\): retire must be after online \(got 2025-01-01 ≤ 2025-06-01\)$"),
    Case("file", "campus-duplicate-names", campus_file(BLOCK + "gpus = 10\n" + BLOCK + "gpus = 20\n"), ValueError,
         r"^block 2 \('hall A'\): names must be unique: 'hall A' is given twice \(block 1 and block 2\)$"),
    Case("file", "campus-block-gpus-zero", campus_file(BLOCK + "gpus = 0\n"), ValueError,
         r"^block 1 \('hall A'\): gpus must be > 0 \(got 0\.0\)$"),
    Case("file", "campus-block-not-a-table", campus_file("block = [1, 2]\n"), TypeError,
         r"^block 1 must be a table of key = value pairs \(got int\)$"),
    Case("file", "campus-block-not-an-array", campus_file('[block]\naccelerator = "h100-sxm"\ngpus = 10\n'),
         TypeError, r"^block must be an array of tables, one \[\[block\]\] per block \(got dict\)$"),
    Case("file", "campus-empty-block-list", campus_file('{"block": []}', "json"), ValueError,
         r"^a campus file needs at least one \[\[block\]\] table \(got an empty list\)$"),
    Case("file", "campus-no-blocks", campus_file('accelerator = "h100-sxm"\ngpus = 10\n'), ValueError,
         r"^a campus file needs at least one \[\[block\]\] table \(got none\)$"),
]


FILES = {
    "good.toml": VALID_TOML.encode(),
    "empty.toml": b"",
    "broken.toml": b"gpus = \n",
    "latin1.toml": b"name = 'caf\xe9'\ngpus = 1\ngpu_watts = 700\nserver_overhead = 1\n",
    "twice.json": b'{"gpus": 1,\n "gpus": 2, "gpu_watts": 700, "server_overhead": 1}',
    "typo.toml": b"gpus = 1000\ngpu_wats = 700\n",
    "low-pue.json": b'{"gpus": 1000, "gpu_watts": 700, "server_overhead": 1, "pue": 0.8}',
    "huge.toml": VALID_TOML.encode() + b"#" * (2 * io.MAX_BYTES),
    "scenario.yaml": b"gpus: 1000\n",
    "ranges.toml": VALID_TOML.encode() + b"pue = { low = 1.1, likely = 1.2, high = 1.4 }\n",
    "low-range.toml": VALID_TOML.encode() + b"pue = { low = 0.9, likely = 1.2, high = 1.4 }\n",
    "typo-range.toml": VALID_TOML.encode() + b"pue = { low = 1.1, likley = 1.2, high = 1.4 }\n",
    "half-range.json": (b'{"gpus": 1000, "gpu_watts": 700, "server_overhead": 1, '
                        b'"pue": {"distribution": "uniform", "low": 1.1}}'),
    "campus.toml": (BLOCK + 'gpus = 1000\nonline = "2025-01-01"\n').encode(),
    "typo-campus.toml": (BLOCK + 'gpus = 1000\nonlien = "2025-01-01"\n').encode(),
    "array-campus.toml": (BLOCK + "gpus = [1000, 2000]\n").encode(),
}
FIT_CAPEX = ["fit", "--accelerator", "h100-sxm", "--accelerator-cost", "40k", "--facility-cost-per-w", "12"]
SERVE = ["serve", "--gpus", "1k", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu", "3k", "--query", "chat"]
POWER = ["power", "--gpus", "100k", "--gpu-watts", "700", "--server-overhead", "1"]

CLI = [
    Case("cli", "gpus-1e15", ["power", "--gpus", "1e15", "--gpu-watts", "700", "--server-overhead", "1"], 2,
         r"gpus must be <= 1e\+09 \(got 1000000000000000\.0\)"),
    Case("cli", "gpu_watts-1-GW", ["power", "--gpus", "100k", "--gpu-watts", "1 GW"], 2,
         r"gpu_watts must be <= 1e\+06 \(got 1000000000\.0\)"),
    Case("cli", "pue-below-1", [*POWER, "--pue", "0.9"], 2, r"pue must be >= 1 \(got 0\.9\)"),
    Case("cli", "utilization-150-percent", [*POWER, "--utilization", "150%"], 2,
         r"utilization must be in \(0, 1\] \(got 1\.5\)"),
    Case("cli", "gpus-nan", ["power", "--gpus", "nan", "--gpu-watts", "700", "--server-overhead", "1"], 2,
         r"gpus: cannot read 'nan' as a count \(NaN and infinity are not allowed\)"),
    Case("cli", "hours-inf", [*POWER, "--hours", "inf h"], 2,
         r"hours: cannot read 'inf h' as a duration \(NaN and infinity are not allowed\)"),
    Case("cli", "gpus-negative", ["power", "--gpus", "-5", "--gpu-watts", "700", "--server-overhead", "1"], 2,
         r"gpus must be > 0 \(got -5\.0\)"),
    Case("cli", "days-zero", [*POWER, "--days", "0"], 2, r"hours must be > 0 \(got 0\.0\)"),
    Case("cli", "gpus-text", ["power", "--gpus", "lots", "--gpu-watts", "700", "--server-overhead", "1"], 2,
         r"gpus: cannot read 'lots' as a count \(no number found"),
    Case("cli", "gpus-empty", ["power", "--gpus", "", "--gpu-watts", "700", "--server-overhead", "1"], 2,
         r"gpus: cannot read '' as a count \(it is empty"),
    Case("cli", "wrong-unit", ["power", "--gpus", "100k", "--gpu-watts", "700 kWh"], 2,
         r"gpu_watts: cannot read '700 kWh' as a power \(an energy was given"),
    Case("cli", "unknown-unit", [*POWER, "--hours", "3 fortnights"], 2, r"hours: unknown unit 'fortnights'"),
    Case("cli", "unknown-accelerator", ["power", "--gpus", "100k", "--accelerator", "h100"], 2,
         r"unknown accelerator 'h100' \(valid: .*h100-sxm.*\); did you mean"),
    Case("cli", "unknown-methodology", ["power", "--gpus", "1k", "--accelerator", "h100-sxm", "--methodology", "x"], 2,
         r"unknown methodology 'x' \(valid: "),
    Case("cli", "unknown-site", [*POWER, "--site", "mars"], 2, r"unknown site 'mars' \(valid: "),
    Case("cli", "unknown-option", [*POWER, "--puee", "1.2"], 2, r"unrecognized arguments: --puee 1\.2"),
    Case("cli", "unknown-command", ["powr"], 2, r"argument COMMAND: invalid choice: 'powr'"),
    Case("cli", "unknown-format", [*POWER, "--format", "yaml"], 2, r"argument --format: invalid choice: 'yaml'"),
    Case("cli", "missing-gpus", ["power", "--gpu-watts", "700", "--server-overhead", "1"], 2, r"power needs --gpus N"),
    Case("cli", "shapes", ["power", "--gpus", "1", "2", "--gpu-watts", "1", "2", "3"], 2,
         r"input shapes do not broadcast together: gpus \(2,\), gpu_watts \(3,\)"),
    Case("cli", "fit-zero-budget", ["fit", "--power", "0", "--accelerator", "h100-sxm"], 2,
         r"power must be > 0 \(got 0\.0\)"),
    Case("cli", "fit-milliwatts", ["fit", "--power", "1 mW"], 2, r"power: cannot read '1 mW' as a power"),
    Case("cli", "train-mfu-above-1",
         ["train", "--flop", "3.8e25", "--gpus", "16k", "--accelerator", "h100-sxm", "--mfu", "1.5"], 2,
         r"mfu must be in \(0, 1\] \(got 1\.5\)"),
    Case("cli", "run-missing-file", ["run", "missing.toml"], 2, r"missing\.toml: No such file or directory"),
    Case("cli", "run-empty-file", ["run", "empty.toml"], 2, r"empty\.toml: scenario file is empty"),
    Case("cli", "run-malformed", ["run", "broken.toml"], 2, r"broken\.toml: scenario file is not valid TOML"),
    Case("cli", "run-not-utf8", ["run", "latin1.toml"], 2, r"latin1\.toml: scenario file is not UTF-8 text"),
    Case("cli", "run-duplicate-key", ["run", "twice.json"], 2,
         r"twice\.json: duplicate key 'gpus' in scenario file \(lines 1 and 2\)"),
    Case("cli", "run-unknown-key", ["run", "good.toml", "typo.toml"], 2,
         r"typo\.toml: unknown key 'gpu_wats' in scenario \(did you mean 'gpu_watts'\?"),
    Case("cli", "run-pue-below-1", ["run", "low-pue.json"], 2, r"low-pue\.json: pue must be >= 1 \(got 0\.8\)"),
    Case("cli", "run-huge-file", ["run", "huge.toml"], 2,
         r"huge\.toml: scenario file is 2,097,200 bytes, more than the limit of 1,048,576 bytes"),
    Case("cli", "run-wrong-suffix", ["run", "scenario.yaml"], 2,
         r"cannot tell the format of 'scenario\.yaml' from its suffix '\.yaml' \(valid suffixes: \.toml, \.json\)"),
    Case("cli", "output-is-a-directory", [*POWER, "--output", "."], 2, r"error: \.: Is a directory"),
    Case("cli", "output-is-the-input", ["run", "good.toml", "--output", "good.toml"], 2,
         r"--output good\.toml is the scenario file good\.toml being read"),
    # ranges: refused by the single-value commands, checked by `estimator uncertainty` (alias mc)
    Case("cli", "power-range", [*POWER, "--pue", "1.1..1.4"], 2,
         r"pue: '1\.1\.\.1\.4' is a range; `estimator power` takes single values .*use `estimator uncertainty`"),
    Case("cli", "run-ranges-file", ["run", "ranges.toml"], 2,
         r"ranges\.toml: pue must be a number, not a table .*`estimator uncertainty FILE`"),
    Case("cli", "mc-pue-low-below-1", ["uncertainty", *POWER[1:], "--pue", "0.9..1.4"], 2,
         r"error: pue low must be >= 1 \(got 0\.9\)$"),
    Case("cli", "mc-low-above-high", ["mc", "--gpus", "100k", "--gpu-watts", "750W..650W"], 2,
         r"gpu_watts range '750W\.\.650W': high must be >= low \(got low=750\.0, high=650\.0\)"),
    Case("cli", "mc-unknown-distribution", ["mc", *POWER[1:], "--pue", "unifrom:1.1..1.4"], 2,
         r"pue distribution 'unifrom' is not known \(did you mean 'uniform'\?"),
    Case("cli", "mc-lognormal-p95-below-median", ["mc", *POWER[1:], "--mfu", "lognormal:median=0.4,p95=0.3"], 2,
         r"mfu lognormal range: p95 must be >= median \(got median=0\.4, p95=0\.3\)"),
    Case("cli", "mc-file-pue-low-below-1", ["uncertainty", "low-range.toml"], 2,
         r"low-range\.toml: pue low must be >= 1 \(got 0\.9\)"),
    Case("cli", "mc-file-unknown-key", ["uncertainty", "typo-range.toml"], 2,
         r"typo-range\.toml: unknown key 'likley' in the range of pue \(did you mean 'likely'\?"),
    Case("cli", "mc-file-missing-key", ["uncertainty", "half-range.json"], 2,
         r"half-range\.json: pue uniform range takes \{high, low\} \(got \{low\}\)"),
    Case("cli", "mc-samples-zero", ["mc", *POWER[1:], "--samples", "0"], 2, r"samples must be >= 1 \(got 0\)"),
    Case("cli", "mc-samples-1e9", ["mc", *POWER[1:], "--samples", "1e9"], 2,
         r"samples must be <= 10,000,000 \(got 1,000,000,000\)"),
    Case("cli", "mc-unknown-output", ["mc", *POWER[1:], "--outputs", "facility_power"], 2,
         r"unknown output 'facility_power' \(did you mean 'facility_power_w'\?"),
    # the default policy: server_overhead without an accelerator, no invented MFU, FP8 only where published
    Case("cli", "power-no-server-overhead", ["power", "--gpus", "100k", "--gpu-watts", "700"], 2,
         r"server_overhead must be given when no accelerator preset is named \(or name one: "),
    Case("cli", "power-fp8-without-peak", ["power", "--gpus", "1k", "--accelerator", "a100-sxm", "--precision", "fp8"],
         2, r"precision 'fp8': accelerator 'a100-sxm' has no published FP8 peak in the catalogue"),
    Case("cli", "train-without-mfu", ["train", "--flop", "3.8e25", "--gpus", "16k", "--accelerator", "h100-sxm"], 2,
         r"train needs mfu: give --mfu .*no MFU is assumed"),
    Case("cli", "date-not-a-date", ["power", "--gpus", "1k", "--accelerator", "h100-sxm", "--date", "2024-13-01"], 2,
         r"date must be a date YYYY-MM-DD \(got '2024-13-01'\)"),
    Case("cli", "fit-every-several-budgets", ["fit", "--power", "1GW", "2GW"], 2,
         r"power: with every accelerator side by side each option takes one value"),
    Case("cli", "train-goodput-zero", ["train", "--run", "llama-3.1-405b", "--goodput", "0"], 2,
         r"goodput must be in \(0, 1\] \(got 0\.0\)"),
    Case("cli", "train-unknown-run", ["train", "--run", "llama3.1-450b"], 2,
         r"unknown training run 'llama3.1-450b' \(valid: .*\); did you mean 'llama-3.1-405b'\?"),
    Case("cli", "serve-without-throughput", ["serve", "--gpus", "1k", "--accelerator", "h100-sxm", "--query", "chat"],
         2, r"serve needs tokens_per_s_per_gpu: give --tokens-per-s-per-gpu .*none is assumed"),
    Case("cli", "serve-share-above-1", ["serve", "--gpus", "1k", "--accelerator", "h100-sxm", "--tokens-per-s-per-gpu",
                                        "3k", "--query", "chat", "--serving-share", "150%"], 2,
         r"serving_share must be <= 1 \(got 1\.5\)"),
    # campuses (`estimator campus FILE|NAME`), capital caps (`fit --capex`), serving and money options
    Case("cli", "campus-missing-file", ["campus", "missing.toml"], 2, r"missing\.toml: No such file or directory"),
    Case("cli", "campus-unknown-ready-name", ["campus", "xai-memphys"], 2,
         r"xai-memphys: no such file, and unknown campus 'xai-memphys' \(valid: .*\); did you mean 'xai-memphis'\?$"),
    Case("cli", "campus-start-after-end", ["campus", "campus.toml", "--start", "2026-01-01", "--end", "2025-01-01"], 2,
         r"end must be on or after start \(got end 2025-01-01 before start 2026-01-01\)"),
    Case("cli", "campus-unknown-timeline", ["campus", "campus.toml", "--timeline", "week", "--start", "2025-01-01",
                                            "--end", "2025-12-31"], 2,
         r"argument --timeline: invalid choice: 'week' \(choose from 'month', 'quarter', 'year'\)"),
    Case("cli", "campus-start-not-a-date", ["campus", "campus.toml", "--start", "2025-02-30", "--end", "2025-12-31"],
         2, r"start must be a date YYYY-MM-DD \(got '2025-02-30'\)"),
    Case("cli", "campus-timeline-without-dates", ["campus", "campus.toml", "--timeline", "quarter"], 2,
         r"--timeline needs --start YYYY-MM-DD and --end YYYY-MM-DD"),
    Case("cli", "campus-file-unknown-key", ["campus", "typo-campus.toml"], 2,
         r"typo-campus\.toml: block 1 \('hall A'\): unknown key 'onlien' in a \[\[block\]\] \(did you mean "
         r"'online'\?"),
    Case("cli", "campus-file-array", ["campus", "array-campus.toml"], 2,
         r"a table of blocks \(one row each\) needs one value per input in each block: block 'hall A' has arrays "
         r"in gpus"),
    Case("cli", "fit-capex-bananas", [*FIT_CAPEX, "--capex", "10 bananas"], 2,
         r"capex: unknown unit 'bananas' in '10 bananas' \(valid: a plain number, k \(thousand\)"),
    Case("cli", "fit-capex-negative", [*FIT_CAPEX, "--capex", "-5"], 2, r"capex must be > 0 \(got -5\.0\)"),
    Case("cli", "fit-capex-negative-dollars", [*FIT_CAPEX, "--capex", "$-5B"], 2,
         r"capex must be > 0 \(got -5000000000\.0\)"),
    Case("cli", "fit-capex-without-prices", ["fit", "--capex", "$10B", "--accelerator", "h100-sxm"], 2,
         r"--capex needs --accelerator-cost MONEY and --facility-cost-per-w MONEY_PER_W"),
    Case("cli", "fit-capex-no-whole-accelerator", [*FIT_CAPEX, "--capex", "$10"], 2,
         r"capex_budget holds no whole accelerator \(got 10\)"),
    Case("cli", "fit-accelerator-cost-negative", [*FIT_CAPEX[:3], "--accelerator-cost", "-40k",
                                                  "--facility-cost-per-w", "12", "--capex", "$10B"], 2,
         r"accelerator_cost must be > 0 \(got -40000\.0\)"),
    Case("cli", "serve-queries-per-day-text", [*SERVE, "--queries-per-day", "lots"], 2,
         r"queries_per_day: cannot read 'lots' as a count \(no number found"),
    Case("cli", "serve-queries-per-day-zero", [*SERVE, "--queries-per-day", "0"], 2,
         r"queries_per_day must be > 0 \(got 0\.0\)"),
    Case("cli", "serve-share-2", [*SERVE, "--serving-share", "2"], 2, r"serving_share must be <= 1 \(got 2\.0\)"),
    Case("cli", "serve-share-negative-percent", [*SERVE, "--serving-share", "-10%"], 2,
         r"serving_share must be >= 0 \(got -0\.1\)"),
    Case("cli", "serve-load-factor-above-1", [*SERVE, "--load-factor", "1.5"], 2,
         r"load_factor must be in \(0, 1\] \(got 1\.5\)"),
    Case("cli", "serve-unknown-query", [*SERVE[:-1], "chatt"], 2,
         r"unknown query preset 'chatt' \(valid: .*\); did you mean 'chat'\?"),
    Case("cli", "power-headroom-negative-percent", [*POWER, "--headroom", "-10%"], 2,
         r"headroom must be >= 0 \(got -0\.1\)"),
    Case("cli", "power-redundancy-unknown", [*POWER, "--redundancy", "N+2"], 2,
         r"redundancy: cannot read 'N\+2' as a ratio \(write N, N\+1 \(4 modules: 1\.25\) or 2N"),
    Case("cli", "power-hardware-life-zero", [*POWER, "--hardware-life-years", "0"], 2,
         r"hardware_life_years must be > 0 \(got 0\.0\)"),
    Case("cli", "train-unknown-run-gpt", ["train", "--run", "gpt-5"], 2,
         r"unknown training run 'gpt-5' \(valid: .*\); did you mean 'gpt-4'\?"),
    Case("cli", "campus-empty-name", ["campus", ""], 2, r"campus needs a FILE or a ready campus's name \(got an empty"),
    Case("cli", "run-empty-path", ["run", " "], 2, r"a file path is needed \(got an empty one\)"),
    Case("cli", "swing-psu-efficiency-above-one", ["swing", "--accelerator", "h100-sxm", "--gpus", "1000",
                                                   "--psu-efficiency", "1.2"], 2,
         r"psu_efficiency must be in \(0, 1\] \(got 1\.2\)"),
    Case("cli", "swing-job-share-zero", ["swing", "--accelerator", "h100-sxm", "--gpus", "1000", "--job-share", "0"],
         2, r"job_share must be in \(0, 1\] \(got 0\.0\)"),
]


# A valid shared address (as the Compare page writes it); url cases change one thing.
LINK = {"accelerator": "h100-sxm", "methodology": "nameplate", "precision": "bf16", "gpus": "100000",
        "gpu_watts": "700", "server_overhead": "1.8214285714285714", "network_overhead": "1.1", "pue": "1.2",
        "utilization": "1", "hours": "8760", "peak_flop_per_s": "989400000000000", "mfu": "0.4"}


def url(**changes: str | None) -> tuple[str, dict[str, str]]:
    params = {**LINK, **changes}
    return "url", {k: v for k, v in params.items() if v is not None}


def typed(page: str, key: str, value: str, **sidebar: float) -> tuple[str, str, str, str, dict[str, float]]:
    """``value`` typed into the page's text box ``key``, after the sidebar's number boxes ``sidebar`` are set."""
    return "type", page, key, value, sidebar


#: The sidebar's serving inputs the Serving page needs before its demand and split inputs show.
SERVING = {"tokens_per_s_per_gpu": 3000.0, "tokens_per_query": 500.0}


def steps(page: str, *actions: tuple[str, str, Any]) -> tuple[str, str, tuple[tuple[str, str, Any], ...]]:
    """Widgets set one after another on ``page``: (widget kind, key, value); kind "session" writes the
    session state (how a test edits a data editor) and reruns."""
    return "set", page, actions


def upload(name: str, content: bytes) -> tuple[str, str, bytes]:
    return "upload", name, content


DASHBOARD = [
    Case("dashboard", "url-gpus-nan", url(gpus="nan"), ValueError, r"gpus must be > 0 and finite \(got nan\)"),
    Case("dashboard", "url-hours-inf", url(hours="inf"), ValueError, r"hours must be > 0 and finite \(got inf\)"),
    Case("dashboard", "url-pue-below-1", url(pue="0.9"), ValueError, r"pue must be >= 1 \(got 0\.9\)"),
    Case("dashboard", "url-utilization-2", url(utilization="2"), ValueError,
         r"utilization must be in \(0, 1\] \(got 2\.0\)"),
    Case("dashboard", "url-gpus-1e15", url(gpus="1e15"), ValueError, r"gpus must be <= 1e\+09"),
    Case("dashboard", "url-gpu_watts-text", url(gpu_watts="700W<script>"), ValueError,
         r"gpu_watts='700W<script>' was dropped: gpu_watts: unknown unit 'W<script>'"),
    Case("dashboard", "url-unknown-parameter", url(PUE="1.2"), ValueError,
         r"Ignored in the address \(not dashboard parameters\): 'PUE' \(did you mean 'pue'\?\)"),
    Case("dashboard", "url-unknown-accelerator", url(accelerator="h100"), ValueError,
         r"unknown accelerator 'h100' \(valid: "),
    Case("dashboard", "url-unknown-precision", url(precision="fp4"), ValueError,
         r"precision='fp4' was dropped: precision must be one of bf16, fp8 \(got 'fp4'\)"),
    Case("dashboard", "url-gpus-empty", url(gpus=""), ValueError, r"gpus is required in a shared address"),
    Case("dashboard", "url-gpus-not-whole", url(gpus="0.999"), ValueError,
         r"gpus must be between 1 and 1e\+09 in the dashboard \(got 0\.999\)"),
    Case("dashboard", "url-gpu_watts-below-input", url(gpu_watts="0.5"), ValueError,
         r"gpu_watts must be between 1 and 1e\+06 in the dashboard \(got 0\.5\)"),
    Case("dashboard", "url-catalog-malformed", url(catalog="Dec 2026"), ValueError,
         r"catalog='Dec 2026' was dropped: catalog must be a catalogue version YYYY\.MM or YYYY\.MM\.N"),
    Case("dashboard", "url-serving-demand-negative", url(**{"serving.demand": "-5"}), ValueError,
         r"serving\.demand='-5' was dropped: queries_per_day must be > 0 \(got -5\.0\)"),
    Case("dashboard", "url-training-parameters-absurd", url(**{"training.parameters": "1e30"}), ValueError,
         r"training\.parameters='1e30' was dropped: parameters must be <= 1e\+16 \(got 1e\+30\)"),
    Case("dashboard", "url-serving-bandwidth-bits", url(**{"serving.bandwidth": "3 Tb/s"}), ValueError,
         r"serving\.bandwidth='3 Tb/s' was dropped: serving\.bandwidth: cannot read '3 Tb/s' as a data rate "
         r"\('Tb/s' counts bits"),
    Case("dashboard", "type-period-negative", typed("fleet", "hours", "-5 days"), ValueError,
         r"hours must be > 0 \(got -120\.0\)"),
    Case("dashboard", "type-period-unknown-unit", typed("energy", "hours", "3 fortnights"), ValueError,
         r"hours: unknown unit 'fortnights' in '3 fortnights'"),
    Case("dashboard", "type-period-overflow", typed("fleet", "hours", "1e400 h"), ValueError,
         r"hours: cannot read '1e400 h' as a duration \(the number overflows to infinity"),
    Case("dashboard", "type-budget-too-small", typed("explorer", "budget", "5 kW"), ValueError,
         r"budget must be between 10\.0 MW and 10\.0 GW \(got 5\.00 kW\)"),
    Case("dashboard", "type-budget-energy", typed("explorer", "budget", "1 GWh"), ValueError,
         r"budget: cannot read '1 GWh' as a power \(an energy was given"),
    Case("dashboard", "type-reference-run-negative", typed("explorer", "run_flop", "-1 FLOP"), ValueError,
         r"reference run must be > 0 FLOP"),
    Case("dashboard", "type-parameters-text", typed("training", "train_parameters", "lots"), ValueError,
         r"parameters: cannot read 'lots' as a count \(no number found"),
    Case("dashboard", "type-parameters-absurd", typed("training", "train_parameters", "1e30"), ValueError,
         r"parameters must be <= 1e\+16 \(got 1e\+30\)"),
    Case("dashboard", "type-contour-zero", typed("sweeps", "heat_level", "0 W"), ValueError,
         r"the contour must be > 0 W"),
    Case("dashboard", "upload-not-utf8", upload("old.toml", b"gpus = 1\n\xff\xfe"), ValueError,
         r"old\.toml: scenario file is not UTF-8 text \(byte 0xff at position 9\)"),
    Case("dashboard", "upload-huge", upload("big.toml", VALID_TOML.encode() + b"#" * io.MAX_BYTES), ValueError,
         r"big\.toml: scenario file is 1,048,624 bytes, more than the limit of 1,048,576 bytes"),
    Case("dashboard", "upload-empty", upload("blank.json", b""), ValueError, r"blank\.json: scenario file is empty"),
    Case("dashboard", "upload-malformed-json", upload("bad.json", b'{"gpus": 1,'), ValueError,
         r"bad\.json: scenario file is not valid JSON: .*\(line 1, column \d+\)"),
    Case("dashboard", "upload-duplicate-key",
         upload("twice.toml", b"gpus = 1\ngpus = 2\ngpu_watts = 700\nserver_overhead = 1\n"),
         ValueError, r"twice\.toml: duplicate key 'gpus' in scenario file \(lines 1 and 2\)"),
    Case("dashboard", "upload-unknown-key",
         upload("typo.toml", b"gpus = 1\ngpu_watts = 700\nserver_overhead = 1\nPUE = 1.2\n"),
         ValueError, r"typo\.toml: unknown key 'PUE' in scenario \(did you mean 'pue'\?"),
    Case("dashboard", "upload-pue-below-1",
         upload("low.json", b'{"gpus": 1, "gpu_watts": 700, "server_overhead": 1, "pue": 0.5}'),
         ValueError, r"low\.json: pue must be >= 1 \(got 0\.5\)"),
    Case("dashboard", "upload-array",
         upload("sweep.toml", b"gpus = 1\ngpu_watts = 700\nserver_overhead = 1\npue = [1.1, 1.2]\n"),
         ValueError, r"sweep\.toml: pue is an array; the dashboard compares one value per assumption"),
    Case("dashboard", "upload-pickle", upload("scenario.toml", b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00"),
         ValueError, r"scenario\.toml: scenario file is not UTF-8 text \(byte 0x80 at position 0\)"),
    # the Campus & build-out page's caps and the Serving page's inputs
    Case("dashboard", "type-campus-power-cap-text", typed("campus", "campus_cap_power", "abc"), ValueError,
         r"power_budget_w: cannot read 'abc' as a power \(no number found"),
    Case("dashboard", "type-campus-power-cap-energy", typed("campus", "campus_cap_power", "1 GWh"), ValueError,
         r"power_budget_w: cannot read '1 GWh' as a power \(an energy was given"),
    Case("dashboard", "type-campus-capital-negative", typed("campus", "campus_cap_capex", "$-5"), ValueError,
         r"capex_budget must be > 0 \(got -5\.0\)"),
    Case("dashboard", "type-campus-deadline-text", typed("campus", "campus_cap_days", "soon"), ValueError,
         r"training_time_s: cannot read 'soon' as a duration \(no number found"),
    Case("dashboard", "type-campus-deadline-negative", typed("campus", "campus_cap_days", "-5 days"), ValueError,
         r"training_time_s must be > 0 \(got -432000\.0\)"),
    Case("dashboard", "type-campus-target-negative", typed("campus", "campus_cap_flop", "-1"), ValueError,
         r"training_flop must be > 0 \(got -1\.0\)"),
    Case("dashboard", "set-campus-dates-reversed",
         steps("campus", ("date_input", "campus_to", datetime.date(2024, 1, 1))), ValueError,
         r"end must be on or after start \(got end 2024-01-01 before start 2025-01-01\)"),
    Case("dashboard", "set-campus-block-name-twice",
         steps("campus", ("session", "campus_blocks", {"edited_rows": {"1": {"Block": "Hall 1"}}, "added_rows": [],
                                                       "deleted_rows": []})), ValueError,
         r"names must be unique: 'Hall 1' is given twice"),
    Case("dashboard", "type-serving-demand-text", typed("serving", "serving_demand", "lots", **SERVING), ValueError,
         r"queries_per_day: cannot read 'lots' as a count \(no number found"),
    Case("dashboard", "type-serving-demand-negative", typed("serving", "serving_demand", "-5", **SERVING),
         ValueError, r"queries_per_day must be > 0 \(got -5\.0\)"),
    Case("dashboard", "type-serving-demand-absurd", typed("serving", "serving_demand", "1e30", **SERVING),
         ValueError, r"queries_per_day must be <= 1e\+18 \(got 1e\+30\)"),
    Case("dashboard", "type-serving-run-text", typed("serving", "serving_run_flop", "abc", **SERVING), ValueError,
         r"training_flop: cannot read 'abc' as an amount of FLOP \(no number found"),
    Case("dashboard", "type-serving-parameters-negative", typed("serving", "serving_active_parameters", "-70B"),
         ValueError, r"active_parameters must be > 0 \(got -70000000000\.0\)"),
    Case("dashboard", "type-serving-bandwidth-bits", typed("serving", "serving_bandwidth", "3.35 Tb/s"), ValueError,
         r"memory_bandwidth_b_per_s: cannot read '3\.35 Tb/s' as a data rate \('Tb/s' counts bits"),
    Case("dashboard", "type-serving-kv-energy", typed("serving", "serving_kv", "320 kWh"), ValueError,
         r"kv_cache_bytes_per_token: cannot read '320 kWh' as an amount of data \(an energy was given"),
    Case("dashboard", "type-serving-kv-text", typed("serving", "serving_kv", "abc"), ValueError,
         r"kv_cache_bytes_per_token: cannot read 'abc' as an amount of data \(no number found"),
]

CASES = [*LIBRARY, *FILE, *CLI, *DASHBOARD]


def test_matrix_size_and_ids_unique():
    doors = {door: sum(c.door == door for c in CASES) for door in ("library", "file", "cli", "dashboard")}
    assert sum(doors.values()) == len(CASES) >= 60
    assert min(doors.values()) >= 15, doors
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", LIBRARY, ids=lambda c: c.id)
def test_library(case: Case):
    with pytest.raises(case.expect, match=case.match):
        case.given()


@pytest.mark.parametrize("case", FILE, ids=lambda c: c.id)
def test_file(case: Case):
    content, fmt, *kind = case.given
    with pytest.raises(case.expect, match=case.match):
        (io.loads_campus if kind == ["campus"] else io.loads)(content, fmt)


@pytest.mark.parametrize("case", FILE, ids=lambda c: c.id)
def test_file_on_disk_names_the_path(case: Case, tmp_path):
    """The same content saved as a file: the same message, after the file's path."""
    content, fmt, *kind = case.given
    if not isinstance(content, str | bytes) or fmt not in io.FORMATS:
        pytest.skip("not a file's content")
    path = tmp_path / f"scenario.{fmt}"
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    with pytest.raises(case.expect) as info:
        (io.load_campus if kind == ["campus"] else io.load)(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert re.search(case.match.lstrip("^"), message.removeprefix(f"{path}: "))


@pytest.mark.parametrize("case", CLI, ids=lambda c: c.id)
def test_cli(case: Case, tmp_path, monkeypatch, capsys):
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    monkeypatch.chdir(tmp_path)
    status = cli.main(case.given)
    out, err = capsys.readouterr()
    assert status == case.expect
    assert out == ""
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("estimator: error: "), err
    assert re.search(case.match, last), last
    # Bad input writes nothing: every file as it was, no new file.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


@pytest.fixture
def app():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    yield lambda: AppTest.from_file(APP, default_timeout=30)
    st.cache_data.clear()


def messages(at) -> list[str]:
    """Text of the error and warning boxes and of the link notice, Markdown escaping undone."""
    notices = [c for c in at.caption if c.value.startswith("Ignored in the address")]
    return [re.sub(r"\\(.)", r"\1", e.value) for e in [*at.error, *at.warning, *notices]]


@pytest.mark.parametrize("case", DASHBOARD, ids=lambda c: c.id)
def test_dashboard(case: Case, app):
    at = app()
    kind, *rest = case.given
    if kind == "url":
        for key, value in rest[0].items():
            at.query_params[key] = value
        at.run()
    else:
        at.run()
        page = rest[0] if kind in ("type", "set") else "compare"
        if page != "fleet":
            at.switch_page(f"app_pages/{page}.py").run()
        if kind == "set":
            for widget, key, value in rest[1]:
                if widget == "session":
                    if key == "campus_blocks":  # the block table's key changes when the page restarts it
                        from app_pages import common

                        key = common.campus_editor_key(at.session_state)
                    at.session_state[key] = value
                    at.run()
                else:
                    getattr(at, widget)(key=key).set_value(value).run()
        elif kind == "type":
            for key, value in rest[3].items():
                at.number_input(key=key).set_value(value).run()
            at.text_input(key=rest[1]).set_value(rest[2]).run()
        else:
            at.file_uploader(key="upload_file").set_value((rest[0], rest[1], "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = messages(at)
    assert any(re.search(case.match, m) for m in shown), shown
    if kind == "upload":
        assert at.session_state["kept"] == {}  # nothing kept from a rejected file


def test_docs_list_every_case():
    """docs/reliability.md shows this table to people: every row, under its door and name."""
    text = (Path(APP).parent / "docs" / "reliability.md").read_text()
    missing = [c.id for c in CASES if f"| {c.door} | `{c.name}` |" not in text]
    assert not missing, f"add these rows to docs/reliability.md: {missing}"
    n = {door: sum(c.door == door for c in CASES) for door in ("library", "file", "cli", "dashboard")}
    count = (f"holds one table, `CASES`, of {len(CASES)} rows: {n['library']} at the library, {n['file']} in "
             f"files, {n['cli']} at the command line and {n['dashboard']} in the dashboard")
    assert count in " ".join(text.split()), f"docs/reliability.md should say it {count}"
