"""XB-7 HS-IGA: the grade's boundaries, the region "other" (Reading), no grade without region
data, the evaluation's ``hs_iga`` part, and the property that the grade never falls as a count
rises."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.guideline import scores
from hsreg.guideline.case import REGIONS

from .builders import as_json, case, evaluated, texts, visit


class Region(NamedTuple):
    region: str
    nodules: int
    abscesses: int
    draining_tunnels: int


def region(name: str, nodules: int = 0, abscesses: int = 0, tunnels: int = 0) -> dict[str, Any]:
    return {"region": name, "nodules": nodules, "abscesses": abscesses, "draining_tunnels": tunnels}


@pytest.mark.parametrize(
    ("count", "grade"),
    [(0, 0), (1, 0), (2, 1), (5, 1), (6, 2), (10, 2), (11, 3), (15, 3), (16, 4), (20, 4),
     (21, 5), (400, 5)],
)  # fmt: skip
def test_xb7_grade_boundaries_1_2_5_6_10_11_15_16_20_21(count: int, grade: int) -> None:
    assert scores.hs_iga_grade(count) == grade


@pytest.mark.parametrize(("count", "grade"), [(1, 0), (2, 1), (5, 1), (6, 2), (10, 2), (11, 3),
                                              (15, 3), (16, 4), (20, 4), (21, 5)])  # fmt: skip
def test_xb7_boundaries_in_upper_and_in_lower_body(count: int, grade: int) -> None:
    # Nodules, abscesses and draining tunnels all count one each.
    n, a = divmod(count, 2)
    upper = [Region("axilla_left", n, a, 0), Region("inframammary_right", 0, 0, n)]
    assert scores.hs_iga(upper) == grade
    assert scores.hs_iga([Region("perianal", n, 0, a), Region("genital", 0, n, 0)]) == grade


def test_xb7_the_higher_of_upper_and_lower_body_sets_the_grade_not_their_sum() -> None:
    regions = [Region("axilla_left", 3, 0, 0), Region("axilla_right", 2, 0, 0),
               Region("groin_left", 4, 0, 0), Region("gluteal_right", 0, 1, 1)]  # fmt: skip
    counts = scores.hs_iga_counts(regions)
    assert counts == scores.HsIgaCounts(upper_body=5, lower_body=6, other=0)
    assert scores.hs_iga(regions) == 2  # max(5, 6) = 6, not 11


def test_xb7_reading_other_is_added_to_the_higher_count() -> None:
    regions = [Region("axilla_left", 5, 0, 0), Region("groin_left", 2, 0, 0),
               Region("other", 1, 0, 0)]  # fmt: skip
    assert scores.hs_iga_counts(regions) == scores.HsIgaCounts(5, 2, 1)
    assert scores.hs_iga(regions) == 2  # 5 + 1 = 6, over the 5/6 boundary
    assert scores.hs_iga([Region("other", 2, 0, 0)]) == 1


def test_xb7_no_region_data_is_none() -> None:
    assert scores.hs_iga([]) is None
    assert scores.hs_iga_counts([]) is None


def test_xb7_every_case_document_region_is_in_one_part_of_the_body() -> None:
    parts = scores.HS_IGA_UPPER_BODY | scores.HS_IGA_LOWER_BODY | {scores.HS_IGA_OTHER}
    assert set(REGIONS) == parts
    assert not scores.HS_IGA_UPPER_BODY & scores.HS_IGA_LOWER_BODY


def test_xb7_unknown_region_and_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown body region"):
        scores.hs_iga([Region("scalp", 1, 0, 0)])
    with pytest.raises(ValueError, match=">= 0"):
        scores.hs_iga_grade(-1)


region_names = st.sampled_from(REGIONS)
counts = st.integers(min_value=0, max_value=60)
regions_strategy = st.lists(
    st.builds(Region, region_names, counts, counts, counts), min_size=1, max_size=11
)


@given(regions_strategy, st.data())
def test_xb7_property_hs_iga_never_falls_as_a_count_rises(
    regions: list[Region], data: st.DataObject
) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(regions) - 1))
    which = data.draw(st.sampled_from(["nodules", "abscesses", "draining_tunnels"]))
    more = data.draw(st.integers(min_value=1, max_value=30))
    raised = list(regions)
    raised[at] = regions[at]._replace(**{which: getattr(regions[at], which) + more})
    before, after = scores.hs_iga(regions), scores.hs_iga(raised)
    assert before is not None
    assert after is not None
    assert 0 <= before <= after <= 5


# --- the evaluation's hs_iga part (XB-7) ------------------------------------------------


def test_xb7_evaluation_scores_the_latest_assessment_regions() -> None:
    latest = {"date": "2026-05-01", "regions": [region("axilla_left", 10, 1, 0),
                                                region("perianal", 3, 0, 0),
                                                region("other", 0, 0, 1)]}  # fmt: skip
    document = case(assessments=[visit("2026-01-01", 30, 0, 0), latest])
    result = as_json(document)
    assert result["hs_iga"] == {
        "score": 3, "upper_body": 11, "lower_body": 3, "other": 1, "date": "2026-05-01",
    }  # fmt: skip
    why = texts(result, "XB-7", "hs_iga")
    assert why[0].startswith("Beyond the NFDV guideline (2019): HS-IGA (Garg et al.")
    assert "the grade is set by the higher count plus the region 'other', 12." in why[0]
    assert "Reading: 1 lesions of the region 'other'" in why[1]
    nb = texts(as_json(document, "nb"), "XB-7", "hs_iga")
    assert nb[0].startswith("Utover NFDV-retningslinjen (2019)")


def test_xb7_evaluation_without_region_data_is_null() -> None:
    result = as_json(case(assessments=[visit("2026-05-01", 30, 0, 0)]))
    assert result["hs_iga"]["score"] is None
    assert any("no counts by region" in t for t in texts(result, "XB-7"))
    assert as_json(case())["hs_iga"]["score"] is None


def test_xb7_evaluation_object_carries_the_grade() -> None:
    document = case(assessments=[{"date": "2026-05-01", "regions": [region("groin_left", 21)]}])
    assert evaluated(document).hs_iga.score == 5
