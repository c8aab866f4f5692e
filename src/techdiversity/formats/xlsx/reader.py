"""Read a plan from an Excel workbook (``.xlsx``), as the ``xlsx`` exporter writes it.

A city that fills in the workbook written by ``techdiversity export --to xlsx`` gets
a plan back: every sheet has a header row, and each row becomes a thing of the plan
(the layout, :mod:`techdiversity.formats.xlsx.layout`, and the way cells hold text,
lists, dates and numbers, :mod:`techdiversity.formats.xlsx.cells`, are the ones the
writer walks). The plan then goes through the same converter
and checks as a YAML file.

Places: a workbook has no lines, so a position is ``line = row`` and ``column =
column`` (both from 1) of the cell, and every message ends with the sheet and the cell,
e.g. ``plan.xlsx:7:4: indicators[2].baseline.value: expected a number or text, got a
boolean (true) (sheet Indicators, cell D7)``.

Nothing is dropped silently. A cell the reader cannot read (a formula, an error value
such as ``#REF!``, a date where text is expected, a value in a column without a
header), an unknown column header, an unknown sheet that holds something, a row that
names a problem, action or indicator that does not exist: each refuses the workbook
with a :class:`~techdiversity.PlanError` naming sheet and cell. What is deliberately
not read (an edited resources summary of the City Action Table, a chart sheet) is
returned as a note. The Findings sheet is output only and is not read.

Numbers typed where text is expected (an id ``7``) are read as their text; a date
cell in a date column (Excel turns ``2025-09-06`` into a date) as ``2025-09-06``.

Files that are not workbooks, damaged ones and zip bombs are refused at line 1,
column 1 before openpyxl opens them: the uncompressed size in the zip directory must
stay under :data:`MAX_UNCOMPRESSED` (Python's zip reader never inflates more than
the directory says, so that is a bound on what is inflated, not only a claim); the
shared-string table is counted as it is inflated, before openpyxl builds it, and must
stay under :data:`MAX_SHARED_STRINGS`; an XML part that declares an encoding other
than UTF-8 or UTF-16 is refused; while the sheets are read, the cells are counted
against :data:`MAX_CELLS`. A cell longer than Excel's 32,767 characters, and a text
whose ``_xHHHH_`` escapes make a lone surrogate, are refused at their cell. All the
budgets live in :mod:`techdiversity.limits`. Reading needs the ``excel`` extra
(openpyxl), which opens the workbook; the cells of its sheets are read by
:mod:`techdiversity.formats.xlsx.sheetrows`, which gives the rows openpyxl's
read-only ``iter_rows`` gives, at a fraction of the cost.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import io
import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from ... import limits
from ...errors import Diagnostic, PlanError
from ...readers import Reader, ReadResult
from ...safetext import quote
from ...sourcemap import Location, SourceMap, escape
from .cells import (
    CELL_TYPES,
    EXCEL_HINT,
    MARKER,
    Kind,
    Refused,
    decode_text,
    number_as_text,
    resources_text,
    shown,
    unneutralise,
)
from .layout import CONTINUED, FIELDS, SECTION_MARKERS, SHEETS, Column, Sheet, normalise_header
from .sheetrows import SheetOutOfOrder, sheet_rows

__all__ = ["MAX_CELLS", "MAX_MEMBERS", "MAX_SHARED_STRINGS", "MAX_UNCOMPRESSED", "READERS", "read_xlsx"]

#: The most bytes the parts of a workbook may unpack to (:data:`techdiversity.limits.MAX_XLSX_UNCOMPRESSED`).
MAX_UNCOMPRESSED = limits.MAX_XLSX_UNCOMPRESSED
#: The most parts (files) a workbook's zip archive may hold.
MAX_MEMBERS = limits.MAX_XLSX_MEMBERS
#: The most cells (empty ones in between included) read from all sheets together.
MAX_CELLS = limits.MAX_XLSX_CELLS
#: The most entries of the shared-string table.
MAX_SHARED_STRINGS = limits.MAX_XLSX_SHARED_STRINGS

_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_OVERRIDE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?Override\b[^>]*>")
_PART_NAME = re.compile(rb"""PartName\s*=\s*["']/?([^"']+)["']""")
#: the start of a shared-string item, ``<si>``, ``<si/>`` or ``<x:si ...>``
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?si[\s/>]")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_XML_ENCODINGS = frozenset(("utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "us-ascii", "ascii"))
_SURROGATE = re.compile("[\ud800-\udfff]")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_COORDINATE = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")

#: The sheet whose rows are the owners of child rows, and what one owner is called.
_OWNERS: dict[str, tuple[str, str]] = {
    "problems": ("Problems", "problem"),
    "actions": ("City Action Table", "action"),
    "indicators": ("Indicators", "indicator"),
}


class _Skip:
    """A cell that gave an error (already reported): leave it out."""


_SKIP = _Skip()


@functools.lru_cache(maxsize=1024)
def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _check_archive(content: bytes, path: str | None) -> None:
    """Refuse what is not an .xlsx zip archive, and archives that unpack too big."""
    if content.startswith(_OLE_MAGIC):
        raise PlanError.at(
            path,
            1,
            1,
            "this is an old Excel .xls file or an encrypted workbook, not an .xlsx workbook: "
            "save it as 'Excel Workbook (.xlsx)' without a password",
        )
    if not content.startswith(b"PK"):
        raise PlanError.at(path, 1, 1, "this is not an Excel .xlsx workbook (it is not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise PlanError.at(
            path, 1, 1, f"this .xlsx workbook is damaged (its zip archive cannot be read: {exc})"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise PlanError.at(
            path,
            1,
            1,
            f"the workbook holds {len(members):,} parts, more than {MAX_MEMBERS:,} (the budget of parts):"
            " is it a plan workbook?",
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise PlanError.at(
            path,
            1,
            1,
            f"the workbook unpacks to {total // (1024 * 1024)} MiB, more than "
            f"{limits.mib(MAX_UNCOMPRESSED)} (the budget of unpacked bytes): is it a plan workbook?",
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise PlanError.at(
            path, 1, 1, "this zip archive is not an Excel .xlsx workbook (it has no [Content_Types].xml)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_encodings(archive, members, path)
            _count_shared_strings(archive, names, path)
    except PlanError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError, RuntimeError) as exc:
        raise PlanError.at(path, 1, 1, f"this .xlsx workbook is damaged ({_one_line(exc)})") from None


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception (of openpyxl, zipfile, an XML parser) as one line of bounded length."""
    text = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_encodings(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], path: str | None) -> None:
    """Refuse an XML part that declares an encoding other than UTF-8 or UTF-16 (at its first bytes)."""
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels", ".vml")) or member.file_size == 0:
            continue
        with archive.open(member) as fh:
            head = fh.read(256)
        found = _XML_ENCODING.match(head)
        if found is None:
            continue
        name = found.group(1).decode("ascii", "replace")
        if name.strip().lower() not in _XML_ENCODINGS:
            raise PlanError.at(
                path,
                1,
                1,
                f"the part {quote(member.filename)} of the workbook declares the encoding {quote(name)}:"
                " a workbook is UTF-8 (or UTF-16); save it again with Excel",
            )


def _shared_string_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The shared-string parts: the one [Content_Types].xml names, and the usual name."""
    parts = {"xl/sharedStrings.xml"}
    with archive.open("[Content_Types].xml") as fh:
        manifest = fh.read(16 * 1024 * 1024)
    for override in _OVERRIDE.finditer(manifest):
        element = override.group()
        if _SHARED_STRINGS_TYPE.encode() in element:
            name = _PART_NAME.search(element)
            if name is not None:
                parts.add(name.group(1).decode("utf-8", "replace"))
    return parts & names


def _count_shared_strings(archive: zipfile.ZipFile, names: set[str], path: str | None) -> None:
    """Count the items of the shared-string table as it is inflated; refuse past :data:`MAX_SHARED_STRINGS`.

    openpyxl builds the whole table before any sheet is read (50 million empty items
    take gigabytes), so the budget is kept here, before it opens the workbook.
    """
    budget = MAX_SHARED_STRINGS
    for part in sorted(_shared_string_parts(archive, names)):
        count = 0
        tail = b""
        with archive.open(part) as fh:
            while True:
                chunk = fh.read(1 << 20)
                buf = tail + chunk
                keep = len(buf) if not chunk else max(0, len(buf) - 64)
                count += sum(1 for m in _SI.finditer(buf) if m.start() < keep)
                if count > budget:
                    raise PlanError.at(
                        path,
                        1,
                        1,
                        f"the workbook's shared-string table ({part}) has more than {budget:,} entries"
                        " (the budget of shared strings): is it a plan workbook?",
                    )
                if not chunk:
                    break
                tail = buf[keep:]


class _WorkbookReader:
    """Reads the sheets of one workbook into plan data, with a place for every value."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.smap = SourceMap(path)
        self.errors: list[Diagnostic] = []
        self.notes: list[Diagnostic] = []
        self.data: dict[str, Any] = {}
        #: (sheet, cell) -> the raw pieces that continue the cell's text, with their rows
        self.continued: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self.cells = 0
        #: owner section -> id -> index
        self.owners: dict[str, dict[str, int]] = {section: {} for section in _OWNERS}
        #: (action index, sheet, row, column, text) of the resources summaries
        self.summaries: list[tuple[int, str, int, int, str]] = []
        self.title = ""
        #: column -> the pointer of its value inside the row's thing
        self.suffixes: dict[Column, str] = {}

    # -- places and messages -------------------------------------------------

    def location(self, row: int, column: int, pointer: str = "", *, whole_row: bool = False) -> Location:
        where = f"row {row}" if whole_row else f"cell {_letter(column)}{row}"
        return Location(self.path, row, column, pointer, f"sheet {self.title}, {where}")

    def error(self, row: int, column: int, message: str, pointer: str = "", *, whole_row: bool = False) -> None:
        self.errors.append(Diagnostic(self.location(row, column, pointer, whole_row=whole_row), message))

    def place(self, pointer: str, row: int, column: int, *, whole_row: bool = False) -> None:
        if pointer in self.smap.values:
            return
        self.smap.values[pointer] = (row, column)
        where = f"row {row}" if whole_row else f"cell {_letter(column)}{row}"
        self.smap.details[pointer] = f"sheet {self.title}, {where}"

    # -- rows and cells ----------------------------------------------------------

    def rows(self, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """Rows of a sheet with their numbers; the sheet's own claim of its size is ignored."""
        try:
            yield from self._rows(ws)
        except SheetOutOfOrder as exc:
            raise PlanError(
                [Diagnostic(self.location(exc.row, exc.column, whole_row=exc.column == 1), str(exc))]
            ) from None

    def _rows(self, ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for number, row in enumerate(sheet_rows(ws), start=1):
            self.cells += len(row) + 1
            if self.cells > MAX_CELLS:
                raise PlanError.at(
                    self.path,
                    1,
                    1,
                    f"the workbook has more than {MAX_CELLS:,} cells (the budget of cells): is it a plan workbook?",
                )
            yield number, tuple(row)

    def raw(self, cell: Any, row: int, column: int, pointer: str = "", *, decode: bool = True) -> Any:
        """A cell's value: text decoded (and joined with its continuation), numbers, booleans, dates.

        With ``decode=False`` a text is returned as the cell holds it (still escaped).
        """
        value = cell.value
        if value is None:
            return None
        data_type = getattr(cell, "data_type", None)
        if data_type == "f":
            self.error(
                row,
                column,
                f"a formula ({shown(value)}): a plan is read from values and formulas are not computed; "
                "type the value itself",
                pointer,
            )
            return _SKIP
        if data_type == "e":
            self.error(row, column, f"an error value ({shown(value)}): correct the cell or empty it", pointer)
            return _SKIP
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                self.error(row, column, f"expected a finite number, got {value}", pointer)
                return _SKIP
            return value
        if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            return value
        text = str(value)
        if len(text) > limits.MAX_CELL_CHARS:
            self.error(
                row,
                column,
                f"a text of {len(text):,} characters: more than the {limits.MAX_CELL_CHARS:,} a cell of Excel"
                " holds (the budget of a cell); a longer text goes on over rows of the sheet"
                f" {CONTINUED.title!r}, as 'techdiversity export --to xlsx' writes it",
                pointer,
            )
            return _SKIP
        if not decode:
            return text
        pieces = self.continued.pop((self.title, f"{_letter(column)}{row}"), None) if self.continued else None
        if pieces:
            text += "".join(piece for piece, _ in pieces)
        decoded = decode_text(text)
        if "_x" in text and _SURROGATE.search(decoded):
            try:  # escapes of both halves of a pair make one character
                decoded = decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                self.error(
                    row,
                    column,
                    "a lone surrogate (an _xD800_ to _xDFFF_ escape, half of a UTF-16 pair with no other half)"
                    " in the text: it is no character; remove it",
                    pointer,
                )
                return _SKIP
        return decoded

    def convert(self, kind: Kind, value: Any, row: int, column: int, pointer: str, *, marker: bool = False) -> Any:
        """A cell's value as the plan data wants it for a column of ``kind``, as its cell type reads it."""
        try:
            return CELL_TYPES[kind].parse(value, marker)
        except Refused as exc:
            self.error(row, column, str(exc), pointer)
            return _SKIP

    def header(self, sheet: Sheet, row: tuple[Any, ...]) -> tuple[dict[int, Column], set[int]]:
        """The columns of a sheet by number, from its first row; and the numbers of refused headers."""
        names: dict[str, Column] = {}
        for column in sheet.columns:
            for name in column.names():
                names.setdefault(name, column)
        mapping: dict[int, Column] = {}
        refused: set[int] = set()
        first: dict[Column, int] = {}
        for number, cell in enumerate(row, start=1):
            value = self.raw(cell, 1, number)
            if value is None or value is _SKIP:
                if value is _SKIP:
                    refused.add(number)
                continue
            if not isinstance(value, str):
                value = number_as_text(value) if isinstance(value, (int, float)) else str(value)
            if not value.strip():
                continue
            found = names.get(normalise_header(value))
            if found is None:
                known = [c.header for c in sheet.columns]
                close = difflib.get_close_matches(value.strip().lower(), known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"the columns are: {', '.join(known)}"
                self.error(1, number, f"unknown column {quote(value)} ({hint})")
                refused.add(number)
            elif found in first:
                self.error(
                    1,
                    number,
                    f"the column {found.header!r} is there twice (first in column {_letter(first[found])})",
                )
                refused.add(number)
            else:
                mapping[number] = found
                first[found] = number
        return mapping, refused

    def table(
        self, ws: Any, sheet: Sheet, *, decode: bool = True
    ) -> Iterator[tuple[int, dict[Column, tuple[Any, int]]]]:
        """The data rows of a sheet: row number and {column: (value, column number)}; empty rows left out."""
        rows = self.rows(ws)
        mapping: dict[int, Column] | None = None
        refused: set[int] = set()
        headless: set[int] = set()
        for number, row in rows:
            if mapping is None:
                if not any(cell.value is not None for cell in row):
                    if any(any(c.value is not None for c in later) for _, later in rows):
                        self.error(1, 1, "the first row must hold the column headers", whole_row=True)
                    return
                mapping, refused = self.header(sheet, row)
                continue
            values: dict[Column, tuple[Any, int]] = {}
            for col, cell in enumerate(row, start=1):
                if cell.value is None:
                    continue
                column = mapping.get(col)
                if column is None:
                    if col not in refused and col not in headless:
                        headless.add(col)
                        self.error(
                            number,
                            col,
                            f"a value in column {_letter(col)}, which has no header: "
                            f"give the column one of the headers {', '.join(c.header for c in sheet.columns)}, "
                            "or empty it",
                        )
                    continue
                value = self.raw(cell, number, col, decode=decode)
                if value is None or value is _SKIP:
                    continue
                values[column] = (value, col)
            if values:
                yield number, values

    # -- sheets --------------------------------------------------------------------

    def read_continued(self, ws: Any) -> None:
        """The pieces of long texts, kept raw (still escaped) until their cell is read."""
        for number, row in self.table(ws, CONTINUED, decode=False):
            cells = {c.header: (v, n) for c, (v, n) in row.items()}
            missing = [h for h in ("sheet", "cell", "text") if h not in cells]
            if missing:
                self.error(
                    number, 1, f"a continued text needs a sheet, a cell and a text ({', '.join(missing)} missing)"
                )
                continue
            sheet, _ = cells["sheet"]
            coordinate, col = cells["cell"]
            text, text_col = cells["text"]
            sheet = decode_text(sheet) if isinstance(sheet, str) else str(sheet)
            coordinate = (decode_text(coordinate) if isinstance(coordinate, str) else str(coordinate)).strip().upper()
            if not _COORDINATE.fullmatch(coordinate):
                self.error(number, col, f"{shown(coordinate)!r} is not a cell address such as D7")
                continue
            if not isinstance(text, str):
                self.error(number, text_col, "the text of a continued text must be text")
                continue
            # pieces stay escaped: the whole text is decoded once its pieces are joined
            self.continued.setdefault((sheet, coordinate), []).append((unneutralise(text), number))

    def read_plan(self, ws: Any, sheet: Sheet) -> None:
        fields: dict[str, tuple[tuple[str, ...], Kind]] = {}
        for path, kind in FIELDS:
            fields[normalise_header(".".join(path))] = (path, kind)
        known = [".".join(path) for path, _ in FIELDS]
        seen: dict[str, int] = {}
        has_format = False
        for number, row in self.table(ws, sheet):
            cells = {c.header: (v, n) for c, (v, n) in row.items()}
            if "field" not in cells:
                col = cells["value"][1]
                self.error(number, col, "a value without a field name: write the field in column A")
                continue
            name, name_col = cells["field"]
            if not isinstance(name, str):
                name = str(name)
            value, value_col = cells.get("value", (None, name_col + 1))
            key = normalise_header(name)
            if key in seen:
                twice = f"the field {quote(name.strip())} is there twice (first in row {seen[key]})"
                self.error(number, name_col, twice)
                continue
            seen[key] = number
            if key in SECTION_MARKERS:
                if value is not None:
                    self.error(
                        number,
                        value_col,
                        f"the row {key!r} only marks the section as there: leave its value empty",
                        f"/{key}",
                    )
                    continue
                self.data.setdefault(key, {})
                self.place(f"/{key}", number, name_col)
                continue
            if key not in fields:
                close = difflib.get_close_matches(name.strip(), known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.error(number, name_col, f"unknown field {quote(name.strip())}{hint}")
                continue
            path, kind = fields[key]
            if path == ("format",):
                has_format = True
            if value is None:
                continue
            pointer = "".join(f"/{escape(p)}" for p in path)
            converted = self.convert(kind, value, number, value_col, pointer, marker=len(path) == 3)
            if converted is _SKIP:
                continue
            target = self.data
            for depth, part in enumerate(path[:-1], start=1):
                target = target.setdefault(part, {})
                self.place("".join(f"/{escape(p)}" for p in path[:depth]), number, value_col)
            if converted is MARKER:
                continue
            self.place(pointer, number, value_col)
            target[path[-1]] = converted
        if not has_format:
            self.error(1, 1, "the Plan sheet has no 'format' row: add a row with the field format and the value 1")

    def section_list(self, section: tuple[str, ...]) -> list[Any]:
        target = self.data
        for part in section[:-1]:
            target = target.setdefault(part, {})
        found = target.setdefault(section[-1], [])
        assert isinstance(found, list)
        return found

    def fill(self, record: dict[str, Any], base: str, row: dict[Column, tuple[Any, int]], number: int) -> None:
        """Put the values of a row into ``record`` (whose pointer is ``base``)."""
        for column, (value, col) in row.items():
            if column.kind == "key" or not column.type.read_back:
                continue
            suffix = self.suffixes.get(column)
            if suffix is None:
                suffix = self.suffixes[column] = "".join(f"/{escape(p)}" for p in column.path)
            pointer = base + suffix
            converted = self.convert(column.kind, value, number, col, pointer, marker=len(column.path) == 2)
            if converted is _SKIP:
                continue
            if len(column.path) == 2:
                group = record.setdefault(column.path[0], {})
                self.place(f"{base}/{escape(column.path[0])}", number, col)
                if converted is MARKER:
                    continue
                group[column.path[1]] = converted
            else:
                record[column.path[0]] = converted
            self.place(pointer, number, col)

    def owner_of(self, sheet: Sheet, row: dict[Column, tuple[Any, int]], number: int) -> int | None:
        """The index of the problem, action or indicator a child row names in its first column."""
        key_column = sheet.columns[0]
        owner_sheet, what = _OWNERS[sheet.owner]
        if key_column not in row:
            self.error(
                number,
                1,
                f"the {key_column.header} column is empty: name the {what} (by id) that this row belongs to",
                whole_row=True,
            )
            return None
        value, col = row[key_column]
        key = self.convert("key", value, number, col, "")
        if key is _SKIP:
            return None
        index = self.owners[sheet.owner].get(key)
        if index is None:
            self.error(number, col, f"there is no {what} {quote(key)} in sheet {owner_sheet}")
        return index

    def read_sheet(self, ws: Any, sheet: Sheet) -> None:
        details_seen: dict[int, int] = {}
        for number, row in self.table(ws, sheet):
            first_col = min(col for _, col in row.values())
            if sheet.mode == "items":
                items = self.section_list(sheet.section)
                base = "".join(f"/{escape(p)}" for p in sheet.section) + f"/{len(items)}"
                record: dict[str, Any] = {}
                self.place(base, number, first_col, whole_row=True)
                self.fill(record, base, row, number)
                items.append(record)
                if sheet.section[0] in self.owners and isinstance(record.get("id"), str):
                    self.owners[sheet.section[0]].setdefault(record["id"], len(items) - 1)
                for column, (value, col) in row.items():
                    if not column.type.read_back:  # the resources summary, checked against the Resources sheet
                        text = self.convert(column.kind, value, number, col, f"{base}/resources")
                        if text is not _SKIP:
                            self.summaries.append((len(items) - 1, self.title, number, col, text))
            elif sheet.mode in ("children", "details"):
                index = self.owner_of(sheet, row, number)
                if index is None:
                    continue
                owner = self.data[sheet.owner][index]
                if sheet.mode == "details":
                    if index in details_seen:
                        self.error(
                            number,
                            first_col,
                            f"a second row for {sheet.columns[0].header} {owner.get('id')!r} "
                            f"(the first is row {details_seen[index]})",
                            whole_row=True,
                        )
                        continue
                    details_seen[index] = number
                    self.fill(owner, f"/{sheet.owner}/{index}", row, number)
                    continue
                children = owner.setdefault(sheet.field, [])
                base = f"/{sheet.owner}/{index}/{sheet.field}/{len(children)}"
                child: dict[str, Any] = {}
                self.place(base, number, first_col, whole_row=True)
                self.fill(child, base, row, number)
                children.append(child)
            elif sheet.mode == "types":
                key_column = sheet.columns[0]
                if key_column not in row:
                    self.error(number, 1, "the type column is empty: name the type of integration", whole_row=True)
                    continue
                value, col = row[key_column]
                key = self.convert("key", value, number, col, "")
                if key is _SKIP:
                    continue
                types = self.data.setdefault("integration", {}).setdefault("types", {})
                base = f"/integration/types/{escape(key)}"
                if key in types:
                    self.error(number, col, f"the type {quote(key)} is there twice", base)
                    continue
                record = {}
                self.place(base, number, col)
                self.fill(record, base, row, number)
                types[key] = record

    def check_summaries(self) -> None:
        actions = self.data.get("actions", [])
        for index, title, number, col, text in self.summaries:
            resources = actions[index].get("resources", []) if index < len(actions) else []
            if text != resources_text(resources):
                self.title = title
                self.notes.append(
                    Diagnostic(
                        self.location(number, col, f"/actions/{index}/resources"),
                        "this resources summary differs from the Resources sheet, which is what is read: the "
                        "summary was not read (the next export rewrites it); put resources in the Resources sheet",
                    )
                )


def read_xlsx(content: bytes, path: str | None = None) -> ReadResult:
    """Read the bytes of an .xlsx workbook into plan data, a source map and notes."""
    _check_archive(content, path)
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise PlanError.at(path, 1, 1, EXCEL_HINT) from None
    reader = _WorkbookReader(path)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # noqa: BLE001 - whatever a damaged workbook makes openpyxl raise
            raise PlanError.at(path, 1, 1, f"cannot read the workbook: {_one_line(exc)}") from None
        try:
            _read(reader, workbook)
        except PlanError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet; never a traceback for the user
            raise PlanError.at(path, 1, 1, f"cannot read the workbook: {_one_line(exc)}") from None
        finally:
            workbook.close()
    if reader.errors:
        raise PlanError(reader.errors)
    return ReadResult(reader.data, reader.smap, tuple(reader.notes))


def _read(reader: _WorkbookReader, workbook: Any) -> None:
    known = {s.title: s for s in (*SHEETS, CONTINUED)}
    by_name = {normalise_header(title): sheet for title, sheet in known.items()}
    chosen: dict[str, tuple[str, Any]] = {}
    for title in workbook.sheetnames:
        ws = workbook[title]
        reader.title = title
        sheet = known.get(title) or by_name.get(normalise_header(title))
        if not hasattr(ws, "iter_rows"):
            reader.notes.append(
                Diagnostic(Location(reader.path, 1, 1, "", f"sheet {title}"), "a chart sheet: it was not read")
            )
            continue
        if sheet is None:
            _unknown_sheet(reader, ws, title)
            continue
        if sheet.title in chosen:
            reader.errors.append(
                Diagnostic(
                    Location(reader.path, 1, 1, "", f"sheet {title}"),
                    f"the sheet {quote(title)} is there twice (as {chosen[sheet.title][0]!r} too)",
                )
            )
            continue
        chosen[sheet.title] = (title, ws)
    if "Plan" not in chosen:
        raise PlanError.at(
            reader.path,
            1,
            1,
            f"the workbook has no sheet 'Plan' (its sheets: {', '.join(workbook.sheetnames)}); "
            "is it a plan workbook, as 'techdiversity export --to xlsx' writes?",
        )
    if CONTINUED.title in chosen:
        reader.title, ws = chosen[CONTINUED.title]
        reader.read_continued(ws)
    for sheet in SHEETS:
        if sheet.title not in chosen or sheet.mode == "output":
            continue
        reader.title, ws = chosen[sheet.title]
        # what is about the plan or a whole section points at the top of its sheet
        section = "".join(f"/{escape(p)}" for p in sheet.section) if sheet.mode in ("items", "types") else None
        if sheet.mode == "fields":
            reader.place("", 1, 1, whole_row=True)
            reader.read_plan(ws, sheet)
        else:
            reader.read_sheet(ws, sheet)
        if section is not None and section not in reader.smap.values:
            reader.place(section, 1, 1, whole_row=True)
    for (title, coordinate), pieces in reader.continued.items():
        reader.title = CONTINUED.title
        reader.error(
            pieces[0][1],
            3,
            f"this text continues cell {coordinate} of sheet {title}, which holds no text",
            whole_row=False,
        )
    reader.check_summaries()


def _unknown_sheet(reader: _WorkbookReader, ws: Any, title: str) -> None:
    for number, row in reader.rows(ws):
        for col, cell in enumerate(row, start=1):
            if cell.value is not None:
                titles = [s.title for s in SHEETS if s.mode != "output"]
                close = difflib.get_close_matches(title, titles, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"the sheets are: {', '.join(titles)}"
                reader.error(
                    number,
                    col,
                    f"unknown sheet {quote(title)} ({hint}): a plan workbook holds only its own sheets; "
                    "move this content to one of them or delete the sheet",
                )
                return


READERS = (
    Reader(
        "xlsx",
        "Excel workbook",
        (".xlsx",),
        read_xlsx,
        description="A plan workbook as 'techdiversity export --to xlsx' writes it (needs the excel extra).",
    ),
)
