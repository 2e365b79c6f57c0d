"""Cross-unit access through registration (issue 11 point 1): the probe's sequence.

A registrar of unit A registers the national id number of a patient unit B registered. Today
(before issue 11) A was enrolled at once and sent to the patient page, saw all of B's forms and
could correct them, and B's unit leader did not see those reads. Now: enrolling needs the care
relationship (and says no more than "registered at another unit" before it is given); B's
forms are B's: A sees only that they exist until the patient's consent to sharing with A is
recorded, then sees them read-only, labelled with B, and can never change them; every access
to the patient is in the review of every unit the patient is enrolled at."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.patients.models import Enrolment, SharingConsent
from hsreg.records.models import Status
from hsreg.records.services import discard_draft, save_record, start_correction
from hsreg.worklists.models import DueItem

from .conftest import B_ONLY_WORD

pytestmark = pytest.mark.django_db

ROUTES = ("detail", "edit", "correct", "discard")


def form_url(name: str, patient, record, kind: str) -> str:
    return reverse(
        f"records:{name}", kwargs={"patient_id": patient.pk, "kind": kind, "record_id": record.pk}
    )


def page_of(client, patient):
    response = client.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    assert response.status_code == 200
    return response


def actor_at(user, unit) -> Actor:
    return Actor(user=user, unit=unit, role=Role.REGISTRAR, request_id="test")


# --- registration -----------------------------------------------------------------------------


def test_registering_another_units_patient_asks_the_care_relationship_and_reveals_nothing(
    a_client, b_patient, unit, other_unit
):
    data = {"national_id": b_patient.national_id, "first_name": "Ny", "last_name": "Navn"}
    first = a_client.post(reverse("patients:create"), data)
    assert first.status_code == 200  # the second step of the same form, not the patient page
    html = first.content.decode()
    assert 'name="care_relationship"' in html
    assert 'name="note"' in html
    assert "registrert ved en annen enhet" in html or "registered at another unit" in html
    for secret in ("Skjult", "Berit", other_unit.name, str(other_unit.pk), f"#{b_patient.pk}"):
        assert secret not in html, secret
    assert not Enrolment.objects.filter(patient=b_patient, unit=unit).exists()
    looked_up = AuditEvent.objects.filter(
        patient_id=b_patient.pk, target="registration: registered at another unit"
    ).get()
    assert looked_up.unit_id == unit.pk

    # the second step without a relationship is refused on its field
    refused = a_client.post(reverse("patients:create"), {**data, "step": "relationship"})
    assert refused.status_code == 400
    assert 'data-field="care_relationship"' in refused.content.decode()
    assert not Enrolment.objects.filter(patient=b_patient, unit=unit).exists()

    done = a_client.post(
        reverse("patients:create"),
        {**data, "step": "relationship", "care_relationship": "transfer", "note": "overført"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("patients:detail", kwargs={"patient_id": b_patient.pk})
    enrolment = Enrolment.objects.get(patient=b_patient, unit=unit)
    assert enrolment.care_relationship == "transfer"
    assert enrolment.note == "overført"
    assert enrolment.enrolled_by.username == "lege"
    b_patient.refresh_from_db()
    assert b_patient.last_name == "Skjult"  # the typed name does not change B's patient
    created = AuditEvent.objects.filter(action=Action.CREATE, patient_id=b_patient.pk).first()
    assert created.target == f"enrolment at {unit.pk}"
    assert created.detail == {"care_relationship": "transfer"}


def test_a_new_patient_needs_no_care_relationship(a_client, unit):
    from tests.registry.conftest import make_number

    response = a_client.post(
        reverse("patients:create"),
        {"national_id": make_number(77), "first_name": "Ny", "last_name": "Pasient"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(unit=unit).care_relationship == ""


def test_the_other_unit_sees_the_new_enrolment_with_its_reason(b_leader_client, enrolled, unit):
    html = page_of(b_leader_client, enrolled).content.decode()
    assert unit.name in html
    assert "Henvisning" in html or "Referral" in html
    assert "henvist for vurdering av kirurgi" in html


# --- the probe: read and try to correct B's forms -----------------------------------------------


def test_without_consent_a_sees_that_b_has_forms_but_none_of_their_content(
    a_client, enrolled, other_unit
):
    response = page_of(a_client, enrolled)
    html = response.content.decode()
    assert B_ONLY_WORD not in html
    forms = enrolled.b_forms
    for record in forms.values():
        assert f"/{record.pk}/" not in html or record.pk == enrolled.pk
    assert response.context["finished"] == []
    assert response.context["drafts"] == []
    assert response.context["follow_ups"] == []
    # the panel and the timeline are built from A's forms only (none): no lesion counts
    assert response.context["timeline"].courses == ()
    assert all(not series.points for series in response.context["timeline"].series)
    evaluation = response.context["evaluation"]
    assert evaluation is None or evaluation.staging.ihs4.score is None
    assert evaluation is None or evaluation.response.drug is None  # B's course unknown to A
    assert "Adalimumab" not in html  # B's course is not listed
    # the page says B holds forms, how many, and how to open them
    assert response.context["hidden_forms"] == [(other_unit.name, 2)]
    assert 'id="consent-form"' in html


def test_a_cannot_read_or_change_bs_forms_by_their_urls(a_client, enrolled, unit):
    forms = enrolled.b_forms
    targets = [
        (forms["assessment"], "doctor-assessment"),
        (forms["course"], "drug-course"),
        (forms["draft"], "lab-check"),
    ]
    for record, kind in targets:
        for name in ROUTES:
            for method in ("get", "post"):
                before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
                response = getattr(a_client, method)(form_url(name, enrolled, record, kind))
                if response.status_code == 405:
                    continue
                assert response.status_code == 404, (kind, name, method)
                assert B_ONLY_WORD not in response.content.decode()
                denied = AuditEvent.objects.filter(outcome=Outcome.DENIED)
                assert denied.count() == before + 1, (kind, name, method)
                row = denied.first()
                assert row.patient_id == enrolled.pk
                assert row.unit_id == unit.pk
                assert row.target == f"{record._meta.model_name} {record.pk}"
    # nothing of B's changed
    assessment = type(forms["assessment"]).objects.get(pk=forms["assessment"].pk)
    assert assessment.status == Status.FINISHED
    assert not type(assessment).objects.filter(replaces=assessment).exists()
    assert type(forms["draft"]).objects.filter(pk=forms["draft"].pk).exists()


def test_the_services_refuse_a_form_of_another_unit_whatever_the_view(enrolled, unit, user):
    forms = enrolled.b_forms
    actor = actor_at(user, unit)
    with pytest.raises(PermissionDenied):
        start_correction(record=forms["assessment"], user=user, reason="x", actor=actor)
    with pytest.raises(PermissionDenied):
        save_record(record=forms["draft"], actor=actor, finish=True)
    with pytest.raises(PermissionDenied):
        discard_draft(record=forms["draft"], actor=actor)
    copy = start_correction(record=forms["assessment"], user=user, reason="x")
    with pytest.raises(PermissionDenied):  # a copy still belongs to B
        save_record(record=copy, actor=actor, finish=False)
    assert type(forms["draft"]).objects.get(pk=forms["draft"].pk).status == Status.DRAFT


def test_worklists_show_a_shared_patients_due_items_only_to_a_unit_that_sees_the_history(
    a_client, b_leader_client, enrolled, unit, user
):
    assert DueItem.objects.filter(patient=enrolled, kind="week12").exists()  # from B's course
    for client, expected in ((a_client, []), (b_leader_client, [enrolled.pk])):
        page = client.get(reverse("worklists:list", kwargs={"name": "evaluations"}))
        assert [i.patient_id for i in page.context["items"]] == expected
        counts = {n: c for n, _, c in client.get(reverse("worklists:index")).context["lists"]}
        assert counts["evaluations"] == len(expected)
    a_client.post(
        reverse("patients:consent", kwargs={"patient_id": enrolled.pk}),
        {"reason": "samtykke gitt muntlig", "confirm": "on"},
    )
    page = a_client.get(reverse("worklists:list", kwargs={"name": "evaluations"}))
    assert [i.patient_id for i in page.context["items"]] == [enrolled.pk]


def test_bs_unit_leader_reviews_as_reads_of_bs_patient(
    a_client, b_leader_client, enrolled, unit, other_unit
):
    record = enrolled.b_forms["assessment"]
    page_of(a_client, enrolled)
    a_client.get(form_url("detail", enrolled, record, "doctor-assessment"))
    review = b_leader_client.get(reverse("audit:events"), {"patient": enrolled.pk})
    rows = {
        (e.unit_id, e.username, e.action, e.outcome, e.target) for e in review.context["events"]
    }
    assert (unit.pk, "lege", "read", "ok", "patient page") in rows
    assert (unit.pk, "lege", "read", "denied", f"doctorassessment {record.pk}") in rows
    assert (unit.pk, "lege", "create", "ok", f"enrolment at {unit.pk}") in rows
    csv = b_leader_client.get(reverse("audit:events_csv"), {"patient": enrolled.pk})
    assert "lege" in csv.content.decode()
    # A's reads of A's other patients stay A's: B's leader does not review them
    from tests.registry.conftest import make_number

    mine = a_client.post(
        reverse("patients:create"),
        {"national_id": make_number(78), "first_name": "Egen", "last_name": "Pasient"},
    )
    a_client.get(mine["Location"])
    all_rows = b_leader_client.get(reverse("audit:events")).context["events"]
    assert {e.patient_id for e in all_rows if e.patient_id} == {enrolled.pk}


# --- with the patient's consent ------------------------------------------------------------------


def test_consent_shows_bs_finished_forms_read_only_labelled_with_b(
    a_client, enrolled, unit, other_unit, user
):
    url = reverse("patients:consent", kwargs={"patient_id": enrolled.pk})
    refused = a_client.post(url, {"reason": "", "confirm": "on"})
    assert refused.status_code == 400
    assert 'data-field="reason"' in refused.content.decode()
    response = a_client.post(url, {"reason": "samtykke gitt muntlig", "confirm": "on"})
    assert response.status_code == 302
    consent = SharingConsent.objects.get(patient=enrolled, unit=unit)
    assert consent.recorded_by == user
    assert AuditEvent.objects.filter(
        action=Action.CREATE, target=f"sharing consent {consent.pk}", unit_id=unit.pk
    ).exists()

    forms = enrolled.b_forms
    page = page_of(a_client, enrolled)
    listed = {e.record.pk: e.unit_name for e in page.context["finished"]}
    assert listed == {forms["assessment"].pk: other_unit.name, forms["course"].pk: other_unit.name}
    assert page.context["drafts"] == []  # B's drafts are never shared
    assert (
        page.context["evaluation"].staging.ihs4.score == 3 + 2 * 2 + 1 * 4
    )  # the panel counts B's
    assert page.context["timeline"].courses  # and so does the chart
    assert "unit-label" in page.content.decode()

    detail = a_client.get(form_url("detail", enrolled, forms["assessment"], "doctor-assessment"))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert 'id="other-unit"' in html
    assert other_unit.name in html
    assert form_url("correct", enrolled, forms["assessment"], "doctor-assessment") not in html
    # still not changeable, and B's draft still not readable
    for name in ("edit", "correct", "discard"):
        for method in ("get", "post"):
            r = getattr(a_client, method)(
                form_url(name, enrolled, forms["assessment"], "doctor-assessment")
            )
            assert r.status_code in (404, 405), (name, method)
    assert (
        a_client.get(form_url("detail", enrolled, forms["draft"], "lab-check")).status_code == 404
    )
    assert type(forms["assessment"]).objects.get(pk=forms["assessment"].pk).status == "finished"


def test_withdrawn_consent_hides_bs_forms_again(a_client, enrolled, unit):
    a_client.post(
        reverse("patients:consent", kwargs={"patient_id": enrolled.pk}),
        {"reason": "samtykke", "confirm": "on"},
    )
    response = a_client.post(
        reverse("patients:consent_withdraw", kwargs={"patient_id": enrolled.pk})
    )
    assert response.status_code == 302
    consent = SharingConsent.objects.get(patient=enrolled, unit=unit)
    assert consent.withdrawn_at is not None
    assert page_of(a_client, enrolled).context["finished"] == []
    record = enrolled.b_forms["assessment"]
    assert (
        a_client.get(form_url("detail", enrolled, record, "doctor-assessment")).status_code == 404
    )
    # and it can be given again
    a_client.post(
        reverse("patients:consent", kwargs={"patient_id": enrolled.pk}),
        {"reason": "nytt samtykke", "confirm": "on"},
    )
    assert SharingConsent.objects.filter(patient=enrolled, unit=unit).count() == 2


def test_a_unit_can_record_consent_only_for_its_own_patients(a_client, b_patient):
    url = reverse("patients:consent", kwargs={"patient_id": b_patient.pk})
    assert a_client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert not SharingConsent.objects.exists()


def test_a_single_form_held_by_another_unit_is_not_started_again_without_consent(
    a_client, enrolled, other_unit
):
    from hsreg.assessments.models import MedicalHistory

    save_record(
        record=MedicalHistory(
            patient=enrolled, unit=other_unit, date=enrolled.b_forms["course"].date
        ),
        actor=None,
        finish=True,
    )
    url = reverse("records:new", kwargs={"patient_id": enrolled.pk, "kind": "medical-history"})
    response = a_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", kwargs={"patient_id": enrolled.pk})
    # with the consent it is B's form that opens, read-only
    a_client.post(
        reverse("patients:consent", kwargs={"patient_id": enrolled.pk}),
        {"reason": "samtykke", "confirm": "on"},
    )
    shared = a_client.get(url, follow=True)
    assert shared.context["record"].unit == other_unit
    assert 'id="other-unit"' in shared.content.decode()


def test_a_form_finished_at_a_keeps_the_due_items_of_the_whole_history(enrolled, unit, user):
    """The due items are derived from every unit's forms, also when the unit that finishes a
    form sees only its own: A's lab check does not drop the 12-week evaluation of B's course
    (it is shown by the worklists' own rule)."""
    from hsreg.patients.selectors import get_patient
    from hsreg.treatments.models import LabCheck

    actor = actor_at(user, unit)
    scoped = get_patient(actor=actor, patient_id=enrolled.pk, target="test")
    assert scoped.scope is not None
    assert not scoped.scope.shared
    day = enrolled.b_forms["course"].date
    save_record(record=LabCheck(patient=scoped, unit=unit, date=day), actor=actor, finish=True)
    assert DueItem.objects.filter(patient=enrolled, kind="week12").exists()
