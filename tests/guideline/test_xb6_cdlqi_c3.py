"""XB-6: the children's DLQI (CDLQI) for a patient under 16 on the assessment date, its bands,
and the Reading of C3 under 16 (CDLQI ≥ 13); TX-9's fall of ≥ 4 applies to the CDLQI too."""

from __future__ import annotations

from typing import Any

import pytest

from hsreg.guideline import evaluate
from hsreg.guideline.problems import CaseError

from .builders import CLEAR_SCREENING, FAILED_DOXYCYCLINE, as_json, case, visit

BORN = "2010-06-01"  # 15 until 2026-05-31, 16 from 2026-06-01


def child(*visits: dict[str, Any], **parts: Any) -> dict[str, Any]:
    document = case(assessments=list(visits), **parts)
    document["patient"] = {"birth_date": BORN, "weight_kg": 55}
    return document


def active(date: str, **extra: Any) -> dict[str, Any]:
    return visit(date, 5, 1, 2, hurley=2, inflammatory_activity="severe", **extra)


@pytest.mark.parametrize(("assessed", "instrument"), [("2026-05-31", "cdlqi"),
                                                      ("2026-06-01", "dlqi")])  # fmt: skip
def test_xb6_instrument_by_age_15_16_on_the_assessment_date(assessed: str, instrument: str) -> None:
    dlqi = evaluate(child(visit(assessed, dlqi=12), as_of="2026-06-01")).dlqi
    assert dlqi.instrument == instrument
    # 12 is the CDLQI's "moderate" (7–12) but the DLQI's "very large" (11–20)
    assert dlqi.band == ("moderate" if instrument == "cdlqi" else "very_large")


def test_xb6_age_on_the_assessment_date_not_on_as_of_decides() -> None:
    dlqi = evaluate(child(visit("2026-05-31", dlqi=13), as_of="2026-06-20")).dlqi
    assert (dlqi.instrument, dlqi.band) == ("cdlqi", "very_large")


def test_xb6_cdlqi_text_names_the_instrument_and_its_source() -> None:
    result = as_json(child(visit("2026-05-01", dlqi=7)))
    assert result["dlqi"]["instrument"] == "cdlqi"
    (text,) = [e["text"] for e in result["explanations"] if e["rule_id"] == "XB-6"]
    assert text.startswith("CDLQI 7 (2026-05-01): moderate effect")
    assert "beyond the NFDV guideline (2019)" in text
    assert "Lewis-Jones & Finlay 1995" in text
    nb = as_json(child(visit("2026-05-01", dlqi=7)), "nb")
    assert any("utover NFDV-retningslinjen (2019)" in e["text"] for e in nb["explanations"])


def test_xb6_without_an_assessment_the_instrument_is_none_and_adults_keep_the_dlqi() -> None:
    assert evaluate(case()).dlqi.instrument is None
    adult = evaluate(case(assessments=[visit("2026-05-01", dlqi=12)])).dlqi
    assert (adult.instrument, adult.band) == ("dlqi", "very_large")


@pytest.mark.parametrize(("score", "met"), [(12, False), (13, True)])
def test_xb6_reading_c3_under_16_is_cdlqi_at_least_13(score: int, met: bool) -> None:
    document = child(active("2026-05-25", dlqi=score), treatments=[FAILED_DOXYCYCLINE],
                     screening=CLEAR_SCREENING)  # fmt: skip
    result = evaluate(document).biologic_eligibility
    c3 = result.criteria["C3"]
    assert c3.met is met
    assert f"CDLQI {score} (≥ 13 required)" in c3.reason.en
    assert "XB-6 Reading" in c3.reason.en
    assert "beyond the NFDV guideline (2019)" in c3.reason.en
    assert "XB-6 Reading" in c3.reason.nb
    assert "utover NFDV-retningslinjen (2019)" in c3.reason.nb
    assert result.status == ("eligible" if met else "not_eligible")


@pytest.mark.parametrize(("score", "met"), [(10, False), (11, True), (12, True)])
def test_xb6_c3_from_16_is_unchanged_dlqi_at_least_11(score: int, met: bool) -> None:
    document = child(active("2026-06-01", dlqi=score), as_of="2026-06-01")
    c3 = evaluate(document).biologic_eligibility.criteria["C3"]
    assert c3.met is met
    assert c3.reason.en == f"DLQI {score} (≥ 11 required)."


def test_xb6_c3_under_16_without_a_cdlqi_is_unknown() -> None:
    c3 = evaluate(child(active("2026-05-25"))).biologic_eligibility.criteria["C3"]
    assert (c3.met, c3.missing) == (None, ("assessments[0].dlqi",))
    assert "CDLQI is not recorded" in c3.reason.en


def test_xb6_items_are_scored_as_the_cdlqi_and_checked_against_the_total() -> None:
    items = [3, 3, 2, 2, 1, 1, 1, 0, None, 0]
    dlqi = evaluate(child(visit("2026-05-01", dlqi_items=items))).dlqi
    assert (dlqi.instrument, dlqi.score, dlqi.band) == ("cdlqi", 13, "very_large")
    with pytest.raises(CaseError, match=r"assessments\[0\]\.dlqi"):
        evaluate(child(visit("2026-05-01", dlqi=12, dlqi_items=items)))


def test_xb6_tx9_fall_of_4_applies_to_the_cdlqi() -> None:
    """An adolescent on adalimumab (TX-7, 12–17 years ≥ 30 kg): CDLQI 20 → 16 with HiSCR."""

    def on_adalimumab(week_12_cdlqi: int) -> str:
        document = child(visit("2026-01-05", 90, 10, 5, dlqi=20),
                         visit("2026-03-30", 40, 0, 5, dlqi=week_12_cdlqi),
                         treatments=[{"drug": "adalimumab", "start": "2026-01-05"}],
                         as_of="2026-04-01")  # fmt: skip
        evaluation = evaluate(document)
        assert evaluation.dlqi.instrument == "cdlqi"
        return evaluation.response.decision

    assert on_adalimumab(16) == "continue"
    assert on_adalimumab(17) == "clinical_judgement"
