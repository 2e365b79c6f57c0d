"""RG-2 end to end with the Django test client: a person applies ("Ny bruker"), the registry
coordinator approves, the one-time password arrives by mail, the first login forces a new
password and the enrolment of a TOTP app, and only then is a patient page reachable."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hsreg.accounts.models import Application, ApplicationStatus, Membership, Role, User
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.patients.services import register_patient
from tests.registry.conftest import make_number

from .conftest import PASSWORD, code_at, log_in, one_time_password

NEW_PASSWORD = "mitt eget passord for hsreg"  # noqa: S105 - test only


def application_data(chosen, /, **changes):
    data = {
        "first_name": "Per",
        "last_name": "Hudlege",
        "email": "Per.Hudlege@helse-bergen.no",
        "phone": "+47 55 97 50 00",
        "unit": chosen.pk if chosen else "",
        "practice_name": "",
        "practice_resh_id": "",
        "practice_region": "",
        "solution": "registration",
        "justification": "Overlege; registrerer HS-pasienter ved poliklinikken.",
    }
    data.update(changes)
    return data


def test_from_application_to_a_patient_page(unit, coordinator_client, mailoutbox):
    patient = register_patient(
        unit=unit, national_id=make_number(1), first_name="Kari", last_name="Nordmann"
    )
    patient_url = reverse("patients:detail", args=[patient.pk])
    applicant = Client()

    # 1. "Ny bruker", linked from the login page, open to anyone
    assert reverse("accounts:apply") in applicant.get(reverse("login")).content.decode()
    response = applicant.post(reverse("accounts:apply"), application_data(unit))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:apply_done")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.PENDING
    assert AuditEvent.objects.filter(
        action=Action.APPLY, target=f"application {application.pk}"
    ).exists()

    # 2. the coordinator sees it and approves it as a registrar
    listing = coordinator_client.get(reverse("accounts:applications")).content.decode()
    assert "Per Hudlege" in listing
    page = coordinator_client.get(reverse("accounts:application", args=[application.pk]))
    assert page.status_code == 200
    response = coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    assert response.status_code == 302
    user = User.objects.get(username="per.hudlege@helse-bergen.no")
    assert user.must_change_password
    assert Membership.objects.get(user=user).role == Role.REGISTRAR
    assert Membership.objects.get(user=user).unit == unit
    assert AuditEvent.objects.filter(action=Action.APPROVE, username="koordinator").exists()

    # 3. the one-time password arrives by mail
    (mail,) = mailoutbox
    assert mail.to == ["Per.Hudlege@helse-bergen.no"]
    password = one_time_password(mail.body)
    assert user.username in mail.body
    assert "http://testserver/login/" in mail.body

    # 4. first login: the one-time password opens nothing but the password change
    response = log_in(applicant, user.username, password)
    assert response.status_code == 302
    assert applicant.get(response["Location"])["Location"] == reverse("accounts:password_change")
    response = applicant.get(patient_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    assert b"Nordmann" not in response.content

    # 5. own password: too short and common ones refused, then a good one
    for weak in ("for kort 11", "q1w2e3r4t5y6"):
        refused = applicant.post(
            reverse("accounts:password_change"),
            {"old_password": password, "new_password1": weak, "new_password2": weak},
        )
        assert refused.status_code == 200
        assert refused.context["form"].errors
    response = applicant.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:mfa_enrol")
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE, user=user).exists()

    # 6. still no patient data: the second factor is missing
    response = applicant.get(patient_url)
    assert response["Location"] == reverse("accounts:mfa_enrol")

    # 7. TOTP enrolment: QR code (inline SVG) and key; a wrong code is refused and audited
    page = applicant.get(reverse("accounts:mfa_enrol")).content.decode()
    assert "<svg" in page
    assert "<script" not in page.split("<main>")[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = "000000" if code_at(device) != "000000" else "111111"
    refused = applicant.post(reverse("accounts:mfa_enrol"), {"code": wrong})
    assert refused.status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.MFA_ENROL, outcome=Outcome.FAILED, user=user
    ).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None
    )  # back-off over
    response = applicant.post(reverse("accounts:mfa_enrol"), {"code": code_at(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=Action.MFA_ENROL, outcome=Outcome.OK, user=user)

    # 8. verified: the patient page opens
    response = applicant.get(patient_url)
    assert response.status_code == 200
    assert b"Nordmann" in response.content

    # 9. the next login asks for the app's code before anything else
    applicant.post(reverse("logout"))
    log_in(applicant, user.username, NEW_PASSWORD)
    second = f"{reverse('accounts:mfa_verify')}?next={quote(patient_url, '')}"
    assert applicant.get(patient_url)["Location"] == second
    response = applicant.post(second, {"code": code_at(device, 1)})
    assert response["Location"] == patient_url  # the page asked for (issue 12)
    assert applicant.get(patient_url).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MFA_VERIFY, outcome=Outcome.OK, user=user)


def test_a_private_practice_not_yet_known_becomes_a_unit_at_approval(
    db, coordinator, coordinator_client, mailoutbox
):
    from hsreg.units.models import Unit, UnitKind

    Client().post(
        reverse("accounts:apply"),
        application_data(
            None,
            practice_name="Hudlegen på Torget",
            practice_resh_id="999123",
            practice_region="nord",
            solution="reporting",
        ),
    )
    application = Application.objects.get()
    assert application.unit is None
    page = coordinator_client.get(reverse("accounts:application", args=[application.pk]))
    assert page.context["approve_form"].initial["role"] == Role.REPORTING  # as applied for
    coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REPORTING}
    )
    unit = Unit.objects.get(pk=999123)
    assert unit.kind == UnitKind.PRIVATE
    assert unit.region == "nord"
    membership = Membership.objects.get(unit=unit)
    assert membership.role == Role.REPORTING
    application.refresh_from_db()
    assert application.unit == unit
    assert application.decided_by == coordinator
    assert len(mailoutbox) == 1


def test_rejection_mails_the_reason_and_creates_no_user(unit, coordinator_client, mailoutbox):
    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    users = User.objects.count()
    response = coordinator_client.post(
        reverse("accounts:reject", args=[application.pk]),
        {"reason": "Ingen tjenstlig behov oppgitt."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert User.objects.count() == users
    (mail,) = mailoutbox
    assert "Ingen tjenstlig behov oppgitt." in mail.body
    event = AuditEvent.objects.get(action=Action.REJECT)
    assert event.detail is None  # the reason stays out of the log
    # decided once: a second decision is refused and nothing more is sent
    coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert len(mailoutbox) == 1


def test_a_person_with_an_account_gets_the_new_unit_and_keeps_their_password(
    unit, registry_unit, coordinator_client, mailoutbox
):
    from hsreg.accounts.services import create_user

    existing = create_user(
        username="per.hudlege@helse-bergen.no", password=PASSWORD, units=[registry_unit]
    )
    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.UNIT_LEADER}
    )
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert not existing.must_change_password
    assert Membership.objects.get(user=existing, unit=unit).role == Role.UNIT_LEADER
    assert PASSWORD not in mailoutbox[0].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unit": ""}, "practice_name"),  # neither a unit nor a practice
        ({"practice_name": "Hudlegen", "practice_resh_id": "999123"}, "unit"),  # both
        (
            {
                "unit": "",
                "practice_name": "X",
                "practice_resh_id": "102959",
                "practice_region": "vest",
            },
            "practice_resh_id",
        ),  # known unit
        ({"solution": "everything"}, "solution"),
        ({"email": "not an address"}, "email"),
        ({"justification": ""}, "justification"),
    ],
)
def test_the_application_form_says_what_is_missing(unit, changes, field):
    response = Client().post(reverse("accounts:apply"), application_data(unit, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.exists()


def test_only_a_coordinator_decides_applications(unit, mailoutbox):
    from hsreg.accounts.services import create_user
    from tests.signin import sign_in

    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    urls = [
        reverse("accounts:applications"),
        reverse("accounts:application", args=[application.pk]),
    ]
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url)["Location"].startswith(reverse("login"))
    for role in (Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING):
        user = create_user(username=f"u-{role}", password=PASSWORD, units=[unit], role=role)
        client = sign_in(Client(), user)
        for url in urls:
            assert client.get(url).status_code == 403
        response = client.post(
            reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
        )
        assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING
    assert not mailoutbox
    assert AuditEvent.objects.filter(action=Action.DENIED, outcome=Outcome.DENIED).exists()


def test_a_coordinator_with_one_factor_is_sent_to_the_second(coordinator):
    from tests.signin import enrol_totp

    enrol_totp(coordinator)
    client = Client()
    log_in(client, "koordinator", PASSWORD)
    response = client.get(reverse("accounts:applications"))
    wanted = reverse("accounts:applications")  # comes after the second factor (issue 12)
    assert response["Location"] == f"{reverse('accounts:mfa_verify')}?next={quote(wanted, '')}"


def test_production_hashes_passwords_with_argon2id() -> None:
    """The tests hash with MD5 for speed (tests/settings.py); hsreg's own settings put
    Argon2id first, so every new or changed password is stored that way."""
    from django.contrib.auth.hashers import check_password, make_password

    from hsreg.config import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        stored = make_password(NEW_PASSWORD)
        assert stored.startswith("argon2$argon2id$")
        assert check_password(NEW_PASSWORD, stored)
