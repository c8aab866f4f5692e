"""Kept so that code importing it goes on working: the JSON format is :mod:`techdiversity.formats.json`."""

from .json import dumps_json, locate_json, read_json

__all__ = ["dumps_json", "locate_json", "read_json"]
