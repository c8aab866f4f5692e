"""Streaming over an IATI activity file: which activities it holds, and each one alone.

:func:`scan` reads a file once, in chunks, without building its tree, and returns a
:class:`FileIndex`: the root, the IATI version, and for every ``iati-activity`` its
identifier, line, column and byte span. :func:`activity_document` cuts one activity
out of the file (a seek and a read of its span) as a small document of its own that
keeps the activity's lines and columns, so that reading activity *n* of a file of
hundreds of megabytes costs the size of that activity, not of the file. Memory is
bounded by the largest activity; the budgets of :mod:`~techdiversity.formats.iati.limits`
bound that.

Files that cannot be cut by bytes (UTF-16) are read again from the start, activity
by activity, keeping only the one asked for (:func:`iter_activity_documents`).
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import IO, Any
from xml.parsers import expat

import attrs
from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ...errors import PlanError
from . import limits

__all__ = [
    "ActivityEntry",
    "FileIndex",
    "OverBudget",
    "TooDeep",
    "activity_document",
    "activity_within_budget",
    "declared_encoding",
    "refusal",
    "scan",
    "scan_path",
    "within_budgets",
]

_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_NOT_SLICEABLE = ("utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4")


class TooDeep(Exception):
    """The XML nests deeper than :data:`~techdiversity.formats.iati.limits.MAX_DEPTH`."""


class OverBudget(Exception):
    """A budget of :mod:`~techdiversity.formats.iati.limits` is exceeded; the message names it."""


def within_budgets(depth: int, elements: int) -> None:
    """Refuse an element at ``depth`` that is the ``elements``-th of its file past the
    nesting depth (:class:`TooDeep`) or the budget of elements per file (:class:`OverBudget`)."""
    if depth > limits.MAX_DEPTH:
        raise TooDeep
    if elements > limits.MAX_ELEMENTS_PER_FILE:
        raise OverBudget(
            f"the file holds more than {limits.MAX_ELEMENTS_PER_FILE:,} elements "
            "(the reader's budget per file, limits.MAX_ELEMENTS_PER_FILE): it is refused"
        )


def activity_within_budget(elements: int, line: int) -> None:
    """Refuse the ``elements``-th element of the activity that starts at ``line`` past the
    budget of elements per activity (:class:`OverBudget`)."""
    if elements > limits.MAX_ELEMENTS_PER_ACTIVITY:
        raise OverBudget(
            f"the activity that starts at line {line} holds more than "
            f"{limits.MAX_ELEMENTS_PER_ACTIVITY:,} elements (the reader's budget per activity, "
            "limits.MAX_ELEMENTS_PER_ACTIVITY; real activities hold some thousands): it is refused"
        )


def declared_encoding(head: bytes) -> str | None:
    """The encoding the XML declaration names (``None`` without one)."""
    match = _ENCODING.match(head[:1024])
    return match.group(1).decode("ascii", "replace") if match else None


def refusal(exc: BaseException, path: str | None, where: tuple[int, int], head: bytes) -> PlanError | None:
    """The :class:`PlanError` for an exception raised while parsing, or ``None`` for others.

    ``where`` is the parser's position when it stopped; ``head`` the first bytes of the
    file (for the encoding its declaration names).
    """
    line, col = where
    if isinstance(exc, ET.ParseError):
        eline, ecol = exc.position
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        return PlanError.at(
            path, eline, ecol + 1, f"not well-formed XML ({message}): an IATI activity file is expected"
        )
    if isinstance(exc, expat.ExpatError):
        message = expat.ErrorString(exc.code) if exc.code else str(exc)
        return PlanError.at(
            path, exc.lineno, exc.offset + 1, f"not well-formed XML ({message}): an IATI activity file is expected"
        )
    if isinstance(exc, TooDeep):
        return PlanError.at(
            path,
            line,
            col,
            f"the XML nests elements more than {limits.MAX_DEPTH} deep: this is not an IATI activity file",
        )
    if isinstance(exc, OverBudget):
        return PlanError.at(path, line, col, str(exc))
    if isinstance(exc, (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException)):
        what = {
            DTDForbidden: "a document type declaration (DOCTYPE)",
            EntitiesForbidden: "an entity declaration",
            ExternalReferenceForbidden: "a reference to an external entity",
        }.get(type(exc), "a forbidden XML construct")
        return PlanError.at(
            path,
            line,
            col,
            f"the XML holds {what}, which is refused: entities can expand without bound or read "
            "local files, and IATI files need none",
        )
    if isinstance(exc, (LookupError, ValueError)) and not isinstance(exc, PlanError):
        encoding = declared_encoding(head)
        if encoding is not None:
            return PlanError.at(
                path,
                1,
                1,
                f"the XML declaration names the encoding {encoding[:40]!r}, which cannot be read "
                "(UTF-8, UTF-16, ISO-8859-1 and one-byte encodings can): save the file as UTF-8",
            )
    if isinstance(exc, RecursionError):  # pragma: no cover - the depth limit comes first
        return PlanError.at(path, 1, 1, "the XML nests too deeply")
    return None


# ---------------------------------------------------------------------------
# The index of a file


@attrs.frozen
class ActivityEntry:
    """One ``iati-activity`` of a file: its identifier (stripped; ``""`` without one),
    its 1-based place among the file's activities, its line and column, and its byte
    span ``[start, end)`` in the file."""

    identifier: str
    number: int
    line: int
    column: int
    start: int
    end: int

    @property
    def key(self) -> str:
        """The activity's name after ``#`` (``path#key``): its identifier, else its number."""
        return self.identifier or str(self.number)


@attrs.frozen
class FileIndex:
    """What :func:`scan` found in a file."""

    path: str | None
    root: str
    version: str | None
    activities: tuple[ActivityEntry, ...]
    #: The bytes up to the end of the root's start tag (``None`` when the root is the
    #: activity, or the file cannot be cut by bytes).
    prefix: bytes | None
    #: The line and column of the root element.
    root_position: tuple[int, int] = (1, 1)
    #: True when an activity can be cut out of the file by its bytes (not UTF-16).
    sliceable: bool = True
    _names: dict[str, ActivityEntry] = attrs.field(factory=dict, eq=False, repr=False)

    def keys(self) -> list[str]:
        """The name of each activity after ``#``: its identifier, or its number when it has
        none or shares it with another activity."""
        counts: dict[str, int] = {}
        for a in self.activities:
            counts[a.identifier] = counts.get(a.identifier, 0) + 1
        return [a.identifier if a.identifier and counts[a.identifier] == 1 else str(a.number) for a in self.activities]

    def find(self, wanted: str) -> ActivityEntry | None:
        """The activity named ``wanted``: by identifier, else by its number."""
        if not self._names and self.activities:
            for entry, key in zip(self.activities, self.keys(), strict=True):
                self._names.setdefault(key, entry)
                self._names.setdefault(entry.identifier, entry)
        found = self._names.get(wanted)
        if found is not None:
            return found
        if wanted.isdigit() and len(wanted) < 10 and 1 <= int(wanted) <= len(self.activities):
            return self.activities[int(wanted) - 1]
        return None


class _Scanner:
    """An expat target that builds nothing: it counts, and notes where activities are."""

    def __init__(self) -> None:
        self.expat: Any = None
        self.depth = 0
        self.root: str | None = None
        self.version: str | None = None
        self.root_position = (1, 1)
        self.root_start = -1
        self.activity_depth = 0
        self.elements = 0
        self.activity_elements = 0
        self.activity_start = -1
        self.activity_where = (1, 1)
        self.identifier: list[str] | None = None
        self.current_identifier: str | None = None
        self.activities: list[ActivityEntry] = []
        self.ends: list[int] = []

    def where(self) -> tuple[int, int]:
        return int(self.expat.CurrentLineNumber), int(self.expat.CurrentColumnNumber) + 1

    def start(self, tag: str, attrs: list[str]) -> None:
        self.depth += 1
        self.elements += 1
        within_budgets(self.depth, self.elements)
        if self.depth == 1:
            ns, _, local = tag.rpartition(" ")
            self.root = "{" + ns + "}" + local if ns else local
            self.version = next((attrs[i + 1] for i in range(0, len(attrs), 2) if attrs[i] == "version"), None)
            self.root_position = self.where()
            self.root_start = int(self.expat.CurrentByteIndex)
        if tag == "iati-activity" and self.depth <= 2 and self.activity_depth == 0:
            self.activity_depth = self.depth
            self.activity_elements = 0
            self.activity_start = int(self.expat.CurrentByteIndex)
            self.activity_where = self.where()
            self.current_identifier = None
            if len(self.activities) >= limits.MAX_ACTIVITIES_PER_FILE:
                raise OverBudget(
                    f"the file holds more than {limits.MAX_ACTIVITIES_PER_FILE:,} activities "
                    "(the reader's budget per file, limits.MAX_ACTIVITIES_PER_FILE): it is refused"
                )
        if self.activity_depth:
            self.activity_elements += 1
            activity_within_budget(self.activity_elements, self.activity_where[0])
            if (
                tag == "iati-identifier"
                and self.depth == self.activity_depth + 1
                and self.current_identifier is None
                and self.identifier is None
            ):
                self.identifier = []

    def end(self, tag: str) -> None:
        if self.identifier is not None and tag == "iati-identifier" and self.depth == self.activity_depth + 1:
            self.current_identifier = "".join(self.identifier).strip()
            self.identifier = None
        if self.activity_depth and self.depth == self.activity_depth and tag == "iati-activity":
            here = int(self.expat.CurrentByteIndex)
            self.check_span(here)
            self.activities.append(
                ActivityEntry(
                    self.current_identifier or "",
                    len(self.activities) + 1,
                    self.activity_where[0],
                    self.activity_where[1],
                    self.activity_start,
                    here,  # the end tag's '<' (or the start of an empty element): made exact later
                )
            )
            self.activity_depth = 0
        self.depth -= 1

    def check_span(self, here: int) -> None:
        if here - self.activity_start > limits.MAX_ACTIVITY_BYTES:
            raise OverBudget(
                f"the activity that starts at line {self.activity_where[0]} spans more than "
                f"{limits.MAX_ACTIVITY_BYTES // (1024 * 1024)} MiB (the reader's budget per activity, "
                "limits.MAX_ACTIVITY_BYTES): it is refused"
            )

    def data(self, text: str) -> None:
        if self.identifier is not None:
            self.identifier.append(text)
        elif self.activity_depth and self.activity_start >= 0 and self.expat is not None:
            self.check_span(int(self.expat.CurrentByteIndex))

    def close(self) -> None:
        return None


def _feed(parser: Any, source: IO[bytes]) -> None:
    total = 0
    while True:
        chunk = source.read(limits.READ_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limits.MAX_FILE_BYTES:
            raise OverBudget(
                f"the file is larger than {limits.MAX_FILE_BYTES // (1024 * 1024)} MiB "
                "(the reader's budget per file, limits.MAX_FILE_BYTES): it is refused"
            )
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _forbid_dtd(name: str, *_: Any) -> None:
    raise DTDForbidden(name, "", "")


def _forbid_entity(name: str, *_: Any) -> None:
    raise EntitiesForbidden(name, "", "", "", "", "")


def _forbid_external(context: str, *_: Any) -> int:
    raise ExternalReferenceForbidden(context, "", "", "")


def _expat_parser(scanner: _Scanner) -> Any:
    """A bare expat parser (no tree, no ElementTree in between) with defusedxml's refusals."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.ordered_attributes = True
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.data
    parser.StartDoctypeDeclHandler = _forbid_dtd
    parser.EntityDeclHandler = _forbid_entity
    parser.UnparsedEntityDeclHandler = _forbid_entity
    parser.ExternalEntityRefHandler = _forbid_external
    return parser


def _head(source: IO[bytes]) -> bytes:
    head = source.read(4096)
    source.seek(0)
    return head


def scan(source: IO[bytes], path: str | None) -> FileIndex:
    """The :class:`FileIndex` of an IATI file read from ``source`` (a binary file, seekable).

    Raises :class:`PlanError` for a file that is not well-formed XML, holds a DOCTYPE or
    entities, names an unreadable encoding, or exceeds a budget of
    :mod:`~techdiversity.formats.iati.limits`.
    """
    head = _head(source)
    scanner = _Scanner()
    parser = _expat_parser(scanner)
    scanner.expat = parser
    try:
        _feed(parser, source)
    except Exception as exc:
        where = scanner.where() if scanner.expat is not None else (1, 1)
        error = refusal(exc, path, where, head)
        if error is None:
            raise
        raise error from None
    encoding = (declared_encoding(head) or "").lower()
    sliceable = not head.startswith((b"\xff\xfe", b"\xfe\xff")) and not encoding.startswith(_NOT_SLICEABLE)
    activities = []
    for entry in scanner.activities:
        source.seek(entry.end)
        tail = source.read(64)
        if tail.startswith(b"</"):
            stop = tail.find(b">")
            end = entry.end + (stop + 1 if stop != -1 else len(tail))
        else:  # an empty element: <iati-activity .../>, read on to its end
            source.seek(entry.start)
            span = source.read(limits.MAX_ACTIVITY_BYTES)
            stop = span.find(b"/>")
            end = entry.start + (stop + 2 if stop != -1 else len(span))
        activities.append(attrs.evolve(entry, end=end))
    prefix: bytes | None = None
    if scanner.root == "iati-activities" and scanner.activities and sliceable:
        source.seek(0)
        before = source.read(scanner.activities[0].start)
        cut = _end_of_start_tag(before, scanner.root_start)
        prefix = before[:cut] if cut != -1 else None
    return FileIndex(
        path,
        scanner.root or "",
        scanner.version,
        tuple(activities),
        prefix,
        scanner.root_position,
        sliceable and prefix is not None,
    )


def _end_of_start_tag(data: bytes, start: int) -> int:
    """The offset just after the start tag that begins at ``start`` (quotes respected), or -1."""
    quote: int | None = None
    for i in range(start + 1, len(data)):
        c = data[i]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x3E:  # '>'
            return i + 1
    return -1


_CACHE: dict[tuple[str, int, int], FileIndex] = {}


def scan_path(path: str) -> FileIndex:
    """:func:`scan` of a file by path, kept for as long as the file's size and time do not change."""
    try:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_size, st.st_mtime_ns)
        found = _CACHE.get(key)
        if found is not None:
            return found
        with open(path, "rb") as fh:
            index = scan(fh, path)
    except FileNotFoundError:
        raise PlanError.at(path, None, None, "no such file") from None
    except IsADirectoryError:
        raise PlanError.at(path, None, None, "is a directory, not a plan file") from None
    except PermissionError:
        raise PlanError.at(path, None, None, "permission denied") from None
    except OSError as exc:
        raise PlanError.at(path, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = index
    return index


def activity_document(
    source: IO[bytes], index: FileIndex, entry: ActivityEntry
) -> tuple[bytes, Callable[[int, int], tuple[int, int]]]:
    """One activity of a sliceable file as a document of its own (the file's declaration
    and root start tag, a line end, the activity, the root's end tag), and the function
    that maps a place in that document to its place in the file."""
    assert index.prefix is not None
    source.seek(entry.start)
    body = source.read(entry.end - entry.start)
    prefix = index.prefix
    first = prefix.count(b"\n") + 2  # the line of the document the activity starts on

    def shift(line: int, col: int) -> tuple[int, int]:
        if line < first:
            return line, col
        return line - first + entry.line, col + entry.column - 1 if line == first else col

    return prefix + b"\n" + body + b"</" + index.root.encode("ascii") + b">\n", shift


def open_bytes(content: bytes) -> IO[bytes]:
    """A seekable binary file over bytes in memory."""
    return io.BytesIO(content)
