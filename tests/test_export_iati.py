"""IATI 2.03: the exporter validates against the official schema; the reader reads IATI's
own results sample and our exports back; hostile text and hostile XML are handled."""

from __future__ import annotations

import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity import model
from techdiversity.cli import main
from techdiversity.convert import structure_data
from techdiversity.dates import PartialDate
from techdiversity.errors import PlanError
from techdiversity.exporters import export
from techdiversity.formats.iati import MAX_DEPTH, TD_NAMESPACE, read_iati, read_iati_activity, xml_text
from techdiversity.readers import PlanReadWarning
from techdiversity.starter import starter_plan

etree = pytest.importorskip("lxml.etree", reason="lxml (a test dependency) validates the XML against the schema")

ROOT = Path(__file__).resolve().parent.parent
#: The official schema, vendored in the package (src/techdiversity/schemas/iati-2.03/).
SCHEMA_PATH = ROOT / "src" / "techdiversity" / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
#: IATI's own results test file, vendored with its origin in tests/data/iati/README.md.
SAMPLE = ROOT / "tests" / "data" / "iati" / "24-results.xml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TD = "{" + TD_NAMESPACE + "}"
FIXED = {"generated-datetime": "2025-06-30T12:00:00Z"}


@pytest.fixture(scope="module")
def schema() -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def starter() -> model.Plan:
    return td.loads(starter_plan(city="Testville"))


def iati(plan: model.Plan, **options: str) -> str:
    out = export(plan, "iati", options={**FIXED, **options})
    assert isinstance(out, str)
    return out


def assert_valid(schema: Any, xml: str) -> Any:
    doc = etree.fromstring(xml.encode("utf-8"))
    if not schema.validate(doc):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"the export does not validate against the IATI 2.03 schema:\n{errors}")
    return doc


def read_back(xml: str) -> tuple[model.Plan, tuple[Any, ...]]:
    result = read_iati(xml.encode("utf-8"), "export.xml")
    return structure_data(result.data, model.Plan, result.source), result.notes


def load_quietly(path: Path, **kwargs: Any) -> tuple[model.Plan, list[PlanReadWarning]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanReadWarning)
        plan = td.load(path, **kwargs)
    return plan, [w.message for w in caught if isinstance(w.message, PlanReadWarning)]


PLANS = [None, *EXAMPLES]
PLAN_IDS = ["starter", *(p.stem for p in EXAMPLES)]


def plan_for(path: Path | None) -> model.Plan:
    return starter() if path is None else td.load(path)


# ---------------------------------------------------------------------------
# The export validates


@pytest.mark.parametrize("path", PLANS, ids=PLAN_IDS)
def test_export_validates_against_the_official_schema(schema: Any, path: Path | None) -> None:
    plan = plan_for(path)
    doc = assert_valid(schema, iati(plan))
    assert doc.tag == "iati-activities" and doc.get("version") == "2.03"
    activities = doc.findall("iati-activity")
    assert len(activities) == 1
    # every objective is a result; every indicator appears exactly once
    subjects = [r.get(TD + "subject") for r in activities[0].findall("result")]
    assert {o.id for o in plan.objectives} <= set(subjects)
    ids = [i.get(TD + "id") for i in activities[0].iter("indicator") if i.get(TD + "placeholder") is None]
    assert sorted(ids) == sorted(i.id for i in plan.indicators)


def test_export_without_options_validates_and_has_a_generated_datetime(schema: Any) -> None:
    out = export(starter(), "iati")
    assert isinstance(out, str)
    doc = assert_valid(schema, out)
    assert doc.get("generated-datetime", "").endswith("Z")


def test_the_starter_mapping() -> None:
    plan = starter()
    doc = etree.fromstring(iati(plan).encode())
    act = doc.find("iati-activity")
    assert act.findtext("iati-identifier") == "XM-DAC-ZZ-testville-iap"
    assert act.find("reporting-org").get("ref") == "XM-DAC-ZZ"
    assert act.find("title/narrative").text == plan.plan.title
    assert act.find("activity-status").get("code") == "1"  # draft: pipeline
    dates = {d.get("type"): d.get("iso-date") for d in act.findall("activity-date")}
    assert dates == {"1": "2025-01-01", "3": "2030-12-31"}
    assert act.find("recipient-region").get("code") == "89"  # EU: Europe, regional
    assert act.find("location/name/narrative").text == "Testville"
    orgs = {o.get(TD + "id"): o.get("role") for o in act.findall("participating-org")}
    assert orgs == {"S1": "4", "S2": "4"}  # lead and partner of A1: implementing
    descriptions = {d.get(TD + "field"): d.get("type") for d in act.findall("description")}
    assert descriptions["strategic_goal"] == "2"
    assert descriptions["context.current_situation"] == "1"
    assert descriptions["context.target_groups"] == "3"
    results = {r.get(TD + "subject"): r for r in act.findall("result")}
    assert results["SO1"].get("type") == "2"
    assert results["A1"].get("type") == "1"
    assert results["SO1"].find("reference").get("code") == "SO1"
    i2 = results["SO1"].find("indicator")
    assert i2.get("measure") == "2"  # percent
    assert i2.get("ascending") == "1"
    assert i2.find("baseline").get("year") == "2024"
    assert i2.find("baseline").get("value") == "15"
    periods = [
        (p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"), p.find("target").get("value"))
        for p in i2.findall("period")
    ]
    assert periods == [("2027-01-01", "2027-12-31", "20"), ("2030-01-01", "2030-12-31", "25")]
    i1 = results["A1"].find("indicator")
    assert i1.get("measure") == "1"


def test_element_order_follows_the_schema() -> None:
    order = [
        "iati-identifier",
        "reporting-org",
        "title",
        "description",
        "participating-org",
        "activity-status",
        "activity-date",
        "recipient-country",
        "recipient-region",
        "location",
        "sector",
        "budget",
        "result",
    ]
    for path in PLANS:
        act = etree.fromstring(iati(plan_for(path), sector="16020").encode()).find("iati-activity")
        tags = [c.tag for c in act]
        assert tags == sorted(tags, key=order.index)


def test_identifier_and_reporting_org_options() -> None:
    doc = etree.fromstring(
        iati(starter(), identifier="PL-KRS-1234-IAP", **{"reporting-org-ref": "PL-KRS-1234"}).encode()
    )
    act = doc.find("iati-activity")
    assert act.findtext("iati-identifier") == "PL-KRS-1234-IAP"
    assert act.find("reporting-org").get("ref") == "PL-KRS-1234"
    doc = etree.fromstring(iati(starter(), **{"reporting-org-ref": "PL-KRS-1234"}).encode())
    assert doc.find("iati-activity").findtext("iati-identifier") == "PL-KRS-1234-testville-iap"
    with pytest.raises(ValueError, match="may not hold spaces"):
        iati(starter(), identifier="two words")
    with pytest.raises(ValueError, match="generated-datetime"):
        iati(starter(), **{"generated-datetime": "yesterday"})


def test_budgets_are_split_by_year_and_sum_to_the_resources() -> None:
    for path in PLANS:
        plan = plan_for(path)
        act = etree.fromstring(iati(plan).encode()).find("iati-activity")
        totals: dict[str, Decimal] = {}
        for action in plan.actions:
            for r in action.resources:
                if r.kind == "budget" and r.amount is not None and r.currency:
                    totals[r.currency.upper()] = totals.get(r.currency.upper(), Decimal(0)) + Decimal(str(r.amount))
        written: dict[str, Decimal] = {}
        for budget in act.findall("budget"):
            start, end = budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date")
            assert start[:4] == end[:4] and start <= end  # one calendar year at most
            value = budget.find("value")
            written[value.get("currency")] = written.get(value.get("currency"), Decimal(0)) + Decimal(value.text)
        assert written == totals


def test_words_go_to_comments_not_values() -> None:
    plan = starter()
    ind = plan.indicators[1]
    ind = attrs.evolve(
        ind,
        baseline=model.Measurement("a few", PartialDate.parse("2024-03-05"), "estimate"),
        target=model.Measurement("many more women", PartialDate.parse("2030")),
        actuals=(model.Measurement(17.5, PartialDate.parse("2025-Q3"), "first survey"),),
    )
    plan = attrs.evolve(plan, indicators=(plan.indicators[0], ind))
    act = etree.fromstring(iati(plan).encode()).find("iati-activity")
    indicator = next(i for i in act.iter("indicator") if i.get(TD + "id") == "I2")
    baseline = indicator.find("baseline")
    assert baseline.get("value") is None
    assert baseline.get("iso-date") == "2024-03-05" and baseline.get("year") == "2024"
    assert baseline.find("comment/narrative").text == "a few\nestimate"
    targets = [t for t in indicator.iter("target")]
    final = next(t for t in targets if t.find(TD + "value").get("role") == "target")
    assert final.get("value") is None and final.find("comment/narrative").text == "many more women"
    actual = next(indicator.iter("actual"))
    assert actual.get("value") == "17.5"
    period = actual.getparent()
    assert (period.find("period-start").get("iso-date"), period.find("period-end").get("iso-date")) == (
        "2025-07-01",
        "2025-09-30",
    )
    back, _ = read_back(iati(plan))
    assert next(i for i in back.indicators if i.id == "I2") == ind


def test_lists_with_spaces_and_commas_read_back() -> None:
    plan = starter()
    assert plan.context is not None
    groups = ("women", "young people", "people, with disabilities")
    plan = attrs.evolve(
        plan,
        context=attrs.evolve(plan.context, target_groups=groups),
        stakeholders=(attrs.evolve(plan.stakeholders[0], represents=groups), *plan.stakeholders[1:]),
        indicators=(attrs.evolve(plan.indicators[0], disaggregation=("age group", "gender")), plan.indicators[1]),
    )
    back, _ = read_back(iati(plan))
    assert back.context is not None and back.context.target_groups == groups
    assert back.stakeholders[0].represents == groups
    assert next(i for i in back.indicators if i.id == "I1").disaggregation == ("age group", "gender")


def test_direction_sets_ascending() -> None:
    plan = starter()
    falling = attrs.evolve(plan.indicators[1], direction="decrease")
    inferred = attrs.evolve(
        plan.indicators[0],
        baseline=model.Measurement(40, PartialDate.parse("2024")),
        target=model.Measurement(10, PartialDate.parse("2029")),
    )
    plan = attrs.evolve(plan, indicators=(inferred, falling))
    act = etree.fromstring(iati(plan).encode()).find("iati-activity")
    ascending = {i.get(TD + "id"): i.get("ascending") for i in act.iter("indicator")}
    assert ascending == {"I1": "0", "I2": "0"}
    back, _ = read_back(iati(plan))
    assert {i.id: i.direction for i in back.indicators} == {"I1": None, "I2": "decrease"}


def test_objective_without_indicators_and_indicator_without_subject() -> None:
    plan = starter()
    lone = model.Objective("SO2", title="Keep women in tech jobs")
    floating = model.Indicator("I9", name="Women in the local tech workforce", kind="impact", unit="percent")
    plan = attrs.evolve(plan, objectives=(*plan.objectives, lone), indicators=(*plan.indicators, floating))
    xml = iati(plan)
    act = etree.fromstring(xml.encode()).find("iati-activity")
    so2 = next(r for r in act.findall("result") if r.get(TD + "subject") == "SO2")
    assert so2.find("indicator").get("measure") == "5"  # a qualitative placeholder keeps the objective
    whole = next(r for r in act.findall("result") if r.get(TD + "subject-kind") == "plan")
    assert whole.find("indicator").get(TD + "id") == "I9"
    back, _ = read_back(xml)
    assert [o.id for o in back.objectives] == ["SO1", "SO2"]
    assert next(i for i in back.indicators if i.id == "I9") == floating
    assert {i.id for i in back.indicators} == {"I1", "I2", "I9"}  # no placeholder comes back


def test_minimal_and_odd_plans_validate(schema: Any) -> None:
    minimal = model.Plan(plan=model.PlanInfo(id="bare"))
    doc = assert_valid(schema, iati(minimal))
    act = doc.find("iati-activity")
    assert act.find("title").get(TD + "generated") == "true"
    assert act.find("participating-org").get("role") == "2"  # the reporting organisation, made up
    assert len(act.findall("activity-date")) == 1
    back, _ = read_back(iati(minimal))
    assert back.plan == minimal.plan and back.stakeholders == () and back.objectives == ()

    odd = starter()
    undated = attrs.evolve(
        odd.indicators[0],
        kind=None,
        baseline=model.Measurement(5),
        target=model.Measurement(50),
        milestones=(model.Measurement(20),),
        actuals=(model.Measurement(1e20, PartialDate.parse("2025-09-06")), model.Measurement(-0.25)),
        measures=("A1", "SO1", "nothing"),
    )
    action = attrs.evolve(
        odd.actions[0],
        timescale=None,
        resources=(
            model.Resource("budget", amount=1000.5, currency="eur"),
            model.Resource("budget", amount=99, currency="PLN"),
            model.Resource("budget", amount=7),  # no currency: not an IATI budget
            model.Resource("staff", amount=0.5, unit="fte"),
        ),
    )
    odd = attrs.evolve(
        odd,
        plan=attrs.evolve(odd.plan, period=model.Period(PartialDate.parse("2025-Q3")), country="PL", language="pl"),
        actions=(action,),
        indicators=(undated, odd.indicators[1]),
    )
    xml = iati(odd, sector="16020")
    act = assert_valid(schema, xml).find("iati-activity")
    assert act.find("recipient-country").get("code") == "PL"
    assert act.find("sector").get("code") == "16020"
    assert {b.find("value").get("currency") for b in act.findall("budget")} == {"EUR", "PLN"}
    assert act.get("default-currency") is None
    back, _ = read_back(xml)
    assert back.plan == odd.plan
    assert next(i for i in back.indicators if i.id == "I1") == undated


# ---------------------------------------------------------------------------
# Hostile text

HOSTILE = [
    "<script>alert('x')</script>",
    "a ]]> b",
    "Tom & Jerry &amp; &#x1b; &lt;",
    "vertical\x0btab and escape\x1b[31m red",
    "nul\x00 and bell\x07",
    "שלום עולם (right-to-left)",
    "مرحبا بالعالم",
    "中文 · Ελληνικά · Русский · 🚀",
    "quotes \" and ' and \r\n line",
]


def hostile_plan(text: str) -> model.Plan:
    plan = starter()
    info = attrs.evolve(plan.plan, title=text, city=text, network=text)
    objective = attrs.evolve(plan.objectives[0], title=text, description=text)
    indicator = attrs.evolve(
        plan.indicators[1],
        name=text,
        unit=text,
        source=text,
        baseline=model.Measurement(text, PartialDate.parse("2024"), text),
        actuals=(model.Measurement(3, PartialDate.parse("2025"), text),),
    )
    stakeholder = attrs.evolve(plan.stakeholders[0], name=text)
    return attrs.evolve(
        plan,
        plan=info,
        objectives=(objective,),
        indicators=(plan.indicators[0], indicator),
        stakeholders=(stakeholder, *plan.stakeholders[1:]),
        strategic_goal=text,
    )


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_escaped_kept_and_valid(schema: Any, text: str) -> None:
    plan = hostile_plan(text)
    xml = iati(plan)
    doc = assert_valid(schema, xml)  # parses (no raw control characters) and validates
    assert "<script>" not in xml
    visible = xml_text(text)
    act = doc.find("iati-activity")
    assert act.find("title/narrative").text == visible
    result = next(r for r in act.findall("result") if r.get(TD + "subject") == "SO1")
    assert result.find("title/narrative").text == visible
    back, _ = read_back(xml)
    assert back.plan.title == visible
    assert back.plan.city == visible
    assert back.strategic_goal == visible
    assert back.objectives[0].title == visible
    i2 = next(i for i in back.indicators if i.id == "I2")
    assert i2.name == visible and i2.unit == visible and i2.source == visible
    assert i2.baseline is not None and i2.baseline.value == visible and i2.baseline.note == visible
    assert i2.actuals[0].note == visible
    assert back.stakeholders[0].name == visible


def test_control_characters_become_visible_pictures() -> None:
    assert xml_text("a\x0bb\x1bc\x00d") == "a\u240bb\u241bc\u2400d"
    assert xml_text("tab\tand\nnewline") == "tab\tand\nnewline"
    assert xml_text("x\r\ny\rz") == "x\ny\rz"  # a lone CR is kept (written as &#13;)
    assert xml_text("\ud800 \ufffe") == "\ufffd \ufffd"


# ---------------------------------------------------------------------------
# Reading IATI


def test_iati_results_sample_loads_as_a_plan() -> None:
    plan, notes = load_quietly(SAMPLE, format="iati")
    assert plan.id == "xxxxxxx"  # the identifier is empty: from the title
    assert plan.plan.title == "Xxxxxxx"
    assert len(plan.objectives) == 13
    assert len(plan.indicators) == 14
    assert all(i.kind == "output" for i in plan.indicators)  # result type "output"
    full = next(i for i in plan.indicators if i.name and i.name.startswith("Number and % of public laboratories"))
    assert full.measures == (plan.objectives[2].id,)
    assert full.baseline == model.Measurement("N=35;P=55", PartialDate.parse("2008"), "Source:adminstrative records")
    assert full.milestones == (model.Measurement("N=42;P=57", PartialDate.parse("2009"), "Target Comment Period 2009"),)
    assert full.target == model.Measurement("N=44;P=60", PartialDate.parse("2010"), "Target Comment Period 2010")
    assert [a.value for a in full.actuals] == ["N=41;P=56", "N=43;P=58"]
    numeric = [i for i in plan.indicators if i.target is not None and i.target.value == 110]
    assert len(numeric) == 1 and numeric[0].actuals[0].value == 111
    # the target and the actual keep their locations and dimensions
    assert numeric[0].target.locations == ("AF-KAN", "KH-ABC")
    assert numeric[0].target.dimensions == (model.Dimension("xxx", "yyyy"),)
    assert numeric[0].actuals[0].dimensions == (model.Dimension("xxx", "yyy"),)
    assert "B1" in {i.id for i in plan.indicators}  # the vocabulary-99 reference names the indicator
    # what could not be mapped is reported, each with its line
    assert notes
    assert all(n.diagnostic.location.line for n in notes)
    messages = [(n.diagnostic.location.line, n.diagnostic.message) for n in notes]
    assert not any("<location>" in m or "<dimension>" in m for _, m in messages)
    assert any("activity status" in m for _, m in messages)
    assert any("'B1' is already used" in m for _, m in messages)


def test_sample_positions_reach_the_source_map() -> None:
    result = read_iati(SAMPLE.read_bytes(), str(SAMPLE))
    assert result.source.locate("/objectives/0").line == 19
    assert result.source.locate("/indicators/0").line == 23
    assert result.source.locate("/indicators/2/baseline/value").line == 62


@pytest.mark.parametrize("path", PLANS, ids=PLAN_IDS)
def test_export_reads_back(path: Path | None) -> None:
    plan = plan_for(path)
    back, notes = read_back(iati(plan))
    assert back.plan == plan.plan
    assert {i.id: i for i in back.indicators} == {i.id: i for i in plan.indicators}
    assert [(o.id, o.title, o.description) for o in back.objectives] == [
        (o.id, o.title, o.description) for o in plan.objectives
    ]
    assert [(s.id, s.name, s.type, s.participation, s.represents) for s in back.stakeholders] == [
        (s.id, s.name, s.type, s.participation, s.represents) for s in plan.stakeholders
    ]
    assert back.strategic_goal == plan.strategic_goal
    assert back.vision == plan.vision
    if plan.context is not None:
        assert back.context is not None
        assert back.context.current_situation == plan.context.current_situation
        assert back.context.target_groups == plan.context.target_groups
    # budgets are reported, never silently dropped
    budgets = len(etree.fromstring(iati(plan).encode()).findall("iati-activity/budget"))
    assert all("budget" in n.message for n in notes)
    assert len(notes) == min(1, budgets)  # said once, with how many there are
    if budgets > 1:
        assert f"{budgets - 1} more of the same kind" in notes[0].message


def test_load_an_xml_file_through_the_public_api(tmp_path: Path) -> None:
    path = tmp_path / "plan.xml"
    path.write_text(iati(starter()), "utf-8")
    plan, notes = load_quietly(path)  # by suffix
    assert plan.id == "testville-iap"
    assert notes and all("budget" in str(n) for n in notes)
    again, _ = load_quietly(path, format="iati")
    assert again == plan


def test_cli_export_iati_and_check_the_xml(tmp_path: Path, starter_file: Path) -> None:
    out = tmp_path / "plan.xml"
    result = CliRunner().invoke(main, ["export", str(starter_file), "--to", "iati", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert etree.fromstring(out.read_bytes()).tag == "iati-activities"
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "budget" in result.stderr and "(not imported)" in result.stderr


def test_several_activities_are_refused_by_read_iati_and_read_one_by_one(tmp_path: Path) -> None:
    xml = iati(starter())
    head, _, rest = xml.partition("<iati-activity ")
    activity = "<iati-activity " + rest.rpartition("</iati-activities>")[0]
    second = activity.replace("XM-DAC-ZZ-testville-iap", "XM-DAC-ZZ-second")
    doubled = head + activity + second + "</iati-activities>\n"
    with pytest.raises(PlanError) as info:
        read_iati(doubled.encode(), "two.xml")
    message = str(info.value)
    assert "holds 2 activities" in message and "activity='XM-DAC-ZZ-testville-iap'" in message
    assert "--activity" in message
    path = tmp_path / "two.xml"
    path.write_text(doubled, encoding="utf-8")
    first = read_iati_activity(str(path), "XM-DAC-ZZ-testville-iap")
    assert first.data["plan"]["id"] == "testville-iap"
    assert not [n for n in first.notes if "activity" in n.message and "not imported" in n.message]
    other = read_iati_activity(str(path), "XM-DAC-ZZ-second")
    # the second activity keeps its lines: its plan points into the file where it is written
    assert other.source.values["/plan"][0] == doubled[: doubled.index(second)].count("\n") + 1
    assert read_iati_activity(str(path), "2").data == other.data


def test_foreign_iati_mapping() -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>GB-COH-123-Project 7</iati-identifier>
  <reporting-org ref="GB-COH-123" type="22"><narrative>Helping Hands</narrative></reporting-org>
  <title><narrative>Digital skills for all</narrative><narrative xml:lang="fr">Competences</narrative></title>
  <description type="1"><narrative>Context text</narrative></description>
  <description type="2"><narrative>Close the gap</narrative></description>
  <description type="3"><narrative>Women, young people</narrative></description>
  <participating-org ref="GB-GOV-1" type="10" role="1"><narrative>Ministry</narrative></participating-org>
  <participating-org type="80" role="4"><narrative>University</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
  <activity-date type="2" iso-date="2024-02-01"/>
  <activity-date type="3" iso-date="2027-12-31"/>
  <recipient-country code="ke"/>
  <sector vocabulary="1" code="11330"/>
  <budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>
   <value currency="EUR" value-date="2024-01-01">1000</value></budget>
  <result type="3">
   <title><narrative>Better jobs</narrative></title>
   <reference vocabulary="99" code="R-1"/>
   <indicator measure="2" ascending="0">
    <title><narrative>Unemployment rate</narrative></title>
    <baseline year="2023" iso-date="2023-06-30" value="12.5"/>
    <period><period-start iso-date="2025-01-01"/><period-end iso-date="2025-03-31"/>
     <target value="10"/><actual value="11"/></period>
    <period><period-start iso-date="2026-02-01"/><period-end iso-date="2026-02-15"/>
     <target value="9"/></period>
   </indicator>
  </result>
 </iati-activity>
</iati-activities>"""
    result = read_iati(xml, "foreign.xml")
    plan = structure_data(result.data, model.Plan, result.source)
    assert plan.id == "gb-coh-123-project-7"
    assert plan.plan.title == "Digital skills for all"
    assert plan.plan.status == "adopted"
    assert plan.plan.country == "KE"
    assert plan.plan.period == model.Period(PartialDate.parse("2024-01-01"), PartialDate.parse("2027-12-31"))
    assert plan.context is not None and plan.context.current_situation == "Context text"
    assert plan.context.target_groups == ("women", "young-people")
    assert plan.strategic_goal == "Close the gap"
    assert [(s.name, s.type, s.participation) for s in plan.stakeholders] == [
        ("Ministry", "public-authority", None),
        ("University", "academia", "partner"),
        ("Helping Hands", "ngo", None),
    ]
    assert [o.id for o in plan.objectives] == ["R-1"]
    (indicator,) = plan.indicators
    assert indicator.kind == "impact" and indicator.unit == "percent" and indicator.direction == "decrease"
    assert indicator.baseline == model.Measurement(12.5, PartialDate.parse("2023-06-30"))
    assert indicator.milestones == (model.Measurement(10, PartialDate.parse("2025-Q1")),)
    # a period that is not a whole year, quarter or month keeps its start and end
    assert indicator.target == model.Measurement(
        9,
        PartialDate.parse("2026-02-15"),
        period=model.Period(PartialDate.parse("2026-02-01"), PartialDate.parse("2026-02-15")),
    )
    assert indicator.actuals == (model.Measurement(11, PartialDate.parse("2025-Q1")),)
    messages = " | ".join(n.message for n in result.notes)
    for words in ("(fr)", "Funding", "GB-GOV-1", "actual start", "<sector>", "<budget>"):
        assert words in messages
    assert "dated at the period end" not in messages


# ---------------------------------------------------------------------------
# Hostile XML

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<iati-activities version="2.03"><iati-activity><title><narrative>&lol9;</narrative></title>
</iati-activity></iati-activities>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><title><narrative>&xxe;</narrative></title>
</iati-activity></iati-activities>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.invalid/evil.dtd">
<iati-activities version="2.03"><iati-activity/></iati-activities>
"""

HOSTILE_XML = {
    "billion-laughs": (BILLION_LAUGHS, 2, "document type declaration"),
    "external-entity": (EXTERNAL_ENTITY, 2, "document type declaration"),
    "external-dtd": (EXTERNAL_DTD, 2, "document type declaration"),
    "deep-nesting": (b"<iati-activities>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</iati-activities>", 1, "deep"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary"),
    "not-xml": (b"format: 1\nplan:\n  id: x\n", 1, "not well-formed XML"),
    "not-iati": (b'<?xml version="1.0"?>\n<html><body>hi</body></html>', 2, "not an IATI activity file"),
    "organisation-file": (b"<iati-organisations version='2.03'/>", 1, "organisation file"),
    "no-activity": (b"<iati-activities version='2.03'>\n</iati-activities>", 1, "no <iati-activity>"),
    "undefined-entity": (b"<iati-activities>\n<x>&nope;</x></iati-activities>", 2, "not well-formed XML"),
    "forbidden-char-ref": (b"<iati-activities>&#x1b;</iati-activities>", 1, "not well-formed XML"),
    "truncated": (b"<iati-activities><iati-activity>", 1, "not well-formed XML"),
    "empty": (b"  \n", 1, "empty"),
}


@pytest.mark.parametrize("name", list(HOSTILE_XML))
def test_hostile_xml_is_refused_with_a_position(tmp_path: Path, name: str) -> None:
    content, line, words = HOSTILE_XML[name]
    path = tmp_path / f"{name}.xml"
    path.write_bytes(content)
    with pytest.raises(PlanError) as info:
        td.load(path, format="iati")
    (diag,) = info.value.diagnostics
    assert diag.location.path == str(path)
    assert diag.location.line == line
    assert diag.location.column is not None and diag.location.column >= 1
    assert words in diag.message
    assert "root:" not in str(info.value)  # no local file was read
    # the command line: exit 2, the message with its place, no traceback
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{path}:{line}:" in result.stderr and words in result.stderr


def test_deep_nesting_limit_names_the_depth(tmp_path: Path) -> None:
    content = b"<iati-activities>" + b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH + b"</iati-activities>"
    with pytest.raises(PlanError, match=f"more than {MAX_DEPTH} deep"):
        read_iati(content, "deep.xml")


def test_entity_bomb_is_refused_quickly_in_a_subprocess(tmp_path: Path) -> None:
    """The real billion laughs (10^9 lols) never expands: a child process ends at once."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + "\n".join(levels)
        + "\n]>\n<iati-activities><iati-activity><title><narrative>&lol9;</narrative></title>"
        "</iati-activity></iati-activities>\n"
    )
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "document type declaration" in proc.stderr


# ---------------------------------------------------------------------------
# Validation with the schema shipped in the package: API and command line


def test_the_schema_ships_in_the_package_unchanged() -> None:
    from techdiversity.formats.iati import SCHEMA_FILES, schema_files

    folder = schema_files()
    for name in (*SCHEMA_FILES, "LICENSE"):
        assert folder.joinpath(name).is_file(), name
    assert "Release 2.03" in folder.joinpath("iati-activities-schema.xsd").read_text("utf-8")
    assert "license" in folder.joinpath("LICENSE").read_text("utf-8").lower()


def test_validate_iati_accepts_every_export_and_names_the_line_of_a_problem() -> None:
    from techdiversity.formats.iati import validate_iati

    for path in EXAMPLES:
        assert validate_iati(iati(td.load(path))) == [], path.name
    xml = iati(starter())
    broken = xml.replace("<iati-identifier>", "<iati-identifer>").replace("</iati-identifier>", "</iati-identifer>")
    problems = validate_iati(broken)
    assert problems and all(p.startswith("line ") for p in problems)
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "iati-identifer" in text)
    assert problems[0].startswith(f"line {line}: ")
    assert validate_iati(b"<iati-activities>")[0].startswith("line 1: not well-formed XML")


STRICT_PLUGIN = """
from techdiversity.exporters import Exporter
from techdiversity.hookspecs import hookimpl

@hookimpl
def techdiversity_exporters():
    return [Exporter("strict", "Strict", ".strict", "text/plain", lambda ctx: "x\\n",
                     validator=lambda out: ["line 1: no"])]
"""


@pytest.fixture
def strict_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed plugin exporter whose validator refuses every output (the IATI schema never refuses ours)."""
    try:
        from . import test_plugins
    except ImportError:
        import test_plugins  # type: ignore[no-redef]
    from techdiversity import plugins

    site = tmp_path / "site"
    site.mkdir()
    test_plugins.make_distribution(
        site, "td_strict", {"strict": "td_strict_plugin"}, {"td_strict_plugin": STRICT_PLUGIN}
    )
    monkeypatch.syspath_prepend(str(site))
    plugins.reset()


@pytest.mark.usefixtures("strict_plugin")
def test_export_validate_option_of_the_api() -> None:
    from techdiversity.exporters import ExportValidationError

    plan = starter()
    assert export(plan, "iati", options=FIXED, validate=True) == iati(plan)
    with pytest.raises(ValueError, match="the html exporter has no validator"):
        export(plan, "html", validate=True)
    with pytest.raises(ExportValidationError) as info:
        export(plan, "strict", validate=True)
    assert info.value.problems == ("line 1: no",)
    assert export(plan, "strict") == "x\n"


@pytest.mark.usefixtures("strict_plugin")
def test_cli_export_validate(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(starter_plan(city="Testville"), encoding="utf-8")
    out = tmp_path / "plan.xml"
    result = CliRunner().invoke(main, ["export", str(plan), "--validate", "-o", str(out)])  # iati from .xml
    assert result.exit_code == 0, result.output
    assert validate_ok(out.read_bytes())
    bad = tmp_path / "bad.strict"
    bad.write_text("before\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(plan), "--validate", "-o", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{bad}: not written: the strict export does not validate:", "  line 1: no"]
    assert bad.read_text("utf-8") == "before\n"  # left as it was
    result = CliRunner().invoke(main, ["export", str(plan), "--to", "csv", "--validate"])
    assert result.exit_code == 2
    assert "the csv exporter has no validator (exporters with one: iati, strict)" in result.stderr


def validate_ok(data: bytes) -> bool:
    from techdiversity.formats.iati import validate_iati

    return validate_iati(data) == []


def test_without_lxml_validation_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from techdiversity.errors import MissingDependencyError
    from techdiversity.formats.iati import schema as module

    module._schema.cache_clear()
    monkeypatch.setitem(sys.modules, "lxml", None)
    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    try:
        with pytest.raises(MissingDependencyError, match=r"validating IATI XML needs lxml, which is not installed"):
            module.validate_iati(iati(starter()))
        plan = tmp_path / "plan.yaml"
        plan.write_text(starter_plan(city="Testville"), encoding="utf-8")
        out = tmp_path / "plan.xml"
        result = CliRunner().invoke(main, ["export", str(plan), "--validate", "-o", str(out)])
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            "validating IATI XML needs lxml, which is not installed:"
            " pip install 'techdiversity[iati]' (or pip install lxml)"
        ]
        assert not out.exists()
        # without --validate, the export needs no lxml
        assert CliRunner().invoke(main, ["export", str(plan), "-o", str(out)]).exit_code == 0
    finally:
        module._schema.cache_clear()
