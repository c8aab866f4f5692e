"""The plugin module named by the entry point: it contributes the ``indimae`` rubric."""

from __future__ import annotations

from collections.abc import Sequence

from techdiversity.hookspecs import hookimpl
from techdiversity.rubrics import Rubric

__all__ = ["techdiversity_rubrics"]


@hookimpl
def techdiversity_rubrics() -> Sequence[Rubric]:
    """The INDIMAE policy lessons rubric."""
    from .rubric import RUBRIC

    return [RUBRIC]
