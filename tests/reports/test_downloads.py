"""Every figure's table as a CSV and XLSX download (issue 16): linked under every chart of the
pages, the same numbers as the page's table for the same reader (small counts hidden exactly as
there), the registry's CSV format, no cell a spreadsheet can run, an audit row per download,
and a query count that does not grow with the registry."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from hsreg.accounts.models import Role
from hsreg.audit.models import Action, AuditEvent
from hsreg.units.models import Unit

from . import crafted
from .crafted import MEDICAL
from .test_pages import IHS4, ON, YEAR, clients, ihs4, registry  # noqa: F401

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/reports/charts/[^"?]+)\.(csv|xlsx)\?([^"]+)"')


def nb(text: str) -> str:
    """``text`` as the pages write it (Norwegian, the users' language)."""
    with translation.override("nb"):
        return gettext(text)


def download(client, chart: str, fmt: str, query: str = f"year={YEAR}"):
    url = reverse("reports:chart", kwargs={"chart": chart, "fmt": fmt})
    return client.get(f"{url}?{query}")


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_every_chart_on_the_pages_links_its_table_as_csv_and_xlsx(clients) -> None:  # noqa: F811
    client = clients[Role.COORDINATOR]
    for name in ("reports:distributions", "reports:averages", "reports:trends"):
        markup = client.get(reverse(name), {"year": YEAR}).content.decode()
        images = re.findall(r'<img src="(/reports/charts/[^"?]+)\.svg\?([^"]+)"', markup)
        links = [(path, fmt, unescape(q)) for path, fmt, q in LINK.findall(markup)]
        assert len(images) >= 3, name
        for path, query in images:
            assert (path, "csv", unescape(query)) in links, (name, path)
            assert (path, "xlsx", unescape(query)) in links, (name, path)
    distributions = client.get(reverse("reports:distributions"), {"year": YEAR}).content.decode()
    for figure in ("intervention_type_by_unit", "surgery_type_by_unit", "medical_type_by_unit"):
        assert f"/reports/charts/by-unit-{figure}.svg" in distributions
        assert f"/reports/charts/by-unit-{figure}.csv" in distributions


def test_the_csv_holds_the_numbers_of_the_pages_table_and_is_logged(clients) -> None:  # noqa: F811
    client = clients[Role.REPORTING]
    page = client.get(reverse("reports:distributions"), {"year": YEAR})
    ages = next(f for f in page.context["figures"] if f.data.id == "age")
    response = download(client, "distribution-age", "csv", ages.query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hisreg-distribution-age-{YEAR}-nation.csv"'
    )
    rows = rows_of(response)
    assert rows[0] == [nb("Age at intervention")]
    assert rows[1] == [nb("Scope"), nb("Category"), "n", nb("Share (%)")]
    table = {r[1]: r[2] for r in rows[2:]}
    assert table[nb("Total (N)")] == "13" == ages.lines[-1].values[0]
    for line in ages.lines[:-1]:
        assert table[line.label] == line.values[0]
    share = next(r[3] for r in rows[2:] if r[2] not in ("0", ""))
    assert "," in share or share.isdigit()  # a decimal comma, as the registry's CSV files
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.target == "report figure distribution-age"
    assert event.detail["format"] == "csv"
    assert event.patient_id is None


def test_the_xlsx_holds_numbers_as_numbers(clients) -> None:  # noqa: F811
    client = clients[Role.REPORTING]
    response = download(client, "average-dlqi_by_unit", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:3] == (nb("Group"), "N", nb("Mean"))
    national = values[-1]
    assert national[0] == nb("Whole country")
    assert national[1] == 13
    assert national[2] == pytest.approx(15.0)
    assert AuditEvent.objects.filter(target="report figure average-dlqi_by_unit").count() == 1


def test_a_small_count_of_a_unit_is_hidden_in_the_download_as_on_the_page(clients) -> None:  # noqa: F811
    """Unit 303 registered 2 episodes: the public page hides the count and so does the file;
    the leader of unit 101 sees their own unit's count exact, but not 303's."""
    public = rows_of(download(clients[Role.REPORTING], "distribution-units", "csv"))
    counted = {r[1]: r[2] for r in public[2:]}
    assert counted["Enhet 303"] == nb("hidden")
    leader = rows_of(download(clients[Role.UNIT_LEADER], "distribution-units", "csv"))
    counted = {r[1]: r[2] for r in leader[2:]}
    assert counted["Enhet 101"] == "6"
    assert counted["Enhet 303"] == nb("hidden")
    per_unit = rows_of(
        download(clients[Role.REPORTING], "by-unit-intervention_type_by_unit", "csv")
    )
    small = next(r for r in per_unit if r[0] == "Enhet 303")
    assert small[1] == nb("hidden")
    assert "2" not in small[1:]


def test_the_indicator_and_per_unit_charts_download_in_every_format(clients) -> None:  # noqa: F811
    client = clients[Role.REPORTING]
    page = client.get(reverse("reports:indicator", args=[IHS4]), {"year": YEAR}).content.decode()
    linked = {fmt for path, fmt, _q in LINK.findall(page) if path.endswith(f"indicator-{IHS4}")}
    assert linked == {"csv", "xlsx"}
    rows = rows_of(download(client, f"indicator-{IHS4}", "csv"))
    assert rows[1][:4] == [nb("Unit"), nb("Year"), nb("Numerator"), nb("Denominator")]
    small = next(r for r in rows[2:] if r[0] == "Enhet 303" and r[1] == str(YEAR))
    assert small[2:4] == ["", ""]  # N<5: no counts
    assert small[-1] == "N<5"
    for fmt, kind in (("svg", "image/svg+xml"), ("png", "image/png"), ("csv", "text/csv")):
        response = download(client, "by-unit-medical_type_by_unit", fmt)
        assert response.status_code == 200, fmt
        assert response["Content-Type"].startswith(kind), fmt


def test_no_cell_of_a_download_can_be_read_as_a_formula(clients) -> None:  # noqa: F811
    Unit.objects.filter(resh_id=202).update(name='=HYPERLINK("http://x","y")')
    client = clients[Role.REPORTING]
    rows = rows_of(download(client, "distribution-units", "csv"))
    assert '\'=HYPERLINK("http://x","y")' in [r[1] for r in rows[2:]]
    sheet = load_workbook(io.BytesIO(download(client, "distribution-units", "xlsx").content))
    cells = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)


def _queries(client, chart: str, fmt: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert download(client, chart, fmt).status_code == 200
    return len(captured)


def test_the_query_count_of_a_download_does_not_grow_with_the_patients(clients, registry) -> None:  # noqa: F811
    client = clients[Role.UNIT_LEADER]
    charts = ("distribution-age", "by-unit-medical_type_by_unit", "shift-dlqi_shift")
    _queries(client, charts[0], "csv")  # the session's first request fills caches
    before = {c: _queries(client, c, "csv") for c in charts}
    for k in range(12):
        at = (registry["here"], registry["there"], registry["small"])[k % 3]
        crafted.episode(at, ON, **ihs4(6, k % 7, kind=MEDICAL))
    after = {c: _queries(client, c, "csv") for c in charts}
    assert after == before


def test_the_pages_show_the_added_figures_and_tables(clients) -> None:  # noqa: F811
    client = clients[Role.REPORTING]
    page = client.get(reverse("reports:distributions"), {"year": YEAR})
    ids = [f.data.id for f in page.context["figures"]]
    for figure in ("unit_patients", "impossible_reason", "antibiotic_type", "local_type"):
        assert figure in ids
    satisfaction = next(f for f in page.context["figures"] if f.data.id == "satisfaction")
    assert satisfaction.data.note in page.content.decode()  # the follow-up period (D4)
    assert [f.data.id for f in page.context["by_unit"]] == [
        "intervention_type_by_unit",
        "surgery_type_by_unit",
        "medical_type_by_unit",
    ]
    administrative = client.get(reverse("reports:administrative"), {"year": YEAR})
    tables = administrative.context["completeness"]
    assert len(tables) == 4
    markup = administrative.content.decode()
    assert 'id="table-completeness_before_unknown_missing"' in markup
    assert "PatientReport.smoking" in markup
