"""What a researcher sees: help() and dir() of the package, one-line reprs, notebook tables."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import techdiversity as td
from techdiversity import display as _display
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "Evil\x1b[31m <script>alert(1)</script>\nCity & co \u202e"


def _fresh(code: str) -> str:
    """Run code in a fresh interpreter (nothing of the package imported yet), return its stdout."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_dir_lists_the_lazy_api_before_anything_is_used() -> None:
    names = set(json.loads(_fresh("import json, techdiversity as td; print(json.dumps(dir(td)))")))
    assert set(td.__all__) <= names
    assert {"model", "io", "checks", "rubrics", "exporters", "network", "plugins", "hookspecs"} <= names


def test_help_shows_the_lazy_api() -> None:
    text = _fresh("import pydoc, techdiversity as td; print(pydoc.render_doc(td, renderer=pydoc.plaintext))")
    for name in ("class Plan", "class ScoreCard", "class Report", "class Network", "class PlanError"):
        assert name in text, name
    for name in ("load(path", "dump(obj", "check(plan", "score(plan", "graph(plan"):
        assert name in text, name
    assert "Functions: ``load``" in text  # the docstring says what there is


def _hostile_plan() -> td.Plan:
    plan = td.loads(starter_plan(city="Testville"))
    return attrs.evolve(plan, plan=attrs.evolve(plan.plan, city=HOSTILE))


def _assert_one_clean_line(text: str) -> None:
    assert "\n" not in text and "\x1b" not in text and "\u202e" not in text, text
    assert len(text) <= 200, text


def test_scorecard_repr_is_one_short_line() -> None:
    card = td.score(td.load(ROOT / "examples" / "trikala.yaml"))
    text = repr(card)
    _assert_one_clean_line(text)
    results = list(card.results())
    unscored = sum(1 for r in results if r.score is None)
    assert text == (
        f"<ScoreCard urbact-iap {card.rubric.version} of plan trikala-iap: {card.total}/{card.max},"
        f" {len(results)} criteria ({unscored} without a score)>"
    )
    review = td.load_assessment(ROOT / "examples" / "assessments" / "trikala-peer-review.yaml")
    reviewed = td.score(td.load(ROOT / "examples" / "trikala.yaml"), "urbact-iap", [review])
    assert repr(reviewed).endswith(", assessors: peer-review-idrija>")


def test_report_repr_is_one_short_line() -> None:
    report = td.check(td.load(ROOT / "examples" / "arezzo.yaml"))
    text = repr(report)
    _assert_one_clean_line(text)
    counts = ", ".join(f"{report.count(s)} {s}" for s in ("error", "warning", "info"))
    assert text == f"<Report of plan arezzo-iap ({report.path}): {len(report)} findings: {counts}>"


def test_network_repr_is_one_short_line_even_for_hostile_names() -> None:
    network = td.Network([_hostile_plan(), *(td.load(p) for p in sorted((ROOT / "examples").glob("*.yaml")))])
    text = repr(network)
    _assert_one_clean_line(text)
    assert text.startswith("<Network of 9 plans: Evil\\x1b[31m <script>") and text.endswith("…; 0 unreadable>")


class _Table(HTMLParser):
    """The cells of the one table of a _repr_html_, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.caption = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
            self._in = "cell"
        elif tag == "caption":
            self._in = "caption"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "caption"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "cell":
            self.rows[-1][-1] += data
        elif self._in == "caption":
            self.caption += data


def _parse(html: str) -> _Table:
    table = _Table()
    table.feed(html)
    assert table.tags.count("table") == 1
    assert "script" not in table.tags  # hostile text stays text
    return table


def test_scorecard_html_is_a_table_of_the_criteria() -> None:
    card = td.score(_hostile_plan())
    table = _parse(card._repr_html_())
    header, *rows = table.rows
    assert header == ["Criterion", "Automatic", "Score", "Evidence"]
    assert len(rows) == len(card.sections) + len(list(card.results()))
    assert all(len(r) == len(header) for r in rows)
    assert table.caption.endswith(f"plan {card.plan_id}: {card.total}/{card.max}")
    first = card.sections[0].criteria[0]
    assert rows[1][0] == first.criterion.title and rows[1][2] == str(first.score)


def test_report_html_escapes_what_the_plan_says() -> None:
    from techdiversity.findings import Finding, Report

    report = Report(HOSTILE, None, (Finding("TD100", "error", HOSTILE, ("A1",), "/actions/0"),))
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    table = _parse(html)
    assert table.rows == [["Place", "Code", "Severity", "Message"], ["/actions/0", "TD100", "error", HOSTILE]]
    _assert_one_clean_line(repr(report))
    real = td.check(td.load(ROOT / "examples" / "psahna.yaml"))
    rows = _parse(real._repr_html_()).rows[1:]
    assert [r[1] for r in rows] == [f.code for f in real] and rows[0][0] == str(real.findings[0].location)


def test_network_html_has_a_row_per_plan_and_per_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(starter_plan(city=HOSTILE.replace("\n", " ")), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("format: 1\nplan: [\n", encoding="utf-8")
    network = td.Network.load(tmp_path)
    table = _parse(network._repr_html_())
    header, *rows = table.rows
    assert header[:2] == ["City", "Plan"] and len(rows) == 2
    assert rows[0][0] == " ".join(HOSTILE.split()) or rows[0][0] == HOSTILE.replace("\n", " ")
    assert rows[1][0].endswith("bad.yaml") and rows[1][1] == "could not be read"
    assert "1 file(s) could not be read" in table.caption


def test_long_tables_are_cut_with_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_display, "MAX_ROWS", 3)
    card = td.score(td.load(ROOT / "examples" / "trikala.yaml"))
    table = _parse(card._repr_html_())
    total = len(card.sections) + len(list(card.results()))
    assert len(table.rows) == 1 + 3 + 1 and table.rows[-1] == [f"… {total - 3} more"]
