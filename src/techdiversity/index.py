"""A plan's ids and links, indexed once in linear time.

Checks, the graph and the exporters all need the same things: which id is which
kind, where each thing sits in the file, and every link with its place. The index
computes them in one pass, so that no check walks the plan again per node.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import attrs

from .model import SECTIONS, Plan

__all__ = ["LINK_SPECS", "Link", "LinkSpec", "PlanIndex"]


@attrs.frozen
class LinkSpec:
    """One kind of link of the plan format.

    ``owner`` holds the link in its field ``field``; ``rel`` is the edge type in the
    graph; ``targets`` the kinds the link may name. With ``reverse`` the graph edge
    runs from the target to the owner (``lead: S1`` is the edge S1 -leads-> A1).
    """

    owner: str
    section: str
    field: str
    rel: str
    targets: tuple[str, ...]
    reverse: bool = False
    single: bool = False


LINK_SPECS: tuple[LinkSpec, ...] = (
    LinkSpec("problem", "problems", "causes", "causes", ("problem",), reverse=True),
    LinkSpec("problem", "problems", "effects", "causes", ("problem",)),
    LinkSpec("objective", "objectives", "addresses", "addresses", ("problem",)),
    LinkSpec("action", "actions", "contributes_to", "contributes_to", ("objective",)),
    LinkSpec("action", "actions", "lead", "leads", ("stakeholder",), reverse=True, single=True),
    LinkSpec("action", "actions", "partners", "partners", ("stakeholder",), reverse=True),
    LinkSpec("action", "actions", "depends_on", "depends_on", ("action",)),
    LinkSpec("indicator", "indicators", "measures", "measures", ("action", "objective")),
    LinkSpec("risk", "risks", "affects", "threatens", ("action", "objective", "testing_action")),
    LinkSpec("testing_action", "testing_actions", "tests", "tests", ("action",)),
    LinkSpec("meeting", "meetings", "participants", "participates", ("stakeholder",)),
)


@attrs.frozen
class Link:
    """One link as written: ``source`` (an id, or ``meetings[i]``) names ``target``."""

    spec: LinkSpec
    source: str
    target: str
    pointer: str


class PlanIndex:
    """Ids, kinds, places and links of one plan."""

    __slots__ = ("by_id", "incoming", "kind_of", "links", "plan", "pointer_of")

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.kind_of: dict[str, str] = {}
        self.by_id: dict[str, Any] = {}
        self.pointer_of: dict[str, str] = {}
        self.links: list[Link] = []
        #: (field, target id) -> ids of the things whose ``field`` names the target
        self.incoming: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
        for section, kind in SECTIONS:
            for i, item in enumerate(getattr(plan, section)):
                ident = item.id
                if ident not in self.kind_of:  # duplicates are refused by the loader
                    self.kind_of[ident] = kind
                    self.by_id[ident] = item
                    self.pointer_of[ident] = f"/{section}/{i}"
        for spec in LINK_SPECS:
            items = getattr(plan, spec.section)
            for i, item in enumerate(items):
                source = item.id if spec.owner != "meeting" else f"meetings[{i}]"
                value = getattr(item, spec.field)
                if spec.single:
                    if value is not None:
                        self._add(spec, source, value, f"/{spec.section}/{i}/{spec.field}")
                    continue
                for j, target in enumerate(value):
                    self._add(spec, source, target, f"/{spec.section}/{i}/{spec.field}/{j}")

    def _add(self, spec: LinkSpec, source: str, target: str, pointer: str) -> None:
        self.links.append(Link(spec, source, target, pointer))
        self.incoming[(spec.field, target)].append(source)

    def referrers(self, field: str, target: str) -> list[str]:
        """Ids whose ``field`` names ``target`` (``referrers('contributes_to', 'SO1')``)."""
        return self.incoming.get((field, target), [])

    def valid(self, link: Link) -> bool:
        """True when the link names an existing thing of an allowed kind."""
        return self.kind_of.get(link.target) in link.spec.targets
