"""The audit log (issue 4 point 4): one row for every read, list, creation, change, export and
refused access of patient data, with who, role, unit, patient, what, when (UTC), request id
and outcome; earlier values of a changed form kept where the patient's objection reaches them;
the log append-only (ORM here; raw SQL on PostgreSQL in test_append_only.py); the unit
leader's "who has seen this patient" and its export; the review of the log."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.patients.services import register_patient
from hsreg.records.models import EarlierVersion
from hsreg.records.services import save_record
from tests.registry.conftest import PASSWORD, make_number
from tests.registry.pages import error_for, url
from tests.registry.test_forms_views import FINISHABLE
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

ASSESSMENT = FINISHABLE["doctor-assessment"]


def newest(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).order_by("-id").first()


def test_a_patient_page_read_is_one_row_with_who_role_unit_patient_when_and_request_id(
    client_in, user, unit, patient
):
    before = timezone.now()
    response = client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    assert response.status_code == 200
    rows = AuditEvent.objects.filter(action=Action.READ)
    assert rows.count() == 1
    row = rows.get()
    assert (row.user, row.username, row.role, row.unit_id) == (user, "lege", "registrar", unit.pk)
    assert (row.patient_id, row.target, row.outcome) == (patient.pk, "patient page", Outcome.OK)
    assert row.request_id == response["X-Request-ID"]
    assert row.at.tzinfo is not None
    assert row.at.utcoffset() == timedelta(0)  # stored and read back in UTC
    assert before <= row.at <= timezone.now()


def test_a_form_read_names_the_form(client_in, patient, unit):
    record = save_record(
        record=DoctorAssessment(patient=patient, unit=unit, date=patient.registered_at.date()),
        actor=None,
        finish=True,
    )
    response = client_in.get(url("detail", patient, "doctor-assessment", record))
    assert response.status_code == 200
    assert newest(action=Action.READ).target == f"doctorassessment {record.pk}"


def test_search_results_and_worklists_write_one_list_row_per_patient_shown(
    client_in, unit, patient
):
    second = register_patient(
        unit=unit, national_id=make_number(3), first_name="Kari", last_name="Nordby"
    )
    client_in.get(reverse("patients:search"), {"q": "Nord"})
    listed = AuditEvent.objects.filter(action=Action.LIST, target="search")
    assert sorted(listed.values_list("patient_id", flat=True)) == sorted([patient.pk, second.pk])
    client_in.get(reverse("worklists:list", kwargs={"name": "evaluations"}))
    assert AuditEvent.objects.filter(target="worklist evaluations").count() == 0  # nobody due
    # the typed query is not in the log: it may be a national id number or a name
    assert not AuditEvent.objects.filter(detail__icontains="Nord").exists()


def test_registering_a_patient_and_a_form_are_creation_rows(client_in, unit):
    response = client_in.post(
        reverse("patients:create"),
        {"national_id": make_number(7), "first_name": "Per", "last_name": "Hansen"},
    )
    assert response.status_code == 302
    created = newest(action=Action.CREATE)
    assert created.target == "patient"
    patient_id = created.patient_id
    response = client_in.post(
        reverse("records:new", kwargs={"patient_id": patient_id, "kind": "doctor-assessment"}),
        {**ASSESSMENT, "action": "draft"},
    )
    assert response.status_code == 302
    form = DoctorAssessment.objects.get(patient_id=patient_id)
    row = newest(action=Action.CREATE)
    assert (row.patient_id, row.target) == (patient_id, f"doctorassessment {form.pk}")
    assert row.detail == {"status": "draft"}


def test_enrolling_a_patient_of_another_unit_is_logged_as_such(unit, other_unit, patient):
    register_patient(
        unit=other_unit,
        national_id=patient.national_id,
        first_name="Kari",
        last_name="Nordmann",
        care_relationship="referral",
    )
    row = newest(action=Action.CREATE)
    assert row.target == f"enrolment at {other_unit.pk}"
    assert row.detail == {"care_relationship": "referral"}


def test_a_changed_draft_keeps_its_earlier_values_and_the_row_names_the_changed_fields(
    client_in, patient
):
    draft_url = url("new", patient, "doctor-assessment")
    client_in.post(draft_url, {**ASSESSMENT, "comment": "first words", "action": "draft"})
    draft = DoctorAssessment.objects.get(patient=patient)
    changed = {**ASSESSMENT, "axilla_left-nodules": "5", "comment": "second words"}
    response = client_in.post(
        url("edit", patient, "doctor-assessment", draft), {**changed, "action": "finish"}
    )
    assert response.status_code == 302
    row = newest(action=Action.CHANGE)
    assert row.target == f"doctorassessment {draft.pk}"
    assert row.detail["status"] == "finished"
    assert "comment" in row.detail["changed"]
    version = EarlierVersion.objects.get(pk=row.detail["earlier_version"])
    assert (version.patient_id, version.form, version.form_id) == (
        patient.pk,
        "doctorassessment",
        draft.pk,
    )
    assert version.values["comment"] == "first words"
    assert version.values["status"] == "draft"
    axilla = next(r for r in version.values["regions"] if r["region"] == "axilla_left")
    assert axilla["nodules"] == 2  # the count before the change, with the form's rows
    # the log itself keeps no values, only their names: free text may name the patient
    assert "first words" not in str(row.detail)


def test_a_discarded_draft_is_a_change_row_with_its_values_kept(client_in, patient):
    client_in.post(url("new", patient, "doctor-assessment"), {**ASSESSMENT, "action": "draft"})
    draft = DoctorAssessment.objects.get(patient=patient)
    client_in.post(url("discard", patient, "doctor-assessment", draft), {"confirmed": "yes"})
    row = newest(action=Action.CHANGE)
    assert row.detail["discarded"] is True
    assert EarlierVersion.objects.get(pk=row.detail["earlier_version"]).form_id == draft.pk


def test_a_correction_row_names_the_form_it_corrects(client_in, patient, unit):
    finished = save_record(
        record=DoctorAssessment(patient=patient, unit=unit, date=patient.registered_at.date()),
        actor=None,
        finish=True,
    )
    response = client_in.post(
        url("correct", patient, "doctor-assessment", finished), {"reason": "feil dato"}
    )
    assert response.status_code == 302
    row = newest(action=Action.CREATE)
    assert row.detail == {"status": "draft", "corrects": finished.pk}


def test_another_units_patient_is_a_denied_row_and_a_404(client_in, other_unit):
    theirs = register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Ola", last_name="Utenfor"
    )
    response = client_in.get(reverse("patients:detail", kwargs={"patient_id": theirs.pk}))
    assert response.status_code == 404
    row = newest(outcome=Outcome.DENIED)
    assert (row.action, row.patient_id, row.username) == (Action.READ, theirs.pk, "lege")


def test_a_page_the_role_does_not_open_is_a_denied_row_and_a_403(client_in, patient):
    response = client_in.get(reverse("audit:access_log", kwargs={"patient_id": patient.pk}))
    assert response.status_code == 403
    row = newest(action=Action.DENIED)
    assert (row.outcome, row.target, row.role) == (Outcome.DENIED, "audit:access_log", "registrar")


def test_the_unit_leader_sees_who_has_seen_the_patient_on_the_patient_page(
    client_in, leader_client, patient
):
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    page = leader_client.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    html = page.content.decode()
    assert 'id="recent-access"' in html
    assert "Liv" in html  # the registrar who read the page before
    registrar_page = client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    assert 'id="recent-access"' not in registrar_page.content.decode()


def test_the_access_log_export_lists_every_access_in_utc_and_is_itself_logged(
    client_in, leader_client, patient
):
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    page = leader_client.get(reverse("audit:access_log", kwargs={"patient_id": patient.pk}))
    assert page.status_code == 200
    response = leader_client.get(reverse("audit:access_log_csv", kwargs={"patient_id": patient.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_target = {(r["user"], r["action"], r["what"]) for r in rows}
    assert ("lege", "read", "patient page") in by_target
    assert ("leder", "read", "access log") in by_target
    assert ("", "create", "patient") in by_target  # registered by hsreg itself (no user)
    for row in rows:
        assert datetime.fromisoformat(row["when_utc"]).utcoffset() == timedelta(0)
        assert row["patient"] == str(patient.pk)
    # no national id number in the export; the patient is their registry id
    assert patient.national_id not in response.content.decode()
    assert newest(action=Action.EXPORT).target == "access log csv"


def test_a_name_that_is_a_formula_is_text_in_the_audit_csv_exports(
    client_in, leader_client, user, patient
):
    """Issue 11 point 6: names come from public applications; a spreadsheet must not run one."""
    user.first_name, user.last_name = '=HYPERLINK("http://x","y")', "@SUM(1)"
    user.save()
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    for response in (
        leader_client.get(reverse("audit:access_log_csv", kwargs={"patient_id": patient.pk})),
        leader_client.get(reverse("audit:events_csv")),
    ):
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        names = {r["name"] for r in rows if r["user"] == "lege"}
        assert names == {'\'=HYPERLINK("http://x","y") @SUM(1)'}


def test_the_unit_leader_reviews_their_units_log_only(
    client_in, leader_client, coordinator_client, patient, other_unit
):
    theirs = register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Ola", last_name="Utenfor"
    )
    outsider = create_user(username="annen", password=PASSWORD, units=[other_unit])
    sign_in(Client(), outsider).get(reverse("patients:detail", kwargs={"patient_id": theirs.pk}))
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))

    html = leader_client.get(reverse("audit:events")).content.decode()
    assert "Liv" in html  # my unit's registrar
    assert "annen" not in html  # another unit's user
    everything = coordinator_client.get(reverse("audit:events")).content.decode()
    assert "Liv" in everything
    assert "annen" in everything


def test_the_log_review_filters_and_refuses_a_bad_filter_on_its_field(leader_client, patient):
    filtered = leader_client.get(
        reverse("audit:events"), {"action": "create", "patient": patient.pk}
    )
    assert filtered.status_code == 200
    # created by hsreg (no unit), but about the unit's patient: every unit the patient is
    # enrolled at reviews it (issue 11)
    rows = filtered.context["events"]
    assert [(e.unit_id, e.target, e.patient_id) for e in rows] == [(None, "patient", patient.pk)]
    none = leader_client.get(reverse("audit:events"), {"action": "change", "patient": patient.pk})
    assert none.context["events"] == []
    bad = leader_client.get(reverse("audit:events"), {"since": "2026-13-45", "patient": "x"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert error_for(html, "since") != ""
    assert error_for(html, "patient") != ""
    backwards = leader_client.get(
        reverse("audit:events"), {"since": "2026-11-20", "until": "2026-11-01"}
    )
    assert "Sluttdatoen er før startdatoen." in error_for(backwards.content.decode(), "until")
    csv_bad = leader_client.get(reverse("audit:events_csv"), {"since": "nonsense"})
    assert csv_bad.status_code == 400


def test_the_log_review_export_is_logged_with_its_filters(leader_client):
    today = timezone.localdate().isoformat()
    response = leader_client.get(reverse("audit:events_csv"), {"since": today})
    assert response.status_code == 200
    header = response.content.decode().splitlines()[0]
    assert header.startswith("when_utc,user,name,role,unit_resh,patient,action")
    row = newest(action=Action.EXPORT)
    assert (row.target, row.detail) == ("audit log csv", {"since": today})


def test_the_log_review_pages_through_the_log_without_counting_it(leader_client, leader, unit):
    AuditEvent.objects.bulk_create(
        AuditEvent(user=leader, username="leder", unit_id=unit.pk, action=Action.LOGIN)
        for _ in range(120)
    )
    first = leader_client.get(reverse("audit:events"))
    assert len(first.context["events"]) == 50
    assert (first.context["newer"], first.context["older"]) == (None, 2)
    third = leader_client.get(reverse("audit:events"), {"page": "3"})
    assert third.context["older"] is None
    assert 0 < len(third.context["events"]) <= 50
    nonsense = leader_client.get(reverse("audit:events"), {"page": "-4"})
    assert nonsense.context["page"] == 1


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.REPORTING])
def test_only_unit_leaders_and_coordinators_review_the_log(unit, role):
    member = create_user(username=f"u-{role}", password=PASSWORD, units=[unit], role=role)
    client = sign_in(Client(), member)
    assert client.get(reverse("audit:events")).status_code == 403
    assert client.get(reverse("audit:events_csv")).status_code == 403


def test_no_row_holds_a_national_id_number_or_a_name(client_in, patient):
    client_in.get(reverse("patients:search"), {"q": patient.national_id})
    client_in.get(reverse("patients:search"), {"q": "Nordmann"})
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    client_in.post(url("new", patient, "doctor-assessment"), {**ASSESSMENT, "action": "draft"})
    draft = DoctorAssessment.objects.get(patient=patient)
    client_in.post(
        url("edit", patient, "doctor-assessment", draft),
        {**ASSESSMENT, "comment": "Kari Nordmann ringte", "action": "draft"},
    )
    text = " ".join(
        str(v) for row in AuditEvent.objects.values_list() for v in row if v is not None
    )
    assert AuditEvent.objects.count() >= 5
    assert patient.national_id not in text
    assert "Nordmann" not in text
    assert "Kari" not in text


def test_times_are_stored_in_utc_whatever_the_registrys_time_zone(settings, client_in, patient):
    client_in.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    row = newest(action=Action.READ)
    assert settings.USE_TZ is True
    assert row.at.tzinfo == UTC or row.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("patient page", "pasientside"),
        ("doctorassessment 12", "legens vurdering #12"),
        ("worklist labs", "arbeidsliste: blodprøvekontroller"),  # issue 12: not the code
        ("new medical-history", "nytt skjema: medisinske opplysninger"),
        ("totp", "kode fra autentiseringsappen"),
        ("report figure distribution-units", "tabell for rapportfiguren distribution-units"),
    ],
)
def test_the_pages_show_what_was_touched_in_words(target, words):
    from django.utils import translation

    from hsreg.audit.labels import describe

    with translation.override("nb"):
        assert describe(target).lower() == words


def test_the_log_pages_queries_do_not_grow_with_the_log(leader_client, leader, unit, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert leader_client.get(path).status_code == 200
        return len(context.captured_queries)

    def add(n: int) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(user=leader, unit_id=unit.pk, patient_id=patient.pk, action=Action.READ)
            for _ in range(n)
        )

    pages = [
        reverse("audit:events"),
        reverse("audit:access_log", kwargs={"patient_id": patient.pk}),
        reverse("patients:detail", kwargs={"patient_id": patient.pk}),
    ]
    add(5)
    for path in pages:  # the first request of a session also writes the session
        leader_client.get(path)
    few = [queries(p) for p in pages]
    add(200)
    assert [queries(p) for p in pages] == few
