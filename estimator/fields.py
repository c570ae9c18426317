"""The field registry: every input and output of the model, declared once.

Each :class:`Field` holds every fact about one quantity: its name, its unit,
the rule its values obey and a sanity ceiling, its label and help text, its
default, and how a door shows it (command-line option, dashboard widget, link
parameter). Validation (:mod:`estimator.validate`), the ``Scenario`` and
``Estimate`` objects, scenario files (:mod:`estimator.io`), the command line
(:mod:`estimator.cli`), share links (:mod:`estimator.links`), the dashboard's
widgets and every label a door prints are derived from this module; none of
them keeps a list of its own.

Adding an input is one entry in :data:`INPUTS` plus its formula in the chain
(``estimator.scenario``).

Examples
--------
>>> from estimator import fields
>>> fields.FIELDS["pue"].unit, fields.FIELDS["pue"].rule
('ratio', 'at_least_one')
>>> fields.FIELDS["pue"].option
'--pue'
>>> fields.label("facility_power_w")
'Facility power, full load'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

Rule = Literal["positive", "nonnegative", "at_least_one", "fraction", "any"]
Role = Literal["input", "command", "output"]
Widget = Literal["number", "text", "none"]

#: The unit of a field as :func:`estimator.units.parse` reads it, and as a
#: document or a table header writes it.
UNIT_TEXT: dict[str, str] = {
    "count": "count", "W": "W", "ratio": "unitless", "h": "h", "s": "s", "$/kWh": "currency/kWh",
    "kg/kWh": "kg CO2e/kWh", "L/kWh": "L/kWh", "FLOP/s": "FLOP/s", "FLOP": "FLOP", "Wh": "Wh",
    "$": "currency", "kg": "kg CO2e", "L": "L", "GPU-h": "GPU-h", "runs": "runs",
    "$/W": "currency/W", "years": "years", "tokens/s": "tokens/s", "J": "J",
}


@dataclass(frozen=True)
class Field:
    """Everything the doors need to know about one quantity.

    Parameters
    ----------
    name : str
        Canonical name, as in the library, files, links and JSON output.
    unit : str
        Base unit, a target of :func:`estimator.units.parse`; a bare number
        at any door is read in it (``"W"``, ``"ratio"``, ``"count"``, ...).
    label : str
        Short display label, in sentence case.
    help : str
        One line on what the quantity means (shown as help text).
    role : {"input", "command", "output"}
        ``"input"``: a Scenario field; ``"command"``: an input of one
        question (a budget, a training run); ``"output"``: a result.
    rule : str, optional
        The range every value must lie in (see :mod:`estimator.validate`).
    maximum : float, optional
        A sanity ceiling against typos and unit slips (inclusive).
    minimum : float, optional
        A floor (inclusive), only where a smaller valid value would overflow an output.
    default : float, optional
        The value of an explicit ``Scenario(...)`` that leaves it out; None
        means the assumption is absent (outputs that need it are None).
    required : bool
        Whether a Scenario needs it.
    example : str
        Spellings a user may type, for help texts.
    group : str
        Where the dashboard's sidebar shows an input: ``"fleet"``,
        ``"chain"`` or ``"period"``.
    widget : {"number", "text", "none"}
        A number box, a text box read by the unit parser, or no widget.
    widget_unit : str, optional
        Unit the widget shows, if not ``unit`` (e.g. TFLOP/s).
    widget_range : tuple of float, optional
        Closed range of the widget, in ``widget_unit``; default from the rule.
    step : float
        Step of a number box.
    decimals : int
        Decimals a number box shows.
    needs : tuple of str
        For an output: the optional inputs it cannot be computed without.
    aliases : tuple of str
        Shorter command-line options that mean the same (``--power``).
    ratio_of : tuple of str, optional
        For an output that is a ratio of two sums (numerator, denominator): how a campus of
        blocks recomputes it rather than summing it.
    additive : bool
        Whether an output sums over a campus's blocks; False (and no ``ratio_of``) leaves it
        absent for a campus rather than wrong.
    """

    name: str
    unit: str
    label: str
    help: str
    role: Role = "input"
    rule: Rule = "any"
    maximum: float | None = None
    minimum: float | None = None
    default: float | None = None
    required: bool = False
    example: str = ""
    group: str = ""
    widget: Widget = "number"
    widget_unit: str | None = None
    widget_range: tuple[float, float] | None = None
    step: float = 0.01
    decimals: int = 3
    needs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ratio_of: tuple[str, str] | None = None
    additive: bool = True

    @property
    def option(self) -> str:
        """Command-line option, e.g. ``--gpu-watts``."""
        return "--" + self.name.replace("_", "-")

    @property
    def param(self) -> str:
        """Share-link parameter: the field's own name."""
        return self.name

    @property
    def unit_text(self) -> str:
        """The unit as a document or table header writes it, e.g. ``"currency/kWh"``."""
        return UNIT_TEXT.get(self.unit, self.unit)

    @property
    def optional(self) -> bool:
        """Whether an absent value is allowed (outputs that need it are then None)."""
        return not self.required and self.default is None

    @property
    def help_with_unit(self) -> str:
        """Help text with the unit in brackets and examples, as the command line shows it."""
        text = f"{self.help} [{self.unit_text}]"
        return f"{text}, e.g. {self.example}" if self.example else text

    @property
    def widget_label(self) -> str:
        """Label with the unit the widget shows, e.g. ``"Accelerator power [W]"``."""
        unit = self.widget_unit or self.unit_text
        return f"{self.label} [{unit}]"


def _input(name: str, unit: str, label: str, help: str, rule: Rule, maximum: float | None, **kw) -> Field:
    return Field(name, unit, label, help, "input", rule, maximum, **kw)


def _command(name: str, unit: str, label: str, help: str, rule: Rule, maximum: float | None, **kw) -> Field:
    return Field(name, unit, label, help, "command", rule, maximum, widget=kw.pop("widget", "text"), **kw)


def _output(name: str, unit: str, label: str, help: str = "", rule: Rule = "any",
            maximum: float | None = None, needs: tuple[str, ...] = (),
            ratio_of: tuple[str, str] | None = None, additive: bool = True) -> Field:
    # An output's rule applies where a question takes it as an input (a power budget).
    return Field(name, unit, label, help or label, "output", rule, maximum, widget="none", needs=needs,
                 ratio_of=ratio_of, additive=additive and ratio_of is None)


#: The Scenario's fields, in the order every door lists them. The ceilings are
#: far above anything built or planned (a 1 GW site holds about 10^6
#: accelerators) and keep every output finite in float64.
INPUTS: tuple[Field, ...] = (
    _input("gpus", "count", "Accelerators in the fleet", "accelerators (GPUs, TPUs, ...) in the fleet",
           "positive", 1e9, required=True, example="100000, 100,000, 100k", group="fleet", widget="text",
           widget_range=(1.0, 1e9), step=1000.0, decimals=0),
    _input("gpu_watts", "W", "Accelerator power", "power of one accelerator at full load (nameplate TDP/TGP "
           "unless known better)", "positive", 1e6, required=True, example="700, 700W, '1.2 kW'", group="fleet",
           widget_range=(1.0, 1e6), step=10.0, decimals=0),
    _input("peak_flop_per_s", "FLOP/s", "Peak per accelerator", "dense peak of one accelerator at the chosen "
           "precision, without sparsity", "positive", 1e18, example="'989 TFLOP/s'", group="fleet",
           widget_unit="TFLOP/s", widget_range=(1e-3, 1e6), step=10.0, decimals=1),
    _input("mfu", "ratio", "MFU", "model FLOPs utilization: achieved ÷ peak FLOP/s of a training job, "
           "relative to the chosen precision's peak", "fraction", None, example="0.4 or 40%",
           group="fleet", widget_range=(0.01, 1.0), step=0.01, decimals=3),
    _input("goodput", "ratio", "Goodput", "share of wall time doing useful training (restarts, checkpoints and "
           "failures excluded); absent means 1, no time lost; divides the useful compute rate", "fraction", None,
           example="0.9 or 90%", group="fleet", widget_range=(0.01, 1.0), step=0.01, decimals=3),
    _input("server_overhead", "ratio", "Server overhead", "server wall power ÷ accelerator power at full load "
           "(host CPUs, memory, NICs, fans, PSU loss)", "at_least_one", 10.0, default=1.0, example="1.82",
           group="chain", widget_range=(1.0, 10.0)),
    _input("network_overhead", "ratio", "Network overhead", "cluster IT power ÷ server power (switches, "
           "optics, storage, management)", "at_least_one", 10.0, default=1.0, example="1.10", group="chain",
           widget_range=(1.0, 10.0)),
    _input("pue", "ratio", "PUE", "power usage effectiveness: facility power ÷ IT power (cooling, power "
           "conversion)", "at_least_one", 10.0, default=1.0, example="1.2", group="chain",
           widget_range=(1.0, 10.0)),
    _input("utilization", "ratio", "Utilization", "average ÷ full-load draw over the period; sets the average "
           "draw and the energy", "fraction", None, default=1.0, example="0.75 or 75%", group="chain",
           widget_range=(0.01, 1.0), decimals=2),
    _input("hours", "h", "Period", "length of the period that energy, cost, emissions and water are over",
           "positive", 1e6, example="8760, '1 year', '90 days'", group="period", widget="text",
           step=24.0, decimals=0),
    _input("electricity_price", "$/kWh", "Electricity price", "price of energy", "nonnegative", 1e3,
           example="0.08 or '80 USD/MWh'", group="period", widget_range=(0.0, 1e3), decimals=4),
    _input("carbon_intensity", "kg/kWh", "Grid carbon intensity", "grid emissions factor, location-based",
           "nonnegative", 10.0, example="0.4 or '400 g/kWh'", group="period", widget_range=(0.0, 10.0)),
    _input("wue", "L/kWh", "WUE", "water usage effectiveness: site water ÷ IT energy", "nonnegative", 100.0,
           example="0.3", group="period", widget_range=(0.0, 100.0), decimals=2),
    _input("tokens_per_s_per_gpu", "tokens/s", "Output tokens per second per accelerator", "output (decode) "
           "tokens one accelerator serves per second at full load", "at_least_one", 1e7,
           example="1500, 2k, '3k tokens/s'", group="serving", widget_range=(1.0, 1e7), step=100.0,
           decimals=0),
    _input("tokens_per_query", "count", "Output tokens per query", "output tokens of one query (the answer)",
           "at_least_one", 1e7, example="500, 7k", group="serving",
           widget_range=(1.0, 1e7), step=100.0, decimals=0),
    _input("load_factor", "ratio", "Load factor", "average ÷ full-load throughput over the period; "
           "utilization when not given", "fraction", None, minimum=1e-6, example="0.5 or 50%", group="serving",
           widget_range=(0.01, 1.0), decimals=2),
    _input("input_tokens_per_query", "count", "Input tokens per query", "prompt (input) tokens of one query, "
           "read at the prefill throughput", "nonnegative", 1e8, example="10k", group="serving",
           widget_range=(0.0, 1e8), step=1000.0, decimals=0),
    _input("prefill_tokens_per_s_per_gpu", "tokens/s", "Input tokens per second per accelerator", "input "
           "(prefill) tokens one accelerator reads per second at full load", "at_least_one", 1e9,
           example="20k, '20k tokens/s'", group="serving", widget_range=(1.0, 1e9), step=1000.0,
           decimals=0),
    _input("market_carbon_intensity", "kg/kWh", "Market-based carbon intensity", "emissions factor of the "
           "electricity bought (contracts, certificates), market-based", "nonnegative", 10.0,
           example="0.1 or '100 g/kWh'", group="period", widget_range=(0.0, 10.0)),
    _input("generation_wue", "L/kWh", "Water at the power plants", "water consumed generating each kWh of the "
           "facility's electricity (off site)", "nonnegative", 1000.0, example="1.8", group="period",
           widget_range=(0.0, 1000.0), decimals=2),
    _input("embodied_kg_per_gpu", "kg", "Embodied emissions per accelerator", "manufacturing emissions of one "
           "accelerator with its share of servers, network and building", "nonnegative", 1e6,
           example="'2.5 t CO2e'", group="period", widget_range=(0.0, 1e6), step=100.0, decimals=0),
    _input("accelerator_cost", "$", "Cost per accelerator", "capital cost of one accelerator with its share of "
           "servers, network and storage", "positive", 1e8, example="40000, '$40k'", group="money",
           widget_range=(1.0, 1e8), step=1000.0, decimals=0),
    _input("facility_cost_per_w", "$/W", "Facility cost per watt", "building, power and cooling per watt of "
           "critical IT (as the industry quotes it)", "nonnegative", 1e3, example="12, '$12/W', '$12M/MW'",
           group="money", widget_range=(0.0, 1e3), step=0.5, decimals=2),
    _input("hardware_life_years", "years", "Hardware life", "years the accelerators, servers and network are "
           "amortized over", "positive", 100.0, minimum=0.01, example="5, '60 months'", group="money",
           widget_range=(0.1, 100.0), step=0.5, decimals=1),
    _input("facility_life_years", "years", "Facility life", "years the building, power and cooling are "
           "amortized over", "positive", 100.0, minimum=0.01, example="20", group="money", widget_range=(0.1, 100.0),
           step=1.0, decimals=1),
    _input("discount_rate", "ratio", "Discount rate", "annual cost of capital; absent or 0 means straight line "
           "amortization", "nonnegative", 1.0, example="0.08 or 8%", group="money", widget_range=(0.0, 1.0),
           step=0.01, decimals=3),
    _input("accelerators_per_rack", "count", "Accelerators per rack", "accelerators in one rack (72 in a GB200 "
           "NVL72, 32 in a rack of four 8-GPU servers)", "at_least_one", 1e5, example="72, 32", group="facility",
           widget_range=(1.0, 1e5), step=1.0, decimals=0),
    _input("headroom", "ratio", "Design headroom", "grid connection ÷ full-load facility power − 1: capacity "
           "provisioned above the draw", "nonnegative", 10.0, example="0.2 or 20%", group="facility",
           widget_range=(0.0, 10.0), step=0.05, decimals=2),
    _input("redundancy", "ratio", "Power redundancy", "installed ÷ needed power-equipment capacity: 1 for N, "
           "1 + 1/k for N+1 with k modules (1.25 for k = 4), 2 for 2N; scales the electrical share of the "
           "facility cost", "at_least_one", 3.0, example="1, 1.25, 2, N, N+1, 2N", group="money",
           widget_range=(1.0, 3.0), step=0.05, decimals=2),
    _input("electrical_share", "ratio", "Electrical share of facility cost", "share of the facility cost per "
           "watt that is power equipment (switchgear, UPS, generators, distribution); 0.40 when a redundancy "
           "is given without it", "fraction", None, example="0.4 or 40%", group="money",
           widget_range=(0.01, 1.0), step=0.05, decimals=2),
)

#: Inputs of one question rather than of the fleet: budgets, training runs.
COMMAND_INPUTS: tuple[Field, ...] = (
    _command("power_budget_w", "W", "Power budget (facility, full load)", "facility power budget at the grid "
             "connection", "positive", 1e15, example="'1 GW', 150MW", aliases=("--power",)),
    _command("parameters", "count", "Parameters", "model parameters (dense)", "positive", 1e16,
             example="405B, 70e9"),
    _command("tokens", "count", "Training tokens", "training tokens", "positive", 1e18, example="15.6T"),
    _command("training_flop", "FLOP", "Training compute", "compute of the training run", "positive", 1e40,
             example="3.8e25", aliases=("--flop",)),
    _command("training_time_s", "s", "Training time", "wall-clock time of the training run", "positive", 1e12,
             example="'90 days'"),
    _command("idle_fraction", "ratio", "Idle fraction", "power of a waiting accelerator ÷ its full-load power",
             "nonnegative", 1.0, example="0.15", widget="number"),
    _command("job_share", "ratio", "Share of the fleet in the job", "share of the fleet's accelerators in the "
             "synchronized training job", "fraction", None, example="1 or 100%", widget="number"),
    _command("host_swing_share", "ratio", "Host swing share", "share of the server power above the "
             "accelerators (CPUs, memory, fans, switches) that swings with them", "nonnegative", 1.0,
             example="0.5", widget="number"),
    _command("psu_efficiency", "ratio", "Power-supply efficiency", "server power supplies, AC in ÷ DC out",
             "fraction", None, example="0.96", widget="number"),
    _command("distribution_efficiency", "ratio", "Distribution efficiency", "grid → server inlet: UPS, "
             "transformers and PDUs", "fraction", None, example="0.95", widget="number"),
    _command("cooling_step_share", "ratio", "Cooling step share", "share of the cooling overhead that follows a "
             "held step in load (chillers, compressors) within minutes", "nonnegative", 1.0, example="0.5",
             widget="number"),
    _command("capex_budget", "$", "Capital budget", "capital to spend on accelerators and the facility that "
             "houses them", "positive", 1e15, example="'$10B', 10e9", aliases=("--capex",)),
    _command("it_budget_w", "W", "Power budget (critical IT, full load)", "critical IT power budget, as a "
             "planner quotes a data hall", "positive", 1e15, example="'800 MW'", aliases=("--it-power",)),
    _command("serving_share", "ratio", "Serving share", "share of the fleet's accelerators that serve queries; "
             "the rest train", "nonnegative", 1.0, example="0.5 or 50%", widget="number"),
)

#: What :func:`estimator.estimate` returns, in order; labels say full load or
#: average wherever both exist.
OUTPUTS: tuple[Field, ...] = (
    _output("accelerator_power_w", "W", "Accelerator power, full load"),
    _output("server_power_w", "W", "Server power, full load"),
    _output("it_power_w", "W", "IT power, full load", "critical IT power at full load", "positive", 1e15),
    _output("facility_power_w", "W", "Facility power, full load", "facility power at full load (grid connection)",
            "positive", 1e15),
    _output("average_it_power_w", "W", "IT power, average", "IT power, average over the period (× utilization)"),
    _output("average_facility_power_w", "W", "Facility power, average",
            "facility power, average over the period (× utilization)"),
    _output("grid_connection_w", "W", "Grid connection", "provisioned capacity: full-load facility power × "
            "(1 + headroom)", needs=("headroom",)),
    _output("racks", "count", "Racks", "racks of accelerators: gpus ÷ accelerators per rack",
            needs=("accelerators_per_rack",)),
    _output("rack_power_w", "W", "Power per rack", "server power of one rack at full load (the kW per rack "
            "its power and cooling must deliver)", needs=("accelerators_per_rack",),
            ratio_of=("server_power_w", "racks")),
    _output("watts_per_gpu", "W", "Facility power per accelerator", "all-in facility power per accelerator, "
            "full load", ratio_of=("facility_power_w", "gpus")),
    _output("host_power_w", "W", "of which host", "host: CPUs, memory, NICs, fans, PSU loss"),
    _output("network_storage_power_w", "W", "of which network and storage"),
    _output("cooling_conversion_power_w", "W", "of which cooling and power conversion"),
    _output("energy_wh", "Wh", "Facility energy over the period", "facility energy at the average draw",
            needs=("hours",)),
    _output("it_energy_wh", "Wh", "IT energy over the period", "IT energy at the average draw", needs=("hours",)),
    _output("cost", "$", "Electricity cost over the period", "energy cost (capital not included)",
            needs=("hours", "electricity_price")),
    _output("emissions_kg", "kg", "Emissions over the period", "emissions over the period, location-based",
            needs=("hours", "carbon_intensity")),
    _output("water_l", "L", "Site water over the period", "water used at the site over the period",
            needs=("hours", "wue")),
    _output("peak_cluster_flop_per_s", "FLOP/s", "Peak compute of the fleet", "dense peak at the chosen precision",
            needs=("peak_flop_per_s",)),
    _output("sustained_flop_per_s", "FLOP/s", "Sustained compute", "peak × MFU", needs=("peak_flop_per_s", "mfu")),
    _output("flop_in_period", "FLOP", "Compute over the period", "useful compute delivered over the period "
            "(sustained × goodput × hours)", needs=("peak_flop_per_s", "mfu", "hours")),
    _output("energy_per_token_j", "J", "Energy per output token", "facility energy per output token at the "
            "average load (decode throughput only)", needs=("tokens_per_s_per_gpu",), additive=False),
    _output("energy_per_query_wh", "Wh", "Energy per query", "facility energy per query: its output tokens, "
            "and its input tokens where given", needs=("tokens_per_s_per_gpu", "tokens_per_query"),
            additive=False),
    _output("queries_per_day", "count", "Queries a day", "queries the fleet serves a day at the average load",
            "positive", 1e18, needs=("tokens_per_s_per_gpu", "tokens_per_query")),
    _output("market_emissions_kg", "kg", "Emissions over the period, market-based", "emissions over the period, "
            "market-based", needs=("hours", "market_carbon_intensity")),
    _output("generation_water_l", "L", "Power-plant water over the period", "water consumed at the power "
            "plants over the period", needs=("hours", "generation_wue")),
    _output("embodied_emissions_kg", "kg", "Embodied emissions over the period", "manufacturing emissions of "
            "the hardware, spread over its life (hours ÷ hardware life)",
            needs=("embodied_kg_per_gpu", "hours", "hardware_life_years")),
    _output("hardware_capex", "$", "Hardware capital cost", "accelerators with their servers, network and "
            "storage (gpus × accelerator_cost)", needs=("accelerator_cost",)),
    _output("facility_capex", "$", "Facility capital cost", "building, power and cooling (IT power × "
            "facility_cost_per_w)", needs=("facility_cost_per_w",)),
    _output("capex", "$", "Capital cost", "hardware plus facility capital cost",
            needs=("accelerator_cost", "facility_cost_per_w")),
    _output("amortized_capex", "$", "Capital cost over the period", "capital cost amortized over the period "
            "(straight line, or with the discount rate's capital recovery factor)",
            needs=("accelerator_cost", "facility_cost_per_w", "hardware_life_years", "facility_life_years",
                   "hours")),
    _output("total_cost", "$", "Capital plus energy over the period", "amortized capital plus electricity "
            "over the period (capital plus energy; not a full TCO)",
            needs=("accelerator_cost", "facility_cost_per_w", "hardware_life_years", "facility_life_years",
                   "hours", "electricity_price")),
    _output("cost_per_gpu_hour", "$", "Cost per accelerator-hour", "capital plus energy per accelerator-hour "
            "(not a full TCO)",
            needs=("accelerator_cost", "facility_cost_per_w", "hardware_life_years", "facility_life_years",
                   "hours", "electricity_price"), ratio_of=("total_cost", "gpu_hours")),
)

#: Results of the tables and questions beyond :func:`estimator.estimate`.
TABLE_OUTPUTS: tuple[Field, ...] = (
    _output("gpus_per_gigawatt", "count", "Accelerators 1 GW holds", "accelerators 1 GW holds (facility, full load)"),
    _output("gpu_hours", "GPU-h", "Accelerator-hours"),
    _output("runs", "runs", "Runs in the period"),
    _output("share_of_gigawatt", "ratio", "Share of 1 GW", "full-load facility power ÷ 1 GW"),
    _output("h100_equivalents", "count", "H100-equivalents", "Σ accelerators × dense BF16 peak ÷ 989.4 TFLOP/s "
            "(Epoch AI's H100e): a fleet's compute in H100s"),
    _output("estimated_gpu_hours", "GPU-h", "Estimated accelerator-hours", "training FLOP ÷ (peak × MFU × "
            "goodput): the estimate set against a run's report"),
    _output("reported_gpu_hours", "GPU-h", "Reported accelerator-hours", "accelerator-hours the run's authors "
            "reported"),
    _output("reported_over_estimated", "ratio", "Reported ÷ estimated accelerator-hours", "reported ÷ estimated "
            "accelerator-hours of a run"),
    _output("implied_mfu", "ratio", "Implied effective MFU", "training FLOP ÷ (reported accelerator-hours × "
            "peak): the MFU over the whole run, lost time included"),
    _output("implied_goodput", "ratio", "Implied goodput", "implied effective MFU ÷ the MFU assumed: the goodput "
            "that makes the estimate meet the report"),
    _output("reported_training_time_s", "s", "Reported time (derived)", "reported accelerator-hours ÷ the run's "
            "accelerators"),
    _output("reported_emissions_kg", "kg", "Reported emissions", "emissions the run's authors reported, "
            "location-based"),
    _output("energy_per_day_wh", "Wh", "Facility energy a day", "facility energy a day at the average draw"),
    # The synchronized load swing (estimator.power.load_swing), part by part.
    _output("job_gpus", "count", "Accelerators in the job", "accelerators in the synchronized job"),
    _output("accelerator_w", "W", "Accelerators (full load → idle)", "the job's accelerators × gpu_watts × "
            "(1 − idle fraction), at the boards"),
    _output("host_w", "W", "Host and fans", "the host power that swings with the accelerators"),
    _output("psu_loss_w", "W", "Power-supply losses", "power-supply losses on the swinging load"),
    _output("distribution_loss_w", "W", "UPS and distribution losses", "UPS and distribution losses on the "
            "swinging load"),
    _output("cooling_step_w", "W", "Cooling (job start or stop only)", "the cooling's load-following share of a "
            "held step"),
    _output("swing_w", "W", "Load swing (fast)", "what the grid sees within a second: accelerators, host, "
            "power-supply and distribution losses"),
    _output("step_w", "W", "Job start or stop", "a held step: the fast swing plus the cooling's load-following "
            "share"),
    _output("share_of_facility", "ratio", "Swing ÷ facility power", "the fast swing ÷ full-load facility power"),
    _output("step_share_of_facility", "ratio", "Step ÷ facility power", "a job start or stop ÷ full-load "
            "facility power"),
)

#: Every field by name.
FIELDS: dict[str, Field] = {f.name: f for f in (*INPUTS, *COMMAND_INPUTS, *OUTPUTS, *TABLE_OUTPUTS)}


@dataclass(frozen=True)
class PresetKey:
    """A preset picker: which catalogue entry (or mode) fills some inputs.

    Parameters
    ----------
    name : str
        Key in files and links and the command-line option's name.
    label : str
        Display label.
    help : str
        What the preset sets.
    choices : tuple of str, optional
        Fixed choices (``precision``); catalogue presets list the catalogue.
    """

    name: str
    label: str
    help: str
    choices: tuple[str, ...] = ()

    @property
    def option(self) -> str:
        """Command-line option, e.g. ``--methodology``."""
        return "--" + self.name.replace("_", "-")


#: The preset keys, in the order resolution applies them.
PRESET_KEYS: tuple[PresetKey, ...] = (
    PresetKey("accelerator", "Accelerator", "accelerator preset: sets accelerator power, peak FLOP/s at the "
              "chosen precision and the server overhead"),
    PresetKey("methodology", "Methodology", "assumption set for the overheads, PUE and utilization (and MFU "
              "where published); default 'nameplate'"),
    PresetKey("site", "Site", "site preset: PUE, and WUE, grid intensity and price where the site publishes "
              "them; its PUE overrides the methodology's"),
    PresetKey("precision", "Precision", "which dense peak the accelerator preset uses (MFU is relative to it)",
              ("bf16", "fp8")),
    PresetKey("date", "Date", "date the methodology is applied at (YYYY-MM-DD), for methods that vary by year"),
)
PRESETS: dict[str, PresetKey] = {p.name: p for p in PRESET_KEYS}


def inputs() -> tuple[str, ...]:
    """Names of the Scenario's fields, in order."""
    return tuple(f.name for f in INPUTS)


def outputs() -> tuple[str, ...]:
    """Names of :func:`estimator.estimate`'s results, in order."""
    return tuple(f.name for f in OUTPUTS)


class _InputUnits(Mapping[str, str]):
    """Live view: Scenario field → base unit (follows :func:`register`)."""

    def __getitem__(self, name: str) -> str:
        spec = FIELDS[name]
        if spec.role != "input":
            raise KeyError(name)
        return spec.unit

    def __iter__(self) -> Iterator[str]:
        return iter(inputs())

    def __len__(self) -> int:
        return len(INPUTS)


#: Scenario field → base unit; a bare number at any door is read in it.
INPUT_UNITS: Mapping[str, str] = _InputUnits()


def _fold(name: str) -> str:
    return "_".join(str(name).strip().casefold().replace("-", " ").split())


def closest(name: str, valid: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The valid name nearest to ``name`` (a near miss to suggest in a message), or None.

    Every door's "did you mean" uses it: names are compared without case, with
    spaces and hyphens read as underscores, by :func:`difflib.get_close_matches`.

    Parameters
    ----------
    name : str
        What the user wrote.
    valid : iterable of str
        The names that would have been accepted.
    cutoff : float, optional
        Least similarity ratio to suggest a name [unitless, 0 to 1].

    Returns
    -------
    str or None
        The valid name as it is spelled in ``valid``.

    Examples
    --------
    >>> closest("GPU-wats", ["gpu_watts", "pue"])
    'gpu_watts'
    """
    import difflib  # only on the error path

    folded = {_fold(v): v for v in valid}
    close = difflib.get_close_matches(_fold(name), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def closest_input(name: str) -> str | None:
    """The Scenario field whose name is closest to ``name`` (a near miss), or None.

    Examples
    --------
    >>> closest_input("gpu_wats")
    'gpu_watts'
    """
    return closest(name, inputs())


def label(name: str) -> str:
    """Display label of a field or preset key.

    Raises
    ------
    KeyError
        If ``name`` is neither.
    """
    if name in PRESETS:
        return PRESETS[name].label
    return FIELDS[name].label


def unit(name: str) -> str:
    """Base unit of a field (a target of :func:`estimator.units.parse`)."""
    return FIELDS[name].unit


def missing_for(output: str, given: Mapping[str, object]) -> tuple[str, ...]:
    """The inputs an output needs that ``given`` lacks (None or absent), in registry order.

    Examples
    --------
    >>> missing_for("cost", {"hours": 8760.0, "electricity_price": None})
    ('electricity_price',)
    """
    return tuple(n for n in FIELDS[output].needs if given.get(n) is None)


def needs_text(output: str, given: Mapping[str, object]) -> str:
    """A message saying what an absent output needs, e.g. ``"cost needs electricity_price (not given)"``."""
    missing = missing_for(output, given) or FIELDS[output].needs
    return f"{output} needs {' and '.join(missing)} (not given)"


def register(field: Field) -> Field:
    """Add a field to the registry (for extensions and tests); returns it.

    An input appears at every door at once: validation, files, the command
    line, links and the dashboard read :data:`INPUTS`. Its formula is the
    caller's to add.

    Raises
    ------
    ValueError
        If a field of that name exists.
    """
    global INPUTS, COMMAND_INPUTS, OUTPUTS, TABLE_OUTPUTS
    if field.name in FIELDS:
        raise ValueError(f"field {field.name!r} exists already")
    if field.role == "input":
        INPUTS = (*INPUTS, field)
    elif field.role == "command":
        COMMAND_INPUTS = (*COMMAND_INPUTS, field)
    else:
        OUTPUTS = (*OUTPUTS, field)
    FIELDS[field.name] = field
    return field


def unregister(name: str) -> None:
    """Remove a field added by :func:`register` (tests clean up with it)."""
    global INPUTS, COMMAND_INPUTS, OUTPUTS, TABLE_OUTPUTS
    FIELDS.pop(name)
    INPUTS = tuple(f for f in INPUTS if f.name != name)
    COMMAND_INPUTS = tuple(f for f in COMMAND_INPUTS if f.name != name)
    OUTPUTS = tuple(f for f in OUTPUTS if f.name != name)


_RULE_WORDS: dict[str, str] = {"positive": "> 0", "nonnegative": ">= 0", "at_least_one": ">= 1",
                               "fraction": "in (0, 1]", "any": "finite"}


def markdown_table(role: Role = "input") -> str:
    """The registry's fields of one role as a Markdown table (for docs/fields.md).

    Parameters
    ----------
    role : {"input", "command", "output"}
        Which fields.

    Returns
    -------
    str
        One row per field: name, unit, rule and ceiling (inputs), meaning,
        command-line option (inputs).
    """
    chosen = [f for f in FIELDS.values() if f.role == role]
    if role == "output":
        rows = ["| name | unit | meaning | needs |", "|---|---|---|---|"]
        rows += [f"| `{f.name}` | {f.unit_text} | {f.help} | {', '.join(f.needs) or '—'} |" for f in chosen]
    else:
        rows = ["| name | unit | valid | default | meaning | option |", "|---|---|---|---|---|---|"]
        for f in chosen:
            valid = _RULE_WORDS[f.rule] + ("" if f.minimum is None else f", >= {f.minimum:g}") + (
                "" if f.maximum is None else f", <= {f.maximum:g}")
            default = "required" if f.required else ("not set" if f.default is None else f"{f.default:g}")
            options = ", ".join(f"`{o}`" for o in (f.option, *f.aliases))
            rows.append(f"| `{f.name}` | {f.unit_text} | {valid} | {default} | {f.help} | {options} |")
    return "\n".join(rows) + "\n"


def document() -> str:
    """docs/fields.md: every field of the registry, generated (``python -m estimator.fields``)."""
    return (
        "# Fields\n\n"
        "Every input and output of the model, as the field registry (`estimator/fields.py`) declares "
        "it. This page is generated from the registry (`estimator.fields.document()`; `make docs-fields` writes it); "
        "the library's validation, scenario files, the command line, share links and the dashboard read "
        "the same entries.\n\n"
        "## Scenario inputs\n\n"
        "A bare number at any door is read in the unit shown; text may carry a unit (`\"1.2 kW\"`, "
        "`\"90 days\"`, `\"100k\"`).\n\n" + markdown_table("input") +
        "\n## Inputs of one question\n\n" + markdown_table("command") +
        "\n## Outputs of `estimator.estimate`\n\n"
        "An output is absent (None) when an input it needs is not given.\n\n" + markdown_table("output") +
        "\n## Preset keys\n\n| key | meaning |\n|---|---|\n" +
        "".join(f"| `{p.name}` | {p.help} |\n" for p in PRESET_KEYS)
    )

