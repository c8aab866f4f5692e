"""Write a plan workbook: the plan data, sheet by sheet, as the layout declares it.

:func:`sheet_rows` walks the columns of a :class:`~techdiversity.formats.xlsx.layout.Sheet`
and writes each value through its column's
:class:`~techdiversity.formats.xlsx.cells.CellType`; :func:`write_workbook` puts the
rows into an ``.xlsx`` workbook, keeping every text and number exact, and cuts texts
longer than a cell holds onto the Continued Text sheet. The reader
(:mod:`techdiversity.formats.xlsx.reader`) walks the same declaration back.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...sourcemap import pointer_to_path
from .cells import CELL_TYPES, MAX_CELL, Cell, Kind, encode_text, neutralise, number_text, split_cell_text
from .layout import CONTINUED, FIELDS, SECTION_MARKERS, Column, Sheet, marks_record

__all__ = ["plan_rows", "sheet_rows", "write_workbook"]


def _get(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _cell(kind: Kind, value: Any) -> Cell:
    """A value of the plan data as a cell value (text already encoded), as its kind writes it."""
    return CELL_TYPES[kind].write(value)


def _record_cell(column: Column, record: Mapping[str, Any]) -> Cell:
    if len(column.path) == 2:
        group = record.get(column.path[0])
        if group is None:
            return None
        if not group and marks_record(column.path):
            return encode_text("")  # there, but empty
        return column.type.write(group.get(column.path[1]))
    return column.type.write(record.get(column.path[0]))


def _items(data: Mapping[str, Any], section: Sequence[str]) -> list[Any]:
    found = _get(data, section)
    return list(found) if isinstance(found, list) else []


def plan_rows(data: Mapping[str, Any]) -> list[list[Cell]]:
    """The rows (after the header) of the Plan sheet."""
    rows: list[list[Cell]] = []
    for path, kind in FIELDS:
        value = _get(data, path)
        if len(path) == 3 and marks_record(path):
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
# The workbook


class _XlsxWriter:
    """Writes rows into a workbook, streaming, keeping every text and number exact.

    openpyxl's write-only mode: each row goes to the sheet's file as it comes, with
    no cell object kept. A cell is made only where the type must be said (a number
    written as its own text, a text that would read as a formula or an error code);
    every other value goes in as it is.
    """

    def __init__(self) -> None:
        try:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.cell.cell import ERROR_CODES
        except ImportError:  # pragma: no cover - openpyxl is a dependency; only a broken install lacks it
            from ...errors import MissingDependencyError

            raise MissingDependencyError("writing Excel workbooks", "openpyxl", "pip install openpyxl") from None
        self.workbook = Workbook(write_only=True)
        self.cell_type = WriteOnlyCell
        self.error_codes = frozenset(ERROR_CODES)
        self.continued: list[list[Cell]] = []

    def sheet(self, sheet: Sheet, rows: Iterable[Sequence[Cell]]) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        ws = self.workbook.create_sheet(sheet.title)
        bold = Font(bold=True)
        header = []
        for c, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = column.width or 20
            cell = self.cell_type(ws, value=column.header)
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        ws.freeze_panes = "A2"
        # the sheet's dimension goes before its rows: a workbook without one is read twice
        # over by openpyxl's reader, so it is said before the first row is streamed
        rows = rows if isinstance(rows, Sequence) else list(rows)
        width = max([len(sheet.columns), *(len(row) for row in rows)])
        ws.calculate_dimension = f"A1:{get_column_letter(max(width, 1))}{len(rows) + 1}".format
        ws.append(header)
        convert = self._value
        title = sheet.title
        for r, row in enumerate(rows, start=2):
            ws.append([None if value is None else convert(ws, title, r, c, value) for c, value in enumerate(row, 1)])

    def _value(self, ws: Any, title: str, row: int, col: int, value: str | int | float | bool) -> Any:
        if type(value) is str:
            if len(value) > _SHORT_ENOUGH:
                pieces = split_cell_text(value)
                if len(pieces) > 1:
                    from openpyxl.utils import get_column_letter

                    coordinate = f"{get_column_letter(col)}{row}"
                    for piece in pieces[1:]:
                        self.continued.append([encode_text(title), encode_text(coordinate), neutralise(piece)])
                value = pieces[0]
            if value[:1] != "=" and value not in self.error_codes:
                return value
            cell = self.cell_type(ws, value=None)
            cell.value = value
            cell.data_type = "s"  # a text, never a formula
            return cell
        if isinstance(value, bool):
            return value
        # openpyxl writes numbers with 16 significant digits ("%.16g"), which loses
        # some floats and big integers; the number's own text keeps every digit.
        cell = self.cell_type(ws, value=number_text(value))
        cell.data_type = "n"
        return cell

    def save(self) -> bytes:
        if self.continued:
            self.sheet(CONTINUED, self.continued)
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


#: A text this short (in code points) fits a cell whatever it holds (a cell holds 32,767
#: UTF-16 code units, and a code point takes at most two).
_SHORT_ENOUGH = MAX_CELL // 2


def write_workbook(sheets: Iterable[tuple[Sheet, Iterable[Sequence[Cell]]]]) -> bytes:
    """A workbook of these sheets and rows (the exporter's writer, for tests and other tools)."""
    writer = _XlsxWriter()
    for sheet, rows in sheets:
        writer.sheet(sheet, rows)
    return writer.save()
