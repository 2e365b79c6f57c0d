"""The registry coordinator's page of units (issue 4 point 2, RG-2): every unit with its
members and enrolled patients in one query, filtered by health region; a new unit and an
edit of one, audited with the earlier values; bad input shows the field and the reason and
stores nothing; only the coordinator reaches it."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.units.models import Unit
from hsreg.units.services import create_unit
from tests.accounts.conftest import PASSWORD
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

INDEX = reverse("units:index")
CREATE = reverse("units:create")


def edit_url(unit: Unit) -> str:
    return reverse("units:edit", args=[unit.pk])


@pytest.fixture
def en(coordinator_client):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English texts
    return coordinator_client


@pytest.fixture
def north(db):
    return Unit.objects.create(
        resh_id=700922, name="Hudavdelingen, UNN", health_trust="UNN", region="nord"
    )


def new_unit(**changes):
    data = {
        "resh_id": "4210001",
        "name": "Hudpoliklinikken, Ålesund",
        "health_trust": "Helse Møre og Romsdal",
        "region": "midt",
        "kind": "hospital",
    }
    data.update(changes)
    return data


def add_members(unit: Unit, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        create_user(username=f"m{unit.pk}-{n}", password=PASSWORD, units=[unit])


def add_patients(unit: Unit, count: int, start: int = 0) -> None:
    """``count`` patients at ``unit``, their id numbers from individual number ``start`` on
    (callers keep their ranges apart: some individual numbers give no valid id number)."""
    individual = start
    for n in range(count):
        while (number := synthetic_number(date(1985, 3, 14), individual)) is None:
            individual += 1
        individual += 1
        register_patient(unit=unit, national_id=number, first_name="Kari", last_name=f"Test{n}")


def row_of(page: str, unit: Unit) -> list[str]:
    row = page[page.index(f'id="unit-{unit.pk}"') :].split("</tr>", maxsplit=1)[0]
    return [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:]]


def test_the_page_lists_every_unit_with_members_and_patients(en, unit, registry_unit, north):
    add_members(unit, 2)
    add_patients(unit, 3)
    response = en.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    cells = row_of(page, unit)
    assert cells[0] == "102959"
    assert "Hudavdelingen, Haukeland" in cells[1]
    assert edit_url(unit) in cells[1]
    assert cells[2:] == ["Helse Bergen", "Helse Vest", "Hospital department", "2", "3"]
    assert row_of(page, registry_unit)[-2:] == ["1", "0"]  # the coordinator, no patients
    assert row_of(page, north)[-2:] == ["0", "0"]
    assert "3 units" in page


def test_the_list_is_filtered_by_health_region(en, unit, registry_unit, north):
    page = en.get(INDEX, {"region": "nord"}).content.decode()
    assert 'id="unit-700922"' in page
    assert 'id="unit-102959"' not in page
    assert 'id="unit-4001031"' not in page
    page = en.get(INDEX, {"region": "midt"}).content.decode()
    assert "No unit in this health region." in page
    page = en.get(INDEX, {"region": ""}).content.decode()  # all regions
    assert page.count('<tr id="unit-') == 3


def test_an_unknown_region_shows_the_field_and_the_reason(en, unit, north):
    response = en.get(INDEX, {"region": "mars"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="region"' in page
    assert "Select a valid choice" in page
    assert page.count('<tr id="unit-') == 3  # the unfiltered list (the coordinator's unit too)


def test_creating_a_unit_is_saved_and_audited(en, coordinator):
    assert en.get(CREATE).status_code == 200
    response = en.post(CREATE, new_unit())
    assert response.status_code == 302
    assert response["Location"] == INDEX
    unit = Unit.objects.get(pk=4210001)
    assert (unit.name, unit.health_trust, unit.region, unit.kind) == (
        "Hudpoliklinikken, Ålesund",
        "Helse Møre og Romsdal",
        "midt",
        "hospital",
    )
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert event.user == coordinator
    assert event.role == Role.COORDINATOR
    assert event.target == "unit 4210001"
    assert event.detail["name"] == "Hudpoliklinikken, Ålesund"
    page = en.get(INDEX).content.decode()
    assert "The unit Hudpoliklinikken, Ålesund (4210001) is added." in page
    assert row_of(page, unit)[-2:] == ["0", "0"]


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"resh_id": "0"}, "resh_id", "A RESH id is a whole number, at least 1."),
        ({"resh_id": "-5"}, "resh_id", "A RESH id is a whole number, at least 1."),
        ({"resh_id": "12.5"}, "resh_id", "A RESH id is a whole number, at least 1."),
        ({"resh_id": "abc"}, "resh_id", "A RESH id is a whole number, at least 1."),
        ({"resh_id": "99999999999"}, "resh_id", "This number is too large to be a RESH id."),
        ({"resh_id": ""}, "resh_id", "This field is required."),
        (
            {"resh_id": "102959"},
            "resh_id",
            "A unit with RESH id 102959 is already in the registry.",
        ),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
        ({"health_trust": ""}, "health_trust", "This field is required."),
        ({"region": "mars"}, "region", "Select a valid choice"),
        ({"kind": "shop"}, "kind", "Select a valid choice"),
    ],
)
def test_a_bad_unit_shows_the_field_and_the_reason_and_stores_nothing(
    en, unit, changes, field, reason
):
    before = list(Unit.objects.values_list("pk", "name"))
    response = en.post(CREATE, new_unit(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split(f'id="field-{field}"')[1].split('<div class="field')[0]
    assert f'data-field="{field}"' in error
    assert reason in error
    assert list(Unit.objects.values_list("pk", "name")) == before
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


def test_editing_a_unit_is_audited_with_the_earlier_values(en, unit):
    page = en.get(edit_url(unit)).content.decode()
    assert 'id="resh-id">102959<' in page
    assert 'name="resh_id"' not in page  # the primary key is not editable
    response = en.post(
        edit_url(unit),
        {
            "name": "Hudavdelingen, Haukeland universitetssjukehus",
            "health_trust": "Helse Bergen",
            "region": "vest",
            "kind": "hospital",
            "resh_id": "999",  # not a field of the edit: ignored
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Hudavdelingen, Haukeland universitetssjukehus"
    assert not Unit.objects.filter(pk=999).exists()
    event = AuditEvent.objects.get(action=Action.CHANGE)
    assert event.target == "unit 102959"
    assert event.detail == {
        "earlier": {"name": "Hudavdelingen, Haukeland"},
        "now": {"name": "Hudavdelingen, Haukeland universitetssjukehus"},
    }


def test_an_edit_that_changes_nothing_writes_nothing(en, unit):
    data = {"name": unit.name, "health_trust": unit.health_trust, "region": "vest"}
    response = en.post(edit_url(unit), {**data, "kind": "hospital"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()
    assert "Nothing was changed." in en.get(INDEX).content.decode()


def test_a_bad_edit_shows_the_field_and_the_reason_and_stores_nothing(en, unit):
    response = en.post(
        edit_url(unit), {"name": "", "health_trust": "X", "region": "vest", "kind": "private"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="name"' in page
    assert "This field is required." in page
    assert "Hudavdelingen, Haukeland" in page  # the heading names the unit as stored
    unit.refresh_from_db()
    assert (unit.name, unit.health_trust, unit.kind) == (
        "Hudavdelingen, Haukeland",
        "Helse Bergen",
        "hospital",
    )
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


@pytest.mark.parametrize("resh_id", [1, 2**31, 2**70])
def test_an_unknown_unit_is_not_found(en, resh_id):
    url = reverse("units:edit", args=[resh_id])
    assert en.get(url).status_code == 404
    assert en.post(url, new_unit()).status_code == 404


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING])
def test_only_the_coordinator_opens_the_units_pages(unit, role):
    user = create_user(username=f"u-{role}", password=PASSWORD, units=[unit], role=role)
    client = sign_in(Client(), user)
    assert client.get(INDEX).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_unit()).status_code == 403
    assert client.get(edit_url(unit)).status_code == 403
    assert client.post(edit_url(unit), new_unit(name="Overtatt")).status_code == 403
    assert not Unit.objects.filter(pk=4210001).exists()
    unit.refresh_from_db()
    assert unit.name == "Hudavdelingen, Haukeland"
    assert INDEX not in client.get(reverse("web:home")).content.decode()


def test_the_coordinators_nav_links_the_page(coordinator_client):
    assert INDEX in coordinator_client.get(reverse("web:home")).content.decode()


def test_changes_need_the_csrf_token(coordinator, unit):
    client = sign_in(Client(enforce_csrf_checks=True), coordinator)
    assert client.post(CREATE, new_unit()).status_code == 403
    assert client.post(edit_url(unit), new_unit(name="Ny")).status_code == 403
    assert not Unit.objects.filter(pk=4210001).exists()


def test_the_services_refuse_others_and_a_taken_resh_id(coordinator, unit, registry_unit):
    others = Actor(user=coordinator, unit=unit, role=Role.UNIT_LEADER, request_id="t")
    fields = {"name": "N", "health_trust": "T", "region": "vest", "kind": "hospital"}
    with pytest.raises(PermissionDenied):
        create_unit(actor=others, resh_id=5, **fields)
    mine = Actor(user=coordinator, unit=registry_unit, role=Role.COORDINATOR, request_id="t")
    with pytest.raises(ValidationError) as refused:
        create_unit(actor=mine, resh_id=unit.pk, **fields)
    assert "resh_id" in refused.value.message_dict
    assert Unit.objects.get(pk=unit.pk).name == "Hudavdelingen, Haukeland"


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("query", ["", "?region=vest"])
def test_the_page_queries_do_not_grow_with_units_members_and_patients(
    coordinator_client, unit, query
):
    url = INDEX + query
    add_members(unit, 2)
    add_patients(unit, 2)
    coordinator_client.get(url)  # anything cached per process is read once
    few = count_queries(coordinator_client, url)
    for n in range(12):
        more = Unit.objects.create(
            resh_id=5000 + n, name=f"Enhet {n}", health_trust="Helse Vest", region="vest"
        )
        add_members(more, 2)
        add_patients(more, 2, start=100 + 20 * n)
    many = count_queries(coordinator_client, url)
    assert few == many
    page = coordinator_client.get(url).content.decode()
    assert page.count('<tr id="unit-') == 14


@pytest.mark.parametrize("value", ["9" * 5000, "²", "1²", "1" + "0" * 30])
def test_odd_numbers_as_a_resh_id_are_a_message_on_the_field(en, unit, value):
    """Issue 11 point 9: integers of more than 4,300 digits, and non-ASCII digits, are refused
    on the field like any other bad RESH id, never a 500."""
    before = Unit.objects.count()
    response = en.post(CREATE, new_unit(resh_id=value))
    assert response.status_code == 400
    assert 'data-field="resh_id"' in response.content.decode()
    assert Unit.objects.count() == before
    assert en.get(f"/registry/units/{value}/").status_code == 404
