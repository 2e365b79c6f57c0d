"""When the nightly job runs: at 02:00 Oslo time (settings.TIME_ZONE), every night.

django-tasks has no timetable of its own, so the schedule is kept in the queue itself: there is
always exactly one *scheduled* nightly run waiting (a row with ``scheduled=True`` and
``run_after`` the next 02:00). When it has run, it queues the next one (``nightly``); if it
failed, the next one comes in RETRY_AFTER instead. ``ensure_scheduled`` queues one when there
is none (the first start of ``hsreg worker`` or ``hsreg demo``, a queue emptied by hand); it is
safe to call from any number of workers at once: the check and the insert happen under a lock
(an advisory lock on PostgreSQL; SQLite's write transactions are serialised already).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

NIGHTLY_AT = time(2, 0)
RETRY_AFTER = timedelta(minutes=15)
#: the key of PostgreSQL's advisory lock that serialises ``ensure_scheduled`` ("hsreg-n")
_LOCK_KEY = 0x6873726567_6E


def next_run(now: datetime) -> datetime:
    """The first 02:00 local time after ``now`` (a zone-aware time; summer time respected)."""
    local = timezone.localtime(now)
    day: date = local.date()
    if local.time() >= NIGHTLY_AT:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, NIGHTLY_AT))


def ensure_scheduled(*, at: datetime | None = None, besides: str | None = None) -> bool:
    """Queues the scheduled nightly run for ``at`` (default: the next 02:00) unless one is
    waiting or running already (other than the job ``besides``, the run asking for its
    successor). True if it queued one."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - after Django's setup

    from .nightly import nightly  # noqa: PLC0415 - nightly imports this module

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        pending = DBTaskResult.objects.filter(
            task_path=nightly.module_path,
            status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
            args_kwargs__kwargs__scheduled=True,
        )
        if besides is not None:
            pending = pending.exclude(pk=besides)
        if pending.exists():
            return False
        nightly.using(run_after=at or next_run(timezone.now())).enqueue(scheduled=True)
        return True


def pending_run() -> datetime | None:
    """When the scheduled nightly run is due (for ``hsreg worker``'s start message)."""
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from .nightly import nightly  # noqa: PLC0415

    row = (
        DBTaskResult.objects.filter(
            task_path=nightly.module_path,
            status=TaskResultStatus.READY,
            args_kwargs__kwargs__scheduled=True,
        )
        .order_by("run_after")
        .first()
    )
    return row.run_after if row else None
