"""Cross-unit registration and sharing in a real browser (issue 11 point 1): a registrar of
unit A registers the number of unit B's patient, gives the care relationship in the form's
second step, sees that B holds forms but not what they say, records the patient's consent
and then reads B's form, labelled with B and without a way to correct it. Screenshots at a
phone's (390 px) and a tablet's (768 px) width."""

from __future__ import annotations

from datetime import date

import pytest

from hsreg.assessments.models import DoctorAssessment
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.units.models import Unit

pytestmark = pytest.mark.browser
B_ONLY = "NOTAT-FRA-UNN"


@pytest.fixture
def b_patient(transactional_db):
    b = Unit.objects.create(
        resh_id=700922, name="Hudavdelingen, UNN", health_trust="UNN", region="nord"
    )
    patient = register_patient(
        unit=b,
        national_id=synthetic_number(date(1979, 6, 2), 123),
        first_name="Berit",
        last_name="Skjult",
    )
    save_record(
        record=DoctorAssessment(
            patient=patient, unit=b, date=date(2026, 9, 1), comment=B_ONLY, nodules=2,
            abscesses=1, draining_tunnels=0,
        ),
        actor=None,
        finish=True,
    )  # fmt: skip
    return patient


def widths(page, screenshot, name: str, part: str) -> None:
    """Screenshots at 390 and 768 px; the part this flow adds (``part``, a selector) fits the
    width, and the page as a whole does not scroll sideways."""
    for width in (390, 768):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        right = page.evaluate(f"document.querySelector('{part}').getBoundingClientRect().right")
        assert right <= width, f"{part} of {name} is wider than {width} px"
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width, f"{name} scrolls sideways at {width} px ({page_width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_registering_another_units_patient_and_opening_their_forms_with_consent(
    logged_in, b_patient, screenshot
):
    page = logged_in
    page.goto("/patients/new/")
    page.fill("#id_national_id", b_patient.national_id)
    page.fill("#id_first_name", "Berit")
    page.fill("#id_last_name", "Skjult")
    with page.expect_navigation():
        page.click("#patient-form button.primary")
    # the second step: the care relationship, and nothing of unit B
    assert page.locator("#id_care_relationship").is_visible()
    assert "UNN" not in page.content()
    widths(page, screenshot, "sharing-relationship-step", "#patient-form")
    page.select_option("#id_care_relationship", "referral")
    page.fill("#id_note", "vurdering av kirurgi")
    with page.expect_navigation():
        page.click("#patient-form button.primary")
    page.wait_for_selector("#sharing")
    assert "Hudavdelingen, UNN" in page.locator("#hidden-forms").inner_text()
    assert B_ONLY not in page.content()
    widths(page, screenshot, "sharing-without-consent", "#sharing")

    page.fill("#id_reason", "samtykke gitt i konsultasjonen")
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("#consent-form button[type=submit]")
    assert page.locator("#sharing-consent").is_visible()
    label = page.locator("#forms .unit-label")
    assert "Hudavdelingen, UNN" in label.inner_text()
    widths(page, screenshot, "sharing-with-consent", "#forms")

    with page.expect_navigation():
        page.click("#forms tbody tr a")
    assert "Hudavdelingen, UNN" in page.locator("#other-unit").inner_text()
    assert page.locator("#record-actions a[href$='/correct/']").count() == 0
    assert B_ONLY in page.content()  # read-only, with the consent
    widths(page, screenshot, "sharing-other-units-form", "#other-unit")
