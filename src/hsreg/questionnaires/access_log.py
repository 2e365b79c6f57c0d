"""The patient's own access log: every logged access to their data, as the patient reads it
(Normen and the patient's right of access, pasientjournalloven § 18; issue 13 point 6).

The rows are hsreg.audit's (audit.selectors.patient_access_log), newest first, in pages of
PAGE_SIZE without counting the whole log. Each says when (the registry's time zone), which
unit (by name), who (the user's full name and role; the patient's own actions as "You") and
what (audit.labels). Reading it is itself logged: READ of ACCESS_LOG_TARGET by the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from hsreg.accounts.models import Role
from hsreg.audit.labels import describe
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.audit.selectors import patient_access_log
from hsreg.audit.services import log
from hsreg.units.models import Unit

from .models import Invitation
from .services import patient_actor

PAGE_SIZE = 50
ACCESS_LOG_TARGET = "access log (patient)"
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Row:
    at: datetime
    unit: str
    who: str
    role: str
    what: str
    refused: bool
    by_patient: bool


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    number: int
    newer: int | None
    older: int | None


def page_number(value: str) -> int:
    """A page number from the query string: odd text, 0 or a huge number → the first page."""
    value = value.strip()
    if not value.isdigit() or len(value) > 6:
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def _by_patient(event: AuditEvent) -> bool:
    return isinstance(event.detail, dict) and event.detail.get("by") == "patient"


def _what(event: AuditEvent) -> str:
    action = Action(event.action).label if event.action in Action.values else event.action
    text = f"{action}: {describe(event.target)}" if event.target else str(action)
    return text[:1].upper() + text[1:]


def _row(event: AuditEvent, units: dict[int, Unit]) -> Row:
    unit = units.get(event.unit_id) if event.unit_id is not None else None
    mine = _by_patient(event)
    if mine:
        who, role = _("You"), ""
    elif event.user is not None:
        who = event.user.get_full_name() or event.username
        role = str(Role(event.role).label) if event.role in Role.values else ""
    else:
        who, role = (event.username or _("The registry (automatic)")), ""
    return Row(
        at=event.at,
        unit=unit.name if unit else "",
        who=who,
        role=role,
        what=_what(event),
        refused=event.outcome != Outcome.OK,
        by_patient=mine,
    )


def read_page(*, invitation: Invitation, number: int, request_id: str) -> Page:
    """One page of the patient's access log; the reading is logged first, so the patient sees
    their own look at it at the top."""
    log(
        actor=patient_actor(invitation, request_id=request_id),
        action=Action.READ,
        patient_id=invitation.patient_id,
        target=ACCESS_LOG_TARGET,
        detail={"by": "patient", "invitation": invitation.pk, "page": number},
    )
    start = (number - 1) * PAGE_SIZE
    events = list(
        patient_access_log(patient_id=invitation.patient_id)[start : start + PAGE_SIZE + 1]
    )
    units = Unit.objects.in_bulk({e.unit_id for e in events if e.unit_id is not None})
    return Page(
        rows=[_row(e, units) for e in events[:PAGE_SIZE]],
        number=number,
        newer=number - 1 if number > 1 else None,
        older=number + 1 if len(events) > PAGE_SIZE else None,
    )
