"""Packaging and documentation: one version, the wheel's contents declared, the docs site's pages,
the example notebook and its page. The wheel itself is built and installed alone into a fresh venv
by `make wheel-check` (.ci/wheel-check), the site by `make docs` and the notebook run by
`make notebook`; these tests check what can be checked from the source tree, fast."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import estimator
from estimator import _version, cli

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
NOTEBOOK = ROOT / "examples" / "estimator.ipynb"


def test_distribution_name():
    # `estimator` on PyPI is an unrelated project; the import name stays `estimator`.
    project = PYPROJECT["project"]
    assert project["name"] == "ai-datacenter-estimator"
    assert PYPROJECT["project"]["scripts"] == {"estimator": "estimator.cli:main"}
    assert PYPROJECT["tool"]["setuptools"]["packages"] == ["estimator"]


def test_one_version_source():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "estimator._version.__version__"}
    assert estimator.__version__ is _version.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.dev\d+)?", estimator.__version__)
    # written once: no other file of the package spells it out
    for path in (ROOT / "estimator").glob("*.py"):
        if path.name != "_version.py":
            assert f'"{estimator.__version__}"' not in path.read_text(), path


def test_cli_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"estimator {estimator.__version__}\n"


def test_package_data_covers_every_data_file():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["estimator"]
    data = sorted(p.relative_to(ROOT / "estimator").as_posix() for p in (ROOT / "estimator" / "data").iterdir())
    assert data, "estimator/data is empty"
    for name in data:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not in package-data"
    assert "py.typed" in patterns and (ROOT / "estimator" / "py.typed").exists()


def test_every_data_file_is_read():
    # Each bundled file is read by one public function; the wheel check calls them all.
    script = (ROOT / ".ci" / "wheel-check").read_text()
    read = {"accelerators": "accelerators", "methodologies": "methodologies", "sites": "sites",
            "clusters": "reference_clusters", "runs": "training_runs", "queries": "queries",
            "equivalents": "yardsticks",
            "campuses": "campus_presets"}
    stems = {p.stem for p in (ROOT / "estimator" / "data").glob("*.toml")}
    assert stems == set(read), "a data file without a reader in .ci/wheel-check (or the other way round)"
    for function in read.values():
        assert f"estimator.{function}()" in script
        assert len(getattr(estimator, function)()) > 0


def test_licence():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # superseded by the SPDX expression


def test_metadata():
    project = PYPROJECT["project"]
    assert project["requires-python"] == ">=3.11"
    assert project["dependencies"] == ["numpy>=1.24"]
    assert "Programming Language :: Python :: 3.11" in project["classifiers"]
    assert "Typing :: Typed" in project["classifiers"]
    extras = project["optional-dependencies"]
    assert [r for r in extras["frame"] if r.startswith("pandas")]
    for tool in ("mkdocs", "mkdocs-material", "mkdocstrings[python]", "nbclient", "nbformat", "ipykernel", "build"):
        assert any(r.startswith(tool) for r in extras["docs"]), tool
    for url in project.get("urls", {}).values():  # no placeholder addresses
        assert "example" not in url and "TODO" not in url


def test_import_does_not_import_optional_packages():
    code = ("import sys, estimator; "
            "print(sorted(m for m in ('pandas', 'streamlit', 'altair', 'xarray') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "[]"


def _docstrings():
    import ast

    for path in sorted((ROOT / "estimator").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                text = ast.get_docstring(node)
                if text:
                    yield f"{path.name}:{getattr(node, 'name', '<module>')}", text


def test_every_citation_is_defined_in_its_own_docstring():
    # The docs site renders one docstring at a time: a [1]_ whose ``.. [1]`` lives in the module's
    # docstring would be a broken reference there.
    broken = {}
    for where, text in _docstrings():
        cited = set(re.findall(r"\[(\d+)\]_", text))
        defined = set(re.findall(r"^\s*\.\. \[(\d+)\]", text, flags=re.M))
        if cited - defined:
            broken[where] = sorted(cited - defined)
    assert not broken, broken
    assert sum(bool(re.search(r"\[\d+\]_", text)) for _, text in _docstrings()) >= 10  # the check sees them


# ---------------------------------------------------------------------------- the docs site


def _nav_files(nav) -> list[str]:
    out = []
    for entry in nav:
        for value in entry.values():
            out += _nav_files(value) if isinstance(value, list) else [value]
    return out


def _mkdocs() -> dict:
    # mkdocs.yml is YAML, read here without a YAML package: only the nav list is needed.
    text = (ROOT / "mkdocs.yml").read_text()
    nav = text[text.index("\nnav:\n") + 6:]
    nav = nav[:nav.index("\n\n")]
    return {"nav": [{m[0]: m[1]} for m in re.findall(r"^  - ([^:]+): (\S+)$", nav, flags=re.M)], "text": text}


def test_mkdocs_nav_has_every_page():
    config = _mkdocs()
    pages = _nav_files(config["nav"])
    assert sorted(pages) == sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert pages[:2] == ["index.md", "getting-started.md"]
    for page in ("methodology.md", "presets.md", "fields.md", "cli.md", "api.md", "notebook.md", "dashboard.md",
                 "reliability.md"):
        assert page in pages
    assert "docstring_style: numpy" in config["text"]


def test_dashboard_page_shows_every_page_with_its_screenshot():
    # Each st.Page of app.py has a section in docs/dashboard.md with its picture, and the picture exists
    # (tests/e2e's test_page writes it with ESTIMATOR_SCREENSHOTS=1).
    app = (ROOT / "app.py").read_text()
    pages = re.findall(r'st\.Page\("app_pages/(\w+)\.py", title="([^"]+)"', app)
    assert len(pages) >= 9
    text = (ROOT / "docs" / "dashboard.md").read_text()
    for stem, title in pages:
        assert f"## {title}" in text, title
        assert f"](img/{stem}.png)" in text, stem
        assert (ROOT / "docs" / "img" / f"{stem}.png").is_file(), stem


def test_api_page_covers_public_modules():
    text = (ROOT / "docs" / "api.md").read_text()
    documented = set(re.findall(r"^::: estimator\.(\w+)$", text, flags=re.M))
    modules = {p.stem for p in (ROOT / "estimator").glob("*.py") if not p.stem.startswith("_")}
    assert modules - documented == set(), "a module missing from docs/api.md"


def test_docs_index_says_why_mkdocs():
    text = (ROOT / "docs" / "index.md").read_text()
    assert "MkDocs" in text and "Markdown already" in text


# ---------------------------------------------------------------------------- the example notebook


def _notebook() -> dict:
    return json.loads(NOTEBOOK.read_text())


def _load_runner():
    spec = importlib.util.spec_from_file_location("run_notebook", ROOT / "examples" / "run_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebook_committed_without_outputs():
    notebook = _notebook()
    assert notebook["nbformat"] == 4
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_notebook_covers_the_four_questions():
    source = "\n".join("".join(c["source"]) for c in _notebook()["cells"])
    for call in ("tables.budget_fleet(", "tables.accelerator_table(", "tables.training_run(",
                 "estimator.training_runs()", "estimator.Campus(", "estimator.timeline(",
                 "uncertainty.monte_carlo(", ".to_frame()"):
        assert call in source, call


def test_notebook_page_is_current():
    # docs/notebook.md is generated from the notebook: `make docs-notebook`
    expected = _load_runner().markdown(NOTEBOOK)
    assert (ROOT / "docs" / "notebook.md").read_text() == expected, "docs/notebook.md is stale: make docs-notebook"


# ---------------------------------------------------------------------------- make and CI


def test_make_targets_and_ci_steps():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test", "docs", "docs-cli", "docs-notebook", "notebook", "wheel-check"):
        assert re.search(rf"^{re.escape(target)}:", makefile, flags=re.M), target
    ci = (ROOT / ".ci" / "run").read_text()
    for step in ("make test", "make wheel-check", "make docs", "make notebook"):
        assert step in ci, step


@pytest.mark.parametrize("script", [".ci/run", ".ci/wheel-check"])
def test_ci_scripts_are_valid_bash(script):
    subprocess.run(["bash", "-n", str(ROOT / script)], check=True, timeout=30)
