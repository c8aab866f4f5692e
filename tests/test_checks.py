"""The built-in checks, driven by the pass/fail cases in fixtures/check_cases.yaml."""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import techdiversity as td
from techdiversity.checks import builtin_checks, run_checks
from techdiversity.checks.builtin import REMOVED_CODES
from techdiversity.checks.cycles import find_cycles, strongly_connected_components
from techdiversity.convert import structure
from techdiversity.formats import read_text
from techdiversity.model import Plan
from techdiversity.starter import starter_plan

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "check_cases.yaml").read_text("utf-8"))
BASE, _ = read_text(starter_plan(city="Testville"), "yaml")


def _walk(data: Any, pointer: str) -> tuple[Any, str | int]:
    tokens = pointer.split("/")[1:]
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    return node, (int(last) if isinstance(node, list) else last)


def apply(case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for pointer, value in (case.get("set") or {}).items():
        parent, key = _walk(data, pointer)
        parent[key] = value
    for pointer, value in (case.get("append") or {}).items():
        parent, key = _walk(data, pointer)
        parent[key].append(value)
    for pointer in case.get("delete") or []:
        parent, key = _walk(data, pointer)
        del parent[key]
    return data


def _expected(case: dict[str, Any]) -> Counter[tuple[str, tuple[str, ...]]]:
    return Counter((str(e[0]), tuple(sorted(str(s) for s in e[1:]))) for e in case["expect"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_check_case(case: dict[str, Any]) -> None:
    plan = structure(apply(case), Plan)
    report = run_checks(plan, builtin_checks())
    got = Counter((f.code, tuple(sorted(f.subjects))) for f in report)
    assert got == _expected(case), [str(f) for f in report]


def test_every_check_has_a_failing_case() -> None:
    fired = {str(e[0]) for case in CASES for e in case["expect"]}
    missing = {c.code for c in builtin_checks()} - fired
    assert not missing, f"checks without a failing case in check_cases.yaml: {sorted(missing)}"


def test_check_metadata() -> None:
    checks = builtin_checks()
    codes = [c.code for c in checks]
    names = [c.name for c in checks]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert not set(codes) & set(REMOVED_CODES)
    for c in checks:
        assert re.fullmatch(r"TD[1-9]\d\d", c.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", c.name), c.name
        assert c.severity in ("error", "warning", "info")
        assert c.title and not c.title.endswith(".")
        assert len(c.why.split()) >= 15, f"{c.code}: say why it matters in an IAP"
        assert c.fix


def test_findings_carry_file_locations(tmp_path: Path) -> None:
    text = starter_plan(city="Testville").replace("contributes_to: [SO1]", "contributes_to: [SO9]")
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    report = td.check(td.load(path))
    (finding,) = [f for f in report if f.code == "TD100"]
    lines = text.splitlines()
    line = next(i for i, line in enumerate(lines, 1) if "contributes_to: [SO9]" in line)
    assert finding.location is not None
    assert (finding.location.path, finding.location.line) == (str(path), line)
    assert lines[line - 1][finding.location.column - 1 :].startswith("SO9")
    assert finding.pointer == "/actions/0/contributes_to/0"


def test_findings_in_json_and_toml_have_locations(tmp_path: Path) -> None:
    plan = structure(apply({"set": {"/actions/0/lead": None}}), Plan)
    json_path = tmp_path / "plan.json"
    td.dump(plan, json_path)
    (finding,) = td.check(td.load(json_path))
    assert finding.code == "TD400"
    assert finding.location is not None and finding.location.line is not None
    line = json_path.read_text("utf-8").splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("{")
    toml = """format = 1
[plan]
id = "t"
[[actions]]
id = "A1"
contributes_to = ["SO1"]
[[actions]]
id = "A2"
contributes_to = []
"""
    toml_path = tmp_path / "plan.toml"
    toml_path.write_text(toml, "utf-8")
    report = td.check(td.load(toml_path), select=["TD103"])
    (finding,) = report
    assert finding.subjects == ("A2",)
    assert finding.location is not None and finding.location.line == 7


def test_cycle_message_names_the_path() -> None:
    plan = structure(apply({"set": {"/problems/0/effects": ["P2"]}}), Plan)
    (finding,) = td.check(plan, select=["TD107"])
    assert "P1 --> P2 --> P1" in finding.message


def test_select_and_ignore() -> None:
    plan = structure(apply({"delete": ["/actions/0/lead", "/actions/0/resources"]}), Plan)
    assert {f.code for f in td.check(plan)} == {"TD400", "TD401"}
    assert {f.code for f in td.check(plan, select=["TD400"])} == {"TD400"}
    assert {f.code for f in td.check(plan, ignore=["action-without-lead"])} == {"TD401"}
    assert {f.code for f in td.check(plan, select=["TD4"], ignore=["TD401"])} == {"TD400"}


def test_cycles_linear_structures() -> None:
    # a chain of 200,000 nodes: acyclic, found without recursion
    n = 200_000
    chain = {str(i): [str(i + 1)] for i in range(n)}
    assert find_cycles(chain) == []
    # close it: one cycle through all nodes, reported once
    chain[str(n)] = ["0"]
    (cycle,) = find_cycles(chain)
    assert len(cycle) == n + 1
    # two separate cyclic groups and a self-loop: three cycles
    edges = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"], "e": ["e"], "f": ["a"]}
    assert find_cycles(edges) == [["a", "b"], ["c", "d"], ["e"]]
    comps = strongly_connected_components(edges)
    assert sorted(map(sorted, comps)) == [["a", "b"], ["c", "d"], ["e"], ["f"]]
