"""Columns in code points (the source map's) and in the client's code units (the protocol's).

The source map counts 1-based lines and columns in code points; the Language Server
Protocol counts 0-based lines and, unless the client and the server agree on another
encoding, UTF-16 code units: an emoji before the cursor is one code point but two
UTF-16 units (and four UTF-8 bytes).
"""

from __future__ import annotations

__all__ = ["from_units", "to_units"]


def _units(text: str, encoding: str) -> int:
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_units(line: str, column: int, encoding: str = "utf-16") -> int:
    """The client's column (code units) of code-point column ``column`` of ``line``."""
    return _units(line[: max(0, column)], encoding)


def from_units(line: str, units: int, encoding: str = "utf-16") -> int:
    """The code-point column of the client's column ``units`` (past the end: the end).

    A column inside a character (between the two halves of a surrogate pair) is taken
    as the start of that character.
    """
    if units <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(units, len(line))
    count = 0
    for i, ch in enumerate(line):
        width = 1 if ord(ch) < 0x80 else _units(ch, encoding)
        if count + width > units:
            return i
        count += width
    return len(line)
