"""GET /fhir/metadata lists exactly what the API does (issue 14): every (type, interaction)
of the CapabilityStatement has a route and a request here that exercises it, and every
search parameter listed is one a search takes. Public, no token; it validates as R4B."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from hsreg.fhir import codes
from hsreg.fhir.capability import interactions
from tests.fhir.conftest import FHIR_JSON, body

pytestmark = pytest.mark.django_db


def _read(type_name: str, resource_id: Callable) -> Callable:
    return lambda api, w: api.get(f"/fhir/{type_name}/{resource_id(w)}")


def _search(type_name: str) -> Callable:
    # the unit's every Observation is searched within a date range (observation_reads)
    extra = {"date": "ge1900-01-01"} if type_name == "Observation" else {}
    return lambda api, w: api.get(f"/fhir/{type_name}", {"_count": 2, **extra})


def _create_response(api, w):
    """The writer's create (tests/fhir/test_write_questionnaire_response.py): a complete
    response as hsreg itself writes one."""
    from tests.fhir.test_write_questionnaire_response import a_response

    resource = a_response(w.patient)
    return api.post("/fhir/QuestionnaireResponse", resource, content_type=FHIR_JSON)


def _transaction(api, w):
    """The writer's transaction (tests/fhir/test_write_transaction.py creates assessments);
    here: the route answers a transaction Bundle as FHIR (an empty one is refused by path)."""
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    return api.post("/fhir/", bundle, content_type=FHIR_JSON)


#: (type, interaction) -> (a request that exercises it, the statuses that show it did)
REQUESTS: dict[tuple[str, str], tuple[Callable, tuple[int, ...]]] = {
    ("Patient", "read"): (_read("Patient", lambda w: w.patient.pk), (200,)),
    ("Patient", "search-type"): (_search("Patient"), (200,)),
    ("Patient", "$everything"): (
        lambda api, w: api.get(f"/fhir/Patient/{w.patient.pk}/$everything"),
        (200,),
    ),
    ("Organization", "read"): (_read("Organization", lambda w: w.unit.pk), (200,)),
    ("Organization", "search-type"): (_search("Organization"), (200,)),
    ("Condition", "read"): (_read("Condition", lambda w: f"hs-{w.patient.pk}"), (200,)),
    ("Condition", "search-type"): (_search("Condition"), (200,)),
    ("Observation", "read"): (_read("Observation", lambda w: f"da-{w.baseline.pk}-ihs4"), (200,)),
    ("Observation", "search-type"): (_search("Observation"), (200,)),
    ("QuestionnaireResponse", "read"): (
        _read("QuestionnaireResponse", lambda w: w.report.pk),
        (200,),
    ),
    ("QuestionnaireResponse", "search-type"): (_search("QuestionnaireResponse"), (200,)),
    ("QuestionnaireResponse", "create"): (_create_response, (201,)),
    ("MedicationStatement", "read"): (_read("MedicationStatement", lambda w: w.course.pk), (200,)),
    ("MedicationStatement", "search-type"): (_search("MedicationStatement"), (200,)),
    ("Procedure", "read"): (_read("Procedure", lambda w: w.surgery.pk), (200,)),
    ("Procedure", "search-type"): (_search("Procedure"), (200,)),
    ("CodeSystem", "read"): (_read("CodeSystem", lambda w: "hsreg-body-region"), (200,)),
    ("Questionnaire", "read"): (_read("Questionnaire", lambda w: "dlqi"), (200,)),
    ("Questionnaire", "search-type"): (lambda api, w: api.get("/fhir/Questionnaire"), (200,)),
    ("", "transaction"): (_transaction, (400,)),
}


def test_metadata_is_public_and_valid(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FHIR_JSON)
    statement = CapabilityStatement.model_validate(body(response))
    assert statement.fhirVersion == "4.0.1"
    assert statement.format == ["json"]


def test_every_interaction_listed_has_a_request_here_and_no_other(client):
    assert interactions(body(client.get("/fhir/metadata"))) == set(REQUESTS)


@pytest.mark.parametrize(("what", "request_and_status"), REQUESTS.items(), ids=str)
def test_every_interaction_listed_is_answered(api, world, what, request_and_status):
    make, statuses = request_and_status
    response = make(api, world)
    assert response.status_code in statuses, response.content[:500]
    assert body(response)["resourceType"] != "OperationOutcome" or statuses == (400,)


def test_every_search_parameter_listed_is_taken_and_no_other(api, world):
    statement = body(api.get("/fhir/metadata"))
    for resource in statement["rest"][0]["resource"]:
        listed = [p["name"] for p in resource.get("searchParam", [])]
        type_name = resource["type"]
        if "search-type" not in {i["code"] for i in resource["interaction"]}:
            continue
        for name in listed:
            value = {"patient": str(world.patient.pk), "code": "x", "identifier": "x|1"}.get(
                name, "2026" if name in ("date", "effective", "authored") else "x"
            )
            query = {name: value}
            if type_name == "Observation" and name not in ("patient", "_id", "date"):
                query["patient"] = str(world.patient.pk)  # the whole unit needs a date range
            response = api.get(f"/fhir/{type_name}", query)
            assert response.status_code == 200, (type_name, name, response.content[:300])
        for name in ("date", "code", "identifier", "patient", "subject", "_lastUpdated"):
            if name not in listed:
                response = api.get(f"/fhir/{type_name}", {name: "x"})
                assert response.status_code == 400, (type_name, name)


def test_the_security_section_names_smart_and_the_token_endpoint(client):
    security = body(client.get("/fhir/metadata"))["rest"][0]["security"]
    assert security["service"][0]["coding"][0] == {
        "system": codes.RESTFUL_SECURITY,
        "code": "SMART-on-FHIR",
        "display": "SMART-on-FHIR",
    }
    (uris,) = security["extension"]
    assert uris["extension"] == [
        {"url": "token", "valueUri": "http://testserver" + reverse("oauth2_provider:token")}
    ]
