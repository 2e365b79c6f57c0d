"""The patient a CDS Hooks call is about, found among the calling client's unit's patients
only (hsreg.patients.selectors), by the national id number the record sent.

A number no patient of the unit has is "not registered" for the caller, whoever else may
have registered it: the card says no more. Either way the lookup is audited: a found patient
by ``get_patient`` (a READ row naming the client), a miss as a denied READ without any number.
"""

from __future__ import annotations

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log
from hsreg.patients.models import Patient
from hsreg.patients.selectors import get_patient, unit_patients


def patient_by_national_id(*, actor: Actor, numbers: list[str], target: str) -> Patient | None:
    """The actor's unit's patient with one of ``numbers``, read (and audited) as ``target``;
    None when the unit has none."""
    found = None
    if numbers:
        found = (
            unit_patients(unit=actor.clinical_unit)
            .filter(national_id__in=numbers)
            .values_list("pk", flat=True)
            .first()
        )
    if found is None:
        log(
            actor=actor,
            action=Action.READ,
            outcome=Outcome.DENIED,
            target=target,
            detail={"reason": "no patient of the unit has the record's identifier"},
        )
        return None
    return get_patient(actor=actor, patient_id=found, target=target)
