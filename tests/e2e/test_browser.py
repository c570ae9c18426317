"""The dashboard in a real browser: Debian's Chromium through Playwright, against ``streamlit run app.py``.

Run: ``.venv/bin/python -m pytest tests/e2e -q`` (fixtures in conftest.py). Every test opens a fresh
Streamlit session, waits for the script run and the lazy-loaded elements to finish, and checks what a
user would see. ``ESTIMATOR_SCREENSHOTS=1`` makes :func:`test_page` refresh docs/img/<page>.png.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import harness  # tests/e2e/harness.py
import pytest
from playwright.sync_api import Locator, Page, expect

import estimator
from estimator import fields, links, units
from estimator import io as scenario_io

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
IMG_DIR = ROOT / "docs" / "img"
TIMEOUT_MS = 30_000
MAX_PNG_BYTES = 400_000

EXCEPTION = '[data-testid="stException"]'
ALERT = '[data-testid="stAlert"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stVegaLiteChart"]'
ERROR_ALERT = '[data-testid="stAlertContentError"]'
WARNING_ALERT = '[data-testid="stAlertContentWarning"]'

#: True once the script run is over and everything it sent is drawn (tests/e2e/harness.py).
_READY_JS = harness.ready_js()


#: Height of the page's content: the taller of the main pane and the sidebar, plus their offsets.
_CONTENT_HEIGHT_JS = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const side = document.querySelector('[data-testid="stSidebarContent"]');
  const h = (el) => el ? el.getBoundingClientRect().top + el.scrollHeight : 0;
  return Math.ceil(Math.max(h(main), side ? side.scrollHeight : 0)) + 16;
}"""
MAX_SHOT_HEIGHT = 12_000


def _app_pages() -> dict[str, str]:
    """Page name (its file under app_pages/) → URL path, read from app.py's ``st.Page`` calls."""
    pages: dict[str, str] = {}
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args):
            continue
        name = Path(ast.literal_eval(node.args[0])).stem
        kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg in ("url_path", "default")}
        pages[name] = "/" if kw.get("default") else "/" + kw.get("url_path", name)
    return pages


PAGES = _app_pages()
#: The pages this suite was written for; a new page (e.g. uncertainty) is picked up from app.py.
EXPECTED = {"fleet": "/", "explorer": "/explorer", "sweeps": "/sweeps", "energy": "/energy",
            "training": "/training", "compare": "/compare"}


def wait_for_app(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the script and drawing what it sent."""
    page.wait_for_function(_READY_JS, timeout=timeout, polling=100)


def open_page(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def keyed(page: Page, key: str) -> Locator:
    """The element of the widget or container with Streamlit key ``key``."""
    return page.locator(f".st-key-{key}")


def metric_value(page: Page, container: str, label: str) -> Locator:
    metric = keyed(page, container).locator('[data-testid="stMetric"]').filter(has_text=label)
    return metric.locator(METRIC_VALUE)


def set_number(page: Page, key: str, text: str) -> None:
    """Type into the number input with Streamlit key ``key`` and commit it (Enter), as a user would."""
    box = keyed(page, key).locator("input")
    box.fill(text)
    box.press("Enter")


def keep_scenario(page: Page, name: str) -> None:
    """On /compare: keep the sidebar's scenario under ``name`` and wait for the confirmation."""
    keyed(page, "keep_name").locator("input").fill(name)
    keyed(page, "keep_button").locator("button").click()
    expect(page.locator(ALERT).filter(has_text=f"Kept as '{name}'")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_app(page)


def query(page: Page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))


def expected_facility_power(params: dict[str, str]) -> str:
    """The facility power text the library gives for the dashboard's address: its presets and typed values
    over the dashboard's prefills (100,000 accelerators)."""
    state = links.read(params)
    p = state.presets
    typed = {k: v for k, v in state.values.items() if v is not None}
    s = estimator.Scenario.from_accelerator(p.get("accelerator", "h100-sxm"), typed.pop("gpus", 100_000),
                                            methodology=p.get("methodology"), site=p.get("site"),
                                            precision=p.get("precision", "bf16"), **typed)
    return units.format_power(estimator.estimate(s).facility_power_w)


def no_exception(page: Page) -> None:
    expect(page.locator(EXCEPTION)).to_have_count(0)


def save_small_png(png: bytes, target: Path) -> None:
    """Write a screenshot as a 256-colour PNG (a third of the size, same pixels to the eye; flat UI colours)."""
    from PIL import Image  # Pillow comes with streamlit

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    tmp = target.with_suffix(".tmp.png")
    small.save(tmp, format="PNG", optimize=True)
    tmp.replace(target)


# --------------------------------------------------------------------------- the page list

def test_app_lists_the_expected_pages() -> None:
    assert {k: PAGES.get(k) for k in EXPECTED} == EXPECTED


# --------------------------------------------------------------------------- 2. an input moves a figure

def test_pue_input_changes_facility_power(page: Page, app_url: str) -> None:
    open_page(page, app_url + "/")
    facility = metric_value(page, "kpis_power", fields.label("facility_power_w"))
    before = facility.inner_text()
    assert before == expected_facility_power(query(page))

    new_pue = "1.5" if keyed(page, "pue").locator("input").input_value() not in ("1.5", "1.500") else "1.3"
    set_number(page, "pue", new_pue)
    expect(facility).not_to_have_text(before, timeout=TIMEOUT_MS)
    wait_for_app(page)
    # The address bar follows the sidebar (that is what "share" copies), and the figure is the library's.
    expect(page).to_have_url(re.compile(rf"[?&]pue={re.escape(new_pue)}(&|$)"), timeout=TIMEOUT_MS)
    assert facility.inner_text() == expected_facility_power(query(page))
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(re.compile(r"Your values, kept when a preset changes: .*\bpue\b"))).to_be_visible()
    no_exception(page)


# --------------------------------------------------------------------------- 3. downloads

def test_compare_downloads(page: Page, app_url: str, tmp_path: Path) -> None:
    open_page(page, app_url + "/compare")
    keep_scenario(page, "Baseline")

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        keyed(page, "download_csv").locator("button").click()
    download = info.value
    assert download.suggested_filename == "estimator-scenarios.csv"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows, "empty CSV"
    header = list(rows[0])
    assert header[:4] == ["quantity", "kind", "label", "unit"]
    assert "Current (sidebar)" in header and "Baseline" in header
    kinds = {r["kind"] for r in rows}
    assert {"assumption", "result"} <= kinds
    by_quantity = {r["quantity"]: r for r in rows}
    assert float(by_quantity["gpus"]["Current (sidebar)"]) == 100_000
    assert float(by_quantity["facility_power_w"]["Baseline"]) > 0

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        keyed(page, "download_json").locator("button").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    names = [sc["name"] for sc in doc["scenarios"]]
    assert names == ["Current (sidebar)", "Baseline"]
    first = doc["scenarios"][0]
    assert first["assumptions"]["gpus"] == 100_000
    assert first["results"]["facility_power_w"] > 0
    assert doc["units"]["facility_power_w"] == "W"

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        keyed(page, "download_toml").locator("button").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert tomllib.loads(path.read_text(encoding="utf-8"))
    assert scenario_io.load(path).gpus == 100_000
    no_exception(page)


# --------------------------------------------------------------------------- 4. shared and tampered URLs

def test_shared_url_restores_the_sidebar(page: Page, app_url: str) -> None:
    open_page(page, app_url + "/?accelerator=b200&gpus=50000&pue=1.3")
    no_exception(page)
    expect(page.locator(ALERT).filter(has_text="could not be used")).to_have_count(0)
    expect(keyed(page, "gpus").locator("input")).to_have_value("50,000")
    expect(keyed(page, "pue").locator("input")).to_have_value(re.compile(r"^1\.30*$"))
    expect(keyed(page, "gpu_watts").locator("input")).to_have_value(re.compile(r"^1000(\.0*)?$"))
    expect(keyed(page, "accelerator").get_by_role("combobox")).to_have_value(estimator.accelerator("b200").name)
    params = query(page)
    assert (params["accelerator"], params["gpus"], params["pue"]) == ("b200", "50000", "1.3")
    facility = metric_value(page, "kpis_power", fields.label("facility_power_w"))
    assert facility.inner_text() == expected_facility_power(params)


def test_tampered_url_warns_and_falls_back(page: Page, app_url: str) -> None:
    open_page(page, app_url + "/?pue=banana")
    warning = page.locator(ALERT).filter(has_text="could not be used")
    expect(warning.first).to_be_visible()
    expect(warning.first).to_contain_text("pue")
    expect(warning.first).to_contain_text("banana")
    no_exception(page)
    # The defaults are shown instead, and the address bar no longer holds the bad value.
    expect(keyed(page, "gpus").locator("input")).to_have_value("100,000")
    expect(page.locator(METRIC_VALUE).first).to_be_visible()
    assert query(page).get("pue") != "banana"


def test_link_with_tracking_parameters_units_and_page_inputs(page: Page, app_url: str) -> None:
    open_page(page, app_url + "/explorer?gpus=100k&pue=1.3&explorer.budget=300%20MW&utm_source=newsletter&fbclid=abc")
    no_exception(page)
    expect(page.locator(ALERT).filter(has_text="could not be used")).to_have_count(0)
    expect(page.get_by_text(re.compile(r"Ignored in the address.*'utm_source'.*'fbclid'"))).to_be_visible()
    expect(keyed(page, "gpus").locator("input")).to_have_value("100,000")
    expect(keyed(page, "budget").locator("input")).to_have_value("300 MW")
    expect(page).to_have_url(re.compile(r"[?&]explorer\.budget=300(\+|%20)MW(&|$)"), timeout=TIMEOUT_MS)
    params = query(page)
    assert "utm_source" not in params and "fbclid" not in params
    assert (params["gpus"], params["pue"], params["explorer.budget"]) == ("100000", "1.3", "300 MW")
    # The GPU count is a text box read by the unit parser, shown with thousands separators.
    box = keyed(page, "gpus").locator("input")
    box.fill("24k")
    box.press("Enter")
    expect(box).to_have_value("24,000", timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"[?&]gpus=24000(&|$)"), timeout=TIMEOUT_MS)
    no_exception(page)


# --------------------------------------------------------------------------- 1 and 5. every page, and its picture

@pytest.mark.parametrize("name", list(PAGES))
def test_page(page: Page, app_url: str, name: str, tmp_path: Path) -> None:
    """Each page loads with no exception and shows a metric or a chart; then its full-page screenshot
    (1400 px wide) is taken: into docs/img/<page>.png with ESTIMATOR_SCREENSHOTS=1, else a temporary
    directory. One page load for both keeps the browser run short."""
    open_page(page, app_url + PAGES[name])
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_be_visible()
    assert main.locator(f"{METRIC_VALUE}, {CHART}").count() > 0, f"no metric or chart on {name}"
    # Every page ends with the shared assumptions panel when its scenario is valid (the default one is).
    expect(keyed(page, "assumptions_panel")).to_be_visible()
    expect(page.locator(f"{ERROR_ALERT}, {WARNING_ALERT}")).to_have_count(0)
    if name == "fleet":
        nav_links = page.locator('[data-testid="stSidebarNavLink"]')
        paths = {urlsplit(h).path or "/" for h in nav_links.evaluate_all("els => els.map(e => e.href)")}
        assert paths == set(PAGES.values())
    if name == "serving":  # picture a served query: the throughput estimate put to use, a chat-sized answer
        keyed(page, "serving_use_decode").locator("button").first.click()
        wait_for_app(page)
        set_number(page, "tokens_per_query", "500")
        expect(page).to_have_url(re.compile(r"[?&]tokens_per_query=500(&|$)"), timeout=TIMEOUT_MS)
        wait_for_app(page)
        expect(page.locator('[data-testid="stMain"]').get_by_text("Energy per query").first).to_be_visible()
        no_exception(page)
    if name == "compare":  # picture a comparison, not a lone scenario
        keep_scenario(page, "H100, PUE 1.2")
        set_number(page, "pue", "1.4")
        expect(page).to_have_url(re.compile(r"[?&]pue=1\.4(&|$)"))
        wait_for_app(page)
        keep_scenario(page, "H100, PUE 1.4")
        no_exception(page)

    out_dir = IMG_DIR if os.environ.get("ESTIMATOR_SCREENSHOTS") == "1" else tmp_path
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.png"
    full_page_screenshot(page, target)
    size = target.stat().st_size
    assert 20_000 < size < MAX_PNG_BYTES, f"{target}: {size:,} bytes"


def full_page_screenshot(page: Page, target: Path) -> None:
    """The whole page, sidebar included, as a small PNG."""
    page.mouse.move(0, 0)  # no hover tooltip in the picture
    # Streamlit scrolls inside its main and sidebar panes, not the document, so full_page alone would
    # stop at the fold: grow the viewport to the taller pane first, then let the layout settle.
    height = page.evaluate(_CONTENT_HEIGHT_JS)
    width = (page.viewport_size or {"width": 1400})["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 800), MAX_SHOT_HEIGHT)})
    wait_for_app(page)
    page.wait_for_timeout(300)  # one more layout pass for charts that follow the container width
    save_small_png(page.screenshot(full_page=True, animations="disabled"), target)


def test_campus_blocks_edited_in_the_table_go_into_the_link(page: Page, app_url: str) -> None:
    """Typing a new count into the Campus page's block table puts the blocks in the address, and the
    address opens the page with them (the grid is a canvas: cells are reached with the keyboard)."""
    open_page(page, app_url + "/campus")
    grid = keyed(page, "campus_blocks_0").locator('[data-testid="stDataFrameResizable"]')
    box = grid.bounding_box()
    assert box is not None
    # The first row's count, reached with the keyboard from the first row's name (the grid is a canvas; its
    # columns' widths depend on the window): a row marker, then Block, Accelerator, Accelerators.
    page.mouse.click(box["x"] + 60, box["y"] + 52)
    for _ in range(2):
        page.wait_for_timeout(200)
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")  # opens the cell's editor
    editor = page.locator('[data-testid="data-grid-canvas"] ~ * input, #portal input, .gdg-overlay input, '
                          'textarea.gdg-input, input.gdg-input').first
    editor.wait_for(timeout=TIMEOUT_MS)
    editor.fill("5000")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]campus\.blocks="), timeout=TIMEOUT_MS)
    wait_for_app(page)
    no_exception(page)
    blocks = links.read_blocks(query(page)["campus.blocks"])
    assert [(b[0], b[2]) for b in blocks] == [("Hall 1", 5000), ("Hall 2", 100_000), ("Hall 3", 200_000)]
    total = estimator.estimate(estimator.campus.from_presets(["h100-sxm", "gb200", "gb200"], [5000, 100_000, 200_000]))
    accelerators = units.format_value(total.gpus, "count")
    expect(metric_value(page, "kpis_campus", fields.label("gpus"))).to_have_text(accelerators)
    # The address alone gives the same page.
    url = page.url
    fresh = page.context.new_page()
    open_page(fresh, url)
    no_exception(fresh)
    expect(metric_value(fresh, "kpis_campus", fields.label("gpus"))).to_have_text(accelerators)
    fresh.close()


def test_campus_download_gives_the_page_totals_at_the_command_line(page: Page, app_url: str, tmp_path: Path) -> None:
    """The Campus page's file, run through `estimator campus`, gives the totals the page shows."""
    from estimator import cli

    open_page(page, app_url + "/campus")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        keyed(page, "download_campus").get_by_role("button", name="Campus as a file (TOML)").click()
    assert info.value.suggested_filename == "campus.toml"
    path = tmp_path / "campus.toml"
    info.value.save_as(path)
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert cli.main(["campus", str(path), "--format", "json"]) == 0
    total = json.loads(out.getvalue())["total"]
    expect(metric_value(page, "kpis_campus", fields.label("gpus"))).to_have_text(
        units.format_value(total["gpus"], "count"))
    expect(metric_value(page, "kpis_campus", fields.label("facility_power_w"))).to_have_text(
        units.format_value(total["facility_power_w"], "W"))
