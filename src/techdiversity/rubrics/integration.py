"""The ``integration`` rubric: the URBACT integration self-assessment and the 12 aspects.

Both tools come from Chapter 4 of the TechDiversity 2nd Quarterly Network Report
(2024): the "URBACT TOOL for SELF ASSESSMENT" with its five types of integration and
their descriptions, and the "Table with the 12 aspects of integrated urban
development". The section titles and the criteria titles quote the report (each type
of integration with the first line of its description, each aspect with its row
title). Neither tool has level descriptors: the cities describe the current situation
and the progress that can be made, or say whether an aspect is relevant, why, a
baseline self-assessment and future actions. The descriptors of scores 1, 3 and 5
are this library's completion, built from the seed's descriptions: ``wording="completion"``.

How the automatic scorers take the city's self-assessment into account, beside the
plan's own evidence (both are shown in the evidence, and where they differ the
scorecard shows both):

- A type of integration is scored as the city scored it in ``integration.types``, but
  never more than one level above what the plan's evidence shows (the same evidence
  the ``urbact-iap`` grid reads for its section 3). A type the city has not scored
  cannot be judged: an assessor scores it.
- An aspect is scored on how far the plan takes it: relevant, argued (why), with a
  baseline and future actions, and carried by actions of the plan (actions marked
  with the aspect); findings of the checks that bear on the aspect keep it below 5;
  and it is credited at most one level above the city's own baseline. An aspect
  argued not relevant is not scored.
"""

from __future__ import annotations

from collections.abc import Callable

from . import (
    Judgement,
    Listen,
    Rubric,
    ScoringContext,
    Section,
    cannot_judge,
    judged,
)
from . import evidence as ev
from .evidence import aspect_row, aspect_self, clip, evidence_first, self_first, type_self

__all__ = ["RUBRIC"]


# ---------------------------------------------------------------------------
# Types of integration (the URBACT self-assessment tool)

_TYPE_EVIDENCE: dict[str, tuple[Callable[[ScoringContext], Judgement], tuple[Listen, ...]]] = {
    "policy-sector": (ev.policy_sector, ev.POLICY_SECTOR_LISTENS),
    "horizontal": (ev.horizontal, ev.HORIZONTAL_LISTENS),
    "vertical": (ev.vertical, ()),
    "territorial": (ev.territorial, ()),
    "hard-and-soft-investments": (ev.hard_and_soft, ev.HARD_SOFT_LISTENS),
}


def _type_scorer(kind: str) -> Callable[[ScoringContext], Judgement]:
    evidence_of = _TYPE_EVIDENCE[kind][0]

    def scorer(ctx: ScoringContext) -> Judgement:
        integration = ctx.plan.integration
        entry = integration.types.get(kind) if integration is not None else None
        place = f"integration.types.{kind}"
        evidence = evidence_of(ctx)
        if entry is None:
            return cannot_judge(
                f"the city has not self-assessed the {kind} type of integration; the plan's evidence alone"
                f" ({evidence.reason}) would give {evidence.score}",
                ["integration.types", *evidence.elements],
            )
        elements = [place] + ([f"{place}.situation"] if entry.situation else [])
        elements += [f"{place}.progress"] if entry.progress else []
        sa = type_self(ctx.plan, kind)
        if sa is None:
            return cannot_judge(
                f"the self-assessment of the {kind} type describes the situation but records no score; the plan's"
                f" evidence alone would give {evidence.score}",
                elements,
            )
        judgement = self_first(evidence, sa)
        progress = f"; progress that can be made: {clip(entry.progress)}" if entry.progress else ""
        return judged(
            judgement.score or 1,
            judgement.reason + progress,
            [*elements, *evidence.elements],
            self_assessment=sa,
        )

    scorer.__name__ = f"type_{kind.replace('-', '_')}"
    return scorer


# ---------------------------------------------------------------------------
# The 12 aspects of integrated urban development

_PEOPLE_LINKS = (Listen("TD100", ("lead", "partners")), Listen("TD101", ("lead", "partners")))
_PARTICIPANTS = (Listen("TD100", ("participants",)), Listen("TD101", ("participants",)))

#: The checks whose findings bear on an aspect: they keep it below 5.
_ASPECT_LISTENS: dict[str, tuple[Listen, ...]] = {
    "stakeholder-involvement-in-planning": (Listen("TD402"), *_PARTICIPANTS),
    "integration-over-time": ev.TIMING_LISTENS,
    "stakeholder-involvement-in-implementation": (Listen("TD400"), *_PEOPLE_LINKS),
    "cross-cutting-thematic-aspects": (Listen("TD600"),),
    "complementary-types-of-investment": (Listen("TD401"),),
    "mobilising-all-available-funding": (Listen("TD401"),),
}


def _aspect_scorer(slug: str) -> Callable[[ScoringContext], Judgement]:
    codes = tuple(dict.fromkeys(x.code for x in _ASPECT_LISTENS.get(slug, ())))

    def scorer(ctx: ScoringContext) -> Judgement:
        plan = ctx.plan
        tagged = [a.id for a in plan.actions if slug in a.integration_aspects]
        carried = (
            f"; carried by action(s) {', '.join(tagged)}" if tagged else "; no action of the plan is marked with it"
        )
        found = aspect_row(plan, slug)
        if found is None:
            if tagged:
                return judged(2, "missing from the table of the 12 aspects" + carried, tagged)
            return judged(1, "not considered: missing from the table of the 12 aspects, and no action carries it", [])
        i, row = found
        elements = [f"integration.aspects[{i}]", *tagged]
        if row.relevant is None:
            return judged(2, "listed, but relevance is not decided yet" + carried, elements)
        if row.relevant is False:
            if row.why:
                return cannot_judge(f"argued not relevant to this plan: {clip(row.why)}", elements)
            return judged(2, "marked not relevant, without saying why" + carried, elements)
        given = [
            name
            for name, ok in (
                ("why", bool(row.why)),
                ("baseline", row.baseline is not None),
                ("future actions", bool(row.future_actions)),
            )
            if ok
        ]
        missing = [n for n in ("why", "baseline", "future actions") if n not in given]
        score = 2 + (1 if row.why else 0) + (1 if row.baseline is not None and row.future_actions else 0)
        score += 1 if tagged else 0
        score = min(score, 5)
        reason = f"relevant; {', '.join(given) or 'nothing'} given" + (
            f", {', '.join(missing)} missing" if missing else ""
        )
        reason += carried
        if codes:
            heard = sorted({f.code for f in ctx.findings(*codes)})
            if heard and score == 5:
                score = 4
                reason += f"; the checks find gaps in what the aspect needs ({', '.join(heard)})"
        return evidence_first(judged(score, reason, elements), aspect_self(plan, slug))

    scorer.__name__ = f"aspect_{slug.replace('-', '_')}"
    return scorer


_c = ev.criterion


#: The five types of integration: the seed's name and description, and the levels.
_TYPES: dict[str, tuple[str, tuple[str, str, str]]] = {
    "policy-sector": (
        "Policy / Sector: Integrate economic, social and environmental challenges",
        (
            "one policy sector deals with the challenge alone",
            "economic, social and environmental challenges are named, but solutions are not joined up",
            "integrate economic, social and environmental challenges; join up solutions and minimise the effects"
            " of negative externalities",
        ),
    ),
    "horizontal": (
        "Horizontal: Develop partnerships at local level",
        (
            "the city acts alone",
            "some local partnerships, not all main actors involved",
            "develop partnerships at local level; bring together all of the main actors around a challenge",
        ),
    ),
    "vertical": (
        "Vertical: Align policies, interventions and funding upwards",
        (
            "no link to the other levels of government",
            "some alignment of policies or funding with higher levels",
            "align policies, interventions and funding upwards along the vertical chain of governance;"
            " ensure coherence and build scale",
        ),
    ),
    "territorial": (
        "Territorial: Ensure cooperation takes place between adjacent municipalities in functional urban areas",
        (
            "the city acts within its own borders only",
            "some cooperation with neighbouring municipalities",
            "ensure cooperation takes place between adjacent municipalities in functional urban areas; minimise"
            " edge effects and displacement of problems",
        ),
    ),
    "hard-and-soft-investments": (
        "Hard and soft investments: Integrate physical investments with human resources in urban regeneration",
        (
            "one kind of investment only",
            "physical and human investments both planned, but in silos",
            "integrate physical investments with human resources in urban regeneration (for instance, ERDF + ESF);"
            " avoid silos",
        ),
    ),
}

#: The seed's row titles of the table of the 12 aspects, in the order of vocab.ASPECTS.
_ASPECT_TITLES: dict[str, str] = {
    "stakeholder-involvement-in-planning": "Stakeholder involvement in planning",
    "coherence-with-existing-strategies": "Coherence with existing strategies",
    "sustainable-urban-development": "Sustainable urban development (economic, social, environmental)",
    "integration-over-time": "Integration over time",
    "stakeholder-involvement-in-implementation": "Stakeholder involvement in implementation",
    "sectoral-integration": "Sectoral integration",
    "spatial-integration": "Spatial integration",
    "territorial-integration": "Territorial integration",
    "multi-level-governance": "Multi-level governance",
    "cross-cutting-thematic-aspects": "Integration of cross-cutting thematic aspects",
    "complementary-types-of-investment": "Complementary types of investment",
    "mobilising-all-available-funding": "Mobilising all available funding",
}

_ASPECT_LEVELS = (
    "not considered: missing from the table of the 12 aspects, and no action carries it",
    "considered: relevant and argued (why), but without a baseline and future actions, or not carried by actions"
    " of the plan",
    "integrated: relevant, argued, with a baseline self-assessment and future actions, and carried by actions of"
    " the plan",
)


RUBRIC = Rubric(
    name="integration",
    title="URBACT integration self-assessment",
    version="1.0",
    description=(
        "The URBACT self-assessment tool (five types of integration) and the table of the 12 aspects of"
        " integrated urban development, as TechDiversity adapted them. Titles quote the tools; the descriptors"
        " of scores 1, 3 and 5 are this library's completion."
    ),
    source=(
        "TechDiversity 2nd Quarterly Network Report (2024), Chapter 4: URBACT TOOL for SELF ASSESSMENT;"
        " Table with the 12 aspects of integrated urban development"
    ),
    sections=(
        Section(
            "types",
            "Types of integration",
            tuple(
                _c(
                    kind,
                    title,
                    levels,
                    _type_scorer(kind),
                    "The city's own score in integration.types, at most one level above what the plan's evidence"
                    " shows (the evidence of the urbact-iap grid's section 3); cannot judge a type the city has"
                    " not scored.",
                    listens=_TYPE_EVIDENCE[kind][1],
                )
                for kind, (title, levels) in _TYPES.items()
            ),
        ),
        Section(
            "aspects",
            "12 aspects of integrated urban development",
            tuple(
                _c(
                    slug,
                    title,
                    _ASPECT_LEVELS,
                    _aspect_scorer(slug),
                    "The aspect's row in integration.aspects and the actions marked with it: missing 1;"
                    " undecided or not relevant without a why 2; relevant 2, plus one for a why, one for a"
                    " baseline with future actions, one for actions carrying it; at most 4 while the checks find"
                    " gaps in it; at most one level above the city's own baseline; not scored when argued not"
                    " relevant.",
                    listens=_ASPECT_LISTENS.get(slug, ()),
                )
                for slug, title in _ASPECT_TITLES.items()
            ),
        ),
    ),
)
