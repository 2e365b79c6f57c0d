"""Issue 11 point 3 in a real browser: a double-click on a form's button sends the page once
(the button disables itself, the pressed button's action still goes along) and stores one
record; Back to a saved new form and saving it again stores no second record; two tabs on one draft: the second save gets the conflict page with both values, and
saving from there saves over the newer version on purpose. Screenshots of the conflict page
at 390 and 768 px wide."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from playwright.sync_api import expect

from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.treatments.models import LabCheck
from tests.registry.conftest import make_number

pytestmark = pytest.mark.browser


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(11), first_name="Ola", last_name="Hansen"
    )


def test_a_double_click_on_finish_stores_one_finished_record(logged_in, patient):
    """The second click comes while the first request is on the wire (held here until both
    clicks are done, then each request is sent to the server even if the browser gave it up
    for the second: a request on the wire reaches the server all the same)."""
    page = logged_in
    page.goto(f"/patients/{patient.pk}/forms/lab-check/new/")
    page.select_option("[name=abnormal]", "false")
    page.fill("[name=note]", "dobbeltklikk")
    held = []
    page.route("**/forms/lab-check/new/", lambda route: held.append(route))  # noqa: PLW0108
    finish = "button[name=action][value=finish]"

    page.locator(finish).scroll_into_view_if_needed()
    box = page.locator(finish).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)  # again, while the first answer is awaited
    page.wait_for_timeout(300)
    for route in held:
        answer = route.fetch(max_redirects=0)
        with contextlib.suppress(Exception):  # the browser may have moved on to the second
            route.fulfill(response=answer)

    page.wait_for_url(f"**/patients/{patient.pk}/")
    stored = LabCheck.objects.filter(patient=patient)
    assert stored.count() == 1
    assert stored.get().status == Status.FINISHED  # the pressed button's action went along
    assert stored.get().note == "dobbeltklikk"


def test_back_and_resubmit_of_a_new_form_goes_to_the_record_it_saved(logged_in, patient):
    page = logged_in
    page.goto(f"/patients/{patient.pk}/forms/lab-check/new/")
    page.fill("[name=note]", "første gang")
    with page.expect_navigation():
        page.click("button[name=action][value=draft]")
    page.wait_for_url(f"**/patients/{patient.pk}/")

    page.go_back()  # the browser fetches the form again (no page of hsreg is cached)
    page.wait_for_selector("#record-form")
    page.fill("[name=note]", "andre gang")
    with page.expect_navigation():
        page.click("button[name=action][value=draft]")

    record = LabCheck.objects.get(patient=patient)  # one, not two
    assert record.note == "første gang"
    expect(page.locator("#record-form")).to_be_visible()  # the saved draft, opened
    assert page.url.endswith(f"/forms/lab-check/{record.pk}/edit/")


def test_the_buttons_disable_themselves_after_the_first_click(logged_in, patient):
    page = logged_in
    page.goto(f"/patients/{patient.pk}/forms/lab-check/new/")
    # keep the page (the form's own handler has run by then), to look at it after the click
    page.evaluate(
        "document.getElementById('record-form')"
        ".addEventListener('submit', function (e) { e.preventDefault(); })"
    )
    page.click("button[name=action][value=draft]")
    expect(page.locator("button[name=action][value=draft]")).to_be_disabled()
    expect(page.locator("button[name=action][value=finish]")).to_be_disabled()
    assert page.locator("input[data-pressed][name=action]").get_attribute("value") == "draft"


def test_two_tabs_on_one_draft_give_the_conflict_page_with_both_values(
    logged_in, patient, unit, screenshot
):
    draft = save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1), note="lastet"),
        actor=None,
        finish=False,
    )
    path = f"/patients/{patient.pk}/forms/lab-check/{draft.pk}/edit/"
    first = logged_in
    second = first.context.new_page()
    first.goto(path)
    second.goto(path)

    first.fill("[name=note]", "fra fane 1")
    with first.expect_navigation():
        first.click("button[name=action][value=draft]")
    second.fill("[name=note]", "fra fane 2")
    with second.expect_navigation():
        second.click("button[name=action][value=draft]")

    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible()
    row = second.locator("#conflict-differences tr[data-field=note]")
    expect(row.locator("td.stored")).to_have_text("fra fane 1")
    expect(row.locator("td.typed")).to_have_text("fra fane 2")
    expect(second.locator("[name=note]")).to_have_value("fra fane 2")  # nothing typed is lost
    assert LabCheck.objects.get(pk=draft.pk).note == "fra fane 1"
    for width in (390, 768):
        second.set_viewport_size({"width": width, "height": 900})
        screenshot(second, f"conflict-{width}")
        overflow = second.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the conflict page scrolls sideways at {width} px"

    with second.expect_navigation():
        second.click("button[name=action][value=draft]")  # over the newer version, on purpose
    second.wait_for_url(f"**/patients/{patient.pk}/")
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.version) == ("fra fane 2", 3)
