"""Partial dates: a year, a quarter, a month or a day, each standing for an interval.

Planners know dates at different precisions ("the festival runs in 2025-Q3", "the
action ends in 2030"). A :class:`PartialDate` keeps what was written and knows the
first and last day it covers, so comparisons use intervals: ``2025`` ends on
2025-12-31, and ``2025-09`` starts on 2025-09-01.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import Literal

import attrs

__all__ = ["PartialDate", "Precision"]

Precision = Literal["year", "quarter", "month", "day"]

_PATTERN = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-(?:Q(?P<quarter>[1-4])|(?P<month>\d{2})(?:-(?P<day>\d{2}))?))?$",
    re.ASCII,
)


_CACHE: dict[str | int, PartialDate] = {}


@attrs.frozen(order=False, repr=False)
class PartialDate:
    """A date known to the year, quarter, month or day.

    ``text`` is the canonical ISO-like spelling the user wrote (``2025``,
    ``2025-Q3``, ``2025-09``, ``2025-09-06``); ``first`` and ``last`` are the
    first and last calendar days of the interval it stands for.
    """

    text: str
    precision: Precision = attrs.field(eq=False, hash=False)
    first: _dt.date = attrs.field(eq=False, hash=False)
    last: _dt.date = attrs.field(eq=False, hash=False)

    @classmethod
    def parse(cls, value: str | int) -> PartialDate:
        """Read ``2025``, ``2025-Q3``, ``2025-09`` or ``2025-09-06`` (a year may be an int).

        Raises :class:`ValueError` with a message a planner can act on. Dates repeat
        across a plan, so parsed dates are cached (they are immutable).
        """
        if cls is PartialDate and (type(value) is str or type(value) is int):
            cached = _CACHE.get(value)
            if cached is None:
                cached = cls._parse(value)
                if len(_CACHE) < 65536:
                    _CACHE[value] = cached
            return cached
        return cls._parse(value)

    @classmethod
    def _parse(cls, value: str | int) -> PartialDate:
        if isinstance(value, bool):
            raise ValueError(f"expected a date such as 2025, 2025-Q3, 2025-09 or 2025-09-06, got {value!r}")
        if isinstance(value, int):
            if not 1000 <= value <= 9999:
                raise ValueError(f"a year needs four digits, got {value}")
            text = str(value)
        elif isinstance(value, str):
            text = value
        elif isinstance(value, _dt.date):
            text = value.isoformat()
        else:
            raise ValueError(
                f"expected a date such as 2025, 2025-Q3, 2025-09 or 2025-09-06, got {type(value).__name__}"
            )
        match = _PATTERN.fullmatch(text)
        if match is None:
            hint = ""
            if re.match(r"^\d{4}-q[1-4]$", text):
                hint = f" (did you mean {text.upper()}?)"
            raise ValueError(f"{text!r} is not a date: write 2025, 2025-Q3, 2025-09 or 2025-09-06{hint}")
        year = int(match["year"])
        if year < 1000:
            raise ValueError(f"{text!r} is not a date: the year needs four digits")
        if match["quarter"]:
            q = int(match["quarter"])
            first = _dt.date(year, 3 * q - 2, 1)
            end_month = 3 * q
            last = _dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
            return cls(text, "quarter", first, last)
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r} is not a date: month {month} does not exist")
            if match["day"]:
                day = int(match["day"])
                try:
                    d = _dt.date(year, month, day)
                except ValueError:
                    raise ValueError(f"{text!r} is not a date: day {day} does not exist in that month") from None
                return cls(text, "day", d, d)
            first = _dt.date(year, month, 1)
            last = _dt.date(year, month, calendar.monthrange(year, month)[1])
            return cls(text, "month", first, last)
        return cls(text, "year", _dt.date(year, 1, 1), _dt.date(year, 12, 31))

    def to_raw(self) -> str | int:
        """The value written back to a plan file: a bare year stays a number."""
        return int(self.text) if self.precision == "year" else self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    def ends_before(self, other: PartialDate) -> bool:
        """True when this interval is over before ``other`` begins."""
        return self.last < other.first

    def ends_after_start_of(self, other: PartialDate) -> bool:
        """True when this interval is still running after ``other`` has begun."""
        return self.last > other.first
