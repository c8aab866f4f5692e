"""Commands over a network of plans: ``compare``, ``themes`` and ``review``.

Each is a thin layer over :mod:`techdiversity.network`. A file that cannot be read
is reported on standard error (``path:line:col: message``) and the command goes on
with the others, then exits with status 2.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from ..scorecard_text import clean
from .common import batch_executor, format_option, jobs_option, load_plan, print_diagnostics, progress, scheduler_option
from .tables import DEFAULT_WIDTH, GAP, display_width, paragraph, table

__all__ = ["COMMANDS", "compare", "compare_text", "review", "select_columns", "themes"]


# ---------------------------------------------------------------------------
# Tables in every format


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in the order first seen."""
    return list(dict.fromkeys(key for row in rows for key in row))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A cell for a spreadsheet: text that would run as a formula gets a leading quote."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _cell(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    from ..markdown import escape_cell

    out = ["| " + " | ".join(escape_cell(c) for c in columns) + " |", "|" + " --- |" * len(columns)]
    out += ["| " + " | ".join(escape_cell(_cell(row.get(c))) for c in columns) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _text_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], width: int = DEFAULT_WIDTH) -> str:
    body = [[_cell(row.get(c)) for c in columns] for row in rows]
    return table(list(columns), body, width=width)


def _figure(key: str, value: Any) -> str:
    """A cell of the text comparison: sums of money with thousands separators."""
    if key.startswith("budget.") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return _cell(value)


def _blank(value: Any) -> bool:
    return value is None or value == 0 or value in ("", [], ()) or value is False


def select_columns(columns: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """The keys ``wanted`` names (a key, or a prefix before a dot: ``budget``, ``urbact-iap``), in record order."""
    chosen = [c for c in columns if any(c == w or c.startswith(w + ".") for w in wanted)]
    unknown = [w for w in wanted if not any(c == w or c.startswith(w + ".") for c in columns)]
    if unknown:
        groups = sorted({c.split(".")[0] for c in columns})
        raise click.UsageError(f"--columns: no column {', '.join(unknown)}; columns start with: {', '.join(groups)}")
    return chosen


def compare_text(
    records: Sequence[dict[str, Any]], keys: Sequence[str], *, width: int = DEFAULT_WIDTH, keep_blank: bool = False
) -> str:
    """The records side by side, transposed: one row per figure, one column per city.

    Rows come in groups (the plan, findings, each rubric, target groups, counts, budget)
    under a heading row, in words (:func:`techdiversity.network.records.field_labels`).
    As many cities as fit ``width`` go on one page, the next ones on the next page.
    Rows that are empty or 0 for every city are left out (and counted) unless
    ``keep_blank``.
    """
    from ..network.records import field_labels

    labels = field_labels(keys)
    shown = [k for k in keys if k != "city" and (keep_blank or not all(_blank(r.get(k)) for r in records))]
    left_out = len([k for k in keys if k != "city"]) - len(shown)
    rows: list[tuple[str, str | None]] = []  # (label, key or None for a heading)
    group = None
    for key in shown:
        g, label = labels[key]
        if g != group:
            rows.append((g, None))
            group = g
        rows.append(("  " + label, key))
    names = [clean(r.get("city") or r.get("plan") or "") for r in records]
    label_w = min(34, max(16, width // 3), max([display_width(label) for label, _ in rows] + [6]))
    pages: list[list[int]] = []
    spans: list[int] = []  # the width each page needs
    for i, record in enumerate(records):
        natural = max([display_width(names[i])] + [display_width(_figure(k, record.get(k))) for _, k in rows if k])
        need = GAP + max(8, min(natural, 14))
        if pages and spans[-1] + need <= width:
            pages[-1].append(i)
            spans[-1] += need
        else:
            pages.append([i])
            spans.append(label_w + need)
    out: list[str] = []
    for n, page in enumerate(pages, 1):
        if len(pages) > 1:
            first, last = page[0] + 1, page[-1] + 1
            which = f"city {first}" if first == last else f"cities {first} to {last}"
            out.append(f"{which} of {len(records)}" + ("" if n == 1 else " (continued)"))
        headers = ["", *(names[i] for i in page)]
        body = [
            [label, *("" if key is None else _figure(key, records[i].get(key)) for i in page)] for label, key in rows
        ]
        limits: list[int | None] = [label_w, *([None] * len(page))]
        layout = table(headers, body, width=width, minimum=[min(label_w, 20)] + [8] * len(page), maximum=limits)
        out.append(layout.rstrip("\n"))
        out.append("")
    if left_out:
        note = f"{left_out} row(s) empty or 0 for every city left out (--columns names them to show them)"
        out.append(paragraph(note, width))
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# Shared pieces


@contextlib.contextmanager
def _bar(total: int, label: str) -> Iterator[Callable[[int], object] | None]:
    """A progress callback drawing a bar on stderr, only when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


def _files(paths: Sequence[str]) -> list[str]:
    from .common import expand

    files = expand(paths)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(paths))
    return files


def _check_rubrics(names: Sequence[str]) -> None:
    from ..plugins import all_rubrics

    installed = [r.name for r in all_rubrics()]
    unknown = [n for n in names if n not in installed]
    if unknown:
        raise click.UsageError(f"no rubric named {', '.join(unknown)}; installed: {', '.join(installed)}")


def _unreadable_entry(path: str, exc: Any) -> dict[str, Any]:
    return {"path": path, "errors": [str(d) for d in exc.diagnostics]}


def _read_plans(files: Sequence[str], label: str, unreadable: list[dict[str, Any]]) -> Iterator[Any]:
    """Plans one at a time (each dropped by the caller before the next); errors to stderr."""
    from ..errors import PlanError

    for path in progress(files, label):
        try:
            plan = load_plan(path)
        except PlanError as exc:
            print_diagnostics(exc)
            unreadable.append(_unreadable_entry(path, exc))
            continue
        yield plan


# ---------------------------------------------------------------------------
# compare


@click.command("compare")
@click.argument("plans", nargs=-1, required=True, metavar="DIR|PLAN...")
@format_option(["text", "json", "csv", "html", "markdown"], help="Output format.")
@jobs_option()
@scheduler_option()
@click.option(
    "--rubric",
    "rubric_names",
    multiple=True,
    metavar="NAME",
    help="Rubric whose section scores to show (repeatable; default: every installed rubric).",
)
@click.option(
    "--columns",
    "wanted",
    multiple=True,
    metavar="KEYS",
    help="Text, CSV and Markdown: only these figures (keys or groups: findings, urbact-iap, budget...; "
    "comma-separated, repeatable). Default: every figure.",
)
@click.option(
    "--width",
    type=click.IntRange(min=40),
    default=DEFAULT_WIDTH,
    show_default=True,
    help="Text: the line width; cities that do not fit go on the next page.",
)
@click.option("--as-of", "as_of", metavar="DATE", default=None, help="HTML: judge the indicators on this date.")
@click.option(
    "--assessment",
    "assessment_files",
    multiple=True,
    metavar="FILE|DIR",
    help="HTML: assessment files (or directories of them) with people's scores; default: the "
    "assessments/ folder of each directory given, when there is one.",
)
def compare(
    plans: tuple[str, ...],
    fmt: str,
    jobs: int,
    scheduler: str | None,
    rubric_names: tuple[str, ...],
    wanted: tuple[str, ...],
    width: int,
    as_of: str | None,
    assessment_files: tuple[str, ...],
) -> None:
    """Compare plans city by city.

    Text: one row per figure and one column per city, paged to fit --width. CSV,
    Markdown and JSON: one row per plan with every figure (findings by severity, each
    rubric's section scores, target groups, counts, indicators quantified, budget by
    funding source). HTML: the network report, one self-contained page (city cards,
    heat maps, themes, peer review, monitoring). Plans are read one at a time (on
    --jobs processes, or on the dask.distributed cluster of --scheduler), so thousands
    of files take little memory; the HTML report holds the network in memory.
    """
    from ..network import compare as compare_records
    from .common import split_codes

    files = _files(plans)
    _check_rubrics(rubric_names)
    unreadable: list[dict[str, Any]] = []
    if fmt == "html":
        folders = assessment_files or tuple(
            str(Path(p) / "assessments") for p in plans if (Path(p) / "assessments").is_dir()
        )
        with batch_executor(scheduler, jobs) as executor:
            _compare_html(files, jobs, list(rubric_names) or None, as_of, folders, unreadable, executor)
    else:

        def on_error(path: str, exc: Any) -> None:
            print_diagnostics(exc)
            unreadable.append(_unreadable_entry(path, exc))

        with batch_executor(scheduler, jobs) as executor, _bar(len(files), "Comparing plans") as update:
            chosen_rubrics = list(rubric_names) or None
            records = list(
                compare_records(
                    files, jobs=jobs, progress=update, rubrics=chosen_rubrics, on_error=on_error, executor=executor
                )
            )
        columns = _columns(records)
        chosen = split_codes(wanted)
        if chosen and records:
            selected = select_columns(columns, chosen)
            columns = [c for c in ("plan", "city") if c not in selected] + selected
        if fmt == "json":
            doc = {"plans": records, "summary": {"plans": len(records), "unreadable": len(unreadable)}}
            doc["unreadable"] = unreadable
            click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        elif fmt == "csv":
            click.echo(_csv(records, columns), nl=False)
        elif fmt == "markdown":
            click.echo(_markdown_table(records, columns), nl=False)
        elif records:
            click.echo(compare_text(records, columns, width=width, keep_blank=bool(chosen)), nl=False)
    if unreadable:
        click.echo(f"{len(unreadable)} file(s) could not be read", err=True)
        sys.exit(2)


def _compare_html(
    files: Sequence[str],
    jobs: int,
    rubrics: list[str] | None,
    as_of: str | None,
    assessments: Sequence[str],
    unreadable: list[dict[str, Any]],
    executor: Any = None,
) -> None:
    """The network report: every readable plan loaded, the unreadable ones listed on the page too."""
    from ..dates import PartialDate
    from ..errors import PlanError
    from ..network import Network, collect_assessments

    when = None
    if as_of is not None:
        try:
            when = PartialDate.parse(as_of.strip())
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--as-of") from None
    try:
        assessed = collect_assessments(assessments) if assessments else {}
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    net = Network.load(files, jobs=jobs, executor=executor)
    for path, refused in net.errors.items():
        print_diagnostics(refused)
        unreadable.append(_unreadable_entry(path, refused))
    try:
        page = net.report_html(rubrics=rubrics, assessments=assessed, as_of=when)
    except PlanError as exc:  # an assessment naming a criterion its rubric lacks
        print_diagnostics(exc)
        sys.exit(2)
    click.echo(page, nl=False)


# ---------------------------------------------------------------------------
# themes


def _themes_text(found: dict[str, Any], markdown: bool, width: int = DEFAULT_WIDTH) -> str:
    from ..markdown import escape

    def esc(text: str) -> str:
        return escape(text) if markdown else text

    cities = len(found["plans"])
    out: list[str] = []
    heading = "## " if markdown else ""
    out.append(f"{heading}Target groups shared by cities ({cities} plans)\n")
    rows = [
        {
            "group": t["group"],
            "cities": len(t["cities"]),
            "named and served by": [c for c in t["cities"] if c in t["named"] and c in t["served"]],
            "named only": [c for c in t["named"] if c not in t["served"]],
            "served only": [c for c in t["served"] if c not in t["named"]],
        }
        for t in found["target_groups"]
    ]
    table = _markdown_table if markdown else _text_table
    out.append(table(rows, _columns(rows)) if rows else "none\n")
    for kind in ("problems", "objectives"):
        out.append(f"{heading}Recurring {kind}\n")
        if not found[kind]:
            out.append("none\n")
        for theme in found[kind]:
            who = ", ".join(f"{it['city']} {it['id']}" for it in theme["items"])
            if markdown:
                out.append(f"{theme['theme']}. {esc(theme['label'])}")
                out.append(f"   {len(theme['cities'])} cities: {esc(who)}")
                if theme["keywords"]:
                    out.append(f"   shared words: {esc(', '.join(theme['keywords']))}")
            else:
                number = f"{theme['theme']}. "
                out.append(paragraph(theme["label"], width, number, " " * 3))
                out.append(paragraph(who, width, f"   {len(theme['cities'])} cities: ", " " * 5))
                if theme["keywords"]:
                    out.append(paragraph(", ".join(theme["keywords"]), width, "   shared words: ", " " * 5))
            out.append("")
    if "pairings" in found:
        out.append(f"{heading}Pairs for transnational exchange\n")
        rows = [
            {
                "cities": " & ".join(p["cities"]),
                "score": p["score"],
                "shared": [f"{len(p['shared'][k])} {k.replace('_', ' ')}" for k in p["shared"] if p["shared"][k]],
                "exchange": [f"{e['section']}: {e['from']} -> {e['to']} ({e['gap']:g})" for e in p["exchange"][:3]],
            }
            for p in found["pairings"]
        ]
        out.append(table(rows, _columns(rows)) if rows else "none\n")
    return "\n".join(out)


@click.command("themes")
@click.argument("plans", nargs=-1, required=True, metavar="DIR|PLAN...")
@format_option(["text", "json", "markdown"], help="Output format.")
@click.option(
    "--min-cities",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Themes found in this many cities or more.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.3,
    show_default=True,
    help="How alike two texts must be (Jaccard similarity of their words).",
)
@click.option("--pairs/--no-pairs", default=True, show_default=True, help="Suggest pairs of cities for exchange.")
@click.option("--per-city", type=click.IntRange(min=1), default=2, show_default=True, help="Pairs kept per city.")
def themes(plans: tuple[str, ...], fmt: str, min_cities: int, threshold: float, pairs: bool, per_city: int) -> None:
    """What recurs across cities: target groups, problems and objectives, and who covers which.

    Texts match after normalisation (lower case, accents folded, stop words out);
    nothing leaves the computer. With --pairs, cities that share themes, or where one
    is strong in a rubric section the other is weak in, are suggested as pairs.
    """
    from ..network.common import rubrics_named
    from ..network.pairing import pairings_of
    from ..network.themes import profile, themes_of

    files = _files(plans)
    unreadable: list[dict[str, Any]] = []
    rubrics = rubrics_named(None) if pairs else []
    profiles = [profile(plan, rubrics) for plan in _read_plans(files, "Reading plans", unreadable)]
    found = themes_of(profiles, threshold, min_cities)
    if pairs:
        found["pairings"] = pairings_of(profiles, found, per_city, 0.2)
    if fmt == "json":
        found["unreadable"] = unreadable
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        click.echo(_themes_text(found, markdown=fmt == "markdown"), nl=False)
    if unreadable:
        sys.exit(2)


# ---------------------------------------------------------------------------
# review


@click.group("review")
def review() -> None:
    """Peer review: who reviews whom, and how far assessors agree."""


@review.command("assign")
@click.argument("plans", nargs=-1, required=True, metavar="DIR|PLAN...")
@click.option("--per-plan", type=click.IntRange(min=1), default=2, show_default=True, help="Reviewer cities per plan.")
@click.option("--seed", type=int, default=0, show_default=True, help="Another seed, another (fixed) assignment.")
@format_option(["text", "json", "csv", "markdown"], help="Output format.")
def review_assign(plans: tuple[str, ...], per_plan: int, seed: int, fmt: str) -> None:
    """Assign reviewer cities to plans: never a city to itself, loads balanced."""
    from ..network import assign_reviewers

    files = _files(plans)
    unreadable: list[dict[str, Any]] = []
    try:
        assignments = assign_reviewers(_read_plans(files, "Reading plans", unreadable), per_plan=per_plan, seed=seed)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    rows = [{"plan": a["plan"], "city": a["city"], "reviewers": a["reviewers"]} for a in assignments]
    if fmt == "json":
        loads = Counter(c for a in assignments for c in a["reviewers"])
        doc = {"assignments": assignments, "loads": dict(sorted(loads.items())), "unreadable": unreadable}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(rows, ["plan", "city", "reviewers"]), nl=False)
    elif fmt == "markdown":
        click.echo(_markdown_table(rows, ["plan", "city", "reviewers"]), nl=False)
    else:
        click.echo(_text_table(rows, ["plan", "city", "reviewers"]), nl=False)
        loads = Counter(c for a in assignments for c in a["reviewers"])
        loads_text = ", ".join(f"{c} {n}" for c, n in sorted(loads.items()))
        click.echo("\n" + paragraph(loads_text, DEFAULT_WIDTH, "reviews per city: ", "  "))
    if unreadable:
        sys.exit(2)


def _agreement_text(rows: Sequence[dict[str, Any]], rubric: str, plan_id: str) -> str:
    assessors = list(dict.fromkeys(a for r in rows for a in r["scores"]))
    headers = ["criterion", "auto", *assessors, "mean", "spread", "sd", "flag"]

    def show(value: Any) -> str:
        return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    body = [
        [
            f"{r['section']} {r['criterion']}",
            show(r["automatic"]),
            *[show(r["scores"].get(a)) for a in assessors],
            show(r["mean"]),
            show(r["spread"]),
            show(r["stdev"]),
            "!" if r["flag"] else "",
        ]
        for r in rows
    ]
    right = tuple(range(1, len(headers) - 1))
    out = [paragraph(f"Agreement on plan {plan_id}, rubric {rubric}"), table(headers, body, right=right).rstrip("\n")]
    flagged = [r for r in rows if r["flag"]]
    out.append(f"\n{len(flagged)} of {len(rows)} criteria flagged")
    out += [paragraph("; ".join(r["reasons"]), DEFAULT_WIDTH, f"  {r['criterion']}: ", " " * 4) for r in flagged]
    return "\n".join(out) + "\n"


@review.command("agreement")
@click.argument("plan", metavar="PLAN")
@click.option(
    "--assessment",
    "assessment_files",
    multiple=True,
    required=True,
    metavar="FILE",
    help="An assessment file, or a directory of them (repeatable).",
)
@click.option("--rubric", "rubric_name", default=None, metavar="NAME", help="The rubric (default: the assessments').")
@format_option(["text", "json"], help="Output format.")
def review_agreement(plan: str, assessment_files: tuple[str, ...], rubric_name: str | None, fmt: str) -> None:
    """How far assessors agree per criterion, and where the automatic score disagrees."""
    from ..errors import PlanError
    from ..network import agreement, collect_assessments

    try:
        loaded = load_plan(plan)
        by_plan = collect_assessments(assessment_files)
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    assessments = [a for items in by_plan.values() for a in items]
    name = rubric_name or (assessments[0].assessment.rubric if assessments else "urbact-iap")
    _check_rubrics([name])
    try:
        rows = agreement(loaded, name, assessments)
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    if fmt == "json":
        doc = {"plan": loaded.id, "rubric": name, "criteria": rows, "flagged": sum(1 for r in rows if r["flag"])}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        click.echo(_agreement_text(rows, name, loaded.id), nl=False)


COMMANDS = (compare, themes, review)
