"""techdiversity: URBACT Integrated Action Plans as data a program can reason about.

The public API::

    import techdiversity as td

    plan = td.load("examples/bielsko-biala.yaml")   # or td.loads(text, format="json")
    report = td.check(plan)                          # coherence findings
    g = td.graph(plan)                               # a networkx DiGraph
    td.dump(plan, "copy.json")                       # lossless, atomic

Importing the package is cheap: networkx and the readers are imported only when
used. Submodules: ``model`` (the plan classes), ``io`` (reading and writing),
``checks`` (the check registry), ``graphs`` (the networkx view), ``plugins`` (the
plugin host), ``hookspecs`` (the plugin contract).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

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
        "checks",
        "convert",
        "dates",
        "diff",
        "errors",
        "findings",
        "formats",
        "graphs",
        "hookspecs",
        "index",
        "io",
        "model",
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
