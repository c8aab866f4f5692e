"""Kept so that code importing it goes on working: the IATI reader is :mod:`techdiversity.formats.iati.reader`."""

from .formats.iati.reader import MAX_DEPTH, READERS, read_iati

__all__ = ["MAX_DEPTH", "READERS", "read_iati"]
