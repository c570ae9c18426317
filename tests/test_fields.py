"""The field registry: every input and output declared once, every door derived from it."""

from __future__ import annotations

import contextlib
import io as stdio
from pathlib import Path

import pytest

from estimator import cli, fields, io, links, units, validate
from estimator.fields import Field
from estimator.scenario import Estimate, Scenario

ROOT = Path(__file__).resolve().parents[1]


def test_scenario_and_estimate_fields_are_the_registry():
    assert Scenario.field_names() == tuple(f.name for f in fields.INPUTS)
    assert Estimate.field_names() == tuple(f.name for f in fields.OUTPUTS)
    assert tuple(io.FIELD_UNITS) == Scenario.field_names()


@pytest.mark.parametrize("f", fields.INPUTS, ids=lambda f: f.name)
def test_every_input_unit_is_read_by_the_parser(f):
    assert units.parse("1", f.unit, field=f.name) == 1.0


@pytest.mark.parametrize("f", [*fields.INPUTS, *fields.COMMAND_INPUTS], ids=lambda f: f.name)
def test_every_ceiling_is_valid_and_above_is_refused(f):
    if f.maximum is None:
        return
    assert validate.field(f.name, f.maximum) == f.maximum
    with pytest.raises(ValueError, match=rf"^{f.name} must be <= "):
        validate.field(f.name, f.maximum * 1.01)


@pytest.mark.parametrize("f", fields.OUTPUTS, ids=lambda f: f.name)
def test_every_output_needs_only_inputs(f):
    assert set(f.needs) <= set(fields.inputs())


def test_labels_are_unique():
    labels = [f.label for f in (*fields.INPUTS, *fields.OUTPUTS) if not f.label.startswith("of which")]
    assert len(labels) == len(set(labels))


def test_docs_field_table_is_current():
    # docs/fields.md is generated from the registry: `make docs-fields`
    assert (ROOT / "docs" / "fields.md").read_text() == fields.document()


def test_register_twice_is_refused():
    with pytest.raises(ValueError, match="field 'pue' exists already"):
        fields.register(Field("pue", "ratio", "PUE", "again"))


@pytest.fixture
def new_field():
    """An input that only this test knows: added to the registry, removed afterwards."""
    f = fields.register(Field("spare_ratio", "ratio", "Spare ratio", "a ratio no formula uses yet",
                              rule="at_least_one", maximum=5.0, example="1.3", group="chain"))
    try:
        yield f
    finally:
        fields.unregister("spare_ratio")
    assert "spare_ratio" not in fields.FIELDS


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


def test_a_registered_input_reaches_every_door(new_field):
    # library: validated by its rule and ceiling, kept, named in the error
    s = Scenario(gpus=10, gpu_watts=700, spare_ratio=1.3)
    assert s.spare_ratio == 1.3 and s.provenance["spare_ratio"].origin == "user"
    with pytest.raises(ValueError, match=r"^spare_ratio must be >= 1 \(got 0\.5\)$"):
        Scenario(gpus=10, gpu_watts=700, spare_ratio=0.5)
    assert Scenario.from_accelerator("h100-sxm", gpus=10, spare_ratio=2).spare_ratio == 2.0
    # files: a key, read with units, written back
    s = io.loads('accelerator = "h100-sxm"\ngpus = 10\nspare_ratio = "1.3x"\n')
    assert s.spare_ratio == 1.3
    assert io.loads(io.dumps(s)) == s
    # links: written and read back
    state = links.read(links.write({"accelerator": "h100-sxm"}, {"spare_ratio": 1.3}))
    assert state.values == {"spare_ratio": 1.3} and not state.unknown
    # command line: an option with its help, accepted
    status, out, _ = _cli(["power", "--help"])
    assert status == 0 and "--spare-ratio" in out and "a ratio no formula uses yet" in out
    status, out, err = _cli(["power", "--accelerator", "h100-sxm", "--gpus", "10", "--spare-ratio", "1.3",
                             "--format", "json"])
    assert status == 0, err
    # docs: its row in the generated table
    assert "| `spare_ratio` | unitless | >= 1, <= 5 |" in fields.document()
