"""Evidence that several built-in rubrics read from a plan, and the city's self-assessment.

The types of integration of the URBACT self-assessment tool are judged twice: by the
``urbact-iap`` grid (section 3, the reviewer's view: what the plan shows) and by the
``integration`` rubric (the city's own view: its self-assessed score). Both read the
same evidence, from the functions here, so that they cannot drift apart; each function
returns a :class:`~techdiversity.rubrics.Judgement` of the evidence alone.

How a self-assessment is taken into account (both directions are explained in the
evidence, and the scorecard shows both scores where they differ):

- evidence first (:func:`evidence_first`, the ``urbact-iap`` grid): the plan's evidence
  decides, but never more than one level above the city's own score. A city that rates
  its territorial integration 2/5 has a plan that can take it to 3, not to 5.
- self-assessment first (:func:`self_first`, the ``integration`` rubric): the city's
  score stands, but never more than one level above what the plan's evidence shows.

Functions that read check findings name the codes they read in a ``*_LISTENS``
tuple; every criterion that calls one declares those codes in its ``listens_to``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

import attrs

from ..model import IntegrationAspect, Plan
from ..vocab import PARTICIPATION
from . import Criterion, Judgement, Listen, ScoringContext, SelfAssessment, judged, share_to_score

__all__ = [
    "HARD_SOFT_LISTENS",
    "HORIZONTAL_LISTENS",
    "POLICY_SECTOR_LISTENS",
    "TIMING_LISTENS",
    "aspect_row",
    "aspect_self",
    "criterion",
    "evidence_first",
    "hard_and_soft",
    "horizontal",
    "policy_sector",
    "self_first",
    "sustainable_development",
    "territorial",
    "timings",
    "type_self",
    "vertical",
]


def criterion(
    ident: str,
    title: str,
    levels: tuple[str, str, str],
    scorer: Callable[[ScoringContext], Judgement] | None,
    method: str,
    wording: Literal["seed", "completion"] = "completion",
    listens: Sequence[str | Listen] = (),
) -> Criterion:
    """A criterion of a built-in rubric, its fields in the order the rubric modules write them."""
    return Criterion(ident, title, levels, scorer, wording, method, listens)


def clip(text: str, limit: int = 160) -> str:
    """Text on one line, at most ``limit`` characters (an ellipsis when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def share(done: int, total: int) -> float:
    return done / total if total else 0.0


def shared(function: Callable[[ScoringContext], Judgement]) -> Callable[[ScoringContext], Judgement]:
    """Evidence computed once per scoring context, for the criteria of both rubrics that read it.

    Every criterion that reads a shared evidence function declares the same checks (the
    function's ``*_LISTENS``), so the judgement is the same whichever criterion asks first.
    """

    @functools.wraps(function)
    def once(ctx: ScoringContext) -> Judgement:
        cache: dict[str, Judgement] = ctx.__dict__.setdefault("_shared_evidence", {})
        if function.__name__ not in cache:
            cache[function.__name__] = function(ctx)
        return cache[function.__name__]

    return once


def heard_subjects(ctx: ScoringContext, *codes: str) -> set[str]:
    """The ids the findings of these codes (among the criterion's own) are about."""
    return {s for f in ctx.findings(*codes) for s in f.subjects}


# ---------------------------------------------------------------------------
# The city's self-assessment


def type_self(plan: Plan, kind: str) -> SelfAssessment | None:
    """The city's score for a type of integration (``integration.types``), or None."""
    entry = plan.integration.types.get(kind) if plan.integration is not None else None
    if entry is None or entry.score is None:
        return None
    note = clip(entry.situation, 120) if entry.situation else None
    return SelfAssessment(entry.score, f"integration.types.{kind}", note)


def aspect_row(plan: Plan, slug: str) -> tuple[int, IntegrationAspect] | None:
    """The fullest row of the table of the 12 aspects for this aspect, with its index."""
    rows = [(i, a) for i, a in enumerate(plan.integration.aspects if plan.integration else ()) if a.aspect == slug]
    if not rows:
        return None

    def fullness(row: tuple[int, IntegrationAspect]) -> tuple[int, int]:
        a = row[1]
        return (
            sum(1 for x in (a.relevant is not None, a.why, a.baseline is not None, a.future_actions) if x),
            -row[0],
        )

    return max(rows, key=fullness)


def aspect_self(plan: Plan, slug: str) -> SelfAssessment | None:
    """The city's baseline for one of the 12 aspects, when it marked it relevant and scored it."""
    found = aspect_row(plan, slug)
    if found is None:
        return None
    i, row = found
    if row.baseline is None or row.relevant is False:
        return None
    note = clip(row.why, 120) if row.why else None
    return SelfAssessment(row.baseline, f"integration.aspects[{i}].baseline", note)


def evidence_first(evidence: Judgement, sa: SelfAssessment | None) -> Judgement:
    """The evidence's score, at most one level above the city's own (see the module docs)."""
    if sa is None or evidence.score is None:
        return evidence
    score = min(evidence.score, sa.score + 1)
    reason = evidence.reason
    if score < evidence.score:
        reason += (
            f"; the plan's evidence alone would give {evidence.score}, but the city scores itself {sa.score}/5"
            " and a plan is credited at most one level above the city's own score"
        )
    return attrs.evolve(evidence, score=score, reason=reason, self_assessment=sa)


def self_first(evidence: Judgement, sa: SelfAssessment) -> Judgement:
    """The city's score, at most one level above what the plan's evidence shows."""
    assert evidence.score is not None
    score = min(sa.score, evidence.score + 1)
    note = f" ({sa.note})" if sa.note else ""
    reason = f"the city's self-assessment scores it {sa.score}/5{note}; the plan's evidence: {evidence.reason}"
    if score < sa.score:
        reason += f", which bears out {evidence.score}, so at most {score}"
    return attrs.evolve(evidence, score=score, reason=reason, self_assessment=sa)


# ---------------------------------------------------------------------------
# The types of integration, from the plan's evidence

#: Links to stakeholders of actions: a dangling or wrong-kind lead or partner.
_PEOPLE_LINKS = (Listen("TD100", ("lead", "partners")), Listen("TD101", ("lead", "partners")))
POLICY_SECTOR_LISTENS: tuple[Listen, ...] = _PEOPLE_LINKS
HORIZONTAL_LISTENS: tuple[Listen, ...] = (*_PEOPLE_LINKS, Listen("TD402"))
HARD_SOFT_LISTENS: tuple[Listen, ...] = (Listen("TD401"),)
TIMING_LISTENS: tuple[Listen, ...] = (
    Listen("TD108"),
    Listen("TD300"),
    Listen("TD301"),
    Listen("TD302"),
    Listen("TD100", ("depends_on",)),
    Listen("TD101", ("depends_on",)),
)


def _stakeholder_type(ctx: ScoringContext, ident: str | None) -> str | None:
    if ident is None or ctx.index.kind_of.get(ident) != "stakeholder":
        return None
    t: str | None = ctx.index.by_id[ident].type
    return t


@shared
def policy_sector(ctx: ScoringContext) -> Judgement:
    """Sectors (stakeholder types) leading and partnering actions, and actions joining them up."""
    plan = ctx.plan
    bad = heard_subjects(ctx, "TD100", "TD101")
    types: set[str] = set()
    joined: list[str] = []
    for a in plan.actions:
        mine = {t for t in (_stakeholder_type(ctx, p) for p in (a.lead, *a.partners)) if t}
        types |= mine
        if len(mine) >= 2:
            joined.append(a.id)
    sectoral = [a.id for a in plan.actions if "sectoral-integration" in a.integration_aspects]
    k = len(types)
    if k <= 1:
        score = 1
    elif k == 2:
        score = 2
    elif k == 3 or not joined:
        score = 3
    elif share(len(joined), len(plan.actions)) >= 0.5 and sectoral:
        score = 5
    else:
        score = 4
    reason = (
        f"actions involve {k} types of stakeholders ({', '.join(sorted(types)) or 'none'});"
        f" {len(joined)}/{len(plan.actions)} actions join up two or more of them;"
        f" {len(sectoral)} action(s) marked for sectoral integration"
    )
    if bad:
        reason += f"; links to stakeholders that do not exist in {', '.join(sorted(bad & set(ctx.index.by_id)))}"
    return judged(score, reason, sorted({*joined, *sectoral}))


@shared
def horizontal(ctx: ScoringContext) -> Judgement:
    """Local partnerships around the actions, and whether every stakeholder takes part."""
    plan = ctx.plan
    if not plan.actions:
        return judged(1, "no actions, so no local partnerships around them", [])
    valid = {s.id for s in plan.stakeholders}
    partnered = [a.id for a in plan.actions if any(p in valid for p in a.partners)]
    engaged = [s.id for s in plan.stakeholders if s.participation and PARTICIPATION.index(s.participation) >= 2]
    unused = sorted(heard_subjects(ctx, "TD402"))
    dangling = sorted(heard_subjects(ctx, "TD100", "TD101") - set(ctx.index.by_id))
    score = share_to_score(share(len(partnered), len(plan.actions)))
    if score == 5 and (len(engaged) < 3 or unused):
        score = 4
    reason = (
        f"{len(partnered)}/{len(plan.actions)} actions have local partners; {len(engaged)} stakeholders cooperate"
        " or more"
    )
    if unused:
        reason += f"; not brought together: {', '.join(unused)} take(s) part in no action and no meeting"
    if dangling:
        reason += f"; partners named but not in the plan: {', '.join(dangling)}"
    return judged(score, reason, partnered + engaged)


_UPWARD = ("regional", "national", "erdf", "esf-plus", "cohesion-fund", "interreg", "horizon-europe")
_EU = ("erdf", "esf-plus", "cohesion-fund", "interreg", "horizon-europe")


@shared
def vertical(ctx: ScoringContext) -> Judgement:
    """Alignment with wider strategies and funding from higher levels of government."""
    plan = ctx.plan
    strategies = list(plan.context.related_strategies) if plan.context else []
    upward = sorted({r.source for a in plan.actions for r in a.resources if r.source in _UPWARD})
    eu = [s for s in upward if s in _EU]
    national = [s for s in upward if s not in _EU]
    found = aspect_row(plan, "multi-level-governance")
    mlg = found is not None and found[1].relevant is True and bool(found[1].future_actions)
    points = (
        (1 if strategies else 0)
        + (1 if len(strategies) >= 2 else 0)
        + (1 if upward else 0)
        + (1 if eu and national and mlg else 0)
    )
    elements = [f"context.related_strategies[{i}]" for i in range(len(strategies))] + [f"funding: {s}" for s in upward]
    return judged(
        1 + points,
        f"{len(strategies)} related strategies; funding from higher levels: {', '.join(upward) or 'none'};"
        f" multi-level governance arrangements {'planned' if mlg else 'not planned'} in the table of the 12 aspects",
        elements,
    )


_WIDER_AREA = (
    "metropolitan",
    "neighbouring",
    "neighboring",
    "adjacent",
    "functional urban",
    "inter-municipal",
    "intermunicipal",
    "region",
    "county",
    "surrounding",
)


def _action_text(a: object) -> str:
    parts = [getattr(a, f) or "" for f in ("title", "description", "intended_results", "implementation_notes")]
    return " ".join(parts).lower()


@shared
def territorial(ctx: ScoringContext) -> Judgement:
    """Cooperation beyond the city's borders: named in the plan, carried by actions."""
    plan = ctx.plan
    conception = _conception_text(plan)
    mentioned = [w for w in _WIDER_AREA if w in conception]
    texts = ((a.id, _action_text(a)) for a in plan.actions)
    actions = [ident for ident, text in texts if any(w in text for w in _WIDER_AREA)]
    marked = [a.id for a in plan.actions if "territorial-integration" in a.integration_aspects]
    points = (1 if mentioned else 0) + min(len(actions), 2) + (1 if marked else 0)
    return judged(
        min(5, 1 + points),
        f"the wider area named in the plan's context and objectives: {'yes' if mentioned else 'no'};"
        f" actions that work beyond the city: {', '.join(actions) or 'none'};"
        f" actions marked for territorial integration: {', '.join(marked) or 'none'}",
        sorted({*actions, *marked}),
    )


@shared
def hard_and_soft(ctx: ScoringContext) -> Judgement:
    """Physical and human investments, and whether they are integrated (in one action, or ERDF + ESF+)."""
    plan = ctx.plan
    resources = [(a.id, r) for a in plan.actions for r in a.resources]
    if not resources:
        return judged(1, "no resources recorded", [])

    def hard(r: object) -> bool:
        kind, source = getattr(r, "kind", None), getattr(r, "source", None)
        return kind in ("equipment", "premises") or (kind == "budget" and source in ("erdf", "cohesion-fund"))

    def soft(r: object) -> bool:
        kind, source = getattr(r, "kind", None), getattr(r, "source", None)
        return kind == "staff" or (kind == "budget" and source == "esf-plus")

    hard_actions = sorted({aid for aid, r in resources if hard(r)})
    soft_actions = sorted({aid for aid, r in resources if soft(r)})
    both = sorted(set(hard_actions) & set(soft_actions))
    sources = {r.source for _, r in resources}
    erdf_esf = "erdf" in sources and "esf-plus" in sources
    if not hard_actions or not soft_actions:
        score = 1 if not (hard_actions or soft_actions) else 2
    elif both and erdf_esf:
        score = 5
    elif both or erdf_esf:
        score = 4
    else:
        score = 3
    missing = sorted(heard_subjects(ctx, "TD401"))
    reason = (
        f"physical investments in {len(hard_actions)} action(s), human resources in {len(soft_actions)};"
        f" both in the same action: {', '.join(both) or 'none'}; ERDF {'yes' if 'erdf' in sources else 'no'},"
        f" ESF+ {'yes' if 'esf-plus' in sources else 'no'}"
    )
    if missing:
        reason += f"; actions without resources: {', '.join(missing)}"
        score = min(score, 4)
    return judged(score, reason, sorted({*hard_actions, *soft_actions}))


# ---------------------------------------------------------------------------
# Sustainable development: economic, social and environmental factors

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "economic": ("econom", "job", "employ", "business", "entrepreneur", "income", "startup", "start-up", "labour"),
    "social": ("social", "inclusi", "equal", "divers", "community", "cohesion", "vulnerable"),
    "environmental": ("environment", "green", "climate", "energy", "sustainab", "mobility", "emission", "commut"),
}


def _conception_text(plan: Plan) -> str:
    """The plan's conception: context, vision, goal, problems and objectives, lower-cased."""
    parts: list[str | None] = [plan.strategic_goal]
    if plan.context is not None:
        c = plan.context
        parts += [c.theme, c.current_situation, *c.integration_challenges]
    if plan.vision is not None:
        parts += [plan.vision.headline, plan.vision.text]
    for p in plan.problems:
        parts.append(p.statement)
        parts += [x for e in p.evidence for x in (e.source, e.finding)]
    for o in plan.objectives:
        parts += [o.title, o.description]
    return "\n".join(x for x in parts if x).lower()


def _delivery_text(plan: Plan) -> str:
    parts: list[str | None] = []
    for a in plan.actions:
        parts += [a.title, a.description, a.intended_results, a.long_term_change, a.implementation_notes, *a.outputs]
    return "\n".join(x for x in parts if x).lower()


def _dimensions(text: str) -> list[str]:
    return [dim for dim, words in DIMENSIONS.items() if any(w in text for w in words)]


def sustainable_development(ctx: ScoringContext) -> Judgement:
    """Economic, social and environmental factors, in the plan's conception and in its actions."""
    plan = ctx.plan
    conceived = _dimensions(_conception_text(plan))
    delivered = _dimensions(_delivery_text(plan))
    anywhere = [d for d in DIMENSIONS if d in conceived or d in delivered]
    elements = [
        f"{d} factors in the {where}"
        for where, dims in (("conception", conceived), ("actions", delivered))
        for d in dims
    ]
    words = f"in the conception: {', '.join(conceived) or 'none'}; in the actions: {', '.join(delivered) or 'none'}"
    if len(anywhere) <= 1:
        return judged(1, f"one factor at most is considered ({words})", elements)
    if len(anywhere) == 2:
        return judged(3, f"two out of three are addressed ({words})", elements)
    if len(conceived) == 3 and len(delivered) == 3:
        return judged(
            5, f"economic, social and environmental factors in both conception and actions ({words})", elements
        )
    return judged(4, f"all three factors appear, but not in both conception and actions ({words})", elements)


# ---------------------------------------------------------------------------
# Timings


def timings(ctx: ScoringContext) -> Judgement:
    """Actions with a timescale inside the plan period, in an order their dependencies allow."""
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions", [])
    dated = [a.id for a in actions if a.timescale is not None and (a.timescale.start or a.timescale.end)]
    outside = heard_subjects(ctx, "TD300")
    late = {f.subjects[0] for f in ctx.findings("TD301") if f.subjects}  # the dependant starts too early
    cycle = heard_subjects(ctx, "TD108")
    unknown = heard_subjects(ctx, "TD100", "TD101") & {a.id for a in actions}  # depends on what is not an action
    sound = [a for a in dated if a not in outside and a not in late and a not in cycle and a not in unknown]
    if len(dated) == len(actions):
        # every action is dated: 5 when every date is sound, 4 when most are
        score = 5 if len(sound) == len(actions) else 4 if len(sound) * 2 >= len(actions) else 3
    else:
        score = min(4, share_to_score(share(len(dated), len(actions))))
    reason = f"{len(dated)}/{len(actions)} actions have a timescale"
    faults = []
    if outside:
        faults.append(f"outside the plan period: {', '.join(sorted(outside))}")
    if late:
        faults.append(f"starting before what they depend on ends: {', '.join(sorted(late))}")
    if cycle:
        faults.append(f"in a dependency cycle: {', '.join(sorted(cycle))}")
    if unknown:
        faults.append(f"depending on what is not an action of the plan: {', '.join(sorted(unknown))}")
    if faults:
        reason += "; " + "; ".join(faults)
    return judged(score, reason, dated)


def names(ids: Iterable[str]) -> str:
    items = list(ids)
    return ", ".join(items) if items else "none"


def present(pairs: Sequence[tuple[str, bool]]) -> list[str]:
    return [name for name, ok in pairs if ok]
