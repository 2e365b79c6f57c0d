"""The screening worklist (SC-1, SC-2) lists ongoing biologic courses whose screening is
incomplete, not only planned ones (issue 12), and every worklist shows what an item is about in
words: the screening's gaps by name (wrapped, never cut), the week-12 evaluation's drug by its
name (TX-9), a follow-up's intervention by its date (RG-1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from hsreg.records.services import save_record
from hsreg.treatments.models import SCREENING_TESTS, DrugCourse, Screening
from hsreg.worklists.labels import describe
from hsreg.worklists.models import DueItem

from .test_case_and_worklists import assessment, kinds

pytestmark = pytest.mark.django_db
TODAY = date.today()


def course(patient, unit, drug, start, **fields):
    return save_record(
        record=DrugCourse(patient=patient, unit=unit, drug=drug, date=start, **fields),
        actor=None,
        finish=True,
    )


def test_sc1_an_ongoing_biologic_without_screening_is_on_the_list_overdue(patient, unit):
    assessment(patient, unit, TODAY - timedelta(days=40), {"axilla_right": (3, 1, 0, 2)})
    start = TODAY - timedelta(days=30)
    course(patient, unit, "adalimumab", start)
    item = kinds(patient)["screening"]
    assert (item.opens_on, item.due_on, item.rule_id) == (start, start, "SC-1")
    codes = item.detail.split(",")
    assert codes[:2] == ["SC-1:hemoglobin", "SC-1:leukocytes_differential"]
    assert "SC-2:cancer_within_5_years" in codes
    assert len(item.detail) > 200  # nothing cut (it was at 200 characters)


def test_sc2_only_the_history_missing_names_sc2(patient, unit):
    assessment(patient, unit, TODAY - timedelta(days=40), {"axilla_right": (3, 1, 0, 2)})
    course(patient, unit, "secukinumab", TODAY - timedelta(days=10))
    tests = {f"test_{t}": True for t in SCREENING_TESTS}
    save_record(
        record=Screening(
            patient=patient, unit=unit, date=TODAY, igra="negative", chest_xray="normal", **tests
        ),
        actor=None,
        finish=True,
    )
    item = kinds(patient)["screening"]
    assert item.rule_id == "SC-2"
    assert all(code.startswith("SC-2:") for code in item.detail.split(","))


def test_an_ended_biologic_or_a_non_biologic_is_not_on_the_screening_list(patient, unit):
    assessment(patient, unit, TODAY - timedelta(days=400), {"axilla_right": (3, 1, 0, 2)})
    course(
        patient,
        unit,
        "adalimumab",
        TODAY - timedelta(days=300),
        end=TODAY - timedelta(days=100),
        stop_reason="remission",
    )
    course(patient, unit, "doxycycline", TODAY - timedelta(days=20))
    assert "screening" not in kinds(patient)


def test_the_lists_show_words_not_codes(en, patient, unit):
    assessment(patient, unit, TODAY - timedelta(days=40), {"axilla_right": (3, 1, 0, 2)})
    course(patient, unit, "adalimumab", TODAY - timedelta(days=80))
    html = en.get(reverse("worklists:list", args=["screening"])).content.decode()
    assert "Tests not taken (SC-1): haemoglobin, leukocytes with differential" in html
    assert "Not recorded (SC-2): cancer within 5 years" in html
    assert "hemoglobin,leukocytes_differential" not in html
    html = en.get(reverse("worklists:list", args=["evaluations"])).content.decode()
    assert "<li>Adalimumab</li>" in html
    assert "(adalimumab)" not in html


def test_rows_written_before_the_rule_prefix_read_the_same(patient):
    item = DueItem(
        patient=patient,
        kind="screening",
        opens_on=TODAY,
        due_on=TODAY,
        rule_id="SC-1",
        detail="hemoglobin,igra,screening.tb_symptoms",
    )
    with translation.override("en"):
        assert describe(item) == [
            "Tests not taken (SC-1): haemoglobin, IGRA (QuantiFERON)",
            "Not recorded (SC-2): TB symptoms",
        ]
    follow_up = DueItem(
        patient=patient,
        kind="followup3",
        opens_on=TODAY,
        due_on=TODAY,
        rule_id="RG-1",
        detail="2026-03-02",
    )
    with translation.override("en"):
        (line,) = describe(follow_up)
    assert line.startswith("after the intervention of")
