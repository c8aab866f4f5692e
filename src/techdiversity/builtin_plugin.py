"""The built-in plugin: the library's own checks and rubrics, registered like any third party's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .checks import Check, builtin_checks
from .hookspecs import hookimpl

if TYPE_CHECKING:
    from .exporters import Exporter
    from .readers import Reader
    from .rubrics import Rubric


@hookimpl
def techdiversity_checks() -> Sequence[Check]:
    """The built-in coherence checks (TD100 to TD600)."""
    return builtin_checks()


@hookimpl
def techdiversity_rubrics() -> Sequence[Rubric]:
    """The built-in rubrics: urbact-iap, integration, testing-actions, diversity-inclusion."""
    from .rubrics.builtin import builtin_rubrics

    return builtin_rubrics()


@hookimpl
def techdiversity_exporters() -> Sequence[Exporter]:
    """The built-in exporters (yaml, json, html, markdown, csv, xlsx, iati, schema, dot...)."""
    from .exporters.builtin import builtin_exporters

    return builtin_exporters()


@hookimpl
def techdiversity_readers() -> Sequence[Reader]:
    """The built-in readers of other formats (xlsx, iati)."""
    from .formats.builtin import builtin_readers

    return builtin_readers()
