"""Round trips and fuzzing (hypothesis): what any input can do to the model, the files, the parser, the CLI.

Properties (1,000 examples each; the fuzzers 500 by default, ESTIMATOR_FUZZ_EXAMPLES for more):

- every valid scenario, up to the sanity ceilings, gives finite, non-negative outputs;
- a scenario survives a round trip through a TOML or JSON file on disk, a shared address
  (URL query string) and the command line (options or a file given to ``run``), exactly;
- the scenario-file loader, fed arbitrary bytes, random key/value tables and mutated valid
  files, returns a valid Scenario or raises the documented ``ValueError``/``TypeError``;
- the unit parser, fed number-and-unit text built from every spelling it knows plus noise,
  returns a finite float or raises ``ValueError`` naming the field;
- the command line, fed random arguments, exits 0 or 2 and never shows a traceback.

A failure prints the falsifying example; ``--hypothesis-seed`` reproduces a run.
"""

from __future__ import annotations

import contextlib
import io as stdio
import json
import math
import os
import re
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import valid

from estimator import Scenario, catalog, cli, estimate, fields, io, links, units
from estimator.scenario import Estimate

EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The fuzzers' budget; raise it for a longer hunt: ESTIMATOR_FUZZ_EXAMPLES=100000 pytest tests/test_fuzz.py
FUZZ = settings(max_examples=int(os.environ.get("ESTIMATOR_FUZZ_EXAMPLES", "500")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

REQUIRED = ("gpus", "gpu_watts")
OPTIONAL = tuple(n for n in Scenario.field_names() if n not in REQUIRED)


VALID = {name: valid(name) for name in Scenario.field_names()}


@st.composite
def scenarios(draw, shapes=((), (3,), (2, 3))):
    """A valid Scenario: the required fields, a random subset of the others, scalars or arrays.

    Two integers pick which optional fields are given and which are arrays: fewer draws than a
    boolean per field, so that 1,000 examples stay quick.
    """
    shape = draw(st.sampled_from(shapes))
    given_ = draw(st.integers(0, 2 ** len(OPTIONAL) - 1))
    names = [*REQUIRED, *(n for i, n in enumerate(OPTIONAL) if given_ >> i & 1)]
    arrays = draw(st.integers(0, 2 ** len(names) - 1)) if shape else 0
    values = {}
    for i, name in enumerate(names):
        if arrays >> i & 1:
            values[name] = draw(hnp.arrays(np.float64, shape, elements=VALID[name]))
        else:
            values[name] = draw(VALID[name])
    return Scenario(**values)


def assert_outputs_finite(s: Scenario) -> None:
    r = estimate(s)
    given_ = {n for n in Scenario.field_names() if getattr(s, n) is not None}
    for name in Estimate.field_names():
        value = getattr(r, name)
        if value is None:
            continue
        assert np.all(np.isfinite(value)), (name, value)
        assert np.all(np.asarray(value) >= 0), (name, value)
    # An output is there exactly when its assumptions are (DESIGN.md: never a made-up default).
    assert (r.energy_wh is not None) == ("hours" in given_)
    assert (r.cost is not None) == ({"hours", "electricity_price"} <= given_)
    assert (r.peak_cluster_flop_per_s is not None) == ("peak_flop_per_s" in given_)


# --------------------------------------------------------------------------- the model

@EXAMPLES
@given(s=scenarios())
def test_every_valid_scenario_gives_finite_outputs(s):
    assert_outputs_finite(s)


@EXAMPLES
@given(s=scenarios(shapes=((),)), k=st.floats(1e-3, 1e3))
def test_power_scales_with_fleet_size(s, k):
    if not 0 < s.gpus * k <= fields.FIELDS["gpus"].maximum:
        k = 1 / k  # scale the other way rather than discard the example
    assume(0 < s.gpus * k <= fields.FIELDS["gpus"].maximum)
    bigger = estimate(s.replace(gpus=s.gpus * k))
    assume(estimate(s).facility_power_w > 1e-300)  # away from underflow
    np.testing.assert_allclose(bigger.facility_power_w, estimate(s).facility_power_w * k, rtol=1e-12)
    np.testing.assert_allclose(bigger.watts_per_gpu, estimate(s).watts_per_gpu, rtol=1e-12)


# --------------------------------------------------------------------------- round trips

@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    # Durability is tested in test_security.py; here fsync would only cost time.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(io.os, "fsync", lambda fd: None)
        yield tmp_path_factory.mktemp("round-trips")


@pytest.mark.parametrize("fmt", io.FORMATS)
@EXAMPLES
@given(s=scenarios(), name=st.none() | st.text(max_size=40), description=st.none() | st.text(max_size=200))
def test_file_round_trip_exact(workdir, fmt, s, name, description):
    path = io.save(s, workdir / f"scenario.{fmt}", name=name, description=description)
    loaded, metadata = io.load_with_metadata(path)
    assert loaded == s
    assert metadata == {k: v for k, v in (("name", name), ("description", description)) if v is not None}


# As the dashboard shares them: an accelerator, a methodology and a precision always; a site or not.
PRESETS = st.fixed_dictionaries({
    "accelerator": st.sampled_from(sorted(catalog.accelerators())),
    "methodology": st.sampled_from(sorted(catalog.methodologies())),
    "site": st.none() | st.sampled_from(sorted(catalog.sites())),
})


@EXAMPLES
@given(s=scenarios(shapes=((),)), presets=PRESETS)
def test_url_round_trip_exact(s, presets):
    # Every value typed by the user on top of presets: the link restores the same scenario exactly.
    params = links.write(presets, s.to_dict())
    query = urlencode(params)
    assert len(query) < 2000  # fits any browser's address bar
    state = links.read(dict(parse_qsl(query, keep_blank_values=True)))
    assert not state.problems and not state.unknown
    assert {k: v for k, v in state.presets.items() if v} == {k: v for k, v in presets.items() if v}
    assert state.values == s.to_dict()  # exactly: numbers travel with repr, "not given" as empty
    assert Scenario(**{k: v for k, v in state.values.items() if v is not None}) == s


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


@EXAMPLES
@given(s=scenarios(shapes=((), (1,), (3,))), via=st.sampled_from(["options", "file-toml", "file-json"]))
def test_cli_round_trip_exact(workdir, s, via):
    if via == "options":
        # "1.125" accelerators typed is refused as ambiguous (a '.' may separate thousands: 1,125)
        assume(not any(re.fullmatch(r"[1-9][0-9]{0,2}\.[0-9]{3}", repr(g)) for g in np.atleast_1d(s.gpus).tolist()))
        argv = ["power"]
        for name, value in s.to_dict().items():
            if value is not None:
                argv += ["--" + name.replace("_", "-"), *map(repr, np.atleast_1d(value).tolist())]
    else:
        fmt = via.removeprefix("file-")
        argv = ["run", str(io.save(s, workdir / f"cli.{fmt}"))]
    status, out, err = run_cli([*argv, "--format", "json"])
    assert status == 0, err
    document = json.loads(out)
    record = document if via == "options" else document[0]
    given_ = {k: v for k, v in s.to_dict().items() if v is not None}
    if via == "options":  # one value on the command line reads back as a scalar
        given_ = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in given_.items()}
        expected = estimate(Scenario(**given_)).to_dict()
    else:
        expected = estimate(s).to_dict()
    assert record["assumptions"] == given_
    assert record["results"] == {k: v for k, v in expected.items() if v is not None}


# --------------------------------------------------------------------------- the scenario-file loader

def documented(exc: BaseException) -> bool:
    """A documented rejection: ValueError/TypeError with a one-line, non-empty message."""
    text = str(exc)
    return isinstance(exc, ValueError | TypeError) and bool(text.strip()) and "\n" not in text


def load_or_reject(content: str | bytes, fmt: str) -> None:
    try:
        s = io.loads(content, fmt)
    except (ValueError, TypeError) as exc:
        assert documented(exc), repr(exc)
        assert "Traceback" not in str(exc)
        return
    assert_outputs_finite(s)


@pytest.mark.parametrize("fmt", io.FORMATS)
@FUZZ
@given(content=st.binary(max_size=400))
def test_loader_arbitrary_bytes(fmt, content):
    load_or_reject(content, fmt)


KEYS = st.sampled_from([*io.METADATA_KEYS, *io.PRESET_KEYS, *Scenario.field_names()]) | st.sampled_from(
    ["PUE", "gpu-watts", "GPUs", "hours ", "", "pue.x", "1", "__class__", "gpu_watts\x00"]) | st.text(max_size=12)
UNIT_TEXT = st.sampled_from(["100k", "700 W", "1.2", "75%", "1 year", "90 days", "989 TFLOP/s", "0.4 kg/kWh",
                             "$0.08/kWh", "0.3 L/kWh", "1 GW", "nan", "inf", "-5", "1e400", "h100-sxm",
                             "nameplate", "industry-average", "", " ", "1,00", "3 fortnights", "700 mW"])
LEAVES = (st.integers(-(10**30), 10**30) | st.floats() | st.booleans() | st.none() | UNIT_TEXT
          | st.text(max_size=20) | st.sampled_from([0, 1, 1.0, 0.5, 700, 1e9, 10**400]))
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=5), inner, max_size=3), max_leaves=6)


def toml_value(value) -> str:
    """A TOML literal of any JSON-like value (NaN and infinity as TOML's nan and inf)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '""'  # TOML has no null: the nearest wrong thing a person writes
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string, except for lone surrogates (then invalid TOML)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


@pytest.mark.parametrize("fmt", io.FORMATS)
@FUZZ
@given(table=st.dictionaries(KEYS, VALUES, max_size=8), base=st.booleans())
def test_loader_random_tables(fmt, table, base):
    if base:  # often start from a valid file so that the checks beyond the first key run
        table = {"gpus": 1000, "gpu_watts": 700, "server_overhead": 1, **table}
    if fmt == "json":
        content = json.dumps(table)
    else:
        content = "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    load_or_reject(content, fmt)


MUTATION = st.tuples(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]), st.integers(0, 10_000),
                     st.binary(min_size=1, max_size=4) | st.sampled_from(
                         [b"=", b"[", b"]", b"{", b"}", b'"', b"'", b",", b"\n", b"#", b"e", b"-", b"nan", b"\xff"]))


@pytest.mark.parametrize("fmt", io.FORMATS)
@FUZZ
@given(s=scenarios(), mutations=st.lists(MUTATION, min_size=1, max_size=5))
def test_loader_mutated_valid_files(fmt, s, mutations):
    content = bytearray(io.dumps(s, fmt, name="fuzz").encode())
    for kind, at, chunk in mutations:
        i = at % (len(content) + 1)
        if kind == "insert":
            content[i:i] = chunk
        elif kind == "delete":
            del content[i:i + len(chunk)]
        elif kind == "replace":
            content[i:i + len(chunk)] = chunk
        else:
            lines = content.split(b"\n")
            line = lines[at % len(lines)]
            content = bytearray(b"\n".join([*lines, line]))
    load_or_reject(bytes(content), fmt)


# --------------------------------------------------------------------------- the unit parser

TARGETS = ["W", "Wh", "h", "s", "FLOP", "FLOP/s", "count", "ratio", "kg/kWh", "L/kWh", "$/kWh", "kg", "L", "$",
           "MW", "TWh", "days"]
SPELLINGS = sorted({a for kind in units._KINDS for a in kind.aliases} | {
    "kg/kWh", "g/kWh", "t/MWh", "kg CO2e/kWh", "L/kWh", "m3/MWh", "$/kWh", "USD/MWh", "€/kWh", "/kWh", "per MWh",
    "%", "percent", "m", "mW", "mWh", "mFLOP/s", "W/s", "kWh/h", "GW1"})
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**40), 10**40).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.integers(0, 10**12).map(lambda n: f"{n:_}"),
    st.from_regex(r"[+\-−]?[$€]?(\d{1,4}([.,_]\d{1,4})*|\.\d+)([eE][+-]?\d{1,6}| ?[x×*] ?10 ?(\^|\*\*) ?-?\d{1,4})?",
                  fullmatch=True),
)
NOISE = st.text(alphabet=st.characters(codec="utf-8"), max_size=4)


@FUZZ
@given(number=NUMBERS, space=st.sampled_from(["", " ", "\u00a0", "\u2009", "  "]), unit=st.sampled_from(SPELLINGS),
       noise=NOISE, where=st.sampled_from(["none", "before", "after", "inside"]), target=st.sampled_from(TARGETS))
def test_unit_parser_fuzz(number, space, unit, noise, where, target):
    text = number + space + unit
    if where == "before":
        text = noise + text
    elif where == "after":
        text += noise
    elif where == "inside":
        text = number + noise + unit
    try:
        result = units.parse(text, target, field="fuzzed")
    except ValueError as exc:
        assert str(exc).startswith("fuzzed"), str(exc)
        assert "\n" not in str(exc)
        return
    assert type(result) is float and math.isfinite(result)


# --------------------------------------------------------------------------- the command line

OPTIONS = ["--gpus", "--gpu-watts", "--server-overhead", "--network-overhead", "--pue", "--utilization", "--hours",
           "--days", "--electricity-price", "--carbon-intensity", "--wue", "--peak-flop-per-s", "--mfu",
           "--accelerator", "--methodology", "--site", "--power", "--flop", "--parameters", "--tokens"]
ARGUMENT_VALUES = st.sampled_from([
    "100k", "700", "700 W", "1 GW", "1.2", "0.9", "75%", "150%", "1 year", "90 days", "0", "-1", "nan", "inf",
    "1e15", "1e400", "h100-sxm", "all", "nameplate", "industry-average", "h100", "3.8e25", "405B", "15.6T",
    "989 TFLOP/s", "0.4", "", "--", "-", "1,00", "1_000", "0.08", "$80/MWh", "400 g/kWh"]) | st.text(max_size=8)


@FUZZ
@given(command=st.sampled_from(["power", "fit", "train"]),
       pairs=st.lists(st.tuples(st.sampled_from(OPTIONS), st.lists(ARGUMENT_VALUES, min_size=1, max_size=3)),
                      max_size=7),
       fmt=st.sampled_from(["text", "json", "csv"]))
def test_cli_random_arguments_exit_0_or_2(command, pairs, fmt):
    argv = [command]
    for option, values in pairs:
        argv += [option, *values]
    status, out, err = run_cli([*argv, "--format", fmt])
    assert "Traceback" not in err and "internal error" not in err, err
    if status == 0:
        assert out and not err
        if fmt == "json":
            json.loads(out)  # strict: NaN or Infinity would not be JSON
        assert not re.search(r"\b(nan|inf|-inf)\b", out, re.IGNORECASE), out
    else:
        assert status == 2, (status, err)
        assert out == ""
        assert err.rstrip("\n").split("\n")[-1].startswith("estimator: error: "), err
