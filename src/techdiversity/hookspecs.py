"""The plugin contract: pluggy hook specifications of the ``techdiversity`` project.

This module is public API for plugin authors. Hooks are only ever added to: an
argument is never renamed or removed, and each hook says in which version it came.
A plugin registers through the ``techdiversity`` entry-point group, e.g. in its
``pyproject.toml``::

    [project.entry-points.techdiversity]
    my_plugin = "my_package.plugin"

and implements hooks with :data:`hookimpl`::

    from techdiversity.hookspecs import hookimpl

    @hookimpl
    def techdiversity_checks():
        return [my_check]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .checks import Check
    from .exporters import Exporter
    from .readers import Reader
    from .rubrics import Rubric

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name and the entry-point group.
PROJECT = "techdiversity"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def techdiversity_checks() -> Sequence[Check]:
    """Contribute coherence checks.

    :return: a sequence of :class:`techdiversity.checks.Check`; codes must be unique
        across all plugins (use your own prefix, e.g. ``XY100``).

    .. versionadded:: 0.1.0
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called


@hookspec
def techdiversity_rubrics() -> Sequence[Rubric]:
    """Contribute rubrics.

    :return: a sequence of :class:`techdiversity.rubrics.Rubric`; rubric names must be
        unique across all plugins.

    .. versionadded:: 0.1.0
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called


@hookspec
def techdiversity_exporters() -> Sequence[Exporter]:
    """Contribute export formats.

    :return: a sequence of :class:`techdiversity.exporters.Exporter`; names must be
        unique across all plugins.

    .. versionadded:: 0.1.0
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called


@hookspec
def techdiversity_readers() -> Sequence[Reader]:
    """Contribute readers (importers) of plan files in other formats.

    :return: a sequence of :class:`techdiversity.readers.Reader`; names must be unique
        and must not be ``yaml``, ``json`` or ``toml``.

    .. versionadded:: 0.1.0
    """
    raise NotImplementedError  # pragma: no cover - a spec, never called
