"""Pausing the garbage collector around large batches of allocation.

Loading, checking, scoring or exporting a large plan allocates millions of small
objects that all stay alive until the work is done. Python's cyclic collector, which
runs every few hundred allocations and scans ever larger generations, then finds
nothing to free and only costs time (more than linearly, as the heap grows). These
steps create no reference cycles of their own, so the collector is paused during them
and resumed afterwards, never left off.

Two measures of "large", each with its threshold: the text being read
(:func:`paused_for_text`, for the readers) and the plan being worked on
(:func:`paused_for_plan`, for the checks, the scorers and the exporters).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Plan

__all__ = ["PLAN_ITEMS", "TEXT_CHARS", "gc_paused", "paused_for_plan", "paused_for_text", "plan_size"]

#: Plans with more linkable items than this are checked, scored and exported with the collector paused.
PLAN_ITEMS = 2000

#: Texts longer than this many characters are read with the collector paused.
TEXT_CHARS = 256 * 1024


@contextmanager
def gc_paused(size: int, threshold: int) -> Iterator[None]:
    """Pause the collector while the block runs, when ``size`` reaches ``threshold``."""
    if size < threshold or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan_size(plan: Plan) -> int:
    """How large a plan is, for the pause: its actions, indicators, objectives and problems."""
    return len(plan.actions) + len(plan.indicators) + len(plan.objectives) + len(plan.problems)


def paused_for_plan(plan: Plan) -> AbstractContextManager[None]:
    """The collector paused while a large plan (see :data:`PLAN_ITEMS`) is checked, scored or exported."""
    return gc_paused(plan_size(plan), PLAN_ITEMS)


def paused_for_text(length: int) -> AbstractContextManager[None]:
    """The collector paused while a long text (see :data:`TEXT_CHARS`) is read."""
    return gc_paused(length, TEXT_CHARS)
