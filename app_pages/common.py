"""Shared dashboard state: the sidebar, the current Scenario, formatting and safe display.

Every page reads the user's assumptions through :func:`current_scenario` (or
:func:`require_scenario`, which stops the page with the library's message when
an input is invalid). The sidebar is drawn once per run by ``app.py`` before
the page, so every page sees the same scenario.

The UI holds no arithmetic: numbers come from :mod:`estimator` and are only
converted to display units here.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

import streamlit as st

import estimator
from estimator import catalog, links, tables, units
from estimator.catalog import Sourced
from estimator.scenario import Scenario

DEFAULT_PRESETS: dict[str, str] = {"accelerator": "h100-sxm", "methodology": "nameplate", "site": "none",
                                   "precision": "bf16"}
NO_SITE = "none"
PEAK_UNIT = "TFLOP/s"  # the sidebar shows the per-accelerator peak in TFLOP/s

#: Values the dashboard starts from where no preset applies; assumptions, with their reason.
APP_DEFAULTS: dict[str, Sourced] = {
    "gpus": Sourced(
        100_000.0, "count",
        "Dashboard default: the size of SemiAnalysis's model cluster ('100,000 H100 Clusters', 2024, "
        "https://semianalysis.com/2024/06/17/100000-h100-clusters-power-network/) and of xAI Colossus's "
        "first phase",
        "A starting point to change, not a figure about any site.", True),
    "hours": Sourced(
        8760.0, "h", "Dashboard default: one year of 365 days",
        "Energy, cost, emissions and water are reported over this period.", True),
    "mfu": Sourced(
        0.40, "ratio",
        "Llama Team, AI @ Meta, 'The Llama 3 Herd of Models', arXiv:2407.21783 (2024): BF16 MFU of "
        "38–43% on 8K–16K H100, https://arxiv.org/abs/2407.21783",
        "Dashboard default inside the published range; a methodology that sets its own MFU replaces it.",
        True),
    "server_overhead": Sourced(1.0, "ratio", "Project assumption: neutral value of a ratio (docs/methodology.md)"),
    "network_overhead": Sourced(1.0, "ratio", "Project assumption: neutral value of a ratio (docs/methodology.md)"),
    "pue": Sourced(1.0, "ratio", "Project assumption: neutral value of a ratio (docs/methodology.md)"),
    "utilization": Sourced(1.0, "ratio", "Project assumption: full load all the time (docs/methodology.md)"),
}

#: What a shared link that leaves a field or preset out means: the dashboard's defaults.
LINK_DEFAULTS: dict[str, float] = {k: v.value for k, v in APP_DEFAULTS.items()}
LINK_PRESETS: dict[str, str] = {k: v for k, v in DEFAULT_PRESETS.items() if k != "site"}

IDLE_FRACTION_DEFAULT = Sourced(
    0.15, "ratio",
    "Dashboard assumption: a waiting H100 still draws roughly 100 W of its 700 W for memory, clocks "
    "and fans",
    "Not a published figure; change it to see how the swing moves.", False)

#: Sidebar widgets holding Scenario fields, and how each maps to its field.
FIELD_WIDGETS: dict[str, str] = {
    "gpus": "gpus", "gpu_watts": "gpu_watts", "peak_flop_per_s": "peak_tflops",
    "server_overhead": "server_overhead", "network_overhead": "network_overhead", "pue": "pue",
    "utilization": "utilization", "mfu": "mfu", "hours": "period",
    "electricity_price": "electricity_price", "carbon_intensity": "carbon_intensity", "wue": "wue",
}
PRESET_WIDGETS = ("accelerator", "methodology", "site", "precision")
#: Range of each sidebar input, in the field's own unit: the library's rule, closed where a widget
#: needs a closed range (a utilization of 1e-300 is valid in the library, not in a number box).
LIMITS: dict[str, tuple[float, float]] = {
    "gpus": (1.0, 1e9), "gpu_watts": (1.0, 1e6), "peak_flop_per_s": (1e9, 1e18), "mfu": (0.01, 1.0),
    "server_overhead": (1.0, 10.0), "network_overhead": (1.0, 10.0), "pue": (1.0, 10.0),
    "utilization": (0.01, 1.0), "electricity_price": (0.0, 1000.0), "carbon_intensity": (0.0, 10.0),
    "wue": (0.0, 100.0),
}

#: Fields a preset change may set; gpus and the period are the user's own.
PRESET_FIELDS = ("gpu_watts", "peak_flop_per_s", "server_overhead", "network_overhead", "pue",
                 "utilization", "mfu", "electricity_price", "carbon_intensity", "wue")
OPTIONAL_FIELDS = ("electricity_price", "carbon_intensity", "wue")

#: Where the "fill missing figures" button takes each optional figure from (site presets).
SUGGESTED_SITES: dict[str, str] = {"electricity_price": "us-hyperscale-2025",
                                   "carbon_intensity": "llama3-training", "wue": "microsoft-fleet"}

ASSUMPTION_NOTE = ("Every input is an assumption. Presets are nominal public figures (vendor ratings, "
                   "published methodologies, fleet averages), not measurements; each is listed with its "
                   "source under *Assumptions and sources*.")


# --------------------------------------------------------------------------- formatting

#: One (a ratio) in percent, from estimator.units once: its lookup of '%' is slow for a call per figure.
_PERCENT = units.to_unit(1.0, "%")


def fmt(value: float | None, unit: str) -> str:
    """Display text of one number in a library unit, via :mod:`estimator.units`."""
    if value is None:
        return "—"
    v = float(value)
    if not math.isfinite(v):
        return "—"
    if unit == "W":
        return units.format_power(v)
    if unit == "Wh":
        return units.format_energy(v)
    if unit == "FLOP/s":
        return units.format_flop_rate(v)
    if unit == "FLOP":
        return units.format_flop(v)
    if unit == "count":
        return units.format_count(v)
    if unit in ("kg", "kg CO2e"):
        return units.format_mass(v) + (" CO2e" if unit == "kg CO2e" else "")
    if unit == "L":
        return units.format_volume(v)
    if unit == "currency":
        return units.format_money(v)
    if unit == "s":
        return units.format_duration(v)
    if unit == "h":
        return units.format_duration(units.to_unit(v, "s", from_unit="h"))
    if unit == "ratio":
        return f"{v:.3g}"
    if unit == "%":
        return f"{v * _PERCENT:.3g} %"
    if unit == "runs":
        return f"{v:,.1f}" if v < 1000 else units.format_count(v)
    if unit == "GPU-h":
        return units.format_count(v) + " GPU-h"
    return f"{v:.4g} {unit}"


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
    """Catalogue keys → display names for the three pickers."""
    return {
        "accelerator": {k: v.name for k, v in catalog.accelerators().items()},
        "methodology": {k: v.name for k, v in catalog.methodologies().items()},
        "site": {NO_SITE: "None (methodology's PUE)",
                 **{k: v.name for k, v in catalog.sites().items()}},
        "precision": {"bf16": "BF16 (dense)", "fp8": "FP8 (dense, where published)"},
    }


def suggested_sources() -> dict[str, tuple[str, Sourced]]:
    """Optional figure → (site name, sourced value) offered when the chosen site lacks it."""
    out = {}
    for field, key in SUGGESTED_SITES.items():
        site = catalog.site(key)
        out[field] = (site.name, getattr(site, field))
    return out


def fill_missing() -> None:
    """Fill the empty price, grid intensity and WUE inputs from site presets (a button callback)."""
    filled = st.session_state.setdefault("_filled_sources", {})
    for field, (_, sourced) in suggested_sources().items():
        if st.session_state.get(FIELD_WIDGETS[field]) is None:
            st.session_state[FIELD_WIDGETS[field]] = sourced.value
            filled[field] = sourced


@functools.lru_cache(maxsize=256)
def _catalog_sources(accelerator: str, methodology: str, site: str, precision: str) -> tuple[tuple[str, Sourced], ...]:
    """The presets' sourced values, read from the catalogue once per combination.

    The catalogue builds fresh objects from its parsed TOML on every call; the
    figures never change while the app runs, so a plain LRU cache holds them
    (no copying: Sourced is frozen, and the tuple is turned into a new dict
    by every caller).
    """
    part = catalog.accelerator(accelerator)
    if precision == "fp8" and part.peak_flop_per_s_fp8 is None:
        precision = "bf16"
    out = dict(part.sourced_assumptions(precision))
    out.update(catalog.methodology(methodology).sourced_assumptions(part))
    if site != NO_SITE:
        out.update(catalog.site(site).sourced_assumptions())
    return tuple(out.items())


@functools.lru_cache(maxsize=64)
def accelerator(key: str) -> catalog.Accelerator:
    """One accelerator preset (cached: the catalogue rebuilds every entry on each lookup)."""
    return catalog.accelerator(key)


@functools.lru_cache(maxsize=64)
def methodology(key: str) -> catalog.Methodology:
    """One methodology preset (cached, as :func:`accelerator`)."""
    return catalog.methodology(key)


def preset_sources(presets: Mapping[str, str]) -> dict[str, Sourced]:
    """Each Scenario field's preset value with its source: app defaults, figures filled by the
    user from site presets, then accelerator, methodology and site, in that order (the library's
    :func:`estimator.preset_assumptions` order)."""
    out = dict(APP_DEFAULTS)
    out.update(st.session_state.get("_filled_sources", {}))
    out.update(_catalog_sources(presets["accelerator"], presets["methodology"], presets.get("site", NO_SITE),
                                presets.get("precision", "bf16")))
    return out


def preset_values(presets: Mapping[str, str]) -> dict[str, float]:
    """Scenario field → preset value (see :func:`preset_sources`)."""
    return {k: v.value for k, v in preset_sources(presets).items()}


def current_presets() -> dict[str, str]:
    """The preset keys picked in the sidebar."""
    return {k: st.session_state.get(k, DEFAULT_PRESETS[k]) for k in PRESET_WIDGETS}


def check_limits(values: Mapping[str, float | None]) -> None:
    """Raise ValueError if a value cannot be held by its sidebar input (see :data:`LIMITS`)."""
    for field, (low, high) in LIMITS.items():
        value = values.get(field)
        if value is None:
            continue
        if not low <= value <= high:
            raise ValueError(f"{field} must be between {low:g} and {high:g} in the dashboard (got {value!r})")
        if field == "gpus" and not float(value).is_integer():
            raise ValueError(f"gpus must be a whole number in the dashboard (got {value!r})")


def _widget_value(field: str, value: float | None) -> Any:
    """A Scenario field's value in its sidebar widget's unit and type."""
    if field == "gpus":
        return None if value is None else max(1, round(value))
    if field == "peak_flop_per_s":
        shown = None if value is None else units.to_unit(value, PEAK_UNIT)
        # Remember the exact value: value / 1e12 * 1e12 need not give value back.
        st.session_state["_exact_peak"] = (shown, value)
        return shown
    if field == "hours":
        return hours_text(value)
    return None if value is None else float(value)


def set_widgets(values: Mapping[str, float | None]) -> None:
    """Write Scenario field values into their sidebar inputs (only from a callback or before the sidebar)."""
    for field, value in values.items():
        st.session_state[FIELD_WIDGETS[field]] = _widget_value(field, value)


def _apply_presets(reset_all: bool = False) -> None:
    """Write the picked presets into the sidebar inputs (a widget callback).

    Fields the new presets set are overwritten. An optional figure the new
    site does not give (price, grid, WUE) is cleared only if it came from the
    previous preset, so a value the user typed survives a change of site.
    """
    old = st.session_state.get("_preset_values", {})
    new = preset_values(current_presets())
    updates: dict[str, float | None] = {}
    for field in PRESET_FIELDS:
        if field in new:
            updates[field] = new[field]
        elif field in OPTIONAL_FIELDS:
            if reset_all or (field in old and _close(scenario_field(field), old[field])):
                updates[field] = None
    set_widgets(updates)
    st.session_state["_preset_values"] = new


def _reset_to_presets() -> None:
    _apply_presets(reset_all=True)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# --------------------------------------------------------------------------- state and URL

def _initialize() -> None:
    """First run of a session: defaults, or the scenario in the address if it is valid."""
    if st.session_state.get("_initialized"):
        return
    st.session_state["_initialized"] = True
    st.session_state.setdefault("kept", {})
    presets = dict(DEFAULT_PRESETS)
    values: dict[str, float | None] = {**preset_values(presets), "gpus": APP_DEFAULTS["gpus"].value,
                                       "hours": APP_DEFAULTS["hours"].value}
    params = {k: st.query_params[k] for k in st.query_params}
    if params:
        try:
            # A short link reads as if its presets (or the default ones) were picked and only
            # the values it gives were typed.
            fields, restored = links.scenario_from_query(params, LINK_DEFAULTS, LINK_PRESETS)
            check_limits(fields)
            presets.update({k: v for k, v in restored.items() if v is not None})
            if restored.get("site") is None:
                presets["site"] = NO_SITE
            values = {k: fields[k] for k in FIELD_WIDGETS}
        except (ValueError, TypeError) as exc:
            st.session_state["_restore_warning"] = error_text(exc)
    for k in PRESET_WIDGETS:
        st.session_state[k] = presets[k]
    st.session_state["_preset_values"] = preset_values(presets)
    set_widgets(values)


def scenario_field(field: str) -> float | None:
    """One Scenario field as the sidebar holds it, in the library's unit (no validation).

    Raises
    ------
    ValueError
        If the period text cannot be read (units.parse names the problem).
    """
    value = st.session_state.get(FIELD_WIDGETS[field])
    if field == "peak_flop_per_s":
        shown, exact = st.session_state.get("_exact_peak", (None, None))
        if value is not None and value == shown:
            return exact
        return None if value is None else units.to_unit(value, "FLOP/s", from_unit=PEAK_UNIT)
    if field == "hours":
        text = (value or "").strip()
        return None if not text else _period_hours(text)
    return None if value is None else float(value)


@functools.lru_cache(maxsize=256)
def _period_hours(text: str) -> float:
    # Read on every rerun, usually the same text; errors are raised again each time (not cached).
    return units.parse(text, "h", field="period")


def scenario_fields() -> dict[str, float | None]:
    """Every Scenario field from the sidebar (unvalidated); raises ValueError on a bad period."""
    return {f: scenario_field(f) for f in Scenario.field_names()}


def current_scenario() -> tuple[Scenario | None, str | None]:
    """The sidebar's assumptions as a validated Scenario, or None and the library's message."""
    try:
        values = scenario_fields()
    except (ValueError, TypeError) as exc:
        return None, error_text(exc)
    return _scenario(tuple((k, v) for k, v in values.items() if v is not None))


@functools.lru_cache(maxsize=64)
def _scenario(items: tuple[tuple[str, float], ...]) -> tuple[Scenario | None, str | None]:
    # The sidebar, the page and the assumptions panel all ask for the same scenario in one run;
    # a Scenario is frozen, so one validation serves them all.
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


def _sync_query_params(s: Scenario | None) -> None:
    """Keep the address bar equal to the current scenario, so it can be shared."""
    if s is None:
        return
    wanted = share_params(s)
    current = {k: st.query_params[k] for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def share_params(s: Scenario) -> dict[str, str]:
    """Query parameters that restore ``s`` and the picked presets."""
    presets = current_presets()
    fields = s.to_dict()
    if any(isinstance(v, list) for v in fields.values()):  # arrays: let the library word the refusal
        return links.query_from_scenario(s, {**presets, "site": None if presets["site"] == NO_SITE
                                             else presets["site"]}, LINK_DEFAULTS)
    return dict(_share_params(tuple(fields.items()), tuple(presets.items())))


@functools.lru_cache(maxsize=64)
def _share_params(fields: tuple[tuple[str, float | None], ...],
                  presets: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    # Asked on every rerun (to keep the address bar in step), nearly always with the same answer.
    chosen = dict(presets)
    scenario = Scenario(**{k: v for k, v in fields if v is not None})
    return tuple(links.query_from_scenario(scenario, {**chosen, "site": None if chosen["site"] == NO_SITE
                                                      else chosen["site"]}, LINK_DEFAULTS).items())


# --------------------------------------------------------------------------- sidebar

def _number(field: str, label: str, *, step: float, fmt_: str, help_: str, allow_empty: bool = False) -> None:
    """A sidebar number input for one Scenario field, its range from :data:`LIMITS`."""
    low, high = _PEAK_LIMITS if field == "peak_flop_per_s" else LIMITS[field]
    # value=None lets an optional input be empty; its state is always set in _initialize().
    extra: dict[str, Any] = {"value": None} if allow_empty else {}
    st.number_input(label, min_value=low, max_value=high, step=step, format=fmt_,
                    key=FIELD_WIDGETS[field], help=help_, **extra,
                    placeholder="not set: outputs that need it are left out" if allow_empty else None)


_PEAK_LIMITS = tuple(units.to_unit(v, PEAK_UNIT) for v in LIMITS["peak_flop_per_s"])


def sidebar() -> None:
    """Draw the preset pickers and every assumption input, then sync the address bar."""
    _initialize()
    names = preset_names()
    with st.sidebar:
        st.subheader("Assumptions")
        st.caption("Presets fill the inputs below with nominal public figures (not measurements); "
                   "every input can be overridden.")
        st.selectbox("Accelerator", list(names["accelerator"]), format_func=names["accelerator"].get,
                     key="accelerator", on_change=_apply_presets,
                     help="Sets accelerator power, peak FLOP/s and the server overhead.")
        st.selectbox("Methodology (assumption set)", list(names["methodology"]),
                     format_func=names["methodology"].get, key="methodology", on_change=_apply_presets,
                     help="Sets server and network overheads, PUE, utilization (and MFU where published).")
        st.selectbox("Site", list(names["site"]), format_func=names["site"].get, key="site",
                     on_change=_apply_presets,
                     help="Sets PUE, and WUE, grid intensity and price where the site publishes them. "
                          "'None' keeps the methodology's PUE.")
        st.selectbox("Precision", list(names["precision"]), format_func=names["precision"].get,
                     key="precision", on_change=_apply_presets,
                     help="Which dense peak the accelerator preset uses.")

        with st.expander("Fleet and accelerator", expanded=True):
            st.number_input("Accelerators in the fleet [count]", min_value=1, max_value=int(LIMITS["gpus"][1]),
                            step=1000, key="gpus", help="GPUs, TPUs, ... (1 to 10⁹).")
            _number("gpu_watts", "Accelerator power [W]", step=10.0, fmt_="%.0f",
                    help_="Power of one accelerator at full load: nameplate TDP/TGP unless you know better.")
            _number("peak_flop_per_s", "Peak per accelerator [TFLOP/s]", step=10.0, fmt_="%.1f",
                    allow_empty=True, help_="Dense peak at the chosen precision, without sparsity. Empty: no "
                                            "compute outputs.")
            _number("mfu", "MFU [0–1]", step=0.01, fmt_="%.3f",
                    help_="Model FLOPs utilization: achieved ÷ peak FLOP/s of a training job.")
        with st.expander("Overheads (the power chain)", expanded=True):
            _number("server_overhead", "Server overhead [ratio, ≥ 1]", step=0.01, fmt_="%.3f",
                    help_="Server wall power ÷ accelerator power: host CPUs, memory, NICs, fans, PSU loss.")
            _number("network_overhead", "Network overhead [ratio, ≥ 1]", step=0.01,
                    fmt_="%.3f", help_="IT power ÷ server power: switches, optics, storage, management.")
            _number("pue", "PUE [ratio, ≥ 1]", step=0.01, fmt_="%.3f",
                    help_="Power usage effectiveness: facility power ÷ IT power (cooling, power conversion, "
                          "lighting).")
            _number("utilization", "Utilization [0–1]", step=0.01, fmt_="%.2f",
                    help_="Average ÷ full-load draw over the period; sets the average draw and the energy.")
        with st.expander("Period, grid and price", expanded=False):
            st.text_input("Period [e.g. 1 year, 90 days]", key="period",
                          help="Energy, cost, emissions and water are over this period, e.g. '1 year', "
                               "'90 days', '2160 h'. Empty: none.")
            _number("electricity_price", "Electricity price [currency/kWh]", step=0.01, fmt_="%.4f",
                    allow_empty=True, help_="Empty: no cost.")
            _number("carbon_intensity", "Grid intensity [kg CO2e/kWh]", step=0.01, fmt_="%.3f",
                    allow_empty=True, help_="Grid carbon intensity, location-based. Empty: no emissions.")
            _number("wue", "WUE [L/kWh of IT energy]", step=0.01, fmt_="%.2f",
                    allow_empty=True, help_="Water usage effectiveness: site water ÷ IT energy. Empty: no water.")
        st.button("Reset inputs to the presets", key="reset_presets", on_click=_reset_to_presets,
                  width="stretch")
        s, message = current_scenario()
        if s is None:
            show_error(message or "invalid input")
        else:
            overridden = overridden_fields(s)
            if overridden:
                st.caption("Changed from the presets: " + ", ".join(overridden))
    _sync_query_params(s)


def restore_warning() -> None:
    """Show, once, why a shared address could not be restored."""
    message = st.session_state.pop("_restore_warning", None)
    if message:
        st.warning(plain(f"The scenario in the address could not be used ({message}); showing the "
                         "defaults instead."), icon=":material/warning:")


def overridden_fields(s: Scenario) -> list[str]:
    """Scenario fields whose value differs from the presets' (or the dashboard default)."""
    preset = preset_values(current_presets())
    out = []
    for field in Scenario.field_names():
        value = getattr(s, field)
        if field in preset:
            if not _close(value, preset[field]):
                out.append(field)
        elif value is not None:
            out.append(field)
    return out


def assumptions_rows(s: Scenario) -> list[dict[str, str]]:
    """One row per assumption: value with unit, where it comes from, source, note, confirmed."""
    sources = preset_sources(current_presets())
    rows = []
    for field in Scenario.field_names():
        label, unit = tables.ASSUMPTIONS[field]
        value = getattr(s, field)
        src = sources.get(field)
        if value is None:
            status = "not set"
        elif src is not None and _close(value, src.value):
            status = "dashboard default" if field in APP_DEFAULTS and src is APP_DEFAULTS[field] else "preset"
        elif src is not None:
            status = f"overridden (preset {fmt_assumption(field, src.value)})"
        else:
            status = "your input"
        from_preset = src is not None and status != "your input"
        rows.append({
            "Assumption": label, "Value": fmt_assumption(field, value), "Unit": unit, "Status": status,
            "Source": src.source if from_preset else "",
            "Note": src.note if from_preset else "",
            "Confirmed": ("" if not from_preset else
                          "yes" if src.confirmed else "no: secondary source, implied or estimated"),
        })
    return rows


def fmt_assumption(field: str, value: float | None) -> str:
    """An assumption's value in its own display form."""
    if value is None:
        return "—"
    unit = tables.ASSUMPTIONS[field][1]
    if field == "gpus":
        return units.format_count(value)
    if unit in ("W", "FLOP/s"):
        return fmt(value, unit)
    if unit == "h":
        return f"{value:,.6g} h ({fmt(value, 'h')})"
    return f"{value:.6g}" if unit == "ratio" else f"{value:.6g} {unit}"


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
        st.caption("Every input is an assumption: a dashboard default, a preset (a nominal public figure, "
                   "not a measurement) or your own value. 'Confirmed: no' marks a figure read only in a "
                   "secondary source, implied rather than stated, or estimated.")
        rows = assumptions_rows(s)
        table("assumptions_table", {k: [r[k] for r in rows] for k in rows[0]}, column_config={
            "Assumption": st.column_config.TextColumn(width="medium"),
            "Source": st.column_config.TextColumn(width="large"),
            "Note": st.column_config.TextColumn(width="large")},
            column_order=["Assumption", "Value", "Unit", "Status", "Confirmed", "Source", "Note"])
        m = methodology(current_presets()["methodology"])
        st.caption(f"Methodology: {m.name}. {m.description}\n\nSource: {m.source}")


# --------------------------------------------------------------------------- display helpers

def kpi_row(key: str, items: list[tuple[str, str, str | None]]) -> None:
    """A row of bordered metrics: (label, value text, help) each, in a keyed container."""
    with st.container(horizontal=True, key=key, gap="small"):
        for label, value, help_ in items:
            st.metric(label, value, help=help_, border=True, width="stretch")


def table(key: str, data: Any, **kwargs: Any) -> None:
    """A dataframe in a keyed container (the key is how tests and browser tests find it)."""
    with st.container(key=key):
        st.dataframe(data, hide_index=True, width="stretch", **kwargs)


def narrow(data: Any, first: str = "medium") -> dict[str, Any]:
    """Column widths for a table of short figures: the first (name) column wider, the rest small."""
    cols = list(data.columns)
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
        "units": {**{k: u for k, (_, u) in tables.ASSUMPTIONS.items()},
                  **{k: u for k, (_, u) in tables.RESULTS.items()}},
        "scenarios": out,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
