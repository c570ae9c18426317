"""The command line's report formats: ``--format markdown``, shell completion, the top-level help
and the generated CLI reference (docs/cli.md)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from estimator import catalog, cli

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def tables(markdown: str) -> list[list[list[str]]]:
    """The GitHub Markdown tables of a document, each a list of rows of cells (the separator row dropped)."""
    found, current = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("| ") and line.endswith(" |"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]
            if not all(re.fullmatch(r"-+:?", c) for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def assert_well_formed(markdown: str) -> None:
    """Every table line sits in a block of equal-width rows under a separator, with a blank line around."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        if i == 0 or not lines[i - 1].startswith("|"):  # a table's header
            assert i == 0 or lines[i - 1] == "", f"no blank line before the table at line {i + 1}"
            assert re.fullmatch(r"\|( -{3}:? \|)+", lines[i + 1]), f"no separator under line {i + 1}"
        width = len(re.split(r"(?<!\\)\|", line)) - 2
        header = next(lines[j] for j in range(i, -1, -1) if j == 0 or not lines[j - 1].startswith("|"))
        assert width == len(re.split(r"(?<!\\)\|", header)) - 2, f"row {i + 1} has {width} cells"


POWER = ["power", "--gpus", "24576", "--accelerator", "h100-sxm"]


def test_markdown_power_tables(capsys):
    code, out, err = run(capsys, *POWER, "--format", "markdown")
    assert (code, err) == (0, "")
    assert_well_formed(out)
    assumptions, results = tables(out)
    assert assumptions[0] == ["assumption", "value", "origin"]
    assert ["gpus", "24,576", "(given)"] in assumptions
    assert ["pue", "1.2", "(nameplate (default))"] in assumptions
    assert results[0] == ["result", "value"]  # the empty origin column is dropped
    assert ["Facility power, full load", "41.4 MW"] in results  # the text format's value (README)
    assert "- note: Sustained compute not shown: sustained_flop_per_s needs mfu (not given)" in out


def test_markdown_numbers_right_aligned(capsys):
    _, out, _ = run(capsys, *POWER, "--format", "markdown")
    separators = [line for line in out.splitlines() if re.fullmatch(r"\|( -{3}:? \|)+", line)]
    assert separators == ["| --- | --- | --- |", "| --- | ---: |"]


def test_markdown_same_values_as_text(capsys):
    _, text, _ = run(capsys, *POWER)
    _, markdown, _ = run(capsys, *POWER, "--format", "markdown")
    for row in tables(markdown)[1][1:]:
        assert re.search(rf"{re.escape(row[0])}\s+{re.escape(row[1])}", text), row


def test_markdown_cases_are_columns(capsys):
    _, out, _ = run(capsys, "power", "--gpus", "1000", "2000", "--accelerator", "h100-sxm", "--format", "markdown")
    assert_well_formed(out)
    assumptions, results = tables(out)
    assert assumptions[0] == ["assumption", "case 0", "case 1", "origin"]
    assert results[0] == ["result", "case 0", "case 1"]
    assert ["Accelerator power, full load", "700 kW", "1.40 MW"] in results


def test_markdown_fit_every_accelerator(capsys):
    code, out, _ = run(capsys, "fit", "--power", "1GW", "--mfu", "0.4", "--format", "markdown")
    assert code == 0
    assert_well_formed(out)
    shared, every = tables(out)
    assert ["power_budget_w", "1.00 GW", "(given)"] in shared
    assert every[0][0] == "accelerator" and "Accelerators in the fleet" in every[0]
    assert {row[0] for row in every[1:]} == set(catalog.accelerators())
    h100 = next(row for row in every if row[0] == "h100-sxm")
    assert h100[every[0].index("Accelerators in the fleet")] == "594,177"  # README's worked example


@pytest.mark.parametrize("argv", [
    ["train", "--parameters", "405B", "--tokens", "15.6T", "--gpus", "16384", "--accelerator", "h100-sxm",
     "--mfu", "0.41"],
    ["train", "--flop", "3.8e25", "--days", "90", "--accelerator", "h100-sxm", "--mfu", "0.4"],
    ["fit", "--power", "1GW", "--accelerator", "h100-sxm"],
    ["presets", "sites"],
    ["uncertainty", "--accelerator", "h100-sxm", "--gpus", "100k", "--pue", "1.1/1.2/1.4", "--samples", "2000",
     "--tornado", "--sobol", "--sobol-samples", "256"],
], ids=lambda argv: " ".join(argv[:2]))
def test_markdown_every_command(capsys, argv):
    code, out, err = run(capsys, *argv, "--format", "markdown")
    assert (code, err) == (0, "")
    assert_well_formed(out)
    assert tables(out)
    assert "\x00" not in out


def test_markdown_train_value(capsys):
    _, out, _ = run(capsys, "train", "--parameters", "405B", "--tokens", "15.6T", "--gpus", "16384",
                    "--accelerator", "h100-sxm", "--mfu", "0.41", "--format", "markdown")
    assert ["Training time", "66 days"] in tables(out)[-1]  # README: Llama 3 405B, about 66 days


def test_markdown_uncertainty_names_its_columns(capsys):
    _, out, _ = run(capsys, "uncertainty", "--accelerator", "h100-sxm", "--gpus", "100k", "--pue", "1.1/1.2/1.4",
                    "--samples", "1000", "--tornado", "--format", "markdown")
    heads = [t[0][0] for t in tables(out)]
    assert heads == ["assumption", "output", "assumption"]


def test_markdown_run_files_are_sections(capsys, tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(f'name = "fleet {name}"\naccelerator = "h100-sxm"\ngpus = 1000\n')
    code, out, _ = run(capsys, "run", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), "--format", "markdown")
    assert code == 0
    assert_well_formed(out)
    assert re.findall(r"^## (.*)$", out, flags=re.M) == ["fleet a", "fleet b"]


def test_markdown_presets_table(capsys):
    code, out, _ = run(capsys, "presets", "accelerators", "--format", "markdown")
    assert code == 0
    (table,) = tables(out)
    assert table[0] == ["kind", "key", "name", "field", "value", "confirmed", "source"]
    row = next(r for r in table if r[1] == "h100-sxm" and r[3] == "gpu_watts")
    assert row[4] == "700 W" and row[6]  # a source for every value


def test_markdown_escapes_pipes():
    (table,) = tables("\n".join(cli._markdown_table([["a", "b"], ["x | y", "1"]])).replace("\x00", ""))
    assert table[1] == [r"x \| y", "1"]


def test_text_is_unchanged_by_markdown(capsys):
    _, before, _ = run(capsys, *POWER)
    run(capsys, *POWER, "--format", "markdown")
    _, after, _ = run(capsys, *POWER)
    assert before == after and "|" not in before


@pytest.mark.parametrize("command", ["power", "fit", "train", "serve", "run", "uncertainty", "presets"])
def test_every_format_option_offers_markdown(capsys, command):
    _, out, _ = run(capsys, command, "--help")
    assert "--format {text,markdown,json,csv}" in out


# ---------------------------------------------------------------------------- the top-level help


def test_help_lists_every_subcommand_with_an_example(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    names, _ = cli._subcommands(cli.build_parser())
    primary = [n for n in names if n != "mc"]
    assert list(cli.EXAMPLES) == primary
    examples = out[out.index("examples:"):]
    for name in primary:
        assert re.search(rf"^  {name}\s+estimator {name} ", examples, flags=re.M), name


@pytest.mark.parametrize("name", list(cli.EXAMPLES))
def test_help_examples_parse(name):
    argv = shlex.split(cli.EXAMPLES[name].split(">")[0])
    assert argv[:2] == ["estimator", name]
    args = cli.build_parser().parse_args(argv[1:])
    assert args.command == name


# ---------------------------------------------------------------------------- shell completion


def test_completion_prints_script(capsys):
    code, out, err = run(capsys, "completion", "bash")
    assert (code, err) == (0, "")
    assert out == cli.completion_script("bash")
    code, _, err = run(capsys, "completion", "fish")
    assert code == 2 and "invalid choice: 'fish'" in err


def test_completion_script_invalid():
    with pytest.raises(ValueError, match="shell must be one of bash, zsh"):
        cli.completion_script("tcsh")


def _bash_complete(script: Path, words: list[str]) -> list[str]:
    """What the bash completion function offers for ``words`` (the last one being typed)."""
    line = " ".join(shlex.quote(w) for w in words)
    program = (f"source {shlex.quote(str(script))}\n"
               f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
               "_estimator\n"
               'printf "%s\\n" "${COMPREPLY[@]}"\n')
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], capture_output=True, text=True,
                            timeout=30, check=True)
    return result.stdout.split()


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    path = tmp_path_factory.mktemp("completion") / "estimator.bash"
    path.write_text(cli.completion_script("bash"))
    subprocess.run(["bash", "-n", str(path)], check=True, timeout=30)
    return path


def test_bash_completes_commands(bash_script):
    assert _bash_complete(bash_script, ["estimator", ""]) == [
        "power", "fit", "train", "serve", "swing", "campus", "run", "uncertainty", "mc", "presets", "completion", "-h",
        "--help",
        "--version"]
    assert _bash_complete(bash_script, ["estimator", "p"]) == ["power", "presets"]


def test_bash_completes_options_from_the_registry(bash_script):
    offered = _bash_complete(bash_script, ["estimator", "power", "--gpu"])
    assert offered == ["--gpus", "--gpu-watts"]
    assert "--pue" in _bash_complete(bash_script, ["estimator", "power", "--gpus", "1000", "--"])
    assert "--samples" in _bash_complete(bash_script, ["estimator", "mc", "--sa"])


def test_bash_completes_values(bash_script):
    assert _bash_complete(bash_script, ["estimator", "power", "--format", ""]) == ["text", "markdown", "json", "csv"]
    assert _bash_complete(bash_script, ["estimator", "fit", "--accelerator", "h10"]) == [
        k for k in catalog.accelerators() if k.startswith("h10")]
    assert _bash_complete(bash_script, ["estimator", "power", "--methodology", "epoch-ai-c"]) == [
        "epoch-ai-clusters"]
    assert _bash_complete(bash_script, ["estimator", "presets", "s"]) == ["sites"]
    assert _bash_complete(bash_script, ["estimator", "completion", ""]) == ["bash", "zsh"]
    assert _bash_complete(bash_script, ["estimator", "power", "--gpus", ""]) == []  # a number to type


def test_zsh_script(tmp_path):
    script = cli.completion_script("zsh")
    assert script.startswith("#compdef estimator\n")
    names, _ = cli._subcommands(cli.build_parser())
    for name in names:
        assert f"                {name})\n" in script
    assert "'*--pue[" in script and "(text markdown json csv)" in script
    if shutil.which("zsh") is None:
        pytest.skip("zsh is not installed: only the script's text was checked")
    path = tmp_path / "_estimator"
    path.write_text(script)
    subprocess.run(["zsh", "-n", str(path)], check=True, timeout=30)
    # Loads under compinit without an error.
    program = f"autoload -Uz compinit && compinit -u -D && fpath=({tmp_path} $fpath) && source {path}"
    result = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, timeout=30, check=False)
    assert (result.returncode, result.stderr) == (0, "")


# ---------------------------------------------------------------------------- docs/cli.md


def test_cli_reference_is_current():
    # docs/cli.md is generated from the parser (and so from the field registry): `make docs-cli`
    assert (ROOT / "docs" / "cli.md").read_text() == cli.reference(), "docs/cli.md is stale: run `make docs-cli`"


def test_cli_reference_has_every_option():
    text = cli.reference()
    assert_well_formed(text)
    names, _ = cli._subcommands(cli.build_parser())
    for name, sub in names.items():
        if name == "mc":
            assert "Alias: `estimator mc`." in text
            continue
        section = text[text.index(f"## estimator {name}\n"):]
        section = section[:section.find("\n## ", 1) if "\n## " in section[1:] else None]
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}`" in section, (name, option)
