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


_FILE_BLOCK = re.compile(r"^```(?:toml|python|py)[ \t]*\n# ([\w./-]+)\n(.*?)^```[ \t]*$", re.S | re.M)


def _files() -> dict[str, str]:
    """The tutorial's files: each fenced block whose first line is ``# <path>``, by path."""
    found = {path: f"# {path}\n{body}" for path, body in _FILE_BLOCK.findall(PAGE)}
    assert set(found) == {
        "pyproject.toml",
        "src/techdiversity_vision/__init__.py",
        "tests/test_vision.py",
    }, sorted(found)
    return found


def test_the_layout_shown_is_the_layout_written() -> None:
    tree = re.search(r"^```text\n(techdiversity-vision/.*?)^```", PAGE, re.S | re.M)
    assert tree is not None
    for path in _files():
        assert Path(path).name in tree.group(1), path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tutorial")
    package = root / "techdiversity-vision"
    for path, text in _files().items():
        target_file = package / path
        target_file.parent.mkdir(parents=True, exist_ok=True)
        target_file.write_text(text, "utf-8")
    target = root / "site"
    # build and install as the page says (pip install ./techdiversity-vision), the test beside the
    # package; without build isolation, so that no index is needed (setuptools is a dev dependency)
    proc = subprocess.run(
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
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    installed_files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert "techdiversity_vision/__init__.py" in installed_files
    assert not [f for f in installed_files if f.startswith("tests/")], "the tests were installed as a package"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(target), env.get("PYTHONPATH", "")])
    env.pop("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", None)
    env["TUTORIAL_PACKAGE"] = str(package)
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


def test_the_pages_own_tests_pass(installed: dict[str, str]) -> None:
    package = Path(installed["TUTORIAL_PACKAGE"])
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        env=installed,
        cwd=package,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 passed" in proc.stdout


def test_rubrics_listing_shows_what_the_tutorial_rubric_listens_to(installed: dict[str, str]) -> None:
    proc = _run(installed, "rubrics")
    assert proc.returncode == 0, proc.stderr
    assert "names-groups [completion]: The vision names the plan's target groups" in proc.stdout
    assert "listens to: TD600" in proc.stdout
