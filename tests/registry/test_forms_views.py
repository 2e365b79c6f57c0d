"""The registry forms' pages, for every kind of form: drafts, finishing, refused input that keeps
what was typed, read-only finished forms, corrections that keep the earlier version, discarding
drafts, and a unit seeing only its own patients."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from hsreg.patients.selectors import current
from hsreg.patients.services import register_patient
from hsreg.records.kinds import KINDS
from hsreg.records.models import Status
from hsreg.records.services import save_record
from hsreg.treatments.models import LabCheck

from .conftest import make_number
from .pages import error_for, url

pytestmark = pytest.mark.django_db

TODAY = "2026-11-20"
KEPT = "typed text kept 7431"

# What finishes each kind of form (the klokebok's required questions answered).
FINISHABLE: dict[str, dict[str, Any]] = {
    "medical-history": {
        "date": TODAY,
        "height_cm": "172",
        "age_first_boil": "16",
        "age_first_gp": "18",
        "age_diagnosis": "25",
        **dict.fromkeys(
            (
                "prior_surgery",
                "prior_medication",
                "family_history",
                "acne",
                "skin_disease",
                "pilonidal",
                "rheumatic",
                "bowel_disease",
                "diabetes",
                "hypertension",
                "cardiovascular",
                "other_disease",
            ),
            "0",
        ),
    },
    "patient-report": {
        "date": TODAY,
        "occasion": "pre",
        "smoking": "3",
        "work": "1",
        "boils_last_4_weeks": "4",
        "worst_boil_pain": "7",
        "vas_total": "6.5",
        **{
            f"{name}_unknown": "on"
            for name in (
                "vas_axilla_right",
                "vas_axilla_left",
                "vas_groin_right",
                "vas_groin_left",
                "vas_other",
            )
        },
    },
    "doctor-assessment": {
        "date": TODAY,
        "occasion": "pre",
        "axilla_left-nodules": "2",
        "axilla_left-abscesses": "1",
        "axilla_left-hurley": "2",
    },
    "intervention": {"date": TODAY, "type": "2"},
    "drug-course": {"date": TODAY, "drug": "doxycycline", "dose": "100 mg x 2"},
    "screening": {"date": TODAY, "test_hemoglobin": "on", "test_crp": "on"},
    "vaccination": {"date": TODAY, "vaccine": "influenza"},
    "lab-check": {"date": TODAY, "abnormal": "false"},
    "adverse-event": {
        "date": TODAY,
        "description": "Injection-site reaction",
        "seriousness": "mild",
        "action_taken": "none",
    },
}

# One refused answer per kind: (changes, field, reason shown, value typed and kept)
INVALID: dict[str, tuple[dict[str, str], str, str, str]] = {
    "medical-history": ({"height_cm": "301"}, "height_cm", "Must be between 100 and 300.", "301"),
    "patient-report": ({"vas_total": "11"}, "vas_total", "Must be between 0 and 10.", "11"),
    "doctor-assessment": (
        {"axilla_left-nodules": "51"},
        "axilla_left-nodules",
        "Must be between 0 and 50.",
        "51",
    ),
    "intervention": (
        {"date": "2027-01-05"},
        "date",
        "The date cannot be in the future.",
        "2027-01-05",
    ),
    "drug-course": (
        {"date": "2026-10-01", "end": "2026-09-01"},
        "end",
        "The end cannot be before the start.",
        "2026-09-01",
    ),
    "screening": ({"date": "1984-12-31"}, "date", "before the patient", "1984-12-31"),
    "vaccination": ({"date": "2026-13-45"}, "date", "Enter a valid date.", "2026-13-45"),
    "lab-check": ({"date": "yesterday"}, "date", "Enter a valid date.", "yesterday"),
    "adverse-event": (
        {"drug_course": "abc"},
        "drug_course",
        "Select a valid choice",
        KEPT,
    ),
}


@pytest.fixture
def stranger(other_unit):
    """A patient of another unit."""
    return register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Ola", last_name="Utenfor"
    )


def draft_of(client, patient, kind: str, data: dict[str, Any]):
    response = client.post(url("new", patient, kind), {**data, "action": "draft"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return KINDS[kind].model.objects.filter(patient=patient).latest("id")


def finished_lab_check(patient, unit, user) -> LabCheck:
    return save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1), note="first"),
        actor=None,
        finish=True,
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_with_a_label_for_every_input(en, patient, kind):
    response = en.get(url("new", patient, kind))
    assert response.status_code == 200
    html = response.content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', html))
    form_ids = [i for i in ids if i.startswith("id_")]
    assert form_ids
    assert [i for i in form_ids if i not in labelled] == []
    assert 'name="action" value="draft"' in html
    assert 'name="action" value="finish"' in html


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_saves_a_draft_and_finishes_it(en, patient, kind):
    record = draft_of(en, patient, kind, FINISHABLE[kind])
    assert record.status == Status.DRAFT
    assert record.unit == patient.units.get()
    response = en.post(url("edit", patient, kind, record), {**FINISHABLE[kind], "action": "finish"})
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", kwargs={"patient_id": patient.pk})
    record.refresh_from_db()
    assert record.status == Status.FINISHED
    assert record.finished_at is not None
    assert list(current(KINDS[kind].model, patient=patient)) == [record]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_refuses_a_bad_answer_keeps_what_was_typed_and_changes_nothing(
    en, patient, kind
):
    record = draft_of(en, patient, kind, {**FINISHABLE[kind], "comment": "saved before"})
    before = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    changes, name, reason, typed = INVALID[kind]
    data = {**FINISHABLE[kind], **changes, "comment": KEPT, "action": "draft"}
    response = en.post(url("edit", patient, kind, record), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in error_for(html, name)
    assert typed in html
    assert KEPT in html
    assert 'id="form-errors"' in html
    record.refresh_from_db()
    assert {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields} == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_form_with_a_bad_answer_is_not_saved(en, patient, kind):
    changes, name, reason, _typed = INVALID[kind]
    response = en.post(
        url("new", patient, kind), {**FINISHABLE[kind], **changes, "action": "finish"}
    )
    assert response.status_code == 400
    assert reason in error_for(response.content.decode(), name)
    assert not KINDS[kind].model.objects.filter(patient=patient).exists()


def test_finishing_requires_the_registry_questions_a_draft_does_not(en, patient):
    response = en.post(url("new", patient, "intervention"), {"date": TODAY, "action": "finish"})
    assert response.status_code == 400
    assert "Answer this question to finish the form." in error_for(
        response.content.decode(), "type"
    )
    response = en.post(url("new", patient, "intervention"), {"date": TODAY, "action": "draft"})
    assert response.status_code == 302


def test_a_finished_form_is_read_only(en, patient, unit, user):
    record = finished_lab_check(patient, unit, user)
    edit = url("edit", patient, "lab-check", record)
    response = en.post(edit, {"date": TODAY, "note": "changed", "action": "finish"})
    assert response.status_code == 302
    assert response["Location"] == url("detail", patient, "lab-check", record)
    record.refresh_from_db()
    assert record.note == "first"
    assert record.date == date(2026, 11, 1)
    response = en.get(url("detail", patient, "lab-check", record))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" not in html.split("<main>")[1].split('id="record-actions"')[1]
    assert 'data-status="finished"' in html
    assert "first" in html


def test_the_detail_of_a_draft_opens_it_for_editing(en, patient):
    record = draft_of(en, patient, "lab-check", FINISHABLE["lab-check"])
    response = en.get(url("detail", patient, "lab-check", record))
    assert response["Location"] == url("edit", patient, "lab-check", record)


def test_a_correction_keeps_the_earlier_version_and_becomes_current(en, patient, unit, user):
    original = finished_lab_check(patient, unit, user)
    correct = url("correct", patient, "lab-check", original)
    assert en.get(correct).status_code == 200
    refused = en.post(correct, {"reason": ""})
    assert refused.status_code == 400
    response = en.post(correct, {"reason": "Wrong date typed"})
    copy = LabCheck.objects.get(replaces=original)
    assert response["Location"] == url("edit", patient, "lab-check", copy)
    assert copy.status == Status.DRAFT
    assert copy.note == "first"
    assert copy.correction_reason == "Wrong date typed"
    # asking again goes to the draft correction already started
    assert en.get(correct)["Location"] == url("edit", patient, "lab-check", copy)
    # until the correction is finished the original is the current version
    assert list(current(LabCheck, patient=patient)) == [original]
    page = en.get(url("edit", patient, "lab-check", copy)).content.decode()
    assert f"Correction of #{original.pk}" in page
    en.post(
        url("edit", patient, "lab-check", copy),
        {"date": "2026-11-02", "note": "first", "action": "finish"},
    )
    original.refresh_from_db()
    copy.refresh_from_db()
    assert original.status == Status.SUPERSEDED
    assert original.date == date(2026, 11, 1)
    assert copy.status == Status.FINISHED
    assert list(current(LabCheck, patient=patient)) == [copy]
    old_page = en.get(url("detail", patient, "lab-check", original)).content.decode()
    assert f"Corrected by #{copy.pk}" in old_page
    assert "Wrong date typed" in old_page
    new_page = en.get(url("detail", patient, "lab-check", copy)).content.decode()
    assert f"corrects #{original.pk}" in new_page
    assert "Wrong date typed" in new_page
    # an earlier version is not corrected again
    response = en.post(correct, {"reason": "again"})
    assert response["Location"] == url("detail", patient, "lab-check", original)
    assert LabCheck.objects.count() == 2


def test_discarding_a_draft_correction_leaves_the_original_current(en, patient, unit, user):
    original = finished_lab_check(patient, unit, user)
    en.post(url("correct", patient, "lab-check", original), {"reason": "typo"})
    copy = LabCheck.objects.get(replaces=original)
    response = en.post(url("discard", patient, "lab-check", copy), {"confirmed": "yes"})
    assert response.status_code == 302
    assert list(current(LabCheck, patient=patient)) == [original]
    assert not LabCheck.objects.filter(pk=copy.pk).exists()


def test_only_drafts_are_discarded_and_only_by_post(en, patient, unit, user):
    record = finished_lab_check(patient, unit, user)
    discard = url("discard", patient, "lab-check", record)
    assert en.get(discard).status_code == 405
    en.post(discard)
    assert LabCheck.objects.filter(pk=record.pk, status=Status.FINISHED).exists()
    draft = draft_of(en, patient, "lab-check", FINISHABLE["lab-check"])
    en.post(url("discard", patient, "lab-check", draft), {"confirmed": "yes"})
    assert not LabCheck.objects.filter(pk=draft.pk).exists()


def test_another_units_patient_and_forms_are_not_found(en, stranger, other_unit, user):
    record = save_record(
        record=LabCheck(patient=stranger, unit=other_unit, date=date(2026, 11, 1)),
        actor=None,
        finish=True,
    )
    assert en.get(url("new", stranger, "lab-check")).status_code == 404
    assert en.post(url("new", stranger, "lab-check"), FINISHABLE["lab-check"]).status_code == 404
    assert en.get(url("detail", stranger, "lab-check", record)).status_code == 404
    assert en.get(url("edit", stranger, "lab-check", record)).status_code == 404
    assert (
        en.post(url("correct", stranger, "lab-check", record), {"reason": "x"}).status_code == 404
    )
    assert en.post(url("discard", stranger, "lab-check", record)).status_code == 404
    live = url("live", stranger, "doctor-assessment")
    assert en.post(live, {"axilla_left-nodules": "3"}).status_code == 404
    assert LabCheck.objects.get(pk=record.pk).status == Status.FINISHED


def test_a_form_is_found_only_under_its_own_patient(en, patient, unit, user):
    other = register_patient(
        unit=unit, national_id=make_number(3), first_name="Per", last_name="Annen"
    )
    record = finished_lab_check(patient, unit, user)
    assert en.get(url("detail", other, "lab-check", record)).status_code == 404
    assert en.get(url("detail", patient, "vaccination", record)).status_code == 404


def test_unknown_kinds_and_bad_ids_are_not_found_never_an_error(en, patient):
    assert en.get(f"/patients/{patient.pk}/forms/prescription/new/").status_code == 404
    assert en.get(f"/patients/{patient.pk}/forms/lab-check/abc/").status_code == 404
    assert en.get(f"/patients/{patient.pk}/forms/lab-check/999999/").status_code == 404
    assert en.post(url("live", patient, "lab-check"), {}).status_code == 404
    assert en.get(url("live", patient, "doctor-assessment")).status_code == 405


def test_non_numeric_choices_in_a_post_are_refused_as_field_errors(en, patient):
    data = {**FINISHABLE["patient-report"], "occasion": "3m", "intervention": "1 OR 1=1"}
    response = en.post(url("new", patient, "patient-report"), {**data, "action": "draft"})
    assert response.status_code == 400
    assert "Select a valid choice" in error_for(response.content.decode(), "intervention")
    response = en.post(
        url("new", patient, "doctor-assessment"),
        {"date": TODAY, "occasion": "nonsense", "axilla_left-hurley": "x", "action": "draft"},
    )
    assert response.status_code == 400


def test_pages_need_a_login(client, patient):
    response = client.get(url("new", patient, "lab-check"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # the live scores are a script's request: 401 in JSON, not the login page (issue 12)
    assert client.post(url("live", patient, "doctor-assessment"), {}).status_code == 401


def test_the_medical_history_is_one_form_per_patient(en, patient):
    first = draft_of(en, patient, "medical-history", FINISHABLE["medical-history"])
    response = en.get(url("new", patient, "medical-history"))
    assert response["Location"] == url("edit", patient, "medical-history", first)
    en.post(
        url("edit", patient, "medical-history", first),
        {**FINISHABLE["medical-history"], "action": "finish"},
    )
    response = en.get(url("new", patient, "medical-history"))
    assert response["Location"] == url("detail", patient, "medical-history", first)


def test_plausible_range_warns_after_saving(en, patient):
    data = {**FINISHABLE["medical-history"], "height_cm": "250", "action": "finish"}
    response = en.post(url("new", patient, "medical-history"), data, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unusual value (usually between 120 and 215)" in html


JUNK = ("abc", "-1", "99999999999999999999", "1e5", "NaN", "Infinity", "0000-00-00", "", "<b>x</b>")


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_every_field_is_a_field_error_never_a_crash(en, patient, kind, junk):
    page = en.get(url("new", patient, kind)).content.decode()
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page))
    names -= {"csrfmiddlewaretoken", "action", "language", "unit", "next"}
    data = {**FINISHABLE[kind], **dict.fromkeys(names, junk), "action": "finish"}
    response = en.post(url("new", patient, kind), data)
    assert response.status_code in (302, 400)
    live = url("live", patient, kind)
    if KINDS[kind].live:
        assert en.post(live, data).status_code == 200
    assert "<b>x</b>" not in response.content.decode()
