"""Reading and writing JSON, with a lazily built source map.

The standard library's C parser reads the data. Positions are only worked out when a
location is asked for (an error or a finding): :class:`JsonFinder` walks the text once
to the pointers asked for, stepping over everything else (the C scanner reads each
value stepped over, and drops it), and stops at the last one; only their places are
kept. The whole map (for the language server) is built by libyaml's event parser
reading the same text (JSON is, for this purpose, YAML), and a small tokenizer takes
over when it cannot (tabs, for instance, which JSON allows and YAML does not).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Collection
from typing import Any

from .. import limits
from ..errors import PlanError
from ..safetext import quote
from ..sourcemap import Positions, SourceMap, TextFinder, escape, pointer_trie

__all__ = ["JsonFinder", "dumps_json", "locate_json", "read_json"]


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


class _Constant(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not valid JSON")
        self.name = name


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


def read_json(text: str, path: str | None = None) -> tuple[Any, SourceMap]:
    """Parse JSON into plain data and a (lazy) source map; refuse duplicate keys."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        msg = exc.msg.removesuffix(" at")  # "Invalid control character at", the position follows
        raise PlanError.at(path, exc.lineno, exc.colno, f"JSON syntax error: {msg}") from None
    except _DuplicateKey as exc:
        smap = SourceMap(path, builder=lambda: locate_json(text))
        where = _find_duplicate(text, exc.key)
        loc = smap.locate("")
        line, col = where or (loc.line, loc.column)
        raise PlanError.at(path, line, col, f"duplicate key {quote(exc.key)}") from None
    except _Constant as exc:
        line, col, pointer = _find_constant(text)
        raise PlanError.at(path, line, col, f"{exc.name} is not valid JSON: write a finite number", pointer) from None
    except RecursionError:
        line, col = _deepest(text)
        raise PlanError.at(path, line, col, "nesting too deep for a plan file") from None
    except ValueError as exc:
        found = _LONG_NUMBER.search(text)
        if found is not None:  # Python's int() refuses a number of too many digits
            from .yaml import too_many_digits

            line, col = _line_col(text, found.start())
            raise PlanError.at(path, line, col, too_many_digits(found.group())) from None
        raise PlanError.at(path, 1, 1, f"JSON error: {exc}") from None  # pragma: no cover - none known
    smap = SourceMap(path, builder=functools.partial(_positions, text), finder=JsonFinder(text))
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        _refuse_surrogates(data, smap, path)
    return data, smap


_LONG_NUMBER = re.compile(f"[0-9]{{{limits.MAX_INT_DIGITS + 1},}}")
#: a \\u escape of a surrogate (a pair is fine: the parser joins it into one character)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(data: Any, smap: SourceMap, path: str | None) -> None:
    """Refuse a lone surrogate (``"\\ud800"`` with no pair) in a key or a text, at its place."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, value = stack.pop()
        found: str | None = None
        in_key = False
        if isinstance(value, str):
            if _SURROGATE.search(value):
                found = pointer
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{pointer}/{escape(key)}"
                if _SURROGATE.search(key):
                    found, in_key = child, True
                    break
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", item) for i, item in enumerate(value))
        if found is not None:
            loc = smap.locate(found, key=in_key)
            raise PlanError.at(
                path,
                loc.line,
                loc.column,
                "a lone surrogate (a \\u escape of half a UTF-16 pair, with no other half) in the text:"
                " it is no character; remove it",
                found,
            )


def _positions(text: str) -> tuple[Positions, Positions]:
    from .yaml import read_yaml

    try:
        smap = read_yaml(text, positions=True)[1]
    except PlanError:
        return locate_json(text)
    return smap.values, smap.keys


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _deepest(text: str) -> tuple[int, int]:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "[{":
            depth += 1
            if depth > 64:
                return _line_col(text, i)
        elif ch in "]}":
            depth -= 1
    return 1, 1


def _find_constant(text: str) -> tuple[int, int, str]:
    """Where the first NaN, Infinity or -Infinity is written, and the pointer of its value."""
    values, _keys = locate_json(text)
    at = {pos: pointer for pointer, pos in values.items()}
    for m in _TOKEN.finditer(text):
        if m.group() in ("NaN", "Infinity", "-Infinity"):
            line, col = _line_col(text, m.start())
            return line, col, at.get((line, col), "")
    return 1, 1, ""  # pragma: no cover - the parser saw one


def _find_duplicate(text: str, key: str) -> tuple[int, int] | None:
    """Where a key is written for the second time in one object (best effort)."""
    _values, keys = locate_json(text, duplicates=key)
    hit = keys.get("#duplicate")
    return hit


_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity|[\[\]{}:,]|\s+|.',
    re.S,
)


def _key(token: str) -> str:
    """A key token's text; a token the parser would refuse (it may lie past where the parser stopped) as written."""
    if not token.startswith('"'):
        return token
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return key if isinstance(key, str) else token


def locate_json(text: str, duplicates: str | None = None) -> tuple[Positions, Positions]:
    """Positions of every value and key in a JSON text (pure Python tokenizer)."""
    values: Positions = {}
    keys: Positions = {}
    # stack of [pointer, is_object, next_index, pending_key, seen_keys]
    stack: list[list[Any]] = []
    expect_key = False
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        start = m.start()
        if tok.isspace():
            nl = tok.count("\n")
            if nl:
                line += nl
                line_start = start + tok.rfind("\n") + 1
            continue
        col = start - line_start + 1
        if tok in ",:":
            if tok == "," and stack and stack[-1][1]:
                expect_key = True
            continue
        if tok in "]}":
            if stack:  # text after the point where the parser stopped may close more than it opens
                stack.pop()
            expect_key = False
            continue
        if stack and stack[-1][1] and expect_key:
            key = _key(tok)
            frame = stack[-1]
            if duplicates is not None and key == duplicates and key in frame[4]:
                keys["#duplicate"] = (line, col)
                return values, keys
            frame[4].add(key)
            frame[3] = key
            keys[f"{frame[0]}/{escape(key)}"] = (line, col)
            expect_key = False
            continue
        if stack:
            frame = stack[-1]
            if frame[1]:
                pointer = f"{frame[0]}/{escape(frame[3])}"
            else:
                pointer = f"{frame[0]}/{frame[2]}"
                frame[2] += 1
        else:
            pointer = ""
        values[pointer] = (line, col)
        if tok in "[{":
            stack.append([pointer, tok == "{", 0, None, set()])
            expect_key = tok == "{"
    return values, keys


_WS = re.compile(r"[ \t\n\r]*")
#: The C scanner of a plain decoder: reads one value from a position, faster than any
#: skipping done in Python (it counts brackets in C and knows strings).
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
#: The C reader of one JSON string, from just after its opening quote.
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _ws(text: str, pos: int) -> int:
    """The first position at or after ``pos`` that is not JSON whitespace."""
    match = _WS.match(text, pos)
    return match.end() if match is not None else pos


class _Done(Exception):
    """Every pointer asked for is found: the walk stops there."""


class JsonFinder(TextFinder):
    """Locates some pointers of a JSON text in one pass (a :data:`~techdiversity.sourcemap.Finder`).

    The walk goes into the objects and lists on the way to the pointers asked for and
    steps over every other value without building it; it stops once the last one is
    found. The text is the one :func:`read_json` parsed: it is valid JSON.
    """

    __slots__ = ("_remaining",)

    def __call__(self, pointers: Collection[str]) -> tuple[Positions, Positions]:
        trie, count = pointer_trie(pointers)
        values: dict[str, int] = {}
        keys: dict[str, int] = {}
        self._remaining = count
        text = self.text
        start = _ws(text, 0)
        values[""] = start
        try:
            if trie:
                self._visit(start, "", trie, values, keys)
        except _Done:
            pass
        except (IndexError, ValueError):  # pragma: no cover - the text was parsed as JSON already
            pass
        return self._lines(values), self._lines(keys)

    def _lines(self, offsets: dict[str, int]) -> Positions:
        text = self.text
        out: Positions = {}
        line, last = 1, 0
        for pointer, offset in sorted(offsets.items(), key=lambda item: item[1]):
            line += text.count("\n", last, offset)
            last = offset
            out[pointer] = (line, offset - text.rfind("\n", 0, offset))
        return out

    def _skip(self, pos: int) -> int:
        """The end of the value starting at ``pos`` (the C scanner reads it; nothing is kept)."""
        return _scan(self.text, pos)[1]

    def _found(self, count: int = 1) -> None:
        self._remaining -= count
        if self._remaining <= 0:
            raise _Done

    def _absent(self, node: dict[str, Any], seen: Collection[str]) -> None:
        """The tokens of ``node`` not in ``seen`` are not in the text: count them (and theirs) as done."""
        missing = [child for token, child in node.items() if token not in seen]
        if missing:
            self._found(sum(_size(child) + 1 for child in missing))

    def _visit(self, pos: int, pointer: str, node: dict[str, Any], values: dict[str, int], keys: dict[str, int]) -> int:
        """Walk the value at ``pos`` to the pointers below it in ``node``; return its end."""
        text = self.text
        ch = text[pos]
        ws = _ws
        if ch == "{":
            pos = ws(text, pos + 1)
            seen: set[str] = set()
            if text[pos] == "}":
                self._absent(node, seen)
                return pos + 1
            while True:
                key, end = scanstring(text, pos + 1)
                key_at = pos
                pos = ws(text, ws(text, end) + 1)  # past the colon
                child = node.get(key)
                if child is None:
                    pos = self._skip(pos)
                else:
                    seen.add(key)
                    child_pointer = f"{pointer}/{escape(key)}"
                    keys[child_pointer] = key_at
                    values[child_pointer] = pos
                    pos = self._visit(pos, child_pointer, child, values, keys) if child else self._skip(pos)
                    self._found()
                pos = ws(text, pos)
                if text[pos] == ",":
                    pos = ws(text, pos + 1)
                    continue
                self._absent(node, seen)
                return pos + 1
        if ch == "[":
            wanted = {int(t): child for t, child in node.items() if t.isdigit() and t == str(int(t))}
            pos = ws(text, pos + 1)
            index = 0
            if text[pos] == "]":
                self._absent(node, ())
                return pos + 1
            while True:
                child = wanted.get(index)
                if child is None:
                    pos = self._skip(pos)
                else:
                    child_pointer = f"{pointer}/{index}"
                    values[child_pointer] = pos
                    pos = self._visit(pos, child_pointer, child, values, keys) if child else self._skip(pos)
                    self._found()
                pos = ws(text, pos)
                if text[pos] == ",":
                    pos = ws(text, pos + 1)
                    index += 1
                    continue
                self._absent(node, {str(i) for i in wanted if i <= index})
                return pos + 1
        self._absent(node, ())
        return self._skip(pos)


def _size(node: dict[str, Any]) -> int:
    """How many pointers a trie holds below its root."""
    return sum(_size(child) + 1 for child in node.values())


def dumps_json(data: Any) -> str:
    """Write plain data as indented JSON (UTF-8 text, not ASCII escapes)."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
