"""The report figures as matplotlib figures, drawn the way the registry's annual report draws
them (Rapporteket's hisregFigIndikator_aarsamlet and the descriptive figures), and written as
SVG (the pages' chart images) or PNG (downloads; the PDF draws them as vectors).

Every figure is a plain ``matplotlib.figure.Figure`` (the ``Chart`` subclass, which carries an
accessible description), never pyplot's global figure manager, so requests in several threads
each draw their own figure on the non-interactive Agg canvas. The only global state touched is
set once here: SVG text stays text (no embedded glyphs, small files) and the SVG ids are salted
with a constant, so the same figures give the same bytes.

The SVG obeys the site's Content Security Policy (``style-src 'self'``) also when put inline:
``svg`` turns matplotlib's ``style`` attributes and its ``<style>`` element into presentation
attributes, which a policy does not block.
"""

from .cache import drawn, keep, kept
from .common import BAR, HIGH, MODERATE, NATIONAL_BAR, Chart, number
from .descriptive import (
    average_chart,
    before_after_chart,
    distribution_chart,
    shift_chart,
    trend_chart,
)
from .indicators import indicator_chart
from .output import png, svg
from .pdf import draw_pdf, register_pdf_fonts
from .shares import unit_shares_chart

__all__ = [
    "BAR",
    "HIGH",
    "MODERATE",
    "NATIONAL_BAR",
    "Chart",
    "average_chart",
    "before_after_chart",
    "distribution_chart",
    "draw_pdf",
    "drawn",
    "indicator_chart",
    "keep",
    "kept",
    "number",
    "png",
    "register_pdf_fonts",
    "shift_chart",
    "svg",
    "trend_chart",
    "unit_shares_chart",
]
