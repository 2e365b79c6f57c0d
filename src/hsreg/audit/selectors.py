"""Reads of the audit log: one patient's accesses, and the log a reviewer may see.

Who reviews what (Normen: logs are reviewed by those responsible): the unit leader sees what
was done at their unit and every access to their unit's patients from any unit, the registry
coordinator sees everything. Rows are read newest first
through the (unit, at), (patient, at) and (user, at) indexes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role

from .models import AuditEvent


def patient_access_log(*, patient_id: int) -> QuerySet[AuditEvent]:
    """Every logged access to one patient's data, newest first, with the user (one query)."""
    return AuditEvent.objects.filter(patient_id=patient_id).select_related("user")


def reviewable_events(
    *, actor: Actor, unit_patient_ids: QuerySet[Any] | None = None
) -> QuerySet[AuditEvent]:
    """The rows the actor may review: everything for the coordinator; for a unit leader the
    rows written at their unit and every row about a patient enrolled at their unit, whichever
    unit wrote it (issue 11: a read of a shared patient by another unit is reviewed by every
    unit the patient is enrolled at); none for anyone else. ``unit_patient_ids`` is that
    unit's patients' registry ids as a subquery (patients.selectors.enrolled_patient_ids: the
    audit log knows no patient model), so this stays one query, on the (unit, at) and
    (patient, at) indexes."""
    events = AuditEvent.objects.select_related("user")
    if actor.role == Role.COORDINATOR:
        return events
    if actor.role == Role.UNIT_LEADER and actor.unit is not None:
        mine = Q(unit_id=actor.unit.pk)
        if unit_patient_ids is not None:
            mine |= Q(patient_id__in=unit_patient_ids)
        return events.filter(mine)
    return events.none()


def filtered(events: QuerySet[AuditEvent], filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """``events`` narrowed by the cleaned data of audit.forms.EventFilterForm (dates are whole
    days in the registry's time zone)."""
    if filters.get("since"):
        events = events.filter(at__gte=_start_of(filters["since"]))
    if filters.get("until"):
        events = events.filter(at__lt=_start_of(filters["until"] + timedelta(days=1)))
    if filters.get("username"):
        events = events.filter(username=filters["username"])
    if filters.get("patient"):
        events = events.filter(patient_id=filters["patient"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    if filters.get("outcome"):
        events = events.filter(outcome=filters["outcome"])
    return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
