"""Reads about users and their units."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hsreg.units.models import Unit


def current_unit(user: Any) -> Unit | None:
    """The unit the user works in now: their chosen one if they are still a member of it,
    otherwise their only unit, otherwise none (they must choose)."""
    if not user.is_authenticated:
        return None
    if user.current_unit_id is not None:
        # the unit and the membership in one query
        unit = user_units(user=user).filter(pk=user.current_unit_id).first()
        if unit is not None:
            return unit
    units = list(user_units(user=user)[:2])
    return units[0] if len(units) == 1 else None


def user_units(*, user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(memberships__user=user).order_by("name")
