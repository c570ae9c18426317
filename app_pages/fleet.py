"""Fleet → power: what the sidebar's fleet draws, layer by layer, and how hard it can swing the grid."""

import streamlit as st

import estimator
from app_pages import common, vega
from estimator import fields, power, tables, units

st.title("Fleet → power")
st.caption("What a fleet of accelerators asks of the grid: the power chain from the chips to the facility "
           "meter. " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
r = estimator.estimate(s)
part = common.accelerator(common.current_presets()["accelerator"])

st.subheader(f"{common.fmt(s.gpus, 'count')} accelerators ({part.name} preset)")
common.kpi_row("kpis_power", [
    common.kpi("accelerator_power_w", r.accelerator_power_w, "gpus × gpu_watts"),
    common.kpi("server_power_w", r.server_power_w, "accelerator power × server overhead"),
    common.kpi("it_power_w", r.it_power_w, "server power × network overhead"),
    common.kpi("facility_power_w", r.facility_power_w, "IT power × PUE: what the grid connection must supply"),
])
common.kpi_row("kpis_draw", [
    common.kpi("average_facility_power_w", r.average_facility_power_w,
               "facility power × utilization: sets the energy bill"),
    common.kpi("watts_per_gpu", r.watts_per_gpu, "facility power ÷ accelerators"),
    common.kpi("share_of_gigawatt", tables.share_of_gigawatt(r.facility_power_w)),
    common.kpi("gpus_per_gigawatt", estimator.gpus_for_power(
        tables.GIGAWATT_W, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue, whole=True),
        "floor(1 GW ÷ facility power per accelerator)"),
])
common.equivalents_caption("fleet_equivalents", average_power_w=r.average_facility_power_w)

st.subheader("Where the power goes")
split = tables.power_layers(r)
order = list(tables.LAYERS.values())
layers = vega.table({
    "layer": order,
    "MW": [units.to_unit(v, "MW") for v in split["power_w"].values()],
    "text": [f"{common.fmt(p, 'W')} ({common.fmt(f, '%')})"
             for p, f in zip(split["power_w"].values(), split["share"].values(), strict=True)],
})
common.chart("chart_breakdown", vega.chart(
    {"layers": layers}, data={"name": "layers"}, height=220,
    encoding={"y": vega.nominal("layer", sort=order, title=None, axis={"labelLimit": 320}),
              "x": vega.field("MW", title="Power at full load [MW]"),
              "tooltip": [vega.tooltip("layer", "Layer"), vega.tooltip("text", "Power (share)")]},
    layer=[{"mark": {"type": "bar"},
            "encoding": {"color": vega.nominal("layer", sort=order, legend=None,
                                               scale={"domain": order, "range": vega.LAYER_PALETTE})}},
           {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": vega.nominal("text")}}]))
st.caption("Full-load layers; they sum to the facility power. Average draw is the facility power × "
           "utilization.")

st.subheader("Synchronized load swing")
st.markdown(
    "In synchronous training every accelerator computes, then waits for the same collective "
    "or checkpoint at the same moment, so the job's draw drops towards idle and comes back together. "
    "The Llama 3 paper reports *\"instant fluctuations of power consumption across the data center on "
    "the order of tens of megawatts\"* on its 24K-H100 cluster (arXiv:2407.21783). What swings with the "
    "accelerators: part of the host (CPUs, fans), the power supplies' and the distribution's losses, and, "
    "for a job starting or stopping, part of the cooling once it has caught up.")
st.latex(r"\begin{aligned}\text{accelerators} &= N\,w\,(1 - \text{idle}), \quad "
         r"\text{host} = N\,w\,\max(s\,\eta_{psu} - 1,\ 0)\,h \\ "
         r"\text{fast swing} &= \frac{\text{accelerators} + \text{host}}{\eta_{psu}\,\eta_{dist}}, \quad "
         r"\text{step} = \text{fast swing} + \frac{\text{accelerators} + \text{host}}{\eta_{psu}}\,c\,"
         r"\max(\text{PUE} - 1/\eta_{dist},\ 0)\end{aligned}")
st.caption("N: accelerators in the job; w: gpu_watts; s: server overhead; h: host swing share; c: cooling "
           "step share; η: power-supply and distribution efficiencies (see estimator.power.load_swing).")
c1, c2 = st.columns(2)
idle = c1.slider("Idle fraction [waiting ÷ full-load accelerator power]", min_value=0.0, max_value=1.0,
                 step=0.01, key="idle_fraction", persist_state="session",
                 help=f"{common.IDLE_FRACTION_DEFAULT.source}. {common.IDLE_FRACTION_DEFAULT.note}")
share = c2.slider("Share of the fleet in the synchronized job [%]", min_value=1, max_value=100,
                  step=1, key="job_share", persist_state="session")
with st.expander("The swing's other assumptions (labelled, editable)", key="swing_assumptions"):
    columns = st.columns(len(common.SWING_INPUTS))
    chosen = {}
    for column, name in zip(columns, common.SWING_INPUTS, strict=True):
        bounds = common.PAGE_PARAMS[f"fleet.{name}"]
        chosen[name] = column.number_input(
            f"{fields.label(name)} [ratio]", min_value=bounds.low, max_value=bounds.high, step=0.01, format="%.2f",
            key=f"swing_{name}", persist_state="session",
            help=f"{fields.FIELDS[name].help[:1].upper()}{fields.FIELDS[name].help[1:]}. Default "
                 f"{power.SWING_ASSUMPTIONS[name].value:g}: {power.SWING_ASSUMPTIONS[name].source}.")
swing = common.guarded(power.load_swing, s.gpus, s.gpu_watts, idle, units.to_unit(share, "ratio", from_unit="%"),
                       r.facility_power_w, server_overhead=s.server_overhead, pue=s.pue, **chosen)
common.kpi_row("kpis_swing", [
    common.kpi("job_gpus", swing["job_gpus"]),
    common.kpi("accelerator_w", swing["accelerator_w"],
               "gpus in the job × gpu_watts × (1 − idle fraction), at the boards: the lower bound"),
    common.kpi("swing_w", swing["swing_w"]),
    common.kpi("step_w", swing["step_w"]),
    common.kpi("share_of_facility", swing["share_of_facility"]),
])
labels = list(power.SWING_PARTS.values())
parts = vega.table({
    "part": labels,
    "MW": [units.to_unit(swing[k], "MW") for k in power.SWING_PARTS],
    "text": [common.fmt(swing[k], "W") for k in power.SWING_PARTS],
})
common.chart("chart_swing", vega.chart(
    {"parts": parts}, data={"name": "parts"}, height=190,
    encoding={"y": vega.nominal("part", sort=labels, title=None, axis={"labelLimit": 320}),
              "x": vega.field("MW", title="Part of the swing [MW]"),
              "tooltip": [vega.tooltip("part", "Part"), vega.tooltip("text", "Power")]},
    layer=[{"mark": {"type": "bar"},
            "encoding": {"color": vega.nominal("part", sort=labels, legend=None,
                                               scale={"domain": labels, "range": vega.SWING_PALETTE})}},
           {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": vega.nominal("text")}}]))
swing_names = ("idle_fraction", *common.SWING_INPUTS)
shown = {"idle_fraction": idle, **chosen}
assumed = {"Assumption": [fields.label(n) for n in swing_names],
           "Value": [common.fmt(shown[n], "ratio") for n in swing_names],
           "Default": [common.fmt(power.SWING_ASSUMPTIONS[n].value, "ratio") for n in swing_names],
           "Source": [power.SWING_ASSUMPTIONS[n].source for n in swing_names]}
common.table("table_swing_assumptions", assumed)
st.caption("The parts sum to the job start or stop; the fast swing is every part but the cooling. Server "
           "overhead and PUE are the sidebar's. Every figure assumes a perfectly synchronized job; stragglers "
           "and power smoothing (Choukse et al., 'Power Stabilization for AI Training Datacenters', "
           "arXiv:2508.14318) make real swings smaller.")
