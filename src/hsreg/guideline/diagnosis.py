"""DX-1: the diagnosis by the modified Dessau criteria."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .case import Diagnosis
from .text import Explanation, Text, Topic, explanations_field, join

DiagnosisStatus = Literal["confirmed", "not_confirmed", "insufficient_data"]

WHY = Topic("diagnosis")

CRITERIA: dict[str, Text] = {
    "typical_lesions": Text(
        "typiske lesjoner (dype smertefulle noduli, abscesser, arr, sinusganger, "
        "dobbelte/pseudokomedoner)",
        "typical lesions (deep painful nodules, abscesses, scars, sinus tracts, "
        "double/pseudo-comedones)",
    ),
    "typical_location": Text(
        "typisk lokalisasjon (aksille, lyske, perianalt og/eller nates)",
        "typical location (axilla, groin, perianal and/or buttocks)",
    ),
    "chronic_relapsing": Text(
        "kronisk residiverende forløp med minst to inflammatoriske lesjoner innen 6 måneder "
        "(NFDV-teksten, XS-6)",
        "chronic relapsing course with at least two inflammatory lesions within 6 months "
        "(the NFDV text, XS-6)",
    ),
}


@dataclass(frozen=True, slots=True)
class DiagnosisResult:
    status: DiagnosisStatus
    criteria: dict[str, bool | None]
    missing: tuple[str, ...]
    explanations: tuple[Explanation, ...] = explanations_field()


def diagnose(diagnosis: Diagnosis) -> DiagnosisResult:
    """DX-1: confirmed when all three criteria hold. Any criterion unanswered gives
    ``insufficient_data``, never ``confirmed`` — even when another one is not met."""
    answers: dict[str, bool | None] = {name: getattr(diagnosis, name) for name in CRITERIA}
    unmet = [CRITERIA[name] for name, met in answers.items() if met is False]
    missing = tuple(f"diagnosis.{name}" for name, met in answers.items() if met is None)

    if missing:
        status: DiagnosisStatus = "insufficient_data"
        unanswered = join(
            [CRITERIA[p.removeprefix("diagnosis.")] for p in missing], Text("; ", "; ")
        )
        text = Text(
            f"Diagnosen kan ikke bekreftes før alle tre Dessau-kriterier er vurdert. "
            f"Ikke besvart: {unanswered.nb}.",
            f"The diagnosis cannot be confirmed until all three Dessau criteria are assessed. "
            f"Unanswered: {unanswered.en}.",
        )
        if unmet:
            not_met = join(unmet, Text("; ", "; "))
            text = text + Text(
                f" Allerede ikke oppfylt: {not_met.nb}.", f" Already not met: {not_met.en}."
            )
    elif unmet:
        status = "not_confirmed"
        not_met = join(unmet, Text("; ", "; "))
        text = Text(
            f"Diagnosen er ikke bekreftet; ikke oppfylt: {not_met.nb}.",
            f"The diagnosis is not confirmed; not met: {not_met.en}.",
        )
    else:
        status = "confirmed"
        text = Text(
            "Diagnosen er bekreftet: alle tre modifiserte Dessau-kriterier er oppfylt.",
            "The diagnosis is confirmed: all three modified Dessau criteria are met.",
        )
    return DiagnosisResult(
        status=status,
        criteria=answers,
        missing=missing,
        explanations=(WHY.text("DX-1", text),),
    )
