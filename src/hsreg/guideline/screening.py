"""SC-1 and SC-2: screening before a biologic, and whether anything in it bars one (C4)."""

from __future__ import annotations

from dataclasses import dataclass

from .case import SCREENING_TESTS, Screening, TestId
from .labels import field_list
from .logic import Tri, all3
from .text import Explanation, Text, Topic, explanations_field, join

WHY = Topic("screening")

TEST_NAMES: dict[str, Text] = {
    "hemoglobin": Text("hemoglobin", "haemoglobin"),
    "leukocytes_differential": Text(
        "leukocytter med differensialtelling", "leukocytes with differential"
    ),
    "platelets": Text("trombocytter", "platelets"),
    "alt": Text("ALAT", "ALT"),
    "alp": Text("ALP", "ALP"),
    "ggt": Text("GGT", "GGT"),
    "creatinine": Text("kreatinin", "creatinine"),
    "crp": Text("CRP", "CRP"),
    "hiv": Text("HIV-serologi", "HIV serology"),
    "hepatitis_b": Text("hepatitt B-serologi", "hepatitis B serology"),
    "hepatitis_c": Text("hepatitt C-serologi", "hepatitis C serology"),
    "igra": Text("IGRA (QuantiFERON)", "IGRA (QuantiFERON)"),
    "urine_dipstick": Text("urinstiks", "urine dipstick"),
    "chest_xray": Text("røntgen thorax", "chest X-ray"),
}

CONTRAINDICATIONS: dict[str, Text] = {
    "cancer_within_5_years": Text("solitær kreft siste 5 år", "solitary cancer within 5 years"),
    "heart_failure_nyha_3_4": Text("hjertesvikt NYHA III–IV", "heart failure NYHA III–IV"),
    "demyelinating_disease": Text(
        "demyeliniserende sykdom (MS, Guillain-Barré, PML)",
        "demyelinating disease (MS, Guillain-Barré, PML)",
    ),
    "tb_referral_open": Text(
        "åpen henvisning til infeksjonsmedisiner/lungelege for tuberkulose",
        "open referral to an infectious-disease or lung physician for tuberculosis",
    ),
}

REFERRAL_TRIGGERS: dict[str, Text] = {
    "tb_symptoms": Text(
        "tuberkulosesuspekte symptomer (nattesvette, vekttap, feber, hoste, hemoptyse, dyspné, "
        "glandelsvulst)",
        "TB-suspect symptoms (night sweats, weight loss, fever, cough, haemoptysis, dyspnoea, "
        "swollen glands)",
    ),
    "tb_exposure": Text("tidligere kjent eksponering for tuberkulose", "known earlier TB exposure"),
    "tb_treated_before": Text("tidligere behandlet for tuberkulose", "earlier TB treatment"),
    "igra": Text("positiv IGRA", "positive IGRA"),
    "chest_xray": Text("unormalt røntgen thorax", "abnormal chest X-ray"),
}


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    missing_tests: tuple[TestId, ...]
    contraindications: tuple[str, ...]
    warnings: tuple[str, ...]
    referral_required: bool
    referral_reasons: tuple[str, ...]
    no_contraindication: Tri
    unknown: tuple[str, ...]
    explanations: tuple[Explanation, ...] = explanations_field()


def _triggers(s: Screening) -> dict[str, Tri]:
    """SC-2 referral triggers: True present, False absent, None not recorded."""
    return {
        "tb_symptoms": s.tb_symptoms,
        "tb_exposure": s.tb_exposure,
        "tb_treated_before": s.tb_treated_before,
        "igra": None if s.igra is None else s.igra == "positive",
        "chest_xray": None if s.chest_xray is None else s.chest_xray == "abnormal",
    }


def _bars(s: Screening, triggers: dict[str, Tri]) -> tuple[dict[str, Tri], list[str]]:
    """Each barring item of SC-2 (True bars, False does not, None unknown), and the fields
    whose absence leaves an item unknown."""
    nyha = s.heart_failure_nyha
    bars: dict[str, Tri] = {
        "cancer_within_5_years": s.cancer_within_5_years,
        "heart_failure_nyha_3_4": None if nyha is None else nyha >= 3,
        "demyelinating_disease": s.demyelinating_disease,
    }
    fields = {
        "cancer_within_5_years": s.cancer_within_5_years,
        "heart_failure_nyha": nyha,
        "demyelinating_disease": s.demyelinating_disease,
    }
    unknown = [f"screening.{name}" for name, value in fields.items() if value is None]
    if any(triggers.values()):
        # Reading: a referral is open until it is recorded as cleared.
        bars["tb_referral_open"] = s.tb_referral_cleared is not True
    elif None in triggers.values():
        bars["tb_referral_open"] = None
        unknown += [f"screening.{name}" for name, value in triggers.items() if value is None]
    else:
        bars["tb_referral_open"] = False
    return bars, unknown


def screen(s: Screening) -> ScreeningResult:
    """SC-1 tests still missing; SC-2 contraindications, warnings and TB referral.

    SC-2 Reading (C4): no contraindication iff every barring item is known and none bars
    (cancer, NYHA III–IV, demyelinating disease, an open TB referral); any unknown and none
    barring → unknown. Pregnancy never bars; it warns.
    """
    done = set(s.tests_done)
    missing_tests = tuple(t for t in SCREENING_TESTS if t not in done)
    triggers = _triggers(s)
    present = tuple(name for name, value in triggers.items() if value is True)
    bars, unknown = _bars(s, triggers)
    contraindications = tuple(name for name, value in bars.items() if value is True)
    no_contraindication = all3(*(None if bars_ is None else not bars_ for bars_ in bars.values()))
    warnings = ("pregnancy",) if s.pregnant_or_planning else ()

    why = []
    if missing_tests:
        names = join([TEST_NAMES[t] for t in missing_tests])
        why.append(WHY("SC-1", f"Prøver som mangler: {names.nb}.", f"Tests missing: {names.en}."))
    else:
        why.append(WHY("SC-1", "Alle screeningprøver er tatt.", "All screening tests are done."))
    if present:
        reasons = join([REFERRAL_TRIGGERS[t] for t in present])
        status = (
            Text("Henvisningen er avklart.", "The referral is recorded as cleared.")
            if s.tb_referral_cleared
            else Text(
                "Henvisningen er ikke registrert som avklart og sperrer C4.",
                "The referral is not recorded as cleared and blocks C4.",
            )
        )
        why.append(
            WHY.reading(
                "SC-2",
                f"henvis til infeksjonsmedisiner eller lungelege: {reasons.nb}. {status.nb}",
                f"refer to an infectious-disease or lung physician: {reasons.en}. {status.en}",
            )
        )
    why += [
        WHY(
            "SC-2",
            f"Kontraindikasjon: {CONTRAINDICATIONS[name].nb}.",
            f"Contraindication: {CONTRAINDICATIONS[name].en}.",
        )
        for name in contraindications
        if name != "tb_referral_open"
    ]
    if warnings:
        why.append(
            WHY(
                "SC-2",
                "Graviditet eller ønske om graviditet: vurder annen behandling (advarsel, ikke "
                "kontraindikasjon).",
                "Pregnancy or wish for pregnancy: consider another treatment (a warning, not a bar).",
            )
        )
    if no_contraindication is None:
        fields = field_list(unknown)
        why.append(
            WHY.reading(
                "SC-2",
                f"ingen kontraindikasjon kan bekreftes før dette er registrert: {fields.nb}.",
                f"no contraindication can be confirmed until this is recorded: {fields.en}.",
            )
        )
    elif no_contraindication:
        why.append(
            WHY(
                "SC-2",
                "Ingen kontraindikasjon i anamnesen (kreft, NYHA III–IV, demyeliniserende sykdom, "
                "tuberkulose).",
                "No contraindication in the history (cancer, NYHA III–IV, demyelinating disease, "
                "tuberculosis).",
            )
        )
    return ScreeningResult(
        missing_tests=missing_tests,
        contraindications=contraindications,
        warnings=warnings,
        referral_required=bool(present),
        referral_reasons=present,
        no_contraindication=no_contraindication,
        unknown=tuple(unknown),
        explanations=tuple(why),
    )
