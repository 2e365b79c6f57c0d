"""Reads about users and their units."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hsreg.units.models import Unit

from .models import Application, ApplicationStatus, Membership


def current_membership(user: Any) -> Membership | None:
    """The membership the user works in now: of their chosen unit if they are still a member
    of it, otherwise their only one, otherwise none (they must choose). One query, with the
    unit."""
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user).select_related("unit")
    if user.current_unit_id is not None:
        chosen = memberships.filter(unit_id=user.current_unit_id).first()
        if chosen is not None:
            return chosen
    only = list(memberships[:2])
    return only[0] if len(only) == 1 else None


def user_units(*, user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(memberships__user=user).order_by("name")


# --- the unit's users, as their unit leader sees them ------------------------------------

MAX_ID = 2**63 - 1  # the largest user id a bigint primary key holds (a URL may say more)


def unit_members(*, unit: Unit) -> QuerySet[Membership]:
    """The memberships of ``unit`` with their users, in one query, by name. Only this unit's:
    a unit leader sees nobody else."""
    return (
        Membership.objects.filter(unit=unit)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def unit_member(*, unit: Unit | None, user_id: int) -> Membership:
    """The membership of user ``user_id`` at ``unit``, or 404: a member of another unit is
    "not found", never "forbidden", so user ids cannot be probed."""
    if unit is None or not 0 < user_id <= MAX_ID:
        raise Http404("No such member of this unit")
    membership = unit_members(unit=unit).filter(user_id=user_id).first()
    if membership is None:
        raise Http404("No such member of this unit")
    return membership


# --- the coordinator's applications --------------------------------------------------------


def awaiting_first_login() -> QuerySet[Application]:
    """Approved applications whose user has not yet chosen their own password (their
    one-time password is still pending, expired or used by a login that did not finish),
    newest decision first, with the user and the unit (one query)."""
    return (
        Application.objects.filter(
            status=ApplicationStatus.APPROVED, user__must_change_password=True
        )
        .select_related("user", "unit")
        .order_by("-decided_at", "-id")
    )
