"""The README says only what works: its command examples and its Python block run as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
BIN = Path(sys.executable).parent


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _commands() -> list[str]:
    """The lines of the shell blocks that use the installed command (the Quick start's make lines aside)."""
    lines: list[str] = []
    for block in _blocks("sh"):
        if ".venv/bin/techdiversity" not in block:
            continue
        for line in block.splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not command.startswith("#"):
                lines.append(command)
    return lines


COMMANDS = _commands()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like the root of a clone: the examples, and .venv/bin pointing at this environment."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", root / "examples")
    (root / ".venv").mkdir()
    (root / ".venv" / "bin").symlink_to(BIN, target_is_directory=True)
    return root


def test_the_readme_has_command_examples() -> None:
    assert len(COMMANDS) >= 10
    used = {c.split()[1] for c in COMMANDS if c.startswith(".venv/bin/techdiversity ")}
    assert {"check", "checks", "new", "score", "export", "monitor", "compare", "diff"} <= used


def test_the_readme_commands_run_in_order(workdir: Path) -> None:
    for command in COMMANDS:
        proc = subprocess.run(["bash", "-c", command], cwd=workdir, capture_output=True, text=True, timeout=300)
        allowed = (0, 1) if command.startswith(".venv/bin/techdiversity check ") else (0,)
        assert proc.returncode in allowed, f"{command}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr, command
    # what the commands say they write is there
    assert (workdir / "my-city.yaml").is_file() and (workdir / "trikala.html").read_text("utf-8").startswith(
        "<!DOCTYPE html>"
    )
    assert (workdir / "trikala.xml").read_text("utf-8").startswith("<?xml")


def test_the_score_example_uses_an_assessment_that_ships() -> None:
    (score,) = [c for c in COMMANDS if " score " in c]
    assessment = score.split("--assessment", 1)[1].split()[0]
    assert (ROOT / assessment).is_file() and assessment.startswith("examples/")


def test_the_readme_python_block_runs(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = [b for b in _blocks("python") if "import techdiversity" in b]
    monkeypatch.chdir(workdir)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    import techdiversity as td

    assert td.load(workdir / "copy.json") == namespace["plan"]
    assert len(namespace["rows"]) == 8  # type: ignore[arg-type]


def test_the_readme_claims_no_toml_writing() -> None:
    import techdiversity as td

    plan = td.load(ROOT / "examples" / "trikala.yaml")
    with pytest.raises(ValueError, match="cannot write"):
        td.dumps(plan, "toml")
    prose = " ".join(README.split())
    assert "writes it back losslessly as YAML or JSON" in prose
    assert not re.search(r"writes?[^.]*\bTOML\b", prose), "the README claims TOML writing"
