"""Loading and saving plans and assessments: the public reading and writing API."""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, TypeVar

from . import convert, formats
from ._gc import gc_paused
from .errors import PlanError
from .model import AssessmentFile, Plan
from .readers import PlanReadWarning

__all__ = [
    "atomic_write",
    "dump",
    "dumps",
    "load",
    "load_assessment",
    "loads",
    "loads_assessment",
    "read_data",
]

T = TypeVar("T")

#: Above this many characters, the garbage collector is paused while a file loads:
#: a load allocates millions of small objects that are all kept, so collections
#: during it find nothing to free and only cost time.
_GC_PAUSE_AT = 256 * 1024


def _gc_paused(size: int) -> contextlib.AbstractContextManager[None]:
    return gc_paused(size, _GC_PAUSE_AT)


def _read_bytes(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > formats.MAX_BYTES:
            raise PlanError.at(
                name, 1, 1, f"the file is larger than {formats.MAX_BYTES // (1024 * 1024)} MiB; is it a plan?"
            )
        with open(name, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        raise PlanError.at(name, None, None, "is a directory, not a plan file") from None
    except FileNotFoundError:
        raise PlanError.at(name, None, None, "no such file") from None
    except PermissionError:
        raise PlanError.at(name, None, None, "permission denied") from None
    except OSError as exc:
        raise PlanError.at(name, None, None, f"cannot read the file: {exc.strerror or exc}") from None
    return name, data


def _read_file(path: str | os.PathLike[str]) -> tuple[str, str]:
    name, data = _read_bytes(path)
    return name, formats.decode(data, name)


def _plugin_reader(name: str, format: str | None) -> Any:
    """The plugin reader for ``format`` (by name) or for the file's suffix, or None."""
    from .plugins import all_readers

    suffix = os.path.splitext(name)[1].lower()
    for reader in all_readers():
        if (format is not None and reader.name == format) or (format is None and suffix in reader.suffixes):
            return reader
    return None


def _format_of(name: str, format: str | None) -> str:
    if format is not None:
        return format
    fmt = formats.detect_format(name)
    if fmt is None:
        from .plugins import all_readers

        suffixes = [".yaml", ".yml", ".json", ".toml"] + [s for r in all_readers() for s in r.suffixes]
        raise PlanError.at(name, None, None, f"cannot tell the format from the file name: use {', '.join(suffixes)}")
    return fmt


def read_data(path: str | os.PathLike[str], format: str | None = None) -> tuple[Any, Any]:
    """The plain data of a file and its source map, before any model conversion."""
    name, text = _read_file(path)
    with _gc_paused(len(text)):
        return formats.read_text(text, _format_of(name, format), name)


def _load(path: str | os.PathLike[str], cl: type[T], format: str | None) -> T:
    name = os.fspath(path)
    if (format not in formats.TEXT_READERS and formats.detect_format(name) is None) or (
        format is not None and format not in formats.TEXT_READERS
    ):
        reader = _plugin_reader(name, format)
        if reader is not None:
            _, content = _read_bytes(name)
            with _gc_paused(len(content)):
                result = reader.function(content, name)
                for note in result.notes:
                    warnings.warn(PlanReadWarning(note), stacklevel=3)
                return convert.structure_data(result.data, cl, result.source)
    name, text = _read_file(path)
    fmt = _format_of(name, format)
    with _gc_paused(len(text)):
        data, smap = formats.read_text(text, fmt, name)
        return convert.structure_data(data, cl, smap)


def load(path: str | os.PathLike[str], format: str | None = None) -> Plan:
    """Read a plan file (YAML, JSON or TOML, from its suffix unless ``format`` is given).

    Files of other formats (Excel, IATI XML) are read by the reader plugins; what such
    a reader could not map is reported as :class:`~techdiversity.readers.PlanReadWarning`.
    Raises :class:`~techdiversity.PlanError` listing every problem with its place.
    """
    return _load(path, Plan, format)


def loads(text: str, format: str = "yaml", path: str | None = None) -> Plan:
    """Read a plan from text; ``path`` only names the source in messages."""
    with _gc_paused(len(text)):
        data, smap = formats.read_text(text, format, path)
        return convert.structure_data(data, Plan, smap)


def load_assessment(path: str | os.PathLike[str], format: str | None = None) -> AssessmentFile:
    """Read an assessment file (scores given by a person)."""
    return _load(path, AssessmentFile, format)


def loads_assessment(text: str, format: str = "yaml", path: str | None = None) -> AssessmentFile:
    """Read an assessment from text."""
    data, smap = formats.read_text(text, format, path)
    return convert.structure_data(data, AssessmentFile, smap)


def dumps(obj: Plan | AssessmentFile, format: str = "yaml") -> str:
    """A plan (or assessment) as YAML or JSON text that loads back equal."""
    data = convert.unstructure(obj)
    if format == "yaml":
        from .formats.yamlfmt import dumps_yaml

        return dumps_yaml(data)
    if format == "json":
        from .formats.jsonfmt import dumps_json

        return dumps_json(data)
    raise ValueError(f"cannot write {format!r}: use yaml or json")


def atomic_write(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write a file completely or not at all: a temporary file beside it, then a rename."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def dump(obj: Plan | AssessmentFile, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write a plan to a file atomically, in the format its suffix names (yaml or json)."""
    fmt = format or formats.detect_format(path)
    if fmt not in ("yaml", "json"):
        raise ValueError(
            f"cannot write {os.fspath(path)!r} as {fmt or 'an unknown format'}: use a .yaml, .yml or .json name"
            " (or export other formats with techdiversity.exporters.export)"
        )
    atomic_write(path, dumps(obj, fmt))
