"""A plan's ids and links, indexed once in linear time.

Checks, the graph and the exporters all need the same things: which id is which
kind, where each thing sits in the file, and every link with its place. The index
computes them in one pass, so that no check walks the plan again per node.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, NamedTuple

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


class Link(NamedTuple):
    """One link as written: ``source`` (an id, or ``meetings[i]``) names ``target``.

    ``item`` is the owner's position in its section, ``position`` the target's place
    in the link list (None for a single-valued link such as ``lead``).
    """

    spec: LinkSpec
    source: str
    target: str
    item: int
    position: int | None

    @property
    def pointer(self) -> str:
        """The JSON pointer of the link as written (``/actions/3/contributes_to/0``)."""
        base = f"/{self.spec.section}/{self.item}/{self.spec.field}"
        return base if self.position is None else f"{base}/{self.position}"


_CACHE: dict[int, tuple[weakref.ref[Plan], PlanIndex]] = {}


def _forget(cache: dict[int, Any], key: int, _ref: object) -> None:
    cache.pop(key, None)


class PlanIndex:
    """Ids, kinds, places and links of one plan."""

    __slots__ = ("_plan", "by_id", "incoming", "kind_of", "links", "pointer_of")

    def __init__(self, plan: Plan) -> None:
        # weak, so that the shared cache of :meth:`of` never keeps a plan alive
        self._plan = weakref.ref(plan)
        self.kind_of: dict[str, str] = {}
        self.by_id: dict[str, Any] = {}
        self.pointer_of: dict[str, str] = {}
        self.links: list[Link] = []
        #: field -> target id -> ids of the things whose ``field`` names the target
        self.incoming: dict[str, dict[str, list[str]]] = {}
        kind_of, by_id, pointer_of = self.kind_of, self.by_id, self.pointer_of
        for section, kind in SECTIONS:
            for i, item in enumerate(getattr(plan, section)):
                ident = item.id
                if ident not in kind_of:  # duplicates are refused by the loader
                    kind_of[ident] = kind
                    by_id[ident] = item
                    pointer_of[ident] = f"/{section}/{i}"
        links = self.links
        append = links.append
        for spec in LINK_SPECS:
            items = getattr(plan, spec.section)
            incoming = self.incoming.setdefault(spec.field, {})
            meeting = spec.owner == "meeting"
            field = spec.field
            for i, item in enumerate(items):
                source = f"meetings[{i}]" if meeting else item.id
                value = getattr(item, field)
                if spec.single:
                    if value is not None:
                        append(Link(spec, source, value, i, None))
                        found = incoming.get(value)
                        if found is None:
                            incoming[value] = [source]
                        else:
                            found.append(source)
                    continue
                for j, target in enumerate(value):
                    append(Link(spec, source, target, i, j))
                    found = incoming.get(target)
                    if found is None:
                        incoming[target] = [source]
                    else:
                        found.append(source)

    @property
    def plan(self) -> Plan | None:
        """The plan indexed (None once nothing else holds it)."""
        return self._plan()

    @classmethod
    def of(cls, plan: Plan) -> PlanIndex:
        """The index of ``plan``, built once and shared while the plan lives.

        Checks, rubrics and exporters of one plan then read one index instead of each
        building their own.
        """
        key = id(plan)
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is plan:
            return hit[1]
        index = cls(plan)
        if len(_CACHE) >= 64:
            _CACHE.clear()
        _CACHE[key] = (weakref.ref(plan, functools.partial(_forget, _CACHE, key)), index)
        return index

    def referrers(self, field: str, target: str) -> list[str]:
        """Ids whose ``field`` names ``target`` (``referrers('contributes_to', 'SO1')``)."""
        return self.incoming.get(field, {}).get(target, [])

    def valid(self, link: Link) -> bool:
        """True when the link names an existing thing of an allowed kind."""
        return self.kind_of.get(link.target) in link.spec.targets
