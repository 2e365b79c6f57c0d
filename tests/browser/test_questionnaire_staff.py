"""The clinic's side of the patients' questionnaires (issue 13 points 2–4) in real Chromium, as
a registrar on a 768 px tablet and a 390 px phone: from the patient page to the patient's
questionnaire page; a bad mobile number refused at its field (what was typed kept), then a
good one saved; the status form sent by SMS with a double click on Send (one invitation, one
SMS once the queued jobs have run, naming neither the patient nor the diagnosis), listed as
open, withdrawn; a clinic-tablet invitation with its short code and QR code, then "Hand over
this tablet": the clinician is logged out, the device shows the patient's birth-date page
only, and Back shows none of the clinician's pages. The unit leader turns on "send patient
controls automatically" with the keyboard only and sees the unit's figures.

No page scrolls sideways at 390 px; the patient's controls are at least 44 px high.
Screenshots: build/screenshots/staff-questionnaires-*-<width>.png."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hsreg.accounts.actor import system_actor
from hsreg.patients.services import register_patient
from hsreg.questionnaires import services, sms
from hsreg.questionnaires.answers import validate_screen
from hsreg.questionnaires.definitions import screens
from hsreg.questionnaires.models import Channel, Form, Invitation, Purpose, State
from hsreg.units.models import Unit
from tests.jobs.running import run_ready_jobs
from tests.registry.conftest import make_number

from .conftest import log_in

pytestmark = pytest.mark.browser

BORN = date(1985, 3, 14)
WIDTHS = {390: 844, 768: 1024}
#: the status form's answers, screen by screen, as the patient's pages post them
STATUS_ANSWERS = [
    {"smoking": "2", "work": "1"},
    {
        "boils_last_4_weeks": "3",
        "worst_boil_pain": "7",
        "vas_total": "5",
        "vas_axilla_right": "4",
        "vas_axilla_left-unknown": "1",
        "vas_groin_right": "0",
        "vas_groin_left": "2.5",
        "vas_other": "0",
    },
    {
        **{f"dlqi_{n}": code for n, code in zip(range(1, 7), "234435", strict=True)},
        "dlqi_7": "0",
        "dlqi_7_problems": "3",
        "dlqi_8": "4",
        "dlqi_9": "5",
        "dlqi_10": "4",
    },
]
#: the patient's controls that must be large enough for a finger (issue 13 point 4)
PATIENT_CONTROLS = (".p-option", ".p-button", "#p-lang", "input.p-number", "#id_code")


def sideways(page) -> int:
    """How far the page itself scrolls sideways, in px (0: it fits the window)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def small_controls(page) -> list[str]:
    """The patient's visible controls lower than 44 px (WCAG 2.5.5's target size)."""
    small = []
    for selector in PATIENT_CONTROLS:
        for box in page.locator(selector).all():
            if box.is_visible() and box.bounding_box()["height"] < 44:
                small.append(selector)
    return small


def answer_all_screens(invitation: Invitation) -> None:
    """Keeps every screen's answers as the patient's pages would (validated the same way), so
    the review page is next."""
    answers: dict[str, str] = {}
    for screen, posted in zip(
        screens(invitation.form, instrument="dlqi", lang="nb"), STATUS_ANSWERS, strict=True
    ):
        kept, errors = validate_screen(screen, posted, earlier=answers, lang="nb")
        assert not errors, errors
        answers.update(kept)
    services.save_progress(invitation=invitation, answers=answers)


def make_patient(unit: Unit, n: int, first: str = "Kari", last: str = "Nordmann"):
    return register_patient(
        unit=unit, national_id=make_number(n, BORN), first_name=first, last_name=last
    )


def type_birth_date(page, day: str, month: str, year: str) -> None:
    page.fill("#id_day", day)
    page.fill("#id_month", month)
    page.fill("#id_year", year)
    with page.expect_navigation():
        page.click("#birth-date-submit")


def patient_pages(page, unit: Unit, *, n: int) -> Iterator[str]:
    """Shows the patient's pages one by one in ``page`` and yields each one's name while it is
    shown (test_accessibility and test_small_screens check each): the birth date, a screen,
    the review, the thanks, the clinic tablet's neutral screen and the access log. A new
    patient (``n``: the national id's serial) born on BORN, so the form is the adult's DLQI."""
    patient = make_patient(unit, n, "Siri", "Svarer")
    invitation, token = services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel=Channel.LINK, form=Form.STATUS
    )
    page.goto(f"/p/{token}/")
    yield "birth-date"
    type_birth_date(page, str(BORN.day), str(BORN.month), str(BORN.year))
    assert "/s/1/" in page.url
    yield "screen"
    answer_all_screens(invitation)
    page.goto(f"/p/{token}/review/")
    yield "review"
    with page.expect_navigation():
        page.click("#p-submit")
    page.wait_for_selector("#thanks")
    yield "thanks"
    page.goto("/p/tablet/")
    yield "tablet"
    _log, log_token = services.create_invitation(
        actor=system_actor(),
        unit=unit,
        patient=patient,
        channel=Channel.LINK,
        purpose=Purpose.ACCESS_LOG,
    )
    page.goto(f"/p/{log_token}/")
    type_birth_date(page, str(BORN.day), str(BORN.month), str(BORN.year))
    assert page.url.endswith("/log/")
    yield "access-log"


def run_jobs() -> list[sms.Sms]:
    """The SMS sent once every queued job has run (one held back for the night too)."""
    DBTaskResult.objects.update(run_after=timezone.now())
    run_ready_jobs()
    return list(sms.outbox)


@pytest.fixture
def outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def double_click(page, selector: str, url_glob: str) -> None:
    """Two clicks on ``selector``, the second while the first request is on the wire (both
    requests held until both clicks are done, then each sent on to the server)."""
    held = []
    page.route(url_glob, lambda route: held.append(route))  # noqa: PLW0108
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.unroute(url_glob)
    for route in held:
        answer = route.fetch(max_redirects=0)
        with contextlib.suppress(Exception):  # the browser may have moved on to the second
            route.fulfill(response=answer)


@pytest.mark.usefixtures("outbox")
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_a_registrar_sends_withdraws_and_hands_over_the_tablet(
    page, clinician, unit, screenshot, width
):
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    patient = make_patient(unit, 1)
    log_in(page, clinician)
    page.goto(f"/patients/{patient.pk}/")
    with page.expect_navigation():
        page.click("#questionnaires-link a")
    assert page.url.endswith(f"/questionnaires/patient/{patient.pk}/")
    assert sideways(page) == 0
    screenshot(page, f"staff-questionnaires-patient-{width}")

    # a bad mobile number: refused at its field, what was typed kept
    page.fill("#id_mobile", "1234")
    with page.expect_navigation():
        page.click("#contact-form button[type=submit]")
    assert page.locator("#field-mobile [data-field=mobile]").is_visible()
    assert page.input_value("#id_mobile") == "1234"
    assert sideways(page) == 0
    screenshot(page, f"staff-questionnaires-bad-mobile-{width}")
    page.fill("#id_mobile", "412 34 567")
    with page.expect_navigation():
        page.click("#contact-form button[type=submit]")
    assert page.locator("[data-field=mobile]").count() == 0
    patient.refresh_from_db()
    assert patient.mobile == "+4741234567"

    # the status form by SMS, Send clicked twice: one invitation, one SMS
    page.select_option("#id_form", Form.STATUS)
    page.check("input[name=channel][value=sms]")
    double_click(page, "#send-form button[type=submit]", "**/send/")
    page.wait_for_url(f"**/questionnaires/patient/{patient.pk}/#invitations")
    sent = Invitation.objects.get(patient=patient)
    assert (sent.channel, sent.form, sent.state) == (Channel.SMS, Form.STATUS, State.OPEN)
    (message,) = run_jobs()
    assert message.to == "+4741234567"
    assert services.link_for(services.token_of(sent)) in message.body
    for private in ("Kari", "Nordmann", "hidradenitt", "HISREG"):
        assert private.lower() not in message.body.lower()
    row = page.locator(f"tr[data-invitation='{sent.pk}']")
    assert row.get_attribute("data-state") == State.OPEN
    assert sideways(page) == 0
    screenshot(page, f"staff-questionnaires-sent-{width}")

    # withdrawn: the row says so, and the link opens nothing
    with page.expect_navigation():
        row.locator(".withdraw-form button").click()
    sent.refresh_from_db()
    assert sent.state == State.CLOSED
    assert row.get_attribute("data-state") == State.CLOSED
    assert row.locator(".withdraw-form").count() == 0

    # the clinic tablet: the short code and the QR code, then the device handed over
    page.check("input[name=channel][value=tablet]")
    with page.expect_navigation():
        page.click("#send-form button[type=submit]")
    tablet = Invitation.objects.get(patient=patient, channel=Channel.TABLET)
    assert page.url.endswith(f"/questionnaires/invitation/{tablet.pk}/tablet/")
    code = page.locator("#short-code").inner_text()
    assert re.sub(r"\W", "", code) == tablet.short_code
    assert page.locator("#tablet-qr svg").is_visible()
    assert page.locator("#tablet-qr svg").bounding_box()["width"] >= 150
    assert sideways(page) == 0
    screenshot(page, f"staff-questionnaires-tablet-{width}")

    with page.expect_navigation():
        page.click("#hand-over-form button[type=submit]")
    page.wait_for_selector("#id_day")
    assert "/p/" in page.url
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    body = page.locator("body").inner_text()
    assert "Kari" not in body
    assert "Liv" not in body
    assert page.locator("a[href^='/patients'], a[href^='/questionnaires']").count() == 0
    assert sideways(page) == 0
    assert not small_controls(page)
    screenshot(page, f"staff-questionnaires-handed-over-{width}")

    # Back shows none of the clinician's pages: the tablet page asks for a login
    page.go_back()
    page.wait_for_load_state()
    assert "/login/" in page.url
    assert tablet.short_code not in re.sub(r"\W", "", page.locator("body").inner_text())
    assert "Kari" not in page.locator("body").inner_text()
    page.goto(f"/patients/{patient.pk}/")
    assert "/login/" in page.url


def test_the_unit_leader_turns_on_automatic_controls_by_keyboard(
    page, unit_leader, unit, screenshot
):
    patient = make_patient(unit, 2)
    services.set_contact(actor=system_actor(), patient=patient, mobile="+4799999999", email="")
    answered, _token = services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel=Channel.TABLET, form="status"
    )
    answered.answered_at = timezone.now()
    answered.save(update_fields=["answered_at"])
    services.create_invitation(
        actor=system_actor(),
        unit=unit,
        patient=make_patient(unit, 3),
        channel=Channel.TABLET,
        form="status",
    )
    assert not unit.invites_patients

    for width in (390, 768):
        page.set_viewport_size({"width": width, "height": WIDTHS[width]})
        if width == 390:
            log_in(page, unit_leader)
        page.goto("/questionnaires/")
        assert page.locator("#figures-total [data-col=sent]").inner_text() == "2"
        assert page.locator("#figures-total [data-col=answered]").inner_text() == "1"
        assert page.locator("#figures-total [data-col=open]").inner_text() == "1"
        assert page.locator("#figures-total [data-col=rate]").inner_text() == "100 %"
        assert sideways(page) == 0
        screenshot(page, f"staff-questionnaires-unit-{width}")

    # the keyboard only: Tab to the switch, Space, Tab to Save, Enter
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_invites_patients":
            break
    assert page.evaluate("document.activeElement.id") == "id_invites_patients"
    page.keyboard.press("Space")
    assert page.is_checked("#id_invites_patients")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('form').id") == "automatic-form"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    unit.refresh_from_db()
    assert unit.invites_patients
    assert page.is_checked("#id_invites_patients")
    assert page.locator(".messages").is_visible()
    screenshot(page, "staff-questionnaires-unit-on-768")
