"""Cached library calls of the pages, defined once per server process.

A page file runs again on every rerun, so a ``st.cache_data`` function defined in it is made
again each time: 0.5 to 1.3 ms per function and rerun on the 1 GW explorer (its statements timed one
by one under AppTest, 2026-12-02). Defined here, in a module imported once, a cache hit costs only
the arguments' hashing and the copy of the result. Every function is a pure call of
:mod:`estimator` (or formats one for a chart) and takes only hashable values.
"""

from __future__ import annotations

import streamlit as st

from app_pages import common, vega
from estimator import tables


@st.cache_data(show_spinner=False, max_entries=64)
def accelerator_table(budget_w, methodology, network_overhead, pue, mfu, hours, run_flop, precision, goodput=None):
    """:func:`estimator.tables.accelerator_table` for the explorer."""
    return tables.accelerator_table(budget_w, methodology, network_overhead=network_overhead, pue=pue,
                                    mfu=mfu, hours=hours, training_flop=run_flop, precision=precision,
                                    goodput=goodput)


@st.cache_data(show_spinner=False, max_entries=64)
def methodology_table(budget_w, accelerator, gpu_watts, peak, mfu, hours, run_flop, goodput=None):
    """:func:`estimator.tables.methodology_table` for the explorer."""
    return tables.methodology_table(budget_w, accelerator, gpu_watts=gpu_watts, peak_flop_per_s=peak,
                                    mfu=mfu, hours=hours, training_flop=run_flop, goodput=goodput)


@st.cache_data(show_spinner=False, max_entries=64)
def fit_cells(budget_w):
    """The explorer's fit matrix (:func:`estimator.tables.fit_matrix`) as its chart draws it, and the axes'
    order: catalogue presets only, so the budget alone decides it."""
    fm = tables.fit_matrix(budget_w)
    names = common.preset_names()
    short = {k: v.split(" (")[0] for k, v in names["accelerator"].items()}
    rows = [(short[a], names["methodology"][m], fm["gpus"][i, j], fm["watts_per_gpu"][i, j])
            for i, a in enumerate(fm["accelerators"]) for j, m in enumerate(fm["methodologies"])]
    cells = vega.table({"Accelerator": [r[0] for r in rows], "Methodology": [r[1] for r in rows],
                        "gpus": [float(r[2]) for r in rows], "label": [common.fmt(r[2], "count") for r in rows],
                        "per": [common.fmt(r[3], "W") for r in rows]})
    return cells, [short[a] for a in fm["accelerators"]], [names["methodology"][m] for m in fm["methodologies"]]
