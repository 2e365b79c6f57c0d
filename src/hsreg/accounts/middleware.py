"""Puts ``request.actor`` (accounts.actor.Actor) on every request: the user, their current
unit and their role there, and an id for the request that the audit log and the response's
``X-Request-ID`` header share.

A unit is current only while the user is a member of it; selectors take the unit from the
actor and nowhere else."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .actor import Actor
from .models import Role
from .selectors import current_membership


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request.user)
        request.actor = Actor(  # type: ignore[attr-defined]
            user=request.user,
            unit=membership.unit if membership else None,
            role=Role(membership.role) if membership else None,
            request_id=uuid.uuid4().hex,
        )
        response = self.get_response(request)
        response["X-Request-ID"] = request.actor.request_id  # type: ignore[attr-defined]
        return response
