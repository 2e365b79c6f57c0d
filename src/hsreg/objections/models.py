"""The minimal record of an objection: a keyed hash of the number, the date, who recorded it.

Never the number itself, nor the name: after the objection, nothing in the registry says who
the person is (objections.fingerprint explains the hash)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Objection(models.Model):
    fingerprint = models.CharField(_("keyed hash of the number"), max_length=64, unique=True)
    recorded_on = models.DateField(_("recorded"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # kept when the user is deleted, so the record still says who made it
    recorded_by_username = models.CharField(_("recorded by (username)"), max_length=150)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"objection {self.pk} ({self.recorded_on})"
