"""XB-6 in the registry: the clinic's patient's report asks a patient under 16 the children's
DLQI (CDLQI) and scores it by its own bands; a report the patient sent says so; the patient
page labels the total; the engine and the DLQI's before/after never read a CDLQI as a DLQI."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hsreg.assessments.models import Occasion, PatientReport
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from hsreg.reports.models import Episode
from hsreg.treatments.models import InterventionType

from .pages import error_for, url
from .test_forms_assessments import REPORT, TODAY, live, output, save

KIND = "patient-report"
CDLQI = {f"dlqi_{n}": "1" for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)} | {
    "cdlqi_7_period": "1",
    "cdlqi_7": "6",
}


def number_for(born: date, n: int = 1) -> str:
    individual = (500 if born.year >= 2000 else 0) + n
    while (number := synthetic_number(born, individual)) is None:
        individual += 1
    return number


@pytest.fixture
def child(unit):
    """A patient of 12: under 16 today, so the CDLQI (XB-6)."""
    born = timezone.localdate().replace(year=timezone.localdate().year - 12) - timedelta(days=40)
    return register_patient(
        unit=unit, national_id=number_for(born), first_name="Ola", last_name="Liten"
    )


def test_a_new_report_of_a_child_asks_the_cdlqi_xb6(en, child):
    page = en.get(url("new", child, KIND)).content.decode()
    assert "Dermatology Life Quality Index (CDLQI)" in page
    assert 'name="cdlqi_7_period"' in page
    assert 'name="dlqi_7"' not in page
    assert "Skin affected friendships" in page
    assert "Quite a lot" in page


def test_the_cdlqi_is_stored_and_scored_by_its_own_rules(en, child):
    save(en, child, KIND, {**REPORT, **CDLQI}, action="finish")
    report = PatientReport.objects.get(patient=child)
    assert report.dlqi_instrument == "cdlqi"
    assert (report.cdlqi_7_period, report.cdlqi_7) == (1, 6)
    assert report.dlqi_7 is None
    assert report.dlqi_total == 30
    page = en.get(url("detail", child, KIND, report)).content.decode()
    assert re.search(r'id="score-instrument">CDLQI <span class="rule">XB-6', page)
    assert 'id="score-dlqi" data-value="30"' in page
    assert "extremely large effect" in page.lower()


def test_a_cdlqi_band_is_the_cdlqis(en, child):
    # 12 points: moderate for the CDLQI (7-12), very large for a DLQI (11-20)
    answers = {**CDLQI, **dict.fromkeys(("dlqi_1", "dlqi_2", "dlqi_3", "dlqi_4"), "4")}
    answers |= {"dlqi_5": "1", "dlqi_6": "1", "dlqi_8": "1", "dlqi_9": "2", "dlqi_10": "3"}
    answers |= {"cdlqi_7_period": "2", "cdlqi_7": "4"}
    save(en, child, KIND, {**REPORT, **answers}, action="finish")
    report = PatientReport.objects.get(patient=child)
    assert report.dlqi_total == 3 + 3 + 3 + 2 + 1
    page = en.get(url("detail", child, KIND, report)).content.decode()
    assert "moderate effect" in page.lower()


def test_the_cdlqi_has_no_not_relevant_and_prevented_school_needs_school_time(en, child):
    data = {**REPORT, **CDLQI, "dlqi_3": "5", "cdlqi_7_period": "2"}
    response = en.post(url("new", child, KIND), {**data, "action": "draft"})
    assert response.status_code == 400
    html = response.content.decode()
    assert error_for(html, "dlqi_3")
    assert "school time only" in error_for(html, "cdlqi_7")


def test_the_live_scores_say_cdlqi_and_its_band(en, child):
    html = live(en, child, KIND, {**REPORT, **CDLQI, "cdlqi_7": "3"})
    assert 'id="live-instrument">CDLQI' in html
    assert output(html, "live-dlqi") == "28"
    assert output(html, "live-dlqi-band") == "extremely_large"
    html = live(en, child, KIND, {**REPORT, "dlqi_1": "1"})
    assert "the CDLQI is not scored" in html


def test_an_adult_is_asked_the_dlqi(en, patient):
    page = en.get(url("new", patient, KIND)).content.decode()
    assert 'name="dlqi_7"' in page
    assert 'name="cdlqi_7_period"' not in page
    html = live(en, patient, KIND, {**REPORT, "dlqi_1": "1"})
    assert 'id="live-instrument">DLQI' in html


def test_a_stored_cdlqi_keeps_its_instrument_when_edited(en, child):
    save(en, child, KIND, {**REPORT, **CDLQI})
    report = PatientReport.objects.get(patient=child)
    page = en.get(url("edit", child, KIND, report)).content.decode()
    assert 'name="cdlqi_7_period"' in page


def patient_report(child, unit, **extra) -> PatientReport:
    return PatientReport.objects.create(
        patient=child,
        unit=unit,
        date=TODAY_DATE,
        status=Status.FINISHED,
        finished_at=timezone.now(),
        dlqi_instrument="cdlqi",
        **{f"dlqi_{n}": 2 for n in (1, 2, 3, 4, 5, 6, 8, 9, 10)},
        cdlqi_7_period=1,
        cdlqi_7=2,
        dlqi_total=20,
        vas_total=4,
        **extra,
    )


TODAY_DATE = date.fromisoformat(TODAY)


def test_a_report_sent_by_the_patient_says_so(en, child, unit):
    sent = timezone.now()
    report = patient_report(
        child, unit, reported_by="patient", reported_channel="sms", reported_at=sent
    )
    page = en.get(url("detail", child, KIND, report)).content.decode()
    assert "Reported by the patient" in page
    assert "SMS" in page
    assert f'datetime="{timezone.localtime(sent).isoformat()[:19]}' in page


def test_the_patient_page_labels_the_cdlqi_and_the_patients_own_report(en, child, unit):
    patient_report(child, unit, reported_by="patient", reported_channel="tablet",
                   reported_at=timezone.now())  # fmt: skip
    page = en.get(reverse("patients:detail", args=[child.pk])).content.decode()
    assert "CDLQI" in page
    assert "Reported by the patient" in page
    assert "Clinic tablet" in page


def test_the_dlqis_before_and_after_leave_out_a_cdlqi(child, unit):
    from tests.reports import crafted

    on = TODAY_DATE - timedelta(days=200)
    crafted.report(child, unit, on - timedelta(days=7), dlqi=20, dlqi_instrument="cdlqi")
    i = crafted.intervention(child, unit, on, InterventionType.MEDICAL)
    crafted.report(child, unit, on + timedelta(weeks=12), occasion=Occasion.CONTROL_3,
                   intervention=i, dlqi=9, dlqi_instrument="dlqi")  # fmt: skip
    episode = Episode.objects.get(intervention=i)
    assert episode.base_dlqi is None
    assert episode.ctl_dlqi == 9
