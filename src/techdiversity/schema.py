"""The JSON Schema of the plan format, generated from the model.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to validate and complete
plan files as they are typed. It is derived from the attrs classes, so it cannot
drift from what the loader accepts; vocabularies come from :mod:`techdiversity.vocab`.
A few rules only the loader knows (ids unique across the plan, a period's end not
before its start) are not expressible here and stay with the loader.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Union, get_args, get_origin

import attrs

from . import model, vocab
from .dates import PartialDate

__all__ = ["SCHEMA_ID", "assessment_schema", "plan_schema"]

SCHEMA_ID = "https://techdiversity.invalid/schema/plan-1.json"

_DATE = {
    "description": "A partial date: a year (2025), a quarter (2025-Q3), a month (2025-09) or a day (2025-09-06).",
    "oneOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {
            "type": "string",
            "pattern": r"^\d{4}(-(Q[1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?))?$",
        },
    ],
}

_ID = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"}

#: (class name, field) -> vocabulary, for enum constraints.
_VOCABS = vocab.FIELD_VOCABULARIES

#: Fields holding ids (or lists of ids) of the plan.
_ID_FIELDS = {
    "id",
    "causes",
    "effects",
    "addresses",
    "contributes_to",
    "lead",
    "partners",
    "depends_on",
    "measures",
    "participants",
    "affects",
    "tests",
}

_SCORES = {("IntegrationType", "score"), ("IntegrationAspect", "baseline"), ("CriterionScore", "score")}


def _type_schema(t: Any, defs: dict[str, Any], owner: str, field: str) -> dict[str, Any]:
    origin = get_origin(t)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(t) if a is not type(None)]
        nullable = len(args) != len(get_args(t))
        if set(args) <= {int, float, str} and len(args) > 1:
            inner: dict[str, Any] = {"type": sorted({"number" if a in (int, float) else "string" for a in args})}
        elif len(args) == 1:
            inner = _type_schema(args[0], defs, owner, field)
        else:  # pragma: no cover - no such field today
            inner = {"anyOf": [_type_schema(a, defs, owner, field) for a in args]}
        return {"anyOf": [inner, {"type": "null"}]} if nullable else inner
    if origin is tuple:
        item = _type_schema(get_args(t)[0], defs, owner, field)
        out: dict[str, Any] = {"type": "array", "items": item}
        if field in _ID_FIELDS or (owner, field) in _VOCABS or field in ("target_groups", "represents"):
            out["uniqueItems"] = True
        return out
    if origin is dict:
        value = _type_schema(get_args(t)[1], defs, owner, field)
        out = {"type": "object", "additionalProperties": value}
        if (owner, field) == ("Integration", "types"):
            out["propertyNames"] = {"enum": list(vocab.INTEGRATION_TYPES)}
        return out
    if t is PartialDate:
        return {"$ref": "#/$defs/PartialDate"}
    if attrs.has(t):
        _class_schema(t, defs)
        return {"$ref": f"#/$defs/{t.__name__}"}
    if t is str:
        if (owner, field) in _VOCABS:
            return {"type": "string", "enum": list(_VOCABS[(owner, field)])}
        if field in _ID_FIELDS:
            return dict(_ID)
        if (owner, field) == ("PlanInfo", "country"):
            return {"type": "string", "pattern": "^[A-Z]{2}$"}
        return {"type": "string"}
    if t is bool:
        return {"type": "boolean"}
    if t is int:
        if (owner, field) in _SCORES:
            return {"type": "integer", "minimum": 1, "maximum": 5}
        return {"type": "integer"}
    if t is float:
        return {"type": "number"}
    raise TypeError(f"no JSON Schema for {t!r} ({owner}.{field})")  # pragma: no cover


def _class_schema(cl: type[Any], defs: dict[str, Any]) -> None:
    name = cl.__name__
    if name in defs:
        return
    defs[name] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cl)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for a in attrs.fields(cl):
        if a.name == "source" and not a.eq:
            continue
        prop = _type_schema(hints[a.name], defs, name, a.name)
        if a.name == "format":
            prop = {"const": 1}
        properties[a.name] = prop
        if a.default is attrs.NOTHING or a.name == "format":
            required.append(a.name)
    doc = (cl.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
    defs[name] = {
        "type": "object",
        "description": doc,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _schema(root: type[Any], title: str) -> dict[str, Any]:
    defs: dict[str, Any] = {"PartialDate": _DATE}
    _class_schema(root, defs)
    top = defs.pop(root.__name__)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID if root is model.Plan else SCHEMA_ID.replace("plan-1", "assessment-1"),
        "title": title,
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def plan_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan file."""
    return _schema(model.Plan, "Integrated Action Plan (techdiversity plan format 1)")


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an assessment file."""
    return _schema(model.AssessmentFile, "Assessment of an Integrated Action Plan (format 1)")
