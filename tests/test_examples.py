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
