"""Read IATI activity XML (2.0x, with results) into plain plan data.

Each ``<iati-activity>`` of an IATI activity file is a plan of its own:
``techdiversity.load(path, activity=ID)`` (or ``path#ID``) reads one,
``Network.load(path)`` all of them; ``load(path)`` reads a file of one activity and
refuses a file of several, saying how to choose. The file is streamed
(:mod:`~techdiversity.formats.iati.stream`): one pass finds the activities, and each is
then read from its own bytes. An activity is read as a plan so:

``iati-identifier``
    ``plan.id``, slugified (``GB-1-123`` -> ``gb-1-123``); when it is empty, a slug of
    the title, else of the file name, else ``iati-activity``.
``title``, ``location``, ``recipient-country``, ``@xml:lang``
    ``plan.title``; ``plan.city`` (the first location with a name); ``plan.country``;
    ``plan.language``.
``activity-status``
    ``plan.status``: 1 -> draft; 2, 3, 4 -> adopted.
``activity-date``
    ``plan.period``: type 1 (else 2) starts it, type 3 (else 4) ends it.
``description``
    Type 1 -> ``context.current_situation``, type 2 -> ``strategic_goal``, type 3 ->
    ``context.target_groups`` (slugs of short comma-separated names).
``participating-org``
    ``stakeholders`` (``S1``...): the name, ``@type`` -> type, ``@role`` 2 (Accountable)
    -> participation ``decide``, 4 (Implementing) -> ``partner``. The ``reporting-org``
    becomes a stakeholder too, unless it is already a participating organisation.
``result``
    An objective: its id from the result's ``reference`` of vocabulary 99, else
    ``SO1``...; its title and description; its other attributes (``@aggregation-status``),
    references and document links in the objective's ``iati`` pass-through.
``indicator``
    An indicator that measures the objective: its id from its ``reference`` of
    vocabulary 99, else ``I1``...; its kind from the result type (1 output, 2 outcome ->
    result, 3 impact); ``@measure`` 2 -> unit ``percent``; ``@ascending`` -> direction
    ``increase`` / ``decrease``.
``baseline``
    ``baseline``: the value, the date from ``@iso-date`` or ``@year``, the comment as
    its note.
``period``/``target``, ``period``/``actual``
    ``milestones`` and, the last by date, ``target``; ``actuals``. A period that is a
    whole year, quarter, month or day gives that date (``2026``, ``2025-Q1``); another
    period gives its end day (and a note says so).

A period that is not a whole year, quarter, month or day keeps its start and end
(``period``); dimensions and locations of a value are kept (``dimensions``,
``locations``); further baselines go to ``baselines``; the reporting organisation is
``plan.publisher``. A value that is not a number (``N=42;P=57``) is kept as words,
which the checks report as not quantified. What an indicator, its values or the
activity's own attributes hold that no field holds (and a result's, on its objective) is kept in their ``iati``
pass-through, which the exporter writes back. Everything else (budgets,
transactions, sectors, other locations, other languages of a text...) is listed in
:attr:`ReadResult.notes <techdiversity.readers.ReadResult.notes>` with its line, each
note saying what happened (kept, approximated, not imported), a note of one kind
once with its count: nothing is dropped silently.

An export of this library carries extension attributes in the namespace
:data:`~techdiversity.formats.iati.mapping.TD_NAMESPACE`; the reader walks the same
declaration as the writer (:mod:`techdiversity.formats.iati.mapping`) to read it back as
it was (ids, kinds, units, dates at their precision, values in words).

The reader is safe on hostile input: it parses with ``defusedxml``, refuses any
document type declaration (so entity bombs and external entities never expand),
limits the nesting depth, and refuses files that are not XML, or not IATI activity
files, with a :class:`~techdiversity.errors.PlanError` at a position.
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
from defusedxml.ElementTree import DefusedXMLParser

from ...dates import PartialDate
from ...errors import Diagnostic, PlanError
from ...readers import Reader, ReadResult
from ...slugs import slugify
from ...sourcemap import Location, SourceMap
from . import limits
from .limits import MAX_DEPTH
from .mapping import (
    ACTIVITY,
    ACTIVITY_CHILDREN,
    ACTIVITY_DATE,
    BASELINE,
    DESCRIPTION,
    DESCRIPTIONS,
    INDICATOR,
    KIND_OF_RESULT_TYPE,
    ORG_TYPE_OF_CODE,
    PARTICIPATION_OF_ROLE,
    REGION,
    RESULT,
    ROLES,
    STAKEHOLDER,
    STATUS_OF_CODE,
    TD,
    UNMAPPED,
    VALUE,
    XML_LANG,
    date_of,
)
from .stream import (
    FileIndex,
    activity_document,
    activity_within_budget,
    open_bytes,
    refusal,
    scan,
    scan_path,
    within_budgets,
)

__all__ = ["MAX_DEPTH", "READERS", "activity_keys", "read_iati", "read_iati_activity"]

#: What a note says happened to something of the file: kept in the plan as it is,
#: approximated (kept, but changed: a date, an id, a number), or not imported.
KEPT = "kept"
APPROXIMATED = "approximated"
NOT_IMPORTED = "not imported"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# ---------------------------------------------------------------------------
# Parsing, with the line of every element

#: Characters refused in text and attribute values: the C1 controls and DEL, which XML
#: 1.0 allows but which no IATI text needs, and which would reach a terminal as control
#: sequences (``\x9b`` starts one). The C0 controls but tab and line ends are not
#: well-formed XML at all.
_CONTROL = re.compile("[\x7f-\x9f]")


def _windows_1252(char: str) -> str:
    """What a C1 control stands for in a text that was Windows-1252 read as Latin-1 (the
    usual cause of U+0080 to U+009F in published files: ``\x92`` for a right quote,
    ``\x96`` for a dash), or U+FFFD where that code page has no character (and for DEL)."""
    if char == "\x7f":
        return "\ufffd"
    try:
        return bytes([ord(char)]).decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd"


#: One repair of the text: the line and column of the element or text, the control character
#: found and what it was read as.
Repair = tuple[int, int, str, str]


class _LineBuilder:
    """An ElementTree builder that remembers where each element starts, and keeps to the budgets."""

    def __init__(self) -> None:
        self._builder = ET.TreeBuilder()
        self.expat: Any = None
        self.positions: dict[int, tuple[int, int]] = {}
        self.depth = 0
        self.elements = 0
        self.activity_elements = 0
        self.activity_line = 0
        self.activity_depth = 0
        #: Maps a place in the parsed text to its place in the file (see :func:`_parse`).
        self.shift: Callable[[int, int], tuple[int, int]] = _same_place
        #: C1 controls read as the Windows-1252 characters they stand for (noted by the reader)
        self.repairs: list[Repair] = []

    def where(self) -> tuple[int, int]:
        if self.expat is None:  # pragma: no cover - set right after the parser is made
            return 1, 1
        return int(self.expat.CurrentLineNumber), int(self.expat.CurrentColumnNumber) + 1

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        self.depth += 1
        self.elements += 1
        within_budgets(self.depth, self.elements)
        if tag == "iati-activity" and not self.activity_depth:
            self.activity_depth = self.depth
            self.activity_elements = 0
            self.activity_line = self.shift(*self.where())[0]
        if self.activity_depth:
            self.activity_elements += 1
            activity_within_budget(self.activity_elements, self.activity_line)
        if any(_CONTROL.search(value) for value in attrs.values()):
            attrs = {name: self._repaired(value) for name, value in attrs.items()}
        elem = self._builder.start(tag, attrs)
        self.positions[id(elem)] = self.shift(*self.where())
        return elem

    def _repaired(self, text: str) -> str:
        """``text`` with its C1 controls (and DEL) read as :func:`_windows_1252` says; each
        repair is remembered with its place, for a note: a terminal never sees a control."""
        if _CONTROL.search(text) is None:
            return text
        line, col = self.shift(*self.where())

        def one(found: re.Match[str]) -> str:
            char = found.group()
            replacement = _windows_1252(char)
            self.repairs.append((line, col, char, replacement))
            return replacement

        return _CONTROL.sub(one, text)

    def end(self, tag: str) -> ET.Element:
        if self.activity_depth == self.depth:
            self.activity_depth = 0
        self.depth -= 1
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(self._repaired(data))

    def close(self) -> ET.Element:
        return self._builder.close()


def _precheck(content: bytes, path: str | None) -> None:
    if not content.strip():
        raise PlanError.at(path, 1, 1, "the file is empty: an IATI activity file (XML) is expected")
    if not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        nul = content.find(b"\x00")
        if nul != -1:
            line = content.count(b"\n", 0, nul) + 1
            col = nul - (content.rfind(b"\n", 0, nul) + 1) + 1
            raise PlanError.at(path, line, col, "this is a binary file (it holds NUL bytes), not IATI XML")


def _same_place(line: int, col: int) -> tuple[int, int]:
    return line, col


def _parse(
    content: bytes, path: str | None, shift: Callable[[int, int], tuple[int, int]] = _same_place
) -> tuple[ET.Element, dict[int, tuple[int, int]], list[Repair]]:
    """The tree of ``content`` and the place of each element; ``shift`` maps a place in
    ``content`` to its place in the file (an activity cut out of a file keeps its lines)."""
    try:
        return _parse_shifted(content, path, shift)
    except PlanError as exc:
        if shift is _same_place:
            raise
        moved = []
        for d in exc.diagnostics:
            loc = d.location
            if loc.line is not None:
                line, col = shift(loc.line, loc.column or 1)
                loc = attrs.evolve(loc, line=line, column=col)
            moved.append(attrs.evolve(d, location=loc))
        raise PlanError(moved) from None


def _parse_shifted(
    content: bytes, path: str | None, shift: Callable[[int, int], tuple[int, int]]
) -> tuple[ET.Element, dict[int, tuple[int, int]], list[Repair]]:
    _precheck(content, path)
    builder = _LineBuilder()
    builder.shift = shift
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(content)
        root = parser.close()
    except Exception as exc:
        error = refusal(exc, path, builder.where(), content[:1024])
        if error is None:
            raise
        raise error from None
    return root, builder.positions, builder.repairs


# ---------------------------------------------------------------------------
# Small helpers


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def _number_or_words(raw: str | None) -> int | float | str | None:
    """A value's text as a number, else as words (``None`` for no text). Callers check
    the length of whole numbers first (:meth:`_ActivityReader.number`)."""
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        value = float(text)
        if math.isfinite(value):
            return value
    return text


def _period_of(exact: dict[str, Any], out: dict[str, Any]) -> None:
    """The ``period`` of a measurement from the ``period_start`` and ``period_end`` of an export."""
    if "period_start" in exact or "period_end" in exact:
        out["period"] = {k: exact[f"period_{k}"] for k in ("start", "end") if f"period_{k}" in exact}


def _iso_day(text: str | None) -> _dt.date | None:
    if text is None or not _ISO_DAY.fullmatch(text.strip()):
        return None
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _interval_text(first: _dt.date, last: _dt.date) -> str | None:
    """The partial date an interval is exactly (a year, quarter, month or day), or None."""
    if first == last:
        return first.isoformat()
    for candidate in (
        f"{first.year:04d}",
        f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}",
        f"{first.year:04d}-{first.month:02d}",
    ):
        date = PartialDate.parse(candidate)
        if date.first == first and date.last == last:
            return candidate
    return None


def _raw_date(date: PartialDate) -> str | int:
    return date.to_raw()


def _describe(elem: ET.Element) -> str:
    tag = elem.tag
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return f"<{name}> (namespace {ns})"
    return f"<{tag}>"


def _clip(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 3] + "..."


# ---------------------------------------------------------------------------
# The activity


class _ActivityReader:
    def __init__(self, path: str | None, positions: dict[int, tuple[int, int]]) -> None:
        self.path = path
        self.positions = positions
        self.notes: list[Diagnostic] = []
        self.values: dict[str, tuple[int, int]] = {}
        self.lang: str | None = None
        #: True for an export of this library: its texts are kept exactly, not stripped
        self.ours = False
        self.used: set[str] = set()
        self.reserved: set[str] = set()
        self.groups: dict[str, list[int]] = {}

    # -- bookkeeping ----------------------------------------------------------------

    def pos(self, elem: ET.Element) -> tuple[int, int]:
        return self.positions.get(id(elem), (1, 1))

    def note(self, elem: ET.Element, message: str, outcome: str = NOT_IMPORTED, group: str | None = None) -> None:
        """Say what happened to something of the file: ``outcome`` is :data:`KEPT`,
        :data:`APPROXIMATED` or :data:`NOT_IMPORTED` (the note ends with it). Notes of one
        ``group`` (the same kind of thing) are said once, with how many there are."""
        line, col = self.pos(elem)
        if not (outcome == NOT_IMPORTED and NOT_IMPORTED in message):
            message = f"{message} ({outcome})"
        self.notes.append(Diagnostic(Location(self.path, line, col, ""), message))
        if group is not None:
            self.groups.setdefault(group, []).append(len(self.notes) - 1)

    def gathered(self) -> list[Diagnostic]:
        """The notes, those of a group said once: the first, with the count and the lines of the others."""
        drop: set[int] = set()
        out = list(self.notes)
        for members in self.groups.values():
            if len(members) < 2:
                continue
            first = self.notes[members[0]]
            lines = [str(self.notes[i].location.line) for i in members[1:]]
            shown = ", ".join(lines[:8]) + (", ..." if len(lines) > 8 else "")
            out[members[0]] = Diagnostic(
                first.location, f"{first.message}; {len(members) - 1} more of the same kind, at lines {shown}"
            )
            drop.update(members[1:])
        return [d for i, d in enumerate(out) if i not in drop]

    def keep(self, elem: ET.Element, known: Iterable[str], what: str, out: dict[str, Any]) -> None:
        """Keep the attributes of ``elem`` the reader does not map (but ``td:`` ones) in
        ``out["iati"]``, the pass-through the IATI exporter writes back."""
        allowed = set(known)
        kept = [{"name": n, "value": v} for n, v in elem.attrib.items() if n not in allowed and not n.startswith(TD)]
        if not kept:
            return
        out.setdefault("iati", {}).setdefault("attributes", []).extend(kept)
        names = ", ".join("@" + _local_name(a["name"]) for a in kept)
        self.note(elem, f"{names} of {what}: in its iati pass-through", KEPT, group=f"keep@{elem.tag}:{names}")

    def keep_element(self, child: ET.Element, what: str, out: dict[str, Any]) -> None:
        """Keep a child element as published (XML text) in ``out["iati"]``."""
        clean = copy.deepcopy(child)
        clean.tail = None
        out.setdefault("iati", {}).setdefault("elements", []).append(ET.tostring(clean, encoding="unicode"))
        self.note(child, f"{_describe(child)} of {what}: in its iati pass-through", KEPT, group=f"keep<{child.tag}")

    def attributes(self, elem: ET.Element, known: Iterable[str], what: str) -> None:
        """Note the attributes of ``elem`` the reader does not map (but ``td:`` ones)."""
        allowed = set(known)
        for name, value in elem.attrib.items():
            if name in allowed or name.startswith(TD):
                continue
            if name.startswith("{"):
                ns, _, local = name[1:].partition("}")
                label = f"@{local} (namespace {_clip(ns, 40)})"
            else:
                label = f"@{name}"
            self.note(elem, f"{label} {_clip(value)!r} of {what} is not part of the plan format", group=f"@{name}")

    def mark(self, pointer: str, elem: ET.Element) -> None:
        self.values.setdefault(pointer, self.pos(elem))

    def new_id(self, prefix: str) -> str:
        n = 1
        while f"{prefix}{n}" in self.used or f"{prefix}{n}" in self.reserved:
            n += 1
        ident = f"{prefix}{n}"
        self.used.add(ident)
        return ident

    def claim(self, wanted: str | None, prefix: str, elem: ET.Element, what: str) -> str:
        """``wanted`` as the id if it is usable and free, else a new ``prefix`` id."""
        if wanted is not None:
            wanted = wanted.strip()
            if _ID.fullmatch(wanted) and wanted not in self.used:
                self.used.add(wanted)
                return wanted
            ident = self.new_id(prefix)
            reason = "is already used" if _ID.fullmatch(wanted) else "is not a usable id"
            self.note(elem, f"{what} code {_clip(wanted)!r} {reason}: the {what} is given the id {ident}", APPROXIMATED)
            return ident
        return self.new_id(prefix)

    def text(self, elem: ET.Element | None, what: str = "") -> str | None:
        """The text of an element's narratives: the one in the activity language (or
        without a language) first; other texts are noted."""
        if elem is None:
            return None
        narratives = [n for n in elem if n.tag == "narrative"]
        if not narratives:
            direct = (elem.text or "").strip()  # IATI 1.x put the text in the element
            return direct or None
        chosen = next(
            (n for n in narratives if n.get(XML_LANG) in (None, self.lang)),
            narratives[0],
        )
        text = chosen.text or ""
        if not self.ours:
            text = text.strip()
        for other in narratives:
            if other is chosen:
                continue
            other_text = (other.text or "").strip()
            if other_text and other_text != text.strip():
                lang = other.get(XML_LANG)
                label = f" ({lang})" if lang else ""
                self.note(
                    other,
                    f"another text{label} of {what or _describe(elem)}: {_clip(other_text)!r}",
                    group=f"lang:{lang}",
                )
        return text or None

    def td(self, elem: ET.Element, name: str) -> str | None:
        return elem.get(TD + name)

    def generated(self, elem: ET.Element | None) -> bool:
        return elem is not None and self.td(elem, "generated") == "true"

    def number(self, elem: ET.Element, raw: str | None, what: str) -> int | float | str | None:
        """The ``@value`` of ``elem`` as a number (or words). A whole number of more than
        :data:`~techdiversity.formats.iati.limits.MAX_NUMBER_DIGITS` digits is refused at its
        place; thousands separators (``20,000``) are read when unambiguous, with a note."""
        if raw is None:
            return None
        text = raw.strip()
        digits = len(text.lstrip("+-").split(".")[0].split("e")[0].split("E")[0])
        if digits > limits.MAX_NUMBER_DIGITS and re.fullmatch(r"[+-]?[\d.eE+-]+", text):
            line, col = self.pos(elem)
            raise PlanError.at(
                self.path,
                line,
                col,
                f"the value of {what} has more than {limits.MAX_NUMBER_DIGITS:,} digits "
                "(the reader's budget, limits.MAX_NUMBER_DIGITS): it is refused",
            )
        if _THOUSANDS.fullmatch(text):
            plain = text.replace(",", "")
            value = _number_or_words(plain)
            self.note(elem, f"the value {text!r} of {what} is read as {plain} (thousands separators)", APPROXIMATED)
            return value
        return _number_or_words(text)

    def slices(self, elem: ET.Element, out: dict[str, Any], what: str) -> None:
        """The dimensions and locations of a baseline, target or actual, into ``out``."""
        dims: list[dict[str, str]] = []
        places: list[str] = []
        for child in elem:
            if child.tag == "dimension":
                name, value = (child.get("name") or "").strip(), (child.get("value") or "").strip()
                if name and value:
                    dims.append({"name": name, "value": value})
                else:
                    self.note(child, f"a <dimension> of {what} without a name or a value is not imported")
            elif child.tag == "location":
                ref = (child.get("ref") or "").strip()
                if ref:
                    places.append(ref)
                else:
                    self.note(child, f"a <location> of {what} without a ref is not imported")
        if dims:
            out["dimensions"] = dims
        if places:
            out["locations"] = places

    def unexpected(self, elem: ET.Element, allowed: Iterable[str], where: str) -> None:
        known = set(allowed)
        for child in elem:
            if child.tag not in known:
                self.note(
                    child, f"{_describe(child)} in {where} is not part of the plan format", group=f"in:{child.tag}"
                )

    # -- the activity ---------------------------------------------------------------

    def reserve(self, activity: ET.Element) -> None:
        for elem in activity.iter():
            for name in ("id", "subject"):
                value = self.td(elem, name)
                if value:
                    self.reserved.add(value)
            if elem.tag == "reference" and elem.get("vocabulary") == "99" and elem.get("code"):
                self.reserved.add(str(elem.get("code")).strip())

    def read(self, activity: ET.Element, fallback_id: str) -> dict[str, Any]:
        own = ACTIVITY.read(activity)
        self.lang = own.get("language")
        self.ours = self.td(activity, "plan-id") is not None
        self.reserve(activity)
        self.mark("/plan", activity)
        own_attributes = (XML_LANG,) if not self.ours else (XML_LANG, "last-updated-datetime", "default-currency")
        info: dict[str, Any] = {}
        data: dict[str, Any] = {"format": 1, "plan": info}
        by_tag: dict[str, list[ET.Element]] = {}
        for child in activity:
            by_tag.setdefault(child.tag, []).append(child)
        for child in activity:
            if child.tag in ACTIVITY_CHILDREN:
                continue
            reason = UNMAPPED.get(child.tag, "not part of the plan format")
            self.note(child, f"{_describe(child)}{self._summary(child)}: {reason}", group=f"child:{child.tag}")

        titles = by_tag.get("title", [])
        title_elem = titles[0] if titles else None
        title = None if self.generated(title_elem) else self.text(title_elem, "the title")
        for extra in by_tag.get("title", [])[1:]:
            self.note(extra, "a second <title> is not imported")

        info["id"] = self._plan_id(own.get("id"), by_tag, title, fallback_id)
        if title:
            info["title"] = title
            assert title_elem is not None
            self.mark("/plan/title", title_elem)
        for key in ("network", "programme", "version", "publisher"):
            if key in own:
                info[key] = own[key]
        self.keep(activity, own_attributes, "the activity", info)
        if not self.ours:
            for org in by_tag.get("reporting-org", [])[:1]:
                publisher = (org.get("ref") or "").strip() or self.text(org, "the reporting organisation name")
                if publisher:
                    info["publisher"] = publisher
                    self.mark("/plan/publisher", org)
        if self.lang:
            info["language"] = self.lang
        self._status(by_tag.get("activity-status", []), own.get("status"), info)
        self._period(by_tag.get("activity-date", []), info)
        self._geography(by_tag, info)
        self._descriptions(by_tag.get("description", []), data)
        stakeholders = self._stakeholders(by_tag.get("participating-org", []), by_tag.get("reporting-org", []))
        if stakeholders:
            data["stakeholders"] = stakeholders
        self._results(by_tag.get("result", []), data)
        return data

    def _summary(self, elem: ET.Element) -> str:
        """A short description of what an unmapped element held."""
        if elem.tag == "budget":
            start = elem.find("period-start")
            end = elem.find("period-end")
            value = elem.find("value")
            parts = []
            if start is not None and end is not None:
                parts.append(f"{start.get('iso-date')} to {end.get('iso-date')}")
            if value is not None and value.text:
                parts.append(f"{value.text.strip()} {value.get('currency') or ''}".strip())
            return f" ({', '.join(parts)})" if parts else ""
        if elem.tag == "sector":
            code = elem.get("code")
            return f" (code {code})" if code else ""
        if elem.tag == "document-link":
            url = elem.get("url")
            return f" ({_clip(url)})" if url else ""
        if elem.tag == "transaction":
            value = elem.find("value")
            return f" ({value.text.strip()} {value.get('currency') or ''})" if value is not None and value.text else ""
        return ""

    def _plan_id(self, given: str | None, by_tag: dict[str, list[ET.Element]], title: str | None, fallback: str) -> str:
        identifiers = by_tag.get("iati-identifier", [])
        for extra in identifiers[1:]:
            self.note(extra, "a second <iati-identifier> is not imported")
        if given is not None:  # the plan's own id, as exported
            if identifiers:
                self.mark("/plan/id", identifiers[0])
            return given
        raw = (identifiers[0].text or "").strip() if identifiers else ""
        for candidate in (raw, title or "", fallback):
            slug = slugify(candidate)[:64].strip("-")
            if slug and _ID.fullmatch(slug):
                if identifiers:
                    self.mark("/plan/id", identifiers[0])
                return slug
        return "iati-activity"

    def _status(self, elems: list[ET.Element], given: str | None, info: dict[str, Any]) -> None:
        for i, elem in enumerate(elems):
            if i:
                self.note(elem, "a second <activity-status> is not imported")
                continue
            if self.generated(elem):
                continue
            code = (elem.get("code") or "").strip()
            if given is not None:
                info["status"] = given
            elif code in STATUS_OF_CODE:
                info["status"] = STATUS_OF_CODE[code]
            else:
                self.note(elem, f"activity status {code!r} (cancelled, suspended or unknown) has no plan status")
                continue
            self.mark("/plan/status", elem)

    def _period(self, elems: list[ET.Element], info: dict[str, Any]) -> None:
        found: dict[str, tuple[PartialDate, ET.Element]] = {}
        for elem in elems:
            if self.generated(elem):
                continue
            kind = (elem.get("type") or "").strip()
            raw = elem.get("iso-date")
            exact = ACTIVITY_DATE.read(elem).get("date")
            date = date_of(str(exact)) if exact is not None else (date_of(raw) if _iso_day(raw) else None)
            if kind not in ("1", "2", "3", "4"):
                self.note(elem, f"activity date of type {kind!r} ({raw}) is not a planned or actual start or end")
                continue
            if date is None:
                self.note(elem, f"activity date {raw!r} is not a date (YYYY-MM-DD)")
                continue
            if kind in found:
                self.note(elem, f"a second activity date of type {kind} ({raw}) is not imported")
                continue
            found[kind] = (date, elem)
        period: dict[str, Any] = {}
        start_code = "1" if "1" in found else "2"
        end_code = "3" if "3" in found else "4"
        first, last = found.get(start_code), found.get(end_code)
        if first is not None and last is not None and last[0].ends_before(first[0]):
            # the dates disagree: take the other pair (actual, else planned) when it is consistent
            for s_code, e_code in (("2", "4"), ("1", "3"), ("2", "3"), ("1", "4")):
                a, b = found.get(s_code), found.get(e_code)
                if a is not None and b is not None and not b[0].ends_before(a[0]):
                    label = {"1": "planned", "2": "actual"}
                    self.note(
                        last[1],
                        f"the activity ends ({last[0]}) before it starts ({first[0]}): the {label[s_code]} start "
                        f"and the {label[str(int(e_code) - 2)]} end ({a[0]} to {b[0]}) are read as the plan "
                        "period instead",
                        APPROXIMATED,
                    )
                    start_code, end_code = s_code, e_code
                    break
        for field, code, pair in (("start", start_code, ("1", "2")), ("end", end_code, ("3", "4"))):
            chosen = found.get(code)
            if chosen is None:
                continue
            period[field] = _raw_date(chosen[0])
            self.mark(f"/plan/period/{field}", chosen[1])
            for other in pair:
                if other != code and other in found:
                    unused = found[other]
                    kind = "actual" if other in ("2", "4") else "planned"
                    used = "planned" if kind == "actual" else "actual"
                    self.note(unused[1], f"the {kind} {field} date {unused[0]} is not imported (the {used} one is)")
        if period:
            info["period"] = period

    def _geography(self, by_tag: dict[str, list[ET.Element]], info: dict[str, Any]) -> None:
        for elem in by_tag.get("recipient-country", []):
            code = (elem.get("code") or "").strip().upper()
            if "country" not in info and re.fullmatch(r"[A-Z]{2}", code):
                info["country"] = code
                self.mark("/plan/country", elem)
            else:
                self.note(elem, f"recipient country {code!r} is not imported (a plan has one country)")
        for elem in by_tag.get("recipient-region", []):
            country = REGION.read(elem).get("country")
            if country is not None and "country" not in info:
                info["country"] = country
                self.mark("/plan/country", elem)
            else:
                self.note(elem, f"recipient region {elem.get('code')!r} is not part of the plan format")
        for elem in by_tag.get("location", []):
            name = self.text(elem.find("name"), "the location name")
            if name and "city" not in info:
                info["city"] = name
                self.mark("/plan/city", elem)
                for child in elem:
                    if child.tag not in ("name", "location-reach"):
                        self.note(child, f"{_describe(child)} of the location {name!r} is not part of the plan format")
            else:
                label = f" {name!r}" if name else ""
                self.note(elem, f"location{label} is not imported (a plan has one city)")

    def _descriptions(self, elems: list[ET.Element], data: dict[str, Any]) -> None:
        context: dict[str, Any] = {}
        vision: dict[str, Any] = {}
        for elem in elems:
            if self.generated(elem):
                continue
            text = self.text(elem, "the description")
            if not text:
                continue
            ext = DESCRIPTION.read(elem)
            field = ext.get("field")
            if "horizon" in ext:
                vision["horizon"] = ext["horizon"]
            kind = (elem.get("type") or "1").strip()
            if field is None:  # another publisher's description: by its type
                field = _FOREIGN_DESCRIPTIONS.get(kind)
            if field == "context.target_groups":
                if "field" in ext:
                    listed = ext.get("values")
                    groups = listed if listed is not None else [g.strip() for g in text.split(",")]
                else:  # words: short comma-separated names become slugs, prose stays out
                    parts = [g.strip() for g in re.split(r"[,;\n]", text)]
                    groups = [slugify(g) for g in parts] if all(len(g.split()) <= 3 for g in parts) else []
                    groups = [g for g in groups if g]
                groups = list(dict.fromkeys(groups))
                if "target_groups" in context or not groups:
                    self.note(elem, f"description of target groups {_clip(text)!r} is not imported")
                    continue
                context["target_groups"] = groups
                self.mark("/context/target_groups", elem)
                continue
            section, _, key = (field or "").rpartition(".")
            target = {"context": context, "vision": vision, "": data}.get(section)
            if field is None or target is None or key in target or key not in _TEXT_FIELDS.get(section, ()):
                self.note(elem, f"description (type {kind}) {_clip(text)!r} is not imported")
                continue
            target[key] = text
            self.mark("/" + (field or "").replace(".", "/"), elem)
        if context:
            data["context"] = context
        if vision:
            data["vision"] = vision

    def _stakeholders(self, orgs: list[ET.Element], reporting: list[ET.Element]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        refs: set[str] = set()
        names: set[str] = set()
        for elem in orgs:
            if self.generated(elem):
                continue
            pointer = f"/stakeholders/{len(out)}"
            own = STAKEHOLDER.read(elem)
            ident = self.claim(own.get("id"), "S", elem, "participating organisation")
            item: dict[str, Any] = {"id": ident}
            name = self.text(elem, "the organisation name")
            ref = (elem.get("ref") or "").strip()
            if ref:
                refs.add(ref)
            if name:
                names.add(name)
            if own.get("unnamed") is not True and (name or ref):
                item["name"] = name or ref
            ours = "id" in own
            org_type = (elem.get("type") or "").strip()
            if "type" in own:
                item["type"] = own["type"]
            elif org_type in ORG_TYPE_OF_CODE:
                item["type"] = ORG_TYPE_OF_CODE[org_type]
            elif org_type:
                self.note(elem, f"organisation type {org_type!r} of {ident} is not an IATI organisation type")
            role = (elem.get("role") or "").strip()
            if "participation" in own:
                item["participation"] = own["participation"]
            elif not ours and role in PARTICIPATION_OF_ROLE:
                item["participation"] = PARTICIPATION_OF_ROLE[role]
            elif not ours:
                label = f" ({ROLES[role]})" if role in ROLES else ""
                self.note(elem, f"the role {role!r}{label} of {ident} has no place in the plan format")
            if "represents" in own:
                item["represents"] = own["represents"]
            if ref and not ours:
                self.note(
                    elem,
                    f"the organisation identifier {ref!r} of {ident} is not part of the plan format",
                    group="org-ref",
                )
            for attr in ("activity-id", "crs-channel-code"):
                if elem.get(attr):
                    self.note(
                        elem,
                        f"@{attr} {elem.get(attr)!r} of {ident} is not part of the plan format",
                        group=f"org@{attr}",
                    )
            self.unexpected(elem, ("narrative",), f"participating organisation {ident}")
            self.mark(pointer, elem)
            out.append(item)
        for elem in reporting[:1]:
            if self.td(elem, "stakeholder") is not None or self.generated(elem):
                continue
            name = self.text(elem, "the reporting organisation name")
            ref = (elem.get("ref") or "").strip()
            if (ref and ref in refs) or (name and name in names):
                continue
            ident = self.new_id("S")
            item = {"id": ident}
            if name or ref:
                item["name"] = name or ref
            org_type = (elem.get("type") or "").strip()
            if org_type in ORG_TYPE_OF_CODE:
                item["type"] = ORG_TYPE_OF_CODE[org_type]
            self.mark(f"/stakeholders/{len(out)}", elem)
            out.append(item)  # its identifier is the plan's publisher
        for elem in reporting[1:]:
            self.note(elem, "a second <reporting-org> is not imported")
        return out

    # -- results ------------------------------------------------------------------------

    def _results(self, results: list[ET.Element], data: dict[str, Any]) -> None:
        objectives: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
        indicators: list[dict[str, Any]] = []
        seen: dict[str, dict[str, Any]] = {}
        for result in results:
            ext = RESULT.read(result)
            subject_kind = ext.get("subject_kind")
            subject_id = ext.get("id")
            references = [r for r in result if r.tag == "reference"]
            own = next((r for r in references if r.get("vocabulary") == "99" and r.get("code")), None)
            title_elem = result.find("title")
            title = None if self.generated(title_elem) else self.text(title_elem, "the result title")
            description = self.text(result.find("description"), "the result description")
            self.unexpected(result, ("title", "description", "document-link", "reference", "indicator"), "a result")
            subject: str | None
            #: the objective the result's own attributes, references and links are kept on
            keeper: dict[str, Any] | None = None
            if subject_kind == "plan":
                subject = None
            elif subject_id is not None and subject_id in seen:
                subject = subject_id
            else:
                wanted = subject_id if subject_id is not None else (own.get("code") if own is not None else None)
                if subject_kind == "action":
                    subject = self.claim(wanted, "A", result, "action")
                    item: dict[str, Any] = {"id": subject}
                    if title:
                        item["title"] = title
                    if description:
                        item[ext.get("description_field") or "description"] = description
                    if ext.get("contributes_to"):
                        item["contributes_to"] = ext["contributes_to"]
                    self.mark(f"/actions/{len(actions)}", result)
                    actions.append(item)
                else:
                    subject = self.claim(wanted, "SO", result, "result")
                    item = {"id": subject}
                    if title:
                        item["title"] = title
                    if description:
                        item["description"] = description
                    self.mark(f"/objectives/{len(objectives)}", result)
                    objectives.append(item)
                    keeper = item
                seen[subject] = item
            self._result_extras(result, own, subject_id, keeper)
            result_type = (result.get("type") or "").strip()
            if result_type.lower() in KIND_OF_RESULT_TYPE:
                default_kind = KIND_OF_RESULT_TYPE[result_type.lower()]
            else:
                default_kind = None
                self.note(
                    result, f"result type {result_type!r} is not an IATI result type: indicator kinds are not set"
                )
            for elem in result:
                if elem.tag == "indicator":
                    indicator = self._indicator(elem, subject, default_kind, len(indicators))
                    if indicator is not None:
                        indicators.append(indicator)
        if objectives:
            data["objectives"] = objectives
        if actions:
            data["actions"] = actions
        if indicators:
            data["indicators"] = indicators

    def _result_extras(
        self,
        result: ET.Element,
        own: ET.Element | None,
        subject_id: str | None,
        keeper: dict[str, Any] | None,
    ) -> None:
        """A result's attributes (but ``@type``), references (but the one naming it) and
        document links: kept in the ``iati`` pass-through of the objective it becomes
        (``keeper``), which the exporter writes back on its result; noted as not imported
        when the result is not read as a new objective."""
        what = f"result {keeper['id']}" if keeper is not None else ""
        if keeper is not None:
            self.keep(result, ("type",), what, keeper)
        else:
            self.attributes(result, ("type",), "a result")
        for child in result:  # in the file's order
            if child.tag == "reference":
                if child is own and (subject_id is None or (child.get("code") or "").strip() == subject_id):
                    if not set(child.attrib) - {"vocabulary", "code"}:
                        continue  # the result's id
                    if keeper is None:  # its @vocabulary-uri
                        self.attributes(child, ("vocabulary", "code"), "the result's reference")
                        continue
                if keeper is not None:
                    self.keep_element(child, what, keeper)
                    continue
                self.note(
                    child,
                    f"result reference {child.get('code')!r} (vocabulary {child.get('vocabulary')!r}) "
                    "is not part of the plan format",
                    group="result-ref",
                )
            elif child.tag == "document-link":
                if keeper is not None:
                    self.keep_element(child, what, keeper)
                    continue
                self.note(
                    child, f"{_describe(child)} of a result is not part of the plan format", group="in:document-link"
                )

    def _indicator(
        self, elem: ET.Element, subject: str | None, default_kind: str | None, index: int
    ) -> dict[str, Any] | None:
        if self.td(elem, "placeholder") == "true":
            return None
        pointer = f"/indicators/{index}"
        ext = INDICATOR.read(elem)
        ours = "id" in ext
        references = [r for r in elem if r.tag == "reference"]
        own = next((r for r in references if r.get("vocabulary") == "99" and r.get("code")), None)
        wanted = ext.get("id") or (own.get("code") if own is not None else None)
        ident = self.claim(wanted, "I", elem, "indicator")
        item: dict[str, Any] = {"id": ident}
        kept_measure = self.td(elem, "kept-measure") == "true"
        self.keep(elem, ("ascending",) if kept_measure else ("measure", "ascending"), f"indicator {ident}", item)
        for ref in references:
            if ref is own and (not ours or (ref.get("code") or "").strip() == ext.get("id")):
                if set(ref.attrib) - {"vocabulary", "code"}:  # its @indicator-uri: kept with it
                    self.keep_element(ref, f"indicator {ident}", item)
                continue  # the indicator's id
            self.keep_element(ref, f"indicator {ident}", item)
        for link in (c for c in elem if c.tag == "document-link"):
            self.keep_element(link, f"indicator {ident}", item)
        title_elem = elem.find("title")
        name = None if self.generated(title_elem) else self.text(title_elem, f"the name of {ident}")
        if name:
            item["name"] = name
        if "kind" in ext:
            item["kind"] = ext["kind"]
        elif elem.get(INDICATOR.attr("kind").qualified) is None and default_kind is not None and not ours:
            item["kind"] = default_kind
        if "measures" in ext:
            item["measures"] = ext["measures"]
        elif subject is not None:
            item["measures"] = [subject]
        measure = (elem.get("measure") or "").strip().lower()
        if "unit" in ext:
            item["unit"] = ext["unit"]
        elif measure in ("2", "percentage"):
            item["unit"] = "percent"

        ascending = (elem.get("ascending") or "").strip().lower()
        if "direction" in ext:
            item["direction"] = ext["direction"]
        elif not ours and ascending in ("0", "false"):
            item["direction"] = "decrease"
        elif not ours and ascending in ("1", "true"):
            item["direction"] = "increase"
        for field in ("cumulative", "source", "disaggregation"):
            if field in ext:
                item[field] = ext[field]
        description = elem.find("description")
        if description is not None and not self.generated(description):
            self.keep_element(description, f"indicator {ident}", item)
        self.unexpected(
            elem, ("title", "description", "reference", "document-link", "baseline", "period"), f"indicator {ident}"
        )
        baselines = [b for b in elem if b.tag == "baseline"]
        if baselines:
            # the baseline is the first one that is not a slice (else the first); the others are kept
            whole = [b for b in baselines if b.find("dimension") is None and b.find("location") is None]
            if ours:
                mains = [b for b in baselines if b.get(BASELINE.attr("further").qualified) != "true"]
                whole = mains
            main = (whole or baselines)[0]
            item["baseline"] = self._baseline(main, ident)
            self.mark(f"{pointer}/baseline", main)
            others = [b for b in baselines if b is not main]
            if ours and not mains:  # no baseline, only further ones
                item.pop("baseline")
                others = baselines
            if others:
                item["baselines"] = [self._baseline(b, ident) for b in others]
                for i, b in enumerate(others):
                    self.mark(f"{pointer}/baselines/{i}", b)
        self._periods(elem, ident, item, pointer)
        raw_measure = (elem.get("measure") or "").strip()
        if not ours and raw_measure and not kept_measure:
            # the measure an export would write: 2 for a percentage, 5 when every value is words, else 1
            values = [item.get("baseline"), item.get("target"), *item.get("milestones", []), *item.get("actuals", [])]
            written = [m["value"] for m in values if m and "value" in m]
            if item.get("unit") == "percent":
                predicted = "2"
            elif written and not any(isinstance(v, (int, float)) for v in written):
                predicted = "5"
            else:
                predicted = "1"
            if raw_measure != predicted:
                item.setdefault("iati", {}).setdefault("attributes", []).append(
                    {"name": "measure", "value": raw_measure}
                )
                label = {"3": " (nominal)", "4": " (ordinal)", "5": " (qualitative)"}.get(raw_measure, "")
                self.note(elem, f"the measure {raw_measure!r}{label} of {ident}: in its iati pass-through", KEPT)
        self.mark(pointer, elem)
        return item

    def _measurement_extras(self, elem: ET.Element, ident: str, what: str, out: dict[str, Any]) -> None:
        for child in elem:
            if child.tag in ("comment", TD + "value", "dimension", "location"):
                continue
            if child.tag == "document-link":
                self.keep_element(child, f"the {what} of {ident}", out)
                continue
            self.note(
                child,
                f"{_describe(child)} of the {what} of {ident} is not part of the plan format",
                group=f"m:{child.tag}",
            )

    def _baseline(self, elem: ET.Element, ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        ext = BASELINE.read(elem)
        in_words = ext.get("text")
        value = in_words if in_words is not None else self.number(elem, elem.get("value"), f"the baseline of {ident}")
        if value is not None:
            out["value"] = value
        if ext.get("undated") is not True:
            exact = ext.get("date")
            date = date_of(str(exact)) if exact is not None else None
            if date is None and _iso_day(elem.get("iso-date")):
                date = date_of(elem.get("iso-date"))
            if date is None:
                date = date_of((elem.get("year") or "").strip())
            if date is not None:
                out["date"] = _raw_date(date)
            elif elem.get("year") or elem.get("iso-date"):
                self.note(elem, f"the baseline date of {ident} ({elem.get('year')}) is not a date")
            year = (elem.get("year") or "").strip()
            if year and (date is None or str(date.first.year) != year):  # a @year that is not the date's
                out.setdefault("iati", {}).setdefault("attributes", []).append({"name": "year", "value": year})
                self.note(elem, f"@year {year!r} of the baseline of {ident}: in its iati pass-through", KEPT)
        _period_of(ext, out)
        if "note" in ext:
            out["note"] = ext["note"]
        elif in_words is None:  # the comment holds the words of a value when there are any
            comment = self.text(elem.find("comment"), f"the baseline comment of {ident}")
            if comment:
                out["note"] = comment
        self.slices(elem, out, f"the baseline of {ident}")
        self.keep(elem, ("year", "iso-date", "value"), f"the baseline of {ident}", out)
        self._measurement_extras(elem, ident, "baseline", out)
        return out

    def _periods(self, elem: ET.Element, ident: str, item: dict[str, Any], pointer: str) -> None:
        # (role, sort key, measurement, element, place in its list as exported)
        targets: list[tuple[str | None, tuple[_dt.date, int, int], dict[str, Any], ET.Element, int | None]] = []
        actuals: list[tuple[dict[str, Any], ET.Element, int | None]] = []
        for period in (p for p in elem if p.tag == "period"):
            start_elem, end_elem = period.find("period-start"), period.find("period-end")
            self.attributes(period, (), f"a period of {ident}")
            first = _iso_day(start_elem.get("iso-date") if start_elem is not None else None)
            last = _iso_day(end_elem.get("iso-date") if end_elem is not None else None)
            period_date: str | None = None
            interval: dict[str, str] | None = None
            if first is not None and last is not None and first <= last:
                exact = _interval_text(first, last)
                period_date = exact or last.isoformat()
                if exact is None:  # kept as it is: the value is dated at the end, the period kept
                    interval = {"start": first.isoformat(), "end": last.isoformat()}
            elif last is not None:
                period_date = last.isoformat()
                if first is not None:
                    self.note(
                        period,
                        f"a period of {ident} ends ({last}) before it starts ({first}): its values are dated at "
                        "its end",
                        APPROXIMATED,
                    )
            elif first is not None:
                period_date = first.isoformat()
                self.note(
                    period, f"a period of {ident} has no valid end: its values are dated at its start", APPROXIMATED
                )
            sort_day = last or first or _dt.date.max
            if first is None and last is None:
                self.note(period, f"a period of {ident} has no valid start or end date: its values are undated")
            for child in period:
                if child.tag in ("period-start", "period-end"):
                    continue
                if child.tag not in ("target", "actual"):
                    self.note(child, f"{_describe(child)} in a period of {ident} is not part of the plan format")
                    continue
                measurement, role, index = self._value(child, ident, period_date)
                if interval is not None and self._extension(child) is None:
                    measurement["period"] = dict(interval)
                if child.tag == "target":
                    numeric = isinstance(measurement.get("value"), (int, float))
                    whole = "dimensions" not in measurement and "locations" not in measurement
                    # the last by date is the target; in one period a total beats a slice and a
                    # number beats a comment alone
                    targets.append((role, (sort_day, int(whole), int(numeric)), measurement, child, index))
                else:
                    actuals.append((measurement, child, index))
        if targets:
            roles_known = all(t[0] in ("target", "milestone") for t in targets)
            if roles_known:
                final = [t for t in targets if t[0] == "target"]
                milestones = [t for t in targets if t[0] == "milestone"]
                if all(t[4] is not None for t in milestones):
                    milestones.sort(key=lambda t: t[4] or 0)
            else:
                ordered = sorted(targets, key=lambda t: t[1])
                final = ordered[-1:]
                milestones = [t for t in targets if t is not ordered[-1]]
            for extra in final[1:]:
                milestones.append(extra)
            if final:
                item["target"] = final[0][2]
                self.mark(f"{pointer}/target", final[0][3])
            if milestones:
                item["milestones"] = [m[2] for m in milestones]
                for i, m in enumerate(milestones):
                    self.mark(f"{pointer}/milestones/{i}", m[3])
        if actuals:
            if all(a[2] is not None for a in actuals):
                actuals.sort(key=lambda a: a[2] or 0)
            item["actuals"] = [a[0] for a in actuals]
            for i, a in enumerate(actuals):
                self.mark(f"{pointer}/actuals/{i}", a[1])

    def _extension(self, elem: ET.Element) -> ET.Element | None:
        return elem.find(TD + VALUE.tag.partition(":")[2])

    def _value(
        self, elem: ET.Element, ident: str, period_date: str | None
    ) -> tuple[dict[str, Any], str | None, int | None]:
        out: dict[str, Any] = {}
        ext = self._extension(elem)
        role: str | None = None
        index: int | None = None
        what = f"a {elem.tag} of {ident}"
        if ext is not None:
            exact = VALUE.read(ext)
            role = exact.get("role")
            index = exact.get("index")
            in_words = exact.get("text")
            value = in_words if in_words is not None else self.number(elem, elem.get("value"), what)
            date = date_of(str(exact["date"])) if "date" in exact else None
            note = exact.get("note")
            _period_of(exact, out)
        else:
            value = self.number(elem, elem.get("value"), what)
            date = date_of(period_date)
            note = self.text(elem.find("comment"), f"the {elem.tag} comment of {ident}")
        if value is not None:
            out["value"] = value
        if date is not None:
            out["date"] = _raw_date(date)
        if note is not None and (note or ext is not None):
            out["note"] = note
        self.slices(elem, out, what)
        self.keep(elem, ("value",), what, out)
        self._measurement_extras(elem, ident, elem.tag, out)
        return out, role, index


#: The description of each IATI type that a description without ``td:field`` is read as.
_FOREIGN_DESCRIPTIONS = {d.type: d.field for d in DESCRIPTIONS if d.foreign}

#: The texts a description holds, by section (``""``: the plan itself); target groups are a list.
_TEXT_FIELDS: dict[str, tuple[str, ...]] = {}
for _d in DESCRIPTIONS:
    if _d.field != "context.target_groups":
        _section, _, _key = _d.field.rpartition(".")
        _TEXT_FIELDS[_section] = (*_TEXT_FIELDS.get(_section, ()), _key)


#: Characters no text of a plan may hold: C0 controls but tab and line ends, DEL and the
#: C1 controls, lone surrogates (they cannot be written as UTF-8) and U+FFFE/U+FFFF.
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _refuse_bad_text(value: Any, pointer: str, places: dict[str, tuple[int, int]], path: str | None) -> None:
    """Refuse, at its place, a text that holds a character no plan text may hold.

    XML itself cannot carry most of them, but the JSON lists of ``td:`` attributes can
    (``["\\ud800"]``), and a plan holding one could not be written or shown."""
    if isinstance(value, str):
        found = _BAD_TEXT.search(value)
        if found is None:
            return
        at = pointer
        while at and at not in places:
            at = at.rpartition("/")[0]
        line, col = places.get(at, (1, 1))
        code = ord(found.group())
        kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "the control character"
        raise PlanError.at(
            path,
            line,
            col,
            f"the text holds {kind} U+{code:04X}, which is refused (it cannot be written, or a terminal would obey it)",
            pointer,
        )
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_bad_text(item, f"{pointer}/{key}", places, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_bad_text(item, f"{pointer}/{i}", places, path)


def _local_name(name: str) -> str:
    return name.rpartition("}")[2] if name.startswith("{") else name


def _check_root(index: FileIndex, path: str | None) -> None:
    line, col = index.root_position
    if index.root == "iati-organisations":
        raise PlanError.at(
            path, line, col, "this is an IATI organisation file: an IATI activity file (<iati-activities>) is expected"
        )
    if index.root not in ("iati-activities", "iati-activity"):
        name = index.root.rpartition("}")[2] if index.root.startswith("{") else index.root
        ns = f" (namespace {index.root[1:].partition('}')[0]})" if index.root.startswith("{") else ""
        raise PlanError.at(
            path,
            line,
            col,
            f"this XML is not an IATI activity file: its root element is <{name}>{ns}, <iati-activities> is expected",
        )
    if not index.activities:
        raise PlanError.at(path, line, col, "the IATI file holds no <iati-activity>")


def _several(index: FileIndex, path: str | None) -> PlanError:
    keys = index.keys()
    shown = ", ".join(keys[:3]) + (", ..." if len(keys) > 3 else "")
    line, col = index.root_position
    return PlanError.at(
        path,
        line,
        col,
        f"the IATI file holds {len(keys)} activities ({shown}), each a plan of its own: choose one with "
        f"load(path, activity={keys[0]!r}) or --activity {keys[0]}, or read them all with "
        "Network.load(path) (check, score, compare and monitor read every activity)",
    )


def _lines_of(repairs: Sequence[Repair]) -> str:
    lines = sorted({line for line, _, _, _ in repairs})
    return ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")


def _read_tree(
    root: ET.Element,
    activity: ET.Element,
    positions: dict[int, tuple[int, int]],
    path: str | None,
    repairs: Sequence[Repair] = (),
) -> ReadResult:
    reader = _ActivityReader(path, positions)
    if repairs:
        line, col, _, _ = repairs[0]
        shown = sorted({f"U+{ord(c):04X} as {r!r}" for _, _, c, r in repairs})
        more = f"; {len(repairs) - 1} more, at lines {_lines_of(repairs[1:])}" if len(repairs) > 1 else ""
        reader.notes.append(
            Diagnostic(
                Location(path, line, col, ""),
                "the text holds C1 control characters, which stand for Windows-1252 punctuation when a text "
                f"was encoded in that code page and read as Latin-1: read {', '.join(shown[:6])}"
                f"{', ...' if len(shown) > 6 else ''}{more} ({APPROXIMATED})",
            )
        )
    if root.tag == "iati-activities":
        version = (root.get("version") or "").strip()
        if not version.startswith("2."):
            reader.note(
                root, f"IATI version {version!r} is read as version 2.03; elements of other versions may be missed"
            )
        for extra in root:
            if extra.tag != "iati-activity":
                reader.note(extra, f"{_describe(extra)} is not part of the plan format")
    fallback = os.path.splitext(os.path.basename(path))[0] if path else ""
    data = reader.read(activity, fallback)
    _refuse_bad_text(data, "", reader.values, path)
    notes = tuple(sorted(reader.gathered(), key=lambda d: (d.location.line or 0, d.location.column or 0)))
    return ReadResult(data, SourceMap(path, values=reader.values), notes)


def read_iati(content: bytes, path: str | None) -> ReadResult:
    """Read the activity of an IATI activity file as plain plan data.

    A file of several activities is refused with a :class:`PlanError` that says how
    many there are and how to choose one (:func:`read_iati_activity`).
    """
    _precheck(content, path)
    index = scan(open_bytes(content), path)
    _check_root(index, path)
    if len(index.activities) > 1:
        raise _several(index, path)
    root, positions, repairs = _parse(content, path)
    activity = root if root.tag == "iati-activity" else next(a for a in root if a.tag == "iati-activity")
    return _read_tree(root, activity, positions, path, repairs)


def activity_keys(path: str) -> list[str]:
    """The names of the activities of an IATI file, in order, as ``path#name`` takes them:
    each activity's identifier, or its number (1, 2, ...) when it has none or shares it."""
    index = scan_path(path)
    _check_root(index, path)
    return index.keys()


def read_iati_activity(path: str, activity: str) -> ReadResult:
    """Read one activity of an IATI file, named by its ``iati-identifier`` (or its number).

    Only that activity's bytes are read and parsed (the file's index is kept between
    calls), so reading every activity of a large file one by one costs about one read
    of the file.
    """
    index = scan_path(path)
    _check_root(index, path)
    entry = index.find(activity)
    if entry is None:
        keys = index.keys()
        shown = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
        raise PlanError.at(
            path, None, None, f"the IATI file holds no activity {activity!r}; its {len(keys)} activities: {shown}"
        )
    shift: Callable[[int, int], tuple[int, int]] = _same_place
    try:
        with open(path, "rb") as fh:
            if index.root == "iati-activity" or not index.sliceable:
                content = fh.read()
            else:
                content, shift = activity_document(fh, index, entry)
    except OSError as exc:
        raise PlanError.at(path, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    root, positions, repairs = _parse(content, path, shift)
    if root.tag == "iati-activity":
        activity_elem = root
    else:
        found = [a for a in root if a.tag == "iati-activity"]
        activity_elem = found[0] if index.sliceable else found[entry.number - 1]
    return _read_tree(root, activity_elem, positions, path, repairs)


READERS = (
    Reader(
        "iati",
        "IATI activity XML",
        (".xml",),
        read_iati,
        description=(
            "Each iati-activity of an IATI 2.0x activity file is a plan (path#IDENTIFIER): results become "
            "objectives with their indicators, baselines, targets and actuals (with their periods, dimensions "
            "and locations); participating organisations become stakeholders. What has no place in a plan is "
            "kept in a pass-through or reported, with its line."
        ),
    ),
)
