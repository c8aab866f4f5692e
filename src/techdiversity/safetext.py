"""User text made safe for a terminal: the one sanitiser of what the command line prints.

Text from a plan, an assessment or a file name can hold characters that a terminal
acts on instead of showing: control characters (an escape sequence ``\\x1b[2J``
clears the screen, a carriage return ``\\r`` moves back to the start of the line),
line separators (``\\n``, ``\\x85``, ``\\u2028``, ``\\u2029``, ``\\x0b``, ``\\x0c``,
``\\x1c`` to ``\\x1e``: a key holding one makes a line that looks like a diagnostic of
another file) and the bidirectional embeddings, overrides and isolates (which reorder
what is shown around them). Lone surrogates cannot be written at all.

- :func:`visible` shows each of them as an escape a person can read (``\\n``,
  ``\\x1b``, ``\\u202e``): for a line that must stay one line, such as a diagnostic or a
  finding, whatever it quotes;
- :func:`one_line` is for prose that is reflowed anyway (a table cell, a paragraph):
  ordinary line breaks and tabs become spaces, the rest is shown as :func:`visible` does;
- :func:`quote` is for error messages: a value in quotes, escaped, and cut at
  :data:`~techdiversity.limits.MAX_QUOTED` characters.

Everything the command line prints from user data goes through one of these
(diagnostics, findings, ``diff``, ``compare``, ``score``, ``monitor``, tables).
"""

from __future__ import annotations

import re

from .limits import MAX_QUOTED

__all__ = ["UNSAFE", "one_line", "quote", "visible"]

#: C0 and C1 controls (and DEL), the Unicode line and paragraph separators, the
#: bidirectional embeddings, overrides and isolates, and lone surrogates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BREAKS = re.compile("(?:[ \t\n]|\r\n)+")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control, line separator, bidi control and surrogate shown as an escape."""
    s = "" if text is None else text if isinstance(text, str) else str(text)
    if s.isascii() and s.isprintable():  # the common case, at C speed
        return s
    return UNSAFE.sub(_escape, s)


def one_line(text: object) -> str:
    """Prose on one line: runs of spaces, tabs and line feeds as one space, everything else unsafe escaped."""
    s = "" if text is None else text if isinstance(text, str) else str(text)
    return visible(_BREAKS.sub(" ", s).strip(" "))


def quote(text: object, limit: int = MAX_QUOTED) -> str:
    """``text`` in quotes for an error message: escaped, and cut to ``limit`` characters (with ``…``)."""
    s = "" if text is None else text if isinstance(text, str) else str(text)
    if len(s) > limit:
        s = s[: max(1, limit - 1)] + "…"
    # repr() shows every character that is not printable as an escape (controls, line
    # separators, bidi controls, surrogates), and picks quotes the text needs no escape for
    return repr(s)
