"""The lossless exporters: the plan itself as YAML or JSON."""

from __future__ import annotations

from . import ExportContext, Exporter

__all__ = ["EXPORTERS"]


def _yaml(ctx: ExportContext) -> str:
    from ..io import dumps

    return dumps(ctx.plan, "yaml")


def _json(ctx: ExportContext) -> str:
    from ..io import dumps

    return dumps(ctx.plan, "json")


EXPORTERS = (
    Exporter(
        "yaml",
        "Plan file (YAML)",
        ".yaml",
        "application/yaml",
        _yaml,
        description="The plan in the plan format, as YAML: loads back equal.",
        options=(),
    ),
    Exporter(
        "json",
        "Plan file (JSON)",
        ".json",
        "application/json",
        _json,
        description="The plan in the plan format, as JSON: loads back equal.",
        options=(),
    ),
)
