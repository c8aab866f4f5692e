"""Markdown helpers: user text made safe for Markdown documents and tables.

The one escape of user text for Markdown, used by ``score --format markdown``,
``compare --format markdown`` and the Markdown exporter. Every character that a
Markdown renderer (or the terminal the text is printed on) could take for something
other than text is dealt with here:

- line breaks of every kind (``\\r\\n``, a lone ``\\r``, ``\\x0b``, ``\\x0c``, ``\\x1c``
  to ``\\x1e``, ``\\x85``, ``\\u2028``, ``\\u2029``) become ``\\n`` in text, so that a
  line that starts with ``#`` or ``-`` is escaped like any other, and ``<br>`` in a
  table cell, so that a cell stays in its row;
- other controls, bidirectional embeddings, overrides and isolates, and lone
  surrogates are shown as visible escapes (:func:`techdiversity.safetext.visible`);
- Markdown's special characters (``|`` included), ``&`` (no entity can be formed)
  and a line start that would make a heading, a list item or a quote are escaped.
"""

from __future__ import annotations

import re

from .safetext import visible

__all__ = ["escape", "escape_cell"]

_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPECIAL = re.compile(r"([\\`*_{}\[\]|<>~$&])")
_LINE_START = re.compile(r"^(\s*)([#+\-=!])", re.M)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.M)


def _text(text: object) -> str:
    s = "" if text is None else text if isinstance(text, str) else str(text)
    lines = _BREAKS.sub("\n", s).split("\n")
    return "\n".join(visible(line) for line in lines)


def escape(text: object) -> str:
    """Escape user text for Markdown so that it shows as written (one line of text stays one line)."""
    escaped = _SPECIAL.sub(r"\\\1", _text(text))
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def escape_cell(text: object) -> str:
    """Escape for a table cell: as :func:`escape`, and every line break as ``<br>``."""
    return escape(text).replace("\n", "<br>")
