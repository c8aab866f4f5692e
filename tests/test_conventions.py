"""Conventions a user expects of the command line: formats from suffixes, declared options,
a starter plan for any city, and one clear line when an optional part is missing."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import techdiversity as td
from techdiversity import plugins
from techdiversity.cli import main
from techdiversity.exporters import (
    ExporterOption,
    ExportOptionError,
    export,
    exporter_for_path,
    find_exporter,
    resolve_options,
)
from techdiversity.starter import starter_plan

try:
    from . import test_plugins
except ImportError:
    import test_plugins  # type: ignore[no-redef]

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ("yaml", "json", "html", "markdown", "csv", "xlsx", "iati", "dot", "mermaid", "graphml")


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(starter_plan(city="Testville"), encoding="utf-8")
    return path


def cli(*args: str | Path) -> Any:
    return runner.invoke(main, [str(a) for a in args])


def usage_error(result: Any, *parts: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for part in parts:
        assert part in result.stderr, (part, result.stderr)
    return str(result.stderr)


# ---------------------------------------------------------------------------
# new: the format from the suffix, any city


def test_new_json_writes_json_and_new_yaml_writes_yaml(tmp_path: Path) -> None:
    for name in ("city.json", "city.yaml", "city.yml"):
        path = tmp_path / name
        result = cli("new", path, "--city", "Bielsko-Biała", "--country", "PL")
        assert result.exit_code == 0, result.output
        text = path.read_text("utf-8")
        if name.endswith(".json"):
            data = json.loads(text)
            assert data["plan"]["city"] == "Bielsko-Biała" and data["plan"]["id"] == "bielsko-biala-iap"
        else:
            assert text.startswith("# ") and "\nplan:" in text  # the commented YAML
            with pytest.raises(json.JSONDecodeError):
                json.loads(text)
        check = cli("check", path)
        assert check.exit_code == 0 and check.stdout == "", check.output
    assert td.load(tmp_path / "city.json") == td.load(tmp_path / "city.yaml")


def test_new_refuses_a_format_it_cannot_write(tmp_path: Path) -> None:
    usage_error(cli("new", tmp_path / "city.toml"), "cannot tell the format from", ".yaml, .yml or .json")
    assert not (tmp_path / "city.toml").exists()
    result = cli("new", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["format"] == 1
    result = cli("new", tmp_path / "city.txt", "--format", "JSON")
    assert result.exit_code == 0 and json.loads((tmp_path / "city.txt").read_text("utf-8"))["format"] == 1


@pytest.mark.parametrize(
    "city",
    [
        'Saint-"Quoted": City',
        "__TITLE__",
        "__ID__ and __CITY__",
        "a: b # not a comment",
        "- a list item?",
        "line\nbreak",
        "NO",
        "0o17",
        "null",
        "&anchor *alias",
        "{flow: map}",
        "tab\tand \\ backslash",
        "\u2028separator",
        "   ",
    ],
)
def test_new_writes_a_valid_plan_for_any_city_text(city: str, tmp_path: Path) -> None:
    for name in ("plan.yaml", "plan.json"):
        path = tmp_path / name
        result = cli("new", path, "--city", city, "--id", "x-iap")
        assert result.exit_code == 0, result.output
        plan = td.load(path)
        assert plan.plan.city == city
        assert plan.plan.title == f"{city}: an Integrated Action Plan for a diverse tech ecosystem"
        assert cli("check", path).exit_code == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(city=st.text(min_size=1, max_size=60))
def test_starter_plan_holds_any_text(city: str) -> None:
    for fmt in ("yaml", "json"):
        plan = td.loads(starter_plan(city=city, plan_id="x-iap", format=fmt), fmt)
        assert plan.plan.city == city and plan.id == "x-iap"
    if any(ch.isalnum() and ch.isascii() for ch in city):
        assert td.loads(starter_plan(city=city)).id.endswith("-iap")


def test_the_yaml_starter_keeps_plain_words_plain() -> None:
    text = starter_plan(city="My City", country="pl")
    data = yaml.safe_load(text)
    assert data["plan"]["city"] == "My City" and data["plan"]["country"] == "PL"
    assert "\n  id: my-city-iap " in text and "\n  city: My City\n" in text


# ---------------------------------------------------------------------------
# export: the format from -o's suffix, any case, listed on error


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("report.html", "html"), ("REPORT.HTM", "html"), ("notes.md", "markdown"), ("plan.xlsx", "xlsx"),
     ("iati.xml", "iati"), ("logic.mmd", "mermaid"), ("copy.yml", "yaml"), ("copy.json", "json"),
     ("graph.gv", "dot"), ("table.csv", "csv"), ("g.graphml", "graphml")],
)  # fmt: skip
def test_export_takes_the_format_from_the_suffix(name: str, fmt: str, plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / name
    result = cli("export", plan_file, "-o", out)
    assert result.exit_code == 0, result.output
    expected = export(td.load(plan_file), fmt)
    if fmt == "iati":  # the same but for the time it was generated
        stamp = re.compile(r'generated-datetime="[^"]*"')
        assert stamp.sub("", out.read_text("utf-8")) == stamp.sub("", str(expected))
    elif isinstance(expected, bytes):
        assert td.load(out) == td.load(plan_file)
    else:
        assert out.read_bytes() == expected.encode("utf-8")
    assert exporter_for_path(name).name == fmt


def test_format_names_are_case_insensitive(plan_file: Path) -> None:
    html = export(td.load(plan_file), "html")
    for spelling in ("HTML", "Html", "html", " html "):
        result = cli("export", plan_file, "--to", spelling)
        assert result.exit_code == 0 and result.stdout == html, spelling
    assert find_exporter("MarkDown").name == "markdown" and find_exporter("md").name == "markdown"


def test_an_unknown_format_lists_the_valid_ones(plan_file: Path, tmp_path: Path) -> None:
    text = usage_error(cli("export", plan_file, "--to", "pdf"), "no exporter named 'pdf'")
    for name in BUILTIN:
        assert name in text
    text = usage_error(cli("export", plan_file, "-o", tmp_path / "report.pdf"), "no exporter writes .pdf files")
    assert ".html (html)" in text and ".xlsx (xlsx)" in text
    usage_error(cli("export", plan_file), "name the format with --to (one of: yaml, json, html")
    usage_error(cli("export", plan_file, "-o", "-"), "name the format with --to")
    usage_error(cli("export", plan_file, "--to", "htlm"), "did you mean html?")


# ---------------------------------------------------------------------------
# Exporter options, declared


def test_every_builtin_exporter_declares_its_options() -> None:
    for name in BUILTIN:
        exporter = find_exporter(name)
        assert exporter.options is not None, f"{name} declares no options"
        for option in exporter.options:
            assert option.name == option.name.lower() and option.help and option.type
            if option.default is not None:
                assert option.parse(str(option.default) if not isinstance(option.default, bool) else "yes") is not None
    assert [o.name for o in find_exporter("html").options or ()] == ["max-nodes"]
    assert [o.name for o in find_exporter("markdown").options or ()] == ["mermaid", "max-nodes"]
    assert find_exporter("csv").options == ()


def test_option_values_are_parsed_by_type() -> None:
    integer = ExporterOption("n", "how many", "integer", 40, minimum=1)
    assert integer.parse(" 7 ") == 7
    for bad in ("abc", "0", "-1", "1.5", ""):
        with pytest.raises(ExportOptionError, match="a whole number of at least 1"):
            integer.parse(bad)
    boolean = ExporterOption("b", "on or off", "boolean", True)
    assert [boolean.parse(v) for v in ("yes", "NO", "true", "off", "1", "0")] == [True, False, True, False, True, False]
    with pytest.raises(ExportOptionError, match="yes or no"):
        boolean.parse("maybe")
    choice = ExporterOption("c", "which", "choice", "a", choices=("a", "b"))
    assert choice.parse("B") == "b"
    with pytest.raises(ExportOptionError, match="one of a, b"):
        choice.parse("c")
    with pytest.raises(ExportOptionError, match="got nothing"):
        ExporterOption("t", "text").parse("  ")


def test_an_unknown_option_or_a_bad_value_exits_2_naming_the_valid_ones(plan_file: Path) -> None:
    usage_error(
        cli("export", plan_file, "--to", "html", "--option", "max-nodes=abc"),
        "html: max-nodes='abc': expected a whole number of at least 1",
    )
    usage_error(
        cli("export", plan_file, "--to", "html", "--option", "maxnodes=3"),
        "the html exporter has no option 'maxnodes'; did you mean max-nodes? (its options: max-nodes)",
    )
    usage_error(cli("export", plan_file, "--to", "csv", "--option", "x=1"), "the csv exporter takes no options")
    usage_error(cli("export", plan_file, "--to", "markdown", "--option", "mermaid=perhaps"), "mermaid='perhaps'")
    usage_error(cli("export", plan_file, "--to", "html", "--option", "oops"), "--option takes KEY=VALUE")
    result = cli("export", plan_file, "--to", "markdown", "--option", "MERMAID=no", "--option", "max_nodes=5")
    assert result.exit_code == 0 and "```mermaid" not in result.stdout


def test_the_word_plugin_declares_its_options(plan_file: Path, tmp_path: Path) -> None:
    pytest.importorskip("techdiversity_docx", reason="the docx plugin is part of this repository's dev install")
    exporter = find_exporter("docx")
    assert [o.name for o in exporter.options or ()] == ["annex", "canvas", "landscape"]
    usage_error(
        cli("export", plan_file, "--to", "docx", "-o", tmp_path / "p.docx", "--option", "landscpe=no"),
        "the docx exporter has no option 'landscpe'; did you mean landscape? (its options: annex, canvas, landscape)",
    )
    usage_error(
        cli("export", plan_file, "-o", tmp_path / "p.docx", "--option", "landscape=sideways"), "expected yes or no"
    )
    assert not (tmp_path / "p.docx").exists()


def test_exporters_lists_the_options(plan_file: Path) -> None:
    result = cli("exporters")
    assert result.exit_code == 0
    assert "  html: max-nodes=N: " in result.stdout and "(a whole number of at least 1; default 40)" in result.stdout
    assert "  markdown: mermaid=yes|no: " in result.stdout
    doc = json.loads(cli("exporters", "--format", "json").stdout)
    html = next(e for e in doc["exporters"] if e["name"] == "html")
    assert html["options"] == [
        {
            "name": "max-nodes",
            "type": "integer",
            "choices": [],
            "minimum": 1,
            "default": 40,
            "help": find_exporter("html").options[0].help,  # type: ignore[index]
        }
    ]
    assert next(e for e in doc["exporters"] if e["name"] == "csv")["options"] == []
    assert next(e for e in doc["exporters"] if e["name"] == "iati")["validator"] is True


def test_the_reference_shows_the_options() -> None:
    text = (ROOT / "docs" / "reference" / "exporters.md").read_text("utf-8")
    assert "| `max-nodes` | integer | a whole number of at least 1 | `40` |" in text
    assert "| `generated-datetime` | text | any text |" in text


UNDECLARED_PLUGIN = """
from techdiversity.exporters import Exporter
from techdiversity.hookspecs import hookimpl

def _echo(ctx):
    return ",".join(f"{k}={v}" for k, v in sorted(ctx.options.items())) + "\\n"

def _crash(ctx):
    raise RuntimeError("the plugin broke")

def _needs(ctx):
    import td_module_that_is_not_there  # noqa: F401

@hookimpl
def techdiversity_exporters():
    return [
        Exporter("echo", "Echo", ".echo", "text/plain", _echo),
        Exporter("crash", "Crash", ".crash", "text/plain", _crash),
        Exporter("needs", "Needs", ".needs", "text/plain", _needs),
    ]
"""


@pytest.fixture
def old_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    site.mkdir()
    test_plugins.make_distribution(site, "td_old", {"old": "td_old_plugin"}, {"td_old_plugin": UNDECLARED_PLUGIN})
    monkeypatch.syspath_prepend(str(site))
    plugins.reset()
    yield
    plugins.reset()


@pytest.mark.usefixtures("old_plugin")
def test_a_plugin_that_declares_no_options_gets_them_unchecked(plan_file: Path) -> None:
    assert find_exporter("echo").options is None
    result = cli("export", plan_file, "--to", "echo", "--option", "anything=goes", "--option", "Other_Name=1")
    assert result.exit_code == 0 and result.stdout == "Other_Name=1,anything=goes\n"
    assert resolve_options(find_exporter("echo"), {"a": "b"}) == ({"a": "b"}, {})
    assert "exporters that declare no options (any --option is passed to them): echo, crash, needs" in (
        cli("exporters").stdout
    )


@pytest.mark.usefixtures("old_plugin")
def test_a_failing_plugin_exporter_is_one_line(plan_file: Path, tmp_path: Path) -> None:
    result = cli("export", plan_file, "--to", "crash", "-o", tmp_path / "x.crash")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "techdiversity: the crash exporter of plugin 'old' failed: RuntimeError: the plugin broke"
    ]
    result = cli("export", plan_file, "--to", "needs")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "the needs exporter needs td_module_that_is_not_there, which is not installed:"
        " pip install td_module_that_is_not_there"
    ]
    assert not (tmp_path / "x.crash").exists()


def test_the_word_exporter_without_python_docx(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("techdiversity_docx", reason="the docx plugin is part of this repository's dev install")
    monkeypatch.setitem(sys.modules, "docx", None)
    result = cli("export", plan_file, "-o", tmp_path / "plan.docx")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "the docx exporter needs python-docx, which is not installed: pip install python-docx"
    ]
    assert not (tmp_path / "plan.docx").exists()
