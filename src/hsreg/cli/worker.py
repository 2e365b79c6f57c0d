"""``hsreg worker``: runs the background jobs (hsreg.jobs) until stopped, and the worker that
``hsreg demo`` starts as a child process.

The worker is django-tasks-db's ``db_worker``: it takes the next job from the queue table of
the registry's database (a row lock, so any number of workers on any number of hosts share
one queue), runs it, and marks it done or failed. Before that, this command puts back the jobs
of a worker that died (jobs.retry.recover_stale) and makes sure the nightly job is scheduled
(jobs.schedule.ensure_scheduled); both are safe when several workers start at once.

Ctrl-C or SIGTERM stops it after the job it is running (a second Ctrl-C stops at once; the job
is then run again later, see jobs.retry).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .common import (
    EXIT_OK,
    database_name,
    in_range,
    setup_migrated_django,
)

COMMANDS = ("worker",)
#: how long ``hsreg demo`` waits for its worker to finish its job when stopping
STOP_SECONDS = 30


def add_commands(commands: Any) -> None:
    worker_cmd = commands.add_parser(
        "worker",
        help="run the background jobs (nightly due items, annual report PDFs, mails)",
        description="Run the registry's background jobs from the queue in its database "
        "(DATABASE_URL, else SQLite in HSREG_DATA_DIR) until Ctrl-C or SIGTERM: the nightly "
        "recomputation of every patient's due items at 02:00, the annual report PDFs queued "
        "from the reports' page and the registry's mails. Run one or more of them beside "
        "hsreg serve, against the same database.",
    )
    worker_cmd.add_argument(
        "--interval",
        type=in_range(0.1, 60, what="number"),
        default=1.0,
        metavar="SECONDS",
        help="how often an idle worker looks for a new job (default 1)",
    )
    worker_cmd.add_argument(
        "--batch",
        action="store_true",
        help="run the jobs that are due now, then stop (for a test or a cron-driven host)",
    )
    worker_cmd.add_argument(
        "--quiet", action="store_true", help="print nothing about the jobs it runs"
    )


def run(args: argparse.Namespace) -> int:
    """hsreg worker: recover, schedule, then run jobs until stopped."""
    setup_migrated_django()
    from django.core.management import call_command  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.jobs.retry import recover_stale  # noqa: PLC0415
    from hsreg.jobs.schedule import ensure_scheduled, pending_run  # noqa: PLC0415

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # each job's line at once (a journal, a pipe)
    try:
        recovered = recover_stale()
        ensure_scheduled()
        if not args.quiet:
            nightly = pending_run()
            when = timezone.localtime(nightly).isoformat(timespec="minutes") if nightly else "-"
            print(
                f"hsreg worker: running the jobs of {database_name()}"
                + (f" ({recovered} job(s) of a stopped worker queued again)" if recovered else "")
                + f"; the nightly job next at {when}. "
                + ("Stops when no job is due." if args.batch else "Ctrl-C stops."),
                flush=True,
            )
        call_command(
            "db_worker",
            queue_name="*",
            interval=args.interval,
            batch=args.batch,
            reload=False,
            startup_delay=not args.batch,
            verbosity=0 if args.quiet else 1,
        )
    except SystemExit as stop:  # the worker's own Ctrl-C / SIGTERM handling
        code = stop.code if isinstance(stop.code, int) else 0
    except KeyboardInterrupt:  # Ctrl-C before the worker had set its own handling up
        code = EXIT_OK
    else:
        return EXIT_OK
    if not args.quiet:
        print("hsreg worker: stopped.", file=sys.stderr)
    return code


@contextmanager
def demo_worker() -> Iterator[None]:
    """``hsreg demo``'s worker: the nightly job queued to run at once (the demo's due items as
    of today), then ``hsreg worker --quiet`` as a child process for as long as the block runs
    (the demo's server). Ctrl-C in the terminal reaches the child too, which finishes its
    job and stops; the demo waits for it (SIGTERM, then a kill after STOP_SECONDS)."""
    from hsreg.jobs.nightly import nightly  # noqa: PLC0415 - Django is set up by the demo

    nightly.enqueue()
    parent = os.getpid()
    child = subprocess.Popen(
        [sys.executable, "-m", "hsreg", "worker", "--quiet"], env=os.environ.copy()
    )
    try:
        yield
    finally:
        if os.getpid() == parent:  # not in a server process forked from the demo
            _stop(child)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
