"""Exporters: a plan (with its findings and scorecards) to another format.

An :class:`Exporter` is a name, a file suffix, a media type, and a function of an
:class:`ExportContext` that returns text or bytes. It declares the options it takes
(:class:`ExporterOption`: name, type, allowed values, default, help), so that a
misspelt option or a bad value is refused before anything is written, and may carry a
validator of its output. Built-in exporters are registered through the
``techdiversity_exporters`` hook like any plugin's; ``techdiversity export PLAN --to
NAME`` (or ``-o FILE.SUFFIX``) writes one atomically.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .. import registered
from ..model import Plan

if TYPE_CHECKING:
    from ..findings import Report
    from ..rubrics import ScoreCard

__all__ = [
    "ExportContext",
    "ExportOptionError",
    "ExportValidationError",
    "Exporter",
    "ExporterOption",
    "export",
    "exporter_for_path",
    "find_exporter",
    "resolve_options",
]

OptionType = Literal["text", "integer", "boolean", "choice"]
OptionValue = str | int | bool

_TRUE = ("yes", "true", "on", "1")
_FALSE = ("no", "false", "off", "0")


class ExportOptionError(ValueError):
    """An option an exporter does not take, or a value it does not accept (the message names the valid ones)."""


class ExportValidationError(ValueError):
    """The output of an exporter does not pass its validator; ``problems`` lists why, one line each."""

    def __init__(self, exporter: str, problems: Sequence[str]) -> None:
        self.exporter = exporter
        self.problems = tuple(problems)
        super().__init__(f"the {exporter} export is not valid: " + "; ".join(self.problems))


def _option_key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


@attrs.frozen
class ExporterOption:
    """One option an exporter takes (``--option NAME=VALUE``).

    ``type`` is ``text`` (any non-empty text), ``integer`` (a whole number, at least
    ``minimum`` when set), ``boolean`` (yes/no, true/false, on/off, 1/0) or ``choice``
    (one of ``choices``). ``default`` is what the exporter does without the option
    (``None``: nothing, or something the exporter works out, as ``help`` says).
    """

    name: str
    help: str
    type: OptionType = "text"
    default: OptionValue | None = None
    choices: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    minimum: int | None = None

    def parse(self, raw: str) -> OptionValue:
        """The value of ``raw`` text; :class:`ExportOptionError` naming what is allowed otherwise."""
        text = raw.strip()
        if self.type == "integer":
            try:
                value = int(text)
            except ValueError:
                raise ExportOptionError(f"{self.name}={raw!r}: expected {self.allowed()}") from None
            if self.minimum is not None and value < self.minimum:
                raise ExportOptionError(f"{self.name}={raw!r}: expected {self.allowed()}")
            return value
        if self.type == "boolean":
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ExportOptionError(f"{self.name}={raw!r}: expected {self.allowed()}")
        if self.type == "choice":
            for choice in self.choices:
                if text.lower() == choice.lower():
                    return choice
            raise ExportOptionError(f"{self.name}={raw!r}: expected {self.allowed()}")
        if not text:
            raise ExportOptionError(f"{self.name}: expected {self.allowed()}, got nothing")
        return text

    def allowed(self) -> str:
        """What values are allowed, in words (``a whole number of at least 1``, ``yes or no``...)."""
        if self.type == "integer":
            return "a whole number" + (f" of at least {self.minimum}" if self.minimum is not None else "")
        if self.type == "boolean":
            return "yes or no"
        if self.type == "choice":
            return "one of " + ", ".join(self.choices)
        return "any text"

    def metavar(self) -> str:
        """A short placeholder for the value: ``N``, ``yes|no``, ``a|b``, ``TEXT``."""
        return {"integer": "N", "boolean": "yes|no", "choice": "|".join(self.choices)}.get(self.type, "TEXT")

    def describe(self) -> str:
        """One line: ``max-nodes=N: help (a whole number of at least 1; default 40)``."""
        details = [] if self.type == "text" else [self.allowed()]
        if self.default is not None:
            details.append(f"default {_show(self.default)}")
        tail = f" ({'; '.join(details)})" if details else ""
        return f"{self.name}={self.metavar()}: {self.help}{tail}"

    def to_json(self) -> dict[str, Any]:
        """The option as ``techdiversity exporters --format json`` lists it."""
        return {
            "name": self.name,
            "type": self.type,
            "choices": list(self.choices),
            "minimum": self.minimum,
            "default": self.default,
            "help": self.help,
        }


def _show(value: OptionValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _options_converter(value: Iterable[ExporterOption] | None) -> tuple[ExporterOption, ...] | None:
    return None if value is None else tuple(value)


@attrs.define(eq=False)
class ExportContext:
    """What an exporter gets: the plan, and (computed on first use) findings and scorecards.

    ``rubrics`` names the rubrics to score with (default: every installed rubric);
    ``options`` carries exporter-specific settings from the command line
    (``--option key=value``).
    """

    plan: Plan
    rubrics: Sequence[str] | None = None
    options: Mapping[str, str] = attrs.field(factory=dict)
    _report: Report | None = None
    _scorecards: tuple[ScoreCard, ...] | None = None
    #: The declared options, parsed, with their defaults filled in (see :meth:`option`).
    values: Mapping[str, OptionValue | None] = attrs.field(factory=dict)

    def option(self, name: str) -> Any:
        """The value of a declared option: as given (parsed to its type), else its default."""
        return self.values.get(_option_key(name))

    @property
    def report(self) -> Report:
        """The check findings of the plan."""
        if self._report is None:
            from ..checks import run_checks

            self._report = run_checks(self.plan)
        return self._report

    @property
    def scorecards(self) -> tuple[ScoreCard, ...]:
        """The plan scored with each rubric asked for (all installed ones by default)."""
        if self._scorecards is None:
            from ..rubrics import ScoringContext, score_with

            rubrics = registered.rubrics()
            wanted = [r for r in rubrics if self.rubrics is None or r.name in self.rubrics]
            scoring = ScoringContext(self.plan, report=self.report)  # the checks run once for all rubrics
            self._scorecards = tuple(score_with(self.plan, r, context=scoring) for r in wanted)
        return self._scorecards

    @functools.cached_property
    def index(self) -> Any:
        """The plan's :class:`~techdiversity.index.PlanIndex`."""
        from ..index import PlanIndex

        return PlanIndex.of(self.plan)


ExportFunction = Callable[[ExportContext], "str | bytes"]


@attrs.frozen
class Exporter:
    """A registered export format, as ``techdiversity exporters`` lists it.

    :param name: what ``--to NAME`` and :func:`export` call it: a slug, unique across
        plugins (a later plugin reusing a taken name loses that exporter).
    :param title: one line for listings.
    :param suffix: the file suffix of what it writes, with its dot (``".html"``); the
        command line uses it to name the output file.
    :param media_type: the IANA media type of the output (``"text/html"``), for tools
        that serve or attach the file.
    :param function: a function of an :class:`ExportContext` returning ``str`` (text
        formats) or ``bytes`` (binary ones).
    :param binary: True when ``function`` returns bytes (never printed to a terminal).
    :param description: a paragraph for the exporter reference page: what the output
        holds and who it is for.
    :param plugin: set by the host to the plugin that contributed it.
    :param options: the ``--option`` settings the exporter takes; ``None`` (the
        default, for exporters written before options were declared) passes any option
        through unchecked, while ``()`` says it takes none.
    :param validator: when set, returns the problems of an output (none: valid);
        ``export --validate`` runs it.
    """

    name: str
    title: str
    suffix: str
    media_type: str
    function: ExportFunction = attrs.field(eq=False, repr=False)
    binary: bool = False
    description: str = ""
    plugin: str = "techdiversity"
    options: tuple[ExporterOption, ...] | None = attrs.field(default=None, converter=_options_converter)
    validator: Callable[[str | bytes], Sequence[str]] | None = attrs.field(default=None, eq=False, repr=False)


def _all() -> tuple[Exporter, ...]:
    return tuple(registered.exporters())


def find_exporter(name: str) -> Exporter:
    """The exporter with this name (any case), or else with this suffix (``md``: markdown).

    :class:`KeyError` listing the known names otherwise.
    """
    exporters = _all()
    wanted = name.strip().lower()
    for exporter in exporters:
        if exporter.name.lower() == wanted:
            return exporter
    if wanted and "/" not in wanted and "\\" not in wanted:  # a suffix for a name: md, htm, xml
        with contextlib.suppress(KeyError):
            return exporter_for_path("export." + wanted.lstrip("."))
    names = sorted(e.name for e in exporters)
    close = difflib.get_close_matches(wanted, names, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise KeyError(f"no exporter named {name!r}{hint}; known: {', '.join(names)}")


#: Other spellings of the built-in suffixes.
_SUFFIX_ALIASES = {".yml": ".yaml", ".htm": ".html", ".markdown": ".md", ".gv": ".dot"}


def exporter_for_path(path: str | os.PathLike[str]) -> Exporter:
    """The exporter whose suffix the file name has (``report.html`` -> ``html``).

    A built-in exporter wins over a plugin's with the same suffix. :class:`KeyError`
    says which suffixes are known when none matches, or which exporters share it.
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    suffix = _SUFFIX_ALIASES.get(suffix, suffix)
    exporters = _all()
    matches = [e for e in exporters if e.suffix.lower() == suffix] if suffix else []
    if len(matches) > 1:
        builtin = [e for e in matches if e.plugin == "techdiversity"]
        matches = builtin if len(builtin) == 1 else matches
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise KeyError(
            f"several exporters write {suffix} files ({', '.join(e.name for e in matches)}): choose one with --to"
        )
    known = ", ".join(f"{e.suffix} ({e.name})" for e in exporters)
    what = f"no exporter writes {suffix} files" if suffix else f"{os.fspath(path)!r} has no suffix to tell the format"
    raise KeyError(f"{what}; name the format with --to, or use one of: {known}")


def resolve_options(
    exporter: Exporter, options: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, OptionValue | None]]:
    """Check ``options`` against what ``exporter`` declares: (the options by their names, the parsed values).

    Names are compared without regard to case, and ``_`` stands for ``-``.
    :class:`ExportOptionError` names an unknown option or a bad value, with the valid ones.
    """
    if exporter.options is None:  # not declared: passed through as given
        return dict(options), {}
    declared = {o.name: o for o in exporter.options}
    raw: dict[str, str] = {}
    values: dict[str, OptionValue | None] = {o.name: o.default for o in exporter.options}
    for key, value in options.items():
        name = _option_key(key)
        option = declared.get(name)
        if option is None:
            if not declared:
                raise ExportOptionError(f"the {exporter.name} exporter takes no options (got {key!r})")
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            valid = ", ".join(declared)
            raise ExportOptionError(f"the {exporter.name} exporter has no option {key!r}{hint} (its options: {valid})")
        values[name] = option.parse(value)
        raw[name] = value.strip()
    return raw, values


def export(
    plan: Plan,
    to: str,
    *,
    rubrics: Sequence[str] | None = None,
    options: Mapping[str, str] | None = None,
    report: Report | None = None,
    scorecards: Sequence[ScoreCard] | None = None,
    validate: bool = False,
) -> str | bytes:
    """Export a plan with the exporter named ``to`` (``html``, ``xlsx``, ``iati``...; any case).

    ``options`` are checked against the exporter's declared options first
    (:class:`ExportOptionError`). With ``validate=True`` the output is checked by the
    exporter's validator (the IATI exporter's needs lxml) and
    :class:`ExportValidationError` lists its problems; an exporter without a validator
    is refused with :class:`ValueError`. A module an exporter needs that is not
    installed is reported as :class:`~techdiversity.errors.MissingDependencyError`.
    """
    from ..errors import MissingDependencyError
    from ..gcpause import paused_for_plan

    exporter = find_exporter(to)
    if validate and exporter.validator is None:
        able = [e.name for e in _all() if e.validator is not None]
        raise ValueError(f"the {exporter.name} exporter has no validator (exporters with one: {', '.join(able)})")
    raw, values = resolve_options(exporter, options or {})
    ctx = ExportContext(
        plan,
        rubrics,
        raw,
        report,
        tuple(scorecards) if scorecards is not None else None,
        values,
    )
    try:
        with paused_for_plan(plan):
            content = exporter.function(ctx)
    except MissingDependencyError:
        raise
    except ModuleNotFoundError as exc:
        module = exc.name or "a module"
        raise MissingDependencyError(f"the {exporter.name} exporter", module, f"pip install {module}") from exc
    except SystemExit as exc:  # a plugin does not decide how the program ends
        raise RuntimeError(f"the {exporter.name} exporter called sys.exit({exc.code!r})") from None
    if not isinstance(content, (str, bytes)):
        raise TypeError(f"the {exporter.name} exporter returned {type(content).__name__}, neither text nor bytes")
    if validate and exporter.validator is not None:
        problems = list(exporter.validator(content))
        if problems:
            raise ExportValidationError(exporter.name, problems)
    return content
