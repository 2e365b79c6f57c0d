"""A patient's report read back as a FHIR QuestionnaireResponse (issue 13, point 1).

For the unit's staff (registrar, unit leader), from the report's page: the answers of the
patient's status form or control as the hospital record or another system takes them, built
from the same definitions as the patient's page (questionnaires.response). The report is read
through patients.selectors.get_record, so it is scoped to the unit (and the patient's consent
to sharing) and logged as a read; the response names the patient by registry id only.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from hsreg.assessments.models import PatientReport
from hsreg.patients.selectors import get_record

from .answers import to_response


@login_required
@require_GET
def response(request: HttpRequest, patient_id: int, record_id: int) -> HttpResponse:
    report = get_record(
        PatientReport,
        actor=request.actor,  # type: ignore[attr-defined]
        patient_id=patient_id,
        record_id=record_id,
    )
    body = json.dumps(to_response(report), ensure_ascii=False, indent=2)
    answer = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    answer["Content-Disposition"] = (
        f'attachment; filename="questionnaire-response-{report.pk}.json"'
    )
    answer["Cache-Control"] = "no-store"
    return answer
