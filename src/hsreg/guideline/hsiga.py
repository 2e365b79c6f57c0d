"""XB-7: the HS-IGA of the latest assessment, a score beyond the NFDV guideline (2019).

The formula and its bands live in `scores`; this module turns the latest assessment's body
regions into the evaluation's ``hs_iga`` part with a reason the clinician can read. The grade
needs per-region counts: an assessment with totals only has no HS-IGA (``score`` null).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import scores
from .history import Visit
from .text import Explanation, Text, Topic, d, explanations_field, reading

HS_IGA_WHY = Topic("hs_iga")

# XB texts say that they go beyond the 2019 guideline, and name their source.
SOURCE = Text(
    "Utover NFDV-retningslinjen (2019): HS-IGA (Garg et al., Br J Dermatol 2022; anbefalt for "
    "klinisk praksis av HiSTORIC-konsensus, JAMA Dermatol 2023). ",
    "Beyond the NFDV guideline (2019): HS-IGA (Garg et al., Br J Dermatol 2022; recommended for "
    "clinical practice by the HiSTORIC consensus, JAMA Dermatol 2023). ",
)


@dataclass(frozen=True, slots=True)
class HsIga:
    """XB-7: ``score`` 0–5, or null without region data; the counts it was graded by."""

    score: int | None = None
    upper_body: int | None = None
    lower_body: int | None = None
    other: int | None = None
    date: dt.date | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


def hs_iga(latest: Visit | None) -> HsIga:
    """XB-7 for the latest assessment's regions."""
    if latest is None:
        why = HS_IGA_WHY.text(
            "XB-7", SOURCE + Text("Ingen vurdering er registrert.", "No assessment is recorded.")
        )
        return HsIga(explanations=(why,))
    counts = scores.hs_iga_counts(latest.regions)
    if counts is None:
        why = HS_IGA_WHY.text(
            "XB-7",
            SOURCE
            + Text(
                f"Vurderingen {d(latest.date).nb} har ingen tellinger per region, så HS-IGA kan "
                "ikke beregnes.",
                f"The assessment of {d(latest.date).en} has no counts by region, so HS-IGA "
                "cannot be computed.",
            ),
        )
        return HsIga(date=latest.date, explanations=(why,))
    grade = scores.hs_iga_grade(counts.graded)
    plus_other = (
        Text(" pluss regionen «annet»", " plus the region 'other'")
        if counts.other
        else Text("", "")
    )
    reasons = [
        HS_IGA_WHY.text(
            "XB-7",
            SOURCE
            + Text(
                f"HS-IGA {grade} ({d(latest.date).nb}): overkropp (armhuler, under brystene) "
                f"{counts.upper_body}, underkropp (lysker, sete, genitalt, perianalt) "
                f"{counts.lower_body} lesjoner (noduli + abscesser + drenerende fistler); "
                f"graden settes av det høyeste antallet{plus_other.nb}, {counts.graded}.",
                f"HS-IGA {grade} ({d(latest.date).en}): upper body (axillae, inframammary) "
                f"{counts.upper_body}, lower body (groins, gluteal, genital, perianal) "
                f"{counts.lower_body} lesions (nodules + abscesses + draining tunnels); the "
                f"grade is set by the higher count{plus_other.en}, {counts.graded}.",
            ),
        )
    ]
    if counts.other:
        reasons.append(
            HS_IGA_WHY.text(
                "XB-7",
                reading(
                    Text(
                        f"{counts.other} lesjoner i regionen «annet» er lagt til det høyeste "
                        "antallet (graden kan over-, men aldri underestimeres).",
                        f"{counts.other} lesions of the region 'other' are added to the higher "
                        "count (the grade can be over- but never under-estimated).",
                    )
                ),
            )
        )
    return HsIga(
        score=grade,
        upper_body=counts.upper_body,
        lower_body=counts.lower_body,
        other=counts.other,
        date=latest.date,
        explanations=tuple(reasons),
    )
