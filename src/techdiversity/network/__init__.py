"""A network of plans: the cities of an URBACT network, side by side.

An URBACT Action Planning Network is several cities writing their Integrated Action
Plans at the same time, reviewing each other's and following them over the years.
This module looks at many plans at once:

- :class:`Network` loads a folder or a list of plan files; a file that cannot be read
  is kept in :attr:`Network.errors` with its :class:`~techdiversity.PlanError`, the
  others load.
- :func:`summarise` turns one plan into a small flat record (plain ``dict`` of
  strings, numbers and lists of strings): findings by severity, each rubric's section
  scores, target groups, counts, indicators quantified, budget by funding source.
  :meth:`Network.records` gives one per city, ready for any data-frame library.
- :func:`compare` streams those records over any number of files, loading,
  summarising and dropping one plan at a time, on several processes when asked; it
  never holds every plan.
- :func:`themes` finds the problems, objectives and target groups that recur across
  cities (normalised text, token-set Jaccard similarity, no network calls) and
  :func:`pairings` suggests pairs of cities for transnational exchange.
- :func:`assign_reviewers` and :func:`agreement` support peer review: who reviews
  whom, and how far assessors (and the automatic scores) agree per criterion.

Everything here is deterministic: the same files give the same records, themes,
pairs and assignments, whatever the number of processes.
"""

from __future__ import annotations

import math
import os
import random
import re
import statistics
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import attrs

from .. import registered, vocab
from ..errors import Diagnostic, PlanError
from ..io import load, load_assessment
from ..model import Assessment, AssessmentFile, Plan
from ..rubrics import Rubric, ScoreCard, ScoringContext, score_with

__all__ = [
    "PLAN_SUFFIXES",
    "Network",
    "agreement",
    "assign_reviewers",
    "city_of",
    "collect_assessments",
    "compare",
    "expand_paths",
    "normalise",
    "pairings",
    "summarise",
    "themes",
]

#: Suffixes of plan files the core reads; reader plugins add theirs.
PLAN_SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json", ".toml")

PathLike = str | os.PathLike[str]


# ---------------------------------------------------------------------------
# Paths


def _suffixes() -> set[str]:
    return set(PLAN_SUFFIXES) | {s for r in registered.readers() for s in r.suffixes}


def expand_paths(paths_or_dir: PathLike | Iterable[PathLike]) -> list[str]:
    """Files as given; a directory stands for the plan files directly inside it (sorted)."""
    items: Iterable[PathLike] = [paths_or_dir] if isinstance(paths_or_dir, (str, os.PathLike)) else paths_or_dir
    suffixes: set[str] | None = None
    out: list[str] = []
    for raw in items:
        name = os.fspath(raw)
        if os.path.isdir(name):
            if suffixes is None:
                suffixes = _suffixes()
            out.extend(str(p) for p in sorted(Path(name).iterdir()) if p.suffix.lower() in suffixes and p.is_file())
        else:
            out.append(name)
    return out


def city_of(plan: Plan) -> str:
    """The name a plan goes by in a network: its city, or its id when it names none."""
    return plan.plan.city or plan.id


# ---------------------------------------------------------------------------
# Rubrics


def _rubrics(names: Sequence[str | Rubric] | None) -> list[Rubric]:
    """Rubric objects for names (all installed rubrics for ``None``); KeyError for unknown names."""
    installed: dict[str, Rubric] = {r.name: r for r in registered.rubrics()}
    if names is None:
        return list(installed.values())
    out: list[Rubric] = []
    for item in names:
        if isinstance(item, Rubric):
            out.append(item)
        elif item in installed:
            out.append(installed[item])
        else:
            raise KeyError(f"no rubric named {item!r}; known: {', '.join(sorted(installed))}")
    return out


def _scorecards(plan: Plan, rubrics: Sequence[Rubric], context: ScoringContext | None = None) -> list[ScoreCard]:
    ctx = context if context is not None else ScoringContext(plan)
    return [score_with(plan, r, context=ctx) for r in rubrics]


def _number(value: float) -> float | int:
    """Sums of money: whole numbers stay ints, others are rounded to cents."""
    if isinstance(value, int) or float(value).is_integer():
        return int(value)
    return round(value, 2)


# ---------------------------------------------------------------------------
# One plan, one record


def _served(plan: Plan) -> list[str]:
    """Target groups served by an objective or an action: the context's order first."""
    served: dict[str, None] = {}
    for groups in [o.target_groups for o in plan.objectives] + [a.target_groups for a in plan.actions]:
        for group in groups:
            served[group] = None
    named = plan.context.target_groups if plan.context is not None else ()
    return [g for g in named if g in served] + [g for g in served if g not in named]


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

    - ``plan``, ``city``, ``country``, ``network``, ``status``, ``version``, ``path``;
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

    chosen = _rubrics(rubrics)
    index = PlanIndex(plan)
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
        "path": path if path is not None else (plan.source.path if plan.source is not None else None),
        "findings.error": report.count("error"),
        "findings.warning": report.count("warning"),
        "findings.info": report.count("info"),
    }
    for card in _scorecards(plan, chosen, context):
        name = card.rubric.name
        for section in card.sections:
            record[f"{name}.{section.section.id}"] = section.score
        record[f"{name}.total"] = card.total
        record[f"{name}.max"] = card.max
    named = list(plan.context.target_groups) if plan.context is not None else []
    served = _served(plan)
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


def _summarise_chunk(paths: Sequence[str], rubric_names: Sequence[str] | None) -> list[_Outcome]:
    return [_summarise_path(p, rubric_names) for p in paths]


def _load_one(path: str) -> tuple[str, Plan | None, tuple[Diagnostic, ...] | None]:
    try:
        return path, load(path), None
    except PlanError as exc:
        return path, None, exc.diagnostics


def _load_chunk(paths: Sequence[str]) -> list[tuple[str, Plan | None, tuple[Diagnostic, ...] | None]]:
    out = [_load_one(path) for path in paths]
    for _, plan, _ in out:
        if plan is not None and plan.source is not None:
            plan.source.pointers()  # build a lazy source map now: its builder does not pickle
    return out


def _init_worker(settings: tuple[bool, frozenset[str]]) -> None:
    """A worker uses the plugins the parent process uses (same --no-plugins, same disabled)."""
    from .. import plugins

    if plugins.current_settings() != settings:
        autoload, disabled = settings
        plugins.configure(autoload=autoload, disabled=disabled)


def _jobs(jobs: int | None) -> int:
    if jobs is None or jobs == 0:
        return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs is a number of processes (0 for one per core), got {jobs}")
    return jobs


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _parallel(
    paths: Iterable[str], jobs: int, size: int, work: Callable[..., list[Any]], *args: Any
) -> Iterator[list[Any]]:
    """Results of ``work(chunk, *args)`` in input order, with at most ``2 * jobs`` chunks in flight."""
    from .. import plugins

    settings = plugins.current_settings()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,))
    pending: deque[Future[list[Any]]] = deque()
    try:
        for chunk in _chunks(paths, size):
            pending.append(pool.submit(work, chunk, *args))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _chunk_size(paths: Iterable[str], jobs: int) -> int:
    if isinstance(paths, Sequence):
        return max(1, min(32, math.ceil(len(paths) / (jobs * 4))))
    return 8


def compare(
    paths: PathLike | Iterable[PathLike],
    jobs: int | None = 1,
    progress: Callable[[int], object] | None = None,
    *,
    rubrics: Sequence[str] | None = None,
    on_error: Callable[[str, PlanError], object] | None = None,
) -> Iterator[dict[str, Any]]:
    """Stream one :func:`summarise` record per readable plan file, in input order.

    ``paths`` is a directory, a file or a list of them. Each plan is loaded,
    summarised and dropped before the next: memory stays flat over any number of
    files. With ``jobs`` above 1 (0: one process per core) the files are summarised in
    worker processes, in chunks, and the records still come in input order.
    ``progress`` is called with the number of files just done (``bar.update`` of a
    click or tqdm bar fits). A file that cannot be read is passed to ``on_error`` with
    its :class:`~techdiversity.PlanError` and left out of the records.
    """
    names: Iterable[str]
    if isinstance(paths, (str, os.PathLike, Sequence)):
        names = expand_paths(paths)
    else:
        names = (n for raw in paths for n in expand_paths(raw))
    workers = _jobs(jobs)
    rubric_names = list(rubrics) if rubrics is not None else None
    if rubric_names is not None:
        _rubrics(rubric_names)  # an unknown name fails here, not in every worker

    def outcomes() -> Iterator[_Outcome]:
        if workers <= 1 or (isinstance(names, Sequence) and len(names) < 2):
            for path in names:
                yield _summarise_path(path, rubric_names)
            return
        size = _chunk_size(names, workers)
        for chunk in _parallel(names, workers, size, _summarise_chunk, rubric_names):
            yield from chunk

    for path, record, diagnostics in outcomes():
        if progress is not None:
            progress(1)
        if record is None:
            if on_error is not None:
                on_error(path, PlanError(diagnostics or ()))
            continue
        yield record


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
    def load(cls, paths_or_dir: PathLike | Iterable[PathLike], jobs: int | None = 1) -> Network:
        """Load a directory of plan files (the files directly inside it) or a list of files.

        A file that cannot be read does not stop the others: it lands in
        :attr:`errors`. With ``jobs`` above 1 (0: one per core) files are read by
        worker processes; the plans keep the input order.
        """
        paths = expand_paths(paths_or_dir)
        workers = _jobs(jobs)
        plans: list[Plan] = []
        errors: dict[str, PlanError] = {}
        results: Iterable[tuple[str, Plan | None, tuple[Diagnostic, ...] | None]]
        if workers <= 1 or len(paths) < 2:
            results = map(_load_one, paths)
        else:
            size = _chunk_size(paths, workers)
            results = (item for chunk in _parallel(paths, workers, size, _load_chunk) for item in chunk)
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
class _Item:
    plan: str
    city: str
    id: str
    text: str
    tokens: frozenset[str]


@attrs.frozen
class _Profile:
    """What themes and pairings need of a plan: small, so the plan itself can go."""

    plan: str
    city: str
    named: tuple[str, ...]
    served: tuple[str, ...]
    problems: tuple[_Item, ...]
    objectives: tuple[_Item, ...]
    shares: dict[str, float] = attrs.field(factory=dict, hash=False)


def _profile(plan: Plan, rubrics: Sequence[Rubric] = ()) -> _Profile:
    city = city_of(plan)
    drop = set(_WORD.findall(_fold(plan.plan.city or "")))

    def item(ident: str, text: str) -> _Item:
        return _Item(plan.id, city, ident, text, normalise(text, drop))

    problems = tuple(item(p.id, p.statement) for p in plan.problems if p.statement)
    objectives = tuple(
        item(o.id, ". ".join(t for t in (o.title, o.description) if t))
        for o in plan.objectives
        if o.title or o.description
    )
    shares: dict[str, float] = {}
    for card in _scorecards(plan, rubrics) if rubrics else ():
        for section in card.sections:
            if section.max:
                shares[f"{card.rubric.name}.{section.section.id}"] = section.score / section.max
    named = tuple(plan.context.target_groups) if plan.context is not None else ()
    return _Profile(plan.id, city, named, tuple(_served(plan)), problems, objectives, shares)


def _cluster(items: Sequence[_Item], threshold: float) -> list[list[int]]:
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


def _theme(number: int, items: Sequence[_Item], group: Sequence[int]) -> dict[str, Any]:
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


def _themes_of(profiles: Sequence[_Profile], threshold: float, min_cities: int) -> dict[str, Any]:
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
        for group in _cluster(items, threshold):
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
    return _themes_of([_profile(p) for p in plans], threshold, min_cities)


# ---------------------------------------------------------------------------
# Pairings for transnational exchange


def _pairings_of(
    profiles: Sequence[_Profile], found: Mapping[str, Any], per_city: int, gap: float
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
    chosen = _rubrics(rubrics)
    profiles = [_profile(p, chosen) for p in plans]
    return _pairings_of(profiles, _themes_of(profiles, threshold, 2), per_city, gap)


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
    (chosen,) = _rubrics([rubric])
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
