"""What recurs across the cities of a network: normalised text, token-set similarity, themes."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..model import Plan
from ..rubrics import Rubric
from .common import city_of, scorecards, served_groups

__all__ = ["STOP_WORDS", "Item", "Profile", "cluster", "normalise", "profile", "themes", "themes_of"]


# ---------------------------------------------------------------------------
# Themes: normalised text and token-set similarity

#: Words left out of theme matching: English function words, nothing of the domain
#: ("it" stays: in these plans it is information technology).
_STOP_TEXT = (
    "a about above after again against all also am among an and any are as at be because been before "
    "being below between both but by can cannot could did do does doing down during each even every few "
    "for from further had has have having he her here hers him his how i if in into is its itself just "
    "least less me more most much must my neither no nor not of off on once only onto or other our ours "
    "out over own per same shall she should so some still such than that the their theirs them then there "
    "these they this those through to too under until up upon us very via was we were what when where "
    "whether which while who whom whose why will with within without would yet you your "
)
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[a-z0-9]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _stem(word: str) -> str:
    """A light plural folding (``cities`` -> ``city``, ``graduates`` -> ``graduate``)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise(text: str, drop: Iterable[str] = ()) -> frozenset[str]:
    """The token set of a text: lower-case, accents folded, punctuation and stop words out.

    ``drop`` holds further words to leave out (the plan's own city name, so that
    "Larnaka's young graduates leave" matches "young graduates leave Trikala").
    """
    dropped = set(drop)
    return frozenset(
        _stem(w) for w in _WORD.findall(_fold(text)) if len(w) > 1 and w not in STOP_WORDS and w not in dropped
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


@attrs.frozen
class Item:
    plan: str
    city: str
    id: str
    text: str
    tokens: frozenset[str]


@attrs.frozen
class Profile:
    """What themes and pairings need of a plan: small, so the plan itself can go."""

    plan: str
    city: str
    named: tuple[str, ...]
    served: tuple[str, ...]
    problems: tuple[Item, ...]
    objectives: tuple[Item, ...]
    shares: dict[str, float] = attrs.field(factory=dict, hash=False)


def profile(plan: Plan, rubrics: Sequence[Rubric] = ()) -> Profile:
    city = city_of(plan)
    drop = set(_WORD.findall(_fold(plan.plan.city or "")))

    def item(ident: str, text: str) -> Item:
        return Item(plan.id, city, ident, text, normalise(text, drop))

    problems = tuple(item(p.id, p.statement) for p in plan.problems if p.statement)
    objectives = tuple(
        item(o.id, ". ".join(t for t in (o.title, o.description) if t))
        for o in plan.objectives
        if o.title or o.description
    )
    shares: dict[str, float] = {}
    for card in scorecards(plan, rubrics) if rubrics else ():
        for section in card.sections:
            if section.max:
                shares[f"{card.rubric.name}.{section.section.id}"] = section.score / section.max
    named = tuple(plan.context.target_groups) if plan.context is not None else ()
    return Profile(plan.id, city, named, tuple(served_groups(plan)), problems, objectives, shares)


def cluster(items: Sequence[Item], threshold: float) -> list[list[int]]:
    """Groups of items (indexes) whose texts are alike: connected components of similarity.

    Two items are linked when the Jaccard similarity of their token sets is at least
    ``threshold``. Identical token sets are compared once; candidates come from an
    inverted index (token -> token sets), so texts sharing no word are never compared.
    The result does not depend on the order of the items except for the order of the
    groups (by first member) and of members (input order).
    """
    distinct: dict[frozenset[str], int] = {}
    members: list[list[int]] = []
    for i, it in enumerate(items):
        k = distinct.setdefault(it.tokens, len(distinct))
        if k == len(members):
            members.append([])
        members[k].append(i)
    sets = list(distinct)
    parent = list(range(len(sets)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index: dict[str, list[int]] = {}
    for k, tokens in enumerate(sets):
        candidates: set[int] = set()
        for token in tokens:
            candidates.update(index.get(token, ()))
        for c in candidates:
            if _jaccard(sets[c], tokens) >= threshold:
                a, b = find(c), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        for token in tokens:
            index.setdefault(token, []).append(k)
    groups: dict[int, list[int]] = {}
    for k in range(len(sets)):
        groups.setdefault(find(k), []).extend(members[k])
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def _theme(number: int, items: Sequence[Item], group: Sequence[int]) -> dict[str, Any]:
    chosen = [items[i] for i in group]
    cities = list(dict.fromkeys(it.city for it in chosen))
    distinct = list(dict.fromkeys(it.tokens for it in chosen))
    # the label is the text most alike to the others (the first on ties)
    best = max(distinct, key=lambda t: (sum(_jaccard(t, o) for o in distinct), -distinct.index(t)))
    label = next(it.text for it in chosen if it.tokens == best)
    per_city: Counter[str] = Counter()
    for city in cities:
        per_city.update(set().union(*(it.tokens for it in chosen if it.city == city)))
    keywords = sorted((t for t, n in per_city.items() if n >= 2), key=lambda t: (-per_city[t], t))
    return {
        "theme": number,
        "label": label,
        "keywords": keywords,
        "cities": cities,
        "items": [{"plan": it.plan, "city": it.city, "id": it.id, "text": it.text} for it in chosen],
    }


def themes_of(profiles: Sequence[Profile], threshold: float, min_cities: int) -> dict[str, Any]:
    groups: dict[str, dict[str, list[str]]] = {}
    for pr in profiles:
        for g in pr.named:
            groups.setdefault(g, {"named": [], "served": []})["named"].append(pr.city)
        for g in pr.served:
            groups.setdefault(g, {"named": [], "served": []})["served"].append(pr.city)
    target_groups = []
    for g, who in groups.items():
        cities = list(dict.fromkeys(pr.city for pr in profiles if g in pr.named or g in pr.served))
        if len(cities) >= min_cities:
            target_groups.append(
                {
                    "group": g,
                    "cities": cities,
                    "named": list(dict.fromkeys(who["named"])),
                    "served": list(dict.fromkeys(who["served"])),
                }
            )
    target_groups.sort(key=lambda t: (-len(t["cities"]), t["group"]))
    out: dict[str, Any] = {
        "plans": [{"plan": pr.plan, "city": pr.city} for pr in profiles],
        "target_groups": target_groups,
    }
    for kind in ("problems", "objectives"):
        items = [it for pr in profiles for it in getattr(pr, kind)]
        found: list[dict[str, Any]] = []
        for group in cluster(items, threshold):
            if len({items[i].city for i in group}) >= min_cities:
                found.append(_theme(len(found) + 1, items, group))
        found.sort(key=lambda t: (-len(t["cities"]), t["theme"]))
        for number, theme in enumerate(found, 1):
            theme["theme"] = number
        out[kind] = found
    return out


def themes(plans: Iterable[Plan], *, threshold: float = 0.3, min_cities: int = 2) -> dict[str, Any]:
    """What recurs across the cities of a network, and which city covers which.

    ``plans`` is any iterable of plans (a :class:`Network`, or a generator that loads
    them one at a time: only a small profile of each plan is kept). Returns::

        {"plans": [{"plan", "city"}...],
         "target_groups": [{"group", "cities", "named", "served"}...],
         "problems":   [{"theme", "label", "keywords", "cities", "items": [{"plan", "city", "id", "text"}]}...],
         "objectives": [...as problems...]}

    Target groups match by slug; problem statements and objectives (title and
    description) match by text: lower-cased, accents folded, punctuation, stop words
    and the plan's own city name left out, plurals folded; two texts are alike when
    the Jaccard similarity of their word sets is at least ``threshold``, and a theme
    is a connected group of alike texts. Only themes found in at least ``min_cities``
    cities are listed, the most widely shared first.
    """
    return themes_of([profile(p) for p in plans], threshold, min_cities)
