"""Tables: the City Action Table as CSV, and the whole plan as an Excel workbook.

``csv`` writes the City Action Table of the URBACT IAP template, one row per action:
id, title, description, objectives served, intended results, resources, outputs,
long-term change, timescale start, timescale end, lead, partners. It is UTF-8 with
a byte order mark (so that Excel reads the accents), every field quoted.

``xlsx`` writes a workbook that holds the *whole* plan: the ``xlsx`` reader
(:mod:`techdiversity.xlsx_reader`) reads it back equal to the plan, so a city can
fill in the workbook and get a plan file. Each sheet has one header row, then one
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
Objectives           id, title, description, addresses, target groups
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

Cells
-----

- Text is a text cell, never a formula. A text that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a single quote ``'`` in front (OWASP's advice
  against formula injection), and so does a text that begins with ``'`` itself and
  the empty text (which is thus told apart from an empty cell, "nothing"); the reader
  takes that one quote off again.
- Characters a workbook cannot hold (control characters such as the vertical tab
  ``\\x0b`` that Word pastes, ``\\x00``, the carriage return, U+FFFE, U+FFFF) are
  written as OOXML escapes ``_xHHHH_`` (``_x000B_``), as Excel itself does; a text that
  holds ``_x`` and four hex digits literally has its ``_`` escaped as ``_x005F_``.
  Excel shows the characters, and the reader restores them exactly.
- Lists (of ids, outputs, target groups...) are one cell, one item per line; inside an
  item a line break is written ``\\n`` and a backslash ``\\\\``. An empty list is an empty
  cell; a list of one empty item is an empty text (``'``).
- Dates stay text as written (``2025``, ``2025-Q3``, ``2025-09-06``). Numbers are number
  cells, written with every digit (``repr``), so they read back exactly; numbers that
  the plan holds as text stay text cells. true and false are boolean cells.
- A timescale, period, baseline or target that is there but empty (``timescale: {}``)
  is written as an empty text (``'``) in its start or date column; a ``context``,
  ``vision``, ``integration`` or ``implementation`` section that is there but empty as
  a row of the Plan sheet with the section's name and no value.
- A cell holds at most 32,767 characters. A longer text is cut into pieces: the first
  stays in its cell, the others go, in order, to the Continued Text sheet with the
  sheet and cell they continue; the reader joins them.

The CSV uses the same cell text (quote, escapes, lists) and no length limit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ...sourcemap import pointer_to_path

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "CONTINUED",
    "FIELDS",
    "MAX_CELL",
    "SECTION_MARKERS",
    "SHEETS",
    "Column",
    "Sheet",
    "decode_text",
    "encode_text",
    "join_list",
    "normalise_header",
    "resources_text",
    "split_list",
    "unneutralise",
]

EXCEL_HINT = "reading and writing Excel workbooks needs openpyxl, which is not installed: pip install openpyxl"

#: The most characters (UTF-16 code units, as Excel counts) one cell holds.
MAX_CELL = 32767

# ---------------------------------------------------------------------------
# Cell text: neutralising, escaping, lists

#: First characters that make a spreadsheet read a cell as a formula (OWASP), and the
#: quote itself, so that the quote put in front can always be taken off again.
_NEUTRALISE = frozenset("=+-@\t\r'")

#: What XML 1.0 cannot hold (or would turn into something else: CR becomes LF).
_UNSAFE = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ESCAPE_RE = re.compile(f"_(?=x[0-9A-Fa-f]{{4}})|[{_UNSAFE}]")
_UNESCAPE_RE = re.compile("_x([0-9A-Fa-f]{4})_")


def neutralise(text: str) -> str:
    """``'`` in front of a text that a spreadsheet could take for a formula, of ``'...`` and of ``""``."""
    if not text or text[0] in _NEUTRALISE:
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Take off the quote that :func:`neutralise` put in front (and only that one)."""
    if text.startswith("'") and (len(text) == 1 or text[1] in _NEUTRALISE):
        return text[1:]
    return text


def _escape_one(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def escape_ooxml(text: str) -> str:
    """Characters a workbook cannot hold as ``_xHHHH_``; a literal ``_xHHHH`` keeps its ``_`` as ``_x005F_``."""
    return _ESCAPE_RE.sub(_escape_one, text)


def unescape_ooxml(text: str) -> str:
    """The reverse of :func:`escape_ooxml` (and of Excel's own escaping)."""
    if "_x" not in text:
        return text
    return _UNESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def encode_text(text: str) -> str:
    """A text as it is written into a cell."""
    return escape_ooxml(neutralise(text))


def decode_text(cell: str) -> str:
    """A cell's text back to the text of the plan: ``decode_text(encode_text(t)) == t``."""
    return unneutralise(unescape_ooxml(cell))


_ITEM_ESCAPE_RE = re.compile(r"\\(\\|n)")


def join_list(items: Iterable[str]) -> str:
    """Items one per line; a line break inside an item is ``\\n``, a backslash ``\\\\``."""
    return "\n".join(item.replace("\\", "\\\\").replace("\n", "\\n") for item in items)


def split_list(text: str) -> list[str]:
    """The reverse of :func:`join_list`; a backslash before anything else stays as it is."""
    return [
        _ITEM_ESCAPE_RE.sub(lambda m: "\\" if m.group(1) == "\\" else "\n", part) if "\\" in part else part
        for part in text.split("\n")
    ]


def number_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def resources_text(resources: Iterable[Mapping[str, Any]]) -> str:
    """The readable summary of an action's resources: ``budget: 15000 EUR (municipal)``, one per line."""
    lines = []
    for r in resources:
        if not isinstance(r, Mapping):
            lines.append(str(r))
            continue
        qty = " ".join(
            number_text(x) for x in (r.get("amount"), r.get("currency"), r.get("unit")) if x is not None and x != ""
        )
        line = str(r.get("kind", "?")) + (f": {qty}" if qty else "")
        if r.get("source") is not None:
            line += f" ({r['source']})"
        if r.get("description") is not None:
            line += f" – {r['description']}"
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# The layout

Kind = Literal["text", "list", "date", "int", "number", "value", "bool", "key", "resources"]


def normalise_header(text: str) -> str:
    """Headers and field names compare without case, ``-``, ``_``, ``.`` and extra spaces."""
    return " ".join(re.sub(r"[-_.]", " ", text).split()).casefold()


@attrs.frozen
class Column:
    """A column of a sheet: its header, the keys of its value inside the row's thing, its kind.

    ``path`` has one key (``title``) or two (``timescale``, ``start``) for a value inside
    a small record. ``key`` columns name the owner (a problem, an action...) of the row;
    the ``resources`` column is the readable summary (not read back).
    """

    header: str
    path: tuple[str, ...]
    kind: Kind = "text"
    aliases: tuple[str, ...] = ()
    width: int = 0

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
            _c("resources", kind="resources", width=30),
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


def sheet_by_title() -> dict[str, Sheet]:
    """Every sheet the reader knows, by title."""
    return {s.title: s for s in (*SHEETS, CONTINUED)}


# ---------------------------------------------------------------------------
# Plan data -> rows of cell values (str = text cell, int/float = number, bool, None = empty)

Cell = str | int | float | bool | None


def _get(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _cell(kind: Kind, value: Any) -> Cell:
    """A value of the plan data as a cell value (text already encoded)."""
    if value is None:
        return None
    if kind == "list":
        return encode_text(join_list(str(v) for v in value)) if value else None
    if kind == "date":
        return encode_text(str(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and kind != "text" and kind != "key":
        return value
    return encode_text(str(value))


def _record_cell(column: Column, record: Mapping[str, Any]) -> Cell:
    if column.kind == "resources":
        resources = record.get("resources") or []
        return encode_text(resources_text(resources)) if resources else None
    if len(column.path) == 2:
        group = record.get(column.path[0])
        if group is None:
            return None
        if not group and column.path[1] in MARKER_FIELDS:
            return encode_text("")  # there, but empty
        return _cell(column.kind, group.get(column.path[1]))
    return _cell(column.kind, record.get(column.path[0]))


def _items(data: Mapping[str, Any], section: Sequence[str]) -> list[Any]:
    found = _get(data, section)
    return list(found) if isinstance(found, list) else []


def plan_rows(data: Mapping[str, Any]) -> list[list[Cell]]:
    """The rows (after the header) of the Plan sheet."""
    rows: list[list[Cell]] = []
    for path, kind in FIELDS:
        value = _get(data, path)
        if len(path) == 3 and path[1] == "period" and path[2] in MARKER_FIELDS:
            period = _get(data, path[:2])
            if period == {}:
                rows.append([encode_text(".".join(path)), encode_text("")])
                continue
        rows.append([encode_text(".".join(path)), _cell(kind, value)])
    for section in SECTION_MARKERS:
        if data.get(section) == {}:
            rows.append([encode_text(section), None])
    return rows


def _where(location: Any) -> str | None:
    if location is None:
        return None
    return f"{location} ({location.detail})" if location.detail else str(location)


def sheet_rows(sheet: Sheet, data: Mapping[str, Any], findings: Iterable[Any] = ()) -> list[list[Cell]]:
    """The rows (after the header) of ``sheet`` for the plan ``data`` (as :func:`unstructure` gives it)."""
    if sheet.mode == "fields":
        return plan_rows(data)
    if sheet.mode == "output":
        return [
            [
                encode_text(f.severity),
                encode_text(f.code),
                encode_text(f.message),
                _cell("list", list(f.subjects)),
                _cell("text", pointer_to_path(f.pointer) or None),
                _cell("text", _where(f.location)),
            ]
            for f in findings
        ]
    rows: list[list[Cell]] = []
    if sheet.mode == "items":
        for record in _items(data, sheet.section):
            rows.append([_record_cell(c, record) for c in sheet.columns])
    elif sheet.mode in ("children", "details"):
        for owner in _items(data, sheet.section):
            key = _cell("key", owner.get("id"))
            if sheet.mode == "details":
                rows.append([key, *(_record_cell(c, owner) for c in sheet.columns[1:])])
                continue
            for child in owner.get(sheet.field) or []:
                rows.append([key, *(_record_cell(c, child) for c in sheet.columns[1:])])
    elif sheet.mode == "types":
        types = _get(data, sheet.section) or {}
        for name, record in types.items():
            rows.append([_cell("key", name), *(_record_cell(c, record) for c in sheet.columns[1:])])
    return rows


# ---------------------------------------------------------------------------
# XLSX


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


_ATOM_RE = re.compile(r"_x[0-9A-Fa-f]{4}_|.", re.DOTALL)


def split_cell_text(payload: str, limit: int = MAX_CELL) -> list[str]:
    """Cut an encoded text into pieces of at most ``limit`` UTF-16 units, never inside an escape.

    The first piece stays as it is (it begins the text, already neutralised); the
    others are meant for the Continued Text sheet, where each is neutralised again,
    so they are cut one unit shorter.
    """
    if _utf16_len(payload) <= limit:
        return [payload]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for match in _ATOM_RE.finditer(payload):
        atom = match.group(0)
        n = 2 if len(atom) == 1 and ord(atom) > 0xFFFF else len(atom)
        if size + n > room:
            pieces.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(atom)
        size += n
    pieces.append("".join(current))
    return pieces


class _XlsxWriter:
    """Writes rows into a workbook, keeping every text and number exact.

    A normal (not write-only) workbook, so that each sheet starts with its dimension:
    without it, openpyxl reads every sheet twice when it opens the workbook.
    """

    def __init__(self) -> None:
        try:
            from openpyxl import Workbook
        except ImportError:  # pragma: no cover - openpyxl is a dependency; only a broken install lacks it
            from ...errors import MissingDependencyError

            raise MissingDependencyError("writing Excel workbooks", "openpyxl", "pip install openpyxl") from None
        self.workbook = Workbook()
        for ws in list(self.workbook.worksheets):
            self.workbook.remove(ws)
        self.continued: list[list[Cell]] = []

    def sheet(self, sheet: Sheet, rows: Iterable[Sequence[Cell]]) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        ws = self.workbook.create_sheet(sheet.title)
        bold = Font(bold=True)
        for c, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = column.width or 20
            cell = ws.cell(1, c)
            cell.value = column.header
            cell.data_type = "s"
            cell.font = bold
        ws.freeze_panes = "A2"
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    self._cell(ws, sheet.title, r, c, value)

    def _cell(self, ws: Worksheet, title: str, row: int, col: int, value: str | int | float | bool) -> None:
        cell = ws.cell(row, col)
        if isinstance(value, bool):
            cell.value = value
            return
        if isinstance(value, (int, float)):
            # openpyxl writes numbers with 16 significant digits ("%.16g"), which loses
            # some floats and big integers; the number's own text keeps every digit.
            cell.value = number_text(value)
            cell.data_type = "n"
            return
        pieces = split_cell_text(value)
        if len(pieces) > 1:
            coordinate = cell.coordinate
            for piece in pieces[1:]:
                self.continued.append([encode_text(title), encode_text(coordinate), neutralise(piece)])
        cell.value = pieces[0]
        cell.data_type = "s"  # a text, never a formula

    def save(self) -> bytes:
        if self.continued:
            self.sheet(CONTINUED, self.continued)
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


def write_workbook(sheets: Iterable[tuple[Sheet, Iterable[Sequence[Cell]]]]) -> bytes:
    """A workbook of these sheets and rows (the exporter's writer, for tests and other tools)."""
    writer = _XlsxWriter()
    for sheet, rows in sheets:
        writer.sheet(sheet, rows)
    return writer.save()
