"""The open results (no login, suppressed exactly as the tables, no count of a hidden cell in
the CSV), the unit leader's CSV (their unit only, beside the nation) and the coordinator's
research extract (pseudonymised, no national id, name or date in CSV or XLSX, one audit row
per export) (issue 5)."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from openpyxl import load_workbook

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.patients.models import Patient
from hsreg.reports.exports import RESEARCH_COLUMNS, months_between
from hsreg.reports.models import NprCount
from hsreg.reports.pseudonyms import KEY_FILE, pseudonym, research_key
from hsreg.seeding.writer import seed
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
ON = date(YEAR, 3, 3)
OPEN = "/open/"
OPEN_CSV = "/open/results.csv"
UNIT_CSV = "/reports/exports/unit.csv"
SATISFIED = "pasientfornoydhet"
COMPLICATIONS = "hisreg_kompl_kir"


def satisfaction_episodes(at, n: int, on: date = ON, answer: int = 1) -> None:
    """``n`` medical episodes whose 3-month control answers satisfaction with ``answer``."""
    for _ in range(n):
        crafted.episode(at, on, kind=MEDICAL, after_report={"satisfaction": answer})


def complication_episodes(at, n: int, *, with_complication: int = 0) -> None:
    """``n`` surgical episodes whose 6-month control answered the complication questions, the
    first ``with_complication`` of them with a wound infection."""
    for i in range(n):
        answer = 1 if i < with_complication else 0
        crafted.episode(at, ON, kind=SURGICAL, after_report={"wound_infection": answer})


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def lines(rows: list[dict[str, str]], ind: str, **match: str) -> list[dict[str, str]]:
    return [r for r in rows if r["ind_id"] == ind and all(r[k] == v for k, v in match.items())]


def one(rows: list[dict[str, str]], ind: str, **match: str) -> dict[str, str]:
    found = lines(rows, ind, **match)
    assert len(found) == 1, (ind, match, found)
    return found[0]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- open results -------------------------------------------------------------------------


@pytest.fixture
def published(db):
    """Four units: 4 and 5 satisfaction answers (the N<5 boundary, two regions), 9 and 10
    complication answers (N<10), and one unit whose latest year is too small while the year
    before is not (its whole row hidden)."""
    four, five = crafted.unit(101, region="nord"), crafted.unit(102, region="vest")
    nine, ten = crafted.unit(103, region="midt"), crafted.unit(104, region="sor_ost")
    shrunk = crafted.unit(105, region="vest")
    satisfaction_episodes(four, 4)
    satisfaction_episodes(five, 4)
    satisfaction_episodes(five, 1, answer=5)  # 4 of 5 satisfied
    complication_episodes(nine, 9, with_complication=1)
    complication_episodes(ten, 10, with_complication=1)
    satisfaction_episodes(shrunk, 6, on=date(YEAR - 1, 3, 3))
    satisfaction_episodes(shrunk, 2)
    return {"four": four, "five": five, "nine": nine, "ten": ten, "shrunk": shrunk}


def test_the_open_results_open_without_login_and_log_nothing(client, published):
    response = client.get(OPEN, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="indicator-pasientfornoydhet"' in html
    assert "Enhet 102" in html
    # the public page shows no signed-in navigation and no unit picker
    for private in ("/patients/", "/worklists/", "/reports/coverage/", "unit-picker", "/logout/"):
        assert private not in html
    assert client.get(OPEN_CSV, {"year": YEAR}).status_code == 200
    assert not AuditEvent.objects.exists()


def test_the_open_csv_has_the_published_columns_and_decimal_commas(client, published):
    response = client.get(OPEN_CSV, {"year": YEAR})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(body(response))
    assert list(rows[0]) == [
        "ind_id", "nivaa", "enhet", "resh_id", "aar", "teller", "nevner", "andel",
        "ki_nedre", "ki_ovre", "maaloppnaaelse", "merknad",
    ]  # fmt: skip
    # 102 (4 of 5) is hidden as a complement: 101's leader knows its 4, so the nation's 11
    # minus 4 and 5 would give 105's 2 (issue 11); the nation is shown
    assert one(rows, SATISFIED, nivaa="enhet", resh_id="102", aar=str(YEAR))["nevner"] == ""
    shown = one(rows, SATISFIED, nivaa="nasjonalt", aar=str(YEAR))
    assert (shown["teller"], shown["nevner"], shown["andel"]) == ("10", "11", "90,9")
    assert re.fullmatch(r"\d+,\d", shown["ki_nedre"])
    assert re.fullmatch(r"\d+,\d", shown["ki_ovre"])
    assert shown["maaloppnaaelse"] == "høy"  # target 80 %
    assert shown["merknad"] == ""
    # every indicator, every year and the three pooled (issue 16, D3), at every level
    years = {str(YEAR - 2), str(YEAR - 1), str(YEAR), f"{YEAR - 2}-{YEAR}"}
    assert {r["aar"] for r in rows} == years
    assert {r["nivaa"] for r in rows} == {"enhet", "helseregion", "nasjonalt"}


def test_a_share_of_four_is_hidden_and_of_five_shown_without_leaking_counts(client, published):
    rows = read_csv(body(client.get(OPEN_CSV, {"year": YEAR})))
    hidden = one(rows, SATISFIED, nivaa="enhet", resh_id="101", aar=str(YEAR))
    assert hidden["merknad"] == "N<5"
    for column in ("teller", "nevner", "andel", "ki_nedre", "ki_ovre", "maaloppnaaelse"):
        assert hidden[column] == "", column
    # a health region of 4 is hidden too; the one of 5+2 is hidden as its complement (the
    # nation minus Helse Vest would give Helse Nord); the nation of 4+5+2 is shown
    assert (
        one(rows, SATISFIED, nivaa="helseregion", enhet="Helse Nord", aar=str(YEAR))["nevner"] == ""
    )
    vest = one(rows, SATISFIED, nivaa="helseregion", enhet="Helse Vest", aar=str(YEAR))
    assert (vest["teller"], vest["nevner"], vest["merknad"]) == ("", "", "skjult: sekundærprikking")
    nation = one(rows, SATISFIED, nivaa="nasjonalt", aar=str(YEAR))
    assert (nation["teller"], nation["nevner"]) == ("10", "11")


def test_complications_are_hidden_below_ten_and_shown_at_ten(client, published):
    rows = read_csv(body(client.get(OPEN_CSV, {"year": YEAR})))
    nine = one(rows, COMPLICATIONS, nivaa="enhet", resh_id="103", aar=str(YEAR))
    assert (nine["teller"], nine["nevner"], nine["andel"], nine["merknad"]) == ("", "", "", "N<10")
    # ten is hidden too, as the complement of nine: the nation of 19 minus ten gives nine
    ten = one(rows, COMPLICATIONS, nivaa="enhet", resh_id="104", aar=str(YEAR))
    assert (ten["teller"], ten["nevner"], ten["merknad"]) == ("", "", "skjult: sekundærprikking")
    # and the nation with them: 103's leader knows its nine, so the nation of 19 would give
    # ten's (issue 11: the reader's own cell counts as shown to them)
    nation = one(rows, COMPLICATIONS, nivaa="nasjonalt", aar=str(YEAR))
    assert (nation["teller"], nation["nevner"], nation["andel"]) == ("", "", "")
    assert nation["merknad"] == "skjult: sekundærprikking"


def test_a_unit_whose_latest_year_is_too_small_is_hidden_in_every_year(client, published):
    rows = read_csv(body(client.get(OPEN_CSV, {"year": YEAR})))
    before = one(rows, SATISFIED, nivaa="enhet", resh_id="105", aar=str(YEAR - 1))
    assert (before["teller"], before["nevner"], before["andel"]) == ("", "", "")
    assert before["merknad"] == f"skjult: N<5 i {YEAR}"
    latest = one(rows, SATISFIED, nivaa="enhet", resh_id="105", aar=str(YEAR))
    assert (latest["nevner"], latest["merknad"]) == ("", "N<5")


def test_no_hidden_cell_of_the_open_csv_carries_a_count(client, published):
    rows = read_csv(body(client.get(OPEN_CSV, {"year": YEAR})))
    hidden = [r for r in rows if r["merknad"].startswith(("N<", "skjult"))]
    assert len(hidden) > 20
    for row in hidden:
        assert row["teller"] == row["nevner"] == row["andel"] == "", row


def test_the_page_shows_the_suppression_labels_not_the_counts(client, published):
    html = client.get(OPEN, {"year": YEAR}).content.decode()
    section = html.split('id="indicator-pasientfornoydhet"')[1].split("</section>")[0]
    unit_101 = re.search(r"<th scope=\"row\">Enhet 101.*?</tr>", section, re.S)
    assert unit_101
    assert "N&lt;5" in unit_101.group(0)
    assert "N = 4" not in unit_101.group(0)
    assert "N = 5" not in section  # unit 102 is hidden as a complement
    assert "N = 11" in section  # the nation is shown


def test_low_coverage_units_are_labelled_in_the_open_results(client, published):
    NprCount.objects.create(unit=published["five"], year=YEAR, patients=100)  # 5 %
    rows = read_csv(body(client.get(OPEN_CSV, {"year": YEAR})))
    assert "Lav dekningsgrad" in one(rows, SATISFIED, resh_id="102", aar=str(YEAR))["merknad"]
    assert "Lav dekningsgrad" not in one(rows, SATISFIED, resh_id="101", aar=str(YEAR))["merknad"]
    html = client.get(OPEN, {"year": YEAR}).content.decode()
    assert "low-coverage" in html


def test_a_bad_year_of_the_open_results_is_a_400_naming_the_field(client, db):
    assert client.get(OPEN, {"year": "abc"}).status_code == 400
    response = client.get(OPEN_CSV, {"year": "1900"})
    assert response.status_code == 400
    assert response.content.decode().startswith("year: ")


# --- the unit leader's CSV ----------------------------------------------------------------


def member(unit, role: Role, name: str):
    return create_user(username=name, password=PASSWORD, units=[unit], role=role)


def test_the_unit_csv_has_the_leaders_unit_and_the_nation_only(published):
    leader = member(published["four"], Role.UNIT_LEADER, "leder")
    client = sign_in(Client(), leader)
    response = client.get(UNIT_CSV, {"year": YEAR})
    assert response.status_code == 200
    rows = read_csv(response.content)
    assert {r["nivaa"] for r in rows} == {"enhet", "nasjonalt"}
    assert {r["resh_id"] for r in rows if r["nivaa"] == "enhet"} == {"101"}
    assert not any(r["enhet"].startswith("Enhet 10") and r["enhet"] != "Enhet 101" for r in rows)
    # the unit's own counts are given though suppressed as published (no share, no interval)
    own = one(rows, SATISFIED, nivaa="enhet", aar=str(YEAR))
    assert (own["teller"], own["nevner"], own["andel"], own["merknad"]) == ("4", "4", "", "N<5")
    nation = one(rows, SATISFIED, nivaa="nasjonalt", aar=str(YEAR))
    assert (nation["nevner"], nation["andel"]) == ("11", "90,9")


def test_the_unit_csv_is_one_export_row_and_only_for_the_unit_leader(published):
    leader = member(published["four"], Role.UNIT_LEADER, "leder")
    assert sign_in(Client(), leader).get(UNIT_CSV).status_code == 200
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.target, event.unit_id, event.user_id) == ("unit indicators csv", 101, leader.pk)
    for role in (Role.REGISTRAR, Role.REPORTING, Role.COORDINATOR):
        other = sign_in(Client(), member(published["four"], role, f"u-{role}"))
        assert other.get(UNIT_CSV).status_code == 403, role


# --- the research extract -----------------------------------------------------------------

NATIONAL_ID = re.compile(r"\d{11}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SEED_TODAY = date(2026, 11, 26)


@pytest.fixture
def registry(db):
    """40 synthetic patients with their histories, as `hsreg seed` writes them."""
    seed(patients=40, seed=11, today=SEED_TODAY, workers=1)
    unit = crafted.unit(999001)
    return {
        "coordinator": member(unit, Role.COORDINATOR, "koordinator"),
        "unit": unit,
    }


def research(client: Client, fmt: str, first: int = 2019, last: int = 2026):
    return client.get(f"/reports/exports/research.{fmt}", {"first_year": first, "last_year": last})


def xlsx_rows(content: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book["episodes"].iter_rows(values_only=True)]


def identifying_strings() -> list[re.Pattern[str]]:
    """Every patient's national id, first and last name, as whole words."""
    found = []
    for p in Patient.objects.all():
        for value in (p.national_id, p.first_name, p.last_name):
            found.append(re.compile(rf"\b{re.escape(value)}\b"))
    return found


def test_the_csv_and_xlsx_extracts_hold_no_national_id_name_or_date(registry):
    client = sign_in(Client(), registry["coordinator"])
    csv_response = research(client, "csv")
    xlsx_response = research(client, "xlsx")
    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith("attachment")
    csv_text = body(csv_response).decode("utf-8-sig")
    xlsx_bytes = body(xlsx_response)
    xlsx = xlsx_rows(xlsx_bytes)
    xlsx_text = "\n".join(";".join("" if v is None else str(v) for v in row) for row in xlsx)
    csv_rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert len(csv_rows) > 20  # episodes were exported
    assert len(xlsx) == len(csv_rows)
    patterns = identifying_strings()
    assert len(patterns) == 120
    for name, text in (("csv", csv_text), ("xlsx", xlsx_text)):
        assert not NATIONAL_ID.search(text), name
        assert not ISO_DATE.search(text), name
        leaked = [p.pattern for p in patterns if p.search(text)]
        assert not leaked, (name, leaked[:5])
    # the XLSX's own sheet XML too, not only what openpyxl reads back; openpyxl writes a
    # float with 16 significant digits (8.2 as 8.199999999999999), so digits after a decimal
    # point are not a number
    whole_number = re.compile(r"(?<![\d.])\d{11}")
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        for entry in archive.namelist():
            if entry.startswith("xl/"):
                xml = archive.read(entry).decode("utf-8")
                assert not whole_number.search(xml), entry
                assert not ISO_DATE.search(xml), entry
                assert not [p.pattern for p in patterns if p.search(xml)], entry


def test_the_extract_has_one_row_per_episode_with_its_columns(registry):
    client = sign_in(Client(), registry["coordinator"])
    csv_rows = read_csv(body(research(client, "csv")))
    assert list(csv_rows[0]) == list(RESEARCH_COLUMNS)
    xlsx = xlsx_rows(body(research(client, "xlsx")))
    assert xlsx[0] == list(RESEARCH_COLUMNS)
    assert len(xlsx) - 1 == len(csv_rows)
    for row in csv_rows:
        assert 2019 <= int(row["year"]) <= 2026
        assert row["sex"] in {"female", "male"}
        assert int(row["intervention_month"]) >= 0
        if row["control_month"]:
            assert int(row["control_month"]) >= int(row["intervention_month"])
        assert row["health_region"].startswith("Helse ")
    # numbers as numbers in the workbook, decimal commas in the CSV
    ages = [r[RESEARCH_COLUMNS_INDEX["age"]] for r in xlsx[1:]]
    assert all(isinstance(a, int) for a in ages)
    vas = [r["base_vas"] for r in csv_rows if r["base_vas"]]
    assert vas
    assert all(re.fullmatch(r"\d+,\d", v) for v in vas)


RESEARCH_COLUMNS_INDEX = {name: i for i, name in enumerate(RESEARCH_COLUMNS)}


def test_without_years_the_extract_has_the_last_three_complete_years(registry):
    client = sign_in(Client(), registry["coordinator"])
    response = client.get("/reports/exports/research.csv")
    assert response.status_code == 200
    last = date.today().year - 1
    assert AuditEvent.objects.get(action=Action.EXPORT).detail["years"] == [last - 2, last]
    assert {int(r["year"]) for r in read_csv(body(response))} <= {last - 2, last - 1, last}


def test_each_extract_is_one_audit_row_with_format_years_and_rows(registry):
    client = sign_in(Client(), registry["coordinator"])
    rows = read_csv(body(research(client, "csv", 2020, 2025)))
    research(client, "xlsx", 2024, 2024)
    events = list(AuditEvent.objects.filter(action=Action.EXPORT).order_by("id"))
    assert [e.target for e in events] == ["research extract", "research extract"]
    assert events[0].detail == {"format": "csv", "years": [2020, 2025], "rows": len(rows)}
    assert events[1].detail["format"] == "xlsx"
    assert events[1].detail["years"] == [2024, 2024]
    assert events[0].patient_id is None


def test_only_the_coordinator_gets_the_research_extract(registry):
    for role in (Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING):
        client = sign_in(Client(), member(registry["unit"], role, f"u-{role}"))
        assert client.get("/reports/exports/research/").status_code == 403, role
        assert research(client, "csv").status_code == 403, role
        assert research(client, "xlsx").status_code == 403, role
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert Client().get("/reports/exports/research.csv").status_code == 302  # to the login


def test_the_research_form_redirects_to_the_file_and_names_bad_fields(registry):
    client = sign_in(Client(), registry["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/reports/exports/research/")
    assert page.status_code == 200
    assert "pseudonym" in page.content.decode()
    chosen = client.get(
        "/reports/exports/research/", {"first_year": 2021, "last_year": 2023, "fmt": "xlsx"}
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == "/reports/exports/research.xlsx?first_year=2021&last_year=2023"
    wrong = client.get(
        "/reports/exports/research/", {"first_year": 2024, "last_year": 2021, "fmt": "csv"}
    )
    assert wrong.status_code == 400
    assert 'data-field="last_year"' in wrong.content.decode()
    bad_format = client.get("/reports/exports/research.pdf")
    assert bad_format.status_code == 400
    assert 'data-field="fmt"' in bad_format.content.decode()
    future = research(client, "csv", 2020, 2099)
    assert future.status_code == 400
    assert "no later than" in future.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


# --- the pseudonyms -----------------------------------------------------------------------


def test_the_pseudonym_is_stable_and_keyed(registry):
    client = sign_in(Client(), registry["coordinator"])
    first = read_csv(body(research(client, "csv")))
    again = read_csv(body(research(client, "csv")))
    assert [r["pseudonym"] for r in first] == [r["pseudonym"] for r in again]
    with override_settings(HSREG_RESEARCH_KEY="another key of the study"):
        other = read_csv(body(research(client, "csv")))
    assert len(other) == len(first)
    assert not {r["pseudonym"] for r in first} & {r["pseudonym"] for r in other}
    # a patient keeps one pseudonym across their episodes, and patients differ
    assert len({r["pseudonym"] for r in first}) < len(first)
    assert len({r["pseudonym"] for r in first}) > 1


def test_a_pseudonym_is_no_plain_hash_of_the_id(db):
    key = research_key()
    for patient_id in (1, 2, 42, 1234567):
        value = pseudonym(patient_id, key=key)
        assert re.fullmatch(r"[0-9a-f]{4}(-[0-9a-f]{4}){3}", value)
        plain = value.replace("-", "")
        for algorithm in ("md5", "sha1", "sha256", "sha512", "blake2b"):
            digest = hashlib.new(algorithm, str(patient_id).encode()).hexdigest()
            assert not digest.startswith(plain), algorithm
        assert pseudonym(patient_id, key=key) == value
        assert pseudonym(patient_id, key=b"other") != value


@override_settings(HSREG_RESEARCH_KEY="")
def test_without_a_setting_the_key_is_made_once_in_the_data_dir_for_its_owner_only(tmp_path):
    with override_settings(DATA_DIR=tmp_path):
        key = research_key()
        path = Path(tmp_path) / KEY_FILE
        assert path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert research_key() == key
        assert key != settings.SECRET_KEY.encode()
        assert len(key) >= 32


def test_the_django_secret_key_is_refused_as_the_research_key():
    with (
        override_settings(HSREG_RESEARCH_KEY=settings.SECRET_KEY),
        pytest.raises(ImproperlyConfigured),
    ):
        research_key()


def test_months_are_whole_months_from_the_first_registration():
    assert months_between(date(2024, 1, 31), date(2024, 1, 31)) == 0
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert months_between(date(2024, 1, 15), date(2024, 2, 15)) == 1
    assert months_between(date(2023, 11, 20), date(2025, 3, 19)) == 15


def test_the_months_of_a_crafted_episode(db):
    here = crafted.unit(101)
    coordinator = member(here, Role.COORDINATOR, "koordinator")
    p = crafted.patient(here)
    crafted.history(p, here, date(2023, 1, 10))
    crafted.episode(here, date(2023, 5, 12), kind=MEDICAL, after_report={"dlqi": 3}, p=p)
    rows = read_csv(body(research(sign_in(Client(), coordinator), "csv", 2023, 2023)))
    assert len(rows) == 1
    row = rows[0]
    # first registration 2023-01-10; intervention 2023-05-12; its 3-month control 12 weeks on
    assert (row["intervention_month"], row["control_month"]) == ("4", "6")
    assert (row["year"], row["resh_id"], row["health_region"]) == ("2023", "101", "Helse Vest")
    assert (row["intervention_type"], row["medical"], row["surgical"]) == ("2", "1", "0")
    assert row["ctl_dlqi"] == "3"
    born = p.birth_date
    assert row["age"] == str(2023 - born.year - ((born.month, born.day) > (5, 12)))
