"""The text around the cursor, read without the reader: completion's context, and columns."""

from __future__ import annotations

import pytest

from techdiversity import model
from techdiversity.lsp.context import context_at, resolve
from techdiversity.lsp.positions import from_units, to_units


def at(marked: str, fmt: str = "yaml") -> tuple[tuple[str, ...], str | None, str]:
    """The context at the ``|`` of ``marked``: (path, key, word typed so far)."""
    i = marked.index("|")
    text = marked.replace("|", "", 1)
    before = text[:i]
    row = before.count("\n")
    col = len(before) - (before.rfind("\n") + 1)
    ctx = context_at(text.split("\n"), row, col, fmt)
    return ctx.path, ctx.key, ctx.word


CASES = [
    ("actions:\n  - id: A1\n    contributes_to: [SO1, S|O2]\n", "yaml", (("actions", "*"), "contributes_to", "S")),
    ('actions:\n  - id: A1\n    contributes_to: ["S|\n', "yaml", (("actions", "*"), "contributes_to", "S")),
    ("actions:\n  - id: A1\n    contri|\n", "yaml", (("actions", "*"), None, "contri")),
    ("actions:\n  - id: A1\n    timescale:\n      st|\n", "yaml", (("actions", "*", "timescale"), None, "st")),
    ("actions:\n  - id: A1\n    contributes_to:\n      - S|\n", "yaml", (("actions", "*"), "contributes_to", "S")),
    ("actions:\n- id: A1\n  contributes_to:\n  - SO1\n  - S|\n", "yaml", (("actions", "*"), "contributes_to", "S")),
    ("actions:\n  - id: A1\n    lead: |\n", "yaml", (("actions", "*"), "lead", "")),
    (
        "actions:\n  - id: A1\n    resources: [{kind: budget, source: mu|}]\n",
        "yaml",
        (("actions", "*", "resources", "*"), "source", "mu"),
    ),
    (
        "actions:\n- id: A1\n  resources:\n  - kind: budget\n    so|\n",
        "yaml",
        (("actions", "*", "resources", "*"), None, "so"),
    ),
    (
        "stakeholders:\n  - {id: S1, name: Biała 🚀 (x), type: ngo, participation: p|}\n",
        "yaml",
        (("stakeholders", "*"), "participation", "p"),
    ),
    ("plan: {id: x, period: {st|\n", "yaml", (("plan", "period"), None, "st")),
    ("integration:\n  types:\n    vertical: {sc|\n", "yaml", (("integration", "types", "vertical"), None, "sc")),
    ('{"actions": [{"id": "A1", "contributes_to": ["S|"]}]}', "json", (("actions", "*"), "contributes_to", "S")),
    ('{"actions": [{"id": "A1", "con|', "json", (("actions", "*"), None, "con")),
    ('{"plan": {"id": "x", "status": "d|"}}', "json", (("plan",), "status", "d")),
    (
        'format = 1\n[[actions]]\nid = "A1"\ncontributes_to = ["SO1", "S|"]\n',
        "toml",
        (("actions", "*"), "contributes_to", "S"),
    ),
    ('[[actions]]\ncontributes_to = [\n  "SO1",\n  "S|\n', "toml", (("actions", "*"), "contributes_to", "S")),
    ('[[actions]]\nid = "A1"\nco|\n', "toml", (("actions", "*"), None, "co")),
    ('[[actions.resources]]\nsource = "|"\n', "toml", (("actions", "resources", "*"), "source", "")),
    ("[plan]\nperiod = {st|}\n", "toml", (("plan", "period"), None, "st")),
]


@pytest.mark.parametrize(("marked", "fmt", "expected"), CASES)
def test_context(marked: str, fmt: str, expected: tuple[tuple[str, ...], str | None, str]) -> None:
    assert at(marked, fmt) == expected


def test_paths_resolve_to_model_classes() -> None:
    assert resolve(("actions", "*")) is model.Action
    assert resolve(("actions", "resources", "*")) is model.Resource  # TOML writes no item
    assert resolve(("actions", "*", "timescale")) is model.Period
    assert resolve(("integration", "types", "vertical")) is model.IntegrationType
    assert resolve(("actions", "*", "nonsense")) is None
    assert resolve(("assessment",), model.AssessmentFile) is model.Assessment


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
@pytest.mark.parametrize(
    "line",
    [
        "a" + " " * 200_000,
        "[" + " " * 200_000,
        "[[" * 50_000,
        "{" * 100_000,
        '"' + "x" * 200_000,
        "- " * 100_000,
        "k: " + "[a, " * 50_000,
        "#" + ":" * 100_000,
    ],
    ids=["spaces", "bracket-spaces", "brackets", "braces", "open-quote", "dashes", "open-flow", "colons"],
)
def test_hostile_lines_are_read_in_linear_time(line: str, fmt: str) -> None:
    lines = ["format: 1", line, line[:1000]]
    for row in (1, 2):
        ctx = context_at(lines, row, len(lines[row]), fmt)
        assert 0 <= ctx.start <= ctx.end <= len(lines[row])


def test_columns_count_code_units() -> None:
    line = "title: Bielsko-Biała 🚀 SO1"
    col = line.index("SO1")
    assert to_units(line, col, "utf-32") == col
    assert to_units(line, col, "utf-16") == col + 1  # the emoji is two UTF-16 units
    assert to_units(line, col, "utf-8") == len(line[:col].encode("utf-8"))
    for encoding in ("utf-8", "utf-16", "utf-32"):
        assert from_units(line, to_units(line, col, encoding), encoding) == col
        assert from_units(line, 10**6, encoding) == len(line)
        assert from_units(line, -3, encoding) == 0
    # a column inside the emoji is taken as its start
    emoji = line.index("🚀")
    assert from_units(line, to_units(line, emoji, "utf-16") + 1, "utf-16") == emoji
