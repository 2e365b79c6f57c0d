"""``{% regimen_calendar regimen start as calendar %}``: the evaluation's ``biologic_regimen``
in dates from the course start (treatments.regimen_calendar), for
treatments/_regimen_calendar.html."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from hsreg.treatments.regimen_calendar import dated_calendar

register = template.Library()


@register.simple_tag
def regimen_calendar(regimen: Any, start: date | str | None = None) -> dict[str, Any] | None:
    """The dated calendar; the start defaults to the regimen's own (its course's start)."""
    if not regimen:
        return None
    return dated_calendar(regimen, start or regimen.get("start"))
