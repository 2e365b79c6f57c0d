# ruff: noqa: F811 - the fixtures imported from .staffing are the tests' arguments
"""A patient's report read back as a FHIR QuestionnaireResponse from its page (issue 13,
point 1): the unit's staff only, scoped and logged like the report itself."""

from __future__ import annotations

import json
from datetime import date

from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.assessments.models import PatientReport
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.records.services import save_record
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from .staffing import other_unit, patient, registrar, staff, unit  # noqa: F401 - fixtures


def finished_report(patient, unit) -> PatientReport:
    report = PatientReport(
        patient=patient, unit=unit, date=date(2026, 3, 2), occasion="pre",
        smoking=3, work=1, vas_total=4, dlqi_1=2, dlqi_2=4, dlqi_3=4, dlqi_4=4, dlqi_5=4,
        dlqi_6=4, dlqi_7=0, dlqi_7_problems=4, dlqi_8=4, dlqi_9=4, dlqi_10=4,
    )  # fmt: skip
    return save_record(record=report, actor=None, finish=True)


def url(report: PatientReport) -> str:
    return reverse(
        "questionnaires:response",
        kwargs={"patient_id": report.patient_id, "record_id": report.pk},
    )


def test_the_report_page_links_its_answers_as_a_questionnaire_response(staff, patient, unit):
    report = finished_report(patient, unit)
    page = staff.get(
        reverse(
            "records:detail",
            kwargs={"patient_id": patient.pk, "kind": "patient-report", "record_id": report.pk},
        )
    ).content.decode()
    assert f'href="{url(report)}"' in page
    response = staff.get(url(report))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "no-store" in response["Cache-Control"]
    resource = json.loads(response.content)
    QuestionnaireResponse.model_validate(resource)  # valid FHIR R4
    assert resource["subject"] == {"reference": f"Patient/{patient.pk}"}
    text = response.content.decode()
    for identifying in (patient.national_id, patient.first_name, patient.last_name):
        assert identifying not in text
    read = AuditEvent.objects.filter(target=f"patientreport {report.pk}", action=Action.READ)
    assert read.filter(outcome=Outcome.OK).count() == 2  # the page and the response


def test_another_unit_and_the_reporting_role_get_nothing(patient, unit, other_unit):
    report = finished_report(patient, unit)
    stranger = create_user(username="fremmed", password=PASSWORD, units=[other_unit])
    assert sign_in(Client(), stranger).get(url(report)).status_code == 404
    reporter = create_user(username="rapport", password=PASSWORD, units=[unit], role=Role.REPORTING)
    assert sign_in(Client(), reporter).get(url(report)).status_code == 403
    assert Client().get(url(report)).status_code == 302  # to the login
