"""A training run: model size and data (or FLOP) on the sidebar's fleet → time, GPU-hours, energy; and the inverse."""

import numpy as np
import streamlit as st

import estimator
from app_pages import common, vega
from estimator import fields, sweep, tables, units

st.title("Training run")
st.caption("How long a run takes on the sidebar's fleet at its MFU, what it costs in accelerator-hours, "
           "energy, money and carbon; and the other way round, what fleet and power finish it in time. "
           + common.ASSUMPTION_NOTE)

s = common.require_scenario()
if s.peak_flop_per_s is None or s.mfu is None:
    st.info("Set a dense peak per accelerator and an MFU in the sidebar to size training runs (no MFU is made "
            "up; the dashboard prefills 0.40 from the Llama 3 paper).", icon=":material/info:")
    common.stop()

RUNS = estimator.training_runs()


def _unit(name: str) -> str:
    """How a run's figure reads: its field's display unit (shares in percent); a count if it is no field."""
    return common.display_unit(name) if name in fields.FIELDS else "count"


def _use_run() -> None:
    """A ready run picked (a callback): its size into the page's inputs, its hardware, fleet, MFU and goodput
    into the sidebar as the user's own values, all of them editable."""
    key = st.session_state.get("train_run")
    if key is None or key == common.CUSTOM_RUN:
        return
    run = RUNS[key]
    n = run.active_parameters or run.parameters
    if n is not None and run.tokens is not None:
        st.session_state["train_mode"] = "size"
        st.session_state["train_parameters"] = common.fmt(n.value, "count")
        st.session_state["train_tokens"] = common.fmt(run.tokens.value, "count")
    if run.flop is not None:
        st.session_state["train_flop"] = f"{run.flop:.6g} FLOP"
        if n is None or run.tokens is None:
            st.session_state["train_mode"] = "flop"
    if run.accelerator is not None:
        st.session_state["accelerator"] = run.accelerator
        offered = common.precisions(run.accelerator)
        st.session_state["precision"] = run.scenario_precision if run.scenario_precision in offered else "bf16"
    values = {name: getattr(run, name).value for name in ("gpus", "mfu", "goodput") if getattr(run, name)}
    st.session_state.setdefault("_typed", {}).update(values)
    bad = st.session_state.setdefault("_invalid", {})
    for name in values:
        bad.pop(name, None)  # the run's value replaces text that could not be read
    common.write_widgets()  # the sidebar's own writer: the accelerator's values, then the run's


c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
c1.selectbox("Ready training run", list(common.TRAINING_RUN_CHOICES), key="train_run", on_change=_use_run,
             persist_state="session",
             format_func=lambda k: RUNS[k].name if k in RUNS else "Custom (your own inputs)",
             help="A published run fills the size below and the sidebar's accelerator, fleet, MFU and goodput "
                  "(as its authors reported them); every value stays editable.")
chosen = st.session_state.get("train_run")
ready = None if chosen in (None, common.CUSTOM_RUN) else RUNS[chosen]
if ready is not None:
    c2.caption(f"{ready.name} ({ready.developer}, {ready.date}). {ready.note} Choosing a run fills the size "
               "below and the sidebar; what you change afterwards is yours. The table at the end sets the "
               "estimate at the sidebar's values against the run's report.")

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
    common.kpi("training_flop", run["training_flop"], "6 × N × D, or as given"),
    common.kpi("training_time_s", run["training_time_s"],
               "compute ÷ (accelerators × peak × MFU × goodput); goodput 1 (no restarts or downtime) unless set"),
    common.kpi("gpu_hours", run["gpu_hours"], "accelerators × time"),
    common.kpi("facility_power_w", run["facility_power_w"]),
])
# The run is the period: its energy and what follows from it are over the training time.
common.kpi_row("kpis_run_energy", [
    common.kpi("energy_wh", run["energy_wh"], "average facility draw × training time"),
    common.kpi("cost", run["cost"], "facility energy [kWh] × price, over the training time"
               if run["cost"] is not None else "Set an electricity price in the sidebar."),
    common.kpi("emissions_kg", run["emissions_kg"], "facility energy [kWh] × grid intensity, location-based, "
               "over the training time" if run["emissions_kg"] is not None
               else "Set a grid carbon intensity in the sidebar."),
    common.kpi("water_l", run["water_l"], "IT energy [kWh] × WUE, over the training time"
               if run["water_l"] is not None else "Set a WUE in the sidebar."),
])
if ready is None:
    st.caption("Llama 3 405B for comparison: 16,384 H100 at 38–43% MFU; the Llama 3.1 model card reports "
               "30.84M H100 GPU-hours for 405B (including restarts and evaluation).")
else:
    st.subheader(f"Estimate against report: {ready.name}")
    versus = common.guarded(tables.run_versus_report, ready, s)
    goodput = "no time lost" if s.goodput is None else f"goodput {common.fmt(s.goodput, '%')}"
    st.caption(f"{common.fmt(versus['training_flop'], 'FLOP')} (6 × N × D, active parameters for a mixture of "
               f"experts) at the sidebar's peak ({common.fmt(s.peak_flop_per_s, 'FLOP/s')}), MFU "
               f"({common.fmt(s.mfu, '%')}) and {goodput}, against the accelerator-hours the authors reported. "
               "The implied effective MFU folds restarts, evaluation and stages the 6ND count leaves out into "
               "one number; the implied goodput puts that whole gap on lost time.")
    if ready.accelerator is not None and common.current_presets()["accelerator"] != ready.accelerator:
        st.warning(f"The sidebar's accelerator is not the run's ({ready.accelerator}): the implied MFU is "
                   "against the sidebar's peak.", icon=":material/warning:")
    report = {k: v for k, v in versus.items() if k != "training_flop"}
    common.table("train_run_report", {"Quantity": [fields.label(k) for k in report],
                                      "Value": [common.fmt(v, _unit(k)) for k, v in report.items()]})
    with st.expander("The run's published figures and their sources"):
        sources = {name: getattr(ready, name) for name in estimator.runs.SOURCED_FIELDS if getattr(ready, name)}
        common.table("train_run_sources", {
            "Figure": [k.replace("_", " ") for k in sources],
            "Value": [common.fmt(v.value, _unit(k)) for k, v in sources.items()],
            "Source": [v.source for v in sources.values()],
            "Confirmed": ["yes" if v.confirmed else f"no: {v.note}" for v in sources.values()]})

st.subheader("Finish in a given time: the fleet and power it needs")
days = st.number_input("Finish in [days]", min_value=1.0, max_value=3650.0, step=1.0,
                       key="train_days", persist_state="session", format="%.0f")
need = common.guarded(tables.training_fleet, s, flop, units.to_unit(days, "s", from_unit="days"))
common.kpi_row("kpis_inverse", [
    common.kpi("gpus", need["gpus"], "the fleet that finishes in time: compute ÷ (time × peak × MFU × goodput), "
               "rounded up"),
    common.kpi("facility_power_w", need["facility_power_w"], "that fleet through the power chain"),
    common.kpi("share_of_gigawatt", need["share_of_gigawatt"]),
    common.kpi("gpu_hours", need["gpu_hours"]),
])

st.subheader("Time to train against fleet size")
fleet = sweep.log_range(1_000, 2_000_000, 40)
times = common.guarded(estimator.training_time_s, flop, fleet, s.peak_flop_per_s, s.mfu, s.goodput)
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
