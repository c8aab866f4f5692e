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

from ..vocab import PARTICIPATION
from . import (
    Criterion,
    Judgement,
    Rubric,
    ScoringContext,
    Section,
    cannot_judge,
    judged,
    share_to_score,
)

__all__ = ["RUBRIC"]


def _share(done: int, total: int) -> float:
    return done / total if total else 0.0


def _ids(items: object) -> list[str]:
    return [i.id for i in items]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# 1 - Process of action plan


def development_with_partners(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    ulg = [(i, m) for i, m in enumerate(plan.meetings) if m.kind in ("ulg", "consultation")]
    elements = [f"meetings[{i}]" for i, _ in ulg] + _ids(plan.stakeholders)
    types = {s.type for s in plan.stakeholders if s.type}
    if not ulg and not plan.stakeholders:
        return judged(1, "no ULG or consultation meetings and no stakeholders are recorded", elements)
    if not ulg or not plan.stakeholders:
        return judged(2, "stakeholders or meetings are recorded, but not both", elements)
    with_topic = sum(1 for _, m in ulg if m.topic)
    if len(ulg) < 3:
        return judged(3, f"{len(ulg)} ULG/consultation meeting(s) recorded: a thin description", elements)
    if with_topic >= 3 and len(types) >= 3:
        return judged(
            5,
            f"{len(ulg)} ULG/consultation meetings, {with_topic} with their topic, with {len(types)} types of"
            " stakeholders: a clear outline of how the ULG worked",
            elements,
        )
    return judged(4, f"{len(ulg)} ULG/consultation meetings ({with_topic} with a topic)", elements)


def consultation_meetings(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    elements = [f"meetings[{i}]" for i in range(len(plan.meetings))]
    if not plan.meetings:
        return judged(1, "no meetings with stakeholders are recorded", elements)
    if not plan.stakeholders:
        return judged(3, f"{len(plan.meetings)} meeting(s), but no stakeholders listed to compare with", elements)
    attended = {p for m in plan.meetings for p in m.participants}
    ids = _ids(plan.stakeholders)
    share = _share(sum(1 for s in ids if s in attended), len(ids))
    reason = f"{len(plan.meetings)} meeting(s); {share:.0%} of the {len(ids)} stakeholders attended at least one"
    if share >= 1:
        return judged(5, reason + ": meetings held with all stakeholders", elements + ids)
    return judged(4 if share >= 0.5 else 3, reason, elements + ids)


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
    present = [name for name, ok in parts if ok]
    elements = present + [p for p, ok in (("vision", plan.vision), ("strategic_goal", plan.strategic_goal)) if ok]
    k = len(present)
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

    def linked(owner_field: str, ident: str, kinds: tuple[str, ...]) -> bool:
        item = idx.by_id[ident]
        return any(idx.kind_of.get(t) in kinds for t in getattr(item, owner_field))

    obj_ok = sum(1 for o in plan.objectives if linked("addresses", o.id, ("problem",)))
    act_ok = sum(1 for a in plan.actions if linked("contributes_to", a.id, ("objective",)))
    measured = {t for i in plan.indicators for t in i.measures}
    obj_measured = sum(1 for o in plan.objectives if o.id in measured)
    shares = (
        _share(obj_ok, len(plan.objectives)),
        _share(act_ok, len(plan.actions)),
        _share(obj_measured, len(plan.objectives)),
    )
    mean = sum(shares) / 3
    reason = (
        f"{obj_ok}/{len(plan.objectives)} objectives address a problem, {act_ok}/{len(plan.actions)} actions"
        f" serve an objective, {obj_measured}/{len(plan.objectives)} objectives have an indicator"
    )
    return judged(share_to_score(mean), reason, _ids(plan.objectives) + _ids(plan.actions))


def evidence_for_problem(ctx: ScoringContext) -> Judgement:
    problems = ctx.plan.problems
    with_evidence = [p for p in problems if p.evidence]
    elements = _ids(with_evidence)
    if not with_evidence:
        return judged(1, "no data is presented on the problem", _ids(problems))
    share = _share(len(with_evidence), len(problems))
    core_ok = any(p.core for p in with_evidence)
    base = 3 if core_ok else 2
    score = max(base, share_to_score(share))
    return judged(
        score,
        f"{len(with_evidence)}/{len(problems)} problems carry evidence"
        + (" (the core problem among them)" if core_ok else ""),
        elements,
    )


def problem_analysis(ctx: ScoringContext) -> Judgement:
    problems = ctx.plan.problems
    if not problems:
        return judged(1, "no problem analysis: the Problem Tree is empty", [])
    elements = _ids(problems)
    core = [p for p in problems if p.core]
    has_causes = any(p.causes for p in problems)
    has_effects = any(p.effects for p in problems)
    if not core or not (has_causes or has_effects):
        return judged(2, "problems are listed, but without a core problem and its causes or effects", elements)
    if not (has_causes and has_effects):
        return judged(3, "a core problem with causes or effects, not both: a weak problem analysis", elements)
    evidenced = sum(1 for p in problems if p.evidence)
    if core[0].evidence and evidenced * 2 >= len(problems):
        return judged(5, "core problem, causes and effects identified, based on evidence from data", elements)
    return judged(4, "core problem, causes and effects identified; little of it backed by data", elements)


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
    measured = {t for i in plan.indicators if i.kind in ("result", "impact") for t in i.measures}
    logical = all(o.addresses and o.id in measured for o in plan.objectives)
    if logical:
        return judged(5, "a strategic goal and sub-objectives, each tied to problems and a result indicator", elements)
    return judged(4, "a strategic goal and described objectives; not all tied to problems and results", elements)


def action_descriptions(ctx: ScoringContext) -> Judgement:
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions are described", [])
    described = [a for a in actions if a.description]
    full = [a for a in actions if a.description and a.intended_results and a.outputs and a.long_term_change]
    elements = _ids(actions)
    if not described:
        return judged(1, "actions are barely described, just headings", elements)
    share = _share(len(full), len(actions))
    score = max(3, share_to_score(share)) if share >= 0.8 else 3
    return judged(
        score,
        f"{len(full)}/{len(actions)} actions have a description, intended results, outputs and long-term change",
        elements,
    )


def use_of_indicators(ctx: ScoringContext) -> Judgement:
    indicators = ctx.plan.indicators
    if not indicators:
        return judged(1, "no indicators", [])
    elements = _ids(indicators)
    quantified = [i for i in indicators if i.target is not None and i.target.quantified]
    if len(quantified) < len(indicators):
        return judged(3, f"{len(quantified)}/{len(indicators)} indicators have a quantified target", elements)
    complete = [i for i in indicators if i.milestones and i.baseline is not None and i.baseline.quantified]
    if len(complete) == len(indicators):
        return judged(5, "a full set of quantified indicators with baselines and milestones", elements)
    return judged(
        4, f"all targets quantified; {len(complete)}/{len(indicators)} with baseline and milestones", elements
    )


# ---------------------------------------------------------------------------
# 3 - Integrated approach

_DIMENSIONS = {
    "economic": ("econom", "job", "employ", "business", "entrepreneur", "income", "startup", "start-up", "labour"),
    "social": ("social", "inclusi", "equal", "divers", "community", "cohesion", "vulnerable"),
    "environmental": ("environment", "green", "climate", "energy", "sustainab", "mobility", "emission"),
}


def sustainable_development(ctx: ScoringContext) -> Judgement:
    text = ctx.text()
    found = [dim for dim, words in _DIMENSIONS.items() if any(w in text for w in words)]
    aspect = next(
        (
            a
            for a in (ctx.plan.integration.aspects if ctx.plan.integration else ())
            if a.aspect == "sustainable-urban-development"
        ),
        None,
    )
    elements = [f"mentions of {dim} factors" for dim in found]
    if len(found) <= 1:
        return judged(1, f"only {', '.join(found) or 'no'} factors are considered", elements)
    if len(found) == 2:
        return judged(3, f"two out of three are addressed: {' and '.join(found)}", elements)
    if aspect is not None and aspect.relevant and aspect.future_actions:
        return judged(
            5,
            "economic, social and environmental factors appear together, and sustainable urban development"
            " is self-assessed with future actions",
            [*elements, "integration.aspects[sustainable-urban-development]"],
        )
    return judged(4, "economic, social and environmental factors all appear in the plan", elements)


def policy_sector(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    involved = {a.lead for a in plan.actions if a.lead} | {p for a in plan.actions for p in a.partners}
    types = sorted({ctx.index.by_id[s].type for s in involved if ctx.index.kind_of.get(s) == "stakeholder"} - {None})
    sectoral = [a.id for a in plan.actions if "sectoral-integration" in a.integration_aspects]
    k = len(types)
    score = 1 if k <= 1 else 2 if k == 2 else 3 if k == 3 else 4
    if k >= 4 and sectoral:
        score = 5
    return judged(
        score,
        f"actions involve {k} types of stakeholders ({', '.join(types) or 'none'});"
        f" {len(sectoral)} action(s) marked for sectoral integration",
        sorted(involved) + sectoral,
    )


def horizontal(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    if not plan.actions:
        return judged(1, "no actions, so no local partnerships around them", [])
    partnered = [a.id for a in plan.actions if a.partners]
    engaged = [
        s.id for s in plan.stakeholders if s.participation and PARTICIPATION.index(s.participation) >= 2
    ]  # cooperate or higher
    share = _share(len(partnered), len(plan.actions))
    score = share_to_score(share)
    if score == 5 and len(engaged) < 3:
        score = 4
    return judged(
        score,
        f"{len(partnered)}/{len(plan.actions)} actions have partners; {len(engaged)} stakeholders cooperate or more",
        partnered + engaged,
    )


def vertical(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    strategies = list(plan.context.related_strategies) if plan.context else []
    upward = sorted(
        {
            r.source
            for a in plan.actions
            for r in a.resources
            if r.source in ("regional", "national", "erdf", "esf-plus", "cohesion-fund", "interreg", "horizon-europe")
        }
    )
    mlg = any(
        a.aspect == "multi-level-governance" and a.relevant
        for a in (plan.integration.aspects if plan.integration else ())
    )
    points = (1 if strategies else 0) + (1 if len(strategies) >= 2 else 0) + (1 if upward else 0) + (1 if mlg else 0)
    elements = [f"context.related_strategies[{i}]" for i in range(len(strategies))] + [f"funding: {s}" for s in upward]
    return judged(
        1 + points,
        f"{len(strategies)} related strategies, funding from higher levels: {', '.join(upward) or 'none'},"
        f" multi-level governance {'assessed' if mlg else 'not assessed'}",
        elements,
    )


_TERRITORIAL_WORDS = ("metropolitan", "neighbouring", "neighboring", "adjacent", "functional urban", "region")


def territorial(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    aspects = {a.aspect: a for a in (plan.integration.aspects if plan.integration else ())}
    documented = [
        name
        for name in ("territorial-integration", "spatial-integration")
        if name in aspects and aspects[name].relevant is not None and aspects[name].why
    ]
    text = ctx.text()
    mentions = [w for w in _TERRITORIAL_WORDS if w in text]
    ty = plan.integration.types.get("territorial") if plan.integration else None
    points = len(documented) + (1 if mentions else 0) + (1 if ty is not None and ty.situation else 0)
    return judged(
        1 + points,
        f"territorial and spatial aspects assessed: {', '.join(documented) or 'none'};"
        f" cooperation beyond the city mentioned: {'yes' if mentions else 'no'}",
        [f"integration.aspects[{d}]" for d in documented],
    )


def hard_and_soft(ctx: ScoringContext) -> Judgement:
    resources = [(a.id, r) for a in ctx.plan.actions for r in a.resources]
    hard = sorted({aid for aid, r in resources if r.kind in ("equipment", "premises")})
    soft = sorted({aid for aid, r in resources if r.kind in ("staff", "budget", "in-kind")})
    sources = {r.source for _, r in resources}
    if not resources:
        return judged(1, "no resources recorded", [])
    score = 1 + (1 if soft else 0) + (1 if hard else 0)
    if "erdf" in sources or "esf-plus" in sources:
        score += 1
    if "erdf" in sources and "esf-plus" in sources:
        score += 1
    return judged(
        min(score, 5),
        f"soft investments in {len(soft)} action(s), physical investments in {len(hard)};"
        f" ERDF {'yes' if 'erdf' in sources else 'no'}, ESF+ {'yes' if 'esf-plus' in sources else 'no'}",
        hard + soft,
    )


# ---------------------------------------------------------------------------
# 4 - Implementation framework (completion)


def _action_share(ctx: ScoringContext, test: str) -> Judgement:
    actions = ctx.plan.actions
    if not actions:
        return judged(1, "no actions", [])
    if test == "timings":
        ok = [a.id for a in actions if a.timescale is not None and (a.timescale.start or a.timescale.end)]
        what = "have a timescale"
    elif test == "responsibilities":
        ok = [a.id for a in actions if a.lead]
        what = "have a lead"
    else:
        ok = [a.id for a in actions if any(r.kind == "budget" and r.amount is not None for r in a.resources)]
        what = "have a costed budget"
    return judged(share_to_score(_share(len(ok), len(actions))), f"{len(ok)}/{len(actions)} actions {what}", ok)


def timings(ctx: ScoringContext) -> Judgement:
    return _action_share(ctx, "timings")


def responsibilities(ctx: ScoringContext) -> Judgement:
    return _action_share(ctx, "responsibilities")


def costings(ctx: ScoringContext) -> Judgement:
    return _action_share(ctx, "costings")


def funding_sources(ctx: ScoringContext) -> Judgement:
    budgets = [(a.id, r) for a in ctx.plan.actions for r in a.resources if r.kind == "budget"]
    if not budgets:
        return judged(1, "no budgets, so no funding sources", [])
    ok = [aid for aid, r in budgets if r.source]
    score = share_to_score(_share(len(ok), len(budgets)))
    if score == 5 and not (ctx.plan.implementation and ctx.plan.implementation.funding_strategy):
        score = 4
    return judged(score, f"{len(ok)}/{len(budgets)} budget lines name their funding source", sorted(set(ok)))


def monitoring_indicators(ctx: ScoringContext) -> Judgement:
    indicators = ctx.plan.indicators
    if not indicators:
        return judged(1, "no indicators to monitor", [])
    ok = [i.id for i in indicators if i.source]
    score = share_to_score(_share(len(ok), len(indicators)))
    monitored = bool(ctx.plan.implementation and ctx.plan.implementation.monitoring)
    if score == 5 and not monitored:
        score = 4
    return judged(
        score,
        f"{len(ok)}/{len(indicators)} indicators name their means of verification;"
        f" monitoring arrangements {'described' if monitored else 'not described'}",
        ok + (["implementation.monitoring"] if monitored else []),
    )


def risk_assessment(ctx: ScoringContext) -> Judgement:
    risks = ctx.plan.risks
    if not risks:
        return judged(1, "no risks are assessed", [])
    ok = [r.id for r in risks if r.likelihood and r.impact and r.mitigation and r.affects]
    score = max(2, share_to_score(_share(len(ok), len(risks))))
    return judged(
        score, f"{len(ok)}/{len(risks)} risks have likelihood, impact, mitigation and the actions affected", ok
    )


def _c(
    ident: str, title: str, levels: tuple[str, str, str], scorer: object, method: str, wording: str = "seed"
) -> Criterion:
    return Criterion(ident, title, levels, scorer, wording, method)  # type: ignore[arg-type]


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
                    "Counts ULG and consultation meetings, their topics, and the types of stakeholders involved.",
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
                    "Compares the meetings' participants with the stakeholders of the plan.",
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
                    "The shares of objectives addressing a problem, actions serving an objective, and objectives"
                    " with an indicator.",
                ),
                _c(
                    "evidence-for-problem",
                    "Evidence to support definition of problem",
                    ("no data presented on problem", "some data presented", "full and comprehensive data presented"),
                    evidence_for_problem,
                    "The share of problems that carry evidence, the core problem first.",
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
                    "A core problem, its causes and effects, and evidence behind them.",
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
                    "The share of actions with description, intended results, outputs and long-term change.",
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
                    "Indicators with quantified targets, baselines and milestones.",
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
                    "Looks for economic, social and environmental words in the plan's text, and the self-assessed"
                    " aspect sustainable urban development.",
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
                    "The types of stakeholders leading or partnering actions, and actions marked for sectoral"
                    " integration.",
                    "completion",
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
                    "The share of actions with partners, and stakeholders engaged at cooperate or above.",
                    "completion",
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
                    "Related strategies, funding from regional, national or EU sources, multi-level governance.",
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
                    "The territorial and spatial aspects of the self-assessment, and mentions of the wider area.",
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
                    "Resource kinds (premises and equipment beside staff and budgets) and ERDF and ESF+ funding.",
                    "completion",
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
                    ("no timings", "some actions dated", "every action has a timescale"),
                    timings,
                    "The share of actions with a timescale.",
                    "completion",
                ),
                _c(
                    "responsibilities",
                    "Responsibilities for the actions",
                    ("nobody named", "some actions have a lead", "every action has a lead"),
                    responsibilities,
                    "The share of actions with a lead.",
                    "completion",
                ),
                _c(
                    "costings",
                    "Costings of the actions",
                    ("no costs", "some actions costed", "every action costed"),
                    costings,
                    "The share of actions with a budget line that has an amount.",
                    "completion",
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
                    "Indicators with a means of verification, and a description of monitoring.",
                    "completion",
                ),
                _c(
                    "risk-assessment",
                    "Risk assessment",
                    ("no risks assessed", "risks listed", "risks assessed, mitigated and linked to actions"),
                    risk_assessment,
                    "Risks with likelihood, impact, mitigation and the actions they affect.",
                    "completion",
                ),
            ),
            wording="completion",
        ),
    ),
)
