"""Account events into the audit log: logins, failed logins, lockouts and logouts.

Django's login view and django-axes announce these by signal; listening here puts every way
in or out of hsreg (the login page, the session expiring, a lockout) in one place. Connected
by ``AccountsConfig.ready``.

A login with a one-time password uses it up here (``accounts.services.use_one_time_password``);
a refused one (expired or used, ``User.check_password``) is named in the failed login's row and
shown on the login page to the person who typed it (``request.hsreg_one_time_password``)."""

from __future__ import annotations

import uuid
from typing import Any

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log

from .actor import Actor, actor_for, system_actor
from .models import User
from .services import use_one_time_password

USED_NOTICE = _(
    "This one-time password has already opened a login, and it works only once. Ask the "
    "registry coordinator for a new one."
)


def _actor(request: HttpRequest | None, user: Any) -> Actor:
    """The actor of an account event: the user it is about (not yet, or no longer, the
    request's user), their current unit and role, and the request's id."""
    request_actor = getattr(request, "actor", None)
    request_id = request_actor.request_id if request_actor else uuid.uuid4().hex
    if user is None:  # an unknown username
        return system_actor(request_id=request_id)
    return actor_for(user, request_id=request_id)


def _user_named(username: str | None) -> User | None:
    return User.objects.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="hsreg.audit.login")
def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    log(actor=_actor(request, user), action=Action.LOGIN, target="password")
    if not use_one_time_password(user=user) and request is not None:
        # Another login took the same one-time password at the same moment: that one goes on,
        # this one ends here (logged out, and told why on the login page).
        logout(request)
        messages.error(request, USED_NOTICE)


@receiver(user_logged_out, dispatch_uid="hsreg.audit.logout")
def audit_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None:
        log(actor=_actor(request, user), action=Action.LOGOUT)


@receiver(user_login_failed, dispatch_uid="hsreg.audit.login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong password (or a locked-out user trying again). The typed username is kept only
    when it names a user: an unknown one may be a password typed in the wrong field.

    When the typed password is the user's one-time password, refused because it expired or
    was used, the row says so and the login page tells the person (who has just shown they
    hold it) how to go on; to anyone else it is a wrong password like any other."""
    user = _user_named(credentials.get("username"))
    refusal = _one_time_password_refusal(request, user)
    if refusal is not None and request is not None:
        request.hsreg_one_time_password = refusal  # type: ignore[attr-defined]
    detail = {"username": "unknown"} if user is None else None
    if refusal is not None:
        detail = {"reason": f"one-time password {refusal}"}
    log(
        actor=_actor(request, user),
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILED,
        target="password",
        detail=detail,
    )


def _one_time_password_refusal(request: HttpRequest | None, user: User | None) -> str | None:
    """Why the password typed on the login page, if it is ``user``'s one-time password, was
    refused ("expired", "used"); None for any other failure. The signal's credentials have
    the password masked, so it is read from the login form's POST."""
    if user is None or request is None or request.method != "POST":
        return None
    refusal = user.one_time_password_refusal()
    if refusal is None or not user.password_matches(request.POST.get("password", "")):
        return None
    return refusal


@receiver(user_locked_out, dispatch_uid="hsreg.audit.lockout")
def audit_lockout(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    user = _user_named(username)
    log(
        actor=_actor(request, user),
        action=Action.LOCKOUT,
        outcome=Outcome.DENIED,
        target="password",
        detail=None if user else {"username": "unknown"},
    )
