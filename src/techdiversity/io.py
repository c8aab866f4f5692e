"""Loading and saving plans and assessments: the public reading and writing API."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from typing import Any, TypeVar

from . import convert, formats, limits, registered
from .errors import PlanError
from .gcpause import paused_for_text
from .model import AssessmentFile, Plan
from .readers import PlanReadWarning, ReadResult

__all__ = [
    "atomic_write",
    "describe_os_error",
    "dump",
    "dumps",
    "load",
    "load_assessment",
    "loads",
    "loads_assessment",
    "read_data",
]

T = TypeVar("T")


_NOT_FILES = (
    (stat.S_ISFIFO, "is a FIFO (a named pipe), not a plan file"),
    (stat.S_ISCHR, "is a device, not a plan file"),
    (stat.S_ISBLK, "is a device, not a plan file"),
    (stat.S_ISSOCK, "is a socket, not a plan file"),
)


def _too_big(name: str) -> PlanError:
    return PlanError.at(
        name,
        1,
        1,
        f"the file is larger than {limits.mib(formats.MAX_BYTES)} (the budget of a plan file); is it a plan?",
    )


def _read_bytes(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """The bytes of a regular file, at most :data:`~techdiversity.limits.MAX_BYTES` of them.

    A FIFO, a device or a socket is refused (it is opened without blocking, so a FIFO
    with no writer cannot hang the reader), and the budget is counted while reading,
    not taken from the size the file claims: ``/proc`` files claim none.
    """
    name = os.fspath(path)
    budget = formats.MAX_BYTES
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", buffering=0) as fh:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
            for test, what in _NOT_FILES:
                if test(info.st_mode):
                    raise PlanError.at(name, None, None, what)
            if info.st_size > budget:
                raise _too_big(name)
            chunks: list[bytes] = []
            total = 0
            want = info.st_size + 1
            while True:
                chunk = fh.read(want)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > budget:
                    raise _too_big(name)
                want = min(1 << 20, budget + 1 - total)
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
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
    suffix = os.path.splitext(name)[1].lower()
    for reader in registered.readers():
        if (format is not None and reader.name == format) or (format is None and suffix in reader.suffixes):
            return reader
    return None


def _run_reader(reader: Any, content: bytes, name: str) -> ReadResult:
    """What a reader plugin made of a file, checked: a refusal naming the plugin when it misbehaved.

    The built-in readers are trusted; another plugin's reader that raises (anything but
    :class:`PlanError`), calls ``sys.exit()``, or returns something that is not a
    :class:`ReadResult` of plain data, is reported on stderr and the file refused.
    """
    if reader.plugin == "techdiversity":
        result: ReadResult = reader.function(content, name)
        return result
    label = f"the reader {reader.name!r} of plugin {reader.plugin!r}"
    try:
        got = reader.function(content, name)
    except PlanError:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a plugin must not take the host down
        what = f"called sys.exit({exc.code!r})" if isinstance(exc, SystemExit) else f"raised {type(exc).__name__}"
        why = f"{what}: {exc}"
    else:
        wrong = _wrong_result(got)
        if wrong is None:
            checked: ReadResult = got
            return checked
        why = wrong
    registered.report_failure(reader.plugin, why, f"its reader {reader.name!r}")
    raise PlanError.at(name, None, None, f"cannot be read: {label} failed ({why})")


_PLAIN = (str, int, float, bool, type(None))


def _wrong_result(got: object) -> str | None:
    """Why a reader's result is not a ReadResult of plain data, or None."""
    from .errors import Diagnostic
    from .sourcemap import SourceMap

    if not isinstance(got, ReadResult):
        return f"it returned {type(got).__name__}, not a ReadResult"
    if not isinstance(got.source, SourceMap):
        return f"its source map is {type(got.source).__name__}, not a SourceMap"
    if not isinstance(got.notes, tuple) or not all(isinstance(n, Diagnostic) for n in got.notes):
        return "its notes are not a tuple of Diagnostic"
    # depth first; a list or mapping met again is checked once (sharing is fine, a cycle is not)
    stack: list[tuple[Any, bool]] = [(got.data, True)]
    done: set[int] = set()
    path: set[int] = set()
    while stack:
        value, entering = stack.pop()
        if not entering:
            path.discard(id(value))
            done.add(id(value))
            continue
        if isinstance(value, (dict, list)):
            if id(value) in path:
                return "its data holds a list or mapping inside itself"
            if id(value) in done:
                continue
            path.add(id(value))
            stack.append((value, False))
            if isinstance(value, dict):
                if not all(isinstance(k, str) for k in value):
                    return "its data has a key that is not text"
                stack.extend((k, True) for k in value)
                stack.extend((v, True) for v in value.values())
            else:
                stack.extend((v, True) for v in value)
        elif isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                return "its data holds a lone surrogate (no character) in a text"
        elif not isinstance(value, _PLAIN):
            return f"its data holds {type(value).__name__}, not plain data (dicts, lists, text, numbers)"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _format_of(name: str, format: str | None) -> str:
    if format is not None:
        return format
    fmt = formats.detect_format(name)
    if fmt is None:
        suffixes = [".yaml", ".yml", ".json", ".toml"] + [s for r in registered.readers() for s in r.suffixes]
        raise PlanError.at(name, None, None, f"cannot tell the format from the file name: use {', '.join(suffixes)}")
    return fmt


def read_data(path: str | os.PathLike[str], format: str | None = None) -> tuple[Any, Any]:
    """The plain data of a file and its source map, before any model conversion."""
    name, text = _read_file(path)
    with paused_for_text(len(text)):
        return formats.read_decoded(text, _format_of(name, format), name)


def _load(path: str | os.PathLike[str], cl: type[T], format: str | None) -> T:
    name = os.fspath(path)
    if (format not in formats.TEXT_READERS and formats.detect_format(name) is None) or (
        format is not None and format not in formats.TEXT_READERS
    ):
        reader = _plugin_reader(name, format)
        if reader is not None:
            _, content = _read_bytes(name)
            with paused_for_text(len(content)):
                result = _run_reader(reader, content, name)
                for note in result.notes:
                    warnings.warn(PlanReadWarning(note), stacklevel=3)
                return convert.structure_data(result.data, cl, result.source)
    name, text = _read_file(path)
    fmt = _format_of(name, format)
    with paused_for_text(len(text)):
        data, smap = formats.read_decoded(text, fmt, name)
        return convert.structure_data(data, cl, smap)


def _activity_path(name: str) -> tuple[str, str] | None:
    """``("file.xml", "ID")`` for ``file.xml#ID`` when no file has the whole name but ``file.xml`` exists."""
    if "#" not in name or os.path.lexists(name):
        return None
    at = name.find("#")
    while at != -1:
        if os.path.isfile(name[:at]):
            return name[:at], name[at + 1 :]
        at = name.find("#", at + 1)
    return None


def load(path: str | os.PathLike[str], format: str | None = None, *, activity: str | None = None) -> Plan:
    """Read a plan file (YAML, JSON or TOML, from its suffix unless ``format`` is given).

    Files of other formats (Excel, IATI XML) are read by the reader plugins; what such
    a reader could not map is reported as :class:`~techdiversity.readers.PlanReadWarning`.
    An IATI file of several activities holds one plan per activity: ``activity`` names
    the one to read by its ``iati-identifier`` (or its number), as does the path
    ``file.xml#IDENTIFIER``. Raises :class:`~techdiversity.PlanError` listing every
    problem with its place.
    """
    name = os.fspath(path)
    if activity is None:
        split = _activity_path(name)
        if split is not None:
            name, activity = split
    if activity is not None:
        from .formats.iati.reader import read_iati_activity

        result = read_iati_activity(name, activity)
        for note in result.notes:
            warnings.warn(PlanReadWarning(note), stacklevel=2)
        return convert.structure_data(result.data, Plan, result.source)
    return _load(path, Plan, format)


def loads(text: str, format: str = "yaml", path: str | None = None) -> Plan:
    """Read a plan from text; ``path`` only names the source in messages."""
    with paused_for_text(len(text)):
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
        from .formats.yaml import dumps_yaml

        return dumps_yaml(data)
    if format == "json":
        from .formats.json import dumps_json

        return dumps_json(data)
    raise ValueError(f"cannot write {format!r}: use yaml or json")


#: Paths that stand for a file descriptor of this process: written through the descriptor.
_FD_PATH = re.compile(r"/dev/(?:fd/(?P<fd>\d+)|std(?P<std>in|out|err))|/proc/(?P<pid>self|\d+)/fd/(?P<pfd>\d+)")
_STD = {"in": 0, "out": 1, "err": 2}


def descriptor_of(name: str) -> int | None:
    """The descriptor a path such as ``/dev/stdout`` or ``/proc/self/fd/3`` stands for, or None."""
    match = _FD_PATH.fullmatch(os.path.normpath(name))
    if match is None:
        return None
    if match["std"]:
        return _STD[match["std"]]
    if match["fd"]:
        return int(match["fd"])
    if match["pid"] not in ("self", str(os.getpid())):
        return None
    return int(match["pfd"])


class _Terminated(BaseException):
    """SIGTERM (or SIGHUP) arrived while a temporary file existed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_FATAL_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """While it lasts, a signal that would kill the process outright raises :class:`_Terminated`.

    Only signals left at their default (kill) are taken over, and only in the main
    thread: a program that handles them keeps its own handler. Ctrl-C raises
    KeyboardInterrupt anyway. The caller removes its temporary file, then the process
    dies of the signal as it would have (so its parent sees the same exit status).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken: dict[int, Any] = {}

    def handler(signum: int, _frame: Any) -> None:
        raise _Terminated(signum)

    try:
        for signum in _FATAL_SIGNALS:
            if signal.getsignal(signum) is signal.SIG_DFL:
                taken[signum] = signal.signal(signum, handler)
        yield
    finally:
        for signum, previous in taken.items():
            signal.signal(signum, previous)


def _named(exc: OSError, name: str) -> OSError:
    """The same error, naming the path the caller gave (not a temporary file)."""
    renamed = OSError(exc.errno, exc.strerror or str(exc), name)
    renamed.__cause__ = exc
    return renamed


def _write_descriptor(fd: int, data: bytes, name: str) -> None:
    stream = {1: sys.stdout, 2: sys.stderr}.get(fd)
    if stream is not None:
        with contextlib.suppress(Exception):  # keep what was already printed in order
            stream.flush()
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _named(exc, name) from exc


def atomic_write(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write a file completely or not at all: a temporary file beside it, then a rename.

    - A symbolic link is written through: the file it points to is replaced, and the
      link stays a link.
    - A target that is not a regular file (``/dev/null``, a FIFO, a terminal, or a
      path such as ``/dev/stdout`` that stands for a descriptor) is written to
      directly, and never replaced by a regular file.
    - A file that exists keeps its permissions; one that cannot be written is refused.
    - Every failure is an :class:`OSError` naming ``path`` as given, with the reason
      (:func:`describe_os_error` puts both in one line); nothing is left behind: the
      temporary file is removed on an error, on Ctrl-C, and on SIGTERM, after which
      the process ends as SIGTERM would have ended it.
    """
    name = os.fspath(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = descriptor_of(name)
    if fd is not None:
        _write_descriptor(fd, data, name)
        return
    real = os.path.realpath(name)  # through symbolic links (a dangling one: where it points)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _named(exc, name) from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:
            with open(real, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _named(exc, name) from exc
        return
    if info is not None and not os.access(real, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
    directory = os.path.dirname(real) or "."
    target = os.path.basename(real)
    with _cleanup_on_signals():
        tmp: str | None = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target}.", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if info is not None:
                mode = info.st_mode & 0o7777
            else:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, real)
            tmp = None
        except BaseException as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            if isinstance(exc, _Terminated):  # cleaned up: now end as the signal would have
                signal.signal(exc.signum, signal.SIG_DFL)
                os.kill(os.getpid(), exc.signum)
            if isinstance(exc, OSError):
                raise _named(exc, name) from exc
            raise


def describe_os_error(exc: OSError, what: str = "cannot write") -> str:
    """One line for a user: ``path: cannot write: reason`` (with the folder when it is the cause)."""
    name = exc.filename if isinstance(exc.filename, str) else None
    reason = exc.strerror or str(exc)
    if name is None:
        return f"{what}: {reason}"
    parent = os.path.dirname(name) or "."
    if exc.errno == errno.ENOENT and not os.path.isdir(parent):
        reason += f" (the folder {parent} does not exist)"
    elif exc.errno == errno.ENOTDIR:
        reason += f" ({_first_non_folder(parent)} is not a folder)"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and os.path.isdir(parent):
        reason += f" (in the folder {parent})"
    return f"{name}: {what}: {reason}"


def _first_non_folder(path: str) -> str:
    """The first part of ``path`` that exists but is not a folder (or ``path`` itself)."""
    parts = os.path.normpath(path).split(os.sep)
    for i in range(1, len(parts) + 1):
        prefix = os.sep.join(parts[:i]) or os.sep
        if os.path.exists(prefix) and not os.path.isdir(prefix):
            return prefix
    return path


def dump(obj: Plan | AssessmentFile, path: str | os.PathLike[str], format: str | None = None) -> None:
    """Write a plan to a file atomically, in the format its suffix names (yaml or json)."""
    fmt = format or formats.detect_format(path)
    if fmt not in ("yaml", "json"):
        raise ValueError(
            f"cannot write {os.fspath(path)!r} as {fmt or 'an unknown format'}: use a .yaml, .yml or .json name"
            " (or export other formats with techdiversity.exporters.export)"
        )
    atomic_write(path, dumps(obj, fmt))
