"""``techdiversity diff OLD NEW``: what changed between two versions of a plan."""

from __future__ import annotations

import json
import sys

import click

from .common import format_option, load_plan, print_diagnostics

__all__ = ["COMMANDS", "diff_command"]


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@format_option(["text", "json"], help="Output format.")
def diff_command(old: str, new: str, fmt: str) -> None:
    """Show what changed from OLD to NEW, by id.

    Things added, removed and changed (field by field, old and new values), links
    added, removed or moved (A3 now contributes to SO2 instead of SO1), plan-level
    changes, and the findings that appeared or were resolved. Exit status 0; 2 when a
    file cannot be read.
    """
    from ..diff import diff
    from ..errors import PlanError

    plans = []
    failed = False
    for path in (old, new):
        try:
            plans.append(load_plan(path))
        except PlanError as exc:
            print_diagnostics(exc)
            failed = True
    if failed:
        sys.exit(2)
    result = diff(plans[0], plans[1])
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(result.to_text(), nl=False)


COMMANDS = (diff_command,)
