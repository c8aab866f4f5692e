"""Latency of the language server (``techdiversity lsp``) on a large plan.

    python bench/lsp.py [--sizes 1000] [--repeat N] [--formats yaml,json] [--quick]

For each size and format it generates a coherent plan (``bench/generate.py``), starts
the server as an editor would (a subprocess on stdio, driven by pygls's client),
opens the plan and then measures, as the median of ``--repeat`` rounds:

- change -> diagnostics: from sending a ``didChange`` (three characters of a link in
  the middle of the plan, alternately a dangling id and the right one) to receiving
  the ``publishDiagnostics`` of that version. The debounce is set to 0 for this, so
  the figure is the server's own work: an editor adds the debounce delay (200 ms by
  default) on top, on purpose;
- completion and hover, idle: a completion request in a ``contributes_to`` list and a
  hover on an id, with no analysis running;
- completion while checking: the same completion sent right after a ``didChange``, so
  that it is answered while the worker thread checks the plan: the wait a user typing
  fast could see.

The floor is measured in this process on the same two texts, in turn:
``check(loads(text))``, the work of ``techdiversity check`` without the file and the
process start; the ratio says what the protocol, the worker thread and the placing
of the diagnostics add.
Third-party plugins are not loaded, here or in the server.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("TECHDIVERSITY_DISABLE_PLUGIN_AUTOLOAD", "1")

import techdiversity as td

try:
    from lsprotocol import types as lsp
    from pygls.protocol import default_converter
    from pytest_lsp import client_capabilities
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features
except ImportError:  # pragma: no cover
    sys.exit("bench/lsp.py needs the development environment (pygls and pytest-lsp): make setup")

HERE = Path(__file__).resolve().parent


def _generate() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def floor(texts: list[str], fmt: str, repeat: int) -> float:
    """Median seconds of ``check(loads(text))``, the texts taken in turn."""
    td.check(td.loads(texts[0], fmt))  # warm-up
    times = []
    for i in range(repeat * len(texts)):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        td.check(td.loads(text, fmt))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def edited(text: str, fmt: str) -> tuple[int, int, str, str]:
    """The link the rounds edit: the first objective of a contributes_to in the second half.

    Returns its start and end in the text, the id as written and a dangling one.
    """
    pattern = (
        r'"contributes_to": \[\s*"([^"]+)"' if fmt == "json" else r"contributes_to:\s*(?:\[\s*|\n\s*- )([^\s,\]]+)"
    )
    found = re.compile(pattern).search(text, len(text) // 2)
    assert found is not None, "no contributes_to in the second half of the plan"
    start, end = found.span(1)
    good = text[start:end]
    return start, end, good, "ZZ" + good[2:] if len(good) > 2 else "ZZ9"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _position(text: str, index: int) -> Any:
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return lsp.Position(line=line, character=_utf16(text[start:index]))


async def measure(text: str, fmt: str, repeat: int, data_dir: Path) -> dict[str, float]:
    """Start the server, open the plan, time the rounds; median seconds of each."""
    versions: dict[int, asyncio.Future[float]] = {}

    def published(ls: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        future = versions.get(params.version or 0)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    # pytest-lsp's client (a pygls client with the protocol a test client needs)
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: published})

    env = {**os.environ, "XDG_CACHE_HOME": str(data_dir / "cache")}
    await client.start_io(sys.executable, "-m", "techdiversity", "lsp", env=env)
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounce": 0}
        )
    )
    uri = (data_dir / f"plan.{fmt}").as_uri()
    loop = asyncio.get_running_loop()
    versions[1] = loop.create_future()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=fmt, version=1, text=text)
        )
    )
    await versions[1]
    middle, end, good, bad = edited(text, fmt)
    rng = lsp.Range(start=_position(text, middle), end=_position(text, end))
    completion_at = _position(text, middle)
    hover_at = _position(text, middle + 1)
    results: dict[str, list[float]] = {"change": [], "completion": [], "hover": [], "busy": []}
    version = 1
    current = good
    # four changes a round, alternately to the dangling id and back: the first two timed
    # idle (one of each text), the next two with a completion sent while they are checked
    for i in range(4 * repeat):
        busy = i % 4 >= 2
        version += 1
        current = bad if current == good else good
        versions[version] = loop.create_future()
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=current)],
            )
        )
        rng = lsp.Range(
            start=rng.start, end=lsp.Position(line=rng.start.line, character=rng.start.character + len(current))
        )
        if busy:
            start = time.perf_counter()
            await client.text_document_completion_async(
                lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=completion_at)
            )
            results["busy"].append(time.perf_counter() - start)
        done = await versions[version]
        if not busy:
            results["change"].append(done - sent)
            start = time.perf_counter()
            await client.text_document_completion_async(
                lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=completion_at)
            )
            results["completion"].append(time.perf_counter() - start)
            start = time.perf_counter()
            await client.text_document_hover_async(
                lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=hover_at)
            )
            results["hover"].append(time.perf_counter() - start)
    await client.shutdown_session()
    await client.stop()
    return {name: statistics.median(values) for name, values in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Latency of techdiversity lsp (see the module's docstring).")
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of actions (default 1000)")
    parser.add_argument("--repeat", type=int, default=15, help="rounds per measurement, median reported (default 15)")
    parser.add_argument("--formats", default="yaml,json", help="yaml,json (default both)")
    parser.add_argument("--quick", action="store_true", help="3 rounds (the smoke test)")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else max(1, args.repeat)
    generate = _generate()
    print(f"== techdiversity lsp: latency (median of {repeat}; debounce 0) ==")
    print(
        f"{'plan':<18} {'floor check(loads)':>19} {'change->diagnostics':>20} {'ratio':>7} "
        f"{'completion':>11} {'hover':>8} {'completion while checking':>26}"
    )
    with tempfile.TemporaryDirectory(prefix="techdiversity-lsp-bench-") as tmp:
        data_dir = Path(tmp)
        for n in (int(s) for s in args.sizes.split(",") if s.strip()):
            data = generate.generate(n, seed=0)
            for fmt in (f.strip() for f in args.formats.split(",") if f.strip()):
                text = generate.dumps(data, fmt)
                start, end, _good, bad = edited(text, fmt)
                base = floor([text, text[:start] + bad + text[end:]], fmt, repeat)
                got = asyncio.run(measure(text, fmt, repeat, data_dir))
                label = f"{n:,} actions {fmt.upper()}"
                print(
                    f"{label:<18} {base * 1000:>16.1f} ms {got['change'] * 1000:>17.1f} ms"
                    f" {got['change'] / base:>6.2f}x {got['completion'] * 1000:>8.1f} ms"
                    f" {got['hover'] * 1000:>5.1f} ms {got['busy'] * 1000:>23.1f} ms"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
