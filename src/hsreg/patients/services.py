"""Writes about patients: registering one at a unit, and the patient's consent to sharing
their forms between units (issue 11)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor, system_actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.objections.services import refuse_if_objected
from hsreg.units.models import Unit

from .models import CareRelationship, Enrolment, Patient, SharingConsent
from .national_id import NationalId, parse


class CareRelationshipError(ValidationError):
    """The number belongs to a patient another unit has registered: enrolling them here needs
    the care relationship (tjenstlig behov). Says nothing of the other unit or the patient."""


class AlreadyRegisteredError(ValidationError):
    """The number belongs to a patient this unit has registered already: the message gives
    the registry id (patients.views links it to the patient's page)."""

    def __init__(self, *, patient_id: int) -> None:
        super().__init__(
            {
                "national_id": _("This patient is already registered at this unit (#%(id)s).")
                % {"id": patient_id}
            }
        )
        self.patient_id = patient_id


def register_patient(
    *,
    unit: Unit,
    national_id: str,
    first_name: str,
    last_name: str,
    actor: Actor | None = None,
    care_relationship: str = "",
    note: str = "",
) -> Patient:
    """Registers a patient at ``unit``; birth date and sex come from the number. A patient
    already in the registry (at another unit) is enrolled here too, not duplicated, and only
    with the care relationship that justifies it (``CareRelationshipError`` otherwise, before
    anything of the patient is shown); the enrolment keeps who, when and why, and the other
    units see it. Logged as a creation of the patient or of the enrolment (``actor`` None is
    hsreg itself); an enrolment's row names the patient, so the other units' leaders see it."""
    actor = actor or system_actor()
    number = parse(national_id)
    refuse_if_objected(number=number.number)  # the patient objected (reservasjon)
    known = Patient.objects.filter(national_id=number.number).first()
    if (
        known is not None
        and care_relationship not in CareRelationship.values
        and not Enrolment.objects.filter(patient=known, unit=unit).exists()
    ):
        # outside the transaction: the row that the number was looked up must stay
        log(
            actor=actor,
            action=Action.READ,
            patient_id=known.pk,
            target="registration: registered at another unit",
        )
        raise CareRelationshipError(
            {
                "care_relationship": _(
                    "This patient is registered at another unit. To register them here too, "
                    "give the care relationship; it is recorded and shown to the other unit."
                )
            }
        )
    with transaction.atomic():
        return _enrol(
            unit=unit,
            number=number,
            first_name=first_name,
            last_name=last_name,
            actor=actor,
            care_relationship=care_relationship,
            note=note,
        )


def _enrol(
    *,
    unit: Unit,
    number: NationalId,
    first_name: str,
    last_name: str,
    actor: Actor,
    care_relationship: str,
    note: str,
) -> Patient:
    patient = Patient.objects.select_for_update().filter(national_id=number.number).first()
    if patient is None:
        try:
            with transaction.atomic():
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
        care_relationship, note = "", ""
    elif Enrolment.objects.filter(patient=patient, unit=unit).exists():
        raise AlreadyRegisteredError(patient_id=patient.pk)
    elif care_relationship not in CareRelationship.values:
        raise CareRelationshipError(  # registered elsewhere a moment ago
            {"care_relationship": _("This patient is registered at another unit.")}
        )
    is_new = not care_relationship
    Enrolment.objects.create(
        patient=patient,
        unit=unit,
        enrolled_by=actor.known_user,
        care_relationship=care_relationship,
        note=note.strip()[:200],
    )
    log(
        actor=actor,
        action=Action.CREATE,
        patient_id=patient.pk,
        target="patient" if is_new else f"enrolment at {unit.pk}",
        detail=None if is_new else {"care_relationship": care_relationship},
    )
    return patient


@transaction.atomic
def record_consent(*, actor: Actor, patient: Patient, reason: str) -> SharingConsent:
    """Records the patient's consent that the actor's unit sees the forms other units
    registered about them (read-only). The reason is required; the audit row holds its
    existence, not its text (free text may name people)."""
    unit = actor.clinical_unit
    if unit is None or not Enrolment.objects.filter(patient=patient, unit=unit).exists():
        raise ValidationError(_("The patient is not registered at your unit."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the sharing.")})
    existing = SharingConsent.objects.filter(patient=patient, unit=unit, withdrawn_at__isnull=True)
    if existing.exists():
        raise ValidationError(_("The patient's consent is already recorded for your unit."))
    consent = SharingConsent.objects.create(
        patient=patient, unit=unit, reason=reason.strip()[:200], recorded_by=actor.known_user
    )
    log(
        actor=actor,
        action=Action.CREATE,
        patient_id=patient.pk,
        target=f"sharing consent {consent.pk}",
        detail={"unit": unit.pk},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, patient: Patient) -> SharingConsent:
    """Withdraws the consent recorded for the actor's unit: the other units' forms are hidden
    again from the next page on. The row is kept with who withdrew it when."""
    unit = actor.clinical_unit
    consent = (
        SharingConsent.objects.select_for_update()
        .filter(patient=patient, unit=unit, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError(_("No consent is recorded for your unit."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor.known_user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    log(
        actor=actor,
        action=Action.CHANGE,
        patient_id=patient.pk,
        target=f"sharing consent {consent.pk}",
        detail={"withdrawn": True, "unit": unit.pk if unit else None},
    )
    return consent
