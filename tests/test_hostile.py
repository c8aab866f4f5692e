"""Hostile and broken input: every refusal is a ``path:line:col: field: message``, never a crash.

Each bad file goes through :func:`techdiversity.io.load` (checking the diagnostic's
place and field) and through ``techdiversity check`` (checking exit status 2, no
traceback, and the printed line). The deepest inputs run in a subprocess, so that a
stack overflow would show as a dead process rather than take the test run down.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner, Result

import techdiversity.formats
import techdiversity.io
from techdiversity import model
from techdiversity.cli import main
from techdiversity.errors import PlanError
from techdiversity.formats.yaml import MAX_DEPTH
from techdiversity.io import atomic_write, dump, dumps, load, load_assessment, loads

# ---------------------------------------------------------------------------
# Helpers


def run_check(path: Path | str, *args: str) -> Result:
    return CliRunner().invoke(main, ["check", str(path), *args])


def assert_cli_refused(result: Result, path: Path | str, line: int | None, col: int | None, *words: str) -> str:
    """Exit status 2, no traceback, and a ``path:line:col:`` line holding every word; returns that line."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    prefix = f"{path}:{line}:{col}: " if line is not None else f"{path}: "
    lines = [text for text in result.output.splitlines() if text.startswith(prefix)]
    assert lines, f"no line starting with {prefix!r} in:\n{result.output}"
    for word in words:
        assert any(word in text for text in lines), f"{word!r} not in {lines}"
    return lines[0]


def refusal(call: Any, *args: Any, **kwargs: Any) -> PlanError:
    with pytest.raises(PlanError) as info:
        call(*args, **kwargs)
    assert info.value.diagnostics
    return info.value


@attrs.frozen
class Case:
    """A bad file: its name and content, and where and how it must be refused."""

    id: str
    name: str
    content: str | bytes
    line: int | None
    col: int | None
    field: str
    words: tuple[str, ...] = ()


PLAN = "format: 1\nplan: {id: x}\n"

CASES = [
    # syntax
    Case("yaml-syntax", "plan.yaml", "format: 1\nplan:\n  id: x\n   title: y\n", 4, 9, "", ("YAML syntax error",)),
    Case("yaml-unclosed-flow", "plan.yaml", "format: 1\nplan: {id: x\n", 3, 1, "", ("YAML syntax error",)),
    Case("yaml-bad-indent", "plan.yaml", "format: 1\nplan:\n  id: x\n title: y\n", 4, 2, "", ("YAML syntax error",)),
    Case("json-syntax", "plan.json", '{"format": 1,\n "plan": {"id": "x",}}\n', 2, 21, "", ("JSON syntax error",)),
    Case("toml-syntax", "plan.toml", 'format = 1\n[plan]\nid = "x\n', 3, 8, "", ("TOML syntax error",)),
    Case("toml-syntax-2", "plan.toml", "format = 1\n[plan]\nid = x y\n", 3, 6, "", ("TOML syntax error",)),
    # types
    Case(
        "wrong-type", "plan.yaml", "format: 1\nplan:\n  id: x\n  title: [a]\n", 4, 10, "plan.title", ("expected text",)
    ),
    Case(
        "string-for-list",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    contributes_to: SO1\n",
        5,
        21,
        "actions[0].contributes_to",
        ("expected a list", "[ ... ]"),
    ),
    Case(
        "number-for-text", "plan.yaml", PLAN.replace("{id: x}", "{id: x, title: 12}"), 2, 22, "plan.title", ("number",)
    ),
    Case("number-for-id", "plan.yaml", "format: 1\nplan: {id: 2025}\n", 2, 12, "plan.id", ("expected text",)),
    Case(
        "quoted-bool",
        "plan.yaml",
        PLAN + 'problems:\n  - {id: P1, core: "yes"}\n',
        4,
        20,
        "problems[0].core",
        ("expected true or false",),
    ),
    Case(
        "yaml11-bool",
        "plan.yaml",
        PLAN + "problems:\n  - {id: P1, core: yes}\n",
        4,
        20,
        "problems[0].core",
        ("expected true or false",),
    ),
    Case(
        "quoted-number",
        "plan.yaml",
        PLAN + 'actions:\n  - id: A1\n    resources:\n      - {kind: budget, amount: "15000"}\n',
        6,
        32,
        "actions[0].resources[0].amount",
        ("expected a number",),
    ),
    Case(
        "yaml-nan",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    resources:\n      - {kind: budget, amount: .nan}\n",
        6,
        32,
        "actions[0].resources[0].amount",
        ("finite",),
    ),
    Case(
        "yaml-inf-value",
        "plan.yaml",
        PLAN + "indicators:\n  - id: I1\n    target: {value: -.inf}\n",
        5,
        21,
        "indicators[0].target.value",
        ("finite",),
    ),
    Case(
        "toml-wrong-type",
        "plan.toml",
        'format = 1\n[plan]\nid = "x"\n\n[[actions]]\nid = "A1"\ntitle = 3\n',
        7,
        9,
        "actions[0].title",
        ("expected text",),
    ),
    Case(
        "json-wrong-type",
        "plan.json",
        '{\n  "format": 1,\n  "plan": {"id": "x", "title": ["a"]}\n}\n',
        3,
        32,
        "plan.title",
        ("expected text",),
    ),
    # keys
    Case(
        "unknown-key",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    contribute_to: [SO1]\n",
        5,
        5,
        "actions[0].contribute_to",
        ("unknown key 'contribute_to'", "did you mean 'contributes_to'"),
    ),
    Case(
        "unknown-top-key",
        "plan.yaml",
        PLAN + "objectivs: []\n",
        3,
        1,
        "objectivs",
        ("did you mean 'objectives'",),
    ),
    Case(
        "unknown-key-json",
        "plan.json",
        '{"format": 1, "plan": {"id": "x", "titel": "T"}}',
        1,
        35,
        "plan.titel",
        ("did you mean 'title'",),
    ),
    Case(
        "unknown-key-toml",
        "plan.toml",
        'format = 1\n[plan]\nid = "x"\ncity = "C"\ncountri = "PL"\n',
        5,
        1,
        "plan.countri",
        ("did you mean 'country'",),
    ),
    Case(
        "duplicate-yaml-key",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    title: a\n    title: b\n",
        6,
        5,
        "actions[0].title",
        ("duplicate key 'title'", "first at line 5"),
    ),
    Case("duplicate-top-key", "plan.yaml", PLAN + "plan: {id: y}\n", 3, 1, "plan", ("duplicate key 'plan'",)),
    Case(
        "duplicate-json-key",
        "plan.json",
        '{\n  "format": 1,\n  "plan": {"id": "x", "id": "y"}\n}\n',
        3,
        23,
        "",
        ("duplicate key 'id'",),
    ),
    Case("merge-key", "plan.yaml", "format: 1\nbase: &b {id: x}\nplan:\n  <<: *b\n", 4, 3, "plan", ("merge keys",)),
    # dates and periods
    Case(
        "bad-month",
        "plan.yaml",
        "format: 1\nplan: {id: x, period: {start: 2025-13}}\n",
        2,
        31,
        "plan.period.start",
        ("'2025-13' is not a date", "month 13"),
    ),
    Case(
        "lower-case-quarter",
        "plan.yaml",
        "format: 1\nplan: {id: x, period: {start: 2025-q3}}\n",
        2,
        31,
        "plan.period.start",
        ("did you mean 2025-Q3?",),
    ),
    Case(
        "bad-day",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    timescale: {start: 2025-02-30}\n",
        5,
        24,
        "actions[0].timescale.start",
        ("day 30",),
    ),
    Case(
        "non-ascii-digits",
        "plan.yaml",
        "format: 1\nplan: {id: x, period: {start: '２０２５'}}\n",
        2,
        31,
        "plan.period.start",
        ("not a date",),
    ),
    Case(
        "period-end-before-start",
        "plan.yaml",
        "format: 1\nplan:\n  id: x\n  period: {start: 2030, end: 2025}\n",
        4,
        30,
        "plan.period.end",
        ("ends (2025) before it starts (2030)",),
    ),
    Case(
        "timescale-end-before-start",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    timescale:\n      start: 2025-Q3\n      end: 2025-06\n",
        7,
        12,
        "actions[0].timescale.end",
        ("before it starts",),
    ),
    Case("date-as-list", "plan.yaml", PLAN + "meetings:\n  - date: [2024]\n", 4, 11, "meetings[0].date", ("a date",)),
    # ids
    Case(
        "duplicate-id-across-sections",
        "plan.yaml",
        PLAN + "problems:\n  - id: A1\nactions:\n  - id: A1\n",
        6,
        9,
        "actions[0].id",
        ("duplicate id 'A1'", "problems[0] at line 4"),
    ),
    Case(
        "id-with-newline",
        "plan.yaml",
        PLAN + 'actions:\n  - id: "A1\\n"\n',
        4,
        9,
        "actions[0].id",
        ("not a usable id",),
    ),
    Case("id-with-space", "plan.yaml", "format: 1\nplan: {id: my plan}\n", 2, 12, "plan.id", ("not a usable id",)),
    Case(
        "duplicate-link",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    contributes_to: [SO1, SO1]\n",
        5,
        21,
        "actions[0].contributes_to",
        ("listed twice",),
    ),
    # vocabularies
    Case(
        "unknown-slug",
        "plan.yaml",
        PLAN + "stakeholders:\n  - id: S1\n    type: goverment\n",
        5,
        11,
        "stakeholders[0].type",
        ("'goverment' is not one of", "public-authority, private-company, ngo, academia"),
    ),
    Case(
        "unknown-aspect",
        "plan.yaml",
        PLAN + "actions:\n  - id: A1\n    integration_aspects: [sectoral]\n",
        5,
        26,
        "actions[0].integration_aspects",
        ("'sectoral' is not one of", "sectoral-integration"),
    ),
    Case(
        "unknown-integration-type",
        "plan.yaml",
        PLAN + "integration:\n  types:\n    diagonal: {score: 3}\n",
        5,
        5,
        "integration.types",
        ("'diagonal' is not one of", "policy-sector"),
    ),
    Case(
        "score-out-of-range",
        "plan.yaml",
        PLAN + "integration:\n  types:\n    vertical: {score: 7}\n",
        5,
        23,
        "integration.types.vertical.score",
        ("from 1 to 5",),
    ),
    Case("bad-country", "plan.yaml", "format: 1\nplan: {id: x, country: pl}\n", 2, 24, "plan.country", ("ISO 3166",)),
    # format
    Case("format-2", "plan.yaml", "format: 2\nplan: {id: x}\n", 1, 9, "format", ("reads plan format 1", "says 2")),
    Case("format-as-text", "plan.yaml", "format: '1'\nplan: {id: x}\n", 1, 9, "format", ("whole number",)),
    Case("format-missing", "plan.yaml", "plan: {id: x}\n", 1, 1, "", ("'format' is missing",)),
    Case("plan-missing", "plan.yaml", "format: 1\n", 1, 1, "plan", ("'plan' is missing",)),
    # not a plan at all
    Case("empty", "plan.yaml", "", 1, 1, "", ("empty",)),
    Case("whitespace-only", "plan.yaml", "  \n\t\n\n   \n", 1, 1, "", ("empty",)),
    Case("comment-only", "plan.yaml", "# nothing here\n", 1, 1, "", ("expected a mapping", "nothing")),
    Case("empty-json", "plan.json", "", 1, 1, "", ("empty",)),
    Case("top-level-list", "plan.yaml", "- format: 1\n- plan: {id: x}\n", 1, 1, "", ("expected a mapping", "a list")),
    Case("top-level-list-json", "plan.json", "[1, 2]", 1, 1, "", ("expected a mapping", "a list")),
    Case("top-level-text", "plan.yaml", "hello\n", 1, 1, "", ("expected a mapping", "text")),
    Case("two-documents", "plan.yaml", PLAN + "---\n" + PLAN, 3, 1, "", ("one YAML document",)),
    Case(
        "png",
        "plan.yaml",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
        3,
        1,
        "",
        ("binary",),
    ),
    Case("nul-late", "plan.yaml", b"format: 1\nplan:\n  id: x\x00\n", 3, 8, "", ("binary", "NUL")),
    Case("latin-1", "plan.yaml", "format: 1\nplan: {id: x, title: café}\n".encode("latin-1"), 2, 25, "", ("UTF-8",)),
    Case("bad-utf8-json", "plan.json", b'{"format": 1,\n "plan": {"id": "\xff"}}', 2, 18, "", ("UTF-8", "0xff")),
    Case("utf16", "plan.yaml", "format: 1\n".encode("utf-16"), 1, 1, "", ("UTF-16 text", "save it as UTF-8")),
    Case("utf16-be", "plan.json", '{"format": 1}'.encode("utf-16-be").join([b"\xfe\xff", b""]), 1, 1, "", ("UTF-16",)),
    Case("utf32", "plan.toml", "format = 1\n".encode("utf-32"), 1, 1, "", ("UTF-32 text", "save it as UTF-8")),
    # control characters
    Case(
        "bell-yaml",
        "plan.yaml",
        'format: 1\nplan: {id: x, title: "a\x07b"}\n',
        2,
        24,
        "",
        ("control character", "0007"),
    ),
    Case(
        "escape-yaml",
        "plan.yaml",
        "format: 1\nplan: {id: x, title: a\x1bb}\n",
        2,
        23,
        "",
        ("control character", "001b"),
    ),
    Case("escape-yaml-key", "plan.yaml", "format: 1\n\x1bplan: {id: x}\n", 2, 1, "", ("control character",)),
    Case(
        "bell-json",
        "plan.json",
        '{"format": 1, "plan": {"id": "x", "title": "a\x07b"}}',
        1,
        46,
        "",
        ("control character",),
    ),
    Case("escape-json", "plan.json", '{"format": 1,\n"plan": {"id": "x\x1b"}}', 2, 18, "", ("control character",)),
    # tags
    Case(
        "python-object",
        "plan.yaml",
        "format: 1\nplan: !!python/object:os.system {id: x}\n",
        2,
        7,
        "plan",
        ("python/object", "not allowed"),
    ),
    Case(
        "python-apply",
        "plan.yaml",
        "format: 1\nplan: {id: x, title: !!python/object/apply:os.system [echo hi]}\n",
        2,
        22,
        "plan.title",
        ("not allowed",),
    ),
    Case(
        "python-name-scalar",
        "plan.yaml",
        "format: 1\nplan: {id: x, title: !!python/name:os.system ''}\n",
        2,
        22,
        "plan.title",
        ("not allowed",),
    ),
    Case(
        "local-tag", "plan.yaml", "format: 1\nplan: {id: x, title: !secret t}\n", 2, 22, "plan.title", ("not allowed",)
    ),
    Case("bad-int-tag", "plan.yaml", "format: !!int one\nplan: {id: x}\n", 1, 9, "format", ("not a valid !!int",)),
    # aliases
    Case(
        "recursive-alias",
        "plan.yaml",
        "format: 1\nplan: &a {id: x, title: *a}\n",
        2,
        25,
        "",
        ("alias *a", "not defined before it"),
    ),
    Case(
        "recursive-alias-list",
        "plan.yaml",
        "format: 1\nplan: {id: x}\ncontext:\n  integration_challenges: &l [a, *l]\n",
        4,
        34,
        "",
        ("alias *l",),
    ),
    Case("undefined-alias", "plan.yaml", "format: 1\nplan: {id: *nope}\n", 2, 12, "", ("alias *nope",)),
    # deep, but not pathological
    Case(
        "too-deep-yaml",
        "plan.yaml",
        PLAN + "vision: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
        3,
        9 + MAX_DEPTH - 1,
        "vision[0]",
        (f"deeper than {MAX_DEPTH}",),
    ),
    Case(
        "too-deep-json",
        "plan.json",
        '{"format": 1, "plan": {"id": "x"}, "vision": ' + "[" * 2000 + "]" * 2000 + "}",
        1,
        46 + MAX_DEPTH - 1,
        "",
        ("nesting too deep",),
    ),
    Case(
        "deep-json-in-wrong-place",
        "plan.json",
        '{"format": 1,\n "plan": {"id": "x", "title": ' + "[" * 300 + "]" * 300 + "}}",
        2,
        31,
        "plan.title",
        ("expected text, got a list",),
    ),
    # JSON non-finite numbers
    Case(
        "json-nan",
        "plan.json",
        '{"format": 1, "plan": {"id": "x"},\n "indicators": [{"id": "I1", "target": {"value": NaN}}]}',
        2,
        50,
        "indicators[0].target.value",
        ("NaN is not valid JSON",),
    ),
    Case(
        "json-infinity",
        "plan.json",
        '{"format": 1, "plan": {"id": "x"},\n "actions": [{"id": "A1",\n'
        '  "resources": [{"kind": "budget", "amount": Infinity}]}]}',
        3,
        46,
        "actions[0].resources[0].amount",
        ("Infinity is not valid JSON",),
    ),
    Case(
        "json-minus-infinity",
        "plan.json",
        '{"format": 1, "plan": {"id": "x", "title": "NaN"}, "vision": {"horizon": -Infinity}}',
        1,
        74,
        "vision.horizon",
        ("-Infinity is not valid JSON",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_load_refuses_with_place_and_field(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8", newline="")
    error = refusal(load, path)
    first = error.diagnostics[0]
    assert first.location.path == str(path)
    assert (first.location.line, first.location.column) == (case.line, case.col), str(error)
    assert first.field == case.field, str(error)
    for word in case.words:
        assert word in first.message, (word, str(error))
    # str(error) is what a user reads: path:line:col: field: message
    prefix = f"{path}:{case.line}:{case.col}: " + (f"{case.field}: " if case.field else "")
    assert str(first).startswith(prefix)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_check_command_refuses_with_exit_2(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8", newline="")
    result = run_check(path)
    line = assert_cli_refused(result, path, case.line, case.col, *case.words)
    if case.field:
        assert line.startswith(f"{path}:{case.line}:{case.col}: {case.field}: ")


@pytest.mark.parametrize("case", [c for c in CASES if isinstance(c.content, str)], ids=lambda c: c.id)
def test_loads_text_refuses_the_same_way(case: Case) -> None:
    fmt = case.name.rsplit(".", 1)[1]
    assert isinstance(case.content, str)
    error = refusal(loads, case.content, fmt, path="given.txt")
    first = error.diagnostics[0]
    assert first.location.path == "given.txt"
    assert (first.location.line, first.location.column, first.field) == (case.line, case.col, case.field)


def test_json_syntax_messages_read_as_sentences() -> None:
    # the standard library's messages end in "at" before a position it appends itself
    error = refusal(loads, '{"format": 1, "plan": {"id": "x\x07"}}', "json", path="p.json")
    assert str(error).startswith("p.json:1:32: JSON syntax error: ")  # the rest is the json module's wording
    assert not error.diagnostics[0].message.rstrip().endswith(" at")
    error = refusal(loads, '{"format": 1, "plan": {"id": "x}}', "json", path="p.json")
    assert not error.diagnostics[0].message.endswith(" at")


def test_check_json_output_lists_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN + "actions:\n  - id: A1\n    contribute_to: [SO1]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    import json

    document = json.loads(result.stdout)
    assert document["summary"]["unreadable"] == 1
    error = document["unreadable"][0]["errors"][0]
    assert error["location"] == {"path": str(bad), "line": 5, "column": 5}
    assert error["message"].startswith("actions[0].contribute_to: unknown key")


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = PLAN.replace("{id: x}", "{id: x, title: 12, status: drafted}") + "actions:\n  - id: A1\n    titel: t\n"
    error = refusal(loads, text, path="p.yaml")
    fields = [d.field for d in error.diagnostics]
    # problems in different places are all reported, in file order (an attrs validator,
    # like the one of ``status``, only runs once the fields of its class convert)
    assert fields == ["plan.title", "actions[0].titel"]
    assert [d.location.line for d in error.diagnostics] == [2, 5]


def test_missing_file_and_directory_are_refused(tmp_path: Path) -> None:
    assert "no such file" in str(refusal(load, tmp_path / "nope.yaml"))
    result = run_check(tmp_path / "nope.yaml")
    assert_cli_refused(result, tmp_path / "nope.yaml", None, None, "no such file")
    empty_dir = tmp_path / "dir.yaml"
    empty_dir.mkdir()
    assert "directory" in str(refusal(load, empty_dir))


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    assert "cannot tell the format" in str(refusal(load, path))
    assert load(path, format="yaml").id == "x"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + PLAN.encode())
    assert load(path).id == "x"


# ---------------------------------------------------------------------------
# Accepted on load, reported by the checks


def test_target_in_words_loads_and_is_a_check_finding(tmp_path: Path) -> None:
    text = PLAN + "indicators:\n  - id: I1\n    target: {value: more women, date: 2027}\n"
    plan = loads(text)
    target = plan.indicators[0].target
    assert target is not None
    assert target.value == "more women"
    assert not target.quantified
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_check(path)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert f"{path}:5:21: TD204" in result.output
    assert "not a number" in result.output


def test_unknown_target_group_is_allowed() -> None:
    plan = loads(PLAN + "objectives:\n  - {id: SO1, target_groups: [astronauts]}\n")
    assert plan.objectives[0].target_groups == ("astronauts",)


def test_numbers_and_dates_keep_their_meaning() -> None:
    plan = loads(
        PLAN
        + "actions:\n  - id: A1\n    title: '2025-09-06'\n    outputs: ['1e5', '0o17', 'true', 'null', '~', '']\n"
        + "    resources: [{kind: budget, amount: 1e5}, {kind: staff, amount: 0o17}]\n"
    )
    action = plan.actions[0]
    assert action.title == "2025-09-06"
    assert action.outputs == ("1e5", "0o17", "true", "null", "~", "")
    assert action.resources[0].amount == 100000.0
    assert action.resources[1].amount == 15


# ---------------------------------------------------------------------------
# Alias bombs


def _billion_laughs(levels: int = 10, width: int = 10) -> str:
    lines = ["format: 1", "plan: {id: x}", "a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        _billion_laughs(),
        _billion_laughs(levels=30, width=2),
        # quadratic: one big anchor, referred to many times
        "format: 1\nplan: {id: x}\nbig: &b ["
        + ", ".join(["x"] * 5000)
        + "]\nmany: ["
        + ", ".join(["*b"] * 5000)
        + "]\n",
        # the bomb hidden under a known key
        "format: 1\nplan: {id: x}\ncontext:\n  integration_challenges: &c [a, b, c, d, e, f, g, h, i, j]\n"
        + "".join(f"  x{i}: &c{i} [" + ", ".join([f"*c{i - 1}" if i > 1 else "*c"] * 10) + "]\n" for i in range(1, 10)),
    ],
    ids=["billion-laughs", "binary-tree", "quadratic", "under-known-key"],
)
def test_alias_bomb_is_refused_fast_and_small(text: str) -> None:
    tracemalloc.start()
    try:
        error = refusal(loads, text, path="bomb.yaml")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias bomb" in str(error)
    first = error.diagnostics[0]
    assert first.location.line is not None and first.location.line > 2
    assert peak < 32 * 1024 * 1024  # refused before anything expands it (no wall-clock asserts in tests)


def test_alias_bomb_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "lol.yaml"
    path.write_text(_billion_laughs(), encoding="utf-8")
    result = run_check(path)
    assert_cli_refused(result, path, 6, 45, "alias bomb")


def test_modest_aliases_are_fine() -> None:
    plan = loads(
        PLAN + "objectives:\n  - {id: SO1, target_groups: &tg [women, girls]}\n  - {id: SO2, target_groups: *tg}\n"
    )
    assert plan.objectives[1].target_groups == ("women", "girls")


# ---------------------------------------------------------------------------
# Pathological nesting, in a subprocess: no segfault, no traceback, exit 2

DEEP = 100_000


def _deep_inputs() -> list[tuple[str, str, str]]:
    n = DEEP
    head = PLAN + "vision: "
    block_map_depth = 2_000  # block mappings nest by indentation: the file grows as depth squared
    block_map = (
        PLAN + "vision:\n" + "".join(" " * i + "a:\n" for i in range(1, block_map_depth)) + " " * 2000 + "b: 1\n"
    )
    return [
        ("yaml-flow-seq", "deep.yaml", head + "[" * n + "]" * n + "\n"),
        ("yaml-flow-seq-unclosed", "deep.yaml", head + "[" * n + "\n"),
        ("yaml-flow-map", "deep.yaml", head + "{a: " * n + "1" + "}" * n + "\n"),
        ("yaml-block-seq", "deep.yaml", PLAN + "vision:\n" + "- " * n + "x\n"),
        ("yaml-block-seq-then-map", "deep.yaml", PLAN + "vision:\n" + "- " * n + "a: 1\n"),
        ("yaml-block-map", "deep.yaml", block_map),
        ("yaml-anchored-deep", "deep.yaml", head + "&a " + "[" * n + "]" * n + "\nx: *a\n"),
        ("json-array", "deep.json", '{"format": 1, "plan": {"id": "x"}, "vision": ' + "[" * n + "]" * n + "}"),
        (
            "json-object",
            "deep.json",
            '{"format": 1, "plan": {"id": "x"}, "vision": ' + '{"a": ' * n + "1" + "}" * n + "}",
        ),
        ("json-unclosed", "deep.json", '{"format": 1, "vision": ' + "[" * n),
        ("toml-array", "deep.toml", 'format = 1\nplan = {id = "x"}\nvision = ' + "[" * n + "]" * n + "\n"),
        ("toml-inline-table", "deep.toml", "format = 1\nvision = " + "{a = " * n + "1" + "}" * n + "\n"),
    ]


@pytest.mark.parametrize(("kind", "name", "text"), _deep_inputs(), ids=[d[0] for d in _deep_inputs()])
def test_deep_nesting_does_not_crash_the_process(kind: str, name: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", "--no-plugins", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert "Fatal Python error" not in proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 2 and "could not be read" in lines[1], proc.stderr[-2000:]  # the refusal, the summary
    # the contract, not a parser's wording (libyaml has a nesting limit of its own, and
    # which limit fires first depends on its version): path:line:col: message
    match = re.fullmatch(re.escape(str(path)) + r":(\d+):(\d+): (.+)", lines[0])
    assert match is not None, lines[0]
    line, col = int(match[1]), int(match[2])
    if kind.startswith("toml"):  # tomllib gives no position for a recursion error
        assert (line, col) == (1, 1)
    elif kind.startswith("yaml"):
        assert line >= 3 and col >= 1  # on the vision's line or below, never before it
    else:
        assert line == 1 and col > len('{"format": 1, "vision": ')


def test_deep_nesting_in_process_is_a_plan_error() -> None:
    """In one process, deep input of every text format is a PlanError placed in the file.

    The message is not compared: for YAML, libyaml's own nesting limit may fire before
    the reader's (libyaml 0.2.6 does), and either is a correct refusal."""
    code = (
        "import json\n"
        "from techdiversity.io import loads\n"
        "from techdiversity.errors import PlanError\n"
        f"n = {DEEP}\n"
        "for fmt, text in [('yaml', 'format: 1\\nvision: ' + '[' * n + ']' * n),"
        " ('json', '{\"vision\": ' + '[' * n + ']' * n + '}'),"
        " ('toml', 'vision = ' + '[' * n + ']' * n)]:\n"
        "    try:\n"
        "        loads(text, fmt, path='deep.' + fmt)\n"
        "    except PlanError as exc:\n"
        "        d = exc.diagnostics[0]\n"
        "        print(json.dumps([fmt, len(exc.diagnostics), d.location.path, d.location.line,"
        " d.location.column, bool(d.message.strip())]))\n"
        "    else:\n"
        "        print(json.dumps([fmt, 'accepted']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r[0] for r in rows] == ["yaml", "json", "toml"]
    for fmt, count, path, line, column, has_message in rows:
        assert count == 1 and path == f"deep.{fmt}" and has_message
        assert isinstance(line, int) and isinstance(column, int) and line >= 1 and column >= 1
    yaml_row, json_row, _toml_row = rows
    assert yaml_row[3] == 2  # the line of the vision
    assert json_row[3] == 1 and json_row[4] > len('{"vision": ')


def test_nesting_at_the_limit_is_read() -> None:
    # MAX_DEPTH levels are fine (the plan then fails for the right reason: an unknown key)
    depth = MAX_DEPTH - 1
    text = PLAN + "extra: " + "[" * depth + "]" * depth + "\n"
    error = refusal(loads, text, path="p.yaml")
    assert error.diagnostics[0].field == "extra"
    assert "unknown key 'extra'" in error.diagnostics[0].message


# ---------------------------------------------------------------------------
# Size


def test_file_larger_than_max_bytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(techdiversity.formats, "MAX_BYTES", 1000)
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN + "strategic_goal: " + "x" * 2000 + "\n", encoding="utf-8")
    error = refusal(load, path)
    assert (error.diagnostics[0].location.line, error.diagnostics[0].location.column) == (1, 1)
    assert "larger than" in str(error)
    assert_cli_refused(run_check(path), path, 1, 1, "larger than")
    # a small file still loads
    small = tmp_path / "small.yaml"
    small.write_text(PLAN, encoding="utf-8")
    assert load(small).id == "x"
    # and the byte check holds for data handed to decode directly
    with pytest.raises(PlanError, match="larger than"):
        techdiversity.formats.decode(b"x" * 1001, "big.yaml")


def _big_plan_text(actions: int) -> str:
    parts = [
        "format: 1\nplan:\n  id: big-plan\n  title: A big plan\n  period: {start: 2025, end: 2030}\n",
        "objectives:\n  - id: SO1\n    title: Objective\nstakeholders:\n  - {id: S1, name: City}\nactions:\n",
    ]
    for i in range(actions):
        parts.append(
            f"  - id: A{i}\n"
            f"    title: Action number {i}, with a title that takes some room on the line\n"
            "    description: >-\n"
            f"      {'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ' * 8}\n"
            "    contributes_to: [SO1]\n"
            "    lead: S1\n"
            "    timescale: {start: 2025-09, end: 2030-Q3}\n"
            f"    resources:\n      - {{kind: budget, amount: {i * 10}, currency: EUR, source: municipal}}\n"
        )
    return "".join(parts)


def test_a_genuinely_big_plan_loads(tmp_path: Path) -> None:
    text = _big_plan_text(4000)
    assert len(text) > 2_500_000
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    plan = load(path)
    assert len(plan.actions) == 4000
    assert plan.actions[3999].id == "A3999"
    assert plan.actions[3999].resources[0].amount == 39990
    assert plan.source is not None
    assert plan.source.locate("/actions/3999/id").line == text.count("\n", 0, text.index("id: A3999")) + 1
    # the same plan as JSON
    json_path = tmp_path / "big.json"
    dump(plan, json_path)
    assert load(json_path) == plan
    result = run_check(path)
    assert result.exit_code in (0, 1), result.output[-2000:]
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------
# Writing files


def _sample_plan() -> model.Plan:
    return loads(
        PLAN.replace("{id: x}", "{id: x, title: 'Bielsko-Biała: IT for everyone', country: PL}")
        + "objectives:\n  - {id: SO1, title: IT inspiration}\n"
        + "actions:\n  - {id: A1, title: Women in IT day, contributes_to: [SO1], timescale: {start: 2025-09}}\n"
    )


@pytest.mark.parametrize("suffix", ["yaml", "yml", "json"])
def test_dump_then_load_is_equal(suffix: str, tmp_path: Path) -> None:
    plan = _sample_plan()
    path = tmp_path / f"plan.{suffix}"
    dump(plan, path)
    assert load(path) == plan
    assert list(tmp_path.iterdir()) == [path]
    # dumping again over the existing file replaces it
    dump(attrs.evolve(plan, strategic_goal="changed"), path)
    assert load(path).strategic_goal == "changed"


def test_dump_assessment_then_load_is_equal(tmp_path: Path) -> None:
    assessment = model.AssessmentFile(
        assessment=model.Assessment(
            plan="x",
            rubric="urbact-iap",
            assessor="peer",
            scores=(model.CriterionScore(criterion="consultation-meetings", score=3, evidence="Four ULG meetings"),),
        )
    )
    path = tmp_path / "review.yaml"
    dump(assessment, path)
    assert load_assessment(path) == assessment


def test_dumps_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="cannot write"):
        dumps(_sample_plan(), "toml")


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("old content\n", encoding="utf-8")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, "new content\n")
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("old content\n", encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic_write(path, b"new content\n")
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_atomic_write_cleans_up_on_interrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("old content\n", encoding="utf-8")

    def interrupted(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, "new content\n")
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_dump_failure_leaves_the_old_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = _sample_plan()
    path = tmp_path / "plan.yaml"
    dump(plan, path)
    before = path.read_bytes()

    def broken_replace(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(techdiversity.io.os, "replace", broken_replace)
    with pytest.raises(PermissionError):
        dump(attrs.evolve(plan, strategic_goal="new"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_atomic_write_creates_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    atomic_write(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    os.chmod(path, 0o640)
    atomic_write(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_atomic_write_into_a_missing_directory_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "missing" / "plan.yaml", "x")
    assert list(tmp_path.iterdir()) == []
