"""Findings and reports: what the checks say about a plan.

These types are public API: plugin checks return :class:`Finding` objects, and
``check --format json`` prints :meth:`Report.to_json` as ``plan-format.md`` shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs

from .safetext import visible
from .sourcemap import Location

__all__ = ["SEVERITIES", "Finding", "Report", "Severity", "severity_rank"]

Severity = Literal["error", "warning", "info"]

#: Severities, most severe first.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: sort keys, most severe first."""
    return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


def _check_severity(_inst: Any, _attr: Any, value: str) -> None:
    if value not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {value!r}")


@attrs.frozen
class Finding:
    """One thing a check found.

    ``subjects`` are the ids the finding is about; ``pointer`` is the JSON pointer
    of the place in the plan (``/actions/3``); ``location`` is filled in from the
    plan's source map when the plan was read from a file.
    """

    code: str
    severity: Severity = attrs.field(validator=_check_severity)
    message: str
    subjects: tuple[str, ...] = ()
    pointer: str = ""
    location: Location | None = None

    def to_json(self) -> dict[str, Any]:
        """The finding as ``check --format json`` prints it."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "subjects": list(self.subjects),
        }
        if self.location is not None:
            out["location"] = self.location.to_json()
        else:
            out["location"] = None
        out["pointer"] = self.pointer
        return out

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        detail = f" ({self.location.detail})" if self.location is not None and self.location.detail else ""
        # one line whatever the plan holds: what it quotes is shown escaped, never as a line break
        return visible(f"{where}{self.code} {self.severity} {self.message}{detail}")


@attrs.frozen(repr=False)
class Report:
    """The findings of all checks on one plan, sorted by place then code.

    ``repr()`` is a one-line summary; in a notebook it shows as a table (``_repr_html_``).
    """

    plan_id: str
    path: str | None
    findings: tuple[Finding, ...] = ()

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __repr__(self) -> str:
        from .display import report_repr

        return report_repr(self)

    def _repr_html_(self) -> str:
        from .display import report_html

        return report_html(self)

    def count(self, severity: str) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return self.count("error") == 0

    def codes(self) -> set[str]:
        """The codes that fired."""
        return {f.code for f in self.findings}

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
        """Keep findings whose code starts with one of ``select`` (all if empty), minus ``ignore``."""
        sel = tuple(select)
        ign = tuple(ignore)
        kept = tuple(
            f for f in self.findings if (not sel or f.code.startswith(sel)) and not (ign and f.code.startswith(ign))
        )
        return attrs.evolve(self, findings=kept)

    def to_json(self) -> dict[str, Any]:
        """One entry of ``plans`` in ``check --format json``."""
        return {"path": self.path, "plan": self.plan_id, "findings": [f.to_json() for f in self.findings]}
