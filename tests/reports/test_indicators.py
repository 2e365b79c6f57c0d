"""Each quality indicator against counts made by hand on a crafted registry: numerator,
denominator, exclusions, the judging control (3 months medical, 6 months surgical and combined)
and the follow-up windows, and the suppression of small numbers at every boundary (issue 5)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hsreg.assessments.models import DoctorAssessment
from hsreg.guideline.followup import indicator_window_closes
from hsreg.patients.models import Patient
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.reports.coverage import Coverage
from hsreg.reports.definitions import BY_ID
from hsreg.reports.episodes import STORED, baseline, refresh_episodes
from hsreg.reports.indicators import (
    POOLED,
    Tally,
    cell,
    hidden_places,
    indicator_table,
    own_unit_versus_rest,
    published_sums,
    report_years,
    unit_tallies,
)
from hsreg.reports.models import Episode
from hsreg.reports.stats import mean_interval, share_interval
from hsreg.reports.suppression import derivable, low_coverage, mean_hidden
from hsreg.seeding.writer import seed
from hsreg.treatments.models import Intervention

from . import crafted
from .crafted import BOTH, MEDICAL, SURGICAL

pytestmark = pytest.mark.django_db
YEAR = 2025
AS_OF = date(2026, 11, 29)
ON = date(YEAR, 3, 3)


def tally(indicator_id: str, resh_id: int, year: int = YEAR, *, as_of: date = AS_OF) -> Tally:
    tallies = unit_tallies(years=[year], as_of=as_of, indicators=[BY_ID[indicator_id]])
    return tallies.get((indicator_id, resh_id, year), Tally())


@pytest.fixture
def here(db):
    return crafted.unit(101)


def counts(*, ihs4: int | None = None, hurley: int | None = None, n: int = 0, a: int = 0,
           t: int = 0) -> dict:  # fmt: skip
    return {"ihs4": ihs4, "hurley": hurley, "nodules": n, "abscesses": a, "tunnels": t}


def test_ihs4_reduced_counts_lower_at_the_control_and_leaves_out_missing_values(here):
    crafted.episode(here, ON, before=counts(ihs4=5), after=counts(ihs4=4))  # reduced
    crafted.episode(here, ON, before=counts(ihs4=5), after=counts(ihs4=5))  # the same
    crafted.episode(here, ON, before=counts(ihs4=5), after=counts(ihs4=6))  # worse
    crafted.episode(here, ON, before=counts(ihs4=0), after=counts(ihs4=0))  # 0 cannot fall
    crafted.episode(here, ON, before=counts(ihs4=5), after=None)  # no control: left out
    crafted.episode(here, ON, before=None, after=counts(ihs4=2))  # no baseline: left out
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(1, 4)


def test_the_judging_control_is_6_months_for_surgical_and_combined_3_for_medical(here):
    for kind in (SURGICAL, BOTH, MEDICAL):
        crafted.episode(here, ON, kind=kind, before=counts(ihs4=8), after=counts(ihs4=2))
    # a surgical intervention's 3-month control does not judge it
    p = crafted.patient(here)
    crafted.doctor(p, here, ON - timedelta(days=1), ihs4=8)
    i = crafted.intervention(p, here, ON, SURGICAL)
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=i, ihs4=1)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(3, 3)


def test_drafts_and_corrected_versions_are_not_counted(here):
    i = crafted.episode(here, ON, before=counts(ihs4=5), after=None)
    p = i.patient
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=i, ihs4=1,
                   status=Status.DRAFT)  # fmt: skip
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=i, ihs4=1,
                   status=Status.SUPERSEDED)  # fmt: skip
    crafted.episode(here, ON, before=counts(ihs4=5), after=counts(ihs4=1))
    crafted.intervention(crafted.patient(here), here, ON, MEDICAL, status=Status.DRAFT)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(1, 1)


def test_the_baseline_is_the_latest_before_form_on_or_before_the_intervention(here):
    p = crafted.patient(here)
    crafted.history(p, here, ON - timedelta(days=90))
    crafted.report(p, here, ON - timedelta(days=60))
    crafted.doctor(p, here, ON - timedelta(days=60), ihs4=3)
    crafted.doctor(p, here, ON, ihs4=9)  # the same day counts, and is the latest
    crafted.doctor(p, here, ON + timedelta(days=2), ihs4=20)  # after: not the baseline
    i = crafted.intervention(p, here, ON)
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=i, ihs4=5)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(1, 1)  # 9 -> 5, not 3 -> 5


def _stored(i: Intervention) -> Episode:
    return Episode.objects.get(intervention=i)


def test_the_baseline_is_never_a_before_form_of_an_earlier_episode_d1(here):
    p = crafted.patient(here)
    first = crafted.episode(here, ON - timedelta(days=200), p=p, before=counts(ihs4=7))
    second = crafted.intervention(p, here, ON)  # its only before forms are the first's
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=second, ihs4=1)
    assert (_stored(first).complete, _stored(first).base_ihs4) == (True, 7)
    assert (_stored(second).complete, _stored(second).base_ihs4) == (False, None)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally()


def test_a_before_form_on_a_day_of_two_interventions_belongs_to_the_lower_id_d1(here):
    p = crafted.patient(here)
    crafted.history(p, here, ON)
    crafted.report(p, here, ON)
    crafted.doctor(p, here, ON, ihs4=6)
    lower = crafted.intervention(p, here, ON)
    higher = crafted.intervention(p, here, ON)
    assert (_stored(lower).complete, _stored(lower).base_ihs4) == (True, 6)
    assert (_stored(higher).complete, _stored(higher).base_ihs4) == (False, None)
    # the form dated on the day after the earlier intervention is the later one's own
    crafted.report(p, here, ON + timedelta(days=1))
    crafted.doctor(p, here, ON + timedelta(days=1), ihs4=2)
    later = crafted.intervention(p, here, ON + timedelta(days=1))
    assert (_stored(later).complete, _stored(later).base_ihs4) == (True, 2)
    assert _stored(lower).base_ihs4 == 6


@pytest.mark.parametrize("missing", ["history", "doctor", "report", "none"])
def test_only_complete_episodes_count_d1(here, missing):
    p = crafted.patient(here)
    day = ON - timedelta(days=7)
    if missing != "history":
        crafted.history(p, here, day)
    if missing != "doctor":
        crafted.doctor(p, here, day, ihs4=8)
    if missing != "report":
        crafted.report(p, here, day)
    crafted.report(p, here, day, status=Status.DRAFT)  # a draft completes nothing
    i = crafted.intervention(p, here, ON)
    crafted.doctor(p, here, ON + timedelta(weeks=12), occasion="3m", intervention=i, ihs4=1)
    assert _stored(i).complete is (missing == "none")
    expected = Tally(1, 1) if missing == "none" else Tally()
    assert tally("hisreg_reduksjon_ihs4", 101) == expected
    assert tally("hisreg_kontr_3mnd_med", 101) == expected


def test_one_patients_compiled_refresh_stores_what_the_full_refresh_stores(db):
    here = crafted.unit(101)
    p = crafted.patient(here)
    crafted.history(p, here, date(2024, 1, 1), months_gp_to_specialist=2)
    crafted.intervention(p, here, date(2024, 2, 1))
    i = crafted.episode(here, date(2024, 6, 1), p=p, before=counts(ihs4=4))
    crafted.doctor(p, here, date(2024, 9, 1), occasion="3m", intervention=i, ihs4=1)
    crafted.episode(here, date(2025, 6, 1), p=p, kind=BOTH)
    one = {e.pk: [getattr(e, f) for f in STORED] for e in Episode.objects.all()}
    refresh_episodes()
    every = {e.pk: [getattr(e, f) for f in STORED] for e in Episode.objects.all()}
    assert one == every
    # the figures' sub-select (episodes.baseline, own_pre_forms) gives the stored baseline
    sql = dict(
        Intervention.objects.annotate(b=baseline(DoctorAssessment, "ihs4")).values_list("pk", "b")
    )
    assert sql == {e.intervention_id: e.base_ihs4 for e in Episode.objects.all()}
    firsts = Episode.objects.filter(first_complete=True)
    assert [e.intervention_id for e in firsts] == [i.pk]
    assert _stored(i).followup_3m_done
    assert _stored(i).doctor_control_3m == date(2024, 9, 1)


@pytest.mark.parametrize(
    ("before", "after", "achieved"),
    [
        (counts(n=6, a=4), counts(n=5, a=0), True),  # AN 10 -> 5: 50 %, the boundary
        (counts(n=6, a=4), counts(n=6, a=0), False),  # AN 10 -> 6: 40 %
        (counts(n=1, a=1), counts(n=1, a=0), True),  # AN 2 -> 1: exactly 50 %
        (counts(n=2, a=1), counts(n=2, a=0), False),  # AN 3 -> 2: 33.3 %
        (counts(n=9, a=1), counts(n=0, a=2), False),  # AN 10 -> 2 but abscesses rose
        (counts(n=9, a=1, t=1), counts(n=0, a=0, t=2), False),  # draining tunnels rose
    ],
)
def test_hiscr_is_mo2_at_the_control(here, before, after, achieved):
    crafted.episode(here, ON, before=before, after=after)
    assert tally("full_responder", 101) == Tally(int(achieved), 1)


def test_hiscr_leaves_out_a_baseline_an_count_of_0_mo2_reading(here):
    crafted.episode(here, ON, before=counts(n=0, a=0, t=3), after=counts(n=0, a=0, t=0))
    assert tally("full_responder", 101) == Tally(0, 0)


def test_hurley_reduced_counts_only_stage_ii_and_iii_before(here):
    crafted.episode(here, ON, before=counts(hurley=1), after=counts(hurley=1))  # left out
    crafted.episode(here, ON, before=counts(hurley=2), after=counts(hurley=1))  # reduced
    crafted.episode(here, ON, before=counts(hurley=3), after=counts(hurley=2))  # reduced
    crafted.episode(here, ON, before=counts(hurley=3), after=counts(hurley=3))  # not
    crafted.episode(here, ON, before=counts(hurley=2), after=counts(hurley=None))  # left out
    assert tally("hisreg_reduksjon_hurley", 101) == Tally(2, 3)


@pytest.mark.parametrize(("before", "after", "achieved"), [(15, 11, True), (15, 12, False),
                                                           (4, 0, True), (30, 27, False)])  # fmt: skip
def test_dlqi_fall_of_4_or_more_tx9(here, before, after, achieved):
    crafted.episode(here, ON, before_report={"dlqi": before}, after_report={"dlqi": after})
    assert tally("hisreg_reduksjon_dlqi", 101) == Tally(int(achieved), 1)


@pytest.mark.parametrize(
    ("before", "after", "achieved"),
    [
        ("10.0", "7.0", False),  # exactly 30 %: not more than 30 %
        ("10.0", "6.9", True),  # 31 %
        ("1.0", "0.7", False),  # 30 % again: 10 * 0.3 is 3.0000000000000004 in floats
        ("1.0", "0.6", True),
        ("3.3", "2.3", True),  # 30.3 %
    ],
)
def test_pain_vas_fell_by_more_than_30_percent_in_exact_tenths(here, before, after, achieved):
    crafted.episode(here, ON, before_report={"vas": before}, after_report={"vas": after})
    assert tally("hisreg_reduksjon_vas", 101) == Tally(int(achieved), 1)


def test_pain_vas_leaves_out_a_baseline_of_0(here):
    crafted.episode(here, ON, before_report={"vas": "0.0"}, after_report={"vas": "0.0"})
    assert tally("hisreg_reduksjon_vas", 101) == Tally(0, 0)


#: 1 April: 2.5 months later is 16 June exactly (2 months to 1 June, then 15 of June's 30
#: days), 5.5 months 16 September, 5 months 1 September, 8 months 1 December (lubridate)
APRIL = date(YEAR, 4, 1)


def _control_on(here, kind: int, on: date | None, *, occasion: str | None = None,
                by_patient: bool = False) -> Intervention:  # fmt: skip
    """A complete episode of ``kind`` on 1 April and a finished control form on ``on``."""
    i = crafted.episode(here, APRIL, kind=kind)
    if on is not None:
        form = crafted.report if by_patient else crafted.doctor
        occasion = occasion or crafted.control_occasion(kind)
        form(i.patient, here, on, occasion=occasion, intervention=i)
    return i


def test_the_3_month_control_is_the_doctors_strictly_between_2_5_and_5_5_months_d2(here):
    for on in (date(YEAR, 6, 16), date(YEAR, 9, 16)):  # exactly 2.5 and 5.5: not done
        _control_on(here, MEDICAL, on)
    for on in (date(YEAR, 6, 17), date(YEAR, 9, 15)):  # just inside
        _control_on(here, MEDICAL, on)
    _control_on(here, MEDICAL, None)  # no control
    _control_on(here, MEDICAL, date(YEAR, 7, 1), by_patient=True)  # the patient's: not done
    _control_on(here, MEDICAL, date(YEAR, 7, 1), occasion="6m")  # the 6-month form: not done
    assert tally("hisreg_kontr_3mnd_med", 101) == Tally(2, 7)


def test_the_6_month_control_is_the_doctors_strictly_between_5_and_8_months_d2(here):
    for on in (date(YEAR, 9, 1), date(YEAR, 12, 1)):  # exactly 5 and 8: not done
        _control_on(here, SURGICAL, on)
    for on in (date(YEAR, 9, 2), date(YEAR, 11, 30)):  # just inside
        _control_on(here, SURGICAL, on)
    _control_on(here, SURGICAL, None)
    _control_on(here, SURGICAL, date(YEAR, 10, 1), by_patient=True)  # the patient's: not done
    _control_on(here, BOTH, date(YEAR, 10, 1))  # combined: judged at 6 months too
    assert tally("hisreg_kontr_6mnd_kir", 101) == Tally(3, 7)


def test_a_combined_intervention_counts_its_3_month_control_for_the_3_month_indicator(here):
    """D2, deviation 1: R reads the 6-month control's date for a combined episode's 3-month
    indicator; hsreg reads the 3-month control."""
    i = _control_on(here, BOTH, date(YEAR, 7, 1), occasion="3m")
    crafted.doctor(i.patient, here, date(YEAR, 10, 1), occasion="6m", intervention=i)
    _control_on(here, BOTH, date(YEAR, 7, 1), occasion="3m")  # 3 months only
    assert tally("hisreg_kontr_3mnd_med", 101) == Tally(2, 2)
    assert tally("hisreg_kontr_6mnd_kir", 101) == Tally(1, 2)


def test_an_episode_is_done_when_any_of_its_doctors_controls_lies_inside_the_window_d2(here):
    """D2: R keeps a row per control form and takes ``max(Variabel)`` per episode, so a later
    control outside the window does not undo an earlier one inside it (and the reverse)."""
    i = _control_on(here, MEDICAL, date(YEAR, 7, 1))  # inside
    crafted.doctor(i.patient, here, date(YEAR, 11, 1), occasion="3m", intervention=i)  # outside
    j = _control_on(here, MEDICAL, date(YEAR, 6, 10))  # 2 + 9/30 months: outside
    crafted.doctor(j.patient, here, date(YEAR, 7, 1), occasion="3m", intervention=j)  # inside
    _control_on(here, MEDICAL, date(YEAR, 11, 1))  # outside only
    assert tally("hisreg_kontr_3mnd_med", 101) == Tally(2, 3)


def test_a_doctors_control_that_could_not_be_done_is_no_control_d2(here):
    """A control form saying the control was not possible (did not attend, died) is not a
    control done, whatever its date (R would count its date: deviation)."""
    i = crafted.episode(here, APRIL, kind=MEDICAL)
    crafted.doctor(i.patient, here, date(YEAR, 7, 1), occasion="3m", intervention=i)
    DoctorAssessment.objects.filter(intervention=i).update(control_possible=0, impossible_reason=1)
    refresh_episodes()
    _control_on(here, MEDICAL, date(YEAR, 7, 1))
    assert tally("hisreg_kontr_3mnd_med", 101) == Tally(1, 2)


def test_an_episode_whose_window_is_still_open_is_left_out_d2(here):
    """D2, deviation 2: counted once the window's last day (the last day under 5.5 months)
    is before the report date: on that day a control can still come."""
    closes_on = date(YEAR, 9, 15)  # 1 April's window: 16 September is 5.5 months
    assert indicator_window_closes("medical", APRIL) == closes_on
    _control_on(here, MEDICAL, None)
    assert tally("hisreg_kontr_3mnd_med", 101, as_of=closes_on) == Tally()
    assert tally("hisreg_kontr_3mnd_med", 101, as_of=closes_on + timedelta(days=1)) == Tally(0, 1)


def test_the_control_indicators_count_from_2016_d2(db):
    here = crafted.unit(101)
    for year in (2015, 2016):
        i = crafted.episode(here, date(year, 4, 1))
        crafted.doctor(i.patient, here, date(year, 7, 1), occasion="3m", intervention=i)
    assert tally("hisreg_kontr_3mnd_med", 101, 2015) == Tally()
    assert tally("hisreg_kontr_3mnd_med", 101, 2016) == Tally(1, 1)


def test_complications_count_surgical_episodes_whose_control_answered_the_questions(here):
    no = {"wound_infection": 0, "bleeding": 0}
    crafted.episode(here, ON, kind=SURGICAL, after_report={**no, "bleeding": 1})  # yes
    crafted.episode(here, ON, kind=BOTH, after_report={"sepsis": 1})  # yes
    crafted.episode(here, ON, kind=SURGICAL, after_report=no)  # answered, none
    crafted.episode(here, ON, kind=SURGICAL, after_report={"wound_infection": 9})  # not answered
    crafted.episode(here, ON, kind=SURGICAL, after_report={})  # not answered
    crafted.episode(here, ON, kind=MEDICAL, after_report={"bleeding": 1})  # not surgical
    assert tally("hisreg_kompl_kir", 101) == Tally(2, 3)


def test_satisfied_is_satisfied_or_somewhat_and_dont_know_is_left_out(here):
    for answer in (1, 2, 3, 4, 5, 9):
        crafted.episode(here, ON, after_report={"satisfaction": answer})
    assert tally("pasientfornoydhet", 101) == Tally(2, 5)


def test_biologic_indicators_tx6(here):
    def start(dlqi: int | None, antibiotic: int | None, drug: str | None = "adalimumab"):
        p = crafted.patient(here)
        crafted.history(p, here, ON - timedelta(days=30), medication_antibiotic=antibiotic)
        i = crafted.episode(here, ON, p=p, before_report={"dlqi": dlqi})
        if drug:
            crafted.biologic(p, here, i, drug)

    start(11, 1)  # both: DLQI 11 is the first that qualifies
    start(10, 2)  # antibiotics, DLQI too low
    start(25, 0)  # DLQI, no antibiotics
    start(20, 9)  # DLQI; "don't know" is not antibiotics
    start(None, 3)  # antibiotics; no DLQI: out of the DLQI indicators
    start(30, 1, drug="doxycycline")  # not a biologic: in no denominator
    assert tally("tidl_antibiotisk", 101) == Tally(3, 5)
    assert tally("dlqikrav_oppfylt", 101) == Tally(3, 4)
    assert tally("tidl_antibiotisk_dlqikrav_oppfylt", 101) == Tally(1, 4)


def test_referral_within_a_year_by_months_or_else_by_ages_d7(here):
    for answers in (
        {"months_gp_to_specialist": 11},  # within
        {"months_gp_to_specialist": 12},  # a whole year: not within (R's 0 years)
        {"months_gp_to_specialist": 0, "age_first_gp": 20, "age_diagnosis": 30},  # months win
        {"age_first_gp": 25, "age_diagnosis": 25},  # the same age: within (HISREG)
        {"age_first_gp": 25, "age_diagnosis": 26},  # not
        {"age_first_gp": 25},  # not known: left out
    ):
        p = crafted.patient(here)
        crafted.history(p, here, ON - timedelta(days=30), **answers)
        crafted.episode(here, ON, p=p)
    assert tally("hisreg_henvist_spesialist_1aar", 101) == Tally(3, 5)


def test_referral_counts_a_patient_once_in_the_year_and_unit_of_the_first_complete_episode(db):
    """D7: R keeps each patient's earliest episode (``aux[order(aux$HovedDato), ]``, the first
    row per PasientID) of the complete ones, and counts it in its year and unit."""
    first, second = crafted.unit(101), crafted.unit(202, region="nord", trust="UNN")
    p = crafted.patient(first)
    crafted.history(p, first, date(2023, 1, 1), months_gp_to_specialist=3)
    crafted.intervention(p, first, date(2023, 6, 1))  # no before forms: incomplete, passed over
    crafted.episode(second, date(2024, 3, 1), p=p)  # the first complete one
    crafted.episode(first, date(2025, 3, 1), p=p)
    tallies = unit_tallies(
        years=[2023, 2025], as_of=AS_OF, indicators=[BY_ID["hisreg_henvist_spesialist_1aar"]]
    )
    assert tallies == {("hisreg_henvist_spesialist_1aar", 202, 2024): Tally(1, 1)}


def test_referral_counts_from_2015_d7(db):
    here = crafted.unit(101)
    for year in (2014, 2015):
        p = crafted.patient(here)
        crafted.history(p, here, date(year, 1, 1), months_gp_to_specialist=3)
        crafted.episode(here, date(year, 3, 1), p=p)
    tallies = unit_tallies(
        years=[2014, 2015], as_of=AS_OF, indicators=[BY_ID["hisreg_henvist_spesialist_1aar"]]
    )
    assert tallies == {("hisreg_henvist_spesialist_1aar", 101, 2015): Tally(1, 1)}


def test_an_episode_counts_in_the_year_and_at_the_unit_of_its_intervention(db):
    first, second = crafted.unit(101), crafted.unit(202, region="nord", trust="UNN")
    p = crafted.patient(first)
    crafted.history(p, first, date(2024, 12, 20))
    crafted.report(p, first, date(2024, 12, 20))
    crafted.doctor(p, first, date(2024, 12, 20), ihs4=9)
    i = crafted.intervention(p, second, date(2025, 1, 2))
    crafted.doctor(p, second, date(2025, 3, 27), occasion="3m", intervention=i, ihs4=2)
    tallies = unit_tallies(
        years=[2024, 2025], as_of=AS_OF, indicators=[BY_ID["hisreg_reduksjon_ihs4"]]
    )
    assert tallies == {("hisreg_reduksjon_ihs4", 202, 2025): Tally(1, 1)}


def test_the_tallies_are_one_query_however_many_patients(here):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            unit_tallies(years=report_years(YEAR), as_of=AS_OF)
        return len(captured)

    crafted.episode(here, ON, before=counts(ihs4=4), after=counts(ihs4=2))
    few = queries()
    for _ in range(20):
        crafted.episode(here, ON, before=counts(ihs4=4), after=counts(ihs4=2),
                        before_report={"dlqi": 12}, after_report={"dlqi": 3})  # fmt: skip
    assert queries() == few == 1


# --- suppression and intervals (issue 5 point 4) -------------------------------------------


@pytest.mark.parametrize(("denominator", "shown"), [(4, False), (5, True)])
def test_a_share_with_a_denominator_under_5_shows_n_under_5(denominator, shown):
    c = cell(BY_ID["hisreg_reduksjon_ihs4"], Tally(2, denominator))
    assert c.shown is shown
    assert c.hidden == (None if shown else "N<5")
    assert (c.percent is None) is not shown


@pytest.mark.parametrize(("denominator", "shown"), [(9, False), (10, True)])
def test_complications_need_a_denominator_of_10(denominator, shown):
    c = cell(BY_ID["hisreg_kompl_kir"], Tally(1, denominator))
    assert c.shown is shown
    assert c.hidden == (None if shown else "N<10")


class _Unit:
    def __init__(self, resh_id: int, region: str = "vest", trust: str = "Helse Bergen"):
        self.resh_id, self.name, self.region, self.health_trust = (
            resh_id,
            f"U{resh_id}",
            region,
            trust,
        )


def test_when_a_units_latest_year_is_suppressed_its_earlier_years_are_hidden_too():
    ind = BY_ID["hisreg_reduksjon_ihs4"]
    years = [2023, 2024, 2025]
    tallies = {
        (ind.id, 1, 2023): Tally(8, 10),
        (ind.id, 1, 2024): Tally(9, 10),
        (ind.id, 1, 2025): Tally(3, 4),  # latest year under 5
        (ind.id, 2, 2023): Tally(1, 2),  # an early small year alone
        (ind.id, 2, 2025): Tally(5, 5),
    }
    table = indicator_table(ind, tallies, years=years, level="unit", units=[_Unit(1), _Unit(2)])
    rows = {r.key: r for r in table.rows}
    assert [c.hidden for c in rows["1"].cells.values()] == ["", "", "N<5"]
    assert not any(c.shown for c in rows["1"].cells.values())
    # 2025: unit 2 is hidden as the complement of unit 1 (the nation minus 2 would give 1)
    assert [c.hidden for c in rows["2"].cells.values()] == ["N<5", "N<5", ""]
    assert rows["2"].cells[2025].secondary
    nation = rows["nation"].cells
    assert (nation[2023].numerator, nation[2023].denominator) == (9, 12)
    # and the nation of 2025 too: unit 1's leader knows its 3 of 4, so the nation's 8 of 9
    # would give unit 2's (issue 11)
    assert not nation[2025].shown
    assert nation[2025].secondary
    assert table.rows[-1].key == "nation"


def test_trusts_regions_and_the_nation_are_sums_of_their_units():
    ind = BY_ID["pasientfornoydhet"]
    units = [_Unit(1, "vest", "A"), _Unit(2, "vest", "B"), _Unit(3, "nord", "C")]
    tallies = {(ind.id, u, 2025): Tally(u, 4) for u in (1, 2, 3)}
    regions = indicator_table(ind, tallies, years=[2025], level="region", units=units)
    by_key = {r.key: r.cells[2025] for r in regions.rows}
    assert (by_key["vest"].numerator, by_key["vest"].denominator) == (3, 8)
    assert by_key["nord"].hidden == "N<5"  # 4 patients: a region is suppressed too
    assert (by_key["nation"].numerator, by_key["nation"].denominator) == (6, 12)
    mine = own_unit_versus_rest(ind, tallies, unit=units[0], units=units, years=[2025])
    assert [(r.cells[2025].numerator, r.cells[2025].denominator) for r in mine] == [(1, 4), (5, 8)]


YEARS = [2023, 2024, 2025]


def _every_hidden_spot_is_safe(ind, tallies, units) -> None:
    """No group (a year's or the pooled column's published sums, a row's years and its pooled
    figure) has exactly one hidden cell with patients, for the public or any unit's leader."""
    hidden = hidden_places(ind, tallies, years=YEARS, units=units)
    sums = published_sums(units)
    sizes: dict = {}
    members: dict = {}
    for u in units:
        for y in YEARS:
            n = tallies.get((ind.id, u.resh_id, y), Tally()).denominator
            for level in ("unit", "trust", "region", "nation"):
                place = (level, indicator_table.__globals__["_group_key"](u, level)[0])
                members.setdefault(place, set()).add(u.resh_id)
                sizes[(y, place)] = sizes.get((y, place), 0) + n
                sizes[(POOLED, place)] = sizes.get((POOLED, place), 0) + n
    cols = [*YEARS, POOLED]
    groups = [((c, t), [(c, m) for m in ms]) for c in cols for t, ms in sums]
    places = {p for _c, p in sizes}
    groups += [((POOLED, p), [(y, p) for y in YEARS]) for p in places]
    shut = {(c, p) for c in cols for p in hidden[c]}
    assert not derivable(sizes=sizes, hidden=shut, groups=groups)
    for u in units:
        known = {(c, ("unit", str(u.resh_id))) for c in cols}
        found = derivable(sizes=sizes, hidden=shut, groups=groups, known=known)
        # a trust or region of the leader's unit alone is the leader's own count
        assert all(members[p] == {u.resh_id} for _c, p in found), found


def test_a_suppressed_latest_year_hides_the_earlier_years_of_every_row_d3():
    """R's hisregIndikator: ``andeler[N[, last] < terskel, 2:3] <- NA`` on every row, the
    nation's ("Nasjonalt") too."""
    ind = BY_ID["hisreg_reduksjon_ihs4"]
    units = [_Unit(1, "vest", "A")]
    tallies = {(ind.id, 1, 2023): Tally(8, 10), (ind.id, 1, 2024): Tally(9, 10),
               (ind.id, 1, 2025): Tally(3, 4)}  # fmt: skip
    for level in ("unit", "trust", "region", "nation"):
        row = indicator_table(ind, tallies, years=YEARS, level=level, units=units).rows[-1]
        assert [c.hidden for c in row.cells.values()] == ["", "", "N<5"], level
        # the pooled figure of the three years: 20 of 24, hidden only under 5
        assert (row.pooled.numerator, row.pooled.denominator) == (20, 24)
        assert row.pooled.shown
    mine = own_unit_versus_rest(ind, tallies, unit=units[0], units=units, years=YEARS)
    assert not any(c.shown for r in mine for c in r.cells.values())
    _every_hidden_spot_is_safe(ind, tallies, units)


@pytest.mark.parametrize(("denominator", "shown"), [(4, False), (5, True)])
def test_the_pooled_figure_is_hidden_only_under_5_even_for_complications_d3(denominator, shown):
    for indicator_id in ("hisreg_reduksjon_ihs4", "hisreg_kompl_kir"):
        ind = BY_ID[indicator_id]
        tallies = {(ind.id, 1, 2024): Tally(1, denominator - 2), (ind.id, 1, 2025): Tally(1, 2)}
        row = indicator_table(ind, tallies, years=YEARS, level="nation", units=[_Unit(1)])
        pooled = row.rows[-1].pooled
        assert (pooled.numerator, pooled.denominator) == (2, denominator)
        assert pooled.shown is shown
        assert pooled.hidden == (None if shown else "N<5")
        if shown:
            low, high = share_interval(2, denominator)
            assert (pooled.ci_low, pooled.ci_high) == (low, high)


def test_a_year_hidden_alone_in_its_row_hides_the_rows_pooled_figure_d3():
    """The pooled figure is the sum of the years: shown beside two shown years it would give
    the hidden one. Its pooled figure is hidden, and in turn another unit's (secondary
    suppression, as a year's)."""
    ind = BY_ID["hisreg_reduksjon_ihs4"]
    units = [_Unit(1, "vest", "A"), _Unit(2, "vest", "B"), _Unit(3, "nord", "C")]
    tallies = {(ind.id, 1, 2023): Tally(1, 3)}  # unit 1's early year alone under 5
    for u in (1, 2, 3):
        tallies[(ind.id, u, 2024)] = Tally(6, 10)
        tallies[(ind.id, u, 2025)] = Tally(7, 10 + u)
    tallies[(ind.id, 2, 2023)] = Tally(5, 9)
    tallies[(ind.id, 3, 2023)] = Tally(5, 8)
    table = indicator_table(ind, tallies, years=YEARS, level="unit", units=units)
    rows = {r.key: r for r in table.rows}
    assert rows["1"].cells[2023].hidden == "N<5"
    assert rows["1"].cells[2025].shown
    assert rows["1"].pooled.secondary
    assert sum(r.pooled.secondary for r in table.rows) >= 2
    _every_hidden_spot_is_safe(ind, tallies, units)


def test_units_under_60_percent_coverage_are_labelled_low_coverage():
    assert low_coverage(Coverage(599, 1000).percent)
    assert not low_coverage(Coverage(600, 1000).percent)
    assert not low_coverage(Coverage(10, None).percent)  # no NPR count: no label
    ind = BY_ID["pasientfornoydhet"]
    tallies = {(ind.id, 1, 2025): Tally(5, 6)}
    table = indicator_table(
        ind, tallies, years=[2025], level="unit", units=[_Unit(1)], low_coverage=frozenset({1})
    )
    assert table.rows[0].low_coverage
    assert table.rows[0].cells[2025].shown


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [  # exact Clopper-Pearson limits (R: binom.test(k, n)$conf.int)
        (0, 5, 0.0, 52.18),
        (5, 5, 47.82, 100.0),
        (3, 10, 6.67, 65.25),
        (50, 100, 39.83, 60.17),
    ],
)
def test_shares_have_exact_binomial_intervals(k, n, low, high):
    got = share_interval(k, n)
    assert got == pytest.approx((low, high), abs=0.01)


def test_means_have_t_intervals_and_need_10_records():
    assert mean_interval(10.0, 2.0, 10) == pytest.approx((8.569, 11.431), abs=0.001)
    assert mean_hidden(9)
    assert not mean_hidden(10)


@pytest.mark.parametrize(
    ("indicator_id", "percent", "level"),
    [
        ("hisreg_reduksjon_ihs4", 69.9, "low"),
        ("hisreg_reduksjon_ihs4", 70.0, "moderate"),
        ("hisreg_reduksjon_ihs4", 89.9, "moderate"),
        ("hisreg_reduksjon_ihs4", 90.0, "high"),
        ("hisreg_henvist_spesialist_1aar", 59.9, "low"),
        ("hisreg_henvist_spesialist_1aar", 80.0, "high"),
        ("hisreg_kompl_kir", 5.0, "high"),  # lower is better
        ("hisreg_kompl_kir", 5.1, "moderate"),
        ("hisreg_kompl_kir", 30.0, "moderate"),
        ("hisreg_kompl_kir", 30.1, "low"),
        ("tidl_antibiotisk", 50.0, None),  # no levels set
    ],
)
def test_levels_low_and_target(indicator_id, percent, level):
    assert BY_ID[indicator_id].level(percent) == level


# --- the stored episode facts follow the forms (reports.models.Episode) --------------------


def test_a_control_finished_through_the_service_counts_at_once_and_a_draft_does_not(here):
    i = crafted.episode(here, ON, before=counts(ihs4=6), after=None)
    control = DoctorAssessment(
        patient=i.patient, unit=here, date=ON + timedelta(weeks=12), occasion="3m",
        intervention=i, ihs4=2,
    )  # fmt: skip
    save_record(record=control, actor=None, finish=False)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(0, 0)  # a draft counts nowhere
    save_record(record=control, actor=None, finish=True)
    assert tally("hisreg_reduksjon_ihs4", 101) == Tally(1, 1)


def test_a_corrected_intervention_replaces_its_episode(here):
    first = crafted.episode(here, ON, kind=SURGICAL, before=counts(ihs4=6))
    correction = Intervention(
        patient=first.patient, unit=here, date=ON, type=MEDICAL, replaces=first,
        correction_reason="Feil type",
    )  # fmt: skip
    save_record(record=correction, actor=None, finish=True)
    assert list(Episode.objects.values_list("intervention_id", flat=True)) == [correction.pk]
    assert tally("hisreg_kontr_3mnd_med", 101) == Tally(0, 1)
    assert tally("hisreg_kontr_6mnd_kir", 101) == Tally(0, 0)


def test_refreshing_again_changes_no_stored_fact(db):
    seed(patients=40, seed=3, today=AS_OF, workers=1)
    stored = list(Episode.objects.order_by("pk").values("pk", *STORED))
    assert len(stored) > 20
    assert refresh_episodes() == len(stored)
    assert list(Episode.objects.order_by("pk").values("pk", *STORED)) == stored
    # one patient at a time, as a saved form refreshes them (the compiled query)
    for patient_id in Patient.objects.values_list("pk", flat=True):
        refresh_episodes(patient_ids=[patient_id])
    assert list(Episode.objects.order_by("pk").values("pk", *STORED)) == stored


@pytest.mark.django_db(transaction=True)
def test_forms_of_one_patient_finished_at_once_store_its_episode_once():
    """Two clinicians finish a control of the same patient at the same moment: the refreshes
    take turns (the patient's row is locked), so neither fails on the other's episode."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the race is PostgreSQL's")
    here = crafted.unit(101)
    i = crafted.episode(here, ON, before=counts(ihs4=6))
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def finish(ihs4: int) -> None:
        try:
            start.wait()
            control = DoctorAssessment(
                patient=i.patient, unit=here, date=ON + timedelta(weeks=12), occasion="3m",
                intervention=i, ihs4=ihs4,
            )  # fmt: skip
            save_record(record=control, actor=None, finish=True)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=finish, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert Episode.objects.filter(intervention=i).count() == 1
