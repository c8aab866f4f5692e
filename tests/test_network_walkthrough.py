"""The researcher's walkthrough (docs/network.md) runs as written.

Every ```python block of the page runs, in page order, in one namespace, with the
repository root as the working directory (as the docs convention of test_docs.py
says); temporary files go to a temporary directory of the test.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "network.md"
_PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def _blocks() -> list[tuple[int, str]]:
    text = PAGE.read_text("utf-8")
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _PYTHON_BLOCK.finditer(text)]


def test_the_walkthrough_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks()
    assert len(blocks) >= 10, "docs/network.md should be a walkthrough of many ```python cells"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "docs_network"}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for line, source in blocks:
            code = compile(source, f"docs/network.md, block at line {line}", "exec")
            try:
                exec(code, namespace)
            except Exception as exc:
                pytest.fail(
                    f"the example at docs/network.md:{line} fails: {type(exc).__name__}: {exc}\n"
                    f"--- it printed, before failing:\n{output.getvalue()[-2000:]}"
                )
    printed = output.getvalue()
    # the three questions, answered
    assert "{'Idrija': ['SO1']}" in printed
    assert "['Amarante', 'Arezzo', 'Bielsko-Biała', 'Idrija', 'Larnaka']" in printed
    assert printed.count("reviewed by") == 8
    assert "(moved)" in printed
    assert Path.cwd() == ROOT and os.path.isdir("examples")


def test_the_walkthrough_names_the_questions() -> None:
    text = PAGE.read_text("utf-8")
    for heading in (
        "## Which objectives lack indicators?",
        "## Which cities serve migrants?",
        "## Who should review whom?",
    ):
        assert heading in text
