"""XB-3: the week-16 response decision on an IL-17 inhibitor (secukinumab, bimekizumab), beyond
the NFDV guideline (2019); TX-9's week 12 stays adalimumab's and infliximab's."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hsreg.guideline.response import WEEK_16_DUE_DAY, WEEK_16_FROM_DAY

from .builders import as_json, case, evaluated, texts, visit

START = date(2026, 1, 5)


def day(n: int) -> str:
    """The date of day ``n`` of the course (the start is day 0)."""
    return (START + timedelta(days=n)).isoformat()


def on_il17(
    *visits: dict[str, Any], drug: str = "bimekizumab", as_of: str | None = None
) -> dict[str, Any]:
    """An adult on an IL-17 inhibitor from START; baseline on the start date: AN 100 (90
    nodules, 10 abscesses), 5 tunnels, DLQI 20."""
    baseline = visit(day(0), 90, 10, 5, dlqi=20)
    latest = max([day(0), *(v["date"] for v in visits)])
    return case(
        as_of=as_of or latest,
        assessments=[baseline, *visits],
        treatments=[{"drug": drug, "start": day(0)}],
    )


def test_xb3_constants_day_105_opens_day_112_is_due() -> None:
    assert (WEEK_16_FROM_DAY, WEEK_16_DUE_DAY) == (105, 112)


@pytest.mark.parametrize("drug", ["bimekizumab", "secukinumab"])
def test_xb3_day_104_is_not_due_day_105_is_the_week_16_evaluation(drug: str) -> None:
    early = evaluated(on_il17(visit(day(104), 10, 0, 0, dlqi=2), drug=drug)).response
    assert (early.decision, early.assessment_week, early.evaluation) == ("not_due", 16, None)
    assert early.next_evaluation_from == START + timedelta(days=105)
    assert early.next_evaluation_due == START + timedelta(days=112)
    assert early.evaluation_status == "not_yet"  # as_of is day 104 too
    on_time = evaluated(on_il17(visit(day(105), 10, 0, 0, dlqi=2), drug=drug)).response
    assert (on_time.decision, on_time.assessment_week) == ("continue", 16)
    assert (on_time.evaluation, on_time.day, on_time.week) == ("week_16", 105, 15)


def test_xb3_not_due_status_before_opening_and_overdue_after_day_112() -> None:
    before = evaluated(on_il17(as_of=day(100))).response
    assert (before.decision, before.evaluation_status) == ("not_due", "not_yet")
    due = evaluated(on_il17(as_of=day(112))).response
    assert due.evaluation_status == "due"
    overdue = evaluated(on_il17(as_of=day(113))).response
    assert (overdue.decision, overdue.evaluation_status) == ("not_due", "overdue")


def test_xb3_hiscr_and_dlqi_fall_4_continue_fall_3_is_clinical_judgement() -> None:
    fall_4 = evaluated(on_il17(visit(day(110), 40, 0, 5, dlqi=16))).response
    assert (fall_4.decision, fall_4.hiscr_achieved, fall_4.dlqi_fall) == ("continue", True, 4)
    fall_3 = as_json(on_il17(visit(day(110), 40, 0, 5, dlqi=17)))
    assert fall_3["response"]["decision"] == "clinical_judgement"
    (text,) = texts(fall_3, "XB-3", "response")
    assert "Reached: AN reduced and HiSCR; not reached: DLQI fall ≥ 4." in text


def test_xb3_an_not_reduced_at_all_is_stop_consider_stopping() -> None:
    same = as_json(on_il17(visit(day(110), 90, 10, 5, dlqi=2)))
    assert (same["response"]["decision"], same["response"]["an_reduction_pct"]) == ("stop", 0.0)
    (text,) = texts(same, "XB-3", "response")
    assert "consider stopping" in text
    worse = evaluated(on_il17(visit(day(110), 95, 10, 5, dlqi=25))).response
    assert worse.decision == "stop"
    one_fewer = evaluated(on_il17(visit(day(110), 89, 10, 5, dlqi=25))).response
    assert one_fewer.decision == "clinical_judgement"


def test_xb3_partial_response_is_clinical_judgement_never_an_extension() -> None:
    """AN reduced 25–49 % extends adalimumab by 12 weeks (TX-9); XB-3 has no extension."""
    partial = as_json(on_il17(visit(day(110), 60, 0, 5, dlqi=10)))
    assert partial["response"]["decision"] == "clinical_judgement"
    (text,) = texts(partial, "XB-3", "response")
    assert "Reached: AN reduced and DLQI fall ≥ 4; not reached: HiSCR." in text


def test_xb3_missing_dlqi_and_missing_baseline_are_insufficient_data() -> None:
    no_dlqi = evaluated(on_il17(visit(day(110), 10, 0, 0))).response
    assert (no_dlqi.decision, no_dlqi.missing) == ("insufficient_data", ("assessments[1].dlqi",))
    document = on_il17(visit(day(110), 10, 0, 0, dlqi=2))
    document["assessments"] = document["assessments"][1:]
    no_baseline = evaluated(document).response
    assert (no_baseline.decision, no_baseline.missing) == ("insufficient_data", ("assessments",))


def test_xb3_without_dlqi_and_without_hiscr_names_what_is_unknown() -> None:
    result = as_json(on_il17(visit(day(110), 60, 0, 5)))
    assert result["response"]["decision"] == "clinical_judgement"
    (text,) = texts(result, "XB-3", "response")
    assert "not reached: HiSCR. The DLQI is not recorded." in text


def test_xb3_the_latest_assessment_from_day_105_decides() -> None:
    document = on_il17(visit(day(106), 90, 10, 5, dlqi=20), visit(day(140), 10, 0, 0, dlqi=2))
    response = evaluated(document).response
    assert (response.decision, response.day) == ("continue", 140)


def test_xb3_texts_say_beyond_the_guideline_with_their_source_in_both_languages() -> None:
    for document in (on_il17(), on_il17(visit(day(110), 10, 0, 0, dlqi=2))):
        (en,) = texts(as_json(document, "en"), "XB-3", "response")
        (nb,) = texts(as_json(document, "nb"), "XB-3", "response")
        assert "Beyond the NFDV guideline (2019)" in en
        assert "summaries of product characteristics" in en
        assert "Utover NFDV-retningslinjen (2019)" in nb
        assert "preparatomtalene" in nb
        assert texts(as_json(document), "TX-9") == []


def test_xb3_tx9_keeps_week_12_for_tnf_inhibitors_and_none_without_a_biologic() -> None:
    adalimumab = on_il17(visit(day(80), 10, 0, 0, dlqi=2), drug="adalimumab")
    response = evaluated(adalimumab).response
    assert (response.decision, response.assessment_week, response.evaluation) == (
        "continue",
        12,
        "week_12",
    )
    assert evaluated(case()).response.assessment_week is None


@settings(max_examples=60, deadline=None)
@given(
    an=st.integers(min_value=0, max_value=150),
    dlqi=st.integers(min_value=0, max_value=30),
    on_day=st.integers(min_value=105, max_value=300),
)
def test_xb3_property_an_il17_course_is_never_extended(an: int, dlqi: int, on_day: int) -> None:
    response = evaluated(on_il17(visit(day(on_day), an, 0, 0, dlqi=dlqi))).response
    assert response.decision in ("continue", "stop", "clinical_judgement")
    assert response.assessment_week == 16
    assert (response.decision == "stop") is (an >= 100)


def test_xb3_tx12_continues_an_il17_course_by_xb3() -> None:
    result = as_json(on_il17(visit(day(110), 10, 0, 0, dlqi=2)))
    assert result["recommendation"]["options"] == ["bimekizumab"]
    (why,) = texts(result, "TX-12")
    assert why.endswith("does not say stop: continue by XB-3.")
    adalimumab = as_json(on_il17(visit(day(80), 10, 0, 0, dlqi=2), drug="adalimumab"))
    assert texts(adalimumab, "TX-12")[0].endswith("continue by TX-9.")
