"""One home per interchange format: its reading and its writing side by side.

- :mod:`~techdiversity.formats.yaml` and :mod:`~techdiversity.formats.json` read and
  write plan files; :mod:`~techdiversity.formats.toml` reads them (TOML is not written);
- :mod:`~techdiversity.formats.xlsx` (Excel workbooks) and
  :mod:`~techdiversity.formats.iati` (IATI activity XML) each declare their layout once,
  for their reader and their writer.

Each reader turns the file into plain Python data (dicts, lists, str, int, float, bool,
None) and a :class:`~techdiversity.sourcemap.SourceMap`; the converter then turns the
data into model objects. This module reads the text formats (:func:`read_text`); the
readers of the other formats reach :func:`techdiversity.load` through the plugin hooks,
as the built-in plugin's readers (:mod:`~techdiversity.formats.builtin`), and produce
the same pair. Their writers are registered as exporters (:mod:`techdiversity.exporters`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..errors import PlanError
from ..sourcemap import SourceMap

__all__ = ["MAX_BYTES", "TEXT_READERS", "decode", "detect_format", "read_text"]

#: The largest plan file read, in bytes (a plan of 100,000 actions is about 60 MB).
MAX_BYTES = 512 * 1024 * 1024

Reader = Callable[[str, "str | None"], "tuple[Any, SourceMap]"]


def _yaml(text: str, path: str | None) -> tuple[Any, SourceMap]:
    from .yaml import read_yaml

    return read_yaml(text, path)


def _json(text: str, path: str | None) -> tuple[Any, SourceMap]:
    from .json import read_json

    return read_json(text, path)


def _toml(text: str, path: str | None) -> tuple[Any, SourceMap]:
    from .toml import read_toml

    return read_toml(text, path)


TEXT_READERS: dict[str, Reader] = {"yaml": _yaml, "json": _json, "toml": _toml}

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


def detect_format(path: str | os.PathLike[str]) -> str | None:
    """The text format a file name suggests, or None."""
    return _SUFFIXES.get(os.path.splitext(os.fspath(path))[1].lower())


def decode(data: bytes, path: str | None) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), refusing binary files with a position."""
    if len(data) > MAX_BYTES:
        raise PlanError.at(path, 1, 1, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; is it a plan?")
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise PlanError.at(path, line, col, "this is a binary file (it holds NUL bytes), not a plan")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError.at(
            path, line, col, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None


def read_text(text: str, format: str, path: str | None = None) -> tuple[Any, SourceMap]:
    """Plain data and a source map from text in ``format`` (yaml, json or toml)."""
    try:
        reader = TEXT_READERS[format]
    except KeyError:
        raise PlanError.at(
            path, 1, 1, f"unknown format {format!r}: use one of {', '.join(sorted(TEXT_READERS))}"
        ) from None
    if not text.strip():
        raise PlanError.at(path, 1, 1, "the file is empty: a plan needs at least 'format: 1' and 'plan: {id: ...}'")
    return reader(text, path)
