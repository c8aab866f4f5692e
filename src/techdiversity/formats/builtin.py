"""The readers of other formats that ship with the library, for the built-in plugin."""

from __future__ import annotations

from ..readers import Reader

__all__ = ["builtin_readers"]


def builtin_readers() -> tuple[Reader, ...]:
    """The Excel workbook reader, then the IATI activity XML reader."""
    from .iati.reader import READERS as IATI
    from .xlsx.reader import READERS as XLSX

    return (*XLSX, *IATI)
