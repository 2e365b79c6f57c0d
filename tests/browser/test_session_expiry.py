"""A session that expires while a form is typed loses nothing, in real Chromium (issue 12 point
4; RG-3 registration at the point of care, RG-2 the login): the live scores say the session
expired instead of drawing the login page in the score panel; saving sends the user through
the login and the second factor and back to the form, filled in as typed and not saved; Enter
in a count field keeps the user on the form; discarding a draft asks first."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from hsreg.assessments.models import DoctorAssessment
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import LabCheck
from tests.accounts.conftest import code_at
from tests.registry.conftest import make_number
from tests.session_age import expire_browser
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

EXPIRED = "Session expired — log in again (what you typed stays on this page)"


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(31), first_name="Ragnhild", last_name="Foss"
    )


@pytest.fixture
def english(page, live_server):
    """The English interface (the texts asserted are the English ones). The first page of a
    run waits longer: the live server imports every view on its first request, which on a
    busy machine takes more than the tests' 10-second default."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto("/login/", timeout=60_000)
    return page


def test_rg3_an_expired_session_keeps_the_typed_form_through_the_login(
    english, clinician, patient, screenshot
):
    page = english
    log_in(page, clinician)
    new = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": "doctor-assessment"})
    page.goto(new)
    page.fill("[name='axilla_left-nodules']", "4")
    expect(page.locator("#live-ihs4")).to_have_attribute("data-value", "4")

    # 31 minutes pass; the next keystroke's live request finds the session expired
    expire_browser(page)
    page.fill("[name='axilla_left-abscesses']", "3")
    expired = page.locator("#live-scores #live-expired")
    expect(expired).to_have_text(EXPIRED)
    expect(page.locator("#live-expired-hint")).to_contain_text("Save the form as usual")
    assert page.locator("#live-scores form").count() == 0  # no login page in the panel
    assert page.locator("#live-scores #id_username").count() == 0
    assert page.url.endswith(new)  # still on the form, everything typed still there
    assert page.input_value("[name='axilla_left-abscesses']") == "3"
    screenshot(page, "session-expired-live-scores")

    # saving now goes to the login page, which says the form is kept
    page.click("#form-actions button[name=action][value=draft]")
    page.wait_for_url("**/login/**")
    expect(page.locator("#session-expired")).to_be_visible()
    expect(page.locator("#form-kept-notice")).to_be_visible()
    assert not DoctorAssessment.objects.exists()

    # password and a fresh code (the one used at the first login cannot be used twice)
    page.fill("#id_username", clinician.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/mfa/verify/**")
    assert page.locator("header nav").count() == 0  # not logged in fully: no menu
    assert page.locator("header .unit-picker").count() == 0
    page.fill("#id_code", code_at(enrol_totp(clinician), steps_ahead=1))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(f"**{new}")

    # back on the form, as typed, with the notice; nothing saved yet
    expect(page.locator("#form-kept")).to_be_visible()
    assert page.input_value("[name='axilla_left-nodules']") == "4"
    assert page.input_value("[name='axilla_left-abscesses']") == "3"
    assert not DoctorAssessment.objects.exists()
    screenshot(page, "session-expired-form-back")

    # Enter in a count field keeps the user on the form and saves nothing
    page.focus("[name='axilla_left-nodules']")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert page.url.endswith(new)
    assert not DoctorAssessment.objects.exists()

    # the user saves it themselves (with the keyboard: Tab to the button, Enter)
    page.focus("#form-actions button[name=action][value=draft]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    saved = DoctorAssessment.objects.get(patient=patient)
    region = saved.regions.get(region="axilla_left")
    assert (region.nodules, region.abscesses) == (4, 3)


def test_rg3_discarding_a_draft_asks_first_in_the_browser(english, clinician, patient, unit):
    page = english
    record = save_record(
        record=LabCheck(patient=patient, unit=unit, date="2026-11-20"), actor=None, finish=False
    )
    log_in(page, clinician)
    page.goto(
        reverse(
            "records:edit",
            kwargs={"patient_id": patient.pk, "kind": "lab-check", "record_id": record.pk},
        )
    )
    questions: list[str] = []

    def say_no(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", say_no)
    page.click("#discard-form button[type=submit]")
    page.wait_for_timeout(300)
    assert questions
    assert questions[0].startswith("Discard this draft?")
    assert LabCheck.objects.filter(pk=record.pk).exists()
    expect(page.locator("#discard-form button[type=submit]")).to_be_enabled()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#discard-form button[type=submit]")
    assert not LabCheck.objects.filter(pk=record.pk).exists()
    assert page.url.endswith(reverse("patients:detail", args=[patient.pk]))
