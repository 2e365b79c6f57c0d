"""The annual report PDF as a job: queued from its page, made by the real worker, its progress
shown on a page that reloads itself (the Refresh header: no script), then downloaded, access-
checked and logged as an export as before; a second request while one is queued reuses it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.jobs.nightly import nightly
from hsreg.reports.annual_runs import KEPT, make_annual_report
from hsreg.reports.models import AnnualReportRun
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

YEAR = timezone.localdate().year - 1


@pytest.fixture
def reader(unit):
    """A reporting-only user (any role may read the reports), in English."""
    user = create_user(
        username="leser", password=PASSWORD, units=[unit], first_name="Rita", role=Role.REPORTING
    )
    client = sign_in(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_annual_report_is_queued_made_by_the_worker_and_downloaded(reader, work):
    page = reader.get(reverse("reports:annual"), {"year": YEAR})
    assert page.status_code == 200
    assert b'id="annual-queue"' in page.content
    queued = reader.post(reverse("reports:annual"), {"year": YEAR})
    assert queued.status_code == 302
    run = AnnualReportRun.objects.get()
    assert queued["Location"] == reverse("reports:annual_run", args=[run.pk])
    # a second request while it is queued gets the same run, and no second job
    again = reader.post(reverse("reports:annual"), {"year": YEAR})
    assert again["Location"] == queued["Location"]
    assert AnnualReportRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=make_annual_report.module_path).count() == 1
    # queued: the page says so and reloads itself; the download is not there yet
    waiting = reader.get(queued["Location"])
    assert waiting["Refresh"] == "2"
    assert b'data-state="queued"' in waiting.content
    assert b"<script" not in waiting.content.replace(b'<script src="/static/', b"")
    download = reverse("reports:annual_pdf", args=[run.pk])
    assert reader.get(download).status_code == 404
    (job,) = work()
    assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
    run.refresh_from_db()
    assert run.state == AnnualReportRun.State.READY
    assert run.pages > 1
    assert run.seconds > 0
    ready = reader.get(queued["Location"])
    assert "Refresh" not in ready
    assert b'data-state="ready"' in ready.content
    assert download.encode() in ready.content
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    response = reader.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="hisreg-arsrapport-{YEAR}.pdf"'
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.target == f"annual report {YEAR}"
    # the year's page now offers the download, and a new run (the data may have changed)
    page = reader.get(reverse("reports:annual"), {"year": YEAR})
    assert download.encode() in page.content
    assert b'id="annual-queue"' in page.content


def made(year: int = YEAR, **fields) -> AnnualReportRun:
    """A run as the worker leaves it once made (without spending seconds on a real PDF)."""
    values = {"finished_at": timezone.now(), "pdf": b"%PDF-1.7", "pages": 30, "seconds": 12.0}
    return AnnualReportRun.objects.create(
        year=year,
        as_of=timezone.localdate(),
        state=AnnualReportRun.State.READY,
        started_at=timezone.now(),
        **{**values, **fields},
    )


def test_the_job_is_idempotent_a_made_report_is_not_made_again(unit, work):
    run = made()
    made_at = run.finished_at
    make_annual_report.enqueue(str(run.pk))  # the same job once more (a retry, a duplicate)
    (job,) = work()
    assert job.return_value == "skipped"
    run.refresh_from_db()
    assert run.finished_at == made_at


def test_the_progress_is_shown_while_it_is_being_made(reader):
    made(seconds=1000.0)  # the last report took 1000 s: the next is measured against it
    running = AnnualReportRun.objects.create(
        year=YEAR - 1,
        as_of=timezone.localdate(),
        state=AnnualReportRun.State.RUNNING,
        started_at=timezone.now() - timedelta(seconds=500),
    )
    page = reader.get(reverse("reports:annual_run", args=[running.pk]))
    assert page["Refresh"] == "2"
    html = page.content.decode()
    assert 'data-state="running"' in html
    # 500 s of the last report's 1000 s (and the moments this test took since)
    shown = re.search(r'<progress max="100" value="(\d+)"', html)
    assert shown
    assert 50 <= int(shown.group(1)) <= 52
    assert f"about {shown.group(1)} % done" in html


def test_a_year_that_cannot_be_reported_is_a_400_and_queues_nothing(reader):
    response = reader.post(reverse("reports:annual"), {"year": "2999"})
    assert response.status_code == 400
    assert b'data-field="year"' in response.content
    assert not AnnualReportRun.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_unknown_run_is_not_found(reader):
    missing = "00000000-0000-0000-0000-000000000000"
    assert reader.get(reverse("reports:annual_run", args=[missing])).status_code == 404
    assert reader.get(reverse("reports:annual_pdf", args=[missing])).status_code == 404


def test_the_pages_need_a_login(unit):
    anonymous = Client()
    response = anonymous.get(reverse("reports:annual"), {"year": YEAR})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_nightly_job_deletes_made_reports_after_a_week(unit, work):
    made(finished_at=timezone.now() - KEPT - timedelta(minutes=1))
    recent = made(YEAR - 1, finished_at=timezone.now() - KEPT + timedelta(minutes=1))
    nightly.enqueue()
    job = work()[-1]
    assert job.return_value["annual_reports_deleted"] == 1
    assert list(AnnualReportRun.objects.values_list("pk", flat=True)) == [recent.pk]
