"""Fixtures of the objection tests: synthetic patients with full histories, and users with a
role at a unit, logged in with both factors (tests.signin)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from hsreg.accounts.models import Membership, Role, User
from hsreg.seeding.generator import generate
from hsreg.seeding.journey import Options, SeededPatient
from hsreg.seeding.units import ensure_units
from hsreg.seeding.writer import write_chunk
from hsreg.units.models import Unit
from tests.signin import sign_in

TODAY = date(2026, 11, 26)
PASSWORD = "objection tests only 2026"  # noqa: S105


def member(username: str, unit: Unit, role: Role) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role=role)
    user.current_unit = unit
    user.save(update_fields=["current_unit"])
    return user


def verified(user: User) -> Client:
    """A client logged in as ``user`` with the second factor passed."""
    return sign_in(Client(), user)


@pytest.fixture
def seeded(db) -> list[SeededPatient]:
    """Synthetic patients with full histories, written as `hsreg seed` writes them."""
    ensure_units()
    patients = list(generate(20, Options(seed=7, today=TODAY)))
    write_chunk(patients, today=TODAY)
    return patients


@pytest.fixture
def coordinator(seeded) -> User:
    return member("koordinator", Unit.objects.order_by("pk").first(), Role.COORDINATOR)


@pytest.fixture
def coordinator_client(coordinator) -> Client:
    return verified(coordinator)
