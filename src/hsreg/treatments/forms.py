"""The treatment forms: intervention, drug course, screening (SC-1, SC-2), vaccination (VA),
lab check (LM-1) and adverse event. Shared behaviour (klokebok, drafts, branching) is in
records.forms; here only what each form asks and checks."""

from __future__ import annotations

import contextlib
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hsreg.formats import show_date
from hsreg.guideline.case import SCREENING_TESTS
from hsreg.guideline.catalog import BEYOND_GUIDELINE, DRUGS
from hsreg.guideline.screening import BLOOD_TESTS  # one result for them together (SC-1)
from hsreg.patients.models import Patient
from hsreg.records.forms import RecordForm, group, only_when
from hsreg.records.layout import Group
from hsreg.records.models import Record
from hsreg.web.language import pick

from .course_guard import OVERRIDE, OVERRIDE_REASON, CourseGuard
from .funding import funding_statuses, status_label
from .intervention_form import (
    InterventionForm,
    intervention_label,
    limit_interventions,
    patient_choices,
    surgical_intervention_ids,
)
from .models import (
    LIVE_VACCINES,
    AdverseEvent,
    DrugCourse,
    LabCheck,
    Screening,
    Vaccination,
    Vaccine,
)
from .regimen_calendar import course_regimen

#: the forms, and the intervention form's helpers (treatments.intervention_form) importable from
#: here as before
__all__ = [
    "LINE_TITLES",
    "NYHA",
    "RESULT_OF",
    "AdverseEventForm",
    "DrugCourseForm",
    "InterventionForm",
    "LabCheckForm",
    "ScreeningForm",
    "VaccinationForm",
    "course_label",
    "drug_choices",
    "drug_label",
    "intervention_label",
    "limit_interventions",
    "patient_choices",
    "surgical_intervention_ids",
]

LINE_TITLES = {
    "local": _("Local treatment (TX-2, TX-3)"),
    "first": _("First line (TX-4)"),
    "second": _("Second line (TX-6)"),
    "third": _("Third line (TX-11)"),
    "special_cases": _("Special cases only (TX-11)"),
    None: _("Beyond the NFDV guideline"),
}
NYHA = [(0, _("No heart failure")), (1, "I"), (2, "II"), (3, "III"), (4, "IV")]


def course_label(course: DrugCourse) -> str:
    name = pick(DRUGS[course.drug].name) if course.drug in DRUGS else course.drug
    return f"#{course.pk} {name} {gettext('from')} {show_date(course.date)}"


def drug_label(drug_id: str) -> str:
    drug = DRUGS[drug_id]
    name = pick(drug.name)
    return name if drug.in_guideline else f"{name} ({pick(BEYOND_GUIDELINE)})"


def drug_choices() -> list[tuple[Any, Any]]:
    """The catalog grouped by the guideline's line, in the active language (each biologic's
    funding status, XB-5, is in the table beside the choice: treatments/_drug_dosing.html)."""
    choices: list[tuple[Any, Any]] = [("", "---------")]
    for line, title in LINE_TITLES.items():
        members = [(d.id, drug_label(d.id)) for d in DRUGS.values() if d.line == line]
        if members:
            choices.append((str(title), members))
    return choices


class DrugCourseForm(CourseGuard, RecordForm):
    """A drug course; finishing a biologic's start is checked by treatments.guards (TX-6,
    SC-1, SC-2, VA-2, VA-3) and saved only with an explicit override and its reason
    (treatments.course_guard)."""

    FUTURE_DATE_ALLOWED = True
    override = OVERRIDE
    override_reason = OVERRIDE_REASON
    LAYOUT = (
        group(
            _("Drug course"),
            "drug",
            "intervention",
            "date",
            "dose",
            only_when("drug", "adalimumab", items=["regimen"]),
            extra="treatments/_drug_dosing.html",
        ),
        group(
            _("End"),
            "end",
            "stop_reason",
            note=_("A course is ended by a correction that keeps the version without the end."),
        ),
        group(_("Comment"), "comment"),
        group(_("Safety checks before a biologic"), template="treatments/_course_guard.html"),
    )

    class Meta:
        model = DrugCourse
        fields = [
            "drug",
            "intervention",
            "date",
            "dose",
            "regimen",
            "end",
            "stop_reason",
            "comment",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Start")
        self.fields["date"].help_text = _("A start after today is a planned course.")
        self.funding = funding_statuses()  # XB-5: the coordinator's, over the catalog's default
        self.fields["drug"].choices = drug_choices()  # type: ignore[attr-defined]
        limit_interventions(self)
        self.start_guard()

    @classmethod
    def initial_from_query(cls, query: Any, patient: Patient) -> dict[str, Any]:
        initial = super().initial_from_query(query, patient)
        with contextlib.suppress(forms.ValidationError):
            start = forms.DateField(required=False).clean(query.get("date", ""))
            if start is not None:
                initial["date"] = start
        if query.get("drug", "") in DRUGS:
            initial["drug"] = query["drug"]
        return initial

    def drug_notes(self) -> list[dict[str, Any]]:
        """Dosing (TX-*) of each drug, shown when it is chosen."""
        return [
            {
                "id": d.id,
                "dosing": pick(d.dosing),
                "rule_id": d.rule_id,
                "beyond": not d.in_guideline,
            }
            for d in DRUGS.values()
        ]

    def course_regimen(self) -> dict[str, Any] | None:
        """XB-1 / XB-2: the saved IL-17 inhibitor course's regimen, for its dated calendar on
        the course's page (treatments.regimen_calendar)."""
        course = self.instance
        if course.pk is None:
            return None
        return course_regimen(course)

    def funding_table(self) -> list[dict[str, Any]]:
        """XB-5: each biologic's funding status (Nye metoder), shown beside the drug choice."""
        return [
            {
                "id": drug,
                "name": pick(DRUGS[drug].name),
                "rule_id": DRUGS[drug].rule_id,
                "beyond": not DRUGS[drug].in_guideline,
                "status": status,
                "label": status_label(status),
            }
            for drug, status in self.funding.items()
        ]

    def clean_record(self, values: dict[str, Any]) -> None:
        start, end = values.get("date"), values.get("end")
        problem = self.date_problem(end)
        if problem:
            self.add_error("end", problem)
        elif end is not None and start is not None and end < start:
            self.add_error("end", gettext("The end cannot be before the start."))
        if values.get("stop_reason") and end is None and "end" not in self.errors:
            self.add_error("stop_reason", gettext("Give the end date with a stop reason."))
        self.check_guard(values)


# SC-1 Reading (results): each test's result field, asked once the test is ticked
RESULT_OF = {
    "hiv": "hiv",
    "hepatitis_b": "hepatitis_b",
    "hepatitis_c": "hepatitis_c",
    "igra": "igra",
    "urine_dipstick": "urine_dipstick",
    "chest_xray": "chest_xray",
}


def _tests_with_results() -> list[str | Group]:
    """The SC-1 tests in the guideline's order, each result right after its test: the blood
    tests' one result after the last of them, the others asked when their test is ticked."""
    items: list[str | Group] = []
    for test in SCREENING_TESTS:
        items.append(f"test_{test}")
        if test == BLOOD_TESTS[-1]:
            items.append("blood_tests")
        elif test in RESULT_OF:
            items.append(only_when(f"test_{test}", "on", items=[RESULT_OF[test]]))
    return items


class ScreeningForm(RecordForm):
    LAYOUT = (
        group(
            _("Tests done (SC-1)"),
            "date",
            *_tests_with_results(),
            note=_(
                "Record each result where known (SC-1): a positive serology or an abnormal test "
                "is a warning for the clinician to assess before the start, and so is a test "
                "taken whose result is not recorded."
            ),
        ),
        group(
            _("History (SC-2)"),
            "cancer_within_5_years",
            "heart_failure_nyha",
            "demyelinating_disease",
            "pregnant_or_planning",
            "tb_symptoms",
            "tb_exposure",
            "tb_treated_before",
            "tb_referral_cleared",
            note=_(
                "Cancer in the last 5 years, heart failure NYHA III–IV and demyelinating disease "
                "bar a TNF-α inhibitor; tuberculosis symptoms, exposure, earlier treatment, a "
                "positive IGRA or an abnormal chest X-ray need a referral until cleared."
            ),
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = Screening
        fields = [
            "date",
            *(f"test_{t}" for t in SCREENING_TESTS),
            "blood_tests",
            "hiv",
            "hepatitis_b",
            "hepatitis_c",
            "igra",
            "urine_dipstick",
            "chest_xray",
            "cancer_within_5_years",
            "heart_failure_nyha",
            "demyelinating_disease",
            "pregnant_or_planning",
            "tb_symptoms",
            "tb_exposure",
            "tb_treated_before",
            "tb_referral_cleared",
            "comment",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heart_failure_nyha"] = forms.TypedChoiceField(
            label=Screening._meta.get_field("heart_failure_nyha").verbose_name,
            choices=[("", "---------"), *NYHA],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["blood_tests"].help_text = _(
            "One result for the blood tests above: abnormal if any of them is."
        )

    def clean_record(self, values: dict[str, Any]) -> None:
        """A blood tests result needs at least one blood test ticked (the other results are
        asked only when their test is)."""
        if values.get("blood_tests") and not any(values.get(f"test_{t}") for t in BLOOD_TESTS):
            self.add_error(
                "blood_tests",
                gettext("Tick the blood tests taken, or leave their result empty."),
            )


class VaccinationForm(RecordForm):
    LAYOUT = (group(_("Vaccination"), "date", "vaccine", "live"), group(_("Comment"), "comment"))

    class Meta:
        model = Vaccination
        fields = ["date", "vaccine", "live", "comment"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["live"].help_text = _(
            "Leave as Unknown to take it from the vaccine (measles-mumps-rubella, varicella and "
            "yellow fever are live, VA-3)."
        )

    def before_save(self, record: Record) -> None:
        assert isinstance(record, Vaccination)  # noqa: S101
        if record.live is None and record.vaccine and record.vaccine != Vaccine.OTHER:
            record.live = record.vaccine in LIVE_VACCINES


class LabCheckForm(RecordForm):
    LAYOUT = (
        group(_("Monitoring blood tests (LM-1)"), "date", "abnormal", "note"),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = LabCheck
        fields = ["date", "abnormal", "note", "comment"]


class AdverseEventForm(RecordForm):
    EXTRA_FINISH_REQUIRED = ("action_taken",)
    LAYOUT = (
        group(
            _("Adverse event"),
            "date",
            "drug_course",
            "description",
            "seriousness",
            "action_taken",
            "reported_to_dmp",
        ),
        group(_("Comment"), "comment"),
    )

    class Meta:
        model = AdverseEvent
        fields = [
            "date",
            "drug_course",
            "description",
            "seriousness",
            "action_taken",
            "reported_to_dmp",
            "comment",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field = self.fields["drug_course"]
        form_field.queryset = patient_choices(  # type: ignore[attr-defined]
            DrugCourse, patient=self.patient, keep=self.instance.drug_course_id
        )
        form_field.label_from_instance = course_label  # type: ignore[attr-defined]
        form_field.help_text = _("Optional: the drug course the event is attributed to.")
