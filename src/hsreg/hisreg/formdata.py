"""A line of one of HISREG's tables as its hsreg form would receive it: the answers as the page
posts them, so the import validates with the forms' own rules (RecordForm.clean, each form's
clean_record: ranges, required answers, branching, dates, the CDLQI's age, the control's
intervention) and saves through their ``commit`` (records.services.save_record), which sets
what hsreg derives (IHS4, AN, BMI, the DLQI total) as for a form typed in.

Which column fills which field is hisreg.columns' table read backwards: a column stored as is
fills its field; the DLQI's answers, the sites' boxes, the drug groups' "other" boxes and
texts (hisreg.drugs.split_other) and the comment are read here; what HISREG or hsreg
computes (IHS4SCORE, BMI, DLQISUM, the baseline counts and HiSCR) is not read, hsreg computes
it again. The parent questions (0/1/9) are read as answered (issue 16)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict

from hsreg.assessments.forms import DoctorAssessmentForm, MedicalHistoryForm, PatientReportForm
from hsreg.records.forms import RecordForm
from hsreg.treatments.forms import InterventionForm

from .columns import sources
from .dictionary import CONTROL_KEY, CONTROL_TABLES
from .drugs import YES, split_other
from .readers import Line
from .sources_assessments import DLQI_VARIABLES
from .sources_intervention import GROUPS, LOCAL, SITES

COMMENT_COLUMN = "USERCOMMENT"
EPISODE_COLUMN = "EPISODE_ID"
OCCASIONS = {"3": "3m", "6": "6m"}


class ImportedReportForm(PatientReportForm):
    """The patient's report as imported. XB-6's instrument is the one the form was answered
    with, not the one a new form would get today: a report with any DLQI answer is a DLQI
    (HISREG asked only the DLQI); one without, of a patient under 16 on its date, is a CDLQI
    (hsreg's own export leaves a CDLQI's answers out, HISREG has no columns for them)."""

    def _instrument(self) -> str:
        return str(self.initial.get("dlqi_instrument") or "dlqi")


class ImportedInterventionForm(InterventionForm):
    """The intervention as imported: HISREG did not ask why no intervention was given (the
    reason is hsreg's own question), so a type 4 or 5 is finished without it."""

    EXTRA_FINISH_REQUIRED = ()


#: the one field standing for every cell of the region grid in ImportedAssessmentForm
_NO_CELL = forms.Field(required=False)


class ImportedAssessmentForm(DoctorAssessmentForm):
    """The doctor's assessment as imported: HISREG has the totals and the Hurley stage, no
    counts per body region, so the form's grid (66 cells, most of its cost) is left out and
    the totals are validated and scored as typed totals are (ST-2, ST-1)."""

    @staticmethod
    def _cell(cell: str, label: str) -> forms.Field:
        return _NO_CELL

    @staticmethod
    def _cell_label(cell: str) -> str:
        return ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in [name for name in self.fields if "-" in name]:
            del self.fields[name]


class ImportedHistoryForm(MedicalHistoryForm):
    """The medical history as imported: the page's form (only lean, below)."""


def _lean(form: type[RecordForm]) -> type[RecordForm]:
    """Gives the form's choice fields their codes as labels, in copies of the fields: a form
    deep-copies its fields for every instance, and the translated labels were half the cost
    of an imported line. Validation reads only the codes."""
    for name, original in list(form.base_fields.items()):
        if isinstance(original, forms.ChoiceField) and not isinstance(
            original, forms.ModelChoiceField
        ):
            lean = copy.deepcopy(original)
            codes = []
            for value, label in original.choices:
                inner = label if isinstance(label, list | tuple) else [(value, label)]
                codes.extend((code, str(code)) for code, _label in inner)
            lean.choices = codes
            form.base_fields[name] = lean
    return form


for _imported in (
    ImportedHistoryForm,
    ImportedReportForm,
    ImportedAssessmentForm,
    ImportedInterventionForm,
):
    _lean(_imported)

#: table -> the form its lines are
FORMS: dict[str, type[RecordForm]] = {
    "registration": ImportedHistoryForm,
    "preintervention": ImportedReportForm,
    "preinterventiondoctor": ImportedAssessmentForm,
    "intervention": ImportedInterventionForm,
    "patientcontrol": ImportedReportForm,
    "doctorcontrol": ImportedAssessmentForm,
}


@dataclass(frozen=True, slots=True)
class Plan:
    """How a table's lines fill its form: column -> field, and which fields are boxes."""

    fields: dict[str, str]
    boxes: frozenset[str]

    def column_of(self, field: str) -> str:
        """The column an error of ``field`` is reported at ('' when no column holds it)."""
        if field == "intervention":
            return EPISODE_COLUMN
        if field == "occasion":
            return CONTROL_KEY
        if field == "comment":
            return COMMENT_COLUMN
        if field == "surgery_sites":
            return next(iter(SITES))
        for column, name in self.fields.items():
            if name == field:
                return column
        return ""


def _form_fields(form: type[RecordForm]) -> dict[str, forms.Field]:
    found = dict(form.base_fields)
    for name in form.UNKNOWN_FOR:
        found[f"{name}_unknown"] = forms.BooleanField(required=False)
    return found


def plan(table: str) -> Plan:
    """Which of ``table``'s columns fill which of its form's fields."""
    form_fields = _form_fields(FORMS[table])
    fields: dict[str, str] = {}
    for column, source in sources()[table].items():
        if source.field and source.field in form_fields:
            fields[column] = source.field
    if table in ("preintervention", "patientcontrol"):
        fields.update({column: name for name, column in DLQI_VARIABLES.items()})
    if table == "intervention":
        fields.update({box: name for box, (name, _drug) in LOCAL.items()})
        for group in GROUPS:  # read in form_data; named here for the problems' columns
            box, text, _allowed = group.other
            fields.update({box: group.box_field, text: group.text_field})
    fields[COMMENT_COLUMN] = "comment"
    boxes = frozenset(name for name, f in form_fields.items() if isinstance(f, forms.BooleanField))
    return Plan(fields=fields, boxes=boxes)


def form_data(table: str, line: Line, how: Plan) -> MultiValueDict[str, Any]:
    """The answers of ``line`` as the form's page would post them."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    for column, name in how.fields.items():
        value = line[column]
        if name in how.boxes:
            if value == "1":
                data[name] = "on"
        elif value:
            data[name] = value
    if table == "intervention":
        for group in GROUPS:
            box, text, allowed = group.other
            named, free = split_other(line[text], allowed)
            data.pop(group.box_field, None)
            if free or (line[box] == YES and not named):
                data[group.box_field] = "on"
            data[group.text_field] = ", ".join(free)
        data.setlist(
            "surgery_sites",
            [
                str(site)
                for boxes in SITES.values()
                for box, site in boxes.items()
                if line[box] == "1"
            ],
        )
    if table in ("preintervention", "preinterventiondoctor"):
        data["occasion"] = "pre"
    elif table in CONTROL_TABLES:
        data["occasion"] = OCCASIONS.get(line[CONTROL_KEY], line[CONTROL_KEY])
        if line[EPISODE_COLUMN]:
            data["intervention"] = line[EPISODE_COLUMN]
    if table == "patientcontrol" and not line["ABSCESS_PAIN"]:
        # the control's table has no "Ukjent" box for it: empty is not known
        data["worst_boil_pain_unknown"] = "on"
    return data


def has_dlqi_answers(line: Line) -> bool:
    return any(line[column] for column in DLQI_VARIABLES.values())
