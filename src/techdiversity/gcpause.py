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

Resuming the collector after a large pause would cost one full collection over
everything allocated meanwhile (all of it is in the youngest generation, and all of it
is alive: about 0.1-0.3 s at 10,000 actions). So before resuming, the objects then
alive are frozen (:func:`gc.freeze`): moved to a permanent generation that the
collector does not scan. They are still freed as usual when the last reference to them
goes (a plan holds no reference cycles). **The caveat**: garbage *cycles* that existed
when a large pause ended (in the caller's own objects too) are not collected until
:func:`gc.unfreeze` is called; a long-running program that makes many cycles and loads
many large plans can call ``gc.unfreeze()`` now and then (the next collection then
scans everything once), or set :data:`FREEZE` to ``False`` to pay the collection
instead.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Plan

__all__ = ["FREEZE", "PLAN_ITEMS", "TEXT_CHARS", "gc_paused", "paused_for_plan", "paused_for_text", "plan_size"]

#: Plans with more linkable items than this are checked, scored and exported with the collector paused.
PLAN_ITEMS = 2000

#: Texts longer than this many characters are read with the collector paused.
TEXT_CHARS = 256 * 1024

#: Freeze what is alive (:func:`gc.freeze`) when a pause ends, so that resuming the
#: collector does not scan it all once (see the caveat above).
FREEZE = True


@contextmanager
def gc_paused(size: int, threshold: int) -> Iterator[None]:
    """Pause the collector while the block runs, when ``size`` reaches ``threshold``.

    At the end the objects alive are frozen first (when :data:`FREEZE` is true).
    """
    if size < threshold or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if FREEZE:
            gc.freeze()
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
