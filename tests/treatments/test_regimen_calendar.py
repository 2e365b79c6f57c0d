"""The IL-17 inhibitor courses' dosing calendar in dates on the course's page: bimekizumab
(XB-2) every 2 weeks at weeks 0–14, then every 4 weeks from week 16; secukinumab (XB-1) weeks
0–4, then every 4 weeks from week 8, or every 2 weeks by response. Each date is the course start
+ week × 7 days; both are marked "beyond the NFDV guideline (2019)" with their source. Under 18
there is no regimen (XB-1/XB-2: adults), and the page says why."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hsreg.patients.services import register_patient
from hsreg.records.models import Status
from hsreg.treatments.models import DrugCourse
from hsreg.treatments.regimen_calendar import dated_calendar
from tests.registry.test_cdlqi_form import number_for

pytestmark = pytest.mark.django_db
START = date(2026, 1, 5)  # a Monday


def course(patient, drug: str, start: date = START) -> DrugCourse:
    return DrugCourse.objects.create(
        patient=patient, unit=patient.units.get(), drug=drug, date=start,
        status=Status.FINISHED, finished_at=timezone.now(),
    )  # fmt: skip


def page(client, c: DrugCourse) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(
        "records:detail",
        kwargs={"patient_id": c.patient_id, "kind": "drug-course", "record_id": c.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str, part: str, every: int | None = None) -> list[tuple[int, str]]:
    """(week, ISO date) of each row of one table of the calendar."""
    marker = f'data-part="{part}"' + (f' data-every-weeks="{every}"' if every else "")
    table = html.split(marker, 1)[1].split("</table>", 1)[0]
    return [
        (int(week), day)
        for day, week in re.findall(r'<tr data-date="([\d-]+)" data-week="(\d+)">', table)
    ]


def on_week(week: int) -> str:
    return (START + timedelta(days=7 * week)).isoformat()


def test_xb2_bimekizumab_course_page_dates_every_2_weeks_to_week_14_then_every_4(
    client_in, patient
):
    html = page(client_in, course(patient, "bimekizumab"))
    assert 'id="regimen-calendar-bimekizumab" data-rule="XB-2"' in html
    induction = rows(html, "induction")
    assert induction == [(w, on_week(w)) for w in range(0, 15, 2)]
    assert induction[0] == (0, "2026-01-05")
    assert induction[-1] == (14, "2026-04-13")  # week 14: the last induction dose
    maintenance = rows(html, "maintenance", 4)
    assert maintenance[0] == (16, "2026-04-27")  # week 16: the first maintenance dose
    assert maintenance == [(w, on_week(w)) for w in (16, 20, 24, 28)]
    assert "320 mg every 4 weeks from week 16" in html
    assert 'data-every-weeks="2"' not in html  # XB-2 has one maintenance option
    assert "Beyond the NFDV guideline (2019)" in html
    assert "BE HEARD I/II, Lancet 2024" in html  # the source


def test_xb1_secukinumab_course_page_dates_weeks_0_to_4_then_both_maintenance_options(
    client_in, patient
):
    html = page(client_in, course(patient, "secukinumab"))
    assert 'id="regimen-calendar-secukinumab" data-rule="XB-1"' in html
    assert rows(html, "induction") == [(w, on_week(w)) for w in (0, 1, 2, 3, 4)]
    assert rows(html, "maintenance", 4) == [(w, on_week(w)) for w in (8, 12, 16, 20)]
    assert rows(html, "maintenance", 2) == [(w, on_week(w)) for w in (8, 10, 12, 14)]
    assert "300 mg every 4 weeks from week 8" in html
    assert "300 mg every 2 weeks from week 8" in html
    assert "Beyond the NFDV guideline (2019)" in html
    assert "SUNSHINE/SUNRISE, Lancet 2023" in html


def test_xb1_xb2_no_calendar_under_18_and_the_page_says_why(client_in, unit):
    born = START - timedelta(days=365 * 17)
    teenager = register_patient(
        unit=unit, national_id=number_for(born, 5), first_name="Ola", last_name="Ung"
    )
    html = page(client_in, course(teenager, "bimekizumab"))
    assert 'id="course-regimen" data-status="not_applicable"' in html
    assert "regimen-calendar" not in html
    assert "approved for adults with HS" in html


def test_an_adalimumab_course_page_has_no_il17_calendar(client_in, patient):
    html = page(client_in, course(patient, "adalimumab"))
    assert 'id="course-regimen"' not in html


def test_the_include_reads_the_evaluations_regimen_with_its_own_start():
    """treatments/_regimen_calendar.html takes the evaluation's ``biologic_regimen`` (JSON):
    the dates count from the start given, else the regimen's own."""
    regimen = {
        "drug": "bimekizumab",
        "status": "ok",
        "induction": [{"week": w, "dose_mg": 320} for w in range(0, 15, 2)],
        "maintenance": [{"start_week": 16, "dose_mg": 320, "every_weeks": 4}],
        "rule_id": "XB-2",
        "start": "2026-01-05",
    }
    calendar = dated_calendar(regimen, regimen["start"])
    assert calendar is not None
    assert calendar["beyond"] is True
    assert [d["date"] for d in calendar["induction"]][:2] == [date(2026, 1, 5), date(2026, 1, 19)]
    assert calendar["maintenance"][0]["doses"][0] == {"week": 16, "date": date(2026, 4, 27)}
    assert dated_calendar({**regimen, "status": "insufficient_data"}, START) is None
    assert dated_calendar(None, START) is None
    # every date is strictly later than the one before (the doses increase in week)
    weeks = [d["week"] for d in calendar["induction"]]
    weeks += [d["week"] for d in calendar["maintenance"][0]["doses"]]
    assert weeks == sorted(set(weeks))


def test_the_include_renders_from_a_template(patient):
    from django.template.loader import render_to_string

    regimen = {
        "drug": "secukinumab",
        "status": "ok",
        "induction": [{"week": w, "dose_mg": 300} for w in range(5)],
        "maintenance": [
            {"start_week": 8, "dose_mg": 300, "every_weeks": 4},
            {"start_week": 8, "dose_mg": 300, "every_weeks": 2},
        ],
        "rule_id": "XB-1",
        "start": "2026-01-05",
    }
    html = render_to_string(
        "treatments/_regimen_calendar.html", {"regimen": regimen, "start": START}
    )
    assert rows(html, "induction")[-1] == (4, on_week(4))
    assert rows(html, "maintenance", 2)[0] == (8, on_week(8))
    assert "data-beyond-guideline" in html


def test_the_include_takes_the_engines_own_biologic_regimen():
    """What the patient page would pass: ``evaluation.to_dict()["biologic_regimen"]``."""
    from django.template.loader import render_to_string

    from hsreg.guideline import evaluate

    evaluation = evaluate(
        {
            "as_of": "2026-02-01",
            "patient": {"birth_date": "1980-05-05", "sex": "female"},
            "treatments": [{"drug": "bimekizumab", "start": START.isoformat()}],
        }
    ).to_dict("en")
    regimen = evaluation["biologic_regimen"]
    html = render_to_string("treatments/_regimen_calendar.html", {"regimen": regimen})
    assert 'data-rule="XB-2"' in html
    assert rows(html, "induction") == [(w, on_week(w)) for w in range(0, 15, 2)]
    assert rows(html, "maintenance", 4)[0] == (16, on_week(16))
