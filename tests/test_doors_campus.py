"""A campus gets the same answer at every door: the library, a ``[[block]]`` file, the command line
(``estimator campus``, a file or a ready campus's name) and the dashboard's Campus page.

Machine doors agree to rounding; the dashboard shows ``units.format_value`` of the library's number.
Blocks mix accelerators, online dates and money inputs, so totals, capital and the timeline are all
exercised.
"""

from __future__ import annotations

import contextlib
import io as stdio
import json
import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import estimator
from estimator import cli, io, units

APP = str(Path(__file__).resolve().parents[1] / "app.py")
RTOL = 1e-12

# Illustrative money figures ($40k an accelerator, $12/W; not published prices), a year, two halls.
CAMPUS_FILE = """\
hours = 8760
electricity_price = 0.08
accelerator_cost = 40000
facility_cost_per_w = 12
hardware_life_years = 5
facility_life_years = 20

[[block]]
name = "hall A"
accelerator = "h100-sxm"
gpus = "100k"
online = 2025-01-01

[[block]]
name = "hall B"
accelerator = "gb200"
methodology = "epoch-ai-clusters"
date = "2025-09-01"
gpus = 72_000
online = 2025-09-01
"""

TOTALS = ("gpus", "it_power_w", "facility_power_w", "h100_equivalents", "capex", "amortized_capex", "total_cost")


def _cli_json(argv: list[str]) -> dict:
    out, err = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*argv, "--format", "json"])
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def _library_campus() -> estimator.Campus:
    shared = dict(hours=8760.0, electricity_price=0.08, accelerator_cost=40_000.0, facility_cost_per_w=12.0,
                  hardware_life_years=5.0, facility_life_years=20.0)
    blocks = [estimator.Scenario.from_accelerator("h100-sxm", gpus=100_000, **shared),
              estimator.Scenario.from_accelerator("gb200", gpus=72_000, methodology="epoch-ai-clusters",
                                                  date="2025-09-01", **shared)]
    return estimator.Campus(blocks, names=["hall A", "hall B"], online=["2025-01-01", "2025-09-01"])


@pytest.fixture
def campus_path(tmp_path):
    path = tmp_path / "campus.toml"
    path.write_text(CAMPUS_FILE)
    return path


def test_file_equals_library(campus_path):
    expected = estimator.estimate(_library_campus())
    got = estimator.estimate(io.load_campus(campus_path))
    for name in TOTALS:
        assert_allclose(getattr(got, name), getattr(expected, name), rtol=RTOL, err_msg=name)
    assert expected.capex > 0 and expected.total_cost > expected.amortized_capex  # money is exercised


def test_command_line_equals_library(campus_path):
    expected = estimator.estimate(_library_campus())
    document = _cli_json(["campus", str(campus_path)])
    for name in TOTALS:
        assert_allclose(document["total"][name], getattr(expected, name), rtol=RTOL, err_msg=name)
    assert [b["name"] for b in document["blocks"]] == ["hall A", "hall B"]


def test_command_line_timeline_equals_library(campus_path):
    expected = estimator.timeline(_library_campus(), "2025-01-01", "2025-12-31", "quarter")
    timeline = _cli_json(["campus", str(campus_path), "--timeline", "quarter", "--start", "2025-01-01",
                          "--end", "2025-12-31"])["timeline"]
    assert timeline["dates"] == [str(d) for d in expected.dates]
    for name in ("gpus", "h100_equivalents", "facility_power_w", "energy_wh"):
        assert_allclose(timeline[name], getattr(expected, name), rtol=RTOL, err_msg=name)
    # Hall B draws nothing before its quarter: the first three quarters hold hall A alone.
    assert_allclose(timeline["gpus"], [100_000] * 3 + [172_000], rtol=0)


@pytest.mark.parametrize("name", sorted(estimator.campus_presets()))
def test_ready_campus_at_the_command_line_equals_library(name):
    expected = estimator.estimate(estimator.campus_preset(name))
    total = _cli_json(["campus", name])["total"]
    for field in ("gpus", "it_power_w", "facility_power_w", "h100_equivalents"):
        assert_allclose(total[field], getattr(expected, field), rtol=RTOL, err_msg=f"{name}: {field}")


@pytest.mark.parametrize("name", sorted(estimator.campus_presets()))
def test_dashboard_shows_the_ready_campus_of_the_library(name):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("app_pages/campus.py").run()
    at.selectbox(key="campus_start").set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    # The page builds the blocks from their accelerators with the sidebar's methodology (nameplate here).
    expected = estimator.estimate(estimator.campus_preset(name))
    shown = [m.value for m in at.get_by_key("kpis_campus").metric]
    f = units.format_value
    assert f(expected.gpus, "count") in shown
    assert f(expected.facility_power_w, "W") in shown
    assert f(float(np.sum(expected.h100_equivalents)), "count") in shown
