"""The load swing gets the same answer at every door: the library (``power.load_swing``), the command line
(``estimator swing``), a link and the dashboard's Fleet page (its swing inputs in the address)."""

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

from estimator import cli, estimate, fields, power, units
from estimator.scenario import Scenario

APP = str(Path(__file__).resolve().parents[1] / "app.py")

# Meta's Llama 3 training jobs ran on up to 16,384 H100 (arXiv:2407.21783); PUE 1.1 is illustrative.
FLEET = {"gpus": 16_384.0, "pue": 1.1}
CHOSEN = [
    {},  # every assumption at its labelled default
    {"idle_fraction": 0.2, "job_share": 0.5, "host_swing_share": 0.6, "psu_efficiency": 0.94,
     "distribution_efficiency": 0.97, "cooling_step_share": 0.3},
]
SHOWN = ("job_gpus", "accelerator_w", "swing_w", "step_w", "share_of_facility")


def library(chosen: dict[str, float]) -> dict[str, float]:
    s = Scenario.from_accelerator("h100-sxm", **FLEET)
    idle = chosen.get("idle_fraction", power.SWING_ASSUMPTIONS["idle_fraction"].value)
    rest = {k: v for k, v in chosen.items() if k not in ("idle_fraction", "job_share")}
    return power.load_swing(s.gpus, s.gpu_watts, idle, chosen.get("job_share", 1.0), estimate(s).facility_power_w,
                            server_overhead=s.server_overhead, pue=s.pue, **rest)


def command_line(chosen: dict[str, float]) -> dict[str, float]:
    argv = ["swing", "--accelerator", "h100-sxm", "--gpus", "16384", "--pue", "1.1", "--format", "json"]
    for name, value in chosen.items():
        argv += [fields.FIELDS[name].option, repr(value)]
    out = stdio.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(argv) == 0
    return json.loads(out.getvalue())["results"]


@pytest.mark.parametrize("chosen", CHOSEN, ids=["defaults", "chosen"])
def test_command_line_equals_library(chosen):
    expected, got = library(chosen), command_line(chosen)
    for name in (*SHOWN, "host_w", "psu_loss_w", "distribution_loss_w", "cooling_step_w", "step_share_of_facility"):
        assert_allclose(got[name], expected[name], rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("chosen", CHOSEN, ids=["defaults", "chosen"])
def test_dashboard_shows_the_library_answer(chosen):
    from streamlit.testing.v1 import AppTest

    params = {"accelerator": "h100-sxm", "gpus": "16384", "pue": "1.1"}
    for name, value in chosen.items():
        params[f"fleet.{name}"] = repr(round(value * 100)) if name == "job_share" else repr(value)
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    shown = {m.label: m.value for m in at.get_by_key("kpis_swing").metric}
    expected = library(chosen)
    f = units.format_value
    assert shown[fields.label("job_gpus")] == f(expected["job_gpus"], "count")
    assert shown[fields.label("swing_w")] == f(expected["swing_w"], "W")
    assert shown[fields.label("step_w")] == f(expected["step_w"], "W")
    assert shown[fields.label("share_of_facility")] == f(expected["share_of_facility"], "%")


def test_swing_assumptions_are_the_registry_rules_at_the_command_line():
    err = stdio.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["swing", "--accelerator", "h100-sxm", "--gpus", "1000", "--psu-efficiency", "1.2"])
    assert code == 2 and "psu_efficiency must be in (0, 1] (got 1.2)" in err.getvalue()


def test_swing_vectorizes_at_the_command_line():
    got = command_line({"psu_efficiency": 0.9})["swing_w"]
    out = stdio.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["swing", "--accelerator", "h100-sxm", "--gpus", "16384", "--pue", "1.1",
                         "--psu-efficiency", "0.9", "0.96", "--format", "json"]) == 0
    arrays = json.loads(out.getvalue())["results"]["swing_w"]
    assert_allclose(arrays, [got, library({})["swing_w"]], rtol=1e-12)
    assert np.all(np.diff(arrays) < 0)  # a better power supply loses less on the swing
