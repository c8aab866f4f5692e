"""Reading TOML (standard library ``tomllib``), with a lazily built source map.

``tomllib`` gives no positions; a scanner finds table headers, keys and values when a
location is first asked for, values inside arrays and inline tables included.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import tomllib
from typing import Any

from .. import limits
from ..errors import PlanError
from ..sourcemap import Positions, SourceMap, escape

__all__ = ["locate_toml", "read_toml"]

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _plain(value: Any) -> Any:
    """TOML dates and times become the ISO text a plan file would hold."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return value


def read_toml(text: str, path: str | None = None) -> tuple[Any, SourceMap]:
    """Parse TOML into plain data and a (lazy) source map."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _AT.search(msg)
        line, col = (int(m[1]), int(m[2])) if m else (1, 1)
        msg = _AT.sub("", msg).strip()
        raise PlanError.at(path, line, col, f"TOML syntax error: {msg}") from None
    except RecursionError:
        raise PlanError.at(path, 1, 1, "nesting too deep for a plan file") from None
    except ValueError:  # tomllib lets Python's int() refuse a number of too many digits
        raise _too_many_digits(text, path) from None
    return _plain(data), SourceMap(path, builder=lambda: locate_toml(text))


def _too_many_digits(text: str, path: str | None) -> PlanError:
    from .yaml import too_many_digits

    found = _LONG_NUMBER.search(text)
    if found is None:  # pragma: no cover - tomllib raises this ValueError for long numbers only
        return PlanError.at(path, 1, 1, "a number TOML cannot read")
    start = found.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return PlanError.at(path, line, col, too_many_digits(found.group()))


_LONG_NUMBER = re.compile(f"[0-9][0-9_]{{{limits.MAX_INT_DIGITS},}}")


_KEY_PART = re.compile(r'[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_DOT = re.compile(r"[ \t]*\.[ \t]*")
_BLANK = re.compile(r"[ \t]*")
#: blanks, newlines and comments, as arrays may hold them between their items
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_STRING = re.compile(
    r'"""(?:[^\\]|\\.)*?"""(?:"{1,2}(?!"))?|\'\'\'.*?\'\'\'(?:\'{1,2}(?!\'))?|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'',
    re.S,
)
#: numbers, booleans, dates and times (a date and a time may be separated by a space)
_SCALAR = re.compile(r"[^\s,\]\}#\[\{=]+(?: [0-9][0-9:.+Z-]*)?")
_MAX_NESTING = 64


def _key_token(token: str) -> str:
    if token[0] == '"':
        try:
            value: str = tomllib.loads(f"k = {token}")["k"]
        except tomllib.TOMLDecodeError:
            return token[1:-1]
        return value
    if token[0] == "'":
        return token[1:-1]
    return token


def locate_toml(text: str) -> tuple[Positions, Positions]:
    """Positions of table headers, keys and values in a TOML text (best effort).

    Values inside arrays and inline tables are placed where they are written
    (``contributes_to = ["SO1", "SO9"]``: ``SO9`` at its own column), and a multi-line
    string or array is read as one value, so nothing inside it is taken for a key.
    """
    values: Positions = {}
    keys: Positions = {}
    counts: dict[str, int] = {}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    n = len(text)

    def at(pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, pos)
        return line, pos - starts[line - 1] + 1

    def read_key(pos: int) -> tuple[list[str], list[int], int] | None:
        """A dotted key at ``pos``: its parts, where each starts, and where it ends."""
        parts: list[str] = []
        places: list[int] = []
        while True:
            m = _KEY_PART.match(text, pos)
            if m is None:
                return None
            parts.append(_key_token(m.group()))
            places.append(m.start())
            pos = m.end()
            dot = _DOT.match(text, pos)
            if dot is None:
                return parts, places, _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            pos = dot.end()

    def place_key(base: str, parts: list[str], places: list[int]) -> str:
        pointer = base
        for part, start in zip(parts, places, strict=True):
            pointer = f"{pointer}/{escape(part)}"
            keys.setdefault(pointer, at(start))
            values.setdefault(pointer, at(start))
        return pointer

    def read_value(pos: int, pointer: str) -> int:
        """Record the value at ``pos`` (and everything inside it); return where it ends."""
        # frames: [pointer, is_array, next index]
        stack: list[list[Any]] = []
        while True:
            # a value is expected at pos, for pointer
            values[pointer] = at(pos)
            ch = text[pos] if pos < n else ""
            if ch in "[{" and ch:
                if len(stack) >= _MAX_NESTING:
                    return n
                stack.append([pointer, ch == "[", 0])
                pos += 1
            else:
                m = _STRING.match(text, pos) if ch in "\"'" and ch else _SCALAR.match(text, pos)
                if m is None:
                    return pos
                pos = m.end()
                if not stack:
                    return pos
                pos = _GAP.match(text, pos).end() if stack[-1][1] else _BLANK.match(text, pos).end()  # type: ignore[union-attr]
                if text.startswith(",", pos):
                    pos += 1
            # the next item of the innermost container, or its end (perhaps several ends)
            while True:
                frame = stack[-1]
                pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
                close = "]" if frame[1] else "}"
                if text.startswith(close, pos) or pos >= n:
                    stack.pop()
                    pos += 1
                    if not stack:
                        return pos
                    pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
                    if text.startswith(",", pos):
                        pos += 1
                    continue
                if frame[1]:
                    pointer = f"{frame[0]}/{frame[2]}"
                    frame[2] += 1
                    break
                key = read_key(pos)
                if key is None or not text.startswith("=", key[2]):
                    return pos
                pointer = place_key(frame[0], key[0], key[1])
                pos = _BLANK.match(text, key[2] + 1).end()  # type: ignore[union-attr]
                break

    table = ""
    pos = 0
    while pos < n:
        pos = _GAP.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= n:
            break
        end = pos
        if text[pos] == "[":
            double = text.startswith("[[", pos)
            key = read_key(_BLANK.match(text, pos + (2 if double else 1)).end())  # type: ignore[union-attr]
            if key is not None:
                prefix = ""
                for i, part in enumerate(key[0]):
                    prefix = f"{prefix}/{escape(part)}"
                    if i < len(key[0]) - 1 and prefix in counts:
                        prefix = f"{prefix}/{counts[prefix] - 1}"
                where = at(pos)
                if double:
                    index = counts.get(prefix, 0)
                    counts[prefix] = index + 1
                    keys.setdefault(prefix, where)
                    values.setdefault(prefix, where)
                    prefix = f"{prefix}/{index}"
                values[prefix] = where
                keys.setdefault(prefix, where)
                table = prefix
                end = key[2]
        else:
            key = read_key(pos)
            if key is not None and text.startswith("=", key[2]):
                pointer = place_key(table, key[0], key[1])
                end = read_value(_BLANK.match(text, key[2] + 1).end(), pointer)  # type: ignore[union-attr]
        newline = text.find("\n", end)
        pos = n if newline == -1 else newline + 1
    return values, keys
