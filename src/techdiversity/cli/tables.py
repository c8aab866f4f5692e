"""Text tables that fit a width: cells wrapped at words, columns shrunk widest first.

The commands print tables for people at a terminal, and a terminal is 100 columns
or less wide more often than not. :func:`table` lays out headers and rows in the
``simple`` style (a line of dashes under the headers, two spaces between columns),
wrapping each cell within its column and shrinking the widest column first until
the whole table fits ``width``. Widths count display cells: a wide (East Asian)
character takes two, a combining mark none. Cells are made one safe line first
(:func:`techdiversity.scorecard_text.clean`: no control or bidirectional override
characters), so user text cannot forge a line or send a control sequence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from ..scorecard_text import clean

__all__ = ["DEFAULT_WIDTH", "GAP", "display_width", "fit_widths", "paragraph", "table", "wrap_cell"]

#: The width text output fits unless told otherwise.
DEFAULT_WIDTH = 100

GAP = 2  # spaces between columns


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    return sum(_char_width(ch) for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def wrap_cell(text: str, width: int) -> list[str]:
    """``text`` (one line already) in lines of at most ``width`` cells, broken at spaces,
    a word longer than a line broken where it overflows. An empty text is one empty line."""
    width = max(1, width)
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        if not word:
            continue
        w = display_width(word)
        if line and used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
            continue
        if line:
            lines.append(line)
            line, used = "", 0
        for ch in word:
            cw = _char_width(ch)
            if used + cw > width and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += cw
    lines.append(line)
    return lines


def _safe(value: object) -> str:
    """A cell as one safe line; leading spaces (an indented label) are kept."""
    text = "" if value is None else str(value)
    lead = len(text) - len(text.lstrip(" "))
    return " " * lead + clean(text)


def _wrap_indented(text: str, width: int) -> list[str]:
    lead = len(text) - len(text.lstrip(" "))
    if not lead or lead >= width:
        return wrap_cell(text.lstrip(" ") if lead >= width else text, width)
    return [" " * lead + line for line in wrap_cell(text[lead:], width - lead)]


def _longest_word(text: str) -> int:
    return max((display_width(w) for w in text.split(" ")), default=0)


def fit_widths(
    columns: Sequence[Sequence[str]],
    budget: int,
    minimum: Sequence[int] | None = None,
    maximum: Sequence[int | None] | None = None,
) -> list[int]:
    """Widths for ``columns`` (each a header and its cells) that add up to at most ``budget``.

    Each column starts at its natural width. While the table is too wide, the column
    furthest above its minimum (by ratio: a long text shrinks before a short number) is
    narrowed by one cell and snapped to the widest line its cells wrap to, so no width
    is kept that no line uses. A column wider than its ``maximum`` (when given) is
    wrapped to it first. The minimum is the column's longest word (at most 24)
    unless ``minimum`` says otherwise; when even the minimums do not fit, words are
    broken (down to one cell a column).
    """
    widths = [max(1, max((display_width(c) for c in col), default=0)) for col in columns]
    for i, most in enumerate(maximum or ()):
        if most is not None and widths[i] > most:
            widths[i] = max(1, max(display_width(line) for c in columns[i] for line in _wrap_indented(c, most)))
    if minimum is None:
        floors = [max(1, min(24, max((_longest_word(c.lstrip(" ")) for c in col), default=1))) for col in columns]
    else:
        floors = [max(1, m) for m in minimum]
    for floor_of in (floors, [1] * len(widths)):
        while sum(widths) > budget:
            candidates = [i for i, w in enumerate(widths) if w > floor_of[i]]
            if not candidates:
                break
            chosen = max(candidates, key=lambda i: (widths[i] / floor_of[i], widths[i], -i))
            narrower = widths[chosen] - 1
            widths[chosen] = max(
                1, max(display_width(line) for c in columns[chosen] for line in _wrap_indented(c, narrower))
            )
        if sum(widths) <= budget:
            break
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    width: int = DEFAULT_WIDTH,
    right: Sequence[int] = (),
    minimum: Sequence[int] | None = None,
    maximum: Sequence[int | None] | None = None,
) -> str:
    """A ``simple`` table of ``rows`` under ``headers`` in at most ``width`` cells a line.

    ``right`` holds the indexes of right-aligned columns (numbers); ``minimum`` the
    width each column keeps while others can still shrink (default: its longest word,
    at most 24; see :func:`fit_widths`). Lines end without trailing spaces; the result ends with a newline.
    """
    head = [_safe(h) for h in headers]
    body = [[_safe(c) for c in row] for row in rows]
    columns = [list(col) for col in zip(head, *body, strict=True)] if head else []
    widths = fit_widths(columns, width - GAP * (len(columns) - 1), minimum, maximum)
    aligned = set(right)

    def lines_of(cells: Sequence[str]) -> list[str]:
        wrapped = [_wrap_indented(c, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [_pad(w[k] if k < len(w) else "", widths[i], i in aligned) for i, w in enumerate(wrapped)]
            out.append((" " * GAP).join(parts).rstrip())
        return out

    out = lines_of(head)
    out.append((" " * GAP).join("-" * w for w in widths))
    for row in body:
        out.extend(lines_of(row))
    return "\n".join(out) + "\n"


def paragraph(text: object, width: int = DEFAULT_WIDTH, first: str = "", rest: str | None = None) -> str:
    """User text as safe lines of at most ``width`` cells: ``first`` before the first line,
    ``rest`` (default: as many spaces) before the others."""
    hang = " " * display_width(first) if rest is None else rest
    room = max(1, width - max(display_width(first), display_width(hang)))
    lines = wrap_cell(clean(text), room)
    return "\n".join((first if k == 0 else hang) + line for k, line in enumerate(lines)).rstrip()
