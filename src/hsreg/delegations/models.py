"""H-resept delegation (TX-6): which unit approves for each health region, and the requests.

TX-6: a biologic is given on H-resept; it "may be delegated to private specialists with
reimbursement rights after an application approved by the regional university hospital's
dermatology department". ``RegionalDepartment`` is the registry's configuration of that
department per region (the coordinator's page); ``Delegation`` is one practice's request for
one patient and one biologic, and its decision.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsreg.guideline.catalog import BIOLOGICS, DRUGS
from hsreg.patients.models import Patient
from hsreg.units.models import HealthRegion, Unit

DRUG_CHOICES = [(drug, DRUGS[drug].name.en) for drug in BIOLOGICS]


class RegionalDepartment(models.Model):
    """The unit that decides H-resept delegation requests for a health region (TX-6)."""

    region = models.CharField(
        _("health region"), max_length=10, choices=HealthRegion.choices, unique=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["region"]

    def __str__(self) -> str:
        return f"{self.get_region_display()}: {self.unit.name}"


class DelegationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Delegation(models.Model):
    """A private practice's request to treat ``patient`` with ``drug`` on H-resept (TX-6),
    with the department's decision. ``summary`` is TX-6's eligibility as evaluated when the
    request was made (status, each criterion C0-C4 met/reason, screening missing), so the
    department decides on what the practice saw. A renewal (``renews``) is a new request
    linked to the approval it follows; that approval stays valid until its own
    ``valid_until``."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="delegations")
    practice = models.ForeignKey(
        Unit, verbose_name=_("practice"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    drug = models.CharField(_("drug"), max_length=40, choices=DRUG_CHOICES)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DelegationStatus.choices,
        default=DelegationStatus.PENDING,
    )
    summary = models.JSONField(_("eligibility summary (TX-6)"), default=dict)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    #: empty for hsreg itself (the demo's seeded approvals)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for the rejection"), max_length=500, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "practice", "drug", "status"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self) -> str:
        return f"delegation {self.pk}"

    @property
    def drug_name(self) -> str:
        return DRUGS[self.drug].name.en if self.drug in DRUGS else self.drug

    def covers(self, day: date) -> bool:
        """Approved and ``day`` within its validity, both ends included."""
        return (
            self.status == DelegationStatus.APPROVED
            and self.valid_from is not None
            and self.valid_until is not None
            and self.valid_from <= day <= self.valid_until
        )
