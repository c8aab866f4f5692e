"""A griffe extension for the API reference: the reStructuredText of the docstrings as Markdown.

The docstrings of techdiversity are written for readers of the code and for Sphinx-style
tools: roles such as ``:class:`Judgement``` and ``:meth:`ScoringContext.findings```,
``.. versionadded::`` notes and ``::`` before an indented example. mkdocstrings renders
docstring text as Markdown, so before it does, this extension writes each role as code
(``Judgement``, the last part only when the target starts with ``~``), a version note as
a sentence, and ``::`` as ``:`` (the indented block after it is already a Markdown code
block). The ``:param:`` and ``:return:`` fields are left to the sphinx docstring parser.

The model and plugin classes are attrs classes, whose ``__init__`` attrs writes at run
time: griffe, reading the source, would not know their parameters, and the strict build
would then refuse every ``:param:`` of their docstrings. :class:`AttrsInit` gives such a
class the ``__init__`` attrs makes (one parameter per annotated field, in order, a
leading underscore dropped), so that a docstring naming a field the class does not have
fails the build.

Used by ``mkdocs.yml`` (``extensions`` of the python handler).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const):`(~?)([^`]+)`")
_VERSION = re.compile(r"^(\s*)\.\. version(added|changed)::\s*(\S+)\s*$", re.M)
_LITERAL = re.compile(r"(\S)::$", re.M)


def _role(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    text = target.rsplit(".", 1)[-1] if short else target
    return f"`{text}`"


def _version(match: re.Match[str]) -> str:
    indent, kind, version = match.groups()
    word = "Added" if kind == "added" else "Changed"
    return f"{indent}*{word} in version {version}.*"


def markdown(text: str) -> str:
    """The docstring text with its reStructuredText roles and directives as Markdown."""
    text = _ROLE.sub(_role, text)
    text = _VERSION.sub(_version, text)
    return _LITERAL.sub(r"\1:", text)


class RstToMarkdown(griffe.Extension):
    """Rewrites every docstring as it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)


_ATTRS_DECORATORS = ("attrs.frozen", "attrs.define", "attrs.mutable", "attr.s", "attr.attrs", "attrs.attrs")


def _is_attrs(cls: griffe.Class) -> bool:
    for decorator in cls.decorators:
        text = str(decorator.value).split("(", 1)[0]
        if text in _ATTRS_DECORATORS:
            return True
    return False


class AttrsInit(griffe.Extension):
    """Gives attrs classes the ``__init__`` attrs writes for them, for their ``:param:`` fields."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if "__init__" in cls.members or not _is_attrs(cls):
            return
        params = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
        for member in cls.members.values():
            # an attrs field: an annotated attribute of the class body (with a default or not)
            if not isinstance(member, griffe.Attribute) or member.annotation is None:
                continue
            if not member.labels & {"class-attribute", "instance-attribute"}:
                continue
            name = member.name.lstrip("_")
            params.append(
                griffe.Parameter(
                    name,
                    annotation=member.annotation,
                    kind=griffe.ParameterKind.positional_or_keyword,
                    default=member.value,
                )
            )
        init = griffe.Function("__init__", lineno=0, endlineno=0, parent=cls, parameters=griffe.Parameters(*params))
        cls.set_member("__init__", init)
