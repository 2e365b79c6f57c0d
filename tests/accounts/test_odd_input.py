"""Issue 11 point 9, in the account pages: odd input gives a clear 4xx or a message on its
field, never a 500 — non-ASCII digits in the unit choice, usernames over 255 characters on
every form with a username (the login, the application, whose e-mail becomes the username),
and integers of more than 4,300 digits (int() refuses them) in every number field."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hsreg.accounts.models import Application, Role, User
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from tests.registry.conftest import other_unit
from tests.signin import sign_in

from .conftest import PASSWORD, log_in
from .test_application_flow import application_data

__all__ = ["other_unit"]

HUGE = "9" * 5000  # more digits than int() converts (4,300)
LONG_NAME = "x" * 300


@pytest.mark.parametrize("value", ["²", "1²", "١٢", "\u0661", HUGE, "-1", "1e3", " 1", ""])
def test_the_unit_choice_refuses_odd_values_with_a_404(unit, value):
    user = create_user(username="lege", password=PASSWORD, units=[unit], role=Role.REGISTRAR)
    client = sign_in(Client(), user)
    response = client.post(reverse("accounts:choose_unit"), {"unit": value})
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.current_unit == unit


def test_the_unit_choice_still_chooses_a_unit(unit, other_unit):
    user = create_user(username="lege", password=PASSWORD, units=[unit, other_unit])
    client = sign_in(Client(), user)
    response = client.post(reverse("accounts:choose_unit"), {"unit": str(other_unit.pk)})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.current_unit == other_unit


@pytest.mark.parametrize("username", [LONG_NAME, "y" * 256, "é" * 1000])
def test_a_username_over_255_characters_at_login_is_a_message(db, username):
    response = log_in(Client(), username, "some password")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="username"' in page
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_an_application_with_an_address_too_long_for_a_username_is_refused_on_its_field(
    unit, coordinator_client
):
    address = "a" * 140 + "@helse-bergen.no"  # a valid address of 156 characters
    for email in (address, "b" * 250 + "@x.no", LONG_NAME + "@x.no"):
        response = Client().post(reverse("accounts:apply"), application_data(unit, email=email))
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
    assert not Application.objects.exists()
    # the longest accepted address is approved as a username
    longest = "c" * (150 - len("@x.no")) + "@x.no"
    Client().post(reverse("accounts:apply"), application_data(unit, email=longest))
    application = Application.objects.get()
    response = coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    assert response.status_code == 302
    assert User.objects.filter(username=longest).exists()


@pytest.mark.parametrize("value", [HUGE, "1" + "0" * 30, "²", "12²"])
def test_an_odd_resh_id_of_a_practice_is_a_message_on_its_field(db, value):
    response = Client().post(
        reverse("accounts:apply"),
        application_data(
            None, practice_name="Hudlegen", practice_resh_id=value, practice_region="vest"
        ),
    )
    assert response.status_code == 200
    assert "practice_resh_id" in response.context["form"].errors
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", [HUGE, "²", "1" + "0" * 30])
def test_an_odd_unit_in_the_application_is_a_message_on_its_field(db, value):
    response = Client().post(reverse("accounts:apply"), application_data(None, unit=value))
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("value", [HUGE, "²"])
def test_odd_ids_in_the_coordinators_and_unit_leaders_urls_are_not_found(
    unit, coordinator_client, value
):
    for name in ("accounts:application", "accounts:approve", "accounts:new_password"):
        url = reverse(name, args=[1]).replace("/1/", f"/{value}/")
        assert coordinator_client.get(url).status_code == 404
