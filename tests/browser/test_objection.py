"""Recording an objection in real headless Chromium, under the production Content Security
Policy: the coordinator logs in with both factors, records the objection, and the patient is
gone."""

from __future__ import annotations

from datetime import date

import pytest

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.objections.models import Objection
from hsreg.patients.models import Patient
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser
BORN = date(1985, 3, 14)


def test_a_coordinator_records_an_objection_in_the_browser(page, screenshot, unit) -> None:
    coordinator = create_user(
        username="koordinator", password=PASSWORD, units=[unit], role=Role.COORDINATOR
    )
    enrol_totp(coordinator)
    number = next(n for i in range(100) if (n := synthetic_number(BORN, i)))
    patient = register_patient(
        unit=unit, national_id=number, first_name="Kari", last_name="Reservert"
    )
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    log_in(page, coordinator)
    page.goto("/objections/")
    page.fill("#id_national_id", number)
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#objection-form button[type=submit]")

    assert f"#{patient.pk}" in page.locator(".messages").inner_text()
    assert page.locator("#objections tbody tr").count() == 1
    screenshot(page, "objection")
    assert not Patient.objects.filter(pk=patient.pk).exists()
    assert Objection.objects.count() == 1
    assert [m for m in console if "Content Security Policy" in m] == []
