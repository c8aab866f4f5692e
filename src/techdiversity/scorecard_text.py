"""Scorecards and rubric listings for people: plain text (100 columns) and Markdown.

``techdiversity score`` prints :func:`scorecard_text` or :func:`scorecard_markdown`;
``techdiversity rubrics`` prints :func:`rubrics_text`. Sections are headings; each
criterion shows its wording mark (explained by :data:`LEGEND`), the automatic score,
each assessor's score and comment beside it, the findings of the checks it listens to
with their place, the city's own self-assessment where the scorer took one into
account, and where these disagree. Every text that comes from a plan or an assessment
file is put on one line with its control characters replaced, so that it can neither
forge a line of the output nor send a terminal control sequence.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterable

from .markdown import escape
from .rubrics import CriterionResult, Rubric, ScoreCard
from .safetext import one_line

__all__ = ["LEGEND", "WIDTH", "clean", "rubrics_text", "scorecard_markdown", "scorecard_text"]

#: The width the text output fits.
WIDTH = 100

#: What the marks and columns of a scorecard mean.
LEGEND = (
    "Scores run from 1 to 5: the rubric describes levels 1, 3 and 5, and 2 and 4 lie between."
    " [seed] marks a criterion in the source document's own words; [completion] marks this"
    " library's (or a plugin's) completion, where the source gives no criterion or no levels."
    " 'auto' is what the program reads in the plan; assessors' scores stand beside it, and"
    " their mean is the score when there are any. Findings of the checks a criterion listens"
    " to are cited with their place; an error among them keeps the criterion below 5."
)

_RUBRIC_LEGEND = (
    "[seed]: the criterion in the source document's own words; [completion]: this library's (or a"
    " plugin's) completion, where the source gives no criterion or no levels. 'listens to': the checks"
    " whose findings bear on the criterion (an error among them keeps it below 5)."
)


def clean(text: object) -> str:
    """Text on one line (:func:`techdiversity.safetext.one_line`): line breaks and runs of
    blanks as one space, control, separator and bidirectional-override characters shown
    as visible escapes."""
    return " ".join(one_line(text).split())


def _wrap(text: str, indent: str = "", hang: str | None = None, width: int = WIDTH) -> list[str]:
    line = clean(text)
    if line and len(indent) + len(line) <= width:  # fits: what textwrap would give, without it
        return [indent + line]
    return list(_wrapped(line, indent, indent + "  " if hang is None else hang, width))


@functools.lru_cache(maxsize=2048)
def _wrapped(line: str, indent: str, hang: str, width: int) -> tuple[str, ...]:
    """Wrapped lines; cached, since a batch of plans repeats the rubrics' long texts (legend, titles)."""
    lines = textwrap.wrap(line, width=width, initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False)
    return tuple(lines) or (indent.rstrip(),)


def _num(value: float | int | None) -> str:
    return "-" if value is None else str(value)


def _mark(wording: str) -> str:
    return f"[{wording}]"


def _scores_line(result: CriterionResult, assessors: Iterable[str]) -> str:
    auto = result.automatic.score if result.automatic is not None else None
    people = {p.assessor: p.score for p in result.people}
    parts = [f"score {_num(result.score)}"]
    if result.people:
        parts[0] += " (assessors' mean)" if len(result.people) > 1 else " (assessor)"
    if result.criterion.scorer is None:
        parts.append("no automatic scorer")
    else:
        parts.append("auto " + ("-" if auto is None else str(auto)))
    parts += [f"{clean(a)} {_num(people.get(a))}" for a in assessors]
    return " · ".join(parts)


def _unscored(card: ScoreCard) -> list[str]:
    return [r.criterion.id for r in card.results() if r.score is None]


def scorecard_text(card: ScoreCard, width: int = WIDTH) -> str:
    """A scorecard as plain text, at most ``width`` columns wide (long words aside)."""
    rubric = card.rubric
    out = _wrap(f"{rubric.title} ({rubric.name} {rubric.version})", width=width)
    out.append("=" * min(width, max(len(line) for line in out)))
    out += _wrap(f"Plan {card.plan_id}: {card.total}/{card.max}", width=width)
    if card.assessors:
        out += _wrap("Assessors: " + ", ".join(card.assessors), width=width)
    out.append("")
    out += _wrap(LEGEND, width=width, hang="")
    for section in card.sections:
        out.append("")
        head = _wrap(f"{section.section.id} {section.section.title}: {section.score}/{section.max}", width=width)
        out += head
        out.append("-" * min(width, max(len(line) for line in head)))
        for result in section.criteria:
            c = result.criterion
            out.append("")
            out += _wrap(f"{c.id} {_mark(c.wording)}", width=width)
            out += _wrap(c.title, "  ", width=width)
            out += _wrap(_scores_line(result, card.assessors), "  ", width=width)
            auto = result.automatic
            if auto is not None:
                out += _wrap("why: " + auto.reason, "  ", width=width)
                for line in auto.evidence()[1:]:
                    out += _wrap(line, "  ", width=width)
            for p in result.people:
                comment = f": {p.evidence}" if p.evidence else ""
                out += _wrap(f"{p.assessor} ({p.score}){comment}", "  ", width=width)
            for d in result.disagreements:
                out += _wrap("differs: " + d, "  ", width=width)
    out.append("")
    total = f"Total: {card.total}/{card.max}"
    unscored = _unscored(card)
    if unscored:
        total += (
            f" ({len(unscored)} criterion{'s' if len(unscored) > 1 else ''} left to assessors: {', '.join(unscored)})"
        )
    out += _wrap(total, width=width)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Markdown

_MD_MARK = re.compile(r"^([#+\-=!>*])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def _md(text: object) -> str:
    return escape(clean(text))


def _md_wrap(text: str, first: str, rest: str, width: int = WIDTH) -> list[str]:
    """Escaped Markdown text wrapped at ``width``; no wrapped line can start a list or a heading."""
    lines = textwrap.wrap(
        text, width=width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False, break_long_words=False
    ) or [first.rstrip()]
    tail = [_MD_ORDERED.sub(r"\1\\\2", _MD_MARK.sub(r"\\\1", line[len(rest) :])) for line in lines[1:]]
    return [lines[0]] + [rest + line for line in tail]


def scorecard_markdown(card: ScoreCard) -> str:
    """A scorecard as Markdown: sections as headings, a score table, then each criterion's evidence."""
    rubric = card.rubric
    assessors = list(card.assessors)
    out = [f"## {_md(rubric.title)}", ""]
    out += _md_wrap(
        f"Plan `{clean(card.plan_id)}`, rubric `{clean(rubric.name)}` {_md(rubric.version)}:"
        f" **{card.total}/{card.max}**."
        + (f" Assessors: {', '.join(_md(a) for a in assessors)}." if assessors else ""),
        "",
        "",
    )
    out.append("")
    out += _md_wrap(escape(LEGEND), "", "")
    head = ["Criterion", "Wording", "Automatic", *[_md(a) for a in assessors], "Score"]
    for section in card.sections:
        out += ["", f"### {_md(section.section.id)} {_md(section.section.title)}: {section.score}/{section.max}", ""]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        for r in section.criteria:
            auto = r.automatic.score if r.automatic is not None else None
            people = {p.assessor: p.score for p in r.people}
            cells = [
                f"`{r.criterion.id}`",
                r.criterion.wording,
                "–" if auto is None else str(auto),
                *["–" if people.get(a) is None else str(people[a]) for a in assessors],
                "–" if r.score is None else str(r.score),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        for r in section.criteria:
            out += _md_wrap(
                f"**`{r.criterion.id}`** {_md(_mark(r.criterion.wording))}: {_md(r.criterion.title)}", "- ", "  "
            )
            auto_j = r.automatic
            if auto_j is not None:
                label = "Automatic" if auto_j.score is None else f"Automatic ({auto_j.score})"
                out += _md_wrap(f"{label}: {_md(auto_j.reason)}", "  - ", "    ")
                for line in auto_j.evidence()[1:]:
                    out += _md_wrap(_md(line), "  - ", "    ")
            for p in r.people:
                comment = f": {_md(p.evidence)}" if p.evidence else ""
                out += _md_wrap(f"{_md(p.assessor)} ({p.score}){comment}", "  - ", "    ")
            for d in r.disagreements:
                out += _md_wrap(f"Differs: {_md(d)}", "  - ", "    ")
    out.append("")
    unscored = _unscored(card)
    total = f"**Total: {card.total}/{card.max}**"
    if unscored:
        total += f" ({len(unscored)} left to assessors: {', '.join(f'`{u}`' for u in unscored)})"
    out.append(total)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# The rubric listing


def rubrics_text(rubrics: Iterable[Rubric], width: int = WIDTH) -> str:
    """``techdiversity rubrics``: every rubric, section and criterion, its wording and the checks it hears."""
    out = _wrap(_RUBRIC_LEGEND, width=width, hang="")
    for r in rubrics:
        out.append("")
        out += _wrap(f"{r.name} {r.version}: {r.title} (from {r.plugin})", width=width)
        for s in r.sections:
            out += _wrap(f"{s.id} {s.title}", "  ", width=width)
            for c in s.criteria:
                out += _wrap(f"{c.id} {_mark(c.wording)}: {c.title}", "    ", "      ", width=width)
                if c.listens_to:
                    heard = ", ".join(str(x) for x in c.listens_to)
                    out += _wrap(f"listens to: {heard}", "      ", "        ", width=width)
    return "\n".join(out) + "\n"
