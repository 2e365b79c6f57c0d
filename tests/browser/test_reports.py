"""The reports in a real browser (issue 5): a unit leader opens the reports from the top bar,
chooses the report year, opens a quality indicator and sees its chart (an image of the chart's
SVG file, drawn in its own request: issue 12 point 6; the Content-Security-Policy refusing
nothing) beside its table, then downloads the annual report, whose pages are rendered to PNG
here and read back as text, and sees every chart of the distributions load.

Screenshots: build/screenshots/reports-index.png, reports-indicator.png,
reports-annual-page-<n>.png, reports-distributions.png."""

from __future__ import annotations

import re
from datetime import date

import pypdfium2 as pdfium
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hsreg.audit.models import Action, AuditEvent
from hsreg.reports.definitions import BY_ID
from tests.jobs.running import run_worker
from tests.reports import crafted

from .conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

YEAR = 2025
ON = date(YEAR, 3, 3)
IHS4 = "hisreg_reduksjon_ihs4"


def loaded(image) -> bool:
    """``image`` (a locator of an <img>) scrolled into view (the charts load lazily) and drawn:
    the browser decoded its SVG to a picture of its own size."""
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")  # resolves when the picture is ready, fails if broken
    return image.evaluate("img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0")


def episode(at, before: int, after: int) -> None:
    crafted.episode(
        at,
        ON,
        before={"ihs4": before, "hurley": 2, "nodules": 3, "abscesses": 1, "tunnels": 0},
        after={"ihs4": after, "hurley": 1, "nodules": 1, "abscesses": 0, "tunnels": 0},
        before_report={"dlqi": 14, "vas": "6.0"},
        after_report={"dlqi": 7, "vas": "2.0", "satisfaction": 1},
    )


@pytest.fixture
def registry(unit):
    """``unit``: 6 IHS4 episodes, 4 of them reduced (66.7 %); another unit: 5 of 5."""
    other = crafted.unit(700922, region="nord", trust="UNN")
    for before, after in ((5, 3),) * 4 + ((5, 6),) * 2:
        episode(unit, before, after)
    for _ in range(5):
        episode(other, 8, 2)
    return unit


def test_a_unit_leader_reads_an_indicator_and_downloads_the_annual_report(
    page, registry, unit_leader, screenshot, tmp_path
):
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, unit_leader)
    with page.expect_navigation():
        page.click(f"header nav a[href='{reverse('reports:index')}']")
    # the report year: the data are of last year
    page.select_option("#report-year", str(YEAR))
    with page.expect_navigation():
        page.click("#report-params button[type=submit]")
    assert f"year={YEAR}" in page.url
    national = page.locator(f"#indicator-{IHS4}").inner_text()
    assert "81,8 %" in national  # 9 of 11 in the whole country
    own = page.locator("#own-unit").inner_text()
    assert "66,7 %" in own
    screenshot(page, "reports-index")

    with page.expect_navigation():
        page.click(f"#indicator-{IHS4} a[href^='/reports/indicators/{IHS4}/']")
    chart = page.locator("#indicator-chart figure img")
    assert chart.get_attribute("src").startswith(f"/reports/charts/indicator-{IHS4}.svg?")
    assert loaded(chart)
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 400
    assert box["height"] > 100
    table = page.locator("#indicator-table table").inner_text()
    assert "66,7 %" in table
    assert "4 / 6" in table
    assert "100,0 %" in table
    png = page.locator("#chart-png")
    assert png.get_attribute("href").startswith(f"/reports/charts/indicator-{IHS4}.png")
    screenshot(page, "reports-indicator")
    assert refused == []

    # the annual report, from the button on the reports' pages: queued, made by the worker
    # (hsreg.reports.annual_runs), the run's page reloading itself until the download is there
    with page.expect_navigation():
        page.click("#annual-pdf")
    with page.expect_navigation():
        page.click("#annual-queue")
    assert page.locator("#annual-run").get_attribute("data-state") == "queued"
    run_worker()
    page.wait_for_selector("#annual-download", timeout=30_000)  # the page's own reload
    screenshot(page, "reports-annual-ready")
    with page.expect_download() as download:
        page.click("#annual-download")
    assert download.value.suggested_filename == f"hisreg-arsrapport-{YEAR}.pdf"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    document = pdfium.PdfDocument(str(path))
    pages = len(document)
    assert pages >= 3
    text = ""
    for i in range(pages):
        sheet = document[i]
        sheet.render(scale=1).to_pil().save(SCREENSHOTS / f"reports-annual-page-{i + 1}.png")
        text += sheet.get_textpage().get_text_range()
    with translation.override("nb"):  # "Årsrapport HISREG 2025", an indicator's title
        heading = gettext("Annual report HISREG %(year)s") % {"year": YEAR}
        title = str(BY_ID[IHS4].title)
    flat = re.sub(r"\s+", " ", text)
    assert heading in flat
    assert f"Årsrapport HISREG {YEAR}" in flat
    assert title in flat
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, target=f"annual report {YEAR}", user=unit_leader
    ).exists()

    # the distributions: every chart an image that loads, each with its PNG
    with page.expect_navigation():  # from the run's page back to the reports' pages
        page.click(f"#annual-report a[href='/reports/annual-report/?year={YEAR}']")
    with page.expect_navigation():
        page.click(".report-nav a[href^='/reports/distributions/']")
    assert page.locator("#distributions figure svg").count() == 0
    figures = page.locator("#distributions figure img")
    assert figures.count() >= 10
    for k in range(figures.count()):
        assert loaded(figures.nth(k)), figures.nth(k).get_attribute("src")
    assert page.locator("#distributions a[href*='.png?year=2025&level=nation&v=']").count() == (
        figures.count()
    )
    screenshot(page, "reports-distributions")
    assert refused == []


def test_every_chart_of_the_descriptive_pages_loads_as_an_image(page, registry, unit_leader):
    """Issue 12 point 6: the pages draw no chart; each figure's image is its chart file, which
    the browser loads (with the session's cookie) and decodes, for the distributions, the
    averages and the trends, at the country and the unit level."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, unit_leader)
    for name, level in (
        ("reports:distributions", "nation"),
        ("reports:distributions", "unit"),
        ("reports:averages", "nation"),
        ("reports:trends", "nation"),
    ):
        page.goto(f"{reverse(name)}?year={YEAR}&level={level}")
        assert page.locator("figure.chart svg").count() == 0, name
        images = page.locator("figure.chart img")
        assert images.count() >= 3, name
        for k in range(images.count()):
            image = images.nth(k)
            assert loaded(image), image.get_attribute("src")
            assert image.get_attribute("alt"), image.get_attribute("src")
            box = image.bounding_box()
            assert box is not None
            assert box["width"] > 200
    assert refused == []
