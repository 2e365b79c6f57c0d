"""The automatic patient controls: invitations when a control window opens, one reminder,
and closing when the control is registered or its window has closed (issue 13, point 3).

Run by the nightly job (jobs.nightly) for its day; safe to run any number of times a day, as
every step looks for what is still missing:

1. **Close.** An open control invitation is closed (``closed_at``) when the clinic has
   meanwhile registered that control (a finished PatientReport of the occasion for the
   intervention): the patient is not asked again, nor reminded. It is also closed when
   HISREG's window of the control has closed (guideline.followup): an answer then no longer
   counts as the 3- or 6-month control.
2. **Invite.** For each unit with ``invites_patients`` on: each current finished intervention
   of the unit whose follow-up window (3 months after a medical, 6 after a surgical or
   combined intervention; guideline.followup) has opened and not closed, whose patient has a
   mobile number (SMS) or else an e-mail address, and that has neither a finished patient
   report of that control nor any invitation to it yet, gets one, made by hsreg itself
   (services.create_invitation, ``automatic=True``). A patient who objected is deleted with
   their forms (objections.services), so they have no intervention left to follow up; the
   keyed hashes of the objections are checked all the same, in one query per unit.
3. **Remind.** An SMS or e-mail questionnaire invitation (automatic or sent by a person) that
   is still open, was sent REMIND_AFTER_DAYS or more ago and has not been reminded gets the
   same link again, once (questionnaires.delivery). Days are counted by the calendar.

The messages are queued as jobs by questionnaires.delivery, which sends them in the daytime.
The selections are a few queries per unit, whatever the number of patients; only each
invitation made, reminded or closed costs its own writes.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hsreg.accounts.actor import Actor, system_actor
from hsreg.assessments.models import Occasion, PatientReport
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.guideline.followup import FollowupKind, window_days
from hsreg.objections.fingerprint import fingerprints
from hsreg.objections.models import Objection
from hsreg.patients.models import Enrolment
from hsreg.records.models import Status
from hsreg.treatments.models import Intervention, InterventionType
from hsreg.units.models import Unit

from .models import REMIND_AFTER_DAYS, Channel, Form, Invitation, Purpose, open_links
from .services import create_invitation, token_of

logger = logging.getLogger("hsreg.questionnaires")

#: the control of each kind of follow-up: (intervention types, form, occasion). A combined
#: intervention is followed up as a surgical one (guideline.followup.followup_kind).
CONTROLS: dict[FollowupKind, tuple[tuple[int, ...], Form, str]] = {
    "medical": ((InterventionType.MEDICAL,), Form.CONTROL_3M, Occasion.CONTROL_3),
    "surgical": (
        (InterventionType.SURGICAL, InterventionType.BOTH),
        Form.CONTROL_6M,
        Occasion.CONTROL_6,
    ),
}
REQUEST_ID = "schedule"


def run_schedule(*, today: date, now: datetime | None = None) -> dict[str, int]:
    """Closes, invites and reminds as of ``today`` (see the module's docstring); the counts
    for the nightly job's result. ``now`` is the time written on what is done (default: now)."""
    now = now or timezone.now()
    actor = system_actor(request_id=REQUEST_ID)
    closed_answered, closed_window = close_finished(today=today, now=now, actor=actor)
    invited = invite_due(today=today, now=now, actor=actor)
    reminded = remind_open(today=today, now=now)
    done = {
        "invitations_sent": invited,
        "reminders_sent": reminded,
        "invitations_closed_by_clinic": closed_answered,
        "invitations_closed_window": closed_window,
    }
    logger.info("patient controls scheduled: %s", done)
    return done


def _open(*, now: datetime) -> QuerySet[Invitation]:
    """Invitations whose link still works (not answered, locked, closed or expired)."""
    return Invitation.objects.filter(open_links(now))


def _control_registered(occasion: str, intervention: Any) -> Exists:
    """A current finished patient report of ``occasion`` following up ``intervention`` (an
    OuterRef to an intervention's id), or the version that a correction of it replaced."""
    return Exists(
        PatientReport.objects.filter(
            Q(intervention=intervention) | Q(intervention__replaced_by=intervention),
            occasion=occasion,
            status=Status.FINISHED,
        )
    )


def close_finished(*, today: date, now: datetime, actor: Actor) -> tuple[int, int]:
    """Closes the open control invitations that are answered by the clinic's registration,
    and those whose window has closed; returns (registered, window closed). Audited."""
    registered: list[tuple[int, int]] = []  # (invitation, patient)
    ended: list[tuple[int, int]] = []
    for kind, (types, form, occasion) in CONTROLS.items():
        controls = _open(now=now).filter(form=form, intervention__isnull=False)
        registered += controls.filter(
            _control_registered(occasion, OuterRef("intervention"))
        ).values_list("pk", "patient")
        last_day = window_days(kind)[1]
        ended += (
            controls.filter(
                intervention__type__in=types,
                intervention__date__lt=today - timedelta(days=last_day),
            )
            .exclude(pk__in=[pk for pk, _patient in registered])
            .values_list("pk", "patient")
        )
    for reason, invitations in (("registered", registered), ("window closed", ended)):
        for pk, patient_id in invitations:
            _close(pk, patient_id=patient_id, now=now, actor=actor, reason=reason)
    return len(registered), len(ended)


@transaction.atomic
def _close(pk: int, *, patient_id: int, now: datetime, actor: Actor, reason: str) -> None:
    closed = Invitation.objects.filter(pk=pk, closed_at=None, answered_at=None).update(
        closed_at=now, progress={}
    )
    if closed:
        log(
            actor=actor,
            action=Action.CHANGE,
            patient_id=patient_id,
            target=f"invitation {pk}",
            detail={"closed": reason, "automatic": True},
        )


def due_interventions(*, unit: Unit, today: date) -> list[tuple[Intervention, Form]]:
    """The unit's interventions whose control window is open on ``today`` and whose patient
    is to be invited: reachable, not yet invited to it, control not yet registered. Two
    queries per kind of follow-up, whatever the number of patients."""
    found: list[tuple[Intervention, Form]] = []
    for kind, (types, form, occasion) in CONTROLS.items():
        first_day, last_day = window_days(kind)
        invited = Invitation.objects.filter(
            Q(intervention=OuterRef("pk")) | Q(intervention__replaced_by=OuterRef("pk")),
            form=form,
        )
        enrolled = Enrolment.objects.filter(patient=OuterRef("patient"), unit=unit)
        rows = (
            Intervention.objects.filter(
                unit=unit,
                status=Status.FINISHED,
                type__in=types,
                date__gte=today - timedelta(days=last_day),
                date__lte=today - timedelta(days=first_day),
            )
            .filter(~Q(patient__mobile="") | ~Q(patient__email=""))
            .filter(Exists(enrolled))
            .exclude(_control_registered(occasion, OuterRef("pk")))
            .exclude(Exists(invited))
            .select_related("patient", "unit")
            .order_by("date", "pk")
        )
        interventions = list(rows)
        objected = _objected({i.patient.national_id for i in interventions})
        found += [(i, form) for i in interventions if i.patient.national_id not in objected]
    return found


def _objected(numbers: set[str]) -> set[str]:
    """The numbers among ``numbers`` with an objection recorded (one query)."""
    if not numbers:
        return set()
    keyed = {key: number for number in numbers for key in fingerprints(number)}
    found = Objection.objects.filter(fingerprint__in=list(keyed)).values_list(
        "fingerprint", flat=True
    )
    return {keyed[key] for key in found}


def channel_for(patient: Any) -> str | None:
    """SMS when the patient has a mobile number and an SMS gateway is set up, else e-mail
    when they have an address; None when they cannot be reached."""
    if patient.mobile and settings.SMS_URL:
        return Channel.SMS
    if patient.email:
        return Channel.EMAIL
    return None


def invite_due(*, today: date, now: datetime, actor: Actor) -> int:
    """Invites every patient whose control is due at a unit with ``invites_patients`` on;
    returns how many invitations were made."""
    made = 0
    for unit in Unit.objects.filter(invites_patients=True).order_by("pk"):
        for intervention, form in due_interventions(unit=unit, today=today):
            channel = channel_for(intervention.patient)
            if channel is None:
                continue
            try:
                create_invitation(
                    actor=actor,
                    unit=unit,
                    patient=intervention.patient,
                    channel=channel,
                    form=form,
                    intervention=intervention,
                    automatic=True,
                    now=now,
                )
            except (ValidationError, PermissionDenied) as error:
                # one patient's problem (an address refused by the model, say) stops no other
                logger.warning(
                    "no automatic invitation for intervention %s: %s",
                    intervention.pk,
                    type(error).__name__,
                )
                continue
            made += 1
    return made


def remind_open(*, today: date, now: datetime) -> int:
    """Sends the one reminder of each open SMS or e-mail questionnaire invitation sent
    REMIND_AFTER_DAYS or more days before ``today`` (by the calendar: an SMS of the night's
    run goes at 09:00, and its reminder is due in the night 7 days later); returns how many."""
    from .delivery import deliver  # noqa: PLC0415 - delivery imports services

    sent_before = timezone.make_aware(
        datetime.combine(today - timedelta(days=REMIND_AFTER_DAYS - 1), time.min)
    )
    due = (
        _open(now=now)
        .filter(
            Q(channel=Channel.SMS, patient__mobile__gt="")
            | Q(channel=Channel.EMAIL, patient__email__gt=""),
            purpose=Purpose.QUESTIONNAIRE,
            reminded_at=None,
            sent_at__lt=sent_before,
        )
        .select_related("patient", "unit", "intervention")
        .order_by("pk")
    )
    reminded = 0
    for invitation in due:
        with transaction.atomic():
            # claimed first, so that two runs at once remind once
            claimed = Invitation.objects.filter(pk=invitation.pk, reminded_at=None).update(
                reminded_at=now
            )
            if not claimed:
                continue
            invitation.reminded_at = now
            deliver(invitation=invitation, token=token_of(invitation), reminder=True, now=now)
        reminded += 1
    return reminded
