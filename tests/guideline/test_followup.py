"""HISREG's follow-up windows (RG-1 indicators): medical 2.5-5.5 months, surgical 5-8 months."""

from datetime import date, timedelta

import pytest

from hsreg.guideline.followup import followup_kind, in_window, months_between, window

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


def test_rg1_day_76_is_under_2_5_months_and_day_77_over():
    assert months_between(DAY0, DAY0 + timedelta(days=76)) < 2.5
    assert months_between(DAY0, DAY0 + timedelta(days=77)) >= 2.5


def test_rg1_surgical_and_combined_interventions_are_followed_up_at_6_months():
    assert followup_kind(surgical=True) == "surgical"
    assert window("surgical", DAY0).months == 6
    assert window(followup_kind(surgical=False), DAY0).months == 3
