"""The ``urbact-iap`` rubric: the IAP assessment grid of the TechDiversity report.

Sections 1 and 2 and the first criterion of section 3 are the grid's own words
("Actions Planning Table", TechDiversity 2nd Quarterly Network Report, 2024):
``wording="seed"``. The seed shows only the first criterion of section 3; the rest of
section 3 comes from the types of integration of the URBACT self-assessment tool in
the same report, and section 4 from what URBACT requires of an IAP's implementation
framework (timings, responsibilities, costings, funding sources, monitoring
indicators, risk assessment): ``wording="completion"``.
"""

from __future__ import annotations

from ..model import Meeting, Plan
from . import (
    Judgement,
    Listen,
    Rubric,
    ScoringContext,
    Section,
    SelfAssessment,
    cannot_judge,
    judged,
    share_to_score,
)
from . import evidence as ev
from .evidence import aspect_self, evidence_first, heard_subjects, present, share, type_self

__all__ = ["RUBRIC"]


def _ids(items: object) -> list[str]:
    return [i.id for i in items]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# What the criteria listen to

_PARTICIPANT_LINKS = (Listen("TD100", ("participants",)), Listen("TD101", ("participants",)))
_LOGIC_FIELDS = ("contributes_to", "addresses", "measures")
_LOGIC_LINKS = (Listen("TD100", _LOGIC_FIELDS), Listen("TD101", _LOGIC_FIELDS))
_TREE_LINKS = (Listen("TD100", ("causes", "effects")), Listen("TD101", ("causes", "effects")))
_RISK_LINKS = (Listen("TD100", ("affects",)), Listen("TD101", ("affects",)))
_LEAD_LINKS = (Listen("TD100", ("lead",)), Listen("TD101", ("lead",)))
_RATIONALE = (Listen("TD103"), Listen("TD100", ("contributes_to",)), Listen("TD101", ("contributes_to",)))

DEVELOPMENT_LISTENS = (Listen("TD402"), *_PARTICIPANT_LINKS)
MEETINGS_LISTENS = (Listen("TD402"), *_PARTICIPANT_LINKS)
COHERENCE_LISTENS = (
    *_LOGIC_LINKS,
    Listen("TD103"),
    Listen("TD104"),
    Listen("TD105"),
    Listen("TD106"),
    Listen("TD200"),
    Listen("TD201"),
    Listen("TD208"),
)
PROBLEM_LISTENS = (Listen("TD102"), Listen("TD107"), *_TREE_LINKS)
GOAL_LISTENS = (Listen("TD105"), Listen("TD201"), Listen("TD100", ("addresses",)), Listen("TD101", ("addresses",)))
INDICATOR_LISTENS = tuple(Listen(c) for c in ("TD201", "TD202", "TD203", "TD204", "TD205", "TD206", "TD207", "TD209"))
MONITORING_LISTENS = (Listen("TD200"), Listen("TD207"), Listen("TD208"))
RISK_LISTENS = (Listen("TD403"), Listen("TD404"), *_RISK_LINKS)


# ---------------------------------------------------------------------------
# 1 - Process of action plan


def _ulg(plan: Plan) -> list[tuple[int, Meeting]]:
    return [(i, m) for i, m in enumerate(plan.meetings) if m.kind in ("ulg", "consultation")]


def development_with_partners(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    ulg = _ulg(plan)
    elements = [f"meetings[{i}]" for i, _ in ulg] + _ids(plan.stakeholders)
    if not ulg and not plan.stakeholders:
        return judged(1, "no ULG or consultation meetings and no stakeholders are recorded", elements)
    if not ulg or not plan.stakeholders:
        return judged(2, "stakeholders or ULG meetings are recorded, but not both", elements)
    outlined = [m for _, m in ulg if m.topic and m.participants]
    types = {s.type for s in plan.stakeholders if s.type}
    rungs = sum(1 for s in plan.stakeholders if s.participation)
    unused = sorted(heard_subjects(ctx, "TD402"))
    dangling = sorted(heard_subjects(ctx, "TD100", "TD101") - set(ctx.index.by_id))
    reason = (
        f"{len(ulg)} ULG/consultation meeting(s), {len(outlined)} with their topic and participants;"
        f" {len(types)} types of stakeholders, {rungs}/{len(plan.stakeholders)} with their participation stated"
    )
    if unused:
        reason += f"; not involved in any meeting or action: {', '.join(unused)}"
    if dangling:
        reason += f"; participants that are not stakeholders of the plan: {', '.join(dangling)}"
    if len(outlined) < 3:
        return judged(3, reason + ": a thin description of how the ULG worked", elements)
    if len(types) >= 3 and rungs == len(plan.stakeholders) and not unused:
        return judged(5, reason + ": a clear outline of how the ULG worked", elements)
    return judged(4, reason, elements)


def consultation_meetings(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    elements = [f"meetings[{i}]" for i in range(len(plan.meetings))]
    if not plan.meetings:
        return judged(1, "no meetings with stakeholders are recorded", elements)
    if not plan.stakeholders:
        return judged(2, f"{len(plan.meetings)} meeting(s), but no stakeholders listed to compare with", elements)
    attended = {p for m in plan.meetings for p in m.participants}
    ids = _ids(plan.stakeholders)
    absent = [s for s in ids if s not in attended]
    part = share(len(ids) - len(absent), len(ids))
    n = len(plan.meetings)
    reason = f"{n} meeting(s); {len(ids) - len(absent)}/{len(ids)} stakeholders attended at least one"
    if absent:
        reason += f" (never at a meeting: {', '.join(absent)})"
    if n < 3:
        return judged(min(3, max(2, share_to_score(part))), reason + ": a small number of meetings", elements + ids)
    if part >= 1:
        return judged(5, reason + ": meetings held with all stakeholders", elements + ids)
    return judged(4 if part >= 0.5 else 3, reason, elements + ids)


# ---------------------------------------------------------------------------
# 2 - Content of action plan


def organisation_of_document(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    parts = [
        ("context.current_situation", bool(plan.context and plan.context.current_situation)),
        ("problems", bool(plan.problems)),
        ("objectives", bool(plan.objectives)),
        ("actions", bool(plan.actions)),
    ]
    have = present(parts)
    elements = have + [p for p, ok in (("vision", plan.vision), ("strategic_goal", plan.strategic_goal)) if ok]
    k = len(have)
    if k <= 1:
        return judged(1, "the plan lacks most of: situation, problem analysis, objectives, actions", elements)
    if k < 4:
        missing = ", ".join(name for name, ok in parts if not ok)
        return judged(k, f"some structure, but {missing} missing from the progression", elements)
    if plan.vision is not None and plan.strategic_goal:
        return judged(
            5, "clear progression: situation, problem analysis, vision and goal, objectives, actions", elements
        )
    return judged(4, "situation, problems, objectives and actions are present; vision or goal missing", elements)


def coherence_of_objectives(ctx: ScoringContext) -> Judgement:
    plan, idx = ctx.plan, ctx.index
    if not plan.objectives or not plan.actions:
        return judged(1, "no objectives or no actions: solutions cannot link to problems", [])

    def linked(item: object, field: str, kinds: tuple[str, ...]) -> bool:
        return any(idx.kind_of.get(t) in kinds for t in getattr(item, field))

    def served_by(ident: str, field: str, kinds: tuple[str, ...], by: str) -> bool:
        return any(
            idx.kind_of.get(s) == by and (not kinds or idx.by_id[s].kind in kinds) for s in idx.referrers(field, ident)
        )

    objectives, actions, problems, indicators = plan.objectives, plan.actions, plan.problems, plan.indicators
    parts = [
        (
            "objectives address a problem",
            sum(1 for o in objectives if linked(o, "addresses", ("problem",))),
            len(objectives),
        ),
        ("problems are addressed", sum(1 for p in problems if idx.referrers("addresses", p.id)), len(problems)),
        (
            "objectives are served by an action",
            sum(1 for o in objectives if idx.referrers("contributes_to", o.id)),
            len(objectives),
        ),
        (
            "actions serve an objective",
            sum(1 for a in actions if linked(a, "contributes_to", ("objective",))),
            len(actions),
        ),
        (
            "objectives have a result indicator",
            sum(1 for o in objectives if served_by(o.id, "measures", ("result", "impact"), "indicator")),
            len(objectives),
        ),
        ("actions are measured", sum(1 for a in actions if served_by(a.id, "measures", (), "indicator")), len(actions)),
        (
            "indicators measure an action or objective",
            sum(1 for i in indicators if linked(i, "measures", ("action", "objective"))),
            len(indicators),
        ),
    ]
    counted = [(what, done, total) for what, done, total in parts if total]
    mean = sum(share(done, total) for _, done, total in counted) / len(counted)
    gaps = [f"{done}/{total} {what}" for what, done, total in counted if done < total]
    score = share_to_score(mean)
    if score == 5:
        reason = "every link of the intervention logic holds: problems, objectives, actions and indicators"
    else:
        reason = "gaps in the intervention logic: " + "; ".join(gaps) + f" (mean share {mean:.0%})"
    return judged(score, reason, _ids(objectives) + _ids(actions))


def evidence_for_problem(ctx: ScoringContext) -> Judgement:
    problems = ctx.plan.problems
    if not problems:
        return judged(1, "no problems, so no data is presented on them", [])
    with_evidence = [p for p in problems if any(e.source and e.finding for e in p.evidence)]
    any_evidence = [p for p in problems if p.evidence]
    elements = _ids(any_evidence)
    if not any_evidence:
        return judged(1, "no data is presented on the problem", _ids(problems))
    part = share(len(with_evidence), len(problems))
    core = [p for p in problems if p.core]
    core_ok = bool(core) and all(p in with_evidence for p in core)
    reason = f"{len(with_evidence)}/{len(problems)} problems carry evidence with its source and finding" + (
        " (the core problem among them)" if core_ok else "; the core problem has none" if core else ""
    )
    if part >= 1 and core_ok:
        return judged(5, reason + ": full and comprehensive data", elements)
    if part >= 0.8 and core_ok:
        return judged(4, reason, elements)
    if core_ok or part >= 0.5:
        return judged(3, reason + ": some data presented", elements)
    return judged(2, reason, elements)


def problem_analysis(ctx: ScoringContext) -> Judgement:
    problems = ctx.plan.problems
    if not problems:
        return judged(1, "no problem analysis: the Problem Tree is empty", [])
    elements = _ids(problems)
    core = [p for p in problems if p.core]
    has_causes = any(p.causes for p in problems)
    has_effects = any(p.effects for p in problems)
    faults = []
    cycles = ctx.findings("TD107")
    if cycles:
        faults.append("the tree has a cycle, so it has no roots")
    if len(core) > 1:
        faults.append(f"{len(core)} core problems: the focus is not chosen")
    dangling = sorted(heard_subjects(ctx, "TD100", "TD101") - set(ctx.index.by_id))
    if dangling:
        faults.append(f"causes or effects that are not problems of the tree: {', '.join(dangling)}")
    note = ("; " + "; ".join(faults)) if faults else ""
    if not core or not (has_causes or has_effects):
        return judged(2, "problems are listed, but without a core problem and its causes or effects" + note, elements)
    if not (has_causes and has_effects) or cycles or len(core) > 1:
        what = "causes or effects, not both" if not (has_causes and has_effects) else "causes and effects"
        return judged(3, f"a core problem with {what}: a weak attempt at problem analysis" + note, elements)
    evidenced = sum(1 for p in problems if p.evidence)
    if core[0].evidence and evidenced * 2 >= len(problems) and not dangling:
        return judged(5, "core problem, causes and effects identified, based on evidence from data", elements)
    return judged(
        4,
        f"core problem, causes and effects identified; {evidenced}/{len(problems)} problems backed by data" + note,
        elements,
    )


def option_analysis(ctx: ScoringContext) -> Judgement:
    tested = [t.id for t in ctx.plan.testing_actions if t.status == "done" and t.learnings]
    note = f"; testing actions with learnings ({', '.join(tested)}) may show options tried" if tested else ""
    return cannot_judge("the plan format does not record the options that were examined" + note, tested)


def strategic_goal(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    goal = bool(plan.strategic_goal)
    elements = (["strategic_goal"] if goal else []) + _ids(plan.objectives)
    if not goal and not plan.objectives:
        return judged(1, "no strategic goal and no objectives", elements)
    if not goal or not plan.objectives:
        return judged(2, "a strategic goal or objectives, not both", elements)
    described = [o for o in plan.objectives if o.title and o.description]
    if len(described) < len(plan.objectives):
        return judged(3, f"{len(described)}/{len(plan.objectives)} objectives have a title and a description", elements)
    loose = sorted(heard_subjects(ctx, "TD105", "TD201", "TD100", "TD101") & {o.id for o in plan.objectives})
    measured = {t for i in plan.indicators if i.kind in ("result", "impact") for t in i.measures}
    untied = sorted(
        {
            o.id
            for o in plan.objectives
            if not any(ctx.index.kind_of.get(p) == "problem" for p in o.addresses) or o.id not in measured
        }
        | set(loose)
    )
    if not untied:
        return judged(5, "a strategic goal and sub-objectives, each tied to problems and a result indicator", elements)
    return judged(
        4,
        f"a strategic goal and described objectives; not tied to a problem and a result indicator: {', '.join(untied)}",
        elements,
    )


def action_descriptions(ctx: ScoringContext) -> Judgement:
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions are described", [])
    elements = _ids(actions)
    described = [a for a in actions if a.description]
    if not described:
        return judged(1, "actions are barely described, just headings", elements)
    no_rationale = heard_subjects(ctx, "TD103", "TD100", "TD101")
    full = [
        a
        for a in actions
        if a.description and a.intended_results and a.outputs and a.long_term_change and a.id not in no_rationale
    ]
    part = share(len(full), len(actions))
    score = share_to_score(part) if part >= 0.8 else 3 if len(described) * 2 >= len(actions) else 2
    reason = (
        f"{len(full)}/{len(actions)} actions have a description, intended results, outputs, long-term change and"
        " the objective they serve"
    )
    if no_rationale & set(elements):
        reason += f"; no objective (rationale) for {', '.join(sorted(no_rationale & set(elements)))}"
    return judged(score, reason, elements)


def use_of_indicators(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    indicators = plan.indicators
    if not indicators:
        return judged(1, "no indicators", [])
    elements = _ids(indicators)
    quantified = [i for i in indicators if i.target is not None and i.target.quantified]
    if not quantified:
        return judged(2, f"{len(indicators)} indicator(s), none with a quantified target", elements)
    if len(quantified) < len(indicators):
        return judged(
            3,
            f"{len(quantified)}/{len(indicators)} indicators have a quantified target: indicators are mentioned"
            " but not all targets are quantified",
            elements,
        )
    complete = {
        i.id
        for i in indicators
        if i.baseline is not None
        and i.baseline.quantified
        and i.target is not None
        and i.target.date is not None
        and i.milestones
    }
    faults = []
    wrong_dates = sorted(heard_subjects(ctx, "TD206", "TD207"))
    if wrong_dates:
        faults.append(f"milestones or targets dated wrongly in {', '.join(wrong_dates)}")
    unmeasured = sorted(heard_subjects(ctx, "TD201"))
    if unmeasured:
        faults.append(f"objectives without a result indicator: {', '.join(unmeasured)}")
    incomplete = [i.id for i in indicators if i.id not in complete]
    if incomplete:
        faults.append(f"no quantified baseline, target date or milestones: {', '.join(incomplete)}")
    if not faults:
        return judged(
            5,
            "a full set of quantified indicators: every objective has a result indicator, every indicator a"
            " quantified baseline, a dated numeric target and milestones",
            elements,
        )
    return judged(4, f"all targets quantified, but the set is not full: {'; '.join(faults)}", elements)


# ---------------------------------------------------------------------------
# 3 - Integrated approach: the plan's evidence, at most one level above the city's own score


def sustainable_development(ctx: ScoringContext) -> Judgement:
    return evidence_first(ev.sustainable_development(ctx), aspect_self(ctx.plan, "sustainable-urban-development"))


def _self_of_type(ctx: ScoringContext, kind: str, aspect: str) -> SelfAssessment | None:
    return type_self(ctx.plan, kind) or aspect_self(ctx.plan, aspect)


def policy_sector(ctx: ScoringContext) -> Judgement:
    return evidence_first(ev.policy_sector(ctx), _self_of_type(ctx, "policy-sector", "sectoral-integration"))


def horizontal(ctx: ScoringContext) -> Judgement:
    return evidence_first(
        ev.horizontal(ctx), _self_of_type(ctx, "horizontal", "stakeholder-involvement-in-implementation")
    )


def vertical(ctx: ScoringContext) -> Judgement:
    return evidence_first(ev.vertical(ctx), _self_of_type(ctx, "vertical", "multi-level-governance"))


def territorial(ctx: ScoringContext) -> Judgement:
    return evidence_first(ev.territorial(ctx), _self_of_type(ctx, "territorial", "territorial-integration"))


def hard_and_soft(ctx: ScoringContext) -> Judgement:
    return evidence_first(
        ev.hard_and_soft(ctx), _self_of_type(ctx, "hard-and-soft-investments", "complementary-types-of-investment")
    )


# ---------------------------------------------------------------------------
# 4 - Implementation framework (completion)


def timings(ctx: ScoringContext) -> Judgement:
    return ev.timings(ctx)


def responsibilities(ctx: ScoringContext) -> Judgement:
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions", [])
    kinds = ctx.index.kind_of
    ok = [a.id for a in actions if a.lead is not None and kinds.get(a.lead) == "stakeholder"]
    reason = f"{len(ok)}/{len(actions)} actions have a lead who is a stakeholder of the plan"
    bad = sorted({a.id for a in actions if a.lead is not None} - set(ok))
    if bad:
        reason += f"; the lead of {', '.join(bad)} is not a stakeholder of the plan"
    return judged(share_to_score(share(len(ok), len(actions))), reason, ok)


def costings(ctx: ScoringContext) -> Judgement:
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions", [])
    ok = [a.id for a in actions if any(r.kind == "budget" and r.amount is not None for r in a.resources)]
    bare = sorted(heard_subjects(ctx, "TD401"))
    reason = f"{len(ok)}/{len(actions)} actions have a costed budget"
    if bare:
        reason += f"; no resources at all: {', '.join(bare)}"
    return judged(share_to_score(share(len(ok), len(actions))), reason, ok)


def funding_sources(ctx: ScoringContext) -> Judgement:
    budgets = [(a.id, r) for a in ctx.plan.actions for r in a.resources if r.kind == "budget"]
    if not budgets:
        return judged(1, "no budgets, so no funding sources", [])
    ok = [aid for aid, r in budgets if r.source]
    score = share_to_score(share(len(ok), len(budgets)))
    strategy = bool(ctx.plan.implementation and ctx.plan.implementation.funding_strategy)
    if score == 5 and not strategy:
        score = 4
    return judged(
        score,
        f"{len(ok)}/{len(budgets)} budget lines name their funding source; funding strategy"
        f" {'described' if strategy else 'not described'}",
        sorted(set(ok)),
    )


def monitoring_indicators(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    indicators = plan.indicators
    if not indicators:
        return judged(1, "no indicators to monitor", [])
    floating = heard_subjects(ctx, "TD208")
    ok = [i.id for i in indicators if i.source and i.id not in floating]
    score = share_to_score(share(len(ok), len(indicators)))
    monitored = bool(plan.implementation and plan.implementation.monitoring)
    unmeasured = sorted(heard_subjects(ctx, "TD200"))
    outside = sorted(heard_subjects(ctx, "TD207"))
    reason = (
        f"{len(ok)}/{len(indicators)} indicators name their means of verification and what they measure;"
        f" monitoring arrangements {'described' if monitored else 'not described'}"
    )
    if unmeasured:
        reason += f"; actions no indicator follows: {', '.join(unmeasured)}"
    if outside:
        reason += (
            f"; dates that fall outside the plan period, so cannot be reported while it runs: {', '.join(outside)}"
        )
    if score == 5 and (not monitored or unmeasured or outside):
        score = 4
    return judged(score, reason, ok + (["implementation.monitoring"] if monitored else []))


def risk_assessment(ctx: ScoringContext) -> Judgement:
    risks = ctx.plan.risks
    if not risks:
        return judged(1, "no risks are assessed", [])
    faulty = heard_subjects(ctx, "TD403", "TD404", "TD100", "TD101")
    ok = [r.id for r in risks if r.likelihood and r.impact and r.mitigation and r.affects and r.id not in faulty]
    score = max(2, share_to_score(share(len(ok), len(risks))))
    reason = f"{len(ok)}/{len(risks)} risks have likelihood, impact, mitigation and the actions they affect"
    missing = sorted(faulty & {r.id for r in risks})
    if missing:
        reason += f"; the checks find gaps in {', '.join(missing)}"
    return judged(score, reason, ok)


_c = ev.criterion


RUBRIC = Rubric(
    name="urbact-iap",
    title="URBACT Integrated Action Plan assessment grid",
    version="1.0",
    description=(
        "The IAP assessment grid used in URBACT Action Planning Networks, as adapted for TechDiversity"
        " (Actions Planning Table). Each indicator is scored 1, 3 or 5, with 2 and 4 in between."
    ),
    source="TechDiversity 2nd Quarterly Network Report (2024), Chapter 4: Actions Planning Table",
    sections=(
        Section(
            "1",
            "Process of action plan",
            (
                _c(
                    "development-with-partners",
                    "Description of how the action plan was developed with the partners",
                    ("not addressed", "thin description", "clear outline of how the ULSG worked"),
                    development_with_partners,
                    "ULG and consultation meetings with their topic and participants, the types of stakeholders"
                    " and their stated participation: 3 below three such meetings; 5 needs three or more, three"
                    " types of stakeholders, every stakeholder's participation stated and every stakeholder"
                    " involved (TD402).",
                    "seed",
                    listens=DEVELOPMENT_LISTENS,
                ),
                _c(
                    "consultation-meetings",
                    "Consultation meetings with stakeholders",
                    (
                        "no meetings held with stakeholders",
                        "small number of meetings",
                        "meetings held with all stakeholders",
                    ),
                    consultation_meetings,
                    "Compares the meetings' participants with the stakeholders of the plan: fewer than three"
                    " meetings is a small number (3 at most); 5 needs every stakeholder at a meeting.",
                    "seed",
                    listens=MEETINGS_LISTENS,
                ),
            ),
        ),
        Section(
            "2",
            "Content of action plan",
            (
                _c(
                    "organisation-of-document",
                    "Organisation of document",
                    (
                        "no coherent structure",
                        "some structure but no progression",
                        "clear logical progression from description of situation to problem analysis to"
                        " proposed actions",
                    ),
                    organisation_of_document,
                    "Looks for the current situation, the Problem Tree, vision and goal, objectives and actions.",
                    "seed",
                ),
                _c(
                    "coherence-of-objectives",
                    "Coherence of objectives with actions and indicators",
                    (
                        "solutions do not have link to problems",
                        "not much linkage",
                        "solutions and indicators relate clearly to problems",
                    ),
                    coherence_of_objectives,
                    "The mean share of the links of the intervention logic that hold: objectives addressing a"
                    " problem, problems addressed, objectives served, actions serving an objective, objectives"
                    " with a result indicator, actions measured, indicators measuring something; 5 only when all"
                    " hold.",
                    "seed",
                    listens=COHERENCE_LISTENS,
                ),
                _c(
                    "evidence-for-problem",
                    "Evidence to support definition of problem",
                    ("no data presented on problem", "some data presented", "full and comprehensive data presented"),
                    evidence_for_problem,
                    "The share of problems with evidence naming its source and its finding, the core problem"
                    " first: 5 when every problem has it.",
                    "seed",
                ),
                _c(
                    "problem-analysis",
                    "Problem analysis",
                    (
                        "no problem analysis",
                        "weak attempt at problem analysis",
                        "clear problem analysis based on evidence from data, causes and effects identified",
                    ),
                    problem_analysis,
                    "One core problem, its causes and effects, and evidence behind them; a cycle in the tree"
                    " (TD107) or several core problems (TD102) is a weak attempt (3).",
                    "seed",
                    listens=PROBLEM_LISTENS,
                ),
                _c(
                    "option-analysis",
                    "Option analysis - does the plan show that other options were examined?",
                    (
                        "no other options looked at",
                        "options identified but no evaluation",
                        "different options have been considered and evaluated",
                    ),
                    option_analysis,
                    "Cannot be judged from the plan file: an assessor scores it.",
                    "seed",
                ),
                _c(
                    "strategic-goal",
                    "Strategic goal with clear objectives",
                    (
                        "lack of clear goal and objectives",
                        "some objectives but lacking clarity",
                        "clear strategic goal and sub objectives shown in logical format",
                    ),
                    strategic_goal,
                    "A strategic goal, described objectives, each tied to problems and to a result indicator.",
                    "seed",
                    listens=GOAL_LISTENS,
                ),
                _c(
                    "action-descriptions",
                    "How well are the actions described? Do they give a clear picture of what is intended?",
                    (
                        "barely described, just headings",
                        "some description of what is intended",
                        "full description including rationale, nature of intervention, anticipated results",
                    ),
                    action_descriptions,
                    "The share of actions with description, intended results, outputs, long-term change and the"
                    " objective they serve (their rationale); 3 when at least half have a description.",
                    "seed",
                    listens=_RATIONALE,
                ),
                _c(
                    "use-of-indicators",
                    "Use of indicators to measure anticipated results",
                    (
                        "no indicators",
                        "indicators are mentioned but targets are not quantified",
                        "full set of quantified indicators with milestones in specific section of plan",
                    ),
                    use_of_indicators,
                    "3 while some targets are not quantified; 5 needs every objective with a result indicator"
                    " and every indicator with a quantified baseline, a dated numeric target and milestones, none"
                    " dated wrongly.",
                    "seed",
                    listens=INDICATOR_LISTENS,
                ),
            ),
        ),
        Section(
            "3",
            "Integrated approach",
            (
                _c(
                    "sustainable-development",
                    "Economic, social and environmental factors are looked at together",
                    (
                        "no consideration of other aspects",
                        "two out of three are addressed (e.g. Social and economic)",
                        "full integration of sustainable development in both conception of plan and delivery"
                        " actions proposed",
                    ),
                    sustainable_development,
                    "Economic, social and environmental words in the plan's conception (context, vision, goal,"
                    " problems, objectives) and in its actions: 5 needs all three in both; at most one level above"
                    " the city's own baseline for sustainable urban development.",
                    "seed",
                ),
                _c(
                    "policy-sector-integration",
                    "Policy / Sector: integrate economic, social and environmental challenges; join up solutions",
                    (
                        "one sector acts alone",
                        "some sectors take part, solutions not joined up",
                        "solutions join up sectors and minimise the effects of negative externalities",
                    ),
                    policy_sector,
                    "The types of stakeholders leading or partnering actions, the actions that join two or more"
                    " of them up, and actions marked for sectoral integration; at most one level above the city's"
                    " self-assessed policy/sector score.",
                    "completion",
                    ev.POLICY_SECTOR_LISTENS,
                ),
                _c(
                    "horizontal-integration",
                    "Horizontal: develop partnerships at local level; bring together the main actors",
                    (
                        "actions run by one organisation",
                        "some actions have local partners",
                        "all main actors brought together around the challenge",
                    ),
                    horizontal,
                    "The share of actions with local partners; 5 needs three stakeholders cooperating or more and"
                    " none left out (TD402); at most one level above the city's self-assessed horizontal score.",
                    "completion",
                    ev.HORIZONTAL_LISTENS,
                ),
                _c(
                    "vertical-integration",
                    "Vertical: align policies, interventions and funding upwards",
                    (
                        "no link to other levels of government",
                        "some alignment with wider strategies or funding",
                        "coherent with the vertical chain of governance, building scale",
                    ),
                    vertical,
                    "Related strategies, funding from regional, national or EU sources, and multi-level"
                    " governance arrangements with national and EU funding together; at most one level above the"
                    " city's self-assessed vertical score.",
                    "completion",
                ),
                _c(
                    "territorial-integration",
                    "Territorial: cooperation between adjacent municipalities in functional urban areas",
                    (
                        "the city acts within its borders only",
                        "cooperation beyond the city is mentioned",
                        "cooperation across the functional urban area, minimising edge effects",
                    ),
                    territorial,
                    "The wider area named in the plan's conception, actions that work beyond the city, actions"
                    " marked for territorial integration; at most one level above the city's self-assessed"
                    " territorial score.",
                    "completion",
                ),
                _c(
                    "hard-and-soft-investments",
                    "Hard and soft investments: integrate physical investments with human resources",
                    (
                        "one kind of investment only",
                        "both kinds present, funded in silos",
                        "physical and human investments integrated, e.g. ERDF + ESF",
                    ),
                    hard_and_soft,
                    "Physical investments (equipment, premises, ERDF budgets) and human resources (staff, ESF+"
                    " budgets): both in the same action and ERDF with ESF+ for 5; at most one level above the"
                    " city's self-assessed score.",
                    "completion",
                    ev.HARD_SOFT_LISTENS,
                ),
            ),
        ),
        Section(
            "4",
            "Implementation framework",
            (
                _c(
                    "timings",
                    "Timings of the actions",
                    (
                        "no timings",
                        "some actions dated",
                        "every action has a timescale inside the plan period, in an order its dependencies allow",
                    ),
                    timings,
                    "The share of actions with a timescale inside the plan period (TD300) and after what they"
                    " depend on (TD301, TD108); at most 4 while an action is undated (TD302).",
                    "completion",
                    ev.TIMING_LISTENS,
                ),
                _c(
                    "responsibilities",
                    "Responsibilities for the actions",
                    ("nobody named", "some actions have a lead", "every action has a lead among the stakeholders"),
                    responsibilities,
                    "The share of actions whose lead is a stakeholder of the plan.",
                    "completion",
                    (Listen("TD400"), *_LEAD_LINKS),
                ),
                _c(
                    "costings",
                    "Costings of the actions",
                    ("no costs", "some actions costed", "every action costed"),
                    costings,
                    "The share of actions with a budget line that has an amount.",
                    "completion",
                    (Listen("TD401"),),
                ),
                _c(
                    "funding-sources",
                    "Funding sources",
                    ("no funding sources", "some sources named", "every budget line has its source, with a strategy"),
                    funding_sources,
                    "The share of budget lines that name their funding source, and a funding strategy.",
                    "completion",
                ),
                _c(
                    "monitoring-indicators",
                    "Monitoring indicators",
                    ("no monitoring", "indicators without means of verification", "indicators and arrangements set"),
                    monitoring_indicators,
                    "The share of indicators with a means of verification that measure something (TD208); 5"
                    " needs monitoring described, every action followed by an indicator (TD200) and every date"
                    " inside the plan period (TD207).",
                    "completion",
                    MONITORING_LISTENS,
                ),
                _c(
                    "risk-assessment",
                    "Risk assessment",
                    ("no risks assessed", "risks listed", "risks assessed, mitigated and linked to actions"),
                    risk_assessment,
                    "Risks with likelihood, impact, mitigation and the existing actions they affect; 2 once risks"
                    " are listed.",
                    "completion",
                    RISK_LISTENS,
                ),
            ),
            wording="completion",
        ),
    ),
)
