"""Reads of patients, always through the actor's current unit, and always audited.

This module is the one door to patient data: every view gets patients and their forms from
here, with the actor taken from the request (accounts.actor). A patient of another unit is
"not found" (404), never "forbidden", so ids cannot be probed; the attempt is logged as denied.
Every patient shown - a page, a form, a line of search results - writes its audit row here
(hsreg.audit), so no view can show patient data without leaving a trace.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log, log_many
from hsreg.records.models import Record, Status
from hsreg.units.models import Unit

from .models import Patient
from .national_id import is_national_id

R = TypeVar("R", bound=Record)
SEARCH_LIMIT = 50
MAX_ID = 2**63 - 1  # the largest registry id a bigint primary key holds


def unit_patients(*, unit: Unit | None) -> QuerySet[Patient]:
    """The patients enrolled at ``unit``; none without a unit."""
    if unit is None:
        return Patient.objects.none()
    return Patient.objects.filter(enrolments__unit=unit)


def get_patient(*, actor: Actor, patient_id: int, target: str | None) -> Patient:
    """The patient if enrolled at the actor's unit (and the actor's role reads patient data),
    else 404. ``target`` names what is shown ("patient page") for the audit row; ``None``
    writes no read row and is only for answers that show nothing stored about the patient
    (the live scores of values being typed). A miss is always logged as denied."""
    try:
        patient = _readable(actor).get(pk=patient_id)
    except Patient.DoesNotExist:
        log(
            actor=actor,
            action=Action.READ,
            outcome=Outcome.DENIED,
            patient_id=patient_id if 0 < patient_id <= MAX_ID else None,
            target=target or "patient",
        )
        raise Http404("No such patient at this unit") from None
    if target is not None:
        log(actor=actor, action=Action.READ, patient_id=patient.pk, target=target)
    return patient


def search_patients(*, actor: Actor, query: str) -> list[Patient]:
    """Patients of the actor's unit by national id number (exact), registry id (#123 or 123) or
    name (every word must start a first or last name); each one shown is logged as listed."""
    patients = list(_search(_readable(actor), query))
    log_many(actor=actor, action=Action.LIST, patient_ids=[p.pk for p in patients], target="search")
    return patients


def _readable(actor: Actor) -> QuerySet[Patient]:
    return unit_patients(unit=actor.clinical_unit)


def _search(patients: QuerySet[Patient], query: str) -> QuerySet[Patient]:
    text = query.strip()
    if not text:
        return patients.order_by("-registered_at", "-id")[:SEARCH_LIMIT]
    if is_national_id(text):
        return patients.filter(national_id=text.replace(" ", ""))
    registry_id = text.removeprefix("#")
    if registry_id.isdigit():
        number = int(registry_id)
        return patients.filter(pk=number) if number <= MAX_ID else patients.none()
    for word in text.split():
        patients = patients.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return patients.order_by("last_name", "first_name", "id")[:SEARCH_LIMIT]


def current(model: type[R], *, patient: Patient) -> QuerySet[R]:
    """The patient's finished forms of one kind, corrections applied (no drafts, no earlier
    versions)."""
    return model.objects.filter(patient=patient, status=Status.FINISHED)


def drafts(model: type[R], *, patient: Patient) -> QuerySet[R]:
    return model.objects.filter(patient=patient, status=Status.DRAFT)


def get_record(model: type[R], *, actor: Actor, patient_id: int, record_id: int) -> R:
    """One form of a patient of the actor's unit, any status, else 404; logged as read."""
    target = f"{model._meta.model_name} {record_id}"
    patient = get_patient(actor=actor, patient_id=patient_id, target=target)
    try:
        return model.objects.get(pk=record_id, patient=patient)
    except model.DoesNotExist:
        raise Http404("No such form") from None
