"""Users of hsreg. Custom from day one so roles and second factors (a later issue) can be added
without a data migration of Django's own user table."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.units.models import Unit


class User(AbstractUser):
    """A person working at one or more units. Every page shows the data of `current_unit`."""

    units = models.ManyToManyField(Unit, through="Membership", related_name="users", blank=True)
    current_unit = models.ForeignKey(
        Unit,
        verbose_name=_("current unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class Membership(models.Model):
    """A user's membership of a unit: the only way a user reaches that unit's patients."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_unit")
        ]
