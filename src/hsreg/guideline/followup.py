"""HISREG's follow-up windows: when a control after a treatment counts as the 3- or 6-month one.

The registry judges medical treatment at the 3-month control, done 2.5-5.5 months after the
intervention, and surgical or combined treatment at the 6-month control, done 5-8 months after
it (HISREG user manual; the quality indicators of RG-1 use the same windows). A month here is
an average calendar month, 365.25 / 12 days, so the windows do not depend on which months they
cross; the bounds are compared in exact fractions.
"""

from __future__ import annotations

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


def months_between(start: date, end: date) -> Fraction:
    """Average calendar months from ``start`` to ``end``."""
    return Fraction((end - start).days) / MONTH_DAYS


def in_window(kind: FollowupKind, intervention: date, control: date) -> bool:
    """True when ``control`` lies within the follow-up window of ``kind`` (bounds inclusive)."""
    w = window(kind, intervention)
    return w.opens <= control <= w.closes


def window_days(kind: FollowupKind) -> tuple[int, int]:
    """The first and last day after the intervention on which a control is the 3- or 6-month
    follow-up of ``kind``: the bounds of ``window`` as day counts, for database queries."""
    _months, low, high = WINDOW_MONTHS[kind]
    return ceil(low * MONTH_DAYS), floor(high * MONTH_DAYS)
