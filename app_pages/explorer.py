"""The 1 GW explorer: a facility power budget → how many accelerators, how much compute, how many runs."""

import streamlit as st

import estimator
from app_pages import cache, common, vega
from estimator import tables, units

st.title("1 GW explorer")
st.caption("Start from a power budget at the grid connection and ask what it holds: accelerators of each "
           "generation, their compute, and how many Llama-3-405B-sized training runs that is. A capital "
           "budget, a critical-IT cap and a deadline at once: *Campus & build-out*, *Which limit binds*. "
           + common.ASSUMPTION_NOTE)


s = common.require_scenario()
presets = common.current_presets()

c1, c2, c3 = st.columns([1, 1, 1])
budget_text = c1.text_input("Facility power budget [10 MW to 10 GW]", key="budget",
                            persist_state="session",
                            help="At the grid connection, full load, e.g. '1 GW', '300 MW', '2.5 GW'.")
days = c2.number_input("Training period [days]", min_value=1, max_value=3650, step=1,
                       key="explorer_days", persist_state="session",
                       help="The fleet trains at its sustained FLOP/s for this long.")
run_text = c3.text_input("Reference run [FLOP]", key="run_flop", persist_state="session",
                         help="Llama 3 405B: 3.8e25 FLOP (arXiv:2407.21783).")

budget = common.parse_input(budget_text, "W", "budget")
run_flop = common.parse_input(run_text, "FLOP", "reference run")
low, high = tables.BUDGET_RANGE_W
if budget is not None and not low <= budget <= high:
    common.show_error(f"budget must be between {common.fmt(low, 'W')} and {common.fmt(high, 'W')} "
                      f"(got {common.fmt(budget, 'W')})")
    budget = None
if run_flop is not None and not run_flop > 0:
    common.show_error(f"reference run must be > 0 FLOP (got {common.fmt(run_flop, 'FLOP')})")
    run_flop = None
if budget is None or run_flop is None:
    common.stop()
if s.peak_flop_per_s is None or s.mfu is None:
    st.info("Set a dense peak per accelerator and an MFU in the sidebar to see compute (no MFU is made up; "
            "the dashboard prefills 0.40 from the Llama 3 paper).", icon=":material/info:")
    common.stop()

hours = float(units.to_unit(days, "h", from_unit="days"))
mine = common.guarded(tables.budget_fleet, budget, s.gpu_watts, s.server_overhead, s.network_overhead,
                      s.pue, s.peak_flop_per_s, s.mfu, hours, run_flop, s.goodput)
part = common.accelerator(presets["accelerator"])
st.subheader(f"{common.fmt(budget, 'W')} with your scenario ({part.name} preset)")
common.kpi_row("kpis_budget", [
    common.kpi("gpus", mine["gpus"], "the accelerators that fit: floor(budget ÷ facility power per accelerator), "
               "at full load"),
    common.kpi("watts_per_gpu", mine["watts_per_gpu"], "gpu_watts × server overhead × network overhead × PUE"),
    common.kpi("peak_cluster_flop_per_s", mine["peak_cluster_flop_per_s"], "accelerators × dense peak"),
    common.kpi("sustained_flop_per_s", mine["sustained_flop_per_s"], "peak × MFU"),
])
common.kpi_row("kpis_training", [
    common.kpi("flop_in_period", mine["flop_in_period"], f"sustained FLOP/s × goodput × {days:,} days"),
    common.kpi("runs", mine["runs"], f"reference runs in {days:,} days: compute over the period ÷ "
               f"{common.fmt(run_flop, 'FLOP')}"),
    common.kpi("training_time_s", estimator.training_time_s(run_flop, mine["gpus"], s.peak_flop_per_s, s.mfu)
               if mine["gpus"] > 0 else None, "one reference run ÷ sustained FLOP/s, on the whole fleet"),
])

served = common.guarded(tables.budget_serving, budget, s)
if served["queries_per_day"] is None:
    st.caption("Give output tokens per second per accelerator and output tokens per query under *Serving* in the "
               "sidebar to see the queries a day this budget serves.")
else:
    common.kpi_row("kpis_budget_serving", [
        common.kpi("queries_per_day", served["queries_per_day"],
                   "accelerators that fit × load factor × 86,400 s ÷ accelerator-seconds per query; the whole fleet "
                   "serving instead of training"),
        common.kpi("energy_per_query_wh", served["energy_per_query_wh"],
                   "average facility draw per accelerator × accelerator-seconds per query ÷ load factor"),
        common.kpi("energy_per_token_j", served["energy_per_token_j"], "decode only"),
    ])

st.subheader("Every accelerator generation, side by side")
table = common.guarded(cache.accelerator_table, budget, presets["methodology"], s.network_overhead, s.pue,
                       s.mfu, hours, run_flop, presets["precision"], s.goodput)
short = {k: v.split(" (")[0] for k, v in common.preset_names()["accelerator"].items()}
acc = {
    "Accelerator": [short[k] for k in table["key"]],
    "Power": [common.fmt(v, "W") for v in table["gpu_watts"]],
    "All-in each": [common.fmt(v, "W") for v in table["watts_per_gpu"]],
    "Fit in budget": [common.fmt(v, "count") for v in table["gpus"]],
    "Peak": [common.fmt(v, "FLOP/s") for v in table["peak_cluster_flop_per_s"]],
    "Sustained": [common.fmt(v, "FLOP/s") for v in table["sustained_flop_per_s"]],
    f"FLOP in {days:,} days": [common.fmt(v, "FLOP") for v in table["flop_in_period"]],
    "Reference runs": [common.fmt(v, "runs") for v in table["runs"]],
}
common.table("table_accelerators", acc, column_config=common.narrow(acc, first="medium"))
st.caption("Power: one accelerator at full load. All-in each: facility power per accelerator. Fit in budget: "
           "whole accelerators at full load. Each accelerator keeps its own preset power, peak and server "
           "overhead under the chosen "
           f"methodology; network overhead ({s.network_overhead:.3g}), PUE ({s.pue:.3g}) and MFU "
           f"({s.mfu:.3g}) come from the sidebar. Peaks are dense "
           + ("FP8; BF16 for " + ", ".join(n for n, p in zip(table["name"], table["precision"], strict=True)
                                           if p == "BF16") + " (no published FP8 peak)."
              if presets["precision"] == "fp8" else "BF16."))

chart_data = vega.table({"Accelerator": [short[k] for k in table["key"]], "runs": table["runs"],
                         "gpus": table["gpus"], "key": table["key"]})
common.chart("chart_accelerators", vega.chart(
    {"accelerators": chart_data}, data={"name": "accelerators"}, height=260, mark={"type": "bar"},
    encoding={
        "y": vega.nominal("Accelerator", sort="-x", title=None, axis={"labelLimit": 320}),
        "x": vega.field("runs", title=f"Reference runs in {days:,} days [runs]"),
        "color": vega.when(vega.equals("key", presets["accelerator"]), "#1f6f8b", "#9ab8c4"),
        "tooltip": [vega.tooltip("Accelerator"),
                    vega.tooltip("gpus", "Accelerators that fit", "quantitative", format=",.0f"),
                    vega.tooltip("runs", "Runs", "quantitative", format=",.1f")]}))

st.subheader("The same budget under each methodology")
st.caption(f"{part.name} with the sidebar's power ({common.fmt(s.gpu_watts, 'W')}) and peak "
           f"({common.fmt(s.peak_flop_per_s, 'FLOP/s')}); each methodology's own server, network, PUE "
           f"and utilization ratios, and its MFU where it publishes one (else the sidebar's {s.mfu:.3g}).")
mt = common.guarded(cache.methodology_table, budget, presets["accelerator"], s.gpu_watts, s.peak_flop_per_s,
                    s.mfu, hours, run_flop, s.goodput)
spread = {
    "Methodology": mt["name"], "Server": [f"{v:.3g}" for v in mt["server_overhead"]],
    "Network": [f"{v:.3g}" for v in mt["network_overhead"]],
    "PUE": [f"{v:.3g}" for v in mt["pue"]],
    "Util.": [f"{v:.3g}" for v in mt["utilization"]],
    "MFU": [f"{v:.3g}" for v in mt["mfu"]],
    "All-in each": [common.fmt(v, "W") for v in mt["watts_per_gpu"]],
    "Fit in budget": [common.fmt(v, "count") for v in mt["gpus"]],
    "Runs": [common.fmt(v, "runs") for v in mt["runs"]],
}
# The name column sized to the (short) names; the figures share the rest of the width.
common.table("table_methodologies", spread,
             column_config={"Methodology": st.column_config.TextColumn(width="medium")})
st.caption("Server, Network, PUE, Util. (utilization) and MFU are the methodology's ratios [unitless]: "
           "server ÷ accelerator power, IT ÷ server power, facility ÷ IT power, average ÷ full-load draw, "
           f"achieved ÷ peak FLOP/s. Runs: reference runs in {days:,} days.")
realistic = [i for i, k in enumerate(mt["key"]) if k != "neutral"]
if realistic:
    g = [mt["gpus"][i] for i in realistic]
    label = common.METRIC_LABELS
    common.kpi_row("kpis_spread", [
        (label["fewest_gpus"], common.fmt(min(g), "count"), None),
        (label["most_gpus"], common.fmt(max(g), "count"), None),
        (label["spread"], f"{max(g) / min(g):.2f}×" if min(g) > 0 else "—",
         "How far the answer moves between published assumption sets"),
    ])

st.subheader("Accelerators that fit, every generation × every methodology")
cells, across, down = cache.fit_cells(budget)
encoding = {
    "x": vega.nominal("Accelerator", title=None, sort=across,
                      axis={"labelAngle": -30, "labelLimit": 200, "orient": "top", "labelOverlap": False}),
    "y": vega.nominal("Methodology", title=None, sort=down, axis={"labelLimit": 360}),
}
common.chart("chart_matrix", vega.chart(
    {"cells": cells}, data={"name": "cells"}, height=320, encoding=encoding,
    layer=[{"mark": {"type": "rect"},
            "encoding": {"color": vega.field("gpus", title="Accelerators that fit [count]",
                                             scale={"type": "log", "scheme": "blues"},
                                             legend={"orient": "right", "type": "gradient", "format": ",.3~s"}),
                         "tooltip": [vega.tooltip("Accelerator"), vega.tooltip("Methodology"),
                                     vega.tooltip("label", "Accelerators that fit"),
                                     vega.tooltip("per", "All-in per accelerator")]}},
           {"mark": {"type": "text", "fontSize": 12},
            "encoding": {"text": vega.nominal("label"),
                         "color": vega.when("datum.gpus > 1200000", "white", "black")}}]))
st.caption("Catalogue presets only (no sidebar overrides): each cell is the budget ÷ that accelerator's "
           "all-in power under that methodology, rounded down.")
