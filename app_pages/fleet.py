"""Fleet → power: what the sidebar's fleet draws, layer by layer, and how hard it can swing the grid."""

import streamlit as st

import estimator
from app_pages import common, vega
from estimator import power, tables, units

st.title("Fleet → power")
st.caption("What a fleet of accelerators asks of the grid: the power chain from the chips to the facility "
           "meter. " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
r = estimator.estimate(s)
part = common.accelerator(common.current_presets()["accelerator"])

st.subheader(f"{common.fmt(s.gpus, 'count')} accelerators ({part.name} preset)")
common.kpi_row("kpis_power", [
    ("Accelerator power (full load)", common.fmt(r.accelerator_power_w, "W"), "gpus × gpu_watts"),
    ("Server power (full load)", common.fmt(r.server_power_w, "W"), "accelerator power × server overhead"),
    ("IT power (full load)", common.fmt(r.it_power_w, "W"), "server power × network overhead"),
    ("Facility power (full load)", common.fmt(r.facility_power_w, "W"),
     "IT power × PUE: what the grid connection must supply"),
])
common.kpi_row("kpis_draw", [
    ("Average facility draw", common.fmt(r.average_facility_power_w, "W"),
     "facility power × utilization: sets the energy bill"),
    ("All-in power per accelerator", common.fmt(r.watts_per_gpu, "W"), "facility power ÷ accelerators"),
    ("Share of 1 GW", common.fmt(tables.share_of_gigawatt(r.facility_power_w), "%"),
     "full-load facility power ÷ 1 GW"),
    ("Accelerators per 1 GW", common.fmt(
        estimator.gpus_for_power(tables.GIGAWATT_W, s.gpu_watts, s.server_overhead, s.network_overhead,
                                 s.pue, whole=True), "count"),
     "floor(1 GW ÷ all-in power per accelerator)"),
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
    "the order of tens of megawatts\"* on its 24K-H100 cluster (arXiv:2407.21783).")
st.latex(r"\text{swing [W]} = \text{gpus} \times \text{job share} \times \text{gpu\_watts} "
         r"\times (1 - \text{idle fraction})")
c1, c2 = st.columns(2)
idle = c1.slider("Idle fraction [waiting ÷ full-load accelerator power]", min_value=0.0, max_value=1.0,
                 step=0.01, key="idle_fraction", persist_state="session",
                 help=f"Assumption. {common.IDLE_FRACTION_DEFAULT.source}. "
                      f"{common.IDLE_FRACTION_DEFAULT.note}")
share = c2.slider("Share of the fleet in the synchronized job [%]", min_value=1, max_value=100,
                  step=1, key="job_share", persist_state="session")
swing = common.guarded(power.load_swing, s.gpus, s.gpu_watts, idle, units.to_unit(share, "ratio", from_unit="%"),
                       r.facility_power_w)
common.kpi_row("kpis_swing", [
    ("Accelerators in the job", common.fmt(swing["job_gpus"], "count"), None),
    ("Load swing", common.fmt(swing["swing_w"], "W"),
     "Accelerators only: host, network and storage hold their draw through a sub-second stall and "
     "cooling responds over minutes."),
    ("Swing ÷ facility power", common.fmt(swing["share_of_facility"], "%"), None),
])
st.caption("An upper bound for a perfectly synchronized job; stragglers smooth real swings. "
           "Neither the server overhead nor PUE multiplies it (see estimator.power.load_swing_w).")
