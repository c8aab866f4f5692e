"""The generated fast structuring accepts exactly what the converter accepts, and builds
the same objects; on bad input the errors are the converter's, as before."""

from __future__ import annotations

import copy
import math
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import techdiversity as td
from strategies import plans
from techdiversity import convert, model
from techdiversity.errors import Diagnostic
from techdiversity.formats.yaml import read_yaml
from techdiversity.sourcemap import SourceMap

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = read_yaml((ROOT / "examples" / "idrija.yaml").read_text("utf-8"))[0]

ODD_VALUES: list[Any] = [
    None,
    "",
    "x",
    "A1",
    "2025-Q3",
    "2025-13",
    0,
    1,
    2025,
    -3,
    1.5,
    math.inf,
    math.nan,
    True,
    False,
    [],
    ["A1"],
    [1],
    [None],
    {},
    {"value": 1},
    {"start": 2025, "end": 2026},
]


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_nodes(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_nodes(value, (*path, i)))
    return out


def _outcome(fn: Any, data: Any) -> tuple[bool, Any]:
    try:
        return True, fn(data)
    except Exception:
        return False, None


def _mutants(seed: int, count: int) -> list[Any]:
    rng = random.Random(seed)
    nodes = [p for p in _nodes(EXAMPLE) if p]
    out = []
    for _ in range(count):
        data = copy.deepcopy(EXAMPLE)
        for path in rng.sample(nodes, rng.randint(1, 2)):
            parent = data
            try:
                for token in path[:-1]:
                    parent = parent[token]
                last = path[-1]
                action = rng.random()
                if action < 0.7:
                    parent[last] = copy.deepcopy(rng.choice(ODD_VALUES))
                elif action < 0.85 and isinstance(parent, dict):
                    del parent[last]
                elif isinstance(parent, dict):
                    parent[f"{last}_typo"] = 1
                else:
                    parent.append(copy.deepcopy(rng.choice(ODD_VALUES)))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier mutation took the path away
        out.append(data)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_fast_path_agrees_with_the_converter_on_mutated_plans(seed: int) -> None:
    fast = convert.fast_structure_fn(model.Plan)
    slow = convert._converter(False)
    accepted = refused = 0
    for data in _mutants(seed, 150):
        ok_fast, got_fast = _outcome(fast, data)
        ok_slow, got_slow = _outcome(lambda d: slow.structure(d, model.Plan), data)
        if ok_slow and not ok_fast:
            continue  # stricter by mistake costs only time (structure_data asks the converter then)
        assert ok_fast == ok_slow, data
        assert got_fast == got_slow
        accepted += ok_fast
        refused += not ok_fast
    assert accepted and refused


def test_the_fast_path_is_not_stricter_on_the_examples() -> None:
    fast = convert.fast_structure_fn(model.Plan)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = read_yaml(path.read_text("utf-8"))[0]
        assert fast(data) == convert._converter(False).structure(data, model.Plan)


@settings(max_examples=60, deadline=None)
@given(plans())
def test_fast_path_round_trips_generated_plans(plan: model.Plan) -> None:
    data = convert.unstructure(plan)
    assert convert.fast_structure_fn(model.Plan)(data) == plan


def _converter_only(data: Any) -> model.Plan:
    """structure_data as it was before the fast path: the converter, then the detailed one."""
    smap = SourceMap("plan.yaml")
    problems = []
    if "format" not in data:
        problems.append(
            Diagnostic(smap.locate(""), "the required key 'format' is missing (write 'format: 1' at the top)")
        )
    try:
        plan = convert._converter(False).structure(data, model.Plan)
    except Exception:
        problems.extend(convert._detailed_errors(data, model.Plan, smap))
        raise td.PlanError(problems) from None
    if problems:
        raise td.PlanError(problems)
    convert._check_unique_ids(plan, smap)
    return plan


@pytest.mark.parametrize("seed", range(3))
def test_errors_on_bad_input_are_the_converters(seed: int) -> None:
    failed = 0
    for data in _mutants(100 + seed, 40):
        try:
            via_fast = convert.structure(data, model.Plan, "plan.yaml")
        except td.PlanError as exc:
            failed += 1
            with pytest.raises(td.PlanError) as before:
                _converter_only(data)
            assert [str(d) for d in exc.diagnostics] == [str(d) for d in before.value.diagnostics]
        else:
            assert via_fast == _converter_only(data)
    assert failed
