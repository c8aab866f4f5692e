"""Hostile workbooks (issue 13): budgets kept while inflating, cells Excel cannot hold, lone surrogates.

The workbooks are the exporter's own, changed part by part, so that everything but the
one hostile thing is a valid plan workbook.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity import limits
from techdiversity.cli import main
from techdiversity.errors import PlanError
from techdiversity.exporters import export
from techdiversity.formats.xlsx import read_xlsx
from techdiversity.formats.xlsx import reader as xlsx_reader

pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return export(td.load(ROOT / "examples" / "trikala.yaml"), "xlsx")  # type: ignore[return-value]


def rewrite(content: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in src.infolist():
            archive.writestr(info.filename, change(info.filename, src.read(info.filename)))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def in_sheet(old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            assert old in data
            return data.replace(old, new, 1)
        return data

    return change


def refused(content: bytes) -> PlanError:
    with pytest.raises(PlanError) as info:
        read_xlsx(content, "plan.xlsx")
    return info.value


def _shared_strings(count: int) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return f'<sst xmlns="{ns}" count="{count}">'.encode() + b"<si/>" * count + b"</sst>"


def _with_shared_strings(workbook: bytes, count: int, part: str = "xl/sharedStrings.xml") -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            override = (
                f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sharedStrings+xml"/>'
            ).encode()
            return data.replace(b"</Types>", override + b"</Types>")
        return data

    return rewrite(workbook, change, {part: _shared_strings(count)})


# ---------------------------------------------------------------------------
# Budgets


def test_a_shared_string_bomb_is_refused_before_openpyxl_builds_the_table(
    workbook: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the workbook held 50 million empty shared strings in 393 KB; the same shape, smaller
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1_000)
    bomb = _with_shared_strings(workbook, 300_000)
    assert len(bomb) < 200_000

    import openpyxl

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a shared-string bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    error = refused(bomb)
    assert "more than 1,000 entries" in str(error) and "budget of shared strings" in str(error)
    assert "damaged" not in str(error)


def test_the_shared_string_part_is_found_under_any_name(workbook: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1_000)
    error = refused(_with_shared_strings(workbook, 5_000, part="xl/strings-elsewhere.xml"))
    assert "xl/strings-elsewhere.xml" in str(error)


@pytest.mark.parametrize("count", [999, 1_000])
def test_shared_strings_at_the_budget_are_read_and_counted_exactly(
    workbook: bytes, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    # more than a megabyte of items, so that the count goes over chunk boundaries
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", 1_000)
    pad = b"<si><t>" + b"x" * 1500 + b"</t></si>"
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    table = f'<sst xmlns="{ns}">'.encode() + pad * count + b"</sst>"
    content = rewrite(workbook, lambda _n, d: d, {"xl/sharedStrings.xml": table})
    assert read_xlsx(content, "plan.xlsx").data["plan"]["id"] == "trikala-iap"
    monkeypatch.setattr(xlsx_reader, "MAX_SHARED_STRINGS", count - 1)
    assert "budget of shared strings" in str(refused(content))


def test_budget_messages_name_the_budget(workbook: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 50)
    assert "(the budget of cells)" in str(refused(workbook))
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", limits.MAX_XLSX_CELLS)
    monkeypatch.setattr(xlsx_reader, "MAX_UNCOMPRESSED", 1000)
    assert "(the budget of unpacked bytes)" in str(refused(workbook))


def test_a_zip_directory_that_understates_a_size_does_not_inflate_more(workbook: bytes) -> None:
    # the budget of unpacked bytes is taken from the zip directory: Python's zip reader
    # inflates no more than the directory says, so a lie there cannot get past it
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.xml", b"\0" * 1_000_000)
    data = bytearray(out.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 1000)  # the uncompressed size in the central directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        with pytest.raises(zipfile.BadZipFile):  # CRC: it stopped at the 1000 bytes it was told
            archive.read("big.xml")
        total = 0
        with archive.open("big.xml") as fh:
            try:
                while chunk := fh.read(4096):
                    total += len(chunk)
            except zipfile.BadZipFile:
                pass
        assert total <= 1000


# ---------------------------------------------------------------------------
# Encodings, cells, surrogates, messages


def test_an_xml_part_in_an_unknown_encoding_is_refused(workbook: bytes) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return b'<?xml version="1.0" encoding="x-no-such-thing"?>' + data
        return data

    error = refused(rewrite(workbook, change))
    assert "'xl/worksheets/sheet1.xml'" in str(error) and "'x-no-such-thing'" in str(error)
    assert "LookupError" not in str(error)


def test_an_xml_part_in_latin1_is_refused_too(workbook: bytes) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return re.sub(rb"^<\?xml[^>]*\?>", b"", data) and b'<?xml version="1.0" encoding="ISO-8859-1"?>' + data
        return data

    assert "'ISO-8859-1'" in str(refused(rewrite(workbook, change)))


def test_utf8_declarations_are_read(workbook: bytes) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml" and not data.startswith(b"<?xml"):
            return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + data
        return data

    assert read_xlsx(rewrite(workbook, change), "plan.xlsx").data["plan"]["city"] == "Trikala"


def test_a_cell_longer_than_excel_allows_is_refused_at_its_cell(workbook: bytes) -> None:
    long = b"T" * (limits.MAX_CELL_CHARS + 1)
    error = refused(rewrite(workbook, in_sheet(b"<t>Trikala</t>", b"<t>" + long + b"</t>")))
    diag = error.diagnostics[0]
    assert (diag.location.line, diag.location.column) == (4, 2)
    assert "32,767" in diag.message and "budget of a cell" in diag.message
    assert "sheet Plan, cell B4" in str(diag)


def test_a_cell_at_excels_limit_is_read(workbook: bytes) -> None:
    text = "T" * limits.MAX_CELL_CHARS
    content = rewrite(workbook, in_sheet(b"<t>Trikala</t>", f"<t>{text}</t>".encode()))
    assert read_xlsx(content, "plan.xlsx").data["plan"]["city"] == text


def test_a_lone_surrogate_escape_is_refused_at_its_cell(workbook: bytes, tmp_path: Path) -> None:
    content = rewrite(workbook, in_sheet(b"<t>Trikala</t>", b"<t>Tri_xD800_kala</t>"))
    error = refused(content)
    diag = error.diagnostics[0]
    assert (diag.location.line, diag.location.column) == (4, 2) and "surrogate" in diag.message
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}:4:2: a lone surrogate" in result.output and "(sheet Plan, cell B4)" in result.output


def test_an_escaped_surrogate_pair_is_one_character(workbook: bytes) -> None:
    content = rewrite(workbook, in_sheet(b"<t>Trikala</t>", b"<t>Trikala _xD83D__xDE00_</t>"))
    read = read_xlsx(content, "p.xlsx")
    plan = td.io.convert.structure_data(read.data, td.Plan, read.source)
    assert plan.plan.city == "Trikala \U0001f600"
    td.dumps(plan)


def test_a_multi_line_message_of_openpyxl_is_one_line(workbook: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("first line\nsecond line\r\n\x1b[2Jthird")

    monkeypatch.setattr(openpyxl, "load_workbook", broken)
    error = refused(workbook)
    message = error.diagnostics[0].message
    assert "first line second line" in message and "\n" not in message and "\r" not in message
    assert "\x1b" not in str(error)
