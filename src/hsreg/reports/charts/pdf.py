"""A figure drawn as vectors on a reportlab canvas (the annual report), its text searchable."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Transform
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

#: matplotlib's own DejaVu Sans, registered with reportlab under these names, so the PDF's
#: charts are set in the same font as the PNG and SVG ones, with every Norwegian letter
PDF_FONTS = {
    ("normal", "normal"): ("HsregSans", "DejaVuSans.ttf"),
    ("normal", "bold"): ("HsregSans-Bold", "DejaVuSans-Bold.ttf"),
    ("italic", "normal"): ("HsregSans-Oblique", "DejaVuSans-Oblique.ttf"),
    ("italic", "bold"): ("HsregSans-BoldOblique", "DejaVuSans-BoldOblique.ttf"),
}


_REGISTERING = threading.Lock()


def register_pdf_fonts() -> None:
    """Registers DejaVu Sans (from matplotlib's data) with reportlab, once per process."""
    with _REGISTERING:
        registered = set(pdfmetrics.getRegisteredFontNames())
        directory = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        for name, file in PDF_FONTS.values():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(directory / file)))


def _pdf_font(prop: FontProperties) -> str:
    style = "italic" if prop.get_style() in ("italic", "oblique") else "normal"
    weight = prop.get_weight()
    bold = weight == "bold" or (isinstance(weight, int | float) and weight >= 600)
    return PDF_FONTS[(style, "bold" if bold else "normal")][0]


class _PdfRenderer(RendererBase):
    """Draws a matplotlib figure as vectors on a reportlab canvas, at 72 units to the inch:
    paths (bars, lines, markers, spines) and text (set in DejaVu Sans as real text, so it can
    be searched and read out). Enough for the report's charts, which use neither images nor
    mathematical text; a path is clipped to its axes as in the other backends."""

    def __init__(self, canvas: Canvas, width: float, height: float) -> None:
        super().__init__()
        self.canvas = canvas
        self.width = width
        self.height = height

    def flipy(self) -> bool:
        return False  # matplotlib and PDF both measure y upwards

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def get_text_width_height_descent(
        self, s: str, prop: FontProperties, ismath: Any
    ) -> tuple[float, float, float]:
        font, size = _pdf_font(prop), prop.get_size_in_points()
        ascent, descent = pdfmetrics.getAscentDescent(font, size)
        return pdfmetrics.stringWidth(s, font, size), ascent - descent, -descent

    def _clip(self, gc: GraphicsContextBase, extent: Any = None) -> None:
        """Clips to the artist's box (its axes), unless ``extent`` (the drawing's lowest and
        highest corner) lies inside it anyway: most paths do, and a clip costs a path."""
        box = gc.get_clip_rectangle()
        if box is None:
            return
        if extent is not None:
            (x0, y0), (x1, y1) = extent
            inside = box.x0 - 0.01 <= x0 and x1 <= box.x1 + 0.01
            if inside and box.y0 - 0.01 <= y0 and y1 <= box.y1 + 0.01:
                return
        clip = self.canvas.beginPath()
        clip.rect(box.x0, box.y0, box.width, box.height)
        self.canvas.clipPath(clip, stroke=0, fill=0)

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: MplPath,
        transform: Transform,
        rgbFace: Any = None,  # noqa: N803 - matplotlib's name
    ) -> None:
        forced = gc.get_forced_alpha()
        r, g, b, a = gc.get_rgb()
        width = gc.get_linewidth()
        fill = (
            rgbFace is not None
            and (gc.get_alpha() if forced or len(rgbFace) < 4 else rgbFace[3]) > 0
        )
        stroke = width > 0 and (gc.get_alpha() if forced else a) > 0
        if not (fill or stroke) or len(path) == 0:
            return
        canvas = self.canvas
        canvas.saveState()
        corners = transform.transform(path.vertices)
        self._clip(gc, (corners.min(axis=0), corners.max(axis=0)))
        drawn = canvas.beginPath()
        last = (0.0, 0.0)
        for points, code in path.iter_segments(transform, remove_nans=True, simplify=False):
            if code == MplPath.MOVETO:
                drawn.moveTo(*points)
            elif code == MplPath.LINETO:
                drawn.lineTo(*points)
            elif code == MplPath.CURVE3:  # a quadratic Bézier as the cubic it equals
                cx, cy, x, y = points
                x0, y0 = last
                drawn.curveTo(
                    x0 + 2 / 3 * (cx - x0),
                    y0 + 2 / 3 * (cy - y0),
                    x + 2 / 3 * (cx - x),
                    y + 2 / 3 * (cy - y),
                    x,
                    y,
                )
            elif code == MplPath.CURVE4:
                drawn.curveTo(*points)
            elif code == MplPath.CLOSEPOLY:
                drawn.close()
            if code != MplPath.CLOSEPOLY and len(points) >= 2:
                last = (float(points[-2]), float(points[-1]))
        if fill:
            alpha = gc.get_alpha() if forced or len(rgbFace) < 4 else rgbFace[3]
            canvas.setFillColorRGB(*rgbFace[:3], alpha=alpha)
        if stroke:
            canvas.setStrokeColorRGB(r, g, b, alpha=gc.get_alpha() if forced else a)
            canvas.setLineWidth(width)
            canvas.setLineCap({"butt": 0, "round": 1, "projecting": 2}[gc.get_capstyle()])
            canvas.setLineJoin({"miter": 0, "round": 1, "bevel": 2}[gc.get_joinstyle()])
            offset, dashes = gc.get_dashes()
            if dashes:
                canvas.setDash(list(dashes), offset or 0)
        canvas.drawPath(drawn, stroke=int(stroke), fill=int(fill))
        canvas.restoreState()

    def draw_text(  # noqa: PLR0917 - matplotlib's signature
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        canvas = self.canvas
        canvas.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        canvas.setFillColorRGB(r, g, b, alpha=gc.get_alpha() if gc.get_forced_alpha() else a)
        canvas.translate(x, y)
        if angle:
            canvas.rotate(angle)
        canvas.setFont(_pdf_font(prop), prop.get_size_in_points())
        canvas.drawString(0, 0, s)
        canvas.restoreState()


def draw_pdf(fig: Figure, canvas: Canvas) -> None:
    """Draws ``fig`` as vectors on a reportlab canvas, its lower left corner at the canvas's
    origin, one unit a point: the annual report's charts, sharp at any zoom and a fraction of
    the time and size of PNG images."""
    register_pdf_fonts()
    fig.set_dpi(72)
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    fig.draw(_PdfRenderer(canvas, width, height))
