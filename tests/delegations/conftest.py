"""Fixtures of the H-resept delegation tests (TX-6): a private practice and its region's
university hospital department (configured as RegionalDepartment), another region's
department, a user at each, and a patient enrolled at the practice."""

from __future__ import annotations

import pytest
from django.test import Client

from hsreg.accounts.actor import actor_for
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.delegations.models import RegionalDepartment
from hsreg.patients.services import register_patient
from hsreg.units.models import Unit, UnitKind
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in


@pytest.fixture
def department(db):
    unit = Unit.objects.create(
        resh_id=4203318,
        name="Hudavdelingen, Haukeland",
        health_trust="Helse Bergen HF",
        region="vest",
    )
    RegionalDepartment.objects.create(region="vest", unit=unit)
    return unit


@pytest.fixture
def practice(department):
    return Unit.objects.create(
        resh_id=9712248,
        name="Bergen Hudlegekontor",
        health_trust="Avtalespesialist, Helse Vest RHF",
        region="vest",
        kind=UnitKind.PRIVATE,
    )


@pytest.fixture
def other_department(db):
    unit = Unit.objects.create(
        resh_id=4201115, name="Hudavdelingen, UNN", health_trust="UNN HF", region="nord"
    )
    RegionalDepartment.objects.create(region="nord", unit=unit)
    return unit


@pytest.fixture
def other_practice(db):
    return Unit.objects.create(
        resh_id=9714471,
        name="Hudlegen i Bodø",
        health_trust="Avtalespesialist, Helse Nord RHF",
        region="nord",
        kind=UnitKind.PRIVATE,
    )


@pytest.fixture
def specialist(practice):
    return create_user(
        username="spesialist", password=PASSWORD, units=[practice], email="spes@praksis.test"
    )


@pytest.fixture
def doctor(department):
    return create_user(
        username="overlege", password=PASSWORD, units=[department], email="lege@sykehus.test"
    )


@pytest.fixture
def leader(department):
    return create_user(
        username="avdelingsleder",
        password=PASSWORD,
        units=[department],
        email="leder@sykehus.test",
        role=Role.UNIT_LEADER,
    )


@pytest.fixture
def reporter(department):
    """A reporting-only member of the department: never mailed a request."""
    return create_user(
        username="rapport",
        password=PASSWORD,
        units=[department],
        email="rapport@sykehus.test",
        role=Role.REPORTING,
    )


@pytest.fixture
def patient(practice):
    return register_patient(
        unit=practice, national_id=make_number(7), first_name="Kari", last_name="Nordmann"
    )


def actor(user):
    return actor_for(user, request_id="test")


@pytest.fixture
def client_of():
    def signed_in(user):
        return sign_in(Client(), user)

    return signed_in
