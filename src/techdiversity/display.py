"""How results show in a console and in a notebook: one-line reprs and escaped HTML tables.

``repr()`` of a :class:`~techdiversity.ScoreCard`, a :class:`~techdiversity.Report`
and a :class:`~techdiversity.Network` is one short line, a summary; their
``_repr_html_`` is a table that Jupyter and similar notebooks show. Every piece of
text from a plan is escaped (HTML) or made one printable line (repr), so a plan
cannot forge markup or send control sequences to a terminal.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

#: The most rows an HTML table shows; the rest are counted in a last row.
MAX_ROWS = 200

_STYLE = (
    "<style>.td-table{border-collapse:collapse;font-size:0.85em}"
    ".td-table th,.td-table td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
    ".td-table caption{text-align:left;font-weight:bold;padding:2px 0}"
    ".td-table tr.td-section td{background:#f0f0f3;font-weight:bold}</style>"
)


def one_line(value: object, limit: int = 40) -> str:
    """``value`` as one printable line of at most ``limit`` characters (control characters escaped)."""
    from .safetext import one_line as safe_line

    text = " ".join(safe_line(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(caption: str, headers: Sequence[str], rows: Iterable[tuple[str, Sequence[object]]], total: int) -> str:
    """An HTML table; each row is (css class or "", cells). Cells are escaped here."""
    out = [_STYLE, '<table class="td-table">', f"<caption>{_cell(caption)}</caption>"]
    out.append("<thead><tr>" + "".join(f"<th>{_cell(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    shown = 0
    for css, cells in rows:
        if shown >= MAX_ROWS:
            break
        attr = f' class="{css}"' if css else ""
        out.append(f"<tr{attr}>" + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
        shown += 1
    if total > shown:
        out.append(f'<tr><td colspan="{len(headers)}">… {total - shown} more</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _score(value: object) -> str:
    return "–" if value is None else str(value)


# ---------------------------------------------------------------------------
# ScoreCard


def scorecard_repr(card: Any) -> str:
    results = list(card.results())
    unscored = sum(1 for r in results if r.score is None)
    people = f", assessors: {', '.join(one_line(a, 30) for a in card.assessors)}" if card.assessors else ""
    return (
        f"<ScoreCard {one_line(card.rubric.name)} {one_line(card.rubric.version, 12)} of plan"
        f" {one_line(card.plan_id)}: {card.total}/{card.max}, {len(results)} criteria"
        f" ({unscored} without a score){people}>"
    )


def scorecard_html(card: Any) -> str:
    assessors = list(card.assessors)
    headers = ["Criterion", "Automatic", *assessors, "Score", "Evidence"]
    rows: list[tuple[str, Sequence[object]]] = []
    for section in card.sections:
        title = f"{section.section.id} {section.section.title}"
        rows.append(("td-section", [title, "", *[""] * len(assessors), f"{section.score}/{section.max}", ""]))
        for r in section.criteria:
            auto = r.automatic.score if r.automatic is not None else None
            given = {p.assessor: p.score for p in r.people}
            reason = r.automatic.reason if r.automatic is not None else ""
            rows.append(
                (
                    "",
                    [
                        r.criterion.title,
                        _score(auto),
                        *[_score(given.get(a)) for a in assessors],
                        _score(r.score),
                        reason,
                    ],
                )
            )
    caption = (
        f"{card.rubric.title} ({card.rubric.name} {card.rubric.version}), plan {card.plan_id}: {card.total}/{card.max}"
    )
    return _table(caption, headers, rows, len(rows))


# ---------------------------------------------------------------------------
# Report


def _counts(report: Any) -> str:
    return ", ".join(f"{report.count(s)} {s}" for s in ("error", "warning", "info"))


def report_repr(report: Any) -> str:
    where = f" ({one_line(report.path, 60)})" if report.path else ""
    return f"<Report of plan {one_line(report.plan_id)}{where}: {len(report)} findings: {_counts(report)}>"


def report_html(report: Any) -> str:
    rows = [
        ("", [str(f.location) if f.location is not None else f.pointer, f.code, f.severity, f.message])
        for f in report.findings
    ]
    caption = f"Findings of plan {report.plan_id}: {_counts(report)}"
    return _table(caption, ["Place", "Code", "Severity", "Message"], rows, len(rows))


# ---------------------------------------------------------------------------
# Network


def network_repr(network: Any) -> str:
    cities = [one_line(city, 24) for city in network.cities[:4]]
    more = ", …" if len(network.plans) > 4 else ""
    return f"<Network of {len(network.plans)} plans: {', '.join(cities)}{more}; {len(network.errors)} unreadable>"


def network_html(network: Any) -> str:
    headers = ["City", "Plan", "Country", "Status", "Problems", "Objectives", "Actions", "Indicators", "Stakeholders"]
    rows: list[tuple[str, Sequence[object]]] = [
        (
            "",
            [
                city,
                p.id,
                p.plan.country,
                p.plan.status,
                len(p.problems),
                len(p.objectives),
                len(p.actions),
                len(p.indicators),
                len(p.stakeholders),
            ],
        )
        for p, city in zip(network.plans, network.cities, strict=True)
    ]
    for path, error in network.errors.items():
        first = error.diagnostics[0] if error.diagnostics else None
        rows.append(("", [path, "could not be read", str(first) if first is not None else "", "", "", "", "", "", ""]))
    caption = f"Network of {len(network.plans)} plans" + (
        f", {len(network.errors)} file(s) could not be read" if network.errors else ""
    )
    return _table(caption, headers, rows, len(rows))
