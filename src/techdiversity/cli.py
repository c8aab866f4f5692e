"""The command line: ``techdiversity check``, ``checks``, ``new``...

Thin by design: every command is a call into the public API. Exit status: 0 when
all is well, 1 when a check found an error, 2 when a file could not be read or the
command was used wrongly.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from . import __version__

PLAN_SUFFIXES = (".yaml", ".yml", ".json", ".toml")


def _split_codes(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; a directory stands for the plan files directly inside it."""
    from .network import expand_paths

    return expand_paths(paths)


def _progress(items: Sequence[str], label: str) -> Iterator[str]:
    """Items, with a progress bar on stderr when stderr is a terminal and the batch is long."""
    if len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def _print_diagnostics(exc: Any) -> None:
    for diag in exc.diagnostics:
        click.echo(str(diag), err=True)


def _load_plan(path: str, notes: list[str] | None = None) -> Any:
    """Load a plan; notes of importers (what they could not map) go to stderr, or to ``notes``."""
    import warnings

    from .io import load
    from .readers import PlanReadWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanReadWarning)
        plan = load(path)
    for w in caught:
        if isinstance(w.message, PlanReadWarning):
            line = f"{w.message.diagnostic} (not imported)"
            if notes is None:
                click.echo(line, err=True)
            else:
                notes.append(line)
        else:  # pragma: no cover - other warnings pass through
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return plan


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="techdiversity")
@click.option("--no-plugins", is_flag=True, help="Do not load third-party plugins (built-ins still load).")
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help="Do not load the plugin NAME (repeatable).",
)
def main(no_plugins: bool, disabled: tuple[str, ...]) -> None:
    """Integrated Action Plans of URBACT cities as data: check, score and export them."""
    from . import plugins

    plugins.configure(autoload=not no_plugins, disabled=disabled)


@main.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json is the documented machine-readable report.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes, prefixes or names (comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Leave out these codes, prefixes or names.")
@click.option("--quiet", "-q", is_flag=True, help="Text format: print findings only, no summary line.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Processes to use (0: one per core)."
)
def check(
    plans: tuple[str, ...], fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], quiet: bool, jobs: int
) -> None:
    """Check the coherence of one or more plans (files or directories of plan files).

    Prints one line per finding: path:line:col: CODE severity message. Results are
    written as each file is done, in the order given, so memory stays flat over
    thousands of files; --jobs spreads the files over processes.
    """
    from .checks import registry

    sel, ign = _split_codes(select), _split_codes(ignore)
    known = registry()
    for code in (*sel, *ign):
        if not any(c.code.startswith(code) or c.name == code for c in known):
            raise click.UsageError(f"{code!r} matches no check code or name (see 'techdiversity checks')")
    files = _expand(plans)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(plans))
    unreadable: list[dict[str, Any]] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    checked = 0
    if fmt == "json":
        click.echo('{\n  "plans": [', nl=False)
    for result in _progress_results(
        _map_files(_check_file, files, (sel, ign, fmt), jobs), len(files), "Checking plans"
    ):
        for line in result["stderr"]:
            click.echo(line, err=True)
        if result["unreadable"] is not None:
            unreadable.append(result["unreadable"])
            continue
        for sev in totals:
            totals[sev] += result["counts"][sev]
        if fmt == "text":
            for line in result["lines"]:
                click.echo(line)
        else:
            entry = json.dumps(result["entry"], indent=2, ensure_ascii=False).replace("\n", "\n    ")
            click.echo(("," if checked else "") + "\n    " + entry, nl=False)
        checked += 1
    if fmt == "json":
        summary: dict[str, Any] = {"plans": checked, **totals}
        if unreadable:
            summary["unreadable"] = len(unreadable)
        tail = ',\n  "summary": ' + json.dumps(summary)
        if unreadable:
            tail += ',\n  "unreadable": ' + json.dumps(unreadable, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        click.echo(("\n  ]" if checked else "]") + tail + "\n}")
    elif not quiet:
        parts = [f"{totals['error']} error(s)", f"{totals['warning']} warning(s)", f"{totals['info']} info"]
        tail = f"; {len(unreadable)} file(s) could not be read" if unreadable else ""
        click.echo(f"{checked} plan(s) checked: " + ", ".join(parts) + tail, err=True)
    if unreadable:
        sys.exit(2)
    if totals["error"]:
        sys.exit(1)


def _check_file(path: str, settings: tuple[tuple[str, ...], tuple[str, ...], str]) -> dict[str, Any]:
    """Load and check one file; a small, picklable summary (the plan itself is dropped)."""
    from .checks import registry, run_checks
    from .errors import PlanError

    sel, ign, fmt = settings
    stderr: list[str] = []
    try:
        plan = _load_plan(path, stderr)
    except PlanError as exc:
        return {
            "stderr": stderr + [str(d) for d in exc.diagnostics],
            "unreadable": {
                "path": path,
                "errors": [
                    {"message": (f"{d.field}: " if d.field else "") + d.message, "location": d.location.to_json()}
                    for d in exc.diagnostics
                ],
            },
        }
    report = run_checks(plan, registry(), select=sel, ignore=ign)
    out: dict[str, Any] = {
        "stderr": stderr,
        "unreadable": None,
        "counts": {sev: report.count(sev) for sev in ("error", "warning", "info")},
    }
    if fmt == "text":
        out["lines"] = [str(f) if f.location else f"{path}: {f}" for f in report]
    else:
        entry = report.to_json()
        entry["path"] = path
        out["entry"] = entry
    return out


def _map_files(
    function: Callable[..., dict[str, Any]], files: Sequence[str], settings: Any, jobs: int
) -> Iterator[dict[str, Any]]:
    """``function(file, settings)`` for every file, in order; over ``jobs`` processes when > 1."""
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield function(path, settings)
        return
    import functools
    from concurrent.futures import ProcessPoolExecutor

    from . import plugins

    autoload, disabled = plugins.current_settings()
    setup = functools.partial(plugins.configure, autoload=autoload, disabled=disabled)
    with ProcessPoolExecutor(max_workers=jobs, initializer=setup) as pool:
        chunk = max(1, min(64, len(files) // (jobs * 8) or 1))
        yield from pool.map(functools.partial(function, settings=settings), files, chunksize=chunk)


def _progress_results(results: Iterator[dict[str, Any]], total: int, label: str) -> Iterator[dict[str, Any]]:
    """Results with a progress bar on stderr when stderr is a terminal and the batch is long."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        for result in results:
            yield result
            bar.update(1)


@main.command("checks")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def list_checks(codes: tuple[str, ...], fmt: str) -> None:
    """List every check with its code, severity and title; name codes to read their docs."""
    from .checks import registry
    from .docs import checks_markdown

    chosen = [c for c in registry() if not codes or c.code in codes or c.name in codes]
    missing = [code for code in codes if not any(c.code == code or c.name == code for c in chosen)]
    if missing:
        raise click.UsageError(f"no check named {', '.join(missing)} (see 'techdiversity checks')")
    if fmt == "json":
        out = [
            {
                "code": c.code,
                "name": c.name,
                "severity": c.severity,
                "title": c.title,
                "why": c.why,
                "fix": c.fix,
                "example": c.example,
                "plugin": c.plugin,
            }
            for c in chosen
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(checks_markdown(chosen), nl=False)
    elif codes:
        for c in chosen:
            click.echo(f"{c.code} {c.name} ({c.severity}): {c.title}\n")
            for heading, text in (("Why it matters", c.why), ("How to fix it", c.fix)):
                body = textwrap.fill(" ".join(text.split()), 88, initial_indent="  ", subsequent_indent="  ")
                click.echo(f"{heading}:\n{body}\n")
            if c.example:
                click.echo("Example that triggers it:\n" + "\n".join("  " + line for line in c.example.splitlines()))
                click.echo()
    else:
        from tabulate import tabulate

        rows = [(c.code, c.severity, c.name, c.title) for c in chosen]
        click.echo(tabulate(rows, headers=["code", "severity", "name", "title"], tablefmt="simple"))


@main.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False, writable=True))
@click.option("--city", default="My City", show_default=True, help="The city the plan is for.")
@click.option("--id", "plan_id", default=None, help="The plan id (default: from the city name).")
@click.option("--country", default="EU", show_default=True, help="ISO 3166-1 alpha-2 code of the city's country.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def new(path: str | None, city: str, plan_id: str | None, country: str, force: bool) -> None:
    """Write a commented starter plan (to PATH, or to standard output)."""
    from .io import atomic_write
    from .starter import starter_plan

    try:
        text = starter_plan(city=city, plan_id=plan_id, country=country)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if path is None:
        click.echo(text, nl=False)
        return
    if os.path.exists(path) and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite it")
    atomic_write(path, text)
    click.echo(f"wrote {path}: edit it, then run 'techdiversity check {path}'", err=True)


def _scorecard_text(card: Any) -> str:
    from tabulate import tabulate

    assessors = list(card.assessors)
    headers = ["criterion", "auto", *assessors, "score", "evidence"]
    rows: list[list[Any]] = []
    for section in card.sections:
        rows.append([f"{section.section.id} {section.section.title}", "", *[""] * len(assessors), "", ""])
        for result in section.criteria:
            auto = result.automatic.score if result.automatic is not None else None
            people = {p.assessor: p.score for p in result.people}
            reason = result.automatic.reason if result.automatic is not None else ""
            rows.append(
                [
                    f"- {result.criterion.id}",
                    "-" if auto is None else auto,
                    *["-" if people.get(a) is None else people[a] for a in assessors],
                    "-" if result.score is None else result.score,
                    reason,
                ]
            )
        rows.append(["= section total", "", *[""] * len(assessors), f"{section.score}/{section.max}", ""])
    title = f"{card.rubric.title} ({card.rubric.name} {card.rubric.version}) - plan {card.plan_id}"
    table = tabulate(rows, headers=headers, tablefmt="simple", maxcolwidths=[None] * (len(headers) - 1) + [60])
    return f"{title}\n{table}\ntotal: {card.total}/{card.max}\n"


def _md(text: object) -> str:
    from .markdown import escape_cell

    return escape_cell("" if text is None else str(text))


def _scorecard_markdown(card: Any) -> str:
    assessors = list(card.assessors)
    out = [
        f"## {_md(card.rubric.title)}",
        "",
        f"Plan `{card.plan_id}`, rubric `{card.rubric.name}` {card.rubric.version}.",
        "",
    ]
    head = ["Criterion", "Automatic", *[_md(a) for a in assessors], "Score", "Evidence"]
    for section in card.sections:
        out += [f"### {section.section.id} {_md(section.section.title)}: {section.score}/{section.max}", ""]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        for r in section.criteria:
            auto = r.automatic.score if r.automatic is not None else None
            people = {p.assessor: p.score for p in r.people}
            cells = [
                _md(r.criterion.title),
                "–" if auto is None else str(auto),
                *["–" if people.get(a) is None else str(people[a]) for a in assessors],
                "–" if r.score is None else str(r.score),
                _md(r.automatic.reason if r.automatic is not None else ""),
            ]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    out.append(f"**Total: {card.total}/{card.max}**")
    return "\n".join(out) + "\n"


@main.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@click.option(
    "--rubric",
    "rubric_names",
    multiple=True,
    metavar="NAME",
    help="Rubric(s) to score with (repeatable; default urbact-iap).",
)
@click.option("--all-rubrics", is_flag=True, help="Score with every installed rubric.")
@click.option(
    "--assessment",
    "assessment_files",
    multiple=True,
    metavar="FILE",
    help="An assessment file with a person's scores (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True, help="Processes to use (0: one per core)."
)
def score(
    plans: tuple[str, ...],
    rubric_names: tuple[str, ...],
    all_rubrics: bool,
    assessment_files: tuple[str, ...],
    fmt: str,
    jobs: int,
) -> None:
    """Score plans with rubrics, people's assessments beside the automatic scores.

    Assessments apply to the plan they name. With one plan and one rubric, --format
    json prints one scorecard; otherwise a list, plan by plan. --jobs spreads many
    plans over processes.
    """
    from .errors import PlanError
    from .io import load_assessment
    from .plugins import all_rubrics as installed

    rubrics = {r.name: r for r in installed()}
    try:
        assessments = [load_assessment(f) for f in assessment_files]
    except PlanError as exc:
        _print_diagnostics(exc)
        sys.exit(2)
    names = list(rubric_names) or ([] if all_rubrics else ["urbact-iap"])
    if all_rubrics:
        names += [n for n in rubrics if n not in names]
    for a in assessments:  # an assessment brings its rubric along
        if a.assessment.rubric not in names:
            names.append(a.assessment.rubric)
    unknown = [n for n in names if n not in rubrics]
    if unknown:
        raise click.UsageError(f"no rubric named {', '.join(unknown)}; installed: {', '.join(rubrics)}")
    files = _expand(plans)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(plans))
    single = len(files) == 1
    settings = (tuple(names), tuple(assessment_files), fmt, single)
    cards: list[Any] = []
    failed = False
    matched: set[str] = set()
    chunks: list[str] = []
    for result in _progress_results(_map_files(_score_file, files, settings, jobs), len(files), "Scoring plans"):
        for line in result["stderr"]:
            click.echo(line, err=True)
        if result["failed"]:
            failed = True
            continue
        matched.update(result["plan_ids"])
        if fmt == "json":
            cards.extend(result["cards"])
        else:
            chunks.append(result["text"])
            if not single:  # stream: many plans print as they are done
                click.echo(result["text"], nl=False)
    if not single:
        unmatched = [a for a in assessments if a.assessment.plan not in matched]
        for a in unmatched:
            path = a.source.path if a.source is not None else "<assessment>"
            click.echo(
                f"{path}: this assessment is for plan {a.assessment.plan!r}, which is not among the plans", err=True
            )
            failed = True
    if fmt == "json" and cards:
        doc: Any = cards[0] if single and len(cards) == 1 else cards
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif single and chunks:
        click.echo(chunks[0], nl=False)
    if failed:
        sys.exit(2)


def _score_file(path: str, settings: tuple[tuple[str, ...], tuple[str, ...], str, bool]) -> dict[str, Any]:
    """Load and score one plan; a small, picklable result (the plan itself is dropped)."""
    from .errors import PlanError
    from .io import load_assessment
    from .plugins import all_rubrics
    from .rubrics import score_with

    names, assessment_files, fmt, single = settings
    rubrics = {r.name: r for r in all_rubrics()}
    stderr: list[str] = []
    try:
        plan = _load_plan(path, stderr)
        assessments = [load_assessment(f) for f in assessment_files]
    except PlanError as exc:
        return {"stderr": stderr + [str(d) for d in exc.diagnostics], "failed": True}
    if not single:
        assessments = [a for a in assessments if a.assessment.plan == plan.id]
    try:
        cards = [score_with(plan, rubrics[n], assessments) for n in names]
    except PlanError as exc:
        return {"stderr": stderr + [str(d) for d in exc.diagnostics], "failed": True}
    out: dict[str, Any] = {"stderr": stderr, "failed": False, "plan_ids": [plan.id]}
    if fmt == "json":
        out["cards"] = [c.to_json() for c in cards]
    elif fmt == "markdown":
        out["text"] = "\n".join(_scorecard_markdown(c) for c in cards)
    else:
        out["text"] = "\n".join(_scorecard_text(c) for c in cards)
    return out


@main.command("rubrics")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rubrics(fmt: str) -> None:
    """List installed rubrics with their sections and criteria."""
    from .plugins import all_rubrics

    rubrics = all_rubrics()
    if fmt == "json":
        out = [
            {
                "name": r.name,
                "title": r.title,
                "version": r.version,
                "plugin": r.plugin,
                "description": r.description,
                "source": r.source,
                "sections": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "criteria": [
                            {
                                "id": c.id,
                                "title": c.title,
                                "levels": c.levels_json(),
                                "wording": c.wording,
                                "automatic": c.scorer is not None,
                                "method": c.method,
                            }
                            for c in s.criteria
                        ],
                    }
                    for s in r.sections
                ],
            }
            for r in rubrics
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for r in rubrics:
        click.echo(f"{r.name} {r.version}: {r.title} (from {r.plugin})")
        for s in r.sections:
            click.echo(f"  {s.id} {s.title}")
            for c in s.criteria:
                mark = "" if c.wording == "seed" else " [completion]"
                click.echo(f"    {c.id}: {c.title}{mark}")
        click.echo()


@main.command("plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_plugins(fmt: str) -> None:
    """List installed plugins, their versions and what each adds; and any that failed."""
    from . import plugins

    infos = plugins.plugins()
    checks = plugins.all_checks()
    rubrics = plugins.all_rubrics()
    rows: list[dict[str, Any]] = []
    for info in infos:
        adds: dict[str, list[str]] = {
            "checks": [c.code for c in checks if c.plugin == info.name],
            "rubrics": [r.name for r in rubrics if r.plugin == info.name],
        }
        extra = plugins.contributions(info.name)
        adds.update(extra)
        rows.append(
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                "hooks": list(info.hooks),
                "adds": adds,
            }
        )
    failed = [{"name": f.plugin, "reason": f.reason} for f in plugins.failures()]
    if fmt == "json":
        click.echo(json.dumps({"plugins": rows, "failed": failed}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        added = "; ".join(f"{k}: {', '.join(v)}" for k, v in row["adds"].items() if v) or "nothing"
        click.echo(f"{row['name']} {row['version'] or '?'} ({row['distribution'] or 'local'}): {added}")
    for f in failed:
        click.echo(f"{f['name']}: FAILED: {f['reason']}")


def _parse_options(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--option takes KEY=VALUE, got {value!r}")
        out[key.strip()] = val
    return out


@main.command()
@click.argument("plan", metavar="PLAN")
@click.option("--to", "fmt", required=True, metavar="FORMAT", help="The export format (see 'techdiversity exporters').")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The file to write (default: standard output).")
@click.option(
    "--rubric", "rubric_names", multiple=True, metavar="NAME", help="Rubrics for the scorecards (default all)."
)
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="An exporter-specific option.")
def export(plan: str, fmt: str, output: str | None, rubric_names: tuple[str, ...], options: tuple[str, ...]) -> None:
    """Export a plan (with its findings and scorecards) to another format, atomically."""
    from .errors import PlanError
    from .exporters import export as do_export
    from .exporters import find_exporter
    from .io import atomic_write

    try:
        exporter = find_exporter(fmt)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    try:
        loaded = _load_plan(plan)
    except PlanError as exc:
        _print_diagnostics(exc)
        sys.exit(2)
    try:
        content = do_export(loaded, fmt, rubrics=rubric_names or None, options=_parse_options(options))
    except ValueError as exc:  # an exporter's refusal of an option or of the plan
        raise click.UsageError(f"{fmt}: {exc}") from None
    if output is None:
        if exporter.binary or isinstance(content, bytes):
            raise click.UsageError(f"{fmt} is a binary format: name a file with -o")
        click.echo(content, nl=False)
        return
    atomic_write(output, content)
    click.echo(f"wrote {output}", err=True)


@main.command("exporters")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_exporters(fmt: str) -> None:
    """List the export formats."""
    from .plugins import all_exporters, all_readers

    exporters = all_exporters()
    readers = all_readers()
    if fmt == "json":
        doc = {
            "exporters": [
                {
                    "name": e.name,
                    "title": e.title,
                    "suffix": e.suffix,
                    "media_type": e.media_type,
                    "binary": e.binary,
                    "description": e.description,
                    "plugin": e.plugin,
                }
                for e in exporters
            ],
            "readers": [
                {"name": r.name, "title": r.title, "suffixes": list(r.suffixes), "plugin": r.plugin} for r in readers
            ],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    from tabulate import tabulate

    rows = [(e.name, e.suffix, e.title, e.plugin) for e in exporters]
    click.echo(tabulate(rows, headers=["name", "suffix", "title", "plugin"], tablefmt="simple"))
    if readers:
        click.echo("\nreaders (importers): " + ", ".join(f"{r.name} ({' '.join(r.suffixes)})" for r in readers))


@main.command()
@click.option("--assessment", is_flag=True, help="The schema of assessment files instead of plan files.")
def schema(assessment: bool) -> None:
    """Print the JSON Schema of the plan format (for editors that validate and complete)."""
    from .schema import assessment_schema, plan_schema

    doc = assessment_schema() if assessment else plan_schema()
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@main.command()
def lsp() -> None:
    """Run the language server for plan files on stdin/stdout (for editors; the 'lsp' extra)."""
    from . import lsp as server

    if not server.available():
        click.echo(f"techdiversity: {server.MISSING}", err=True)
        sys.exit(2)
    server.serve()


def _add_commands() -> None:
    """Commands defined in their own modules (``COMMANDS`` of each), added to the group."""
    import importlib

    for name in ("cli_network", "cli_monitor", "cli_diff"):
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":
                continue
            raise
        for command in module.COMMANDS:
            main.add_command(command)


_add_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
