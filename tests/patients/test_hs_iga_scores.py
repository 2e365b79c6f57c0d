"""XB-7 HS-IGA in the registry (beyond the NFDV guideline, 2019): the doctor's assessment's
live scores grade it as the grid is typed, with the counts it was set by and its source; the
saved assessment and the patient page's list of forms show the same grade; without counts per
region there is none. Boundaries of the grade: 1/2 and 5/6 (0 → 1 → 2)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hsreg.assessments.models import DoctorAssessment
from tests.registry.pages import url
from tests.registry.test_forms_assessments import live, output
from tests.registry.test_patient_page import assessment, finish

pytestmark = pytest.mark.django_db

KIND = "doctor-assessment"


def typed(**cells: int) -> dict[str, str]:
    """The grid as typed: ``axilla_left__nodules=2`` → ``axilla_left-nodules``."""
    data = {"date": timezone.localdate().isoformat(), "occasion": "pre"}
    data |= {name.replace("__", "-"): str(value) for name, value in cells.items()}
    return data


@pytest.mark.parametrize(
    ("nodules", "grade"),
    [(1, "0"), (2, "1"), (5, "1"), (6, "2")],
)
def test_the_live_scores_grade_hs_iga_at_its_boundaries_xb7(en, patient, nodules, grade):
    html = live(en, patient, KIND, typed(axilla_left__nodules=nodules))
    assert output(html, "live-hs-iga") == grade
    assert "upper body" in html
    assert re.search(r'id="live-hs-iga-counts">upper body \d+, lower body 0', html)


def test_the_higher_body_count_sets_the_grade_and_other_is_added_xb7(en, patient):
    # upper 3 (axillae), lower 5 (groin 3 + perianal 2): the higher, 5, grade 1 ...
    cells = {
        "axilla_right__abscesses": 3,
        "groin_left__nodules": 3,
        "perianal__draining_tunnels": 2,
    }
    html = live(en, patient, KIND, typed(**cells))
    assert output(html, "live-hs-iga") == "1"
    # ... and one lesion of the region "other" is added to the higher: 6, grade 2 (Reading)
    html = live(en, patient, KIND, typed(**cells, other__nodules=1))
    assert output(html, "live-hs-iga") == "2"
    assert "other 1 (added to the higher)" in html


def test_the_live_hs_iga_says_it_is_beyond_the_guideline_and_names_its_source_xb7(en, patient):
    html = live(en, patient, KIND, typed(groin_right__nodules=2))
    source = re.search(r'id="live-hs-iga-source">([^<]*)<', html)
    assert source
    assert "Beyond the NFDV guideline (2019)" in source.group(1)
    assert "Garg et al., Br J Dermatol 2022" in source.group(1)
    assert "HiSTORIC" in source.group(1)
    assert re.search(r'HS-IGA <span class="rule">XB-7</span>', html)


def test_without_counts_per_region_there_is_no_hs_iga_xb7(en, patient):
    data = {"date": timezone.localdate().isoformat(), "nodules": "4", "abscesses": "2"}
    html = live(en, patient, KIND, {**data, "draining_tunnels": "0"})
    assert output(html, "live-hs-iga") == ""
    assert 'id="live-hs-iga-missing">needs counts per region' in html


def test_the_saved_assessment_and_the_patient_page_show_the_same_grade_xb7(en, patient, user):
    # one region, axilla: 7 nodules + 2 abscesses + 2 tunnels = 11 lesions → grade 3 (11-15)
    saved = assessment(patient, user, on=timezone.localdate(), nodules=7, abscesses=2, tunnels=2)
    detail = en.get(url("detail", patient, KIND, saved)).content.decode()
    assert 'id="score-hs-iga" data-value="3"' in detail
    assert "Beyond the NFDV guideline (2019)" in detail
    page = en.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "HS-IGA" in page
    forms = page.split('id="forms-heading"', 1)[1]
    assert "HS-IGA 3" in " ".join(re.sub(r"<[^>]+>", " ", forms).split())
    # the panel's part beyond the guideline shows the same grade (the engine's XB-7)
    assert 'data-value="hs-iga">3<' in page


def test_totals_only_give_no_hs_iga_on_the_saved_assessment_xb7(en, patient, user):
    record = DoctorAssessment(
        patient=patient,
        unit=patient.units.get(),
        date=timezone.localdate(),
        nodules=3,
        abscesses=1,
        draining_tunnels=0,
        hurley=2,
    )
    finish(record, user)
    detail = en.get(url("detail", patient, KIND, record)).content.decode()
    assert 'id="score-hs-iga" data-value=""' in detail
