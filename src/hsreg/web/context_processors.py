"""Template context every page needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hsreg.accounts.selectors import user_units


def units(request: HttpRequest) -> dict[str, Any]:
    """The user's units for the unit picker (one query, only when logged in)."""
    if not request.user.is_authenticated:
        return {}
    return {"user_units": user_units(user=request.user)}
