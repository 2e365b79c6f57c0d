"""HISREG's follow-up windows: when a control after a treatment counts as the 3- or 6-month one.

The registry judges medical treatment at the 3-month control, done 2.5-5.5 months after the
intervention, and surgical or combined treatment at the 6-month control, done 5-8 months after
it (HISREG user manual). For the worklists and the questionnaires' schedule a month is an
average calendar month, 365.25 / 12 days, so the windows do not depend on which months they
cross (``window``, ``window_days``).

The quality indicators (RG-1: hisreg_kontr_3mnd_med, hisreg_kontr_6mnd_kir) count months as
HISREG's R code does (``inst/hisregIndikatorer_2022.R``: ``lubridate::time_length(
lubridate::interval(HovedDato, c_date), unit = "month")``), with strict bounds
(2.5 < months < 5.5, 5 < months < 8): ``months_between``, ``in_indicator_window`` and
``indicator_window_closes``. All of it in exact fractions.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import ceil, floor
from typing import Literal

MONTH_DAYS = Fraction(36525, 1200)  # 365.25 / 12

FollowupKind = Literal["medical", "surgical"]


@dataclass(frozen=True, slots=True)
class Window:
    """The control that counts: ``months`` after the intervention, done from ``opens`` to
    ``closes`` (both inclusive)."""

    kind: FollowupKind
    months: int
    opens: date
    closes: date


WINDOW_MONTHS: dict[FollowupKind, tuple[int, Fraction, Fraction]] = {
    "medical": (3, Fraction(5, 2), Fraction(11, 2)),
    "surgical": (6, Fraction(5), Fraction(8)),
}


def followup_kind(*, surgical: bool) -> FollowupKind:
    """Surgical and combined interventions are followed up at 6 months, medical at 3."""
    return "surgical" if surgical else "medical"


def window(kind: FollowupKind, intervention: date) -> Window:
    """The dates on which a control after ``intervention`` is the 3- or 6-month follow-up."""
    months = WINDOW_MONTHS[kind][0]
    first_day, last_day = window_days(kind)
    return Window(
        kind,
        months,
        intervention + timedelta(days=first_day),
        intervention + timedelta(days=last_day),
    )


def average_months(start: date, end: date) -> Fraction:
    """Average calendar months (365.25 / 12 days) from ``start`` to ``end``: the months of
    ``window``."""
    return Fraction((end - start).days) / MONTH_DAYS


def add_months(start: date, months: int) -> date:
    """``start`` plus whole ``months`` as lubridate's ``add_with_rollback(start, months(n),
    roll_to_first = TRUE)`` (R/ops-m+.r): a day that the month does not have (31 January plus
    one month) rolls to the first day of the month after (1 March)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, start.day)
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def months_between(start: date, end: date) -> Fraction:
    """Months from ``start`` to ``end`` exactly as lubridate's ``time_length(interval(start,
    end), "month")`` (R/intervals.r) computes them: the whole months of the interval (calendar
    months, one less when ``end``'s day of the month is before ``start``'s: R/coercion.r
    ``.int_to_period``), then the remaining days as a fraction of the month that follows,
    both anniversaries found by ``add_months``. So 31 January to 15 March is 1 + 14/30 (the
    month from 1 March to 31 March), 15 January to 1 April is 2 + 17/31.

    For ``end`` before ``start`` it is minus the months from ``end`` to ``start`` (lubridate
    counts a negative interval from its start backwards; the indicators never ask)."""
    if end < start:
        return -months_between(end, start)
    whole = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    previous, following = add_months(start, whole), add_months(start, whole + 1)
    return whole + Fraction((end - previous).days, (following - previous).days)


#: the indicators' windows in lubridate months, both bounds excluded (hisregIndikatorer_2022.R)
INDICATOR_WINDOWS: dict[FollowupKind, tuple[Fraction, Fraction]] = {
    "medical": (Fraction(5, 2), Fraction(11, 2)),
    "surgical": (Fraction(5), Fraction(8)),
}


def in_indicator_window(kind: FollowupKind, intervention: date, control: date) -> bool:
    """True when the doctor's ``control`` lies strictly inside the indicator's window of
    ``kind`` (R: ``tid_beh_oppf > 2.5 & tid_beh_oppf < 5.5``; ``> 5 & < 8``)."""
    low, high = INDICATOR_WINDOWS[kind]
    return low < months_between(intervention, control) < high


def indicator_window_closes(kind: FollowupKind, intervention: date) -> date:
    """The last day on which a control still lies inside the indicator's window of ``kind``:
    the window has closed on any later report date. ``months_between`` grows with the end
    date, so this is the day before the first day at ``high`` months or more."""
    _low, high = INDICATOR_WINDOWS[kind]
    day = intervention + timedelta(days=int(high * 28) - 1)  # no month is shorter than 28 days
    while months_between(intervention, day + timedelta(days=1)) < high:
        day += timedelta(days=1)
    return day


def in_window(kind: FollowupKind, intervention: date, control: date) -> bool:
    """True when ``control`` lies within the follow-up window of ``kind`` (bounds inclusive)."""
    w = window(kind, intervention)
    return w.opens <= control <= w.closes


def window_days(kind: FollowupKind) -> tuple[int, int]:
    """The first and last day after the intervention on which a control is the 3- or 6-month
    follow-up of ``kind``: the bounds of ``window`` as day counts, for database queries."""
    _months, low, high = WINDOW_MONTHS[kind]
    return ceil(low * MONTH_DAYS), floor(high * MONTH_DAYS)
