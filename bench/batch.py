"""Batches: plans per second over many example-sized plans, the command line against a loop.

    python bench/batch.py [--plans 1000] [--repeat 3] [--jobs 2] [--quick] [--out FILE]

The plans are the example plans (``examples/*.yaml``) as other cities: a new plan id
and city each, and one link in seven dropped, so the checks find something, as in a
real batch. They are written once into ``--data-dir`` and reused.

Measured, as the median of ``--repeat`` runs of each, interleaved:

- loop (the floor): in this process, after a warm-up, a loop over
  ``td.check(td.load(p))`` for every plan; the same for ``td.score(td.load(p))``
  (the ``urbact-iap`` rubric, as ``score`` by default) and for
  ``summarise(td.load(p))`` (every rubric, as ``compare``);
- the command line as a user runs it, a fresh process each time, output to the null
  device: ``techdiversity check DIR``, ``score DIR`` and ``compare DIR --format csv``
  (the records; the text layout of a thousand cities is another matter), each with
  ``--jobs 1`` and ``--jobs N``.

Printed: plans per second for each, each command's time over the check loop (the
floor the issue names) and over the loop doing its own work, and the speed-up of
``--jobs N`` over ``--jobs 1``. The command-line figures include starting Python and
importing the library (``techdiversity --version`` is timed too, as "startup"). Third-party plugins are not loaded
(``TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD=1``), in the loop and the commands alike.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD"] = "1"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

#: The commands timed: name, arguments after the directory.
COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--quiet"],
    "score": ["score"],
    "compare": ["compare", "--format", "csv"],
}


def variant(text: str, i: int) -> str:
    """An example plan as another city: new plan id and city; one plan in seven drops a link."""
    text = re.sub(r"^(  id: )(\S+)", lambda m: f"{m.group(1)}{m.group(2)}-{i:04d}", text, count=1, flags=re.M)
    text = re.sub(r"^(  city: )(.+)$", lambda m: f"{m.group(1)}{m.group(2)} {i}", text, count=1, flags=re.M)
    if i % 7 == 3:
        text = re.sub(r"contributes_to: \[[^\]]*\]", "contributes_to: []", text, count=1)
    return text


def make_corpus(directory: Path, n: int) -> list[Path]:
    """``n`` plan files in ``directory`` (kept: a second run reuses them)."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text("utf-8") for p in EXAMPLES]
    paths = []
    for i in range(n):
        path = directory / f"plan-{i:05d}.yaml"
        text = variant(texts[i % len(texts)], i)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
        paths.append(path)
    for extra in directory.glob("plan-*.yaml"):
        if extra not in paths:
            extra.unlink()
    return paths


def loops() -> dict[str, Callable[[list[Path]], object]]:
    import techdiversity as td
    from techdiversity.network import summarise

    def check(paths: list[Path]) -> object:
        return [td.check(td.load(p)).count("error") for p in paths]

    def score(paths: list[Path]) -> object:
        return [td.score(td.load(p)).total for p in paths]

    def compare(paths: list[Path]) -> object:
        return [summarise(td.load(p), path=str(p)) for p in paths]

    return {"check": check, "score": score, "compare": compare}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(args: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (the command and the worker processes it waited for)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"techdiversity {' '.join(args)}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return elapsed, _children_cpu() - cpu


def measure(paths: list[Path], directory: Path, repeat: int, jobs: int) -> dict[str, Any]:
    floors = loops()
    for work in floors.values():  # warm-up: imports, templates, the plugin host
        work(paths[:8])
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, work in floors.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            work(paths)
            times.setdefault(f"loop {name}", []).append(time.perf_counter() - start)
            cpu.setdefault(f"loop {name}", []).append(time.process_time() - start_cpu)
        wall, used = run_command(["--version"])
        times.setdefault("startup", []).append(wall)
        cpu.setdefault("startup", []).append(used)
        for name, args in COMMANDS.items():
            for j in (1, jobs):
                wall, used = run_command([*args, "--jobs", str(j), str(directory)])
                times.setdefault(f"{name} --jobs {j}", []).append(wall)
                cpu.setdefault(f"{name} --jobs {j}", []).append(used)
    medians = {key: statistics.median(values) for key, values in times.items()}
    cpu_medians = {key: statistics.median(values) for key, values in cpu.items()}
    return {"times": times, "median": medians, "cpu": cpu, "cpu_median": cpu_medians}


def table(result: dict[str, Any], n: int, jobs: int) -> str:
    med = result["median"]
    cpu = result["cpu_median"]
    floor = med["loop check"]
    lines = [
        f"{n} example-sized plans, median of {len(result['times']['loop check'])} run(s); wall clock, "
        "and the CPU time of the process and its workers",
        "",
        f"{'what':<20} {'seconds':>8} {'plans/s':>8} {'ms/plan':>8} {'/check loop':>12} {'/own loop':>10}"
        f" {'cpu s':>7} {'cpu ms/plan':>12}",
    ]
    for key, seconds in med.items():
        if key == "startup":
            continue
        name = key.split()[1] if key.startswith("loop") else key.split()[0]
        own = med[f"loop {name}"]
        lines.append(
            f"{key:<20} {seconds:8.2f} {n / seconds:8.0f} {1000 * seconds / n:8.2f} "
            f"{seconds / floor:11.2f}x {seconds / own:9.2f}x {cpu[key]:7.2f} {1000 * cpu[key] / n:12.2f}"
        )
    lines.append("")
    lines.append(f"startup (techdiversity --version): {med['startup']:.2f} s, in every command's figure")
    for name in COMMANDS:
        speedup = med[f"{name} --jobs 1"] / med[f"{name} --jobs {jobs}"]
        lines.append(f"{name}: --jobs {jobs} is {speedup:.2f}x as fast as --jobs 1")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="the CI smoke test: 24 plans, one run")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "techdiversity-bench")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    n, repeat = (24, 1) if args.quick else (args.plans, args.repeat)
    directory = args.data_dir / f"batch-{n}"
    paths = make_corpus(directory, n)
    result = measure(paths, directory, repeat, args.jobs)
    print(table(result, n, args.jobs))
    if args.out is not None:
        doc = {
            "plans": n,
            "repeat": repeat,
            "jobs": args.jobs,
            "when": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            **result,
            "plans_per_second": {key: n / seconds for key, seconds in result["median"].items()},
            "load_average": os.getloadavg(),
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
