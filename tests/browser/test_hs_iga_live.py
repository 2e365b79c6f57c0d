"""XB-7 in a real browser: the doctor's assessment grades HS-IGA while the region grid is typed
(the higher of the upper- and lower-body counts sets the grade; the region "other" is added to
the higher), marked beyond the NFDV guideline (2019) with its source; once finished, the
patient page's part beyond the guideline shows the same grade."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hsreg.assessments.models import DoctorAssessment
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

pytestmark = pytest.mark.browser


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(11), first_name="Kari", last_name="Berg"
    )


def test_xb7_hs_iga_while_typing_then_on_the_patient_page(logged_in, patient, screenshot):
    page = logged_in
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto(f"/patients/{patient.pk}/")
    page.click("#new-form-links [data-kind=doctor-assessment]")
    page.wait_for_selector("#record-form")
    grade = page.locator("#live-hs-iga")
    expect(grade).to_have_attribute("data-value", "")  # nothing typed: no HS-IGA

    page.fill("[name='axilla_left-nodules']", "1")  # upper body 1: grade 0 (0-1)
    expect(grade).to_have_attribute("data-value", "0")
    page.fill("[name='axilla_left-abscesses']", "1")  # upper body 2: grade 1 (2-5)
    expect(grade).to_have_attribute("data-value", "1")
    page.fill("[name='groin_right-nodules']", "5")  # lower body 5, the higher: still 1
    expect(page.locator("#live-hs-iga-counts")).to_contain_text("upper body 2, lower body 5")
    expect(grade).to_have_attribute("data-value", "1")
    page.fill("[name='other-nodules']", "1")  # added to the higher: 6, grade 2 (6-10)
    expect(grade).to_have_attribute("data-value", "2")
    expect(page.locator("#live-hs-iga-counts")).to_contain_text("other 1 (added to the higher)")
    source = page.locator("#live-hs-iga-source")
    expect(source).to_contain_text("Beyond the NFDV guideline (2019)")
    expect(source).to_contain_text("Garg et al.")
    expect(page.locator("#live-hs-iga-score .rule")).to_have_text("XB-7")
    screenshot(page, "hs-iga-live")

    for region in ("axilla_left", "groin_right", "other"):  # a region with lesions: Hurley
        page.select_option(f"[name='{region}-hurley']", "1")
    page.click("button[name=action][value=finish]")
    page.wait_for_selector("#guideline-panel")
    assert DoctorAssessment.objects.get(patient=patient).status == "finished"
    part = page.locator("#beyond-guideline [data-part='hs-iga']")
    expect(part.locator("[data-value='hs-iga']")).to_have_text("2")
    expect(part).to_contain_text("XB-7")
