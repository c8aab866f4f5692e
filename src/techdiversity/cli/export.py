"""``techdiversity export`` and ``exporters``: a plan in another format, and the formats there are."""

from __future__ import annotations

import json
import sys

import click

from ..safetext import visible
from .common import (
    OneLineError,
    format_option,
    load_plan,
    output_option,
    parse_options,
    print_diagnostics,
    write_output,
)

__all__ = ["COMMANDS"]


@click.command()
@click.argument("plan", metavar="PLAN")
@click.option(
    "--to",
    "fmt",
    default=None,
    metavar="FORMAT",
    help="The export format, any case (see 'techdiversity exporters'); default: from the suffix of -o.",
)
@output_option()
@click.option(
    "--rubric", "rubric_names", multiple=True, metavar="NAME", help="Rubrics for the scorecards (default all)."
)
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="An option of the exporter (repeatable).")
@click.option("--validate", is_flag=True, help="Check the output with the exporter's validator before writing it.")
@click.option(
    "--activity",
    metavar="ID",
    default=None,
    help="For an IATI file of several activities: the iati-identifier (or number) of the one to export "
    "(as PLAN#ID does).",
)
def export(
    plan: str,
    fmt: str | None,
    output: str | None,
    rubric_names: tuple[str, ...],
    options: tuple[str, ...],
    validate: bool,
    activity: str | None,
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
    parsed = parse_options(options)
    try:
        resolve_options(exporter, parsed)  # before the plan is read: a typo costs nothing
    except ExportOptionError as exc:
        raise click.UsageError(f"{exporter.name}: {exc}") from None
    if validate and exporter.validator is None:
        from ..plugins import all_exporters

        able = ", ".join(e.name for e in all_exporters() if e.validator is not None) or "none"
        raise click.UsageError(f"the {exporter.name} exporter has no validator (exporters with one: {able})")
    try:
        loaded = load_plan(plan if activity is None else f"{plan}#{activity}")
    except PlanError as exc:
        print_diagnostics(exc)
        sys.exit(2)
    try:
        content = do_export(loaded, exporter.name, rubrics=rubric_names or None, options=parsed, validate=validate)
    except ExportValidationError as exc:
        where = output if output not in (None, "-") else "the output"
        click.echo(visible(f"{where}: not written: the {exc.exporter} export does not validate:"), err=True)
        for problem in exc.problems:
            click.echo(f"  {visible(problem)}", err=True)
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
    write_output(output, content, binary=exporter.binary, what=exporter.name)


@click.command("exporters")
@format_option(["text", "json"])
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
    from .tables import DEFAULT_WIDTH, paragraph, table

    rows = [(e.name, e.suffix, e.title, e.plugin) for e in exporters]
    click.echo(table(["name", "suffix", "title", "plugin"], rows, width=DEFAULT_WIDTH), nl=False)
    with_options = [e for e in exporters if e.options]
    if with_options:
        click.echo("\noptions (--option NAME=VALUE):")
        for e in with_options:
            assert e.options is not None
            for o in e.options:
                click.echo(paragraph(f"{e.name}: {o.describe()}", DEFAULT_WIDTH, "  ", "      "))
    undeclared = [e.name for e in exporters if e.options is None]
    if undeclared:
        text = "exporters that declare no options (any --option is passed to them): " + ", ".join(undeclared)
        click.echo("\n" + paragraph(text, DEFAULT_WIDTH, "", "  "))
    if readers:
        text = "readers (importers): " + ", ".join(f"{r.name} ({' '.join(r.suffixes)})" for r in readers)
        click.echo("\n" + paragraph(text, DEFAULT_WIDTH, "", "  "))


COMMANDS = (
    export,
    list_exporters,
)
