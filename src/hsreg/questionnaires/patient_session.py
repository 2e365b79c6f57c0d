"""The patient's session: a signed cookie of its own, bound to one invitation.

The patient is not a user, so Django's login session is never used for them: a clinician
logged in on the same browser (the clinic's tablet, a shared computer at home) keeps their
session, and the patient's pages neither read nor show it. After the birth-date check the
patient gets this cookie instead: the invitation's id signed with ``django.core.signing``
under a salt of its own (no other signed value of hsreg opens it), limited to /p/, HttpOnly,
SameSite=Strict, Secure unless the site runs on plain HTTP (settings.INSECURE_HTTP). It
expires after IDLE_SECONDS without a request: every page renews its time stamp.

The patient's language choice has a cookie of its own (LANGUAGE_COOKIE), also limited to
/p/, so it does not change the clinician's language and outlives the session.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from .models import Invitation

COOKIE = "hsreg_patient"
LANGUAGE_COOKIE = "hsreg_patient_lang"
PATH = "/p/"
SALT = "hsreg.questionnaires.patient-session"
#: 30 minutes idle, as the clinicians' sessions (settings.SESSION_IDLE_SECONDS)
IDLE_SECONDS = 30 * 60
LANGUAGES = ("nb", "en")
LANGUAGE_SECONDS = 365 * 24 * 3600


def _cookie_options() -> dict[str, object]:
    return {
        "path": PATH,
        "httponly": True,
        "samesite": "Strict",
        "secure": not settings.INSECURE_HTTP,
    }


def session_invitation_id(request: HttpRequest) -> int | None:
    """The id of the invitation whose patient passed the birth-date check in this browser
    less than IDLE_SECONDS ago; None without a valid cookie."""
    value = request.COOKIES.get(COOKIE, "")
    if not value or len(value) > 500:
        return None
    try:
        data = signing.loads(value, salt=SALT, max_age=IDLE_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return None
    pk = data.get("i") if isinstance(data, dict) else None
    return pk if isinstance(pk, int) else None


def is_verified(request: HttpRequest, invitation: Invitation) -> bool:
    """Whether this browser's patient session belongs to ``invitation``."""
    return session_invitation_id(request) == invitation.pk


def keep(response: HttpResponse, invitation: Invitation) -> HttpResponse:
    """Starts or renews the session of ``invitation`` (a fresh time stamp: idle time from
    now)."""
    value = signing.dumps({"i": invitation.pk}, salt=SALT, compress=False)
    response.set_cookie(COOKIE, value, max_age=IDLE_SECONDS, **_cookie_options())
    return response


def end(response: HttpResponse) -> HttpResponse:
    """Ends the patient's session in this browser (after submit; always on the tablet)."""
    response.delete_cookie(COOKIE, path=PATH, samesite="Strict")
    return response


def language(request: HttpRequest) -> str:
    """The patient's language: their own choice, else Norwegian bokmål (never the browser's
    Accept-Language, never the clinician's choice)."""
    chosen = request.COOKIES.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in LANGUAGES else "nb"


def choose_language(response: HttpResponse, lang: str) -> HttpResponse:
    response.set_cookie(LANGUAGE_COOKIE, lang, max_age=LANGUAGE_SECONDS, **_cookie_options())
    return response
