"""QuestionnaireResponse: a patient's report as questionnaires.response.to_response builds it
(the form it answers, the patient by registry id only), with the report's id. The unit's own
drafts are shown as ``in-progress``, as the patient page lists them."""

from __future__ import annotations

from typing import Any

from hsreg.assessments.models import PatientReport
from hsreg.fhir.search import Page, Search, is_pk, window
from hsreg.questionnaires.answers import to_response
from hsreg.records.models import Status

from ..reads import forms


def build(report: PatientReport) -> dict[str, Any]:
    resource = {"id": str(report.pk), **to_response(report)}
    if report.status == Status.DRAFT:
        resource["status"] = "in-progress"
    return resource


def search(*, actor: Any, search: Search) -> Page:
    """Reports by ``patient``, ``_id`` and ``authored`` (the form's date): two queries."""
    found = forms(PatientReport, actor=actor, patient_ids=search.patients)
    if search.ids is not None:
        found = found.filter(pk__in=[int(i) for i in search.ids if is_pk(i)])
    for test in search.dates:
        found = found.filter(**test.lookups("date"))
    found = found.order_by("date", "pk")
    total = found.count()
    page = list(window(found, search)) if search.count else []
    return Page([build(r) for r in page], total, frozenset(r.patient_id for r in page))
