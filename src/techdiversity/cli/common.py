"""What the commands share: their options, declared once, and the helpers every command uses.

The options that several commands take (``--format``, ``--select``, ``--ignore``,
``--jobs``, ``-o``) are declared here once, each as a decorator; the helpers load a plan
(reporting what an importer could not map), print a refused file's problems, write a
result (atomically, or to standard output), spread files over processes and show a
progress bar on a terminal. :class:`MainGroup` turns operating-system errors and
missing optional parts into one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = [
    "MainGroup",
    "OneLineError",
    "batch_executor",
    "expand",
    "format_option",
    "ignore_option",
    "jobs_option",
    "load_plan",
    "map_files",
    "output_option",
    "parse_options",
    "print_diagnostics",
    "progress",
    "progress_results",
    "scheduler_option",
    "select_option",
    "split_codes",
    "write_output",
]

F = TypeVar("F", bound=Callable[..., Any])

# ---------------------------------------------------------------------------
# Shared options


_FIRST = object()


def format_option(
    choices: Sequence[str], *, help: str | None = None, default: Any = _FIRST, case_sensitive: bool = True
) -> Callable[[F], F]:
    """``--format``: one of ``choices``; by default the first (``text``), shown in the help."""
    first = default is _FIRST
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices), case_sensitive=case_sensitive),
        default=choices[0] if first else default,
        show_default=first,
        help=help,
    )


def select_option() -> Callable[[F], F]:
    """``--select``: check codes, code prefixes or names (repeatable, comma-separated)."""
    return click.option(
        "--select", multiple=True, metavar="CODES", help="Only these codes, prefixes or names (comma-separated)."
    )


def ignore_option() -> Callable[[F], F]:
    """``--ignore``: check codes, code prefixes or names to leave out."""
    return click.option("--ignore", multiple=True, metavar="CODES", help="Leave out these codes, prefixes or names.")


def jobs_option() -> Callable[[F], F]:
    """``--jobs``/``-j``: processes to spread files over (0: one per core)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=0),
        default=1,
        show_default=True,
        help="Processes to use (0: one per core).",
    )


def scheduler_option() -> Callable[[F], F]:
    """``--scheduler``: the address of a dask.distributed scheduler to run the batch on (the ``dask`` extra)."""
    return click.option(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="Run the batch on this dask.distributed cluster (tcp://host:8786; the 'dask' extra).",
    )


def output_option() -> Callable[[F], F]:
    """``-o``/``--output``: the file to write (``-`` or none: standard output)."""
    return click.option(
        "-o", "--output", default=None, metavar="FILE", help="The file to write; - or none: standard output."
    )


# ---------------------------------------------------------------------------
# Plans in, results out


def split_codes(values: Iterable[str]) -> tuple[str, ...]:
    """The codes of repeated, comma-separated ``--select``/``--ignore`` values."""
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def expand(paths: Sequence[str]) -> list[str]:
    """Files as given; a directory stands for the plan files directly inside it, and an IATI
    file of several activities for each of its activities (``path#IDENTIFIER``).

    A directory's symbolic links out of it are left out (said on stderr) unless the
    command line was given ``--follow-symlinks``.
    """
    if not any(os.path.isdir(p) or p.lower().endswith(".xml") for p in paths):
        return list(paths)  # plan files only: as given, without importing the network
    from ..network import expand_paths
    from ..safetext import visible

    skipped: list[str] = []
    files = expand_paths(paths, skipped=skipped)
    for name in skipped:
        click.echo(
            visible(f"{name}: a symbolic link out of the folder, not read (--follow-symlinks reads it)"), err=True
        )
    return files


def progress(items: Sequence[str], label: str) -> Iterator[str]:
    """Items, with a progress bar on stderr when stderr is a terminal and the batch is long."""
    if len(items) < 2 or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def print_diagnostics(exc: Any) -> None:
    """The problems of a refused file (a :class:`~techdiversity.PlanError`), one line each on stderr."""
    for diag in exc.diagnostics:
        click.echo(str(diag), err=True)


#: True when the notes of readers are not to be shown (``techdiversity -q``, ``check -q``).
QUIET_NOTES = {"quiet": False}


def load_plan(path: str, notes: list[str] | None = None) -> Any:
    """Load a plan; notes of importers (what they kept, approximated or did not import)
    go to stderr, or to ``notes``; none with ``-q``."""
    import warnings

    from ..io import load
    from ..readers import PlanReadWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanReadWarning)
        plan = load(path)
    for w in caught:
        if isinstance(w.message, PlanReadWarning):
            if QUIET_NOTES["quiet"]:
                continue
            line = str(w.message.diagnostic)
            if not any(word in line for word in ("(kept)", "(approximated)", "not imported")):
                line += " (not imported)"  # a reader that does not say: its notes are of what it left out
            if notes is None:
                click.echo(line, err=True)
            else:
                notes.append(line)
        else:  # pragma: no cover - other warnings pass through
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    return plan


def map_files(
    function: Callable[..., dict[str, Any]],
    files: Sequence[str],
    settings: Any,
    jobs: int,
    executor: Executor | None = None,
) -> Iterator[dict[str, Any]]:
    """``function(file, settings)`` for every file, in order, as they are done.

    Over ``jobs`` processes when > 1, or on ``executor`` (:func:`batch_executor`):
    see :func:`techdiversity.batch.ordered_map`.
    """
    if executor is None and (jobs == 1 or len(files) < 2):  # one process: no pool imported
        for path in files:
            yield function(path, settings)
        return
    from ..batch import ordered_map

    yield from ordered_map(function, files, settings, jobs=jobs, executor=executor)


#: What ``--scheduler`` says when dask.distributed is not installed.
DASK_INSTALL = "pip install 'techdiversity[dask]'"


def _one_line(text: str, limit: int = 300) -> str:
    """Text for one line of stderr: the first line, cut at ``limit``, other controls escaped."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) > limit:
        first = first[:limit] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in first)


@contextlib.contextmanager
def batch_executor(scheduler: str | None, jobs: int) -> Iterator[Executor | None]:
    """The executor of ``--scheduler``: a dask.distributed client's, closed at the end; ``None`` without one.

    Without dask installed: one line and exit status 2. A scheduler that cannot be
    reached, or a batch that fails on the cluster (techdiversity not installed on the
    workers...), is one line too.
    """
    if scheduler is None:
        yield None
        return
    if jobs != 1:
        raise click.UsageError("--jobs and --scheduler: choose one (the cluster's workers do the work)")
    from ..errors import MissingDependencyError

    try:
        import distributed
    except ImportError:
        raise MissingDependencyError(
            "--scheduler (a batch on a dask cluster)", "dask.distributed", DASK_INSTALL
        ) from None
    where = _one_line(scheduler)
    try:
        connect: Any = distributed.Client  # untyped: the executor it gives is a concurrent.futures one
        client = connect(scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        raise OneLineError(f"--scheduler {where}: cannot reach the dask scheduler: {_one_line(str(exc))}") from None
    try:
        yield client.get_executor()
    except (click.ClickException, click.exceptions.Exit, click.Abort, OSError, MissingDependencyError):
        raise  # the command's own ending, or what MainGroup reports
    except Exception as exc:  # noqa: BLE001 - whatever a worker raised, as one line
        raise OneLineError(
            f"--scheduler {where}: the batch failed on the cluster: {type(exc).__name__}: {_one_line(str(exc))}"
        ) from None
    finally:
        client.close()


def progress_results(results: Iterator[dict[str, Any]], total: int, label: str) -> Iterator[dict[str, Any]]:
    """Results with a progress bar on stderr when stderr is a terminal and the batch is long."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        for result in results:
            yield result
            bar.update(1)


def is_regular_or_missing(path: str) -> bool:
    """True when ``path`` is (or links to) a regular file, or does not exist: a file ``-o`` would replace."""
    import stat

    from ..io import descriptor_of

    if descriptor_of(path) is not None:
        return False
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def write_output(output: str | None, content: str | bytes, *, binary: bool, what: str) -> None:
    """Write a command's result: to standard output (no ``-o``, or ``-o -``), else atomically to the file.

    Binary content goes to standard output only when asked with ``-o -`` and it is not a
    terminal. Every file goes through :func:`techdiversity.io.atomic_write`, which writes
    through symbolic links, writes devices and FIFOs directly, and names the path in
    its errors.
    """
    from ..io import atomic_write

    if output is None or output == "-":
        if binary or isinstance(content, bytes):
            if output is None:
                raise click.UsageError(f"{what} is a binary format: name a file with -o (or -o - for a pipe)")
            if sys.stdout.isatty():
                raise click.UsageError(f"{what} is a binary format: -o - would print it on the terminal")
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        click.echo(content, nl=False)
        return
    atomic_write(output, content)
    click.echo(f"wrote {output}", err=True)


def parse_options(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--option takes KEY=VALUE, got {value!r}")
        out[key.strip()] = val
    return out


# ---------------------------------------------------------------------------
# The group: one line for operating-system errors and missing parts


class OneLineError(click.ClickException):
    """A refusal printed as one line on standard error (no "Error:" prefix, no usage), exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        from ..safetext import visible

        click.echo(visible(self.message), err=True)


def silence_stdout() -> None:
    """Point standard output at the null device, so that nothing is retried at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real descriptor (a test runner's stream)
        pass
    except Exception:  # noqa: BLE001 - io.UnsupportedOperation and the like
        pass


class MainGroup(click.Group):
    """The ``techdiversity`` group: operating-system errors and missing optional parts as one line."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import MissingDependencyError
        from ..io import describe_os_error

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # Ctrl-C (or a plugin raising it) stops the run: 128 + SIGINT, as shells do
            click.echo("techdiversity: interrupted", err=True)
            sys.exit(130)
        except MissingDependencyError as exc:
            raise OneLineError(str(exc)) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader left (| head): end quietly, exit status 1
                silence_stdout()
                sys.exit(1)
            if exc.filename is None:  # a write to standard output (files carry their name)
                silence_stdout()
                raise OneLineError(describe_os_error(exc, "standard output: cannot write")) from None
            raise OneLineError(describe_os_error(exc)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except SystemExit as done:
            try:
                sys.stdout.flush()
            except BrokenPipeError:  # the reader left as the last output was flushed: the same
                silence_stdout()
                if done.code in (0, None):
                    sys.exit(1)
            except OSError as exc:
                silence_stdout()
                click.echo(f"standard output: cannot write: {exc.strerror or exc}", err=True)
                sys.exit(2)
            raise
