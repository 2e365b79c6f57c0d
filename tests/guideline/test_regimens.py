"""TX-7 adalimumab dosing by age and weight, its calendar, and TX-11 infliximab."""

from __future__ import annotations

from typing import Any

import pytest

from hsreg.guideline.regimens import infliximab_dose_mg, infliximab_weeks

from .builders import as_json, case

ADULT_INDUCTION = [{"week": 0, "dose_mg": 160}, {"week": 2, "dose_mg": 80}]
ADULT_MAINTENANCE = [
    {"start_week": 4, "dose_mg": 40, "every_weeks": 1},
    {"start_week": 4, "dose_mg": 80, "every_weeks": 2},
]


def regimen(birth_date: str, weight_kg: float | None, **parts: Any) -> dict[str, Any]:
    """The regimen on 2026-06-01."""
    document = case(patient={"birth_date": birth_date, "weight_kg": weight_kg}, **parts)
    return as_json(document)["adalimumab_regimen"]


@pytest.mark.parametrize(
    ("birth_date", "weight", "status", "population"),
    [
        ("2008-06-01", 60, "ok", "adult"),  # 18 today
        ("2008-06-02", 60, "ok", "adolescent"),  # 17, one day short of 18
        ("2014-06-01", 30, "ok", "adolescent"),  # 12 today, exactly 30 kg
        ("2014-06-01", 29.9, "not_applicable", None),
        ("2014-06-02", 45, "not_applicable", None),  # 11
        ("2014-06-01", None, "insufficient_data", None),
        ("1950-01-01", None, "ok", "adult"),  # adults: weight not needed
    ],
)
def test_tx7_population_at_age_12_and_18_and_weight_30_kg(
    birth_date: str, weight: float | None, status: str, population: str | None
) -> None:
    result = regimen(birth_date, weight)
    assert (result["status"], result["population"]) == (status, population)


def test_tx7_adult_regimen_lists_both_maintenance_options() -> None:
    result = regimen("1980-01-01", 80)
    assert result["induction"] == ADULT_INDUCTION
    assert result["maintenance"] == ADULT_MAINTENANCE
    assert result["escalation"] == []


def test_tx7_adolescent_regimen_and_its_escalation() -> None:
    result = regimen("2012-01-01", 45)
    assert result["induction"] == [{"week": 0, "dose_mg": 80}]
    assert result["maintenance"] == [{"start_week": 1, "dose_mg": 40, "every_weeks": 2}]
    assert result["escalation"] == [
        {"start_week": 1, "dose_mg": 40, "every_weeks": 1},
        {"start_week": 1, "dose_mg": 80, "every_weeks": 2},
    ]


def test_tx7_reading_no_regimen_is_explained() -> None:
    result = as_json(case(patient={"birth_date": "2016-01-01", "weight_kg": 35}))
    [why] = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-7"]
    assert (
        why
        == "Reading: the guideline gives no adalimumab regimen for patients under 12 years (10)."
    )


def test_tx7_calendar_with_real_dates_for_biweekly_80() -> None:
    course = {"drug": "adalimumab", "start": "2026-05-04", "regimen": "biweekly_80"}
    result = regimen("1980-01-01", 80, treatments=[course])
    calendar = result["calendar"]
    assert calendar[:4] == [
        {"date": "2026-05-04", "week": 0, "dose_mg": 160},
        {"date": "2026-05-18", "week": 2, "dose_mg": 80},
        {"date": "2026-06-01", "week": 4, "dose_mg": 80},
        {"date": "2026-06-15", "week": 6, "dose_mg": 80},
    ]
    assert calendar[-1] == {"date": "2026-10-19", "week": 24, "dose_mg": 80}
    assert result["calendar_start"] == "2026-05-04"


def test_tx7_calendar_weekly_40_and_an_unchosen_maintenance() -> None:
    weekly = {"drug": "adalimumab", "start": "2026-05-04", "regimen": "weekly_40"}
    calendar = regimen("1980-01-01", 80, treatments=[weekly])["calendar"]
    assert [d["week"] for d in calendar] == [0, 2, *range(4, 25)]
    assert {d["dose_mg"] for d in calendar[2:]} == {40}
    unchosen = {"drug": "adalimumab", "start": "2026-05-04"}
    assert [d["week"] for d in regimen("1980-01-01", 80, treatments=[unchosen])["calendar"]] == [
        0,
        2,
    ]


def test_tx7_calendar_for_a_planned_adolescent_course() -> None:
    course = {"drug": "adalimumab", "start": "2026-07-01"}
    calendar = regimen("2012-01-01", 45, treatments=[course])["calendar"]
    assert calendar[:3] == [
        {"date": "2026-07-01", "week": 0, "dose_mg": 80},
        {"date": "2026-07-08", "week": 1, "dose_mg": 40},
        {"date": "2026-07-22", "week": 3, "dose_mg": 40},
    ]


def test_tx7_no_calendar_without_an_ongoing_or_planned_course() -> None:
    ended = {"drug": "adalimumab", "start": "2025-01-01", "end": "2025-12-01",
             "stop_reason": "remission"}  # fmt: skip
    assert regimen("1980-01-01", 80, treatments=[ended])["calendar"] == []


def test_tx11_infliximab_weeks_0_2_6_then_every_8() -> None:
    assert infliximab_weeks(40) == (0, 2, 6, 14, 22, 30, 38)
    assert infliximab_weeks(5) == (0, 2)
    assert infliximab_dose_mg(97) == 485
