"""XB-6 in a real browser: the clinic types a 14-year-old's report in the children's DLQI
(CDLQI), the live scores show its total with the CDLQI's band (not the DLQI's), and once it is
finished the patient page's guideline panel reads TX-6's C3 by the CDLQI (C3 under 16:
CDLQI ≥ 13), in the part beyond the NFDV guideline (2019)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hsreg.assessments.models import PatientReport
from hsreg.patients.services import register_patient
from tests.registry.test_cdlqi_form import number_for
from tests.registry.test_forms_assessments import REPORT
from tests.registry.test_patient_page import assessment

pytestmark = pytest.mark.browser

#: CDLQI items 1-6 and 8-10 (codes 1 very much ... 4 not at all, scored 3 ... 0)
ANSWERS = {
    "dlqi_1": "1",  # 3
    "dlqi_2": "1",  # 3
    "dlqi_3": "2",  # 2
    "dlqi_4": "2",  # 2
    "dlqi_5": "3",  # 1
    "dlqi_6": "4",  # 0
    "dlqi_8": "4",  # 0
    "dlqi_9": "3",  # 1
    "dlqi_10": "4",  # 0
}


@pytest.fixture
def teenager(unit):
    """A patient of 14 today: under 16, so the CDLQI (XB-6)."""
    today = timezone.localdate()
    born = today.replace(year=today.year - 14) - timedelta(days=30)
    return register_patient(
        unit=unit, national_id=number_for(born), first_name="Ola", last_name="Ung"
    )


def test_xb6_a_14_year_olds_report_is_the_cdlqi_with_its_band_then_c3_reads_it(
    logged_in, teenager, screenshot
):
    page = logged_in
    # today's doctor's assessment, which the report joins in the case document
    assessment(teenager, None, on=timezone.localdate(), nodules=3, abscesses=1, tunnels=0)
    page.goto(f"/patients/{teenager.pk}/")
    page.click("#new-form-links [data-kind=patient-report]")
    page.wait_for_selector("#record-form")
    expect(page.locator("#live-instrument")).to_contain_text("CDLQI")
    expect(page.locator("#live-instrument")).to_contain_text("XB-6")
    assert page.locator("[name='dlqi_7']").count() == 0  # the adult's item 7 is not asked

    for name, code in ANSWERS.items():
        page.select_option(f"[name='{name}']", code)
    # 12 so far: the CDLQI's "moderate" band (7-12), where a DLQI of 12 is "very large"
    expect(page.locator("#live-dlqi")).to_have_attribute("data-value", "12")
    expect(page.locator("#live-dlqi-band")).to_have_attribute("data-value", "moderate")

    page.select_option("[name='cdlqi_7_period']", "1")  # school time
    page.select_option("[name='cdlqi_7']", "6")  # prevented school: 3
    expect(page.locator("#live-dlqi")).to_have_attribute("data-value", "15")
    expect(page.locator("#live-dlqi-band")).to_have_attribute("data-value", "very_large")
    screenshot(page, "cdlqi-child-live")

    for name, value in REPORT.items():  # the rest of the report, as the registry tests type it
        if name == "date":
            continue
        field = page.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.click("button[name=action][value=finish]")
    page.wait_for_selector("#guideline-panel")
    report = PatientReport.objects.get(patient=teenager)
    assert (report.dlqi_instrument, report.dlqi_total, report.status) == ("cdlqi", 15, "finished")

    # the panel reads C3 by the CDLQI (XB-6), apart from the guideline's own parts
    cdlqi = page.locator("#beyond-guideline [data-part='cdlqi']")
    expect(cdlqi).to_contain_text("XB-6")
    expect(cdlqi).to_contain_text("CDLQI ≥ 13")
    expect(cdlqi.locator("[data-value='cdlqi']")).to_have_text("15")
    expect(cdlqi).to_have_attribute("data-status", "met")  # 15 >= 13
    assert page.locator("#measures").inner_text().count("CDLQI") >= 1
    c3 = page.locator("[data-criterion='C3']")
    expect(c3).to_have_attribute("data-status", "met")
    expect(c3).to_contain_text("CDLQI ≥ 13")
    screenshot(page, "cdlqi-child-panel")
