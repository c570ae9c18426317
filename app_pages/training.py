"""A training run: model size and data (or FLOP) on the sidebar's fleet → time, GPU-hours, energy; and the inverse."""

import numpy as np
import streamlit as st

import estimator
from app_pages import common, vega
from estimator import sweep, tables, units

st.title("Training run")
st.caption("How long a run takes on the sidebar's fleet at its MFU, what it costs in accelerator-hours, "
           "energy, money and carbon; and the other way round, what fleet and power finish it in time. "
           + common.ASSUMPTION_NOTE)

s = common.require_scenario()
if s.peak_flop_per_s is None or s.mfu is None:
    st.info("Set a dense peak per accelerator and an MFU in the sidebar to size training runs (no MFU is made "
            "up; the dashboard prefills 0.40 from the Llama 3 paper).", icon=":material/info:")
    common.stop()

MODES = {"size": "Parameters and tokens (dense model, 6 × N × D)", "flop": "Training compute [FLOP]"}
mode = st.radio("Describe the run by", list(MODES), format_func=MODES.get, key="train_mode",
                persist_state="session", horizontal=True)
c1, c2 = st.columns(2)
flop = None
if mode == "size":
    p_text = c1.text_input("Parameters N [count, e.g. 405B, 70e9]", key="train_parameters",
                           persist_state="session")
    t_text = c2.text_input("Training tokens D [count, e.g. 15.6T]", key="train_tokens",
                           persist_state="session")
    n = common.parse_input(p_text, "count", "parameters")
    d = common.parse_input(t_text, "count", "tokens")
    if n is not None and d is not None:
        flop = common.guarded(estimator.training_flop, n, d)
else:
    f_text = c1.text_input("Training compute [FLOP, e.g. 3.8e25]", key="train_flop",
                           persist_state="session")
    flop = common.parse_input(f_text, "FLOP", "training compute")
st.caption("Defaults: Llama 3 405B, 405B parameters on 15.6T tokens, 3.8e25 FLOP (arXiv:2407.21783).")
if flop is None:
    common.stop()

st.subheader(f"On {common.fmt(s.gpus, 'count')} accelerators at {common.fmt(s.mfu, '%')} MFU")
run = common.guarded(tables.training_run, s, flop)
common.kpi_row("kpis_run", [
    ("Training compute", common.fmt(run["training_flop"], "FLOP"), "6 × N × D, or as given"),
    ("Time to train", common.fmt(run["training_time_s"], "s"),
     "compute ÷ (accelerators × peak × MFU); no restarts or downtime"),
    ("Accelerator-hours", common.fmt(run["gpu_hours"], "GPU-h"), "accelerators × time"),
    ("Facility power (full load)", common.fmt(run["facility_power_w"], "W"), None),
])
common.kpi_row("kpis_run_energy", [
    ("Facility energy", common.fmt(run["energy_wh"], "Wh"), "average facility draw × time"),
    ("Electricity cost", common.fmt(run["cost"], "currency"),
     None if run["cost"] is not None else "Set an electricity price in the sidebar."),
    ("Emissions (location-based)", common.fmt(run["emissions_kg"], "kg CO2e"),
     None if run["emissions_kg"] is not None else "Set a grid carbon intensity in the sidebar."),
    ("Site water", common.fmt(run["water_l"], "L"),
     None if run["water_l"] is not None else "Set a WUE in the sidebar."),
])
st.caption("Llama 3 405B for comparison: 16,384 H100 at 38–43% MFU; the Llama 3.1 model card reports "
           "30.84M H100 GPU-hours for 405B (including restarts and evaluation).")

st.subheader("Finish in a given time: the fleet and power it needs")
days = st.number_input("Finish in [days]", min_value=1.0, max_value=3650.0, step=1.0,
                       key="train_days", persist_state="session", format="%.0f")
need = common.guarded(tables.training_fleet, s, flop, units.to_unit(days, "s", from_unit="days"))
common.kpi_row("kpis_inverse", [
    ("Accelerators needed", common.fmt(need["gpus"], "count"),
     "compute ÷ (time × peak × MFU), rounded up"),
    ("Facility power (full load)", common.fmt(need["facility_power_w"], "W"),
     "that fleet through the power chain"),
    ("Share of 1 GW", common.fmt(need["share_of_gigawatt"], "%"), None),
    ("Accelerator-hours", common.fmt(need["gpu_hours"], "GPU-h"), None),
])

st.subheader("Time to train against fleet size")
fleet = sweep.log_range(1_000, 2_000_000, 40)
times = common.guarded(estimator.training_time_s, flop, fleet, s.peak_flop_per_s, s.mfu)
curve = vega.table({"gpus": fleet, "days": units.to_unit(times, "days"),
                    "time": [common.fmt(t, "s") for t in np.atleast_1d(times)]})
you = vega.table({"gpus": [float(s.gpus)], "days": [units.to_unit(run["training_time_s"], "days")],
                  "time": [common.fmt(run["training_time_s"], "s")]})
x = vega.field("gpus", scale={"type": "log"}, title="Accelerators [count]")
y = vega.field("days", scale={"type": "log"}, title="Time to train [days]")
tips = [vega.tooltip("gpus", "Accelerators", "quantitative", format=",.0f"), vega.tooltip("time", "Time")]
common.chart("chart_training_time", vega.chart(
    {"curve": curve, "you": you}, height=360,
    layer=[{"data": {"name": "curve"}, "mark": {"type": "line"}, "encoding": {"x": x, "y": y, "tooltip": tips}},
           {"data": {"name": "you"}, "mark": {"type": "point", "size": 120, "filled": True, "color": "#c0392b"},
            "encoding": {"x": x, "y": y, "tooltip": tips}}]))
st.caption(f"At the sidebar's peak ({common.fmt(s.peak_flop_per_s, 'FLOP/s')}) and MFU ({s.mfu:.3g}); the red "
           "point is your fleet.")
