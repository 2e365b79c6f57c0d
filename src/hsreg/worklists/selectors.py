"""The unit's worklists: one indexed query each, whatever the number of patients."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log_many
from hsreg.patients.selectors import sees_whole_history
from hsreg.units.models import Unit

from .models import DueItem, DueKind

LISTS = {
    "evaluations": (DueKind.WEEK_12, DueKind.WEEK_16, DueKind.WEEK_24),
    "labs": (DueKind.LAB,),
    "followups": (DueKind.FOLLOWUP_3, DueKind.FOLLOWUP_6),
    "screening": (DueKind.SCREENING,),
}


def worklist(*, unit: Unit | None, name: str, today: date) -> QuerySet[DueItem]:
    """Items of the named list that are open on ``today`` for patients of ``unit``, the most
    overdue first, with their patient (one query).

    A patient's due items are computed from their whole history (worklists.services), so a
    unit lists them only when it may see that whole history (patients.selectors
    .sees_whole_history): no other unit holds a finished form of the patient, or the
    patient's consent to sharing with this unit is recorded. Otherwise they would tell one
    unit of another's treatment (a 12-week evaluation of a biologic another unit started);
    the unit's own follow-ups of such a patient are on the patient page."""
    if unit is None:
        return DueItem.objects.none()
    return (
        DueItem.objects.filter(
            sees_whole_history(unit=unit),
            kind__in=LISTS[name],
            opens_on__lte=today,
            patient__enrolments__unit=unit,
        )
        .select_related("patient")
        .order_by("due_on", "patient__last_name", "patient_id")
    )


def counts(*, unit: Unit | None, today: date) -> dict[str, int]:
    """How many items each list has today (one query per list)."""
    return {name: worklist(unit=unit, name=name, today=today).count() for name in LISTS}


def worklist_page(*, actor: Actor, name: str, today: date, limit: int) -> list[DueItem]:
    """The first ``limit`` items of a list for the actor's unit, each patient shown logged as
    listed (hsreg.audit)."""
    items = list(worklist(unit=actor.clinical_unit, name=name, today=today)[:limit])
    log_many(
        actor=actor,
        action=Action.LIST,
        patient_ids=[i.patient_id for i in items],
        target=f"worklist {name}",
    )
    return items
