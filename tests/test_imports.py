"""The command line imports what the command needs: no batch machinery for one file.

Each command runs in a fresh interpreter (``sys.modules`` of this test process says
nothing), then the modules it imported are listed. ``check`` on one file used to import
the whole ``techdiversity.network`` package and ``concurrent.futures.process`` (with
``multiprocessing``) through the expansion of its paths.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = str(ROOT / "examples" / "trikala.yaml")
OTHER = str(ROOT / "examples" / "idrija.yaml")

#: What a command on plain files has no use for.
BATCH = ("techdiversity.network", "techdiversity.batch", "concurrent.futures.process", "multiprocessing")
CLUSTER = ("dask", "distributed")

RUN = (
    "import json, sys\n"
    "from techdiversity.cli import main\n"
    "try:\n"
    "    main(sys.argv[1:], prog_name='techdiversity')\n"
    "except SystemExit as done:\n"
    "    code = done.code\n"
    "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}), file=sys.stderr)\n"
)


def _imported(*args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)
    last = json.loads(proc.stderr.strip().splitlines()[-1])
    assert last["code"] in (0, 1, None), proc.stderr
    return list(last["modules"])


def _heavy(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


@pytest.mark.parametrize(
    "args",
    [
        ["check", PLAN],
        ["check", "--format", "json", PLAN, OTHER],
        ["score", PLAN],
        ["export", PLAN, "--to", "json"],
        ["export", PLAN, "--to", "markdown"],
        ["monitor", PLAN],
    ],
    ids=lambda a: " ".join(Path(x).name for x in a),
)
def test_a_command_on_plain_files_imports_no_batch_machinery(args: list[str]) -> None:
    modules = _imported(*args)
    assert _heavy(modules, BATCH + CLUSTER) == []
    assert "techdiversity.cli.check" in modules  # the probe saw the command line


def test_check_without_plugins_imports_no_exporter_and_no_graph() -> None:
    modules = _imported("--no-plugins", "check", PLAN)
    assert _heavy(modules, ("techdiversity.exporters", "techdiversity.graphs", "networkx", "jinja2", "openpyxl")) == []


def test_a_batch_imports_the_pool_only_when_it_uses_one() -> None:
    modules = _imported("check", str(ROOT / "examples"))
    assert "techdiversity.network.common" in modules  # a directory is expanded
    assert _heavy(modules, ("concurrent.futures.process", "multiprocessing", *CLUSTER)) == []
    modules = _imported("check", "--jobs", "2", str(ROOT / "examples"))
    assert "concurrent.futures.process" in modules
    assert _heavy(modules, CLUSTER) == []
