"""The token endpoint (issue 14 point 2): client credentials only, one hour, only the scopes
the client was given, and the SMART configuration naming it. Real HTTP through Django's
test client."""

from __future__ import annotations

import pytest
from oauth2_provider.models import AccessToken

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.scopes import SCOPES
from hsreg.apiclients.services import revoke_client

from .conftest import SCOPES as GIVEN
from .conftest import basic, token_response

pytestmark = pytest.mark.django_db


def test_a_client_gets_a_bearer_token_of_one_hour_with_its_scopes(client, api_client):
    found, secret = api_client
    response = token_response(client, found.client_id, secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"  # noqa: S105 - not a password
    assert body["expires_in"] == 3600
    assert sorted(body["scope"].split()) == sorted(GIVEN.split())
    assert "refresh_token" not in body  # client credentials: no refresh token (RFC 6749 4.4.3)
    stored = AccessToken.objects.get(application=found.application)
    assert stored.token != body["access_token"]  # stored hashed (RFC 9700 section 4)
    assert stored.user is None
    assert stored.scope.split() == body["scope"].split()


def test_the_secret_in_the_body_works_too(client, api_client):
    found, secret = api_client
    response = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": found.client_id, "client_secret": secret},
    )
    assert response.status_code == 200


def test_a_wrong_secret_is_invalid_client(client, api_client):
    found, secret = api_client
    response = token_response(client, found.client_id, secret + "x")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    unknown = token_response(client, "no-such-client", secret)
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_the_secret_is_stored_hashed(api_client):
    found, secret = api_client
    found.application.refresh_from_db()
    assert found.application.client_secret != secret
    assert secret not in found.application.client_secret


def test_a_scope_the_client_was_not_given_is_not_granted(client, api_client):
    found, secret = api_client
    for asked in ("system/Condition.rs", "system/Patient.rs system/Condition.rs", "read"):
        response = token_response(client, found.client_id, secret, scope=asked)
        assert response.status_code == 400, asked
        assert response.json()["error"] == "invalid_scope", asked
    assert not AccessToken.objects.exists()
    narrower = token_response(client, found.client_id, secret, scope="system/Patient.rs")
    assert narrower.status_code == 200
    assert narrower.json()["scope"] == "system/Patient.rs"


@pytest.mark.parametrize(
    "grant",
    [
        {"grant_type": "password", "username": "api-dips", "password": "x"},
        {"grant_type": "authorization_code", "code": "x", "redirect_uri": "https://x.example"},
        {"grant_type": "refresh_token", "refresh_token": "x"},
    ],
)
def test_no_other_grant_is_enabled(client, api_client, grant):
    found, secret = api_client
    response = client.post(
        "/oauth/token/", grant, HTTP_AUTHORIZATION=basic(found.client_id, secret)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert not AccessToken.objects.exists()


def test_no_authorize_endpoint(client):
    assert client.get("/oauth/authorize/").status_code == 404


def test_a_revoked_client_gets_no_token(client, api_client):
    found, secret = api_client
    revoke_client(actor=system_actor(), client=found)
    response = token_response(client, found.client_id, secret)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_the_smart_configuration_names_the_token_endpoint(client):
    response = client.get("/.well-known/smart-configuration")
    assert response.status_code == 200
    body = response.json()
    assert body["token_endpoint"] == "http://testserver/oauth/token/"  # noqa: S105
    assert body["grant_types_supported"] == ["client_credentials"]
    assert "client_secret_basic" in body["token_endpoint_auth_methods_supported"]
    assert body["scopes_supported"] == list(SCOPES)
    assert body["capabilities"] == ["client-confidential-symmetric"]
