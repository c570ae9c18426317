"""Uncertainty: every assumption as a range → P5/P50/P95, histograms, tornado and Sobol shares."""

import streamlit as st

from app_pages import common, vega
from estimator import distributions, fields, uncertainty, units

st.title("Uncertainty")
st.caption("No assumption is known exactly. Give each one a low, likely and high value (the likely value is the "
           "sidebar's; presets suggest the range) and see how far the results move: percentiles from a Monte "
           "Carlo simulation, which assumption matters most (tornado), and how the variance splits between "
           "them (Sobol indices). " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
presets = common.current_presets()

SHAPES = {"triangular": "Triangular", "uniform": "Uniform", "lognormal": "Log-normal"}
SHAPE_NOTES = {"triangular": "Triangular ranges: most weight at the likely value, none beyond low and high.",
               "uniform": "Uniform ranges: every value from low to high equally likely; the likely value is not "
                          "used.",
               "lognormal": "Log-normal ranges: P5 at low and P95 at high, median √(low × high) (the likely value "
                            "is not used; the default ranges are ÷ and × the same factor around it, so the median "
                            "is your value); tails beyond are possible and are clipped to the valid values."}
SAMPLES = list(common.UNC_SAMPLES)
#: From this many samples on, the simulation reports its progress.
PROGRESS_FROM = 200_000
#: Output → (chart unit, or None for a count; that unit as the chart's title writes it), in the order the page
#: offers them; those whose assumptions the scenario lacks are left out. Labels and units are the registry's.
CHART_UNITS = {
    "facility_power_w": ("MW", "MW"),
    "average_facility_power_w": ("MW", "MW"),
    "gpus_per_gigawatt": (None, "count"),
    "energy_wh": ("GWh", "GWh"),
    "cost": ("million $", "million $"),
    "total_cost": ("million $", "million $"),
    "emissions_kg": ("t", "t CO2e"),
    "water_l": ("million m3", "million m³"),
    "energy_per_query_wh": ("Wh", "Wh"),
    "queries_per_day": (None, "count"),
}
#: Output → (label, unit for common.fmt, chart unit or None, chart title): the registry's label and unit.
OUTPUTS = {name: (fields.label(name), common.display_unit(name), chart, f"{fields.label(name)} [{text}]")
           for name, (chart, text) in CHART_UNITS.items()}


def _grid(field: str) -> tuple[str | None, str, float]:
    """How a field is typed in the range grid, from the registry: display unit (None: its own), format, step."""
    f = fields.FIELDS[field]
    return f.widget_unit, f"%.{f.decimals}f", f.step


def _shown(field: str, value: float) -> float:
    """A field's value in the unit its range inputs use."""
    unit = _grid(field)[0]
    return float(value) if unit is None else float(units.to_unit(value, unit))


def _exact(field: str, shown: float | None) -> float | None:
    """A range input's value in the field's own unit; the seeded default exactly, if unchanged."""
    if shown is None:
        return None
    for seeded_shown, exact in st.session_state["_unc_seeded"].get(field, {}).get("exact", ()):
        if shown == seeded_shown:
            return exact  # to_unit and back need not give the same float
    unit = _grid(field)[0]
    return float(shown) if unit is None else float(units.to_unit(shown, fields.unit(field),
                                                                 from_unit=unit))


def _as_input(field: str, value: float) -> str:
    """A value as the range inputs show it (their format, with thousands separators)."""
    digits = str(fields.FIELDS[field].decimals)
    return f"{_shown(field, value):,.{digits}f}"


def _reset_ranges() -> None:
    st.session_state["_unc_seeded"] = {}


@st.cache_data(show_spinner=False, max_entries=32)
def _default_ranges(fields: dict, accelerator: str, shape: str) -> dict:
    from estimator.scenario import Scenario

    return uncertainty.default_ranges(Scenario(**{k: v for k, v in fields.items() if v is not None}), accelerator,
                                      distribution=shape)


def _specs(table: dict) -> dict:
    return {k: distributions.spec_from_value(k, v) for k, v in table.items()}


@st.cache_data(show_spinner="Running the Monte Carlo simulation…", max_entries=16)
def _summary(table: dict, outputs: tuple, n: int, seed: int, _computed: dict | None = None) -> dict:
    # ``_computed`` (not hashed) stores a result computed outside with a progress bar.
    if _computed is not None:
        return _computed
    return uncertainty.uncertainty_summary(_specs(table), outputs, n=n, seed=seed)


@st.cache_data(show_spinner="Computing the tornado and the Sobol indices…", max_entries=16)
def _sensitivity(table: dict, output: str, n: int, seed: int) -> dict:
    specs = _specs(table)
    sobol = uncertainty.sobol_first_order(specs, output, n=n, seed=seed)
    return {"tornado": [row._asdict() for row in uncertainty.tornado(specs, output)],
            "first": sobol.first_order, "total": sobol.total_order, "interactions": sobol.interactions,
            "n": sobol.n}


# --------------------------------------------------------------------------- ranges
c1, c2, c3, c4 = st.columns([2.4, 2.4, 1, 1.2], vertical_alignment="bottom")
shape = c1.radio("Shape of every range", list(SHAPES), format_func=SHAPES.get, key="unc_distribution",
                 horizontal=True, persist_state="session",
                 help="Triangular: most weight at the likely value. Uniform: every value from low to high "
                      "equally likely (the likely value is not used). Log-normal: P5 at low and P95 at high, "
                      "median √(low × high), tails beyond clipped to the valid values.")
n = c2.select_slider("Samples [count]", SAMPLES, key="unc_samples", persist_state="session",
                     format_func=lambda v: f"{v:,}",
                     help="More samples, steadier percentiles: at 10⁵ they move by about 0.1–0.3 % between "
                          "seeds.")
seed = c3.number_input("Seed", min_value=0, max_value=2**32 - 1, step=1, key="unc_seed",
                       persist_state="session", help="The same seed gives the same samples.")
c4.button("Reset the ranges", key="unc_reset", on_click=_reset_ranges, width="stretch",
          help="Back to the default range of every assumption.")

defaults = common.guarded(_default_ranges, s.to_dict(), presets["accelerator"], shape)
seeded = st.session_state.setdefault("_unc_seeded", {})
linked = st.session_state.setdefault("_unc_link", {})
for field, d in defaults.items():
    basis = (d["low"], d["likely"], d["high"])
    low_key, high_key = f"unc_low_{field}", f"unc_high_{field}"
    before = seeded.get(field)
    if before is not None and low_key in st.session_state:
        typed = ((st.session_state[low_key], st.session_state[high_key])
                 != tuple(shown for shown, _ in before["exact"]))
        # Kept: the same default, or a row the user typed when only the shape changed (its value did not).
        keep = before["basis"] == basis or (typed and before["basis"][1] == d["likely"])
    else:
        keep = False
    # A new default (the sidebar value, a preset or the shape changed) replaces the row; edits survive otherwise.
    if not keep:
        shown = (_shown(field, d["low"]), _shown(field, d["high"]))
        st.session_state[low_key], st.session_state[high_key] = shown
        seeded[field] = {"basis": basis, "exact": ((shown[0], d["low"]), (shown[1], d["high"]))}
        # A range from the address (uncertainty.low.<field>, in the unit the row shows) replaces the default once.
        for key, prefix in ((low_key, "uncertainty.low."), (high_key, "uncertainty.high.")):
            text = linked.pop(prefix + field, None)
            if text is not None:
                st.session_state[key] = float(text)

st.subheader("Ranges")
specs: dict = {}
problems: list[BaseException] = []
with st.container(key="unc_ranges"):
    widths = [3, 1.4, 1.4, 1.4, 5]
    head = st.columns(widths)
    for col, text in zip(head, ["Assumption [unit]", "Low", "Likely (sidebar)", "High", "Default range from"],
                         strict=True):
        col.markdown(f"**{text}**")
    for field, d in defaults.items():
        label, unit = fields.label(field), fields.FIELDS[field].unit_text
        shown_unit = _grid(field)[0] or unit
        _, fmt_, step = _grid(field)
        row = st.columns(widths, vertical_alignment="center")
        row[0].markdown(f"{label} [{shown_unit}]")
        low = row[1].number_input(f"{label}: low [{shown_unit}]", key=f"unc_low_{field}", format=fmt_, step=step,
                                  label_visibility="collapsed", persist_state="session")
        # The same digits as the low and high inputs beside it; the full value in the help.
        row[2].markdown(_as_input(field, d["likely"]), help=common.fmt_assumption(field, d["likely"]))
        high = row[3].number_input(f"{label}: high [{shown_unit}]", key=f"unc_high_{field}", format=fmt_,
                                   step=step, label_visibility="collapsed", persist_state="session")
        row[4].caption(d["source"])
        try:
            low_, high_ = _exact(field, low), _exact(field, high)
            if low_ is None or high_ is None:
                raise ValueError(f"{field} needs a low and a high value (leave both at the likely value to "
                                 "hold it fixed)")
            specs[field] = distributions.spec_from_range(field, low_, d["likely"], high_, shape)
        except (ValueError, TypeError) as exc:
            problems.append(exc)
st.caption("Every default range is centred on your value (its median), as wide as the presets' spread or a "
           "labelled band. A row whose low and high equal the likely value is held fixed. Changing an assumption "
           "in the sidebar (or a preset) resets its row to the new default, and so does a new shape for a row "
           "you have not typed in; *Reset the ranges* resets them all. "
           "Ranges are independent of each other. " + SHAPE_NOTES[shape])
for problem in problems:
    common.show_error(problem)
if problems:
    common.stop()

# --------------------------------------------------------------------------- Monte Carlo
table = {k: v.to_dict() for k, v in specs.items()}
available = common.guarded(uncertainty.evaluate, s)  # every output these assumptions give
outputs = tuple(k for k in OUTPUTS if k in available)
run_key = repr((table, outputs, n, seed))
done: list = st.session_state.setdefault("_unc_done", [])
if n >= PROGRESS_FROM and run_key not in done:
    bar = st.progress(0.0, text=f"Monte Carlo simulation: drawing {n:,} samples…")

    def _report(evaluated: int, total: int) -> None:
        bar.progress(evaluated / total, text=f"Monte Carlo simulation: {evaluated:,} of {total:,} samples "
                                             "evaluated")

    try:
        computed = uncertainty.uncertainty_summary(specs, outputs, n=n, seed=seed, progress=_report)
    except (ValueError, TypeError) as exc:
        computed = exc
    bar.empty()
    if isinstance(computed, BaseException):
        common.show_error(computed)
        common.stop()
    summary = _summary(table, outputs, n, seed, _computed=computed)
else:
    summary = common.guarded(_summary, table, outputs, n, seed)
done[:] = [*[k for k in done if k != run_key][-15:], run_key]
single = {k: available[k] for k in outputs}

st.subheader(f"Percentiles of {n:,} samples")
for output in outputs:
    label, unit, _, _ = OUTPUTS[output]
    p = summary["percentiles"][output]
    st.markdown(f"**{label}**")
    label_of = common.METRIC_LABELS
    common.kpi_row(f"unc_kpis_{output}", [
        (label_of["p5"], common.fmt(p[5], unit), f"5 % of the samples of {label.lower()} are below this"),
        (label_of["p50"], common.fmt(p[50], unit), f"Half of the samples of {label.lower()} are below this"),
        (label_of["p95"], common.fmt(p[95], unit), f"95 % of the samples of {label.lower()} are below this"),
        (label_of["at_sidebar"], common.fmt(single[output], unit),
         f"The single-value estimate of {label.lower()}, every assumption at its sidebar value"),
    ])
clipped = {k: v for k, v in summary["clipped"].items() if v > 0}
if clipped:
    st.caption("Log-normal tails clipped to the valid values: " + "; ".join(
        f"{fields.label(k)}: {common.fmt(v, '%')} of the samples" for k, v in clipped.items()) + ".")


def _axis(output: str, values):
    """Values of an output in its chart unit."""
    chart_unit = OUTPUTS[output][2]
    return values if chart_unit is None else units.to_unit(values, chart_unit)


def _histogram(output: str) -> dict:
    label, unit, _, title = OUTPUTS[output]
    h = summary["histograms"][output]
    p = summary["percentiles"][output]
    bins = vega.table({
        "start": _axis(output, h["start"]), "end": _axis(output, h["end"]), "share": units.to_unit(h["share"], "%"),
        "range": [f"{common.fmt(a, unit)} to {common.fmt(b, unit)}" for a, b in zip(h["start"], h["end"],
                                                                                   strict=True)],
        "samples": h["count"]})
    marks = vega.table({"x": [_axis(output, p[q]) for q in (5, 50, 95)], "i": [0, 1, 2],
                        "label": [f"P{q}: {common.fmt(p[q], unit)}" for q in (5, 50, 95)]})
    yours = vega.table({"x": [_axis(output, single[output])],
                        "label": [f"At your values: {common.fmt(single[output], unit)}"]})
    x = vega.field("start", title=title, scale={"zero": False})
    layers = [
        {"data": {"name": "bins"}, "mark": {"type": "rect", "color": "#9ab8c4", "stroke": "white", "strokeWidth": 0.5},
         "encoding": {"x": x, "x2": {"field": "end"}, "y": vega.field("share", title="Share of the samples [%]"),
                      "y2": {"datum": 0},
                      "tooltip": [vega.tooltip("range", label), vega.tooltip("samples", "Samples", "quantitative",
                                                                             format=",.0f"),
                                  vega.tooltip("share", "Share [%]", "quantitative", format=".2f")]}},
        # The values sit in a legend above the plot, clear of the bars (dashed P5 and P95, solid P50).
        {"data": {"name": "marks"}, "mark": {"type": "rule", "color": "#c0392b", "strokeWidth": 2},
         "encoding": {"x": vega.field("x"), "tooltip": [vega.tooltip("label", "Percentile")],
                      "strokeDash": vega.nominal("label", title=None, sort=None, scale={
                          "domain": list(marks["label"].to_pylist()), "range": [[5, 3], [1, 0], [5, 3]]},
                          legend={"orient": "top", "labelLimit": 320, "symbolStrokeColor": "#c0392b"})}},
        # The single-value estimate: a black rule, labelled at the top of the plot.
        {"data": {"name": "yours"}, "mark": {"type": "rule", "color": "black", "strokeWidth": 2},
         "encoding": {"x": vega.field("x"), "tooltip": [vega.tooltip("label", "Single-value estimate")]}},
        {"data": {"name": "yours"}, "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 4, "dy": 2,
                                            "fontWeight": "bold"},
         "encoding": {"x": vega.field("x"), "y": {"value": 0}, "text": vega.nominal("label")}},
    ]
    return vega.chart({"bins": bins, "marks": marks, "yours": yours}, height=280, layer=layers)


st.subheader("Distributions")
c1, c2 = st.columns(2)
with c1:
    common.chart("unc_chart_facility_power", _histogram("facility_power_w"))
with c2:
    common.chart("unc_chart_gpus_per_gigawatt", _histogram("gpus_per_gigawatt"))
st.caption("Share of the samples in each bin; the red lines are P5 and P95 (dashed) and P50 (solid), the black "
           "line the single-value estimate at your values (the sidebar's). Every default range is centred on "
           "your value, so P50 sits close to it. "
           "Accelerators per 1 GW depend on the power chain only (accelerator power, overheads, PUE), not on "
           "utilization.")

# --------------------------------------------------------------------------- sensitivity
st.subheader("Which assumption matters most")
if st.session_state.get("unc_output") not in outputs:
    st.session_state["unc_output"] = outputs[0]
choice = st.selectbox("Output", list(outputs), format_func=lambda k: OUTPUTS[k][0], key="unc_output",
                      persist_state="session")
label, unit, _, title = OUTPUTS[choice]
sobol_n = min(max(n // 8, 4096), 65_536)
sens = common.guarded(_sensitivity, table, choice, sobol_n, seed)
rows = [r for r in sens["tornado"] if r["swing"] > 0]
if not rows:
    fixed = all(isinstance(v, distributions.Fixed) for v in specs.values())
    st.info("Every assumption is held fixed: give at least one a range." if fixed
            else f"None of the ranges moves {label.lower()}.", icon=":material/info:")
    common.stop()

names = [fields.label(r["field"]) for r in rows]
ENDS = [f"Assumption at its P{uncertainty.TORNADO_BAND[0]:g}", f"Assumption at its P{uncertainty.TORNADO_BAND[1]:g}"]
bars = {"assumption": [], "from": [], "to": [], "end": [], "value": [], "output": []}
for name, r in zip(names, rows, strict=True):
    for end, value, out in (("low", r["low_value"], r["output_at_low"]), ("high", r["high_value"],
                                                                           r["output_at_high"])):
        bars["assumption"].append(name)
        bars["from"].append(_axis(choice, r["base_output"]))
        bars["to"].append(_axis(choice, out))
        bars["end"].append(ENDS[end == "high"])
        bars["value"].append(common.fmt_assumption(r["field"], value))
        bars["output"].append(common.fmt(out, unit))
y = vega.nominal("assumption", sort=names, title=None, axis={"labelLimit": 360})
tips = [vega.tooltip("assumption", "Assumption"), vega.tooltip("value", "Its value"),
        vega.tooltip("output", label)]
tornado = vega.chart(
    {"bars": vega.table(bars), "base": vega.table({"x": [_axis(choice, rows[0]["base_output"])],
                                                   "text": [common.fmt(rows[0]["base_output"], unit)]})},
    height=56 * len(rows) + 90,
    layer=[
        {"data": {"name": "bars"}, "mark": {"type": "bar", "height": {"band": 0.7}},
         "encoding": {"y": y, "x": vega.field("from", title=title, scale={"zero": False}), "x2": {"field": "to"},
                      "color": vega.nominal("end", title=None, legend={"orient": "top", "labelLimit": 320},
                                            scale={"domain": ENDS, "range": ["#e67e22", "#1f6f8b"]}),
                      "tooltip": tips}},
        {"data": {"name": "bars"}, "transform": [{"filter": "datum.to < datum.from"}],
         "mark": {"type": "text", "align": "right", "dx": -4},
         "encoding": {"y": y, "x": vega.field("to"), "text": vega.nominal("value")}},
        {"data": {"name": "bars"}, "transform": [{"filter": "datum.to >= datum.from"}],
         "mark": {"type": "text", "align": "left", "dx": 4},
         "encoding": {"y": y, "x": vega.field("to"), "text": vega.nominal("value")}},
        {"data": {"name": "base"}, "mark": {"type": "rule", "color": "black"},
         "encoding": {"x": vega.field("x"), "tooltip": [vega.tooltip("text", "With every range at its likely "
                                                                             "value")]}},
    ])
common.chart("unc_chart_tornado", tornado)
band = "–".join(f"P{p:g}" for p in uncertainty.TORNADO_BAND)
st.caption(f"Tornado: each assumption moved alone across the same band of its own range, {band} (for a uniform "
           "range 5 % and 95 % of the way from low to high, for a triangular one its own percentiles, for a "
           "log-normal one its low and high), every other one at its likely value (a uniform range's "
           f"midpoint, a log-normal range's median); the black line is that base, "
           f"{common.fmt(rows[0]['base_output'], unit)}. Ranked by swing; assumptions that do not move this "
           "output are left out. It shows each assumption's reach alone, not their interactions.")

first, total = sens["first"], sens["total"]
shares = {"Assumption": [fields.label(k) for k in first],
          "First-order share S_i [%]": [100 * v for v in first.values()],
          "Total share S_Ti [%]": [100 * total[k] for k in first]}
common.table("unc_table_sobol", shares, column_config={
    "Assumption": st.column_config.TextColumn(width="medium"),
    "First-order share S_i [%]": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.1f %%"),
    "Total share S_Ti [%]": st.column_config.NumberColumn(format="%.1f %%")})
interactions = 100 * sens["interactions"]
error = 100 * uncertainty.sobol_sampling_error(sens["n"])
interactions_error = 100 * uncertainty.sobol_sampling_error(sens["n"], len(first))
interaction_text = ("about 0 % (within its sampling error of about "
                    f"{interactions_error:.1f} percentage points)" if abs(interactions) < interactions_error
                    else f"{interactions:.1f} %".replace("-", "−"))
st.caption(f"Sobol indices of {label.lower()}: S_i is the share of its variance explained by one assumption "
           f"alone, S_Ti the share it takes part in, interactions included; interactions alone take 1 − ΣS_i = "
           f"{interaction_text}. Estimated from {sens['n']:,} base samples "
           f"({sens['n'] * (len(first) + 2):,} model runs), S_i with Saltelli's estimator and S_Ti with Jansen's "
           "(A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola, 'Variance based "
           "sensitivity analysis of model output. Design and estimator for the total sensitivity index', "
           "Computer Physics Communications 181 (2010) 259–270, https://doi.org/10.1016/j.cpc.2009.09.018). "
           f"Each share carries a sampling error of order 1/√N ≈ {error:.1f} percentage points, so "
           "a value slightly below 0 means 0.")
