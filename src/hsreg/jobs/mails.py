"""The registry's mails (application decisions, one-time passwords), sent by a job.

The web request that decides an application queues the mail in the same transaction as the
decision (the queue is a table of the same database): both are saved, or neither. The worker
sends it; when the mail server refuses or cannot be reached, the job is retried later
(``retry.retried``), so a mail server that is down no longer stops a coordinator's decision.

The body of a one-time password's mail holds the password, and a job's arguments are stored in
the task table: ``scrub`` empties them as soon as the job has run (sent or failed; a retry
carries them in its own row), so the password is in the database only between the decision and
the sending, seconds when the worker runs. Nothing of the body is logged. A mail is sent twice
only if the worker dies between the mail server's acceptance and the job's row being marked
done (the job then runs again after retry.STALE_AFTER): for these mails that is harmless, and
unavoidable without a transaction spanning the mail server and the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .retry import retried


@task(takes_context=True)
@retried(scrub=True)
def send(subject: str, body: str, to: list[str]) -> int:
    """Sends one plain-text mail from the registry's address; the number sent (1)."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def queue_mail(subject: str, body: str, to: Sequence[str]) -> None:
    """Queues a mail (inside the caller's transaction: it is sent only if that commits)."""
    send.enqueue(str(subject), str(body), [str(address) for address in to])
