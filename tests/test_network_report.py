"""The network report: one self-contained page over the cities of a network, looked at in Chromium.

The browser tests take screenshots of the eight examples' report at 1280 and 390
pixels wide (kept in the test's temporary folder; with ``TECHDIVERSITY_DOCS_IMG=1``
they are also copied to ``docs/img/`` for the documentation) and probe the laid-out
page: nothing wider than a phone's viewport outside the boxes that scroll sideways
(each with a visible hint), no text clipped, nothing loaded, no remote URL.
"""

from __future__ import annotations

import html as htmllib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import techdiversity as td
from techdiversity.cli import main
from techdiversity.model import Assessment, AssessmentFile, CriterionScore, Measurement, Plan
from techdiversity.network import Network, collect_assessments
from techdiversity.network.common import rubrics_named
from techdiversity.network.report import report_data

try:  # tests/ as a package, or tests/ on sys.path
    from .browser import Browser
    from .test_export_html import HOSTILE, assert_not_blank, assert_safe, parse, read_png
except ImportError:
    from browser import Browser  # type: ignore[no-redef]
    from test_export_html import HOSTILE, assert_not_blank, assert_safe, parse, read_png  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DOCS_IMG = ROOT / "docs" / "img"


@pytest.fixture(scope="module")
def network() -> Network:
    return Network.load(EXAMPLES)


def _assessment(plan: str, assessor: str, scores: dict[str, int], rubric: str = "urbact-iap") -> AssessmentFile:
    return AssessmentFile(
        assessment=Assessment(
            plan=plan,
            rubric=rubric,
            assessor=assessor,
            scores=tuple(CriterionScore(c, s, f"{assessor} read the plan") for c, s in scores.items()),
        ),
    )


@pytest.fixture(scope="module")
def reviews(network: Network) -> list[AssessmentFile]:
    """The example's peer review of Trikala, and two reviewers of Bielsko-Biała who disagree."""
    shipped = [a for items in collect_assessments(EXAMPLES / "assessments").values() for a in items]
    return [
        *shipped,
        _assessment("bielsko-biala-iap", "peer-review-idrija", {"consultation-meetings": 5, "option-analysis": 2}),
        _assessment("bielsko-biala-iap", "peer-review-larnaka", {"consultation-meetings": 4, "option-analysis": 5}),
    ]


@pytest.fixture(scope="module")
def page(network: Network, reviews: list[AssessmentFile]) -> str:
    return network.report_html(assessments=reviews)


# ---------------------------------------------------------------------------
# What the page says


def test_page_is_self_contained_and_safe(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert_safe(page)


def test_every_label_is_in_words(page: str, network: Network) -> None:
    doc = parse(page)
    text = " ".join(" ".join(doc.text).split())
    for city in network.cities:
        assert city in text
    # criterion titles, with their ids beside them; rubric and section titles
    (rubric,) = rubrics_named(["urbact-iap"])
    for criterion in rubric.criteria():
        assert criterion.title in text and criterion.id in text
    for heading in (
        "URBACT Integrated Action Plan assessment grid",
        "1 Process of action plan",
        "4 Implementation framework",
    ):
        assert heading in text
    # no internal column keys
    for key in (
        "findings.error",
        "urbact-iap.1",
        "urbact-iap.total",
        "target_groups.served",
        "budget.total",
        "meetings[0]",
    ):
        assert key not in page, key
    for words in ("young people", "on track", "no data", "not measurable", "can learn from"):
        assert words in text, words


def test_city_cards(network: Network) -> None:
    page = network.report_html()  # automatic scores only: the records' totals
    records = network.records()
    for record in records:
        total = record["urbact-iap.total"]
        assert f"{total} / {record['urbact-iap.max']}" in page
    assert page.count('class="card"') == len(network)


def test_heat_maps_mark_assessors_apart(page: str, network: Network) -> None:
    data = report_data(network, assessments=collect_assessments(EXAMPLES / "assessments"))
    heat = {h["rubric"].name: h for h in data["heat"]}
    assert set(heat) == {r.name for r in rubrics_named(None)}
    iap = heat["urbact-iap"]
    cells = [c for s in iap["sections"] for r in s["rows"] for c in r["cells"]]
    assert len(cells) == len(list(rubrics_named(["urbact-iap"])[0].criteria())) * len(network)
    # the shipped review of Trikala scored two criteria; nobody is apart
    assert iap["people"] == 2 and iap["disputed"] == 0
    # two reviewers of Bielsko-Biała three points apart on the option analysis: marked
    doc = parse(page)
    disputed = [a for t, a in doc.tags if t == "td" and "disputed" in (a.get("class") or "").split()]
    assert len(disputed) == 1
    assert disputed[0]["title"] == (
        "Bielsko-Biała: score 3.5; peer-review-idrija 2; peer-review-larnaka 5; assessors 3 points apart"
    )
    assert "apart 3" in page


def test_groups_themes_review_and_agreement(page: str, network: Network) -> None:
    data = report_data(network)
    groups = {g["group"]: g for g in data["groups"]}
    assert groups["women"]["cities"] == 8
    assert [c for c in groups["migrants"]["cells"] if c in ("both", "served")]
    themes = data["themes"][0]["rows"]
    assert themes and all(r["cities"] >= 2 for r in themes)
    assert sum(1 for ids in themes[0]["cells"] if ids) == themes[0]["cities"]
    review = data["review"]
    assert len(review["ring"]) == 8 and len(review["arrows"]) == 16
    # every city reviews two plans and is reviewed twice; never itself
    assert all(r["reviewer"].name != r["reviewed"].name for r in review["reviews"])
    # the ring is drawn in the reviewers' order: each plan's reviewers follow it on the ring
    numbers = {c.name: c.number for c in review["ring"]}
    for r in review["reviews"]:
        step = (numbers[r["reviewer"].name] - numbers[r["reviewed"].name]) % 8
        assert step in (1, 2)
    assert any(r["shared"] for r in review["reviews"])
    doc = parse(page)
    assert sum(1 for t, a in doc.tags if t == "circle") == 8
    assert sum(1 for t, a in doc.tags if t == "path" and a.get("marker-end")) == 16
    # agreement: the two reviewers of Bielsko-Biała are flagged on the option analysis
    text = " ".join(doc.text)
    assert "assessors differ by 3 points" in text


def test_monitoring_across_cities_and_periods(network: Network) -> None:
    plans = list(network)
    # Trikala has actuals in 2025: by default the years up to 2025
    data = report_data(plans)["monitoring"]
    assert data["periods"][-1] == "as of 2025"
    trikala = next(r for r in data["rows"] if r["city"] == "Trikala")
    last = {p["status"]: p["n"] for p in trikala["cells"][-1]["parts"]}
    assert sum(last.values()) == len(network.plan("Trikala").indicators)
    assert last.get("on-track", 0) + last.get("behind", 0) + last.get("achieved", 0) >= 1
    # an as-of date: the years before it, and the date itself
    data = report_data(plans, as_of=td.PartialDate.parse("2027-Q2"))["monitoring"]
    assert data["periods"] == ["as of 2024", "as of 2025", "as of 2026", "as of 2027-Q2"]
    # no actual anywhere and no date: each indicator on its latest actual, all without data
    bare = [attrs.evolve(p, indicators=tuple(attrs.evolve(i, actuals=()) for i in p.indicators)) for p in plans]
    data = report_data(bare)["monitoring"]
    assert data["periods"] == ["latest actual of each indicator"]
    statuses = {p["status"] for r in data["rows"] for c in r["cells"] for p in c["parts"]}
    assert statuses <= {"no-data", "not-measurable"}


def test_unreadable_files_are_listed(tmp_path: Path) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml"))[:2]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.yaml").write_text("format: 1\nplan:\n  id: broken\n  city: [unclosed\n", "utf-8")
    result = CliRunner().invoke(main, ["compare", str(tmp_path), "--format", "html"])
    assert result.exit_code == 2
    assert "broken.yaml" in result.stderr
    doc = parse(result.stdout)
    assert "Files that could not be read" in doc.text
    assert "1 file could not be read" in " ".join(doc.text)


def test_command_reads_the_assessments_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["compare", str(EXAMPLES), "--format", "html"])
    assert result.exit_code == 0, result.stderr
    assert "people 3" in result.stdout  # the shipped peer review of Trikala
    result = runner.invoke(main, ["compare", str(EXAMPLES), "--format", "html", "--assessment", str(tmp_path)])
    assert "people 3" not in result.stdout  # an explicit (empty) folder replaces it
    bad = runner.invoke(main, ["compare", str(EXAMPLES), "--format", "html", "--as-of", "soon"])
    assert bad.exit_code == 2 and "--as-of" in bad.stderr


def _hostile_network() -> list[Plan]:
    plans = []
    for n, path in enumerate(sorted(EXAMPLES.glob("*.yaml"))[:4]):
        plan = td.load(path)
        city = HOSTILE[n * 4 % len(HOSTILE)] + "\u202e\u2066 tnemmoc \x1b[31m" + HOSTILE[(n * 4 + 1) % len(HOSTILE)]
        plans.append(
            attrs.evolve(
                plan,
                plan=attrs.evolve(plan.plan, city=city, network="<b>Net</b>\u202e"),
                problems=tuple(
                    attrs.evolve(p, statement=HOSTILE[(n + i) % len(HOSTILE)]) for i, p in enumerate(plan.problems)
                ),
                indicators=tuple(attrs.evolve(i, actuals=(Measurement("<script>", None),)) for i in plan.indicators),
            )
        )
    return plans


def test_hostile_plan_text_is_escaped() -> None:
    assessments = [_assessment("amarante-iap", '<img src=x onerror="alert(1)">\u202e', {"option-analysis": 1})]
    html = Network(_hostile_network()).report_html(assessments=assessments)
    doc = assert_safe(html)
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>Net" not in html
    assert "&lt;b&gt;Net&lt;/b&gt;" in html
    for bad in ("\u202e", "\u2066", "\x1b", "\x00", "\x0b"):
        assert bad not in html
    text = "".join(doc.text)
    assert "<script>alert(1)</script>" in text
    assert '<img src=x onerror="alert(1)">' in htmllib.unescape(html)


# ---------------------------------------------------------------------------
# In a real browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


def _write(tmp_path: Path, html: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(html, "utf-8")
    return path


def _keep_for_docs(shot: Path, name: str) -> None:
    if os.environ.get("TECHDIVERSITY_DOCS_IMG") == "1":
        DOCS_IMG.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS_IMG / name)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_screenshots_of_the_eight_examples(tmp_path: Path, browser: Browser, page: str, width: int) -> None:
    """The whole page, and its top for the docs; both kept in the test's folder to look at."""
    tab = browser.open(_write(tmp_path, page, "network.html"), width)
    whole = tab.screenshot(tmp_path / f"network-{width}-whole.png")
    top = tab.screenshot(tmp_path / f"network-{width}.png", 2400 if width > 600 else 3200)
    for shot in (whole, top):
        w, h, rows = read_png(shot, 600)
        assert w == width and h >= 2400
        assert_not_blank(rows)
    _keep_for_docs(top, f"network-report-{width}.png")
    print(f"screenshots: {whole} {top}")


def _assert_fits(found: dict[str, Any], width: int) -> None:
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= width, found["overflow"][:10]
    assert found["overflow"] == []
    assert found["clipped"] == []
    assert found["overlaps"] == []
    assert found["urls"] == []


def test_phone_layout_keeps_to_the_viewport(tmp_path: Path, browser: Browser, page: str) -> None:
    tab = browser.open(_write(tmp_path, page, "network.html"), 390)
    found = tab.probe()
    _assert_fits(found, 390)
    # the wide tables scroll inside their section, and say so
    assert found["scrollers"], "the heat maps are wider than a phone"
    assert all(s["hinted"] for s in found["scrollers"] if "matrix" in s["what"]), found["scrollers"]
    assert tab.requests() == [(tmp_path / "network.html").resolve().as_uri()]


def test_desktop_layout_has_nothing_to_scroll(tmp_path: Path, browser: Browser, page: str) -> None:
    tab = browser.open(_write(tmp_path, page, "network.html"), 1280)
    found = tab.probe()
    _assert_fits(found, 1280)
    assert [s for s in found["scrollers"] if "heat" in s["what"]] == []  # eight cities fit a desktop


def test_hostile_page_keeps_to_the_viewport(tmp_path: Path, browser: Browser) -> None:
    html = Network(_hostile_network()).report_html()
    tab = browser.open(_write(tmp_path, html, "hostile.html"), 390)
    found = tab.probe()
    assert found["scrollWidth"] <= 390 and found["overflow"] == [], found["overflow"][:10]
    assert found["urls"] == []
    assert tab.requests() == [(tmp_path / "hostile.html").resolve().as_uri()]
    assert tab.evaluate("document.scripts.length") == 0


def test_prints(tmp_path: Path, browser: Browser, page: str) -> None:
    tab = browser.open(_write(tmp_path, page, "network.html"), 1280)
    pdf = tab.pdf()
    (tmp_path / "network.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 4
    # laid out for print at the width of an A4 page less its margins: nothing runs off it, no hint shows
    tab = browser.open(tmp_path / "network.html", 700, mobile=False)
    tab.media("print")
    found = tab.probe()
    assert found["overflow"] == [] and found["clipped"] == []
    assert found["scrollers"] == [], found["scrollers"]
    assert tab.evaluate("getComputedStyle(document.querySelector('.hint')).display") == "none"
