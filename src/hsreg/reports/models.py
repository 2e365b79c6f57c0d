"""What the reports need beyond the registry's own forms: the national patient register's count
of HS patients per unit and year, the denominator of coverage (dekningsgrad)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class NprCount(models.Model):
    """How many patients with HS (ICD-10 L73.2) the national patient register (NPR) saw at a
    unit in a year, as uploaded by the registry coordinator. Coverage is the registry's own
    count of patients divided by this (reports.coverage)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="npr_counts")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    patients = models.PositiveIntegerField(_("HS patients in NPR"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_npr_count_per_unit_year")
        ]
        verbose_name = _("NPR count")
        verbose_name_plural = _("NPR counts")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.patients}"
