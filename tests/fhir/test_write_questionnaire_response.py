"""POST /fhir/QuestionnaireResponse: answers collected by another system become the patient's
report through questionnaires.response and the clinic's PatientReportForm (issue 14 point 1):
finished or a draft as the client says, reported by the patient when the patient is the source,
channel "fhir", the DLQI total computed (MO-1a) or the CDLQI under 16 (XB-6), every refusal
at its element's path, another unit's patient not found, odd input never a 5xx."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.assessments.models import PatientReport
from hsreg.audit.models import Action, AuditEvent
from hsreg.fhir import codes
from hsreg.patients.services import register_patient
from hsreg.questionnaires.answers import report_fields, to_response
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.treatments.models import Intervention
from tests.questionnaires.test_answers import (
    BASE,
    CDLQI,
    COMPLICATIONS,
    DLQI,
    FOLLOW_UP,
    number_for,
)
from tests.registry.conftest import make_number, other_unit, patient, unit

from .test_write_transaction import bearer, issues

__all__ = ["bearer", "other_unit", "patient", "unit"]

pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json"
URL = "/fhir/QuestionnaireResponse"
AUTHORED = "2026-11-02T09:30:00+01:00"


def a_response(patient, *, form: str = "status", instrument: str = "dlqi", extra=None) -> dict:
    """A complete response as hsreg itself writes one (questionnaires.response.to_response)."""
    answers = {**BASE, **(DLQI if instrument == "dlqi" else CDLQI), **(extra or {})}
    occasion = {"status": "pre", "control-3m": "3m", "control-6m": "6m"}[form]
    report = PatientReport(
        patient=patient,
        date=date(2026, 11, 2),
        occasion=occasion,
        dlqi_instrument=instrument,
        reported_at=datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        **report_fields(form=form, instrument=instrument, answers=answers),
    )
    resource = to_response(report)
    resource["authored"] = AUTHORED
    resource["source"] = {"reference": f"Patient/{patient.pk}"}
    return resource


def post(client, bearer: str, body, content_type: str = FHIR_JSON):
    response = client.post(
        URL,
        data=body if isinstance(body, str) else json.dumps(body),
        content_type=content_type,
        HTTP_AUTHORIZATION=bearer,
    )
    return response, json.loads(response.content)


def item(resource: dict, link: str) -> tuple[str, dict]:
    """(path, item) of the question ``link``."""
    for g, group in enumerate(resource["item"]):
        if group["linkId"] == link:
            return f"QuestionnaireResponse.item[{g}]", group
        for q, question in enumerate(group.get("item", [])):
            if question["linkId"] == link:
                return f"QuestionnaireResponse.item[{g}].item[{q}]", question
    raise KeyError(link)


def test_a_completed_response_is_the_patients_finished_report(client, bearer, patient):
    response, answer = post(client, bearer, a_response(patient))
    assert response.status_code == 201, answer
    report = PatientReport.objects.get()
    assert response["Location"] == f"http://testserver{URL}/{report.pk}"
    parsed = QuestionnaireResponse.model_validate(answer)
    assert (parsed.id, parsed.status) == (str(report.pk), "completed")
    assert (report.status, report.date, report.occasion) == (
        Status.FINISHED,
        date(2026, 11, 2),
        "pre",
    )
    assert (report.reported_by, report.reported_channel) == ("patient", "fhir")
    assert report.reported_at == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    assert (report.smoking, report.worst_boil_pain, report.vas_total_unknown) == (2, 7.5, True)
    # MO-1a: 1234512345 -> 3+2+1+0+0(5 = not relevant)+3+..., item 7 "no" with "a little" = 1
    assert report.dlqi_total == 3 + 2 + 1 + 0 + 0 + 3 + 1 + 1 + 0 + 0
    row = AuditEvent.objects.get(action=Action.CREATE, target=f"patientreport {report.pk}")
    assert (row.username, row.patient_id, row.detail["status"]) == (
        "api-dips",
        patient.pk,
        "finished",
    )
    read = client.get(f"{URL}/{report.pk}", HTTP_AUTHORIZATION=bearer)
    assert read.status_code == 200
    assert json.loads(read.content)["item"] == answer["item"]


def test_the_unit_as_author_is_the_clinics_report(client, bearer, patient):
    resource = a_response(patient)
    del resource["source"]
    resource["author"] = {"reference": "Practitioner/1"}
    assert post(client, bearer, resource)[0].status_code == 201
    assert PatientReport.objects.get().reported_by == "clinic"


def test_authored_dates_the_report(client, bearer, patient):
    resource = a_response(patient)
    resource["authored"] = "2026-10-30"
    response, answer = post(client, bearer, resource)
    assert response.status_code == 201, answer
    report = PatientReport.objects.get()
    assert (report.date, report.reported_at) == (date(2026, 10, 30), None)
    assert answer["authored"] == "2026-10-30"
    del resource["authored"]
    assert post(client, bearer, resource)[0].status_code == 201
    today = PatientReport.objects.exclude(pk=report.pk).get()
    assert today.reported_at is not None
    assert today.date == timezone.localdate(today.reported_at)


def test_an_in_progress_response_is_a_draft_with_the_answers_given(client, bearer, patient):
    resource = a_response(patient)
    resource["status"] = "in-progress"
    del resource["item"][2:]  # only the instrument and the first screen answered
    response, answer = post(client, bearer, resource)
    assert response.status_code == 201, answer
    assert answer["status"] == "in-progress"
    report = PatientReport.objects.get()
    assert (report.status, report.smoking, report.work, report.dlqi_1) == (
        Status.DRAFT,
        2,
        1,
        None,
    )


def test_a_draft_answer_is_checked_all_the_same(client, bearer, patient):
    resource = a_response(patient)
    resource["status"] = "in-progress"
    path, question = item(resource, "work")
    question["answer"][0]["valueCoding"]["code"] = "8"
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    assert f"{path}.answer[0].valueCoding" in issues(answer)
    assert not PatientReport.objects.exists()


def test_every_wrong_answer_is_named_by_its_path(client, bearer, patient):
    resource = a_response(patient)
    work, question = item(resource, "work")
    question["answer"][0]["valueCoding"]["code"] = "8"
    pain, question = item(resource, "worst_boil_pain")
    question["answer"][0]["valueDecimal"] = 11
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    found = issues(answer)
    assert f"{work}.answer[0].valueCoding" in found
    assert f"{pain}.answer[0].valueDecimal" in found
    assert len(answer["issue"]) == 2
    assert not PatientReport.objects.exists()


def test_a_missing_answer_of_a_completed_response_is_named(client, bearer, patient):
    resource = a_response(patient)
    _path, group = item(resource, "smoking-work")
    del group["item"][0]
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    assert "QuestionnaireResponse.repeat(item).where(linkId='smoking')" in issues(answer)


def test_a_control_names_the_intervention_it_follows_up(client, bearer, patient, unit):
    intervention = save_record(
        record=Intervention(patient=patient, unit=unit, date=date(2026, 8, 1), type=2),
        actor=None,
        finish=True,
    )
    # HISREG asks the complications at the 3-month control too (issue 16)
    resource = a_response(patient, form="control-3m", extra={**FOLLOW_UP, **COMPLICATIONS})
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    assert "QuestionnaireResponse.extension" in issues(answer)
    resource["extension"] = [
        {
            "url": codes.INTERVENTION_EXTENSION,
            "valueReference": {
                "identifier": {"system": codes.INTERVENTION_SYSTEM, "value": "999999"}
            },
        }
    ]
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    assert "QuestionnaireResponse.extension[0].valueReference" in issues(answer)
    resource["extension"][0]["valueReference"]["identifier"]["value"] = str(intervention.pk)
    response, answer = post(client, bearer, resource)
    assert response.status_code == 201, answer
    report = PatientReport.objects.get()
    assert (report.occasion, report.intervention_id, report.satisfaction) == (
        "3m",
        intervention.pk,
        2,
    )


def test_the_instrument_is_the_patients_by_age_xb6(client, bearer, unit):
    child = register_patient(
        unit=unit,
        national_id=number_for(date(2014, 1, 1)),
        first_name="Kari",
        last_name="Nordmann",
    )
    resource = a_response(child)  # the DLQI, for a child
    response, answer = post(client, bearer, resource)
    assert response.status_code == 422
    assert "QuestionnaireResponse.item[0].answer[0].valueCoding" in issues(answer)
    response, answer = post(client, bearer, a_response(child, instrument="cdlqi"))
    assert response.status_code == 201, answer
    assert PatientReport.objects.get().dlqi_instrument == "cdlqi"


@pytest.mark.parametrize(
    ("change", "path", "status"),
    [
        (lambda r: r.update(status="amended"), "QuestionnaireResponse.status", 422),
        (lambda r: r.update(subject={"display": "x"}), "QuestionnaireResponse.subject", 422),
        (
            lambda r: r.update(authored=(datetime.now(UTC) + timedelta(days=3)).isoformat()),
            "QuestionnaireResponse.authored",
            422,
        ),
        (lambda r: r.update(authored="2026-11-02T09:30:00"), "QuestionnaireResponse.authored", 400),
        (lambda r: r.update(authored="1970-01-01"), "QuestionnaireResponse.authored", 422),
        (
            lambda r: r.update(questionnaire="https://example.org/Questionnaire/x"),
            "QuestionnaireResponse.questionnaire",
            422,
        ),
        (lambda r: r.update(resourceType="Observation"), "QuestionnaireResponse", 400),
        (lambda r: r.update(status=7), "QuestionnaireResponse.status", 400),
    ],
)
def test_what_the_form_refuses_is_named(client, bearer, patient, change, path, status):  # noqa: PLR0917
    resource = copy.deepcopy(a_response(patient))
    change(resource)
    response, answer = post(client, bearer, resource)
    assert response.status_code == status, answer
    assert path in issues(answer)
    assert not PatientReport.objects.exists()


def test_another_units_patient_is_not_found(client, bearer, other_unit):
    theirs = register_patient(
        unit=other_unit, national_id=make_number(4), first_name="Ola", last_name="Annen"
    )
    response, answer = post(client, bearer, a_response(theirs))
    assert response.status_code == 404
    assert "QuestionnaireResponse.subject" in issues(answer)
    assert not PatientReport.objects.exists()


def test_the_body_must_be_fhir_json(client, bearer, patient):
    assert post(client, bearer, "{not json")[0].status_code == 400
    assert post(client, bearer, "[1]")[0].status_code == 400
    response, _answer = post(client, bearer, a_response(patient), content_type="text/plain")
    assert response.status_code == 415


def test_the_scope_is_checked(client, unit, patient):
    from hsreg.accounts.actor import system_actor
    from hsreg.apiclients.services import create_client
    from tests.apiclients.conftest import token_response

    found, secret = create_client(
        actor=system_actor(), unit=unit, name="reader", scopes="system/Observation.crs"
    )
    token = token_response(client, found.client_id, secret).json()["access_token"]
    assert post(client, f"Bearer {token}", a_response(patient))[0].status_code == 403
    assert not PatientReport.objects.exists()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    top=st.dictionaries(
        st.sampled_from(
            ["status", "subject", "authored", "questionnaire", "extension", "source", "item"]
        ),
        JSON,
        max_size=3,
    ),
    answer=JSON,
    where=st.integers(0, 30),
)
def test_odd_responses_are_never_a_server_error(client, bearer, patient, top, answer, where):  # noqa: PLR0917
    resource = a_response(patient)
    resource.update(top)
    groups = resource["item"] if isinstance(resource.get("item"), list) else []
    questions = [
        q
        for g in groups
        if isinstance(g, dict) and isinstance(g.get("item"), list)
        for q in g["item"]
    ]
    if questions and isinstance(questions[where % len(questions)], dict):
        questions[where % len(questions)]["answer"] = [answer]
    response, body = post(client, bearer, resource)
    assert response.status_code in (201, 400, 404, 422), body
    if response.status_code != 201:
        OperationOutcome.model_validate(body)
