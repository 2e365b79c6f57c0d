"""HISREG's computed categories as the registry codes them, from the guideline's scores: the
doctor's control's HISCR_CATEGORY (MO-2), IHS4SCORE_CATEGORY (ST-2) and BMI_CATEGORY.

The 2021 data dictionary lists these hidden variables without codes; the codes are the R
package's (Rapporteket/hisreg, branch rel):
- HISCR_CATEGORY: hisregIndikatorer_2022.R, indicator 3, counts ``HISCR_CATEGORY ==
  "Full-Responder"``; hsreg writes "Non-Responder" otherwise (any other value is "not
  achieved" to R) and nothing when HiSCR cannot be evaluated (baseline AN 0, MO-2 Reading).
- IHS4SCORE_CATEGORY: 1 mild, 2 moderate, 3 severe (ST-2), R's order of severity labels
  ("Mild", "Moderat", "Alvorlig", hisregPrepVar.R, coded 1:3).
- BMI_CATEGORY: the class of R's BMI figure (hisregPrepVar.R, valgtVar 'BMI': ``cut(BMI,
  breaks = c(0, 16, 17, 17.5, 18.5, 25, 30, 35, 40, 50), right = FALSE)``), numbered 1-9 from
  the lowest (R's last class is closed, [40, 50]). R leaves a BMI above 50 without a class
  (NA); hsreg puts it in the top class 9 (a stated deviation: a measured BMI is never dropped).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from . import scores

HiscrCategory = Literal["Full-Responder", "Non-Responder", ""]
FULL_RESPONDER: HiscrCategory = "Full-Responder"
NON_RESPONDER: HiscrCategory = "Non-Responder"
IHS4_CATEGORY_CODES: dict[str, int] = {"mild": 1, "moderate": 2, "severe": 3}
#: the lower bound of each BMI class 2-9 (class 1 is below 16)
BMI_CLASS_FROM: tuple[Fraction, ...] = tuple(
    Fraction(bound) for bound in ("16", "17", "17.5", "18.5", "25", "30", "35", "40")
)


def hiscr_category(baseline: scores.Lesions, current: scores.Lesions) -> HiscrCategory:
    """MO-2 as HISREG's HISCR_CATEGORY: "" when not evaluable (baseline AN 0)."""
    achieved = scores.hiscr(baseline, current)
    if achieved is None:
        return ""
    return FULL_RESPONDER if achieved else NON_RESPONDER


def ihs4_category_code(category: str) -> int | None:
    """ST-2's category (mild / moderate / severe) as IHS4SCORE_CATEGORY's code 1-3."""
    return IHS4_CATEGORY_CODES.get(category)


def bmi_category(bmi: Fraction) -> int:
    """BMI_CATEGORY 1-9: R's classes, each from its lower bound (right-open)."""
    if bmi < 0:
        raise ValueError("a BMI is not negative")
    return 1 + sum(1 for bound in BMI_CLASS_FROM if bmi >= bound)
