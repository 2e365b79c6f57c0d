"""A key check stamp: an HMAC of a fixed label under a key the registry uses, never the key.

A stamp tells whether a key is the one the database was used with, and nothing more: HMAC-SHA256
cannot be turned back into its key, and the label is the same for every registry."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeyStamp(models.Model):
    class Kind(models.TextChoices):
        SECRET = "secret", _("secret key")
        RESEARCH = "research", _("research key")

    kind = models.CharField(_("key"), max_length=16, choices=Kind.choices)
    value = models.CharField(_("keyed hash of the label"), max_length=64, unique=True)
    stamped_at = models.DateTimeField(_("stamped"), default=timezone.now)

    class Meta:
        ordering = ["stamped_at", "id"]
        verbose_name = _("key check stamp")
        verbose_name_plural = _("key check stamps")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="research"),
                name="keycheck_one_research_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} key stamp ({self.stamped_at:%Y-%m-%d})"
