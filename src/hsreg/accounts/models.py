"""Users of hsreg, their units and their role at each unit (RG-2).

A user works at one or more units; the membership says what they may do there. The role of the
current unit's membership decides every access (accounts.access)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hsreg.units.models import HealthRegion, Unit


class Role(models.TextChoices):
    """What a member of a unit may do there (accounts.access.ACCESS says where)."""

    REGISTRAR = "registrar", _("Registrar")  # registers and reads the unit's patients
    UNIT_LEADER = "unit_leader", _("Unit leader")  # also the unit's reports and users
    REPORTING = "reporting", _("Reporting only")  # aggregates, no identifiable data
    COORDINATOR = "coordinator", _("Registry coordinator")  # national; no clinical editing


#: How long a one-time password mailed at approval opens a login (issue 11 point 4).
ONE_TIME_PASSWORD_LIFETIME = timedelta(hours=72)


class User(AbstractUser):
    """A person working at one or more units. Every page shows the data of `current_unit`.

    A one-time password (mailed at approval, or sent again by the coordinator) opens one login
    within ``ONE_TIME_PASSWORD_LIFETIME``: ``check_password`` refuses it after that, or once it
    has opened a login (``one_time_password_used``), so a copy of the mail found later, or
    read by someone else first, opens nothing. The first login's password change still takes
    it as the current password (``password_matches``): that session was opened by it."""

    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for a one-time password: the user chooses their own at first login."),
    )
    one_time_password_expires = models.DateTimeField(
        _("one-time password expires"),
        null=True,
        blank=True,
        help_text=_("Empty when the password is the user's own."),
    )
    one_time_password_used = models.DateTimeField(
        _("one-time password used"),
        null=True,
        blank=True,
        help_text=_("When the one-time password opened a login; it opens no other."),
    )

    units = models.ManyToManyField(Unit, through="Membership", related_name="users", blank=True)
    current_unit = models.ForeignKey(
        Unit,
        verbose_name=_("current unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def one_time_password_refusal(self) -> Literal["expired", "used"] | None:
        """Why the user's one-time password no longer opens a login: ``"used"`` once it has
        opened one, ``"expired"`` after its 72 hours; ``None`` while it still may, or when the
        password is the user's own."""
        if not self.must_change_password or self.one_time_password_expires is None:
            return None
        if self.one_time_password_used is not None:
            return "used"
        if timezone.now() >= self.one_time_password_expires:
            return "expired"
        return None

    def password_matches(self, raw_password: str | None) -> bool:
        """Whether ``raw_password`` is the stored password, whatever its state."""
        return super().check_password(raw_password)

    def check_password(self, raw_password: str | None) -> bool:
        """The password check of every login (ModelBackend): a one-time password that has
        expired or been used is refused like a wrong one (the hash is still computed, so the
        answer takes as long)."""
        matches = self.password_matches(raw_password)
        return matches and self.one_time_password_refusal() is None


class Membership(models.Model):
    """A user's membership of a unit: the only way a user reaches that unit's patients."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.REGISTRAR)
    since = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_unit")
        ]


class Solution(models.TextChoices):
    """HISREG's two solutions a person applies for (RG-2)."""

    REGISTRATION = "registration", _("Registration (patients and forms)")
    REPORTING = "reporting", _("Reporting (aggregate reports only)")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Application(models.Model):
    """A person's application for an account ("Ny bruker", RG-2), kept after the decision so
    the registry can say who approved whom and why.

    The unit is either one the registry knows (``unit``) or a private practice it does not
    know yet (``practice_*``), which the coordinator's approval adds as a unit."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    practice_name = models.CharField(_("name of the practice"), max_length=200, blank=True)
    practice_resh_id = models.PositiveIntegerField(_("RESH id of the practice"), null=True)
    practice_region = models.CharField(
        _("health region of the practice"), max_length=10, choices=HealthRegion.choices, blank=True
    )
    solution = models.CharField(_("solution"), max_length=16, choices=Solution)
    justification = models.TextField(_("why you need access"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("decided by")
    )
    role = models.CharField(_("role given"), max_length=16, choices=Role, blank=True)
    reason = models.TextField(_("reason for rejection"), blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="applications"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def unit_label(self) -> str:
        """The unit applied for, as the coordinator sees it."""
        if self.unit is not None:
            return str(self.unit)
        return f"{self.practice_name} ({self.practice_resh_id})"
