"""Real evidence added to a plan, one step at a time: what must never lower a score.

A step adds a meeting that every stakeholder attends, a quantified target in place of
words (or of no target), a milestone dated where a real one can be (inside the plan
period, not after the indicator's target), or a piece of evidence for a problem. Shared
by the monotonicity tests of ``test_rubrics.py`` and ``test_sensitivity.py``.
"""

from __future__ import annotations

from typing import Any

import attrs

from techdiversity.dates import PartialDate
from techdiversity.model import Evidence, Indicator, Measurement, Meeting, Plan

__all__ = ["add_evidence"]


def _real_milestone_date(plan: Plan, ind: Indicator, wanted: PartialDate) -> PartialDate | None:
    """A date a real milestone could have: ``wanted`` when it is inside the plan period and
    not after the indicator's target; else the target's own date when that one is inside the
    period; else None (no real milestone can be added: a milestone dated outside the plan, or
    after its target, is a mistake the checks report, not evidence)."""
    period = plan.plan.period

    def inside(d: PartialDate) -> bool:
        if period is None:
            return True
        return not (
            (period.start is not None and d.first < period.start.first)
            or (period.end is not None and d.last > period.end.last)
        )

    target = ind.target.date if ind.target is not None else None
    if inside(wanted) and (target is None or wanted.first <= target.last):
        return wanted
    if target is not None and inside(target):
        return target
    return None


def add_evidence(plan: Plan, step: tuple[Any, ...]) -> Plan:
    """The plan with one more piece of evidence; the plan itself when the step does not apply.

    Steps: ``("meeting", kind, date, topic)``, ``("quantify", indicator, value)``,
    ``("milestone", indicator, value, date)``, ``("evidence", problem, source, finding)``;
    indicator and problem are positions, taken modulo the number there are.
    """
    kind = step[0]
    if kind == "meeting":
        _, meeting_kind, date, topic = step
        everyone = tuple(s.id for s in plan.stakeholders)
        meeting = Meeting(date=date, kind=meeting_kind, topic=topic or "meeting", participants=everyone)
        return attrs.evolve(plan, meetings=(*plan.meetings, meeting))
    if kind in ("quantify", "milestone"):
        if not plan.indicators:
            return plan
        i = step[1] % len(plan.indicators)
        ind: Indicator = plan.indicators[i]
        if kind == "quantify":
            if ind.target is not None and ind.target.quantified:
                return plan
            date = ind.target.date if ind.target is not None else None
            ind = attrs.evolve(ind, target=Measurement(step[2], date))
        else:
            milestone_date = _real_milestone_date(plan, ind, step[3])
            if milestone_date is None:
                return plan
            ind = attrs.evolve(ind, milestones=(*ind.milestones, Measurement(step[2], milestone_date)))
        return attrs.evolve(plan, indicators=(*plan.indicators[:i], ind, *plan.indicators[i + 1 :]))
    if not plan.problems:
        return plan
    i = step[1] % len(plan.problems)
    problem = plan.problems[i]
    problem = attrs.evolve(problem, evidence=(*problem.evidence, Evidence(step[2] or "survey", step[3] or "data")))
    return attrs.evolve(plan, problems=(*plan.problems[:i], problem, *plan.problems[i + 1 :]))
