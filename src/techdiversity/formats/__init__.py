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

import codecs
import os
import re
from collections.abc import Callable
from typing import Any

from .. import limits
from ..errors import PlanError
from ..sourcemap import SourceMap

__all__ = ["MAX_BYTES", "TEXT_READERS", "decode", "detect_format", "read_text", "refuse_surrogates"]

#: The largest plan file read, in bytes (:data:`techdiversity.limits.MAX_BYTES`).
MAX_BYTES = limits.MAX_BYTES

#: Byte-order marks of the encodings other than UTF-8 (UTF-32 first: its little-endian
#: mark begins with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")

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
    """Bytes to text: UTF-8 (a BOM is allowed), refusing binary files and other encodings with a position."""
    if len(data) > MAX_BYTES:
        raise PlanError.at(
            path, 1, 1, f"the file is larger than {limits.mib(MAX_BYTES)} (the budget of a plan file); is it a plan?"
        )
    if data[:1] in (b"\xff", b"\xfe", b"\x00"):
        for bom, name in _BOMS:
            if data.startswith(bom):
                raise PlanError.at(
                    path, 1, 1, f"the file is {name} text (it starts with a {name} byte-order mark): save it as UTF-8"
                )
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


def refuse_surrogates(text: str, path: str | None) -> None:
    """Refuse a text that holds a lone surrogate (half of a UTF-16 pair, no character), at its place.

    Text decoded from a file holds none; a ``str`` made in a program can, and nothing
    could write it back out.
    """
    if text.isascii():
        return
    found = _SURROGATE.search(text)
    if found is None:
        return
    start = found.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    raise PlanError.at(
        path, line, col, f"a lone surrogate (\\u{ord(found.group()):04x}) in the text: it is no character; remove it"
    )


def read_text(text: str, format: str, path: str | None = None) -> tuple[Any, SourceMap]:
    """Plain data and a source map from text in ``format`` (yaml, json or toml).

    A lone surrogate in ``text`` is refused at its place.
    """
    refuse_surrogates(text, path)
    return read_decoded(text, format, path)


def read_decoded(text: str, format: str, path: str | None = None) -> tuple[Any, SourceMap]:
    """:func:`read_text` for text decoded from bytes (:func:`decode`), which holds no surrogate."""
    try:
        reader = TEXT_READERS[format]
    except KeyError:
        raise PlanError.at(
            path, 1, 1, f"unknown format {format!r}: use one of {', '.join(sorted(TEXT_READERS))}"
        ) from None
    if not text.strip():
        raise PlanError.at(path, 1, 1, "the file is empty: a plan needs at least 'format: 1' and 'plan: {id: ...}'")
    return reader(text, path)
