"""Puts ``request.actor`` (accounts.actor.Actor) on every request: the user, their current
unit and their role there, and an id for the request that the audit log and the response's
``X-Request-ID`` header share.

A unit is current only while the user is a member of it; selectors take the unit from the
actor and nowhere else."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .actor import actor_for


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = actor_for(request.user, request_id=uuid.uuid4().hex)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.actor.request_id  # type: ignore[attr-defined]
        return response
