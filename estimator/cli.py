"""The command line: ``estimator ...`` or ``python -m estimator ...``.

Subcommands::

    estimator power   --gpus 100k --accelerator h100-sxm --methodology nameplate --hours "1 year"
    estimator fit     --power 1GW --accelerator h100-sxm --server-overhead 1.82 \\
                      --network-overhead 1.10 --pue 1.2
    estimator fit     --power 1GW --methodology nameplate          # one row per accelerator
    estimator train   --parameters 405e9 --tokens 15.6e12 --gpus 16384 --accelerator h100-sxm --mfu 0.4
    estimator train   --flop 3.8e25 --days 90 --accelerator h100-sxm --mfu 0.4
    estimator run     scenario.toml other.json
    estimator uncertainty --gpus 100k --accelerator h100-sxm --pue 1.1/1.2/1.4 \\
                      --server-overhead 1.5..1.9 --tornado --sobol         # alias: estimator mc
    estimator uncertainty ranges.toml --samples 1e6 --seed 7 --format json
    estimator presets accelerators

Every value may carry a unit as a person writes it ("700 W", "1 GW", "90 days",
"989 TFLOP/s", "100k", "75%"); a bare number is in the field's own unit (see
:data:`estimator.io.FIELD_UNITS`). Giving several values (``--pue 1.1 1.2 1.3``)
computes one result per value, broadcast like numpy arrays.

``--format text`` (the default) is for people: units chosen for reading (MW,
TWh, days), full-load and average power labelled apart, the assumptions
echoed above the results with where each came from. ``--format json`` and
``--format csv`` are for programs: every number in the base unit of its field
name (W, Wh, h, s, FLOP, FLOP/s, kg, L, currency), at full float precision.

Ranges. ``estimator uncertainty`` (alias ``mc``) takes any assumption as a
range, on the command line or in a scenario file (see :mod:`estimator.io`):
``--pue 1.1..1.4`` (uniform), ``--pue 1.1/1.2/1.4`` (low/likely/high,
triangular), ``--gpu-watts 650W..750W`` (units inside), or a named
distribution ``--mfu lognormal:median=0.4,p95=0.5`` / ``--mfu
lognormal:0.3..0.5`` (P5..P95). It reports each output at the likely values
and its percentiles over ``--samples`` Monte Carlo draws (``--seed`` makes
them reproducible), and on request a tornado table (``--tornado``) and Sobol
variance shares (``--sobol``). ``power``, ``fit``, ``train`` and ``run`` take
single values only and refuse a range with a message pointing to
``estimator uncertainty``, so a point estimate is never mistaken for the
result of a range.

Bad input never shows a traceback: it prints one line,
``estimator: error: <message>``, on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np

from estimator import catalog, compute, distributions, fields, resolve, solve, uncertainty, units, validate
from estimator import io as scenario_io
from estimator.scenario import Estimate, Scenario, estimate

__all__ = ["main"]

PROG = "estimator"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2

#: Largest ``--samples`` of ``estimator uncertainty``: 10^7 draws already pin
#: P5 and P95 to about 0.01%; more only costs memory (a few GB).
MAX_SAMPLES = 10_000_000
#: Largest ``--sobol-samples`` (base samples N; the model runs N × (k + 2) times).
MAX_SOBOL_SAMPLES = 1_000_000
#: Outputs of ``estimator uncertainty`` by default (the period's outputs when their assumptions are given).
DEFAULT_OUTPUTS: tuple[str, ...] = ("facility_power_w", "average_facility_power_w", "gpus_per_gigawatt")
PERIOD_OUTPUTS: tuple[str, ...] = ("energy_wh", "cost", "emissions_kg", "water_l")

# Option text of each scenario field: metavar and help (the unit in brackets).
_FIELD_HELP: dict[str, tuple[str, str]] = {
    "gpus": ("N", "accelerators in the fleet [count], e.g. 100000, 100,000, 100k"),
    "gpu_watts": ("W", "power of one accelerator at full load [W], e.g. 700, 700W, '1.2 kW'"),
    "server_overhead": ("RATIO", "server wall power ÷ accelerator power [>= 1], e.g. 1.82"),
    "network_overhead": ("RATIO", "cluster IT power ÷ server power [>= 1], e.g. 1.10"),
    "pue": ("RATIO", "facility power ÷ IT power [>= 1], e.g. 1.2"),
    "utilization": ("FRACTION", "average ÷ full-load IT draw over the period [0-1], e.g. 0.75 or 75%%"),
    "hours": ("DURATION", "length of the period [h], e.g. 8760, '1 year', '90 days'"),
    "electricity_price": ("PRICE", "price of energy [currency/kWh], e.g. 0.08 or '80 USD/MWh'"),
    "carbon_intensity": ("KG_PER_KWH", "grid emissions factor [kg CO2e/kWh], e.g. 0.4 or '400 g/kWh'"),
    "wue": ("L_PER_KWH", "water usage effectiveness [L/kWh], e.g. 0.3"),
    "peak_flop_per_s": ("FLOP_PER_S", "dense peak of one accelerator [FLOP/s], e.g. '989 TFLOP/s'"),
    "mfu": ("FRACTION", "model FLOPs utilization, achieved ÷ peak [0-1], e.g. 0.4 or 40%%"),
}

# Display of each output: how to format it and its label. Labels say full load
# or average wherever both exist.
_RESULTS: dict[str, tuple[str, str]] = {
    "gpus": ("count", "accelerators"),
    "accelerator_power_w": ("W", "accelerator power, full load"),
    "server_power_w": ("W", "server power, full load"),
    "it_power_w": ("W", "IT power, full load"),
    "facility_power_w": ("W", "facility power, full load (grid connection)"),
    "host_power_w": ("W", "  of which host: CPUs, memory, fans, PSU loss"),
    "network_storage_power_w": ("W", "  of which network and storage"),
    "cooling_conversion_power_w": ("W", "  of which cooling and power conversion"),
    "average_it_power_w": ("W", "IT power, average (× utilization)"),
    "average_facility_power_w": ("W", "facility power, average (× utilization)"),
    "watts_per_gpu": ("W", "facility power per accelerator, full load (all-in)"),
    "energy_wh": ("Wh", "facility energy over the period (average draw)"),
    "it_energy_wh": ("Wh", "IT energy over the period (average draw)"),
    "cost": ("$", "electricity cost over the period"),
    "emissions_kg": ("kg", "emissions over the period (location-based)"),
    "water_l": ("L", "site water over the period"),
    "peak_cluster_flop_per_s": ("FLOP/s", "peak compute of the fleet (dense)"),
    "sustained_flop_per_s": ("FLOP/s", "sustained compute (peak × MFU)"),
    "flop_in_period": ("FLOP", "compute delivered over the period"),
    "training_flop": ("FLOP", "training compute"),
    "training_time_s": ("s", "training time (wall clock, no downtime)"),
    "gpu_hours": ("GPU-h", "accelerator-hours"),
    "gpus_per_gigawatt": ("count", "accelerators 1 GW holds (facility, full load)"),
}

# Kind of each input for display (Scenario fields and the commands' own inputs).
_INPUT_KINDS: dict[str, str] = {
    "gpus": "count", "gpu_watts": "W", "server_overhead": "ratio", "network_overhead": "ratio",
    "pue": "ratio", "utilization": "ratio", "hours": "h", "electricity_price": "$/kWh",
    "carbon_intensity": "kg/kWh", "wue": "L/kWh", "peak_flop_per_s": "FLOP/s", "mfu": "ratio",
    "power_budget_w": "W", "parameters": "count", "tokens": "count", "training_flop": "FLOP",
    "training_time_s": "s",
}  # fmt: skip


@dataclass
class Item:
    """One named value of a record: the machine name, the value and how to show it."""

    key: str
    value: Any  # float, ndarray or str
    kind: str = "text"
    label: str = ""
    origin: str = ""


@dataclass
class Record:
    """What one evaluation produced: its labels, the assumptions and the results."""

    title: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    assumptions: list[Item] = field(default_factory=list)
    results: list[Item] = field(default_factory=list)

    def items(self) -> list[Item]:
        return [*self.assumptions, *self.results]


@dataclass
class Report:
    """The output of a command, ready to render in any format."""

    records: list[Record]
    single: bool = True  # JSON: one object rather than a list
    text: Callable[[Report], str] | None = None  # a command's own text layout
    rows: list[dict[str, Any]] | None = None  # flat rows, when the command has no records
    document: Any = None  # a command's own JSON document


class _Parser(argparse.ArgumentParser):
    """argparse, naming the program as ``estimator`` in every error line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # One line, even when an argument holds a newline ("unrecognized arguments: ...").
        self.exit(EXIT_USAGE, f"{PROG}: error: {' '.join(message.split())}\n")


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text",
                        help="output format (default: text; json and csv give base units)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the output to FILE (atomically) instead of the screen")


def _add_presets(parser: argparse.ArgumentParser, accelerator_help: str) -> None:
    group = parser.add_argument_group("presets (nominal public figures; explicit options override them)")
    group.add_argument("--accelerator", metavar="KEY", help=accelerator_help)
    group.add_argument("--methodology", metavar="KEY",
                       help="overheads, PUE and utilization from a published methodology "
                            "(see `estimator presets methodologies`)")
    group.add_argument("--site", metavar="KEY",
                       help="PUE and, where known, WUE, grid carbon and price of a site "
                            "(see `estimator presets sites`)")
    group.add_argument("--precision", choices=fields.PRESETS["precision"].choices,
                       help=fields.PRESETS["precision"].help + " (default: bf16)")
    group.add_argument("--date", metavar="YYYY-MM-DD", help=fields.PRESETS["date"].help)


def _add_fields(parser: argparse.ArgumentParser, skip: Sequence[str] = (), days_help: str | None = None) -> None:
    group = parser.add_argument_group("assumptions (several values give one result per value)")
    for name in Scenario.field_names():
        if name in skip:
            continue
        metavar, text = _FIELD_HELP[name]
        target = group
        if name == "hours" and days_help is not None:
            target = group.add_mutually_exclusive_group()
        target.add_argument(_option(name), dest=name, metavar=metavar, nargs="+", help=text)
        if name == "hours" and days_help is not None:
            target.add_argument("--days", metavar="DAYS", nargs="+", help=days_help)


def _add_range_fields(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "assumptions (one value or one range each: LOW..HIGH, LOW/LIKELY/HIGH, NAME:...)")
    hours = group.add_mutually_exclusive_group()
    for name in Scenario.field_names():
        metavar, text = _FIELD_HELP[name]
        target = hours if name == "hours" else group
        target.add_argument(_option(name), dest=name, metavar=metavar, help=text)
    hours.add_argument("--days", metavar="DAYS",
                       help="length of the period in days (instead of --hours), or a range, e.g. 60..120")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``estimator`` command."""
    try:
        version = metadata.version("estimator")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        version = "unknown"
    parser = _Parser(
        prog=PROG,
        description="What an AI datacenter means in power, energy and compute. Every input is an "
                    "assumption; presets are nominal public figures with sources.",
        epilog="Values take units as you would write them: 700W, '1.5 GW', '90 days', '989 TFLOP/s', "
               "100k, 75%. Errors print one line and exit with status 2.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_Parser)

    power = commands.add_parser("power", help="fleet → power, energy, cost, emissions, water, compute",
                                description="Power, energy and compute of a fleet of accelerators.")
    _add_presets(power, "accelerator preset: gpu_watts, peak_flop_per_s, server_overhead "
                        "(see `estimator presets accelerators`)")
    _add_fields(power, days_help="length of the period in days (instead of --hours), e.g. 90")
    _add_common(power)
    power.set_defaults(handler=_power)

    fit = commands.add_parser("fit", help="power budget → how many accelerators fit, and their compute",
                              description="How many accelerators a facility power budget holds at full "
                                          "load, and their compute.")
    fit.add_argument("--power", metavar="POWER", nargs="+", required=True,
                     help="facility power budget (grid connection) [W], e.g. 1GW, '150 MW'")
    _add_presets(fit, "accelerator preset, or 'all' for one row per catalogue accelerator "
                      "(the default when neither --accelerator nor --gpu-watts is given)")
    _add_fields(fit, skip=("gpus",), days_help="length of the period in days (instead of --hours)")
    _add_common(fit)
    fit.set_defaults(handler=_fit)

    train = commands.add_parser("train", help="a training run: time, energy and cost, or the fleet it needs",
                                description="A training run: with --gpus, how long it takes and what it "
                                            "costs; with --days, the fleet and facility power it needs.")
    run_group = train.add_argument_group("the run (give --flop, or --parameters and --tokens)")
    run_group.add_argument("--parameters", metavar="N", nargs="+",
                           help="model parameters [count], e.g. 405e9, 405B")
    run_group.add_argument("--tokens", metavar="N", nargs="+", help="training tokens [count], e.g. 15.6T")
    run_group.add_argument("--flop", metavar="FLOP", nargs="+",
                           help="training compute [FLOP], e.g. 3.8e25 (instead of 6 × parameters × tokens)")
    run_group.add_argument("--days", dest="deadline", metavar="DAYS", nargs="+",
                           help="wall-clock time allowed, in days: gives the fleet needed (instead of --gpus)")
    _add_presets(train, "accelerator preset: gpu_watts, peak_flop_per_s, server_overhead")
    _add_fields(train, skip=("hours",))
    _add_common(train)
    train.set_defaults(handler=_train)

    run = commands.add_parser("run", help="evaluate scenario files (.toml or .json)",
                              description="Evaluate scenario files; see `estimator.io` for their keys.")
    run.add_argument("files", metavar="FILE", nargs="+", help="scenario file, .toml or .json")
    _add_common(run)
    run.set_defaults(handler=_run)

    mc = commands.add_parser(
        "uncertainty", aliases=["mc"], help="assumptions as ranges → percentiles (Monte Carlo), tornado, Sobol",
        description="Propagate assumption ranges through the model by Monte Carlo sampling: each output at "
                    "the likely values and its percentiles, optionally a tornado table and Sobol variance "
                    "shares. Any assumption may be a range: LOW..HIGH (uniform), LOW/LIKELY/HIGH "
                    "(triangular), or a named distribution NAME:LOW..HIGH, NAME:LOW/LIKELY/HIGH or "
                    "NAME:key=value,key=value with NAME uniform, triangular or lognormal (lognormal:LOW..HIGH "
                    "gives its P5..P95; lognormal:median=0.4,p95=0.5). Numbers take units: 650W..750W.",
        epilog="A scenario FILE may hold ranges as tables, e.g. pue = { low = 1.1, likely = 1.2, high = 1.4 } "
               "(see `estimator.io`). Options override the file: a preset option replaces the file's "
               "preset, and an assumption option replaces the file's value. The ranges are assumptions "
               "too; the percentiles describe them, not measurements.")
    mc.add_argument("file", metavar="FILE", nargs="?",
                    help="scenario file (.toml or .json) whose values may be ranges")
    _add_presets(mc, "accelerator preset: gpu_watts, peak_flop_per_s, server_overhead "
                     "(see `estimator presets accelerators`)")
    _add_range_fields(mc)
    analysis = mc.add_argument_group("analysis")
    analysis.add_argument("--samples", metavar="N", default="100000",
                          help=f"Monte Carlo samples, 1 to {MAX_SAMPLES:,} (default: 100,000), e.g. 1e6")
    analysis.add_argument("--seed", metavar="S", default="0",
                          help="seed of the random draws, a whole number >= 0 (default: 0); the same seed "
                               "gives the same numbers")
    analysis.add_argument("--outputs", metavar="NAME", nargs="+",
                          help="outputs to report (default: facility_power_w average_facility_power_w "
                               "gpus_per_gigawatt, and energy_wh cost emissions_kg water_l when their "
                               "assumptions are given); any of: " + " ".join(uncertainty.OUTPUTS))
    analysis.add_argument("--percentiles", metavar="P", nargs="+", default=["5", "50", "95"],
                          help="percentiles to report, each 0 to 100 (default: 5 50 95)")
    analysis.add_argument("--tornado", action="store_true",
                          help="add a tornado table: each range from its low to its high value, the others "
                               "at their likely values, ranked by the swing of the output")
    analysis.add_argument("--sobol", action="store_true",
                          help="add Sobol variance shares: first-order S_i (each range alone) and total S_Ti "
                               "(with its interactions), estimators of Saltelli et al. 2010, Computer "
                               "Physics Communications 181, 259-270, doi:10.1016/j.cpc.2009.09.018")
    analysis.add_argument("--sensitivity-output", metavar="NAME",
                          help="output the tornado and Sobol tables analyse (default: the first of --outputs)")
    analysis.add_argument("--sobol-samples", metavar="N", default="16384",
                          help=f"Sobol base samples N, 2 to {MAX_SOBOL_SAMPLES:,} (default: 16,384); the "
                               "model runs N × (ranges + 2) times")
    _add_common(mc)
    mc.set_defaults(handler=_uncertainty)

    presets = commands.add_parser("presets", help="list presets with their values and sources",
                                  description="The preset catalogue: nominal public figures, each "
                                              "with its source.")
    presets.add_argument("kind", nargs="?", choices=("accelerators", "methodologies", "sites", "clusters"),
                         help="which presets (default: all)")
    _add_common(presets)
    presets.set_defaults(handler=_presets)
    return parser


def _parse(texts: Sequence[str], unit: str, label: str) -> float | np.ndarray:
    """Read an option's values (one or several) in ``unit``; several make an array."""
    values = [units.parse(text, unit, field=label) for text in texts]
    return values[0] if len(values) == 1 else np.array(values)


def _no_range(args: argparse.Namespace, label: str, texts: Sequence[str]) -> None:
    """Refuse a range where a command takes single values, pointing to `estimator uncertainty`."""
    for text in texts:
        if distributions.is_range(text):
            raise ValueError(f"{label}: {text!r} is a range; `estimator {args.command}` takes single values "
                             "(several give one result each): use `estimator uncertainty` with the same "
                             "options for percentiles")


def _given_fields(args: argparse.Namespace) -> dict[str, float | np.ndarray]:
    """The Scenario fields set on the command line, read in their units."""
    out: dict[str, float | np.ndarray] = {}
    for name in Scenario.field_names():
        texts = getattr(args, name, None)
        if texts is not None:
            _no_range(args, name, texts)
            out[name] = _parse(texts, scenario_io.FIELD_UNITS[name], name)
    days = getattr(args, "days", None)  # power and fit: the period in days
    if days is not None:
        _no_range(args, "days", days)
        out["hours"] = _parse(days, "days", "days") * units.HOURS_PER_DAY
    return out


@dataclass
class _Inputs:
    """Scenario fields and where each came from, plus the preset keys used."""

    values: dict[str, Any]
    origins: dict[str, str]
    presets: dict[str, str]


def _preset_values(accelerator: str | None, methodology: str | None, site: str | None,
                   precision: str | None = None, date: str | None = None) -> _Inputs:
    """The presets' values, by the one resolution every door uses, remembering each value's origin."""
    layers, applied = resolve.preset_layers(accelerator, methodology, site, precision or "bf16", date)
    presets = {k: v for k, v in applied.items() if v is not None and (k != "precision" or accelerator)}
    return _Inputs({k: o.value for k, o in layers.items()}, {k: o.describe() for k, o in layers.items()}, presets)


def _inputs(args: argparse.Namespace, accelerator: str | None) -> _Inputs:
    inputs = _preset_values(accelerator, args.methodology, args.site, getattr(args, "precision", None),
                            getattr(args, "date", None))
    for name, value in _given_fields(args).items():
        inputs.values[name], inputs.origins[name] = value, "given"
    return inputs


def _scenario(inputs: _Inputs, command: str) -> Scenario:
    if "gpu_watts" not in inputs.values:
        raise ValueError(f"{command} needs gpu_watts: give --accelerator KEY or --gpu-watts W")
    return Scenario(**inputs.values)


def _assumptions(s: Scenario, inputs: _Inputs, skip: Sequence[str] = ()) -> list[Item]:
    """Echo of the presets used and every Scenario field that is set, with its origin."""
    items = [Item(key, value, "text", key) for key, value in inputs.presets.items()]
    for name in Scenario.field_names():
        value = getattr(s, name)
        if value is None or name in skip:
            continue
        items.append(Item(name, value, _INPUT_KINDS[name], name, inputs.origins.get(name, "default")))
    return items


def _kind_of(name: str) -> tuple[str, str]:
    """Display of an output: from the table, else guessed from the unit in its name."""
    if name in _RESULTS:
        return _RESULTS[name]
    for suffix, kind in (("_flop_per_s", "FLOP/s"), ("_wh", "Wh"), ("_w", "W"), ("_s", "s"), ("_kg", "kg"),
                         ("_l", "L")):
        if name.endswith(suffix):
            return kind, name
    return "ratio", name


def _results(r: Estimate, skip: Sequence[str] = ()) -> list[Item]:
    """Every output of an estimate that is not None: the facility breakdown after its total."""
    names = [n for n in _RESULTS if n in Estimate.field_names()]
    names += [n for n in Estimate.field_names() if n not in names]
    items = []
    for name in names:
        value = getattr(r, name)
        if value is not None and name not in skip:
            items.append(Item(name, value, *_kind_of(name)))
    return items


def _result(key: str, value: Any, label: str | None = None) -> Item:
    kind, default = _RESULTS[key]
    return Item(key, value, kind, label or default)


def _power(args: argparse.Namespace) -> Report:
    inputs = _inputs(args, args.accelerator)
    if "gpus" not in inputs.values:
        raise ValueError("power needs --gpus N (accelerators in the fleet)")
    s = _scenario(inputs, "power")
    return Report([Record(title="power", assumptions=_assumptions(s, inputs), results=_results(estimate(s)))])


def _fit_one(budget: float | np.ndarray, inputs: _Inputs, budget_item: Item) -> Record:
    if "gpu_watts" not in inputs.values:
        raise ValueError("fit needs gpu_watts: give --accelerator KEY (or all) or --gpu-watts W")
    s = Scenario(**{**inputs.values, "gpus": 1.0})  # validates the chain; the fleet size comes next
    chain = {k: getattr(s, k) for k in ("gpu_watts", "server_overhead", "network_overhead", "pue")}
    gpus = solve.gpus_for_power(budget, whole=True, **chain)
    if np.any(np.asarray(gpus) < 1):
        per_gpu = np.min(np.asarray(budget / solve.gpus_for_power(budget, **chain)))
        raise ValueError(f"power budget holds no whole accelerator: one needs "
                         f"{units.format_power(float(per_gpu))} at the facility at full load")
    fleet = s.replace(gpus=gpus)
    label = "accelerators that fit (whole, full load)"
    # Sustained compute is known only if an MFU was given; Scenario's 1.0 is no estimate of one.
    unknown = () if "mfu" in inputs.values else ("mfu", "sustained_flop_per_s", "flop_in_period")
    return Record(
        title=inputs.presets.get("accelerator", "fit"),
        assumptions=[budget_item, *_assumptions(fleet, inputs, skip=("gpus", *unknown))],
        results=[_result("gpus", gpus, label), *_results(estimate(fleet), skip=unknown)],
    )


def _fit(args: argparse.Namespace) -> Report:
    budget = validate.field("facility_power_w", _parse(args.power, "W", "power"), label="power")
    budget_item = Item("power_budget_w", budget, "W", "power budget (facility, full load)", "given")
    every = (args.accelerator is None and args.gpu_watts is None) or (
        args.accelerator is not None and args.accelerator.strip().lower() == "all")
    if not every:
        return Report([_fit_one(budget, _inputs(args, args.accelerator), budget_item)], single=False)
    records = [_fit_one(budget, _inputs(args, key), budget_item) for key in catalog.accelerators()]
    return Report(records, single=False, text=_fit_table)


def _train(args: argparse.Namespace) -> Report:
    inputs = _inputs(args, args.accelerator)
    run: list[Item] = []
    if args.flop is not None:
        if args.parameters is not None or args.tokens is not None:
            raise ValueError("give either --flop or --parameters and --tokens, not both")
        flop = validate.field("training_flop", _parse(args.flop, "FLOP", "flop"), label="flop")
        run.append(Item("training_flop", flop, "FLOP", "training_flop", "given"))
    elif args.parameters is not None and args.tokens is not None:
        parameters = _parse(args.parameters, "count", "parameters")
        tokens = _parse(args.tokens, "count", "tokens")
        flop = compute.training_flop(parameters, tokens)
        run += [Item("parameters", validate.field("parameters", parameters), "count", "parameters", "given"),
                Item("tokens", validate.field("tokens", tokens), "count", "tokens", "given")]
    else:
        raise ValueError("train needs the run's size: --flop, or --parameters and --tokens")
    if (args.gpus is None) == (args.deadline is None):
        raise ValueError("train needs exactly one of --gpus (→ time) or --days (→ fleet needed)")
    if "mfu" not in inputs.values:
        raise ValueError("train needs mfu: give --mfu (e.g. 0.4; Llama 3 405B reached 0.38-0.43) "
                         "or a methodology that sets it")
    if "peak_flop_per_s" not in inputs.values:
        raise ValueError("train needs peak_flop_per_s: give --accelerator KEY or --peak-flop-per-s")
    if args.deadline is not None:
        return _train_deadline(args, inputs, run, flop)
    s = _scenario(inputs, "train")
    seconds = compute.training_time_s(flop, s.gpus, s.peak_flop_per_s, s.mfu)
    fleet = s.replace(hours=_run_hours(seconds))
    results = [_result("training_flop", flop)] if args.flop is None else []
    results += [_result("training_time_s", seconds),
                _result("gpu_hours", compute.gpu_hours(s.gpus, seconds)),
                *_results(estimate(fleet), skip=("flop_in_period",))]
    return Report([Record(title="train", assumptions=[*run, *_assumptions(s, inputs, skip=("hours",))],
                          results=results)])


def _train_deadline(args: argparse.Namespace, inputs: _Inputs, run: list[Item], flop: Any) -> Report:
    days = _parse(args.deadline, "days", "days")
    seconds = validate.field("training_time_s", days * units.SECONDS_PER_DAY, label="days")
    values = inputs.values
    if "gpu_watts" not in values:
        raise ValueError("train needs gpu_watts: give --accelerator KEY or --gpu-watts W")
    chain = {k: values[k] for k in ("server_overhead", "network_overhead", "pue") if k in values}
    gpus = solve.gpus_for_training(flop, seconds, values["peak_flop_per_s"], values["mfu"])
    facility = solve.facility_power_for_training(flop, seconds, values["peak_flop_per_s"], values["mfu"],
                                                 values["gpu_watts"], **chain)
    fleet = Scenario(**{**values, "gpus": gpus, "hours": _run_hours(seconds)})
    results = [_result("training_flop", flop)] if args.flop is None else []
    needed = "facility power needed, full load (grid connection)"
    results += [Item("gpus", gpus, "count_up", "accelerators needed (rounded up)"),
                _result("gpu_hours", compute.gpu_hours(gpus, seconds))]
    for item in _results(estimate(fleet), skip=("flop_in_period",)):
        if item.key == "facility_power_w":  # the solver's own number, under the question's name
            item = Item(item.key, facility, item.kind, needed)
        results.append(item)
    run.append(Item("training_time_s", seconds, "s", "training_time_s", "given"))
    return Report([Record(title="train", assumptions=[*run, *_assumptions(fleet, inputs,
                                                                          skip=("gpus", "hours"))],
                          results=results)])


def _run_hours(seconds: Any) -> Any:
    """The run's length as the scenario's period [h], refused beyond the model's limit."""
    hours = np.divide(seconds, units.SECONDS_PER_HOUR)
    limit = validate.FIELDS["hours"][1]
    if limit is not None and np.max(hours) > limit:
        longest = units.format_duration(float(np.max(seconds)))
        raise ValueError(f"the run would take {longest}, longer than the model's period limit "
                         f"of {limit:g} h; check the fleet size and units")
    return float(hours) if np.ndim(hours) == 0 else hours


def _run(args: argparse.Namespace) -> Report:
    records = []
    for path in args.files:
        mapping = scenario_io.load_mapping(path)
        try:
            s = scenario_io.scenario_from_dict(mapping)
            # Validated above: the same presets again, to say where each value came from.
            inputs = _preset_values(**{k: mapping.get(k) for k in scenario_io.PRESET_KEYS})
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{path}: {exc}") from None
        inputs.origins.update(dict.fromkeys((k for k in mapping if k in Scenario.field_names()), "file"))
        metadata = {k: mapping[k] for k in scenario_io.METADATA_KEYS if k in mapping}
        records.append(Record(title=metadata.get("name", str(path)), labels={"file": str(path), **metadata},
                              assumptions=_assumptions(s, inputs), results=_results(estimate(s))))
    return Report(records, single=False)


def _whole(label: str, text: str, minimum: int, maximum: int) -> int:
    """A whole number between ``minimum`` and ``maximum`` ("100k" and "1e6" allowed)."""
    value = units.parse(text, "count", field=label)
    if value != math.floor(value):
        raise ValueError(f"{label} must be a whole number (got {value:g})")
    if value < minimum:
        raise ValueError(f"{label} must be >= {minimum:,} (got {value:,.0f})")
    if value > maximum:
        raise ValueError(f"{label} must be <= {maximum:,} (got {value:,.0f}); more samples barely narrow "
                         "the percentiles and need much more memory")
    return int(value)


def _seed_arg(text: str) -> int:
    try:
        seed = int(text.strip().replace("_", ""), 10)
    except ValueError:
        seed = -1
    if seed < 0:
        raise ValueError(f"seed must be a whole number >= 0 (got {text!r:.40})")
    return seed


def _percentile_args(texts: Sequence[str]) -> list[float | int]:
    out: list[float | int] = []
    for text in texts:
        try:
            p = float(text.strip().removesuffix("%"))
        except ValueError:
            raise ValueError(f"percentile must be a number from 0 to 100 (got {text!r:.40})") from None
        if not 0 <= p <= 100:  # also refuses NaN
            raise ValueError(f"percentile must be from 0 to 100 (got {text!r:.40})")
        p = int(p) if p == int(p) else p
        if p not in out:
            out.append(p)
    return out


def _percentile_key(p: float) -> str:
    return f"p{p:g}"


def _cli_value(name: str, text: str, unit: str | None = None, scale: float = 1.0) -> Any:
    """An assumption option: a float for one value, a range object for a range (checked here,
    so that a wrong option is not blamed on the scenario file)."""
    unit = scenario_io.FIELD_UNITS[name] if unit is None else unit
    if not distributions.is_range(text):
        return float(validate.field(name, units.parse(text, unit, field=name) * scale))
    spec = scenario_io.read_range(name, text, unit=unit)
    if scale != 1.0:  # --days: the same range in hours, checked again in hours
        scaled = type(spec)(**{f.name: getattr(spec, f.name) * scale for f in dataclasses.fields(spec)})
        spec = scenario_io.read_range(name, scaled)
    return spec


def _uncertain_inputs(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The merged key/value pairs (file, then options), each field's origin, and the file's labels."""
    mapping: dict[str, Any] = {}
    origins: dict[str, str] = {}
    labels: dict[str, str] = {}
    if args.file is not None:
        path = Path(args.file)
        if path.suffix.lower() not in scenario_io.SUFFIXES and not path.exists():
            raise ValueError(f"{args.file!r} is not a scenario file (.toml or .json); each assumption option "
                             "takes one value or one range, e.g. --pue 1.1..1.4")
        mapping = dict(scenario_io.load_mapping(path))
        labels = {"file": str(path), **{k: mapping[k] for k in scenario_io.METADATA_KEYS
                                        if isinstance(mapping.get(k), str)}}
        origins = dict.fromkeys((k for k in mapping if k in Scenario.field_names()), "file")
    for key in scenario_io.PRESET_KEYS:  # checked here, so that a wrong name is not blamed on the file
        name = getattr(args, key)
        if name is not None:
            mapping[key] = getattr(catalog, key)(name).key
    for name in Scenario.field_names():
        text = getattr(args, name)
        if text is not None:
            mapping[name], origins[name] = _cli_value(name, text), "given"
    if args.days is not None:
        mapping["hours"] = _cli_value("hours", args.days, unit="days", scale=units.HOURS_PER_DAY)
        origins["hours"] = "given"
    where = "a FILE that sets it" if args.file is None else f"set it in {args.file}"
    if "gpus" not in mapping:
        raise ValueError(f"uncertainty needs gpus: give --gpus N or a range (e.g. --gpus 90k..110k), or {where}")
    if "gpu_watts" not in mapping and "accelerator" not in mapping:
        raise ValueError("uncertainty needs gpu_watts: give --accelerator KEY or --gpu-watts W or a range "
                         f"(e.g. --gpu-watts 650W..750W), or {where}")
    if "methodology" in mapping and "accelerator" not in mapping:
        raise ValueError(f"methodology {mapping['methodology']!r} needs --accelerator too: "
                         "its server overhead depends on the accelerator")
    return mapping, origins, labels


def _short(kind: str, value: float) -> str:
    """A value for a range's description: as in the tables, durations without the hours."""
    if kind == "h":
        return units.format_duration(value * units.SECONDS_PER_HOUR)
    return _format_value(kind, value)


def _describe(kind: str, spec: distributions.Spec) -> str:
    """A range for people: its distribution and the values that define it."""
    if isinstance(spec, distributions.Fixed):
        return "fixed"
    if isinstance(spec, distributions.Uniform):
        return f"uniform {_short(kind, spec.low)} .. {_short(kind, spec.high)}"
    if isinstance(spec, distributions.Triangular):
        return (f"triangular {_short(kind, spec.low)} / {_short(kind, spec.likely)} / "
                f"{_short(kind, spec.high)} (low / likely / high)")
    return (f"lognormal median {_short(kind, spec.median)}, P95 {_short(kind, spec.high)} "
            f"(P5 {_short(kind, spec.low)})")


@dataclass
class _Analysis:
    """What `estimator uncertainty` computed, ready to render."""

    labels: dict[str, str]
    presets: dict[str, tuple[str, str]]  # preset key → (name, origin)
    scenario: Scenario  # every range at its likely value
    specs: dict[str, distributions.Spec]
    origins: dict[str, str]
    outputs: list[str]
    percentiles: list[float | int]
    likely: dict[str, Any]  # outputs at the likely values
    result: uncertainty.MonteCarloResult
    sensitivity: str  # the output the tornado and Sobol tables analyse
    tornado: list[uncertainty.TornadoRow] | None
    sobol: uncertainty.SobolResult | None

    def fields(self) -> list[tuple[str, Any, distributions.Spec | None, str]]:
        """(name, value, range or None, origin) of every field that is set."""
        return [(name, getattr(self.scenario, name), self.specs.get(name), self.origins.get(name, "default"))
                for name in Scenario.field_names() if getattr(self.scenario, name) is not None]


def _uncertainty(args: argparse.Namespace) -> Report:
    n = _whole("samples", args.samples, 1, MAX_SAMPLES)
    seed = _seed_arg(args.seed)
    percentiles = _percentile_args(args.percentiles)
    sobol_n = _whole("sobol-samples", args.sobol_samples, 2, MAX_SOBOL_SAMPLES)
    mapping, origins, labels = _uncertain_inputs(args)
    try:
        s, specs = scenario_io.uncertain_from_dict(mapping)
        inputs = _preset_values(**{k: mapping.get(k) for k in scenario_io.PRESET_KEYS})
    except (ValueError, TypeError) as exc:  # what is left to go wrong came from the file
        raise type(exc)(f"{args.file}: {exc}" if args.file else str(exc)) from None
    for name in Scenario.field_names():
        if np.ndim(getattr(s, name)) != 0:
            raise ValueError(f"{args.file}: {name} is an array; `estimator uncertainty` takes one value or one "
                             f"range per assumption (e.g. {name} = \"LOW..HIGH\")")
    inputs.origins.update(origins)
    available = uncertainty.evaluate(s)
    outputs = list(args.outputs) if args.outputs else [
        *DEFAULT_OUTPUTS, *(o for o in PERIOD_OUTPUTS if o in available)]
    sensitivity = args.sensitivity_output or outputs[0]
    likely = uncertainty.evaluate(s, outputs)  # also refuses an unknown or unavailable output
    uncertainty.evaluate(s, [sensitivity])  # even when no range varies (the tables are then empty)
    # Past one block, evaluate block by block: the same numbers, without every Estimate field at full n.
    progress = None if n <= uncertainty.PROGRESS_BLOCK else (lambda done, total: None)
    analysis = _Analysis(
        labels=labels,
        presets={k: (v, "given" if getattr(args, k) is not None else "file") for k, v in inputs.presets.items()},
        scenario=s, specs=specs, origins=inputs.origins, outputs=outputs, percentiles=percentiles, likely=likely,
        result=uncertainty.monte_carlo(specs, n=n, seed=seed, outputs=outputs, percentiles=percentiles, base=s,
                                       progress=progress),
        sensitivity=sensitivity,
        tornado=uncertainty.tornado(specs, sensitivity, base=s) if args.tornado else None,
        sobol=uncertainty.sobol_first_order(specs, sensitivity, n=sobol_n, seed=seed, base=s) if args.sobol else None,
    )
    return Report([], text=lambda _: _uncertainty_text(analysis), rows=_uncertainty_rows(analysis),
                  document=_uncertainty_document(analysis))


def _uncertainty_results(a: _Analysis) -> dict[str, dict[str, float]]:
    """Output → {"likely": ..., "p5": ..., ...} [the output's base unit]."""
    return {name: {"likely": float(a.likely[name]),
                   **{_percentile_key(p): float(v) for p, v in a.result.percentiles[name].items()}}
            for name in a.outputs}


def _uncertainty_document(a: _Analysis) -> dict[str, Any]:
    """JSON: base units; each range as the table a scenario file takes."""
    assumptions: dict[str, Any] = {k: v for k, (v, _) in a.presets.items()}
    assumptions.update((name, value if spec is None else spec.to_dict()) for name, value, spec, _ in a.fields())
    document: dict[str, Any] = {**a.labels, "samples": a.result.n, "seed": a.result.seed,
                                "percentiles": a.percentiles, "assumptions": assumptions,
                                "results": _uncertainty_results(a)}
    if a.result.clipped:
        document["clipped"] = a.result.clipped
    if a.tornado is not None:
        document["tornado"] = {"output": a.sensitivity, "rows": [row._asdict() for row in a.tornado]}
    if a.sobol is not None:
        document["sobol"] = {"output": a.sensitivity, "n": a.sobol.n, "seed": a.sobol.seed,
                             "variance": a.sobol.variance, "first_order": a.sobol.first_order,
                             "total_order": a.sobol.total_order, "interactions": a.sobol.interactions}
    return document


def _uncertainty_rows(a: _Analysis) -> list[dict[str, Any]]:
    """CSV: one row per assumption, output, tornado bar and Sobol share, told apart by ``section``."""
    rows: list[dict[str, Any]] = [{"section": "assumption", "name": k, "value": v, "origin": origin}
                                  for k, (v, origin) in a.presets.items()]
    for name, value, spec, origin in a.fields():
        row = {"section": "assumption", "name": name, "value": value, "origin": origin}
        if spec is not None:
            row.update(distribution=spec.to_dict()["distribution"], low=spec.low, likely=spec.likely,
                       high=spec.high)
        rows.append(row)
    rows += [{"section": "result", "name": name, **values} for name, values in _uncertainty_results(a).items()]
    rows += [{"section": "tornado", "name": row.field, "output": a.sensitivity, "low": row.low_value,
              "high": row.high_value, "output_at_low": row.output_at_low, "output_at_high": row.output_at_high,
              "swing": row.swing} for row in a.tornado or ()]
    if a.sobol is not None:
        rows += [{"section": "sobol", "name": k, "output": a.sensitivity, "first_order": v,
                  "total_order": a.sobol.total_order[k]} for k, v in a.sobol.first_order.items()]
    return rows


def _uncertainty_text(a: _Analysis) -> str:
    """Text: human units, the assumptions with their ranges, then percentiles and the sensitivity tables."""
    lines = []
    if a.labels:
        lines.append(f"== {a.labels.get('name', a.labels.get('file'))} ==")
        lines += [f"{k}: {v}" for k, v in a.labels.items() if k != "name"]
    lines.append("Assumptions (chosen inputs, presets and ranges; not measurements):")
    rows = [["", "value", "range", ""]]
    rows += [[key, value, "", f"({origin})"] for key, (value, origin) in a.presets.items()]
    for name, value, spec, origin in a.fields():
        kind = _INPUT_KINDS[name]
        rows.append([name, _short(kind, value), "" if spec is None else _describe(kind, spec), f"({origin})"])
    lines += _table(rows)
    lines.append(f"Results (Monte Carlo, {a.result.n:,} samples, seed {a.result.seed}; percentiles of the outputs "
                 "given the assumed ranges):")
    rows = [["", "at likely values", *(f"P{p:g}" for p in a.percentiles)]]
    for name in a.outputs:
        kind, label = _kind_of(name)
        rows.append([label, _format_value(kind, a.likely[name]),
                     *(_format_value(kind, a.result.percentiles[name][p]) for p in a.percentiles)])
    lines += _table(rows)
    if all(isinstance(spec, distributions.Fixed) for spec in a.specs.values()):
        lines.append("  (no ranges given: every percentile is the single estimate)")
    for name, share in a.result.clipped.items():
        if share > 0:
            lines.append(f"  note: {share:.2%} of the {name} samples fell outside its valid values and were "
                         "moved to the nearest valid value (a log-normal tail)")
    kind, label = _kind_of(a.sensitivity)
    if a.tornado is not None:
        lines.append(f"Tornado for {label}: each range from low to high, the others at their likely values, "
                     "largest swing first:")
        rows = [["", "low .. high", "output at low", "output at high", "swing"]]
        for row in a.tornado:
            field_kind = _INPUT_KINDS[row.field]
            rows.append([row.field, f"{_short(field_kind, row.low_value)} .. {_short(field_kind, row.high_value)}",
                         _format_value(kind, row.output_at_low), _format_value(kind, row.output_at_high),
                         _format_value(kind, row.swing)])
        lines += _table(rows) if a.tornado else ["  (no ranges given)"]
    if a.sobol is not None:
        lines.append(f"Sobol variance shares of {label} (first-order S_i: that range alone; total S_Ti: with its "
                     f"interactions; Saltelli et al. 2010; N = {a.sobol.n:,}):")
        if a.sobol.first_order:
            rows = [["", "first-order", "total"]]
            rows += [[k, f"{v:.3f}", f"{a.sobol.total_order[k]:.3f}"] for k, v in a.sobol.first_order.items()]
            lines += _table(rows)
            lines.append(f"  interactions (1 - sum of S_i): {a.sobol.interactions:.3f}")
        else:
            lines.append("  (no ranges given)")
    return "\n".join(lines) + "\n"


def _sourced_rows(kind: str, key: str, name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for field_name, sourced in values.items():
        if sourced is None:
            continue
        rows.append({"kind": kind, "key": key, "name": name, "field": field_name, "value": sourced.value,
                     "unit": sourced.unit, "source": sourced.source, "note": sourced.note,
                     "confirmed": sourced.confirmed})
    return rows


def _presets(args: argparse.Namespace) -> Report:
    wanted = [args.kind] if args.kind else ["accelerators", "methodologies", "sites", "clusters"]
    rows: list[dict[str, Any]] = []
    if "accelerators" in wanted:
        for key, part in catalog.accelerators().items():
            rows += _sourced_rows("accelerator", key, part.name, {
                "gpu_watts": part.gpu_watts, "peak_flop_per_s": part.peak_flop_per_s,
                "peak_flop_per_s_fp8": part.peak_flop_per_s_fp8, "server_overhead": part.server_overhead})
    if "methodologies" in wanted:
        for key, method in catalog.methodologies().items():
            values: dict[str, Any] = {"server_overhead": method.server_overhead}
            values.update({f"server_overhead[{k}]": v for k, v in method.server_overhead_by_accelerator.items()})
            values.update(network_overhead=method.network_overhead, pue=method.pue,
                          utilization=method.utilization)
            values.update({f"utilization[{k}]": v for k, v in method.utilization_by_accelerator.items()})
            values["mfu"] = method.mfu
            rows += _sourced_rows("methodology", key, method.name, values)
    if "sites" in wanted:
        for key, place in catalog.sites().items():
            rows += _sourced_rows("site", key, place.name, place.sourced_assumptions())
    if "clusters" in wanted:
        for key, cluster in catalog.reference_clusters().items():
            rows += _sourced_rows("cluster", key, cluster.name, {
                "gpus": cluster.gpus, "facility_power_w": cluster.facility_power_w,
                "it_power_w": cluster.it_power_w})
    return Report([], single=False, text=_presets_text, rows=rows)


def _format_value(kind: str, value: Any) -> str:
    """One value for people: units chosen by estimator.units."""
    if kind == "text" or isinstance(value, str):
        return str(value)
    v = float(value)
    if kind == "W":
        return units.format_power(v)
    if kind == "Wh":
        return units.format_energy(v)
    if kind == "s":
        return units.format_duration(v)
    if kind == "h":
        return f"{units.format_duration(v * units.SECONDS_PER_HOUR)} ({v:,.6g} h)"
    if kind == "FLOP":
        return units.format_flop(v)
    if kind == "FLOP/s":
        return units.format_flop_rate(v)
    if kind == "count":
        return units.format_count(v)
    if kind == "count_up":
        return units.format_count(math.ceil(v))
    if kind == "GPU-h":
        return f"{units.format_count(v)} GPU-h"
    if kind == "$":
        return units.format_money(v)
    if kind == "$/kWh":
        return f"{units.format_money(v)}/kWh"
    if kind == "kg":
        return f"{units.format_mass(v)} CO2e"
    if kind == "kg/kWh":
        return f"{v:.4g} kg CO2e/kWh"
    if kind == "L":
        return units.format_volume(v)
    if kind == "L/kWh":
        return f"{v:.4g} L/kWh"
    return f"{v:.4g}"  # ratios


def _shape(items: Sequence[Item]) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(i.value) for i in items if not isinstance(i.value, str)))


def _cells(item: Item, shape: tuple[int, ...]) -> list[str]:
    """The item formatted once per case of the broadcast shape."""
    if isinstance(item.value, str) or shape == ():
        return [_format_value(item.kind, item.value)] * max(1, math.prod(shape))
    flat = np.broadcast_to(item.value, shape).ravel()
    return [_format_value(item.kind, x) for x in flat]


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _record_text(record: Record) -> str:
    shape = _shape(record.items())
    lines = []
    if record.title and record.labels:
        lines.append(f"== {record.title} ==")
        lines += [f"{k}: {v}" for k, v in record.labels.items() if v != record.title]
    header = []
    if shape != ():
        header = [["", *[f"case {list(i)}" if len(shape) > 1 else f"case {i[0]}" for i in np.ndindex(shape)],
                   ""]]
    lines.append("Assumptions (chosen inputs and presets, not measurements):")
    rows = [[i.label or i.key, *_cells(i, shape), f"({i.origin})" if i.origin else ""]
            for i in record.assumptions]
    lines += _table(header + rows) if rows else []
    lines.append("Results:")
    rows = [[i.label or i.key, *_cells(i, shape), ""] for i in record.results]
    lines += _table(header + rows)
    return "\n".join(lines) + "\n"


def _fit_table(report: Report) -> str:
    first = report.records[0]
    shared = [i for i in first.assumptions
              if i.key not in ("accelerator", "gpu_watts", "server_overhead", "peak_flop_per_s")]
    lines = ["Assumptions (chosen inputs and presets, not measurements):"]
    lines += _table([[i.label or i.key, " | ".join(_cells(i, _shape([i]))),
                      f"({i.origin})" if i.origin else ""] for i in shared])
    lines.append("Results (one row per catalogue accelerator, its own preset values):")
    header = ["accelerator", "board power", "server ratio", "all-in per accelerator",
              "accelerators that fit", "peak compute", "sustained compute"]
    rows = [header]
    for record in report.records:
        values = {i.key: i for i in record.items()}

        def cell(key: str, values: dict[str, Item] = values) -> str:
            item = values.get(key)
            return "-" if item is None else " | ".join(_cells(item, _shape([item])))

        rows.append([cell("accelerator"), cell("gpu_watts"), cell("server_overhead"),
                     cell("watts_per_gpu"), cell("gpus"), cell("peak_cluster_flop_per_s"),
                     cell("sustained_flop_per_s")])
    lines += _table(rows)
    return "\n".join(lines) + "\n"


def _presets_text(report: Report) -> str:
    lines: list[str] = []
    current = None
    for row in report.rows or []:
        if (row["kind"], row["key"]) != current:
            current = (row["kind"], row["key"])
            lines.append(f"{row['kind']} {row['key']}: {row['name']}")
        kind = _INPUT_KINDS.get(row["field"].split("[")[0], "W" if row["unit"] == "W" else "ratio")
        shown = _format_value(kind, row["value"])
        flag = "" if row["confirmed"] else " (unconfirmed: secondary source or derived)"
        lines.append(f"  {row['field']} = {shown}{flag}")
        lines.append(f"      source: {row['source']}")
    lines.append("Presets are nominal public figures used as assumptions, not measurements.")
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    return value.tolist() if isinstance(value, np.ndarray) else value


def _json_record(record: Record) -> dict[str, Any]:
    return {**record.labels,
            "assumptions": {i.key: _plain(i.value) for i in record.assumptions},
            "results": {i.key: _plain(i.value) for i in record.results}}


def _flat_rows(report: Report) -> list[dict[str, Any]]:
    """One row per record and per case of its broadcast shape; arrays spread out."""
    if report.rows is not None:
        return report.rows
    rows = []
    for record in report.records:
        items = record.items()
        shape = _shape(items)
        for index in np.ndindex(shape):
            row: dict[str, Any] = dict(record.labels)
            for i in items:
                if isinstance(i.value, np.ndarray):
                    row[i.key] = float(np.broadcast_to(i.value, shape)[index])
                else:
                    row[i.key] = i.value
            rows.append(row)
    return rows


def render(report: Report, format: str) -> str:
    """The report as text, JSON or CSV."""
    if format == "json":
        if report.document is not None:
            document: Any = report.document
        elif report.rows is not None:
            document = report.rows
        elif report.single:
            document = _json_record(report.records[0])
        else:
            document = [_json_record(r) for r in report.records]
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if format == "csv":
        rows = _flat_rows(report)
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        buffer = StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    if report.text is not None:
        return report.text(report)
    return "\n".join(_record_text(r) for r in report.records)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.filename}: {exc.strerror or exc}"
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())  # one line


def _check_output(args: argparse.Namespace) -> None:
    """Refuse an --output that names one of the scenario files being read: it would be lost."""
    if not args.output:
        return
    output = Path(args.output)
    for name in [*(getattr(args, "files", None) or ()), *filter(None, [getattr(args, "file", None)])]:
        source = Path(name)
        same = source.exists() and output.exists() and os.path.samefile(source, output)
        if same or output.resolve() == source.resolve():
            raise ValueError(f"--output {args.output} is the scenario file {name} being read; "
                             "writing there would replace it (choose another file)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        Exit status: 0 on success, 2 for bad input or usage (one line on
        stderr, ``estimator: error: ...``), 1 for an unexpected internal error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        _check_output(args)
        text = render(args.handler(args), args.format)
        if args.output:
            scenario_io.write_text_atomic(args.output, text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:  # e.g. `estimator presets | head`
        return EXIT_OK
    except (ValueError, TypeError, OSError, ArithmeticError) as exc:
        print(f"{PROG}: error: {_error_text(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback; a bug still says what it was
        print(f"{PROG}: internal error: {type(exc).__name__}: {_error_text(exc)}", file=sys.stderr)
        return EXIT_INTERNAL
    return EXIT_OK
