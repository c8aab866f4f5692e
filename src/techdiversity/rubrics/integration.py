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

The types are scored by the city itself: the automatic scorer reports the score the
city recorded in ``integration.types`` with its description of the situation as
evidence, and cannot judge a type the city has not scored. The aspects are scored
from how fully the city filled in its row of the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from ..model import IntegrationAspect
from . import (
    Criterion,
    Judgement,
    Rubric,
    ScoringContext,
    Section,
    cannot_judge,
    judged,
)

__all__ = ["RUBRIC"]


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------
# Types of integration (the URBACT self-assessment tool)


def _type_scorer(kind: str) -> Callable[[ScoringContext], Judgement]:
    def scorer(ctx: ScoringContext) -> Judgement:
        integration = ctx.plan.integration
        entry = integration.types.get(kind) if integration is not None else None
        place = f"integration.types.{kind}"
        if entry is None:
            return cannot_judge(f"the city has not self-assessed the {kind} type of integration", ["integration.types"])
        elements = [place] + ([f"{place}.situation"] if entry.situation else [])
        elements += [f"{place}.progress"] if entry.progress else []
        if entry.score is None:
            return cannot_judge(
                f"the self-assessment of the {kind} type describes the situation but records no score", elements
            )
        situation = f": {_clip(entry.situation)}" if entry.situation else " (no description of the situation)"
        progress = f"; progress that can be made: {_clip(entry.progress)}" if entry.progress else ""
        reason = f"the city's self-assessment scores it {entry.score}/5{situation}{progress}"
        return judged(entry.score, reason, elements)

    scorer.__name__ = f"type_{kind.replace('-', '_')}"
    return scorer


# ---------------------------------------------------------------------------
# The 12 aspects of integrated urban development


def _aspect_scorer(slug: str) -> Callable[[ScoringContext], Judgement]:
    def scorer(ctx: ScoringContext) -> Judgement:
        plan = ctx.plan
        rows = [(i, a) for i, a in enumerate(plan.integration.aspects if plan.integration else ()) if a.aspect == slug]
        tagged = [a.id for a in plan.actions if slug in a.integration_aspects]
        note = f"; {len(tagged)} action(s) marked with this aspect" if tagged else ""
        if not rows:
            return judged(1, "not considered: the aspect is missing from the table of the 12 aspects" + note, tagged)
        # a plan that lists an aspect twice is scored on its fullest row
        scored = [(_aspect_points(a), i, a) for i, a in rows]
        points, i, row = max(scored, key=lambda t: t[0])
        elements = [f"integration.aspects[{i}]", *tagged]
        if row.relevant is None:
            return judged(2, "listed, but relevance is not decided yet" + note, elements)
        if row.relevant is False:
            if row.why:
                return judged(5, f"argued not relevant: {_clip(row.why)}" + note, elements)
            return judged(3, "marked not relevant, without saying why" + note, elements)
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
        baseline = f" (baseline {row.baseline}/5)" if row.baseline is not None else ""
        reason = f"relevant; {', '.join(given) or 'nothing'} given{baseline}" + (
            f", {', '.join(missing)} missing" if missing else ""
        )
        return judged(points, reason + note, elements)

    scorer.__name__ = f"aspect_{slug.replace('-', '_')}"
    return scorer


def _aspect_points(row: IntegrationAspect) -> int:
    if row.relevant is None:
        return 2
    if row.relevant is False:
        return 5 if row.why else 3
    return 2 + sum(1 for given in (bool(row.why), row.baseline is not None, bool(row.future_actions)) if given)


def _c(
    ident: str,
    title: str,
    levels: tuple[str, str, str],
    scorer: Callable[[ScoringContext], Judgement],
    method: str,
    wording: Literal["seed", "completion"] = "completion",
) -> Criterion:
    return Criterion(ident, title, levels, scorer, wording, method)


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
    "not considered: missing from the table of the 12 aspects",
    "considered but not argued: relevant with one of why, baseline or future actions, or not relevant without"
    " saying why",
    "fully argued: relevant with why, a baseline self-assessment and future actions for integration, or argued"
    " not relevant",
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
                    "The city's own self-assessment (integration.types): its recorded score, with its description"
                    " of the current situation as evidence; cannot judge a type the city has not scored.",
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
                    "The aspect's row in integration.aspects: missing 1; undecided 2; not relevant 3, or 5 with a"
                    " why; relevant 2 plus one point each for why, baseline and future actions.",
                )
                for slug, title in _ASPECT_TITLES.items()
            ),
        ),
    ),
)
