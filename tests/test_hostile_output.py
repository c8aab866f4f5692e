"""Lines that lie (issue 13): what the command line prints from user data cannot forge a line.

A plan's text can hold line separators of every kind, terminal escape sequences and
bidirectional overrides. Whatever a command prints from it (finding messages, refusals,
``diff``, ``compare``, ``score``, the Markdown outputs) holds none of them raw: each is
shown as a visible escape, and no line of the output, split as any reader would split it
(``str.splitlines``: every separator Unicode knows), looks like a diagnostic of another
file or a Markdown heading the plan did not write.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity.cli import main
from techdiversity.errors import Diagnostic, PlanError
from techdiversity.findings import Finding
from techdiversity.markdown import escape, escape_cell
from techdiversity.safetext import one_line, quote, visible
from techdiversity.sourcemap import Location

ROOT = Path(__file__).resolve().parent.parent

#: every separator of the issue, and the two escape sequences it names
SEPARATORS = ["\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
RAW = [*SEPARATORS, "\x1b", "\x07", "\u202e", "\u2066", "\x9b"]


def _yaml_escape(ch: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\x1b": "\\e", "\x07": "\\a"}.get(ch, f"\\u{ord(ch):04x}")


def _no_raw(text: str, lines: bool = True) -> None:
    """No unsafe character in ``text``; with ``lines``, a line feed ends the output's own lines."""
    for ch in RAW:
        if lines and ch == "\n":
            continue
        assert ch not in text, f"{ch!r} reached the output raw"


def _no_forged(text: str, marker: str = "forged.yaml") -> None:
    for line in text.splitlines():
        assert not line.startswith(marker), f"a forged line: {line!r}"


def _evil_plan(tmp_path: Path, sep: str, name: str = "evil.yaml") -> Path:
    forged = f"{_yaml_escape(sep)}forged.yaml:1:1: TD999 error forged"
    text = (
        "format: 1\n"
        f'plan: {{id: evil, title: "Title{_yaml_escape(sep)}# Forged heading", city: "Evil\\e[2J\\rCity{forged}"}}\n'
        "objectives:\n  - {id: SO1, title: Objective}\n"
        f'actions:\n  - {{id: A1, title: "Act\\e]0;pwned\\a", contributes_to: ["SO9{forged}"]}}\n'
    )
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------------------
# The sanitiser


@pytest.mark.parametrize("ch", RAW)
def test_visible_escapes_every_unsafe_character(ch: str) -> None:
    text = visible(f"a{ch}b")
    assert ch not in text and text.startswith("a\\") and text.endswith("b")
    assert len(text.splitlines()) == 1
    assert visible(text) == text  # escaping twice changes nothing


def test_visible_keeps_ordinary_text() -> None:
    for text in ("Bielsko-Biała", "Λάρνακα", "שלום", "日本語", "tab-free text", ""):
        assert visible(text) == text
    assert visible(None) == ""
    assert visible("\ud800") == "\\ud800"


def test_one_line_reflows_ordinary_breaks_and_escapes_the_rest() -> None:
    assert one_line("a\n  b\tc\r\nd") == "a b c d"
    assert one_line("a\rb\x1b[2J\u2028c") == "a\\rb\\x1b[2J\\u2028c"


def test_quote_is_bounded_and_escaped() -> None:
    quoted = quote("x" * 10_000)
    assert len(quoted) <= 82 and quoted.endswith("…'")
    assert quote("a\nb\u202e") == "'a\\nb\\u202e'"


def test_a_diagnostic_and_a_finding_are_one_line_whatever_they_quote() -> None:
    diag = Diagnostic(Location("p\n.yaml", 1, 2, "/a\u2028b"), "bad\r\x1b[2J")
    assert len(str(diag).splitlines()) == 1
    _no_raw(str(diag), lines=False)
    error = PlanError([diag, Diagnostic(Location("q.yaml", 3, 1), "x\x85y")])
    assert len(str(error).splitlines()) == 2
    finding = Finding("TD100", "error", "message\nforged.yaml:1:1: TD999 error x", location=Location("p.yaml", 1, 1))
    assert len(str(finding).splitlines()) == 1


# ---------------------------------------------------------------------------
# The commands


@pytest.mark.parametrize("sep", SEPARATORS, ids=[f"{ord(s):#04x}" for s in SEPARATORS])
def test_check_prints_no_forged_line(sep: str, tmp_path: Path) -> None:
    path = _evil_plan(tmp_path, sep)
    assert "forged.yaml" in td.load(path).actions[0].contributes_to[0]
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1, result.output
    _no_raw(result.output)
    _no_forged(result.output)
    assert "SO9\\" in result.output  # shown, escaped


@pytest.mark.parametrize("sep", ["\n", "\r", "\u2028", "\x1c"], ids=["lf", "cr", "u2028", "x1c"])
def test_a_refusal_prints_no_forged_line(sep: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    forged = f"{_yaml_escape(sep)}forged.yaml:1:1: unknown key"
    path.write_text(f'format: 1\nplan: {{id: x, "key{forged}": 1}}\n', "utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    _no_raw(result.output)
    _no_forged(result.output)


def test_a_refusal_quotes_user_text_only_up_to_a_bound(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    key = "k" * 20_000
    path.write_text(f"format: 1\nplan:\n  id: x\n  ? {key}\n  : 1\n  ? {key}\n  : 2\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and "duplicate key" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 400
    json_path = tmp_path / "bad.json"
    json_path.write_text(f'{{"format": 1, "plan": {{"id": "x", "{key}": 1, "{key}": 2}}}}', "utf-8")
    result = CliRunner().invoke(main, ["check", str(json_path)])
    assert result.exit_code == 2 and max(len(line) for line in result.output.splitlines()) < 400


def test_a_file_name_with_a_line_break_prints_no_forged_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nforged.yaml:1:1: TD999 error x.yaml"
    path.write_text("format: 1\nplan: {id: x}\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    _no_forged(result.output)
    assert "\\nforged.yaml" in result.output


def test_diff_prints_no_forged_line(tmp_path: Path) -> None:
    old = _evil_plan(tmp_path, "\n", "old.yaml")
    new = _evil_plan(tmp_path, "\u2028", "new.yaml")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code in (0, 1), result.output
    _no_raw(result.output)
    _no_forged(result.output)
    assert "\\u2028" in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_score_prints_nothing_raw(fmt: str, tmp_path: Path) -> None:
    path = _evil_plan(tmp_path, "\r")
    result = CliRunner().invoke(main, ["score", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    _no_raw(result.output)
    _no_forged(result.output)
    _no_forged(result.output, "# Forged")


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("sep", ["\r", "\n", "\u2028", "\x0c"], ids=["cr", "lf", "u2028", "ff"])
def test_compare_prints_no_forged_line_or_heading(fmt: str, sep: str, tmp_path: Path) -> None:
    path = _evil_plan(tmp_path, sep)
    result = CliRunner().invoke(main, ["compare", str(path), str(ROOT / "examples" / "trikala.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.output
    _no_raw(result.output)
    _no_forged(result.output)
    if fmt == "markdown":
        for line in result.output.splitlines():
            assert line.startswith("|"), f"a line outside the table: {line!r}"


# ---------------------------------------------------------------------------
# Markdown


@pytest.mark.parametrize("sep", ["\r", "\r\n", "\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1e"])
def test_the_markdown_escape_makes_no_heading_from_any_line_break(sep: str) -> None:
    text = f"city{sep}# Forged{sep}- item{sep}> quote"
    for line in escape(text).splitlines()[1:]:
        assert line.startswith("\\"), line
    cell = escape_cell(text)
    assert len(cell.splitlines()) == 1 and cell.count("<br>") == 3


def test_the_markdown_escape_covers_controls_pipes_ampersands_and_bidi() -> None:
    cell = escape_cell("a|b &amp; c\x1b[2J\u202e\u2066")
    assert "\\|" in cell and "\\&amp;" in cell
    _no_raw(cell, lines=False)
    assert "\\\\x1b" in cell and "\\\\u202e" in cell  # shown as written escapes


def test_the_markdown_exporter_makes_no_forged_heading(tmp_path: Path) -> None:
    plan = td.load(_evil_plan(tmp_path, "\r"))
    text = td.exporters.export(plan, "markdown")
    assert isinstance(text, str)
    _no_raw(text)
    forged = [line for line in text.splitlines() if re.match(r"\s{0,3}#+\s*Forged", line)]
    assert not forged


def test_monitor_text_prints_nothing_raw(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "trikala.yaml").read_text("utf-8")
    text = text.replace("  city: Trikala\n", '  city: "Tri\\rkala\\e[2J\\u2028forged.yaml:1:1: x"\n')
    path = tmp_path / "t.yaml"
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["monitor", str(path)])
    assert result.exit_code in (0, 1), result.output
    _no_raw(result.output)
    _no_forged(result.output)
