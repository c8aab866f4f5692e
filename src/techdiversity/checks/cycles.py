"""Cycles in link graphs, reported once per cyclic group with one path each.

``simple_cycles`` can take exponential time, and a cycle search per node is
quadratic. Here: a linear acyclicity test first (Kahn's algorithm); only when it fails,
Tarjan's strongly connected components (iterative, so deep chains cannot exhaust the
stack), and in each cyclic component one cycle found by a walk that stays inside it.
Everything is linear in nodes plus edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

__all__ = ["find_cycles", "strongly_connected_components"]


def _acyclic(edges: Mapping[str, Sequence[str]]) -> bool:
    indegree: dict[str, int] = {}
    for source, targets in edges.items():
        indegree.setdefault(source, 0)
        for t in targets:
            indegree[t] = indegree.get(t, 0) + 1
    ready = [n for n, d in indegree.items() if d == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for t in edges.get(node, ()):
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return seen == len(indegree)


def strongly_connected_components(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion; components in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    nodes: list[str] = list(edges)
    for targets in edges.values():
        nodes.extend(targets)
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work[-1]
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, ())
            if i < len(targets):
                work[-1] = (node, i + 1)
                nxt = targets[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component[::-1])
    return out


def _cycle_in(component: Iterable[str], edges: Mapping[str, Sequence[str]]) -> list[str]:
    members = set(component)
    start = min(members)
    # Walk from the start, always to a member, until a node repeats: that closes a cycle.
    path: list[str] = []
    position: dict[str, int] = {}
    node = start
    while node not in position:
        position[node] = len(path)
        path.append(node)
        node = min(t for t in edges.get(node, ()) if t in members)
    cycle = path[position[node] :]
    # start the reported cycle at its smallest id, so reports are stable
    first = cycle.index(min(cycle))
    return cycle[first:] + cycle[:first]


def find_cycles(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """One cycle (a list of nodes, without repeating the first) per cyclic group."""
    if _acyclic(edges):
        return []
    cycles = []
    for component in strongly_connected_components(edges):
        if len(component) > 1 or component[0] in edges.get(component[0], ()):
            cycles.append(_cycle_in(component, edges))
    return sorted(cycles)
