"""The ``diversity-inclusion`` rubric: who the plan is for, and whether they take part.

TechDiversity's theme is diversity and inclusion in knowledge-based digital and tech
ecosystems: creating opportunities for underrepresented groups and fostering an
inclusive environment. The INDIMAE policy lessons add what an inclusive local
strategy needs: attention to "multiple and intersecting forms of discrimination",
participation up to "empowerment by transferring control over decision-making and
resources to stakeholders", and "the collection and use of disaggregated data and
statistics". Neither source is a grid with levels: every title and descriptor of this
rubric is this library's completion (``wording="completion"``).
"""

from __future__ import annotations

from . import (
    Judgement,
    Rubric,
    ScoringContext,
    Section,
    judged,
    share_to_score,
)
from .evidence import criterion as _c

__all__ = ["RUBRIC", "RUNG_SCORES"]

#: The participation ladder as scores: inform 1, consult 2, cooperate 3, decide and partner 4, empower 5.
RUNG_SCORES: dict[str, int] = {
    "inform": 1,
    "consult": 2,
    "cooperate": 3,
    "decide": 4,
    "partner": 4,
    "empower": 5,
}

_WOMEN = ("women", "woman", "girl", "female")
_GENDER = ("gender", "sex")


def _share(done: int, total: int) -> float:
    return done / total if total else 0.0


def _named(ctx: ScoringContext) -> tuple[str, ...]:
    return ctx.plan.context.target_groups if ctx.plan.context is not None else ()


def target_groups_named(ctx: ScoringContext) -> Judgement:
    groups = _named(ctx)
    score = 1 if not groups else 3 if len(groups) == 1 else 5
    what = ", ".join(groups) if groups else "none"
    return judged(
        score, f"{len(groups)} target group(s) named in context.target_groups: {what}", ["context.target_groups"]
    )


def target_groups_served(ctx: ScoringContext) -> Judgement:
    groups = _named(ctx)
    if not groups:
        return judged(1, "no target groups are named, so none can be served", ["context.target_groups"])
    plan = ctx.plan
    serving: dict[str, list[str]] = {g: [] for g in groups}
    for ident, targets in [(o.id, o.target_groups) for o in plan.objectives] + [
        (a.id, a.target_groups) for a in plan.actions
    ]:
        for g in targets:
            if g in serving:
                serving[g].append(ident)
    served = [g for g in groups if serving[g]]
    unserved = [g for g in groups if not serving[g]]
    reason = f"{len(served)}/{len(groups)} named target groups are served by an objective or action"
    if unserved:
        reason += f"; not served: {', '.join(unserved)}"
    elements = ["context.target_groups", *sorted({i for g in served for i in serving[g]})]
    return judged(share_to_score(_share(len(served), len(groups))), reason, elements)


def intersectionality(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    objectives = [o.id for o in plan.objectives if len(set(o.target_groups)) >= 2]
    actions = [a.id for a in plan.actions if len(set(a.target_groups)) >= 2]
    elements = objectives + actions
    if objectives and actions:
        return judged(
            5,
            f"objectives ({', '.join(objectives)}) and actions ({', '.join(actions)}) address two or more target"
            " groups together",
            elements,
        )
    if actions:
        return judged(3, f"only actions ({', '.join(actions)}) address two or more target groups together", elements)
    if objectives:
        return judged(
            3, f"only objectives ({', '.join(objectives)}) address two or more target groups together", elements
        )
    return judged(1, "no objective or action addresses two or more target groups together", ["objectives", "actions"])


def participation_of_represented_groups(ctx: ScoringContext) -> Judgement:
    groups = _named(ctx)
    if not groups:
        return judged(1, "no target groups are named, so none is represented", ["context.target_groups"])
    # group -> (rung score, stakeholder); a stakeholder with no rung stated counts as informed
    best: dict[str, tuple[int, str | None]] = {g: (1, None) for g in groups}
    idle = {i for f in ctx.findings("TD402") for i in f.subjects}
    for s in ctx.plan.stakeholders:
        rung = 1 if s.id in idle else RUNG_SCORES.get(s.participation or "inform", 1)
        for g in s.represents:
            if g in best and (best[g][1] is None or rung > best[g][0]):
                best[g] = (rung, s.id)
    parts = []
    for g in groups:
        sid = best[g][1]
        if sid is None:
            parts.append(f"{g}: unrepresented")
        else:
            rung_name = getattr(ctx.index.by_id.get(sid), "participation", None) or "no rung stated"
            idle_note = ", but takes part in nothing" if sid in idle else ""
            parts.append(f"{g}: {rung_name} ({sid}{idle_note})")
    mean = sum(best[g][0] for g in groups) / len(groups)
    score = max(1, min(5, int(mean)))
    elements = ["context.target_groups", *sorted({sid for _, sid in best.values() if sid is not None})]
    return judged(score, f"highest participation of each named group (mean {mean:.2f}): {'; '.join(parts)}", elements)


def disaggregated_indicators(ctx: ScoringContext) -> Judgement:
    indicators = ctx.plan.indicators
    if not indicators:
        return judged(1, "no indicators, so no data disaggregated by group", ["indicators"])
    ok = [i.id for i in indicators if i.disaggregation]
    score = share_to_score(_share(len(ok), len(indicators)))
    reason = f"{len(ok)}/{len(indicators)} indicators are disaggregated"
    women = [g for g in _named(ctx) if any(w in g for w in _WOMEN)]
    by_gender = [i.id for i in indicators if any(set(d.split("-")) & set(_GENDER) for d in i.disaggregation)]
    if women and not by_gender:
        if score > 3:
            score = 3
        reason += f"; the plan targets {', '.join(women)} but no indicator is disaggregated by gender or sex"
    elif by_gender:
        reason += f"; by gender or sex: {', '.join(by_gender)}"
    return judged(score, reason, ok)


RUBRIC = Rubric(
    name="diversity-inclusion",
    title="Diversity and inclusion",
    version="1.0",
    description=(
        "Whether the plan names the underrepresented groups it is for, serves them with objectives and actions,"
        " treats intersecting disadvantages, lets the groups take part in decisions, and measures results by"
        " group. Built from the TechDiversity theme and the INDIMAE policy lessons; all wording is this"
        " library's completion."
    ),
    source=(
        "TechDiversity 2nd Quarterly Network Report (2024): the core challenge of the testing activities;"
        " INDIMAE Policy Lessons from good practice exchange, lessons 1, 3 and 4"
    ),
    sections=(
        Section(
            "groups",
            "Target groups",
            (
                _c(
                    "target-groups-named",
                    "The plan names the underrepresented groups it is for",
                    (
                        "no target group is named",
                        "one target group is named",
                        "two or more target groups are named",
                    ),
                    target_groups_named,
                    "The number of groups in context.target_groups: none 1, one 3, two or more 5.",
                ),
                _c(
                    "target-groups-served",
                    "Every named target group is served by an objective or action",
                    (
                        "no named group is served (or none is named)",
                        "some named groups are served",
                        "every named group is served by an objective or an action",
                    ),
                    target_groups_served,
                    "The share of the groups of context.target_groups found in the target groups of an objective"
                    " or action (TD600 names the others).",
                    listens=("TD600",),
                ),
                _c(
                    "intersectionality",
                    "Intersecting disadvantages are addressed together",
                    (
                        "every objective and action addresses one group at most",
                        "some actions (or objectives) address two or more groups together",
                        "objectives and actions address two or more groups together",
                    ),
                    intersectionality,
                    "Objectives and actions whose target groups hold two or more groups: none 1, on one side only"
                    " 3, at least one objective and one action 5.",
                ),
            ),
            wording="completion",
        ),
        Section(
            "participation",
            "Participation and data",
            (
                _c(
                    "participation-of-represented-groups",
                    "The target groups take part in decisions through those who represent them",
                    (
                        "target groups are unrepresented, or only informed",
                        "target groups cooperate through their representatives",
                        "target groups are empowered: control over decisions and resources is transferred to them",
                    ),
                    participation_of_represented_groups,
                    "For each named group, the highest participation rung among stakeholders that represent it"
                    " (inform 1, consult 2, cooperate 3, decide or partner 4, empower 5, unrepresented 1); the"
                    " mean, rounded down. A representative who takes part in no action and no meeting (TD402)"
                    " counts as informed only.",
                    listens=("TD402",),
                ),
                _c(
                    "disaggregated-indicators",
                    "Indicators are disaggregated by group",
                    (
                        "no indicator is disaggregated",
                        "some indicators are disaggregated, or none by gender in a plan for women and girls",
                        "every indicator is disaggregated, by gender where the plan targets women and girls",
                    ),
                    disaggregated_indicators,
                    "The share of indicators with a disaggregation; at most 3 when the plan targets women or"
                    " girls and no indicator is disaggregated by gender or sex.",
                ),
            ),
            wording="completion",
        ),
    ),
)
