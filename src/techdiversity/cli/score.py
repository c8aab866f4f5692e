"""``techdiversity score`` and ``rubrics``: plans scored with rubrics, and the rubrics installed."""

from __future__ import annotations

import functools
import json
import os
import sys
from typing import Any

import click

from .common import (
    batch_executor,
    expand,
    format_option,
    jobs_option,
    load_plan,
    map_files,
    print_diagnostics,
    progress_results,
    scheduler_option,
)

__all__ = ["COMMANDS"]


def _scorecard_text(card: Any) -> str:
    from ..scorecard_text import scorecard_text

    return scorecard_text(card)


def _scorecard_markdown(card: Any) -> str:
    from ..scorecard_text import scorecard_markdown

    return scorecard_markdown(card)


@click.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option(
    "--rubric",
    "rubric_names",
    multiple=True,
    metavar="NAME",
    help="Rubric(s) to score with (repeatable; default urbact-iap).",
)
@click.option("--all-rubrics", is_flag=True, help="Score with every installed rubric.")
@click.option(
    "--assessment",
    "assessment_files",
    multiple=True,
    metavar="FILE",
    help="An assessment file with a person's scores (repeatable).",
)
@format_option(["text", "json", "markdown"])
@jobs_option()
@scheduler_option()
def score(
    plans: tuple[str, ...],
    rubric_names: tuple[str, ...],
    all_rubrics: bool,
    assessment_files: tuple[str, ...],
    fmt: str,
    jobs: int,
    scheduler: str | None,
) -> None:
    """Score plans with rubrics, people's assessments beside the automatic scores.

    Assessments apply to the plan they name. With one plan and one rubric, --format
    json prints one scorecard; otherwise a list, plan by plan. --jobs spreads many
    plans over processes, --scheduler over a dask.distributed cluster.
    """
    from ..errors import PlanError
    from ..io import load_assessment
    from ..plugins import all_rubrics as installed

    rubrics = {r.name: r for r in installed()}
    try:
        assessments = [load_assessment(f) for f in assessment_files]
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    names = list(rubric_names) or ([] if all_rubrics else ["urbact-iap"])
    if all_rubrics:
        names += [n for n in rubrics if n not in names]
    for a in assessments:  # an assessment brings its rubric along
        if a.assessment.rubric not in names:
            names.append(a.assessment.rubric)
    unknown = [n for n in names if n not in rubrics]
    if unknown:
        raise click.UsageError(f"no rubric named {', '.join(unknown)}; installed: {', '.join(rubrics)}")
    files = expand(plans)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(plans))
    single = len(files) == 1
    settings = (tuple(names), tuple(assessment_files), fmt, single)
    cards: list[Any] = []
    failed = False
    matched: set[str] = set()
    chunks: list[str] = []
    with batch_executor(scheduler, jobs) as executor:
        results = map_files(_score_file, files, settings, jobs, executor)
        for result in progress_results(results, len(files), "Scoring plans"):
            for line in result["stderr"]:
                click.echo(line, err=True)
            if result["failed"]:
                failed = True
                continue
            matched.update(result["plan_ids"])
            if fmt == "json":
                cards.extend(result["cards"])
            else:
                chunks.append(result["text"])
                if not single:  # stream: many plans print as they are done
                    click.echo(result["text"], nl=False)
    if not single:
        unmatched = [a for a in assessments if a.assessment.plan not in matched]
        for a in unmatched:
            path = a.source.path if a.source is not None else "<assessment>"
            click.echo(
                f"{path}: this assessment is for plan {a.assessment.plan!r}, which is not among the plans", err=True
            )
            failed = True
    if fmt == "json" and cards:
        doc: Any = cards[0] if single and len(cards) == 1 else cards
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif single and chunks:
        click.echo(chunks[0], nl=False)
    if failed:
        sys.exit(2)


def _assessments(files: tuple[str, ...]) -> tuple[Any, ...]:
    """The assessment files, read once per process for a batch, not once per plan (again if one changed)."""
    try:
        stamps = tuple((f, os.stat(f).st_mtime_ns, os.stat(f).st_size) for f in files)
    except OSError:  # the reader says what is wrong with it
        stamps = ()
    if len(stamps) != len(files):
        return _read_assessments(tuple((f, 0, 0) for f in files))
    return _cached_assessments(stamps)


def _read_assessments(stamps: tuple[tuple[str, int, int], ...]) -> tuple[Any, ...]:
    from ..io import load_assessment

    return tuple(load_assessment(f) for f, _, _ in stamps)


_cached_assessments = functools.lru_cache(maxsize=4)(_read_assessments)


def _score_file(path: str, settings: tuple[tuple[str, ...], tuple[str, ...], str, bool]) -> dict[str, Any]:
    """Load and score one plan; a small, picklable result (the plan itself is dropped)."""
    from ..errors import PlanError
    from ..plugins import all_rubrics
    from ..rubrics import ScoringContext, score_with

    names, assessment_files, fmt, single = settings
    rubrics = {r.name: r for r in all_rubrics()}
    stderr: list[str] = []
    try:
        plan = load_plan(path, stderr)
        assessments = list(_assessments(assessment_files))
    except PlanError as exc:
        return {"stderr": stderr + [str(d) for d in exc.diagnostics], "failed": True}
    if not single:
        assessments = [a for a in assessments if a.assessment.plan == plan.id]
    scoring = ScoringContext(plan)  # one context: the checks run once for every rubric
    try:
        cards = [score_with(plan, rubrics[n], assessments, context=scoring) for n in names]
    except PlanError as exc:
        return {"stderr": stderr + [str(d) for d in exc.diagnostics], "failed": True}
    out: dict[str, Any] = {"stderr": stderr, "failed": False, "plan_ids": [plan.id]}
    if fmt == "json":
        out["cards"] = [c.to_json() for c in cards]
    elif fmt == "markdown":
        out["text"] = "\n".join(_scorecard_markdown(c) for c in cards)
    else:
        out["text"] = "\n".join(_scorecard_text(c) for c in cards)
    return out


@click.command("rubrics")
@format_option(["text", "json"])
def list_rubrics(fmt: str) -> None:
    """List installed rubrics with their sections and criteria."""
    from ..plugins import all_rubrics

    rubrics = all_rubrics()
    if fmt == "json":
        out = [
            {
                "name": r.name,
                "title": r.title,
                "version": r.version,
                "plugin": r.plugin,
                "description": r.description,
                "source": r.source,
                "sections": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "criteria": [
                            {
                                "id": c.id,
                                "title": c.title,
                                "levels": c.levels_json(),
                                "wording": c.wording,
                                "automatic": c.scorer is not None,
                                "method": c.method,
                                "listens_to": [str(x) for x in c.listens_to],
                            }
                            for c in s.criteria
                        ],
                    }
                    for s in r.sections
                ],
            }
            for r in rubrics
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from ..scorecard_text import rubrics_text

    click.echo(rubrics_text(rubrics), nl=False)


COMMANDS = (
    score,
    list_rubrics,
)
