"""The eight TechDiversity example plans: they load, round-trip, and show their gaps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import techdiversity as td
from conftest import EXAMPLES
from techdiversity.checks import builtin_checks, run_checks

CITIES = {
    "amarante",
    "arezzo",
    "bielsko-biala",
    "bucharest-d6",
    "idrija",
    "larnaka",
    "psahna",
    "trikala",
}
CLEAN = {"bielsko-biala", "trikala"}


def test_one_example_per_city() -> None:
    assert {p.stem for p in EXAMPLES} == CITIES


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_loads_and_round_trips(path: Path) -> None:
    plan = td.load(path)
    assert plan.plan.network == "TechDiversity"
    assert td.loads(td.dumps(plan, "yaml")) == plan
    assert td.loads(td.dumps(plan, "json"), format="json") == plan


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_findings_are_its_documented_gaps(path: Path) -> None:
    """Each deliberate gap is marked `# gap: CODE` in the file; exactly those fire."""
    report = run_checks(td.load(path), builtin_checks())
    documented = re.findall(r"#\s*gap:\s*(TD\d{3})", path.read_text("utf-8"))
    got = sorted(f.code for f in report if f.severity != "info")
    assert got == sorted(documented), [str(f) for f in report]
    if path.stem in CLEAN:
        assert got == []
    else:
        assert 2 <= len(got) <= 5


def test_no_personal_data_in_examples() -> None:
    for path in EXAMPLES:
        text = path.read_text("utf-8")
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), f"{path.name} holds an e-mail address"


def _shares() -> dict[str, dict[str, float]]:
    from techdiversity.rubrics import ScoringContext, score_with
    from techdiversity.rubrics.builtin import builtin_rubrics

    out: dict[str, dict[str, float]] = {}
    for path in EXAMPLES:
        plan = td.load(path)
        ctx = ScoringContext(plan)
        cards = [score_with(plan, r, context=ctx) for r in builtin_rubrics()]
        out[path.stem] = {c.rubric.name: c.total / c.max for c in cards}
        out[path.stem]["all"] = sum(c.total for c in cards) / sum(c.max for c in cards)
    return out


def test_the_best_documented_plans_lead_and_the_scores_spread() -> None:
    shares = _shares()
    for rubric in ("urbact-iap", "all"):
        ranked = sorted(shares, key=lambda city: -shares[city][rubric])
        assert set(ranked[:2]) == CLEAN, (rubric, ranked)
        values = [shares[city][rubric] for city in ranked]
        assert values[0] - values[-1] >= 0.1, (rubric, values)  # the documented gaps show


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_documented_gap_lowers_a_criterion(path: Path) -> None:
    """Each finding of an example is cited by a criterion of a built-in rubric that scores below 5."""
    from techdiversity.rubrics import ScoringContext, score_with
    from techdiversity.rubrics.builtin import UNSCORED_CODES, builtin_rubrics

    plan = td.load(path)
    ctx = ScoringContext(plan)
    results = [r for rubric in builtin_rubrics() for r in score_with(plan, rubric, context=ctx).results()]
    for finding in ctx.report:
        if finding.code in UNSCORED_CODES:
            continue
        hearing = [r for r in results if r.automatic is not None and finding in r.automatic.findings]
        assert hearing, f"{path.stem}: no criterion hears {finding}"
        assert any(r.automatic is not None and (r.automatic.score or 5) < 5 for r in hearing), (
            f"{path.stem}: {finding.code} lowers none of {[r.criterion.id for r in hearing]}"
        )
