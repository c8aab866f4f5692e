"""The reader's own sheet parser gives the rows openpyxl's read-only ``iter_rows`` gives.

Workbooks made by other programs (openpyxl in normal mode: shared strings, dates,
times, durations, formulas, booleans, error cells, gaps) and sheets rewritten by hand
(inline and rich inline strings, cells without addresses, out of order, missing rows,
shared formulas, the 1904 epoch) are read both ways and compared cell by cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

import techdiversity as td
from techdiversity.errors import PlanError
from techdiversity.exporters import export
from techdiversity.formats.xlsx import read_xlsx
from techdiversity.formats.xlsx.sheetrows import sheet_rows

openpyxl = pytest.importorskip("openpyxl")

# openpyxl warns when it reads the date outside the dates (cell B9) as an error value
pytestmark = pytest.mark.filterwarnings("ignore:Cell B9 is marked as a date:UserWarning")

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def both(content: bytes) -> list[tuple[list[list[tuple[Any, str]]], list[list[tuple[Any, str]]]]]:
    """Per sheet: openpyxl's rows and ours, each cell as (value, data type)."""
    out = []
    theirs = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    ours = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    for a, b in zip(theirs.worksheets, ours.worksheets, strict=True):
        a.reset_dimensions()
        expected = [[(c.value, c.data_type) for c in row] for row in a.iter_rows()]
        got = [[(c.value, c.data_type) for c in row] for row in sheet_rows(b)]
        out.append((expected, got))
    theirs.close()
    ours.close()
    return out


def assert_same(content: bytes) -> None:
    for expected, got in both(content):
        assert got == expected


def rewrite_sheet(content: bytes, change: Any, sheet: str = "xl/worksheets/sheet1.xml") -> bytes:
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in src.infolist():
            data = src.read(info.filename)
            archive.writestr(info.filename, change(data) if info.filename == sheet else data)
    return out.getvalue()


def saved(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def normal_mode_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["field", "value", None, "more"])
    ws.append(["text", "a text  with spaces ", True, False])
    ws.append([1, 2.5, -3, 1e-9])
    ws.append([dt.date(2025, 9, 6), dt.datetime(2024, 1, 2, 3, 4, 5), dt.time(12, 30), dt.timedelta(hours=36)])
    ws.append(["=1+2", "=SUM(A1:A3)", None, None])
    ws["C7"] = "a cell after a gap of rows"
    ws["F7"] = 7
    ws["B8"] = "#REF!"
    ws["B8"].data_type = "e"
    ws["A9"] = 0
    ws["A9"].number_format = "yyyy-mm-dd"
    ws["B9"] = 1e12
    ws["B9"].number_format = "yyyy-mm-dd"  # outside the dates: an error value, as openpyxl reads it
    other = wb.create_sheet("Other")
    other["B2"] = "only cell"
    wb.create_sheet("Empty")
    return saved(wb)


def test_a_workbook_of_openpyxl_normal_mode_reads_the_same() -> None:
    content = normal_mode_workbook()
    pairs = both(content)
    assert pairs[0][1][3][0] == (dt.datetime(2025, 9, 6), "d")
    assert pairs[0][1][4][0] == ("=1+2", "f")
    assert pairs[0][1][7][1] == ("#REF!", "e")
    assert pairs[0][1][8][1] == ("#VALUE!", "e")
    assert pairs[1][1] == [[], [(None, "n"), ("only cell", "s")]]
    for expected, got in pairs:
        assert got == expected


def test_the_exported_workbooks_read_the_same() -> None:
    for name in ("trikala.yaml",):
        assert_same(export(td.load(ROOT / "examples" / name), "xlsx"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cells",
    [
        # inline strings, plain and rich, a run without text, whitespace kept
        '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> padded </t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>bold</t></r><r><t> and plain</t></r></is></c>'
        '<c r="C1" t="inlineStr"><is><t>head</t><r><t>+run</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>'
        '<c r="D1" t="inlineStr"><is><t/></is></c><c r="E1" t="inlineStr"/>'
        '<c r="F1" t="inlineStr" s="0"><is><t>styled</t></is></c>',
        # cells without addresses, after a gap
        '<c r="B1"><v>1</v></c><c><v>2</v></c><c r="D1" t="str"><v>x</v></c><c r="F1" t="b"><v>1</v></c>',
        # formulas, shared ones included, and a formula with a cached value
        '<c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f t="shared" ref="B1:C1" si="0">A1*2</f></c>'
        '<c r="C1"><f t="shared" si="0"/></c><c r="D1" t="e"><v>#DIV/0!</v></c>',
        # ISO dates, numbers as text in exponent form, an empty value
        '<c r="A1" t="d"><v>2025-09-06T00:00:00</v></c><c r="B1"><v>1E3</v></c><c r="C1"><v></v></c>'
        '<c r="D1" t="n"><v>-0.5</v></c>',
    ],
)
def test_hand_written_cells_read_the_same(cells: str) -> None:
    content = normal_mode_workbook()

    def change(data: bytes) -> bytes:
        head, _, rest = data.partition(b"<sheetData>")
        _, _, tail = rest.partition(b"</sheetData>")
        rows = f'<row r="1">{cells}</row><row r="3"/><row>{cells.replace("1", "4")}</row>'
        return head + b"<sheetData>" + rows.encode() + b"</sheetData>" + tail

    assert_same(rewrite_sheet(content, change))


def test_rows_without_numbers_read_the_same() -> None:
    content = normal_mode_workbook()

    def change(data: bytes) -> bytes:
        return data.replace(b'<row r="4"', b"<row")

    assert_same(rewrite_sheet(content, change))


def _refused(content: bytes) -> PlanError:
    with pytest.raises(PlanError) as info:
        read_xlsx(content, "odd.xlsx")
    return info.value


def test_cells_out_of_order_are_kept_at_their_columns_and_a_cell_twice_is_refused() -> None:
    """openpyxl cuts a row at the last cell written and lets a later cell replace an
    earlier one, without a word; nothing written is dropped here."""
    from techdiversity.formats.xlsx.sheetrows import SheetOutOfOrder, _Parser

    cells = '<c r="B1"><v>1</v></c><c r="F1" t="b"><v>1</v></c><c r="D1" t="str"><v>x</v></c>'
    row = ET.fromstring(f'<row xmlns="{MAIN}" r="1">{cells}</row>')
    got = _Parser(_Sheet(b"")).row(row, 1)
    assert [(c.value, c.data_type) for c in got] == [
        (None, "n"),
        (1, "n"),
        (None, "n"),
        ("x", "s"),
        (None, "n"),
        (True, "b"),
    ]
    twice = ET.fromstring(f'<row xmlns="{MAIN}" r="7"><c r="C7"><v>1</v></c><c r="C7"><v>2</v></c></row>')
    with pytest.raises(SheetOutOfOrder, match="column 3 of row 7 twice"):
        _Parser(_Sheet(b"")).row(twice, 7)


def test_a_row_twice_or_out_of_order_is_refused_at_its_place() -> None:
    content = export(td.load(ROOT / "examples" / "trikala.yaml"), "xlsx")
    assert isinstance(content, bytes)

    def backwards(data: bytes) -> bytes:
        head, _, rest = data.partition(b"<sheetData>")
        rows, _, tail = rest.partition(b"</sheetData>")
        found = re.findall(rb"<row [^>]*>.*?</row>", rows, flags=re.S)
        assert len(found) >= 3
        swapped = rows.replace(found[1], b"\0").replace(found[2], found[1]).replace(b"\0", found[2])
        return head + b"<sheetData>" + swapped + b"</sheetData>" + tail

    error = _refused(rewrite_sheet(content, backwards))
    (diag,) = error.diagnostics
    assert "after row 3" in diag.message and diag.location.line == 2
    assert diag.location.detail is not None and diag.location.detail.startswith("sheet ")


def test_the_1904_epoch_reads_the_same() -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.append([dt.date(2020, 1, 1), dt.datetime(1999, 12, 31, 23, 59)])
    assert_same(saved(wb))


class _Sheet:
    """A read-only worksheet as the parser sees it, over the bytes of one sheet part."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self._shared_strings: list[str] = []
        self.parent = type(
            "Parent", (), {"epoch": dt.datetime(1899, 12, 30), "_date_formats": set(), "_timedelta_formats": set()}
        )()

    def _get_source(self) -> io.BytesIO:
        return io.BytesIO(self.xml)


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>'
)


def test_an_entity_declared_in_a_sheet_is_refused() -> None:
    plain = SHEET.replace(b"{doctype}", b"").replace(b"{text}", b"a")
    assert [[(c.value, c.data_type) for c in row] for row in sheet_rows(_Sheet(plain))] == [[("a", "s")]]
    for doctype in (
        b'<!DOCTYPE worksheet [<!ENTITY big "x">]>',
        b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ):
        hostile = SHEET.replace(b"{doctype}", doctype).replace(b"{text}", b"&big;")
        with pytest.raises(ValueError, match="Entit"):
            list(sheet_rows(_Sheet(hostile)))
    # and the whole workbook with such a sheet is refused at line 1, column 1
    content = export(td.load(ROOT / "examples" / "trikala.yaml"), "xlsx")
    assert isinstance(content, bytes)

    def change(data: bytes) -> bytes:
        start = data.index(b"<worksheet")
        return data[:start] + b'<!DOCTYPE worksheet [<!ENTITY big "x">]>' + data[start:]

    with pytest.raises(PlanError) as info:
        read_xlsx(rewrite_sheet(content, change), "plan.xlsx")
    assert str(info.value).startswith("plan.xlsx:1:1: cannot read the workbook")


def test_a_damaged_sheet_is_refused_at_the_start() -> None:
    content = export(td.load(ROOT / "examples" / "trikala.yaml"), "xlsx")
    assert isinstance(content, bytes)
    with pytest.raises(PlanError) as info:
        read_xlsx(rewrite_sheet(content, lambda data: data[: len(data) // 2]), "plan.xlsx")
    assert "plan.xlsx:1:1:" in str(info.value)
