"""Readers (importers) of plan files in formats other than YAML, JSON and TOML.

A :class:`Reader` turns the bytes of a file into plain data in the plan format and a
:class:`~techdiversity.sourcemap.SourceMap` (so errors point at a sheet and cell, or an
XML line), plus notes on anything it could not map, which are never dropped silently:
:func:`techdiversity.io.load` raises them as :class:`PlanReadWarning` warnings and the
command line prints them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from .errors import Diagnostic
from .sourcemap import SourceMap

__all__ = ["PlanReadWarning", "ReadResult", "Reader"]


class PlanReadWarning(UserWarning):
    """Something in an imported file that could not be mapped to the plan format."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@attrs.frozen
class ReadResult:
    """What a reader returns: plain plan data, where it came from, and what it left out.

    :param data: the plan as plain data (dicts, lists, text, numbers) in the plan format.
    :param source: a :class:`~techdiversity.sourcemap.SourceMap` from JSON pointers of
        ``data`` to places in the file, so that errors and findings point into it.
    :param notes: one :class:`~techdiversity.errors.Diagnostic` for each thing of the
        file that could not be mapped into the plan: shown to the user, never dropped
        silently.
    """

    data: Any
    source: SourceMap
    notes: tuple[Diagnostic, ...] = ()


@attrs.frozen
class Reader:
    """A registered reader: ``function(content, path)`` with bytes in, :class:`ReadResult` out.

    :param name: a slug, unique across plugins; not ``yaml``, ``json`` or ``toml``.
    :param title: one line for listings.
    :param suffixes: the file suffixes it reads, with their dot (``(".xlsx",)``):
        ``techdiversity.load`` picks the reader by the file's suffix.
    :param function: reads the file's bytes (and its path, or None) into a
        :class:`ReadResult`; raises :class:`~techdiversity.PlanError` for a file it
        cannot read, with the places of the problems.
    :param description: a paragraph for the exporter reference page.
    :param plugin: set by the host to the plugin that contributed it.
    """

    name: str
    title: str
    suffixes: tuple[str, ...]
    function: Callable[[bytes, str | None], ReadResult] = attrs.field(eq=False, repr=False)
    description: str = ""
    plugin: str = "techdiversity"
