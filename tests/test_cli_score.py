"""techdiversity score, rubrics and plugins on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from techdiversity.cli import main

runner = CliRunner()

ASSESSMENT = """format: 1
assessment:
  plan: testville-iap
  rubric: urbact-iap
  assessor: peer-review-{who}
  date: 2025-10-02
  scores:
    - {{criterion: consultation-meetings, score: {score}, evidence: Four ULG meetings in 2024}}
    - {{criterion: option-analysis, score: 3, evidence: Two options named in the annex}}
"""


def _assessment(tmp_path: Path, who: str, score: int) -> Path:
    path = tmp_path / f"{who}.yaml"
    path.write_text(ASSESSMENT.format(who=who, score=score), "utf-8")
    return path


def test_score_json_shape(starter_file: Path) -> None:
    result = runner.invoke(main, ["score", "--format", "json", str(starter_file)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["plan"] == "testville-iap"
    assert doc["rubric"] == {"name": "urbact-iap", "title": doc["rubric"]["title"], "version": "1.0"}
    assert [s["id"] for s in doc["sections"]] == ["1", "2", "3", "4"]
    for section in doc["sections"]:
        assert {"id", "title", "score", "max", "criteria"} <= set(section)
        for c in section["criteria"]:
            assert {"id", "title", "score", "max", "source", "evidence", "levels"} <= set(c)
            assert set(c["levels"]) == {"1", "2", "3", "4", "5"}
    assert doc["total"] == sum(s["score"] for s in doc["sections"])
    assert doc["max"] == sum(s["max"] for s in doc["sections"])


def test_score_with_two_assessors_side_by_side(starter_file: Path, tmp_path: Path) -> None:
    a = _assessment(tmp_path, "larnaka", 3)
    b = _assessment(tmp_path, "idrija", 4)
    result = runner.invoke(
        main, ["score", "--format", "json", str(starter_file), "--assessment", str(a), "--assessment", str(b)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["assessors"] == ["peer-review-larnaka", "peer-review-idrija"]
    crit = {c["id"]: c for s in doc["sections"] for c in s["criteria"]}
    cm = crit["consultation-meetings"]
    assert cm["source"] == "assessment" and cm["score"] == 3.5
    assert cm["automatic"]["score"] == 3  # one meeting: "a small number of meetings"
    assert [p["score"] for p in cm["assessments"]] == [3, 4]
    assert crit["option-analysis"]["automatic"]["score"] is None and crit["option-analysis"]["score"] == 3
    text = runner.invoke(main, ["score", str(starter_file), "--assessment", str(a), "--assessment", str(b)])
    assert "peer-review-larnaka" in text.stdout and "peer-review-idrija" in text.stdout


def test_score_bad_assessment_exit_2(starter_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        ASSESSMENT.format(who="x", score=3).replace("consultation-meetings", "consultation-meeting"), "utf-8"
    )
    result = runner.invoke(main, ["score", str(starter_file), "--assessment", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:8:19: assessment.scores[0].criterion:" in result.stderr
    assert "did you mean 'consultation-meetings'?" in result.stderr
    other = tmp_path / "other.yaml"
    other.write_text(ASSESSMENT.format(who="x", score=3).replace("testville-iap", "idrija-iap"), "utf-8")
    result = runner.invoke(main, ["score", str(starter_file), "--assessment", str(other)])
    assert result.exit_code == 2 and "is for plan 'idrija-iap'" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(ASSESSMENT.format(who="x", score=7), "utf-8")
    result = runner.invoke(main, ["score", str(starter_file), "--assessment", str(broken)])
    assert result.exit_code == 2 and "a score from 1 to 5 is expected, got 7" in result.stderr
    assert "Traceback" not in result.output


def test_score_unknown_rubric(starter_file: Path) -> None:
    result = runner.invoke(main, ["score", str(starter_file), "--rubric", "nope"])
    assert result.exit_code == 2 and "no rubric named nope" in result.stderr


def test_score_markdown_and_all_rubrics(starter_file: Path) -> None:
    result = runner.invoke(main, ["score", "--format", "markdown", "--all-rubrics", str(starter_file)])
    assert result.exit_code == 0
    assert "## URBACT Integrated Action Plan assessment grid" in result.stdout
    assert "| Criterion | Wording | Automatic | Score |" in result.stdout
    assert "### 1 Process of action plan: " in result.stdout  # sections are headings
    assert result.stdout.count("\\[completion\\] marks") == 5  # the legend, once per scorecard


def test_text_and_markdown_scorecards_show_assessors_beside_the_automatic_score(
    starter_file: Path, tmp_path: Path
) -> None:
    a = _assessment(tmp_path, "larnaka", 3)
    b = _assessment(tmp_path, "idrija", 4)
    for fmt in ("text", "markdown"):
        result = runner.invoke(
            main, ["score", "--format", fmt, str(starter_file), "--assessment", str(a), "--assessment", str(b)]
        )
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert "Four ULG meetings in 2024" in out and "Two options named in the annex" in out  # comments
        assert "peer-review-larnaka (3)" in out and "peer-review-idrija (4)" in out
        assert "scores 4, the automatic score is 3" in out  # where they disagree
        assert "[completion]" in out.replace("\\", "") and "[seed]" in out.replace("\\", "")
        assert "[completion] marks this" in " ".join(out.replace("\\", "").split())  # explained
        if fmt == "text":
            assert all(len(line) <= 100 for line in out.splitlines()), max(out.splitlines(), key=len)
            assert "score 3.5 (assessors' mean) · auto 3 · peer-review-larnaka 3 · peer-review-idrija 4" in out
            assert "\n1 Process of action plan: " in out  # a heading, not a column


def test_scorecards_cite_findings_with_their_line(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = runner.invoke(main, ["score", str(examples / "psahna.yaml")])
    assert result.exit_code == 0, result.output
    assert "TD104 at line 104: no action contributes to objective SO3 (warning)" in result.stdout
    assert all(len(line) <= 100 for line in result.stdout.splitlines())
    doc = json.loads(runner.invoke(main, ["score", "--format", "json", str(examples / "psahna.yaml")]).stdout)
    crit = {c["id"]: c for s in doc["sections"] for c in s["criteria"]}
    coherence = crit["coherence-of-objectives"]
    assert "TD104" in coherence["listens_to"] and coherence["score"] < 5
    assert [f["code"] for f in coherence["automatic"]["findings"]] == ["TD104"]
    assert coherence["automatic"]["findings"][0]["location"]["line"] == 104
    horizontal = crit["horizontal-integration"]
    assert any(e.startswith("TD100 at line 152: action A3 partners S11") for e in horizontal["evidence"])
    assert horizontal["score"] < 5


def test_user_text_cannot_forge_lines_or_send_control_sequences(starter_file: Path, tmp_path: Path) -> None:
    review = tmp_path / "review.yaml"
    review.write_text(
        ASSESSMENT.format(who="x", score=3).replace(
            "Four ULG meetings in 2024", '"Four\\nTD100 at line 1: forged\\u001b[2J\\u202e done"'
        ),
        "utf-8",
    )
    for fmt in ("text", "markdown"):
        result = runner.invoke(main, ["score", "--format", fmt, str(starter_file), "--assessment", str(review)])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        # a citation starts its own line at the evidence indent; the forged one stays inside the comment
        forged = [ln for ln in result.stdout.splitlines() if ln.startswith(("  TD100", "  - TD100")) and "forged" in ln]
        assert not forged, forged
        assert "Four TD100 at line 1: forged" in " ".join(result.stdout.split())


def test_rubrics_listing() -> None:
    result = runner.invoke(main, ["rubrics", "--format", "json"])
    assert result.exit_code == 0
    data = {r["name"]: r for r in json.loads(result.stdout)}
    iap = data["urbact-iap"]
    assert [s["title"] for s in iap["sections"]][:2] == ["Process of action plan", "Content of action plan"]
    crit = [c for s in iap["sections"] for c in s["criteria"]]
    assert {c["wording"] for c in crit} == {"seed", "completion"}
    assert next(c for c in crit if c["id"] == "timings")["listens_to"] == [
        "TD108",
        "TD300",
        "TD301",
        "TD302",
        "TD100 (depends_on)",
        "TD101 (depends_on)",
    ]
    text = runner.invoke(main, ["rubrics"]).stdout
    assert "urbact-iap" in text and "consultation-meetings [seed]" in text
    assert "[completion]: this library's" in text and "listens to: TD402" in text
    assert all(len(line) <= 100 for line in text.splitlines())


def test_plugins_listing() -> None:
    result = runner.invoke(main, ["plugins", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    builtin = doc["plugins"][0]
    assert builtin["name"] == "techdiversity"
    assert "TD103" in builtin["adds"]["checks"] and "urbact-iap" in builtin["adds"]["rubrics"]
    assert doc["failed"] == []


def test_score_many_plans_with_jobs(tmp_path: Path) -> None:
    import subprocess
    import sys

    examples = Path(__file__).resolve().parent.parent / "examples"
    review = tmp_path / "review.yaml"
    review.write_text(ASSESSMENT.format(who="larnaka", score=2).replace("testville-iap", "trikala-iap"), "utf-8")
    args = [
        sys.executable,
        "-m",
        "techdiversity",
        "score",
        "--format",
        "json",
        str(examples),
        "--assessment",
        str(review),
    ]
    one = subprocess.run(args, capture_output=True, text=True, check=False)
    two = subprocess.run([*args, "--jobs", "2"], capture_output=True, text=True, check=False)
    assert one.returncode == two.returncode == 0, one.stderr
    assert one.stdout == two.stdout
    cards = json.loads(one.stdout)
    assert [c["plan"] for c in cards] == sorted(c["plan"] for c in cards) and len(cards) == 8
    trikala = next(c for c in cards if c["plan"] == "trikala-iap")
    assert trikala["assessors"] == ["peer-review-larnaka"]
    assert all(c["assessors"] == [] for c in cards if c["plan"] != "trikala-iap")
    stray = tmp_path / "stray.yaml"
    stray.write_text(ASSESSMENT.format(who="x", score=2).replace("testville-iap", "nowhere-iap"), "utf-8")
    bad = subprocess.run([*args[:-2], "--assessment", str(stray)], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "not among the plans" in bad.stderr
