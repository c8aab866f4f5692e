"""A local check reference page, so that a diagnostic's code links somewhere real.

The documentation site's check reference holds the built-in checks. Plugins' checks,
and every check when no documentation address is configured, are linked to this page
instead: one self-contained HTML file of every check the server runs (its code, name,
severity, title, why it matters, how to fix it and example), written once into the
user's cache directory under a name made from its content, so it is always the page
of the checks installed.
"""

from __future__ import annotations

import hashlib
import html
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..checks import Check
from ..io import atomic_write

__all__ = ["cache_dir", "reference_html", "write_reference"]


def cache_dir() -> Path:
    """Where the page is written: ``$XDG_CACHE_HOME/techdiversity`` or the platform's cache."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "techdiversity"


def reference_html(checks: Iterable[Check]) -> str:
    """The page: one section per check, its id the code in lower case (``#td100``)."""
    esc = html.escape
    rows = []
    sections = []
    for c in checks:
        anchor = esc(c.code.lower())
        origin = "" if c.plugin == "techdiversity" else f" · from plugin <code>{esc(c.plugin)}</code>"
        rows.append(
            f'<tr><td><a href="#{anchor}">{esc(c.code)}</a></td><td><code>{esc(c.name)}</code></td>'
            f"<td>{esc(c.severity)}</td><td>{esc(c.title)}</td></tr>"
        )
        example = f"<p><strong>Example.</strong></p><pre>{esc(c.example)}</pre>" if c.example else ""
        sections.append(
            f'<section id="{anchor}"><h2>{esc(c.code)}</h2>'
            f"<p><strong>{esc(c.name)}</strong> · {esc(c.severity)} · {esc(c.title)}{origin}</p>"
            f"<p><strong>Why it matters.</strong> {esc(' '.join(c.why.split()))}</p>"
            f"<p><strong>How to fix it.</strong> {esc(' '.join(c.fix.split()))}</p>{example}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<title>techdiversity check reference</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.45}"
        "td,th{padding:.2em .6em;text-align:left}pre{background:#f4f4f4;padding:.6em}</style></head><body>"
        "<h1>Check reference</h1><p>Every check the techdiversity language server runs, plugins included.</p>"
        "<table><tr><th>Code</th><th>Name</th><th>Severity</th><th>Title</th></tr>"
        + "".join(rows)
        + "</table>"
        + "".join(sections)
        + "</body></html>\n"
    )


def write_reference(checks: Iterable[Check], directory: Path | None = None) -> Path:
    """Write the page (unless the same page is there already) and return its path.

    Raises :class:`OSError` when the cache directory cannot be written.
    """
    page = reference_html(checks)
    folder = directory if directory is not None else cache_dir()
    name = f"checks-{hashlib.sha256(page.encode('utf-8')).hexdigest()[:16]}.html"
    path = folder / name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, page)
    return path
