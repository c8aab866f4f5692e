"""Excel workbooks (``.xlsx``): the whole plan, one sheet per table, read and written.

- :mod:`~techdiversity.formats.xlsx.layout`: the sheets and their columns, declared
  once (header, field, kind);
- :mod:`~techdiversity.formats.xlsx.cells`: how each kind of column writes a value into
  a cell and reads it back (text, lists, dates, numbers, booleans, long texts);
- :mod:`~techdiversity.formats.xlsx.writer` and :mod:`~techdiversity.formats.xlsx.reader`:
  both walk that declaration, so that the workbook reads back equal to the plan.
"""

from __future__ import annotations

from .cells import (
    CELL_TYPES,
    EXCEL_HINT,
    MAX_CELL,
    CellType,
    decode_text,
    encode_text,
    join_list,
    resources_text,
    split_cell_text,
    split_list,
    unneutralise,
)
from .layout import CONTINUED, FIELDS, SECTION_MARKERS, SHEETS, Column, Sheet, normalise_header
from .reader import MAX_CELLS, MAX_MEMBERS, MAX_UNCOMPRESSED, READERS, read_xlsx
from .writer import sheet_rows, write_workbook

__all__ = [
    "CELL_TYPES",
    "CONTINUED",
    "EXCEL_HINT",
    "FIELDS",
    "MAX_CELL",
    "MAX_CELLS",
    "MAX_MEMBERS",
    "MAX_UNCOMPRESSED",
    "READERS",
    "SECTION_MARKERS",
    "SHEETS",
    "CellType",
    "Column",
    "Sheet",
    "decode_text",
    "encode_text",
    "join_list",
    "normalise_header",
    "read_xlsx",
    "resources_text",
    "sheet_rows",
    "split_cell_text",
    "split_list",
    "unneutralise",
    "write_workbook",
]
