"""XB-1, XB-2 (with XB-4 and XB-5): the IL-17 inhibitors as options beyond the NFDV guideline
(2019), for an adult eligible by TX-6 or whose TNF-α inhibitor was stopped for inadequate or
adverse effect; never inside TX-12's `recommendation.options`."""

from __future__ import annotations

from typing import Any

import pytest

from hsreg.guideline import evaluate

from .builders import as_json, case, eligible_case, texts


def options(document: dict[str, Any]) -> list[tuple[str, tuple[str, ...], str]]:
    result = evaluate(document).beyond_guideline
    return [(o.drug, o.rule_ids, o.funding_status) for o in result.options]


BOTH = [
    ("secukinumab", ("XB-1", "XB-5"), "not_approved"),
    ("bimekizumab", ("XB-2", "XB-5"), "not_approved"),
]


def test_xb1_xb2_an_eligible_adult_is_offered_both_never_in_the_recommendation() -> None:
    evaluation = evaluate(eligible_case())
    assert options(eligible_case()) == BOTH
    assert evaluation.recommendation.options == ("adalimumab", "surgery")
    assert not {"secukinumab", "bimekizumab"} & set(evaluation.recommendation.options)


@pytest.mark.parametrize(("birth_date", "offered"), [("2008-06-02", False),  # 17 on 2026-06-01
                                                     ("2008-06-01", True)])  # 18  # fmt: skip
def test_xb1_xb2_adults_only_age_17_18(birth_date: str, offered: bool) -> None:
    document = eligible_case()
    document["patient"]["birth_date"] = birth_date
    assert options(document) == (BOTH if offered else [])


def stopped(drug: str, reason: str) -> dict[str, Any]:
    """An adult, not eligible by TX-6 (no assessment), whose ``drug`` stopped for ``reason``."""
    return case(treatments=[{"drug": drug, "start": "2025-01-01", "end": "2025-09-01",
                             "stop_reason": reason, **({"regimen": "weekly_40"}
                                                       if drug == "adalimumab" else {})}])  # fmt: skip


@pytest.mark.parametrize("drug", ["adalimumab", "infliximab"])
@pytest.mark.parametrize(
    "reason", ["inadequate_effect", "adverse_effect", "inadequate_effect_and_adverse_effect"]
)
def test_xb1_xb2_after_a_tnf_inhibitor_stopped_for_inadequate_or_adverse_effect(
    drug: str, reason: str
) -> None:
    document = stopped(drug, reason)
    assert evaluate(document).biologic_eligibility.status != "eligible"
    assert options(document) == BOTH


@pytest.mark.parametrize("reason", ["remission", "surgery", "patient_wish", "other"])
def test_xb1_xb2_not_after_a_tnf_inhibitor_stopped_for_another_reason(reason: str) -> None:
    assert options(stopped("adalimumab", reason)) == []


def test_xb1_xb2_none_when_not_eligible_and_no_tnf_inhibitor_failed() -> None:
    assert options(case()) == []


def test_xb4_ibd_adds_the_warning_to_each_option() -> None:
    document = eligible_case()
    document["patient"]["comorbidities"] = ["ibd"]
    assert [o[1] for o in options(document)] == [("XB-1", "XB-5", "XB-4"), ("XB-2", "XB-5", "XB-4")]
    option = evaluate(document).beyond_guideline.options[0]
    assert "inflammatory bowel disease may worsen" in option.text.en


def test_xb1_xb2_the_drug_already_taken_is_not_offered_again() -> None:
    document = eligible_case(
        treatments=[
            {"drug": "doxycycline", "start": "2025-08-01", "end": "2025-11-20",
             "stop_reason": "inadequate_effect"},
            {"drug": "bimekizumab", "start": "2026-05-01"},
        ]
    )  # fmt: skip
    assert [o[0] for o in options(document)] == ["secukinumab"]


def test_xb1_xb2_xb5_texts_say_beyond_the_guideline_with_their_source() -> None:
    result = as_json(eligible_case())
    (secukinumab,) = texts(result, "XB-1", "beyond_guideline")
    (bimekizumab,) = texts(result, "XB-2", "beyond_guideline")
    assert secukinumab.startswith("Beyond the NFDV guideline (2019): Secukinumab (XB-1; EU")
    assert "SUNSHINE/SUNRISE, Lancet 2023" in secukinumab
    assert "BE HEARD I/II, Lancet 2024" in bimekizumab
    assert "the indication for a biologic is met (TX-6)" in bimekizumab
    assert "Funding (XB-5, beyond the NFDV guideline (2019); Nye metoder" in bimekizumab
    assert "not approved for HS" in bimekizumab
    assert result["beyond_guideline"]["options"][0] == {
        "drug": "secukinumab",
        "rule_ids": ["XB-1", "XB-5"],
        "funding_status": "not_approved",
        "text": secukinumab,
    }
    nb = as_json(eligible_case(), "nb")["beyond_guideline"]["options"][1]["text"]
    assert nb.startswith("Utover NFDV-retningslinjen (2019): Bimekizumab (XB-2; EU-godkjent")


def test_xb1_xb2_no_options_means_no_explanations() -> None:
    result = as_json(case())
    assert result["beyond_guideline"] == {"options": []}
    assert texts(result, "XB-1") == texts(result, "XB-2") == []
