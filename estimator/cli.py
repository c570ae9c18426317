"""The command line: ``estimator ...`` or ``python -m estimator ...``.

Subcommands::

    estimator power   --gpus 100k --accelerator h100-sxm --methodology nameplate --hours "1 year"
    estimator fit     --power 1GW --accelerator h100-sxm --server-overhead 1.82 \\
                      --network-overhead 1.10 --pue 1.2
    estimator fit     --power 1GW --methodology nameplate          # one row per accelerator
    estimator train   --parameters 405e9 --tokens 15.6e12 --gpus 16384 --accelerator h100-sxm --mfu 0.4
    estimator train   --flop 3.8e25 --days 90 --accelerator h100-sxm --mfu 0.4
    estimator run     scenario.toml other.json
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

Bad input never shows a traceback: it prints one line,
``estimator: error: <message>``, on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
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

from estimator import catalog, compute, solve, units, validate
from estimator import io as scenario_io
from estimator.scenario import Estimate, Scenario, estimate

__all__ = ["main"]

PROG = "estimator"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2

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


def _given_fields(args: argparse.Namespace) -> dict[str, float | np.ndarray]:
    """The Scenario fields set on the command line, read in their units."""
    out: dict[str, float | np.ndarray] = {}
    for name in Scenario.field_names():
        texts = getattr(args, name, None)
        if texts is not None:
            out[name] = _parse(texts, scenario_io.FIELD_UNITS[name], name)
    days = getattr(args, "days", None)  # power and fit: the period in days
    if days is not None:
        out["hours"] = _parse(days, "days", "days") * units.HOURS_PER_DAY
    return out


@dataclass
class _Inputs:
    """Scenario fields and where each came from, plus the preset keys used."""

    values: dict[str, Any]
    origins: dict[str, str]
    presets: dict[str, str]


def _preset_values(accelerator: str | None, methodology: str | None, site: str | None) -> _Inputs:
    """Apply presets in order (accelerator, methodology, site), remembering each value's origin."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    presets: dict[str, str] = {}
    part = None
    if accelerator is not None:
        part = catalog.accelerator(accelerator)
        presets["accelerator"] = part.key
        for name, value in part.assumptions().items():
            values[name], origins[name] = value, f"accelerator {part.key}"
    if methodology is not None:
        method = catalog.methodology(methodology)
        if part is None:
            raise ValueError(f"methodology {method.key!r} needs --accelerator too: "
                             "its server overhead depends on the accelerator")
        presets["methodology"] = method.key
        for name, value in method.assumptions(part).items():
            values[name], origins[name] = value, f"methodology {method.key}"
    if site is not None:
        place = catalog.site(site)
        presets["site"] = place.key
        for name, value in place.assumptions().items():
            values[name], origins[name] = value, f"site {place.key}"
    return _Inputs(values, origins, presets)


def _inputs(args: argparse.Namespace, accelerator: str | None) -> _Inputs:
    inputs = _preset_values(accelerator, args.methodology, args.site)
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
        if report.rows is not None:
            document: Any = report.rows
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
    for name in getattr(args, "files", None) or ():
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
