"""The language server: pygls wiring, debounced analysis, and the features.

Each open plan file has a :class:`_Document`: the latest analysis and the latest one
that parsed. A change schedules a new analysis after the debounce delay (a newer
change moves it on); the analysis runs in a worker thread, so requests are answered
while a large plan is checked. Completion, hover and definition work from the latest
analysis that parsed, so they go on working while the text is not valid; features
that edit (rename, code actions) want the analysis of the text as it is, and run it
at once when it is not there yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import formats, plugins
from ..checks import Check, registry
from ..version import __version__
from . import features
from .analysis import Analysis, analyse, split_lines
from .features import RenameRefused

__all__ = ["DEFAULT_DEBOUNCE_MS", "PlanLanguageServer", "make_server", "serve"]

#: Milliseconds between the last keystroke and the analysis.
DEFAULT_DEBOUNCE_MS = 200

_LANGUAGES = {"yaml": "yaml", "json": "json", "toml": "toml", "jsonc": "json"}
T = TypeVar("T")


class _Document:
    __slots__ = ("format", "good", "latest", "lines", "lock", "path", "published", "timer")

    def __init__(self, fmt: str, path: str | None) -> None:
        self.format = fmt
        self.path = path
        self.latest: Analysis | None = None
        self.good: Analysis | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.lock = asyncio.Lock()
        self.published: int | None = None
        self.lines: tuple[str, list[str]] | None = None


class PlanLanguageServer(LanguageServer):
    """The techdiversity language server."""

    def __init__(self) -> None:
        super().__init__("techdiversity", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.docs_url: str | None = os.environ.get("TECHDIVERSITY_DOCS_URL") or None
        self.documents: dict[str, _Document] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="techdiversity-check")
        self.reported: set[str] = set()
        self.said: set[str] = set()
        self.links: dict[str, str] = {}
        self.checks: dict[str, Check] = {}

    # -- settings, checks and plugins ----------------------------------------------------

    def configure(self, options: Any) -> None:
        """Read ``initializationOptions``: ``debounce`` (milliseconds) and ``docsUrl``."""
        if not isinstance(options, dict):
            return
        debounce = options.get("debounce")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and 0 <= debounce <= 60_000:
            self.debounce = debounce / 1000
        elif debounce is not None:
            self.log(lsp.MessageType.Warning, f"techdiversity: ignored debounce {debounce!r} (milliseconds, 0-60000)")
        url = options.get("docsUrl")
        if isinstance(url, str) and url.strip():
            self.docs_url = url.strip()

    def load_checks(self) -> None:
        """Load the checks (plugins too), report broken plugins, and make the links of their codes."""
        try:
            checks = registry()
        except Exception as exc:  # noqa: BLE001 - the server stays up with the built-ins
            self.log(lsp.MessageType.Error, f"techdiversity: could not load the checks: {type(exc).__name__}: {exc}")
            from ..checks import builtin_checks

            checks = builtin_checks()
        self.checks = {c.code: c for c in checks}
        self.report_plugins()
        local: str | None = None
        try:
            from .reference import write_reference

            local = write_reference(checks).as_uri()
        except OSError as exc:
            self.log(lsp.MessageType.Warning, f"techdiversity: no local check reference page: {exc}")
        base = self.docs_url.rstrip("/") + "/" if self.docs_url else None
        for c in checks:
            anchor = c.code.lower()
            if base is not None and c.plugin == "techdiversity":
                self.links[c.code] = f"{base}reference/checks.html#{anchor}"
            elif local is not None:
                self.links[c.code] = f"{local}#{anchor}"

    def report_plugins(self) -> None:
        """Say each broken plugin once, in the editor's log."""
        try:
            failures = plugins.failures()
        except Exception:  # noqa: BLE001 - reporting must not fail the server  # pragma: no cover
            return
        for failure in failures:
            # once per plugin and part skipped: a check that fails at every keystroke, with
            # another message each time, is still one line
            key = f"{failure.plugin}\x00{failure.skipped}"
            if key in self.reported:
                continue
            self.reported.add(key)
            self.log(lsp.MessageType.Warning, f"techdiversity: {failure}")

    def log(self, kind: lsp.MessageType, message: str) -> None:
        """A line in the editor's log (``window/logMessage``)."""
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client (``utf-16`` unless it offered another)."""
        value = self.workspace.position_encoding
        return str(getattr(value, "value", value) or "utf-16")

    # -- documents ---------------------------------------------------------------------

    def open(self, uri: str, language: str | None) -> _Document | None:
        """Start following a document, if it is a plan file (by suffix or language)."""
        path = to_fs_path(uri)
        fmt = formats.detect_format(path or uri) or _LANGUAGES.get(language or "")
        if fmt is None:
            return None
        doc = _Document(fmt, path)
        self.documents[uri] = doc
        return doc

    def close(self, uri: str) -> None:
        doc = self.documents.pop(uri, None)
        if doc is not None and doc.timer is not None:
            doc.timer.cancel()
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def schedule(self, uri: str) -> None:
        """Analyse after the debounce delay; a newer change moves the analysis on."""
        doc = self.documents.get(uri)
        if doc is None:
            return
        if doc.timer is not None:
            doc.timer.cancel()
        loop = asyncio.get_running_loop()
        doc.timer = loop.call_later(self.debounce, lambda: asyncio.ensure_future(self.refresh(uri)))

    def _text(self, uri: str) -> tuple[str, int | None]:
        document = self.workspace.get_text_document(uri)
        return document.source, document.version

    async def refresh(self, uri: str) -> Analysis | None:
        """The analysis of the text as it is now (run now if it is not there), published."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        async with doc.lock:
            text, version = self._text(uri)
            if doc.latest is not None and doc.latest.text == text:
                return doc.latest
            if doc.timer is not None:
                doc.timer.cancel()
                doc.timer = None
            loop = asyncio.get_running_loop()
            analysis = await loop.run_in_executor(self.worker, self._analyse, text, doc.format, doc.path, version)
            self.report_plugins()
            if isinstance(analysis, str):
                if analysis not in self.said:  # once, not at every keystroke
                    self.said.add(analysis)
                    self.log(lsp.MessageType.Error, analysis)
                return doc.latest
            doc.latest = analysis
            if analysis.parsed:
                doc.good = analysis
            if self._text(uri)[0] == text:
                self.publish(uri, doc, analysis)
            # then, while the user reads, what hover and definition will need
            self.worker.submit(self._prepare, doc, analysis)
            return analysis

    @staticmethod
    def _prepare(doc: _Document, analysis: Analysis) -> None:
        if doc.latest is analysis:  # not when a newer version is already there
            # a failure here is met again, and said, by the feature that needs the same
            with contextlib.suppress(Exception):
                analysis.prepare()

    @staticmethod
    def _analyse(text: str, fmt: str, path: str | None, version: int | None) -> Analysis | str:
        """The analysis, or the reason there is none (said in the log by the caller)."""
        try:
            return analyse(text, fmt, path, version)
        except Exception as exc:  # noqa: BLE001 - a misbehaving plugin or a bug must not stop the server
            return f"techdiversity: could not check {path or 'the document'}: {type(exc).__name__}: {exc}"

    def publish(self, uri: str, doc: _Document, analysis: Analysis) -> None:
        """Send the diagnostics of an analysis (none for a file that is not a plan at all)."""
        plan_like = analysis.looks_like_plan
        if plan_like is None:  # a syntax error: judge by the latest version that read
            plan_like = doc.good.looks_like_plan if doc.good is not None else True
        found = features.diagnostics(analysis, self.encoding, self.links, self.checks) if plan_like else []
        doc.published = analysis.version
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=analysis.version)
        )

    def lines(self, uri: str) -> list[str]:
        """The document's lines as it is now (split once per version)."""
        text = self._text(uri)[0]
        doc = self.documents.get(uri)
        if doc is not None and doc.lines is not None and doc.lines[0] is text:
            return doc.lines[1]
        lines = split_lines(text)
        if doc is not None:
            doc.lines = (text, lines)
        return lines


def make_server() -> PlanLanguageServer:
    """A server with every feature registered (not yet started)."""
    server = PlanLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: PlanLanguageServer, params: lsp.InitializeParams) -> None:
        ls.configure(params.initialization_options)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: PlanLanguageServer, params: lsp.InitializedParams) -> None:
        ls.load_checks()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: PlanLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        if ls.open(params.text_document.uri, params.text_document.language_id) is not None:
            await ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PlanLanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: PlanLanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        await ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PlanLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    def guarded(default: T, call: Callable[[], T]) -> T:
        """Run a feature; a failure is logged once and answered with nothing, never a crash."""
        try:
            return call()
        except (RenameRefused, JsonRpcInvalidParams):
            raise
        except Exception as exc:  # noqa: BLE001
            server.log(lsp.MessageType.Error, f"techdiversity: {type(exc).__name__}: {exc}")
            return default

    @server.feature(lsp.COMPLETION_ITEM_RESOLVE)
    def resolve_completion(ls: PlanLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
        data = item.data
        uri = data.get("uri") if isinstance(data, dict) else None
        doc = ls.documents.get(uri) if isinstance(uri, str) else None
        return guarded(item, lambda: features.resolve_completion(doc.good if doc else None, item))

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=["[", ",", " ", '"', ":"], resolve_provider=True),
    )
    def completion(ls: PlanLanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None:
            return None
        lines = ls.lines(uri)
        result = guarded(None, lambda: features.completion(doc.good, lines, doc.format, params.position, ls.encoding))
        if result is not None:
            for item in result.items:
                if isinstance(item.data, dict):
                    item.data["uri"] = uri
        return result

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: PlanLanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        doc = ls.documents.get(uri)
        if doc is None or doc.latest is None:
            return None
        lines = ls.lines(uri)
        latest = doc.latest
        return guarded(None, lambda: features.hover(doc.good, latest, lines, params.position, ls.encoding, ls.checks))

    async def parsed(ls: PlanLanguageServer, uri: str) -> tuple[Analysis | None, list[str]]:
        """The analysis of the text as it is if it parses, else the latest that parsed."""
        doc = ls.documents.get(uri)
        if doc is None:
            return None, []
        analysis = await ls.refresh(uri)
        lines = ls.lines(uri)
        if analysis is not None and analysis.parsed:
            return analysis, lines
        return doc.good, lines

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: PlanLanguageServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        uri = params.text_document.uri
        analysis, lines = await parsed(ls, uri)
        if analysis is None:
            return None
        return guarded(None, lambda: features.definition(analysis, lines, uri, params.position, ls.encoding))

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: PlanLanguageServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        uri = params.text_document.uri
        analysis, lines = await parsed(ls, uri)
        if analysis is None:
            return None
        declaration = params.context.include_declaration
        return guarded(
            None, lambda: features.references(analysis, lines, uri, params.position, ls.encoding, declaration)
        )

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: PlanLanguageServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
        uri = params.text_document.uri
        analysis, lines = await parsed(ls, uri)
        if analysis is None:
            return None
        return guarded(None, lambda: features.prepare_rename(analysis, lines, params.position, ls.encoding))

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    async def rename(ls: PlanLanguageServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        uri = params.text_document.uri
        analysis, lines = await parsed(ls, uri)
        if analysis is None:
            return None
        try:
            return guarded(
                None, lambda: features.rename(analysis, lines, uri, params.position, ls.encoding, params.new_name)
            )
        except RenameRefused as exc:
            raise JsonRpcInvalidParams(f"cannot rename: {exc}") from None

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(
        ls: PlanLanguageServer, params: lsp.DocumentSymbolParams
    ) -> list[lsp.DocumentSymbol] | None:
        uri = params.text_document.uri
        analysis, lines = await parsed(ls, uri)
        if analysis is None:
            return None
        return guarded(None, lambda: features.document_symbols(analysis, lines, ls.encoding))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix])
    )
    async def code_action(ls: PlanLanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        if uri not in ls.documents:
            return None
        analysis = await ls.refresh(uri)
        if analysis is None or analysis.report is None:
            return None
        sent = params.context.diagnostics
        return guarded(None, lambda: features.code_actions(analysis, uri, params.range, ls.encoding, sent))

    return server


def serve() -> None:
    """Run the server on standard input and output until the client says exit."""
    make_server().start_io()
