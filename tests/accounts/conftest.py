"""Fixtures of the account tests: a unit, the registry's own unit with a coordinator, and
helpers that log in through the real login page (django-axes counts attempts only there)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.units.models import Unit
from tests.registry.conftest import unit
from tests.signin import sign_in

__all__ = ["unit"]

PASSWORD = "a long test password 2026"  # noqa: S105 - test users only


@pytest.fixture
def registry_unit(db):
    return Unit.objects.create(
        resh_id=4001031, name="HISREG sekretariat", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def coordinator(registry_unit):
    return create_user(
        username="koordinator",
        password=PASSWORD,
        units=[registry_unit],
        first_name="Kari",
        last_name="Koordinator",
        role=Role.COORDINATOR,
    )


@pytest.fixture
def coordinator_client(coordinator):
    return sign_in(Client(), coordinator)


def log_in(client: Client, username: str, password: str) -> Any:
    """Posts the login page, as a person does."""
    return client.post(reverse("login"), {"username": username, "password": password})


def code_at(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The device's TOTP code now (or ``steps_ahead`` 30-second steps later, still inside
    django-otp's tolerance of one step), computed from its key as an authenticator app does."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def one_time_password(mail_body: str) -> str:
    match = re.search(r"^.*: (\S+)$", mail_body.split("\n\n")[1].splitlines()[1])
    assert match, mail_body
    return match.group(1)


def older(seconds: int) -> int:
    return int(time.time()) - seconds
