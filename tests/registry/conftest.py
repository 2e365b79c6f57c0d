"""Fixtures of the registry tests: units, a logged-in user, patients built through services."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from hsreg.accounts.services import create_user
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.units.models import Unit
from tests.signin import sign_in

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def other_unit(db):
    return Unit.objects.create(
        resh_id=700922, name="Hudavdelingen, UNN", health_trust="UNN", region="nord"
    )


@pytest.fixture
def user(unit):
    return create_user(username="lege", password=PASSWORD, units=[unit], first_name="Liv")


@pytest.fixture
def client_in(client, user):
    """The client of ``user`` (a registrar at ``unit``), signed in with both factors."""
    return sign_in(client, user)


def make_number(n: int, born: date = date(1985, 3, 14)) -> str:
    """A distinct synthetic id number for test patient ``n``."""
    individual = n
    while (number := synthetic_number(born, individual % 500)) is None:
        individual += 1
    return number


@pytest.fixture
def en(client_in):
    """The logged-in client with the English interface (for tests that assert English texts)."""
    client_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client_in


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )
