"""Coverage (dekningsgrad): the coordinator's upload of the national patient register's counts
(every error named by line and column, nothing imported unless every line is right, counts
replaced per unit and year, one audit row) and the coverage per unit and health region with
"Lav dekningsgrad" under 60 % (issue 5)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from hsreg.accounts.actor import system_actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.reports.coverage import Coverage, coverage_by_trust, trust_coverage_rows
from hsreg.reports.exports import CoverageCell, coverage_overview
from hsreg.reports.forms import MAX_UPLOAD_BYTES
from hsreg.reports.models import NprCount, NprTrustCount
from hsreg.reports.services import upload_npr_counts
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted

pytestmark = pytest.mark.django_db
URL = "/reports/coverage/"
YEAR = 2025


@pytest.fixture
def units(db):
    return crafted.unit(101, region="vest"), crafted.unit(202, region="nord")


@pytest.fixture
def coordinator(units):
    return create_user(
        username="koordinator", password=PASSWORD, units=[units[0]], role=Role.COORDINATOR
    )


@pytest.fixture
def client_en(coordinator):
    """The coordinator, signed in, with the English interface (the texts asserted here)."""
    client = sign_in(Client(), coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_file(text: str, *, bom: bool = False, name: str = "npr.csv") -> SimpleUploadedFile:
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client: Client, text: str, **kwargs: object):
    return client.post(URL, {"file": csv_file(text, **kwargs)})  # type: ignore[arg-type]


def errors_of(html: str) -> list[str]:
    """The errors shown beside the file field, one per line of the list."""
    found = re.search(r'data-field="file">(.*?)</div>', html, re.S)
    assert found, "no error shown beside the file field"
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S)


def counts() -> dict[tuple[int, int], int]:
    return {(c.unit_id, c.year): c.patients for c in NprCount.objects.all()}


# --- the upload: happy path and upsert ----------------------------------------------------


def test_a_semicolon_file_with_bom_is_imported_with_its_uploader_and_one_audit_row(
    client_en, coordinator
):
    response = upload(client_en, "resh_id;year;count\n101;2024;40\n101;2025;50\n202;2025;7\n", bom=True)  # fmt: skip
    assert response.status_code == 302
    assert counts() == {(101, 2024): 40, (101, 2025): 50, (202, 2025): 7}
    assert {c.uploaded_by_id for c in NprCount.objects.all()} == {coordinator.pk}
    event = AuditEvent.objects.get(target="NPR counts")
    assert event.action == Action.CREATE
    assert event.detail == {"rows": 3, "created": 3, "updated": 0}
    assert event.user_id == coordinator.pk
    page = client_en.get(response["Location"]).content.decode()
    assert "3 NPR counts imported (3 new, 0 updated)." in page


def test_a_comma_file_without_bom_with_crlf_and_blank_lines_is_imported(client_en):
    response = upload(client_en, "year,count,resh_id\r\n\r\n2025,12,101\r\n\r\n2025,3,202\r\n")
    assert response.status_code == 302
    assert counts() == {(101, 2025): 12, (202, 2025): 3}


def test_a_second_upload_replaces_the_counts_it_names_and_keeps_the_others(client_en):
    upload(client_en, "resh_id;year;count\n101;2024;40\n101;2025;50\n")
    response = upload(client_en, "resh_id;year;count\n101;2025;55\n202;2025;9\n")
    assert response.status_code == 302
    assert counts() == {(101, 2024): 40, (101, 2025): 55, (202, 2025): 9}
    assert NprCount.objects.count() == 3
    last = AuditEvent.objects.filter(target="NPR counts").first()
    assert last is not None
    assert last.action == Action.CHANGE
    assert last.detail == {"rows": 2, "created": 1, "updated": 1}


# --- the upload: every kind of error, named by line and column, nothing imported ------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resh_id;year;count\n101;2025;5\n999;2025;5\n", "Line 3, resh_id: no unit has RESH id 999"),
        ("resh_id;year;count\n101;2025;5\nabc;2025;5\n", "Line 3, resh_id: “abc” is not a whole number"),
        ("resh_id;year;count\n101;1999;5\n", "Line 2, year: 1999 is not a year from 2000 to 2100"),
        ("resh_id;year;count\n101;2101;5\n", "Line 2, year: 2101 is not a year from 2000 to 2100"),
        ("resh_id;year;count\n101;20x5;5\n", "Line 2, year: “20x5” is not a whole number"),
        ("resh_id;year;count\n101;2025;-3\n", "Line 2, count: a count cannot be negative (-3)"),
        ("resh_id;year;count\n101;2025;12.5\n", "Line 2, count: “12.5” is not a whole number"),
        ("resh_id;year;count\n101;2025;\n", "Line 2, count: no value"),
        ("resh_id;year;count\n101;2025\n", "Line 2, count: no value"),
        ("resh_id;year\n101;2025\n", "Line 1, count: the column is missing"),
        (
            "resh_id;year;count\n101;2025;5\n202;2025;4\n101;2025;6\n",
            "Line 4, year: RESH id 101 and year 2025 are given on line 2 too",
        ),
    ],
)  # fmt: skip
def test_each_error_names_its_line_and_column_and_nothing_is_imported(client_en, text, expected):
    NprCount.objects.create(unit_id=101, year=2024, patients=77)
    response = upload(client_en, text)
    assert response.status_code == 400
    assert expected in errors_of(response.content.decode())
    assert counts() == {(101, 2024): 77}
    assert not AuditEvent.objects.filter(target="NPR counts").exists()


def test_every_error_of_the_file_is_listed_not_only_the_first(client_en):
    text = "resh_id;year;count\n101;2025;5\n999;2025;5\n101;1980;x\n202;2025;4\n202;2025;4\n"
    shown = errors_of(upload(client_en, text).content.decode())
    assert shown == [
        "Line 3, resh_id: no unit has RESH id 999",
        "Line 4, year: 1980 is not a year from 2000 to 2100",
        "Line 4, count: “x” is not a whole number",
        "Line 6, year: RESH id 202 and year 2025 are given on line 5 too",
    ]
    assert counts() == {}


def test_a_file_over_one_megabyte_is_refused_before_it_is_read(client_en):
    big = "resh_id;year;count\n" + "101;2025;5\n" * (MAX_UPLOAD_BYTES // 10)
    response = upload(client_en, big)
    assert response.status_code == 400
    assert errors_of(response.content.decode()) == [
        "The file is larger than 1 MB. Upload the counts of fewer years at a time."
    ]
    assert counts() == {}


def test_a_file_that_is_not_utf8_gets_a_clear_error(client_en):
    latin1 = SimpleUploadedFile("npr.csv", "resh_id;year;count;navn\n101;2025;5;Tromsø\n".encode("latin-1"))  # fmt: skip
    response = client_en.post(URL, {"file": latin1})
    assert response.status_code == 400
    assert "is not UTF-8 text" in errors_of(response.content.decode())[0]


def test_an_empty_file_and_a_header_without_lines_are_errors(client_en):
    assert upload(client_en, "").status_code == 400  # Django: "The submitted file is empty."
    shown = errors_of(upload(client_en, "resh_id;year;count\n\n").content.decode())
    assert shown == ["The file has a header line but no counts."]


def test_no_file_is_an_error_on_the_file_field(client_en):
    response = client_en.post(URL, {})
    assert response.status_code == 400
    assert errors_of(response.content.decode()) == ["This field is required."]


def test_the_service_raises_all_errors_and_writes_nothing(units):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        upload_npr_counts(
            actor=system_actor(), file=csv_file("resh_id,year,count\n101,2025,-1\n202,2025,2\n")
        )
    assert raised.value.messages == ["Line 2, count: a count cannot be negative (-1)"]
    assert counts() == {}


def test_the_upload_messages_are_norwegian_by_default(units):
    with translation.override("nb"), pytest.raises(ValidationError) as raised:
        upload_npr_counts(actor=system_actor(), file=csv_file("resh_id;year;count\n1;2025;1\n"))
    # the lead merges build/nb/exports.json into the catalog: "Linje 2, resh_id: ..."
    assert re.match(r"(Line|Linje) 2, resh_id: ", raised.value.messages[0])


def test_only_the_coordinator_opens_the_coverage_page(units):
    leader = create_user(username="leder", password=PASSWORD, units=[units[0]], role=Role.UNIT_LEADER)  # fmt: skip
    client = sign_in(Client(), leader)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_file("resh_id;year;count\n101;2025;5\n")}).status_code == 403  # fmt: skip
    assert counts() == {}


# --- coverage per unit and region ---------------------------------------------------------


def test_low_coverage_is_under_sixty_per_cent_not_at_it():
    assert Coverage(599, 1000).percent == pytest.approx(59.9)
    assert CoverageCell(599, 1000, Coverage(599, 1000).percent).low
    assert not CoverageCell(600, 1000, Coverage(600, 1000).percent).low
    assert not CoverageCell(5, None, None).low  # no NPR count: not labelled


def registered(at, n: int, on: date = date(YEAR, 4, 1)) -> None:
    """``n`` distinct patients with a finished intervention at ``at`` on ``on``."""
    for _ in range(n):
        crafted.intervention(crafted.patient(at), at, on)


def row_of(html: str, key: str) -> str:
    found = re.search(rf'<tr[^>]*data-key="{key}">(.*?)</tr>', html, re.S)
    assert found, f"no row {key}"
    return found.group(1)


def test_the_page_shows_registry_and_npr_counts_and_labels_low_coverage(client_en, units):
    here, there = units
    registered(here, 3)
    registered(there, 3)
    registered(there, 2, on=date(YEAR - 1, 5, 1))
    NprCount.objects.create(unit=here, year=YEAR, patients=5)  # 60.0 %: not low
    NprCount.objects.create(unit=there, year=YEAR, patients=6)  # 50.0 %: low
    NprCount.objects.create(unit=there, year=YEAR - 1, patients=2)  # 100 %
    response = client_en.get(URL, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    mine, theirs = row_of(html, "101"), row_of(html, "202")
    assert "60.0 %" in mine
    assert "Low coverage" not in mine
    assert "50.0 %" in theirs
    assert theirs.count("Low coverage") == 1  # 2025 only: 2024 is 100 %
    assert "100.0 %" in theirs
    # the regions: vest 3/5, nord 3/6 (2025), the country 6/11
    assert "60.0 %" in row_of(html, "vest")
    assert "50.0 %" in row_of(html, "nord")
    assert "54.5 %" in row_of(html, "nation")


def test_a_region_sums_only_the_units_with_an_npr_count(units):
    here, _there = units
    other_west = crafted.unit(303, region="vest")
    registered(here, 4)
    registered(other_west, 10)  # no NPR count: left out of the region's coverage
    NprCount.objects.create(unit=here, year=YEAR, patients=8)
    by_unit, by_region = coverage_overview(years=[YEAR])
    assert [r.key for r in by_unit] == ["101", "303"]  # by name
    assert by_unit[1].cells[YEAR] == CoverageCell(10, None, None)
    west = next(r for r in by_region if r.key == "vest")
    assert west.cells[YEAR] == CoverageCell(4, 8, 50.0)
    assert west.cells[YEAR].low
    assert next(r for r in by_region if r.key == "nord").cells[YEAR].npr is None


def test_a_bad_year_on_the_coverage_page_is_named(client_en):
    response = client_en.get(URL, {"year": "1800"})
    assert response.status_code == 400
    assert 'data-field="year"' in response.content.decode()


def test_the_coverage_page_opens_without_a_year(client_en):
    response = client_en.get(URL)
    assert response.status_code == 200
    assert 'id="npr-form"' in response.content.decode()


# --- per health trust (issue 16, D5) ------------------------------------------------------


def trust_counts() -> dict[tuple[str, int], int]:
    return {(c.health_trust, c.year): c.patients for c in NprTrustCount.objects.all()}


def test_a_file_with_trust_lines_imports_units_and_trusts_together_d5(client_en):
    crafted.unit(303, region="nord", trust="UNN")
    text = "resh_id;health_trust;year;count\n101;;2025;12\n;Helse Bergen;2025;40\n;UNN;2025;9\n"
    response = upload(client_en, text)
    assert response.status_code == 302
    assert counts() == {(101, 2025): 12}
    assert trust_counts() == {("Helse Bergen", 2025): 40, ("UNN", 2025): 9}
    page = client_en.get(response["Location"]).content.decode()
    assert "3 NPR counts imported (3 new, 0 updated)." in page
    # a file of trusts only, without resh_id; a second upload replaces the trust's count
    assert upload(client_en, "health_trust;year;count\nUNN;2025;10\n").status_code == 302
    assert trust_counts()[("UNN", 2025)] == 10
    assert counts() == {(101, 2025): 12}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resh_id;health_trust;year;count\n101;Helse Bergen;2025;4\n",
         "Line 2, health_trust: give either a RESH id or a health trust on a line, not both"),
        ("health_trust;year;count\nHelse Nowhere;2025;4\n",
         "Line 2, health_trust: no unit belongs to health trust “Helse Nowhere”"),
        ("health_trust;year;count\nHelse Bergen;1999;4\n",
         "Line 2, year: 1999 is not a year from 2000 to 2100"),
        ("health_trust;year;count\nHelse Bergen;2025;4\nHelse Bergen;2025;5\n",
         "Line 3, year: health trust Helse Bergen and year 2025 are given on line 2 too"),
        ("health_trust;year;count\n;2025;4\n", "Line 2, resh_id: no value"),
    ],
)  # fmt: skip
def test_a_bad_trust_line_is_named_and_nothing_is_imported_d5(client_en, text, expected):
    response = upload(client_en, text)
    assert response.status_code == 400
    assert expected in [e.strip() for e in errors_of(response.content.decode())]
    assert not NprTrustCount.objects.exists()


def test_a_trusts_coverage_counts_a_patient_of_two_of_its_units_once_d5(units, client_en):
    here, _there = units  # both of Helse Bergen
    other = crafted.unit(303, region="nord", trust="UNN")
    p = crafted.patient(here)
    crafted.intervention(p, here, date(YEAR, 3, 1))
    crafted.intervention(p, units[1], date(YEAR, 6, 1))  # the same patient, another unit
    registered(here, 2)
    registered(other, 1)
    NprTrustCount.objects.create(health_trust="Helse Bergen", year=YEAR, patients=6)
    rows = {r.key: r.cells[YEAR] for r in trust_coverage_rows(years=[YEAR])}
    assert rows["Helse Bergen"] == CoverageCell(3, 6, 50.0)
    assert rows["Helse Bergen"].low
    assert rows["UNN"] == CoverageCell(1, None, None)
    assert coverage_by_trust(years=[YEAR])[("Helse Bergen", YEAR)] == Coverage(3, 6)
    html = client_en.get(URL, {"year": YEAR}).content.decode()
    assert 'id="coverage-trusts"' in html
    trust = row_of(html, "Helse Bergen")
    assert "50.0 %" in trust
    assert "Low coverage" in trust
