"""TX-6 Readings (C0 and the medical history; current activity), the VA Readings (no deadline
in the past; non-live vaccines during treatment), TX-9's overdue evaluation and the one
overdue / due / not yet function (guideline.status)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from hsreg.guideline.status import due_status

from .builders import AS_OF, as_json, case, eligible_case, visit

TODAY = date.fromisoformat(AS_OF)  # 2026-06-01


def explanation_texts(result: dict[str, Any], rule_id: str) -> list[str]:
    return [e["text"] for e in result["explanations"] if e["rule_id"] == rule_id]


# --- TX-6 Reading (C0 and the medical history) --------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "met"),
    [
        ("more_than_3_months", None),
        ("less_than_3_months", None),
        ("last_2_weeks", None),
        ("no", False),
        (None, False),
    ],
)
def test_tx6_c0_reading_earlier_antibiotics_in_the_history_make_c0_unknown_not_unmet(
    reported: str | None, met: bool | None
) -> None:
    history = {} if reported is None else {"earlier_systemic_antibiotics": reported}
    result = as_json(eligible_case(treatments=[], medical_history=history))
    c0 = result["biologic_eligibility"]["criteria"]["C0"]
    assert c0["met"] is met
    if met is None:
        assert c0["missing"] == ["treatments"]
        assert result["biologic_eligibility"]["status"] == "insufficient_data"
        assert "register the earlier course with why it was stopped" in c0["reason"]
        assert c0["reason"].startswith("Reading: ")
        summary = explanation_texts(result, "TX-6")[-1]
        assert "the earlier antibiotic course, with why it was stopped" in summary
    else:
        assert result["biologic_eligibility"]["status"] == "not_eligible"


def test_tx6_c0_reading_a_registered_tetracycline_course_decides_whatever_the_history() -> None:
    history = {"earlier_systemic_antibiotics": "more_than_3_months"}
    result = as_json(eligible_case(medical_history=history))
    assert result["biologic_eligibility"]["criteria"]["C0"]["met"] is True
    remission = {"drug": "doxycycline", "start": "2025-08-01", "end": "2025-11-20",
                 "stop_reason": "remission"}  # fmt: skip
    result = as_json(eligible_case(treatments=[remission], medical_history=history))
    assert result["biologic_eligibility"]["criteria"]["C0"]["met"] is False


def test_tx6_c0_reading_in_norwegian_too() -> None:
    history = {"earlier_systemic_antibiotics": "less_than_3_months"}
    result = as_json(eligible_case(treatments=[], medical_history=history), "nb")
    reason = result["biologic_eligibility"]["criteria"]["C0"]["reason"]
    assert reason.startswith("Tolkning: ")
    assert "registrer den tidligere kuren" in reason


# --- TX-6 Reading (current activity) ------------------------------------------------------------


@pytest.mark.parametrize(("days", "warned"), [(92, False), (93, True)])
def test_tx6_reading_current_activity_day_92_no_warning_day_93_warning(
    days: int, warned: bool
) -> None:
    assessed = (TODAY - timedelta(days=days)).isoformat()
    document = eligible_case(
        assessments=[visit(assessed, 5, 1, 2, hurley=2, inflammatory_activity="severe", dlqi=19)]
    )
    result = as_json(document)
    eligibility = result["biologic_eligibility"]
    assert eligibility["status"] == "eligible"  # the status stands
    assert eligibility["assessment_date"] == assessed
    assert eligibility["warnings"] == (["assessment_over_92_days_old"] if warned else [])
    warning = [t for t in explanation_texts(result, "TX-6") if "days old" in t]
    assert bool(warning) is warned
    if warned:
        assert assessed in warning[0]
        nb = as_json(document, "nb")
        day = date.fromisoformat(assessed)
        assert any(f"{day:%d.%m.%Y}" in t for t in explanation_texts(nb, "TX-6"))


def test_tx6_reading_current_activity_no_assessment_no_warning() -> None:
    result = as_json(case())["biologic_eligibility"]
    assert (result["warnings"], result["assessment_date"]) == ([], None)


# --- VA Readings: no deadline in the past, non-live vaccines during treatment -------------------


def vaccination(start: str) -> dict[str, Any]:
    document = case(treatments=[{"drug": "adalimumab", "start": start}])
    return as_json(document)


@pytest.mark.parametrize(
    ("start", "give_by", "passed"),
    [
        ("2026-06-29", "2026-06-01", False),  # exactly 4 weeks: the deadline is today
        ("2026-06-28", None, True),  # closer than 4 weeks: no date in the past
        ("2026-06-02", None, True),
    ],
)
def test_va1_reading_a_start_closer_than_4_weeks_shows_no_deadline_in_the_past(
    start: str, give_by: str | None, passed: bool
) -> None:
    result = vaccination(start)
    va = result["vaccination"]
    assert (va["give_by"], va["live_deadline_passed"]) == (give_by, passed)
    assert va["live_allowed_until"] == give_by
    texts = explanation_texts(result, "VA-1")
    assert len(texts) == 1
    assert "live" in texts[0]
    assert "during the treatment (VA-3)" in texts[0]
    if passed:
        assert "closer than 4 weeks" in texts[0]
        assert "not delayed" in texts[0]
        assert "2026-05" not in texts[0]  # no deadline date before as_of
        assert va["live_allowed"] is False


def test_va3_reading_due_non_live_vaccines_may_be_given_during_treatment() -> None:
    result = vaccination("2026-06-10")
    va = result["vaccination"]
    assert va["may_be_given_during_treatment"] == ["influenza", "pneumococcal", "dtap_ipv"]
    texts = explanation_texts(result, "VA-3")
    assert "The vaccines due are non-live and may be given during a biologic." in texts
    nb = as_json(case(treatments=[{"drug": "adalimumab", "start": "2026-06-10"}]), "nb")
    assert any("ikke-levende og kan gis under" in t for t in explanation_texts(nb, "VA-3"))
    # each vaccine due is named once in the explanations (by VA-2)
    named = [t for t in result["explanations"] if "influenza vaccine (yearly)" in t["text"]]
    assert [t["rule_id"] for t in named] == ["VA-2"]


def test_va3_nothing_due_nothing_listed() -> None:
    assert as_json(case())["vaccination"]["may_be_given_during_treatment"] == []


# --- one status: overdue / due / not yet --------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-03-09", "not_yet"),
        ("2026-03-10", "due"),
        ("2026-03-17", "due"),
        ("2026-03-18", "overdue"),
    ],
)
def test_due_status_boundaries(today: str, expected: str) -> None:
    opens, due = date(2026, 3, 10), date(2026, 3, 17)
    assert due_status(date.fromisoformat(today), due_on=due, opens_on=opens) == expected


def test_due_status_without_a_deadline_is_never_overdue() -> None:
    assert due_status(date(2030, 1, 1), due_on=None, opens_on=date(2026, 1, 1)) == "due"
    assert due_status(date(2025, 1, 1), due_on=None, opens_on=date(2026, 1, 1)) == "not_yet"
    assert due_status(date(2026, 1, 1), due_on=date(2026, 1, 1)) == "due"


@pytest.mark.parametrize(
    ("days", "status"),
    [(76, "not_yet"), (77, "due"), (84, "due"), (85, "overdue")],
)
def test_tx9_reading_week_12_evaluation_overdue_once_week_12_passed(days: int, status: str) -> None:
    start = (TODAY - timedelta(days=days)).isoformat()
    result = as_json(case(treatments=[{"drug": "adalimumab", "start": start}]))
    response = result["response"]
    assert response["decision"] == "not_due"
    assert response["evaluation_status"] == status
    assert response["next_evaluation_due"] == (TODAY - timedelta(days=days - 84)).isoformat()
    (text,) = explanation_texts(result, "TX-9")
    assert text.endswith({"not_yet": "not yet due.", "due": "due.", "overdue": "overdue."}[status])


@pytest.mark.parametrize(("days", "status"), [(168, "due"), (169, "overdue")])
def test_tx9_week_24_evaluation_after_an_extension(days: int, status: str) -> None:
    start = TODAY - timedelta(days=days)
    assessments = [
        visit((start - timedelta(days=1)).isoformat(), 8, 2, 1, dlqi=20),
        visit((start + timedelta(days=84)).isoformat(), 5, 2, 1, dlqi=18),
    ]
    treatments = [{"drug": "adalimumab", "start": start.isoformat()}]
    response = as_json(case(assessments=assessments, treatments=treatments))["response"]
    assert response["decision"] == "extend_12_weeks"
    assert response["next_evaluation_due"] == (start + timedelta(days=168)).isoformat()
    assert response["evaluation_status"] == status


def test_lm1_labs_carry_the_same_status() -> None:
    ada = {"drug": "adalimumab", "start": "2026-01-31"}
    assert as_json(case(treatments=[ada]))["labs"]["status"] == "overdue"
    started = {"drug": "adalimumab", "start": "2026-05-20"}
    assert as_json(case(treatments=[started]))["labs"]["status"] == "not_yet"


def test_tx12_with_c0_unknown_from_the_history_says_so_instead_of_a_failed_first_line() -> None:
    history = {"earlier_systemic_antibiotics": "more_than_3_months"}
    document = eligible_case(
        treatments=[],
        medical_history=history,
        assessments=[
            visit("2026-05-25", 5, 1, 2, hurley=2, inflammatory_activity="severe", dlqi=4)
        ],
    )
    result = as_json(document)
    assert result["biologic_eligibility"]["status"] == "not_eligible"  # C3 decides
    (why,) = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-12"]
    assert "whether a first-line course has failed (C0) is unknown" in why
    assert "a first-line course has failed, but" not in why


def test_tx6_sc2_each_missing_history_item_is_named_once_in_the_explanations() -> None:
    result = as_json(eligible_case(screening={}))
    assert result["biologic_eligibility"]["status"] == "insufficient_data"
    for label in ("cancer within 5 years", "heart failure (NYHA class)", "the IGRA result"):
        named = [e for e in result["explanations"] if label in e["text"]]
        assert [e["rule_id"] for e in named] == ["TX-6"], label
    c4 = result["biologic_eligibility"]["criteria"]["C4"]
    assert c4["reason"] == (
        "Reading: the history before a biologic is incomplete: 8 items not recorded (SC-2)."
    )
    assert len(c4["missing"]) == 8
