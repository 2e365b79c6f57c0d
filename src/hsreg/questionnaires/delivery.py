"""Sending an invitation's link by SMS or e-mail, as a job of hsreg.jobs.

``deliver`` queues the job in the caller's transaction (the queue is a table of the same
database, as jobs.mails explains): the invitation and its message are saved together, or
neither, and the worker sends it only once that transaction has committed. A failed sending
(the gateway or mail server down) is retried later (jobs.retry).

What the task table holds: the invitation's id and whether it is a reminder, nothing else.
The job reads the number or address and derives the link's token (services.token_of) when it
runs, so neither the patient's number nor their link is ever stored in the queue; ``scrub``
empties the arguments once it has run all the same. At that moment it also checks the link is
still open: a link withdrawn, answered or closed before its message went is not sent.

The text never names the diagnosis, the registry or the patient (only the unit and the link):
Norwegian bokmål first, then one line in English. No SMS goes at night: one queued outside
DAY_STARTS-DAY_ENDS (Oslo time) waits for MORNING. E-mail goes at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from hsreg.jobs.retry import retried

from . import services
from .models import LINK_DAYS, Channel, Invitation, Purpose, State
from .sms import send_sms

logger = logging.getLogger("hsreg.jobs")

OSLO = ZoneInfo("Europe/Oslo")
#: an SMS is sent from DAY_STARTS to DAY_ENDS, Oslo time; one queued outside goes at MORNING
DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)
MORNING = time(9, 0)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def deliver(*, invitation: Invitation, token: str, reminder: bool, now: datetime) -> None:
    """Queues the SMS or e-mail of ``invitation`` (its link holds ``token``) and records when
    it goes: ``sent_at``, or ``reminded_at`` for a reminder. An SMS queued at night goes at
    the next MORNING, and that is the time recorded."""
    if services.token_hash(token) != invitation.token_hash:
        raise ValueError("the token is not this invitation's")
    if invitation.channel not in (Channel.SMS, Channel.EMAIL):
        raise ValueError(f"a {invitation.channel} invitation is not sent")
    run_after = quiet_hours_end(now) if invitation.channel == Channel.SMS else None
    job = send_invitation if run_after is None else send_invitation.using(run_after=run_after)
    job.enqueue(invitation.pk, reminder)
    field = "reminded_at" if reminder else "sent_at"
    setattr(invitation, field, run_after or now)
    invitation.save(update_fields=[field])


def quiet_hours_end(now: datetime) -> datetime | None:
    """When an SMS queued at ``now`` may go: None (at once) from DAY_STARTS to DAY_ENDS Oslo
    time, else the next MORNING (today's before DAY_STARTS, tomorrow's after DAY_ENDS)."""
    local = now.astimezone(OSLO)
    if DAY_STARTS <= local.time() < DAY_ENDS:
        return None
    day = local.date() if local.time() < DAY_STARTS else local.date() + timedelta(days=1)
    return datetime.combine(day, MORNING, tzinfo=OSLO)


def compose(*, invitation: Invitation, token: str, reminder: bool) -> Message:
    """The message of an invitation: the unit's name and the link, in bokmål and English.
    Never the diagnosis, the registry, the form's name or the patient's."""
    unit = invitation.unit.name
    link = services.link_for(token)
    if reminder:
        until = invitation.expires_at.astimezone(OSLO).strftime("%d.%m.%Y")
        validity_nb, validity_en = f"Lenken virker til {until}.", f"The link works until {until}."
    else:
        validity_nb = f"Lenken virker i {LINK_DAYS} dager."
        validity_en = f"The link works for {LINK_DAYS} days."
    if invitation.purpose == Purpose.ACCESS_LOG:
        nb = f"{unit} sender deg lenken der du kan se hvem som har sett opplysningene dine: {link}"
        en = f"{unit} sends you the link where you can see who has seen your information."
        subject = f"Hvem har sett opplysningene dine – {unit}"
    else:
        nb = f"{unit} ber deg svare på et skjema: {link}"
        en = f"{unit} asks you to answer a form at the link above."
        subject = f"Skjema fra {unit}"
    if reminder:
        nb, en, subject = f"Påminnelse: {nb}", f"Reminder: {en}", f"Påminnelse: {subject}"
    return Message(subject=subject, text=f"{nb} {validity_nb}\n{en} {validity_en}")


@task(takes_context=True)
@retried(scrub=True)
def send_invitation(invitation_id: int, reminder: bool) -> str:
    """Sends the SMS or e-mail of an invitation if its link is still open. Returns what was
    done, in words without the number, the address or the link (kept as the job's result)."""
    invitation = (
        Invitation.objects.select_related("patient", "unit").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return "not sent: the invitation is gone"
    if invitation.state != State.OPEN:
        return f"not sent: the link is {invitation.state}"
    message = compose(invitation=invitation, token=services.token_of(invitation), reminder=reminder)
    if invitation.channel == Channel.SMS:
        if not invitation.patient.mobile:
            return "not sent: the patient has no mobile number now"
        send_sms(invitation.patient.mobile, message.text)
    else:
        if not invitation.patient.email:
            return "not sent: the patient has no e-mail address now"
        EmailMessage(
            subject=message.subject,
            body=message.text,
            from_email=settings.PATIENT_FROM_EMAIL,
            to=[invitation.patient.email],
        ).send()
    logger.info("invitation %s: %s sent", invitation.pk, invitation.channel)
    return f"sent by {invitation.channel}"
