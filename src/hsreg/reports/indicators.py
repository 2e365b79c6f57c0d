"""The quality indicators, counted in the database and laid out per unit, health trust, health
region or nation, by year, with suppression and exact confidence intervals.

``unit_tallies`` is the only place that touches the database: one aggregate query over the
complete episodes (reports.episodes, D1 of issue 16) grouped by unit and year. Every other
level is a sum of the units' tallies, done here in Python on a few hundred numbers.

Suppression as HISREG's R code does it (``hisregIndikator``: ``andeler[N[, last] < terskel,
2:3] <- NA``, every row including "Nasjonalt"): a row whose latest year is suppressed has its
earlier years hidden too, on every row (unit, trust, region, nation, own unit vs the rest;
D3). Beside the years, the **pooled** figure of the three years (``hisregFigIndikator_
aarsamlet``: numerator and denominator summed, exact interval), hidden only when its own
denominator is under 5 (R's terskel = 5, complications too), and secondarily suppressed as a
year is (its cells are the column ``POOLED`` of the same tables).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from hsreg.units.models import HealthRegion, Unit

from . import suppression
from .coverage import low_coverage_units
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
#: the key of the pooled three-year column in ``hidden_places`` (no year is 0)
POOLED = 0
#: the pooled figure is hidden under this denominator, for every indicator (R's
#: hisregFigIndikator_aarsamlet: terskel = 5, the complications' too)
POOLED_MIN_DENOMINATOR = 5


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
    """Numerator and denominator of every indicator per unit and year (the years from the
    first to the last of ``years``), from one aggregate query over the complete episodes
    (D1); a (indicator, unit, year) without any episode in its denominator is absent."""
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

    if chosen:
        rows = (
            episode_rows(as_of=as_of, years=span)
            .filter(episode__complete=True)
            .values("unit_id", "year")
            .order_by()
            .annotate(**{k: v for i in chosen for k, v in counts(i).items()})
        )
        collect(rows, chosen)
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
    #: the pooled figure of the row's years (hisregFigIndikator_aarsamlet; D3)
    pooled: Cell | None = None


@dataclass(slots=True)
class IndicatorTable:
    indicator: Indicator
    years: list[int]
    level: Level
    rows: list[Row]

    @property
    def latest(self) -> int:
        return self.years[-1]


def cell(indicator: Indicator, tally: Tally, *, minimum: int | None = None) -> Cell:
    """The published form of one tally: suppressed below ``minimum`` (the indicator's own
    when not given), otherwise the share in per cent with its exact interval and level."""
    minimum = indicator.min_denominator if minimum is None else minimum
    if tally.denominator == 0:
        return Cell(0, 0, hidden=suppression.small_label(minimum))
    if suppression.too_few(tally.denominator, minimum):
        return Cell(tally.numerator, tally.denominator, hidden=suppression.small_label(minimum))
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


#: a cell of ``hidden_places``: its column (a year, or POOLED) and place
Spot = tuple[int, Place]


def hidden_places(
    indicator: Indicator, tallies: Tallies, *, years: list[int], units: Sequence[Unit]
) -> dict[int, frozenset[Place]]:
    """Per year (and for the pooled column, key POOLED), every cell of ``indicator`` hidden at
    any level: the cells too small (and every row's earlier years when its latest is,
    build_row; D3), the pooled cells under POOLED_MIN_DENOMINATOR, and the complements that
    keep them from being derived from the published sums (suppression.complementary). Every
    table and export of the indicator hides the same cells, so no two of them together give
    one away. Each unit's leader knows their unit's counts (the unit's CSV, and their
    patients in the registry), so the complements also hold with any one unit's cells known
    (``readers``). A trust or region of that unit alone equals its cell; it is not added to
    what the leader knows, as every total also sums its units, and what such a cell gives
    away (a sum of hidden units) the units' group of the same total gives already without
    exposing a unit.

    The pooled figure is the sum of a row's years, so each row is a published sum too: a
    year hidden alone in its row would be the pooled figure minus the shown years. The years
    are protected first, year by year as before; then a row with one year hidden gets its
    pooled figure hidden (rather than a second year: the yearly figures are the registry's
    time series); then all groups together (years, the pooled column, the rows) are closed
    by the same rule, which takes as a pooled complement a row that has a year hidden already
    before one whose years are all shown (the latter would cost a year too)."""
    sums = published_sums(units)
    by_place: dict[int, dict[Place, Tally]] = {c: defaultdict(Tally) for c in [*years, POOLED]}
    for unit in units:
        for year in years:
            tally = tallies.get((indicator.id, unit.resh_id, year))
            if tally is None:
                continue
            for level in LEVELS:
                by_place[year][_place(unit, level)] += tally
                by_place[POOLED][_place(unit, level)] += tally
    sizes = {(c, p): t.denominator for c, by in by_place.items() for p, t in by.items()}
    minimum, latest = indicator.min_denominator, years[-1]
    primary: set[Spot] = set()
    for place, pooled in by_place[POOLED].items():
        latest_n = by_place[latest].get(place, Tally()).denominator
        for year in years:
            n = by_place[year].get(place, Tally()).denominator
            # every row goes with its latest year (build_row; R: N[, last] < terskel)
            if suppression.too_few(n, minimum) or suppression.hide_row(latest_n, minimum):
                primary.add((year, place))
        if suppression.too_few(pooled.denominator, POOLED_MIN_DENOMINATOR):
            primary.add((POOLED, place))
    readers = [{(c, _place(unit, "unit")) for c in by_place} for unit in units]
    by_year = [((y, total), [(y, m) for m in members]) for y in years for total, members in sums]
    yearly = suppression.complementary(sizes=sizes, hidden=primary, groups=by_year, readers=readers)
    seeds = {
        (POOLED, place)
        for place in by_place[POOLED]
        if sum(sizes.get((y, place), 0) > 0 and (y, place) in yearly for y in years) == 1
    }
    # a pooled cell whose row shows every year would take a year with it when hidden (its
    # row's sum): chosen as a complement only when no other will do
    penalty = sum(sizes.values()) + 1
    choice = dict(sizes)
    for place in by_place[POOLED]:
        if not any((y, place) in yearly for y in years) and sizes.get((POOLED, place), 0) > 0:
            choice[(POOLED, place)] += penalty
    pooled = [((POOLED, total), [(POOLED, m) for m in members]) for total, members in sums]
    rows = [((POOLED, place), [(y, place) for y in years]) for place in by_place[POOLED]]
    final = suppression.complementary(
        sizes=choice,
        hidden=yearly | primary | seeds,
        groups=[*by_year, *pooled, *rows],
        readers=readers,
    )
    return {c: frozenset(p for column, p in final if column == c) for c in by_place}


def hide_places(row: Row, place: Place, hidden: dict[int, frozenset[Place]]) -> Row:
    """``row`` with every cell of ``hidden`` at ``place`` hidden as a complement (no counts
    published, no share), the cells hidden already left as they are; the pooled cell too."""
    for year, c in list(row.cells.items()):
        if c.hidden is None and place in hidden.get(year, frozenset()):
            row.cells[year] = Cell(c.numerator, c.denominator, hidden="", secondary=True)
    c = row.pooled
    if c is not None and c.hidden is None and place in hidden.get(POOLED, frozenset()):
        row.pooled = Cell(c.numerator, c.denominator, hidden="", secondary=True)
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
    """A row of cells, its years hidden as a whole when its latest year is suppressed (every
    level, D3: R's ``hisregIndikator`` hides the earlier years of every row, "Nasjonalt"
    included), and its pooled figure of the years (hidden only under
    POOLED_MIN_DENOMINATOR)."""
    key, name, level = place
    row = Row(key, name, level)
    latest = tallies.get(years[-1], Tally())
    hide_all = suppression.hide_row(latest.denominator, indicator.min_denominator)
    pooled = Tally()
    for year in years:
        tally = tallies.get(year, Tally())
        pooled += tally
        c = cell(indicator, tally)
        if hide_all and c.hidden is None:
            c = Cell(c.numerator, c.denominator, hidden="")
        row.cells[year] = c
    row.pooled = cell(indicator, pooled, minimum=POOLED_MIN_DENOMINATOR)
    return row


def indicator_table(
    indicator: Indicator,
    tallies: Tallies,
    *,
    years: list[int],
    level: Level,
    units: Sequence[Unit],
    low_coverage: frozenset[int] = frozenset(),
    hidden: dict[int, frozenset[Place]] | None = None,
) -> IndicatorTable:
    """One indicator's rows at ``level`` (units, trusts, regions or the nation), the nation
    last, rows ordered by the latest year's share (best first). ``hidden`` is the
    indicator's ``hidden_places``, which does not depend on the level: a report of several
    levels works it out once per indicator (it is most of the national report's time)."""
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
    if hidden is None:
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
    indicator: Indicator,
    tallies: Tallies,
    *,
    unit: Unit,
    units: Sequence[Unit],
    years: list[int],
    hidden: dict[int, frozenset[Place]] | None = None,
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
    if hidden is None:
        hidden = hidden_places(indicator, tallies, years=years, units=units)
    place: Place = ("unit", str(unit.resh_id))
    own_row = build_row(indicator, (place[1], unit.name, "unit"), years=years, tallies=own)
    hide_places(own_row, place, hidden)
    rest_row = build_row(indicator, ("rest", REST, "nation"), years=years, tallies=rest)
    for y in [*years, POOLED]:
        mine = own_row.pooled if y == POOLED else own_row.cells[y]
        theirs = rest_row.pooled if y == POOLED else rest_row.cells[y]
        if mine is None or theirs is None:
            continue
        nation = ("nation", "nation") in hidden[y]
        if (nation or (not mine.shown and mine.denominator > 0)) and theirs.shown:
            c = Cell(theirs.numerator, theirs.denominator, hidden="", secondary=True)
            if y == POOLED:
                rest_row.pooled = c
            else:
                rest_row.cells[y] = c
    return [own_row, rest_row]


def tables_at_levels(
    levels: Sequence[Level],
    *,
    tallies: Tallies,
    years: list[int],
    units: Sequence[Unit],
    low_coverage: frozenset[int] = frozenset(),
    indicators: Iterable[Indicator] = INDICATORS,
) -> dict[Level, list[IndicatorTable]]:
    """Every indicator's table at each of ``levels``, in the order of ``indicators``; the
    suppression (``hidden_places``), which does not depend on the level, is worked out once
    per indicator."""
    tables: dict[Level, list[IndicatorTable]] = {level: [] for level in levels}
    for indicator in indicators:
        hidden = hidden_places(indicator, tallies, years=years, units=units)
        for level in levels:
            table = indicator_table(
                indicator,
                tallies,
                years=years,
                level=level,
                units=units,
                low_coverage=low_coverage,
                hidden=hidden,
            )
            tables[level].append(table)
    return tables


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
    tallies = unit_tallies(years=years, as_of=as_of, indicators=chosen)
    return tables_at_levels(
        [level],
        tallies=tallies,
        years=years,
        units=list(Unit.objects.all()),
        low_coverage=low_coverage_units(year=year),
        indicators=chosen,
    )[level]
