"""Writes about patients: registering one at a unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor, system_actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.objections.services import refuse_if_objected
from hsreg.units.models import Unit

from .models import Enrolment, Patient
from .national_id import parse


@transaction.atomic
def register_patient(
    *,
    unit: Unit,
    national_id: str,
    first_name: str,
    last_name: str,
    actor: Actor | None = None,
) -> Patient:
    """Registers a patient at ``unit``; birth date and sex come from the number. A patient
    already in the registry (at another unit) is enrolled here too, not duplicated. Logged
    as a creation of the patient or of the enrolment (``actor`` None is hsreg itself)."""
    number = parse(national_id)
    refuse_if_objected(number=number.number)  # the patient objected (reservasjon)
    patient = Patient.objects.filter(national_id=number.number).first()
    if patient is None:
        try:
            patient = Patient.objects.create(
                national_id=number.number,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                birth_date=number.birth_date,
                sex=number.sex,
            )
        except IntegrityError:  # registered by someone else a moment ago
            raise ValidationError(
                {"national_id": _("This patient was just registered; search for them.")}
            ) from None
    elif Enrolment.objects.filter(patient=patient, unit=unit).exists():
        raise ValidationError(
            {"national_id": _("This patient is already registered at this unit (#%(id)s).")},
            params={"id": patient.pk},
        )
    is_new = not Enrolment.objects.filter(patient=patient).exists()
    Enrolment.objects.create(patient=patient, unit=unit)
    log(
        actor=actor or system_actor(),
        action=Action.CREATE,
        patient_id=patient.pk,
        target="patient" if is_new else f"enrolment at {unit.pk}",
    )
    return patient
