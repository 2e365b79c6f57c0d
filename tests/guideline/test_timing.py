"""Calendar arithmetic and the rules that run on it: VA-1..3 vaccination and LM-1 lab checks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.guideline.dates import add_months, age_in_years, course_day

from .builders import as_json, case, eligible_case

ADA = {"drug": "adalimumab", "start": "2026-01-31", "regimen": "weekly_40"}


# --- calendar months, ages, course days --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-08-31", 2, "2026-10-31"),
        ("2026-08-31", 3, "2026-11-30"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-06-01", -12, "2025-06-01"),
    ],
)
def test_calendar_months_at_month_ends(start: str, months: int, expected: str) -> None:
    assert add_months(date.fromisoformat(start), months).isoformat() == expected


@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-1200, 1200))
def test_calendar_months_land_in_the_right_month_never_past_the_day(start: date, n: int) -> None:
    moved = add_months(start, n)
    assert moved.year * 12 + moved.month == start.year * 12 + start.month + n
    assert moved.day <= start.day
    assert moved.day == start.day or (moved + timedelta(days=1)).day == 1


def test_age_turns_on_the_birthday() -> None:
    born = date(2008, 6, 1)
    assert age_in_years(born, date(2026, 5, 31)) == 17
    assert age_in_years(born, date(2026, 6, 1)) == 18
    assert age_in_years(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_in_years(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_course_day_counts_the_start_as_day_0() -> None:
    assert course_day(date(2026, 1, 5), date(2026, 1, 5)) == 0
    assert course_day(date(2026, 1, 5), date(2026, 3, 23)) == 77


# --- VA-1..3 ------------------------------------------------------------------------------------


def vaccination(**parts: Any) -> dict[str, Any]:
    return as_json(case(**parts))["vaccination"]


def test_va2_due_vaccines_for_a_patient_on_a_biologic() -> None:
    result = vaccination(treatments=[ADA])
    assert result["due"] == ["influenza", "pneumococcal", "dtap_ipv"]
    assert result["on_or_starting_biologic"] is True


@pytest.mark.parametrize(
    ("given_on", "due"), [("2025-06-02", False), ("2025-06-01", True), ("2024-12-01", True)]
)
def test_va2_reading_influenza_due_when_none_in_the_last_12_months(
    given_on: str, due: bool
) -> None:
    doses = [{"vaccine": "influenza", "date": given_on, "live": False}]
    assert ("influenza" in vaccination(treatments=[ADA], vaccinations=doses)["due"]) is due


@pytest.mark.parametrize(("given_on", "due"), [("2016-06-02", False), ("2016-06-01", True)])
def test_va2_reading_pneumococcal_and_boostrix_every_10_years(given_on: str, due: bool) -> None:
    doses = [
        {"vaccine": "pneumococcal", "date": given_on, "live": False},
        {"vaccine": "dtap_ipv", "date": given_on, "live": False},
    ]
    result = vaccination(treatments=[ADA], vaccinations=doses)
    assert ("pneumococcal" in result["due"], "dtap_ipv" in result["due"]) == (due, due)


def test_va2_not_due_without_a_biologic_but_due_when_eligible() -> None:
    assert vaccination()["due"] == []
    assert vaccination()["on_or_starting_biologic"] is False
    eligible = as_json(eligible_case())["vaccination"]
    assert eligible["due"] == ["influenza", "pneumococcal", "dtap_ipv"]


def test_va1_vaccines_at_the_latest_4_weeks_before_a_planned_start() -> None:
    planned = {"drug": "adalimumab", "start": "2026-07-01"}
    result = vaccination(treatments=[planned])
    assert (result["planned_biologic_start"], result["give_by"]) == ("2026-07-01", "2026-06-03")
    assert result["due"] == ["influenza", "pneumococcal", "dtap_ipv"]
    assert result["live_allowed_until"] == "2026-06-03"


def test_va3_reading_earliest_start_is_the_latest_live_vaccine_plus_28_days() -> None:
    doses = [
        {"vaccine": "yellow_fever", "date": "2026-05-10", "live": True},
        {"vaccine": "mmr", "date": "2026-04-01", "live": True},
        {"vaccine": "influenza", "date": "2026-05-20", "live": False},
    ]
    assert vaccination(vaccinations=doses)["earliest_biologic_start"] == "2026-06-07"
    assert vaccination()["earliest_biologic_start"] is None


def test_va3_a_vaccine_of_unknown_kind_leaves_the_earliest_start_open() -> None:
    doses = [
        {"vaccine": "mmr", "date": "2026-04-01", "live": True},
        {"vaccine": "travel", "date": "2026-05-01"},
    ]
    result = vaccination(vaccinations=doses)
    assert result["earliest_biologic_start"] is None
    assert result["missing"] == ["vaccinations[1].live"]
    earlier = [doses[0], {"vaccine": "travel", "date": "2026-03-01"}]
    assert vaccination(vaccinations=earlier)["earliest_biologic_start"] == "2026-04-29"


def test_va3_reading_never_live_vaccines_during_a_biologic() -> None:
    result = vaccination(treatments=[ADA])
    assert (result["live_allowed"], result["live_allowed_from"]) == (False, None)


@pytest.mark.parametrize(
    ("end", "as_of", "allowed_from", "allowed"),
    [
        ("2025-11-30", "2026-02-27", "2026-02-28", False),
        ("2025-11-30", "2026-02-28", "2026-02-28", True),
        ("2026-01-31", "2026-06-01", "2026-04-30", True),
    ],
)
def test_va3_reading_live_vaccines_from_the_end_plus_3_calendar_months(
    end: str, as_of: str, allowed_from: str, allowed: bool
) -> None:
    ended = {"drug": "infliximab", "start": "2025-01-15", "end": end, "stop_reason": "remission"}
    result = vaccination(as_of=as_of, treatments=[ended])
    assert (result["live_allowed_from"], result["live_allowed"]) == (allowed_from, allowed)


# --- LM-1 ---------------------------------------------------------------------------------------


def labs(**parts: Any) -> dict[str, Any]:
    return as_json(case(**parts))["labs"]


def test_lm1_reading_first_check_one_calendar_month_after_the_start() -> None:
    result = labs(as_of="2026-02-20", treatments=[ADA])
    assert (result["window_start"], result["next_due"], result["overdue"]) == (
        "2026-02-28", "2026-02-28", False,
    )  # fmt: skip


def test_lm1_reading_after_a_check_the_window_opens_at_2_and_closes_at_3_months() -> None:
    result = labs(treatments=[ADA], lab_checks=["2026-02-27", "2025-12-31"])
    assert (result["last_check"], result["window_start"], result["next_due"]) == (
        "2026-02-27", "2026-04-27", "2026-05-27",
    )  # fmt: skip
    assert result["overdue"] is True  # as of 2026-06-01


def test_lm1_month_end_check() -> None:
    result = labs(as_of="2026-01-31", treatments=[{**ADA, "start": "2025-10-01"}],
                  lab_checks=["2025-11-30"])  # fmt: skip
    assert (result["window_start"], result["next_due"]) == ("2026-01-30", "2026-02-28")


def test_lm1_checks_before_the_course_do_not_count() -> None:
    result = labs(treatments=[ADA], lab_checks=["2026-01-15"])
    assert result["last_check"] is None
    assert result["next_due"] == "2026-02-28"


def test_lm1_no_checks_without_an_ongoing_biologic() -> None:
    result = labs(lab_checks=["2026-01-15"])
    assert result == {
        "next_due": None,
        "window_start": None,
        "last_check": None,
        "overdue": None,
        "status": None,
    }
