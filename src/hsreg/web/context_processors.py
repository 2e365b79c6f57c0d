"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hsreg.accounts.selectors import user_units


def units(request: HttpRequest) -> dict[str, Any]:
    """The user's units for the unit picker (one query, only when logged in with both factors).
    Error pages can be rendered before the authentication middleware ran (a bad Host header):
    no user then."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_verified", bool)():
        return {}  # no unit picker before the second factor
    return {"user_units": user_units(user=user)}
