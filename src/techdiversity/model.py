"""The plan model: frozen, slotted attrs classes for the plan format, version 1.

The model imports nothing of input/output, the graph or the command line. Its
validators know only what a single value can know (a vocabulary slug, a score range,
an interval whose end is before its start). Rules that span several things (a link
to an id that does not exist, an action serving no objective) are checks, so that
one broken link gives one finding instead of refusing the whole file.

Field names are the plan format's names (``../shared/plan-format.md``); the one
exception is the top-level ``plan:`` section, held in :attr:`Plan.plan` as a
:class:`PlanInfo`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Union

import attrs

from . import vocab
from .dates import PartialDate
from .sourcemap import SourceMap

__all__ = [
    "ASSESSMENT_FORMAT",
    "FORMAT_VERSION",
    "Action",
    "Assessment",
    "AssessmentFile",
    "Context",
    "CriterionScore",
    "Dimension",
    "Evidence",
    "IatiAttribute",
    "IatiExtras",
    "Implementation",
    "Indicator",
    "Integration",
    "IntegrationAspect",
    "IntegrationType",
    "Measurement",
    "Meeting",
    "Objective",
    "Period",
    "Plan",
    "PlanInfo",
    "Problem",
    "RelatedStrategy",
    "Resource",
    "Risk",
    "Stakeholder",
    "TestingAction",
    "Value",
    "Vision",
]

FORMAT_VERSION = 1
ASSESSMENT_FORMAT = 1

#: A measured value: a number, or words a planner wrote where a number belongs
#: ("more women"); the checks report the words as not quantified.
Value = Union[int, float, str]  # noqa: UP007 - a runtime alias cattrs can read

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def _one_of(allowed: tuple[str, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")

    return check


def _each_one_of(allowed: tuple[str, ...]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        for item in value:
            if item not in allowed:
                raise ValueError(f"{item!r} is not one of: {', '.join(allowed)}")

    return check


def _valid_id(_inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a usable id: use 1 to 64 letters, digits, '.', '_', ':' or '-', "
            "starting with a letter or digit"
        )


def _score_range(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"a score from {low} to {high} is expected, got {value}")

    return check


def _no_duplicates(_inst: Any, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if len(value) > 1 and len(set(value)) != len(value):
        seen: set[Any] = set()
        for item in value:
            if item in seen:
                raise ValueError(f"{item!r} is listed twice")
            seen.add(item)


def _ids_field() -> Any:
    return attrs.field(default=(), validator=_no_duplicates)


# ---------------------------------------------------------------------------
# Small value classes


@attrs.frozen
class Period:
    """A date interval: ``{start: 2025, end: 2030}``. Its end is not before its start."""

    start: PartialDate | None = None
    end: PartialDate | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end.ends_before(self.start):
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")


@attrs.frozen
class IatiAttribute:
    """An attribute of an IATI element kept as published: ``{name: humanitarian, value: "1"}``.

    A name in another namespace is written ``{namespace}name``."""

    name: str
    value: str


@attrs.frozen
class IatiExtras:
    """What an IATI element held that the plan format has no field for, kept as published
    so that the IATI exporter writes it back: its attributes, and child elements as XML
    text (``<document-link url="..."/>``)."""

    attributes: tuple[IatiAttribute, ...] = ()
    elements: tuple[str, ...] = ()


@attrs.frozen
class Dimension:
    """One slice of a disaggregated value: ``{name: sex, value: female}``."""

    name: str
    value: str


@attrs.frozen
class Measurement:
    """A value at a date: a baseline, a target, a milestone or an actual.

    ``period`` is the interval the value is for when ``date`` cannot say it exactly
    (IATI periods of any start and end: ``date`` is then the period's last day);
    ``dimensions`` and ``locations`` make the value one slice of a disaggregated
    value (boys under 5 at one site), as IATI publishes them.
    """

    value: Value | None = None
    date: PartialDate | None = None
    note: str | None = None
    period: Period | None = None
    dimensions: tuple[Dimension, ...] = ()
    locations: tuple[str, ...] = ()
    #: What the IATI baseline, target or actual held that no field above holds.
    iati: IatiExtras | None = None

    @property
    def sliced(self) -> bool:
        """True when the value is one slice of a disaggregated value (it has dimensions or locations)."""
        return bool(self.dimensions or self.locations)

    @property
    def quantified(self) -> bool:
        """True when the value is a number, not words."""
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@attrs.frozen
class Evidence:
    """A piece of evidence for a problem: where it comes from and what it says."""

    source: str | None = None
    finding: str | None = None
    link: str | None = None


@attrs.frozen
class RelatedStrategy:
    """A strategy or plan the IAP relates to (IAP section "Context, needs and vision")."""

    title: str
    link: str | None = None


@attrs.frozen
class Resource:
    """What an action takes: a budget, staff time, premises... and who pays."""

    kind: str = attrs.field(validator=_one_of(vocab.RESOURCE_KINDS))
    amount: int | float | None = None
    currency: str | None = None
    unit: str | None = None
    source: str | None = attrs.field(default=None, validator=_one_of(vocab.FUNDING_SOURCES))
    description: str | None = None


# ---------------------------------------------------------------------------
# Sections


@attrs.frozen
class PlanInfo:
    """Who and what: the ``plan:`` section."""

    id: str = attrs.field(validator=_valid_id)
    city: str | None = None
    country: str | None = attrs.field(default=None)
    network: str | None = None
    programme: str | None = None
    title: str | None = None
    version: str | None = None
    status: str | None = attrs.field(default=None, validator=_one_of(vocab.PLAN_STATUSES))
    period: Period | None = None
    language: str | None = None
    #: Who published the plan: for a plan read from IATI, the reporting organisation's
    #: identifier (``DE-1``), else its name.
    publisher: str | None = None
    #: The attributes of the IATI activity that no field above holds (``@humanitarian``,
    #: ``@default-currency``...), kept for the IATI exporter.
    iati: IatiExtras | None = None

    @country.validator
    def _country(self, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code such as PL or GR")


@attrs.frozen
class Context:
    """IAP section "Context, needs and vision"."""

    theme: str | None = None
    current_situation: str | None = None
    related_strategies: tuple[RelatedStrategy, ...] = ()
    target_groups: tuple[str, ...] = _ids_field()
    integration_challenges: tuple[str, ...] = ()


@attrs.frozen
class Vision:
    """The city vision, as written with the Newspaper of Tomorrow."""

    horizon: int | None = None
    headline: str | None = None
    text: str | None = None


@attrs.frozen
class Problem:
    """A node of the Problem Tree. ``causes`` are the roots, ``effects`` the branches."""

    id: str = attrs.field(validator=_valid_id)
    statement: str | None = None
    core: bool = False
    causes: tuple[str, ...] = _ids_field()
    effects: tuple[str, ...] = _ids_field()
    evidence: tuple[Evidence, ...] = ()


@attrs.frozen
class Objective:
    """A specific objective (an area of intervention)."""

    id: str = attrs.field(validator=_valid_id)
    title: str | None = None
    description: str | None = None
    addresses: tuple[str, ...] = _ids_field()
    target_groups: tuple[str, ...] = _ids_field()
    #: What the IATI result this objective was read from held that no field above holds
    #: (``@aggregation-status``, references of other vocabularies, document links).
    iati: IatiExtras | None = None


@attrs.frozen
class Action:
    """An action of the City Action Table, with its Action Details Table fields."""

    id: str = attrs.field(validator=_valid_id)
    title: str | None = None
    description: str | None = None
    contributes_to: tuple[str, ...] = _ids_field()
    intended_results: str | None = None
    outputs: tuple[str, ...] = ()
    long_term_change: str | None = None
    timescale: Period | None = None
    lead: str | None = None
    partners: tuple[str, ...] = _ids_field()
    depends_on: tuple[str, ...] = _ids_field()
    target_groups: tuple[str, ...] = _ids_field()
    resources: tuple[Resource, ...] = ()
    integration_aspects: tuple[str, ...] = attrs.field(
        default=(), validator=[_no_duplicates, _each_one_of(vocab.ASPECTS)]
    )
    implementation_notes: str | None = None


@attrs.frozen
class Indicator:
    """How progress is measured: an output, result or impact indicator."""

    id: str = attrs.field(validator=_valid_id)
    name: str | None = None
    kind: str | None = attrs.field(default=None, validator=_one_of(vocab.INDICATOR_KINDS))
    measures: tuple[str, ...] = _ids_field()
    unit: str | None = None
    baseline: Measurement | None = None
    target: Measurement | None = None
    milestones: tuple[Measurement, ...] = ()
    source: str | None = None
    disaggregation: tuple[str, ...] = _ids_field()
    actuals: tuple[Measurement, ...] = ()
    #: ``increase`` or ``decrease``; when absent, the direction from baseline to target.
    direction: str | None = attrs.field(default=None, validator=_one_of(vocab.DIRECTIONS))
    #: True when actuals add up over time (people trained so far); False when each
    #: actual is a level at its date (a share, a rate). When absent: False.
    cumulative: bool | None = None
    #: Further baselines, as IATI publishes them: slices of the baseline (by dimension or
    #: location) or baselines of other years. ``baseline`` is the one progress is measured from.
    baselines: tuple[Measurement, ...] = ()
    #: What the IATI indicator held that no field above holds (``@aggregation-status``,
    #: references of other vocabularies, document links, its description).
    iati: IatiExtras | None = None


@attrs.frozen
class Stakeholder:
    """A member of the URBACT Local Group (ULG) or another stakeholder."""

    id: str = attrs.field(validator=_valid_id)
    name: str | None = None
    type: str | None = attrs.field(default=None, validator=_one_of(vocab.STAKEHOLDER_TYPES))
    participation: str | None = attrs.field(default=None, validator=_one_of(vocab.PARTICIPATION))
    represents: tuple[str, ...] = _ids_field()


@attrs.frozen
class Meeting:
    """A ULG, consultation or transnational meeting."""

    date: PartialDate
    kind: str | None = attrs.field(default=None, validator=_one_of(vocab.MEETING_KINDS))
    topic: str | None = None
    participants: tuple[str, ...] = _ids_field()


@attrs.frozen
class Risk:
    """A barrier or risk that could prevent actions from being implemented."""

    id: str = attrs.field(validator=_valid_id)
    description: str | None = None
    likelihood: str | None = attrs.field(default=None, validator=_one_of(vocab.LEVELS))
    impact: str | None = attrs.field(default=None, validator=_one_of(vocab.LEVELS))
    mitigation: str | None = None
    affects: tuple[str, ...] = _ids_field()


@attrs.frozen
class TestingAction:
    """A testing action, as the URBACT testing-action canvas describes it."""

    __test__ = False  # not a pytest test class, whatever its name says

    id: str = attrs.field(validator=_valid_id)
    challenge: str | None = None
    what_if: str | None = None
    hypothesis: str | None = None
    idea: str | None = None
    measurement: str | None = None
    purposes: tuple[str, ...] = attrs.field(
        default=(), validator=[_no_duplicates, _each_one_of(vocab.TESTING_PURPOSES)]
    )
    tests: tuple[str, ...] = _ids_field()
    period: Period | None = None
    status: str | None = attrs.field(default=None, validator=_one_of(vocab.TESTING_STATUSES))
    learnings: str | None = None


@attrs.frozen
class IntegrationType:
    """One row of the URBACT integration self-assessment tool."""

    situation: str | None = None
    progress: str | None = None
    score: int | None = attrs.field(default=None, validator=_score_range(1, 5))


@attrs.frozen
class IntegrationAspect:
    """One row of the table of the 12 aspects of integrated urban development."""

    aspect: str = attrs.field(validator=_one_of(vocab.ASPECTS))
    relevant: bool | None = None
    why: str | None = None
    baseline: int | None = attrs.field(default=None, validator=_score_range(1, 5))
    future_actions: str | None = None


def _known_types(_inst: Any, attribute: attrs.Attribute[Any], value: dict[str, Any]) -> None:
    for key in value:
        if key not in vocab.INTEGRATION_TYPES:
            raise ValueError(f"{key!r} is not one of: {', '.join(vocab.INTEGRATION_TYPES)}")


@attrs.frozen
class Integration:
    """The integration self-assessments: five types and twelve aspects."""

    types: dict[str, IntegrationType] = attrs.field(factory=dict, validator=_known_types)
    aspects: tuple[IntegrationAspect, ...] = ()

    def __hash__(self) -> int:  # dicts are not hashable; the plan stays hashable
        return hash((tuple(self.types.items()), self.aspects))


@attrs.frozen
class Implementation:
    """The implementation framework: governance, monitoring, communication, funding."""

    governance: str | None = None
    monitoring: str | None = None
    communication: str | None = None
    funding_strategy: str | None = None


# ---------------------------------------------------------------------------
# The plan


@attrs.frozen
class Plan:
    """An Integrated Action Plan.

    ``source`` remembers where the plan was read from (file, and a map from JSON
    pointers to lines and columns); it is not part of the plan's data and plays no
    part in equality.
    """

    format: int = attrs.field(default=FORMAT_VERSION, kw_only=True)
    plan: PlanInfo
    context: Context | None = None
    vision: Vision | None = None
    strategic_goal: str | None = None
    problems: tuple[Problem, ...] = ()
    objectives: tuple[Objective, ...] = ()
    actions: tuple[Action, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    risks: tuple[Risk, ...] = ()
    testing_actions: tuple[TestingAction, ...] = ()
    integration: Integration | None = None
    implementation: Implementation | None = None
    source: SourceMap | None = attrs.field(default=None, eq=False, hash=False, repr=False)

    @format.validator
    def _format(self, attribute: attrs.Attribute[Any], value: int) -> None:
        if value != FORMAT_VERSION:
            raise ValueError(f"this library reads plan format {FORMAT_VERSION}, the file says {value}")

    @property
    def id(self) -> str:
        """The plan's id (``plan.id``)."""
        return self.plan.id

    def linkables(self) -> Iterator[tuple[str, Linkable]]:
        """Every linkable thing with its kind, in file order."""
        for kind, items in (
            ("problem", self.problems),
            ("objective", self.objectives),
            ("action", self.actions),
            ("indicator", self.indicators),
            ("stakeholder", self.stakeholders),
            ("risk", self.risks),
            ("testing_action", self.testing_actions),
        ):
            for item in items:
                yield kind, item


Linkable = Union[Problem, Objective, Action, Indicator, Stakeholder, Risk, TestingAction]  # noqa: UP007

#: The plan sections that hold linkable things, with the kind of each.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("problems", "problem"),
    ("objectives", "objective"),
    ("actions", "action"),
    ("indicators", "indicator"),
    ("stakeholders", "stakeholder"),
    ("risks", "risk"),
    ("testing_actions", "testing_action"),
)


# ---------------------------------------------------------------------------
# Assessments (scores given by people)


@attrs.frozen
class CriterionScore:
    """One person's score for one rubric criterion, with the evidence they saw."""

    criterion: str
    score: int = attrs.field(validator=_score_range(1, 5))
    evidence: str | None = None


@attrs.frozen
class Assessment:
    """A peer reviewer's scores of one plan against one rubric."""

    plan: str
    rubric: str
    assessor: str
    date: PartialDate | None = None
    scores: tuple[CriterionScore, ...] = ()


@attrs.frozen
class AssessmentFile:
    """An assessment file: ``format: 1`` and an ``assessment:`` section."""

    format: int = attrs.field(default=ASSESSMENT_FORMAT, kw_only=True)
    assessment: Assessment
    source: SourceMap | None = attrs.field(default=None, eq=False, hash=False, repr=False)

    @format.validator
    def _format(self, attribute: attrs.Attribute[Any], value: int) -> None:
        if value != ASSESSMENT_FORMAT:
            raise ValueError(f"this library reads assessment format {ASSESSMENT_FORMAT}, the file says {value}")
