"""Fuzzing the readers (issue 13): mutated plans in every reader format never crash anything.

The example plans, written in each format a reader takes (YAML, JSON, TOML, an Excel
workbook, IATI XML), are mutated by hypothesis: bytes flipped, cut, repeated or inserted, and
hostile tokens put in (line separators, escape sequences, long numbers, surrogate
escapes, byte-order marks, deep nesting, aliases). For every mutant:

- the API (:func:`techdiversity.load`) either reads a plan, which then checks, scores and
  writes back out, or raises :class:`~techdiversity.PlanError`: nothing else;
- ``techdiversity check`` exits 0, 1 or 2, prints no traceback, and every line it prints
  is a line about that file (or the summary): no line is forged, and no control
  character reaches the terminal.

The run is bounded (``max_examples`` per format, no per-example deadline, so that a slow
machine fails nothing) and part of the normal test run, where it is derandomized: the
same mutants every run, so that CI is never red by chance. A longer hunt, with fresh
mutants each time: ``TECHDIVERSITY_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.

IATI XML is in (its reader, being rewritten for the IATI items of this issue in issue
12, passes the same mutants today); its seeds are the IATI exports of the examples.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
import warnings
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import techdiversity as td
from techdiversity.cli import main
from techdiversity.errors import PlanError
from techdiversity.readers import PlanReadWarning
from techdiversity.safetext import UNSAFE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

#: What each format's mutants are made from, and how many are tried per format (more with
#: ``TECHDIVERSITY_FUZZ_EXAMPLES=2000``, for a longer hunt than the normal run's).
FORMATS = ("yaml", "json", "toml", "xlsx", "iati")
EXAMPLES_PER_FORMAT = int(os.environ.get("TECHDIVERSITY_FUZZ_EXAMPLES", "40"))
#: The normal run tries the same mutants each time; a hunt (the variable set) new ones.
DERANDOMIZE = "TECHDIVERSITY_FUZZ_EXAMPLES" not in os.environ
SUFFIX = {"yaml": "yaml", "json": "json", "toml": "toml", "xlsx": "xlsx", "iati": "xml"}

HOSTILE = [
    "\n",
    "\r",
    "\x85",
    "\u2028",
    "\u2029",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1e",
    "\x1b[2J",
    "\u202e",
    "\x00",
    "\\ud800",
    "\\udfff",
    "_xD800_",
    "9" * 4400,
    "-" + "1" * 4400,
    "[" * 200,
    "{" * 200,
    "&a [1]",
    "*a",
    "!!python/object:os.system",
    "\ufeff",
    '"',
    "'",
    ": ",
    "- ",
    "#",
    "\t",
    "NaN",
    "1e999",
    "<!ENTITY a 'b'>",
    "<![CDATA[",
    "&#0;",
    "\xff\xfe",
]


# ---------------------------------------------------------------------------
# The seeds: each example plan in each format


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if not isinstance(value, float) or math.isfinite(value) else "nan"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string (escapes included)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None) + "}"
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    """Plain plan data as TOML (the project writes no TOML; a test needs only this much)."""
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in data.items() if v is not None)


@cache
def seed(fmt: str, index: int) -> bytes:
    path = EXAMPLES[index]
    if fmt == "yaml":
        return path.read_bytes()
    plan = td.load(path)
    if fmt == "json":
        return td.dumps(plan, "json").encode("utf-8")
    if fmt == "toml":
        return to_toml(json.loads(td.dumps(plan, "json"))).encode("utf-8")
    content = td.exporters.export(plan, fmt)
    return content if isinstance(content, bytes) else content.encode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_seed_reads_back_as_its_plan(fmt: str, tmp_path: Path) -> None:
    for index, example in enumerate(EXAMPLES):
        path = tmp_path / f"plan.{SUFFIX[fmt]}"
        path.write_bytes(seed(fmt, index))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PlanReadWarning)
            read = td.load(path)
        if fmt == "iati":  # IATI holds less than a plan file: what it cannot hold is a note
            assert read.id == td.load(example).id, example.name
        else:
            assert read == td.load(example), (fmt, example.name)


# ---------------------------------------------------------------------------
# Mutations


def _splice(data: bytes, at: float, cut: int, insert: bytes) -> bytes:
    pos = int(at * len(data))
    return data[:pos] + insert + data[pos + cut :]


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One to four edits of ``data``: inserted, cut, repeated or flipped bytes, or a hostile token."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.floats(0, 1))
        kind = draw(st.sampled_from(["token", "bytes", "cut", "repeat", "flip"]))
        if kind == "token":
            token = draw(st.sampled_from(HOSTILE)).encode("utf-8", "surrogatepass")
            data = _splice(data, at, 0, token)
        elif kind == "bytes":
            data = _splice(data, at, 0, draw(st.binary(min_size=1, max_size=8)))
        elif kind == "cut":
            data = _splice(data, at, draw(st.integers(1, 200)), b"")
        elif kind == "repeat":
            pos = int(at * len(data))
            piece = data[pos : pos + draw(st.integers(1, 80))]
            data = data[:pos] + piece * draw(st.integers(2, 20)) + data[pos:]
        elif data:
            pos = min(len(data) - 1, int(at * len(data)))
            data = data[:pos] + bytes([data[pos] ^ draw(st.integers(1, 255))]) + data[pos + 1 :]
    return data


@st.composite
def workbook_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """A workbook with one of its parts mutated (and zipped again), or the zip itself mutated."""
    if draw(st.booleans()):
        return draw(byte_mutation(data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(byte_mutation(parts[name]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return out.getvalue()


@st.composite
def mutant(draw: st.DrawFn, fmt: str) -> bytes:
    data = seed(fmt, draw(st.integers(0, len(EXAMPLES) - 1)))
    return draw(workbook_mutation(data) if fmt == "xlsx" else byte_mutation(data))


# ---------------------------------------------------------------------------
# The properties


def _api(path: Path) -> None:
    """Load, and when that works check, score and write back out; only PlanError may come out."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanReadWarning)
        try:
            plan = td.load(path)
        except PlanError as exc:
            assert exc.diagnostics
            for diag in exc.diagnostics:
                assert len(str(diag).splitlines()) == 1, str(diag)
            return
    report = td.check(plan)
    for finding in report:
        assert len(str(finding).splitlines()) == 1, str(finding)
    td.score(plan)
    again = td.loads(td.dumps(plan, "json"), "json")
    assert again == plan


def _cli(path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(path)])
    output = result.output
    assert result.exit_code in (0, 1, 2), (result.exit_code, output, result.exception)
    assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
    assert "Traceback" not in output
    for line in output.split("\n")[:-1]:
        assert UNSAFE.search(line) is None, f"an unsafe character in {line!r}"
        assert len(line.splitlines()) <= 1, f"a line that splits: {line!r}"
        assert line.startswith(f"{path}:") or line.startswith(("1 plan(s) checked", "0 plan(s) checked")), line


@pytest.mark.parametrize("fmt", FORMATS)
@settings(
    max_examples=EXAMPLES_PER_FORMAT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    derandomize=DERANDOMIZE,
)
@given(data=st.data())
def test_mutated_plans_raise_only_plan_errors_and_print_no_forged_line(fmt: str, data: st.DataObject) -> None:
    content = data.draw(mutant(fmt))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan.{SUFFIX[fmt]}"
        path.write_bytes(content)
        _api(path)
        _cli(path)


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
@settings(max_examples=EXAMPLES_PER_FORMAT, deadline=None, database=None, derandomize=DERANDOMIZE)
@given(data=st.data())
def test_mutated_text_given_to_loads_raises_only_plan_errors(fmt: str, data: st.DataObject) -> None:
    content = data.draw(mutant(fmt))
    text = content.decode("utf-8", "surrogateescape")  # raw surrogates in a str, as a program may hold
    try:
        plan = td.loads(text, fmt)
    except PlanError as exc:
        assert exc.diagnostics
        return
    td.dumps(plan)
