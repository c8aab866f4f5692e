"""The plugin host: entry points found, failures isolated, autoload switches."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity import plugins
from techdiversity.cli import main


def make_distribution(root: Path, name: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    """A minimal installed distribution on sys.path: dist-info with entry points, plus modules."""
    dist = root / f"{name}-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n", "utf-8")
    eps = "[techdiversity]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items())
    (dist / "entry_points.txt").write_text(eps, "utf-8")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source), "utf-8")


GOOD = """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

def _no_vision(ctx):
    if ctx.plan.vision is None:
        yield ctx.finding("the plan has no vision", [], "")

@hookimpl
def techdiversity_checks():
    return [Check("XY100", "no-vision", "info", "The plan has no vision",
                  why="A vision is what the ULG agreed with the Newspaper of Tomorrow.",
                  fix="Add a vision.", function=_no_vision)]
"""

BROKEN_IMPORT = "raise ImportError('this plugin is broken on purpose')\n"

RAISING = """
from techdiversity.hookspecs import hookimpl

@hookimpl
def techdiversity_checks():
    raise RuntimeError('boom')
"""

TYPO = """
from techdiversity.hookspecs import hookimpl

@hookimpl
def techdiversity_chekcs():
    return []
"""

CRASHING_CHECK = """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

def _crash(ctx):
    raise ZeroDivisionError('inside a check')

@hookimpl
def techdiversity_checks():
    return [Check("ZZ100", "crash", "error", "Crashes", why="x", fix="y", function=_crash)]
"""


@pytest.fixture
def fake_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_distribution(
        tmp_path,
        "td_fake_plugins",
        {
            "good": "td_good_plugin",
            "broken": "td_broken_plugin",
            "raising": "td_raising_plugin",
            "typo": "td_typo_plugin",
            "crashing": "td_crashing_plugin",
        },
        {
            "td_good_plugin": GOOD,
            "td_broken_plugin": BROKEN_IMPORT,
            "td_raising_plugin": RAISING,
            "td_typo_plugin": TYPO,
            "td_crashing_plugin": CRASHING_CHECK,
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reset()
    return tmp_path


def test_good_plugin_found_and_broken_ones_isolated(
    fake_plugins: Path, starter_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codes = {c.code: c for c in td.checks.registry()}
    assert "XY100" in codes and codes["XY100"].plugin == "good"
    assert "TD103" in codes
    reasons = {f.plugin: f.reason for f in plugins.failures()}
    assert "this plugin is broken on purpose" in reasons["broken"]
    assert "boom" in reasons["raising"]
    assert "techdiversity_chekcs" in reasons["typo"]
    names = {p.name: p for p in plugins.plugins()}
    assert names["good"].version == "1.2.3" and names["good"].hooks == ("techdiversity_checks",)
    err = capsys.readouterr().err
    assert "plugin 'broken' skipped" in err
    # a check that raises is reported and skipped; the others still run
    plan = td.load(starter_file)
    report = td.check(plan)
    assert report.codes() == set()
    crashed = [f for f in plugins.failures() if f.plugin == "crashing"]
    assert [f.skipped for f in crashed] == ["the findings of check 'ZZ100'"]
    assert "ZeroDivisionError: inside a check" in crashed[0].reason
    err = capsys.readouterr().err
    assert "plugin 'crashing': the findings of check 'ZZ100' skipped: it raised ZeroDivisionError" in err


def test_failures_say_exactly_what_was_skipped(fake_plugins: Path, capsys: pytest.CaptureFixture[str]) -> None:
    td.checks.registry()
    skipped = {f.plugin: f.skipped for f in plugins.failures()}
    assert skipped["broken"] == "the plugin" and skipped["typo"] == "the plugin"
    assert skipped["raising"] == "its checks"  # only what the raising hook contributes
    err = capsys.readouterr().err
    assert "techdiversity: plugin 'broken' skipped: ImportError: this plugin is broken on purpose" in err
    assert "techdiversity: plugin 'raising': its checks skipped: techdiversity_checks raised RuntimeError: boom" in err
    listing = CliRunner().invoke(main, ["plugins", "--format", "json"])
    failed = {f["name"]: f for f in json.loads(listing.stdout)["failed"]}
    assert failed["raising"]["skipped"] == "its checks"


def test_cli_exit_status_unchanged_by_broken_plugins(fake_plugins: Path, starter_file: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(starter_file)])
    assert result.exit_code == 0
    assert "plugin 'broken' skipped" in result.stderr
    assert "Traceback" not in result.output


def test_autoload_can_be_turned_off(fake_plugins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.AUTOLOAD_ENV, "1")
    plugins.reset()
    assert "XY100" not in {c.code for c in td.checks.registry()}
    assert plugins.failures() == ()


def test_named_plugin_can_be_disabled(fake_plugins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.DISABLE_ENV, "broken,raising,typo,crashing")
    plugins.reset()
    assert "XY100" in {c.code for c in td.checks.registry()}
    assert plugins.failures() == ()


def test_cli_flags(fake_plugins: Path, starter_file: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--no-plugins", "checks"])
    assert "XY100" not in result.stdout and "skipped" not in result.stderr
    result = runner.invoke(
        main,
        ["--disable-plugin", "broken", "--disable-plugin", "raising", "--disable-plugin", "typo", "checks"],
    )
    assert "XY100" in result.stdout and "plugin 'broken'" not in result.stderr


def test_a_plugin_cannot_replace_a_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A third-party check reusing a built-in code is the one reported and skipped."""
    make_distribution(
        tmp_path,
        "td_clash",
        {"clash": "td_clash_plugin"},
        {
            "td_clash_plugin": """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

from techdiversity.rubrics import Criterion, Rubric, Section, judged

@hookimpl
def techdiversity_checks():
    return [
        Check("TD103", "impostor", "info", "Impostor", why="x", fix="y", function=lambda ctx: []),
        Check("XZ100", "own", "info", "Its own check", why="x", fix="y", function=lambda ctx: []),
    ]

@hookimpl
def techdiversity_rubrics():
    c = Criterion("c", "A criterion", ("one", "three", "five"), lambda ctx: judged(3, "always 3"))
    return [Rubric("clash-rubric", "A rubric", "1", (Section("1", "All", (c,)),))]
"""
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reset()
    by_code = {c.code: c for c in td.checks.registry()}
    assert by_code["TD103"].plugin == "techdiversity" and by_code["TD103"].name == "action-without-objective"
    # only the clashing check is lost: the plugin's other check and its rubric load
    assert by_code["XZ100"].plugin == "clash"
    assert "clash-rubric" in {r.name for r in plugins.all_rubrics()}
    (failure,) = [f for f in plugins.failures() if f.plugin == "clash"]
    assert failure.skipped == "check 'TD103'"
    assert "already provided by plugin 'techdiversity'" in failure.reason and "name order" in failure.reason
    assert str(failure).startswith("plugin 'clash': check 'TD103' skipped: the code 'TD103' is already provided")


def test_a_check_returning_something_else_than_findings_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, starter_file: Path
) -> None:
    make_distribution(
        tmp_path,
        "td_odd",
        {"odd": "td_odd_plugin"},
        {
            "td_odd_plugin": """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

def _strings(ctx):
    yield "not a finding"

@hookimpl
def techdiversity_checks():
    return [Check("OD100", "odd", "warning", "Odd", why="x", fix="y", function=_strings)]
"""
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reset()
    report = td.check(td.load(starter_file))
    assert "OD100" not in report.codes()
    (failure,) = [f for f in plugins.failures() if f.plugin == "odd"]
    assert "OD100" in str(failure) and "str, not a Finding" in failure.reason
