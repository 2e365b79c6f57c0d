"""Calls hsreg refuses with a 401 before reading anything (CDS Hooks 2.0, "Trusting CDS
Clients"): no JWT, a bad signature, an expired token, one too long-lived, a wrong aud, a
replayed jti, an unknown or revoked client, a client without a JWKS, a jku other than the
configured one, an algorithm other than ES384/RS384, iss other than the client id. A client
whose unit membership was removed is a 403. Odd hook bodies are 4xx, never a 5xx."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwcrypto import jwk, jwt

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Membership
from hsreg.apiclients.models import ApiClient
from hsreg.apiclients.services import revoke_client
from hsreg.audit.models import AuditEvent
from hsreg.cdshooks.models import UsedToken, forget_expired
from hsreg.cdshooks.signing import call_jwt, new_signing_key
from hsreg.fhir.codes import FNR_SYSTEM

from .recordsystem import fhir_patient, hook_body, medication_request

pytestmark = pytest.mark.django_db

SERVICE = "hsreg-patient-view"
BIOLOGIC = medication_request("L04AB04", "Adalimumab")


def post(client, token: str | None, body: dict | None = None, **headers: str):
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return client.post(
        f"/cds-services/{SERVICE}",
        json.dumps(body or hook_body("patient-view", patient=fhir_patient("p1", "x"))),
        content_type="application/json",
        headers=headers,
    )


def refused(response) -> str:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    return response.json()["message"]


def test_a_good_call_passes(client, record):
    response = post(client, record.jwt(SERVICE))
    assert response.status_code == 200


def test_no_jwt_is_refused(client, record):
    assert "Bearer" in refused(post(client, None))
    assert "signed JWT" in refused(post(client, "not.a.jwt"))


def test_a_bad_signature_is_refused(client, record):
    impostor = new_signing_key(kid=record.key.get("kid"))  # same kid, another key
    token = call_jwt(
        key=impostor, client_id=record.client_id, audience=f"{record.base}/cds-services/{SERVICE}"
    )
    assert "signature" in refused(post(client, token))
    head, payload, signature = record.jwt(SERVICE).split(".")
    tampered = f"{head}.{payload}.{signature[:-6]}AAAAAA"
    assert "signature" in refused(post(client, tampered))


def test_an_expired_token_is_refused(client, record):
    token = record.jwt(SERVICE, issued_at=time.time() - 600, lifetime=300)
    assert "expired" in refused(post(client, token))


def test_a_token_living_longer_than_5_minutes_is_refused(client, record):
    assert "5 minutes" in refused(post(client, record.jwt(SERVICE, lifetime=3600)))


def test_a_wrong_aud_is_refused(client, record):
    assert "aud" in refused(post(client, record.jwt("hsreg-order-sign")))
    other = record.jwt(SERVICE, audience="https://elsewhere.example/cds-services/" + SERVICE)
    assert "aud" in refused(post(client, other))


def test_a_replayed_jti_is_refused(client, record):
    token = record.jwt(SERVICE)
    assert post(client, token).status_code == 200
    assert "replayed" in refused(post(client, token))
    again = record.jwt(SERVICE, jti="fixed-id")
    assert post(client, again).status_code == 200
    assert "replayed" in refused(post(client, record.jwt(SERVICE, jti="fixed-id")))


def test_a_replay_is_refused_by_another_worker_too(client, record):
    """The used ids are in the database (cdshooks.models.UsedToken), not a worker's memory:
    a worker whose cache is empty (another gunicorn process) refuses the replay all the same."""
    token = record.jwt(SERVICE)
    assert post(client, token).status_code == 200
    cache.clear()  # what a second worker process knows
    assert "replayed" in refused(post(client, token))


def test_used_ids_are_forgotten_after_their_token_expired(client, record, api_client):
    assert post(client, record.jwt(SERVICE)).status_code == 200
    assert forget_expired() == 0
    UsedToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert forget_expired() == 1
    assert not UsedToken.objects.exists()


def test_an_unknown_or_revoked_client_is_refused(client, record, api_client):
    unknown = call_jwt(
        key=record.key, client_id="no-such-client", audience=f"{record.base}/cds-services/{SERVICE}"
    )
    assert "unknown" in refused(post(client, unknown))
    revoke_client(actor=system_actor(), client=api_client)
    assert "unknown or revoked" in refused(post(client, record.jwt(SERVICE)))


def test_a_client_without_a_jwks_is_refused(client, record, api_client):
    ApiClient.objects.filter(pk=api_client.pk).update(jwks_url="")
    assert "key set" in refused(post(client, record.jwt(SERVICE)))


def test_a_jku_other_than_the_configured_address_is_refused(client, record, record_server):
    assert post(client, record.jwt(SERVICE, jku=record_server.jwks_url)).status_code == 200
    other = record.jwt(SERVICE, jku="http://127.0.0.1:8631/evil.json")
    assert "jku" in refused(post(client, other))


def test_an_issuer_other_than_the_client_id_is_refused(client, record):
    assert "iss" in refused(post(client, record.jwt(SERVICE, issuer="https://dips.example")))


def test_only_es384_and_rs384_are_accepted(client, record):
    secret = jwk.JWK.generate(kty="oct", size=384, kid=record.key.get("kid"))
    now = int(time.time())
    token = jwt.JWT(
        header={"alg": "HS384", "kid": record.key.get("kid")},
        claims={
            "iss": record.client_id,
            "sub": record.client_id,
            "aud": f"{record.base}/cds-services/{SERVICE}",
            "iat": now,
            "exp": now + 60,
            "jti": "hmac",
        },
    )
    token.make_signed_token(secret)
    assert "ES384 or RS384" in refused(post(client, token.serialize()))


def test_an_unknown_kid_refetches_the_key_set_once(client, record, record_server):
    assert post(client, record.jwt(SERVICE)).status_code == 200
    fetched = record_server.state.jwks_fetches
    rotated = new_signing_key(kid="record-2")
    record_server.state.jwks = {
        "keys": [*record.jwks()["keys"], rotated.export_public(as_dict=True)]
    }
    record.key = rotated
    assert post(client, record.jwt(SERVICE)).status_code == 200  # the new key is fetched
    assert record_server.state.jwks_fetches == fetched + 1
    assert post(client, record.jwt(SERVICE)).status_code == 200  # and then cached
    assert record_server.state.jwks_fetches == fetched + 1


def test_a_client_without_its_unit_membership_is_forbidden(client, record, api_client):
    Membership.objects.filter(user=api_client.user).delete()
    response = post(client, record.jwt(SERVICE))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(username="api-dips-cds", outcome="denied").exists()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
KEYS = ("hook", "hookInstance", "context", "prefetch", "fhirServer", "fhirAuthorization")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    base=st.sampled_from(["patient-view", "order-sign"]),
    changes=st.dictionaries(st.sampled_from(KEYS), JSON, max_size=3),
    context=st.dictionaries(
        st.sampled_from(["patientId", "draftOrders", "userId"]), JSON, max_size=2
    ),
    raw=st.none() | st.binary(max_size=40),
)
def test_odd_hook_bodies_are_never_a_5xx(client, record, base, changes, context, raw):  # noqa: PLR0917
    service = "hsreg-order-sign" if base == "order-sign" else SERVICE
    body = hook_body(base, patient=fhir_patient("p1", "01010112345"))
    body.update(changes)
    if isinstance(body.get("context"), dict):
        body["context"].update(context)
    data = raw if raw is not None else json.dumps(body).encode()
    response = client.post(
        f"/cds-services/{service}",
        data,
        content_type="application/json",
        headers=record.headers(service),
    )
    assert response.status_code < 500, response.content
    assert response.status_code in (200, 400, 412), response.content
    feedback = client.post(
        f"/cds-services/{service}/feedback",
        data,
        content_type="application/json",
        headers=record.headers(service, "/feedback"),
    )
    assert feedback.status_code in (200, 400), feedback.content


RESOURCE = st.dictionaries(
    st.sampled_from(["resourceType", "identifier", "medicationCodeableConcept", "entry", "id"]),
    JSON | st.just("Patient") | st.just("MedicationRequest"),
    max_size=4,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    identifiers=st.lists(
        st.fixed_dictionaries({"system": st.sampled_from([FNR_SYSTEM, "x", 7]), "value": JSON}),
        max_size=3,
    ),
    orders=st.lists(RESOURCE | st.just(BIOLOGIC) | JSON, max_size=3),
    feedback=st.lists(
        st.fixed_dictionaries(
            {"card": JSON | st.uuids().map(str), "outcome": st.sampled_from(["accepted", "x"])},
            optional={
                "outcomeTimestamp": JSON | st.just("2026-12-06T09:00:00Z"),
                "overrideReason": JSON,
                "acceptedSuggestions": JSON,
            },
        ),
        max_size=3,
    ),
)
def test_odd_resources_for_a_registered_patient_are_never_a_5xx(  # noqa: PLR0917
    client, record, week12_patient, identifiers, orders, feedback
):
    identifiers.append({"system": FNR_SYSTEM, "value": week12_patient.national_id})
    patient = {"resourceType": "Patient", "id": "p1", "identifier": identifiers}
    body = hook_body("order-sign", patient=patient)
    body["context"]["draftOrders"]["entry"] = [{"resource": o} for o in orders]
    response = client.post(
        "/cds-services/hsreg-order-sign",
        json.dumps(body),
        content_type="application/json",
        headers=record.headers("hsreg-order-sign"),
    )
    assert response.status_code == 200, response.content
    sent = client.post(
        "/cds-services/hsreg-order-sign/feedback",
        json.dumps({"feedback": feedback}),
        content_type="application/json",
        headers=record.headers("hsreg-order-sign", "/feedback"),
    )
    assert sent.status_code in (200, 400), sent.content
