"""API clients for the tests: one of ``unit`` allowed to read patients and write
observations, its secret, and a way to get a token from the real token endpoint."""

from __future__ import annotations

import base64

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.services import create_client
from tests.registry.conftest import other_unit, patient, unit

__all__ = ["other_unit", "patient", "unit"]

SCOPES = "system/Patient.rs system/Observation.crs"


@pytest.fixture
def api_client(unit):
    """(client, secret) of ``unit``'s client ``dips``."""
    return create_client(actor=system_actor(), unit=unit, name="dips", scopes=SCOPES)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_response(http, client_id: str, secret: str, **data: str):
    """The token endpoint's answer to a client-credentials request (Django test client)."""
    return http.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", **data},
        HTTP_AUTHORIZATION=basic(client_id, secret),
    )


@pytest.fixture
def token(client, api_client) -> str:
    found, secret = api_client
    response = token_response(client, found.client_id, secret)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]
