"""Choosing the current unit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .selectors import user_units
from .services import choose_unit


@login_required
@require_POST
def choose_unit_view(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("unit", "")
    unit = user_units(user=request.user).filter(pk=int(value)).first() if value.isdigit() else None
    if unit is None:
        raise Http404("Not one of your units")
    choose_unit(user=request.user, unit=unit)  # type: ignore[arg-type]
    return redirect("web:home")
