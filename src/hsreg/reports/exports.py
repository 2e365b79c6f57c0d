"""What the registry publishes and exports, built from the indicator tallies and the episodes:

- the **open results** (published without login): every quality indicator per unit, per
  health region and for the nation, for a year and the two before, suppressed exactly as the
  report tables are (reports.indicators, reports.suppression);
- the **unit CSV** of a unit leader: their own unit beside the nation;
- the **research extract** of the coordinator: one row per episode, patients pseudonymised
  (reports.pseudonyms), no national id, name or date;
- the **coverage overview** of the coordinator's page (dekningsgrad per unit and region).

The CSV files follow the registry's published format: UTF-8 with a byte order mark (Excel
opens it right), fields separated by semicolons and numbers with a **decimal comma**, as a
Norwegian spreadsheet reads them (R: ``read.csv2``). Shares are in per cent with one decimal.
The XLSX file holds numbers as numbers. No text cell of any export can be read as a formula
(hsreg.spreadsheet: a unit's name comes from a public account application).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any, Literal

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hsreg.accounts.actor import Actor
from hsreg.assessments.models import DoctorAssessment, MedicalHistory, PatientReport
from hsreg.audit.models import Action
from hsreg.audit.services import log
from hsreg.records.models import Status
from hsreg.spreadsheet import csv_row, xlsx_row
from hsreg.treatments.models import Intervention
from hsreg.units.models import HealthRegion, Unit

from . import suppression
from .coverage import Coverage, coverage_by_unit
from .definitions import INDICATORS
from .episodes import control, episode_rows
from .indicators import (
    NATION,
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
    unit_tallies,
)
from .pseudonyms import pseudonym, research_key

Format = Literal["csv", "xlsx"]
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
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def decimal_comma(value: float | Decimal | None, places: int = 1) -> str:
    """A number as a Norwegian spreadsheet reads it: ``62,5``; empty when there is none."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def _csv_text(rows: Iterable[Sequence[object]]) -> str:
    """``rows`` as CSV text with a byte order mark, semicolon-separated."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_row(row) for row in rows)
    return out.getvalue()


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


def low_coverage_units(*, year: int) -> frozenset[int]:
    """The RESH ids whose coverage of ``year`` is under 60 % (reports.suppression)."""
    return frozenset(
        resh
        for (resh, y), c in coverage_by_unit(years=[year]).items()
        if y == year and suppression.low_coverage(c.percent)
    )


def published_results(*, year: int, as_of: date) -> PublishedResults:
    """Every indicator per unit, per health region and for the nation, from one count of the
    tallies (reports.indicators.unit_tallies) shared by both levels."""
    years = report_years(year)
    units = list(Unit.objects.all())
    tallies = unit_tallies(years=years, as_of=as_of)
    low = low_coverage_units(year=year)

    def tables(level: Literal["unit", "region"]) -> list[IndicatorTable]:
        return [
            indicator_table(i, tallies, years=years, level=level, units=units, low_coverage=low)
            for i in INDICATORS
        ]

    return PublishedResults(year, years, tables("unit"), tables("region"))


def _published_line(indicator_id: str, row: Row, year: int, cell: Cell, *, latest: int,
                    counts_when_hidden: bool = False) -> list[object]:  # fmt: skip
    """One CSV line of a cell. A hidden cell has neither share, interval nor counts, unless
    ``counts_when_hidden`` (a unit's own figures in its own export)."""
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
    """Why a whole unit row is hidden: the label of its latest year."""
    latest = row.cells[max(row.cells)]
    return latest.hidden or ""


def open_results_csv(results: PublishedResults) -> str:
    """The open results as the published CSV: per indicator its units, health regions and the
    nation, a line per year. Suppressed cells carry only their reason in ``merknad``."""

    def lines() -> Iterator[list[object]]:
        yield list(OPEN_COLUMNS)
        for table, unit_rows, region_rows, nation in results.sections():
            for row in [*unit_rows, *region_rows, *nation]:
                for year in results.years:
                    yield _published_line(
                        table.indicator.id, row, year, row.cells[year], latest=results.year
                    )

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
            for y in years:
                yield _published_line(
                    indicator_id, own, y, own.cells[y], latest=year, counts_when_hidden=True
                )
            for y in years:
                yield _published_line(indicator_id, nation, y, nation.cells[y], latest=year)

    with translation.override(PUBLISHED_LANGUAGE):
        text = _csv_text(lines())
    log(
        actor=actor,
        action=Action.EXPORT,
        target="unit indicators csv",
        detail={"year": year, "years": [years[0], years[-1]], "unit": unit.resh_id},
    )
    return text


# --- the research extract -----------------------------------------------------------------

#: column -> what it holds (the extract's own documentation: the page and the XLSX's 2nd sheet)
RESEARCH_COLUMNS: dict[str, str | Promise] = {
    "pseudonym": _("the patient's pseudonym (keyed hash; the same patient has the same one)"),
    "resh_id": _("the unit's RESH id"),
    "health_region": _("the unit's health region"),
    "year": _("the year of the intervention"),
    "intervention_month": _("whole months from the patient's first registration to the intervention"),
    "control_month": _("whole months from the first registration to the control that judges the episode"),
    "age": _("age in whole years at the intervention"),
    "sex": _("female or male"),
    "intervention_type": _("1 surgical, 2 medical, 3 both, 4 none (doctor), 5 none (patient), 6 did not attend"),
    "surgical": _("1 when surgical or both"),
    "medical": _("1 when medical or both"),
    "biologic": _("1 when the intervention starts a biologic"),
    "base_ihs4": _("IHS4 before treatment"),
    "base_hurley": _("Hurley stage before treatment"),
    "base_an": _("AN count before treatment"),
    "base_abscesses": _("abscesses before treatment"),
    "base_tunnels": _("draining tunnels before treatment"),
    "base_bmi": _("BMI before treatment"),
    "base_dlqi": _("DLQI before treatment"),
    "base_vas": _("pain VAS (0-10) before treatment"),
    "base_smoking": _("smoking before treatment: 1 smokes, 2 former smoker, 3 never smoked, 9 don't know"),
    "ctl_ihs4": _("IHS4 at the control"),
    "ctl_hurley": _("Hurley stage at the control"),
    "ctl_an": _("AN count at the control"),
    "ctl_abscesses": _("abscesses at the control"),
    "ctl_tunnels": _("draining tunnels at the control"),
    "ctl_dlqi": _("DLQI at the control"),
    "ctl_vas": _("pain VAS (0-10) at the control"),
    "ctl_satisfaction": _("satisfaction at the control (1 satisfied ... 5 dissatisfied, 9 don't know)"),
    "complications_answered": _("1 when the control report answered a complication question"),
    "complication": _("1 when any complication was answered yes"),
}  # fmt: skip
_FROM_EPISODE = (
    "unit_id",
    "region",
    "year",
    "age",
    "sex",
    "type",
    "surgical",
    "medical",
    "biologic",
    "base_ihs4",
    "base_hurley",
    "base_an",
    "base_abscesses",
    "base_tunnels",
    "base_bmi",
    "base_dlqi",
    "base_vas",
    "base_smoking",
    "ctl_ihs4",
    "ctl_hurley",
    "ctl_an",
    "ctl_abscesses",
    "ctl_tunnels",
    "ctl_dlqi",
    "ctl_vas",
    "ctl_satisfaction",
    "complications_answered",
    "complication",
)
_TENTHS = {"base_vas", "ctl_vas"}
CHUNK = 2000


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a month is complete on the same day-of-month)."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _first_form(model: Any) -> Subquery:
    """The date of the patient's earliest finished form of ``model``."""
    forms = model.objects.filter(patient=OuterRef("patient"), status=Status.FINISHED)
    return Subquery(forms.order_by("date").values("date")[:1])


def research_queryset(*, years: tuple[int, int], as_of: date) -> QuerySet[Any]:
    """The episodes of ``years`` with what the extract needs, ordered by year, unit and patient.

    The patient's first registration is the earliest of their finished forms (medical history,
    doctor's assessment, patient's report, intervention); the dates are read only to count the
    months and never leave this module."""
    first = [Coalesce(_first_form(m), F("date")) for m in (MedicalHistory, DoctorAssessment,
                                                            PatientReport, Intervention)]  # fmt: skip
    return (
        episode_rows(as_of=as_of, years=years)
        .annotate(
            region=F("unit__region"),
            first_registered=Least(*first),
            control_date=Coalesce(
                control(PatientReport, "date"), control(DoctorAssessment, "date")
            ),
        )
        .values("id", "patient_id", "date", "first_registered", "control_date", *_FROM_EPISODE)
        .order_by("year", "unit_id", "patient_id", "date", "id")
    )


def research_rows(*, years: tuple[int, int], as_of: date, key: bytes) -> Iterator[list[Any]]:
    """The extract's rows in RESEARCH_COLUMNS' order, read in chunks (memory stays flat).
    Values are Python numbers; None where a form or answer is missing."""
    for r in research_queryset(years=years, as_of=as_of).iterator(chunk_size=CHUNK):
        values = {c: r[c] for c in _FROM_EPISODE}
        for name in ("surgical", "medical", "biologic", "complications_answered", "complication"):
            values[name] = None if values[name] is None else int(bool(values[name]))
        for name in _TENTHS:  # whole tenths (reports.episodes) back to the 0-10 scale
            values[name] = None if values[name] is None else round(float(values[name]) / 10, 1)
        if values["base_bmi"] is not None:
            values["base_bmi"] = round(float(values["base_bmi"]), 1)
        first = r["first_registered"]
        yield [
            pseudonym(r["patient_id"], key=key),
            values["unit_id"],
            HealthRegion(values["region"]).label if values["region"] else None,
            values["year"],
            months_between(first, r["date"]),
            months_between(first, r["control_date"]) if r["control_date"] else None,
            values["age"],
            values["sex"],
            values["type"],
            *(values[c] for c in list(RESEARCH_COLUMNS)[9:]),
        ]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return decimal_comma(value)
    return value


def write_research_csv(rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """``rows`` under RESEARCH_COLUMNS to ``out`` as CSV (BOM, semicolons, decimal comma)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(RESEARCH_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(csv_row(_csv_cell(v) for v in row))
        count += 1
    text.flush()
    text.detach()
    return count


def write_research_xlsx(rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """``rows`` to ``out`` as an XLSX workbook in openpyxl's write-only mode (rows go to disk
    as they come), with a second sheet that says what each column holds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("episodes")
    sheet.append(list(RESEARCH_COLUMNS))
    count = 0
    for row in rows:
        sheet.append(xlsx_row(row))
        count += 1
    about = book.create_sheet("columns")
    about.append(["column", "meaning"])
    for name, meaning in RESEARCH_COLUMNS.items():
        about.append(xlsx_row([name, str(meaning)]))
    book.save(out)
    return count


@dataclass(slots=True)
class ExportFile:
    file: IO[bytes]
    filename: str
    content_type: str
    rows: int = 0
    detail: dict[str, Any] = field(default_factory=dict)


def research_extract(*, actor: Actor, first_year: int, last_year: int, fmt: Format,
                     as_of: date) -> ExportFile:  # fmt: skip
    """The research extract of the episodes of ``first_year``-``last_year`` as CSV or XLSX in a
    temporary file (positioned at its start), and its audit row: format, years, row count."""
    key = research_key()
    rows = research_rows(years=(first_year, last_year), as_of=as_of, key=key)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    write = write_research_xlsx if fmt == "xlsx" else write_research_csv
    count = write(rows, out)
    out.seek(0)
    detail = {"format": fmt, "years": [first_year, last_year], "rows": count}
    log(actor=actor, action=Action.EXPORT, target="research extract", detail=detail)
    return ExportFile(
        file=out,
        filename=f"hsreg-research-{first_year}-{last_year}.{fmt}",
        content_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
        rows=count,
        detail=detail,
    )


# --- coverage (dekningsgrad) for the coordinator's page -----------------------------------


@dataclass(frozen=True, slots=True)
class CoverageCell:
    registered: int
    npr: int | None
    percent: float | None

    @property
    def low(self) -> bool:
        return suppression.low_coverage(self.percent)


@dataclass(slots=True)
class CoverageRow:
    key: str
    name: str
    cells: dict[int, CoverageCell]

    @property
    def cell_list(self) -> list[CoverageCell]:
        return [self.cells[y] for y in sorted(self.cells)]


def _cell(c: Coverage | None) -> CoverageCell:
    if c is None:
        return CoverageCell(0, None, None)
    return CoverageCell(c.registered, c.npr, c.percent)


def coverage_overview(*, years: list[int]) -> tuple[list[CoverageRow], list[CoverageRow]]:
    """Coverage per unit (every unit with a registry or an NPR count in ``years``) and per
    health region with the whole country last.

    A region's coverage sums only the units that have an NPR count that year: a unit without
    one would add registered patients and no denominator, and show coverage too high."""
    coverage = coverage_by_unit(years=years)
    named = {u.resh_id: u for u in Unit.objects.filter(resh_id__in={k[0] for k in coverage})}
    units = []
    for unit in sorted(named.values(), key=lambda u: u.name):
        cells = {y: _cell(coverage.get((unit.resh_id, y))) for y in years}
        units.append(CoverageRow(str(unit.resh_id), unit.name, cells))
    totals: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (resh, year), c in coverage.items():
        if c.npr and resh in named:
            for group in (named[resh].region, "nation"):
                totals[group][year][0] += c.registered
                totals[group][year][1] += c.npr
    regions = []
    for code, label in [*HealthRegion.choices, ("nation", NATION)]:
        by_year = totals.get(code, {})
        cells = {}
        for y in years:
            registered, npr = by_year.get(y, [0, 0])
            cells[y] = _cell(Coverage(registered, npr) if npr else None)
        regions.append(CoverageRow(code, str(label), cells))
    return units, regions
