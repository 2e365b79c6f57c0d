"""Writes to the audit log: the only way rows get there (hsreg.audit.models)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hsreg.accounts.actor import Actor

from .models import Action, AuditEvent, Outcome


def _event(
    actor: Actor,
    *,
    action: Action,
    outcome: Outcome,
    patient_id: int | None,
    target: str,
    detail: dict[str, Any] | None,
) -> AuditEvent:
    user = actor.known_user
    return AuditEvent(
        user=user,
        username=user.get_username() if user else "",
        role=actor.role or "",
        unit_id=actor.unit.pk if actor.unit else None,
        patient_id=patient_id,
        action=action,
        target=target[:200],
        outcome=outcome,
        request_id=actor.request_id,
        detail=detail,
    )


def log(
    *,
    actor: Actor,
    action: Action,
    outcome: Outcome = Outcome.OK,
    patient_id: int | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """One audit row. ``target`` says what was touched ("patient page", "doctor-assessment
    12"); ``detail`` holds what a reviewer needs beyond that (earlier values of a change, the
    reason of a denial), never a national id number or a name."""
    event = _event(
        actor, action=action, outcome=outcome, patient_id=patient_id, target=target, detail=detail
    )
    event.save()
    return event


def log_many(
    *, actor: Actor, action: Action, patient_ids: Iterable[int], target: str
) -> list[AuditEvent]:
    """One row per patient shown in a list (search results, a worklist), in one insert."""
    return AuditEvent.objects.bulk_create(
        _event(actor, action=action, outcome=Outcome.OK, patient_id=pk, target=target, detail=None)
        for pk in patient_ids
    )
