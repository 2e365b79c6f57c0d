"""The reports in a real browser (issue 5): a unit leader opens the reports from the top bar,
chooses the report year, opens a quality indicator and sees its chart drawn inline (the
Content-Security-Policy refusing nothing) beside its table, then downloads the annual report,
whose pages are rendered to PNG here and read back as text.

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
from tests.reports import crafted

from .conftest import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

YEAR = 2025
ON = date(YEAR, 3, 3)
IHS4 = "hisreg_reduksjon_ihs4"


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
    chart = page.locator("#indicator-chart figure svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 400
    assert box["height"] > 100
    # the bars keep their colours: presentation attributes, not styles the CSP refuses
    assert chart.locator("path[fill='#6baed6']").count() >= 2
    table = page.locator("#indicator-table table").inner_text()
    assert "66,7 %" in table
    assert "4 / 6" in table
    assert "100,0 %" in table
    png = page.locator("#chart-png")
    assert png.get_attribute("href").startswith(f"/reports/charts/indicator-{IHS4}.png")
    screenshot(page, "reports-indicator")
    assert refused == []

    # the annual report, from the button on the reports' pages
    with page.expect_download() as download:
        page.click("#annual-pdf")
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

    # the distributions: every chart drawn inline, each with its PNG
    with page.expect_navigation():
        page.click(".report-nav a[href^='/reports/distributions/']")
    figures = page.locator("#distributions figure svg")
    assert figures.count() >= 10
    assert figures.first.is_visible()
    assert page.locator("#distributions a[href$='.png?year=2025&level=nation']").count() == (
        figures.count()
    )
    screenshot(page, "reports-distributions")
    assert refused == []
