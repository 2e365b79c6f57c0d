"""What Django's login page does not check before it authenticates: a username longer than
the users' column. AuthenticationForm sets the field's max_length after the field is made,
so no validator refuses it, and django-axes then stores the typed name in its attempt log
(255 characters), which PostgreSQL refuses with an error: a 500 (issue 11 point 9).

``refuse_long_username`` answers such a POST with the login page, the reason on the field and
a 400, before the login view, axes or the audit log see it.

The way back after a login (issue 12 point 4): ``signed_out`` answers a request without a
session. A page is sent to the login page with itself as ``next``; a form page's POST is kept
for the user whose session expired (accounts.kept_forms) and the form page is ``next``, so it
comes back filled in; a script's request (the live scores) gets a 401 in JSON, which the page
shows instead of drawing the login page inside the score panel. ``second_factor`` carries
``next`` through the second factor, and ``safe_next`` reads it back: same-host paths only."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import kept_forms
from .models import User

USERNAME_LENGTH: int = User._meta.get_field("username").max_length  # type: ignore[assignment]


def refuse_long_username(request: HttpRequest) -> HttpResponse | None:
    """The login page with the reason, if the POSTed username cannot be anyone's; else None."""
    if request.method != "POST" or len(request.POST.get("username", "")) <= USERNAME_LENGTH:
        return None
    form = AuthenticationForm(request, data={"username": "", "password": ""})
    form.errors.clear()
    form.add_error(
        "username",
        _("A username has at most %(count)d characters.") % {"count": USERNAME_LENGTH},
    )
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", "")},
        status=400,
    )


#: requests from the page's scripts, answered in JSON (hsreg.js sends this header)
SCRIPT_VIEWS = frozenset({"records:live"})
SCRIPT_HEADER = "fetch"


def _from_script(request: HttpRequest, view_name: str) -> bool:
    return view_name in SCRIPT_VIEWS or request.headers.get("X-Requested-With") == SCRIPT_HEADER


def _session_expired_json() -> JsonResponse:
    """401 for a script: hsreg.js shows the message where the answer would have gone."""
    return JsonResponse(
        {
            "error": "session_expired",
            "message": _("Session expired — log in again (what you typed stays on this page)"),
            # reloading the page would lose the typing; saving keeps it (accounts.kept_forms)
            "hint": _(
                "Save the form as usual: you are asked to log in, and then the form comes "
                "back filled in for you to check and save."
            ),
            "login_url": reverse(settings.LOGIN_URL),
        },
        status=401,
    )


def signed_out(request: HttpRequest, view_name: str) -> HttpResponse:
    """The answer to a request without a (live) session for a page that needs one."""
    if _from_script(request, view_name):
        return _session_expired_json()
    if request.method in ("GET", "HEAD"):
        return redirect_to_login(request.get_full_path())
    if view_name in kept_forms.KEEPABLE:
        kept_forms.keep(request, view_name)
        return redirect_to_login(request.path)  # the form page: GET shows it (filled if kept)
    back = safe_next(request, urlsplit(request.headers.get("Referer", "")).path)
    return redirect_to_login(back) if back else redirect(settings.LOGIN_URL)


def second_factor(request: HttpRequest, view_name: str, step: str | None) -> HttpResponse:
    """For a user with the password only: the first login's ``step`` if one is left (a new
    password, enrolling an app), else the second-factor page with the page asked for as
    ``next`` (a GET of any page other than the start page; a POST cannot be repeated by a
    redirect). A script's request gets the 401 of ``signed_out``: not fully logged in."""
    if _from_script(request, view_name):
        return _session_expired_json()
    if step is not None:
        return redirect(step)
    url = reverse("accounts:mfa_verify")
    wanted = request.get_full_path()
    if request.method not in ("GET", "HEAD") or wanted == resolve_url(settings.LOGIN_REDIRECT_URL):
        return redirect(url)
    return redirect(f"{url}?{urlencode({'next': wanted})}")


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a path on this site (never another host or scheme, so a link cannot
    send a user elsewhere after logging in), else ''."""
    if not value or not value.startswith("/"):
        return ""
    ok = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if ok else ""
