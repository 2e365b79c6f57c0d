"""The pages at the widths a clinic uses (issue 12): a 1,366 px laptop shows the report tables
whole, the report year's column included; a 768 px tablet and a 390 px phone show the patient
page, a form and a report page without the page itself scrolling sideways (a wide table
scrolls in its own box, which takes the keyboard focus), with the top bar wrapped, and the
live-score panel no longer sticky on the phone (it covered 590 of its 844 px). The same for the
patients' questionnaires (issue 13): the clinic's pages, and the patient's own pages, whose
controls are also at least 44 px high.

Screenshots: build/screenshots/small-<page>-<width>.png."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.patients.models import Patient
from hsreg.questionnaires import services
from hsreg.seeding.generator import generate
from hsreg.seeding.journey import Options
from hsreg.seeding.units import SHOWCASE, ensure_units
from hsreg.seeding.writer import write_chunk
from hsreg.units.models import Unit
from tests.signin import enrol_totp

from .conftest import PASSWORD, log_in
from .test_questionnaire_staff import patient_pages, small_controls

pytestmark = pytest.mark.browser

INDICATOR = "hisreg_reduksjon_ihs4"


@pytest.fixture
def registry(transactional_db):
    """Synthetic patients at the demo's units, and the showcase unit's leader."""
    ensure_units()
    write_chunk(list(generate(16, Options(seed=5, today=timezone.localdate()))), today=date.today())
    unit = Unit.objects.get(resh_id=SHOWCASE.resh_id)
    leader = create_user(
        username="leder",
        password=PASSWORD,
        units=[unit],
        role=Role.UNIT_LEADER,
        first_name="Lise",
        last_name="Leder",
    )
    enrol_totp(leader)
    patient = Patient.objects.filter(enrolments__unit=unit).order_by("pk").first()
    return leader, patient


def sideways(page) -> int:
    """How far the page itself scrolls sideways, in px (0: it fits the window)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_pages_fit_a_phone_a_tablet_and_a_laptop(page, registry, screenshot):
    leader, patient = registry
    tablet, _token = services.create_invitation(
        actor=system_actor(),
        unit=leader.current_unit,
        patient=patient,
        channel="tablet",
        form="status",
    )
    log_in(page, leader)
    pages = {
        "patient": f"/patients/{patient.pk}/",
        "form": f"/patients/{patient.pk}/forms/doctor-assessment/new/",
        "report": f"/reports/indicators/{INDICATOR}/",
        "audit": "/audit/",
        # the patients' questionnaires (issue 13): the clinic's pages
        "questionnaires-patient": f"/questionnaires/patient/{patient.pk}/",
        "questionnaires-unit": "/questionnaires/",
        "questionnaires-tablet": f"/questionnaires/invitation/{tablet.pk}/tablet/",
    }
    for width, height in ((390, 844), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url in pages.items():
            page.goto(url)
            assert sideways(page) == 0, f"{url} scrolls sideways at {width} px"
            # every box that scrolls can be reached with the keyboard
            unreachable = page.evaluate(
                """() => [...document.querySelectorAll('.scroll-x')]
                     .filter(b => b.scrollWidth > b.clientWidth + 1 && b.tabIndex < 0).length"""
            )
            assert unreachable == 0, url
            screenshot(page, f"small-{name}-{width}")
        # the top bar wraps: its links stay inside the window
        right = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('header.topbar *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= width

    # the patient's own pages (issue 13): no sideways scrolling, controls a finger can hit
    for serial, (width, height) in enumerate(((390, 844), (768, 1024)), start=901):
        page.set_viewport_size({"width": width, "height": height})
        for name in patient_pages(page, leader.current_unit, n=serial):
            assert sideways(page) == 0, f"{page.url} scrolls sideways at {width} px"
            assert not small_controls(page), f"{page.url}: {small_controls(page)} under 44 px"
            screenshot(page, f"small-patient-{name}-{width}")

    # the phone: the score panel scrolls away with the form instead of covering it
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(pages["form"])
    assert page.eval_on_selector("#live-scores", "e => getComputedStyle(e).position") == "static"
    assert not page.locator("#no-implicit-submit").is_visible()  # the hidden button stays hidden

    # a laptop: the report tables show every year without scrolling
    page.set_viewport_size({"width": 1366, "height": 768})
    for url in (f"/reports/indicators/{INDICATOR}/", "/reports/", "/open/"):
        page.goto(url)
        cut = page.evaluate(
            """() => [...document.querySelectorAll('table.report-table')]
                 .filter(t => t.closest('.scroll-x') &&
                              t.closest('.scroll-x').scrollWidth > t.closest('.scroll-x').clientWidth + 1)
                 .length"""
        )
        assert cut == 0, f"{url}: a report table is cut at 1366 px"
    page.goto(pages["report"])
    screenshot(page, "small-report-1366")
