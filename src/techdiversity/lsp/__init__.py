"""The language server for plan files: ``techdiversity lsp`` (the ``lsp`` extra).

Editors talk to it over standard input and output with the Language Server Protocol:
diagnostics as you type (refusals and check findings, with their codes and a link to
each check's reference), completion of ids, keys and vocabulary values, hover, go to
definition, find references, rename, the outline and quick fixes. See the page
"Editor support" of the documentation for the set-up of VS Code, Neovim and Emacs.

The server needs pygls, installed with ``pip install 'techdiversity[lsp]'``; this
package can be imported without it, and :func:`available` says whether it is there.
"""

from __future__ import annotations

__all__ = ["MISSING", "available", "serve"]

#: What the command line says when pygls is not installed.
MISSING = "techdiversity lsp needs the 'lsp' extra: pip install 'techdiversity[lsp]'"


def available() -> bool:
    """True when pygls and lsprotocol can be imported."""
    try:
        import lsprotocol.types  # noqa: F401
        import pygls.lsp.server  # noqa: F401
    except ImportError:
        return False
    return True


def serve() -> None:
    """Run the language server on standard input and output (needs the ``lsp`` extra)."""
    from .server import serve as run

    run()
