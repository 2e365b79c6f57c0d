"""The clinic's invitation pages (questionnaires.views): the patient's questionnaire page
(contact details, sending, the list, withdrawing), a double click sending one invitation, the
tablet's hand-over that logs the clinician out, the link shown once, and the unit's figures
with the leader's switch, in a constant number of queries."""

# ruff: noqa: F811 - the fixtures imported from .staffing are the tests' arguments

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.audit.models import Action, AuditEvent
from hsreg.patients.services import register_patient
from hsreg.questionnaires import services
from hsreg.questionnaires.models import Channel, Form, Invitation, State
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in

from .staffing import (  # noqa: F401 - fixtures
    MOBILE,
    actor_of,
    intervention,
    leader,
    leader_client,
    other_unit,
    patient,
    registrar,
    sent_sms,
    staff,
    unit,
)


def page_url(patient) -> str:
    return reverse("questionnaires:patient", kwargs={"patient_id": patient.pk})


def send(client, patient, **data):
    form = client.get(page_url(patient)).content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', form).group(1)
    data = {"submission": token, "form": Form.STATUS, **data}
    return client.post(reverse("questionnaires:send", args=[patient.pk]), data), token


def test_the_patient_page_links_to_the_questionnaire_page(staff, patient):
    html = staff.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert page_url(patient) in html
    assert MOBILE not in html  # nothing identifiable new on the patient page


def test_the_questionnaire_page_is_scoped_and_audited(staff, patient, other_unit):
    assert staff.get(page_url(patient)).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.READ, patient_id=patient.pk, target="questionnaires page"
    ).exists()
    stranger = register_patient(
        unit=other_unit, national_id=make_number(2), first_name="Per", last_name="Annen"
    )
    assert staff.get(page_url(stranger)).status_code == 404


def test_contact_details_saved_and_a_bad_number_refused_at_its_field(staff, patient):
    url = reverse("questionnaires:contact", args=[patient.pk])
    response = staff.post(url, {"mobile": "412 34 567", "email": "k@example.no"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.mobile, patient.email) == ("+4741234567", "k@example.no")
    response = staff.post(url, {"mobile": "1234", "email": "not-an-address"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'data-field="mobile">.*Norwegian mobile number', html, re.S)
    assert 'data-field="email"' in html
    assert 'value="1234"' in html  # what was typed is kept
    patient.refresh_from_db()
    assert patient.mobile == "+4741234567"


def test_sending_by_sms_queues_it_and_lists_it(staff, patient, sent_sms):
    response, _ = send(staff, patient, channel=Channel.SMS)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.created_by.username == "lege"
    (message,) = sent_sms(morning=True)
    assert message.to == MOBILE
    html = staff.get(page_url(patient)).content.decode()
    assert f'data-invitation="{invitation.pk}" data-state="open"' in html
    assert "Withdraw" in html


def test_a_double_click_sends_one_invitation(staff, patient, sent_sms):
    first, token = send(staff, patient, channel=Channel.SMS)
    second = staff.post(
        reverse("questionnaires:send", args=[patient.pk]),
        {"submission": token, "form": Form.STATUS, "channel": Channel.SMS},
    )
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Invitation.objects.count() == 1
    assert len(sent_sms(morning=True)) == 1


def test_refusals_are_shown_at_their_field(staff, patient, intervention):
    patient.mobile = ""
    patient.save()
    response, _ = send(staff, patient, channel=Channel.SMS)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'data-field="channel">.*no mobile number', html, re.S)
    response, _ = send(staff, patient, channel=Channel.LINK, form=Form.CONTROL_3M)
    assert response.status_code == 400
    assert re.search(
        r'data-field="intervention">.*Choose the intervention', response.content.decode(), re.S
    )
    response, _ = send(
        staff, patient, channel=Channel.LINK, form=Form.CONTROL_3M, intervention=intervention.pk
    )
    assert response.status_code == 302
    assert Invitation.objects.get().intervention == intervention


def test_the_link_is_shown_once(staff, patient):
    response, _ = send(staff, patient, channel=Channel.LINK)
    assert response.url == reverse("questionnaires:link", args=[Invitation.objects.get().pk])
    html = staff.get(response.url).content.decode()
    link = re.search(r'id="shown-link">([^<]+)<', html).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert services.find(token) == Invitation.objects.get()
    again = staff.get(response.url).content.decode()
    assert token not in again
    assert 'id="link-gone"' in again


def test_the_tablet_shows_the_code_and_the_hand_over_logs_the_clinician_out(staff, patient):
    response, _ = send(staff, patient, channel=Channel.TABLET)
    invitation = Invitation.objects.get()
    assert response.url == reverse("questionnaires:tablet", args=[invitation.pk])
    html = staff.get(response.url).content.decode()
    code = invitation.short_code
    assert f"{code[:4]} {code[4:]}" in html
    assert "<svg" in html
    response = staff.post(reverse("questionnaires:hand_over", args=[invitation.pk]))
    assert response.status_code == 302
    token = services.token_of(invitation)
    assert response.url == reverse("patient:start", kwargs={"token": token})
    assert "_auth_user_id" not in staff.session
    assert AuditEvent.objects.filter(action=Action.LOGOUT).exists()
    assert staff.get(page_url(patient)).status_code != 200  # the session is gone


def test_withdraw_closes_the_link(staff, patient, other_unit):
    _invitation, token = services.create_invitation(
        actor=actor_of(patient.enrolments.get().enrolled_by or _registrar(patient)),
        unit=patient.units.get(),
        patient=patient,
        channel=Channel.LINK,
        form=Form.STATUS,
    )
    invitation = services.find(token)
    response = staff.post(reverse("questionnaires:withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    assert services.find(token).state == State.CLOSED
    stranger = create_user(
        username="annen", password=PASSWORD, units=[other_unit], role=Role.UNIT_LEADER
    )
    other = sign_in(type(staff)(), stranger)
    assert other.post(reverse("questionnaires:withdraw", args=[invitation.pk])).status_code == 404


def _registrar(patient):
    from hsreg.accounts.models import User

    return User.objects.get(username="lege")


def test_the_unit_page_counts_and_only_the_leader_switches(staff, leader_client, patient, unit):
    actor = actor_of(_registrar(patient))
    made = [
        services.create_invitation(
            actor=actor, unit=unit, patient=patient, channel=Channel.LINK, form=form
        )[0]
        for form in (Form.STATUS, Form.STATUS)  # the second closes the first
    ]
    Invitation.objects.filter(pk=made[1].pk).update(answered_at=timezone.now())
    html = staff.get(reverse("questionnaires:unit")).content.decode()
    total = re.search(r'id="figures-total">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-col="sent">2<', total)
    assert re.search(r'data-col="answered">1<', total)
    assert re.search(r'data-col="closed">1<', total)
    assert re.search(r'data-col="rate">50 %', total)
    assert 'id="automatic-state"' in html  # the registrar reads it
    assert 'id="automatic-form"' not in html
    assert (
        staff.post(reverse("questionnaires:automatic"), {"invites_patients": "on"}).status_code
        == 403
    )
    assert (
        'id="automatic-form"' in leader_client.get(reverse("questionnaires:unit")).content.decode()
    )
    response = leader_client.post(reverse("questionnaires:automatic"), {"invites_patients": "on"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.invites_patients
    assert AuditEvent.objects.filter(detail__invites_patients=True).exists()


def test_the_unit_page_needs_a_constant_number_of_queries(staff, patient, unit):
    actor = actor_of(_registrar(patient))

    def make(n: int) -> None:
        for i in range(n):
            invitation, _ = services.create_invitation(
                actor=actor,
                unit=unit,
                patient=patient,
                channel=Channel.LINK,
                purpose="access_log" if i % 2 else "questionnaire",
                form="" if i % 2 else Form.STATUS,
            )
            Invitation.objects.filter(pk=invitation.pk).update(
                created_at=timezone.now() - timedelta(days=30 * (i % 14)),
                automatic=bool(i % 3),
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(reverse("questionnaires:unit")).status_code == 200
        return len(captured)

    make(3)
    queries()  # the first request of a session reads more (the session, the device)
    few = queries()
    make(40)
    assert queries() == few


def test_the_menu_offers_the_unit_page_to_clinical_roles(staff, unit):
    assert reverse("questionnaires:unit") in staff.get(reverse("web:home")).content.decode()
    reporter = create_user(username="rapport", password=PASSWORD, units=[unit], role=Role.REPORTING)
    client = sign_in(type(staff)(), reporter)
    assert client.get(reverse("questionnaires:unit")).status_code == 403
    assert reverse("questionnaires:unit") not in client.get(reverse("web:home")).content.decode()
