"""Reads of patients, always through the user's current unit.

This module is the one door to patient data: every view gets patients and their forms from
here, with the unit taken from the request. A patient of another unit is "not found" (404),
never "forbidden", so ids cannot be probed.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from hsreg.records.models import Record, Status
from hsreg.units.models import Unit

from .models import Patient
from .national_id import is_national_id

R = TypeVar("R", bound=Record)
SEARCH_LIMIT = 50


def unit_patients(*, unit: Unit | None) -> QuerySet[Patient]:
    """The patients enrolled at ``unit``; none without a unit."""
    if unit is None:
        return Patient.objects.none()
    return Patient.objects.filter(enrolments__unit=unit)


def get_patient(*, unit: Unit | None, patient_id: int) -> Patient:
    """The patient if enrolled at ``unit``, else 404."""
    try:
        return unit_patients(unit=unit).get(pk=patient_id)
    except Patient.DoesNotExist:
        raise Http404("No such patient at this unit") from None


def search_patients(*, unit: Unit | None, query: str) -> QuerySet[Patient]:
    """Patients of the unit by national id number (exact), registry id (#123 or 123) or name
    (every word must start a first or last name)."""
    patients = unit_patients(unit=unit)
    text = query.strip()
    if not text:
        return patients.order_by("-registered_at", "-id")[:SEARCH_LIMIT]
    if is_national_id(text):
        return patients.filter(national_id=text.replace(" ", ""))
    registry_id = text.removeprefix("#")
    if registry_id.isdigit():
        return patients.filter(pk=int(registry_id))
    for word in text.split():
        patients = patients.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return patients.order_by("last_name", "first_name", "id")[:SEARCH_LIMIT]


def current(model: type[R], *, patient: Patient) -> QuerySet[R]:
    """The patient's finished forms of one kind, corrections applied (no drafts, no earlier
    versions)."""
    return model.objects.filter(patient=patient, status=Status.FINISHED)


def drafts(model: type[R], *, patient: Patient) -> QuerySet[R]:
    return model.objects.filter(patient=patient, status=Status.DRAFT)


def get_record(model: type[R], *, unit: Unit | None, patient_id: int, record_id: int) -> R:
    """One form of a patient of the unit, any status, else 404."""
    patient = get_patient(unit=unit, patient_id=patient_id)
    try:
        return model.objects.get(pk=record_id, patient=patient)
    except model.DoesNotExist:
        raise Http404("No such form") from None
