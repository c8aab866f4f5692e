"""Versions of a plan: what changed, by id, and which findings appeared or were resolved."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity.cli import main
from techdiversity.diff import PlanDiff, diff
from techdiversity.model import Plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
BIELSKO = ROOT / "examples" / "bielsko-biala.yaml"
AREZZO = ROOT / "examples" / "arezzo.yaml"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the edit {old!r} must match exactly once"
    return text.replace(old, new)


NEW_ACTION = """  - id: A7
    title: Returnship programme for women
    contributes_to: [SO3]
    lead: S5
    target_groups: [women]
"""


@pytest.fixture(scope="module")
def edited() -> tuple[Plan, Plan]:
    """Bielsko-Biała 0.9.0 and a hand-edited 0.10.0."""
    text = BIELSKO.read_text("utf-8")
    new = _edit(text, "version: 0.9.0", "version: 0.10.0")
    new = _edit(
        new,
        "headline: Half of the new IT hires in Bielsko-Biała are women",
        "headline: Half of the IT hires are women",
    )
    # A3 moves from SO2 to SO1
    new = _edit(
        new,
        "    contributes_to: [SO2]\n    intended_results: A curriculum",
        "    contributes_to: [SO1]\n    intended_results: A curriculum",
    )
    # A5 loses its objective: TD103 appears
    new = _edit(
        new,
        "    contributes_to: [SO3]\n    intended_results: Women in IT gain",
        "    contributes_to: []\n    intended_results: Women in IT gain",
    )
    # A4 gets a new partner; A1 a new title
    new = _edit(
        new, "    partners: [S4, S7, S8]\n    depends_on: [A3]", "    partners: [S4, S7, S8, S9]\n    depends_on: [A3]"
    )
    new = _edit(new, "title: Women in IT day at the BBDays.4.IT festival", "title: Women in IT days at BBDays.4.IT")
    # I1 target raised
    new = _edit(new, "target: {value: 300, date: 2027}", "target: {value: 350, date: 2027}")
    # I3 removed (its block up to I4)
    start = new.index("  - id: I3\n")
    new = new[:start] + new[new.index("  - id: I4\n") :]
    # A7 added after A6
    new = _edit(new, "\nindicators:\n", "\n" + NEW_ACTION + "\nindicators:\n")
    # a meeting's date made precise, another's topic changed
    new = _edit(new, "  - {date: 2024-02, kind: ulg", "  - {date: 2024-02-20, kind: ulg")
    new = _edit(
        new, "topic: Public consultation of the draft action table", "topic: Public consultation of the draft IAP"
    )
    # an integration self-assessment changes
    new = _edit(
        new,
        "      why: Commuters from the whole subregion work in city IT firms\n      baseline: 2",
        "      why: Commuters from the whole subregion work in city IT firms\n      baseline: 3",
    )
    return td.load(BIELSKO), td.loads(new, path="bielsko-biala-0.10.yaml")


def test_diff_of_a_hand_edited_example(edited: tuple[Plan, Plan]) -> None:
    old, new = edited
    d = diff(old, new)
    assert d.old_path == str(BIELSKO) and d.new_path == "bielsko-biala-0.10.yaml"
    plan_fields = {c.field: (c.old, c.new) for c in d.plan}
    assert plan_fields["plan.version"] == ("0.9.0", "0.10.0")
    assert plan_fields["vision.headline"][1] == "Half of the IT hires are women"
    assert plan_fields["integration.aspects.territorial-integration.baseline"] == (2, 3)
    assert len(plan_fields) == 3
    assert [(r.kind, r.id) for r in d.added] == [("action", "A7")]
    assert d.added[0].label == "Returnship programme for women"
    assert [(r.kind, r.id) for r in d.removed] == [("indicator", "I3")]
    changed = {(c.kind, c.id): {f.field: (f.old, f.new) for f in c.fields} for c in d.changed}
    assert changed[("action", "A1")] == {
        "title": ("Women in IT day at the BBDays.4.IT festival", "Women in IT days at BBDays.4.IT")
    }
    assert changed[("indicator", "I1")] == {"target.value": (300, 350)}
    assert changed[("meeting", "2024-02 -> 2024-02-20")]["date"][1] == td.PartialDate.parse("2024-02-20")
    assert changed[("meeting", "2025-02-20")] == {
        "topic": ("Public consultation of the draft action table", "Public consultation of the draft IAP")
    }
    assert len(changed) == 4
    links = {(c.source, c.field): (c.removed, c.added) for c in d.links}
    assert links == {
        ("A3", "contributes_to"): (("SO2",), ("SO1",)),
        ("A4", "partners"): ((), ("S9",)),
        ("A5", "contributes_to"): (("SO3",), ()),
    }
    assert [(c.source, c.field) for c in d.moved] == [("A3", "contributes_to")]
    assert sorted(d.links_added()) == [("A3", "contributes_to", "SO1"), ("A4", "partners", "S9")]
    assert sorted(d.links_removed()) == [("A3", "contributes_to", "SO2"), ("A5", "contributes_to", "SO3")]
    appeared = {(f.code, f.subjects) for f in d.appeared}
    assert ("TD103", ("A5",)) in appeared
    assert all(f.location is not None and f.location.path == "bielsko-biala-0.10.yaml" for f in d.appeared)
    assert d.resolved == ()
    assert not d.empty


def test_diff_backwards_resolves_what_appeared(edited: tuple[Plan, Plan]) -> None:
    old, new = edited
    forward, backward = diff(old, new), diff(new, old)
    assert {(f.code, f.subjects) for f in backward.resolved} == {(f.code, f.subjects) for f in forward.appeared}
    assert [r.id for r in backward.added] == ["I3"] and [r.id for r in backward.removed] == ["A7"]
    assert {(c.source, c.removed, c.added) for c in backward.links} == {
        (c.source, c.added, c.removed) for c in forward.links
    }


def test_findings_resolved_by_an_edit() -> None:
    """Arezzo's A6 has no indicator (TD200): adding one resolves it."""
    old = td.load(AREZZO)
    assert "TD200" in td.check(old).codes()
    text = AREZZO.read_text("utf-8")
    indicator = (
        "  - id: I99\n    name: Firms with an inclusive HR plan\n    kind: output\n    measures: [A6]\n"
        "    unit: firms\n    baseline: {value: 0, date: 2024}\n    target: {value: 20, date: 2029}\n"
        "    milestones: [{value: 10, date: 2027}]\n"
    )
    new = td.loads(_edit(text, "\nindicators:\n", "\nindicators:\n" + indicator), path="arezzo-new.yaml")
    d = diff(old, new)
    assert [(f.code, f.subjects) for f in d.resolved] == [("TD200", ("A6",))]
    assert d.resolved[0].location is not None and d.resolved[0].location.path == str(AREZZO)
    assert [(r.kind, r.id) for r in d.added] == [("indicator", "I99")]
    assert d.summary()["findings_resolved"] == 1


def test_identical_plans_have_no_diff() -> None:
    for path in EXAMPLES:
        plan = td.load(path)
        d = diff(plan, td.loads(path.read_text("utf-8")))
        assert d.empty, d.to_text()
        assert "no changes" in d.to_text()


def test_reordered_sections_are_no_change() -> None:
    plan = td.load(BIELSKO)
    import attrs

    shuffled = attrs.evolve(
        plan,
        actions=tuple(reversed(plan.actions)),
        integration=attrs.evolve(plan.integration, aspects=tuple(reversed(plan.integration.aspects)))
        if plan.integration
        else None,
    )
    d = diff(plan, shuffled, findings=False)
    assert d.empty


def test_json_and_text(edited: tuple[Plan, Plan]) -> None:
    d = diff(*edited)
    doc = d.to_json()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["summary"] == {
        "plan_fields": 3,
        "added": 1,
        "removed": 1,
        "changed": 4,
        "links_added": 2,
        "links_removed": 2,
        "links_moved": 1,
        "findings_appeared": len(d.appeared),
        "findings_resolved": 0,
    }
    assert {"kind": "action", "id": "A7", "label": "Returnship programme for women"} in doc["added"]
    moved = [link for link in doc["links"] if link["moved"]]
    assert moved == [
        {
            "kind": "action",
            "source": "A3",
            "field": "contributes_to",
            "removed": ["SO2"],
            "added": ["SO1"],
            "moved": True,
        }
    ]
    assert doc["findings"]["appeared"][0]["location"]["path"] == "bielsko-biala-0.10.yaml"
    text = d.to_text()
    assert "~ action A3 contributes_to: SO2 -> SO1 (moved)" in text
    assert "+ action A7: Returnship programme for women" in text
    assert "- indicator I3:" in text
    assert "      target.value: 300 -> 350" in text
    assert "TD103 error action A5 contributes to no objective" in text
    assert '~ plan.version: "0.9.0" -> "0.10.0"' in text


def test_long_values_are_shortened_in_text() -> None:
    plan = td.load(BIELSKO)
    import attrs

    assert plan.context is not None
    longer = attrs.evolve(plan, context=attrs.evolve(plan.context, current_situation="x" * 500))
    text = diff(plan, longer, findings=False).to_text(width=60)
    line = next(line for line in text.splitlines() if "context.current_situation" in line)
    assert "…" in line and len(line) < 160
    assert diff(plan, longer, findings=False).to_json()["plan"][0]["new"] == "x" * 500


def _drop_one_link(plan: Plan, rng: random.Random) -> tuple[Plan, tuple[str, str, str]]:
    import attrs

    candidates = [(i, a, t) for i, a in enumerate(plan.actions) for t in a.contributes_to]
    i, action, target = rng.choice(candidates)
    changed = attrs.evolve(action, contributes_to=tuple(t for t in action.contributes_to if t != target))
    actions = (*plan.actions[:i], changed, *plan.actions[i + 1 :])
    return attrs.evolve(plan, actions=actions), (action.id, "contributes_to", target)


def test_diff_over_hundreds_of_generated_versions() -> None:
    """200 generated versions (renamed plans, one link dropped each): the diff names exactly that."""
    import attrs

    rng = random.Random(3)
    bases = [td.load(p) for p in EXAMPLES]
    for n in range(200):
        base = bases[n % len(bases)]
        old = attrs.evolve(base, plan=attrs.evolve(base.plan, id=f"{base.id}-{n}", city=f"{base.plan.city} {n}"))
        new, dropped = _drop_one_link(old, rng)
        new = attrs.evolve(new, plan=attrs.evolve(new.plan, version="next"))
        d = diff(old, new, findings=n % 20 == 0)
        assert list(d.links_removed()) == [dropped]
        assert list(d.links_added()) == []
        assert (d.added, d.removed, d.changed) == ((), (), ())
        assert [c.field for c in d.plan] == ["plan.version"]
        if n % 20 == 0:  # the checks ran: what appeared is about the action or the objective
            assert d.resolved == ()
            assert all(dropped[0] in f.subjects or dropped[2] in f.subjects for f in d.appeared)


# ---------------------------------------------------------------------------
# The command


def test_diff_command(tmp_path: Path, edited: tuple[Plan, Plan]) -> None:
    new_path = tmp_path / "new.yaml"
    td.dump(edited[1], new_path)
    runner = CliRunner()
    result = runner.invoke(main, ["diff", str(BIELSKO), str(new_path)])
    assert result.exit_code == 0, result.output
    assert "(moved)" in result.stdout and "Findings appeared" in result.stdout
    result = runner.invoke(main, ["diff", str(BIELSKO), str(new_path), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["old"]["path"] == str(BIELSKO) and doc["new"]["path"] == str(new_path)
    assert doc["summary"]["links_moved"] == 1
    same = runner.invoke(main, ["diff", str(BIELSKO), str(BIELSKO)])
    assert same.exit_code == 0 and "no changes" in same.stdout


def test_diff_command_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nplan:\n  id: x\n  citty: y\n", "utf-8")
    result = CliRunner().invoke(main, ["diff", str(BIELSKO), str(bad)])
    assert result.exit_code == 2
    assert re.search(rf"^{re.escape(str(bad))}:4:3: .*citty", result.stderr, re.M)
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "missing.yaml"), str(bad)])
    assert result.exit_code == 2
    assert "missing.yaml" in result.stderr and "bad.yaml" in result.stderr


def test_plan_diff_is_public() -> None:
    assert PlanDiff(old_id="a", new_id="a").empty
