"""What `pip install techdiversity` gives a user: the wheel, in a clean environment.

The sdist is built, then the wheel from the sdist (as ``python -m build`` does), so a
file missing from either shows here. The wheel is installed, not editable and with no
extras, into a fresh virtual environment (its dependencies constrained by the lock,
for speed and repeatability: ``TECHDIVERSITY_LOCK``, empty for none). Every command
the command line has (enumerated from it, so that a new command cannot be forgotten)
and every exporter it lists then run there on an example plan, and the optional parts
that a plain install lacks (lxml, the Word plugin) answer in one line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Files the package needs at run time, beyond its modules.
DATA_FILES = (
    "techdiversity/py.typed",
    "techdiversity/templates/starter.yaml",
    "techdiversity/templates/report.html.j2",
    "techdiversity/schemas/iati-2.03/iati-activities-schema.xsd",
    "techdiversity/schemas/iati-2.03/iati-common.xsd",
    "techdiversity/schemas/iati-2.03/xml.xsd",
    "techdiversity/schemas/iati-2.03/LICENSE",
)

#: Every command, with the runs that exercise it: (arguments, the exit statuses allowed).
#: PLAN is the Trikala example, OTHER another city, DIR the examples folder, REVIEW the
#: example assessment; OUT/ is a folder for the files written.
SMOKE: dict[str, list[tuple[list[str], tuple[int, ...]]]] = {
    "check": [
        (["PLAN", "OTHER"], (0,)),
        (["--format", "json", "DIR"], (1,)),
        (["--scheduler", "tcp://127.0.0.1:9", "DIR"], (2,)),  # the 'dask' extra is not installed: one line
    ],
    "checks": [([], (0,)), (["TD100"], (0,)), (["--format", "json"], (0,))],
    "new": [(["OUT/new.yaml", "--city", 'A "quoted": city'], (0,)), (["OUT/new.json"], (0,))],
    "score": [(["PLAN", "--assessment", "REVIEW"], (0,)), (["--all-rubrics", "--format", "json", "DIR"], (0,))],
    "rubrics": [([], (0,)), (["--format", "json"], (0,))],
    "exporters": [([], (0,)), (["--format", "json"], (0,))],
    "plugins": [([], (0,))],
    "schema": [([], (0,)), (["--assessment"], (0,))],
    "export": [(["PLAN", "-o", "OUT/report.HTML"], (0,))],  # every exporter: below
    "monitor": [(["PLAN", "--as-of", "2025-12", "--periods"], (0,))],
    "compare": [(["DIR", "--format", "csv"], (0,)), (["DIR", "--format", "html"], (0,))],
    "themes": [(["DIR"], (0,))],
    "review assign": [(["DIR", "--per-plan", "2"], (0,))],
    "review agreement": [(["PLAN", "--assessment", "REVIEW"], (0,))],
    "diff": [(["OUT/new.json", "OUT/new.yaml"], (0,))],  # two versions: the city was changed
    "lsp": [([], (2,))],  # the 'lsp' extra is not installed: one line, exit 2
}


def _lock() -> str | None:
    value = os.environ.get("TECHDIVERSITY_LOCK", str(ROOT / "requirements" / "dev.lock"))
    if not value:
        return None
    path = Path(value)
    return str(path if path.is_absolute() else ROOT / path)


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel built from it."""
    dist = tmp_path_factory.mktemp("dist")
    proc = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (sdist,) = dist.glob("techdiversity-*.tar.gz")
    (wheel,) = dist.glob("techdiversity-*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def venv(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel, and nothing else, installed."""
    root = tmp_path_factory.mktemp("venv")
    proc = _run([sys.executable, "-m", "venv", str(root)])
    assert proc.returncode == 0, proc.stderr
    lock = _lock()
    constraints = ["-c", lock] if lock else []
    proc = _run([str(root / "bin" / "python"), "-m", "pip", "install", "--quiet", *constraints, str(built["wheel"])])
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "examples", root / "examples")
    (root / "out").mkdir()
    return root


def _env(venv: Path) -> dict[str, str]:
    """The user's environment: the venv first on PATH, nothing of this checkout on sys.path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "TECHDIVERSITY_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _td(venv: Path, work: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return _run([str(venv / "bin" / "techdiversity"), *args], cwd=work, env=_env(venv))


def _expand(args: list[str]) -> list[str]:
    names = {
        "PLAN": "examples/trikala.yaml",
        "OTHER": "examples/bielsko-biala.yaml",
        "DIR": "examples/",
        "REVIEW": "examples/assessments/trikala-peer-review.yaml",
    }
    return [names.get(a, a.replace("OUT/", "out/")) for a in args]


def test_the_sdist_and_the_wheel_hold_the_data_files(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [line for line in wheel.read(metadata).decode().splitlines() if line.startswith("Requires-Dist:")]
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert any(r.startswith("Requires-Dist: openpyxl") and "extra" not in r for r in requires), requires
    with tarfile.open(built["sdist"]) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    missing = [f for f in DATA_FILES if f"src/{f}" not in members]
    assert not missing, f"not in the sdist: {missing}"


def test_the_wheel_installs_without_extras(venv: Path) -> None:
    proc = _run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format", "json"])
    installed = {p["name"].lower() for p in json.loads(proc.stdout)}
    assert "techdiversity" in installed and "openpyxl" in installed
    assert not installed & {
        "lxml",
        "python-docx",
        "techdiversity-docx",
        "techdiversity-indimae",
        "pytest",
        "distributed",
    }
    where = _run([str(venv / "bin" / "python"), "-c", "import techdiversity; print(techdiversity.__file__)"])
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed copy, not this checkout


def test_every_command_runs_from_the_wheel(venv: Path, work: Path) -> None:
    code = (
        "import json, click\n"
        "from techdiversity.cli import main\n"
        "def walk(command, path):\n"
        "    if isinstance(command, click.Group):\n"
        "        for name, sub in command.commands.items():\n"
        "            yield from walk(sub, [*path, name])\n"
        "    else:\n"
        "        yield ' '.join(path)\n"
        "print(json.dumps(sorted(walk(main, []))))\n"
    )
    proc = _run([str(venv / "bin" / "python"), "-c", code], cwd=work, env=_env(venv))
    assert proc.returncode == 0, proc.stderr
    commands = json.loads(proc.stdout)
    assert sorted(SMOKE) == commands, "a command without a smoke run here (or one that is gone): add it to SMOKE"
    for command in SMOKE:  # in the order above: new writes what diff reads
        for args, allowed in SMOKE[command]:
            full = [*command.split(), *_expand(args)]
            done = _td(venv, work, full)
            assert done.returncode in allowed, f"{' '.join(full)}: {done.returncode}\n{done.stderr[-3000:]}"
            assert "Traceback" not in done.stderr, " ".join(full)
    assert (work / "out" / "report.HTML").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert _td(venv, work, ["check", "out/new.yaml", "out/new.json"]).returncode == 0


def test_every_exporter_runs_from_the_wheel(venv: Path, work: Path) -> None:
    listed = _td(venv, work, ["exporters", "--format", "json"])
    assert listed.returncode == 0, listed.stderr
    exporters = json.loads(listed.stdout)["exporters"]
    names = {e["name"] for e in exporters}
    assert {"yaml", "json", "html", "markdown", "csv", "xlsx", "iati", "dot", "mermaid", "graphml"} <= names
    for e in exporters:
        out = work / "out" / f"trikala-{e['name']}{e['suffix']}"
        done = _td(venv, work, ["export", "examples/trikala.yaml", "--to", e["name"], "-o", str(out)])
        assert done.returncode == 0, f"{e['name']}: {done.stderr[-3000:]}"
        assert out.stat().st_size > 0, e["name"]
        if not e["binary"]:
            # the file and standard output are the same text (a fixed time for the IATI
            # export's generated-datetime, so that a second boundary cannot part them)
            fixed = ["--option", "generated-datetime=2025-01-31T12:00:00Z"] if e["name"] == "iati" else []
            done = _td(venv, work, ["export", "examples/trikala.yaml", "--to", e["name"], *fixed, "-o", str(out)])
            assert done.returncode == 0, f"{e['name']}: {done.stderr[-3000:]}"
            stdout = _td(venv, work, ["export", "examples/trikala.yaml", "--to", e["name"], *fixed])
            assert stdout.returncode == 0 and stdout.stdout == out.read_text("utf-8"), e["name"]
    # what the readers of a plain install read back: the plan files, the workbook, the IATI file
    for name in ("yaml", "json", "xlsx", "iati"):
        suffix = next(e["suffix"] for e in exporters if e["name"] == name)
        done = _td(venv, work, ["check", "--format", "json", f"out/trikala-{name}{suffix}"])
        assert done.returncode == 0, f"{name}: {done.stderr[-3000:]}"


def test_missing_optional_parts_answer_in_one_line(venv: Path, work: Path) -> None:
    done = _td(venv, work, ["export", "examples/trikala.yaml", "--to", "iati", "--validate", "-o", "out/v.xml"])
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "validating IATI XML needs lxml, which is not installed:"
        " pip install 'techdiversity[iati]' (or pip install lxml)"
    ]
    assert not (work / "out" / "v.xml").exists()
    done = _td(venv, work, ["score", "--scheduler", "tcp://127.0.0.1:9", "examples/"])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "--scheduler (a batch on a dask cluster) needs dask.distributed, which is not installed:"
        " pip install 'techdiversity[dask]'"
    ]
    done = _td(venv, work, ["export", "examples/trikala.yaml", "-o", "out/plan.docx"])
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "no exporter writes .docx files" in done.stderr  # the Word plugin is not installed


def test_the_api_from_the_wheel(venv: Path, work: Path) -> None:
    code = (
        "import techdiversity as td\n"
        "from techdiversity.exporters import export\n"
        "plan = td.load('examples/trikala.yaml')\n"
        "open('out/api.xlsx', 'wb').write(export(plan, 'xlsx'))\n"
        "assert td.load('out/api.xlsx') == plan\n"
        "card = td.score(plan)\n"
        "print(repr(card)); print(repr(td.check(plan))); print(repr(td.Network.load('examples/')))\n"
        "assert 'ScoreCard' in dir(td) and '<table' in card._repr_html_()\n"
    )
    proc = _run([str(venv / "bin" / "python"), "-c", code], cwd=work, env=_env(venv))
    assert proc.returncode == 0, proc.stderr
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["<ScoreCard", "<Report", "<Network"]
