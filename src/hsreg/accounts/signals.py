"""Account events into the audit log: logins, failed logins, lockouts and logouts.

Django's login view and django-axes announce these by signal; listening here puts every way
in or out of hsreg (the login page, the session expiring, a lockout) in one place. Connected
by ``AccountsConfig.ready``."""

from __future__ import annotations

import uuid
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from hsreg.audit.models import Action, Outcome
from hsreg.audit.services import log

from .actor import Actor, actor_for, system_actor
from .models import User


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
    when it names a user: an unknown one may be a password typed in the wrong field."""
    user = _user_named(credentials.get("username"))
    log(
        actor=_actor(request, user),
        action=Action.LOGIN_FAILED,
        outcome=Outcome.FAILED,
        target="password",
        detail=None if user else {"username": "unknown"},
    )


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
