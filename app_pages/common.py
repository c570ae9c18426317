"""Shared dashboard state: the sidebar, the current Scenario, the link, formatting and safe display.

The sidebar is derived from the field registry (:mod:`estimator.fields`): one
loop over :data:`estimator.fields.INPUTS`, grouped by ``group``, draws each
input from its Field (label, help, unit, range, step, decimals; ``widget ==
"text"`` fields are text boxes read by :func:`estimator.units.parse`). A field
added to the registry appears in the sidebar and in the link with no change here.

Values come from one resolution (:func:`estimator.resolve.resolve`) of the
picked presets and the values the user typed, which are kept in session state
(``_typed``): a preset change replaces only the values that preset owns and
the user has not typed. Every page reads the scenario through
:func:`current_scenario` (or :func:`require_scenario`, which stops the page
with the library's message when an input is invalid).

The address bar holds the presets, the user's typed values and every page's
inputs (``explorer.budget=1 GW``; see :data:`PAGE_INPUTS`), read and written
by :mod:`estimator.links`.

The UI holds no arithmetic: numbers come from :mod:`estimator` and are only
converted to display units here.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

import pyarrow as pa
import streamlit as st

import estimator
from estimator import catalog, display, fields, links, power, resolve, sweep, tables, trend, units, validate
from estimator.catalog import Sourced
from estimator.fields import Field
from estimator.resolve import Origin
from estimator.scenario import Scenario

NO_SITE = "none"
#: The pickers' starting values: the default methodology, as at every door.
DEFAULT_PRESETS: dict[str, str] = {"accelerator": "h100-sxm", "methodology": resolve.DEFAULT_METHODOLOGY,
                                   "site": NO_SITE, "precision": "bf16", "date": ""}
PRESET_WIDGETS: tuple[str, ...] = tuple(p.name for p in fields.PRESET_KEYS)

#: Values the dashboard prefills where no preset gives one: visible, labelled, never a preset.
PREFILLS: dict[str, Sourced] = {
    "gpus": Sourced(
        100_000.0, "count",
        "Dashboard prefill: the size of SemiAnalysis's model cluster ('100,000 H100 Clusters', 2024, "
        "https://semianalysis.com/2024/06/17/100000-h100-clusters-power-network/) and of xAI Colossus's "
        "first phase",
        "A starting point to change, not a figure about any site.", True),
    "hours": Sourced(
        8760.0, "h", "Dashboard prefill: one year of 365 days",
        "Energy, cost, emissions and water are reported over this period.", True),
    "mfu": Sourced(
        0.40, "ratio",
        "Dashboard prefill (not a preset): Llama Team, AI @ Meta, 'The Llama 3 Herd of Models', "
        "arXiv:2407.21783 (2024), 38–43% BF16 MFU on 8K–16K H100, https://arxiv.org/abs/2407.21783",
        "Inside the published range; a methodology that publishes its own MFU replaces it.", True),
}
#: Shown under a prefilled input.
PREFILL_NOTES: dict[str, str] = {
    "mfu": "Dashboard prefill 0.40, not a preset: Llama 3 paper (arXiv:2407.21783), 38–43% BF16 MFU on H100.",
    "gpus": "Dashboard prefill: 100,000 (SemiAnalysis's model cluster).",
    "hours": "Dashboard prefill: one year.",
}

#: The load swing's idle fraction: the library's labelled assumption.
IDLE_FRACTION_DEFAULT = power.SWING_ASSUMPTIONS["idle_fraction"]
#: The load swing's other assumptions, editable on the Fleet page (defaults: power.SWING_ASSUMPTIONS).
SWING_INPUTS: tuple[str, ...] = ("host_swing_share", "psu_efficiency", "distribution_efficiency",
                                 "cooling_step_share")

#: Sidebar groups, in order: (group, expander title, expanded).
GROUPS: tuple[tuple[str, str, bool], ...] = (
    ("fleet", "Fleet and accelerator", True),
    ("chain", "Overheads (the power chain)", True),
    ("period", "Period, grid and price", False),
)

#: Where the "fill missing figures" button takes each optional figure from (site presets).
SUGGESTED_SITES: dict[str, str] = {"electricity_price": "us-hyperscale-2025",
                                   "carbon_intensity": "llama3-training", "wue": "microsoft-fleet"}

ASSUMPTION_NOTE = ("Every input is an assumption. Presets are nominal public figures (vendor ratings, "
                   "published methodologies, fleet averages), not measurements; each is listed with its "
                   "source under *Assumptions and sources*.")


# --------------------------------------------------------------------------- formatting



def fmt(value: float | None, unit: str) -> str:
    """Display text of one number in a library unit: :func:`estimator.units.format_value`.

    Every figure the dashboard shows goes through the library's one formatter,
    so a figure reads the same on every page and at every door.
    """
    return units.format_value(value, unit)


def hours_text(hours: float | None) -> str:
    """Exact text for a period in hours that :func:`estimator.units.parse` reads back."""
    if hours is None:
        return ""
    if hours % units.HOURS_PER_YEAR == 0:
        n = hours / units.HOURS_PER_YEAR
        return f"{n:g} year" + ("" if n == 1 else "s")
    if hours % units.HOURS_PER_DAY == 0:
        n = hours / units.HOURS_PER_DAY
        return f"{n:g} day" + ("" if n == 1 else "s")
    return f"{hours!r} h"


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=^")


def plain(text: str) -> str:
    """Escape Markdown so that text a user typed (quoted in a message) shows as typed, never as markup."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text).replace("\n", " ")


def error_text(exc: BaseException) -> str:
    """The library's message (which names the field and the rule), as plain text."""
    return str(exc) or type(exc).__name__


def show_error(exc: BaseException | str) -> None:
    """Show a rejected input as an error box (never a traceback); user text inside is escaped."""
    text = exc if isinstance(exc, str) else error_text(exc)
    st.error(plain(text), icon=":material/error:")


# --------------------------------------------------------------------------- presets

@st.cache_data(show_spinner=False)
def preset_names() -> dict[str, dict[str, str]]:
    """Catalogue keys → display names for the pickers."""
    return {
        "accelerator": {k: v.name for k, v in catalog.accelerators().items()},
        "methodology": {k: v.name for k, v in catalog.methodologies().items()},
        "site": {NO_SITE: "None (methodology's PUE)",
                 **{k: v.name for k, v in catalog.sites().items()}},
        "precision": {"bf16": "BF16 (dense)", "fp8": "FP8 (dense)"},
    }


@functools.lru_cache(maxsize=64)
def accelerator(key: str) -> catalog.Accelerator:
    """One accelerator preset (cached: the catalogue rebuilds every entry on each lookup)."""
    return catalog.accelerator(key)


@functools.lru_cache(maxsize=64)
def methodology(key: str) -> catalog.Methodology:
    """One methodology preset (cached, as :func:`accelerator`)."""
    return catalog.methodology(key)


def precisions(accelerator_key: str) -> list[str]:
    """The precisions the accelerator preset publishes a dense peak for."""
    part = accelerator(accelerator_key)
    return [p for p in resolve.PRECISIONS if p == "bf16" or part.peak_flop_per_s_fp8 is not None]


def current_presets() -> dict[str, str]:
    """The preset keys picked in the sidebar (``site`` is ``"none"`` for none, ``date`` "" for none)."""
    return {k: st.session_state.get(k, DEFAULT_PRESETS[k]) or DEFAULT_PRESETS[k] if k != "date"
            else (st.session_state.get(k) or "") for k in PRESET_WIDGETS}


def _resolve_args(presets: Mapping[str, str]) -> tuple[str, str | None, str | None, str, str | None]:
    """The picked presets as :func:`estimator.resolve.resolve` takes them (the default methodology as None,
    so its values are marked as defaults; a date that is not a date as none)."""
    method = presets["methodology"]
    try:
        date = resolve.check_date(presets.get("date") or None)
    except (ValueError, TypeError):
        date = None
    return (presets["accelerator"], None if method == resolve.DEFAULT_METHODOLOGY else method,
            None if presets.get("site", NO_SITE) == NO_SITE else presets["site"],
            presets.get("precision", "bf16"), date)


@functools.lru_cache(maxsize=256)
def _resolution(args: tuple, typed: tuple[tuple[str, float | None], ...],
                registry: tuple[str, ...]) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, Origin], ...]]:
    # Asked several times per rerun with the same presets and typed values; the registry is in the key so
    # that a field added to it is seen at once.
    del registry
    typed_map = dict(typed)
    given = {k: v for k, v in typed_map.items() if v is not None}
    r = resolve.resolve(*args, values=given)
    values, provenance = dict(r.values), dict(r.provenance)
    for name, src in PREFILLS.items():
        if name not in values and name not in typed_map:
            values[name] = src.value
            provenance[name] = Origin("default", "dashboard", src.source, src.note, src.confirmed, src.value)
    for name, value in typed_map.items():
        if value is None:  # the user emptied it: the preset's value is not put back
            below = provenance.get(name)
            values.pop(name, None)
            provenance[name] = Origin("user", value=None, preset_value=None if below is None else
                                      (below.preset_value if below.is_user else below.value))
    return tuple(values.items()), tuple(provenance.items())


def resolution(presets: Mapping[str, str] | None = None,
               typed: Mapping[str, float | None] | None = None) -> tuple[dict[str, float], dict[str, Origin]]:
    """Scenario field → value and → :class:`estimator.resolve.Origin`, for the presets and typed values
    (the sidebar's by default). Prefilled values have origin "default" and preset "dashboard"."""
    presets = current_presets() if presets is None else presets
    typed = typed_values() if typed is None else typed
    values, provenance = _resolution(_resolve_args(presets), tuple(sorted(typed.items())), fields.inputs())
    return dict(values), dict(provenance)


def typed_values() -> dict[str, float | None]:
    """The values the user typed (field → value in its base unit; None: emptied)."""
    return dict(st.session_state.get("_typed", {}))


def invalid_inputs() -> dict[str, tuple[str, str]]:
    """Sidebar inputs holding text that cannot be read: field → (text, message)."""
    return dict(st.session_state.get("_invalid", {}))


def suggested_sources() -> dict[str, tuple[str, Sourced]]:
    """Optional figure → (site name, sourced value) offered when the chosen site lacks it."""
    out = {}
    for name, key in SUGGESTED_SITES.items():
        site = catalog.site(key)
        out[name] = (site.name, getattr(site, name))
    return out


def fill_missing() -> None:
    """Fill the empty price, grid intensity and WUE inputs from site presets (a button callback)."""
    filled = st.session_state.setdefault("_filled_sources", {})
    values, _ = resolution()
    typed = st.session_state.setdefault("_typed", {})
    for name, (_, sourced) in suggested_sources().items():
        if values.get(name) is None:
            typed[name] = sourced.value
            filled[name] = sourced
    write_widgets()


# --------------------------------------------------------------------------- widgets from the registry

def _widget_fields() -> list[Field]:
    return [f for f in fields.INPUTS if f.widget != "none"]


def _range(f: Field) -> tuple[float | None, float | None]:
    """A number box's closed range in the widget's unit: the Field's, else from its rule and ceiling."""
    if f.widget_range is not None:
        return float(f.widget_range[0]), float(f.widget_range[1])
    low = {"at_least_one": 1.0, "nonnegative": 0.0}.get(f.rule)
    high = None if f.maximum is None else float(_shown(f, f.maximum))
    return low, high


def _shown(f: Field, value: float) -> float:
    return float(value) if not f.widget_unit else float(units.to_unit(value, f.widget_unit))


def _base(f: Field, shown: float) -> float:
    return float(shown) if not f.widget_unit else float(units.to_unit(shown, f.unit, from_unit=f.widget_unit))


def value_text(f: Field, value: float | None) -> str:
    """A value as a text box shows it, exactly, in a form :func:`estimator.units.parse` reads back."""
    if value is None:
        return ""
    v = float(value)
    if f.unit == "h":
        return hours_text(v)
    if f.unit in ("count", "ratio"):
        return f"{int(v):,}" if v.is_integer() and abs(v) < 2**53 else repr(v)
    return f"{v!r} {f.unit}"


def _to_widget(f: Field, value: float | None) -> Any:
    if f.widget == "text":
        return value_text(f, value)
    return None if value is None else _shown(f, value)


def check_widget(name: str, value: float) -> None:
    """Raise ValueError if a value cannot be held by its sidebar input (a number box's closed range)."""
    f = fields.FIELDS[name]
    if f.widget_range is None and f.widget != "number":
        return
    low, high = _range(f) if f.widget == "number" else (f.widget_range or (None, None))
    shown = _shown(f, value) if f.widget == "number" else float(value)
    if (low is not None and shown < low) or (high is not None and shown > high):
        unit = f" {f.widget_unit}" if f.widget_unit else ""  # a bare number is in the field's own unit
        raise ValueError(f"{name} must be between {low:g}{unit} and {high:g}{unit} in the dashboard "
                         f"(got {shown:g}{unit})")


def widget_problems(values: Mapping[str, float | None]) -> list[str]:
    """Messages for values the sidebar's inputs cannot hold (see :func:`check_widget`)."""
    out = []
    for name, value in values.items():
        if value is None or isinstance(value, list) or name not in fields.FIELDS:
            continue
        try:
            check_widget(name, value)
        except ValueError as exc:
            out.append(error_text(exc))
    return out


def write_widgets(names: Any = None) -> None:
    """Write resolved values into the sidebar inputs (only from a callback or before the sidebar);
    an input holding unreadable text keeps it, so the user sees what to fix."""
    values, _ = resolution()
    bad = invalid_inputs()
    for f in _widget_fields():
        if (names is not None and f.name not in names) or f.name in bad:
            continue
        st.session_state[f.name] = _to_widget(f, values.get(f.name))


def read_widget(f: Field, shown: Any) -> float | None:
    """A sidebar input's value in the field's base unit, checked against the field's rule.

    Raises
    ------
    ValueError, TypeError
        Naming the field, the value and the rule (text that cannot be read, a value out of range).
    """
    if f.widget == "text":
        text = (shown or "").strip()
        if not text:
            if f.required:
                raise ValueError(f"{f.name} must be given ({f.help}), e.g. {f.example}")
            return None
        try:
            value = units.parse(text, f.unit, field=f.name)
        except ValueError as exc:
            hint = f" (e.g. {f.example})" if f.example and "e.g." not in str(exc) else ""
            raise ValueError(f"{exc}{hint}") from None
        return float(validate.field(f.name, value))
    if shown is None:
        if f.required:
            raise ValueError(f"{f.name} must be given ({f.help})")
        return None
    return float(validate.field(f.name, _base(f, shown)))


def _on_field_change(name: str) -> None:
    """A sidebar input changed by the user: its value becomes theirs (a widget callback)."""
    f = fields.FIELDS[name]
    typed = st.session_state.setdefault("_typed", {})
    bad = st.session_state.setdefault("_invalid", {})
    shown = st.session_state.get(name)
    try:
        value = read_widget(f, shown)
    except (ValueError, TypeError) as exc:
        bad[name] = (str(shown), error_text(exc))
        return
    bad.pop(name, None)
    typed[name] = value
    if f.widget == "text" and value is not None:
        st.session_state[name] = value_text(f, value)  # "100k" shows as "100,000": what was read


def _on_preset_change() -> None:
    """A preset picker changed: replace only the values the presets own and the user has not typed."""
    if st.session_state.get("precision") not in precisions(st.session_state["accelerator"]):
        st.session_state["precision"] = "bf16"
        st.session_state["_precision_note"] = st.session_state["accelerator"]
    write_widgets()


def reset_field(name: str) -> None:
    """Forget one typed value: the input goes back to the presets' value (a button callback)."""
    st.session_state.setdefault("_typed", {}).pop(name, None)
    st.session_state.setdefault("_invalid", {}).pop(name, None)
    st.session_state.setdefault("_filled_sources", {}).pop(name, None)
    write_widgets([name])


def reset_all() -> None:
    """Forget every typed value (a button callback)."""
    st.session_state["_typed"] = {}
    st.session_state["_invalid"] = {}
    st.session_state["_filled_sources"] = {}
    write_widgets()


def load_state(presets: Mapping[str, str | None], typed: Mapping[str, float | None]) -> None:
    """Put presets and typed values into the sidebar (a callback, or before the sidebar is drawn)."""
    chosen = {**DEFAULT_PRESETS, **{k: v for k, v in presets.items() if v and k in PRESET_WIDGETS}}
    if chosen["precision"] not in precisions(chosen["accelerator"]):
        chosen["precision"] = "bf16"
    for k in PRESET_WIDGETS:
        st.session_state[k] = chosen[k]
    st.session_state["_typed"] = {k: v for k, v in typed.items() if k in fields.FIELDS}
    st.session_state["_invalid"] = {}
    st.session_state["_filled_sources"] = {}
    write_widgets()


# --------------------------------------------------------------------------- page inputs in the link

@dataclass(frozen=True)
class PageInput:
    """One input of a page, in the link as ``<page>.<name>``.

    ``kind``: "text" (read by units.parse in ``unit``; kept as typed; empty allowed if ``optional``),
    "float", "int", "choice" (one of ``choices``), "floats" (comma-separated, each one of ``choices``),
    "bool", "date" (ISO) or "blocks" (a campus's blocks, :func:`estimator.links.read_blocks`).
    ``default`` is the widget's starting value, or a callable of the session state for an input
    whose default follows another (a heatmap range follows its axis). ``field``: the registry field
    whose rule and ceiling a value from the link must meet too (the page's own library call checks
    the same when the page runs).
    """

    param: str
    key: str
    kind: str
    default: Any
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    optional: bool = False
    field: str | None = None

    def start(self, state: Mapping[str, Any]) -> Any:
        return self.default(state) if callable(self.default) else self.default

    def read(self, text: str) -> Any:
        """The widget value for link text; ValueError names the parameter, the value and the rule."""
        name, shown = self.param, text.strip()
        if self.kind == "blocks":
            links.read_blocks(shown, name)
            return shown
        if self.kind == "date":
            try:
                return datetime.date.fromisoformat(shown)
            except ValueError:
                raise ValueError(f"{name} must be a date YYYY-MM-DD (got {text!r})") from None
        if self.kind == "text":
            if self.optional and not shown:
                return ""
            value = units.parse(shown, self.unit or "count", field=name)
            if self.field is not None:
                validate.field(self.field, value)
            self._check_range(value)
            return text
        if self.kind in ("float", "int"):
            value = units.parse(shown, self.unit or "count", field=name)
            if self.kind == "int":
                if not float(value).is_integer():
                    raise ValueError(f"{name} must be a whole number (got {text!r})")
                value = int(value)
            self._check_range(value)
            return value
        if self.kind == "bool":
            if shown.lower() not in ("true", "false", "1", "0"):
                raise ValueError(f"{name} must be true or false (got {text!r})")
            return shown.lower() in ("true", "1")
        if self.kind == "floats":
            values = [self._choice(t) for t in shown.split(",") if t.strip()] if shown else []
            return list(dict.fromkeys(values))
        return self._choice(shown)

    def _choice(self, text: str) -> Any:
        for c in self.choices:
            if str(c) == text.strip() or (isinstance(c, float) and _float_or_none(text) == c):
                return c
        raise ValueError(f"{self.param} must be one of {', '.join(map(str, self.choices))} (got {text!r})")

    def _check_range(self, value: float) -> None:
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            unit = f" {self.unit}" if self.unit and self.unit not in ("count", "ratio") else ""
            raise ValueError(f"{self.param} must be between {self.low:g}{unit} and {self.high:g}{unit} "
                             f"(got {value:g}{unit})")

    def write(self, value: Any) -> str:
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "floats":
            return ",".join(f"{v:g}" for v in value)
        if self.kind == "bool":
            return "true" if value else "false"
        if self.kind == "float":
            return repr(float(value))
        return str(value)


def _float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _heat_default(axis: str, end: int) -> Callable[[Mapping[str, Any]], float]:
    def default(state: Mapping[str, Any]) -> float:
        field = state.get(f"heat_{axis}", "gpus" if axis == "x" else "pue")
        return float(sweep.SWEEP_RANGES.get(field, sweep.SWEEP_RANGES["gpus"])[end])
    return default


PUE_CHOICES: tuple[float, ...] = (1.0, 1.08, 1.1, 1.15, 1.2, 1.3, 1.4, 1.54, 1.6, 2.0)
UNC_SAMPLES: tuple[int, ...] = (10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000)
HEAT_OUTPUTS = ("facility_power_w", "average_facility_power_w", "it_power_w")
UNC_OUTPUTS = ("facility_power_w", "average_facility_power_w", "gpus_per_gigawatt", "energy_wh", "emissions_kg",
               "energy_per_query_wh", "queries_per_day")
BUDGET_LOW_W, BUDGET_HIGH_W = tables.BUDGET_RANGE_W
#: The training page's run picker: the ready runs an estimate can be made of (a size or FLOP published),
#: and "custom" (the page's own inputs). The default is Llama 3's 405B as the model card reports it.
CUSTOM_RUN = "custom"
TRAINING_RUN_CHOICES: tuple[str, ...] = (CUSTOM_RUN, *(k for k, r in estimator.training_runs().items()
                                                       if r.flop is not None))
TRAINING_RUN_DEFAULT = "llama-3.1-405b"

#: The Campus page's starting tables of blocks (name, accelerator, count, online): two illustrative ones, not
#: any site's plan (xAI's counts as Epoch AI's GPU-clusters data lists them, https://epoch.ai/data/gpu-clusters;
#: the rest a made-up build-out to change), then every ready public campus (estimator.campus_presets).
CampusRows = list[tuple[str, str, int, str]]
CAMPUS_STARTS: dict[str, tuple[str, CampusRows]] = {
    "buildout": ("Illustrative build-out (three halls)", [
        ("Hall 1", "h100-sxm", 100_000, "2025-01-01"),
        ("Hall 2", "gb200", 100_000, "2025-10-01"),
        ("Hall 3", "gb200", 200_000, "2026-07-01"),
    ]),
    "colossus": ("xAI Colossus phase 3, as counted by Epoch AI (2°)", [
        ("H100/H200", "h100-sxm", 200_000, "2025-01-01"),
        ("GB200", "gb200", 30_000, "2025-01-01"),
    ]),
}
for _key, _preset in estimator.campus_presets().items():
    _c = estimator.campus_preset(_key)
    CAMPUS_STARTS[_key] = (_preset.name + ("" if _preset.confirmed else " (2°)"), [
        (name, sc.presets["accelerator"], int(sc.gpus), str(on))
        for name, sc, on in zip(_c.names, _c.scenarios, _c.online, strict=True)])
CAMPUS_FREQS: tuple[str, ...] = ("month", "quarter", "year")


def campus_editor_key(state: Mapping[str, Any]) -> str:
    """The Campus page's block table's widget key: a new one each time the page starts it again from a
    table (its edits belonged to the old one)."""
    return f"campus_blocks_{state['_campus_editor'] if '_campus_editor' in state else 0}"


#: The largest ready training run (its power and year start the Campus page's trend).
LARGEST_RUN = trend.largest_ready_run()

#: Every page's inputs, as the link carries them (``<page>.<name>``), with their widget keys and defaults.
PAGE_INPUTS: tuple[PageInput, ...] = (
    PageInput("fleet.idle_fraction", "idle_fraction", "float", IDLE_FRACTION_DEFAULT.value, "ratio", 0.0, 1.0),
    PageInput("fleet.job_share", "job_share", "int", 100, "count", 1, 100),
    *(PageInput(f"fleet.{name}", f"swing_{name}", "float", power.SWING_ASSUMPTIONS[name].value, "ratio",
                0.01 if name.endswith("efficiency") else 0.0, 1.0) for name in SWING_INPUTS),
    PageInput("explorer.budget", "budget", "text", "1 GW", "W", BUDGET_LOW_W, BUDGET_HIGH_W),
    PageInput("explorer.days", "explorer_days", "int", 90, "count", 1, 3650),
    PageInput("explorer.run", "run_flop", "text", "3.8e25 FLOP", "FLOP", 1.0, 1e40),
    PageInput("sweeps.pues", "sweep_pues", "floats", [1.1, 1.2, 1.4, 1.54], choices=PUE_CHOICES),
    PageInput("sweeps.gpus_min", "sweep_gpus_min", "int", 1_000, "count", 1, 1_000_000_000),
    PageInput("sweeps.gpus_max", "sweep_gpus_max", "int", 3_000_000, "count", 2, 1_000_000_000),
    PageInput("sweeps.x", "heat_x", "choice", "gpus", choices=sweep.CHAIN_FIELDS),
    PageInput("sweeps.y", "heat_y", "choice", "pue", choices=sweep.CHAIN_FIELDS),
    PageInput("sweeps.x_min", "heat_x_min", "float", _heat_default("x", 0), "count"),
    PageInput("sweeps.x_max", "heat_x_max", "float", _heat_default("x", 1), "count"),
    PageInput("sweeps.y_min", "heat_y_min", "float", _heat_default("y", 0), "count"),
    PageInput("sweeps.y_max", "heat_y_max", "float", _heat_default("y", 1), "count"),
    PageInput("sweeps.output", "heat_output", "choice", "facility_power_w", choices=HEAT_OUTPUTS),
    PageInput("sweeps.level", "heat_level", "text", "1 GW", "W"),
    PageInput("energy.basis", "energy_basis", "choice", "fleet", choices=("fleet", "budget")),
    PageInput("energy.budget", "energy_budget", "text", "1 GW", "W", BUDGET_LOW_W, BUDGET_HIGH_W),
    PageInput("training.run", "train_run", "choice", TRAINING_RUN_DEFAULT, choices=TRAINING_RUN_CHOICES),
    PageInput("training.mode", "train_mode", "choice", "size", choices=("size", "flop")),
    PageInput("training.parameters", "train_parameters", "text", "405B", "count", field="parameters"),
    PageInput("training.tokens", "train_tokens", "text", "15.6T", "count", field="tokens"),
    PageInput("training.flop", "train_flop", "text", "3.8e25 FLOP", "FLOP", field="training_flop"),
    PageInput("training.days", "train_days", "float", 90.0, "count", 1.0, 3650.0),
    PageInput("uncertainty.shape", "unc_distribution", "choice", "triangular",
              choices=("triangular", "uniform", "lognormal")),
    PageInput("uncertainty.samples", "unc_samples", "choice", 100_000, choices=UNC_SAMPLES),
    PageInput("uncertainty.seed", "unc_seed", "int", 0, "count", 0, 2**32 - 1),
    PageInput("uncertainty.output", "unc_output", "choice", "facility_power_w", choices=UNC_OUTPUTS),
    PageInput("compare.diff_only", "compare_diff_only", "bool", False),
    PageInput("serving.active_parameters", "serving_active_parameters", "text", "100B", "count"),
    PageInput("serving.bytes", "serving_bytes", "choice", 1.0, choices=(2.0, 1.0, 0.5)),
    PageInput("serving.bandwidth", "serving_bandwidth", "text", "3.35T", "B/s"),
    PageInput("serving.batch", "serving_batch", "int", 64, "count", 1, 100_000),
    PageInput("serving.kv", "serving_kv", "text", "327,680", "B"),
    PageInput("serving.context", "serving_context", "text", "1,000", "count"),
    PageInput("serving.demand", "serving_demand", "text", "1B", "count", field="queries_per_day"),
    PageInput("serving.share", "serving_share", "float", 0.5, "ratio", 0.0, 1.0),
    PageInput("serving.run", "serving_run_flop", "text", "3.8e25 FLOP", "FLOP", 1.0, 1e40, field="training_flop"),
    PageInput("campus.start", "campus_start", "choice", "buildout", choices=tuple(CAMPUS_STARTS)),
    PageInput("campus.blocks", "campus_blocks_text", "blocks", ""),
    PageInput("campus.from", "campus_from", "date", datetime.date(2025, 1, 1)),
    PageInput("campus.to", "campus_to", "date", datetime.date(2027, 12, 31)),
    PageInput("campus.step", "campus_freq", "choice", "quarter", choices=CAMPUS_FREQS),
    PageInput("campus.power_cap", "campus_cap_power", "text", "1 GW", fields.unit("power_budget_w"), optional=True,
              field="power_budget_w"),
    PageInput("campus.it_cap", "campus_cap_it", "text", "", fields.unit("it_budget_w"), optional=True,
              field="it_budget_w"),
    PageInput("campus.capex", "campus_cap_capex", "text", "$10B", fields.unit("capex_budget"), optional=True,
              field="capex_budget"),
    PageInput("campus.deadline", "campus_cap_days", "text", "90 days", fields.unit("training_time_s"), optional=True,
              field="training_time_s"),
    PageInput("campus.flop", "campus_cap_flop", "text", "", fields.unit("training_flop"), optional=True,
              field="training_flop"),
    PageInput("campus.trend_power", "campus_trend_start_mw", "float",
              round(units.to_unit(LARGEST_RUN["facility_power_w"], "MW"), 1), "count", 0.001, 1e6),
    PageInput("campus.trend_year", "campus_trend_year", "float", round(LARGEST_RUN["year"], 2), "count",
              1950.0, 2200.0),
    PageInput("campus.trend_growth", "campus_trend_growth", "float", trend.GROWTH.value, "count", 1.01, 10.0),
)
PAGE_PARAMS: dict[str, PageInput] = {p.param: p for p in PAGE_INPUTS}
#: The uncertainty page's ranges travel as ``uncertainty.low.<field>`` / ``uncertainty.high.<field>``
#: (in the unit the range inputs show); the page applies them when it seeds its rows.
UNC_RANGE_PREFIXES = ("uncertainty.low.", "uncertainty.high.")


def _range_checker(param: str) -> Callable[[str], object]:
    def check(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{param} must be a number (got {text!r})") from None
    return check


def _link_extra() -> dict[str, Callable[[str], object]]:
    extra: dict[str, Callable[[str], object]] = {p.param: p.read for p in PAGE_INPUTS}
    for f in fields.INPUTS:
        for prefix in UNC_RANGE_PREFIXES:
            extra[prefix + f.name] = _range_checker(prefix + f.name)
    return extra


def _seed_page_inputs() -> None:
    """Give every page input its starting value where it has none (so no widget needs ``value=``)."""
    state = st.session_state
    for p in PAGE_INPUTS:
        if p.key not in state:
            state[p.key] = p.start(state)


def page_link_params() -> dict[str, str]:
    """Page inputs that differ from their defaults, as link parameters."""
    state = st.session_state
    out = {}
    for p in PAGE_INPUTS:
        if p.key in state and state[p.key] != p.start(state) and state[p.key] is not None:
            out[p.param] = p.write(state[p.key])
    # The uncertainty page's ranges: those changed from their default row, and those an address brought
    # for rows the page has not drawn yet.
    for name, info in state.get("_unc_seeded", {}).items():
        for (shown, _), key, prefix in zip(info["exact"], (f"unc_low_{name}", f"unc_high_{name}"),
                                           UNC_RANGE_PREFIXES, strict=True):
            value = state.get(key)
            if value is not None and value != shown:
                out[prefix + name] = repr(float(value))
    for key, value in state.get("_unc_link", {}).items():
        out.setdefault(key, value)
    return out


def link_params() -> dict[str, str]:
    """The address of the dashboard's state: presets, the user's typed values, every page's inputs."""
    presets = current_presets()
    chosen = {"accelerator": presets["accelerator"], "methodology": presets["methodology"],
              "site": None if presets["site"] == NO_SITE else presets["site"],
              "precision": None if presets["precision"] == "bf16" else presets["precision"],
              "date": presets.get("date") or None}
    return links.write(chosen, typed_values(), page_link_params())


def _restore_link(params: Mapping[str, str]) -> None:
    """Apply an address on the first run of a session: what it holds, less what cannot be used."""
    link = links.read(params, _link_extra(), check_widget)
    presets = {**DEFAULT_PRESETS, **link.presets}
    problems = list(link.problems)
    if presets["precision"] not in precisions(presets["accelerator"]):
        presets["precision"] = "bf16"
    state = st.session_state
    for k in PRESET_WIDGETS:
        state[k] = presets[k]
    # A link of another catalogue opens with the preset values it recorded: they are kept as typed
    # values (each with a reset to today's preset), and the page says which differ.
    pinned = {} if link.catalogue is None else link.catalogue.pinned
    state["_typed"] = {**pinned, **link.values}
    unc = {}
    for param, text in link.extra.items():
        if param in PAGE_PARAMS:
            p = PAGE_PARAMS[param]
            state[p.key] = p.read(text)
        else:
            unc[param] = text
    state["_unc_link"] = unc
    state["_link_problems"] = problems
    state["_link_unknown"] = list(link.unknown)
    state["_link_catalogue"] = link.notice


def _initialize() -> None:
    """First run of a session: presets, typed values and page inputs from the address (or the defaults).
    Every run: any input without a state (a field just added to the registry) gets its value."""
    state = st.session_state
    if "_typed" not in state:
        state["_typed"], state["_invalid"] = {}, {}
        for k in PRESET_WIDGETS:
            state[k] = DEFAULT_PRESETS[k]
        params = {k: st.query_params[k] for k in st.query_params}
        if params:
            _restore_link(params)
        _seed_page_inputs()
        write_widgets()
        return
    _seed_page_inputs()
    missing = [f.name for f in _widget_fields() if f.name not in state]
    if missing:
        write_widgets(missing)


# --------------------------------------------------------------------------- the current scenario

def scenario_values() -> dict[str, float | None]:
    """Every Scenario field as the sidebar holds it, in the library's unit (unvalidated).

    An input holding text that cannot be read uses the last valid value if the field is required
    (the page says so), and none if it is optional (results that need it are absent)."""
    values, _ = resolution()
    for name in invalid_inputs():
        if fields.FIELDS[name].optional:
            values.pop(name, None)
    return {f.name: values.get(f.name) for f in fields.INPUTS}


def current_scenario() -> tuple[Scenario | None, str | None]:
    """The sidebar's assumptions as a validated Scenario, or None and the library's message."""
    values = scenario_values()
    return _scenario(tuple((k, v) for k, v in values.items() if v is not None), fields.inputs())


@functools.lru_cache(maxsize=64)
def _scenario(items: tuple[tuple[str, float], ...],
              registry: tuple[str, ...]) -> tuple[Scenario | None, str | None]:
    # The sidebar, the page and the assumptions panel all ask for the same scenario in one run;
    # a Scenario is frozen, so one validation serves them all. The registry is in the key: a
    # Scenario built before a field was added does not hold it.
    del registry
    try:
        return Scenario(**dict(items)), None
    except (ValueError, TypeError) as exc:
        return None, error_text(exc)


class PageStop(Exception):  # a signal, not an error
    """Raised by :func:`stop` to end a page early; ``app.py`` catches it and still draws the
    parts shown under every page (``st.stop()`` would end the whole script)."""


def stop() -> NoReturn:
    """End the current page here (after its message); the shared panels below it are still drawn."""
    raise PageStop


def require_scenario() -> Scenario:
    """The current Scenario; on an invalid input, show the library's message and stop the page."""
    s, message = current_scenario()
    if s is None:
        show_error(f"Check the assumptions in the sidebar: {message}")
        stop()
    return s


def sync_query_params() -> None:
    """Keep the address bar equal to the dashboard's state, so it can be shared."""
    try:
        wanted = link_params()
    except ValueError:
        return
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def share_params(s: Scenario | None = None) -> dict[str, str]:
    """Query parameters that restore the dashboard's state (``s`` is accepted for compatibility)."""
    del s
    return link_params()


# --------------------------------------------------------------------------- sidebar

def _draw_field(f: Field, provenance: Mapping[str, Origin] | None = None) -> None:
    """One sidebar input from its Field, then its message: an error, "yours" with a reset, or a prefill.
    ``provenance``: the sidebar's (:func:`resolution`), asked once for every field."""
    help_ = f.help[:1].upper() + f.help[1:] + "." + (f" E.g. {f.example}." if f.example else "")
    placeholder = "not set: outputs that need it are left out" if f.optional else None
    if f.widget == "text":
        st.text_input(f.widget_label, key=f.name, help=help_, placeholder=placeholder,
                      on_change=_on_field_change, args=(f.name,))
    else:
        low, high = _range(f)
        extra: dict[str, Any] = {"value": None} if f.optional else {}
        st.number_input(f.widget_label, min_value=low, max_value=high, step=float(f.step),
                        format=f"%.{f.decimals}f", key=f.name, help=help_, placeholder=placeholder,
                        on_change=_on_field_change, args=(f.name,), **extra)
    bad = invalid_inputs().get(f.name)
    if provenance is None:
        _, provenance = resolution()
    origin = provenance.get(f.name)
    if bad is not None:
        text, message = bad
        last = typed_values().get(f.name, resolution()[0].get(f.name))
        then = (f"results use the last valid value, {fmt_assumption(f.name, last)}" if not f.optional
                else "results that need it are not shown")
        show_error(f"{f.label} ({f.name}) = {text!r} cannot be used: {message}. Until it is fixed, {then}.")
    elif origin is not None and origin.is_user:
        preset = origin.preset_value
        c1, c2 = st.columns([5, 1], vertical_alignment="center", gap="small")
        c1.caption(f"✎ Yours (preset: {fmt_assumption(f.name, preset)})" if preset is not None
                   else "✎ Yours (no preset value)")
        c2.button("↺", key=f"reset_{f.name}", on_click=reset_field, args=(f.name,),
                  help=f"Back to the preset value of {f.label.lower()}", type="tertiary")
    elif origin is not None and origin.preset == "dashboard" and f.name in PREFILL_NOTES:
        st.caption(PREFILL_NOTES[f.name])


def sidebar() -> None:
    """Draw the preset pickers and every registry input, then sync the address bar."""
    _initialize()
    names = preset_names()
    keys = fields.PRESETS
    with st.sidebar:
        st.subheader("Assumptions")
        st.caption("Presets fill the inputs below with nominal public figures (not measurements); "
                   "every input can be overridden, and a value you type stays yours when a preset changes.")
        st.selectbox(keys["accelerator"].label, list(names["accelerator"]), format_func=names["accelerator"].get,
                     key="accelerator", on_change=_on_preset_change, help=keys["accelerator"].help)
        st.selectbox(keys["methodology"].label + " (assumption set)", list(names["methodology"]),
                     format_func=names["methodology"].get, key="methodology", on_change=_on_preset_change,
                     help=keys["methodology"].help)
        st.selectbox(keys["site"].label, list(names["site"]), format_func=names["site"].get, key="site",
                     on_change=_on_preset_change, help=keys["site"].help + ". 'None' keeps the methodology's PUE.")
        offered = precisions(st.session_state["accelerator"])
        st.selectbox(keys["precision"].label, offered, format_func=names["precision"].get, key="precision",
                     on_change=_on_preset_change, help=keys["precision"].help)
        part = accelerator(st.session_state["accelerator"])
        if len(offered) == 1:
            st.caption(f"FP8: {part.name} has no published FP8 peak in the catalogue; BF16 only.")
        st.session_state.pop("_precision_note", None)
        st.text_input(keys["date"].label + " [YYYY-MM-DD]", key="date", on_change=_on_preset_change,
                      placeholder="empty: none", help=keys["date"].help)
        try:
            resolve.check_date(st.session_state.get("date") or None)
        except (ValueError, TypeError) as exc:
            show_error(f"{exc}; the methodology is applied without a date until it is fixed.")

        known = {g for g, _, _ in GROUPS}  # a field in a group of its own gets an expander of its own
        groups = [*GROUPS, *((g, g.capitalize() or "Other", True) for g in
                             dict.fromkeys(f.group for f in _widget_fields()) if g not in known)]
        _, provenance = resolution()  # the callbacks have run: the same for every field of this run
        for group, title, expanded in groups:
            members = [f for f in _widget_fields() if f.group == group]
            if not members:
                continue
            with st.expander(title, expanded=expanded or any(f.name in invalid_inputs() for f in members),
                             key=f"group_{group or 'other'}"):
                for f in members:
                    _draw_field(f, provenance)
        typed = typed_values()
        if typed:
            st.caption("Your values, kept when a preset changes: " + ", ".join(typed))
        st.button("Reset all to presets", key="reset_presets", on_click=reset_all, width="stretch",
                  disabled=not typed and not invalid_inputs(), icon=":material/restart_alt:")
        s, message = current_scenario()
        if s is None:
            show_error(message or "invalid input")
    sync_query_params()


def notices() -> None:
    """On the page: what an address brought that could not be used (once), and any input in the sidebar
    that cannot be read, with what the results use instead."""
    problems = st.session_state.get("_link_problems")
    unknown = st.session_state.get("_link_unknown")
    catalogue = st.session_state.get("_link_catalogue")
    if problems or unknown or catalogue:
        # Shown until dismissed, so that navigating to another page does not hide it.
        st.button("Dismiss the notice about the address", key="dismiss_link_notice", on_click=_dismiss_link_notice,
                  type="tertiary", icon=":material/close:")
    if problems:
        st.warning(plain("Some values in the address could not be used and were dropped (the rest of the "
                         "link is applied): " + "; ".join(problems)), icon=":material/warning:")
    if catalogue:
        st.warning(plain(catalogue[:1].upper() + catalogue[1:] + " Those values are kept as yours in the sidebar "
                         "(↺ goes back to today's preset)."), icon=":material/history:")
    if unknown:
        named = ", ".join(f"'{name[:40]}'" + (f" (did you mean '{close}'?)" if close else "")
                          for name, close in unknown)
        st.caption(plain(f"Ignored in the address (not dashboard parameters): {named}."))
    bad = invalid_inputs()
    if bad:
        values = scenario_values()
        parts = []
        for name in bad:
            f = fields.FIELDS[name]
            parts.append(f"{f.label} ({name}): the results below use the last valid value, "
                         f"{fmt_assumption(name, values.get(name))}" if not f.optional else
                         f"{f.label} ({name}): results that need it are not shown")
        st.warning(plain("An input in the sidebar cannot be read, so the figures are not all up to date. "
                         + "; ".join(parts) + "."), icon=":material/warning:")


def _dismiss_link_notice() -> None:
    st.session_state.pop("_link_problems", None)
    st.session_state.pop("_link_unknown", None)
    st.session_state.pop("_link_catalogue", None)


def restore_warning() -> None:
    """Kept for ``app.py`` callers: see :func:`notices`."""
    notices()


def status(name: str, origin: Origin | None, value: float | None) -> str:
    """Where a value came from, in words."""
    if origin is None:
        return "not set"
    filled = st.session_state.get("_filled_sources", {}).get(name)
    if origin.is_user:
        if filled is not None and value == filled.value:
            return "filled from a site preset"
        if value is None:
            return "emptied by you"
        return "yours" + (f" (preset {fmt_assumption(name, origin.preset_value)})"
                          if origin.preset_value is not None else "")
    if origin.preset == "dashboard":
        return "dashboard prefill"
    if origin.origin == "default":
        return f"default methodology ({origin.preset})" if origin.preset else "neutral default"
    return f"{origin.origin} preset ({origin.preset})"


def assumptions_rows(s: Scenario) -> list[dict[str, str]]:
    """One row per assumption: value with unit, where it comes from, source, note, confirmed."""
    _, provenance = resolution()
    filled = st.session_state.get("_filled_sources", {})
    rows = []
    for f in fields.INPUTS:
        value = getattr(s, f.name)
        origin = provenance.get(f.name)
        state = "not set" if value is None and (origin is None or not origin.is_user) else status(
            f.name, origin, value)
        src: Any = filled.get(f.name) if state == "filled from a site preset" else origin
        sourced = src is not None and not (origin is not None and origin.is_user and src is origin)
        rows.append({
            "Assumption": f.label, "Value": fmt_assumption(f.name, value), "Unit": f.unit_text, "Status": state,
            "Source": src.source if sourced else "",
            "Note": src.note if sourced else "",
            "Confirmed": ("" if not sourced or not src.source else
                          "yes" if src.confirmed else "no: secondary source, implied or estimated"),
        })
    return rows


def fmt_assumption(field: str, value: float | None) -> str:
    """An assumption's value in its own display form."""
    if value is None:
        return "—"
    unit = fields.unit(field)
    if unit == "count":
        v = float(value)
        return f"{v:,.0f}" if v.is_integer() else f"{v:,.6g}"
    if unit in ("W", "FLOP/s"):
        return fmt(value, unit)
    if unit == "h":
        return f"{value:,.6g} h ({fmt(value, 'h')})"
    return f"{value:.6g}" if unit == "ratio" else f"{value:.6g} {fields.UNIT_TEXT.get(unit, unit)}"


def assumptions_panel(s: Scenario | None, message: str | None = None) -> None:
    """The 'Assumptions and sources' expander shown under every page.

    Its table is built only while the expander is open (``on_change="rerun"``
    makes the expander report its state): a closed panel costs a rerun
    nothing but its header. With an invalid input (``s`` None) it says why
    the table is missing.
    """
    panel = st.expander("Assumptions and sources", expanded=False, icon=":material/menu_book:",
                        key="assumptions_panel", on_change="rerun")
    if not panel.open:
        return
    with panel:
        if s is None:
            st.caption(plain("The table returns once the inputs in the sidebar are valid: "
                             f"{message or 'invalid input'}"))
            return
        st.caption("Every input is an assumption: a preset (a nominal public figure, not a measurement), a "
                   "default, a dashboard prefill or your own value. 'Confirmed: no' marks a figure read only "
                   "in a secondary source, implied rather than stated, or estimated.")
        rows = assumptions_rows(s)
        table("assumptions_table", {k: [r[k] for r in rows] for k in rows[0]}, column_config={
            "Assumption": st.column_config.TextColumn(width="medium"),
            "Source": st.column_config.TextColumn(width="large"),
            "Note": st.column_config.TextColumn(width="large")},
            column_order=["Assumption", "Value", "Unit", "Status", "Confirmed", "Source", "Note"])
        m = methodology(current_presets()["methodology"])
        st.caption(f"Methodology: {m.name}. {m.description}\n\nSource: {m.source}")


# --------------------------------------------------------------------------- display helpers

#: Registry fields the dashboard shows as a percentage rather than as a bare ratio.
PERCENT_FIELDS: frozenset[str] = frozenset({"share_of_gigawatt", "load_factor", "mfu", "goodput", "implied_mfu",
                                            "implied_goodput", "share_of_facility", "step_share_of_facility"})

#: Labels of the metrics that are not registry fields (a part of the load swing, a figure per accelerator or
#: per query, a total over the timeline, a percentile), each written once; every other metric takes its
#: field's label through :func:`kpi`. A ``{}`` stands for a value the page puts in.
METRIC_LABELS: dict[str, str] = {
    "energy_wh_per_gpu": "Facility energy per accelerator",
    "cost_per_gpu": "Electricity cost per accelerator",
    "emissions_kg_per_gpu": "Emissions per accelerator",
    "water_l_per_gpu": "Site water per accelerator",
    "emissions_kg_per_query": "Emissions per query (location-based)",
    "market_emissions_kg_per_query": "Emissions per query (market-based)",
    "water_l_per_query": "Site water per query",
    "generation_water_l_per_query": "Power-plant water per query",
    "fewest_gpus": "Fewest accelerators (excluding neutral)",
    "most_gpus": "Most accelerators (excluding neutral)",
    "spread": "Spread (most ÷ fewest)",
    "energy_wh_over_timeline": "Facility energy over the timeline",
    "cost_over_timeline": "Electricity cost over the timeline",
    "total_cost_over_timeline": "Capital plus energy over the timeline",
    "passes": "Passes {}",
    "p5": "P5",
    "p50": "P50 (median)",
    "p95": "P95",
    "at_sidebar": "At the sidebar values",
}


def display_unit(name: str) -> str:
    """The unit :func:`fmt` shows a registry field in: a percentage for :data:`PERCENT_FIELDS`, else the
    library's (:func:`estimator.display.display_unit`: "W", "kg CO2e", "currency", "ratio", ...)."""
    return "%" if name in PERCENT_FIELDS else display.display_unit(name)


def kpi(name: str, value: float | None, help: str | None = None) -> tuple[str, str, str | None]:
    """One metric of a registry field, for :func:`kpi_row`: (label, value text, help).

    The label is the field's (:func:`estimator.fields.label`), the value is shown in the field's unit
    (:func:`display_unit`), so an output reads the same on every page and at the command line.

    Parameters
    ----------
    name : str
        A field of :data:`estimator.fields.FIELDS` (an output, or an input a page estimates).
    value : float or None
        Its value in the field's base unit; None shows as "—".
    help : str, optional
        A help more specific to the page (a formula, what is missing); by default the field's own help
        (none where the registry's help only repeats the label).
    """
    spec = fields.FIELDS[name]
    if help is None and spec.help != spec.label:
        help = spec.help
    return spec.label, fmt(value, display_unit(name)), help


def kpi_row(key: str, items: list[tuple[str, str, str | None]]) -> None:
    """A row of bordered metrics: (label, value text, help) each, in a keyed container."""
    with st.container(horizontal=True, key=key, gap="small"):
        for label, value, help_ in items:
            st.metric(label, value, help=help_, border=True, width="stretch")


def equivalents_caption(key: str, average_power_w: float | None = None, energy_wh: float | None = None) -> None:
    """One caption line of everyday equivalents (:func:`estimator.equivalents`), said to be no measurement."""
    if average_power_w is None and energy_wh is None:
        return
    items = estimator.equivalents(average_power_w=average_power_w, energy_wh=energy_wh)
    with st.container(key=key):
        st.caption("Equivalences, not measurements: " + "; ".join(i["text"] for i in items) + ".",
                   help=" ".join(f"{i['name']}: {i['source']}." for i in items))


def table(key: str, data: Any, **kwargs: Any) -> None:
    """A dataframe in a keyed container (the key is how tests and browser tests find it).

    A mapping of columns is handed over as one Arrow table, as Streamlit sends it: through pandas it was
    built twice (a frame, then its Arrow copy), about half of the table's cost in a rerun.
    """
    if isinstance(data, Mapping):
        data = _arrow_table(data)
    with st.container(key=key):
        st.dataframe(data, hide_index=True, width="stretch", **kwargs)


def _arrow_table(columns: Mapping[str, Any]) -> Any:
    try:
        return pa.table({k: list(v) for k, v in columns.items()})
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column of mixed kinds: Streamlit's conversion shows it
        return columns


def narrow(data: Any, first: str = "medium") -> dict[str, Any]:
    """Column widths for a table of short figures: the first (name) column wider, the rest small."""
    cols = list(data.columns) if hasattr(data, "columns") else list(data)  # a frame, or a mapping of columns
    return {c: st.column_config.TextColumn(width=first if i == 0 else "small") for i, c in enumerate(cols)}


def chart(key: str, spec: Any) -> None:
    """A chart in a keyed container, full width: a Vega-Lite dict (see :mod:`app_pages.vega`) or an
    Altair chart."""
    with st.container(key=key):
        if isinstance(spec, dict):
            st.vega_lite_chart(spec, width="stretch")
        else:
            st.altair_chart(spec, width="stretch")


def guarded(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the library; on a rejected input show its message and stop the page."""
    try:
        return function(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        show_error(exc)
        stop()


def parse_input(text: str, unit: str, field: str) -> float | None:
    """Read a quantity typed by the user; on failure show the reason and return None."""
    try:
        return units.parse(text, unit, field=field)
    except (ValueError, TypeError) as exc:
        show_error(exc)
        return None


def parse_field(text: str, field: str) -> float | None:
    """Read a quantity of a registry field typed by the user and check its rule; on failure show why, return None.

    Empty text is None (not given). Used where the page decides on the value before any library call sees it
    (a capital cap set aside for want of prices must still be refused when it is negative).
    """
    if not text.strip():
        return None
    value = parse_input(text, fields.unit(field), field)
    if value is None:
        return None
    try:
        return validate.field(field, value)
    except (ValueError, TypeError) as exc:
        show_error(exc)
        return None


def scenario_json(items: Mapping[str, tuple[Scenario, Mapping[str, str | None]]]) -> str:
    """JSON of named scenarios: presets, every assumption (with unit) and every result."""
    out = []
    for name, (s, presets) in items.items():
        out.append({
            "name": name,
            "presets": {k: v for k, v in presets.items() if v and v != NO_SITE},
            "assumptions": s.to_dict(),
            "results": estimator.estimate(s).to_dict(),
        })
    doc = {
        "note": "Every assumption is a user input or a nominal public figure, not a measurement.",
        "catalog": catalog.VERSION,
        "units": {f.name: f.unit_text for f in (*fields.INPUTS, *fields.OUTPUTS)},
        "scenarios": out,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
