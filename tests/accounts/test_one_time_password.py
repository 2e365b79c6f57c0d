"""Issue 11 point 4: the one-time password mailed at approval expires after 72 hours and
opens one login only; the coordinator can send a new one; the user is mailed when a second
factor is set up on their account; and the session id changes at the second factor too, so a
session id seen before the code is worthless after it.

Time is moved by replacing ``django.utils.timezone.now`` (Django's clock, which hsreg reads
through ``timezone.now()``), never hsreg's own code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hsreg.accounts.models import Application, Role, User
from hsreg.audit.models import Action, AuditEvent, Outcome
from tests.signin import enrol_totp

from .conftest import PASSWORD, code_at, log_in, one_time_password
from .test_application_flow import NEW_PASSWORD, application_data

USERNAME = "per.hudlege@helse-bergen.no"


@pytest.fixture
def approved(unit, coordinator_client, mailoutbox):
    """An application approved a moment ago: the user and the one-time password mailed."""
    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    (mail,) = mailoutbox
    mailoutbox.clear()
    return application, one_time_password(mail.body)


def _clock_ahead(monkeypatch, delta: timedelta) -> None:
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)


def _is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_approval_mail_says_the_password_works_once_for_72_hours(
    unit, coordinator_client, mailoutbox
):
    Client().post(reverse("accounts:apply"), application_data(unit))
    application = Application.objects.get()
    coordinator_client.post(
        reverse("accounts:approve", args=[application.pk]), {"role": Role.REGISTRAR}
    )
    (sent,) = mailoutbox
    assert "72" in sent.body


def test_the_one_time_password_opens_a_login_within_72_hours(approved, monkeypatch):
    _application, password = approved
    _clock_ahead(monkeypatch, timedelta(hours=71, minutes=59))
    client = Client()
    response = log_in(client, USERNAME, password)
    assert response.status_code == 302
    assert _is_logged_in(client)
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:password_change")


def test_a_one_time_password_older_than_72_hours_is_refused_with_a_clear_message(
    approved, monkeypatch
):
    _application, password = approved
    _clock_ahead(monkeypatch, timedelta(hours=72, minutes=1))
    client = Client()
    response = log_in(client, USERNAME, password)
    assert response.status_code == 200  # the login page again
    assert not _is_logged_in(client)
    page = response.content.decode()
    assert 'id="one-time-password-refused"' in page
    assert "72" in page
    assert "coordinator" in page.lower() or "koordinator" in page.lower()
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).latest("id")
    assert event.outcome == Outcome.FAILED
    assert event.user.username == USERNAME
    assert event.detail == {"reason": "one-time password expired"}
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exclude(username="koordinator")


def test_a_wrong_password_for_that_user_says_nothing_about_the_one_time_password(
    approved, monkeypatch
):
    """The message is for the person who holds the expired password: anyone else typing the
    username learns nothing about the account."""
    _clock_ahead(monkeypatch, timedelta(hours=73))
    response = log_in(Client(), USERNAME, "not the password at all")
    assert 'id="one-time-password-refused"' not in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).latest("id")
    assert event.detail is None


def test_a_one_time_password_opens_one_login_only(approved):
    _application, password = approved
    first = Client()
    assert log_in(first, USERNAME, password).status_code == 302
    assert _is_logged_in(first)

    second = Client()  # the same password again, from another browser (or a thief)
    response = log_in(second, USERNAME, password)
    assert response.status_code == 200
    assert not _is_logged_in(second)
    assert 'id="one-time-password-refused"' in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).latest("id")
    assert event.detail == {"reason": "one-time password used"}

    # the first login still chooses its own password (the one-time one typed once more)
    response = first.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:mfa_enrol")
    # and the own password logs in as often as needed
    assert log_in(Client(), USERNAME, NEW_PASSWORD).status_code == 302
    assert log_in(Client(), USERNAME, NEW_PASSWORD).status_code == 302


def test_the_one_time_password_cannot_be_kept_as_the_own_password(approved):
    _application, password = approved
    client = Client()
    log_in(client, USERNAME, password)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors


def test_the_coordinator_sends_a_new_one_time_password_and_it_is_audited(
    approved, coordinator_client, monkeypatch, mailoutbox
):
    application, old = approved
    _clock_ahead(monkeypatch, timedelta(days=5))
    assert log_in(Client(), USERNAME, old).status_code == 200  # expired
    monkeypatch.undo()  # the coordinator acts (their session is of today)
    listing = coordinator_client.get(reverse("accounts:applications")).content.decode()
    assert 'id="first-login"' in listing
    url = reverse("accounts:new_password", args=[application.pk])
    assert url in listing
    assert coordinator_client.get(url).status_code == 405  # a POST changes the password
    response = coordinator_client.post(url)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["Per.Hudlege@helse-bergen.no"]
    new = one_time_password(mail.body)
    assert new != old
    assert "72" in mail.body
    event = AuditEvent.objects.get(action=Action.NEW_PASSWORD)
    assert event.username == "koordinator"
    assert event.target == f"user {User.objects.get(username=USERNAME).pk}"
    assert new not in str(event.detail)

    assert log_in(Client(), USERNAME, old).status_code == 200  # the old one is gone
    client = Client()
    assert log_in(client, USERNAME, new).status_code == 302
    assert _is_logged_in(client)


def test_a_new_one_time_password_only_for_a_user_who_has_not_chosen_their_own(
    approved, coordinator_client, mailoutbox
):
    application, password = approved
    client = Client()
    log_in(client, USERNAME, password)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    response = coordinator_client.post(reverse("accounts:new_password", args=[application.pk]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages
    assert not mailoutbox
    assert not AuditEvent.objects.filter(action=Action.NEW_PASSWORD).exists()
    assert User.objects.get(username=USERNAME).check_password(NEW_PASSWORD)


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING])
def test_only_the_coordinator_sends_a_new_one_time_password(approved, unit, role, mailoutbox):
    from hsreg.accounts.services import create_user
    from tests.signin import sign_in

    application, password = approved
    other = create_user(username=f"u-{role}", password=PASSWORD, units=[unit], role=role)
    response = sign_in(Client(), other).post(
        reverse("accounts:new_password", args=[application.pk])
    )
    assert response.status_code == 403
    assert not mailoutbox
    assert log_in(Client(), USERNAME, password).status_code == 302  # still the same one


# --- the second factor: a notice by mail, and a new session id ---------------------------


def _first_login_to_enrolment(approved) -> tuple[Client, User]:
    _application, password = approved
    client = Client()
    log_in(client, USERNAME, password)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    return client, User.objects.get(username=USERNAME)


def test_the_user_is_mailed_when_a_second_factor_is_set_up(approved, mailoutbox):
    client, user = _first_login_to_enrolment(approved)
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert not mailoutbox
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_at(device)})
    assert response.status_code == 200
    (mail,) = mailoutbox
    assert mail.to == [user.email]
    assert user.username in mail.body
    assert settings.DEFAULT_FROM_EMAIL in mail.body  # whom to contact if it was not you
    enrolled = AuditEvent.objects.get(action=Action.MFA_ENROL, outcome=Outcome.OK)
    assert timezone.localtime(enrolled.at).strftime("%H:%M") in mail.body
    # no secret in it: neither the key nor a code nor a recovery code
    device.refresh_from_db()
    assert device.key not in mail.body
    assert device.key.upper() not in mail.body
    assert all(code not in mail.body for code in response.context["codes"])
    assert code_at(device) not in mail.body


def test_a_wrong_code_at_enrolment_sends_no_mail(approved, mailoutbox):
    client, user = _first_login_to_enrolment(approved)
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = "000000" if code_at(device) != "000000" else "111111"
    client.post(reverse("accounts:mfa_enrol"), {"code": wrong})
    assert not mailoutbox


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_session_id_changes_at_the_second_factor(unit):
    from hsreg.accounts.services import create_user

    user = create_user(username="lege", password=PASSWORD, units=[unit], role=Role.REGISTRAR)
    device = enrol_totp(user)
    client = Client()
    log_in(client, "lege", PASSWORD)
    before = _session_key(client)
    response = client.post(reverse("accounts:mfa_verify"), {"code": code_at(device)})
    assert response["Location"] == reverse("web:home")
    after = _session_key(client)
    assert after != before
    assert not SessionStore(session_key=before).exists(before)
    assert client.get(reverse("web:home")).status_code == 200
    # the id seen before the code opens nothing now
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = before
    assert thief.get(reverse("web:home"))["Location"].startswith(reverse("login"))


def test_the_session_id_changes_at_enrolment_too(approved):
    client, user = _first_login_to_enrolment(approved)
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    before = _session_key(client)
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_at(device)})
    assert response.status_code == 200
    after = _session_key(client)
    assert after != before
    assert not SessionStore(session_key=before).exists(before)
    assert client.get(reverse("web:home")).status_code == 200
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = before
    assert thief.get(reverse("web:home"))["Location"].startswith(reverse("login"))


def test_no_second_factor_is_set_up_when_its_notice_cannot_be_sent(approved, settings):
    """The notice is sent in the enrolment's transaction: if the mail server refuses, the app
    is not set up, the page says why (no 500), and the failure is logged."""
    import socket

    client, user = _first_login_to_enrolment(approved)
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_at(device)})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "codes" not in response.context
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    event = AuditEvent.objects.filter(action=Action.MFA_ENROL).latest("id")
    assert (event.outcome, event.detail) == (Outcome.FAILED, {"reason": "notice mail not sent"})
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:mfa_enrol")
