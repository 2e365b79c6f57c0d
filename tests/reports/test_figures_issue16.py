"""The figures and tables issue 16 adds to the reports, against counts made by hand on crafted
registries: the units' share of the patients (HISREG's Figur 2), why a follow-up could not be
done (Figur 35), the types of antibiotic, anti-inflammatory and local treatment (Figur 37-39),
the treatment types per unit (Figur 40-42), the completeness tables (Tabell 3-6) and the
follow-up period of the figures of the controls (D4: 1 July of the year before to 30 June)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hsreg.assessments.models import DoctorAssessment, MedicalHistory, Occasion
from hsreg.records.models import Status
from hsreg.reports import distributions as d
from hsreg.reports.distributions.filters import Filters
from hsreg.reports.episodes import refresh_episodes
from hsreg.treatments.models import Intervention, InterventionType
from hsreg.units.models import Unit

from . import crafted
from .crafted import MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
AS_OF = date(2026, 3, 31)
EXACT = d.Reader(exact=True)


def by_id(items: list) -> dict:
    return {item.id: item for item in items}


def counts(distribution: d.Distribution) -> dict[str, int | None]:
    return {c.label: c.n for c in distribution.categories}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def units() -> tuple[Unit, Unit]:
    return crafted.unit(101, region="vest"), crafted.unit(202, region="nord")


# --- Figur 2 --------------------------------------------------------------------------------


def test_each_patient_counts_once_at_the_unit_of_their_latest_episode(units) -> None:
    """R UnikePasienter: RegData ordered by HovedDato, latest first, one row per patient."""
    a, b = units
    p1, p2, p3 = crafted.patient(a), crafted.patient(a), crafted.patient(a)
    crafted.episode(a, date(YEAR, 2, 1), p=p1)
    crafted.episode(b, date(YEAR, 5, 1), p=p1)  # p1 ends the year at B
    crafted.episode(a, date(YEAR, 3, 1), p=p2)
    crafted.episode(a, date(YEAR, 4, 1), p=p2)
    crafted.episode(a, date(YEAR, 6, 1), p=p3)
    crafted.episode(a, date(YEAR + 1, 1, 10), p=p3)  # next year: not this year's latest
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    episodes = found["units"]
    patients = found["unit_patients"]
    assert [(c.label, c.n) for c in episodes.categories] == [("Enhet 101", 4), ("Enhet 202", 1)]
    assert [(c.label, c.n) for c in patients.categories] == [("Enhet 101", 2), ("Enhet 202", 1)]
    assert patients.total == 3
    ids = [x.id for x in d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT)]
    assert ids.index("unit_patients") == ids.index("units") + 1  # HISREG's Figur 1 and 2
    public = by_id(d.distributions(year=YEAR, as_of=AS_OF))["unit_patients"]
    assert all(c.n is None for c in public.categories)  # 1-4 per unit, and its complement


# --- Figur 35 -------------------------------------------------------------------------------


def _doctor_control(i: Intervention, occasion: str, **answers: object) -> None:
    DoctorAssessment.objects.create(
        patient=i.patient,
        unit=i.unit,
        date=i.date + timedelta(weeks=13),
        status=Status.FINISHED,
        occasion=occasion,
        intervention=i,
        **answers,
    )
    refresh_episodes(patient_ids=[i.patient_id])


def _patient_control(i: Intervention, occasion: str, **answers: object) -> None:
    crafted.report(
        i.patient,
        i.unit,
        i.date + timedelta(weeks=13),
        occasion=occasion,
        intervention=i,
        **answers,
    )


def test_why_a_follow_up_could_not_be_done(units) -> None:
    """R lastShinyHisreg: pmax of the patient's and the doctor's reason on the judging control,
    over the episodes of 1 July 2024 - 30 June 2025 (D4)."""
    a, b = units
    both = crafted.episode(a, date(YEAR - 1, 9, 1), kind=MEDICAL)
    _patient_control(both, Occasion.CONTROL_3, control_possible=0, impossible_reason=1)
    _doctor_control(both, Occasion.CONTROL_3, control_possible=0, impossible_reason=2)
    surgical = crafted.episode(a, date(YEAR, 1, 10), kind=SURGICAL)
    _doctor_control(surgical, Occasion.CONTROL_6, control_possible=0, impossible_reason=9)
    # the 3-month control does not judge a surgical episode
    _patient_control(surgical, Occasion.CONTROL_3, control_possible=0, impossible_reason=1)
    late = crafted.episode(b, date(YEAR, 8, 1), kind=MEDICAL)  # after the period
    _patient_control(late, Occasion.CONTROL_3, control_possible=0, impossible_reason=1)
    early = crafted.episode(b, date(YEAR - 1, 6, 30), kind=MEDICAL)  # before it
    _patient_control(early, Occasion.CONTROL_3, control_possible=0, impossible_reason=1)
    edge = crafted.episode(b, date(YEAR, 6, 30), kind=MEDICAL)  # the period's last day
    _patient_control(edge, Occasion.CONTROL_3, control_possible=0, impossible_reason=1)
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))["impossible_reason"]
    assert counts(found) == {"Did not attend": 1, "Died": 1, "Don't know": 1}
    assert found.total == 3
    assert "1 July 2024" in found.note or "1. July 2024" in found.note
    assert "30" in found.note
    assert "2025" in found.note
    at_b = d.distributions(year=YEAR, as_of=AS_OF, unit=b, reader=EXACT)
    assert counts(by_id(at_b)["impossible_reason"])["Did not attend"] == 1


# --- Figur 37-39 and 40-42 --------------------------------------------------------------------


def _medical(at: Unit, *drugs: str, on: date = date(YEAR, 4, 1), **fields: object) -> Intervention:
    i = crafted.episode(at, on, kind=MEDICAL)
    for drug in drugs:
        crafted.biologic(i.patient, at, i, drug=drug)
    if fields:
        Intervention.objects.filter(pk=i.pk).update(**fields)
        refresh_episodes(patient_ids=[i.patient_id])
    return i


@pytest.fixture
def treated(units) -> tuple[Unit, Unit]:
    a, b = units
    _medical(a, "rifampicin_clindamycin", "tetracycline")
    _medical(a, "lymecycline")
    _medical(a, "amoxicillin_clavulanate")
    _medical(a, "doxycycline")  # an antibiotic without its own box: "other"
    _medical(a, antibiotic_other=True)
    _medical(a, antibiotic_given=1)  # answered yes, no box: in N only (as R)
    _medical(a, "acitretin", "methotrexate")
    _medical(a, "clindamycin_topical", local_triamcinolone=True)
    surgical = crafted.episode(a, date(YEAR, 4, 1), kind=SURGICAL)
    crafted.biologic(surgical.patient, a, surgical, drug="tetracycline")  # not a medical episode
    for kind in (InterventionType.NONE_BY_PATIENT, InterventionType.DID_NOT_ATTEND):
        p = crafted.patient(b)
        crafted.intervention(p, b, date(YEAR, 5, 1), kind)
    return a, b


def test_the_types_of_antibiotic_anti_inflammatory_and_local_treatment(treated) -> None:
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    antibiotic = found["antibiotic_type"]
    assert antibiotic.multiple
    assert antibiotic.total == 6
    assert counts(antibiotic) == {
        "Rifampicin and clindamycin": 1,
        "Tetracycline or lymecycline": 2,
        "Amoxicillin with clavulanic acid": 1,
        "Other": 2,
    }
    inflammation = found["antiinflammatory_type"]
    assert inflammation.total == 1
    assert counts(inflammation)["Acitretin"] == 1
    assert counts(inflammation)["Other"] == 1
    assert counts(inflammation)["Dapsone"] == 0
    local = found["local_type"]
    assert local.total == 1
    assert counts(local) == {
        "Triamcinolone": 1, "Azelaic acid": 0, "Clindamycin": 1, "Resorcinol 15 %": 0
    }  # fmt: skip
    # Figur 8 counts the same groups (R MedisinskBeh_v2)
    medical = counts(found["medical_type"])
    assert medical["Antibiotic treatment"] == 6
    assert medical["Local medical treatment"] == 1
    ids = list(by_id(d.distributions(year=YEAR, as_of=AS_OF)))
    assert ids[-4:] == [
        "impossible_reason",
        "antibiotic_type",
        "antiinflammatory_type",
        "local_type",
    ]


def test_the_treatment_types_per_unit(treated) -> None:
    _a, b = treated
    found = by_id(d.unit_shares(year=YEAR, as_of=AS_OF, reader=EXACT))
    types = found["intervention_type_by_unit"]
    assert types.categories == ["Surgical", "Medical", "Surgical and medical", "No intervention"]
    rows = {r.label: r.values for r in types.rows}
    assert rows == {
        "Enhet 101": [1, 8, 0, 0, 9],
        "Enhet 202": [0, 0, 0, 2, 2],  # R: TYPE_INTERVENTION 4-6 as one
        "Whole country": [1, 8, 0, 2, 11],
    }
    assert types.percent(types.rows[0], 1) == pytest.approx(800 / 9)
    surgery = found["surgery_type_by_unit"]
    assert [r.label for r in surgery.rows] == ["Enhet 101", "Whole country"]
    assert surgery.rows[0].values[-1] == 1
    medical = {r.label: r.values for r in found["medical_type_by_unit"].rows}
    assert medical["Enhet 101"] == [0, 6, 1, 0, 1, 8]
    # the public: unit 202's counts of 1-4 hidden, and what would give them back
    public = by_id(d.unit_shares(year=YEAR, as_of=AS_OF))["intervention_type_by_unit"]
    shown = {r.label: r.values for r in public.rows}
    assert shown["Enhet 202"][3] is None
    assert shown["Enhet 202"][4] is None
    assert shown["Whole country"][3] is None  # the nation minus the units' shown counts
    # at a unit: its own row (exact to its staff) beside the whole country's
    own = d.unit_shares(year=YEAR, as_of=AS_OF, unit=b, reader=d.Reader(own=202))
    rows = {r.label: r.values for r in by_id(own)["intervention_type_by_unit"].rows}
    assert rows["Enhet 202"] == [0, 0, 0, 2, 2]
    assert "Enhet 101" not in rows


# --- Tabell 3-6 -----------------------------------------------------------------------------


def test_the_completeness_tables(units) -> None:
    a, _b = units
    first = crafted.episode(
        a,
        date(YEAR, 3, 1),
        before={"ihs4": 4},
        before_report={"dlqi": 5, "smoking": 9, "work": 1},
        after_report={"dlqi": 2, "smoking": 9, "satisfaction": 9},
    )
    second = crafted.episode(
        a, date(YEAR, 4, 1), before={}, before_report={"dlqi": 7, "smoking": 1, "work": 9}
    )
    MedicalHistory.objects.filter(patient=first.patient).update(prior_surgery=9, family_history=1)
    MedicalHistory.objects.filter(patient=second.patient).update(prior_surgery=0)
    refresh_episodes()
    crafted.episode(a, date(YEAR, 5, 1), complete=False)  # no forms before: not counted (D1)
    tables = by_id(d.completeness(year=YEAR, as_of=AS_OF))

    def shares(table_id: str) -> dict[str, float | None]:
        return {r.r_name: r.percent for r in tables[table_id].rows}

    missing = shares("completeness_before_unknown_missing")
    filled = shares("completeness_before_unknown_filled")
    assert tables["completeness_before_unknown_missing"].total == 2
    assert (missing["PasientAlder"], missing["ErMann"], missing["DLQISUM"]) == (100, 100, 100)
    assert (missing["SMOKING"], filled["SMOKING"]) == (50, 100)
    assert (missing["WORK"], filled["WORK"]) == (50, 100)
    assert (missing["SURGERY"], filled["SURGERY"]) == (50, 100)
    assert (missing["FAMILY_ILLNES"], filled["FAMILY_ILLNES"]) == (50, 50)
    assert (missing["IHS4SCORE"], missing["BMI"]) == (50, 0)
    assert "UtdanningSSB" not in missing
    assert "UtdanningSSB" in tables["completeness_before_unknown_missing"].note
    assert "PatientReport.smoking" in tables["completeness_before_unknown_missing"].note
    after_filled = shares("completeness_followup_unknown_filled")
    after_missing = shares("completeness_followup_unknown_missing")
    assert tables["completeness_followup_unknown_filled"].total == 1  # only the first has one
    assert (after_filled["SMOKING_POST"], after_missing["SMOKING_POST"]) == (100, 0)
    assert (after_filled["SATISFACTION"], after_missing["SATISFACTION"]) == (100, 0)
    assert (after_filled["WORKSTATUS_POST"], after_filled["DLQISUM_POST"]) == (0, 100)
    # a unit's completeness for a reader from outside it: 2 episodes are too few to show
    outside = by_id(d.completeness(year=YEAR, as_of=AS_OF, unit=a))
    table = outside["completeness_before_unknown_missing"]
    assert table.total is None
    assert all(r.percent is None and r.filled is None for r in table.rows)
    own = by_id(d.completeness(year=YEAR, as_of=AS_OF, unit=a, reader=d.Reader(own=101)))
    assert own["completeness_before_unknown_missing"].total == 2


# --- D4: the follow-up period -------------------------------------------------------------


def test_the_figures_of_the_controls_count_the_follow_up_period(units) -> None:
    """FigTilAarsrapp2021.Rnw: datoFra_oppf = 1 July of the year before, datoTil_oppf = 30 June
    of the report year; the rest of the figures count the calendar year."""
    a, _b = units
    controlled = {
        "before": {"ihs4": 6, "hurley": 3},
        "after": {"ihs4": 2, "hurley": 1},
        "before_report": {"dlqi": 15},
        "after_report": {"dlqi": 3, "satisfaction": 1},
    }
    for on in (
        date(YEAR - 1, 7, 1),
        date(YEAR - 1, 10, 1),
        date(YEAR - 1, 12, 1),
        date(YEAR, 6, 30),
    ):
        crafted.episode(a, on, **controlled)
    for on in (date(YEAR - 1, 6, 30), date(YEAR, 7, 1), date(YEAR, 12, 1)):
        crafted.episode(a, on, **controlled)
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, reader=EXACT))
    assert found["satisfaction"].total == 4
    assert "2024" in found["satisfaction"].note
    assert found["intervention_type"].total == 3  # the calendar year 2025
    assert found["age"].note == ""
    shifts = by_id(d.shifts(year=YEAR, as_of=AS_OF, reader=EXACT))
    assert shifts["dlqi_shift"].total == 4
    assert "2025" in shifts["hurley_shift"].note
    pairs = by_id(d.before_after(year=YEAR, as_of=AS_OF, reader=EXACT))
    national = pairs["dlqi_before_after_by_unit"].rows[-1]
    assert national.n == 4
    assert pairs["dlqi_before_after_by_unit"].note
    assert by_id(d.averages(year=YEAR, as_of=AS_OF, reader=EXACT))["dlqi_by_unit"].rows[-1].n == 3


# --- query counts ---------------------------------------------------------------------------


def _grow(at: Unit, n: int) -> None:
    for k in range(n):
        i = _medical(at, "tetracycline", on=date(YEAR, 2, 1) + timedelta(days=k))
        _patient_control(i, Occasion.CONTROL_3, control_possible=0, impossible_reason=9)


@pytest.mark.parametrize(
    "function", [d.distributions, d.unit_shares, d.completeness], ids=lambda f: f.__name__
)
def test_the_query_count_does_not_grow_with_the_patients(units, function) -> None:
    a, b = units
    _grow(a, 2)
    with CaptureQueriesContext(connection) as few:
        function(year=YEAR, as_of=AS_OF)
    _grow(a, 6)
    _grow(b, 6)
    with CaptureQueriesContext(connection) as many:
        function(year=YEAR, as_of=AS_OF)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_added_figures_compare_the_own_unit_with_the_rest(treated) -> None:
    """With the filters' "own unit against the rest of the country" (R enhetsUtvalg 1), Figur
    35 and 37-39 get the rest of the country as their second series, as the other figures."""
    a, _b = treated
    chosen = Filters(compare=True)
    found = by_id(d.distributions(year=YEAR, as_of=AS_OF, unit=a, reader=d.Reader(own=101),
                                  filters=chosen))  # fmt: skip
    antibiotic = found["antibiotic_type"]
    assert antibiotic.total == 6  # the unit's own, exact to its staff
    assert antibiotic.compared is not None
    assert antibiotic.compared.total == 0  # the rest: unit 202 gave no antibiotics
    assert found["impossible_reason"].compared is not None
