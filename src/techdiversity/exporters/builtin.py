"""The exporters that ship with the library, collected for the built-in plugin."""

from __future__ import annotations

from . import Exporter

__all__ = ["builtin_exporters"]

#: Modules under ``techdiversity`` that define ``EXPORTERS``.
MODULES = (
    "exporters.basic",
    "exporters.html",
    "exporters.markdown",
    "formats.xlsx.layout",
    "formats.iati.writer",
    "exporters.graphfmt",
)


def builtin_exporters() -> tuple[Exporter, ...]:
    """Every built-in exporter, module by module."""
    from ..readers import collect_modules

    return tuple(collect_modules("techdiversity", MODULES, "EXPORTERS"))
