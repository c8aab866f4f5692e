"""The scores see what the checks see: a sensitivity matrix over every check code.

For every built-in check code, :data:`MATRIX` holds a mutation of a coherent plan (the
Trikala example, which no check faults) that makes the check fire, and the criteria
(rubric, criterion id) whose score must drop because of it. The matrix is read against
the check registry: a new check without an entry fails :func:`test_every_check_has_an_entry`.
A code no built-in criterion listens to must say why in ``UNSCORED_CODES`` and change
no score.

The other direction: adding real evidence (a meeting with every stakeholder, a
quantified target, a real milestone, evidence for a problem) to the coherent plan and to
every mutated plan never lowers a score (random plans are covered by ``test_rubrics.py``).
Every error finding is also checked to keep the criteria that hear it below 5.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import techdiversity as td
from techdiversity import plugins
from techdiversity.checks import builtin_checks, run_checks
from techdiversity.dates import PartialDate
from techdiversity.index import LINK_SPECS
from techdiversity.model import Measurement, Period, Plan, Problem, Stakeholder
from techdiversity.rubrics import Rubric, ScoreCard, ScoringContext, score_with
from techdiversity.rubrics.builtin import UNSCORED_CODES, builtin_rubrics

try:  # tests/ as a package, or tests/ on sys.path (pytest's rootdir-relative import)
    from .evidence_steps import add_evidence
except ImportError:
    from evidence_steps import add_evidence  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "examples" / "trikala.yaml"

Mutation = Callable[[Plan], Plan]


def _d(text: str) -> PartialDate:
    return PartialDate.parse(text)


def _replace(items: tuple[Any, ...], i: int, **changes: Any) -> tuple[Any, ...]:
    return (*items[:i], attrs.evolve(items[i], **changes), *items[i + 1 :])


def _action(plan: Plan, ident: str) -> int:
    return next(i for i, a in enumerate(plan.actions) if a.id == ident)


def _indicator(plan: Plan, ident: str) -> int:
    return next(i for i, x in enumerate(plan.indicators) if x.id == ident)


def _act(plan: Plan, ident: str, **changes: Any) -> Plan:
    return attrs.evolve(plan, actions=_replace(plan.actions, _action(plan, ident), **changes))


def _ind(plan: Plan, ident: str, **changes: Any) -> Plan:
    return attrs.evolve(plan, indicators=_replace(plan.indicators, _indicator(plan, ident), **changes))


def _no_contributions_to(plan: Plan, objective: str) -> Plan:
    actions = []
    for a in plan.actions:
        kept = tuple(o for o in a.contributes_to if o != objective)
        actions.append(attrs.evolve(a, contributes_to=kept or ("SO1",)))
    return attrs.evolve(plan, actions=tuple(actions))


def _no_result_indicator_for(plan: Plan, objective: str) -> Plan:
    indicators = tuple(
        attrs.evolve(i, kind="output") if objective in i.measures and i.kind in ("result", "impact") else i
        for i in plan.indicators
    )
    return attrs.evolve(plan, indicators=indicators)


def _copy_action(plan: Plan, ident: str, new: str) -> Plan:
    a = plan.actions[_action(plan, ident)]
    return attrs.evolve(plan, actions=(*plan.actions, attrs.evolve(a, id=new)))


def _copy_indicator(plan: Plan, ident: str, new: str, **changes: Any) -> Plan:
    i = plan.indicators[_indicator(plan, ident)]
    return attrs.evolve(plan, indicators=(*plan.indicators, attrs.evolve(i, id=new, **changes)))


def _risk(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, risks=_replace(plan.risks, 0, **changes))


def _testing(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, testing_actions=_replace(plan.testing_actions, 0, **changes))


def _cycle_of_actions(plan: Plan) -> Plan:
    # the same single day for both: a cycle, and no dependency that finishes late (TD301)
    day = Period(_d("2026-05-04"), _d("2026-05-04"))
    plan = _act(plan, "A1", depends_on=("A2",), timescale=day)
    return _act(plan, "A2", depends_on=("A1",), timescale=day)


def _idle_stakeholder(plan: Plan) -> Plan:
    idle = Stakeholder(id="S99", name="A listed but idle partner", type="ngo", participation="consult")
    return attrs.evolve(plan, stakeholders=(*plan.stakeholders, idle))


def _objective_without_problem(plan: Plan) -> Plan:
    objectives = _replace(plan.objectives, 0, addresses=())
    objectives = _replace(objectives, 1, addresses=(*objectives[1].addresses, "P2"))
    return attrs.evolve(plan, objectives=objectives)


def _second_core(plan: Plan) -> Plan:
    return attrs.evolve(plan, problems=_replace(plan.problems, 1, core=True))


def _problem_cycle(plan: Plan) -> Plan:
    # P1 has P2 among its causes; P2 now has P1 among its causes too
    return attrs.evolve(plan, problems=_replace(plan.problems, 1, causes=("P1",)))


def _unaddressed_problem(plan: Plan) -> Plan:
    extra = Problem(id="P9", statement="Broadband is slow in the villages of the municipality", effects=("P1",))
    return attrs.evolve(plan, problems=(*plan.problems, extra))


def _unserved_group(plan: Plan) -> Plan:
    assert plan.context is not None
    context = attrs.evolve(plan.context, target_groups=(*plan.context.target_groups, "roma"))
    return attrs.evolve(plan, context=context)


def _misspelled_group(plan: Plan) -> Plan:
    return attrs.evolve(plan, stakeholders=_replace(plan.stakeholders, 0, represents=("woman",)))


#: code -> (what the mutation does, the mutation, the (rubric, criterion) that must drop)
MATRIX: dict[str, tuple[str, Mutation, tuple[tuple[str, str], ...]]] = {
    "TD100": (
        "action A1 contributes to SO9, which does not exist",
        lambda p: _act(p, "A1", contributes_to=("SO9",)),
        (("urbact-iap", "coherence-of-objectives"), ("urbact-iap", "action-descriptions")),
    ),
    "TD101": (
        "action A1 contributes to P1, a problem",
        lambda p: _act(p, "A1", contributes_to=("P1",)),
        (("urbact-iap", "coherence-of-objectives"),),
    ),
    "TD102": ("a second core problem", _second_core, (("urbact-iap", "problem-analysis"),)),
    "TD103": (
        "action A1 contributes to nothing",
        lambda p: _act(p, "A1", contributes_to=()),
        (("urbact-iap", "coherence-of-objectives"), ("urbact-iap", "action-descriptions")),
    ),
    "TD104": (
        "no action contributes to SO3 any more",
        lambda p: _no_contributions_to(p, "SO3"),
        (("urbact-iap", "coherence-of-objectives"),),
    ),
    "TD105": (
        "objective SO1 addresses no problem (SO2 takes over P2)",
        _objective_without_problem,
        (("urbact-iap", "coherence-of-objectives"), ("urbact-iap", "strategic-goal")),
    ),
    "TD106": (
        "a new problem P9 no objective addresses",
        _unaddressed_problem,
        (("urbact-iap", "coherence-of-objectives"),),
    ),
    "TD107": ("P1 and P2 cause each other", _problem_cycle, (("urbact-iap", "problem-analysis"),)),
    "TD108": (
        "A1 and A2 depend on each other",
        _cycle_of_actions,
        (("urbact-iap", "timings"),),
    ),
    "TD200": (
        "a new action A9 that no indicator measures",
        lambda p: _copy_action(p, "A1", "A9"),
        (("urbact-iap", "coherence-of-objectives"), ("urbact-iap", "monitoring-indicators")),
    ),
    "TD201": (
        "SO1's result indicator becomes an output indicator",
        lambda p: _no_result_indicator_for(p, "SO1"),
        (("urbact-iap", "use-of-indicators"), ("urbact-iap", "strategic-goal")),
    ),
    "TD202": ("I1 loses its baseline", lambda p: _ind(p, "I1", baseline=None), (("urbact-iap", "use-of-indicators"),)),
    "TD203": ("I1 loses its target", lambda p: _ind(p, "I1", target=None), (("urbact-iap", "use-of-indicators"),)),
    "TD204": (
        "I1's target in words",
        lambda p: _ind(p, "I1", target=Measurement("many more students", _d("2030"))),
        (("urbact-iap", "use-of-indicators"),),
    ),
    "TD205": (
        "I1 loses its milestones",
        lambda p: _ind(p, "I1", milestones=()),
        (("urbact-iap", "use-of-indicators"),),
    ),
    "TD206": (
        "I3 (target 2027) gets a milestone in 2028",
        lambda p: _ind(p, "I3", milestones=(Measurement(20, _d("2028")),)),
        (("urbact-iap", "use-of-indicators"),),
    ),
    "TD207": (
        "I1 gets a milestone before the plan period",
        lambda p: _ind(p, "I1", milestones=(Measurement(100, _d("2024-12")), Measurement(400, _d("2028")))),
        (("urbact-iap", "use-of-indicators"), ("urbact-iap", "monitoring-indicators")),
    ),
    "TD208": (
        "a new indicator I99 that measures nothing",
        lambda p: _copy_indicator(p, "I1", "I99", measures=()),
        (("urbact-iap", "coherence-of-objectives"), ("urbact-iap", "monitoring-indicators")),
    ),
    "TD209": (
        "I1's baseline in words",
        lambda p: _ind(p, "I1", baseline=Measurement("a few", _d("2024"))),
        (("urbact-iap", "use-of-indicators"),),
    ),
    "TD300": (
        "A1 runs until 2031",
        lambda p: _act(p, "A1", timescale=Period(_d("2025-09"), _d("2031-06"))),
        (("urbact-iap", "timings"),),
    ),
    "TD301": (
        "A4 now depends on A1, which ends after A4 starts",
        lambda p: _act(p, "A4", depends_on=("A1",)),
        (("urbact-iap", "timings"),),
    ),
    "TD302": ("A6 loses its timescale", lambda p: _act(p, "A6", timescale=None), (("urbact-iap", "timings"),)),
    "TD400": ("A1 loses its lead", lambda p: _act(p, "A1", lead=None), (("urbact-iap", "responsibilities"),)),
    "TD401": ("A1 loses its resources", lambda p: _act(p, "A1", resources=()), (("urbact-iap", "costings"),)),
    "TD402": (
        "a new stakeholder S99 who takes part in nothing",
        _idle_stakeholder,
        (("urbact-iap", "consultation-meetings"), ("urbact-iap", "development-with-partners")),
    ),
    "TD403": ("R1 loses its mitigation", lambda p: _risk(p, mitigation=None), (("urbact-iap", "risk-assessment"),)),
    "TD404": ("R1 affects nothing", lambda p: _risk(p, affects=()), (("urbact-iap", "risk-assessment"),)),
    "TD500": ("T1 tests nothing", lambda p: _testing(p, tests=()), (("testing-actions", "tests-actions"),)),
    "TD501": (
        "T1 loses its measurement",
        lambda p: _testing(p, measurement=None),
        (("testing-actions", "measurement"),),
    ),
    "TD600": (
        "the context names roma, whom nothing serves",
        _unserved_group,
        (("diversity-inclusion", "target-groups-served"),),
    ),
    "TD601": ("a stakeholder represents 'woman'", _misspelled_group, ()),
}


@pytest.fixture(scope="module")
def base() -> Plan:
    plan = td.load(BASE)
    return attrs.evolve(plan, source=None)  # mutated plans have no file places


@pytest.fixture(scope="module")
def rubrics() -> tuple[Rubric, ...]:
    return builtin_rubrics()


def _cards(plan: Plan, rubrics: tuple[Rubric, ...]) -> dict[str, ScoreCard]:
    ctx = ScoringContext(plan)
    return {r.name: score_with(plan, r, context=ctx) for r in rubrics}


def _scores(cards: dict[str, ScoreCard]) -> dict[tuple[str, str], int | None]:
    return {
        (name, r.criterion.id): (r.automatic.score if r.automatic is not None else None)
        for name, card in cards.items()
        for r in card.results()
    }


def test_every_check_has_an_entry() -> None:
    codes = [c.code for c in builtin_checks()]
    missing = [c for c in codes if c not in MATRIX]
    assert not missing, f"add a mutation and the criteria that must drop to MATRIX for: {missing}"
    assert not set(MATRIX) - set(codes), "MATRIX names codes that are not checks"


def test_the_base_plan_is_coherent(base: Plan) -> None:
    assert not list(run_checks(base, builtin_checks()))


@pytest.mark.parametrize("code", [c.code for c in builtin_checks()])
def test_a_finding_lowers_the_criteria_that_judge_it(code: str, base: Plan, rubrics: tuple[Rubric, ...]) -> None:
    what, mutate, must_drop = MATRIX[code]
    plan = mutate(base)
    fired = {f.code for f in run_checks(plan, builtin_checks())}
    assert fired == {code}, f"{code} ({what}): the mutation should make exactly {code} fire, got {sorted(fired)}"
    before = _scores(_cards(base, rubrics))
    cards = _cards(plan, rubrics)
    after = _scores(cards)
    listened = {(r.name, c.id) for r in rubrics for c in r.criteria() if code in c.codes}
    if code in UNSCORED_CODES:
        assert not must_drop and not listened, f"{code} is listed as not scored, yet criteria listen to it"
        assert after == before, f"{code} is not scored, yet scores changed"
        return
    assert must_drop, f"{code}: name the criteria that must drop, or list the code in UNSCORED_CODES"
    for key in must_drop:
        assert key in listened, f"{key} must drop on {code} but does not declare it in listens_to"
        old, new = before[key], after[key]
        assert old is not None and new is not None and new < old, f"{code} ({what}): {key} went {old} -> {new}"
    # the criteria that heard the finding cite it in their evidence
    for name, card in cards.items():
        for result in card.results():
            auto = result.automatic
            if auto is not None and any(f.code == code for f in auto.findings):
                assert any(e.startswith(code) for e in result.evidence()), (name, result.criterion.id)


@pytest.mark.parametrize("code", [c.code for c in builtin_checks() if c.severity == "error"])
def test_an_error_keeps_every_criterion_that_hears_it_off_the_top(
    code: str, base: Plan, rubrics: tuple[Rubric, ...]
) -> None:
    _, mutate, _ = MATRIX[code]
    cards = _cards(mutate(base), rubrics)
    heard = [
        (name, r.criterion.id, r.automatic.score)
        for name, card in cards.items()
        for r in card.results()
        if r.automatic is not None and any(f.code == code for f in r.automatic.findings)
    ]
    assert heard, f"no criterion heard {code}"
    assert all(score is None or score < 5 for *_, score in heard), heard


def test_every_builtin_check_is_scored_somewhere_or_says_why(rubrics: tuple[Rubric, ...]) -> None:
    listened = {code for r in rubrics for c in r.criteria() for code in c.codes}
    for chk in builtin_checks():
        if chk.code in UNSCORED_CODES:
            assert chk.code not in listened, f"{chk.code} is listened to, so it is scored: drop it from UNSCORED_CODES"
            assert len(UNSCORED_CODES[chk.code].split()) >= 8, f"say why {chk.code} is not scored"
        else:
            assert chk.code in listened, f"no built-in criterion listens to {chk.code}; add it, or say why not"
    assert set(UNSCORED_CODES) <= {c.code for c in builtin_checks()}


def test_every_kind_of_link_is_heard_when_it_dangles(rubrics: tuple[Rubric, ...]) -> None:
    """A dangling or wrong-kind link lowers the criterion that judges that part of the plan, whatever the field."""
    for code in ("TD100", "TD101"):
        fields = {
            x_field
            for r in rubrics
            for c in r.criteria()
            for x in c.listens_to
            if x.code == code
            for x_field in x.fields
        }
        everything = any(not x.fields for r in rubrics for c in r.criteria() for x in c.listens_to if x.code == code)
        missing = sorted({s.field for s in LINK_SPECS} - fields)
        assert everything or not missing, f"no criterion hears {code} at: {missing}"


def test_every_listened_code_is_a_registered_check() -> None:
    known = {c.code for c in plugins.all_checks()}
    for r in plugins.all_rubrics():
        for c in r.criteria():
            assert set(c.codes) <= known, (r.name, c.id, sorted(set(c.codes) - known))


REAL_EVIDENCE: tuple[tuple[Any, ...], ...] = (
    ("meeting", "ulg", _d("2025-10"), "ULG meeting on the action table"),
    ("meeting", "consultation", _d("2026-03"), "Open consultation"),
    ("quantify", 0, 250),
    ("milestone", 0, 300, _d("2027")),
    ("milestone", 2, 20, _d("2026-12")),
    ("evidence", 0, "national statistics office, 2024", "a finding with a number"),
    ("evidence", 5, "employer survey", "another finding"),
)


@pytest.mark.parametrize("code", ["none", *(c.code for c in builtin_checks())])
def test_real_evidence_never_lowers_a_score(code: str, base: Plan, rubrics: tuple[Rubric, ...]) -> None:
    plan = base if code == "none" else MATRIX[code][1](base)
    before = _scores(_cards(plan, rubrics))
    for step in REAL_EVIDENCE:
        plan = add_evidence(plan, step)
        after = _scores(_cards(plan, rubrics))
        lowered = {k: (before[k], after[k]) for k in before if before[k] is not None and (after[k] or 0) < before[k]}
        assert not lowered, f"after {step[0]} on the plan with {code}: {lowered}"
        before = after
