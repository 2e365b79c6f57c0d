"""The registry's annual report as a PDF (A4, Norwegian bokmål): the quality indicators with
their definitions, tables per unit over three years and charts; the national and regional
results; coverage; the distributions, averages, before/after comparisons and trends; and the
administrative tables, every figure and table numbered as in HISREG's "Figurer og tabeller for
årsrapport".

It is built in one pass of reportlab's platypus, so each chart is drawn once: the charts go onto
the page as vectors (charts.draw_pdf), and the contents page, whose page numbers are known only
at the end, is a form the last page defines and the contents page shows (a PDF form may be
used before it is defined).

Only aggregates are printed: no name, national id number or birth date can reach the report.
"""

from .layout import FIRST_YEAR, AnnualReport, ReportError, check_year
from .report import annual_report, build_annual_report

__all__ = [
    "FIRST_YEAR",
    "AnnualReport",
    "ReportError",
    "annual_report",
    "build_annual_report",
    "check_year",
]
