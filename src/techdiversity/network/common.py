"""What the modules of a network share: its files, the name of a city, rubrics by name, the groups a plan serves."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import registered
from ..limits import FOLLOW_SYMLINKS
from ..model import Plan
from ..rubrics import Rubric, ScoreCard, ScoringContext, score_with

__all__ = [
    "FOLLOW_SYMLINKS",
    "PLAN_SUFFIXES",
    "PathLike",
    "SymlinkOutWarning",
    "city_of",
    "expand_paths",
    "rubrics_named",
    "scorecards",
    "served_groups",
]


#: Suffixes of plan files the core reads; reader plugins add theirs.
PLAN_SUFFIXES: tuple[str, ...] = (".yaml", ".yml", ".json", ".toml")

PathLike = str | os.PathLike[str]


# ---------------------------------------------------------------------------
# Paths


def _suffixes() -> set[str]:
    return set(PLAN_SUFFIXES) | {s for r in registered.readers() for s in r.suffixes}


def _activities(name: str) -> list[str]:
    """``name`` itself, or ``name#ID`` for each activity of an IATI file of several activities."""
    if not name.lower().endswith(".xml") or not os.path.isfile(name):
        return [name]
    from ..errors import PlanError
    from ..formats.iati.reader import activity_keys

    try:
        keys = activity_keys(name)
    except PlanError:  # not an IATI file, or not readable: loading it reports why
        return [name]
    return [name] if len(keys) < 2 else [f"{name}#{key}" for key in keys]


class SymlinkOutWarning(UserWarning):
    """A plan file of a folder is a symbolic link to a place outside the folder: it was not read."""


def _inside(target: str, folder: str) -> bool:
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)


def expand_paths(
    paths_or_dir: PathLike | Iterable[PathLike],
    *,
    follow_symlinks: bool | None = None,
    skipped: list[str] | None = None,
) -> list[str]:
    """Files as given; a directory stands for the plan files directly inside it (sorted).

    A file of a directory that is a symbolic link to a place outside the directory is
    left out unless ``follow_symlinks`` (a folder of plans that links to ``/dev/zero``
    or to someone's home is not read by surprise). What is left out is added to
    ``skipped`` when given, else said in a :class:`SymlinkOutWarning`. Paths named
    themselves are kept as given.
    """
    follow = FOLLOW_SYMLINKS["default"] if follow_symlinks is None else follow_symlinks
    items: Iterable[PathLike] = [paths_or_dir] if isinstance(paths_or_dir, (str, os.PathLike)) else paths_or_dir
    suffixes: set[str] | None = None
    out: list[str] = []
    for raw in items:
        name = os.fspath(raw)
        if os.path.isdir(name):
            if suffixes is None:
                suffixes = _suffixes()
            real = os.path.realpath(name)
            for p in sorted(Path(name).iterdir()):
                if p.suffix.lower() not in suffixes:
                    continue
                if not follow and p.is_symlink() and not _inside(os.path.realpath(p), real):
                    if skipped is not None:
                        skipped.append(str(p))
                    else:
                        warnings.warn(
                            SymlinkOutWarning(f"{p}: a symbolic link out of the folder, not read"), stacklevel=2
                        )
                    continue
                if p.is_file():
                    out.extend(_activities(str(p)))
        else:
            out.extend(_activities(name))
    return out


def city_of(plan: Plan) -> str:
    """The name a plan goes by in a network: its city, or its id when it names none."""
    return plan.plan.city or plan.id


# ---------------------------------------------------------------------------
# Rubrics


def rubrics_named(names: Sequence[str | Rubric] | None) -> list[Rubric]:
    """Rubric objects for names (all installed rubrics for ``None``); KeyError for unknown names."""
    installed: dict[str, Rubric] = {r.name: r for r in registered.rubrics()}
    if names is None:
        return list(installed.values())
    out: list[Rubric] = []
    for item in names:
        if isinstance(item, Rubric):
            out.append(item)
        elif item in installed:
            out.append(installed[item])
        else:
            raise KeyError(f"no rubric named {item!r}; known: {', '.join(sorted(installed))}")
    return out


def scorecards(plan: Plan, rubrics: Sequence[Rubric], context: ScoringContext | None = None) -> list[ScoreCard]:
    ctx = context if context is not None else ScoringContext(plan)
    return [score_with(plan, r, context=ctx) for r in rubrics]


def served_groups(plan: Plan) -> list[str]:
    """Target groups served by an objective or an action: the context's order first."""
    served: dict[str, None] = {}
    for groups in [o.target_groups for o in plan.objectives] + [a.target_groups for a in plan.actions]:
        for group in groups:
            served[group] = None
    named = plan.context.target_groups if plan.context is not None else ()
    return [g for g in named if g in served] + [g for g in served if g not in named]
