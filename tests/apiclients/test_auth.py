"""``client_actor`` (issue 14 point 2): DOT's token check, SMART v2 scopes, and an actor that
reads exactly its unit's patients with the client named in the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from oauth2_provider.models import AccessToken

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Membership, Role
from hsreg.apiclients.auth import ForbiddenError, UnauthorizedError, client_actor, refusal_response
from hsreg.apiclients.scopes import covers
from hsreg.apiclients.services import revoke_client
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.patients.selectors import get_patient
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

pytestmark = pytest.mark.django_db


def call(token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return RequestFactory().get("/fhir/Patient/1", **headers)


def test_the_actor_is_the_clients_service_user_at_its_unit(token, api_client, unit):
    found, _ = api_client
    actor = client_actor(call(token), scope="system/Patient.r")
    assert actor.user == found.user
    assert actor.user.username == "api-dips"
    assert actor.unit == unit
    assert actor.role == Role.REGISTRAR
    assert actor.is_clinical


def test_the_actor_reads_its_units_patient_and_not_another_units(token, patient, other_unit):
    theirs = register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Ola", last_name="Annen"
    )
    actor = client_actor(call(token), scope="system/Patient.r")
    assert get_patient(actor=actor, patient_id=patient.pk, target="fhir Patient") == patient
    with pytest.raises(Http404):
        get_patient(actor=actor, patient_id=theirs.pk, target="fhir Patient")
    read = AuditEvent.objects.get(action=Action.READ, patient_id=patient.pk)
    assert read.username == "api-dips"
    assert read.role == Role.REGISTRAR
    assert read.unit_id == patient.enrolments.get().unit_id
    denied = AuditEvent.objects.get(outcome=Outcome.DENIED, patient_id=theirs.pk)
    assert denied.username == "api-dips"


def test_no_token_is_401_with_a_bearer_challenge():
    with pytest.raises(UnauthorizedError) as refused:
        client_actor(call(None), scope="system/Patient.r")
    response = refusal_response(refused.value)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert json.loads(response.content)["resourceType"] == "OperationOutcome"
    with pytest.raises(UnauthorizedError):
        client_actor(call("not-a-token"), scope="system/Patient.r")


def test_an_expired_token_is_401(token):
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    with pytest.raises(UnauthorizedError) as refused:
        client_actor(call(token), scope="system/Patient.r")
    assert 'error="invalid_token"' in refused.value.challenge


def test_a_revoked_clients_token_is_401_at_once(token, api_client):
    found, _ = api_client
    revoke_client(actor=system_actor(), client=found)
    assert not AccessToken.objects.exists()
    assert not Membership.objects.filter(user=found.user).exists()
    with pytest.raises(UnauthorizedError):
        client_actor(call(token), scope="system/Patient.r")


def test_a_scope_the_token_lacks_is_403_and_audited(token):
    for needed in ("system/Condition.r", "system/Patient.c"):
        with pytest.raises(ForbiddenError) as refused:
            client_actor(call(token), scope=needed)
        response = refusal_response(refused.value)
        assert response.status_code == 403
        assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, username="api-dips")
    assert [e.detail["needed"] for e in denied.order_by("id")] == [
        "system/Condition.r",
        "system/Patient.c",
    ]
    assert client_actor(call(token), scope="system/Observation.c").user.username == "api-dips"


def test_a_client_removed_from_its_unit_reads_nothing(token, api_client):
    found, _ = api_client
    Membership.objects.filter(user=found.user).delete()
    with pytest.raises(ForbiddenError):
        client_actor(call(token), scope="system/Patient.r")


def test_smart_v2_scope_semantics():
    granted = ["system/Patient.rs", "system/Observation.crs"]
    assert covers(granted, "system/Patient.r")
    assert covers(granted, "system/Patient.s")
    assert covers(granted, "system/Patient.rs")
    assert covers(granted, "system/Observation.c")
    assert not covers(granted, "system/Patient.c")
    assert not covers(granted, "system/Condition.r")
    assert not covers(["patient/Patient.rs"], "system/Patient.r")


def test_the_service_user_can_never_log_in(client, api_client):
    found, secret = api_client
    user = found.user
    assert not user.has_usable_password()
    assert not user.is_active
    for password in ("", secret, "!"):
        client.post("/login/", {"username": user.username, "password": password})
        assert "_auth_user_id" not in client.session
