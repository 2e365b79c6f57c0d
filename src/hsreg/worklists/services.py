"""Keeps each patient's due items in step with their forms."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import timezone

from hsreg.assessments.models import DoctorAssessment, PatientReport
from hsreg.patients.case_document import case_from_forms, load
from hsreg.patients.models import Patient
from hsreg.records.models import Record, Status
from hsreg.records.services import on_change
from hsreg.treatments.models import (
    MEDICAL_TYPES,
    SURGICAL_TYPES,
    Intervention,
)

from . import due
from .models import DueItem


def refresh_patient(patient: Patient, *, today: date | None = None) -> list[DueItem]:
    """Recomputes the patient's due items from their current forms (a fixed number of queries)."""
    today = today or timezone.localdate()
    forms = load(patient)
    items = due.due_items(
        case_from_forms(patient, forms, as_of=today),
        courses=[(c.drug, c.date) for c in forms.courses],
        interventions=intervention_facts(patient),
        today=today,
    )
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
