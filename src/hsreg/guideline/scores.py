"""Every score and threshold of the guideline, as pure functions of counts.

This module is the single home of the formulas: forms, reports and the case evaluator all call
it. Thresholds are compared in exact arithmetic (integers, or fractions for the 0–10 scales)
so that a boundary such as "exactly 50 %" is never decided by a float rounding error (XS-1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple, Protocol

Ihs4Category = Literal["mild", "moderate", "severe"]
DlqiBand = Literal["no_effect", "small", "moderate", "very_large", "extremely_large"]
HsPgaCategory = Literal["clear", "minimal", "mild", "moderate", "severe", "very_severe"]

IHS4_MODERATE_FROM = 4  # ST-2: mild ≤ 3, moderate 4–10, severe ≥ 11
IHS4_SEVERE_FROM = 11
DLQI_ITEMS = 10  # MO-1a
DLQI_MAX = 30
DLQI_ELIGIBLE_FROM = 11  # TX-6 C3
DLQI_ADEQUATE_FALL = 4  # TX-9
CDLQI_UNTIL_AGE = 16  # XB-6: the children's DLQI under 16 years on the assessment date
CDLQI_ITEMS = 10
CDLQI_MAX = 30
CDLQI_ELIGIBLE_FROM = 13  # XB-6 Reading: C3 under 16, the start of "very large effect"
HISCR_PERCENT = 50  # MO-2
IHS4_55_PERCENT = 55  # XS-2
NRS30_PERCENT = 30  # XS-4
NRS30_MIN_BASELINE = 3
BMI_OBESE_FROM = 30  # AD-1 advice on weight loss
HISCR_VALIDATED_FROM_AN = 3  # XB-8: HiSCR was validated at a baseline AN count >= 3
# XB-7: the highest count of each HS-IGA grade 0-4; a count above the last is grade 5.
HS_IGA_GRADE_UPTO = (1, 5, 10, 15, 20)
HS_IGA_UPPER_BODY = frozenset(
    {"axilla_left", "axilla_right", "inframammary_left", "inframammary_right"}
)
HS_IGA_LOWER_BODY = frozenset(
    {"groin_left", "groin_right", "gluteal_left", "gluteal_right", "genital", "perianal"}
)
HS_IGA_OTHER = "other"  # XB-7 Reading: added to the higher of the two counts


class Lesions(NamedTuple):
    """The three IHS4 counts of one assessment (ST-3 lesion definitions)."""

    nodules: int
    abscesses: int
    draining_tunnels: int

    @property
    def an(self) -> int:
        return an_count(self.nodules, self.abscesses)

    @property
    def ihs4(self) -> int:
        return ihs4(self.nodules, self.abscesses, self.draining_tunnels)


def _require_counts(*counts: int) -> None:
    if min(counts) < 0:
        raise ValueError("lesion counts are whole numbers >= 0")


def ihs4(nodules: int, abscesses: int, draining_tunnels: int) -> int:
    """ST-2: inflammatory nodules × 1 + abscesses × 2 + draining tunnels × 4."""
    _require_counts(nodules, abscesses, draining_tunnels)
    return nodules + 2 * abscesses + 4 * draining_tunnels


def ihs4_category(score: int) -> Ihs4Category:
    """ST-2: mild ≤ 3, moderate 4–10, severe ≥ 11."""
    _require_counts(score)
    if score >= IHS4_SEVERE_FROM:
        return "severe"
    if score >= IHS4_MODERATE_FROM:
        return "moderate"
    return "mild"


def an_count(nodules: int, abscesses: int) -> int:
    """MO-2: the AN count, inflammatory nodules + abscesses."""
    _require_counts(nodules, abscesses)
    return nodules + abscesses


def dlqi_total(items: Sequence[int | None]) -> int | None:
    """MO-1a: the sum of ten items scored 0–3 (not relevant = 0).

    One unanswered item (``None``) is scored 0; two or more and the questionnaire is not scored.
    """
    return _ten_items_total(items, instrument="DLQI", count=DLQI_ITEMS)


def dlqi_band(score: int) -> DlqiBand:
    """MO-1a: 0–1 no effect, 2–5 small, 6–10 moderate, 11–20 very large, 21–30 extremely large."""
    if not 0 <= score <= DLQI_MAX:
        raise ValueError("DLQI is 0-30")
    if score <= 1:
        return "no_effect"
    if score <= 5:
        return "small"
    if score <= 10:
        return "moderate"
    if score <= 20:
        return "very_large"
    return "extremely_large"


def quality_of_life_instrument(age_years: int) -> Literal["dlqi", "cdlqi"]:
    """XB-6: the CDLQI for a patient under 16 years on the assessment date, else the DLQI."""
    if age_years < 0:
        raise ValueError("age cannot be negative")
    return "cdlqi" if age_years < CDLQI_UNTIL_AGE else "dlqi"


def cdlqi_total(items: Sequence[int | None]) -> int | None:
    """XB-6: the children's DLQI, ten items scored 0–3, total 0–30; the DLQI's rule for
    unanswered items (MO-1a) applies: one is scored 0, two or more give no total."""
    return _ten_items_total(items, instrument="CDLQI", count=CDLQI_ITEMS)


def _ten_items_total(items: Sequence[int | None], *, instrument: str, count: int) -> int | None:
    """MO-1a's sum, which XB-6 applies to the CDLQI too: items scored 0–3, one unanswered
    item (``None``) scored 0, two or more and there is no total."""
    if len(items) != count:
        raise ValueError(f"{instrument} has {count} items, got {len(items)}")
    answered = [item for item in items if item is not None]
    if any(not 0 <= item <= 3 for item in answered):
        raise ValueError(f"{instrument} items are scored 0-3")
    if count - len(answered) >= 2:
        return None
    return sum(answered)


def cdlqi_band(score: int) -> DlqiBand:
    """XB-6 (Waters et al. 2010): 0–1 no effect, 2–6 small, 7–12 moderate, 13–18 very large,
    19–30 extremely large."""
    if not 0 <= score <= CDLQI_MAX:
        raise ValueError("CDLQI is 0-30")
    if score <= 1:
        return "no_effect"
    if score <= 6:
        return "small"
    if score <= 12:
        return "moderate"
    if score <= 18:
        return "very_large"
    return "extremely_large"


def reduced_by(baseline: int, current: int, percent: int) -> bool | None:
    """Whether ``current`` lies at least ``percent`` % below ``baseline``, in integers (XS-1).

    ``100 * (baseline - current) >= percent * baseline``; ``None`` when the baseline is 0, for a
    reduction from nothing is not defined (MO-2 Reading).
    """
    _require_counts(baseline, current)
    if baseline == 0:
        return None
    return 100 * (baseline - current) >= percent * baseline


def reduction_pct(baseline: int, current: int) -> float | None:
    """The reduction from baseline in %, rounded down to 0.1 (24.96 % shows as 24.9 %, not
    25.0 %). An increase is negative."""
    _require_counts(baseline, current)
    if baseline == 0:
        return None
    return floor_tenth(Fraction(100 * (baseline - current), baseline))


def floor_tenth(value: Fraction) -> float:
    """``value`` rounded down to one decimal, so a shown figure never crosses a threshold the
    exact value does not reach."""
    return math.floor(value * 10) / 10


def hiscr(baseline: Lesions, current: Lesions, percent: int = HISCR_PERCENT) -> bool | None:
    """MO-2 (XS-1 with 75 or 90): AN reduced by ≥ ``percent`` %, and no increase in abscesses or
    in draining tunnels. ``None`` when the baseline AN count is 0 (MO-2 Reading)."""
    an_reduced = reduced_by(baseline.an, current.an, percent)
    if an_reduced is None:
        return None
    return (
        an_reduced
        and current.abscesses <= baseline.abscesses
        and current.draining_tunnels <= baseline.draining_tunnels
    )


def ihs4_55(baseline_score: int, current_score: int) -> bool | None:
    """XS-2: IHS4 reduced by ≥ 55 % from baseline; baseline 0 → ``None``."""
    return reduced_by(baseline_score, current_score, IHS4_55_PERCENT)


def exact(value: float) -> Fraction:
    """A measurement (0–10 scale, kg, cm) as the exact decimal it was written as."""
    return Fraction(Decimal(repr(value)))


def nrs30(baseline: float, current: float) -> bool | None:
    """XS-4: pain reduced by ≥ 30 % and ≥ 1 point from a baseline ≥ 3; baseline < 3 → ``None``."""
    before, after = exact(baseline), exact(current)
    if before < NRS30_MIN_BASELINE:
        return None
    fall = before - after
    return fall * 100 >= NRS30_PERCENT * before and fall >= 1


def hs_pga(
    nodules: int, abscesses: int, draining_tunnels: int, non_inflammatory_nodules: int | None
) -> HsPgaCategory | None:
    """XS-5: HS Physician's Global Assessment (Kimball et al. 2012).

    AF = abscesses + draining tunnels, IN = inflammatory nodules, NIN = non-inflammatory nodules.
    NIN only matters to tell *clear* from *minimal*; unknown there → ``None``.
    """
    _require_counts(nodules, abscesses, draining_tunnels)
    af, inflamed = abscesses + draining_tunnels, nodules
    if af > 5:
        return "very_severe"
    if af >= 2:
        return "severe" if inflamed >= 10 else "moderate"
    if af == 1:
        return "mild" if inflamed == 0 else "moderate"
    if inflamed >= 5:
        return "moderate"
    if inflamed >= 1:
        return "mild"
    if non_inflammatory_nodules is None:
        return None
    return "minimal" if non_inflammatory_nodules > 0 else "clear"


class SartoriusRegion(Protocol):
    """What XS-3 needs of one body region."""

    @property
    def nodules(self) -> int: ...
    @property
    def abscesses(self) -> int: ...
    @property
    def draining_tunnels(self) -> int: ...
    @property
    def longest_distance_cm(self) -> float | None: ...
    @property
    def separated_by_normal_skin(self) -> bool | None: ...


def sartorius_distance_points(longest_distance_cm: float) -> int:
    """XS-3: longest distance between two relevant lesions < 5 cm = 1, 5–10 cm = 3, > 10 cm = 9."""
    distance = exact(longest_distance_cm)
    if distance < 5:
        return 1
    if distance <= 10:
        return 3
    return 9


def sartorius_region(region: SartoriusRegion) -> int | None:
    """XS-3 for one region: 0 if it has no lesions; ``None`` if it has lesions but its longest
    distance or its separation by normal skin is not recorded."""
    lesions = region.nodules + region.abscesses + region.draining_tunnels
    if lesions == 0:
        return 0
    if region.longest_distance_cm is None or region.separated_by_normal_skin is None:
        return None
    return (
        3
        + region.nodules
        + region.abscesses  # Reading: abscesses count as nodules
        + 6 * region.draining_tunnels
        + sartorius_distance_points(region.longest_distance_cm)
        + (0 if region.separated_by_normal_skin else 9)
    )


def sartorius(regions: Iterable[SartoriusRegion]) -> int | None:
    """XS-3: the modified Sartorius score, the sum over regions; ``None`` without region data or
    when an involved region lacks its distance or separation."""
    points = [sartorius_region(region) for region in regions]
    if not points or any(p is None for p in points):
        return None
    return sum(p for p in points if p is not None)


def hiscr_in_validated_range(baseline_an: int) -> bool:
    """XB-8: whether HiSCR lies in its validated range, a baseline AN count ≥ 3. Below it
    HiSCR is still computed (MO-2), with a note."""
    _require_counts(baseline_an)
    return baseline_an >= HISCR_VALIDATED_FROM_AN


class HsIgaRegion(Protocol):
    """What XB-7 needs of one body region: its id (the case document's region ids) and counts."""

    @property
    def region(self) -> str: ...
    @property
    def nodules(self) -> int: ...
    @property
    def abscesses(self) -> int: ...
    @property
    def draining_tunnels(self) -> int: ...


class HsIgaCounts(NamedTuple):
    """XB-7's lesion counts (nodules + abscesses + draining tunnels) by part of the body."""

    upper_body: int
    lower_body: int
    other: int

    @property
    def graded(self) -> int:
        """The count the grade is set by: the higher body count, plus "other" (XB-7 Reading)."""
        return max(self.upper_body, self.lower_body) + self.other


def hs_iga_counts(regions: Iterable[HsIgaRegion]) -> HsIgaCounts | None:
    """XB-7: the upper-body (axillae, inframammary), lower-body (groins, gluteal, genital,
    perianal) and "other" counts; ``None`` without per-region data."""
    sums = {"upper": 0, "lower": 0, "other": 0}
    seen = False
    for region in regions:
        seen = True
        lesions = region.nodules + region.abscesses + region.draining_tunnels
        _require_counts(region.nodules, region.abscesses, region.draining_tunnels)
        if region.region in HS_IGA_UPPER_BODY:
            sums["upper"] += lesions
        elif region.region in HS_IGA_LOWER_BODY:
            sums["lower"] += lesions
        elif region.region == HS_IGA_OTHER:
            sums["other"] += lesions
        else:
            raise ValueError(f"unknown body region {region.region!r}")
    if not seen:
        return None
    return HsIgaCounts(sums["upper"], sums["lower"], sums["other"])


def hs_iga_grade(count: int) -> int:
    """XB-7: 0–1 → 0, 2–5 → 1, 6–10 → 2, 11–15 → 3, 16–20 → 4, > 20 → 5."""
    _require_counts(count)
    return next(
        (grade for grade, upto in enumerate(HS_IGA_GRADE_UPTO) if count <= upto),
        len(HS_IGA_GRADE_UPTO),
    )


def hs_iga(regions: Iterable[HsIgaRegion]) -> int | None:
    """XB-7 HS-IGA (Garg et al. 2022): graded by the higher of the upper- and lower-body counts,
    with lesions of the region "other" added to it (Reading); ``None`` without region data."""
    counts = hs_iga_counts(regions)
    return None if counts is None else hs_iga_grade(counts.graded)


def bmi(weight_kg: float, height_cm: float) -> Fraction:
    """Body-mass index, kg/m², exact."""
    metres = exact(height_cm) / 100
    return exact(weight_kg) / (metres * metres)
