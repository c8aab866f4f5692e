"""The plans of a network, loaded from files (a file that cannot be read does not stop the others)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

from ..dates import PartialDate
from ..errors import Diagnostic, PlanError
from ..io import load
from ..model import AssessmentFile, Plan
from ..rubrics import Rubric
from .common import PathLike, city_of, expand_paths
from .pairing import pairings
from .records import summarise
from .review import assign_reviewers
from .themes import themes
from .workers import jobs_of, ordered_map

__all__ = ["Network"]


def _load_one(path: str) -> tuple[str, Plan | None, tuple[Diagnostic, ...] | None]:
    try:
        return path, load(path), None
    except PlanError as exc:
        return path, None, exc.diagnostics


def _load_to_send(path: str) -> tuple[str, Plan | None, tuple[Diagnostic, ...] | None]:
    """In a worker: a plan ready to travel back to the caller."""
    return _load_one(path)  # a lazy source map travels as it is: its finder and builder pickle


# ---------------------------------------------------------------------------
# The network


class Network:
    """The plans of a network, in order, and the files that could not be read.

    ``plans`` are the loaded plans; ``errors`` maps the path of each file that could not
    be read to its :class:`~techdiversity.PlanError`. Iterating a network gives its
    plans. Build one with :meth:`load` (files) or ``Network(plans)`` (plans in memory).
    """

    __slots__ = ("errors", "plans")

    def __init__(self, plans: Iterable[Plan] = (), errors: Mapping[str, PlanError] | None = None) -> None:
        self.plans: tuple[Plan, ...] = tuple(plans)
        self.errors: dict[str, PlanError] = dict(errors or {})

    @classmethod
    def load(
        cls,
        paths_or_dir: PathLike | Iterable[PathLike],
        jobs: int | None = 1,
        *,
        executor: Executor | None = None,
    ) -> Network:
        """Load a directory of plan files (the files directly inside it) or a list of files.

        A file that cannot be read does not stop the others: it lands in
        :attr:`errors`. With ``jobs`` above 1 (0: one per core) files are read by
        worker processes; with ``executor`` (any :class:`concurrent.futures.Executor`,
        a dask client's among them) by its workers, see :mod:`techdiversity.batch`.
        The plans keep the input order.
        """
        paths = expand_paths(paths_or_dir)
        plans: list[Plan] = []
        errors: dict[str, PlanError] = {}
        away = executor is not None or (jobs_of(jobs) > 1 and len(paths) > 1)
        results = ordered_map(_load_to_send if away else _load_one, paths, jobs=jobs, executor=executor)
        for path, plan, diagnostics in results:
            if plan is None:
                errors[path] = PlanError(diagnostics or ())
            else:
                plans.append(plan)
        return cls(plans, errors)

    def __iter__(self) -> Iterator[Plan]:
        return iter(self.plans)

    def __len__(self) -> int:
        return len(self.plans)

    def __repr__(self) -> str:
        from ..display import network_repr

        return network_repr(self)

    def _repr_html_(self) -> str:
        """A table of the plans (city, id, counts) and of the files that could not be read, for notebooks."""
        from ..display import network_html

        return network_html(self)

    @property
    def cities(self) -> list[str]:
        """The cities of the plans, in order (a plan without a city goes by its id)."""
        return [city_of(p) for p in self.plans]

    def plan(self, name: str) -> Plan:
        """The plan of a city, by city name or plan id (KeyError if none)."""
        for p in self.plans:
            if name in (p.id, p.plan.city):
                return p
        raise KeyError(f"no plan of {name!r} in this network; cities: {', '.join(self.cities)}")

    def records(self, rubrics: Sequence[str | Rubric] | None = None) -> list[dict[str, Any]]:
        """One :func:`summarise` record per plan, in order: feed them to any data frame."""
        return [summarise(p, rubrics) for p in self.plans]

    def themes(self, *, threshold: float = 0.3, min_cities: int = 2) -> dict[str, Any]:
        """The :func:`themes` of the network."""
        return themes(self.plans, threshold=threshold, min_cities=min_cities)

    def pairings(self, **options: Any) -> list[dict[str, Any]]:
        """The :func:`pairings` of the network."""
        return pairings(self.plans, **options)

    def assign_reviewers(self, per_plan: int = 2, seed: int = 0) -> list[dict[str, Any]]:
        """The :func:`assign_reviewers` of the network."""
        return assign_reviewers(self.plans, per_plan=per_plan, seed=seed)

    def report_html(
        self,
        *,
        rubrics: Sequence[str | Rubric] | None = None,
        assessments: Mapping[str, Sequence[AssessmentFile]] | Sequence[AssessmentFile] = (),
        as_of: PartialDate | None = None,
        threshold: float = 0.3,
        per_plan: int = 2,
        seed: int = 0,
    ) -> str:
        """The network report: one self-contained HTML page (see :mod:`techdiversity.network.report`).

        City cards, heat maps of criteria by cities for each rubric (all installed ones
        unless ``rubrics`` names some; people's scores from ``assessments``, a list of
        assessment files or what :func:`collect_assessments` returns), target groups and
        recurring themes by cities, the peer review (``per_plan`` reviewers, ``seed``)
        and the assessors' agreement, monitoring by city and period (up to ``as_of``).
        The files that could not be read (:attr:`errors`) are listed on the page.
        """
        from .report import report_html

        return report_html(
            self.plans,
            errors=self.errors,
            rubrics=rubrics,
            assessments=assessments,
            as_of=as_of,
            threshold=threshold,
            per_plan=per_plan,
            seed=seed,
        )
