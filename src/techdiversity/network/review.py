"""Peer review: who reviews whom, and how far assessors (and the automatic scores) agree."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import Diagnostic, PlanError
from ..io import load_assessment
from ..model import Assessment, AssessmentFile, Plan
from ..rubrics import Rubric, score_with
from .common import PathLike, city_of, expand_paths, rubrics_named

__all__ = ["agreement", "assign_reviewers", "collect_assessments"]


# ---------------------------------------------------------------------------
# Peer review


def assign_reviewers(plans: Iterable[Plan], per_plan: int = 2, seed: int = 0) -> list[dict[str, Any]]:
    """Who reviews whom: ``per_plan`` reviewer cities for each plan, never its own city.

    The cities are put on a ring in an order drawn from ``seed`` (the same seed gives
    the same assignment), and each plan is reviewed by the cities that follow its own
    on the ring, skipping a city that already has its share of reviews. With one plan
    per city every city reviews exactly ``per_plan`` plans (a derangement, repeated);
    otherwise loads differ by at most one wherever the ring allows it.

    Returns one record per plan, in input order:
    ``{"plan", "city", "reviewers": [cities], "reviewer_plans": [plan ids]}``
    (the first plan of each reviewer city).
    """
    entries = [(p.id, city_of(p)) for p in plans]
    cities = list(dict.fromkeys(city for _, city in entries))
    first_plan: dict[str, str] = {}
    for ident, city in entries:
        first_plan.setdefault(city, ident)
    if per_plan < 0:
        raise ValueError(f"per_plan is a number of reviewers, got {per_plan}")
    if entries and per_plan > len(cities) - 1:
        raise ValueError(
            f"{per_plan} reviewers per plan need at least {per_plan + 1} cities; this network has {len(cities)}"
        )
    ring = list(cities)
    random.Random(seed).shuffle(ring)
    position = {city: k for k, city in enumerate(ring)}
    m = len(ring)
    cap = math.ceil(len(entries) * per_plan / m) if m else 0
    load: Counter[str] = Counter()
    out = []
    for ident, city in entries:
        start = position[city]
        order = [ring[(start + step) % m] for step in range(1, m)]
        chosen = [c for c in order if load[c] < cap][:per_plan]
        if len(chosen) < per_plan:  # the ring left too few under the cap: the least loaded
            rest = sorted((c for c in order if c not in chosen), key=lambda c: (load[c], order.index(c)))
            chosen += rest[: per_plan - len(chosen)]
        for c in chosen:
            load[c] += 1
        out.append(
            {"plan": ident, "city": city, "reviewers": chosen, "reviewer_plans": [first_plan[c] for c in chosen]}
        )
    return out


def collect_assessments(paths_or_dir: PathLike | Iterable[PathLike]) -> dict[str, list[AssessmentFile]]:
    """Assessment files (a directory of them, or a list) grouped by the plan they assess.

    Raises :class:`~techdiversity.PlanError` listing the problems of every file that
    cannot be read (after reading all of them).
    """
    out: dict[str, list[AssessmentFile]] = {}
    problems: list[Diagnostic] = []
    for path in expand_paths(paths_or_dir):
        try:
            item = load_assessment(path)
        except PlanError as exc:
            problems.extend(exc.diagnostics)
            continue
        out.setdefault(item.assessment.plan, []).append(item)
    if problems:
        raise PlanError(problems)
    return out


def agreement(
    plan: Plan,
    rubric: str | Rubric = "urbact-iap",
    assessments: Sequence[Assessment | AssessmentFile] = (),
    *,
    flag_at: int = 2,
) -> list[dict[str, Any]]:
    """How far assessors agree on each criterion, and with the automatic score.

    One record per criterion of the rubric, in rubric order: ``section``,
    ``criterion``, ``title``, ``automatic`` (the automatic score or ``None``),
    ``scores`` (assessor -> score), ``n``, ``mean``, ``spread`` (highest minus lowest
    score), ``stdev`` (population standard deviation), ``flag`` and ``reasons``. A
    criterion is flagged when the assessors' spread is ``flag_at`` points or more, or
    when the automatic score is ``flag_at`` points or more from the assessors' mean.

    Assessments of other rubrics are ignored; an assessment of another plan, or naming
    a criterion the rubric lacks, raises :class:`~techdiversity.PlanError`.
    """
    (chosen,) = rubrics_named([rubric])
    card = score_with(plan, chosen, assessments)
    rows: list[dict[str, Any]] = []
    for section in card.sections:
        for result in section.criteria:
            scores: dict[str, int] = {}
            for person in result.people:
                name, n = person.assessor, 2
                while name in scores:
                    name, n = f"{person.assessor}#{n}", n + 1
                scores[name] = person.score
            values = list(scores.values())
            auto = result.automatic.score if result.automatic is not None else None
            mean = round(statistics.fmean(values), 2) if values else None
            spread = max(values) - min(values) if values else None
            stdev = round(statistics.pstdev(values), 2) if values else None
            reasons = []
            if spread is not None and spread >= flag_at:
                reasons.append(f"assessors differ by {spread} points")
            if auto is not None and mean is not None and abs(auto - mean) >= flag_at:
                reasons.append(
                    f"automatic score {auto} is {abs(auto - mean):g} points from the assessors' mean {mean:g}"
                )
            rows.append(
                {
                    "section": section.section.id,
                    "criterion": result.criterion.id,
                    "title": result.criterion.title,
                    "automatic": auto,
                    "scores": scores,
                    "n": len(values),
                    "mean": mean,
                    "spread": spread,
                    "stdev": stdev,
                    "flag": bool(reasons),
                    "reasons": reasons,
                }
            )
    return rows
