"""IATI 2.03 activity XML: a plan as one ``iati-activity`` with its results.

The International Aid Transparency Initiative (IATI) publishes development and
urban-policy activities in one XML standard. This exporter writes one
``<iati-activity>`` per plan inside ``<iati-activities version="2.03">``, in the exact
element order of the official schema (``iati-activities-schema.xsd``), so that the
output validates against it. It uses only the standard library (``xml.etree``).

The mapping (which element and attribute holds which field of the plan, and the
code tables) is declared in :mod:`techdiversity.formats.iati.mapping`, which the
reader walks too.

Round trip
----------
So that :mod:`techdiversity.formats.iati.reader` can read an export back without loss, the
output carries a few attributes (and, inside ``target``/``actual``, which allow no
foreign attributes, one child element) in the namespace :data:`TD_NAMESPACE` (prefix
``td``): ids, indicator kinds and units, dates at the precision written
(``2025-Q3``), values in words, lists (as JSON arrays, since their words may hold
spaces), and ``td:generated="true"`` on content the exporter
had to make up (a title or a date the plan does not hold). IATI allows such
extensions (``xsd:any namespace="##other"``), and the schema accepts them.

Text
----
XML 1.0 forbids most control characters. Each one is written as the visible Unicode
"control picture" of the same code (``\\x0b`` becomes ``\\u240b`` ␋, ``\\x1b`` becomes
``\\u241b`` ␛), so the text keeps its place; lone surrogates and the non-characters
U+FFFE and U+FFFF become U+FFFD. ``<``, ``&`` and ``]]>`` are escaped as usual.
"""

from __future__ import annotations

import datetime as _dt
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from typing import Any

from ...dates import PartialDate
from ...model import Action, IatiExtras, Indicator, Measurement, Objective, Plan, Value
from .mapping import (
    ACTIVITY,
    ACTIVITY_DATE,
    ACTIVITY_STATUS,
    BASELINE,
    DESCRIPTION,
    DESCRIPTIONS,
    INDICATOR,
    ORG_TYPES,
    PERCENT_UNITS,
    REGION,
    RESULT,
    RESULT_TYPES,
    STAKEHOLDER,
    TD_NAMESPACE,
    VALUE,
)

__all__ = [
    "DEFAULT_REPORTING_ORG_REF",
    "TD_NAMESPACE",
    "write_iati",
    "xml_text",
]

#: The placeholder organisation identifier used when no ``reporting-org-ref`` is given.
DEFAULT_REPORTING_ORG_REF = "XM-DAC-ZZ"

IATI_VERSION = "2.03"

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _replace_illegal(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control picture: ␋ for \x0b, ␛ for \x1b
    return "\ufffd"


def xml_text(text: str) -> str:
    """``text`` made writable in XML 1.0 without losing any of it.

    Control characters XML 1.0 forbids become their visible control pictures
    (U+2400 + code); lone surrogates, U+FFFE and U+FFFF become U+FFFD; ``\\r\\n`` becomes
    ``\\n`` (as any XML parser would), while a lone ``\\r`` is kept (:func:`write_iati`
    writes it as ``&#13;``, which a parser reads back as ``\\r``).
    """
    text = text.replace("\r\n", "\n")
    return _ILLEGAL.sub(_replace_illegal, text)


def _td(name: str) -> str:
    return f"td:{name}"


def _sub(parent: ET.Element, tag: str, attrib: Mapping[str, str | None] | None = None) -> ET.Element:
    elem = ET.SubElement(parent, tag)
    for key, value in (attrib or {}).items():
        if value is not None:
            elem.set(key, xml_text(value))
    return elem


def _narrative(parent: ET.Element, text: str) -> ET.Element:
    elem = ET.SubElement(parent, "narrative")
    elem.text = xml_text(text)
    return elem


def _text_element(
    parent: ET.Element, tag: str, text: str, attrib: Mapping[str, str | None] | None = None
) -> ET.Element:
    elem = _sub(parent, tag, attrib)
    _narrative(elem, text)
    return elem


def _number(value: int | float | Decimal) -> str:
    """A number as ``xsd:decimal`` text, without exponent. An int stays whole (``200``); a
    float keeps its point (``200.0``, ``0.0000001``) so that it reads back as the same float;
    a Decimal (a budget) loses its trailing zeros."""
    if isinstance(value, bool):  # pragma: no cover - the model refuses booleans as values
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            text = format(Decimal(repr(value)), "f")
        except InvalidOperation:  # pragma: no cover - the model refuses nan and infinity
            return repr(value)
        return text if "." in text else text + ".0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _quantified(value: Value | None) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _words_of(m: Measurement) -> str | None:
    """The value of a measurement when it is words (numbers go to ``@value``)."""
    return str(m.value) if m.value is not None and not _quantified(m.value) else None


def _iso(day: _dt.date) -> str:
    return day.isoformat()


def _nonempty(text: str | None) -> str | None:
    return text if text is not None and text.strip() else None


def _option(options: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = options.get(name)
        if value is not None and value.strip():
            return value.strip()
    return None


# ---------------------------------------------------------------------------
# The pieces of an activity


class _Writer:
    """Builds the ``iati-activity`` of one plan."""

    def __init__(self, plan: Plan, options: Mapping[str, str]) -> None:
        self.plan = plan
        self.options = options
        self.info = plan.plan
        self.today = _dt.datetime.now(_dt.UTC)
        stakeholders = {s.id for s in plan.stakeholders}
        self.implementing: set[str] = set()
        for action in plan.actions:
            if action.lead in stakeholders:
                self.implementing.add(action.lead)
            self.implementing.update(p for p in action.partners if p in stakeholders)
        self.span, self.span_source = self._span()
        #: the objectives whose iati pass-through is written (on their first result only)
        self._results_kept: set[str] = set()

    # -- dates ------------------------------------------------------------

    def _span(self) -> tuple[tuple[_dt.date, _dt.date], str]:
        """The first and last day of the plan, and where they come from: ``period``, ``dates``
        (the actions' and testing actions' dates) or ``today`` (this year)."""
        period = self.info.period
        start = period.start if period is not None else None
        end = period.end if period is not None else None
        if start is not None and end is not None:
            return (start.first, end.last), "period"
        dates: list[PartialDate] = []
        for action in self.plan.actions:
            if action.timescale is not None:
                dates.extend(d for d in (action.timescale.start, action.timescale.end) if d is not None)
        for testing in self.plan.testing_actions:
            if testing.period is not None:
                dates.extend(d for d in (testing.period.start, testing.period.end) if d is not None)
        firsts = [d.first for d in dates]
        lasts = [d.last for d in dates]
        if start is not None:
            return (start.first, max([start.last, *lasts])), "period"
        if end is not None:
            return (min([end.first, *firsts]), end.last), "period"
        if dates:
            return (min(firsts), max(lasts)), "dates"
        today = self.today.date()
        return (_dt.date(today.year, 1, 1), _dt.date(today.year, 12, 31)), "today"

    # -- identification -----------------------------------------------------

    def reporting_org(self) -> tuple[str, str, str, str | None]:
        """(ref, type, name, stakeholder id or None)."""
        publisher = _nonempty(self.info.publisher)
        if publisher is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:-]*", publisher):
            publisher = None  # a name, not an organisation identifier
        ref = _option(self.options, "reporting-org-ref", "reporting_org_ref") or publisher or DEFAULT_REPORTING_ORG_REF
        kind = _option(self.options, "reporting-org-type", "reporting_org_type") or "11"
        name = _option(self.options, "reporting-org-name", "reporting_org_name")
        if name is not None:
            return ref, kind, name, None
        for stakeholder in self.plan.stakeholders:
            if stakeholder.type == "public-authority" and _nonempty(stakeholder.name):
                return ref, kind, str(stakeholder.name), stakeholder.id
        return ref, kind, _nonempty(self.info.city) or self.info.id, None

    def identifier(self, org_ref: str) -> str:
        given = _option(self.options, "identifier")
        ident = given if given is not None else f"{org_ref}-{self.info.id}"
        if re.search(r"[\s/&|?]", ident):
            raise ValueError(
                f"the IATI identifier {ident!r} may not hold spaces or the characters / & | ?: "
                "give another with --option identifier=..."
            )
        return ident

    def generated_datetime(self) -> str:
        given = _option(self.options, "generated-datetime", "generated_datetime")
        if given is None:
            return self.today.replace(microsecond=0).isoformat().replace("+00:00", "Z")
        try:
            _dt.datetime.fromisoformat(given.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"generated-datetime {given!r} is not an ISO date and time such as 2025-01-31T12:00:00Z"
            ) from None
        if "T" not in given:
            raise ValueError(f"generated-datetime {given!r} needs a time: write e.g. {given}T00:00:00Z")
        return given

    # -- the activity ----------------------------------------------------------

    def activity(self, parent: ET.Element) -> ET.Element:
        info = self.info
        org_ref, org_type, org_name, org_stakeholder = self.reporting_org()
        budgets = self._budgets()
        currencies = sorted({currency for (_, currency) in budgets})
        attrib: dict[str, str | None] = {
            "last-updated-datetime": self.generated_datetime(),
            "default-currency": currencies[0] if len(currencies) == 1 else None,
            **ACTIVITY.write(info),
        }
        _extra_attributes(attrib, info.iati, "the plan")
        activity = _sub(parent, "iati-activity", attrib)
        identifier = _sub(activity, "iati-identifier")
        identifier.text = xml_text(self.identifier(org_ref))
        _text_element(
            activity,
            "reporting-org",
            org_name,
            {
                "ref": org_ref,
                "type": org_type,
                _td("stakeholder"): org_stakeholder,
                _td("generated"): "true" if org_stakeholder is None else None,
            },
        )
        title = _nonempty(info.title)
        _text_element(
            activity,
            "title",
            title or _nonempty(info.city) or info.id,
            {_td("generated"): "true" if title is None else None},
        )
        self._descriptions(activity)
        self._participating_orgs(activity, org_ref, org_type, org_name)
        _sub(
            activity,
            "activity-status",
            {
                "code": ACTIVITY_STATUS.get(info.status or "", "1"),
                _td("generated"): "true" if info.status is None else None,
            },
        )
        self._activity_dates(activity)
        self._geography(activity)
        sector = _option(self.options, "sector")
        if sector is not None:
            vocabulary = _option(self.options, "sector-vocabulary", "sector_vocabulary") or "1"
            _sub(activity, "sector", {"vocabulary": vocabulary, "code": sector})
        self._write_budgets(activity, budgets)
        self._results(activity)
        return activity

    def _descriptions(self, activity: ET.Element) -> None:
        plan = self.plan
        context = plan.context
        vision = plan.vision
        written = 0

        def describe(kind: str, field: str, text: str | None, **extra: Any) -> None:
            nonlocal written
            if _nonempty(text) is None:
                return
            assert text is not None
            _text_element(
                activity, "description", text, {"type": kind, **DESCRIPTION.write(None, field=field, **extra)}
            )
            written += 1

        horizon = vision.horizon if vision is not None else None
        for entry in DESCRIPTIONS:
            section, _, key = entry.field.rpartition(".")
            owner = {"context": context, "vision": vision, "": plan}[section]
            if owner is None:
                continue
            value = getattr(owner, key)
            if entry.field == "context.target_groups":
                if value:
                    describe(entry.type, entry.field, ", ".join(value), values=value)
            elif entry.field == "vision.headline":
                describe(entry.type, entry.field, value, horizon=horizon)
            elif entry.field == "vision.text":
                assert vision is not None
                describe(entry.type, entry.field, value, horizon=horizon if not _nonempty(vision.headline) else None)
            else:
                describe(entry.type, entry.field, value)
        if not written:
            _text_element(
                activity,
                "description",
                self.info.title or self.info.city or self.info.id,
                {"type": "1", _td("generated"): "true"},
            )

    def _participating_orgs(self, activity: ET.Element, org_ref: str, org_type: str, org_name: str) -> None:
        if not self.plan.stakeholders:
            _text_element(
                activity,
                "participating-org",
                org_name,
                {"ref": org_ref, "type": org_type, "role": "2", _td("generated"): "true"},
            )
            return
        for stakeholder in self.plan.stakeholders:
            name = _nonempty(stakeholder.name)
            _text_element(
                activity,
                "participating-org",
                name or stakeholder.id,
                {
                    "type": ORG_TYPES.get(stakeholder.type or ""),
                    "role": "4" if stakeholder.id in self.implementing else "2",
                    **STAKEHOLDER.write(stakeholder, unnamed=True if name is None else None),
                },
            )

    def _activity_dates(self, activity: ET.Element) -> None:
        period = self.info.period
        start = period.start if period is not None else None
        end = period.end if period is not None else None
        if start is not None:
            _sub(
                activity,
                "activity-date",
                {"type": "1", "iso-date": _iso(start.first), **ACTIVITY_DATE.write(None, date=start)},
            )
        if end is not None:
            _sub(
                activity,
                "activity-date",
                {"type": "3", "iso-date": _iso(end.last), **ACTIVITY_DATE.write(None, date=end)},
            )
        if start is None and end is None:
            _text_element(
                activity,
                "activity-date",
                "The plan gives no period: this is the earliest date of its actions and testing actions"
                if self.span_source == "dates"
                else "The plan gives no period and no dates: this is the start of the year of export",
                {"type": "1", "iso-date": _iso(self.span[0]), _td("generated"): "true"},
            )

    def _geography(self, activity: ET.Element) -> None:
        country = self.info.country
        if country == "EU":
            _text_element(
                activity,
                "recipient-region",
                "Europe, regional",
                {"code": "89", "vocabulary": "1", **REGION.write(None, country="EU")},
            )
        elif country:
            _sub(activity, "recipient-country", {"code": country})
        city = _nonempty(self.info.city)
        if city is not None:
            location = _sub(activity, "location", {_td("field"): "plan.city"})
            _sub(location, "location-reach", {"code": "1"})
            _text_element(location, "name", city)

    # -- budgets ----------------------------------------------------------------

    def _budgets(self) -> dict[tuple[int, str], tuple[_dt.date, _dt.date, Decimal]]:
        """(year, currency) -> (first day, last day, amount), summed over the actions."""
        out: dict[tuple[int, str], tuple[_dt.date, _dt.date, Decimal]] = {}
        for action in self.plan.actions:
            budgets = [
                r for r in action.resources if r.kind == "budget" and r.amount is not None and _nonempty(r.currency)
            ]
            if not budgets:
                continue
            first, last = self.span
            timescale = action.timescale
            if timescale is not None and (timescale.start is not None or timescale.end is not None):
                first = timescale.start.first if timescale.start is not None else first
                last = timescale.end.last if timescale.end is not None else max(last, first)
            last = max(last, first)
            pieces = _split_by_year(first, last)
            for resource in budgets:
                assert resource.amount is not None and resource.currency is not None
                currency = resource.currency.strip().upper()
                amount = (
                    Decimal(repr(resource.amount)) if isinstance(resource.amount, float) else Decimal(resource.amount)
                )
                for (year, p_first, p_last), share in zip(pieces, _shares(amount, pieces), strict=True):
                    key = (year, currency)
                    if key in out:
                        o_first, o_last, amount = out[key]
                        out[key] = (min(o_first, p_first), max(o_last, p_last), _add(amount, share))
                    else:
                        out[key] = (p_first, p_last, share)
        return out

    def _write_budgets(
        self, activity: ET.Element, budgets: Mapping[tuple[int, str], tuple[_dt.date, _dt.date, Decimal]]
    ) -> None:
        status = "2" if self.info.status == "adopted" else "1"
        for (_, currency), (first, last, amount) in sorted(budgets.items()):
            budget = _sub(activity, "budget", {"type": "1", "status": status})
            _sub(budget, "period-start", {"iso-date": _iso(first)})
            _sub(budget, "period-end", {"iso-date": _iso(last)})
            value = _sub(budget, "value", {"currency": currency, "value-date": _iso(first)})
            value.text = _number(amount)

    # -- results ----------------------------------------------------------------

    def _results(self, activity: ET.Element) -> None:
        plan = self.plan
        objectives = {o.id: o for o in plan.objectives}
        actions = {a.id: a for a in plan.actions}
        groups: defaultdict[tuple[str, str], list[Indicator]] = defaultdict(list)
        for indicator in plan.indicators:
            groups[self._group_of(indicator, objectives, actions)].append(indicator)
        for objective in plan.objectives:
            keys = [(objective.id, t) for t in ("2", "1") if (objective.id, t) in groups]
            if not keys:
                self._placeholder_result(activity, objective)
            for key in keys:
                self._result(activity, key[0], key[1], groups[key], objectives, actions)
        for action in plan.actions:
            for key in ((action.id, "1"), (action.id, "2")):
                if key in groups:
                    self._result(activity, key[0], key[1], groups[key], objectives, actions)
        for key in (("", "2"), ("", "1")):
            if key in groups:
                self._result(activity, key[0], key[1], groups[key], objectives, actions)

    def _group_of(
        self, indicator: Indicator, objectives: Mapping[str, Objective], actions: Mapping[str, Action]
    ) -> tuple[str, str]:
        on_objectives = [m for m in indicator.measures if m in objectives]
        on_actions = [m for m in indicator.measures if m in actions]
        if indicator.kind == "output":
            subject = (on_actions or on_objectives or [""])[0]
        else:
            subject = (on_objectives or on_actions or [""])[0]
        if indicator.kind is not None:
            return subject, RESULT_TYPES[indicator.kind]
        return subject, "1" if subject in actions else "2"

    def _result_element(
        self, activity: ET.Element, attrib: dict[str, str | None], objective: Objective | None
    ) -> tuple[ET.Element, list[ET.Element]]:
        """A ``<result>``; for the first result of ``objective``, with the attributes of its
        ``iati`` pass-through, and its kept elements (document links, references) to add."""
        extras = None
        if objective is not None and objective.id not in self._results_kept:
            self._results_kept.add(objective.id)
            extras = objective.iati
        what = f"objective {objective.id}" if objective is not None else "a result"
        _extra_attributes(attrib, extras, what)
        return _sub(activity, "result", attrib), _extra_elements(extras, what, ("document-link", "reference"))

    def _result_references(self, result: ET.Element, subject: str, kept: list[ET.Element]) -> None:
        """The result's document links, then its references: the one naming ``subject``
        (unless kept as published, with its ``@vocabulary-uri``) and the kept ones."""
        result.extend(e for e in kept if e.tag == "document-link")
        references = [e for e in kept if e.tag == "reference"]
        if subject and not any(r.get("vocabulary") == "99" and r.get("code") == subject for r in references):
            _sub(result, "reference", {"vocabulary": "99", "code": subject})
        result.extend(references)

    def _placeholder_result(self, activity: ET.Element, objective: Objective) -> None:
        result, kept = self._result_element(
            activity, {"type": "2", **RESULT.write(None, id=objective.id, subject_kind="objective")}, objective
        )
        title = _nonempty(objective.title)
        _text_element(result, "title", title or objective.id, {_td("generated"): "true" if title is None else None})
        if _nonempty(objective.description):
            assert objective.description is not None
            _text_element(result, "description", objective.description)
        self._result_references(result, objective.id, kept)
        indicator = _sub(result, "indicator", {"measure": "5", _td("placeholder"): "true"})
        _text_element(indicator, "title", f"Progress towards: {title or objective.id}")
        _text_element(
            indicator,
            "description",
            "The plan sets no indicator for this objective yet; progress is reported qualitatively.",
        )

    def _result(
        self,
        activity: ET.Element,
        subject: str,
        result_type: str,
        indicators: list[Indicator],
        objectives: Mapping[str, Objective],
        actions: Mapping[str, Action],
    ) -> None:
        plan = self.plan
        title: str | None
        description: str | None = None
        if subject in objectives:
            objective = objectives[subject]
            fields = RESULT.write(None, id=subject, subject_kind="objective")
            title, description = _nonempty(objective.title), _nonempty(objective.description)
        elif subject in actions:
            action = actions[subject]
            title = _nonempty(action.title)
            description = _nonempty(action.intended_results) or _nonempty(action.description)
            fields = RESULT.write(
                None,
                id=subject,
                subject_kind="action",
                contributes_to=action.contributes_to,
                description_field="intended_results"
                if _nonempty(action.intended_results)
                else "description"
                if description
                else None,
            )
        else:
            fields = RESULT.write(None, subject_kind="plan")
            title = None
            description = None
        result, kept = self._result_element(activity, {"type": result_type, **fields}, objectives.get(subject))
        fallback = subject or _nonempty(plan.strategic_goal) or _nonempty(self.info.title) or self.info.id
        _text_element(result, "title", title or fallback, {_td("generated"): "true" if title is None else None})
        if description is not None:
            _text_element(result, "description", description)
        self._result_references(result, subject, kept)
        for indicator in indicators:
            self._indicator(result, indicator, subject)

    def _indicator(self, result: ET.Element, indicator: Indicator, subject: str) -> None:
        measurements = [
            m
            for m in (
                indicator.baseline,
                *indicator.baselines,
                indicator.target,
                *indicator.milestones,
                *indicator.actuals,
            )
            if m
        ]
        values = [m.value for m in measurements if m.value is not None]
        unit = _nonempty(indicator.unit)
        if unit is not None and unit.strip().lower() in PERCENT_UNITS:
            measure = "2"
        elif values and not any(_quantified(v) for v in values):
            measure = "5"
        else:
            measure = "1"
        ascending = "1"
        baseline, target = indicator.baseline, indicator.target
        if indicator.direction is not None:
            ascending = "0" if indicator.direction == "decrease" else "1"
        elif (
            baseline is not None
            and target is not None
            and _quantified(baseline.value)
            and _quantified(target.value)
            and float(target.value) < float(baseline.value)  # type: ignore[arg-type]
        ):
            ascending = "0"
        measures = None if " ".join(indicator.measures) == subject else indicator.measures
        attrib: dict[str, str | None] = {
            "measure": measure,
            "ascending": ascending,
            **INDICATOR.write(indicator, measures=measures),
        }
        kept = {a.name: a.value for a in indicator.iati.attributes} if indicator.iati is not None else {}
        if "measure" in kept:
            attrib[_td("kept-measure")] = "true"
        _extra_attributes(attrib, indicator.iati, f"indicator {indicator.id}")
        elem = _sub(result, "indicator", attrib)
        extras = _extra_elements(
            indicator.iati, f"indicator {indicator.id}", ("description", "document-link", "reference")
        )
        name = _nonempty(indicator.name)
        _text_element(elem, "title", name or indicator.id, {_td("generated"): "true" if name is None else None})
        details = []
        if unit is not None:
            details.append(f"Unit: {unit}.")
        if _nonempty(indicator.source):
            details.append(f"Means of verification: {indicator.source}.")
        if indicator.disaggregation:
            details.append(f"Disaggregated by: {', '.join(indicator.disaggregation)}.")
        kept_description = [e for e in extras if e.tag == "description"]
        if kept_description:
            elem.extend(kept_description[:1])
        elif details:
            _text_element(elem, "description", " ".join(details), {_td("generated"): "true"})
        elem.extend(e for e in extras if e.tag == "document-link")
        references = [e for e in extras if e.tag == "reference"]
        if not any(r.get("vocabulary") == "99" and r.get("code") == indicator.id for r in references):
            _sub(elem, "reference", {"vocabulary": "99", "code": indicator.id})
        elem.extend(references)
        if baseline is not None:
            self._baseline(elem, baseline)
        for further in indicator.baselines:
            self._baseline(elem, further, further=True)
        self._periods(elem, indicator)

    def _comment(self, parent: ET.Element, m: Measurement) -> None:
        parts = []
        if m.value is not None and not _quantified(m.value):
            parts.append(str(m.value))
        if _nonempty(m.note):
            parts.append(str(m.note))
        if parts:
            _text_element(parent, "comment", "\n".join(parts))

    def _baseline(self, indicator: ET.Element, m: Measurement, further: bool = False) -> None:
        date = m.date
        year = date.first.year if date is not None else self.span[0].year
        attrib: dict[str, str | None] = {
            "iso-date": _iso(date.first) if date is not None and date.precision == "day" else None,
            "year": str(year),
            "value": _number(m.value) if _quantified(m.value) else None,  # type: ignore[arg-type]
            **BASELINE.write(
                m,
                date=date if date is not None and date.precision != "year" else None,
                undated=True if date is None else None,
                text=_words_of(m),
                further=True if further else None,
            ),
        }
        attrib.update(_period_attributes(m, "td:"))
        _extra_attributes(attrib, m.iati, "a baseline")
        elem = _sub(indicator, "baseline", attrib)
        self._slices(elem, m)
        elem.extend(_extra_elements(m.iati, "a baseline", ("document-link",)))
        self._comment(elem, m)

    def _periods(self, indicator: ET.Element, ind: Indicator) -> None:
        # (element, role, place in its list, measurement)
        entries: list[tuple[str, str | None, int, Measurement]] = []
        entries.extend(("target", "milestone", i, m) for i, m in enumerate(ind.milestones))
        if ind.target is not None:
            entries.append(("target", "target", 0, ind.target))
        entries.extend(("actual", None, i, m) for i, m in enumerate(ind.actuals))
        by_period: dict[tuple[_dt.date, _dt.date], list[tuple[str, str | None, int, Measurement]]] = {}
        for entry in entries:
            m = entry[3]
            if m.period is not None and m.period.start is not None and m.period.end is not None:
                key = (m.period.start.first, m.period.end.last)
            elif m.date is not None:
                key = (m.date.first, m.date.last)
            else:
                key = self.span
            by_period.setdefault(key, []).append(entry)
        for (first, last), items in sorted(by_period.items()):
            period = _sub(indicator, "period")
            _sub(period, "period-start", {"iso-date": _iso(first)})
            _sub(period, "period-end", {"iso-date": _iso(last)})
            # the schema wants every target before the first actual
            for tag in ("target", "actual"):
                for kind, role, index, m in items:
                    if kind == tag:
                        self._value(period, tag, role, index, m)

    def _value(self, period: ET.Element, tag: str, role: str | None, index: int, m: Measurement) -> None:
        attrib = {"value": _number(m.value) if _quantified(m.value) else None}  # type: ignore[arg-type]
        _extra_attributes(attrib, m.iati, f"a {tag}")
        elem = _sub(period, tag, attrib)
        self._slices(elem, m)
        self._comment(elem, m)
        elem.extend(_extra_elements(m.iati, f"a {tag}", ("document-link",)))
        start, end = _period_ends(m)
        _sub(
            elem,
            VALUE.tag,
            VALUE.write(m, role=role, index=index, text=_words_of(m), period_start=start, period_end=end),
        )

    def _slices(self, elem: ET.Element, m: Measurement) -> None:
        """The locations and dimensions of a value, in the schema's order (before the comment)."""
        for ref in m.locations:
            _sub(elem, "location", {"ref": ref})
        for dim in m.dimensions:
            _sub(elem, "dimension", {"name": dim.name, "value": dim.value})


def _qualified(name: str) -> str:
    """An attribute name as ElementTree takes it: ``xml:lang`` in its namespace, others as written."""
    return "{http://www.w3.org/XML/1998/namespace}lang" if name == "xml:lang" else name


def _extra_attributes(attrib: dict[str, str | None], extras: IatiExtras | None, what: str) -> None:
    """The attributes of a pass-through, over those the writer made (they are the published ones)."""
    if extras is None:
        return
    for a in extras.attributes:
        name = _qualified(a.name)
        if not _ATTRIBUTE_NAME.fullmatch(name):
            raise ValueError(
                f"the iati pass-through of {what} names the attribute {a.name!r}, which is not an XML name"
            )
        attrib[name] = a.value


_NAME = r"[A-Za-z_][A-Za-z0-9._-]*"
_ATTRIBUTE_NAME = re.compile(rf"(?:\{{[^{{}}\s]+\}})?{_NAME}")


def _extra_elements(extras: IatiExtras | None, what: str, allowed: tuple[str, ...]) -> list[ET.Element]:
    """The elements of a pass-through, parsed (safely: no DTD, no entities) and checked to be ones ``allowed`` here."""
    if extras is None:
        return []
    from defusedxml import ElementTree as SafeET

    out = []
    for text in extras.elements:
        try:
            elem = SafeET.fromstring(text, forbid_dtd=True)
        except Exception as exc:  # noqa: BLE001 - any refusal of the parser: the text is not XML
            raise ValueError(f"the iati pass-through of {what} holds text that is not XML: {exc}") from None
        if elem.tag not in allowed:
            raise ValueError(
                f"the iati pass-through of {what} holds a <{elem.tag}>, which has no place there "
                f"(it may hold {', '.join('<' + a + '>' for a in allowed)})"
            )
        _clean_texts(elem)
        out.append(elem)
    return out


def _clean_texts(elem: ET.Element) -> None:
    for node in elem.iter():
        if node.text:
            node.text = xml_text(node.text)
        if node.tail:
            node.tail = xml_text(node.tail)
        for key, value in node.attrib.items():
            node.set(key, xml_text(value))


def _period_ends(m: Measurement) -> tuple[PartialDate | None, PartialDate | None]:
    if m.period is None:
        return None, None
    return m.period.start, m.period.end


def _period_attributes(m: Measurement, prefix: str) -> dict[str, str | None]:
    start, end = _period_ends(m)
    return {
        f"{prefix}period-start": start.text if start is not None else None,
        f"{prefix}period-end": end.text if end is not None else None,
    }


def _split_by_year(first: _dt.date, last: _dt.date) -> list[tuple[int, _dt.date, _dt.date]]:
    pieces = []
    for year in range(first.year, last.year + 1):
        pieces.append((year, max(first, _dt.date(year, 1, 1)), min(last, _dt.date(year, 12, 31))))
    return pieces


def _add(a: Decimal, b: Decimal) -> Decimal:
    """``a + b`` exactly, whatever their size (the default context keeps 28 digits)."""
    with localcontext() as ctx:
        ctx.prec = max(28, max(a.adjusted(), b.adjusted()) + 12)
        return a + b


def _shares(amount: Decimal, pieces: Iterable[tuple[int, _dt.date, _dt.date]]) -> list[Decimal]:
    """``amount`` split in proportion to the days of each piece, to the cent, summing exactly."""
    days = [(p_last - p_first).days + 1 for _, p_first, p_last in pieces]
    total = sum(days)
    cent = Decimal("0.01")
    with localcontext() as ctx:  # enough digits for any amount to the cent (2e26 needs 29)
        ctx.prec = max(28, amount.adjusted() + 12)
        shares = [(amount * d / total).quantize(cent, rounding=ROUND_HALF_EVEN) for d in days[:-1]]
        shares.append(amount - sum(shares, Decimal(0)))  # the context's precision holds the sum
    return shares


def write_iati(plan: Plan, options: Mapping[str, str] | None = None) -> str:
    """The plan as IATI 2.03 activity XML (text, UTF-8 declared); ``options`` as the exporter takes them."""
    writer = _Writer(plan, options or {})
    root = ET.Element(
        "iati-activities",
        {"version": IATI_VERSION, "generated-datetime": writer.generated_datetime(), "xmlns:td": TD_NAMESPACE},
    )
    writer.activity(root)
    ET.indent(root, space="  ")
    # ElementTree writes a carriage return in text as it is, which a parser reads as a
    # line end: as a character reference it survives (attributes have it escaped already)
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
