"""Looking at an HTML report in headless Chromium, through the DevTools protocol.

Headless Chromium does not lay a page out narrower than 500 pixels, whatever
``--window-size`` says (a 390-pixel screenshot is then a crop of a 500-pixel page),
so a phone is emulated instead: the browser is driven over ``--remote-debugging-pipe``
(JSON messages, each ended by a NUL byte, on file descriptors 3 and 4), and
``Emulation.setDeviceMetricsOverride`` gives the page a 390-pixel mobile viewport.
The same session records every request the page makes (``Network``), measures the
laid-out page (``Runtime.evaluate``: scripts sent this way run whatever the page's
Content-Security-Policy says, while the page itself still runs none), takes
screenshots of the whole page and prints it to PDF.

What :meth:`Page.probe` reports:

- ``innerWidth``, ``scrollWidth``: the viewport, and how wide the page is;
- ``overflow``: visible elements reaching past the right edge of the viewport that are
  not inside a box scrolling sideways (a wide table in its ``.scroll`` box scrolls
  within its section; the page does not);
- ``clipped``: boxes that hide text which does not fit them, outside scrolling boxes;
- ``overlaps``: pairs of text lines (leaf elements with text) that overlap on screen;
- ``urls``: attributes holding an http(s) or protocol-relative URL;
- ``scrollers``: the sideways-scrolling boxes wider than their view, each with
  whether a scroll hint is visible before it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

PROBE = r"""
(function () {
  var vw = window.innerWidth, out = {innerWidth: vw, scrollWidth: document.documentElement.scrollWidth,
    overflow: [], clipped: [], overlaps: [], urls: [], scrollers: []};
  function scroller(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      var s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth + 1) return p;
    }
    return null;
  }
  function name(el) {
    var cls = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    return el.tagName.toLowerCase() + (cls ? '.' + cls.split(' ').join('.') : '') +
      ' "' + (el.textContent || '').trim().slice(0, 60) + '"';
  }
  var all = document.body.querySelectorAll('*'), texts = [];
  for (var i = 0; i < all.length; i++) {
    var el = all[i], r = el.getBoundingClientRect(), st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden' || r.width === 0 || r.height === 0) continue;
    var inside = scroller(el);
    if (r.right > vw + 1 && !inside) out.overflow.push(name(el) + ' right=' + Math.round(r.right));
    var hides = st.overflowX === 'hidden' || st.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1 && !inside && el.tagName !== 'svg') out.clipped.push(name(el));
    for (var a = 0; a < el.attributes.length; a++) {
      var v = (el.attributes[a].value || '').trim().toLowerCase();
      var remote = /^(https?:)?\/\//.test(v) || /url\(\s*['"]?(https?:)?\/\//.test(v);
      if (remote) out.urls.push(el.tagName + ' ' + el.attributes[a].name);
    }
    if ((st.overflowX === 'auto' || st.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      var prev = el.previousElementSibling, hinted = false;
      while (prev && !hinted) {
        if (prev.classList.contains('hint') && getComputedStyle(prev).display !== 'none') hinted = true;
        if (/^H[1-4]$/.test(prev.tagName)) break;
        prev = prev.previousElementSibling;
      }
      out.scrollers.push({what: name(el), hinted: hinted});
    }
    var leaf = el.children.length === 0 && (el.textContent || '').trim() !== '';
    if (leaf && !el.closest('svg')) {
      var rects = el.getClientRects();
      for (var k = 0; k < rects.length; k++) texts.push({el: el, r: rects[k]});
    }
  }
  for (var m = 0; m < texts.length && out.overlaps.length < 20; m++) {
    for (var n = m + 1; n < texts.length; n++) {
      var p = texts[m], q = texts[n];
      if (p.el === q.el || p.el.contains(q.el) || q.el.contains(p.el)) continue;
      var w = Math.min(p.r.right, q.r.right) - Math.max(p.r.left, q.r.left);
      var h = Math.min(p.r.bottom, q.r.bottom) - Math.max(p.r.top, q.r.top);
      if (w > 3 && h > 3) out.overlaps.push(name(p.el) + ' / ' + name(q.el));
    }
  }
  return JSON.stringify(out);
})()
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    if os.environ.get("TECHDIVERSITY_REQUIRE_CHROMIUM") == "1":
        pytest.fail("Chromium is required (TECHDIVERSITY_REQUIRE_CHROMIUM=1) but not installed")
    pytest.skip(
        "Chromium not installed: apt-get install chromium (CI installs it and sets TECHDIVERSITY_REQUIRE_CHROMIUM=1)"
    )


class Browser:
    """One headless Chromium driven over its DevTools pipe; use as a context manager."""

    def __init__(self, timeout: float = 120) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="td-chromium-")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def connect() -> None:  # in the child: the pipe on descriptors 3 (commands) and 4 (replies)
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            for fd, target in zip(high, (3, 4), strict=True):
                os.dup2(fd, target)  # the copy is inheritable, whatever the pipe's numbers were

        self.proc = subprocess.Popen(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=connect,
            close_fds=False,
        )
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing anyway
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._commands, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed its DevTools pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer (events meanwhile go to :attr:`events`)."""
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for k, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(k)
        while True:
            event = self._message(deadline)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            self.events.append(event)

    def open(self, path: Path, width: int, height: int = 900, *, mobile: bool | None = None) -> Page:
        """A new tab showing ``path`` in a ``width`` by ``height`` viewport (a phone's below 600 pixels)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session)
        self.send("Network.enable", session)
        phone = width < 600 if mobile is None else mobile
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=phone,
        )
        self.send("Page.navigate", session, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session, width, height)


class Page:
    """A tab of :class:`Browser`, loaded."""

    def __init__(self, browser: Browser, session: str, width: int, height: int) -> None:
        self.browser, self.session, self.width, self.height = browser, session, width, height

    def evaluate(self, expression: str) -> Any:
        result = self.browser.send("Runtime.evaluate", self.session, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def probe(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.evaluate(PROBE))
        return found

    def requests(self) -> list[str]:
        """The URL of every request the page made, its own file first."""
        self.evaluate("1")  # let pending events arrive
        return [
            e["params"]["request"]["url"]
            for e in self.browser.events
            if e.get("method") == "Network.requestWillBeSent" and e.get("sessionId") == self.session
        ]

    def media(self, kind: str) -> None:
        """Lay the page out for ``print`` or ``screen``."""
        self.browser.send("Emulation.setEmulatedMedia", self.session, media=kind)

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """The page from its top, ``height`` pixels tall (None: the whole page), as a PNG."""
        full = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)"))
        tall = full if height is None else min(height, full)
        data = self.browser.send(
            "Page.captureScreenshot",
            self.session,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": self.width, "height": tall, "scale": 1},
        )["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def pdf(self) -> bytes:
        data = self.browser.send("Page.printToPDF", self.session, printBackground=True, preferCSSPageSize=True)["data"]
        return base64.b64decode(data)
