"""The annual report's descriptive figures: distributions (who was treated and how), averages
with confidence intervals, before/after comparisons, treatment trends per health region and the
administrative tables (HISREG's Tabell 1-2 and Figur 1-42).

Every figure is counted in the database: one aggregate query per source (the episodes, the
patients' first episodes, the control reports, the medical histories, each form table), with a
filtered COUNT per category, so the number of queries is fixed however many patients the
registry holds. The results are small frozen dataclasses of labels and numbers, which the charts
(reports.charts), the pages and the PDF (reports.annual) lay out.

Labels are resolved in the active language when the figures are computed: compute them inside
``translation.override("nb")`` for the published report.

Who is counted:

- **episodes** (forløp): the finished interventions of the year (reports.episodes), at the unit
  when one is given;
- **patients**: each patient once, by their first episode of the year (age, sex, smoking and work
  status before treatment), as the registry's "Andel pasienter" figures count them;
- **controls**: the control report that judges an episode (3 months after medical, 6 months
  after surgical or combined treatment), counted once per episode;
- **means** are hidden below 10 records (reports.suppression), shares of the trends below 5.
"""

from .administrative import administrative
from .averages import BEFORE_AFTER_MIN_RECORDS, MEASURES, averages, before_after
from .catalogue import distributions
from .common import (
    AGE_BANDS,
    DECIDED_TYPES,
    TREATED_TYPES,
    TREND_YEARS,
    Average,
    AverageRow,
    BeforeAfter,
    BeforeAfterRow,
    Category,
    Distribution,
    Shift,
    ShiftCategory,
    Table,
    TableRow,
    Trend,
    TrendPoint,
    TrendSeries,
)
from .completeness import Completeness, CompletenessRow, completeness
from .protect import PUBLIC, Reader
from .shifts import shifts
from .treatment import UnitShares, unit_shares
from .trends import trends

__all__ = [
    "AGE_BANDS",
    "BEFORE_AFTER_MIN_RECORDS",
    "DECIDED_TYPES",
    "MEASURES",
    "PUBLIC",
    "TREATED_TYPES",
    "TREND_YEARS",
    "Average",
    "AverageRow",
    "BeforeAfter",
    "BeforeAfterRow",
    "Category",
    "Completeness",
    "CompletenessRow",
    "Distribution",
    "Reader",
    "Shift",
    "ShiftCategory",
    "Table",
    "TableRow",
    "Trend",
    "TrendPoint",
    "TrendSeries",
    "UnitShares",
    "administrative",
    "averages",
    "before_after",
    "completeness",
    "distributions",
    "shifts",
    "trends",
    "unit_shares",
]
