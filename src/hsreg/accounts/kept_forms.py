"""A form posted after the session expired is kept for the user's next login (issue 12 point 4).

A clinician who types a form for longer than the idle limit (accounts.sessions) and then
presses save would lose what they typed: the POST reaches the server without a session and is
answered with the login page. Instead, when ``accounts.access.AccessMiddleware`` sees such a
POST to a form page (``KEEPABLE``), ``keep`` stores the posted fields in the new, anonymous
session, on the server, with the id of the user whose session expired. After the login (the
session's data survives ``django.contrib.auth.login`` and the second factor, which only give it
a new id) the form page asks ``take`` for it and shows the form filled in again, not saved: the
user checks it and saves it themselves, and every check of the form runs as for any POST.

What is kept holds health data, so:

- it lives only in the server-side session (never in a URL, a cookie's value or a log line);
- only the user whose session expired gets it back: a login by anybody else drops it
  (``forget_for_other_user``, connected to ``user_logged_in``), and ``take`` checks again;
- it waits ``KEPT_SECONDS`` at most, and goes with the session when the browser closes;
- it is replayed only on the same page (path) it was posted to, through that page's own access
  checks (the patient's unit, the form's unit), and nothing is saved without a new POST;
- a POST whose previous user is unknown (the session cookie gone with the browser) or that is
  larger than ``MAX_CHARS`` is not kept.

CSRF: the expired POST carries the form's token and the CSRF cookie, which logging out does
not change (only logging in rotates it), so it passes CsrfViewMiddleware as before; the form
shown after the login has the new token.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, QueryDict

#: the session key holding the id of the user whose session just expired (accounts.sessions)
EXPIRED_USER = "hsreg_expired_user"
#: the session key that makes the login page say the session expired (accounts.sessions)
EXPIRED_NOTICE = "hsreg_expired"
#: the session key of the kept form
KEPT = "hsreg_kept_form"
#: how long a kept form waits for its user to log in again
KEPT_SECONDS = 60 * 60
#: the largest form kept (characters of names and values): the registry's forms are far smaller
MAX_CHARS = 200_000
#: the pages whose POST is kept: a registry form (new, a draft or a correction's draft) and the
#: reason of a correction
KEEPABLE = frozenset({"records:new", "records:edit", "records:correct"})
#: fields that are not the user's answers: the CSRF token (a new one comes with the page) and
#: the button pressed (the user presses it again after checking)
_NOT_ANSWERS = frozenset({"csrfmiddlewaretoken", "action"})


def keep(request: HttpRequest, view_name: str) -> bool:
    """Keeps the POSTed fields of a form page for the user whose session expired; whether it
    did (False: not a form page, no known previous user, or too large)."""
    user_id = request.session.get(EXPIRED_USER)
    if request.method != "POST" or view_name not in KEEPABLE or not isinstance(user_id, int):
        return False
    fields = [
        [name, request.POST.getlist(name)] for name in request.POST if name not in _NOT_ANSWERS
    ]
    size = sum(len(name) + sum(len(value) for value in values) for name, values in fields)
    if size > MAX_CHARS:
        return False
    request.session[KEPT] = {
        "user": user_id,
        "path": request.path,
        "at": int(time.time()),
        "fields": fields,
    }
    return True


def take(request: HttpRequest) -> QueryDict | None:
    """The form kept for this page and this user, removed from the session (it is shown once);
    None when there is none. A kept form of another user, or one too old, is dropped."""
    kept = request.session.get(KEPT)
    if not isinstance(kept, dict):
        return None
    user = getattr(request, "user", None)
    mine = user is not None and user.is_authenticated and kept.get("user") == user.pk
    fresh = _fresh(kept)
    if mine and fresh and kept.get("path") != request.path:
        return None  # kept for another page of this user: it waits there
    del request.session[KEPT]
    if not (mine and fresh):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.get("fields", []):
        data.setlist(str(name), [str(value) for value in values])
    data._mutable = False
    return data


def _fresh(kept: dict[str, Any]) -> bool:
    """Whether a kept form is younger than KEPT_SECONDS."""
    return isinstance(kept.get("at"), int) and time.time() - kept["at"] <= KEPT_SECONDS


def is_waiting(request: HttpRequest) -> bool:
    """Whether a kept form waits for a login in this session (the login page says so)."""
    return isinstance(request.session.get(KEPT), dict)


@receiver(user_logged_in, dispatch_uid="hsreg.accounts.kept_forms")
def forget_for_other_user(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """At a login, the kept form stays only if it is this user's (and still fresh); the id
    of the expired session's user, and the login page's notice that it expired, are not
    needed any more."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(EXPIRED_USER, None)
    request.session.pop(EXPIRED_NOTICE, None)
    kept = request.session.get(KEPT)
    if not isinstance(kept, dict):
        return
    if kept.get("user") != user.pk or not _fresh(kept):
        del request.session[KEPT]
