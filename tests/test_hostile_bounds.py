"""Hostile input, round two (issue 13): numbers, encodings, surrogates, files that are not files.

Each reproduction of the issue is refused at its place with a plain message, through
the API (a :class:`~techdiversity.PlanError`) and through ``techdiversity check`` (exit
status 2, one ``path:line:col:`` line, no traceback).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import techdiversity as td
import techdiversity.formats
from techdiversity import limits
from techdiversity.cli import main
from techdiversity.errors import PlanError
from techdiversity.io import load, loads
from techdiversity.network import expand_paths
from techdiversity.network.common import SymlinkOutWarning

ROOT = Path(__file__).resolve().parent.parent
BIG = "9" * 5000


def refused(call: object, *args: object) -> PlanError:
    with pytest.raises(PlanError) as info:
        call(*args)  # type: ignore[operator]
    return info.value


def where(error: PlanError) -> tuple[int | None, int | None]:
    loc = error.diagnostics[0].location
    return loc.line, loc.column


# ---------------------------------------------------------------------------
# 1. Numbers beyond Python's int-string limit


@pytest.mark.parametrize(
    ("fmt", "text", "place"),
    [
        ("yaml", f"format: 1\nplan:\n  id: x\n  n: {BIG}\n", (4, 6)),
        ("yaml", f"format: 1\nplan:\n  id: x\n  n: !!int {BIG}\n", (4, 6)),
        ("toml", f"format = 1\n[plan]\nid = 'x'\nn = {BIG}\n", (4, 5)),
        ("toml", f"format = 1\n[plan]\nid = 'x'\nn = 1_{BIG}\n", (4, 5)),
        ("json", f'{{"format": 1,\n "plan": {{"id": "x", "n": {BIG}}}}}\n', (2, 27)),
    ],
    ids=["yaml", "yaml-tagged", "toml", "toml-underscores", "json"],
)
def test_a_number_of_too_many_digits_is_refused_at_its_place(fmt: str, text: str, place: tuple[int, int]) -> None:
    error = refused(loads, text, fmt)
    assert where(error) == place
    message = error.diagnostics[0].message
    assert ("5,000 digits" in message or "5,001 digits" in message) and f"{limits.MAX_INT_DIGITS:,}" in message
    assert "set_int_max_str_digits" not in message  # not Python's wording


def test_a_long_number_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(f"format = 1\n[plan]\nid = 'x'\nn = {BIG}\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}:4:5: a number of 5,000 digits" in result.output


def test_numbers_at_the_limit_still_read() -> None:
    data, _ = techdiversity.formats.read_text(f"format: 1\nplan: {{id: x, n: {'9' * limits.MAX_INT_DIGITS}}}\n", "yaml")
    assert data["plan"]["n"] == int("9" * limits.MAX_INT_DIGITS)


# ---------------------------------------------------------------------------
# 2. Encodings


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")],
)
def test_a_file_in_another_unicode_encoding_is_named(encoding: str, name: str, tmp_path: Path) -> None:
    import codecs

    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[encoding]
    path = tmp_path / "plan.yaml"
    path.write_bytes(bom + "format: 1\nplan: {id: x}\n".encode(encoding))
    error = refused(load, path)
    assert where(error) == (1, 1)
    assert f"{name} text" in str(error) and "save it as UTF-8" in str(error)
    assert "binary" not in str(error)


def test_latin1_is_still_refused_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"format: 1\nplan: {id: x, city: caf\xe9}\n")
    assert "not UTF-8" in str(refused(load, path))


# ---------------------------------------------------------------------------
# 3. Lone surrogates


@pytest.mark.parametrize(
    ("fmt", "text", "place", "field"),
    [
        ("json", '{"format": 1,\n "plan": {"id": "x", "title": "a\\ud800b"}}', (2, 31), "plan.title"),
        ("json", '{"format": 1,\n "plan": {"id": "x", "\\udc00": 1}}', (2, 22), "plan.\udc00"),
        (
            "json",
            '{"format": 1, "plan": {"id": "x"}, "actions": [{"id": "A1", "title": "\\udfff"}]}',
            (1, 70),
            "actions[0].title",
        ),
        ("toml", 'format = 1\n[plan]\nid = "x"\ntitle = "\\ud800"\n', (4, 16), ""),
        ("yaml", 'format: 1\nplan: {id: x, title: "\\ud800"}\n', (2, 25), ""),
    ],
    ids=["json-value", "json-key", "json-nested", "toml", "yaml-escape"],
)
def test_an_escaped_lone_surrogate_is_refused(fmt: str, text: str, place: tuple[int, int], field: str) -> None:
    error = refused(loads, text, fmt)
    assert where(error) == place, str(error)
    assert "surrogate" in str(error) or "Unicode" in str(error)
    if field:
        assert error.diagnostics[0].field == field
    str(error).encode("utf-8")  # the message itself can be printed


def test_a_surrogate_pair_escape_is_one_character() -> None:
    plan = loads('{"format": 1, "plan": {"id": "x", "title": "\\ud83d\\ude00 and \\\\ud800"}}', "json")
    assert plan.plan.title == "\U0001f600 and \\ud800"
    td.dumps(plan)


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_a_raw_surrogate_in_a_str_given_to_loads_is_refused(fmt: str) -> None:
    text = {
        "yaml": "format: 1\nplan:\n  id: x\n  title: ab\ud800\n",
        "json": '{"format": 1,\n "plan": {"id": "x",\n "title": "ab\ud800"}}',
        "toml": 'format = 1\n[plan]\nid = "x"\ntitle = "ab\ud800"\n',
    }[fmt]
    error = refused(loads, text, fmt)
    assert where(error)[0] in (3, 4) and "surrogate" in str(error)
    str(error).encode("utf-8")


def test_what_loads_is_what_can_be_written() -> None:
    for text, fmt in [('{"format": 1, "plan": {"id": "x", "title": "\\ud800"}}', "json")]:
        with pytest.raises(PlanError):
            td.dumps(loads(text, fmt))


# ---------------------------------------------------------------------------
# 4. Files that are not files; the size cap while reading; symbolic links out of a folder


def test_a_device_named_as_a_plan_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    error = refused(load, link)
    assert "is a device" in str(error)
    result = CliRunner().invoke(main, ["check", str(link)])
    assert result.exit_code == 2 and f"{link}: is a device, not a plan file" in result.output


def test_a_fifo_named_as_a_plan_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    done: list[str] = []

    def read() -> None:
        try:
            load(fifo)
        except PlanError as exc:
            done.append(str(exc))

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO with no writer hung")
    assert done and "is a FIFO" in done[0]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_the_cli_refuses_a_fifo_in_a_subprocess(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert proc.returncode == 2 and "is a FIFO" in proc.stderr and "Traceback" not in proc.stderr


def test_the_size_cap_holds_while_reading_not_only_from_stat(monkeypatch: pytest.MonkeyPatch) -> None:
    # /proc files claim a size of 0 and send more: the budget is counted as bytes arrive
    proc = Path("/proc/self/maps")
    if not proc.exists():
        pytest.skip("no /proc")
    assert os.stat(proc).st_size == 0
    monkeypatch.setattr(techdiversity.formats, "MAX_BYTES", 10)
    error = refused(techdiversity.io._read_bytes, proc)
    assert "larger than" in str(error) and "budget" in str(error)


def test_a_file_that_grows_past_its_stat_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def lying_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        values = list(info)
        values[stat.ST_SIZE] = 5  # claims 5 bytes, holds 100
        return os.stat_result(values)

    monkeypatch.setattr(techdiversity.formats, "MAX_BYTES", 50)
    monkeypatch.setattr(techdiversity.io.os, "fstat", lying_fstat)
    assert "larger than" in str(refused(techdiversity.io._read_bytes, path))


def _folder_with_links(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    outside = tmp_path / "secret.yaml"
    outside.write_text("format: 1\nplan: {id: secret}\n", "utf-8")
    (folder / "a.yaml").write_text("format: 1\nplan: {id: a}\n", "utf-8")
    (folder / "inside.yaml").symlink_to(folder / "a.yaml")
    (folder / "out.yaml").symlink_to(outside)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    return folder


def test_folder_expansion_does_not_follow_links_out(tmp_path: Path) -> None:
    folder = _folder_with_links(tmp_path)
    skipped: list[str] = []
    files = expand_paths(folder, skipped=skipped)
    assert [Path(f).name for f in files] == ["a.yaml", "inside.yaml"]
    assert sorted(Path(s).name for s in skipped) == ["out.yaml", "zero.yaml"]
    with pytest.warns(SymlinkOutWarning) as caught:
        expand_paths(folder)
    assert sorted(Path(str(w.message).split(":")[0]).name for w in caught) == ["out.yaml", "zero.yaml"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        followed = expand_paths(folder, follow_symlinks=True)
    assert [Path(f).name for f in followed] == ["a.yaml", "inside.yaml", "out.yaml"]  # /dev/zero is no file


def test_the_cli_says_what_it_left_out_and_follows_when_asked(tmp_path: Path) -> None:
    folder = _folder_with_links(tmp_path)
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"{folder / 'out.yaml'}: a symbolic link out of the folder, not read" in result.output
    assert "2 plan(s) checked" in result.output
    followed = CliRunner().invoke(main, ["--follow-symlinks", "check", str(folder)])
    assert followed.exit_code == 0 and "3 plan(s) checked" in followed.output
    assert "symbolic link" not in followed.output
    # a plain run after it is back to the default
    again = CliRunner().invoke(main, ["check", str(folder)])
    assert "2 plan(s) checked" in again.output


def test_a_link_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    folder = _folder_with_links(tmp_path)
    result = CliRunner().invoke(main, ["check", str(folder / "out.yaml")])
    assert result.exit_code == 0 and "1 plan(s) checked" in result.output


def test_examples_still_load() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        assert load(path).id


# ---------------------------------------------------------------------------
# Found by the fuzz test: the JSON locator reads text past where the parser stopped


@pytest.mark.parametrize(
    "text",
    [
        '{"a": {"x": 1, "x": 2}}\n"\x01": 1',
        '{"a": {"x": 1, "x": 2}} ]]]]',
        '{"a": NaN} ]]] "\x02":',
    ],
    ids=["control-in-a-later-key", "more-closers", "constant-then-garbage"],
)
def test_a_json_refusal_is_placed_whatever_follows_the_fault(text: str) -> None:
    error = refused(loads, text, "json")
    assert where(error)[0] == 1 and ("duplicate key" in str(error) or "NaN" in str(error))


# ---------------------------------------------------------------------------
# The security page states every budget as limits.py has it


def test_the_security_page_states_every_budget() -> None:
    page = (ROOT / "docs" / "security.md").read_text("utf-8")
    rows = dict(re.findall(r"^\| `(MAX_\w+)` \| ([^|]+) \|", page, re.M))
    budgets = {name: getattr(limits, name) for name in limits.__all__ if name.startswith("MAX_")}
    assert set(rows) == set(budgets)
    for name, value in budgets.items():
        shown = rows[name].strip()
        expected = limits.mib(value) if shown.endswith("MiB") else f"{value:,}"
        assert shown == expected, (name, shown, expected)
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "security.md" in nav
