"""Security and safety of the user's work: where the server listens, what uploads can do, where files go.

- The dashboard server listens on loopback unless the user says otherwise.
- Uploads are size-limited and parsed as TOML/JSON data, never executed: no pickle, eval,
  exec or YAML anywhere in the code that handles them.
- Text a user typed, uploaded or put in a link is never rendered as HTML.
- The command line reads and writes only the paths it is given.
- Nothing is lost: a save killed mid-write leaves the old file whole; an upload never replaces a
  kept scenario; a loaded scenario keeps its values.
"""

from __future__ import annotations

import os

os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")

import ast
import json
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from estimator import Scenario, cli, io

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
SOURCES = sorted([*(ROOT / "estimator").glob("*.py"), ROOT / "app.py", *(ROOT / "app_pages").glob("*.py")])


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


# --------------------------------------------------------------------------- the server

def test_config_binds_loopback_and_limits_uploads():
    assert CONFIG["server"]["address"] == "127.0.0.1"
    assert CONFIG["browser"]["serverAddress"] == "127.0.0.1"
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert CONFIG["browser"]["gatherUsageStats"] is False
    # Users see a message, not the code and traceback of an error.
    assert CONFIG["client"]["showErrorDetails"] == "none"
    # [MB]; a scenario file is a few hundred bytes, and io.MAX_BYTES refuses more than 1 MiB anyway.
    assert CONFIG["server"]["maxUploadSize"] <= io.MAX_BYTES / 2**20 == 1


def test_make_run_binds_loopback():
    run = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "streamlit run" in line)
    assert "--server.address 127.0.0.1" in run


def test_streamlit_reads_the_loopback_setting():
    code = ("import streamlit.config as c; c.get_config_options(force_reparse=True); "
            "print(c.get_option('server.address'), c.get_option('server.maxUploadSize'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True).stdout.split()
    assert out == ["127.0.0.1", str(CONFIG["server"]["maxUploadSize"])]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on ``port`` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_server_listens_on_loopback_only():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "STREAMLIT_SERVER_HEADLESS": "true"}, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                    assert reply.read() == b"ok"
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        # 0100007F is 127.0.0.1 in /proc's byte order; 00000000 would be every interface.
        assert _listening_addresses(port) == {"0100007F"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_uploader_limit_is_one_megabyte():
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    uploader = at.file_uploader(key="upload_file")
    assert uploader.proto.max_upload_size_mb == 1
    assert sorted(uploader.allowed_type) == [".json", ".toml"]


# --------------------------------------------------------------------------- parsed, never executed

# Every module, call and argument that could run data as code or render text as HTML. A hit must be
# listed in ALLOWED with the reason it is safe; there is none today.
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "yaml", "ruamel",
                     "subprocess", "ctypes", "joblib", "code", "codeop", "runpy", "importlib.util"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "system", "popen", "spawnl",
                   "load_module", "read_pickle", "html"}
ALLOWED: dict[tuple[str, str], str] = {}


def _hits(path: Path, root: Path = ROOT) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    name = str(path.relative_to(root))
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            hits += [(name, a.name) for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES
                     or a.name in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in FORBIDDEN_MODULES or node.module in FORBIDDEN_MODULES:
                hits.append((name, node.module))
            if node.module.startswith("streamlit.components"):
                hits.append((name, node.module))
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in FORBIDDEN_CALLS and not (called == "compile" and isinstance(func, ast.Attribute)):
                hits.append((name, f"{called}()"))  # re.compile is an attribute call and is fine
            for keyword in node.keywords:
                if keyword.arg == "unsafe_allow_html" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    hits.append((name, "unsafe_allow_html"))
        elif isinstance(node, ast.Attribute) and node.attr == "components":
            hits.append((name, "st.components"))
    return hits


def test_sources_found():
    names = {p.name for p in SOURCES}
    assert {"io.py", "cli.py", "app.py", "compare.py", "common.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_code_execution_or_raw_html(path):
    unexplained = [hit for hit in _hits(path) if hit not in ALLOWED]
    assert not unexplained, unexplained


def test_scanner_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle\nimport yaml\nfrom subprocess import run\nimport re\neval('1')\nre.compile('x')\n"
                      "st.markdown(x, unsafe_allow_html=True)\nst.html(x)\nst.components.v1.html(x)\n")
    found = {what for _, what in _hits(sample, tmp_path)}
    assert found == {"pickle", "yaml", "subprocess", "eval()", "unsafe_allow_html", "html()", "st.components"}


def test_upload_is_data_not_code(tmp_path, monkeypatch):
    """A pickle that would run code, and Python in a name, are refused or kept as plain text."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "PWNED"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    import pickle  # builds the hostile file in the test only

    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    hostile = pickle.dumps(Payload())
    at.file_uploader(key="upload_file").set_value(("scenario.toml", hostile, "application/octet-stream")).run()
    assert [e.value for e in at.error] and at.session_state["kept"] == {}
    name = "__import__('os').system('touch PWNED') {{7*7}} ${7*7}"
    text = io.dumps(Scenario(gpus=8, gpu_watts=700), "toml", name=name).encode()
    at.file_uploader(key="upload_file").set_value(("code.toml", text, "application/toml"))
    at.run()
    assert not at.exception
    assert list(at.session_state["kept"]) == [name]
    assert not marker.exists() and not (tmp_path / "PWNED").exists()


# --------------------------------------------------------------------------- never HTML

HOSTILE = '<img src=x onerror="alert(1)"> <script>alert(2)</script> **bold** [x](javascript:alert(3))'


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def _no_html(at: AppTest) -> None:
    for element in _walk(at._tree):
        proto = getattr(element, "proto", None)
        if proto is not None and "allow_html" in type(proto).DESCRIPTOR.fields_by_name:
            assert not proto.allow_html, (element.type, getattr(element, "value", ""))
    assert not at.get("html"), "st.html renders raw HTML"


def test_user_text_is_never_html():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["gpus"] = HOSTILE  # a tampered link: quoted in a warning
    at.query_params["gpu_watts"] = "700"
    at.run()
    _no_html(at)
    warning = at.warning[0].value
    assert "\\<script\\>" in warning and "\\*\\*bold\\*\\*" in warning  # Markdown escaped: shown as typed
    at.switch_page("app_pages/compare.py").run()
    at.text_input(key="keep_name").set_value(HOSTILE[:80])
    at.button(key="keep_button").click().run()
    _no_html(at)
    upload = io.dumps(Scenario(gpus=8, gpu_watts=700), "json", name=HOSTILE).encode()
    at.file_uploader(key="upload_file").set_value(("x.json", upload, "application/json")).run()
    _no_html(at)
    assert any(name.startswith(HOSTILE[:80]) for name in at.session_state["kept"])  # names are cut at 80
    at.switch_page("app_pages/explorer.py").run()
    at.text_input(key="budget").set_value(HOSTILE).run()  # quoted in an error
    _no_html(at)
    assert any("\\<script\\>" in e.value for e in at.error)


# --------------------------------------------------------------------------- files on the command line

def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def _scenario_files(root: Path) -> list[str]:
    s = Scenario(gpus=100_000, gpu_watts=700, pue=1.2, hours=8760, electricity_price=0.08)
    io.save(s, root / "a.toml", name="a")
    io.save(s.replace(pue=[1.1, 1.3]), root / "b.json")
    return ["a.toml", "b.json"]


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_cli_run_writes_nothing(tmp_path, monkeypatch, capsys, fmt):
    files = _scenario_files(tmp_path)
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", *files, "--format", fmt]) == 0
    assert capsys.readouterr().out
    assert _tree(tmp_path) == before


def test_cli_output_writes_only_the_named_file(tmp_path, monkeypatch, capsys):
    files = _scenario_files(tmp_path)
    (tmp_path / "out").mkdir()
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", *files, "--format", "json"]) == 0
    expected = capsys.readouterr().out
    assert cli.main(["run", *files, "--format", "json", "--output", "out/result.json"]) == 0
    assert capsys.readouterr() == ("", "")
    after = _tree(tmp_path)
    assert set(after) - set(before) == {"out/result.json"}  # no temporary file left, nothing elsewhere
    assert {k: after[k] for k in before} == before
    assert (tmp_path / "out" / "result.json").read_text() == expected
    assert len(json.loads(expected)) == 2


def test_cli_output_replaces_a_link_not_its_target(tmp_path, monkeypatch):
    """--output LINK writes LINK itself; the file the link pointed to is not written through it."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    (tmp_path / "link.json").symlink_to(elsewhere)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["power", "--gpus", "8", "--gpu-watts", "700", "--server-overhead", "1", "--format", "json",
                     "--output", "link.json"]) == 0
    assert elsewhere.read_text() == "keep me"
    assert not (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "link.json").read_text())["assumptions"]["gpus"] == 8


@pytest.mark.parametrize(("output", "message"), [
    ("missing/out.json", "missing/out.json: No such file or directory"),
    (".", ".: Is a directory"),
    ("a.toml", "--output a.toml is the scenario file a.toml being read"),
])
def test_cli_output_refused_leaves_everything(tmp_path, monkeypatch, capsys, output, message):
    files = _scenario_files(tmp_path)
    before = _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", *files, "--output", output]) == 2
    assert message in capsys.readouterr().err
    assert _tree(tmp_path) == before


# --------------------------------------------------------------------------- nothing lost

CRASHING_SAVE = """
import os, sys, time
from estimator import Scenario, io

def stall(fd):  # the new content is written, not yet renamed over the old file: die here
    print("writing", flush=True)
    time.sleep(120)

os.fsync = stall
io.save(Scenario(gpus=[1.0] * 20_000, gpu_watts=700), sys.argv[1])
"""


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_killed_mid_write_leaves_old_file_whole(tmp_path, suffix):
    target = tmp_path / f"scenario{suffix}"
    old = Scenario(gpus=100_000, gpu_watts=700, pue=1.2)
    io.save(old, target, name="old")
    before = target.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", CRASHING_SAVE, str(target)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        child.send_signal(signal.SIGKILL)  # no cleanup, no finally: a crash or power cut
    finally:
        child.wait(timeout=30)
    assert target.read_bytes() == before
    assert io.load_with_metadata(target) == (old, {"name": "old"})
    # What a crash can leave besides: the hidden temporary file, never a second visible one.
    assert all(p == target or (p.name.startswith(f".{target.name}.") and p.suffix == ".tmp")
               for p in tmp_path.iterdir())


def _compare_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.switch_page("app_pages/compare.py").run()
    return at


def _upload(at: AppTest, name: str, content: str | bytes) -> None:
    data = content.encode() if isinstance(content, str) else content
    at.file_uploader(key="upload_file").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception


def test_upload_never_replaces_a_kept_scenario():
    at = _compare_page()
    at.text_input(key="keep_name").set_value("Plan A")
    at.button(key="keep_button").click().run()
    kept = {k: json.dumps(v, sort_keys=True) for k, v in at.session_state["kept"].items()}
    plan = io.dumps(Scenario(gpus=1e6, gpu_watts=1200, pue=1.3), "toml", name="Plan A")
    for expected in ("Plan A (2)", "Plan A (3)"):  # the same file twice, named like the kept scenario
        _upload(at, "plan.toml", plan)
        said = at.success[0].value.replace("\\", "")
        assert f"Kept '{expected}' from the file ('Plan A' was taken)" in said, said
    _upload(at, "Plan A.json", '{"gpus": 5, "gpu_watts": 700, "server_overhead": 1}')  # named by its file name
    _upload(at, "Plan A.toml", "gpus = nan\ngpu_watts = 700\nserver_overhead = 1\n")  # rejected: changes nothing
    assert at.error
    assert list(at.session_state["kept"]) == ["Plan A", "Plan A (2)", "Plan A (3)", "Plan A (4)"]
    assert json.dumps(at.session_state["kept"]["Plan A"], sort_keys=True) == kept["Plan A"]


def test_loaded_upload_keeps_every_value():
    """A scenario the library accepts, uploaded then loaded into the sidebar, keeps its values or says why not.

    The sidebar's inputs have narrower ranges than the library (at least 1 accelerator, 1 W, MFU and
    utilization of 0.01, 0.001 TFLOP/s): a value outside them must not be changed silently.
    """
    at = _compare_page()
    uploaded = Scenario(gpus=2.5, gpu_watts=0.5, utilization=0.005, mfu=0.005, peak_flop_per_s=5e8, pue=1.2)
    _upload(at, "small.toml", io.dumps(uploaded, "toml", name="small"))
    if "small" not in at.session_state["kept"]:
        return  # refused at upload, with a message (the other correct answer)
    at.selectbox(key="kept_select").set_value("small")
    at.button(key="load_button").click().run()
    assert not at.exception
    sidebar = {f: at.session_state[w] for f, w in (("gpus", "gpus"), ("gpu_watts", "gpu_watts"),
                                                    ("utilization", "utilization"), ("mfu", "mfu"),
                                                    ("peak_flop_per_s", "peak_flop_per_s"))}
    expected = {"gpus": 2.5, "gpu_watts": 0.5, "utilization": 0.005, "mfu": 0.005, "peak_flop_per_s": 5e8 / 1e12}
    told = [m.value for m in [*at.error, *at.warning]]
    assert sidebar == expected or told, f"loaded silently as {sidebar}, uploaded {expected}"
