"""The score functions (ST-2, MO-1a, MO-2, XS-1..5): literature vectors, every boundary, and
properties that must hold for any counts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hsreg.guideline import scores
from hsreg.guideline.scores import Lesions

counts = st.integers(min_value=0, max_value=500)
lesions = st.builds(Lesions, counts, counts, counts)


# --- ST-2 IHS4 ---------------------------------------------------------------------------


def test_st2_ihs4_weights_nodules_1_abscesses_2_tunnels_4() -> None:
    assert scores.ihs4(5, 1, 2) == 5 + 2 + 8
    assert scores.ihs4(1, 0, 0) == 1
    assert scores.ihs4(0, 1, 0) == 2
    assert scores.ihs4(0, 0, 1) == 4


@pytest.mark.parametrize(
    ("score", "category"),
    [(0, "mild"), (3, "mild"), (4, "moderate"), (10, "moderate"), (11, "severe"), (99, "severe")],
)
def test_st2_ihs4_category_boundaries_3_4_10_11(score: int, category: str) -> None:
    assert scores.ihs4_category(score) == category


def test_st2_counts_are_whole_numbers_at_least_zero() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        scores.ihs4(-1, 0, 0)


@given(lesions, counts, st.sampled_from(["nodules", "abscesses", "draining_tunnels"]))
def test_st2_ihs4_and_its_category_never_fall_when_a_count_rises(
    before: Lesions, more: int, which: str
) -> None:
    after = before._replace(**{which: getattr(before, which) + more})
    order = ["mild", "moderate", "severe"]
    assert after.ihs4 >= before.ihs4
    assert order.index(scores.ihs4_category(after.ihs4)) >= order.index(
        scores.ihs4_category(before.ihs4)
    )


# --- MO-1a DLQI --------------------------------------------------------------------------


def test_mo1a_dlqi_all_items_3_is_30_extremely_large() -> None:
    total = scores.dlqi_total([3] * 10)
    assert total == 30
    assert scores.dlqi_band(30) == "extremely_large"


def test_mo1a_dlqi_one_unanswered_item_scores_0_two_are_not_scored() -> None:
    assert scores.dlqi_total([3, None, 3, 3, 3, 3, 3, 3, 3, 3]) == 27
    assert scores.dlqi_total([3, None, None, 3, 3, 3, 3, 3, 3, 3]) is None


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "no_effect"), (1, "no_effect"), (2, "small"), (5, "small"), (6, "moderate"),
        (10, "moderate"), (11, "very_large"), (20, "very_large"), (21, "extremely_large"),
        (30, "extremely_large"),
    ],
)  # fmt: skip
def test_mo1a_dlqi_band_boundaries(score: int, band: str) -> None:
    assert scores.dlqi_band(score) == band


def test_mo1a_dlqi_needs_ten_items_scored_0_to_3() -> None:
    with pytest.raises(ValueError, match="10 items"):
        scores.dlqi_total([1] * 9)
    with pytest.raises(ValueError, match="0-3"):
        scores.dlqi_total([4] + [0] * 9)


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=10, max_size=10))
def test_mo1a_dlqi_total_is_the_sum_of_answers_within_0_30(items: list[int | None]) -> None:
    total = scores.dlqi_total(items)
    if items.count(None) >= 2:
        assert total is None
    else:
        assert total == sum(i for i in items if i is not None)
        assert 0 <= total <= 30


@given(st.integers(0, 29))
def test_mo1a_dlqi_band_never_falls_as_the_score_rises(score: int) -> None:
    order = ["no_effect", "small", "moderate", "very_large", "extremely_large"]
    assert order.index(scores.dlqi_band(score + 1)) >= order.index(scores.dlqi_band(score))


# --- MO-2 HiSCR and XS-1 -------------------------------------------------------------------


def test_mo2_hiscr_literature_exactly_50_percent_is_achieved() -> None:
    # Baseline A8, N14, DT6 → A4, N7, DT4: AN 22 → 11, exactly 50 %.
    assert scores.hiscr(Lesions(14, 8, 6), Lesions(7, 4, 4)) is True


def test_mo2_hiscr_literature_tunnel_increase_is_not_achieved() -> None:
    # Baseline A4, N4, DT2 → A1, N3, DT3: AN 8 → 4 (50 %) but one more draining tunnel.
    assert scores.hiscr(Lesions(4, 4, 2), Lesions(3, 1, 3)) is False


def test_mo2_hiscr_no_increase_in_abscesses() -> None:
    assert scores.hiscr(Lesions(10, 1, 0), Lesions(0, 2, 0)) is False


@pytest.mark.parametrize(("current_an", "achieved"), [(501, False), (500, True)])
def test_mo2_hiscr_an_reduction_49_9_and_50_percent(current_an: int, achieved: bool) -> None:
    assert scores.hiscr(Lesions(1000, 0, 0), Lesions(current_an, 0, 0)) is achieved
    assert scores.reduction_pct(1000, current_an) == (49.9 if current_an == 501 else 50.0)


def test_mo2_reading_baseline_an_0_is_not_evaluable() -> None:
    assert scores.hiscr(Lesions(0, 0, 3), Lesions(0, 0, 0)) is None
    assert scores.reduction_pct(0, 0) is None


def test_xs1_hiscr75_and_hiscr90_compare_in_integers() -> None:
    # 3 → 0.75 of 4: 100*(4-1) >= 75*4 exactly; a float computation could miss this boundary.
    assert scores.hiscr(Lesions(4, 0, 0), Lesions(1, 0, 0), 75) is True
    assert scores.hiscr(Lesions(10, 0, 0), Lesions(1, 0, 0), 90) is True
    assert scores.hiscr(Lesions(10, 0, 0), Lesions(2, 0, 0), 90) is False
    assert scores.reduced_by(7, 0, 100) is True


def test_xs1_reduction_percent_is_rounded_down_so_it_never_crosses_a_threshold() -> None:
    # 1 − 751/1000·… : 24.9 %, and 999/4004 = 24.95… % shows as 24.9, not 25.0.
    assert scores.reduction_pct(1000, 751) == 24.9
    assert scores.reduction_pct(4004, 3005) == 24.9
    assert scores.reduced_by(4004, 3005, 25) is False
    assert scores.reduction_pct(4, 6) == -50.0


@given(lesions, lesions)
def test_xs1_hiscr90_implies_hiscr75_implies_hiscr(before: Lesions, after: Lesions) -> None:
    h50, h75, h90 = (scores.hiscr(before, after, p) for p in (50, 75, 90))
    if before.an == 0:
        assert h50 is h75 is h90 is None
        return
    assert not h90 or h75
    assert not h75 or h50


@given(lesions, lesions)
def test_mo2_hiscr_agrees_with_its_definition(before: Lesions, after: Lesions) -> None:
    result = scores.hiscr(before, after)
    if before.an == 0:
        assert result is None
        return
    expected = (
        (before.an - after.an) / before.an >= 0.5 - 1e-12
        and after.abscesses <= before.abscesses
        and after.draining_tunnels <= before.draining_tunnels
    )
    assert result is expected


# --- XS-2 IHS4-55 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "achieved"), [(100, 45, True), (100, 46, False), (20, 9, True)]
)
def test_xs2_ihs4_55_boundary(baseline: int, current: int, achieved: bool) -> None:
    assert scores.ihs4_55(baseline, current) is achieved


def test_xs2_ihs4_55_baseline_0_is_null() -> None:
    assert scores.ihs4_55(0, 0) is None


# --- XS-4 NRS30 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "achieved"),
    [
        (10, 7, True),  # 30 %, 3 points
        (10, 7.1, False),  # 29 %
        (3, 2, True),  # 33 %, exactly 1 point
        (3.3, 2.31, False),  # exactly 30 %, but 0.99 point
        (3.3, 2.3, True),  # 30.3 %, exactly 1 point, in exact decimals
        (8, 9, False),  # worse
    ],
)
def test_xs4_nrs30_needs_30_percent_and_1_point(
    baseline: float, current: float, achieved: bool
) -> None:
    assert scores.nrs30(baseline, current) is achieved


def test_xs4_nrs30_baseline_below_3_is_null() -> None:
    assert scores.nrs30(2.9, 0) is None
    assert scores.nrs30(3, 2) is True


# --- XS-5 HS-PGA --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodules", "abscesses", "tunnels", "nin", "category"),
    [
        (0, 0, 0, 0, "clear"),
        (0, 0, 0, 2, "minimal"),
        (0, 0, 0, None, None),
        (1, 0, 0, None, "mild"),
        (4, 0, 0, None, "mild"),
        (0, 1, 0, None, "mild"),
        (0, 0, 1, None, "mild"),
        (5, 0, 0, None, "moderate"),
        (1, 1, 0, None, "moderate"),
        (9, 1, 1, None, "moderate"),
        (0, 5, 0, None, "moderate"),
        (10, 2, 0, None, "severe"),
        (10, 3, 2, None, "severe"),
        (0, 3, 3, None, "very_severe"),
    ],
)
def test_xs5_hs_pga_categories(
    nodules: int, abscesses: int, tunnels: int, nin: int | None, category: str | None
) -> None:
    assert scores.hs_pga(nodules, abscesses, tunnels, nin) == category


# --- XS-3 modified Sartorius --------------------------------------------------------------


@dataclass
class Region:
    nodules: int = 0
    abscesses: int = 0
    draining_tunnels: int = 0
    longest_distance_cm: float | None = 3
    separated_by_normal_skin: bool | None = True


@pytest.mark.parametrize(
    ("distance", "points"), [(0, 1), (4.9, 1), (5, 3), (10, 3), (10.1, 9), (30, 9)]
)
def test_xs3_sartorius_distance_points(distance: float, points: int) -> None:
    assert scores.sartorius_distance_points(distance) == points


def test_xs3_sartorius_region_points() -> None:
    # 3 for the region + 2 nodules + 1 abscess (Reading: counted as a nodule) + 6 per tunnel
    # + 3 for 5–10 cm + 9 as the lesions are not separated by normal skin.
    region = Region(2, 1, 1, longest_distance_cm=7, separated_by_normal_skin=False)
    assert scores.sartorius_region(region) == 3 + 2 + 1 + 6 + 3 + 9


def test_xs3_sartorius_sums_regions_and_uninvolved_regions_count_0() -> None:
    regions = [Region(1, 0, 0, 2, True), Region(0, 0, 0, None, None)]
    assert scores.sartorius(regions) == 3 + 1 + 1


def test_xs3_sartorius_needs_region_data() -> None:
    assert scores.sartorius([]) is None
    assert scores.sartorius([Region(1, longest_distance_cm=None)]) is None
    assert scores.sartorius([Region(1, separated_by_normal_skin=None)]) is None


# --- AD-1 BMI -----------------------------------------------------------------------------


def test_ad1_bmi_is_exact_at_30() -> None:
    assert scores.bmi(75, 158.12) < 30 <= scores.bmi(76.8, 160)
    assert scores.bmi(76.8, 160) == 30
