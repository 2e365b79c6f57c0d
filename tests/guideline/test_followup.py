"""HISREG's follow-up windows (RG-1 indicators): medical 2.5-5.5 months, surgical 5-8 months."""

from datetime import date, timedelta
from fractions import Fraction

import pytest

from hsreg.guideline.followup import (
    add_months,
    average_months,
    followup_kind,
    in_indicator_window,
    in_window,
    indicator_window_closes,
    months_between,
    window,
)

DAY0 = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [("medical", 77, 167), ("surgical", 153, 243)],
)
def test_rg1_window_bounds_are_inclusive_and_exact(kind, first, last):
    w = window(kind, DAY0)
    assert (w.opens - DAY0).days == first
    assert (w.closes - DAY0).days == last
    assert not in_window(kind, DAY0, DAY0 + timedelta(days=first - 1))
    assert in_window(kind, DAY0, DAY0 + timedelta(days=first))
    assert in_window(kind, DAY0, DAY0 + timedelta(days=last))
    assert not in_window(kind, DAY0, DAY0 + timedelta(days=last + 1))


def test_rg1_day_76_is_under_2_5_average_months_and_day_77_over():
    assert average_months(DAY0, DAY0 + timedelta(days=76)) < 2.5
    assert average_months(DAY0, DAY0 + timedelta(days=77)) >= 2.5


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        # lubridate::time_length(lubridate::interval(start, end), "month"), worked out from
        # its algorithm (R/intervals.r, R/coercion.r .int_to_period, R/ops-m+.r)
        (date(2021, 1, 31), date(2021, 3, 15), 1 + Fraction(14, 30)),  # 1 Mar..31 Mar
        (date(2021, 1, 15), date(2021, 4, 1), 2 + Fraction(17, 31)),  # 15 Mar..15 Apr
        (date(2021, 1, 31), date(2021, 2, 28), Fraction(28, 29)),  # 31 Jan..1 Mar (rolled)
        (date(2021, 1, 31), date(2021, 3, 1), Fraction(1)),  # 31 Jan + 1 month = 1 March
        (date(2020, 1, 31), date(2020, 2, 29), Fraction(29, 30)),  # leap year: 31 Jan..1 Mar
        (date(2021, 4, 1), date(2021, 6, 16), Fraction(5, 2)),  # 2 + 15/30: exactly 2.5
        (date(2021, 4, 1), date(2021, 9, 16), Fraction(11, 2)),  # 5 + 15/30: exactly 5.5
        (date(2021, 3, 3), date(2021, 3, 3), Fraction(0)),
        (date(2020, 12, 15), date(2021, 1, 14), Fraction(30, 31)),  # across the new year
        (date(2021, 3, 15), date(2021, 1, 15), -2),  # backwards: minus the forward months
    ],
)
def test_months_between_is_lubridates_time_length_in_months(start, end, months):
    assert months_between(start, end) == months


def test_adding_months_rolls_a_missing_day_to_the_first_of_the_next_month():
    assert add_months(date(2021, 1, 31), 1) == date(2021, 3, 1)
    assert add_months(date(2021, 11, 30), 3) == date(2022, 3, 1)
    assert add_months(date(2021, 12, 31), 2) == date(2022, 3, 1)
    assert add_months(date(2021, 10, 31), 2) == date(2021, 12, 31)
    assert add_months(date(2021, 12, 31), -1) == date(2021, 12, 1)


@pytest.mark.parametrize(
    ("kind", "control", "inside"),
    [
        ("medical", date(2021, 6, 16), False),  # exactly 2.5: R's > 2.5 is strict
        ("medical", date(2021, 6, 17), True),
        ("medical", date(2021, 9, 15), True),
        ("medical", date(2021, 9, 16), False),  # exactly 5.5
        ("surgical", date(2021, 9, 1), False),  # exactly 5
        ("surgical", date(2021, 9, 2), True),
        ("surgical", date(2021, 11, 30), True),
        ("surgical", date(2021, 12, 1), False),  # exactly 8
    ],
)
def test_rg1_indicator_windows_are_strict_in_lubridate_months(kind, control, inside):
    assert in_indicator_window(kind, date(2021, 4, 1), control) is inside


@pytest.mark.parametrize(
    ("kind", "intervention", "closes"),
    [
        ("medical", date(2021, 4, 1), date(2021, 9, 15)),
        ("surgical", date(2021, 4, 1), date(2021, 11, 30)),
        ("medical", date(2021, 2, 1), date(2021, 7, 16)),  # 5 + 15/31 < 5.5 < 5 + 16/31
        ("surgical", date(2020, 6, 30), date(2021, 2, 28)),  # 8 months: 30 Feb rolls to 1 Mar
    ],
)
def test_the_indicator_window_closes_on_its_last_day_inside(kind, intervention, closes):
    assert indicator_window_closes(kind, intervention) == closes
    assert in_indicator_window(kind, intervention, closes)
    assert not in_indicator_window(kind, intervention, closes + timedelta(days=1))


def test_rg1_surgical_and_combined_interventions_are_followed_up_at_6_months():
    assert followup_kind(surgical=True) == "surgical"
    assert window("surgical", DAY0).months == 6
    assert window(followup_kind(surgical=False), DAY0).months == 3
