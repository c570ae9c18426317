"""Fixtures of the browser tests: Debian's Chromium through Playwright, against a real Streamlit server.

- Chromium is ``/usr/bin/chromium`` (or ``$ESTIMATOR_CHROMIUM``); ``playwright install`` is never needed.
  Without it the browser tests are skipped, except in CI (``$CI`` set), where they fail loudly.
- One ``streamlit run app.py`` per test session on a free loopback port, stopped at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT_S = 60.0
#: Viewport of every test page (and of the screenshots in docs/img).
VIEWPORT = {"width": 1400, "height": 1000}

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
    path = os.environ.get("ESTIMATOR_CHROMIUM") or CHROMIUM
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
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A 1400 px wide desktop viewport; downloads allowed."""
    return {**browser_context_args, "viewport": VIEWPORT, "device_scale_factor": 1, "accept_downloads": True}


@pytest.fixture(scope="session")
def base_url(app_url: str) -> str:
    """Relative ``page.goto("/explorer")`` goes to the test server (replaces pytest-playwright's fallback)."""
    return app_url


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def app_url(chromium_path: str) -> Iterator[str]:
    """Base URL ("http://127.0.0.1:<port>") of a dashboard server started for this session."""
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--client.showErrorDetails", "full"]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while not _healthy(f"{base}/_stcore/health"):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    why = (f"exited with code {server.returncode}" if server.returncode is not None
                           else f"did not answer /_stcore/health within {STARTUP_TIMEOUT_S:.0f} s")
                    pytest.fail(f"Streamlit server {why}: {' '.join(cmd)}\n--- server log ---\n{log.read()}",
                                pytrace=False)
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
