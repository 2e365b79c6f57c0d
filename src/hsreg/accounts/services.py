"""Writes about users: memberships and the current unit, applications for an account and
their approval or rejection, and the first-login password change (RG-2).

Every account event is written to the audit log here, in the same transaction as the change
it records, so a change without its log row cannot happen."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.jobs.mails import queue_mail
from hsreg.units.models import Unit, UnitKind

from .actor import Actor
from .models import (
    ONE_TIME_PASSWORD_LIFETIME,
    Application,
    ApplicationStatus,
    Membership,
    Role,
    User,
)

# The roles a coordinator may give an applicant; the coordinator role itself is given by
# the registry's administrators (hsreg createuser), never through an application.
APPLICANT_ROLES = (Role.REGISTRAR, Role.UNIT_LEADER, Role.REPORTING)


def choose_unit(*, user: User, unit: Unit) -> None:
    """Makes ``unit`` the user's current unit; only a unit the user is a member of."""
    if not Membership.objects.filter(user=user, unit=unit).exists():
        raise PermissionDenied("not a member of this unit")
    user.current_unit = unit
    user.save(update_fields=["current_unit"])


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    units: list[Unit],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: Role = Role.REGISTRAR,
    must_change_password: bool = False,
) -> User:
    """A user who is a member of ``units`` with ``role`` at each, the first one current."""
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        must_change_password=must_change_password,
        one_time_password_expires=(
            timezone.now() + ONE_TIME_PASSWORD_LIFETIME if must_change_password else None
        ),
    )
    for unit in units:
        Membership.objects.create(user=user, unit=unit, role=role)
    if units:
        user.current_unit = units[0]
        user.save(update_fields=["current_unit"])
    return user


@transaction.atomic
def submit_application(*, actor: Actor, fields: dict[str, Any]) -> Application:
    """A pending application from the public "Ny bruker" form (``fields`` are its cleaned
    data). The audit row names the application only: the applicant is not a user yet."""
    application = Application.objects.create(**fields)
    log(actor=actor, action=Action.APPLY, target=f"application {application.pk}")
    return application


def _check_given_role(role: Role) -> None:
    """A role given by a coordinator's approval or a unit leader: never the coordinator's."""
    if role not in APPLICANT_ROLES:
        raise ValidationError(_("Choose the role of a registrar, unit leader or reporting user."))


def one_time_password() -> str:
    """A random password the user must replace at first login (16 characters, 96 bits)."""
    return secrets.token_urlsafe(12)


def local_time(moment: datetime) -> str:
    """A moment as a mail states it: the registry's local time, day first (31.12.2026 14:05),
    the same in either language."""
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _one_time_password_mail(*, user: User, password: str, login_url: str) -> str:
    """The paragraphs of a mail giving ``password``: the username and the password on lines
    of their own (a reader copies them), how long and how often it works, and what next."""
    return _(
        "Username: %(username)s\n"
        "One-time password: %(password)s\n\n"
        "The one-time password opens one login, within 72 hours (until %(expires)s). "
        "If it has expired, or was used before you could finish, ask the registry "
        "coordinator for a new one (reply to this e-mail).\n\n"
        "Log in at %(url)s. You will choose your own password and set up an "
        "authenticator app for the second factor."
    ) % {
        "username": user.username,
        "password": password,
        "expires": local_time(user.one_time_password_expires),  # type: ignore[arg-type]
        "url": login_url,
    }


def _unit_of(application: Application) -> Unit:
    """The unit applied for; a private practice the registry did not know is added now."""
    if application.unit is not None:
        return application.unit
    unit, _created = Unit.objects.get_or_create(
        resh_id=application.practice_resh_id,
        defaults={
            "name": application.practice_name,
            "health_trust": application.practice_name,
            "region": application.practice_region,
            "kind": UnitKind.PRIVATE,
        },
    )
    return unit


def _pending(application: Application) -> Application:
    """The application, locked, if it is still pending (two coordinators may open it)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    return locked


@transaction.atomic
def approve_application(
    *, actor: Actor, application: Application, role: Role, login_url: str
) -> User:
    """Approves an application: the unit (a new private practice is created), the user (the
    e-mail address is the username) with a one-time password they must change, and the mail
    that gives it to them.

    A person who already has an account gets a membership of the unit and a mail saying so;
    their password is left alone. The mail is queued inside the transaction (hsreg.jobs.mails):
    the approval and its mail are saved together, and the worker sends it, retrying while the
    mail server is down."""
    _check_given_role(role)
    application = _pending(application)
    unit = _unit_of(application)
    username = application.email.lower()
    user = User.objects.filter(username=username).first()
    if user is None:
        password = one_time_password()
        user = create_user(
            username=username,
            password=password,
            units=[unit],
            first_name=application.first_name,
            last_name=application.last_name,
            email=application.email,
            role=role,
            must_change_password=True,
        )
        body = (
            _("Your application for access to hsreg (HISREG) at %(unit)s has been approved.")
            % {"unit": unit.name}
            + "\n\n"
            + _one_time_password_mail(user=user, password=password, login_url=login_url)
        )
    else:
        Membership.objects.update_or_create(user=user, unit=unit, defaults={"role": role})
        body = _(
            "Your application for access to hsreg (HISREG) at %(unit)s has been approved. "
            "Log in at %(url)s with your username %(username)s and your own password, and "
            "choose the unit at the top of the page."
        ) % {"unit": unit.name, "username": username, "url": login_url}
    application.status = ApplicationStatus.APPROVED
    application.role = role
    application.unit = unit
    application.user = user
    application.decided_at = timezone.now()
    application.decided_by = actor.user
    application.save()
    log(
        actor=actor,
        action=Action.APPROVE,
        target=f"application {application.pk}",
        detail={"user_id": user.pk, "unit": unit.pk, "role": str(role)},
    )
    queue_mail(  # sent by the worker (hsreg.jobs.mails)
        _("hsreg: your access has been approved"),
        body,
        [application.email],
    )
    return user


@transaction.atomic
def reject_application(*, actor: Actor, application: Application, reason: str) -> Application:
    """Rejects an application and mails the reason to the applicant. The reason stays on the
    application, not in the audit log (it may name people)."""
    application = _pending(application)
    application.status = ApplicationStatus.REJECTED
    application.reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor.user
    application.save()
    log(actor=actor, action=Action.REJECT, target=f"application {application.pk}")
    queue_mail(  # sent by the worker (hsreg.jobs.mails)
        _("hsreg: your application for access"),
        _(
            "Your application for access to hsreg (HISREG) has been rejected.\n\n"
            "Reason: %(reason)s\n\nReply to this e-mail if you have questions."
        )
        % {"reason": reason},
        [application.email],
    )
    return application


@transaction.atomic
def change_password(*, actor: Actor, user: User, password: str) -> None:
    """Sets the user's own password (validated by the form) and ends the one-time one."""
    user.set_password(password)
    user.must_change_password = False
    user.one_time_password_expires = None
    user.one_time_password_used = None
    user.save(
        update_fields=[
            "password",
            "must_change_password",
            "one_time_password_expires",
            "one_time_password_used",
        ]
    )
    log(actor=actor, action=Action.PASSWORD_CHANGE, target="password")


def use_one_time_password(*, user: User) -> bool:
    """Marks the user's one-time password used by the login that it just opened, so it opens
    no other. False if another login took it first (two logins at the same moment): only one
    of them may go on. The password check has already refused an expired or used one; the
    conditional update settles the race between two checks that both passed."""
    if not user.must_change_password or user.one_time_password_expires is None:
        return True  # the user's own password: nothing to use up
    now = timezone.now()
    marked = User.objects.filter(
        pk=user.pk, must_change_password=True, one_time_password_used__isnull=True
    ).update(one_time_password_used=now)
    user.one_time_password_used = now
    return marked == 1


@transaction.atomic
def send_new_one_time_password(*, actor: Actor, application: Application, login_url: str) -> User:
    """A new one-time password for the user of an approved application who has not chosen
    their own password yet (theirs expired, or was used by a login that did not finish): the
    coordinator's way forward. The earlier one stops working at once (a new hash), and so do
    sessions it opened; the new one is mailed as at approval. The audit row names the user,
    never the password."""
    if actor.role != Role.COORDINATOR:
        raise PermissionDenied("only the registry coordinator sends one-time passwords")
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.APPROVED or application.user_id is None:
        raise ValidationError(_("Only the user of an approved application gets a password."))
    user = User.objects.select_for_update().get(pk=application.user_id)
    if not user.must_change_password:
        raise ValidationError(
            _("%(user)s has already chosen their own password: a one-time password is not needed.")
            % {"user": user.get_full_name() or user.username}
        )
    password = one_time_password()
    user.set_password(password)
    user.one_time_password_expires = timezone.now() + ONE_TIME_PASSWORD_LIFETIME
    user.one_time_password_used = None
    user.save(update_fields=["password", "one_time_password_expires", "one_time_password_used"])
    log(
        actor=actor,
        action=Action.NEW_PASSWORD,
        target=f"user {user.pk}",
        detail={
            "application": application.pk,
            "expires": user.one_time_password_expires.isoformat(),
        },
    )
    queue_mail(  # sent by the worker (hsreg.jobs.mails)
        _("hsreg: a new one-time password"),
        _("The registry coordinator has sent you a new one-time password for hsreg (HISREG).")
        + "\n\n"
        + _one_time_password_mail(user=user, password=password, login_url=login_url),
        [application.email],
    )
    return user


# --- the unit's users, managed by their unit leader (issue 4 point 2) ---------------------

# The roles a unit leader may give a member of their unit: the coordinator role is national
# and given by the registry's administrators, so a unit leader neither gives nor changes it.
MEMBER_ROLES = APPLICANT_ROLES


def _check_unit_leader(actor: Actor, membership: Membership) -> None:
    """Only the unit leader of the membership's unit changes it (the access table lets only
    unit leaders reach the page; this keeps the rule where the write is)."""
    if actor.role != Role.UNIT_LEADER or actor.unit is None or membership.unit_id != actor.unit.pk:
        raise PermissionDenied("only the unit's leader changes its memberships")
    if membership.role == Role.COORDINATOR:
        raise ValidationError(
            _("The registry coordinator's role is given by the registry, not by the unit.")
        )


@transaction.atomic
def change_member_role(*, actor: Actor, membership: Membership, role: Role) -> bool:
    """Gives a member of the actor's unit another role there. A unit always keeps a unit
    leader: the only one cannot step down (only they can be the one, since the actor is a
    unit leader). Returns whether anything changed; an unchanged role writes nothing."""
    _check_given_role(role)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_unit_leader(actor, membership)
    earlier = membership.role
    if earlier == role:
        return False
    if earlier == Role.UNIT_LEADER:
        leaders = Membership.objects.select_for_update().filter(
            unit_id=membership.unit_id, role=Role.UNIT_LEADER
        )
        if len(leaders) <= 1:
            raise ValidationError(
                _(
                    "You are the only unit leader of this unit, so you cannot give up the role. "
                    "Make another member unit leader first."
                )
            )
    membership.role = role
    membership.save(update_fields=["role"])
    log(
        actor=actor,
        action=Action.MEMBERSHIP,
        target=f"user {membership.user_id}",
        detail={"unit": membership.unit_id, "role": str(role), "earlier_role": str(earlier)},
    )
    return True


@transaction.atomic
def end_membership(*, actor: Actor, membership: Membership) -> None:
    """Ends a user's membership of the actor's unit: the user stays (with their other units
    and their history in the audit log) but no longer reaches this unit. If it was their
    current unit, they choose another at their next page. A unit leader cannot remove
    themselves, so a unit is never left without the leader who was managing it."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    _check_unit_leader(actor, membership)
    if membership.user_id == actor.user.pk:
        raise ValidationError(
            _(
                "You cannot end your own membership of the unit. Ask another unit leader or "
                "the registry coordinator."
            )
        )
    user = membership.user
    membership.delete()
    if user.current_unit_id == membership.unit_id:
        user.current_unit = None
        user.save(update_fields=["current_unit"])
    log(
        actor=actor,
        action=Action.MEMBERSHIP,
        target=f"user {membership.user_id}",
        detail={
            "unit": membership.unit_id,
            "ended": True,
            "earlier_role": str(membership.role),
            "since": membership.since.isoformat(),
        },
    )
