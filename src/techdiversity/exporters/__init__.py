"""Exporters: a plan (with its findings and scorecards) to another format.

An :class:`Exporter` is a name, a file suffix, a media type, and a function of an
:class:`ExportContext` that returns text or bytes. Built-in exporters are registered
through the ``techdiversity_exporters`` hook like any plugin's; ``techdiversity
export PLAN --to NAME`` writes one atomically.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..model import Plan

if TYPE_CHECKING:
    from ..findings import Report
    from ..rubrics import ScoreCard

__all__ = ["ExportContext", "Exporter", "export", "find_exporter"]


@attrs.define(eq=False)
class ExportContext:
    """What an exporter gets: the plan, and (computed on first use) findings and scorecards.

    ``rubrics`` names the rubrics to score with (default: every installed rubric);
    ``options`` carries exporter-specific settings from the command line
    (``--option key=value``).
    """

    plan: Plan
    rubrics: Sequence[str] | None = None
    options: Mapping[str, str] = attrs.field(factory=dict)
    _report: Report | None = None
    _scorecards: tuple[ScoreCard, ...] | None = None

    @property
    def report(self) -> Report:
        """The check findings of the plan."""
        if self._report is None:
            from ..checks import run_checks

            self._report = run_checks(self.plan)
        return self._report

    @property
    def scorecards(self) -> tuple[ScoreCard, ...]:
        """The plan scored with each rubric asked for (all installed ones by default)."""
        if self._scorecards is None:
            from ..plugins import all_rubrics
            from ..rubrics import ScoringContext, score_with

            rubrics = all_rubrics()
            wanted = [r for r in rubrics if self.rubrics is None or r.name in self.rubrics]
            scoring = ScoringContext(self.plan, report=self.report)  # the checks run once for all rubrics
            self._scorecards = tuple(score_with(self.plan, r, context=scoring) for r in wanted)
        return self._scorecards

    @functools.cached_property
    def index(self) -> Any:
        """The plan's :class:`~techdiversity.index.PlanIndex`."""
        from ..index import PlanIndex

        return PlanIndex.of(self.plan)


ExportFunction = Callable[[ExportContext], "str | bytes"]


@attrs.frozen
class Exporter:
    """A registered export format, as ``techdiversity exporters`` lists it.

    :param name: what ``--to NAME`` and :func:`export` call it: a slug, unique across
        plugins (a later plugin reusing a taken name loses that exporter).
    :param title: one line for listings.
    :param suffix: the file suffix of what it writes, with its dot (``".html"``); the
        command line uses it to name the output file.
    :param media_type: the IANA media type of the output (``"text/html"``), for tools
        that serve or attach the file.
    :param function: a function of an :class:`ExportContext` returning ``str`` (text
        formats) or ``bytes`` (binary ones).
    :param binary: True when ``function`` returns bytes (never printed to a terminal).
    :param description: a paragraph for the exporter reference page: what the output
        holds and who it is for.
    :param plugin: set by the host to the plugin that contributed it.
    """

    name: str
    title: str
    suffix: str
    media_type: str
    function: ExportFunction = attrs.field(eq=False, repr=False)
    binary: bool = False
    description: str = ""
    plugin: str = "techdiversity"


def find_exporter(name: str) -> Exporter:
    """The exporter with this name; :class:`KeyError` listing the known ones otherwise."""
    from ..plugins import all_exporters

    found: dict[str, Exporter] = {e.name: e for e in all_exporters()}
    if name not in found:
        raise KeyError(f"no exporter named {name!r}; known: {', '.join(sorted(found))}")
    return found[name]


def export(
    plan: Plan,
    to: str,
    *,
    rubrics: Sequence[str] | None = None,
    options: Mapping[str, str] | None = None,
    report: Report | None = None,
    scorecards: Sequence[ScoreCard] | None = None,
) -> str | bytes:
    """Export a plan with the exporter named ``to`` (``html``, ``xlsx``, ``iati``...)."""
    from .._gc import gc_paused
    from ..checks import _GC_PAUSE_AT, _size

    exporter = find_exporter(to)
    ctx = ExportContext(
        plan,
        rubrics,
        dict(options or {}),
        report,
        tuple(scorecards) if scorecards is not None else None,
    )
    with gc_paused(_size(plan), _GC_PAUSE_AT):
        return exporter.function(ctx)
