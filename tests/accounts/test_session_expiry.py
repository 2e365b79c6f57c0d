"""A session that expires loses nothing (issue 12 point 4; RG-2 the login, RG-3 registration at
the point of care): the page asked for survives the login and the second factor; a form posted
after the session expired comes back filled in after the same user's login, and to nobody
else; the live scores answer 401 in JSON. With the Django test client, through the real login
page and second-factor page."""

from __future__ import annotations

import time
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hsreg.accounts import kept_forms
from hsreg.accounts.models import Role
from hsreg.accounts.services import create_user
from hsreg.assessments.models import DoctorAssessment
from hsreg.patients.services import register_patient
from hsreg.records.services import save_record
from hsreg.treatments.models import LabCheck
from tests.registry.conftest import make_number
from tests.registry.pages import url
from tests.session_age import expire_client
from tests.signin import enrol_totp, sign_in

from .conftest import PASSWORD, code_at, log_in

TYPED = {
    "date": "2026-11-20",
    "occasion": "pre",
    "axilla_left-nodules": "37",
    "axilla_left-abscesses": "13",
}
#: a lab check with a note: text that must come back, and never reach a log or a URL
NOTED = {"date": "2026-11-20", "abnormal": "true", "note": "kept 9137"}


@pytest.fixture
def user(unit):
    user = create_user(username="lege", password=PASSWORD, units=[unit], role=Role.REGISTRAR)
    enrol_totp(user)
    return user


@pytest.fixture
def colleague(unit):
    other = create_user(username="kollega", password=PASSWORD, units=[unit], role=Role.REGISTRAR)
    enrol_totp(other)
    return other


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(3), first_name="Ragnhild", last_name="Foss"
    )


def second_factor(client: Client, user, steps_ahead: int = 0, next_url: str = ""):
    """Posts the authenticator's code on the second-factor page (``next`` as the page got it)."""
    page = reverse("accounts:mfa_verify") + (
        f"?{urlencode({'next': next_url})}" if next_url else ""
    )
    device = enrol_totp(user)
    return client.post(page, {"code": code_at(device, steps_ahead)})


def log_in_fully(client: Client, user, next_url: str, steps_ahead: int = 0):
    """The login page with ``next``, then the second factor, following the redirects as a
    browser does; the last answer."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    response = client.get(next_url)  # the page asks for the second factor first
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:mfa_verify')}?next={quote(next_url, '')}"
    response = second_factor(client, user, steps_ahead, next_url)
    assert response.status_code == 302
    return response


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the return path through the second factor -------------------------------------------


def test_rg2_the_page_asked_for_comes_after_password_and_code(user, patient):
    wanted = reverse("patients:detail", args=[patient.pk])
    client = Client()
    response = client.get(wanted)
    assert response["Location"] == f"{reverse('login')}?next={quote(wanted)}"
    response = log_in_fully(client, user, wanted)
    assert response["Location"] == wanted  # not "/" any more
    assert client.get(wanted).status_code == 200


def test_rg2_the_return_path_survives_a_recovery_code_too(user, patient):
    from hsreg.accounts.mfa import new_recovery_codes

    codes = new_recovery_codes(user=user)
    wanted = reverse("patients:search") + "?q=Foss"
    client = Client()
    log_in(client, "lege", PASSWORD)
    page = f"{reverse('accounts:mfa_verify')}?{urlencode({'next': wanted})}"
    response = client.post(page, {"code": codes[0]})
    assert response["Location"] == wanted


@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/x", "http:/evil.example", "javascript:alert(1)"],
)
def test_rg2_the_return_path_goes_only_to_this_site(user, unsafe):
    client = Client()
    log_in(client, "lege", PASSWORD)
    page = f"{reverse('accounts:mfa_verify')}?{urlencode({'next': unsafe})}"
    response = client.post(page, {"code": code_at(enrol_totp(user))})
    assert response["Location"] == reverse("web:home")


def test_rg2_the_start_page_needs_no_return_path(user):
    client = Client()
    log_in(client, "lege", PASSWORD)
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:mfa_verify")


# --- a form posted after the session expired ---------------------------------------------


def expired_post(client: Client, target: str, data: dict[str, str]):
    """Lets the client's session expire, then posts ``data`` to ``target`` as the form page
    would (the page was loaded before, so the CSRF cookie is the page's)."""
    expire_client(client)
    return client.post(target, {**data, "action": "draft"})


def test_rg3_a_new_form_posted_after_expiry_comes_back_filled_in_after_login(user, patient):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "doctor-assessment")
    assert client.get(new).status_code == 200
    response = expired_post(client, new, TYPED)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(new)}"
    assert "37" not in response["Location"]  # never in a URL
    assert not DoctorAssessment.objects.exists()  # nothing saved
    login_page = client.get(response["Location"]).content.decode()
    assert 'id="session-expired"' in login_page
    assert 'id="form-kept-notice"' in login_page

    response = log_in_fully(client, user, new)
    assert response["Location"] == new
    page = client.get(new)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="form-kept"' in html
    assert "what you typed is kept" in html
    assert 'name="axilla_left-nodules" value="37"' in html
    assert 'name="axilla_left-abscesses" value="13"' in html
    assert not DoctorAssessment.objects.exists()  # shown, not saved: the user saves it
    # shown once: the session holds it no more, and the page is empty again when reloaded
    assert kept_forms.KEPT not in client.session
    assert kept_forms.EXPIRED_USER not in client.session
    assert kept_forms.EXPIRED_NOTICE not in client.session  # the notice was for that login
    assert 'id="form-kept"' not in client.get(new).content.decode()


def test_rg2_the_expired_post_passes_csrf_with_the_token_of_its_page(user, patient):
    """Logging out (the expiry) keeps the CSRF cookie; only logging in rotates it. So the
    form's POST is not refused as forged, and can be kept."""
    client = english(sign_in(Client(enforce_csrf_checks=True), user))
    new = url("new", patient, "doctor-assessment")
    html = client.get(new).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    expire_client(client)
    response = client.post(new, {**TYPED, "csrfmiddlewaretoken": token, "action": "draft"})
    assert response.status_code == 302  # not 403
    assert response["Location"] == f"{reverse('login')}?next={quote(new)}"
    kept = client.session[kept_forms.KEPT]
    assert kept["user"] == user.pk
    assert "csrfmiddlewaretoken" not in dict(kept["fields"])  # the new page brings its own
    # a POST without a page's token is refused as before, and nothing is kept
    other = english(Client(enforce_csrf_checks=True))
    assert other.post(new, TYPED).status_code == 403
    assert kept_forms.KEPT not in other.session


def test_rg3_the_form_shown_again_saves_with_its_own_post(user, patient):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "doctor-assessment")
    client.get(new)
    expired_post(client, new, TYPED)
    log_in_fully(client, user, new)
    html = client.get(new).content.decode()
    token = html.split('name="submission" value="')[1].split('"')[0]
    response = client.post(new, {**TYPED, "submission": token, "action": "draft"})
    assert response.status_code == 302
    saved = DoctorAssessment.objects.get()
    assert saved.regions.get(region="axilla_left").nodules == 37


def test_rg3_a_correction_draft_posted_after_expiry_comes_back(user, patient, unit):
    original = save_record(
        record=LabCheck(patient=patient, unit=unit, date="2026-11-01", abnormal=False),
        actor=None,
        finish=True,
    )
    client = english(sign_in(Client(), user))
    client.post(url("correct", patient, "lab-check", original), {"reason": "wrong date"})
    copy = LabCheck.objects.get(replaces=original)
    edit = url("edit", patient, "lab-check", copy)
    client.get(edit)
    typed = {"date": "2026-11-02", "abnormal": "true", "version": str(copy.version)}
    response = expired_post(client, edit, typed)
    assert response["Location"] == f"{reverse('login')}?next={quote(edit)}"
    log_in_fully(client, user, edit)
    html = client.get(edit).content.decode()
    assert 'id="form-kept"' in html
    assert 'value="2026-11-02"' in html
    assert 'id="correction-of"' in html
    copy.refresh_from_db()
    assert str(copy.date) == "2026-11-01"  # not saved until the user saves


def test_rg2_only_the_same_user_gets_the_kept_form_back(user, colleague, patient):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "doctor-assessment")
    client.get(new)
    expired_post(client, new, TYPED)
    assert kept_forms.KEPT in client.session
    log_in_fully(client, colleague, new)  # someone else logs in on the same browser
    assert kept_forms.KEPT not in client.session
    html = client.get(new).content.decode()
    assert 'id="form-kept"' not in html
    assert 'value="37"' not in html


def test_rg2_a_kept_form_waits_an_hour_at_most(user, patient):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "doctor-assessment")
    client.get(new)
    expired_post(client, new, TYPED)
    session = client.session
    stash = session[kept_forms.KEPT]
    stash["at"] = int(time.time()) - kept_forms.KEPT_SECONDS - 1
    session[kept_forms.KEPT] = stash
    session.save()
    log_in_fully(client, user, new)
    assert 'value="37"' not in client.get(new).content.decode()


def test_rg2_a_post_without_a_known_expired_session_is_not_kept(patient):
    """A browser with no session at all (closed, cookie gone): nobody to keep it for."""
    client = Client()
    new = url("new", patient, "doctor-assessment")
    response = client.post(new, {**TYPED, "action": "draft"})
    assert response["Location"] == f"{reverse('login')}?next={quote(new)}"
    assert kept_forms.KEPT not in client.session


def test_rg2_a_kept_form_is_not_written_to_the_log_or_a_url(user, patient, caplog):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "lab-check")
    client.get(new)
    with caplog.at_level("DEBUG"):
        response = expired_post(client, new, NOTED)
        assert "9137" not in response["Location"]
        log_in_fully(client, user, new)
        html = client.get(new).content.decode()
    assert "kept 9137" in html  # it came back
    assert "9137" not in caplog.text


def test_rg2_an_oversized_post_is_not_kept(user, patient):
    client = english(sign_in(Client(), user))
    new = url("new", patient, "doctor-assessment")
    client.get(new)
    expired_post(client, new, {**TYPED, "occasion": "x" * (kept_forms.MAX_CHARS + 1)})
    assert kept_forms.KEPT not in client.session


def test_rg3_the_live_scores_answer_401_in_json_after_expiry(user, patient):
    client = english(sign_in(Client(), user))
    live = url("live", patient, "doctor-assessment")
    assert client.post(live, {"axilla_left-nodules": "2"}).status_code == 200
    expire_client(client)
    response = client.post(live, {"axilla_left-nodules": "3"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["error"] == "session_expired"
    assert answer["message"] == (
        "Session expired — log in again (what you typed stays on this page)"
    )
    assert answer["login_url"] == reverse("login")
    assert answer["hint"].startswith("Save the form as usual")  # not reload: that would lose it
    # and the form posted next is still kept for the user: the live request ended the session
    new = url("new", patient, "doctor-assessment")
    client.post(new, {**TYPED, "action": "draft"})
    assert client.session[kept_forms.KEPT]["user"] == user.pk


def test_rg2_a_script_request_without_a_session_is_401_not_the_login_page(db):
    response = Client().get(reverse("web:home"), HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"


def test_rg2_a_script_request_with_the_password_only_is_401_not_the_code_page(user, patient):
    client = Client()
    log_in(client, "lege", PASSWORD)
    response = client.post(url("live", patient, "doctor-assessment"), {})
    assert response.status_code == 401
    assert response.json()["error"] == "session_expired"


# --- the second-factor page -----------------------------------------------------------------


def test_rg2_the_second_factor_page_shows_no_menu_and_no_unit_picker(user):
    client = english(Client())
    log_in(client, "lege", PASSWORD)
    html = client.get(reverse("accounts:mfa_verify")).content.decode()
    assert 'class="unit-picker"' not in html
    assert "<nav>" not in html
    assert reverse("patients:search") not in html
    assert 'class="logout"' in html  # the way out stays
    verified = sign_in(english(Client()), user)
    html = verified.get(reverse("web:home")).content.decode()
    assert 'class="unit-picker"' in html
    assert "<nav>" in html
