"""Where the columns of the assessment tables come from: registration (MedicalHistory),
preintervention and patientcontrol (PatientReport), preinterventiondoctor and doctorcontrol
(DoctorAssessment).

Our forms ask HISREG's questions with its codes (records.klokebok; the ``KLOKEBOK`` of each
model), so most columns are a field as stored. The rest are ticked boxes, HISREG's "Ukjent"
boxes beside a pain score, and what HISREG computed itself."""

from __future__ import annotations

from typing import Any

from hsreg.assessments.models import PAIN_FIELDS, PatientReport

from .values import Extra, Source, derived, not_stored, stored

COMMENT = not_stored(
    "the internal comment (Record.comment) is free text that may name people; left out of the "
    "export by privacy by default"
)
STATUS = derived("always 1: only finished forms are exported (Record.status)", lambda _r, _e: 1)

HISTORY_BOXES = {
    "SURGERY_FJERNING": "surgery_excision",
    "SURGERY_TOMMING": "surgery_drainage",
    "SURGERY_CO2LASER": "surgery_co2_laser",
    "SURGERY_DEROOFING": "surgery_deroofing",
    "SURGERY_OTHER": "surgery_other",
    "SURGERY_UNKNOWN": "surgery_unknown",
    "FAMILY_TYPE_ILLNES_FATHER": "family_father",
    "FAMILY_TYPE_ILLNES_MOTHER": "family_mother",
    "FAMILY_TYPE_ILLNES_SIBLINGS": "family_siblings",
    "FAMILY_TYPE_ILLNES_CHILDREN": "family_children",
    "FAMILY_TYPE_ILLNES_OTHER": "family_other",
    "FAMILY_TYPE_ILLNES_UNKNOWN": "family_unknown",
    "CARDIOVASCULAR_SPECIFY_ANGINA": "cardio_angina",
    "CARDIOVASCULAR_SPECIFY_INFARC": "cardio_infarction",
    "CARDIOVASCULAR_SPECIFY_FAILURE": "cardio_failure",
    "CARDIOVASCULAR_SPECIFY_DEFIBRILLATOR": "cardio_arrhythmia",
    "CARDIOVASCULAR_SPECIFY_OTHER": "cardio_other",
}


def registration(model_fields: dict[str, tuple[str, str]]) -> dict[str, Source]:
    """registration <- MedicalHistory (``model_fields`` is its KLOKEBOK)."""
    sources = {v: stored("MedicalHistory", f) for f, (_t, v) in model_fields.items()}
    sources.update({v: stored("MedicalHistory", f) for v, f in HISTORY_BOXES.items()})
    sources["OTHER_DISEASE_SPECIFIC"] = stored("MedicalHistory", "other_disease_text")
    sources["USERCOMMENT"] = COMMENT
    sources["STATUS"] = STATUS
    return sources


#: HISREG's "Ukjent" box of each pain score: preintervention's name of the score -> field
PAIN_VARIABLES = {
    "ABSCESS_PAIN": "worst_boil_pain",
    "VASSCORE": "vas_total",
    "VASSCORE_RIGHTARM": "vas_axilla_right",
    "VASSCORE_LEFTARM": "vas_axilla_left",
    "VASSCORE_RIGHTGROIN": "vas_groin_right",
    "VASSCORE_LEFTGROIN": "vas_groin_left",
    "VASSCORE_OTHER": "vas_other",
}
assert set(PAIN_VARIABLES.values()) == set(PAIN_FIELDS)  # noqa: S101 - every pain field
#: the DLQI's ten answers and 7b, HISREG's codes; a CDLQI (XB-6) leaves them empty
DLQI_VARIABLES = {
    "dlqi_1": "SORNESS",
    "dlqi_2": "EMBARRESSED",
    "dlqi_3": "PREVENT_DAILY_WORK",
    "dlqi_4": "CLOTHING_OPTION",
    "dlqi_5": "SOCIAL_LIFE",
    "dlqi_6": "ATHLETIC_ACTIVITY",
    "dlqi_7": "PREVENT_WORK",
    "dlqi_7_problems": "WORK_PROBLEMS",
    "dlqi_8": "PARTNER_PROBLEMS",
    "dlqi_9": "SEXUAL_PROBLEMS",
    "dlqi_10": "PROBLEMS_LAST_WEEK",
}


def _dlqi(name: str) -> Source:
    def read(record: Any, _extra: Extra) -> Any:
        return getattr(record, name) if record.dlqi_instrument == "dlqi" else None

    return derived(
        f"PatientReport.{name} (empty for a CDLQI, XB-6: HISREG has no children's DLQI)", read
    )


def _unknown(name: str) -> Source:
    return stored("PatientReport", f"{name}_unknown")


def patient_report(*, control: bool) -> dict[str, Source]:
    """preintervention (``control`` False) or patientcontrol <- PatientReport."""
    date = "CONTROL_DATE" if control else "PREINTERVENTION_DATE"
    sources: dict[str, Source] = {
        date: stored("PatientReport", "date"),
        "SMOKING": stored("PatientReport", "smoking"),
        ("WORKSTATUS" if control else "WORK"): stored("PatientReport", "work"),
        "ABSCESS": stored("PatientReport", "boils_last_4_weeks"),
        "DLQISUM": _dlqi("dlqi_total"),
        "USERCOMMENT": COMMENT,
        "STATUS": STATUS,
    }
    for variable, name in PAIN_VARIABLES.items():
        sources[variable] = stored("PatientReport", name)
        if not (control and variable == "ABSCESS_PAIN"):  # the control has no box for it
            sources[f"{variable}_MISS"] = _unknown(name)
    for name, variable in DLQI_VARIABLES.items():
        sources[variable] = _dlqi(name)
    if control:
        for name, (table, variable) in PatientReport.KLOKEBOK.items():
            if table == "patientcontrol":
                sources[variable] = stored("PatientReport", name)
        sources["OTHER_COMPLICATIONS_TEXT_ID"] = stored("PatientReport", "other_complications_text")
    return sources


def _previous(index: int, name: str) -> Source:
    return derived(
        f"DoctorAssessment.{name} of the patient's finished assessment before this one",
        lambda _record, extra: extra.previous[index] if extra.previous else None,
    )


def doctor_assessment(*, control: bool) -> dict[str, Source]:
    """preinterventiondoctor (``control`` False) or doctorcontrol <- DoctorAssessment."""
    date = "CONTROL_DATE" if control else "PREINTERVENTIONDOCTOR_DATE"
    sources: dict[str, Source] = {
        date: stored("DoctorAssessment", "date"),
        "HURLEY_SCORE": stored("DoctorAssessment", "hurley"),
        "IHS4_NODULI": stored("DoctorAssessment", "nodules"),
        "IHS4_BOILS": stored("DoctorAssessment", "abscesses"),
        "IHS4_SINUS": stored("DoctorAssessment", "draining_tunnels"),
        "IHS4SCORE": stored("DoctorAssessment", "ihs4"),
        "IHS4SCORE_CATEGORY": not_stored(
            "HISREG's computed category, whose codes the dictionary does not give "
            "(hsreg's DoctorAssessment.ihs4_category is mild/moderate/severe)"
        ),
        "USERCOMMENT": COMMENT,
        "STATUS": STATUS,
    }
    if control:
        sources["IHS4_NODULI_LAST"] = _previous(0, "nodules")
        sources["IHS4_BOILS_LAST"] = _previous(1, "abscesses")
        sources["IHS4_SINUS_LAST"] = _previous(2, "draining_tunnels")
        hiscr = (
            "HISREG's computed HiSCR, whose codes the dictionary does not give; hsreg computes "
            "HiSCR from the counts (MO-2) in its reports"
        )
        sources["HISCR"] = not_stored(hiscr)
        sources["HISCR_CATEGORY"] = not_stored(hiscr)
    else:
        sources["WEIGHT"] = stored("DoctorAssessment", "weight_kg")
        sources["HIGHT"] = not_stored(
            "the height is asked once, in the medical history (registration.HIGHT)"
        )
        sources["BMI"] = stored("DoctorAssessment", "bmi")
        sources["BMI_CATEGORY"] = not_stored(
            "HISREG's computed category, whose codes the dictionary does not give"
        )
    return sources
