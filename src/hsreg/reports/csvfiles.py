"""The registry's published file format, shared by the exports (reports.exports,
reports.research) and the figures' downloads: UTF-8 with a byte order mark (Excel opens it
right), fields separated by semicolons and numbers with a **decimal comma**, as a Norwegian
spreadsheet reads them (R: ``read.csv2``). No text cell can be read as a formula
(hsreg.spreadsheet)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from hsreg.spreadsheet import csv_row

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def decimal_comma(value: float | Decimal | None, places: int = 1) -> str:
    """A number as a Norwegian spreadsheet reads it: ``62,5``; empty when there is none."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """``rows`` as CSV text with a byte order mark, semicolon-separated."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_row(row) for row in rows)
    return out.getvalue()
