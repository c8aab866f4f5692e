"""techdiversity: URBACT Integrated Action Plans as data a program can reason about.

The public API::

    import techdiversity as td

    plan = td.load("examples/bielsko-biala.yaml")   # or td.loads(text, format="json")
    report = td.check(plan)                          # coherence findings
    card = td.score(plan, "urbact-iap")              # a rubric's scorecard
    g = td.graph(plan)                               # a networkx DiGraph
    td.dump(plan, "copy.json")                       # lossless, atomic
    network = td.Network.load("examples/")           # many plans, side by side

Functions: ``load``, ``loads``, ``dump``, ``dumps``, ``load_assessment``, ``check``,
``score``, ``graph``.

Classes: ``Plan`` and its parts (``Problem``, ``Objective``, ``Action``,
``Indicator``), ``PartialDate``; ``Report`` and ``Finding`` (what the checks say),
``Check``; ``Rubric`` and ``ScoreCard``; ``Assessment`` and ``AssessmentFile`` (a
person's scores); ``Network``; ``PlanError``, ``Diagnostic`` and ``Location`` (why a
file was refused, and where).

Importing the package is cheap: these names are loaded on first use (``dir()`` and
``help()`` list them all). Submodules: ``model`` (the plan classes), ``io`` (reading
and writing), ``checks`` (the check registry), ``rubrics``, ``exporters`` (export
formats and their options), ``graphs`` (the networkx view), ``network``,
``monitoring``, ``batch`` (many files on any executor, a dask cluster's among them),
``plugins`` (the plugin host), ``hookspecs`` (the plugin contract).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import registered as _registered
from .version import __version__

__all__ = [
    "Action",
    "Assessment",
    "AssessmentFile",
    "Check",
    "Diagnostic",
    "Finding",
    "Indicator",
    "Location",
    "Network",
    "Objective",
    "PartialDate",
    "Plan",
    "PlanError",
    "Problem",
    "Report",
    "Rubric",
    "ScoreCard",
    "__version__",
    "check",
    "dump",
    "dumps",
    "graph",
    "load",
    "load_assessment",
    "loads",
    "score",
]

_LAZY = {
    "Action": "model",
    "Assessment": "model",
    "AssessmentFile": "model",
    "Indicator": "model",
    "Objective": "model",
    "Plan": "model",
    "Problem": "model",
    "PartialDate": "dates",
    "Diagnostic": "errors",
    "PlanError": "errors",
    "Finding": "findings",
    "Report": "findings",
    "Location": "sourcemap",
    "Check": "checks",
    "Rubric": "rubrics",
    "ScoreCard": "rubrics",
    "dump": "io",
    "dumps": "io",
    "load": "io",
    "load_assessment": "io",
    "loads": "io",
    "graph": "graphs",
    "Network": "network",
}

_SUBMODULES = frozenset(
    {
        "batch",
        "checks",
        "convert",
        "dates",
        "diff",
        "exporters",
        "errors",
        "findings",
        "formats",
        "graphs",
        "hookspecs",
        "index",
        "io",
        "model",
        "monitoring",
        "network",
        "plugins",
        "rubrics",
        "sourcemap",
        "vocab",
    }
)

if TYPE_CHECKING:
    from .checks import Check
    from .dates import PartialDate
    from .errors import Diagnostic, PlanError
    from .findings import Finding, Report
    from .graphs import graph
    from .io import dump, dumps, load, load_assessment, loads
    from .model import Action, Assessment, AssessmentFile, Indicator, Objective, Plan, Problem
    from .network import Network
    from .rubrics import Rubric, ScoreCard
    from .sourcemap import Location


def __dir__() -> list[str]:
    """The module's names, the lazily imported API and submodules among them."""
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))


def __getattr__(name: str) -> Any:
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'techdiversity' has no attribute {name!r}")

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def _plugin_host() -> Any:
    """The plugin host, imported the first time something registered is asked for."""
    from . import plugins

    return plugins


_registered.connect(_plugin_host)


def check(
    plan: Plan,
    *,
    select: tuple[str, ...] | list[str] = (),
    ignore: tuple[str, ...] | list[str] = (),
) -> Report:
    """Run every registered check (built-in and plugins) on a plan.

    ``select``/``ignore`` take check codes, code prefixes (``TD2``) or names.
    """
    from .checks import run_checks

    return run_checks(plan, select=select, ignore=ignore)


def score(
    plan: Plan,
    rubric: str | Rubric = "urbact-iap",
    assessments: Sequence[Assessment | AssessmentFile] = (),
) -> ScoreCard:
    """Score a plan with a rubric (a name of any installed rubric, or a Rubric).

    People's scores from ``assessments`` stand beside the automatic ones.
    """
    from .rubrics import score as _score

    return _score(plan, rubric, assessments)
