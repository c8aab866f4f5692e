"""The network report: one self-contained HTML page for the Lead Expert of a network.

What a Lead Expert following eight to a dozen cities wants on one page, in words a
person reads (criterion titles, not keys; ids only where they help):

- a card per city: status, version, findings by severity, each rubric's total as a bar;
- a heat map of criteria by cities for each rubric: the score, the automatic score and
  the assessors' where people scored, a spread of two points or more between
  assessors marked;
- target groups by cities (who names a group, who serves it) and the recurring
  problems and objectives by cities (:func:`~techdiversity.network.themes`);
- the peer review as a picture (who reviews whom, :func:`assign_reviewers`) with what
  each pair shares, the pairs suggested for exchange, and the assessors' agreement per
  criterion (:func:`agreement`);
- monitoring across cities: how many indicators are achieved, on track, behind,
  without data... per city and period (:mod:`techdiversity.monitoring`).

Like the single-plan report (:mod:`techdiversity.exporters.html`), the page loads
nothing (inline CSS and SVG, a Content-Security-Policy that forbids every load), is
rendered with autoescaping (user text is cleaned of control and bidi override
characters, then escaped), prints on paper and reads on a 390-pixel phone: wide
tables scroll sideways inside their section, with a hint, and never widen the page.
The two reports share one style sheet (``templates/base.css``).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..dates import PartialDate
from ..exporters.html import clean, section_label, short
from ..findings import SEVERITIES
from ..model import AssessmentFile, Plan
from ..monitoring import STATUSES, tracking_table
from ..rubrics import Rubric, ScoreCard, ScoringContext, score_with
from ..version import __version__
from .common import city_of, rubrics_named, served_groups
from .pairing import pairings_of
from .review import agreement, assign_reviewers
from .themes import profile, themes_of

__all__ = ["STATUS_WORDS", "report_data", "report_html"]

#: The monitoring statuses in words, for the page.
STATUS_WORDS: dict[str, str] = {
    "achieved": "achieved",
    "on-track": "on track",
    "behind": "behind",
    "no-data": "no data",
    "not-started": "not started",
    "not-measurable": "not measurable",
}

_MAX_PERIODS = 4


def _words(slug: str) -> str:
    """A vocabulary slug as words: ``young-people`` -> ``young people``."""
    return clean(slug).replace("-", " ").replace("_", " ")


# ---------------------------------------------------------------------------
# Heat maps


@attrs.frozen
class HeatCell:
    """One criterion of one city: the score and where it comes from."""

    score: float | int | None
    automatic: int | None
    people: tuple[tuple[str, int], ...]
    spread: int | None

    @property
    def level(self) -> str:
        """``s1``..``s5`` (the score rounded), or ``none``."""
        if self.score is None:
            return "none"
        return f"s{max(1, min(5, math.floor(float(self.score) + 0.5)))}"

    @property
    def disputed(self) -> bool:
        """True when the assessors are two points apart or more."""
        return self.spread is not None and self.spread >= 2

    @property
    def text(self) -> str:
        if self.score is None:
            return "–"
        return f"{self.score:g}" if isinstance(self.score, float) else str(self.score)

    @property
    def details(self) -> tuple[str, ...]:
        """``("auto 4", "people 3–5")``: shown when people scored."""
        if not self.people:
            return ()
        values = [s for _, s in self.people]
        people = f"{min(values)}–{max(values)}" if min(values) != max(values) else str(values[0])
        auto = (f"auto {self.automatic}",) if self.automatic is not None else ()
        return (*auto, f"people {people}")

    @property
    def title(self) -> str:
        parts = [f"score {self.text}"]
        if self.automatic is not None:
            parts.append(f"automatic {self.automatic}")
        parts += [f"{who} {score}" for who, score in self.people]
        if self.disputed:
            parts.append(f"assessors {self.spread} points apart")
        return "; ".join(parts)


def _heat_cell(result: Any) -> HeatCell:
    people = tuple((clean(p.assessor), p.score) for p in result.people)
    values = [s for _, s in people]
    auto = result.automatic.score if result.automatic is not None else None
    return HeatCell(result.score, auto, people, max(values) - min(values) if len(values) > 1 else None)


def _heat_maps(rubrics: Sequence[Rubric], cards: Sequence[Sequence[ScoreCard]]) -> list[dict[str, Any]]:
    maps = []
    for k, rubric in enumerate(rubrics):
        sections: list[dict[str, Any]] = []
        for s_index, section in enumerate(rubric.sections):
            rows = []
            for c_index, criterion in enumerate(section.criteria):
                cells = [_heat_cell(city[k].sections[s_index].criteria[c_index]) for city in cards]
                rows.append({"id": criterion.id, "title": clean(criterion.title) or criterion.id, "cells": cells})
            sections.append({"label": section_label(section.id, section.title), "rows": rows})
        disputed = sum(1 for s in sections for r in s["rows"] for c in r["cells"] if c.disputed)
        people = sum(1 for s in sections for r in s["rows"] for c in r["cells"] if c.people)
        maps.append(
            {
                "rubric": rubric,
                "title": clean(rubric.title) or rubric.name,
                "sections": sections,
                "disputed": disputed,
                "people": people,
            }
        )
    return maps


# ---------------------------------------------------------------------------
# Monitoring across cities


def _periods(plans: Sequence[Plan], as_of: PartialDate | None) -> list[PartialDate | None]:
    """The dates monitoring is shown at: the ends of the last years up to ``as_of`` (default:
    up to the year of the network's latest actual), at most :data:`_MAX_PERIODS`, none
    before the year after the earliest baseline; the as-of date itself last. ``[None]``
    (each indicator on its latest actual) when there is no as-of date and no actual."""
    if as_of is None:
        years = sorted({m.date.last.year for p in plans for i in p.indicators for m in i.actuals if m.date})
        if not years:
            return [None]
        last: PartialDate = PartialDate.parse(str(years[-1]))
    else:
        last = as_of
    starts = [i.baseline.date.last.year for p in plans for i in p.indicators if i.baseline and i.baseline.date]
    end = last.last.year
    first = max(min(starts, default=end) + 1, end - _MAX_PERIODS + 1)
    out: list[PartialDate | None] = [PartialDate.parse(str(y)) for y in range(min(first, end), end)]
    return [*out, last]


def _monitoring(plans: Sequence[Plan], as_of: PartialDate | None) -> dict[str, Any]:
    periods = _periods(plans, as_of)
    rows = []
    for plan in plans:
        cells = []
        for when in periods:
            counts = Counter(s.status for s in tracking_table(plan, when))
            total = sum(counts.values())
            parts = [
                {"status": st, "words": STATUS_WORDS[st], "n": counts[st], "share": counts[st] / total if total else 0}
                for st in STATUSES
                if counts[st]
            ]
            cells.append({"total": total, "parts": parts})
        rows.append({"city": clean(city_of(plan)), "indicators": len(plan.indicators), "cells": cells})
    labels = ["latest actual of each indicator" if p is None else f"as of {p.text}" for p in periods]
    return {"periods": labels, "rows": rows, "statuses": [(s, STATUS_WORDS[s]) for s in STATUSES]}


# ---------------------------------------------------------------------------
# Peer review as a picture


@attrs.frozen
class RingCity:
    """A city on the reviewers' ring: its number (in the circle), its name (in the list beside)."""

    number: int
    name: str
    x: float
    y: float


_RING_SIZE = 400
_RING_R = 160


def _ring(cities: Sequence[str]) -> list[RingCity]:
    """Cities on a circle, the first at the top, clockwise: numbers in the picture, names beside
    it (a name of any length cannot be clipped or overlap the drawing)."""
    c = _RING_SIZE / 2
    n = max(len(cities), 1)
    out = []
    for k, name in enumerate(cities):
        angle = -math.pi / 2 + 2 * math.pi * k / n
        out.append(RingCity(k + 1, name, c + _RING_R * math.cos(angle), c + _RING_R * math.sin(angle)))
    return out


def _arrow(a: RingCity, b: RingCity, bend: float = 0.18, gap: float = 25) -> str:
    """A curved arrow from ``a`` to ``b`` (bent to its left, so A->B and B->A do not overlap)."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    x1, y1 = a.x + ux * gap, a.y + uy * gap
    x2, y2 = b.x - ux * gap, b.y - uy * gap
    mx, my = (x1 + x2) / 2 - uy * length * bend, (y1 + y2) / 2 + ux * length * bend
    return f"M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}"


def _ring_order(cities: list[str], assignments: Sequence[Mapping[str, Any]]) -> list[str]:
    """The cities in the order of the reviewers' ring, so that arrows join neighbours.

    Each plan is reviewed by the cities that follow its own on the ring: following each
    city's first reviewer walks the ring. When that does not close over every city
    (several plans per city, loads that skip), the input order is kept.
    """
    first: dict[str, str] = {}
    for a in assignments:
        if a["reviewers"]:
            first.setdefault(a["city"], a["reviewers"][0])
    if not cities or len(first) != len(cities):
        return cities
    order = [cities[0]]
    while len(order) < len(cities):
        following = first.get(order[-1])
        if following is None or following in order:
            return cities
        order.append(following)
    return order if first.get(order[-1]) == order[0] else cities


def _shared(a: Any, b: Any, found: Mapping[str, Any]) -> dict[str, list[str]]:
    """What two city profiles share: target groups, problem and objective themes."""
    groups = [g for g in dict.fromkeys((*a.named, *a.served)) if g in (*b.named, *b.served)]
    out: dict[str, list[str]] = {"target groups": [_words(g) for g in groups]}
    for kind in ("problems", "objectives"):
        out[kind] = [clean(t["label"]) for t in found[kind] if {a.plan, b.plan} <= {it["plan"] for it in t["items"]}]
    return out


def _review(
    plans: Sequence[Plan],
    profiles: Sequence[Any],
    found: Mapping[str, Any],
    per_plan: int,
    seed: int,
) -> dict[str, Any]:
    cities = list(dict.fromkeys(city_of(p) for p in plans))
    per = min(per_plan, max(len(cities) - 1, 0))
    assignments = assign_reviewers(plans, per_plan=per, seed=seed) if per else []
    cities = _ring_order(cities, assignments)
    ring = _ring([clean(c) for c in cities])
    at = {c: ring[k] for k, c in enumerate(cities)}
    by_plan = {pr.plan: pr for pr in profiles}
    first_profile: dict[str, Any] = {}
    for pr in profiles:
        first_profile.setdefault(pr.city, pr)
    arrows = []
    reviews = []
    for a in assignments:
        target = at[a["city"]]
        for reviewer in a["reviewers"]:
            source = at[reviewer]
            arrows.append({"d": _arrow(source, target), "title": f"{source.name} reviews {target.name}"})
            shared = _shared(first_profile[reviewer], by_plan[a["plan"]], found)
            reviews.append(
                {
                    "reviewer": source,
                    "reviewed": target,
                    "plan": a["plan"],
                    "shared": [(k, v) for k, v in shared.items() if v],
                }
            )
    return {
        "ring": ring,
        "arrows": arrows,
        "reviews": reviews,
        "per_plan": per,
        "size": _RING_SIZE,
    }


def _agreements(
    plans: Sequence[Plan], rubrics: Sequence[Rubric], assessed: Mapping[str, Sequence[AssessmentFile]]
) -> list[dict[str, Any]]:
    """Per rubric with people's scores: the criteria someone scored, by city, with the agreement."""
    out = []
    for rubric in rubrics:
        cities = []
        for plan in plans:
            mine = [a for a in assessed.get(plan.id, ()) if a.assessment.rubric == rubric.name]
            if mine:
                rows = {r["criterion"]: r for r in agreement(plan, rubric, mine)}
                cities.append((clean(city_of(plan)), rows))
        if not cities:
            continue
        criteria = []
        for criterion in rubric.criteria():
            cells = [rows.get(criterion.id) for _, rows in cities]
            if any(c is not None and c["n"] for c in cells):
                criteria.append({"id": criterion.id, "title": clean(criterion.title) or criterion.id, "cells": cells})
        out.append(
            {"title": clean(rubric.title) or rubric.name, "cities": [c for c, _ in cities], "criteria": criteria}
        )
    return out


# ---------------------------------------------------------------------------
# Target groups and themes by cities


def _groups(profiles: Sequence[Any]) -> list[dict[str, Any]]:
    groups: dict[str, None] = {}
    for pr in profiles:
        for g in (*pr.named, *pr.served):
            groups[g] = None
    rows: list[dict[str, Any]] = []
    for g in groups:
        cells: list[str] = [
            (
                "both"
                if g in pr.named and g in pr.served
                else "served"
                if g in pr.served
                else "named"
                if g in pr.named
                else ""
            )
            for pr in profiles
        ]
        rows.append({"group": _words(g), "slug": clean(g), "cells": cells, "cities": sum(1 for c in cells if c)})
    rows.sort(key=lambda r: (-int(r["cities"]), str(r["group"])))
    return rows


def _themes(profiles: Sequence[Any], found: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for kind, heading in (("problems", "Recurring problems"), ("objectives", "Recurring objectives")):
        rows = []
        for theme in found[kind]:
            ids: dict[str, list[str]] = {}
            for it in theme["items"]:
                ids.setdefault(it["plan"], []).append(clean(it["id"]))
            rows.append(
                {
                    "number": theme["theme"],
                    "label": clean(theme["label"]),
                    "keywords": [clean(k) for k in theme["keywords"][:6]],
                    "cities": len(theme["cities"]),
                    "cells": [ids.get(pr.plan, []) for pr in profiles],
                    "texts": [
                        "; ".join(
                            f"{clean(it['id'])}: {clean(it['text'])}" for it in theme["items"] if it["plan"] == pr.plan
                        )
                        for pr in profiles
                    ],
                }
            )
        out.append({"kind": kind, "heading": heading, "rows": rows})
    return out


# ---------------------------------------------------------------------------
# The page


def report_data(
    plans: Iterable[Plan],
    *,
    errors: Mapping[str, Any] | None = None,
    rubrics: Sequence[str | Rubric] | None = None,
    assessments: Mapping[str, Sequence[AssessmentFile]] | Sequence[AssessmentFile] = (),
    as_of: PartialDate | None = None,
    threshold: float = 0.3,
    per_plan: int = 2,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything the network report shows, computed once (the template only lays it out).

    ``errors`` maps the paths of files that could not be read to their
    :class:`~techdiversity.PlanError` (listed on the page). ``assessments`` are the
    people's scores: a list of assessment files, or a mapping plan id -> files (as
    :func:`~techdiversity.network.collect_assessments` returns). ``as_of`` is the date
    monitoring judges at (with the years before it); ``threshold`` the similarity of
    themes; ``per_plan`` and ``seed`` the reviewer assignment.
    """
    plans = list(plans)
    chosen = rubrics_named(rubrics)
    if isinstance(assessments, Mapping):
        assessed: dict[str, list[AssessmentFile]] = {k: list(v) for k, v in assessments.items()}
    else:
        assessed = {}
        for item in assessments:
            assessed.setdefault(item.assessment.plan, []).append(item)
    cards: list[list[ScoreCard]] = []
    city_cards = []
    for plan in plans:
        context = ScoringContext(plan)
        mine = assessed.get(plan.id, [])
        plan_cards = [
            score_with(plan, r, [a for a in mine if a.assessment.rubric == r.name], context=context) for r in chosen
        ]
        cards.append(plan_cards)
        report = context.report
        info = plan.plan
        city_cards.append(
            {
                "city": clean(city_of(plan)),
                "id": clean(plan.id),
                "country": clean(info.country),
                "title": clean(info.title),
                "status": info.status,
                "version": clean(info.version),
                "period": info.period,
                "counts": {sev: report.count(sev) for sev in SEVERITIES},
                "bars": [
                    {
                        "title": clean(card.rubric.title) or card.rubric.name,
                        "total": card.total,
                        "max": card.max,
                        "ratio": float(card.total) / card.max if card.max else 0.0,
                    }
                    for card in plan_cards
                ],
                "counts_of": {
                    "objectives": len(plan.objectives),
                    "actions": len(plan.actions),
                    "indicators": len(plan.indicators),
                },
                "groups": [_words(g) for g in served_groups(plan)],
            }
        )
    profiles = [profile(p) for p in plans]
    found = themes_of(profiles, threshold, 2)
    scored_profiles = [profile(p, chosen) for p in plans]
    exchange = pairings_of(scored_profiles, themes_of(scored_profiles, threshold, 2), 2, 0.2) if len(plans) > 1 else []
    networks = sorted({clean(p.plan.network) for p in plans if p.plan.network})
    sections = _section_names(chosen)
    unreadable = [
        {"path": clean(path), "errors": [clean(str(d)) for d in getattr(exc, "diagnostics", ())] or [clean(str(exc))]}
        for path, exc in (errors or {}).items()
    ]
    return {
        "version": __version__,
        "networks": networks,
        "cities": [c["city"] for c in city_cards],
        "cards": city_cards,
        "heat": _heat_maps(chosen, cards),
        "groups": _groups(profiles),
        "themes": _themes(profiles, found),
        "review": _review(plans, profiles, found, per_plan, seed),
        "exchange": [
            {
                "cities": [clean(c) for c in pair["cities"]],
                "similarity": pair["similarity"],
                "shared": [
                    (kind, items)
                    for kind, items in (
                        ("target groups", [_words(g) for g in pair["shared"]["target_groups"]]),
                        ("problems", [clean(t) for t in pair["shared"]["problems"]]),
                        ("objectives", [clean(t) for t in pair["shared"]["objectives"]]),
                    )
                    if items
                ],
                "exchange": [
                    {
                        "to": clean(e["to"]),
                        "from": clean(e["from"]),
                        "section": sections.get(e["section"], e["section"]),
                    }
                    for e in pair["exchange"][:2]
                ],
            }
            for pair in exchange
        ],
        "agreement": _agreements(plans, chosen, assessed),
        "monitoring": _monitoring(plans, as_of),
        "as_of": as_of.text if as_of is not None else None,
        "unreadable": unreadable,
    }


def _section_names(rubrics: Sequence[Rubric]) -> dict[str, str]:
    """``urbact-iap.1`` -> ``URBACT ... grid: 1 Process of action plan``, for the exchange list."""
    return {
        f"{r.name}.{s.id}": f"{clean(r.title) or r.name}: {section_label(s.id, s.title)}"
        for r in rubrics
        for s in r.sections
    }


@functools.cache
def _environment() -> Any:
    import jinja2
    import markupsafe

    def finalize(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, markupsafe.Markup):
            return value
        if isinstance(value, str):
            return clean(value)
        return value

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("techdiversity", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
    )
    env.filters["short"] = short
    env.filters["words"] = _words
    return env


def report_html(plans: Iterable[Plan], **options: Any) -> str:
    """The network report as one HTML document; ``options`` as for :func:`report_data`."""
    data = report_data(plans, **options)
    html: str = _environment().get_template("network.html.j2").render(**data)
    return html
