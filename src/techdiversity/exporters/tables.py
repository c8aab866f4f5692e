"""The ``csv`` and ``xlsx`` exporters: the City Action Table as CSV, the whole plan as a workbook.

``csv`` writes the City Action Table of the URBACT IAP template, one row per action:
id, title, description, objectives served, intended results, resources, outputs,
long-term change, timescale start, timescale end, lead, partners. It is UTF-8 with
a byte order mark (so that Excel reads the accents), every field quoted, and its cells
hold the text the workbook's cells hold (quote, escapes, lists), with no length limit.

``xlsx`` writes the whole plan as a workbook that the ``xlsx`` reader loads back equal.
The layout (sheets, columns, how a cell holds a value) is declared once, in
:mod:`techdiversity.formats.xlsx`, for the writer and the reader; its names stay
importable from here.
"""

from __future__ import annotations

import csv
import io

from ..convert import unstructure
from ..formats.xlsx import (
    CONTINUED,
    FIELDS,
    MAX_CELL,
    SECTION_MARKERS,
    SHEETS,
    Column,
    Sheet,
    decode_text,
    encode_text,
    join_list,
    normalise_header,
    resources_text,
    sheet_rows,
    split_list,
    unneutralise,
    write_workbook,
)
from ..formats.xlsx.cells import Cell, number_text
from . import ExportContext, Exporter

__all__ = [
    "CONTINUED",
    "EXPORTERS",
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

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(ctx: ExportContext) -> str:
    sheet = next(s for s in SHEETS if s.title == "City Action Table")
    data = unstructure(ctx.plan)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet_rows(sheet, data):
        writer.writerow(["" if v is None else _csv_value(v) for v in row])
    return "\ufeff" + out.getvalue()


def _csv_value(value: Cell) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number_text(value)
    return str(value)


def _xlsx(ctx: ExportContext) -> bytes:
    data = unstructure(ctx.plan)
    findings = ctx.report.findings
    return write_workbook((sheet, sheet_rows(sheet, data, findings)) for sheet in SHEETS)


EXPORTERS = (
    Exporter(
        "csv",
        "City Action Table (CSV)",
        ".csv",
        "text/csv",
        _csv,
        description="The City Action Table, one row per action, as CSV for Excel (UTF-8 with BOM).",
        options=(),
    ),
    Exporter(
        "xlsx",
        "Plan workbook (Excel)",
        ".xlsx",
        XLSX_MEDIA_TYPE,
        _xlsx,
        binary=True,
        description="The whole plan as an Excel workbook, one sheet per table; the xlsx reader loads it back equal.",
        options=(),
    ),
)
