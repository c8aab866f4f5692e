"""Pairs of cities for transnational exchange: shared themes, and one strong where the other is weak."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..model import Plan
from ..rubrics import Rubric
from .common import rubrics_named
from .themes import Profile, profile, themes_of

__all__ = ["pairings", "pairings_of"]


# ---------------------------------------------------------------------------
# Pairings for transnational exchange


def pairings_of(
    profiles: Sequence[Profile], found: Mapping[str, Any], per_city: int, gap: float
) -> list[dict[str, Any]]:
    features: list[set[str]] = [set() for _ in profiles]
    position = {pr.plan: i for i, pr in enumerate(profiles)}
    labels: dict[str, str] = {}
    for i, pr in enumerate(profiles):
        for g in (*pr.named, *pr.served):
            features[i].add(f"group:{g}")
            labels[f"group:{g}"] = g
    for kind in ("problems", "objectives"):
        for theme in found[kind]:
            key = f"{kind}:{theme['theme']}"
            labels[key] = theme["label"]
            for it in theme["items"]:
                features[position[it["plan"]]].add(key)
    candidates: list[dict[str, Any]] = []
    for i, a in enumerate(profiles):
        for j in range(i + 1, len(profiles)):
            b = profiles[j]
            if a.city == b.city:
                continue
            shared = features[i] & features[j]
            union = features[i] | features[j]
            similarity = len(shared) / len(union) if union else 0.0
            exchange: list[dict[str, Any]] = []
            for section in sorted(set(a.shares) & set(b.shares)):
                diff = a.shares[section] - b.shares[section]
                if abs(diff) >= gap:
                    strong, weak = (a, b) if diff > 0 else (b, a)
                    exchange.append(
                        {"section": section, "from": strong.city, "to": weak.city, "gap": round(abs(diff), 3)}
                    )
            exchange.sort(key=lambda e: (-e["gap"], e["section"]))
            best_gap = float(exchange[0]["gap"]) if exchange else 0.0
            candidates.append(
                {
                    "plans": [a.plan, b.plan],
                    "cities": [a.city, b.city],
                    "score": round(similarity + 0.5 * best_gap, 3),
                    "similarity": round(similarity, 3),
                    "shared": {
                        "target_groups": sorted(labels[k] for k in shared if k.startswith("group:")),
                        "problems": [labels[k] for k in sorted(shared) if k.startswith("problems:")],
                        "objectives": [labels[k] for k in sorted(shared) if k.startswith("objectives:")],
                    },
                    "exchange": exchange,
                    "_order": (i, j),
                }
            )
    candidates.sort(key=lambda c: (-c["score"], c["_order"]))
    taken: Counter[int] = Counter()
    out = []
    for c in candidates:
        i, j = c.pop("_order")
        if taken[i] < per_city or taken[j] < per_city:
            taken[i] += 1
            taken[j] += 1
            out.append(c)
    return out


def pairings(
    plans: Iterable[Plan],
    *,
    rubrics: Sequence[str | Rubric] | None = None,
    per_city: int = 2,
    gap: float = 0.2,
    threshold: float = 0.3,
) -> list[dict[str, Any]]:
    """Pairs of cities for transnational exchange, the best first.

    Two cities make a good pair when they share themes (target groups, and the
    recurring problems and objectives of :func:`themes`: ``similarity`` is the Jaccard
    similarity of the themes each covers) and when one is strong where the other is
    weak: ``exchange`` lists the rubric sections (all installed rubrics unless
    ``rubrics`` names some) where their scores, as shares of the maximum, differ by at
    least ``gap``, with who can learn ``from`` whom. ``score`` is the similarity plus
    half the largest gap. Each city keeps its ``per_city`` best pairs.

    Pairs are compared two by two: meant for a network (tens of cities), not thousands.
    """
    chosen = rubrics_named(rubrics)
    profiles = [profile(p, chosen) for p in plans]
    return pairings_of(profiles, themes_of(profiles, threshold, 2), per_city, gap)
