"""Batches on any executor (techdiversity.batch): input order, bounded streaming, and a real dask cluster.

One local dask.distributed cluster (a scheduler on 127.0.0.1 and one worker process of
two threads) serves the whole module: the API with the client's executor, and the
command line with ``--scheduler tcp://...``, each giving what ``--jobs 1`` gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import techdiversity as td
from techdiversity import batch
from techdiversity.network import Network, compare
from test_network import generate_network

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 plan files, every 12th one unreadable."""
    directory = tmp_path_factory.mktemp("batch")
    generate_network(directory, 24, broken_every=12)
    return directory


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        worker_dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def dask_executor(cluster: Any) -> Iterator[Executor]:
    import distributed

    with distributed.Client(cluster.scheduler_address) as client:
        yield client.get_executor()


# ---------------------------------------------------------------------------
# ordered_map on its own


class HeldExecutor(Executor):
    """Runs nothing until a result is asked for, then the newest task first: counts what is in flight."""

    def __init__(self, workers: int) -> None:
        self._max_workers = workers
        self.waiting: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []
        self.most_in_flight = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.waiting.append((future, fn, args))
        self.most_in_flight = max(self.most_in_flight, len(self.waiting))
        original = future.result

        def result(timeout: float | None = None) -> Any:
            while not future.done():  # run every task waiting, the last submitted first
                f, function, arguments = self.waiting.pop()
                f.set_result(function(*arguments))
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        return future


def _square(n: int, offset: int) -> int:
    return n * n + offset


def test_results_come_in_input_order_whatever_order_the_work_ends_in() -> None:
    executor = HeldExecutor(workers=3)
    out = list(batch.ordered_map(_square, range(100), 1, executor=executor, chunk=4))
    assert out == [n * n + 1 for n in range(100)]


def test_a_stream_is_read_as_the_work_goes_with_a_bounded_number_in_flight() -> None:
    drawn: list[int] = []

    def items() -> Iterator[int]:
        for n in range(10_000):
            drawn.append(n)
            yield n

    executor = HeldExecutor(workers=2)
    results = batch.ordered_map(_square, items(), 0, executor=executor, chunk=5)
    first = [next(results) for _ in range(3)]
    assert first == [0, 1, 4]
    # 2 workers: at most 4 chunks of 5 in flight, so about 20 items drawn, not 10,000
    assert len(drawn) <= 2 * 2 * 5 + 5
    assert executor.most_in_flight <= 4
    results.close()  # the chunks not started are cancelled
    assert all(f.cancelled() for f, _, _ in executor.waiting)
    assert list(batch.ordered_map(_square, items(), 0, executor=HeldExecutor(2), chunk=5))[-1] == 9999**2


def test_jobs_one_runs_here_and_jobs_two_in_processes() -> None:
    here = list(batch.ordered_map(_square, [1, 2, 3], 0))
    assert here == [1, 4, 9]
    assert list(batch.ordered_map(_square, list(range(50)), 0, jobs=2)) == [n * n for n in range(50)]
    with pytest.raises(ValueError, match="number of processes"):
        list(batch.ordered_map(_square, [1, 2], 0, jobs=-1))


def test_capacity_of_an_executor() -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert batch.capacity_of(pool) == 3
    assert batch.capacity_of(HeldExecutor(5)) == 5


def _plugin_settings(_: object) -> tuple[bool, frozenset[str]]:
    from techdiversity import plugins

    return plugins.current_settings()


def test_a_worker_uses_the_callers_plugin_settings(dask_executor: Executor) -> None:
    """A dask worker is a process of its own (not a fork of this one): the settings travel with the work."""
    from techdiversity import plugins

    assert set(batch.ordered_map(_plugin_settings, range(8), executor=dask_executor)) == {(True, frozenset())}
    plugins.configure(autoload=False, disabled=["someone"])
    try:
        got = set(batch.ordered_map(_plugin_settings, range(8), executor=dask_executor))
    finally:
        plugins.configure()
    assert got == {(False, frozenset({"someone"}))}


# ---------------------------------------------------------------------------
# The batch API with an executor


def _check_view(results: Iterator[batch.FileResult]) -> list[tuple[str, Any]]:
    return [
        (r.path, [str(f) for f in r.value] if r.ok else [str(d) for d in r.error.diagnostics])  # type: ignore[union-attr]
        for r in results
    ]


def test_the_api_with_a_thread_pool_equals_one_process(corpus: Path) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(compare(corpus, executor=pool)) == list(compare(corpus))
        assert _check_view(batch.check_files(corpus, executor=pool)) == _check_view(batch.check_files(corpus))
        loaded = Network.load(corpus, executor=pool)
    serial = Network.load(corpus)
    assert loaded.plans == serial.plans
    assert sorted(loaded.errors) == sorted(serial.errors)


def test_check_files_and_score_files(corpus: Path) -> None:
    results = list(batch.check_files(corpus, jobs=2))
    assert [r.path for r in results] == sorted(str(p) for p in corpus.iterdir())
    broken = [r for r in results if not r.ok]
    assert len(broken) == 2 and all(r.value is None and r.error.diagnostics for r in broken)  # type: ignore[union-attr]
    first = results[0]
    assert first.ok and isinstance(first.value, td.Report)
    assert first.value.findings == td.check(td.load(first.path)).findings
    cards = list(batch.score_files([first.path, results[1].path], ["urbact-iap", "integration"], jobs=2))
    assert [[c["rubric"]["name"] for c in r.value] for r in cards] == [["urbact-iap", "integration"]] * 2
    assert cards[0].value[0] == td.score(td.load(first.path), "urbact-iap").to_json()
    with pytest.raises(KeyError, match="no rubric named 'nope'"):
        list(batch.score_files(corpus, ["nope"]))
    assert "FileResult" in repr(first) and "problem(s)" in repr(broken[0])


def test_the_api_on_a_dask_cluster_equals_one_process(corpus: Path, dask_executor: Executor) -> None:
    assert batch.capacity_of(dask_executor) == 2  # one worker of two threads
    assert list(compare(corpus, executor=dask_executor)) == list(compare(corpus, jobs=1))
    assert _check_view(batch.check_files(corpus, executor=dask_executor)) == _check_view(batch.check_files(corpus))
    scored = [(r.path, r.value) for r in batch.score_files(corpus, executor=dask_executor)]
    assert scored == [(r.path, r.value) for r in batch.score_files(corpus)]
    loaded = Network.load(corpus, executor=dask_executor)
    serial = Network.load(corpus, jobs=1)
    assert loaded.plans == serial.plans
    assert {p: [str(d) for d in e.diagnostics] for p, e in loaded.errors.items()} == {
        p: [str(d) for d in e.diagnostics] for p, e in serial.errors.items()
    }


# ---------------------------------------------------------------------------
# The command line: --scheduler gives what --jobs 1 gives


def _td(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "techdiversity", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


#: The commands, and whether --jobs 2 is compared as well (tests/test_cli.py has more of --jobs).
COMMANDS = [
    (["check"], True),
    (["check", "--format", "json"], False),
    (["score", "--all-rubrics"], True),
    (["score", "--format", "json"], False),
    (["compare", "--format", "csv"], True),
    (["compare", "--format", "json"], False),
]


@pytest.mark.parametrize(("command", "also_jobs_two"), COMMANDS, ids=[" ".join(c) for c, _ in COMMANDS])
def test_the_command_line_on_a_dask_cluster_equals_jobs_one(
    corpus: Path, cluster: Any, command: list[str], also_jobs_two: bool
) -> None:
    one = _td(*command, "--jobs", "1", str(corpus))
    assert one.returncode in (1, 2), one.stderr  # the corpus has unreadable files
    on_cluster = _td(*command, "--scheduler", cluster.scheduler_address, str(corpus))
    assert (on_cluster.returncode, on_cluster.stdout, on_cluster.stderr) == (one.returncode, one.stdout, one.stderr)
    if also_jobs_two:
        two = _td(*command, "--jobs", "2", str(corpus))
        assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)


def test_the_network_report_on_a_dask_cluster(cluster: Any) -> None:
    one = _td("compare", "--format", "html", str(EXAMPLES))
    on_cluster = _td("compare", "--format", "html", "--scheduler", cluster.scheduler_address, str(EXAMPLES))
    assert one.returncode == on_cluster.returncode == 0, on_cluster.stderr
    assert on_cluster.stdout == one.stdout


def test_the_command_line_names_a_scheduler_it_cannot_reach() -> None:
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    pytest.importorskip("distributed")
    done = _td("check", "--scheduler", "tcp://127.0.0.1:9", str(EXAMPLES / "trikala.yaml"), env=env)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("--scheduler tcp://127.0.0.1:9: cannot reach the dask scheduler")
    assert done.stdout == ""


def test_scheduler_and_jobs_together_is_a_usage_error() -> None:
    done = _td("check", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:9", str(EXAMPLES))
    assert done.returncode == 2 and "--jobs and --scheduler: choose one" in done.stderr


def test_without_dask_scheduler_answers_in_one_line(tmp_path: Path) -> None:
    """dask hidden from the import system (as in a plain install, which the wheel test also runs)."""
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['distributed'] = None\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    for command in (["check"], ["score"], ["compare"]):
        done = _td(*command, "--scheduler", "tcp://127.0.0.1:9", str(EXAMPLES), env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines() == [
            "--scheduler (a batch on a dask cluster) needs dask.distributed, which is not installed:"
            " pip install 'techdiversity[dask]'"
        ]
        assert done.stdout == ""
