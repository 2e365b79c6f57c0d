"""Where the columns of the assessment tables come from: registration (MedicalHistory),
preintervention and patientcontrol (PatientReport), preinterventiondoctor and doctorcontrol
(DoctorAssessment).

Our forms ask HISREG's questions with its codes (records.klokebok; the ``KLOKEBOK`` of each
model), so most columns are a field as stored. The rest are ticked boxes, HISREG's "Ukjent"
boxes beside a pain score, and what HISREG computed itself."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hsreg.assessments.models import PAIN_FIELDS, PatientReport
from hsreg.guideline.registry_codes import bmi_category, ihs4_category_code

from .values import Extra, Source, derived, stored, whole, withheld

COMMENT = withheld(
    "Record.comment",
    "the internal comment is free text that may name people; left out of the export by "
    "privacy by default",
)
STATUS = derived(
    "always 1: only finished forms are exported (Record.status)",
    lambda _r, _e: 1,
    kept_in="Record.status",
)
#: R's variables of the control tables beyond the 2021 dictionary (hisreg.dictionary.BEYOND)
CONTROL_BEYOND = {"CONTROL_POSSIBLE": "control_possible", "IMPOSSIBLE_REASON": "impossible_reason"}

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
        f"PatientReport.{name} (empty for a CDLQI, XB-6: HISREG has no children's DLQI)",
        read,
        kept_in=f"PatientReport.{name}",
    )


def _pain(name: str) -> Source:
    """A pain score: hsreg keeps one decimal (the 0-10 scale as the patient marks it); the
    dictionary codes it with 0 decimals, so the export writes the whole number, half up."""
    return derived(
        f"PatientReport.{name}, as a whole number (half up; hsreg keeps one decimal)",
        lambda record, _extra: whole(getattr(record, name)),
        kept_in=f"PatientReport.{name}",
        field=name,
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
        sources[variable] = _pain(name)
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


def _ihs4_category() -> Source:
    return derived(
        "DoctorAssessment.ihs4_category as 1 mild, 2 moderate, 3 severe (ST-2; "
        "guideline.registry_codes)",
        lambda record, _extra: ihs4_category_code(record.ihs4_category),
        kept_in="DoctorAssessment.ihs4_category",
    )


def _bmi_category() -> Source:
    return derived(
        "DoctorAssessment.bmi in R's BMI classes 1-9 (guideline.registry_codes.bmi_category)",
        lambda record, _extra: None if record.bmi is None else bmi_category(Fraction(record.bmi)),
        kept_in="DoctorAssessment.bmi",
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
        "IHS4SCORE_CATEGORY": _ihs4_category(),
        "USERCOMMENT": COMMENT,
        "STATUS": STATUS,
    }
    if control:
        # the episode's baseline counts and HiSCR, as the control form saw them when saved
        # (assessments.baseline, MO-2)
        sources["IHS4_NODULI_LAST"] = stored("DoctorAssessment", "nodules_last")
        sources["IHS4_BOILS_LAST"] = stored("DoctorAssessment", "abscesses_last")
        sources["IHS4_SINUS_LAST"] = stored("DoctorAssessment", "draining_tunnels_last")
        sources["HISCR"] = stored("DoctorAssessment", "hiscr")
        sources["HISCR_CATEGORY"] = stored("DoctorAssessment", "hiscr_category")
    else:
        sources["WEIGHT"] = stored("DoctorAssessment", "weight_kg")
        sources["HIGHT"] = derived(
            "MedicalHistory.height_cm of the patient (asked once, in the registration; HISREG "
            "copies it here for the BMI)",
            lambda _record, extra: extra.height,
            kept_in="MedicalHistory.height_cm",
        )
        sources["BMI"] = stored("DoctorAssessment", "bmi")
        sources["BMI_CATEGORY"] = _bmi_category()
    return sources


def beyond(model: str) -> dict[str, Source]:
    """The control tables' columns beyond the dictionary: whether the control was possible
    and why not (assessments.control)."""
    return {column: stored(model, name) for column, name in CONTROL_BEYOND.items()}
