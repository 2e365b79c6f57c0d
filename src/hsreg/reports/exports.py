"""What the registry publishes and exports, built from the indicator tallies and the episodes:

- the **open results** (published without login): every quality indicator per unit, per
  health region and for the nation, for a year and the two before, suppressed exactly as the
  report tables are (reports.indicators, reports.suppression);
- the **unit CSV** of a unit leader: their own unit beside the nation;
- the **research extract** of the coordinator (reports.research);
- the **coverage overview** of the coordinator's page (reports.coverage).

Each row of the open results and the unit CSV has a line per year and one more for the three
years pooled (``aar`` = "2023-2025"; HISREG's hisregFigIndikator_aarsamlet, issue 16 D3),
suppressed as the tables are (reports.indicators: hidden only under N=5, and as a
complement).

The CSV files follow the registry's published format (reports.csvfiles). Shares are in per
cent with one decimal. The research extract and the coverage overview were here; they are
re-exported, so ``reports.exports`` still names them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import translation

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.units.models import Unit

from .coverage import CoverageCell, CoverageRow, coverage_overview, low_coverage_units
from .csvfiles import CSV_TYPE, XLSX_TYPE, decimal_comma
from .csvfiles import csv_text as _csv_text
from .definitions import INDICATORS
from .indicators import (
    Cell,
    IndicatorTable,
    Row,
    Tallies,
    Tally,
    build_row,
    hidden_places,
    hide_places,
    indicator_table,
    report_years,
    tables_at_levels,
    unit_tallies,
)
from .research import (
    RESEARCH_COLUMNS,
    ExportFile,
    Format,
    months_between,
    research_extract,
    research_queryset,
    research_rows,
    write_research_csv,
    write_research_xlsx,
)

__all__ = [
    "CSV_TYPE",
    "RESEARCH_COLUMNS",
    "XLSX_TYPE",
    "CoverageCell",
    "CoverageRow",
    "ExportFile",
    "Format",
    "PublishedResults",
    "coverage_overview",
    "decimal_comma",
    "months_between",
    "open_results_csv",
    "published_results",
    "research_extract",
    "research_queryset",
    "research_rows",
    "unit_csv",
    "write_research_csv",
    "write_research_xlsx",
]
LOW_COVERAGE = "Lav dekningsgrad"
#: the note of a cell hidden so that another hidden cell cannot be derived from a total
SECONDARY_NOTE = "skjult: sekundærprikking"
#: the published columns (the registry's format on kvalitetsregistre.no)
OPEN_COLUMNS = (
    "ind_id",
    "nivaa",
    "enhet",
    "resh_id",
    "aar",
    "teller",
    "nevner",
    "andel",
    "ki_nedre",
    "ki_ovre",
    "maaloppnaaelse",
    "merknad",
)
LEVEL_NAMES = {"unit": "enhet", "trust": "helseforetak", "region": "helseregion", "nation": "nasjonalt"}  # fmt: skip
ACHIEVEMENT = {"high": "høy", "moderate": "moderat", "low": "lav"}
#: the CSV files are the registry's published format, in Norwegian whatever the page's language
PUBLISHED_LANGUAGE = "nb"
PUBLISHED_NATION = "Nasjonalt"


def pooled_label(years: Sequence[int]) -> str:
    """The ``aar`` of the pooled line: "2023-2025"."""
    return f"{years[0]}-{years[-1]}"


# --- the open results ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishedResults:
    """The indicators of ``year`` and the two years before, each at unit and region level
    (both tables end with the nation's row)."""

    year: int
    years: list[int]
    units: list[IndicatorTable]
    regions: list[IndicatorTable]

    def sections(self) -> Iterator[tuple[IndicatorTable, list[Row], list[Row], list[Row]]]:
        """Per indicator: its unit rows, its region rows and the nation's row (a list of one,
        as the templates' row loop takes it)."""
        for by_unit, by_region in zip(self.units, self.regions, strict=True):
            yield by_unit, by_unit.rows[:-1], by_region.rows[:-1], by_unit.rows[-1:]


def published_results(*, year: int, as_of: date) -> PublishedResults:
    """Every indicator per unit, per health region and for the nation, from one count of the
    tallies (reports.indicators.unit_tallies) shared by both levels."""
    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of)
    low = low_coverage_units(year=year)
    tables = tables_at_levels(
        ("unit", "region"), tallies=tallies, years=years, units=units, low_coverage=low
    )
    return PublishedResults(year, years, tables["unit"], tables["region"])


def _published_line(indicator_id: str, row: Row, year: int | str, cell: Cell, *, latest: int,
                    counts_when_hidden: bool = False) -> list[object]:  # fmt: skip
    """One CSV line of a cell (``year`` a year, or the pooled years' label). A hidden cell has
    neither share, interval nor counts, unless ``counts_when_hidden`` (a unit's own figures
    in its own export)."""
    notes: list[str] = []
    if cell.shown:
        figures: list[object] = [
            cell.numerator,
            cell.denominator,
            decimal_comma(cell.percent),
            decimal_comma(cell.ci_low),
            decimal_comma(cell.ci_high),
            ACHIEVEMENT.get(cell.level or "", ""),
        ]
    else:
        counts = [cell.numerator, cell.denominator] if counts_when_hidden else ["", ""]
        figures = [*counts, "", "", "", ""]
        if cell.secondary:
            notes.append(SECONDARY_NOTE)
        else:
            notes.append(cell.hidden or f"skjult: {_latest_label(row)} i {latest}")
    if row.low_coverage:
        notes.append(LOW_COVERAGE)
    return [
        indicator_id,
        LEVEL_NAMES[row.level],
        PUBLISHED_NATION if row.level == "nation" else str(row.name),
        row.key if row.level == "unit" else "",
        year,
        *figures,
        ", ".join(notes),
    ]


def _latest_label(row: Row) -> str:
    """Why a whole row is hidden: the label of its latest year."""
    latest = row.cells[max(row.cells)]
    return latest.hidden or ""


def _row_lines(indicator_id: str, row: Row, years: list[int], *, latest: int,
               counts_when_hidden: bool = False) -> Iterator[list[object]]:  # fmt: skip
    """A row's lines: one per year, then the pooled one."""
    for year in years:
        yield _published_line(indicator_id, row, year, row.cells[year], latest=latest,
                              counts_when_hidden=counts_when_hidden)  # fmt: skip
    if row.pooled is not None:
        yield _published_line(indicator_id, row, pooled_label(years), row.pooled, latest=latest,
                              counts_when_hidden=counts_when_hidden)  # fmt: skip


def open_results_csv(results: PublishedResults) -> str:
    """The open results as the published CSV: per indicator its units, health regions and the
    nation, a line per year. Suppressed cells carry only their reason in ``merknad``."""

    def lines() -> Iterator[list[object]]:
        yield list(OPEN_COLUMNS)
        for table, unit_rows, region_rows, nation in results.sections():
            for row in [*unit_rows, *region_rows, *nation]:
                yield from _row_lines(table.indicator.id, row, results.years, latest=results.year)

    with translation.override(PUBLISHED_LANGUAGE):
        return _csv_text(lines())


# --- the unit leader's CSV ----------------------------------------------------------------


def unit_rows(*, unit: Unit, years: list[int], tallies: Tallies, units: Sequence[Unit],
              low_coverage: bool) -> list[tuple[str, Row, Row]]:  # fmt: skip
    """Per indicator: the unit's own row and the nation's row."""
    out = []
    for indicator in INDICATORS:
        own = build_row(
            indicator,
            (str(unit.resh_id), unit.name, "unit"),
            years=years,
            tallies={y: tallies.get((indicator.id, unit.resh_id, y), Tally()) for y in years},
        )
        hide_places(
            own,
            ("unit", str(unit.resh_id)),
            hidden_places(indicator, tallies, years=years, units=units),
        )
        own.low_coverage = low_coverage
        nation = indicator_table(indicator, tallies, years=years, level="nation", units=units)
        out.append((indicator.id, own, nation.rows[-1]))
    return out


def unit_csv(*, actor: Actor, year: int, as_of: date) -> str:
    """The indicators of the actor's unit for ``year`` and the two years before, beside the
    nation, as CSV in the published format; one audit row.

    Suppression: the unit's cells are hidden as they are published (no share, interval or
    level below the indicator's minimum, and a whole row when its latest year is), but the
    unit's own numerator and denominator are given even then: they are the unit's own
    patients, which its leader may see in the registry anyway, and a unit needs them to check
    its registrations. The nation's row is exactly as published: a hidden national cell has
    no counts, since with the unit's own counts they would give the rest of the country's."""
    unit = actor.unit
    if unit is None:
        raise ValueError("a unit CSV needs the actor's unit")
    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of)
    low = unit.resh_id in low_coverage_units(year=year)

    def lines() -> Iterator[list[object]]:
        yield list(OPEN_COLUMNS)
        for indicator_id, own, nation in unit_rows(
            unit=unit, years=years, tallies=tallies, units=units, low_coverage=low
        ):
            yield from _row_lines(indicator_id, own, years, latest=year, counts_when_hidden=True)
            yield from _row_lines(indicator_id, nation, years, latest=year)

    with translation.override(PUBLISHED_LANGUAGE):
        text = _csv_text(lines())
    log(
        actor=actor,
        action=Action.EXPORT,
        target="unit indicators csv",
        detail={"year": year, "years": [years[0], years[-1]], "unit": unit.resh_id},
    )
    return text
