"""SC-1 Reading (results): results recorded besides the tests taken, and their warnings; and
ST-1's warning when a region staged Hurley I has draining tunnels."""

from __future__ import annotations

from typing import Any

import pytest

from hsreg.guideline.case import SCREENING_TESTS

from .builders import CLEAR_SCREENING, as_json, eligible_case, visit


def screening_of(**changes: Any) -> dict[str, Any]:
    return as_json(eligible_case(screening={**CLEAR_SCREENING, **changes}))


def texts(result: dict[str, Any], rule_id: str, topic: str) -> list[str]:
    return [
        e["text"] for e in result["explanations"] if e["rule_id"] == rule_id and e["topic"] == topic
    ]


def test_sc1_reading_all_results_normal_gives_no_warning() -> None:
    result = screening_of()
    assert result["screening"]["warnings"] == []
    assert result["biologic_eligibility"]["status"] == "eligible"


@pytest.mark.parametrize(
    ("field", "value", "warning", "named"),
    [
        ("hiv", "positive", "hiv:positive", "HIV serology: positive"),
        ("hepatitis_b", "positive", "hepatitis_b:positive", "hepatitis B serology: positive"),
        ("hepatitis_c", "positive", "hepatitis_c:positive", "hepatitis C serology: positive"),
        ("blood_tests", "abnormal", "blood_tests:abnormal", "the blood tests"),
        ("urine_dipstick", "abnormal", "urine_dipstick:abnormal", "urine dipstick: abnormal"),
    ],
)
def test_sc1_reading_a_positive_serology_or_abnormal_test_warns_naming_it_not_c4(
    field: str, value: str, warning: str, named: str
) -> None:
    result = screening_of(**{field: value})
    assert result["screening"]["warnings"] == [warning]
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is True
    assert result["biologic_eligibility"]["status"] == "eligible"
    (text,) = texts(result, "SC-1", "screening")[1:]
    assert named in text
    assert text.startswith("Reading: ")
    assert "does not change C4" in text


@pytest.mark.parametrize(
    ("field", "test"),
    [
        ("hiv", "hiv"),
        ("hepatitis_b", "hepatitis_b"),
        ("hepatitis_c", "hepatitis_c"),
        ("blood_tests", "crp"),
        ("urine_dipstick", "urine_dipstick"),
    ],
)
def test_sc1_reading_a_test_taken_without_its_result_warns_result_not_recorded(
    field: str, test: str
) -> None:
    result = screening_of(**{field: None})
    assert result["screening"]["warnings"] == [f"{field}:not_recorded"]
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is True
    nb = as_json(eligible_case(screening={**CLEAR_SCREENING, field: None}), "nb")
    assert any("resultatet er ikke registrert" in t for t in texts(nb, "SC-1", "screening"))
    # the boundary: the test not taken at all → no result expected, only "missing"
    not_taken = [t for t in SCREENING_TESTS if t != test]
    if field == "blood_tests":
        not_taken = [t for t in not_taken if t not in ("hemoglobin", "leukocytes_differential",
                     "platelets", "alt", "alp", "ggt", "creatinine")]  # fmt: skip
    result = screening_of(**{field: None, "tests_done": not_taken})
    assert f"{field}:not_recorded" not in result["screening"]["warnings"]
    assert test in result["screening"]["missing_tests"]


def test_sc1_reading_one_blood_test_taken_asks_for_the_blood_tests_result() -> None:
    result = screening_of(tests_done=["hemoglobin"], blood_tests=None, hiv=None,
                          hepatitis_b=None, hepatitis_c=None, urine_dipstick=None,
                          igra=None, chest_xray=None)  # fmt: skip
    assert result["screening"]["warnings"] == ["blood_tests:not_recorded"]


def test_sc1_reading_an_igra_taken_without_result_is_not_recorded_and_sc2_keeps_c4_unknown() -> (
    None
):
    result = screening_of(igra=None)
    assert result["screening"]["warnings"] == ["igra:not_recorded"]
    assert result["biologic_eligibility"]["criteria"]["C4"]["met"] is None


def test_sc1_reading_a_positive_igra_is_sc2s_referral_not_a_second_warning() -> None:
    result = screening_of(igra="positive")
    assert result["screening"]["warnings"] == []
    assert result["screening"]["referral_reasons"] == ["igra"]


def test_sc1_results_are_validated_like_every_field() -> None:
    from hsreg.guideline import CaseError, evaluate

    with pytest.raises(CaseError) as error:
        evaluate(eligible_case(screening={**CLEAR_SCREENING, "hiv": "maybe"}))
    assert str(error.value) == "screening.hiv: must be one of: negative, positive"


def test_sc1_pregnancy_and_result_warnings_share_the_list() -> None:
    result = screening_of(pregnant_or_planning=True, hepatitis_b="positive")
    assert result["screening"]["warnings"] == ["pregnancy", "hepatitis_b:positive"]


# --- ST-1: Hurley I has no tunnels --------------------------------------------------------------


def region(name: str, tunnels: int, hurley: int) -> dict[str, Any]:
    return {"region": name, "nodules": 2, "abscesses": 0, "draining_tunnels": tunnels,
            "hurley": hurley}  # fmt: skip


@pytest.mark.parametrize(("tunnels", "warned"), [(0, False), (1, True)])
def test_st1_hurley_i_with_draining_tunnels_in_the_same_region_warns(
    tunnels: int, warned: bool
) -> None:
    document = eligible_case(
        assessments=[
            {
                "date": "2026-05-25",
                "regions": [region("axilla_left", tunnels, 1), region("groin_right", 2, 2)],
                "inflammatory_activity": "severe",
                "dlqi": 19,
            }
        ]
    )
    staging = as_json(document)["staging"]
    assert staging["warnings"] == (["hurley_i_with_tunnels"] if warned else [])
    assert staging["hurley_i_tunnel_regions"] == (["axilla_left"] if warned else [])
    warning = [t for t in texts(as_json(document), "ST-1", "staging") if "no tunnels" in t]
    assert bool(warning) is warned
    if warned:
        assert "left axilla" in warning[0]


def test_st1_tunnels_in_a_hurley_ii_region_beside_a_hurley_i_region_do_not_warn() -> None:
    document = eligible_case(
        assessments=[
            {
                "date": "2026-05-25",
                "regions": [region("axilla_left", 0, 1), region("groin_right", 3, 2)],
            }
        ]
    )
    assert as_json(document)["staging"]["warnings"] == []


@pytest.mark.parametrize(("hurley", "warned"), [(1, True), (2, False)])
def test_st1_totals_only_hurley_i_with_tunnels_warns(hurley: int, warned: bool) -> None:
    document = eligible_case(assessments=[visit("2026-05-25", 3, 0, 1, hurley=hurley)])
    staging = as_json(document)["staging"]
    assert staging["warnings"] == (["hurley_i_with_tunnels"] if warned else [])
    assert staging["hurley_i_tunnel_regions"] == []
