"""Delivery of invitations (questionnaires.delivery) and the SMS backends
(questionnaires.sms): the message names the unit and the link only, in bokmål then English; it
is sent by a job after the caller's transaction commits, never at night, with neither the
number nor the link in the task table; the HTTP gateway is spoken to over real HTTP."""

# ruff: noqa: F811 - the fixtures imported from .staffing are the tests' arguments

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hsreg.jobs import retry
from hsreg.questionnaires import services, sms
from hsreg.questionnaires.delivery import deliver, quiet_hours_end
from hsreg.questionnaires.models import Channel, Form, Purpose
from tests.jobs.running import run_ready_jobs

from .staffing import (  # noqa: F401 - fixtures
    EMAIL,
    MOBILE,
    actor_of,
    noon,
    oslo,
    patient,
    registrar,
    sent_sms,
    task_table,
    unit,
)

FORBIDDEN = ("Nordmann", "Kari", "hidradenitis", "HS", "HISREG", "hsreg", "registr")


def invite(registrar, patient, *, now=None, **kwargs):
    kwargs.setdefault("channel", Channel.SMS)
    kwargs.setdefault("form", Form.STATUS)
    actor = actor_of(registrar)
    return services.create_invitation(
        actor=actor, unit=actor.unit, patient=patient, now=now or noon(), **kwargs
    )


def assert_private(text: str, patient) -> None:
    for word in (*FORBIDDEN, patient.national_id, patient.birth_date.strftime("%d.%m.%Y")):
        assert word not in text


def test_an_sms_names_the_unit_and_the_link_only_nb_then_en(registrar, patient, sent_sms):
    invitation, token = invite(registrar, patient)
    assert invitation.sent_at == noon()
    (message,) = sent_sms()
    assert message.to == MOBILE
    nb, en = message.body.splitlines()
    assert nb == (
        f"Hudavdelingen, Haukeland ber deg svare på et skjema: {services.link_for(token)} "
        "Lenken virker i 14 dager."
    )
    assert en.startswith("Hudavdelingen, Haukeland asks you to answer a form")
    assert "14 days" in en
    assert_private(message.body.replace(token, ""), patient)


def test_the_access_log_message_and_the_reminder(registrar, patient, sent_sms):
    invitation, token = invite(registrar, patient, purpose=Purpose.ACCESS_LOG, form="")
    deliver(invitation=invitation, token=token, reminder=True, now=noon())
    first, reminder = sent_sms()
    assert (
        "sender deg lenken der du kan se hvem som har sett opplysningene dine: "
        f"{services.link_for(token)}"
    ) in first.body
    assert reminder.body.startswith("Påminnelse: Hudavdelingen, Haukeland sender deg lenken")
    until = invitation.expires_at.astimezone(oslo(noon().date(), 0).tzinfo).strftime("%d.%m.%Y")
    assert f"Lenken virker til {until}." in reminder.body
    assert "Reminder:" in reminder.body
    invitation.refresh_from_db()
    assert invitation.reminded_at == noon()


def test_an_email_goes_from_the_patients_address_with_the_link(
    registrar, patient, mailoutbox, settings
):
    settings.PATIENT_FROM_EMAIL = "noreply@sykehus.example"
    _invitation, token = invite(registrar, patient, channel=Channel.EMAIL)
    (mail,) = mailoutbox
    assert mail.to == [EMAIL]
    assert mail.from_email == "noreply@sykehus.example"
    assert mail.subject == "Skjema fra Hudavdelingen, Haukeland"
    assert services.link_for(token) in mail.body
    assert_private(mail.subject + mail.body.replace(token, ""), patient)


@pytest.mark.parametrize(
    ("hour", "minute", "goes"),
    [
        (22, 30, "tomorrow"),  # after 20:00: the next morning
        (20, 0, "tomorrow"),
        (6, 15, "today"),  # before 08:00: this morning
        (0, 5, "today"),
    ],
)
def test_no_sms_at_night_it_waits_for_nine(registrar, patient, hour, minute, goes):
    day = noon().date()
    now = oslo(day, hour, minute)
    morning = oslo(day + timedelta(days=1 if goes == "tomorrow" else 0), 9)
    invitation, _ = invite(registrar, patient, now=now)
    (job,) = DBTaskResult.objects.all()
    assert job.run_after == morning
    assert invitation.sent_at == morning


@pytest.mark.parametrize(("hour", "minute"), [(8, 0), (12, 0), (19, 59)])
def test_an_sms_by_day_goes_at_once(hour, minute):
    assert quiet_hours_end(oslo(noon().date(), hour, minute)) is None


def test_an_email_is_not_held_back_at_night(registrar, patient):
    invite(registrar, patient, channel=Channel.EMAIL, now=oslo(noon().date(), 23))
    assert DBTaskResult.objects.ready().count() == 1  # due now


def test_the_task_table_never_holds_the_number_or_the_link(registrar, patient, sent_sms):
    _invitation, token = invite(registrar, patient)
    for moment in ("queued", "sent"):
        stored = task_table()
        assert MOBILE not in stored, moment
        assert "91234567" not in stored, moment
        assert token not in stored, moment
        sent_sms()
    (job,) = DBTaskResult.objects.all()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.args_kwargs == retry.SCRUBBED


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(registrar, patient, sent_sms):
    def rolled_back() -> None:
        with transaction.atomic():
            invite(registrar, patient)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert not DBTaskResult.objects.exists()
    assert sent_sms() == []


def test_a_link_withdrawn_before_its_sms_went_is_not_sent(registrar, patient, sent_sms):
    invitation, _ = invite(registrar, patient, now=oslo(noon().date(), 23))
    services.withdraw(actor=actor_of(registrar), invitation=invitation)
    DBTaskResult.objects.update(run_after=timezone.now())  # the morning has come
    assert sent_sms() == []
    (job,) = DBTaskResult.objects.all()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value == "not sent: the link is closed"


# --- the SMS backends ------------------------------------------------------------------------


class Gateway:
    """A real HTTP server on a free local port answering ``status``; keeps what it got."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[dict[str, object]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"to": "+4791234567", "error": "echo"}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_http_gateway_gets_json_with_the_bearer_token():
    with Gateway() as gateway, override_settings(SMS_URL=gateway.url, SMS_TOKEN="gw-token"):
        sms.send_sms(MOBILE, "Hei: https://x/p/abc/")
    (request,) = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["body"] == {"to": MOBILE, "message": "Hei: https://x/p/abc/"}
    assert request["headers"]["Authorization"] == "Bearer gw-token"
    assert request["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_a_gateway_refusal_raises_without_the_number_or_text(status):
    with (
        Gateway(status) as gateway,
        override_settings(SMS_URL=gateway.url),
        pytest.raises(sms.SmsError) as refused,
    ):
        sms.send_sms(MOBILE, "hemmelig lenke")
    assert str(status) in str(refused.value)
    assert MOBILE not in str(refused.value)
    assert "hemmelig" not in str(refused.value)


def test_an_unreachable_gateway_raises():
    with Gateway() as gateway:
        url = gateway.url
    with override_settings(SMS_URL=url), pytest.raises(sms.SmsError, match="cannot be reached"):
        sms.send_sms(MOBILE, "x")


def test_a_failed_sms_job_is_retried_and_logs_neither_number_nor_link(
    registrar, patient, sent_sms, caplog
):
    caplog.set_level(logging.DEBUG)
    with Gateway(503) as gateway, override_settings(SMS_URL=gateway.url):
        _invitation, token = invite(registrar, patient)
        run_ready_jobs()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path.endswith("SmsError")
    (again,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {"attempt": 2}
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    (message,) = sent_sms()  # the outbox backend of the tests: the gateway is back
    assert token in message.body
    logged = caplog.text + task_table() + (failed.traceback or "")
    assert MOBILE not in logged
    assert "91234567" not in logged
    assert token not in logged


def test_the_console_backend_prints(capsys, settings):
    settings.SMS_URL = "console"
    sms.send_sms(MOBILE, "Hei")
    printed = capsys.readouterr().out
    assert MOBILE in printed
    assert "Hei" in printed


@pytest.mark.parametrize("url", ["", "smtp://x", "gateway"])
def test_no_gateway_set_up_is_a_clear_error(settings, url):
    settings.SMS_URL = url
    with pytest.raises(ImproperlyConfigured, match="HSREG_SMS_URL"):
        sms.send_sms(MOBILE, "Hei")
