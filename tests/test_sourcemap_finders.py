"""The on-demand source maps: a finder locates exactly what the whole map would, and a
check keeps only the places of its findings."""

from __future__ import annotations

import json
import pickle
import random
from pathlib import Path

import pytest

import techdiversity as td
from techdiversity.formats.json import JsonFinder, locate_json
from techdiversity.formats.yaml import YamlFinder, read_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _json_texts() -> list[str]:
    data = read_yaml(EXAMPLES[0].read_text("utf-8"))[0]
    return [
        json.dumps(data, indent=2, ensure_ascii=False),
        json.dumps(data),  # one line
        json.dumps(data, indent="\t", ensure_ascii=True, separators=(" ,", " :\t ")),  # tabs, escapes, odd spacing
        json.dumps({"a~b/c": {'[{"]': [[], {}, [1, {"x": "}]"}]]}, "": 1}, indent=1),
    ]


def _agree(full_values: dict[str, tuple[int, int]], full_keys: dict[str, tuple[int, int]], finder: object) -> None:
    rng = random.Random(7)
    pointers = sorted(full_values)
    for trial in range(40):
        wanted = set(rng.sample(pointers, min(len(pointers), rng.randint(1, 12))))
        if trial % 2:
            wanted |= {p + "/absent" for p in rng.sample(pointers, 2)} | {"/nowhere", "/actions/99999/id"}
        values, keys = finder(wanted)  # type: ignore[operator]
        for p in wanted:
            assert values.get(p) == full_values.get(p), p
            assert keys.get(p) == full_keys.get(p), p
        assert all(full_values[p] == pos for p, pos in values.items())
        assert all(full_keys[p] == pos for p, pos in keys.items())


@pytest.mark.parametrize("index", range(4))
def test_json_finder_agrees_with_the_whole_map(index: int) -> None:
    text = _json_texts()[index]
    values, keys = locate_json(text)
    _agree(values, keys, JsonFinder(text))


@pytest.mark.parametrize("path", EXAMPLES[:3], ids=lambda p: p.name)
def test_yaml_finder_agrees_with_the_whole_map(path: Path) -> None:
    text = path.read_text("utf-8")
    smap = read_yaml(text, positions=True)[1]
    _agree(smap.values, smap.keys, YamlFinder(text))


def test_yaml_finder_over_flow_style_and_anchors() -> None:
    text = "a: &x [1, {b: 2}]\nc: *x\nd: {e: [3, 4], 'f/g': x}\n"
    smap = read_yaml(text, positions=True)[1]
    _agree(smap.values, smap.keys, YamlFinder(text))


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_findings_keep_only_their_places(tmp_path: Path, suffix: str) -> None:
    data = read_yaml(EXAMPLES[0].read_text("utf-8"))[0]
    data["actions"][-1]["contributes_to"] = ["SO-NOWHERE"]
    path = tmp_path / f"plan{suffix}"
    path.write_text(json.dumps(data, indent=2) if suffix == ".json" else td.formats.yaml.dumps_yaml(data), "utf-8")
    plan = td.load(path)
    assert plan.source is not None and not plan.source.values  # nothing located yet
    report = td.check(plan)
    dangling = [f for f in report if f.pointer.startswith(f"/actions/{len(data['actions']) - 1}")]
    assert dangling and all(f.location is not None and f.location.line for f in dangling)
    whole = read_yaml(path.read_text("utf-8"), str(path), positions=True)[1]
    assert 0 < len(plan.source.values) < len(whole.values) / 4
    for f in report:
        assert f.location == whole.locate(f.pointer)
    copy = pickle.loads(pickle.dumps(plan))  # the finder pickles with the plan
    assert copy.source is not None and copy.source.locate("/actions/0/id") == whole.locate("/actions/0/id")


def test_a_yaml_error_names_its_place_as_before() -> None:
    text = "format: 1\nplan:\n  id: x\n  id: y\n"
    with pytest.raises(td.PlanError) as exc:
        read_yaml(text, "f.yaml")
    assert str(exc.value.diagnostics[0].location) == "f.yaml:4:3"
    assert "first at line 3" in exc.value.diagnostics[0].message
