"""Registering and finding a patient, in a real browser."""

from datetime import date

import pytest

from hsreg.patients.national_id import synthetic_number

pytestmark = pytest.mark.browser


def test_create_a_patient_bad_id_number_is_refused_with_a_message(logged_in, screenshot):
    page = logged_in
    page.click("text=Ny pasient")  # the UI is Norwegian by default
    page.fill("#id_national_id", "15108695089")  # last check digit wrong
    page.fill("#id_first_name", "Kari")
    page.fill("#id_last_name", "Nordmann")
    page.click("button.primary")
    error = page.locator("[data-field=national_id]")
    assert "Kontrollsifrene" in error.inner_text()
    assert page.input_value("#id_first_name") == "Kari"  # nothing typed is lost
    screenshot(page, "patient-create-error")

    number = synthetic_number(date(1992, 4, 3), 211)
    page.fill("#id_national_id", number)
    page.click("button.primary")
    page.wait_for_selector("#guideline-panel")
    assert "Nordmann, Kari" in page.locator("h1").inner_text()

    page.click("nav >> text=Pasienter")
    page.fill("#q", "nord kar")
    page.press("#q", "Enter")
    assert page.locator("#patient-results tbody tr").count() == 1
    page.fill("#q", number)
    page.press("#q", "Enter")
    assert "Nordmann, Kari" in page.locator("#patient-results").inner_text()
