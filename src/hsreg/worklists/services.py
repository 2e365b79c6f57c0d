"""Keeps each patient's due items in step with their forms."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.guideline import CaseError, evaluate
from hsreg.patients.case_document import build_case
from hsreg.patients.models import Patient
from hsreg.records.models import Record, Status
from hsreg.records.services import on_change
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    DrugCourse,
    Intervention,
)

from . import due
from .models import DueItem


def refresh_patient(patient: Patient, *, today: date | None = None) -> list[DueItem]:
    """Recomputes the patient's due items from their current forms (a fixed number of queries)."""
    today = today or timezone.localdate()
    items: list[due.Due] = []
    try:
        evaluation = evaluate(build_case(patient, as_of=today), today=today)
    except CaseError:
        evaluation = None  # forms that do not yet make a consistent case: nothing is due
    if evaluation is not None:
        courses = [
            (c.drug, c.date)
            for c in DrugCourse.objects.filter(patient=patient, status=Status.FINISHED)
        ]
        items += due.from_evaluation(
            evaluation, planned_biologic=due.planned_biologic_start(courses, today)
        )
    items += due.from_interventions(intervention_facts(patient))
    DueItem.objects.filter(patient=patient).delete()
    return DueItem.objects.bulk_create(
        DueItem(
            patient=patient,
            kind=i.kind,
            opens_on=i.opens_on,
            due_on=i.due_on,
            closes_on=i.closes_on,
            rule_id=i.rule_id,
            detail=i.detail,
        )
        for i in items
    )


def intervention_facts(patient: Patient) -> list[due.InterventionFacts]:
    controlled = Exists(
        DoctorAssessment.objects.filter(intervention=OuterRef("pk"), status=Status.FINISHED)
    ) | Exists(PatientReport.objects.filter(intervention=OuterRef("pk"), status=Status.FINISHED))
    rows = (
        Intervention.objects.filter(
            patient=patient,
            status=Status.FINISHED,
            type__in=[*SURGICAL_TYPES, *MEDICAL_TYPES],
        )
        .annotate(followed_up=controlled)
        .values_list("date", "type", "followed_up")
    )
    return [due.InterventionFacts(d, t in SURGICAL_TYPES, f) for d, t, f in rows]


@on_change
def _refresh_after_change(record: Record) -> None:
    refresh_patient(record.patient)
