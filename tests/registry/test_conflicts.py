"""Issue 11 point 3, one request at a time: every form carries its version, a save over a newer
one is refused with the conflict page (409) showing both values of every changed answer and
keeping what was typed; a page's one-time token makes a repeated POST of it count once; a
patient has one medical history (a database constraint). The parallel requests are in
test_parallel_saves.py."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment, MedicalHistory
from hsreg.records import submissions
from hsreg.records.conflicts import ConflictError
from hsreg.records.kinds import KINDS
from hsreg.records.models import Status, Submission
from hsreg.records.services import save_record, start_correction
from hsreg.treatments.models import LabCheck
from tests.registry.conftest import PASSWORD
from tests.registry.pages import url
from tests.signin import sign_in

DAY = "2026-11-02"


@pytest.fixture
def colleague(unit, settings):
    """A second registrar of the same unit, with the English interface."""
    user = create_user(
        username="kollega", password=PASSWORD, units=[unit], first_name="Per", last_name="Berg"
    )
    other = sign_in(Client(), user)
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return other


def hidden(html: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden {name}"
    return found.group(1)


def opened(client, path: str) -> dict[str, str]:
    """The hidden fields of a form page as loaded: its token and version."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return {"submission": hidden(html, "submission"), "version": hidden(html, "version")}


def lab_draft(patient, unit, note: str = "first") -> LabCheck:
    return save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1), note=note),
        actor=None,
        finish=False,
    )


def differences(html: str) -> dict[str, tuple[str, str]]:
    """field -> (stored now, typed) of the conflict page's table."""
    rows = re.findall(
        r'<tr data-field="([^"]+)"><th scope="row">[^<]*</th><td class="stored">([^<]*)</td>'
        r'<td class="typed">([^<]*)</td></tr>',
        html,
    )
    return {name: (stored, typed) for name, stored, typed in rows}


# --- versions -----------------------------------------------------------------------------


def test_every_save_counts_one_version_up_and_a_stale_one_is_refused(patient, unit):
    draft = lab_draft(patient, unit)
    assert draft.version == 1
    draft.note = "second"
    save_record(record=draft, actor=None, finish=False, loaded_version=1)
    assert LabCheck.objects.get(pk=draft.pk).version == 2
    stale = LabCheck.objects.get(pk=draft.pk)
    stale.note = "over the newer one"
    with pytest.raises(ConflictError) as refused:
        save_record(record=stale, actor=None, finish=True, loaded_version=1)
    assert refused.value.stored.version == 2
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.status, stored.version) == ("second", Status.DRAFT, 2)


def test_a_correction_starts_its_own_count_of_versions(patient, unit):
    done = save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1), note="a"),
        actor=None,
        finish=False,
    )
    done.note = "b"
    done = save_record(record=done, actor=None, finish=True, loaded_version=1)
    assert done.version == 2
    copy = save_record(
        record=start_correction(record=done, user=None, reason="typo"), actor=None, finish=False
    )
    assert copy.version == 1


def test_every_form_page_carries_a_fresh_token_and_the_version_it_was_loaded_with(
    client_in, patient, unit
):
    for kind in KINDS:
        first = opened(client_in, url("new", patient, kind))
        second = opened(client_in, url("new", patient, kind))
        assert submissions.posted_token(first["submission"]) == first["submission"]
        assert first["submission"] != second["submission"]
        assert first["version"] == "1"
    draft = lab_draft(patient, unit)
    draft.note = "again"
    save_record(record=draft, actor=None, finish=False)
    assert opened(client_in, url("edit", patient, "lab-check", draft))["version"] == "2"


# --- the conflict page --------------------------------------------------------------------


def test_a_save_over_a_newer_version_shows_both_values_and_keeps_the_typed_ones(
    en, colleague, patient, unit
):
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    mine, theirs = opened(en, path), opened(colleague, path)
    saved = colleague.post(path, {**theirs, "date": DAY, "note": "theirs", "action": "draft"})
    assert saved.status_code == 302

    refused = en.post(path, {**mine, "date": DAY, "note": "mine", "action": "draft"})

    assert refused.status_code == 409
    html = refused.content.decode()
    assert differences(html) == {"note": ("theirs", "mine")}
    assert "Per Berg" in html  # who saved the stored version
    assert 'id="conflict-saved-by"' in html
    assert "version 2" in html
    assert 'name="note" value="mine"' in html  # the typed answer stays in the form
    assert hidden(html, "version") == "2"  # saving again is over the new version, on purpose
    assert 'id="take-stored"' in html
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.version) == ("theirs", 2)


def test_saving_from_the_conflict_page_saves_over_the_new_version(en, colleague, patient, unit):
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    mine, theirs = opened(en, path), opened(colleague, path)
    colleague.post(path, {**theirs, "date": DAY, "note": "theirs", "action": "draft"})
    html = en.post(path, {**mine, "date": DAY, "note": "mine", "action": "draft"}).content
    again = {"submission": hidden(html.decode(), "submission"), "version": "2"}

    saved = en.post(path, {**again, "date": DAY, "note": "mine", "action": "draft"})

    assert saved.status_code == 302
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.version) == ("mine", 3)


def test_finishing_over_a_newer_version_is_refused_too(en, colleague, patient, unit):
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    mine, theirs = opened(en, path), opened(colleague, path)
    colleague.post(path, {**theirs, "date": DAY, "note": "theirs", "abnormal": "false"})

    refused = en.post(
        path, {**mine, "date": DAY, "note": "theirs", "abnormal": "true", "action": "finish"}
    )

    assert refused.status_code == 409
    assert differences(refused.content.decode()) == {"abnormal": ("No", "Yes")}
    assert LabCheck.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_form_finished_meanwhile_lists_both_values_and_offers_no_save(
    en, colleague, patient, unit
):
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    mine, theirs = opened(en, path), opened(colleague, path)
    colleague.post(
        path, {**theirs, "date": DAY, "note": "theirs", "abnormal": "false", "action": "finish"}
    )

    refused = en.post(path, {**mine, "date": DAY, "note": "mine", "action": "draft"})

    assert refused.status_code == 409
    html = refused.content.decode()
    assert differences(html)["note"] == ("theirs", "mine")
    assert 'id="record-form"' not in html
    assert 'id="open-stored"' in html
    assert LabCheck.objects.get(pk=draft.pk).note == "theirs"


def test_the_regions_of_an_assessment_count_as_answers_of_the_form(en, colleague, patient, unit):
    draft = save_record(
        record=DoctorAssessment(patient=patient, unit=unit, date=date(2026, 11, 1)),
        actor=None,
        finish=False,
    )
    path = url("edit", patient, "doctor-assessment", draft)
    base = {"date": DAY, "occasion": "pre", "action": "draft"}
    mine, theirs = opened(en, path), opened(colleague, path)
    colleague.post(path, {**theirs, **base, "axilla_left-nodules": "3"})

    refused = en.post(path, {**mine, **base, "axilla_left-nodules": "5"})

    assert refused.status_code == 409
    found = differences(refused.content.decode())
    assert found["axilla_left-nodules"] == ("3", "5")
    assert found["nodules"] == ("3", "5")  # the total follows the regions
    assert draft.regions.get().nodules == 3


def test_a_post_without_a_version_or_with_nonsense_is_not_an_error(client_in, patient, unit):
    """A page always posts its version; a client that leaves it out, or sends something that
    is not one, is answered as before (no check), never with a 500."""
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    for version in ("", "²", "9" * 40, "-1"):
        response = client_in.post(path, {"version": version, "date": DAY, "action": "draft"})
        assert response.status_code == 302


# --- one-time tokens ----------------------------------------------------------------------


def test_a_repeated_post_of_a_new_form_page_creates_one_record(en, patient):
    page = opened(en, url("new", patient, "lab-check"))
    data = {**page, "date": DAY, "note": "once", "action": "draft"}

    first = en.post(url("new", patient, "lab-check"), data)
    second = en.post(url("new", patient, "lab-check"), data)  # Back + resubmit, a second tab

    assert first.status_code == second.status_code == 302
    record = LabCheck.objects.get(patient=patient)
    assert second["Location"] == url("detail", patient, "lab-check", record)
    assert Submission.objects.get(token=page["submission"]).form_id == record.pk
    followed = en.get(second["Location"], follow=True).content.decode()
    assert "already saved" in followed


def test_a_repeated_post_of_an_edit_page_is_not_a_conflict(en, patient, unit):
    draft = lab_draft(patient, unit)
    path = url("edit", patient, "lab-check", draft)
    data = {**opened(en, path), "date": DAY, "note": "edited", "action": "draft"}

    assert en.post(path, data).status_code == 302
    second = en.post(path, data)

    assert second.status_code == 302
    assert second["Location"] == url("detail", patient, "lab-check", draft)
    stored = LabCheck.objects.get(pk=draft.pk)
    assert (stored.note, stored.version) == ("edited", 2)


def test_a_page_shown_again_with_errors_keeps_its_token_and_counts_once(en, patient):
    path = url("new", patient, "lab-check")
    page = opened(en, path)
    wrong = en.post(path, {**page, "date": "2999-01-01", "action": "draft"})
    assert wrong.status_code == 400
    assert hidden(wrong.content.decode(), "submission") == page["submission"]
    data = {**page, "date": DAY, "action": "draft"}
    assert en.post(path, data).status_code == 302
    assert en.post(path, data).status_code == 302
    assert LabCheck.objects.filter(patient=patient).count() == 1


def test_a_token_not_of_our_shape_is_ignored_and_never_stored(en, patient):
    odd = ("x" * 500, "short", "a b" * 20, "\x00" * 40)
    for token in odd:
        response = en.post(
            url("new", patient, "lab-check"), {"submission": token, "date": DAY, "action": "draft"}
        )
        assert response.status_code == 302
    assert LabCheck.objects.filter(patient=patient).count() == 4
    assert not Submission.objects.filter(token__in=odd[:3]).exists()  # no NUL in SQL


def test_the_database_refuses_a_second_use_of_a_token(patient, unit):
    token = submissions.new_token()
    save_record(
        record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1)),
        actor=None,
        finish=False,
        token=token,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        save_record(
            record=LabCheck(patient=patient, unit=unit, date=date(2026, 11, 1)),
            actor=None,
            finish=False,
            token=token,
        )
    assert LabCheck.objects.filter(patient=patient).count() == 1


# --- one medical history ------------------------------------------------------------------


def test_every_form_a_patient_has_once_has_a_database_constraint():
    for kind in KINDS.values():
        if kind.single:
            constraints = [
                c
                for c in kind.model._meta.constraints
                if getattr(c, "fields", ()) == ("patient",) and c.condition is not None
            ]
            assert constraints, kind.slug


def test_the_database_refuses_a_second_medical_history(patient, unit):
    save_record(
        record=MedicalHistory(patient=patient, unit=unit, date=date(2026, 11, 1)),
        actor=None,
        finish=False,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MedicalHistory.objects.create(patient=patient, unit=unit, date=date(2026, 11, 2))
    assert MedicalHistory.objects.filter(patient=patient).count() == 1


def test_corrections_of_the_medical_history_are_later_versions_not_a_second_one(patient, unit):
    first = save_record(
        record=MedicalHistory(patient=patient, unit=unit, date=date(2026, 11, 1)),
        actor=None,
        finish=True,
    )
    for reason in ("height", "again"):
        copy = save_record(
            record=start_correction(record=first, user=None, reason=reason),
            actor=None,
            finish=False,
        )
        first = save_record(record=copy, actor=None, finish=True)
    assert MedicalHistory.objects.filter(patient=patient).count() == 3
    assert MedicalHistory.objects.filter(patient=patient, status=Status.FINISHED).count() == 1
