"""Running the queued jobs in a test, with the library's own code.

``run_worker`` is the real worker (django-tasks-db's ``db_worker --batch``): for tests on the
transactional database, as the worker checks its connection between jobs as in production.
``run_ready_jobs`` runs each job that is due through the same worker's ``run_task`` (claim,
run, mark done or failed), without that connection check, so it also works inside the
transaction of an ordinary test: the outbox of the account tests (``SentMail``) uses it.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator, MutableSequence
from typing import Any

from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER_ID = "tests"


def run_worker() -> None:
    """The worker until no job is due; the signal handlers it sets are put back after."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        call_command(
            "db_worker",
            queue_name="*",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            verbosity=0,
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def run_ready_jobs() -> int:
    """Runs every job that is due now, oldest first; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )
    ran = 0
    while (job := DBTaskResult.objects.ready().first()) is not None:
        job.claim(WORKER_ID)
        worker.run_task(job)
        ran += 1
    return ran


class SentMail(MutableSequence[Any]):
    """Django's test outbox as a user sees it once the worker has run: reading it first runs
    the jobs that are due (the mails are sent by a job, hsreg.jobs.mails)."""

    def __init__(self, outbox: list[Any]) -> None:
        self._outbox = outbox

    def _sent(self) -> list[Any]:
        run_ready_jobs()
        return self._outbox

    def __getitem__(self, index: Any) -> Any:
        return self._sent()[index]

    def __setitem__(self, index: Any, value: Any) -> None:
        self._outbox[index] = value

    def __delitem__(self, index: Any) -> None:
        del self._outbox[index]

    def __len__(self) -> int:
        return len(self._sent())

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._sent()))

    def insert(self, index: int, value: Any) -> None:
        self._outbox.insert(index, value)

    def clear(self) -> None:
        self._sent().clear()
