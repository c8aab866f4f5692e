"""Streaming IATI files: MB/s and peak memory of the reader against an lxml iterparse floor.

    python bench/iati.py                     # a file of about 100 MB
    python bench/iati.py --mb 20 --repeat 3
    python bench/iati.py --quick             # the CI smoke run: about 2 MB, one run

The file is made of real published activities (``tests/data/iati/dportal-covid-18.xml``,
every activity copied with a new identifier) until it reaches the size asked for. Each
measurement runs in a fresh process, so its peak memory (the maximum resident set
size) is its own:

- ``floor``: ``lxml.etree.iterparse(path, tag="iati-activity")``, each activity
  cleared once seen and its finished siblings deleted: the least a streaming reader
  of the same file does (it builds each activity's tree, and reads nothing of it);
- ``index``: :func:`techdiversity.formats.iati.activity_keys`: the one streaming pass
  that finds every activity, its identifier and its bytes;
- ``stream``: every activity read as plan data, one at a time
  (:func:`techdiversity.formats.iati.read_iati_activity`), and dropped: memory bounded
  by the largest activity;
- ``network``: ``Network.load(path)``: every activity a checked-in-memory plan, all
  kept (memory grows with the plans, not with the file's XML).

The table gives the median time of ``--repeat`` runs, MB/s, the peak resident memory,
and the ratios against the floor measured in the same run. Nothing is asserted here;
``tests/test_bench_smoke.py`` runs ``--quick``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "iati" / "dportal-covid-18.xml"

MEASURES = ("floor", "index", "stream", "network")


def make_file(path: Path, megabytes: float) -> int:
    """Write an IATI file of about ``megabytes`` MB from the sample's activities; returns how many it holds."""
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("<iati-activity ")
    head, body = text[:start], text[start : text.rindex("</iati-activities>")]
    activities = re.findall(r"<iati-activity[ >].*?</iati-activity>", body, re.S)
    target = int(megabytes * 1024 * 1024)
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        written = len(head)
        while written < target:
            for activity in activities:
                count += 1
                copy = re.sub(
                    r"<iati-identifier>(.*?)</iati-identifier>",
                    lambda m, n=count: f"<iati-identifier>{m.group(1)}-copy{n}</iati-identifier>",
                    activity,
                    count=1,
                )
                out.write(copy + "\n")
                written += len(copy) + 1
                if written >= target:
                    break
        out.write("</iati-activities>\n")
    return count


CHILD = r"""
import resource, sys, time, warnings
warnings.simplefilter("ignore")
what, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if what == "floor":
    from lxml import etree
    n = 0
    for _, elem in etree.iterparse(path, events=("end",), tag="iati-activity", huge_tree=False):
        n += 1
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]
elif what == "index":
    from techdiversity.formats.iati import activity_keys
    n = len(activity_keys(path))
elif what == "stream":
    from techdiversity.errors import PlanError
    from techdiversity.formats.iati import activity_keys, read_iati_activity
    n = 0
    for key in activity_keys(path):
        try:
            read_iati_activity(path, key)
            n += 1
        except PlanError:
            n += 1
elif what == "network":
    from techdiversity import Network
    net = Network.load(path)
    n = len(net.plans) + len(net.errors)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"{n} {seconds} {peak}")
"""


def measure(what: str, path: Path) -> tuple[int, float, int]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, what, str(path)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{proc.stderr}")
    n, seconds, peak = proc.stdout.split()
    return int(n), float(seconds), int(peak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100.0, help="size of the file to stream, in MB (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--quick", action="store_true", help="about 2 MB, one run (the CI smoke test)")
    parser.add_argument("--json", dest="json_out", default=None, help="write the figures to this file too")
    args = parser.parse_args(argv)
    megabytes, repeat = (2.0, 1) if args.quick else (args.mb, max(1, args.repeat))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activities.xml"
        activities = make_file(path, megabytes)
        size = os.path.getsize(path) / (1024 * 1024)
        print(f"IATI file: {size:.1f} MB, {activities} activities (copies of {SAMPLE.name}), {repeat} run(s) each")
        results: dict[str, dict[str, float]] = {}
        runs: dict[str, list[tuple[int, float, int]]] = {m: [] for m in MEASURES}
        for _ in range(repeat):
            for what in MEASURES:  # interleaved, so that a slow spell hits them alike
                runs[what].append(measure(what, path))
        for what in MEASURES:
            counts = {r[0] for r in runs[what]}
            if counts != {activities}:
                raise SystemExit(f"{what} read {counts} activities, the file holds {activities}")
            seconds = statistics.median(r[1] for r in runs[what])
            peak = max(r[2] for r in runs[what]) / (1024 * 1024)
            results[what] = {"seconds": seconds, "mb_per_s": size / seconds, "peak_mb": peak}
    floor = results["floor"]
    print(f"{'':9} {'seconds':>9} {'MB/s':>8} {'peak MB':>9} {'time/floor':>11} {'peak/floor':>11}")
    for what in MEASURES:
        r = results[what]
        print(
            f"{what:9} {r['seconds']:9.2f} {r['mb_per_s']:8.1f} {r['peak_mb']:9.1f} "
            f"{r['seconds'] / floor['seconds']:11.2f} {r['peak_mb'] / floor['peak_mb']:11.2f}"
        )
    if args.json_out:
        Path(args.json_out).write_text(
            json.dumps({"file_mb": size, "activities": activities, "repeat": repeat, "results": results}, indent=2)
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    sys.exit(code)
