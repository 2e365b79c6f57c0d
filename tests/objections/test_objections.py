"""A patient's objection (reservasjon, issue 4 point 6): recording it deletes everything
identifiable about the patient, keeps a minimal record that cannot be read back to the number,
refuses registering the number again with the reason, and is audited. Only the registry
coordinator, with both factors, reaches the page."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from hsreg.accounts.actor import Actor
from hsreg.accounts.models import Role
from hsreg.assessments.models import RegionFinding
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.objections.fingerprint import fingerprint
from hsreg.objections.models import Objection
from hsreg.objections.selectors import objection_for
from hsreg.objections.services import record_objection
from hsreg.patients.models import Patient
from hsreg.patients.national_id import synthetic_number
from hsreg.patients.services import register_patient
from hsreg.records.models import Record, Status
from hsreg.records.services import save_record, start_correction
from hsreg.units.models import Unit
from tests.registry.pages import error_for

from .conftest import member, verified

URL = "/objections/"
FIRST, LAST = "Unikafornavn", "Reservasjonsdottir"  # found nowhere else in the registry


def record_models() -> list[type[Record]]:
    return [m for m in apps.get_models() if issubclass(m, Record)]


def rows_of(patient_id: int) -> dict[str, int]:
    """How many rows of each model belong to the patient (directly or through a form)."""
    counts = {
        m._meta.label: m._default_manager.filter(patient_id=patient_id).count()
        for m in apps.get_models()
        if any(f.name == "patient" for f in m._meta.concrete_fields)
    }
    counts["assessments.RegionFinding"] = RegionFinding.objects.filter(
        assessment__patient_id=patient_id
    ).count()
    return counts


def totals() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def database_text_containing(*needles: str) -> list[tuple[str, str]]:
    """(table, value) of every stored value of every table that contains one of ``needles``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    text = str(value)
                    if any(needle in text for needle in needles):
                        found.append((table, text))
    return found


def linked_patient(seeded) -> Patient:
    """A seeded patient whose forms point to one another (a correction, an assessment of an
    intervention, an adverse event of a course): the PROTECT links a deletion must get past."""
    for s in seeded:
        forms = [o for n in ("assessments", "reports", "courses") for o in getattr(s, n)]
        if (
            any(getattr(o, "replaces", None) is not None for o in forms + s.histories)
            and any(o.intervention is not None for o in s.assessments + s.reports)
            and any(o.drug_course is not None for o in s.adverse_events)
        ):
            return s.patient
    pytest.fail("no seeded patient has linked forms; choose another seed")


def assert_refused_as_objected(number: str, unit: Unit) -> None:
    with pytest.raises(ValidationError) as refused:
        register_patient(unit=unit, national_id=number, first_name="Kari", last_name="Nordmann")
    assert refused.value.error_dict["national_id"][0].code == "objected"


def post(client, number: str, *, confirm: bool = True):
    data = {"national_id": number}
    if confirm:
        data["confirm"] = "on"
    return client.post(URL, data)


def test_objection_deletes_everything_identifiable_and_keeps_a_minimal_record(
    seeded, coordinator, coordinator_client
) -> None:
    patient = linked_patient(seeded)
    Patient.objects.filter(pk=patient.pk).update(first_name=FIRST, last_name=LAST)
    number, pk = patient.national_id, patient.pk
    unit = patient.units.first()
    registrar = verified(member("lege", unit, Role.REGISTRAR))
    # the patient is found by number and read: audit rows that must outlive the patient
    assert registrar.get(reverse("patients:search"), {"q": number}).status_code == 200
    assert registrar.get(reverse("patients:detail", args=[pk])).status_code == 200
    read = set(AuditEvent.objects.filter(patient_id=pk).values_list("pk", flat=True))
    assert read
    mine = rows_of(pk)
    forms = sum(mine[m._meta.label] for m in record_models())
    assert forms > 10
    assert mine["worklists.DueItem"]
    assert mine["patients.Enrolment"]
    before = totals()

    response = post(coordinator_client, number)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = coordinator_client.get(URL).content.decode()
    assert f"#{pk}" in page
    assert number not in page
    assert LAST not in page
    # the patient and all their rows are gone; nobody else's are
    assert not Patient.objects.filter(pk=pk).exists()
    assert set(rows_of(pk).values()) == {0}
    after = totals()
    for label, count in mine.items():
        assert after[label] == before[label] - count, label
    assert after["patients.Patient"] == before["patients.Patient"] - 1
    # nothing anywhere in the database names the person: not the number, not the name
    assert database_text_containing(number, FIRST, LAST) == []
    # the minimal record: a keyed hash (not a plain one), the date, who recorded it
    objection = Objection.objects.get()
    assert objection.fingerprint == fingerprint(number)
    assert objection.fingerprint != hashlib.sha256(number.encode()).hexdigest()
    assert objection.recorded_on == timezone.localdate()
    assert objection.recorded_by == coordinator
    assert objection.recorded_by_username == "koordinator"
    # audited, by registry id only; the earlier audit rows stay
    event = AuditEvent.objects.get(action=Action.OBJECTION)
    assert (event.patient_id, event.outcome, event.user) == (pk, Outcome.OK, coordinator)
    assert event.detail == {"objection": objection.pk, "forms_deleted": forms}
    assert read <= set(AuditEvent.objects.filter(patient_id=pk).values_list("pk", flat=True))
    # the patient's pages are gone for their own unit too
    assert registrar.get(reverse("patients:detail", args=[pk])).status_code == 404
    search = registrar.get(reverse("patients:search"), {"q": number}).content.decode()
    assert LAST not in search
    assert f"#{pk}" not in search


def test_registering_the_number_again_is_refused_naming_the_reason(
    seeded, coordinator_client
) -> None:
    patient = seeded[0].patient
    number, unit = patient.national_id, Unit.objects.get(pk=seeded[0].unit_ids[0])
    assert post(coordinator_client, number).status_code == 302

    assert_refused_as_objected(number, unit)

    registrar = verified(member("lege", unit, Role.REGISTRAR))
    response = registrar.post(
        reverse("patients:create"),
        {"national_id": number, "first_name": "Kari", "last_name": "Nordmann"},
    )
    assert response.status_code == 400
    assert "reservasjon" in error_for(response.content.decode(), "national_id")
    assert not Patient.objects.filter(national_id=number).exists()


def test_an_objection_before_registration_refuses_the_first_registration(
    seeded, coordinator_client
) -> None:
    number = synthetic_number(date(1990, 5, 17), 123)
    assert number
    assert not Patient.objects.filter(national_id=number).exists()
    before = totals()

    response = post(coordinator_client, number)

    assert response.status_code == 302
    assert totals()["patients.Patient"] == before["patients.Patient"]
    assert AuditEvent.objects.get(action=Action.OBJECTION).patient_id is None
    assert_refused_as_objected(number, Unit.objects.first())


def test_a_second_objection_for_the_same_number_is_refused(seeded, coordinator_client) -> None:
    number = seeded[1].patient.national_id
    assert post(coordinator_client, number).status_code == 302
    again = post(coordinator_client, number)
    assert again.status_code == 400
    assert Objection.objects.count() == 1


def test_nothing_is_deleted_without_the_confirmation_or_with_a_mistyped_number(
    seeded, coordinator_client
) -> None:
    number = seeded[2].patient.national_id
    before = totals()
    unconfirmed = post(coordinator_client, number, confirm=False)
    mistyped = post(coordinator_client, number[:-1] + str((int(number[-1]) + 1) % 10))
    assert (unconfirmed.status_code, mistyped.status_code) == (400, 400)
    assert "Kontrollsifrene stemmer ikke" in error_for(mistyped.content.decode(), "national_id")
    assert error_for(unconfirmed.content.decode(), "confirm")
    assert totals() == before
    assert not AuditEvent.objects.filter(action=Action.OBJECTION).exists()


def test_only_the_registry_coordinator_with_both_factors_reaches_the_page(
    seeded, coordinator
) -> None:
    unit = Unit.objects.get(pk=seeded[3].unit_ids[0])
    number = seeded[3].patient.national_id
    for role in (Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING):
        client = verified(member(f"user-{role}", unit, role))
        assert client.get(URL).status_code == 403
        assert post(client, number).status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, target="objections:index").count() == 6
    anonymous = post(Client(), number)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    one_factor = Client()
    one_factor.force_login(coordinator)  # password only: no verified device in the session
    refused = post(one_factor, number)
    assert refused.status_code == 302
    assert refused["Location"] in (reverse("accounts:mfa_enrol"), reverse("accounts:mfa_verify"))
    assert Patient.objects.filter(national_id=number).exists()
    assert not Objection.objects.exists()


def test_the_fingerprint_is_keyed_and_survives_a_key_rotation(seeded, coordinator) -> None:
    number = seeded[4].patient.national_id
    actor = Actor(user=coordinator, unit=None, role=Role.COORDINATOR, request_id="t")
    with override_settings(SECRET_KEY="old-key-" + "k" * 50):
        old = fingerprint(number)
        record_objection(actor=actor, national_id=number)
    with override_settings(SECRET_KEY="new-key-" + "n" * 50):
        assert fingerprint(number) != old  # the hash depends on the secret key
        # a rotated key must stay among the fallbacks, or the objection is no longer found
        assert objection_for(number=number) is None
    with override_settings(
        SECRET_KEY="new-key-" + "n" * 50, SECRET_KEY_FALLBACKS=["old-key-" + "k" * 50]
    ):
        assert_refused_as_objected(number, Unit.objects.first())


def test_a_name_typed_in_a_form_comment_does_not_outlive_the_objection(seeded, coordinator) -> None:
    patient = seeded[5].patient
    Patient.objects.filter(pk=patient.pk).update(first_name=FIRST, last_name=LAST)
    finished = next(
        r
        for model in record_models()
        for r in model._default_manager.filter(patient=patient, status=Status.FINISHED)
    )
    draft = start_correction(record=finished, user=coordinator, reason="feil dato")
    draft.comment = f"Ringte {FIRST} {LAST}"  # a free-text comment naming the patient
    save_record(record=draft, actor=None, finish=False)
    draft.comment = "Ringte pasienten"
    save_record(record=draft, actor=None, finish=False)
    actor = Actor(user=coordinator, unit=None, role=Role.COORDINATOR, request_id="t")

    record_objection(actor=actor, national_id=patient.national_id)

    assert database_text_containing(FIRST, LAST) == []
