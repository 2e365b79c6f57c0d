"""SC-1 and SC-2: screening before a biologic, its results' warnings (SC-1 Reading, results),
and whether anything in it bars one (C4)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .case import SCREENING_TESTS, Screening, TestId
from .labels import field_label
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


BLOOD_TESTS: tuple[TestId, ...] = (
    "hemoglobin",
    "leukocytes_differential",
    "platelets",
    "alt",
    "alp",
    "ggt",
    "creatinine",
    "crp",
)
# SC-1 Reading (results): each recorded result and the tests it is the result of. IGRA and the
# chest X-ray are read by SC-2 (a referral); here only whether their result is recorded.
RESULT_TESTS: dict[str, tuple[TestId, ...]] = {
    "hiv": ("hiv",),
    "hepatitis_b": ("hepatitis_b",),
    "hepatitis_c": ("hepatitis_c",),
    "blood_tests": BLOOD_TESTS,
    "urine_dipstick": ("urine_dipstick",),
    "igra": ("igra",),
    "chest_xray": ("chest_xray",),
}
RESULT_NAMES: dict[str, Text] = {
    **{name: TEST_NAMES[name] for name in ("hiv", "hepatitis_b", "hepatitis_c")},
    "blood_tests": Text(
        "blodprøvene (hemoglobin, leukocytter, trombocytter, ALAT, ALP, GGT, kreatinin, CRP)",
        "the blood tests (haemoglobin, leukocytes, platelets, ALT, ALP, GGT, creatinine, CRP)",
    ),
    **{name: TEST_NAMES[name] for name in ("urine_dipstick", "igra", "chest_xray")},
}
_FINDINGS: dict[str, Text] = {
    "positive": Text("positiv", "positive"),
    "abnormal": Text("unormal", "abnormal"),
    "not_recorded": Text("resultat ikke registrert", "result not recorded"),
}
PREGNANCY = "pregnancy"
IBD_IL17 = "ibd_il17"  # XB-4: inflammatory bowel disease and an IL-17 inhibitor
IBD_IL17_TEXT = Text(
    "inflammatorisk tarmsykdom og IL-17-hemmer: kan forverres (XB-4, utover "
    "NFDV-retningslinjen (2019); preparatomtalene for sekukinumab og bimekizumab)",
    "inflammatory bowel disease and an IL-17 inhibitor: may worsen (XB-4, beyond the NFDV "
    "guideline (2019); the summaries of product characteristics of secukinumab and bimekizumab)",
)


def warning_text(warning: str) -> Text:
    """A warning of `ScreeningResult.warnings` in words: "HIV serology: positive"."""
    if warning == PREGNANCY:
        return Text("graviditet eller ønske om graviditet", "pregnancy or wish for pregnancy")
    if warning == IBD_IL17:
        return IBD_IL17_TEXT
    result, _, finding = warning.partition(":")
    name, found = RESULT_NAMES[result], _FINDINGS[finding]
    return Text(f"{name.nb}: {found.nb}", f"{name.en}: {found.en}")


def result_warnings(s: Screening) -> tuple[str, ...]:
    """SC-1 Reading (results): ``hiv:positive``, ``blood_tests:abnormal`` … for a positive
    serology or an abnormal test, ``<result>:not_recorded`` for a test taken whose result is
    not recorded. A positive IGRA or abnormal chest X-ray is SC-2's referral, not repeated."""
    done = set(s.tests_done)
    found: list[str] = []
    for result, tests in RESULT_TESTS.items():
        value = getattr(s, result)
        if value is None:
            if done.intersection(tests):
                found.append(f"{result}:not_recorded")
        elif value in ("positive", "abnormal") and result not in ("igra", "chest_xray"):
            found.append(f"{result}:{value}")
    return tuple(found)


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """SC-1 and SC-2. ``warnings``: ``pregnancy`` (SC-2), the SC-1 Reading's (results)
    ``<result>:positive`` / ``:abnormal`` / ``:not_recorded`` and XB-4's ``ibd_il17``
    (`warning_text` names them); none of them changes C4 (``no_contraindication``)."""

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
    from_results = result_warnings(s)
    warnings = ((PREGNANCY,) if s.pregnant_or_planning else ()) + from_results

    why = []
    if missing_tests:
        names = join([TEST_NAMES[t] for t in missing_tests])
        why.append(WHY("SC-1", f"Prøver som mangler: {names.nb}.", f"Tests missing: {names.en}."))
    else:
        why.append(WHY("SC-1", "Alle screeningprøver er tatt.", "All screening tests are done."))
    why += result_explanations(from_results)
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
    if s.pregnant_or_planning:
        why.append(
            WHY(
                "SC-2",
                "Graviditet eller ønske om graviditet: vurder annen behandling (advarsel, ikke "
                "kontraindikasjon).",
                "Pregnancy or wish for pregnancy: consider another treatment (a warning, not a bar).",
            )
        )
    if no_contraindication is None:
        # the fields themselves are `unknown` (and TX-6 lists them where they decide it)
        count = len(dict.fromkeys(field_label(p) for p in unknown))
        why.append(
            WHY.reading(
                "SC-2",
                f"ingen kontraindikasjon kan bekreftes før anamnesen er fullstendig: {count} "
                f"{'opplysning' if count == 1 else 'opplysninger'} er ikke registrert.",
                f"no contraindication can be confirmed until the history is complete: {count} "
                f"{'item is' if count == 1 else 'items are'} not recorded.",
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


def with_ibd_il17(result: ScreeningResult, *, ibd: bool, il17: bool) -> ScreeningResult:
    """XB-4: warns (``ibd_il17``) of inflammatory bowel disease when an IL-17 inhibitor is
    the patient's current or planned course or an option beyond the guideline; like the other
    warnings it never changes C4. Heart failure and demyelinating disease (SC-2) are TNF-α
    contraindications and do not apply to IL-17 inhibitors, but C4 is TX-6's, adalimumab's."""
    if not (ibd and il17):
        return result
    why = WHY(
        "XB-4",
        "Utover NFDV-retningslinjen (2019): inflammatorisk tarmsykdom i sykehistorien kan "
        "forverres av sekukinumab eller bimekizumab (begge preparatomtalene); vurderes av "
        "klinikeren før oppstart. Tuberkulosescreening som SC-1/SC-2, levende vaksiner etter VA-3.",
        "Beyond the NFDV guideline (2019): a history of inflammatory bowel disease may worsen on "
        "secukinumab or bimekizumab (both summaries of product characteristics); for the "
        "clinician to assess before the start. Tuberculosis screening as SC-1/SC-2, live "
        "vaccines by VA-3.",
    )
    return replace(
        result,
        warnings=(*result.warnings, IBD_IL17),
        explanations=(*result.explanations, why),
    )


def result_explanations(warnings: tuple[str, ...]) -> list[Explanation]:
    """SC-1 Reading (results): what the clinician assesses before the start; never C4."""
    why = []
    findings = [w for w in warnings if not w.endswith(":not_recorded")]
    unrecorded = [w.partition(":")[0] for w in warnings if w.endswith(":not_recorded")]
    if findings:
        listed = join([warning_text(w) for w in findings], Text("; ", "; "))
        why.append(
            WHY.reading(
                "SC-1",
                f"{listed.nb}. Vurderes av klinikeren før oppstart; endrer ikke C4 (som følger "
                "SC-2).",
                f"{listed.en}. For the clinician to assess before the start; does not change C4 "
                "(which follows SC-2).",
            )
        )
    if unrecorded:
        listed = join([RESULT_NAMES[r] for r in unrecorded])
        why.append(
            WHY.reading(
                "SC-1",
                f"prøven er tatt, men resultatet er ikke registrert: {listed.nb}. Endrer ikke C4.",
                f"test taken, result not recorded: {listed.en}. Does not change C4.",
            )
        )
    return why
