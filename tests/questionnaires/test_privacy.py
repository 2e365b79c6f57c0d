"""Privacy by default (issue 13): through a whole flow of invitations (SMS and e-mail sent by
the schedule and by a clinician, a link shown once, the birth-date check with a wrong and a
right date, the answers submitted, the reminder, the access-log link), no national id number,
first or last name, mobile number, e-mail address, exact birth date or word naming the
diagnosis or the registry appears in any link, message or log line (every logger at DEBUG);
each link's path carries only its token; and neither the research extract nor the unit's CSV
holds a mobile number or an e-mail address."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client, override_settings
from openpyxl import load_workbook

from hsreg.accounts.actor import Actor, system_actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.patients.services import register_patient
from hsreg.questionnaires import services
from hsreg.questionnaires.models import Channel, Form, Invitation, Purpose
from hsreg.questionnaires.schedule import run_schedule
from hsreg.records.services import save_record
from hsreg.reports.exports import research_extract, unit_csv
from hsreg.treatments.models import Intervention, InterventionType
from hsreg.units.models import Unit
from tests.jobs.running import run_ready_jobs
from tests.registry.conftest import make_number

from .clock import clock_fixture, sent_sms_fixture  # noqa: F401 - fixtures
from .test_schedule import DONE, OPENS_3M, control_answers

pytestmark = pytest.mark.django_db

#: words naming the diagnosis or the registry (case ignored), and the diagnosis' abbreviation
#: as a word of its own (case kept: "hsreg" in a logger's name is not it)
WORDS = ("hidradenit", "hisreg", "register", "registry")
ABBREVIATION = re.compile(r"\bHS\b")
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959,
        name="Hudavdelingen, Haukeland",
        health_trust="Helse Bergen",
        region="vest",
        invites_patients=True,
    )


@pytest.fixture
def every_log_line(caplog):
    """Every logger at DEBUG, each record kept (also of loggers that do not propagate)."""
    caplog.set_level(logging.DEBUG)
    names = [None, *logging.root.manager.loggerDict]
    loggers = [logging.getLogger(name) for name in names]
    kept = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
    yield caplog
    for logger, level in kept:
        logger.setLevel(level)
        if caplog.handler in logger.handlers:
            logger.removeHandler(caplog.handler)


def person(unit, n: int, first: str, last: str, *, mobile: str = "", email: str = ""):
    patient = register_patient(
        unit=unit, national_id=make_number(10 * n), first_name=first, last_name=last
    )
    return services.set_contact(actor=system_actor(), patient=patient, mobile=mobile, email=email)


def secrets_of(patient) -> list[str]:
    born = patient.birth_date
    return [
        patient.national_id,
        patient.first_name,
        patient.last_name,
        patient.mobile,
        patient.mobile.removeprefix("+47"),
        patient.email,
        born.strftime("%d.%m.%Y"),
        born.isoformat(),
    ]


def xlsx_text(content: bytes) -> str:
    """Every cell of a workbook, as text."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        ";".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def leaks(text: str, patients) -> list[str]:
    """What of ``patients`` or the diagnosis ``text`` gives away."""
    found = [s for p in patients for s in secrets_of(p) if s and s.lower() in text.lower()]
    found += [word for word in WORDS if word in text.lower()]
    found += ABBREVIATION.findall(text)
    return found


def test_no_identity_contact_detail_birth_date_or_diagnosis_in_links_messages_logs_or_exports(
    unit, clock, sent_sms, mailoutbox, every_log_line
):
    clinician = create_user(username="lege", password="x" * 20, units=[unit], first_name="Liv")
    actor = Actor(user=clinician, unit=unit, role=Role.REGISTRAR, request_id="privacy")
    by_sms = person(unit, 1, "Ingvild", "Fjørtoft", mobile="41234567")
    by_mail = person(unit, 2, "Sigrunn", "Haugvaldstad", email="sigrunn.h@example.org")
    by_link = person(unit, 3, "Torbjørg", "Kvalsund")
    patients = [by_sms, by_mail, by_link]
    for patient in (by_sms, by_mail):
        save_record(
            record=Intervention(
                patient=patient, unit=unit, date=DONE, type=InterventionType.MEDICAL
            ),
            actor=None,
            finish=True,
        )

    # the schedule invites both reachable patients when the 3-month window opens
    clock.set(OPENS_3M, 2)
    assert run_schedule(today=OPENS_3M)["invitations_sent"] == 2
    # a clinician gives the third patient a link to the status form, and sends the first the
    # link to their access log
    clock.set(OPENS_3M, 10)
    _, link_token = services.create_invitation(
        actor=actor, unit=unit, patient=by_link, channel=Channel.LINK, form=Form.STATUS
    )
    access, access_token = services.create_invitation(
        actor=actor, unit=unit, patient=by_sms, channel=Channel.SMS, purpose=Purpose.ACCESS_LOG
    )
    clock.set(OPENS_3M, 12)
    run_ready_jobs()

    # the first patient opens the link: a wrong birth date, then the right one; answers
    client = Client()
    invitation = Invitation.objects.get(patient=by_sms, purpose=Purpose.QUESTIONNAIRE)
    token = services.token_of(invitation)
    start = urlsplit(services.link_for(token)).path
    assert client.get(start).status_code == 200
    assert client.post(start, {"day": "1", "month": "1", "year": "1990"}).status_code == 200
    born = by_sms.birth_date
    answer = client.post(start, {"day": born.day, "month": born.month, "year": born.year})
    assert answer.status_code in (200, 302)
    invitation.refresh_from_db()
    assert invitation.verified_at is not None
    services.submit(invitation=invitation, answers=control_answers(), request_id="privacy")
    # the access-log link, verified the same way, shows the log
    access_start = urlsplit(services.link_for(access_token)).path
    reader = Client()
    reader.post(access_start, {"day": born.day, "month": born.month, "year": born.year})
    assert reader.get(f"{access_start}log/").status_code == 200
    # an unknown link
    assert client.get("/p/" + "x" * 43 + "/").status_code == 404

    # seven days later the e-mail patient, who has not answered, is reminded
    clock.set(OPENS_3M + timedelta(days=7), 2)
    assert run_schedule(today=OPENS_3M + timedelta(days=7))["reminders_sent"] == 1
    clock.set(OPENS_3M + timedelta(days=7), 12)
    run_ready_jobs()

    mails = list(mailoutbox)
    assert len(sent_sms) == 2  # the control and the access-log link
    assert len(mails) == 2  # the control and its reminder
    messages = [m.body for m in sent_sms] + [f"{m.subject}\n{m.body}" for m in mails]
    tokens = {services.token_of(i) for i in Invitation.objects.filter(channel__in=("sms", "email"))}
    links = [link for text in messages for link in LINK.findall(text)]
    links.append(services.link_for(link_token))
    assert len(links) == 5
    for link in links:
        parts = urlsplit(link)
        assert parts.query == ""
        assert parts.fragment == ""
        assert re.fullmatch(r"/p/([A-Za-z0-9_-]{43})/", parts.path), link
        assert parts.path.split("/")[2] in {*tokens, link_token}
        assert leaks(link, patients) == [], link
    for text in messages:
        assert leaks(text, patients) == [], text

    # each record's message, and the whole formatted text (tracebacks included)
    lines = [record.getMessage() for record in every_log_line.records]
    lines += every_log_line.text.splitlines()
    assert any("invitation" in line for line in lines)  # the flow did log
    for line in lines:
        assert leaks(line, patients) == [], line

    # the exports hold no contact detail
    coordinator = Actor(user=clinician, unit=None, role=Role.COORDINATOR, request_id="privacy")
    today = OPENS_3M + timedelta(days=7)
    with override_settings(HSREG_RESEARCH_KEY="a research key of the privacy test, not secret"):
        for fmt in ("csv", "xlsx"):
            extract = research_extract(
                actor=coordinator,
                first_year=today.year - 1,
                last_year=today.year,
                fmt=fmt,
                as_of=today,
            )
            content = extract.file.read()
            extract.file.close()
            assert extract.rows >= 1
            text = content.decode("utf-8-sig") if fmt == "csv" else xlsx_text(content)
            assert text
            for patient in patients:
                for detail in (patient.mobile, patient.mobile.removeprefix("+47"), patient.email):
                    if detail:
                        assert detail not in text
    csv_text = unit_csv(actor=actor, year=today.year, as_of=today)
    for patient in patients:
        for detail in (patient.mobile, patient.email, patient.national_id, patient.last_name):
            if detail:
                assert detail not in csv_text
    assert settings.SMS_URL == "outbox"
    assert access.channel == Channel.SMS
