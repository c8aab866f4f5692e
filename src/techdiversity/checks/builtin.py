"""The built-in coherence checks of an Integrated Action Plan.

Codes by family: TD1xx the intervention logic (links, the Problem Tree, cycles),
TD2xx indicators, TD3xx time, TD4xx people, resources and risks, TD5xx testing
actions, TD6xx target groups. Codes are never reused: a removed check's code is
listed in ``REMOVED_CODES``.

Every check runs in time linear in the size of the plan: it reads the
:class:`~techdiversity.index.PlanIndex` built once, never traverses per node.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..dates import PartialDate
from ..findings import Finding
from ..index import Link
from ..model import Measurement
from ..vocab import TARGET_GROUPS
from .cycles import find_cycles
from .runner import CheckContext, check

#: Codes of checks that were removed; never give them to a new check.
REMOVED_CODES: tuple[str, ...] = ()

_KIND_WORDS = {
    "problem": "a problem",
    "objective": "an objective",
    "action": "an action",
    "indicator": "an indicator",
    "stakeholder": "a stakeholder",
    "risk": "a risk",
    "testing_action": "a testing action",
}


def _owner_word(link: Link) -> str:
    if link.spec.owner == "meeting":
        return link.source.replace("meetings[", "meeting [").replace("]", "]")
    return f"{link.spec.owner.replace('_', ' ')} {link.source}"


def _targets_word(link: Link) -> str:
    return " or ".join(_KIND_WORDS[k] for k in link.spec.targets)


# ---------------------------------------------------------------------------
# TD1xx: the intervention logic


@check(
    "TD100",
    "dangling-link",
    "error",
    "A link names an id that does not exist",
    why="""
An Integrated Action Plan is read as a chain: problems lead to objectives, objectives
to actions, actions to indicators. A link to an id that is not in the plan breaks the
chain at that point: the reader (a peer reviewer, the URBACT secretariat, a tool)
cannot tell which problem an objective answers or which objective an action serves.
It is most often a typo or a renumbered item.
""",
    fix="Correct the id in the link, or add the missing problem, objective, action or stakeholder.",
    example="""
actions:
  - id: A1
    contributes_to: [SO9]   # there is no SO9
""",
)
def dangling_link(ctx: CheckContext) -> Iterator[Finding]:
    kinds = ctx.index.kind_of
    for link in ctx.index.links:
        if link.target not in kinds:
            yield ctx.finding(
                f"{_owner_word(link)} {link.spec.field} {link.target}, which does not exist",
                [link.source, link.target] if link.spec.owner != "meeting" else [link.target],
                link.pointer,
            )


@check(
    "TD101",
    "wrong-kind-link",
    "error",
    "A link names an id of the wrong kind",
    why="""
Each link of the plan format means one thing: an action `contributes_to` objectives,
an objective `addresses` problems, an indicator `measures` actions or objectives. A link
to the wrong kind of thing (an action that "contributes to" a problem) says something
the intervention logic cannot hold, and hides the link the plan needed.
""",
    fix="Point the link at the right kind of item (for `contributes_to`, an objective's id).",
    example="""
actions:
  - id: A1
    contributes_to: [P1]    # P1 is a problem
""",
)
def wrong_kind_link(ctx: CheckContext) -> Iterator[Finding]:
    kinds = ctx.index.kind_of
    for link in ctx.index.links:
        kind = kinds.get(link.target)
        if kind is not None and kind not in link.spec.targets:
            subjects = [link.source, link.target] if link.spec.owner != "meeting" else [link.target]
            yield ctx.finding(
                f"{_owner_word(link)} {link.spec.field} {link.target}, which is {_KIND_WORDS[kind]},"
                f" not {_targets_word(link)}",
                subjects,
                link.pointer,
            )


@check(
    "TD102",
    "core-problem-count",
    "warning",
    "The Problem Tree does not have exactly one core problem",
    why="""
The URBACT Problem Tree has one trunk: the core problem, with its causes as roots and
its effects as branches. A plan with no core problem has not said what it is about; a
plan with several has not yet chosen its focus, and its objectives will pull apart.
""",
    fix="Mark the one problem the plan is about with `core: true`; make the others its causes or effects.",
)
def core_problem_count(ctx: CheckContext) -> Iterator[Finding]:
    problems = ctx.plan.problems
    if not problems:
        yield ctx.finding("the plan has no Problem Tree: no problems are listed", [], "")
        return
    core = [p.id for p in problems if p.core]
    if not core:
        yield ctx.finding("no problem is marked as the core problem (core: true)", [], "/problems")
    elif len(core) > 1:
        yield ctx.finding(
            f"{len(core)} problems are marked as core: {', '.join(core)}; the Problem Tree has one",
            core,
            ctx.pointer(core[1]),
        )


@check(
    "TD103",
    "action-without-objective",
    "error",
    "An action serves no objective",
    why="""
In the IAP intervention logic every action exists to reach a specific objective. An
action linked to none cannot be justified in the City Action Table ("to which
objectives will it contribute?"), and it will be the first one cut, or the one nobody
can explain to the URBACT Local Group.
""",
    fix="List the objective(s) it serves in `contributes_to`, or drop the action.",
    example="""
actions:
  - id: A4
    title: Coding club
    contributes_to: []
""",
)
def action_without_objective(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.plan.actions:
        if not action.contributes_to:
            yield ctx.finding(f"action {action.id} contributes to no objective", [action.id], ctx.pointer(action.id))


@check(
    "TD104",
    "objective-without-action",
    "warning",
    "An objective has no action",
    why="""
A specific objective that no action serves is a wish, not a plan: nothing in the plan
will move it. Peer reviewers look for "solutions that relate clearly to problems" and
an objective with no action is where that link is missing.
""",
    fix="Add an action that contributes to the objective, or merge the objective into another.",
)
def objective_without_action(ctx: CheckContext) -> Iterator[Finding]:
    for objective in ctx.plan.objectives:
        if not ctx.index.referrers("contributes_to", objective.id):
            yield ctx.finding(
                f"no action contributes to objective {objective.id}", [objective.id], ctx.pointer(objective.id)
            )


@check(
    "TD105",
    "objective-without-problem",
    "warning",
    "An objective answers no problem",
    why="""
The URBACT assessment grid scores the "coherence of objectives with actions and
indicators": score 1 is "solutions do not have link to problems". An objective with no
problem in `addresses` is exactly that.
""",
    fix="List the problem(s) of the Problem Tree the objective answers in `addresses`.",
)
def objective_without_problem(ctx: CheckContext) -> Iterator[Finding]:
    for objective in ctx.plan.objectives:
        if not objective.addresses:
            yield ctx.finding(
                f"objective {objective.id} addresses no problem", [objective.id], ctx.pointer(objective.id)
            )


@check(
    "TD106",
    "problem-unaddressed",
    "warning",
    "A problem is addressed by no objective",
    why="""
Problems found with the URBACT Local Group and left without an objective are either
out of the plan's scope (then say so by removing them from the tree) or a gap in the
strategy. Either way the reader should not have to guess.
""",
    fix="Add the problem to the `addresses` of the objective that answers it, or remove it from the tree.",
)
def problem_unaddressed(ctx: CheckContext) -> Iterator[Finding]:
    for problem in ctx.plan.problems:
        if not ctx.index.referrers("addresses", problem.id):
            yield ctx.finding(f"no objective addresses problem {problem.id}", [problem.id], ctx.pointer(problem.id))


@check(
    "TD107",
    "problem-cycle",
    "error",
    "The Problem Tree has a cycle",
    why="""
A Problem Tree reads from root causes to effects. If a problem is, through a chain of
`causes` and `effects`, its own cause, the tree no longer has roots: it cannot say
which problems to tackle first.
""",
    fix="Break the cycle: decide which of the problems is the cause and remove the link that says otherwise.",
    example="""
problems:
  - {id: P1, causes: [P2]}
  - {id: P2, causes: [P1]}
""",
)
def problem_cycle(ctx: CheckContext) -> Iterator[Finding]:
    edges: dict[str, list[str]] = {}
    for link in ctx.index.links:
        if link.spec.rel == "causes" and ctx.index.kind_of.get(link.target) == "problem":
            cause, effect = (link.target, link.source) if link.spec.reverse else (link.source, link.target)
            edges.setdefault(cause, []).append(effect)
    for cycle in find_cycles(edges):
        yield ctx.finding(
            "problem causes form a cycle: " + " --> ".join([*cycle, cycle[0]]), cycle, ctx.pointer(cycle[0])
        )


@check(
    "TD108",
    "dependency-cycle",
    "error",
    "Actions depend on each other in a cycle",
    why="""
`depends_on` says which actions must finish first. A cycle (A1 waits for A3, which
waits for A1) means none of them can start: the timetable of the plan cannot be met.
""",
    fix="Remove the dependency that is not real, or split an action so the order is clear.",
    example="""
actions:
  - {id: A1, depends_on: [A2]}
  - {id: A2, depends_on: [A1]}
""",
)
def dependency_cycle(ctx: CheckContext) -> Iterator[Finding]:
    edges: dict[str, list[str]] = {}
    for link in ctx.index.links:
        if link.spec.field == "depends_on" and ctx.index.kind_of.get(link.target) == "action":
            edges.setdefault(link.source, []).append(link.target)
    for cycle in find_cycles(edges):
        yield ctx.finding(
            "actions depend on each other in a cycle: " + " --> ".join([*cycle, cycle[0]]),
            cycle,
            ctx.pointer(cycle[0]),
        )


# ---------------------------------------------------------------------------
# TD2xx: indicators


def _measured(ctx: CheckContext, ident: str, kinds: tuple[str, ...] | None = None) -> bool:
    for source in ctx.index.referrers("measures", ident):
        if ctx.index.kind_of.get(source) != "indicator":
            continue
        if kinds is None or ctx.index.by_id[source].kind in kinds:
            return True
    return False


@check(
    "TD200",
    "action-without-indicator",
    "warning",
    "An action has no indicator",
    why="""
The City Action Table asks of every action "how will you measure the change?". An
action that no indicator measures cannot be monitored: nobody will know whether it
delivered its outputs.
""",
    fix="Add an output indicator with `measures: [<action id>]`.",
)
def action_without_indicator(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.plan.actions:
        if not _measured(ctx, action.id):
            yield ctx.finding(f"no indicator measures action {action.id}", [action.id], ctx.pointer(action.id))


@check(
    "TD201",
    "objective-without-result-indicator",
    "warning",
    "An objective has no result indicator",
    why="""
Output indicators count what actions produce; result indicators show whether the
objective is being reached. The URBACT grid gives its top score to "a full set of
quantified indicators": an objective with no result (or impact) indicator can report
activity but not change.
""",
    fix="Add an indicator of `kind: result` (or `impact`) that `measures` the objective.",
)
def objective_without_result_indicator(ctx: CheckContext) -> Iterator[Finding]:
    for objective in ctx.plan.objectives:
        if not _measured(ctx, objective.id, ("result", "impact")):
            yield ctx.finding(
                f"no result indicator measures objective {objective.id}", [objective.id], ctx.pointer(objective.id)
            )


@check(
    "TD202",
    "indicator-without-baseline",
    "warning",
    "An indicator has no baseline",
    why="""
Without a baseline a target means little: "300 women at the festival" is a success
from 50 and a setback from 400. URBACT asks for baseline, milestones and target.
""",
    fix="Add `baseline: {value: ..., date: ...}` with the latest known value.",
)
def indicator_without_baseline(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if ind.baseline is None or ind.baseline.value is None:
            yield ctx.finding(f"indicator {ind.id} has no baseline", [ind.id], ctx.pointer(ind.id))


@check(
    "TD203",
    "indicator-without-target",
    "warning",
    "An indicator has no target",
    why="""
An indicator with no target measures without judging: nobody can say at the end
whether the action or objective succeeded.
""",
    fix="Add `target: {value: ..., date: ...}`.",
)
def indicator_without_target(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if ind.target is None or ind.target.value is None:
            yield ctx.finding(f"indicator {ind.id} has no target", [ind.id], ctx.pointer(ind.id))


@check(
    "TD204",
    "target-not-quantified",
    "warning",
    "An indicator's target is not a number",
    why="""
The URBACT assessment grid gives score 3 to a plan where "indicators are mentioned but
targets are not quantified", and keeps 5 for quantified targets. "More women in IT" is
a direction, not a target.
""",
    fix="Write the target as a number in the indicator's unit (`value: 300`), and put the words in `note`.",
    example="""
indicators:
  - id: I1
    target: {value: more young people, date: 2028}
""",
)
def target_not_quantified(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if ind.target is not None and ind.target.value is not None and not ind.target.quantified:
            yield ctx.finding(
                f"indicator {ind.id} has a target in words ({ind.target.value!r}), not a number",
                [ind.id],
                f"{ctx.pointer(ind.id)}/target/value",
            )


@check(
    "TD205",
    "indicator-without-milestones",
    "warning",
    "An indicator has no milestones",
    why="""
Milestones are how a ULG notices early that an action is off track. The URBACT grid's
top score asks for "a full set of quantified indicators with milestones".
""",
    fix="Add one or more `milestones: [{value: ..., date: ...}]` between baseline and target.",
)
def indicator_without_milestones(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if not ind.milestones:
            yield ctx.finding(f"indicator {ind.id} has no milestones", [ind.id], ctx.pointer(ind.id))


@check(
    "TD206",
    "milestone-after-target",
    "error",
    "A milestone is dated after the target",
    why="""
A milestone is a step towards the target; one that falls after the target date is a
typo in a date, or a target set too early.
""",
    fix="Correct the milestone's date or the target's date.",
)
def milestone_after_target(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        target = ind.target
        if target is None or target.date is None:
            continue
        base = ctx.pointer(ind.id)
        for i, milestone in enumerate(ind.milestones):
            if milestone.date is not None and milestone.date.first > target.date.last:
                yield ctx.finding(
                    f"indicator {ind.id} has a milestone dated {milestone.date} after its target date {target.date}",
                    [ind.id],
                    f"{base}/milestones/{i}/date",
                )


def _outside(date: PartialDate, start: PartialDate | None, end: PartialDate | None) -> bool:
    return (start is not None and date.first < start.first) or (end is not None and date.last > end.last)


def _period_words(start: PartialDate | None, end: PartialDate | None) -> str:
    return f"{start or '...'} to {end or '...'}"


@check(
    "TD207",
    "milestone-outside-period",
    "warning",
    "A milestone or target falls outside the plan period",
    why="""
Milestones and targets are what the plan promises within its period. One dated outside
`plan.period` cannot be reported on while the plan runs.
""",
    fix="Move the date into the plan period, or extend `plan.period` if the plan really runs longer.",
)
def milestone_outside_period(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.plan.plan.period
    if period is None or (period.start is None and period.end is None):
        return
    words = _period_words(period.start, period.end)
    for ind in ctx.plan.indicators:
        base = ctx.pointer(ind.id)
        dated: list[tuple[str, Measurement]] = [(f"milestones/{i}", m) for i, m in enumerate(ind.milestones)]
        if ind.target is not None:
            dated.append(("target", ind.target))
        for where, m in dated:
            if m.date is not None and _outside(m.date, period.start, period.end):
                what = "target" if where == "target" else "milestone"
                yield ctx.finding(
                    f"indicator {ind.id} has a {what} dated {m.date}, outside the plan period {words}",
                    [ind.id],
                    f"{base}/{where}/date",
                )


@check(
    "TD208",
    "indicator-measures-nothing",
    "warning",
    "An indicator measures nothing",
    why="""
An indicator has to say what it measures (`measures`: actions or objectives), or it
floats outside the intervention logic and no action owner will report it.
""",
    fix="List the action(s) or objective(s) it measures in `measures`.",
)
def indicator_measures_nothing(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if not ind.measures:
            yield ctx.finding(f"indicator {ind.id} measures no action or objective", [ind.id], ctx.pointer(ind.id))


@check(
    "TD209",
    "baseline-not-quantified",
    "warning",
    "An indicator's baseline is not a number",
    why="""
Progress is the distance from the baseline to the target. A baseline in words
("few women") cannot be compared with anything.
""",
    fix="Write the baseline as a number in the indicator's unit; if it is unknown, plan how to measure it first.",
)
def baseline_not_quantified(ctx: CheckContext) -> Iterator[Finding]:
    for ind in ctx.plan.indicators:
        if ind.baseline is not None and ind.baseline.value is not None and not ind.baseline.quantified:
            yield ctx.finding(
                f"indicator {ind.id} has a baseline in words ({ind.baseline.value!r}), not a number",
                [ind.id],
                f"{ctx.pointer(ind.id)}/baseline/value",
            )


# ---------------------------------------------------------------------------
# TD3xx: time


@check(
    "TD300",
    "action-outside-period",
    "warning",
    "An action runs outside the plan period",
    why="""
The plan period is what the city commits to. An action that starts before it or ends
after it is either mis-dated or needs funding and governance the plan does not cover.
""",
    fix="Correct the action's `timescale`, or the plan's `period`.",
)
def action_outside_period(ctx: CheckContext) -> Iterator[Finding]:
    period = ctx.plan.plan.period
    if period is None or (period.start is None and period.end is None):
        return
    words = _period_words(period.start, period.end)
    for action in ctx.plan.actions:
        ts = action.timescale
        if ts is None:
            continue
        if (ts.start is not None and _outside(ts.start, period.start, period.end)) or (
            ts.end is not None and _outside(ts.end, period.start, period.end)
        ):
            yield ctx.finding(
                f"action {action.id} runs {_period_words(ts.start, ts.end)}, outside the plan period {words}",
                [action.id],
                f"{ctx.pointer(action.id)}/timescale",
            )


@check(
    "TD301",
    "dependency-finishes-late",
    "error",
    "An action starts before an action it depends on has finished",
    why="""
`depends_on` says an action needs another one finished first. If the dependency's
timescale ends after the dependant starts, the timetable contradicts the logic: one of
the dates is wrong, or the dependency is not real.
""",
    fix="Move the dependant's start after the dependency's end, or remove the dependency.",
    example="""
actions:
  - {id: A1, timescale: {start: 2025, end: 2026}}
  - {id: A2, depends_on: [A1], timescale: {start: 2026-03, end: 2027}}
""",
)
def dependency_finishes_late(ctx: CheckContext) -> Iterator[Finding]:
    actions = ctx.index.by_id
    for link in ctx.index.links:
        if link.spec.field != "depends_on" or ctx.index.kind_of.get(link.target) != "action":
            continue
        dependant = actions[link.source]
        dependency = actions[link.target]
        start = dependant.timescale.start if dependant.timescale is not None else None
        end = dependency.timescale.end if dependency.timescale is not None else None
        if start is not None and end is not None and end.last > start.first:
            yield ctx.finding(
                f"action {dependant.id} starts {start} but depends on action {dependency.id}, which ends {end}",
                [dependant.id, dependency.id],
                link.pointer,
            )


@check(
    "TD302",
    "action-without-timescale",
    "warning",
    "An action has no timescale",
    why="""
The City Action Table has a timescale column for each action, and the implementation
framework needs timings. An undated action cannot be scheduled, funded or monitored.
""",
    fix="Add `timescale: {start: ..., end: ...}` (a year or a quarter is enough).",
)
def action_without_timescale(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.plan.actions:
        ts = action.timescale
        if ts is None or (ts.start is None and ts.end is None):
            yield ctx.finding(f"action {action.id} has no timescale", [action.id], ctx.pointer(action.id))


# ---------------------------------------------------------------------------
# TD4xx: people, resources and risks


@check(
    "TD400",
    "action-without-lead",
    "warning",
    "An action has no lead",
    why="""
An action that nobody leads is an action nobody will do. The implementation framework
of an IAP names responsibilities for each action.
""",
    fix="Name the stakeholder responsible in `lead`.",
)
def action_without_lead(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.plan.actions:
        if action.lead is None:
            yield ctx.finding(f"action {action.id} has no lead", [action.id], ctx.pointer(action.id))


@check(
    "TD401",
    "action-without-resources",
    "warning",
    "An action has no resources",
    why="""
The City Action Table asks "what does it take to finalise the action?" and URBACT asks
for costings and funding sources. An action without resources is not yet a plan.
""",
    fix="List its `resources`: budget with amount, currency and funding source, staff time, premises.",
)
def action_without_resources(ctx: CheckContext) -> Iterator[Finding]:
    for action in ctx.plan.actions:
        if not action.resources:
            yield ctx.finding(f"action {action.id} has no resources", [action.id], ctx.pointer(action.id))


@check(
    "TD402",
    "stakeholder-unused",
    "warning",
    "A stakeholder takes part in no action and no meeting",
    why="""
The URBACT Local Group is the plan's engine. A stakeholder who leads or partners no
action and attended no meeting is listed but not involved; peer reviewers look for
"meetings held with all stakeholders".
""",
    fix="Involve the stakeholder (as `lead` or in `partners`, or in a meeting's `participants`), or remove them.",
)
def stakeholder_unused(ctx: CheckContext) -> Iterator[Finding]:
    for s in ctx.plan.stakeholders:
        if not (
            ctx.index.referrers("lead", s.id)
            or ctx.index.referrers("partners", s.id)
            or ctx.index.referrers("participants", s.id)
        ):
            yield ctx.finding(
                f"stakeholder {s.id} leads or partners no action and attends no meeting", [s.id], ctx.pointer(s.id)
            )


@check(
    "TD403",
    "risk-without-mitigation",
    "warning",
    "A risk has no mitigation",
    why="""
The IAP Canvas asks "what could prevent the implementation of the actions?" so that
the plan can answer it. A risk named and left without a mitigation is a known problem
with no answer.
""",
    fix="Say in `mitigation` what the city will do to prevent the risk or to limit its impact.",
)
def risk_without_mitigation(ctx: CheckContext) -> Iterator[Finding]:
    for risk in ctx.plan.risks:
        if not (risk.mitigation and risk.mitigation.strip()):
            yield ctx.finding(f"risk {risk.id} has no mitigation", [risk.id], ctx.pointer(risk.id))


@check(
    "TD404",
    "risk-affects-nothing",
    "warning",
    "A risk affects nothing in the plan",
    why="""
A risk matters through what it puts at risk. Linking it to the actions it threatens
tells action leads what to watch, and lets the plan show which actions carry the most
risk.
""",
    fix="List the actions (or objectives, or testing actions) it threatens in `affects`.",
)
def risk_affects_nothing(ctx: CheckContext) -> Iterator[Finding]:
    for risk in ctx.plan.risks:
        if not risk.affects:
            yield ctx.finding(f"risk {risk.id} affects nothing in the plan", [risk.id], ctx.pointer(risk.id))


# ---------------------------------------------------------------------------
# TD5xx: testing actions


@check(
    "TD500",
    "testing-action-tests-nothing",
    "warning",
    "A testing action tests no action",
    why="""
URBACT testing actions "prototype local solutions and de-risk future actions". One that
is not linked to an action of the plan de-risks nothing the plan will do.
""",
    fix="List the action(s) of the plan it tries out in `tests`.",
)
def testing_action_tests_nothing(ctx: CheckContext) -> Iterator[Finding]:
    for t in ctx.plan.testing_actions:
        if not t.tests:
            yield ctx.finding(f"testing action {t.id} tests no action", [t.id], ctx.pointer(t.id))


@check(
    "TD501",
    "testing-action-without-measurement",
    "warning",
    "A testing action has no measurement",
    why="""
The testing-action canvas ends with "Measurement": how the city will know whether the
test worked. Without it the test gives an impression, not a lesson for the plan.
""",
    fix="Say in `measurement` what will be counted or observed, and against what.",
)
def testing_action_without_measurement(ctx: CheckContext) -> Iterator[Finding]:
    for t in ctx.plan.testing_actions:
        if not (t.measurement and t.measurement.strip()):
            yield ctx.finding(f"testing action {t.id} has no measurement", [t.id], ctx.pointer(t.id))


# ---------------------------------------------------------------------------
# TD6xx: target groups


@check(
    "TD600",
    "target-group-unserved",
    "warning",
    "A target group of the context is served by no objective or action",
    why="""
Target groups named in "Context, needs and vision" are a promise of the plan. A group
that no objective or action serves (women, migrants, young people...) is named and
then forgotten, the very gap diversity and inclusion plans set out to close.
""",
    fix="Add the group to the `target_groups` of the objectives and actions that serve it, or remove it.",
)
def target_group_unserved(ctx: CheckContext) -> Iterator[Finding]:
    context = ctx.plan.context
    if context is None or not context.target_groups:
        return
    served: set[str] = set()
    for objective in ctx.plan.objectives:
        served.update(objective.target_groups)
    for action in ctx.plan.actions:
        served.update(action.target_groups)
    for i, group in enumerate(context.target_groups):
        if group not in served:
            yield ctx.finding(
                f"target group {group!r} is named in the context but no objective or action serves it",
                [group],
                f"/context/target_groups/{i}",
            )


@check(
    "TD601",
    "target-group-unknown",
    "info",
    "A target group is not in the suggested list",
    why="""
Target groups are open: a plan may name any group it serves. But plans are compared
across a network (which cities serve migrants?), and `woman` in one plan and `women` in
another are counted as two groups. The suggested list keeps the common groups spelled
alike; this check points out near misses.
""",
    fix="Use the suggested spelling when one is offered; keep your own slug for a group that is not in the list.",
)
def target_group_unknown(ctx: CheckContext) -> Iterator[Finding]:
    import difflib

    places: list[tuple[str, str, str]] = []
    if ctx.plan.context is not None:
        places += [
            (g, f"/context/target_groups/{i}", "the context") for i, g in enumerate(ctx.plan.context.target_groups)
        ]
    for i, o in enumerate(ctx.plan.objectives):
        places += [(g, f"/objectives/{i}/target_groups/{j}", o.id) for j, g in enumerate(o.target_groups)]
    for i, a in enumerate(ctx.plan.actions):
        places += [(g, f"/actions/{i}/target_groups/{j}", a.id) for j, g in enumerate(a.target_groups)]
    for i, s in enumerate(ctx.plan.stakeholders):
        places += [(g, f"/stakeholders/{i}/represents/{j}", s.id) for j, g in enumerate(s.represents)]
    for group, pointer, owner in places:
        if group in TARGET_GROUPS:
            continue
        close = difflib.get_close_matches(group, TARGET_GROUPS, n=1, cutoff=0.75)
        if close:
            yield ctx.finding(
                f"target group {group!r} of {owner} is not in the suggested list; did you mean {close[0]!r}?",
                [group],
                pointer,
            )
