"""The patient's pages under /p/ through the Django test client (issue 13 point 4): the
birth-date check before anything is shown, the lock after 5 wrong dates (audited), a used
link refused, the privacy headers, the patient's own session apart from the clinician's,
the questionnaire's screens kept on the server, submit once, the tablet's neutral screen and
its rate limit, and odd input on every route never a 5xx."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hsreg.accounts.actor import system_actor
from hsreg.assessments.models import PatientReport
from hsreg.audit.models import Action, AuditEvent, Outcome
from hsreg.patients.services import register_patient
from hsreg.questionnaires import patient_session, services
from hsreg.questionnaires.models import Invitation, State
from hsreg.questionnaires.patient_views import TABLET_MAX_WRONG
from tests.registry.conftest import PASSWORD, make_number
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

BORN = date(1985, 3, 14)
RIGHT = {"day": "14", "month": "3", "year": "1985"}
WRONG = {"day": "15", "month": "3", "year": "1985"}
#: a screen's answers for the status form (DLQI), screen by screen
STATUS_ANSWERS = [
    {"smoking": "2", "work": "1"},
    {
        "boils_last_4_weeks": "3",
        "worst_boil_pain": "7",
        "vas_total": "5",
        "vas_axilla_right": "4",
        "vas_axilla_left-unknown": "1",
        "vas_groin_right": "0",
        "vas_groin_left": "2.5",
        "vas_other": "0",
    },
    {
        "dlqi_1": "2",
        "dlqi_2": "3",
        "dlqi_3": "4",
        "dlqi_4": "4",
        "dlqi_5": "3",
        "dlqi_6": "5",
        "dlqi_7": "0",
        "dlqi_7_problems": "3",
        "dlqi_8": "4",
        "dlqi_9": "5",
        "dlqi_10": "4",
    },
]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit(db):
    from hsreg.units.models import Unit

    return Unit.objects.create(
        resh_id=102959, name="Hudavdelingen, Haukeland", health_trust="Helse Bergen", region="vest"
    )


@pytest.fixture
def patient(unit):
    return register_patient(
        unit=unit, national_id=make_number(1, BORN), first_name="Kari", last_name="Nordmann"
    )


def invite(unit, patient, *, channel: str = "link", purpose: str = "questionnaire"):
    return services.create_invitation(
        actor=system_actor(),
        unit=unit,
        patient=patient,
        channel=channel,
        purpose=purpose,
        form="status" if purpose == "questionnaire" else "",
    )


@pytest.fixture
def link(unit, patient):
    invitation, token = invite(unit, patient)
    return invitation, token


def start_url(token: str) -> str:
    return reverse("patient:start", kwargs={"token": token})


def verified(client: Client, token: str) -> Client:
    response = client.post(start_url(token), RIGHT)
    assert response.status_code == 302
    return client


def identifying(patient) -> list[str]:
    return [
        patient.first_name,
        patient.last_name,
        patient.national_id,
        "14.03.1985",
        "1985-03-14",
        "Haukeland",
        "Hudavdelingen",
    ]


def assert_private(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


def test_nothing_of_the_patient_before_the_birth_date(client, link, patient):
    _invitation, token = link
    response = client.get(start_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    for word in identifying(patient):
        assert word not in html
    assert 'inputmode="numeric"' in html
    assert_private(response)
    # no resource from another site, no inline script or style (CSP)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script>" not in html
    assert "style=" not in html


def test_unknown_token_is_a_neutral_404(client, link):
    for path in ("/p/not-a-token/", "/p/not-a-token/s/1/", "/p/x/y/z/", "/p/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        assert "Haukeland" not in html
        assert "hsreg" not in html.lower().replace("hsreg_", "")
        assert_private(response)


def test_a_wrong_birth_date_is_refused_with_attempts_left(client, link):
    invitation, token = link
    response = client.post(start_url(token), WRONG)
    assert response.status_code == 200
    assert "4" in response.content.decode()
    assert patient_session.COOKIE not in response.cookies
    invitation.refresh_from_db()
    assert invitation.failed_attempts == 1
    assert invitation.verified_at is None


@pytest.mark.parametrize(
    "typed",
    [
        {"day": "14.03.1985", "month": "", "year": ""},
        {"day": "14", "month": "03", "year": "1985"},
        {"day": " 14 ", "month": "3", "year": " 1985"},
        {"day": "14/3/1985"},
    ],
)
def test_the_right_birth_date_opens_the_first_screen(client, link, typed):
    invitation, token = link
    response = client.post(start_url(token), typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("patient:screen", kwargs={"token": token, "index": 1})
    cookie = response.cookies[patient_session.COOKIE]
    assert cookie["path"] == "/p/"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 30 * 60
    assert_private(response)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Hudavdelingen, Haukeland" in page.content.decode()  # the unit, after the check
    event = AuditEvent.objects.filter(action=Action.LOGIN, patient_id=invitation.patient_id).get()
    assert event.detail["by"] == "patient"
    assert event.user is None


def test_five_wrong_birth_dates_lock_the_link_and_every_attempt_is_audited(client, link, patient):
    invitation, token = link
    for left in (4, 3, 2, 1):
        response = client.post(start_url(token), WRONG)
        assert response.status_code == 200
        assert f"{left}" in response.content.decode()
    response = client.post(start_url(token), {"day": "not", "month": "a", "year": "date"})
    assert response.status_code == 410
    assert 'data-state="locked"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == State.LOCKED
    failed = AuditEvent.objects.filter(
        patient_id=patient.pk, action=Action.LOGIN_FAILED, outcome=Outcome.DENIED
    )
    assert failed.count() == 5
    assert AuditEvent.objects.filter(patient_id=patient.pk, action=Action.LOCKOUT).count() == 1
    # locked for good: the right date does not open it either
    response = client.post(start_url(token), RIGHT)
    assert response.status_code == 410
    assert (
        patient_session.COOKIE not in response.cookies
        or not response.cookies[patient_session.COOKIE].value
    )


def test_an_empty_birth_date_does_not_use_an_attempt(client, link):
    invitation, token = link
    response = client.post(start_url(token), {"day": "", "month": "", "year": ""})
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.failed_attempts == 0


def answer_all(client: Client, token: str) -> None:
    for index, answers in enumerate(STATUS_ANSWERS, start=1):
        url = reverse("patient:screen", kwargs={"token": token, "index": index})
        response = client.post(url, {**answers, "go": "next"})
        assert response.status_code == 302, response.content.decode()[:2000]


def test_screens_keep_the_answers_and_submit_makes_one_report(client, link, patient):
    invitation, token = link
    verified(client, token)
    first = reverse("patient:screen", kwargs={"token": token, "index": 1})
    page = client.get(first).content.decode()
    assert "Steg 1 av 4" in page or "Step 1 of 4" in page
    # Next validates: nothing chosen → the screen again with errors, nothing kept
    response = client.post(first, {"go": "next"})
    assert response.status_code == 400
    answer_all(client, token)
    invitation.refresh_from_db()
    assert invitation.progress["vas_axilla_left"] == "unknown"
    assert invitation.progress["dlqi_7_problems"] == "3"
    # the phone slept: a new visit with the session resumes at the review
    response = client.get(start_url(token))
    assert response["Location"] == reverse("patient:review", kwargs={"token": token})
    review = client.get(response["Location"])
    assert review.status_code == 200
    assert "DLQI" in review.content.decode()  # the copyright line, with its screen
    response = client.post(reverse("patient:review", kwargs={"token": token}))
    assert response.status_code == 302
    assert response["Location"] == reverse("patient:done", kwargs={"token": token})
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert 'id="thanks"' in thanks.content.decode()
    report = PatientReport.objects.get(patient=patient)
    assert report.reported_by == "patient"
    assert report.reported_channel == "link"
    assert report.dlqi_instrument == "dlqi"
    assert report.dlqi_total is not None
    # a second submit (double tap, Back then Submit) shows the thank-you page, no new report
    again = client.post(reverse("patient:review", kwargs={"token": token}))
    assert again.status_code == 302
    assert again["Location"].endswith("/done/")
    assert PatientReport.objects.filter(patient=patient).count() == 1


def test_an_answered_link_is_refused(client, link, patient):
    _invitation, token = link
    verified(client, token)
    answer_all(client, token)
    client.post(reverse("patient:review", kwargs={"token": token}))
    fresh = Client()
    response = fresh.get(start_url(token))
    assert response.status_code == 410
    html = response.content.decode()
    assert 'data-state="answered"' in html
    for word in identifying(patient):
        assert word not in html
    response = fresh.post(start_url(token), RIGHT)
    assert response.status_code == 410


@pytest.mark.parametrize("state", ["expired", "closed"])
def test_expired_and_closed_links_say_so(client, link, state):
    invitation, token = link
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        services.withdraw(actor=system_actor_at(invitation.unit), invitation=invitation)
    response = client.get(start_url(token))
    assert response.status_code == 410
    assert f'data-state="{state}"' in response.content.decode()


def system_actor_at(unit):
    from hsreg.accounts.actor import Actor

    actor = system_actor()
    return Actor(user=actor.user, unit=unit, role=None, request_id="test")


def test_a_session_of_another_invitation_opens_nothing(client, unit, patient):
    _first, first_token = invite(unit, patient)
    other = register_patient(
        unit=unit, national_id=make_number(2, BORN), first_name="Ola", last_name="Hansen"
    )
    _second, second_token = invite(unit, other)
    verified(client, first_token)
    response = client.get(reverse("patient:screen", kwargs={"token": second_token, "index": 1}))
    assert response.status_code == 302
    assert response["Location"] == start_url(second_token)


def test_a_forged_or_old_patient_cookie_opens_nothing(client, link):
    _invitation, token = link
    client.cookies[patient_session.COOKIE] = "forged:value"
    response = client.get(reverse("patient:screen", kwargs={"token": token, "index": 1}))
    assert response.status_code == 302
    assert response["Location"] == start_url(token)


def test_the_clinicians_session_is_not_used(link, unit, patient):
    """A clinician logged in on the same browser: the patient's pages are the same as
    without that session, show nothing of it, and do not let the clinician past the check."""
    from hsreg.accounts.services import create_user

    _invitation, token = link
    clinician = create_user(
        username="lege", password=PASSWORD, units=[unit], first_name="Liv", last_name="Lege"
    )
    with_session = sign_in(Client(), clinician)
    without = Client()
    for c in (with_session, without):
        c.cookies[patient_session.LANGUAGE_COOKIE] = "en"
    a = with_session.get(start_url(token))
    b = without.get(start_url(token))
    assert a.status_code == b.status_code == 200
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", a.content.decode()) == strip.sub("", b.content.decode())
    assert "Liv" not in a.content.decode()
    assert "Lege" not in a.content.decode()
    assert not re.search(r"\blege\b", a.content.decode())
    # the clinician's session is no patient session: the screens stay closed
    response = with_session.get(reverse("patient:screen", kwargs={"token": token, "index": 1}))
    assert response.status_code == 302
    assert response["Location"] == start_url(token)


def test_the_language_switch_is_kept_in_the_patients_own_cookie(client, link):
    _invitation, token = link
    norsk = client.get(start_url(token)).content.decode()
    assert 'lang="nb"' in norsk
    response = client.post(
        reverse("patient:language"), {"language": "en", "next": start_url(token)}
    )
    assert response.status_code == 302
    assert response["Location"] == start_url(token)
    cookie = response.cookies[patient_session.LANGUAGE_COOKIE]
    assert cookie.value == "en"
    assert cookie["path"] == "/p/"
    english = client.get(start_url(token)).content.decode()
    assert '<html lang="en">' in english
    assert "Confirm your birth date" in english
    # another site's address as next: not followed
    response = client.post(
        reverse("patient:language"), {"language": "nb", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/p/"


def test_tablet_short_code_opens_that_invitations_link(client, unit, patient):
    invitation, token = invite(unit, patient, channel="tablet")
    response = client.get(reverse("patient:tablet"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<a " not in html.split("</header>", 1)[1]  # no links out
    assert_private(response)
    response = client.post(
        reverse("patient:tablet"),
        {"code": invitation.short_code.lower()[:4] + " " + invitation.short_code[4:]},
    )
    assert response.status_code == 302
    assert response["Location"] == start_url(token)


def test_tablet_thanks_returns_to_the_neutral_screen(client, unit, patient):
    _invitation, token = invite(unit, patient, channel="tablet")
    verified(client, token)
    answer_all(client, token)
    client.post(reverse("patient:review", kwargs={"token": token}))
    thanks = client.get(reverse("patient:done", kwargs={"token": token}))
    html = thanks.content.decode()
    assert f'content="10;url={reverse("patient:tablet")}"' in html
    assert 'id="p-to-tablet"' in html
    assert thanks.cookies[patient_session.COOKIE].value == ""  # the patient cookie cleared
    assert PatientReport.objects.get(patient=patient).reported_channel == "tablet"


def test_tablet_wrong_codes_are_rate_limited(client, unit, patient):
    invitation, _token = invite(unit, patient, channel="tablet")
    for _ in range(TABLET_MAX_WRONG):
        response = client.post(reverse("patient:tablet"), {"code": "WRONG123"})
        assert response.status_code == 400
    # the right code too must wait now: the limit is on the client address
    response = client.post(reverse("patient:tablet"), {"code": invitation.short_code})
    assert response.status_code == 429
    assert 'id="tablet-wait"' in response.content.decode()
    # another address is not held back
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(reverse("patient:tablet"), {"code": invitation.short_code})
    assert response.status_code == 302


ROUTES = [
    "/p/{token}/",
    "/p/{token}/s/{n}/",
    "/p/{token}/review/",
    "/p/{token}/done/",
    "/p/{token}/log/",
    "/p/tablet/",
    "/p/language/",
]
FIELDS = ["day", "month", "year", "code", "go", "language", "next", "smoking", "work"]
FIELDS += ["vas_total", "vas_total-unknown", "dlqi_7", "page", "x"]
odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=st.fixed_dictionaries(
        {
            "route": st.sampled_from(ROUTES),
            "n": st.integers(min_value=0, max_value=10**12),
            "real_token": st.booleans(),
            "verify": st.booleans(),
            "data": st.dictionaries(st.sampled_from(FIELDS), odd_text, max_size=6),
            "method": st.sampled_from(["get", "post"]),
        }
    )
)
def test_odd_input_on_every_route_is_never_a_server_error(link, case):
    _invitation, token = link
    client = Client()
    if case["verify"]:
        client.post(start_url(token), RIGHT)
    path = case["route"].format(token=token if case["real_token"] else "ab%2Fc", n=case["n"])
    response = getattr(client, case["method"])(path, case["data"])
    assert response.status_code < 500
    assert_private(response)
