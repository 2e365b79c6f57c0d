"""The point-of-care flow in a real browser: register a doctor's assessment with region counts
and watch IHS4 (ST-2) and the worst Hurley stage (ST-1) update while typing, save, then see the
timeline and the guideline panel; a patient on adalimumab since day 77 is on the worklist for
the 12-week evaluation (TX-9)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from hsreg.assessments.models import DoctorAssessment, RegionFinding
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import DrugCourse, Intervention
from tests.registry.conftest import make_number

pytestmark = pytest.mark.browser


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(7), first_name="Ola", last_name="Hansen"
    )


def live_value(page, element_id: str) -> str:
    return page.locator(f"#{element_id}").get_attribute("data-value") or ""


def test_st2_live_ihs4_and_hurley_while_typing_then_timeline_and_panel(
    logged_in, patient, screenshot
):
    page = logged_in
    page.goto(f"/patients/{patient.pk}/")
    page.click("#new-form-links [data-kind=doctor-assessment]")
    page.wait_for_selector("#record-form")

    page.fill("[name='axilla_left-nodules']", "2")
    expect(page.locator("#live-ihs4")).to_have_attribute("data-value", "2")
    assert page.locator("#live-ihs4-category").get_attribute("data-value") == "mild"

    page.fill("[name='axilla_left-abscesses']", "1")  # 2 + 2*1 = 4: moderate from 4 (ST-2)
    expect(page.locator("#live-ihs4")).to_have_attribute("data-value", "4")
    assert live_value(page, "live-ihs4-category") == "moderate"

    page.fill("[name='groin_right-draining_tunnels']", "2")  # 4 + 4*2 = 12: severe from 11
    page.select_option("[name='axilla_left-hurley']", "1")
    page.select_option("[name='groin_right-hurley']", "3")
    expect(page.locator("#live-ihs4")).to_have_attribute("data-value", "12")
    expect(page.locator("#live-hurley")).to_have_attribute("data-value", "3")
    assert live_value(page, "live-ihs4-category") == "severe"
    assert live_value(page, "live-an") == "3"
    screenshot(page, "doctor-assessment-live")

    page.click("button[name=action][value=finish]")
    page.wait_for_selector("#guideline-panel")
    stored = DoctorAssessment.objects.get(patient=patient)
    assert (stored.ihs4, stored.hurley, stored.status) == (12, 3, "finished")
    assert page.locator("#timeline svg").count() == 1
    assert page.locator("#staging").inner_text().count("12") >= 1
    screenshot(page, "patient-page")


def test_tx9_worklist_shows_the_patient_due_for_the_12_week_evaluation(
    logged_in, patient, unit, screenshot
):
    start = date.today() - timedelta(days=79)

    def regions(record):
        RegionFinding.objects.create(
            assessment=record, region="axilla_right", nodules=6, abscesses=2, hurley=2
        )

    save_record(
        record=DoctorAssessment(patient=patient, unit=unit, date=start),
        actor=None,
        finish=True,
        children=regions,
    )
    save_record(
        record=DrugCourse(patient=patient, unit=unit, drug="adalimumab", date=start),
        actor=None,
        finish=True,
    )
    page = logged_in
    page.goto("/")
    page.click("a[href='/worklists/evaluations/']")
    row = page.locator("[data-worklist=evaluations] tbody tr")
    assert row.count() == 1
    assert "Hansen, Ola" in row.inner_text()
    assert "TX-9" in row.inner_text()
    screenshot(page, "worklist-evaluations")
    row.locator("a").first.click()
    page.wait_for_selector("#response")
    assert page.locator("#response").get_attribute("data-decision") == "not_due"


def test_a_control_not_possible_hides_the_rest_and_saves_its_reason(
    logged_in, patient, unit, screenshot
):
    """Issue 16: a 3-month control that could not be done asks only why, at 390 px too."""
    done = save_record(
        record=Intervention(
            patient=patient, unit=unit, date=date.today() - timedelta(days=95), type=2
        ),
        actor=None,
        finish=True,
    )
    page = logged_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(
        f"/patients/{patient.pk}/forms/doctor-assessment/new/?occasion=3m&intervention={done.pk}"
    )
    page.wait_for_selector("#record-form")
    expect(page.locator("#region-grid")).to_be_visible()
    expect(page.locator("[name=impossible_reason]")).to_be_hidden()
    page.select_option("[name=control_possible]", "0")
    expect(page.locator("#region-grid")).to_be_hidden()
    expect(page.locator("[name=weight_kg]")).to_be_hidden()
    expect(page.locator("[name=impossible_reason]")).to_be_visible()
    wider = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert wider <= 0
    page.select_option("[name=impossible_reason]", "1")
    screenshot(page, "control-not-possible")
    page.click("button[name=action][value=finish]")
    page.wait_for_selector("#guideline-panel")
    stored = DoctorAssessment.objects.get(patient=patient)
    assert (stored.control_possible, stored.impossible_reason, stored.status) == (0, 1, "finished")
