"""Hostile IATI input: every refusal is a PlanError at a place, with a plain message."""

from __future__ import annotations

import tracemalloc
import warnings
from pathlib import Path

import attrs
import pytest

import techdiversity as td
from techdiversity import model
from techdiversity.convert import structure_data
from techdiversity.dates import PartialDate
from techdiversity.errors import PlanError
from techdiversity.exporters import export
from techdiversity.formats.iati import limits, read_iati
from techdiversity.formats.iati.stream import scan_path
from techdiversity.starter import starter_plan

HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'


def activity(body: bytes, ident: bytes = b"XM-1") -> bytes:
    return b" <iati-activity><iati-identifier>" + ident + b"</iati-identifier>" + body + b"</iati-activity>\n"


def indicator(values: bytes) -> bytes:
    return (
        b'<result type="1"><title><narrative>R</narrative></title>'
        b'<indicator measure="1"><title><narrative>I</narrative></title>'
        b'<period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>' + values + b"</period>"
        b"</indicator></result>"
    )


def refused(content: bytes, tmp_path: Path, name: str = "hostile.xml") -> PlanError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PlanError) as info:
        td.load(path)
    return info.value


@pytest.mark.parametrize("encoding", ["x-bogus", "utf-32", "euc-jp"])
def test_an_unknown_or_unsupported_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    content = f'<?xml version="1.0" encoding="{encoding}"?>\n<iati-activities version="2.03"/>'.encode()
    error = refused(content, tmp_path)
    (diag,) = error.diagnostics
    assert diag.location.line == 1 and diag.location.column == 1
    assert encoding in diag.message and "UTF-8" in diag.message


def test_a_number_of_more_than_4300_digits_is_refused_at_its_place(tmp_path: Path) -> None:
    digits = b"9" * (limits.MAX_NUMBER_DIGITS + 1)
    content = HEAD + activity(b"\n" + indicator(b'\n<target value="' + digits + b'"/>')) + b"</iati-activities>\n"
    error = refused(content, tmp_path)
    (diag,) = error.diagnostics
    assert diag.location.line == 5
    assert f"more than {limits.MAX_NUMBER_DIGITS:,} digits" in diag.message
    assert "MAX_NUMBER_DIGITS" in diag.message
    # a long number that Python can read is a number
    fine = HEAD + activity(indicator(b'<target value="' + b"9" * 400 + b'"/>')) + b"</iati-activities>\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (path := tmp_path / "fine.xml").write_bytes(fine)
        assert td.load(path).indicators[0].target.value == int("9" * 400)  # type: ignore[union-attr]


def test_thousands_separators_are_read_with_a_note(tmp_path: Path) -> None:
    content = HEAD + activity(indicator(b'<target value="20,000"/><actual value="1,5"/>')) + b"</iati-activities>\n"
    result = read_iati(content, "t.xml")
    (ind,) = result.data["indicators"]
    assert ind["target"]["value"] == 20000
    assert ind["actuals"][0]["value"] == "1,5"  # ambiguous: kept as words
    assert any("'20,000'" in n.message and "approximated" in n.message for n in result.notes)


def empty_elements(count: int) -> bytes:
    return HEAD + activity(b"<x/>" * count) + b"</iati-activities>\n"


def test_an_activity_of_too_many_elements_is_refused_naming_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_ELEMENTS_PER_ACTIVITY", 1000)
    error = refused(empty_elements(2000), tmp_path)
    (diag,) = error.diagnostics
    assert "MAX_ELEMENTS_PER_ACTIVITY" in diag.message and "1,000 elements" in diag.message
    assert diag.location.line == 3


def test_a_file_of_too_many_elements_is_refused_naming_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_ELEMENTS_PER_FILE", 500)
    many = HEAD + b"".join(activity(b"<x/>" * 20, str(i).encode()) for i in range(40)) + b"</iati-activities>\n"
    error = refused(many, tmp_path)
    assert "MAX_ELEMENTS_PER_FILE" in str(error)
    monkeypatch.setattr(limits, "MAX_ACTIVITY_BYTES", 1000)
    monkeypatch.setattr(limits, "MAX_ELEMENTS_PER_FILE", 10**6)
    error = refused(HEAD + activity(b"<x>" + b"y" * 5000 + b"</x>") + b"</iati-activities>\n", tmp_path, "long.xml")
    assert "MAX_ACTIVITY_BYTES" in str(error)


def test_megabytes_of_empty_elements_take_little_memory(tmp_path: Path) -> None:
    # 4 MB of empty elements in one activity (a million elements): refused by the budget
    # per activity while streaming, long before a tree of them is built
    path = tmp_path / "empty.xml"
    path.write_bytes(empty_elements(1_000_000))
    tracemalloc.start()
    try:
        with pytest.raises(PlanError, match="MAX_ELEMENTS_PER_ACTIVITY"):
            td.load(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


def test_a_lone_cr_survives_a_round_trip() -> None:
    plan = td.loads(starter_plan(city="Testville"))
    text = "first\rsecond\r\nthird"
    ind = attrs.evolve(
        plan.indicators[0], name=text, baseline=model.Measurement(1, PartialDate.parse("2024"), note=text)
    )
    plan = attrs.evolve(plan, indicators=(ind, *plan.indicators[1:]), plan=attrs.evolve(plan.plan, title=text))
    xml = export(plan, "iati")
    assert isinstance(xml, str) and "\r" not in xml and "&#13;" in xml
    result = read_iati(xml.encode("utf-8"), "back.xml")
    back = structure_data(result.data, model.Plan, result.source)
    expected = "first\rsecond\nthird"  # a CR LF is a line end, as in any XML
    assert back.plan.title == expected
    same = next(i for i in back.indicators if i.id == ind.id)
    assert same.name == expected
    assert same.baseline.note == expected  # type: ignore[union-attr]


def test_a_root_activity_is_read_without_spurious_notes() -> None:
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activity xml:lang="en">'
        b"<iati-identifier>XM-1</iati-identifier><title><narrative>T</narrative></title>"
        b'<activity-status code="2"/></iati-activity>\n'
    )
    result = read_iati(content, "root.xml")
    assert result.data["plan"]["title"] == "T"
    assert result.notes == ()


@pytest.mark.parametrize(
    ("char", "read_as"),
    [
        ("\x92", "\u2019"),
        ("\x96", "\u2013"),
        ("\x9b", "\u203a"),
        ("\x85", "\u2026"),
        ("\x81", "\ufffd"),
        ("\x7f", "\ufffd"),
    ],
)
def test_c1_controls_are_read_as_the_windows_1252_they_stand_for_with_a_note(char: str, read_as: str) -> None:
    """Published files hold C1 controls where Windows-1252 punctuation was read as Latin-1
    (``\x92`` for a right quote): the activity is read, the control never reaches a
    terminal or the plan, and a note says what was read, at its place."""
    content = HEAD.decode() + f" <iati-activity><iati-identifier>X</iati-identifier>\n  <title><narrative>a{char}b"
    content += "</narrative></title></iati-activity>\n</iati-activities>\n"
    result = read_iati(content.encode("utf-8"), "c.xml")
    assert result.data["plan"]["title"] == f"a{read_as}b"
    (note,) = [n for n in result.notes if "C1 control" in n.message]
    assert note.location.line == 4 and note.location.column is not None
    assert f"U+{ord(char):04X} as {read_as!r}" in note.message and note.message.endswith("(approximated)")
    attr = read_iati(
        HEAD + activity(b'<title x="a\xc2\x9bb"><narrative>T</narrative></title>') + b"</iati-activities>", "a.xml"
    )
    assert any("U+009B" in n.message for n in attr.notes)
    assert not any(c in repr(attr.data) for c in ("\x9b",))


def test_c1_controls_of_many_texts_are_one_note(tmp_path: Path) -> None:
    texts = "".join(f"<description><narrative>it\x92s {i}</narrative></description>\n" for i in range(5))
    content = (
        HEAD.decode()
        + f" <iati-activity><iati-identifier>X</iati-identifier>\n{texts}</iati-activity>\n</iati-activities>\n"
    )
    result = read_iati(content.encode("utf-8"), "m.xml")
    notes = [n for n in result.notes if "C1 control" in n.message]
    assert len(notes) == 1 and "4 more, at lines" in notes[0].message


def test_lone_surrogates_in_td_lists_are_refused_at_their_place(tmp_path: Path) -> None:
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<iati-activities version="2.03" xmlns:td="urn:x-techdiversity:iati:1">\n'
        b' <iati-activity td:plan-id="p1"><iati-identifier>X-1</iati-identifier>\n'
        b'  <participating-org role="2" td:id="S1" td:represents=\'["\\ud800"]\'><narrative>A</narrative>'
        b"</participating-org>\n </iati-activity>\n</iati-activities>\n"
    )
    error = refused(content, tmp_path)
    (diag,) = error.diagnostics
    assert diag.location.line == 4 and "lone surrogate U+D800" in diag.message
    assert diag.location.pointer == "/stakeholders/0/represents/0"


def test_the_index_of_a_file_is_kept_while_the_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "two.xml"
    path.write_bytes(HEAD + activity(b"", b"A") + activity(b"", b"B") + b"</iati-activities>\n")
    first = scan_path(str(path))
    assert scan_path(str(path)) is first
    assert [a.identifier for a in first.activities] == ["A", "B"]
    path.write_bytes(HEAD + activity(b"", b"A") + activity(b"", b"B") + activity(b"", b"C") + b"</iati-activities>\n")
    assert [a.identifier for a in scan_path(str(path)).activities] == ["A", "B", "C"]


def _with_extras(extras: model.IatiExtras) -> model.Plan:
    plan = td.loads(starter_plan(city="Testville"))
    ind = attrs.evolve(plan.indicators[0], iati=extras)
    return attrs.evolve(plan, indicators=(ind, *plan.indicators[1:]))


def test_the_pass_through_is_written_back_and_read_again() -> None:
    extras = model.IatiExtras(
        (model.IatiAttribute("aggregation-status", "1"),),
        (
            '<document-link url="https://example.org/m.pdf" format="application/pdf"><title><narrative>M</narrative>'
            "</title></document-link>",
        ),
    )
    plan = _with_extras(extras)
    xml = export(plan, "iati")
    assert isinstance(xml, str) and 'aggregation-status="1"' in xml and "example.org/m.pdf" in xml
    result = read_iati(xml.encode("utf-8"), "back.xml")
    back = structure_data(result.data, model.Plan, result.source)
    same = next(i for i in back.indicators if i.id == plan.indicators[0].id)
    assert same.iati is not None
    assert same.iati.attributes == extras.attributes
    assert len(same.iati.elements) == 1 and "example.org/m.pdf" in same.iati.elements[0]


@pytest.mark.parametrize(
    "element",
    [
        '<!DOCTYPE x [<!ENTITY a "b">]><document-link url="&a;"/>',
        "<document-link>",
        '<period><period-start iso-date="2024-01-01"/></period>',
    ],
)
def test_a_hostile_pass_through_is_refused_by_the_exporter(element: str) -> None:
    with pytest.raises(ValueError, match="iati pass-through"):
        export(_with_extras(model.IatiExtras(elements=(element,))), "iati")
    with pytest.raises(ValueError, match="not an XML name"):
        export(_with_extras(model.IatiExtras(attributes=(model.IatiAttribute("a b", "1"),))), "iati")


def test_an_activity_deep_in_a_file_keeps_its_place_in_errors_and_notes(tmp_path: Path) -> None:
    filler = b"".join(activity(b"", f"F{i}".encode()) for i in range(300))
    noted = (
        b" <iati-activity><iati-identifier>LAST</iati-identifier>\n  <title><narrative>x\xc2\x85</narrative></title>"
    )
    path = tmp_path / "deep.xml"
    path.write_bytes(HEAD + filler + noted + b"</iati-activity>\n</iati-activities>\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        td.load(path, activity="LAST")
    (note,) = [str(w.message) for w in caught if "U+0085" in str(w.message)]
    assert ":304:" in note  # the title line of the last activity
    bad = b" <iati-activity><iati-identifier>LAST</iati-identifier>\n  <title><narrative>1</narrative></title>\n"
    bad += b'  <activity-date type="1" iso-date="2020-05-01"/><activity-date type="3" iso-date="2019-01-01"/>'
    path.write_bytes(HEAD + filler + bad + b"</iati-activity>\n</iati-activities>\n")
    with pytest.raises(PlanError) as info:
        td.load(path, activity="LAST")
    assert all(d.location.line in (304, 305) for d in info.value.diagnostics), info.value.diagnostics
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        td.load(path, activity="F299")
    assert caught == []


RESULT_EXTRAS = model.IatiExtras(
    (model.IatiAttribute("aggregation-status", "1"),),
    (
        '<document-link url="https://example.org/r.pdf" format="application/pdf"><title><narrative>R</narrative>'
        '</title><category code="A08"/></document-link>',
        '<reference vocabulary="1" code="SDG-5.b" vocabulary-uri="https://example.org/v"/>',
    ),
)


def _with_result_extras(plan: model.Plan, extras: model.IatiExtras) -> model.Plan:
    return attrs.evolve(plan, objectives=(attrs.evolve(plan.objectives[0], iati=extras), *plan.objectives[1:]))


@pytest.mark.parametrize("kinds", [("result",), ("result", "impact"), ()], ids=["one", "two-results", "placeholder"])
def test_an_objectives_pass_through_is_written_on_its_result_and_read_again(kinds: tuple[str, ...]) -> None:
    """On the objective's (first) result only, valid, and read back as it was, with no note of loss."""
    plan = td.loads(starter_plan(city="Testville"))
    so = plan.objectives[0].id
    on_so = [i for i in plan.indicators if so in i.measures]
    others = [i for i in plan.indicators if so not in i.measures]
    made = [attrs.evolve(on_so[0], id=f"K{n}", kind=kind) for n, kind in enumerate(kinds)]
    plan = _with_result_extras(attrs.evolve(plan, indicators=(*others, *made)), RESULT_EXTRAS)
    xml = export(plan, "iati", validate=True)
    assert isinstance(xml, str)
    assert xml.count('aggregation-status="1"') == 1 and xml.count("example.org/r.pdf") == 1
    result = read_iati(xml.encode("utf-8"), "back.xml")
    assert not [n for n in result.notes if "result" in n.message and "not imported" in n.message], result.notes
    back = structure_data(result.data, model.Plan, result.source)
    same = next(o for o in back.objectives if o.id == so)
    assert same.iati is not None and same.iati.attributes == RESULT_EXTRAS.attributes
    assert [e.split(" ", 1)[0] for e in same.iati.elements] == ["<document-link", "<reference"]
    assert "SDG-5.b" in same.iati.elements[1] and "example.org/v" in same.iati.elements[1]
    again = export(back, "iati", validate=True)
    assert isinstance(again, str) and again.count('aggregation-status="1"') == 1


@pytest.mark.parametrize("element", ['<indicator measure="1"/>', "<document-link>", '<period a="1"/>'])
def test_a_result_pass_through_out_of_place_is_refused(element: str) -> None:
    plan = td.loads(starter_plan(city="Testville"))
    with pytest.raises(ValueError, match="iati pass-through of objective"):
        export(_with_result_extras(plan, model.IatiExtras(elements=(element,))), "iati")


def test_a_results_attributes_and_children_are_noted_kept() -> None:
    path = Path(__file__).parent / "data" / "iati" / "24-results.xml"
    result = read_iati(path.read_bytes(), str(path))
    notes = [n.message for n in result.notes if "result" in n.message and "aggregation-status" in n.message]
    assert notes and all(n.startswith("@aggregation-status of result SO") and "(kept)" in n for n in notes)
    assert not [n for n in result.notes if "of a result" in n.message]
