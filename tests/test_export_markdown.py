"""The Markdown report: every plan exports, user text stays visible but escaped, tables keep their shape.

Tables are checked twice: by counting the unescaped pipes of each row, and by rendering
the document with Python-Markdown (its ``tables`` extension) and counting the cells of
each HTML row; the rendered HTML must hold no element the user wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import techdiversity
from techdiversity.cli import main
from techdiversity.dates import PartialDate
from techdiversity.exporters import export, find_exporter
from techdiversity.exporters.markdown import md, md_cell, mermaid_label
from techdiversity.findings import Finding, Report
from techdiversity.model import Measurement, Plan
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "| pipe |",
    "# heading",
    "*bold* _em_ `code`",
    "vertical\x0btab and\x00nul",
    "مدينة للجميع",
    "עיר לכולם",
    "Ψηφιακή πόλη",
    "Цифровой город",
    "数字城市与多样性",
    "Supercalifragilistic" * 30,
    "line one\nline two\r\n- line three\n1. four",
    "![x](http://x/y.png) [link](javascript:alert(1))",
    "&lt;script&gt; &amp;",
    "```\nfenced\n```",
    "a \\| b \\\\| c",
    "> quote\n---",
]

#: The single-line strings that must show, unchanged, after Markdown unescaping.
VISIBLE = [h for h in HOSTILE if "\n" not in h and "\x0b" not in h and "\x00" not in h]


def _h(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def starter() -> Plan:
    return techdiversity.loads(starter_plan(city="Testville"))


def hostile_plan() -> Plan:
    plan = starter()
    text = "\n".join(HOSTILE)
    assert plan.context is not None and plan.vision is not None and plan.implementation is not None
    return attrs.evolve(
        plan,
        plan=attrs.evolve(plan.plan, city=_h(0), title=_h(1), network=_h(7), programme=_h(11), version=_h(2)),
        context=attrs.evolve(
            plan.context,
            theme=_h(4),
            current_situation=text,
            integration_challenges=tuple(HOSTILE),
            target_groups=("women", "<b>x</b>"),
            related_strategies=(attrs.evolve(plan.context.related_strategies[0], title=_h(3), link=_h(14)),),
        ),
        vision=attrs.evolve(plan.vision, headline=_h(0), text=text),
        strategic_goal=_h(3),
        problems=tuple(attrs.evolve(p, statement=_h(i + 7)) for i, p in enumerate(plan.problems)),
        objectives=tuple(attrs.evolve(o, title=_h(3), description=text) for o in plan.objectives),
        actions=tuple(
            attrs.evolve(
                a,
                title=_h(0),
                description=text,
                intended_results=_h(3),
                outputs=tuple(HOSTILE),
                long_term_change=_h(12),
                resources=tuple(attrs.evolve(r, description=_h(3), currency="|") for r in a.resources),
            )
            for a in plan.actions
        ),
        indicators=tuple(
            attrs.evolve(
                ind,
                name=_h(i + 3),
                unit=_h(3),
                source=_h(13),
                target=Measurement(value=_h(3)),
                actuals=(Measurement(value=_h(1)),),
            )
            for i, ind in enumerate(plan.indicators)
        ),
        stakeholders=tuple(attrs.evolve(s, name=_h(i + 7)) for i, s in enumerate(plan.stakeholders)),
        meetings=tuple(attrs.evolve(m, topic=_h(3)) for m in plan.meetings),
        risks=tuple(attrs.evolve(r, description=_h(3), mitigation=text) for r in plan.risks),
        testing_actions=tuple(
            attrs.evolve(t, challenge=_h(0), what_if=_h(3), hypothesis=_h(4), idea=_h(5), learnings=text)
            for t in plan.testing_actions
        ),
        implementation=attrs.evolve(plan.implementation, governance=_h(0), monitoring=_h(3), communication=text),
    )


def hostile_report(plan: Plan) -> Report:
    findings = tuple(
        Finding(f"TD9{i:02d}", ("error", "warning", "info")[i % 3], msg, (plan.actions[0].id,), "/actions/0")
        for i, msg in enumerate(HOSTILE)
    )
    return Report(plan.id, "a|b.yaml", findings)


# ---------------------------------------------------------------------------
# Reading Markdown back


def split_row(line: str) -> list[str]:
    """The cells of a table row: split on pipes not escaped by a backslash."""
    cells, cell, i = [], "", 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            cell += line[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cell)
            cell = ""
        else:
            cell += ch
        i += 1
    cells.append(cell)
    return cells[1:-1]  # rows start and end with a pipe


def tables(text: str) -> list[list[str]]:
    """Blocks of consecutive table lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def assert_tables_keep_shape(text: str) -> int:
    count = 0
    for block in tables(text):
        assert len(block) >= 2
        width = len(split_row(block[0]))
        assert re.fullmatch(r"\|( --- \|)+", block[1]), block[1]
        for row in block:
            assert row.endswith("|"), row
            assert len(split_row(row)) == width, row
        count += 1
    return count


def unescape(text: str) -> str:
    """What a reader sees: backslash escapes removed, ``<br>`` as a line break."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace("<br>", "\n"))


def unescaped_angles(text: str) -> list[str]:
    """``<`` not preceded by an odd number of backslashes, other than the ``<br>`` the exporter writes."""
    found = []
    for m in re.finditer(r"<", text):
        start = m.start()
        slashes = len(text[:start]) - len(text[:start].rstrip("\\"))
        if slashes % 2 == 0 and not text.startswith("<br>", start):
            found.append(text[start : start + 20])
    return found


class Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th") and self.rows:
            self.rows[-1] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(text: str) -> Rendered:
    markdown = pytest.importorskip("markdown")
    html = markdown.markdown(text, extensions=["tables", "fenced_code"])
    page = Rendered()
    page.feed(html)
    page.close()
    return page


# ---------------------------------------------------------------------------
# Tests


def test_exporter_is_registered() -> None:
    e = find_exporter("markdown")
    assert (e.name, e.suffix, e.media_type, e.binary) == ("markdown", ".md", "text/markdown", False)


@pytest.mark.parametrize("path", [None, *EXAMPLES], ids=["starter", *(p.stem for p in EXAMPLES)])
def test_export_starter_and_examples(path: Path | None) -> None:
    plan = starter() if path is None else techdiversity.load(path)
    text = export(plan, "markdown")
    assert isinstance(text, str)
    assert text.startswith("# ")
    for heading in (
        "## Context and vision",
        "## Intervention logic",
        "## Findings",
        "## Problems and objectives",
        "## City Action Table",
        "## Indicators",
        "## Stakeholders",
        "## Risks",
        "## Testing actions",
        "## Implementation framework",
        "## Scorecards",
    ):
        assert f"\n{heading}\n" in text, heading
    assert "```mermaid\nflowchart LR\n" in text
    assert assert_tables_keep_shape(text) >= 6
    for action in plan.actions:
        assert f"`{action.id}`" in text
    for f in techdiversity.check(plan):
        assert f.code in text
    assert not unescaped_angles(text)
    assert "<script" not in text and "<svg" not in text
    page = render(text)
    assert len(set(page.rows)) >= 2  # several tables, each of one width
    assert not {t for t, _ in page.tags} & {"script", "img", "iframe", "style", "svg", "a"}


def test_cli_writes_the_markdown_file(tmp_path: Path) -> None:
    src = tmp_path / "plan.yaml"
    src.write_text(starter_plan(city="Testville"), "utf-8")
    out = tmp_path / "report.md"
    result = CliRunner().invoke(main, ["export", str(src), "--to", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8").startswith("# Testville")


def test_hostile_text_is_escaped_and_visible() -> None:
    plan = hostile_plan()
    text = export(plan, "markdown", report=hostile_report(plan))
    assert isinstance(text, str)
    # nothing the user wrote becomes markup
    assert not unescaped_angles(text)
    assert "\x0b" not in text and "\x00" not in text
    assert not re.search(r"(?<!\\)\]\(", text)  # no link or image syntax survives
    for line in text.split("\n"):
        if line.startswith("#"):
            assert re.match(r"#{1,3} ", line), line
        assert not line.startswith(("- line three", "1. four", "> quote", "---\n")), line
    fences = [line for line in text.split("\n") if line.startswith("```")]
    assert fences == ["```mermaid", "```"]
    # tables keep their shape, with pipes and line breaks inside cells
    assert assert_tables_keep_shape(text) >= 8
    assert "\\| pipe \\|" in text
    # every hostile string is still readable
    seen = unescape(text)
    for h in VISIBLE:
        assert h in seen, h
    assert "vertical\ntab andnul" in seen
    # rendered, the HTML holds only what the exporter wrote
    page = render(text)
    assert not {t for t, _ in page.tags} & {"script", "img", "iframe", "style", "svg", "a", "b"}
    # CommonMark (GitHub) reads \\< and \\> as escapes; Python-Markdown keeps the backslash
    shown = "".join(page.text).replace("\\<", "<").replace("\\>", ">")
    for h in ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "| pipe |", "# heading"):
        assert h in shown, h
    assert all(width in (4, 5, 6, 8, 9) for width in page.rows), page.rows


def test_mermaid_labels_are_plain() -> None:
    plan = hostile_plan()
    text = export(plan, "markdown", scorecards=[])
    assert isinstance(text, str)
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    for line in block.split("\n"):
        labels = re.findall(r'\["(.*)"\]', line)
        for label in labels:
            assert not set(label) & set('"<>`[]{}|#&;\\'), label
            assert len(label) <= 40
    assert mermaid_label('<script>"x"</script>') == "script x /script"
    assert mermaid_label("Цифровой город: 数字") == "Цифровой город: 数字"
    no = export(plan, "markdown", scorecards=[], options={"mermaid": "no"})
    assert isinstance(no, str) and "```mermaid" not in no


def test_mermaid_is_capped() -> None:
    plan = starter()
    a0, i0 = plan.actions[0], plan.indicators[0]
    big = attrs.evolve(
        plan,
        actions=tuple(attrs.evolve(a0, id=f"A{i}") for i in range(500)),
        indicators=tuple(attrs.evolve(i0, id=f"I{i}", measures=(f"A{i}",)) for i in range(500)),
    )
    text = export(big, "markdown", scorecards=[], report=Report(big.id, None))
    assert isinstance(text, str)
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert len(re.findall(r'n\d+\["A\d+:', block)) == 40
    assert len(re.findall(r'n\d+\["I\d+:', block)) == 40
    assert '["+460 more"]' in block
    assert text.count("\n| `A") >= 500  # the City Action Table lists every action


def test_progress_in_markdown() -> None:
    plan = starter()
    i1 = plan.indicators[0]  # baseline 0, milestone 100 (2026), target 200
    plan = attrs.evolve(
        plan,
        indicators=(
            attrs.evolve(i1, actuals=(Measurement(value=50, date=PartialDate.parse("2025-06")),)),
            *plan.indicators[1:],
        ),
    )
    text = export(plan, "markdown", scorecards=[])
    assert isinstance(text, str)
    row = next(line for line in text.split("\n") if line.startswith(f"| `{i1.id}`"))
    cells = split_row(row)
    assert "50%" in cells[4]  # against the milestone of 100
    assert cells[7].strip() == "25%"  # against the target of 200


def test_helpers() -> None:
    assert md_cell("a|b\nc") == "a\\|b<br>c"
    assert md_cell("x\x0by") == "x<br>y"
    assert md_cell("  # h\n  - item") == "\\# h<br>\\- item"
    assert md("AT&T <b>") == "AT\\&T \\<b\\>"
    assert md("1. first") == "1\\. first"


def test_minimal_plan_exports() -> None:
    plan = techdiversity.loads("format: 1\nplan: {id: x}\n")
    text = export(plan, "markdown")
    assert isinstance(text, str)
    assert text.startswith("# x\n")
    assert "```mermaid" not in text and "_No actions yet._" in text
    assert_tables_keep_shape(text)
