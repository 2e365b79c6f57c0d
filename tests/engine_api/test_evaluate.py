"""``POST /api/evaluate`` (issue 14 point 4): the same evaluation as ``hsreg evaluate``, bad
input a 422 naming each field's path, a missing or bad token a 401, a token without
``system/GuidanceResponse.c`` a 403, and an OpenAPI document that says all of it."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from django.urls import reverse

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.models import ApiClient
from hsreg.apiclients.services import revoke_client
from hsreg.audit.models import AuditEvent
from hsreg.guideline import evaluate
from tests.test_cli import hsreg, small_case

from .conftest import CASES, SCOPE, case_document

URL = "/api/evaluate"


def post(http: Any, body: Any, token: str | None, *, query: str = "", raw: bool = False) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if raw else json.dumps(body)
    return http.post(URL + query, data=data, content_type="application/json", **headers)


def errors(response: Any) -> list[tuple[list[str | int], str, str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"], e["type"]) for e in response.json()["detail"]]


# --- the evaluation ---------------------------------------------------------------------------


def test_the_urls_are_where_the_access_table_says() -> None:
    assert reverse("engine_api:evaluate") == URL
    assert reverse("engine_api:openapi-json") == "/api/openapi.json"


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_shared_case_gives_exactly_what_hsreg_evaluate_prints(client, engine_token, lang):
    path = next(p for p in CASES if p.stem == "example-eligible-adult")
    document = case_document(path)
    command = hsreg("evaluate", "--lang", lang, "-", stdin=json.dumps(document))
    assert command.returncode == 0, command.stderr

    response = post(client, document, engine_token, query=f"?lang={lang}")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(command.stdout)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_shared_case_gives_the_engines_evaluation(client, engine_token, path):
    document = case_document(path)
    response = post(client, document, engine_token)  # nb unless asked
    assert response.status_code == 200, response.content
    assert response.json() == evaluate(document).to_dict("nb")
    assert any(e["rule_id"] == "TX-6" for e in response.json()["explanations"])


def test_no_as_of_is_evaluated_today_as_the_command_does(client, engine_token):
    document = small_case()
    del document["as_of"]
    response = post(client, document, engine_token)
    assert response.status_code == 200
    assert response.json() == json.loads(hsreg("evaluate", "-", stdin=json.dumps(document)).stdout)


def test_an_evaluation_writes_no_audit_row(client, engine_token):
    """The engine reads no patient of the registry and keeps nothing (engine_api.api)."""
    before = AuditEvent.objects.count()
    assert post(client, small_case(), engine_token).status_code == 200
    assert AuditEvent.objects.count() == before


# --- bad input: 422 with the field's path -----------------------------------------------------


def test_a_bad_value_names_its_path_with_the_commands_message(client, engine_token):
    document = small_case(assessments=[{"date": "2026-01-26", "nodules": -1, "abscesses": 1}])
    found = errors(post(client, document, engine_token))
    assert found == [
        (["body", "assessments", 0, "nodules"], "must be a whole number >= 0", "invalid_value")
    ]
    command = hsreg("evaluate", "-", stdin=json.dumps(document))
    assert command.stderr.splitlines() == ["assessments[0].nodules: must be a whole number >= 0"]


DLQI_TOO_SHORT = {"date": "2026-01-26", "nodules": 1, "abscesses": 0, "draining_tunnels": 0}
DLQI_TOO_SHORT["dlqi_items"] = [1, 2]
UNKNOWN_FIELD = "is not a known field (hsreg schema lists the fields)"
NO_SUCH_DAY = "must be a date that exists in the calendar (YYYY-MM-DD)"
NO_SUCH_DRUG = "must be a drug id of the catalog (hsreg drugs lists them)"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"patient": None}, (["patient"], "must be an object", "model_type")),
        ({"patient": {}}, (["patient", "birth_date"], "is required", "missing")),
        ({"colour": "blue"}, (["colour"], UNKNOWN_FIELD, "extra_forbidden")),
        ({"patient": {"birth_date": "1980-02-30"}}, (["patient", "birth_date"], NO_SUCH_DAY, "invalid_date")),
        ({"treatments": [{"drug": "aspirin", "start": "2025-01-01"}]}, (["treatments", 0, "drug"], NO_SUCH_DRUG, "invalid_value")),
        ({"assessments": [DLQI_TOO_SHORT]}, (["assessments", 0, "dlqi_items"], "must have exactly 10 items", "too_short")),
    ],
    ids=["not-an-object", "required", "unknown-field", "no-such-day", "no-such-drug", "too-short"],
)  # fmt: skip
def test_schema_problems_are_422_with_paths(client, engine_token, change, problem):
    loc, msg, kind = problem
    document = small_case()
    document.update(change)
    assert (["body", *loc], msg, kind) in errors(post(client, document, engine_token))


def test_engine_level_problems_are_422_with_paths_never_500(client, engine_token):
    """Problems found when the case is resolved (guideline.history), after validation."""
    document = small_case(
        assessments=[{"date": "2026-03-01", "nodules": 1, "abscesses": 0, "draining_tunnels": 0}],
        treatments=[{"drug": "adalimumab", "start": "2025-06-01", "end": "2025-01-01"}],
    )
    found = errors(post(client, document, engine_token))
    assert (["body", "assessments", 0, "date"], "must not be after as_of", "inconsistent") in found
    assert (["body", "treatments", 0, "end"], "must not be before start", "inconsistent") in found


@pytest.mark.parametrize(
    "body",
    [
        b'{"patient": {"birth_date": "1980-01-01"}',  # cut short
        b'{"patient": {"birth_date": "1980-01-01"}, "patient": {"birth_date": "1990-01-01"}}',
        b'{"patient": {"birth_date": "1980-01-01", "weight_kg": NaN}}',
        b"\xff\xfe",
    ],
    ids=["truncated", "duplicate-key", "nan", "not-utf8"],
)
def test_json_the_command_refuses_is_422_on_the_body(client, engine_token, body):
    [(loc, msg, kind)] = errors(post(client, body, engine_token, raw=True))
    assert (loc, kind) == (["body"], "invalid_json")
    assert msg.startswith("invalid JSON")


@pytest.mark.parametrize("body", [b"", b"[]", b'"case"', b"null"])
def test_a_body_that_is_no_case_document_is_422_on_the_body(client, engine_token, body):
    found = errors(post(client, body, engine_token, raw=True))
    assert [loc for loc, _, _ in found] == [["body"]]


def test_an_unknown_language_is_422_on_the_query(client, engine_token):
    [(loc, _, kind)] = errors(post(client, small_case(), engine_token, query="?lang=de"))
    assert (loc, kind) == (["query", "lang"], "literal_error")


def test_no_problem_repeats_the_value_it_refuses(client, engine_token):
    """A birth date (or any value) must never reach an error message, nor so the logs."""
    document = small_case(patient={"birth_date": "1980-01-01", "weight_kg": "1980-01-02"})
    document["as_of"] = "1979-12-31"
    response = post(client, document, engine_token)
    assert response.status_code == 422
    assert b"1980-01-0" not in response.content


# --- authentication: 401 and 403 as RFC 6750 says --------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = post(client, small_case(), None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="hsreg"')
    assert response.json() == {"detail": "A bearer token is required."}


def test_an_unknown_token_is_401_invalid_token(client, db):
    response = post(client, small_case(), "not-a-token")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_revoked_clients_token_is_401(client, engine_token):
    revoke_client(actor=system_actor(), client=ApiClient.objects.get(name="engine"))
    assert post(client, small_case(), engine_token).status_code == 401


def test_a_token_without_the_scope_is_403_insufficient_scope(client, patient_token):
    response = post(client, small_case(), patient_token)
    assert response.status_code == 403
    challenge = response["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert f'scope="{SCOPE}"' in challenge
    assert response.json() == {"detail": f"The access token does not grant {SCOPE}."}


def test_a_session_opens_nothing(client_in):
    """A signed-in clinician's browser session is no API client."""
    assert post(client_in, small_case(), None).status_code == 401


# --- the OpenAPI document ---------------------------------------------------------------------


@pytest.fixture
def openapi(client, db) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_openapi_describes_the_security_scheme_and_every_answer(openapi):
    scheme = openapi["components"]["securitySchemes"]["smart"]
    assert scheme["type"] == "oauth2"
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token/"
    assert SCOPE in scheme["flows"]["clientCredentials"]["scopes"]
    operation = openapi["paths"]["/api/evaluate"]["post"]
    assert operation["security"] == [{"smart": [SCOPE]}]
    assert set(operation["responses"]) == {"200", "401", "403", "413", "422"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Case"}
    [lang] = operation["parameters"]
    assert (lang["in"], lang["name"], lang["schema"]["enum"]) == ("query", "lang", ["nb", "en"])


def test_openapi_has_no_interactive_page(client, db):
    assert client.get("/api/docs").status_code == 404


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_shared_evaluation_matches_the_documented_schema(client, engine_token, openapi, lang):
    validator = jsonschema.Draft202012Validator(
        {**openapi, "$ref": "#/components/schemas/Evaluation"},
        format_checker=jsonschema.FormatChecker(),
    )
    for path in CASES:
        response = post(client, case_document(path), engine_token, query=f"?lang={lang}")
        validator.validate(response.json())
    document = copy.deepcopy(case_document(CASES[0]))
    document["as_of"] = "1900-01-01"  # refused: before the birth date
    validator_422 = jsonschema.Draft202012Validator(
        {**openapi, "$ref": "#/components/schemas/ValidationErrors"}
    )
    validator_422.validate(post(client, document, engine_token).json())


def test_a_body_over_the_upload_limit_is_413(client, engine_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    document = small_case(vaccinations=[{"vaccine": "influenza", "date": "2025-10-01"}] * 40)
    response = post(client, document, engine_token)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
