"""The plan's graph (:func:`techdiversity.graphs.graph`) as Graphviz DOT, Mermaid or GraphML.

All three are built from the same graph: nodes are the plan's problems, objectives,
actions, indicators, stakeholders, risks and testing actions (``kind``, ``label``,
``pointer``); edges carry ``rel`` (``causes``, ``addresses``, ``contributes_to``...).

``dot``
    A ``digraph`` for Graphviz (``dot -Tsvg plan.dot``): one shape and colour per kind,
    edges labelled with their ``rel``. Every id and label is a quoted, escaped DOT
    string (``"`` and ``\\`` escaped, line breaks as ``\\n``), so no label can end a
    string or inject attributes; the full label is also the node's tooltip.
``mermaid``
    A ``flowchart LR`` with one ``subgraph`` per kind, for Markdown renderers that
    draw Mermaid. Ids become Mermaid-safe identifiers (``n_`` followed by letters,
    digits and ``_xx_`` hex escapes, so two ids never collide and none is a keyword);
    labels are quoted and written with Mermaid's entity codes (``#quot;``, ``#lt;``,
    ``#gt;``, ``#amp;``, ``#35;``...), so no raw ``"``, ``<`` or ``>`` of a label
    reaches the diagram; line breaks become spaces.
``graphml``
    GraphML (for Gephi, Cytoscape, yEd) written by ``networkx.write_graphml_xml``:
    node attributes ``kind``, ``label`` and ``pointer`` (not the model object), edge
    attribute ``rel``, graph attribute ``plan``. ``networkx.read_graphml`` reads it back.

Characters that XML 1.0 forbids are written as their visible control pictures
(``\\x1b`` becomes ``\\u241b`` ␛) in all three formats.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from typing import Any

import attrs

from ..formats.iati.writer import xml_text
from ..graphs import NODE_KINDS, graph
from . import ExportContext, Exporter

__all__ = ["EXPORTERS", "KIND_STYLES", "KindStyle", "dot_quote", "mermaid_id", "mermaid_text"]


@attrs.frozen
class KindStyle:
    """How one kind of node is drawn."""

    title: str
    fill: str
    stroke: str
    dot_shape: str
    mermaid_open: str
    mermaid_close: str
    dot_style: str = "filled"


KIND_STYLES: Mapping[str, KindStyle] = {
    "problem": KindStyle("Problems", "#f8d7da", "#a61b29", "box", '["', '"]'),
    "objective": KindStyle("Objectives", "#d1e7dd", "#146c43", "ellipse", '(["', '"])'),
    "action": KindStyle("Actions", "#cfe2ff", "#084298", "box", '("', '")', "rounded,filled"),
    "indicator": KindStyle("Indicators", "#fff3cd", "#997404", "parallelogram", '[/"', '"/]'),
    "stakeholder": KindStyle("Stakeholders", "#e2d9f3", "#59359a", "hexagon", '{{"', '"}}'),
    "risk": KindStyle("Risks", "#ffe5d0", "#984c0c", "octagon", '>"', '"]'),
    "testing_action": KindStyle("Testing actions", "#d2f4ea", "#0d6e5a", "component", '[["', '"]]'),
}

_DEFAULT_STYLE = KindStyle("Other", "#eeeeee", "#555555", "box", '["', '"]')

#: Edge rel -> (DOT attributes, Mermaid arrow).
_EDGE_STYLES: Mapping[str, tuple[str, str]] = {
    "causes": ('color="#a61b29"', "-->"),
    "addresses": ('color="#146c43"', "-->"),
    "contributes_to": ('color="#084298"', "-->"),
    "measures": ('color="#997404", style=dashed', "-.->"),
    "depends_on": ('color="#555555", style=dashed', "-.->"),
    "leads": ('color="#59359a", penwidth=2', "==>"),
    "partners": ('color="#59359a"', "-->"),
    "threatens": ('color="#984c0c", style=dashed', "-.->"),
    "tests": ('color="#0d6e5a"', "-->"),
}

_WRAP = 28
_MAX_LABEL = 160


def _style(kind: str) -> KindStyle:
    return KIND_STYLES.get(kind, _DEFAULT_STYLE)


def _short(text: str) -> str:
    """One line of at most ``_MAX_LABEL`` characters (control characters made visible first)."""
    text = " ".join(xml_text(text).split())
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _kinds_in_order(g: Any) -> list[str]:
    present = {kind for _, kind in g.nodes(data="kind")}
    return [k for k in NODE_KINDS if k in present] + sorted(present - set(NODE_KINDS))


# ---------------------------------------------------------------------------
# Graphviz DOT


def dot_quote(text: str) -> str:
    """``text`` as a quoted DOT string; line breaks become the ``\\n`` label escape."""
    text = xml_text(text)
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot_label(ident: str, label: str) -> str:
    lines = [ident]
    if label and label != ident:
        lines.extend(textwrap.wrap(_short(label), _WRAP) or [""])
    return "\n".join(lines)


def export_dot(ctx: ExportContext) -> str:
    """The plan's graph as a Graphviz ``digraph``."""
    plan = ctx.plan
    g = graph(plan, ctx.index)
    title = plan.plan.title or plan.plan.city or plan.id
    out = [
        f"digraph {dot_quote(plan.id)} {{",
        f"  graph [rankdir=LR, label={dot_quote(title)}, labelloc=t, fontname=Helvetica, fontsize=14];",
        "  node [fontname=Helvetica, fontsize=10, style=filled, penwidth=1.2];",
        "  edge [fontname=Helvetica, fontsize=8];",
    ]
    for kind in _kinds_in_order(g):
        style = _style(kind)
        out.append("")
        out.append(f"  // {style.title}")
        for node, data in g.nodes(data=True):
            if data["kind"] != kind:
                continue
            label = str(data.get("label") or "")
            attrs_ = [
                f"label={dot_quote(_dot_label(str(node), label))}",
                f"tooltip={dot_quote(label)}",
                f"shape={style.dot_shape}",
                f"style={dot_quote(style.dot_style)}",
                f"fillcolor={dot_quote(style.fill)}",
                f"color={dot_quote(style.stroke)}",
                f"kind={dot_quote(kind)}",
                f"pointer={dot_quote(str(data.get('pointer') or ''))}",
            ]
            out.append(f"  {dot_quote(str(node))} [{', '.join(attrs_)}];")
    if g.number_of_edges():
        out.append("")
    for source, target, rel in g.edges(data="rel"):
        extra, _ = _EDGE_STYLES.get(rel, ("", "-->"))
        attrs_ = [f"label={dot_quote(str(rel))}", f"rel={dot_quote(str(rel))}"]
        if extra:
            attrs_.append(extra)
        out.append(f"  {dot_quote(str(source))} -> {dot_quote(str(target))} [{', '.join(attrs_)}];")
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Mermaid

_MERMAID_ENTITIES: Mapping[str, str] = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "#": "#35;",
    "`": "#96;",
    "|": "#124;",
    "%": "#37;",
    "\\": "#92;",
}


def mermaid_id(ident: str) -> str:
    """A Mermaid node identifier for a plan id: ``n_`` and ASCII letters and digits, any
    other character as ``_hex_`` (so different ids never collide)."""
    out = ["n_"]
    for ch in ident:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append(f"_{ord(ch):x}_")
    return "".join(out)


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: entity codes for the characters Mermaid
    (or the HTML it renders to) would read, line breaks as spaces."""
    text = xml_text(text).replace("\n", " ").replace("\t", " ")
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)


def _mermaid_group(kind: str, prefix: str) -> str:
    """The id of a kind's subgraph (``g_action``) or class (``c_action``); never a node's (``n_``)."""
    return prefix + mermaid_id(kind)[1:]


def export_mermaid(ctx: ExportContext) -> str:
    """The plan's graph as a Mermaid flowchart, one subgraph per kind."""
    plan = ctx.plan
    g = graph(plan, ctx.index)
    out = [f"%% {mermaid_text(plan.id)}: the plan graph (techdiversity)", "flowchart LR"]
    members: dict[str, list[str]] = {}
    for kind in _kinds_in_order(g):
        style = _style(kind)
        out.append(f'  subgraph {_mermaid_group(kind, "g")}["{mermaid_text(style.title)}"]')
        for node, data in g.nodes(data=True):
            if data["kind"] != kind:
                continue
            label = _short(str(data.get("label") or ""))
            text = f"{node}: {label}" if label and label != node else str(node)
            nid = mermaid_id(str(node))
            out.append(f"    {nid}{style.mermaid_open}{mermaid_text(text)}{style.mermaid_close}")
            members.setdefault(kind, []).append(nid)
        out.append("  end")
    for source, target, rel in g.edges(data="rel"):
        _, arrow = _EDGE_STYLES.get(rel, ("", "-->"))
        out.append(f'  {mermaid_id(str(source))} {arrow}|"{mermaid_text(str(rel))}"| {mermaid_id(str(target))}')
    for kind, ids in members.items():
        style = _style(kind)
        cls = _mermaid_group(kind, "c")
        out.append(f"  classDef {cls} fill:{style.fill},stroke:{style.stroke},color:#000")
        out.append(f"  class {','.join(ids)} {cls}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# GraphML


def export_graphml(ctx: ExportContext) -> str:
    """The plan's graph as GraphML: kind, label and pointer on nodes, rel on edges."""
    import networkx as nx

    plan = ctx.plan
    g = graph(plan, ctx.index)
    h: Any = nx.DiGraph()
    h.graph["plan"] = xml_text(plan.id)
    for node, data in g.nodes(data=True):
        h.add_node(
            node,
            kind=str(data["kind"]),
            label=xml_text(str(data.get("label") or "")),
            pointer=str(data.get("pointer") or ""),
        )
    for source, target, rel in g.edges(data="rel"):
        h.add_edge(source, target, rel=str(rel))
    buffer = io.BytesIO()
    nx.write_graphml_xml(h, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


EXPORTERS = (
    Exporter(
        "dot",
        "Graphviz DOT graph",
        ".dot",
        "text/vnd.graphviz",
        export_dot,
        description="The plan graph for Graphviz (dot -Tsvg): shapes and colours by kind, edges labelled by rel.",
        options=(),
    ),
    Exporter(
        "mermaid",
        "Mermaid flowchart",
        ".mmd",
        "text/vnd.mermaid",
        export_mermaid,
        description="The plan graph as a Mermaid flowchart with one subgraph per kind, for Markdown pages.",
        options=(),
    ),
    Exporter(
        "graphml",
        "GraphML graph",
        ".graphml",
        "application/graphml+xml",
        export_graphml,
        description="The plan graph as GraphML (Gephi, Cytoscape, yEd): kind, label, pointer; rel on edges.",
        options=(),
    ),
)
