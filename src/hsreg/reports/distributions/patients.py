"""HISREG's Figur 2: the units' share of the year's unique patients, beside Figur 1 (the units'
share of the episodes, counts._unit_distribution)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .common import Category, Distribution, _interventions, _scope
from .filters import NO_FILTERS, Filters


def unit_patients(*, year: int, as_of: date, filters: Filters = NO_FILTERS) -> Distribution:
    """Each patient of the year once, at the unit of their latest episode of the year (among
    the chosen ones): R ``hisregPrepVar(valgtVar='UnikePasienter')`` orders RegData by
    HovedDato, latest first, and keeps each PasientID's first row, so a patient treated at two
    units counts at the later one. Ties on one day go to the highest intervention id (R keeps
    the row order of its merge there, which has no meaning). One aggregate query.

    The counts are per unit: counts.distributions hides those of 1-4 (protect.distribution)."""
    chosen = filters.narrow(_interventions(first=year, last=year, as_of=as_of, unit=None))
    later = chosen.filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")),
        patient=OuterRef("patient"),
    )
    rows = (
        chosen.filter(~Exists(later))
        .values("unit_id", "unit__name")
        .order_by()
        .annotate(n=Count("patient", distinct=True))
    )
    categories = sorted(
        (Category(r["unit__name"], r["n"], r["unit_id"]) for r in rows),
        key=lambda c: (-(c.n or 0), c.label),
    )
    return Distribution(
        "unit_patients",
        _("Unique patients registered by the participating units"),
        categories,
        sum(c.n or 0 for c in categories),
        _scope(None),
    )
