"""The unit leader's page of the unit's users (issue 4 point 2, RG-2): the members of the
current unit only, a member's role changed, a membership ended, each write audited; another
unit's member is not found (404); the only unit leader cannot step down or leave; other roles
do not reach the page (403 from the access table); its queries do not grow with the unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hsreg.accounts.models import Membership, Role, User
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.units.models import Unit
from tests.signin import sign_in

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

MEMBERS = reverse("accounts:members")


def role_url(user: User) -> str:
    return reverse("accounts:member_role", args=[user.pk])


def remove_url(user: User) -> str:
    return reverse("accounts:member_remove", args=[user.pk])


def member(unit: Unit, username: str, role: Role = Role.REGISTRAR, **fields) -> User:
    return create_user(username=username, password=PASSWORD, units=[unit], role=role, **fields)


@pytest.fixture
def other_unit(db):
    return Unit.objects.create(
        resh_id=700922, name="Hudavdelingen, UNN", health_trust="UNN", region="nord"
    )


@pytest.fixture
def leader(unit):
    return member(
        unit, "leder", Role.UNIT_LEADER, first_name="Lise", last_name="Leder", email="l@x.no"
    )


@pytest.fixture
def registrar(unit):
    return member(unit, "registrar", first_name="Rolf", last_name="Registrar", email="r@x.no")


@pytest.fixture
def outsider(other_unit):
    return member(other_unit, "fremmed", first_name="Frida", last_name="Fremmed")


@pytest.fixture
def leader_client(leader):
    client = sign_in(Client(), leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the tests read English texts
    return client


def membership_events():
    return AuditEvent.objects.filter(action=Action.MEMBERSHIP)


def test_the_page_lists_the_members_of_the_current_unit_only(
    leader_client, leader, registrar, outsider
):
    response = leader_client.get(MEMBERS)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Lise Leder", "Rolf Registrar", "registrar", "r@x.no", "Unit leader", "never"):
        assert text in page
    assert "Fremmed" not in page
    assert f'id="member-{outsider.pk}"' not in page
    assert 'type="hidden" name="csrfmiddlewaretoken"' in page  # every row's form is a POST
    # the unit leader may not remove themselves, so their row has no removal link
    assert remove_url(registrar) in page
    assert remove_url(leader) not in page


def test_the_page_shows_last_login_and_inactive_users(leader_client, registrar):
    registrar.is_active = False
    registrar.save(update_fields=["is_active"])
    page = leader_client.get(MEMBERS).content.decode()
    row = page[page.index(f'id="member-{registrar.pk}"') :].split("</tr>")[0]
    assert "inactive" in row
    assert "never" in row


def test_changing_a_members_role_is_saved_and_audited(leader_client, leader, registrar, unit):
    response = leader_client.post(role_url(registrar), {"role": Role.REPORTING})
    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    assert Membership.objects.get(user=registrar, unit=unit).role == Role.REPORTING
    event = membership_events().get()
    assert event.user == leader
    assert event.role == Role.UNIT_LEADER
    assert event.unit_id == unit.pk
    assert event.target == f"user {registrar.pk}"
    assert event.detail == {"unit": unit.pk, "role": "reporting", "earlier_role": "registrar"}
    assert "is now: Reporting only" in leader_client.get(MEMBERS).content.decode()


def test_the_same_role_again_writes_nothing(leader_client, registrar):
    response = leader_client.post(role_url(registrar), {"role": Role.REGISTRAR})
    assert response.status_code == 302
    assert not membership_events().exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Role.COORDINATOR, "Select a valid choice"),
        ("boss", "Select a valid choice"),
        ("", "This field is required"),
    ],
)
def test_a_bad_role_shows_the_field_and_the_reason(leader_client, registrar, unit, value, reason):
    response = leader_client.post(role_url(registrar), {"role": value})
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="member-{registrar.pk}"') :].split("</tr>")[0]
    assert 'data-field="role"' in row
    assert reason in row
    assert Membership.objects.get(user=registrar, unit=unit).role == Role.REGISTRAR
    assert not membership_events().exists()


def test_the_only_unit_leader_cannot_step_down(leader_client, leader, unit):
    response = leader_client.post(role_url(leader), {"role": Role.REGISTRAR})
    assert response.status_code == 400
    page = response.content.decode()
    assert "You are the only unit leader of this unit" in page
    assert "Make another member unit leader first" in page
    assert Membership.objects.get(user=leader, unit=unit).role == Role.UNIT_LEADER
    assert not membership_events().exists()


def test_a_unit_leader_may_step_down_when_another_leads(leader_client, leader, registrar, unit):
    assert leader_client.post(role_url(registrar), {"role": Role.UNIT_LEADER}).status_code == 302
    response = leader_client.post(role_url(leader), {"role": Role.REGISTRAR})
    assert response.status_code == 302
    assert Membership.objects.get(user=leader, unit=unit).role == Role.REGISTRAR
    assert membership_events().count() == 2
    # no longer a unit leader: the page is closed to them from the next request on
    assert leader_client.get(MEMBERS).status_code == 403


def test_ending_a_membership_keeps_the_user_and_clears_the_current_unit(
    leader_client, leader, registrar, unit, other_unit
):
    Membership.objects.create(user=registrar, unit=other_unit, role=Role.REPORTING)
    assert registrar.current_unit == unit

    confirm = leader_client.get(remove_url(registrar))  # asks first, changes nothing
    assert confirm.status_code == 200
    assert "Rolf Registrar" in confirm.content.decode()
    assert Membership.objects.filter(user=registrar, unit=unit).exists()

    response = leader_client.post(remove_url(registrar))
    assert response.status_code == 302
    assert response["Location"] == MEMBERS
    registrar.refresh_from_db()
    assert registrar.current_unit is None
    assert list(registrar.memberships.values_list("unit", flat=True)) == [other_unit.pk]
    event = membership_events().get()
    assert event.target == f"user {registrar.pk}"
    assert event.detail["unit"] == unit.pk
    assert event.detail["ended"] is True
    assert event.detail["earlier_role"] == "registrar"
    assert f'id="member-{registrar.pk}"' not in leader_client.get(MEMBERS).content.decode()


def test_a_removed_member_no_longer_reaches_the_unit(leader_client, registrar):
    theirs = sign_in(Client(), registrar)
    assert theirs.get(reverse("patients:search")).status_code == 200
    leader_client.post(remove_url(registrar))
    assert theirs.get(reverse("patients:search")).status_code == 403


def test_ending_a_membership_keeps_another_current_unit(leader_client, registrar, unit, other_unit):
    Membership.objects.create(user=registrar, unit=other_unit, role=Role.REGISTRAR)
    registrar.current_unit = other_unit
    registrar.save(update_fields=["current_unit"])
    leader_client.post(remove_url(registrar))
    registrar.refresh_from_db()
    assert registrar.current_unit == other_unit


def test_a_unit_leader_cannot_remove_themselves(leader_client, leader, unit):
    page = leader_client.get(remove_url(leader)).content.decode()
    assert "You cannot end your own membership" in page
    assert "<button" not in page.split("<main>")[1]  # nothing to confirm
    response = leader_client.post(remove_url(leader))
    assert response.status_code == 400
    assert "You cannot end your own membership" in response.content.decode()
    assert Membership.objects.filter(user=leader, unit=unit).exists()
    assert not membership_events().exists()


def test_a_coordinators_membership_is_not_the_units_to_change(leader_client, unit):
    coordinator = member(unit, "koord", Role.COORDINATOR)
    page = leader_client.get(MEMBERS).content.decode()
    row = page[page.index(f'id="member-{coordinator.pk}"') :].split("</tr>")[0]
    assert "Registry coordinator" in row
    assert "<select" not in row
    assert remove_url(coordinator) not in row
    response = leader_client.post(role_url(coordinator), {"role": Role.REGISTRAR})
    assert response.status_code == 400
    assert "given by the registry, not by the unit" in response.content.decode()
    assert leader_client.post(remove_url(coordinator)).status_code == 400
    assert Membership.objects.get(user=coordinator, unit=unit).role == Role.COORDINATOR
    assert not membership_events().exists()


@pytest.mark.parametrize("user_id", ["outsider", "nobody", "huge"])
def test_another_units_member_is_not_found(leader_client, outsider, other_unit, user_id):
    pk = {"outsider": outsider.pk, "nobody": 999_999, "huge": 2**70}[user_id]
    role = reverse("accounts:member_role", args=[pk])
    remove = reverse("accounts:member_remove", args=[pk])
    assert leader_client.post(role, {"role": Role.REPORTING}).status_code == 404
    assert leader_client.get(remove).status_code == 404
    assert leader_client.post(remove).status_code == 404
    assert Membership.objects.get(user=outsider).role == Role.REGISTRAR
    assert Membership.objects.filter(user=outsider, unit=other_unit).exists()
    assert not membership_events().exists()


def test_a_member_of_both_units_is_managed_only_at_this_unit(
    leader_client, outsider, unit, other_unit
):
    Membership.objects.create(user=outsider, unit=unit, role=Role.REGISTRAR)
    leader_client.post(role_url(outsider), {"role": Role.REPORTING})
    leader_client.post(remove_url(outsider))
    assert not Membership.objects.filter(user=outsider, unit=unit).exists()
    assert Membership.objects.get(user=outsider, unit=other_unit).role == Role.REGISTRAR


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.REPORTING, Role.COORDINATOR])
def test_other_roles_cannot_open_the_unit_leaders_pages(unit, registrar, role):
    user = member(unit, f"u-{role}", role)
    client = sign_in(Client(), user)
    assert client.get(MEMBERS).status_code == 403
    assert client.post(role_url(registrar), {"role": Role.REPORTING}).status_code == 403
    assert client.get(remove_url(registrar)).status_code == 403
    assert client.post(remove_url(registrar)).status_code == 403
    assert Membership.objects.get(user=registrar).role == Role.REGISTRAR
    assert AuditEvent.objects.filter(action=Action.DENIED, outcome=Outcome.DENIED).count() == 4


def test_changes_are_post_only_and_need_the_csrf_token(leader, registrar, unit):
    client = sign_in(Client(enforce_csrf_checks=True), leader)
    assert client.get(role_url(registrar)).status_code == 405
    assert client.post(role_url(registrar), {"role": Role.REPORTING}).status_code == 403
    assert client.post(remove_url(registrar)).status_code == 403
    assert Membership.objects.get(user=registrar, unit=unit).role == Role.REGISTRAR


def test_the_nav_links_the_page_for_unit_leaders_only(leader_client, registrar):
    assert MEMBERS in leader_client.get(reverse("web:home")).content.decode()
    theirs = sign_in(Client(), registrar)
    assert MEMBERS not in theirs.get(reverse("web:home")).content.decode()


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_queries_do_not_grow_with_the_unit(leader_client, unit):
    for n in range(2):
        member(unit, f"few-{n}", last_name=f"Few{n}")
    leader_client.get(MEMBERS)  # anything cached per process is read once
    few = count_queries(leader_client, MEMBERS)
    for n in range(20):
        member(unit, f"many-{n}", Role.REPORTING if n % 2 else Role.REGISTRAR)
    many = count_queries(leader_client, MEMBERS)
    assert few == many
    assert leader_client.get(MEMBERS).content.decode().count('class="member-role"') == 23
