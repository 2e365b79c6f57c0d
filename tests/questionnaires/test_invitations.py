"""The invitation service's rules (questionnaires.services), as the clinic's pages and
``hsreg invite`` rely on them: a random token of at least 128 bits of which only a hash is
stored, 14 days' validity, one open link per form, SMS only to a mobile number, only the
patient's own unit, every creation and withdrawal audited without the number or the address."""

# ruff: noqa: F811 - the fixtures imported from .staffing are the tests' arguments

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hsreg.audit.models import Action, AuditEvent
from hsreg.questionnaires import services
from hsreg.questionnaires.models import LINK_DAYS, TABLET_MINUTES, Channel, Form, Invitation, State

from .staffing import (  # noqa: F401 - fixtures
    EMAIL,
    MOBILE,
    actor_of,
    intervention,
    leader,
    other_unit,
    patient,
    registrar,
    unit,
)


def invite(registrar, patient, **kwargs):
    kwargs.setdefault("channel", Channel.LINK)
    kwargs.setdefault("form", Form.STATUS)
    actor = actor_of(registrar)
    return services.create_invitation(actor=actor, unit=actor.unit, patient=patient, **kwargs)


def test_the_token_has_at_least_128_bits_and_only_its_hash_is_stored(registrar, patient):
    invitation, token = invite(registrar, patient)
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert all(token not in str(value) for value in row.values())
    assert services.find(token) == invitation
    assert services.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    _other, second = invite(registrar, patient, form=Form.STATUS)
    assert second != token  # random per invitation


def test_a_link_works_14_days_and_a_tablet_code_30_minutes(registrar, patient):
    invitation, _ = invite(registrar, patient)
    assert (
        invitation.expires_at - invitation.created_at
        == timedelta(days=LINK_DAYS)
        == timedelta(days=14)
    )
    assert invitation.state == State.OPEN
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    invitation.refresh_from_db()
    assert invitation.state == State.EXPIRED
    tablet, _ = invite(registrar, patient, channel=Channel.TABLET, form=Form.STATUS)
    assert tablet.expires_at - tablet.created_at == timedelta(minutes=TABLET_MINUTES)
    assert len(tablet.short_code) == 8


def test_a_second_invitation_for_the_same_form_closes_the_first(registrar, patient, intervention):
    first, first_token = invite(registrar, patient)
    control, _ = invite(registrar, patient, form=Form.CONTROL_3M, intervention=intervention)
    second, _ = invite(registrar, patient)
    first.refresh_from_db()
    control.refresh_from_db()
    assert first.state == State.CLOSED
    assert services.find(first_token).state == State.CLOSED
    assert second.state == State.OPEN
    assert control.state == State.OPEN  # another form: left open


def test_sms_needs_a_mobile_number_and_email_an_address(registrar, patient):
    patient.mobile = patient.email = ""
    patient.save()
    with pytest.raises(services.InvitationError) as refused:
        invite(registrar, patient, channel=Channel.SMS)
    assert "ikke mobilnummer" in str(refused.value.message_dict["channel"])
    with pytest.raises(services.InvitationError) as refused:
        invite(registrar, patient, channel=Channel.EMAIL)
    assert "e-post" in str(refused.value.message_dict["channel"])
    assert not Invitation.objects.exists()


def test_a_control_needs_the_patients_own_intervention(registrar, patient, intervention):
    with pytest.raises(services.InvitationError) as refused:
        invite(registrar, patient, form=Form.CONTROL_6M)
    assert "intervention" in refused.value.message_dict
    with pytest.raises(services.InvitationError):
        invite(registrar, patient, form=Form.STATUS, intervention=intervention)


def test_a_patient_of_another_unit_is_refused(registrar, patient, other_unit):
    from hsreg.accounts.services import create_user

    stranger = create_user(username="annen", password=None, units=[other_unit])
    actor = actor_of(stranger)
    with pytest.raises(PermissionDenied):
        services.create_invitation(
            actor=actor, unit=other_unit, patient=patient, channel=Channel.LINK, form=Form.STATUS
        )
    assert not Invitation.objects.exists()


def test_every_creation_is_audited_without_the_number_or_the_address(registrar, patient):
    made = [
        invite(registrar, patient, channel=channel, form=Form.STATUS)
        for channel in (Channel.SMS, Channel.EMAIL, Channel.LINK, Channel.TABLET)
    ]
    events = AuditEvent.objects.filter(action=Action.CREATE, target__startswith="invitation")
    assert {e.target for e in events} == {f"invitation {i.pk}" for i, _ in made}
    assert all(e.patient_id == patient.pk and e.user == registrar for e in events)
    logged = json.dumps(list(AuditEvent.objects.values()), default=str)
    for secret in (MOBILE, "91234567", EMAIL, patient.national_id, "Nordmann"):
        assert secret not in logged
    assert all(token not in logged for _i, token in made)


def test_set_contact_writes_the_number_as_e164_and_audits_field_names_only(registrar, patient):
    services.set_contact(
        actor=actor_of(registrar), patient=patient, mobile="987 65 432", email=" ny@example.no "
    )
    patient.refresh_from_db()
    assert (patient.mobile, patient.email) == ("+4798765432", "ny@example.no")
    event = AuditEvent.objects.get(target="contact details")
    assert event.detail == {"changed": ["mobile", "email"]}
    with pytest.raises(ValidationError) as refused:
        services.set_contact(actor=actor_of(registrar), patient=patient, mobile="1234", email="")
    assert "mobile" in refused.value.message_dict
    patient.refresh_from_db()
    assert patient.mobile == "+4798765432"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("91234567", "+4791234567"),
        ("412 34 567", "+4741234567"),
        ("+47 912 34 567", "+4791234567"),
        ("0047 91234567", "+4791234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("", ""),
    ],
)
def test_mobile_numbers_norwegian_and_with_country_code(typed, stored):
    from hsreg.questionnaires.contact import norwegian_mobile

    assert norwegian_mobile(typed) == stored


@pytest.mark.parametrize("typed", ["1234567", "22334455", "+47 2233 4455", "9123456a", "+0123"])
def test_mobile_numbers_refused(typed):
    from hsreg.questionnaires.contact import norwegian_mobile

    with pytest.raises(ValidationError):
        norwegian_mobile(typed)


def test_withdraw_closes_an_open_link_once_and_only_for_its_unit(registrar, patient, other_unit):
    from hsreg.accounts.services import create_user

    invitation, token = invite(registrar, patient)
    stranger = create_user(username="annen", password=None, units=[other_unit])
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=actor_of(stranger), invitation=invitation)
    services.withdraw(actor=actor_of(registrar), invitation=invitation)
    services.withdraw(actor=actor_of(registrar), invitation=invitation)  # nothing more
    assert services.find(token).state == State.CLOSED
    (event,) = AuditEvent.objects.filter(action=Action.CHANGE, detail__withdrawn=True)
    assert event.target == f"invitation {invitation.pk}"


def test_only_the_unit_leader_switches_automatic_controls(registrar, leader, unit):
    with pytest.raises(PermissionDenied):
        services.set_automatic(actor=actor_of(registrar), on=True)
    services.set_automatic(actor=actor_of(leader), on=True)
    unit.refresh_from_db()
    assert unit.invites_patients
    event = AuditEvent.objects.get(detail__invites_patients=True)
    assert event.user == leader
    assert event.target == f"unit {unit.resh_id}"
