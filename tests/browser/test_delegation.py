"""H-resept delegation in real Chromium (issue 15, "Done when"; TX-6): a private practice
requests approval for a patient from the patient page, seeing TX-6's eligibility summary with
its rule ids; the region's university hospital department finds it on its worklist, reads
it and approves it (each logged in as themselves); the practice then starts the course with
no guard. Without an approval the same start is stopped by the guard's TX-6 H-resept finding
and nothing is saved."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from hsreg.accounts.services import create_user
from hsreg.delegations.models import Delegation, DelegationStatus, RegionalDepartment
from hsreg.delegations.services import request_delegation
from hsreg.patients.services import register_patient
from hsreg.treatments.models import DrugCourse
from hsreg.units.models import Unit, UnitKind
from tests.delegations.conftest import actor as actor_of
from tests.registry.conftest import make_number
from tests.registry.test_safety_guards import eligible
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def practice(transactional_db):
    return Unit.objects.create(
        resh_id=9712248,
        name="Bergen Hudlegekontor",
        health_trust="Avtalespesialist, Helse Vest RHF",
        region="vest",
        kind=UnitKind.PRIVATE,
    )


@pytest.fixture
def department(unit):
    """``unit`` (Haukeland, Helse Vest) decides the region's H-resept requests."""
    RegionalDepartment.objects.create(region="vest", unit=unit)
    return unit


def member(username: str, unit: Unit, email: str):
    user = create_user(
        username=username,
        password=PASSWORD,
        units=[unit],
        first_name=username.capitalize(),
        last_name="Test",
        email=email,
    )
    enrol_totp(user)
    return user


@pytest.fixture
def specialist(practice):
    return member("spesialist", practice, "spes@praksis.test")


@pytest.fixture
def doctor(department):
    return member("overlege", department, "lege@haukeland.test")


@pytest.fixture
def patient(practice, specialist):
    """TX-6 eligible, screened and vaccinated: only the H-resept approval can stop the start."""
    patient = register_patient(
        unit=practice, national_id=make_number(52), first_name="Sigrid", last_name="Lunde"
    )
    eligible(patient, specialist)
    return patient


def english(context, live_server) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


@pytest.fixture
def cast(specialist, doctor, patient):
    """The practice's specialist, the department's doctor and the practice's patient."""
    return SimpleNamespace(specialist=specialist, doctor=doctor, patient=patient)


def start_adalimumab(page, patient) -> None:
    new = reverse("records:new", kwargs={"patient_id": patient.pk, "kind": "drug-course"})
    page.goto(new)
    page.select_option("[name=drug]", "adalimumab")
    page.select_option("[name=regimen]", "weekly_40")
    with page.expect_navigation():
        page.click("button[name=action][value=finish]")


def test_a_request_approved_by_the_department_then_a_course_without_a_guard(
    page, browser, live_server, cast, screenshot
):
    specialist, doctor, patient = cast.specialist, cast.doctor, cast.patient
    english(page.context, live_server)
    log_in(page, specialist)

    # the practice asks from the patient page, with TX-6's summary shown before sending
    page.goto(reverse("patients:detail", args=[patient.pk]))
    with page.expect_navigation():
        page.click("#delegation-link a")
    summary = page.locator("#eligibility-summary")
    expect(summary).to_contain_text("TX-6")
    expect(summary).to_contain_text("eligible")
    expect(summary.locator("tr[data-criterion]")).to_have_count(5)
    screenshot(page, "delegation-request")
    page.select_option("[name=drug]", "adalimumab")
    with page.expect_navigation():
        page.click("#delegation-request-form button[type=submit]")
    delegation = Delegation.objects.get()
    expect(page.locator("#delegation-status")).to_contain_text("Pending")

    # the department, logged in as its doctor, finds it on its worklist and approves it
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    english(context, live_server)
    department_page = context.new_page()
    try:
        log_in(department_page, doctor)
        with department_page.expect_navigation():
            department_page.click("#menu-delegations")
        row = department_page.locator(f"#pending-requests tr[data-delegation='{delegation.pk}']")
        expect(row).to_contain_text("Lunde, Sigrid")
        with department_page.expect_navigation():
            row.get_by_role("link", name=f"#{delegation.pk}").click()
        expect(department_page.locator("#eligibility-summary")).to_contain_text("TX-6")
        screenshot(department_page, "delegation-decision")
        with department_page.expect_navigation():
            department_page.click("#approve-form button[name=approve]")
        expect(department_page.locator("#delegation-status")).to_contain_text("Approved")
    finally:
        context.close()
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.APPROVED

    # the practice starts the course: no guard, saved at once
    start_adalimumab(page, patient)
    page.wait_for_url(f"**{reverse('patients:detail', args=[patient.pk])}")
    expect(page.locator("#course-guard")).to_have_count(0)
    course = DrugCourse.objects.get(patient=patient, drug="adalimumab")
    assert course.overridden == []


def test_a_course_without_approval_is_stopped_by_the_guard(page, live_server, cast, screenshot):
    specialist, patient = cast.specialist, cast.patient
    english(page.context, live_server)
    log_in(page, specialist)
    start_adalimumab(page, patient)
    guard = page.locator("#course-guard")
    expect(guard).to_be_visible()
    expect(guard.locator(".guard-rule[data-rule='TX-6']")).to_contain_text("H-resept")
    expect(guard).to_contain_text("Hudavdelingen, Haukeland")
    screenshot(page, "delegation-guard")
    assert not DrugCourse.objects.filter(patient=patient, drug="adalimumab").exists()


def test_the_delegation_pages_have_no_serious_axe_violation_on_a_desktop_and_a_phone(
    browser, live_server, cast
):
    """The practice's request and list, the department's worklist, decision page and the
    delegated patient's summary, checked with axe at 1,280 and 390 px (screenshots at 390 and
    768 px: build/screenshots/delegation-*)."""
    from .test_accessibility import SCREENSHOTS, violations

    specialist, doctor, patient = cast.specialist, cast.doctor, cast.patient
    delegation = request_delegation(
        actor=actor_of(specialist), patient=patient, drug="adalimumab", site=live_server.url
    )
    found: list[str] = []
    for user, urls in (
        (
            specialist,
            {
                "request": reverse("delegations:request", args=[patient.pk]),
                "practice-list": reverse("delegations:index"),
            },
        ),
        (
            doctor,
            {
                "worklist": reverse("delegations:index"),
                "detail": reverse("delegations:detail", args=[delegation.pk]),
                "summary": reverse("delegations:patient", args=[delegation.pk]),
            },
        ),
    ):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            log_in(page, user)
            for name, url in urls.items():
                for width in (1280, 390, 768):
                    page.set_viewport_size({"width": width, "height": 900})
                    response = page.goto(url)
                    assert response is not None, url
                    assert response.status == 200, url
                    if width != 768:
                        found.extend(violations(page))
                    if width != 1280:
                        page.screenshot(
                            path=str(SCREENSHOTS / f"delegation-{name}-{width}.png"),
                            full_page=True,
                        )
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth > window.innerWidth + 1"
                    )
                    assert not overflow, f"{url} scrolls sideways at {width} px"
        finally:
            context.close()
    assert not found, "\n".join(found)
