"""Every write of an invitation goes through here: making one (by a person or the schedule),
the birth-date check, the answers kept between screens, the submission that becomes the
patient's report, and closing. So the token rules, the lock after MAX_FAILURES and the audit
row of every attempt cannot be bypassed by a view.

The link's token is derived, not stored: ``token = HMAC(SECRET_KEY, salt)`` with a random
salt of 256 bits per invitation, and only the token's SHA-256 is looked up. So the database
alone opens no link, and the reminder (questionnaires.schedule) can send the same link again.
A rotated secret key ends the links made with the old one (the patient asks for a new one).

The patient is not a user: their actions are logged as the unit's (the invitation's unit),
with no user, and ``detail.by = "patient"`` (audit rows of a patient read "the patient").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.assessments.models import Occasion, PatientReport
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log
from hsreg.patients.models import Enrolment, Patient
from hsreg.records.services import save_record
from hsreg.treatments.models import Intervention
from hsreg.units.models import Unit

from .contact import norwegian_mobile
from .models import (
    LINK_DAYS,
    MAX_FAILURES,
    SHORT_CODE_LENGTH,
    TABLET_MINUTES,
    Channel,
    Form,
    Invitation,
    Purpose,
    State,
    open_links,
)

#: the short code's alphabet: no 0/O, 1/I/L, to be typed on a tablet without mistakes
_SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
OCCASION_OF_FORM = {
    Form.STATUS: Occasion.PRE,
    Form.CONTROL_3M: Occasion.CONTROL_3,
    Form.CONTROL_6M: Occasion.CONTROL_6,
}


class InvitationError(ValidationError):
    """An invitation cannot be made as asked (the message names the field and the reason)."""


class LinkClosedError(PermissionDenied):
    """The link is answered, expired, locked or closed: it opens nothing."""

    def __init__(self, state: State) -> None:
        super().__init__(state)
        self.state = state


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_for(salt: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def link_for(token: str) -> str:
    """The patient's address of an invitation (the public site's, HSREG_PUBLIC_URL)."""
    return settings.PUBLIC_URL + reverse("patient:start", kwargs={"token": token})


def patient_actor(invitation: Invitation, *, request_id: str) -> Actor:
    """The patient answering through ``invitation``: no user, the invitation's unit."""
    return Actor(user=AnonymousUser(), unit=invitation.unit, role=None, request_id=request_id)


def _by_patient(invitation: Invitation, **detail: Any) -> dict[str, Any]:
    return {"by": "patient", "invitation": invitation.pk, **detail}


@transaction.atomic
def create_invitation(
    *,
    actor: Actor,
    unit: Unit,
    patient: Patient,
    channel: str,
    purpose: str = Purpose.QUESTIONNAIRE,
    form: str = "",
    intervention: Intervention | None = None,
    automatic: bool = False,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Makes an invitation and returns it with its token (for the link; never stored). An
    open invitation of the same patient for the same form and intervention is closed: only
    the newest link works. SMS and e-mail are queued to be sent (questionnaires.delivery);
    a tablet's invitation gets a short code, valid TABLET_MINUTES. Audited."""
    now = now or timezone.now()
    _check(
        unit=unit,
        patient=patient,
        channel=channel,
        purpose=purpose,
        form=form,
        intervention=intervention,
    )
    salt = secrets.token_urlsafe(32)
    token = _token_for(salt)
    tablet = channel == Channel.TABLET
    same = Invitation.objects.filter(
        open_links(now), patient=patient, purpose=purpose, form=form, intervention=intervention
    )
    same.update(closed_at=now, progress={})
    invitation = Invitation.objects.create(
        patient=patient,
        unit=unit,
        purpose=purpose,
        form=form,
        intervention=intervention,
        channel=channel,
        automatic=automatic,
        token_hash=token_hash(token),
        token_salt=salt,
        short_code=_short_code() if tablet else None,
        created_by=actor.known_user,
        created_at=now,
        expires_at=now
        + (timedelta(minutes=TABLET_MINUTES) if tablet else timedelta(days=LINK_DAYS)),
    )
    log(
        actor=actor,
        action=Action.CREATE,
        patient_id=patient.pk,
        target=f"invitation {invitation.pk}",
        detail={"purpose": purpose, "form": form, "channel": channel, "automatic": automatic},
    )
    if channel in (Channel.SMS, Channel.EMAIL):
        from .delivery import deliver  # noqa: PLC0415 - delivery imports this module

        deliver(invitation=invitation, token=token, reminder=False, now=now)
    return invitation, token


def _check(
    *,
    unit: Unit,
    patient: Patient,
    channel: str,
    purpose: str,
    form: str,
    intervention: Intervention | None,
) -> None:
    if channel not in Channel.values:
        raise InvitationError({"channel": _("Choose how the invitation is sent.")})
    if purpose not in Purpose.values:
        raise InvitationError({"purpose": _("Unknown purpose.")})
    if not Enrolment.objects.filter(patient=patient, unit=unit).exists():
        raise PermissionDenied("the patient is not enrolled at this unit")
    if purpose == Purpose.QUESTIONNAIRE and form not in Form.values:
        raise InvitationError({"form": _("Choose the form the patient is to answer.")})
    if purpose == Purpose.ACCESS_LOG and form:
        raise InvitationError({"form": _("An access-log link has no form.")})
    if form in (Form.CONTROL_3M, Form.CONTROL_6M):
        if intervention is None:
            raise InvitationError({"intervention": _("Choose the intervention followed up.")})
    elif intervention is not None:
        raise InvitationError({"intervention": _("Only a control follows up an intervention.")})
    if intervention is not None and intervention.patient_id != patient.pk:
        raise InvitationError({"intervention": _("The intervention is another patient's.")})
    if channel == Channel.SMS and not patient.mobile:
        raise InvitationError({"channel": _("The patient has no mobile number.")})
    if channel == Channel.SMS and not settings.SMS_URL:
        raise InvitationError({"channel": _("No SMS gateway is set up (HSREG_SMS_URL).")})
    if channel == Channel.EMAIL and not patient.email:
        raise InvitationError({"channel": _("The patient has no e-mail address.")})


def _short_code() -> str:
    while True:
        code = "".join(secrets.choice(_SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        if not Invitation.objects.filter(short_code=code).exists():
            return code


def token_of(invitation: Invitation) -> str:
    """The token of ``invitation``'s link (for the reminder and the tablet's hand-over)."""
    return _token_for(invitation.token_salt)


def find(token: str) -> Invitation | None:
    """The invitation of a link's token, in whatever state; None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("patient", "unit", "intervention")
        .filter(token_hash=token_hash(token))
        .first()
    )


def find_short_code(code: str) -> Invitation | None:
    """The tablet invitation of a short code typed on the tablet (spaces and case ignored),
    if it is still valid."""
    code = "".join(code.split()).upper()
    if len(code) != SHORT_CODE_LENGTH:
        return None
    invitation = (
        Invitation.objects.select_related("patient", "unit", "intervention")
        .filter(short_code=code, channel=Channel.TABLET)
        .first()
    )
    return invitation if invitation and invitation.short_code_valid else None


def _locked_for_update(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))  # not the outer-joined intervention
        .select_related("patient", "unit", "intervention")
        .get(pk=invitation.pk)
    )


def _require_usable(invitation: Invitation) -> None:
    state = invitation.state
    if state != State.OPEN and not (
        state == State.ANSWERED and invitation.purpose == Purpose.ACCESS_LOG
    ):
        raise LinkClosedError(state)


@transaction.atomic
def verify_birth_date(*, invitation: Invitation, birth_date: date | None, request_id: str) -> bool:
    """The patient proves who they are: True when ``birth_date`` is theirs. Every attempt is
    audited; the MAX_FAILURES-th wrong one locks the link for good (and forgets the answers
    given so far)."""
    invitation = _locked_for_update(invitation)
    _require_usable(invitation)
    actor = patient_actor(invitation, request_id=request_id)
    now = timezone.now()
    target = f"invitation {invitation.pk}"
    if birth_date is not None and birth_date == invitation.patient.birth_date:
        invitation.verified_at = now
        invitation.save(update_fields=["verified_at"])
        log(
            actor=actor,
            action=Action.LOGIN,
            patient_id=invitation.patient_id,
            target=target,
            detail=_by_patient(invitation),
        )
        return True
    invitation.failed_attempts += 1
    fields = ["failed_attempts"]
    log(
        actor=actor,
        action=Action.LOGIN_FAILED,
        outcome=Outcome.DENIED,
        patient_id=invitation.patient_id,
        target=target,
        detail=_by_patient(invitation, attempt=invitation.failed_attempts),
    )
    if invitation.failed_attempts >= MAX_FAILURES:
        invitation.locked_at = now
        invitation.progress = {}
        fields += ["locked_at", "progress"]
        log(
            actor=actor,
            action=Action.LOCKOUT,
            outcome=Outcome.DENIED,
            patient_id=invitation.patient_id,
            target=target,
            detail=_by_patient(invitation),
        )
    invitation.save(update_fields=fields)
    return False


@transaction.atomic
def save_progress(
    *, invitation: Invitation, answers: dict[str, Any], clear: Iterable[str] = ()
) -> Invitation:
    """Keeps the answers of a screen (merged over the earlier ones) until the submission.
    ``clear`` names the screen's questions whose earlier answers go when not in ``answers``
    (a question no longer relevant by a changed answer, enable_when, or an answer emptied)."""
    invitation = _locked_for_update(invitation)
    _require_usable(invitation)
    cleared = set(clear)
    kept = {k: v for k, v in invitation.progress.items() if k not in cleared}
    invitation.progress = {**kept, **answers}
    invitation.save(update_fields=["progress"])
    return invitation


@transaction.atomic
def submit(*, invitation: Invitation, answers: dict[str, Any], request_id: str) -> PatientReport:
    """The patient's answers become their report: finished at once, marked as reported by the
    patient with the channel and time, saved through records.services (audited, due items
    refreshed). The link then works no more: a second submission (a double tap, Back) raises
    LinkClosedError(ANSWERED) and saves nothing."""
    from .answers import instrument_for, report_fields  # noqa: PLC0415 - the definitions

    invitation = _locked_for_update(invitation)
    _require_usable(invitation)
    if invitation.purpose != Purpose.QUESTIONNAIRE or invitation.verified_at is None:
        raise PermissionDenied("not a verified questionnaire link")
    now = timezone.now()
    today = timezone.localdate(now)
    instrument = instrument_for(invitation.patient, today)
    report = PatientReport(
        patient=invitation.patient,
        unit=invitation.unit,
        date=today,
        occasion=OCCASION_OF_FORM[Form(invitation.form)],
        intervention=invitation.intervention,
        dlqi_instrument=instrument,
        reported_by="patient",
        reported_channel=invitation.channel,
        reported_at=now,
        **report_fields(form=invitation.form, instrument=instrument, answers=answers),
    )
    from hsreg.assessments.scoring import report_dlqi_total  # noqa: PLC0415

    report.dlqi_total = report_dlqi_total(report)
    report.full_clean(exclude=["patient", "unit", "created_by", "updated_by", "replaces"])
    actor = patient_actor(invitation, request_id=request_id)
    report = save_record(record=report, actor=actor, finish=True)
    invitation.answered_at = now
    invitation.report = report
    invitation.progress = {}
    invitation.save(update_fields=["answered_at", "report", "progress"])
    log(
        actor=actor,
        action=Action.CHANGE,
        patient_id=invitation.patient_id,
        target=f"invitation {invitation.pk}",
        detail=_by_patient(invitation, answered=True),
    )
    return report


@transaction.atomic
def withdraw(*, actor: Actor, invitation: Invitation) -> None:
    """The unit withdraws an open link (sent to the wrong number, say). Audited."""
    invitation = _locked_for_update(invitation)
    if actor.unit is None or invitation.unit_id != actor.unit.pk:
        raise PermissionDenied("only the unit that sent a link withdraws it")
    if invitation.state != State.OPEN:
        return
    invitation.closed_at = timezone.now()
    invitation.progress = {}
    invitation.save(update_fields=["closed_at", "progress"])
    log(
        actor=actor,
        action=Action.CHANGE,
        patient_id=invitation.patient_id,
        target=f"invitation {invitation.pk}",
        detail={"withdrawn": True},
    )


@transaction.atomic
def set_contact(*, actor: Actor, patient: Patient, mobile: str, email: str) -> Patient:
    """Records where the patient's invitations go (the mobile number written as E.164,
    questionnaires.contact; a number not of that shape is refused as ValidationError on
    ``mobile``). Audited by field name only: the number and the address never reach the log."""
    try:
        mobile = norwegian_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from None
    email = email.strip()
    changed = [
        name
        for name, value in (("mobile", mobile), ("email", email))
        if getattr(patient, name) != value
    ]
    patient.mobile, patient.email = mobile, email
    patient.full_clean(validate_unique=False, validate_constraints=False)
    patient.save(update_fields=["mobile", "email"])
    if changed:
        log(
            actor=actor,
            action=Action.CHANGE,
            patient_id=patient.pk,
            target="contact details",
            detail={"changed": changed},
        )
    return patient


@transaction.atomic
def set_automatic(*, actor: Actor, on: bool) -> Unit:
    """The unit leader turns the automatic sending of the patient controls
    (questionnaires.schedule) on or off for their unit. Audited."""
    unit = actor.unit
    if unit is None or actor.role != Role.UNIT_LEADER:
        raise PermissionDenied("only the unit leader turns automatic invitations on or off")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.invites_patients != on:
        unit.invites_patients = on
        unit.save(update_fields=["invites_patients"])
        log(
            actor=actor,
            action=Action.CHANGE,
            target=f"unit {unit.resh_id}",
            detail={"invites_patients": on},
        )
    return unit
