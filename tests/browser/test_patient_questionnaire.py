"""The patient answers their own questionnaire in real Chromium at 390 px (issue 13, "Done
when"): the link, a wrong birth date refused, the right one accepted, pain and DLQI answered
across screens, submitted, thank-you; the link reused → refused; 5 wrong birth dates on
another link → locked; the clinician then sees the report marked "reported by the patient"
with its DLQI. The same on the clinic tablet (short code, neutral screen after submit).
One screen is completed with the keyboard only. Screenshots of each step at 390 px go to
build/screenshots/patient-*.png."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import PatientReport
from hsreg.patients.services import register_patient
from hsreg.questionnaires import services
from hsreg.questionnaires.models import State
from tests.registry.conftest import make_number

pytestmark = pytest.mark.browser

BORN = date(1985, 3, 14)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized browser (390 px wide) of the patient: no clinician's cookies."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="nb-NO", has_touch=True
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def make_patient(unit, n: int, first: str = "Kari", last: str = "Nordmann"):
    return register_patient(
        unit=unit, national_id=make_number(n, BORN), first_name=first, last_name=last
    )


def invite(unit, patient, channel: str = "sms"):
    if channel == "sms":
        services.set_contact(actor=system_actor(), patient=patient, mobile="+4799999999", email="")
    return services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel=channel, form="status"
    )


def type_birth_date(page, day: str, month: str, year: str) -> None:
    page.fill("#id_day", day)
    page.fill("#id_month", month)
    page.fill("#id_year", year)
    with page.expect_navigation():
        page.click("#birth-date-submit")


def assert_fits_the_phone(page) -> None:
    """No sideways scrolling at 390 px, and every control at least 44 px high."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in (".p-option", ".p-button", "#p-lang", "input.p-number", "#id_code"):
        for box in page.locator(selector).all():
            if box.is_visible():
                assert box.bounding_box()["height"] >= 44, selector


def next_screen(page) -> None:
    with page.expect_navigation():
        page.click("#p-next")


def smoking_and_work_by_keyboard(page) -> None:
    """The first screen with the keyboard only: Tab to the first question, arrows choose,
    Tab on, Enter on Next."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "smoking":
            break
    assert page.evaluate("document.activeElement.name") == "smoking"
    page.keyboard.press("Space")  # the first answer
    page.keyboard.press("ArrowDown")  # the second: "Nei" / "No"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "work"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "p-next"
    with page.expect_navigation():
        page.keyboard.press("Enter")


def pain(page, screenshot, prefix: str) -> None:
    for name, value in (
        ("boils_last_4_weeks", "3"),
        ("worst_boil_pain", "7"),
        ("vas_total", "5"),
        ("vas_axilla_right", "4"),
        ("vas_groin_right", "0"),
        ("vas_groin_left", "2,5"),
    ):
        page.fill(f"#id_{name}", value)
    page.check("input[name='vas_axilla_left-unknown']")
    next_screen(page)  # "vas_other" left empty: refused on this screen
    assert page.locator("#err-vas_other").is_visible()
    assert page.input_value("#id_vas_total") == "5"  # nothing typed is lost
    screenshot(page, f"{prefix}-04-pain-error")
    page.fill("#id_vas_other", "0")
    next_screen(page)


def dlqi(page, screenshot, prefix: str) -> None:
    assert page.locator("#p-copyright").is_visible()  # the authors' line on its screen
    problems = page.locator("#q-dlqi_7_problems")
    assert problems.is_hidden()  # only when item 7 is "No" (Finlay's follow-up)
    for n, code in ((1, "2"), (2, "3"), (3, "4"), (4, "4"), (5, "3"), (6, "5")):
        page.check(f"input[name='dlqi_{n}'][value='{code}']")
    page.check("input[name='dlqi_7'][value='0']")
    assert problems.is_visible()
    page.check("input[name='dlqi_7_problems'][value='3']")
    for n, code in ((8, "4"), (9, "5"), (10, "4")):
        page.check(f"input[name='dlqi_{n}'][value='{code}']")
    assert_fits_the_phone(page)
    screenshot(page, f"{prefix}-05-dlqi")
    next_screen(page)


def answer_and_submit(page, screenshot, prefix: str) -> None:
    assert page.locator("#p-progress").inner_text().startswith(("Steg 1 av 4", "Step 1 of 4"))
    assert_fits_the_phone(page)
    screenshot(page, f"{prefix}-03-first-screen")
    smoking_and_work_by_keyboard(page)
    assert "/s/2/" in page.url
    pain(page, screenshot, prefix)
    dlqi(page, screenshot, prefix)
    assert page.url.endswith("/review/")
    assert_fits_the_phone(page)
    screenshot(page, f"{prefix}-06-review")
    with page.expect_navigation():
        page.click("#p-submit")
    page.wait_for_selector("#thanks")


def test_the_patient_answers_on_the_phone(phone, logged_in, unit, screenshot):
    """``logged_in`` is the clinician's own browser (desktop), logged in beforehand."""
    patient = make_patient(unit, 1)
    _invitation, token = invite(unit, patient)
    start = reverse("patient:start", kwargs={"token": token})
    phone.goto(start)
    body = phone.locator("body").inner_text()
    assert "Kari" not in body  # nothing of the patient before the birth date
    assert "Haukeland" not in body
    assert_fits_the_phone(phone)
    screenshot(phone, "patient-01-birth-date")

    type_birth_date(phone, "15", "03", "1985")  # wrong
    assert phone.locator("#birth-date-error").is_visible()
    assert "4" in phone.locator("#birth-date-error").inner_text()
    screenshot(phone, "patient-02-wrong-birth-date")
    type_birth_date(phone, "14", "03", "1985")
    assert "/s/1/" in phone.url
    assert "Hudavdelingen, Haukeland" in phone.locator("header").inner_text()

    answer_and_submit(phone, screenshot, "patient")
    assert_fits_the_phone(phone)
    screenshot(phone, "patient-07-thanks")
    report = PatientReport.objects.get(patient=patient)
    assert report.reported_by == "patient"
    assert report.reported_channel == "sms"
    assert report.dlqi_total is not None

    # the link reused (another visit): refused, saying it is used
    phone.goto(start)
    assert phone.locator("#link-answered").is_visible()
    screenshot(phone, "patient-08-link-used")
    assert PatientReport.objects.filter(patient=patient).count() == 1

    # another patient's link: 5 wrong birth dates lock it
    other = make_patient(unit, 2, "Ola", "Hansen")
    locked, other_token = invite(unit, other)
    phone.goto(reverse("patient:start", kwargs={"token": other_token}))
    for _ in range(5):
        type_birth_date(phone, "01", "01", "2000")
    assert phone.locator("#link-locked").is_visible()
    screenshot(phone, "patient-09-locked")
    locked.refresh_from_db()
    assert locked.state == State.LOCKED

    # the clinician sees the report on the patient page, marked as the patient's own
    page = logged_in
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    row = page.locator("tr", has_text=re.compile("reported by the patient", re.IGNORECASE))
    assert row.count() == 1  # the report, marked as the patient's own
    assert f"DLQI {report.dlqi_total}" in " ".join(row.inner_text().split())
    screenshot(page, "patient-10-clinician-sees-report")


def test_the_patient_answers_on_the_clinic_tablet(phone, unit, screenshot):
    patient = make_patient(unit, 3)
    invitation, _token = invite(unit, patient, channel="tablet")
    phone.goto(reverse("patient:tablet"))
    assert phone.locator("main a").count() == 0  # nothing to leave by
    screenshot(phone, "patient-tablet-01-neutral")
    phone.fill("#id_code", "WRONG234")
    with phone.expect_navigation():
        phone.click("#tablet-go")
    assert phone.locator("#tablet-wrong").is_visible()
    phone.fill("#id_code", invitation.short_code.lower())
    with phone.expect_navigation():
        phone.click("#tablet-go")
    screenshot(phone, "patient-tablet-02-birth-date")
    type_birth_date(phone, "14.03.1985", "", "")  # all in the first box
    answer_and_submit(phone, screenshot, "patient-tablet")
    assert phone.locator("#p-to-tablet").is_visible()
    screenshot(phone, "patient-tablet-07-thanks")
    assert not [c for c in phone.context.cookies() if c["name"] == "hsreg_patient"]
    # back at the neutral screen by itself (meta refresh), nothing of the patient there
    phone.wait_for_url("**/p/tablet/", timeout=20_000)
    assert phone.locator("#id_code").input_value() == ""
    assert "Kari" not in phone.locator("body").inner_text()
    screenshot(phone, "patient-tablet-08-neutral-again")
    report = PatientReport.objects.get(patient=patient)
    assert report.reported_channel == "tablet"
