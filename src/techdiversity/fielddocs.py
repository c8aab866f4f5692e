"""What every key of the plan format means, in a sentence or two.

The editor support (hover and completion of keys in ``techdiversity lsp``) shows these
texts; they say what ``plan-format.md`` says of each field. They are keyed by model
class and field name, and a test keeps them in step with the model: every field of
every class a plan or an assessment file holds has its text here, and nothing else.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Union, get_args, get_origin

import attrs

from . import model

__all__ = ["FIELD_DOCS", "field_doc", "field_type", "fields_of", "type_name"]

_MEASUREMENT = "A measured value (`value`, `date`, `note`)"

#: class name -> field -> meaning.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "Plan": {
        "format": "The version of the plan format; must be `1`. Required.",
        "plan": "Who and what: the plan's id (required), city, country, network, title, status, period.",
        "context": 'IAP section "Context, needs and vision": theme, current situation, related strategies, '
        "target groups, integration challenges.",
        "vision": "The city vision, as written with the Newspaper of Tomorrow.",
        "strategic_goal": "The plan's overall goal, in one sentence: the goal all objectives serve.",
        "problems": "The Problem Tree: problems with their causes and effects.",
        "objectives": "The specific objectives (areas of intervention).",
        "actions": "The City Action Table and the Action Details Table.",
        "indicators": "Output, result and impact indicators, with baseline, milestones and target.",
        "stakeholders": "The URBACT Local Group (ULG) and beyond.",
        "meetings": "ULG, consultation and transnational meetings.",
        "risks": "Barriers and risks that could prevent actions from being implemented.",
        "testing_actions": "The testing-action canvases.",
        "integration": "The integration self-assessments: five types and twelve aspects.",
        "implementation": "The implementation framework: governance, monitoring, communication, funding.",
    },
    "PlanInfo": {
        "id": "The plan's id, unique among your plans (`bielsko-biala-iap`). Required.",
        "city": "The city.",
        "country": "ISO 3166-1 alpha-2 code, two capital letters (`PL`, `GR`, `PT`).",
        "network": "The URBACT Action Planning Network (`TechDiversity`).",
        "programme": "The programme (`URBACT IV`).",
        "title": "The plan's title.",
        "version": 'The plan\'s own version (`0.3.0`; quote `"1.0"`).',
        "status": "`draft`, `consulted` or `adopted`.",
        "period": "The years the plan covers (`{start: 2025, end: 2030}`). Actions, milestones and targets "
        "are checked against it.",
        "language": "The language the plan is written in (`en`, `pl`, `el`).",
        "publisher": "Who published the plan; for a plan read from IATI, the reporting organisation's "
        "identifier (`DE-1`).",
        "iati": "The attributes of the IATI activity that no other field holds (`humanitarian`, "
        "`default-currency`), kept for the IATI exporter.",
    },
    "Period": {
        "start": "When it starts: `2025`, `2025-Q3`, `2025-09` or `2025-09-06`.",
        "end": "When it ends (not before the start): `2030`, `2030-Q2`, `2030-06` or `2030-06-30`.",
    },
    "Context": {
        "theme": "The plan's theme.",
        "current_situation": "The situation today, with data.",
        "related_strategies": "Strategies the plan relates to, each with a `title` and a `link`.",
        "target_groups": "The groups the plan is for (an open list of slugs). Every one should be served by an "
        "objective or an action (TD600).",
        "integration_challenges": "The integration challenges the plan faces.",
    },
    "RelatedStrategy": {
        "title": "The strategy's title. Required.",
        "link": "A URL or reference.",
    },
    "Vision": {
        "horizon": "The year the vision is written for (`2040`).",
        "headline": "The headline of the Newspaper of Tomorrow.",
        "text": "The article.",
    },
    "Problem": {
        "id": "The problem's id, unique in the whole plan (`P1`). Required.",
        "statement": "The problem, as a statement.",
        "core": "`true` for the core problem, the trunk of the tree; exactly one is expected (TD102).",
        "causes": "Ids of the problems that cause this one (the roots).",
        "effects": "Ids of the problems this one causes (the branches).",
        "evidence": "Evidence for the problem, each with `source`, `finding` and `link`.",
    },
    "Evidence": {
        "source": "Where the evidence comes from (`Statistics Poland 2023`).",
        "finding": "What it says (`17% of ICT graduates are women`).",
        "link": "A URL or reference.",
    },
    "Objective": {
        "id": "The objective's id, unique in the whole plan (`SO1`). Required.",
        "title": "The objective, in a few words.",
        "description": "What the objective is about.",
        "addresses": "Ids of the problems this objective answers.",
        "target_groups": "The groups it serves (an open list of slugs).",
        "iati": "What the IATI result held that no other field holds (`aggregation-status`, references of "
        "other vocabularies, document links), kept for the IATI exporter.",
    },
    "Action": {
        "id": "The action's id, unique in the whole plan (`A1`). Required.",
        "title": "The action, in a few words.",
        "description": "What the action is.",
        "contributes_to": "Ids of the objectives the action serves; at least one is expected (TD103).",
        "intended_results": "What the action should achieve.",
        "outputs": 'What it produces ("300 participants").',
        "long_term_change": "The change it contributes to.",
        "timescale": "When it runs (`{start: 2025-09, end: 2030-09}`).",
        "lead": "The id of the stakeholder who leads it (one id, not a list).",
        "partners": "Ids of the stakeholders who take part.",
        "depends_on": "Ids of the actions that must finish before this one starts.",
        "target_groups": "The groups it serves (an open list of slugs).",
        "resources": "What it takes and who pays: each with `kind`, `amount`, `currency` or `unit`, `source`.",
        "integration_aspects": "The aspects of integrated urban development it works on.",
        "implementation_notes": "Implementation details and possible problems.",
    },
    "Resource": {
        "kind": "`budget`, `staff`, `in-kind`, `equipment`, `premises` or `other`. Required.",
        "amount": "How much (a number).",
        "currency": "For a budget (`EUR`).",
        "unit": "For anything else (`fte`, `hours`, `m2`).",
        "source": "Who pays: a funding source (`erdf`, `esf-plus`, `municipal`...).",
        "description": "What the resource is.",
    },
    "Indicator": {
        "id": "The indicator's id, unique in the whole plan (`I1`). Required.",
        "name": "What is counted.",
        "kind": "`output`, `result` or `impact`.",
        "measures": "Ids of the actions or objectives the indicator follows.",
        "unit": "`persons`, `percent`, `EUR`...",
        "baseline": f"The value at the start. {_MEASUREMENT}.",
        "target": f"The value aimed at. {_MEASUREMENT}.",
        "milestones": "Values expected on the way, each before the target's date.",
        "source": "The means of verification.",
        "disaggregation": "How the values are broken down (`gender`, `age-group`).",
        "actuals": "Values measured while the plan runs.",
        "direction": "`increase` or `decrease`: which way is progress. When absent, the direction from "
        "baseline to target.",
        "cumulative": "`true` when actuals add up over time (people trained so far); `false` when each actual "
        "is the level at its date (a share, a rate). Absent means false.",
        "baselines": "Further baselines, as IATI publishes them: slices of the baseline (by dimension or "
        "location) or baselines of other years. `baseline` is the one progress is measured from.",
        "iati": "What the IATI indicator held that no other field holds (`aggregation-status`, references of "
        "other vocabularies, document links, its description), kept for the IATI exporter.",
    },
    "Measurement": {
        "value": "A number. Words are accepted and reported by the checks as not quantified (TD204, TD209).",
        "date": "When the value holds: `2025`, `2025-Q3`, `2025-09` or `2025-09-06`.",
        "note": "A note on the value.",
        "period": "The interval the value is for when `date` cannot say it exactly (`{start: 2024-04-01, end: "
        "2025-03-31}`); `date` is then its last day.",
        "dimensions": "The slice of a disaggregated value this value is: a list of `{name, value}` "
        "(`[{name: sex, value: female}]`).",
        "locations": "The places this value is for (IATI location references).",
        "iati": "What the IATI baseline, target or actual held that no other field holds, kept for the IATI exporter.",
    },
    "IatiExtras": {
        "attributes": "Attributes kept as published, each `{name, value}`.",
        "elements": "Child elements kept as published, each as XML text.",
    },
    "IatiAttribute": {
        "name": "The attribute's name (`{namespace}name` in another namespace). Required.",
        "value": "Its value, as published. Required.",
    },
    "Dimension": {
        "name": "What the value is broken down by (`sex`, `age`). Required.",
        "value": "Which slice (`female`, `under 5`). Required.",
    },
    "Stakeholder": {
        "id": "The stakeholder's id, unique in the whole plan (`S1`). Required.",
        "name": "Who it is.",
        "type": "`public-authority`, `private-company`, `ngo`, `academia`, `citizens`, `social-enterprise`, "
        "`media` or `other`.",
        "participation": "The rung of the participation ladder the stakeholder is on: `inform`, `consult`, "
        "`cooperate`, `decide`, `partner` or `empower`.",
        "represents": "The target groups this stakeholder speaks for.",
    },
    "Meeting": {
        "date": "When it was held. Required.",
        "kind": "`ulg`, `consultation`, `transnational` or `other`.",
        "topic": "What it was about.",
        "participants": "Ids of the stakeholders who took part.",
    },
    "Risk": {
        "id": "The risk's id, unique in the whole plan (`R1`). Required.",
        "description": "What could prevent the actions from being implemented.",
        "likelihood": "`low`, `medium` or `high`.",
        "impact": "`low`, `medium` or `high`.",
        "mitigation": "What the city will do about it.",
        "affects": "Ids of the actions, objectives or testing actions it threatens.",
    },
    "TestingAction": {
        "id": "The testing action's id, unique in the whole plan (`T1`). Required.",
        "challenge": "The challenge.",
        "what_if": '"What if...?"',
        "hypothesis": '"We want to test if..."',
        "idea": "The idea, concretely.",
        "measurement": "How the city will know whether it worked.",
        "purposes": "Why it is tested (the five reasons to test): `proof-of-concept`, `political-buy-in`, "
        "`activating-ulg`, `innovation`, `quick-win`.",
        "tests": "Ids of the actions of the plan it de-risks.",
        "period": "When it runs.",
        "status": "`planned`, `running` or `done`.",
        "learnings": "What was learnt.",
    },
    "Integration": {
        "types": "The URBACT integration self-assessment: a row for any of the five types (`policy-sector`, "
        "`horizontal`, `vertical`, `territorial`, `hard-and-soft-investments`).",
        "aspects": "The table of the 12 aspects of integrated urban development.",
    },
    "IntegrationType": {
        "situation": "The situation today.",
        "progress": "The progress the plan makes.",
        "score": "The self-assessment, a whole number from 1 to 5.",
    },
    "IntegrationAspect": {
        "aspect": "Which of the 12 aspects. Required.",
        "relevant": "Is it relevant to the plan?",
        "why": "Why (not).",
        "baseline": "The self-assessment today, a whole number from 1 to 5.",
        "future_actions": "What the plan will do about it.",
    },
    "Implementation": {
        "governance": "Who steers, decides and reports.",
        "monitoring": "How progress is followed.",
        "communication": "How the plan and its results are shared.",
        "funding_strategy": "Which funds pay for which actions.",
    },
    "AssessmentFile": {
        "format": "The version of the assessment format; must be `1`. Required.",
        "assessment": "One person's scores of one plan against one rubric. Required.",
    },
    "Assessment": {
        "plan": "The id of the plan assessed. Required.",
        "rubric": "The rubric's name (`urbact-iap`). Required.",
        "assessor": "Who scored. Required.",
        "date": "When.",
        "scores": "The scores, each with `criterion`, `score` and `evidence`.",
    },
    "CriterionScore": {
        "criterion": "The criterion's id in the rubric. Required.",
        "score": "The score, 1 to 5 (the levels describe 1, 3 and 5). Required.",
        "evidence": "What the assessor saw.",
    },
}


def fields_of(cl: type[Any]) -> tuple[str, ...]:
    """The keys a file may write for an attrs class of the model, in declaration order."""
    return tuple(a.name for a in attrs.fields(cl) if not (a.name == "source" and not a.eq))


def field_doc(cl: type[Any], name: str) -> str | None:
    """The meaning of field ``name`` of model class ``cl``, or None."""
    return FIELD_DOCS.get(cl.__name__, {}).get(name)


def field_type(cl: type[Any], name: str) -> Any:
    """The type annotation of a field, resolved (``tuple[str, ...]``, ``Period | None``)."""
    return typing.get_type_hints(cl)[name]


def type_name(t: Any) -> str:
    """A short, readable name of a field's type, as the plan format page writes it."""
    origin = get_origin(t)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if set(args) <= {int, float, str} and str in args:
            return "number or text"
        if set(args) <= {int, float}:
            return "number"
        return " or ".join(type_name(a) for a in args)
    if origin is tuple:
        return f"list of {type_name(get_args(t)[0])}"
    if origin is dict:
        return f"mapping of {type_name(get_args(t)[1])}"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false"}
    if t in names:
        return names[t]
    if getattr(t, "__name__", "") == "PartialDate":
        return "date"
    if attrs.has(t):
        return t.__name__
    return str(t)  # pragma: no cover - no other field type today


# the model's classes are this module's keys; keep the import used for readers
_ = model
