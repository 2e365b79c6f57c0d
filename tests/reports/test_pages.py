"""The report pages (issue 5) on a small crafted registry: every page opens for every role, the
indicator page shows the share counted by hand and "N<5" for a small unit, bad parameters are
a 400 naming the field, charts come as SVG and PNG, the annual report as a logged PDF download,
the number of queries does not grow with the number of patients, and a reporting-only user
never sees a patient's name or national id number."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape

import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.labels import describe
from hsreg.audit.models import Action, AuditEvent
from hsreg.patients.models import Patient
from hsreg.reports.definitions import BY_ID, INDICATORS
from hsreg.reports.indicators import REST
from hsreg.reports.models import AnnualReportRun, NprCount
from tests.jobs.running import run_ready_jobs
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db

YEAR = 2025
ON = date(YEAR, 3, 3)
IHS4 = "hisreg_reduksjon_ihs4"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PAGES = (
    "reports:index",
    "reports:distributions",
    "reports:averages",
    "reports:trends",
    "reports:administrative",
)
CLINICAL = (Role.REGISTRAR, Role.UNIT_LEADER)


def ihs4(before: int, after: int, kind: int = MEDICAL, **extra: object) -> dict:
    """An episode's forms with IHS4 ``before`` -> ``after`` and a patient's report each time."""
    return {
        "kind": kind,
        "before": {"ihs4": before, "hurley": 2, "nodules": 3, "abscesses": 1, "tunnels": 0},
        "after": {"ihs4": after, "hurley": 1, "nodules": 1, "abscesses": 0, "tunnels": 0},
        "before_report": {"dlqi": 15, "vas": "6.0", "smoking": 1},
        "after_report": {"dlqi": 8, "vas": "3.0", "satisfaction": 1},
        **extra,
    }


@pytest.fixture
def registry(db):
    """Three units: 101 with 6 IHS4 episodes (4 reduced: 66.7 %), 202 with 5 (all reduced),
    303 with 2 (1 reduced: N<5). The nation: 10 of 13 (76.9 %)."""
    here = crafted.unit(101, region="vest", trust="Helse Bergen")
    there = crafted.unit(202, region="nord", trust="UNN")
    small = crafted.unit(303, region="midt", trust="St. Olavs hospital")
    for before, after in ((5, 3),) * 4 + ((5, 6),) * 2:
        crafted.episode(here, ON, **ihs4(before, after))
    for _ in range(5):
        crafted.episode(there, ON, **ihs4(8, 2, kind=SURGICAL))
    crafted.episode(small, ON, **ihs4(4, 1))
    crafted.episode(small, ON, **ihs4(4, 4))
    return {"here": here, "there": there, "small": small}


@pytest.fixture
def clients(registry):
    """A signed-in client per role, every user at unit 101."""
    made = {}
    for role in Role:
        user = create_user(
            username=f"r-{role}", password=PASSWORD, units=[registry["here"]], role=role
        )
        made[role] = sign_in(Client(), user)
    return made


def page(client: Client, name: str, query: str = "", **kwargs: str):
    url = reverse(name, kwargs=kwargs or None)
    return client.get(f"{url}?{query}" if query else url)


#: a chart on a page: an image of its SVG file (views.pages.chart), never inline markup
IMAGE = re.compile(r'<img src="(/reports/charts/[^"?]+\.svg\?[^"]+)" alt="([^"]+)"')


def chart_images(response) -> list[tuple[str, str]]:
    """The chart images of a page: (address, alternative text) each."""
    found = IMAGE.findall(response.content.decode())
    return [(unescape(src), unescape(alt)) for src, alt in found]


def chart_image(client: Client, figure) -> str:
    """The SVG a page's image of ``figure`` (selectors.Figure) shows: its chart file at the
    address the page gives."""
    url = reverse("reports:chart", kwargs={"chart": figure.chart, "fmt": "svg"})
    response = client.get(f"{url}?{figure.query}")
    assert response.status_code == 200, figure.chart
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    return response.content.decode()


def row_of(table, key: str):
    return next(r for r in table.rows if r.key == key)


@pytest.mark.parametrize("role", list(Role))
def test_every_report_page_opens_for_every_role(clients, role):
    client = clients[role]
    for name in PAGES:
        response = page(client, name, f"year={YEAR}")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/html")
    response = page(client, "reports:indicator", f"year={YEAR}", indicator_id=IHS4)
    assert response.status_code == 200
    assert b"<svg" not in response.content  # drawn in the image's own request
    ((src, alt),) = chart_images(response)
    assert src.startswith(f"/reports/charts/indicator-{IHS4}.svg?year={YEAR}&level=unit&v=")
    assert alt.endswith(". Tallene står i tabellen nedenfor.") or alt.endswith(
        ". The figures are in the table below."
    )
    assert client.get(src)["Content-Type"] == "image/svg+xml; charset=utf-8"
    # the own unit against the rest of the country: clinical roles only
    index = page(client, "reports:index", f"year={YEAR}")
    assert (b'id="own-unit"' in index.content) == (role in CLINICAL)
    # the navigation and the start page lead to the reports
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("reports:index")}"' in home


def test_every_indicator_has_its_page(clients):
    client = clients[Role.REPORTING]
    for indicator in INDICATORS:
        response = page(client, "reports:indicator", f"year={YEAR}", indicator_id=indicator.id)
        assert response.status_code == 200, indicator.id
        assert str(indicator.title) in response.content.decode()


def test_the_indicator_page_shows_the_share_counted_by_hand_and_n_below_5(clients):
    response = page(clients[Role.REGISTRAR], "reports:indicator", f"year={YEAR}", indicator_id=IHS4)
    table = response.context["table"]
    # 202 (5 of 5) is hidden as the complement of 303: the nation minus 101 and 202 would
    # give 303's counts; and 101 (4 of 6) too, since 202's leader knows its 5 and the nation
    # minus 101 and 202 would give them 303's (issue 11)
    here = row_of(table, "101").cells[YEAR]
    assert (here.numerator, here.denominator) == (4, 6)
    assert here.secondary
    assert not here.shown
    there = row_of(table, "202").cells[YEAR]
    assert there.secondary
    assert not there.shown
    small = row_of(table, "303").cells[YEAR]
    assert small.hidden == "N<5"
    nation = row_of(table, "nation").cells[YEAR]
    assert (nation.numerator, nation.denominator) == (10, 13)
    html = response.content.decode()
    unit_row = re.search(r"<th scope=\"row\">Enhet 101.*?</tr>", html, re.DOTALL)
    assert unit_row is not None
    assert "66,7 %" not in unit_row.group(0)
    assert "4 / 6" not in unit_row.group(0)
    small_row = re.search(r"<th scope=\"row\">Enhet 303.*?</tr>", html, re.DOTALL)
    assert small_row is not None
    assert "N&lt;5" in small_row.group(0)
    assert "%" not in small_row.group(0)  # no share of a small unit
    assert "76,9 %" in html  # the nation, counted by hand: 10 of 13, Norwegian decimal comma
    assert "10 / 13" in html
    # the definition from reports.definitions
    with translation.override("nb"):
        assert str(BY_ID[IHS4].numerator_text)[1:] in html
        assert str(BY_ID[IHS4].denominator_text)[1:] in html
    assert 'id="definition"' in html


def test_the_index_shows_each_indicator_nationally_with_levels_and_links(clients):
    response = page(clients[Role.COORDINATOR], "reports:index", f"year={YEAR}")
    html = response.content.decode()
    for indicator in INDICATORS:
        assert reverse("reports:indicator", kwargs={"indicator_id": indicator.id}) in html
    assert "76,9 %" in html
    assert "level-moderate" in html  # 76.9 % of IHS4: between low (70) and target (90)
    assert reverse("reports:annual") in html
    reports = {r.indicator.id: r for r in response.context["reports"]}
    assert [r.key for r in reports[IHS4].table.rows] == ["nation"]


@pytest.mark.parametrize(
    ("level", "keys"),
    [
        # the shown shares first, then the hidden by name: 303 (N<5), 202 its complement and
        # 101, the complement to a leader who knows their own unit (issue 11)
        ("unit", ["101", "202", "303", "nation"]),
        ("trust", ["Helse Bergen", "St. Olavs hospital", "UNN", "nation"]),
        ("region", ["midt", "nord", "vest", "nation"]),
        ("nation", ["nation"]),
    ],
)
def test_the_level_switch(clients, level, keys):
    response = page(clients[Role.REPORTING], "reports:index", f"year={YEAR}&level={level}")
    reports = {r.indicator.id: r for r in response.context["reports"]}
    assert [r.key for r in reports[IHS4].table.rows] == keys


def test_own_unit_against_the_rest_of_the_country(clients):
    response = page(clients[Role.UNIT_LEADER], "reports:index", f"year={YEAR}")
    reports = {r.indicator.id: r for r in response.context["reports"]}
    own, rest = reports[IHS4].own
    assert (own.cells[YEAR].numerator, own.cells[YEAR].denominator) == (4, 6)
    assert (rest.cells[YEAR].numerator, rest.cells[YEAR].denominator) == (6, 7)
    with translation.override("nb"):
        assert str(REST) in response.content.decode()


def test_low_coverage_is_labelled(clients, registry):
    NprCount.objects.create(unit=registry["here"], year=YEAR, patients=100)  # 6 of 100
    response = page(clients[Role.REPORTING], "reports:indicator", f"year={YEAR}", indicator_id=IHS4)
    assert row_of(response.context["table"], "101").low_coverage
    with translation.override("nb"):
        assert gettext("Low coverage") in response.content.decode()


@pytest.mark.parametrize(
    ("name", "query", "field", "reason"),
    [
        ("reports:index", "year=abc", "year", "give the year as four digits"),
        ("reports:index", "year=20255", "year", "give the year as four digits"),
        ("reports:index", "year=2999", "year", "2999 has not come yet"),
        ("reports:index", "year=1999", "year", "no data before 2000"),
        ("reports:index", "level=galaxy", "level", "choose one of unit, trust, region, nation"),
        ("reports:distributions", "level=region", "level", "choose one of nation, unit"),
        ("reports:trends", "level=unit", "level", "choose one of nation"),
        ("reports:annual", "year=%C2%B2%C2%B2%C2%B2%C2%B2", "year", "four digits"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_the_field(clients, name, query, field, reason):
    client = clients[Role.REPORTING]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = page(client, name, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html
    assert reason in html


def test_a_bad_parameter_of_a_chart_or_indicator_is_a_400_too(clients):
    client = clients[Role.REPORTING]
    response = page(client, "reports:indicator", "year=x", indicator_id=IHS4)
    assert response.status_code == 400
    chart = reverse("reports:chart", kwargs={"chart": f"indicator-{IHS4}", "fmt": "png"})
    assert client.get(f"{chart}?year=1.5").status_code == 400


def test_unknown_indicators_and_charts_are_not_found(clients):
    client = clients[Role.REPORTING]
    assert page(client, "reports:indicator", indicator_id="no_such_thing").status_code == 404
    for chart, fmt in (
        ("indicator-no_such_thing", "png"),
        (f"indicator-{IHS4}", "gif"),
        ("distribution-no_such_thing", "svg"),
        ("nonsense", "png"),
        ("indicator-", "png"),
    ):
        response = client.get(reverse("reports:chart", kwargs={"chart": chart, "fmt": fmt}))
        assert response.status_code == 404, (chart, fmt)


def test_charts_download_as_png_and_open_as_svg(clients):
    client = clients[Role.REPORTING]
    charts = [
        f"indicator-{IHS4}",
        "distribution-age",
        "shift-dlqi_shift",
        "average-dlqi_by_unit",
        "before-after-ihs4_before_after_by_type",
        "trend-trend_biologic",
    ]
    for chart in charts:
        url = reverse("reports:chart", kwargs={"chart": chart, "fmt": "png"})
        response = client.get(f"{url}?year={YEAR}")
        assert response.status_code == 200, chart
        assert response["Content-Type"] == "image/png"
        assert response.content.startswith(PNG_MAGIC), chart
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"{YEAR}" in response["Content-Disposition"]
    url = reverse("reports:chart", kwargs={"chart": f"indicator-{IHS4}", "fmt": "svg"})
    svg = client.get(f"{url}?year={YEAR}&level=region")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg")
    assert b"Helse Vest" in svg.content
    assert not re.search(rb"\sstyle=", svg.content)  # the CSP refuses inline styles


def test_the_pages_link_a_png_of_each_chart_they_draw(clients):
    client = clients[Role.COORDINATOR]
    for name in ("reports:distributions", "reports:averages", "reports:trends"):
        response = page(client, name, f"year={YEAR}")
        markup = response.content.decode()
        images = [src.split("?")[0] for src, _alt in chart_images(response)]
        links = re.findall(
            r'href="(/reports/charts/[^"]+)\.png\?year=2025&amp;level=\w+&amp;v=\w+"', markup
        )
        assert len(images) >= 3, name
        assert [f"{link}.svg" for link in links] == images, name
        assert not re.search(r"\sstyle=", markup), name  # the CSP refuses inline styles
    indicator = page(client, "reports:indicator", f"year={YEAR}", indicator_id=IHS4)
    assert f"/reports/charts/indicator-{IHS4}.png" in indicator.content.decode()


def test_the_descriptive_pages_show_the_country_or_the_own_unit(clients):
    client = clients[Role.REPORTING]
    country = page(client, "reports:distributions", f"year={YEAR}")
    ages = next(f for f in country.context["figures"] if f.data.id == "age")
    assert ages.data.total == 13  # every patient of the year, once
    own = page(client, "reports:distributions", f"year={YEAR}&level=unit")
    ages = next(f for f in own.context["figures"] if f.data.id == "age")
    assert ages.data.total == 6
    assert "Enhet 101" in own.content.decode()
    administrative = page(client, "reports:administrative", f"year={YEAR}").content.decode()
    assert "Enhet 202" in administrative
    averages = page(client, "reports:averages", f"year={YEAR}")
    dlqi = next(f for f in averages.context["figures"] if f.data.id == "dlqi_by_unit")
    national = dlqi.lines[-1]
    assert national.total
    assert national.values[:2] == ["13", "15,0"]


def test_the_annual_report_downloads_as_a_pdf_and_is_logged(clients):
    client = clients[Role.REPORTING]
    queued = client.post(reverse("reports:annual"), {"year": YEAR})
    assert queued.status_code == 302
    assert run_ready_jobs() == 1  # the worker makes it (hsreg.reports.annual_runs)
    run = AnnualReportRun.objects.get()
    response = client.get(reverse("reports:annual_pdf", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hisreg-arsrapport-{YEAR}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.target == f"annual report {YEAR}"
    assert event.patient_id is None
    document = pdfium.PdfDocument(io.BytesIO(response.content))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    with translation.override("nb"):  # "Årsrapport HISREG 2025"
        assert gettext("Annual report HISREG %(year)s") % {"year": YEAR} in text
    assert f"Årsrapport HISREG {YEAR}" in text
    for p in Patient.objects.all():
        assert p.last_name not in text
        assert p.national_id not in text


def test_the_report_year_defaults_to_the_last_whole_year(clients):
    response = page(clients[Role.REPORTING], "reports:index")
    assert response.context["params"].year == timezone.localdate().year - 1
    assert YEAR in response.context["year_choices"]


def test_reporting_only_users_see_no_patient_on_any_report_page(clients):
    client = clients[Role.REPORTING]
    patients = list(Patient.objects.all())
    assert len(patients) == 13
    bodies = [page(client, name, f"year={YEAR}").content.decode() for name in PAGES]
    for level in ("unit", "nation"):
        for name in ("reports:distributions", "reports:averages", "reports:administrative"):
            bodies.append(page(client, name, f"year={YEAR}&level={level}").content.decode())
    for indicator in INDICATORS:
        bodies.append(
            page(
                client, "reports:indicator", f"year={YEAR}", indicator_id=indicator.id
            ).content.decode()
        )
    for body in bodies:
        for p in patients:
            assert p.last_name not in body
            assert p.national_id not in body
            assert p.birth_date.isoformat() not in body
            assert p.birth_date.strftime("%d.%m.%Y") not in body


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_query_counts_do_not_grow_with_the_number_of_patients(clients, registry):
    client = clients[Role.UNIT_LEADER]
    urls = [f"{reverse(name)}?year={YEAR}" for name in PAGES]
    urls += [f"{reverse(name)}?year={YEAR}&level=unit" for name in PAGES[:3]]
    filtered = "sex=female&age_from=20&age_to=90&type=2&date_from=2025-01-01&compare=on"
    urls += [f"{reverse(name)}?year={YEAR}&{filtered}" for name in PAGES[1:3]]  # issue 16
    urls.append(f"{reverse('reports:indicator', kwargs={'indicator_id': IHS4})}?year={YEAR}")
    urls.append(
        reverse("reports:chart", kwargs={"chart": "distribution-age", "fmt": "png"})
        + f"?year={YEAR}"
    )
    urls.append(f"{reverse('reports:annual')}?year={YEAR}")
    client.get(urls[0])  # the session's first request fills caches (the user's device)
    before = {url: _queries(client, url) for url in urls}
    for k in range(27):  # 13 patients so far; now 40, at every unit
        at = (registry["here"], registry["there"], registry["small"])[k % 3]
        crafted.episode(at, ON, **ihs4(6, k % 7, kind=(MEDICAL, SURGICAL)[k % 2]))
    after = {url: _queries(client, url) for url in urls}
    assert after == before


def test_the_audit_log_names_the_reports_exports_in_words():
    with translation.override("nb"):
        assert describe(f"annual report {YEAR}") == f"årsrapport {YEAR}"
        assert describe("research extract") == "forskningsuttrekk"
        assert describe("NPR counts") == "NPR-tall (dekningsgrad)"
        assert describe("unit indicators csv") == "enhetens indikatorer, CSV-eksport"
