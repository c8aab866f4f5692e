"""``techdiversity plugins`` and ``schema``: what is installed, and the JSON Schema of the format."""

from __future__ import annotations

import json
from typing import Any

import click

from .common import format_option

__all__ = ["COMMANDS"]


@click.command("plugins")
@format_option(["text", "json"])
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
    from .tables import DEFAULT_WIDTH, paragraph

    for row in rows:
        added = "; ".join(f"{k}: {', '.join(v)}" for k, v in row["adds"].items() if v) or "nothing"
        head = f"{row['name']} {row['version'] or '?'} ({row['distribution'] or 'local'}): "
        click.echo(paragraph(head + added, DEFAULT_WIDTH, "", "    "))
    for failure in plugins.failures():
        click.echo(paragraph(f"FAILED: {failure}", DEFAULT_WIDTH, "", "    "))


@click.command()
@click.option("--assessment", is_flag=True, help="The schema of assessment files instead of plan files.")
def schema(assessment: bool) -> None:
    """Print the JSON Schema of the plan format (for editors that validate and complete)."""
    from ..schema import assessment_schema, plan_schema

    doc = assessment_schema() if assessment else plan_schema()
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


COMMANDS = (
    list_plugins,
    schema,
)
