"""The two management pages of issue 4 point 2 in a real browser: the registry coordinator
adds a unit on the page of units (a taken RESH id is refused first, with the reason at the
field), and a unit leader changes a member's role on the page of the unit's users. Both
pages are saved as screenshots (build/screenshots/units.png, unit-users.png)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hsreg.accounts.models import Membership, Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.units.models import Unit
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(unit, unit_leader):
    registry = Unit.objects.create(
        resh_id=4001031, name="HISREG sekretariat", health_trust="Helse Bergen", region="vest"
    )
    coordinator = create_user(
        username="koordinator",
        password=PASSWORD,
        units=[registry],
        role=Role.COORDINATOR,
        first_name="Kari",
        last_name="Koordinator",
    )
    member = create_user(
        username="lege",
        password=PASSWORD,
        units=[unit],
        first_name="Liv",
        last_name="Lege",
        email="liv.lege@helse-bergen.no",
    )
    enrol_totp(coordinator)
    return {"coordinator": coordinator, "leader": unit_leader, "member": member}


def log_out(page) -> None:
    with page.expect_navigation():
        page.click("header form.logout button")


def test_a_coordinator_adds_a_unit_and_a_unit_leader_changes_a_role(page, people, screenshot):
    # the coordinator: the page of units, from the top bar
    log_in(page, people["coordinator"])
    with page.expect_navigation():
        page.click(f"header nav a[href='{reverse('units:index')}']")
    assert page.locator("#unit-102959").is_visible()
    with page.expect_navigation():
        page.click("#new-unit")
    page.fill("#id_resh_id", "102959")  # taken
    page.fill("#id_name", "Hudpoliklinikken, Ålesund")
    page.fill("#id_health_trust", "Helse Møre og Romsdal")
    page.select_option("#id_region", "midt")
    with page.expect_navigation():
        page.click("#unit-form button[type=submit]")
    error = page.locator("[data-field=resh_id]")
    assert error.is_visible()
    assert "102959" in error.inner_text()
    assert not Unit.objects.filter(name="Hudpoliklinikken, Ålesund").exists()
    page.fill("#id_resh_id", "4210001")
    with page.expect_navigation():
        page.click("#unit-form button[type=submit]")
    row = page.locator("#unit-4210001")
    assert row.is_visible()
    assert "Hudpoliklinikken, Ålesund" in row.inner_text()
    assert Unit.objects.get(pk=4210001).region == "midt"
    assert AuditEvent.objects.filter(action=Action.CREATE, target="unit 4210001").exists()
    screenshot(page, "units")
    log_out(page)

    # the unit leader: the page of the unit's users, from the top bar
    log_in(page, people["leader"])
    with page.expect_navigation():
        page.click(f"header nav a[href='{reverse('accounts:members')}']")
    member = people["member"]
    row = page.locator(f"#member-{member.pk}")
    assert "liv.lege@helse-bergen.no" in row.inner_text()
    row.locator("select").select_option(Role.REPORTING.value)
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.locator(".messages li.success").is_visible()
    assert page.locator(f"#member-{member.pk} select").input_value() == Role.REPORTING.value
    assert Membership.objects.get(user=member).role == Role.REPORTING
    assert AuditEvent.objects.filter(action=Action.MEMBERSHIP, target=f"user {member.pk}").exists()
    screenshot(page, "unit-users")
