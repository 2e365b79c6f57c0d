"""Logging in, in a real browser."""

import pytest

from .conftest import give_code

pytestmark = pytest.mark.browser


def test_log_in_and_see_the_units_start_page(page, clinician, screenshot):
    page.goto("/")
    assert "/login/" in page.url  # every page needs a login
    page.fill("#id_username", "lege")
    page.fill("#id_password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    page.fill("#id_password", "browser tests only 2026")
    page.click("button[type=submit]")
    give_code(page, clinician)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text().startswith("Hudavdelingen, Haukeland")
    screenshot(page, "home")
