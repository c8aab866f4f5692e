"""The budgets the IATI reader keeps to, in one place.

A real IATI activity file is large because it holds many activities, not because one
activity is large: the biggest published activities (a World Bank programme with
every transaction and result) hold some tens of thousands of elements and a few
megabytes of XML. The reader streams a file activity by activity, so its memory is
bounded by the largest activity; these budgets bound that activity, and the file, at
many times what real files need, so that a hostile file (megabytes of empty elements,
an endless text, a number of a million digits) is refused with a message that names
the budget instead of taking gigabytes.

The budgets every reader shares (nesting depth, digits of a number) come from
:mod:`techdiversity.limits`, so that they are set in one place; the ones here are the
IATI reader's own. They are plain module constants that the reader reads at the time it
parses (``limits.MAX_ELEMENTS_PER_ACTIVITY``), so a test or a caller may change them.
"""

from __future__ import annotations

from ... import limits as _shared

__all__ = [
    "MAX_ACTIVITIES_PER_FILE",
    "MAX_ACTIVITY_BYTES",
    "MAX_DEPTH",
    "MAX_ELEMENTS_PER_ACTIVITY",
    "MAX_ELEMENTS_PER_FILE",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_DIGITS",
    "READ_CHUNK",
]

#: Elements one ``iati-activity`` may hold (its own element included). Large real
#: activities hold about 20,000; each element read costs about 300 bytes of memory,
#: so this bounds one activity at about 60 MB.
MAX_ELEMENTS_PER_ACTIVITY = 200_000

#: Bytes of XML one ``iati-activity`` may span (from its start tag to its end tag).
#: Large real activities span a few megabytes.
MAX_ACTIVITY_BYTES = 64 * 1024 * 1024

#: Elements a whole file may hold. Streaming keeps memory flat whatever the file
#: holds; this bounds the time a file of nothing but empty elements can take.
MAX_ELEMENTS_PER_FILE = 50_000_000

#: Bytes a file may hold (the largest published IATI files are a few hundred megabytes).
MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024

#: Activities a file may hold (the largest publishers' files hold tens of thousands).
MAX_ACTIVITIES_PER_FILE = 1_000_000

#: The deepest element nesting accepted (an IATI activity file nests about 8 deep): the
#: depth every reader keeps to, :data:`techdiversity.limits.MAX_DEPTH`.
MAX_DEPTH = _shared.MAX_DEPTH

#: Digits a whole number in an IATI value may have: those of every reader,
#: :data:`techdiversity.limits.MAX_INT_DIGITS` (Python refuses to read longer ones; no
#: measured value needs more than 20).
MAX_NUMBER_DIGITS = _shared.MAX_INT_DIGITS

#: Bytes read from the file at a time while streaming.
READ_CHUNK = 1024 * 1024
