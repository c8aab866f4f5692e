"""techdiversity.graph(): typed nodes and edges, dangling links left out."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

import techdiversity as td
from techdiversity.graphs import EDGE_RELS, NODE_KINDS


def test_graph_schema(starter_file: Path) -> None:
    plan = td.load(starter_file)
    g = td.graph(plan)
    assert isinstance(g, nx.DiGraph)
    assert g.graph["plan"] == plan.id
    kinds = dict(g.nodes(data="kind"))
    assert kinds == {
        "P1": "problem",
        "P2": "problem",
        "SO1": "objective",
        "A1": "action",
        "I1": "indicator",
        "I2": "indicator",
        "S1": "stakeholder",
        "S2": "stakeholder",
        "R1": "risk",
        "T1": "testing_action",
    }
    assert set(kinds.values()) <= set(NODE_KINDS)
    edges = {(u, v, r) for u, v, r in g.edges(data="rel")}
    assert edges == {
        ("P2", "P1", "causes"),
        ("SO1", "P1", "addresses"),
        ("SO1", "P2", "addresses"),
        ("A1", "SO1", "contributes_to"),
        ("I1", "A1", "measures"),
        ("I2", "SO1", "measures"),
        ("S1", "A1", "leads"),
        ("S2", "A1", "partners"),
        ("R1", "A1", "threatens"),
        ("T1", "A1", "tests"),
    }
    assert {r for _, _, r in edges} <= set(EDGE_RELS)
    node = g.nodes["A1"]
    assert node["label"] == "Women in tech day"
    assert node["pointer"] == "/actions/0"
    assert node["item"] is plan.actions[0]


def test_dangling_and_wrong_kind_links_are_not_edges(starter_file: Path) -> None:
    text = starter_file.read_text("utf-8").replace("contributes_to: [SO1]", "contributes_to: [SO1, SO9, P1]")
    plan = td.loads(text)
    g = td.graph(plan)
    assert "SO9" not in g
    assert not g.has_edge("A1", "P1")
    assert g.has_edge("A1", "SO1")


def test_logic_chain_reachability(starter_file: Path) -> None:
    """A researcher's question: which actions reach the core problem?"""
    plan = td.load(starter_file)
    g = td.graph(plan)
    core = next(p.id for p in plan.problems if p.core)
    logic = g.edge_subgraph([(u, v) for u, v, r in g.edges(data="rel") if r in ("contributes_to", "addresses")])
    actions = [n for n, k in g.nodes(data="kind") if k == "action"]
    assert all(nx.has_path(logic, a, core) for a in actions)


def test_two_links_between_one_pair_keep_both_rels(starter_file: Path) -> None:
    text = starter_file.read_text("utf-8").replace("partners: [S2]", "partners: [S2, S1]")
    g = td.graph(td.loads(text))
    assert g.edges["S1", "A1"]["rel"] == "leads"
    assert g.edges["S1", "A1"]["rels"] == "leads partners"
    assert g.edges["S2", "A1"]["rels"] == "partners"


def test_the_shared_index_never_keeps_a_plan_alive(starter_file: Path) -> None:
    import gc
    import weakref

    from techdiversity import index

    plan = td.load(starter_file)
    first = index.PlanIndex.of(plan)
    assert index.PlanIndex.of(plan) is first  # built once, shared by checks, rubrics, exporters
    ref = weakref.ref(plan)
    del plan, first
    gc.collect()
    assert ref() is None
    assert all(entry[0]() is not None for entry in index._CACHE.values())
