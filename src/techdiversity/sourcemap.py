"""Where things came from: JSON pointers mapped to file, line and column.

Every reader returns, beside the raw data, a :class:`SourceMap`. Positions are worked
out on demand, so that a clean file pays nothing for them:

- a reader may give a ``finder``, which locates only the pointers asked for (and their
  ancestors) in one pass over the text: the findings of a check are located together
  (:meth:`SourceMap.prepare`), at a cost in proportion to the findings, and only their
  positions are kept;
- a ``builder`` makes the whole map, for those who want every position (the language
  server, :meth:`SourceMap.pointers`).

Readers that know every position anyway (workbooks, IATI XML) fill the map directly.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import attrs

__all__ = ["Location", "Positions", "SourceMap", "TextFinder", "escape", "join", "pointer_to_path", "pointer_trie"]

#: pointer -> (line, column), both 1-based.
Positions = dict[str, tuple[int, int]]

#: Locates some pointers in one pass over a text: the positions of the values and keys
#: of those found, and of their ancestors.
Finder = Callable[[Collection[str]], tuple[Positions, Positions]]


def escape(token: str | int) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    if isinstance(token, int):
        return str(token)
    return token.replace("~", "~0").replace("/", "~1")


def join(pointer: str, token: str | int) -> str:
    """The pointer of a child: ``join('/actions', 3) == '/actions/3'``."""
    return f"{pointer}/{escape(token)}"


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


class TextFinder:
    """The base of a reader's finder over a text: it holds the text, and pickles as it (a
    plan travels to and from worker processes with its lazy source map)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __getstate__(self) -> str:
        return self.text

    def __setstate__(self, state: str) -> None:
        self.text = state


def pointer_trie(pointers: Collection[str]) -> tuple[dict[str, Any], int]:
    """The pointers as a trie of their unescaped tokens, and how many nodes it has (what a
    finder walks towards, and how many places it must find before it can stop)."""
    trie: dict[str, Any] = {}
    count = 0
    for pointer in pointers:
        node = trie
        for raw in pointer.split("/")[1:]:
            token = _unescape(raw)
            if token not in node:
                node[token] = {}
                count += 1
            node = node[token]
    return trie, count


def pointer_to_path(pointer: str) -> str:
    """A pointer as a reader writes a field: ``/actions/3/timescale`` -> ``actions[3].timescale``."""
    out = ""
    for raw in pointer.split("/")[1:]:
        token = _unescape(raw)
        if token.isdigit():
            out += f"[{token}]"
        elif out:
            out += f".{token}"
        else:
            out = token
    return out


@attrs.frozen(order=True)
class Location:
    """A place in a file: path, 1-based line and column, and the JSON pointer."""

    path: str | None
    line: int | None
    column: int | None
    pointer: str = ""
    #: Where inside the file, for formats whose places are not lines (``sheet Indicators,
    #: cell D7`` in a workbook); messages end with it in brackets. Not part of equality.
    detail: str | None = attrs.field(default=None, eq=False)

    def __str__(self) -> str:
        parts = [self.path or "<string>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)

    def to_json(self) -> dict[str, object]:
        """The ``location`` object of ``check --format json``."""
        return {"path": self.path, "line": self.line, "column": self.column}


@attrs.define(eq=False)
class SourceMap:
    """Positions of values (and of mapping keys) in one source text.

    ``values`` maps the pointer of a value to where that value starts; ``keys`` maps
    the pointer of a value to where its key is written. With a ``finder``, they are
    filled with the pointers looked up (and their ancestors) only; else ``builder``,
    if any, fills them whole on the first lookup. Both should pickle (a module-level
    class or a ``functools.partial``) so that a plan can cross a process boundary.
    """

    path: str | None
    values: Positions = attrs.field(factory=dict)
    keys: Positions = attrs.field(factory=dict)
    builder: Callable[[], tuple[Positions, Positions]] | None = None
    #: pointer -> a description of the place (``sheet Indicators, cell D7``), for readers of
    #: formats whose lines and columns alone do not say where (workbooks).
    details: dict[str, str] = attrs.field(factory=dict)
    finder: Finder | None = None
    #: The pointers the finder has looked up already (found or not).
    _asked: set[str] = attrs.field(factory=set, init=False, repr=False)

    def _ensure(self) -> None:
        if self.builder is not None:
            build, self.builder = self.builder, None
            self.finder = None
            try:
                values, keys = build()
            except Exception:  # noqa: BLE001 - a locator is a convenience: never let it fail a check
                values, keys = {}, {}
            self.values.update(values)
            self.keys.update(keys)

    def prepare(self, pointers: Iterable[str]) -> None:
        """Look ``pointers`` up together, in one pass over the text, before locating them.

        Without a finder, this builds the whole map (if it is lazy) as :meth:`locate` would.
        """
        if self.finder is None:
            self._ensure()
            return
        wanted = {p for p in pointers if p not in self._asked}
        if not wanted:
            return
        self._asked.update(wanted)
        try:
            values, keys = self.finder(wanted)
        except Exception:  # noqa: BLE001 - a locator is a convenience: never let it fail a check
            return
        self.values.update(values)
        self.keys.update(keys)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The location of ``pointer``, or of its nearest ancestor that has one.

        With ``key=True`` the position of the key that names the value is preferred
        (for "unknown key" messages).
        """
        if self.finder is not None:
            self.prepare((pointer,))
        else:
            self._ensure()
        p = pointer
        while True:
            if key and p in self.keys:
                line, col = self.keys[p]
                return Location(self.path, line, col, pointer, self.details.get(p))
            if p in self.values:
                line, col = self.values[p]
                return Location(self.path, line, col, pointer, self.details.get(p))
            if p in self.keys:
                line, col = self.keys[p]
                return Location(self.path, line, col, pointer, self.details.get(p))
            if not p:
                return Location(self.path, 1, 1, pointer, self.details.get(p))
            p = p.rsplit("/", 1)[0]

    def pointers(self) -> Iterable[str]:
        """Every pointer with a known position."""
        self._ensure()
        return self.values.keys()
