"""Pausing the garbage collector around large batches of allocation.

Loading, checking, scoring or exporting a large plan allocates millions of small
objects that all stay alive until the work is done. Python's cyclic collector, which
runs every few hundred allocations and scans ever larger generations, then finds
nothing to free and only costs time (more than linearly, as the heap grows). These
steps create no reference cycles of their own, so the collector is paused during them
and resumed afterwards, never left off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


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
