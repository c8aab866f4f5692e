"""Hypothesis strategies that build valid instances of every model class.

Every strategy respects the validators of :mod:`techdiversity.model`: ids match the
id pattern, vocabulary fields hold known slugs, id tuples hold no duplicates, scores
are 1..5, a period does not end before it starts, countries are two upper-case
letters, floats are finite, and a plan's linkable ids are unique across sections.

Text is deliberately awkward: unicode, newlines, leading and trailing spaces, quotes,
and strings that a careless YAML writer would turn into numbers, booleans, nulls or
dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from techdiversity import vocab
from techdiversity.dates import PartialDate
from techdiversity.model import (
    Action,
    Assessment,
    AssessmentFile,
    Context,
    CriterionScore,
    Dimension,
    Evidence,
    IatiAttribute,
    IatiExtras,
    Implementation,
    Indicator,
    Integration,
    IntegrationAspect,
    IntegrationType,
    Measurement,
    Meeting,
    Objective,
    Period,
    Plan,
    PlanInfo,
    Problem,
    RelatedStrategy,
    Resource,
    Risk,
    Stakeholder,
    TestingAction,
    Vision,
)

__all__ = [
    "TRICKY_TEXT",
    "actions",
    "assessment_files",
    "assessments",
    "contexts",
    "criterion_scores",
    "dimensions",
    "evidence",
    "iati_attributes",
    "iati_extras",
    "ids",
    "implementations",
    "indicators",
    "integration_aspects",
    "integration_types",
    "integrations",
    "measurements",
    "meetings",
    "objectives",
    "partial_dates",
    "periods",
    "plan_infos",
    "plans",
    "problems",
    "related_strategies",
    "resources",
    "risks",
    "stakeholders",
    "testing_actions",
    "text",
    "visions",
]

#: Strings that a YAML or JSON writer must quote or escape to read them back as text.
TRICKY_TEXT: tuple[str, ...] = (
    "",
    " ",
    "  leading spaces",
    "trailing spaces  ",
    "1e5",
    "1E5",
    "0o17",
    "0x1F",
    "017",
    "1_000",
    "+1",
    "-0",
    "3.14",
    ".5",
    "-.inf",
    ".inf",
    ".nan",
    "NaN",
    "Infinity",
    "true",
    "True",
    "FALSE",
    "yes",
    "no",
    "NO",
    "on",
    "off",
    "y",
    "null",
    "Null",
    "NULL",
    "~",
    "2025",
    "2025-09",
    "2025-09-06",
    "2025-Q3",
    "2025-09-06T10:00:00",
    "12:30",
    "'single quoted'",
    '"double quoted"',
    "it's",
    'she said "hi"',
    "back\\slash",
    "# not a comment",
    "a # b",
    "key: value",
    "key:",
    "- item",
    "-",
    "?",
    ": colon",
    "[a, b]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "!!python/object:os.system",
    "%YAML 1.1",
    "@at",
    "`backtick",
    "|",
    ">",
    "<<",
    "---",
    "...",
    "=",
    "multi\nline",
    "trailing newline\n",
    "\n",
    "\n\nleading newlines",
    "a\n\nb",
    "  indented\nsecond line",
    "line with trailing space \nnext",
    "\ttab first",
    "a\tb",
    "a\r\nb",
    "\r",
    "Bielsko-Biała",
    "Λάρνακα",
    "Zürich — “smart” quotes",
    "日本語のテキスト",
    "emoji 🎉👩‍💻",
    "\u2028line separator",
    "next\x85line",
    "\ufeffbom",
    "\u00a0nbsp",
    "bell\x07",
    "escape\x1b[0m",
    "del\x7f",
)

_tricky = st.sampled_from(TRICKY_TEXT)

#: Any text: tricky samples, arbitrary unicode (no surrogates), and mixtures of both.
text: st.SearchStrategy[str] = st.one_of(
    _tricky,
    st.text(max_size=30),
    st.builds(lambda a, b, c: a + b + c, _tricky, st.text(max_size=10), _tricky),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``None`` or a value of ``strategy``."""
    return st.none() | strategy


opt_text = optional(text)

#: Valid ids: 1 to 64 of letters, digits, '.', '_', ':', '-', starting with a letter or digit.
ids: st.SearchStrategy[str] = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}", fullmatch=True).filter(lambda s: s.isascii()),
    st.sampled_from(["A1", "SO1", "P1", "0", "1e5", "2025", "true", "null", "x" * 64, "a.b_c:d-e", "007"]),
)


def id_tuples(max_size: int = 4) -> st.SearchStrategy[tuple[str, ...]]:
    """Lists of ids without duplicates, as the links of the plan format."""
    return st.lists(ids, unique=True, max_size=max_size).map(tuple)


def unique_text_tuples(max_size: int = 4) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.one_of(st.sampled_from(vocab.TARGET_GROUPS), text), unique=True, max_size=max_size).map(tuple)


def text_tuples(max_size: int = 4) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(text, max_size=max_size).map(tuple)


def slug(values: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


def slug_tuples(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(tuple)


finite_floats = st.floats(allow_nan=False, allow_infinity=False)
integers = st.integers(min_value=-(2**63), max_value=2**63)
numbers = st.one_of(integers, finite_floats)
scores = st.integers(min_value=1, max_value=5)

# ---------------------------------------------------------------------------
# Partial dates

_dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
_years = st.integers(min_value=1000, max_value=9999)

partial_dates: st.SearchStrategy[PartialDate] = st.one_of(
    _years.map(PartialDate.parse),
    _years.map(str).map(PartialDate.parse),
    st.builds(lambda y, q: PartialDate.parse(f"{y}-Q{q}"), _years, st.integers(1, 4)),
    _dates.map(lambda d: PartialDate.parse(f"{d.year:04d}-{d.month:02d}")),
    _dates.map(lambda d: PartialDate.parse(d.isoformat())),
)


def _period(start: PartialDate | None, end: PartialDate | None) -> Period:
    if start is not None and end is not None and end.ends_before(start):
        start, end = end, start
    return Period(start=start, end=end)


periods: st.SearchStrategy[Period] = st.builds(_period, optional(partial_dates), optional(partial_dates))

# ---------------------------------------------------------------------------
# Small value classes

dimensions: st.SearchStrategy[Dimension] = st.builds(Dimension, name=text, value=text)

iati_attributes: st.SearchStrategy[IatiAttribute] = st.builds(IatiAttribute, name=text, value=text)

iati_extras: st.SearchStrategy[IatiExtras] = st.builds(
    IatiExtras,
    attributes=st.lists(iati_attributes, max_size=2).map(tuple),
    elements=st.lists(text, max_size=2).map(tuple),
)

measurements: st.SearchStrategy[Measurement] = st.builds(
    Measurement,
    value=optional(st.one_of(integers, finite_floats, text)),
    date=optional(partial_dates),
    note=opt_text,
    period=optional(periods),
    dimensions=st.lists(dimensions, max_size=2).map(tuple),
    locations=st.lists(text, max_size=2).map(tuple),
    iati=optional(iati_extras),
)

evidence: st.SearchStrategy[Evidence] = st.builds(Evidence, source=opt_text, finding=opt_text, link=opt_text)

related_strategies: st.SearchStrategy[RelatedStrategy] = st.builds(RelatedStrategy, title=text, link=opt_text)

resources: st.SearchStrategy[Resource] = st.builds(
    Resource,
    kind=slug(vocab.RESOURCE_KINDS),
    amount=optional(numbers),
    currency=opt_text,
    unit=opt_text,
    source=optional(slug(vocab.FUNDING_SOURCES)),
    description=opt_text,
)

# ---------------------------------------------------------------------------
# Sections

plan_infos: st.SearchStrategy[PlanInfo] = st.builds(
    PlanInfo,
    id=ids,
    city=opt_text,
    country=optional(st.from_regex(r"[A-Z]{2}", fullmatch=True)),
    network=opt_text,
    programme=opt_text,
    title=opt_text,
    version=opt_text,
    status=optional(slug(vocab.PLAN_STATUSES)),
    period=optional(periods),
    language=opt_text,
    publisher=opt_text,
    iati=optional(iati_extras),
)

contexts: st.SearchStrategy[Context] = st.builds(
    Context,
    theme=opt_text,
    current_situation=opt_text,
    related_strategies=st.lists(related_strategies, max_size=3).map(tuple),
    target_groups=unique_text_tuples(),
    integration_challenges=text_tuples(),
)

visions: st.SearchStrategy[Vision] = st.builds(Vision, horizon=optional(integers), headline=opt_text, text=opt_text)


def problems(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Problem]:
    return st.builds(
        Problem,
        id=id,
        statement=opt_text,
        core=st.booleans(),
        causes=id_tuples(),
        effects=id_tuples(),
        evidence=st.lists(evidence, max_size=2).map(tuple),
    )


def objectives(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Objective]:
    return st.builds(
        Objective,
        id=id,
        title=opt_text,
        description=opt_text,
        addresses=id_tuples(),
        target_groups=unique_text_tuples(),
        iati=optional(iati_extras),
    )


def actions(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Action]:
    return st.builds(
        Action,
        id=id,
        title=opt_text,
        description=opt_text,
        contributes_to=id_tuples(),
        intended_results=opt_text,
        outputs=text_tuples(),
        long_term_change=opt_text,
        timescale=optional(periods),
        lead=optional(ids),
        partners=id_tuples(),
        depends_on=id_tuples(),
        target_groups=unique_text_tuples(),
        resources=st.lists(resources, max_size=2).map(tuple),
        integration_aspects=slug_tuples(vocab.ASPECTS),
        implementation_notes=opt_text,
    )


def indicators(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Indicator]:
    return st.builds(
        Indicator,
        id=id,
        name=opt_text,
        kind=optional(slug(vocab.INDICATOR_KINDS)),
        measures=id_tuples(),
        unit=opt_text,
        baseline=optional(measurements),
        target=optional(measurements),
        milestones=st.lists(measurements, max_size=2).map(tuple),
        source=opt_text,
        disaggregation=unique_text_tuples(),
        actuals=st.lists(measurements, max_size=2).map(tuple),
        direction=optional(slug(vocab.DIRECTIONS)),
        cumulative=optional(st.booleans()),
        baselines=st.lists(measurements, max_size=2).map(tuple),
        iati=optional(iati_extras),
    )


def stakeholders(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Stakeholder]:
    return st.builds(
        Stakeholder,
        id=id,
        name=opt_text,
        type=optional(slug(vocab.STAKEHOLDER_TYPES)),
        participation=optional(slug(vocab.PARTICIPATION)),
        represents=unique_text_tuples(),
    )


meetings: st.SearchStrategy[Meeting] = st.builds(
    Meeting,
    date=partial_dates,
    kind=optional(slug(vocab.MEETING_KINDS)),
    topic=opt_text,
    participants=id_tuples(),
)


def risks(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[Risk]:
    return st.builds(
        Risk,
        id=id,
        description=opt_text,
        likelihood=optional(slug(vocab.LEVELS)),
        impact=optional(slug(vocab.LEVELS)),
        mitigation=opt_text,
        affects=id_tuples(),
    )


def testing_actions(id: st.SearchStrategy[str] = ids) -> st.SearchStrategy[TestingAction]:
    return st.builds(
        TestingAction,
        id=id,
        challenge=opt_text,
        what_if=opt_text,
        hypothesis=opt_text,
        idea=opt_text,
        measurement=opt_text,
        purposes=slug_tuples(vocab.TESTING_PURPOSES),
        tests=id_tuples(),
        period=optional(periods),
        status=optional(slug(vocab.TESTING_STATUSES)),
        learnings=opt_text,
    )


integration_types: st.SearchStrategy[IntegrationType] = st.builds(
    IntegrationType, situation=opt_text, progress=opt_text, score=optional(scores)
)

integration_aspects: st.SearchStrategy[IntegrationAspect] = st.builds(
    IntegrationAspect,
    aspect=slug(vocab.ASPECTS),
    relevant=optional(st.booleans()),
    why=opt_text,
    baseline=optional(scores),
    future_actions=opt_text,
)

integrations: st.SearchStrategy[Integration] = st.builds(
    Integration,
    types=st.dictionaries(slug(vocab.INTEGRATION_TYPES), integration_types, max_size=len(vocab.INTEGRATION_TYPES)),
    aspects=st.lists(integration_aspects, max_size=3).map(tuple),
)

implementations: st.SearchStrategy[Implementation] = st.builds(
    Implementation,
    governance=opt_text,
    monitoring=opt_text,
    communication=opt_text,
    funding_strategy=opt_text,
)

# ---------------------------------------------------------------------------
# The plan

#: The sections of linkable things, with the strategy factory of each.
_SECTIONS = (
    ("problems", problems),
    ("objectives", objectives),
    ("actions", actions),
    ("indicators", indicators),
    ("stakeholders", stakeholders),
    ("risks", risks),
    ("testing_actions", testing_actions),
)


@st.composite
def plans(draw: st.DrawFn, max_per_section: int = 3) -> Plan:
    """A valid plan: every linkable id is unique across all sections."""
    counts = [draw(st.integers(min_value=0, max_value=max_per_section)) for _ in _SECTIONS]
    all_ids = draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts), unique=True))
    sections: dict[str, tuple[Any, ...]] = {}
    start = 0
    for (name, factory), count in zip(_SECTIONS, counts, strict=True):
        sections[name] = tuple(draw(factory(st.just(ident))) for ident in all_ids[start : start + count])
        start += count
    return Plan(
        plan=draw(plan_infos),
        context=draw(optional(contexts)),
        vision=draw(optional(visions)),
        strategic_goal=draw(opt_text),
        meetings=tuple(draw(st.lists(meetings, max_size=2))),
        integration=draw(optional(integrations)),
        implementation=draw(optional(implementations)),
        **sections,
    )


# ---------------------------------------------------------------------------
# Assessments

criterion_scores: st.SearchStrategy[CriterionScore] = st.builds(
    CriterionScore, criterion=text, score=scores, evidence=opt_text
)

assessments: st.SearchStrategy[Assessment] = st.builds(
    Assessment,
    plan=text,
    rubric=text,
    assessor=text,
    date=optional(partial_dates),
    scores=st.lists(criterion_scores, max_size=3).map(tuple),
)

assessment_files: st.SearchStrategy[AssessmentFile] = st.builds(AssessmentFile, assessment=assessments)
