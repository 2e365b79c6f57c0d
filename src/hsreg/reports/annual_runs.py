"""The annual report PDF made by the worker: queued from the reports' page
(reports.views.annual), made by the job ``make_annual_report``, downloaded when ready.

Building the report takes seconds (12 s on the 2,000-patient demo) and used to hold a web
worker for that long. Now a request queues a run (``request``) and the page shows its state;
a second request for the same year and report date while one is queued or being made gets the
same run (idempotent; the model's constraint settles two requests at the same moment). The job
is idempotent too: a run already made is left alone, and one interrupted is made again.

The report is built in one pass, so there is no count of steps to show: the progress shown
(``progress``) is the time spent so far against the time the last report took.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from hsreg.jobs.retry import MAX_ATTEMPTS, retried

from .annual import ReportError, build_annual_report, check_year
from .models import AnnualReportRun

State = AnnualReportRun.State
#: a made report is kept this long, then deleted by the nightly job (delete_old)
KEPT = timedelta(days=7)
#: what the progress assumes when no report has been made yet
FIRST_GUESS_SECONDS = 15.0


def request(*, year: int, as_of: date, user: Any) -> AnnualReportRun:
    """The queued or running run of ``year`` and ``as_of``, or a new one queued. Raises
    ReportError for a year that cannot be reported on (naming the field)."""
    check_year(year=year, as_of=as_of)
    pending = AnnualReportRun.objects.filter(
        year=year, as_of=as_of, state__in=(State.QUEUED, State.RUNNING)
    )
    found = pending.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            run = AnnualReportRun.objects.create(year=year, as_of=as_of, requested_by=user)
            make_annual_report.enqueue(str(run.pk))
    except IntegrityError:  # another request queued it a moment ago
        return pending.get()
    return run


def latest(*, year: int, as_of: date) -> AnnualReportRun | None:
    """The newest run of ``year`` and ``as_of`` (for the page), without its PDF."""
    return (
        AnnualReportRun.objects.filter(year=year, as_of=as_of)
        .defer("pdf")
        .order_by("-requested_at")
        .first()
    )


def progress(run: AnnualReportRun, *, now: datetime | None = None) -> int:
    """How far the run has come, in percent: 0 while queued, 100 when done, and while it is
    being made the time spent against the last made report's time (at most 95)."""
    if run.state in (State.READY, State.FAILED):
        return 100
    if run.state == State.QUEUED or run.started_at is None:
        return 0
    last = (
        AnnualReportRun.objects.filter(state=State.READY, seconds__isnull=False)
        .order_by("-finished_at")
        .values_list("seconds", flat=True)
        .first()
    )
    spent = ((now or timezone.now()) - run.started_at).total_seconds()
    return max(1, min(95, round(100 * spent / (last or FIRST_GUESS_SECONDS))))


def _claim(run_id: str) -> AnnualReportRun | None:
    """The run, marked as being made; None if it is made already (or gone)."""
    with transaction.atomic():
        run = AnnualReportRun.objects.select_for_update().defer("pdf").filter(pk=run_id).first()
        if run is None or not run.pending:
            return None
        run.state, run.started_at, run.error = State.RUNNING, timezone.now(), ""
        run.save(update_fields=["state", "started_at", "error"])
    return run


def _finish(run: AnnualReportRun, **fields: Any) -> None:
    fields["finished_at"] = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=list(fields))


def make(run_id: str, *, attempt: int = 1) -> str:
    """Makes the run's PDF; returns the run's state. An error that is not the report's (the
    database gone for a moment) puts the run back in the queue for the job's retry, or, at the
    last attempt, marks it failed so the page can say so and a new request can be made."""
    run = _claim(run_id)
    if run is None:
        return "skipped"
    try:
        report = build_annual_report(year=run.year, as_of=run.as_of)
    except ReportError as error:
        _finish(run, state=State.FAILED, error=str(error)[:300])
        return str(State.FAILED)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            _finish(run, state=State.FAILED)
        else:
            run.state = State.QUEUED
            run.save(update_fields=["state"])
        raise
    _finish(run, state=State.READY, pdf=report.pdf, pages=report.pages, seconds=report.seconds)
    return str(State.READY)


@task(takes_context=True)
@retried(pass_attempt=True)
def make_annual_report(run_id: str, *, attempt: int = 1) -> str:
    """The job: makes the annual report of the run ``run_id`` (see ``make``)."""
    return make(run_id, attempt=attempt)


def delete_old(*, now: datetime | None = None) -> int:
    """Deletes the runs finished (made or failed) longer than KEPT ago, PDF and all; run by the
    nightly job. Returns how many."""
    cutoff = (now or timezone.now()) - KEPT
    deleted, _per_model = AnnualReportRun.objects.filter(
        state__in=(State.READY, State.FAILED), finished_at__lt=cutoff
    ).delete()
    return deleted
