"""Campus & build-out: blocks of accelerators coming online over time, their power, and what they cost.

Every number comes from :mod:`estimator.campus` and :func:`estimator.estimate`; this page only gathers the
blocks (a small table), converts units for display and draws.
"""

import datetime

import pandas as pd
import streamlit as st

import estimator
from app_pages import common, vega
from estimator import campus, fields, io, limits, links, tables, trend, units

#: Illustrative money figures, not presets and not confirmed: filled into the sidebar on request.
MONEY_PREFILLS: dict[str, tuple[float, str]] = {
    "accelerator_cost": (40_000.0, "H100 about $25k–$40k per GPU in press estimates (2°, unconfirmed); the "
                                   "upper end, as the input includes the servers, network and storage"),
    "facility_cost_per_w": (12.0, "about $10–12 per W of critical IT (2°, unconfirmed); Turner & Townsend's "
                                  "2025–2026 index gives USD 12.0/W for London and 13.3 for Silicon Valley"),
    "hardware_life_years": (5.0, "a common accounting life for servers (assumption)"),
    "facility_life_years": (20.0, "a common life for a data hall's shell, power and cooling (assumption)"),
}

STARTS = common.CAMPUS_STARTS
FREQ_LABELS = {"month": "Month", "quarter": "Quarter", "year": "Year"}
GIGAWATT_MW = units.to_unit(tables.GIGAWATT_W, "MW")


def _shown(name: str, value: float) -> str:
    return common.fmt(value, fields.FIELDS[name].unit_text)


BLOCK_COLUMNS = ("Block", "Accelerator", "Accelerators", "Online")  # required; Methodology and Site are optional


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """The editor's table of (name, accelerator, count, online[, methodology, site]) rows."""
    def own(i: int) -> list[str | None]:
        return [r[i] if len(r) > i else None for r in rows]

    return pd.DataFrame({"Block": [r[0] for r in rows], "Accelerator": [r[1] for r in rows],
                         "Accelerators": [r[2] for r in rows],
                         "Online": [r[3] if isinstance(r[3], datetime.date) else datetime.date.fromisoformat(r[3])
                                    for r in rows],
                         "Methodology": own(4), "Site": own(5)})


def _own(rows: pd.DataFrame, column: str) -> list[str | None]:
    """A block's own preset key, or None where the cell is empty (the sidebar's applies)."""
    return [v if isinstance(v, str) and v else None for v in rows[column]]


def _blocks_text(rows: pd.DataFrame) -> str:
    return links.write_blocks([str(n) for n in rows["Block"]], list(rows["Accelerator"]),
                              [int(v) for v in rows["Accelerators"]], list(rows["Online"]),
                              _own(rows, "Methodology"), _own(rows, "Site"))


def _on_start_change() -> None:
    # The editor starts again from the chosen table (a new key: its edits belonged to the old one).
    st.session_state.pop("campus_blocks_text", None)
    st.session_state["_campus_editor"] = st.session_state.get("_campus_editor", 0) + 1


def _fill_money() -> None:
    """Put the illustrative money figures into the sidebar's inputs (a button callback)."""
    typed = st.session_state.setdefault("_typed", {})
    for name, (value, _) in MONEY_PREFILLS.items():
        typed[name] = value
    common.write_widgets(list(MONEY_PREFILLS))


st.title("Campus & build-out")
st.caption("A campus as blocks of accelerators, each coming online on its own date: the power it asks of the "
           "grid over time and, with the money inputs in the sidebar, what it costs. Each block takes its own "
           "accelerator's preset power, peak and server overhead and the sidebar's methodology and site (applied "
           "to that accelerator); the values you typed in the sidebar (period, prices, money) apply to every "
           "block. " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
presets = common.current_presets()
names = common.preset_names()

c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
start_key = c1.selectbox("Start from", list(STARTS), format_func=lambda k: STARTS[k][0], key="campus_start",
                         on_change=_on_start_change, persist_state="session",
                         help="A starting table of blocks to edit; not a preset of any site's plan.")
first = c2.date_input("Timeline from", key="campus_from", persist_state="session")
last = c3.date_input("Timeline to", key="campus_to", persist_state="session")
freq = c4.selectbox("Step", list(FREQ_LABELS), format_func=FREQ_LABELS.get, key="campus_freq",
                    persist_state="session")

st.subheader("Blocks")
# The blocks travel as text (campus_blocks_text, in the link as campus.blocks) once they differ from the
# starting table. A new editor (first visit, back from another page, a link) starts from that text; an editor
# already drawn keeps its own base, so its edits are applied once.
state = st.session_state
editor_key = common.campus_editor_key(state)
if editor_key not in state or "_campus_base" not in state:
    text = state.get("campus_blocks_text", "")
    state["_campus_base"] = _frame(links.read_blocks(text) if text else STARTS[start_key][1])
edited = st.data_editor(
    state["_campus_base"], key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
    column_config={
        "Block": st.column_config.TextColumn("Block", required=True, help="A unique name"),
        "Accelerator": st.column_config.SelectboxColumn(
            "Accelerator", options=list(names["accelerator"]), format_func=names["accelerator"].get,
            required=True, help="Accelerator preset: power, peak and server overhead"),
        "Accelerators": st.column_config.NumberColumn("Accelerators [count]", min_value=1, max_value=10**9,
                                                      step=1, required=True, format="localized"),
        "Online": st.column_config.DateColumn("Online", required=True, format="YYYY-MM-DD",
                                              help="The day the block starts drawing power"),
        "Methodology": st.column_config.SelectboxColumn(
            "Methodology (optional)", options=list(names["methodology"]), format_func=names["methodology"].get,
            help="The block's own methodology; empty: the sidebar's"),
        "Site": st.column_config.SelectboxColumn(
            "Site (optional)", options=[k for k in names["site"] if k != common.NO_SITE],
            format_func=names["site"].get, help="The block's own site (PUE, grid, water); empty: the sidebar's"),
    })
if start_key in estimator.campus_presets():
    ready = estimator.campus_presets()[start_key]
    st.caption(f"{ready.name}: {ready.note} Sources: {ready.source}. Each block's source and note: "
               "docs/presets.md (*Ready campuses*). Change the blocks freely.")
else:
    st.caption("Illustrative starting blocks, not any site's plan: change them, add rows or delete them. "
               + ("Colossus phase 3's counts are Epoch AI's (epoch.ai/data/gpu-clusters, 2°); its 352 MW uses "
                  "1.82 for every system and PUE 1.10, which the sidebar's methodology may not."
                  if start_key == "colossus" else ""))

rows = edited.dropna(how="any", subset=list(BLOCK_COLUMNS))
if len(rows) < len(edited):
    left_out = len(edited) - len(rows)
    st.info(f"{left_out} row{'s' if left_out > 1 else ''} without a name, accelerator, count or online date "
            f"{'are' if left_out > 1 else 'is'} left out until {'they are' if left_out > 1 else 'it is'} filled.",
            icon=":material/info:")
shown_text = "" if rows.empty else _blocks_text(rows)
start_rows = STARTS[start_key][1]
start_text = links.write_blocks(*(list(column) for column in zip(*start_rows, strict=True)))
state["campus_blocks_text"] = "" if shown_text == start_text else shown_text
if rows.empty:
    st.info("Add at least one block with a name, an accelerator, a count and an online date.",
            icon=":material/info:")
    common.stop()
# Each block resolves its own presets (its accelerator; its own methodology and site, else the sidebar's); the
# values typed in the sidebar and the dashboard's prefills apply to every block, except what the block's
# accelerator sets.
owned = {"gpus", *common.accelerator(presets["accelerator"]).assumptions()}
values, provenance = common.resolution()
shared = {k: v for k, v in values.items()
          if k not in owned and (provenance[k].is_user or provenance[k].preset == "dashboard")}
method = None if presets["methodology"] == "nameplate" else presets["methodology"]
site = None if presets["site"] == common.NO_SITE else presets["site"]
c = common.guarded(campus.from_presets, rows["Accelerator"].tolist(), rows["Accelerators"].tolist(),
                   names=[str(n) for n in rows["Block"]], online=list(rows["Online"]),
                   methodology=[m or method for m in _own(rows, "Methodology")],
                   site=[p or site for p in _own(rows, "Site")], date=presets["date"] or None, **shared)
r = estimator.estimate(c)
t = common.guarded(estimator.timeline, c, first, last, freq)  # the library names reversed dates

common.kpi_row("kpis_campus", [
    common.kpi("gpus", r.gpus, "all blocks"),
    common.kpi("h100_equivalents", r.h100_equivalents),
    common.kpi("facility_power_w", r.facility_power_w, "all blocks online"),
    common.kpi("share_of_gigawatt", tables.share_of_gigawatt(r.facility_power_w)),
])

st.subheader("Facility power over time")
powers = t.by_block("facility_power_w")
dates = [str(d) for d in t.dates]
data = vega.table({
    "date": dates * len(t.names),
    "block": [n for n in t.names for _ in dates],
    "position": [i for i, _ in enumerate(t.names) for _ in dates],  # the first block at the bottom of the stack
    "MW": units.to_unit(powers.ravel(), "MW"),
    "text": [common.fmt(v, "W") for v in powers.ravel()],
})
order = list(t.names)
common.chart("chart_campus_power", vega.chart(
    {"power": data}, height=320,
    layer=[
        {"data": {"name": "power"}, "mark": {"type": "area", "interpolate": "step-after", "opacity": 0.9},
         "encoding": {"x": vega.field("date", "temporal", title=None),
                      "y": vega.field("MW", title="Facility power at full load [MW]", stack="zero"),
                      "color": vega.nominal("block", sort=order, title="Block",
                                            scale={"range": vega.LAYER_PALETTE * 4}),
                      "order": vega.field("position", sort="ascending"),
                      "tooltip": [vega.tooltip("block", "Block"), vega.tooltip("date", "From", "temporal"),
                                  vega.tooltip("text", "Power")]}},
        {"data": {"values": [{"MW": GIGAWATT_MW, "label": "1 GW"}]},
         "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#b03a2e"},
         "encoding": {"y": vega.field("MW")}},
        {"data": {"values": [{"MW": GIGAWATT_MW, "label": "1 GW"}]},
         "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#b03a2e"},
         "encoding": {"y": vega.field("MW"), "x": {"value": 0}, "text": vega.nominal("label")}},
    ]))
st.caption(f"Power at the start of each {freq}: a block counts from its online date (and stops at its retire "
           "date, or after the hardware life if one is set in the sidebar). Full load; the dashed line is 1 GW.")

st.subheader("Blocks")
table = campus.block_table(c)
common.table("campus_block_table", {
    "Block": table["name"], "Online": table["online"], "Retires": [d or "—" for d in table["retire"]],
    "Methodology": [sc.presets.get("methodology") or "—" for sc in c.scenarios],
    "Site": [sc.presets.get("site") or "—" for sc in c.scenarios],
    "Accelerators": [common.fmt(v, "count") for v in table["gpus"]],
    "Accelerator power": [common.fmt(v, "W") for v in table["gpu_watts"]],
    "IT power": [common.fmt(v, "W") for v in table["it_power_w"]],
    "Facility power": [common.fmt(v, "W") for v in table["facility_power_w"]],
    "H100e": [common.fmt(v, "count") for v in table["h100_equivalents"]],
    "Capital cost": [common.fmt(v, "currency") for v in table["capex"]],
})
st.download_button("Campus as a file (TOML)", io.dumps_campus(c, name=STARTS[start_key][0]), file_name="campus.toml",
                   mime="application/toml", key="download_campus", icon=":material/download:", on_click="ignore",
                   help="Every block with its presets and your values, as [[block]] tables: `estimator campus "
                        "campus.toml` gives the same totals, and estimator.io.load_campus reads it.")

st.subheader("Money")
period = common.fmt(s.hours, "h") if s.hours is not None else "the period (not set)"
common.kpi_row("kpis_campus_money", [
    common.kpi("capex", r.capex, "hardware plus facility, every block"),
    common.kpi("amortized_capex", r.amortized_capex, f"over {period}: "
               f"{fields.FIELDS['amortized_capex'].help}"),
    common.kpi("total_cost", r.total_cost, f"over {period}: amortized capital plus electricity, not a full TCO "
               "(no staff, maintenance, software, land, taxes)"),
    common.kpi("cost_per_gpu_hour", r.cost_per_gpu_hour, "not a full TCO"),
])
absent = [n for n in ("capex", "amortized_capex", "total_cost") if getattr(r, n) is None]
if absent:
    needs = sorted({m for n in absent for m in fields.missing_for(n, s.to_dict())})
    st.info("Set " + ", ".join(fields.label(n).lower() for n in needs) + " in the sidebar (*Money*; the "
            "electricity price under *Period, grid and price*) for these figures, or fill illustrative money "
            "figures.", icon=":material/info:")
st.button("Fill illustrative money figures (unconfirmed)", key="campus_fill_money", on_click=_fill_money,
          icon=":material/payments:",
          help="; ".join(f"{fields.label(k)}: {_shown(k, v)} — {note}" for k, (v, note) in MONEY_PREFILLS.items()))
st.caption("Illustrative money figures, if filled: " + "; ".join(
    f"{fields.label(k).lower()} {_shown(k, v)} ({note})" for k, (v, note) in MONEY_PREFILLS.items()) + ".")

st.subheader(f"Over the timeline, by {freq}")
by_period = {
    "From": dates,
    "Accelerators online": [common.fmt(v, "count") for v in t.gpus],
    "Facility power": [common.fmt(v, "W") for v in t.facility_power_w],
    "Energy": [common.fmt(v, "Wh") for v in t.energy_wh] if t.energy_wh is not None else ["—"] * len(dates),
    "Electricity cost": [common.fmt(v, "currency") for v in t.cost] if t.cost is not None else ["—"] * len(dates),
    "Capital plus energy": ([common.fmt(v, "currency") for v in t.total_cost] if t.total_cost is not None
                            else ["—"] * len(dates)),
}
common.table("campus_timeline_table", by_period)
common.kpi_row("kpis_campus_timeline", [
    (common.METRIC_LABELS[f"{name}_over_timeline"], common.fmt(t.total(name), common.display_unit(name)), help_)
    for name, help_ in (("energy_wh", "prorated by day online"), ("cost", None), ("total_cost", "not a full TCO"))])

st.subheader("Which limit binds: power, money or time")
st.caption("The largest fleet of the sidebar's accelerator each cap allows, and the smallest of them (the limit "
           "that binds); with a deadline, the compute that fleet delivers in it, and with a compute target the "
           "days it needs; with a serving throughput in the sidebar, the queries it serves a day. With no cap, the "
           "sidebar's fleet is the limit. Money caps need the sidebar's cost per "
           "accelerator and facility cost per watt. Leave a box empty to drop that limit.")
l1, l2, l3, l4, l5 = st.columns(5)
cap_texts = {
    "power_budget_w": l1.text_input("Power cap (facility) [W, e.g. 1 GW]", key="campus_cap_power",
                                    persist_state="session"),
    "it_budget_w": l2.text_input("Power cap (critical IT) [W]", key="campus_cap_it", persist_state="session",
                                 placeholder="e.g. 800 MW"),
    "capex_budget": l3.text_input("Capital budget [currency, e.g. $10B]", key="campus_cap_capex",
                                  persist_state="session"),
    "training_time_s": l4.text_input("Deadline [duration, e.g. 90 days]", key="campus_cap_days",
                                     persist_state="session"),
    "training_flop": l5.text_input("Compute target [FLOP, optional]", key="campus_cap_flop",
                                   placeholder="e.g. 3.8e26", persist_state="session"),
}
caps = {k: common.parse_field(v, k) for k, v in cap_texts.items()}
priced = s.accelerator_cost is not None and s.facility_cost_per_w is not None
if caps["capex_budget"] is not None and not priced:
    st.info("Set a cost per accelerator and a facility cost per watt in the sidebar (*Money*), or fill the "
            "illustrative money figures, for the capital cap.", icon=":material/info:")
    caps["capex_budget"] = None
on_hand = None
if all(caps[k] is None for k in ("power_budget_w", "it_budget_w", "capex_budget")):
    on_hand = s.gpus  # no cap given: what the sidebar's fleet does (in the deadline, towards the target)
lim = common.guarded(
    limits.binding_limit, s.gpu_watts, s.server_overhead, s.network_overhead, s.pue,
    power_budget_w=caps["power_budget_w"], it_budget_w=caps["it_budget_w"], capex_budget=caps["capex_budget"],
    gpus=on_hand, accelerator_cost=s.accelerator_cost, facility_cost_per_w=s.facility_cost_per_w,
    redundancy=s.redundancy, electrical_share=s.electrical_share, training_time_s=caps["training_time_s"],
    training_flop=caps["training_flop"], peak_flop_per_s=s.peak_flop_per_s, mfu=s.mfu)
shown_value = [common.fmt(v, fields.FIELDS[f].unit_text) for v, f in zip(lim["value"], lim["field"], strict=True)]
dash = lambda v, unit: "—" if v is None else common.fmt(v, unit)  # noqa: E731
# What each fleet serves, where the sidebar has a serving throughput: the chain's queries a day of that fleet.
served = (None if s.tokens_per_s_per_gpu is None or s.tokens_per_query is None else
          estimator.estimate(s.replace(gpus=list(lim["gpus"]))).queries_per_day)
common.table("campus_limits_table", {
    "Limit": [label + (" (binds)" if name == lim["binding"] else " (fleet needed)" if name == "deadline" else "")
              for label, name in zip(lim["label"], lim["limit"], strict=True)],
    "Value": shown_value,
    "Accelerators": [common.fmt(v, "count") for v in lim["gpus"]],
    "Facility power": [common.fmt(v, "W") for v in lim["facility_power_w"]],
    "Capital cost": [dash(v, "currency") for v in lim["capex"]],
    "Compute in the deadline": [dash(v, "FLOP") for v in lim["flop_in_deadline"]],
    "Days for the target": [dash(v, "count") for v in lim["days_for_target"]],
    "Queries a day": ["—"] * len(lim["gpus"]) if served is None else [common.fmt(v, "count") for v in served],
})
cap_rows = [i for i, name in enumerate(lim["limit"]) if name != "deadline"]
common.chart("chart_campus_limits", vega.chart(
    {"limits": vega.table({
        "limit": [lim["label"][i] for i in cap_rows],
        "accelerators": [lim["gpus"][i] for i in cap_rows],
        "binds": ["binds" if lim["limit"][i] == lim["binding"] else "slack" for i in cap_rows],
        "text": [common.fmt(lim["gpus"][i], "count") for i in cap_rows]})},
    height=40 + 40 * len(cap_rows), data={"name": "limits"}, mark={"type": "bar"},
    encoding={"y": vega.nominal("limit", title=None, sort=None, axis={"labelLimit": 320}),
              "x": vega.field("accelerators", title="Accelerators the limit allows [count]"),
              "color": vega.nominal("binds", title=None,
                                    scale={"domain": ["binds", "slack"], "range": ["#b03a2e", "#9aa5b1"]}),
              "tooltip": [vega.tooltip("limit", "Limit"), vega.tooltip("text", "Accelerators")]}))
verdict = ""
if lim["target_fits"] is not None:
    verdict = (" The target fits in the deadline." if lim["target_fits"] else
               f" The target does not fit: it needs {common.fmt(lim['fleet_days_for_target'], 'count')} days.")
st.caption(f"Binding: {limits.LABELS[lim['binding']].lower()}, {common.fmt(lim['fleet_gpus'], 'count')} "
           f"accelerators at {common.fmt(lim['fleet_facility_power_w'], 'W')}." + verdict +
           ("" if s.mfu is not None and s.peak_flop_per_s is not None else
            " Compute needs a peak and an MFU in the sidebar."))

st.subheader("The frontier training run's power, on trend")
largest = common.LARGEST_RUN
p1, p2, p3 = st.columns(3)
start_mw = p1.number_input("Starting run's power [MW]", min_value=0.001, max_value=1e6, step=10.0,
                           key="campus_trend_start_mw", persist_state="session",
                           help=f"Default: {largest['name']} ({largest['date']}), its accelerators at the default "
                                "methodology's chain")
start_year = p2.number_input("Its year", min_value=1950.0, max_value=2200.0, step=0.25, key="campus_trend_year",
                             persist_state="session", help="Decimal year: 2025.13 is mid-February 2025")
growth = p3.number_input("Growth a year [×]", min_value=1.01, max_value=10.0, step=0.1,
                         key="campus_trend_growth", persist_state="session",
                         help=f"Default 2.1×: {trend.GROWTH.source}")
proj = common.guarded(estimator.projection, units.parse(f"{start_mw} MW", "W"), start_year, growth, years=10)
common.kpi_row("kpis_campus_trend", [
    (common.METRIC_LABELS["passes"].format(common.fmt(t, "W")), f"{y:.1f}",
     "the year the trend reaches it (continuous)")
    for t, y in zip(proj["thresholds_w"], proj["crossing_years"], strict=True)])
common.chart("chart_campus_trend", vega.chart(
    {"trend": vega.table({"year": proj["year"], "MW": units.to_unit(proj["power_w"], "MW"),
                          "text": [common.fmt(v, "W") for v in proj["power_w"]]})},
    height=280,
    layer=[
        {"data": {"name": "trend"}, "mark": {"type": "line", "point": True},
         "encoding": {"x": vega.field("year", title="Year", axis={"format": "d"}, scale={"zero": False}),
                      "y": vega.field("MW", title="Frontier training run, facility power [MW]",
                                      scale={"type": "log"}),
                      "tooltip": [vega.tooltip("year", "Year", "quantitative", format=".1f"),
                                  vega.tooltip("text", "Power")]}},
        {"data": {"values": [{"MW": units.to_unit(t, "MW"), "label": common.fmt(t, "W")}
                             for t in proj["thresholds_w"]]},
         "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#b03a2e"},
         "encoding": {"y": vega.field("MW")}},
    ]))
st.caption(f"A trend, not a forecast: the starting run's full-load facility power × {growth:g} a year. "
           f"{trend.GROWTH.note}")
