"""The built-in plugin: the library's own checks, registered like any third party's."""

from __future__ import annotations

from collections.abc import Sequence

from .checks import Check, builtin_checks
from .hookspecs import hookimpl


@hookimpl
def techdiversity_checks() -> Sequence[Check]:
    """The built-in coherence checks (TD100 to TD600)."""
    return builtin_checks()
