"""IATI values as published: targets, periods, slices and dates, read and written back."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import techdiversity as td
from techdiversity import model
from techdiversity.convert import structure_data
from techdiversity.dates import PartialDate
from techdiversity.exporters import export
from techdiversity.formats.iati import read_iati
from techdiversity.starter import starter_plan

D = PartialDate.parse
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'


def one(body: str, dates: str = "") -> dict[str, Any]:
    xml = (
        HEAD + "<iati-activity><iati-identifier>XM-1</iati-identifier>" + dates + '<result type="1">'
        '<title><narrative>R</narrative></title><indicator measure="1"><title><narrative>I</narrative></title>'
        + body
        + "</indicator></result></iati-activity></iati-activities>\n"
    )
    result = read_iati(xml.encode(), "v.xml")
    return {"data": result.data, "notes": [n.message for n in result.notes]}


def period(start: str, end: str, inner: str) -> str:
    return f'<period><period-start iso-date="{start}"/><period-end iso-date="{end}"/>{inner}</period>'


def test_a_numeric_target_beats_a_comment_only_one_in_its_period() -> None:
    got = one(
        period(
            "2025-01-01",
            "2025-12-31",
            '<target><comment><narrative>to be agreed</narrative></comment></target><target value="40"/>',
        )
    )
    (ind,) = got["data"]["indicators"]
    assert ind["target"] == {"value": 40, "date": 2025}
    assert ind["milestones"] == [{"date": 2025, "note": "to be agreed"}]


def test_a_total_beats_its_slices_as_the_target() -> None:
    got = one(
        period(
            "2025-01-01",
            "2025-12-31",
            '<target value="20"><dimension name="sex" value="female"/></target><target value="42"/>'
            '<target value="22"><dimension name="sex" value="male"/></target>',
        )
    )
    (ind,) = got["data"]["indicators"]
    assert ind["target"] == {"value": 42, "date": 2025}
    assert [m["dimensions"] for m in ind["milestones"]] == [
        [{"name": "sex", "value": "female"}],
        [{"name": "sex", "value": "male"}],
    ]


def test_dates_that_disagree_take_the_consistent_pair_with_a_note() -> None:
    dates = (
        '<activity-date type="1" iso-date="2024-05-01"/><activity-date type="3" iso-date="2023-01-31"/>'
        '<activity-date type="2" iso-date="2024-06-01"/><activity-date type="4" iso-date="2026-06-30"/>'
    )
    got = one("", dates)
    assert got["data"]["plan"]["period"] == {"start": "2024-06-01", "end": "2026-06-30"}
    assert any("before it starts" in n and "(approximated)" in n for n in got["notes"])


def test_a_financial_year_keeps_its_period_both_ways() -> None:
    got = one(period("2024-04-01", "2025-03-31", '<actual value="12"/>'))
    (ind,) = got["data"]["indicators"]
    assert ind["actuals"] == [
        {"value": 12, "date": "2025-03-31", "period": {"start": "2024-04-01", "end": "2025-03-31"}}
    ]
    assert not any("dated at" in n for n in got["notes"])


def quiet_plan() -> model.Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return td.loads(starter_plan(city="Testville"))


STARTER = quiet_plan()

numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e9, 1e9, allow_nan=False).map(lambda f: round(f, 3)))
words = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
dimensions = st.lists(st.builds(model.Dimension, words, words), max_size=2).map(tuple)
locations = st.lists(words.filter(lambda w: " " not in w), max_size=2, unique=True).map(tuple)


@st.composite
def measurements(draw: Any) -> model.Measurement:
    first = draw(days)
    last = draw(st.dates(min_value=first, max_value=dt.date(2041, 12, 31)))
    interval = model.Period(D(first.isoformat()), D(last.isoformat())) if draw(st.booleans()) else None
    date = D(last.isoformat()) if interval is not None else D(str(first.year))
    return model.Measurement(
        draw(numbers),
        date,
        period=interval,
        dimensions=draw(dimensions),
        locations=draw(locations),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(measurements(), min_size=1, max_size=4), st.lists(measurements(), max_size=3))
def test_values_periods_and_slices_survive_an_iati_round_trip(actuals: list[Any], baselines: list[Any]) -> None:
    indicator = attrs.evolve(STARTER.indicators[0], actuals=tuple(actuals), baselines=tuple(baselines))
    plan = attrs.evolve(STARTER, indicators=(indicator, *STARTER.indicators[1:]))
    xml = export(plan, "iati")
    assert isinstance(xml, str)
    result = read_iati(xml.encode("utf-8"), "back.xml")
    back = structure_data(result.data, model.Plan, result.source)
    same = next(i for i in back.indicators if i.id == indicator.id)
    assert same.actuals == indicator.actuals
    assert same.baselines == indicator.baselines
    assert same.baseline == indicator.baseline
