"""Patients and the units they are registered at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.units.models import Unit


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


@dataclass(frozen=True, slots=True)
class ReadScope:
    """Which units' forms of a patient a reader sees (issue 11): forms belong to the unit that
    wrote them; a unit sees its own, and the finished forms of the patient's other units only
    once the patient's consent to sharing them with this unit is recorded (SharingConsent).
    patients.selectors sets it on every patient it hands out; it is not a database field."""

    unit_id: int
    shared: bool

    def sees(self, unit_id: int) -> bool:
        return self.shared or unit_id == self.unit_id


class Patient(models.Model):
    """A registered patient. The primary key is the internal registry id shown in the UI;
    birth date and sex are derived from the national id number (patients.national_id)."""

    #: set by patients.selectors for the reading unit; None for hsreg itself (the worklists'
    #: refresh, the seeder), which reads every form
    scope: ClassVar[ReadScope | None] = None

    national_id = models.CharField(_("national id number"), max_length=11, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    #: where the patient's questionnaires are sent (questionnaires): identifiable data like the
    #: name, never in a log, an export or a message's text
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    units = models.ManyToManyField(Unit, through="Enrolment", related_name="patients")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} (#{self.pk})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CareRelationship(models.TextChoices):
    """Why a unit enrols a patient another unit has registered (tjenstlig behov)."""

    REFERRAL = "referral", _("Referral")
    TRANSFER = "transfer", _("Transfer of care")
    SHARED_CARE = "shared_care", _("Shared care")


class Enrolment(models.Model):
    """A patient's registration at a unit. A patient may be followed at several units; a unit
    sees only the patients enrolled with it. Enrolling a patient another unit has registered
    records who did it and the care relationship that justifies it; the other units see it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="enrolments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: empty for the unit that registered the patient first
    care_relationship = models.CharField(
        _("care relationship"), max_length=12, choices=CareRelationship.choices, blank=True
    )
    note = models.CharField(_("note on the care relationship"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "unit"], name="one_enrolment_per_unit")
        ]
        indexes = [models.Index(fields=["unit", "patient"])]


class SharingConsent(models.Model):
    """The patient's consent that ``unit`` may see the forms other units registered about them
    (read-only, each labelled with its unit). Recorded and withdrawn through
    patients.services, both audited; a withdrawn consent is kept with who withdrew it when."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "unit"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_unit",
            )
        ]
        indexes = [models.Index(fields=["patient", "unit"])]
        verbose_name = _("consent to sharing")
        verbose_name_plural = _("consents to sharing")
