"""One plan as one flat record (:func:`summarise`), and the records of many files streamed (:func:`compare`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from typing import Any

from .. import vocab
from ..errors import Diagnostic, PlanError
from ..io import load
from ..model import Plan
from ..rubrics import Rubric, ScoringContext
from .common import PathLike, expand_paths, rubrics_named, scorecards, served_groups
from .workers import ordered_map

__all__ = ["compare", "field_labels", "summarise"]


def _number(value: float) -> float | int:
    """Sums of money: whole numbers stay ints, others are rounded to cents."""
    if isinstance(value, int) or float(value).is_integer():
        return int(value)
    return round(value, 2)


def _budget(plan: Plan) -> dict[str, float | int]:
    """Money by funding source: EUR under ``budget.<source>``, other currencies per currency."""
    eur: dict[str, float] = {source: 0 for source in (*vocab.FUNDING_SOURCES, "unspecified")}
    other: dict[str, float] = {}
    for action in plan.actions:
        for resource in action.resources:
            if resource.amount is None or not resource.currency:
                continue
            source = resource.source or "unspecified"
            currency = resource.currency.upper()
            if currency == "EUR":
                eur[source] += resource.amount
            else:
                key = f"budget.{source}.{currency}"
                other[key] = other.get(key, 0) + resource.amount
    out: dict[str, float | int] = {"budget.total": _number(sum(eur.values()))}
    out.update({f"budget.{source}": _number(amount) for source, amount in eur.items()})
    out.update({key: _number(other[key]) for key in sorted(other)})
    return out


def summarise(
    plan: Plan,
    rubrics: Sequence[str | Rubric] | None = None,
    *,
    path: str | None = None,
) -> dict[str, Any]:
    """One plan as a small flat record (picklable, JSON-ready, one row of a data frame).

    Keys, in this order:

    - ``plan``, ``city``, ``country``, ``network``, ``status``, ``version``, ``publisher``
      (who published the plan: for a plan read from IATI, the reporting organisation, so
      that results can be grouped by publisher), ``path``;
    - ``findings.error``, ``findings.warning``, ``findings.info``: counts of findings;
    - for each rubric (all installed ones unless ``rubrics`` names some), its section
      scores as ``<rubric>.<section>`` (``urbact-iap.1``) and ``<rubric>.total`` /
      ``<rubric>.max``;
    - ``target_groups.named`` (the context's list), ``target_groups.served`` (those an
      objective or action serves) and ``target_groups.unserved``: lists of slugs;
    - counts: ``problems``, ``objectives``, ``actions``, ``indicators``,
      ``stakeholders``, ``meetings``, ``risks``, ``testing_actions``;
    - ``objectives.unmeasured`` and ``actions.unmeasured``: ids no indicator measures;
    - ``indicators.quantified`` (indicators whose baseline and target are both
      numbers) and ``indicators.quantified_share`` (0 to 1; ``None`` without indicators);
    - ``budget.total`` and ``budget.<source>`` for every funding source (and
      ``budget.unspecified``): the sum of the actions' resources in EUR; resources in
      another currency are summed apart as ``budget.<source>.<CURRENCY>``.
    """
    from ..checks import run_checks
    from ..index import PlanIndex

    chosen = rubrics_named(rubrics)
    index = PlanIndex.of(plan)  # the one the checks below use too
    report = run_checks(plan)
    context = ScoringContext(plan, index, report)  # the scorers reuse the findings just computed
    info = plan.plan
    record: dict[str, Any] = {
        "plan": plan.id,
        "city": info.city,
        "country": info.country,
        "network": info.network,
        "status": info.status,
        "version": info.version,
        "publisher": info.publisher,
        "path": path if path is not None else (plan.source.path if plan.source is not None else None),
        "findings.error": report.count("error"),
        "findings.warning": report.count("warning"),
        "findings.info": report.count("info"),
    }
    for card in scorecards(plan, chosen, context):
        name = card.rubric.name
        for section in card.sections:
            record[f"{name}.{section.section.id}"] = section.score
        record[f"{name}.total"] = card.total
        record[f"{name}.max"] = card.max
    named = list(plan.context.target_groups) if plan.context is not None else []
    served = served_groups(plan)
    record["target_groups.named"] = named
    record["target_groups.served"] = served
    record["target_groups.unserved"] = [g for g in named if g not in served]
    for name in ("problems", "objectives", "actions", "indicators", "stakeholders", "meetings", "risks"):
        record[name] = len(getattr(plan, name))
    record["testing_actions"] = len(plan.testing_actions)
    record["objectives.unmeasured"] = [o.id for o in plan.objectives if not index.referrers("measures", o.id)]
    record["actions.unmeasured"] = [a.id for a in plan.actions if not index.referrers("measures", a.id)]
    quantified = sum(
        1
        for i in plan.indicators
        if i.baseline is not None and i.baseline.quantified and i.target is not None and i.target.quantified
    )
    record["indicators.quantified"] = quantified
    record["indicators.quantified_share"] = round(quantified / len(plan.indicators), 3) if plan.indicators else None
    record.update(_budget(plan))
    return record


# ---------------------------------------------------------------------------
# Words for the keys

_PLAN_KEYS = {
    "plan": "plan id",
    "city": "city",
    "country": "country",
    "network": "network",
    "status": "status",
    "version": "version",
    "path": "file",
}
_COUNT_KEYS = (
    "problems",
    "objectives",
    "actions",
    "indicators",
    "stakeholders",
    "meetings",
    "risks",
    "testing_actions",
)
_SOURCE_WORDS = {
    "erdf": "ERDF",
    "esf-plus": "ESF+",
    "cohesion-fund": "Cohesion Fund",
    "interreg": "Interreg",
    "horizon-europe": "Horizon Europe",
    "unspecified": "source not stated",
}


def field_labels(keys: Iterable[str], rubrics: Sequence[str | Rubric] | None = None) -> dict[str, tuple[str, str]]:
    """Words a person reads for the keys of :func:`summarise` records: key -> (group, label).

    ``urbact-iap.1`` is ``("URBACT Integrated Action Plan assessment grid",
    "1 Process of action plan")``, ``findings.error`` is ``("Findings of the checks",
    "errors")``, ``budget.esf-plus`` is ``("Budget (EUR)", "ESF+")``. Rubric and section
    titles come from the installed rubrics (or those named); a key nobody knows keeps
    itself as its label, in the group ``Other``.
    """
    from ..exporters.html import section_label

    try:
        known = {r.name: r for r in rubrics_named(rubrics)}
    except KeyError:
        known = {r.name: r for r in rubrics_named(None)}
    out: dict[str, tuple[str, str]] = {}
    for key in keys:
        group, _, rest = key.partition(".")
        if key in _PLAN_KEYS:
            out[key] = ("Plan", _PLAN_KEYS[key])
        elif group == "findings" and rest in ("error", "warning", "info"):
            out[key] = ("Findings of the checks", {"error": "errors", "warning": "warnings", "info": "info"}[rest])
        elif group in known and rest:
            rubric = known[group]
            sections = {s.id: s.title for s in rubric.sections}
            if rest in sections:
                label = section_label(rest, sections[rest])
            else:
                label = {"total": "total", "max": "maximum"}.get(rest, rest)
            out[key] = (rubric.title or rubric.name, label)
        elif group == "target_groups" and rest in ("named", "served", "unserved"):
            words = {"named": "named", "served": "served by an objective or action", "unserved": "named, not served"}
            out[key] = ("Target groups", words[rest])
        elif key in _COUNT_KEYS:
            out[key] = ("How many", key.replace("_", " "))
        elif rest == "unmeasured" and group in ("objectives", "actions"):
            out[key] = ("Measured by no indicator", group)
        elif key == "indicators.quantified":
            out[key] = ("Indicators", "quantified (a number as baseline and as target)")
        elif key == "indicators.quantified_share":
            out[key] = ("Indicators", "share quantified")
        elif group == "budget" and rest:
            source, _, currency = rest.partition(".")
            name = "total" if source == "total" else _SOURCE_WORDS.get(source, source.replace("-", " "))
            out[key] = (f"Budget ({currency})" if currency else "Budget (EUR)", name)
        else:
            out[key] = ("Other", key)
    return out


# ---------------------------------------------------------------------------
# Streaming and parallel summaries

#: What a worker sends back for one path: the record, or the diagnostics of the refusal.
_Outcome = tuple[str, dict[str, Any] | None, tuple[Diagnostic, ...] | None]


def _summarise_path(path: str, rubric_names: Sequence[str] | None) -> _Outcome:
    try:
        plan = load(path)
    except PlanError as exc:
        return path, None, exc.diagnostics
    record = summarise(plan, rubric_names, path=path)
    del plan  # the record is all that leaves this function
    return path, record, None


def compare(
    paths: PathLike | Iterable[PathLike],
    jobs: int | None = 1,
    progress: Callable[[int], object] | None = None,
    *,
    rubrics: Sequence[str] | None = None,
    on_error: Callable[[str, PlanError], object] | None = None,
    executor: Executor | None = None,
) -> Iterator[dict[str, Any]]:
    """Stream one :func:`summarise` record per readable plan file, in input order.

    ``paths`` is a directory, a file or a list of them. Each plan is loaded,
    summarised and dropped before the next: memory stays flat over any number of
    files. With ``jobs`` above 1 (0: one process per core) the files are summarised in
    worker processes, in chunks, and the records still come in input order; with
    ``executor`` (any :class:`concurrent.futures.Executor`, a dask client's among them)
    on its workers (:mod:`techdiversity.batch`).
    ``progress`` is called with the number of files just done (``bar.update`` of a
    click or tqdm bar fits). A file that cannot be read is passed to ``on_error`` with
    its :class:`~techdiversity.PlanError` and left out of the records.
    """
    names: Iterable[str]
    if isinstance(paths, (str, os.PathLike, Sequence)):
        names = expand_paths(paths)
    else:
        names = (n for raw in paths for n in expand_paths(raw))
    rubric_names = list(rubrics) if rubrics is not None else None
    if rubric_names is not None:
        rubrics_named(rubric_names)  # an unknown name fails here, not in every worker

    for path, record, diagnostics in ordered_map(_summarise_path, names, rubric_names, jobs=jobs, executor=executor):
        if progress is not None:
            progress(1)
        if record is None:
            if on_error is not None:
                on_error(path, PlanError(diagnostics or ()))
            continue
        yield record
