"""Plain data to model objects and back, with cattrs.

:func:`configure` sets up any converter it is given (so callers can compose, as
lsprotocol does): strict hooks for ``str``, ``int``, ``float`` and ``bool`` (the
default hooks turn ``null`` into ``'None'`` and ``"10"`` into 10), lists that must be
lists (a bare string is not a list of ids), partial dates, unknown keys forbidden,
and defaults left out on the way back so a dumped plan holds what the user wrote.

Structuring runs a specialised function first (:func:`fast_structure_fn`: one
generated per model class, with the format's type rules written inline); only when it
fails does cattrs run: its converter with the same rules (a function that is stricter
than cattrs by mistake then costs time, not a wrong answer) and, when that fails too,
the one with cattrs' detailed validation, to collect every problem with its path.
"""

from __future__ import annotations

import difflib
import functools
import math
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import model
from .dates import PartialDate
from .errors import Diagnostic, PlanError
from .safetext import quote
from .sourcemap import SourceMap, escape

__all__ = ["configure", "structure", "structure_data", "unstructure"]

T = TypeVar("T")

_PRIMITIVES = (str, int, float, bool, type(None))


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"text ({short!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _str(value: Any, _t: Any) -> str:
    if type(value) is str:
        return value
    hint = " (put it in quotes)" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    raise TypeError(f"expected text, got {_describe(value)}{hint}")


def _int(value: Any, _t: Any) -> int:
    if type(value) is int:
        return value
    raise TypeError(f"expected a whole number, got {_describe(value)}")


def _float(value: Any, _t: Any) -> float:
    if type(value) is float or type(value) is int:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {value}")
        return value
    raise TypeError(f"expected a number, got {_describe(value)}")


def _bool(value: Any, _t: Any) -> bool:
    if type(value) is bool:
        return value
    raise TypeError(f"expected true or false, got {_describe(value)}")


def _date(value: Any, _t: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise TypeError(f"expected a date such as 2025, 2025-Q3, 2025-09 or 2025-09-06, got {_describe(value)}")
    return PartialDate.parse(value)


def _is_primitive_union(t: Any) -> bool:
    if get_origin(t) not in (Union, types.UnionType):
        return False
    args = get_args(t)
    return all(a in _PRIMITIVES for a in args) and any(a is not type(None) for a in args)


def _primitive_union_hook(t: Any) -> Callable[[Any, Any], Any]:
    args = get_args(t)
    allow_none = type(None) in args
    allowed = tuple(a for a in args if a is not type(None))
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    wanted = " or ".join(names[a] for a in allowed if not (a is int and float in allowed))

    def hook(value: Any, _t: Any) -> Any:
        if value is None and allow_none:
            return None
        kind = type(value)
        if kind in allowed or (kind is int and float in allowed):
            if kind is float and not math.isfinite(value):
                raise ValueError(f"expected a finite number, got {value}")
            return value
        raise TypeError(f"expected {wanted}, got {_describe(value)}")

    return hook


def _is_optional_class(t: Any) -> bool:
    """``X | None`` for a class X (attrs classes, PartialDate): not a primitive union."""
    if get_origin(t) not in (Union, types.UnionType):
        return False
    args = get_args(t)
    return len(args) == 2 and type(None) in args and not _is_primitive_union(t)


def _optional_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A direct hook for ``X | None``: cattrs' generic one dispatches on every call."""

    def factory(t: Any) -> Callable[[Any, Any], Any]:
        inner = next(a for a in get_args(t) if a is not type(None))
        handler = converter.get_structure_hook(inner)

        def hook(value: Any, _t: Any) -> Any:
            return None if value is None else handler(value, inner)

        return hook

    return factory


def _is_dict(t: Any) -> bool:
    origin: Any = get_origin(t)
    return origin is dict


def _is_homogeneous_tuple(t: Any) -> bool:
    if get_origin(t) is not tuple:
        return False
    args = get_args(t)
    return len(args) == 2 and args[1] is Ellipsis


def _tuple_hook_factory(converter: cattrs.Converter, detailed: bool) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        elem = get_args(t)[0]
        if elem is str:

            def str_hook(value: Any, _t: Any) -> tuple[str, ...]:
                if type(value) is not list:
                    raise TypeError(
                        f"expected a list, got {_describe(value)}"
                        + (" (write it as [ ... ])" if isinstance(value, str) else "")
                    )
                for i, item in enumerate(value):
                    if type(item) is not str:
                        exc = TypeError(f"expected text, got {_describe(item)}")
                        if detailed:
                            exc.__notes__ = [_index_note(t, i, elem)]
                            raise IterableValidationError(f"While structuring {t!r}", [exc], t)
                        raise exc
                return tuple(value)

            return str_hook

        handler = converter.get_structure_hook(elem)

        def hook(value: Any, _t: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise TypeError(f"expected a list, got {_describe(value)}")
            if not detailed:
                return tuple([handler(item, elem) for item in value])
            out = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    out.append(handler(item, elem))
                except Exception as exc:  # noqa: BLE001 - collected, re-raised as a group
                    exc.__notes__ = [*getattr(exc, "__notes__", []), _index_note(t, i, elem)]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t!r}", errors, t)
            return tuple(out)

        return hook

    return factory


def _index_note(t: Any, index: int, elem: Any) -> Any:
    from cattrs.errors import IterableValidationNote

    return IterableValidationNote(f"Structuring {t!r} @ index {index}", index, elem)


def _dict_hook_factory(converter: cattrs.Converter, detailed: bool) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        _key_t, val_t = get_args(t)
        handler = converter.get_structure_hook(val_t)

        def hook(value: Any, _t: Any) -> dict[Any, Any]:
            if type(value) is not dict:
                raise TypeError(f"expected a mapping, got {_describe(value)}")
            out = {}
            errors: list[Exception] = []
            for key, item in value.items():
                try:
                    out[key] = handler(item, val_t)
                except Exception as exc:
                    if not detailed:
                        raise
                    exc.__notes__ = [*getattr(exc, "__notes__", []), _index_note(t, key, val_t)]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {t!r}", errors, t)
            return out

        return hook

    return factory


def _attrs_mapping_guard(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(cl: Any) -> Callable[[Any, Any], Any]:
        overrides: dict[str, Any] = {}
        for a in attrs.fields(cl):
            if _is_sourcemap(a):
                overrides[a.name] = override(omit=True)
        inner = make_dict_structure_fn(cl, converter, _cattrs_forbid_extra_keys=True, **overrides)

        def hook(value: Any, _t: Any) -> Any:
            if type(value) is not dict:
                raise TypeError(f"expected a mapping of {_field_names(cl)}, got {_describe(value)}")
            return inner(value, cl)

        return hook

    return factory


def _is_sourcemap(a: attrs.Attribute[Any]) -> bool:
    """The ``source`` attribute of Plan and AssessmentFile: where it was read, not data."""
    return a.name == "source" and not a.eq


def _keys_of(cl: Any) -> list[str]:
    """The keys a plan file may write for ``cl``."""
    return [a.name for a in attrs.fields(cl) if not _is_sourcemap(a)]


def _field_names(cl: Any) -> str:
    names = _keys_of(cl)
    if len(names) > 4:
        return ", ".join(names[:4]) + ", ..."
    return ", ".join(names)


def _unstructure_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(cl: Any) -> Callable[[Any], Any]:
        overrides: dict[str, Any] = {}
        for a in attrs.fields(cl):
            if _is_sourcemap(a):
                overrides[a.name] = override(omit=True)
            elif a.name == "format":
                overrides[a.name] = override(omit_if_default=False)
        return make_dict_unstructure_fn(cl, converter, _cattrs_omit_if_default=True, **overrides)

    return factory


def configure(converter: cattrs.Converter, *, detailed: bool | None = None) -> cattrs.Converter:
    """Teach ``converter`` the plan format's rules; returns the same converter."""
    if detailed is None:
        detailed = bool(getattr(converter, "detailed_validation", False))
    converter.register_structure_hook(str, _str)
    converter.register_structure_hook(int, _int)
    converter.register_structure_hook(float, _float)
    converter.register_structure_hook(bool, _bool)
    converter.register_structure_hook(PartialDate, _date)
    converter.register_unstructure_hook(PartialDate, PartialDate.to_raw)
    converter.register_structure_hook_factory(_is_primitive_union, _primitive_union_hook)
    converter.register_structure_hook_factory(_is_optional_class, _optional_factory(converter))
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook_factory(converter, detailed))
    converter.register_structure_hook_factory(_is_dict, _dict_hook_factory(converter, detailed))
    converter.register_structure_hook_factory(attrs.has, _attrs_mapping_guard(converter))
    converter.register_unstructure_hook_factory(attrs.has, _unstructure_factory(converter))
    return converter


@functools.cache
def _converter(detailed: bool) -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    return configure(conv, detailed=detailed)


def unstructure(obj: Any) -> Any:
    """A model object as plain data, in the plan format (defaults left out)."""
    return _converter(False).unstructure(obj)


# ---------------------------------------------------------------------------
# Errors with places


def _note_token(note: Any) -> str | int | None:
    if hasattr(note, "name") and type(note).__name__ == "AttributeValidationNote":
        return str(note.name)
    if hasattr(note, "index"):
        index = note.index
        return index if isinstance(index, (int, str)) else str(index)
    return None


def _flatten(exc: BaseException, pointer: str, out: list[tuple[str, BaseException]]) -> None:
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        for sub in exc.exceptions:
            sub_pointer = pointer
            for note in getattr(sub, "__notes__", []):
                token = _note_token(note)
                if token is not None:
                    sub_pointer = f"{pointer}/{escape(token)}"
            _flatten(sub, sub_pointer, out)
        return
    out.append((pointer, exc))


def _message(exc: BaseException, pointer: str, smap: SourceMap, cl: Any, data: Any) -> list[Diagnostic]:
    if isinstance(exc, ForbiddenExtraKeysError):
        known = _keys_of(exc.cl)
        diags = []
        for key in sorted(exc.extra_fields):
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(known)})"
            kp = f"{pointer}/{escape(key)}"
            diags.append(Diagnostic(smap.locate(kp, key=True), f"unknown key {quote(key)}{hint}"))
        return diags
    if isinstance(exc, KeyError):
        missing = exc.args[0] if exc.args else "?"
        return [Diagnostic(smap.locate(pointer), f"the required key {missing!r} is missing")]
    field = getattr(exc, "field", None)
    if field:
        pointer = f"{pointer}/{escape(field)}"
    text = str(exc) or type(exc).__name__
    return [Diagnostic(smap.locate(pointer), text)]


class _FieldError(ValueError):
    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.field = field


def _locate_validator_error(exc: BaseException) -> str | None:
    """Which attribute an attrs validator complained about (attrs passes the attribute)."""
    tb = exc.__traceback__
    while tb is not None:
        attribute = tb.tb_frame.f_locals.get("attribute")
        if isinstance(attribute, attrs.Attribute):
            return attribute.name
        tb = tb.tb_next
    return None


def _with_fields(exc: BaseException) -> BaseException:
    """Give validator errors raised from ``__init__`` the name of their field."""
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        return exc
    if isinstance(exc, ValueError) and not isinstance(exc, (ForbiddenExtraKeysError, _FieldError)):
        name = _locate_validator_error(exc)
        message = str(exc)
        if name is None and "period ends" in message:
            name = "end"
        return _FieldError(message, name)
    return exc


def _detailed_errors(data: Any, cl: Any, smap: SourceMap) -> list[Diagnostic]:
    conv = _converter(True)
    try:
        conv.structure(data, cl)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a diagnostic
        flat: list[tuple[str, BaseException]] = []
        _flatten(exc, "", flat)
        diags: list[Diagnostic] = []
        for pointer, sub in flat:
            diags.extend(_message(_with_fields(sub), pointer, smap, cl, data))
        return diags
    return []


# ---------------------------------------------------------------------------
# The fast path: one generated function per class


class _Slow(Exception):
    """The fast path refuses this input: the converters will say why."""


def _refuse(*_args: Any) -> Any:
    raise _Slow


_FAST: dict[Any, Callable[[Any], Any]] = {}


def fast_structure_fn(cl: type[T]) -> Callable[[Any], T]:
    """A function from plain data to ``cl`` that accepts exactly what the converter does.

    Generated once per attrs class (and for each class it holds): the keys checked
    against the fields, every primitive checked by ``type(v) is ...`` inline, lists of
    ids turned into tuples without a call per item, nested classes by their own
    function. It raises on any input the converter would refuse, with no message: the
    caller then asks cattrs for the detailed errors.
    """
    fn = _FAST.get(cl)
    if fn is None:
        fn = _make_fast(cl)
    return fn


def _make_fast(cl: Any) -> Callable[[Any], Any]:
    attrs.resolve_types(cl)
    fields = [a for a in attrs.fields(cl) if a.init and not _is_sourcemap(a)]
    ns: dict[str, Any] = {"_Slow": _Slow, "_cl": cl, "_isfinite": math.isfinite}
    known = frozenset(a.name for a in fields)
    ns["_known"] = known
    name = f"_fast_{cl.__name__}"
    ns["_self"] = _refuse
    _FAST[cl] = lambda o: ns["_self"](o)  # a class that holds itself (none today) finds the function
    lines = [
        f"def {name}(o):",
        "    if type(o) is not dict or not o.keys() <= _known:",
        "        raise _Slow",
    ]
    args: list[str] = []
    factories: list[attrs.Attribute[Any]] = []
    for i, a in enumerate(fields):
        key, var = a.name, f"v{i}"
        body = _fast_value(a.type, var, f"f{i}", ns)
        if a.default is attrs.NOTHING:
            lines.append(f"    {var} = o[{key!r}]")
            lines.extend("    " + line for line in body)
            args.append(f"{a.alias}={var}")
        elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            factories.append(a)
            lines.append(f"    if {key!r} in o:")
            lines.append(f"        {var} = o[{key!r}]")
            lines.extend("        " + line for line in body)
            lines.append(f"        kw[{a.alias!r}] = {var}")
        else:  # an immutable default: passed as it is, as attrs would (its validators run on it all the same)
            ns[f"_d{i}"] = a.default
            lines.append(f"    {var} = o.get({key!r}, _Slow)")
            lines.append(f"    if {var} is _Slow:")
            lines.append(f"        {var} = _d{i}")
            if body:
                lines.append("    else:")
                lines.extend("        " + line for line in body)
            args.append(f"{a.alias}={var}")
    if factories:
        lines.insert(3, "    kw = {}")
        args.append("**kw")
    lines.append(f"    return _cl({', '.join(args)})")
    exec(compile("\n".join(lines), f"<techdiversity fast structure {cl.__qualname__}>", "exec"), ns)
    fn: Callable[[Any], Any] = ns[name]
    ns["_self"] = fn
    _FAST[cl] = fn
    return fn


def _fast_value(t: Any, v: str, tag: str, ns: dict[str, Any]) -> list[str]:
    """Lines that check ``v`` as a ``t`` and rebind it to the structured value."""
    if t is str or t is int or t is bool:
        return [f"if type({v}) is not {t.__name__}:", "    raise _Slow"]
    if t is float:
        return [
            f"if type({v}) is float:",
            f"    if not _isfinite({v}):",
            "        raise _Slow",
            f"elif type({v}) is not int:",
            "    raise _Slow",
        ]
    if t is PartialDate:
        ns["_date"] = PartialDate.parse
        return [f"if type({v}) is str or type({v}) is int:", f"    {v} = _date({v})", "else:", "    raise _Slow"]
    if _is_primitive_union(t):
        args = get_args(t)
        kinds = tuple(a for a in args if a is not type(None))
        if float in kinds and int not in kinds:
            kinds = (*kinds, int)
        ns[f"_kinds_{tag}"] = frozenset(kinds)
        lines = []
        test = f"type({v}) not in _kinds_{tag}"
        if type(None) in args:
            test = f"{v} is not None and {test}"
        lines += [f"if {test}:", "    raise _Slow"]
        if float in kinds:
            lines += [f"if type({v}) is float and not _isfinite({v}):", "    raise _Slow"]
        return lines
    if _is_optional_class(t):
        inner = next(a for a in get_args(t) if a is not type(None))
        body = _fast_value(inner, v, tag, ns)
        return [f"if {v} is not None:", *("    " + line for line in body)]
    if _is_homogeneous_tuple(t):
        elem = get_args(t)[0]
        if elem is str:
            return [
                f"if type({v}) is not list:",
                "    raise _Slow",
                f"for x in {v}:",
                "    if type(x) is not str:",
                "        raise _Slow",
                f"{v} = tuple({v})",
            ]
        if attrs.has(elem):
            ns[f"_fn_{tag}"] = fast_structure_fn(elem)
            return [f"if type({v}) is not list:", "    raise _Slow", f"{v} = tuple([_fn_{tag}(x) for x in {v}])"]
    if _is_dict(t):
        val_t = get_args(t)[1]
        if attrs.has(val_t):
            ns[f"_fn_{tag}"] = fast_structure_fn(val_t)
            rebuild = f"{v} = {{k: _fn_{tag}(x) for k, x in {v}.items()}}"
            return [f"if type({v}) is not dict:", "    raise _Slow", rebuild]
    if attrs.has(t):
        ns[f"_fn_{tag}"] = fast_structure_fn(t)
        return [f"{v} = _fn_{tag}({v})"]
    # any other type: the converter's own hook, as the converter would call it
    ns[f"_hook_{tag}"] = _converter(False).get_structure_hook(t)
    ns[f"_type_{tag}"] = t
    return [f"{v} = _hook_{tag}({v}, _type_{tag})"]


def _is_attrs_class(cl: Any) -> bool:
    return attrs.has(cl)


def structure_data(data: Any, cl: type[T], smap: SourceMap) -> T:
    """Plain data to ``cl``; raises :class:`PlanError` with every problem and its place."""
    if type(data) is not dict:
        raise PlanError(
            [Diagnostic(smap.locate(""), f"expected a mapping of {_field_names(cl)} at the top, got {_describe(data)}")]
        )
    problems: list[Diagnostic] = []
    if "format" not in data and "format" in _keys_of(cl):
        problems.append(
            Diagnostic(smap.locate(""), "the required key 'format' is missing (write 'format: 1' at the top)")
        )
    try:
        obj = fast_structure_fn(cl)(data) if _is_attrs_class(cl) else _converter(False).structure(data, cl)
    except Exception:  # noqa: BLE001 - the converters say what is wrong
        try:
            obj = _converter(False).structure(data, cl)
        except Exception:
            problems.extend(_detailed_errors(data, cl, smap))
            if not problems:  # pragma: no cover - the two converters disagree
                raise
            raise PlanError(problems) from None
    if problems:
        raise PlanError(problems)
    if isinstance(obj, model.Plan):
        _check_unique_ids(obj, smap)
    if isinstance(obj, (model.Plan, model.AssessmentFile)):
        obj = attrs.evolve(obj, source=smap)
    return obj


def structure(data: Any, cl: type[T], path: str | None = None) -> T:
    """Plain data (no source positions) to ``cl``: for data built in Python."""
    return structure_data(data, cl, SourceMap(path))


def _check_unique_ids(plan: model.Plan, smap: SourceMap) -> None:
    seen: dict[str, tuple[str, int]] = {}
    problems: list[Diagnostic] = []
    for section, _kind in model.SECTIONS:
        for index, item in enumerate(getattr(plan, section)):
            ident = item.id
            if ident in seen:
                first_section, first_index = seen[ident]
                first = smap.locate(f"/{first_section}/{first_index}/id")
                where = f" at line {first.line}" if first.line else ""
                problems.append(
                    Diagnostic(
                        smap.locate(f"/{section}/{index}/id"),
                        f"duplicate id {ident!r}: {first_section}[{first_index}]{where} has it already;"
                        " ids are unique in the whole plan",
                    )
                )
            else:
                seen[ident] = (section, index)
    if problems:
        raise PlanError(problems)


# keep typing names referenced for mypy's sake
_ = typing
