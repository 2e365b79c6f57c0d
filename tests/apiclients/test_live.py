"""Real HTTP against the live server (issue 14 point 2): a token obtained with urllib, used
on a test-only view that calls ``client_actor`` and the patients' selector as an API face
does, then expired and revoked (401). The view is in this module's URLconf only: hsreg
has no such endpoint."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from oauth2_provider.models import AccessToken

from hsreg.accounts.access import ACCESS, PUBLIC
from hsreg.accounts.actor import system_actor
from hsreg.apiclients.auth import RefusedError, client_actor, refusal_response
from hsreg.apiclients.services import revoke_client
from hsreg.audit.models import Action, AuditEvent
from hsreg.config import urls
from hsreg.patients.selectors import get_patient
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

from .conftest import basic

pytestmark = pytest.mark.django_db(transaction=True)


def patient_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    try:
        actor = client_actor(request, scope="system/Patient.r")
    except RefusedError as refused:
        return refusal_response(refused)
    try:
        patient = get_patient(actor=actor, patient_id=patient_id, target="test api")
    except Http404:
        return JsonResponse({"found": False}, status=404)
    return JsonResponse({"id": patient.pk})


urlpatterns = [
    path("test-api/patient/<int:patient_id>", patient_view, name="test_api_patient"),
    *urls.urlpatterns,
]


def send(url: str, *, data: dict[str, str] | None = None, headers: dict[str, str]):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - http test
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@override_settings(ROOT_URLCONF=__name__)
def test_token_used_expired_and_revoked_over_real_http(
    live_server, api_client, patient, other_unit, monkeypatch
):
    monkeypatch.setitem(ACCESS, "test_api_patient", PUBLIC)  # the token is the view's check
    found, secret = api_client
    theirs = register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Ola", last_name="Annen"
    )
    token_url = f"{live_server.url}/oauth/token/"

    status, _, body = send(
        token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(found.client_id, secret + "x")},
    )
    assert (status, body["error"]) == (401, "invalid_client")

    status, _, body = send(
        token_url,
        data={"grant_type": "client_credentials", "scope": "system/Condition.rs"},
        headers={"Authorization": basic(found.client_id, secret)},
    )
    assert (status, body["error"]) == (400, "invalid_scope")

    status, _, body = send(
        token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(found.client_id, secret)},
    )
    assert status == 200
    assert body["expires_in"] == 3600
    bearer = {"Authorization": f"Bearer {body['access_token']}"}

    status, _, body = send(f"{live_server.url}/test-api/patient/{patient.pk}", headers=bearer)
    assert (status, body) == (200, {"id": patient.pk})
    status, _, _ = send(f"{live_server.url}/test-api/patient/{theirs.pk}", headers=bearer)
    assert status == 404
    row = AuditEvent.objects.get(action=Action.READ, patient_id=patient.pk)
    assert row.username == "api-dips"
    assert row.target == "test api"

    status, headers, body = send(f"{live_server.url}/test-api/patient/{patient.pk}", headers={})
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")

    # the clock past the hour: the token expires
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    status, headers, body = send(f"{live_server.url}/test-api/patient/{patient.pk}", headers=bearer)
    assert status == 401
    assert 'error="invalid_token"' in headers["WWW-Authenticate"]
    assert body["resourceType"] == "OperationOutcome"

    # a new token, then the client revoked: 401 at once, and no new token
    status, _, body = send(
        token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(found.client_id, secret)},
    )
    bearer = {"Authorization": f"Bearer {body['access_token']}"}
    assert send(f"{live_server.url}/test-api/patient/{patient.pk}", headers=bearer)[0] == 200
    revoke_client(actor=system_actor(), client=found)
    assert send(f"{live_server.url}/test-api/patient/{patient.pk}", headers=bearer)[0] == 401
    status, _, body = send(
        token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": basic(found.client_id, secret)},
    )
    assert (status, body["error"]) == (401, "invalid_client")
