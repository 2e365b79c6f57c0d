"""XB-5 in Chromium: the registry coordinator opens "Funding status" from the menu, gets a bad
decision date named at its field, records bimekizumab as approved, and the page (1280 and
390 px) has no serious or critical axe-core violation."""

from __future__ import annotations

import pytest

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.treatments.funding import funding_statuses
from tests.signin import enrol_totp

from .conftest import PASSWORD, give_code
from .test_accessibility import axe_page, violations  # noqa: F401 - axe_page is a fixture

pytestmark = pytest.mark.browser


def test_xb5_the_coordinator_records_a_funding_decision(request, unit):
    coordinator = create_user(
        username="koord", password=PASSWORD, units=[unit], role=Role.COORDINATOR
    )
    enrol_totp(coordinator)
    page = request.getfixturevalue("axe_page")  # CSP bypassed for axe's script only
    page.goto("/login/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    give_code(page, coordinator)
    page.wait_for_url("**/")
    page.click("#menu-funding")
    page.wait_for_url("**/registry/funding/")
    assert page.locator("#funding-bimekizumab").get_attribute("data-status") == "not_approved"
    found = violations(page)

    row = page.locator("#funding-form-bimekizumab")
    row.locator("select").select_option("approved")
    row.locator("input[type=date]").fill("2999-01-01")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    error = page.locator("#field-bimekizumab-decided_on [role=alert]")
    assert error.is_visible()
    assert error.get_attribute("data-field") == "decided_on"
    found += violations(page)

    row = page.locator("#funding-form-bimekizumab")
    row.locator("input[type=date]").fill("2026-03-02")
    row.locator("input[name=bimekizumab-note]").fill("ID2024_012")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.locator("#funding-bimekizumab").get_attribute("data-status") == "approved"
    assert "ID2024_012" in page.locator("#funding-bimekizumab").inner_text()
    assert funding_statuses()["bimekizumab"] == "approved"
    page.set_viewport_size({"width": 390, "height": 844})
    found += violations(page)
    assert not found, "\n".join(found)
