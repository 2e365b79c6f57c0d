"""The audit log in a real browser (issue 4 point 4): a registrar reads a patient page, the
unit leader sees that on the same patient's page ("who has seen this patient"), opens the
whole access log, downloads its CSV export for the patient's right of access, and reviews the
unit's log filtered to reads. Screenshots: build/screenshots/access-log.png, audit-log.png."""

from __future__ import annotations

import csv
import io

import pytest

from hsreg.audit.models import Action, AuditEvent
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_the_unit_leader_sees_who_has_seen_a_patient_and_exports_it(
    page, logged_in, unit, unit_leader, screenshot
):
    patient = register_patient(
        unit=unit, national_id=make_number(4), first_name="Kari", last_name="Nordmann"
    )
    # the registrar (logged_in) reads the patient page
    page.goto(f"/patients/{patient.pk}/")
    assert page.locator("#patient-header").is_visible()
    assert page.locator("#recent-access").count() == 0  # not shown to a registrar
    with page.expect_navigation():
        page.click("header form.logout button")

    log_in(page, unit_leader)
    page.goto(f"/patients/{patient.pk}/")
    recent = page.locator("#recent-access").inner_text()
    assert "Liv Lege" in recent  # the registrar's read, by name

    with page.expect_navigation():
        page.click("#access-log-link")
    log = page.locator("#access-log table").inner_text()
    assert "Liv Lege" in log
    assert "Lise Leder" in log  # the leader's own reads are logged too
    screenshot(page, "access-log")
    with page.expect_download() as download:
        page.click("#access-log-csv")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert {"lege", "leder"} <= {row["user"] for row in rows}
    assert patient.national_id not in download.value.path().read_text(encoding="utf-8")
    assert AuditEvent.objects.filter(action=Action.EXPORT, patient_id=patient.pk).exists()

    # the review of the unit's log, from the top bar, filtered to reads
    with page.expect_navigation():
        page.click("header nav a[href='/audit/']")
    page.select_option("#id_action", "read")
    with page.expect_navigation():
        page.click("#audit-filters button[type=submit]")
    table = page.locator("#audit-events table").inner_text()
    assert f"#{patient.pk}" in table
    assert "Nordmann" not in table  # patients by registry id only
    screenshot(page, "audit-log")
