"""The command line: ``techdiversity check``, ``checks``, ``new``...

Thin by design: every command is a call into the public API. Exit status: 0 when
all is well, 1 when a check found an error, 2 when a file could not be read or
written, an optional part is missing, or the command was used wrongly (one line on
standard error, never a traceback). A broken pipe (``techdiversity checks | head -1``)
ends quietly with status 1.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from ..version import __version__

PLAN_SUFFIXES = (".yaml", ".yml", ".json", ".toml")


def _split_codes(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _expand(paths: Sequence[str]) -> list[str]:
    """Files as given; a directory stands for the plan files directly inside it."""
    from ..network import expand_paths

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

    from ..io import load
    from ..readers import PlanReadWarning

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


class OneLineError(click.ClickException):
    """A refusal printed as one line on standard error (no "Error:" prefix, no usage), exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


def _silence_stdout() -> None:
    """Point standard output at the null device, so that nothing is retried at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real descriptor (a test runner's stream)
        pass
    except Exception:  # noqa: BLE001 - io.UnsupportedOperation and the like
        pass


class _Main(click.Group):
    """The ``techdiversity`` group: operating-system errors and missing optional parts as one line."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import MissingDependencyError
        from ..io import describe_os_error

        try:
            return super().invoke(ctx)
        except MissingDependencyError as exc:
            raise OneLineError(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader left (| head): end quietly, exit status 1
                _silence_stdout()
                sys.exit(1)
            if exc.filename is None:  # a write to standard output (files carry their name)
                _silence_stdout()
                raise OneLineError(describe_os_error(exc, "standard output: cannot write")) from None
            raise OneLineError(describe_os_error(exc)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except SystemExit as done:
            try:
                sys.stdout.flush()
            except BrokenPipeError:  # the reader left as the last output was flushed: the same
                _silence_stdout()
                if done.code in (0, None):
                    sys.exit(1)
            except OSError as exc:
                _silence_stdout()
                click.echo(f"standard output: cannot write: {exc.strerror or exc}", err=True)
                sys.exit(2)
            raise


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    from .. import plugins

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
    from ..checks import registry

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
    from ..checks import registry, run_checks
    from ..errors import PlanError

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

    from .. import plugins

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
    from ..checks import registry
    from ..docs import checks_markdown

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


def _is_regular_or_missing(path: str) -> bool:
    """True when ``path`` is (or links to) a regular file, or does not exist: a file ``-o`` would replace."""
    import stat

    from ..io import descriptor_of

    if descriptor_of(path) is not None:
        return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def _write_output(output: str | None, content: str | bytes, *, binary: bool, what: str) -> None:
    """Write a command's result: to standard output (no ``-o``, or ``-o -``), else atomically to the file.

    Binary content goes to standard output only when asked with ``-o -`` and it is not a
    terminal. Every file goes through :func:`techdiversity.io.atomic_write`, which writes
    through symbolic links, writes devices and FIFOs directly, and names the path in
    its errors.
    """
    from ..io import atomic_write

    if output is None or output == "-":
        if binary or isinstance(content, bytes):
            if output is None:
                raise click.UsageError(f"{what} is a binary format: name a file with -o (or -o - for a pipe)")
            if sys.stdout.isatty():
                raise click.UsageError(f"{what} is a binary format: -o - would print it on the terminal")
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        click.echo(content, nl=False)
        return
    atomic_write(output, content)
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--city", default="My City", show_default=True, help="The city the plan is for.")
@click.option("--id", "plan_id", default=None, help="The plan id (default: from the city name).")
@click.option("--country", default="EU", show_default=True, help="ISO 3166-1 alpha-2 code of the city's country.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"], case_sensitive=False),
    default=None,
    help="yaml (commented) or json; default: from the suffix of PATH (.yaml, .yml, .json), else yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def new(path: str | None, city: str, plan_id: str | None, country: str, fmt: str | None, force: bool) -> None:
    """Write a starter plan that passes 'check' (to PATH, or to standard output with no PATH or -)."""
    from ..starter import starter_plan

    to_file = path is not None and path != "-"
    if fmt is None and to_file:
        assert path is not None
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in (".yaml", ".yml", ".json") and not _is_regular_or_missing(path):
            suffix = ".yaml"  # /dev/stdout, a FIFO...: the commented YAML
        if suffix not in (".yaml", ".yml", ".json"):
            raise click.UsageError(
                f"cannot tell the format from {path!r}: name it .yaml, .yml or .json (or give --format)"
            )
        fmt = "json" if suffix == ".json" else "yaml"
    try:
        text = starter_plan(city=city, plan_id=plan_id, country=country, format=(fmt or "yaml").lower())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    regular = to_file and path is not None and _is_regular_or_missing(path)
    if regular and path is not None and os.path.lexists(path) and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite it")
    _write_output(path, text, binary=False, what="the plan")
    if regular:
        click.echo(f"edit it, then run 'techdiversity check {path}'", err=True)


def _scorecard_text(card: Any) -> str:
    from ..scorecard_text import scorecard_text

    return scorecard_text(card)


def _scorecard_markdown(card: Any) -> str:
    from ..scorecard_text import scorecard_markdown

    return scorecard_markdown(card)


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
    from ..errors import PlanError
    from ..io import load_assessment
    from ..plugins import all_rubrics as installed

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
    from ..errors import PlanError
    from ..io import load_assessment
    from ..plugins import all_rubrics
    from ..rubrics import ScoringContext, score_with

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
    scoring = ScoringContext(plan)  # one context: the checks run once for every rubric
    try:
        cards = [score_with(plan, rubrics[n], assessments, context=scoring) for n in names]
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
    from ..plugins import all_rubrics

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
                                "listens_to": [str(x) for x in c.listens_to],
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
    from ..scorecard_text import rubrics_text

    click.echo(rubrics_text(rubrics), nl=False)


@main.command("plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_plugins(fmt: str) -> None:
    """List installed plugins, their versions and what each adds; and any that failed."""
    from .. import plugins

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
    failed = [{"name": f.plugin, "reason": f.reason, "skipped": f.skipped} for f in plugins.failures()]
    if fmt == "json":
        click.echo(json.dumps({"plugins": rows, "failed": failed}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        added = "; ".join(f"{k}: {', '.join(v)}" for k, v in row["adds"].items() if v) or "nothing"
        click.echo(f"{row['name']} {row['version'] or '?'} ({row['distribution'] or 'local'}): {added}")
    for failure in plugins.failures():
        click.echo(f"FAILED: {failure}")


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
@click.option(
    "--to",
    "fmt",
    default=None,
    metavar="FORMAT",
    help="The export format, any case (see 'techdiversity exporters'); default: from the suffix of -o.",
)
@click.option("-o", "--output", default=None, metavar="FILE", help="The file to write; - or none: standard output.")
@click.option(
    "--rubric", "rubric_names", multiple=True, metavar="NAME", help="Rubrics for the scorecards (default all)."
)
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="An option of the exporter (repeatable).")
@click.option("--validate", is_flag=True, help="Check the output with the exporter's validator before writing it.")
def export(
    plan: str,
    fmt: str | None,
    output: str | None,
    rubric_names: tuple[str, ...],
    options: tuple[str, ...],
    validate: bool,
) -> None:
    """Export a plan (with its findings and scorecards) to another format, atomically.

    The format is --to, or else the suffix of -o (report.html: html). Exporters declare
    their options ('techdiversity exporters'); an unknown one or a bad value is refused.
    With --validate the output is checked first (IATI XML against the IATI 2.03 schema,
    which needs lxml) and nothing is written unless it passes.
    """
    from ..errors import PlanError
    from ..exporters import ExportOptionError, ExportValidationError, exporter_for_path, find_exporter, resolve_options
    from ..exporters import export as do_export

    try:
        if fmt is not None:
            exporter = find_exporter(fmt)
        elif output is not None and output != "-":
            exporter = exporter_for_path(output)
        else:
            from ..plugins import all_exporters

            names = ", ".join(e.name for e in all_exporters())
            raise click.UsageError(f"name the format with --to (one of: {names}) or a file with -o")
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None
    parsed = _parse_options(options)
    try:
        resolve_options(exporter, parsed)  # before the plan is read: a typo costs nothing
    except ExportOptionError as exc:
        raise click.UsageError(f"{exporter.name}: {exc}") from None
    if validate and exporter.validator is None:
        from ..plugins import all_exporters

        able = ", ".join(e.name for e in all_exporters() if e.validator is not None) or "none"
        raise click.UsageError(f"the {exporter.name} exporter has no validator (exporters with one: {able})")
    try:
        loaded = _load_plan(plan)
    except PlanError as exc:
        _print_diagnostics(exc)
        sys.exit(2)
    try:
        content = do_export(loaded, exporter.name, rubrics=rubric_names or None, options=parsed, validate=validate)
    except ExportValidationError as exc:
        where = output if output not in (None, "-") else "the output"
        click.echo(f"{where}: not written: the {exc.exporter} export does not validate:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except ValueError as exc:  # an exporter's refusal of an option or of the plan
        raise click.UsageError(f"{exporter.name}: {exc}") from None
    except Exception as exc:
        if exporter.plugin == "techdiversity" or isinstance(exc, OSError):
            raise
        from ..errors import MissingDependencyError

        if isinstance(exc, MissingDependencyError):
            raise
        raise OneLineError(
            f"techdiversity: the {exporter.name} exporter of plugin {exporter.plugin!r} failed:"
            f" {type(exc).__name__}: {exc}"
        ) from None
    _write_output(output, content, binary=exporter.binary, what=exporter.name)


@main.command("exporters")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_exporters(fmt: str) -> None:
    """List the export formats."""
    from ..plugins import all_exporters, all_readers

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
                    "options": None if e.options is None else [o.to_json() for o in e.options],
                    "validator": e.validator is not None,
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
    with_options = [e for e in exporters if e.options]
    if with_options:
        click.echo("\noptions (--option NAME=VALUE):")
        for e in with_options:
            assert e.options is not None
            for o in e.options:
                click.echo(f"  {e.name}: {o.describe()}")
    undeclared = [e.name for e in exporters if e.options is None]
    if undeclared:
        click.echo("\nexporters that declare no options (any --option is passed to them): " + ", ".join(undeclared))
    if readers:
        click.echo("\nreaders (importers): " + ", ".join(f"{r.name} ({' '.join(r.suffixes)})" for r in readers))


@main.command()
@click.option("--assessment", is_flag=True, help="The schema of assessment files instead of plan files.")
def schema(assessment: bool) -> None:
    """Print the JSON Schema of the plan format (for editors that validate and complete)."""
    from ..schema import assessment_schema, plan_schema

    doc = assessment_schema() if assessment else plan_schema()
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@main.command()
def lsp() -> None:
    """Run the language server for plan files on stdin/stdout (for editors; the 'lsp' extra)."""
    from .. import lsp as server

    if not server.available():
        click.echo(f"techdiversity: {server.MISSING}", err=True)
        sys.exit(2)
    server.serve()


def _add_commands() -> None:
    """Commands defined in their own modules (``COMMANDS`` of each), added to the group."""
    import importlib

    for name in ("network", "monitor", "diff"):
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
