"""``techdiversity monitor``: the indicator performance tracking table of one or more plans.

Files and directories as ``check`` takes them, read one at a time (on ``--jobs``
processes). Text (a table per plan, fitting ``--width`` columns), JSON (one list of
records, each naming its plan, see ``docs/monitoring.md``) or CSV (one row per
indicator, or with ``--periods`` one row per milestone and target, each starting with
the plan and city). With ``--slices``, each slice of a disaggregated value (IATI
dimensions and locations, :func:`techdiversity.monitoring.slices`) gets a row with its
own series under its indicator (text) or a ``slices`` list in its record (JSON). The
numbers come from :mod:`techdiversity.monitoring`; this module only lays them out.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

import click

from ..dates import PartialDate
from ..model import Measurement, Value
from ..monitoring import STATUSES, IndicatorStatus, Number, slices, tracking_table
from .common import expand, format_option, jobs_option, load_plan, map_files, progress_results
from .tables import DEFAULT_WIDTH, table, wrap_cell

__all__ = ["COMMANDS", "csv_cell", "monitor"]

#: The columns of ``monitor --format csv``, one row per indicator.
CSV_COLUMNS: tuple[str, ...] = (
    "plan",
    "city",
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
    "plan",
    "city",
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
    from ..safetext import one_line

    return one_line(value)


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


#: One slice of a disaggregated value: its name and its series of (date, value), in time order.
Slice = tuple[str, list[tuple[PartialDate, Number]]]


def _series(series: Sequence[tuple[PartialDate, Number]]) -> str:
    """A slice's series for reading: ``10 (2024), 14 (2025)``."""
    return ", ".join(_at(value, date) for date, value in series)


def _slices_json(found: Sequence[Slice]) -> list[dict[str, Any]]:
    return [
        {"slice": name, "series": [{"date": date.text, "value": value} for date, value in series]}
        for name, series in found
    ]


def _arrow(s: IndicatorStatus) -> str:
    if s.direction is None:
        return ""
    return ("up" if s.direction == "increase" else "down") + ("?" if s.direction_inferred else "")


def _text(
    rows: Sequence[IndicatorStatus],
    with_periods: bool,
    width: int,
    sliced: Sequence[Sequence[Slice]] | None = None,
) -> str:
    """The tracking table (and the per-period rows) in at most ``width`` columns.

    The as-of date is not a column: it is the one asked for (named in the summary) or,
    by default, the date of each indicator's latest actual, shown with the current value.
    ``sliced`` (one list per row, with ``--slices``) adds under each indicator a row per
    slice: its name, indented, in the indicator column and its series in the current one.
    """
    headers = ["id", "indicator (unit)", "dir", "baseline -> target", "current (progress)", "expected", "status"]
    body: list[list[str]] = []
    for k, s in enumerate(rows):
        body.append(
            [
                s.id,
                _clean(s.name) + (f" ({_clean(s.unit)})" if s.unit else ""),
                _arrow(s),
                f"{_measure(s.baseline) or '?'} -> {_measure(s.target) or '?'}",
                _at(s.current, s.current_date) + (f" {_pct(s.progress)}" if s.progress is not None else ""),
                _num(s.expected) + (f" ({_pct(s.expected_progress)})" if s.expected_progress is not None else ""),
                s.status,
            ]
        )
        for name, series in sliced[k] if sliced is not None else ():
            body.append(["", "  " + _clean(name), "", "", _series(series), "", "slice"])
    out = table(headers, body, width=width)
    if with_periods:
        prow = [
            [
                s.id,
                p.label,
                p.date.text if p.date else "",
                _num(p.value),
                _at(p.actual, p.actual_date),
                _pct(p.progress),
                p.state,
                p.note,
            ]
            for s in rows
            for p in s.periods
        ]
        pheaders = ["id", "period", "due", "expected", "actual", "progress", "state", "note"]
        out += "\n" + table(pheaders, prow, width=width, right=(5,))
    return out


def _csv_header(with_periods: bool) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_PERIOD_COLUMNS if with_periods else CSV_COLUMNS)
    return buffer.getvalue()


def _csv(rows: Sequence[IndicatorStatus], with_periods: bool, who: tuple[str, str | None]) -> str:
    """The rows of one plan (``who``: its id and city), without the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF ends a row; a CR or LF in a cell is quoted
    plan, city = who
    if with_periods:
        for s in rows:
            for p in s.periods:
                rec = p.to_json()
                writer.writerow(
                    csv_cell(v)
                    for v in (
                        plan,
                        city,
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
    for s in rows:
        rec = s.to_json(with_periods=False)
        base = rec["baseline"] or {}
        goal = rec["target"] or {}
        writer.writerow(
            csv_cell(v)
            for v in (
                plan,
                city,
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


def _monitor_file(path: str, settings: tuple[PartialDate | None, bool]) -> dict[str, Any]:
    """Load one file and track its indicators: a small, picklable result (the plan is dropped).

    With ``settings[1]`` (``--slices``), ``sliced`` holds each indicator's slices."""
    from ..errors import PlanError

    as_of, with_slices = settings
    stderr: list[str] = []
    try:
        plan = load_plan(path, stderr)
    except PlanError as exc:
        return {"path": path, "stderr": stderr + [str(d) for d in exc.diagnostics], "unreadable": True}
    return {
        "path": path,
        "stderr": stderr,
        "unreadable": False,
        "plan": plan.id,
        "city": plan.plan.city,
        "rows": tracking_table(plan, as_of),
        "sliced": [list(slices(i).items()) for i in plan.indicators] if with_slices else None,
    }


def _summary(rows: Sequence[IndicatorStatus], as_of: PartialDate | None) -> str:
    counts = Counter(s.status for s in rows)
    when = f" as of {as_of.text}" if as_of is not None else ""
    return f"{len(rows)} indicator(s){when}: " + ", ".join(f"{counts[k]} {k}" for k in STATUSES if counts[k])


@click.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN|DIR...")
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
@click.option(
    "--slices",
    "with_slices",
    is_flag=True,
    help="Text and JSON: under each indicator with disaggregated values, each slice "
    "(dimensions, locations) with its own series.",
)
@jobs_option()
@click.option(
    "--width",
    type=click.IntRange(min=40),
    default=DEFAULT_WIDTH,
    show_default=True,
    help="Text: the line width the tables fit.",
)
def monitor(
    plans: tuple[str, ...],
    as_of: PartialDate | None,
    fmt: str,
    with_periods: bool,
    with_slices: bool,
    jobs: int,
    width: int,
) -> None:
    """Print the indicator performance tracking table of one or more plans (files or directories).

    Actuals against baseline, milestones and targets. Status: achieved, on-track,
    behind, no-data, not-started or not-measurable (see docs/monitoring.md). Plans
    are read one at a time, in the order given (--jobs spreads them over processes).
    """
    if with_slices and fmt == "csv":
        raise click.UsageError("--slices is for --format text or json; csv has one row per indicator or period")
    files = expand(plans)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(plans))
    several = len(files) > 1
    unreadable = 0
    records: list[dict[str, Any]] = []
    totals: Counter[str] = Counter()
    tracked = 0
    if fmt == "csv":
        click.echo(_csv_header(with_periods), nl=False)
    results = map_files(_monitor_file, files, (as_of, with_slices), jobs)
    for result in progress_results(results, len(files), "Monitoring plans"):
        for line in result["stderr"]:
            click.echo(line, err=True)
        if result["unreadable"]:
            unreadable += 1
            continue
        rows: list[IndicatorStatus] = result["rows"]
        sliced: list[list[Slice]] | None = result["sliced"]
        who = (result["plan"], result["city"], result["path"])
        tracked += 1
        totals.update(s.status for s in rows)
        if fmt == "json":
            for k, s in enumerate(rows):
                record = {"plan": who[0], "city": who[1], "path": who[2], **s.to_json(with_periods=with_periods)}
                if sliced is not None:
                    record["slices"] = _slices_json(sliced[k])
                records.append(record)
        elif fmt == "csv":
            click.echo(_csv(rows, with_periods, who[:2]), nl=False)
        elif not rows:
            click.echo(f"{_clean(result['path'])}: the plan has no indicators", err=True)
        else:
            if several:
                name = result["city"] or result["plan"]
                heading = wrap_cell(_clean(f"{name} ({result['plan']}, {result['path']})"), width)
                click.echo(("\n" if tracked > 1 else "") + "\n".join(heading))
            click.echo(_text(rows, with_periods, width, sliced), nl=False)
            click.echo((f"{_clean(result['path'])}: " if several else "") + _summary(rows, as_of), err=True)
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    elif fmt == "text" and several:
        counts = ", ".join(f"{totals[k]} {k}" for k in STATUSES if totals[k]) or "no indicators"
        tail = f"; {unreadable} file(s) could not be read" if unreadable else ""
        click.echo(f"{tracked} plan(s), {sum(totals.values())} indicator(s): {counts}{tail}", err=True)
    if unreadable:
        sys.exit(2)


COMMANDS = (monitor,)
