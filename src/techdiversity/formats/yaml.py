"""Reading and writing YAML, safely and with positions.

The reader drives PyYAML's event parser (libyaml's C parser when present) and builds
plain Python data itself, iteratively. That gives:

- positions on demand: a clean file is read without them; the findings' places are
  then looked up together in one more pass of the event parser (:class:`YamlFinder`),
  and only theirs are kept; errors are read again with every position, so that they
  name their place;
- no object construction: only the YAML core types, and unknown tags are refused;
- no recursion, so deep nesting cannot crash the process; nesting is bounded;
- aliases expanded by reference, with the expanded size counted, so an alias bomb
  ("billion laughs") is refused before anything downstream walks it;
- YAML 1.2 core scalars: ``NO`` stays a string, ``2025-09-06`` stays as written;
- duplicate keys refused, never silently overwritten.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection
from typing import Any

import yaml

from .. import limits
from ..errors import PlanError
from ..safetext import quote
from ..sourcemap import Positions, SourceMap, TextFinder, escape, pointer_trie

__all__ = ["MAX_DEPTH", "YamlFinder", "dumps_yaml", "read_yaml"]

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: How deep mappings and sequences may nest (:data:`techdiversity.limits.MAX_DEPTH`).
MAX_DEPTH = limits.MAX_DEPTH
#: Nodes that aliases may add beyond those written out, at the least.
MIN_ALIAS_BUDGET = limits.MAX_ALIAS_NODES_MIN

_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INF = frozenset((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"))
_NINF = frozenset(("-.inf", "-.Inf", "-.INF"))
_NAN = frozenset((".nan", ".NaN", ".NAN"))

_STR_TAG = "tag:yaml.org,2002:str"
_KNOWN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}


def _resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar."""
    if value in _NULLS:
        return None
    first = value[0]
    if first in "tTfF":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        return value
    if first.isdigit() or first in "-+.":
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if value in _INF:
            return math.inf
        if value in _NINF:
            return -math.inf
        if value in _NAN:
            return math.nan
        if _INT_OCT.match(value):
            return int(value[2:], 8)
        if _INT_HEX.match(value):
            return int(value[2:], 16)
    return value


def too_many_digits(text: str) -> str:
    """The message for a number with more digits than :data:`~techdiversity.limits.MAX_INT_DIGITS`."""
    digits = sum(ch.isdigit() for ch in text)
    return (
        f"a number of {digits:,} digits: more than the {limits.MAX_INT_DIGITS:,} a number may have"
        " (the budget of a number); is it a plan?"
    )


def _tagged(value: str, tag: str, path: str | None, mark: Any, pointer: str) -> Any:
    if tag == _STR_TAG or tag == "!":
        return value
    try:
        resolved: Any = _resolve_plain(value) if value else None
    except ValueError:  # more digits than Python turns into an integer
        raise PlanError.at(path, mark.line + 1, mark.column + 1, too_many_digits(value), pointer) from None
    expected = tag.rsplit(":", 1)[-1]
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }.get(expected)
    if ok is None or not ok(resolved):
        raise PlanError.at(path, mark.line + 1, mark.column + 1, f"{quote(value)} is not a valid !!{expected}", pointer)
    return float(resolved) if expected == "float" else resolved


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, position) + 1
    start = text.rfind("\n", 0, position) + 1
    return line, position - start + 1


class _Frame:
    __slots__ = ("anchor", "container", "count", "is_map", "key", "key_pointer", "keys_seen", "pointer")

    def __init__(self, container: Any, is_map: bool, pointer: str, anchor: str | None) -> None:
        self.container = container
        self.is_map = is_map
        self.pointer = pointer
        self.anchor = anchor
        self.key: str | None = None
        self.key_pointer = ""
        self.count = 1


def read_yaml(text: str, path: str | None = None, *, positions: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and a source map.

    Raises :class:`PlanError` (with line and column) on any syntax error, unknown
    tag, duplicate key, merge key, too deep nesting or alias bomb.

    With ``positions`` the map holds every position at once; else it finds them on
    demand (:class:`YamlFinder`), which keeps a large plan's memory and time down.
    """
    if positions:
        return _read_yaml(text, path, True)
    try:
        return _read_yaml(text, path, False)
    except PlanError:
        _read_yaml(text, path, True)  # raises the same error, with its pointer and every place
        raise  # pragma: no cover - the two readings agree


def _full_positions(text: str) -> tuple[Positions, Positions]:
    smap = _read_yaml(text, None, True)[1]
    return smap.values, smap.keys


def _read_yaml(text: str, path: str | None, record: bool) -> tuple[Any, SourceMap]:
    values: Positions = {}
    keys: Positions = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    root: Any = None
    have_root = False
    real_nodes = 0
    alias_nodes = 0
    documents = 0

    def fail(mark: Any, message: str, pointer: str = "") -> PlanError:
        return PlanError.at(path, mark.line + 1, mark.column + 1, message, pointer)

    def child_pointer(mark: Any) -> str:
        """Pointer of the value about to be added to the top frame."""
        if not stack:
            return ""
        top = stack[-1]
        if top.is_map:
            return top.key_pointer
        return f"{top.pointer}/{len(top.container)}"

    def add(value: Any, size: int) -> None:
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            return
        top = stack[-1]
        top.count += size
        if top.is_map:
            top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)

    ScalarEvent = yaml.ScalarEvent
    MappingStartEvent = yaml.MappingStartEvent
    SequenceStartEvent = yaml.SequenceStartEvent
    MappingEndEvent = yaml.MappingEndEvent
    SequenceEndEvent = yaml.SequenceEndEvent
    loader = _Loader(text)
    try:
        while True:
            event: Any = loader.get_event()
            if event is None:
                break
            cls = type(event)
            if cls is ScalarEvent:
                mark = event.start_mark
                top = stack[-1] if stack else None
                if top is not None and top.is_map and top.key is None:
                    # a mapping key
                    key = event.value
                    if event.tag not in (None, _STR_TAG, "!") and event.implicit == (False, False):
                        raise fail(mark, f"key {quote(key)}: tags on keys are not allowed")
                    if key == "<<" and not event.style:
                        raise fail(mark, "merge keys (<<) are not supported: write the keys out", top.pointer)
                    if key in top.container:
                        kp = f"{top.pointer}/{escape(key)}"
                        first = keys.get(kp)
                        where = f" (first at line {first[0]})" if first else ""
                        raise fail(mark, f"duplicate key {quote(key)}{where}", kp)
                    top.key = key
                    if record:
                        kp = f"{top.pointer}/{key if '~' not in key and '/' not in key else escape(key)}"
                        top.key_pointer = kp
                        keys[kp] = (mark.line + 1, mark.column + 1)
                    if event.anchor is not None:
                        anchors[event.anchor] = (key, 1)
                    continue
                if top is None or not record:
                    pointer = ""
                elif top.is_map:
                    pointer = top.key_pointer
                else:
                    pointer = f"{top.pointer}/{len(top.container)}"
                if record:
                    values[pointer] = (mark.line + 1, mark.column + 1)
                if not event.style and event.implicit[0]:
                    try:
                        value: Any = _resolve_plain(event.value)
                    except ValueError:  # more digits than Python turns into an integer
                        raise fail(mark, too_many_digits(event.value), pointer) from None
                elif event.tag is None or (event.implicit[1] and event.style is not None):
                    value = event.value
                elif event.tag in _KNOWN_TAGS:
                    value = _tagged(event.value, event.tag, path, mark, pointer)
                else:
                    raise fail(mark, f"the tag {event.tag} is not allowed in a plan file", pointer)
                real_nodes += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                if top is None:
                    root, have_root = value, True
                elif top.is_map:
                    top.count += 1
                    top.container[top.key] = value
                    top.key = None
                else:
                    top.count += 1
                    top.container.append(value)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = event.start_mark
                is_map = cls is MappingStartEvent
                if event.tag is not None and event.tag not in _KNOWN_TAGS:
                    raise fail(mark, f"the tag {event.tag} is not allowed in a plan file", child_pointer(mark))
                top = stack[-1] if stack else None
                if top is not None and top.is_map and top.key is None:
                    raise fail(mark, "a mapping or a list cannot be used as a key", top.pointer)
                if len(stack) >= MAX_DEPTH:
                    top_field = "/".join(child_pointer(mark).split("/")[:3])
                    raise fail(mark, f"nesting deeper than {MAX_DEPTH} levels", top_field)
                pointer = child_pointer(mark) if record else ""
                if record:
                    values[pointer] = (mark.line + 1, mark.column + 1)
                real_nodes += 1
                stack.append(_Frame({} if is_map else [], is_map, pointer, event.anchor))
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.container, frame.count)
                add(frame.container, frame.count)
            elif cls is yaml.AliasEvent:
                mark = event.start_mark
                top = stack[-1] if stack else None
                if event.anchor not in anchors:
                    raise fail(
                        mark, f"the alias *{event.anchor} refers to an anchor not defined before it (or to itself)"
                    )
                value, size = anchors[event.anchor]
                if top is not None and top.is_map and top.key is None:
                    if not isinstance(value, str):
                        raise fail(mark, "only a text anchor can be used as a key", top.pointer)
                    if value in top.container:
                        raise fail(mark, f"duplicate key {quote(value)}", top.pointer)
                    top.key = value
                    if record:
                        top.key_pointer = f"{top.pointer}/{escape(value)}"
                        keys[top.key_pointer] = (mark.line + 1, mark.column + 1)
                    continue
                alias_nodes += size
                if alias_nodes > max(MIN_ALIAS_BUDGET, real_nodes):
                    raise fail(
                        mark,
                        "aliases expand to too many values (an alias bomb?): "
                        f"more than {max(MIN_ALIAS_BUDGET, real_nodes)} beyond the {real_nodes} written out",
                    )
                if record:
                    values[child_pointer(mark)] = (mark.line + 1, mark.column + 1)
                add(value, size)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(event.start_mark, "a plan file holds one YAML document; found a second one (---)")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.context not in problem else ""
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        if "maximum nesting depth" in problem:  # libyaml 0.2.6 and later have a depth limit of their own
            raise PlanError.at(path, line, col, f"nesting deeper than {MAX_DEPTH} levels") from None
        raise PlanError.at(path, line, col, f"YAML syntax error: {problem}{context}") from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        what = (
            "a control character"
            if exc.character < 32 or 127 <= exc.character < 160
            else "a character YAML does not allow"
        )
        raise PlanError.at(path, line, col, f"{what} (#x{exc.character:04x}) in the text; remove it") from None
    except yaml.YAMLError as exc:  # pragma: no cover - other errors without marks
        raise PlanError.at(path, 1, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    if not have_root:
        root = None
    if record:
        return root, SourceMap(path, values, keys)
    return root, SourceMap(path, builder=functools.partial(_full_positions, text), finder=YamlFinder(text))


class YamlFinder(TextFinder):
    """Locates some pointers of a YAML text in one pass of the event parser.

    A :data:`~techdiversity.sourcemap.Finder`: only the nodes on the way to the pointers
    asked for are followed (the rest is counted through, by depth), and the pass stops
    once the last one is found. The text is one :func:`read_yaml` has read: valid, with
    no duplicate or merge keys.
    """

    __slots__ = ()

    def __call__(self, pointers: Collection[str]) -> tuple[Positions, Positions]:
        trie, remaining = pointer_trie(pointers)
        values: Positions = {}
        keys: Positions = {}
        # frames on the way: [trie node, is_map, pointer, next index, pending (node, pointer) or None, seen tokens]
        stack: list[list[Any]] = []
        skip = 0  # depth inside a subtree nobody asked for
        scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
        starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        loader = _Loader(self.text)
        try:
            while remaining > 0 or not values:
                event: Any = loader.get_event()
                if event is None:
                    break
                cls = type(event)
                if skip:
                    if cls in starts:
                        skip += 1
                    elif cls in ends:
                        skip -= 1
                    continue
                if cls in ends:
                    frame = stack.pop()
                    missing = [child for token, child in frame[0].items() if token not in frame[5]]
                    remaining -= sum(_size(child) + 1 for child in missing)
                    continue
                if cls not in starts and cls is not scalar and cls is not alias:
                    continue  # stream and document events
                mark = event.start_mark
                if not stack:
                    if not values:
                        values[""] = (mark.line + 1, mark.column + 1)
                        if cls in starts:
                            stack.append([trie, cls is yaml.MappingStartEvent, "", 0, None, set()])
                    continue
                top = stack[-1]
                if top[1] and top[4] is None and not top[3]:  # a key
                    top[3] = 1
                    key = event.value if cls is scalar else None
                    child = top[0].get(key) if key is not None else None
                    if key is not None and child is not None:
                        child_pointer = f"{top[2]}/{escape(key)}"
                        keys[child_pointer] = (mark.line + 1, mark.column + 1)
                        top[4] = (child, child_pointer)
                        top[5].add(key)
                    elif cls in starts:
                        skip = 1
                    continue
                if top[1]:
                    top[3] = 0
                    wanted, top[4] = top[4], None
                else:
                    index = top[3]
                    top[3] += 1
                    token = str(index)
                    child = top[0].get(token)
                    wanted = None if child is None else (child, f"{top[2]}/{index}")
                    if wanted is not None:
                        top[5].add(token)
                if wanted is None:
                    if cls in starts:
                        skip = 1
                    continue
                child, child_pointer = wanted
                values[child_pointer] = (mark.line + 1, mark.column + 1)
                remaining -= 1
                if cls in starts and child:
                    stack.append([child, cls is yaml.MappingStartEvent, child_pointer, 0, None, set()])
                else:
                    remaining -= _size(child)
                    if cls in starts:
                        skip = 1
        finally:
            loader.dispose()
        return values, keys


def _size(node: dict[str, Any]) -> int:
    """How many pointers a trie holds below its root."""
    return sum(_size(child) + 1 for child in node.values())


class _PlanDumper(_Dumper):
    """Block style, keys in the order given, multi-line text as literal blocks."""


def _str_representer(dumper: Any, data: str) -> yaml.Node:
    style: str | None = None
    if "\n" in data and "\r" not in data and not data.endswith("\n\n"):
        style = "|"
    elif data and _resolve_plain(data) != data:
        style = "'"  # would read back as a number, a boolean or null: quote it
    node: yaml.Node = dumper.represent_scalar(_STR_TAG, data, style=style)
    return node


def _float_representer(dumper: Any, data: float) -> yaml.Node:
    if math.isnan(data):
        text = ".nan"
    elif math.isinf(data):
        text = ".inf" if data > 0 else "-.inf"
    else:
        text = repr(data)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exp = text.split("e")
            text = f"{mantissa}.0e{exp}"
    node: yaml.Node = dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return node


def _list_representer(dumper: Any, data: list[Any]) -> yaml.Node:
    """Short lists of ids and slugs stay on one line: ``contributes_to: [SO1, SO2]``."""
    flow = (
        bool(data)
        and all(isinstance(item, str) and "\n" not in item for item in data)
        and sum(len(item) + 2 for item in data) <= 60
    )
    node: yaml.Node = dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)
    return node


_PlanDumper.add_representer(list, _list_representer)
_PlanDumper.add_representer(str, _str_representer)
_PlanDumper.add_representer(float, _float_representer)


def dumps_yaml(data: Any) -> str:
    """Write plain data as block-style YAML that :func:`read_yaml` reads back equal."""
    text: str = yaml.dump(
        data,
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
        indent=2,
    )
    return text


_PLAIN_WORDS = re.compile(r"[^\W\d_](?:[\w .,'/()-]*[\w.)])?")


def dumps_yaml_scalar(text: str) -> str:
    """``text`` as one YAML scalar on one line, to place after ``key: `` in block context.

    Plain when it is made of words only (``bielsko-biala-iap``, ``My City``) and reads
    back as text; else double-quoted, with every character that could end the scalar,
    start a comment or break the line escaped (quotes, ``#``, ``:``, newlines, control
    characters, U+2028...), so the scalar reads back as exactly ``text``.
    """
    if _PLAIN_WORDS.fullmatch(text) and _resolve_plain(text) == text:
        return text
    out: str = yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=2**31 - 1)
    return out.rstrip("\n").removesuffix("\n...").rstrip("\n")
