"""Fixtures of the audit tests: the registry tests' units, user and patient, the account
tests' coordinator, and a unit leader signed in with both factors."""

from __future__ import annotations

import pytest
from django.test import Client

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from tests.accounts.conftest import coordinator, coordinator_client, registry_unit
from tests.registry.conftest import (
    PASSWORD,
    client_in,
    other_unit,
    patient,
    unit,
    user,
)
from tests.signin import sign_in

__all__ = [
    "client_in",
    "coordinator",
    "coordinator_client",
    "other_unit",
    "patient",
    "registry_unit",
    "unit",
    "user",
]


@pytest.fixture
def leader(unit):
    return create_user(
        username="leder",
        password=PASSWORD,
        units=[unit],
        first_name="Lise",
        last_name="Leder",
        role=Role.UNIT_LEADER,
    )


@pytest.fixture
def leader_client(leader):
    return sign_in(Client(), leader)
