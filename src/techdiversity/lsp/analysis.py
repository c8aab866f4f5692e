"""One version of one plan file, read, converted and checked: what the editor features use.

Nothing here knows the Language Server Protocol: an :class:`Analysis` holds the text,
the plain data and source map of the reader, the plan (when the text converts), the
refusals and the findings, and works out on demand the spans of tokens (0-based line,
start and end columns in code points) and the outline of ids and links. The server
turns these into protocol objects, converting columns to the client's code units.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable
from typing import Any

import attrs

from .. import convert, formats, model
from ..checks import Check, run_checks
from ..errors import Diagnostic, PlanError
from ..findings import Finding, Report
from ..gcpause import paused_for_text
from ..index import LINK_SPECS, LinkSpec
from ..sourcemap import Positions, SourceMap

__all__ = ["Analysis", "Item", "Outline", "Problem", "Ref", "Span", "Token", "analyse", "split_lines"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PLAIN_END = re.compile(r"[^\s,\]\}#]+")
_TOP_KEYS = frozenset(a.name for a in attrs.fields(model.Plan)) | frozenset(
    a.name for a in attrs.fields(model.AssessmentFile)
)

#: What each kind of item is called by, for hovers and the outline.
TITLE_FIELDS: dict[str, tuple[str, ...]] = {
    "problem": ("statement",),
    "objective": ("title", "description"),
    "action": ("title", "description"),
    "indicator": ("name",),
    "stakeholder": ("name",),
    "risk": ("description",),
    "testing_action": ("idea", "challenge", "hypothesis"),
}

SECTION_OF_KIND: dict[str, str] = {kind: section for section, kind in model.SECTIONS}
KIND_OF_SECTION: dict[str, str] = dict(model.SECTIONS)
_LINKS: dict[tuple[str, str], LinkSpec] = {(spec.section, spec.field): spec for spec in LINK_SPECS}


def split_lines(text: str) -> list[str]:
    """Lines as the Language Server Protocol counts them (``\\n``, ``\\r\\n`` or ``\\r``)."""
    return _LINE_BREAK.split(text)


def link_spec(section: str, field: str) -> LinkSpec | None:
    """The kind of link a field of a section holds (``actions``, ``contributes_to``), or None."""
    return _LINKS.get((section, field))


@attrs.frozen(order=True)
class Span:
    """A stretch of one line: 0-based line, start and end columns in code points."""

    line: int
    start: int
    end: int

    def contains(self, line: int, column: int) -> bool:
        """True when the cursor (line, column) is on the span or just after it."""
        return line == self.line and self.start <= column <= self.end


@attrs.frozen
class Token:
    """A key or a text value as written, with its JSON pointer."""

    span: Span
    pointer: str
    key: bool
    value: str


@attrs.frozen
class Item:
    """A linkable thing of the plan: its id, kind, place and title."""

    id: str
    kind: str
    section: str
    index: int
    title: str | None

    @property
    def pointer(self) -> str:
        """The JSON pointer of the item (``/actions/3``)."""
        return f"/{self.section}/{self.index}"


@attrs.frozen
class Ref:
    """One link as written: the owner's field names ``target`` at ``pointer``."""

    target: str
    spec: LinkSpec
    pointer: str
    owner: str | None


@attrs.frozen
class Problem:
    """Something to show as a diagnostic: a refusal of the reader or a finding of a check."""

    span: Span
    message: str
    severity: str
    code: str | None = None
    pointer: str = ""
    finding: Finding | None = None


class Outline:
    """The ids and links of a plan's plain data, so features work even when it does not convert."""

    def __init__(self, data: Any) -> None:
        self.items: dict[str, Item] = {}
        self.order: list[Item] = []
        self.refs: list[Ref] = []
        self.refs_to: dict[str, list[Ref]] = {}
        if not isinstance(data, dict):
            return
        for section, kind in model.SECTIONS:
            entries = data.get(section)
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    continue
                ident = entry.get("id")
                if isinstance(ident, str):
                    title = next(
                        (t for t in (entry.get(f) for f in TITLE_FIELDS[kind]) if isinstance(t, str) and t), None
                    )
                    item = Item(ident, kind, section, i, title)
                    self.order.append(item)
                    self.items.setdefault(ident, item)
        for spec in LINK_SPECS:
            entries = data.get(spec.section)
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    continue
                owner = entry.get("id") if isinstance(entry.get("id"), str) else None
                value = entry.get(spec.field)
                base = f"/{spec.section}/{i}/{spec.field}"
                if isinstance(value, str):
                    self._add(Ref(value, spec, base, owner))
                elif isinstance(value, list):
                    for j, target in enumerate(value):
                        if isinstance(target, str):
                            self._add(Ref(target, spec, f"{base}/{j}", owner))

    def _add(self, ref: Ref) -> None:
        self.refs.append(ref)
        self.refs_to.setdefault(ref.target, []).append(ref)

    def of_kinds(self, kinds: Iterable[str]) -> list[Item]:
        """Items of these kinds, in file order."""
        wanted = set(kinds)
        return [item for item in self.order if item.kind in wanted]


def _value_at(data: Any, pointer: str) -> Any:
    node = data
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            if token not in node:
                return None
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                return None
            node = node[int(token)]
        else:
            return None
    return node


class Analysis:
    """One version of a document: read, converted, checked; spans worked out when asked."""

    def __init__(
        self,
        text: str,
        fmt: str,
        path: str | None,
        version: int | None = None,
        checks: Iterable[Check] | None = None,
    ) -> None:
        self.text = text
        self.format = fmt
        self.path = path
        self.version = version
        self.lines = split_lines(text)
        self.data: Any = None
        self.smap: SourceMap | None = None
        #: the reader's refusal (a syntax error): the data and source map are then None
        self.parse_error: PlanError | None = None
        #: the converter's refusals (unknown keys, wrong types...)
        self.errors: tuple[Diagnostic, ...] = ()
        self.plan: model.Plan | None = None
        self.report: Report | None = None
        self.kind = "plan"
        self._outline: Outline | None = None
        self._place_index: tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]] | None = None
        self._lock = threading.RLock()
        self._shift: tuple[int, int, int, int] | None = None
        self._problems: list[Problem] | None = None
        self._extents: dict[str, tuple[Span, Span]] | None = None
        self._line_starts: list[int] | None = None
        self._values: Positions = {}
        self._keys: Positions = {}
        with paused_for_text(len(text)):
            self._run(checks)

    def _run(self, checks: Iterable[Check] | None) -> None:
        try:
            self.data, self.smap = formats.read_text(self.text, self.format, self.path)
        except PlanError as exc:
            self.parse_error = exc
            return
        if isinstance(self.data, dict) and "assessment" in self.data and "plan" not in self.data:
            self.kind = "assessment"
            try:
                convert.structure_data(self.data, model.AssessmentFile, self.smap)
            except PlanError as exc:
                self.errors = exc.diagnostics
            return
        try:
            self.plan = convert.structure_data(self.data, model.Plan, self.smap)
        except PlanError as exc:
            self.errors = exc.diagnostics
            return
        self.report = run_checks(self.plan, checks)

    @property
    def looks_like_plan(self) -> bool | None:
        """True for a plan (or assessment) file, False for another file, None when unread.

        A mapping none of whose keys is a top-level key of the format is another file
        (a workflow, a compose file) that the editor happened to give the server.
        """
        if not self.parsed:
            return None
        data = self.data
        return not (isinstance(data, dict) and data and not set(data) & _TOP_KEYS)

    @property
    def parsed(self) -> bool:
        """True when the reader read the text (even if the plan did not convert)."""
        return self.parse_error is None

    # -- positions ---------------------------------------------------------------

    def _positions(self) -> None:
        with self._lock:
            if self.smap is not None and not self._values:
                self.smap.pointers()  # builds a lazy map (JSON, TOML)
                self._values, self._keys = self.smap.values, self.smap.keys

    def value_at(self, pointer: str) -> Any:
        """The plain data at a JSON pointer (None when there is none)."""
        return _value_at(self.data, pointer)

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        """The 1-based (line, column) the source map has for a pointer's value or key."""
        self._positions()
        return (self._keys if key else self._values).get(pointer)

    def scalar_span(self, line: int, column: int, value: str | None) -> Span:
        """The span of a scalar starting at 1-based (line, column): inside its quotes if quoted."""
        row, col = line - 1, column - 1
        text = self.lines[row] if 0 <= row < len(self.lines) else ""
        col = max(0, min(col, len(text)))
        if col < len(text) and text[col] in "\"'":
            quote = text[col]
            if value is not None and text.startswith(value, col + 1) and text[col + 1 + len(value) :][:1] == quote:
                return Span(row, col + 1, col + 1 + len(value))
            j = col + 1
            while j < len(text) and text[j] != quote:
                j += 2 if text[j] == "\\" and quote == '"' else 1
            return Span(row, col + 1, min(j, len(text)))
        if value is not None and value and text.startswith(value, col):
            return Span(row, col, col + len(value))
        m = _PLAIN_END.match(text, col)
        return Span(row, col, m.end() if m else min(col + 1, len(text)))

    def span_of(self, pointer: str, *, key: bool = False) -> Span | None:
        """The span of a pointer's key (``key=True``) or text value as written, or None."""
        where = self.position(pointer, key=key)
        if where is None:
            return None
        if key:
            name = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            return self.scalar_span(*where, name)
        value = self.value_at(pointer)
        return self.scalar_span(*where, value if isinstance(value, str) else None)

    def place(self, pointer: str) -> Span:
        """Where to show something about ``pointer``: an item at its id, a container at its key."""
        p = pointer
        while True:
            value = self.value_at(p) if p else None
            if isinstance(value, dict):
                if isinstance(value.get("id"), str) and self.position(f"{p}/id") is not None:
                    span = self.span_of(f"{p}/id")
                    if span is not None:
                        return span
                span = self.span_of(p, key=True)
                if span is not None:
                    return span
            elif isinstance(value, list):
                span = self.span_of(p, key=True)
                if span is not None:
                    return span
            elif p and self.position(p) is not None:
                span = self.span_of(p)
                if span is not None:
                    return span
            if not p:
                return self.scalar_span(1, 1, None)
            p = p.rsplit("/", 1)[0]

    def _places(self) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
        """(line, column) -> the pointer whose value, and whose key, starts there (built once)."""
        with self._lock:
            if self._place_index is None:
                self._positions()
                # where a container and its first item start at the same place, the item wins
                values = {where: pointer for pointer, where in self._values.items()}
                keys = {where: pointer for pointer, where in self._keys.items()}
                self._place_index = (values, keys)
            return self._place_index

    def prepare(self) -> None:
        """Work out now what completion and hover will ask for (the server does it in its worker).

        The outline always; the places of tokens only when the source map is already
        there (YAML): a lazy map (JSON, TOML) is built by the first feature that needs it,
        so that a change typed right after is not kept waiting for it.
        """
        _ = self.outline
        if self.smap is not None and self.smap.builder is None:
            self._places()

    def token_at(self, line: int, column: int) -> Token | None:
        """The key or text value under the cursor (0-based line, code-point column)."""
        if not self.parsed or not 0 <= line < len(self.lines):
            return None
        text = self.lines[line]
        values, keys = self._places()
        # the token starts somewhere in the run of non-blank characters before the cursor
        start = min(column, len(text))
        while start > 0 and text[start - 1] not in " \t":
            start -= 1
        hits: list[Token] = []
        for col in range(start, min(column, len(text)) + 1):
            for pointer, key in ((values.get((line + 1, col + 1)), False), (keys.get((line + 1, col + 1)), True)):
                if pointer is None:
                    continue
                value: Any = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if key else None
                if not key:
                    value = self.value_at(pointer)
                if not isinstance(value, str):
                    continue
                span = self.scalar_span(line + 1, col + 1, value)
                if span.contains(line, column):
                    hits.append(Token(span, pointer, key, value))
        if not hits:
            return None
        return min(hits, key=lambda t: (t.span.end - t.span.start, t.key))

    def offset(self, row: int, column: int) -> int:
        """The offset in the text of a 0-based line and code-point column."""
        return self._starts()[row] + column

    def row_col(self, offset: int) -> tuple[int, int]:
        """The 0-based line and code-point column of an offset in the text."""
        starts = self._starts()
        row = bisect.bisect_right(starts, offset) - 1
        return row, offset - starts[row]

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        return self._line_starts

    def still_written(self, span: Span, value: str, lines: list[str]) -> bool:
        """True when ``value`` is still written at ``span`` in another version's ``lines``."""
        return 0 <= span.line < len(lines) and lines[span.line][span.start : span.end] == value

    def relocate(self, span: Span, lines: list[str]) -> Span | None:
        """Where a span of this version is in a newer version's ``lines``, if it is untouched.

        The lines before the first changed line stay where they are; those after the
        last changed line move by the number of lines added or removed; a span inside
        the changed lines has no place (None).
        """
        if lines is self.lines or lines == self.lines:
            return span
        key = id(lines)
        if self._shift is None or self._shift[0] != key:
            old = self.lines
            n = min(len(old), len(lines))
            head = 0
            while head < n and old[head] == lines[head]:
                head += 1
            tail = 0
            while tail < n - head and old[-1 - tail] == lines[-1 - tail]:
                tail += 1
            self._shift = (key, head, len(old) - tail, len(lines) - len(old))
        _key, head, end, delta = self._shift
        if span.line < head:
            return span
        if span.line >= end:
            return Span(span.line + delta, span.start, span.end)
        return None

    # -- outline -------------------------------------------------------------------

    @property
    def outline(self) -> Outline:
        """Ids and links of the plain data (empty when the text did not parse)."""
        with self._lock:
            if self._outline is None:
                self._outline = Outline(self.data)
            return self._outline

    def item_span(self, item: Item) -> Span | None:
        """The span of an item's id value."""
        return self.span_of(f"{item.pointer}/id")

    def extents(self) -> dict[str, tuple[Span, Span]]:
        """Where each item and section starts, and where its last token ends, in one pass."""
        if self._extents is None:
            self._positions()
            last: dict[str, tuple[tuple[int, int], str]] = {}
            for pointer, where in self._values.items():
                parts = pointer.split("/", 3)
                if len(parts) < 2 or parts[1] not in KIND_OF_SECTION:
                    continue
                prefixes = [f"/{parts[1]}"] + ([f"/{parts[1]}/{parts[2]}"] if len(parts) > 2 else [])
                for prefix in prefixes:
                    seen = last.get(prefix)
                    if seen is None or where > seen[0]:
                        last[prefix] = (where, pointer)
            out: dict[str, tuple[Span, Span]] = {}
            for prefix, (where, pointer) in last.items():
                start = (self._keys.get(prefix) if prefix.count("/") == 1 else None) or self._values.get(prefix)
                if start is None:
                    continue
                value = self.value_at(pointer)
                end = self.scalar_span(*where, value if isinstance(value, str) else None)
                first = Span(start[0] - 1, start[1] - 1, start[1] - 1)
                out[prefix] = (first, end if end >= first else first)
            self._extents = out
        return self._extents

    # -- diagnostics -----------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every refusal and finding of this version, placed (worked out once)."""
        with self._lock:
            if self._problems is None:
                self._problems = self._place_problems()
            return self._problems

    def _place_problems(self) -> list[Problem]:
        out: list[Problem] = []
        if self.parse_error is not None:
            for diag in self.parse_error.diagnostics:
                out.append(Problem(self._at(diag), _diag_message(diag), "error", pointer=diag.location.pointer))
            return out
        for diag in self.errors:
            pointer = diag.location.pointer
            key_pos = self.position(pointer, key=True)
            where = (diag.location.line, diag.location.column)
            if key_pos is not None and key_pos == where:
                span = self.span_of(pointer, key=True) or self._at(diag)
            elif self.position(pointer) == where:
                span = self.span_of(pointer) or self._at(diag)
            else:
                span = self._at(diag)
            out.append(Problem(span, _diag_message(diag), "error", pointer=pointer))
        if self.report is not None:
            for finding in self.report:
                if finding.location is not None and finding.location.line is not None and not finding.pointer:
                    span = self.scalar_span(finding.location.line, finding.location.column or 1, None)
                else:
                    span = self.place(finding.pointer)
                out.append(
                    Problem(span, finding.message, finding.severity, finding.code, finding.pointer, finding=finding)
                )
        return out

    def _at(self, diag: Diagnostic) -> Span:
        line = diag.location.line or 1
        column = diag.location.column or 1
        return self.scalar_span(line, column, None)


def _diag_message(diag: Diagnostic) -> str:
    field = diag.field
    detail = f" ({diag.location.detail})" if diag.location.detail else ""
    return f"{field + ': ' if field else ''}{diag.message}{detail}"


def analyse(
    text: str, fmt: str, path: str | None = None, version: int | None = None, checks: Iterable[Check] | None = None
) -> Analysis:
    """Read, convert and check one version of a document."""
    return Analysis(text, fmt, path, version, checks)
