"""What a patient is due for, with the dates it opens and falls due.

Rows are rewritten for one patient whenever that patient's forms change
(worklists.services.refresh_patient), from the guideline engine's own dates. A worklist is then
one indexed query for the unit ("opens_on <= today"), whatever the number of patients, and no
patient is evaluated in Python when a list is read.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DueKind(models.TextChoices):
    WEEK_12 = "week12", _("12-week evaluation")
    #: XB-3 (beyond the NFDV guideline, 2019): an IL-17 inhibitor's evaluation is at week 16
    WEEK_16 = "week16", _("16-week evaluation (XB-3, beyond the NFDV guideline (2019))")
    WEEK_24 = "week24", _("24-week evaluation")
    LAB = "lab", _("Lab check")
    FOLLOWUP_3 = "followup3", _("3-month follow-up")
    FOLLOWUP_6 = "followup6", _("6-month follow-up")
    SCREENING = "screening", _("Screening before a biologic")


class DueItem(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="due_items"
    )
    kind = models.CharField(max_length=10, choices=DueKind.choices)
    opens_on = models.DateField()
    due_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    rule_id = models.CharField(max_length=8)
    #: codes, shown in words by worklists.labels; long enough for every SC-1 test and SC-2
    #: item a screening can lack (issue 12: they were cut at 200 characters)
    detail = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["due_on", "patient_id"]
        indexes = [models.Index(fields=["kind", "opens_on"])]
