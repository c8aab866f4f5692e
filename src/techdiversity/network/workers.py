"""Worker processes for many plan files: chunks in flight, results in input order, the parent's plugins."""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

__all__ = ["chunk_size", "in_parallel", "jobs_of"]


def _init_worker(settings: tuple[bool, frozenset[str]]) -> None:
    """A worker uses the plugins the parent process uses (same --no-plugins, same disabled)."""
    from .. import plugins

    if plugins.current_settings() != settings:
        autoload, disabled = settings
        plugins.configure(autoload=autoload, disabled=disabled)


def jobs_of(jobs: int | None) -> int:
    if jobs is None or jobs == 0:
        return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs is a number of processes (0 for one per core), got {jobs}")
    return jobs


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def in_parallel(
    paths: Iterable[str], jobs: int, size: int, work: Callable[..., list[Any]], *args: Any
) -> Iterator[list[Any]]:
    """Results of ``work(chunk, *args)`` in input order, with at most ``2 * jobs`` chunks in flight."""
    from .. import plugins

    settings = plugins.current_settings()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))
    pending: deque[Future[list[Any]]] = deque()
    try:
        for chunk in _chunks(paths, size):
            pending.append(pool.submit(work, chunk, *args))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunk_size(paths: Iterable[str], jobs: int) -> int:
    if isinstance(paths, Sequence):
        return max(1, min(32, math.ceil(len(paths) / (jobs * 4))))
    return 8
