"""The registry coordinator's page of units ("Enheter", RG-2, issue 4 point 2): every unit
with its members and enrolled patients, filtered by health region; a new unit; an edit of
one. Thin: units.selectors reads, units.services writes and audits. Only coordinators reach
these views (accounts.access.ACCESS)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .forms import RegionFilterForm, UnitCreateForm, UnitEditForm
from .selectors import get_unit, units_overview
from .services import change_unit, create_unit


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    regions = RegionFilterForm(request.GET or None)
    region = regions.cleaned_data["region"] if regions.is_valid() else ""
    units = list(units_overview(region=region))
    return render(
        request,
        "units/index.html",
        {
            "regions": regions,
            "region": region,
            "units": units,
            "members": sum(u.member_count for u in units),
            "patients": sum(u.patient_count for u in units),
        },
        status=400 if regions.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = create_unit(actor=request.actor, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit %(unit)s is added.") % {"unit": unit})
            return redirect("units:index")
    return render(
        request,
        "units/form.html",
        {"form": form, "unit": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, resh_id: int) -> HttpResponse:
    unit = get_unit(resh_id=resh_id)
    name = unit.name  # the form's validation writes the typed values onto ``unit``
    form = UnitEditForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        changed = change_unit(actor=request.actor, unit=unit, **form.cleaned_data)  # type: ignore[attr-defined]
        if changed:
            messages.success(request, _("The unit %(unit)s is saved.") % {"unit": unit})
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("units:index")
    return render(
        request,
        "units/form.html",
        {"form": form, "unit": unit, "name": name},
        status=400 if form.errors else 200,
    )
