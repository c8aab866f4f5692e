"""Monitoring over disaggregated values (IATI dimensions and locations)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from techdiversity import monitoring
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
