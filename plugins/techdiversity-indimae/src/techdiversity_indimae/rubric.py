"""The ``indimae`` rubric: the INDIMAE policy lessons as criteria for an action plan.

"INDIMAE Policy Lessons from good practice exchange" (Innovative Diversity Management
and Inclusion Strategies in European Towns, a Europe for Citizens network of towns)
groups its lessons in five key areas. Each key area is a section here, titled with
the heading of its lessons, word for word. Each criterion's title quotes a lesson
(``wording="seed"``) or, where the publication's sentence is too garbled to quote,
closely paraphrases it (``wording="completion"``). The publication has no levels:
the descriptors of scores 1, 3 and 5 are this plugin's completion throughout.

The automatic scorers read the plan only through the public API of ``techdiversity``
(the plan model and :mod:`techdiversity.rubrics`). Each names the plan elements it
looked at, and each is monotone: adding evidence to a plan (a meeting, a quantified
target, a milestone, evidence for a problem) never lowers a score.

Criteria declare the checks that bear on them (``listens_to``) and read their findings
with ``ctx.findings()``: a stakeholder who takes part in no action and no meeting
(TD402) is not counted as consulted, deciding or giving a group a voice; a link to a
lead, partner or participant that does not exist (TD100, TD101) is cited and keeps the
criterion below 5; an objective with no result indicator (TD201) keeps outcomes from
being compared by group; a testing action with no measurement (TD501) has no results to
share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from techdiversity.model import Action, Plan
from techdiversity.rubrics import (
    Criterion,
    Judgement,
    Listen,
    Rubric,
    ScoringContext,
    Section,
    judged,
    share_to_score,
)
from techdiversity.vocab import PARTICIPATION

__all__ = ["RUBRIC", "SEED_TITLE"]

#: The publication the rubric is drawn from.
SEED_TITLE = "INDIMAE Policy Lessons from good practice exchange"


# ---------------------------------------------------------------------------
# Helpers


def _rung(participation: str | None) -> int:
    """The participation rung as an index: inform 0 ... empower 5; -1 when not stated."""
    return PARTICIPATION.index(participation) if participation in PARTICIPATION else -1


def _action_text(action: Action) -> str:
    parts: list[str] = [
        action.title or "",
        action.description or "",
        action.intended_results or "",
        action.long_term_change or "",
        action.implementation_notes or "",
        *action.outputs,
    ]
    return " ".join(parts).lower()


def _actions_with(plan: Plan, words: Iterable[str]) -> list[str]:
    """Ids of the actions whose text holds one of the keywords."""
    keys = tuple(words)
    return [a.id for a in plan.actions if any(k in _action_text(a) for k in keys)]


def _count_score(k: int) -> int:
    """None 1, one 3, two 4, three or more 5."""
    return 1 if k <= 0 else 3 if k == 1 else 4 if k == 2 else 5


def _list(ids: Iterable[str]) -> str:
    items = list(ids)
    return ", ".join(items) if items else "none"


def _involved(plan: Plan, action_ids: Iterable[str]) -> set[str]:
    """Stakeholder ids leading or partnering the given actions."""
    wanted = set(action_ids)
    out: set[str] = set()
    for a in plan.actions:
        if a.id in wanted:
            out.update(p for p in (a.lead, *a.partners) if p)
    return out


def _idle(ctx: ScoringContext) -> set[str]:
    """Stakeholders the checks find taking part in no action and no meeting (TD402)."""
    return {i for f in ctx.findings("TD402") for i in f.subjects}


#: What the criteria that count stakeholders listen to.
_IDLE = (Listen("TD402"),)
_PEOPLE_LINKS = (Listen("TD100", ("lead", "partners")), Listen("TD101", ("lead", "partners")))
_PARTICIPANTS = (Listen("TD100", ("participants",)), Listen("TD101", ("participants",)))


def _named_groups(plan: Plan) -> tuple[str, ...]:
    """The plan's target groups: context.target_groups, else those of objectives and actions."""
    if plan.context is not None and plan.context.target_groups:
        return plan.context.target_groups
    seen: dict[str, None] = {}
    for groups in [o.target_groups for o in plan.objectives] + [a.target_groups for a in plan.actions]:
        for g in groups:
            seen.setdefault(g, None)
    return tuple(seen)


# ---------------------------------------------------------------------------
# 1. Capacity-building and expert support

_CAPACITY_WORDS = (
    "training",
    "trainings",
    "train ",
    "trained",
    "skill",
    "mentor",
    "capacity",
    "course",
    "bootcamp",
    "workshop",
    "learning",
    "education",
    "coaching",
    "academy",
    "upskill",
    "reskill",
)
_CIVIL_TYPES = ("ngo", "citizens", "social-enterprise")


def training_programmes(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    found = _actions_with(plan, _CAPACITY_WORDS)
    involved = _involved(plan, found)
    types = {ctx.index.by_id[s].type for s in involved if ctx.index.kind_of.get(s) == "stakeholder"}
    both = "public-authority" in types and bool(types & set(_CIVIL_TYPES))
    score = 1 if not found else min(5, 2 + min(len(found), 2) + (1 if both else 0))
    return judged(
        score,
        f"{len(found)} action(s) about training, skills, mentoring or capacity ({_list(found)});"
        f" local authorities and civil sector {'both' if both else 'not both'} involved in them",
        found + sorted(involved),
    )


_EXPERT_TYPES = ("academia", "ngo", "social-enterprise")


def expert_support(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    idle = _idle(ctx)
    consulted = [
        s for s in plan.stakeholders if _rung(s.participation) >= PARTICIPATION.index("consult") and s.id not in idle
    ]
    academia = [s.id for s in consulted if s.type == "academia"]
    civil = [s.id for s in consulted if s.type in ("ngo", "social-enterprise")]
    groups = [s.id for s in consulted if s.represents and s.type in (*_EXPERT_TYPES, "citizens", "other")]
    kinds = sum(1 for found in (academia, civil, groups) if found)
    all_academia = {s.id for s in plan.stakeholders if s.type == "academia"}
    in_actions = sorted(all_academia & _involved(plan, (a.id for a in plan.actions)))
    score = min(5, 1 + kinds + (1 if in_actions else 0))
    reason = (
        f"consulted or more: academia {_list(academia)}; civil society {_list(civil)};"
        f" organisations of the target groups {_list(groups)}; academia in actions: {_list(in_actions)}"
    )
    if idle:
        reason += f"; not counted, as they take part in nothing: {_list(sorted(idle))}"
    return judged(score, reason, sorted({*academia, *civil, *groups, *in_actions}))


_OFFICIALS_WORDS = (
    "official",
    "civil servant",
    "public servant",
    "municipal staff",
    "city staff",
    "public administration",
    "cultural mediator",
    "intercultural",
    "inclusivity",
    "unconscious bias",
    "diversity training",
    "inclusive recruitment",
    "inclusive hiring",
)


def intercultural_competences(ctx: ScoringContext) -> Judgement:
    found = _actions_with(ctx.plan, _OFFICIALS_WORDS)
    return judged(
        _count_score(len(found)),
        f"{len(found)} action(s) build the intercultural or inclusivity competences of officials and staff"
        f" ({_list(found)})",
        found,
    )


# ---------------------------------------------------------------------------
# 2. Capitalisation and communication of relevant knowledge

_AWARENESS_WORDS = (
    "awareness",
    "campaign",
    "communicat",
    "media",
    "publicity",
    "newsletter",
    "storytelling",
    "role model",
    "showcase",
    "visibility",
)


def raising_public_awareness(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    strategy = bool(plan.implementation and plan.implementation.communication)
    found = _actions_with(plan, _AWARENESS_WORDS)
    media = [s.id for s in plan.stakeholders if s.type == "media"]
    score = 1 + (1 if strategy else 0) + min(len(found), 2) + (1 if media else 0)
    return judged(
        min(5, score),
        f"communication {'described' if strategy else 'not described'} in the implementation framework;"
        f" {len(found)} awareness-raising action(s) ({_list(found)}); media stakeholders: {_list(media)}",
        (["implementation.communication"] if strategy else []) + found + media,
    )


def results_collected_and_shared(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    unmeasured = {i for f in ctx.findings("TD501") for i in f.subjects}
    learned = [t.id for t in plan.testing_actions if t.learnings and t.learnings.strip()]
    monitored = [i.id for i in plan.indicators if i.actuals]
    points = min(len(learned), 2) + (1 if monitored else 0) + (1 if len(monitored) >= 2 else 0)
    score = min(5, 1 + points)
    reason = (
        f"testing actions with learnings: {_list(learned)}; indicators with results collected (actuals):"
        f" {_list(monitored)}"
    )
    if unmeasured and score == 5:
        score = 4
    if unmeasured:
        reason += f"; testing actions with no measurement, so no result to share: {_list(sorted(unmeasured))}"
    return judged(score, reason, learned + monitored)


_SHARING_WORDS = (
    "guide",
    "toolkit",
    "handbook",
    "publication",
    "publish",
    "report",
    "open data",
    "platform",
    "share",
    "sharing",
    "transfer",
    "replicat",
    "dissemin",
    "case stud",
    "good practice",
    "lessons learn",
)


def knowledge_transfer(ctx: ScoringContext) -> Judgement:
    found = _actions_with(ctx.plan, _SHARING_WORDS)
    return judged(
        _count_score(len(found)),
        f"{len(found)} action(s) capture and share what they produce (guides, reports, platforms, transfer):"
        f" {_list(found)}",
        found,
    )


# ---------------------------------------------------------------------------
# 3. Participatory approaches to local decision-making and policy design

_DECIDING = ("decide", "partner", "empower")


def role_in_decisions(ctx: ScoringContext) -> Judgement:
    stakeholders = ctx.plan.stakeholders
    if not stakeholders:
        return judged(1, "no stakeholders are recorded", ["stakeholders"])
    idle = _idle(ctx)
    deciding = [s.id for s in stakeholders if s.participation in _DECIDING and s.id not in idle]
    reason = f"{len(deciding)}/{len(stakeholders)} stakeholders decide, partner or are empowered ({_list(deciding)})"
    if idle:
        reason += f"; taking part in no action and no meeting: {_list(sorted(idle))}"
    return judged(share_to_score(len(deciding) / len(stakeholders)), reason, deciding)


#: "with and by affected citizens, government agencies, academia, and those in the private and not-for-profit sectors"
_DIVERSE: dict[str, tuple[str, ...]] = {
    "affected citizens": ("citizens",),
    "government agencies": ("public-authority",),
    "academia": ("academia",),
    "private sector": ("private-company",),
    "not-for-profit sector": ("ngo", "social-enterprise"),
}


def engage_diverse_stakeholders(ctx: ScoringContext) -> Judgement:
    idle = _idle(ctx)
    stakeholders = [s for s in ctx.plan.stakeholders if s.id not in idle]
    present = {name: [s.id for s in stakeholders if s.type in types] for name, types in _DIVERSE.items()}
    found = [name for name, ids in present.items() if ids]
    absent = [name for name in _DIVERSE if name not in found]
    return judged(
        max(1, len(found)),
        f"{len(found)} of 5 kinds of stakeholders engaged: {_list(found)}"
        + (f"; missing: {', '.join(absent)}" if absent else "")
        + (f"; listed but taking part in nothing: {_list(sorted(idle))}" if idle else ""),
        sorted({i for ids in present.values() for i in ids}),
    )


def marginalised_groups(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    groups = _named_groups(plan)
    if not groups:
        return judged(1, "no target groups are named, so none can take part", ["context.target_groups"])
    idle = _idle(ctx)
    speaking = {
        g: [s.id for s in plan.stakeholders if g in s.represents and _rung(s.participation) >= 1 and s.id not in idle]
        for g in groups
    }
    voiced = [g for g in groups if speaking[g]]
    representatives = {i for ids in speaking.values() for i in ids}
    attended = sorted(representatives & {p for m in plan.meetings for p in m.participants})
    score = share_to_score(len(voiced) / len(groups))
    reason = (
        f"{len(voiced)}/{len(groups)} target groups have a representative consulted or more"
        f" ({_list(voiced)}); representatives at meetings: {_list(attended)}"
    )
    if score == 5 and not attended:
        score = 4
        reason += " (none of them attended a recorded meeting)"
    return judged(score, reason, ["context.target_groups", *sorted(representatives)])


# ---------------------------------------------------------------------------
# 4. Design and implementation of inclusive strategies

_CHARTER_WORDS = (
    "diversity charter",
    "equality plan",
    "gender equality plan",
    "equality strategy",
    "inclusion strategy",
    "inclusion plan",
    "diversity plan",
    "diversity strategy",
    "equal opportunities plan",
    "charter",
)


def diversity_charters(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    strategies = list(plan.context.related_strategies) if plan.context else []
    related = [
        f"context.related_strategies[{i}]"
        for i, s in enumerate(strategies)
        if any(w in s.title.lower() for w in _CHARTER_WORDS)
    ]
    actions = _actions_with(plan, _CHARTER_WORDS)
    mentioned = any(w in ctx.text() for w in _CHARTER_WORDS)
    # a charter among related strategies or in an action counts 2 each; a mere mention makes 2
    score = min(5, 1 + (2 if related else 0) + (2 if actions else 0))
    if score == 1 and mentioned:
        score = 2
    return judged(
        score,
        f"diversity charters or equality plans among related strategies: {len(related)};"
        f" in actions: {_list(actions)}; mentioned in the plan: {'yes' if mentioned else 'no'}",
        related + actions,
    )


def intersectional_inequalities(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    objectives = [o.id for o in plan.objectives if len(set(o.target_groups)) >= 2]
    actions = [a.id for a in plan.actions if len(set(a.target_groups)) >= 2]
    if objectives and actions:
        half = len(actions) * 2 >= len(plan.actions)
        score = 5 if half else 4
    elif objectives or actions:
        score = 3
    else:
        score = 1
    return judged(
        score,
        f"objectives for two or more groups together: {_list(objectives)}; actions: {_list(actions)}"
        f" ({len(actions)}/{len(plan.actions)})",
        objectives + actions,
    )


def inequalities_of_outcome(ctx: ScoringContext) -> Judgement:
    indicators = ctx.plan.indicators
    if not indicators:
        return judged(1, "no indicators, so outcomes cannot be compared between groups", ["indicators"])
    outcomes = [i for i in indicators if i.kind in ("result", "impact")]
    pool = outcomes or list(indicators)
    ok = [i.id for i in pool if i.disaggregation]
    score = share_to_score(len(ok) / len(pool))
    what = "result and impact" if outcomes else "(no result or impact indicators; all)"
    reason = f"{len(ok)}/{len(pool)} {what} indicators disaggregated by group ({_list(ok)})"
    if not outcomes and score > 3:
        score = 3
    unmeasured = sorted({i for f in ctx.findings("TD201") for i in f.subjects})
    if unmeasured:
        reason += f"; objectives with no result indicator, whose outcomes cannot be compared: {_list(unmeasured)}"
        score = min(score, 4)
    return judged(score, reason, ok)


# ---------------------------------------------------------------------------
# 5. Sustainable European networking between towns


def networks_and_platforms(ctx: ScoringContext) -> Judgement:
    meetings = [(i, m) for i, m in enumerate(ctx.plan.meetings) if m.kind == "transnational"]
    return judged(
        _count_score(len(meetings)),
        f"{len(meetings)} transnational meeting(s) with partner towns recorded",
        [f"meetings[{i}]" for i, _ in meetings],
    )


_NETWORK_WORDS = (
    "partner cit",
    "partner town",
    "network",
    "twin",
    "transnational",
    "european",
    "urbact",
    "peer",
    "study visit",
    "exchange",
    "good practice",
)


def platform_connecting_towns(ctx: ScoringContext) -> Judgement:
    plan = ctx.plan
    network = plan.plan.network
    found = _actions_with(plan, _NETWORK_WORDS)
    transnational = any(m.kind == "transnational" for m in plan.meetings)
    score = 1 + (1 if network else 0) + min(len(found), 2) + (1 if transnational else 0)
    return judged(
        min(5, score),
        f"network named: {network or 'none'}; actions working with partner towns or networks: {_list(found)};"
        f" transnational meetings: {'yes' if transnational else 'no'}",
        (["plan.network"] if network else []) + found,
    )


_INTERCULTURAL_WORDS = (
    "intercultur",
    "multicultur",
    "cultural mediat",
    "cultural diversity",
    "language",
    "migrant",
    "refugee",
    "diaspora",
    "ethnic",
    "roma",
    "minorit",
)


def intercultural_lens(ctx: ScoringContext) -> Judgement:
    found = _actions_with(ctx.plan, _INTERCULTURAL_WORDS)
    return judged(
        _count_score(len(found)),
        f"{len(found)} action(s) look through an intercultural lens (migrants, minorities, languages,"
        f" intercultural dialogue): {_list(found)}",
        found,
    )


# ---------------------------------------------------------------------------
# The rubric


def _c(
    ident: str,
    title: str,
    levels: tuple[str, str, str],
    scorer: Callable[[ScoringContext], Judgement],
    method: str,
    wording: Literal["seed", "completion"] = "seed",
    listens: Sequence[str | Listen] = (),
) -> Criterion:
    return Criterion(ident, title, levels, scorer, wording, method, listens)


RUBRIC = Rubric(
    name="indimae",
    title="INDIMAE policy lessons",
    version="0.1.0",
    description=(
        "The five key areas of the INDIMAE policy lessons for diversity management and inclusion in European"
        " towns, as criteria for an Integrated Action Plan. Section titles are the headings of the lessons;"
        " criteria titles quote (wording seed) or closely paraphrase (completion) a lesson; the descriptors of"
        " scores 1, 3 and 5 are this plugin's completion."
    ),
    source=SEED_TITLE + " (INDIMAE Network of Towns, Europe for Citizens programme)",
    sections=(
        Section(
            "1",
            "Lessons on capacity-building and expert support in European towns for successful diversity"
            " management and inclusion",
            (
                _c(
                    "training-and-learning-programmes",
                    "The training and learning programs for both local authorities and civil sector",
                    (
                        "no action builds skills or capacity",
                        "one action trains or mentors, or several without both sectors",
                        "several training and learning actions involving both local authorities and civil sector",
                    ),
                    training_programmes,
                    "Actions whose text speaks of training, skills, mentoring, courses or capacity, and whether"
                    " public authorities and NGOs, citizens or social enterprises lead or partner them.",
                    listens=_PEOPLE_LINKS,
                ),
                _c(
                    "expert-support",
                    "Capacity-building process is benefiting from expert support, cooperation and learning from"
                    " academia",
                    (
                        "no expert partners are consulted",
                        "some experts (academia, civil society or organisations of the groups) consulted",
                        "academia, civil society and organisations of the target groups consulted, and academia"
                        " working in actions",
                    ),
                    expert_support,
                    "Stakeholders consulted or more from academia, civil society and organisations representing"
                    " target groups, and academia among the leads and partners of actions; those taking part in"
                    " nothing (TD402) are not counted.",
                    listens=_IDLE,
                ),
                _c(
                    "intercultural-competences",
                    "Intercultural and inclusivity competences of all public and service officials",
                    (
                        "nothing builds the competences of officials and staff",
                        "one action addresses officials' or staff's inclusivity competences",
                        "three or more actions build intercultural and inclusivity competences",
                    ),
                    intercultural_competences,
                    "Actions whose text speaks of officials, public staff, cultural mediators, intercultural or"
                    " inclusivity training.",
                ),
            ),
        ),
        Section(
            "2",
            "Lessons on capitalisation and communication of relevant knowledge: focus on minorities; migrant"
            " and refugee communities; Intersectionality and gender dimension.",
            (
                _c(
                    "raising-public-awareness",
                    "The importance of raising public awareness on the positive results",
                    (
                        "no communication of the plan or its results",
                        "a communication plan or some awareness-raising actions",
                        "a communication plan, several awareness-raising actions and media partners",
                    ),
                    raising_public_awareness,
                    "implementation.communication, actions raising awareness or communicating, media stakeholders.",
                ),
                _c(
                    "results-collected-and-shared",
                    "Collected and shared the results from their local actions",
                    (
                        "no results collected: no learnings, no measured actuals",
                        "learnings from a testing action, or some indicators followed",
                        "learnings from several testing actions and several indicators followed with actuals",
                    ),
                    results_collected_and_shared,
                    "Testing actions with learnings, and indicators with actuals; at most 4 while a testing action"
                    " has no measurement (TD501).",
                    listens=("TD501",),
                ),
                _c(
                    "knowledge-transfer",
                    "Capturing, sharing and transferring the knowledge generated in exchange",
                    (
                        "no action captures or shares what it produces",
                        "one action produces something to share (a guide, report, platform)",
                        "three or more actions capture, share and transfer their knowledge",
                    ),
                    knowledge_transfer,
                    "Actions whose text speaks of guides, toolkits, reports, platforms, sharing, transfer or"
                    " replication.",
                    "completion",
                ),
            ),
        ),
        Section(
            "3",
            "Lessons on participatory approaches to local decision-making and policy design in European towns.",
            (
                _c(
                    "role-in-decisions",
                    "Stakeholders have a role in making decisions on policy, project design and implementation",
                    (
                        "stakeholders are only informed or consulted",
                        "some stakeholders decide, partner or are empowered",
                        "every stakeholder decides, partners or is empowered",
                    ),
                    role_in_decisions,
                    "The share of stakeholders at the rungs decide, partner or empower of the participation"
                    " ladder who take part in an action or a meeting (TD402).",
                    listens=_IDLE,
                ),
                _c(
                    "engage-diverse-stakeholders",
                    "Inclusive and participatory town must engage diverse stakeholders",
                    (
                        "one kind of stakeholder at most",
                        "three of: affected citizens, government agencies, academia, private, not-for-profit",
                        "affected citizens, government agencies, academia, private and not-for-profit sectors",
                    ),
                    engage_diverse_stakeholders,
                    "How many of the five kinds the lesson names are among the stakeholders who take part in an"
                    " action or a meeting (types citizens, public-authority, academia, private-company, ngo or"
                    " social-enterprise).",
                    listens=_IDLE,
                ),
                _c(
                    "participation-of-marginalised-groups",
                    "Enable active citizenship and participation for all - but in particular for the marginalized"
                    " groups",
                    (
                        "no target group has a voice among the stakeholders",
                        "some target groups are represented, consulted or more",
                        "every target group is represented, consulted or more, and its representatives meet",
                    ),
                    marginalised_groups,
                    "The share of target groups with a representing stakeholder consulted or more who takes part"
                    " in something (TD402); 5 needs one of them at a recorded meeting.",
                    listens=(*_IDLE, *_PARTICIPANTS),
                ),
            ),
        ),
        Section(
            "4",
            "Lessons on design and implementation of inclusive strategies. Diversity Charters and Equality Plans.",
            (
                _c(
                    "diversity-charters-equality-plans",
                    "European towns should adopt Diversity Charters and Equality Plans",
                    (
                        "no diversity charter or equality plan",
                        "a charter or equality plan among related strategies, or an action for one",
                        "a charter or equality plan among related strategies and actions to adopt or apply it",
                    ),
                    diversity_charters,
                    "Related strategies and actions that name a diversity charter, an equality plan or an"
                    " inclusion strategy; 2 when only the plan's text mentions one.",
                ),
                _c(
                    "intersectional-inequalities",
                    "Ethnic, gender and social-class inequalities are often compounded, in an intersectional way",
                    (
                        "each objective and action addresses one group at most",
                        "objectives or actions address two or more groups together",
                        "objectives and at least half of the actions address two or more groups together",
                    ),
                    intersectional_inequalities,
                    "Objectives and actions whose target groups hold two or more groups.",
                ),
                _c(
                    "inequalities-of-outcome",
                    "Ensure equal opportunity and reduce inequalities of outcome",
                    (
                        "no indicator can show outcomes by group",
                        "some outcome indicators are disaggregated by group",
                        "every result and impact indicator is disaggregated by group",
                    ),
                    inequalities_of_outcome,
                    "The share of result and impact indicators with a disaggregation (the lessons' 'collection"
                    " and use of disaggregated data and statistics'); at most 3 without outcome indicators, at"
                    " most 4 while an objective has no result indicator (TD201).",
                    listens=("TD201",),
                ),
            ),
        ),
        Section(
            "5",
            "Lessons on the importance of sustainable European networking between towns for intercultural"
            " dialogue and inclusion",
            (
                _c(
                    "networks-and-platforms",
                    "Networks and platforms to exchange good practices",
                    (
                        "no exchange with other towns recorded",
                        "one transnational meeting",
                        "three or more transnational meetings",
                    ),
                    networks_and_platforms,
                    "The number of transnational meetings: none 1, one 3, two 4, three or more 5.",
                ),
                _c(
                    "platform-connecting-towns",
                    "A platform to connect towns and leaders European-wide",
                    (
                        "the plan names no network and no partner towns",
                        "a network named, or actions with partner towns",
                        "a network named, several actions with partner towns or networks, and transnational meetings",
                    ),
                    platform_connecting_towns,
                    "plan.network, actions that speak of partner cities, networks, twinning, peers or exchanges,"
                    " and transnational meetings.",
                ),
                _c(
                    "intercultural-lens",
                    "Reviewing and adapting their policies through an intercultural lens",
                    (
                        "no action looks at cultural diversity",
                        "one action addresses migrants, minorities or intercultural dialogue",
                        "three or more actions address migrants, minorities or intercultural dialogue",
                    ),
                    intercultural_lens,
                    "Actions whose text speaks of intercultural dialogue, migrants, refugees, minorities,"
                    " languages or cultural mediation.",
                ),
            ),
        ),
    ),
)
