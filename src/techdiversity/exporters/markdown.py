"""The Markdown report: the HTML report's content for wikis and pull requests.

Every piece of text the planner wrote goes through :func:`techdiversity.markdown.escape`
(paragraphs, list items) or :func:`techdiversity.markdown.escape_cell` (table cells),
after control characters are dropped, so it shows as written and never breaks a
table. Ids are written as code spans (their characters are letters, digits and
``._:-``). The intervention logic is a Mermaid flowchart whose labels keep only
letters, digits, spaces and plain punctuation (``--option mermaid=no`` leaves it out).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..findings import SEVERITIES
from ..index import PlanIndex
from ..markdown import escape, escape_cell
from ..model import Plan
from . import ExportContext, Exporter, ExporterOption
from .html import (
    MAX_NODES_OPTION,
    Progress,
    clean,
    evidence_chips,
    finding_ids,
    fmt_measurement,
    fmt_period,
    fmt_resource,
    indicator_progress,
    logic_layers,
    max_nodes_option,
    pointer_ids,
    section_label,
    worst_severities,
)
from .html import fmt_score as score_text
from .html import node_label as label_of

__all__ = ["EXPORTERS", "md", "md_cell", "render_markdown"]


def md(text: object) -> str:
    """User text for a paragraph: controls dropped, each line trimmed, Markdown escaped."""
    lines = [line.strip() for line in clean(text).split("\n")]
    return escape("\n".join(lines).strip())


def md_inline(text: object) -> str:
    """User text on one line (a list item, a heading): line breaks become spaces."""
    return md(" ".join(clean(text).split()))


def md_cell(text: object) -> str:
    """User text for a table cell: pipes escaped, line breaks as ``<br>``."""
    lines = [line.strip() for line in clean(text).split("\n")]
    return escape_cell("\n".join(lines).strip())


def code(ident: object) -> str:
    """An id as a code span (ids hold no backticks or pipes; anything else is escaped)."""
    text = clean(ident)
    if re.fullmatch(r"[A-Za-z0-9._:\[\]-]+", text):
        return f"`{text}`"
    return md_cell(text)


def codes(ids: Iterable[str]) -> str:
    return " ".join(code(i) for i in ids)


def refs(index: PlanIndex, ids: Iterable[str]) -> str:
    """Ids with their labels, for a table cell: ``` `SO1` IT inspiration<br>`SO2` ... ```."""
    out = []
    for ident in ids:
        label = label_of(index.by_id[ident]) if ident in index.by_id else ""
        out.append(f"{code(ident)} {md_cell(label)}".strip())
    return "<br>".join(out)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table from already escaped cells."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    out.append("")
    return out


def progress_text(p: Progress) -> str:
    return p.label


# ---------------------------------------------------------------------------
# Mermaid

_MERMAID_SAFE = re.compile(r"[^\w\s.,:'()/+%-]", re.UNICODE)
_MERMAID_CLASSES = {
    "error": "fill:#fde4e1,stroke:#c0392b,color:#000",
    "warning": "fill:#fff1c9,stroke:#c98a00,color:#000",
    "info": "fill:#e3eefa,stroke:#3b78b8,color:#000",
    "ok": "fill:#e4f3e8,stroke:#3f8f5c,color:#000",
}


def mermaid_label(text: str, limit: int = 40) -> str:
    """Text safe inside a quoted Mermaid label: plain characters only, shortened."""
    plain = " ".join(_MERMAID_SAFE.sub(" ", clean(text)).replace("_", " ").split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def mermaid(plan: Plan, index: PlanIndex, worst: dict[str, str], max_nodes: int) -> list[str]:
    """The intervention logic as a left-to-right Mermaid flowchart, one subgraph per layer."""
    layers, links = logic_layers(plan, index, max_nodes)
    if not any(layer.total for layer in layers):
        return ["_No problems, objectives, actions or indicators to draw yet._", ""]
    node: dict[str, str] = {}
    out = ["```mermaid", "flowchart LR"]
    for layer in layers:
        out.append(f'  subgraph {layer.kind}s["{layer.title} ({layer.total})"]')
        out.append("    direction TB")
        for ident in layer.ids:
            name = f"n{len(node)}"
            node[ident] = name
            text = mermaid_label(f"{ident}: {label_of(index.by_id[ident])}")
            out.append(f'    {name}["{text}"]')
        if layer.hidden:
            out.append(f'    more_{layer.kind}["+{layer.hidden} more"]')
        elif not layer.total:
            out.append(f'    none_{layer.kind}["none yet"]')
        out.append("  end")
    layer_of = {ident: i for i, layer in enumerate(layers) for ident in layer.ids}
    for source, target, rel in links:
        a, b = node[source], node[target]
        if rel == "causes":
            out.append(f"  {a} --> {b}")
            continue
        if layer_of[source] > layer_of[target]:  # draw left to right: the lower layer first
            a, b = b, a
        out.append(f"  {a} -.- {b}" if rel == "measures" else f"  {a} --- {b}")
    for sev, style in _MERMAID_CLASSES.items():
        members = [node[i] for i in node if worst.get(i, "ok") == sev]
        out.append(f"  classDef {sev} {style}")
        if members:
            out.append(f"  class {','.join(members)} {sev}")
    out.append("```")
    out.append("")
    return out


# ---------------------------------------------------------------------------
# The report


class _Writer:
    """Writes the report section by section into ``out``."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.index: PlanIndex = ctx.index
        self.report = ctx.report
        self.worst = worst_severities(self.report, self.index)
        self.out: list[str] = []

    def sev_of(self, ident: str) -> str:
        """`` (error)`` after an id that has findings."""
        return f" ({self.worst[ident]})" if ident in self.worst else ""

    def header(self) -> None:
        """Header."""
        plan = self.plan
        report = self.report
        info = self.plan.plan
        cards = self.ctx.scorecards
        add = self.out.append
        add(f"# {md_inline(info.title or info.city or info.id)}")
        add("")
        facts = []
        if info.city:
            country = f" ({md_inline(info.country)})" if info.country else ""
            facts.append(f"**City:** {md_inline(info.city)}{country}")
        if info.network or info.programme:
            facts.append(f"**Network:** {md_inline(' · '.join(x for x in (info.network, info.programme) if x))}")
        facts.append(f"**Status:** {md_inline(info.status or 'not stated')}")
        facts.append(f"**Period:** {md_inline(fmt_period(info.period) or 'not stated')}")
        facts.append(f"**Version:** {md_inline(info.version or 'not stated')}")
        facts.append(f"**Plan id:** {code(info.id)}")
        add(" \\\n".join(facts))
        add("")
        counts = {sev: report.count(sev) for sev in SEVERITIES}
        add(
            f"**Findings:** {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info · "
            f"{len(plan.problems)} problems, {len(plan.objectives)} objectives, {len(plan.actions)} actions, "
            f"{len(plan.indicators)} indicators"
        )
        add("")
        if cards:
            add("**Scores:** " + " · ".join(f"{md_inline(c.rubric.name)} {score_text(c.total)}/{c.max}" for c in cards))
            add("")

    def context(self) -> None:
        """Context and vision."""
        plan = self.plan
        add = self.out.append
        add("## Context and vision")
        add("")
        c = plan.context
        if c is None:
            add("_The plan has no context section yet._")
            add("")
        else:
            if c.theme:
                add(f"**Theme:** {md_inline(c.theme)}")
                add("")
            if c.current_situation:
                add("**Current situation**")
                add("")
                add(md(c.current_situation))
                add("")
            if c.target_groups:
                add("**Target groups:** " + ", ".join(md_inline(g) for g in c.target_groups))
                add("")
            if c.related_strategies:
                add("**Related strategies**")
                add("")
                for s in c.related_strategies:
                    add(f"- {md_inline(s.title)}" + (f" ({md_inline(s.link)})" if s.link else ""))
                add("")
            if c.integration_challenges:
                add("**Integration challenges**")
                add("")
                for ch in c.integration_challenges:
                    add(f"- {md_inline(ch)}")
                add("")
        v = plan.vision
        if v is not None:
            add("### Vision" + (f" ({v.horizon})" if v.horizon else ""))
            add("")
            if v.headline:
                add(f"> **{md_inline(v.headline)}**")
                add(">")
            if v.text:
                for line in md(v.text).split("\n"):
                    add(f"> {line}".rstrip())
            add("")
        if plan.strategic_goal:
            add(f"**Strategic goal:** {md_inline(plan.strategic_goal)}")
            add("")

    def logic(self) -> None:
        """Intervention logic."""
        ctx = self.ctx
        plan = self.plan
        index = self.index
        worst = self.worst
        out = self.out
        add = out.append
        add("## Intervention logic")
        add("")
        add(
            "Problems are addressed by objectives, actions contribute to objectives, indicators measure "
            "actions and objectives; boxes are coloured by their most severe finding."
        )
        add("")
        if ctx.option("mermaid") is not False:
            out.extend(mermaid(plan, index, worst, max_nodes_option(ctx)))

    def findings(self) -> None:
        """Findings."""
        index = self.index
        report = self.report
        out = self.out
        add = out.append
        add("## Findings")
        add("")
        if len(report):
            by_pointer = pointer_ids(index)
            out.extend(
                table(
                    ("Where", "Code", "Severity", "Message", "About"),
                    (
                        (
                            md_cell(str(f.location) if f.location is not None else f.pointer),
                            md_cell(f.code),
                            md_cell(f.severity),
                            md_cell(f.message),
                            codes(finding_ids(f, by_pointer)),
                        )
                        for f in report
                    ),
                )
            )
        else:
            add("No findings: the checks found nothing to report.")
            add("")

    def problems(self) -> None:
        """Problems and objectives."""
        plan = self.plan
        out = self.out
        add = out.append
        sev_of = self.sev_of
        add("## Problems and objectives")
        add("")
        add("### Problem Tree")
        add("")
        if plan.problems:
            out.extend(
                table(
                    ("Problem", "Statement", "Core", "Caused by", "Leads to", "Evidence"),
                    (
                        (
                            code(p.id) + sev_of(p.id),
                            md_cell(p.statement),
                            "core" if p.core else "",
                            codes(p.causes),
                            codes(p.effects),
                            "<br>".join(
                                ": ".join(md_cell(x) for x in (e.source, e.finding) if x)
                                + (f" ({md_cell(e.link)})" if e.link else "")
                                for e in p.evidence
                            ),
                        )
                        for p in plan.problems
                    ),
                )
            )
        else:
            add("_No problems yet._")
            add("")
        add("### Specific objectives")
        add("")
        if plan.objectives:
            out.extend(
                table(
                    ("Objective", "Title", "Description", "Addresses", "Target groups"),
                    (
                        (
                            code(o.id) + sev_of(o.id),
                            md_cell(o.title),
                            md_cell(o.description),
                            codes(o.addresses),
                            ", ".join(md_cell(g) for g in o.target_groups),
                        )
                        for o in plan.objectives
                    ),
                )
            )
        else:
            add("_No objectives yet._")
            add("")

    def actions(self) -> None:
        """City Action Table."""
        plan = self.plan
        index = self.index
        out = self.out
        add = out.append
        sev_of = self.sev_of
        add("## City Action Table")
        add("")
        if plan.actions:
            out.extend(
                table(
                    (
                        "Action",
                        "Intended results",
                        "Resources",
                        "Outputs",
                        "Long-term change",
                        "Timescale",
                        "Lead",
                        "Objectives served",
                    ),
                    (
                        (
                            f"{code(a.id)} **{md_cell(a.title)}**{sev_of(a.id)}"
                            + (f"<br>{md_cell(a.description)}" if a.description else ""),
                            md_cell(a.intended_results),
                            "<br>".join(md_cell(fmt_resource(r)) for r in a.resources),
                            "<br>".join(md_cell(o) for o in a.outputs),
                            md_cell(a.long_term_change),
                            md_cell(fmt_period(a.timescale)),
                            refs(index, [a.lead]) if a.lead else "",
                            refs(index, a.contributes_to),
                        )
                        for a in plan.actions
                    ),
                )
            )
        else:
            add("_No actions yet._")
            add("")

    def indicators(self) -> None:
        """Indicators."""
        plan = self.plan
        out = self.out
        add = out.append
        sev_of = self.sev_of
        add("## Indicators")
        add("")
        if plan.indicators:
            add("Progress = (current value − baseline) / (goal − baseline), in the indicator's direction.")
            add("")
            rows = []
            for i in plan.indicators:
                actual, to_target, with_progress = indicator_progress(i)
                milestones = []
                for m, p in with_progress:
                    text = md_cell(fmt_measurement(m))
                    if actual is not None:
                        text += f": {md_cell(progress_text(p))}"
                    milestones.append(text)
                rows.append(
                    (
                        f"{code(i.id)} {md_cell(i.name)}" + (f" ({md_cell(i.unit)})" if i.unit else "") + sev_of(i.id),
                        md_cell(i.kind),
                        codes(i.measures),
                        md_cell(fmt_measurement(i.baseline)),
                        "<br>".join(milestones),
                        md_cell(fmt_measurement(i.target)),
                        md_cell(fmt_measurement(actual)) if actual is not None else "none yet",
                        md_cell(progress_text(to_target)),
                        md_cell(i.source),
                    )
                )
            out.extend(
                table(
                    (
                        "Indicator",
                        "Kind",
                        "Measures",
                        "Baseline",
                        "Milestones",
                        "Target",
                        "Latest actual",
                        "Progress to target",
                        "Source",
                    ),
                    rows,
                )
            )
        else:
            add("_No indicators yet._")
            add("")

    def stakeholders(self) -> None:
        """Stakeholders and meetings."""
        plan = self.plan
        index = self.index
        out = self.out
        add = out.append
        sev_of = self.sev_of
        add("## Stakeholders")
        add("")
        if plan.stakeholders:
            out.extend(
                table(
                    ("Stakeholder", "Type", "Participation", "Represents", "Leads", "Partner in"),
                    (
                        (
                            f"{code(s.id)} {md_cell(s.name)}{sev_of(s.id)}",
                            md_cell(s.type),
                            md_cell(s.participation),
                            ", ".join(md_cell(g) for g in s.represents),
                            codes(index.referrers("lead", s.id)),
                            codes(index.referrers("partners", s.id)),
                        )
                        for s in plan.stakeholders
                    ),
                )
            )
        else:
            add("_No stakeholders yet._")
            add("")
        if plan.meetings:
            add("### Meetings")
            add("")
            out.extend(
                table(
                    ("Date", "Kind", "Topic", "Participants"),
                    (
                        (md_cell(m.date), md_cell(m.kind), md_cell(m.topic), codes(m.participants))
                        for m in plan.meetings
                    ),
                )
            )

    def risks(self) -> None:
        """Risks."""
        plan = self.plan
        out = self.out
        add = out.append
        sev_of = self.sev_of
        add("## Risks")
        add("")
        if plan.risks:
            out.extend(
                table(
                    ("Risk", "Likelihood", "Impact", "Mitigation", "Affects"),
                    (
                        (
                            f"{code(r.id)} {md_cell(r.description)}{sev_of(r.id)}",
                            md_cell(r.likelihood),
                            md_cell(r.impact),
                            md_cell(r.mitigation),
                            codes(r.affects),
                        )
                        for r in plan.risks
                    ),
                )
            )
        else:
            add("_No risks yet._")
            add("")

    def testing(self) -> None:
        """Testing actions."""
        plan = self.plan
        index = self.index
        add = self.out.append
        sev_of = self.sev_of
        add("## Testing actions")
        add("")
        if plan.testing_actions:
            for t in plan.testing_actions:
                head = md_inline(t.idea or t.challenge or "")
                status = f" ({md_inline(t.status)})" if t.status else ""
                add(f"### {code(t.id)} {head}{status}{sev_of(t.id)}".rstrip())
                add("")
                for title, value in (
                    ("Challenge", t.challenge),
                    ("What if…", t.what_if),
                    ("We want to test if…", t.hypothesis),
                    ("Idea", t.idea),
                    ("Measurement", t.measurement),
                    ("Why test", ", ".join(t.purposes)),
                    ("Period", fmt_period(t.period)),
                    ("Learnings", t.learnings),
                ):
                    if value:
                        add(f"- **{title}:** {md_inline(value)}")
                if t.tests:
                    add(f"- **Tests:** {refs(index, t.tests).replace('<br>', ', ')}")
                add("")
        else:
            add("_No testing actions yet._")
            add("")

    def implementation(self) -> None:
        """Implementation."""
        plan = self.plan
        add = self.out.append
        add("## Implementation framework")
        add("")
        im = plan.implementation
        if im is not None and any((im.governance, im.monitoring, im.communication, im.funding_strategy)):
            for title, value in (
                ("Governance", im.governance),
                ("Monitoring", im.monitoring),
                ("Communication", im.communication),
                ("Funding strategy", im.funding_strategy),
            ):
                if value:
                    add(f"- **{title}:** {md_inline(value)}")
            add("")
        else:
            add("_The plan has no implementation framework yet._")
            add("")

    def scorecards(self) -> None:
        """Scorecards."""
        cards = self.ctx.scorecards
        out = self.out
        add = out.append
        add("## Scorecards")
        add("")
        if not cards:
            add("_No rubric is installed._")
            add("")
        for card in cards:
            add(
                f"### {md_inline(card.rubric.title)} ({md_inline(card.rubric.name)} {md_inline(card.rubric.version)}): "
                f"{score_text(card.total)} / {card.max}"
            )
            add("")
            if card.assessors:
                add("People's scores from: " + ", ".join(md_inline(a) for a in card.assessors))
                add("")
            out.extend(
                table(
                    ("Section", "Score", "Max", "Not scored"),
                    (
                        (
                            md_cell(section_label(s.section.id, s.section.title)),
                            score_text(s.score),
                            str(s.max),
                            str(s.unscored),
                        )
                        for s in card.sections
                    ),
                )
            )
            rows = []
            for s in card.sections:
                for r in s.criteria:
                    auto = r.automatic
                    evidence = []
                    if auto is not None:
                        evidence.append(md_cell(auto.reason))
                        if auto.elements:
                            chips = evidence_chips(self.plan, self.index, auto.elements)
                            shown, more = chips[:30], len(chips) - 30
                            words = [code(c.text) if c.mono else md_cell(c.text) for c in shown]
                            evidence.append(" · ".join(words) + (f" +{more} more" if more > 0 else ""))
                    evidence.extend(f"_{md_cell(p.assessor)}:_ {md_cell(p.evidence)}" for p in r.people if p.evidence)
                    rows.append(
                        (
                            md_cell(section_label(s.section.id, s.section.title)),
                            md_cell(r.criterion.title),
                            f"**{score_text(r.score)}** / 5",
                            score_text(auto.score) if auto is not None else "no scorer",
                            "<br>".join(f"{md_cell(p.assessor)}: {p.score}" for p in r.people) or "—",
                            "<br>".join(evidence),
                        )
                    )
            out.extend(table(("Section", "Criterion", "Score", "Automatic", "People", "Evidence"), rows))

    def footer(self) -> None:
        """The last line: what wrote the report."""
        self.out.extend(["---", "", f"_Generated by techdiversity from plan {code(self.plan.id)}._"])


def render_markdown(ctx: ExportContext) -> str:
    """The report as one Markdown document (GitHub-flavoured: tables, Mermaid)."""
    w = _Writer(ctx)
    w.header()
    w.context()
    w.logic()
    w.findings()
    w.problems()
    w.actions()
    w.indicators()
    w.stakeholders()
    w.risks()
    w.testing()
    w.implementation()
    w.scorecards()
    w.footer()
    return "\n".join(w.out) + "\n"


EXPORTERS = (
    Exporter(
        "markdown",
        "Markdown report",
        ".md",
        "text/markdown",
        render_markdown,
        description=(
            "The HTML report's content as GitHub-flavoured Markdown for wikis and pull requests: "
            "tables, a Mermaid drawing of the intervention logic, scorecards as tables."
        ),
        options=(
            ExporterOption("mermaid", "draw the intervention logic as a Mermaid flowchart", "boolean", True),
            MAX_NODES_OPTION,
        ),
    ),
)
