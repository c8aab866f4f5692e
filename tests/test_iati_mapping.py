"""The IATI element mapping, walked both ways: every declared attribute writes a value and reads it back.

The writer and the reader of IATI activity XML walk the same declaration
(:mod:`techdiversity.formats.iati.mapping`). These tests go through every entry: a
value of the entry's field is written through the entry into an element, the element
is serialised as the writer serialises it and parsed again, and the entry reads the
value back, equal (in the plan format's plain form: a date as its text, a list as a list).
The code tables are checked to agree both ways, and a plan whose indicator has an empty
unit and source (written, and once not read back) now loads back equal.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from typing import Any

import attrs
import pytest

import techdiversity as td
from techdiversity import model, vocab
from techdiversity.dates import PartialDate
from techdiversity.exporters import export
from techdiversity.formats.iati import mapping as M
from techdiversity.formats.iati import read_iati
from techdiversity.formats.iati.writer import xml_text
from techdiversity.readers import PlanReadWarning
from techdiversity.starter import starter_plan

#: Sample values for each codec, by its name (awkward ones included: spaces, commas,
#: quotes, markup characters, line breaks, accents).
SAMPLES: dict[str, list[Any]] = {
    "text": ["plain", "", "two  words", "quotes \" and ' and <tags> & more", "line\nbreak", "Bielsko-Biała"],
    "non-blank text": ["x", "two words", "<&>"],
    "id": ["A1", "gb-1.2:3_x"],
    "words": [("a",), ("two words", "b,c"), ('"quoted"', "ünï")],
    "word list": [("a",), ("two words", "b,c")],
    "ids": [(), ("A1",), ("A1", "SO2")],
    "some ids": [("A1",), ("A1", "SO2")],
    "date": [PartialDate.parse(t) for t in ("2025", "2025-Q3", "2025-09", "2025-09-06")],
    "boolean": [True, False],
    "whole number": [0, 7, 2030],
    "language tag": ["en", "pt-PT"],
    "other language": ["Português", "en_GB!"],
    "country": ["EU", "PL"],
    "place": [0, 3, 12],
    "plan status": sorted(vocab.PLAN_STATUSES),
    "stakeholder type": sorted(vocab.STAKEHOLDER_TYPES),
    "participation": sorted(vocab.PARTICIPATION),
    "indicator kind": sorted(vocab.INDICATOR_KINDS),
    "direction": sorted(vocab.DIRECTIONS),
    "subject kind": ["objective", "action", "plan"],
    "role": ["milestone", "target"],
}


def plain(value: Any) -> Any:
    """A value as the plan data holds it: a date as its text (a year as a number), a list as a list."""
    if isinstance(value, PartialDate):
        return value.to_raw()
    if isinstance(value, tuple):
        return list(value)
    return value


def typed(value: Any) -> Any:
    """The value with the type of every scalar, so that ``1 == True`` and ``2025 == "2025"`` do not pass for equal."""
    if isinstance(value, (list, tuple)):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def through_xml(element: M.Element, attributes: dict[str, str | None]) -> ET.Element:
    """An element with these attributes, serialised as the writer does (``td:`` declared on the root), parsed again."""
    root = ET.Element("iati-activities", {"xmlns:td": M.TD_NAMESPACE})
    child = ET.SubElement(root, element.tag)
    for key, value in attributes.items():
        if value is not None:
            child.set(key, xml_text(value))
    parsed = ET.fromstring(ET.tostring(root, encoding="unicode"))
    return parsed[0]


ENTRIES = [(element, attr) for element in M.ELEMENTS for attr in element.attributes]


def test_every_codec_has_samples() -> None:
    assert {a.codec.name for _, a in ENTRIES} <= set(SAMPLES)


@pytest.mark.parametrize(("element", "attr"), ENTRIES, ids=[f"{e.tag} {a.name}" for e, a in ENTRIES])
def test_entry_writes_and_reads_back(element: M.Element, attr: M.Attr) -> None:
    for value in SAMPLES[attr.codec.name]:
        written = element.write(None, **{attr.field: value})
        assert written[attr.written] is not None, (attr.name, value)
        back = element.read(through_xml(element, written))
        assert typed(back.get(attr.field)) == typed(plain(value)), (attr.name, value)


@pytest.mark.parametrize("element", M.ELEMENTS, ids=[e.tag for e in M.ELEMENTS])
def test_an_element_reads_back_all_its_fields_at_once(element: M.Element) -> None:
    """Written together, the fields of one element come back together (none hides another)."""
    values: dict[str, Any] = {}
    for attr in element.attributes:
        values.setdefault(attr.field, SAMPLES[attr.codec.name][-1])
    back = element.read(through_xml(element, element.write(None, **values)))
    expected = {k: plain(v) for k, v in values.items()}
    if element is M.ACTIVITY:  # one language, in whichever of its two attributes it fits
        assert back["language"] == values["language"]
        expected["language"] = back["language"]
    assert {k: typed(v) for k, v in back.items()} == {k: typed(v) for k, v in expected.items()}


def test_nothing_written_reads_as_nothing() -> None:
    for element in M.ELEMENTS:
        written = element.write(None)
        assert all(v is None for v in written.values()), element.tag
        assert element.read(through_xml(element, written)) == {}


def test_entries_name_fields_of_the_model() -> None:
    """Each entry's field is a field of the model class it holds (or a marker the declaration says it is)."""
    classes = {
        "iati-activity": model.PlanInfo,
        "participating-org": model.Stakeholder,
        "indicator": model.Indicator,
        "baseline": model.Measurement,
        "td:value": model.Measurement,
        "activity-date": model.Period,
    }
    markers = {
        "unnamed",
        "undated",
        "text",
        "role",
        "index",
        "subject_kind",
        "description_field",
        "field",
        "values",
        "further",
        "period_start",
        "period_end",  # the start and the end of the measurement's period
    }
    for element, attr in ENTRIES:
        cls = classes.get(element.tag)
        if cls is None or attr.field in markers:
            continue
        names = {f.name for f in attrs.fields(cls)} | ({"date"} if cls is model.Period else set())
        assert attr.field in names, (element.tag, attr.field)
    for element, attr in ENTRIES:
        if attr.field in markers and attr.field not in ("field", "values", "subject_kind", "description_field"):
            assert attr.note, f"{element.tag} {attr.name}: say what the marker stands for"


@pytest.mark.parametrize(
    ("write", "read", "values"),
    [
        (M.ORG_TYPES, M.ORG_TYPE_OF_CODE, vocab.STAKEHOLDER_TYPES),
        (M.ACTIVITY_STATUS, M.STATUS_OF_CODE, vocab.PLAN_STATUSES),
        (M.RESULT_TYPES, M.KIND_OF_RESULT_TYPE, vocab.INDICATOR_KINDS),
    ],
    ids=["organisation types", "activity status", "result types"],
)
def test_code_tables_agree_both_ways(write: Any, read: Any, values: Any) -> None:
    """Every value of the vocabulary has a code, and reads back as a value that writes the same code."""
    assert set(write) == set(values)
    back = M.coded_round_trip(write, read)
    for value, again in back.items():
        assert again in values, (value, again)
        assert write[again] == write[value], (value, again)


def test_roles_read_as_participation_levels() -> None:
    assert set(M.PARTICIPATION_OF_ROLE.values()) <= set(vocab.PARTICIPATION)
    assert set(M.PARTICIPATION_OF_ROLE) <= set(M.ROLES)


def test_descriptions_name_text_fields_of_the_plan() -> None:
    foreign = [d.type for d in M.DESCRIPTIONS if d.foreign]
    assert len(foreign) == len(set(foreign))  # one field per IATI type for other publishers' descriptions
    classes = {"context": model.Context, "vision": model.Vision}
    for d in M.DESCRIPTIONS:
        cls = classes[d.path[0]] if len(d.path) == 2 else model.Plan
        assert d.path[-1] in attrs.fields_dict(cls), d.field


def test_every_activity_child_is_mapped_or_said_why_not() -> None:
    assert not M.ACTIVITY_CHILDREN & set(M.UNMAPPED)
    assert "budget" in M.UNMAPPED


def test_an_empty_unit_and_source_read_back() -> None:
    """Written as ``td:unit=""`` and ``td:source=""``; read back as the empty text (they were dropped before)."""
    plan = td.loads(starter_plan(city="Testville"))
    indicator = attrs.evolve(plan.indicators[0], unit="", source="")
    plan = attrs.evolve(plan, indicators=(indicator, *plan.indicators[1:]))
    xml = export(plan, "iati", options={"generated-datetime": "2025-06-30T12:00:00Z"})
    assert isinstance(xml, str)
    result = read_iati(xml.encode("utf-8"), "plan.xml")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanReadWarning)
        from techdiversity.convert import structure_data

        back = structure_data(result.data, model.Plan, result.source)
    assert {i.id: i for i in back.indicators} == {i.id: i for i in plan.indicators}
    again = next(i for i in back.indicators if i.id == indicator.id)
    assert again.unit == "" and again.source == ""
