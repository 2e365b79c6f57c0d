"""The quality indicators, counted in the database and laid out per unit, health trust, health
region or nation, by year, with suppression and exact confidence intervals.

``unit_tallies`` is the only place that touches the database: two aggregate queries (the
episodes, the medical histories) grouped by unit and year. Every other level is a sum of the
units' tallies, done here in Python on a few hundred numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from hsreg.assessments.models import MedicalHistory
from hsreg.records.models import Status
from hsreg.units.models import HealthRegion, Unit

from . import suppression
from .coverage import coverage_by_unit
from .definitions import INDICATORS, Indicator
from .episodes import episode_rows
from .stats import share_interval

Level = Literal["unit", "trust", "region", "nation"]
LEVELS: tuple[Level, ...] = ("unit", "trust", "region", "nation")
YEARS_SHOWN = 3
#: the earliest report year (and NPR count year) the registry accepts
FIRST_YEAR = 2000
NATION = gettext_lazy("National")
REST = gettext_lazy("Rest of the country")


@dataclass(frozen=True, slots=True)
class Tally:
    numerator: int = 0
    denominator: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.numerator + other.numerator, self.denominator + other.denominator)

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.numerator - other.numerator, self.denominator - other.denominator)


#: (indicator id, RESH id, year) -> tally
Tallies = dict[tuple[str, int, int], Tally]


def default_year(today: date) -> int:
    """The report year when none is chosen: the last whole year. The current year's episodes
    have not had their 3- and 6-month controls yet, and early in a year its column would be
    all "N<5" and hide the units' earlier years with it."""
    return today.year - 1


def report_years(year: int) -> list[int]:
    """The years a report of ``year`` shows: it and the two before."""
    return list(range(year - YEARS_SHOWN + 1, year + 1))


def unit_tallies(
    *, years: Sequence[int], as_of: date, indicators: Iterable[Indicator] = INDICATORS
) -> Tallies:
    """Numerator and denominator of every indicator per unit and year, from two aggregate
    queries."""
    chosen = list(indicators)
    span = (min(years), max(years))
    tallies: Tallies = {}

    def counts(indicator: Indicator) -> dict[str, Count]:
        return {
            f"{indicator.id}__n": Count("id", filter=indicator.denominator),
            f"{indicator.id}__k": Count("id", filter=indicator.denominator & indicator.numerator),
        }

    def collect(rows: Iterable[dict[str, int]], of: list[Indicator]) -> None:
        for row in rows:
            for indicator in of:
                n = row[f"{indicator.id}__n"]
                if n:
                    key = (indicator.id, row["unit_id"], row["year"])
                    tallies[key] = Tally(row[f"{indicator.id}__k"], n)

    episodic = [i for i in chosen if i.source == "episode"]
    if episodic:
        rows = (
            episode_rows(as_of=as_of, years=span)
            .values("unit_id", "year")
            .order_by()
            .annotate(**{k: v for i in episodic for k, v in counts(i).items()})
        )
        collect(rows, episodic)
    per_patient = [i for i in chosen if i.source == "patient"]
    if per_patient:
        histories = (
            MedicalHistory.objects.filter(status=Status.FINISHED, date__lte=as_of)
            .annotate(year=ExtractYear("date"))
            .filter(year__gte=span[0], year__lte=span[1])
            .values("unit_id", "year")
            .order_by()
            .annotate(**{k: v for i in per_patient for k, v in counts(i).items()})
        )
        collect(histories, per_patient)
    return tallies


@dataclass(frozen=True, slots=True)
class Cell:
    """One share as published: its counts, and either its figures or why they are hidden."""

    numerator: int
    denominator: int
    percent: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    level: str | None = None  # "high", "moderate", "low" against the indicator's levels
    hidden: str | None = None  # "N<5", "N<10", or "" when hidden with its row or as a complement
    #: hidden so that another hidden cell cannot be derived from a total (suppression.complementary)
    secondary: bool = False

    @property
    def shown(self) -> bool:
        return self.hidden is None and self.percent is not None


@dataclass(slots=True)
class Row:
    key: str  # RESH id, trust name, region code, "nation" or "rest"
    name: str | Promise
    level: Level
    cells: dict[int, Cell] = field(default_factory=dict)
    low_coverage: bool = False


@dataclass(slots=True)
class IndicatorTable:
    indicator: Indicator
    years: list[int]
    level: Level
    rows: list[Row]

    @property
    def latest(self) -> int:
        return self.years[-1]


def cell(indicator: Indicator, tally: Tally) -> Cell:
    """The published form of one tally: suppressed below the indicator's minimum, otherwise the
    share in per cent with its exact interval and level."""
    if tally.denominator == 0:
        return Cell(0, 0, hidden=suppression.small_label(indicator.min_denominator))
    if suppression.too_few(tally.denominator, indicator.min_denominator):
        return Cell(
            tally.numerator,
            tally.denominator,
            hidden=suppression.small_label(indicator.min_denominator),
        )
    percent = 100 * tally.numerator / tally.denominator
    low, high = share_interval(tally.numerator, tally.denominator)
    return Cell(
        tally.numerator,
        tally.denominator,
        percent=percent,
        ci_low=low,
        ci_high=high,
        level=indicator.level(percent),
    )


#: a published cell's place: its level and key (RESH id, trust name, region code, "nation")
Place = tuple[Level, str]


def _place(unit: Unit, level: Level) -> Place:
    return level, _group_key(unit, level)[0]


def published_sums(units: Sequence[Unit]) -> list[tuple[Place, list[Place]]]:
    """Every sum the reports publish, as (total, members): a health trust of its units, a
    region of its units and of its trusts (those wholly in it), the nation of its regions,
    trusts and units. The pages show each level, the open results units, regions and the
    nation, so all of them are published together."""
    members: dict[Place, dict[Level, set[Place]]] = defaultdict(lambda: defaultdict(set))
    trust_regions: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        trust, region = _place(unit, "trust"), _place(unit, "region")
        trust_regions[trust[1]].add(region[1])
        members[trust]["unit"].add(_place(unit, "unit"))
        members[region]["unit"].add(_place(unit, "unit"))
        members[("nation", "nation")]["unit"].add(_place(unit, "unit"))
        members[("nation", "nation")]["trust"].add(trust)
        members[("nation", "nation")]["region"].add(region)
    for trust, regions in trust_regions.items():
        if len(regions) == 1:
            members[("region", next(iter(regions)))]["trust"].add(("trust", trust))
    return [
        (total, sorted(parts))
        for total, by_level in sorted(members.items())
        for parts in by_level.values()
    ]


def hidden_places(
    indicator: Indicator, tallies: Tallies, *, years: list[int], units: Sequence[Unit]
) -> dict[int, frozenset[Place]]:
    """Per year, every cell of ``indicator`` hidden at any level: the cells too small (and a
    unit's earlier years when its latest is, build_row), and the complements that keep them
    from being derived from the published sums (suppression.complementary). Every table and
    export of the indicator hides the same cells, so no two of them together give one away.
    Each unit's leader knows their unit's counts (the unit's CSV, and their patients in the
    registry), so the complements also hold with any one unit's cell known (``readers``).
    A trust or region of that unit alone equals its cell; it is not added to what the leader
    knows, as every total also sums its units, and what such a cell gives away (a sum of
    hidden units) the units' group of the same total gives already without exposing a unit."""
    sums = published_sums(units)
    by_place: dict[int, dict[Place, Tally]] = {y: defaultdict(Tally) for y in years}
    for unit in units:
        for year in years:
            tally = tallies.get((indicator.id, unit.resh_id, year))
            if tally is None:
                continue
            for level in LEVELS:
                by_place[year][_place(unit, level)] += tally
    primary: dict[int, set[Place]] = {y: set() for y in years}
    minimum, latest = indicator.min_denominator, years[-1]
    for year in years:
        for place, tally in by_place[year].items():
            small = suppression.too_few(tally.denominator, minimum)
            if place[0] == "unit":  # a unit's row goes with its latest year (build_row)
                latest_n = by_place[latest].get(place, Tally()).denominator
                small = small or suppression.hide_row(latest_n, minimum)
            if small:
                primary[year].add(place)
    return {
        year: suppression.complementary(
            sizes={p: t.denominator for p, t in by_place[year].items()},
            hidden=primary[year],
            groups=sums,
            readers=[{_place(unit, "unit")} for unit in units],
        )
        for year in years
    }


def hide_places(row: Row, place: Place, hidden: dict[int, frozenset[Place]]) -> Row:
    """``row`` with every cell of ``hidden`` at ``place`` hidden as a complement (no counts
    published, no share), the cells hidden already left as they are."""
    for year, c in list(row.cells.items()):
        if c.hidden is None and place in hidden.get(year, frozenset()):
            row.cells[year] = Cell(c.numerator, c.denominator, hidden="", secondary=True)
    return row


def _group_key(unit: Unit, level: Level) -> tuple[str, str | Promise]:
    if level == "unit":
        return str(unit.resh_id), unit.name
    if level == "trust":
        return unit.health_trust, unit.health_trust
    if level == "region":
        return unit.region, HealthRegion(unit.region).label
    return "nation", NATION


def build_row(
    indicator: Indicator,
    place: tuple[str, str | Promise, Level],
    *,
    years: list[int],
    tallies: dict[int, Tally],
) -> Row:
    """A row of cells, hidden as a whole when its latest year is suppressed (unit rows)."""
    key, name, level = place
    row = Row(key, name, level)
    latest = tallies.get(years[-1], Tally())
    hide_all = level == "unit" and suppression.hide_row(
        latest.denominator, indicator.min_denominator
    )
    for year in years:
        tally = tallies.get(year, Tally())
        c = cell(indicator, tally)
        if hide_all and c.hidden is None:
            c = Cell(c.numerator, c.denominator, hidden="")
        row.cells[year] = c
    return row


def indicator_table(
    indicator: Indicator,
    tallies: Tallies,
    *,
    years: list[int],
    level: Level,
    units: Sequence[Unit],
    low_coverage: frozenset[int] = frozenset(),
) -> IndicatorTable:
    """One indicator's rows at ``level`` (units, trusts, regions or the nation), the nation
    last, rows ordered by the latest year's share (best first)."""
    groups: dict[tuple[str, str | Promise], dict[int, Tally]] = defaultdict(
        lambda: defaultdict(Tally)
    )
    flagged: set[tuple[str, str | Promise]] = set()
    nation: dict[int, Tally] = defaultdict(Tally)
    for unit in units:
        key = _group_key(unit, level)
        for year in years:
            tally = tallies.get((indicator.id, unit.resh_id, year))
            if tally is not None:
                groups[key][year] += tally
                nation[year] += tally
        if unit.resh_id in low_coverage and level == "unit":
            flagged.add(key)
    hidden = hidden_places(indicator, tallies, years=years, units=units)
    rows: list[Row] = []
    if level != "nation":
        for (key, name), by_year in groups.items():
            row = build_row(indicator, (key, name, level), years=years, tallies=by_year)
            hide_places(row, (level, key), hidden)
            row.low_coverage = (key, name) in flagged
            rows.append(row)
        rows.sort(key=lambda r: _sort_key(indicator, r, years[-1]))
    national = build_row(indicator, ("nation", NATION, "nation"), years=years, tallies=nation)
    rows.append(hide_places(national, ("nation", "nation"), hidden))
    return IndicatorTable(indicator, years, level, rows)


def _sort_key(indicator: Indicator, row: Row, year: int) -> tuple[int, float, str]:
    c = row.cells[year]
    if not c.shown or c.percent is None:
        return (1, 0.0, row.name)
    return (0, c.percent if indicator.lower_is_better else -c.percent, row.name)


def own_unit_versus_rest(
    indicator: Indicator, tallies: Tallies, *, unit: Unit, units: Sequence[Unit], years: list[int]
) -> list[Row]:
    """The unit's row beside the rest of the country (every other unit together).

    The unit's cells are hidden as in every table (hidden_places); the rest of the country is
    the nation minus the unit, so its cell is hidden too whenever the unit's (with anyone in
    it) or the nation's is: a shown rest beside the published nation would give either."""
    own = {y: tallies.get((indicator.id, unit.resh_id, y), Tally()) for y in years}
    rest: dict[int, Tally] = defaultdict(Tally)
    for other in units:
        if other.resh_id == unit.resh_id:
            continue
        for y in years:
            rest[y] += tallies.get((indicator.id, other.resh_id, y), Tally())
    hidden = hidden_places(indicator, tallies, years=years, units=units)
    place: Place = ("unit", str(unit.resh_id))
    own_row = build_row(indicator, (place[1], unit.name, "unit"), years=years, tallies=own)
    hide_places(own_row, place, hidden)
    rest_row = build_row(indicator, ("rest", REST, "nation"), years=years, tallies=rest)
    for y in years:
        mine, nation = own_row.cells[y], ("nation", "nation") in hidden[y]
        if (nation or (not mine.shown and mine.denominator > 0)) and rest_row.cells[y].shown:
            c = rest_row.cells[y]
            rest_row.cells[y] = Cell(c.numerator, c.denominator, hidden="", secondary=True)
    return [own_row, rest_row]


def indicator_tables(
    *,
    year: int,
    as_of: date,
    level: Level = "unit",
    indicators: Iterable[Indicator] = INDICATORS,
) -> list[IndicatorTable]:
    """Every indicator at ``level`` for ``year`` and the two years before: the national report."""
    chosen = list(indicators)
    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of, indicators=chosen)
    coverage = coverage_by_unit(years=[year])
    low = frozenset(
        resh
        for (resh, y), c in coverage.items()
        if y == year and suppression.low_coverage(c.percent)
    )
    return [
        indicator_table(i, tallies, years=years, level=level, units=units, low_coverage=low)
        for i in chosen
    ]
