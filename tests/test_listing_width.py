"""The listings ``checks``, ``exporters`` and ``plugins`` fit 100 columns (they were 121, 150 and 432)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from techdiversity.cli import main
from techdiversity.cli.tables import DEFAULT_WIDTH, display_width


@pytest.mark.parametrize("command", ["checks", "exporters", "plugins"])
def test_the_listing_fits_100_columns(command: str) -> None:
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines
    widest = max(lines, key=display_width)
    assert display_width(widest) <= DEFAULT_WIDTH, widest
    assert all(line == line.rstrip() for line in lines)


def test_the_checks_listing_keeps_every_check_and_title_whole() -> None:
    from techdiversity.checks import registry

    text = CliRunner().invoke(main, ["checks"]).stdout
    flat = " ".join(text.split())
    for check in registry():
        assert check.code in text and check.name in text
        assert " ".join(check.title.split()) in flat  # wrapped, perhaps, but all there


def test_the_plugins_listing_names_every_check_code() -> None:
    from techdiversity.checks import registry

    text = CliRunner().invoke(main, ["plugins"]).stdout
    for check in registry():
        assert check.code in text
