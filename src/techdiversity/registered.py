"""What the plugin host registered, handed to the code that runs it.

The check runner, the scorers, the exporters and the file readers work with what the
plugins (the built-in one first) contribute, but they sit below the plugin host: the
host imports the built-in checks, rubrics, exporters and readers, which import the
code that runs them. So that no module imports one that imports it back, the code
below the host asks this module, and the host is connected to it from above (the
package :mod:`techdiversity` connects :mod:`techdiversity.plugins` when it is
imported, and the host is only built when something registered is first asked for).

This module imports nothing of the package at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .checks import Check
    from .exporters import Exporter
    from .readers import Reader
    from .rubrics import Rubric

__all__ = ["Host", "checks", "connect", "exporters", "readers", "report_failure", "rubrics"]


class Host(Protocol):
    """What the plugin host provides (:mod:`techdiversity.plugins` is one)."""

    def all_checks(self) -> tuple[Any, ...]: ...

    def all_rubrics(self) -> tuple[Any, ...]: ...

    def all_exporters(self) -> tuple[Any, ...]: ...

    def all_readers(self) -> tuple[Any, ...]: ...

    def report_failure(self, plugin: str, reason: str, skipped: str = ...) -> None: ...


_host: Callable[[], Host] | None = None


def connect(host: Callable[[], Host]) -> None:
    """Connect the plugin host: ``host()`` returns it (and may import it on first use)."""
    global _host
    _host = host


def _connected() -> Host:
    if _host is None:  # pragma: no cover - the package connects the host when it is imported
        raise RuntimeError("no plugin host is connected to techdiversity.registered")
    return _host()


def checks() -> tuple[Check, ...]:
    """Every registered check (built-ins and plugins'), in code order."""
    return _connected().all_checks()


def rubrics() -> tuple[Rubric, ...]:
    """Every registered rubric, built-ins first."""
    return _connected().all_rubrics()


def exporters() -> tuple[Exporter, ...]:
    """Every registered exporter, built-ins first."""
    return _connected().all_exporters()


def readers() -> tuple[Reader, ...]:
    """Every registered reader (importer) of other formats, built-ins first."""
    return _connected().all_readers()


def report_failure(plugin: str, reason: str, skipped: str = "the plugin") -> None:
    """Say, through the host, that something of a plugin failed and was skipped (once, on stderr)."""
    _connected().report_failure(plugin, reason, skipped)
