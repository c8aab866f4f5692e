"""Round trips: model -> plain data -> model, and plan -> YAML/JSON text -> plan."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techdiversity import model
from techdiversity.convert import structure, unstructure
from techdiversity.dates import PartialDate
from techdiversity.errors import PlanError
from techdiversity.io import dumps, loads, loads_assessment

try:  # tests/ as a package, or tests/ on sys.path (pytest's rootdir-relative import)
    from . import strategies as S
except ImportError:
    import strategies as S  # type: ignore[no-redef]

MODEST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLANS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

#: Every model class with a strategy that builds valid instances of it.
MODEL_STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    model.Period: S.periods,
    model.Measurement: S.measurements,
    model.Dimension: S.dimensions,
    model.IatiAttribute: S.iati_attributes,
    model.IatiExtras: S.iati_extras,
    model.Evidence: S.evidence,
    model.RelatedStrategy: S.related_strategies,
    model.Resource: S.resources,
    model.PlanInfo: S.plan_infos,
    model.Context: S.contexts,
    model.Vision: S.visions,
    model.Problem: S.problems(),
    model.Objective: S.objectives(),
    model.Action: S.actions(),
    model.Indicator: S.indicators(),
    model.Stakeholder: S.stakeholders(),
    model.Meeting: S.meetings,
    model.Risk: S.risks(),
    model.TestingAction: S.testing_actions(),
    model.IntegrationType: S.integration_types,
    model.IntegrationAspect: S.integration_aspects,
    model.Integration: S.integrations,
    model.Implementation: S.implementations,
    model.Plan: S.plans(),
    model.CriterionScore: S.criterion_scores,
    model.Assessment: S.assessments,
    model.AssessmentFile: S.assessment_files,
}


def test_every_model_class_has_a_strategy() -> None:
    classes = {getattr(model, name) for name in model.__all__ if attrs.has(getattr(model, name, None))}
    assert classes == set(MODEL_STRATEGIES)


# ---------------------------------------------------------------------------
# structure(unstructure(x)) == x, one property per model class


@pytest.mark.parametrize("cls", list(MODEL_STRATEGIES), ids=lambda c: c.__name__)
def test_structure_unstructure_roundtrip(cls: type[Any]) -> None:
    @MODEST
    @given(MODEL_STRATEGIES[cls])
    def roundtrip(obj: Any) -> None:
        assert type(obj) is cls
        data = unstructure(obj)
        assert type(data) is dict
        back = structure(data, cls)
        assert back == obj
        assert type(back) is cls

    roundtrip()


@MODEST
@given(S.plans())
def test_unstructured_plan_is_plain_json_data(plan: model.Plan) -> None:
    data = unstructure(plan)
    # plain data only: JSON can hold it without a custom encoder
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(data, sort_keys=True))


# ---------------------------------------------------------------------------
# Text round trips


@PLANS
@given(S.plans())
def test_plan_yaml_roundtrip(plan: model.Plan) -> None:
    text = dumps(plan, "yaml")
    assert loads(text, "yaml") == plan


@PLANS
@given(S.plans())
def test_plan_json_roundtrip(plan: model.Plan) -> None:
    text = dumps(plan, "json")
    assert loads(text, "json") == plan


@MODEST
@given(S.assessment_files)
def test_assessment_yaml_roundtrip(assessment: model.AssessmentFile) -> None:
    assert loads_assessment(dumps(assessment, "yaml"), "yaml") == assessment


@MODEST
@given(S.assessment_files)
def test_assessment_json_roundtrip(assessment: model.AssessmentFile) -> None:
    assert loads_assessment(dumps(assessment, "json"), "json") == assessment


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("value", S.TRICKY_TEXT, ids=repr)
def test_tricky_text_survives_text_roundtrip(fmt: str, value: str) -> None:
    plan = model.Plan(
        plan=model.PlanInfo(id="x", title=value),
        strategic_goal=value,
        actions=(model.Action(id="A1", outputs=(value, value + "!"), description=value),),
    )
    back = loads(dumps(plan, fmt), fmt)
    assert back == plan
    assert back.plan.title == value


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize(
    "value",
    [0, -1, 2**62, -(2**63), 0.0, -0.0, 0.1, 1e16, 1e-7, -2.5e300, 5e-324, 1.7976931348623157e308, 15000, 0.5],
    ids=repr,
)
def test_numbers_survive_text_roundtrip(fmt: str, value: float) -> None:
    plan = model.Plan(
        plan=model.PlanInfo(id="x"),
        indicators=(model.Indicator(id="I1", target=model.Measurement(value=value)),),
        actions=(model.Action(id="A1", resources=(model.Resource(kind="budget", amount=value),)),),
    )
    back = loads(dumps(plan, fmt), fmt)
    assert back == plan
    assert back.indicators[0].target is not None
    got = back.indicators[0].target.value
    assert type(got) is type(value)
    assert got == value


# ---------------------------------------------------------------------------
# Key order of the unstructured data


def _field_order(cls: type[Any]) -> list[str]:
    return [a.name for a in attrs.fields(cls) if a.name != "source"]


def _assert_ordered(data: dict[str, Any], cls: type[Any]) -> None:
    order = _field_order(cls)
    keys = list(data)
    assert keys == [name for name in order if name in data], (cls.__name__, keys)
    for field in attrs.fields(cls):
        value = data.get(field.name)
        sub = _attrs_class_of(field.type)
        if sub is None or value is None:
            continue
        if isinstance(value, list):
            for item in value:
                _assert_ordered(item, sub)
        elif isinstance(value, dict) and field.name != "types":
            _assert_ordered(value, sub)
        elif field.name == "types":
            for item in value.values():
                _assert_ordered(item, model.IntegrationType)


def _attrs_class_of(annotation: Any) -> type[Any] | None:
    """The attrs class a field annotation names, if any (``X | None``, ``tuple[X, ...]``)."""
    text = annotation if isinstance(annotation, str) else repr(annotation)
    for name in model.__all__:
        cls = getattr(model, name)
        if attrs.has(cls) and (text in (name, f"{name} | None", f"tuple[{name}, ...]") or text == f"dict[str, {name}]"):
            return cls
    return None


@MODEST
@given(S.plans())
def test_unstructured_keys_follow_field_order_with_format_first(plan: model.Plan) -> None:
    data = unstructure(plan)
    assert next(iter(data)) == "format"
    assert data["format"] == 1
    _assert_ordered(data, model.Plan)


@MODEST
@given(S.assessment_files)
def test_unstructured_assessment_keys_follow_field_order(assessment: model.AssessmentFile) -> None:
    data = unstructure(assessment)
    assert list(data) == ["format", "assessment"]
    _assert_ordered(data, model.AssessmentFile)


def test_dumped_yaml_keys_follow_field_order() -> None:
    plan = model.Plan(
        plan=model.PlanInfo(id="x", language="en", title="T", city="C"),
        strategic_goal="goal",
        actions=(model.Action(id="A1", implementation_notes="n", title="t", contributes_to=("SO1",)),),
        objectives=(model.Objective(id="SO1"),),
    )
    text = dumps(plan, "yaml")
    top = [line.split(":")[0] for line in text.splitlines() if line[:1] not in ("", " ", "-")]
    assert top == ["format", "plan", "strategic_goal", "objectives", "actions"]
    assert text.index("city:") < text.index("title: T") < text.index("language:")
    assert text.index("title: t") < text.index("contributes_to:") < text.index("implementation_notes:")
    assert list(json.loads(dumps(plan, "json"))) == top


def test_defaults_are_left_out_but_format_is_kept() -> None:
    plan = model.Plan(plan=model.PlanInfo(id="x"))
    assert unstructure(plan) == {"format": 1, "plan": {"id": "x"}}
    assert unstructure(model.Problem(id="P1")) == {"id": "P1"}
    assert unstructure(model.Period()) == {}


def test_structure_of_a_section_class_needs_no_format_key() -> None:
    # ``structure`` reads any model class, not only the top-level files
    assert structure({"start": 2025, "end": "2030-Q2"}, model.Period) == model.Period(
        PartialDate.parse(2025), PartialDate.parse("2030-Q2")
    )
    assert structure({"id": "A1", "contributes_to": ["SO1"]}, model.Action) == model.Action(
        id="A1", contributes_to=("SO1",)
    )
    with pytest.raises(PlanError, match="unknown key 'format'"):
        structure({"format": 1, "id": "A1"}, model.Action)
    with pytest.raises(PlanError, match="'format' is missing"):
        structure({"plan": {"id": "x"}}, model.Plan)


# ---------------------------------------------------------------------------
# Partial dates


@MODEST
@given(S.partial_dates)
def test_partial_date_parse_to_raw_roundtrip(date: PartialDate) -> None:
    raw = date.to_raw()
    again = PartialDate.parse(raw)
    assert again == date
    assert again.precision == date.precision
    assert again.first == date.first
    assert again.last == date.last
    assert date.first <= date.last
    assert str(again) == str(date)


@pytest.mark.parametrize(
    ("text", "precision", "raw", "first", "last"),
    [
        ("2025", "year", 2025, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2024-Q1", "quarter", "2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2025-Q3", "quarter", "2025-Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025-Q4", "quarter", "2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2024-02", "month", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-02", "month", "2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("2100-02", "month", "2100-02", dt.date(2100, 2, 1), dt.date(2100, 2, 28)),
        ("2025-09", "month", "2025-09", dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
        ("2025-09-06", "day", "2025-09-06", dt.date(2025, 9, 6), dt.date(2025, 9, 6)),
        ("2024-02-29", "day", "2024-02-29", dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
    ],
)
def test_partial_date_intervals(text: str, precision: str, raw: Any, first: dt.date, last: dt.date) -> None:
    date = PartialDate.parse(text)
    assert date.precision == precision
    assert date.to_raw() == raw
    assert type(date.to_raw()) is type(raw)
    assert date.first == first
    assert date.last == last
    assert PartialDate.parse(date.to_raw()) == date


def test_partial_date_year_as_number_or_text() -> None:
    assert PartialDate.parse(2025) == PartialDate.parse("2025")
    assert PartialDate.parse(2025).last == dt.date(2025, 12, 31)


def test_intervals_compare_as_intervals() -> None:
    year = PartialDate.parse(2025)
    assert not year.ends_before(PartialDate.parse("2025-12-31"))
    assert year.ends_before(PartialDate.parse("2026-01"))
    assert PartialDate.parse("2024-Q1").ends_before(PartialDate.parse("2024-04-01"))
    assert not PartialDate.parse("2024-Q1").ends_before(PartialDate.parse("2024-03-31"))
    # a period may end in the year it starts: 2025 ends on 2025-12-31
    assert model.Period(PartialDate.parse("2025-09"), PartialDate.parse(2025)).end == PartialDate.parse(2025)


@pytest.mark.parametrize(
    "text",
    ["2025-13", "2025-00", "2025-q3", "2025-Q5", "2025-02-30", "25", "0999", "2025-9", "2025-09-6", "2025\n"],
)
def test_partial_date_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"date|year"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["２０２５", "٢٠٢٥-09", "2025-０９"])
def test_partial_date_wants_ascii_digits(text: str) -> None:
    # non-ASCII digits would read as a date that writes back as a different one
    with pytest.raises(ValueError, match="not a date"):
        PartialDate.parse(text)


# ---------------------------------------------------------------------------
# TOML input

_YAML_PLAN = """\
format: 1
plan:
  id: toml-plan
  city: Bielsko-Biała
  country: PL
  status: draft
  period: {start: 2025, end: 2030}
context:
  theme: "Diversity in tech"
  target_groups: [women, young-people]
  related_strategies:
    - {title: City strategy 2030, link: "https://example.org"}
vision:
  horizon: 2040
  headline: Half of the new IT hires are women
strategic_goal: "Open the IT ecosystem"
problems:
  - id: P1
    statement: Few women choose IT
    core: true
    causes: [P2]
  - id: P2
    statement: No role models
objectives:
  - id: SO1
    title: IT inspiration
    addresses: [P1]
actions:
  - id: A1
    title: Women in IT day
    contributes_to: [SO1]
    timescale: {start: 2025-09, end: 2030-Q3}
    lead: S1
    resources:
      - {kind: budget, amount: 15000, currency: EUR, source: municipal}
      - {kind: staff, amount: 0.5, unit: fte}
indicators:
  - id: I1
    name: Women attending
    kind: output
    measures: [A1]
    baseline: {value: 120, date: 2023}
    target: {value: 300, date: 2027-06-30}
stakeholders:
  - {id: S1, name: City IT department, type: public-authority, participation: partner}
meetings:
  - {date: 2024-06-14, kind: ulg, topic: Vision, participants: [S1]}
integration:
  types:
    horizontal: {situation: ok, score: 4}
  aspects:
    - {aspect: sectoral-integration, relevant: true, baseline: 3}
"""

_TOML_PLAN = """\
format = 1
strategic_goal = "Open the IT ecosystem"

[plan]
id = "toml-plan"
city = "Bielsko-Biała"
country = "PL"
status = "draft"
period = { start = 2025, end = 2030 }

[context]
theme = "Diversity in tech"
target_groups = ["women", "young-people"]
related_strategies = [{ title = "City strategy 2030", link = "https://example.org" }]

[vision]
horizon = 2040
headline = "Half of the new IT hires are women"

[[problems]]
id = "P1"
statement = "Few women choose IT"
core = true
causes = ["P2"]

[[problems]]
id = "P2"
statement = "No role models"

[[objectives]]
id = "SO1"
title = "IT inspiration"
addresses = ["P1"]

[[actions]]
id = "A1"
title = "Women in IT day"
contributes_to = ["SO1"]
timescale = { start = "2025-09", end = "2030-Q3" }
lead = "S1"

[[actions.resources]]
kind = "budget"
amount = 15000
currency = "EUR"
source = "municipal"

[[actions.resources]]
kind = "staff"
amount = 0.5
unit = "fte"

[[indicators]]
id = "I1"
name = "Women attending"
kind = "output"
measures = ["A1"]
baseline = { value = 120, date = 2023 }
target = { value = 300, date = 2027-06-30 }

[[stakeholders]]
id = "S1"
name = "City IT department"
type = "public-authority"
participation = "partner"

[[meetings]]
date = 2024-06-14
kind = "ulg"
topic = "Vision"
participants = ["S1"]

[integration.types.horizontal]
situation = "ok"
score = 4

[[integration.aspects]]
aspect = "sectoral-integration"
relevant = true
baseline = 3
"""


def test_toml_plan_equals_yaml_plan() -> None:
    from_yaml = loads(_YAML_PLAN, "yaml", path="plan.yaml")
    from_toml = loads(_TOML_PLAN, "toml", path="plan.toml")
    assert from_toml == from_yaml
    assert from_toml.meetings[0].date == PartialDate.parse("2024-06-14")
    assert from_toml.indicators[0].target is not None
    assert from_toml.indicators[0].target.date == PartialDate.parse("2027-06-30")
    assert from_toml.actions[0].resources[1].amount == 0.5
    # and the TOML plan writes out and reads back equal in the other formats
    assert loads(dumps(from_toml, "yaml"), "yaml") == from_toml
    assert loads(dumps(from_toml, "json"), "json") == from_toml


def test_toml_plan_loads_from_a_file(tmp_path: Any) -> None:
    from techdiversity.io import load

    path = tmp_path / "plan.toml"
    path.write_text(_TOML_PLAN, encoding="utf-8")
    assert load(path) == loads(_YAML_PLAN, "yaml")
    assert load(path).source is not None
