"""DX-1 diagnosis (with XS-6) and ST-1..3 staging of the latest assessment."""

from __future__ import annotations

import pytest

from hsreg.guideline.case import REGIONS
from hsreg.guideline.staging import HURLEY_STAGES, LESION_DEFINITIONS, REGION_NAMES

from .builders import as_json, case, evaluated, texts, visit


def _diagnosis(lesions: bool | None, location: bool | None, course: bool | None) -> dict:
    return {"typical_lesions": lesions, "typical_location": location, "chronic_relapsing": course}


def test_dx1_all_three_criteria_confirm() -> None:
    result = evaluated(case(diagnosis=_diagnosis(True, True, True))).diagnosis
    assert result.status == "confirmed"
    assert result.missing == ()


@pytest.mark.parametrize("unmet", range(3))
def test_dx1_one_criterion_not_met_is_not_confirmed(unmet: int) -> None:
    answers = [True, True, True]
    answers[unmet] = False
    assert evaluated(case(diagnosis=_diagnosis(*answers))).diagnosis.status == "not_confirmed"


@pytest.mark.parametrize("unanswered", range(3))
def test_dx1_any_criterion_unanswered_is_insufficient_data_never_confirmed(unanswered: int) -> None:
    answers: list[bool | None] = [True, True, True]
    answers[unanswered] = None
    result = evaluated(case(diagnosis=_diagnosis(*answers))).diagnosis
    assert result.status == "insufficient_data"
    names = ["typical_lesions", "typical_location", "chronic_relapsing"]
    assert result.missing == (f"diagnosis.{names[unanswered]}",)


def test_dx1_unanswered_wins_over_not_met_as_the_rule_says() -> None:
    """DX-1: "Any criterion unanswered → insufficient_data" — the text still names what is
    already not met."""
    result = as_json(case(diagnosis=_diagnosis(False, None, True)))
    assert result["diagnosis"]["status"] == "insufficient_data"
    [why] = texts(result, "DX-1", "diagnosis")
    assert "Already not met: typical lesions" in why


def test_dx1_no_diagnosis_section_is_insufficient_data() -> None:
    document = case()
    del document["diagnosis"]
    assert evaluated(document).diagnosis.status == "insufficient_data"


def test_xs6_recurrence_follows_the_nfdv_text_at_least_two_lesions_in_6_months() -> None:
    from hsreg.guideline.diagnosis import CRITERIA

    assert "at least two inflammatory lesions within 6 months" in CRITERIA["chronic_relapsing"].en
    assert "XS-6" in CRITERIA["chronic_relapsing"].en


def test_st2_staging_uses_the_latest_assessment_whatever_the_document_order() -> None:
    document = case(
        assessments=[visit("2026-03-01", 1, 0, 0, hurley=1), visit("2026-01-01", 9, 9, 9)]
    )
    staging = evaluated(document).staging
    assert str(staging.date) == "2026-03-01"
    assert (staging.ihs4.score, staging.ihs4.category, staging.an_count) == (1, "mild", 1)


def test_st2_explanation_shows_the_sum() -> None:
    result = as_json(case(assessments=[visit("2026-05-01", 5, 1, 2)]))
    [why] = texts(result, "ST-2")
    assert "nodules 5 × 1 + abscesses 1 × 2 + draining tunnels 2 × 4 = 15: severe" in why


def test_st1_hurley_is_the_worst_region_and_totals_are_derived() -> None:
    regions = [
        {"region": "axilla_left", "nodules": 2, "abscesses": 1, "draining_tunnels": 0, "hurley": 1},
        {"region": "groin_right", "nodules": 3, "abscesses": 0, "draining_tunnels": 1, "hurley": 3},
        {"region": "perianal", "nodules": 0, "abscesses": 2, "draining_tunnels": 0},
    ]
    result = as_json(case(assessments=[{"date": "2026-05-01", "regions": regions}]))
    staging = result["staging"]
    assert (staging["nodules"], staging["abscesses"], staging["draining_tunnels"]) == (5, 3, 1)
    assert staging["hurley"] == 3
    assert staging["ihs4"]["score"] == 5 + 6 + 4
    [why] = texts(result, "ST-1")
    assert "worst region (right groin)" in why


def test_st1_and_st2_both_are_asked_for_at_every_assessment() -> None:
    result = as_json(case(assessments=[visit("2026-05-01", 1, 1, 0)]))
    [why] = texts(result, "ST-1")
    assert "asks for both Hurley and IHS4" in why


def test_st1_hurley_stages_are_described_for_the_forms() -> None:
    assert set(HURLEY_STAGES) == {1, 2, 3}
    assert "No tunnels or scarring" in HURLEY_STAGES[1].en
    assert "marked hypertrophic scarring" in HURLEY_STAGES[3].en


def test_st3_lesion_definitions_are_given_for_each_count() -> None:
    assert set(LESION_DEFINITIONS) == {"nodules", "abscesses", "draining_tunnels"}
    assert "smaller than 2 cm" in LESION_DEFINITIONS["nodules"].en
    assert "larger than 2 cm" in LESION_DEFINITIONS["abscesses"].en
    assert "longer than 2 cm" in LESION_DEFINITIONS["draining_tunnels"].en
    assert "mindre enn 2 cm" in LESION_DEFINITIONS["nodules"].nb


def test_st1_every_region_of_the_case_document_has_a_name() -> None:
    assert tuple(REGION_NAMES) == REGIONS


def test_xs3_sartorius_of_the_latest_assessment() -> None:
    regions = [
        {
            "region": "axilla_right",
            "nodules": 2,
            "abscesses": 0,
            "draining_tunnels": 1,
            "longest_distance_cm": 6,
            "separated_by_normal_skin": True,
        },
        {"region": "other", "nodules": 0, "abscesses": 0, "draining_tunnels": 0},
    ]
    staging = evaluated(case(assessments=[{"date": "2026-05-01", "regions": regions}])).staging
    assert staging.sartorius == 3 + 2 + 6 + 3


def test_no_assessment_leaves_staging_unknown() -> None:
    staging = as_json(case())["staging"]
    assert staging["ihs4"] == {"score": None, "category": None}
    assert staging["hurley"] is None
