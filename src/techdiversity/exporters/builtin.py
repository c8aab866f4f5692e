"""The exporters that ship with the library, collected for the built-in plugin."""

from __future__ import annotations

import importlib

from . import Exporter

__all__ = ["builtin_exporters"]

#: Modules under ``techdiversity.exporters`` that define ``EXPORTERS``.
MODULES = ("basic", "html", "markdown", "tables", "iati", "graphfmt")


def builtin_exporters() -> tuple[Exporter, ...]:
    """Every built-in exporter, module by module."""
    out: list[Exporter] = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":  # not written yet
                continue
            raise
        out.extend(module.EXPORTERS)
    return tuple(out)
