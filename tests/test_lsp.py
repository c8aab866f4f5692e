"""The language server, driven over stdio by a real LSP client (pytest-lsp).

Each test starts ``python -m techdiversity lsp`` as a subprocess, initializes it with
the capabilities of a real editor, and goes through the features on example plans in
YAML, JSON and TOML.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

import techdiversity as td
from conftest import ROOT
from test_plugins import make_distribution

EXAMPLE = ROOT / "examples" / "bielsko-biala.yaml"
DEBOUNCE_MS = 10


_PUBLISHED: dict[int, list[tuple[str, int | None]]] = {}


def _publish(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    _PUBLISHED.setdefault(id(client), []).append((params.uri, params.version))


def published(client: LanguageClient) -> list[tuple[str, int | None]]:
    """(uri, version) of every publishDiagnostics the client received, in order."""
    return _PUBLISHED.setdefault(id(client), [])


def _client() -> LanguageClient:
    """pytest-lsp's test client, remembering the version of each publishDiagnostics."""
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _publish})
    return client


def _config(tmp_path: Path, **env: str) -> ClientServerConfig:
    return ClientServerConfig(
        server_command=[sys.executable, "-m", "techdiversity", "lsp"],
        server_env=_env(tmp_path, **env),
        client_factory=_client,
    )


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TECHDIVERSITY_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.update(extra)
    return env


async def _start(
    tmp_path: Path, editor: str = "visual-studio-code", options: dict[str, Any] | None = None, **env: str
) -> LanguageClient:
    client = await _config(tmp_path, **env).start()
    assert isinstance(client, LanguageClient)
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities(editor),
            initialization_options={"debounce": DEBOUNCE_MS, **(options or {})},
        )
    )
    return client


@pytest_asyncio.fixture
async def client(tmp_path: Path) -> AsyncIterator[LanguageClient]:
    c = await _start(tmp_path)
    yield c
    await c.shutdown_session()
    await c.stop()


# -- helpers --------------------------------------------------------------------------


def _utf16(line: str, column: int) -> int:
    return len(line[:column].encode("utf-16-le")) // 2


def _pos(text: str, needle: str, offset: int = 0, nth: int = 0) -> lsp.Position:
    """The protocol position (UTF-16) of ``needle`` in ``text`` (its ``nth`` occurrence), plus ``offset``."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return lsp.Position(line=line, character=_utf16(text[start:].split("\n")[0], index - start))


def _offset(text: str, pos: lsp.Position) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return start + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def apply(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    """Apply text edits (non-overlapping) the way an editor does."""
    spans = sorted(
        ((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def _edits(edit: lsp.WorkspaceEdit | None, uri: str) -> list[lsp.TextEdit]:
    assert edit is not None and edit.changes is not None
    return list(edit.changes[uri])


async def _open(client: LanguageClient, path: Path, text: str, language: str = "yaml") -> list[lsp.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def _change(
    client: LanguageClient, path: Path, version: int, old: str, new: str, edits: Sequence[tuple[str, str]] = ()
) -> list[lsp.Diagnostic]:
    """Send the change from ``old`` to ``new`` as one incremental edit, and wait for its diagnostics."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    rng = lsp.Range(start=_position_of(old, start), end=_position_of(old, end_old))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=new[start:end_new])],
        )
    )
    while True:
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if published(client) and published(client)[-1] == (path.as_uri(), version):
            return list(client.diagnostics[path.as_uri()])


def _position_of(text: str, index: int) -> lsp.Position:
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return lsp.Position(line=line, character=_utf16(text[start:index], index - start))


def _labels(result: lsp.CompletionList | list[lsp.CompletionItem] | None) -> list[str]:
    assert result is not None
    items = result.items if isinstance(result, lsp.CompletionList) else result
    return [i.label for i in items]


def _hover_text(result: lsp.Hover | None) -> str:
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


# -- the command -------------------------------------------------------------------------


def test_without_the_extra_one_line_and_exit_2() -> None:
    code = (
        "import sys\n"
        "sys.modules['pygls'] = None\n"  # as if pygls were not installed
        "from techdiversity.cli import main\n"
        "main(['lsp'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "techdiversity: techdiversity lsp needs the 'lsp' extra: pip install 'techdiversity[lsp]'"
    ]


# -- a whole session on an example plan ---------------------------------------------------


@pytest.mark.asyncio
async def test_session_on_an_example_plan(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "bielsko-biala.yaml"
    text = EXAMPLE.read_text("utf-8")
    uri = path.as_uri()
    assert await _open(client, path, text) == []  # a coherent plan

    # an edit: a typo in a link gives TD100 on the id, with a link to its reference
    broken = text.replace(
        "contributes_to: [SO1]\n    intended_results: Girls", "contributes_to: [SO9]\n    intended_results: Girls", 1
    )
    diags = await _change(client, path, 2, text, broken)
    (diag,) = [d for d in diags if d.code == "TD100"]
    assert diag.severity == lsp.DiagnosticSeverity.Error and diag.source == "techdiversity"
    assert diag.range.start == _pos(broken, "SO9") and diag.range.end == _pos(broken, "SO9", 3)
    assert diag.code_description is not None and diag.code_description.href.endswith("#td100")
    page = diag.code_description.href.split("#")[0]
    assert page.startswith("file://") and 'id="td100"' in Path(page.removeprefix("file://")).read_text("utf-8")

    # hover on the diagnostic: the check's why and fix
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(broken, "SO9", 1))
        )
    )
    assert "TD100" in hover and "Why it matters" in hover and "How to fix it" in hover

    # code actions: the nearest existing id, and creating the missing objective
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions is not None
    titles = {a.title: a for a in actions if isinstance(a, lsp.CodeAction)}
    changes = [a for t, a in titles.items() if t.startswith("Change 'SO9' to")]
    assert [a.title.split(" (")[0] for a in changes] == [f"Change 'SO9' to 'SO{i}'" for i in (1, 2, 3)]
    change = changes[0]
    assert not any(a.is_preferred for a in changes)  # all three are as near: none is preferred
    assert change.kind == lsp.CodeActionKind.QuickFix
    assert apply(broken, _edits(change.edit, uri)) == text
    create = titles["Create objective SO9 (in objectives)"]
    created = apply(broken, _edits(create.edit, uri))
    plan = td.loads(created, "yaml")
    assert [o.id for o in plan.objectives] == ["SO1", "SO2", "SO3", "SO9"]
    assert "TD100" not in td.check(plan).codes()
    diags = await _change(client, path, 3, broken, created)
    assert "TD100" not in {d.code for d in diags}

    # completion of ids in a link field: objectives only, with their titles
    text = created
    pos = _pos(text, "contributes_to: [SO9]", len("contributes_to: ["))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert _labels(result) == ["SO1", "SO2", "SO3", "SO9"]
    assert isinstance(result, lsp.CompletionList)
    assert result.items[0].detail == "objective: IT inspiration"
    resolved = await client.completion_item_resolve_async(result.items[1])
    assert isinstance(resolved.documentation, lsp.MarkupContent)
    assert resolved.documentation.value.startswith("**SO2** · objective\n\nIT specialisation")
    pos = _pos(text, "lead: S2", len("lead: "))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert _labels(result) == [f"S{i}" for i in range(1, 11)]

    # hover on an id: the item it names; on a key: its meaning
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(text, "lead: S2", 6))
        )
    )
    assert hover.startswith("**S2** · stakeholder") and "BBDays.4.IT festival organising committee" in hover
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(text, "contributes_to", 3))
        )
    )
    assert "**contributes_to** (list of text) · Action" in hover and "TD103" in hover

    # go to definition, find references
    at = _pos(text, "addresses: [P1, P2, P3]", len("addresses: [P1, "))
    location = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(location, lsp.Location)
    assert location.range.start == _pos(text, "  - id: P2", len("  - id: "))
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=at,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    written = {text.split("\n")[r.range.start.line] for r in refs}
    plan = td.loads(text, "yaml")
    expected = (
        1
        + sum(o.addresses.count("P2") for o in plan.objectives)
        + sum((p.causes + p.effects).count("P2") for p in plan.problems)
    )
    assert len(refs) == expected and any("- id: P2" in line for line in written)

    # rename an id across the plan, as one edit
    pos = _pos(text, "  - id: SO1", len("  - id: "))
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert isinstance(prepared, lsp.Range) and prepared.start == pos
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos, new_name="SO-inspire")
    )
    renamed = apply(text, _edits(edit, uri))
    before, after = td.loads(text, "yaml"), td.loads(renamed, "yaml")
    assert after.objectives[0].id == "SO-inspire"
    for a, b in zip(before.actions, after.actions, strict=True):
        assert b.contributes_to == tuple("SO-inspire" if x == "SO1" else x for x in a.contributes_to)
    assert td.check(after).codes() == td.check(before).codes()
    with pytest.raises(Exception, match="already the id of objective SO2"):
        await client.text_document_rename_async(
            lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos, new_name="SO2")
        )
    with pytest.raises(Exception, match="not a usable id"):
        await client.text_document_rename_async(
            lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos, new_name="no spaces")
        )

    # document symbols: the sections of linkable things, with their items
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None
    sections = {s.name: s for s in symbols if isinstance(s, lsp.DocumentSymbol)}
    assert list(sections) == [
        "problems",
        "objectives",
        "actions",
        "indicators",
        "stakeholders",
        "risks",
        "testing_actions",
    ]
    objectives = sections["objectives"].children or []
    assert [s.name for s in objectives] == ["SO1", "SO2", "SO3", "SO9"]
    assert objectives[0].detail == "IT inspiration"
    assert objectives[0].selection_range.start == _pos(text, "  - id: SO1", len("  - id: "))
    assert [s.name for s in sections["actions"].children or []] == [a.id for a in plan.actions]


@pytest.mark.asyncio
async def test_keys_and_vocabularies_complete(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = EXAMPLE.read_text("utf-8")
    uri = path.as_uri()
    await _open(client, path, text)
    # a new key in an action
    typed = text.replace("    lead: S2\n", "    lead: S2\n    ti\n", 1)
    await _change(client, path, 2, text, typed)

    async def complete(at: lsp.Position) -> lsp.CompletionList:
        result = await client.text_document_completion_async(
            lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
        )
        assert isinstance(result, lsp.CompletionList)
        return result

    result = await complete(_pos(typed, "    ti\n", 6))
    labels = _labels(result)
    assert labels[:4] == ["id", "title", "description", "contributes_to"] and "timescale" in labels
    title = result.items[labels.index("title")]
    assert title.text_edit is not None and isinstance(title.text_edit, lsp.TextEdit)
    assert title.text_edit.new_text == "title: "
    assert title.text_edit.range.start == _pos(typed, "    ti\n", 4)
    assert (
        isinstance(title.documentation, lsp.MarkupContent)
        and "The action, in a few words." in title.documentation.value
    )
    # vocabularies: participation, funding sources, target groups (suggested)
    labels = _labels(await complete(_pos(typed, "participation: partner", len("participation: "))))
    assert labels == ["inform", "consult", "cooperate", "decide", "partner", "empower"]
    labels = _labels(await complete(_pos(typed, "source: municipal", len("source: mu"))))
    assert "municipal" in labels and "erdf" in labels
    labels = _labels(await complete(_pos(typed, "target_groups: [women, girls]", len("target_groups: ["))))
    assert "women" in labels and "people-with-disabilities" in labels


@pytest.mark.asyncio
async def test_invalid_text_keeps_the_last_good_parse(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = EXAMPLE.read_text("utf-8")
    uri = path.as_uri()
    await _open(client, path, text)
    # typing an unfinished list: the file does not parse any more
    typing = text.replace("    lead: S2\n", "    lead: S2\n    depends_on: [A\n", 1)
    diags = await _change(client, path, 2, text, typing)
    (diag,) = diags
    assert diag.severity == lsp.DiagnosticSeverity.Error and diag.code is None
    assert "YAML syntax error" in diag.message
    # completion, hover and definition still answer, from the last good parse
    pos = _pos(typing, "depends_on: [A\n", len("depends_on: [A"))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert _labels(result) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    below = _pos(typing, "partners: [S1, S5, S4]", len("partners: [S1, "))
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=below)
        )
    )
    assert hover.startswith("**S5** · stakeholder")
    location = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=below)
    )
    assert isinstance(location, lsp.Location)
    assert location.range.start == _pos(typing, "{id: S5", len("{id: "))
    # references and the outline too, where the older version is still written as it was
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=below,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    assert {typing.split("\n")[r.range.start.line][r.range.start.character : r.range.end.character] for r in refs} == {
        "S5"
    }
    assert len(refs) >= 2
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and "actions" in [s.name for s in symbols]
    # rename waits for a file that reads
    with pytest.raises(Exception, match="syntax error"):
        await client.text_document_rename_async(
            lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=below, new_name="S55")
        )


@pytest.mark.asyncio
async def test_positions_count_utf16_code_units(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = EXAMPLE.read_text("utf-8")
    line = '  - {id: A9, title: "Bielsko-Biała 🚀 day", contributes_to: [SO1, SO9], lead: S2}\n'
    text = text.replace("\nindicators:\n", "\n" + line + "indicators:\n", 1)
    uri = path.as_uri()
    diags = await _open(client, path, text)
    (diag,) = [d for d in diags if d.code == "TD100"]
    row = text.split("\n")
    start = _pos(text, "SO9]")
    assert diag.range.start == start and diag.range.end.character == start.character + 3
    # the emoji is two UTF-16 units: the column is one more than the code-point column
    assert start.character == row[start.line].index("SO9") + 1
    at = _pos(text, "[SO1, SO9]", 2)
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
        )
    )
    assert hover.startswith("**SO1** · objective")
    result = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=at,
            context=lsp.ReferenceContext(include_declaration=False),
        )
    )
    assert result is not None
    assert lsp.Range(start=_pos(text, "[SO1, SO9]", 1), end=_pos(text, "[SO1, SO9]", 4)) in [r.range for r in result]
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at, new_name="SO1x")
    )
    renamed = apply(text, _edits(edit, uri))
    assert '"Bielsko-Biała 🚀 day", contributes_to: [SO1x, SO9]' in renamed


@pytest.mark.asyncio
async def test_other_position_encodings(tmp_path: Path) -> None:
    caps = client_capabilities("visual-studio-code")
    caps.general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind.Utf8])
    client = await _config(tmp_path).start()
    assert isinstance(client, LanguageClient)
    result = await client.initialize_session(
        lsp.InitializeParams(capabilities=caps, initialization_options={"debounce": DEBOUNCE_MS})
    )
    assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
    rename = result.capabilities.rename_provider
    assert isinstance(rename, lsp.RenameOptions) and rename.prepare_provider
    try:
        path = tmp_path / "plan.yaml"
        text = (
            'format: 1\nplan: {id: x, title: "Biała 🚀", city: Bielsko}\n'
            'actions:\n  - {id: A1, title: "ł🚀", contributes_to: [SO9]}\n'
        )
        diags = await _open(client, path, text)
        (diag,) = [d for d in diags if d.code == "TD100"]
        line = text.split("\n")[3]
        assert diag.range.start.character == len(line[: line.index("SO9")].encode("utf-8"))
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.asyncio
async def test_other_files_are_left_alone(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    text = "services:\n  web:\n    image: nginx\n"
    assert await _open(client, path, text) == []
    # a syntax error in it stays unsaid too; a plan file's is said (the other tests)
    assert await _change(client, path, 2, text, text + "  db: [\n") == []


@pytest.mark.asyncio
async def test_baseline_stub(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = EXAMPLE.read_text("utf-8").replace("    baseline: {value: 120, date: 2023}\n", "", 1)
    uri = path.as_uri()
    diags = await _open(client, path, text)
    (diag,) = [d for d in diags if d.code == "TD202"]
    assert diag.range.start == _pos(text, "  - id: I1", len("  - id: "))
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions is not None
    (stub,) = [a for a in actions if isinstance(a, lsp.CodeAction) and "baseline stub" in a.title]
    fixed = apply(text, _edits(stub.edit, uri))
    assert "  - id: I1\n    baseline: {value: null, date: null}\n    name:" in fixed
    plan = td.loads(fixed, "yaml")
    assert plan.indicators[0].baseline is not None and plan.indicators[0].baseline.value is None


# -- JSON and TOML ------------------------------------------------------------------------

TOML_PLAN = """format = 1

[plan]
id = "toml-iap"
city = "Bielsko-Biała"
period = {start = 2025, end = 2030}

[[problems]]
id = "P1"
statement = "Few women in IT"
core = true

[[objectives]]
id = "SO1"
title = "IT inspiration 🚀"
addresses = ["P1"]

[[actions]]
id = "A1"
title = "Women in IT day"
contributes_to = ["SO1", "SO2"]
timescale = {start = 2025, end = 2026}
lead = "S1"

[[indicators]]
id = "I1"
name = "Women attending"
kind = "output"
measures = ["A1"]
target = {value = 300, date = 2027}

[[stakeholders]]
id = "S1"
name = "City"
"""


@pytest.mark.asyncio
async def test_json_plan(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    text = td.dumps(td.load(EXAMPLE), "json")
    uri = path.as_uri()
    assert await _open(client, path, text, "json") == []
    broken = text.replace(
        '"contributes_to": [\n        "SO1"\n      ]', '"contributes_to": [\n        "SO4"\n      ]', 1
    )
    assert broken != text
    diags = await _change(client, path, 2, text, broken)
    (diag,) = [d for d in diags if d.code == "TD100"]
    assert diag.range.start == _pos(broken, '"SO4"', 1)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=lsp.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert actions is not None
    titles = {a.title: a for a in actions if isinstance(a, lsp.CodeAction)}
    created = apply(broken, _edits(titles["Create objective SO4 (in objectives)"].edit, uri))
    assert [o.id for o in td.loads(created, "json").objectives] == ["SO1", "SO2", "SO3", "SO4"]
    # completion inside a quoted id, hover, definition, rename
    pos = _pos(broken, '"SO4"', 1)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos)
    )
    assert _labels(result) == ["SO1", "SO2", "SO3"]
    at = _pos(broken, '"lead": "S2"', len('"lead": "'))
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
        )
    )
    assert hover.startswith("**S2** · stakeholder")
    location = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(location, lsp.Location)
    assert location.range.start == _pos(broken, '"id": "S2"', len('"id": "'))
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at, new_name="S2b")
    )
    renamed = td.loads(apply(broken, _edits(edit, uri)), "json")
    assert "S2b" in {s.id for s in renamed.stakeholders} and renamed.actions[0].lead == "S2b"
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None and [s.name for s in symbols][:3] == ["problems", "objectives", "actions"]
    # keys complete inside a JSON object
    typed = broken.replace('"lead": "S2",', '"lead": "S2",\n      "tim', 1)
    await _change(client, path, 3, broken, typed)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(typed, '"tim', 4))
    )
    assert "timescale" in _labels(result)


@pytest.mark.asyncio
async def test_toml_plan(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    text = TOML_PLAN
    uri = path.as_uri()
    diags = await _open(client, path, text, "toml")
    (dangling,) = [d for d in diags if d.code == "TD100"]
    assert dangling.range.start == _pos(text, '"SO2"', 1) and dangling.range.end == _pos(text, '"SO2"', 4)
    (baseline,) = [d for d in diags if d.code == "TD202"]
    # completion in an array, of keys, of vocabulary values
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(text, '"SO2"', 1))
    )
    assert _labels(result) == ["SO1"]
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=_pos(text, '"output"', 1))
    )
    assert _labels(result) == ["output", "result", "impact"]
    # hover and definition through the TOML source map
    at = _pos(text, '["SO1", "SO2"]', 2)
    hover = _hover_text(
        await client.text_document_hover_async(
            lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
        )
    )
    assert hover.startswith("**SO1** · objective") and "IT inspiration 🚀" in hover
    location = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert isinstance(location, lsp.Location) and location.range.start == _pos(text, 'id = "SO1"', 6)
    # rename, then the code actions: the baseline stub and the missing objective
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=at, new_name="SO-1")
    )
    renamed = apply(text, _edits(edit, uri))
    assert td.loads(renamed, "toml").actions[0].contributes_to == ("SO-1", "SO2")
    for diag, title in ((baseline, "Add a baseline stub to indicator I1"), (dangling, "Create objective SO2")):
        actions = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=diag.range,
                context=lsp.CodeActionContext(diagnostics=[diag]),
            )
        )
        assert actions is not None
        (action,) = [a for a in actions if isinstance(a, lsp.CodeAction) and a.title.startswith(title)]
        fixed = td.loads(apply(text, _edits(action.edit, uri)), "toml")
        assert fixed.indicators[0].baseline is not None or "SO2" in {o.id for o in fixed.objectives}
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert symbols is not None
    assert [(s.name, [c.name for c in s.children or []]) for s in symbols if isinstance(s, lsp.DocumentSymbol)] == [
        ("problems", ["P1"]),
        ("objectives", ["SO1"]),
        ("actions", ["A1"]),
        ("indicators", ["I1"]),
        ("stakeholders", ["S1"]),
    ]


# -- plugins and debouncing --------------------------------------------------------------

PLUGIN_CHECK = """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

def _no_vision(ctx):
    if ctx.plan.vision is None:
        yield ctx.finding("the plan has no vision", [], "")

def _crash(ctx):
    raise ZeroDivisionError("inside a check")

@hookimpl
def techdiversity_checks():
    return [Check("XY100", "no-vision", "info", "The plan has no vision",
                  why="A vision is what the ULG agreed with the Newspaper of Tomorrow.",
                  fix="Add a vision.", function=_no_vision)]
"""

CRASHING = """
from techdiversity.checks import Check
from techdiversity.hookspecs import hookimpl

def _crash(ctx):
    raise ZeroDivisionError("inside a check " + ctx.plan.id)

@hookimpl
def techdiversity_checks():
    return [Check("ZZ100", "crash", "error", "Crashes", why="x", fix="y", function=_crash)]
"""


@pytest.mark.asyncio
async def test_plugins_checks_appear_and_broken_ones_are_logged_once(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    make_distribution(
        site,
        "td_lsp_plugins",
        {"good": "td_lsp_good", "broken": "td_lsp_broken", "crashing": "td_lsp_crashing"},
        {
            "td_lsp_good": PLUGIN_CHECK,
            "td_lsp_broken": "raise ImportError('this plugin is broken on purpose')\n",
            "td_lsp_crashing": CRASHING,
        },
    )
    pythonpath = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    client = await _start(tmp_path, options={"docsUrl": "https://docs.example.org/td/"}, PYTHONPATH=pythonpath)
    try:
        path = tmp_path / "plan.yaml"
        text = "format: 1\nplan: {id: p}\n"
        diags = await _open(client, path, text)
        (mine,) = [d for d in diags if d.code == "XY100"]
        assert mine.severity == lsp.DiagnosticSeverity.Information and mine.source == "techdiversity"
        assert mine.code_description is not None and mine.code_description.href.endswith("#xy100")
        assert mine.code_description.href.startswith("file://")
        uri = path.as_uri()
        hover = _hover_text(
            await client.text_document_hover_async(
                lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=mine.range.start)
            )
        )
        assert "XY100" in hover and "plugin `good`" in hover and "Newspaper of Tomorrow" in hover
        # more versions: the crashing check fails each time with another message, reported once
        new = text.replace("id: p}", "id: q}")
        diags = await _change(client, path, 2, text, new)
        assert "XY100" in {d.code for d in diags}
        newer = new.replace("id: q}", "id: r}")
        await _change(client, path, 3, new, newer)
        logged = [m.message for m in client.log_messages if "plugin" in m.message]
        assert sum("'broken' skipped" in m for m in logged) == 1, logged
        assert sum("'crashing'" in m and "skipped" in m and "ZeroDivisionError" in m for m in logged) == 1, logged
        # built-in checks link to the documentation site given
        bad = newer + "actions:\n  - {id: A1, contributes_to: [SO1]}\n"
        diags = await _change(client, path, 4, newer, bad)
        (dangling,) = [d for d in diags if d.code == "TD100"]
        assert dangling.code_description is not None
        assert dangling.code_description.href == "https://docs.example.org/td/reference/checks.html#td100"
    finally:
        await client.shutdown_session()
        await client.stop()


@pytest.mark.asyncio
async def test_debounce_publishes_the_last_version(tmp_path: Path) -> None:
    client = await _start(tmp_path, options={"debounce": 400})
    try:
        path = tmp_path / "plan.yaml"
        uri = path.as_uri()
        text = "format: 1\nplan: {id: p}\n"
        await _open(client, path, text)
        seen = len(published(client))
        versions = [text + "actions:\n  - {id: A1, contributes_to: [SO" + "9" * n + "]}\n" for n in range(1, 4)]
        for version, new in enumerate(versions, start=2):
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=new)],
                )
            )
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        # three changes within the delay: one analysis, of the last one
        assert published(client)[seen:] == [(uri, 4)]
        (dangling,) = [d for d in client.diagnostics[uri] if d.code == "TD100"]
        assert "SO999" in dangling.message
    finally:
        await client.shutdown_session()
        await client.stop()


def test_toml_source_map_places_values_inside_arrays() -> None:
    plan = td.loads(TOML_PLAN, "toml")
    (finding,) = td.check(plan, select=["TD100"])
    assert finding.location is not None
    line = TOML_PLAN.split("\n")[(finding.location.line or 1) - 1]
    assert line[(finding.location.column or 1) - 1 :].startswith('"SO2"')
    assert re.search(r"contributes_to", line)
