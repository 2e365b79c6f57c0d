"""Where each column lands on import (hsreg hisreg import), for the README's table beside where
the export takes it from (hisreg.columns.table). Said from the same pieces the import uses
(hisreg.formdata's plan, hisreg.drugs' groups), so the table cannot drift from the code."""

from __future__ import annotations

from hsreg.guideline.catalog import DRUGS

from .dictionary import CONTROL_KEY, CONTROL_TABLES
from .formdata import COMMENT_COLUMN, EPISODE_COLUMN, FORMS, plan
from .sources_assessments import DLQI_VARIABLES
from .sources_intervention import GROUPS, SITE_FIELDS, SITES

COMPUTED = "not read: hsreg computes it when the form is saved (assessments.scoring)"
#: the columns HISREG (or hsreg's export) computes, which the import does not read
NOT_READ = {
    "IHS4SCORE": COMPUTED + ", from the counts (ST-2)",
    "IHS4SCORE_CATEGORY": COMPUTED + " (DoctorAssessment.ihs4_category, ST-2)",
    "BMI": COMPUTED + ", from the weight and registration.HIGHT",
    "BMI_CATEGORY": COMPUTED + " (from the BMI)",
    "DLQISUM": COMPUTED + ", from the answers (MO-1a)",
    "HISCR": COMPUTED + ", against the episode's baseline (MO-2, assessments.baseline)",
    "HISCR_CATEGORY": COMPUTED + ", against the episode's baseline (MO-2, assessments.baseline)",
    "HIGHT": "not read: the height is the medical history's (registration.HIGHT)",
    "IHS4_NODULI_LAST": COMPUTED + ": the episode's baseline assessment's count",
    "IHS4_BOILS_LAST": COMPUTED + ": the episode's baseline assessment's count",
    "IHS4_SINUS_LAST": COMPUTED + ": the episode's baseline assessment's count",
    "STATUS": "1 is imported as finished; 0 and -1 (not finished in HISREG) are left out and "
    "counted",
}
KEYS = {
    "PATIENT_ID": "the patient's registry id (Patient.id); the national id number is "
    "patients.csv's",
    "CENTREID": "the form's unit (Record.unit); a unit the registry lacks is created from "
    "units.csv",
    "FORM_ID": "the form's id (kept, so the keys stay valid)",
    CONTROL_KEY: "the occasion: 3 is '3m', 6 is '6m'",
}


def _episode(table: str) -> str:
    if table in CONTROL_TABLES:
        return "the intervention the control follows up (its FORM_ID in intervention.csv)"
    if table == "intervention":
        return "must be the intervention's own FORM_ID"
    return "not read: derived from the dates"


def _drug_notes() -> dict[str, str]:
    notes: dict[str, str] = {}
    for group in GROUPS:
        notes[group.question] = f"Intervention.{group.answer}, validated by its form"
        for box, drugs in group.boxes.items():
            which = f" (the box does not say which of {', '.join(drugs)})" if drugs[1:] else ""
            notes[box] = (
                f"1: a finished DrugCourse of {drugs[0]} from the intervention's date{which}"
            )
        box, text, allowed = group.other
        names = ", ".join(DRUGS[d].name.en for d in allowed)
        notes[box] = (
            f"read with {text}: 1 with no drug of the catalog named is "
            f"Intervention.{group.box_field}"
        )
        notes[text] = (
            f"each drug named ({names}; ', '-separated) a finished DrugCourse; the other names "
            f"Intervention.{group.box_field} and {group.text_field}"
        )
    return notes


def on_import(table: str, column: str) -> str:
    """Where ``column`` of ``table`` lands on import, or why it does not."""
    if column in KEYS:
        return KEYS[column]
    if column == EPISODE_COLUMN:
        return _episode(table)
    if column in NOT_READ:
        return NOT_READ[column]
    if table == "intervention":
        if column in SITES:
            return f"Intervention.{SITE_FIELDS[column]}, validated by its form (1 needs a site)"
        for boxes in SITES.values():
            if column in boxes:
                return f"1: '{boxes[column]}' in Intervention.surgery_sites"
        drugs = _drug_notes()
        if column in drugs:
            return drugs[column]
    if column == COMMENT_COLUMN:
        return "Record.comment (the export leaves it empty)"
    fields = plan(table).fields
    if column in fields:
        model = FORMS[table]._meta.model.__name__
        note = f"{model}.{fields[column]}, validated by its form"
        if column in DLQI_VARIABLES.values():
            note += " (a report with no DLQI answer of a patient under 16 is a CDLQI, XB-6)"
        if (table, column) == ("patientcontrol", "ABSCESS_PAIN"):
            note += "; empty is Unknown (the control has no Ukjent box for it)"
        return note
    return "not read"
