"""Session lifetime: 30 minutes idle, 12 hours at most (settings.SESSION_IDLE_SECONDS and
SESSION_ABSOLUTE_SECONDS).

Django's own expiry is one sliding age, so both limits are kept here from two timestamps in
the session. The last-seen time is written at most once a minute, so an active user's requests
do not each write their session. An expired session is flushed on the server (the same as
logging out) and the user is sent to the login page.

The new session of the logged-out browser remembers whose session expired
(``kept_forms.EXPIRED_USER``), so that a form posted now is kept for that user's next login
(accounts.kept_forms) and for nobody else.

Every answer to a signed-in user is marked not to be stored (Cache-Control: no-store), so no
browser or proxy keeps a copy of a patient page that the Back button would show after logout.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .kept_forms import EXPIRED_NOTICE, EXPIRED_USER

STARTED = "hsreg_started"
SEEN = "hsreg_seen"
SEEN_RESOLUTION = 60  # seconds: how stale the last-seen time may get before it is written


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED, now)
            seen = session.get(SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                user_id = request.user.pk
                logout(request)  # flushes the session on the server
                request.session[EXPIRED_NOTICE] = True
                request.session[EXPIRED_USER] = user_id
            elif now - seen >= SEEN_RESOLUTION or SEEN not in session:
                session[SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
