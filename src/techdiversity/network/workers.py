"""Work over many files on worker processes or any executor: results in input order, streamed.

The machinery of :mod:`techdiversity.batch` (its public front): chunks of items, a
bounded number in flight, the caller's plugin settings carried to each worker.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from itertools import islice
from typing import Any, TypeVar

__all__ = ["capacity_of", "chunk_size", "in_parallel", "jobs_of", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

#: Chunks in flight per worker: one being worked on, one waiting, so that no worker idles.
IN_FLIGHT_PER_WORKER = 2

_configure_lock = threading.Lock()
_runs = itertools.count(int.from_bytes(os.urandom(6), "big"))  # unique across processes and runs


def jobs_of(jobs: int | None) -> int:
    """The number of processes ``jobs`` stands for: ``0`` or ``None`` is one per core."""
    if jobs is None or jobs == 0:
        return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs is a number of processes (0 for one per core), got {jobs}")
    return jobs


def capacity_of(executor: Executor) -> int:
    """How many tasks ``executor`` runs at once: its workers (a dask client: its threads), else the cores."""
    workers = getattr(executor, "_max_workers", None)
    if isinstance(workers, int) and workers > 0:
        return workers
    client = getattr(executor, "_client", None)  # distributed.client.ClientExecutor
    nthreads = getattr(client, "nthreads", None)
    if callable(nthreads):
        try:
            total = sum(int(n) for n in nthreads().values())
        except Exception:  # noqa: BLE001 - a client that cannot answer: fall back on the cores
            total = 0
        if total > 0:
            return total
    return os.cpu_count() or 1


def chunk_size(items: Iterable[Any], workers: int) -> int:
    """Files per task: about four tasks per worker, at most 32 files; 8 for a stream of unknown length."""
    if isinstance(items, Sequence):
        return max(1, min(32, math.ceil(len(items) / (workers * 4))))
    return 8


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _run_chunk(
    settings: tuple[bool, frozenset[str]],
    function: Callable[..., R],
    chunk: Sequence[Any],
    args: tuple[Any, ...],
    ticket: tuple[int, int],
) -> list[R]:
    """In a worker: the caller's plugin settings, then ``function(item, *args)`` for each item of the chunk.

    ``ticket`` (the batch, the chunk) makes every task unique: an executor that keys tasks
    by their arguments (dask's, by default) never hands back an earlier run's results
    for the same files, which may have changed since.
    """
    from .. import plugins

    if plugins.current_settings() != settings:
        with _configure_lock:
            if plugins.current_settings() != settings:
                autoload, disabled = settings
                plugins.configure(autoload=autoload, disabled=disabled)
    return [function(item, *args) for item in chunk]


def ordered_map(
    function: Callable[..., R],
    items: Iterable[Any],
    *args: Any,
    jobs: int | None = 1,
    executor: Executor | None = None,
    chunk: int | None = None,
) -> Iterator[R]:
    """``function(item, *args)`` for every item, in input order, as the caller takes them.

    Without ``executor`` and with ``jobs`` 1 (or one item) everything runs here, one item
    at a time. Otherwise the items go to ``executor`` (or to a process pool of ``jobs``
    processes made for this call) in chunks of ``chunk`` items, never more than twice
    as many chunks in flight as the executor has workers; ``items`` may be a generator,
    read as the work goes. ``function`` and its arguments must pickle (a function
    defined at the top of a module does) for a process pool or a cluster. Closing the
    iterator early cancels the chunks not started yet.
    """
    if executor is None:
        workers = jobs_of(jobs)
        if workers <= 1 or (isinstance(items, Sequence) and len(items) < 2):
            for item in items:
                yield function(item, *args)
            return
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            yield from _stream(pool, workers, function, items, args, chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    yield from _stream(executor, capacity_of(executor), function, items, args, chunk)


def _stream(
    executor: Executor,
    workers: int,
    function: Callable[..., R],
    items: Iterable[Any],
    args: tuple[Any, ...],
    chunk: int | None,
) -> Iterator[R]:
    from .. import plugins

    settings = plugins.current_settings()
    size = chunk if chunk is not None and chunk > 0 else chunk_size(items, workers)
    limit = IN_FLIGHT_PER_WORKER * workers
    pending: deque[Future[list[R]]] = deque()
    run = next(_runs)
    try:
        for n, part in enumerate(_chunks(items, size)):
            pending.append(executor.submit(_run_chunk, settings, function, part, args, (run, n)))
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def in_parallel(
    paths: Iterable[str],
    jobs: int,
    size: int,
    work: Callable[..., list[Any]],
    *args: Any,
    executor: Executor | None = None,
) -> Iterator[list[Any]]:
    """Results of ``work(chunk, *args)`` for chunks of ``size`` paths, in input order, a bounded number in flight."""
    yield from ordered_map(work, _chunks(paths, size), *args, jobs=jobs, executor=executor, chunk=1)
