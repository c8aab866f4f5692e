"""Where the cursor is in a plan being typed: which key, in which part of the model.

A plan being typed is often not valid YAML, JSON or TOML, so completion cannot wait
for the reader. These functions read the text around the cursor instead (the lines
above it for YAML's indentation and TOML's tables, the text before it for JSON) and
say which mapping the cursor is in (a path of keys, ``*`` for a list item), whether
a key or a value is being written, and the word typed so far. :func:`resolve` then
finds the model class that path leads to.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Union, get_args, get_origin

import attrs

from .. import model

__all__ = ["Context", "context_at", "resolve"]

_WORD = re.compile(r"[A-Za-z0-9._:-]*")
#: Flow collections nested deeper than this are not followed (the reader refuses them too).
_MAX_DEPTH = 64
_KEY_WORD = re.compile(r"[A-Za-z0-9_-]*")
_TOML_KEY = re.compile(
    r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_TOML_PART = re.compile(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')


@attrs.frozen
class Context:
    """What is being written at the cursor.

    ``path`` is the mapping the cursor is in (``("actions", "*")`` inside an action);
    ``key`` the key whose value is being written (None when a key is being written);
    ``word`` what is typed of the current key or value, from column ``start`` to
    ``end`` (code points; the word may go on after the cursor).
    """

    path: tuple[str, ...]
    key: str | None
    word: str
    start: int
    end: int
    quoted: bool = False

    @property
    def on_key(self) -> bool:
        """True when a key is being written."""
        return self.key is None


def _unwrap(t: Any) -> Any:
    if get_origin(t) in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def resolve(path: tuple[str, ...] | list[str], root: type[Any] = model.Plan) -> Any:
    """The type a path of keys leads to in the model (an attrs class, ``tuple[...]``...), or None.

    ``*`` steps into a list item; a list is also stepped into when the path goes on
    with a key (TOML's ``[[actions]]`` is written without the item).
    """
    current: Any = root
    for part in path:
        if get_origin(current) is tuple:
            current = _unwrap(get_args(current)[0])
            if part == "*":
                continue
        if part == "*":
            return None
        if get_origin(current) is dict:
            current = _unwrap(get_args(current)[1])
            continue
        if not attrs.has(current):
            return None
        hints = typing.get_type_hints(current)
        if part not in hints or part == "source":
            return None
        current = _unwrap(hints[part])
    return current


def _trailing(text: str, pattern: re.Pattern[str]) -> int:
    """Where the trailing run of ``pattern``'s characters starts in ``text``."""
    i = len(text)
    while i > 0 and pattern.fullmatch(text[i - 1]):
        i -= 1
    return i


def _word_end(line: str, column: int, pattern: re.Pattern[str]) -> int:
    m = pattern.match(line, column)
    return m.end() if m else column


class _Flow:
    """A small scanner of flow collections (``[a, b]``, ``{k: v}``) before the cursor."""

    def __init__(self, path: tuple[str, ...], key: str | None, separator: str) -> None:
        # frames: [path of the container, is a list, key being written (maps)]
        self.base_path = path
        self.base_key = key
        self.frames: list[list[Any]] = []
        self.separator = separator
        self.too_deep = False

    def feed(self, text: str) -> tuple[int, bool]:
        """Scan ``text``; return where the current scalar starts in it and whether it is quoted."""
        i = 0
        start = 0
        quoted = False
        n = len(text)
        while i < n:
            ch = text[i]
            if ch in "\"'":
                j = i + 1
                while j < n and text[j] != ch:
                    j += 2 if text[j] == "\\" and ch == '"' else 1
                if j >= n:  # the cursor is inside this string
                    return i + 1, True
                i = j + 1
                start, quoted = i, False
                continue
            if ch == "#" and (i == 0 or text[i - 1] in " \t\n"):
                newline = text.find("\n", i)
                if newline == -1:
                    return n, False
                i = newline
                continue
            if ch in "[{":
                if len(self.frames) >= _MAX_DEPTH:  # deeper than any plan: nothing to complete
                    self.too_deep = True
                    return n, False
                self.frames.append([self._child_path(), ch == "[", None])
            elif ch in "]}":
                if self.frames:
                    self.frames.pop()
            elif ch == ",":
                if self.frames and not self.frames[-1][1]:
                    self.frames[-1][2] = None
            elif ch == self.separator and self.frames and not self.frames[-1][1]:
                if self.separator == "=" or i + 1 >= n or text[i + 1] in " \t\n":
                    key = text[start:i].strip().strip("\"'")
                    self.frames[-1][2] = key
            else:
                i += 1
                continue
            i += 1
            start, quoted = i, False
        return start, quoted

    def _child_path(self) -> tuple[str, ...]:
        if not self.frames:
            return self.base_path if self.base_key is None else (*self.base_path, self.base_key)
        path, is_list, key = self.frames[-1]
        return (*path, "*") if is_list else (*path, key or "")

    def result(self) -> tuple[tuple[str, ...], str | None]:
        """(path of the mapping, key) at the end of the scan; key None means a key is written."""
        if self.too_deep:
            return ("\x00too deep",), None
        if not self.frames:
            return self.base_path, self.base_key
        path, is_list, key = self.frames[-1]
        if is_list:
            # a list of values belongs to the key that opened it
            if path and path[-1] != "*":
                return tuple(path[:-1]), path[-1]
            return tuple(path), None
        return tuple(path), key


def _yaml_key(text: str) -> tuple[str, int] | None:
    """The key a YAML line (from its content) starts with, and where its colon ends.

    Read by hand, not with a regular expression, so that no line makes it slow.
    """
    if not text:
        return None
    first = text[0]
    if first in "\"'":
        close = text.find(first, 1)
        if close == -1:
            return None
        j = close + 1
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] == ":" and (j + 1 == len(text) or text[j + 1] in " \t"):
            return text[1:close], j + 1
        return None
    if first in "#[]{},|>" or (first == "-" and (len(text) == 1 or text[1] in " \t")):
        return None
    start = 0
    while True:
        colon = text.find(":", start)
        if colon == -1:
            return None
        hash_at = text.find(" #", 0, colon)
        if hash_at != -1:
            return None  # the colon is in a comment
        if colon + 1 == len(text) or text[colon + 1] in " \t":
            key = text[:colon].rstrip(" \t")
            return (key, colon + 1) if key else None
        start = colon + 1


def _yaml_context(lines: list[str], row: int, col: int) -> Context:
    line = lines[row]
    before = line[:col]
    lead = re.match(r"[ \t]*((?:-[ \t]+)*)", before)
    assert lead is not None
    indent = len(before) - len(before.lstrip(" \t"))
    dashes = lead.group(1).count("-")
    if before[indent:].strip() == "-":  # "-" just typed, no space yet
        dashes, lead_end = 1, len(before)
    else:
        lead_end = lead.end()
    path = [*_yaml_ancestors(lines, row, indent, dashes > 0), *(["*"] * dashes)]
    rest = before[lead_end:]
    found: tuple[str | None, int] | None = _yaml_key(rest)
    if found is None and rest.startswith(("{", "[")):  # a flow collection as the item itself
        found = (None, 0)
    if found is not None:
        key, end = found
        flow = _Flow(tuple(path), key, ":")
        offset = lead_end + end
        start, quoted = flow.feed(line[offset:col])
        ctx_path, ctx_key = flow.result()
        word_start = offset + start
        word_start = max(word_start, _trailing(before, _WORD) if not quoted else word_start)
        word_start = max(word_start, offset + len(line[offset:col]) - len(line[offset:col].lstrip()))
        pattern = _KEY_WORD if ctx_key is None else _WORD
        if ctx_key is None:
            word_start = max(word_start, _trailing(before, _KEY_WORD))
        return Context(ctx_path, ctx_key, line[word_start:col], word_start, _word_end(line, col, pattern), quoted)
    # no key on this line before the cursor: a key being written, or an item of a list of values
    word_start = _trailing(before, _WORD)
    quoted = False
    if word_start > 0 and before[word_start - 1] in "\"'":
        quoted = True
    if dashes and before[lead_end:word_start].strip(" \"'") == "" and len(path) >= 2:
        target = resolve(path[:-1])
        if get_origin(target) is tuple and not attrs.has(_unwrap(get_args(target)[0])):
            parent = path[:-1]
            return Context(tuple(parent[:-1]), parent[-1], before[word_start:], word_start, _word_end(line, col, _WORD))
    key_start = _trailing(before, _KEY_WORD)
    return Context(tuple(path), None, before[key_start:], key_start, _word_end(line, col, _KEY_WORD), quoted)


def _yaml_ancestors(lines: list[str], row: int, limit: int, dash: bool = False) -> list[str]:
    """The keys (and ``*`` list items) that hold column ``limit`` of line ``row``.

    ``dash`` says the thing at ``limit`` is a list item: its key may then be written at
    the same column (``key:`` above ``- item``, as PyYAML writes lists).
    """
    path: list[str] = []
    pending = dash
    for r in range(row - 1, -1, -1):
        if limit <= 0 and not pending:
            break
        text = lines[r]
        stripped = text.lstrip(" \t")
        if not stripped or stripped.startswith("#") or stripped.startswith("---"):
            continue
        i = len(text) - len(stripped)
        if i > limit:
            continue
        if i == limit:
            if not pending or (stripped.startswith("-") and stripped[1:2] in ("", " ", "\t")):
                continue  # a sibling
            found = _yaml_key(stripped)
            rest = stripped[found[1] :].strip(" \t") if found is not None else "x"
            if found is not None and (not rest or rest.startswith("#")):  # "key:" with its value below
                path.insert(0, found[0])
                pending = False
            continue
        # the elements of the line: its dashes, then perhaps a key
        elements: list[tuple[int, str]] = []
        j = i
        while text.startswith("-", j) and (j + 1 >= len(text) or text[j + 1] in " \t"):
            elements.append((j, "*"))
            j += 1
            while j < len(text) and text[j] in " \t":
                j += 1
        found = _yaml_key(text[j:])
        if found is not None:
            elements.append((j, found[0]))
        for column, name in reversed(elements):
            if column < limit:
                path.insert(0, name)
        pending = bool(elements) and elements[0] == (i, "*")
        limit = i
    return path


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*("?)|[\[\]{}:,]')


def _json_context(text_lines: list[str], row: int, col: int) -> Context:
    text = "\n".join([*text_lines[:row], text_lines[row][:col]])
    line = text_lines[row]
    # frames: [path, is_list, key, expecting a key]
    frames: list[list[Any]] = []
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        ch = tok[0]
        if ch == '"':
            if not m.group(1) or len(tok) == 1:  # unterminated: the cursor is in this string
                if m.end() == len(text):
                    start = col - (len(tok) - 1)
                    on_key = bool(frames) and not frames[-1][1] and frames[-1][3]
                    return _json_result(frames, on_key, line, max(start, 0), col, True)
                continue
            if frames and not frames[-1][1] and frames[-1][3]:
                frames[-1][2] = tok[1:-1]
        elif ch in "[{":
            if len(frames) >= _MAX_DEPTH:  # deeper than any plan: nothing to complete
                return Context(("\x00too deep",), None, "", col, col)
            if frames:
                path, is_list, key, _ = frames[-1]
                child = (*path, "*") if is_list else (*path, key or "")
            else:
                child = ()
            frames.append([child, ch == "[", None, ch == "{"])
        elif ch in "]}":
            if frames:
                frames.pop()
        elif ch == ":":
            if frames and not frames[-1][1]:
                frames[-1][3] = False
        elif frames and not frames[-1][1]:  # ","
            frames[-1][3] = True
            frames[-1][2] = None
    start = _trailing(line[:col], _WORD)
    on_key = bool(frames) and not frames[-1][1] and frames[-1][3]
    return _json_result(frames, on_key, line, start, col, False)


def _json_result(frames: list[list[Any]], on_key: bool, line: str, start: int, col: int, quoted: bool) -> Context:
    end = _word_end(line, col, _KEY_WORD if on_key else _WORD)
    word = line[start:col]
    if not frames:
        return Context((), None, word, start, end, quoted)
    path, is_list, key, _ = frames[-1]
    if on_key:
        return Context(tuple(path), None, word, start, end, quoted)
    if is_list:
        if path and path[-1] != "*":
            return Context(tuple(path[:-1]), path[-1], word, start, end, quoted)
        return Context(tuple(path), None, word, start, end, quoted)
    return Context(tuple(path), key, word, start, end, quoted)


def _toml_header(line: str) -> tuple[bool, str] | None:
    """``(is an array of tables, dotted name)`` of a table header line, or None."""
    text = line.strip()
    if not text.startswith("["):
        return None
    double = text.startswith("[[")
    close = text.find("]")
    if close == -1:
        return None
    name = text[2 if double else 1 : close].strip()
    return (double, name) if name else None


def _toml_parts(key: str) -> list[str]:
    return [a or b or c for a, b, c in _TOML_PART.findall(key)]


def _toml_context(lines: list[str], row: int, col: int) -> Context:
    table: list[str] = []
    for r in range(row - 1, -1, -1):
        header = _toml_header(lines[r])
        if header is not None:
            table = _toml_parts(header[1])
            if header[0]:
                table.append("*")
            break
    line = lines[row]
    before = line[:col]
    # the key whose value this line is in: on this line, or above when a list spans lines
    for r in range(row, max(-1, row - 200), -1):
        text = lines[r] if r != row else before
        if r != row and _toml_header(lines[r]) is not None:
            break
        m = _TOML_KEY.match(text)
        if m is None:
            continue
        parts = _toml_parts(m.group(1))
        flow = _Flow((*table, *parts[:-1]), parts[-1], "=")
        if r == row:
            offset = m.end()
            start, quoted = flow.feed(before[offset:])
        else:
            chunk = "\n".join([lines[r][m.end() :], *lines[r + 1 : row], before])
            start, quoted = flow.feed(chunk)
            if not flow.frames:
                break  # that value ended before this line: this line is a key of its own
            offset = len(before) - len(chunk)
        ctx_path, ctx_key = flow.result()
        word_start = max(offset + start, _trailing(before, _WORD if ctx_key is not None else _KEY_WORD))
        word_start = min(word_start, col)
        pattern = _WORD if ctx_key is not None else _KEY_WORD
        while word_start < col and before[word_start] in " \t":
            word_start += 1
        return Context(ctx_path, ctx_key, before[word_start:], word_start, _word_end(line, col, pattern), quoted)
    start = _trailing(before, _KEY_WORD)
    return Context(tuple(table), None, before[start:], start, _word_end(line, col, _KEY_WORD))


def context_at(lines: list[str], row: int, col: int, fmt: str) -> Context:
    """What is being written at (0-based) ``row`` and code-point column ``col``."""
    if not 0 <= row < len(lines):
        return Context((), None, "", col, col)
    col = max(0, min(col, len(lines[row])))
    if fmt == "json":
        return _json_context(lines, row, col)
    if fmt == "toml":
        return _toml_context(lines, row, col)
    return _yaml_context(lines, row, col)
