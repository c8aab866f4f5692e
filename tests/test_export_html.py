"""The HTML report: self-contained, escaped, capped drawing, progress maths, and a real browser.

The browser tests open the report in headless Chromium and look at the result: a
desktop and a phone screenshot (valid PNGs of the asked size, not blank) and the DOM
after load (the SVG drawing and the tables are there, no script ran). Without
Chromium they are skipped, unless ``TECHDIVERSITY_REQUIRE_CHROMIUM=1`` (CI) makes
them fail.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import techdiversity
from techdiversity.cli import main
from techdiversity.exporters import ExportContext, ExportOptionError, export, find_exporter
from techdiversity.exporters.html import (
    clean,
    draw_logic,
    fmt_value,
    latest_actual,
    progress,
    worst_severities,
    wrap,
)
from techdiversity.findings import Finding, Report
from techdiversity.index import PlanIndex
from techdiversity.model import Indicator, Measurement, Plan
from techdiversity.starter import starter_plan

try:  # tests/ as a package, or tests/ on sys.path
    from .browser import Browser
except ImportError:
    from browser import Browser  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '=HYPERLINK("http://x")',
    "| pipe |",
    "# heading",
    "*bold* _em_ `code`",
    "vertical\x0btab and\x00nul and\x1bescape",
    "مدينة للجميع",  # Arabic, right to left
    "עיר לכולם",  # Hebrew
    "Ψηφιακή πόλη",  # Greek
    "Цифровой город",  # Cyrillic
    "数字城市与多样性",  # CJK
    "Supercalifragilistic" * 30,  # a very long word
    "line one\nline two\r\nline three\u2028four",
    "<style>body{background:url(http://x/y.png)}</style>",
    "javascript:alert(1)",
    "&lt;script&gt; &amp; \u202eevil",
]


def _h(i: int) -> str:
    return HOSTILE[i % len(HOSTILE)]


def starter() -> Plan:
    return techdiversity.loads(starter_plan(city="Testville"))


def hostile_plan() -> Plan:
    """The starter plan with hostile text in every kind of free-text field."""
    plan = starter()
    text = " ".join(HOSTILE)
    assert plan.context is not None and plan.vision is not None and plan.implementation is not None
    return attrs.evolve(
        plan,
        plan=attrs.evolve(plan.plan, city=_h(0), title=_h(1), network=_h(8), programme=_h(12), version=_h(3)),
        context=attrs.evolve(
            plan.context,
            theme=_h(5),
            current_situation=text,
            integration_challenges=tuple(HOSTILE),
            target_groups=("women", "<b>x</b>"),
            related_strategies=(attrs.evolve(plan.context.related_strategies[0], title=_h(2), link="http://evil/x"),),
        ),
        vision=attrs.evolve(plan.vision, headline=_h(0), text=text),
        strategic_goal=_h(4),
        problems=tuple(attrs.evolve(p, statement=_h(i + 9)) for i, p in enumerate(plan.problems)),
        objectives=tuple(attrs.evolve(o, title=_h(1), description=text) for o in plan.objectives),
        actions=tuple(
            attrs.evolve(
                a,
                title=_h(0),
                description=_h(1),
                intended_results=_h(4),
                outputs=tuple(HOSTILE[:6]),
                long_term_change=_h(13),
                implementation_notes=_h(3),
                resources=tuple(attrs.evolve(r, description=_h(1), currency="<b>") for r in a.resources),
            )
            for a in plan.actions
        ),
        indicators=tuple(
            attrs.evolve(
                ind,
                name=_h(i),
                unit=_h(4),
                source=_h(7),
                target=Measurement(value=_h(0)),  # words where a number belongs
                actuals=(Measurement(value=_h(1)),),
            )
            for i, ind in enumerate(plan.indicators)
        ),
        stakeholders=tuple(attrs.evolve(s, name=_h(i + 8)) for i, s in enumerate(plan.stakeholders)),
        meetings=tuple(attrs.evolve(m, topic=_h(2)) for m in plan.meetings),
        risks=tuple(attrs.evolve(r, description=_h(0), mitigation=_h(1)) for r in plan.risks),
        testing_actions=tuple(
            attrs.evolve(t, challenge=_h(0), what_if=_h(1), hypothesis=_h(4), idea=_h(5), learnings=_h(15))
            for t in plan.testing_actions
        ),
        implementation=attrs.evolve(plan.implementation, governance=_h(0), monitoring=_h(1), communication=text),
    )


def hostile_report(plan: Plan) -> Report:
    findings = tuple(
        Finding(
            code=f"TD9{i:02d}",
            severity=("error", "warning", "info")[i % 3],
            message=f"about {msg}",
            subjects=(plan.actions[0].id,) if i % 2 else (plan.problems[0].id,),
            pointer="/actions/0",
        )
        for i, msg in enumerate(HOSTILE)
    )
    return Report(plan.id, "<script>alert(1)</script>.yaml", findings)


# ---------------------------------------------------------------------------
# Parsing the output


class Page(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


REMOTE = ("http:", "https:", "//", "ftp:", "javascript:", "data:text")


def assert_safe(html: str) -> Page:
    """No script, no event handlers, no remote or script URLs, a strict CSP."""
    page = parse(html)
    tags = [t for t, _ in page.tags]
    for forbidden in ("script", "iframe", "object", "embed", "img", "link", "base", "form", "meta-refresh"):
        assert forbidden not in tags, forbidden
    for tag, attributes in page.tags:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("src", "href", "xlink:href", "action", "formaction", "poster", "data", "srcset"):
                v = (value or "").strip().lower()
                assert not v.startswith(REMOTE), (tag, name, value)
                if name == "href":
                    assert v.startswith("#"), (tag, name, value)
    assert len(page.named("style")) == 1
    css = html[html.index("<style>") : html.index("</style>")].lower()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    metas = page.named("meta")
    csp = [m for m in metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(csp) == 1
    policy = csp[0]["content"] or ""
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy and "img-src data:" in policy
    assert any(m.get("name") == "viewport" for m in metas)
    # the CSP comes before anything that could load
    assert html.index("Content-Security-Policy") < html.index("<style")
    return page


# ---------------------------------------------------------------------------
# Every plan exports


def test_exporter_is_registered() -> None:
    e = find_exporter("html")
    assert (e.name, e.suffix, e.media_type, e.binary) == ("html", ".html", "text/html", False)
    assert e.description


@pytest.mark.parametrize("path", [None, *EXAMPLES], ids=["starter", *(p.stem for p in EXAMPLES)])
def test_export_starter_and_examples(path: Path | None) -> None:
    plan = starter() if path is None else techdiversity.load(path)
    html = export(plan, "html")
    assert isinstance(html, str)
    assert html.startswith("<!DOCTYPE html>")
    page = assert_safe(html)
    svgs = page.named("svg")
    assert any("logic" in (s.get("class") or "") for s in svgs)
    assert sum(1 for s in svgs if "chart" in (s.get("class") or "")) >= 1
    for section in ("context", "logic", "findings", "problems", "actions", "indicators", "stakeholders"):
        assert any(s.get("id") == section for s in page.named("section")), section
    for section in ("risks", "testing", "implementation", "scores"):
        assert any(s.get("id") == section for s in page.named("section")), section
    text = "".join(page.text)
    assert (plan.plan.city or plan.id) in text
    for action in plan.actions:
        assert action.id in text
    # one box per problem, objective, action and indicator (examples are small)
    boxes = [g for g in page.named("g") if (g.get("class") or "").startswith("n-")]
    assert len(boxes) == len(plan.problems) + len(plan.objectives) + len(plan.actions) + len(plan.indicators)
    # the report's findings are in the table, coloured by severity
    report = techdiversity.check(plan)
    for f in report:
        assert f.code in text
    assert len(page.named("tr")) >= len(plan.actions) + len(plan.indicators)


def test_cli_writes_the_html_file(tmp_path: Path) -> None:
    src = tmp_path / "plan.yaml"
    src.write_text(starter_plan(city="Testville"), "utf-8")
    out = tmp_path / "out.html"
    result = CliRunner().invoke(main, ["export", str(src), "--to", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert_safe(html)
    assert "Testville" in html


def test_example_with_errors_colours_its_boxes() -> None:
    path = ROOT / "examples" / "psahna.yaml"
    if not path.exists():
        pytest.skip("example not written yet")
    plan = techdiversity.load(path)
    report = techdiversity.check(plan)
    html = export(plan, "html", report=report, scorecards=[])
    page = parse(html)
    classes = [(g.get("class") or "") for g in page.named("g")]
    worst = worst_severities(report, PlanIndex(plan))
    for sev in ("error", "warning"):
        if sev in worst.values():
            assert f"n-{sev}" in classes
    assert "n-ok" in classes


# ---------------------------------------------------------------------------
# Hostile text


def test_hostile_text_is_escaped() -> None:
    plan = hostile_plan()
    html = export(plan, "html", report=hostile_report(plan))
    assert isinstance(html, str)
    page = assert_safe(html)
    assert "<script" not in html.lower()
    assert not any(t in ("img", "svg") and "onerror" in a for t, a in page.tags)
    # the words show as text
    text = "".join(page.text)
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(1)>' in text
    assert '=HYPERLINK("http://x")' in text
    for script in ("مدينة للجميع", "עיר לכולם", "Ψηφιακή πόλη", "Цифровой город", "数字城市与多样性", "| pipe |"):
        assert script in text
    # control characters are dropped, nothing else is
    assert "\x0b" not in html and "\x00" not in html and "\x1b" not in html
    assert "vertical\ntab and" in text and "andnul" in text
    # a user's entity text stays literal (double-escaped in the source)
    assert "&amp;lt;script&amp;gt;" in html
    # no hostile text inside an attribute of a tag the exporter did not write
    for tag, attributes in page.tags:
        for name in attributes:
            assert name in {
                "lang",
                "charset",
                "http-equiv",
                "content",
                "name",
                "class",
                "id",
                "href",
                "aria-label",
                "role",
                "dir",
                "style",
                "viewbox",
                "width",
                "height",
                "x",
                "y",
                "rx",
                "d",
                "text-anchor",
                "marker-end",
                "refx",
                "refy",
                "markerwidth",
                "markerheight",
                "orient",
                "colspan",
                "open",
                "aria-hidden",
                "title",  # escaped text: the full label of a shortened chip
                "dx",
            }, (tag, name)


def test_hostile_text_in_logic_labels_is_short_and_escaped() -> None:
    plan = hostile_plan()
    drawing = draw_logic(plan, PlanIndex(plan), {}, 40)
    for node in drawing.nodes:
        assert len(node.lines) <= 2
        for line in node.lines:
            assert sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in line) <= 31
    html = export(plan, "html", scorecards=[])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


COMPUTED_STYLE = (
    r"width:[\d.]+%|fill:#[0-9a-f]{6};stroke:none;opacity:1|margin-top:\d+px|min-width:\d+px;max-width:\d+px"
)


def test_style_attribute_values_are_computed_not_user_text() -> None:
    plan = hostile_plan()
    page = parse(export(plan, "html", report=hostile_report(plan), scorecards=[]))
    for _tag, attributes in page.tags:
        style = attributes.get("style")
        if style is not None:
            assert re.fullmatch(COMPUTED_STYLE, style), style


def test_lang_attribute_is_validated() -> None:
    plan = starter()
    bad = attrs.evolve(plan, plan=attrs.evolve(plan.plan, language='en" onload="x'))
    html = export(bad, "html", scorecards=[])
    assert '<html lang="en">' in html
    greek = attrs.evolve(plan, plan=attrs.evolve(plan.plan, language="el"))
    assert '<html lang="el">' in export(greek, "html", scorecards=[])


def test_clean_and_wrap() -> None:
    assert clean(None) == ""
    assert clean("a\x0bb\x00c\r\nd\u2028e") == "a\nbc\nd\ne"
    assert clean("\ud800x") == "x"
    lines = wrap("Supercalifragilistic" * 10, 20, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= 20 for line in lines)
    assert wrap("short text", 30, 2) == ["short text"]
    assert wrap("数字城市与多样性数字城市与多样性", 10, 1)[0].endswith("…")
    assert wrap("", 10, 2) == []


# ---------------------------------------------------------------------------
# Progress against milestones and targets


def m(value: Any, date: str | None = None) -> Measurement:
    return Measurement(value=value, date=techdiversity.PartialDate.parse(date) if date else None)


def test_progress_maths() -> None:
    assert progress(m(100), m(150), m(300)).percent == pytest.approx(25.0)
    assert progress(m(100), m(150), m(300)).label == "25%"
    # a falling target: from 20% down to 10%
    assert progress(m(20), m(15), m(10)).percent == pytest.approx(50.0)
    # beyond the target and below the baseline: the number is kept, the bar is clamped
    over = progress(m(0), m(300), m(100))
    assert over.percent == pytest.approx(300.0) and over.bar == 100.0 and over.level == "done"
    under = progress(m(100), m(50), m(200))
    assert under.percent == pytest.approx(-50.0) and under.bar == 0.0 and under.level == "none"
    huge = progress(m(0), m(1e12), m(1))
    assert huge.label == ">999%"


@pytest.mark.parametrize(
    ("baseline", "actual", "goal", "note"),
    [
        (m(5), m(5), m(5), "reached (target equals baseline)"),
        (m(5), m(4), m(5), "target equals baseline"),
        (m("none"), m(4), m(10), "not a number"),
        (m(0), m("more"), m(10), "not a number"),
        (m(0), m(4), m("more women"), "not a number"),
        (m(0), m(float("inf")), m(10), "not a number"),
        (m(0), m(float("nan")), m(10), "not a number"),
        (m(True), m(4), m(10), "not a number"),
        (None, m(4), m(10), "no baseline"),
        (m(None), m(4), m(10), "no baseline"),
        (m(0), None, m(10), "no actual yet"),
        (m(0), m(4), None, "no target"),
    ],
)
def test_progress_never_crashes(baseline: Any, actual: Any, goal: Any, note: str) -> None:
    p = progress(baseline, actual, goal)
    assert p.percent is None and p.note == note and p.label == note and p.bar == 0.0


def test_latest_actual_is_by_date() -> None:
    ind = Indicator(id="I1", actuals=(m(3, "2026"), m(1, "2025-09"), m(2), m(4, "2026-Q1")))
    latest = latest_actual(ind)
    assert latest is not None and latest.value == 3
    assert latest_actual(Indicator(id="I2")) is None


def test_progress_is_shown_in_the_report() -> None:
    plan = starter()
    i1 = plan.indicators[0]  # baseline 0 (2024), milestone 100 (2026), target 200 (2029)
    i2 = attrs.evolve(plan.indicators[1], target=m(15, "2030"))  # target equals baseline 15
    plan = attrs.evolve(
        plan,
        indicators=(
            attrs.evolve(i1, actuals=(m(40, "2025"), m(150, "2026-06"))),
            attrs.evolve(i2, actuals=(m(16, "2025"),)),
        ),
    )
    page = parse(export(plan, "html", scorecards=[]))
    text = " ".join(page.text)
    assert "75%" in text  # 150 of 200 towards the target
    assert "150%" in text  # 150 against the milestone of 100
    assert "the target equals the baseline" in text  # as techdiversity monitor says it
    widths = [a.get("style") for t, a in page.tags if t == "span" and "fill" in (a.get("class") or "")]
    assert "width:75.0%" in widths and "width:100.0%" in widths


def test_fmt_value() -> None:
    assert fmt_value(15000) == "15,000"
    assert fmt_value(0.5) == "0.5"
    assert fmt_value("more women") == "more women"
    assert fmt_value(None) == ""
    assert fmt_value(float("inf")) == "inf"


# ---------------------------------------------------------------------------
# Large plans


def big_plan(n: int) -> Plan:
    plan = starter()
    a0, i0 = plan.actions[0], plan.indicators[0]
    actions = tuple(attrs.evolve(a0, id=f"A{i}", title=f"Action {i}") for i in range(n))
    indicators = tuple(attrs.evolve(i0, id=f"I{i}", measures=(f"A{i}",)) for i in range(n))
    return attrs.evolve(plan, actions=actions, indicators=indicators)


def test_large_plan_drawing_is_capped() -> None:
    plan = big_plan(3000)
    html = export(plan, "html", scorecards=[], report=Report(plan.id, None))
    assert isinstance(html, str)
    page = parse(html)
    boxes = [g for g in page.named("g") if (g.get("class") or "").startswith("n-")]
    assert len(boxes) == len(plan.problems) + len(plan.objectives) + 40 + 40
    assert "+2960 more" in html
    assert html.count("<tr") >= 6000  # the tables list everything


def test_large_plan_option_changes_the_cap() -> None:
    plan = big_plan(100)
    html = export(plan, "html", scorecards=[], options={"max-nodes": "10"})
    assert "+90 more" in html
    assert export(plan, "html", scorecards=[], options={"max_nodes": "10"}) == html  # either spelling
    assert export(plan, "html", scorecards=[]).count("+60 more") == 2  # the default, 40
    for bad in ("many", "0", "", "4.5"):  # refused, never silently replaced by the default
        with pytest.raises(ExportOptionError, match=r"max-nodes.*a whole number of at least 1"):
            export(plan, "html", scorecards=[], options={"max-nodes": bad})


def test_export_context_is_used_once() -> None:
    plan = starter()
    ctx = ExportContext(plan)
    html = find_exporter("html").function(ctx)
    assert isinstance(html, str) and "Testville" in html


# ---------------------------------------------------------------------------
# A real browser


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


def run_chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = chromium()
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def read_png(path: Path, rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first ``rows`` decoded scanlines (RGB or RGBA, 8 bits) of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n : pos + 12 + n])[0]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    assert len(raw) == height * (stride + 1), "pixel data does not match the size"
    out: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(rows, height)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i] for i in range(len(r)) if i % bpp != 3) if bpp == 4 else r for r in out]


def assert_not_blank(rows: list[bytes]) -> None:
    lum = [sum(r[i : i + 3]) // 3 for r in rows[::4] for i in range(0, len(r), 12)]
    mean = sum(lum) / len(lum)
    variance = sum((v - mean) ** 2 for v in lum) / len(lum)
    colours = {r[i : i + 3] for r in rows[::4] for i in range(0, len(r), 12)}
    assert variance > 100, variance
    assert len(colours) > 20, len(colours)


def example_path() -> Path:
    path = ROOT / "examples" / "bielsko-biala.yaml"
    return path if path.exists() else EXAMPLES[0]


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    plan = techdiversity.load(example_path()) if EXAMPLES else starter()
    page = tmp_path / "report.html"
    html = export(plan, "html")
    assert isinstance(html, str)
    page.write_text(html, "utf-8")
    return page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_browser_screenshot(tmp_path: Path, browser: Browser, report_file: Path, width: int) -> None:
    """The whole report at a desktop's and at a phone's width (a real 390-pixel viewport)."""
    tab = browser.open(report_file, width)
    shot = tab.screenshot(tmp_path / f"report-{width}.png")
    assert shot.stat().st_size > 20_000
    w, h, rows = read_png(shot, 360)
    assert w == width and h > 2000
    assert_not_blank(rows)
    if os.environ.get("TECHDIVERSITY_DOCS_IMG") == "1":
        (ROOT / "docs" / "img").mkdir(exist_ok=True)
        name = "html-report.png" if width > 600 else f"html-report-{width}.png"
        tab.screenshot(ROOT / "docs" / "img" / name, 1600 if width > 600 else 3200)
    print(f"screenshot: {shot}")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_browser_layout_keeps_to_the_viewport(tmp_path: Path, browser: Browser, path: Path, width: int) -> None:
    """Nothing past the viewport, nothing clipped or overlapping, nothing loaded; what scrolls says so."""
    page = tmp_path / "report.html"
    html = export(techdiversity.load(path), "html")
    assert isinstance(html, str)
    page.write_text(html, "utf-8")
    tab = browser.open(page, width)
    found = tab.probe()
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= width, found["overflow"][:10]
    assert found["overflow"] == [] and found["clipped"] == [] and found["overlaps"] == []
    assert found["urls"] == []
    assert all(s["hinted"] for s in found["scrollers"]), found["scrollers"]
    if width > 600:
        assert [s for s in found["scrollers"] if "table" in s["what"].lower()[:40]] == []
    assert tab.requests() == [page.resolve().as_uri()]


def test_browser_hostile_report_keeps_to_a_phone(tmp_path: Path, browser: Browser) -> None:
    plan = hostile_plan()
    page = tmp_path / "hostile.html"
    html = export(plan, "html", report=hostile_report(plan))
    assert isinstance(html, str)
    page.write_text(html, "utf-8")
    tab = browser.open(page, 390)
    found = tab.probe()
    assert found["scrollWidth"] <= 390 and found["overflow"] == [], found["overflow"][:10]
    assert found["urls"] == []
    assert tab.requests() == [page.resolve().as_uri()]
    assert tab.evaluate("document.scripts.length") == 0


def test_browser_print_shows_every_label_in_full(tmp_path: Path, browser: Browser, report_file: Path) -> None:
    tab = browser.open(report_file, 700, mobile=False)
    tab.media("print")
    found = tab.probe()
    assert found["overflow"] == [] and found["clipped"] == []
    assert tab.evaluate("getComputedStyle(document.querySelector('.fulllabels')).display") == "block"
    shown = tab.evaluate("document.querySelector('.fulllabels').textContent")
    plan = techdiversity.load(example_path())
    cut = [n for n in draw_logic(plan, PlanIndex(plan), {}, 40).nodes if n.cut]
    assert cut and all(n.label in " ".join(shown.split()) for n in cut)
    pdf = tab.pdf()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3


def test_browser_dom(tmp_path: Path, report_file: Path) -> None:
    result = run_chromium(tmp_path, report_file, "--dump-dom", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    page = parse(result.stdout)
    tags = [t for t, _ in page.tags]
    assert "svg" in tags and "table" in tags
    assert any("logic" in (a.get("class") or "") for a in page.named("svg"))
    assert sum(1 for g in page.named("g") if (g.get("class") or "").startswith("n-")) >= 4
    assert tags.count("table") >= 5
    assert "rect" in tags and "path" in tags
    assert "script" not in tags


def test_browser_hostile_page_runs_nothing(tmp_path: Path) -> None:
    plan = hostile_plan()
    page_file = tmp_path / "hostile.html"
    html = export(plan, "html", report=hostile_report(plan))
    assert isinstance(html, str)
    page_file.write_text(html, "utf-8")
    result = run_chromium(tmp_path, page_file, "--dump-dom", "--window-size=390,1600")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = parse(result.stdout)
    tags = [t for t, _ in dom.tags]
    assert "script" not in tags and "img" not in tags
    for _tag, attributes in dom.tags:
        assert not any(name.startswith("on") for name in attributes)
    assert "<script>alert(1)</script>" in "".join(dom.text)
    shot = tmp_path / "hostile.png"
    run_chromium(tmp_path, page_file, f"--screenshot={shot}", "--window-size=390,1600")
    w, h, rows = read_png(shot, 200)
    assert (w, h) == (390, 1600)
    assert_not_blank(rows)


def test_minimal_plan_exports() -> None:
    plan = techdiversity.loads("format: 1\nplan: {id: x}\n")
    html = export(plan, "html")
    assert isinstance(html, str)
    page = assert_safe(html)
    assert any("logic" in (s.get("class") or "") for s in page.named("svg"))
    assert "none yet" in html and "No actions yet." in html


def test_people_scores_and_evidence_are_shown() -> None:
    from techdiversity.model import Assessment, CriterionScore

    plan = starter()
    assessment = Assessment(
        plan=plan.id,
        rubric="urbact-iap",
        assessor="peer <b>Larnaka</b>",
        scores=(CriterionScore("consultation-meetings", 3, "Four ULG meetings <script>alert(1)</script>"),),
    )
    card = techdiversity.score(plan, "urbact-iap", [assessment])
    html = export(plan, "html", scorecards=[card])
    assert isinstance(html, str)
    page = assert_safe(html)
    text = "".join(page.text)
    assert "peer <b>Larnaka</b>: 3" in text
    assert "Four ULG meetings <script>alert(1)</script>" in text
    assert "People's scores from: peer <b>Larnaka</b>" in text
    charts = [s for s in page.named("svg") if "chart" in (s.get("class") or "")]
    assert len(charts) == 1
    md_text = export(plan, "markdown", scorecards=[card])
    assert isinstance(md_text, str) and "peer \\<b\\>Larnaka\\</b\\>: 3" in md_text


# ---------------------------------------------------------------------------
# The single-plan report's drawings and evidence, in words


def test_logic_keeps_the_plans_order_and_draws_no_line_behind_the_actions() -> None:
    plan = techdiversity.load(example_path())
    index = PlanIndex(plan)
    drawing = draw_logic(plan, index, {}, 40)
    by_kind: dict[str, list[str]] = {}
    for node in drawing.nodes:
        by_kind.setdefault(node.kind, []).append(node.id)
    assert by_kind["action"] == [a.id for a in plan.actions]
    assert by_kind["indicator"] == [i.id for i in plan.indicators]
    column = {n.id: n.column for n in drawing.nodes}
    assert all(abs(column[e.source] - column[e.target]) == 1 for e in drawing.edges)
    assert not [e for e in drawing.edges if e.rel == "causes"]  # the Problem Tree draws those
    for ind in plan.indicators:
        objectives = [m for m in ind.measures if index.kind_of.get(m) == "objective"]
        node = next(n for n in drawing.nodes if n.id == ind.id)
        assert node.note == ("measures " + " ".join(objectives) if objectives else "")
    core = [n for n in drawing.nodes if n.core]
    assert [n.id for n in core] == [p.id for p in plan.problems if p.core]


def test_problem_tree_reads_as_a_tree() -> None:
    from techdiversity.exporters.html import draw_problem_tree

    text = """format: 1
plan: {id: t}
problems:
  - {id: E2, statement: Firms move away, causes: [E1]}
  - {id: E1, statement: Firms lack staff, causes: [C]}
  - {id: C, statement: Few women in IT, core: true, causes: [R1, R2]}
  - {id: R1, statement: Stereotypes at school}
  - {id: R2, statement: No role models, causes: [R3]}
  - {id: R3, statement: Women leave mid-career}
  - {id: U, statement: Not linked to anything}
  - {id: L1, statement: Loop one, causes: [L2]}
  - {id: L2, statement: Loop two, causes: [L1]}
"""
    plan = techdiversity.loads(text)
    tree = draw_problem_tree(plan, {})
    level = {b.id: b.level for b in tree.boxes}
    assert level == {"E2": 2, "E1": 1, "C": 0, "R1": -1, "R2": -1, "R3": -2, "U": -99, "L1": -99, "L2": -99}
    y = {b.id: b.y for b in tree.boxes}
    assert y["E2"] < y["E1"] < y["C"] < y["R1"] == y["R2"] < y["R3"] < y["U"]  # effects above, causes below
    assert [w for w, _ in tree.rows] == [
        "Further effects",
        "Effects",
        "Core problem",
        "Causes",
        "Root causes",
        "Not linked to the core problem",
    ]
    assert tree.unlinked == 3
    assert {(e.source, e.target) for e in tree.edges} == {
        ("E1", "E2"),
        ("C", "E1"),
        ("R1", "C"),
        ("R2", "C"),
        ("R3", "R2"),
    }
    # the whole statement is shown, never cut short for a plan's usual sentences
    long = techdiversity.loads(
        text.replace(
            "Few women in IT",
            '"Few women and girls choose IT education and careers, and even fewer reach IT leadership"',
        )
    )
    core = next(b for b in draw_problem_tree(long, {}).boxes if b.core)
    assert " ".join(core.lines) == core.label and not core.lines[-1].endswith("…")


def test_evidence_chips_are_what_a_person_recognises() -> None:
    from techdiversity.exporters.html import evidence_chips

    plan = techdiversity.load(example_path())
    index = PlanIndex(plan)
    elements = (
        [f"meetings[{n}]" for n in range(len(plan.meetings))]
        + ["S1", "S2", "S3", "S5", "A2", "A1", "A1", "context.related_strategies[0]", "integration.aspects[0]"]
        + ["integration.types.horizontal", "integration.types.horizontal.situation", "context.current_situation"]
        + ["funding: esf-plus", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10"]
    )
    chips = evidence_chips(plan, index, elements)
    texts = [c.text for c in chips]
    assert not [t for t in texts if "[" in t or t.startswith(("meetings", "context.", "integration."))]
    first = plan.meetings[0]
    assert any(t.startswith(f"{first.date} ULG: ") for t in texts)
    assert f"+{len(plan.meetings) - 3} more meetings" in texts
    assert "S1–S3" in texts and "S5" in texts  # a run of three folded, the rest as they are
    assert "A1" in texts and "A2" in texts and texts.count("A1") == 1  # repeated ids folded
    assert "I1–I10" in texts and f"all {len(plan.indicators)} indicators" in texts
    assert plan.context is not None
    assert f"strategy: {plan.context.related_strategies[0].title}"[:40] in " ".join(texts)
    assert "self-assessment: horizontal (situation)" in texts
    assert "context: current situation" in texts and "funding: esf-plus" in texts
    html = export(plan, "html")
    assert isinstance(html, str)
    assert "meetings[0]" not in html and "integration.aspects[" not in html and "context.related_strategies" not in html


def test_indicator_status_is_shown() -> None:
    plan = starter()
    i1 = attrs.evolve(plan.indicators[0], actuals=(m(40, "2025"),))
    plan = attrs.evolve(plan, indicators=(i1, plan.indicators[1]))
    page = parse(export(plan, "html", scorecards=[]))
    badges = [a.get("class") for t, a in page.tags if t == "span" and "mon-" in (a.get("class") or "")]
    from techdiversity.monitoring import track

    assert badges == [f"badge mon-{track(i).status}" for i in plan.indicators]
    words = " ".join(page.text)
    assert track(i1).status.replace("-", " ") in words and "no data" in words
