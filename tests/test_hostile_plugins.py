"""Plugins that misbehave (issue 13): each is named on stderr and skipped, and the command goes on.

Every plugin here is a real distribution on ``sys.path`` (as :func:`make_distribution`
of ``test_plugins.py`` writes it), loaded through its entry point like any third party's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity import plugins
from techdiversity.cli import main
from techdiversity.errors import PlanError
from test_plugins import make_distribution

ROOT = Path(__file__).resolve().parent.parent

HEADER = """
import sys
from techdiversity.checks import Check
from techdiversity.findings import Finding
from techdiversity.hookspecs import hookimpl
from techdiversity.rubrics import Criterion, Judgement, Rubric, Section, judged
"""

MODULES = {
    # a finding whose message is not text, and one whose subjects are one text, not a tuple
    "td_bad_fields": HEADER
    + """
def _none(ctx):
    yield Finding("BF100", "warning", None)

def _subjects(ctx):
    yield Finding("BF101", "warning", "a message", subjects="A1")

@hookimpl
def techdiversity_checks():
    return [Check("BF100", "bad-message", "warning", "t", why="x", fix="y", function=_none),
            Check("BF101", "bad-subjects", "warning", "t", why="x", fix="y", function=_subjects),
            Check("BF102", "fine", "info", "t", why="x", fix="y",
                  function=lambda ctx: [ctx.finding("a fine finding")])]
""",
    # a check that reports under a built-in's code, one that takes a TD code, one a built-in's name
    "td_impostor": HEADER
    + """
def _forged(ctx):
    yield Finding("TD100", "error", "forged: a dangling link")

@hookimpl
def techdiversity_checks():
    return [Check("IM100", "impostor", "error", "t", why="x", fix="y", function=_forged),
            Check("TD999", "td-code", "error", "t", why="x", fix="y", function=lambda ctx: []),
            Check("IM101", "dangling-link", "error", "t", why="x", fix="y", function=lambda ctx: [])]
""",
    # a check that calls sys.exit(0): it must not make a failing plan pass
    "td_exiting_check": HEADER
    + """
def _exit(ctx):
    sys.exit(0)
    yield

@hookimpl
def techdiversity_checks():
    return [Check("EX100", "exits", "info", "t", why="x", fix="y", function=_exit)]
""",
    # a hook that calls sys.exit(3)
    "td_exiting_hook": HEADER
    + """
@hookimpl
def techdiversity_rubrics():
    sys.exit(3)
""",
    # scorers that return garbage: a fractional score, a reason that is a number, elements that are numbers
    "td_garbage_scorer": HEADER
    + """
def _fraction(ctx):
    return Judgement(3.5, "three and a half")

def _reason(ctx):
    return Judgement(3, 42, (1, 2))

def _string(ctx):
    return "5"

@hookimpl
def techdiversity_rubrics():
    criteria = (
        Criterion("fraction", "Fraction", ("one", "three", "five"), _fraction),
        Criterion("reason", "Reason", ("one", "three", "five"), _reason),
        Criterion("string", "String", ("one", "three", "five"), _string),
        Criterion("fine", "Fine", ("one", "three", "five"), lambda ctx: judged(3, "always 3")),
    )
    return [Rubric("garbage", "A garbage rubric", "1", (Section("1", "All", criteria),))]
""",
    # exporters that return neither text nor bytes, or call sys.exit
    "td_bad_exporter": """
import sys
from techdiversity.exporters import Exporter
from techdiversity.hookspecs import hookimpl

def _exit(ctx):
    sys.exit(0)

@hookimpl
def techdiversity_exporters():
    return [Exporter("junk", "Junk", ".junk", "text/plain", lambda ctx: ["not", "text"]),
            Exporter("leave", "Leave", ".leave", "text/plain", _exit)]
""",
    # readers that return garbage
    "td_bad_reader": """
import sys
from techdiversity.hookspecs import hookimpl
from techdiversity.readers import Reader, ReadResult
from techdiversity.sourcemap import SourceMap

def _dict(content, path):
    return {"format": 1, "plan": {"id": "x"}}

def _object(content, path):
    return ReadResult({"format": 1, "plan": {"id": object()}}, SourceMap(path))

def _exit(content, path):
    sys.exit(0)

def _cycle(content, path):
    data = {"format": 1, "plan": {"id": "x"}, "actions": []}
    data["actions"].append(data)
    return ReadResult(data, SourceMap(path))

def _surrogate(content, path):
    return ReadResult({"format": 1, "plan": {"id": "x", "title": "a\\ud800"}}, SourceMap(path))

def _raise(content, path):
    raise KeyError("oops")

@hookimpl
def techdiversity_readers():
    return [Reader("gdict", "Garbage dict", (".gdict",), _dict),
            Reader("gobj", "Garbage object", (".gobj",), _object),
            Reader("gexit", "Exits", (".gexit",), _exit),
            Reader("gcycle", "A cycle", (".gcycle",), _cycle),
            Reader("gsurr", "A surrogate", (".gsurr",), _surrogate),
            Reader("graise", "Raises", (".graise",), _raise)]
""",
}

ENTRY_POINTS = {
    "bad_fields": "td_bad_fields",
    "impostor": "td_impostor",
    "exiting_check": "td_exiting_check",
    "exiting_hook": "td_exiting_hook",
    "garbage_scorer": "td_garbage_scorer",
    "bad_exporter": "td_bad_exporter",
    "bad_reader": "td_bad_reader",
}


@pytest.fixture
def hostile_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    make_distribution(root, "td_hostile_plugins", ENTRY_POINTS, MODULES)
    monkeypatch.syspath_prepend(str(root))
    plugins.reset()
    return root


@pytest.fixture
def failing_plan(tmp_path: Path) -> Path:
    """A plan with an error finding (an action contributing to an objective that does not exist)."""
    path = tmp_path / "plan.yaml"
    path.write_text(
        "format: 1\nplan: {id: x}\nobjectives:\n  - {id: SO1, title: O}\n"
        "actions:\n  - {id: A1, title: A, contributes_to: [SO9]}\n",
        "utf-8",
    )
    return path


def _failures(name: str) -> list[plugins.Failure]:
    return [f for f in plugins.failures() if f.plugin == name]


def test_findings_with_wrongly_typed_fields_are_skipped(hostile_plugins: Path, failing_plan: Path) -> None:
    report = td.check(td.load(failing_plan))
    assert "BF100" not in report.codes() and "BF101" not in report.codes()
    assert "BF102" in report.codes()  # the plugin's good check still reports
    reasons = {f.skipped: f.reason for f in _failures("bad_fields")}
    assert "message is NoneType, not text" in reasons["the findings of check 'BF100'"]
    assert "subjects are not a tuple" in reasons["the findings of check 'BF101'"]
    str(report.findings[0])
    for f in report:
        f.to_json()


def test_plugins_cannot_report_under_td_codes_or_take_a_builtin_name(hostile_plugins: Path, failing_plan: Path) -> None:
    registry = {c.code: c for c in td.checks.registry()}
    assert "TD999" not in registry and "IM101" not in registry and "IM100" in registry
    assert registry["TD100"].plugin == "techdiversity"
    report = td.check(td.load(failing_plan))
    assert not any("forged" in f.message for f in report)
    assert [f.code for f in report if f.code == "TD100"] == ["TD100"]  # the built-in's own, once
    skipped = {f.skipped: f.reason for f in _failures("impostor")}
    forged = skipped["the findings of check 'IM100'"]
    assert "TD100" in forged and "built-in" in forged
    assert "built-in" in skipped["check 'TD999'"]
    assert "dangling-link" in skipped["check 'IM101'"]


def test_sys_exit_in_a_check_does_not_decide_the_exit_status(hostile_plugins: Path, failing_plan: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(failing_plan)])
    assert result.exit_code == 1, result.output  # the plan's error still fails it
    assert "plugin 'exiting_check': the findings of check 'EX100' skipped: it called sys.exit(0)" in result.output
    assert "TD100 error" in result.output


def test_sys_exit_in_a_hook_loses_that_hook_only(hostile_plugins: Path, failing_plan: Path) -> None:
    result = CliRunner().invoke(main, ["score", str(failing_plan)])
    assert result.exit_code == 0, result.output
    assert "plugin 'exiting_hook': its rubrics skipped: techdiversity_rubrics called sys.exit(3)" in result.output


def test_a_scorer_returning_garbage_is_skipped_and_the_html_export_works(
    hostile_plugins: Path, failing_plan: Path, tmp_path: Path
) -> None:
    card = td.score(td.load(failing_plan), "garbage")
    results = {r.criterion.id: r for s in card.sections for r in s.criteria}
    assert results["fine"].score == 3
    for cid in ("fraction", "reason", "string"):
        assert results[cid].score is None, cid
        assert _failures("garbage_scorer") and any(cid in f.skipped for f in _failures("garbage_scorer"))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["export", str(failing_plan), "--rubric", "garbage", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "automatic score of garbage/fraction skipped" in result.output
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("name", "words"), [("junk", "neither text nor bytes"), ("leave", "sys.exit(0)")])
def test_an_exporter_returning_neither_text_nor_bytes_is_named(
    hostile_plugins: Path, failing_plan: Path, tmp_path: Path, name: str, words: str
) -> None:
    out = tmp_path / f"out.{name}"
    result = CliRunner().invoke(main, ["export", str(failing_plan), "--to", name, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    assert f"the {name} exporter of plugin 'bad_exporter' failed" in result.output and words in result.output
    # the built-in exporters still work
    good = CliRunner().invoke(main, ["export", str(failing_plan), "--to", "markdown"])
    assert good.exit_code == 0


@pytest.mark.parametrize(
    ("suffix", "words"),
    [
        ("gdict", "returned dict, not a ReadResult"),
        ("gobj", "holds object, not plain data"),
        ("gexit", "called sys.exit(0)"),
        ("gcycle", "inside itself"),
        ("gsurr", "lone surrogate"),
        ("graise", "raised KeyError"),
    ],
)
def test_a_reader_returning_garbage_is_named_and_the_file_refused(
    hostile_plugins: Path, tmp_path: Path, failing_plan: Path, suffix: str, words: str
) -> None:
    path = tmp_path / f"plan.{suffix}"
    path.write_bytes(b"anything")
    with pytest.raises(PlanError, match="of plugin 'bad_reader' failed"):
        td.load(path)
    result = CliRunner().invoke(main, ["check", str(path), str(failing_plan)])
    assert result.exit_code == 2, result.output  # one file unreadable; the other still checked
    assert "Traceback" not in result.output and words in result.output
    assert "1 plan(s) checked" in result.output


def test_keyboard_interrupt_in_a_plugin_still_stops_the_run(tmp_path: Path, failing_plan: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    make_distribution(
        root,
        "td_ctrl_c",
        {"ctrl_c": "td_ctrl_c"},
        {
            "td_ctrl_c": HEADER
            + """
def _interrupt(ctx):
    raise KeyboardInterrupt
    yield

@hookimpl
def techdiversity_checks():
    return [Check("KI100", "interrupt", "info", "t", why="x", fix="y", function=_interrupt)]
"""
        },
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), *sys.path])}
    env.pop("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", None)
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", str(failing_plan)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr and "interrupted" in proc.stderr
