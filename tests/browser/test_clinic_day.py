"""A clinic day in real Chromium (issue 12, "Done when"): the clinician logs in, opens a patient
from a worklist (RG-1 follow-ups), starts adalimumab for a patient who is not eligible (TX-6),
is shown what is missing by rule id before anything is saved and needs the override with a
reason (treatments.guards), lets the session expire while typing the reason and gets the form
back after logging in again (accounts.kept_forms), double-clicks the save (one course is
stored), finds the override on the patient page, and the pages fit a phone's 390 px without
scrolling sideways.
Screenshots go to build/screenshots as for the other browser tests."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hsreg.assessments.models import DoctorAssessment, RegionFinding
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention, InterventionType
from tests.accounts.conftest import code_at
from tests.registry.conftest import make_number
from tests.session_age import expire_browser
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser

REASON = "Severe flare; discussed with the patient, screening booked for next week"


@pytest.fixture
def patient(unit):
    """Mild HS (Hurley I, one nodule), no tetracycline course, no screening, no vaccines: TX-6
    is not met. A medical intervention 100 days ago waits for its 3-month control (RG-1), so
    the patient is on the follow-up worklist."""
    patient = register_patient(
        unit=unit, national_id=make_number(41), first_name="Ragnhild", last_name="Foss"
    )
    today = timezone.localdate()

    def region(record: DoctorAssessment) -> None:
        RegionFinding.objects.create(
            assessment=record,
            region="axilla_left",
            nodules=1,
            abscesses=0,
            draining_tunnels=0,
            hurley=1,
        )

    save_record(
        record=DoctorAssessment(
            patient=patient,
            unit=unit,
            date=today - timedelta(days=100),
            inflammatory_activity="mild",
        ),
        actor=None,
        finish=True,
        children=region,
    )
    save_record(
        record=Intervention(
            patient=patient,
            unit=unit,
            date=today - timedelta(days=100),
            type=InterventionType.MEDICAL,
        ),
        actor=None,
        finish=True,
    )
    return patient


@pytest.fixture
def english(page, live_server):
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    return page


def no_sideways_scroll(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def double_click_finish(page, path: str) -> None:
    """Two clicks on Finish, the second while the first request is on the wire (held until both
    clicks are done, then each held request is sent on, as in test_double_submit)."""
    held = []
    page.route(f"**{path}", lambda route: held.append(route))  # noqa: PLW0108
    finish = page.locator("button[name=action][value=finish]")
    finish.scroll_into_view_if_needed()
    box = finish.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.unroute(f"**{path}")
    for route in held:
        answer = route.fetch(max_redirects=0)
        with contextlib.suppress(Exception):  # the browser may have moved on to the second
            route.fulfill(response=answer)


def test_a_clinic_day(english, clinician, patient, screenshot):
    page = english
    log_in(page, clinician)

    # the follow-up worklist (RG-1) leads to the patient
    page.goto(reverse("worklists:list", args=["followups"]))
    row = page.locator("table[data-worklist=followups] tr", has_text="Foss, Ragnhild")
    expect(row).to_have_count(1)
    no_sideways_scroll(page, screenshot, "clinic-day-worklist")
    with page.expect_navigation():
        row.get_by_role("link", name="Foss, Ragnhild").click()
    assert page.url.endswith(reverse("patients:detail", args=[patient.pk]))

    # start adalimumab today: the guard lists what is missing (TX-6 first), nothing is saved
    new = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": "drug-course"})
    with page.expect_navigation():
        page.locator(f"a[href='{new}']").first.click()
    expect(page.locator("#course-guard-hint")).to_be_hidden()
    page.select_option("[name=drug]", "adalimumab")
    expect(page.locator("#course-guard-hint")).to_be_visible()
    page.select_option("[name=regimen]", "weekly_40")
    with page.expect_navigation():
        page.click("button[name=action][value=finish]")
    guard = page.locator("#course-guard")
    expect(guard).to_be_visible()
    rules = guard.locator(".guard-rule").evaluate_all(
        "rules => rules.map(r => r.getAttribute('data-rule'))"
    )
    assert rules[0] == "TX-6"
    assert {"SC-1", "SC-2", "VA-2"} <= set(rules)
    expect(guard).to_contain_text("C0 not met")
    expect(guard).to_contain_text("Tests not taken: haemoglobin")
    assert DrugCourse.objects.count() == 0
    screenshot(page, "clinic-day-guard")
    no_sideways_scroll(page, screenshot, "clinic-day-guard")

    # the override without a reason is refused; nothing is saved
    page.check("[name=override]")
    with page.expect_navigation():
        page.click("button[name=action][value=finish]")
    expect(page.locator("[data-field=override_reason]")).to_contain_text("Give the reason")
    assert DrugCourse.objects.count() == 0

    # the session expires while the reason is typed (accounts.sessions): Finish leads to the
    # login, and after password and code the form is back as typed, not saved (RG-3)
    page.check("[name=override]")
    page.fill("[name=override_reason]", REASON)
    expire_browser(page)
    page.click("#form-actions button[name=action][value=finish]")
    page.wait_for_url("**/login/**")
    expect(page.locator("#form-kept-notice")).to_be_visible()
    page.fill("#id_username", clinician.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/mfa/verify/**")
    page.fill("#id_code", code_at(enrol_totp(clinician), steps_ahead=1))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(f"**{new}")
    expect(page.locator("#form-kept")).to_be_visible()
    assert page.input_value("[name=drug]") == "adalimumab"
    assert page.input_value("[name=regimen]") == "weekly_40"
    assert page.input_value("[name=override_reason]") == REASON
    expect(page.locator("[name=override]")).to_be_checked()
    expect(page.locator("#course-guard")).to_contain_text("C0 not met")
    assert DrugCourse.objects.count() == 0
    screenshot(page, "clinic-day-form-back")

    # a double-click on Finish stores one course
    double_click_finish(page, new)
    page.wait_for_url(f"**{reverse('patients:detail', args=[patient.pk])}")
    course = DrugCourse.objects.get(patient=patient)
    assert (course.drug, course.override_reason) == ("adalimumab", REASON)
    assert "TX-6:C0" in course.overridden

    # the patient page shows the override: the reason, who and which rules
    notice = page.locator("#course-overrides")
    expect(notice).to_contain_text(REASON)
    expect(notice).to_contain_text("Liv Lege")
    expect(notice).to_contain_text("TX-6")
    expect(page.locator("#forms tr[data-kind=drug-course]")).to_contain_text(
        "Safety checks overridden"
    )
    screenshot(page, "clinic-day-patient")
    no_sideways_scroll(page, screenshot, "clinic-day-patient")

    # the course is ongoing and the screening missing: the screening worklist lists it, its
    # gaps in words, wrapped within the phone's width (it was 2,171 px of codes)
    page.goto(reverse("worklists:list", args=["screening"]))
    row = page.locator("table[data-worklist=screening] tr", has_text="Foss, Ragnhild")
    expect(row).to_contain_text("Tests not taken (SC-1): haemoglobin")
    expect(row).not_to_contain_text("leukocytes_differential")
    no_sideways_scroll(page, screenshot, "clinic-day-screening-worklist")
