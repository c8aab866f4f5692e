"""Tests of the techdiversity-docx plugin, written against techdiversity's public API only."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import docx
import pytest
import techdiversity
from click.testing import CliRunner
from docx.oxml.ns import qn
from techdiversity import plugins
from techdiversity.cli import main
from techdiversity.exporters import export, find_exporter
from techdiversity.starter import starter_plan

from techdiversity_docx import plugin
from techdiversity_docx.document import (
    ACTION_DETAILS_COLUMNS,
    ASPECT_COLUMNS,
    CITY_ACTION_TABLE_COLUMNS,
    INDICATOR_COLUMNS,
    SECTION_TITLES,
    clean,
)

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml")) if EXAMPLES_DIR.is_dir() else []
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh plugin manager, with no plugin settings from the environment."""
    monkeypatch.delenv(plugins.AUTOLOAD_ENV, raising=False)
    monkeypatch.delenv(plugins.DISABLE_ENV, raising=False)
    plugins.reset()
    yield
    plugins.reset()


# ---------------------------------------------------------------------------
# Helpers


def open_docx(data: bytes) -> Any:
    assert isinstance(data, bytes)
    assert data[:2] == b"PK"  # a zip package
    return docx.Document(io.BytesIO(data))


def all_text(document: Any) -> str:
    """Every paragraph and every table cell of the body, in one string."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def headings(document: Any, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name == f"Heading {level}"]


def table_with_header(document: Any, header: tuple[str, ...]) -> Any:
    for table in document.tables:
        if tuple(c.text for c in table.rows[0].cells) == header:
            return table
    raise AssertionError(f"no table with the header {header}")


def tables_with_header(document: Any, header: tuple[str, ...]) -> list[Any]:
    return [t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == header]


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def assert_iap_layout(document: Any, plan: Any) -> None:
    """The four IAP sections in order, the City Action Table with a row per action."""
    found = headings(document)
    positions = []
    for number, title in enumerate(SECTION_TITLES, start=1):
        wanted = f"{number} {title}"
        assert wanted in found, f"missing section heading {wanted!r} in {found}"
        positions.append(found.index(wanted))
    assert positions == sorted(positions)

    text = all_text(document)
    for action in plan.actions:
        assert clean(action.title) in text, action.id
    if plan.actions:
        table = table_with_header(document, CITY_ACTION_TABLE_COLUMNS)
        assert len(table.rows) == 1 + len(plan.actions)
        for row, action in zip(table.rows[1:], plan.actions, strict=True):
            assert row.cells[0].text.startswith(action.id)
        # one Actions Details Table per action
        assert len(tables_with_header(document, ACTION_DETAILS_COLUMNS)) == len(plan.actions)
    table_with_header(document, ASPECT_COLUMNS)


# ---------------------------------------------------------------------------
# Discovery through the entry point


def test_entry_point_is_declared() -> None:
    eps = {ep.name: ep for ep in metadata.entry_points(group="techdiversity")}
    assert "docx" in eps
    assert eps["docx"].value == "techdiversity_docx.plugin"
    assert eps["docx"].load() is plugin


def test_exporter_is_found_by_the_host() -> None:
    plugins.reset()
    found = {e.name: e for e in plugins.all_exporters()}
    assert "docx" in found
    exporter = found["docx"]
    assert exporter.plugin == "docx"
    assert exporter.title == "Word document (IAP layout)"
    assert exporter.suffix == ".docx"
    assert exporter.media_type == DOCX_MEDIA_TYPE
    assert exporter.binary is True
    assert exporter.description
    assert find_exporter("docx").function is plugin.export_docx
    assert not plugins.failures()
    info = {p.name: p for p in plugins.plugins()}["docx"]
    assert info.distribution == "techdiversity-docx"
    assert info.version == "0.1.0"
    assert "techdiversity_exporters" in info.hooks


def test_disabled_plugin_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.DISABLE_ENV, "docx")
    plugins.reset(keep_settings=True)
    assert "docx" not in {e.name for e in plugins.all_exporters()}


# ---------------------------------------------------------------------------
# Real plans


def test_starter_plan() -> None:
    plan = techdiversity.loads(starter_plan())
    data = export(plan, "docx")
    document = open_docx(data)
    assert_iap_layout(document, plan)
    assert document.core_properties.title == plan.plan.title
    text = all_text(document)
    assert plan.vision.headline in text
    assert "Annex B Findings of the checks" in headings(document)
    assert "Annex C Scorecards" in headings(document)


@pytest.mark.skipif(not EXAMPLES, reason="no examples next to this plugin")
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples(path: Path) -> None:
    plan = techdiversity.load(path)
    document = open_docx(export(plan, "docx"))
    assert_iap_layout(document, plan)
    text = all_text(document)
    for problem in plan.problems:
        assert clean(problem.statement) in text
    for indicator in plan.indicators:
        assert clean(indicator.name) in text
    # the findings of the checks are in the annex
    for finding in techdiversity.check(plan).findings:
        assert finding.code in text


# ---------------------------------------------------------------------------
# A small plan with known content


def small_plan_data() -> dict[str, Any]:
    return {
        "format": 1,
        "plan": {
            "id": "testville-iap",
            "city": "Testville",
            "country": "PL",
            "network": "TechDiversity",
            "programme": "URBACT IV",
            "title": "Testville for every talent",
            "version": "1.2.3",
            "status": "consulted",
            "period": {"start": 2025, "end": 2030},
        },
        "context": {
            "theme": "Diversity in tech",
            "current_situation": "First paragraph.\n\nSecond paragraph.",
            "related_strategies": [{"title": "Strategy 2030", "link": "https://example.org/s"}],
            "target_groups": ["women", "night-owls"],
            "integration_challenges": ["Join up schools and employers"],
        },
        "vision": {"horizon": 2040, "headline": "Half of the new hires are women", "text": "The article."},
        "strategic_goal": "Open the ecosystem",
        "problems": [
            {
                "id": "P1",
                "statement": "Few women in tech",
                "core": True,
                "causes": ["P2"],
                "evidence": [{"source": "Stats office", "finding": "17% of graduates"}],
            },
            {"id": "P2", "statement": "Few role models"},
        ],
        "objectives": [{"id": "SO1", "title": "Inspiration", "addresses": ["P1", "P2"]}],
        "actions": [
            {
                "id": "A1",
                "title": "Curriculum design",
                "contributes_to": ["SO1"],
                "outputs": ["1 curriculum"],
                "timescale": {"start": "2025-03", "end": "2025-12"},
                "lead": "S1",
                "resources": [
                    {"kind": "budget", "amount": 25000, "currency": "EUR", "source": "municipal"},
                    {"kind": "staff", "amount": 0.5, "unit": "fte", "source": "national"},
                ],
                "implementation_notes": "Employers validate each module",
            },
            {
                "id": "A2",
                "title": "Bootcamps",
                "contributes_to": ["SO1"],
                "depends_on": ["A1"],
                "timescale": {"start": "2026-01", "end": "2030-06"},
                "resources": [
                    {"kind": "budget", "amount": 450000, "currency": "EUR", "source": "esf-plus"},
                    {"kind": "budget", "amount": 25000, "currency": "EUR", "source": "municipal"},
                ],
            },
        ],
        "indicators": [
            {
                "id": "I1",
                "name": "Bootcamp graduates",
                "kind": "output",
                "measures": ["A2"],
                "unit": "persons",
                "baseline": {"value": 0, "date": 2024},
                "target": {"value": 200, "date": 2030},
                "milestones": [{"value": 80, "date": 2027}],
                "source": "Registers",
            }
        ],
        "stakeholders": [
            {"id": "S1", "name": "City IT department", "type": "public-authority", "participation": "partner"}
        ],
        "meetings": [{"date": "2024-06-14", "kind": "ulg", "topic": "Vision", "participants": ["S1"]}],
        "risks": [
            {
                "id": "R1",
                "description": "Low turnout",
                "likelihood": "medium",
                "impact": "high",
                "mitigation": "Outreach with schools",
                "affects": ["A2"],
            }
        ],
        "testing_actions": [
            {
                "id": "T1",
                "challenge": "Increase diversity",
                "what_if": "What if a day were made by women?",
                "hypothesis": "A women-led day raises attendance",
                "idea": "Women in IT day",
                "measurement": "Share of women",
                "purposes": ["proof-of-concept"],
                "tests": ["A2"],
                "status": "done",
            }
        ],
        "integration": {
            "types": {"horizontal": {"situation": "Some partners", "progress": "All main actors", "score": 3}},
            "aspects": [
                {
                    "aspect": "stakeholder-involvement-in-planning",
                    "relevant": True,
                    "why": "The ULG plans together",
                    "baseline": 3,
                    "future_actions": "Open ULG meetings",
                }
            ],
        },
        "implementation": {
            "governance": "A steering group",
            "monitoring": "Yearly report",
            "communication": "Newsletter",
            "funding_strategy": "ESF+ and the city budget",
        },
    }


def small_plan(**changes: Any) -> Any:
    data = small_plan_data()
    data.update(changes)
    return techdiversity.loads(json.dumps(data), format="json")


def test_small_plan_sections() -> None:
    plan = small_plan()
    document = open_docx(export(plan, "docx"))
    assert_iap_layout(document, plan)
    text = all_text(document)

    # title page
    for value in ("Testville", "Testville for every talent", "TechDiversity", "URBACT IV", "Consulted", "1.2.3"):
        assert value in text
    assert "2025 – 2030" in text

    # 1: the problem tree knows causes written on either side
    tree = table_with_header(document, ("Id", "Problem", "Causes (roots)", "Effects (branches)", "Evidence"))
    rows = {r.cells[0].text: r for r in tree.rows[1:]}
    assert "P2 Few role models" in rows["P1"].cells[2].text
    assert "P1 Few women in tech" in rows["P2"].cells[3].text
    assert "Stats office" in rows["P1"].cells[4].text
    assert "2040: Half of the new hires are women" in text
    assert "First paragraph." in text and "Second paragraph." in text

    # 2: objectives with problems; five integration types; twelve aspects
    objectives = table_with_header(
        document, ("Id", "Specific objective", "Problems addressed", "Target groups", "Actions")
    )
    assert "P1 Few women in tech" in objectives.rows[1].cells[2].text
    types = table_with_header(
        document,
        (
            "Types of integration",
            "Description",
            "What is the current situation?",
            "To what extent can progress be made?",
            "Score (1-5)",
        ),
    )
    assert len(types.rows) == 1 + 5
    aspects = table_with_header(document, ASPECT_COLUMNS)
    assert len(aspects.rows) == 1 + 12
    first = [c.text for c in aspects.rows[1].cells]
    assert first[1:] == ["Yes", "The ULG plans together", "3 / 5", "Open ULG meetings"]

    # 3: details of A2 name its dependency, the action that tests it
    details = tables_with_header(document, ACTION_DETAILS_COLUMNS)
    a2 = [c.text for c in details[1].rows[1].cells]
    assert a2[0] == "2026-01 – 2030-06"
    assert "A1 Curriculum design" in a2[2]
    assert "T1" in a2[2]
    a1 = [c.text for c in details[0].rows[1].cells]
    assert "A2 Bootcamps" in a1[2]  # needed by
    assert a1[3] == "Employers validate each module"

    # 4: indicators, budget by funding source, risks, stakeholders, testing actions
    indicators = table_with_header(
        document,
        tuple(c for c in INDICATOR_COLUMNS if c != "Latest actual"),  # nothing monitored yet
    )
    assert [c.text for c in indicators.rows[1].cells] == [
        "I1 Bootcamp graduates\n(output, persons)",
        "A2",
        "0 (2024)",
        "80 (2027)",
        "200 (2030)",
        "Registers",
    ]
    budget = table_with_header(document, ("Funding source", "Amount", "Share", "Actions"))
    rows_text = [[c.text for c in r.cells] for r in budget.rows[1:]]
    assert ["ESF+", "450,000 EUR", "90%", "A2"] in rows_text
    assert ["Municipal", "50,000 EUR", "10%", "A1, A2"] in rows_text
    assert ["Total (EUR)", "500,000 EUR", "100%", ""] in rows_text
    assert "0.5 fte" in text  # staff time, in the other resources
    risks = table_with_header(document, ("Id", "Risk", "Likelihood", "Impact", "Mitigation", "Affects"))
    assert [c.text for c in risks.rows[1].cells][:5] == ["R1", "Low turnout", "Medium", "High", "Outreach with schools"]
    ulg = table_with_header(
        document, ("Id", "Stakeholder", "Type", "Participation", "Represents", "Role in actions", "Meetings")
    )
    assert [c.text for c in ulg.rows[1].cells][3] == "Partner"
    assert "What if a day were made by women?" in text
    assert "A steering group" in text and "Newsletter" in text


def test_monitored_indicator_shows_its_latest_actual() -> None:
    data = small_plan_data()
    data["indicators"][0]["actuals"] = [{"value": 40, "date": "2027-06"}, {"value": 25, "date": "2026-12"}]
    plan = techdiversity.loads(json.dumps(data), format="json")
    document = open_docx(export(plan, "docx"))
    indicators = table_with_header(document, INDICATOR_COLUMNS)
    assert indicators.rows[1].cells[5].text == "40 (2027-06)"


def test_empty_plan() -> None:
    plan = techdiversity.loads('{"format": 1, "plan": {"id": "empty"}}', format="json")
    document = open_docx(export(plan, "docx"))
    assert_iap_layout(document, plan)
    assert "No actions planned yet." in all_text(document)


def test_options_leave_out_annexes() -> None:
    plan = small_plan()
    document = open_docx(export(plan, "docx", options={"annex": "no", "canvas": "no"}))
    found = headings(document)
    assert not [h for h in found if h.startswith("Annex")]
    assert_iap_layout(document, plan)


def test_landscape_section_for_the_action_tables() -> None:
    document = open_docx(export(small_plan(), "docx"))
    widths = [s.page_width > s.page_height for s in document.sections]
    assert widths[:3] == [False, True, False]


# ---------------------------------------------------------------------------
# Hostile text

ARABIC = "خطة العمل المتكاملة"
HEBREW = "תוכנית פעולה משולבת"
CJK = "综合行动计划 統合行動計画"
LONG_WORD = "Donaudampfschifffahrt" * 300
FORMULA = "=cmd|' /C calc'!A0"
HOSTILE = f"<script>alert('x')</script> & AT&T a\x0bb c\x1bd {ARABIC} {HEBREW} {CJK} {LONG_WORD} {FORMULA}"


def hostile_plan() -> tuple[Any, dict[str, str]]:
    """The small plan with hostile text, each copy tagged, in many free-text fields."""
    data = small_plan_data()
    tagged: dict[str, str] = {}

    def put(container: dict[str, Any], key: str, tag: str) -> None:
        value = f"[{tag}] {HOSTILE}"
        container[key] = value
        tagged[tag] = value

    put(data["plan"], "city", "city")
    put(data["plan"], "title", "title")
    put(data["context"], "theme", "theme")
    put(data["context"], "current_situation", "situation")
    data["context"]["integration_challenges"].append(f"[challenge] {HOSTILE}")
    tagged["challenge"] = data["context"]["integration_challenges"][-1]
    put(data["vision"], "headline", "headline")
    put(data["vision"], "text", "vision")
    put(data, "strategic_goal", "goal")
    put(data["problems"][0], "statement", "problem")
    put(data["problems"][0]["evidence"][0], "finding", "evidence")
    put(data["objectives"][0], "title", "objective")
    for n, action in enumerate(data["actions"]):
        put(action, "title", f"action{n}")
        put(action, "description", f"description{n}")
        put(action, "implementation_notes", f"notes{n}")
        action["outputs"] = [f"[output{n}] {HOSTILE}"]
        tagged[f"output{n}"] = action["outputs"][0]
    put(data["indicators"][0], "name", "indicator")
    put(data["stakeholders"][0], "name", "stakeholder")
    put(data["meetings"][0], "topic", "meeting")
    put(data["risks"][0], "mitigation", "mitigation")
    put(data["testing_actions"][0], "learnings", "learnings")
    put(data["integration"]["types"]["horizontal"], "situation", "type")
    put(data["integration"]["aspects"][0], "why", "why")
    put(data["implementation"], "governance", "governance")
    put(data["implementation"], "funding_strategy", "funding")
    plan = techdiversity.loads(json.dumps(data), format="json")
    return plan, tagged


def test_hostile_text_survives() -> None:
    plan, tagged = hostile_plan()
    data = export(plan, "docx")
    document = open_docx(data)
    assert_iap_layout(document, plan)
    text = all_text(document)
    for tag, value in tagged.items():
        expected = clean(value)
        assert "\x0b" not in expected and "\x1b" not in expected
        assert expected in text, tag
    for piece in ("<script>alert('x')</script>", "& AT&T", "a\nb", "c␛d", ARABIC, HEBREW, CJK, LONG_WORD, FORMULA):
        assert piece in text
    xml = document_xml(data)
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
    assert document.core_properties.title.startswith("[title] <script>")


def test_right_to_left_paragraphs_are_marked() -> None:
    plan = small_plan(strategic_goal=f"{ARABIC} — {HEBREW}")
    data = export(plan, "docx")
    document = open_docx(data)
    marked = [p.text for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None]
    # the goal itself, not the left-to-right "Strategic goal: ..." line of section 2
    assert marked == [f"{ARABIC} — {HEBREW}"]
    assert f"Strategic goal: {ARABIC}" in all_text(document)


CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"x{ord(c):02x}" for c in CONTROLS])
def test_every_control_character(char: str) -> None:
    value = f"before{char}after"
    cleaned = clean(value)
    assert cleaned.startswith("before") and cleaned.endswith("after")
    assert len(cleaned) == len(value)  # replaced, not dropped
    if char in "\x0b\x0c":
        assert cleaned == "before\nafter"
    else:
        assert cleaned == f"before{chr(0x2400 + ord(char))}after"
    plan = small_plan(strategic_goal=value)
    document = open_docx(export(plan, "docx"))
    assert cleaned in all_text(document)


def test_clean_details() -> None:
    assert clean(None) == ""
    assert clean(12) == "12"
    assert clean("a\r\nb\rc") == "a\nb\nc"
    assert clean("tab\tstays") == "tab\tstays"
    assert clean("\ud800x\ufffe\uffff") == "\ufffdx\ufffd\ufffd"
    assert clean("\x1b") == "␛"


def test_clean_gives_text_python_docx_accepts() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")
    document = docx.Document()

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(alphabet=st.characters(exclude_categories=()), max_size=40))
    def check(text: str) -> None:
        cleaned = clean(text)
        assert clean(cleaned) == cleaned
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", cleaned)
        document.add_paragraph(cleaned)  # raises ValueError on text Word cannot hold

    check()
    document.save(io.BytesIO())


# ---------------------------------------------------------------------------
# The command line


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(starter_plan(city="Testville"), "utf-8")
    return path


def test_cli_export_writes_a_docx(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["export", str(plan_file), "--to", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    document = open_docx(data)
    assert_iap_layout(document, techdiversity.load(plan_file))
    assert "Testville" in all_text(document)


def test_cli_export_without_output_is_refused(plan_file: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(plan_file), "--to", "docx"])
    assert result.exit_code == 2
    assert "binary" in result.output
    assert "PK" not in result.stdout


def test_cli_export_option(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "short.docx"
    args = ["export", str(plan_file), "--to", "docx", "-o", str(out), "--option", "annex=no"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not [h for h in headings(open_docx(out.read_bytes())) if h.startswith("Annex B")]


def test_cli_lists_the_exporter() -> None:
    result = CliRunner().invoke(main, ["exporters", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    items = listed if isinstance(listed, list) else listed.get("exporters", [])
    (entry,) = [e for e in items if e["name"] == "docx"]
    assert entry["binary"] is True


def test_cli_no_plugins_hides_the_exporter(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    result = CliRunner().invoke(main, ["--no-plugins", "export", str(plan_file), "--to", "docx", "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
