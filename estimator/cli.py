"""The command line: ``estimator ...`` or ``python -m estimator ...``.

Subcommands::

    estimator power   --gpus 100k --accelerator h100-sxm --hours "1 year"
    estimator fit     --power 1GW --accelerator h100-sxm --server-overhead 1.82 \\
                      --network-overhead 1.10 --pue 1.2
    estimator fit     --power 1GW --mfu 0.4                         # every accelerator side by side
    estimator train   --parameters 405B --tokens 15.6T --gpus 16384 --accelerator h100-sxm --mfu 0.41
    estimator train   --flop 3.8e25 --days 90 --accelerator h100-sxm --mfu 0.4
    estimator train   --run llama-3.1-405b --goodput 0.9                # a ready run against its report
    estimator serve   --gpus 100k --accelerator h100-sxm --tokens-per-s-per-gpu 3k --query chat
    estimator serve   --queries-per-day 1e9 --accelerator h100-sxm --tokens-per-s-per-gpu 3k --query chat
    estimator run     scenario.toml other.json
    estimator uncertainty --gpus 100k --accelerator h100-sxm --pue 1.1/1.2/1.4 \\
                      --server-overhead 1.5..1.9 --tornado --sobol         # alias: estimator mc
    estimator uncertainty ranges.toml --samples 1e6 --seed 7 --format json
    estimator presets accelerators                              # or runs: the ready training runs
    estimator completion bash                                   # or zsh: a completion script

``estimator --help`` lists every subcommand with one example (:data:`EXAMPLES`);
:func:`reference` renders every subcommand's options as docs/cli.md.

The options are the field registry's (:mod:`estimator.fields`): one option per
Scenario field (``--gpu-watts``, ``--pue``, ...), with its help text and unit,
built when the command runs, so a field added with :func:`estimator.fields.register`
is an option of ``power``, ``fit``, ``train``, ``run`` and ``uncertainty`` at
once. Every value may carry a unit as a person writes it ("700 W", "1 GW",
"90 days", "989 TFLOP/s", "100k", "75%"); a bare number is in the field's own
unit (:data:`estimator.fields.INPUT_UNITS`). Giving several values (``--pue
1.1 1.2 1.3``) computes one result per value, broadcast like numpy arrays.

Presets are resolved as at every door (:mod:`estimator.resolve`): accelerator
(at ``--precision``), methodology (at ``--date``), site, then the options.
Without ``--methodology`` the default one, ``nameplate``, applies; the output
says which values are defaults. Without ``--accelerator``, ``--server-overhead``
must be given. No MFU is invented: sustained compute needs ``--mfu`` (or a
methodology that sets one), and ``train`` refuses to run without it.

``--format text`` (the default) is for people: every value formatted by
:func:`estimator.units.format_value`, labels from the registry (full load and
average apart), the assumptions echoed above the results with where each came
from. ``--format markdown`` prints the same layout with its tables as GitHub
Markdown, to paste into a report. ``--format json`` and ``--format csv`` are
for programs: every number in the base unit of its field name (W, Wh, h, s,
FLOP, FLOP/s, kg, L, currency), at full float precision; JSON adds
``provenance`` (assumption → where it came from, e.g. ``"nameplate (default)"``).

The tables are the library's (:mod:`estimator.tables`), the ones the dashboard
shows: ``fit`` is :func:`~estimator.tables.budget_fleet` (one fleet) or
:func:`~estimator.tables.accelerator_table` (every accelerator), ``train`` is
:func:`~estimator.tables.training_run` or :func:`~estimator.tables.training_fleet`.
The command line only formats them.

Ranges. ``estimator uncertainty`` (alias ``mc``) takes any assumption as a
range, on the command line or in a scenario file (see :mod:`estimator.io`):
``--pue 1.1..1.4`` (uniform), ``--pue 1.1/1.2/1.4`` (low/likely/high,
triangular), ``--gpu-watts 650W..750W`` (units inside), or a named
distribution ``--mfu lognormal:median=0.4,p95=0.5`` / ``--mfu
lognormal:0.3..0.5`` (P5..P95). It reports each output at the likely values
and its percentiles over ``--samples`` Monte Carlo draws (``--seed`` makes
them reproducible), and on request a tornado table (``--tornado``: each range
from its own P5 to its own P95, whatever its distribution) and Sobol variance
shares (``--sobol``). ``--default-ranges [SHAPE]`` gives every assumption not
written as a range the library's default range, centred on its value (the
dashboard's, :func:`~estimator.uncertainty.default_ranges`). ``power``, ``fit``, ``train`` and ``run`` take
single values only and refuse a range with a message pointing to
``estimator uncertainty``, so a point estimate is never mistaken for the
result of a range.

Bad input never shows a traceback: it prints one line,
``estimator: error: <message>``, on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import contextvars
import csv
import dataclasses
import functools
import json
import math
import os
import re
import sys
import textwrap
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np

from estimator import (
    catalog,
    compute,
    distributions,
    fields,
    footprint,
    limits,
    power,
    resolve,
    runs,
    serving,
    tables,
    uncertainty,
    units,
    validate,
)
from estimator import io as scenario_io
from estimator._version import __version__
from estimator.scenario import Scenario, estimate

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
PERIOD_OUTPUTS: tuple[str, ...] = ("energy_wh", "cost", "total_cost", "emissions_kg", "water_l")
#: Added to the default outputs when the serving assumptions are given.
SERVING_OUTPUTS: tuple[str, ...] = ("energy_per_query_wh", "queries_per_day")

#: Metavar of an option, by the field's unit (a fraction says so).
_METAVARS: dict[str, str] = {
    "count": "N", "W": "W", "ratio": "RATIO", "h": "DURATION", "s": "DURATION", "$/kWh": "PRICE",
    "kg/kWh": "KG_PER_KWH", "L/kWh": "L_PER_KWH", "FLOP/s": "FLOP_PER_S", "FLOP": "FLOP",
    "tokens/s": "TOKENS_PER_S",
}  # fmt: skip

#: The commands' own inputs (the registry's COMMAND_INPUTS) each command takes; a field's first
#: alias (``--power``) names the value in messages.
_COMMAND_FIELDS: dict[str, tuple[str, ...]] = {
    "fit": ("power_budget_w", "it_budget_w", "capex_budget", "training_flop"),
    "train": ("parameters", "tokens", "training_flop", "training_time_s"),
    "serve": ("queries_per_day", "serving_share", "training_flop"),
    "swing": ("idle_fraction", "job_share", "host_swing_share", "psu_efficiency", "distribution_efficiency",
              "cooling_step_share"),
}


#: How a text output shows a quantity where its registry unit reads worse (a share of 1 GW in %).
_DISPLAY_UNITS: dict[str, str] = {"share_of_gigawatt": "%", "share_of_facility": "%", "step_share_of_facility": "%"}

#: Output formats of every command: text and markdown for people, json and csv for programs.
FORMATS: tuple[str, ...] = ("text", "markdown", "json", "csv")

#: True while a text layout renders as GitHub Markdown (``--format markdown``): the layouts are
#: shared, only the tables and the lines around them change style.
_MARKDOWN: contextvars.ContextVar[bool] = contextvars.ContextVar("markdown", default=False)

_ASSUMPTIONS_HEADING = "Assumptions (chosen inputs and presets, not measurements; '(default)' marks the defaults):"

#: Where the full-load breakdown ("of which ...") is listed: after the total it splits.
_BREAKDOWN_OF = "facility_power_w"


def _unit(name: str) -> str:
    """The unit :func:`estimator.units.format_value` shows a field in ("kg CO2e", "currency", "W", ...)."""
    if name in _DISPLAY_UNITS:
        return _DISPLAY_UNITS[name]
    spec = fields.FIELDS.get(name)
    if spec is None:  # e.g. a preset's extra figure (peak_flop_per_s_fp8): the unit in its name
        for suffix, unit in (("_flop_per_s", "FLOP/s"), ("_wh", "Wh"), ("_w", "W"), ("_s", "s"), ("_kg", "kg CO2e"),
                             ("_l", "L"), ("_parameters", "count"), ("_gpu_hours", "GPU-h")):
            if name.endswith(suffix):
                return unit
        return "ratio"
    return spec.unit if spec.unit_text == "unitless" else spec.unit_text


def _label(name: str) -> str:
    """A result's label, from the registry (a breakdown row indented under its total)."""
    spec = fields.FIELDS.get(name)
    if spec is None:
        return name
    return f"  {spec.label}" if spec.label.startswith("of which") else spec.label


def _metavar(spec: fields.Field) -> str:
    if spec.rule == "fraction":
        return "FRACTION"
    return _METAVARS.get(spec.unit) or re.sub(r"\W+", "_", spec.unit).strip("_").upper() or "VALUE"


def _help(spec: fields.Field, extra: str = "") -> str:
    return (spec.help_with_unit + extra).replace("%", "%%")  # argparse formats help with %


def _format(unit: str, value: Any, echo_hours: bool = False) -> str:
    """One value for people, by the one formatter (the period also in hours where it is an assumption)."""
    if unit == "text" or isinstance(value, str):
        return str(value)
    v = None if value is None else float(value)
    text = units.format_value(v, unit)
    if unit == "h" and echo_hours and v is not None and not text.endswith(" h"):
        return f"{text} ({v:,.6g} h)"
    return text


@dataclass
class Item:
    """One named value of a record: the machine name, the value and how to show it."""

    key: str
    value: Any  # float, ndarray or str
    unit: str = "text"
    label: str = ""
    origin: str = ""


@dataclass
class Record:
    """What one evaluation produced: its labels, the assumptions, the results and notes."""

    title: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    assumptions: list[Item] = field(default_factory=list)
    results: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    heading: str = "Results:"
    equivalents: list[dict[str, Any]] = field(default_factory=list)  # footprint.equivalents of the average draw

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
    catalogue: bool = True  # name the catalogue version the presets came from (not in a shell script)


class _Parser(argparse.ArgumentParser):
    """argparse, naming the program as ``estimator`` in every error line.

    A value that starts with a minus and a digit ("-40k", "-10%", "-1 MW") is a value, not an option
    (argparse's own test takes only plain numbers), so that its rule is what the user is told.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-\.?[0-9]")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # One line, even when an argument holds a newline ("unrecognized arguments: ...").
        self.exit(EXIT_USAGE, f"{PROG}: error: {' '.join(message.split())}\n")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="output format (default: text; markdown: the text's tables as GitHub Markdown, "
                             "for reports; json and csv give base units)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the output to FILE (atomically) instead of the screen")


def _add_presets(parser: argparse.ArgumentParser, accelerator_help: str | None = None) -> None:
    group = parser.add_argument_group("presets (nominal public figures; explicit options override them)")
    p = fields.PRESETS
    group.add_argument(p["accelerator"].option, metavar="KEY", help=(accelerator_help or p["accelerator"].help)
                       + " (see `estimator presets accelerators`)")
    group.add_argument(p["methodology"].option, metavar="KEY",
                       help=p["methodology"].help + " (see `estimator presets methodologies`)")
    group.add_argument(p["site"].option, metavar="KEY", help=p["site"].help + " (see `estimator presets sites`)")
    group.add_argument(p["precision"].option, choices=p["precision"].choices,
                       help=p["precision"].help + " (default: bf16)")
    group.add_argument(p["date"].option, metavar="YYYY-MM-DD", help=p["date"].help)


def _add_fields(parser: argparse.ArgumentParser, skip: Sequence[str] = (), days: bool = True,
                ranges: bool = False) -> None:
    """One option per Scenario field of the registry (read when the parser is built)."""
    title = ("assumptions (one value or one range each: LOW..HIGH, LOW/LIKELY/HIGH, NAME:...)" if ranges
             else "assumptions (several values give one result per value)")
    group = parser.add_argument_group(title)
    nargs = None if ranges else "+"
    for spec in fields.INPUTS:
        if spec.name in skip:
            continue
        target = group
        if spec.name == "hours" and days:
            target = group.add_mutually_exclusive_group()
        target.add_argument(spec.option, dest=spec.name, metavar=_metavar(spec), nargs=nargs, help=_help(spec))
        if spec.name == "hours" and days:
            target.add_argument("--days", metavar="DAYS", nargs=nargs,
                                help="length of the period in days (instead of --hours), e.g. 90"
                                     + (", or a range, e.g. 60..120" if ranges else ""))


def _add_command_fields(parser: argparse.ArgumentParser, command: str, title: str) -> argparse._ArgumentGroup:
    """The command's own inputs (budgets, the training run), from the registry."""
    group = parser.add_argument_group(title)
    deadline = None
    for name in _COMMAND_FIELDS[command]:
        spec = fields.FIELDS.get(name)
        if spec is None:
            continue
        target = group
        if name == "training_time_s":  # or --days: the time in days
            deadline = target = group.add_mutually_exclusive_group()
        extra = ""
        if command == "fit" and name == "training_flop":
            extra = " of the reference run that 'runs in the period' counts (default: Llama 3 405B, 3.8e25)"
        elif command == "serve" and name == "training_flop":
            extra = " of the run the training share's 'runs in the period' counts (default: Llama 3 405B, 3.8e25)"
        elif command == "serve" and name == "queries_per_day":
            extra = ": a demand; gives the fleet that serves it (instead of --gpus)"
        target.add_argument(*spec.aliases, spec.option, dest=name, metavar=_metavar(spec), nargs="+",
                            help=_help(spec, extra))
    if deadline is not None:
        deadline.add_argument("--days", dest="deadline", metavar="DAYS", nargs="+",
                              help="wall-clock time allowed, in days: gives the fleet needed (instead of --gpus)")
    return group


#: One example of every subcommand, for ``estimator --help`` and docs/cli.md (each parses; a test says so).
EXAMPLES: dict[str, str] = {
    "power": "estimator power --gpus 100k --accelerator h100-sxm --hours '1 year'",
    "fit": "estimator fit --power 1GW --mfu 0.4",
    "train": "estimator train --parameters 405B --tokens 15.6T --gpus 16384 --accelerator h100-sxm --mfu 0.41",
    "serve": "estimator serve --gpus 100k --accelerator h100-sxm --tokens-per-s-per-gpu 3k --query chat",
    "swing": "estimator swing --accelerator h100-sxm --gpus 16384 --pue 1.1",
    "campus": "estimator campus campus.toml --timeline quarter --start 2025-01-01 --end 2026-12-31",
    "run": "estimator run scenario.toml --pue 1.3 --format json",
    "uncertainty": "estimator uncertainty --accelerator h100-sxm --gpus 100k --pue 1.1/1.2/1.4 --tornado",
    "presets": "estimator presets accelerators --format markdown",
    "completion": "estimator completion bash > ~/.local/share/bash-completion/completions/estimator",
}

_DESCRIPTION = ("What an AI datacenter means in power, energy and compute. Every input is an assumption; "
                "presets are nominal public figures with sources.")
_NOTES = ("Values take units as you would write them: 700W, '1.5 GW', '90 days', '989 TFLOP/s', 100k, 75%. "
          "Without --methodology the 'nameplate' methodology applies (marked as default). Errors print one "
          "line and exit with status 2. `estimator COMMAND --help` shows a command's options.")


def _epilog() -> str:
    """The top-level help's closing text: every subcommand with one example, then the notes."""
    width = max(len(k) for k in EXAMPLES)
    lines = ["examples:"]
    lines += [f"  {name.ljust(width)}  {example}" for name, example in EXAMPLES.items()]
    return "\n".join(lines) + "\n\n" + textwrap.fill(_NOTES, width=_HELP_WIDTH)


#: Width of the top-level help's own paragraphs (argparse wraps the rest to the terminal).
_HELP_WIDTH = 79


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``estimator`` command, built from the field registry as it is now."""
    parser = _Parser(
        prog=PROG,
        description=textwrap.fill(_DESCRIPTION, width=_HELP_WIDTH),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps the examples one per line
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_Parser)

    power = commands.add_parser("power", help="fleet → power, energy, cost, emissions, water, compute",
                                description="Power, energy and compute of a fleet of accelerators.")
    _add_presets(power)
    _add_fields(power)
    _add_common(power)
    power.set_defaults(handler=_power)

    fit = commands.add_parser("fit", help="power budget → how many accelerators fit, and their compute",
                              description="How many accelerators a facility power budget holds at full "
                                          "load, and their compute (tables.budget_fleet); with no accelerator, "
                                          "or --accelerator all, every catalogue accelerator side by side "
                                          "(tables.accelerator_table).")
    _add_command_fields(fit, "fit", "the budget")
    _add_presets(fit, fields.PRESETS["accelerator"].help + "; or 'all' for one row per catalogue accelerator "
                      "(the default when neither --accelerator nor --gpu-watts is given)")
    _add_fields(fit, skip=("gpus",))
    _add_common(fit)
    fit.set_defaults(handler=_fit)

    train = commands.add_parser("train", help="a training run: time, energy and cost, or the fleet it needs",
                                description="A training run: with --gpus, how long it takes and what it "
                                            "costs (tables.training_run); with --days, the fleet and facility "
                                            "power it needs (tables.training_fleet). Needs an MFU: --mfu, or a "
                                            "methodology that sets one. With --run, a ready run (estimator "
                                            "presets runs) gives the size, accelerator, fleet, MFU and goodput "
                                            "it published (options override them), and the estimate is set "
                                            "against its reported accelerator-hours (tables.run_versus_report).")
    group = _add_command_fields(train, "train", "the run (give --run, --flop, or --parameters and --tokens)")
    group.add_argument("--run", metavar="KEY", help="a ready training run, e.g. llama-3.1-405b: its size, "
                                                    "hardware, MFU and goodput as published, and its report "
                                                    "(see `estimator presets runs`)")
    _add_presets(train)
    _add_fields(train, skip=("hours",), days=False)
    _add_common(train)
    train.set_defaults(handler=_train)

    serve = commands.add_parser(
        "serve", help="a serving fleet: energy per token and per query, queries a day; or the fleet a demand needs",
        description="Serving: with --gpus, the energy per output token and per query, the queries a day and "
                    "the power of the fleet (serving.query_footprint); with --queries-per-day, the fleet that "
                    "serves that demand and its power (serving.fleet_for_queries). Needs an output throughput "
                    "(--tokens-per-s-per-gpu) and output tokens per query (--tokens-per-query or --query). "
                    "--serving-share splits the fleet: that share serves, the rest trains "
                    "(tables.fleet_split).")
    question = _add_command_fields(serve, "serve", "the question (a demand, a split between serving and training)")
    question.add_argument("--query", metavar="KEY", type=str,
                       help="query preset: sets the output tokens per query, and the input tokens where the "
                            "preset has them, unless given (one of: " + ", ".join(serving.queries()) + ")")
    _add_presets(serve)
    _add_fields(serve)
    _add_common(serve)
    serve.set_defaults(handler=_serve)
    swing = commands.add_parser(
        "swing", help="a synchronized training job's power swing at the grid, part by part",
        description="The load swing of a synchronized training job (power.load_swing): what drops and comes "
                    "back when every accelerator waits at the same collective (accelerators, host and fans, "
                    "power-supply and distribution losses) and, for a job starting or stopping, the cooling's "
                    "load-following share. Each assumption not given is the labelled default of "
                    "power.SWING_ASSUMPTIONS, shown with its source.")
    _add_command_fields(swing, "swing", "the swing's assumptions (defaults: power.SWING_ASSUMPTIONS)")
    _add_presets(swing)
    _add_fields(swing)
    _add_common(swing)
    swing.set_defaults(handler=_swing)
    campus = commands.add_parser(
        "campus", help="a campus file ([[block]] tables) → per-block table, totals and a timeline",
        description="A campus: blocks of accelerators, each a scenario with its own online and retire dates "
                    "(estimator.io.load_campus; a ready campus by name, see estimator.campus_presets()). Shows "
                    "one row per block (campus.block_table) and the totals (estimator.estimate); with "
                    "--timeline, --start and --end, the campus over time (estimator.timeline).")
    campus.add_argument("file", metavar="FILE", help="campus file, .toml or .json, or a ready campus's name")
    window = campus.add_argument_group("timeline")
    window.add_argument("--timeline", choices=("month", "quarter", "year"),
                        help="period of the timeline (default: month, when --start and --end are given)")
    window.add_argument("--start", metavar="YYYY-MM-DD", help="first day of the timeline")
    window.add_argument("--end", metavar="YYYY-MM-DD", help="last day of the timeline (included)")
    _add_common(campus)
    campus.set_defaults(handler=_campus)

    run = commands.add_parser("run", help="evaluate scenario files (.toml or .json)",
                              description="Evaluate scenario files; see `estimator.io` for their keys. "
                                          "Options override every file's value (a preset option its preset).")
    run.add_argument("files", metavar="FILE", nargs="+", help="scenario file, .toml or .json")
    _add_presets(run)
    _add_fields(run)
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
    _add_presets(mc)
    _add_fields(mc, ranges=True)
    analysis = mc.add_argument_group("analysis")
    analysis.add_argument("--samples", metavar="N", default="100000",
                          help=f"Monte Carlo samples, 1 to {MAX_SAMPLES:,} (default: 100,000), e.g. 1e6")
    analysis.add_argument("--seed", metavar="S", default="0",
                          help="seed of the random draws, a whole number >= 0 (default: 0); the same seed "
                               "gives the same numbers")
    analysis.add_argument("--outputs", metavar="NAME", nargs="+",
                          help="outputs to report (default: facility_power_w average_facility_power_w "
                               "gpus_per_gigawatt, and energy_wh cost total_cost emissions_kg water_l "
                               "energy_per_query_wh queries_per_day when their assumptions are given); any of: "
                               + " ".join(uncertainty.OUTPUTS))
    analysis.add_argument("--percentiles", metavar="P", nargs="+", default=["5", "50", "95"],
                          help="percentiles to report, each 0 to 100 (default: 5 50 95)")
    analysis.add_argument("--default-ranges", metavar="SHAPE", nargs="?", const="triangular",
                          choices=distributions.RANGE_SHAPES,
                          help="give every assumption not written as a range the library's default range, "
                               "centred on its value (the dashboard's; estimator.uncertainty.default_ranges), "
                               "in the shape SHAPE: triangular (the default), uniform or lognormal; needs "
                               "--accelerator")
    analysis.add_argument("--tornado", action="store_true",
                          help="add a tornado table: each range across the same band of its own distribution, "
                               "its P5 to its P95, the others at their likely values, ranked by the swing of "
                               "the output")
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
    presets.add_argument("kind", nargs="?", choices=PRESET_KINDS,
                         help="which presets (default: all)")
    _add_common(presets)
    presets.set_defaults(handler=_presets)

    completion = commands.add_parser(
        "completion", help="print a shell completion script (bash or zsh)",
        description="Print a completion script for bash or zsh, generated from this command's own options "
                    "and the preset catalogue. bash: `source <(estimator completion bash)`, or save it as "
                    "~/.local/share/bash-completion/completions/estimator. zsh: save it as _estimator in a "
                    "directory of $fpath, or `source <(estimator completion zsh)` after compinit.")
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    completion.set_defaults(handler=_completion, format="text", output=None)
    return parser


#: Shells ``estimator completion`` writes a script for.
SHELLS: tuple[str, ...] = ("bash", "zsh")


def _subcommands(parser: argparse.ArgumentParser) -> tuple[dict[str, argparse.ArgumentParser], dict[str, str]]:
    """The subcommand parsers by name (aliases included) and each name's one-line help."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in action._choices_actions}
    names = {}
    for name, sub in action.choices.items():
        names[name] = sub
        helps.setdefault(name, next((helps[k] for k, v in action.choices.items() if v is sub and k in helps), ""))
    return names, helps


def _option_words(sub: argparse.ArgumentParser) -> list[str]:
    return [o for a in sub._actions for o in a.option_strings]


def _values(action: argparse.Action) -> list[str] | None:
    """The words that may follow an option (or fill a positional), where the parser or the catalogue knows them."""
    if action.choices is not None:
        return [str(c) for c in action.choices]
    lookup = {"--accelerator": catalog.accelerators, "--methodology": catalog.methodologies,
              "--site": catalog.sites}
    for option in action.option_strings:
        if option in lookup:
            return [*lookup[option](), *(["all"] if option == "--accelerator" else [])]
    return None


def _takes_file(action: argparse.Action) -> bool:
    return action.metavar == "FILE"


def _bash_completion(parser: argparse.ArgumentParser) -> str:
    """A bash completion function for ``estimator``: commands, each command's options and their values."""
    names, _ = _subcommands(parser)
    top = [*names, *_option_words(parser)]
    lines = [
        "# bash completion for estimator, generated by `estimator completion bash`.",
        "# Use: source <(estimator completion bash), or save as ~/.local/share/bash-completion/completions/estimator",
        "_estimator() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
        "    done",
        '    case "$cmd" in',
        f'        "") COMPREPLY=($(compgen -W "{" ".join(top)}" -- "$cur")); return ;;',
    ]
    for name, sub in names.items():
        lines.append(f"        {name})")
        lines.append('            case "$prev" in')
        for action in sub._actions:
            if not action.option_strings or action.nargs == 0:
                continue
            pattern = "|".join(action.option_strings)
            values = _values(action)
            if values is not None:
                lines.append(f'                {pattern}) COMPREPLY=($(compgen -W "{" ".join(values)}" -- "$cur")); '
                             "return ;;")
            elif _takes_file(action):
                lines.append(f'                {pattern}) COMPREPLY=($(compgen -f -- "$cur")); return ;;')
            else:  # a value to type: offer nothing
                lines.append(f"                {pattern}) COMPREPLY=(); return ;;")
        lines.append("            esac")
        positional = [a for a in sub._actions if not a.option_strings]
        words = " ".join(_option_words(sub))
        lines.append('            if [[ "$cur" == -* ]]; then')
        lines.append(f'                COMPREPLY=($(compgen -W "{words}" -- "$cur"))')
        choices = [v for a in positional for v in (_values(a) or [])]
        if choices:
            lines.append("            else")
            lines.append(f'                COMPREPLY=($(compgen -W "{" ".join(choices)}" -- "$cur"))')
        elif any(_takes_file(a) for a in positional):
            lines.append("            else")
            lines.append('                COMPREPLY=($(compgen -f -- "$cur"))')
        lines.append("            fi ;;")
    lines += ["    esac", "}", "complete -o default -F _estimator estimator", ""]
    return "\n".join(lines)


def _zsh_text(text: str) -> str:
    """A help text inside a zsh _arguments spec: one line, quoted for single quotes, brackets escaped."""
    text = " ".join((text or "").replace("%%", "%").split())
    text = re.sub(r",? e\.g\..*$", "", text)  # the examples stay in --help
    text = re.split(r"(?<=\.)\s", text)[0].rstrip(".")  # the first sentence
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace("'", "'\\''")


def _zsh_completion(parser: argparse.ArgumentParser) -> str:
    """A zsh completion function for ``estimator`` (#compdef), with each command's and option's help."""
    names, helps = _subcommands(parser)
    lines = [
        "#compdef estimator",
        "# zsh completion for estimator, generated by `estimator completion zsh`.",
        "# Use: save as _estimator in a directory of $fpath, or source <(estimator completion zsh) after compinit",
        "_estimator() {",
        "    local curcontext=$curcontext state line",
        "    typeset -A opt_args",
        "    _arguments -C \\",
        "        '(- *)'{-h,--help}'[show help]' \\",
        "        '(- *)--version[show the version]' \\",
        "        '1: :->command' \\",
        "        '*:: :->args'",
        "    case $state in",
        "        command)",
        "            local -a commands",
        "            commands=(",
    ]
    lines += [f"                '{name}:{_zsh_text(helps.get(name, ''))}'" for name in names]
    lines += ["            )", "            _describe -t commands 'estimator command' commands ;;",
              "        args)", "            case $line[1] in"]
    for name, sub in names.items():
        specs = []
        for action in sub._actions:
            text = _zsh_text(action.help or "")
            values = _values(action)
            word = action.metavar or action.dest
            # what follows the option: "MESSAGE:ACTION" (values, files or free text), none for a flag
            if values is not None:
                what = f"{word}:({' '.join(values)})"
            elif _takes_file(action):
                what = "FILE:_files"
            else:
                what = None if action.nargs == 0 else f"{word}: "
            if action.option_strings:
                repeat = "*" if action.nargs in ("+", "*") else ""
                tail = "" if what is None else f":{what}"
                specs += [f"'{repeat}{option}[{text}]{tail}'" for option in action.option_strings]
            else:  # a positional: once ("1", "1:" when optional) or many times ("*")
                place = "*" if action.nargs in ("+", "*") else "1:" if action.nargs == "?" else "1"
                specs.append(f"'{place}:{what}'")
        lines.append(f"                {name})")
        lines.append("                    _arguments \\")
        lines += [f"                        {s} \\" for s in specs[:-1]]
        lines.append(f"                        {specs[-1]} ;;")
    lines += ["            esac ;;", "    esac", "}", "", 'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then',
              '    _estimator "$@"', "else", "    compdef _estimator estimator", "fi", ""]
    return "\n".join(lines)


def completion_script(shell: str) -> str:
    """The completion script of ``estimator`` for ``shell`` ("bash" or "zsh"), from the parser as it is now.

    Examples
    --------
    >>> "complete -o default -F _estimator estimator" in completion_script("bash")
    True
    >>> completion_script("zsh").splitlines()[0]
    '#compdef estimator'
    """
    if shell not in SHELLS:
        raise ValueError(f"shell must be one of {', '.join(SHELLS)} (got {shell!r})")
    parser = build_parser()
    return _bash_completion(parser) if shell == "bash" else _zsh_completion(parser)


def _reference_cell(text: str) -> str:
    return " ".join(text.replace("%%", "%").split()).replace("|", "\\|")


def _reference_value(action: argparse.Action) -> str:
    if action.nargs == 0:
        return ""
    if action.choices is not None:
        word = "{" + ",".join(str(c) for c in action.choices) + "}"
    else:
        word = action.metavar or action.dest.upper()
    return f"`{word} ...`" if action.nargs in ("+", "*") else f"`{word}`"


def _reference_usage(name: str, sub: argparse.ArgumentParser) -> str:
    words = [f"estimator {name}"]
    if any(a.option_strings for a in sub._actions):
        words.append("[options]")
    for action in sub._actions:
        if action.option_strings:
            continue
        word = action.metavar or action.dest.upper()
        words.append({"?": f"[{word}]", "+": f"{word} [{word} ...]", "*": f"[{word} ...]"}.get(action.nargs, word))
    return " ".join(words)


def reference() -> str:
    """The command-line reference in Markdown (docs/cli.md), generated from :func:`build_parser`.

    Every subcommand with its description, usage, one example and a table of its options per group,
    from the parser as it is now (so from the field registry too). ``make docs-cli`` writes it.

    Examples
    --------
    >>> reference().splitlines()[0]
    '# Command-line reference'
    """
    parser = build_parser()
    names, helps = _subcommands(parser)
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    aliases = {name: [k for k, v in action.choices.items() if v is sub and k != name] for name, sub in names.items()}
    primary = [name for name in names if name in {a.dest for a in action._choices_actions}]
    out = [
        "# Command-line reference",
        "",
        "<!-- Generated from estimator.cli.build_parser() by `make docs-cli`; do not edit by hand. -->",
        "",
        _DESCRIPTION,
        "",
        f"`estimator` and `python -m estimator` are the same program. {_NOTES}",
        "",
        "Every command with `--format` takes `text` (the default, for people), `markdown` (the same tables "
        "as GitHub Markdown, to paste into a report), `json` or `csv` (for programs: base units, full "
        "precision; JSON adds `provenance`).",
        "",
        "| command | what it does | example |",
        "| --- | --- | --- |",
    ]
    for name in primary:
        also = f" (alias: {', '.join(f'`{a}`' for a in aliases[name])})" if aliases[name] else ""
        out.append(f"| [`{name}`](#estimator-{name}){also} | {_reference_cell(helps[name])} | "
                   f"`{EXAMPLES.get(name, '')}` |")
    for name in primary:
        sub = names[name]
        out += ["", f"## estimator {name}", ""]
        if aliases[name]:
            out += [f"Alias: {', '.join(f'`estimator {a}`' for a in aliases[name])}.", ""]
        out += [_reference_cell(sub.description or helps[name]), "", "```text", _reference_usage(name, sub), "```"]
        if name in EXAMPLES:
            out += ["", "Example:", "", "```shell", EXAMPLES[name], "```"]
        positionals, optionals, *groups = sub._action_groups  # argparse's two groups first
        for group in [positionals, *groups, optionals]:  # the general options last
            actions = [a for a in group._group_actions if not isinstance(a, argparse._HelpAction)]
            if not actions:
                continue
            title = {"positional arguments": "arguments", "optional arguments": "options"}.get(
                group.title or "", group.title or "")
            out += ["", f"### {title[:1].upper()}{title[1:]}", "", "| option | value | meaning |",
                    "| --- | --- | --- |"]
            for a in actions:
                option = ", ".join(f"`{o}`" for o in a.option_strings) or f"`{a.metavar or a.dest}`"
                value = "" if not a.option_strings else _reference_value(a)
                meaning = _reference_cell(a.help or "")
                if not a.option_strings and a.choices is not None:
                    meaning += f" (one of {', '.join(f'`{c}`' for c in a.choices)})"
                out.append(f"| {option} | {value} | {meaning} |")
        if sub.epilog:
            out += ["", _reference_cell(sub.epilog)]
    return "\n".join(out) + "\n"


def _completion(args: argparse.Namespace) -> Report:
    script = completion_script(args.shell)
    return Report([], text=lambda _: script, catalogue=False)


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


def _command_value(args: argparse.Namespace, name: str) -> float | np.ndarray | None:
    """A command input (budget, run size, time) read in its unit and checked against its rule, or None."""
    texts = getattr(args, name, None)
    if texts is None:
        return None
    spec = fields.FIELDS[name]
    label = spec.aliases[0].removeprefix("--") if spec.aliases else name
    _no_range(args, label, texts)
    return validate.field(name, _parse(texts, spec.unit, label), label=label)


def _given_fields(args: argparse.Namespace) -> dict[str, float | np.ndarray]:
    """The Scenario fields set on the command line, read in their units, checked, broadcast together."""
    out: dict[str, float | np.ndarray] = {}
    for spec in fields.INPUTS:
        texts = getattr(args, spec.name, None)
        if texts is not None:
            _no_range(args, spec.name, texts)
            out[spec.name] = validate.field(spec.name, _parse(texts, spec.unit, spec.name))
    days = getattr(args, "days", None)  # the period in days
    if days is not None:
        _no_range(args, "days", days)
        out["hours"] = validate.field("hours", _parse(days, "days", "days") * units.HOURS_PER_DAY)
    validate.broadcast(**out)
    return out


def _preset_names(args: argparse.Namespace) -> dict[str, Any]:
    return {p.name: getattr(args, p.name, None) for p in fields.PRESET_KEYS}


def _scenario(args: argparse.Namespace, accelerator: str | None, command: str,
              gpus: Any = None, defaults: dict[str, float] | None = None) -> tuple[Scenario, set[str]]:
    """The scenario of the options, by the one resolution (Scenario.from_accelerator), and the presets given.

    ``gpus`` stands in for a fleet size the question leaves open (fit, train --days); ``defaults`` are
    values (a ready run's) that apply where the options give none.
    """
    given = {**(defaults or {}), **_given_fields(args)}
    if accelerator is None and "gpu_watts" not in given:
        raise ValueError(f"{command} needs gpu_watts: give --accelerator KEY or --gpu-watts W")
    if gpus is not None:
        given["gpus"] = gpus
    elif "gpus" not in given:
        raise ValueError(f"{command} needs --gpus N (accelerators in the fleet)")
    names = _preset_names(args)
    s = Scenario.from_accelerator(accelerator, given.pop("gpus"), names["methodology"], names["site"],
                                  names["precision"] or "bf16", names["date"], **given)
    return s, {k for k, v in names.items() if v is not None}


def _origin(s: Scenario, name: str, user: str | Callable[[str], str] = "given") -> str:
    """Where a value came from, as people read it: "given", "accelerator h100-sxm", "nameplate (default)"."""
    origin = s.provenance.get(name)
    if origin is None:
        return "default"
    if origin.origin == "user":
        return user if isinstance(user, str) else user(name)
    return origin.describe()  # a pinned value says the catalogue it was recorded with


def _preset_items(s: Scenario, given: set[str], file: set[str] = frozenset()) -> list[Item]:
    """The presets applied, each marked given (or file) or default (the default methodology, BF16)."""
    items = []
    for key, value in s.presets.items():
        if value is None or (key == "precision" and s.presets.get("accelerator") is None):
            continue  # a precision picks an accelerator preset's peak: nothing without one
        origin = "given" if key in given else "file" if key in file else "default"
        items.append(Item(key, value, "text", key, origin))
    return items


def _assumptions(s: Scenario, given: set[str], skip: Sequence[str] = (), file: set[str] = frozenset(),
                 user: str | Callable[[str], str] = "given") -> list[Item]:
    """Echo of the presets used and every Scenario field that is set, with its origin."""
    items = _preset_items(s, given, file)
    for spec in fields.INPUTS:
        value = getattr(s, spec.name)
        if value is None or spec.name in skip:
            continue
        items.append(Item(spec.name, value, _unit(spec.name), spec.name, _origin(s, spec.name, user)))
    return items


def _ordered_outputs() -> list[str]:
    """Estimate's outputs in registry order, the full-load breakdown right after the total it splits."""
    names = [f.name for f in fields.OUTPUTS]
    breakdown = [n for n in names if fields.FIELDS[n].label.startswith("of which")]
    rest = [n for n in names if n not in breakdown]
    at = rest.index(_BREAKDOWN_OF) + 1 if _BREAKDOWN_OF in rest else len(rest)
    return [*rest[:at], *breakdown, *rest[at:]]


def _item(name: str, value: Any) -> Item:
    return Item(name, value, _unit(name), _label(name))


def _results(values: dict[str, Any] | Any, names: Sequence[str] | None = None, skip: Sequence[str] = ()) -> list[Item]:
    """Items of the results that are not None, in ``names`` order (an Estimate's outputs by default)."""
    get = values.get if isinstance(values, dict) else (lambda n: getattr(values, n, None))
    return [_item(n, get(n)) for n in (names or _ordered_outputs()) if get(n) is not None and n not in skip]


def _absent(given: dict[str, Any], shown: set[str], candidates: Sequence[str]) -> list[str]:
    """Notes on outputs left out for an input not given, where some of what they need was given."""
    out = []
    for name in candidates:
        needs = fields.FIELDS[name].needs
        missing = fields.missing_for(name, given)
        if name not in shown and missing and len(missing) < len(needs):
            out.append(f"{_label(name).strip()} not shown: {fields.needs_text(name, given)}")
    return out


def _power(args: argparse.Namespace) -> Report:
    s, given = _scenario(args, args.accelerator, "power")
    r = estimate(s)
    results = _results(r)
    notes = _absent(s.to_dict(), {i.key for i in results}, fields.outputs())
    return Report([Record(title="power", assumptions=_assumptions(s, given), results=results, notes=notes,
                          equivalents=_equivalents(r.average_facility_power_w))])


#: What the budget tables give, in the order fit shows them (and the columns of every accelerator side by side).
_FIT_COLUMNS = ("gpu_watts", "server_overhead", "watts_per_gpu", "gpus", "peak_cluster_flop_per_s",
                "sustained_flop_per_s", "flop_in_period", "runs")
_FIT_RESULTS = ("gpus", "watts_per_gpu", "peak_cluster_flop_per_s", "sustained_flop_per_s", "flop_in_period",
                "runs")
_FIT_HEADING = "Results (whole accelerators that fit the budget at full load):"


def _fit(args: argparse.Namespace) -> Report:
    budget = _command_value(args, "power_budget_w")
    if getattr(args, "capex_budget", None) is not None or getattr(args, "it_budget_w", None) is not None:
        return _fit_limits(args, budget)
    if budget is None:
        raise ValueError("fit needs --power POWER (facility power budget at the grid connection), e.g. 1GW, "
                         "or --it-power POWER or --capex MONEY")
    flop = _command_value(args, "training_flop")
    run_flop = tables.LLAMA3_405B_TRAINING_FLOP if flop is None else flop
    budget_item = Item("power_budget_w", budget, "W", "power_budget_w", "given")
    every = (args.accelerator is None and args.gpu_watts is None) or (
        args.accelerator is not None and args.accelerator.strip().lower() == "all")
    if every:
        return _fit_every(args, budget, run_flop, budget_item, flop is not None)
    s, given = _scenario(args, args.accelerator, "fit", gpus=1.0)  # the fleet size is the answer
    fleet = tables.budget_fleet(budget, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
                                s.peak_flop_per_s, s.mfu, s.hours, run_flop, s.goodput)
    if np.any(np.asarray(fleet["gpus"]) < 1):
        raise ValueError(f"power budget holds no whole accelerator: one needs "
                         f"{units.format_value(float(np.max(fleet['watts_per_gpu'])), 'W')} at the facility at "
                         "full load")
    chain = estimate(s.replace(gpus=fleet["gpus"]))  # the fleet that fits, through the whole chain
    results = _results(fleet, _FIT_RESULTS)
    results += _results(chain, skip=[i.key for i in results])
    assumptions = [budget_item, *_assumptions(s, given, skip=("gpus",))]
    if "runs" in fleet:
        assumptions.insert(1, Item("training_flop", run_flop, "FLOP", "training_flop",
                                   "given" if flop is not None else "default: Llama 3 405B"))
    notes = _absent(s.to_dict(), {i.key for i in results}, ["sustained_flop_per_s", "flop_in_period"])
    return Report([Record(title=s.presets.get("accelerator") or "fit", assumptions=assumptions, results=results,
                          notes=notes, heading=_FIT_HEADING,
                          equivalents=_equivalents(chain.average_facility_power_w))], single=False)


def _fit_every(args: argparse.Namespace, budget: Any, run_flop: float, budget_item: Item,
               flop_given: bool) -> Report:
    """Every catalogue accelerator side by side: tables.accelerator_table, formatted."""
    given = _given_fields(args)
    several = [k for k, v in {"power": budget, **given}.items() if np.ndim(v) != 0]
    if several:
        raise ValueError(f"{several[0]}: with every accelerator side by side each option takes one value "
                         "(name one accelerator with --accelerator KEY for one result per value)")
    names = _preset_names(args)
    precision = names["precision"] or "bf16"
    shared = {k: given.pop(k, None) for k in ("network_overhead", "pue", "mfu", "hours")}
    table = tables.accelerator_table(budget, names["methodology"], names["site"], precision=precision,
                                     date=names["date"], training_flop=run_flop, **shared, **given)
    preset_given = {k for k, v in names.items() if v is not None and k != "accelerator"}
    records = []
    for i, key in enumerate(table["key"]):
        provenance = table["provenance"][i]
        presets = {"accelerator": key, "methodology": names["methodology"] or _default_methodology(provenance),
                   "site": names["site"], "precision": table["precision"][i].lower(), "date": names["date"]}
        assumptions = [budget_item]
        if "runs" in table:
            assumptions.append(Item("training_flop", run_flop, "FLOP", "training_flop",
                                    "given" if flop_given else "default: Llama 3 405B"))
        assumptions += [Item(k, v, "text", k, "catalogue" if k == "accelerator" else
                             "given" if k in preset_given else "default")
                        for k, v in presets.items() if v is not None]
        assumptions += [Item(f.name, provenance[f.name].value, _unit(f.name), f.name,
                             "given" if provenance[f.name].is_user else provenance[f.name].describe())
                        for f in fields.INPUTS if f.name in provenance]
        results = [_item(n, table[n][i]) for n in _FIT_RESULTS if n in table and table[n][i] is not None]
        notes = []
        if precision == "fp8" and table["precision"][i] != "FP8":
            notes.append(f"{key} has no published FP8 peak: its row uses the BF16 peak")
        records.append(Record(title=key, assumptions=assumptions, results=results, notes=notes,
                              heading=_FIT_HEADING))
    return Report(records, single=False, text=_fit_table)


def _fit_limits(args: argparse.Namespace, power_budget: Any) -> Report:
    """Several caps (power, critical-IT power, capital): the fleet under each, and the one that binds."""
    every = args.accelerator is not None and args.accelerator.strip().lower() == "all"
    if every or (args.accelerator is None and args.gpu_watts is None):
        raise ValueError("fit with --capex or --it-power needs one accelerator: --accelerator KEY or --gpu-watts W")
    caps = {"power_budget_w": power_budget, "it_budget_w": _command_value(args, "it_budget_w"),
            "capex_budget": _command_value(args, "capex_budget")}
    s, given = _scenario(args, args.accelerator, "fit", gpus=1.0)
    if caps["capex_budget"] is not None and (s.accelerator_cost is None or s.facility_cost_per_w is None):
        raise ValueError("--capex needs --accelerator-cost MONEY and --facility-cost-per-w MONEY_PER_W "
                         "(capital per accelerator and per watt of critical IT)")
    lim = limits.binding_limit(s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, **caps,
                               accelerator_cost=s.accelerator_cost, facility_cost_per_w=s.facility_cost_per_w,
                               redundancy=s.redundancy, electrical_share=s.electrical_share)
    chain = estimate(s.replace(gpus=lim["fleet_gpus"]))
    binding = lim["binding"]
    results = [Item("binding_limit", binding if isinstance(binding, str) else " | ".join(binding), "text",
                    "Binding limit"), _item("gpus", lim["fleet_gpus"])]
    results += [Item(f"gpus_under_{name}", gpus, "count", f"Accelerators the {label.lower()} allows")
                for name, label, gpus in zip(lim["limit"], lim["label"], lim["gpus"], strict=True)]
    results += _results(chain, skip=[i.key for i in results])
    assumptions = [Item(k, v, _unit(k), k, "given") for k, v in caps.items() if v is not None]
    assumptions += _assumptions(s, given, skip=("gpus",))
    return Report([Record(title=s.presets.get("accelerator") or "fit", assumptions=assumptions, results=results,
                          heading="Results (whole accelerators under every cap; the binding limit allows the "
                                  "fewest):")], single=False)


#: Columns of `estimator campus`'s block table, in order (campus.block_table's keys).
_CAMPUS_COLUMNS: tuple[str, ...] = ("gpus", "gpu_watts", "it_power_w", "facility_power_w", "h100_equivalents",
                                    "capex", "amortized_capex", "total_cost")
_CAMPUS_TIMELINE: tuple[str, ...] = ("gpus", "h100_equivalents", "facility_power_w", "energy_wh", "cost",
                                     "emissions_kg", "capex", "amortized_capex", "total_cost")


def _campus_label(name: str) -> str:
    return _label(name).strip()


def _campus(args: argparse.Namespace) -> Report:
    """A campus file (or a ready campus by name): one row per block and the totals; optionally its timeline."""
    from estimator import campus as campus_module

    if not args.file.strip():
        raise ValueError("campus needs a FILE or a ready campus's name (got an empty one; see "
                         "`estimator presets campuses`)")
    path = Path(args.file)
    if not path.exists() and (args.file in campus_module.campus_presets()
                              or path.suffix.lower() not in scenario_io.SUFFIXES):
        try:
            c = campus_module.campus_preset(args.file)
        except ValueError as exc:  # neither a file nor a ready campus: name the campus closest to it
            raise ValueError(f"{args.file}: no such file, and {exc}") from None
    else:
        c = scenario_io.load_campus(path)
    table = campus_module.block_table(c)
    total = campus_module.estimate(c)
    document: dict[str, Any] = {
        "blocks": [{k: _plain(table[k][i]) for k in table} for i in range(len(c))],
        "total": {"gpus": _plain(total.gpus), **{k: _plain(getattr(total, k)) for k in _CAMPUS_COLUMNS
                                                 if k not in ("gpus", "gpu_watts")}},
    }
    rows = [{"kind": "block", **row} for row in document["blocks"]]
    rows.append({"kind": "total", "name": "total", **document["total"]})
    window = [args.timeline, args.start, args.end]
    if any(v is not None for v in window):
        if args.start is None or args.end is None:
            raise ValueError("--timeline needs --start YYYY-MM-DD and --end YYYY-MM-DD")
        t = campus_module.timeline(c, args.start, args.end, args.timeline or "month")
        series = {k: getattr(t, k) for k in _CAMPUS_TIMELINE if k in t.field_names() and getattr(t, k) is not None}
        document["timeline"] = {"freq": args.timeline or "month", "dates": [str(d) for d in t.dates],
                                **{k: _plain(v) for k, v in series.items()}}
        rows += [{"kind": "period", "name": str(d), **{k: float(v[i]) for k, v in series.items()}}
                 for i, d in enumerate(t.dates)]

    def text(_: Report) -> str:
        columns = [k for k in _CAMPUS_COLUMNS if any(v is not None for v in table[k])]
        header = ["block", "online", "retires", *(_campus_label(k) for k in columns)]
        body = [[name, on or "—", off or "—", *(_format(_unit(k), table[k][i]) for k in columns)]
                for i, (name, on, off) in enumerate(zip(table["name"], table["online"], table["retire"],
                                                        strict=True))]
        body.append(["total", "", "", *(_format(_unit(k), document["total"].get(k)) if k != "gpu_watts"
                                        else "" for k in columns)])
        lines = ["Blocks (each at its own presets and values; totals summed over every block):",
                 *_table([header, *body])]
        if "timeline" in document:
            shown = [k for k in _CAMPUS_TIMELINE if k in document["timeline"]]
            lines.append(f"Timeline by {document['timeline']['freq']} (power and accelerators at each period's "
                         "start; energy and money over the period, prorated by day online):")
            lines += _table([["from", *(_campus_label(k) for k in shown)],
                             *[[d, *(_format(_unit(k), document["timeline"][k][i]) for k in shown)]
                               for i, d in enumerate(document["timeline"]["dates"])]])
        lines.append("Every input is an assumption; presets are nominal public figures, not measurements.")
        return _join(lines)

    return Report([], single=False, text=text, rows=rows, document=document)


def _default_methodology(provenance: dict[str, Any]) -> str | None:
    return next((o.preset for o in provenance.values() if o.origin == "default" and o.preset), None)


def _run_size(args: argparse.Namespace) -> tuple[Any, list[Item], bool]:
    """The run's compute: --flop, or 6 × --parameters × --tokens; the items echoed; whether it was derived."""
    flop = _command_value(args, "training_flop")
    parameters, tokens = _command_value(args, "parameters"), _command_value(args, "tokens")
    if flop is not None:
        if parameters is not None or tokens is not None:
            raise ValueError("give either --flop or --parameters and --tokens, not both")
        return flop, [Item("training_flop", flop, "FLOP", "training_flop", "given")], False
    if parameters is None or tokens is None:
        raise ValueError("train needs the run's size: --flop, or --parameters and --tokens")
    items = [Item("parameters", parameters, "count", "parameters", "given"),
             Item("tokens", tokens, "count", "tokens", "given")]
    return compute.training_flop(parameters, tokens), items, True


def _ready_run(args: argparse.Namespace) -> tuple[runs.TrainingRun, argparse.Namespace, dict[str, float],
                                                  list[Item], set[str]]:
    """``train --run``: the run, the options with its accelerator and precision filled in, its values
    (fleet, MFU, goodput) that apply where the options give none, its size as assumption items, and the
    presets and values the run filled."""
    run = runs.training_run(args.run)
    if any(getattr(args, n, None) is not None for n in ("training_flop", "parameters", "tokens")):
        raise ValueError("give either --run or the run's size (--flop, or --parameters and --tokens), not both")
    flop = run.flop
    if flop is None:
        raise ValueError(f"training run {run.key!r} published neither parameters and tokens nor training FLOP: "
                         "give --flop, or --parameters and --tokens, instead of --run")
    presets = {"accelerator": args.accelerator or run.accelerator,
               "precision": args.precision or (run.scenario_precision if args.accelerator is None else None)}
    filled = {k for k, v in presets.items() if v is not None and getattr(args, k) is None}
    args = argparse.Namespace(**{**vars(args), **presets})
    defaults = {name: getattr(run, name).value for name in ("gpus", "mfu", "goodput")
                if getattr(run, name) is not None and getattr(args, name, None) is None}
    filled |= set(defaults)
    where = f"run {run.key}"
    items = [Item("run", run.key, "text", "run", "given")]
    items += [Item(n, getattr(run, n).value, "count", n, where) for n in ("parameters", "active_parameters", "tokens")
              if getattr(run, n) is not None]
    basis = "6ND" if run.flop_6nd is not None else "reported"
    items.append(Item("training_flop", flop, "FLOP", "training_flop", f"{where} ({basis})"))
    return run, args, defaults, items, filled


def _train(args: argparse.Namespace) -> Report:
    ready = defaults = None
    filled: set[str] = set()
    if args.run is not None:
        ready, args, defaults, run, filled = _ready_run(args)
        flop, derived = ready.flop, False
    else:
        flop, run, derived = _run_size(args)
    deadline = None
    if args.deadline is not None:
        _no_range(args, "days", args.deadline)
        deadline = validate.field("training_time_s", _parse(args.deadline, "days", "days") * units.SECONDS_PER_DAY,
                                  label="days")
    elif args.training_time_s is not None:
        deadline = _command_value(args, "training_time_s")
    if args.gpus is not None and deadline is not None:
        raise ValueError("train needs exactly one of --gpus (→ time) or --days (→ fleet needed)")
    if args.gpus is None and deadline is None and (ready is None or ready.gpus is None):
        raise ValueError("train needs exactly one of --gpus (→ time) or --days (→ fleet needed)"
                         + ("" if ready is None else f"; run {ready.key!r} published no accelerator count"))
    if deadline is not None and defaults:
        defaults.pop("gpus", None)
        filled.discard("gpus")
    s, given = _scenario(args, args.accelerator, "train", gpus=None if deadline is None else 1.0,
                         defaults=defaults)
    if s.mfu is None:
        raise ValueError("train needs mfu: give --mfu (e.g. 0.4; Llama 3 405B reached 0.38-0.43 in BF16) "
                         "or a methodology that sets it; no MFU is assumed"
                         + ("" if ready is None else f"; run {ready.key!r} reports none"))
    if s.peak_flop_per_s is None:
        raise ValueError("train needs peak_flop_per_s: give --accelerator KEY or --peak-flop-per-s")
    first = [_item("training_flop", flop)] if derived else []
    where = "given" if ready is None else f"run {ready.key}"

    def echo(skip: Sequence[str]) -> list[Item]:
        items = _assumptions(s, given - filled, skip=skip, user=lambda n: where if n in filled else "given")
        for item in items:
            if item.key in filled:  # a preset the run named, not the default
                item.origin = where
        return [*run, *items]

    report, report_notes = [], []
    if ready is not None:
        versus = tables.run_versus_report(ready, s)
        report = _results(versus, [n for n in versus if n != "training_flop"])
        if ready.gpu_hours is None:
            report_notes.append(f"run {ready.key!r} published no accelerator-hours: nothing to set the estimate "
                                "against")
        if ready.note:
            report_notes.append(f"{ready.name}: {ready.note}")
    if deadline is None:
        table = tables.training_run(s, flop)
        results = [*first, *_results(table, [n for n in table if n != "training_flop"]), *report]
        notes = list(report_notes)
        if tables.longer_than_a_period(table["training_time_s"]):
            limit = fields.FIELDS["hours"].maximum
            notes.append(f"the run takes {units.format_value(float(np.max(table['training_time_s'])), 's')}, "
                         f"longer than the model's longest period ({limit:,.0f} h, about "
                         f"{units.format_value(limit, 'h')}): check the fleet size and units; its energy is "
                         "over the whole run")
        lost = "no downtime" if s.goodput is None else "at the goodput assumed"
        return Report([Record(title=where.removeprefix("run ") if ready else "train",
                              assumptions=echo(("hours",)), results=results, notes=notes,
                              heading=f"Results (the run on this fleet, wall clock, {lost}):")])
    table = tables.training_fleet(s, flop, deadline)
    order = ["gpus", "facility_power_w", "share_of_gigawatt", "accelerator_power_w", "it_power_w",
             "average_facility_power_w", "gpu_hours", *table]
    results = [*first, *_results(table, list(dict.fromkeys(order))), *report]
    run.append(Item("training_time_s", deadline, "s", "training_time_s", "given"))
    return Report([Record(title=where.removeprefix("run ") if ready else "train",
                          assumptions=echo(("gpus", "hours")), results=results, notes=report_notes,
                          heading="Results (the fleet that finishes the run in the time allowed, accelerators "
                                  "rounded up; energy over that time):")])


#: What serve shows of one query and of the fleet, in order (the registry's names and labels).
_SERVE_RESULTS = ("energy_per_token_j", "energy_per_query_wh", "queries_per_day")
_SERVE_FLEET = ("facility_power_w", "average_facility_power_w", "share_of_gigawatt", "energy_wh")
_DEMAND_RESULTS = ("gpus", "facility_power_w", "average_facility_power_w", "share_of_gigawatt", "energy_per_day_wh",
                   "energy_per_query_wh", "energy_per_token_j")


def _serve(args: argparse.Namespace) -> Report:
    demand = _command_value(args, "queries_per_day")
    share = _command_value(args, "serving_share")
    flop = _command_value(args, "training_flop")
    if (args.gpus is None) == (demand is None):
        raise ValueError("serve needs exactly one of --gpus (→ energy per query, queries a day) or "
                         "--queries-per-day (→ the fleet that serves them)")
    if demand is not None and (share is not None or flop is not None):
        raise ValueError("--serving-share and --flop split a given fleet: use them with --gpus, not with "
                         "--queries-per-day")
    preset = {} if args.query is None else serving.query(args.query).assumptions()
    from_query = {k for k in preset if getattr(args, k, None) is None}
    for name in from_query:
        setattr(args, name, [repr(preset[name])])
    s, given = _scenario(args, args.accelerator, "serve", gpus=None if demand is None else 1.0)
    for name, option in (("tokens_per_s_per_gpu", "3k"), ("tokens_per_query", "500")):
        if getattr(s, name) is None:
            raise ValueError(f"serve needs {name}: give {fields.FIELDS[name].option} (e.g. {option})"
                             + (" or --query KEY" if name == "tokens_per_query" else "") + "; none is assumed")
    user = (lambda n: f"query {args.query}" if n in from_query else "given")  # noqa: E731
    skip = ("gpus",) if demand is not None else ()
    assumptions = _assumptions(s, given, skip=skip, user=user)
    if demand is not None:
        fleet = serving.fleet_for_queries(s, demand)
        r = estimate(s.replace(gpus=fleet["gpus"]))
        values = {**fleet, "energy_per_query_wh": r.energy_per_query_wh, "energy_per_token_j": r.energy_per_token_j}
        asked = Item("queries_per_day", demand, _unit("queries_per_day"), "queries_per_day", "given")
        return Report([Record(title="serve", assumptions=[asked, *assumptions],
                              results=_results(values, _DEMAND_RESULTS),
                              heading="Results (the fleet that serves the demand at its load factor, accelerators "
                                      "rounded up):", equivalents=_equivalents(r.average_facility_power_w))])
    f = serving.query_footprint(s)
    if f["energy_per_query_wh"] is None:  # input tokens without a prefill throughput
        serving.query_seconds(1, 1, s.input_tokens_per_query, None)  # raises, naming what is missing
    r = estimate(s)
    results = _results(f, _SERVE_RESULTS)
    results.append(_item("load_factor", f["load_factor"]))
    notes = ["load factor: the utilization, as none is given (average ÷ full-load throughput)"
             ] if f["load_factor_is_default"] else []
    results += _results({**r.to_dict(), "share_of_gigawatt": tables.share_of_gigawatt(r.facility_power_w)},
                        _SERVE_FLEET)
    record = Record(title="serve", assumptions=assumptions, results=results, notes=notes,
                    heading="Results (at the average load; energy per token counts output tokens only):",
                    equivalents=_equivalents(r.average_facility_power_w))
    report = Report([record])
    if share is not None or flop is not None:
        split = tables.fleet_split(s, 0.5 if share is None else share,
                                   tables.LLAMA3_405B_TRAINING_FLOP if flop is None else flop)
        record.assumptions.insert(0, Item("serving_share", split["serving"]["share"], "ratio", "serving_share",
                                          "given" if share is not None else "default"))
        record.assumptions.insert(1, Item("training_flop", flop if flop is not None else
                                          tables.LLAMA3_405B_TRAINING_FLOP, "FLOP", "training_flop",
                                          "given" if flop is not None else "default: Llama 3 405B"))
        report.document = {**_json_record(record), "split": _plain_tree(split)}
        report.text = functools.partial(_serve_text, split=split)
    return report


#: What `estimator swing` shows, in order (power.load_swing's keys).
_SWING_RESULTS = ("job_gpus", *power.SWING_PARTS, "swing_w", "step_w", "share_of_facility", "step_share_of_facility")


def _swing(args: argparse.Namespace) -> Report:
    s, given = _scenario(args, args.accelerator, "swing")
    chosen = {name: _command_value(args, name) for name in _COMMAND_FIELDS["swing"]}
    defaults = power.SWING_ASSUMPTIONS
    asked = []
    for name, value in chosen.items():
        if value is not None:
            asked.append(Item(name, value, "ratio", "", "given"))
        elif name in defaults:
            source = defaults[name].source
            asked.append(Item(name, defaults[name].value, "ratio", "", "default: " + (
                "an assumption" if source.startswith("Assumption") else source.split(";")[0].split(":")[0])))
        else:
            asked.append(Item(name, 1.0, "ratio", "", "default: the whole fleet"))
    used = {i.key: i.value for i in asked}
    swing = power.load_swing(s.gpus, s.gpu_watts, used.pop("idle_fraction"), used.pop("job_share"),
                             estimate(s).facility_power_w, server_overhead=s.server_overhead, pue=s.pue, **used)
    return Report([Record(title="swing", assumptions=[*asked, *_assumptions(s, given)],
                          results=_results(swing, _SWING_RESULTS),
                          heading="Results (a perfectly synchronized job; stragglers and power smoothing make "
                                  "real swings smaller):")])


def _plain_tree(value: Any) -> Any:
    """A nested dict of numbers and arrays as JSON-ready lists and floats."""
    if isinstance(value, dict):
        return {k: _plain_tree(v) for k, v in value.items()}
    return _plain(value)


def _equivalents(average_power_w: Any) -> list[dict[str, Any]]:
    """Everyday equivalents of one average draw (none for several cases: one line each would mislead)."""
    if average_power_w is None or np.ndim(average_power_w) != 0:
        return []
    return footprint.equivalents(average_power_w=average_power_w)


def _serve_text(report: Report, split: dict[str, dict[str, Any]]) -> str:
    """serve's layout with the split: the record, then serving and training side by side."""
    lines = [_record_text(report.records[0]).rstrip("\n")]
    lines.append("Split of the fleet (both parts at the fleet's chain and utilization):")

    def cell(item: Item) -> str:
        return units.format_value(None, "count") if item.value is None else " | ".join(_cells(item, _shape([item])))

    rows = [[_label(n), *(cell(_item(n, part[n])) for part in split.values())] for n in tables.SPLIT_ROWS]
    header = ["", *(f"{side} ({cell(Item(side, part['share'], '%'))})" for side, part in split.items())]
    lines += _table(rows, columns=header)
    return _join(lines)


def _replace_presets(mapping: dict[str, Any], names: dict[str, Any]) -> None:
    """Apply presets named on the command line to a file's pairs.

    A preset named here that differs from the file's replaces it, so the values the file recorded
    for its presets (with its catalogue version) no longer apply: today's catalogue gives them."""
    if any(mapping.get(k) != v for k, v in names.items()):
        for key in scenario_io.CATALOG_KEYS:
            mapping.pop(key, None)
    mapping.update(names)


def _run(args: argparse.Namespace) -> Report:
    given = _given_fields(args)  # checked here, so that a wrong option is not blamed on a file
    names = {k: v for k, v in _preset_names(args).items() if v is not None}
    records = []
    for path in args.files:
        mapping = scenario_io.load_mapping(path)
        in_file = {k for k in mapping if k in fields.PRESETS}
        _replace_presets(mapping, names)
        mapping.update({k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in given.items()})
        try:
            s = scenario_io.scenario_from_dict(mapping, source=str(path))
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{path}: {exc}") from None
        metadata = {k: mapping[k] for k in scenario_io.METADATA_KEYS if k in mapping}
        assumptions = _assumptions(s, set(names), file=in_file - set(names),
                                   user=lambda n: "given" if n in given else "file")
        results = _results(estimate(s))
        records.append(Record(title=metadata.get("name", str(path)), labels={"file": str(path), **metadata},
                              assumptions=assumptions, results=results,
                              notes=_absent(s.to_dict(), {i.key for i in results}, fields.outputs())))
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
    names: dict[str, Any] = {}
    for key in ("accelerator", "methodology", "site"):  # checked here: a wrong name is not the file's
        name = getattr(args, key)
        if name is not None:
            names[key] = getattr(catalog, key)(name).key
    if args.precision is not None:
        names["precision"] = args.precision
    if args.date is not None:
        names["date"] = resolve.check_date(args.date)
    _replace_presets(mapping, names)
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
    return mapping, origins, labels


def _short(unit: str, value: float) -> str:
    """A value for a range's description: as in the tables, durations without the hours."""
    return _format(unit, value)


def _describe(unit: str, spec: distributions.Spec) -> str:
    """A range for people: its distribution and the values that define it."""
    if isinstance(spec, distributions.Fixed):
        return "fixed"
    if isinstance(spec, distributions.Uniform):
        return f"uniform {_short(unit, spec.low)} .. {_short(unit, spec.high)}"
    if isinstance(spec, distributions.Triangular):
        return (f"triangular {_short(unit, spec.low)} / {_short(unit, spec.likely)} / "
                f"{_short(unit, spec.high)} (low / likely / high)")
    return (f"lognormal median {_short(unit, spec.median)}, P95 {_short(unit, spec.high)} "
            f"(P5 {_short(unit, spec.low)})")


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
    defaults: dict[str, str] = field(default_factory=dict)  # field → source of its default range

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
        # the one resolution, with provenance
        s, specs = scenario_io.uncertain_from_dict(mapping, source=args.file)
    except (ValueError, TypeError) as exc:  # what is left to go wrong came from the file
        raise type(exc)(f"{args.file}: {exc}" if args.file else str(exc)) from None
    for name in Scenario.field_names():
        if np.ndim(getattr(s, name)) != 0:
            raise ValueError(f"{args.file}: {name} is an array; `estimator uncertainty` takes one value or one "
                             f"range per assumption (e.g. {name} = \"LOW..HIGH\")")
    defaults: dict[str, str] = {}
    if args.default_ranges is not None:
        specs, defaults = _with_default_ranges(s, specs, mapping.get("accelerator"), args.default_ranges)
    given = {k for k in scenario_io.PRESET_KEYS if getattr(args, k) is not None}
    presets = {i.key: (i.value, i.origin) for i in _preset_items(s, given, set(mapping) - given)}
    field_origins = {name: _origin(s, name, lambda n: origins.get(n, "given")) for name in s.provenance}
    available = uncertainty.evaluate(s)
    outputs = list(args.outputs) if args.outputs else [
        *DEFAULT_OUTPUTS, *(o for o in (*PERIOD_OUTPUTS, *SERVING_OUTPUTS) if o in available)]
    sensitivity = args.sensitivity_output or outputs[0]
    likely = uncertainty.evaluate(s, outputs)  # also refuses an unknown or unavailable output
    uncertainty.evaluate(s, [sensitivity])  # even when no range varies (the tables are then empty)
    # Past one block, evaluate block by block: the same numbers, without every Estimate field at full n.
    progress = None if n <= uncertainty.PROGRESS_BLOCK else (lambda done, total: None)
    analysis = _Analysis(
        labels=labels,
        presets=presets, scenario=s, specs=specs, origins=field_origins, outputs=outputs, percentiles=percentiles,
        likely=likely,
        result=uncertainty.monte_carlo(specs, n=n, seed=seed, outputs=outputs, percentiles=percentiles, base=s,
                                       progress=progress),
        sensitivity=sensitivity,
        tornado=uncertainty.tornado(specs, sensitivity, base=s) if args.tornado else None,
        sobol=uncertainty.sobol_first_order(specs, sensitivity, n=sobol_n, seed=seed, base=s) if args.sobol else None,
        defaults=defaults,
    )
    return Report([], text=lambda _: _uncertainty_text(analysis), rows=_uncertainty_rows(analysis),
                  document=_uncertainty_document(analysis))


def _with_default_ranges(s: Scenario, specs: dict[str, distributions.Spec], accelerator: str | None,
                         shape: str) -> tuple[dict[str, distributions.Spec], dict[str, str]]:
    """The given ranges, and every other assumption's default range; field → the default's source."""
    if accelerator is None:
        raise ValueError("--default-ranges needs --accelerator KEY (or an accelerator in the FILE): the "
                         "methodologies' spread of server overhead depends on the accelerator")
    filled: dict[str, distributions.Spec] = {}
    sources: dict[str, str] = {}
    for name, d in uncertainty.default_ranges(s, accelerator, distribution=shape).items():
        if name in specs:
            filled[name] = specs[name]
            continue
        spec = distributions.spec_from_range(name, d["low"], d["likely"], d["high"], shape)
        if not isinstance(spec, distributions.Fixed):
            filled[name], sources[name] = spec, d["source"]
    return filled, sources


def _uncertainty_results(a: _Analysis) -> dict[str, dict[str, float]]:
    """Output → {"likely": ..., "p5": ..., ...} [the output's base unit]."""
    return {name: {"likely": float(a.likely[name]),
                   **{_percentile_key(p): float(v) for p, v in a.result.percentiles[name].items()}}
            for name in a.outputs}


def _uncertainty_document(a: _Analysis) -> dict[str, Any]:
    """JSON: base units; each range as the table a scenario file takes."""
    assumptions: dict[str, Any] = {k: v for k, (v, _) in a.presets.items()}
    assumptions.update((name, value if spec is None else spec.to_dict()) for name, value, spec, _ in a.fields())
    provenance = {k: origin for k, (_, origin) in a.presets.items()}
    provenance.update((name, origin) for name, _, _, origin in a.fields())
    document: dict[str, Any] = {**a.labels, "samples": a.result.n, "seed": a.result.seed,
                                "percentiles": a.percentiles, "assumptions": assumptions,
                                "provenance": provenance, "results": _uncertainty_results(a)}
    if a.result.clipped:
        document["clipped"] = a.result.clipped
    if a.defaults:
        document["default_ranges"] = a.defaults
    if a.tornado is not None:
        document["tornado"] = {"output": a.sensitivity, "band": list(uncertainty.TORNADO_BAND),
                               "rows": [row._asdict() for row in a.tornado]}
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
    rows = [[_heading("assumption"), "value", "range", _heading("origin")]]
    rows += [[key, value, "", f"({origin})"] for key, (value, origin) in a.presets.items()]
    for name, value, spec, origin in a.fields():
        unit = _unit(name)
        described = "" if spec is None else _describe(unit, spec) + (" [default]" if name in a.defaults else "")
        rows.append([name, _short(unit, value), described, f"({origin})"])
    lines += _table(rows)
    if a.defaults:
        lines.append("  [default]: the library's default range, centred on the value (see "
                     "estimator.uncertainty.default_ranges for each one's basis)")
    lines.append(f"Results (Monte Carlo, {a.result.n:,} samples, seed {a.result.seed}; percentiles of the outputs "
                 "given the assumed ranges):")
    rows = [[_heading("output"), "at likely values", *(f"P{p:g}" for p in a.percentiles)]]
    for name in a.outputs:
        unit, label = _unit(name), _label(name)
        rows.append([label, _format(unit, a.likely[name]),
                     *(_format(unit, a.result.percentiles[name][p]) for p in a.percentiles)])
    lines += _table(rows)
    if all(isinstance(spec, distributions.Fixed) for spec in a.specs.values()):
        lines.append("  (no ranges given: every percentile is the single estimate)")
    for name, share in a.result.clipped.items():
        if share > 0:
            lines.append(f"  note: {share:.2%} of the {name} samples fell outside its valid values and were "
                         "moved to the nearest valid value (a log-normal tail)")
    unit, label = _unit(a.sensitivity), _label(a.sensitivity).strip()
    if a.tornado is not None:
        low, high = (f"P{p:g}" for p in uncertainty.TORNADO_BAND)
        lines.append(f"Tornado for {label}: each range from its own {low} to its own {high} (the same band for "
                     "every distribution), the others at their likely values, largest swing first:")
        rows = [[_heading("assumption"), f"{low} .. {high}", f"output at {low}", f"output at {high}", "swing"]]
        for row in a.tornado:
            field_unit = _unit(row.field)
            rows.append([row.field, f"{_short(field_unit, row.low_value)} .. {_short(field_unit, row.high_value)}",
                         _format(unit, row.output_at_low), _format(unit, row.output_at_high),
                         _format(unit, row.swing)])
        lines += _table(rows) if a.tornado else ["  (no ranges given)"]
    if a.sobol is not None:
        lines.append(f"Sobol variance shares of {label} (first-order S_i: that range alone; total S_Ti: with its "
                     f"interactions; Saltelli et al. 2010; N = {a.sobol.n:,}):")
        if a.sobol.first_order:
            rows = [[_heading("assumption"), "first-order", "total"]]
            rows += [[k, f"{v:.3f}", f"{a.sobol.total_order[k]:.3f}"] for k, v in a.sobol.first_order.items()]
            lines += _table(rows)
            lines.append(f"  interactions (1 - sum of S_i): {a.sobol.interactions:.3f}")
        else:
            lines.append("  (no ranges given)")
    return _join(lines)


#: What `estimator presets` lists (all of them by default).
PRESET_KINDS: tuple[str, ...] = ("accelerators", "methodologies", "sites", "clusters", "runs", "campuses")


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
    wanted = [args.kind] if args.kind else list(PRESET_KINDS)
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
    if "runs" in wanted:
        for key, run in runs.training_runs().items():
            rows += _sourced_rows("run", key, run.name, {name: getattr(run, name) for name in runs.SOURCED_FIELDS})
    if "campuses" in wanted:
        from estimator import campus as campus_module

        for key, ready in campus_module.campus_presets().items():
            for block in ready.blocks:
                field = "gpus" if "gpus" in block else "facility_power_w"
                rows.append({"kind": "campus", "key": key, "name": ready.name,
                             "field": f"{field}[{block['name']}: {block['accelerator']}, online {block['online']}]",
                             "value": block[field], "unit": fields.unit(field), "source": block["source"],
                             "note": block["note"], "confirmed": block["confirmed"]})
    return Report([], single=False, text=_presets_text, rows=rows)


def _shape(items: Sequence[Item]) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(i.value) for i in items if not isinstance(i.value, str)))


def _cells(item: Item, shape: tuple[int, ...]) -> list[str]:
    """The item formatted once per case of the broadcast shape."""
    if isinstance(item.value, str) or shape == ():
        return [_format(item.unit, item.value, echo_hours=True)] * max(1, math.prod(shape))
    flat = np.broadcast_to(item.value, shape).ravel()
    return [_format(item.unit, x, echo_hours=True) for x in flat]


def _table(rows: list[list[str]], indent: str = "  ", columns: Sequence[str] | None = None,
           text_header: bool = True) -> list[str]:
    """Rows as aligned text, or in Markdown a GitHub table; its header is ``columns``, else the first row.

    A text table shows ``columns`` only with ``text_header``; a Markdown table always has a header.
    """
    if columns is not None and (text_header or _MARKDOWN.get()):
        rows = [list(columns), *rows]
    if _MARKDOWN.get():
        return _markdown_table(rows)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _heading(name: str) -> str:
    """A column heading text tables leave blank (the row labels), which a Markdown table names."""
    return name if _MARKDOWN.get() else ""


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def _markdown_table(rows: list[list[str]]) -> list[str]:
    """A GitHub Markdown table, the first row its header; numbers (a digit or $ first) right-aligned."""
    header, body = rows[0], rows[1:]

    def numeric(i: int) -> bool:
        cells = [row[i].strip() for row in body if row[i].strip() not in ("", "—")]
        return bool(cells) and all(re.match(r"^[-+$]?\d", c) for c in cells)

    keep = [i for i in range(len(header)) if any(row[i].strip() for row in rows)]  # no empty columns
    header, body = [header[i] for i in keep], [[row[i] for i in keep] for row in body]
    align = ["---:" if numeric(i) else "---" for i in range(len(header))]
    lines = [header, align, *body]
    return ["\x00| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in lines]


def _join(lines: list[str]) -> str:
    """The lines of a text layout as one string; in Markdown, headings, paragraphs, tables and notes."""
    if not _MARKDOWN.get():
        return "\n".join(lines) + "\n"
    out: list[str] = []
    previous = ""
    for line in lines:
        if line.startswith("\x00"):  # a table row
            kind, line = "table", line[1:]
        elif line.startswith("== ") and line.endswith(" =="):
            kind, line = "heading", f"## {line[3:-3]}"
        elif line.lstrip().startswith(("note:", "(", "≈")):  # notes and equivalences: a list
            kind, line = "note", f"- {line.strip()}"
        else:
            kind, line = "text", line.strip()
        if out and (kind != previous or kind in ("heading", "text")):
            out.append("")
        out.append(line)
        previous = kind
    return "\n".join(out) + "\n"


def _record_text(record: Record) -> str:
    shape = _shape(record.items())
    lines = []
    if record.title and record.labels:
        lines.append(f"== {record.title} ==")
        lines += [f"{k}: {v}" for k, v in record.labels.items() if v != record.title]
    cases = [f"case {list(i)}" if len(shape) > 1 else f"case {i[0]}" for i in np.ndindex(shape)] if shape else ["value"]
    md = _MARKDOWN.get()
    lines.append(_ASSUMPTIONS_HEADING)
    rows = [[i.label or i.key, *_cells(i, shape), f"({i.origin})" if i.origin else ""]
            for i in record.assumptions]
    columns = ["assumption" if md else "", *cases, "origin" if md else ""]
    lines += _table(rows, columns=columns, text_header=shape != ()) if rows else []
    lines.append(record.heading)
    rows = [[i.label or i.key, *_cells(i, shape), ""] for i in record.results]
    columns = ["result" if md else "", *cases, ""]
    lines += _table(rows, columns=columns, text_header=shape != ())
    lines += [f"  note: {note}" for note in record.notes]
    if record.equivalents:
        lines.append("Everyday equivalents of the average facility draw (equivalences, not measurements):")
        lines += [f"  {e['text']}" for e in record.equivalents]
    return _join(lines)


def _fit_table(report: Report) -> str:
    """Every accelerator side by side: the assumptions they share once, then one row each."""
    first = report.records[0]
    per_row = {"accelerator", "precision", *_FIT_COLUMNS}
    values = {i.key: [] for i in first.assumptions}
    for record in report.records:
        for i in record.assumptions:
            values.setdefault(i.key, []).append(i.value)
    lines = [_ASSUMPTIONS_HEADING]
    rows = []
    for i in first.assumptions:
        if i.key in per_row:
            continue
        same = all(np.array_equal(v, i.value) for v in values[i.key]) and len(values[i.key]) == len(report.records)
        shown = " | ".join(_cells(i, _shape([i]))) if same else "(by accelerator)"
        rows.append([i.label or i.key, shown, f"({i.origin})" if i.origin and same else ""])
    lines += _table(rows, columns=["assumption", "value", "origin"], text_header=False)
    lines.append("Results (one row per catalogue accelerator, its own preset values; whole accelerators that fit "
                 "the budget at full load):")
    columns = [k for k in _FIT_COLUMNS if any(k in {i.key for i in r.items()} for r in report.records)]
    fp8 = any(i.key == "precision" and i.value != "bf16" for r in report.records for i in r.assumptions) or any(
        r.notes for r in report.records)
    header = ["accelerator", *(["precision"] if fp8 else []), *(_label(k).strip() for k in columns)]
    table = [header]
    for record in report.records:
        items = {i.key: i for i in record.items()}

        def cell(key: str, items: dict[str, Item] = items) -> str:
            item = items.get(key)
            return _format("text", None) if item is None else " | ".join(_cells(item, _shape([item])))

        table.append([cell("accelerator"), *([cell("precision")] if fp8 else []), *(cell(k) for k in columns)])
    lines += _table(table)
    lines += [f"  note: {note}" for r in report.records for note in r.notes]
    given = {i.key: i.value for i in first.assumptions}
    lines += [f"  note: {note}" for note in _absent(given, set(columns), ["sustained_flop_per_s", "flop_in_period"])]
    return _join(lines)


def _presets_text(report: Report) -> str:
    if _MARKDOWN.get():
        return _presets_markdown(report)
    lines: list[str] = []
    current = None
    for row in report.rows or []:
        if (row["kind"], row["key"]) != current:
            current = (row["kind"], row["key"])
            lines.append(f"{row['kind']} {row['key']}: {row['name']}")
        name = row["field"].split("[")[0]
        shown = _format(_unit(name), row["value"])
        flag = "" if row["confirmed"] else " (unconfirmed: secondary source or derived)"
        lines.append(f"  {row['field']} = {shown}{flag}")
        lines.append(f"      source: {row['source']}")
    lines.append("Presets are nominal public figures used as assumptions, not measurements.")
    return "\n".join(lines) + "\n"


def _presets_markdown(report: Report) -> str:
    """The presets as one Markdown table, a row per value with its source."""
    rows = [["kind", "key", "name", "field", "value", "confirmed", "source"]]
    for row in report.rows or []:
        shown = _format(_unit(row["field"].split("[")[0]), row["value"])
        rows.append([row["kind"], row["key"], row["name"], row["field"], shown,
                     "yes" if row["confirmed"] else "no (secondary source or derived)", row["source"]])
    lines = [*_table(rows), "Presets are nominal public figures used as assumptions, not measurements."]
    return _join(lines)


def _plain(value: Any) -> Any:
    return value.tolist() if isinstance(value, np.ndarray) else value


def _json_record(record: Record) -> dict[str, Any]:
    document = {**record.labels, "catalog": catalog.VERSION,
                "assumptions": {i.key: _plain(i.value) for i in record.assumptions},
                "provenance": {i.key: i.origin for i in record.assumptions if i.origin},
                "results": {i.key: _plain(i.value) for i in record.results}}
    if record.notes:
        document["notes"] = list(record.notes)
    if record.equivalents:  # apart from the results: comparisons, not outputs of the model
        document["equivalents"] = [{k: _plain(e[k]) for k in ("key", "value", "label", "kind", "source")}
                                   for e in record.equivalents]
    return document


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
    """The report as text, Markdown, JSON or CSV."""
    if format == "json":
        if report.document is not None:
            document: Any = report.document
            if isinstance(document, dict) and report.catalogue:
                document = {**document, "catalog": catalog.VERSION}
        elif report.rows is not None:
            document = report.rows
        elif report.single:
            document = _json_record(report.records[0])
        else:
            document = [_json_record(r) for r in report.records]
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if format == "csv":
        rows = _flat_rows(report)
        if report.rows is None and report.catalogue:  # the catalogue of each result's presets, as a column
            rows = [{**row, "catalog": catalog.VERSION} for row in rows]
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        buffer = StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    token = _MARKDOWN.set(format == "markdown")
    try:
        text = report.text(report) if report.text is not None else "\n".join(_record_text(r) for r in report.records)
        if report.catalogue:
            text += ("\n" if format == "markdown" else "") + f"presets: catalogue {catalog.VERSION}\n"
        return text
    finally:
        _MARKDOWN.reset(token)


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
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", resolve.CatalogueWarning)
            report = args.handler(args)
        for w in caught:  # a file of another catalogue: said on stderr, the results still on stdout
            if issubclass(w.category, resolve.CatalogueWarning):
                print(f"{PROG}: warning: {' '.join(str(w.message).split())}", file=sys.stderr)
            else:
                warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        text = render(report, args.format)
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
