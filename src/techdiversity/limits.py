"""Every budget the readers keep, in one place.

A plan file comes from people, and sometimes from people who mean harm: a file can be
a device that never ends, a zip archive that unpacks a thousand times its size, an
alias bomb, a number with a million digits. Each reader stops at a budget named here,
checked while it reads (not only from what a file claims about itself), and refuses
past it with a :class:`~techdiversity.PlanError` whose message names the budget. The
budgets are far above what a real plan needs: a plan of 100,000 actions (far more
than any city writes) is about 60 MB of YAML and stays within every one of them.

``docs/security.md`` lists them for users; a test keeps that page in step with this
module.
"""

from __future__ import annotations

__all__ = [
    "MAX_ALIAS_NODES_MIN",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_QUOTED",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_MEMBERS",
    "MAX_XLSX_SHARED_STRINGS",
    "MAX_XLSX_UNCOMPRESSED",
    "mib",
]

#: The largest plan file read, in bytes, counted while reading (a device or a FIFO
#: that sends more is refused once it has); a plan of 100,000 actions is about 60 MB.
MAX_BYTES = 512 * 1024 * 1024

#: How deep mappings and lists may nest in a YAML, JSON or TOML plan (a plan needs six).
MAX_DEPTH = 64

#: Values that YAML aliases may add beyond those written out, at the least (the budget
#: is this, or the number of values written out when that is more).
MAX_ALIAS_NODES_MIN = 10_000

#: The most digits an integer may have (Python's own limit for turning text into an
#: integer; no count, year or amount in a plan comes near it).
MAX_INT_DIGITS = 4300

#: The most characters of a cell of a workbook: Excel's own limit. A longer text is
#: written over several cells (the Continued sheet) and read back whole.
MAX_CELL_CHARS = 32_767

#: The most bytes the parts of an Excel workbook may unpack to, all together.
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024

#: The most parts (files) the zip archive of a workbook may hold.
MAX_XLSX_MEMBERS = 10_000

#: The most cells (empty ones in between included) read from all sheets of a workbook.
MAX_XLSX_CELLS = 10_000_000

#: The most entries of a workbook's shared-string table (each distinct text of the
#: workbook is one; the workbook of a plan of 100,000 actions has about 700,000).
MAX_XLSX_SHARED_STRINGS = 2_000_000

#: The most characters of user text that an error message quotes; the rest is cut
#: (with ``…``), so that a message stays one readable line.
MAX_QUOTED = 80


def mib(size: int) -> str:
    """A budget in bytes as people read it: ``512 MiB``."""
    return f"{size // (1024 * 1024)} MiB"


#: Whether a folder's symbolic links to places outside it are followed when no caller says
#: (the command line's ``--follow-symlinks`` sets it).
FOLLOW_SYMLINKS = {"default": False}
