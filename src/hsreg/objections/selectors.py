"""Reads about objections: whether a number has one, and the list the coordinator sees."""

from __future__ import annotations

from django.db.models import QuerySet

from .fingerprint import fingerprints
from .models import Objection


def objection_for(*, number: str) -> Objection | None:
    """The objection recorded for a validated 11-digit number, if any (under any key in use)."""
    return Objection.objects.filter(fingerprint__in=fingerprints(number)).first()


def recent_objections(*, limit: int = 50) -> QuerySet[Objection]:
    return Objection.objects.all()[:limit]
