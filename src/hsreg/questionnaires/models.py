"""Invitations: a patient answers a questionnaire, or reads who has accessed their data,
through a one-time link.

The link holds a random token of 256 bits (``secrets.token_urlsafe(32)``); only its SHA-256
is stored, so the table alone opens nothing. A link works until it expires (LINK_DAYS), is
answered, is locked after MAX_FAILURES wrong birth dates, or its control window closes. A
clinic tablet's invitation also has a short code (SHORT_CODE_LENGTH characters, typed on the
tablet's neutral screen), valid only TABLET_MINUTES.

The answers given so far (``progress``) are kept here between screens, so a phone that
sleeps or a page reloaded loses nothing; they are emptied when the answers become the
patient's report, and when the link can no longer be used.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LINK_DAYS = 14
MAX_FAILURES = 5
REMIND_AFTER_DAYS = 7
TABLET_MINUTES = 30
SHORT_CODE_LENGTH = 8


class Purpose(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    ACCESS_LOG = "access_log", _("Who has accessed my data")


class Form(models.TextChoices):
    """The patient's forms that can be sent (questionnaires.definitions builds each one)."""

    STATUS = "status", _("Patient's status form")
    CONTROL_3M = "control-3m", _("3-month patient control")
    CONTROL_6M = "control-6m", _("6-month patient control")


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    TABLET = "tablet", _("Clinic tablet")
    LINK = "link", _("Link given by the unit")
    FHIR = "fhir", _("FHIR (another system)")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    LOCKED = "locked", _("Locked")
    CLOSED = "closed", _("Closed")


#: neither answered, locked nor closed: the link works until it expires (State OPEN, or
#: EXPIRED once ``expires_at`` has passed); ``open_links`` adds the expiry
WAITING = models.Q(answered_at=None, locked_at=None, closed_at=None)


def open_links(now: datetime) -> models.Q:
    """The invitations whose link still works at ``now`` (State OPEN), as a query filter."""
    return WAITING & models.Q(expires_at__gt=now)


class Invitation(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="invitations"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.QUESTIONNAIRE
    )
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, blank=True)
    #: the intervention a control follows up (a status form has none)
    intervention = models.ForeignKey(
        "treatments.Intervention",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    #: sent by the schedule (questionnaires.schedule), not by a person
    automatic = models.BooleanField(_("sent automatically"), default=False)
    #: the link's token is HMAC(SECRET_KEY, token_salt) (questionnaires.services); only its
    #: SHA-256 is looked up
    token_salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    short_code = models.CharField(max_length=16, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    verified_at = models.DateTimeField(_("birth date confirmed"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong birth dates"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    #: the control window closed, or the unit withdrew the link
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    report = models.ForeignKey(
        "assessments.PatientReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    progress = models.JSONField(_("answers so far"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["patient", "created_at"]),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @property
    def state(self) -> State:
        if self.answered_at is not None:
            return State.ANSWERED
        if self.locked_at is not None:
            return State.LOCKED
        if self.closed_at is not None:
            return State.CLOSED
        if self.expires_at <= timezone.now():
            return State.EXPIRED
        return State.OPEN

    @property
    def usable(self) -> bool:
        return self.state == State.OPEN

    @property
    def short_code_valid(self) -> bool:
        """A tablet's short code works for TABLET_MINUTES from its creation."""
        return bool(self.short_code) and timezone.now() < self.created_at + timedelta(
            minutes=TABLET_MINUTES
        )
