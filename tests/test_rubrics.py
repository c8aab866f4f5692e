"""The built-in rubrics (and indimae when installed): shape, seed wording, scorers, people's scores.

Properties checked for every rubric:

- it scores the starter plan, every example and random valid plans without a scorer failing;
- scores are 1..5 or None, criterion ids are unique slugs, each criterion has three levels;
- every automatic judgement with a score says why;
- monotonicity: adding evidence (a meeting with all stakeholders, a quantified target
  in place of words, a milestone, evidence for a problem) never lowers a score.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import techdiversity as td
from techdiversity import plugins, vocab
from techdiversity.dates import PartialDate
from techdiversity.io import loads_assessment
from techdiversity.model import (
    Action,
    Assessment,
    Context,
    CriterionScore,
    Indicator,
    Integration,
    IntegrationAspect,
    IntegrationType,
    Measurement,
    Meeting,
    Objective,
    Period,
    Plan,
    PlanInfo,
    Stakeholder,
    TestingAction,
)
from techdiversity.rubrics import Rubric, ScoreCard, ScoringContext, score
from techdiversity.starter import starter_plan

try:  # tests/ as a package, or tests/ on sys.path (pytest's rootdir-relative import)
    from . import strategies as S
    from .evidence_steps import add_evidence
except ImportError:
    import strategies as S  # type: ignore[no-redef]
    from evidence_steps import add_evidence  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
#: The passages of the seed (the TechDiversity report, ../shared/seeds/000_...) that the
#: rubrics quote, verbatim; tests/fixtures/seeds/excerpts.py makes and checks them.
SEED_IAP = ROOT / "tests" / "fixtures" / "seeds" / "000-iap-tools.txt"
SEEDS = ROOT.parent / "shared" / "seeds"

BUILTIN = ("urbact-iap", "integration", "testing-actions", "diversity-inclusion")
INDIMAE_INSTALLED = "indimae" in {ep.name for ep in metadata.entry_points(group="techdiversity")}
RUBRICS = BUILTIN + (("indimae",) if INDIMAE_INSTALLED else ())

MODEST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def rubric(name: str) -> Rubric:
    found = {r.name: r for r in plugins.all_rubrics()}
    assert name in found, f"rubric {name} is not registered; known: {sorted(found)}"
    result: Rubric = found[name]
    return result


def starter() -> Plan:
    return td.loads(starter_plan(city="Testville"))


def named_plans() -> Iterator[tuple[str, Plan]]:
    yield "starter", starter()
    for path in EXAMPLES:
        yield path.name, td.load(path)


PLAN_IDS = ["starter", *(p.name for p in EXAMPLES)]


def plan_by_name(name: str) -> Plan:
    return starter() if name == "starter" else td.load(ROOT / "examples" / name)


def automatic_scores(plan: Plan, names: tuple[str, ...] = RUBRICS) -> dict[tuple[str, str], int | None]:
    out: dict[tuple[str, str], int | None] = {}
    ctx = ScoringContext(plan)
    for name in names:
        for criterion in rubric(name).criteria():
            if criterion.scorer is not None:
                judgement = criterion.judge(ctx)
                out[(name, criterion.id)] = judgement.score if judgement is not None else None
    return out


# ---------------------------------------------------------------------------
# Every rubric: shape


def test_builtin_rubrics_are_registered() -> None:
    builtin = [r.name for r in plugins.all_rubrics() if r.plugin == "techdiversity"]
    assert builtin == list(BUILTIN)
    if INDIMAE_INSTALLED:
        assert rubric("indimae").plugin == "indimae"


def test_builtin_rubrics_come_first() -> None:
    names = [r.name for r in plugins.all_rubrics()]
    assert names[: len(BUILTIN)] == list(BUILTIN)


@pytest.mark.parametrize("name", RUBRICS)
def test_rubric_shape(name: str) -> None:
    r = rubric(name)
    ids = [c.id for c in r.criteria()]
    assert ids and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:[-.][a-z0-9]+)*", i) for i in ids)
    assert len({s.id for s in r.sections}) == len(r.sections)
    for c in r.criteria():
        assert len(c.levels) == 3 and all(isinstance(level, str) and level.strip() for level in c.levels), c.id
        assert c.title.strip() and c.method.strip(), c.id
        assert c.wording in ("seed", "completion")
        assert c.scorer is not None, c.id
        assert set(c.levels_json()) == {"1", "2", "3", "4", "5"}
    assert r.title and r.version and r.source


@pytest.mark.parametrize("plan_name", PLAN_IDS)
@pytest.mark.parametrize("name", RUBRICS)
def test_scores_every_plan(name: str, plan_name: str) -> None:
    plan = plan_by_name(plan_name)
    card = score(plan, name)
    assert isinstance(card, ScoreCard) and card.plan_id == plan.id
    for result in card.results():
        auto = result.automatic
        assert auto is not None
        assert "automatic scorer failed" not in auto.reason, (result.criterion.id, auto.reason)
        assert auto.score is None or 1 <= auto.score <= 5
        assert result.score is None or 1 <= result.score <= 5
        if auto.score is not None:  # explainability: a score always says why
            assert auto.reason.strip(), result.criterion.id
    for section in card.sections:
        assert 0 <= section.score <= section.max
    assert card.max == sum(s.max for s in card.sections)
    json.dumps(card.to_json())
    assert not [f for f in plugins.failures() if "scorer of" in f.reason]


def test_examples_exist() -> None:
    assert EXAMPLES, "no example plans in examples/"


@MODEST
@given(S.plans())
def test_scorers_never_fail_and_always_explain(plan: Plan) -> None:
    ctx = ScoringContext(plan)
    for name in RUBRICS:
        for criterion in rubric(name).criteria():
            assert criterion.scorer is not None
            j = criterion.judge(ctx)
            assert j is not None
            assert j.score is None or 1 <= j.score <= 5
            assert j.reason.strip(), (name, criterion.id)
            assert all(isinstance(e, str) and e for e in j.elements), (name, criterion.id)


# ---------------------------------------------------------------------------
# Seed wording


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_iap() -> dict[str, str]:
    """The seed, whitespace-normalised; and the first column of its tables read down, cell after cell.

    The text of the assessment grid comes from a PDF table: an indicator's name is split over
    the lines of its three "score N" rows ("Description of how the action plan" / "was
    developed with the partners"). Reading the first column down, with a cell repeated on
    consecutive lines written once, gives the names back.
    """
    raw = SEED_IAP.read_text("utf-8")
    cells: list[str] = []
    for line in raw.splitlines():
        if "\t" not in line:
            continue
        cell = line.split("\t")[0].strip()
        if cell and (not cells or cells[-1] != cell):
            cells.append(cell)
    return {"text": _norm(raw), "column": _norm(" ".join(cells))}


if SEEDS.is_dir():  # only beside the seeds (../shared): elsewhere the excerpts are all there is

    def test_seed_excerpts_are_verbatim() -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("excerpts", ROOT / "tests" / "fixtures" / "seeds" / "excerpts.py")
        assert spec is not None and spec.loader is not None
        excerpts = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(excerpts)
        for name, (seed, ranges) in excerpts.EXCERPTS.items():
            expected = excerpts.excerpt((SEEDS / seed).read_text("utf-8"), ranges)
            assert (ROOT / name).read_text("utf-8") == expected, f"{name}: rerun tests/fixtures/seeds/excerpts.py"


def test_urbact_iap_seed_wording_is_verbatim(seed_iap: dict[str, str]) -> None:
    r = rubric("urbact-iap")
    seeded = [c for c in r.criteria() if c.wording == "seed"]
    assert len(seeded) >= 10
    for c in seeded:
        title = _norm(c.title)
        assert title in seed_iap["text"] or title in seed_iap["column"], f"title not in the seed: {c.title!r}"
        for level, descriptor in zip((1, 3, 5), c.levels, strict=True):
            d = _norm(descriptor)
            assert re.search(rf"score {level}\s*[:;]\s*{re.escape(d)}", seed_iap["text"]), (
                f"{c.id}: level {level} not in the seed: {descriptor!r}"
            )


def test_integration_titles_quote_the_seed(seed_iap: dict[str, str]) -> None:
    text = seed_iap["text"].lower()
    r = rubric("integration")
    for section in r.sections:
        assert _norm(section.title).lower() in text
    for c in r.criteria():
        for part in c.title.split(": "):
            assert _norm(part).lower() in text, f"{c.id}: {part!r} not in the seed"
    aspects = [c.title for c in r.sections[1].criteria]
    assert "Stakeholder involvement in planning" in aspects
    assert "Sustainable urban development (economic, social, environmental)" in aspects
    assert "Integration of cross-cutting thematic aspects" in aspects
    assert [c.id for c in r.sections[0].criteria] == list(vocab.INTEGRATION_TYPES)
    assert [c.id for c in r.sections[1].criteria] == list(vocab.ASPECTS)
    assert "Integrate economic, social and environmental challenges" in r.sections[0].criteria[0].title


def test_testing_actions_quote_the_canvas_and_the_reasons(seed_iap: dict[str, str]) -> None:
    from techdiversity.rubrics.testing_actions import PURPOSES

    text = seed_iap["text"]
    r = rubric("testing-actions")
    canvas = r.sections[0].criteria
    assert [c.id for c in canvas] == ["challenge", "what-if", "we-want-to-test-if", "idea", "measurement"]
    for c in canvas:
        assert c.title in text
    assert r.sections[1].title in text
    assert set(PURPOSES) == set(vocab.TESTING_PURPOSES)
    for name, explanation in PURPOSES.values():
        assert _norm(f"{name}: {explanation}") in text


# ---------------------------------------------------------------------------
# Monotonicity: adding evidence never lowers a score


def _without(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, **changes)


def _words_targets(plan: Plan) -> Plan:
    return _without(
        plan,
        indicators=tuple(
            attrs.evolve(i, target=Measurement("more than today", i.target.date if i.target else None))
            for i in plan.indicators
        ),
    )


def _bases() -> list[Plan]:
    s = starter()
    return [
        s,
        _without(s, meetings=()),
        _without(s, stakeholders=(), meetings=()),
        _without(s, indicators=()),
        _words_targets(s),
        _without(s, indicators=tuple(attrs.evolve(i, milestones=(), baseline=None) for i in s.indicators)),
        _without(s, problems=tuple(attrs.evolve(p, evidence=()) for p in s.problems)),
        _without(s, testing_actions=(), integration=None),
        _without(s, context=None, vision=None, strategic_goal=None),
        _without(s, actions=(), risks=(), testing_actions=()),
        _without(s, implementation=None),
        Plan(plan=s.plan, problems=s.problems, indicators=_words_targets(s).indicators),
        Plan(plan=PlanInfo(id="empty-iap")),
    ]


BASES = _bases()

_dates = st.sampled_from(["2024", "2025-Q3", "2026-05", "2027-09-06"]).map(PartialDate.parse)
_words = st.sampled_from(
    [
        "ULG meeting",
        "training and mentoring",
        "diversity charter",
        "transnational exchange with partner cities",
        "awareness campaign",
        "économie sociale et environnementale",
        "",
    ]
)
_evidence_steps = st.one_of(
    st.tuples(st.just("meeting"), st.sampled_from((None, *vocab.MEETING_KINDS)), _dates, _words),
    st.tuples(st.just("quantify"), st.integers(0, 5), st.integers(0, 10_000)),
    st.tuples(st.just("milestone"), st.integers(0, 5), st.integers(0, 10_000), _dates),
    st.tuples(st.just("evidence"), st.integers(0, 6), _words, _words),
)


def _assert_not_lower(before: dict[tuple[str, str], int | None], after: dict[tuple[str, str], int | None]) -> None:
    for key, old in before.items():
        new = after[key]
        if old is None:
            continue
        assert new is not None and new >= old, f"{key}: {old} -> {new} after adding evidence"


@MODEST
@given(st.sampled_from(range(len(BASES))), st.lists(_evidence_steps, min_size=1, max_size=4))
def test_adding_evidence_never_lowers_a_score(base: int, steps: list[tuple[Any, ...]]) -> None:
    plan = BASES[base]
    before = automatic_scores(plan)
    for step in steps:
        plan = add_evidence(plan, step)
        after = automatic_scores(plan)
        _assert_not_lower(before, after)
        before = after


@MODEST
@given(S.plans(), st.lists(_evidence_steps, min_size=1, max_size=3))
def test_adding_evidence_to_random_plans_never_lowers_a_score(plan: Plan, steps: list[tuple[Any, ...]]) -> None:
    before = automatic_scores(plan)
    for step in steps:
        plan = add_evidence(plan, step)
        after = automatic_scores(plan)
        _assert_not_lower(before, after)
        before = after


@pytest.mark.parametrize("plan_name", PLAN_IDS)
def test_adding_evidence_to_the_examples_never_lowers_a_score(plan_name: str) -> None:
    plan = _words_targets(plan_by_name(plan_name)) if plan_name == "starter" else plan_by_name(plan_name)
    steps: list[tuple[Any, ...]] = [
        ("meeting", "ulg", PartialDate.parse("2025-10"), "ULG meeting"),
        ("meeting", "transnational", PartialDate.parse("2025-11"), "exchange with partner cities"),
        ("quantify", 0, 250),
        ("milestone", 1, 100, PartialDate.parse("2026")),
        ("evidence", 0, "national statistics", "a finding"),
    ]
    before = automatic_scores(plan)
    for step in steps:
        plan = add_evidence(plan, step)
        after = automatic_scores(plan)
        _assert_not_lower(before, after)
        before = after


# ---------------------------------------------------------------------------
# integration: the rules of its scorers


def _plan(**kw: Any) -> Plan:
    return Plan(plan=PlanInfo(id="rules-iap"), **kw)


def _judge(name: str, criterion: str, plan: Plan) -> Any:
    c = rubric(name).criterion(criterion)
    assert c is not None and c.scorer is not None
    return c.judge(ScoringContext(plan))


def test_integration_types_use_the_city_self_assessment() -> None:
    plan = _plan(
        integration=Integration(
            types={
                "horizontal": IntegrationType(situation="A ULG of 14 members", progress="Add employers", score=4),
                "vertical": IntegrationType(situation="Not yet assessed"),
            }
        )
    )
    # no actions: the plan bears out 1, so the city's 4 is credited as 2 at most, and both are shown
    j = _judge("integration", "horizontal", plan)
    assert j.score == 2 and "A ULG of 14 members" in j.reason and "integration.types.horizontal" in j.elements
    assert j.self_assessment is not None and j.self_assessment.score == 4 and j.disagrees
    assert _judge("integration", "vertical", plan).score is None
    assert _judge("integration", "territorial", plan).score is None
    assert _judge("integration", "policy-sector", _plan()).score is None
    # a plan whose actions all have local partners bears the 4 out
    people = (
        Stakeholder(id="S1", type="public-authority", participation="partner"),
        Stakeholder(id="S2", type="ngo", participation="cooperate"),
        Stakeholder(id="S3", type="academia", participation="decide"),
    )
    actions = (Action(id="A1", lead="S1", partners=("S2", "S3")),)
    partnered = attrs.evolve(plan, stakeholders=people, actions=actions)
    j = _judge("integration", "horizontal", partnered)
    assert j.score == 4 and not j.disagrees


def test_the_grid_credits_at_most_one_level_above_the_city_self_assessment() -> None:
    people = tuple(
        Stakeholder(id=f"S{i}", type=t, participation="partner")
        for i, t in enumerate(("public-authority", "ngo", "academia", "private-company"), 1)
    )
    actions = tuple(
        Action(id=f"A{i}", lead="S1", partners=("S2", "S3", "S4"), integration_aspects=("sectoral-integration",))
        for i in (1, 2)
    )
    plan = _plan(stakeholders=people, actions=actions)
    assert _judge("urbact-iap", "policy-sector-integration", plan).score == 5
    rated = attrs.evolve(plan, integration=Integration(types={"policy-sector": IntegrationType(score=2)}))
    j = _judge("urbact-iap", "policy-sector-integration", rated)
    assert j.score == 3 and j.self_assessment is not None and j.self_assessment.score == 2
    assert "evidence alone would give 5" in j.reason
    # in the city's own rubric, the city's 2 stands (the plan bears out more)
    own = _judge("integration", "policy-sector", rated)
    assert own.score == 2 and not own.disagrees


@pytest.mark.parametrize(
    ("row", "tagged", "expected"),
    [
        (None, False, 1),
        (None, True, 2),
        ({"relevant": None, "why": "maybe"}, False, 2),
        ({"relevant": False}, False, 2),
        ({"relevant": False, "why": "no physical investments"}, False, None),
        ({"relevant": True}, False, 2),
        ({"relevant": True, "why": "x"}, False, 3),
        ({"relevant": True, "why": "x", "baseline": 4}, False, 3),
        ({"relevant": True, "why": "x", "baseline": 4, "future_actions": "y"}, False, 4),
        ({"relevant": True, "why": "x", "baseline": 4, "future_actions": "y"}, True, 5),
        ({"relevant": True, "why": "x", "future_actions": "y"}, True, 4),
        # the city's own baseline of 2: credited at most 3
        ({"relevant": True, "why": "x", "baseline": 2, "future_actions": "y"}, True, 3),
        ({"relevant": True, "baseline": 1, "future_actions": "y"}, False, 2),
    ],
)
def test_integration_aspect_rules(row: dict[str, Any] | None, tagged: bool, expected: int | None) -> None:
    aspects = () if row is None else (IntegrationAspect(aspect="spatial-integration", **row),)
    actions = (Action(id="A1", integration_aspects=("spatial-integration",)),) if tagged else ()
    plan = _plan(integration=Integration(aspects=aspects), actions=actions)
    j = _judge("integration", "spatial-integration", plan)
    assert j.score == expected, j.reason
    if row is None and not tagged:
        assert "not considered" in j.reason
    if row is not None and row.get("baseline") is not None and row.get("relevant"):
        assert j.self_assessment is not None and j.self_assessment.score == row["baseline"]
    assert _judge("integration", "sectoral-integration", plan).score == 1


# ---------------------------------------------------------------------------
# testing-actions: the rules of its scorers


def test_testing_actions_rules() -> None:
    assert all(
        score == 1 for (_, c), score in automatic_scores(_plan(), ("testing-actions",)).items() if c != "learnings"
    )
    assert _judge("testing-actions", "learnings", _plan()).score is None
    t1 = TestingAction(id="T1", challenge="c", what_if="w", purposes=("proof-of-concept", "quick-win"), tests=("A1",))
    t2 = TestingAction(id="T2", challenge="c", status="done", period=Period(PartialDate.parse("2024")), tests=("X9",))
    plan = _plan(actions=(Action(id="A1"),), testing_actions=(t1, t2))
    assert _judge("testing-actions", "challenge", plan).score == 5
    assert _judge("testing-actions", "what-if", plan).score == 3
    assert _judge("testing-actions", "idea", plan).score == 1
    assert _judge("testing-actions", "reasons-stated", plan).score == 3
    assert _judge("testing-actions", "reasons-covered", plan).score == 3
    j = _judge("testing-actions", "tests-actions", plan)
    assert j.score == 3 and "X9" in j.reason
    assert _judge("testing-actions", "learnings", plan).score == 1
    assert _judge("testing-actions", "period", plan).score == 3
    done = attrs.evolve(t2, learnings="Women came when the day was inside the main programme")
    assert _judge("testing-actions", "learnings", attrs.evolve(plan, testing_actions=(t1, done))).score == 5


@pytest.mark.parametrize(("k", "expected"), [(0, 1), (1, 2), (2, 3), (3, 4), (4, 4), (5, 5)])
def test_reasons_covered_steps(k: int, expected: int) -> None:
    purposes = vocab.TESTING_PURPOSES[:k]
    tests = tuple(TestingAction(id=f"T{i}", purposes=(p,)) for i, p in enumerate(purposes))
    assert _judge("testing-actions", "reasons-covered", _plan(testing_actions=tests)).score == expected


# ---------------------------------------------------------------------------
# diversity-inclusion: the rules of its scorers


def test_target_groups_named_and_served() -> None:
    assert _judge("diversity-inclusion", "target-groups-named", _plan()).score == 1
    one = _plan(context=Context(target_groups=("women",)))
    assert _judge("diversity-inclusion", "target-groups-named", one).score == 3
    two = _plan(
        context=Context(target_groups=("women", "migrants")),
        objectives=(Objective(id="SO1", target_groups=("women",)),),
    )
    assert _judge("diversity-inclusion", "target-groups-named", two).score == 5
    served = _judge("diversity-inclusion", "target-groups-served", two)
    assert served.score == 3 and "migrants" in served.reason
    assert _judge("diversity-inclusion", "target-groups-served", _plan()).score == 1


def test_intersectionality_rules() -> None:
    both = ("women", "migrants")
    assert _judge("diversity-inclusion", "intersectionality", _plan()).score == 1
    actions_only = _plan(actions=(Action(id="A1", target_groups=both),))
    assert _judge("diversity-inclusion", "intersectionality", actions_only).score == 3
    full = attrs.evolve(actions_only, objectives=(Objective(id="SO1", target_groups=both),))
    assert _judge("diversity-inclusion", "intersectionality", full).score == 5


def test_participation_of_represented_groups() -> None:
    groups = Context(target_groups=("women", "migrants", "young-people"))
    stakeholders = (
        Stakeholder(id="S1", participation="empower", represents=("women",)),
        Stakeholder(id="S2", participation="consult", represents=("women", "migrants")),
        Stakeholder(id="S3", participation="partner"),
    )
    meeting = Meeting(date=PartialDate.parse("2025-03"), kind="ulg", participants=("S1", "S2"))
    plan = _plan(context=groups, stakeholders=stakeholders, meetings=(meeting,))
    j = _judge("diversity-inclusion", "participation-of-represented-groups", plan)
    # women 5 (empower), migrants 2 (consult), young people unrepresented 1: mean 2.67 -> 2
    assert j.score == 2 and "young-people: unrepresented" in j.reason and "S1" in j.elements
    # representatives who take part in nothing (TD402) count as informed only
    idle = _judge("diversity-inclusion", "participation-of-represented-groups", attrs.evolve(plan, meetings=()))
    assert idle.score == 1 and "takes part in nothing" in idle.reason
    assert {f.code for f in idle.findings} == {"TD402"}
    assert _judge("diversity-inclusion", "participation-of-represented-groups", _plan()).score == 1


def test_disaggregated_indicators_cap_for_women() -> None:
    indicators = (Indicator(id="I1", disaggregation=("age-group",)), Indicator(id="I2", disaggregation=("district",)))
    plan = _plan(context=Context(target_groups=("girls",)), indicators=indicators)
    j = _judge("diversity-inclusion", "disaggregated-indicators", plan)
    assert j.score == 3 and "gender" in j.reason
    by_sex = attrs.evolve(plan, indicators=(indicators[0], Indicator(id="I2", disaggregation=("sex",))))
    assert _judge("diversity-inclusion", "disaggregated-indicators", by_sex).score == 5
    migrants = attrs.evolve(plan, context=Context(target_groups=("migrants",)))
    assert _judge("diversity-inclusion", "disaggregated-indicators", migrants).score == 5
    assert _judge("diversity-inclusion", "disaggregated-indicators", _plan()).score == 1


# ---------------------------------------------------------------------------
# People's scores beside the automatic ones

ASSESSMENT = """\
format: 1
assessment:
  plan: {plan}
  rubric: urbact-iap
  assessor: {assessor}
  date: 2025-10-02
  scores:
    - {{criterion: {criterion}, score: {score}, evidence: Four ULG meetings in 2024}}
"""


def assessment(
    plan: str = "testville-iap",
    assessor: str = "peer-review-larnaka",
    criterion: str = "consultation-meetings",
    score_: int = 3,
) -> Any:
    return loads_assessment(ASSESSMENT.format(plan=plan, assessor=assessor, criterion=criterion, score=score_))


def test_person_score_beside_the_automatic_one() -> None:
    plan = starter()
    card = score(plan, "urbact-iap", [assessment()])
    result = next(r for r in card.results() if r.criterion.id == "consultation-meetings")
    assert result.automatic is not None and result.automatic.score is not None
    assert [(p.assessor, p.score) for p in result.people] == [("peer-review-larnaka", 3)]
    assert result.score == 3 and result.source == "assessment"
    doc = card.to_json()
    assert set(doc) >= {"plan", "rubric", "sections", "total", "max"}
    assert doc["plan"] == plan.id
    assert set(doc["rubric"]) >= {"name", "title", "version"} and doc["rubric"]["name"] == "urbact-iap"
    for section in doc["sections"]:
        assert set(section) >= {"id", "title", "score", "max", "criteria"}
        for c in section["criteria"]:
            assert set(c) >= {"id", "title", "score", "max", "source", "evidence", "levels"}
    crit = next(c for s in doc["sections"] for c in s["criteria"] if c["id"] == "consultation-meetings")
    assert crit["source"] == "assessment" and crit["score"] == 3 and crit["max"] == 5
    assert any("Four ULG meetings in 2024" in e for e in crit["evidence"])
    assert crit["automatic"]["score"] == result.automatic.score
    other = next(c for s in doc["sections"] for c in s["criteria"] if c["id"] == "organisation-of-document")
    assert other["source"] == "automatic"
    json.dumps(doc)


def test_two_assessors_give_the_mean() -> None:
    card = score(starter(), "urbact-iap", [assessment(score_=3), assessment(assessor="peer-review-idrija", score_=4)])
    result = next(r for r in card.results() if r.criterion.id == "consultation-meetings")
    assert len(result.people) == 2 and result.score == 3.5
    assert set(card.assessors) == {"peer-review-larnaka", "peer-review-idrija"}


def test_assessment_object_without_a_file() -> None:
    a = Assessment(
        plan="testville-iap", rubric="urbact-iap", assessor="me", scores=(CriterionScore("option-analysis", 2),)
    )
    result = next(r for r in score(starter(), "urbact-iap", [a]).results() if r.criterion.id == "option-analysis")
    assert result.automatic is not None and result.automatic.score is None and result.score == 2


def test_unknown_criterion_is_refused_with_a_suggestion() -> None:
    with pytest.raises(td.PlanError, match="did you mean") as info:
        score(starter(), "urbact-iap", [assessment(criterion="consultation-meeting")])
    assert "consultation-meetings" in str(info.value)


def test_assessment_for_another_plan_is_refused() -> None:
    with pytest.raises(td.PlanError, match="trikala-iap"):
        score(starter(), "urbact-iap", [assessment(plan="trikala-iap")])


def test_assessments_of_other_rubrics_are_left_aside() -> None:
    a = Assessment(plan="testville-iap", rubric="integration", assessor="me", scores=(CriterionScore("horizontal", 4),))
    card = score(starter(), "urbact-iap", [a])
    assert all(not r.people for r in card.results())
    other = score(starter(), "integration", [a])
    assert next(r for r in other.results() if r.criterion.id == "horizontal").score == 4


def test_unknown_rubric_name() -> None:
    with pytest.raises(KeyError, match="no rubric named"):
        score(starter(), "no-such-rubric")
