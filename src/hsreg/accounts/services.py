"""Writes about users: the only place a user's unit memberships and current unit change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hsreg.units.models import Unit

from .models import Membership, User


def choose_unit(*, user: User, unit: Unit) -> None:
    """Makes ``unit`` the user's current unit; only a unit the user is a member of."""
    if not Membership.objects.filter(user=user, unit=unit).exists():
        raise PermissionDenied("not a member of this unit")
    user.current_unit = unit
    user.save(update_fields=["current_unit"])


@transaction.atomic
def create_user(
    *, username: str, password: str, units: list[Unit], first_name: str = "", last_name: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=password, first_name=first_name, last_name=last_name
    )
    for unit in units:
        Membership.objects.create(user=user, unit=unit)
    if units:
        user.current_unit = units[0]
        user.save(update_fields=["current_unit"])
    return user
