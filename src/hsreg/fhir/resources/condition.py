"""Condition: hidradenitis suppurativa, one per registered patient (ICD-10 L73.2, SNOMED CT
59393003). Registering a patient in hsreg is registering their HS (MO-4), so the condition is
active and confirmed; it is recorded on the day of registration, and its onset is the age at
the first boil when the medical history gives it. Its id is ``hs-<patient id>``."""

from __future__ import annotations

from typing import Any

from hsreg.assessments.models import MedicalHistory
from hsreg.fhir import codes
from hsreg.fhir.search import Page, Search, window
from hsreg.patients.models import Patient

from ..reads import forms, patients, with_scope

PREFIX = "hs-"


def condition_id(patient_id: int) -> str:
    return f"{PREFIX}{patient_id}"


def patient_of(condition: str) -> int | None:
    """The patient id of a Condition id, or None if it is not one hsreg gives."""
    text = condition.removeprefix(PREFIX)
    if condition.startswith(PREFIX) and text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text) or None
    return None


def _code_matches(search: Search) -> bool:
    return any(search.code_matches(system, code) for system, code, _display in codes.HS_CONDITION)


def build(patient: Patient, history: MedicalHistory | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": condition_id(patient.pk),
        "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL, "code": "active"}]},
        "verificationStatus": {
            "coding": [{"system": codes.CONDITION_VERIFICATION, "code": "confirmed"}]
        },
        "code": {
            "coding": [
                {"system": system, "code": code, "display": display}
                for system, code, display in codes.HS_CONDITION
            ],
            "text": "Hidradenitis suppurativa",
        },
        "subject": {"reference": f"Patient/{patient.pk}"},
        "recordedDate": patient.registered_at.date().isoformat(),
    }
    if history is not None and history.age_first_boil is not None:
        resource["onsetAge"] = {
            "value": history.age_first_boil,
            "unit": "years",
            "system": codes.UCUM,
            "code": "a",
        }
    return resource


def histories(*, actor: Any, patient_ids: list[int]) -> dict[int, MedicalHistory]:
    """The current medical history each patient's reader may see (one query)."""
    found = forms(MedicalHistory, actor=actor, finished_only=True, patient_ids=patient_ids)
    return {h.patient_id: h for h in found.order_by("date", "pk")}


def search(*, actor: Any, search: Search) -> Page:
    """The HS conditions of the unit's patients, by ``patient``, ``_id`` and ``code``: three
    queries (the count, the page, the medical histories)."""
    found = patients(actor=actor).order_by("pk")
    if not _code_matches(search):
        found = found.none()
    if search.patients is not None:
        found = found.filter(pk__in=search.patients)
    if search.ids is not None:
        found = found.filter(pk__in=[p for i in search.ids if (p := patient_of(i))])
    total = found.count()
    page = with_scope(window(found, search) if search.count else [], actor=actor)  # type: ignore[arg-type]
    onset = histories(actor=actor, patient_ids=[p.pk for p in page])
    return Page([build(p, onset.get(p.pk)) for p in page], total, frozenset(p.pk for p in page))
