"""Writes about patients: registering one at a unit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hsreg.units.models import Unit

from .models import Enrolment, Patient
from .national_id import parse


@transaction.atomic
def register_patient(*, unit: Unit, national_id: str, first_name: str, last_name: str) -> Patient:
    """Registers a patient at ``unit``; birth date and sex come from the number. A patient
    already in the registry (at another unit) is enrolled here too, not duplicated."""
    number = parse(national_id)
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
    Enrolment.objects.create(patient=patient, unit=unit)
    return patient
