"""GET /fhir/Questionnaire: the patient's questionnaires as FHIR R4, public and read-only
(issue 13). Real HTTP through Django's test client, no login."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire

from hsreg.questionnaires.definitions import QUESTIONNAIRE_IDS

FHIR_JSON = "application/fhir+json"
pytestmark = pytest.mark.django_db


def body(response):
    return json.loads(response.content)


def test_the_search_returns_every_questionnaire_as_a_searchset_bundle(client):
    response = client.get("/fhir/Questionnaire")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    bundle = Bundle.model_validate(body(response))
    assert bundle.type == "searchset"
    assert bundle.total == len(QUESTIONNAIRE_IDS)
    assert [e.resource.id for e in bundle.entry] == list(QUESTIONNAIRE_IDS)
    for entry in bundle.entry:
        assert entry.search.mode == "match"
        assert entry.fullUrl == f"http://testserver/fhir/Questionnaire/{entry.resource.id}"
        assert isinstance(entry.resource, Questionnaire)


def test_no_login_is_needed_and_no_session_is_made(client):
    response = client.get("/fhir/Questionnaire/dlqi")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_one_questionnaire_is_read_by_its_id(client):
    response = client.get("/fhir/Questionnaire/cdlqi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    resource = Questionnaire.model_validate(body(response))
    assert resource.id == "cdlqi"
    assert resource.copyright.startswith("© M.S. Lewis-Jones, A.Y. Finlay, May 1993")


def test_an_unknown_id_is_404_with_an_operation_outcome(client):
    response = client.get("/fhir/Questionnaire/phq-9")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(FHIR_JSON)
    found = OperationOutcome.model_validate(body(response))
    assert found.issue[0].code == "not-found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/fhir/Questionnaire", "/fhir/Questionnaire/dlqi"])
def test_only_get_and_head_are_answered(client, method, path):
    response = getattr(client, method)(path, data="{}", content_type=FHIR_JSON)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert OperationOutcome.model_validate(body(response)).issue[0].code == "not-supported"


def test_head_is_answered(client):
    response = client.head("/fhir/Questionnaire/dlqi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("_id=dlqi", ["dlqi"]),
        ("_id=dlqi,cdlqi", ["dlqi", "cdlqi"]),
        ("_id=nothing", []),
        (
            "url=https://hsreg.no/fhir/Questionnaire/hsreg-patient-control-3m",
            ["hsreg-patient-control-3m"],
        ),
        ("url=https://hsreg.no/fhir/Questionnaire/cdlqi|1.0.0", ["cdlqi"]),
        ("name=patientcontrol", ["hsreg-patient-control-3m", "hsreg-patient-control-6m"]),
        ("name=CDLQI&_id=cdlqi", ["cdlqi"]),
        ("name=CDLQI&_id=dlqi", []),
    ],
)
def test_search_parameters(client, query, ids):
    response = client.get(f"/fhir/Questionnaire?{query}")
    assert response.status_code == 200
    bundle = Bundle.model_validate(body(response))
    assert bundle.total == len(ids)
    assert [e.resource.id for e in bundle.entry or []] == ids


def test_an_unknown_search_parameter_is_refused_by_name(client):
    response = client.get("/fhir/Questionnaire?title=DLQI")
    assert response.status_code == 400
    found = OperationOutcome.model_validate(body(response))
    assert "title" in found.issue[0].diagnostics
    assert found.issue[0].expression == ["title"]


def test_any_other_path_under_fhir_is_a_404_operation_outcome(client):
    for path in ("/fhir/Encounter", "/fhir/Patient/1/extra", "/fhir/x/y/z"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/fhir+json")
        assert response.json()["issue"][0]["code"] == "not-found"
    assert client.post("/fhir/Encounter", {}).status_code == 404  # no CSRF page either
