"""XB-8 HiSCR's validated range: baseline AN ≥ 3 is in range; at 1–2 HiSCR is still computed
(MO-2), with a note that it is outside the validated range."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.guideline import scores

from .builders import as_json, case, texts, visit


@pytest.mark.parametrize(("baseline_an", "in_range"), [(0, False), (1, False), (2, False),
                                                       (3, True), (4, True), (100, True)])  # fmt: skip
def test_xb8_baseline_an_boundary_2_3(baseline_an: int, in_range: bool) -> None:
    assert scores.hiscr_in_validated_range(baseline_an) is in_range


def test_xb8_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        scores.hiscr_in_validated_range(-1)


@given(st.integers(min_value=0, max_value=1000))
def test_xb8_property_in_range_iff_baseline_an_at_least_3(baseline_an: int) -> None:
    assert scores.hiscr_in_validated_range(baseline_an) is (baseline_an >= 3)


def test_xb8_baseline_an_2_is_computed_with_the_note() -> None:
    document = case(assessments=[visit("2026-01-01", 2, 0, 0), visit("2026-05-01", 1, 0, 0)])
    result = as_json(document)
    assert (result["hiscr"]["achieved"], result["hiscr"]["in_validated_range"]) == (True, False)
    (note,) = texts(result, "XB-8", "hiscr")
    assert note.startswith("Beyond the NFDV guideline (2019): HiSCR was validated")
    assert "Kimball et al., Br J Dermatol 2014" in note
    assert "baseline AN of 2, HiSCR is computed (MO-2) but outside its validated range" in note
    (nb,) = texts(as_json(document, "nb"), "XB-8", "hiscr")
    assert nb.startswith("Utover NFDV-retningslinjen (2019)")


def test_xb8_baseline_an_3_is_in_range_without_a_note() -> None:
    document = case(assessments=[visit("2026-01-01", 3, 0, 0), visit("2026-05-01", 1, 0, 0)])
    result = as_json(document)
    assert (result["hiscr"]["achieved"], result["hiscr"]["in_validated_range"]) == (True, True)
    assert texts(result, "XB-8") == []


def test_xb8_range_is_known_from_the_baseline_before_a_follow_up() -> None:
    result = as_json(case(assessments=[visit("2026-01-01", 1, 1, 0)]))
    assert (result["hiscr"]["achieved"], result["hiscr"]["in_validated_range"]) == (None, False)


def test_xb8_null_without_a_baseline_and_no_note_when_hiscr_is_not_evaluable() -> None:
    assert as_json(case())["hiscr"]["in_validated_range"] is None
    zero = case(assessments=[visit("2026-01-01", 0, 0, 2), visit("2026-05-01", 1, 0, 0)])
    result = as_json(zero)
    assert (result["hiscr"]["achieved"], result["hiscr"]["in_validated_range"]) == (None, False)
    assert texts(result, "XB-8") == []
