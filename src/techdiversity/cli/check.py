"""``techdiversity check`` and ``checks``: the coherence of plans, and the checks with their docs."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from typing import Any

import click

from .common import (
    batch_executor,
    expand,
    format_option,
    ignore_option,
    jobs_option,
    load_plan,
    map_files,
    progress_results,
    scheduler_option,
    select_option,
    split_codes,
)

__all__ = ["COMMANDS"]


@click.command()
@click.argument("plans", nargs=-1, required=True, metavar="PLAN...")
@format_option(["text", "json"], help="Output format; json is the documented machine-readable report.")
@select_option()
@ignore_option()
@click.option(
    "--quiet", "-q", is_flag=True, help="Text format: print findings only, no summary line and no notes of readers."
)
@jobs_option()
@scheduler_option()
def check(
    plans: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    jobs: int,
    scheduler: str | None,
) -> None:
    """Check the coherence of one or more plans (files or directories of plan files).

    Prints one line per finding: path:line:col: CODE severity message. Results are
    written as each file is done, in the order given, so memory stays flat over
    thousands of files; --jobs spreads the files over processes, --scheduler over a
    dask.distributed cluster.
    """
    from ..checks import registry
    from .common import QUIET_NOTES

    if quiet:
        QUIET_NOTES["quiet"] = True
    sel, ign = split_codes(select), split_codes(ignore)
    known = registry()
    for code in (*sel, *ign):
        if not any(c.code.startswith(code) or c.name == code for c in known):
            raise click.UsageError(f"{code!r} matches no check code or name (see 'techdiversity checks')")
    files = expand(plans)
    if not files:
        raise click.UsageError("no plan files found in " + ", ".join(plans))
    unreadable: list[dict[str, Any]] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    checked = 0
    with batch_executor(scheduler, jobs) as executor:  # a cluster is reached before anything is printed
        if fmt == "json":
            click.echo('{\n  "plans": [', nl=False)
        results = map_files(_check_file, files, (sel, ign, fmt), jobs, executor)
        for result in progress_results(results, len(files), "Checking plans"):
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
    from ..safetext import visible

    sel, ign, fmt = settings
    stderr: list[str] = []
    # one activity of an IATI file of several (path#ID): its lines name it, for the file's
    # lines and columns alone do not say which activity a line is about
    _, hash_, activity = path.partition("#")
    mark = f" [activity {visible(activity)}]" if hash_ and not os.path.exists(path) else ""
    try:
        plan = load_plan(path, stderr)
    except PlanError as exc:
        return {
            "stderr": stderr + [str(d) + mark for d in exc.diagnostics],
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
        out["lines"] = [(str(f) if f.location else f"{visible(path)}: {f}") + mark for f in report]
    else:
        entry = report.to_json()
        entry["path"] = path
        out["entry"] = entry
    return out


@click.command("checks")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@format_option(["text", "json", "markdown"])
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
        from .tables import DEFAULT_WIDTH, table

        rows = [(c.code, c.severity, c.name, c.title) for c in chosen]
        click.echo(table(["code", "severity", "name", "title"], rows, width=DEFAULT_WIDTH), nl=False)


COMMANDS = (
    check,
    list_checks,
)
