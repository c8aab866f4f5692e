"""The command line: check (text and JSON), checks, new; exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from techdiversity.checks import builtin_checks
from techdiversity.cli import main

runner = CliRunner()


def _plan_with(starter: Path, old: str, new: str) -> Path:
    text = starter.read_text("utf-8")
    assert old in text
    out = starter.with_name("changed.yaml")
    out.write_text(text.replace(old, new), "utf-8")
    return out


def test_check_clean_plan_exits_0(starter_file: Path) -> None:
    result = runner.invoke(main, ["check", str(starter_file)])
    assert result.exit_code == 0, result.output
    assert "1 plan(s) checked: 0 error(s), 0 warning(s), 0 info" in result.stderr


def test_check_text_output_and_exit_1(starter_file: Path) -> None:
    path = _plan_with(starter_file, "contributes_to: [SO1]", "contributes_to: []")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{path}:") and " TD103 error action A1 contributes to no objective" in line for line in lines
    )
    # path:line:col: CODE severity message
    for line in lines:
        prefix, _, rest = line.partition(": ")
        file, row, col = prefix.rsplit(":", 2)
        assert file == str(path) and row.isdigit() and col.isdigit()
        code, severity, _msg = rest.split(" ", 2)
        assert code.startswith("TD") and severity in ("error", "warning", "info")


def test_warnings_only_exit_0(starter_file: Path) -> None:
    path = _plan_with(starter_file, "    lead: S1 ", "    # no lead ")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert "TD400 warning" in result.stdout


def test_check_json_matches_the_documented_shape(starter_file: Path) -> None:
    path = _plan_with(starter_file, "contributes_to: [SO1]", "contributes_to: []")
    result = runner.invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"plans", "summary"}
    (entry,) = doc["plans"]
    assert entry["path"] == str(path)
    assert entry["plan"] == "testville-iap"
    by_code = {f["code"]: f for f in entry["findings"]}
    f = by_code["TD103"]
    assert f["severity"] == "error"
    assert f["message"] == "action A1 contributes to no objective"
    assert f["subjects"] == ["A1"]
    assert set(f["location"]) == {"path", "line", "column"}
    assert f["location"]["path"] == str(path)
    assert doc["summary"] == {"plans": 1, "error": 1, "warning": 1, "info": 0}


def test_unreadable_file_exit_2_and_json_lists_it(tmp_path: Path, starter_file: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nplan:\n  id: x\n  stauts: draft\n", "utf-8")
    result = runner.invoke(main, ["check", "--format", "json", str(starter_file), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:3: plan.stauts: unknown key 'stauts' (did you mean 'status'?)" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["plans"] == 1 and doc["summary"]["unreadable"] == 1
    assert doc["unreadable"][0]["path"] == str(bad)
    assert doc["unreadable"][0]["errors"][0]["location"] == {"path": str(bad), "line": 4, "column": 3}


def test_select_ignore_and_unknown_code(starter_file: Path) -> None:
    path = _plan_with(starter_file, "contributes_to: [SO1]", "contributes_to: []")
    result = runner.invoke(main, ["check", "--select", "TD104", str(path)])
    assert result.exit_code == 0 and "TD104" in result.stdout and "TD103" not in result.stdout
    result = runner.invoke(main, ["check", "--ignore", "TD103,TD104", str(path)])
    assert result.exit_code == 0 and "TD10" not in result.stdout
    result = runner.invoke(main, ["check", "--select", "TD999", str(path)])
    assert result.exit_code == 2 and "matches no check" in result.stderr


def test_directory_argument(tmp_path: Path, starter_file: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a plan", "utf-8")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 0
    assert "1 plan(s) checked" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["check", str(empty)])
    assert result.exit_code == 2


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_checks_lists_every_check_and_docs() -> None:
    result = runner.invoke(main, ["checks"])
    assert result.exit_code == 0
    for c in builtin_checks():
        assert c.code in result.stdout and c.name in result.stdout
    result = runner.invoke(main, ["checks", "TD103"])
    assert "Why it matters" in result.stdout and "How to fix it" in result.stdout
    result = runner.invoke(main, ["checks", "--format", "json"])
    data = json.loads(result.stdout)
    assert {d["code"] for d in data} == {c.code for c in builtin_checks()}
    assert runner.invoke(main, ["checks", "TD999"]).exit_code == 2


def test_new_writes_a_plan_that_passes(tmp_path: Path) -> None:
    path = tmp_path / "city.yaml"
    result = runner.invoke(main, ["new", str(path), "--city", "Bielsko-Biała"])
    assert result.exit_code == 0, result.output
    text = path.read_text("utf-8")
    assert "id: bielsko-biala-iap" in text and "# " in text
    check = runner.invoke(main, ["check", str(path)])
    assert check.exit_code == 0 and check.stdout == ""
    # never overwrites silently
    again = runner.invoke(main, ["new", str(path)])
    assert again.exit_code == 2 and "exists" in again.stderr
    assert runner.invoke(main, ["new", str(path), "--force", "--city", "Idrija"]).exit_code == 0
    assert "Idrija" in path.read_text("utf-8")
    # to standard output
    out = runner.invoke(main, ["new", "--city", 'Quote "City"'])
    assert out.exit_code == 0 and 'city: "Quote \\"City\\""' in out.stdout


def test_no_progress_bar_when_not_a_terminal(starter_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(starter_file.read_text("utf-8"), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", str(starter_file), str(other)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stderr == "2 plan(s) checked: 0 error(s), 0 warning(s), 0 info\n"


def test_progress_bar_on_a_terminal(starter_file: Path, tmp_path: Path) -> None:
    import os
    import pty

    other = tmp_path / "other.yaml"
    other.write_text(starter_file.read_text("utf-8"), "utf-8")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "techdiversity", "check", str(starter_file), str(other)],
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(leader)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert "Checking plans" in seen
    assert proc.returncode == 0


def test_import_is_light() -> None:
    code = (
        "import sys, techdiversity; "
        "heavy = [m for m in ('networkx', 'yaml', 'cattrs', 'pluggy', 'click') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_export_bad_option_is_a_usage_error(starter_file: Path) -> None:
    result = runner.invoke(main, ["export", str(starter_file), "--to", "iati", "--option", "identifier=two words"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "iati:" in result.stderr
    result = runner.invoke(main, ["export", str(starter_file), "--to", "html", "--option", "novalue"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.stderr


def test_check_jobs_gives_the_same_output(tmp_path: Path) -> None:
    """Over many files, --jobs 2 writes what --jobs 1 writes, in the same order."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    for i in range(40):
        src = sorted(examples.glob("*.yaml"))[i % 8]
        (tmp_path / f"{i:03d}-{src.name}").write_text(src.read_text("utf-8"), "utf-8")
    (tmp_path / "999-broken.yaml").write_text("format: 1\nplan: {id: x, stauts: 1}\n", "utf-8")
    one = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    two = subprocess.run(
        [sys.executable, "-m", "techdiversity", "check", "--format", "json", "--jobs", "2", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout and one.stderr == two.stderr
    doc = json.loads(one.stdout)
    assert doc["summary"]["plans"] == 40 and doc["summary"]["unreadable"] == 1
    assert [p["path"] for p in doc["plans"]] == sorted(p["path"] for p in doc["plans"])
