"""The rows of a worksheet, parsed straight from its XML part.

openpyxl's read-only ``iter_rows`` builds a ``ReadOnlyCell`` for every cell and a
rich-text object for every inline string, through its generic serialisation layer:
about 70% of the time of reading a plan workbook. This module reads the same part
with the same XML parser (defusedxml's ``iterparse``, as openpyxl uses) and gives the
same rows: the same cells at the same positions (a gap filled with an empty cell, a
missing row as an empty row, the sheet's claim of its size ignored, as after
``reset_dimensions``), each with the value and data type openpyxl would give it
(``s`` text, ``n`` number, ``b`` boolean, ``d`` date or time, ``e`` error, ``f``
formula, as text starting with ``=``). Dates follow the workbook's number formats
(openpyxl's own table of date styles, read when it opened the workbook).

The workbook itself (its sheets, relations, shared strings and styles) is still
opened by openpyxl; only the cells of a worksheet are read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["EMPTY", "SheetCell", "SheetOutOfOrder", "sheet_rows"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = _MAIN + "row"
_VALUE = _MAIN + "v"
_FORMULA = _MAIN + "f"
_INLINE = _MAIN + "is"
_TEXT = _MAIN + "t"
_DIGITS = "0123456789"
_SPLIT = re.compile(r"([^0-9]*)(.*)", re.DOTALL)


class SheetCell:
    """One cell: its value and openpyxl's data type for it."""

    __slots__ = ("data_type", "value")

    def __init__(self, value: Any, data_type: str) -> None:
        self.value = value
        self.data_type = data_type

    def __repr__(self) -> str:
        return f"SheetCell({self.value!r}, {self.data_type!r})"


#: The cell in a gap of a row.
EMPTY = SheetCell(None, "n")


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _inline_text(element: Any) -> str:
    """The text of an inline string (``<is>``), formatting left out, as openpyxl's ``Text.content``."""
    plain: str | None = None
    runs: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            run: str | None = None
            for part in child:
                if _local(part.tag) == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return (plain or "") + "".join(runs)


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class SheetOutOfOrder(ValueError):
    """The sheet XML writes a cell or a row twice, or a row after a later one: a workbook
    no spreadsheet program writes, where which value is meant cannot be told (openpyxl
    keeps one and drops the other without a word). ``row`` and ``column`` say where."""

    def __init__(self, message: str, row: int, column: int) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


class _Parser:
    def __init__(self, ws: Any) -> None:
        from openpyxl.utils.cell import column_index_from_string

        parent = ws.parent
        self.ws = ws
        self.shared: Any = ws._shared_strings
        self.epoch = parent.epoch
        self.dates: Any = parent._date_formats
        self.durations: Any = parent._timedelta_formats
        self.column_index = column_index_from_string
        self.columns: dict[str, int] = {}
        self.shared_formulae: dict[str, Any] = {}

    def column(self, coordinate: str) -> int:
        found = _SPLIT.match(coordinate)
        assert found is not None
        letters, number = found.groups()
        int(number)  # an address without a row number is refused, as openpyxl refuses it
        column = self.columns.get(letters)
        if column is None:
            column = int(self.column_index(letters))
            if letters.isascii() and letters.isalpha():
                self.columns[letters] = column
        return column

    def formula(self, formula: Any, coordinate: str | None) -> str:
        text = "=" + (formula.text or "")
        if formula.get("t") == "shared":
            index = formula.get("si")
            if index in self.shared_formulae:
                return str(self.shared_formulae[index].translate_formula(coordinate))
            if text != "=":
                from openpyxl.formula.translate import Translator

                self.shared_formulae[index] = Translator(text, coordinate)
        return text

    def cell(self, element: Any, coordinate: str | None) -> SheetCell:
        get = element.get
        data_type: str = get("t", "n")
        style: Any = get("s", 0)
        if style:
            style = int(style)
        value: Any = None if data_type == "inlineStr" else (element.findtext(_VALUE) or None)
        formula = element.find(_FORMULA)
        if formula is not None:
            return SheetCell(self.formula(formula, coordinate), "f")
        if value is not None:
            if data_type == "n":
                value = _number(value)
                if style in self.dates:
                    from openpyxl.utils.datetime import from_excel

                    try:
                        return SheetCell(from_excel(value, self.epoch, timedelta=style in self.durations), "d")
                    except (OverflowError, ValueError):
                        return SheetCell("#VALUE!", "e")
            elif data_type == "s":
                value = self.shared[int(value)]
            elif data_type == "b":
                value = bool(int(value))
            elif data_type == "str":
                data_type = "s"
            elif data_type == "d":
                from openpyxl.utils import datetime as excel_dates

                parse_iso: Any = excel_dates.from_ISO8601
                value = parse_iso(value)
        elif data_type == "inlineStr":
            child = element.find(_INLINE)
            if child is not None:
                data_type = "s"
                value = _inline_text(child)
        return SheetCell(value, data_type)

    def row(self, element: Any, number: int = 0) -> tuple[SheetCell, ...]:
        """The cells of a ``<row>``, each at its column (a gap is an empty cell), up to its
        rightmost cell; a cell written twice is :class:`SheetOutOfOrder`."""
        columns = self.columns
        cells: list[SheetCell] = []
        placed: list[tuple[int, SheetCell]] | None = None
        column = 0
        for child in element:
            coordinate = child.get("r")
            if coordinate:
                letters = coordinate.rstrip(_DIGITS)
                found = columns.get(letters)
                column = self.column(coordinate) if found is None or len(letters) == len(coordinate) else found
            else:
                column += 1
            cell: SheetCell | None = None
            # the common cell, an inline string of one plain text, read without the general path
            if child.get("t") == "inlineStr" and not child.get("s") and len(child) == 1:
                inline = child[0]
                if inline.tag == _INLINE and len(inline) == 1 and inline[0].tag == _TEXT:
                    cell = SheetCell(inline[0].text or "", "s")
            if cell is None:
                cell = self.cell(child, coordinate)
            if placed is None:
                if column == len(cells) + 1:
                    cells.append(cell)
                    continue
                placed = list(enumerate(cells, start=1))
            placed.append((column, cell))
        if placed is None:
            return tuple(cells)
        # cells out of order: each at its column (openpyxl would cut the row at its last
        # cell written and let a later cell replace an earlier one, without a word)
        width = max(column for column, _ in placed)
        row = [EMPTY] * width
        seen: set[int] = set()
        for column, cell in placed:
            if column in seen:
                raise SheetOutOfOrder(
                    f"the sheet XML writes the cell in column {column} of row {number} twice: which value is"
                    " meant cannot be told; save the workbook again from a spreadsheet program",
                    number,
                    column,
                )
            seen.add(column)
            if column >= 1:
                row[column - 1] = cell
        return tuple(row)

    def elements(self) -> Iterator[Any]:
        """The ``<row>`` elements of the sheet, each once it is complete."""
        prolog: _Prolog | None = _Prolog()
        checker = DefusedXMLParser(target=prolog)
        pull: Any = XMLPullParser(events=("end",))
        with self.ws._get_source() as source:
            while True:
                chunk = source.read(1 << 16)
                if prolog is not None and chunk:
                    try:
                        checker.feed(chunk)
                    except _RootSeen:
                        prolog = None
                if chunk:
                    pull.feed(chunk)
                else:
                    pull.close()
                for _, element in pull.read_events():
                    if element.tag == _ROW:
                        yield element
                if not chunk:
                    break

    def rows(self) -> Iterator[tuple[SheetCell, ...]]:
        counter = 1
        number = 0
        for element in self.elements():
            given = element.get("r")
            if given is not None:
                try:
                    number = int(given)
                except ValueError:
                    as_float = float(given)
                    if not as_float.is_integer():
                        raise ValueError(f"{given} is not a valid row number") from None
                    number = int(as_float)
            else:
                number += 1
            if number < counter:  # openpyxl would skip it without a word
                raise SheetOutOfOrder(
                    f"the sheet XML writes row {number} after row {counter - 1} (twice, or out of order): which"
                    " values are meant cannot be told; save the workbook again from a spreadsheet program",
                    number,
                    1,
                )
            cells = self.row(element, number)
            element.clear()
            while counter < number:
                counter += 1
                yield ()
            counter += 1
            yield cells


class _RootSeen(Exception):
    """The root element of the part began: its prolog, where entities are declared, is over."""


class _Prolog:
    """The target of the parser that checks a part's prolog: it stops at the root element."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootSeen

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        pass


def sheet_rows(ws: Any) -> Iterator[tuple[SheetCell, ...]]:
    """The rows of a read-only openpyxl worksheet, as its ``iter_rows`` gives them after ``reset_dimensions``."""
    return _Parser(ws).rows()
