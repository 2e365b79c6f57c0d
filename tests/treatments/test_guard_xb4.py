"""XB-4 in the biologic guard (beyond the NFDV guideline, 2019): starting an IL-17 inhibitor
(secukinumab XB-1, bimekizumab XB-2) for a patient with inflammatory bowel disease in the
history is a finding "XB-4: ibd_il17", listed after SC-2; the same patient's adalimumab course
is not (the warning is the IL-17 inhibitors'), nor an IL-17 course without IBD."""

from __future__ import annotations

import pytest
from django.utils import translation

from hsreg.assessments.models import MedicalHistory
from hsreg.guideline.screening import warning_text
from hsreg.treatments import guards
from hsreg.treatments.models import DrugCourse
from tests.registry.test_patient_page import ago, finish
from tests.registry.test_safety_guards import eligible

pytestmark = pytest.mark.django_db


def history(patient, *, bowel_disease: int, bowel_disease_type: int | None = None):
    return finish(
        MedicalHistory(
            patient=patient,
            unit=patient.units.get(),
            date=ago(400),
            height_cm=175,
            bowel_disease=bowel_disease,
            bowel_disease_type=bowel_disease_type,
        ),
        None,
    )


def found(patient, drug: str) -> list[guards.Finding]:
    course = DrugCourse(patient=patient, unit=patient.units.get(), drug=drug, date=ago(0))
    return guards.check(patient=patient, course=course)


@pytest.mark.parametrize("drug", ["secukinumab", "bimekizumab"])
def test_an_il17_course_with_ibd_in_the_history_is_a_finding_xb4(patient, user, drug):
    eligible(patient, user)
    history(patient, bowel_disease=1, bowel_disease_type=1)
    xb4 = [f for f in found(patient, drug) if f.rule_id == "XB-4"]
    assert [f.keys for f in xb4] == [["XB-4:ibd_il17"]]
    assert xb4[0].text == warning_text("ibd_il17")


def test_xb4_is_listed_after_sc2_and_before_the_vaccines():
    order = guards.RULE_ORDER
    assert order.index("SC-2") < order.index("XB-4") < order.index("VA-2")
    assert "beyond the NFDV guideline (2019)" in guards.RULE_TITLES["XB-4"].en
    assert "utover NFDV-retningslinjen (2019)" in guards.RULE_TITLES["XB-4"].nb


def test_adalimumab_for_the_same_patient_has_no_xb4_finding(patient, user):
    eligible(patient, user)
    history(patient, bowel_disease=1, bowel_disease_type=2)
    assert "XB-4" not in [f.rule_id for f in found(patient, "adalimumab")]


def test_an_il17_course_without_ibd_has_no_xb4_finding(patient, user):
    eligible(patient, user)
    history(patient, bowel_disease=0)
    assert "XB-4" not in [f.rule_id for f in found(patient, "secukinumab")]


def test_a_stored_xb4_override_is_described_in_words():
    with translation.override("en"):
        text = guards.describe("XB-4:ibd_il17")
    assert text.en == "XB-4: inflammatory bowel disease on an IL-17 inhibitor"
    assert text.nb.startswith("XB-4: ")
    assert guards.overridden_rules(["VA-2:influenza", "XB-4:ibd_il17", "SC-1:hiv"]) == [
        "SC-1",
        "XB-4",
        "VA-2",
    ]
