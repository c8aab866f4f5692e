"""The workbook's declaration, walked both ways: every column and every Plan row writes a value and reads it back.

The writer and the reader of ``.xlsx`` plan workbooks walk the same declaration
(:data:`~techdiversity.formats.xlsx.SHEETS`, :data:`~techdiversity.formats.xlsx.FIELDS`
and the cell types of :mod:`techdiversity.formats.xlsx.cells`). These tests go through
every entry of it: plan data holding sample values of the entry's kind (awkward ones
included) is written into a real workbook and read back with openpyxl, and each value
must come back where it was, equal.
"""

from __future__ import annotations

from typing import Any

import pytest

from techdiversity.formats.xlsx import CELL_TYPES, FIELDS, SHEETS, Column, Sheet, read_xlsx, sheet_rows, write_workbook
from techdiversity.formats.xlsx.cells import MARKER, Refused, decode_text, resources_text
from techdiversity.formats.xlsx.layout import marks_record

#: Values of every kind of column, the awkward ones first: formulas, quotes, control
#: characters, escapes, line breaks, a text longer than a cell holds, big and small numbers.
SAMPLES: dict[str, list[Any]] = {
    "text": [
        "=SUM(A1:A9)",
        "'quoted",
        "",
        "+1",
        "-minus",
        "@at",
        "\ttab",
        "line\nbreak",
        "vertical\x0btab and \x00 nul and \r return",
        "_x0041_ written literally",
        "Bielsko-Biała 😀",
        "7",
        "x" * 40_000,
    ],
    "key": ["A1", "7", "=x", "ids.with_punctuation:1-2"],
    "list": [["a"], ["a", "b c"], [""], ["line\nbreak", "back\\slash", "\\n as written"], ["=x", "'y", ""]],
    "date": ["2025", "2025-Q3", "2025-09", "2025-09-06", ""],
    "int": [0, 1, 2030, -5, 2**60],
    "number": [0, 15000, 2.5, 0.1, 1e300, -3, 2**63, 1.0, 123456789.123456789],
    "value": [12, 3.5, "words", "=x", "", "12 people", 2**70],
    "bool": [True, False],
    "json": [
        {"start": "2024-04-01", "end": "2025-03-31"},
        [{"name": "sex", "value": "=female"}],
        ["AF-KAN", "line\nbreak"],
        {"attributes": [{"name": "aggregation-status", "value": "1"}], "elements": ['<document-link url="x"/>']},
        {},
    ],
}


def typed(value: Any) -> Any:
    """A value with the type of every number and boolean in it, so that ``1 == 1.0 == True`` no longer holds."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def samples(kind: str, path: tuple[str, ...]) -> list[Any]:
    """The sample values of ``kind`` that a column at ``path`` holds: an empty date in a small
    record (``timescale.start``) says the record is there, not that the field is ``""``."""
    values = SAMPLES[kind]
    if kind == "date" and len(path) >= 2:
        return [v for v in values if v != ""]
    return values


def _plan(**sections: Any) -> dict[str, Any]:
    return {"format": 1, "plan": {"id": "p"}, **sections}


def _read_back(data: dict[str, Any]) -> dict[str, Any]:
    content = write_workbook((sheet, sheet_rows(sheet, data)) for sheet in SHEETS)
    result = read_xlsx(content, "layout.xlsx")
    assert result.notes == ()
    return dict(result.data)


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _section(data: dict[str, Any], section: tuple[str, ...]) -> Any:
    return _get(data, section)


def _entries() -> list[tuple[Sheet, Column]]:
    return [
        (sheet, column)
        for sheet in SHEETS
        if sheet.mode not in ("fields", "output")
        for column in sheet.columns
        if column.type.read_back
    ]


def test_every_column_and_plan_row_is_walked() -> None:
    """The parametrisations below come from the declaration itself: nothing of it is left out."""
    walked = {(s.title, c.header) for s, c in _entries()}
    declared = {(s.title, c.header) for s in SHEETS if s.mode not in ("fields", "output") for c in s.columns}
    summaries = {(s.title, c.header) for s in SHEETS for c in s.columns if not c.type.read_back}
    assert walked | summaries == declared
    assert summaries == {("City Action Table", "resources")}
    assert all(kind in SAMPLES for kind in CELL_TYPES if kind != "resources")


@pytest.mark.parametrize(("sheet", "column"), _entries(), ids=[f"{s.title}: {c.header}" for s, c in _entries()])
def test_column_writes_and_reads_back(sheet: Sheet, column: Column) -> None:
    values = samples(column.kind, column.path)
    if sheet.mode == "items":
        records: list[dict[str, Any]] = []
        for n, value in enumerate(values):
            record: dict[str, Any] = {} if column.path == ("id",) else {"id": f"I{n}"}
            _put(record, column.path, value)
            records.append(record)
        data = _plan()
        _put(data, sheet.section, records)
        back = _section(_read_back(data), sheet.section)
        assert typed([_get(r, column.path) for r in back]) == typed(values)
    elif sheet.mode == "children":
        if column.kind == "key":  # the owner's id, one owner per value
            data = _plan()
            _put(data, sheet.section, [{"id": v, sheet.field: [{}]} for v in values])
            back = _section(_read_back(data), sheet.section)
            assert typed([o["id"] for o in back]) == typed(values) and all(o[sheet.field] == [{}] for o in back)
            return
        children = []
        for value in values:
            child: dict[str, Any] = {}
            _put(child, column.path, value)
            children.append(child)
        data = _plan()
        _put(data, sheet.section, [{"id": "O1", sheet.field: children}])
        back = _section(_read_back(data), sheet.section)
        assert typed([_get(c, column.path) for c in back[0][sheet.field]]) == typed(values)
    elif sheet.mode == "details":
        owners = []
        for n, value in enumerate(values):
            owner: dict[str, Any] = {"id": value if column.kind == "key" else f"A{n}"}
            if column.kind != "key":
                _put(owner, column.path, value)
            owners.append(owner)
        data = _plan()
        _put(data, sheet.section, owners)
        back = _section(_read_back(data), sheet.section)
        assert typed(back) == typed(owners)
    else:
        assert sheet.mode == "types"
        if column.kind == "key":
            entries = {v: {"score": 3} for v in values}
        else:
            entries = {}
            for n, value in enumerate(values):
                entries[f"t{n}"] = {}
                _put(entries[f"t{n}"], column.path, value)
        data = _plan()
        _put(data, sheet.section, entries)
        assert typed(_section(_read_back(data), sheet.section)) == typed(entries)


_RECORD_COLUMNS = [(s, c) for s, c in _entries() if len(c.path) == 2 and marks_record(c.path)]


@pytest.mark.parametrize(
    ("sheet", "column"), _RECORD_COLUMNS, ids=[f"{s.title}: {c.header}" for s, c in _RECORD_COLUMNS]
)
def test_a_small_record_that_is_there_but_empty_reads_back(sheet: Sheet, column: Column) -> None:
    """``timescale: {}`` is an empty text in its start column, and comes back as ``{}``."""
    record: dict[str, Any] = {column.path[0]: {}}
    if sheet.mode == "children":
        data = _plan()
        _put(data, sheet.section, [{"id": "O1", sheet.field: [record]}])
        back = _section(_read_back(data), sheet.section)[0][sheet.field][0]
    else:
        record["id"] = "I1"
        data = _plan()
        _put(data, sheet.section, [record])
        back = _section(_read_back(data), sheet.section)[0]
    assert back[column.path[0]] == {}


@pytest.mark.parametrize(("path", "kind"), FIELDS, ids=[".".join(p) for p, _ in FIELDS])
def test_plan_row_writes_and_reads_back(path: tuple[str, ...], kind: str) -> None:
    for value in samples(kind, path)[:6]:
        data = _plan()
        _put(data, path, value)
        assert typed(_get(_read_back(data), path)) == typed(value)
    if marks_record(path):
        data = _plan()
        _put(data, path[:-1], {})
        assert _get(_read_back(data), path[:-1]) == {}


def test_the_resources_summary_is_written_for_people_and_read_from_the_resources_sheet() -> None:
    """The one column that is not read back: it is written from the resources, and left to the Resources sheet."""
    resources = [{"kind": "budget", "amount": 15000, "currency": "EUR", "source": "municipal"}, {"kind": "staff"}]
    data = _plan(actions=[{"id": "A1", "resources": resources}])
    table = next(s for s in SHEETS if s.title == "City Action Table")
    column = next(c for c in table.columns if not c.type.read_back)
    row = sheet_rows(table, data)[0]
    summary = row[table.columns.index(column)]
    assert isinstance(summary, str) and decode_text(summary) == resources_text(resources)
    assert typed(_read_back(data)["actions"]) == typed([{"id": "A1", "resources": resources}])


@pytest.mark.parametrize("kind", [k for k in CELL_TYPES if k != "resources"])
def test_every_cell_type_reads_back_what_it_writes(kind: str) -> None:
    """The cell types alone, without a workbook: ``parse(write(value)) == value`` (text decoded as a cell reads)."""
    cell_type = CELL_TYPES[kind]
    for value in SAMPLES[kind]:
        cell = cell_type.write(value)
        raw = decode_text(cell) if isinstance(cell, str) else cell
        assert typed(cell_type.parse(raw)) == typed(value), (kind, value)
    assert cell_type.write(None) is None
    if kind == "date":
        assert cell_type.parse("", True) is MARKER
        assert typed(cell_type.parse(2025.0)) == typed(2025)  # a year Excel stored as a number
    if kind == "int":  # Excel may store a whole number as 2030.0
        for value in SAMPLES[kind]:
            if abs(value) < 2**53:
                assert typed(cell_type.parse(float(value))) == typed(value)


def test_a_date_cell_is_refused_where_text_is_expected_and_read_where_a_date_is() -> None:
    import datetime as dt

    assert CELL_TYPES["date"].parse(dt.date(2025, 9, 6)) == "2025-09-06"
    assert CELL_TYPES["date"].parse(dt.datetime(2025, 9, 6)) == "2025-09-06"
    for kind in ("text", "list", "int", "number", "value", "bool", "key"):
        with pytest.raises(Refused, match="Excel turned what was typed into a date"):
            CELL_TYPES[kind].parse(dt.datetime(2025, 9, 6, 12, 30))
    with pytest.raises(Refused, match="TRUE or FALSE where text is expected"):
        CELL_TYPES["text"].parse(True)
