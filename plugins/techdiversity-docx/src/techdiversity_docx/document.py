"""The Word document: an URBACT Integrated Action Plan laid out section by section.

The layout follows the IAP sections agreed in the TechDiversity network (title
page; 1 Context, needs and vision; 2 Overall logic and integrated approach;
3 Action planning details, with the City Action Table and an Actions Details Table
per action; 4 Implementation framework) and ends with annexes: the IAP Canvas, the
findings of the checks and the scorecards.

Only the public API of ``techdiversity`` is used: the plan model, the
:class:`~techdiversity.exporters.ExportContext` (plan, findings, scorecards, index,
options) and the vocabularies.

Every piece of text goes through :func:`clean` first: Word (XML 1.0) cannot hold
most control characters, and python-docx raises :class:`ValueError` on them.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from techdiversity import vocab

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from techdiversity.exporters import ExportContext
    from techdiversity.model import Action, Measurement, Period, Plan, Resource
    from techdiversity.rubrics import ScoreCard

__all__ = [
    "ACTION_DETAILS_COLUMNS",
    "ASPECT_COLUMNS",
    "CITY_ACTION_TABLE_COLUMNS",
    "INDICATOR_COLUMNS",
    "INTEGRATION_TYPE_COLUMNS",
    "SECTION_TITLES",
    "build_document",
    "clean",
    "export_docx",
]

#: The four IAP section headings, in order (numbered 1 to 4 in the document).
SECTION_TITLES: tuple[str, str, str, str] = (
    "Context, needs and vision",
    "Overall logic and integrated approach",
    "Action planning details",
    "Implementation framework",
)

#: The column headings of the City Action Table, as the TechDiversity template writes them.
CITY_ACTION_TABLE_COLUMNS: tuple[str, ...] = (
    "Action Titles & short description",
    "Intended Results",
    "Resources / Assets",
    "Main outputs",
    "Long term changes",
    "Timescale",
)

#: The column headings of the Actions Details Table (local level).
ACTION_DETAILS_COLUMNS: tuple[str, ...] = (
    "Timescale",
    "Outputs",
    "Other IAP Connected Activities",
    "Implementation Details & Possible Problems or Other Issues",
)

#: The column headings of the table of the 12 aspects of integrated urban development.
ASPECT_COLUMNS: tuple[str, ...] = (
    "Aspect",
    "Relevant (Yes/No)",
    "Why?",
    "Initial self-assessment of integration (Baseline)",
    "Future actions for integration of aspects",
)

#: The columns of the indicator table of the monitoring framework ("Latest actual" only once monitored).
INDICATOR_COLUMNS: tuple[str, ...] = (
    "Indicator",
    "Measures",
    "Baseline",
    "Milestones",
    "Target",
    "Latest actual",
    "Means of verification (disaggregation)",
)

#: The columns of the integration self-assessment tool (five types of integration).
INTEGRATION_TYPE_COLUMNS: tuple[str, ...] = (
    "Types of integration",
    "Description",
    "What is the current situation?",
    "To what extent can progress be made?",
    "Score (1-5)",
)

_TYPE_TITLES: dict[str, tuple[str, str]] = {
    "policy-sector": (
        "Policy / Sector",
        "Integrate economic, social and environmental challenges; join up solutions and minimise the effects"
        " of negative externalities",
    ),
    "horizontal": (
        "Horizontal",
        "Develop partnerships at local level; bring together all of the main actors around a challenge",
    ),
    "vertical": (
        "Vertical",
        "Align policies, interventions and funding upwards along the vertical chain of governance; ensure"
        " coherence and build scale",
    ),
    "territorial": (
        "Territorial",
        "Ensure cooperation takes place between adjacent municipalities in functional urban areas; minimise"
        " edge effects and displacement of problems",
    ),
    "hard-and-soft-investments": (
        "Hard and soft investments",
        "Integrate physical investments with human resources in urban regeneration (for instance, ERDF + ESF);"
        " avoid silos",
    ),
}

_ASPECT_TITLES: dict[str, str] = {
    "stakeholder-involvement-in-planning": "Stakeholder involvement in planning",
    "coherence-with-existing-strategies": "Coherence with existing strategies",
    "sustainable-urban-development": "Sustainable urban development (economic, social, environmental)",
    "integration-over-time": "Integration over time",
    "stakeholder-involvement-in-implementation": "Stakeholder involvement in implementation",
    "sectoral-integration": "Sectoral integration",
    "spatial-integration": "Spatial integration",
    "territorial-integration": "Territorial integration",
    "multi-level-governance": "Multi-level governance",
    "cross-cutting-thematic-aspects": "Integration of cross-cutting thematic aspects",
    "complementary-types-of-investment": "Complementary types of investment",
    "mobilising-all-available-funding": "Mobilising all available funding",
}

_TESTING_PURPOSE_TITLES: dict[str, str] = {
    "proof-of-concept": "Proof of concept",
    "political-buy-in": "Building political and public buy-in",
    "activating-ulg": "Activating the ULG",
    "innovation": "Innovation",
    "quick-win": "Quick win",
}

_FUNDING_TITLES: dict[str, str] = {
    "erdf": "ERDF",
    "esf-plus": "ESF+",
    "cohesion-fund": "Cohesion Fund",
    "interreg": "Interreg",
    "horizon-europe": "Horizon Europe",
    "national": "National",
    "regional": "Regional",
    "municipal": "Municipal",
    "private": "Private",
    "philanthropic": "Philanthropic",
    "other": "Other",
}

#: Relative column widths of the tables, by their header.
_WIDTHS: dict[tuple[str, ...], tuple[float, ...]] = {
    ("Id", "Problem", "Causes (roots)", "Effects (branches)", "Evidence"): (0.5, 2, 2, 2, 2.5),
    ("Id", "Specific objective", "Problems addressed", "Target groups", "Actions"): (0.5, 2.5, 3, 1.2, 2.5),
    INTEGRATION_TYPE_COLUMNS: (1.2, 2.5, 2.5, 2.5, 0.8),
    ASPECT_COLUMNS: (1.8, 1.1, 3, 1.3, 3),
    CITY_ACTION_TABLE_COLUMNS: (3, 2.6, 2.2, 2, 2, 1.1),
    ACTION_DETAILS_COLUMNS: (1, 2, 2.2, 3),
    INDICATOR_COLUMNS: (2.6, 0.8, 1.2, 1.5, 1.2, 1.2, 2),
    tuple(c for c in INDICATOR_COLUMNS if c != "Latest actual"): (2.8, 0.8, 1.3, 1.6, 1.3, 2.2),
    ("Funding source", "Amount", "Share", "Actions"): (1.5, 1.5, 0.7, 2),
    ("Action", "Kind", "Amount", "Source", "Description"): (0.7, 1, 1, 1, 3),
    ("Id", "Risk", "Likelihood", "Impact", "Mitigation", "Affects"): (0.5, 2.5, 0.9, 0.9, 2.5, 1.8),
    ("Id", "Stakeholder", "Type", "Participation", "Represents", "Role in actions", "Meetings"): (
        0.5,
        2.5,
        1.2,
        1.2,
        1.3,
        1.6,
        0.9,
    ),
    ("Date", "Kind", "Topic", "Participants"): (1, 0.9, 3, 1.5),
    ("Code", "Severity", "Message", "About", "Line"): (0.8, 0.8, 4, 1, 0.6),
    ("Criterion", "Score", "Source", "Evidence"): (2, 0.7, 0.9, 4),
}

_NOT_WRITTEN = "Not yet written."
_DASH = "—"

# ---------------------------------------------------------------------------
# Text that Word accepts

# XML 1.0 allows tab, line feed and carriage return among the C0 controls, and no
# surrogates, U+FFFE or U+FFFF. Vertical tab and form feed (Word pastes them for
# manual line and page breaks) become line breaks; the other controls become their
# visible Unicode "control picture" (U+2400 + code: ESC -> ␛), so nothing is lost.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RTL_BIDI = frozenset({"R", "AL"})
_LTR_BIDI = frozenset({"L"})


def _replace_invalid(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\ufffd"


def clean(value: object) -> str:
    """Text that Word can hold: ``None`` is empty, control characters are replaced.

    Vertical tab, form feed, ``\\r\\n``, ``\\r`` and the Unicode line and paragraph
    separators become ``\\n`` (a line break in Word); other C0 control characters
    (``\\x00``-``\\x08``, ``\\x0e``-``\\x1f``) become their visible control picture
    (``\\x1b`` -> ``␛``); lone surrogates, U+FFFE and U+FFFF become U+FFFD.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _LINE_BREAKS.sub("\n", text)
    return _INVALID.sub(_replace_invalid, text)


def _first_strong_is_rtl(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_BIDI:
            return True
        if kind in _LTR_BIDI:
            return False
    return False


# Children of w:pPr that come after w:bidi (ECMA-376 CT_PPrBase order).
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _mark_rtl(paragraph: Paragraph) -> None:
    """Make a paragraph right-to-left (Arabic, Hebrew...) when its text starts so."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)


# ---------------------------------------------------------------------------
# Small formatting helpers


def _number(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return clean(value)


def _period(period: Period | None) -> str:
    if period is None or (period.start is None and period.end is None):
        return ""
    start = str(period.start) if period.start is not None else "?"
    end = str(period.end) if period.end is not None else "?"
    return f"{start} – {end}"


def _measurement(m: Measurement | None) -> str:
    if m is None or (m.value is None and m.date is None):
        return ""
    value = _number(m.value) if m.value is not None else "?"
    out = f"{value} ({m.date})" if m.date is not None else value
    if m.note:
        out += f" – {m.note}"
    return out


def _slug_title(slug: str | None) -> str:
    if not slug:
        return ""
    return slug.replace("-", " ").capitalize()


def _resource(r: Resource) -> str:
    parts = [_slug_title(r.kind)]
    amount = ""
    if r.amount is not None:
        amount = _number(r.amount)
        if r.currency:
            amount += f" {r.currency}"
        elif r.unit:
            amount += f" {r.unit}"
    elif r.unit:
        amount = r.unit
    if amount:
        parts.append(amount)
    if r.source:
        parts.append(f"({_FUNDING_TITLES.get(r.source, r.source)})")
    text = " ".join(p for p in parts if p)
    if r.description:
        text += f": {r.description}"
    return text


def _prop(value: object) -> str:
    """A document property: one line of clean text, at most 255 characters (the OPC limit)."""
    return " ".join(clean(value).split())[:255]


def _truthy(ctx: ExportContext, key: str) -> bool:
    """A yes/no option, checked and parsed by the host from the exporter's declaration."""
    return ctx.option(key) is not False


# ---------------------------------------------------------------------------
# The writer


class _Writer:
    """Writes one plan into one python-docx document."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.plan: Plan = ctx.plan
        self.doc: Document = docx.Document()
        self.labels: dict[str, str] = {}
        for _kind, item in self.plan.linkables():
            title = getattr(item, "title", None) or getattr(item, "name", None) or getattr(item, "statement", None)
            if title is None:
                title = getattr(item, "description", None) or getattr(item, "idea", None)
            self.labels.setdefault(item.id, str(title) if title else "")

    # -- references ---------------------------------------------------------

    def ref(self, ident: str) -> str:
        """``A3 Switch to IT curriculum`` for a known id; ``A9 (not in the plan)`` otherwise."""
        if ident not in self.labels:
            return f"{ident} (not in the plan)"
        label = self.labels[ident]
        return f"{ident} {label}" if label else ident

    def refs(self, idents: Iterable[str]) -> str:
        return "\n".join(self.ref(i) for i in idents)

    def referrers(self, field: str, target: str) -> list[str]:
        found: Any = self.ctx.index.referrers(field, target)
        return [str(x) for x in found]

    # -- blocks ---------------------------------------------------------------

    def _fill(self, paragraph: Paragraph, text: object, *, bold: bool = False, italic: bool = False) -> None:
        cleaned = clean(text)
        run = paragraph.add_run(cleaned)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if _first_strong_is_rtl(cleaned) and _first_strong_is_rtl(paragraph.text):
            _mark_rtl(paragraph)

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.doc.add_heading(level=level)
        self._fill(paragraph, text)
        return paragraph

    def para(self, text: object, style: str | None = None, *, bold: bool = False, italic: bool = False) -> Paragraph:
        paragraph = self.doc.add_paragraph(style=style)
        self._fill(paragraph, text, bold=bold, italic=italic)
        return paragraph

    def labelled(self, label: str, text: object) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        self._fill(paragraph, f"{label}: ", bold=True)
        self._fill(paragraph, text if clean(text) else _DASH)
        return paragraph

    def prose(self, text: str | None, placeholder: str = _NOT_WRITTEN) -> None:
        """Free text: one paragraph per blank-line-separated block; a placeholder if empty."""
        cleaned = clean(text).strip()
        if not cleaned:
            self.para(placeholder, italic=True)
            return
        for block in re.split(r"\n\s*\n", cleaned):
            if block.strip():
                self.para(block.strip())

    def bullets(self, items: Iterable[object], placeholder: str = "None listed.") -> None:
        written = False
        for item in items:
            self.para(item, "List Bullet")
            written = True
        if not written:
            self.para(placeholder, italic=True)

    def cell(self, cell: _Cell, text: object, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        self._fill(paragraph, text, bold=bold)

    def cell_lines(self, cell: _Cell, lines: Sequence[tuple[str, object]]) -> None:
        """A cell of labelled lines: ``Label: text``; lines with empty text are left out."""
        paragraph = cell.paragraphs[0]
        first = True
        for label, text in lines:
            if not clean(text):
                continue
            if not first:
                paragraph = cell.add_paragraph()
            first = False
            if label:
                self._fill(paragraph, f"{label}: ", bold=True)
            self._fill(paragraph, text)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]], *, font_size: float = 9) -> Table:
        table: Table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        for cell, title in zip(header.cells, headers, strict=True):
            self.cell(cell, title, bold=True)
            _shade(cell, "D9E2F3")
        _repeat_header(header)
        for values in rows:
            for cell, value in zip(_new_row(table), values, strict=True):
                self.cell(cell, value)
        _font_size(table, font_size)
        self.set_widths(table, _WIDTHS.get(tuple(headers), ()))
        return table

    def set_widths(self, table: Table, weights: Sequence[float]) -> None:
        """Fix the column widths of a table: shares of the text width of the current section."""
        if not weights:
            return
        section = self.doc.sections[-1]
        page = section.page_width or Cm(21.0)
        margins = (section.left_margin or 0) + (section.right_margin or 0)
        available = page - margins
        total = sum(weights)
        table.autofit = False
        for column, weight in zip(table.columns, weights, strict=True):
            width = Emu(int(available * weight / total))
            column.width = width
            for cell in column.cells:
                cell.width = width

    def kv_table(
        self, pairs: Iterable[tuple[str, object]], *, font_size: float = 9, widths: Sequence[float] = (1, 3)
    ) -> Table:
        table: Table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in pairs:
            cells = _new_row(table)
            self.cell(cells[0], key, bold=True)
            _shade(cells[0], "EDEDED")
            self.cell(cells[1], value if clean(value) else _DASH)
        _font_size(table, font_size)
        self.set_widths(table, widths)
        return table

    def spacer(self) -> None:
        self.doc.add_paragraph()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def new_section(self, *, landscape: bool) -> None:
        section = self.doc.add_section()
        _orient(section, landscape=landscape)

    # -- the document -----------------------------------------------------------

    def build(self) -> Document:
        self.setup()
        self.title_page()
        self.context_section()
        self.logic_section()
        self.new_section(landscape=_truthy(self.ctx, "landscape"))
        self.actions_section()
        self.new_section(landscape=False)
        self.implementation_section()
        if _truthy(self.ctx, "canvas"):
            self.page_break()
            self.canvas_annex()
        if _truthy(self.ctx, "annex"):
            self.page_break()
            self.findings_annex()
            self.scorecards_annex()
        return self.doc

    def setup(self) -> None:
        info = self.plan.plan
        props = self.doc.core_properties
        props.title = _prop(info.title or f"Integrated Action Plan {info.city or info.id}")
        props.subject = "URBACT Integrated Action Plan"
        props.keywords = _prop(", ".join(x for x in ("URBACT", "IAP", info.network, info.city) if x))
        props.identifier = _prop(info.id)
        if info.version:
            props.version = _prop(info.version)
        if info.language:
            props.language = _prop(info.language)
        props.author = _prop(info.city or "techdiversity")
        props.comments = "Written by techdiversity-docx from the plan file."

        normal = self.doc.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10.5)
        section = self.doc.sections[0]
        section.page_height = Cm(29.7)
        section.page_width = Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.0))
        section.top_margin = Cm(2.0)
        section.bottom_margin = Cm(2.0)
        footer = section.footer.paragraphs[0]
        self._fill(footer, f"{info.city or info.id} – Integrated Action Plan {info.version or ''}".strip() + " – page ")
        _page_field(footer)

    def title_page(self) -> None:
        info = self.plan.plan
        self.para("URBACT Integrated Action Plan", "Subtitle")
        self.para(info.city or info.id, "Title")
        if info.title:
            self.para(info.title, "Subtitle")
        self.spacer()
        status = info.status or ""
        self.kv_table(
            [
                ("City", f"{info.city or ''}{f' ({info.country})' if info.country else ''}"),
                ("Title", info.title),
                ("Network", info.network),
                ("Programme", info.programme),
                ("Status", status.capitalize()),
                ("Version", info.version),
                ("Period", _period(info.period)),
                ("Plan id", info.id),
            ],
            font_size=11,
            widths=(1, 2),
        )
        self.spacer()
        counts = (
            f"{len(self.plan.problems)} problems, {len(self.plan.objectives)} specific objectives, "
            f"{len(self.plan.actions)} actions, {len(self.plan.indicators)} indicators, "
            f"{len(self.plan.stakeholders)} stakeholders, {len(self.plan.testing_actions)} testing actions."
        )
        self.para(counts, italic=True)
        self.page_break()

    # -- 1 Context, needs and vision ---------------------------------------------

    def context_section(self) -> None:
        plan = self.plan
        ctx = plan.context
        self.heading(f"1 {SECTION_TITLES[0]}", 1)

        self.heading("1.1 Overall theme", 2)
        self.prose(ctx.theme if ctx else None)

        self.heading("1.2 Current situation", 2)
        self.prose(ctx.current_situation if ctx else None)

        self.heading("1.3 Related strategies", 2)
        strategies = ctx.related_strategies if ctx else ()
        self.bullets(f"{s.title} ({s.link})" if s.link else s.title for s in strategies)

        self.heading("1.4 Target groups", 2)
        groups = ctx.target_groups if ctx else ()
        self.bullets(
            (_slug_title(g) + ("" if g in vocab.TARGET_GROUPS else f" ({g})") for g in groups),
        )

        self.heading("1.5 Problem identification (the Problem Tree)", 2)
        if plan.problems:
            core = [p for p in plan.problems if p.core]
            if core:
                self.labelled("Core problem", "; ".join(self.ref(p.id) for p in core))
            rows = []
            for p in plan.problems:
                causes = list(dict.fromkeys([*p.causes, *self.referrers("effects", p.id)]))
                effects = list(dict.fromkeys([*p.effects, *self.referrers("causes", p.id)]))
                evidence = "\n".join(
                    " – ".join(clean(x) for x in (e.source, e.finding, e.link) if x) for e in p.evidence
                )
                rows.append(
                    (
                        p.id,
                        (p.statement or "") + ("\n(core problem)" if p.core else ""),
                        self.refs(causes),
                        self.refs(effects),
                        evidence,
                    )
                )
            self.table(("Id", "Problem", "Causes (roots)", "Effects (branches)", "Evidence"), rows)
        else:
            self.para("No problems identified yet.", italic=True)

        self.heading("1.6 Vision (the Newspaper of Tomorrow)", 2)
        vision = plan.vision
        if vision is not None and (vision.headline or vision.text):
            if vision.headline:
                horizon = f"{vision.horizon}: " if vision.horizon else ""
                self.para(f"{horizon}{vision.headline}", "Intense Quote")
            self.prose(vision.text, placeholder="")
        else:
            self.para(_NOT_WRITTEN, italic=True)

        self.heading("1.7 Strategic goal", 2)
        self.prose(plan.strategic_goal)

        self.heading("1.8 Main integration challenges", 2)
        self.bullets(ctx.integration_challenges if ctx else ())

    # -- 2 Overall logic and integrated approach ---------------------------------

    def logic_section(self) -> None:
        plan = self.plan
        self.heading(f"2 {SECTION_TITLES[1]}", 1)

        self.heading("2.1 Specific objectives and the problems they address", 2)
        if plan.strategic_goal:
            self.labelled("Strategic goal", plan.strategic_goal)
        if plan.objectives:
            self.table(
                ("Id", "Specific objective", "Problems addressed", "Target groups", "Actions"),
                (
                    (
                        o.id,
                        "\n".join(x for x in (o.title, o.description) if x),
                        self.refs(o.addresses),
                        ", ".join(_slug_title(g) for g in o.target_groups),
                        self.refs(self.referrers("contributes_to", o.id)),
                    )
                    for o in plan.objectives
                ),
            )
        else:
            self.para("No specific objectives defined yet.", italic=True)

        integration = plan.integration
        self.heading("2.2 Integration self-assessment", 2)
        self.para("The URBACT integration self-assessment tool: five types of integration, scored 1 to 5.")
        types = integration.types if integration is not None else {}
        rows = []
        for slug in vocab.INTEGRATION_TYPES:
            title, description = _TYPE_TITLES.get(slug, (_slug_title(slug), ""))
            entry = types.get(slug)
            rows.append(
                (
                    title,
                    description,
                    (entry.situation if entry else None) or _DASH,
                    (entry.progress if entry else None) or _DASH,
                    str(entry.score) if entry is not None and entry.score is not None else "not assessed",
                )
            )
        self.table(INTEGRATION_TYPE_COLUMNS, rows)

        self.heading("2.3 The 12 aspects of integrated urban development", 2)
        aspects = integration.aspects if integration is not None else ()
        by_action: dict[str, list[str]] = {}
        for action in plan.actions:
            for aspect in action.integration_aspects:
                by_action.setdefault(aspect, []).append(action.id)
        aspect_rows = []
        for slug in vocab.ASPECTS:
            entries = [a for a in aspects if a.aspect == slug]
            title = _ASPECT_TITLES.get(slug, _slug_title(slug))
            if by_action.get(slug):
                title += f"\n(actions: {', '.join(by_action[slug])})"
            if not entries:
                aspect_rows.append((title, "not assessed", _DASH, _DASH, _DASH))
            for a in entries:
                relevant = "Yes" if a.relevant else ("No" if a.relevant is False else _DASH)
                aspect_rows.append(
                    (
                        title,
                        relevant,
                        a.why or _DASH,
                        f"{a.baseline} / 5" if a.baseline is not None else _DASH,
                        a.future_actions or _DASH,
                    )
                )
        self.table(ASPECT_COLUMNS, aspect_rows)

    # -- 3 Action planning details -----------------------------------------------

    def actions_section(self) -> None:
        plan = self.plan
        self.heading(f"3 {SECTION_TITLES[2]}", 1)
        self.heading("3.1 City Action Table", 2)
        self.para("Following the IAP Intervention Logic Model: one row per action.", italic=True)
        if plan.actions:
            self.city_action_table(plan.actions)
        else:
            self.para("No actions planned yet.", italic=True)

        self.heading("3.2 Actions Details Tables", 2)
        for number, action in enumerate(plan.actions, start=1):
            self.action_details(number, action)

    def _indicators_of(self, ident: str) -> list[str]:
        return [i.id for i in self.plan.indicators if ident in i.measures]

    def city_action_table(self, actions: Sequence[Action]) -> None:
        table = self.table(CITY_ACTION_TABLE_COLUMNS, ())
        for action in actions:
            cells = _new_row(table)
            self.cell(cells[0], f"{action.id} {action.title or ''}".strip(), bold=True)
            if action.description:
                self._fill(cells[0].add_paragraph(), action.description)
            self.cell_lines(
                cells[1],
                [
                    ("Objectives", "; ".join(self.ref(o) for o in action.contributes_to)),
                    ("Short-term change", action.intended_results),
                    ("Measured by", "; ".join(self.ref(i) for i in self._indicators_of(action.id))),
                ],
            )
            self.cell_lines(cells[2], [("", "\n".join(_resource(r) for r in action.resources))])
            self.cell_lines(cells[3], [("", "\n".join(clean(o) for o in action.outputs))])
            self.cell_lines(cells[4], [("", action.long_term_change)])
            self.cell_lines(cells[5], [("", _period(action.timescale))])
        _font_size(table, 8.5)

    def action_details(self, number: int, action: Action) -> None:
        self.heading(f"3.2.{number} {action.id} {action.title or ''}".strip(), 3)
        self.labelled("ACTION TITLE", action.title)
        self.labelled("DESCRIPTION", action.description)
        connected: list[tuple[str, object]] = [
            ("Depends on", "; ".join(self.ref(a) for a in action.depends_on)),
            ("Needed by", "; ".join(self.ref(a) for a in self.referrers("depends_on", action.id))),
            ("Tested by", "; ".join(self.ref(t) for t in self.referrers("tests", action.id))),
        ]
        table = self.table(ACTION_DETAILS_COLUMNS, [("", "", "", "")])
        cells = table.rows[1].cells
        self.cell(cells[0], _period(action.timescale) or _DASH)
        self.cell(cells[1], "\n".join(clean(o) for o in action.outputs) or _DASH)
        if any(clean(text) for _, text in connected):
            self.cell_lines(cells[2], connected)
        else:
            self.cell(cells[2], "None")
        self.cell(cells[3], action.implementation_notes or _DASH)
        self.spacer()
        lead = self.ref(action.lead) if action.lead else ""
        risks = [r.id for r in self.plan.risks if action.id in r.affects]
        self.kv_table(
            [
                ("Lead", lead),
                ("Partners", "; ".join(self.ref(s) for s in action.partners)),
                ("Target groups", ", ".join(_slug_title(g) for g in action.target_groups)),
                ("Resources", "\n".join(_resource(r) for r in action.resources)),
                ("Integration aspects", "\n".join(_ASPECT_TITLES.get(a, a) for a in action.integration_aspects)),
                ("Indicators", "\n".join(self.ref(i) for i in self._indicators_of(action.id))),
                ("Risks", "\n".join(self.ref(r) for r in risks)),
            ]
        )
        self.spacer()

    # -- 4 Implementation framework ---------------------------------------------

    def implementation_section(self) -> None:
        plan = self.plan
        impl = plan.implementation
        self.heading(f"4 {SECTION_TITLES[3]}", 1)

        self.heading("4.1 Governance", 2)
        self.prose(impl.governance if impl else None)

        self.heading("4.2 Monitoring", 2)
        self.prose(impl.monitoring if impl else None)
        if plan.indicators:
            self.indicator_table()
        else:
            self.para("No indicators defined yet.", italic=True)

        self.heading("4.3 Communication", 2)
        self.prose(impl.communication if impl else None)

        self.heading("4.4 Funding strategy", 2)
        self.prose(impl.funding_strategy if impl else None)
        self.budget_tables()

        self.heading("4.5 Risks", 2)
        if plan.risks:
            self.table(
                ("Id", "Risk", "Likelihood", "Impact", "Mitigation", "Affects"),
                (
                    (
                        r.id,
                        r.description,
                        _slug_title(r.likelihood),
                        _slug_title(r.impact),
                        r.mitigation,
                        self.refs(r.affects),
                    )
                    for r in plan.risks
                ),
            )
        else:
            self.para("No risks identified yet.", italic=True)

        self.heading("4.6 Stakeholders and the URBACT Local Group (ULG)", 2)
        self.stakeholders()

        self.heading("4.7 Testing actions", 2)
        self.testing_actions()

    def indicator_table(self) -> None:
        """The indicators: what each measures, baseline, milestones, target and (once monitored) actuals.

        Values are written without the unit, which stands once beside the indicator's name.
        """
        with_actuals = any(i.actuals for i in self.plan.indicators)
        rows: list[tuple[str, ...]] = []
        for i in self.plan.indicators:
            about = ", ".join(x for x in (i.kind, i.unit) if x)
            row = [
                f"{i.id} {i.name or ''}".strip() + (f"\n({about})" if about else ""),
                ", ".join(i.measures),
                _measurement(i.baseline),
                "\n".join(_measurement(m) for m in i.milestones),
                _measurement(i.target),
            ]
            if with_actuals:
                latest = max(i.actuals, key=lambda m: m.date.first if m.date else dt.date.min, default=None)
                row.append(_measurement(latest))
            row.append("\n".join(x for x in (i.source, ", ".join(i.disaggregation)) if x))
            rows.append(tuple(row))
        headers = INDICATOR_COLUMNS if with_actuals else tuple(c for c in INDICATOR_COLUMNS if c != "Latest actual")
        self.table(headers, rows, font_size=8.5)

    def budget_tables(self) -> None:
        money: dict[tuple[str, str], float] = {}
        money_actions: dict[tuple[str, str], list[str]] = {}
        other: list[tuple[str, str, str, str, str]] = []
        for action in self.plan.actions:
            for r in action.resources:
                source = r.source or "unspecified"
                if r.currency and isinstance(r.amount, (int, float)) and math.isfinite(r.amount):
                    key = (source, r.currency)
                    money[key] = money.get(key, 0) + r.amount
                    ids = money_actions.setdefault(key, [])
                    if action.id not in ids:
                        ids.append(action.id)
                else:
                    amount = _number(r.amount) if r.amount is not None else ""
                    other.append(
                        (
                            action.id,
                            _slug_title(r.kind),
                            f"{amount} {r.unit or ''}".strip(),
                            _FUNDING_TITLES.get(source, source),
                            r.description or "",
                        )
                    )
        self.para("Budget by funding source", bold=True)
        if not money:
            self.para("No budget with an amount and a currency is given for the actions.", italic=True)
        else:
            order = {s: n for n, s in enumerate(vocab.FUNDING_SOURCES)}
            keys = sorted(money, key=lambda k: (k[1], order.get(k[0], len(order)), k[0]))
            totals: dict[str, float] = {}
            for (_, currency), subtotal in money.items():
                totals[currency] = totals.get(currency, 0) + subtotal
            rows: list[tuple[str, str, str, str]] = []
            for key in keys:
                source, currency = key
                total = totals[currency]
                share = f"{100 * money[key] / total:.0f}%" if total else _DASH
                rows.append(
                    (
                        _FUNDING_TITLES.get(source, source),
                        f"{_number(money[key])} {currency}",
                        share,
                        ", ".join(money_actions[key]),
                    )
                )
            for currency in sorted(totals):
                rows.append((f"Total ({currency})", f"{_number(totals[currency])} {currency}", "100%", ""))
            table = self.table(("Funding source", "Amount", "Share", "Actions"), rows)
            for row in table.rows[len(keys) + 1 :]:
                for paragraph in (p for c in row.cells for p in c.paragraphs):
                    for run in paragraph.runs:
                        run.bold = True
        if other:
            self.spacer()
            self.para("Other resources (staff time, in-kind contributions, premises)", bold=True)
            self.table(("Action", "Kind", "Amount", "Source", "Description"), other)

    def stakeholders(self) -> None:
        plan = self.plan
        if not plan.stakeholders:
            self.para("No stakeholders listed yet.", italic=True)
        else:
            attended: dict[str, int] = {}
            for m in plan.meetings:
                for ident in m.participants:
                    attended[ident] = attended.get(ident, 0) + 1
            rows = []
            for s in plan.stakeholders:
                leads = [a.id for a in plan.actions if a.lead == s.id]
                partners = [a.id for a in plan.actions if s.id in a.partners]
                roles = []
                if leads:
                    roles.append(f"Leads {', '.join(leads)}")
                if partners:
                    roles.append(f"Partner in {', '.join(partners)}")
                rows.append(
                    (
                        s.id,
                        s.name,
                        _slug_title(s.type),
                        _slug_title(s.participation),
                        ", ".join(_slug_title(g) for g in s.represents),
                        "\n".join(roles),
                        str(attended.get(s.id, 0)),
                    )
                )
            self.table(
                ("Id", "Stakeholder", "Type", "Participation", "Represents", "Role in actions", "Meetings"),
                rows,
            )
            self.para(
                "Participation ladder: " + " < ".join(_slug_title(p) for p in vocab.PARTICIPATION) + ".",
                italic=True,
            )
        self.spacer()
        self.para("ULG and consultation meetings", bold=True)
        if plan.meetings:
            self.table(
                ("Date", "Kind", "Topic", "Participants"),
                (
                    (str(m.date), _slug_title(m.kind), m.topic, ", ".join(m.participants))
                    for m in sorted(plan.meetings, key=lambda m: m.date.first)
                ),
            )
        else:
            self.para("No meetings recorded yet.", italic=True)

    def testing_actions(self) -> None:
        plan = self.plan
        if not plan.testing_actions:
            self.para("No testing actions planned yet.", italic=True)
            return
        for t in plan.testing_actions:
            self.para(f"{t.id} {t.idea or t.challenge or ''}".strip(), bold=True)
            self.kv_table(
                [
                    ("The Challenge", t.challenge),
                    ("What if", t.what_if),
                    ("We want to test if", t.hypothesis),
                    ("Our IDEA", t.idea),
                    ("Measurement", t.measurement),
                    ("Why (purposes)", ", ".join(_TESTING_PURPOSE_TITLES.get(p, p) for p in t.purposes)),
                    ("Tests the actions", self.refs(t.tests)),
                    ("Period", _period(t.period)),
                    ("Status", _slug_title(t.status)),
                    ("Learnings", t.learnings),
                ]
            )
            self.spacer()

    # -- Annexes -----------------------------------------------------------------

    def canvas_annex(self) -> None:
        plan = self.plan
        impl = plan.implementation
        self.heading("Annex A Integrated Action Plan Canvas", 1)

        def short(items: Iterable[str]) -> str:
            return "\n".join(items)

        vision = plan.vision
        budget: dict[str, float] = {}
        for a in plan.actions:
            for r in a.resources:
                if r.currency and isinstance(r.amount, (int, float)) and math.isfinite(r.amount):
                    budget[r.currency] = budget.get(r.currency, 0) + r.amount
        funding = "\n".join(
            x
            for x in (
                impl.funding_strategy if impl else None,
                "Budget of the actions: " + ", ".join(f"{_number(v)} {c}" for c, v in sorted(budget.items()))
                if budget
                else None,
            )
            if x
        )
        self.kv_table(
            [
                ("Problem", short(self.ref(p.id) for p in plan.problems if p.core)),
                ("Vision / future scenario", vision.headline if vision else None),
                ("Specific objectives", short(self.ref(o.id) for o in plan.objectives)),
                ("Stakeholders & partners", short(self.ref(s.id) for s in plan.stakeholders)),
                ("Actions", short(self.ref(a.id) for a in plan.actions)),
                ("Indicators", short(self.ref(i.id) for i in plan.indicators)),
                ("Barriers & risks", short(self.ref(r.id) for r in plan.risks)),
                ("Governance", impl.governance if impl else None),
                ("Monitoring", impl.monitoring if impl else None),
                ("Funding", funding),
                ("Communication", impl.communication if impl else None),
            ]
        )

    def findings_annex(self) -> None:
        report = self.ctx.report
        self.heading("Annex B Findings of the checks", 1)
        counts = ", ".join(f"{report.count(s)} {s}" for s in ("error", "warning", "info"))
        self.para(f"techdiversity checks found: {counts}.")
        if not report.findings:
            self.para("No findings: the plan is coherent as far as the checks can tell.", italic=True)
            return
        self.table(
            ("Code", "Severity", "Message", "About", "Line"),
            (
                (
                    f.code,
                    f.severity,
                    f.message,
                    ", ".join(f.subjects),
                    str(f.location.line) if f.location is not None and f.location.line is not None else f.pointer,
                )
                for f in report.findings
            ),
        )

    def scorecards_annex(self) -> None:
        cards = self.ctx.scorecards
        self.heading("Annex C Scorecards", 1)
        if not cards:
            self.para("No rubric is installed.", italic=True)
            return
        for card in cards:
            self.scorecard(card)

    def scorecard(self, card: ScoreCard) -> None:
        rubric = card.rubric
        self.heading(f"{rubric.title} ({rubric.name} {rubric.version})", 2)
        self.para(f"Total: {_number(card.total)} of {card.max} (scored criteria only).", bold=True)
        if card.assessors:
            self.para(f"People's scores from: {', '.join(card.assessors)}.", italic=True)
        for section in card.sections:
            self.para(f"{section.section.title}: {_number(section.score)} of {section.max}", bold=True)
            rows = []
            for result in section.criteria:
                evidence = []
                if result.automatic is not None:
                    evidence.append(result.automatic.reason)
                evidence.extend(f"{p.assessor}: {p.evidence}" for p in result.people if p.evidence)
                rows.append(
                    (
                        result.criterion.title,
                        _number(result.score) if result.score is not None else "not scored",
                        result.source,
                        "\n".join(clean(e) for e in evidence),
                    )
                )
            self.table(("Criterion", "Score", "Source", "Evidence"), rows, font_size=8.5)
            self.spacer()


# ---------------------------------------------------------------------------
# python-docx details that have no public API


# Children of w:tcPr that come after w:shd (ECMA-376 CT_TcPr order).
_AFTER_SHD = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)


def _new_row(table: Table) -> tuple[_Cell, ...]:
    """The cells of a row added at the end of a table (``Table.add_row`` is not annotated)."""
    untyped: Any = table
    return tuple(untyped.add_row().cells)


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(shd, *_AFTER_SHD)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _font_size(table: Table, size: float) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field (the page number) at the end of a paragraph."""

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(char)

    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    paragraph.add_run()._r.append(instr)
    field_char("separate")
    paragraph.add_run("1")
    field_char("end")


def _orient(section: Section, *, landscape: bool) -> None:
    short, long = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long


# ---------------------------------------------------------------------------
# Entry points


def build_document(ctx: ExportContext) -> Document:
    """The python-docx :class:`~docx.document.Document` of the plan in ``ctx``."""
    return _Writer(ctx).build()


def export_docx(ctx: ExportContext) -> bytes:
    """The plan as the bytes of a ``.docx`` file (the ``docx`` exporter's function).

    Options (``--option key=value``): ``annex=no`` leaves out the findings and
    scorecards, ``canvas=no`` the IAP Canvas, ``landscape=no`` keeps section 3 portrait.
    """
    buffer = io.BytesIO()
    build_document(ctx).save(buffer)
    return buffer.getvalue()
