"""Reads of H-resept delegations (TX-6), scoped to the actor's unit.

A delegation is seen by the practice that asked and the department it was sent to, nobody
else: another unit gets "not found" (404) and the attempt is logged as denied, as
patients.selectors does for patients. Reading the delegated patient's summary is the
department's care relationship: one READ row with {"via": "delegation", "delegation": id},
which the patient's access log lists with every other read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log, log_many
from hsreg.units.models import Unit

from .models import Delegation, DelegationStatus, RegionalDepartment

#: the department's worklist shows approvals whose validity ends within this many days
EXPIRY_WINDOW_DAYS = 30


def valid_approval(*, patient_id: int, practice: Unit, drug: str, on: date) -> Delegation | None:
    """The approval that lets ``practice`` treat the patient with ``drug`` on ``on`` (TX-6
    H-resept): approved, ``valid_from`` <= on <= ``valid_until``; the longest-lasting one."""
    return (
        Delegation.objects.filter(
            patient_id=patient_id,
            practice=practice,
            drug=drug,
            status=DelegationStatus.APPROVED,
            valid_from__lte=on,
            valid_until__gte=on,
        )
        .order_by("-valid_until", "-pk")
        .first()
    )


@dataclass(frozen=True, slots=True)
class DepartmentWorklist:
    pending: list[Delegation]
    expiring: list[Delegation]


def department_worklist(*, actor: Actor, today: date) -> DepartmentWorklist:
    """The department's pending requests and its approvals expiring within 30 days (today
    included, day 30 included, day 31 not); each patient listed is logged (one insert)."""
    unit = actor.clinical_unit
    if unit is None:
        return DepartmentWorklist([], [])
    rows = (
        Delegation.objects.filter(department=unit)
        .filter(
            Q(status=DelegationStatus.PENDING)
            | Q(
                status=DelegationStatus.APPROVED,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=EXPIRY_WINDOW_DAYS),
            )
        )
        .select_related("patient", "practice")
        .order_by("requested_at", "pk")
    )
    listed = list(rows)
    log_many(
        actor=actor,
        action=Action.LIST,
        patient_ids=sorted({d.patient_id for d in listed}),
        target="delegation worklist",
    )
    pending = [d for d in listed if d.status == DelegationStatus.PENDING]
    expiring = sorted(
        (d for d in listed if d.status == DelegationStatus.APPROVED),
        key=lambda d: (d.valid_until, d.pk),
    )
    return DepartmentWorklist(pending, expiring)


def practice_requests(*, actor: Actor) -> QuerySet[Delegation]:
    """The practice's own requests, newest first (its own patients: no extra audit row beyond
    the page's list row, written by the view's caller)."""
    unit = actor.clinical_unit
    if unit is None:
        return Delegation.objects.none()
    return Delegation.objects.filter(practice=unit).select_related("patient", "department")


def patient_delegations(*, actor: Actor, patient_id: int) -> QuerySet[Delegation]:
    """The practice's delegations for one of its patients (the request page)."""
    return practice_requests(actor=actor).filter(patient_id=patient_id)


def get_delegation(*, actor: Actor, delegation_id: int) -> Delegation:
    """The delegation if the actor's unit is its practice or its department, else 404 with a
    denied row."""
    unit = actor.clinical_unit
    found = None
    if unit is not None and 0 < delegation_id < 2**63:
        found = (
            Delegation.objects.filter(Q(practice=unit) | Q(department=unit), pk=delegation_id)
            .select_related("patient", "practice", "department", "requested_by", "decided_by")
            .first()
        )
    if found is None:
        log(
            actor=actor,
            action=Action.READ,
            outcome=Outcome.DENIED,
            target=f"delegation {delegation_id}"[:200],
        )
        raise Http404("No such delegation for this unit")
    log(
        actor=actor,
        action=Action.READ,
        patient_id=found.patient_id,
        target=f"delegation {found.pk}",
        detail={"delegation": found.pk},
    )
    return found


def delegated_patient(*, actor: Actor, delegation_id: int) -> Delegation:
    """The department's read of the delegated patient's summary (its care relationship
    through the delegation): only the department, and only for a pending or approved
    delegation; one READ row {"via": "delegation", "delegation": id}."""
    unit = actor.clinical_unit
    found = None
    if unit is not None and 0 < delegation_id < 2**63:
        found = (
            Delegation.objects.filter(
                department=unit,
                pk=delegation_id,
                status__in=(DelegationStatus.PENDING, DelegationStatus.APPROVED),
            )
            .select_related("patient", "practice")
            .first()
        )
    if found is None:
        log(
            actor=actor,
            action=Action.READ,
            outcome=Outcome.DENIED,
            target=f"delegated patient {delegation_id}"[:200],
        )
        raise Http404("No such delegation for this department")
    log(
        actor=actor,
        action=Action.READ,
        patient_id=found.patient_id,
        target="delegated patient summary",
        detail={"via": "delegation", "delegation": found.pk},
    )
    return found


def department_for(*, region: str) -> Unit | None:
    """The unit configured to decide for ``region`` (RegionalDepartment), if any."""
    found = RegionalDepartment.objects.filter(region=region).select_related("unit").first()
    return found.unit if found else None


def is_department(*, unit: Unit | None) -> bool:
    return unit is not None and RegionalDepartment.objects.filter(unit=unit).exists()
