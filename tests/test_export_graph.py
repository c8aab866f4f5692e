"""Graph exports: DOT, Mermaid and GraphML of every example; hostile labels stay inert."""

from __future__ import annotations

import io
import re
from pathlib import Path

import attrs
import networkx as nx
import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity import model
from techdiversity.cli import main
from techdiversity.exporters import export, find_exporter
from techdiversity.exporters.graphfmt import mermaid_id, mermaid_text
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLANS = [None, *EXAMPLES]
PLAN_IDS = ["starter", *(p.stem for p in EXAMPLES)]


def starter() -> model.Plan:
    return td.loads(starter_plan(city="Testville"))


def plan_for(path: Path | None) -> model.Plan:
    return starter() if path is None else td.load(path)


def text_of(plan: model.Plan, fmt: str) -> str:
    out = export(plan, fmt)
    assert isinstance(out, str)
    return out


# ---------------------------------------------------------------------------
# A small reader of the DOT we write: statements of quoted strings, so that the test
# sees exactly what Graphviz would (string boundaries, escapes).

_TOKEN = re.compile(r'\s*(?:(//[^\n]*)|("(?:[^"\\]|\\.)*")|(->|[{}\[\];,=])|([A-Za-z_0-9.#]+))', re.S)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        assert match is not None, f"DOT does not tokenise at {text[pos : pos + 40]!r}"
        pos = match.end()
        comment, quoted, punct, word = match.groups()
        if comment:
            continue
        if quoted is not None:
            assert "\n" not in quoted and "\r" not in quoted
            out.append(("str", re.sub(r"\\(.)", lambda m: m.group(1), quoted[1:-1])))
        elif punct is not None:
            out.append(("punct", punct))
        else:
            out.append(("id", str(word)))
    return out


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Nodes with their attributes and edges with theirs (the subset of DOT we write)."""
    tokens = _tokens(text)
    assert tokens[0] == ("id", "digraph") and tokens[2] == ("punct", "{") and tokens[-1] == ("punct", "}")
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    statement: list[tuple[str, str]] = []
    for token in tokens[3:-1]:
        if token != ("punct", ";"):
            statement.append(token)
            continue
        head, attrs_ = statement, {}
        if ("punct", "[") in statement:
            cut = statement.index(("punct", "["))
            head, body = statement[:cut], statement[cut + 1 :]
            assert body[-1] == ("punct", "]")
            items = [t for t in body[:-1] if t != ("punct", ",")]
            for i in range(0, len(items), 3):
                key, eq, value = items[i : i + 3]
                assert eq == ("punct", "=")
                attrs_[key[1]] = value[1]
        statement = []
        if head[0][0] == "id" and head[0][1] in ("graph", "node", "edge"):
            continue
        if len(head) == 3 and head[1] == ("punct", "->"):
            assert head[0][0] == head[2][0] == "str"
            edges.append((head[0][1], head[2][1], attrs_))
        else:
            assert len(head) == 1 and head[0][0] == "str", head
            nodes[head[0][1]] = attrs_
    assert not statement
    return nodes, edges


# ---------------------------------------------------------------------------
# Every example, every format


@pytest.mark.parametrize("path", PLANS, ids=PLAN_IDS)
def test_dot_has_every_node_and_edge(path: Path | None) -> None:
    plan = plan_for(path)
    g = td.graph(plan)
    nodes, edges = parse_dot(text_of(plan, "dot"))
    assert {n: a["kind"] for n, a in nodes.items()} == dict(g.nodes(data="kind"))
    assert {(u, v, a["rel"]) for u, v, a in edges} == set(g.edges(data="rel"))
    assert all(a["label"] == a["rel"] for _, _, a in edges)
    shapes = {a["kind"]: a["shape"] for a in nodes.values()}
    assert len(set(shapes.values())) >= len(shapes) - 1  # kinds look different (actions: rounded boxes)


@pytest.mark.parametrize("path", PLANS, ids=PLAN_IDS)
def test_mermaid_flowchart_with_subgraphs(path: Path | None) -> None:
    plan = plan_for(path)
    g = td.graph(plan)
    text = text_of(plan, "mermaid")
    lines = text.splitlines()
    assert lines[1] == "flowchart LR"
    kinds = {k for _, k in g.nodes(data="kind")}
    assert sum(1 for line in lines if line.strip().startswith("subgraph ")) == len(kinds)
    assert sum(1 for line in lines if line.strip() == "end") == len(kinds)
    for node in g.nodes:
        assert re.search(rf"^\s+{re.escape(mermaid_id(node))}\W", text, re.M), node
    edge_lines = [line for line in lines if '|"' in line]
    assert len(edge_lines) == g.number_of_edges()
    for u, v, rel in g.edges(data="rel"):
        assert any(
            line.split()[0] == mermaid_id(u) and line.split()[-1] == mermaid_id(v) and f'|"{rel}"|' in line
            for line in edge_lines
        )


@pytest.mark.parametrize("path", PLANS, ids=PLAN_IDS)
def test_graphml_reads_back_with_networkx(path: Path | None) -> None:
    plan = plan_for(path)
    g = td.graph(plan)
    text = text_of(plan, "graphml")
    h = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert isinstance(h, nx.DiGraph)
    assert set(h.nodes) == set(g.nodes)
    assert set(h.edges) == set(g.edges)
    assert dict(h.nodes(data="kind")) == dict(g.nodes(data="kind"))
    assert dict(h.nodes(data="label")) == dict(g.nodes(data="label"))
    assert dict(h.nodes(data="pointer")) == dict(g.nodes(data="pointer"))
    assert {(u, v): r for u, v, r in h.edges(data="rel")} == {(u, v): r for u, v, r in g.edges(data="rel")}
    assert h.graph["plan"] == plan.id
    for _, data in h.nodes(data=True):
        assert set(data) == {"kind", "label", "pointer"}  # not the model object


def test_exporters_are_registered() -> None:
    assert find_exporter("dot").suffix == ".dot"
    assert find_exporter("mermaid").suffix == ".mmd"
    assert find_exporter("graphml").suffix == ".graphml"


# ---------------------------------------------------------------------------
# Hostile labels and ids

HOSTILE = (
    'Say "hi" <b>bold</b> [x] {y} (z) | end\nnext; line %% comment # #quot; `tick` \\ back\\"slash '
    "\x1b[31m and \x0b ]]> & שלום 中文"
)


def hostile_plan() -> model.Plan:
    plan = starter()
    objective = attrs.evolve(plan.objectives[0], title=HOSTILE)
    problem = attrs.evolve(plan.problems[0], statement='end"; A1 --> SO1 ["pwned"]')
    return attrs.evolve(plan, objectives=(objective,), problems=(problem, *plan.problems[1:]))


def test_dot_escapes_hostile_labels() -> None:
    plan = hostile_plan()
    text = text_of(plan, "dot")
    nodes, edges = parse_dot(text)  # still tokenises: no label ends its string early
    assert set(nodes) == set(td.graph(plan).nodes)
    so1 = nodes["SO1"]
    assert so1["kind"] == "objective"
    # the tooltip holds the whole text: newlines as the \n escape, control characters visible
    expected = HOSTILE.replace("\x1b", "\u241b").replace("\x0b", "\u240b").replace("\n", "n")
    assert so1["tooltip"] == expected
    assert "\x1b" not in text and "\x0b" not in text
    assert nodes["P1"]["tooltip"] == 'end"; A1 --> SO1 ["pwned"]'
    assert len(edges) == td.graph(plan).number_of_edges()


def test_mermaid_escapes_hostile_labels() -> None:
    plan = hostile_plan()
    text = text_of(plan, "mermaid")
    line = next(line for line in text.splitlines() if line.strip().startswith(mermaid_id("SO1")))
    opening, closing = '(["', '"])'
    assert line.strip().startswith(mermaid_id("SO1") + opening) and line.endswith(closing)
    inner = line.strip()[len(mermaid_id("SO1") + opening) : -len(closing)]
    for raw in ('"', "<", ">", "`", "|", "\n", "\x1b", "\x0b"):
        assert raw not in inner
    assert "%%" not in inner
    assert "#quot;hi#quot;" in inner and "#lt;b#gt;bold#lt;/b#gt;" in inner
    assert "#35;quot;" in inner  # a literal "#quot;" in the text is not an entity
    assert "שלום" in inner and "中文" in inner
    assert "\u241b" in inner and "\u240b" in inner
    # the problem trying to close its label and add an edge stays one node line
    p1 = next(line for line in text.splitlines() if line.strip().startswith(mermaid_id("P1")))
    assert p1.strip() == f'{mermaid_id("P1")}["P1: end#quot;; A1 --#gt; SO1 [#quot;pwned#quot;]"]'
    assert sum(1 for line in text.splitlines() if "-->" in line or "-.->" in line or "==>" in line) == (
        td.graph(plan).number_of_edges()
    )


def test_mermaid_ids_are_safe_and_distinct() -> None:
    ids = ["A1", "A.1", "A-1", "A_1", "A:1", "end", "o1", "x1", "graph", "A_2e_1"]
    made = [mermaid_id(i) for i in ids]
    assert len(set(made)) == len(ids)
    assert all(re.fullmatch(r"n_[A-Za-z0-9_]+", m) for m in made)
    assert mermaid_text('a"b<c>d&e#f') == "a#quot;b#lt;c#gt;d#amp;e#35;f"


def test_mermaid_with_unusual_ids() -> None:
    plan = starter()
    odd = "A.1:x-y_z"
    action = attrs.evolve(plan.actions[0], id=odd)
    indicators = tuple(
        attrs.evolve(i, measures=tuple(odd if m == "A1" else m for m in i.measures)) for i in plan.indicators
    )
    risks = tuple(attrs.evolve(r, affects=(odd,)) for r in plan.risks)
    tests = tuple(attrs.evolve(t, tests=(odd,)) for t in plan.testing_actions)
    plan = attrs.evolve(plan, actions=(action,), indicators=indicators, risks=risks, testing_actions=tests)
    text = text_of(plan, "mermaid")
    assert mermaid_id(odd) in text
    assert "A.1:x-y_z: Women in tech day" in text
    for line in text.splitlines()[2:]:
        stripped = line.strip()
        if stripped.startswith(("subgraph", "end", "classDef", "class ")):
            continue
        assert re.match(r"^n_[A-Za-z0-9_]+", stripped), line


def test_graphml_keeps_hostile_labels() -> None:
    plan = hostile_plan()
    text = text_of(plan, "graphml")
    h = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert h.nodes["SO1"]["label"] == HOSTILE.replace("\x1b", "\u241b").replace("\x0b", "\u240b")
    assert "<b>" not in text


# ---------------------------------------------------------------------------
# The command line


def test_cli_export_to_dot(starter_file: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(starter_file), "--to", "dot"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('digraph "testville-iap" {')
    nodes, _ = parse_dot(result.stdout)
    assert "A1" in nodes


def test_cli_export_mermaid_and_graphml_to_files(tmp_path: Path, starter_file: Path) -> None:
    for fmt, suffix in (("mermaid", ".mmd"), ("graphml", ".graphml")):
        out = tmp_path / f"plan{suffix}"
        result = CliRunner().invoke(main, ["export", str(starter_file), "--to", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert nx.read_graphml(tmp_path / "plan.graphml").number_of_nodes() == 10
