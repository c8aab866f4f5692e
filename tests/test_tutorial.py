"""The plugin author tutorial (docs/plugins.md) works as written.

Its files are taken from the page, installed with pip into a folder of their own, and
used through the command line and the Python API in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "plugins.md").read_text("utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}[ \t]*\n(.*?)^```[ \t]*$", PAGE, re.S | re.M)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tutorial")
    package = root / "techdiversity-vision"
    package.mkdir()
    (pyproject,) = _blocks("toml")
    (module,) = _blocks("python")
    (package / "pyproject.toml").write_text(pyproject, "utf-8")
    (package / "techdiversity_vision.py").write_text(module, "utf-8")
    target = root / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(package),
        ],
        check=True,
        capture_output=True,
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(target), env.get("PYTHONPATH", "")])
    env.pop("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", None)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "techdiversity", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_plugin_is_listed(installed: dict[str, str]) -> None:
    proc = _run(installed, "plugins", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    plugins = {p["name"]: p for p in json.loads(proc.stdout)["plugins"]}
    assert plugins["vision"]["version"] == "0.1.0"
    assert plugins["vision"]["adds"]["rubrics"] == ["vision"]


def test_score_with_the_tutorial_rubric(installed: dict[str, str]) -> None:
    proc = _run(installed, "score", "examples/trikala.yaml", "--rubric", "vision", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    card = json.loads(proc.stdout)
    assert card["rubric"]["name"] == "vision"
    (section,) = card["sections"]
    assert [c["id"] for c in section["criteria"]] == ["headline", "names-groups"]
    assert section["criteria"][0]["score"] == 5


def test_the_pages_own_tests_pass(installed: dict[str, str], tmp_path: Path) -> None:
    tests = next(b for b in re.findall(r"^```py[ \t]*\n(.*?)^```[ \t]*$", PAGE, re.S | re.M) if "def test_" in b)
    (tmp_path / "test_vision_plugin.py").write_text(tests, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        env=installed,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout
