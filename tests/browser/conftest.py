"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the
registry served by pytest-django's live server on a real test database.

Screenshots of the main pages are written to SCREENSHOTS (build/screenshots); the README shows
one of them. Without /usr/bin/chromium these tests skip, saying why; .ci/run installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.units.models import Unit
from tests.signin import enrol_totp, totp_code

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[2] / "build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser tests only 2026"  # noqa: S105

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are
# still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="nb-NO"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def unit(transactional_db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def clinician(unit):
    """A registrar at ``unit`` with an authenticator app already enrolled (a TOTP device)."""
    user = create_user(
        username="lege", password=PASSWORD, units=[unit], first_name="Liv", last_name="Lege"
    )
    enrol_totp(user)
    return user


@pytest.fixture
def unit_leader(unit):
    """The unit leader of ``unit``, with an authenticator enrolled."""
    user = create_user(
        username="leder",
        password=PASSWORD,
        units=[unit],
        role=Role.UNIT_LEADER,
        first_name="Lise",
        last_name="Leder",
        email="lise.leder@helse-bergen.no",
    )
    enrol_totp(user)
    return user


def give_code(page, user) -> None:
    """The second login step: the authenticator's current code."""
    page.wait_for_url("**/mfa/verify/**")
    page.fill("#id_code", totp_code(enrol_totp(user)))
    with page.expect_navigation():
        page.click("main button[type=submit]")


def log_in(page, user) -> None:
    """Both login steps in the browser: password, then the authenticator's code."""
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    give_code(page, user)
    page.wait_for_url("**/")


@pytest.fixture
def logged_in(page, clinician):
    log_in(page, clinician)
    return page
