"""The patient's own access log (issue 13 point 6): after the birth date, every logged access
to their data, newest first, with when, which unit, the person's name and role, and what;
the patient's own actions as "You"; paged; and the look itself audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from hsreg.accounts.actor import Actor, system_actor
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.audit.services import log
from hsreg.patients.services import register_patient
from hsreg.questionnaires import access_log, patient_session, services
from hsreg.questionnaires.access_log import ACCESS_LOG_TARGET, PAGE_SIZE
from hsreg.units.models import Unit
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

BORN = date(1979, 11, 2)
RIGHT = {"day": "2", "month": "11", "year": "1979"}


@pytest.fixture
def unit(db):
    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(3, BORN), first_name="Kari", last_name="Nordmann"
    )


@pytest.fixture
def clinician(unit):
    return create_user(
        username="lege", password=PASSWORD, units=[unit], first_name="Liv", last_name="Lege"
    )


def english(client: Client) -> Client:
    client.cookies[patient_session.LANGUAGE_COOKIE] = "en"
    return client


def open_log(unit, patient, *, purpose: str = "access_log") -> tuple[Client, str]:
    _invitation, token = services.create_invitation(
        actor=system_actor(),
        unit=unit,
        patient=patient,
        channel="link",
        purpose=purpose,
        form="status" if purpose == "questionnaire" else "",
    )
    client = english(Client())
    response = client.post(reverse("patient:start", kwargs={"token": token}), RIGHT)
    assert response.status_code == 302
    return client, response["Location"]


def test_the_clinicians_read_of_the_patient_page_is_in_the_patients_log(unit, patient, clinician):
    doctor = sign_in(Client(), clinician)
    assert (
        doctor.get(reverse("patients:detail", kwargs={"patient_id": patient.pk})).status_code == 200
    )
    client, location = open_log(unit, patient)
    assert location.endswith("/log/")
    response = client.get(location)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Liv Lege" in html  # the person's full name
    assert "Registrar" in html  # their role (in English: the patient chose English)
    assert "Hudavdelingen, Haukeland" in html  # the unit, by name
    assert "patient page" in html  # what, in words (audit.labels)
    assert "You" in html  # the patient's own birth-date check
    assert "no-store" in response["Cache-Control"]


def test_the_look_at_the_log_is_audited(unit, patient):
    client, location = open_log(unit, patient)
    client.get(location)
    event = AuditEvent.objects.filter(target=ACCESS_LOG_TARGET).get()
    assert event.action == Action.READ
    assert event.patient_id == patient.pk
    assert event.user is None
    assert event.detail["by"] == "patient"
    assert event.unit_id == unit.pk


def test_a_questionnaire_link_shows_the_log_after_the_birth_date(unit, patient, clinician):
    doctor = sign_in(Client(), clinician)
    doctor.get(reverse("patients:detail", kwargs={"patient_id": patient.pk}))
    client, location = open_log(unit, patient, purpose="questionnaire")
    screen = client.get(location).content.decode()
    assert 'id="p-log-link"' in screen
    token = location.split("/")[2]
    response = client.get(reverse("patient:access_log", kwargs={"token": token}))
    assert response.status_code == 200
    assert "Liv Lege" in response.content.decode()
    assert 'id="p-to-form"' in response.content.decode()


def test_the_log_is_closed_before_the_birth_date(unit, patient):
    _invitation, token = services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel="link", purpose="access_log"
    )
    response = Client().get(reverse("patient:access_log", kwargs={"token": token}))
    assert response.status_code == 302
    assert response["Location"] == reverse("patient:start", kwargs={"token": token})
    assert not AuditEvent.objects.filter(target=ACCESS_LOG_TARGET).exists()


def test_the_log_is_paged_newest_first(unit, patient, clinician):
    actor = Actor(user=clinician, unit=unit, role=Role.REGISTRAR, request_id="t")
    for n in range(PAGE_SIZE + 5):
        log(actor=actor, action=Action.READ, patient_id=patient.pk, target=f"worklist n{n}")
    client, location = open_log(unit, patient)
    first = client.get(location).content.decode()
    assert first.count('class="p-log-row') == PAGE_SIZE
    assert "?page=2" in first
    second = client.get(location + "?page=2").content.decode()
    assert 'rel="prev"' in second
    assert second.count('class="p-log-row') >= 5
    for odd in ("0", "-1", "x", "9" * 30):
        assert client.get(location, {"page": odd}).status_code == 200


def test_rows_say_who_in_words(unit, patient, clinician):
    invitation, _token = services.create_invitation(
        actor=system_actor(), unit=unit, patient=patient, channel="link", purpose="access_log"
    )
    actor = Actor(user=clinician, unit=unit, role=Role.UNIT_LEADER, request_id="t")
    log(actor=actor, action=Action.READ, patient_id=patient.pk, target="patient page")
    page = access_log.read_page(invitation=invitation, number=1, request_id="r")
    mine = page.rows[0]
    assert mine.by_patient  # the look just logged, at the top
    clinicians = next(r for r in page.rows if not r.by_patient and r.who == "Liv Lege")
    assert clinicians.unit == "Hudavdelingen, Haukeland"
    assert clinicians.role == str(Role.UNIT_LEADER.label)
