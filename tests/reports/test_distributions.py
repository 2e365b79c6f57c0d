"""The annual report's descriptive figures against counts made by hand on a crafted registry:
who is counted once (patients) and who per episode, the judging control's answers, means with
their intervals and the hiding of means below 10 records, trends per health region, the
administrative tables, and a query count that does not grow with the registry."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hsreg.assessments.models import Occasion
from hsreg.records.models import Status
from hsreg.reports import distributions as d
from hsreg.reports.stats import mean_interval
from hsreg.units.models import Unit

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
AS_OF = date(2025, 12, 31)
#: the counting itself: every count exact (the coordinator's administration; protect.Reader)
EXACT = d.Reader(exact=True)


def by_id(items: list[d.Distribution]) -> dict[str, d.Distribution]:
    return {item.id: item for item in items}


def counts(distribution: d.Distribution) -> dict[str, int]:
    return {c.label: c.n for c in distribution.categories}


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def registry(english) -> dict[str, Unit]:
    """Two units. At A, patient 1 (a woman of 34) has a medical intervention with a biologic in
    March and a surgical one in September; at B, patient 2 (a man of 75) has a surgical
    intervention whose 6-month control reports a wound infection. A draft intervention and
    one of the year before are not counted."""
    a = crafted.unit(101, region="vest")
    b = crafted.unit(202, region="nord")
    p1 = crafted.patient(a, born=date(1990, 6, 16), sex="female")
    crafted.history(p1, a, date(2024, 5, 1), age_first_boil=15)
    crafted.report(p1, a, date(2025, 2, 20), smoking=1, work=1, dlqi=12)
    crafted.doctor(p1, a, date(2025, 2, 20), hurley=2)
    medical = crafted.intervention(p1, a, date(2025, 3, 1), MEDICAL)
    crafted.biologic(p1, a, medical)
    surgery = crafted.intervention(p1, a, date(2025, 9, 1), SURGICAL)
    surgery.surgery_laser = True
    surgery.save()
    p2 = crafted.patient(b, born=date(1950, 1, 10), sex="male")
    crafted.history(p2, b, date(2024, 1, 5), age_first_boil=25)
    operated = crafted.intervention(p2, b, date(2025, 2, 1), SURGICAL)
    operated.surgery_laser = True
    operated.surgery_deroofing = True
    operated.save()
    crafted.report(
        p2,
        b,
        date(2025, 8, 1),
        occasion=Occasion.CONTROL_6,
        intervention=operated,
        wound_infection=1,
        bleeding=0,
        satisfaction=1,
        would_repeat=1,
        would_recommend=0,
    )
    crafted.intervention(p2, b, date(2025, 5, 5), MEDICAL, status=Status.DRAFT)
    crafted.intervention(p2, b, date(2024, 5, 5), MEDICAL)
    return {"a": a, "b": b}


def test_patients_are_counted_once_by_their_first_episode_of_the_year(registry) -> None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    age = found["age"]
    assert age.total == 2
    assert counts(age) == {
        "<10": 0, "10–19": 0, "20–29": 0, "30–39": 1, "40–49": 0, "50–59": 0, "60–69": 0,
        "70–79": 1, "≥80": 0,
    }  # fmt: skip
    assert counts(found["sex"]) == {"Female": 1, "Male": 1}
    assert found["smoking"].total == 1  # patient 2 has no report before treatment
    assert counts(found["smoking"])["Smokes"] == 1
    assert counts(found["work"])["Full-time work or student"] == 1
    assert counts(found["age_first_boil"]) == {
        "<10": 0, "10–19": 1, "20–29": 1, "30–39": 0, "40–49": 0, "50–59": 0, "60–69": 0,
        "70–79": 0, "≥80": 0,
    }  # fmt: skip


def test_episodes_are_counted_per_intervention(registry) -> None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    types = found["intervention_type"]
    assert types.total == 3  # the draft and last year's are left out
    assert counts(types)["Surgical"] == 2
    assert counts(types)["Medical"] == 1
    surgery = found["surgery_type"]
    assert surgery.multiple
    assert surgery.total == 2
    assert counts(surgery)["CO₂ laser"] == 2
    assert counts(surgery)["Deroofing"] == 1
    medical = found["medical_type"]
    assert (medical.total, counts(medical)["Biologic treatment"]) == (1, 1)
    assert counts(medical)["Antibiotic treatment"] == 0
    assert counts(found["biologic_type"])["Adalimumab"] == 1
    hurley = found["hurley"]
    # the February before forms are the March episode's own: September's has no baseline
    # (issue 16, D1: never a before form of an earlier episode)
    assert hurley.total == 1
    assert counts(hurley)["Stage II"] == 1
    units = found["units"]
    assert [(c.label, c.n) for c in units.categories] == [("Enhet 101", 2), ("Enhet 202", 1)]


def test_the_judging_controls_answers(registry) -> None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    complications = found["complications"]
    assert complications.total == 1
    assert counts(complications)["Wound infection needing treatment"] == 1
    assert counts(complications)["Bleeding after the operation needing treatment"] == 0
    assert counts(complications)["No complications"] == 0
    assert counts(found["satisfaction"]) == {
        "Satisfied": 1, "Somewhat satisfied": 0, "Neither satisfied nor dissatisfied": 0,
        "Somewhat dissatisfied": 0, "Dissatisfied": 0, "Don't know": 0,
    }  # fmt: skip
    assert counts(found["would_repeat"]) == {"No": 0, "Yes": 1, "Don't know": 0}
    assert counts(found["would_recommend"]) == {"No": 1, "Yes": 0, "Don't know": 0}


def test_a_unit_sees_only_its_own_episodes(registry) -> None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, unit=registry["b"], reader=EXACT))
    assert "units" not in found
    assert found["intervention_type"].total == 1
    assert found["age"].scope == "Enhet 202"
    assert counts(found["age"])["70–79"] == 1


def test_a_mean_of_fewer_than_ten_records_is_hidden(english) -> None:
    a = crafted.unit(101)
    for k in range(9):
        crafted.episode(a, date(YEAR, 3, 1) + timedelta(days=k), before_report={"dlqi": 10})
    (dlqi,) = [
        x for x in d.averages(year=YEAR, as_of=AS_OF, reader=EXACT) if x.id == "dlqi_by_unit"
    ]
    assert [(r.label, r.n, r.hidden, r.mean) for r in dlqi.rows] == [
        ("Enhet 101", 9, True, None),
        ("Whole country", 9, True, None),
    ]


def test_means_and_intervals_by_hand(english) -> None:
    a, b = crafted.unit(101), crafted.unit(202, region="nord")
    values = list(range(10, 20))
    for k, value in enumerate(values):
        crafted.episode(
            a,
            date(YEAR, 3, 1) + timedelta(days=k),
            kind=MEDICAL,
            before_report={"dlqi": value, "vas": "6.5"},
        )
    crafted.episode(b, date(YEAR, 4, 1), kind=SURGICAL, before_report={"dlqi": 30})
    found = {x.id: x for x in d.averages(year=YEAR, as_of=AS_OF, reader=EXACT)}
    by_unit = found["dlqi_by_unit"]
    first, b_row, nation = by_unit.rows
    mean, sd = statistics.mean(values), statistics.stdev(values)
    assert (first.label, first.n, first.hidden) == ("Enhet 101", 10, False)
    assert first.mean == pytest.approx(mean)
    assert (first.ci_low, first.ci_high) == pytest.approx(mean_interval(mean, sd, 10))
    assert (b_row.label, b_row.n, b_row.hidden) == ("Enhet 202", 1, True)
    everyone = [*values, 30]
    assert (nation.label, nation.n, nation.total) == ("Whole country", 11, True)
    assert nation.mean == pytest.approx(statistics.mean(everyone))
    assert (nation.ci_low, nation.ci_high) == pytest.approx(
        mean_interval(statistics.mean(everyone), statistics.stdev(everyone), 11)
    )
    vas = found["vas_by_unit"].rows[0]
    assert vas.mean == pytest.approx(6.5)  # tenths back to the 0-10 scale
    by_type = found["dlqi_by_type"]
    assert [(r.label, r.n, r.hidden) for r in by_type.rows] == [
        ("Medical", 10, False),
        ("Surgical", 1, True),
        ("Whole country", 11, False),
    ]


def test_before_and_after_the_same_episodes(english) -> None:
    a = crafted.unit(101)
    for k in range(10):
        crafted.episode(
            a,
            date(YEAR, 2, 1) + timedelta(days=k),
            before_report={"dlqi": 20},
            after_report={"dlqi": 10 + k % 2},
        )
    # a baseline without a control is not in the comparison
    crafted.episode(a, date(YEAR, 2, 20), before_report={"dlqi": 5})
    found = {x.id: x for x in d.before_after(year=YEAR, as_of=AS_OF, reader=EXACT)}
    row = found["dlqi_before_after_by_unit"].rows[0]
    assert (row.label, row.n, row.hidden) == ("Enhet 101", 10, False)
    assert row.before.mean == pytest.approx(20)
    assert row.after.mean == pytest.approx(10.5)
    shifts = {s.id: s for s in d.shifts(year=YEAR, as_of=AS_OF)}
    dlqi = shifts["dlqi_shift"]
    assert dlqi.total == 10
    assert [(c.before, c.after) for c in dlqi.categories] == [(0, 0), (0, 10), (10, 0)]
    assert shifts["dlqi_shift_surgical"].total == 0
    assert shifts["dlqi_shift_medical"].total == 10


def test_trends_share_per_region_and_year(english) -> None:
    west, north = crafted.unit(101, region="vest"), crafted.unit(202, region="nord")
    for k in range(5):
        crafted.episode(
            west, date(YEAR, 1, 10) + timedelta(days=k), kind=SURGICAL if k < 2 else MEDICAL
        )
    crafted.episode(north, date(YEAR, 1, 10))
    found = {t.id: t for t in d.trends(year=YEAR, as_of=AS_OF)}
    surgical = found["trend_type_1"]
    assert surgical.years == [2021, 2022, 2023, 2024, 2025]
    series = {s.label: s for s in surgical.series}
    west_point = series["Helse Vest"].points[YEAR]
    assert (west_point.n, west_point.total, west_point.percent) == (2, 5, 40.0)
    north_point = series["Helse Nord"].points[YEAR]
    assert (north_point.total, north_point.hidden, north_point.percent) == (1, True, None)
    nation = series["Whole country"]
    assert nation.national
    assert nation.points[YEAR].percent == pytest.approx(100 * 2 / 6)
    assert nation.points[2024].hidden


def test_administrative_tables(english) -> None:
    a, b = crafted.unit(101), crafted.unit(202, region="nord")
    p = crafted.patient(a)
    crafted.history(p, a, date(2023, 1, 1))
    crafted.intervention(p, a, date(2023, 3, 1))
    crafted.intervention(p, a, date(YEAR, 3, 1))
    crafted.intervention(p, b, date(YEAR, 4, 1))
    q = crafted.patient(b)
    crafted.intervention(q, b, date(YEAR, 11, 1))  # its 3-month window is still open
    crafted.report(q, b, date(YEAR, 11, 2), status=Status.DRAFT)
    tables = {t.id: t for t in d.administrative(year=YEAR, as_of=AS_OF, reader=EXACT)}
    episodes = tables["episodes_per_year"]
    assert episodes.columns == ["2021", "2022", "2023", "2024", "2025", "Sum"]
    rows = {r.label: r.values for r in episodes.rows}
    assert rows == {
        "Enhet 101": [0, 0, 1, 0, 1, 2],
        "Enhet 202": [0, 0, 0, 0, 2, 2],
        "Sum": [0, 0, 1, 0, 3, 4],
    }
    patients = {r.label: r.values for r in tables["patients_per_year"].rows}
    # patient p at both units counts once in the whole country
    assert patients["Enhet 202"] == [0, 0, 0, 0, 2]
    assert patients["Unique patients, whole country"] == [0, 0, 1, 0, 2]
    finished = tables["forms_finished"]
    column = finished.columns.index("Intervention")
    assert {r.label: r.values[column] for r in finished.rows} == {
        "Enhet 101": 1, "Enhet 202": 2, "Sum": 3,
    }  # fmt: skip
    drafts = tables["forms_draft"]
    report = drafts.columns.index("Patient's report")
    assert {r.label: r.values[report] for r in drafts.rows}["Enhet 202"] == 1
    status = tables["patient_status"]
    line = {r.label: dict(zip(status.columns, r.values, strict=True)) for r in status.rows}
    assert line["Enhet 101"]["Registered patients"] == 1
    assert line["Enhet 101"]["With a finished medical history"] == 1
    assert line["Enhet 202"]["Without a finished medical history"] == 1
    assert line["Enhet 202"]["With an episode awaiting its control"] == 1  # q, since November
    assert line["Enhet 101"]["With a control missed"] == 1  # p's windows closed, no control
    own = {t.id: t for t in d.administrative(year=YEAR, as_of=AS_OF, unit=b, reader=EXACT)}
    assert [r.label for r in own["episodes_per_year"].rows] == ["Enhet 202"]


def _add_patients(patients: int, a: Unit, b: Unit) -> None:
    for k in range(patients):
        at = a if k % 2 else b
        i = crafted.episode(
            at,
            date(YEAR, 1, 5) + timedelta(days=k),
            kind=(MEDICAL, SURGICAL)[k % 2],
            before={"ihs4": 5, "hurley": 2},
            after={"ihs4": 2, "hurley": 1},
            before_report={"dlqi": 12, "smoking": 1, "work": 1},
            after_report={"dlqi": 4, "satisfaction": 1, "wound_infection": 0},
        )
        crafted.biologic(i.patient, at, i)
        crafted.history(i.patient, at, date(YEAR, 1, 1), age_first_boil=18)


FUNCTIONS = (
    d.distributions,
    d.averages,
    d.before_after,
    d.shifts,
    d.trends,
    d.administrative,
    d.unit_shares,  # HISREG's Figur 40-42 (issue 16)
    d.completeness,  # Tabell 3-6
)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_query_count_does_not_grow_with_the_patients(english, function) -> None:
    a, b = crafted.unit(101), crafted.unit(202, region="nord")
    _add_patients(3, a, b)
    with CaptureQueriesContext(connection) as few:
        function(year=YEAR, as_of=AS_OF)
    _add_patients(30, a, b)
    with CaptureQueriesContext(connection) as many:
        result = function(year=YEAR, as_of=AS_OF)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert result
    if function is d.distributions:
        assert by_id(result)["intervention_type"].total == 33
