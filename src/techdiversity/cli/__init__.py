"""The command line: ``techdiversity check``, ``checks``, ``new``...

Thin by design: every command is a call into the public API. Exit status: 0 when
all is well, 1 when a check found an error, 2 when a file could not be read or
written, an optional part is missing, or the command was used wrongly (one line on
standard error, never a traceback). A broken pipe (``techdiversity checks | head -1``)
ends quietly with status 1; Ctrl-C ends the run with status 130.
"""

from __future__ import annotations

import click

from ..version import __version__
from . import check, diff, export, lsp, monitor, network, new, plugins, score
from .common import MainGroup

__all__ = ["main"]


@click.group(cls=MainGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="techdiversity")
@click.option("--no-plugins", is_flag=True, help="Do not load third-party plugins (built-ins still load).")
@click.option(
    "--disable-plugin",
    "disabled",
    multiple=True,
    metavar="NAME",
    help="Do not load the plugin NAME (repeatable).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Do not print the notes of readers (what an IATI or Excel file held that was kept, approximated or "
    "not imported).",
)
@click.option(
    "--follow-symlinks",
    is_flag=True,
    help="In a folder named on the command line, also read symbolic links to files outside it.",
)
def main(no_plugins: bool, disabled: tuple[str, ...], quiet: bool, follow_symlinks: bool) -> None:
    """Integrated Action Plans of URBACT cities as data: check, score and export them."""
    from .. import plugins as host
    from ..limits import FOLLOW_SYMLINKS
    from .common import QUIET_NOTES

    QUIET_NOTES["quiet"] = quiet
    host.configure(autoload=not no_plugins, disabled=disabled)
    FOLLOW_SYMLINKS["default"] = follow_symlinks


for _module in (check, new, score, plugins, export, lsp, monitor, network, diff):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
