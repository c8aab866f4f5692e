"""Monitoring: actuals against baseline, milestones and targets; the ``monitor`` command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import techdiversity as td
from techdiversity.cli import main
from techdiversity.cli.monitor import CSV_COLUMNS, CSV_PERIOD_COLUMNS, csv_cell
from techdiversity.dates import PartialDate
from techdiversity.model import Indicator, Measurement, Plan, PlanInfo
from techdiversity.monitoring import (
    PERIOD_STATES,
    STATUSES,
    IndicatorStatus,
    counts_things,
    current_value,
    direction_of,
    expected_value,
    periods,
    track,
    tracking_table,
    unit_decimals,
)

try:  # tests/ as a package, or tests/ on sys.path (pytest's rootdir-relative import)
    from .conftest import EXAMPLES
    from .strategies import indicators, partial_dates, plans
except ImportError:
    from conftest import EXAMPLES  # type: ignore[no-redef]
    from strategies import indicators, partial_dates, plans  # type: ignore[no-redef]

runner = CliRunner()


def D(text: str | int) -> PartialDate:
    return PartialDate.parse(text)


def M(value: Any, date: str | int | None = None) -> Measurement:
    return Measurement(value=value, date=None if date is None else D(date))


def unemployment(*actuals: Measurement, direction: str | None = None) -> Indicator:
    """Unemployment of women falling from 12 % (2023) to 8 % (2027), 10 % expected in 2025."""
    return Indicator(
        id="U1",
        name="Unemployment rate of women",
        kind="result",
        unit="%",
        baseline=M(12, 2023),
        target=M(8, 2027),
        milestones=(M(10, 2025),),
        actuals=actuals,
        direction=direction,
    )


def trained(*actuals: Measurement) -> Indicator:
    """People trained: 0 in 2024, 2400 by 2030; 600 by 2026 and 1500 by 2028; counted per year."""
    return Indicator(
        id="C1",
        name="People trained",
        kind="output",
        unit="persons",
        baseline=M(0, 2024),
        target=M(2400, 2030),
        milestones=(M(1500, 2028), M(600, 2026)),  # out of order on purpose
        actuals=actuals,
        cumulative=True,
    )


# ---------------------------------------------------------------------------
# Direction


def test_direction_inferred_from_baseline_and_target() -> None:
    assert direction_of(unemployment()) == ("decrease", True)
    assert direction_of(trained()) == ("increase", True)
    assert direction_of(unemployment(direction="decrease")) == ("decrease", False)
    assert direction_of(Indicator(id="X", baseline=M(5), target=M(5))) == (None, True)
    assert direction_of(Indicator(id="X", baseline=M("few"), target=M(5))) == (None, True)
    assert direction_of(Indicator(id="X", direction="increase")) == ("increase", False)


def test_explicit_direction_contradicting_the_target_is_not_measurable() -> None:
    s = track(unemployment(M(9, 2025), direction="increase"))
    assert s.status == "not-measurable"
    assert "direction is increase" in s.note
    assert s.progress is None


# ---------------------------------------------------------------------------
# Decreasing indicators: a falling rate is progress


def test_decrease_progress_is_positive_when_the_rate_falls() -> None:
    s = track(unemployment(M(10, 2025)))
    assert s.direction == "decrease"
    assert s.progress == pytest.approx(50.0)
    assert s.current == 10
    assert s.current_date == D(2025)


def test_decrease_rising_rate_is_negative_progress_and_behind() -> None:
    s = track(unemployment(M(13, 2025)))
    assert s.progress == pytest.approx(-25.0)
    assert s.status == "behind"


def test_decrease_achieved() -> None:
    s = track(unemployment(M(7.5, "2026-06")))
    assert s.status == "achieved"
    assert s.progress == pytest.approx(112.5)


def test_decrease_on_track_against_the_milestone() -> None:
    # judged on the last day of 2025, when the milestone (10) is due
    s = track(unemployment(M(10, 2025)))
    assert s.expected == 10
    assert s.expected_progress == pytest.approx(50.0)
    assert s.status == "on-track"


def test_small_shortfall_is_within_the_tolerance() -> None:
    # 2 % of the 4-point distance is 0.08: 10.05 is within it, 10.1 is not
    assert track(unemployment(M(10.05, 2025))).status == "on-track"
    assert track(unemployment(M(10.1, 2025))).status == "behind"
    assert track(unemployment(M(10.1, 2025)), tolerance=0.05).status == "on-track"


# ---------------------------------------------------------------------------
# Expected values


def test_expected_value_interpolates_between_baseline_milestones_and_target() -> None:
    ind = unemployment()
    assert expected_value(ind, D(2023)) == 12
    assert expected_value(ind, D(2025)) == 10
    assert expected_value(ind, D(2027)) == 8
    # half-way between the ends of 2025 and 2027 (in days) is 2026-12-31 +- a day
    assert expected_value(ind, D(2026)) == pytest.approx(9.0, abs=0.01)
    # before the baseline: the baseline; after the target: the target
    assert expected_value(ind, D(2001)) == 12
    assert expected_value(ind, dt.date(2040, 1, 1)) == 8


def test_expected_value_needs_dates_and_numbers() -> None:
    assert expected_value(Indicator(id="X", baseline=M(1), target=M(2, 2030)), D(2025)) is None
    assert expected_value(Indicator(id="X", baseline=M("a", 2020), target=M(2, 2030)), D(2025)) is None


def test_milestones_outside_the_time_line_or_in_words_are_skipped() -> None:
    ind = attrs.evolve(unemployment(), milestones=(M(100, 2020), M("halfway", 2025), M(5, 2030), M(11)))
    assert expected_value(ind, D(2025)) == pytest.approx(10.0, abs=0.01)


# ---------------------------------------------------------------------------
# Cumulative and not


def test_cumulative_current_value_is_the_sum_of_actuals_so_far() -> None:
    ind = trained(M(300, 2025), M(250, 2026), M(400, 2027))
    assert current_value(ind) == (950, D(2027))
    assert current_value(ind, D(2026)) == (550, D(2026))
    assert current_value(ind, D(2024)) == (None, None)


def test_non_cumulative_current_value_is_the_latest_actual() -> None:
    ind = unemployment(M(11, 2024), M(9.5, "2025-06"), M(10.2, "2025-03"))
    assert current_value(ind) == (9.5, D("2025-06"))
    assert current_value(ind, D("2025-Q1")) == (10.2, D("2025-03"))
    assert current_value(ind, D(2024)) == (11, D(2024))


def test_same_date_ties_go_to_the_later_in_file_order() -> None:
    ind = unemployment(M(11, 2024), M(10.5, 2024))
    assert current_value(ind) == (10.5, D(2024))


def test_cumulative_behind_and_on_track() -> None:
    behind = track(trained(M(300, 2025), M(250, 2026)))
    assert behind.status == "behind"
    assert behind.current == 550
    assert behind.expected == 600
    assert behind.progress == pytest.approx(550 / 24)
    on_track = track(trained(M(300, 2025), M(300, 2026)))
    assert on_track.status == "on-track"
    achieved = track(trained(*(M(500, year) for year in range(2025, 2030))))
    assert achieved.status == "achieved"
    assert achieved.current == 2500


def test_cumulative_flag_changes_the_current_value() -> None:
    ind = trained(M(300, 2025), M(250, 2026))
    assert track(attrs.evolve(ind, cumulative=False)).current == 250
    assert track(attrs.evolve(ind, cumulative=None)).current == 250
    assert track(ind).current == 550


# ---------------------------------------------------------------------------
# Statuses


def test_no_data_without_actuals() -> None:
    s = track(unemployment())
    assert (s.status, s.note) == ("no-data", "no actual yet")
    assert s.current is None and s.progress is None and s.as_of is None
    s = track(unemployment(), D(2026))
    assert s.status == "no-data"  # progress was expected by then: no measurement is no data
    assert s.expected == 9
    assert s.note == "no actual on or before 2026, when 9 was expected"


def test_not_started_when_no_progress_is_expected_yet() -> None:
    s = track(unemployment(M(11, 2024)), D(2020))
    assert s.status == "not-started"
    assert s.expected == 12
    assert s.expected_progress == 0.0
    assert "2020" in s.note and "no progress expected yet" in s.note
    # on the baseline's own date nothing is expected either
    assert track(unemployment(), D(2023)).status == "not-started"
    # a day into the time line, progress is expected
    assert track(trained(), dt.date(2025, 1, 1)).status == "no-data"


def test_no_data_without_a_time_line() -> None:
    ind = attrs.evolve(unemployment(), baseline=M(12))  # no date on the baseline: nothing to expect from
    s = track(ind, D(2026))
    assert (s.status, s.expected) == ("no-data", None)
    assert s.note == "no actual on or before 2026"


@pytest.mark.parametrize(
    ("unit", "counts"),
    [
        ("persons", True),
        ("organisations", True),
        ("start-ups", True),
        ("round tables", True),
        ("micro-credentials", True),
        ("%", False),
        ("percent", False),
        ("share of women", False),
        ("EUR", False),
        ("volunteer-hours", False),
        ("fte", False),
        ("per 1000 inhabitants", False),
        ("m²", False),
        ("°C", False),
        (None, False),
        ("  ", False),
    ],
)
def test_counts_things(unit: str | None, counts: bool) -> None:
    assert counts_things(unit) is counts


def test_expected_value_is_rounded_to_the_unit() -> None:
    charter = Indicator(
        id="I6", unit="organisations", baseline=M(0, 2024), target=M(40, 2030), milestones=(M(15, 2026),)
    )
    # 2027-03-31 is 90 of 1461 days from the 2026 milestone to the target: 15 + 25 * 90 / 1461 = 16.54
    assert expected_value(charter, D("2027-03")) == 17
    assert isinstance(expected_value(charter, D("2027-03")), int)
    assert track(charter, D("2027-03")).note == "no actual on or before 2027-03, when 17 was expected"
    assert unit_decimals(charter) == 0
    # a measure keeps the plan's own precision, at least one decimal
    share = attrs.evolve(charter, unit="percent", baseline=M(19, 2024), target=M(30, 2030), milestones=())
    assert unit_decimals(share) == 1
    assert expected_value(share, D(2026)) == 22.7  # 19 + 11 * 730 / 2191 = 22.665
    finer = attrs.evolve(share, target=M(30.25, 2030))
    assert unit_decimals(finer) == 2
    assert expected_value(finer, D(2026)) == 22.75  # 19 + 11.25 * 730 / 2191 = 22.748
    # a count written with decimals keeps them (the plan knows its unit)
    halves = attrs.evolve(charter, target=M(40.5, 2030))
    assert unit_decimals(halves) == 1
    # judged against the rounded value: 8 organisations meet the 8 expected, not "8.02"
    near = Indicator(id="N", unit="organisations", baseline=M(0, 2024), target=M(9, 2025))
    at = dt.date(2025, 11, 30)
    raw = Fraction(9 * (at.toordinal() - dt.date(2024, 12, 31).toordinal()), 365)
    assert round(float(raw), 2) == 8.24  # more than the tolerance (0.18) above 8: unrounded, 8 would be behind
    s = track(attrs.evolve(near, actuals=(M(8, "2025-11"),)), at)
    assert (s.expected, s.status) == (8, "on-track")


def test_as_of_leaves_later_actuals_out() -> None:
    ind = unemployment(M(11, 2024), M(7, 2026))
    assert track(ind).status == "achieved"
    early = track(ind, D(2024))
    assert early.current == 11
    assert early.status == "on-track"  # 11 is what the line expects at the end of 2024
    late = track(ind, D(2030))
    assert late.status == "achieved"


def test_as_of_accepts_a_date_and_judges_on_the_last_day() -> None:
    ind = unemployment(M(9.5, "2025-06"))
    assert track(ind, dt.date(2025, 6, 30)).current == 9.5
    assert track(ind, dt.date(2025, 6, 29)).status == "no-data"
    # a partial date counts to its last day: the 2025-06 actual is in "2025-Q2"
    assert track(ind, D("2025-Q2")).current == 9.5


def test_past_the_target_date_not_reached_is_behind() -> None:
    s = track(unemployment(M(9, 2026)), D(2028))
    assert s.status == "behind"
    assert s.expected == 8


@pytest.mark.parametrize(
    ("baseline", "target", "why"),
    [
        (None, M(8, 2027), "no baseline"),
        (M(12, 2023), None, "no target"),
        (M(None, 2023), M(8, 2027), "no baseline"),
        (M("about a tenth", 2023), M(8, 2027), "baseline is not a number"),
        (M(12, 2023), M("fewer", 2027), "target is not a number"),
        (M(12, 2023), M(12, 2027), "equals the baseline"),
        (M(12, 2023), M(True, 2027), "target is not a number"),
        (M(12, 2023), M(float("nan"), 2027), "target is not a number"),
        (M(12, 2023), M(float("inf"), 2027), "target is not a number"),
    ],
)
def test_not_measurable(baseline: Measurement | None, target: Measurement | None, why: str) -> None:
    ind = attrs.evolve(unemployment(M(9, 2025)), baseline=baseline, target=target)
    s = track(ind)
    assert s.status == "not-measurable"
    assert why in s.note
    assert s.progress is None and s.expected is None
    assert all(p.state == "not-measurable" for p in s.periods)
    json.dumps(s.to_json(), allow_nan=False)


def test_undated_baseline_can_be_achieved_but_not_judged_on_track() -> None:
    ind = attrs.evolve(unemployment(M(9, 2025)), baseline=M(12))
    s = track(ind)
    assert s.status == "not-measurable"
    assert "no date on the baseline" in s.note
    assert s.progress == pytest.approx(75.0)
    assert track(attrs.evolve(ind, actuals=(M(8, 2026),))).status == "achieved"


def test_target_due_before_the_baseline() -> None:
    ind = attrs.evolve(unemployment(M(9, 2025)), baseline=M(12, 2028))
    assert track(ind).status == "not-measurable"


def test_target_due_with_the_baseline_does_not_divide_by_zero() -> None:
    ind = attrs.evolve(unemployment(M(9, 2025)), baseline=M(12, 2027))
    assert expected_value(ind, D(2026)) == 12
    assert expected_value(ind, D(2027)) == 8
    assert track(ind).status == "on-track"  # judged on 2025-12-31, before both


def test_words_in_actuals_are_left_out_and_counted() -> None:
    ind = unemployment(M("lower than before", 2025), M(11), M(11, 2024))
    s = track(ind)
    assert s.current == 11
    assert s.ignored_actuals == 2
    assert "2 actual(s)" in s.note
    only_words = track(unemployment(M("better", 2025)))
    assert only_words.status == "no-data"


# ---------------------------------------------------------------------------
# Periods


def test_periods_one_row_per_milestone_in_date_order_then_the_target() -> None:
    rows = periods(trained(M(300, 2025), M(350, 2026), M(500, 2027)))
    assert [(p.label, p.date) for p in rows] == [
        ("milestone 2", D(2026)),
        ("milestone 1", D(2028)),
        ("target", D(2030)),
    ]
    m2026, m2028, target = rows
    assert (m2026.actual, m2026.state, m2026.met) == (650, "met", True)
    assert m2026.progress == pytest.approx(650 / 6)
    # the as-of date is the latest actual (2027): the later rows are not due yet
    assert (m2028.actual, m2028.actual_date, m2028.state, m2028.met) == (1150, D(2027), "pending", None)
    assert target.state == "pending"


def test_periods_missed_and_no_data() -> None:
    rows = periods(trained(M(300, 2025), M(250, 2026)), D(2031))
    assert [p.state for p in rows] == ["missed", "missed", "missed"]
    assert rows[0].met is False
    rows = periods(unemployment(M(9, 2026)), D(2027))
    assert [p.state for p in rows] == ["no-data", "missed"]
    assert rows[0].actual is None


def test_periods_of_a_decreasing_indicator() -> None:
    rows = periods(unemployment(M(9.8, 2025), M(8, 2027)))
    assert [(p.state, p.actual) for p in rows] == [("met", 9.8), ("met", 8)]
    assert rows[0].progress == pytest.approx(110.0)


def test_periods_met_early_is_met() -> None:
    rows = periods(unemployment(M(8, 2024)))
    assert [p.state for p in rows] == ["met", "met"]


def test_period_rows_without_date_or_number() -> None:
    ind = attrs.evolve(unemployment(M(9, 2025)), milestones=(M("half way", 2025), M(10)))
    rows = periods(ind)
    assert [p.state for p in rows] == ["not-measurable", "not-measurable", "pending"]
    assert rows[0].note.startswith("the value is not a number")
    assert rows[1].note == "no date"
    assert rows[0].value == "half way"


def test_no_target_no_target_row() -> None:
    assert periods(Indicator(id="X")) == []


# ---------------------------------------------------------------------------
# The table and its records


def test_tracking_table_is_one_status_per_indicator_in_file_order() -> None:
    plan = Plan(plan=PlanInfo(id="p"), indicators=(unemployment(M(10, 2025)), trained()))
    rows = tracking_table(plan, D(2026))
    assert [r.id for r in rows] == ["U1", "C1"]
    assert all(r.as_of == D(2026) for r in rows)
    assert [r.status for r in rows] == ["behind", "no-data"]


def test_json_record() -> None:
    s = track(unemployment(M(10, 2025)))
    rec = s.to_json()
    assert rec["id"] == "U1"
    assert rec["baseline"] == {"value": 12, "date": "2023"}
    assert rec["progress"] == 50.0
    assert rec["status"] == "on-track"
    assert rec["as_of"] == "2025"
    assert [p["label"] for p in rec["periods"]] == ["milestone 1", "target"]
    assert "periods" not in s.to_json(with_periods=False)


def test_progress_bar_is_clamped() -> None:
    assert track(unemployment(M(13, 2025))).progress_bar == 0.0
    assert track(unemployment(M(4, 2025))).progress_bar == 100.0
    assert track(unemployment()).progress_bar == 0.0


def test_huge_numbers_stay_finite() -> None:
    ind = Indicator(
        id="H",
        baseline=M(-1.7e308, 2020),
        target=M(1.7e308, 2030),
        actuals=(M(1.7e308, 2021), M(1.7e308, 2022)),
        cumulative=True,
    )
    s = track(ind)
    assert s.status == "achieved"
    _assert_finite(s)
    tiny = Indicator(id="T", baseline=M(0.0, 2020), target=M(5e-324, 2030), actuals=(M(1e308, 2021),))
    _assert_finite(track(tiny))


# ---------------------------------------------------------------------------
# Properties


def _floats_of(s: IndicatorStatus) -> list[float]:
    values: list[Any] = [s.current, s.expected, s.progress, s.expected_progress, s.progress_bar]
    for p in s.periods:
        values += [p.expected, p.actual, p.progress]
    return [v for v in values if isinstance(v, float)]


def _assert_finite(s: IndicatorStatus) -> None:
    assert all(math.isfinite(v) for v in _floats_of(s)), s
    json.dumps(s.to_json(), allow_nan=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicators(), st.none() | partial_dates)
def test_track_never_crashes_and_stays_finite(indicator: Indicator, as_of: PartialDate | None) -> None:
    s = track(indicator, as_of)
    assert s.status in STATUSES
    assert all(p.state in PERIOD_STATES for p in s.periods)
    assert len(s.periods) == len(indicator.milestones) + (indicator.target is not None)
    _assert_finite(s)
    if s.status == "achieved":
        assert s.progress is not None and s.progress >= 100
    if s.status in ("on-track", "behind"):
        assert s.expected is not None and s.progress is not None
    if s.status in ("not-started", "no-data"):
        assert s.current is None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans())
def test_tracking_table_of_any_plan(plan: Plan) -> None:
    rows = tracking_table(plan)
    assert [r.id for r in rows] == [i.id for i in plan.indicators]


_numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e15, 1e15, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(_numbers, _numbers, _numbers, _numbers, st.booleans())
def test_progress_is_monotone_in_the_direction_of_travel(
    base: float, goal: float, a: float, b: float, explicit: bool
) -> None:
    if base == goal:
        return
    direction = "increase" if goal > base else "decrease"
    low, high = sorted((a, b))

    def progress(value: float) -> float:
        ind = Indicator(
            id="X",
            baseline=M(base, 2020),
            target=M(goal, 2030),
            actuals=(M(value, 2025),),
            direction=direction if explicit else None,
        )
        result = track(ind).progress
        assert result is not None and math.isfinite(result)
        return result

    if direction == "increase":
        assert progress(low) <= progress(high)
    else:  # a lower value is more progress
        assert progress(high) <= progress(low)
    assert progress(base) == 0.0
    assert progress(goal) == pytest.approx(100.0)


@settings(deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=6), st.integers(2021, 2035))
def test_cumulative_sum_and_latest(values: list[int], as_of: int) -> None:
    actuals = tuple(M(v, 2020 + n) for n, v in enumerate(values))
    ind = Indicator(id="X", baseline=M(0, 2020), target=M(10**7, 2030), actuals=actuals, cumulative=True)
    counted = [v for n, v in enumerate(values) if 2020 + n <= as_of]
    assert track(ind, D(as_of)).current == sum(counted)
    assert track(attrs.evolve(ind, cumulative=False), D(as_of)).current == counted[-1]


# ---------------------------------------------------------------------------
# The command line


def _with_actuals(path: Path, tmp_path: Path) -> Path:
    """The example with actuals: each indicator half-way to its first milestone or target."""
    plan = td.load(path)
    changed = []
    for n, ind in enumerate(plan.indicators):
        goal = ind.milestones[0] if ind.milestones else ind.target
        if n % 3 == 2 or ind.baseline is None or goal is None or goal.date is None:
            changed.append(ind)
            continue
        values = [v for v in (ind.baseline.value, goal.value) if isinstance(v, (int, float))]
        value: Any = sum(values) / 2 if len(values) == 2 else "some"
        changed.append(attrs.evolve(ind, actuals=(Measurement(value=value, date=goal.date),), cumulative=n % 2 == 0))
    out = tmp_path / path.name
    td.dump(attrs.evolve(plan, indicators=tuple(changed)), out)
    return out


def _run(*args: str) -> Any:
    return runner.invoke(main, ["monitor", *args], catch_exceptions=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("actuals", [False, True], ids=["as-is", "with-actuals"])
def test_monitor_every_example_in_every_format(example: Path, actuals: bool, tmp_path: Path) -> None:
    path = _with_actuals(example, tmp_path) if actuals else example
    plan = td.load(path)
    n = len(plan.indicators)
    for as_of in ([], ["--as-of", "2026"], ["--as-of", "2027-Q2"]):
        for periods_flag in ([], ["--periods"]):
            rows = sum(len(i.milestones) + (i.target is not None) for i in plan.indicators) if periods_flag else n

            result = _run(str(path), "--format", "json", *as_of, *periods_flag)
            assert result.exit_code == 0, result.output
            doc = json.loads(result.stdout)
            assert [r["id"] for r in doc] == [i.id for i in plan.indicators]
            assert all(r["status"] in STATUSES for r in doc)
            assert all(("periods" in r) == bool(periods_flag) for r in doc)

            result = _run(str(path), "--format", "csv", *as_of, *periods_flag)
            assert result.exit_code == 0, result.output
            table = list(csv.reader(io.StringIO(result.stdout)))
            assert tuple(table[0]) == (CSV_PERIOD_COLUMNS if periods_flag else CSV_COLUMNS)
            assert len(table) == rows + 1

            result = _run(str(path), *as_of, *periods_flag)
            assert result.exit_code == 0, result.output
            if n:
                assert all(i.id in result.stdout for i in plan.indicators)
                assert re.search(rf"^{n} indicator\(s\)", result.stderr, re.M)
    if actuals:
        doc = json.loads(_run(str(path), "--format", "json").stdout)
        assert any(r["current"] is not None for r in doc)


def test_monitor_text_table(tmp_path: Path) -> None:
    plan = Plan(plan=PlanInfo(id="p"), indicators=(unemployment(M(10, 2025)), trained(M(200, 2025))))
    path = tmp_path / "plan.yaml"
    td.dump(plan, path)
    result = _run(str(path), "--periods")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["id", "indicator", "(unit)", "dir"]
    assert all(len(line) <= 100 for line in lines)
    u1 = next(line for line in lines if line.startswith("U1 "))
    assert "down?" in u1 and "50.0%" in u1 and "on-track" in u1
    assert any(line.startswith("C1") and "milestone 2" in line and "pending" in line for line in lines)
    assert "2 indicator(s): 1 on-track, 1 behind" in result.stderr


def _long_plan(tmp_path: Path, name: str, city: str) -> Path:
    """A plan with long names and units, words in values and many milestones."""
    long_name = "Share of women and girls among the participants of every programme of the city " * 2
    inds = (
        attrs.evolve(unemployment(M(10, 2025)), name=long_name, unit="percentage of registered participants"),
        attrs.evolve(trained(M(200, 2025)), id="C-with-a-rather-long-identifier", name=long_name),
        Indicator(id="W", name="Words", baseline=M("few", 2024), target=M("many more than today", 2030)),
    )
    path = tmp_path / name
    td.dump(Plan(plan=PlanInfo(id=name.split(".")[0], city=city), indicators=inds), path)
    return path


def test_monitor_many_plans_and_directories(tmp_path: Path) -> None:
    folder = tmp_path / "network"
    folder.mkdir()
    a = _long_plan(folder, "a.yaml", "Bielsko-Biała, a city with a very long name for a city indeed")
    b = _long_plan(folder, "b.json", "Larnaka")
    extra = _long_plan(tmp_path, "c.yaml", "Trikala")
    result = _run(str(folder), str(extra), "--as-of", "2026", "--periods")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    wide = _run(str(folder), str(extra), "--width", "400").stdout.splitlines()
    headings = [line for line in wide if line.startswith(("Bielsko", "Larnaka", "Trikala"))]
    assert headings == [
        f"Bielsko-Biała, a city with a very long name for a city indeed (a, {a})",
        f"Larnaka (b, {b})",
        f"Trikala (c, {extra})",
    ]
    assert "Bielsko-Biała, a city with a very long name" in lines[0]
    assert f"{a}: 3 indicator(s) as of 2026: 2 behind, 1 not-measurable" in result.stderr
    assert result.stderr.splitlines()[-1] == "3 plan(s), 9 indicator(s): 6 behind, 3 not-measurable"
    # narrower when asked
    narrow = _run(str(folder), "--width", "60").stdout.splitlines()
    assert max(len(line) for line in narrow) <= 60
    # JSON: one list, each record naming its plan; CSV: plan and city first
    doc = json.loads(_run(str(folder), str(extra), "--format", "json").stdout)
    assert [(r["plan"], r["id"]) for r in doc][:4] == [
        ("a", "U1"),
        ("a", "C-with-a-rather-long-identifier"),
        ("a", "W"),
        ("b", "U1"),
    ]
    assert {r["path"] for r in doc} == {str(a), str(b), str(extra)}
    table = list(csv.DictReader(io.StringIO(_run(str(folder), "--format", "csv", "--periods").stdout)))
    assert {(r["plan"], r["city"]) for r in table} == {
        ("a", "Bielsko-Biała, a city with a very long name for a city indeed"),
        ("b", "Larnaka"),
    }
    assert len(table) == 2 * (2 + 3 + 1)
    # the same with worker processes
    assert _run(str(folder), str(extra), "--jobs", "2").stdout == _run(str(folder), str(extra)).stdout


def test_monitor_goes_on_past_an_unreadable_file(tmp_path: Path) -> None:
    good = _long_plan(tmp_path, "good.yaml", "Idrija")
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nplan: {id: p}\nindicators:\n  - id: I1\n    baselin: {value: 1}\n", "utf-8")
    result = _run(str(bad), str(good), "--format", "json")
    assert result.exit_code == 2
    assert f"{bad}:5:5:" in result.stderr
    assert {r["plan"] for r in json.loads(result.stdout)} == {"good"}


def test_monitor_every_example_fits_100_columns() -> None:
    result = _run(str(EXAMPLES[0].parent), "--as-of", "2027", "--periods")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert result.stdout.count("\nid ") >= len(EXAMPLES)


def test_monitor_csv_neutralises_formulas(tmp_path: Path) -> None:
    hostile = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "plain"]
    inds = tuple(
        attrs.evolve(unemployment(M(13, 2025)), id=f"I{n}", name=name, unit=name) for n, name in enumerate(hostile)
    )
    path = tmp_path / "plan.json"
    td.dump(Plan(plan=PlanInfo(id="p"), indicators=inds), path)
    result = _run(str(path), "--format", "csv")
    assert result.exit_code == 0
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["name"] for r in records] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTAB", "'\rCR", "plain"]
    assert [r["unit"] for r in records] == [r["name"] for r in records]
    # numbers stay numbers, negative ones too
    assert records[0]["progress"] == "-25.0"
    periods_out = _run(str(path), "--format", "csv", "--periods").stdout
    assert all(r["name"].startswith("'") for r in list(csv.DictReader(io.StringIO(periods_out)))[:-2])


def test_csv_cell() -> None:
    assert csv_cell("=x") == "'=x"
    assert csv_cell("-x") == "'-x"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(-3) == -3
    assert csv_cell(-2.5) == -2.5
    assert csv_cell(None) == ""
    assert csv_cell(True) == "true"


def test_monitor_words_in_values(tmp_path: Path) -> None:
    ind = Indicator(id="W", baseline=M("few", 2024), target=M("=more women", 2030), actuals=(M("-better", 2025),))
    path = tmp_path / "plan.yaml"
    td.dump(Plan(plan=PlanInfo(id="p"), indicators=(ind,)), path)
    doc = json.loads(_run(str(path), "--format", "json", "--periods").stdout)
    assert doc[0]["status"] == "not-measurable"
    assert doc[0]["target"]["value"] == "=more women"
    records = list(csv.DictReader(io.StringIO(_run(str(path), "--format", "csv").stdout)))
    assert records[0]["target"] == "'=more women"
    assert "not-measurable" in _run(str(path)).stdout


def test_monitor_bad_plan_exits_2_with_a_location(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nplan: {id: p}\nindicators:\n  - id: I1\n    baselin: {value: 1}\n", "utf-8")
    result = runner.invoke(main, ["monitor", str(path)])
    assert result.exit_code == 2
    assert f"{path}:5:5:" in result.stderr
    assert "baseline" in result.stderr


def test_monitor_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(main, ["monitor", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2


@pytest.mark.parametrize("bad", ["2025-13", "yesterday", "2025-q3", "25"])
def test_monitor_bad_as_of_exits_2(bad: str) -> None:
    result = runner.invoke(main, ["monitor", str(EXAMPLES[0]), "--as-of", bad])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_monitor_as_of_today() -> None:
    result = _run(str(EXAMPLES[0]), "--as-of", "today", "--format", "json")
    assert result.exit_code == 0
    assert {r["as_of"] for r in json.loads(result.stdout)} == {dt.date.today().isoformat()}


def test_monitor_plan_without_indicators(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    td.dump(Plan(plan=PlanInfo(id="p")), path)
    assert json.loads(_run(str(path), "--format", "json").stdout) == []
    assert _run(str(path), "--format", "csv").stdout.splitlines() == [",".join(CSV_COLUMNS)]
    assert CSV_COLUMNS[:3] == ("plan", "city", "id") and CSV_PERIOD_COLUMNS[:3] == ("plan", "city", "id")
    result = _run(str(path))
    assert result.exit_code == 0
    assert "no indicators" in result.stderr


def test_monitor_text_has_no_control_characters(tmp_path: Path) -> None:
    ind = attrs.evolve(unemployment(M(10, 2025)), name="escape\x1b[31m red\nnext line")
    path = tmp_path / "plan.json"
    td.dump(Plan(plan=PlanInfo(id="p"), indicators=(ind,)), path)
    out = _run(str(path), "--width", "200").stdout
    assert "\x1b" not in out
    assert "next line" in out


# ---------------------------------------------------------------------------
# The documentation page stays true

DOC = Path(__file__).resolve().parent.parent / "docs" / "monitoring.md"

DOC_PLAN = """\
format: 1
plan: {id: monitoring-example}
indicators:
  - id: I1
    name: Unemployment rate of women
    kind: result
    unit: "%"
    direction: decrease
    baseline: {value: 12, date: 2023}
    target: {value: 8, date: 2027}
    milestones: [{value: 10, date: 2025}]
    actuals: [{value: 11, date: 2024}, {value: 9.8, date: 2025}]
  - id: I2
    name: People trained in digital skills
    kind: output
    unit: persons
    cumulative: true
    baseline: {value: 0, date: 2024}
    target: {value: 2400, date: 2030}
    milestones: [{value: 600, date: 2026}, {value: 1500, date: 2028}]
    actuals: [{value: 300, date: 2025}, {value: 250, date: 2026}]
  - id: I3
    name: Women attending IT events
    kind: output
    unit: persons
    baseline: {value: 120, date: 2023}
    target: {value: 300, date: 2027}
  - id: I4
    name: Girls interested in IT careers
    kind: impact
    baseline: {value: few, date: 2024}
    target: {value: more, date: 2030}
"""


def test_docs_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DOC.parent.parent)
    namespace: dict[str, Any] = {}
    blocks = re.findall(r"^```python[ \t]*\n(.*?)^```[ \t]*$", DOC.read_text("utf-8"), re.S | re.M)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)


def test_docs_text_example_is_the_real_output(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(DOC_PLAN, "utf-8")
    result = _run(str(path), "--as-of", "2026", "--periods")
    page = DOC.read_text("utf-8")
    shown = page.split("$ techdiversity monitor plan.yaml --as-of 2026 --periods\n", 1)[1].split("```", 1)[0]
    assert shown == result.stdout + result.stderr
    record = json.loads(_run(str(path), "--as-of", "2026", "--periods", "--format", "json").stdout)[0]
    assert record["path"] == str(path)
    block = page.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == [{**record, "path": "plan.yaml"}]


def test_docs_name_the_csv_columns() -> None:
    text = " ".join(DOC.read_text("utf-8").split())
    assert ", ".join(CSV_COLUMNS) in text
    assert ", ".join(CSV_PERIOD_COLUMNS) in text
    for name in (*STATUSES, *PERIOD_STATES):
        assert f"`{name}`" in text
