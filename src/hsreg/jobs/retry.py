"""Retries of a failed job, and the recovery of a job whose worker died.

django-tasks-db runs a job once: an exception marks its row FAILED (with the traceback) and
that is all. ``retried`` queues the job again with the same arguments, later each time
(``BACKOFF``), until ``MAX_ATTEMPTS``; every job of hsreg is idempotent, so a second run of one
that did its work before failing changes nothing. A worker killed in the middle of a job (a
crash, a lost host) leaves its row RUNNING: ``recover_stale`` puts such rows back to READY once
they are older than any job runs (``STALE_AFTER``), at every start of ``hsreg worker`` and in
the nightly job, which also deletes the rows of jobs finished long ago (``prune_finished``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext, TaskResultStatus

logger = logging.getLogger("hsreg.jobs")

MAX_ATTEMPTS = 5
#: the wait before the 2nd, 3rd, 4th and 5th attempt (a mail server down for a while, a
#: database restarting): about two and a half hours in all
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
#: longer than any job of hsreg takes (the nightly refresh of 100,000 patients: minutes)
STALE_AFTER = timedelta(hours=3)
#: how long a finished job's row (its result, or its traceback) is kept for a look afterwards
KEEP_FINISHED = timedelta(days=30)
#: what a job's stored arguments become when they must not stay in the database (``scrub``)
SCRUBBED: dict[str, Any] = {"args": [], "kwargs": {"scrubbed": True}}


def retried(
    *, scrub: bool = False, pass_attempt: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Makes ``function(*args, **kwargs)`` a job body that is queued again when it fails.

    Use under ``@task(takes_context=True)``. The retry is a new row with the same arguments
    and ``attempt`` one higher. With ``scrub``, the job's own row forgets its arguments once
    it has run (succeeded or failed; a retry carries them in its own row): for a mail whose
    body holds a one-time password, the password is in the task table only until it is sent.
    With ``pass_attempt``, the function gets ``attempt`` (1 to MAX_ATTEMPTS) as a keyword, to
    tell its last attempt from the others.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def run(context: TaskContext, *args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                if pass_attempt:
                    return function(*args, attempt=attempt, **kwargs)
                return function(*args, **kwargs)
            except Exception:
                if attempt < MAX_ATTEMPTS:
                    again = import_string(f"{function.__module__}.{function.__qualname__}")
                    when = timezone.now() + BACKOFF[attempt - 1]
                    again.using(run_after=when).enqueue(*args, attempt=attempt + 1, **kwargs)
                    logger.warning(
                        "job %s failed (attempt %d of %d); queued again for %s",
                        function.__qualname__,
                        attempt,
                        MAX_ATTEMPTS,
                        when.isoformat(timespec="seconds"),
                    )
                else:
                    logger.error(
                        "job %s failed %d times; not queued again", function.__qualname__, attempt
                    )
                raise
            finally:
                if scrub:
                    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

                    DBTaskResult.objects.filter(pk=context.task_result.id).update(
                        args_kwargs=SCRUBBED
                    )

        # django-tasks checks the signature for ``context``: it must see ``run``'s own.
        del run.__wrapped__  # type: ignore[attr-defined]
        return run

    return decorate


def recover_stale(*, now: Any = None) -> int:
    """Puts the jobs that have been RUNNING for longer than STALE_AFTER back to READY (their
    worker died); the next worker runs them again. Returns how many."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - after Django's setup

    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - STALE_AFTER
    ).update(status=TaskResultStatus.READY)


def prune_finished(*, now: Any = None) -> int:
    """Deletes the rows of jobs that finished (succeeded or failed) more than KEEP_FINISHED
    ago, as the library's prune_db_task_results does; run by the nightly job. Returns how
    many."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - after Django's setup

    cutoff = (now or timezone.now()) - KEEP_FINISHED
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
