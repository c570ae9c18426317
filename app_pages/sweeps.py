"""Sweeps: facility power against fleet size for several PUEs, and a heatmap of any two assumptions."""

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import common, vega
from estimator import fields, sweep, tables, units

st.title("Sweeps")
st.caption("How facility power moves with fleet size and with any two assumptions, against the 1 GW line "
           "and the public reference clusters. " + common.ASSUMPTION_NOTE)

GW = tables.GIGAWATT_W
s = common.require_scenario()
presets = common.current_presets()


@st.cache_data(show_spinner=False, max_entries=32)
def _reference_points(methodology, network_overhead, pue):
    return sweep.reference_points(methodology, network_overhead=network_overhead, pue=pue)


@st.cache_data(show_spinner=False, max_entries=32)
def _grid(fields, x_field, x_values, y_field, y_values, output):
    from estimator.scenario import Scenario

    scenario = Scenario(**{k: v for k, v in fields.items() if v is not None})
    return sweep.grid_2d(scenario, x_field, np.asarray(x_values), y_field, np.asarray(y_values), output)


# --------------------------------------------------------------------------- power vs fleet
st.subheader("Facility power against fleet size")
PUE_CHOICES = list(common.PUE_CHOICES)
c1, c2, c3 = st.columns([2, 1, 1])
pues = c1.multiselect("PUE curves [facility W ÷ IT W]", PUE_CHOICES,
                      key="sweep_pues", persist_state="session",
                      help="1.08–1.18: hyperscaler fleet averages; 1.54: industry average (Uptime 2025). "
                           "Your sidebar PUE is always drawn.")
gmin = c2.number_input("Smallest fleet [count]", min_value=1, max_value=1_000_000_000,
                       step=1000, key="sweep_gpus_min", persist_state="session")
gmax = c3.number_input("Largest fleet [count]", min_value=2, max_value=1_000_000_000,
                       step=100_000, key="sweep_gpus_max", persist_state="session")
if gmax <= gmin:
    common.show_error(f"the largest fleet must be larger than the smallest (got {gmin:,} and {gmax:,})")
else:
    curves = sorted({float(p) for p in pues} | {float(s.pue)})
    fleet = sweep.log_range(gmin, gmax, 60)
    watts = common.guarded(sweep.power_vs_fleet, fleet, curves, s.gpu_watts, s.server_overhead,
                           s.network_overhead)
    lines = pd.DataFrame([
        {"gpus": g, "MW": units.to_unit(w, "MW"), "PUE": f"{p:.3g}" + (" (yours)" if p == s.pue else ""),
         "power": common.fmt(w, "W")}
        for p, row in zip(curves, watts, strict=True) for g, w in zip(fleet, row, strict=True)
    ])
    x = vega.field("gpus", scale={"type": "log"}, title="Accelerators in the fleet [count]")
    y = vega.field("MW", scale={"type": "log"}, title="Facility power at full load [MW]")
    datasets = {"lines": vega.table(lines), "gw": vega.table({"MW": [units.to_unit(GW, "MW")], "label": ["1 GW"]})}
    layers = [
        {"data": {"name": "lines"}, "mark": {"type": "line"},
         "encoding": {"x": x, "y": y, "color": vega.nominal("PUE", title="PUE", scale={"scheme": "dark2"}),
                      "strokeDash": vega.when(vega.equals("PUE", f"{s.pue:.3g} (yours)"), [1, 0], [5, 3]),
                      "tooltip": [vega.tooltip("PUE"),
                                  vega.tooltip("gpus", "Accelerators", "quantitative", format=",.0f"),
                                  vega.tooltip("power", "Facility power")]}},
        {"data": {"name": "gw"}, "mark": {"type": "rule", "color": "#c0392b", "strokeWidth": 2},
         "encoding": {"y": vega.field("MW")}},
        # At the right end: the reference sites' labels sit at the left end, some of them at 1 GW too.
        {"data": {"name": "gw"}, "mark": {"type": "text", "align": "right", "dx": -4, "dy": -8, "color": "#c0392b",
                                          "fontWeight": "bold"},
         "encoding": {"y": vega.field("MW"), "x": {"value": "width"}, "text": vega.nominal("label")}},
    ]
    ref = _reference_points(presets["methodology"], s.network_overhead, s.pue)
    points = pd.DataFrame({"name": ref["name"], "gpus": ref["gpus"], "MW": units.to_unit(ref["facility_power_w"], "MW"),
                           "basis": ref["basis"],
                           "power": [common.fmt(v, "W") for v in ref["facility_power_w"]],
                           "confirmed": ["yes" if c else "no (press report or secondary source)"
                                         for c in ref["confirmed"]]})
    points = points[(points["gpus"] >= gmin) & (points["gpus"] <= gmax)]
    if len(points):
        datasets["points"] = vega.table(points)
        tips = [vega.tooltip("name", "Cluster"), vega.tooltip("gpus", "Accelerators", "quantitative", format=",.0f"),
                vega.tooltip("power", "Facility power"), vega.tooltip("basis", "Power is"),
                vega.tooltip("confirmed", "Confirmed")]
        layers.append({"data": {"name": "points"}, "mark": {"type": "point", "size": 90, "filled": True,
                                                             "color": "black"},
                       "encoding": {"x": x, "y": y, "shape": vega.nominal("basis", title="Reference cluster power"),
                                    "tooltip": tips}})
        # Each reference cluster named beside its point.
        layers.append({"data": {"name": "points"}, "mark": {"type": "text", "align": "left", "dx": 7, "dy": -6,
                                                             "fontSize": 11, "color": "#333"},
                       "encoding": {"x": x, "y": y, "text": vega.nominal("name")}})
    only = ref["power_only"]
    if len(only["name"]):
        datasets["only"] = vega.table({"name": only["name"], "MW": units.to_unit(only["facility_power_w"], "MW"),
                                       "gpus": np.full(len(only["name"]), float(gmin))})
        layers.append({"data": {"name": "only"}, "mark": {"type": "rule", "strokeDash": [2, 2], "color": "#7f8c8d"},
                       "encoding": {"y": vega.field("MW"),
                                    "tooltip": [vega.tooltip("name", "Cluster (no published count)")]}})
        layers.append({"data": {"name": "only"}, "mark": {"type": "text", "align": "left", "dx": 4, "dy": 9,
                                                           "fontSize": 11, "color": "#555"},
                       "encoding": {"y": vega.field("MW"), "x": x, "text": vega.nominal("name")}})
    common.chart("chart_power_fleet", vega.chart(datasets, height=480, layer=layers))
    listed = pd.DataFrame({
        "Reference cluster": ref["name"], "Accelerators": [common.fmt(v, "count") for v in ref["gpus"]],
        "Facility power": [common.fmt(v, "W") for v in ref["facility_power_w"]], "Power is": ref["basis"],
        "Figures confirmed": ["yes" if c else "no: press report or secondary source"
                              for c in ref["confirmed"]],
    })
    if len(only["name"]):
        listed = pd.concat([listed, pd.DataFrame({
            "Reference cluster": only["name"], "Accelerators": "not published",
            "Facility power": [common.fmt(v, "W") for v in only["facility_power_w"]],
            "Power is": "reported",
            "Figures confirmed": ["yes" if c else "no: press report or secondary source"
                                  for c in only["confirmed"]]})],
            ignore_index=True)
    common.table("table_reference_clusters", listed)
    st.caption(
        f"Lines: your accelerator power ({common.fmt(s.gpu_watts, 'W')}), server overhead "
        f"({s.server_overhead:.3g}) and network overhead ({s.network_overhead:.3g}) at each PUE. Points: public "
        "reference clusters at their reported facility power, or their reported IT power × your PUE, or "
        "estimated from their fleet with their accelerator's presets under your methodology. Dotted lines: "
        "reported sites without a published accelerator count. Press figures, often plans, never "
        "measurements.")

# --------------------------------------------------------------------------- heatmap
st.subheader("Two assumptions at once")
LABELS = {f: fields.FIELDS[f].widget_label for f in sweep.CHAIN_FIELDS}
LOG_FIELDS = ("gpus", "gpu_watts")
OUTPUTS = {"facility_power_w": "Facility power, full load", "average_facility_power_w": "Average facility draw",
           "it_power_w": "IT power, full load"}


def _edges(v: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges halfway between grid values (geometrically on a log axis), so the rectangles tile."""
    if log:
        mid = np.sqrt(v[1:] * v[:-1])
        return np.concatenate([[v[0] ** 2 / mid[0]], mid, [v[-1] ** 2 / mid[-1]]])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])


def _reset_range(axis: str) -> None:
    low, high = sweep.SWEEP_RANGES[st.session_state[f"heat_{axis}"]]
    st.session_state[f"heat_{axis}_min"] = float(low)
    st.session_state[f"heat_{axis}_max"] = float(high)


c1, c2, c3 = st.columns(3)
c1.selectbox("Across (x)", list(LABELS), format_func=LABELS.get, key="heat_x", persist_state="session",
             on_change=_reset_range, args=("x",))
c2.selectbox("Up (y)", list(LABELS), format_func=LABELS.get, key="heat_y", persist_state="session",
             on_change=_reset_range, args=("y",))
output = c3.selectbox("Colour", list(OUTPUTS), format_func=OUTPUTS.get, key="heat_output", persist_state="session")
c1, c2, c3, c4, c5 = st.columns(5)
xf, yf = st.session_state["heat_x"], st.session_state["heat_y"]
x_unit, y_unit = fields.unit(xf), fields.unit(yf)
x_lo = c1.number_input(f"x from [{x_unit}]", key="heat_x_min", persist_state="session", format="%.4g")
x_hi = c2.number_input(f"x to [{x_unit}]", key="heat_x_max", persist_state="session", format="%.4g")
y_lo = c3.number_input(f"y from [{y_unit}]", key="heat_y_min", persist_state="session", format="%.4g")
y_hi = c4.number_input(f"y to [{y_unit}]", key="heat_y_max", persist_state="session", format="%.4g")
level_text = c5.text_input("Contour [W, MW, GW]", key="heat_level", persist_state="session",
                           help="The facility power the dashed contour line follows, with its unit: e.g. '1 GW', "
                                "'300 MW'.")
level = common.parse_input(level_text, "W", "contour")

problem = None
if xf == yf:
    problem = "choose two different assumptions"
elif not (x_lo < x_hi and y_lo < y_hi):
    problem = "each range must go from a smaller to a larger value"
elif level is not None and not level > 0:
    problem = f"the contour must be > 0 W (got {common.fmt(level, 'W')})"
if problem:
    common.show_error(problem)
elif level is not None:
    n = 40
    x_log = xf in LOG_FIELDS and x_lo > 0
    y_log = yf in LOG_FIELDS and y_lo > 0
    xs = np.geomspace(x_lo, x_hi, n) if x_log else np.linspace(x_lo, x_hi, n)
    ys = np.geomspace(y_lo, y_hi, n) if y_log else np.linspace(y_lo, y_hi, n)
    z = common.guarded(_grid, s.to_dict(), xf, tuple(xs), yf, tuple(ys), output)
    xx, yy = np.meshgrid(xs, ys)
    xe, ye = _edges(xs, x_log), _edges(ys, y_log)
    i, j = np.meshgrid(np.arange(n), np.arange(n))
    cells = vega.table({
        "x": xx.ravel(), "y": yy.ravel(), "x0": xe[i].ravel(), "x1": xe[i + 1].ravel(),
        "y0": ye[j].ravel(), "y1": ye[j + 1].ravel(), "MW": units.to_unit(z.ravel(), "MW"),
        "power": [common.fmt(v, "W") for v in z.ravel()],
    })
    xscale = {"type": "log", "domain": [xe[0], xe[-1]], "nice": False} if x_log else {
        "type": "linear", "domain": [xe[0], xe[-1]], "nice": False, "zero": False}
    yscale = {"type": "log", "domain": [ye[0], ye[-1]], "nice": False} if y_log else {
        "type": "linear", "domain": [ye[0], ye[-1]], "nice": False, "zero": False}
    colour = {"type": "log", "scheme": "viridis"}
    datasets = {"cells": cells, "mine": vega.table({"x": [float(getattr(s, xf))], "y": [float(getattr(s, yf))]})}
    # A thin stroke in the fill colour hides the anti-aliasing seams between cells.
    layers = [{"data": {"name": "cells"}, "mark": {"type": "rect", "strokeWidth": 0.8}, "encoding": {
        "x": vega.field("x0", scale=xscale, title=LABELS[xf]), "x2": {"field": "x1"},
        "y": vega.field("y0", scale=yscale, title=LABELS[yf]), "y2": {"field": "y1"},
        "color": vega.field("MW", title=f"{OUTPUTS[output]} [MW]", scale=colour,
                            legend={"orient": "right", "type": "gradient", "gradientLength": 300,
                                    "format": ",.4~g", "titleLimit": 400}),
        "stroke": vega.field("MW", scale=colour, legend=None),
        "tooltip": [vega.tooltip("x", LABELS[xf], "quantitative", format=",.4g"),
                    vega.tooltip("y", LABELS[yf], "quantitative", format=",.4g"),
                    vega.tooltip("power", OUTPUTS[output])]}}]
    cx, cy = sweep.contour(xs, ys, z, level)
    if cx.size:
        datasets["contour"] = vega.table({"x": cx, "y": cy, "i": np.arange(cx.size, dtype=float)})
        line = {"x": vega.field("x", scale=xscale), "y": vega.field("y", scale=yscale), "order": vega.field("i")}
        layers.append({"data": {"name": "contour"}, "mark": {"type": "line", "color": "white", "strokeWidth": 3},
                       "encoding": line})
        layers.append({"data": {"name": "contour"}, "mark": {"type": "line", "color": "#c0392b", "strokeWidth": 1.5,
                                                              "strokeDash": [6, 3]}, "encoding": line})
    layers.append({"data": {"name": "mine"}, "mark": {"type": "point", "shape": "cross", "size": 160,
                                                       "color": "white", "strokeWidth": 3},
                   "encoding": {"x": vega.field("x", scale=xscale), "y": vega.field("y", scale=yscale)}})
    common.chart("chart_heatmap", vega.chart(datasets, height=460, layer=layers, config={"axis": {"grid": False}}))
    where = (f"The dashed red line is where {OUTPUTS[output].lower()} equals {common.fmt(level, 'W')}"
             if cx.size else f"{OUTPUTS[output]} does not cross {common.fmt(level, 'W')} in this range")
    st.caption(f"{where}; the white cross is your scenario. Every other assumption is held at its sidebar "
               "value.")
