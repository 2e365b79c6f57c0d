"""XB-6: the children's DLQI (CDLQI) for a patient under 16 on the assessment date, scored
0-30 with the DLQI's rule for unanswered items, banded by Waters et al. 2010; and the
registry's scoring of a stored CDLQI (assessments.scoring)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.assessments.scoring import (
    CDLQI_7_SCORE,
    band_label,
    cdlqi_item_scores,
    report_dlqi_total,
    report_item_scores,
)
from hsreg.guideline import scores

BAND_ORDER = ["no_effect", "small", "moderate", "very_large", "extremely_large"]


@pytest.mark.parametrize(
    ("age", "instrument"), [(0, "cdlqi"), (15, "cdlqi"), (16, "dlqi"), (80, "dlqi")]
)
def test_xb6_the_instrument_changes_at_16(age, instrument):
    assert scores.quality_of_life_instrument(age) == instrument


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "no_effect"),
        (1, "no_effect"),
        (2, "small"),
        (6, "small"),
        (7, "moderate"),
        (12, "moderate"),
        (13, "very_large"),
        (18, "very_large"),
        (19, "extremely_large"),
        (30, "extremely_large"),
    ],
)
def test_xb6_bands_at_their_boundaries(score, band):
    assert scores.cdlqi_band(score) == band


def test_xb6_bands_differ_from_the_dlqis():
    # DLQI 6 is moderate but CDLQI 6 is small; DLQI 11 very large, CDLQI 11 moderate
    assert scores.dlqi_band(6) == "moderate"
    assert scores.cdlqi_band(6) == "small"
    assert band_label("cdlqi", 11)[0] == "moderate"
    assert band_label("dlqi", 11)[0] == "very_large"
    assert band_label("cdlqi", None) == ("", "")


def test_xb6_outside_0_to_30_is_refused():
    with pytest.raises(ValueError, match="0-30"):
        scores.cdlqi_band(31)


def test_xb6_one_unanswered_item_scores_0_two_give_no_total():
    assert scores.cdlqi_total([3, None, 3, 3, 3, 3, 3, 3, 3, 3]) == 27
    assert scores.cdlqi_total([3, None, None, 3, 3, 3, 3, 3, 3, 3]) is None


def stored(codes, period=None, item_7=None):
    fields = {f"dlqi_{n}": code for n, code in enumerate(codes, start=1)}
    return SimpleNamespace(
        **fields,
        dlqi_instrument="cdlqi",
        cdlqi_7_period=period,
        cdlqi_7=item_7,
        dlqi_7_problems=None,
    )


def test_xb6_stored_codes_score_very_much_3_to_not_at_all_0():
    report = stored([1, 2, 3, 4, 1, 2, None, 3, 4, 1], period=1, item_7=6)
    assert report_item_scores(report) == [3, 2, 1, 0, 3, 2, 3, 1, 0, 3]
    assert report_dlqi_total(report) == 18


@pytest.mark.parametrize(("code", "score"), [(6, 3), (1, 3), (2, 2), (3, 1), (4, 0)])
def test_xb6_item_7_prevented_school_scores_as_very_much(code, score):
    assert cdlqi_item_scores([4] * 10, code)[6] == score


def test_xb6_two_unanswered_items_in_a_stored_report_give_no_total():
    report = stored([1, None, 1, 1, 1, 1, None, 1, 1, 1])
    assert report_dlqi_total(report) is None
    report = stored([1, None, 1, 1, 1, 1, None, 1, 1, 1], period=2, item_7=4)
    assert report_dlqi_total(report) == 24


def test_a_dlqi_report_is_still_scored_by_mo1a():
    answers = {f"dlqi_{n}": 1 for n in range(1, 11)} | {"dlqi_7": 0}
    report = SimpleNamespace(**answers, dlqi_7_problems=3, dlqi_instrument="dlqi")
    assert report_dlqi_total(report) == 28


item_codes = st.one_of(st.none(), st.sampled_from([1, 2, 3, 4]))


@given(
    codes=st.lists(item_codes, min_size=10, max_size=10),
    item_7=st.one_of(st.none(), st.sampled_from(sorted(CDLQI_7_SCORE))),
)
def test_xb6_any_answers_total_0_to_30_or_none(codes, item_7):
    total = report_dlqi_total(stored(codes, period=1, item_7=item_7))
    unanswered = sum(1 for n, c in enumerate(codes, start=1) if n != 7 and c is None) + (
        item_7 is None
    )
    assert (total is None) == (unanswered >= 2)
    if total is not None:
        assert 0 <= total <= scores.CDLQI_MAX


@given(st.integers(0, 29))
def test_xb6_band_is_monotone(score):
    assert BAND_ORDER.index(scores.cdlqi_band(score)) <= BAND_ORDER.index(
        scores.cdlqi_band(score + 1)
    )
