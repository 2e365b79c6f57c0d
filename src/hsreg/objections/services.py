"""Writes about objections: recording one (which deletes the patient), and the refusal to
register an objecting person again (called by patients.services.register_patient)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.patients.models import Patient
from hsreg.patients.national_id import parse
from hsreg.records.models import Record

from .fingerprint import fingerprint
from .models import Objection
from .selectors import objection_for


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording an objection did: the registry id of the patient deleted (None when
    the number was not registered) and how many forms went with them."""

    objection: Objection
    patient_id: int | None
    forms_deleted: int


def refuse_if_objected(*, number: str) -> None:
    """Raises a ValidationError on the national_id field, naming the reason, when the person
    with this (validated) number has objected to registration."""
    objection = objection_for(number=number)
    if objection is not None:
        message = _(
            "This person has objected to being registered in the registry "
            "(reservasjon, recorded %(date)s), so they cannot be registered."
        )
        raise ValidationError(
            {"national_id": ValidationError(message % _dated(objection), code="objected")}
        )


@transaction.atomic
def record_objection(*, actor: Actor, national_id: str) -> Recorded:
    """Records that the person with ``national_id`` objects to registration: their patient
    row, enrolments, every form and every due item are deleted, and only a keyed hash of the
    number is kept (objections.models.Objection). The audit rows already written stay: they
    name the patient by registry id only. Raises a ValidationError (national_id field) for a
    bad number, or when the objection is recorded already and nothing is left to delete."""
    number = parse(national_id).number
    patient = Patient.objects.select_for_update().filter(national_id=number).first()
    objection = objection_for(number=number)
    if objection is not None and patient is None:
        message = _("An objection for this number is recorded already (%(date)s).")
        raise ValidationError(
            {"national_id": ValidationError(message % _dated(objection), code="recorded")}
        )
    if objection is None:
        user = actor.known_user
        objection = Objection.objects.create(
            fingerprint=fingerprint(number),
            recorded_by=user,
            recorded_by_username=user.get_username() if user else "",
        )
    patient_id, forms = (None, 0) if patient is None else (patient.pk, _delete_patient(patient))
    log(
        actor=actor,
        action=Action.OBJECTION,
        patient_id=patient_id,
        target="objection",
        detail={"objection": objection.pk, "forms_deleted": forms},
    )
    return Recorded(objection=objection, patient_id=patient_id, forms_deleted=forms)


def _dated(objection: Objection) -> dict[str, str]:
    return {"date": formats.date_format(objection.recorded_on, "SHORT_DATE_FORMAT")}


def _delete_patient(patient: Patient) -> int:
    """Deletes the patient and everything that points to them; returns the number of forms.

    Forms point to one another with PROTECT (a correction to the form it replaces, an
    assessment to its intervention, an adverse event to its drug course), which guards against
    deleting one form from under another, and Django's cascade refuses them even when both go.
    So those links between this patient's own rows are cleared first; a PROTECT link from
    anything else still stops the deletion, and the transaction with it."""
    owners = _patient_models()
    for model, patient_field in owners.items():
        rows = model._default_manager.filter(**{patient_field: patient})
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.remote_field.on_delete is models.PROTECT
                and field.null
                and field.related_model in owners
            ):
                rows.exclude(**{field.name: None}).update(**{field.name: None})
    _, deleted = patient.delete()
    return sum(
        count for label, count in deleted.items() if issubclass(apps.get_model(label), Record)
    )


def _patient_models() -> dict[type[models.Model], str]:
    """Every model with a foreign key to Patient, with that key's name."""
    found: dict[type[models.Model], str] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Patient:
                found[model] = field.name
    return found
