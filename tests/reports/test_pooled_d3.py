"""Issue 16, D3: the pooled three-year figure (HISREG's hisregFigIndikator_aarsamlet) beside the
yearly ones in every output: the indicator page, the overview, the open results CSV, the unit
leader's CSV and the annual PDF; hidden only when the pooled N is under 5."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.reports.annual.report import annual_report
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
SATISFIED = "pasientfornoydhet"


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def registry(db):
    """Unit 101: 2 satisfied episodes in 2023 and 2024 each, 1 in 2025 (5 pooled, every year
    under 5); unit 202: 6 a year (one of them not satisfied in 2025)."""
    a, b = crafted.unit(101), crafted.unit(202, region="nord", trust="UNN")
    for year, n in ((2023, 2), (2024, 2), (2025, 1)):
        for _ in range(n):
            crafted.episode(a, date(year, 3, 3), kind=MEDICAL, after_report={"satisfaction": 1})
    for year in (2023, 2024, 2025):
        for k in range(6):
            answer = 4 if (year == 2025 and k == 0) else 1
            crafted.episode(b, date(year, 3, 3), kind=MEDICAL,
                            after_report={"satisfaction": answer})  # fmt: skip
    return a, b


def client_of(unit, role: Role) -> Client:
    user = create_user(username=f"u-{role}-{unit.pk}", password=PASSWORD, units=[unit], role=role)
    client = sign_in(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_open_results_have_a_pooled_line_per_row(registry, client):
    rows = read_csv(client.get("/open/results.csv", {"year": YEAR}).content)
    pooled = [r for r in rows if r["ind_id"] == SATISFIED and r["aar"] == "2023-2025"]
    by_place = {(r["nivaa"], r["enhet"]): r for r in pooled}
    nation = by_place[("nasjonalt", "Nasjonalt")]
    assert (nation["teller"], nation["nevner"]) == ("22", "23")
    assert nation["ki_nedre"]
    assert nation["ki_ovre"]
    # unit 101: each year under 5 and hidden with its row; its three years pooled are 5: shown
    # (hidden only under 5), which gives only the sum of its hidden years
    small = by_place[("enhet", "Enhet 101")]
    assert (small["teller"], small["nevner"]) == ("5", "5")
    assert [r["nevner"] for r in rows if r["ind_id"] == SATISFIED and r["enhet"] == "Enhet 101"
            and r["aar"] != "2023-2025"] == ["", "", ""]  # fmt: skip


def test_the_unit_csv_and_the_pages_show_the_pooled_figure(registry):
    _a, b = registry
    leader = client_of(b, Role.UNIT_LEADER)
    own = read_csv(leader.get("/reports/exports/unit.csv", {"year": YEAR}).content)
    mine = next(r for r in own if r["ind_id"] == SATISFIED and r["nivaa"] == "enhet"
                and r["aar"] == "2023-2025")  # fmt: skip
    assert (mine["teller"], mine["nevner"]) == ("17", "18")
    page = leader.get(f"/reports/indicators/{SATISFIED}/", {"year": YEAR, "level": "unit"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "2023–2025" in html
    assert "17 / 18" in html  # the pooled share of unit 202 with its N
    overview = leader.get("/reports/", {"year": YEAR}).content.decode()
    assert 'class="cell pooled"' in overview


def test_the_annual_pdf_prints_the_pooled_column(registry):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(annual_report(year=YEAR, as_of=date(2026, 6, 1)))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "2023–2025" in text
    assert "94,4 %" in text or "94.4 %" in text  # unit 202's pooled 17 of 18
