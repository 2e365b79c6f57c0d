"""The annual report built in one pass (see the package's docstring)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from reportlab.platypus import (
    NextPageTemplate,
    Paragraph,
)

from hsreg.units.models import Unit

from .. import charts
from .. import distributions as descriptive
from ..coverage import low_coverage_units
from ..indicators import (
    report_years,
    tables_at_levels,
    unit_tallies,
)
from .layout import (
    CONTENTS_LEADING,
    AnnualReport,
    _Contents,
    _DefineContents,
    _Document,
    _Story,
    _styles,
    check_year,
)
from .sections import (
    _about,
    _admin_table,
    _caption,
    _completeness_table,
    _coverage_section,
    _front,
    _indicator_section,
    _national_section,
)


def build_annual_report(*, year: int, as_of: date) -> AnnualReport:
    """The annual report of ``year`` from the forms finished by ``as_of``, in Norwegian
    bokmål, with its page count and how long it took to make."""
    check_year(year=year, as_of=as_of)
    started = time.perf_counter()
    with translation.override("nb"):
        buffer = io.BytesIO()
        title = _("Annual report HISREG %(year)s") % {"year": year}
        document = _Document(buffer, title=title, footer=title)
        story = _Story(_styles())
        _front(story, year=year, as_of=as_of)
        contents_at = len(story.flowables)
        _about(story)
        units = list(Unit.objects.all())
        years = report_years(year)
        tallies = unit_tallies(years=years, as_of=as_of)
        tables = tables_at_levels(
            ("unit", "region"),
            tallies=tallies,
            years=years,
            units=units,
            low_coverage=low_coverage_units(year=year),
        )

        story.heading(_("Quality indicators"), level=0)
        for table in tables["unit"]:
            _indicator_section(story, table)
        _national_section(story, tables["region"], years)
        _coverage_section(story, year=year, units=units)
        sections: tuple[tuple[str, Callable[[], Sequence[Any]], Callable[[Any], Figure]], ...] = (
            (
                _("The patients and their treatment"),
                lambda: descriptive.distributions(year=year, as_of=as_of),
                charts.distribution_chart,
            ),
            (
                _("Averages before treatment"),
                lambda: descriptive.averages(year=year, as_of=as_of),
                charts.average_chart,
            ),
            (
                _("Before and after treatment"),
                lambda: [
                    *descriptive.before_after(year=year, as_of=as_of),
                    *descriptive.shifts(year=year, as_of=as_of),
                ],
                _before_after_or_shift,
            ),
            (
                _("Treatment choices over time"),
                lambda: descriptive.trends(year=year, as_of=as_of),
                charts.trend_chart,
            ),
            (
                _("Type of treatment per unit"),
                lambda: descriptive.unit_shares(year=year, as_of=as_of),
                charts.unit_shares_chart,
            ),
        )
        for heading, compute, draw in sections:
            story.heading(heading, level=0)
            for item in compute():
                story.chart(draw(item), _caption(item))
        story.heading(_("Completeness"), level=0)
        for completeness in descriptive.completeness(year=year, as_of=as_of):
            _completeness_table(story, completeness)
        story.add(NextPageTemplate("wide"))
        story.heading(_("Administrative tables"), level=0)
        for counts in descriptive.administrative(year=year, as_of=as_of):
            _admin_table(story, counts)
        height = (len(story.headings) + 1) * CONTENTS_LEADING
        story.flowables[contents_at:contents_at] = [
            Paragraph(escape(_("Contents")), story.styles["h1"]),
            _Contents(len(story.headings) + 1),
        ]
        story.add(_DefineContents(document, height))
        document.build(story.flowables)
        pdf = buffer.getvalue()
    return AnnualReport(pdf, document.page, time.perf_counter() - started)


def _before_after_or_shift(item: Any) -> Figure:
    if isinstance(item, descriptive.Shift):
        return charts.shift_chart(item)
    return charts.before_after_chart(item)


def annual_report(*, year: int, as_of: date) -> bytes:
    """The annual report of ``year`` as PDF bytes (build_annual_report)."""
    return build_annual_report(year=year, as_of=as_of).pdf
