"""TX-12, the next step, with the advice of TX-1..5, 8, 10, 11, SU-1 and AD-1; and the drug
catalog the options come from."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hsreg.guideline import DRUGS, RULES
from hsreg.guideline.catalog import describe

from .builders import CLEAR_SCREENING, FAILED_DOXYCYCLINE, as_json, case, eligible_case, visit


def recommendation(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = as_json(document)["recommendation"]
    return result


def advice(document: dict[str, Any], rule_id: str) -> list[str]:
    return [a["text"] for a in recommendation(document)["advice"] if a["rule_id"] == rule_id]


def test_tx12_adalimumab_stopped_for_inadequate_effect_leads_to_third_line() -> None:
    stopped = {"drug": "adalimumab", "start": "2025-01-01", "end": "2025-07-01",
               "stop_reason": "inadequate_effect"}  # fmt: skip
    result = recommendation(eligible_case(treatments=[FAILED_DOXYCYCLINE, stopped]))
    assert result["line"] == "third"
    assert result["options"] == [
        "infliximab", "rifampicin_clindamycin", "acitretin", "ciclosporin", "surgery",
    ]  # fmt: skip


def test_tx12_a_stop_decision_leads_to_third_line_with_the_infliximab_dose() -> None:
    document = case(
        patient={"birth_date": "1980-01-01", "weight_kg": 97},
        assessments=[visit("2026-01-05", 10, 0, 0, dlqi=20), visit("2026-04-01", 9, 0, 0, dlqi=19)],
        treatments=[{"drug": "adalimumab", "start": "2026-01-05"}],
    )
    assert recommendation(document)["line"] == "third"
    [tx11] = advice(document, "TX-11")
    assert "Infliximab 5 mg/kg (485 mg at 97 kg) IV at weeks 0, 2 and 6, then every 8 weeks" in tx11


def test_tx12_eligible_leads_to_adalimumab_with_tx8_advice() -> None:
    document = eligible_case()
    result = recommendation(document)
    assert (result["line"], result["options"]) == ("second", ["adalimumab", "surgery"])
    assert "Daily antiseptic wash" in advice(document, "TX-8")[0]


def test_tx12_on_adalimumab_continues_and_tx10_advises_at_least_a_year() -> None:
    document = case(
        assessments=[visit("2026-01-05", 10, 2, 1, dlqi=20), visit("2026-04-01", 2, 0, 0, dlqi=3)],
        treatments=[FAILED_DOXYCYCLINE, {"drug": "adalimumab", "start": "2026-01-05"}],
    )
    assert recommendation(document)["options"] == ["adalimumab"]
    assert (
        "continue at least one year before stopping is considered" in advice(document, "TX-10")[0]
    )


@pytest.mark.parametrize(
    ("counts", "hurley", "line", "options"),
    [
        ((3, 0, 0), 1, "local", ["clindamycin_topical", "triamcinolone_intralesional"]),
        ((1, 1, 0), None, "local", ["clindamycin_topical", "triamcinolone_intralesional"]),
        ((4, 0, 0), 1, "first", ["tetracycline", "lymecycline", "doxycycline"]),
        ((1, 0, 0), 2, "first", ["tetracycline", "lymecycline", "doxycycline", "surgery"]),
    ],
)
def test_tx12_without_a_failed_first_line_course(
    counts: tuple[int, int, int], hurley: int | None, line: str, options: list[str]
) -> None:
    document = case(assessments=[visit("2026-05-01", *counts, hurley=hurley, dlqi=15)])
    result = recommendation(document)
    assert (result["line"], result["options"]) == (line, options)


def test_tx1_tx2_tx3_local_treatment_advice() -> None:
    document = case(assessments=[visit("2026-05-01", 2, 0, 0, hurley=1)])
    assert advice(document, "TX-1") == ["Mild HS is treated mainly topically or surgically."]
    assert "Twice daily for 12 weeks" in advice(document, "TX-2")[0]
    assert "0.1–0.5 ml per lesion" in advice(document, "TX-3")[0]


def test_tx4_tetracycline_dosing_and_alternatives() -> None:
    document = case(assessments=[visit("2026-05-01", 6, 0, 0, hurley=1)])
    tx4 = advice(document, "TX-4")
    assert tx4[0] == "Tetracycline: 500 mg twice daily for 3–4 months."
    assert "lymecycline 300 mg twice daily, doxycycline 100 mg twice daily" in tx4[1]


def test_tx12_failed_first_line_but_not_eligible_leaves_the_clinician_to_decide() -> None:
    document = eligible_case(assessments=[visit("2026-05-25", 5, 1, 2, hurley=2, dlqi=6)])
    result = as_json(document)
    assert (result["recommendation"]["line"], result["recommendation"]["options"]) == (
        None, ["surgery"],
    )  # fmt: skip
    [why] = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-12"]
    assert "(C3 not met); TX-12 gives no next step, the clinician decides." in why


def test_su1_surgery_advice_at_hurley_ii_and_iii_and_tx5_at_iii() -> None:
    document = case(assessments=[visit("2026-05-01", 3, 1, 2, hurley=3)])
    [su1] = advice(document, "SU-1")
    assert "should be considered for most patients with Hurley II–III" in su1
    assert "incision and drainage is discouraged" in su1
    assert "Deroofing" in su1
    assert "combine medical treatment with surgery" in advice(document, "TX-5")[0]
    mild = case(assessments=[visit("2026-05-01", 1, 0, 0, hurley=1)])
    assert "surgery" not in recommendation(mild)["options"]
    assert "incision and drainage is discouraged" in advice(mild, "SU-1")[0]
    assert advice(mild, "TX-5") == []


@pytest.mark.parametrize(("weight", "advised"), [(76.7, False), (76.8, True)])
def test_ad1_weight_loss_from_bmi_30(weight: float, advised: bool) -> None:
    document = case(patient={"birth_date": "1980-01-01", "weight_kg": weight, "height_cm": 160})
    assert any("weight loss" in text for text in advice(document, "AD-1")) is advised


def test_ad1_smoking_cessation_and_referral_for_each_comorbidity() -> None:
    patient = {"birth_date": "1980-01-01", "smoking": "current",
               "comorbidities": ["ibd", "depression", "ibd"]}  # fmt: skip
    texts = advice(case(patient=patient), "AD-1")
    assert texts[0].startswith("Support and information about the disease")
    assert "Smoking cessation may reduce the disease burden." in texts
    assert [t for t in texts if t.startswith("Refer")] == [
        "Refer for follow-up by the right service: inflammatory bowel disease.",
        "Refer for follow-up by the right service: depression.",
    ]
    assert not any("Smoking" in t for t in advice(case(), "AD-1"))


def test_dx1_recommendation_notes_an_unconfirmed_diagnosis() -> None:
    document = eligible_case(diagnosis={"typical_lesions": True})
    texts = [e["text"] for e in as_json(document)["explanations"]
             if e["rule_id"] == "DX-1" and e["topic"] == "recommendation"]  # fmt: skip
    assert texts == [
        "Note: the HS diagnosis is not confirmed by DX-1; the recommendation assumes HS."
    ]


def test_mo4_registration_is_mandatory_for_a_confirmed_diagnosis() -> None:
    confirmed = as_json(eligible_case())
    assert [e["topic"] for e in confirmed["explanations"] if e["rule_id"] == "MO-4"] == ["registry"]
    unconfirmed = as_json(eligible_case(diagnosis={}))
    assert not [e for e in unconfirmed["explanations"] if e["rule_id"] == "MO-4"]


def test_beyond_the_guideline_biologic_is_named_as_such() -> None:
    document = case(
        assessments=[visit("2026-05-01", 5, 1, 1)],
        treatments=[{"drug": "bimekizumab", "start": "2026-04-01"}],
        screening=CLEAR_SCREENING,
    )
    result = as_json(document)
    assert (result["recommendation"]["line"], result["recommendation"]["options"]) == (
        None, ["bimekizumab"],
    )  # fmt: skip
    [why] = [e["text"] for e in result["explanations"] if e["rule_id"] == "TX-12"]
    assert "the patient is on bimekizumab (beyond the NFDV guideline)" in why


# --- the drug catalog --------------------------------------------------------------------------

REQUIRED_DRUGS = [
    "clindamycin_topical", "triamcinolone_intralesional", "tetracycline", "lymecycline",
    "doxycycline", "adalimumab", "infliximab", "rifampicin_clindamycin", "acitretin",
    "ciclosporin", "isotretinoin", "dapsone", "metformin", "prednisolone", "methotrexate",
    "colchicine", "hormonal", "secukinumab", "bimekizumab",
    # HISREG's intervention form names it (AMOXICILIN, issue 16); no regimen has it (RG-1)
    "amoxicillin_clavulanate",
]  # fmt: skip


def test_catalog_holds_every_drug_of_the_case_document() -> None:
    assert list(DRUGS) == REQUIRED_DRUGS


@pytest.mark.parametrize("drug", DRUGS.values(), ids=lambda d: d.id)
def test_catalog_entry_is_complete(drug: Any) -> None:
    entry = describe(drug, "en")
    assert entry["name_nb"]
    assert entry["name_en"]
    assert entry["dosing"]
    assert entry["rule_id"] in RULES
    assert re.fullmatch(r"[A-Z]\d\d[A-Z]{0,2}\d{0,2}( \+ [A-Z]\d\d[A-Z]{2}\d\d)?", drug.atc)
    assert entry["in_guideline"] is (drug.line is not None)


def test_catalog_lines_follow_the_guideline() -> None:
    lines = {d.id: d.line for d in DRUGS.values()}
    assert [k for k, v in lines.items() if v == "first"] == [
        "tetracycline",
        "lymecycline",
        "doxycycline",
    ]
    assert lines["adalimumab"] == "second"
    assert [k for k, v in lines.items() if v == "third"] == [
        "infliximab", "rifampicin_clindamycin", "acitretin", "ciclosporin",
    ]  # fmt: skip
    assert lines["clindamycin_topical"] == lines["triamcinolone_intralesional"] == "local"


@pytest.mark.parametrize("drug_id", ["secukinumab", "bimekizumab"])
def test_catalog_il17_inhibitors_are_beyond_the_nfdv_guideline(drug_id: str) -> None:
    entry = describe(DRUGS[drug_id], "en")
    assert entry["in_guideline"] is False
    assert entry["note"] == "beyond the NFDV guideline"
    assert describe(DRUGS[drug_id], "nb")["note"] == "utenfor NFDV-retningslinjen"
    assert DRUGS[drug_id].biologic
