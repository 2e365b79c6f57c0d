"""The scores of a form, computed by the guideline engine (RG-3: the registry computes every
sum itself). Used both when a form is saved and by the live preview while it is typed, so the
page never has a second formula.

HISREG codes DLQI answers 1 = very much ... 4 = not at all, 5 = not relevant; MO-1a scores them
3 ... 0 with not relevant = 0. Question 7 is "yes" (3) or, if "no", its follow-up a lot (2),
a little (1) or not at all (0).

XB-6: a patient under 16 answers the children's DLQI (CDLQI; ``report.dlqi_instrument`` is
"cdlqi"), stored in the same ``dlqi_1`` ... ``dlqi_10`` with the codes 1 very much, 2 quite a
lot, 3 only a little, 4 not at all (scored 3 ... 0); item 7 in ``cdlqi_7``, where 6 "prevented
school" scores 3. Its bands are the CDLQI's (scores.cdlqi_band), not the DLQI's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hsreg.guideline import scores
from hsreg.guideline.monitoring import DLQI_BANDS
from hsreg.web.language import pick

HISREG_DLQI_SCORE = {1: 3, 2: 2, 3: 1, 4: 0, 5: 0}  # MO-1a
#: MO-1a, question 7's follow-up when the answer is no: a lot 2, a little 1, not at all 0.
#: HISREG's code 1 "Veldig mye" is not offered (assessments.models.DLQI_Q7_PROBLEMS) and
#: scores as "a lot" when met, as in data from before issue 12.
HISREG_Q7_PROBLEMS_SCORE = {1: 2, 2: 2, 3: 1, 4: 0}
Q7_YES, Q7_NO, Q7_NOT_RELEVANT = 1, 0, 5
CDLQI = "cdlqi"
#: XB-6: the CDLQI's answers (1 very much, 2 quite a lot, 3 only a little, 4 not at all)
CDLQI_SCORE = {1: 3, 2: 2, 3: 1, 4: 0}
#: XB-6: item 7, school time or holiday: 6 prevented school scores as very much (3)
CDLQI_7_SCORE = {6: 3, 1: 3, 2: 2, 3: 1, 4: 0}


@dataclass(frozen=True, slots=True)
class RegionCounts:
    """One region as typed in a form; satisfies the engine's SartoriusRegion protocol."""

    region: str
    nodules: int
    abscesses: int
    draining_tunnels: int
    hurley: int | None = None
    longest_distance_cm: float | None = None
    separated_by_normal_skin: bool | None = None


@dataclass(frozen=True, slots=True)
class AssessmentScores:
    nodules: int | None
    abscesses: int | None
    draining_tunnels: int | None
    hurley: int | None
    ihs4: int | None
    ihs4_category: str
    an_count: int | None
    sartorius: int | None
    bmi: Decimal | None
    #: XB-7 HS-IGA 0-5 (beyond the NFDV guideline, 2019): only from counts per region
    hs_iga: int | None = None


def score_assessment(
    *,
    regions: Sequence[RegionCounts],
    nodules: int | None = None,
    abscesses: int | None = None,
    draining_tunnels: int | None = None,
    hurley: int | None = None,
    weight_kg: float | None = None,
    height_cm: float | None = None,
) -> AssessmentScores:
    """Totals from the regions when any are given (ST-1: worst region's Hurley), else the totals
    typed; then IHS4 (ST-2), AN count (MO-2), modified Sartorius (XS-3), BMI and, from the
    regions only, HS-IGA (XB-7, beyond the NFDV guideline 2019)."""
    if regions:
        nodules = sum(r.nodules for r in regions)
        abscesses = sum(r.abscesses for r in regions)
        draining_tunnels = sum(r.draining_tunnels for r in regions)
        stages = [r.hurley for r in regions if r.hurley is not None]
        hurley = max(stages) if stages else hurley
    ihs4 = an = None
    category = ""
    if nodules is not None and abscesses is not None and draining_tunnels is not None:
        ihs4 = scores.ihs4(nodules, abscesses, draining_tunnels)
        category = scores.ihs4_category(ihs4)
        an = scores.an_count(nodules, abscesses)
    bmi = None
    if weight_kg and height_cm:
        bmi = Decimal(float(scores.bmi(weight_kg, height_cm))).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return AssessmentScores(
        nodules,
        abscesses,
        draining_tunnels,
        hurley,
        ihs4,
        category,
        an,
        scores.sartorius(regions) if regions else None,
        bmi,
        scores.hs_iga(regions) if regions else None,
    )


def dlqi_item_scores(answers: Sequence[int | None], q7_problems: int | None) -> list[int | None]:
    """The ten MO-1a item scores (0-3, None = unanswered) from HISREG's codes; ``answers`` are
    questions 1-10 with question 7 coded 1 yes / 0 no / 5 not relevant."""
    items: list[int | None] = []
    for number, code in enumerate(answers, start=1):
        if code is None:
            items.append(None)
        elif number == 7:
            if code == Q7_YES:
                items.append(3)
            elif code == Q7_NOT_RELEVANT:
                items.append(0)
            else:
                items.append(None if q7_problems is None else HISREG_Q7_PROBLEMS_SCORE[q7_problems])
        else:
            items.append(HISREG_DLQI_SCORE[code])
    return items


def dlqi(answers: Sequence[int | None], q7_problems: int | None) -> tuple[int | None, str]:
    """DLQI total (MO-1a: one unanswered item scores 0, two or more give no total) and its
    band's label in the active language ('' without a total)."""
    total = scores.dlqi_total(dlqi_item_scores(answers, q7_problems))
    if total is None:
        return None, ""
    return total, pick(DLQI_BANDS[scores.dlqi_band(total)])


def cdlqi_item_scores(answers: Sequence[int | None], item_7: int | None) -> list[int | None]:
    """XB-6: the ten CDLQI item scores (0-3, None = unanswered) from the stored codes;
    ``answers`` are items 1-10 (item 7's entry is ignored: ``item_7`` is ``cdlqi_7``)."""
    items: list[int | None] = []
    for number, code in enumerate(answers, start=1):
        if number == 7:
            items.append(None if item_7 is None else CDLQI_7_SCORE.get(item_7))
        else:
            items.append(None if code is None else CDLQI_SCORE.get(code))
    return items


def band_label(instrument: str, total: int | None) -> tuple[str, str]:
    """(band key, label in the active language) of a total: the CDLQI's bands for the CDLQI
    (XB-6), the DLQI's (MO-1a) otherwise; ('', '') without a total."""
    if total is None:
        return "", ""
    band = scores.cdlqi_band(total) if instrument == CDLQI else scores.dlqi_band(total)
    return band, pick(DLQI_BANDS[band])


def instrument_name(instrument: str) -> str:
    """ "CDLQI" or "DLQI", as the questionnaires are called in every language."""
    return "CDLQI" if instrument == CDLQI else "DLQI"


def report_item_scores(report: Any) -> list[int | None]:
    """The item scores of a stored patient's report: MO-1a's for the DLQI (``dlqi_1`` ...
    ``dlqi_10`` and ``dlqi_7_problems``), XB-6's for the CDLQI (item 7 in ``cdlqi_7``)."""
    answers = [getattr(report, f"dlqi_{n}") for n in range(1, 11)]
    if getattr(report, "dlqi_instrument", "dlqi") == CDLQI:
        return cdlqi_item_scores(answers, report.cdlqi_7)
    return dlqi_item_scores(answers, report.dlqi_7_problems)


def report_dlqi_total(report: Any) -> int | None:
    """The quality-of-life total of a stored patient's report, None when it cannot be scored:
    the DLQI's (MO-1a) or, for a patient under 16, the CDLQI's (XB-6)."""
    items = report_item_scores(report)
    if getattr(report, "dlqi_instrument", "dlqi") == CDLQI:
        return scores.cdlqi_total(items)
    return scores.dlqi_total(items)


def report_band_label(report: Any) -> str:
    """The band of a stored report's total, by its instrument's bands ('' without one)."""
    return band_label(getattr(report, "dlqi_instrument", "dlqi"), report.dlqi_total)[1]
