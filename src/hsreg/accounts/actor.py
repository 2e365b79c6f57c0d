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
from .selectors import current_membership


@dataclass(frozen=True, slots=True)
class Actor:
    user: Any  # accounts.User or AnonymousUser
    unit: Unit | None
    role: Role | None
    request_id: str

    @property
    def is_clinical(self) -> bool:
        """May read and register identifiable patient data of ``unit``."""
        return self.clinical_unit is not None

    @property
    def clinical_unit(self) -> Unit | None:
        """The unit whose patients the actor may see, if their role there shows patients."""
        return self.unit if self.role in (Role.REGISTRAR, Role.UNIT_LEADER) else None

    @property
    def known_user(self) -> Any:
        """The user to name as the author of a write or a log row; None for hsreg itself (the
        seeder, management commands) or someone not logged in."""
        return self.user if getattr(self.user, "is_authenticated", False) else None


def actor_for(user: Any, *, request_id: str) -> Actor:
    """``user`` working in their current membership (accounts.selectors.current_membership):
    its unit and role, or none when they have no current unit."""
    membership = current_membership(user)
    return Actor(
        user=user,
        unit=membership.unit if membership else None,
        role=Role(membership.role) if membership else None,
        request_id=request_id,
    )


def system_actor(*, request_id: str = "cli") -> Actor:
    """The actor of work done outside a request (the seeder, management commands)."""
    return Actor(user=AnonymousUser(), unit=None, role=None, request_id=request_id)
