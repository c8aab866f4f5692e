"""Chunks of files over worker processes or any executor, results in input order (see :mod:`techdiversity.batch`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from typing import Any

from ..batch import _chunks, chunk_size, jobs_of, ordered_map

__all__ = ["chunk_size", "in_parallel", "jobs_of", "ordered_map"]


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
