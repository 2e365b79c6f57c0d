"""The audit log: one row per access to patient data and per account event (Normen: who
read or changed what, when, from which unit, with which role, and whether it was allowed).

The log is append-only for the application: ``save`` refuses to change a stored row, and
``delete`` (of a row or a queryset) and ``update`` are refused. On PostgreSQL a trigger
(migration 0002) refuses UPDATE and DELETE from any client, raw SQL included, and another
(migration 0006) refuses TRUNCATE; where the application's database role may only INSERT and
SELECT this table (README, "Security"), not even the application's role can disable them.

A row names the patient by the internal registry id only, never by national id number or
name, so the log itself holds no identifiable data and outlives a patient's objection.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hsreg.accounts.models import Role


class AppendOnlyError(Exception):
    """Someone tried to change or delete an audit row."""


class Action(models.TextChoices):
    READ = "read", _("read")
    LIST = "list", _("listed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    EXPORT = "export", _("exported")
    DENIED = "denied", _("denied")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("locked out")
    LOGOUT = "logout", _("logged out")
    PASSWORD_CHANGE = "password_change", _("changed password")
    MFA_ENROL = "mfa_enrol", _("enrolled second factor")
    MFA_VERIFY = "mfa_verify", _("second factor verified")
    APPLY = "apply", _("applied for access")
    APPROVE = "approve", _("approved application")
    REJECT = "reject", _("rejected application")
    OBJECTION = "objection", _("recorded objection")
    MEMBERSHIP = "membership", _("changed membership")
    NEW_PASSWORD = "new_password", _("sent a new one-time password")


class Outcome(models.TextChoices):
    OK = "ok", _("allowed")
    DENIED = "denied", _("denied")
    FAILED = "failed", _("failed")


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log cannot be changed")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("the audit log cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when (UTC)"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role, blank=True)
    unit_id = models.PositiveIntegerField(_("unit (RESH id)"), null=True)
    patient_id = models.PositiveBigIntegerField(_("patient (registry id)"), null=True)
    action = models.CharField(_("action"), max_length=16, choices=Action)
    target = models.CharField(_("what"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, default=Outcome.OK)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    detail = models.JSONField(_("detail"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient_id", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["unit_id", "at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the audit log cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the audit log cannot be deleted")
