"""The kinds of registry form, by the slug their URLs use (records/urls.py).

One entry per form: its model, its form class and templates, whether it has live scores
(records:live) and whether a patient has only one (the medical history). The views are
generic over this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise

from hsreg.assessments.forms import DoctorAssessmentForm, MedicalHistoryForm, PatientReportForm
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.treatments.forms import (
    AdverseEventForm,
    DrugCourseForm,
    InterventionForm,
    LabCheckForm,
    ScreeningForm,
    VaccinationForm,
)
from hsreg.treatments.models import (
    AdverseEvent,
    DrugCourse,
    Intervention,
    LabCheck,
    Screening,
    Vaccination,
)

from .forms import RecordForm
from .models import Record


@dataclass(frozen=True, slots=True)
class Kind:
    slug: str
    model: type[Record]
    form: type[RecordForm]
    template: str = "records/form.html"
    detail_template: str = "records/detail.html"
    live: bool = False
    single: bool = False

    @property
    def title(self) -> str | Promise:
        return self.model.TITLE


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("medical-history", MedicalHistory, MedicalHistoryForm, single=True),
        Kind(
            "patient-report",
            PatientReport,
            PatientReportForm,
            detail_template="assessments/patient_report_detail.html",
            live=True,
        ),
        Kind(
            "doctor-assessment",
            DoctorAssessment,
            DoctorAssessmentForm,
            detail_template="assessments/doctor_assessment_detail.html",
            live=True,
        ),
        Kind("intervention", Intervention, InterventionForm),
        Kind(
            "drug-course",
            DrugCourse,
            DrugCourseForm,
            detail_template="treatments/drug_course_detail.html",
        ),
        Kind("screening", Screening, ScreeningForm),
        Kind("vaccination", Vaccination, VaccinationForm),
        Kind("lab-check", LabCheck, LabCheckForm),
        Kind("adverse-event", AdverseEvent, AdverseEventForm),
    )
}


def get_kind(slug: str) -> Kind:
    """The kind of form named by a URL; an unknown slug is "not found"."""
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("No such kind of form") from None


def kind_of(record: Record) -> Kind:
    """The kind of a stored form (for links from lists and the timeline)."""
    for kind in KINDS.values():
        if isinstance(record, kind.model):
            return kind
    raise LookupError(type(record).__name__)
