"""The IATI walkthrough (docs/iati.md) runs as written, on a real multi-activity file.

Every ```python block of the page runs, in page order, in one namespace, with the
repository root as the working directory.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "iati.md"
_PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def test_the_iati_walkthrough_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("lxml")
    text = PAGE.read_text("utf-8")
    blocks = [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _PYTHON_BLOCK.finditer(text)]
    assert len(blocks) >= 6
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "docs_iati"}
    output = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(output):
        for line, source in blocks:
            try:
                exec(compile(source, f"docs/iati.md, block at line {line}", "exec"), namespace)
            except Exception as exc:
                pytest.fail(f"the example at docs/iati.md:{line} fails: {type(exc).__name__}: {exc}")
    printed = output.getvalue()
    assert "holds 18 activities" in printed
    assert "17 plans, 1 activity refused" in printed
    assert "KR-GOV-390-GRP_0000147815 line" in printed and "before it starts" in printed
    assert "NL-KVK-27108436" in printed  # a publisher, grouped
    assert "('AF-KAN', 'KH-ABC')" in printed
    assert "(99, PartialDate('2025'))" in printed  # 52 girls and 47 boys in 2025
    assert "[(PartialDate('2024'), 40), (PartialDate('2025'), 52)]" in printed
    assert "periods, valid" in printed and "\n0 indicators" not in printed
    assert "of them approximated" in printed
