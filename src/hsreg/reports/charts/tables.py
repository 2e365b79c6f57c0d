"""Every chart's numbers as a table to download, CSV or XLSX (issue 16): the same numbers the
chart draws and its page's table shows, counted for the same reader (views.pages.chart takes
them from the same place as the chart file), so a download never holds a count its reader's
page hides. A hidden count is the word "hidden" (or the page's "N<5"), never a number.

The CSV is the registry's format (reports.exports): UTF-8 with a byte order mark, semicolons,
a decimal comma. The XLSX holds numbers as numbers. No text cell of either can be read as a
formula (hsreg.spreadsheet: a unit's name comes from a public account application).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from hsreg.spreadsheet import csv_row, xlsx_row

from .. import suppression
from ..distributions import (
    BEFORE_AFTER_MIN_RECORDS,
    Average,
    AverageRow,
    BeforeAfter,
    Distribution,
    Shift,
    Trend,
    UnitShares,
)
from ..indicators import IndicatorTable

Table = tuple[list[str], list[list[Any]]]


def _count(n: int | None) -> Any:
    return _("hidden") if n is None else n


def _share(n: int | None, total: int | None) -> float | None:
    if n is None or not total:
        return None
    return round(100 * n / total, 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _distribution(d: Distribution) -> Table:
    rows: list[list[Any]] = [
        [d.scope, c.label, _count(c.n), _share(c.n, d.total)] for c in d.categories
    ]
    rows.append([d.scope, _("Total (N)"), _count(d.total), None])
    if d.compared is not None:
        _head, more = _distribution(d.compared)
        rows += more
    return [_("Scope"), _("Category"), "n", _("Share (%)")], rows


def _shift(s: Shift) -> Table:
    rows: list[list[Any]] = [
        [
            c.label,
            _count(c.before),
            _share(c.before, s.total),
            _count(c.after),
            _share(c.after, s.total),
        ]
        for c in s.categories
    ]
    rows.append([_("Total (N)"), _count(s.total), None, _count(s.total), None])
    head = [
        _("Category"),
        _("Before treatment (n)"),
        _("Before treatment (%)"),
        _("At the control (n)"),
        _("At the control (%)"),
    ]
    return head, rows


def _mean_cells(row: AverageRow, least: int = suppression.MIN_RECORDS_FOR_MEAN) -> list[Any]:
    if row.hidden or row.mean is None:
        return [f"N<{least}", None, None]
    return [_rounded(row.mean), _rounded(row.ci_low), _rounded(row.ci_high)]


def _average(a: Average) -> Table:
    rows = [[r.label, _count(r.n), *_mean_cells(r)] for r in a.rows]
    return [_("Group"), "N", _("Mean"), _("95 % CI, lower"), _("95 % CI, upper")], rows


def _before_after(c: BeforeAfter) -> Table:
    least = BEFORE_AFTER_MIN_RECORDS
    rows = [
        [r.label, _count(r.n), *_mean_cells(r.before, least), *_mean_cells(r.after, least)]
        for r in c.rows
    ]
    head = [
        _("Group"),
        "N",
        _("Mean before treatment"),
        _("Before: 95 % CI, lower"),
        _("Before: 95 % CI, upper"),
        _("Mean at the control"),
        _("At the control: 95 % CI, lower"),
        _("At the control: 95 % CI, upper"),
    ]
    return head, rows


def _trend(t: Trend) -> Table:
    rows: list[list[Any]] = []
    for series in t.series:
        for year in t.years:
            p = series.points[year]
            if p.hidden or p.percent is None:
                rows.append([series.label, year, None, None, suppression.small_label(5)])
            else:
                rows.append([series.label, year, p.n, p.total, round(p.percent, 1)])
    return [_("Health region"), _("Year"), "n", "N", _("Share (%)")], rows


def _indicator(table: IndicatorTable) -> Table:
    rows: list[list[Any]] = []
    pooled_label = f"{table.years[0]}–{table.years[-1]}"
    for row in table.rows:
        # the years, then the pooled three years (hisregFigIndikator_aarsamlet, D3)
        cells: list[tuple[Any, Any]] = [(year, row.cells.get(year)) for year in table.years]
        cells.append((pooled_label, getattr(row, "pooled", None)))
        for year, c in cells:
            if c is None:
                continue
            if not c.shown:
                note = _("hidden") if c.secondary or not c.hidden else c.hidden
                rows.append([str(row.name), year, None, None, None, None, None, note])
                continue
            rows.append(
                [
                    str(row.name),
                    year,
                    c.numerator,
                    c.denominator,
                    _rounded(c.percent),
                    _rounded(c.ci_low),
                    _rounded(c.ci_high),
                    "",
                ]
            )
    head = [
        _("Unit"),
        _("Year"),
        _("Numerator"),
        _("Denominator"),
        _("Share (%)"),
        _("95 % CI, lower"),
        _("95 % CI, upper"),
        _("Note"),
    ]
    return head, rows


def _unit_shares(s: UnitShares) -> Table:
    head = [_("Unit"), "N"]
    for label in s.categories:
        head += [f"{label} (n)", f"{label} (%)"]
    rows = []
    for row in s.rows:
        cells: list[Any] = [row.label, _count(row.values[-1])]
        for i in range(len(s.categories)):
            share = s.percent(row, i)
            cells += [_count(row.values[i]), None if share is None else round(share, 1)]
        rows.append(cells)
    return head, rows


def tabulated(kind: str, data: Any) -> Table:
    """The headers and rows of the chart ``kind`` of ``data`` (selectors.chart_data)."""
    if kind == "indicator":
        return _indicator(data)
    writers: dict[str, Any] = {
        "distribution": _distribution,
        "shift": _shift,
        "average": _average,
        "before-after": _before_after,
        "trend": _trend,
        "by-unit": _unit_shares,
    }
    return writers[kind](data)  # type: ignore[no-any-return]


def _decimal_comma(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(",.").replace(".", ",") or "0"
    return "" if value is None else value


def csv_bytes(title: str, table: Table) -> bytes:
    """``table`` under its ``title`` as the registry's CSV (BOM, ``;``, decimal comma)."""
    head, rows = table
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row([title]))
    writer.writerow(csv_row(head))
    writer.writerows(csv_row(_decimal_comma(v) for v in row) for row in rows)
    return out.getvalue().encode("utf-8")


def _lines(title: str, table: Table) -> Iterator[Sequence[Any]]:
    head, rows = table
    yield [title]
    yield head
    yield from rows


def xlsx_bytes(title: str, table: Table) -> bytes:
    """``table`` under its ``title`` as an XLSX workbook, numbers as numbers."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Figure"))
    for line in _lines(title, table):
        sheet.append(xlsx_row(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
