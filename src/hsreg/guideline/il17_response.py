"""XB-3: the week-16 response decision on an IL-17 inhibitor (secukinumab, bimekizumab).

Beyond the NFDV guideline (2019), whose TX-9 evaluates adalimumab at week 12: both summaries
of product characteristics say to consider stopping when there is no improvement by week 16.
There is no 12-week extension here: that evidence is adalimumab's (TX-9). `response.decide`
calls `judge` for an IL-17 inhibitor course; this module knows nothing of the `Response`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import scores
from .history import Visit
from .logic import Tri
from .text import Text, achievement, num, reduction

#: XB-1, XB-2: the IL-17 inhibitors, in the order they are offered (beyond.py)
IL17_INHIBITORS: tuple[str, ...] = ("secukinumab", "bimekizumab")
ASSESSMENT_WEEK = 16

Week16Decision = Literal["continue", "stop", "clinical_judgement", "insufficient_data"]

BEYOND = Text(
    "Utover NFDV-retningslinjen (2019), XB-3 (preparatomtalene for sekukinumab og bimekizumab: "
    "vurder å avslutte ved manglende bedring innen uke 16): ",
    "Beyond the NFDV guideline (2019), XB-3 (the summaries of product characteristics of "
    "secukinumab and bimekizumab: consider stopping when there is no improvement by week 16): ",
)


@dataclass(frozen=True, slots=True)
class Week16:
    """One week-16 evaluation (XB-3) against the MO-2 baseline."""

    decision: Week16Decision
    an_reduction_pct: float | None
    hiscr_achieved: bool | None
    dlqi_fall: int | None
    missing: tuple[str, ...]
    text: Text


def judge(before: Visit | None, visit: Visit) -> Week16:
    """XB-3: HiSCR and a fall of ≥ 4 (DLQI, or CDLQI under 16: XB-6) → continue; AN not
    reduced at all → stop ("consider stopping"); otherwise clinical judgement, naming what was
    and was not reached; without a baseline or the quality-of-life score → insufficient data."""
    if before is None or before.date >= visit.date:
        return Week16(
            "insufficient_data",
            None,
            None,
            None,
            ("assessments",),
            Text(
                "ingen baseline-vurdering før evalueringen (MO-2).",
                "no baseline assessment before the evaluation (MO-2).",
            ),
        )
    instrument = "CDLQI" if visit.instrument == "cdlqi" else "DLQI"
    pct = scores.reduction_pct(before.lesions.an, visit.lesions.an)
    achieved = scores.hiscr(before.lesions, visit.lesions)
    fall = None if before.dlqi is None or visit.dlqi is None else before.dlqi - visit.dlqi
    fall_ok: Tri = None if fall is None else fall >= scores.DLQI_ADEQUATE_FALL
    dlqi_missing = tuple(v.path("dlqi") for v in (before, visit) if v.dlqi is None)
    facts = Text(
        f"AN {before.lesions.an} → {visit.lesions.an} ({reduction(pct).nb}), HiSCR "
        f"{achievement(achieved).nb}, {instrument}-fall {num(fall).nb}. ",
        f"AN {before.lesions.an} → {visit.lesions.an} ({reduction(pct).en}), HiSCR "
        f"{achievement(achieved).en}, {instrument} fall {num(fall).en}. ",
    )

    def week16(decision: Week16Decision, text: Text, missing: tuple[str, ...] = ()) -> Week16:
        return Week16(decision, pct, achieved, fall, missing, facts + text)

    if achieved is None:
        return week16(
            "clinical_judgement",
            Text(
                "AN ved baseline er 0, så HiSCR og AN-reduksjon kan ikke vurderes; klinisk skjønn.",
                "the AN count at baseline is 0, so HiSCR and the AN reduction are not evaluable; "
                "clinical judgement.",
            ),
        )
    if achieved and fall_ok:
        return week16(
            "continue",
            Text(
                f"HiSCR oppnådd og {instrument}-fall ≥ 4: fortsett.",
                f"HiSCR achieved and {instrument} fall ≥ 4: continue.",
            ),
        )
    if visit.lesions.an >= before.lesions.an:
        return week16(
            "stop",
            Text(
                "AN er ikke redusert (reduksjon ≤ 0 %): vurder å avslutte.",
                "AN is not reduced at all (reduction ≤ 0 %): consider stopping.",
            ),
        )
    if achieved and fall_ok is None:
        return week16(
            "insufficient_data",
            Text(
                f"HiSCR oppnådd, men {instrument} mangler for å avgjøre om det har falt ≥ 4.",
                f"HiSCR achieved, but the {instrument} is missing to decide whether it fell by "
                "≥ 4.",
            ),
            dlqi_missing,
        )
    reached = [Text("AN redusert", "AN reduced")]
    not_reached: list[Text] = []
    (reached if achieved else not_reached).append(Text("HiSCR", "HiSCR"))
    fall_name = Text(f"{instrument}-fall ≥ 4", f"{instrument} fall ≥ 4")
    if fall_ok:
        reached.append(fall_name)
    elif fall_ok is False:
        not_reached.append(fall_name)
    unknown = (
        Text(f" {instrument} er ikke registrert.", f" The {instrument} is not recorded.")
        if fall_ok is None
        else Text("", "")
    )
    return week16(
        "clinical_judgement",
        Text(
            f"Oppnådd: {_listed(reached).nb}; ikke oppnådd: {_listed(not_reached).nb}."
            f"{unknown.nb} Klinisk skjønn.",
            f"Reached: {_listed(reached).en}; not reached: {_listed(not_reached).en}."
            f"{unknown.en} Clinical judgement.",
        ),
    )


def _listed(texts: list[Text]) -> Text:
    if not texts:
        return Text("ingenting", "nothing")
    return Text(" og ".join(t.nb for t in texts), " and ".join(t.en for t in texts))
