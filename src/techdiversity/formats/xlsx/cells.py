"""How a cell of the workbook holds a value of the plan, both ways.

Each kind of column (``text``, ``list``, ``date``, ``int``...) is a :class:`CellType`:
what a cell of it holds, in words, how a value of the plan data is written into a
cell, and how a cell's value is read back. The workbook's layout
(:mod:`techdiversity.formats.xlsx.layout`) names the kind of every column; the writer
and the reader both go through the same :data:`CELL_TYPES`, so that what is written
is what is read.

Cells
-----

- Text is a text cell, never a formula. A text that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a single quote ``'`` in front (OWASP's advice
  against formula injection), and so does a text that begins with ``'`` itself and
  the empty text (which is thus told apart from an empty cell, "nothing"); the reader
  takes that one quote off again.
- Characters a workbook cannot hold (control characters such as the vertical tab
  ``\\x0b`` that Word pastes, ``\\x00``, the carriage return, U+FFFE, U+FFFF) are
  written as OOXML escapes ``_xHHHH_`` (``_x000B_``), as Excel itself does; a text that
  holds ``_x`` and four hex digits literally has its ``_`` escaped as ``_x005F_``.
  Excel shows the characters, and the reader restores them exactly.
- Lists (of ids, outputs, target groups...) are one cell, one item per line; inside an
  item a line break is written ``\\n`` and a backslash ``\\\\``. An empty list is an empty
  cell; a list of one empty item is an empty text (``'``).
- Dates stay text as written (``2025``, ``2025-Q3``, ``2025-09-06``). Numbers are number
  cells, written with every digit (``repr``), so they read back exactly; numbers that
  the plan holds as text stay text cells. true and false are boolean cells.
- A timescale, period, baseline or target that is there but empty (``timescale: {}``)
  is written as an empty text (``'``) in its start or date column; a ``context``,
  ``vision``, ``integration`` or ``implementation`` section that is there but empty as
  a row of the Plan sheet with the section's name and no value.
- A cell holds at most 32,767 characters. A longer text is cut into pieces: the first
  stays in its cell, the others go, in order, to the Continued Text sheet with the
  sheet and cell they continue; the reader joins them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from ... import limits

__all__ = [
    "CELL_TYPES",
    "EXCEL_HINT",
    "MARKER",
    "MAX_CELL",
    "Cell",
    "CellType",
    "Kind",
    "Refused",
    "decode_text",
    "encode_text",
    "escape_ooxml",
    "join_list",
    "neutralise",
    "number_as_text",
    "number_text",
    "resources_text",
    "shown",
    "split_cell_text",
    "split_list",
    "unescape_ooxml",
    "unneutralise",
]

EXCEL_HINT = "reading and writing Excel workbooks needs openpyxl, which is not installed: pip install openpyxl"

#: The most characters (UTF-16 code units, as Excel counts) one cell holds.
MAX_CELL = limits.MAX_CELL_CHARS

#: A cell's value as the writer puts it: text (already encoded), a number, a boolean,
#: or None for an empty cell.
Cell = str | int | float | bool | None

# ---------------------------------------------------------------------------
# Cell text: neutralising, escaping, lists

#: First characters that make a spreadsheet read a cell as a formula (OWASP), and the
#: quote itself, so that the quote put in front can always be taken off again.
_NEUTRALISE = frozenset("=+-@\t\r'")

#: What XML 1.0 cannot hold (or would turn into something else: CR becomes LF).
_UNSAFE = "\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ESCAPE_RE = re.compile(f"_(?=x[0-9A-Fa-f]{{4}})|[{_UNSAFE}]")
_UNESCAPE_RE = re.compile("_x([0-9A-Fa-f]{4})_")


def neutralise(text: str) -> str:
    """``'`` in front of a text that a spreadsheet could take for a formula, of ``'...`` and of ``""``."""
    if not text or text[0] in _NEUTRALISE:
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Take off the quote that :func:`neutralise` put in front (and only that one)."""
    if text.startswith("'") and (len(text) == 1 or text[1] in _NEUTRALISE):
        return text[1:]
    return text


def _escape_one(match: re.Match[str]) -> str:
    return f"_x{ord(match.group(0)):04X}_"


def escape_ooxml(text: str) -> str:
    """Characters a workbook cannot hold as ``_xHHHH_``; a literal ``_xHHHH`` keeps its ``_`` as ``_x005F_``."""
    return _ESCAPE_RE.sub(_escape_one, text)


def unescape_ooxml(text: str) -> str:
    """The reverse of :func:`escape_ooxml` (and of Excel's own escaping)."""
    if "_x" not in text:
        return text
    return _UNESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def encode_text(text: str) -> str:
    """A text as it is written into a cell."""
    return escape_ooxml(neutralise(text))


def decode_text(cell: str) -> str:
    """A cell's text back to the text of the plan: ``decode_text(encode_text(t)) == t``."""
    return unneutralise(unescape_ooxml(cell))


_ITEM_ESCAPE_RE = re.compile(r"\\(\\|n)")


def join_list(items: Iterable[str]) -> str:
    """Items one per line; a line break inside an item is ``\\n``, a backslash ``\\\\``."""
    return "\n".join(item.replace("\\", "\\\\").replace("\n", "\\n") for item in items)


def split_list(text: str) -> list[str]:
    """The reverse of :func:`join_list`; a backslash before anything else stays as it is."""
    return [
        _ITEM_ESCAPE_RE.sub(lambda m: "\\" if m.group(1) == "\\" else "\n", part) if "\\" in part else part
        for part in text.split("\n")
    ]


def number_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def resources_text(resources: Iterable[Mapping[str, Any]]) -> str:
    """The readable summary of an action's resources: ``budget: 15000 EUR (municipal)``, one per line."""
    lines = []
    for r in resources:
        if not isinstance(r, Mapping):
            lines.append(str(r))
            continue
        qty = " ".join(
            number_text(x) for x in (r.get("amount"), r.get("currency"), r.get("unit")) if x is not None and x != ""
        )
        line = str(r.get("kind", "?")) + (f": {qty}" if qty else "")
        if r.get("source") is not None:
            line += f" ({r['source']})"
        if r.get("description") is not None:
            line += f" – {r['description']}"
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Long texts: cut for the Continued Text sheet


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


_ATOM_RE = re.compile(r"_x[0-9A-Fa-f]{4}_|.", re.DOTALL)


def split_cell_text(payload: str, limit: int = MAX_CELL) -> list[str]:
    """Cut an encoded text into pieces of at most ``limit`` UTF-16 units, never inside an escape.

    The first piece stays as it is (it begins the text, already neutralised); the
    others are meant for the Continued Text sheet, where each is neutralised again,
    so they are cut one unit shorter.
    """
    if _utf16_len(payload) <= limit:
        return [payload]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    room = limit
    for match in _ATOM_RE.finditer(payload):
        atom = match.group(0)
        n = 2 if len(atom) == 1 and ord(atom) > 0xFFFF else len(atom)
        if size + n > room:
            pieces.append("".join(current))
            current, size, room = [], 0, limit - 1
        current.append(atom)
        size += n
    pieces.append("".join(current))
    return pieces


# ---------------------------------------------------------------------------
# The kinds of column: how each writes a value and reads it back

Kind = Literal["text", "list", "date", "int", "number", "value", "bool", "key", "resources", "json"]


class Refused(Exception):
    """A cell's value that its column cannot take; the message says why and what to do."""


class Marker:
    """An empty text in the start or date column of a small record: the record is there, the field is not."""

    def __repr__(self) -> str:
        return "MARKER"


#: What :meth:`CellType.read` returns for an empty text that marks a small record as there.
MARKER = Marker()


def shown(value: Any) -> str:
    """A cell's value for a message: at most 40 characters."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number_as_text(value: int | float) -> str:
    """A number typed where text is expected, as its text (``7.0`` as ``7``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def _not_a_date(value: Any, expected: str) -> Refused:
    what = "a date"
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    elif isinstance(value, dt.datetime):
        what = "a date and time"
    return Refused(
        f"{what} cell ({shown(value)}) where {expected} is expected: Excel turned what was typed into a "
        "date; format the cell as Text and type it again"
    )


@attrs.frozen
class CellType:
    """A kind of column: what its cells hold, and how a value goes into a cell and back.

    ``write`` turns a value of the plan data (as :func:`~techdiversity.convert.unstructure`
    gives it) into a :data:`Cell`; ``read`` turns what openpyxl reads from a cell (text
    already decoded, a number, a boolean, a date) back into the value of the plan data,
    or :data:`MARKER` (with ``in_record`` true: the column is a field of a small record
    such as ``timescale``), or raises :class:`Refused`. ``read_back`` is false for a
    column written for people only (the resources summary): the reader does not put it
    into the plan.
    """

    kind: Kind
    expected: str
    write: Callable[[Any], Cell] = attrs.field(repr=False)
    read: Callable[[Any, str, bool], Any] = attrs.field(repr=False)
    read_back: bool = True

    def parse(self, value: Any, in_record: bool = False) -> Any:
        """The plan value of a cell's ``value``: :meth:`read` with this type's words for messages."""
        return self.read(value, self.expected, in_record)


def _write_text(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    return encode_text(str(value))


def _write_list(value: Any) -> Cell:
    if value is None:
        return None
    return encode_text(join_list(str(v) for v in value)) if value else None


def _write_date(value: Any) -> Cell:
    return None if value is None else encode_text(str(value))


def _write_scalar(value: Any) -> Cell:
    """Numbers and booleans as number and boolean cells; anything else as text."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float)):
        return value
    return encode_text(str(value))


def _write_resources(value: Any) -> Cell:
    return encode_text(resources_text(value)) if value else None


def _write_json(value: Any) -> Cell:
    """A structured value (IATI periods, dimensions, pass-through) as JSON text; nothing for none or an
    empty list (a list's default). An empty record stays ``{}``: it is there, with no field."""
    if value is None or value == []:
        return None
    return encode_text(json.dumps(value, ensure_ascii=False))


def _read_json(value: Any, expected: str, in_record: bool) -> Any:
    text = _read_text(value, expected, in_record)
    if isinstance(text, str) and not text.strip():
        return MARKER if in_record else None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Refused(f"this is not {expected}: {shown(exc)}; write it as the export did, or empty the cell") from None


def _read_text(value: Any, expected: str, in_record: bool) -> Any:
    if isinstance(value, _DATES):
        raise _not_a_date(value, expected)
    if isinstance(value, bool):
        raise Refused(f"TRUE or FALSE where {expected} is expected: format the cell as Text")
    if isinstance(value, (int, float)):
        return number_as_text(value)
    return value


def _read_list(value: Any, expected: str, in_record: bool) -> Any:
    return split_list(_read_text(value, expected, in_record))


def _read_date(value: Any, expected: str, in_record: bool) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date().isoformat()
    if isinstance(value, _DATES):
        raise _not_a_date(value, expected)
    if value == "" and in_record:
        return MARKER
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _read_int(value: Any, expected: str, in_record: bool) -> Any:
    if isinstance(value, _DATES):
        raise _not_a_date(value, expected)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _read_scalar(value: Any, expected: str, in_record: bool) -> Any:
    """Numbers, booleans and text as they are: the converter judges them against the model."""
    if isinstance(value, _DATES):
        raise _not_a_date(value, expected)
    return value


#: Every kind of column, by name: the one place where writing and reading a cell are defined.
CELL_TYPES: dict[Kind, CellType] = {
    t.kind: t
    for t in (
        CellType("text", "text", _write_text, _read_text),
        CellType("key", "an id", _write_text, _read_text),
        CellType("list", "a list (one item per line)", _write_list, _read_list),
        CellType("date", "a date", _write_date, _read_date),
        CellType("int", "a whole number", _write_scalar, _read_int),
        CellType("number", "a number", _write_scalar, _read_scalar),
        CellType("value", "a number or text", _write_scalar, _read_scalar),
        CellType("bool", "TRUE or FALSE", _write_scalar, _read_scalar),
        CellType("resources", "text", _write_resources, _read_text, read_back=False),
        CellType("json", "JSON text", _write_json, _read_json),
    )
}
