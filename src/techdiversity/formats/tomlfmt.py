"""Kept so that code importing it goes on working: the TOML reader is :mod:`techdiversity.formats.toml`."""

from .toml import locate_toml, read_toml

__all__ = ["locate_toml", "read_toml"]
