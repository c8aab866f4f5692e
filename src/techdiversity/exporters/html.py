"""The HTML report: one self-contained page a Lead Expert can e-mail.

The page loads nothing from the network: its styles are inline, its drawings are
inline SVG, and a Content-Security-Policy meta tag forbids every other load. It is
rendered with Jinja2 with autoescaping on, so every piece of text the planner wrote
(titles, descriptions, names, finding messages) shows as text, never as markup.

The intervention logic is drawn in four columns (problems, objectives, actions,
indicators) in time linear in the size of the plan: each column is ordered once
(actions by the objectives they serve, indicators by what they measure), capped at
``max-nodes`` boxes (``--option max-nodes=N``, default 40) with a "+N more" note.

The helpers that compute what the report shows (indicator progress, resources,
worst severity per id) are shared with the Markdown report.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from ..findings import SEVERITIES, Finding, Report, severity_rank
from ..index import PlanIndex
from ..model import Indicator, Measurement, Period, Plan, Resource
from ..version import __version__
from . import ExportContext, Exporter, ExporterOption

__all__ = [
    "EXPORTERS",
    "LOGIC_RELS",
    "MAX_NODES_OPTION",
    "Chip",
    "ProblemTree",
    "Progress",
    "clean",
    "draw_logic",
    "draw_problem_tree",
    "evidence_chips",
    "finding_ids",
    "fmt_measurement",
    "fmt_period",
    "fmt_resource",
    "fmt_score",
    "fmt_value",
    "indicator_progress",
    "latest_actual",
    "logic_layers",
    "max_nodes_option",
    "node_label",
    "pointer_ids",
    "progress",
    "render_html",
    "section_label",
    "short",
    "worst_severities",
    "wrap",
]

#: Edge types drawn in the intervention logic, in layer order.
LOGIC_RELS: tuple[str, ...] = ("causes", "addresses", "contributes_to", "measures")

#: The four layers of the intervention logic: kind, plan section, heading.
LAYERS: tuple[tuple[str, str, str], ...] = (
    ("problem", "problems", "Problems"),
    ("objective", "objectives", "Objectives"),
    ("action", "actions", "Actions"),
    ("indicator", "indicators", "Indicators"),
)

DEFAULT_MAX_NODES = 40

# ---------------------------------------------------------------------------
# Text


# C0 and C1 controls except tab and newline, bidi embeddings, overrides and isolates
# (they could reorder the report around the text), lone surrogates, noncharacters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def clean(value: object) -> str:
    """User text made safe to write out: ``None`` as empty, line breaks as ``\\n``, controls dropped.

    Right-to-left letters and the marks U+200E/U+200F stay; the explicit bidi embeddings,
    overrides and isolates go, so that text cannot reorder what the report puts around it.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` units (wide characters count 2), with an ellipsis."""
    words = clean(text).split()
    out: list[str] = []
    line = ""
    used = 0
    truncated = False
    for word in words:
        w = sum(_width(c) for c in word)
        if line and used + 1 + w <= width:
            line += " " + word
            used += 1 + w
            continue
        if line:
            out.append(line)
            line, used = "", 0
            if len(out) == lines:
                truncated = True
                break
        # a word longer than a line is broken where it overflows
        for ch in word:
            cw = _width(ch)
            if used + cw > width:
                out.append(line)
                line, used = "", 0
                if len(out) == lines:
                    truncated = True
                    break
            line += ch
            used += cw
        if truncated:
            break
    if not truncated and line:
        out.append(line)
    if len(out) > lines:
        out, truncated = out[:lines], True
    if truncated and out:
        last = out[-1]
        while last and sum(_width(c) for c in last) > width - 1:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out


def short(text: object, width: int) -> str:
    """``text`` on one line of ``width`` units, with an ellipsis when cut."""
    lines = wrap(clean(text), width, 1)
    return lines[0] if lines else ""


# ---------------------------------------------------------------------------
# Values, periods, resources, progress


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def fmt_value(value: object) -> str:
    """A measured value as text: ``15,000``, ``0.5``, or the words the planner wrote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:,.6g}"
    return clean(value)


def fmt_period(period: Period | None) -> str:
    """``2025-09 – 2030-09``, ``from 2025``, ``until 2030`` or empty."""
    if period is None:
        return ""
    start = str(period.start) if period.start is not None else ""
    end = str(period.end) if period.end is not None else ""
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""


def fmt_measurement(m: Measurement | None, unit: str | None = None) -> str:
    """``120 persons (2023)``: value, unit and date of a baseline, milestone, target or actual."""
    if m is None:
        return ""
    text = fmt_value(m.value)
    if text and unit and _is_number(m.value):
        text += f" {clean(unit)}"
    if m.date is not None:
        text = f"{text} ({m.date})" if text else f"({m.date})"
    if m.note:
        text = f"{text}; {clean(m.note)}" if text else clean(m.note)
    return text


def fmt_resource(r: Resource) -> str:
    """``budget 15,000 EUR (municipal)``."""
    parts = [r.kind]
    if r.amount is not None:
        parts.append(fmt_value(r.amount))
    if r.currency:
        parts.append(clean(r.currency))
    elif r.unit:
        parts.append(clean(r.unit))
    text = " ".join(parts)
    if r.source:
        text += f" ({r.source})"
    if r.description:
        text += f": {clean(r.description)}"
    return text


def latest_actual(indicator: Indicator) -> Measurement | None:
    """The most recent actual (by date; undated ones count as oldest, file order breaks ties)."""
    if not indicator.actuals:
        return None
    _, best = max(
        enumerate(indicator.actuals),
        key=lambda pair: (pair[1].date.last if pair[1].date is not None else _dt.date.min, pair[0]),
    )
    return best


@attrs.frozen
class Progress:
    """How far the latest actual has gone from the baseline towards a milestone or target.

    ``percent`` is ``(actual - baseline) / (goal - baseline) * 100``, or None when it
    cannot be computed; ``note`` says why in that case.
    """

    percent: float | None
    note: str = ""

    @property
    def bar(self) -> float:
        """The percent clamped to 0..100, for drawing a bar."""
        if self.percent is None:
            return 0.0
        return max(0.0, min(100.0, self.percent))

    @property
    def label(self) -> str:
        """``38%``, ``>999%`` or the note."""
        if self.percent is None:
            return self.note
        if self.percent > 999:
            return ">999%"
        if self.percent < -999:
            return "<-999%"
        return f"{self.percent:.0f}%"

    @property
    def level(self) -> str:
        """``done`` (reached), ``part`` (under way), ``none`` (not started or unknown)."""
        if self.percent is None or self.percent <= 0:
            return "none"
        return "done" if self.percent >= 100 else "part"


def progress(baseline: Measurement | None, actual: Measurement | None, goal: Measurement | None) -> Progress:
    """Progress from ``baseline`` to ``goal`` at ``actual``; never raises."""
    if actual is None:
        return Progress(None, "no actual yet")
    if goal is None:
        return Progress(None, "no target")
    if baseline is None or baseline.value is None:
        return Progress(None, "no baseline")
    values = (baseline.value, actual.value, goal.value)
    if not all(_is_number(v) for v in values):
        return Progress(None, "not a number")
    b, a, g = (float(v) for v in values)  # type: ignore[arg-type]
    if g == b:
        return Progress(None, "reached (target equals baseline)" if a == g else "target equals baseline")
    pct = (a - b) / (g - b) * 100
    if not math.isfinite(pct):
        return Progress(None, "not a number")
    return Progress(pct)


def indicator_progress(
    indicator: Indicator,
) -> tuple[Measurement | None, Progress, list[tuple[Measurement, Progress]]]:
    """The current value, progress to the target and to each milestone, as monitoring computes them.

    Direction aware (a falling rate can be progress) and cumulative aware: the same
    figures as ``techdiversity monitor``.
    """
    from ..monitoring import track

    status = track(indicator)
    actual = Measurement(status.current, status.current_date) if status.current is not None else None
    to_target = Progress(status.progress, status.note or status.status.replace("-", " "))
    by_label = {p.label: p for p in status.periods}
    milestones = []
    for n, m in enumerate(indicator.milestones, start=1):
        row = by_label.get(f"milestone {n}")
        milestones.append((m, Progress(row.progress, row.note or row.state) if row else Progress(None, "")))
    return actual, to_target, milestones


# ---------------------------------------------------------------------------
# Findings per id


def pointer_ids(index: PlanIndex) -> dict[str, str]:
    return {pointer: ident for ident, pointer in index.pointer_of.items()}


def finding_ids(finding: Finding, by_pointer: dict[str, str]) -> tuple[str, ...]:
    """The ids a finding is about: its subjects, or the thing its pointer is in."""
    if finding.subjects:
        return finding.subjects
    parts = finding.pointer.split("/")
    if len(parts) >= 3:
        ident = by_pointer.get("/".join(parts[:3]))
        if ident is not None:
            return (ident,)
    return ()


def worst_severities(report: Report, index: PlanIndex) -> dict[str, str]:
    """Id -> the most severe severity among the findings about it."""
    by_pointer = pointer_ids(index)
    worst: dict[str, str] = {}
    for f in report:
        for ident in finding_ids(f, by_pointer):
            old = worst.get(ident)
            if old is None or severity_rank(f.severity) < severity_rank(old):
                worst[ident] = f.severity
    return worst


# ---------------------------------------------------------------------------
# The intervention logic, in four layers


@attrs.frozen
class LogicNode:
    """A box of the intervention-logic drawing."""

    id: str
    kind: str
    label: str
    lines: tuple[str, ...]
    severity: str  # error | warning | info | ok
    column: int
    row: int
    x: float = 0
    y: float = 0
    core: bool = False
    note: str = ""  # what a box links to without a line: "measures SO1 SO2"

    @property
    def cut(self) -> bool:
        """True when the box shows its label shortened (the legend of full labels lists it)."""
        return bool(self.lines) and self.lines[-1].endswith("…") and not self.label.endswith("…")


@attrs.frozen
class LogicEdge:
    """A drawn link: ``rel`` and an SVG path."""

    rel: str
    source: str
    target: str
    d: str


@attrs.frozen
class LogicLayer:
    """A column: its heading, the ids shown, and how many were left out."""

    kind: str
    title: str
    ids: tuple[str, ...]
    total: int
    hidden: int


def node_label(item: Any) -> str:
    for attr in ("title", "name", "statement", "description"):
        value = getattr(item, attr, None)
        if value:
            return clean(value)
    return ""


def logic_links(index: PlanIndex) -> list[tuple[str, str, str]]:
    """The valid links of the intervention logic as (source, target, rel), deduplicated, graph direction."""
    seen: set[tuple[str, str, str]] = set()
    out: list[tuple[str, str, str]] = []
    for link in index.links:
        rel = link.spec.rel
        if rel not in LOGIC_RELS or not index.valid(link):
            continue
        edge = (link.target, link.source, rel) if link.spec.reverse else (link.source, link.target, rel)
        if edge not in seen:
            seen.add(edge)
            out.append(edge)
    return out


def logic_layers(
    plan: Plan, index: PlanIndex, max_nodes: int = DEFAULT_MAX_NODES
) -> tuple[list[LogicLayer], list[tuple[str, str, str]]]:
    """The four layers, each in the plan's order and capped, and the links among the ids shown.

    Every layer keeps the order the plan writes its items in: a reader finds the
    actions and indicators of the drawing where the tables list them.
    """
    links = logic_links(index)
    layers: list[LogicLayer] = []
    for kind, section, title in LAYERS:
        items = [item.id for item in getattr(plan, section) if index.kind_of.get(item.id) == kind]
        shown = tuple(items[:max_nodes])
        layers.append(LogicLayer(kind, title, shown, len(items), len(items) - len(shown)))
    visible = {ident for layer in layers for ident in layer.ids}
    drawn = [e for e in links if e[0] in visible and e[1] in visible]
    return layers, drawn


# Drawing geometry (user units; the SVG scales with its viewBox).
_MARGIN_LEFT = 64
_COL_W = 230
_GAP = 70
_BOX_H = 58
_PITCH = 68
_TOP = 44
_LABEL_UNITS = 30


@attrs.frozen
class LogicDrawing:
    """Everything the template needs to draw the logic."""

    width: int
    height: int
    layers: tuple[tuple[LogicLayer, float, float], ...]  # layer, x, y of its "+N more" note
    nodes: tuple[LogicNode, ...]
    edges: tuple[LogicEdge, ...]
    max_nodes: int = DEFAULT_MAX_NODES
    box_w: int = _COL_W
    box_h: int = _BOX_H

    @property
    def capped(self) -> bool:
        """True when some layer has more boxes than are drawn."""
        return any(layer.hidden for layer, _, _ in self.layers)


def draw_logic(plan: Plan, index: PlanIndex, worst: dict[str, str], max_nodes: int) -> LogicDrawing:
    """Lay out the logic: a column per layer, a row per box, columns centred on the tallest.

    Lines join neighbouring columns only: objectives to the problems they address,
    actions to their objectives, indicators to the actions they measure. The causes
    between problems are the Problem Tree's (:func:`draw_problem_tree`), and an
    indicator that measures an objective names it in its box ("measures SO1") rather
    than drawing a line behind the action boxes.
    """
    layers, links = logic_layers(plan, index, max_nodes)
    rows = max([len(layer.ids) + (1 if layer.hidden else 0) for layer in layers] + [1])
    body = rows * _PITCH
    column_of = {ident: col for col, layer in enumerate(layers) for ident in layer.ids}
    notes: dict[str, list[str]] = {}
    kept: list[tuple[str, str, str]] = []
    for source, target, rel in links:
        if rel == "causes":
            continue
        if abs(column_of[source] - column_of[target]) != 1:
            notes.setdefault(source, []).append(target)
            continue
        kept.append((source, target, rel))
    nodes: dict[str, LogicNode] = {}
    placed: list[tuple[LogicLayer, float, float]] = []
    for col, layer in enumerate(layers):
        x = _MARGIN_LEFT + col * (_COL_W + _GAP)
        own = len(layer.ids) + (1 if layer.hidden else 0)
        y0 = _TOP + (body - max(own, 1) * _PITCH) / 2
        for row, ident in enumerate(layer.ids):
            item = index.by_id[ident]
            label = node_label(item)
            nodes[ident] = LogicNode(
                ident,
                layer.kind,
                label,
                tuple(wrap(label, _LABEL_UNITS, 2)),
                worst.get(ident, "ok"),
                col,
                row,
                x,
                y0 + row * _PITCH,
                core=bool(getattr(item, "core", False)),
                note=("measures " + " ".join(notes[ident])) if ident in notes else "",
            )
        placed.append((layer, x + _COL_W / 2, y0 + len(layer.ids) * _PITCH + _BOX_H / 2))
    edges: list[LogicEdge] = []
    for source, target, rel in kept:
        a, b = nodes[source], nodes[target]
        left, right = (a, b) if a.column < b.column else (b, a)
        x1, y1 = left.x + _COL_W, left.y + _BOX_H / 2
        x2, y2 = right.x, right.y + _BOX_H / 2
        mid = (x2 - x1) / 2
        d = f"M{x1:.0f},{y1:.0f} C{x1 + mid:.0f},{y1:.0f} {x2 - mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        edges.append(LogicEdge(rel, source, target, d))
    width = _MARGIN_LEFT + 4 * _COL_W + 3 * _GAP + 16
    height = _TOP + body + 12
    return LogicDrawing(width, int(height), tuple(placed), tuple(nodes.values()), tuple(edges), max_nodes)


# ---------------------------------------------------------------------------
# The Problem Tree: effects above, the core problem, causes below


@attrs.frozen
class TreeBox:
    """A problem of the Problem Tree drawing, with its whole statement in lines."""

    id: str
    lines: tuple[str, ...]
    label: str
    severity: str
    core: bool
    level: int
    x: float
    y: float
    height: float


@attrs.frozen
class ProblemTree:
    """The Problem Tree laid out: rows of boxes by level (effects up, causes down), arrows cause -> effect."""

    width: int
    height: int
    boxes: tuple[TreeBox, ...]
    edges: tuple[LogicEdge, ...]
    rows: tuple[tuple[str, float], ...]  # the words of each row, and its middle
    box_w: int = 0
    unlinked: int = 0

    @property
    def min_width(self) -> int:
        """The narrowest the drawing may be shown before its text gets too small (it scrolls then)."""
        return min(self.width, int(self.width * 0.85))


_TREE_BOX_W = 216
_TREE_GAP = 22
_TREE_ROW_GAP = 48
_TREE_LEFT = 104
_TREE_UNITS = 29
_TREE_LINES = 7


def _row_words(level: int) -> str:
    if level == 0:
        return "Core problem"
    if level > 0:
        return "Effects" if level == 1 else "Further effects"
    return "Causes" if level == -1 else "Root causes"


def draw_problem_tree(plan: Plan, worst: dict[str, str]) -> ProblemTree:
    """The Problem Tree as the seed draws it: the core problem in the middle, its effects above
    (the branches), its causes below (the roots), each problem on the row of its distance
    from the core. Problems not linked to the core problem go on a row of their own at the
    bottom. Statements are shown whole (up to seven lines; the table below has them all)."""
    problems = list(plan.problems)
    ids = {p.id for p in problems}
    order = {p.id: k for k, p in enumerate(problems)}
    edges: list[tuple[str, str]] = []
    for p in problems:
        edges += [(c, p.id) for c in p.causes if c in ids and c != p.id]
        edges += [(p.id, e) for e in p.effects if e in ids and e != p.id]
    edges = list(dict.fromkeys(edges))
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for cause, effect in edges:
        up.setdefault(cause, []).append(effect)
        down.setdefault(effect, []).append(cause)
    level: dict[str, int] = {}
    queue = [p.id for p in problems if p.core]
    for ident in queue:
        level[ident] = 0
    while queue:
        nxt = []
        for ident in queue:
            for other, step in [(e, 1) for e in up.get(ident, ())] + [(c, -1) for c in down.get(ident, ())]:
                if other not in level:
                    level[other] = level[ident] + step
                    nxt.append(other)
        queue = nxt
    unlinked = [p.id for p in problems if p.id not in level]
    levels = sorted(set(level.values()), reverse=True)
    rows: list[tuple[int, list[str]]] = [(lv, [p.id for p in problems if level.get(p.id) == lv]) for lv in levels]
    # order each row by where its neighbours sit in the row nearer the core (one barycentre pass)
    position: dict[str, float] = {}
    for lv, members in sorted(rows, key=lambda r: abs(r[0])):

        def key(ident: str) -> tuple[float, int]:
            near = [position[o] for o in (*up.get(ident, ()), *down.get(ident, ())) if o in position]
            return (sum(near) / len(near) if near else math.inf, order[ident])

        if lv != 0:
            members.sort(key=key)
        for k, ident in enumerate(members):
            position[ident] = k - (len(members) - 1) / 2
    if unlinked:
        rows.append((-99, unlinked))
    by_id = {p.id: p for p in problems}
    widest = max([len(m) for _, m in rows] + [1])
    width = _TREE_LEFT + widest * (_TREE_BOX_W + _TREE_GAP) + 8
    boxes: dict[str, TreeBox] = {}
    labels: list[tuple[str, float]] = []
    y = 14.0
    for lv, members in rows:
        wrapped = {i: tuple(wrap(by_id[i].statement or "", _TREE_UNITS, _TREE_LINES)) for i in members}
        tall = 30 + 15 * max([len(w) for w in wrapped.values()] + [1])
        span = len(members) * (_TREE_BOX_W + _TREE_GAP) - _TREE_GAP
        x0 = _TREE_LEFT + (width - _TREE_LEFT - 8 - span) / 2
        for k, ident in enumerate(members):
            boxes[ident] = TreeBox(
                ident,
                wrapped[ident],
                clean(by_id[ident].statement),
                worst.get(ident, "ok"),
                bool(by_id[ident].core),
                lv,
                x0 + k * (_TREE_BOX_W + _TREE_GAP),
                y,
                tall,
            )
        labels.append(("Not linked to the core problem" if lv == -99 else _row_words(lv), y + tall / 2))
        y += tall + _TREE_ROW_GAP
    drawn: list[LogicEdge] = []
    for cause, effect in edges:
        a, b = boxes.get(cause), boxes.get(effect)
        if a is None or b is None or a.level == -99 or b.level == -99:
            continue
        if a.y > b.y:  # the cause below its effect: from the top of the cause up to the bottom of the effect
            x1, y1, x2, y2 = a.x + _TREE_BOX_W / 2, a.y, b.x + _TREE_BOX_W / 2, b.y + b.height
        else:  # a loop in the tree (its check reports it): side to side
            x1, y1, x2, y2 = a.x + _TREE_BOX_W, a.y + a.height / 2, b.x, b.y + b.height / 2
        mid = (y1 + y2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
        drawn.append(LogicEdge("causes", cause, effect, d))
    height = int(y - _TREE_ROW_GAP + 14) if rows else 40
    return ProblemTree(
        int(width), height, tuple(boxes.values()), tuple(drawn), tuple(labels), _TREE_BOX_W, len(unlinked)
    )


# ---------------------------------------------------------------------------
# Scorecards


@attrs.frozen
class Bar:
    """One bar of a scorecard chart."""

    label: str
    score: float | int
    max: int
    unscored: int

    @property
    def ratio(self) -> float:
        return float(self.score) / self.max if self.max else 0.0

    @property
    def level(self) -> str:
        if not self.max:
            return "none"
        r = self.ratio
        return "low" if r < 0.4 else "mid" if r < 0.7 else "high"


def fmt_score(value: float | int | None) -> str:
    """A score as text: ``3``, ``3.5``, or an em dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_NUMBERED = re.compile(r"^[0-9IVXivx]+(?:\.[0-9]+)*$")


def section_label(ident: str, title: str) -> str:
    """``1 Process of action plan``: a numbered section keeps its number, a slug id is left out."""
    if _NUMBERED.fullmatch(ident):
        return f"{ident} {clean(title)}"
    return clean(title) or ident


# ---------------------------------------------------------------------------
# Evidence in words: what a scorer looked at, as a person recognises it


@attrs.frozen
class Chip:
    """One piece of evidence: ``text`` to show, ``title`` for the whole of it, ``mono`` for ids."""

    text: str
    title: str = ""
    mono: bool = False


_PLACE = re.compile(r"^[a-z_]+(?:\[\d+\]|\.[a-z0-9_-]+)*$")
_PART = re.compile(r"([a-z0-9_-]+)(?:\[(\d+)\])?")
_SHOWN_MEETINGS = 3


def _place_words(place: str) -> str:
    """``context.current_situation`` -> ``context: current situation``."""
    parts = [m.group(1).replace("_", " ").replace("-", " ") for m in _PART.finditer(place)]
    return parts[0] + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def _meeting_words(plan: Plan, n: int) -> tuple[str, str]:
    m = plan.meetings[n]
    head = f"{m.date}" + (f" {m.kind.upper() if m.kind == 'ulg' else m.kind}" if m.kind else "")
    topic = clean(m.topic) if m.topic else ""
    return (f"{head}: {short(topic, 40)}" if topic else head), (
        f"meeting {head}: {topic}" if topic else f"meeting {head}"
    )


def _fold_ids(ids: list[str], index: PlanIndex, plan: Plan) -> list[Chip]:
    """Ids of one kind, each once, in plan order; three or more in a row of the plan as one range."""
    kind = index.kind_of[ids[0]]
    section = {"testing_action": "testing_actions"}.get(kind, kind + "s")
    every = [item.id for item in getattr(plan, section, ())]
    place = {ident: k for k, ident in enumerate(every)}
    ordered = sorted(dict.fromkeys(ids), key=lambda i: place.get(i, len(place)))
    if len(ordered) >= 3 and ordered == every:
        words = kind.replace("_", " ") + ("s" if not kind.endswith("s") else "")
        label = "; ".join(f"{i} {node_label(index.by_id[i])}" for i in ordered)
        return [
            Chip(f"{ordered[0]}–{ordered[-1]}", f"all {len(ordered)} {words}: {label}", True),
            Chip(f"all {len(ordered)} {words}"),
        ]
    out: list[Chip] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(Chip(f"{run[0]}–{run[-1]}", "; ".join(f"{i} {node_label(index.by_id[i])}" for i in run), True))
        else:
            out.extend(Chip(i, node_label(index.by_id[i]), True) for i in run)
        run.clear()

    for ident in ordered:
        if run and place.get(ident) != place.get(run[-1], -2) + 1:
            flush()
        run.append(ident)
    flush()
    return out


def evidence_chips(plan: Plan, index: PlanIndex, elements: Iterable[str]) -> list[Chip]:
    """What a scorer looked at (``Judgement.elements``) in words a person recognises.

    Ids stay ids (with their titles as the chip's title), each once, in the plan's
    order, three or more in a row of the plan folded into a range (``A1–A6``, "all 6
    actions"). Places in the plan become what they point at: a meeting its date, kind
    and topic (the first three, then how many more), a related strategy its title, a
    self-assessment its aspect or type (its situation and progress folded into it),
    any other place its words (``context: current situation``). Other text is kept.
    """
    ids: dict[str, list[str]] = {}
    places: list[Chip] = []
    meetings: list[int] = []
    types: dict[str, list[str]] = {}
    seen: set[str] = set()
    for element in elements:
        if element in seen:
            continue
        seen.add(element)
        if element in index.by_id:
            ids.setdefault(index.kind_of[element], []).append(element)
            continue
        match = re.fullmatch(r"meetings\[(\d+)\]", element)
        if match and int(match.group(1)) < len(plan.meetings):
            meetings.append(int(match.group(1)))
            continue
        match = re.fullmatch(r"context\.related_strategies\[(\d+)\]", element)
        if match and plan.context is not None and int(match.group(1)) < len(plan.context.related_strategies):
            title = clean(plan.context.related_strategies[int(match.group(1))].title)
            places.append(Chip(f"strategy: {short(title, 48)}", f"related strategy: {title}"))
            continue
        match = re.fullmatch(r"integration\.aspects\[(\d+)\]", element)
        if match and plan.integration is not None and int(match.group(1)) < len(plan.integration.aspects):
            aspect = plan.integration.aspects[int(match.group(1))].aspect.replace("-", " ")
            places.append(Chip(f"self-assessment: {aspect}", f"the city's self-assessment of {aspect}"))
            continue
        match = re.fullmatch(r"integration\.types\.([a-z-]+)(?:\.([a-z_]+))?", element)
        if match:
            types.setdefault(match.group(1), [])
            if match.group(2):
                types[match.group(1)].append(match.group(2).replace("_", " "))
            continue
        if _PLACE.fullmatch(element):
            places.append(Chip(_place_words(element), element))
        else:
            places.append(Chip(short(clean(element), 60), clean(element)))
    out: list[Chip] = []
    for kind_ids in ids.values():
        out += _fold_ids(kind_ids, index, plan)
    for n in sorted(meetings)[:_SHOWN_MEETINGS]:
        text, title = _meeting_words(plan, n)
        out.append(Chip(text, title))
    if len(meetings) > _SHOWN_MEETINGS:
        rest = [_meeting_words(plan, n)[1] for n in sorted(meetings)[_SHOWN_MEETINGS:]]
        out.append(Chip(f"+{len(rest)} more meetings", "; ".join(rest)))
    for kind, fields in types.items():
        words = kind.replace("-", " ")
        out.append(
            Chip(
                f"self-assessment: {words}" + (f" ({', '.join(fields)})" if fields else ""),
                f"the city's self-assessment of {words} integration",
            )
        )
    return out + places


# ---------------------------------------------------------------------------
# Rendering


@functools.cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("techdiversity", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["value"] = fmt_value
    env.filters["period"] = fmt_period
    env.filters["measurement"] = fmt_measurement
    env.filters["resource"] = fmt_resource
    env.filters["score"] = fmt_score
    env.filters["clean"] = clean
    env.filters["short"] = short
    env.globals["section_label"] = section_label
    return env


def _finalize(value: object) -> object:
    """Every ``{{ }}`` output: None as empty, user text cleaned of controls (escaping follows)."""
    import markupsafe

    if value is None:
        return ""
    if isinstance(value, markupsafe.Markup):
        return value
    if isinstance(value, str):
        return clean(value)
    return value


_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


#: The ``max-nodes`` option of the HTML and Markdown reports.
MAX_NODES_OPTION = ExporterOption(
    "max-nodes",
    "boxes per layer of the intervention logic drawing; the rest are counted in one box",
    "integer",
    DEFAULT_MAX_NODES,
    minimum=1,
)


def max_nodes_option(ctx: ExportContext) -> int:
    """The ``max-nodes`` option of an export (checked by the exporter's declaration), or its default."""
    value = ctx.option("max-nodes")
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_MAX_NODES


def _names(index: PlanIndex, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(id, label) pairs; the label is empty for ids that name nothing."""
    return [(ident, node_label(index.by_id[ident]) if ident in index.by_id else "") for ident in ids]


def report_data(ctx: ExportContext) -> dict[str, Any]:
    """What the HTML template shows (the Markdown report uses the same helpers)."""
    plan = ctx.plan
    index: PlanIndex = ctx.index
    report = ctx.report
    worst = worst_severities(report, index)
    by_pointer = pointer_ids(index)
    info = plan.plan

    findings = [
        {
            "where": str(f.location) if f.location is not None else (f.pointer or ""),
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "subjects": finding_ids(f, by_pointer),
        }
        for f in report
    ]

    scorecards = []
    for card in ctx.scorecards:
        bars = [Bar(section_label(s.section.id, s.section.title), s.score, s.max, s.unscored) for s in card.sections]
        scorecards.append({"card": card, "bars": bars, "chart_h": 12 + 30 * max(len(bars), 1)})

    from ..monitoring import track

    indicators = []
    for ind in plan.indicators:
        actual, to_target, milestones = indicator_progress(ind)
        status = track(ind)
        indicators.append(
            {
                "item": ind,
                "measures": _names(index, ind.measures),
                "actual": actual,
                "milestones": milestones,
                "to_target": to_target,
                "status": status.status,
                "status_words": status.status.replace("-", " "),
                "status_note": status.note,
            }
        )

    stakeholders = [
        {
            "item": s,
            "leads": index.referrers("lead", s.id),
            "partners": index.referrers("partners", s.id),
        }
        for s in plan.stakeholders
    ]

    lang = info.language if info.language and _LANG.fullmatch(info.language) else "en"
    return {
        "plan": plan,
        "info": info,
        "lang": lang,
        "version": __version__,
        "path": plan.source.path if plan.source is not None else None,
        "counts": {sev: report.count(sev) for sev in SEVERITIES},
        "findings": findings,
        "worst": worst,
        "logic": draw_logic(plan, index, worst, max_nodes_option(ctx)),
        "tree": draw_problem_tree(plan, worst),
        "evidence": lambda elements: evidence_chips(plan, index, elements),
        "scorecards": scorecards,
        "actions": [
            {
                "item": a,
                "objectives": _names(index, a.contributes_to),
                "lead": _names(index, [a.lead])[0] if a.lead else None,
            }
            for a in plan.actions
        ],
        "indicators": indicators,
        "stakeholders": stakeholders,
        "names": lambda ids: _names(index, ids),
    }


def render_html(ctx: ExportContext) -> str:
    """The report as one HTML document."""
    template = _environment().get_template("report.html.j2")
    html: str = template.render(**report_data(ctx))
    return html


EXPORTERS = (
    Exporter(
        "html",
        "HTML report",
        ".html",
        "text/html",
        render_html,
        description=(
            "One self-contained page to e-mail or print: the plan, its intervention logic drawn "
            "in SVG, findings, scorecards, the City Action Table and indicator progress. "
            "Loads nothing from the network."
        ),
        options=(MAX_NODES_OPTION,),
    ),
)
