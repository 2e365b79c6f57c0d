"""Every write of a registry form goes through here (the Zulip rule): saving a draft,
finishing, correcting. So the unit a form belongs to, the read-only rule for finished forms,
the kept earlier versions and the refresh of the patient's derived data (scores, due items)
live in one place and cannot be bypassed by a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import Record, Status

R = TypeVar("R", bound=Record)

#: called inside the transaction after a patient's finished forms change (registered by apps).
#: Drafts are left out: nothing derived (the case document, the due items) reads them.
_after_change: list[Callable[[Record], None]] = []


def on_change(hook: Callable[[Record], None]) -> Callable[[Record], None]:
    """Registers ``hook(record)`` to run after a form is finished or a correction supersedes
    an earlier version (e.g. worklists' refresh)."""
    _after_change.append(hook)
    return hook


class ReadOnlyError(PermissionDenied):
    """A finished form was about to be changed other than by a correction."""


@transaction.atomic
def save_record(
    *,
    record: R,
    user: Any,
    finish: bool,
    children: Callable[[R], None] | None = None,
) -> R:
    """Saves ``record`` (new or a draft) as a draft or finished. ``children`` writes rows that
    belong to the form (regions of an assessment) after the form itself is saved. Finishing a
    correction supersedes the version it replaces."""
    if record.pk is not None:
        stored = type(record).objects.select_for_update().get(pk=record.pk)
        if stored.status != Status.DRAFT:
            raise ReadOnlyError("finished forms change only by a correction")
    if record.created_by_id is None and getattr(user, "is_authenticated", False):
        record.created_by = user
    if finish:
        record.status = Status.FINISHED
        record.finished_at = timezone.now()
    record.save()
    if children is not None:
        children(record)
    if finish:
        if record.replaces_id is not None:
            type(record).objects.filter(pk=record.replaces_id).update(status=Status.SUPERSEDED)
        for hook in _after_change:
            hook(record)
    return record


def start_correction(*, record: R, user: Any, reason: str) -> R:
    """A draft copy of a finished form that will replace it when finished. The copy is not
    saved here: the caller's form fills it and saves it with `save_record`."""
    if record.status != Status.FINISHED:
        raise ReadOnlyError("only a finished form can be corrected")
    copy = type(record).objects.get(pk=record.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.status = Status.DRAFT
    copy.finished_at = None
    copy.replaces = record
    copy.correction_reason = reason
    copy.created_by = user if getattr(user, "is_authenticated", False) else None
    return copy


@transaction.atomic
def discard_draft(*, record: Record) -> None:
    """Deletes a draft (never a finished form; nothing derived reads drafts)."""
    if record.status != Status.DRAFT:
        raise ReadOnlyError("only drafts can be discarded")
    record.delete()
