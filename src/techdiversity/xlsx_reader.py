"""Kept so that code importing it goes on working: the workbook reader is :mod:`techdiversity.formats.xlsx.reader`."""

from .formats.xlsx.reader import MAX_CELLS, MAX_MEMBERS, MAX_UNCOMPRESSED, READERS, read_xlsx

__all__ = ["MAX_CELLS", "MAX_MEMBERS", "MAX_UNCOMPRESSED", "READERS", "read_xlsx"]
