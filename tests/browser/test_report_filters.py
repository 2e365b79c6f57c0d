"""The filters of the distributions and averages pages in a real browser (issue 16, point 3):
a unit leader sets sex and age with the keyboard only, the figures and their charts change and
say which filters they show, the own unit is compared with the rest of the country, a 390 px
phone shows the form without sideways scrolling, and axe-core finds no serious or critical
violation on the filtered pages.

Screenshots: build/screenshots/reports-filters.png, reports-filters-phone.png."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.reports import crafted

from .conftest import log_in
from .test_accessibility import axe_script, violations

pytestmark = pytest.mark.browser

YEAR = 2025
ON = date(YEAR, 3, 3)


def loaded(image) -> bool:
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    return image.evaluate("img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0")


@pytest.fixture
def registry(unit):
    """``unit``: 6 women and 6 men, each with an episode in March; another unit: 7 women."""
    other = crafted.unit(700922, region="nord", trust="UNN")
    for at, sex, n in ((unit, "female", 6), (unit, "male", 6), (other, "female", 7)):
        for _ in range(n):
            crafted.episode(
                at,
                ON,
                p=crafted.patient(at, sex=sex, born=None),
                before={"ihs4": 5, "hurley": 2},
                after={"ihs4": 2, "hurley": 1},
                before_report={"dlqi": 14, "vas": "6.0"},
                after_report={"dlqi": 7, "vas": "2.0", "satisfaction": 1},
            )
    return unit


def total_of(page, figure: str) -> str:
    """The "Total (N)" cell of a figure's table (in its closed <details>)."""
    cells = page.locator(f"#figure-{figure} tr.row-total td")
    return (cells.first.text_content() or "").strip()


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Tab forward until ``selector`` has the focus: the form is reached by keyboard alone."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_a_unit_leader_filters_the_distributions_by_keyboard(
    page, registry, unit_leader, screenshot
):
    log_in(page, unit_leader)
    page.goto(f"{reverse('reports:distributions')}?year={YEAR}")
    assert total_of(page, "distribution-intervention_type") == "19"
    before = page.locator("#figure-distribution-intervention_type img").get_attribute("src")

    page.focus("#report-year")
    tab_to(page, "#id_sex")
    while page.eval_on_selector("#id_sex", "s => s.value") != "male":
        page.keyboard.press("ArrowDown")
    tab_to(page, "#id_age_from")
    page.keyboard.type("18")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sex=male" in page.url
    assert "age_from=18" in page.url
    summary = page.locator("#filter-summary").inner_text()
    assert "Mann" in summary
    assert "18" in summary
    assert total_of(page, "distribution-intervention_type") == "6"
    image = page.locator("#figure-distribution-intervention_type img")
    after = image.get_attribute("src")
    assert after != before
    assert "sex=male" in after
    assert loaded(image)
    caption = page.locator("#figure-distribution-intervention_type figcaption").inner_text()
    assert "Mann" in caption
    screenshot(page, "reports-filters")

    # the own unit against the rest of the country: a checkbox, then the Show button
    tab_to(page, "#id_compare")
    page.keyboard.press("Space")
    tab_to(page, "#report-params button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "compare=on" in page.url
    table = page.locator("#figure-distribution-sex table").text_content() or ""
    assert "Resten av landet" in table
    assert loaded(page.locator("#figure-distribution-sex img"))

    # the averages page keeps the same form
    page.goto(f"{reverse('reports:averages')}?year={YEAR}&sex=female")
    assert page.locator("#filter-summary").inner_text().count("Kvinne") == 1
    assert loaded(page.locator("#averages img").first)


def test_the_filters_fit_a_phone(page, registry, unit_leader, screenshot):
    log_in(page, unit_leader)
    page.set_viewport_size({"width": 390, "height": 844})
    for name in ("reports:distributions", "reports:averages"):
        page.goto(f"{reverse(name)}?year={YEAR}&sex=female&age_from=20&age_to=60&type=1")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, name
        box = page.locator("#report-filters").bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    screenshot(page, "reports-filters-phone")


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context bypasses the CSP, for axe's injected script only."""
    axe_script()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="nb-NO",
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_no_serious_axe_violation_on_the_filtered_pages(axe_page, registry, unit_leader):
    log_in(axe_page, unit_leader)
    found: list[str] = []
    for query in (
        "sex=female&age_from=20&age_to=60&type=1&compare=on",
        "age_from=abc",  # the form with its errors
    ):
        for name in ("reports:distributions", "reports:averages"):
            axe_page.goto(f"{reverse(name)}?year={YEAR}&{query}")
            found.extend(violations(axe_page))
    assert found == []
