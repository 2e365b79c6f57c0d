"""What every registry form has in common: draft, finished, corrected.

A form is saved as a draft and finished later. A finished form is read-only; it is changed only
by a correction, a new version that replaces it when finished and keeps the earlier one
(status "superseded") with who, when and why. Selectors read only current versions.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINISHED = "finished", _("Finished")
    SUPERSEDED = "superseded", _("Corrected (earlier version)")


class YesNoUnknown(models.IntegerChoices):
    """HISREG's codes for a yes/no question: 0 = no, 1 = yes, 9 = don't know."""

    NO = 0, _("No")
    YES = 1, _("Yes")
    UNKNOWN = 9, _("Don't know")


class Record(models.Model):
    """A registry form about one patient, registered at one unit."""

    #: model field -> (klokebok table, variable) for fields that ask a HISREG question
    KLOKEBOK: ClassVar[dict[str, tuple[str, str]]] = {}
    #: a short name of the form for lists and the timeline
    TITLE: ClassVar[str] = ""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="%(class)ss"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    comment = models.TextField(_("internal comment"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("corrects"),
    )
    correction_reason = models.CharField(_("reason for correction"), max_length=500, blank=True)
    #: the number of saves of this row: a page posts the version it was loaded with, and
    #: records.services refuses a save over a newer one (records.conflicts), so two people
    #: editing one draft cannot silently overwrite each other
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    #: who saved the stored version (the conflict page names them)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["date", "id"]

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT


class EarlierVersion(models.Model):
    """The stored values of a form as they were just before a draft was saved over or
    discarded: the earlier values of a change (issue 4 point 4). A finished form needs none of
    these, since it changes only by a correction, which keeps the earlier version itself.

    They live here, beside the patient, and not in the audit log: the audit row of the change
    points to its earlier version by id, and both go when the patient's objection deletes the
    patient (the free text of a form may name them); the append-only audit log keeps only ids
    and field names."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="earlier_versions"
    )
    form = models.CharField(_("form"), max_length=40)  # the model's name, e.g. doctorassessment
    form_id = models.PositiveBigIntegerField(_("form id"))
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    values = models.JSONField(_("earlier values"))

    class Meta:
        ordering = ["replaced_at", "id"]
        indexes = [models.Index(fields=["form", "form_id"])]
        verbose_name = _("earlier version of a form")
        verbose_name_plural = _("earlier versions of forms")


class Submission(models.Model):
    """A form page's one-time token, stored in the transaction that saves the form: a second
    POST of the same page (a double-click, a second tab, Back and resubmit) finds it and goes
    to the form the first one saved instead of saving again (records.submissions). It holds
    no patient data, only which form the token saved."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    form = models.CharField(_("form"), max_length=40)  # the model's name, e.g. intervention
    form_id = models.PositiveBigIntegerField(_("form id"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")


def yes_no(label: str, **kwargs: object) -> Any:
    """A HISREG yes/no/don't know question (0/1/9), empty until answered."""
    return models.PositiveSmallIntegerField(
        label, choices=YesNoUnknown.choices, null=True, blank=True, **kwargs
    )


def coded(label: str, choices: list[tuple[int, str]], **kwargs: object) -> Any:
    """A HISREG list question stored as its code."""
    return models.PositiveSmallIntegerField(label, choices=choices, null=True, blank=True, **kwargs)


def number(label: str, low: int, high: int, **kwargs: object) -> Any:
    """A whole number refused outside the klokebok's allowed range [low, high]."""
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        **kwargs,
    )


def scale(label: str, **kwargs: object) -> Any:
    """A 0-10 scale (VAS, NRS) with one decimal."""
    return models.DecimalField(
        label,
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        **kwargs,
    )
