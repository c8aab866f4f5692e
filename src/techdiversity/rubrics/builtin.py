"""The rubrics that ship with the library."""

from __future__ import annotations

from . import Rubric

__all__ = ["UNSCORED_CODES", "builtin_rubrics"]


def builtin_rubrics() -> tuple[Rubric, ...]:
    """urbact-iap, integration, testing-actions and diversity-inclusion, in that order."""
    from . import diversity_inclusion, integration, testing_actions, urbact_iap

    return tuple(module.RUBRIC for module in (urbact_iap, integration, testing_actions, diversity_inclusion))


#: Built-in check codes that no built-in criterion listens to, and why. Every other
#: built-in check is listened to by at least one criterion of a built-in rubric (a test
#: keeps this true as checks are added); the rubric reference lists both.
UNSCORED_CODES: dict[str, str] = {
    "TD601": (
        "an info finding about spelling: a target group written close to a suggested slug (woman for women)"
        " says nothing about the quality of the plan; it matters when plans are compared across a network,"
        " and techdiversity check shows it"
    ),
}
