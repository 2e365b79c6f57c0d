"""The unit's invitation figures: sent, answered, expired, locked, closed and still open,
per month (Oslo time) for the last MONTHS months and in total, each split into those sent
automatically (questionnaires.schedule) and by hand. Counted by the database in two queries,
whatever the number of invitations.

The answer rate is answered / the invitations no longer open (an open link may still be
answered, so counting it would lower the rate of the latest month for no reason)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hsreg.units.models import Unit

from .models import WAITING, Invitation, Purpose, open_links

OSLO = ZoneInfo("Europe/Oslo")
MONTHS = 12
STATES = ("answered", "expired", "locked", "closed", "open")


@dataclass
class Counts:
    sent: int = 0
    answered: int = 0
    expired: int = 0
    locked: int = 0
    closed: int = 0
    open: int = 0

    def add(self, other: Counts) -> None:
        for name in ("sent", *STATES):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def finished(self) -> int:
        """The invitations no longer open."""
        return self.sent - self.open

    @property
    def answer_rate(self) -> float | None:
        """answered / no longer open, 0-100; None when none is finished yet."""
        return 100 * self.answered / self.finished if self.finished else None


@dataclass
class Row:
    """One month (or the total): all invitations, and split by automatic / by hand."""

    month: date | None
    all: Counts = field(default_factory=Counts)
    automatic: Counts = field(default_factory=Counts)
    by_hand: Counts = field(default_factory=Counts)

    def add(self, counts: Counts, *, automatic: bool) -> None:
        self.all.add(counts)
        (self.automatic if automatic else self.by_hand).add(counts)


def _counted(rows: QuerySet[Invitation], now: datetime) -> QuerySet[Invitation]:
    return rows.annotate(
        sent=Count("pk"),
        answered=Count("pk", filter=~Q(answered_at=None)),
        locked=Count("pk", filter=Q(answered_at=None) & ~Q(locked_at=None)),
        closed=Count("pk", filter=Q(answered_at=None, locked_at=None) & ~Q(closed_at=None)),
        expired=Count("pk", filter=WAITING & Q(expires_at__lte=now)),
        open=Count("pk", filter=open_links(now)),
    )


def _counts(values: dict[str, int]) -> Counts:
    return Counts(**{name: values[name] for name in ("sent", *STATES)})


def first_month(now: datetime) -> date:
    """The first day of the earliest month shown (MONTHS months up to this one, Oslo time)."""
    today = now.astimezone(OSLO).date()
    months = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return date(months // 12, months % 12 + 1, 1)


def unit_figures(*, unit: Unit, now: datetime | None = None) -> tuple[list[Row], Row]:
    """The unit's questionnaire invitations per month, newest month first (every one of the
    last MONTHS months, zeros included), and in total (all time)."""
    now = now or timezone.now()
    start = first_month(now)
    invitations = Invitation.objects.filter(unit=unit, purpose=Purpose.QUESTIONNAIRE).order_by()
    since = datetime.combine(start, datetime.min.time(), tzinfo=OSLO)
    monthly = _counted(
        invitations.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=OSLO))
        .values("month", "automatic"),
        now,
    )
    rows: dict[date, Row] = {}
    month = start
    for _ in range(MONTHS):
        rows[month] = Row(month=month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for values in monthly:
        key = values["month"]
        key = key.astimezone(OSLO).date() if isinstance(key, datetime) else key
        rows[key.replace(day=1)].add(_counts(values), automatic=values["automatic"])
    total = Row(month=None)
    for values in _counted(invitations.values("automatic"), now):
        total.add(_counts(values), automatic=values["automatic"])
    return sorted(rows.values(), key=lambda row: row.month or start, reverse=True), total
