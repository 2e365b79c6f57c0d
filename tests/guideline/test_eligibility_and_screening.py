"""TX-6 eligibility for adalimumab criterion by criterion, and SC-1/SC-2 screening (C4)."""

from __future__ import annotations

from typing import Any

import pytest

from .builders import CLEAR_SCREENING, FAILED_DOXYCYCLINE, as_json, eligible_case, evaluated, visit


def criteria(document: dict[str, Any]) -> dict[str, bool | None]:
    result = evaluated(document).biologic_eligibility
    return {name: c.met for name, c in result.criteria.items()}


def with_visit(**fields: Any) -> dict[str, Any]:
    base = {"nodules": 5, "abscesses": 1, "draining_tunnels": 2, "hurley": 2,
            "inflammatory_activity": "severe", "dlqi": 19}  # fmt: skip
    return eligible_case(assessments=[visit("2026-05-25", **{**base, **fields})])


def test_tx6_all_criteria_met_is_eligible() -> None:
    result = as_json(eligible_case())["biologic_eligibility"]
    assert result["status"] == "eligible"
    assert {k: v["met"] for k, v in result["criteria"].items()} == dict.fromkeys(
        ["C0", "C1", "C2", "C3", "C4"], True
    )
    assert result["missing"] == []


# --- C0 (Reading): a failed tetracycline-class course ---------------------------------------


@pytest.mark.parametrize(
    ("reason", "met"),
    [
        ("inadequate_effect", True),
        ("adverse_effect", True),
        ("inadequate_effect_and_adverse_effect", True),
        ("remission", False),
        ("patient_wish", False),
        (None, None),
    ],
)
def test_tx6_c0_stop_reason_of_a_tetracycline_course(reason: str | None, met: bool | None) -> None:
    course = {**FAILED_DOXYCYCLINE, "stop_reason": reason}
    assert criteria(eligible_case(treatments=[course]))["C0"] is met


@pytest.mark.parametrize("drug", ["tetracycline", "lymecycline", "doxycycline"])
def test_tx6_c0_every_tetracycline_class_drug_counts(drug: str) -> None:
    assert criteria(eligible_case(treatments=[{**FAILED_DOXYCYCLINE, "drug": drug}]))["C0"] is True


def test_tx6_c0_other_antibiotics_and_ongoing_courses_do_not_count() -> None:
    others = [
        {**FAILED_DOXYCYCLINE, "drug": "rifampicin_clindamycin"},
        {"drug": "lymecycline", "start": "2026-04-01"},  # ongoing
        {"drug": "tetracycline", "start": "2026-04-01", "end": "2026-09-01",
         "stop_reason": "adverse_effect"},  # ends after as_of
    ]  # fmt: skip
    assert criteria(eligible_case(treatments=others))["C0"] is False
    assert criteria(eligible_case(treatments=[]))["C0"] is False


def test_tx6_c0_unknown_stop_reason_is_listed_as_missing() -> None:
    document = eligible_case(treatments=[{**FAILED_DOXYCYCLINE, "stop_reason": None}])
    result = evaluated(document).biologic_eligibility
    assert result.status == "insufficient_data"
    assert result.missing == ("treatments[0].stop_reason",)


# --- C1, C2 (Readings) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodules", "hurley", "activity", "c1", "c2"),
    [
        (4, 1, "mild", True, True),  # IHS4 4
        (3, 1, "severe", False, True),  # IHS4 3, Hurley I: C1 no; C2 by activity
        (3, 2, "moderate", True, True),  # Hurley II + moderate activity
        (3, 2, "mild", False, False),
        (3, 3, None, None, None),  # activity decides, unknown
        (3, None, "severe", None, True),
        (3, 1, None, False, None),
        (10, None, None, True, True),
    ],
)
def test_tx6_c1_and_c2_readings(
    nodules: int, hurley: int | None, activity: str | None, c1: bool | None, c2: bool | None
) -> None:
    document = with_visit(
        nodules=nodules, abscesses=0, draining_tunnels=0, hurley=hurley,
        inflammatory_activity=activity,
    )  # fmt: skip
    met = criteria(document)
    assert (met["C1"], met["C2"]) == (c1, c2)


def test_tx6_c2_needs_c0() -> None:
    document = eligible_case(treatments=[])
    met = criteria(document)
    assert (met["C0"], met["C1"], met["C2"]) == (False, True, False)
    assert evaluated(document).biologic_eligibility.status == "not_eligible"


# --- C3 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("dlqi", "met"), [(10, False), (11, True), (30, True), (None, None)])
def test_tx6_c3_dlqi_boundary_10_11(dlqi: int | None, met: bool | None) -> None:
    assert criteria(with_visit(dlqi=dlqi))["C3"] is met


def test_tx6_c3_from_the_latest_assessment_only() -> None:
    document = eligible_case(
        assessments=[visit("2026-01-01", 5, 1, 2, hurley=2, dlqi=25), visit("2026-05-25", 5, 1, 2)]
    )
    result = evaluated(document).biologic_eligibility
    assert result.criteria["C3"].met is None
    assert result.missing == ("assessments[1].dlqi",)


# --- status and what is missing ---------------------------------------------------------------


def test_tx6_unknown_only_matters_where_it_decides() -> None:
    # DLQI 8 decides "not eligible" although C4 is unknown.
    document = with_visit(dlqi=8)
    document["screening"] = {}
    result = evaluated(document).biologic_eligibility
    assert (result.status, result.missing) == ("not_eligible", ())


def test_tx6_missing_lists_exactly_what_would_decide() -> None:
    document = with_visit(dlqi=None, nodules=1, abscesses=0, draining_tunnels=0,
                          inflammatory_activity=None)  # fmt: skip
    document["screening"] = {**CLEAR_SCREENING, "cancer_within_5_years": None}
    result = evaluated(document).biologic_eligibility
    assert result.status == "insufficient_data"
    assert result.missing == (
        "assessments[0].dlqi",
        "screening.cancer_within_5_years",
        "assessments[0].inflammatory_activity",
    )


def test_tx6_no_assessment() -> None:
    result = evaluated(eligible_case(assessments=[])).biologic_eligibility
    assert result.status == "insufficient_data"
    assert "assessments" in result.missing


def test_tx6_explanations_name_each_criterion_and_the_reading() -> None:
    result = as_json(eligible_case())
    texts = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-6"]
    assert texts[0].startswith("C0: met. Reading: doxycycline 2025-08-01 to 2025-11-20 was stopped")
    assert texts[3] == "C3: met. DLQI 19 (≥ 11 required)."
    assert "The clinician decides" in texts[-1]


# --- SC-1, SC-2, C4 ---------------------------------------------------------------------------


def screened(**changes: Any) -> dict[str, Any]:
    return as_json(eligible_case(screening={**CLEAR_SCREENING, **changes}))


def test_sc1_missing_tests_in_guideline_order() -> None:
    result = screened(tests_done=["crp", "hemoglobin", "igra"])["screening"]
    assert result["missing_tests"][:3] == ["leukocytes_differential", "platelets", "alt"]
    assert "crp" not in result["missing_tests"]
    assert len(result["missing_tests"]) == 11
    assert screened()["screening"]["missing_tests"] == []


@pytest.mark.parametrize(
    ("changes", "contraindication"),
    [
        ({"cancer_within_5_years": True}, "cancer_within_5_years"),
        ({"heart_failure_nyha": 3}, "heart_failure_nyha_3_4"),
        ({"heart_failure_nyha": 4}, "heart_failure_nyha_3_4"),
        ({"demyelinating_disease": True}, "demyelinating_disease"),
        ({"tb_symptoms": True}, "tb_referral_open"),
    ],
)
def test_sc2_contraindications_bar_c4(changes: dict[str, Any], contraindication: str) -> None:
    result = screened(**changes)
    assert result["screening"]["contraindications"] == [contraindication]
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is False
    assert result["biologic_eligibility"]["status"] == "not_eligible"


def test_sc2_nyha_2_does_not_bar() -> None:
    assert screened(heart_failure_nyha=2)["biologic_eligibility"]["criteria"]["C4"]["met"] is True


@pytest.mark.parametrize(
    "trigger",
    [{"tb_symptoms": True}, {"tb_exposure": True}, {"tb_treated_before": True},
     {"igra": "positive"}, {"chest_xray": "abnormal"}],
)  # fmt: skip
def test_sc2_each_tb_trigger_requires_a_referral(trigger: dict[str, Any]) -> None:
    result = screened(**trigger)
    assert result["screening"]["referral_required"] is True
    assert result["screening"]["contraindications"] == ["tb_referral_open"]


def test_sc2_reading_a_cleared_referral_no_longer_blocks_c4() -> None:
    result = screened(igra="positive", tb_referral_cleared=True)
    assert result["screening"]["referral_required"] is True
    assert result["screening"]["contraindications"] == []
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is True


def test_sc2_pregnancy_warns_but_never_bars() -> None:
    result = screened(pregnant_or_planning=True)
    assert result["screening"]["warnings"] == ["pregnancy"]
    assert result["screening"]["contraindications"] == []
    assert result["biologic_eligibility"]["status"] == "eligible"


def test_sc2_reading_any_unknown_item_leaves_c4_unknown() -> None:
    result = screened(heart_failure_nyha=None, igra=None)
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is None
    assert result["screening"]["referral_required"] is False
    assert result["biologic_eligibility"]["missing"] == [
        "screening.heart_failure_nyha",
        "screening.igra",
    ]


def test_sc2_a_bar_decides_even_when_other_items_are_unknown() -> None:
    result = as_json(eligible_case(screening={"cancer_within_5_years": True}))
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is False


def test_tx6_texts_name_missing_fields_in_words_the_results_as_paths() -> None:
    document = with_visit(dlqi=None)
    document["screening"] = {**CLEAR_SCREENING, "heart_failure_nyha": None}
    result = as_json(document)
    assert result["biologic_eligibility"]["missing"] == [
        "assessments[0].dlqi",
        "screening.heart_failure_nyha",
    ]
    summary = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-6"][-1]
    assert summary == (
        "The indication cannot be decided until this is recorded: the DLQI, "
        "heart failure (NYHA class)."
    )
