"""The indimae plugin, as an installed distribution seen by techdiversity."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import attrs
import pytest
import techdiversity as td
from techdiversity import plugins
from techdiversity.dates import PartialDate
from techdiversity.model import Action, Context, Indicator, Meeting, Objective, Plan, PlanInfo, Stakeholder
from techdiversity.rubrics import Rubric, ScoringContext, score
from techdiversity.starter import starter_plan

from techdiversity_indimae.rubric import RUBRIC

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]  # plugins/techdiversity-indimae/tests -> the techdiversity repository
#: The five policy lessons of the INDIMAE seed (../shared/seeds/003_...), verbatim, without
#: the testimonials; made and checked by tests/fixtures/seeds/excerpts.py of the repository.
SEED = HERE / "fixtures" / "003-indimae-lessons.txt"
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(plugins.AUTOLOAD_ENV, raising=False)
    monkeypatch.delenv(plugins.DISABLE_ENV, raising=False)
    plugins.reset()
    yield
    plugins.reset()


def _plans() -> list[tuple[str, Plan]]:
    found = [("starter", td.loads(starter_plan(city="Testville")))]
    found += [(p.name, td.load(p)) for p in EXAMPLES]
    return found


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def seed() -> str:
    return _norm(SEED.read_text("utf-8"))


def test_entry_point_is_installed() -> None:
    eps = {ep.name: ep for ep in metadata.entry_points(group="techdiversity")}
    assert "indimae" in eps
    assert eps["indimae"].value == "techdiversity_indimae.plugin"
    assert eps["indimae"].dist is not None and eps["indimae"].dist.name == "techdiversity-indimae"


def test_plugin_is_loaded_and_contributes_the_rubric() -> None:
    infos = {p.name: p for p in plugins.plugins()}
    assert "indimae" in infos
    assert infos["indimae"].version == "0.1.0"
    assert "techdiversity_rubrics" in infos["indimae"].hooks
    rubrics = {r.name: r for r in plugins.all_rubrics()}
    assert rubrics["indimae"].plugin == "indimae"
    assert rubrics["indimae"].title == "INDIMAE policy lessons"
    assert not [f for f in plugins.failures() if f.plugin == "indimae"]


def test_plugin_can_be_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.DISABLE_ENV, "indimae")
    plugins.reset()
    assert "indimae" not in {r.name for r in plugins.all_rubrics()}


def test_rubric_shape() -> None:
    assert isinstance(RUBRIC, Rubric)
    assert len(RUBRIC.sections) == 5
    for section in RUBRIC.sections:
        assert 2 <= len(section.criteria) <= 3
    ids = [c.id for c in RUBRIC.criteria()]
    assert len(ids) == len(set(ids))
    for c in RUBRIC.criteria():
        assert c.scorer is not None and c.method and all(level.strip() for level in c.levels)


@pytest.mark.parametrize(("name", "plan"), _plans(), ids=[n for n, _ in _plans()])
def test_scores_every_example(name: str, plan: Plan) -> None:
    card = score(plan, "indimae")
    assert card.rubric.name == "indimae"
    for result in card.results():
        auto = result.automatic
        assert auto is not None and auto.score is not None and 1 <= auto.score <= 5
        assert auto.reason.strip() and "scorer failed" not in auto.reason
    assert 0 < card.total <= card.max == 5 * 15


def test_scores_an_empty_plan() -> None:
    card = score(Plan(plan=PlanInfo(id="empty")), "indimae")
    assert all(r.score == 1 for r in card.results())


def test_section_headings_quote_the_seed(seed: str) -> None:
    headings = [s.title for s in RUBRIC.sections]
    assert headings[0].startswith("Lessons on capacity-building and expert support")
    assert (
        headings[3]
        == "Lessons on design and implementation of inclusive strategies. Diversity Charters and Equality Plans."
    )
    for heading in headings:
        assert _norm(heading) in seed, heading


def test_seed_worded_titles_quote_a_lesson(seed: str) -> None:
    seeded = [c for c in RUBRIC.criteria() if c.wording == "seed"]
    assert len(seeded) >= 10
    for c in seeded:
        assert _norm(c.title) in seed, c.title


def test_a_transnational_meeting_raises_networking() -> None:
    plan = td.loads(starter_plan(city="Testville"))
    before = {r.criterion.id: r.score for r in score(plan, "indimae").results()}
    everyone = tuple(s.id for s in plan.stakeholders)
    meeting = Meeting(date=PartialDate.parse("2025-06"), kind="transnational", topic="Exchange", participants=everyone)
    more = attrs.evolve(plan, meetings=(*plan.meetings, meeting))
    after = {r.criterion.id: r.score for r in score(more, "indimae").results()}
    assert (after["networks-and-platforms"] or 0) > (before["networks-and-platforms"] or 0)
    for key, old in before.items():
        new = after[key]
        assert old is None or (new is not None and new >= old), key


def test_scorers_name_what_they_looked_at() -> None:
    plan = td.load(EXAMPLES[0]) if EXAMPLES else td.loads(starter_plan())
    ctx = ScoringContext(plan)
    named = [c.id for c in RUBRIC.criteria() if (j := c.judge(ctx)) is not None and j.elements]
    assert len(named) >= 10


def test_criteria_listen_to_registered_checks() -> None:
    known = {c.code for c in plugins.all_checks()}
    listening = [c for c in RUBRIC.criteria() if c.listens_to]
    assert len(listening) >= 6
    for c in listening:
        assert set(c.codes) <= known, (c.id, c.codes)


def _deciding_plan() -> Plan:
    people = tuple(
        Stakeholder(id=f"S{i}", type=t, participation="decide", represents=("women",))
        for i, t in enumerate(("public-authority", "ngo", "academia", "citizens", "private-company"), 1)
    )
    action = Action(id="A1", contributes_to=("SO1",), lead="S1", partners=("S2", "S3", "S4"))
    meeting = Meeting(date=PartialDate.parse("2025-03"), kind="ulg", participants=("S1", "S2", "S3", "S4", "S5"))
    return Plan(
        plan=PlanInfo(id="deciding"),
        context=Context(target_groups=("women",)),
        objectives=(Objective(id="SO1", target_groups=("women",)),),
        actions=(action,),
        stakeholders=people,
        meetings=(meeting,),
    )


def _auto(plan: Plan) -> dict[str, int | None]:
    return {r.criterion.id: r.automatic.score if r.automatic else None for r in score(plan, "indimae").results()}


def test_a_stakeholder_taking_part_in_nothing_is_not_counted() -> None:
    plan = _deciding_plan()
    before = _auto(plan)
    assert before["role-in-decisions"] == 5 and before["engage-diverse-stakeholders"] == 5
    idle = attrs.evolve(plan, meetings=(attrs.evolve(plan.meetings[0], participants=("S1", "S2", "S3", "S4")),))
    card = score(idle, "indimae")
    after = {r.criterion.id: r for r in card.results()}
    assert after["role-in-decisions"].score == 4
    assert after["engage-diverse-stakeholders"].score == 4  # the private company takes part in nothing
    evidence = after["role-in-decisions"].evidence()
    assert any(e.startswith("TD402 at /stakeholders/4: stakeholder S5") for e in evidence), evidence


def test_an_objective_without_result_indicator_keeps_outcomes_off_the_top() -> None:
    plan = attrs.evolve(
        _deciding_plan(),
        indicators=(Indicator(id="I1", kind="output", measures=("A1",), disaggregation=("gender",)),),
    )
    assert _auto(plan)["inequalities-of-outcome"] == 3  # no outcome indicator at all
    measured = attrs.evolve(
        plan,
        objectives=(*plan.objectives, Objective(id="SO2")),
        indicators=(Indicator(id="I1", kind="result", measures=("SO1",), disaggregation=("gender",)),),
    )
    result = next(r for r in score(measured, "indimae").results() if r.criterion.id == "inequalities-of-outcome")
    assert result.score == 4 and "SO2" in result.automatic.reason  # type: ignore[union-attr]


def test_a_dangling_partner_keeps_training_off_the_top() -> None:
    plan = _deciding_plan()
    training = tuple(
        Action(id=f"A{i}", title="Coding bootcamp and mentoring", contributes_to=("SO1",), lead="S1", partners=("S2",))
        for i in (2, 3)
    )
    sound = attrs.evolve(plan, actions=(*plan.actions, *training))
    assert _auto(sound)["training-and-learning-programmes"] == 5
    dangling = attrs.evolve(sound, actions=(*plan.actions, training[0], attrs.evolve(training[1], partners=("S9",))))
    result = next(
        r for r in score(dangling, "indimae").results() if r.criterion.id == "training-and-learning-programmes"
    )
    assert result.score == 4 and any(e.startswith("TD100") for e in result.evidence()), result.evidence()
