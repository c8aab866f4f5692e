"""The techdiversity benchmark: one command, one process for the timings.

    python bench/run.py [--sizes 1000,10000,100000] [--repeat N] [--quick]

For each input format (JSON, YAML) and each size it times, on the same file, the
median of ``--repeat`` runs of:

- floor: reading the file and parsing it with ``json.loads`` (JSON) or PyYAML's C
  safe loader (YAML): the least any tool has to do;
- peer: what a researcher would write instead (``bench/peer.py``): pydantic v2 models
  validated with ``model_validate_json`` (YAML: the C safe loader, then
  ``model_validate``), a networkx graph and three checks;
- techdiversity: ``check(load(path))`` with every built-in check;
- score: ``load(path)`` then ``score_with`` for every built-in rubric, sharing one
  ``ScoringContext`` (so the checks the criteria listen to run once);
- every built-in exporter (html, xlsx, markdown, iati, ...): ``load(path)`` then
  ``techdiversity.exporters.export(plan, name)``;
- defects: the same plan with the defects real drafts have (``generate.py --defects``):
  ``check(load(path))`` on it (``defects``), the peer (``peer-defects``) and the floor
  (``floor-defects``) on the same file;
- the floors without the garbage collector (``floor-nogc``) and, for YAML, libyaml's
  bare event loop over the same text (``events``: ``yaml.CParser(text).get_event()``
  until the end, nothing built);
- Excel reading (JSON section): ``check(load(workbook))`` of the same plan written as a
  workbook by the xlsx exporter (``xlsx-read``), against ``check`` of it as JSON.

The operations are interleaved (floor, peer, check, score, exporters, then again),
so that a slow spell of the machine hits all of them alike, and each run records both
wall time and the CPU time of the process; ``--clock`` picks which one the tables and
goals use (wall by default; ``cpu`` is steadier on a shared machine).

Peak memory is measured once per operation in a fresh subprocess (the operating
system's high-water mark of the resident set: ``VmHWM``, or ``ru_maxrss`` off Linux),
so that the memory of one measurement cannot hide in another's and allocations made
outside Python's allocator (libyaml, pydantic-core) are counted: tracemalloc would
miss those.

Then it times the single-plan command ``techdiversity check examples/<city>.yaml``
against the import floor ``python -c "import yaml, networkx, cattrs, pluggy"``, each
run ``--cli-repeat`` times as a fresh process, and prints whether each goal of the
benchmark issue is met. Results go to ``bench/results/latest.json`` (``--out``);
``--report FILE`` prints the tables of a results file again (with any ``--clock``).

Third-party plugins are not loaded in the timed process
(``TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD=1``): "every built-in check/rubric" is what
is measured. The single-plan command runs as a user would run it, with whatever
plugins are installed (and, for information, with ``--no-plugins``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", "1")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate as _generate  # noqa: E402

FORMATS = ("json", "yaml")
#: Built-in exporters that are timed, in this order (any other built-in one follows).
EXPORTERS = ("html", "xlsx", "markdown", "csv", "iati", "json", "yaml", "dot", "mermaid", "graphml")
TD_OPS = ("check", "score", *EXPORTERS)
#: Operations that are not "load then something" over the clean plan.
EXTRA_OPS = ("floor-nogc", "events", "floor-defects", "peer-defects", "defects", "xlsx-read")
#: The goals of the issue (2-core machine).
GOAL_PEER = 1.0  # techdiversity / peer at 10,000 actions
GOAL_FLOOR = 5.0  # techdiversity / floor at 10,000 actions
GOAL_STEP = 11.0  # each tenfold size step costs at most this factor (time and memory)
GOAL_CLI = 1.5  # single-plan check / import floor
GOAL_SIZE = 10_000
GOAL_DEFECTS = 1.3  # check with the defects / check of the clean plan, at 10,000 actions
GOAL_DEFECTS_MEMORY = 1.2  # peak memory with the findings / the clean plan's
GOAL_SCORE = 1.0  # score (every built-in rubric) / check, at every size
GOAL_EXPORT = 1.5  # every exporter / check, at every size
GOAL_EVENTS = 2.5  # YAML check(load) / libyaml's bare event loop
GOAL_XLSX_READ = 3.0  # check(load(workbook)) / check(load(the same plan as JSON)), at 20,000 actions
GOAL_XLSX_SIZE = 20_000
CLI_FLOOR = "import yaml, networkx, cattrs, pluggy"
#: Keys of a run's record, per clock.
KEYS = {
    "wall": {"total": "total", "load": "load", "op": "op", "cli": "wall"},
    "cpu": {"total": "cpu_total", "load": "cpu_load", "op": "cpu_op", "cli": "cpu"},
}

# ---------------------------------------------------------------------------
# The operations


def _floor_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _floor_yaml(path: Path) -> Any:
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def _nogc(fn: Callable[[Path], Any]) -> Callable[[Path], Any]:
    def run(path: Path) -> Any:
        gc.disable()
        try:
            return fn(path)
        finally:
            gc.enable()

    return run


def _events_yaml(path: Path) -> int:
    """libyaml's bare event loop over the text: every event made, nothing built."""
    import yaml

    parser = yaml.cyaml.CParser(path.read_text(encoding="utf-8"))
    count = 0
    try:
        while parser.get_event() is not None:
            count += 1
    finally:
        parser.dispose()
    return count


def _peer(fmt: str) -> Callable[[Path], Any]:
    import peer

    return peer.peer_json if fmt == "json" else peer.peer_yaml


def builtin_rubrics() -> list[Any]:
    """Every built-in rubric, as the plugin host lists them."""
    from techdiversity.plugins import all_rubrics

    return [r for r in all_rubrics() if r.plugin == "techdiversity"]


def exporter_names() -> set[str]:
    from techdiversity.plugins import all_exporters

    return {e.name for e in all_exporters()}


def _td_op(op: str) -> Callable[[Any], Any]:
    """What runs after ``load``: the check, every rubric, or an exporter."""
    import techdiversity as td

    if op == "check":
        return td.check
    if op == "score":
        from techdiversity.rubrics import ScoringContext, score_with

        rubrics = builtin_rubrics()

        def score_all(plan: Any) -> list[Any]:
            ctx = ScoringContext(plan)  # as `techdiversity score` does: the checks run once for every rubric
            return [score_with(plan, r, context=ctx) for r in rubrics]

        return score_all
    from techdiversity.exporters import export

    return lambda plan: export(plan, op)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def run_once(op: str, fmt: str, path: Path) -> dict[str, float]:
    """One run of an operation on a file, in seconds: wall (``total``, and for
    techdiversity ``load`` and ``op``) and CPU time of this process (``cpu_...``).

    ``path`` is the file the operation reads: the defect-seeded plan for the ``*defects``
    operations, the workbook for ``xlsx-read`` (see :func:`op_path`)."""
    if op in ("floor", "peer", "floor-nogc", "events", "floor-defects", "peer-defects"):
        floor = _floor_json if fmt == "json" else _floor_yaml
        fn = {
            "floor": floor,
            "floor-defects": floor,
            "floor-nogc": _nogc(floor),
            "events": _events_yaml,
        }.get(op) or _peer(fmt)
        w0, c0 = _clock()
        result: Any = fn(path)
        w1, c1 = _clock()
        del result
        return {"total": w1 - w0, "cpu_total": c1 - c0}
    import techdiversity as td

    after = _td_op("check" if op in ("defects", "xlsx-read") else op)
    w0, c0 = _clock()
    plan = td.load(path)
    w1, c1 = _clock()
    result = after(plan)
    w2, c2 = _clock()
    if op == "check" and not result.ok:
        raise SystemExit(f"{path}: the generated plan has errors: {[str(f) for f in result][:3]}")
    if op == "defects" and result.ok:
        raise SystemExit(f"{path}: the defects were not found")
    del result, plan
    return {
        "total": w2 - w0,
        "load": w1 - w0,
        "op": w2 - w1,
        "cpu_total": c2 - c0,
        "cpu_load": c1 - c0,
        "cpu_op": c2 - c1,
    }


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    keys = {k for r in runs for k in r}
    return {k: statistics.median(r[k] for r in runs if k in r) for k in sorted(keys)}


# ---------------------------------------------------------------------------
# Memory: one fresh process per measurement


def _rss_now() -> int:
    """The current resident set, in bytes."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the high-water mark so far is the best we have
        return _rss_peak()


def _rss_peak() -> int:
    """The high-water mark of the resident set, in bytes.

    On Linux this is ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would not do,
    because Linux carries the parent's high-water mark over an ``exec`` into the
    child's ``ru_maxrss``, and the parent here is a benchmark that has held large plans.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB


def memory_child(op: str, fmt: str, path: str, warmup: str) -> None:
    """Run in a subprocess: warm up on a tiny plan, then one run; print the RSS figures."""
    run_once(op, fmt, Path(warmup))
    gc.collect()
    before = _rss_now()
    run_once(op, fmt, Path(path))
    print(json.dumps({"before": before, "peak": _rss_peak()}))


def measure_memory(op: str, fmt: str, path: Path, warmup: Path) -> dict[str, int] | None:
    """Peak RSS of one run in a fresh process, and its growth over the RSS before the run."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", op, fmt, str(path), str(warmup)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"  memory of {op} {fmt} {path.name} failed: {proc.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"peak": data["peak"], "before": data["before"], "delta": max(0, data["peak"] - data["before"])}


# ---------------------------------------------------------------------------
# The single-plan command


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", None)
    return env


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run_cmd(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    c0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    wall = time.perf_counter() - t0
    return {"wall": wall, "cpu": _children_cpu() - c0, "exit": proc.returncode}


def measure_cli(repeat: int) -> dict[str, Any]:
    """Wall (and CPU) time of ``techdiversity check examples/<city>.yaml`` against the import floor."""
    exe = Path(sys.executable).parent / "techdiversity"
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    env = _clean_env()
    floor_cmd = [sys.executable, "-c", CLI_FLOOR]
    variants = {"plugins as installed": [], "--no-plugins": ["--no-plugins"]}
    for _ in range(2):  # warm the file cache and the .pyc files
        _run_cmd(floor_cmd, env)
        if examples:
            _run_cmd([str(exe), "check", str(examples[0])], env)
    floor: list[dict[str, float]] = []
    cities: dict[str, dict[str, Any]] = {}
    for example in examples:
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
        for _ in range(repeat):
            floor.append(_run_cmd(floor_cmd, env))  # interleaved, so drift hits both alike
            for name, flags in variants.items():
                runs[name].append(_run_cmd([str(exe), *flags, "check", str(example)], env))
        cities[example.stem] = {
            "command": f"techdiversity check examples/{example.name}",
            "exit_status": runs["plugins as installed"][-1]["exit"],
            **{name: {"median": medians(rs), "runs": rs} for name, rs in runs.items()},
        }
    return {
        "floor_command": f'python -c "{CLI_FLOOR}"',
        "floor": {"median": medians(floor), "runs": floor},
        "cities": cities,
    }


# ---------------------------------------------------------------------------
# Plans


def plan_files(sizes: list[int], data_dir: Path, seed: int, workbook: bool = True) -> dict[int, dict[str, Path]]:
    """Generate (or reuse, when newer than the generator) the plans of each size.

    For each size: the clean plan and the defect-seeded one (``json-defects``,
    ``yaml-defects``) in each format, and the clean plan as a workbook (``xlsx``,
    written by the xlsx exporter; reused while newer than the generator and the writer).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    stamp = Path(_generate.__file__).stat().st_mtime
    out: dict[int, dict[str, Path]] = {}
    for n in sizes:
        paths = {fmt: data_dir / f"plan-{n}-s{seed}.{fmt}" for fmt in FORMATS}
        paths.update({f"{fmt}-defects": data_dir / f"plan-{n}-s{seed}-defects.{fmt}" for fmt in FORMATS})
        if not all(p.exists() and p.stat().st_mtime > stamp for p in paths.values()):
            t0 = time.perf_counter()
            data = _generate.generate(n, seed)
            for fmt in FORMATS:
                _generate.write(data, paths[fmt])
            _generate.add_defects(data)
            for fmt in FORMATS:
                _generate.write(data, paths[f"{fmt}-defects"])
            del data
            print(f"  generated {n:,} actions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        if workbook:
            paths["xlsx"] = _workbook(paths["json"], data_dir / f"plan-{n}-s{seed}.xlsx")
        out[n] = paths
    return out


def _workbook(source: Path, target: Path) -> Path:
    import techdiversity as td
    from techdiversity.exporters import export
    from techdiversity.formats.xlsx import writer

    stamp = max(source.stat().st_mtime, Path(writer.__file__).stat().st_mtime)
    if not (target.exists() and target.stat().st_mtime > stamp):
        data = export(td.load(source), "xlsx")
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return target


def op_path(op: str, fmt: str, paths: dict[str, Path]) -> Path:
    """The file an operation reads: the defect-seeded plan, the workbook or the plan."""
    if op in ("defects", "floor-defects", "peer-defects"):
        return paths[f"{fmt}-defects"]
    if op == "xlsx-read":
        return paths["xlsx"]
    return paths[fmt]


def ops_for(fmt: str, available: set[str]) -> list[str]:
    """The operations timed for one input format, in their interleaving order."""
    ops = ["floor", "floor-nogc"]
    if fmt == "yaml":
        ops.append("events")
    ops += ["peer", "check", "defects", "floor-defects", "peer-defects", "score"]
    ops += [name for name in EXPORTERS if name in available]
    if fmt == "json" and "xlsx" in available:
        ops.append("xlsx-read")
    return ops


#: Operations whose peak memory is not measured (the same work as another one).
NO_MEMORY = ("floor-nogc", "floor-defects", "peer-defects")


# ---------------------------------------------------------------------------
# Reporting


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _fmt_x(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


def _fmt_mb(m: dict[str, int] | None) -> str:
    if not m:
        return "—"
    return f"{m['peak'] / 2**20:,.0f} (+{m['delta'] / 2**20:,.0f})"


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return a / b


class View:
    """Medians of a results file, for one clock."""

    def __init__(self, results: dict[str, Any], clock: str) -> None:
        self.r = results
        self.keys = KEYS[clock]
        self.clock = clock

    def t(self, fmt: str, n: int, op: str, part: str = "total") -> float | None:
        entry = self.r["timings"].get(fmt, {}).get(str(n), {}).get(op)
        if not entry:
            return None
        value: float | None = entry["median"].get(self.keys[part])
        return value

    def mem(self, fmt: str, n: int, op: str) -> dict[str, int] | None:
        value: dict[str, int] | None = self.r.get("memory", {}).get(fmt, {}).get(str(n), {}).get(op)
        return value

    def ops(self, fmt: str) -> list[str]:
        return [op for op in TD_OPS if any(self.t(fmt, n, op) is not None for n in self.r["sizes"])]

    def cli(self, entry: dict[str, Any]) -> float:
        value: float = entry["median"][self.keys["cli"]]
        return value


def tables(results: dict[str, Any], clock: str) -> str:
    from tabulate import tabulate

    v = View(results, clock)
    out: list[str] = [
        f"(times: median {clock} seconds; memory: peak RSS MB of a fresh process, (+growth during the run))"
    ]
    sizes = results["sizes"]
    for fmt in results["formats"]:
        rows = []
        for n in sizes:
            floor, peer, td = v.t(fmt, n, "floor"), v.t(fmt, n, "peer"), v.t(fmt, n, "check")
            rows.append(
                [
                    f"{n:,}",
                    f"{results['timings'][fmt][str(n)]['file_bytes'] / 1e6:.1f}",
                    _fmt_s(floor),
                    _fmt_s(peer),
                    _fmt_s(td),
                    _fmt_s(v.t(fmt, n, "check", "load")),
                    _fmt_x(_ratio(td, peer)),
                    _fmt_x(_ratio(td, floor)),
                    _fmt_mb(v.mem(fmt, n, "floor")),
                    _fmt_mb(v.mem(fmt, n, "peer")),
                    _fmt_mb(v.mem(fmt, n, "check")),
                ]
            )
        out.append(f"\n== {fmt.upper()} input: floor, peer, techdiversity check(load(path)) ==")
        headers = ["actions", "file MB", "floor s", "peer s", "td s", "td load s", "td/peer", "td/floor"]
        headers += ["floor MB", "peer MB", "td MB"]
        out.append(tabulate(rows, headers=headers, disable_numparse=True, colalign=("right",) * len(headers)))

        rows = []
        for n in sizes:
            check, clean_mem = v.t(fmt, n, "check"), v.mem(fmt, n, "check")
            defects, defects_mem = v.t(fmt, n, "defects"), v.mem(fmt, n, "defects")
            rows.append(
                [
                    f"{n:,}",
                    _fmt_s(check),
                    _fmt_s(defects),
                    _fmt_x(_ratio(defects, check)),
                    _fmt_x(_ratio(defects, v.t(fmt, n, "peer-defects"))),
                    _fmt_x(_ratio(defects, v.t(fmt, n, "floor-defects"))),
                    _fmt_mb(clean_mem),
                    _fmt_mb(defects_mem),
                    _fmt_x(_ratio(defects_mem["peak"], clean_mem["peak"]) if defects_mem and clean_mem else None),
                ]
            )
        out.append(f"\n== {fmt.upper()} input: the plan with defects (generate.py --defects) vs the clean plan ==")
        headers = ["actions", "clean s", "defects s", "/clean", "/peer", "/floor", "clean MB", "defects MB", "MB/clean"]
        out.append(tabulate(rows, headers=headers, disable_numparse=True, colalign=("right",) * len(headers)))

        rows = []
        for n in sizes:
            check = v.t(fmt, n, "check")
            nogc, events = v.t(fmt, n, "floor-nogc"), v.t(fmt, n, "events")
            row = [f"{n:,}", _fmt_s(v.t(fmt, n, "floor")), _fmt_s(nogc)]
            if fmt == "yaml":
                row += [_fmt_s(events)]
            row += [_fmt_s(check), _fmt_x(_ratio(check, nogc))]
            if fmt == "yaml":
                row += [_fmt_x(_ratio(check, events)), _fmt_x(_ratio(v.t(fmt, n, "check", "load"), events))]
            rows.append(row)
        headers = ["actions", "floor s", "floor gc off s"]
        headers += ["bare events s"] if fmt == "yaml" else []
        headers += ["check s", "check/floor gc off"]
        headers += ["check/events", "load/events"] if fmt == "yaml" else []
        what = "PyYAML's C loader with the collector on and off, libyaml's bare event loop" if fmt == "yaml" else ""
        what = what or "json.loads with the collector on and off"
        out.append(f"\n== {fmt.upper()} input: the floors ({what}) ==")
        out.append(tabulate(rows, headers=headers, disable_numparse=True, colalign=("right",) * len(headers)))

        ops = v.ops(fmt)
        rows = []
        for op in ops:
            row = [op]
            for n in sizes:
                t = v.t(fmt, n, op)
                ratio = _ratio(t, v.t(fmt, n, "check"))
                row.append("—" if t is None else f"{_fmt_s(t)} ({_fmt_x(ratio)})")
                row.append(_fmt_mb(v.mem(fmt, n, op)))
            rows.append(row)
        headers = ["load(path), then"]
        for n in sizes:
            headers += [f"{n:,}: s (/check)", "MB"]
        out.append(f"\n== {fmt.upper()} input: check, score (every built-in rubric) and every exporter ==")
        out.append(
            tabulate(rows, headers=headers, disable_numparse=True, colalign=("left",) + ("right",) * (len(headers) - 1))
        )

        if any(v.t(fmt, n, "xlsx-read") is not None for n in sizes):
            rows = []
            for n in sizes:
                check, read = v.t(fmt, n, "check"), v.t(fmt, n, "xlsx-read")
                block = results["timings"][fmt][str(n)]
                rows.append(
                    [
                        f"{n:,}",
                        f"{block.get('workbook_bytes', 0) / 1e6:.1f}",
                        _fmt_s(check),
                        _fmt_s(read),
                        _fmt_s(v.t(fmt, n, "xlsx-read", "load")),
                        _fmt_x(_ratio(read, check)),
                        _fmt_mb(v.mem(fmt, n, "xlsx-read")),
                    ]
                )
            out.append("\n== Reading Excel: check(load(workbook)) vs check(load(the same plan as JSON)) ==")
            headers = ["actions", "workbook MB", "check JSON s", "check xlsx s", "xlsx load s", "xlsx/JSON", "xlsx MB"]
            out.append(tabulate(rows, headers=headers, disable_numparse=True, colalign=("right",) * len(headers)))

        if len(sizes) > 1:
            rows = []
            for a, b in itertools.pairwise(sizes):
                row = [f"{a:,} → {b:,}"]
                for op in ("floor", "peer", "defects", *ops):
                    row.append(_fmt_x(_ratio(v.t(fmt, b, op), v.t(fmt, a, op))))
                for op in ("check", "defects", *ops[1:]):
                    ma, mb = v.mem(fmt, a, op), v.mem(fmt, b, op)
                    row.append(_fmt_x(_ratio(mb["delta"], ma["delta"]) if ma and mb else None))
                rows.append(row)
            headers = [
                "size step",
                "floor",
                "peer",
                "defects",
                *ops,
                *[f"{op} mem" for op in ("check", "defects", *ops[1:])],
            ]
            out.append(
                f"\n== {fmt.upper()} input: scaling from each size to the next (time and memory-growth factors) =="
            )
            out.append(tabulate(rows, headers=headers, disable_numparse=True))
    for note in results.get("notes", []):
        out.append("note: " + note)

    cli = results.get("cli")
    if cli:
        floor = v.cli(cli["floor"])
        rows = []
        for city, r in cli["cities"].items():
            a = v.cli(r["plugins as installed"])
            b = v.cli(r["--no-plugins"])
            rows.append(
                [
                    city,
                    _fmt_s(floor),
                    _fmt_s(a),
                    _fmt_x(_ratio(a, floor)),
                    _fmt_s(b),
                    _fmt_x(_ratio(b, floor)),
                    r["exit_status"],
                ]
            )
        out.append(f"\n== Single-plan command: techdiversity check examples/<city>.yaml vs {cli['floor_command']} ==")
        out.append(
            tabulate(
                rows,
                headers=["city", "floor s", "check s", "check/floor", "--no-plugins s", "/floor", "exit"],
                disable_numparse=True,
            )
        )
    return "\n".join(out)


def goals(results: dict[str, Any], clock: str) -> list[dict[str, Any]]:
    """Each goal of the issue: met or not, with the figure and the limit."""
    v = View(results, clock)
    out: list[dict[str, Any]] = []
    sizes = results["sizes"]

    def add(name: str, value: float | None, limit: float) -> None:
        out.append({"goal": name, "value": value, "limit": limit, "met": value is not None and value <= limit})

    for fmt in results["formats"]:
        if GOAL_SIZE in sizes:
            td = v.t(fmt, GOAL_SIZE, "check")
            add(
                f"[{fmt}] td/peer at {GOAL_SIZE:,} ≤ {GOAL_PEER:g}×", _ratio(td, v.t(fmt, GOAL_SIZE, "peer")), GOAL_PEER
            )
            add(
                f"[{fmt}] td/floor at {GOAL_SIZE:,} ≤ {GOAL_FLOOR:g}×",
                _ratio(td, v.t(fmt, GOAL_SIZE, "floor")),
                GOAL_FLOOR,
            )
            defects = v.t(fmt, GOAL_SIZE, "defects")
            add(
                f"[{fmt}] with defects: td/peer at {GOAL_SIZE:,} ≤ {GOAL_PEER:g}×",
                _ratio(defects, v.t(fmt, GOAL_SIZE, "peer-defects")),
                GOAL_PEER,
            )
            add(
                f"[{fmt}] with defects: td/floor at {GOAL_SIZE:,} ≤ {GOAL_FLOOR:g}×",
                _ratio(defects, v.t(fmt, GOAL_SIZE, "floor-defects")),
                GOAL_FLOOR,
            )
            add(
                f"[{fmt}] with defects / clean at {GOAL_SIZE:,} ≤ {GOAL_DEFECTS:g}×",
                _ratio(defects, td),
                GOAL_DEFECTS,
            )
            if fmt == "yaml":
                add(
                    f"[yaml] check(load) / bare event loop at {GOAL_SIZE:,} ≤ {GOAL_EVENTS:g}×",
                    _ratio(td, v.t(fmt, GOAL_SIZE, "events")),
                    GOAL_EVENTS,
                )
        for n in sizes:
            clean_mem, defects_mem = v.mem(fmt, n, "check"), v.mem(fmt, n, "defects")
            if clean_mem and defects_mem:
                add(
                    f"[{fmt}] peak memory with defects / clean at {n:,} ≤ {GOAL_DEFECTS_MEMORY:g}×",
                    _ratio(defects_mem["peak"], clean_mem["peak"]),
                    GOAL_DEFECTS_MEMORY,
                )
            if n == GOAL_XLSX_SIZE and v.t(fmt, n, "xlsx-read") is not None:
                add(
                    f"reading Excel at {n:,}: check(load(xlsx)) / check(load(json)) ≤ {GOAL_XLSX_READ:g}×",
                    _ratio(v.t(fmt, n, "xlsx-read"), v.t(fmt, n, "check")),
                    GOAL_XLSX_READ,
                )
        for a, b in itertools.pairwise(sizes):
            limit = GOAL_STEP * (b / a) / 10
            for op in [*v.ops(fmt), "defects"]:
                add(f"[{fmt}] {op} time {a:,}→{b:,} ≤ {limit:g}×", _ratio(v.t(fmt, b, op), v.t(fmt, a, op)), limit)
            for op in [*v.ops(fmt), "defects"]:
                ma, mb = v.mem(fmt, a, op), v.mem(fmt, b, op)
                if ma and mb:
                    add(f"[{fmt}] {op} memory {a:,}→{b:,} ≤ {limit:g}×", _ratio(mb["delta"], ma["delta"]), limit)
        for n in sizes:
            check = v.t(fmt, n, "check")
            for op in v.ops(fmt)[1:]:
                limit = GOAL_SCORE if op == "score" else GOAL_EXPORT
                add(f"[{fmt}] {op} ≤ {limit:g}× check at {n:,}", _ratio(v.t(fmt, n, op), check), limit)
    cli = results.get("cli")
    if cli and cli["cities"]:
        worst = max(v.cli(r["plugins as installed"]) for r in cli["cities"].values())
        add(
            f"single-plan check (slowest city) ≤ {GOAL_CLI:g}× import floor",
            _ratio(worst, v.cli(cli["floor"])),
            GOAL_CLI,
        )
    return out


def print_report(results: dict[str, Any], clock: str) -> None:
    print(tables(results, clock))
    print(f"\n== Goals ({clock} time) ==")
    for g in goals(results, clock):
        value = "—" if g["value"] is None else f"{g['value']:.2f}×"
        print(f"{'MET    ' if g['met'] else 'NOT MET'}  {g['goal']}: {value}")


def _save(out_path: Path | None, results: dict[str, Any]) -> None:
    if out_path is None:
        return
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out_path)


def _resumable(out_path: Path | None, results: dict[str, Any]) -> dict[str, Any] | None:
    """An earlier results file measured on the same plans (same seed), or None."""
    if out_path is None or not out_path.exists():
        return None
    try:
        previous: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return previous if previous.get("seed") == results["seed"] else None


def _done(previous: dict[str, Any], fmt: str, n: int, ops: list[str], with_memory: bool) -> bool:
    block = previous.get("timings", {}).get(fmt, {}).get(str(n))
    if not block or not all(op in block for op in ops):
        return False
    mem = previous.get("memory", {}).get(fmt, {}).get(str(n))
    return not with_memory or bool(mem and all(mem.get(op) for op in ops if op not in NO_MEMORY))


def _git(*args: str) -> str | None:
    try:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


# ---------------------------------------------------------------------------
# Main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The techdiversity benchmark (see bench/README.md).")
    parser.add_argument("--sizes", help="comma-separated numbers of actions (default 1000,10000,100000)")
    parser.add_argument("--repeat", type=int, help="runs per measurement, median reported (default 5; 3 from 100,000)")
    parser.add_argument(
        "--quick", action="store_true", help="the CI smoke test: size 1000 only, one run, no file written"
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="json,yaml (default both)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="which time the tables and goals use")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    parser.add_argument(
        "--memory-ops", help="measure the peak memory of these operations only (comma-separated; default all)"
    )
    parser.add_argument("--no-cli", action="store_true", help="skip the single-plan command")
    parser.add_argument("--cli-repeat", type=int, help="runs of each command (default 10; 2 with --quick)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, help="where generated plans are kept (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="JSON results (default bench/results/latest.json; none with --quick)")
    parser.add_argument(
        "--resume", action="store_true", help="keep the sizes already measured in --out (after a run that died)"
    )
    parser.add_argument("--report", type=Path, metavar="RESULTS", help="print the tables of a results file and exit")
    parser.add_argument("--memory-child", nargs=4, metavar=("OP", "FMT", "PATH", "WARMUP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.memory_child:
        memory_child(*args.memory_child)
        return 0
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        # a partial file (a run that died) has the sizes it finished only
        saved["sizes"] = [
            n for n in saved["sizes"] if all(str(n) in saved["timings"].get(f, {}) for f in saved["formats"])
        ]
        print_report(saved, args.clock)
        return 0

    if args.sizes:
        sizes = sorted({int(s.strip().replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    else:
        sizes = [1000] if args.quick else [1000, 10_000, 100_000]
    formats = [f for f in args.formats.split(",") if f]
    for f in formats:
        if f not in FORMATS:
            parser.error(f"unknown format {f!r}")
    cli_repeat = args.cli_repeat or (2 if args.quick else 10)
    out_path = args.out if args.out is not None else (None if args.quick else HERE / "results" / "latest.json")
    data_dir = args.data_dir or Path(os.environ.get("TMPDIR", "/tmp")) / "techdiversity-bench"

    def repeat_for(n: int) -> int:
        if args.repeat:
            return args.repeat
        if args.quick:
            return 1
        return 3 if n >= 100_000 else 5

    print(
        f"techdiversity benchmark: sizes {sizes}, formats {formats}, "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs",
        file=sys.stderr,
    )
    notes: list[str] = []
    available = exporter_names()
    for name in EXPORTERS:
        if name not in available:
            notes.append(f"the {name} exporter is not registered (exporters: {', '.join(sorted(available))}): skipped")
    notes.append(f"rubrics scored: {', '.join(r.name for r in builtin_rubrics())}")
    from techdiversity.errors import PlanError

    files = plan_files(sizes, data_dir, args.seed, "xlsx" in available)
    warm = plan_files([20], data_dir, args.seed, "xlsx" in available)[20]

    # warm-up: imports, pydantic schemas, templates, plugin registry
    for fmt in formats:
        for op in ops_for(fmt, available):
            run_once(op, fmt, op_path(op, fmt, warm))

    results: dict[str, Any] = {
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
        "commit": _git("rev-parse", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "sizes": sizes,
        "formats": formats,
        "repeat": {str(n): repeat_for(n) for n in sizes},
        "seed": args.seed,
        "units": {
            "time": "seconds; median of the runs; total/load/op = wall, cpu_* = CPU time of the process",
            "memory": "bytes; peak = high-water RSS of a fresh process, delta = peak minus RSS before the run",
        },
        "notes": notes,
        "partial": True,
        "timings": {},
        "memory": {},
    }
    previous = _resumable(out_path, results) if args.resume else None
    timings: dict[str, dict[str, dict[str, Any]]] = results["timings"]
    memory: dict[str, dict[str, dict[str, Any]]] = results["memory"]
    for fmt in formats:
        timings[fmt] = {}
        memory[fmt] = {}
        ops = ops_for(fmt, available)
        for n in sizes:
            if previous is not None and _done(previous, fmt, n, ops, not args.no_memory):
                timings[fmt][str(n)] = previous["timings"][fmt][str(n)]
                memory[fmt][str(n)] = previous.get("memory", {}).get(fmt, {}).get(str(n), {})
                print(f"  {fmt} {n:>7,}: kept from {out_path}", file=sys.stderr)
                continue
            path = files[n][fmt]
            rep = repeat_for(n)
            runs: dict[str, list[dict[str, float]]] = {op: [] for op in ops}
            for i in range(rep):  # interleaved: floor, peer, check, ... then again
                for op in list(ops):
                    gc.collect()
                    try:
                        runs[op].append(run_once(op, fmt, op_path(op, fmt, files[n])))
                    except PlanError as exc:  # a workbook over the reader's budgets
                        if op != "xlsx-read":
                            raise
                        notes.append(f"xlsx-read at {n:,} actions: the reader refused the workbook: {exc}")
                        ops = [o for o in ops if o != op]
                        del runs[op]
                        continue
                    print(f"  {fmt} {n:>7,} {op:<6} run {i + 1}/{rep}: {runs[op][-1]['total']:.3f} s", file=sys.stderr)
            entry: dict[str, Any] = {"file_bytes": path.stat().st_size}
            if "xlsx" in files[n]:
                entry["workbook_bytes"] = files[n]["xlsx"].stat().st_size
            for op in ops:
                entry[op] = {"median": medians(runs[op]), "runs": runs[op]}
            timings[fmt][str(n)] = entry
            if not args.no_memory:
                memory[fmt][str(n)] = {}
                for op in ops:
                    if op in NO_MEMORY or (args.memory_ops and op not in args.memory_ops.split(",")):
                        continue
                    m = measure_memory(op, fmt, op_path(op, fmt, files[n]), op_path(op, fmt, warm))
                    memory[fmt][str(n)][op] = m
                    if m:
                        print(
                            f"  {fmt} {n:>7,} {op:<6} peak {m['peak'] / 2**20:,.0f} MB (+{m['delta'] / 2**20:,.0f})",
                            file=sys.stderr,
                        )
            _save(out_path, results)  # a long run that dies keeps what it measured (see --resume)

    if not args.no_cli:
        print("  single-plan command...", file=sys.stderr)
        results["cli"] = measure_cli(cli_repeat)
    results["goals"] = {clock: goals(results, clock) for clock in KEYS}
    results["partial"] = False
    results["machine"]["load_average_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None

    print_report(results, args.clock)
    if out_path is not None:
        _save(out_path, results)
        print(f"\nresults written to {out_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
