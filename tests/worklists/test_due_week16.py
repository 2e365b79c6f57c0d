"""XB-3 on the worklist (beyond the NFDV guideline, 2019): an IL-17 inhibitor's course
(secukinumab XB-1, bimekizumab XB-2) is evaluated at week 16, so its item opens on day 105 and
falls due on day 112, rule XB-3, in the evaluations list; an assessment on day 104 is not the
evaluation (the item stays), one on day 105 is (the item goes). Adalimumab keeps TX-9's week
12 (day 77 / 84)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from hsreg.worklists.labels import describe
from hsreg.worklists.models import DueItem
from hsreg.worklists.selectors import worklist
from hsreg.worklists.services import refresh_patient
from tests.registry.test_case_and_worklists import assessment, course

pytestmark = pytest.mark.django_db

TODAY = date.today()
START = TODAY - timedelta(days=100)


def kinds(patient) -> dict[str, DueItem]:
    return {i.kind: i for i in DueItem.objects.filter(patient=patient)}


def on_course(patient, unit, drug: str) -> None:
    assessment(patient, unit, START, {"axilla_right": (6, 2, 1, 2)})
    course(patient, unit, drug, START)


@pytest.mark.parametrize("drug", ["secukinumab", "bimekizumab"])
def test_an_il17_course_gets_the_week_16_item_from_day_105_due_day_112_xb3(patient, unit, drug):
    on_course(patient, unit, drug)
    due = kinds(patient)
    assert "week12" not in due
    item = due["week16"]
    assert (item.opens_on, item.due_on) == (
        START + timedelta(days=105),
        START + timedelta(days=112),
    )
    assert (item.rule_id, item.detail) == ("XB-3", drug)


def test_the_week_16_item_is_listed_from_day_105_not_on_day_104_xb3(patient, unit):
    on_course(patient, unit, "bimekizumab")
    assert not worklist(unit=unit, name="evaluations", today=START + timedelta(days=104))
    listed = worklist(unit=unit, name="evaluations", today=START + timedelta(days=105))
    assert [(i.patient, i.kind) for i in listed] == [(patient, "week16")]


def test_an_assessment_on_day_104_is_not_the_evaluation_day_105_is_xb3(patient, unit):
    on_course(patient, unit, "secukinumab")
    day_104 = START + timedelta(days=104)
    assessment(patient, unit, day_104, {"axilla_right": (3, 1, 1, 2)})
    refresh_patient(patient, today=day_104)
    assert "week16" in kinds(patient)  # before day 105: not_due, still to come
    day_105 = START + timedelta(days=105)
    assessment(patient, unit, day_105, {"axilla_right": (3, 1, 1, 2)})
    refresh_patient(patient, today=day_105)
    assert "week16" not in kinds(patient)  # XB-3 applied: the evaluation is made


def test_adalimumab_keeps_the_week_12_item_tx9(patient, unit):
    on_course(patient, unit, "adalimumab")
    due = kinds(patient)
    assert "week16" not in due
    item = due["week12"]
    assert (item.opens_on, item.due_on, item.rule_id) == (
        START + timedelta(days=77),
        START + timedelta(days=84),
        "TX-9",
    )


def test_the_week_16_item_is_shown_on_the_worklist_page_with_its_drug_xb3(en, patient, unit):
    start = TODAY - timedelta(days=106)  # day 106 without an evaluation: due (by day 112)
    assessment(patient, unit, start, {"axilla_right": (6, 2, 1, 2)})
    course(patient, unit, "secukinumab", start)
    item = kinds(patient)["week16"]
    with translation.override("en"):
        assert describe(item) == ["Secukinumab"]
    page = en.get(reverse("worklists:list", args=["evaluations"])).content.decode()
    assert "16-week evaluation (XB-3, beyond the NFDV guideline (2019))" in page
    assert "Secukinumab" in page
    assert '<span class="rule">XB-3</span>' in page
