"""The rubrics that ship with the library."""

from __future__ import annotations

from . import Rubric

__all__ = ["builtin_rubrics"]


def builtin_rubrics() -> tuple[Rubric, ...]:
    """urbact-iap, integration, testing-actions and diversity-inclusion, in that order."""
    from .urbact_iap import RUBRIC as URBACT_IAP

    found = [URBACT_IAP]
    for module in ("integration", "testing_actions", "diversity_inclusion"):
        try:
            mod = __import__(f"{__package__}.{module}", fromlist=["RUBRIC"])
        except ModuleNotFoundError:  # pragma: no cover - while a rubric is being written
            continue
        found.append(mod.RUBRIC)
    return tuple(found)
