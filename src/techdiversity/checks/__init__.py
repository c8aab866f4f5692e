"""Coherence checks: small functions with a code, a default severity and docs.

A check is a :class:`Check`: its metadata (code, name, severity, title, why it
matters in an IAP, how to fix it) and a function that takes a :class:`CheckContext`
and yields :class:`~techdiversity.findings.Finding` objects. The built-in checks
live in :mod:`techdiversity.checks.builtin`; plugins add more through the
``techdiversity_checks`` hook. The reference page of the docs is generated from
:func:`registry`. What a check is and how checks run is :mod:`techdiversity.checks.runner`.
"""

from __future__ import annotations

from .runner import Check, CheckContext, check, declared_checks, registry, run_checks
from .runner import CheckFunction as CheckFunction

__all__ = ["Check", "CheckContext", "builtin_checks", "check", "registry", "run_checks"]


def builtin_checks() -> tuple[Check, ...]:
    """The checks that ship with the library, in code order."""
    from . import builtin  # noqa: F401 - declares the built-in checks on import

    return declared_checks()
