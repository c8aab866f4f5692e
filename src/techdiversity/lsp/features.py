"""The editor features, from an :class:`~.analysis.Analysis` to Language Server Protocol objects.

Every function takes the analysis (the latest one that parsed, for features that must
work while the text is being typed), the document's current lines and the client's
position encoding, and returns ``lsprotocol`` objects. Columns are converted at the
edge, with :mod:`.positions`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any, get_args, get_origin

import attrs
from lsprotocol import types as lsp

from .. import fielddocs, formats, model, vocab
from ..checks import Check
from ..index import LinkSpec
from .analysis import KIND_OF_SECTION, SECTION_OF_KIND, Analysis, Item, Problem, Span, link_spec
from .context import Context, context_at, resolve
from .positions import from_units, to_units

__all__ = [
    "code_actions",
    "completion",
    "definition",
    "diagnostics",
    "document_symbols",
    "hover",
    "prepare_rename",
    "references",
    "rename",
    "resolve_completion",
]

SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
SOURCE = "techdiversity"
_ID_CHARS = re.compile(r"[A-Za-z0-9._:-]")
_KIND_NAMES = {
    "problem": "problem",
    "objective": "objective",
    "action": "action",
    "indicator": "indicator",
    "stakeholder": "stakeholder",
    "risk": "risk",
    "testing_action": "testing action",
}
_SYMBOL_KINDS = {
    "problem": lsp.SymbolKind.Event,
    "objective": lsp.SymbolKind.Class,
    "action": lsp.SymbolKind.Function,
    "indicator": lsp.SymbolKind.Number,
    "stakeholder": lsp.SymbolKind.Object,
    "risk": lsp.SymbolKind.Event,
    "testing_action": lsp.SymbolKind.Method,
}


class RenameRefused(ValueError):
    """A rename that cannot be done, with the reason to show."""


def _line(lines: Sequence[str], row: int) -> str:
    return lines[row] if 0 <= row < len(lines) else ""


def position(lines: Sequence[str], row: int, column: int, encoding: str) -> lsp.Position:
    """A protocol position from a 0-based line and a code-point column."""
    if row >= len(lines):
        return lsp.Position(line=max(0, len(lines) - 1), character=to_units(_line(lines, len(lines) - 1), 10**9))
    return lsp.Position(line=row, character=to_units(_line(lines, row), column, encoding))


def to_range(lines: Sequence[str], span: Span, encoding: str) -> lsp.Range:
    """A protocol range from a span."""
    return lsp.Range(
        start=position(lines, span.line, span.start, encoding), end=position(lines, span.line, span.end, encoding)
    )


def cursor(lines: Sequence[str], pos: lsp.Position, encoding: str) -> tuple[int, int]:
    """The 0-based line and code-point column of a protocol position."""
    return pos.line, from_units(_line(lines, pos.line), pos.character, encoding)


# -- diagnostics -----------------------------------------------------------------------


def diagnostics(
    analysis: Analysis, encoding: str, links: dict[str, str], checks: dict[str, Check]
) -> list[lsp.Diagnostic]:
    """The diagnostics of one version: refusals, then findings with code and link."""
    out = []
    for problem in analysis.problems():
        href = links.get(problem.code) if problem.code else None
        data: dict[str, Any] = {"pointer": problem.pointer}
        if problem.finding is not None:
            data["subjects"] = list(problem.finding.subjects)
            chk = checks.get(problem.finding.code)
            if chk is not None:
                data["name"] = chk.name
        out.append(
            lsp.Diagnostic(
                range=to_range(analysis.lines, problem.span, encoding),
                message=problem.message,
                severity=SEVERITY.get(problem.severity, lsp.DiagnosticSeverity.Warning),
                code=problem.code,
                code_description=lsp.CodeDescription(href=href) if href else None,
                source=SOURCE,
                data=data,
            )
        )
    return out


# -- hover -------------------------------------------------------------------------


def _item_markdown(item: Item, analysis: Analysis) -> str:
    text = f"**{item.id}** · {_KIND_NAMES[item.kind]}"
    if item.title:
        text += f"\n\n{_plain(item.title)}"
    refs = analysis.outline.refs_to.get(item.id, [])
    if refs:
        owners = sorted({r.owner or r.pointer for r in refs})
        shown = ", ".join(owners[:8]) + (f" and {len(owners) - 8} more" if len(owners) > 8 else "")
        text += f"\n\nLinked from {shown}."
    return text


def _plain(text: str) -> str:
    """User text for Markdown: one paragraph, its Markdown characters escaped."""
    flat = " ".join(text.split())
    if len(flat) > 400:
        flat = flat[:397] + "..."
    return re.sub(r"([\\`*_{}\[\]()#+!|<>~])", r"\\\1", flat)


def _key_markdown(cl: Any, name: str) -> str | None:
    if not attrs.has(cl) or name not in fielddocs.fields_of(cl):
        return None
    doc = fielddocs.field_doc(cl, name) or ""
    kind = fielddocs.type_name(fielddocs.field_type(cl, name))
    text = f"**{name}** ({kind}) · {cl.__name__}\n\n{doc}"
    spec = _spec_for(cl, name)
    if spec is not None:
        text += f"\n\nLinks to: {', '.join(_KIND_NAMES.get(k, k) for k in spec.targets)}."
    values = vocab.FIELD_VOCABULARIES.get((cl.__name__, name))
    if values:
        text += "\n\nOne of: " + ", ".join(f"`{v}`" for v in values) + "."
    return text


def _spec_for(cl: Any, name: str) -> LinkSpec | None:
    for section, kind in model.SECTIONS:
        if _item_class(kind) is cl:
            return link_spec(section, name)
    if cl is model.Meeting:
        return link_spec("meetings", name)
    return None


def _item_class(kind: str) -> Any:
    return resolve((SECTION_OF_KIND[kind], "*"))


def _check_markdown(problem: Problem, checks: dict[str, Check]) -> str | None:
    if problem.code is None:
        return None
    chk = checks.get(problem.code)
    if chk is None:
        return None
    origin = "" if chk.plugin == "techdiversity" else f" · plugin `{chk.plugin}`"
    return (
        f"**{chk.code}** `{chk.name}` ({chk.severity}{origin}): {chk.title}\n\n"
        f"**Why it matters.** {' '.join(chk.why.split())}\n\n"
        f"**How to fix it.** {' '.join(chk.fix.split())}"
    )


def _word_at(line: str, column: int) -> tuple[int, int]:
    start = column
    while start > 0 and _ID_CHARS.match(line[start - 1]):
        start -= 1
    end = column
    while end < len(line) and _ID_CHARS.match(line[end]):
        end += 1
    return start, end


def _root(analysis: Analysis) -> type[Any]:
    return model.AssessmentFile if analysis.kind == "assessment" else model.Plan


def hover(
    analysis: Analysis | None,
    latest: Analysis,
    lines: list[str],
    pos: lsp.Position,
    encoding: str,
    checks: dict[str, Check],
) -> lsp.Hover | None:
    """What is under the cursor: an item named by an id, a key's meaning, a finding's why and fix.

    ``analysis`` is the latest version that parsed (perhaps older than the text);
    ``latest`` the latest version analysed, whose diagnostics the editor shows.
    """
    row, col = cursor(lines, pos, encoding)
    parts: list[str] = []
    span: Span | None = None
    if analysis is not None and analysis.lines == lines:
        token = analysis.token_at(row, col)
        if token is not None:
            span = token.span
            if token.key:
                parent = token.pointer.rsplit("/", 1)[0]
                path = tuple("*" if p.isdigit() else p for p in parent.split("/")[1:])
                text = _key_markdown(resolve(path, _root(analysis)), token.value)
                if text:
                    parts.append(text)
            else:
                item = analysis.outline.items.get(token.value)
                if item is not None and _is_id_place(token.pointer):
                    parts.append(_item_markdown(item, analysis))
                elif _is_id_place(token.pointer):
                    parts.append(f"**{token.value}**: no item of the plan has this id.")
    elif analysis is not None:
        line = _line(lines, row)
        start, end = _word_at(line, col)
        word = line[start:end]
        if word:
            span = Span(row, start, end)
            after = line[end:].lstrip("\"' \t")
            if after.startswith((":", "=")):
                ctx = context_at(lines, row, start, analysis.format)
                text = _key_markdown(resolve(ctx.path, _root(analysis)), word)
                if text:
                    parts.append(text)
            elif word in analysis.outline.items:
                parts.append(_item_markdown(analysis.outline.items[word], analysis))
    for problem in latest.problems() if latest.lines == lines else ():
        if problem.span.contains(row, col) or (problem.span.line == row and problem.span.start == problem.span.end):
            text = _check_markdown(problem, checks)
            if text:
                parts.append(text)
                span = span or problem.span
    if not parts:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
        range=to_range(lines, span, encoding) if span is not None else None,
    )


def _is_id_place(pointer: str) -> bool:
    """True for the pointer of an item's id or of a link to one."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] in KIND_OF_SECTION and parts[3] == "id":
        return True
    return len(parts) in (4, 5) and link_spec(parts[1], parts[3]) is not None


# -- completion ----------------------------------------------------------------------


def completion(
    analysis: Analysis | None, lines: list[str], fmt: str, pos: lsp.Position, encoding: str
) -> lsp.CompletionList:
    """Ids in link fields, keys of the model, values of vocabularies."""
    row, col = cursor(lines, pos, encoding)
    ctx = context_at(lines, row, col, fmt)
    root = _root(analysis) if analysis is not None else model.Plan
    items: list[lsp.CompletionItem] = []
    edit_range = to_range(lines, Span(row, ctx.start, ctx.end), encoding)
    if ctx.on_key:
        items = _key_items(ctx, root, lines, row, fmt, edit_range)
    else:
        holder = resolve(ctx.path, root)
        key = ctx.key or ""
        spec = _link_spec_at(ctx.path, key)
        if spec is not None and analysis is not None:
            for n, item in enumerate(analysis.outline.of_kinds(spec.targets)):
                items.append(
                    lsp.CompletionItem(
                        label=item.id,
                        kind=lsp.CompletionItemKind.Reference,
                        detail=_KIND_NAMES[item.kind]
                        + (f": {' '.join(item.title.split())[:80]}" if item.title else ""),
                        data={"id": item.id},  # the documentation comes with completionItem/resolve
                        sort_text=f"{n:06d}",
                        text_edit=lsp.TextEdit(range=edit_range, new_text=item.id),
                    )
                )
        elif attrs.has(holder):
            name = holder.__name__
            values = vocab.FIELD_VOCABULARIES.get((name, key)) or vocab.OPEN_FIELDS.get((name, key))
            if values:
                open_list = (name, key) in vocab.OPEN_FIELDS
                for n, value in enumerate(values):
                    items.append(
                        lsp.CompletionItem(
                            label=value,
                            kind=lsp.CompletionItemKind.EnumMember,
                            detail="suggested target group" if open_list else f"{key} ({name})",
                            sort_text=f"{n:06d}",
                            text_edit=lsp.TextEdit(range=edit_range, new_text=value),
                        )
                    )
            elif key in fielddocs.fields_of(holder) and _unwrap_bool(fielddocs.field_type(holder, key)):
                for value in ("true", "false"):
                    items.append(
                        lsp.CompletionItem(
                            label=value,
                            kind=lsp.CompletionItemKind.Value,
                            text_edit=lsp.TextEdit(range=edit_range, new_text=value),
                        )
                    )
    return lsp.CompletionList(is_incomplete=False, items=items)


def resolve_completion(analysis: Analysis | None, item: lsp.CompletionItem) -> lsp.CompletionItem:
    """Add the documentation of an id offered by :func:`completion` (the item it names)."""
    data = item.data
    ident = data.get("id") if isinstance(data, dict) else None
    if analysis is not None and isinstance(ident, str) and ident in analysis.outline.items:
        markdown = _item_markdown(analysis.outline.items[ident], analysis)
        item.documentation = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=markdown)
    return item


def _unwrap_bool(t: Any) -> bool:
    return t is bool or (bool(get_args(t)) and set(get_args(t)) <= {bool, type(None)})


def _link_spec_at(path: tuple[str, ...], key: str) -> LinkSpec | None:
    if len(path) == 2 and path[1] == "*":
        return link_spec(path[0], key)
    return None


def _key_items(
    ctx: Context, root: type[Any], lines: list[str], row: int, fmt: str, edit_range: lsp.Range
) -> list[lsp.CompletionItem]:
    holder = resolve(ctx.path, root)
    rest = _line(lines, row)[ctx.end :].strip()
    separator = {"yaml": ": ", "toml": " = ", "json": ""}[fmt] if not rest and not ctx.quoted else ""
    if fmt == "json" and not ctx.quoted and not rest:
        separator = '": '
    opening = '"' if fmt == "json" and not ctx.quoted else ""
    names: list[tuple[str, str, str | None]] = []
    if attrs.has(holder):
        for name in fielddocs.fields_of(holder):
            kind = fielddocs.type_name(fielddocs.field_type(holder, name))
            names.append((name, kind, _key_markdown(holder, name)))
    elif get_origin(holder) is dict and ctx.path[-2:] == ("integration", "types"):
        names = [(t, "integration type", None) for t in vocab.INTEGRATION_TYPES]
    return [
        lsp.CompletionItem(
            label=name,
            kind=lsp.CompletionItemKind.Property,
            detail=kind,
            documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc) if doc else None,
            sort_text=f"{n:06d}",
            text_edit=lsp.TextEdit(range=edit_range, new_text=f"{opening}{name}{separator}"),
        )
        for n, (name, kind, doc) in enumerate(names)
    ]


# -- definition, references, rename --------------------------------------------------


def _target_id(analysis: Analysis, lines: list[str], row: int, col: int) -> tuple[str, Span] | None:
    """The id under the cursor (an item's own id or a link), with its span in ``lines``."""
    if analysis.lines == lines:
        token = analysis.token_at(row, col)
        if token is None or token.key or not _is_id_place(token.pointer):
            return None
        return token.value, token.span
    line = _line(lines, row)
    start, end = _word_at(line, col)
    word = line[start:end]
    if word in analysis.outline.items or word in analysis.outline.refs_to:
        return word, Span(row, start, end)
    return None


def _find_definition(analysis: Analysis, ident: str, lines: list[str]) -> Span | None:
    """Where ``ident`` is defined in ``lines`` (the analysis' own, or a newer version's)."""
    item = analysis.outline.items.get(ident)
    if item is None:
        return None
    span = analysis.item_span(item)
    moved = analysis.relocate(span, lines) if span is not None else None
    if moved is not None and analysis.still_written(moved, ident, lines):
        return moved
    quoted = re.escape(ident)
    patterns = {
        "json": rf'"id"\s*:\s*"({quoted})"',
        "toml": rf"""\bid\s*=\s*["']({quoted})["']""",
        "yaml": rf"""(?:^|[\s{{,-])id\s*:\s*["']?({quoted})["']?\s*(?:$|[,}}\s#])""",
    }
    pattern = re.compile(patterns.get(analysis.format, patterns["yaml"]))
    for row, line in enumerate(lines):
        m = pattern.search(line)
        if m:
            return Span(row, m.start(1), m.end(1))
    return None


def definition(analysis: Analysis, lines: list[str], uri: str, pos: lsp.Position, encoding: str) -> lsp.Location | None:
    """Where the item an id names is defined."""
    row, col = cursor(lines, pos, encoding)
    found = _target_id(analysis, lines, row, col)
    if found is None:
        return None
    span = _find_definition(analysis, found[0], lines)
    if span is None:
        return None
    return lsp.Location(uri=uri, range=to_range(lines, span, encoding))


def _occurrences(analysis: Analysis, ident: str, lines: list[str], declaration: bool = True) -> list[Span]:
    spans: list[Span] = []
    if declaration:
        item = analysis.outline.items.get(ident)
        if item is not None:
            span = analysis.item_span(item)
            if span is not None:
                spans.append(span)
    for ref in analysis.outline.refs_to.get(ident, []):
        span = analysis.span_of(ref.pointer)
        if span is not None:
            spans.append(span)
    if analysis.lines != lines:
        moved = (analysis.relocate(s, lines) for s in spans)
        spans = [s for s in moved if s is not None and analysis.still_written(s, ident, lines)]
    return sorted(set(spans))


def references(
    analysis: Analysis, lines: list[str], uri: str, pos: lsp.Position, encoding: str, declaration: bool
) -> list[lsp.Location]:
    """Every place the id under the cursor is written (its definition too, if asked)."""
    row, col = cursor(lines, pos, encoding)
    found = _target_id(analysis, lines, row, col)
    if found is None:
        return []
    return [
        lsp.Location(uri=uri, range=to_range(lines, span, encoding))
        for span in _occurrences(analysis, found[0], lines, declaration)
    ]


def prepare_rename(analysis: Analysis, lines: list[str], pos: lsp.Position, encoding: str) -> lsp.Range | None:
    """The range of the id to rename, or None when the cursor is on no id."""
    row, col = cursor(lines, pos, encoding)
    found = _target_id(analysis, lines, row, col)
    if found is None or analysis.lines != lines:
        return None
    return to_range(lines, found[1], encoding)


def _needs_quotes(fmt: str, name: str) -> bool:
    if fmt != "yaml":
        return False
    for text in (f"x: {name}\n", f"x: [{name}]\n"):
        try:
            data, _ = formats.read_text(text, "yaml")
        except ValueError:
            return True
        value = data["x"] if not text.startswith("x: [") else data["x"][0]
        if value != name:
            return True
    return False


def rename(
    analysis: Analysis, lines: list[str], uri: str, pos: lsp.Position, encoding: str, new_name: str
) -> lsp.WorkspaceEdit | None:
    """Rename an id everywhere in the plan, as one edit."""
    row, col = cursor(lines, pos, encoding)
    if analysis.lines != lines:
        raise RenameRefused("the file does not read as it is; fix its syntax error first")
    found = _target_id(analysis, lines, row, col)
    if found is None:
        return None
    old = found[0]
    if new_name == old:
        return lsp.WorkspaceEdit(changes={uri: []})
    try:
        model.Objective(id=new_name)
    except ValueError as exc:
        raise RenameRefused(str(exc)) from None
    taken = analysis.outline.items.get(new_name)
    if taken is not None:
        where = analysis.item_span(taken)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise RenameRefused(f"{new_name!r} is already the id of {_KIND_NAMES[taken.kind]} {taken.id}{at}")
    edits = []
    for span in _occurrences(analysis, old, lines):
        text = new_name
        line = _line(lines, span.line)
        plain = not (span.start > 0 and line[span.start - 1] in "\"'")
        if plain and _needs_quotes(analysis.format, new_name):
            text = f'"{new_name}"'
        edits.append(lsp.TextEdit(range=to_range(lines, span, encoding), new_text=text))
    return lsp.WorkspaceEdit(changes={uri: edits})


# -- document symbols ----------------------------------------------------------------


def document_symbols(analysis: Analysis, lines: list[str], encoding: str) -> list[lsp.DocumentSymbol]:
    """The outline: each section of linkable things, with its items."""
    extents = analysis.extents()
    if analysis.lines != lines:  # an older version: its places moved to where they are now

        def move(span: Span) -> Span:
            return analysis.relocate(span, lines) or span

        extents = {p: (move(a), move(b)) for p, (a, b) in extents.items()}
    else:

        def move(span: Span) -> Span:
            return span

    out: list[lsp.DocumentSymbol] = []
    by_section: dict[str, list[Item]] = {}
    for item in analysis.outline.order:
        by_section.setdefault(item.section, []).append(item)
    for section, _kind in model.SECTIONS:
        items = by_section.get(section)
        if not items or f"/{section}" not in extents:
            continue
        children = []
        for item in items:
            extent = extents.get(item.pointer)
            sel = analysis.item_span(item)
            sel = move(sel) if sel is not None else None
            if extent is None or sel is None:
                continue
            start, end = extent
            full = _clamp(lines, Span(start.line, start.start, 0), end)
            children.append(
                lsp.DocumentSymbol(
                    name=item.id,
                    detail=" ".join(item.title.split())[:120] if item.title else None,
                    kind=_SYMBOL_KINDS[item.kind],
                    range=_enclose(lines, full, sel, encoding),
                    selection_range=to_range(lines, _clip(lines, sel), encoding),
                )
            )
        start, end = extents[f"/{section}"]
        key = move(analysis.span_of(f"/{section}", key=True) or start)
        full = _clamp(lines, Span(start.line, start.start, 0), end)
        out.append(
            lsp.DocumentSymbol(
                name=section,
                detail=f"{len(items)} {_KIND_NAMES[KIND_OF_SECTION[section]]}{'s' if len(items) != 1 else ''}",
                kind=lsp.SymbolKind.Namespace,
                range=_enclose(lines, full, key, encoding),
                selection_range=to_range(lines, _clip(lines, key), encoding),
                children=children,
            )
        )
    return out


def _clip(lines: Sequence[str], span: Span) -> Span:
    row = min(span.line, max(0, len(lines) - 1))
    length = len(_line(lines, row))
    return Span(row, min(span.start, length), min(span.end, length))


def _clamp(lines: Sequence[str], start: Span, end: Span) -> tuple[Span, Span]:
    return _clip(lines, start), _clip(lines, end)


def _enclose(lines: Sequence[str], full: tuple[Span, Span], inner: Span, encoding: str) -> lsp.Range:
    """A range from ``full`` that surely holds ``inner`` (clients require it)."""
    start, end = full
    inner = _clip(lines, inner)
    first = min((start.line, start.start), (inner.line, inner.start))
    last = max((end.line, end.end), (inner.line, inner.end))
    return lsp.Range(
        start=position(lines, first[0], first[1], encoding), end=position(lines, last[0], last[1], encoding)
    )


# -- code actions ----------------------------------------------------------------------


def code_actions(
    analysis: Analysis, uri: str, want: lsp.Range, encoding: str, sent: Iterable[lsp.Diagnostic]
) -> list[lsp.CodeAction]:
    """Mechanical fixes for the findings in range: a baseline stub, a missing item, a near id."""
    first = want.start.line
    last = want.end.line
    diagnostics_by_key = {(d.code, d.range.start.line): d for d in sent}
    out: list[lsp.CodeAction] = []
    for problem in analysis.problems():
        if problem.finding is None or not first <= problem.span.line <= last:
            continue
        diag = diagnostics_by_key.get((problem.code, problem.span.line))
        attached = [diag] if diag is not None else None
        code = problem.code
        if code == "TD202":
            action = _baseline_stub(analysis, problem, uri, encoding, attached)
            if action is not None:
                out.append(action)
        elif code in ("TD100", "TD101"):
            out.extend(_nearest_ids(analysis, problem, uri, encoding, attached))
            if code == "TD100":
                out.extend(_create_missing(analysis, problem, uri, encoding, attached))
    return out


def _ref_of(analysis: Analysis, pointer: str) -> tuple[str, LinkSpec] | None:
    parts = pointer.split("/")
    if len(parts) not in (4, 5):
        return None
    spec = link_spec(parts[1], parts[3])
    value = analysis.value_at(pointer)
    if spec is None or not isinstance(value, str):
        return None
    return value, spec


def _nearest_ids(
    analysis: Analysis, problem: Problem, uri: str, encoding: str, diags: list[lsp.Diagnostic] | None
) -> list[lsp.CodeAction]:
    found = _ref_of(analysis, problem.pointer)
    if found is None:
        return []
    target, spec = found
    span = analysis.span_of(problem.pointer)
    if span is None:
        return []
    scored = []
    for n, item in enumerate(analysis.outline.of_kinds(spec.targets)):
        matcher = difflib.SequenceMatcher(None, target, item.id)
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and matcher.ratio() >= 0.5:
            scored.append((-matcher.ratio(), n, item.id))
    scored.sort()
    best = scored[:3]
    # one is preferred only when it is nearer than every other (SO1, SO2, SO3 for SO9: none is)
    unique = len(best) == 1 or (len(best) > 1 and best[0][0] < best[1][0])
    out = []
    for n, (_score, _order, name) in enumerate(best):
        item = analysis.outline.items[name]
        out.append(
            lsp.CodeAction(
                title=f"Change {target!r} to {name!r} ({_KIND_NAMES[item.kind]}"
                + (f": {' '.join(item.title.split())[:60]})" if item.title else ")"),
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=diags,
                is_preferred=n == 0 and unique,
                edit=lsp.WorkspaceEdit(
                    changes={uri: [lsp.TextEdit(range=to_range(analysis.lines, span, encoding), new_text=name)]}
                ),
            )
        )
    return out


def _baseline_stub(
    analysis: Analysis, problem: Problem, uri: str, encoding: str, diags: list[lsp.Diagnostic] | None
) -> lsp.CodeAction | None:
    pointer = problem.pointer
    entry = analysis.value_at(pointer)
    if not isinstance(entry, dict) or "baseline" in entry or not isinstance(entry.get("id"), str):
        return None
    edit = _insert_after_id(
        analysis,
        pointer,
        {"yaml": "baseline: {value: null, date: null}", "json": '"baseline": {"value": null, "date": null}'},
        {"toml": "baseline = {}"},
    )
    if edit is None:
        return None
    return lsp.CodeAction(
        title=f"Add a baseline stub to indicator {entry['id']} (value and date to fill in)",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=diags,
        edit=lsp.WorkspaceEdit(changes={uri: [_text_edit(analysis, edit, encoding)]}),
    )


def _text_edit(analysis: Analysis, edit: tuple[int, int, str], encoding: str) -> lsp.TextEdit:
    row, col, text = edit
    return lsp.TextEdit(range=to_range(analysis.lines, Span(row, col, col), encoding), new_text=text)


def _insert_after_id(
    analysis: Analysis, pointer: str, stubs: dict[str, str], toml_stubs: dict[str, str]
) -> tuple[int, int, str] | None:
    """Where and what to insert to add a key to the item at ``pointer``, just after its id."""
    span = analysis.span_of(f"{pointer}/id")
    key = analysis.position(f"{pointer}/id", key=True)
    if span is None or key is None:
        return None
    line = analysis.lines[span.line]
    end = span.end + (1 if span.end < len(line) and line[span.end] in "\"'" else 0)
    tail = line[end:].strip()
    fmt = analysis.format
    stub = stubs.get(fmt) or toml_stubs.get(fmt)
    if stub is None:
        return None
    if fmt == "json" or tail.startswith((",", "}")):  # flow style: on the same line
        return span.line, end, f", {stub}"
    if tail and not tail.startswith("#"):
        return None
    indent = " " * (key[1] - 1)
    return span.line, len(line), f"\n{indent}{stub}"


def _create_missing(
    analysis: Analysis, problem: Problem, uri: str, encoding: str, diags: list[lsp.Diagnostic] | None
) -> list[lsp.CodeAction]:
    found = _ref_of(analysis, problem.pointer)
    if found is None:
        return []
    target, spec = found
    try:
        model.Objective(id=target)
    except ValueError:
        return []
    out = []
    for kind in spec.targets:
        section = SECTION_OF_KIND[kind]
        edit = _append_item(analysis, section, target)
        if edit is None:
            continue
        out.append(
            lsp.CodeAction(
                title=f"Create {_KIND_NAMES[kind]} {target} (in {section})",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=diags,
                edit=lsp.WorkspaceEdit(changes={uri: [_text_edit(analysis, edit, encoding)]}),
            )
        )
    return out


def _append_item(analysis: Analysis, section: str, ident: str) -> tuple[int, int, str] | None:
    """Where and what to insert to add ``{id: ident}`` at the end of a section."""
    fmt = analysis.format
    lines = analysis.lines
    data = analysis.data if isinstance(analysis.data, dict) else {}
    entries = data.get(section)
    if fmt == "toml":
        if entries is not None:
            key = analysis.position(f"/{section}", key=True)
            if key is None or not lines[key[0] - 1].lstrip().startswith("[["):
                return None  # written as an inline array: leave it to the user
        row = len(lines) - 1
        while row > 0 and not lines[row].strip():
            row -= 1
        return row, len(lines[row]), f'\n\n[[{section}]]\nid = "{ident}"\n'
    if fmt == "json":
        return _append_json(analysis, section, ident)
    # YAML
    if entries is None:
        if "\n" not in analysis.text.rstrip("\n") and analysis.text.lstrip().startswith("{"):
            return None
        row = len(lines) - 1
        while row > 0 and not lines[row].strip():
            row -= 1
        return row, len(lines[row]), f"\n{section}:\n  - id: {ident}"
    if not isinstance(entries, list):
        return None
    if not entries:
        where = analysis.position(f"/{section}")
        if where is None:
            return None
        row, col = where[0] - 1, where[1] - 1
        if lines[row][col : col + 2] != "[]":
            return None
        return row, col + 1, f"{{id: {ident}}}"
    last = f"/{section}/{len(entries) - 1}"
    extents = analysis.extents()
    if last not in extents:
        return None
    start, end = extents[last]
    head = lines[start.line]
    dash = head[: start.start].rstrip()
    if not dash.endswith("-"):
        return None  # a flow list: leave it to the user
    dash_col = len(dash) - 1
    row = end.line
    # the last item may end with lines of a block scalar: stop before the next line at or left of the dash
    while row + 1 < len(lines) and (
        not lines[row + 1].strip() or len(lines[row + 1]) - len(lines[row + 1].lstrip()) > dash_col
    ):
        row += 1
    while row > end.line and not lines[row].strip():
        row -= 1
    return row, len(lines[row]), f"\n{' ' * dash_col}- id: {ident}"


def _append_json(analysis: Analysis, section: str, ident: str) -> tuple[int, int, str] | None:
    text = analysis.text
    where = analysis.position(f"/{section}")
    entry = f'{{"id": "{ident}"}}'
    if where is None:
        root = analysis.position("")
        if root is None or not isinstance(analysis.data, dict):
            return None
        row, col = root[0] - 1, root[1] - 1
        return row, col + 1, f'"{section}": [{entry}], '
    row, col = where[0] - 1, where[1] - 1
    offset = analysis.offset(row, col)
    if text[offset : offset + 1] != "[":
        return None
    depth = 0
    i = offset
    in_string = False
    while i < len(text):
        ch = text[i]
        if in_string:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    else:
        return None
    before = text[offset + 1 : i].strip()
    line, column = analysis.row_col(i)
    return line, column, (f", {entry}" if before else entry)
