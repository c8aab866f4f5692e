"""Rubrics: criteria with level descriptors, automatic scorers, and people's scores.

A :class:`Rubric` is data: sections of :class:`Criterion` objects, each with the
descriptors of scores 1, 3 and 5 (2 and 4 lie between), as the URBACT assessment grid
writes them. Each criterion may have a scorer: a function of a
:class:`ScoringContext` that returns a :class:`Judgement` (a score and the plan
elements it looked at) or a judgement with no score when the plan alone cannot tell.

:func:`score` applies a rubric to a plan, puts people's scores from assessment files
beside the automatic ones, and returns a :class:`ScoreCard`.

A criterion declares, as data, the check codes that bear on what it judges
(:attr:`Criterion.listens_to`). While its scorer runs, :meth:`ScoringContext.findings`
gives it the findings of those checks; the judgement carries them, cited with their
place ("TD100 at line 57: ..."), and a finding of severity ``error`` among them keeps
the criterion below the top score, whatever the scorer said (:meth:`Criterion.judge`).

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
from ..findings import Finding, Report
from ..index import PlanIndex
from ..model import Assessment, AssessmentFile, Plan
from ..registered import report_failure
from ..registered import rubrics as registered_rubrics
from ..sourcemap import SourceMap

__all__ = [
    "Criterion",
    "CriterionResult",
    "Judgement",
    "Listen",
    "PersonScore",
    "Rubric",
    "ScoreCard",
    "ScoringContext",
    "Section",
    "SectionResult",
    "SelfAssessment",
    "cannot_judge",
    "cite",
    "judged",
    "score",
    "share_to_score",
]

Wording = Literal["seed", "completion"]

_SLUG = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_CODE = r"^[A-Z]{2,8}[0-9]{3,4}$"


@attrs.frozen
class SelfAssessment:
    """The city's own score for what a criterion judges, as the plan records it.

    ``score`` is 1 to 5; ``where`` names the place in the plan
    (``integration.types.territorial``, ``integration.aspects[6].baseline``); ``note``
    is the city's own words about it, if any. A judgement that took a self-assessment
    into account carries it, so that a scorecard can show both where they disagree.
    """

    score: int
    where: str
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.score <= 5:
            raise ValueError(f"a self-assessed score is 1 to 5, got {self.score}")


@attrs.frozen
class Judgement:
    """What an automatic scorer concluded: a score (or None), why, and what it looked at.

    ``elements`` name the plan elements the scorer read: ids such as ``A1``, or places
    such as ``meetings[2]`` and ``context.current_situation``; any short text that lets
    a reader find what the scorer looked at in the plan file will do, but never the
    plan's free text itself. ``findings`` are the check findings the criterion listens
    to (set by :meth:`Criterion.judge`; a scorer need not fill them in).
    ``self_assessment`` is the city's own score for the same thing, when the scorer
    took one into account.
    """

    score: int | None
    reason: str
    elements: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    self_assessment: SelfAssessment | None = None

    def __attrs_post_init__(self) -> None:
        if self.score is not None and not 1 <= self.score <= 5:
            raise ValueError(f"a score is 1 to 5, got {self.score}")

    @property
    def disagrees(self) -> bool:
        """True when the city's self-assessment and the automatic score differ."""
        sa = self.self_assessment
        return sa is not None and self.score is not None and sa.score != self.score

    def evidence(self) -> list[str]:
        """The reason, then each finding cited with its place, then the self-assessment."""
        out = [self.reason]
        out.extend(cite(f) for f in self.findings)
        sa = self.self_assessment
        if sa is not None:
            note = f": {sa.note}" if sa.note else ""
            out.append(f"the city's own self-assessment ({sa.where}): {sa.score}/5{note}")
        return out

    def to_json(self) -> dict[str, Any]:
        """The ``automatic`` object of a criterion in ``score --format json``."""
        sa = self.self_assessment
        return {
            "score": self.score,
            "reason": self.reason,
            "elements": list(self.elements),
            "findings": [f.to_json() | {"cited": cite(f)} for f in self.findings],
            "self_assessment": None if sa is None else {"score": sa.score, "where": sa.where, "note": sa.note},
        }


def _check_judgement(judgement: object) -> None:
    """Refuse what a scorer returned unless it is a :class:`Judgement` whose fields have their types.

    A plugin's scorer that returns garbage (a score of 3.5 or ``"5"``, a reason that is
    not text, elements that are numbers) would break every output that shows it, the
    HTML report first: the scorer is reported and its criterion left unscored instead.
    """
    if not isinstance(judgement, Judgement):
        raise TypeError(f"a scorer returns a Judgement, not {type(judgement).__name__}")
    score = judgement.score
    if score is not None and (type(score) is not int or not 1 <= score <= 5):
        raise TypeError(f"a Judgement's score is a whole number from 1 to 5 or None, not {score!r}")
    if not isinstance(judgement.reason, str):
        raise TypeError(f"a Judgement's reason is text, not {type(judgement.reason).__name__}")
    if not isinstance(judgement.elements, tuple) or not all(isinstance(e, str) for e in judgement.elements):
        raise TypeError("a Judgement's elements are a tuple of texts (ids or places)")
    if not isinstance(judgement.findings, tuple) or not all(isinstance(f, Finding) for f in judgement.findings):
        raise TypeError("a Judgement's findings are a tuple of Finding")
    sa = judgement.self_assessment
    if sa is not None and not isinstance(sa, SelfAssessment):
        raise TypeError(f"a Judgement's self_assessment is a SelfAssessment, not {type(sa).__name__}")


def judged(
    score: int,
    reason: str,
    elements: Iterable[str] = (),
    *,
    self_assessment: SelfAssessment | None = None,
) -> Judgement:
    """A judgement with a score (1 to 5).

    :param score: the level reached, as the criterion's descriptors of 1, 3 and 5 say
        (2 and 4 lie between).
    :param reason: one sentence a reader can check against the plan: what was counted
        and what was missing.
    :param elements: the plan elements looked at: ids (``A1``, ``SO2``) or places
        (``meetings[2]``, ``context.target_groups``, ``integration.aspects[6]``).
    :param self_assessment: the city's own score for the same thing, when the scorer
        took it into account.
    """
    return Judgement(score, reason, tuple(elements), self_assessment=self_assessment)


def cannot_judge(reason: str, elements: Iterable[str] = ()) -> Judgement:
    """A judgement with no score: the plan alone cannot tell, and a person has to score it.

    A criterion judged so adds nothing to its section's score or maximum, and the
    scorecard shows it as unscored until an assessor scores it.
    """
    return Judgement(None, reason, tuple(elements))


def cite(finding: Finding) -> str:
    """A finding as a scorecard cites it: ``TD100 at line 57: <message> (error)``.

    The place is the line of the plan file when the plan was read from one (or a
    workbook's sheet and cell), else the JSON pointer.
    """
    loc = finding.location
    if loc is not None and loc.detail:
        where = f" at {loc.detail}"
    elif loc is not None and loc.line is not None:
        where = f" at line {loc.line}"
    elif finding.pointer:
        where = f" at {finding.pointer}"
    else:
        where = ""
    return f"{finding.code}{where}: {finding.message} ({finding.severity})"


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
    """What a scorer sees: the plan, its index, its check findings and its text.

    One context serves every criterion of every rubric scored on the same plan: the
    findings and the text are computed once, on first use. :func:`score_with` makes
    one when none is given; pass your own to share it across rubrics.

    - ``plan``: the :class:`~techdiversity.model.Plan`.
    - ``index``: its :class:`~techdiversity.index.PlanIndex` (ids, kinds, links).
    - ``report``: the :class:`~techdiversity.findings.Report` of every registered check
      (built-in and plugins'), computed on first use.
    - :meth:`findings`: the findings the criterion being judged listens to.
    - :meth:`text`: the plan's free text, lower-cased, for keyword evidence.
    - ``criterion``: the :class:`Criterion` being judged, or None outside a scorer.
    """

    __slots__ = ("__dict__", "criterion", "index", "plan")

    def __init__(self, plan: Plan, index: PlanIndex | None = None, report: Report | None = None) -> None:
        self.plan = plan
        self.index = index if index is not None else PlanIndex.of(plan)
        self.criterion: Criterion | None = None
        if report is not None:
            self.__dict__["report"] = report

    @functools.cached_property
    def report(self) -> Report:
        """The check findings of the plan (all registered checks), computed once."""
        from ..checks import run_checks

        return run_checks(self.plan)

    @functools.cached_property
    def _by_code(self) -> dict[str, list[tuple[int, Finding]]]:
        out: dict[str, list[tuple[int, Finding]]] = {}
        for i, f in enumerate(self.report):
            out.setdefault(f.code, []).append((i, f))
        return out

    def findings(self, *codes: str) -> tuple[Finding, ...]:
        """The findings that bear on the criterion being judged, in file order.

        With no argument: every finding the running criterion listens to (its
        :attr:`Criterion.listens_to`). With codes: only those codes, which must be
        among the criterion's own, so that what a scorer reads and what the criterion
        declares cannot drift apart (a :class:`ValueError` otherwise).

        Outside a scorer (no criterion being judged), codes are required, and the
        findings of those codes in the whole report are returned.
        """
        criterion = self.criterion
        if criterion is None:
            if not codes:
                raise RuntimeError("ScoringContext.findings() without codes is for use inside a scorer")
            listens: tuple[Listen, ...] = tuple(Listen(c) for c in dict.fromkeys(codes))
        else:
            listens = criterion.listens_to
            if codes:
                unknown = [c for c in codes if c not in criterion.codes]
                if unknown:
                    raise ValueError(
                        f"criterion {criterion.id!r} does not listen to {', '.join(unknown)};"
                        " add the code to its listens_to"
                    )
                listens = tuple(x for x in listens if x.code in codes)
        found: dict[int, Finding] = {}
        for listen in listens:
            for i, f in self._by_code.get(listen.code, ()):
                if listen.matches(f):
                    found[i] = f
        return tuple(found[i] for i in sorted(found))

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


def _str_tuple(value: Iterable[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Listen:
    """A check a criterion listens to: its code, and optionally the fields it bears on.

    ``Listen("TD104")`` hears every finding of TD104. ``fields`` narrows a check that
    reports on many parts of the plan to the parts the criterion judges:
    ``Listen("TD100", fields=("lead", "partners"))`` hears a dangling link only when
    the finding's JSON pointer passes through one of those fields
    (``/actions/2/partners/0``). In :attr:`Criterion.listens_to` a plain code string
    stands for ``Listen(code)``.
    """

    code: str = attrs.field(validator=attrs.validators.matches_re(_CODE))
    fields: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def matches(self, finding: Finding) -> bool:
        """True when this finding is one the criterion hears."""
        if finding.code != self.code:
            return False
        if not self.fields:
            return True
        segments = finding.pointer.split("/")
        return any(f in segments for f in self.fields)

    def __str__(self) -> str:
        return self.code if not self.fields else f"{self.code} ({', '.join(self.fields)})"


def _to_listens(value: Iterable[str | Listen] | str) -> tuple[Listen, ...]:
    if isinstance(value, str):
        value = (value,)
    return tuple(v if isinstance(v, Listen) else Listen(v) for v in value)


@attrs.frozen
class Criterion:
    """One criterion of a rubric.

    :param id: a slug, unique in its rubric (``use-of-indicators``); assessment files
        name criteria by it.
    :param title: the criterion as the source grid words it.
    :param levels: the descriptors of scores 1, 3 and 5 ("Indications for scoring");
        2 and 4 lie between.
    :param scorer: a function of a :class:`ScoringContext` returning a
        :class:`Judgement`; None for a criterion only people score.
    :param wording: ``"seed"`` when the title and levels are the source document's
        own words, ``"completion"`` when this library (or your plugin) completed or
        paraphrased them, as where a grid has no descriptors. Scorecards and listings
        mark completions ``[completion]`` and the seed's words ``[seed]``.
    :param method: one or two sentences telling a reader how the automatic scorer
        judges (shown in ``techdiversity rubrics`` and the rubric reference).
    :param listens_to: the check codes that bear on what the criterion judges, as
        codes (``"TD104"``) or :class:`Listen` objects narrowed to fields. Their
        findings reach the scorer through :meth:`ScoringContext.findings`, are cited
        in the judgement's evidence, and one of severity ``error`` keeps the criterion
        below the top score (see :meth:`judge`).
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_SLUG))
    title: str
    levels: tuple[str, str, str] = attrs.field(validator=_levels)
    scorer: Scorer | None = attrs.field(default=None, eq=False, repr=False)
    wording: Wording = "seed"
    method: str = ""
    listens_to: tuple[Listen, ...] = attrs.field(default=(), converter=_to_listens)

    @property
    def codes(self) -> tuple[str, ...]:
        """The check codes of :attr:`listens_to`, each once, in order."""
        return tuple(dict.fromkeys(x.code for x in self.listens_to))

    def levels_json(self) -> dict[str, str]:
        """Descriptors by score, 2 and 4 included as 'between' levels."""
        one, three, five = self.levels
        return {"1": one, "2": "between 1 and 3", "3": three, "4": "between 3 and 5", "5": five}

    def judge(self, ctx: ScoringContext) -> Judgement | None:
        """Run the scorer on a context, with the findings this criterion listens to.

        The scorer runs with ``ctx.criterion`` set to this criterion, so that
        ``ctx.findings()`` gives it the findings of :attr:`listens_to`. The judgement
        returned carries those findings (cited in its evidence). The rule every rubric
        shares: when one of them has severity ``error``, a score of 5 is lowered to 4,
        and the reason says which finding kept it there. A scorer may land lower, as
        its grid's descriptors say; it can never reach the top with an error in what
        it judges. Returns None for a criterion without a scorer; whatever the scorer
        raises propagates (:func:`score_with` reports it and goes on).
        """
        if self.scorer is None:
            return None
        previous = ctx.criterion
        ctx.criterion = self
        try:
            judgement = self.scorer(ctx)
            heard = ctx.findings() if self.listens_to else ()
        finally:
            ctx.criterion = previous
        _check_judgement(judgement)
        errors = sorted({f.code for f in heard if f.severity == "error"})
        if judgement.score == 5 and errors:
            judgement = attrs.evolve(
                judgement,
                score=4,
                reason=f"{judgement.reason}; held below 5 by the error(s) the checks report: {', '.join(errors)}",
            )
        if heard and not judgement.findings:
            judgement = attrs.evolve(judgement, findings=heard)
        return judgement


@attrs.frozen
class Section:
    """A numbered section of a rubric (``1 - PROCESS OF ACTION PLAN``).

    :param id: short and unique in the rubric (``"1"``, ``"canvas"``); scorecards show
        it before the title.
    :param title: as the source words it.
    :param criteria: the criteria, in the order scorecards show them.
    :param wording: ``"seed"`` or ``"completion"``, as for :class:`Criterion`, for the
        section title.
    """

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    wording: Wording = "seed"


@attrs.frozen
class Rubric:
    """A named, versioned rubric: sections of criteria.

    :param name: a slug, unique across plugins (``urbact-iap``): ``--rubric NAME``,
        :func:`score` and assessment files name the rubric by it. A later plugin that
        reuses a taken name loses that rubric (the built-in plugin loads first, then
        entry points in name order).
    :param title: one line for listings and scorecards.
    :param version: the rubric's own version; assessments do not check it.
    :param sections: the sections, in order; criterion ids must be unique across them.
    :param description: a paragraph for the rubric reference.
    :param source: the document the rubric comes from, so that a reader can check the
        ``seed`` wording against it.
    :param plugin: set by the host to the plugin that contributed it.
    """

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
    """A score given by a person (from an assessment file): who, the score, their comment and the date."""

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

    @property
    def disagreements(self) -> tuple[str, ...]:
        """Where the scores beside the automatic one differ from it, as short phrases.

        The city's own self-assessment (when the scorer took one into account) and
        each assessor's score are compared with the automatic score.
        """
        auto = self.automatic
        if auto is None or auto.score is None:
            return ()
        out = []
        sa = auto.self_assessment
        if sa is not None and sa.score != auto.score:
            out.append(f"the city's self-assessment says {sa.score}, the plan's evidence {auto.score}")
        out.extend(
            f"{p.assessor} scores {p.score}, the automatic score is {auto.score}"
            for p in self.people
            if p.score != auto.score
        )
        return tuple(out)

    def evidence(self) -> list[str]:
        """The automatic judgement's evidence (reason, cited findings, self-assessment), then people's."""
        out: list[str] = []
        if self.automatic is not None:
            out.extend(self.automatic.evidence())
        out.extend(f"{p.assessor}: {p.evidence}" for p in self.people if p.evidence)
        return out

    def to_json(self) -> dict[str, Any]:
        auto = self.automatic
        return {
            "id": self.criterion.id,
            "title": self.criterion.title,
            "score": self.score,
            "max": 5,
            "source": self.source,
            "evidence": self.evidence(),
            "levels": self.criterion.levels_json(),
            "wording": self.criterion.wording,
            "listens_to": [str(x) for x in self.criterion.listens_to],
            "automatic": None if auto is None else auto.to_json(),
            "assessments": [
                {"assessor": p.assessor, "score": p.score, "evidence": p.evidence, "date": p.date} for p in self.people
            ],
            "disagreements": list(self.disagreements),
        }


@attrs.frozen
class SectionResult:
    """A section's criteria results. ``score`` adds the scored criteria; ``max`` is 5 each.

    A criterion with no score (the plan alone cannot tell and no assessor scored it)
    counts in neither: ``unscored`` says how many there are.
    """

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
    """A plan scored with one rubric: its sections' results, and who assessed it.

    ``total`` adds the sections' scores and ``max`` their maxima (5 for each criterion
    that has a score); :meth:`to_json` is what ``techdiversity score --format json``
    prints. ``repr()`` is a one-line summary; in a notebook it shows as a table
    (``_repr_html_``).
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
        from ..display import scorecard_repr

        return scorecard_repr(self)

    def _repr_html_(self) -> str:
        from ..display import scorecard_html

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

    ``context`` is the :class:`ScoringContext` to score in; pass the same one for every
    rubric of a plan so that the checks its criteria listen to run once. Each
    criterion is judged with :meth:`Criterion.judge`; a scorer that raises is reported
    (with its plugin's name) and its criterion left to assessors.

    Assessments for another rubric are ignored here; an assessment of this rubric for
    another plan, or naming a criterion the rubric does not have, raises
    :class:`~techdiversity.PlanError` with the assessment file's places.
    """
    from ..gcpause import paused_for_plan

    with paused_for_plan(plan):
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
                    auto = criterion.judge(ctx)
                except (Exception, SystemExit) as exc:  # noqa: BLE001 - a plugin's scorer must not take the host down
                    what = f"called sys.exit({exc.code!r})" if isinstance(exc, SystemExit) else "raised"
                    report_failure(
                        rubric.plugin,
                        f"its scorer {what} {type(exc).__name__}: {exc}; an assessor can still score it",
                        f"the automatic score of {rubric.name}/{criterion.id}",
                    )
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
    found: dict[str, Rubric] = {r.name: r for r in registered_rubrics()}
    if rubric not in found:
        raise KeyError(f"no rubric named {rubric!r}; known: {', '.join(sorted(found))}")
    return score_with(plan, found[rubric], assessments)
