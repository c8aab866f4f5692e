"""Shared fixtures: example plans, a starter plan on disk, plugin isolation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from techdiversity import plugins
from techdiversity.starter import starter_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture
def starter_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(starter_plan(city="Testville"), "utf-8")
    return path


@pytest.fixture(autouse=True)
def _fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with a fresh plugin manager and no plugin settings from outside."""
    monkeypatch.delenv(plugins.AUTOLOAD_ENV, raising=False)
    monkeypatch.delenv(plugins.DISABLE_ENV, raising=False)
    plugins.reset()
    yield
    plugins.reset()
