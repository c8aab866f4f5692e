"""The plugin host: built-ins first, then the ``techdiversity`` entry points.

The plugin manager is built lazily and cached, never at import time. Each entry
point is loaded on its own, and what cannot be used is reported on stderr in one line
that names the plugin, exactly what of it was skipped, and why:

- a plugin that fails to import, or implements a hook that does not exist (a typo), is
  skipped whole: ``techdiversity: plugin 'x' skipped: ...``;
- a hook that raises, or returns something that is not a list of the right objects,
  loses what that hook contributes: ``techdiversity: plugin 'x': its checks skipped: ...``;
  its other hooks still count;
- an item whose code or name an earlier plugin already took loses that item only:
  ``techdiversity: plugin 'x': check 'TD103' skipped: ...``. Plugins load in a fixed
  order, the built-in plugin first, then entry points by name; the first to claim a
  code or name keeps it;
- a check or a scorer that raises while it runs loses its findings, or its automatic
  score, for that run; so does a check that yields something that is not a well-formed
  :class:`~techdiversity.findings.Finding` (or one under a ``TD`` code, the built-in
  checks' own), and a scorer that returns anything but a well-formed ``Judgement``;
- a check code starting with ``TD``, or a check name a built-in already has, is the
  built-ins' own: the plugin's check is skipped;
- a plugin that calls ``sys.exit()`` in any of these is treated as one that raised:
  it does not decide the exit status. ``KeyboardInterrupt`` is never caught.

Autoloading of third-party plugins is turned off with the environment variable
``TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD=1``; single plugins are blocked with
``TECHDIVERSITY_DISABLE_PLUGINS=name1,name2`` (the command line has flags for both).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from . import hookspecs
from .safetext import visible

__all__ = [
    "Failure",
    "PluginInfo",
    "all_checks",
    "all_exporters",
    "all_readers",
    "all_rubrics",
    "configure",
    "current_settings",
    "failures",
    "get_plugin_manager",
    "report_failure",
    "reset",
]

AUTOLOAD_ENV = "TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_ENV = "TECHDIVERSITY_DISABLE_PLUGINS"


@attrs.frozen
class Failure:
    """Something of a plugin that could not be used: what was skipped, and why.

    ``skipped`` is ``"the plugin"`` when the whole plugin was left out, or names the
    contribution that was (``"its checks"``, ``"check 'TD103'"``, ``"the automatic
    score of vision/headline"``).
    """

    plugin: str
    reason: str
    skipped: str = "the plugin"

    def __str__(self) -> str:
        if self.skipped == "the plugin":
            return f"plugin {self.plugin!r} skipped: {self.reason}"
        return f"plugin {self.plugin!r}: {self.skipped} skipped: {self.reason}"


@attrs.frozen
class PluginInfo:
    """An installed plugin: its name, the distribution and version it comes from."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


_failures: list[Failure] = []
_infos: list[PluginInfo] = []


def report_failure(plugin: str, reason: str, skipped: str = "the plugin") -> None:
    """Record a plugin failure and say it on stderr, once, in one line.

    ``skipped`` says what of the plugin is left out: the whole plugin by default, or
    one contribution (``"check 'XY100'"``, ``"its rubrics"``).
    """
    failure = Failure(plugin, " ".join(reason.split()), skipped)
    if failure in _failures:
        return
    _failures.append(failure)
    print(visible(f"techdiversity: {failure}"), file=sys.stderr)


def failures() -> tuple[Failure, ...]:
    """What of the plugins was skipped, and why, in the order it happened."""
    get_plugin_manager()
    return tuple(_failures)


_settings: dict[str, Any] = {"autoload": True, "disabled": frozenset()}


def configure(*, autoload: bool = True, disabled: Iterable[str] = ()) -> None:
    """Settings on top of the environment (the command line's flags use this).

    ``autoload=False`` loads no third-party plugin; ``disabled`` names plugins to skip.
    The environment variables still apply: either source can turn a plugin off.
    """
    _settings["autoload"] = autoload
    _settings["disabled"] = frozenset(disabled)
    reset(keep_settings=True)


def current_settings() -> tuple[bool, frozenset[str]]:
    """The settings made with :func:`configure`, as ``(autoload, disabled)`` (for worker processes)."""
    return bool(_settings["autoload"]), frozenset(_settings["disabled"])


def _disabled() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()} | set(_settings["disabled"])


def _autoload() -> bool:
    if not _settings["autoload"]:
        return False
    return os.environ.get(AUTOLOAD_ENV, "").strip().lower() not in ("1", "true", "yes")


def _builtin_plugin() -> Any:
    from . import builtin_plugin

    return builtin_plugin


@functools.cache
def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager: the built-in plugin, then every entry point of the group."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(_builtin_plugin(), name="techdiversity")
    _infos.append(PluginInfo("techdiversity", "techdiversity", _version("techdiversity"), _hooks(pm, "techdiversity")))
    if _autoload():
        disabled = _disabled()
        for ep in _entry_points():
            if ep.name in disabled or pm.has_plugin(ep.name):
                continue
            dist = ep.dist.name if ep.dist is not None else None
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
                pm.check_pending()
            except Exception as exc:  # noqa: BLE001 - a broken plugin must not take the host down
                if pm.has_plugin(ep.name):
                    pm.unregister(name=ep.name)
                report_failure(ep.name, f"{type(exc).__name__}: {exc}")
                continue
            _infos.append(PluginInfo(ep.name, dist, ep.dist.version if ep.dist else None, _hooks(pm, ep.name)))
    return pm


def _hooks(pm: pluggy.PluginManager, name: str) -> tuple[str, ...]:
    plugin = pm.get_plugin(name)
    callers = pm.get_hookcallers(plugin) or []
    return tuple(sorted(c.name for c in callers))


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _entry_points() -> Iterable[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=hookspecs.PROJECT), key=lambda ep: ep.name)


def plugins() -> tuple[PluginInfo, ...]:
    """Installed plugins that loaded, built-in first."""
    get_plugin_manager()
    return tuple(_infos)


def reset(*, keep_settings: bool = False) -> None:
    """Forget the cached plugin manager (tests, or after installing a plugin)."""
    if not keep_settings:
        _settings.update(autoload=True, disabled=frozenset())
    get_plugin_manager.cache_clear()
    _failures.clear()
    _infos.clear()
    all_checks.cache_clear()
    all_rubrics.cache_clear()
    all_exporters.cache_clear()
    all_readers.cache_clear()


def _collect(hook_name: str) -> list[tuple[str, Any]]:
    """Call one hook plugin by plugin, isolating failures; (plugin name, result) pairs."""
    pm = get_plugin_manager()
    out: list[tuple[str, Any]] = []
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():  # registration order: the built-in plugin first
        name = pm.get_name(impl.plugin) or "?"
        try:
            result = impl.function()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - nor may it decide the exit status
            what = f"called sys.exit({exc.code!r})" if isinstance(exc, SystemExit) else "raised"
            report_failure(name, f"{hook_name} {what} {type(exc).__name__}: {exc}", f"its {_KINDS[hook_name]}")
            continue
        if result is not None:
            out.append((name, result))
    return out


@functools.cache
def all_checks() -> tuple[Any, ...]:
    """Every check of every plugin, in code order; a clashing code is skipped and reported."""
    from .checks import Check
    from .checks.runner import RESERVED_PREFIX

    checks = _named("techdiversity_checks", Check, "check", key="code", reserved_prefix=RESERVED_PREFIX)
    names: dict[str, str] = {}
    kept: list[Any] = []
    for chk in checks:  # built-ins first: a plugin's check cannot take a name already taken
        if chk.name in names:
            report_failure(
                chk.plugin,
                f"the check name {chk.name!r} is already the name of check {names[chk.name]!r}",
                f"check {chk.code!r}",
            )
            continue
        names[chk.name] = chk.code
        kept.append(chk)
    return tuple(sorted(kept, key=lambda c: c.code))


def _named(
    hook: str,
    cls: type[Any],
    what: str,
    reserved: tuple[str, ...] = (),
    key: str = "name",
    reserved_prefix: str | None = None,
) -> tuple[Any, ...]:
    """The items every plugin returns from ``hook``, in registration order (built-ins first).

    An item of the wrong type, with a reserved name (or, for another plugin than the
    built-in one, a ``key`` that starts with ``reserved_prefix``), or whose ``key``
    (name, or a check's code) an earlier plugin already took, is reported and skipped.
    """
    seen: dict[str, str] = {}
    out: list[Any] = []
    for name, result in _collect(hook):
        try:
            items = list(result)
        except TypeError:
            report_failure(name, f"{hook} returned something that is not a list of {what}s", f"its {what}s")
            continue
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - a generator of items can raise too
            report_failure(name, f"{hook} raised {type(exc).__name__} while its {what}s were read", f"its {what}s")
            continue
        for item in items:
            if not isinstance(item, cls):
                report_failure(
                    name, f"{hook} returned {type(item).__name__}, not a {cls.__name__}", f"an item of its {what}s"
                )
                continue
            ident = getattr(item, key)
            label = f"{what} {ident!r}"
            if ident in reserved:
                report_failure(name, f"the {what} name {ident!r} is reserved for the built-in formats", label)
                continue
            if ident in seen:
                taken = "code" if key == "code" else "name"
                report_failure(
                    name,
                    f"the {taken} {ident!r} is already provided by plugin {seen[ident]!r}, which loads first"
                    " (the built-in plugin first, then entry points in name order: the first to claim a"
                    f" {taken} keeps it); the plugin's other contributions still load",
                    label,
                )
                continue
            if (
                reserved_prefix is not None
                and name != "techdiversity"
                and isinstance(ident, str)
                and ident.startswith(reserved_prefix)
            ):
                report_failure(name, f"the {key}s starting with {reserved_prefix} are the built-in {what}s' own", label)
                continue
            seen[ident] = name
            out.append(attrs.evolve(item, plugin=name))
    return tuple(out)


@functools.cache
def all_exporters() -> tuple[Any, ...]:
    """Every exporter of every plugin, built-ins first."""
    from .exporters import Exporter

    return _named("techdiversity_exporters", Exporter, "exporter")


@functools.cache
def all_readers() -> tuple[Any, ...]:
    """Every reader (importer) of every plugin, built-ins first."""
    from .readers import Reader

    return _named("techdiversity_readers", Reader, "reader", reserved=("yaml", "json", "toml"))


@functools.cache
def all_rubrics() -> tuple[Any, ...]:
    """Every rubric of every plugin, built-ins first; a clashing name is skipped and reported."""
    from .rubrics import Rubric

    return _named("techdiversity_rubrics", Rubric, "rubric")


def contributions(name: str) -> dict[str, list[str]]:
    """What a plugin adds beyond checks and rubrics (exporters, readers), by kind."""
    out: dict[str, list[str]] = {}
    for kind, getter in _EXTRA_KINDS.items():
        out[kind] = [item.name for item in getter() if getattr(item, "plugin", None) == name]
    return out


_EXTRA_KINDS: dict[str, Any] = {"exporters": all_exporters, "readers": all_readers}

#: What each hook contributes, for messages.
_KINDS: dict[str, str] = {
    "techdiversity_checks": "checks",
    "techdiversity_rubrics": "rubrics",
    "techdiversity_exporters": "exporters",
    "techdiversity_readers": "readers",
}
