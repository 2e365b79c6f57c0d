"""TX-12: the next step the system recommends, with the advice of TX-1..11, SU-1 and AD-1."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from . import scores
from .catalog import DRUGS, LOCAL, TETRACYCLINES, THIRD_LINE, FundingStatus, drug_name, funding_text
from .diagnosis import DiagnosisResult
from .eligibility import Eligibility
from .history import History
from .il17_response import ASSESSMENT_WEEK as IL17_ASSESSMENT_WEEK
from .labels import field_list
from .monitoring import current_biologic
from .regimens import infliximab_dose_mg
from .response import Response
from .staging import Staging, hurley_name
from .text import Explanation, Text, Topic, explanations_field, join, num, reading

RecommendedLine = Literal["local", "first", "second", "third"]

WHY = Topic("recommendation")
ADALIMUMAB_FAILED = frozenset({"inadequate_effect", "inadequate_effect_and_adverse_effect"})

COMORBIDITY_REFERRALS: dict[str, Text] = {
    "metabolic_syndrome": Text("metabolsk syndrom", "metabolic syndrome"),
    "cardiovascular": Text("hjerte- og karsykdom", "cardiovascular disease"),
    "ibd": Text("inflammatorisk tarmsykdom", "inflammatory bowel disease"),
    "spondyloarthropathy": Text("spondylartropati", "spondyloarthropathy"),
    "depression": Text("depresjon", "depression"),
    "diabetes": Text(
        "diabetes (tegn på metabolsk syndrom)", "diabetes (a sign of metabolic syndrome)"
    ),
    "hypertension": Text(
        "høyt blodtrykk (tegn på metabolsk syndrom)", "hypertension (a sign of metabolic syndrome)"
    ),
    "other": Text("annen registrert komorbiditet", "another recorded comorbidity"),
}


@dataclass(frozen=True, slots=True)
class Recommendation:
    line: RecommendedLine | None
    options: tuple[str, ...]
    advice: tuple[Explanation, ...]
    explanations: tuple[Explanation, ...] = explanations_field()
    #: XB-5: each option's funding status (Nye metoder) by its id; None for an option that
    #: is not a biologic (a non-biologic drug, surgery)
    funding_status: dict[str, FundingStatus | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Step:
    """One branch of TX-12: the line, its options, why, and the advice that goes with it."""

    line: RecommendedLine | None
    options: tuple[str, ...]
    why: Text
    advice: tuple[Explanation, ...] = ()


def recommend(
    history: History,
    diagnosis: DiagnosisResult,
    staging: Staging,
    eligibility: Eligibility,
    response: Response,
) -> Recommendation:
    """TX-12 Reading: the first branch that applies, in the Reading's order; then surgery
    (SU-1, TX-5) and adjuvant care (AD-1) whatever the branch."""
    step = (
        _after_adalimumab_failed(history, response)
        or _continue_biologic(history, response)
        or _start_adalimumab(eligibility)
        or _first_steps(staging, eligibility)
        or _no_step(staging, eligibility)
    )
    options = step.options
    if (staging.hurley or 0) >= 2:
        options = (*options, "surgery")
    advice = [*step.advice, *_surgery_advice(staging.hurley), *_adjuvant_advice(history)]
    explanations = [WHY.text("TX-12", reading(step.why))]
    if diagnosis.status != "confirmed":
        explanations.append(
            WHY(
                "DX-1",
                "Merk: diagnosen HS er ikke bekreftet etter DX-1; anbefalingen forutsetter HS.",
                "Note: the HS diagnosis is not confirmed by DX-1; the recommendation assumes HS.",
            )
        )
    funding = {o: history.funding.get(o) for o in options}
    explanations += [
        WHY.text("XB-5", funding_text(o, status))
        for o, status in funding.items()
        if status is not None
    ]
    return Recommendation(step.line, options, tuple(advice), tuple(explanations), funding)


def _after_adalimumab_failed(history: History, response: Response) -> _Step | None:
    """Adalimumab stopped for inadequate effect, or a TX-9 stop decision → third line."""
    failed = any(
        c.drug.id == "adalimumab"
        and c.ended_by(history.as_of)
        and c.stop_reason in ADALIMUMAB_FAILED
        for c in history.courses
    )
    if not failed and response.decision != "stop":
        return None
    cause = (
        Text(
            "adalimumab er avsluttet for utilstrekkelig effekt",
            "adalimumab was stopped for inadequate effect",
        )
        if failed
        else Text("responsvurderingen sier avslutt", "the response evaluation says stop")
    )
    return _Step(
        "third",
        THIRD_LINE,
        Text(f"{cause.nb}: tredjelinje (TX-11).", f"{cause.en}: third line (TX-11)."),
        (_third_line_advice(history),),
    )


def _continue_biologic(history: History, response: Response) -> _Step | None:
    """On a biologic whose evaluation does not say stop → continue it (TX-9, TX-10)."""
    course = current_biologic(history)
    if course is None:
        return None
    drug = course.drug
    # XB-3 evaluates an IL-17 inhibitor at week 16, TX-9 a TNF-α inhibitor at week 12
    rule = "XB-3" if response.assessment_week == IL17_ASSESSMENT_WEEK else "TX-9"
    advice = [_tx8()]
    if response.decision == "continue":
        advice.insert(
            0,
            WHY(
                "TX-10",
                "Ved god effekt kan behandlingen fortsette i år; fortsett minst ett år før "
                "seponering vurderes. Etter antatt kurativ kirurgi: seponer 3–6 måneder "
                "postoperativt ved fravær av residiv.",
                "With good effect treatment may continue for years; continue at least one year "
                "before stopping is considered. After presumed curative surgery: stop 3–6 months "
                "post-operatively if there is no relapse.",
            ),
        )
    return _Step(
        "second" if drug.line == "second" else "third" if drug.line == "third" else None,
        (drug.id,),
        Text(
            f"pasienten står på {drug_name(drug.id).nb}, og responsvurderingen sier ikke avslutt: "
            f"fortsett etter {rule}.",
            f"the patient is on {drug_name(drug.id).en} and the response evaluation does not say "
            f"stop: continue by {rule}.",
        ),
        tuple(advice),
    )


def _start_adalimumab(eligibility: Eligibility) -> _Step | None:
    """TX-6 met → adalimumab."""
    if eligibility.status != "eligible":
        return None
    how = WHY(
        "TX-6",
        "Gis på H-resept; kan delegeres til privatpraktiserende spesialist med refusjonsrett "
        "etter godkjent søknad til regional universitetssykehus' hudavdeling. Screening "
        "(SC-1, SC-2) og vaksiner (VA-1) før oppstart.",
        "Given on H-resept; may be delegated to a private specialist with reimbursement rights "
        "after an application approved by the regional university hospital's dermatology "
        "department. Screening (SC-1, SC-2) and vaccines (VA-1) before the start.",
    )
    return _Step(
        "second",
        ("adalimumab",),
        Text(
            "indikasjonen for adalimumab er oppfylt (TX-6).",
            "the indication for adalimumab is met (TX-6).",
        ),
        (how, _tx8()),
    )


def _first_steps(staging: Staging, eligibility: Eligibility) -> _Step | None:
    """No failed first-line course (C0 unmet): local treatment at IHS4 ≤ 3 and Hurley I (or
    unknown), otherwise a tetracycline-class course."""
    score, hurley = staging.ihs4.score, staging.hurley
    if eligibility.criteria["C0"].met is not False or score is None:
        return None
    if score < scores.IHS4_MODERATE_FROM and hurley in (1, None):
        return _Step(
            "local",
            LOCAL,
            Text(
                f"ingen mislykket førstelinjekur, IHS4 {score} (≤ 3) og Hurley "
                f"{hurley_name(hurley)}: lokalbehandling (TX-1, TX-2, TX-3).",
                f"no failed first-line course, IHS4 {score} (≤ 3) and Hurley "
                f"{hurley_name(hurley)}: local treatment (TX-1, TX-2, TX-3).",
            ),
            (
                WHY(
                    "TX-1",
                    "Mild HS behandles i hovedsak topikalt eller kirurgisk.",
                    "Mild HS is treated mainly topically or surgically.",
                ),
                *(_dosing(drug_id) for drug_id in LOCAL),
            ),
        )
    return _Step(
        "first",
        TETRACYCLINES,
        Text(
            f"ingen mislykket førstelinjekur, IHS4 {score}, Hurley {hurley_name(hurley)}: en kur "
            "med tetrasyklin (TX-4), steget som kan føre til C0.",
            f"no failed first-line course, IHS4 {score}, Hurley {hurley_name(hurley)}: a "
            "tetracycline-class course (TX-4), the step that can lead to C0.",
        ),
        (
            _dosing("tetracycline"),
            WHY(
                "TX-4",
                "Alternativer: lymesyklin 300 mg × 2 daglig, doksysyklin 100 mg × 2 daglig.",
                "Alternatives: lymecycline 300 mg twice daily, doxycycline 100 mg twice daily.",
            ),
        ),
    )


def _no_step(staging: Staging, eligibility: Eligibility) -> _Step:
    """None of the branches applies: say why, and leave the decision to the clinician."""
    if staging.date is None:
        why = Text(
            "ingen vurdering er registrert, så neste steg kan ikke anbefales.",
            "no assessment is recorded, so no next step can be recommended.",
        )
    elif eligibility.status == "insufficient_data":
        # what is missing is listed once, by TX-6
        why = Text(
            "indikasjonen for adalimumab kan ikke avgjøres før det TX-6 lister som manglende, er "
            "registrert.",
            "the indication for adalimumab cannot be decided until what TX-6 lists as missing is "
            "recorded.",
        )
    elif eligibility.criteria["C0"].met is None:
        # TX-6 Reading (C0 and the medical history): whether first line failed is unknown
        missing = field_list(eligibility.criteria["C0"].missing)
        why = Text(
            "indikasjonen for adalimumab er ikke oppfylt, og om en førstelinjekur har sviktet "
            f"(C0) er ukjent: registrer {missing.nb}. Klinikeren avgjør.",
            "the indication for adalimumab is not met, and whether a first-line course has "
            f"failed (C0) is unknown: register {missing.en}. The clinician decides.",
        )
    else:
        unmet = ", ".join(name for name, c in eligibility.criteria.items() if c.met is False)
        why = Text(
            f"en førstelinjekur har sviktet, men indikasjonen for adalimumab er ikke oppfylt "
            f"({unmet} ikke oppfylt); TX-12 gir intet neste steg, klinikeren avgjør.",
            f"a first-line course has failed, but the indication for adalimumab is not met "
            f"({unmet} not met); TX-12 gives no next step, the clinician decides.",
        )
    return _Step(None, (), why)


def _dosing(drug_id: str) -> Explanation:
    drug = DRUGS[drug_id]
    return WHY.text(drug.rule_id, drug.name + Text(": ", ": ") + drug.dosing)


def _tx8() -> Explanation:
    return WHY(
        "TX-8",
        "Antiseptisk vask daglig av berørte områder; antibiotika kan fortsette ved behov. Kirurgi "
        "bør alltid vurderes som tillegg.",
        "Daily antiseptic wash of affected areas; antibiotics may continue as needed. Surgery "
        "should always be considered as an adjunct.",
    )


def _third_line_advice(history: History) -> Explanation:
    names = join([drug_name(d) for d in THIRD_LINE])
    weight = history.patient.weight_kg
    dose = Text("", "")
    if weight is not None:
        mg = num(infliximab_dose_mg(weight), 0)
        dose = Text(
            f" ({mg.nb} mg ved {num(weight).nb} kg)", f" ({mg.en} mg at {num(weight).en} kg)"
        )
    return WHY(
        "TX-11",
        f"Tredjelinje: {names.nb}. Infliksimab 5 mg/kg{dose.nb} i.v. uke 0, 2 og 6, deretter hver "
        "8. uke. Rifampicin 300 mg × 2 + klindamycin 300 mg × 2 daglig i 3 måneder. Isotretinoin, "
        "dapson, metformin, prednisolon, metotreksat, kolkisin og hormonell behandling har lav "
        "evidens og forbeholdes spesielle tilfeller.",
        f"Third line: {names.en}. Infliximab 5 mg/kg{dose.en} IV at weeks 0, 2 and 6, then every 8 "
        "weeks. Rifampicin 300 mg twice daily + clindamycin 300 mg twice daily for 3 months. "
        "Isotretinoin, dapsone, metformin, prednisolone, methotrexate, colchicine and hormonal "
        "therapy have low evidence and are for special cases.",
    )


def _surgery_advice(hurley: int | None) -> list[Explanation]:
    advice = []
    if hurley is not None and hurley >= 2:
        advice.append(
            WHY(
                "SU-1",
                "Kirurgi (kniv eller CO2-laser) bør vurderes for de fleste med Hurley II–III. "
                "Deroofing gir rask smertelindring og mer varig effekt; incisjon og drenasje frarådes "
                "(høy residivfrekvens).",
                "Surgery (knife or CO2 laser) should be considered for most patients with Hurley "
                "II–III. Deroofing gives fast pain relief and a more lasting effect; incision and "
                "drainage is discouraged (high recurrence).",
            )
        )
    else:
        advice.append(
            WHY(
                "SU-1",
                "Kirurgi kan være aktuelt i alle stadier; incisjon og drenasje frarådes, deroofing "
                "gir rask smertelindring og mer varig effekt.",
                "Surgery may be relevant at all stages; incision and drainage is discouraged, "
                "deroofing gives fast pain relief and a more lasting effect.",
            )
        )
    if hurley == 3:
        advice.append(
            WHY(
                "TX-5",
                "Uttalte kroniske forandringer med mye arrdannelse: kombiner medisinsk behandling med "
                "kirurgi (CO2-laser, mindre eller større inngrep).",
                "Marked chronic changes with much scarring: combine medical treatment with surgery "
                "(CO2 laser, minor or major surgery).",
            )
        )
    return advice


def _adjuvant_advice(history: History) -> list[Explanation]:
    patient = history.patient
    advice = [
        WHY(
            "AD-1",
            "Støtte og informasjon om sykdommen, råd om bandasjemateriell (refusjon fra HELFO) og "
            "adekvat smertelindring.",
            "Support and information about the disease, advice on dressings (reimbursed by HELFO) "
            "and adequate pain relief.",
        )
    ]
    if patient.weight_kg is not None and patient.height_cm is not None:
        bmi = scores.bmi(patient.weight_kg, patient.height_cm)
        if bmi >= scores.BMI_OBESE_FROM:
            advice.append(
                WHY(
                    "AD-1",
                    f"KMI {num(float(bmi)).nb} (≥ 30): vektreduksjon kan redusere sykdomsbyrden.",
                    f"BMI {num(float(bmi)).en} (≥ 30): weight loss may reduce the disease burden.",
                )
            )
    if patient.smoking == "current":
        advice.append(
            WHY(
                "AD-1",
                "Røykeslutt kan redusere sykdomsbyrden.",
                "Smoking cessation may reduce the disease burden.",
            )
        )
    for comorbidity in dict.fromkeys(patient.comorbidities):
        name = COMORBIDITY_REFERRALS[comorbidity]
        advice.append(
            WHY(
                "AD-1",
                f"Henvis til videre oppfølging ved rett instans: {name.nb}.",
                f"Refer for follow-up by the right service: {name.en}.",
            )
        )
    return advice
