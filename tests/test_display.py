"""Notebook views of Scenario and Estimate (``_repr_html_``) and their pandas frames (``to_frame``)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest
from numpy.testing import assert_allclose

import estimator
from estimator import display, fields, sweep, units

# README's worked example: 100k H100 with DGX overhead 1.82, network 1.10, PUE 1.2.
README = dict(gpus=100_000, gpu_watts=700, server_overhead=1.82, network_overhead=1.10, pue=1.2, utilization=0.75,
              hours=8760, electricity_price=0.08, carbon_intensity=0.4, wue=0.3, peak_flop_per_s=989e12, mfu=0.4)


class _Cells(HTMLParser):
    """The text of every row of an HTML table, cell by cell, and the header."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.header: list[str] = []
        self._cell: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            (self.header if self._in_head else self.rows[-1]).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def cells(page: str) -> _Cells:
    parser = _Cells()
    parser.feed(page)
    return parser


def test_estimate_html_labels_units_values():
    r = estimator.estimate(estimator.Scenario(**README))
    table = cells(r._repr_html_())
    assert table.header == ["result", "value", "field"]
    rows = {row[2]: row for row in table.rows}
    assert rows["facility_power_w"][:2] == ["Facility power, full load", "168 MW"]
    assert rows["energy_wh"][:2] == ["Facility energy over the period", "1.10 TWh"]  # README: 1.105 TWh
    assert rows["emissions_kg"][1] == "442 kt CO2e"  # 1.105e9 kWh × 0.4 kg/kWh
    # every result that is set, with the registry's label and the one formatter's text
    for name, value in r.to_dict().items():
        if value is None:
            assert name not in rows
        else:
            assert rows[name][:2] == [fields.FIELDS[name].label, units.format_value(value, display.display_unit(name))]


def test_estimate_html_breakdown_after_its_total():
    r = estimator.estimate(estimator.Scenario(**README))
    names = [row[2] for row in cells(r._repr_html_()).rows]
    at = names.index("facility_power_w")
    assert names[at + 1:at + 4] == ["host_power_w", "network_storage_power_w", "cooling_conversion_power_w"]
    assert '<td class="of">of which host</td>' in r._repr_html_()


def test_estimate_html_leaves_out_absent():
    r = estimator.estimate(estimator.Scenario(gpus=1000, gpu_watts=700))
    names = {row[2] for row in cells(r._repr_html_()).rows}
    assert "facility_power_w" in names and "energy_wh" not in names and "sustained_flop_per_s" not in names


def test_estimate_html_array_cases():
    r = estimator.estimate(estimator.Scenario.from_accelerator("h100-sxm", gpus=np.array([1e4, 1e5, 1e6]),
                                                               methodology="epoch-ai"))
    table = cells(r._repr_html_())
    assert table.header == ["result", "case 0", "case 1", "case 2", "field"]
    row = next(row for row in table.rows if row[-1] == "facility_power_w")
    assert row[1:4] == ["14.0 MW", "140 MW", "1.40 GW"]  # README: [1.4025e7, 1.4025e8, 1.4025e9] W


def test_estimate_html_large_array_is_a_range():
    r = estimator.estimate(estimator.Scenario(gpus=np.linspace(1e3, 1e6, 100), gpu_watts=700))
    table = cells(r._repr_html_())
    assert table.header == ["result", "range over 100 cases", "field"]
    row = next(row for row in table.rows if row[-1] == "facility_power_w")
    assert row[1] == "700 kW … 700 MW"


def test_estimate_html_2d_cases():
    r = estimator.estimate(estimator.Scenario(gpus=np.array([[1e3], [2e3]]), gpu_watts=np.array([700, 1000])))
    assert cells(r._repr_html_()).header == ["result", "case [0, 0]", "case [0, 1]", "case [1, 0]", "case [1, 1]",
                                             "field"]


def test_html_escapes():
    page = estimator.Scenario.from_accelerator("h100-sxm", gpus=1000)._repr_html_()
    assert "'H100-80GB" not in page and "&#x27;H100-80GB" in page  # a source with quotes, as a tooltip


def test_scenario_html_provenance():
    s = estimator.Scenario.from_accelerator("h100-sxm", gpus=24_576, pue=1.3)
    table = cells(s._repr_html_())
    assert table.header == ["assumption", "value", "field", "origin"]
    rows = {row[-2]: row for row in table.rows}
    assert rows["accelerator"] == ["Accelerator", "h100-sxm", "accelerator", "preset"]
    assert rows["methodology"][1] == "nameplate"
    assert rows["gpus"] == ["Accelerators in the fleet", "24,576", "gpus", "user"]
    assert rows["gpu_watts"] == ["Accelerator power", "700 W", "gpu_watts", "accelerator h100-sxm"]
    assert rows["pue"] == ["PUE", "1.3", "pue", "user"]
    assert rows["network_overhead"][-1] == "nameplate (default)"
    assert "mfu" not in rows  # no MFU is invented


def test_scenario_html_explicit():
    s = estimator.Scenario(gpus=1000, gpu_watts=700)
    rows = {row[-2]: row for row in cells(s._repr_html_()).rows}
    assert rows["pue"][1:] == ["1", "pue", "default"] and rows["gpu_watts"][-1] == "user"
    assert "accelerator" not in rows


def test_repr_unchanged():
    s = estimator.Scenario(gpus=1000, gpu_watts=700)
    assert repr(s).startswith("Scenario(gpus=1000.0, gpu_watts=700.0")
    assert repr(estimator.estimate(s)).startswith("Estimate(accelerator_power_w=700000.0")


# ---------------------------------------------------------------------------- frames

pd = pytest.importorskip("pandas")


def test_estimate_frame_scalar():
    r = estimator.estimate(estimator.Scenario(**README))
    table = r.to_frame()
    assert isinstance(table, pd.DataFrame) and len(table) == 1
    assert list(table.columns) == [k for k, v in r.to_dict().items() if v is not None]
    assert_allclose(table["facility_power_w"].iloc[0], 168_168_000.0, rtol=1e-12)  # README
    assert table.attrs["units"]["facility_power_w"] == "W"
    assert table.attrs["labels"]["emissions_kg"] == "Emissions over the period"


def test_estimate_frame_vector_equals_scalar():
    gpus = np.array([1e4, 1e5, 1e6])
    table = estimator.estimate(estimator.Scenario(gpus=gpus, gpu_watts=700, pue=1.2)).to_frame()
    assert len(table) == 3 and table.index.name == "case"
    for i, n in enumerate(gpus):
        one = estimator.estimate(estimator.Scenario(gpus=n, gpu_watts=700, pue=1.2))
        assert_allclose(table["facility_power_w"].iloc[i], one.facility_power_w, rtol=1e-15)


def test_frame_2d_multiindex():
    s = estimator.Scenario(gpus=np.array([[1e3], [2e3]]), gpu_watts=np.array([700, 1000]))
    table = estimator.estimate(s).to_frame()
    assert list(table.index) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert_allclose(table.loc[(1, 0), "accelerator_power_w"], 2e3 * 700, rtol=1e-15)


def test_scenario_frame():
    s = estimator.Scenario.from_accelerator("h100-sxm", gpus=np.array([1e3, 2e3]), methodology="epoch-ai")
    table = s.to_frame()
    assert list(table["accelerator"]) == ["h100-sxm", "h100-sxm"]
    assert list(table["gpus"]) == [1e3, 2e3]
    assert table.attrs["provenance"]["gpu_watts"] == "accelerator h100-sxm"
    assert table.attrs["provenance"]["gpus"] == "user"
    assert "mfu" in table.columns  # epoch-ai publishes an MFU


def test_to_frame_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ModuleNotFoundError, match=re.escape('pip install "ai-datacenter-estimator[frame]"')):
        estimator.estimate(estimator.Scenario(gpus=1, gpu_watts=700)).to_frame()


def test_import_and_html_do_not_import_pandas():
    code = ("import sys, estimator; s = estimator.Scenario(gpus=1, gpu_watts=700); s._repr_html_(); "
            "estimator.estimate(s)._repr_html_(); print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "False"


# Sweeps and timelines as labelled arrays (xarray) and long frames (pandas).


def _sweep():
    base = estimator.Scenario(**README)
    return sweep.grid(base, {"pue": [1.1, 1.3], "gpus": [1e3, 1e4, 1e5]}, "facility_power_w")


def test_sweep_to_xarray_keeps_axes_values_and_units():
    result = _sweep()
    array = result.to_xarray()
    assert array.dims == ("pue", "gpus") and array.name == "facility_power_w"
    assert_allclose(array.values, result.values, rtol=0)
    assert_allclose(array.coords["gpus"].values, [1e3, 1e4, 1e5], rtol=0)
    assert array.attrs == {"long_name": fields.label("facility_power_w"), "units": "W"}
    assert array.coords["pue"].attrs["long_name"] == fields.label("pue")
    # A labelled selection is the library's own number at that point.
    point = estimator.estimate(estimator.Scenario(**{**README, "pue": 1.3, "gpus": 1e4})).facility_power_w
    assert_allclose(float(array.sel(pue=1.3, gpus=1e4)), point, rtol=1e-12)


def test_sweep_to_frame_is_one_row_per_point():
    result = _sweep()
    table = result.to_frame()
    assert list(table.index.names) == ["pue", "gpus"] and len(table) == 6
    assert_allclose(table.loc[(1.1, 1e5), "facility_power_w"], result.values[0, 2], rtol=0)
    assert table.attrs["units"]["facility_power_w"] == "W"


def _timeline():
    blocks = [estimator.Scenario.from_accelerator("h100-sxm", gpus=1000),
              estimator.Scenario.from_accelerator("h100-sxm", gpus=500)]
    campus = estimator.Campus(blocks, names=["hall-1", "hall-2"], online=["2025-01-01", "2025-04-01"])
    return estimator.timeline(campus, "2025-01-01", "2025-12-31")


def test_timeline_to_xarray_is_blocks_by_periods():
    result = _timeline()
    data = result.to_xarray()
    assert dict(data.sizes) == {"block": 2, "time": 12}
    assert list(data.coords["block"].values) == ["hall-1", "hall-2"]
    # The second hall draws nothing before April; summing over blocks gives the campus.
    assert_allclose(data["facility_power_w"].sel(block="hall-2").values[:3], 0, atol=0)
    assert_allclose(data["facility_power_w"].sum("block").values, result.facility_power_w, rtol=1e-12)
    assert_allclose(data["hours"].values, result.hours, rtol=0)
    assert data["energy_wh"].attrs["units"] == "Wh"


def test_timeline_to_frame_totals_by_period():
    result = _timeline()
    table = result.to_frame()
    assert len(table) == 12 and str(table.index[3].date()) == "2025-04-01"
    assert_allclose(table["gpus"].to_numpy(), [1000] * 3 + [1500] * 9, rtol=0)
    assert_allclose(table["energy_wh"].sum(), result.total("energy_wh"), rtol=1e-12)


def test_labelled_arrays_without_xarray(monkeypatch):
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(ModuleNotFoundError, match=re.escape("Sweep.to_xarray() needs xarray")):
        _sweep().to_xarray()
