"""Markdown helpers: user text made safe for Markdown documents and tables."""

from __future__ import annotations

import re

__all__ = ["escape", "escape_cell"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]|<>~$])")
_LINE_START = re.compile(r"^(\s*)([#+\-=!])", re.M)
_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.M)


def escape(text: str) -> str:
    """Escape Markdown special characters so user text shows as written."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def escape_cell(text: str) -> str:
    """Escape for a table cell: special characters, and line breaks as ``<br>``."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")
