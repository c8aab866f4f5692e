"""Smoke test of the benchmark (bench/): the generator makes coherent plans, and the
runner runs end to end at a small size. No timing is asserted here."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import techdiversity as td

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the peer's annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return _module("generate")


@pytest.mark.parametrize("n", [1, 2, 7, 50, 300])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_generated_plans_are_coherent(generate: ModuleType, tmp_path: Path, n: int, suffix: str) -> None:
    data = generate.generate(n, seed=n)
    path = generate.write(data, tmp_path / f"plan{suffix}")
    plan = td.load(path)
    assert len(plan.actions) == n
    assert len(plan.indicators) == n + len(plan.objectives)
    report = td.check(plan)
    assert report.ok, [str(f) for f in report]
    assert report.count("error") == 0


def test_generator_is_deterministic_and_proportional(generate: ModuleType) -> None:
    a = generate.generate(1000, seed=3)
    assert a == generate.generate(1000, seed=3)
    assert a != generate.generate(1000, seed=4)
    assert len(a["objectives"]) == 200
    assert len(a["problems"]) == 100
    assert len(a["stakeholders"]) == 100
    assert len(a["risks"]) == 50
    assert sum(1 for p in a["problems"] if p.get("core")) == 1
    assert any(action.get("depends_on") for action in a["actions"])


@pytest.mark.parametrize("n", [1, 2, 150, 1000])
def test_defects_are_the_ones_real_drafts_have(generate: ModuleType, tmp_path: Path, n: int) -> None:
    data = generate.add_defects(generate.generate(n, seed=1))
    path = generate.write(data, tmp_path / "plan.json")
    plan = td.load(path)
    without_lead = [a for a in plan.actions if a.lead is None]
    without_baseline = [i for i in plan.indicators if i.baseline is None]
    assert len(without_lead) == max(1, -(-n // 100))
    assert len(without_baseline) == max(1, -(-len(plan.indicators) // 50))
    report = td.check(plan)
    codes = report.codes()
    assert not report.ok
    assert "TD100" in codes  # the dangling link
    assert "TD108" in codes  # the dependency cycle
    assert all(f.location is not None and f.location.line for f in report)
    yaml_path = generate.write(data, tmp_path / "plan.yaml")
    assert sorted(f.code for f in td.check(td.load(yaml_path))) == sorted(f.code for f in report)


def test_generator_command_line(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "30", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(td.load(out).actions) == 30


def test_peer_agrees_on_a_coherent_plan(generate: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("pydantic", minversion="2")
    peer = _module("peer")
    path = generate.write(generate.generate(100), tmp_path / "plan.json")
    assert peer.peer_json(path) == []
    data = json.loads(path.read_text(encoding="utf-8"))
    data["actions"][0]["contributes_to"] = []
    data["actions"][1]["depends_on"] = ["A3"]
    data["actions"][2]["depends_on"] = ["A2"]
    data["risks"][0]["affects"] = ["A9999"]
    path.write_text(json.dumps(data), encoding="utf-8")
    found = peer.peer_json(path)
    assert len(found) == 3, found


def test_runner_quick(tmp_path: Path) -> None:
    pytest.importorskip("pydantic", minversion="2")
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--sizes",
            "200",
            "--cli-repeat",
            "1",
            "--data-dir",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for heading in (
        "== JSON input: floor, peer, techdiversity check(load(path)) ==",
        "== YAML input: floor, peer, techdiversity check(load(path)) ==",
        "== JSON input: check, score (every built-in rubric) and every exporter ==",
        "== JSON input: the plan with defects (generate.py --defects) vs the clean plan ==",
        "== YAML input: the floors (PyYAML's C loader with the collector on and off, libyaml's bare event loop) ==",
        "== Reading Excel: check(load(workbook)) vs check(load(the same plan as JSON)) ==",
        "== Single-plan command",
        "== Goals",
    ):
        assert heading in proc.stdout, heading
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["sizes"] == [200]
    assert set(results["timings"]) == {"json", "yaml"}
    assert results["timings"]["json"]["200"]["check"]["median"]["total"] > 0
    json_ops = set(results["timings"]["json"]["200"])
    assert {"defects", "peer-defects", "floor-defects", "floor-nogc", "score", "xlsx-read"} <= json_ops
    assert {"html", "xlsx", "markdown", "csv", "iati", "json", "yaml", "dot", "mermaid", "graphml"} <= json_ops
    assert "events" in results["timings"]["yaml"]["200"]
    assert results["memory"]["json"]["200"]["defects"]["peak"] > 0
    goals = [g["goal"] for g in results["goals"]["wall"]]
    assert any(g.startswith("[json] peak memory with defects / clean") for g in goals)


def test_lsp_benchmark_quick() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "lsp.py"), "--quick", "--sizes", "20", "--formats", "yaml"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "== techdiversity lsp: latency" in proc.stdout
    (row,) = [line for line in proc.stdout.splitlines() if line.startswith("20 actions YAML")]
    assert row.count(" ms") == 5 and row.count("x") == 1


def test_iati_streaming_bench_quick(tmp_path: Path) -> None:
    pytest.importorskip("lxml")
    out = tmp_path / "iati.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "iati.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0] for line in proc.stdout.splitlines()[2:]}
    assert rows == {"floor", "index", "stream", "network"}
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["activities"] > 100 and 1.5 < figures["file_mb"] < 3
    for row in figures["results"].values():
        assert row["seconds"] > 0 and row["mb_per_s"] > 0 and row["peak_mb"] > 0


def test_batch_benchmark_quick(tmp_path: Path) -> None:
    out = tmp_path / "batch.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "batch.py"), "--quick", "--data-dir", str(tmp_path / "data"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {line.split("  ")[0]: line for line in proc.stdout.splitlines()}
    for name in ("check", "score", "compare"):
        assert f"loop {name}" in rows
        for jobs in (1, 2):
            assert rows[f"{name} --jobs {jobs}"].count("x") == 2, rows
        assert f"{name}: --jobs 2 is " in proc.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["plans"] == 24 and len(list((tmp_path / "data" / "batch-24").glob("*.yaml"))) == 24
    assert all(value > 0 for value in results["plans_per_second"].values())
