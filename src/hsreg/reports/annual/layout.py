"""The annual report's page layout: sizes, colours, paragraph styles, the flowables (headings
that feed the contents, vector charts, upright headers, the contents form) and the story that
numbers figures and tables."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from .. import charts

FIRST_YEAR = 2000  # the earliest report year (the NPR counts' lower bound, reports.models)
MARGIN = 2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
TEXT_HEIGHT = A4[1] - 2 * MARGIN
WIDE = landscape(A4)  # the administrative tables' pages
WIDE_TEXT_WIDTH = WIDE[0] - 2 * MARGIN
UPRIGHT_FROM = 7  # columns: a table with more sets its headers bottom to top
FONT, BOLD, ITALIC = "HsregSans", "HsregSans-Bold", "HsregSans-Oblique"
CONTENTS_FORM = "contents"
CONTENTS_LEADING = 15
HIGH_CELL = colors.HexColor("#b3e6d5")  # the charts' green and yellow, lighter behind text
MODERATE_CELL = colors.HexColor("#fdfca6")
RULE = colors.HexColor("#9e9e9e")
HEADER = colors.HexColor("#deebf7")


class ReportError(ValueError):
    """A report that cannot be made from these arguments; the message names the field."""


def check_year(*, year: int, as_of: date) -> None:
    """``year`` must be a year the registry can report on, and not after ``as_of``."""
    if not FIRST_YEAR <= year <= as_of.year:
        raise ReportError(
            f"year: must be from {FIRST_YEAR} to {as_of.year} (the year of the report date), "
            f"not {year}"
        )


@dataclass(frozen=True, slots=True)
class AnnualReport:
    pdf: bytes
    pages: int
    seconds: float


# --- styles -------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    charts.register_pdf_fonts()
    registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic="HsregSans-BoldOblique"
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=28, leading=34, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=14, leading=20, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceBefore=6, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=5
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=body,
            fontName=ITALIC,
            fontSize=8.5,
            leading=11,
            spaceBefore=3,
            spaceAfter=12,
            alignment=TA_CENTER,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9, spaceAfter=0),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName=BOLD,
            fontSize=7.5,
            leading=9,
            spaceAfter=0,
            splitLongWords=0,
        ),
        "headnum": ParagraphStyle(
            "headnum",
            parent=body,
            fontName=BOLD,
            fontSize=7.5,
            leading=9,
            spaceAfter=0,
            splitLongWords=0,
            alignment=TA_RIGHT,
        ),
    }


# --- flowables ----------------------------------------------------------------------------


class _Heading(Paragraph):
    """A heading that goes into the contents and the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, *, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.plain = text
        self.level = level
        self.key = key


class _Chart(Flowable):
    """A chart drawn as vectors, scaled to the text width (and to the page height)."""

    def __init__(self, figure: Figure, *, width: float = TEXT_WIDTH) -> None:
        super().__init__()
        self.figure = figure
        natural_width = figure.get_figwidth() * 72
        natural_height = figure.get_figheight() * 72
        self.scale = min(width / natural_width, (TEXT_HEIGHT - 40) / natural_height)
        self.width = natural_width * self.scale
        self.height = natural_height * self.scale
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        charts.draw_pdf(self.figure, self.canv)
        self.canv.restoreState()


class _Upright(Flowable):
    """A column header set bottom to top, for tables with many narrow columns."""

    def __init__(self, text: str, *, size: float = 7.5) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.width = size * 1.3
        self.height = stringWidth(text, BOLD, size) + 2
        self.hAlign = "RIGHT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(BOLD, self.size)
        canvas.translate(self.width * 0.8, 1)
        canvas.rotate(90)
        canvas.drawString(0, 0, self.text)
        canvas.restoreState()


class _Contents(Flowable):
    """Room for the contents, drawn later: the form the last page defines."""

    def __init__(self, entries: int) -> None:
        super().__init__()
        self.height = entries * CONTENTS_LEADING

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        self.canv.doForm(CONTENTS_FORM)


class _DefineContents(Flowable):
    """Zero-sized and last: defines the contents form, now that every page number is known."""

    def __init__(self, document: _Document, height: float) -> None:
        super().__init__()
        self.document = document
        self.contents_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.beginForm(CONTENTS_FORM)
        y = self.contents_height - CONTENTS_LEADING + 4
        for level, text, page in self.document.entries:
            font, size, indent = (BOLD, 10, 0) if level == 0 else (FONT, 9, 14)
            number = str(page)
            right = TEXT_WIDTH
            canvas.setFont(font, size)
            shown = text
            room = right - indent - stringWidth(number, font, size) - 20
            while stringWidth(shown, font, size) > room and len(shown) > 4:
                shown = shown[:-2].rstrip() + "…"
            canvas.drawString(indent, y, shown)
            canvas.drawRightString(right, y, number)
            start = indent + stringWidth(shown, font, size) + 4
            end = right - stringWidth(number, font, size) - 4
            canvas.setFont(FONT, size)
            dots = "." * max(0, int((end - start) / stringWidth(".", FONT, size)))
            canvas.setFillColor(RULE)
            canvas.drawRightString(end, y, dots)
            canvas.setFillColor(colors.black)
            y -= CONTENTS_LEADING
        canvas.endForm()


class _Document(BaseDocTemplate):
    """A4 pages with a footer (the report's name and the page number), the contents entries
    and the PDF outline gathered as the headings are drawn. The PDF names its title and
    language (``nb`` when made in Norwegian) and opens showing its title and outline."""

    def __init__(self, buffer: io.BytesIO, *, title: str, footer: str) -> None:
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="HISREG",
            creator="hsreg",
            subject=_("The Norwegian quality registry for hidradenitis suppurativa"),
            # accessibility: the document's language (the catalogue's /Lang, read aloud in
            # it) and its title shown instead of the file name; reportlab writes no
            # structure tree, so the PDF is not tagged (README)
            lang=get_language() or "nb",
            displayDocTitle=True,
            invariant=1,
        )
        self.footer = footer
        self.entries: list[tuple[int, str, int]] = []
        frame = Frame(
            MARGIN,
            MARGIN,
            TEXT_WIDTH,
            TEXT_HEIGHT,
            id="text",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        wide = Frame(
            MARGIN,
            MARGIN,
            WIDE_TEXT_WIDTH,
            WIDE[1] - 2 * MARGIN,
            id="wide",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(id="front", frames=[frame], pagesize=A4),
                PageTemplate(id="body", frames=[frame], onPage=self._footer, pagesize=A4),
                PageTemplate(id="wide", frames=[wide], onPage=self._footer, pagesize=WIDE),
            ]
        )

    def _footer(self, canvas: Any, document: Any) -> None:
        width = WIDE[0] if document.pageTemplate.id == "wide" else A4[0]
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN / 2, self.footer)
        canvas.drawRightString(width - MARGIN, MARGIN / 2, str(canvas.getPageNumber()))
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook
        if isinstance(flowable, _Heading):
            page = self.canv.getPageNumber()
            self.entries.append((flowable.level, flowable.plain, page))
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level)


# --- the report's parts -------------------------------------------------------------------


@dataclass
class _Story:
    """The flowables in order, with the running numbers of figures, tables and headings."""

    styles: dict[str, ParagraphStyle]
    flowables: list[Flowable] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    figures: int = 0
    tables: int = 0

    def add(self, *flowables: Flowable) -> None:
        self.flowables.extend(flowables)

    def heading(self, text: str, *, level: int) -> None:
        key = f"h{len(self.headings)}"
        self.headings.append((level, text))
        style = self.styles["h1" if level == 0 else "h2"]
        if level == 0:
            self.add(PageBreak())
        else:
            self.add(CondPageBreak(6 * cm))
        self.add(_Heading(text, style, level=level, key=key))

    def text(self, text: str, style: str = "body") -> None:
        self.add(Paragraph(text, self.styles[style]))

    def chart(self, figure: Figure, title: str) -> None:
        self.figures += 1
        caption = Paragraph(
            escape(_("Figure %(n)s: %(title)s") % {"n": self.figures, "title": title}),
            self.styles["caption"],
        )
        self.add(KeepTogether([_Chart(figure), caption]))

    def table(
        self,
        rows: list[list[Any]],
        *,
        title: str,
        widths: Sequence[float],
        styles: Iterable[tuple[Any, ...]] = (),
        total_rows: Iterable[int] = (),
    ) -> None:
        self.tables += 1
        table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, 7.5),
            ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for row in total_rows:
            commands += [
                ("FONT", (0, row), (-1, row), BOLD, 7.5),
                ("LINEABOVE", (0, row), (-1, row), 0.6, RULE),
            ]
        table.setStyle(TableStyle([*commands, *styles]))
        caption = Paragraph(
            escape(_("Table %(n)s: %(title)s") % {"n": self.tables, "title": title}),
            self.styles["caption"],
        )
        self.add(table, caption)


def _percent(value: float, digits: int = 1) -> str:
    return f"{charts.number(value, digits)} %"


#: reportlab's default left and right padding of a table cell, in points
CELL_PADDING = 6.0


def header_room(text: str, *, size: float = 7.5) -> float:
    """The width a table column needs for the longest word of its bold header ``text``, with
    the cell's paddings: a header cell wraps between words but does not break one."""
    longest = max((stringWidth(word, BOLD, size) for word in text.split()), default=0.0)
    return longest + 2 * CELL_PADDING + 1


def _p(text: str, story: _Story, style: str = "cell") -> Paragraph:
    return Paragraph(escape(text), story.styles[style])
