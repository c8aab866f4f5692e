"""The layout of the package keeps the data flowing one way.

Read from the source (every import statement, those inside functions included; those
under ``if TYPE_CHECKING:`` left out, since they do not run), these tests hold the
package to its design (``docs/design.md``):

- every module belongs to a layer, and no module imports one of a higher layer
  (model <- formats <- index and graph <- checks <- rubrics <- exporters <- plugin host
  <- network <- command line, language server and the package's own front);
- no module imports one that imports it back, however far round (no import circle at
  run time), and none imports a module of the package by its name as text, which
  would hide an import from these tests (the package's lazy front excepted);
- no module imports a private name (``_x``) of another, or reaches for one through a
  module it imported;
- the old import paths that code outside may use still import, and give the same
  objects as their new homes.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from techdiversity.checks.cycles import strongly_connected_components

SRC = Path(__file__).resolve().parent.parent / "src" / "techdiversity"
PACKAGE = "techdiversity"

#: The layers, lowest first: a module may import its own layer and those below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "model",
        (
            "model",
            "vocab",
            "dates",
            "sourcemap",
            "errors",
            "registered",
            "gcpause",
            "display",
            "markdown",
            "safetext",
            "limits",
            "version",
            "slugs",
        ),
    ),
    (
        "formats",
        ("formats", "convert", "readers", "io", "starter", "schema", "fielddocs", "xlsx_reader", "iati_reader"),
    ),
    ("index and graph", ("index", "graphs", "monitoring")),
    ("checks", ("findings", "checks", "diff")),
    ("rubrics", ("rubrics", "scorecard_text")),
    ("exporters", ("exporters",)),
    ("plugin host", ("hookspecs", "plugins", "builtin_plugin")),
    ("network", ("network",)),
    ("front", ("cli", "lsp", "docs", "batch", "__main__", "")),
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The index of the layer of a module (by its first name under the package)."""
    top = module.split(".")[1] if "." in module else ""
    for number, (_, names) in enumerate(LAYERS):
        if top in names:
            return number
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py and to docs/design.md")


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node``, leaving out the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            for other in child.orelse:
                yield other
                yield from _statements(other)
            continue
        yield child
        yield from _statements(child)


def _target(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _known(name: str) -> str:
    """The module of the package that an imported dotted name is, or lies in."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


class _Imports:
    """What one module imports of the package: modules, names from them, and module aliases."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.tree = ast.parse(MODULES[module].read_text("utf-8"), str(MODULES[module]))
        self.modules: set[str] = set()
        self.names: list[tuple[str, str, int]] = []  # (module, name, line)
        self.aliases: dict[str, str] = {}  # local name -> module of the package
        for node in _statements(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == PACKAGE:
                        self.modules.add(_known(alias.name))
                        if alias.asname:
                            self.aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                target = _target(module, node)
                if target.split(".")[0] != PACKAGE:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in MODULES:
                        self.modules.add(sub)
                        self.aliases[alias.asname or alias.name] = sub
                    else:
                        self.modules.add(_known(target))
                        self.names.append((_known(target), alias.name, node.lineno))
        self.modules.discard(module)


IMPORTS = {name: _Imports(name) for name in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_module_imports_a_higher_layer() -> None:
    wrong = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, found in IMPORTS.items()
        for target in sorted(found.modules)
        if layer_of(target) > layer_of(module)
    ]
    assert not wrong, "\n".join(wrong)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of more than one module that import each other, however far round (the strongly
    connected components, found as the cycle checks of plans find theirs)."""
    components = strongly_connected_components({node: sorted(targets) for node, targets in edges.items()})
    return [sorted(c) for c in components if len(c) > 1]


def test_no_import_circle() -> None:
    edges = {module: found.modules for module, found in IMPORTS.items()}
    cycles = _cycles(edges)
    assert not cycles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_circle_finder_finds_a_circle() -> None:
    """The check above can fail: a circle of three (and one of two) is found, a chain is not."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(_cycles(edges)) == [["a", "b", "c"], ["d", "e"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_module_is_imported_by_its_name_as_text() -> None:
    """``importlib.import_module("...")`` would hide an import from the tests above."""
    found = []
    for module, imports in IMPORTS.items():
        if module == PACKAGE:  # the lazy front of the package: it imports on first use, and nothing imports it
            continue
        for node in ast.walk(imports.tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name in ("import_module", "__import__"):
                    found.append(f"{module}:{node.lineno}")
    assert not found, found


def test_nothing_imports_the_package_front() -> None:
    """The package's front (``techdiversity/__init__.py``) connects the plugin host: importing it from
    inside would close a circle."""
    importers = [m for m, found in IMPORTS.items() if PACKAGE in found.modules and m != f"{PACKAGE}.__main__"]
    assert not importers, importers


def test_no_private_name_crosses_modules() -> None:
    found = []
    for module, imports in IMPORTS.items():
        for target, name, line in imports.names:
            if name.startswith("_") and not name.startswith("__"):
                found.append(f"{module}:{line} imports {name} from {target}")
        for target in imports.modules:
            if any(part.startswith("_") and not part.startswith("__") for part in target.split(".")[1:]):
                found.append(f"{module} imports the private module {target}")
        for node in ast.walk(imports.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imports.aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{module}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


#: Old import paths kept for code outside the package, and the home of what they give.
KEPT = {
    "techdiversity.xlsx_reader": "techdiversity.formats.xlsx.reader",
    "techdiversity.iati_reader": "techdiversity.formats.iati.reader",
    "techdiversity.formats.yamlfmt": "techdiversity.formats.yaml",
    "techdiversity.formats.jsonfmt": "techdiversity.formats.json",
    "techdiversity.formats.tomlfmt": "techdiversity.formats.toml",
    "techdiversity.exporters.tables": "techdiversity.formats.xlsx",
    "techdiversity.exporters.iati": "techdiversity.formats.iati",
}


@pytest.mark.parametrize(("old", "new"), sorted(KEPT.items()))
def test_old_import_paths_give_the_same_objects(old: str, new: str) -> None:
    before = importlib.import_module(old)
    home = importlib.import_module(new)
    names = [n for n in before.__all__ if n != "EXPORTERS" and n != "export_iati"]
    assert names
    for name in names:
        assert getattr(before, name) is getattr(home, name), f"{old}.{name}"


def test_documented_modules_and_names_still_import() -> None:
    """The module paths plugin authors and users import, with a name each that they use."""
    for module, name in [
        ("techdiversity.checks", "Check"),
        ("techdiversity.checks", "CheckContext"),
        ("techdiversity.checks", "run_checks"),
        ("techdiversity.checks", "registry"),
        ("techdiversity.checks", "builtin_checks"),
        ("techdiversity.exporters", "Exporter"),
        ("techdiversity.exporters", "export"),
        ("techdiversity.exporters.iati", "validate_iati"),
        ("techdiversity.readers", "Reader"),
        ("techdiversity.readers", "ReadResult"),
        ("techdiversity.readers", "PlanReadWarning"),
        ("techdiversity.rubrics", "Rubric"),
        ("techdiversity.rubrics", "score_with"),
        ("techdiversity.hookspecs", "hookimpl"),
        ("techdiversity.plugins", "all_rubrics"),
        ("techdiversity.plugins", "report_failure"),
        ("techdiversity.plugins", "Failure"),
        ("techdiversity.model", "Plan"),
        ("techdiversity.io", "atomic_write"),
        ("techdiversity.io", "loads_assessment"),
        ("techdiversity.network", "Network"),
        ("techdiversity.network", "compare"),
        ("techdiversity.network", "normalise"),
        ("techdiversity.formats", "read_text"),
        ("techdiversity.cli", "main"),
        ("techdiversity.index", "PlanIndex"),
        ("techdiversity.monitoring", "tracking_table"),
        ("techdiversity.starter", "starter_plan"),
        ("techdiversity.diff", "diff"),
        ("techdiversity.docs", "checks_markdown"),
        ("techdiversity.graphs", "graph"),
        ("techdiversity.scorecard_text", "scorecard_text"),
    ]:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"
