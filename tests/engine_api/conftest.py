"""API clients of the engine's service: one granted ``system/GuidanceResponse.c`` and one that
is not, their tokens from the real token endpoint, and the example case documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hsreg.accounts.actor import system_actor
from hsreg.apiclients.services import create_client
from tests.apiclients.conftest import token_response
from tests.registry.conftest import client_in, unit, user

__all__ = ["client_in", "unit", "user"]

SCOPE = "system/GuidanceResponse.c"
#: the example cases of ../shared/cases, vendored (tests/guideline/test_examples.py keeps
#: them equal to the shared copies)
CASES = sorted((Path(__file__).parents[1] / "fixtures" / "cases").glob("*.json"))


def case_document(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text())["input"]
    return document


def issue_token(http: Any, unit: Any, *, name: str, scopes: str) -> str:
    """A new API client of ``unit`` with ``scopes`` and an access token for it."""
    found, secret = create_client(actor=system_actor(), unit=unit, name=name, scopes=scopes)
    response = token_response(http, found.client_id, secret)
    assert response.status_code == 200, response.content
    token: str = response.json()["access_token"]
    return token


@pytest.fixture
def engine_token(client, unit) -> str:
    return issue_token(client, unit, name="engine", scopes=SCOPE)


@pytest.fixture
def patient_token(client, unit) -> str:
    """A token of a client that reads patients but may not evaluate."""
    return issue_token(client, unit, name="reader", scopes="system/Patient.rs")
