"""Issue 11 in the reports: no hidden cell can be derived from the published totals (secondary
suppression), no exported cell is a formula, a "$" in a unit's name is text in every chart and
the annual report, and odd input is a clear 4xx or message, never a 500."""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from datetime import date

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from hsreg.accounts.models import Application, Role
from hsreg.accounts.services import create_user
from hsreg.reports import suppression
from hsreg.reports.annual import annual_report
from hsreg.reports.definitions import BY_ID
from hsreg.reports.exports import write_research_csv, write_research_xlsx
from hsreg.reports.indicators import Tally, indicator_table, unit_tallies
from hsreg.reports.services import parse_npr_file
from hsreg.spreadsheet import csv_row, neutral_text, xlsx_row
from hsreg.units.models import Unit
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL

pytestmark = pytest.mark.django_db

YEAR = 2025
ON = date(YEAR, 3, 3)
SATISFIED = "pasientfornoydhet"
OPEN_CSV = "/open/results.csv"


def satisfied(at, n: int) -> None:
    for _ in range(n):
        crafted.episode(at, ON, kind=MEDICAL, after_report={"satisfaction": 1})


# --- the rule, on crafted numbers ---------------------------------------------------------


def test_a_lone_hidden_member_takes_the_next_smallest_with_it():
    sizes = {"T": 20, "a": 3, "b": 9, "c": 8}
    hidden = suppression.complementary(sizes=sizes, hidden={"a"}, groups=[("T", ["a", "b", "c"])])
    assert hidden == {"a", "c"}


def test_with_one_other_member_the_total_or_that_member_is_hidden():
    sizes = {"T": 7, "a": 3, "b": 4}
    hidden = suppression.complementary(sizes=sizes, hidden={"a"}, groups=[("T", ["a", "b"])])
    assert hidden == {"a", "b"}
    only = suppression.complementary(sizes={"T": 3, "a": 3}, hidden={"a"}, groups=[("T", ["a"])])
    assert only == {"a", "T"}


def test_a_hidden_total_is_not_left_alone_either():
    sizes = {"N": 30, "R": 4, "S": 26, "a": 4, "b": 12, "c": 14}
    groups = [("N", ["R", "S"]), ("S", ["b", "c"]), ("R", ["a"])]
    hidden = suppression.complementary(sizes=sizes, hidden={"R"}, groups=groups)
    assert suppression.derivable(sizes=sizes, hidden=hidden, groups=groups) == set()
    assert {"R", "S", "a", "b"} <= hidden


def test_a_cell_of_nobody_needs_no_complement():
    sizes = {"T": 12, "a": 0, "b": 12}
    assert suppression.complementary(sizes=sizes, hidden={"a"}, groups=[("T", ["a", "b"])]) == {"a"}


def _tree_groups(trusts: list[list[int]]) -> tuple[dict[str, int], list[tuple[str, list[str]]]]:
    """A nation of one region of ``trusts``, each a list of its units' counts."""
    sizes: dict[str, int] = {}
    groups: list[tuple[str, list[str]]] = []
    units_all, trust_names = [], []
    for t, counts in enumerate(trusts):
        names = [f"u{t}.{i}" for i in range(len(counts))]
        sizes.update(zip(names, counts, strict=True))
        sizes[f"t{t}"] = sum(counts)
        groups.append((f"t{t}", names))
        units_all += names
        trust_names.append(f"t{t}")
    sizes["R"] = sum(sizes[t] for t in trust_names)
    groups += [("R", trust_names), ("R", units_all)]
    return sizes, groups


def test_every_small_table_exhaustively():
    """Every trust layout of up to 3 units in up to 2 trusts, counts from {0, 2, 5, 9}:
    after the rule no group has a lone hidden cell, and nothing hidden is shown again."""
    for layout in ([1], [2], [3], [1, 1], [1, 2], [2, 2]):
        cells = sum(layout)
        for counts in itertools.product((0, 2, 5, 9), repeat=cells):
            it = iter(counts)
            trusts = [[next(it) for _ in range(n)] for n in layout]
            sizes, groups = _tree_groups(trusts)
            primary = {k for k, v in sizes.items() if 0 < v < 5 or v == 0}
            hidden = suppression.complementary(sizes=sizes, hidden=primary, groups=groups)
            assert primary <= hidden
            assert suppression.derivable(sizes=sizes, hidden=hidden, groups=groups) == set(), trusts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_hidden_cell_is_ever_alone_in_a_published_sum(trusts):
    sizes, groups = _tree_groups(trusts)
    primary = {k for k, v in sizes.items() if v < 5}
    hidden = suppression.complementary(sizes=sizes, hidden=primary, groups=groups)
    assert primary <= hidden
    assert suppression.derivable(sizes=sizes, hidden=hidden, groups=groups) == set()
    # the same, for the exact subtraction a reader does: a total minus its shown members
    for total, members in groups:
        if total in hidden:
            continue
        rest = sizes[total] - sum(sizes[m] for m in members if m not in hidden)
        secret = [m for m in members if m in hidden and sizes[m] > 0]
        assert len(secret) != 1 or rest != sizes[secret[0]]


class _Unit:
    def __init__(self, resh: int, trust: str, region: str) -> None:
        self.resh_id, self.name, self.health_trust, self.region = resh, f"U{resh}", trust, region


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 12)), min_size=1, max_size=8
    )
)
def test_every_published_indicator_table_hides_together(units_spec):
    """The unit, trust, region and nation tables of one indicator: in every published sum a
    hidden cell with anyone in it is never the only hidden one, numerator and denominator."""
    indicator = BY_ID[SATISFIED]
    regions = ("nord", "vest", "midt")
    units = [_Unit(i + 1, f"T{r}{t}", regions[r]) for i, (r, t, _n) in enumerate(units_spec)]
    tallies = {
        (indicator.id, u.resh_id, y): Tally(n // 2, n)
        for u, (_r, _t, n) in zip(units, units_spec, strict=True)
        for y in (YEAR - 2, YEAR - 1, YEAR)
        if n
    }
    years = [YEAR - 2, YEAR - 1, YEAR]
    tables = {
        level: indicator_table(indicator, tallies, years=years, level=level, units=units)
        for level in ("unit", "trust", "region")
    }
    cells = {(level, r.key): r.cells for level, t in tables.items() for r in t.rows}
    by = {"trust": lambda u: u.health_trust, "region": lambda u: u.region}
    for year in years:
        groups = defaultdict(list)
        for u in units:
            for level in ("trust", "region"):
                groups[(level, by[level](u))].append(("unit", str(u.resh_id)))
            groups[("unit", "nation")].append(("unit", str(u.resh_id)))
        for r in {u.region for u in units}:
            groups[("region", "nation")].append(("region", r))
        for (level, key), members in groups.items():
            if (level, key) not in cells:  # no one counted in it: no row
                continue
            total = cells[(level, key)][year]
            if not total.shown:
                continue
            secret = [m for m in dict.fromkeys(members) if m in cells
                      and not cells[m][year].shown and cells[m][year].denominator > 0]  # fmt: skip
            assert len(secret) != 1, (year, level, key, secret)


def test_the_open_csv_recovers_nothing_by_region_total_minus_shown_units(client, db):
    """The probe's sequence: a region's total minus its shown units, on a crafted registry
    where one unit of Helse Vest has 3 satisfaction answers and the others 6 and 9."""
    small = crafted.unit(301, region="vest", trust="Helse Bergen")
    middle = crafted.unit(302, region="vest", trust="Helse Bergen")
    big = crafted.unit(303, region="vest", trust="Helse Stavanger")
    satisfied(small, 3)
    satisfied(middle, 6)
    satisfied(big, 9)
    text = client.get(OPEN_CSV, {"year": YEAR}).content.decode("utf-8-sig")
    rows = [r.split(";") for r in text.splitlines()]
    header = rows[0]
    lines = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    truth = unit_tallies(years=[YEAR], as_of=date(YEAR + 1, 6, 1))
    checked = 0
    for indicator_id in {r["ind_id"] for r in lines}:
        mine = [r for r in lines if r["ind_id"] == indicator_id and r["aar"] == str(YEAR)]
        region = next((r for r in mine if r["nivaa"] == "helseregion" and r["enhet"] == "Helse Vest"), None)  # fmt: skip
        if region is None or not region["nevner"]:
            continue
        units = [r for r in mine if r["nivaa"] == "enhet"]
        left = int(region["nevner"]) - sum(int(r["nevner"]) for r in units if r["nevner"])
        hidden = [int(r["resh_id"]) for r in units if not r["nevner"]]
        real = [truth.get((indicator_id, h, YEAR), Tally()).denominator for h in hidden]
        assert sum(1 for n in real if n) != 1, (indicator_id, hidden, left)
        checked += 1
    assert checked  # satisfaction at least: Helse Vest's 18 are shown
    line = next(r for r in lines if r["ind_id"] == SATISFIED and r["resh_id"] == "302"
                and r["aar"] == str(YEAR))  # fmt: skip
    assert (line["nevner"], line["merknad"]) == ("", "skjult: sekundærprikking")


# --- exports are not formulas -------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    assert neutral_text(f"{start}1+1") == f"'{start}1+1"
    assert csv_row([f"{start}x", 5, -5, 2.5, None]) == [f"'{start}x", 5, -5, 2.5, None]
    assert xlsx_row([f"{start}x", -5]) == [f"'{start}x", -5]
    assert neutral_text("Enhet 101") == "Enhet 101"


@pytest.fixture
def practice_from_application(db, client):
    """A private practice named like a formula, made a unit by the coordinator's approval of
    a public account application (accounts' own flow), with 6 satisfied episodes."""
    secretariat = Unit.objects.create(resh_id=4001031, name="HISREG sekretariat",
                                      health_trust="Helse Bergen", region="vest")  # fmt: skip
    coordinator = create_user(username="koordinator", password=PASSWORD,
                              units=[secretariat], role=Role.COORDINATOR)  # fmt: skip
    data = {
        "first_name": "Per", "last_name": "Hudlege", "email": "per@example.no",
        "phone": "+47 55 97 50 00", "unit": "", "practice_name": FORMULA,
        "practice_resh_id": "999123", "practice_region": "nord", "solution": "reporting",
        "justification": "Hudlege; rapporterer.",
    }  # fmt: skip
    assert Client().post(reverse("accounts:apply"), data).status_code == 302
    application = Application.objects.get()
    approver = sign_in(Client(), coordinator)
    approver.post(reverse("accounts:approve", args=[application.pk]), {"role": Role.REPORTING})
    practice = Unit.objects.get(pk=999123)
    assert practice.name == FORMULA
    satisfied(practice, 6)
    return practice


def test_a_formula_named_practice_is_text_in_the_open_and_unit_csv(
    client, practice_from_application
):
    text = client.get(OPEN_CSV, {"year": YEAR}).content.decode("utf-8-sig")
    assert (
        f";'{FORMULA.replace(chr(34), chr(34) * 2)}" in text
        or f';"\'{FORMULA.replace(chr(34), chr(34) * 2)}"' in text
    )
    assert f";{FORMULA}" not in text
    assert f';"{FORMULA.replace(chr(34), chr(34) * 2)}"' not in text
    leader = create_user(username="leder", password=PASSWORD, units=[practice_from_application],
                         role=Role.UNIT_LEADER)  # fmt: skip
    own = sign_in(Client(), leader).get("/reports/exports/unit.csv", {"year": YEAR})
    assert own.status_code == 200
    own_text = own.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in own_text
    assert ";=HYPERLINK" not in own_text
    assert ';"=HYPERLINK' not in own_text


def test_the_research_csv_and_xlsx_write_formula_text_as_text():
    row = ["abc", 999123, FORMULA, 2025, -3, 1.5, None]
    out = io.BytesIO()
    write_research_csv([row], out)
    text = out.getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text
    assert ';"=HYPERLINK' not in text
    out = io.BytesIO()
    write_research_xlsx([row], out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["episodes"]
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA
    assert sheet.cell(row=2, column=5).value == -3  # a real negative number stays a number
    assert sheet.cell(row=2, column=5).data_type == "n"


# --- chart text is text -------------------------------------------------------------------

#: the probe's name, and one whose "$...$" is mathtext matplotlib cannot parse (a 500 before)
DOLLARS = (r"Hud $\frac{1}{0}$ & co$", r"Hud $\foo$ & co")


@pytest.fixture(params=DOLLARS)
def dollar_unit(db, request):
    unit = Unit.objects.create(
        resh_id=777, name=request.param, health_trust="Helse Bergen", region="vest"
    )
    for _ in range(6):
        crafted.episode(unit, ON, kind=MEDICAL, before_report={"dlqi": 15, "vas": "6.0"},
                        after_report={"satisfaction": 1, "dlqi": 5})  # fmt: skip
    return unit


@pytest.mark.parametrize("role", [Role.REPORTING, Role.UNIT_LEADER, Role.COORDINATOR])
def test_a_dollar_in_a_unit_name_is_text_on_every_chart_page(dollar_unit, role):
    user = create_user(username=f"u{role}", password=PASSWORD, units=[dollar_unit], role=role)
    client = sign_in(Client(), user)
    for url in (f"/reports/indicators/{SATISFIED}/?year={YEAR}&level=unit",
                f"/reports/?year={YEAR}&level=unit", f"/reports/distributions/?year={YEAR}&level=unit",
                f"/reports/averages/?year={YEAR}&level=nation", f"/reports/averages/?year={YEAR}&level=unit",
                f"/reports/trends/?year={YEAR}",
                f"/reports/charts/indicator-{SATISFIED}.svg?year={YEAR}&level=unit",
                f"/reports/charts/indicator-{SATISFIED}.png?year={YEAR}&level=unit"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    svg = client.get(f"/reports/charts/indicator-{SATISFIED}.svg?year={YEAR}&level=unit")
    assert dollar_unit.name.replace("&", "&amp;") in svg.content.decode()


def test_a_dollar_in_a_unit_name_is_text_in_the_annual_report(dollar_unit):
    pdf = pdfium.PdfDocument(annual_report(year=YEAR, as_of=date(YEAR + 1, 6, 1)))
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert dollar_unit.name in text.replace("\r\n", " ").replace("\n", " ")


# --- odd input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["intervention=", "intervention=%C2%B2", "intervention=abc", "year=%C2%B2", "year=" + "9" * 5000,
     "year=2025%00", "level=%C2%B2", "level=" + "x" * 5000, "page=%C2%B2"],
)  # fmt: skip
def test_odd_query_parameters_of_the_report_pages_are_never_a_500(db, query):
    unit = crafted.unit(101)
    client = sign_in(Client(), create_user(username="r", password=PASSWORD, units=[unit],
                                           role=Role.REPORTING))  # fmt: skip
    for url in ("/reports/", f"/reports/indicators/{SATISFIED}/", "/reports/distributions/",
                "/reports/averages/", "/reports/trends/", "/reports/administrative/",
                f"/reports/charts/indicator-{SATISFIED}.svg", "/open/", OPEN_CSV):  # fmt: skip
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query)


@pytest.mark.parametrize("count", [str(10**20), "9" * 4301, "1" + "0" * 10])
def test_an_npr_count_too_large_is_a_line_and_column_error(db, count):
    crafted.unit(101)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        parse_npr_file(io.BytesIO(f"resh_id;year;count\n101;2025;{count}\n".encode()))
    (message,) = error.value.messages
    assert "2" in message
    assert "count" in message
