"""``techdiversity new``: a starter plan that passes ``check``, as commented YAML or as JSON."""

from __future__ import annotations

import os

import click

from .common import format_option, is_regular_or_missing, write_output

__all__ = ["COMMANDS"]


@click.command()
@click.argument("path", required=False, metavar="[PATH]")
@click.option("--city", default="My City", show_default=True, help="The city the plan is for.")
@click.option("--id", "plan_id", default=None, help="The plan id (default: from the city name).")
@click.option("--country", default="EU", show_default=True, help="ISO 3166-1 alpha-2 code of the city's country.")
@format_option(
    ["yaml", "json"],
    default=None,
    case_sensitive=False,
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
        if suffix not in (".yaml", ".yml", ".json") and not is_regular_or_missing(path):
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
    regular = to_file and path is not None and is_regular_or_missing(path)
    if regular and path is not None and os.path.lexists(path) and not force:
        raise click.UsageError(f"{path} exists; use --force to overwrite it")
    write_output(path, text, binary=False, what="the plan")
    if regular:
        click.echo(f"edit it, then run 'techdiversity check {path}'", err=True)


COMMANDS = (new,)
