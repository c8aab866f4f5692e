"""The layout of a plan workbook: its sheets and columns, declared once for both ways.

A plan workbook holds the *whole* plan: the writer
(:mod:`techdiversity.formats.xlsx.writer`, the ``xlsx`` exporter) and the reader
(:mod:`techdiversity.formats.xlsx.reader`) walk the same :data:`SHEETS` and
:data:`FIELDS`, in which each column names its header, the field of the plan it holds
(``path``) and its kind, whose :class:`~techdiversity.formats.xlsx.cells.CellType`
says how a value is written into a cell and read back. So a city can fill in the
workbook and get a plan file, equal to the plan it was written from. Each sheet has one header row, then one
row per thing; a column may be left out or moved, headers are matched by name
(case, spaces, ``-`` and ``_`` do not matter; the plan format's key names, such as
``contributes_to``, are accepted too).

Workbook layout
---------------

==================== ============================================================
sheet                columns (one row per ...)
==================== ============================================================
Plan                 field, value: one row per field of the ``plan``, ``context``,
                     ``vision`` and ``implementation`` sections, ``strategic_goal``
                     and ``format``; the field is its dotted path (``plan.period.start``)
Related Strategies   title, link (``context.related_strategies``)
Problems             id, statement, core, causes, effects
Evidence             problem, source, finding, link (the ``evidence`` of a problem)
Objectives           id, title, description, addresses, target groups, iati
City Action Table    id, title, description, objectives served, intended results,
                     resources, outputs, long-term change, timescale start,
                     timescale end, lead, partners
Action Details       action, depends on, target groups, integration aspects,
                     implementation notes
Resources            action, kind, amount, currency, unit, source, description
Indicators           id, name, kind, measures, unit, baseline value, baseline date,
                     baseline note, target value, target date, target note, source,
                     disaggregation, direction, cumulative
Milestones, Actuals  indicator, value, date, note
Stakeholders         id, name, type, participation, represents
Meetings             date, kind, topic, participants
Risks                id, description, likelihood, impact, mitigation, affects
Testing Actions      id, challenge, what if, hypothesis, idea, measurement, purposes,
                     tests, period start, period end, status, learnings
Integration Types    type, situation, progress, score (``integration.types``)
Integration Aspects  aspect, relevant, why, baseline, future actions
Findings             severity, code, message, subjects, field, location: what the
                     checks found; written for reading, never read back
Continued Text       sheet, cell, text: only when a text is longer than a cell holds
==================== ============================================================

Rows of Evidence, Action Details, Resources, Milestones and Actuals name their
problem, action or indicator by id in their first column. The ``resources`` column
of the City Action Table is a readable summary written from the Resources sheet; the
reader does not read it (and says so when it was changed).

How each kind of column holds its values in a cell (text, lists, dates, numbers,
booleans, texts too long for one cell) is :mod:`techdiversity.formats.xlsx.cells`.
"""

from __future__ import annotations

import re
from typing import Literal

import attrs

from .cells import CELL_TYPES, CellType, Kind

__all__ = [
    "CONTINUED",
    "FIELDS",
    "MARKER_FIELDS",
    "SECTION_MARKERS",
    "SHEETS",
    "Column",
    "Sheet",
    "marks_record",
    "normalise_header",
    "sheet_by_title",
]


def normalise_header(text: str) -> str:
    """Headers and field names compare without case, ``-``, ``_``, ``.`` and extra spaces."""
    return " ".join(re.sub(r"[-_.]", " ", text).split()).casefold()


@attrs.frozen(cache_hash=True)
class Column:
    """A column of a sheet: its header, the field it holds inside the row's thing, its kind.

    ``path`` has one key (``title``) or two (``timescale``, ``start``) for a value inside
    a small record. ``key`` columns name the owner (a problem, an action...) of the row;
    the ``resources`` column is the readable summary of the row's resources, written
    and not read back (the Resources sheet is). ``kind`` names the
    :class:`~techdiversity.formats.xlsx.cells.CellType` (:attr:`type`) that writes and
    reads its cells.
    """

    header: str
    path: tuple[str, ...]
    kind: Kind = "text"
    aliases: tuple[str, ...] = ()
    width: int = 0

    @property
    def type(self) -> CellType:
        """How the column writes a value into a cell and reads it back."""
        return CELL_TYPES[self.kind]

    def names(self) -> tuple[str, ...]:
        """Every header this column answers to, normalised."""
        out = [self.header, *self.aliases]
        if self.path:
            out.append("_".join(self.path))
        return tuple(dict.fromkeys(normalise_header(n) for n in out))


Mode = Literal["fields", "items", "children", "details", "types", "output", "continued"]


@attrs.frozen
class Sheet:
    """A sheet of the workbook.

    ``mode`` says what a row is: a field of the plan (``fields``), a thing of ``section``
    (``items``), a thing of the list ``field`` of the ``owner`` named in the first column
    (``children``), more fields of that owner (``details``), an entry of the mapping
    ``section`` keyed by the first column (``types``), or output only (``output``).
    """

    title: str
    mode: Mode
    columns: tuple[Column, ...]
    section: tuple[str, ...] = ()
    owner: str = ""
    field: str = ""


def _c(header: str, *path: str, kind: Kind = "text", aliases: tuple[str, ...] = (), width: int = 0) -> Column:
    return Column(header, tuple(path), kind, aliases, width)


def _id() -> Column:
    return _c("id", "id", width=10)


def _key(header: str) -> Column:
    return _c(header, kind="key", width=12)


#: The rows of the Plan sheet: the dotted field and the kind of its value.
FIELDS: tuple[tuple[tuple[str, ...], Kind], ...] = (
    (("format",), "int"),
    (("plan", "id"), "text"),
    (("plan", "city"), "text"),
    (("plan", "country"), "text"),
    (("plan", "network"), "text"),
    (("plan", "programme"), "text"),
    (("plan", "title"), "text"),
    (("plan", "version"), "text"),
    (("plan", "status"), "text"),
    (("plan", "period", "start"), "date"),
    (("plan", "period", "end"), "date"),
    (("plan", "language"), "text"),
    (("plan", "publisher"), "text"),
    (("plan", "iati"), "json"),
    (("context", "theme"), "text"),
    (("context", "current_situation"), "text"),
    (("context", "target_groups"), "list"),
    (("context", "integration_challenges"), "list"),
    (("vision", "horizon"), "int"),
    (("vision", "headline"), "text"),
    (("vision", "text"), "text"),
    (("strategic_goal",), "text"),
    (("implementation", "governance"), "text"),
    (("implementation", "monitoring"), "text"),
    (("implementation", "communication"), "text"),
    (("implementation", "funding_strategy"), "text"),
)

#: Sections that a row of the Plan sheet with no value marks as there (when empty).
SECTION_MARKERS: tuple[str, ...] = ("context", "vision", "integration", "implementation")

SHEETS: tuple[Sheet, ...] = (
    Sheet("Plan", "fields", (_c("field", width=34), _c("value", width=80))),
    Sheet(
        "Related Strategies",
        "items",
        (_c("title", "title", width=50), _c("link", "link", width=40)),
        section=("context", "related_strategies"),
    ),
    Sheet(
        "Problems",
        "items",
        (
            _id(),
            _c("statement", "statement", width=60),
            _c("core", "core", kind="bool", width=8),
            _c("causes", "causes", kind="list", width=14),
            _c("effects", "effects", kind="list", width=14),
        ),
        section=("problems",),
    ),
    Sheet(
        "Evidence",
        "children",
        (
            _key("problem"),
            _c("source", "source", width=30),
            _c("finding", "finding", width=60),
            _c("link", "link", width=30),
        ),
        section=("problems",),
        owner="problems",
        field="evidence",
    ),
    Sheet(
        "Objectives",
        "items",
        (
            _id(),
            _c("title", "title", width=30),
            _c("description", "description", width=60),
            _c("addresses", "addresses", kind="list", width=14),
            _c("target groups", "target_groups", kind="list", width=20),
            _c("iati", "iati", kind="json", width=16),
        ),
        section=("objectives",),
    ),
    Sheet(
        "City Action Table",
        "items",
        (
            _id(),
            _c("title", "title", width=30),
            _c("description", "description", width=50),
            _c("objectives served", "contributes_to", kind="list", aliases=("objectives",), width=14),
            _c("intended results", "intended_results", width=40),
            _c("resources", "resources", kind="resources", width=30),
            _c("outputs", "outputs", kind="list", width=30),
            _c("long-term change", "long_term_change", width=40),
            _c("timescale start", "timescale", "start", kind="date", aliases=("start",), width=12),
            _c("timescale end", "timescale", "end", kind="date", aliases=("end",), width=12),
            _c("lead", "lead", width=10),
            _c("partners", "partners", kind="list", width=14),
        ),
        section=("actions",),
    ),
    Sheet(
        "Action Details",
        "details",
        (
            _key("action"),
            _c("depends on", "depends_on", kind="list", width=14),
            _c("target groups", "target_groups", kind="list", width=20),
            _c("integration aspects", "integration_aspects", kind="list", width=40),
            _c("implementation notes", "implementation_notes", width=60),
        ),
        section=("actions",),
        owner="actions",
    ),
    Sheet(
        "Resources",
        "children",
        (
            _key("action"),
            _c("kind", "kind", width=12),
            _c("amount", "amount", kind="number", width=12),
            _c("currency", "currency", width=10),
            _c("unit", "unit", width=10),
            _c("source", "source", width=14),
            _c("description", "description", width=40),
        ),
        section=("actions",),
        owner="actions",
        field="resources",
    ),
    Sheet(
        "Indicators",
        "items",
        (
            _id(),
            _c("name", "name", width=40),
            _c("kind", "kind", width=10),
            _c("measures", "measures", kind="list", width=14),
            _c("unit", "unit", width=12),
            _c("baseline value", "baseline", "value", kind="value", width=12),
            _c("baseline date", "baseline", "date", kind="date", width=12),
            _c("baseline note", "baseline", "note", width=20),
            _c("target value", "target", "value", kind="value", width=12),
            _c("target date", "target", "date", kind="date", width=12),
            _c("target note", "target", "note", width=20),
            _c("source", "source", width=30),
            _c("disaggregation", "disaggregation", kind="list", width=20),
            _c("direction", "direction", width=10),
            _c("cumulative", "cumulative", kind="bool", width=10),
            # as IATI publishes values: JSON, as the plan format writes them
            *(
                _c(f"{m} {field}", m, field, kind="json", width=16)
                for m in ("baseline", "target")
                for field in ("period", "dimensions", "locations", "iati")
            ),
            _c("baselines", "baselines", kind="json", width=16),
            _c("iati", "iati", kind="json", width=16),
        ),
        section=("indicators",),
    ),
    *(
        Sheet(
            title,
            "children",
            (
                _key("indicator"),
                _c("value", "value", kind="value", width=12),
                _c("date", "date", kind="date", width=12),
                _c("note", "note", width=40),
                *(_c(field, field, kind="json", width=16) for field in ("period", "dimensions", "locations", "iati")),
            ),
            section=("indicators",),
            owner="indicators",
            field=field,
        )
        for title, field in (("Milestones", "milestones"), ("Actuals", "actuals"))
    ),
    Sheet(
        "Stakeholders",
        "items",
        (
            _id(),
            _c("name", "name", width=40),
            _c("type", "type", width=18),
            _c("participation", "participation", width=14),
            _c("represents", "represents", kind="list", width=20),
        ),
        section=("stakeholders",),
    ),
    Sheet(
        "Meetings",
        "items",
        (
            _c("date", "date", kind="date", width=12),
            _c("kind", "kind", width=14),
            _c("topic", "topic", width=50),
            _c("participants", "participants", kind="list", width=20),
        ),
        section=("meetings",),
    ),
    Sheet(
        "Risks",
        "items",
        (
            _id(),
            _c("description", "description", width=50),
            _c("likelihood", "likelihood", width=10),
            _c("impact", "impact", width=10),
            _c("mitigation", "mitigation", width=50),
            _c("affects", "affects", kind="list", width=14),
        ),
        section=("risks",),
    ),
    Sheet(
        "Testing Actions",
        "items",
        (
            _id(),
            _c("challenge", "challenge", width=30),
            _c("what if", "what_if", width=40),
            _c("hypothesis", "hypothesis", width=40),
            _c("idea", "idea", width=40),
            _c("measurement", "measurement", width=30),
            _c("purposes", "purposes", kind="list", width=20),
            _c("tests", "tests", kind="list", width=12),
            _c("period start", "period", "start", kind="date", aliases=("start",), width=12),
            _c("period end", "period", "end", kind="date", aliases=("end",), width=12),
            _c("status", "status", width=10),
            _c("learnings", "learnings", width=50),
        ),
        section=("testing_actions",),
    ),
    Sheet(
        "Integration Types",
        "types",
        (
            _key("type"),
            _c("situation", "situation", width=50),
            _c("progress", "progress", width=50),
            _c("score", "score", kind="int", width=8),
        ),
        section=("integration", "types"),
    ),
    Sheet(
        "Integration Aspects",
        "items",
        (
            _c("aspect", "aspect", width=36),
            _c("relevant", "relevant", kind="bool", width=10),
            _c("why", "why", width=50),
            _c("baseline", "baseline", kind="int", width=10),
            _c("future actions", "future_actions", width=50),
        ),
        section=("integration", "aspects"),
    ),
    Sheet(
        "Findings",
        "output",
        (
            _c("severity", width=10),
            _c("code", width=8),
            _c("message", width=70),
            _c("subjects", kind="list", width=14),
            _c("field", width=24),
            _c("location", width=30),
        ),
    ),
)

#: The sheet that holds the rest of texts too long for one cell.
CONTINUED = Sheet("Continued Text", "continued", (_c("sheet", width=20), _c("cell", width=8), _c("text", width=80)))

#: Which column of a small record marks it as there when all its fields are empty.
MARKER_FIELDS = {"start", "date"}


def marks_record(path: tuple[str, ...]) -> bool:
    """True for the field whose empty text says that its small record is there but empty.

    ``timescale.start``, ``period.start`` and the ``date`` of a baseline or target; on
    the Plan sheet, ``plan.period.start``.
    """
    return len(path) >= 2 and path[-1] in MARKER_FIELDS


def sheet_by_title() -> dict[str, Sheet]:
    """Every sheet the reader knows, by title."""
    return {s.title: s for s in (*SHEETS, CONTINUED)}
