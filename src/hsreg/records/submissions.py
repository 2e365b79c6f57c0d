"""One-time submission tokens: every form page carries a random token, and the transaction
that saves the form stores it (``records.Submission``, unique). A second POST of the same page
(a double-click, two tabs of one page, Back and resubmit) finds the token used and goes to the
form the first POST saved, instead of creating a second record (before issue 11 it did) or,
for a draft being edited, showing a conflict with the user's own first save.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import Record, Submission

#: what new_token() makes (and what a posted token must look like: a longer or odd one is
#: not a token of ours and is ignored, never written)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")
#: a token is kept this long: a page left open longer is treated as a new submission
KEPT = timedelta(days=2)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def posted_token(value: str | None) -> str:
    """The token a page posted, or '' when it posted none or one not of our shape."""
    return value if value and _SHAPE.fullmatch(value) else ""


def used(*, token: str) -> Submission | None:
    """The submission that already used ``token`` (None for '' or an unused token)."""
    if not token:
        return None
    return Submission.objects.filter(token=token).first()


def remember(*, token: str, record: Record) -> None:
    """Stores ``token`` as used by ``record``; called inside the transaction that saves it, so a
    second save with the same token fails on the unique constraint and is rolled back. Tokens
    older than KEPT are deleted by the nightly job (``forget_old``), not by every save."""
    if not token:
        return
    Submission.objects.create(token=token, form=record._meta.model_name, form_id=record.pk)


def forget_old() -> int:
    """Deletes the tokens older than KEPT (they hold no patient data; this keeps the table
    small); run by the nightly job (hsreg.jobs.nightly). Returns how many."""
    deleted, _per_model = Submission.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
    return deleted
