"""Puts the user's current unit on the request as ``request.unit`` (None when there is none).

A unit is current only while the user is a member of it; selectors take the unit from here and
nowhere else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import current_unit


class CurrentUnitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.unit = current_unit(request.user)  # type: ignore[attr-defined]
        return self.get_response(request)
