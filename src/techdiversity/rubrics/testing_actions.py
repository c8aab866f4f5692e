"""The ``testing-actions`` rubric: the URBACT testing-action canvas and why to test.

From section 4.1 of the TechDiversity 2nd Quarterly Network Report (2024), "Testing
Activities and TechDiversity": the canvas the ad hoc expert introduced ("The
Challenge", "What if", "We want to test if", "Our IDEA", "Measurement") and the five
answers to "Why conduct a testing action?" (proof of concept, building political and
public buy-in, activating the ULG, innovation, quick wins). The criteria titles quote
the canvas and the reasons; the report has no level descriptors, so the descriptors of
scores 1, 3 and 5 are this library's completion (``wording="completion"``), as is the
third section, which ties the testing actions to the plan ("'Trial runs' enable
cities to prototype local solutions and de-risk future actions").
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import TestingAction
from . import (
    Criterion,
    Judgement,
    Listen,
    Rubric,
    ScoringContext,
    Section,
    cannot_judge,
    judged,
    share_to_score,
)
from .evidence import criterion as _c

__all__ = ["PURPOSES", "RUBRIC"]

#: The five reasons of "Why conduct a testing action?": purpose slug -> (name, explanation), in the seed's words.
PURPOSES: dict[str, tuple[str, str]] = {
    "proof-of-concept": (
        "Proof of concept",
        "testing specific actions at a small-scale, in order to validate the action before inserting it (at a"
        " larger scale) in the IAP",
    ),
    "political-buy-in": (
        "Building political and public buy-in",
        "testing public opinion and building acceptance of a potential future action, increasing transparency,"
        " and gauging the best ways to communicate",
    ),
    "activating-ulg": (
        "Activating the ULG",
        "engaging ULG members around a concrete activity which they can plan and implement together (which"
        " creates new dynamics compared to purely planning work)",
    ),
    "innovation": (
        "Innovation",
        "developing new attitudes and skills within public administrations, leading to a more open approach that"
        " allows risk taking and instils competences for more agile policymaking",
    ),
    "quick-win": (
        "Quick wins",
        "enabling the implementation of a necessary first step to enable further actions to be feasible and"
        " therefore worth planning in detail",
    ),
}


def _share(done: int, total: int) -> float:
    return done / total if total else 0.0


def _filled(value: str | None) -> bool:
    return bool(value and value.strip())


# ---------------------------------------------------------------------------
# The canvas


def _canvas_scorer(field: str, label: str) -> Callable[[ScoringContext], Judgement]:
    def scorer(ctx: ScoringContext) -> Judgement:
        tests = ctx.plan.testing_actions
        if not tests:
            return judged(1, "no testing actions are recorded", ["testing_actions"])
        ok = [t.id for t in tests if _filled(getattr(t, field))]
        missing = [t.id for t in tests if t.id not in ok]
        reason = f"{len(ok)}/{len(tests)} testing actions fill in “{label}” ({field})"
        if missing:
            reason += f"; missing in {', '.join(missing)}"
        return judged(share_to_score(_share(len(ok), len(tests))), reason, ok)

    scorer.__name__ = f"canvas_{field}"
    return scorer


# ---------------------------------------------------------------------------
# Why conduct a testing action?


def reasons_stated(ctx: ScoringContext) -> Judgement:
    tests = ctx.plan.testing_actions
    if not tests:
        return judged(1, "no testing actions, so no reasons to test are stated", ["testing_actions"])
    ok = [t.id for t in tests if t.purposes]
    return judged(
        share_to_score(_share(len(ok), len(tests))),
        f"{len(ok)}/{len(tests)} testing actions state at least one reason to test (purposes)",
        ok,
    )


def _covered_score(k: int) -> int:
    return {0: 1, 1: 2, 2: 3, 3: 4, 4: 4}.get(k, 5)


def reasons_covered(ctx: ScoringContext) -> Judgement:
    tests = ctx.plan.testing_actions
    covered = [p for p in PURPOSES if any(p in t.purposes for t in tests)]
    names = [PURPOSES[p][0] for p in covered]
    absent = [PURPOSES[p][0] for p in PURPOSES if p not in covered]
    reason = f"{len(covered)} of the five reasons are covered" + (f": {', '.join(names)}" if names else "")
    if absent and covered:
        reason += f"; not covered: {', '.join(absent)}"
    if not tests:
        reason = "no testing actions, so none of the five reasons is covered"
    return judged(_covered_score(len(covered)), reason, [t.id for t in tests if t.purposes])


# ---------------------------------------------------------------------------
# Link to the plan


def tests_actions(ctx: ScoringContext) -> Judgement:
    tests = ctx.plan.testing_actions
    if not tests:
        return judged(1, "no testing actions, so none de-risks an action of the plan", ["testing_actions"])

    def linked(t: TestingAction) -> bool:
        return bool(t.tests) and all(ctx.index.kind_of.get(a) == "action" for a in t.tests)

    ok = [t.id for t in tests if linked(t)]
    dangling = sorted({a for t in tests for a in t.tests if ctx.index.kind_of.get(a) != "action"})
    reason = f"{len(ok)}/{len(tests)} testing actions name the existing action(s) they test"
    if dangling:
        reason += f"; not actions of the plan: {', '.join(dangling)}"
    return judged(share_to_score(_share(len(ok), len(tests))), reason, ok + [a for t in tests for a in t.tests])


def learnings(ctx: ScoringContext) -> Judgement:
    done = [t for t in ctx.plan.testing_actions if t.status == "done"]
    if not done:
        return cannot_judge(
            "no testing action is done yet, so there are no learnings to expect",
            [t.id for t in ctx.plan.testing_actions],
        )
    ok = [t.id for t in done if _filled(t.learnings)]
    return judged(
        share_to_score(_share(len(ok), len(done))),
        f"{len(ok)}/{len(done)} testing actions that are done record their learnings",
        [t.id for t in done],
    )


def period(ctx: ScoringContext) -> Judgement:
    tests = ctx.plan.testing_actions
    if not tests:
        return judged(1, "no testing actions, so no periods", ["testing_actions"])
    ok = [t.id for t in tests if t.period is not None and (t.period.start or t.period.end)]
    return judged(
        share_to_score(_share(len(ok), len(tests))), f"{len(ok)}/{len(tests)} testing actions have a period", ok
    )


_CANVAS: tuple[tuple[str, str, str, str], ...] = (
    ("challenge", "challenge", "The Challenge", "the urban challenge the test responds to"),
    ("what-if", "what_if", "What if", "the “what if” question that opens the idea"),
    ("we-want-to-test-if", "hypothesis", "We want to test if", "the hypothesis to test"),
    ("idea", "idea", "Our IDEA", "the idea: what will be done, where and when"),
    ("measurement", "measurement", "Measurement", "how the result of the test will be measured"),
)


def _canvas_criterion(ident: str, field: str, title: str, what: str) -> Criterion:
    return _c(
        ident,
        title,
        (
            f"no testing action states {what}",
            f"some testing actions state {what}",
            f"every testing action states {what}",
        ),
        _canvas_scorer(field, title),
        f"The share of testing actions with `{field}` filled in; no testing actions scores 1.",
        listens=_CANVAS_LISTENS.get(field, ()),
    )


#: The checks that bear on a field of the canvas.
_CANVAS_LISTENS: dict[str, tuple[Listen, ...]] = {"measurement": (Listen("TD501"),)}


_REASON_LIST = ", ".join(name.lower() for name, _ in PURPOSES.values())

RUBRIC = Rubric(
    name="testing-actions",
    title="URBACT testing actions",
    version="1.0",
    description=(
        "The URBACT testing-action canvas and the five reasons to test, as introduced to the TechDiversity"
        " partners, and how the testing actions de-risk the actions of the plan. Titles quote the canvas and"
        " the reasons; the descriptors of scores 1, 3 and 5 are this library's completion."
    ),
    source=(
        "TechDiversity 2nd Quarterly Network Report (2024), 4.1 Testing Activities and TechDiversity:"
        " the testing-action canvas and “Why conduct a testing action?”"
    ),
    sections=(
        Section(
            "canvas",
            "The testing-action canvas",
            tuple(_canvas_criterion(*row) for row in _CANVAS),
            wording="completion",
        ),
        Section(
            "reasons",
            "Why conduct a testing action?",
            (
                _c(
                    "reasons-stated",
                    "Why conduct a testing action? Each testing action states its reasons",
                    (
                        "no testing action says why it is conducted",
                        "some testing actions state a reason",
                        f"every testing action states its reasons ({_REASON_LIST})",
                    ),
                    reasons_stated,
                    "The share of testing actions with at least one purpose.",
                ),
                _c(
                    "reasons-covered",
                    "Reasons covered: proof of concept, building political and public buy-in, activating the ULG,"
                    " innovation, quick wins",
                    (
                        "none of the five reasons is covered",
                        "two of the five reasons are covered",
                        "all five reasons are covered: proof of concept, building political and public buy-in,"
                        " activating the ULG, innovation and quick wins",
                    ),
                    reasons_covered,
                    "How many of the five purposes the testing actions cover together: 0 scores 1, 1 scores 2,"
                    " 2 scores 3, 3 or 4 score 4, all five score 5.",
                ),
            ),
        ),
        Section(
            "link",
            "Link to the plan",
            (
                _c(
                    "tests-actions",
                    "Testing actions de-risk future actions of the plan",
                    (
                        "no testing action names the action it tests",
                        "some testing actions name the actions they test",
                        "every testing action names the existing actions it prototypes and de-risks",
                    ),
                    tests_actions,
                    "The share of testing actions whose `tests` name existing actions of the plan.",
                    listens=(Listen("TD500"), Listen("TD100", ("tests",)), Listen("TD101", ("tests",))),
                ),
                _c(
                    "learnings",
                    "Learnings from the testing actions feed the plan",
                    (
                        "finished tests record no learnings",
                        "some finished tests record their learnings",
                        "every finished test records its learnings",
                    ),
                    learnings,
                    "Among testing actions with status done, the share with learnings; cannot judge before any is"
                    " done.",
                ),
                _c(
                    "period",
                    "Testing actions are scheduled",
                    (
                        "no testing action has a period",
                        "some testing actions have a period",
                        "every testing action has a period",
                    ),
                    period,
                    "The share of testing actions with a period.",
                ),
            ),
            wording="completion",
        ),
    ),
)
