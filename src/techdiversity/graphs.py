"""A plan as a networkx directed graph: the researcher's entry point.

Nodes are the plan's ids, with the attribute ``kind`` (problem, objective, action,
indicator, stakeholder, risk, testing_action), ``label`` (the title, name or
statement), ``pointer`` (where it is in the file) and ``item`` (the model object).

Edges carry ``rel``, and run in the direction the words read:

=================  ===========================  ==========================
``rel``            edge                          written in the plan as
=================  ===========================  ==========================
``causes``         problem -> problem            ``causes`` / ``effects``
``addresses``      objective -> problem          ``addresses``
``contributes_to`` action -> objective           ``contributes_to``
``measures``       indicator -> action|objective ``measures``
``depends_on``     action -> action              ``depends_on``
``leads``          stakeholder -> action         action ``lead``
``partners``       stakeholder -> action         action ``partners``
``threatens``      risk -> action|objective|... ``affects``
``tests``          testing_action -> action      ``tests``
=================  ===========================  ==========================

Links to ids that do not exist, or to things of the wrong kind, are left out of the
graph (the checks report them); meetings are not nodes. When two links join the same
pair (a stakeholder who both leads and partners an action), the edge's ``rel`` is the
first and ``rels`` names them all, space-separated (``"leads partners"``), so that the
graph stays writable as GraphML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .index import PlanIndex
from .model import Plan

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EDGE_RELS", "NODE_KINDS", "graph"]

NODE_KINDS: tuple[str, ...] = (
    "problem",
    "objective",
    "action",
    "indicator",
    "stakeholder",
    "risk",
    "testing_action",
)

EDGE_RELS: tuple[str, ...] = (
    "causes",
    "addresses",
    "contributes_to",
    "measures",
    "depends_on",
    "leads",
    "partners",
    "threatens",
    "tests",
)


def _label(item: Any) -> str:
    for attr in ("title", "name", "statement", "description", "idea", "challenge"):
        value = getattr(item, attr, None)
        if value:
            return str(value)
    return str(item.id)


def graph(plan: Plan, index: PlanIndex | None = None) -> nx.DiGraph[str]:
    """Build the graph of a plan (once; the plan is frozen, so keep the result)."""
    import networkx as nx

    idx = index if index is not None else PlanIndex.of(plan)
    g: nx.DiGraph[str] = nx.DiGraph(plan=plan.id)
    g.add_nodes_from(
        (ident, {"kind": idx.kind_of[ident], "label": _label(item), "pointer": idx.pointer_of[ident], "item": item})
        for ident, item in idx.by_id.items()
    )
    rels: dict[tuple[str, str], list[str]] = {}
    for link in idx.links:
        if link.spec.owner == "meeting" or not idx.valid(link):
            continue
        pair = (link.target, link.source) if link.spec.reverse else (link.source, link.target)
        found = rels.setdefault(pair, [])
        if link.spec.rel not in found:
            found.append(link.spec.rel)
    g.add_edges_from((u, v, {"rel": r[0], "rels": " ".join(r)}) for (u, v), r in rels.items())
    return g
