"""Monitoring over disaggregated values (IATI dimensions and locations)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from techdiversity import monitoring
from techdiversity.cli import main
from techdiversity.dates import PartialDate
from techdiversity.model import Dimension, Indicator, Measurement

D = PartialDate.parse


def sliced(value: int, date: str, **dims: str) -> Measurement:
    return Measurement(value, D(date), dimensions=tuple(Dimension(k, v) for k, v in dims.items()))


def test_slices_are_summed_at_a_date_without_a_total_and_left_out_beside_one() -> None:
    ind = Indicator(
        "I1",
        unit="persons",
        baseline=Measurement(0, D("2023")),
        target=Measurement(100, D("2026")),
        actuals=(
            sliced(10, "2024", sex="female"),
            sliced(12, "2024", sex="male"),
            Measurement(30, D("2025")),
            sliced(14, "2025", sex="female"),
            sliced(9, "2025", sex="male", age="under 5"),  # another breakdown: never added in
        ),
    )
    assert monitoring.current_value(ind, D("2024")) == (22, D("2024"))
    assert monitoring.current_value(ind) == (30, D("2025"))  # the total, not the last slice
    assert monitoring.slices(ind) == {
        "sex=female": [(D("2024"), 10), (D("2025"), 14)],
        "sex=male": [(D("2024"), 12)],
        "sex=male, age=under 5": [(D("2025"), 9)],
    }


def test_slices_of_a_share_are_not_added() -> None:
    ind = Indicator(
        "I2",
        unit="percent",
        actuals=(sliced(40, "2024", sex="female"), sliced(60, "2024", sex="male"), Measurement(45, D("2023"))),
    )
    assert monitoring.current_value(ind) == (45, D("2023"))
    assert monitoring.track(ind).ignored_actuals == 2
    assert not monitoring.adds_up("share of women") and monitoring.adds_up("persons") and monitoring.adds_up(None)


def test_locations_are_slices_too() -> None:
    at = [Measurement(5, D("2024"), locations=("AF-KAN",)), Measurement(7, D("2024"), locations=("KH-ABC",))]
    assert monitoring.current_value(Indicator("I3", actuals=tuple(at))) == (12, D("2024"))
    assert list(monitoring.slices(Indicator("I3", actuals=tuple(at)))) == ["@AF-KAN", "@KH-ABC"]


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6))
def test_one_breakdown_sums_to_its_total(values: list[int]) -> None:
    actuals = tuple(sliced(v, "2024", group=f"g{i}") for i, v in enumerate(values))
    assert monitoring.current_value(Indicator("I4", actuals=actuals)) == (sum(values), D("2024"))
    with_total = (*actuals, Measurement(sum(values) + 1, D("2024")))
    assert monitoring.current_value(Indicator("I4", actuals=with_total)) == (sum(values) + 1, D("2024"))


# ---------------------------------------------------------------------------
# ``techdiversity monitor --slices``

IATI_RESULTS = Path(__file__).resolve().parent / "data" / "iati" / "24-results.xml"

SLICED_PLAN = """\
format: 1
plan: {id: sliced}
indicators:
  - id: I1
    name: Children vaccinated
    unit: persons
    baseline: {value: 0, date: 2023}
    target: {value: 200, date: 2026}
    actuals:
      - {value: 40, date: 2024, dimensions: [{name: sex, value: female}]}
      - {value: 38, date: 2024, dimensions: [{name: sex, value: male}]}
      - {value: 55, date: 2025, dimensions: [{name: sex, value: female}]}
      - {value: 50, date: 2025, dimensions: [{name: sex, value: male}]}
      - {value: 7, date: 2025, locations: [AF-KAN]}
  - id: I2
    name: Clinics open
    baseline: {value: 1, date: 2023}
    target: {value: 5, date: 2026}
    actuals: [{value: 3, date: 2025}]
"""


def _monitor(*args: str) -> Result:
    return CliRunner().invoke(main, ["-q", "monitor", *args], catch_exceptions=False)


def _plan(tmp_path: Path, text: str = SLICED_PLAN) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_monitor_slices_text_puts_each_slice_under_its_indicator(tmp_path: Path) -> None:
    path = _plan(tmp_path)
    plain = _monitor(str(path))
    result = _monitor(str(path), "--slices")
    assert result.exit_code == 0, result.output
    assert "sex=female" not in plain.stdout and "slice" not in plain.stdout
    lines = result.stdout.splitlines()
    i1 = next(k for k, line in enumerate(lines) if line.startswith("I1 "))
    i2 = next(k for k, line in enumerate(lines) if line.startswith("I2 "))
    female = next(k for k, line in enumerate(lines) if "sex=female" in line)
    male = next(k for k, line in enumerate(lines) if "sex=male" in line)
    kan = next(k for k, line in enumerate(lines) if "@AF-KAN" in line)
    assert i1 < female < male < kan < i2  # in file order, under I1, before I2
    assert "40 (2024), 55 (2025)" in lines[female] and lines[female].rstrip().endswith("slice")
    assert "38 (2024), 50 (2025)" in lines[male]
    assert "7 (2025)" in lines[kan]
    # the slices never change the indicator's own row: 55 + 50 (one breakdown) by 2025
    assert "105 (2025)" in lines[i1]
    assert all(len(line) <= 100 for line in lines)


def test_monitor_slices_json_gives_each_series(tmp_path: Path) -> None:
    result = _monitor(str(_plan(tmp_path)), "--slices", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc] == ["I1", "I2"]
    assert doc[0]["current"] == 105
    assert doc[0]["slices"] == [
        {"slice": "sex=female", "series": [{"date": "2024", "value": 40}, {"date": "2025", "value": 55}]},
        {"slice": "sex=male", "series": [{"date": "2024", "value": 38}, {"date": "2025", "value": 50}]},
        {"slice": "@AF-KAN", "series": [{"date": "2025", "value": 7}]},
    ]
    assert doc[1]["slices"] == []
    without = json.loads(_monitor(str(_plan(tmp_path)), "--format", "json").stdout)
    assert all("slices" not in r for r in without)


def test_monitor_slices_of_a_real_iati_file() -> None:
    for width in ("100", "60"):
        result = _monitor(str(IATI_RESULTS), "--slices", "--width", width)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert all(len(line) <= int(width) for line in lines)
        assert sum(line.rstrip().endswith("  slice") for line in lines) == 1
        if width != "100":
            continue  # narrower, the slice's name is broken inside its words
        start = next(k for k, line in enumerate(lines) if "xxx=yyy" in line)
        shown = " ".join(line.strip() for line in lines[start : start + 3])
        assert "@AF-KAN" in shown and "@KH-ABC" in shown and "111 (2009)" in shown
        owner = max(k for k, line in enumerate(lines[:start]) if line.startswith("I"))
        assert lines[owner].startswith("I13 ")  # the indicator whose actual has the dimension
    doc = json.loads(_monitor(str(IATI_RESULTS), "--slices", "--format", "json").stdout)
    sliced = {r["id"]: r["slices"] for r in doc if r["slices"]}
    assert sliced == {"I13": [{"slice": "xxx=yyy, @AF-KAN, @KH-ABC", "series": [{"date": "2009", "value": 111}]}]}


def test_monitor_slices_escape_what_the_plan_says(tmp_path: Path) -> None:
    hostile = SLICED_PLAN.replace("name: sex, value: female", 'name: "sex\\e[2J", value: "fe\\nmale\\u202e"')
    result = _monitor(str(_plan(tmp_path, hostile)), "--slices", "--width", "200")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "sex\\x1b[2J=fe male\\u202e" in result.stdout


def test_monitor_slices_is_not_for_csv(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["monitor", str(_plan(tmp_path)), "--slices", "--format", "csv"])
    assert result.exit_code == 2
    assert "--slices" in result.output


def test_the_slices_example_of_the_docs_is_what_monitor_prints(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "monitoring.md").read_text(encoding="utf-8")
    section = page.split("### Each slice: `--slices`", 1)[1]
    plan = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = section.split("$ techdiversity monitor plan.yaml --slices\n", 1)[1].split("```", 1)[0]
    assert _monitor(str(_plan(tmp_path, plan)), "--slices").stdout == shown
