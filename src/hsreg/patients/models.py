"""Patients and the units they are registered at."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.units.models import Unit


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Patient(models.Model):
    """A registered patient. The primary key is the internal registry id shown in the UI;
    birth date and sex are derived from the national id number (patients.national_id)."""

    national_id = models.CharField(_("national id number"), max_length=11, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
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


class Enrolment(models.Model):
    """A patient's registration at a unit. A patient may be followed at several units; a unit
    sees only the patients enrolled with it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="enrolments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "unit"], name="one_enrolment_per_unit")
        ]
        indexes = [models.Index(fields=["unit", "patient"])]
