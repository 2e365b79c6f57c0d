"""The FHIR API's one door to patient data (issue 14): unit-scoped reads built on
hsreg.patients.selectors, and their audit rows.

An API client reads exactly what its unit reads on the pages. A single resource comes through
the selectors themselves (``get_patient``, ``get_record``): another unit's patient or form is
"not found" (404), logged as denied, and a read is logged as the page logs it, with the client
as the actor. A search reads many patients at once, so it uses the same rules in bulk, in a
number of queries that does not grow with the page: the patients of ``unit_patients`` with the
unit's consent to sharing annotated (the ``ReadScope`` each patient gets), and the forms as
``selectors.shown`` gives them to the patient page (the unit's drafts and the finished forms the
unit may see: its own, other units' only with the patient's consent). Every patient a response
carries gets a READ row (``audit``), one insert for the whole page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log_many
from hsreg.patients import selectors
from hsreg.patients.models import Patient, ReadScope, SharingConsent
from hsreg.records.models import Record, Status

R = TypeVar("R", bound=Record)
MAX_PK = 2**63 - 1


class NotFoundError(Exception):
    """A resource the client's unit does not have (or may not see): 404."""


def pk_of(text: str) -> int:
    """A registry id from a FHIR id, else ``NotFoundError`` (an id hsreg never gives)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 0 < int(text) <= MAX_PK:
        raise NotFoundError(text)
    return int(text)


def patient(*, actor: Actor, patient_id: int, target: str) -> Patient:
    """One patient of the client's unit (selectors.get_patient: audited, a miss denied)."""
    try:
        return selectors.get_patient(actor=actor, patient_id=patient_id, target=target)
    except Http404:
        raise NotFoundError(str(patient_id)) from None


def record(model: type[R], *, actor: Actor, record_id: int) -> R:
    """One form the client's unit may see (selectors.get_record: the unit's own in any status,
    another unit's finished ones with the patient's consent; audited, a miss denied)."""
    patient_id = model.objects.filter(pk=record_id).values_list("patient_id", flat=True).first()
    if patient_id is None:
        raise NotFoundError(str(record_id))
    try:
        return selectors.get_record(model, actor=actor, patient_id=patient_id, record_id=record_id)
    except Http404:
        raise NotFoundError(str(record_id)) from None


def _consent(unit_id: int, patient: str) -> Exists:
    return Exists(
        SharingConsent.objects.filter(
            patient=OuterRef(patient), unit_id=unit_id, withdrawn_at__isnull=True
        )
    )


def patients(*, actor: Actor) -> QuerySet[Patient]:
    """The client's unit's patients (selectors.unit_patients), each with ``shared``: whether
    the patient's consent to sharing with the unit is recorded (``with_scope`` reads it)."""
    unit = actor.clinical_unit
    found = selectors.unit_patients(unit=unit)
    if unit is None:
        return found
    return found.annotate(shared=_consent(unit.pk, "pk"))


def with_scope(found: Iterable[Patient], *, actor: Actor) -> list[Patient]:
    """The patients with the unit's ``ReadScope`` set, as the selectors hand them out."""
    unit = actor.clinical_unit
    result = list(found)
    if unit is not None:
        for p in result:
            p.scope = ReadScope(unit_id=unit.pk, shared=bool(getattr(p, "shared", False)))  # type: ignore[misc]
    return result


def forms(
    model: type[R], *, actor: Actor, finished_only: bool = False, patient_ids: list[int] | None
) -> QuerySet[R]:
    """The forms of one kind of the unit's patients (of ``patient_ids`` if given) that the
    unit sees, as ``selectors.shown`` lists them for one patient: the unit's drafts (unless
    ``finished_only``) and the finished forms the unit may see. No superseded versions."""
    unit = actor.clinical_unit
    if unit is None:
        return model.objects.none()
    rows = model.objects.filter(patient__in=selectors.unit_patients(unit=unit))
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=patient_ids)
    finished = Q(status=Status.FINISHED) & (Q(unit=unit) | Q(_consent(unit.pk, "patient")))
    if finished_only:
        return rows.filter(finished)
    return rows.filter(finished | Q(unit=unit, status=Status.DRAFT))


def audit(*, actor: Actor, patient_ids: Iterable[int], target: str) -> None:
    """One READ row per patient a response carries (one insert), as the pages write them."""
    unique = sorted(set(patient_ids))
    if unique:
        log_many(actor=actor, action=Action.READ, patient_ids=unique, target=target)
