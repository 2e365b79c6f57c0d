"""The filters of the distributions and averages pages (issue 16, point 3; HISREG's
hisregUtvalg and Shiny modules): each filter narrows exactly at its boundaries, together they
narrow to the intersection, a bad value is a form error or a 400 (never a 500), the own unit is
shown against the rest of the country, small counts stay hidden under filters, the chart files
draw the filtered numbers and the query counts do not grow with the number of patients."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.reports import distributions as d
from hsreg.reports.charts.cache import digest
from hsreg.reports.distributions.filters import NO_FILTERS, Filters, parse_filters
from hsreg.treatments.models import InterventionType
from tests.registry.conftest import PASSWORD
from tests.signin import sign_in

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db

YEAR = 2025
AS_OF = date(2025, 12, 31)
EXACT = d.Reader(exact=True)
BOTH = InterventionType.BOTH


def by_id(items):
    return {item.id: item for item in items}


def counts(distribution: d.Distribution) -> dict[str, int | None]:
    return {c.label: c.n for c in distribution.categories}


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def registry(english):
    """Six interventions of 2025 at two units, chosen at each filter's boundaries:

    - A: p1 (woman, born 16 June 1990) medical on 1 March (34) and surgical on 1 Sept (35);
      p3 (woman, born 2 March 2000) combined on 2 March, her 25th birthday (25);
      p4 (woman, born 3 March 2000) surgical on 2 March, the day before her 25th (24);
    - B: p2 (man, born 10 Jan 1950) surgical on 1 Feb (75);
      p5 (man, born 1 Jan 1980) medical on 31 Dec (45).
    A draft and an intervention of 2024 are never counted."""
    a, b = crafted.unit(101, region="vest"), crafted.unit(202, region="nord")
    p1 = crafted.patient(a, born=date(1990, 6, 16), sex="female")
    crafted.intervention(p1, a, date(2025, 3, 1), MEDICAL)
    crafted.intervention(p1, a, date(2025, 9, 1), SURGICAL)
    p3 = crafted.patient(a, born=date(2000, 3, 2), sex="female")
    crafted.intervention(p3, a, date(2025, 3, 2), BOTH)
    p4 = crafted.patient(a, born=date(2000, 3, 3), sex="female")
    crafted.intervention(p4, a, date(2025, 3, 2), SURGICAL)
    p2 = crafted.patient(b, born=date(1950, 1, 10), sex="male")
    crafted.intervention(p2, b, date(2025, 2, 1), SURGICAL)
    p5 = crafted.patient(b, born=date(1980, 1, 1), sex="male")
    crafted.intervention(p5, b, date(2025, 12, 31), MEDICAL)
    crafted.intervention(p5, b, date(2025, 6, 1), MEDICAL, status="draft")
    crafted.intervention(p5, b, date(2024, 6, 1), MEDICAL)
    return {"a": a, "b": b}


def types(filters: Filters, unit=None) -> dict[str, int | None]:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, unit=unit, reader=EXACT, filters=filters))
    return counts(found["intervention_type"])


def total(filters: Filters, unit=None) -> int | None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, unit=unit, reader=EXACT, filters=filters))
    return found["intervention_type"].total


def test_without_filters_every_episode_of_the_year_counts(registry):
    assert total(NO_FILTERS) == 6


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(start=date(2025, 3, 1), end=date(2025, 3, 2)), 3),  # both ends inclusive
        (Filters(start=date(2025, 3, 2)), 4),
        (Filters(end=date(2025, 2, 1)), 1),
        (Filters(start=date(2025, 12, 31)), 1),
        (Filters(sex="female"), 4),
        (Filters(sex="male"), 2),
        (Filters(age_min=25, age_max=34), 2),  # p1's 34 and p3's 25 (her birthday); not p4
        (Filters(age_min=35), 3),
        (Filters(age_max=24), 1),
        (Filters(type=SURGICAL), 3),
        (Filters(type=MEDICAL), 2),
        (Filters(type=BOTH), 1),
    ],
)
def test_each_filter_narrows_exactly(registry, filters, expected):
    assert total(filters) == expected


def test_filters_together_narrow_to_every_condition(registry):
    assert total(Filters(sex="female", type=SURGICAL)) == 2  # p1 in September, p4
    assert total(Filters(sex="female", type=SURGICAL, age_max=34)) == 1  # p4
    assert total(Filters(sex="male", start=date(2025, 3, 1))) == 1  # p5
    assert total(Filters(sex="male", type=BOTH)) == 0
    assert types(Filters(sex="female", start=date(2025, 3, 2), end=date(2025, 3, 2))) == {
        "Surgical": 1,
        "Medical": 0,
        "Surgical and medical": 1,
        "None, decided by the doctor": 0,
        "None, decided by the patient": 0,
        "Did not attend": 0,
    }


def test_a_patient_is_counted_by_their_first_chosen_episode(registry):
    """p1's first episode of the year is medical; with "surgical" chosen, she is counted by
    her surgical one in September (R filters RegData before it counts)."""
    found = by_id(
        d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT, filters=Filters(type=SURGICAL))
    )
    assert counts(found["sex"]) == {"Female": 2, "Male": 1}
    assert counts(found["age"])["30–39"] == 1  # p1 at 35
    assert found["units"].total == 3
    everyone = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    assert counts(everyone["sex"]) == {"Female": 3, "Male": 2}


def test_the_unit_page_is_narrowed_too(registry):
    assert total(Filters(sex="female"), unit=registry["a"]) == 4
    assert total(Filters(sex="female"), unit=registry["b"]) == 0
    assert total(Filters(type=MEDICAL), unit=registry["b"]) == 1


def test_the_control_reports_and_histories_are_narrowed_through_the_intervention(english):
    a = crafted.unit(101)
    for sex, kind, satisfaction in (("female", SURGICAL, 1), ("male", MEDICAL, 2)):
        p = crafted.patient(a, sex=sex)
        crafted.history(p, a, date(2024, 1, 1), age_first_boil=15 if sex == "female" else 45)
        crafted.episode(
            a, date(2025, 2, 3), kind=kind, p=p, after_report={"satisfaction": satisfaction}
        )
    found = by_id(
        d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT, filters=Filters(sex="female"))
    )
    assert found["satisfaction"].total == 1
    assert counts(found["age_first_boil"])["10–19"] == 1
    assert found["age_first_boil"].total == 1


def _ihs4_registry() -> dict[str, object]:
    """IHS4 before and after at two units: A has 12 women (IHS4 5 -> 2) and 3 men (9 -> 4),
    B 11 women (7 -> 3)."""
    a, b = crafted.unit(101, region="vest"), crafted.unit(202, region="nord")
    forms = {"before_report": {"dlqi": 10}, "after_report": {"dlqi": 5}}
    for at, sex, n, before, after in ((a, "female", 12, 5, 2), (a, "male", 3, 9, 4), (b, "female", 11, 7, 3)):  # fmt: skip
        for _ in range(n):
            p = crafted.patient(at, sex=sex)
            crafted.history(p, at, date(2024, 1, 1))
            crafted.episode(
                at,
                date(2025, 4, 1),
                p=p,
                before={"ihs4": before, "hurley": 2},
                after={"ihs4": after, "hurley": 1},
                **forms,
            )
    return {"a": a, "b": b}


def _row(item, label: str):
    return next(r for r in item.rows if r.label == label)


def test_the_averages_are_narrowed(english):
    units = _ihs4_registry()
    everyone = by_id(d.averages(year=YEAR, as_of=AS_OF, reader=EXACT))
    women = by_id(d.averages(year=YEAR, as_of=AS_OF, reader=EXACT, filters=Filters(sex="female")))
    nation = _row(everyone["ihs4_by_unit"], "Whole country")
    assert nation.n == 26
    narrowed = _row(women["ihs4_by_unit"], "Whole country")
    assert narrowed.n == 23
    assert narrowed.mean == pytest.approx((12 * 5 + 11 * 7) / 23)
    at_a = _row(women["ihs4_by_unit"], units["a"].name)
    assert (at_a.n, at_a.mean) == (12, 5.0)
    paired = by_id(
        d.before_after(year=YEAR, as_of=AS_OF, reader=EXACT, filters=Filters(sex="male"))
    )
    row = _row(paired["ihs4_before_after_by_unit"], "Whole country")
    assert (row.n, row.before.mean, row.after.mean) == (3, None, None)  # N<10: hidden mean
    shifts = by_id(d.shifts(year=YEAR, as_of=AS_OF, reader=EXACT, filters=Filters(sex="female")))
    assert shifts["hurley_shift"].total == 23


def test_the_own_unit_against_the_rest_of_the_country(english):
    units = _ihs4_registry()
    leader = d.Reader(own=units["a"].resh_id)
    chosen = Filters(compare=True)
    found = by_id(
        d.distributions(year=YEAR, as_of=AS_OF, unit=units["a"], reader=leader, filters=chosen)
    )
    sex = found["sex"]
    assert counts(sex) == {"Female": 12, "Male": 3}  # the leader's own unit, exact
    assert sex.compared is not None
    assert counts(sex.compared) == {"Female": 11, "Male": 0}
    assert sex.compared.total == 11
    assert sex.compared.scope == "Rest of the country"
    means = by_id(
        d.averages(year=YEAR, as_of=AS_OF, unit=units["a"], reader=leader, filters=chosen)
    )
    by_unit = means["ihs4_by_unit"]
    assert [r.label for r in by_unit.rows] == [
        units["a"].name,
        "Rest of the country",
        "Whole country",
    ]
    rest = _row(by_unit, "Rest of the country")
    assert (rest.n, rest.mean) == (11, 7.0)
    by_type = means["ihs4_by_type"]
    assert _row(by_type, "Medical, rest of the country").n == 11
    assert _row(by_type, "Rest of the country").n == 11
    shifts = by_id(d.shifts(year=YEAR, as_of=AS_OF, unit=units["a"], reader=leader, filters=chosen))
    assert shifts["hurley_shift_rest"].total == 11
    assert shifts["hurley_shift_rest"].scope == "Rest of the country"
    assert shifts["hurley_shift"].total == 15


def test_the_rest_is_hidden_where_the_units_cell_is(english):
    """A reader who is not the unit's own (reporting-only): the unit's 3 men are hidden, and so
    are the rest's men (the country's page would give the unit's back) with a complement."""
    units = _ihs4_registry()
    b = units["b"]
    crafted.episode(b, date(2025, 4, 2), p=crafted.patient(b, sex="male"), before={"ihs4": 1})
    public = d.Reader()
    found = by_id(
        d.distributions(
            year=YEAR, as_of=AS_OF, unit=units["a"], reader=public, filters=Filters(compare=True)
        )
    )
    sex = found["sex"]
    assert counts(sex)["Male"] is None
    assert sex.compared is not None
    assert counts(sex.compared)["Male"] is None  # 1, and hidden because the unit's is
    assert counts(sex.compared)["Female"] is None or sex.compared.total is None  # complement


def test_small_national_counts_are_hidden_under_filters_only(registry):
    """Without filters the whole country's counts are published as before; with a filter
    set, a national count of 1-4 could name a patient (one day, one sex, one age) and is
    hidden with its complements, for every reader but the exact administration."""
    public = d.Reader()
    plain = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=public))
    assert counts(plain["sex"]) == {"Female": 3, "Male": 2}
    one_day = Filters(start=date(2025, 3, 2), end=date(2025, 3, 2), sex="female")
    narrow = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=public, filters=one_day))
    assert counts(narrow["sex"]) == {"Female": None, "Male": 0}
    assert narrow["sex"].total is None
    assert narrow["intervention_type"].total is None
    assert all(c.n in (None, 0) for c in narrow["intervention_type"].categories)
    units_figure = narrow["units"]
    assert all(c.n is None for c in units_figure.categories)
    shifts = d.shifts(year=YEAR, as_of=AS_OF, reader=public, filters=one_day)
    assert all(s.total in (None, 0) for s in shifts)


def test_small_national_means_counts_are_hidden_under_filters(english):
    _ihs4_registry()
    public = d.Reader()
    men = by_id(d.averages(year=YEAR, as_of=AS_OF, reader=public, filters=Filters(sex="male")))
    assert _row(men["ihs4_by_unit"], "Whole country").n is None  # 3 men
    assert _row(men["ihs4_by_type"], "Whole country").n is None
    plain = by_id(d.averages(year=YEAR, as_of=AS_OF, reader=public))
    assert _row(plain["ihs4_by_unit"], "Whole country").n == 26


# --- the form -----------------------------------------------------------------------------


def test_the_form_reads_every_filter():
    filters, form = parse_filters(
        {
            "date_from": "2025-03-01",
            "date_to": "2025-03-31",
            "sex": "male",
            "age_from": "18",
            "age_to": "40",
            "type": "2",
            "compare": "on",
        },
        year=YEAR,
        can_compare=True,
    )
    assert form.errors == {}
    assert filters == Filters(
        start=date(2025, 3, 1),
        end=date(2025, 3, 31),
        sex="male",
        age_min=18,
        age_max=40,
        type=2,
        compare=True,
    )
    assert filters.active
    with translation.override("en"):
        assert filters.words() == [
            "Intervention date 2025-03-01–2025-03-31",
            "Sex: Male",
            "Age 18–40 years",
            "Intervention: Medical",
            "Own unit against the rest of the country",
        ]
        assert Filters(age_min=18).words() == ["Age 18 years or older"]
        assert Filters(age_max=9).words() == ["Age 9 years or younger"]
    assert parse_filters({}, year=YEAR, can_compare=False)[0] == NO_FILTERS
    assert not Filters(compare=True).active


BAD = [
    ("date_from", "yesterday"),
    ("date_from", "2024-06-30"),  # before the follow-up period of report year 2025
    ("date_to", "2026-01-01"),  # after the report year
    ("date_to", "2025-02-30"),
    ("age_from", "-1"),
    ("age_to", "131"),
    ("age_from", "ten"),
    ("age_from", "1e3"),
    ("sex", "x"),
    ("type", "4"),
    ("type", "surgical"),
    ("date_from", "\x00"),
    ("age_to", "9" * 40),
]


@pytest.mark.parametrize(("field", "value"), BAD)
def test_a_bad_filter_is_an_error_on_its_field(field, value):
    filters, form = parse_filters({field: value}, year=YEAR, can_compare=True)
    assert filters is None
    assert field in form.errors


def test_the_dates_reach_back_to_the_follow_up_period(english):
    """The figures of the controls count 1 July 2024 - 30 June 2025 (periods, D4): a period in
    the second half of 2024 is a valid filter and chooses those episodes there."""
    filters, form = parse_filters(
        {"date_from": "2024-07-01", "date_to": "2024-12-31"}, year=YEAR, can_compare=False
    )
    assert form.errors == {}
    assert filters == Filters(start=date(2024, 7, 1), end=date(2024, 12, 31))
    a = crafted.unit(101)
    for on in (date(2024, 7, 1), date(2024, 12, 31), date(2025, 1, 2), date(2024, 6, 30)):
        crafted.episode(a, on, kind=SURGICAL, before={"hurley": 2}, after={"hurley": 1})
    shifts = by_id(d.shifts(year=YEAR, as_of=date(2026, 6, 1), reader=EXACT, filters=filters))
    assert shifts["hurley_shift"].total == 2
    everyone = by_id(d.shifts(year=YEAR, as_of=date(2026, 6, 1), reader=EXACT))
    assert everyone["hurley_shift"].total == 3


def test_reversed_ranges_and_comparison_without_a_unit_are_errors():
    filters, form = parse_filters(
        {"date_from": "2025-05-01", "date_to": "2025-04-01"}, year=YEAR, can_compare=True
    )
    assert filters is None
    assert "date_to" in form.errors
    filters, form = parse_filters({"age_from": "50", "age_to": "40"}, year=YEAR, can_compare=True)
    assert filters is None
    assert "age_to" in form.errors
    filters, form = parse_filters({"compare": "on"}, year=YEAR, can_compare=False)
    assert filters is None
    assert "compare" in form.errors


# --- the pages ----------------------------------------------------------------------------


@pytest.fixture
def clients(registry):
    made = {}
    for role in Role:
        user = create_user(
            username=f"f-{role}", password=PASSWORD, units=[registry["a"]], role=role
        )
        made[role] = sign_in(Client(), user)
        made[role].cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return made


def get(client: Client, name: str, **query: str):
    return client.get(f"{reverse(name)}?{urlencode({'year': YEAR, **query})}")


PAGES = ("reports:distributions", "reports:averages")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("field", "value"), BAD)
def test_a_bad_filter_on_a_page_is_a_400_with_the_form_error(clients, name, field, value):
    with translation.override("en"):
        response = get(clients[Role.UNIT_LEADER], name, **{field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-field="{field}"' in body
    assert f'aria-describedby="id_{field}_error"' in body  # the field names its error
    assert f'id="id_{field}_error"' in body
    assert "The filters could not be used" in body
    assert "<img" not in body  # no figures the reader did not ask for


@pytest.mark.parametrize(
    "chart",
    [
        "distribution-sex",
        "average-ihs4_by_unit",
        "shift-dlqi_shift",
        "before-after-ihs4_before_after_by_type",
    ],
)
def test_a_bad_filter_on_a_chart_file_is_a_400_naming_the_field(clients, chart):
    url = reverse("reports:chart", kwargs={"chart": chart, "fmt": "svg"})
    response = clients[Role.REPORTING].get(f"{url}?year={YEAR}&age_from=abc")
    assert response.status_code == 400
    assert b'data-field="age_from"' in response.content


def test_comparison_by_a_reader_without_a_unit_is_a_400(registry):
    coordinator = create_user(
        username="f-nounit", password=PASSWORD, units=[], role=Role.COORDINATOR
    )
    client = sign_in(Client(), coordinator)
    response = get(client, "reports:distributions", compare="on")
    assert response.status_code in (400, 403)


IMAGE = re.compile(r'<img src="(/reports/charts/[^"?]+\.svg\?[^"]+)"')


def test_the_page_states_the_filters_and_its_charts_draw_the_filtered_numbers(clients):
    client = clients[Role.REPORTING]
    with translation.override("en"):
        response = get(client, "reports:distributions", sex="female", type="1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Filters:</strong> Sex: Female; Intervention: Surgical." in body
    charts = body.count('<figure class="chart">')
    assert charts >= len(response.context["figures"]) + len(response.context["shifts"])
    assert body.count("Filters: Sex: Female; Intervention: Surgical</figcaption>") == charts
    figure = next(f for f in response.context["figures"] if f.data.id == "intervention_type")
    assert figure.data.total is None  # 2 (p1 in September and p4): hidden under filters
    assert figure.lines[-1].values[0] == "hidden"
    sources = [unescape(s) for s in IMAGE.findall(body)]
    source = next(s for s in sources if "distribution-intervention_type" in s)
    query = parse_qs(urlsplit(source).query)
    assert query["sex"] == ["female"]
    assert query["type"] == ["1"]
    kept = client.get(source)
    assert kept.status_code == 200
    # without the kept version the file counts anew, with the same filters: the same numbers
    fresh = client.get(source.split("&v=")[0])
    assert fresh.status_code == 200
    assert fresh["ETag"] == kept["ETag"]
    assert fresh["ETag"].strip('"').endswith(digest(figure.data))
    unfiltered = client.get(
        reverse("reports:chart", kwargs={"chart": "distribution-intervention_type", "fmt": "svg"})
        + f"?year={YEAR}"
    )
    assert unfiltered["ETag"] != kept["ETag"]


def test_the_comparison_on_the_page(clients, registry):
    client = clients[Role.UNIT_LEADER]
    with translation.override("en"):
        response = get(client, "reports:distributions", compare="on")
    assert response.status_code == 200
    assert response.context["params"].level == "unit"  # a view of the own unit
    figure = next(f for f in response.context["figures"] if f.data.id == "intervention_type")
    assert figure.data.compared is not None
    assert figure.headers[-1].endswith("(Rest of the country)")
    assert "compare=1" in figure.query
    assert "level=unit" in figure.query
    chart = reverse("reports:chart", kwargs={"chart": figure.chart, "fmt": "svg"})
    svg = client.get(f"{chart}?{figure.query}").content.decode()
    assert "Rest of the country" in svg
    with translation.override("en"):
        means = get(client, "reports:averages", compare="on")
    assert means.status_code == 200


def test_a_one_day_filter_does_not_show_a_reporting_user_one_patient(clients):
    with translation.override("en"):
        response = get(
            clients[Role.REPORTING],
            "reports:distributions",
            date_from="2025-12-31",
            date_to="2025-12-31",
            sex="male",
            age_from="45",
            age_to="45",
        )
    assert response.status_code == 200
    for figure in response.context["figures"] + response.context["shifts"]:
        for line in figure.lines:
            for value in line.values:
                assert not re.fullmatch(r"[1-4]( \(.*\))?", value), (figure.chart, line)


# --- query counts -------------------------------------------------------------------------

ALL = Filters(
    start=date(2025, 1, 1),
    end=date(2025, 12, 31),
    sex="female",
    age_min=0,
    age_max=130,
    type=SURGICAL,
)


@pytest.mark.parametrize(
    "function", [d.distributions, d.averages, d.before_after, d.shifts], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("compared", [False, True])
def test_filtered_query_counts_do_not_grow_with_the_patients(english, function, compared):
    a, b = crafted.unit(101), crafted.unit(202, region="nord")
    chosen = replace(ALL, compare=compared)

    def run():
        with CaptureQueriesContext(connection) as captured:
            function(year=YEAR, as_of=AS_OF, unit=a if compared else None, filters=chosen)
        return len(captured)

    add(3, a, b)
    few = run()
    add(30, a, b)
    assert run() == few


def add(patients: int, a, b) -> None:
    for k in range(patients):
        at = a if k % 2 else b
        crafted.episode(
            at,
            date(2025, 1, 5),
            kind=(MEDICAL, SURGICAL)[k % 2],
            p=crafted.patient(at, sex=("female", "male")[k % 3 == 0]),
            before={"ihs4": 5, "hurley": 2},
            after={"ihs4": 2, "hurley": 1},
            before_report={"dlqi": 12, "smoking": 1, "work": 1},
            after_report={"dlqi": 4, "satisfaction": 1},
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_filtered_page_query_counts_do_not_grow_with_the_patients(clients, registry):
    client = clients[Role.UNIT_LEADER]
    query = urlencode(
        {"year": YEAR, "date_from": "2025-01-01", "sex": "female", "age_to": "90", "type": "1"}
    )
    urls = [f"{reverse(name)}?{query}" for name in PAGES]
    urls += [f"{reverse(name)}?{query}&compare=on" for name in PAGES]
    urls.append(
        reverse("reports:chart", kwargs={"chart": "distribution-age", "fmt": "png"}) + f"?{query}"
    )
    urls.append(
        reverse("reports:chart", kwargs={"chart": "average-ihs4_by_type", "fmt": "svg"})
        + f"?{query}&compare=1"
    )
    client.get(urls[0])
    before = {url: _queries(client, url) for url in urls}
    add(30, registry["a"], registry["b"])
    after = {url: _queries(client, url) for url in urls}
    assert after == before
