"""Every write of a registry form goes through here (the Zulip rule): saving a draft,
finishing, correcting, discarding. So the unit a form belongs to, the read-only rule for
finished forms, the kept earlier versions (of a correction, and of a draft saved over or
discarded), the audit log of every write and the refresh of the patient's derived data (due
items) live in one place and cannot be bypassed by a view.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CASCADE, Model
from django.utils import timezone

from hsreg.accounts.actor import Actor, system_actor
from hsreg.audit.models import Action
from hsreg.audit.services import log

from . import submissions
from .conflicts import check_version
from .models import EarlierVersion, Record, Status

R = TypeVar("R", bound=Record)

#: called inside the transaction after a patient's finished forms change (registered by apps).
#: Drafts are left out: nothing derived (the case document, the due items) reads them.
_after_change: list[Callable[[Record], None]] = []


def on_change(hook: Callable[[Record], None]) -> Callable[[Record], None]:
    """Registers ``hook(record)`` to run after a form is finished or a correction supersedes
    an earlier version (e.g. worklists' refresh)."""
    _after_change.append(hook)
    return hook


@contextmanager
def hooks_once_per_patient() -> Iterator[Callable[[], int]]:
    """Defers the after-change hooks of the forms saved meanwhile; yields ``run``, which calls
    each hook once per patient whose forms were finished meanwhile (with the patient's last
    one) and returns how many patients that was.

    For a bulk load (hsreg.hisreg's import): every hook recomputes what it derives from all of
    the patient's finished forms, so only its last run per patient counts, and running it
    once per patient gives the same rows at a fraction of the time. ``run`` belongs inside the
    same transaction as the saves."""
    registered = list(_after_change)
    last: dict[int, Record] = {}

    def remember(record: Record) -> None:
        last[record.patient_id] = record  # type: ignore[attr-defined]

    def run() -> int:
        for record in last.values():
            for hook in registered:
                hook(record)
        return len(last)

    _after_change[:] = [remember]
    try:
        yield run
    finally:
        _after_change[:] = registered


class ReadOnlyError(PermissionDenied):
    """A finished form was about to be changed other than by a correction."""


class OtherUnitError(PermissionDenied):
    """A form of another unit was about to be changed (issue 11)."""


def refuse_other_unit(*, unit_id: int, actor: Actor) -> None:
    """Forms belong to the unit that wrote them, and only that unit changes them: saves,
    corrections and discards by an actor of another unit are refused here, whatever the view
    (patients.selectors.get_record already answers 404 and logs the attempt). hsreg itself
    (no unit: the seeder, imports) is not refused."""
    if actor.unit is not None and unit_id != actor.unit.pk:
        raise OtherUnitError("only the unit that wrote a form changes it")


@transaction.atomic
def save_record(
    *,
    record: R,
    actor: Actor | None,
    finish: bool,
    children: Callable[[R], None] | None = None,
    loaded_version: int | None = None,
    token: str = "",
) -> R:
    """Saves ``record`` (new or a draft) as a draft or finished. ``children`` writes rows that
    belong to the form (regions of an assessment) after the form itself is saved. Finishing a
    correction supersedes the version it replaces. A draft saved over keeps its stored values
    as an EarlierVersion. ``actor`` None is hsreg itself (tests, imports): the write is logged
    all the same. ``loaded_version`` is the version the page was loaded with: a save over a
    newer one raises records.conflicts.ConflictError (checked under the row's lock); ``token``
    is the page's one-time token, stored with the save (records.submissions)."""
    actor = actor or system_actor()
    refuse_other_unit(unit_id=record.unit_id, actor=actor)
    detail: dict[str, Any] = {}
    is_new = record.pk is None
    if is_new:
        record.version = 1  # a correction's copy starts its own count
    else:
        stored = type(record).objects.select_for_update().get(pk=record.pk)
        refuse_other_unit(unit_id=stored.unit_id, actor=actor)
        check_version(stored=stored, loaded=loaded_version)
        record.version = stored.version + 1
        if stored.status != Status.DRAFT:
            raise ReadOnlyError("finished forms change only by a correction")
        detail = _keep_earlier(stored, actor=actor, changed=_changed_fields(stored, record))
    if record.created_by_id is None and actor.known_user is not None:
        record.created_by = actor.known_user
    record.updated_by = actor.known_user
    if finish:
        record.status = Status.FINISHED
        record.finished_at = timezone.now()
    record.save()
    if children is not None:
        children(record)
    submissions.remember(token=token, record=record)
    if finish:
        if record.replaces_id is not None:
            type(record).objects.filter(pk=record.replaces_id).update(status=Status.SUPERSEDED)
        for hook in _after_change:
            hook(record)
    log(
        actor=actor,
        action=Action.CREATE if is_new else Action.CHANGE,
        patient_id=record.patient_id,
        target=_target(record),
        detail={
            "status": record.status,
            **detail,
            **({"corrects": record.replaces_id} if record.replaces_id else {}),
        },
    )
    return record


def _target(record: Record) -> str:
    return f"{record._meta.model_name} {record.pk}"


#: bookkeeping fields, not answers: a change of these alone is not a change of the form
_BOOKKEEPING = frozenset(
    {"id", "status", "finished_at", "updated_at", "created_at", "version", "updated_by_id"}
)


def _changed_fields(stored: Record, record: Record) -> list[str]:
    """The names of the form's own fields whose values ``record`` changes (a draft being
    edited); its rows (the regions of an assessment) are compared by the earlier version."""
    return [
        f.attname
        for f in record._meta.concrete_fields
        if f.attname not in _BOOKKEEPING
        and getattr(stored, f.attname) != getattr(record, f.attname)
    ]


def _keep_earlier(stored: Record, *, actor: Actor, changed: list[str]) -> dict[str, Any]:
    """Stores the values of ``stored`` with its rows as an EarlierVersion, and returns what the
    audit row says of it: the version's id and the names of the changed fields, never values
    (the audit log outlives the patient; free text may name them)."""
    version = EarlierVersion.objects.create(
        patient_id=stored.patient_id,
        form=stored._meta.model_name,
        form_id=stored.pk,
        replaced_by=actor.known_user,
        values=_values(stored),
    )
    return {"earlier_version": version.pk, "changed": changed}


def _values(record: Record) -> dict[str, Any]:
    """The form's fields and the fields of the rows that belong to it (reverse relations that
    cascade from it, such as RegionFinding), as JSON-ready values."""
    values = _as_json(record)
    for relation in record._meta.related_objects:
        if relation.one_to_many and relation.on_delete is CASCADE:
            rows = getattr(record, relation.get_accessor_name()).order_by("pk")
            values[relation.get_accessor_name()] = [_as_json(row) for row in rows]
    return values


def _as_json(instance: Model) -> dict[str, Any]:
    fields: dict[str, Any] = json.loads(serializers.serialize("json", [instance]))[0]["fields"]
    return fields


def start_correction(*, record: R, user: Any, reason: str, actor: Actor | None = None) -> R:
    """A draft copy of a finished form that will replace it when finished. The copy is not
    saved here: the caller's form fills it and saves it with `save_record` (which refuses it
    too when ``actor`` is of another unit than the form)."""
    if actor is not None:
        refuse_other_unit(unit_id=record.unit_id, actor=actor)
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
def discard_draft(*, record: Record, actor: Actor) -> None:
    """Deletes a draft (never a finished form; nothing derived reads drafts)."""
    refuse_other_unit(unit_id=record.unit_id, actor=actor)
    if record.status != Status.DRAFT:
        raise ReadOnlyError("only drafts can be discarded")
    target = _target(record)
    kept = _keep_earlier(record, actor=actor, changed=[])
    record.delete()
    log(
        actor=actor,
        action=Action.CHANGE,
        patient_id=record.patient_id,
        target=target,
        detail={"discarded": True, "earlier_version": kept["earlier_version"]},
    )
