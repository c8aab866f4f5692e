"""Kept so that code importing it goes on working: the YAML format is :mod:`techdiversity.formats.yaml`."""

from .yaml import MAX_DEPTH, dumps_yaml, read_yaml

__all__ = ["MAX_DEPTH", "dumps_yaml", "read_yaml"]
