"""Letting a session expire in a test, as 30 idle minutes would (accounts.sessions).

The session's last-seen time is set back past the idle limit, on the server; the next request
of that browser (or test client) is then answered as after a real expiry: the session is
flushed, the login page says why, and a form POSTed now is kept for the same user's next login
(accounts.kept_forms). Deleting the session row instead would be a different case: the user's
identity is gone with it, so nothing could be kept for them.

- ``expire_client(client)`` for the Django test client;
- ``expire_browser(page)`` for a Playwright page (the browser tests' live server shares the
  test database, so the session row is changed directly)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from hsreg.accounts.sessions import SEEN


def expire_session(session_key: str) -> None:
    """Sets the last-seen time of the stored session ``session_key`` one minute past the idle
    limit."""
    session = SessionStore(session_key=session_key)
    session[SEEN] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 60
    session.save()


def expire_client(client: Any) -> None:
    expire_session(client.cookies[settings.SESSION_COOKIE_NAME].value)


def expire_browser(page: Any) -> None:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    expire_session(cookie["value"])
