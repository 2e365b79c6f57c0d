"""The registry's mails sent by a job (Django's locmem backend in the tests), the one-time
password never left in the task table, and the retries: a failed job is queued again later
with its arguments, up to MAX_ATTEMPTS; a job whose worker died is run again."""

from __future__ import annotations

import json
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hsreg.accounts.models import Application, Role
from hsreg.accounts.services import create_user
from hsreg.jobs import retry
from hsreg.jobs.mails import queue_mail, send
from hsreg.jobs.nightly import nightly
from hsreg.units.models import Unit
from tests.accounts.conftest import one_time_password
from tests.accounts.test_application_flow import application_data
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in


@pytest.fixture
def coordinator_client(unit):
    office = Unit.objects.create(
        resh_id=4001031, name="HISREG sekretariat", health_trust="Helse Bergen", region="vest"
    )
    coordinator = create_user(
        username="koordinator", password=PASSWORD, units=[office], role=Role.COORDINATOR
    )
    return sign_in(Client(), coordinator)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refusing_mail_server():
    """The SMTP backend pointed at a port nobody listens on: the connection is refused."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=5,
    )


def stored_arguments() -> str:
    return json.dumps(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))


def test_rg2_the_approval_mail_is_sent_by_the_worker_and_its_password_not_kept(
    unit, coordinator_client, work
):
    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    response = coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    assert response.status_code == 302
    assert mail.outbox == []  # queued with the approval, not sent by the request
    (job,) = work()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    (sent,) = mail.outbox
    assert sent.to == [application.email]
    password = one_time_password(sent.body)
    assert password not in stored_arguments()
    assert job.args_kwargs == retry.SCRUBBED


def test_a_mail_that_cannot_be_sent_is_retried_later_and_sent_once(unit, work):
    with refusing_mail_server():
        queue_mail("hsreg: test", "Engangspassord: hemmelig-123", ["per@example.no"])
        (failed,) = work()
    assert failed.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in failed.exception_class_path
    assert failed.args_kwargs == retry.SCRUBBED  # the retry carries the body, not this row
    (again,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert again.args_kwargs["kwargs"] == {"attempt": 2}
    wait = again.run_after - failed.finished_at
    assert timedelta(seconds=50) <= wait <= timedelta(seconds=70)  # BACKOFF[0]: a minute
    assert work() == [failed]  # not due yet
    DBTaskResult.objects.filter(pk=again.pk).update(run_after=timezone.now())
    work()
    (sent,) = mail.outbox
    assert sent.body == "Engangspassord: hemmelig-123"
    assert "hemmelig-123" not in stored_arguments()


def test_the_last_attempt_is_not_queued_again(unit, work):
    with refusing_mail_server():
        send.enqueue("s", "b", ["per@example.no"], attempt=retry.MAX_ATTEMPTS)
        (failed,) = work()
    assert failed.status == TaskResultStatus.FAILED
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_job_whose_worker_died_is_run_again(unit, work):
    queue_mail("hsreg: test", "body", ["per@example.no"])
    job = DBTaskResult.objects.get()
    started = timezone.now() - retry.STALE_AFTER - timedelta(minutes=1)
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["died"]
    )
    assert retry.recover_stale(now=started + retry.STALE_AFTER) == 0  # not stale yet
    assert retry.recover_stale() == 1
    (done,) = work()
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids[0] == "died"  # and then the worker that ran it again
    assert len(done.worker_ids) == 2
    assert len(mail.outbox) == 1


def test_the_nightly_job_deletes_jobs_finished_over_a_month_ago(unit, work):
    queue_mail("hsreg: old", "body", ["per@example.no"])
    queue_mail("hsreg: recent", "body", ["per@example.no"])
    old, recent = work()
    DBTaskResult.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - retry.KEEP_FINISHED - timedelta(minutes=1)
    )
    nightly.enqueue()
    night = work()[-1]
    assert night.return_value["finished_jobs_deleted"] == 1
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent.pk).exists()
