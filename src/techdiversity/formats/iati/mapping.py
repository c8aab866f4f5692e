"""The mapping between a plan and an IATI 2.03 activity, declared once for both ways.

The writer (:mod:`techdiversity.formats.iati.writer`) and the reader
(:mod:`techdiversity.formats.iati.reader`) both walk what is declared here, so that what
is written is what is read:

- :data:`ACTIVITY`, :data:`STAKEHOLDER`, :data:`RESULT`, :data:`INDICATOR`,
  :data:`BASELINE`, :data:`VALUE` and :data:`ACTIVITY_DATE`: for each element that holds
  a thing of the plan, the attributes that hold its fields exactly, each an
  :class:`Attr` (attribute, field, :class:`Codec`: how the field's value is written as
  the attribute's text and how the text is read back). Most are extension attributes
  in the namespace :data:`TD_NAMESPACE` (prefix ``td``), which IATI allows
  (``xsd:any namespace="##other"``) and the schema accepts; inside ``target`` and
  ``actual``, which allow no foreign attributes, they sit on one ``td:value`` child.
- :data:`DESCRIPTIONS`: which plan text each ``description`` holds, and which of them
  a description of another publisher (no ``td:field``) is read as.
- the code tables, both ways: a plan value written as an IATI code
  (:data:`ORG_TYPES`, :data:`ACTIVITY_STATUS`, :data:`RESULT_TYPES`), and an IATI code
  of any publisher read as a plan value (:data:`ORG_TYPE_OF_CODE`,
  :data:`STATUS_OF_CODE`, :data:`KIND_OF_RESULT_TYPE`, :data:`PARTICIPATION_OF_ROLE`).
  IATI's codes are coarser than the plan's words (``citizens`` and ``media`` are both
  90, Other), so the exact word travels in a ``td:`` attribute and the code is for
  other IATI tools; :func:`coded_round_trip` states what the tables promise.
- :data:`ACTIVITY_CHILDREN`: every child element of an activity that the reader maps,
  and :data:`UNMAPPED`, why the others have no place in a plan (the reader reports
  them with their line, never drops them silently).

Extending the mapping (further activities of a file, disaggregated values, periods
that are not a whole year or quarter, elements passed through unchanged) means adding
entries here and the code that walks them, not a second description of the layout.

Mapping (plan -> IATI)
======================

``iati-identifier``
    The option ``identifier``; by default ``<reporting-org ref>-<plan id>``, that is
    ``XM-DAC-ZZ-<plan id>``. ``XM-DAC-ZZ`` is a placeholder: give the city's registered
    IATI organisation identifier with the option ``reporting-org-ref``.
``reporting-org``
    ``@ref`` from ``reporting-org-ref``, ``@type`` from ``reporting-org-type`` (default
    ``11``, Local Government), the name from ``reporting-org-name``, else the first
    ``public-authority`` stakeholder, else the city.
``title``
    ``plan.title`` (else the city, else the plan id).
``description``
    Type 1 (General): ``context.theme`` and ``context.current_situation``; type 2
    (Objectives): ``strategic_goal`` and the vision; type 3 (Target Groups):
    ``context.target_groups``. One element each.
``participating-org``
    Each stakeholder, with ``@type`` from its type (public-authority 10, private-company
    and social-enterprise 70, ngo 22, academia 80, others 90) and ``@role`` 4
    (Implementing) when it leads or partners an action, else 2 (Accountable): the other
    members of the URBACT Local Group co-own and oversee the plan.
``activity-status``
    ``plan.status``: draft and consulted -> 1 (Pipeline/identification), adopted -> 2
    (Implementation).
``activity-date``
    ``plan.period``: type 1 (Planned start, its first day) and type 3 (Planned end, its
    last day). Without a period, the earliest date of the actions and testing actions
    (else the start of the current year) is the planned start.
``recipient-country`` / ``recipient-region``
    ``plan.country``; ``EU`` (not a country) becomes the region 89, Europe, regional.
``location``
    ``plan.city``, with reach 1 (Activity).
``sector``
    Only with the option ``sector`` (a code of ``sector-vocabulary``, default 1: OECD
    DAC CRS 5-digit purpose codes).
``budget``
    The ``budget`` resources of the actions that have an amount and a currency, one
    ``budget`` per calendar year and currency (type 1 Original; status 2 Committed for
    an adopted plan, else 1 Indicative). An action's amount is spread over the years of
    its timescale (else of the plan period) in proportion to their days, to the cent.
    A budget sums the actions of a year: it is written for IATI tools and is not read
    back into resources (the reader reports it).
``result`` type 2 (Outcome)
    Each objective, with the ``result`` and ``impact`` indicators that measure it and a
    ``reference`` of vocabulary 99 (Reporting Organisation) with its id. An objective
    that no indicator measures gets one qualitative placeholder indicator (measure 5),
    so that it still appears (the reader leaves the placeholder out).
``result`` type 1 (Output)
    Each action with ``output`` indicators (one result per action). An indicator sits
    under the first thing it measures (outputs prefer actions, others objectives);
    indicators that measure nothing are grouped in one result for the whole plan.
``indicator``
    ``@measure`` 2 (Percentage) when the unit is a percentage, 5 (Qualitative) when every
    value is words, else 1 (Unit); ``@ascending`` 0 for the direction ``decrease`` (or,
    without a direction, a target below the baseline), else 1; the name as ``title``;
    unit, means of verification and disaggregation as ``description``; the id as a
    ``reference`` of vocabulary 99.
``baseline``
    ``@year`` and, when known to the day, ``@iso-date``; ``@value`` only for a number:
    words and the note go to its ``comment``, never dropped.
``period`` with ``target`` and ``actual``
    One period per date, the interval the date stands for (``2026`` is 2026-01-01 to
    2026-12-31, ``2025-Q3`` 2025-07-01 to 2025-09-30), holding the milestones and the
    final target as ``target`` elements and the actuals as ``actual`` elements; values
    without a date use the plan period.

Problems, risks, meetings, testing actions, the integration self-assessments and
non-budget resources have no place in IATI and are not exported. Content the exporter
has to make up (a title or a date the plan does not hold) carries
``td:generated="true"``, and the reader leaves it out.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ... import vocab
from ...dates import PartialDate

__all__ = [
    "ACTIVITY",
    "ACTIVITY_CHILDREN",
    "ACTIVITY_DATE",
    "ACTIVITY_STATUS",
    "BASELINE",
    "BOOL",
    "DATE",
    "DESCRIPTION",
    "DESCRIPTIONS",
    "ELEMENTS",
    "IDS",
    "INDICATOR",
    "KIND_OF_RESULT_TYPE",
    "ORG_TYPES",
    "ORG_TYPE_OF_CODE",
    "PARTICIPATION_OF_ROLE",
    "PERCENT_UNITS",
    "REGION",
    "RESULT",
    "RESULT_TYPES",
    "ROLES",
    "SOME_IDS",
    "STAKEHOLDER",
    "STATUS_OF_CODE",
    "TD",
    "TD_NAMESPACE",
    "TEXT",
    "UNMAPPED",
    "VALUE",
    "WORDS",
    "WORD_LIST",
    "XML_LANG",
    "Attr",
    "Codec",
    "Description",
    "Element",
    "coded_round_trip",
    "date_of",
    "vocabulary",
    "words",
]

#: The namespace of the round-trip extension attributes (prefix ``td``).
TD_NAMESPACE = "urn:x-techdiversity:iati:1"

#: ElementTree's spelling of a name in :data:`TD_NAMESPACE` is ``TD + name``.
TD = "{" + TD_NAMESPACE + "}"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: What a language code in ``xml:lang`` looks like (BCP 47, loosely); others go to ``td:language``.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")

#: Units written as IATI's measure 2 (Percentage), and read back from it as ``percent``.
PERCENT_UNITS = frozenset({"percent", "percentage", "per cent", "%", "pct", "percentage points", "pp"})

# ---------------------------------------------------------------------------
# Code tables, both ways

#: Stakeholder type -> IATI OrganisationType code.
ORG_TYPES: Mapping[str, str] = {
    "public-authority": "10",  # Government
    "private-company": "70",  # Private Sector
    "ngo": "22",  # National NGO
    "academia": "80",  # Academic, Training and Research
    "citizens": "90",  # Other
    "social-enterprise": "70",  # Private Sector
    "media": "90",  # Other
    "other": "90",  # Other
}

#: IATI OrganisationType code (of any publisher) -> stakeholder type.
ORG_TYPE_OF_CODE: Mapping[str, str] = {
    "10": "public-authority",
    "11": "public-authority",
    "15": "public-authority",
    "21": "ngo",
    "22": "ngo",
    "23": "ngo",
    "24": "ngo",
    "30": "other",
    "40": "other",
    "60": "other",
    "70": "private-company",
    "71": "private-company",
    "72": "private-company",
    "73": "private-company",
    "80": "academia",
    "90": "other",
}

#: Plan status -> IATI ActivityStatus code.
ACTIVITY_STATUS: Mapping[str, str] = {"draft": "1", "consulted": "1", "adopted": "2"}

#: IATI ActivityStatus code -> plan status (5 Cancelled and 6 Suspended have none).
STATUS_OF_CODE: Mapping[str, str] = {"1": "draft", "2": "adopted", "3": "adopted", "4": "adopted"}

#: Indicator kind -> IATI ResultType code.
RESULT_TYPES: Mapping[str, str] = {"output": "1", "result": "2", "impact": "2"}

#: ResultType code (or the IATI 1.x word) -> indicator kind of the result's indicators.
KIND_OF_RESULT_TYPE: Mapping[str, str | None] = {
    "1": "output",
    "output": "output",
    "2": "result",
    "outcome": "result",
    "3": "impact",
    "impact": "impact",
    "9": None,
    "other": None,
}

#: IATI OrganisationRole codes, for messages.
ROLES: Mapping[str, str] = {"1": "Funding", "2": "Accountable", "3": "Extending", "4": "Implementing"}

#: OrganisationRole code -> participation of a stakeholder (the exporter writes 4 for
#: those who lead or partner an action, else 2).
PARTICIPATION_OF_ROLE: Mapping[str, str] = {"2": "decide", "4": "partner"}


def coded_round_trip(write: Mapping[str, str], read: Mapping[str, Any]) -> dict[str, Any]:
    """What each plan value of a code table reads back as: ``{value: read[write[value]]}``.

    IATI's codes are coarser than the plan's words, so a value may read back as another
    word; the tables promise that it is always one that writes the same code.
    """
    return {value: read.get(code) for value, code in write.items()}


# ---------------------------------------------------------------------------
# Codecs: a field's value as an attribute's text, and back

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


@attrs.frozen
class Codec:
    """How a value of the plan is written as an attribute's text, and read back.

    ``write`` takes the model's value (``None``: nothing to write) and returns the text,
    or ``None`` to leave the attribute out; ``read`` takes the text and returns the
    value as plan data (the plan format's plain form: a date as its text, a list as a
    list), or ``None`` when the text holds nothing the field can take.
    """

    name: str
    write: Callable[[Any], str | None] = attrs.field(repr=False)
    read: Callable[[str], Any] = attrs.field(repr=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _nonblank(value: Any) -> str | None:
    return str(value) if value is not None and str(value).strip() else None


def words(text: str | None) -> list[str] | None:
    """A list attribute: a JSON array of strings (or, leniently, words split on spaces), repeats dropped."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return list(dict.fromkeys(text.split()))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return list(dict.fromkeys(value))


def _json_list(values: Any) -> str | None:
    """A list of words as an attribute (a JSON array: the words may hold spaces); none when empty."""
    return json.dumps(list(values), ensure_ascii=False) if values else None


def _ids(text: str) -> list[str]:
    return list(dict.fromkeys(text.split()))


def date_of(text: str | None) -> PartialDate | None:
    """A partial date (``2025``, ``2025-Q3``, ``2025-09-06``) from text, or None."""
    if text is None:
        return None
    try:
        return PartialDate.parse(text.strip())
    except ValueError:
        return None


def _read_date(text: str) -> str | int | None:
    date = date_of(text)
    return None if date is None else date.to_raw()


def _write_date(value: Any) -> str | None:
    return None if value is None else str(value.text)


def _write_bool(value: Any) -> str | None:
    return None if value is None else str(bool(value)).lower()


def _read_bool(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text)


def vocabulary(name: str, values: Any) -> Codec:
    """A slug of a vocabulary: written as it is, read only when it is one of ``values``."""
    allowed = frozenset(values)
    return Codec(name, _text, lambda text: text if text in allowed else None)


#: Text as it is, the empty text included.
TEXT = Codec("text", _text, lambda text: text)
#: Text that is not blank: a blank one is not written, and an empty attribute is nothing.
NONBLANK = Codec("non-blank text", _nonblank, lambda text: text or None)
#: An id the plan format accepts (letters, digits, ``.``, ``_``, ``:`` and ``-``).
ID = Codec("id", _text, lambda text: text if _ID.fullmatch(text) else None)
#: A list of words, as a JSON array (they may hold spaces); an empty list is not written.
WORDS = Codec("words", _json_list, lambda text: words(text) or None)
#: A list of words, as a JSON array; read as it is, an empty list included.
WORD_LIST = Codec("word list", _json_list, words)
#: Ids separated by spaces; an empty list is the empty text.
IDS = Codec("ids", lambda value: None if value is None else " ".join(value), _ids)
#: Ids separated by spaces; an empty list is not written.
SOME_IDS = Codec("some ids", lambda value: " ".join(value) or None if value is not None else None, _ids)
#: A date at the precision written (``2025-Q3``).
DATE = Codec("date", _write_date, _read_date)
#: ``true`` or ``false``.
BOOL = Codec("boolean", _write_bool, _read_bool)
#: A whole number of digits.
INTEGER = Codec("whole number", _text, lambda text: int(text) if text.isdigit() else None)
#: A language code as ``xml:lang`` takes it (others are written to ``td:language``).
LANGUAGE = Codec(
    "language tag", lambda value: value if value and LANGUAGE_TAG.fullmatch(value) else None, lambda text: text or None
)
#: A language of the plan that is not a language code.
OTHER_LANGUAGE = Codec(
    "other language", lambda value: value if value and not LANGUAGE_TAG.fullmatch(value) else None, lambda t: t or None
)
#: A country code of two letters.
COUNTRY = Codec("country", _text, lambda text: text if re.fullmatch(r"[A-Z]{2}", text) else None)

# ---------------------------------------------------------------------------
# Elements: which attributes hold which fields


@attrs.frozen
class Attr:
    """One field of a thing of the plan, held by one attribute of an IATI element.

    ``name`` is the attribute as written: ``td:network`` (the namespace is
    :data:`TD_NAMESPACE`), ``xml:lang``, or a plain name (on the ``td:value`` element).
    ``field`` is the field of the model class (and the key of the plan data); ``codec``
    writes and reads it. ``note`` says when the writer leaves the attribute out although
    the field has a value (what the reader takes instead).
    """

    name: str
    field: str
    codec: Codec
    note: str = ""

    @property
    def written(self) -> str:
        """The attribute's name as the writer sets it: ``td:`` names as they are (the root
        declares the prefix), ``xml:lang`` in ElementTree's spelling."""
        return XML_LANG if self.name == "xml:lang" else self.name

    @property
    def qualified(self) -> str:
        """The attribute's name as ElementTree spells it (``{urn:...}network``)."""
        prefix, _, local = self.name.rpartition(":")
        if prefix == "td":
            return TD + local
        if prefix == "xml":
            return XML_LANG if local == "lang" else "{http://www.w3.org/XML/1998/namespace}" + local
        return self.name


@attrs.frozen
class Element:
    """The attributes of one kind of IATI element that hold the fields of one kind of thing of the plan."""

    tag: str
    thing: str
    attributes: tuple[Attr, ...]

    def attr(self, field: str) -> Attr:
        """The attribute that holds ``field`` (the first, when two do)."""
        return next(a for a in self.attributes if a.field == field)

    def write(self, thing: Any, **given: Any) -> dict[str, str | None]:
        """The attributes of ``thing``, in declaration order: each field's value (from ``given``,
        else the attribute of ``thing`` of that name) through its codec; ``None`` for an
        attribute to leave out."""
        out: dict[str, str | None] = {}
        for a in self.attributes:
            value = given[a.field] if a.field in given else getattr(thing, a.field, None)
            out[a.written] = a.codec.write(value)
        return out

    def read(self, elem: ET.Element) -> dict[str, Any]:
        """The fields the attributes of ``elem`` hold, as plan data: present and readable ones only
        (when two attributes hold a field, the first that has it)."""
        out: dict[str, Any] = {}
        for a in self.attributes:
            if a.field in out:
                continue
            text = elem.get(a.qualified)
            if text is None:
                continue
            value = a.codec.read(text)
            if value is not None:
                out[a.field] = value
        return out


#: The plan's own fields on ``iati-activity`` (the title, the period, the country and
#: the city have elements of their own).
ACTIVITY = Element(
    "iati-activity",
    "plan",
    (
        Attr("td:plan-id", "id", ID),
        Attr("td:network", "network", NONBLANK),
        Attr("td:programme", "programme", NONBLANK),
        Attr("td:version", "version", NONBLANK),
        Attr("td:status", "status", vocabulary("plan status", vocab.PLAN_STATUSES)),
        Attr("xml:lang", "language", LANGUAGE),
        Attr("td:language", "language", OTHER_LANGUAGE),
        Attr("td:publisher", "publisher", NONBLANK, "the plan's publisher (else the reporting-org's ref)"),
    ),
)

#: A stakeholder on ``participating-org`` (its name is the narrative).
STAKEHOLDER = Element(
    "participating-org",
    "stakeholder",
    (
        Attr("td:id", "id", TEXT),
        Attr("td:type", "type", vocabulary("stakeholder type", vocab.STAKEHOLDER_TYPES)),
        Attr("td:participation", "participation", vocabulary("participation", vocab.PARTICIPATION)),
        Attr("td:represents", "represents", WORDS),
        Attr("td:unnamed", "unnamed", BOOL, "written only as true: the narrative then holds the id"),
    ),
)

#: An objective or an action on ``result`` (title and description are narratives).
RESULT = Element(
    "result",
    "objective or action",
    (
        Attr("td:subject", "id", TEXT),
        Attr("td:subject-kind", "subject_kind", vocabulary("subject kind", ("objective", "action", "plan"))),
        Attr("td:contributes-to", "contributes_to", SOME_IDS),
        Attr("td:description-field", "description_field", TEXT, "which field the action's description is"),
    ),
)

#: An indicator on ``indicator`` (its name is the title's narrative).
INDICATOR = Element(
    "indicator",
    "indicator",
    (
        Attr("td:id", "id", TEXT),
        Attr("td:kind", "kind", vocabulary("indicator kind", vocab.INDICATOR_KINDS)),
        Attr("td:unit", "unit", TEXT),
        Attr("td:measures", "measures", IDS, "left out when it is the result's subject alone, which is read instead"),
        Attr("td:source", "source", TEXT),
        Attr("td:disaggregation", "disaggregation", WORDS),
        Attr("td:direction", "direction", vocabulary("direction", vocab.DIRECTIONS)),
        Attr("td:cumulative", "cumulative", BOOL),
    ),
)

#: A baseline on ``baseline`` (a number is ``@value``; ``@year`` and ``@iso-date`` date it).
BASELINE = Element(
    "baseline",
    "baseline",
    (
        Attr("td:date", "date", DATE, "left out for a year, which @year holds"),
        Attr("td:undated", "undated", BOOL, "written only as true: the baseline has no date"),
        Attr("td:text", "text", TEXT, "the value, when it is words"),
        Attr("td:note", "note", TEXT),
        Attr("td:further", "further", BOOL, "written only as true: one of the indicator's further baselines"),
        Attr("td:period-start", "period_start", DATE, "the start of its period (IATI baselines have none)"),
        Attr("td:period-end", "period_end", DATE, "the end of its period"),
    ),
)

#: A milestone, the target or an actual, on the ``td:value`` child of ``target`` or ``actual``.
VALUE = Element(
    "td:value",
    "milestone, target or actual",
    (
        Attr("role", "role", vocabulary("role", ("milestone", "target")), "a milestone or the final target"),
        Attr(
            "index",
            "index",
            Codec("place", _text, lambda t: int(t) if t.isdigit() and len(t) < 10 else None),
            "its place among the milestones or the actuals",
        ),
        Attr("date", "date", DATE),
        Attr("text", "text", TEXT, "the value, when it is words"),
        Attr("note", "note", TEXT),
        Attr("period-start", "period_start", DATE, "the start of its period, as written (the IATI period has days)"),
        Attr("period-end", "period_end", DATE, "the end of its period, as written"),
    ),
)

#: The start or the end of the plan period on ``activity-date`` (``@iso-date`` is its first or last day).
ACTIVITY_DATE = Element("activity-date", "plan period", (Attr("td:date", "date", DATE),))

#: A text of the plan on ``description`` (the text is the narrative; see :data:`DESCRIPTIONS`).
DESCRIPTION = Element(
    "description",
    "text of the plan",
    (
        Attr("td:field", "field", TEXT, "the dotted field the text is, as in DESCRIPTIONS"),
        Attr("td:horizon", "horizon", INTEGER, "the vision's horizon, on the vision's first text"),
        Attr("td:values", "values", WORD_LIST, "the target groups, on their description"),
    ),
)

#: The plan's country when it is not a country of IATI's list (``EU``), on ``recipient-region``.
REGION = Element("recipient-region", "plan country", (Attr("td:country", "country", COUNTRY),))

#: Every element declaration, for the tests that walk them.
ELEMENTS: tuple[Element, ...] = (
    ACTIVITY,
    STAKEHOLDER,
    RESULT,
    INDICATOR,
    BASELINE,
    VALUE,
    ACTIVITY_DATE,
    DESCRIPTION,
    REGION,
)


@attrs.frozen
class Description:
    """A text of the plan written as a ``description`` of IATI ``type``.

    ``field`` is its dotted place in the plan (``td:field`` names it); ``foreign``
    marks the field that a description of that type without ``td:field`` (another
    publisher's) is read as.
    """

    type: str
    field: str
    foreign: bool = False

    @property
    def path(self) -> tuple[str, ...]:
        """The field as keys: ``("context", "theme")``."""
        return tuple(self.field.split("."))


#: The descriptions, in the order they are written.
DESCRIPTIONS: tuple[Description, ...] = (
    Description("1", "context.theme"),
    Description("1", "context.current_situation", foreign=True),
    Description("2", "strategic_goal", foreign=True),
    Description("2", "vision.headline"),
    Description("2", "vision.text"),
    Description("3", "context.target_groups", foreign=True),
)

#: The child elements of an activity that the reader maps into the plan.
ACTIVITY_CHILDREN = frozenset(
    {
        "iati-identifier",
        "reporting-org",
        "title",
        "description",
        "participating-org",
        "activity-status",
        "activity-date",
        "recipient-country",
        "recipient-region",
        "location",
        "result",
    }
)

#: Child elements of an activity that have no place in a plan, and why (reported with their line).
UNMAPPED: Mapping[str, str] = {
    "budget": "budgets are not part of the plan format (they belong to actions there)",
    "planned-disbursement": "planned disbursements are not part of the plan format",
    "transaction": "transactions are not part of the plan format",
    "sector": "sectors are not part of the plan format",
    "document-link": "documents are not part of the plan format",
    "contact-info": "contact details are not part of the plan format",
    "other-identifier": "other identifiers are not part of the plan format",
    "policy-marker": "policy markers are not part of the plan format",
    "tag": "tags are not part of the plan format",
    "country-budget-items": "country budget items are not part of the plan format",
    "humanitarian-scope": "humanitarian scopes are not part of the plan format",
    "related-activity": "related activities are not part of the plan format",
    "conditions": "conditions are not part of the plan format",
    "crs-add": "CRS data are not part of the plan format",
    "fss": "forward spending surveys are not part of the plan format",
    "legacy-data": "legacy data are not part of the plan format",
    "capital-spend": "capital spend is not part of the plan format",
    "activity-scope": "the activity scope is not part of the plan format",
    "collaboration-type": "the collaboration type is not part of the plan format",
    "default-flow-type": "the default flow type is not part of the plan format",
    "default-finance-type": "the default finance type is not part of the plan format",
    "default-aid-type": "the default aid type is not part of the plan format",
    "default-tied-status": "the default tied status is not part of the plan format",
}
