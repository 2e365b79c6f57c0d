"""XB-4: inflammatory bowel disease is a warning (``ibd_il17``) before an IL-17 inhibitor,
for a current or planned course or an option beyond the guideline; it never changes C4."""

from __future__ import annotations

from typing import Any

from hsreg.guideline import evaluate
from hsreg.guideline.screening import IBD_IL17, warning_text
from hsreg.guideline.text import Text

from .builders import CLEAR_SCREENING, as_json, case, eligible_case, texts


def with_ibd(document: dict[str, Any], comorbidities: tuple[str, ...] = ("ibd",)) -> dict[str, Any]:
    document["patient"]["comorbidities"] = list(comorbidities)
    return document


def on(drug: str, start: str = "2026-03-01", **course: Any) -> dict[str, Any]:
    """An adult not eligible by TX-6 (no assessment) with one course of ``drug``."""
    return case(treatments=[{"drug": drug, "start": start, **course}], screening=CLEAR_SCREENING)


def warned(document: dict[str, Any]) -> bool:
    return IBD_IL17 in evaluate(document).screening.warnings


def test_xb4_ibd_and_a_current_il17_course_warn() -> None:
    assert warned(with_ibd(on("bimekizumab")))
    assert warned(with_ibd(on("secukinumab")))


def test_xb4_ibd_and_a_planned_il17_course_warn_an_ended_one_does_not() -> None:
    assert warned(with_ibd(on("secukinumab", start="2026-07-01")))
    ended = on("secukinumab", start="2025-01-01", end="2025-06-01", stop_reason="remission")
    assert not warned(with_ibd(ended))


def test_xb4_ibd_and_il17_options_beyond_the_guideline_warn() -> None:
    document = with_ibd(eligible_case())
    assert evaluate(document).beyond_guideline.options
    assert warned(document)


def test_xb4_no_warning_without_ibd_or_without_an_il17_inhibitor() -> None:
    assert not warned(on("bimekizumab"))
    assert not warned(with_ibd(on("bimekizumab"), ("depression", "diabetes")))
    assert not warned(with_ibd(on("adalimumab", regimen="weekly_40")))
    under_18 = with_ibd(eligible_case())
    under_18["patient"]["birth_date"] = "2009-01-01"
    assert evaluate(under_18).beyond_guideline.options == ()
    assert not warned(under_18)


def test_xb4_the_warning_never_changes_c4() -> None:
    plain, ibd = evaluate(on("bimekizumab")), evaluate(with_ibd(on("bimekizumab")))
    assert plain.screening.no_contraindication is ibd.screening.no_contraindication is True
    assert ibd.biologic_eligibility.criteria["C4"].met is True
    assert ibd.screening.contraindications == ()


def test_xb4_warning_text_and_explanation_say_beyond_the_guideline_with_the_source() -> None:
    text = warning_text(IBD_IL17)
    assert isinstance(text, Text)
    assert "XB-4, beyond the NFDV guideline (2019)" in text.en
    assert "summaries of product characteristics of secukinumab and bimekizumab" in text.en
    assert "XB-4, utover NFDV-retningslinjen (2019)" in text.nb
    (why,) = texts(as_json(with_ibd(on("bimekizumab"))), "XB-4", "screening")
    assert why.startswith("Beyond the NFDV guideline (2019): a history of inflammatory bowel")
    assert "both summaries of product characteristics" in why
