"""MO-1a and XB-6: the quality of life of the latest assessment, as the DLQI or, for a patient
under 16 on the assessment date, the children's DLQI (CDLQI) with its own bands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from . import scores
from .history import Visit
from .monitoring import DLQI_BANDS, DLQI_WHY
from .text import Explanation, Text, d, explanations_field


@dataclass(frozen=True, slots=True)
class Dlqi:
    """MO-1a, or XB-6 under 16: `instrument` is ``cdlqi`` when the patient was under 16 on the
    assessment date (then `score` and `band` are the CDLQI's), ``dlqi`` from 16, ``None``
    without an assessment."""

    score: int | None = None
    band: scores.DlqiBand | None = None
    label: Text | None = None
    date: dt.date | None = None
    instrument: Literal["dlqi", "cdlqi"] | None = None
    explanations: tuple[Explanation, ...] = explanations_field()


CDLQI_SOURCE = Text(
    "barne-DLQI (CDLQI, Lewis-Jones og Finlay 1995; bånd Waters mfl. 2010), utover "
    "NFDV-retningslinjen (2019)",
    "the children's DLQI (CDLQI, Lewis-Jones & Finlay 1995; bands Waters et al. 2010), beyond "
    "the NFDV guideline (2019)",
)


def dlqi(visit: Visit | None) -> Dlqi:
    """MO-1a: the DLQI of the latest assessment and its band; XB-6: the CDLQI and its bands
    for a patient under 16 on the assessment date."""
    instrument = visit.instrument if visit else None
    if visit is None or visit.dlqi is None:
        if instrument == "cdlqi":
            why = DLQI_WHY(
                "XB-6",
                "CDLQI er ikke registrert ved siste vurdering (eller to eller flere spørsmål er "
                f"ubesvart). Under 16 år gjelder {CDLQI_SOURCE.nb}.",
                "The CDLQI is not recorded at the latest assessment (or two or more items are "
                f"unanswered). Under 16 years the instrument is {CDLQI_SOURCE.en}.",
            )
        else:
            why = DLQI_WHY(
                "MO-1a",
                "DLQI er ikke registrert ved siste vurdering (eller to eller flere spørsmål er "
                "ubesvart, og skjemaet skåres da ikke).",
                "The DLQI is not recorded at the latest assessment (or two or more items are "
                "unanswered, and the questionnaire is then not scored).",
            )
        return Dlqi(date=visit.date if visit else None, instrument=instrument, explanations=(why,))
    when = d(visit.date)
    if instrument == "cdlqi":
        band = scores.cdlqi_band(visit.dlqi)
        label = DLQI_BANDS[band]
        why = DLQI_WHY(
            "XB-6",
            f"CDLQI {visit.dlqi} ({when.nb}): {label.nb}. Pasienten var under 16 år, så "
            f"livskvaliteten måles med {CDLQI_SOURCE.nb}: 0–1 ingen, 2–6 liten, 7–12 moderat, "
            "13–18 svært stor, 19–30 ekstremt stor effekt.",
            f"CDLQI {visit.dlqi} ({when.en}): {label.en}. The patient was under 16, so quality of "
            f"life is measured with {CDLQI_SOURCE.en}: 0–1 no, 2–6 small, 7–12 moderate, 13–18 "
            "very large, 19–30 extremely large effect.",
        )
        return Dlqi(visit.dlqi, band, label, visit.date, "cdlqi", (why,))
    band = scores.dlqi_band(visit.dlqi)
    label = DLQI_BANDS[band]
    why = DLQI_WHY(
        "MO-1a",
        f"DLQI {visit.dlqi} ({when.nb}): {label.nb}.",
        f"DLQI {visit.dlqi} ({when.en}): {label.en}.",
    )
    return Dlqi(visit.dlqi, band, label, visit.date, "dlqi", (why,))
