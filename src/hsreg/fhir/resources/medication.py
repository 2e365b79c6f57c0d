"""MedicationStatement: a drug course (treatments.DrugCourse) with its ATC code from the
guideline's catalog (guideline.catalog, where each drug has its rule: TX-2 ... TX-11, XS-1).

Only finished courses are statements: a draft is not yet a fact. A course starting after today
is ``intended``; one that has ended is ``completed`` (remission) or ``stopped`` (any other
reason, given as ``statusReason``); else ``active``. A combination (rifampicin + clindamycin)
has two ATC codes and no single code for the pair: it is given by its name only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from hsreg.fhir import codes
from hsreg.fhir.search import Page, Search, is_pk, window
from hsreg.guideline.catalog import DRUGS
from hsreg.treatments.models import DrugCourse, StopReason

from ..reads import forms


def _status(course: DrugCourse, today: date) -> str:
    if course.date > today:
        return "intended"
    if course.end is not None and course.end <= today:
        return "completed" if course.stop_reason in ("", StopReason.REMISSION) else "stopped"
    return "active"


def atc_codes(course: DrugCourse) -> list[str]:
    drug = DRUGS[course.drug]
    return [drug.atc] if drug.atc and " " not in drug.atc else []


def build(course: DrugCourse, *, today: date) -> dict[str, Any]:
    drug = DRUGS[course.drug]
    concept: dict[str, Any] = {"text": drug.name.en}
    if atc_codes(course):
        concept["coding"] = [{"system": codes.ATC, "code": drug.atc, "display": drug.name.en}]
    period = {"start": course.date.isoformat()}
    if course.end is not None:
        period["end"] = course.end.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": str(course.pk),
        "status": _status(course, today),
        "medicationCodeableConcept": concept,
        "subject": {"reference": f"Patient/{course.patient_id}"},
        "effectivePeriod": period,
        "informationSource": {"reference": f"Organization/{course.unit_id}"},
        "note": [{"text": f"{drug.name.en}: {drug.rule_id} of the guideline"}],
    }
    if course.finished_at is not None:
        resource["dateAsserted"] = course.finished_at.isoformat()
    if course.stop_reason and resource["status"] == "stopped":
        with translation.override("en"):
            resource["statusReason"] = [{"text": str(StopReason(course.stop_reason).label)}]
    if course.dose:
        resource["dosage"] = [{"text": course.dose}]
    return resource


def _query(actor: Any, search: Search) -> Any:
    found = forms(DrugCourse, actor=actor, finished_only=True, patient_ids=search.patients)
    if search.ids is not None:
        found = found.filter(pk__in=[int(i) for i in search.ids if is_pk(i)])
    for test in search.dates:
        found = found.filter(**test.lookups("date"))
    if search.codes is not None:
        drugs = [d.id for d in DRUGS.values() if d.atc and search.code_matches(codes.ATC, d.atc)]
        found = found.filter(drug__in=drugs)
    return found.order_by("date", "pk")


def search(*, actor: Any, search: Search) -> Page:
    """Finished drug courses by ``patient``, ``_id``, ``code`` (ATC) and ``effective`` (the
    start): two queries."""
    found = _query(actor, search)
    total = found.count()
    page = list(window(found, search)) if search.count else []
    today = date.today()
    return Page([build(c, today=today) for c in page], total, frozenset(c.patient_id for c in page))
