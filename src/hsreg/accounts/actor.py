"""Who is asking: the user, the unit they work in now, their role there and the request's id.

Every view receives it as ``request.actor`` (accounts.middleware.ActorMiddleware). Selectors and
services take it as their first argument, so the unit scoping and the audit log
(hsreg.audit) live where the data is read and written, not in each view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from hsreg.units.models import Unit

from .models import Role


@dataclass(frozen=True, slots=True)
class Actor:
    user: Any  # accounts.User or AnonymousUser
    unit: Unit | None
    role: Role | None
    request_id: str

    @property
    def is_clinical(self) -> bool:
        """May read and register identifiable patient data of ``unit``."""
        return self.unit is not None and self.role in (Role.REGISTRAR, Role.UNIT_LEADER)


def system_actor(*, request_id: str = "cli") -> Actor:
    """The actor of work done outside a request (the seeder, management commands)."""
    return Actor(user=AnonymousUser(), unit=None, role=None, request_id=request_id)
