"""Real published IATI files (tests/data/iati/README.md): every activity, every value.

Each count is taken from the file by a plain ElementTree parse, apart from the reader.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import techdiversity as td
from techdiversity import model
from techdiversity.convert import structure_data
from techdiversity.errors import PlanError
from techdiversity.exporters import export
from techdiversity.formats.iati import activity_keys, read_iati
from techdiversity.network import Network

DATA = Path(__file__).parent / "data" / "iati"
MULTI = [DATA / "dportal-food-security.xml", DATA / "dportal-covid-18.xml", DATA / "dfid-albania-2.01.xml"]
ALL = [*MULTI, DATA / "pax-single-activity.xml", DATA / "24-results.xml"]


def activities_of(path: Path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    return [root] if root.tag == "iati-activity" else root.findall("iati-activity")


def identifier(activity: ET.Element) -> str:
    return (activity.findtext("iati-identifier") or "").strip()


def number(text: str | None) -> Fraction | None:
    try:
        return Fraction(str(text).strip().replace(",", ""))
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def quietly(function: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def counts_in_file(activities: list[ET.Element]) -> dict[str, Any]:
    indicators = [i for a in activities for i in a.iter("indicator")]
    targets = [t for i in indicators for p in i.findall("period") for t in p.findall("target")]
    actuals = [t for i in indicators for p in i.findall("period") for t in p.findall("actual")]
    baselines = [b for i in indicators for b in i.findall("baseline")]
    return {
        "indicators": len(indicators),
        "baselines": len(baselines),
        "targets": len(targets),
        "actuals": len(actuals),
        "target sum": sum((number(t.get("value")) or 0 for t in targets), Fraction(0)),
        "actual sum": sum((number(t.get("value")) or 0 for t in actuals), Fraction(0)),
        "baseline sum": sum((number(b.get("value")) or 0 for b in baselines), Fraction(0)),
    }


def counts_in_plans(plans: list[model.Plan]) -> dict[str, Any]:
    indicators = [i for p in plans for i in p.indicators]
    targets = [m for i in indicators for m in ((i.target,) if i.target else ()) + i.milestones]
    actuals = [m for i in indicators for m in i.actuals]
    baselines = [m for i in indicators for m in ((i.baseline,) if i.baseline else ()) + i.baselines]

    def total(ms: list[model.Measurement]) -> Fraction:
        return sum((Fraction(str(m.value)) for m in ms if m.quantified), Fraction(0))

    return {
        "indicators": len(indicators),
        "baselines": len(baselines),
        "targets": len(targets),
        "actuals": len(actuals),
        "target sum": total(targets),
        "actual sum": total(actuals),
        "baseline sum": total(baselines),
    }


@pytest.mark.parametrize("path", MULTI, ids=lambda p: p.name)
def test_every_activity_becomes_a_plan_or_is_named_unreadable(path: Path) -> None:
    activities = activities_of(path)
    assert len(activities) > 1
    net = quietly(Network.load, path)
    assert len(net.plans) + len(net.errors) == len(activities)
    ids = {identifier(a) for a in activities}
    for key, error in net.errors.items():
        name, _, ident = key.partition("#")
        assert name == str(path) and ident in ids
        assert all(d.location.line for d in error.diagnostics)  # each with its line
    assert [f"{path}#{k}" for k in activity_keys(str(path))] == [f"{path}#{identifier(a)}" for a in activities]
    # the plans are the activities, in file order
    readable = [a for a in activities if f"{path}#{identifier(a)}" not in net.errors]
    assert len(readable) == len(net.plans)


@pytest.mark.parametrize("path", MULTI, ids=lambda p: p.name)
def test_values_of_all_plans_add_up_to_the_file(path: Path) -> None:
    net = quietly(Network.load, path)
    readable = [a for a in activities_of(path) if f"{path}#{identifier(a)}" not in net.errors]
    assert counts_in_plans(list(net.plans)) == counts_in_file(readable)


def test_the_samples_hold_what_they_are_kept_for() -> None:
    covid = activities_of(DATA / "dportal-covid-18.xml")
    publishers = {a.find("reporting-org").get("ref") for a in covid}  # type: ignore[union-attr]
    assert len(publishers) >= 10
    assert counts_in_file(covid)["indicators"] > 40
    assert not counts_in_file(activities_of(DATA / "dfid-albania-2.01.xml"))["indicators"]  # no results
    assert ET.parse(DATA / "dfid-albania-2.01.xml").getroot().get("version") == "2.01"
    net = quietly(Network.load, DATA / "dportal-covid-18.xml")
    # one activity's planned dates disagree and no other pair is consistent: only it is refused
    (key,) = net.errors
    assert key.endswith("#KR-GOV-390-GRP_0000147815")
    assert "before it starts" in str(net.errors[key])


def test_one_plan_per_activity_with_a_choice(tmp_path: Path) -> None:
    path = DATA / "dportal-food-security.xml"
    with pytest.raises(PlanError) as info:
        td.load(path)
    message = str(info.value)
    assert "holds 7 activities" in message and "activity=" in message and "--activity" in message
    plan = quietly(td.load, path, activity="NL-KVK-30214009-C380")
    assert plan.plan.publisher == "NL-KVK-30214009"
    assert quietly(td.load, f"{path}#NL-KVK-30214009-C380") == plan
    single = quietly(td.load, DATA / "pax-single-activity.xml")
    assert single.indicators == plan.indicators
    with pytest.raises(PlanError, match="no activity 'nope'"):
        td.load(path, activity="nope")


def test_compare_records_carry_the_publisher() -> None:
    net = quietly(Network.load, DATA / "dportal-food-security.xml")
    publishers = [r["publisher"] for r in net.records(rubrics=[])]
    refs = [a.find("reporting-org").get("ref") for a in activities_of(DATA / "dportal-food-security.xml")]  # type: ignore[union-attr]
    assert publishers == refs


def _values(plan: model.Plan) -> list[Any]:
    return [
        (
            m.value,
            m.date,
            m.period,
            m.dimensions,
            m.locations,
        )
        for i in plan.indicators
        for m in (i.baseline, *i.baselines, i.target, *i.milestones, *i.actuals)
        if m is not None
    ]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_each_plan_exports_back_valid_with_its_values(path: Path) -> None:
    pytest.importorskip("lxml")
    net = quietly(Network.load, path)
    assert net.plans
    for plan in net.plans:
        xml = export(plan, "iati", validate=True)  # raises when the schema refuses it
        assert isinstance(xml, str)
        result = read_iati(xml.encode("utf-8"), "export.xml")
        back = structure_data(result.data, model.Plan, result.source)
        assert [i.id for i in back.indicators] == [i.id for i in plan.indicators]
        assert _values(back) == _values(plan)
        assert back.plan.publisher == plan.plan.publisher


def test_the_commands_read_every_activity(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from techdiversity.cli import main

    path = DATA / "dportal-food-security.xml"
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(path)])
    assert "7 plan(s) checked" in result.stderr
    notes = [line for line in result.stderr.splitlines() if "dportal-food-security.xml:" in line]
    # each note says what happened: kept, approximated or not imported
    assert notes and all(any(w in line for w in ("(kept)", "(approximated)", "not imported")) for line in notes)
    quiet = runner.invoke(main, ["-q", "check", str(path)])
    assert quiet.exit_code == result.exit_code
    assert "not imported" not in quiet.stderr and "7 plan(s) checked" in quiet.stderr
    assert "not imported" not in runner.invoke(main, ["check", "-q", str(path)]).stderr
    out = tmp_path / "one.xml"
    done = runner.invoke(main, ["-q", "export", str(path), "--activity", "NL-KVK-30214009-C380", "-o", str(out)])
    assert done.exit_code == 0, done.stderr
    assert "NL-KVK-30214009" in out.read_text(encoding="utf-8")
    several = runner.invoke(main, ["export", str(path), "--to", "iati"])
    assert several.exit_code == 2 and "holds 7 activities" in several.stderr
    by_name = runner.invoke(main, ["-q", "export", f"{path}#NL-KVK-30214009-C380", "--to", "iati"])
    assert by_name.exit_code == 0 and "NL-KVK-30214009" in by_name.stdout


def test_jobs_spread_the_activities_over_processes() -> None:
    path = DATA / "dportal-covid-18.xml"
    one = quietly(Network.load, path)
    two = quietly(Network.load, path, jobs=2)
    assert two.plans == one.plans
    assert list(two.errors) == list(one.errors)


def _kept(indicator: ET.Element) -> tuple[Any, ...]:
    """What an IATI indicator holds that the pass-through keeps: its attributes, the
    attributes of its values, its document links, references and description."""
    own = {k: v for k, v in indicator.attrib.items() if not k.startswith("{urn:x-techdiversity")}
    own.pop("ascending", None)  # the direction: mapped, and written as 0 or 1
    if own.get("measure") in ("1", "2"):
        own.pop("measure")  # mapped (unit, percent)
    values = sorted(
        tuple(sorted((k, v) for k, v in m.attrib.items() if not k.startswith("{urn:x-techdiversity")))
        for m in [
            *indicator.findall("baseline"),
            *indicator.findall("period/target"),
            *indicator.findall("period/actual"),
        ]
    )
    links = [ET.tostring(d) for d in indicator.iter("document-link")]
    references = sorted(
        (r.get("vocabulary"), r.get("code"), r.get("indicator-uri")) for r in indicator.findall("reference")
    )
    described = [
        " ".join((n.text or "").split())
        for d in indicator.findall("description")
        if d.get("{urn:x-techdiversity:iati:1}generated") != "true"  # what an export makes up for other tools
        for n in d.findall("narrative")
    ]
    return (sorted(own.items()), values, len(links), references, described)


def _tree(elem: ET.Element) -> tuple[Any, ...]:
    """An element as data: its tag, attributes, text and children (the layout's spaces aside)."""
    return (elem.tag, sorted(elem.attrib.items()), (elem.text or "").strip(), [_tree(c) for c in elem])


def _result_kept(result: ET.Element) -> tuple[Any, ...]:
    """What an IATI result holds besides its indicators: its attributes, its title and
    description texts, its document links and its references but the one of vocabulary 99
    an export writes to name it (its id)."""
    own = sorted((k, v) for k, v in result.attrib.items() if not k.startswith("{urn:x-techdiversity"))

    def texts(tag: str) -> list[str]:
        return [" ".join((n.text or "").split()) for e in result.findall(tag) for n in e.findall("narrative")][:1]

    links = [_tree(d) for d in result.findall("document-link")]
    references = sorted(
        (r.get("vocabulary"), r.get("code"), r.get("vocabulary-uri"))
        for r in result.findall("reference")
        if r.get("vocabulary") != "99" or r.get("vocabulary-uri") is not None
    )
    return (own, texts("title"), texts("description"), links, references)


#: A result's document link and references (none of the real files has them), added to
#: the first result of each activity that has one, so the round trip covers them too.
RESULT_CHILDREN = (
    '<document-link url="https://example.org/result-report.pdf" format="application/pdf">'
    "<title><narrative>Result report</narrative></title>"
    '<category code="A08"/><language code="en"/></document-link>',
    '<reference vocabulary="1" code="SDG-4.1"/>',
    '<reference vocabulary="99" code="RF-12" vocabulary-uri="https://example.org/framework"/>',
)


def _with_result_children(path: Path, tmp_path: Path) -> Path:
    tree = ET.parse(path)
    for activity in activities_of_tree(tree):
        result = activity.find("result")
        if result is None:
            continue
        at = max(k for k, c in enumerate(result) if c.tag in ("title", "description")) + 1
        for k, text in enumerate(RESULT_CHILDREN):
            result.insert(at + k, ET.fromstring(text))
    out = tmp_path / path.name
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


def activities_of_tree(tree: ET.ElementTree) -> list[ET.Element]:
    root = tree.getroot()
    return [root] if root.tag == "iati-activity" else root.findall("iati-activity")


@pytest.mark.parametrize("children", [False, True], ids=["as-published", "with-result-links-and-references"])
@pytest.mark.parametrize(
    "path", [DATA / "dportal-covid-18.xml", DATA / "dportal-food-security.xml"], ids=lambda p: p.name
)
def test_iati_to_plan_to_iati_keeps_what_the_plan_cannot_hold(path: Path, children: bool, tmp_path: Path) -> None:
    if children:
        path = _with_result_children(path, tmp_path)
    net = quietly(Network.load, path)
    readable = [a for a in activities_of(path) if f"{path}#{identifier(a)}" not in net.errors]
    results_seen = 0
    for activity, plan in zip(readable, net.plans, strict=True):
        xml = export(plan, "iati", validate=True)  # the kept elements stay valid
        back = ET.fromstring(xml.encode("utf-8")).find("iati-activity")
        assert back is not None
        for name, value in activity.attrib.items():  # the activity's own attributes
            assert back.get(name) == value, (identifier(activity), name)
        # each result, with its attributes (@aggregation-status), links and references
        results_before = [_result_kept(r) for r in activity.findall("result")]
        results_after = [_result_kept(r) for r in back.findall("result")]
        assert results_after == results_before, identifier(activity)
        results_seen += len(results_before)
        before = [_kept(i) for i in activity.iter("indicator")]
        after = [_kept(i) for i in back.iter("indicator") if i.get("{urn:x-techdiversity:iati:1}placeholder") != "true"]
        # the reference of vocabulary 99 that names the indicator is written when the file had none
        for b, a in zip(before, after, strict=True):
            assert a[0] == b[0] and a[1] == b[1] and a[2] == b[2] and a[4] == b[4], identifier(activity)
            assert set(b[3]) <= set(a[3])
    assert results_seen > 0


def test_check_lines_name_their_activity() -> None:
    """The lines and columns are the file's, so each line of an activity of a file of several
    also names the activity; an unreadable activity is named with its line."""
    from click.testing import CliRunner

    from techdiversity.cli import main

    path = DATA / "dportal-covid-18.xml"
    keys = {identifier(a) for a in activities_of(path)}
    result = CliRunner().invoke(main, ["-q", "check", str(path)])
    assert result.exit_code == 2  # one activity's dates cannot be read
    findings = [line for line in result.stdout.splitlines() if line]
    assert findings
    named = {line.rsplit(" [activity ", 1)[1].rstrip("]") for line in findings}
    assert named <= keys and len(named) > 1
    refused = [line for line in result.stderr.splitlines() if "before it starts" in line]
    assert len(refused) == 1 and " [activity " in refused[0] and refused[0].split(":")[1].isdigit()
    assert refused[0].rsplit(" [activity ", 1)[1].rstrip("]") in keys
    single = CliRunner().invoke(main, ["-q", "check", str(DATA / "pax-single-activity.xml")])
    assert single.stdout and "[activity " not in single.stdout
