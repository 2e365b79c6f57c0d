"""RG-2 in a real browser: a person applies for access ("Ny bruker") from the login page, the
registry coordinator approves in their own browser, the one-time password comes by mail, the
first login forces a new password and the set-up of an authenticator app (the code computed
from the key the page shows, as the app would), and then the patient page opens."""

from __future__ import annotations

import re
from base64 import b32decode
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django_otp.oath import totp

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.patients.services import register_patient
from hsreg.units.models import Unit
from tests.registry.conftest import make_number
from tests.signin import enrol_totp, totp_code

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "eget passord i nettleseren"  # noqa: S105 - test only


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the base32 key typed into it."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


@pytest.fixture
def coordinator(transactional_db):
    registry = Unit.objects.create(
        resh_id=4001031, name="HISREG sekretariat", health_trust="Helse Bergen", region="vest"
    )
    user = create_user(
        username="koordinator", password=PASSWORD, units=[registry], role=Role.COORDINATOR
    )
    enrol_totp(user)
    return user


@pytest.fixture
def office(browser, live_server, coordinator):
    """The coordinator's own browser, logged in with password and TOTP code."""
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    tab = context.new_page()
    tab.goto("/login/")
    tab.fill("#id_username", "koordinator")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(at(reverse("accounts:mfa_verify")))
    tab.fill("#id_code", totp_code(coordinator.totpdevice_set.get()))
    tab.click("form[method=post] button.primary")
    tab.wait_for_url(at(reverse("web:home")))
    yield tab
    context.close()


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(3), first_name="Siri", last_name="Bakken"
    )


def at(path: str):
    """A URL test for wait_for_url: this path exactly."""
    return lambda url: urlsplit(url).path == path


def test_application_approval_one_time_password_new_password_and_totp(
    page, patient, office, mailoutbox, screenshot
):
    unit = patient.units.get()

    # the applicant finds "Ny bruker" on the login page
    page.goto("/login/")
    page.click("#apply-link")
    page.fill("#id_first_name", "Per")
    page.fill("#id_last_name", "Hudlege")
    page.fill("#id_email", "per.hudlege@helse-bergen.no")
    page.fill("#id_phone", "55975000")
    page.select_option("#id_unit", str(unit.pk))
    page.check("input[name=solution][value=registration]")
    page.fill("#id_justification", "Overlege ved hudpoliklinikken.")
    screenshot(page, "apply")
    page.click("#application-form button[type=submit]")
    page.wait_for_url(at(reverse("accounts:apply_done")))

    # the coordinator, in another browser, approves as a registrar
    office.goto(reverse("accounts:applications"))
    office.click("#pending a")
    office.check(f"input[name=role][value={Role.REGISTRAR}]")
    office.click("#approve button[type=submit]")
    office.wait_for_selector(".messages li.success")

    # the one-time password from the mail opens the first-login steps only
    (mail,) = mailoutbox
    password = re.search(r": (\S+)\n\n", mail.body).group(1)
    page.goto("/login/")
    page.fill("#id_username", "per.hudlege@helse-bergen.no")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(at(reverse("accounts:password_change")))
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("form[method=post] button.primary")

    # the authenticator app: the QR code is drawn, the key typed into the "app"
    page.wait_for_url(at(reverse("accounts:mfa_enrol")))
    assert page.locator("#totp-qr svg").is_visible()
    screenshot(page, "mfa-enrol")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_code", app_code(secret))
    page.click("form[method=post] button.primary")
    page.wait_for_selector("#recovery-codes li")  # the enrolment mails the user first
    assert page.locator("#recovery-codes li").count() == 10
    page.click("main a.button.primary")
    page.wait_for_url(at(reverse("web:home")))

    page.goto(f"/patients/{patient.pk}/")
    assert "Bakken" in page.content()

    # the next login asks for the app's code
    page.click("form.logout button")
    page.wait_for_url(at(reverse("login")))
    page.fill("#id_username", "per.hudlege@helse-bergen.no")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(at(reverse("accounts:mfa_verify")))
    page.fill("#id_code", app_code(secret, 1))
    page.click("form[method=post] button.primary")
    page.wait_for_url(at(reverse("web:home")))
    page.goto(f"/patients/{patient.pk}/")
    assert "Bakken" in page.content()
