"""What the browser tests (conftest.py, test_browser.py) and benchmarks/bench_browser.py share.

A ``streamlit run`` server on a free loopback port, always stopped, and the test
that a page's run is over and everything it sent is drawn. Plain Python: no
pytest here, so the benchmark imports it too.
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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

#: Debian's Chromium (``$ESTIMATOR_CHROMIUM`` overrides it); ``playwright install`` is never needed.
CHROMIUM = os.environ.get("ESTIMATOR_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Viewport of every test page, benchmark tab and screenshot in docs/img.
VIEWPORT = {"width": 1400, "height": 1000}
STARTUP_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The Streamlit server exited or did not answer in time; the message holds its command and log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def streamlit_server(script: Path | str, cwd: Path, env: Mapping[str, str] | None = None,
                     timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Base URL ("http://127.0.0.1:<port>") of ``streamlit run script``, run in ``cwd``; always stopped.

    Raises
    ------
    ServerError
        If the server exits, or does not answer ``/_stcore/health`` within ``timeout_s``.
    """
    port = free_port()
    full_env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
                "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "PYTHONUNBUFFERED": "1", **(env or {})}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--client.showErrorDetails", "full"]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        server = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while not healthy(f"{base}/_stcore/health"):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    why = (f"exited with code {server.returncode}" if server.returncode is not None
                           else f"did not answer /_stcore/health within {timeout_s:.0f} s")
                    raise ServerError(f"Streamlit server {why}: {' '.join(cmd)}\n--- server log ---\n"
                                      f"{log.read()[-4000:]}")
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


_READY_TEMPLATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED'
      || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]')) return false;
  if (!document.querySelector(LANDMARK)) return false;
  for (const c of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (!c.querySelector('svg .marks, canvas.marks, svg.marks')) return false;
  }
  for (const d of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!d.checkVisibility()) continue;  // in a closed expander: drawn only when opened
    if (!d.querySelector('canvas')) return false;
  }
  return true;
}"""


def ready_js(landmark: str = '[data-testid="stMain"] [data-testid="stHeading"]') -> str:
    """A function (for ``page.wait_for_function``) true once the script run is over and everything it sent
    is drawn: connected, not running, no status widget or loading skeleton (Streamlit lazy-loads element
    code), ``landmark`` shown, every Vega chart has its marks, every visible dataframe its canvas."""
    return _READY_TEMPLATE.replace("LANDMARK", repr(landmark))
