"""Monitoring: an indicator's ``actuals`` against its baseline, milestones and target.

Pure functions, no input or output. The numbers follow ``docs/monitoring.md``:

- Each date stands for the **last day** of the interval it names: a target of
  ``2027`` is due on 2027-12-31, a milestone of ``2026-Q2`` on 2026-06-30, an actual
  of ``2025-09`` was measured by 2025-09-30, and ``as_of=2026`` judges the
  indicator on 2026-12-31.
- The **direction** is the indicator's ``direction`` when written, else the way from
  the baseline to the target (``None`` when the two are not numbers or are equal).
- The **current value** at a date is, for a cumulative indicator, the sum of the
  actuals dated on or before it; for any other indicator (the default), the latest
  actual dated on or before it (file order breaks ties). Actuals without a date or
  whose value is words are left out (and counted in ``ignored_actuals``).
- **Slices.** An actual with ``dimensions`` or ``locations`` is one slice of a
  disaggregated value (IATI publishes values so: girls, boys; one site, another).
  At a date with a total (an actual without dimensions and locations), the slices
  are left out of the current value: the total is the value. At a date with slices
  only, the slices of one breakdown (the first set of dimension names, with or
  without locations, in file order) are summed when the values add up; a share, a
  rate or an average (:func:`adds_up`) does not, and its slices are left out (and
  counted in ``ignored_actuals``). :func:`slices` gives each slice's own series.
- **Progress** is ``(current - baseline) / (target - baseline) * 100``. The sign of
  the denominator carries the direction, so a rate falling from 12 % towards 8 % is
  positive progress: at 10 % it is 50 %.
- The **expected value** at a date is interpolated linearly between the baseline,
  the milestones (numeric, dated strictly between the baseline and the target) and
  the target; before the baseline it is the baseline, after the target the target.
- The expected value is **rounded to the indicator's unit** (:func:`unit_decimals`):
  whole numbers for a unit that counts things (persons, organisations), the plan's
  own precision (at least one decimal) for a measure (percent, rate, money, hours).
- The **status** is ``not-measurable`` (baseline or target missing or words, target
  equal to the baseline, a direction that contradicts them, or no dates to place
  them on a time line), ``no-data`` (no actual on or before a date when progress was
  expected), ``not-started`` (no actual, and no progress expected yet),
  ``achieved`` (the target reached in the right direction), ``on-track`` (at or
  beyond the expected value, less a tolerance of ``TOLERANCE`` of the distance
  from baseline to target) or ``behind``.

Arithmetic is exact (:class:`fractions.Fraction`) and every number that comes out is
finite: no division by zero, no NaN, no infinity, whatever the plan holds.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import itertools
import math
import re
import sys
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from .dates import PartialDate
from .model import Indicator, Measurement, Plan, Value

__all__ = [
    "MEASURE_WORDS",
    "PERIOD_STATES",
    "STATUSES",
    "TOLERANCE",
    "IndicatorStatus",
    "Number",
    "PeriodStatus",
    "adds_up",
    "counts_things",
    "current_value",
    "direction_of",
    "expected_value",
    "periods",
    "slices",
    "track",
    "tracking_table",
    "unit_decimals",
]

#: A number that comes out of monitoring: an ``int`` when exact and small, else a finite ``float``.
Number = int | float

#: The statuses of an indicator, from best to worst, then the two without a judgement.
STATUSES: tuple[str, ...] = ("achieved", "on-track", "behind", "no-data", "not-started", "not-measurable")

#: The states of a milestone or target row (:class:`PeriodStatus`).
PERIOD_STATES: tuple[str, ...] = ("met", "missed", "pending", "no-data", "not-measurable")

#: How far short of the expected value an indicator may be and still be on track, as a
#: share of the distance from baseline to target (0.02: two percentage points of progress).
TOLERANCE = 0.02

_MAX_FLOAT = sys.float_info.max
_EXACT_INT = 2**53


# ---------------------------------------------------------------------------
# Numbers


def _fraction(value: Value | None) -> Fraction | None:
    """A measured value as an exact fraction, or None for words, booleans, NaN and infinities."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(value) if math.isfinite(value) else None
    return None


def _float(value: Fraction) -> float:
    """A finite float: the nearest one, or the largest one of the same sign."""
    try:
        out = float(value)
    except OverflowError:
        out = _MAX_FLOAT if value > 0 else -_MAX_FLOAT
    return out + 0.0  # no negative zero


def _number(value: Fraction) -> Number:
    """An ``int`` when the fraction is a whole number a float would hold exactly, else a finite float."""
    if value.denominator == 1 and abs(value.numerator) <= _EXACT_INT:
        return value.numerator
    return _float(value)


def _percent(part: Fraction, whole: Fraction) -> float | None:
    return None if whole == 0 else _float(part / whole * 100)


def _day(date: PartialDate) -> int:
    return date.last.toordinal()


def _as_partial(as_of: PartialDate | _dt.date | None) -> PartialDate | None:
    if as_of is None or isinstance(as_of, PartialDate):
        return as_of
    if isinstance(as_of, _dt.datetime):
        as_of = as_of.date()
    return PartialDate.parse(as_of.isoformat())


# ---------------------------------------------------------------------------
# Rounding to the unit

_MEASURE_TEXT = (
    "% percent percentage percentages pct pp per cent share shares rate rates ratio ratios index score scores "
    "points point average mean median level levels eur euro euros usd gbp chf pln ron huf czk dkk sek nok "
    "money € $ £ hour hours h hrs minute minutes day days week weeks month months year years fte ftes "
    "km m m2 m² m3 ha sqm kwh mwh gwh kw mw t tonnes tonne tons ton kg g co2 co2e degrees ° °c litres liters l "
    "mbps gbps"
)
#: Words of a unit that measures rather than counts: its values may have decimals.
MEASURE_WORDS: frozenset[str] = frozenset(_MEASURE_TEXT.split())

_UNIT_WORD = re.compile(r"[^\W_]+|[%€$£²°]", re.UNICODE)
_MAX_DECIMALS = 6


def _decimals(value: Value | None) -> int:
    """How many decimals a number as written has (``12`` 0, ``9.75`` 2, ``1e-3`` 3), at most 6."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if isinstance(value, int) or not math.isfinite(value) or value.is_integer():
        return 0
    exponent = decimal.Decimal(repr(value)).as_tuple().exponent
    return min(_MAX_DECIMALS, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def counts_things(unit: str | None) -> bool:
    """True when ``unit`` names things counted one by one (``persons``, ``organisations``,
    ``start-ups``): any unit none of whose words is a measure (:data:`MEASURE_WORDS`)."""
    if not unit or not unit.strip():
        return False
    words = {w.lower() for w in _UNIT_WORD.findall(unit)}
    return bool(words) and not (words & MEASURE_WORDS)


#: Words of a unit whose values do not add up over slices: a share, a rate, an average.
NOT_ADDING_WORDS: frozenset[str] = frozenset(
    {
        "%",
        "percent",
        "percentage",
        "percentages",
        "pct",
        "pp",
        "per",
        "cent",
        "share",
        "shares",
        "rate",
        "rates",
        "ratio",
        "ratios",
        "index",
        "score",
        "scores",
        "points",
        "point",
        "average",
        "mean",
        "median",
        "level",
        "levels",
    }
)


def adds_up(unit: str | None) -> bool:
    """True when slices of a value in ``unit`` add up to the whole (persons, euros, hours);
    False for a share, a rate or an average (:data:`NOT_ADDING_WORDS`)."""
    if not unit or not unit.strip():
        return True
    words = {w.lower() for w in _UNIT_WORD.findall(unit)}
    return not (words & NOT_ADDING_WORDS)


def unit_decimals(indicator: Indicator) -> int:
    """The decimals an expected value of ``indicator`` is rounded to.

    The plan's own precision: the most decimals written in its baseline, milestones and
    target. A unit that counts things (:func:`counts_things`) needs no more, so whole
    counts give whole numbers ("8 organisations", never "8.02"); a measure (percent,
    rate, money, hours...) or no unit keeps at least one decimal. At most 6.
    """
    written = [m.value for m in (indicator.baseline, indicator.target, *indicator.milestones) if m is not None]
    own = max((_decimals(v) for v in written), default=0)
    return own if counts_things(indicator.unit) else max(own, 1)


def _to_unit(indicator: Indicator, value: Fraction) -> Fraction:
    """``value`` rounded half away from zero to :func:`unit_decimals` decimals."""
    scale = 10 ** unit_decimals(indicator)
    scaled = abs(value) * scale
    whole = math.floor(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, scale)


# ---------------------------------------------------------------------------
# Results


@attrs.frozen
class PeriodStatus:
    """One milestone or the target of an indicator, with what was measured by its date.

    ``value`` is what the plan says, as written (words stay words); ``expected`` is it as
    a number. ``actual`` is the current value (see :func:`current_value`) at the row's
    date, or at the as-of date when that comes first, with ``actual_date`` the date of
    the (latest) actual it comes from. ``progress`` is how far ``actual`` has gone from
    the baseline towards ``expected``, in percent. ``state`` is one of
    :data:`PERIOD_STATES`: ``met`` (reached in the right direction), ``missed`` (due
    and not reached), ``pending`` (not due at the as-of date and not reached yet),
    ``no-data`` (due, but no actual by then) or ``not-measurable``; ``met`` is True,
    False, or None when not yet known.
    """

    label: str
    kind: str
    date: PartialDate | None
    value: Value | None
    expected: Number | None
    actual: Number | None
    actual_date: PartialDate | None
    progress: float | None
    state: str
    met: bool | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record (see ``docs/monitoring.md``)."""
        return {
            "label": self.label,
            "kind": self.kind,
            "date": _date_text(self.date),
            "value": _json_value(self.value),
            "expected": self.expected,
            "actual": self.actual,
            "actual_date": _date_text(self.actual_date),
            "progress": _round(self.progress),
            "state": self.state,
            "met": self.met,
            "note": self.note,
        }


@attrs.frozen
class IndicatorStatus:
    """Where an indicator stands at a date: one row of the performance tracking table.

    ``as_of`` is the date judged at: the one asked for, or (when none was) the date
    of the indicator's latest actual. ``direction`` is ``increase``, ``decrease`` or
    None, ``direction_inferred`` True when it was read from baseline and target rather
    than written. ``current`` and ``current_date`` are the achieved value and the date
    of the (latest) actual it comes from. ``expected`` is the value the time line
    expects at ``as_of``; ``progress`` and ``expected_progress`` are ``current`` and
    ``expected`` as percent of the way from baseline to target. ``status`` is one of
    :data:`STATUSES`, ``note`` says why in words. ``periods`` has one row per
    milestone and one for the target. ``ignored_actuals`` counts actuals left out
    because they have no date or their value is not a number.
    """

    id: str
    name: str | None
    kind: str | None
    unit: str | None
    direction: str | None
    direction_inferred: bool
    cumulative: bool
    baseline: Measurement | None
    target: Measurement | None
    as_of: PartialDate | None
    current: Number | None
    current_date: PartialDate | None
    expected: Number | None
    progress: float | None
    expected_progress: float | None
    status: str
    note: str
    periods: tuple[PeriodStatus, ...] = ()
    ignored_actuals: int = 0

    @property
    def progress_bar(self) -> float:
        """``progress`` clamped to 0..100, for drawing a bar (0 when there is none)."""
        if self.progress is None:
            return 0.0
        return max(0.0, min(100.0, self.progress))

    def to_json(self, *, with_periods: bool = True) -> dict[str, Any]:
        """A JSON-ready record (see ``docs/monitoring.md``); ``periods`` only when asked."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "unit": self.unit,
            "direction": self.direction,
            "direction_inferred": self.direction_inferred,
            "cumulative": self.cumulative,
            "baseline": _json_measurement(self.baseline),
            "target": _json_measurement(self.target),
            "as_of": _date_text(self.as_of),
            "current": self.current,
            "current_date": _date_text(self.current_date),
            "expected": self.expected,
            "progress": _round(self.progress),
            "expected_progress": _round(self.expected_progress),
            "status": self.status,
            "note": self.note,
            "ignored_actuals": self.ignored_actuals,
        }
        if with_periods:
            out["periods"] = [p.to_json() for p in self.periods]
        return out


def _date_text(date: PartialDate | None) -> str | None:
    return None if date is None else date.text


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2) + 0.0


def _json_value(value: Value | None) -> Value | None:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _json_measurement(m: Measurement | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"value": _json_value(m.value), "date": _date_text(m.date)}


# ---------------------------------------------------------------------------
# The pieces


@attrs.frozen
class _Actual:
    value: Fraction
    date: PartialDate
    order: int


def _breakdown(m: Measurement) -> tuple[tuple[str, ...], bool]:
    return tuple(sorted(d.name for d in m.dimensions)), bool(m.locations)


def _actuals(indicator: Indicator) -> tuple[list[_Actual], int]:
    """Numeric, dated actuals in time order (file order breaks ties), and how many were left out.

    Slices (actuals with dimensions or locations) are folded into one value per date:
    left out where the date has a total, else summed over one breakdown when the unit
    adds up, else left out (see the module's notes)."""
    usable: list[_Actual] = []
    ignored = 0
    sliced: dict[int, list[tuple[int, Measurement, Fraction]]] = {}
    totals: set[int] = set()
    for order, m in enumerate(indicator.actuals):
        value = _fraction(m.value)
        if value is None or m.date is None:
            ignored += 1
        elif m.sliced:
            sliced.setdefault(_day(m.date), []).append((order, m, value))
        else:
            usable.append(_Actual(value, m.date, order))
            totals.add(_day(m.date))
    adding = adds_up(indicator.unit)
    for day, items in sliced.items():
        if day in totals:
            continue  # the total of that date is the value; its slices break it down
        if not adding:
            ignored += len(items)
            continue
        first = _breakdown(items[0][1])
        same = [item for item in items if _breakdown(item[1]) == first]
        date = same[0][1].date
        assert date is not None
        usable.append(_Actual(sum((v for _, _, v in same), Fraction(0)), date, same[0][0]))
    usable.sort(key=lambda a: (_day(a.date), a.order))
    return usable, ignored


def slices(indicator: Indicator) -> dict[str, list[tuple[PartialDate, Number]]]:
    """Each slice of the actuals with its own series, in time order: ``{"sex=female": [(date, value), ...]}``.

    A slice is named by its dimensions (``name=value``, joined by ``, ``) and its
    locations (``@ref``); numeric, dated actuals only; no entry for the totals."""
    out: dict[str, list[tuple[PartialDate, Number]]] = {}
    for m in indicator.actuals:
        value = _fraction(m.value)
        if not m.sliced or value is None or m.date is None:
            continue
        label = ", ".join([f"{d.name}={d.value}" for d in m.dimensions] + [f"@{ref}" for ref in m.locations])
        out.setdefault(label, []).append((m.date, _number(value)))
    for series in out.values():
        series.sort(key=lambda item: _day(item[0]))
    return out


def _value_at(actuals: Iterable[_Actual], day: int | None, cumulative: bool) -> tuple[Fraction, PartialDate] | None:
    """The achieved value on ``day`` (None: on any day) with the date of the latest actual counted."""
    counted = [a for a in actuals if day is None or _day(a.date) <= day]
    if not counted:
        return None
    latest = counted[-1]
    if cumulative:
        return sum((a.value for a in counted), Fraction(0)), latest.date
    return latest.value, latest.date


def direction_of(indicator: Indicator) -> tuple[str | None, bool]:
    """The direction of travel and whether it was inferred: the written ``direction``, else
    ``increase`` or ``decrease`` from baseline to target, else ``(None, True)``."""
    if indicator.direction is not None:
        return indicator.direction, False
    base = _fraction(indicator.baseline.value) if indicator.baseline is not None else None
    goal = _fraction(indicator.target.value) if indicator.target is not None else None
    if base is None or goal is None or base == goal:
        return None, True
    return ("increase" if goal > base else "decrease"), True


def current_value(
    indicator: Indicator, as_of: PartialDate | _dt.date | None = None
) -> tuple[Number | None, PartialDate | None]:
    """The achieved value on ``as_of`` (None: with every actual) and the date of the latest actual counted.

    Cumulative: the sum of the actuals dated on or before ``as_of``; otherwise the latest
    of them. ``(None, None)`` when there is none.
    """
    when = _as_partial(as_of)
    actuals, _ = _actuals(indicator)
    found = _value_at(actuals, None if when is None else _day(when), bool(indicator.cumulative))
    if found is None:
        return None, None
    return _number(found[0]), found[1]


def _timeline(indicator: Indicator) -> list[tuple[int, Fraction]] | None:
    """(day, value) points from baseline through milestones to target, or None without dates."""
    b, t = indicator.baseline, indicator.target
    if b is None or t is None or b.date is None or t.date is None:
        return None
    base, goal = _fraction(b.value), _fraction(t.value)
    if base is None or goal is None:
        return None
    start, end = _day(b.date), _day(t.date)
    if end < start:
        return None
    points = [(start, base)]
    middle = []
    for order, m in enumerate(indicator.milestones):
        value = _fraction(m.value)
        if value is not None and m.date is not None and start < _day(m.date) < end:
            middle.append((_day(m.date), order, value))
    middle.sort()
    for day, _, value in middle:
        if day > points[-1][0]:
            points.append((day, value))
    points.append((end, goal))  # on the baseline's day too: the baseline before it, the target from it
    return points


def _interpolate(points: list[tuple[int, Fraction]], day: int) -> Fraction:
    if day < points[0][0]:
        return points[0][1]
    if len(points) == 1 or day >= points[-1][0]:
        return points[-1][1]
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            return v0 + (v1 - v0) * Fraction(day - d0, d1 - d0)
    return points[-1][1]  # pragma: no cover - the days are increasing


def expected_value(indicator: Indicator, when: PartialDate | _dt.date) -> Number | None:
    """The value the time line expects on ``when`` (its last day), or None when it cannot say.

    Linear between the baseline, the numeric milestones dated between baseline and
    target, and the target; the baseline before it, the target after it; rounded to the
    indicator's unit (:func:`unit_decimals`).
    """
    day = _as_partial(when)
    points = _timeline(indicator)
    if points is None or day is None:
        return None
    return _number(_to_unit(indicator, _interpolate(points, _day(day))))


# ---------------------------------------------------------------------------
# Judging


def _show(value: Fraction) -> str:
    number = _number(value)
    return f"{number:g}" if isinstance(number, float) else str(number)


@attrs.frozen
class _Scale:
    """A measurable indicator's baseline and target as numbers, and which way is progress."""

    base: Fraction
    goal: Fraction

    @property
    def increase(self) -> bool:
        return self.goal > self.base

    def reached(self, value: Fraction, goal: Fraction | None = None) -> bool:
        """True when ``value`` is at or beyond ``goal`` (default: the target) in the direction of travel."""
        goal = self.goal if goal is None else goal
        return value >= goal if self.increase else value <= goal

    def percent(self, value: Fraction, goal: Fraction | None = None) -> float | None:
        """How far ``value`` has gone from the baseline towards ``goal`` (default: the target), in percent."""
        goal = self.goal if goal is None else goal
        return _percent(value - self.base, goal - self.base)


def _scale(indicator: Indicator, direction: str | None) -> _Scale | str:
    """The indicator's scale, or why it cannot be measured."""
    numbers: list[Fraction] = []
    for label, m in (("baseline", indicator.baseline), ("target", indicator.target)):
        if m is None or m.value is None:
            return f"no {label} value"
        value = _fraction(m.value)
        if value is None:
            return f"the {label} is not a number: {str(m.value)[:60]!r}"
        numbers.append(value)
    base, goal = numbers
    if goal == base:
        return f"the target equals the baseline ({_show(base)}): no distance to measure progress on"
    if direction is not None and (direction == "increase") != (goal > base):
        where = "above" if goal > base else "below"
        return f"the direction is {direction} but the target ({_show(goal)}) is {where} the baseline ({_show(base)})"
    return _Scale(base, goal)


def _row(label: str, kind: str, m: Measurement, state: str, note: str) -> PeriodStatus:
    """A row without an actual to show."""
    goal = _fraction(m.value)
    expected = None if goal is None else _number(goal)
    return PeriodStatus(label, kind, m.date, m.value, expected, None, None, None, state, None, note)


def periods(indicator: Indicator, as_of: PartialDate | _dt.date | None = None) -> list[PeriodStatus]:
    """One row per milestone (in date order, undated last) and one for the target.

    Actuals dated after ``as_of`` are not counted; with ``as_of=None``, every actual
    counts and rows due after the latest actual are ``pending`` unless already met.
    """
    when = _as_partial(as_of)
    actuals, _ = _actuals(indicator)
    if when is None and actuals:
        when = actuals[-1].date
    scale = _scale(indicator, direction_of(indicator)[0])
    cumulative = bool(indicator.cumulative)

    numbered = sorted(
        enumerate(indicator.milestones, start=1),
        key=lambda p: (p[1].date is None, _day(p[1].date) if p[1].date is not None else 0, p[0]),
    )
    rows: list[tuple[str, str, Measurement]] = [(f"milestone {n}", "milestone", m) for n, m in numbered]
    if indicator.target is not None:
        rows.append(("target", "target", indicator.target))

    out: list[PeriodStatus] = []
    for label, kind, m in rows:
        goal = _fraction(m.value)
        if isinstance(scale, str):
            out.append(_row(label, kind, m, "not-measurable", scale))
            continue
        if goal is None:
            why = "no value" if m.value is None else f"the value is not a number: {str(m.value)[:60]!r}"
            out.append(_row(label, kind, m, "not-measurable", why))
            continue
        if m.date is None:
            out.append(_row(label, kind, m, "not-measurable", "no date"))
            continue
        due = _day(m.date)
        not_due = when is None or _day(when) < due
        found = _value_at(actuals, due if when is None else min(due, _day(when)), cumulative)
        if found is None:
            state, note = ("pending", "not due yet") if not_due else ("no-data", "no actual by then")
            out.append(_row(label, kind, m, state, note))
            continue
        value, date = found
        met: bool | None
        if scale.reached(value, goal):
            state, met, note = "met", True, ""
        elif not_due:
            state, met, note = "pending", None, "not due yet"
        else:
            state, met, note = "missed", False, ""
        out.append(
            PeriodStatus(
                label=label,
                kind=kind,
                date=m.date,
                value=m.value,
                expected=_number(goal),
                actual=_number(value),
                actual_date=date,
                progress=scale.percent(value, goal),
                state=state,
                met=met,
                note=note,
            )
        )
    return out


def _judge(
    indicator: Indicator,
    scale: _Scale | str,
    current: Fraction | None,
    expected: Fraction | None,
    when: PartialDate | None,
    tolerance: float,
) -> tuple[str, str]:
    """The status and why."""
    if isinstance(scale, str):
        return "not-measurable", scale
    if current is None:
        return _without_actual(scale, expected, when)
    if scale.reached(current):
        return "achieved", f"the target {_show(scale.goal)} is reached"
    if expected is None or when is None:
        missing = [k for k, m in (("baseline", indicator.baseline), ("target", indicator.target)) if m and not m.date]
        if missing:
            return "not-measurable", f"no date on the {' and '.join(missing)}: on track cannot be judged"
        return "not-measurable", "the target is due before the baseline: on track cannot be judged"
    slack = abs(scale.goal - scale.base) * Fraction(tolerance) if math.isfinite(tolerance) and tolerance > 0 else 0
    gap = current - expected if scale.increase else expected - current
    if gap >= -slack:
        return "on-track", f"at or beyond the {_show(expected)} expected by {when.text}"
    return "behind", f"short of the {_show(expected)} expected by {when.text}"


def _without_actual(scale: _Scale, expected: Fraction | None, when: PartialDate | None) -> tuple[str, str]:
    """The status of a measurable indicator with no actual by ``when``: ``no-data`` when
    progress was expected by then (or the time line cannot say), ``not-started`` when not."""
    if when is None:
        return "no-data", "no actual yet"
    if expected is None:
        return "no-data", f"no actual on or before {when.text}"
    moved = expected > scale.base if scale.increase else expected < scale.base
    if not moved:
        return "not-started", f"no actual on or before {when.text}; no progress expected yet"
    return "no-data", f"no actual on or before {when.text}, when {_show(expected)} was expected"


def track(
    indicator: Indicator, as_of: PartialDate | _dt.date | None = None, *, tolerance: float = TOLERANCE
) -> IndicatorStatus:
    """Where ``indicator`` stands on ``as_of`` (its last day); None: on the date of its latest actual.

    ``tolerance`` is how far short of the expected value still counts as on track, as a
    share of the distance from baseline to target.
    """
    when = _as_partial(as_of)
    actuals, ignored = _actuals(indicator)
    if when is None and actuals:
        when = actuals[-1].date
    direction, inferred = direction_of(indicator)
    found = _value_at(actuals, None if when is None else _day(when), bool(indicator.cumulative))
    current, current_date = (None, None) if found is None else found

    scale = _scale(indicator, direction)
    points = None if isinstance(scale, str) else _timeline(indicator)
    expected = None if points is None or when is None else _to_unit(indicator, _interpolate(points, _day(when)))
    progress = expected_progress = None
    if not isinstance(scale, str):
        progress = None if current is None else scale.percent(current)
        expected_progress = None if expected is None else scale.percent(expected)
    status, note = _judge(indicator, scale, current, expected, when, tolerance)
    if ignored:
        note += f"; {ignored} actual(s) without a date or a number left out"

    return IndicatorStatus(
        id=indicator.id,
        name=indicator.name,
        kind=indicator.kind,
        unit=indicator.unit,
        direction=direction,
        direction_inferred=inferred and direction is not None,
        cumulative=bool(indicator.cumulative),
        baseline=indicator.baseline,
        target=indicator.target,
        as_of=when,
        current=None if current is None else _number(current),
        current_date=current_date,
        expected=None if expected is None else _number(expected),
        progress=progress,
        expected_progress=expected_progress,
        status=status,
        note=note,
        periods=tuple(periods(indicator, when)),
        ignored_actuals=ignored,
    )


def tracking_table(
    plan: Plan, as_of: PartialDate | _dt.date | None = None, *, tolerance: float = TOLERANCE
) -> list[IndicatorStatus]:
    """:func:`track` for every indicator of ``plan``, in file order: the performance tracking table."""
    return [track(indicator, as_of, tolerance=tolerance) for indicator in plan.indicators]
