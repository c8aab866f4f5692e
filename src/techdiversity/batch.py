"""Many plan files at once, on any :class:`concurrent.futures.Executor`, results in input order.

The batch functions of the library (:meth:`techdiversity.Network.load`,
:func:`techdiversity.network.compare`, :func:`check_files`, :func:`score_files`, and the
``check``, ``score``, ``compare`` and ``monitor`` commands) share one way of spreading
work:

- ``jobs=1`` (the default) works in the calling process, one file after the other;
- ``jobs=N`` starts a :class:`~concurrent.futures.ProcessPoolExecutor` of ``N``
  processes (``0``: one per core) for the batch and shuts it down at the end;
- ``executor=`` takes any executor you made: a process or thread pool, or the
  executor of a ``dask.distributed`` client (``Client(address).get_executor()``),
  which runs the batch on a cluster. The executor is yours: it is not shut down.

Files go out in chunks, with a bounded number of chunks in flight (twice the workers
the executor has), and the results come back in input order, one at a time, as the
caller takes them: over any number of files, memory on the caller's side stays flat.
What comes back from a worker is small (a record, a report, lines of text): the plans
themselves stay where they were read, except for :meth:`~techdiversity.Network.load`,
whose point is to bring them back.

A worker uses the plugin settings of the caller (``--no-plugins``,
``--disable-plugin``, :func:`techdiversity.plugins.configure`): they travel with each
chunk. On a cluster the workers need techdiversity, and every plugin the batch uses,
installed in their own environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from .network.workers import capacity_of, chunk_size, jobs_of, ordered_map

if TYPE_CHECKING:
    from .errors import PlanError

__all__ = ["FileResult", "capacity_of", "check_files", "chunk_size", "jobs_of", "ordered_map", "score_files"]

# ``ordered_map`` and its helpers live with the network (techdiversity.network.workers),
# which uses them too; this module is their public front, with check and score.

# ---------------------------------------------------------------------------
# check and score over many files


class FileResult:
    """What a batch function gives for one file: its path, and the result or why the file was refused.

    ``value`` is the :class:`~techdiversity.Report` (:func:`check_files`) or the list of
    scorecards as JSON (:func:`score_files`); ``error`` the
    :class:`~techdiversity.PlanError` of a file that could not be read (``value`` is
    then ``None``); ``notes`` what an importer could not map (one line each).
    """

    __slots__ = ("error", "notes", "path", "value")

    def __init__(self, path: str, value: Any = None, error: PlanError | None = None, notes: Sequence[str] = ()) -> None:
        self.path = path
        self.value = value
        self.error = error
        self.notes = tuple(notes)

    @property
    def ok(self) -> bool:
        """True when the file was read (``value`` holds the result)."""
        return self.error is None

    def __repr__(self) -> str:
        what = f"error={len(self.error.diagnostics)} problem(s)" if self.error is not None else f"value={self.value!r}"
        return f"<FileResult {self.path!r} {what}>"

    def __reduce__(self) -> tuple[Any, ...]:
        diagnostics = self.error.diagnostics if self.error is not None else None
        return (_rebuild, (self.path, self.value, diagnostics, self.notes))


def _rebuild(path: str, value: Any, diagnostics: tuple[Any, ...] | None, notes: tuple[str, ...]) -> FileResult:
    """A :class:`FileResult` back from a worker (a ``PlanError`` travels as its diagnostics)."""
    from .errors import PlanError

    return FileResult(path, value, PlanError(diagnostics) if diagnostics is not None else None, notes)


def _load_noting(path: str) -> tuple[Any, list[str]]:
    """A plan and the notes of its importer (what it could not map), one line each."""
    import warnings

    from .io import load
    from .readers import PlanReadWarning

    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanReadWarning)
        plan = load(path)
    for w in caught:
        if isinstance(w.message, PlanReadWarning):
            notes.append(f"{w.message.diagnostic} (not imported)")
        else:  # pragma: no cover - other warnings pass through
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return plan, notes


def _check_one(path: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> FileResult:
    from .checks import registry, run_checks
    from .errors import PlanError

    try:
        plan, notes = _load_noting(path)
    except PlanError as exc:
        return FileResult(path, error=exc)
    return FileResult(path, run_checks(plan, registry(), select=select, ignore=ignore), notes=notes)


def _score_one(path: str, names: tuple[str, ...] | None) -> FileResult:
    from .errors import PlanError
    from .registered import rubrics
    from .rubrics import ScoringContext, score_with

    try:
        plan, notes = _load_noting(path)
    except PlanError as exc:
        return FileResult(path, error=exc)
    installed = {r.name: r for r in rubrics()}
    chosen = [installed[n] for n in names] if names is not None else list(installed.values())
    context = ScoringContext(plan)  # the checks run once for every rubric
    try:
        cards = [score_with(plan, rubric, context=context) for rubric in chosen]
    except PlanError as exc:
        return FileResult(path, error=exc, notes=notes)
    return FileResult(path, [card.to_json() for card in cards], notes=notes)


def _paths(paths: Any) -> list[str]:
    from .network.common import expand_paths

    return expand_paths(paths)


def check_files(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    jobs: int | None = 1,
    executor: Executor | None = None,
) -> Iterator[FileResult]:
    """Check many plan files (a directory stands for the plan files in it): one :class:`FileResult` each, in order.

    Each result's ``value`` is the file's :class:`~techdiversity.Report` (the plan is
    dropped where it was read). ``select``/``ignore`` as :func:`techdiversity.check`;
    ``jobs`` and ``executor`` as :func:`ordered_map`.
    """
    yield from ordered_map(_check_one, _paths(paths), tuple(select), tuple(ignore), jobs=jobs, executor=executor)


def score_files(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    rubrics: Sequence[str] | None = None,
    *,
    jobs: int | None = 1,
    executor: Executor | None = None,
) -> Iterator[FileResult]:
    """Score many plan files with rubrics (all installed ones unless named): one :class:`FileResult` each, in order.

    Each result's ``value`` is a list with one scorecard per rubric, as
    :meth:`techdiversity.ScoreCard.to_json` gives it (the documented JSON of ``score
    --format json``): a scorecard object holds its rubric, whose scorers are functions
    that need not pickle, so what travels back from a worker is the JSON. An unknown
    rubric name raises :class:`KeyError` before any file is read.
    """
    from .network.common import rubrics_named

    names = tuple(rubrics) if rubrics is not None else None
    if names is not None:
        rubrics_named(list(names))  # an unknown name fails here, not in every worker
    yield from ordered_map(_score_one, _paths(paths), names, jobs=jobs, executor=executor)
