"""``techdiversity monitor``: the indicator performance tracking table of a plan.

Text (a table), JSON (a list of records, see ``docs/monitoring.md``) or CSV (one row
per indicator, or with ``--periods`` one row per milestone and target). The numbers
come from :mod:`techdiversity.monitoring`; this module only lays them out.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import click

from ..dates import PartialDate
from ..model import Measurement, Value
from ..monitoring import STATUSES, IndicatorStatus, tracking_table
from .common import format_option, load_plan, print_diagnostics

__all__ = ["COMMANDS", "csv_cell", "monitor"]

#: The columns of ``monitor --format csv``, one row per indicator.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "unit",
    "direction",
    "cumulative",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "as_of",
    "current",
    "current_date",
    "expected",
    "progress",
    "expected_progress",
    "status",
    "note",
)

#: The columns of ``monitor --format csv --periods``, one row per milestone or target.
CSV_PERIOD_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "period",
    "kind",
    "date",
    "value",
    "expected",
    "actual",
    "actual_date",
    "progress",
    "state",
    "met",
    "note",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def csv_cell(value: object) -> str | int | float:
    """A CSV cell: numbers as numbers; text that a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _clean(value: object) -> str:
    """User text for a terminal table: one line, no control characters."""
    if value is None:
        return ""
    return _CONTROL.sub(" ", str(value)).strip()


def _num(value: Value | None) -> str:
    """A number for reading: whole numbers bare, others to two decimals, huge ones in e-notation."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if value != value or abs(value) >= 1e15:  # NaN cannot come from monitoring; be safe anyway
        return f"{value:.4g}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pct(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 1e6:
        return f"{value:.3g}%"
    return f"{value:.1f}%"


def _at(value: Value | None, date: PartialDate | None) -> str:
    text = _num(value)
    if date is not None:
        text = f"{text} ({date.text})" if text else f"({date.text})"
    return text


def _measure(m: Measurement | None) -> str:
    return "" if m is None else _at(m.value, m.date)


def _arrow(s: IndicatorStatus) -> str:
    if s.direction is None:
        return ""
    return ("up" if s.direction == "increase" else "down") + ("?" if s.direction_inferred else "")


def _text(rows: Sequence[IndicatorStatus], with_periods: bool) -> str:
    from tabulate import tabulate

    headers = ["id", "indicator", "unit", "dir", "baseline", "target", "as of", "current", "progress", "expected"]
    headers.append("status")
    body = [
        [
            _clean(s.id),
            _clean(s.name),
            _clean(s.unit),
            _arrow(s),
            _measure(s.baseline),
            _measure(s.target),
            s.as_of.text if s.as_of is not None else "",
            _at(s.current, s.current_date),
            _pct(s.progress),
            _num(s.expected) + (f" ({_pct(s.expected_progress)})" if s.expected_progress is not None else ""),
            s.status,
        ]
        for s in rows
    ]
    widths: list[int | None] = [16, 40, 14, None, None, None, None, None, None, None, None]
    out = tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True, maxcolwidths=widths)
    if with_periods:
        prow = [
            [
                _clean(s.id),
                p.label,
                _clean(p.date.text if p.date else ""),
                _num(p.value),
                _at(p.actual, p.actual_date),
                _pct(p.progress),
                p.state,
                _clean(p.note),
            ]
            for s in rows
            for p in s.periods
        ]
        pheaders = ["id", "period", "due", "expected", "actual", "progress", "state", "note"]
        pwidths: list[int | None] = [16, None, None, 16, None, None, None, 40]
        ptable = tabulate(prow, headers=pheaders, tablefmt="simple", disable_numparse=True, maxcolwidths=pwidths)
        out += "\n\n" + ptable
    return out + "\n"


def _csv(rows: Sequence[IndicatorStatus], with_periods: bool) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF ends a row; a CR or LF in a cell is quoted
    if with_periods:
        writer.writerow(CSV_PERIOD_COLUMNS)
        for s in rows:
            for p in s.periods:
                rec = p.to_json()
                writer.writerow(
                    csv_cell(v)
                    for v in (
                        s.id,
                        s.name,
                        rec["label"],
                        rec["kind"],
                        rec["date"],
                        rec["value"],
                        rec["expected"],
                        rec["actual"],
                        rec["actual_date"],
                        rec["progress"],
                        rec["state"],
                        rec["met"],
                        rec["note"],
                    )
                )
        return buffer.getvalue()
    writer.writerow(CSV_COLUMNS)
    for s in rows:
        rec = s.to_json(with_periods=False)
        base = rec["baseline"] or {}
        goal = rec["target"] or {}
        writer.writerow(
            csv_cell(v)
            for v in (
                rec["id"],
                rec["name"],
                rec["kind"],
                rec["unit"],
                rec["direction"],
                rec["cumulative"],
                base.get("value"),
                base.get("date"),
                goal.get("value"),
                goal.get("date"),
                rec["as_of"],
                rec["current"],
                rec["current_date"],
                rec["expected"],
                rec["progress"],
                rec["expected_progress"],
                rec["status"],
                rec["note"],
            )
        )
    return buffer.getvalue()


def _parse_as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> PartialDate | None:
    if value is None:
        return None
    if value.strip().lower() == "today":
        return PartialDate.parse(_dt.date.today().isoformat())
    try:
        return PartialDate.parse(value.strip())
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("plan", metavar="PLAN")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=_parse_as_of,
    help="Judge on this date (2026, 2026-Q2, 2026-06, 2026-06-30 or 'today'); "
    "default: each indicator on the date of its latest actual.",
)
@format_option(["text", "json", "csv"])
@click.option("--periods", "with_periods", is_flag=True, help="Add one row per milestone and target.")
def monitor(plan: str, as_of: PartialDate | None, fmt: str, with_periods: bool) -> None:
    """Print the indicator performance tracking table: actuals against baseline, milestones and targets.

    Status: achieved, on-track, behind, not-started or not-measurable (see docs/monitoring.md).
    """
    from ..errors import PlanError

    try:
        loaded = load_plan(plan)
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    rows = tracking_table(loaded, as_of)
    if fmt == "json":
        doc: list[dict[str, Any]] = [s.to_json(with_periods=with_periods) for s in rows]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        click.echo(_csv(rows, with_periods), nl=False)
        return
    if not rows:
        click.echo(f"{plan}: the plan has no indicators", err=True)
        return
    click.echo(_text(rows, with_periods), nl=False)
    counts = Counter(s.status for s in rows)
    summary = ", ".join(f"{counts[k]} {k}" for k in STATUSES if counts[k])
    when = f" as of {as_of.text}" if as_of is not None else ""
    click.echo(f"{len(rows)} indicator(s){when}: {summary}", err=True)


COMMANDS = (monitor,)
