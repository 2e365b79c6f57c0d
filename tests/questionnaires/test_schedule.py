"""The automatic patient controls (issue 13, point 3; questionnaires.schedule): the clock moved
to a control window's opening, the nightly job run, the queued messages sent by the jobs; one
invitation, one reminder 7 days later, none once answered or registered by the clinic, the
open link closed when the window ends, nothing at a unit that has not turned it on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import PatientReport
from hsreg.guideline.followup import window, window_days
from hsreg.jobs.nightly import nightly, run_nightly
from hsreg.objections.services import record_objection
from hsreg.patients.services import register_patient
from hsreg.questionnaires import services
from hsreg.questionnaires.models import Channel, Form, Invitation, State
from hsreg.questionnaires.schedule import due_interventions, run_schedule
from hsreg.records.services import save_record
from hsreg.treatments.models import Intervention, InterventionType
from hsreg.units.models import Unit
from tests.jobs.running import run_ready_jobs
from tests.registry.conftest import make_number

from .clock import clock_fixture, sent_sms_fixture  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

#: the intervention's day; its 3-month window opens 77 days later, the 6-month one 153 days
DONE = date(2026, 3, 2)
OPENS_3M = window("medical", DONE).opens
CLOSES_3M = window("medical", DONE).closes
OPENS_6M = window("surgical", DONE).opens


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959,
        name="Hudavdelingen, Haukeland",
        health_trust="Helse Bergen",
        region="vest",
        invites_patients=True,
    )


def make_patient(unit, n: int, *, mobile: str = "", email: str = ""):
    patient = register_patient(
        unit=unit, national_id=make_number(10 * n), first_name="Kari", last_name=f"Nordmann{n}"
    )
    return services.set_contact(actor=system_actor(), patient=patient, mobile=mobile, email=email)


def treat(patient, unit, *, kind: int = InterventionType.MEDICAL, day: date = DONE):
    return save_record(
        record=Intervention(patient=patient, unit=unit, date=day, type=kind),
        actor=None,
        finish=True,
    )


@pytest.fixture
def patient(unit):
    return make_patient(unit, 1, mobile="41234567")


@pytest.fixture
def treated(patient, unit):
    return treat(patient, unit)


def night(clock, day: date) -> dict:
    """The nightly job of ``day``, at 02:00 on it, through the job queue."""
    clock.set(day, 2)
    result = nightly.enqueue(today=day.isoformat())
    run_ready_jobs()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    return result.return_value


def daytime(clock, day: date) -> None:
    """Noon of ``day``: the messages queued for the daytime are sent."""
    clock.set(day, 12)
    run_ready_jobs()


def to(outbox, patient) -> list:
    """The SMS sent to ``patient``'s mobile number (as stored: +47 added)."""
    return [m for m in outbox if m.to == patient.mobile]


def test_one_invitation_when_the_3_month_window_opens_and_one_reminder_7_days_later(
    treated, patient, clock, sent_sms
):
    assert window_days("medical") == (77, 167)
    night(clock, OPENS_3M - timedelta(days=1))
    daytime(clock, OPENS_3M - timedelta(days=1))
    assert not Invitation.objects.exists()
    assert sent_sms == []

    counts = night(clock, OPENS_3M)
    assert counts["invitations_sent"] == 1
    invitation = Invitation.objects.get()
    assert (invitation.form, invitation.channel, invitation.intervention) == (
        Form.CONTROL_3M,
        Channel.SMS,
        treated,
    )
    assert invitation.automatic
    assert invitation.created_by is None
    assert invitation.unit == treated.unit
    daytime(clock, OPENS_3M)
    [first] = to(sent_sms, patient)
    link = services.link_for(services.token_of(invitation))
    assert link in first.body

    # run again the same day (a second nightly run, the schedule by hand): still one
    night(clock, OPENS_3M)
    clock.set(OPENS_3M, 15)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 0
    daytime(clock, OPENS_3M)
    assert len(to(sent_sms, patient)) == 1
    assert Invitation.objects.count() == 1

    for day in range(1, 7):  # not before REMIND_AFTER_DAYS
        night(clock, OPENS_3M + timedelta(days=day))
    daytime(clock, OPENS_3M + timedelta(days=6))
    assert len(to(sent_sms, patient)) == 1

    reminder_day = OPENS_3M + timedelta(days=7)
    assert night(clock, reminder_day)["reminders_sent"] == 1
    daytime(clock, reminder_day)
    first_again, reminder = to(sent_sms, patient)
    assert first_again == first
    assert link in reminder.body  # the same link, sent again
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None

    for day in (8, 14):  # one reminder only, and the link expires after 14 days
        assert night(clock, OPENS_3M + timedelta(days=day))["reminders_sent"] == 0
        daytime(clock, OPENS_3M + timedelta(days=day))
    assert len(to(sent_sms, patient)) == 2
    assert Invitation.objects.count() == 1


def test_no_reminder_for_a_patient_who_answered_or_whose_control_the_clinic_registered(
    treated, patient, unit, clock, sent_sms
):
    answering = make_patient(unit, 2, mobile="41234568")
    treat(answering, unit)
    registered = make_patient(unit, 3, mobile="41234569")
    registered_treatment = treat(registered, unit)
    clock.set(OPENS_3M, 2)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 3
    daytime(clock, OPENS_3M)
    assert [len(to(sent_sms, p)) for p in (patient, answering, registered)] == [1, 1, 1]

    # two days later the second patient answers through the link
    clock.set(OPENS_3M + timedelta(days=2), 19)
    invitation = Invitation.objects.get(patient=answering)
    assert services.verify_birth_date(
        invitation=invitation, birth_date=answering.birth_date, request_id="t"
    )
    report = services.submit(invitation=invitation, answers=control_answers(), request_id="t")
    assert report.reported_by == "patient"
    # and the clinic registers the third patient's control from paper
    save_record(
        record=PatientReport(
            patient=registered,
            unit=unit,
            date=OPENS_3M + timedelta(days=3),
            occasion="3m",
            intervention=registered_treatment,
        ),
        actor=None,
        finish=True,
    )

    clock.set(OPENS_3M + timedelta(days=7), 2)
    counts = run_schedule(today=OPENS_3M + timedelta(days=7))
    assert counts["reminders_sent"] == 1
    assert counts["invitations_closed_by_clinic"] == 1
    daytime(clock, OPENS_3M + timedelta(days=7))
    assert [len(to(sent_sms, p)) for p in (patient, answering, registered)] == [2, 1, 1]
    closed = Invitation.objects.get(patient=registered)
    assert closed.closed_at is not None
    assert closed.reminded_at is None
    assert closed.state == State.CLOSED
    answered = Invitation.objects.get(patient=answering)
    assert answered.state == State.ANSWERED
    assert answered.reminded_at is None


def control_answers() -> dict[str, str]:
    """A complete 3-month patient control after a medical intervention, as the patient's pages
    store it (questionnaires.definitions): each screen's required questions answered."""
    from hsreg.questionnaires.answers import first_incomplete
    from hsreg.questionnaires.definitions import screens

    answers: dict[str, str] = {}
    for screen in screens(Form.CONTROL_3M, instrument="dlqi", lang="en"):
        for question in screen.questions:
            if question.enable_when is not None:
                parent, codes = question.enable_when
                if answers.get(parent) not in codes:
                    continue
            if question.kind == "choice":
                answers[question.link_id] = question.options[-1][0]
            elif question.kind in ("integer", "decimal"):
                answers[question.link_id] = str(int(question.minimum or 0))
            elif question.required:
                answers[question.link_id] = "-"
    assert first_incomplete(Form.CONTROL_3M, instrument="dlqi", answers=answers) is None
    return answers


def test_the_open_invitation_is_closed_when_the_window_ends(
    treated, patient, unit, clock, sent_sms
):
    """The unit turns the controls on late in the window: the invitation made then is closed
    the day after the window's last day, never reminded past it."""
    unit.invites_patients = False
    unit.save()
    late = CLOSES_3M - timedelta(days=2)
    clock.set(late, 2)
    assert run_schedule(today=late)["invitations_sent"] == 0
    unit.invites_patients = True
    unit.save()
    assert run_schedule(today=late)["invitations_sent"] == 1
    daytime(clock, late)
    assert len(to(sent_sms, patient)) == 1
    clock.set(CLOSES_3M, 2)
    assert run_schedule(today=CLOSES_3M)["invitations_closed_window"] == 0
    after = CLOSES_3M + timedelta(days=1)
    clock.set(after, 2)
    counts = run_schedule(today=after)
    assert counts["invitations_closed_window"] == 1
    assert counts["invitations_sent"] == 0
    invitation = Invitation.objects.get()
    assert invitation.state == State.CLOSED
    clock.set(late + timedelta(days=7), 2)
    assert run_schedule(today=late + timedelta(days=7))["reminders_sent"] == 0
    daytime(clock, late + timedelta(days=7))
    assert len(to(sent_sms, patient)) == 1


def test_a_unit_with_the_switch_off_invites_no_one(treated, unit, clock, sent_sms):
    unit.invites_patients = False
    unit.save()
    assert night(clock, OPENS_3M)["invitations_sent"] == 0
    daytime(clock, OPENS_3M)
    assert not Invitation.objects.exists()
    assert sent_sms == []


def test_e_mail_for_a_patient_without_a_mobile_number(unit, clock, mailoutbox, sent_sms):
    patient = make_patient(unit, 4, email="kari@example.org")
    treat(patient, unit)
    clock.set(OPENS_3M, 2)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 1
    invitation = Invitation.objects.get()
    assert invitation.channel == Channel.EMAIL
    clock.set(OPENS_3M, 12)
    assert [m.to for m in mailoutbox] == [["kari@example.org"]]
    link = services.link_for(services.token_of(invitation))
    assert link in mailoutbox[0].body
    clock.set(OPENS_3M + timedelta(days=7), 2)
    assert run_schedule(today=OPENS_3M + timedelta(days=7))["reminders_sent"] == 1
    clock.set(OPENS_3M + timedelta(days=7), 12)
    assert len(mailoutbox) == 2
    assert link in mailoutbox[1].body
    assert sent_sms == []


def test_a_surgical_intervention_is_followed_up_at_6_months(patient, unit, clock, sent_sms):
    surgery = treat(patient, unit, kind=InterventionType.BOTH)
    clock.set(OPENS_3M, 2)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 0
    clock.set(OPENS_6M - timedelta(days=1), 2)
    assert run_schedule(today=OPENS_6M - timedelta(days=1))["invitations_sent"] == 0
    clock.set(OPENS_6M, 2)
    assert run_schedule(today=OPENS_6M)["invitations_sent"] == 1
    invitation = Invitation.objects.get()
    assert (invitation.form, invitation.intervention) == (Form.CONTROL_6M, surgery)


def test_no_one_unreachable_unfinished_or_objecting_is_invited(patient, unit, clock):
    treat(make_patient(unit, 5), unit)  # no mobile number, no e-mail
    save_record(  # a draft is not an intervention done
        record=Intervention(patient=patient, unit=unit, date=DONE, type=InterventionType.MEDICAL),
        actor=None,
        finish=False,
    )
    objecting = make_patient(unit, 6, mobile="41234570")
    treat(objecting, unit)
    clock.set(OPENS_3M - timedelta(days=30), 2)
    record_objection(actor=system_actor(), national_id=objecting.national_id)
    clock.set(OPENS_3M, 2)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 0
    assert not Invitation.objects.exists()


def test_the_selection_takes_the_same_number_of_queries_for_2_and_for_6_patients(unit, clock):
    """No query per patient: the selection is a few queries per unit."""
    clock.set(OPENS_3M, 2)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as selection:
            found = due_interventions(unit=unit, today=OPENS_3M)
        return len(found), len(selection.captured_queries)

    for n in (1, 2):
        treat(make_patient(unit, 10 + n, mobile=f"4123460{n}"), unit)
    small = queries()
    for n in range(3, 7):
        treat(make_patient(unit, 10 + n, mobile=f"4123460{n}"), unit)
    large = queries()
    assert (small[0], large[0]) == (2, 6)
    assert small[1] == large[1]

    # and a whole run with nothing left to do (everyone invited) is constant as well
    run_schedule(today=OPENS_3M)
    with CaptureQueriesContext(connection) as six:
        run_schedule(today=OPENS_3M)
    Invitation.objects.all().delete()
    for n in range(7, 12):
        treat(make_patient(unit, 10 + n, mobile=f"412346{n:02}"), unit)
    run_schedule(today=OPENS_3M)
    with CaptureQueriesContext(connection) as eleven:
        run_schedule(today=OPENS_3M)
    assert Invitation.objects.count() == 11
    assert len(six.captured_queries) == len(eleven.captured_queries)


def test_the_nightly_job_reports_the_schedule_s_counts(treated, clock):
    clock.set(OPENS_3M, 2)
    done = run_nightly(today=OPENS_3M)
    assert done["invitations_sent"] == 1
    assert {"reminders_sent", "invitations_closed_by_clinic", "invitations_closed_window"} <= set(
        done
    )
    assert timezone.now() == clock.at


def test_the_demo_s_showcase_unit_invites_its_patients_by_synthetic_e_mail(db, clock):
    """The seeder turns the controls on at the showcase unit and gives some of its patients
    pasient-<registry id>@example.org (no mobile numbers); the schedule then finds them."""
    from hsreg.patients.models import Patient
    from hsreg.seeding.generator import generate
    from hsreg.seeding.journey import Options
    from hsreg.seeding.units import SHOWCASE, ensure_units
    from hsreg.seeding.writer import write_chunk

    today = date(2026, 11, 26)
    ensure_units()
    write_chunk(list(generate(60, Options(seed=7, today=today))), today=today)
    showcase = Unit.objects.get(pk=SHOWCASE.resh_id)
    assert showcase.invites_patients
    assert list(Unit.objects.filter(invites_patients=True)) == [showcase]
    mailed = Patient.objects.exclude(email="")
    assert mailed.exists()
    assert not Patient.objects.exclude(mobile="").exists()
    for patient in mailed:
        assert patient.email == f"pasient-{patient.pk}@example.org"
        assert patient.enrolments.filter(unit=showcase).exists()
    clock.set(today, 2)
    counts = run_schedule(today=today)
    invited = Invitation.objects.all()
    assert counts["invitations_sent"] == invited.count()
    assert invited.exists()  # seed 7 has controls due that day
    assert all(i.channel == Channel.EMAIL and i.unit == showcase for i in invited)
