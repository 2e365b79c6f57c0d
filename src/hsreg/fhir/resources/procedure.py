"""Procedure: a surgical intervention (treatments.Intervention of type surgical, or surgical
and medical), finished. SNOMED CT codes the category (387713003 |Surgical procedure|); the
kinds of surgery hsreg records (excision with sutures, secondary healing or a graft, CO₂ laser,
deroofing) are given by name in ``code.text``, as no single SNOMED CT code is sure for each.
The sites operated that are body regions of hsreg (ST-1) are coded in its region system; the
others (pubis, thigh, ...) by name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from hsreg.fhir import codes
from hsreg.fhir.search import Page, Search, is_pk, window
from hsreg.treatments.models import SURGICAL_TYPES, Intervention, SurgerySite

from ..reads import forms
from .ids import REGIONS
from .observation import region_label

KINDS = Intervention.SURGERY_KINDS


def _kinds(intervention: Intervention) -> list[str]:
    with translation.override("en"):
        return [
            str(Intervention._meta.get_field(name).verbose_name)
            for name in KINDS
            if getattr(intervention, name)
        ]


def _site(site: str) -> dict[str, Any]:
    if site in REGIONS:
        label = region_label(site)
        return {
            "coding": [{"system": codes.REGION_SYSTEM, "code": site, "display": label}],
            "text": label,
        }
    with translation.override("en"):
        label = str(SurgerySite(site).label) if site in SurgerySite.values else site
    return {"text": label}


def build(intervention: Intervention, *, today: date) -> dict[str, Any]:
    system, code, display = codes.SURGICAL_PROCEDURE
    kinds = _kinds(intervention)
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": str(intervention.pk),
        "status": "preparation" if intervention.date > today else "completed",
        "category": {"coding": [{"system": system, "code": code, "display": display}]},
        "code": {"text": ", ".join(kinds) if kinds else "Surgery for hidradenitis suppurativa"},
        "subject": {"reference": f"Patient/{intervention.patient_id}"},
        "performedDateTime": intervention.date.isoformat(),
        "performer": [{"actor": {"reference": f"Organization/{intervention.unit_id}"}}],
    }
    sites = [s for s in intervention.surgery_sites or [] if isinstance(s, str)]
    if sites:
        resource["bodySite"] = [_site(s) for s in sites]
    return resource


def _query(actor: Any, search: Search) -> Any:
    found = forms(Intervention, actor=actor, finished_only=True, patient_ids=search.patients)
    found = found.filter(type__in=SURGICAL_TYPES)
    if search.ids is not None:
        found = found.filter(pk__in=[int(i) for i in search.ids if is_pk(i)])
    for test in search.dates:
        found = found.filter(**test.lookups("date"))
    return found.order_by("date", "pk")


def search(*, actor: Any, search: Search) -> Page:
    """Finished surgical interventions by ``patient``, ``_id`` and ``date``: two queries."""
    found = _query(actor, search)
    total = found.count()
    page = list(window(found, search)) if search.count else []
    today = date.today()
    return Page([build(i, today=today) for i in page], total, frozenset(i.patient_id for i in page))
