"""The exporters that ship with the library, collected for the built-in plugin."""

from __future__ import annotations

from . import Exporter

__all__ = ["builtin_exporters"]


def builtin_exporters() -> tuple[Exporter, ...]:
    """Every built-in exporter, module by module: basic, html, markdown, tables, iati, graphfmt."""
    from . import basic, graphfmt, html, iati, markdown, tables

    return tuple(e for module in (basic, html, markdown, tables, iati, graphfmt) for e in module.EXPORTERS)
