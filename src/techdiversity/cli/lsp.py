"""``techdiversity lsp``: the language server for plan files (the ``lsp`` extra)."""

from __future__ import annotations

import sys

import click

__all__ = ["COMMANDS"]


@click.command()
def lsp() -> None:
    """Run the language server for plan files on stdin/stdout (for editors; the 'lsp' extra)."""
    from .. import lsp as server

    if not server.available():
        click.echo(f"techdiversity: {server.MISSING}", err=True)
        sys.exit(2)
    server.serve()


COMMANDS = (lsp,)
