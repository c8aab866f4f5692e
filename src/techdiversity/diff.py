"""What changed between two versions of a plan.

Plans are followed over years: a ULG meeting adds an action, a consultation moves an
action to another objective, monitoring fills in actuals. :func:`diff` compares two
versions thing by thing, by id (problems, objectives, actions, indicators,
stakeholders, risks, testing actions), meetings by date, and the plan-level sections
(``plan``, ``context``, ``vision``, ``strategic_goal``, ``integration``,
``implementation``) field by field. Links are compared as sets per thing and field,
so "A3 now contributes to SO2 instead of SO1" is one moved link. The findings of the
checks on both versions show what the edit fixed and what it broke.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from .dates import PartialDate
from .findings import Finding, Report
from .index import LINK_SPECS
from .model import SECTIONS, Meeting, Plan

__all__ = ["FieldChange", "ItemChange", "ItemRef", "LinkChange", "PlanDiff", "diff"]

#: Link fields per plan section (``actions`` -> ``contributes_to``, ``lead``...).
_LINK_FIELDS: dict[str, tuple[str, ...]] = {}
for _spec in LINK_SPECS:
    _LINK_FIELDS[_spec.section] = (*_LINK_FIELDS.get(_spec.section, ()), _spec.field)

_ALL_SECTIONS: tuple[tuple[str, str], ...] = (*SECTIONS, ("meetings", "meeting"))


def _plain(value: Any) -> Any:
    """A model value as JSON-ready data (tuples as lists, dates as written)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, PartialDate):
        return value.to_raw()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if attrs.has(type(value)):
        from .convert import unstructure

        return _plain(unstructure(value))
    return str(value)


@attrs.frozen
class FieldChange:
    """A field whose value changed: ``field`` is a dotted path (``target.value``)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": _plain(self.old), "new": _plain(self.new)}


@attrs.frozen
class ItemRef:
    """A thing added or removed: its kind, id (a meeting's date) and a readable label."""

    kind: str
    id: str
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@attrs.frozen
class ItemChange:
    """A thing in both versions whose own fields changed (links are in :class:`LinkChange`)."""

    kind: str
    id: str
    fields: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "fields": [f.to_json() for f in self.fields]}


@attrs.frozen
class LinkChange:
    """The links of one field of one thing: targets ``removed`` and ``added``.

    ``moved`` when both are there: ``A3 contributes_to: SO1 -> SO2``.
    """

    kind: str
    source: str
    field: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        return bool(self.removed) and bool(self.added)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "field": self.field,
            "removed": list(self.removed),
            "added": list(self.added),
            "moved": self.moved,
        }


def _finding_key(f: Finding) -> tuple[str, tuple[str, ...], str]:
    return (f.code, f.subjects, f.message)


@attrs.frozen
class PlanDiff:
    """The differences between an old and a new version of a plan.

    ``plan`` holds plan-level field changes; ``added``, ``removed`` and ``changed`` the
    things of the sections (by id; meetings by date); ``links`` the link changes of
    things in both versions; ``appeared`` and ``resolved`` the findings of the checks
    that are new in the new version or gone from it (matched by code, subjects and
    message).
    """

    old_id: str
    new_id: str
    old_path: str | None = None
    new_path: str | None = None
    plan: tuple[FieldChange, ...] = ()
    added: tuple[ItemRef, ...] = ()
    removed: tuple[ItemRef, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    links: tuple[LinkChange, ...] = ()
    appeared: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the two versions hold the same plan and the same findings."""
        return not (
            self.plan or self.added or self.removed or self.changed or self.links or self.appeared or self.resolved
        )

    @property
    def moved(self) -> tuple[LinkChange, ...]:
        """Link changes where targets were both removed and added (a link moved)."""
        return tuple(c for c in self.links if c.moved)

    def links_added(self) -> Iterator[tuple[str, str, str]]:
        """Every added link as (source, field, target)."""
        for c in self.links:
            for target in c.added:
                yield c.source, c.field, target

    def links_removed(self) -> Iterator[tuple[str, str, str]]:
        """Every removed link as (source, field, target)."""
        for c in self.links:
            for target in c.removed:
                yield c.source, c.field, target

    def summary(self) -> dict[str, int]:
        """How many changes of each sort."""
        return {
            "plan_fields": len(self.plan),
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "links_added": sum(1 for _ in self.links_added()),
            "links_removed": sum(1 for _ in self.links_removed()),
            "links_moved": len(self.moved),
            "findings_appeared": len(self.appeared),
            "findings_resolved": len(self.resolved),
        }

    def to_json(self) -> dict[str, Any]:
        """The document ``techdiversity diff --format json`` prints."""
        return {
            "old": {"plan": self.old_id, "path": self.old_path},
            "new": {"plan": self.new_id, "path": self.new_path},
            "plan": [c.to_json() for c in self.plan],
            "added": [r.to_json() for r in self.added],
            "removed": [r.to_json() for r in self.removed],
            "changed": [c.to_json() for c in self.changed],
            "links": [c.to_json() for c in self.links],
            "findings": {
                "appeared": [f.to_json() for f in self.appeared],
                "resolved": [f.to_json() for f in self.resolved],
            },
            "summary": self.summary(),
        }

    def to_text(self, width: int = 100) -> str:
        """A readable account of the changes, one line per change."""
        out = [f"{self.old_path or self.old_id} -> {self.new_path or self.new_id}"]
        if self.empty:
            out.append("no changes")
            return _lines(out)
        if self.plan:
            out.append("\nPlan")
            out += [f"  ~ {c.field}: {_show(c.old, width)} -> {_show(c.new, width)}" for c in self.plan]
        if self.added:
            out.append("\nAdded")
            out += [f"  + {r.kind} {r.id}" + (f": {r.label}" if r.label else "") for r in self.added]
        if self.removed:
            out.append("\nRemoved")
            out += [f"  - {r.kind} {r.id}" + (f": {r.label}" if r.label else "") for r in self.removed]
        if self.changed:
            out.append("\nChanged")
            for item in self.changed:
                out.append(f"  ~ {item.kind} {item.id}")
                out += [f"      {c.field}: {_show(c.old, width)} -> {_show(c.new, width)}" for c in item.fields]
        if self.links:
            out.append("\nLinks")
            for c in self.links:
                head = f"{c.kind} {c.source} {c.field}"
                if c.moved:
                    out.append(f"  ~ {head}: {', '.join(c.removed)} -> {', '.join(c.added)} (moved)")
                elif c.added:
                    out.append(f"  + {head}: {', '.join(c.added)}")
                else:
                    out.append(f"  - {head}: {', '.join(c.removed)}")
        for title, mark, findings in (
            ("Findings appeared", "+", self.appeared),
            ("Findings resolved", "-", self.resolved),
        ):
            if findings:
                out.append(f"\n{title}")
                out += [f"  {mark} {f}" for f in findings]
        counts = self.summary()
        out.append("\n" + "; ".join(f"{k.replace('_', ' ')}: {n}" for k, n in counts.items() if n))
        return _lines(out)


def _lines(out: list[str]) -> str:
    """The lines as text, each one line whatever the plans hold (a blank line before a heading kept)."""
    from .safetext import visible

    return "".join(("\n" if line.startswith("\n") else "") + visible(line.removeprefix("\n")) + "\n" for line in out)


def _show(value: Any, width: int) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------
# Comparing


def _compare(path: str, old: Any, new: Any, out: list[FieldChange], skip: Sequence[str] = ()) -> None:
    """Field changes between two values; attrs objects and dicts are compared field by field."""
    if old == new:
        return
    if type(old) is type(new) and attrs.has(type(old)) and not isinstance(old, PartialDate):
        for a in attrs.fields(type(old)):
            if a.name in skip or a.name == "source" or not a.eq:
                continue
            _compare(_join(path, a.name), getattr(old, a.name), getattr(new, a.name), out)
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            _compare(_join(path, str(key)), old.get(key), new.get(key), out)
        return
    out.append(FieldChange(path, old, new))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _integration_view(plan: Plan) -> Any:
    """Integration with aspects keyed by slug, so a reordered list is no change."""
    if plan.integration is None:
        return None
    return {"types": dict(plan.integration.types), "aspects": {a.aspect: a for a in plan.integration.aspects}}


def _plan_fields(old: Plan, new: Plan) -> list[FieldChange]:
    out: list[FieldChange] = []
    if old.format != new.format:
        out.append(FieldChange("format", old.format, new.format))
    _compare("plan", old.plan, new.plan, out)
    _compare("context", old.context, new.context, out)
    _compare("vision", old.vision, new.vision, out)
    _compare("strategic_goal", old.strategic_goal, new.strategic_goal, out)
    _compare("integration", _integration_view(old), _integration_view(new), out)
    _compare("implementation", old.implementation, new.implementation, out)
    return out


def _label(item: Any) -> str:
    for name in ("title", "name", "statement", "description", "challenge", "topic"):
        text = getattr(item, name, None)
        if text:
            return " ".join(str(text).split())
    return ""


def _meetings(meetings: Sequence[Meeting]) -> dict[str, Meeting]:
    """Meetings keyed by date (``2024-06-14``; a second one that day ``2024-06-14#2``)."""
    out: dict[str, Meeting] = {}
    for m in meetings:
        key, n = str(m.date), 2
        while key in out:
            key, n = f"{m.date}#{n}", n + 1
        out[key] = m
    return out


def _keyed(plan: Plan, section: str) -> dict[str, Any]:
    if section == "meetings":
        return _meetings(plan.meetings)
    return {item.id: item for item in getattr(plan, section)}


def _pair_meetings(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """Meetings whose date changed: unmatched old and new meetings at the same position."""
    old_pos = {key: i for i, key in enumerate(old)}
    new_pos = {key: i for i, key in enumerate(new)}
    gone = {old_pos[k]: k for k in old if k not in new}
    came = {new_pos[k]: k for k in new if k not in old}
    return [(gone[i], came[i]) for i in sorted(set(gone) & set(came))]


def _links(kind: str, source: str, fields: Sequence[str], old: Any, new: Any) -> list[LinkChange]:
    out = []
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        before_t = (before,) if isinstance(before, str) else tuple(before or ())
        after_t = (after,) if isinstance(after, str) else tuple(after or ())
        removed = tuple(t for t in before_t if t not in after_t)
        added = tuple(t for t in after_t if t not in before_t)
        if removed or added:
            out.append(LinkChange(kind, source, name, removed, added))
    return out


def diff(old: Plan, new: Plan, *, findings: bool = True, reports: tuple[Report, Report] | None = None) -> PlanDiff:
    """Compare two versions of a plan (see the module docs).

    With ``findings`` the checks run on both versions (or ``reports``, the two
    :class:`~techdiversity.Report` objects already at hand, are used).
    """
    added: list[ItemRef] = []
    removed: list[ItemRef] = []
    changed: list[ItemChange] = []
    links: list[LinkChange] = []
    for section, kind in _ALL_SECTIONS:
        before, after = _keyed(old, section), _keyed(new, section)
        link_fields = _LINK_FIELDS.get(section, ())
        pairs = [(k, k) for k in after if k in before]
        if section == "meetings":
            pairs += _pair_meetings(before, after)
            order = {k: i for i, k in enumerate(after)}
            pairs.sort(key=lambda p: order[p[1]])
        paired_old = {a for a, _ in pairs}
        paired_new = {b for _, b in pairs}
        added += [ItemRef(kind, k, _label(v)) for k, v in after.items() if k not in paired_new]
        removed += [ItemRef(kind, k, _label(v)) for k, v in before.items() if k not in paired_old]
        for a, b in pairs:
            fields: list[FieldChange] = []
            skip = ("id", *link_fields)
            _compare("", before[a], after[b], fields, skip=skip)
            key = b if a == b else f"{a} -> {b}"
            if fields:
                changed.append(ItemChange(kind, key, tuple(fields)))
            links += _links(kind, key, link_fields, before[a], after[b])
    appeared: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    if findings or reports is not None:
        if reports is None:
            from .checks import run_checks

            reports = (run_checks(old), run_checks(new))
        old_keys = {_finding_key(f) for f in reports[0]}
        new_keys = {_finding_key(f) for f in reports[1]}
        appeared = tuple(f for f in reports[1] if _finding_key(f) not in old_keys)
        resolved = tuple(f for f in reports[0] if _finding_key(f) not in new_keys)
    return PlanDiff(
        old_id=old.id,
        new_id=new.id,
        old_path=old.source.path if old.source is not None else None,
        new_path=new.source.path if new.source is not None else None,
        plan=tuple(_plan_fields(old, new)),
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        links=tuple(links),
        appeared=appeared,
        resolved=resolved,
    )
