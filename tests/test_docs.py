"""The documentation stays true to the code.

- ``docs/reference/checks.md`` is generated from the check registry and must match it;
- every vocabulary value and model field is in the plan format page, every edge type
  and node kind in the graph page, every public name in the API page;
- the site builds with ``mkdocs build --strict`` (no broken link or anchor);
- the Python examples of the getting-started, graph and API pages run.

Docs convention: a fenced block opened with ```python in ``RUN_PAGES`` is executed by
this module, its blocks in page order in one namespace, with the repository root as
the working directory (so ``examples/*.yaml`` resolve). A block meant to be read but
not run is fenced with ```py instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import techdiversity
from techdiversity import model, vocab
from techdiversity.checks import builtin_checks
from techdiversity.docs import checks_markdown
from techdiversity.graphs import EDGE_RELS, NODE_KINDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

VOCABULARIES = (
    "PLAN_STATUSES",
    "INDICATOR_KINDS",
    "DIRECTIONS",
    "STAKEHOLDER_TYPES",
    "PARTICIPATION",
    "MEETING_KINDS",
    "LEVELS",
    "TESTING_PURPOSES",
    "TESTING_STATUSES",
    "FUNDING_SOURCES",
    "RESOURCE_KINDS",
    "INTEGRATION_TYPES",
    "ASPECTS",
    "TARGET_GROUPS",
)

RUN_PAGES = ("getting-started.md", "graph.md", "api.md", "batches.md")

_PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def _page(name: str) -> str:
    return (DOCS / name).read_text("utf-8")


_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_SPAN = re.compile(r"`([^`\n]+)`")


def _in_code(text: str, name: str) -> bool:
    """True when ``name`` is written as a whole word in code: a fenced block or a `code span`."""
    code = [m.group(1) for m in _FENCE.finditer(text)]
    code += [m.group(1) for m in _SPAN.finditer(_FENCE.sub("", text))]
    word = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
    return any(word.search(chunk) for chunk in code)


# ---------------------------------------------------------------------------
# The generated check reference


def test_check_reference_is_generated_from_the_registry() -> None:
    expected = checks_markdown(builtin_checks())
    actual = _page("reference/checks.md")
    assert actual == expected, "docs/reference/checks.md is out of date with the checks: run `make docs-ref`"


def test_every_check_code_is_in_the_reference() -> None:
    text = _page("reference/checks.md")
    missing = [c.code for c in builtin_checks() if f"### {c.code}\n" not in text]
    assert not missing, f"checks missing from docs/reference/checks.md (run `make docs-ref`): {missing}"


# ---------------------------------------------------------------------------
# The plan format page


def test_every_vocabulary_value_is_in_the_plan_format() -> None:
    text = _page("plan-format.md")
    missing = [
        f"{name}: {value}" for name in VOCABULARIES for value in getattr(vocab, name) if f"`{value}`" not in text
    ]
    assert not missing, f"vocabulary values not documented in docs/plan-format.md: {missing}"


def _model_classes() -> list[type]:
    return [
        obj
        for obj in vars(model).values()
        if isinstance(obj, type) and attrs.has(obj) and obj.__module__ == model.__name__
    ]


def test_every_model_field_is_in_the_plan_format() -> None:
    text = _page("plan-format.md")
    classes = _model_classes()
    assert len(classes) > 20, "the model module should hold the plan classes"
    missing = sorted(
        {f"{cls.__name__}.{a.name}" for cls in classes for a in attrs.fields(cls) if f"`{a.name}`" not in text}
    )
    assert not missing, f"model fields not documented in docs/plan-format.md: {missing}"


# ---------------------------------------------------------------------------
# The graph and API pages


def test_every_edge_rel_and_node_kind_is_in_the_graph_page() -> None:
    text = _page("graph.md")
    missing = [f"rel {rel}" for rel in EDGE_RELS if f"`{rel}`" not in text]
    missing += [f"kind {kind}" for kind in NODE_KINDS if f"`{kind}`" not in text]
    assert not missing, f"not documented in docs/graph.md: {missing}"


def test_every_public_name_is_in_the_api_page() -> None:
    text = _page("api.md")
    missing = [name for name in techdiversity.__all__ if not _in_code(text, name)]
    assert not missing, f"public names (techdiversity.__all__) not documented in docs/api.md: {missing}"


# ---------------------------------------------------------------------------
# The site builds


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"


# ---------------------------------------------------------------------------
# The examples run


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _python_blocks(page: str) -> list[tuple[int, str]]:
    """The ```python blocks of a page, with the line each starts on."""
    text = _page(page)
    return [(text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _PYTHON_BLOCK.finditer(text)]


@pytest.mark.parametrize("page", RUN_PAGES)
def test_python_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks(page)
    assert blocks, f"docs/{page} has no ```python examples"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the examples' temporary files go here
    namespace: dict[str, object] = {"__name__": f"docs_{page.replace('-', '_').replace('.', '_')}"}
    output = io.StringIO()
    with _cwd(ROOT), contextlib.redirect_stdout(output):
        for line, source in blocks:
            code = compile(source, f"docs/{page}, block at line {line}", "exec")
            try:
                exec(code, namespace)
            except Exception as exc:
                printed = output.getvalue()[-2000:]
                pytest.fail(
                    f"the example at docs/{page}:{line} fails: {type(exc).__name__}: {exc}\n"
                    f"--- it printed, before failing:\n{printed}"
                )


def test_rubric_reference_is_generated_from_the_registry() -> None:
    from techdiversity.docs import _reference_rubrics, rubrics_markdown

    rubrics = _reference_rubrics()
    if "indimae" not in {r.name for r in rubrics}:
        pytest.skip("the techdiversity-indimae plugin is not installed (make setup installs it)")
    page = (DOCS / "reference" / "rubrics.md").read_text("utf-8")
    assert page == rubrics_markdown(rubrics), "docs/reference/rubrics.md is stale: run `make docs-ref`"
    for r in rubrics:
        for c in r.criteria():
            assert f"`{c.id}`" in page


def test_example_scores_page_is_generated_from_the_examples() -> None:
    from techdiversity.docs import _reference_plans, _reference_rubrics, scores_markdown

    rubrics = _reference_rubrics()
    if "indimae" not in {r.name for r in rubrics}:
        pytest.skip("the techdiversity-indimae plugin is not installed (make setup installs it)")
    page = (DOCS / "reference" / "scores.md").read_text("utf-8")
    assert page == scores_markdown(_reference_plans(), rubrics), (
        "docs/reference/scores.md is stale: run `make docs-ref`"
    )
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "reference/scores.md" in nav


def test_exporter_reference_is_generated_from_the_registry() -> None:
    from techdiversity.docs import _reference_exporters, exporters_markdown

    exporters, readers = _reference_exporters()
    if "docx" not in {e.name for e in exporters}:
        pytest.skip("the techdiversity-docx plugin is not installed (make setup installs it)")
    page = (DOCS / "reference" / "exporters.md").read_text("utf-8")
    assert page == exporters_markdown(exporters, readers), "docs/reference/exporters.md is stale: run `make docs-ref`"
    for e in exporters:
        assert f"## {e.name}" in page and e.description, f"exporter {e.name} needs a description"


# ---------------------------------------------------------------------------
# The plugin API reference (generated from the docstrings by mkdocstrings)


def test_plugin_api_reference_covers_what_plugin_authors_use() -> None:
    from techdiversity import rubrics

    page = _page("reference/plugin-api.md")
    wanted = [f"techdiversity.rubrics.{name}" for name in rubrics.__all__]
    wanted += [
        "techdiversity.checks.Check",
        "techdiversity.checks.CheckContext",
        "techdiversity.findings.Finding",
        "techdiversity.findings.Report",
        "techdiversity.exporters.Exporter",
        "techdiversity.exporters.ExportContext",
        "techdiversity.readers.Reader",
        "techdiversity.readers.ReadResult",
    ]
    missing = [name for name in wanted if f"::: {name}\n" not in page]
    assert not missing, f"add to docs/reference/plugin-api.md: {missing}"
    for hook in ("techdiversity_checks", "techdiversity_rubrics", "techdiversity_exporters", "techdiversity_readers"):
        assert f"- {hook}\n" in page, hook


def test_the_fields_plugin_authors_fill_in_are_documented() -> None:
    """Each public field of the classes a plugin builds has a ``:param:`` in its docstring, and no other."""
    from techdiversity.exporters import Exporter
    from techdiversity.readers import Reader, ReadResult
    from techdiversity.rubrics import Criterion, Rubric, Section

    for cls in (Criterion, Rubric, Section, Exporter, Reader, ReadResult):
        documented = set(re.findall(r":param (\w+):", cls.__doc__ or ""))
        fields = {f.name for f in attrs.fields(cls) if not f.name.startswith("_")}
        assert documented == fields, (cls.__name__, sorted(fields - documented), sorted(documented - fields))
    page = _page("plugins.md")
    for name in ("wording", "method", "listens_to", "share_to_score", "ScoringContext", "judged", "cannot_judge"):
        assert f"`{name}" in page, name
    for name in ("description", "suffix", "media_type", "elements", "name order"):
        assert name in page, name


# ---------------------------------------------------------------------------
# The design page's picture of the layout matches the tree

_MERMAID = re.compile(r"^```mermaid[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
_SUBGRAPH = re.compile(r'^\s*subgraph\s+\w+\["([^"]+)"\]', re.M)
_NODE = re.compile(r'^\s*\w+\["([^"]+)"\]\s*$', re.M)


def _layout_picture() -> list[tuple[str, list[str]]]:
    """The layers of the design page's Mermaid picture, each with the modules and packages it names
    (paths below ``src/techdiversity``: ``formats/xlsx/``, ``formats/xlsx/layout.py``, ``io.py``)."""
    (block,) = _MERMAID.findall(_page("design.md"))
    layers: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        subgraph = _SUBGRAPH.match(line)
        if subgraph:
            layers.append((subgraph.group(1), []))
            continue
        node = _NODE.match(line)
        if node:
            tokens = [t.strip() for t in node.group(1).split("·")]
            package = tokens[0] if tokens[0].endswith("/") else ""
            layers[-1][1].extend([package] if package else [])
            layers[-1][1].extend(package + t for t in tokens if t.endswith(".py"))
    return layers


def test_design_page_pictures_the_tree() -> None:
    """Every module and package the picture names exists, in the layer the layering test gives it;
    every package, and every module directly in the package, is in the picture."""
    from test_layers import LAYERS, layer_of

    src = ROOT / "src" / "techdiversity"
    layers = _layout_picture()
    assert [name for name, _ in layers] == [name for name, _ in LAYERS]
    named: set[str] = set()
    for number, (layer, items) in enumerate(layers):
        for item in items:
            path = src / item
            assert path.is_dir() and (path / "__init__.py").exists() if item.endswith("/") else path.is_file(), item
            module = ".".join(["techdiversity", *item.removesuffix("/").removesuffix(".py").split("/")])
            module = module.removesuffix(".__init__")
            assert layer_of(module) == number, f"{item} is pictured in the layer {layer!r}"
            named.add(item)
    packages = {f"{p.parent.relative_to(src).as_posix()}/" for p in src.rglob("__init__.py") if p.parent != src}
    assert packages - named == set(), "packages missing from the design page's picture"
    modules = {p.name for p in src.glob("*.py")}
    assert modules - named == set(), "modules missing from the design page's picture"
