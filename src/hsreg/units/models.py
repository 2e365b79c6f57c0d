"""Units of the registry: hospital departments and private practices, by RESH id (RG-1, RG-2)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The largest RESH id a PositiveIntegerField holds on every database (PostgreSQL's integer):
# forms refuse a larger number with a reason, and a URL holding one is "not found".
MAX_RESH_ID = 2**31 - 1


class HealthRegion(models.TextChoices):
    """The four regional health authorities RG-1 compares treatment choices across."""

    NORD = "nord", "Helse Nord"
    MIDT = "midt", "Helse Midt-Norge"
    VEST = "vest", "Helse Vest"
    SOR_OST = "sor_ost", "Helse Sør-Øst"


class UnitKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital department")
    PRIVATE = "private", _("Private practice")


class Unit(models.Model):
    """A unit that registers patients, identified by its RESH id from the national register of
    health organisations (a whole number)."""

    resh_id = models.PositiveIntegerField(
        _("RESH id"), primary_key=True, validators=[MinValueValidator(1)]
    )
    name = models.CharField(_("name"), max_length=200)
    health_trust = models.CharField(_("health trust"), max_length=200)
    region = models.CharField(_("health region"), max_length=10, choices=HealthRegion.choices)
    kind = models.CharField(
        _("kind"), max_length=10, choices=UnitKind.choices, default=UnitKind.HOSPITAL
    )
    #: the unit's patients get their 3- and 6-month controls sent to them when the window
    #: opens (questionnaires.schedule); off until the unit leader turns it on
    invites_patients = models.BooleanField(_("send patient controls automatically"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.name} ({self.resh_id})"
