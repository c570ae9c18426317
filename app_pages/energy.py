"""Energy, cost, emissions and water of the sidebar's fleet over a period."""

import streamlit as st

import estimator
from app_pages import common, vega
from estimator import fields, tables, units

st.title("Energy & emissions")
st.caption("What the fleet draws over a period at its average load, and what that costs in money, carbon "
           "and water. " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
BASES = {"fleet": "The sidebar's fleet", "budget": "A power budget (facility, full load)"}
c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
basis = c1.radio("Start from", list(BASES), format_func=BASES.get, key="energy_basis", horizontal=True,
                 persist_state="session",
                 help="A power budget is filled with as many of the sidebar's accelerators as fit at full load "
                      "(the sidebar's overheads and PUE); the rest of the sidebar applies as it is.")
if basis == "budget":
    budget_text = c2.text_input("Facility power budget [10 MW to 10 GW]", key="energy_budget",
                                persist_state="session", help="At the grid connection, full load, e.g. '1 GW'.")
    budget = common.parse_input(budget_text, "W", "budget")
    low, high = tables.BUDGET_RANGE_W
    if budget is not None and not low <= budget <= high:
        common.show_error(f"budget must be between {common.fmt(low, 'W')} and {common.fmt(high, 'W')} "
                          f"(got {common.fmt(budget, 'W')})")
        budget = None
    if budget is None:
        common.stop()
    fit = common.guarded(estimator.gpus_for_power, budget, s.gpu_watts, s.server_overhead, s.network_overhead,
                         s.pue, whole=True)
    if not fit >= 1:
        common.show_error(f"not one accelerator of {common.fmt(s.gpu_watts, 'W')} fits in "
                          f"{common.fmt(budget, 'W')} with these overheads")
        common.stop()
    s = common.guarded(s.replace, gpus=fit)
    st.caption(f"{common.fmt(budget, 'W')} holds {common.fmt(fit, 'count')} accelerators at full load with the "
               "sidebar's accelerator power, overheads and PUE; the energy below is theirs.")
if s.hours is None:
    if "hours" in common.invalid_inputs():
        st.warning("The period in the sidebar is invalid, so energy, cost, emissions and water are not shown "
                   "until it is fixed (see the message under *Period*). Power figures on the other pages are "
                   "not affected.", icon=":material/warning:")
    else:
        st.info("Set a period in the sidebar (under *Period, grid and price*) to see energy.",
                icon=":material/info:")
    common.stop()
r = estimator.estimate(s)

st.subheader(f"{common.fmt(s.gpus, 'count')} accelerators over {common.fmt(s.hours, 'h')} at "
             f"{common.fmt(s.utilization, '%')} average utilization")
common.kpi_row("kpis_energy", [
    common.kpi("average_facility_power_w", r.average_facility_power_w, "facility power × utilization"),
    common.kpi("energy_wh", r.energy_wh, "average facility draw × period"),
    common.kpi("it_energy_wh", r.it_energy_wh, "IT power × utilization × period"),
])
missing = {"cost": "an electricity price", "emissions_kg": "a grid carbon intensity", "water_l": "a WUE"}
common.kpi_row("kpis_impact", [
    common.kpi("cost", r.cost, "facility energy [kWh] × price; the currency is the price's" if r.cost is not None
               else "Set an electricity price in the sidebar (or a site preset that has one)."),
    common.kpi("emissions_kg", r.emissions_kg, "facility energy [kWh] × grid intensity, location-based"
               if r.emissions_kg is not None else "Set a grid carbon intensity in the sidebar."),
    common.kpi("water_l", r.water_l, "IT energy [kWh] × WUE (on-site water, mostly evaporative cooling)"
               if r.water_l is not None else "Set a WUE in the sidebar (or a site preset that has one)."),
])
absent = [text for key, text in missing.items() if getattr(r, key) is None]
if absent:
    st.info("Not shown until you give " + ", ".join(absent) + " under *Period, grid and price* in the sidebar, "
            "or pick a site preset that publishes them. No value is made up.", icon=":material/info:")
    offers = common.suggested_sources()
    st.button("Fill the missing figures from site presets", key="fill_missing", on_click=common.fill_missing,
              icon=":material/auto_fix_high:",
              help="; ".join(f"{fields.label(f)}: {common.fmt_assumption(f, v.value)} from '{name}'"
                             for f, (name, v) in offers.items()) + ". Each is listed with its source under "
                             "Assumptions and sources.")

st.subheader("Energy by layer")
layers = common.guarded(tables.energy_layers, r, s.hours, s.utilization)
order = list(tables.LAYERS.values())
df = vega.table({"layer": order,
                 "GWh": [units.to_unit(v, "GWh") for v in layers["energy_wh"].values()],
                 "energy": [common.fmt(v, "Wh") for v in layers["energy_wh"].values()],
                 "share": [common.fmt(v, "%") for v in layers["share"].values()]})
common.chart("chart_energy_layers", vega.chart(
    {"layers": df}, data={"name": "layers"}, height=220,
    encoding={"y": vega.nominal("layer", sort=order, title=None, axis={"labelLimit": 320}),
              "x": vega.field("GWh", title="Energy over the period [GWh]")},
    layer=[{"mark": {"type": "bar"},
            "encoding": {"color": vega.nominal("layer", sort=order, legend=None,
                                               scale={"domain": order, "range": vega.LAYER_PALETTE}),
                         "tooltip": [vega.tooltip("layer"), vega.tooltip("energy"), vega.tooltip("share")]}},
           {"mark": {"type": "text", "align": "left", "dx": 4}, "encoding": {"text": vega.nominal("energy")}}]))

st.subheader("Per accelerator")
per = tables.per_accelerator(r, s.gpus)
common.kpi_row("kpis_per_gpu", [(common.METRIC_LABELS[f"{name}_per_gpu"], common.fmt(v, common.display_unit(name)),
                                  None) for name, v in per.items()])
st.caption("Energy is the average draw over the whole period; PUE is applied to power as a planning "
           "approximation (it is defined on annual energy). Emissions are location-based (grid average), "
           "not market-based.")
