"""Every code example in README.md and docs/*.md runs against the current code.

Fenced blocks are found by their info string:

- ```` ```python ````: executed in order, one namespace per Markdown file, in a
  working directory of its own. A top-level expression or single-name
  assignment whose last line ends in a comment that starts with a number
  (``r.facility_power_w  # 168,168,000.0 W``, ``# ≈ 66 days``, ``# [1.4e7, 1.4e8] W``)
  must evaluate to that number, to half a unit in its last shown digit (1% when
  the comment says ``≈``, ``~`` or ``about``). Words after the number are
  labels; the number is in the expression's own unit.
- ```` ```toml ````: a scenario file; it must load with :func:`estimator.io.loads`,
  or with :func:`estimator.io.loads_uncertain` if any value is a range. A block
  whose first line is a comment naming a file (``# scenario.toml``) is also
  written under that name into the Markdown file's working directory, where
  its console and python examples find it.
- ```` ```console ````: every ``$ estimator ...`` (or ``$ python -m estimator ...``)
  command, with ``\\`` continuations joined and split like a shell would, is run
  through :func:`estimator.cli.main` and must exit 0. The lines shown under a
  command (other than ``...``) must appear in its output, in order, with runs
  of spaces compared as one.

A block preceded by ``<!-- pending -->`` (or ``<!-- pending: why -->``) documents
an API that has not landed yet: it is skipped, with the reason. Remove the
marker when the API lands. Test ids are ``FILE:LINE`` of the block's first line.
"""

from __future__ import annotations

import ast
import io as stdio
import re
import shlex
import tokenize
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from estimator import cli
from estimator import io as scenario_io

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<lang>[^\s`]*)")
MARKER = re.compile(r"^<!--\s*(?P<word>[\w-]+)\s*(?::\s*(?P<reason>.*?))?\s*-->$")
FILE_HEADER = re.compile(r"^#\s*(?:file:\s*)?(?P<name>[\w.-]+\.(?:toml|json))\s*$")
NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?"
SHOWN = re.compile(rf"^\s*(?P<approx>≈|~|about\s)?\s*(?P<value>\[[^\]]*\]|{NUMBER})")
PROMPT = "$ "


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown file."""

    path: Path
    line: int  # line of the block's first code line, 1-based
    lang: str
    text: str
    marker: str | None = None  # word of an HTML comment just before the fence, e.g. "pending"
    reason: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def file_name(self) -> str | None:
        first = self.text.splitlines()[0] if self.text.strip() else ""
        match = FILE_HEADER.match(first.strip())
        return match["name"] if match else None


@dataclass(frozen=True)
class Command:
    """One ``$ ...`` command of a console block, with the output lines shown under it."""

    block: Block
    line: int
    argv: list[str]
    shown: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.block.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match["fence"]
        start = i + 1
        end = start
        while end < len(lines) and not lines[end].strip().startswith(fence[0] * len(fence)):
            end += 1
        previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = MARKER.match(previous)
        out.append(Block(path, start + 1, match["lang"].lower(), "\n".join(lines[start:end]) + "\n",
                         marker["word"] if marker else None, (marker["reason"] if marker else None)))
        i = end + 1
    return out


def commands(block: Block) -> list[Command]:
    """The commands of a console block, continuations joined, with their shown output."""
    lines = block.text.splitlines()
    out: list[Command] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith(PROMPT):
            if lines[i].strip() and not out:
                raise AssertionError(f"{block.path.name}:{block.line + i}: output before any command")
            if out and lines[i].strip() and lines[i].strip() != "...":
                out[-1].shown.append(lines[i])
            i += 1
            continue
        first = i
        text = lines[i][len(PROMPT):]
        while text.endswith("\\") and i + 1 < len(lines):
            i += 1
            text = text[:-1] + " " + lines[i].strip()
        out.append(Command(block, block.line + first, shlex.split(text)))
        i += 1
    return out


ALL_BLOCKS = [b for path in DOC_FILES for b in blocks(path)]


def _params(lang: str) -> list:
    return [pytest.param(b, id=b.where) for b in ALL_BLOCKS if b.lang == lang]


def _skip_if_pending(block: Block) -> None:
    if block.marker == "pending":
        pytest.skip(f"{block.where}: marked <!-- pending -->: {block.reason or 'documents an API not landed yet'}")


def _workdir(path: Path, factory: pytest.TempPathFactory, cache: dict[Path, Path] = {}) -> Path:  # noqa: B006
    """The Markdown file's working directory, holding every scenario file it names."""
    if path not in cache:
        directory = factory.mktemp(path.stem)
        for b in blocks(path):
            if b.lang in ("toml", "json") and b.file_name and b.marker != "pending":
                (directory / b.file_name).write_text(b.text, encoding="utf-8")
        cache[path] = directory
    return cache[path]


# ---------------------------------------------------------------------------------------------------------------
# python


def _shown_value(comment: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The number a result comment shows and its tolerance, or None for a comment that shows none."""
    match = SHOWN.match(comment.lstrip("#"))
    if not match:
        return None
    texts = re.findall(NUMBER, match["value"]) if match["value"].startswith("[") else [match["value"]]
    values, tolerances = [], []
    for text in texts:
        plain = text.replace(",", "")
        mantissa, _, exponent = plain.lower().partition("e")
        decimals = len(mantissa.partition(".")[2])
        value = float(plain)
        tolerance = 0.5 * 10.0 ** (int(exponent or 0) - decimals)
        if match["approx"]:
            tolerance = max(tolerance, 0.01 * abs(value))
        values.append(value)
        tolerances.append(tolerance + 1e-9 * abs(value))
    return np.array(values), np.array(tolerances)


def _result_comments(text: str) -> dict[int, str]:
    """Line (1-based, in the block) → the comment that ends it."""
    return {tok.start[0]: tok.string for tok in tokenize.generate_tokens(stdio.StringIO(text).readline)
            if tok.type == tokenize.COMMENT}


def _check(block: Block, stmt: ast.stmt, actual: object, comment: str) -> None:
    shown = _shown_value(comment)
    if shown is None:
        return
    expected, tolerance = shown
    line = block.line + stmt.end_lineno - 1
    where = f"{block.path.relative_to(ROOT)}:{line}"
    assert actual is not None, f"{where}: the example shows {comment!r} but the result is None"
    got = np.ravel(np.asarray(actual, dtype=float))
    assert got.shape == expected.shape or expected.size == 1, (
        f"{where}: the example shows {expected.size} value(s) {comment!r}, the code gives {got}")
    assert np.all(np.abs(got - expected) <= tolerance), (
        f"{where}: the example shows {comment!r}, the code gives {actual!r}")


def _run_python(block: Block, namespace: dict) -> None:
    tree = ast.parse(block.text, filename=str(block.path))
    comments = _result_comments(block.text)
    for stmt in tree.body:
        comment = comments.get(stmt.end_lineno or stmt.lineno, "")
        ast.increment_lineno(stmt, block.line - 1)
        if isinstance(stmt, ast.Expr):
            code = compile(ast.Expression(stmt.value), str(block.path), "eval")
            value = eval(code, namespace)
        else:
            exec(compile(ast.Module([stmt], []), str(block.path), "exec"), namespace)
            target = None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target = stmt.targets[0].id
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                target = stmt.target.id
            if target is None:
                continue
            value = namespace[target]
        ast.increment_lineno(stmt, 1 - block.line)  # back to block lines for the check's message
        if comment:
            _check(block, stmt, value, comment)


#: per Markdown file: its namespace, how many of its python blocks ran, and the first that failed
_PYTHON_STATE: dict[Path, dict] = {}


@pytest.mark.parametrize("block", _params("python"))
def test_python_block(block: Block, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    _skip_if_pending(block)
    monkeypatch.chdir(_workdir(block.path, tmp_path_factory))
    state = _PYTHON_STATE.setdefault(block.path, {"namespace": {"__name__": "__docs__"}, "done": 0, "failed": None})
    in_file = [b for b in ALL_BLOCKS if b.path == block.path and b.lang == "python"]
    index = in_file.index(block)
    while state["done"] <= index:  # earlier blocks first, also when this test is selected alone
        current = in_file[state["done"]]
        state["done"] += 1
        if current.marker == "pending":
            continue
        if state["failed"] is not None:
            pytest.fail(f"{block.where}: an earlier block of this file failed ({state['failed']})")
        try:
            _run_python(current, state["namespace"])
        except BaseException:
            state["failed"] = current.where
            if current is block:
                raise
            pytest.fail(f"{block.where}: the earlier block at {current.where} failed")


# ---------------------------------------------------------------------------------------------------------------
# toml


@pytest.mark.parametrize("block", _params("toml"))
def test_toml_scenario_loads(block: Block) -> None:
    _skip_if_pending(block)
    mapping = tomllib.loads(block.text)
    ranged = [key for key, value in mapping.items() if scenario_io.is_range(value)]
    if ranged:
        scenario, specs = scenario_io.loads_uncertain(block.text)
        assert set(ranged) <= set(specs), (block.where, ranged, specs)
        with pytest.raises((ValueError, TypeError), match="load_uncertain"):
            scenario_io.loads(block.text)  # `estimator run FILE` would refuse it: say so in the docs
    else:
        scenario = scenario_io.loads(block.text)
    assert scenario.gpus is not None


# ---------------------------------------------------------------------------------------------------------------
# console


def _console_params() -> list:
    out = []
    for b in ALL_BLOCKS:
        if b.lang == "console":
            out += [pytest.param(c, id=c.where) for c in commands(b)]
    return out


def _normal(line: str) -> str:
    return " ".join(line.split())


@pytest.mark.parametrize("command", _console_params())
def test_console_command(command: Command, tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _skip_if_pending(command.block)
    argv = command.argv
    if argv[:1] == ["estimator"]:
        args = argv[1:]
    elif argv[:3] == ["python", "-m", "estimator"]:
        args = argv[3:]
    else:
        pytest.skip(f"{command.where}: not an estimator command: {shlex.join(argv)}")
    monkeypatch.chdir(_workdir(command.block.path, tmp_path_factory))
    status = cli.main(args)
    out, err = capsys.readouterr()
    assert status == 0, f"{command.where}: `{shlex.join(argv)}` exited {status}: {err.strip()}"
    produced = [_normal(line) for line in out.splitlines()]
    position = 0
    for shown in command.shown:
        wanted = _normal(shown)
        try:
            position = produced.index(wanted, position) + 1
        except ValueError:
            pytest.fail(f"{command.where}: `{shlex.join(argv)}` did not print (in this order) {shown.strip()!r}\n"
                        f"its output:\n{out}")


# ---------------------------------------------------------------------------------------------------------------
# the harness itself


def test_readme_examples_are_collected() -> None:
    """A parser regression must not quietly collect nothing."""
    readme = [b for b in ALL_BLOCKS if b.path.name == "README.md"]
    assert {"python", "toml", "console"} <= {b.lang for b in readme}
    assert any(b.lang == "python" for b in ALL_BLOCKS if b.path.name == "methodology.md")


def test_readme_files_named_by_commands_exist() -> None:
    """Every scenario file a README command reads is one of the README's own examples."""
    named = {b.file_name for b in ALL_BLOCKS if b.path.name == "README.md" and b.file_name}
    for b in ALL_BLOCKS:
        if b.path.name != "README.md" or b.lang != "console":
            continue
        for c in commands(b):
            for arg in c.argv:
                if arg.endswith((".toml", ".json")):
                    assert arg in named, f"{c.where}: {arg} is not an example file of README.md ({sorted(named)})"


@pytest.mark.parametrize(("comment", "expected", "ok", "bad"), [
    ("# 168,168,000.0 W", 168_168_000.0, 168_168_000.04, 168_168_001.0),
    ("# 1.105 TWh a year", 1.105, 1.10486, 1.1044),
    ("# ≈ 66 days", 66.0, 66.6, 67.0),
    ("# 3.79e25 FLOP", 3.79e25, 3.7908e25, 3.796e25),
])
def test_shown_value_tolerance(comment: str, expected: float, ok: float, bad: float) -> None:
    value, tolerance = _shown_value(comment)
    assert value[0] == expected
    assert abs(ok - expected) <= tolerance[0]
    assert abs(bad - expected) > tolerance[0]


def test_shown_value_ignores_prose() -> None:
    assert _shown_value("# presets carry their sources") is None
    assert _shown_value("# the 1 GW question") is None
    values, _ = _shown_value("# [14.0, 140, 1,403] MW")
    assert values.tolist() == [14.0, 140.0, 1403.0]
