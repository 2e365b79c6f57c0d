"""Saving a drug course with the clinical-safety guard's override (treatments.guards).

The course is written by records.services.save_record like every form (one write layer: the
unit rule, versions, the submission token, the refresh of due items and the audit row of the
save); in the same transaction the override is stored on the course and gets an audit row of
its own, ``override drugcourse <id>``, whose detail lists the rule ids and item codes
overridden. The clinician's reason stays on the course, not in the audit log: free text may
name the patient, and the audit log outlives the patient's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from hsreg.accounts.actor import Actor, system_actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.records.services import save_record

from .models import DrugCourse

#: the audit row's target: "override drugcourse 12" (audit.labels says it in words)
OVERRIDE_TARGET = "override drugcourse"


@dataclass(frozen=True, slots=True)
class Override:
    """What the guard decided for this save: ``keys`` (``RULE:code``) overridden with
    ``reason``; no keys clears an earlier override (the course no longer needs one)."""

    keys: tuple[str, ...]
    reason: str = ""


@transaction.atomic
def save_course(
    *,
    record: DrugCourse,
    actor: Actor | None,
    finish: bool,
    override: Override | None,
    loaded_version: int | None = None,
    token: str = "",
) -> DrugCourse:
    """Saves ``record`` (a draft or finished) with ``override`` stored on it; ``None`` keeps
    what the course holds (a correction that does not change the decision to start it)."""
    if override is not None:
        record.overridden = list(override.keys)
        record.override_reason = override.reason if override.keys else ""
    saved = save_record(
        record=record, actor=actor, finish=finish, loaded_version=loaded_version, token=token
    )
    if override is not None and override.keys and finish:
        log(
            actor=actor or system_actor(),
            action=Action.CREATE if saved.replaces_id is None else Action.CHANGE,
            patient_id=saved.patient_id,
            target=f"{OVERRIDE_TARGET} {saved.pk}",
            detail={"overridden": list(override.keys), "drug": saved.drug},
        )
    return saved
