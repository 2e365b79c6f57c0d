"""Calendar arithmetic the rules need: calendar months, ages and days of a course."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months; a day past the month's end becomes its last day.

    31 January + 1 month is 28 (or 29) February; 29 February + 12 months is 28 February.
    Used wherever RULES.md says "calendar months" (LM-1, VA-3 Reading).
    """
    years, month_index = divmod(start.month - 1 + months, 12)
    year = start.year + years
    month = month_index + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def age_in_years(birth_date: date, on: date) -> int:
    """Completed years of age on ``on`` (one born on 29 February turns a year older on 1 March)."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def course_day(start: date, on: date) -> int:
    """Day of a treatment course: the start date is day 0, so day 77 is the first day of week 11."""
    return (on - start).days
