"""Reads of units for the coordinator's page: every unit with its number of members and of
enrolled patients, counted by the database in the same query as the units (a subquery per
count, not a query per row and not a join of members × patients)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from hsreg.accounts.models import Membership
from hsreg.patients.models import Enrolment

from .models import MAX_RESH_ID, Unit


def _count(model: type[Membership] | type[Enrolment]) -> Coalesce:
    rows = (
        model.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def units_overview(*, region: str = "") -> QuerySet[Unit]:
    """All units (or those of one health region) by name, each with ``member_count`` and
    ``patient_count``."""
    units = Unit.objects.annotate(member_count=_count(Membership), patient_count=_count(Enrolment))
    if region:
        units = units.filter(region=region)
    return units.order_by("name", "resh_id")


def get_unit(*, resh_id: int) -> Unit:
    """The unit, or 404 (also for a number no RESH id can be, which a URL may hold)."""
    if not 0 < resh_id <= MAX_RESH_ID:
        raise Http404("No such unit")
    return get_object_or_404(Unit, pk=resh_id)
