"""The exporters that ship with the library, collected for the built-in plugin."""

from __future__ import annotations

from . import Exporter

__all__ = ["builtin_exporters"]

#: Modules under ``techdiversity.exporters`` that define ``EXPORTERS``.
MODULES = ("basic", "html", "markdown", "tables", "iati", "graphfmt")


def builtin_exporters() -> tuple[Exporter, ...]:
    """Every built-in exporter, module by module."""
    from ..readers import collect_modules

    return tuple(collect_modules(__package__ or "techdiversity.exporters", MODULES, "EXPORTERS"))
