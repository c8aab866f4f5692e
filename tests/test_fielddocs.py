"""Every key of the plan format has its meaning written down, and nothing else does."""

from __future__ import annotations

import typing
from typing import Any, get_args

import attrs

from techdiversity import fielddocs, model, vocab


def _classes(root: type[Any], seen: dict[str, type[Any]]) -> dict[str, type[Any]]:
    if root.__name__ in seen:
        return seen
    seen[root.__name__] = root
    hints = typing.get_type_hints(root)
    for field in fielddocs.fields_of(root):
        stack = [hints[field]]
        while stack:
            t = stack.pop()
            if attrs.has(t) and t.__module__ == model.__name__:
                _classes(t, seen)
            stack.extend(get_args(t))
    return seen


def test_every_field_of_every_model_class_is_documented() -> None:
    classes = _classes(model.Plan, {})
    _classes(model.AssessmentFile, classes)
    assert set(fielddocs.FIELD_DOCS) == set(classes)
    for name, cl in classes.items():
        assert set(fielddocs.FIELD_DOCS[name]) == set(fielddocs.fields_of(cl)), name
        for field in fielddocs.fields_of(cl):
            doc = fielddocs.field_doc(cl, field)
            assert doc and doc.strip() == doc and doc.endswith((".", "?", '"', "`")), (name, field)


def test_vocabulary_fields_name_real_fields() -> None:
    classes = _classes(model.Plan, {})
    for cls, field in (*vocab.FIELD_VOCABULARIES, *vocab.OPEN_FIELDS):
        assert field in fielddocs.fields_of(classes[cls]), (cls, field)


def test_type_names_read_like_the_format_page() -> None:
    assert fielddocs.type_name(fielddocs.field_type(model.Action, "contributes_to")) == "list of text"
    assert fielddocs.type_name(fielddocs.field_type(model.Action, "timescale")) == "Period"
    assert fielddocs.type_name(fielddocs.field_type(model.Measurement, "value")) == "number or text"
    assert fielddocs.type_name(fielddocs.field_type(model.Period, "start")) == "date"
    assert fielddocs.type_name(fielddocs.field_type(model.Problem, "core")) == "true/false"
