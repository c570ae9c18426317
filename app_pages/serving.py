"""Serving: energy per query and per token, and queries a day, for the sidebar's fleet; and the fleet a demand needs."""

import streamlit as st

import estimator
from app_pages import common
from estimator import fields, serving, tables

st.title("Serving")
st.caption("What one query and one output token cost in facility energy on the sidebar's fleet, how many queries "
           "it serves a day, and what fleet a demand needs. Throughput and token counts are inputs under "
           "*Serving* in the sidebar; the presets and the estimate below fill them. " + common.ASSUMPTION_NOTE)

s = common.require_scenario()
QUERIES = estimator.queries()


def _use(values: dict[str, float | None]) -> None:
    """Put values into the sidebar as the user's own (a callback), so that the link carries them."""
    st.session_state.setdefault("_typed", {}).update(values)
    bad = st.session_state.setdefault("_invalid", {})
    for name in values:
        bad.pop(name, None)  # the new value replaces text that could not be read
    common.write_widgets(list(values))  # the sidebar's own writer of its inputs


def _use_query() -> None:
    key = st.session_state.get("serving_query")
    if key is not None:
        preset = QUERIES[key].assumptions()
        _use({"tokens_per_query": preset["tokens_per_query"],
              "input_tokens_per_query": preset.get("input_tokens_per_query")})


st.subheader("What a query is")
c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
c1.selectbox("Query preset", list(QUERIES), format_func=lambda k: QUERIES[k].name, index=None,
             placeholder="pick one to fill the token counts", key="serving_query", on_change=_use_query,
             help="Sets the sidebar's output tokens per query, and input tokens where the preset has them.")
chosen = st.session_state.get("serving_query")
if chosen is not None:
    c2.caption(QUERIES[chosen].description)
    rows = [{"Input": fields.label(name), "Value": common.fmt(v.value, "count"), "Source": v.source,
             "Note": v.note, "Confirmed": "yes" if v.confirmed else "no: our rounding or framing"}
            for name, v in QUERIES[chosen].sourced_assumptions().items()]
    common.table("serving_query_sources", {k: [r[k] for r in rows] for k in rows[0]})

st.subheader("Throughput from model and hardware facts")
st.caption("For those who do not know a tokens/s figure: decode is limited by memory bandwidth (the weights read "
           "once per step for the whole batch, plus each sequence's KV cache) and by compute (2 FLOP per active "
           "parameter per token), whichever binds first. An upper bound: real servers reach less.")
e1, e2, e3, e4 = st.columns(4)
params_text = e1.text_input("Active parameters [count]", key="serving_active_parameters", persist_state="session",
                            help="Epoch AI's assumption for GPT-4o: 100B active of about 400B in total.")
bytes_per = e2.selectbox("Bytes per parameter", [2.0, 1.0, 0.5], key="serving_bytes", persist_state="session",
                         format_func={2.0: "2 (BF16)", 1.0: "1 (FP8)", 0.5: "0.5 (4-bit)"}.get)
bandwidth_text = e3.text_input("Memory bandwidth [bytes/s]", key="serving_bandwidth", persist_state="session",
                               help="Per accelerator; NVIDIA H100 SXM: 3.35 TB/s.")
batch = e4.number_input("Batch [sequences]", min_value=1, max_value=100_000, step=8, key="serving_batch",
                        persist_state="session",
                        help="Sequences decoded together by one copy of the weights.")
e5, e6, e7 = st.columns(3)
kv_text = e5.text_input("KV cache per token [bytes]", key="serving_kv", persist_state="session",
                        help="2 × layers × KV heads × head size × bytes; Llama 3.1 70B in BF16: 320 KiB.")
context_text = e6.text_input("Context while decoding [tokens]", key="serving_context", persist_state="session")
e7.caption(f"Compute limit at the sidebar's peak, {common.fmt(s.peak_flop_per_s, 'FLOP/s')}; prefill at the "
           f"sidebar's MFU, {common.fmt(s.mfu, '%')}.")
facts = [common.parse_input(text, common.PAGE_PARAMS[param].unit, name) for text, param, name in
         ((params_text, "serving.active_parameters", "active_parameters"),
          (bandwidth_text, "serving.bandwidth", "memory_bandwidth_b_per_s"),
          (kv_text, "serving.kv", "kv_cache_bytes_per_token"), (context_text, "serving.context", "context_tokens"))]
decode = prefill = None
if None not in facts:
    n, bandwidth, kv, context = facts
    decode = common.guarded(serving.decode_tokens_per_s, n, bytes_per, bandwidth, batch, kv, context,
                            s.peak_flop_per_s)
    if s.peak_flop_per_s is not None and s.mfu is not None:
        prefill = common.guarded(serving.prefill_tokens_per_s, n, s.peak_flop_per_s, s.mfu)
    common.kpi_row("kpis_serving_estimate", [
        common.kpi("tokens_per_s_per_gpu", decode,
                   "Estimate: the lower of the memory-bandwidth and compute limits of decode, an upper bound"),
        common.kpi("prefill_tokens_per_s_per_gpu", prefill,
                   "Estimate: prefill at the sidebar's peak × MFU ÷ (2 × active parameters)" if prefill is not None
                   else "Needs a peak and an MFU in the sidebar."),
    ])
    b1, b2 = st.columns(2)
    b1.button(f"Use {common.fmt(decode, 'count')} output tokens/s per accelerator", key="serving_use_decode",
              on_click=_use, args=({"tokens_per_s_per_gpu": decode},), icon=":material/input:",
              disabled=not decode >= 1, help="Below 1 token/s the estimate cannot be used (the field's floor)."
              if not decode >= 1 else "Puts the estimate into the sidebar as your value.")
    b2.button(f"Use {common.fmt(prefill, 'count')} input tokens/s per accelerator", key="serving_use_prefill",
              on_click=_use, args=({"prefill_tokens_per_s_per_gpu": prefill},),
              disabled=prefill is None or not prefill >= 1, icon=":material/input:",
              help="Prefill is compute-bound: peak × MFU ÷ (2 × active parameters); needs an MFU in the sidebar.")

st.subheader(f"One query on {common.fmt(s.gpus, 'count')} accelerators")
if s.tokens_per_s_per_gpu is None or s.tokens_per_query is None:
    st.info("Give output tokens per second per accelerator and output tokens per query under *Serving* in the "
            "sidebar (or use the preset and the estimate above) to see energy per query and queries a day. "
            "No throughput is made up.", icon=":material/info:")
    common.stop()
f = common.guarded(serving.query_footprint, s)
if f["energy_per_query_wh"] is None:
    st.warning("Input tokens are given without an input (prefill) throughput, so their cost is unknown: give "
               "input tokens per second per accelerator in the sidebar, or empty the input tokens.",
               icon=":material/warning:")
    common.stop()
load_note = ("the sidebar's utilization, as no load factor is given" if f["load_factor_is_default"]
             else "as given")
common.kpi_row("kpis_serving", [
    common.kpi("energy_per_query_wh", f["energy_per_query_wh"],
               "average facility draw per accelerator × accelerator-seconds per query ÷ load factor"),
    common.kpi("energy_per_token_j", f["energy_per_token_j"],
               "average facility draw ÷ (accelerators × output tokens/s × load factor); decode only"),
    common.kpi("queries_per_day", f["queries_per_day"],
               "accelerators × load factor × 86,400 s ÷ accelerator-seconds per query"),
    common.kpi("load_factor", f["load_factor"], f"average ÷ full-load throughput: {load_note}"),
])
# What each per-query figure needs when it is absent.
WANTED = {"emissions_kg": "Set a grid carbon intensity in the sidebar.",
          "market_emissions_kg": "Set a market-based carbon intensity in the sidebar.",
          "water_l": "Set a WUE in the sidebar.",
          "generation_water_l": "Set the water at the power plants in the sidebar."}
common.kpi_row("kpis_serving_footprint", [
    (common.METRIC_LABELS[f"{name}_per_query"], common.fmt(f[name], common.display_unit(name)),
     None if f[name] is not None else wanted) for name, wanted in WANTED.items()])
st.caption(f"As many of these accelerators as 1 GW holds at full load serve "
           f"{common.fmt(f['queries_per_day_per_gigawatt'], 'count')} such queries a day. Published for "
           "comparison: Google, 0.24 Wh for the median Gemini Apps text prompt (arXiv:2508.15734, 2025); "
           "Epoch AI, about 0.3 Wh for a typical GPT-4o query (2025).")

fleet_draw = estimator.estimate(s).average_facility_power_w
common.equivalents_caption("serving_equivalents", average_power_w=fleet_draw)

st.subheader("Serving and training on one fleet")
st.caption("Split the sidebar's accelerators: one share serves queries, the rest trains. Both keep the sidebar's "
           "chain and utilization, so power and energy divide in proportion.")
g1, g2 = st.columns([2, 1], vertical_alignment="bottom")
share = g1.slider(f"{fields.label('serving_share')} [%]", 0.0, 1.0, step=0.05, format="percent", key="serving_share",
                  persist_state="session", help=fields.FIELDS["serving_share"].help)
run_text = g2.text_input("Training run [FLOP]", key="serving_run_flop", persist_state="session",
                         help="Compute of one run; Llama 3 405B was 3.8e25 FLOP (arXiv:2407.21783).")
run_flop = common.parse_input(run_text, "FLOP", "training_flop")
if run_flop is not None:
    split = common.guarded(tables.fleet_split, s, share, run_flop)
    columns = {"": [fields.label(n) for n in tables.SPLIT_ROWS]}
    for side, part in split.items():
        columns[f"{side.title()} ({common.fmt(part['share'], '%')})"] = [
            common.fmt(part[n], fields.unit(n)) for n in tables.SPLIT_ROWS]
    common.table("serving_split", columns)
    if split["training"]["runs"] is None:
        st.caption("Runs in the period need an MFU, a peak and a period in the sidebar.")

st.subheader("A demand: the fleet it needs")
demand_text = st.text_input("Queries a day [count, e.g. 2.5B]", key="serving_demand", persist_state="session")
demand = common.parse_input(demand_text, "count", "queries_per_day")
if demand is None:
    common.stop()
need = common.guarded(serving.fleet_for_queries, s, demand)
common.kpi_row("kpis_serving_demand", [
    common.kpi("gpus", need["gpus"], "the fleet the demand needs: queries a day × accelerator-seconds per query ÷ "
               "(86,400 s × load factor), rounded up"),
    common.kpi("facility_power_w", need["facility_power_w"], "that fleet through the power chain"),
    common.kpi("share_of_gigawatt", need["share_of_gigawatt"]),
    common.kpi("energy_per_day_wh", need["energy_per_day_wh"], "average facility draw × 24 h"),
])
