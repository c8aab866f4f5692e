"""The one exception type of the library, and the diagnostics it carries.

A file that is not a plan is refused as a whole, with every problem found, each
with its place: :class:`PlanError` holds a tuple of :class:`Diagnostic`. The command
line prints one ``path:line:col: message`` line per diagnostic and exits with 2.
"""

from __future__ import annotations

import attrs

from .limits import MAX_QUOTED
from .safetext import visible
from .sourcemap import Location, pointer_to_path

__all__ = ["Diagnostic", "MissingDependencyError", "PlanError"]


@attrs.frozen
class Diagnostic:
    """One reason a file was refused: where, which field, and what is wrong."""

    location: Location
    message: str

    @property
    def field(self) -> str:
        """The field as a reader writes it, e.g. ``actions[3].timescale.end`` ("" at the top)."""
        return pointer_to_path(self.location.pointer)

    def __str__(self) -> str:
        field = self.field
        if len(field) > 2 * MAX_QUOTED:  # a path of keys the file made up: shown only in part
            field = field[: 2 * MAX_QUOTED - 1] + "…"
        detail = f" ({self.location.detail})" if self.location.detail else ""
        # one line whatever the file holds: what it quotes is shown escaped, never as a line break
        return visible(f"{self.location}: {field + ': ' if field else ''}{self.message}{detail}")


class PlanError(ValueError):
    """A file or text could not be read as a plan (or an assessment).

    ``diagnostics`` lists every problem found, in file order, each with its location.
    """

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(
            sorted(diagnostics, key=lambda d: (d.location.line or 0, d.location.column or 0))
        )
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, path: str | None, line: int | None, column: int | None, message: str, pointer: str = "") -> PlanError:
        """A refusal with a single diagnostic."""
        return cls([Diagnostic(Location(path, line, column, pointer), message)])


class MissingDependencyError(ImportError):
    """An optional part is not installed: what needs it, and how to install it.

    ``str()`` is one line a user can act on, e.g. ``validating IATI XML needs lxml,
    which is not installed: pip install 'techdiversity[iati]'``. The command line prints
    it and exits with status 2.
    """

    def __init__(self, purpose: str, module: str, install: str) -> None:
        self.purpose = purpose
        self.module = module
        self.install = install
        super().__init__(f"{purpose} needs {module}, which is not installed: {install}", name=module)
