"""Reading TOML (standard library ``tomllib``), with a lazily built source map.

``tomllib`` gives no positions; a line scanner finds table headers and keys when a
location is first asked for. Values inside inline tables and arrays are located at
the key that holds them.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from typing import Any

from ..errors import PlanError
from ..sourcemap import Positions, SourceMap, escape

__all__ = ["locate_toml", "read_toml"]

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r'^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'))*)\s*='
)


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
    return _plain(data), SourceMap(path, builder=lambda: locate_toml(text))


def _split_key(key: str) -> list[str]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', key)
    return [a or b or c for a, b, c in parts]


def locate_toml(text: str) -> tuple[Positions, Positions]:
    """Positions of table headers and keys in a TOML text (best effort)."""
    values: Positions = {}
    keys: Positions = {}
    counts: dict[str, int] = {}
    table = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(raw)
        if m:
            parts = _split_key(m[2])
            # each dotted part may itself be an array of tables seen before
            prefix = ""
            for i, part in enumerate(parts):
                prefix = f"{prefix}/{escape(part)}"
                if i < len(parts) - 1 and prefix in counts:
                    prefix = f"{prefix}/{counts[prefix] - 1}"
            col = raw.index(m[1]) + 1
            if m[1] == "[[":
                index = counts.get(prefix, 0)
                counts[prefix] = index + 1
                keys.setdefault(prefix, (number, col))
                values.setdefault(prefix, (number, col))
                prefix = f"{prefix}/{index}"
            values[prefix] = (number, col)
            keys.setdefault(prefix, (number, col))
            table = prefix
            continue
        k = _KEY.match(raw)
        if k:
            pointer = table
            for part in _split_key(k[2]):
                pointer = f"{pointer}/{escape(part)}"
            col = len(k[1]) + 1
            keys[pointer] = (number, col)
            eq = raw.index("=", k.end() - 1)
            value_col = eq + 2 + (len(raw[eq + 1 :]) - len(raw[eq + 1 :].lstrip()))
            values[pointer] = (number, value_col)
    return values, keys
