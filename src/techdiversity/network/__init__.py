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

from .common import PLAN_SUFFIXES, city_of, expand_paths
from .loading import Network
from .pairing import pairings
from .records import compare, summarise
from .review import agreement, assign_reviewers, collect_assessments
from .themes import STOP_WORDS as STOP_WORDS
from .themes import normalise, themes

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
