"""Rubrics: criteria with level descriptors, automatic scorers, and people's scores.

A :class:`Rubric` is data: sections of :class:`Criterion` objects, each with the
descriptors of scores 1, 3 and 5 (2 and 4 lie between), as the URBACT assessment grid
writes them. Each criterion may have a scorer: a function of a
:class:`ScoringContext` that returns a :class:`Judgement` (a score and the plan
elements it looked at) or a judgement with no score when the plan alone cannot tell.

:func:`score` applies a rubric to a plan, puts people's scores from assessment files
beside the automatic ones, and returns a :class:`ScoreCard`.

Scorers must be monotone: adding real evidence to a plan (a meeting, a quantified
target, a milestone, problem evidence) never lowers a score. The test suite checks
this property for every built-in rubric.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

import attrs

from ..errors import Diagnostic, PlanError
from ..findings import Report
from ..index import PlanIndex
from ..model import Assessment, AssessmentFile, Plan
from ..sourcemap import SourceMap

__all__ = [
    "Criterion",
    "CriterionResult",
    "Judgement",
    "PersonScore",
    "Rubric",
    "ScoreCard",
    "ScoringContext",
    "Section",
    "SectionResult",
    "cannot_judge",
    "judged",
    "score",
    "share_to_score",
]

Wording = Literal["seed", "completion"]

_SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


@attrs.frozen
class Judgement:
    """What an automatic scorer concluded: a score (or None), why, and what it looked at.

    ``elements`` name the plan elements the scorer read (ids such as ``A1``, or
    places such as ``meetings[2]`` and ``context.current_situation``).
    """

    score: int | None
    reason: str
    elements: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.score is not None and not 1 <= self.score <= 5:
            raise ValueError(f"a score is 1 to 5, got {self.score}")


def judged(score: int, reason: str, elements: Iterable[str] = ()) -> Judgement:
    """A judgement with a score."""
    return Judgement(score, reason, tuple(elements))


def cannot_judge(reason: str, elements: Iterable[str] = ()) -> Judgement:
    """A judgement that says the plan alone cannot tell (a person has to score it)."""
    return Judgement(None, reason, tuple(elements))


def share_to_score(share: float) -> int:
    """A share (0 to 1) of things done well, as a score: none 1, all 5, steps between.

    ``0`` -> 1, below a half -> 2, below four fifths -> 3, below all -> 4, all -> 5.
    Monotone: a larger share never gives a lower score.
    """
    if share <= 0:
        return 1
    if share < 0.5:
        return 2
    if share < 0.8:
        return 3
    if share < 1:
        return 4
    return 5


class ScoringContext:
    """What a scorer sees: the plan, its index and (computed once, on demand) its findings."""

    __slots__ = ("__dict__", "index", "plan")

    def __init__(self, plan: Plan, index: PlanIndex | None = None) -> None:
        self.plan = plan
        self.index = index if index is not None else PlanIndex.of(plan)

    @functools.cached_property
    def report(self) -> Report:
        """The check findings of the plan (all registered checks)."""
        from ..checks import run_checks

        return run_checks(self.plan)

    @functools.cached_property
    def _text(self) -> str:
        return _plan_text(self.plan)

    def text(self) -> str:
        """All the free text of the plan, lower-cased, for keyword evidence (computed once)."""
        return self._text


def _plan_text(plan: Plan) -> str:
    """The plan's narrative text (not ids, dates or slugs), in file order, one pass."""
    parts: list[str | None] = [plan.strategic_goal]
    add = parts.append
    extend = parts.extend
    if plan.context is not None:
        c = plan.context
        extend((c.theme, c.current_situation))
        extend(c.integration_challenges)
        extend(r.title for r in c.related_strategies)
    if plan.vision is not None:
        extend((plan.vision.headline, plan.vision.text))
    for p in plan.problems:
        add(p.statement)
        for e in p.evidence:
            extend((e.source, e.finding))
    for o in plan.objectives:
        extend((o.title, o.description))
    for a in plan.actions:
        extend((a.title, a.description, a.intended_results, a.long_term_change, a.implementation_notes))
        extend(a.outputs)
        for res in a.resources:
            add(res.description)
    for i in plan.indicators:
        add(i.name)
    for s in plan.stakeholders:
        add(s.name)
    for m in plan.meetings:
        add(m.topic)
    for risk in plan.risks:
        extend((risk.description, risk.mitigation))
    for t in plan.testing_actions:
        extend((t.challenge, t.what_if, t.hypothesis, t.idea, t.measurement, t.learnings))
    if plan.integration is not None:
        for ty in plan.integration.types.values():
            extend((ty.situation, ty.progress))
        for asp in plan.integration.aspects:
            extend((asp.why, asp.future_actions))
    if plan.implementation is not None:
        im = plan.implementation
        extend((im.governance, im.monitoring, im.communication, im.funding_strategy))
    return "\n".join(x for x in parts if x).lower()


Scorer = Callable[[ScoringContext], Judgement]


def _levels(_inst: Any, _attr: Any, value: tuple[str, str, str]) -> None:
    if len(value) != 3 or not all(isinstance(v, str) and v for v in value):
        raise ValueError("levels are three descriptors: for scores 1, 3 and 5")


@attrs.frozen
class Criterion:
    """One criterion of a rubric.

    ``levels`` are the descriptors of scores 1, 3 and 5 ("Indications for scoring");
    ``wording`` says whether the title and levels are the source document's words
    (``seed``) or this library's completion of it (``completion``); ``method`` tells
    in one or two sentences how the automatic scorer judges.
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_SLUG))
    title: str
    levels: tuple[str, str, str] = attrs.field(validator=_levels)
    scorer: Scorer | None = attrs.field(default=None, eq=False, repr=False)
    wording: Wording = "seed"
    method: str = ""

    def levels_json(self) -> dict[str, str]:
        """Descriptors by score, 2 and 4 included as 'between' levels."""
        one, three, five = self.levels
        return {"1": one, "2": "between 1 and 3", "3": three, "4": "between 3 and 5", "5": five}


@attrs.frozen
class Section:
    """A numbered section of a rubric (``1 - PROCESS OF ACTION PLAN``)."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    wording: Wording = "seed"


@attrs.frozen
class Rubric:
    """A named, versioned rubric: sections of criteria."""

    name: str = attrs.field(validator=attrs.validators.matches_re(_SLUG))
    title: str
    version: str
    sections: tuple[Section, ...]
    description: str = ""
    source: str = ""
    plugin: str = "techdiversity"

    def __attrs_post_init__(self) -> None:
        ids = [c.id for s in self.sections for c in s.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rubric {self.name}: criterion ids used twice: {', '.join(dupes)}")

    def criteria(self) -> Iterable[Criterion]:
        """Every criterion, in order."""
        for section in self.sections:
            yield from section.criteria

    def criterion(self, ident: str) -> Criterion | None:
        """The criterion with this id, or None."""
        return next((c for c in self.criteria() if c.id == ident), None)


# ---------------------------------------------------------------------------
# Scorecards


@attrs.frozen
class PersonScore:
    """A score given by a person (from an assessment file)."""

    assessor: str
    score: int
    evidence: str | None = None
    date: str | None = None


@attrs.frozen
class CriterionResult:
    """A criterion's automatic judgement and people's scores, side by side.

    The headline ``score`` is the mean of people's scores when there are any (people
    read what a program cannot), otherwise the automatic score.
    """

    criterion: Criterion
    automatic: Judgement | None
    people: tuple[PersonScore, ...] = ()

    @property
    def score(self) -> float | int | None:
        if self.people:
            mean = statistics.fmean(p.score for p in self.people)
            return int(mean) if mean.is_integer() else round(mean, 2)
        return self.automatic.score if self.automatic is not None else None

    @property
    def source(self) -> str:
        """Where the headline score comes from: ``assessment``, ``automatic`` or ``none``."""
        if self.people:
            return "assessment"
        if self.automatic is not None and self.automatic.score is not None:
            return "automatic"
        return "none"

    def to_json(self) -> dict[str, Any]:
        auto = self.automatic
        evidence: list[str] = []
        if auto is not None:
            evidence.append(auto.reason)
        evidence.extend(f"{p.assessor}: {p.evidence}" for p in self.people if p.evidence)
        return {
            "id": self.criterion.id,
            "title": self.criterion.title,
            "score": self.score,
            "max": 5,
            "source": self.source,
            "evidence": evidence,
            "levels": self.criterion.levels_json(),
            "wording": self.criterion.wording,
            "automatic": None
            if auto is None
            else {"score": auto.score, "reason": auto.reason, "elements": list(auto.elements)},
            "assessments": [
                {"assessor": p.assessor, "score": p.score, "evidence": p.evidence, "date": p.date} for p in self.people
            ],
        }


@attrs.frozen
class SectionResult:
    """A section's criteria results. ``score`` adds the scored criteria; ``max`` is 5 each."""

    section: Section
    criteria: tuple[CriterionResult, ...]

    @property
    def score(self) -> float | int:
        total = sum(c.score for c in self.criteria if c.score is not None)
        return round(total, 2) if isinstance(total, float) else total

    @property
    def max(self) -> int:
        return 5 * sum(1 for c in self.criteria if c.score is not None)

    @property
    def unscored(self) -> int:
        return sum(1 for c in self.criteria if c.score is None)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.section.id,
            "title": self.section.title,
            "score": self.score,
            "max": self.max,
            "unscored": self.unscored,
            "criteria": [c.to_json() for c in self.criteria],
        }


@attrs.frozen(repr=False)
class ScoreCard:
    """A plan scored with one rubric.

    ``repr()`` is a one-line summary; in a notebook it shows as a table (``_repr_html_``).
    """

    plan_id: str
    rubric: Rubric
    sections: tuple[SectionResult, ...]
    assessors: tuple[str, ...] = ()

    @property
    def total(self) -> float | int:
        total = sum(s.score for s in self.sections)
        return round(total, 2) if isinstance(total, float) else total

    @property
    def max(self) -> int:
        return sum(s.max for s in self.sections)

    def results(self) -> Iterable[CriterionResult]:
        """Every criterion result, in order."""
        for s in self.sections:
            yield from s.criteria

    def __repr__(self) -> str:
        from .._display import scorecard_repr

        return scorecard_repr(self)

    def _repr_html_(self) -> str:
        from .._display import scorecard_html

        return scorecard_html(self)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON of ``techdiversity score --format json``."""
        return {
            "plan": self.plan_id,
            "rubric": {"name": self.rubric.name, "title": self.rubric.title, "version": self.rubric.version},
            "assessors": list(self.assessors),
            "sections": [s.to_json() for s in self.sections],
            "total": self.total,
            "max": self.max,
        }


def _assessment_of(item: Assessment | AssessmentFile) -> tuple[Assessment, SourceMap | None]:
    if isinstance(item, AssessmentFile):
        return item.assessment, item.source
    return item, None


def _fail(smap: SourceMap | None, pointer: str, message: str) -> Diagnostic:
    if smap is None:
        smap = SourceMap(None)
    return Diagnostic(smap.locate(pointer), message)


def validate_assessment(item: Assessment | AssessmentFile, plan: Plan, rubric: Rubric) -> list[Diagnostic]:
    """Problems that stop an assessment from applying to this plan and rubric."""
    import difflib

    assessment, smap = _assessment_of(item)
    problems = []
    if assessment.plan != plan.id:
        problems.append(
            _fail(smap, "/assessment/plan", f"this assessment is for plan {assessment.plan!r}, not {plan.id!r}")
        )
    known = [c.id for c in rubric.criteria()]
    seen: set[str] = set()
    for i, s in enumerate(assessment.scores):
        if s.criterion not in known:
            close = difflib.get_close_matches(s.criterion, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (criteria: {', '.join(known)})"
            problems.append(
                _fail(
                    smap,
                    f"/assessment/scores/{i}/criterion",
                    f"rubric {rubric.name!r} has no criterion {s.criterion!r}{hint}",
                )
            )
        elif s.criterion in seen:
            problems.append(
                _fail(smap, f"/assessment/scores/{i}/criterion", f"criterion {s.criterion!r} is scored twice")
            )
        seen.add(s.criterion)
    return problems


def score_with(
    plan: Plan,
    rubric: Rubric,
    assessments: Sequence[Assessment | AssessmentFile] = (),
    *,
    context: ScoringContext | None = None,
) -> ScoreCard:
    """Score ``plan`` with a :class:`Rubric` object (see :func:`score` for names).

    Assessments for another rubric are ignored here; an assessment of this rubric for
    another plan, or naming a criterion the rubric does not have, raises
    :class:`~techdiversity.PlanError` with the assessment file's places.
    """
    from .._gc import gc_paused
    from ..checks import _GC_PAUSE_AT, _size

    with gc_paused(_size(plan), _GC_PAUSE_AT):
        return _score_with(plan, rubric, assessments, context)


def _score_with(
    plan: Plan,
    rubric: Rubric,
    assessments: Sequence[Assessment | AssessmentFile],
    context: ScoringContext | None,
) -> ScoreCard:
    ctx = context if context is not None else ScoringContext(plan)
    mine = [a for a in assessments if _assessment_of(a)[0].rubric == rubric.name]
    problems = [d for a in mine for d in validate_assessment(a, plan, rubric)]
    if problems:
        raise PlanError(problems)
    people: dict[str, list[PersonScore]] = {}
    assessors: list[str] = []
    for item in mine:
        a, _ = _assessment_of(item)
        assessors.append(a.assessor)
        for s in a.scores:
            people.setdefault(s.criterion, []).append(
                PersonScore(a.assessor, s.score, s.evidence, str(a.date) if a.date else None)
            )
    sections = []
    for section in rubric.sections:
        results = []
        for criterion in section.criteria:
            auto: Judgement | None = None
            if criterion.scorer is not None:
                try:
                    auto = criterion.scorer(ctx)
                except Exception as exc:  # noqa: BLE001 - a plugin's scorer must not take the host down
                    from ..plugins import report_failure

                    report_failure(rubric.plugin, f"scorer of {rubric.name}/{criterion.id} raised {exc!r}")
                    auto = cannot_judge(f"the automatic scorer failed ({type(exc).__name__})")
            results.append(CriterionResult(criterion, auto, tuple(people.get(criterion.id, ()))))
        sections.append(SectionResult(section, tuple(results)))
    return ScoreCard(plan.id, rubric, tuple(sections), tuple(assessors))


def score(
    plan: Plan,
    rubric: str | Rubric = "urbact-iap",
    assessments: Sequence[Assessment | AssessmentFile] = (),
) -> ScoreCard:
    """Score a plan with a rubric (by name, from every registered plugin, or an object).

    Raises :class:`KeyError` for an unknown rubric name.
    """
    if isinstance(rubric, Rubric):
        return score_with(plan, rubric, assessments)
    from ..plugins import all_rubrics

    found: dict[str, Rubric] = {r.name: r for r in all_rubrics()}
    if rubric not in found:
        raise KeyError(f"no rubric named {rubric!r}; known: {', '.join(sorted(found))}")
    return score_with(plan, found[rubric], assessments)
