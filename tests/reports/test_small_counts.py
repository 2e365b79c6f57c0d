"""Issue 11 point 10 and the unit leader's subtraction leak: no count of 1-4 per unit in a
distribution or administrative table for a reporting-only user (pages, chart files, the annual
report), no hidden cell derivable from the tables' sums, a unit's own counts exact to its own
staff only, and no hidden unit a leader can work out from the open results and their own
counts."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pypdfium2 as pdfium
import pytest
from django.test import Client

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.reports import distributions as d
from hsreg.reports import suppression
from hsreg.reports.annual import annual_report
from hsreg.reports.indicators import Tally, unit_tallies
from tests.registry.conftest import PASSWORD
from tests.reports.test_pages import chart_image
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db

YEAR = 2025
ON = date(YEAR, 3, 3)
AS_OF = date(YEAR + 1, 6, 1)
EXACT = d.Reader(exact=True)
SATISFIED = "pasientfornoydhet"


@pytest.fixture
def registry(db):
    """Four units in one region: 101 with 3 episodes (men), 202 with 2, 303 with 7 and 404
    with 12; every episode a patient's, with DLQI 12 before and a satisfied control of DLQI 5."""
    units = {
        101: crafted.unit(101, trust="Helse Bergen"),
        202: crafted.unit(202, trust="Helse Bergen"),
        303: crafted.unit(303, trust="Helse Stavanger"),
        404: crafted.unit(404, trust="Helse Fonna"),
    }
    for resh, n in ((101, 3), (202, 2), (303, 7), (404, 12)):
        for i in range(n):
            p = crafted.patient(units[resh], sex="male" if resh == 101 else "female")
            kind = SURGICAL if i % 2 else MEDICAL
            crafted.episode(
                units[resh], ON, kind=kind, p=p, before_report={"dlqi": 12},
                after_report={"satisfaction": 1, "dlqi": 5},
            )  # fmt: skip
    return units


def client_of(unit, role: Role) -> Client:
    user = create_user(username=f"u-{role}-{unit.pk}", password=PASSWORD, units=[unit], role=role)
    return sign_in(Client(), user)


def table_groups(table: d.Table) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """The sums a table shows, found from its layout (not from protect): each row's Sum
    column (or its near-sums) and each column's Sum row."""
    groups = []
    for i, row in enumerate(table.rows):
        groups += [((i, t), [(i, m) for m in ms]) for t, ms in table.row_sums]
        if row.total:
            units = [u for u, r in enumerate(table.rows) if not r.total]
            groups += [((i, j), [(u, j) for u in units]) for j in range(len(row.values))]
    return groups


def assert_protected(shown: list[d.Table], exact: list[d.Table], *, own: int | None = None):
    """No unit row of ``shown`` has a count of 1-4 (but the reader's own, ``own``), and no
    hidden cell with anyone in it can be derived from the shown ones: by this reader, and
    (a table for the public) by the leader of any one unit, who knows that unit's row."""
    for table, truth in zip(shown, exact, strict=True):
        assert [r.label for r in table.rows] == [r.label for r in truth.rows]
        sizes = {(i, j): v for i, r in enumerate(truth.rows) for j, v in enumerate(r.values)}
        hidden = {
            (i, j) for i, r in enumerate(table.rows) for j, v in enumerate(r.values) if v is None
        }
        for row in table.rows:
            if row.total or row.key == own:
                continue
            assert not any(v is not None and 0 < v < 5 for v in row.values), (table.id, row)
        groups = table_groups(truth)
        assert not suppression.derivable(sizes=sizes, hidden=hidden, groups=groups), table.id
        if own is not None:
            continue  # the reader's own row is shown to them: the check above is theirs
        for i, row in enumerate(truth.rows):
            known = {(i, j) for j in range(len(row.values))}
            found = suppression.derivable(sizes=sizes, hidden=hidden, groups=groups, known=known)
            assert not found, (table.id, row.label, found)


# --- administrative tables ----------------------------------------------------------------


def test_a_reporting_user_sees_no_count_of_1_to_4_per_unit_in_the_administrative_tables(registry):
    client = client_of(registry[101], Role.REPORTING)
    response = client.get("/reports/administrative/", {"year": YEAR, "level": "nation"})
    assert response.status_code == 200
    tables = response.context["tables"]
    exact = d.administrative(year=YEAR, as_of=date(YEAR, 12, 31), reader=EXACT)
    episodes = {t.id: t for t in exact}["episodes_per_year"]
    assert [r.values[-2] for r in episodes.rows] == [3, 2, 7, 12, 24]  # the crafted counts
    assert_protected(tables, exact)
    html = response.content.decode()
    section = html.split('id="table-episodes_per_year"')[1].split("</section>")[0]
    for resh in (101, 202):
        row = re.search(rf"<th scope=\"row\">Enhet {resh}</th>.*?</tr>", section, re.S)
        assert row is not None
        cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(0))
        assert not {"1", "2", "3", "4"} & set(cells), cells
        assert "skjult" in cells


def test_the_administrative_sums_give_no_hidden_count_away(registry):
    """Both directions: the Sum column of a unit's row and the Sum row of a column. 202's 2
    and 101's 3 are hidden; 303 (7) is hidden too, else the Sum row minus 303 and 404 would
    give 101 and 202 to each other's leaders."""
    tables = {t.id: t for t in d.administrative(year=YEAR, as_of=date(YEAR, 12, 31))}
    episodes = tables["episodes_per_year"]
    latest = [r.values[-2] for r in episodes.rows]
    assert latest[:3] == [None, None, None]
    assert latest[3:] == [12, 24]
    # each small unit's Sum column is hidden with it: it equals the year's count
    assert episodes.rows[0].values[-1] is None


def test_a_reporting_users_own_unit_page_hides_what_the_national_page_hides(registry):
    client = client_of(registry[101], Role.REPORTING)
    response = client.get("/reports/administrative/", {"year": YEAR, "level": "unit"})
    for table in response.context["tables"]:
        for row in table.rows:
            assert not any(v is not None and 0 < v < 5 for v in row.values), (table.id, row)
    national = {t.id: t for t in d.administrative(year=YEAR, as_of=date(YEAR, 12, 31))}
    for table in response.context["tables"]:
        (row,) = [r for r in national[table.id].rows if r.key == 101] or [None]
        assert table.rows == ([row] if row else [])


def test_a_unit_leader_sees_their_own_units_counts_but_not_anothers(registry):
    client = client_of(registry[101], Role.UNIT_LEADER)
    tables = client.get("/reports/administrative/", {"year": YEAR}).context["tables"]
    episodes = {t.id: t for t in tables}["episodes_per_year"]
    rows = {r.key: r for r in episodes.rows}
    assert rows[101].values[-2] == 3  # their own
    assert rows[202].values[-2] is None  # another unit's 2
    exact = d.administrative(year=YEAR, as_of=date(YEAR, 12, 31), reader=EXACT)
    assert_protected(tables, exact, own=101)


def test_the_coordinators_administrative_page_keeps_exact_counts(registry):
    client = client_of(registry[404], Role.COORDINATOR)
    tables = client.get("/reports/administrative/", {"year": YEAR}).context["tables"]
    episodes = {t.id: t for t in tables}["episodes_per_year"]
    assert [r.values[-2] for r in episodes.rows] == [3, 2, 7, 12, 24]
    # but not in the distributions, which are published figures
    figures = client.get("/reports/distributions/", {"year": YEAR}).context["figures"]
    units = next(f for f in figures if f.data.id == "units").data
    assert {c.key: c.n for c in units.categories}[202] is None


# --- distributions ------------------------------------------------------------------------


def test_a_reporting_user_sees_no_count_of_1_to_4_per_unit_in_the_units_figure(registry):
    client = client_of(registry[303], Role.REPORTING)
    response = client.get("/reports/distributions/", {"year": YEAR, "level": "nation"})
    figure = next(f for f in response.context["figures"] if f.data.id == "units")
    counts = {c.key: c.n for c in figure.data.categories}
    assert counts[101] is None
    assert counts[202] is None
    assert counts[404] == 12
    # 303's 7 is hidden as well: with 101 or 202 known to its leader the total gives the other
    assert counts[303] is None
    assert figure.data.total == 24
    # the table beside the chart and the chart's labels and description
    for line in figure.lines:
        if line.label in ("Enhet 101", "Enhet 202"):
            assert line.values == ["skjult", ""], line
    for svg in (chart_image(client, figure), client.get("/reports/charts/distribution-units.svg",
                                       {"year": YEAR, "level": "nation"}).content.decode()):  # fmt: skip
        assert not re.search(r"\(n=[1-47]\)", svg)
        assert not re.search(r"Enhet (101|202|303): \d", svg)
        assert "(n=skjult)" in svg
    sizes: dict[object, int] = {**dict(enumerate([3, 2, 7, 12])), "total": 24}
    hidden = {i for i, c in enumerate(figure.data.categories) if c.n is None}
    groups = [("total", [0, 1, 2, 3])]
    assert not suppression.derivable(sizes=sizes, hidden=hidden, groups=groups)
    for i in range(4):
        assert not suppression.derivable(sizes=sizes, hidden=hidden, groups=groups, known={i})


def test_a_reporting_users_own_unit_figures_hide_its_small_counts(registry):
    client = client_of(registry[101], Role.REPORTING)
    response = client.get("/reports/distributions/", {"year": YEAR, "level": "unit"})
    sex = next(f for f in response.context["figures"] if f.data.id == "sex")
    # 101's three men: every category and the total hidden, and no share that gives them
    assert all(c.n in (None, 0) for c in sex.data.categories)
    assert sex.data.total is None
    assert all(sex.data.percent(c) is None for c in sex.data.categories)
    assert "(n=3)" not in chart_image(client, sex)
    html = response.content.decode()
    assert "(n=3)" not in html
    chart = client.get("/reports/charts/distribution-sex.svg", {"year": YEAR, "level": "unit"})
    assert "(n=3)" not in chart.content.decode()
    assert "N=3" not in chart.content.decode()


def test_a_reporting_users_own_unit_dlqi_and_hurley_shifts_hide_its_small_counts(registry):
    client = client_of(registry[101], Role.REPORTING)
    response = client.get("/reports/distributions/", {"year": YEAR, "level": "unit"})
    shift = next(f for f in response.context["shifts"] if f.data.id == "dlqi_shift")
    # 101's three episodes: moderate before, mild after; all hidden, the total too
    assert shift.data.total is None
    for c in shift.data.categories:
        assert c.before in (None, 0), c
        assert c.after in (None, 0), c
    assert not any(re.search(r"\b[1-4]\b", v) for line in shift.lines for v in line.values)
    chart = client.get("/reports/charts/shift-dlqi_shift.svg", {"year": YEAR, "level": "unit"})
    assert not re.search(r"(before|after) [1-4]\b|N=[1-4]\b", chart.content.decode())
    leader = client_of(registry[101], Role.UNIT_LEADER)
    own = leader.get("/reports/distributions/", {"year": YEAR, "level": "unit"})
    exact = next(f for f in own.context["shifts"] if f.data.id == "dlqi_shift").data
    assert exact.total == 3


def test_a_unit_leader_sees_their_own_units_figures_exact(registry):
    client = client_of(registry[101], Role.UNIT_LEADER)
    own = client.get("/reports/distributions/", {"year": YEAR, "level": "unit"})
    sex = next(f for f in own.context["figures"] if f.data.id == "sex")
    assert sex.data.total == 3
    national = client.get("/reports/distributions/", {"year": YEAR, "level": "nation"})
    units = next(f for f in national.context["figures"] if f.data.id == "units").data
    counts = {c.key: c.n for c in units.categories}
    assert counts[101] == 3
    assert counts[202] is None


def test_the_annual_report_hides_small_counts_per_unit(registry):
    pdf = pdfium.PdfDocument(annual_report(year=YEAR, as_of=date(YEAR, 12, 31)))
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    pdf.close()
    lines = [
        line for line in text.replace("\r\n", "\n").split("\n") if re.match(r"Enhet 202\b", line)
    ]
    assert len(lines) > 5  # the unit is listed in the figures and the administrative tables
    for line in lines:
        assert not re.search(r"\b[1-4]\b", line.removeprefix("Enhet 202")), line
    assert "Enhet 202, N=skjult" in lines


# --- averages ------------------------------------------------------------------------------


def test_a_reporting_user_sees_no_count_of_1_to_4_per_unit_beside_the_means(registry):
    client = client_of(registry[303], Role.REPORTING)
    response = client.get("/reports/averages/", {"year": YEAR, "level": "nation"})
    figure = next(f for f in response.context["figures"] if f.data.id == "dlqi_by_unit")
    counts = {r.key: r.n for r in figure.data.rows if not r.total}
    assert counts[101] is None
    assert counts[202] is None
    assert counts[303] is None  # the complement: 101's or 202's leader would get the other
    assert counts[404] == 12
    assert figure.data.rows[-1].n == 24
    for svg in (chart_image(client, figure), client.get("/reports/charts/average-dlqi_by_unit.svg",
                                       {"year": YEAR, "level": "nation"}).content.decode()):  # fmt: skip
        assert not re.search(r"N=[1-47]\b", svg)
        assert "N=skjult" in svg
    comparison = next(f for f in response.context["comparisons"]
                      if f.data.id == "dlqi_before_after_by_unit")  # fmt: skip
    assert all(r.n is None or r.n == 0 or r.n >= 5 for r in comparison.data.rows)
    own = client_of(registry[101], Role.UNIT_LEADER).get(
        "/reports/averages/", {"year": YEAR, "level": "nation"}
    )
    mine = next(f for f in own.context["figures"] if f.data.id == "dlqi_by_unit")
    assert {r.key: r.n for r in mine.data.rows if not r.total}[101] == 3


# --- the unit leader's subtraction ---------------------------------------------------------


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def two_small(db):
    """Helse Vest: 101 with 4 satisfaction answers and 102 with 2 (both N<5), in trusts of
    their own; Helse Nord: 201 with 10."""
    units = {
        101: crafted.unit(101, region="vest", trust="Helse Bergen"),
        102: crafted.unit(102, region="vest", trust="Helse Fonna"),
        201: crafted.unit(201, region="nord", trust="UNN"),
    }
    for resh, n in ((101, 4), (102, 2), (201, 10)):
        for _ in range(n):
            crafted.episode(units[resh], ON, kind=MEDICAL, after_report={"satisfaction": 1})
    return units


def test_a_leader_cannot_subtract_their_own_counts_to_get_another_hidden_unit(two_small, client):
    """The leader of 101 has their 4 from the unit's CSV; before, Helse Vest's published 6
    minus 4 gave 102's 2. Every published sum is checked with the leader's own cell known."""
    leader = client_of(two_small[101], Role.UNIT_LEADER)
    own = read_csv(leader.get("/reports/exports/unit.csv", {"year": YEAR}).content)
    mine = next(r for r in own if r["ind_id"] == SATISFIED and r["nivaa"] == "enhet"
                and r["aar"] == str(YEAR))  # fmt: skip
    assert mine["nevner"] == "4"  # the leader's own count
    public = read_csv(client.get("/open/results.csv", {"year": YEAR}).content)
    truth = unit_tallies(years=[YEAR], as_of=AS_OF)
    regions = {"101": "Helse Vest", "102": "Helse Vest", "201": "Helse Nord"}
    checked = 0
    for indicator_id in {r["ind_id"] for r in public}:
        rows = [r for r in public if r["ind_id"] == indicator_id and r["aar"] == str(YEAR)]
        known = {r["resh_id"]: int(r["nevner"]) for r in rows
                 if r["nivaa"] == "enhet" and r["nevner"]}  # fmt: skip
        known["101"] = truth.get((indicator_id, 101, YEAR), Tally()).denominator
        sums = [(r, [u for u, g in regions.items() if g == r["enhet"]])
                for r in rows if r["nivaa"] == "helseregion"]  # fmt: skip
        sums += [(r, list(regions)) for r in rows if r["nivaa"] == "nasjonalt"]
        for total, members in sums:
            if not total["nevner"]:
                continue
            unknown = [u for u in members if u not in known
                       and truth.get((indicator_id, int(u), YEAR), Tally()).denominator]  # fmt: skip
            assert len(unknown) != 1, (indicator_id, total["enhet"], unknown)
            checked += 1
    assert checked
    vest = next(r for r in public if r["ind_id"] == SATISFIED and r["enhet"] == "Helse Vest"
                and r["aar"] == str(YEAR))  # fmt: skip
    assert vest["nevner"] == ""
    assert vest["merknad"] == "skjult: sekundærprikking"


def test_complementary_holds_for_each_reader_who_knows_their_own_cell():
    sizes = {"T": 16, "a": 4, "b": 2, "c": 10}
    groups = [("T", ["a", "b", "c"])]
    public = suppression.complementary(sizes=sizes, hidden={"a", "b"}, groups=groups)
    assert public == {"a", "b"}  # the public alone cannot derive either
    assert suppression.derivable(sizes=sizes, hidden=public, groups=groups, known={"a"}) == {"b"}
    readers = [{"a"}, {"b"}, {"c"}]
    hidden = suppression.complementary(sizes=sizes, hidden={"a", "b"}, groups=groups,
                                       readers=readers)  # fmt: skip
    assert hidden == {"a", "b", "c"}
    for known in readers:
        assert not suppression.derivable(sizes=sizes, hidden=hidden, groups=groups, known=known)


def test_a_reader_whose_cell_is_the_only_other_member_hides_the_total():
    sizes = {"T": 6, "a": 4, "b": 2}
    hidden = suppression.complementary(sizes=sizes, hidden={"a", "b"}, groups=[("T", ["a", "b"])],
                                       readers=[{"a"}, {"b"}])  # fmt: skip
    assert hidden == {"T", "a", "b"}
