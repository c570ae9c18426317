"""Fixtures of the browser tests: Debian's Chromium through Playwright, against a real Streamlit server.

- Chromium is ``/usr/bin/chromium`` (or ``$ESTIMATOR_CHROMIUM``); ``playwright install`` is never needed.
  Without it the browser tests are skipped, except in CI (``$CI`` set), where they fail loudly.
- One ``streamlit run app.py`` per test session on a free loopback port, stopped at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import harness  # tests/e2e/harness.py, shared with benchmarks/bench_browser.py
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = harness.VIEWPORT

# A loaded CI machine can take seconds to rerun a script and draw it: wait up to 30 s, never sleep.
expect.set_options(timeout=30_000)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this directory is a browser test (also when a new module forgets ``pytestmark``)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium binary; skips the browser tests without it, fails in CI."""
    path = harness.CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = (f"Chromium not found at {path} (install Debian's `chromium` package, or set "
                   "ESTIMATOR_CHROMIUM to the binary)")
        if _in_ci():
            pytest.fail(f"CI is set, so the browser tests must run: {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_path: str) -> dict:
    """pytest-playwright's launch options, pointed at Debian's Chromium (no downloaded browser)."""
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": harness.CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A 1400 px wide desktop viewport; downloads allowed."""
    return {**browser_context_args, "viewport": VIEWPORT, "device_scale_factor": 1, "accept_downloads": True}


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """Relative ``page.goto("/explorer")`` goes to the test server (replaces pytest-playwright's fallback)."""
    return app_url


@pytest.fixture(scope="session")
def app_url(chromium_path: str) -> Iterator[str]:
    """Base URL ("http://127.0.0.1:<port>") of a dashboard server started for this session."""
    try:
        with harness.streamlit_server("app.py", ROOT) as base:
            yield base
    except harness.ServerError as error:
        pytest.fail(str(error), pytrace=False)
