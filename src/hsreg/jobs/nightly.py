"""The nightly job: what must be true every morning without anyone saving a form.

- Every patient's due items are recomputed (worklists.services.refresh_patient) from the
  guideline engine's dates as of that day: a course planned for a later start gets its
  week-12 evaluation and its lab items (worklists.due) once it has started, and an item whose
  due date has passed reads "overdue" by itself. Patients are done in batches, one
  transaction each, so a worker stopped in the middle leaves every patient either done or as
  before; the job is idempotent (the items follow from the forms and the day, nothing else).
- The one-time submission tokens older than records.submissions.KEPT are deleted, and so are
  the CDS services' used JWT ids and issued cards past their time (cdshooks.models).
- The annual-report PDFs older than reports.annual_runs.KEPT are deleted.
- Jobs whose worker died are put back in the queue (retry.recover_stale), and the rows of jobs
  finished over a month ago are deleted (retry.prune_finished).
- The patients' controls (questionnaires.schedule): invitations when a control window opens
  at a unit that sends them, one reminder, closing; the messages are queued for the daytime.

A scheduled run (``scheduled=True``, see ``schedule``) queues the next one when it ends.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from . import schedule
from .retry import prune_finished, recover_stale

logger = logging.getLogger("hsreg.jobs")

#: patients per transaction of the refresh: small, so that on SQLite (one writer at a time) a
#: form being saved waits a fraction of a second, not seconds (the demo: 2,000 patients in
#: about 25 s, some 12 queries each, those of worklists.services.refresh_patient)
BATCH = 50


def refresh_due_items(*, today: date) -> tuple[int, int]:
    """Recomputes every patient's due items as of ``today``; returns (patients, items)."""
    from hsreg.patients.models import Patient  # noqa: PLC0415 - after Django's setup
    from hsreg.worklists.services import refresh_patient  # noqa: PLC0415

    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    items = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            for patient in Patient.objects.filter(pk__in=ids[start : start + BATCH]):
                items += len(refresh_patient(patient, today=today))
    return len(ids), items


def run_nightly(*, today: date) -> dict[str, Any]:
    """The night's work (see the module's docstring); the counts, for the job's result."""
    from hsreg.cdshooks.models import forget_expired  # noqa: PLC0415
    from hsreg.questionnaires.schedule import run_schedule  # noqa: PLC0415
    from hsreg.records.submissions import forget_old  # noqa: PLC0415
    from hsreg.reports.annual_runs import delete_old  # noqa: PLC0415

    recovered = recover_stale()
    patients, items = refresh_due_items(today=today)
    done = {
        "today": today.isoformat(),
        "patients": patients,
        "due_items": items,
        "submission_tokens_deleted": forget_old(),
        "cds_hooks_rows_deleted": forget_expired(),
        "annual_reports_deleted": delete_old(),
        "jobs_recovered": recovered,
        "finished_jobs_deleted": prune_finished(),
        **run_schedule(today=today),
    }
    logger.info("nightly job done: %s", done)
    return done


@task(takes_context=True)
def nightly(context: TaskContext, today: str | None = None, scheduled: bool = False) -> Any:
    """The nightly job. ``today`` (YYYY-MM-DD) is the day the due items are computed for,
    default the local date when it runs. A scheduled run queues its successor: the next
    02:00, or RETRY_AFTER from now when it failed (the work is idempotent, so a second try
    after a half-done run is safe)."""
    try:
        day = date.fromisoformat(today) if today else timezone.localdate()
        done = run_nightly(today=day)
    except Exception:
        if scheduled:
            schedule.ensure_scheduled(
                at=timezone.now() + schedule.RETRY_AFTER, besides=context.task_result.id
            )
        raise
    if scheduled:
        schedule.ensure_scheduled(besides=context.task_result.id)
    return done
