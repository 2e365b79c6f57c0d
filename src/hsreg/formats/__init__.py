"""hsreg's date formats per language (formats/nb, formats/en; settings.FORMAT_MODULE_PATH), and
``show_date`` for dates written into text by Python: one format per language everywhere
(issue 12), never ``isoformat()`` in what a user reads."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def show_date(day: date) -> str:
    """``day`` as the active language writes dates (nb 06.12.2026, en 2026-12-06)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def show_moment(moment: datetime) -> str:
    """A moment, in local time, as the active language writes it (nb 06.12.2026 14:05)."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
