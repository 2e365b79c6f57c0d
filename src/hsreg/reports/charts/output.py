"""A figure written as PNG, or as inline SVG that obeys the site's Content Security Policy."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from matplotlib.figure import Figure

from .common import (
    FONT_FAMILY,
    SVG,
    XLINK,
)


def png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG (the PDF's images and downloads)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


_STYLE_ITEM = re.compile(r"\s*([\w-]+)\s*:\s*(.+?)\s*$")


def _attributes(style: str) -> dict[str, str]:
    found = {}
    for item in style.split(";"):
        match = _STYLE_ITEM.match(item)
        if match:
            name, value = match.groups()
            found[name] = FONT_FAMILY if name == "font-family" else value
    return found


def svg(fig: Figure) -> str:
    """The figure as SVG markup to put inline in a page: no XML prolog, no metadata, a
    <title> and <desc> for screen readers, and presentation attributes instead of inline
    styles (the Content Security Policy refuses those)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(buffer.getvalue())  # noqa: S314 - our own matplotlib output
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag in ("metadata", "style"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _attributes(style).items():
                element.set(name, value)
    for group in root.iter(f"{{{SVG}}}g"):
        group.attrib.pop("id", None)  # figure_1, axes_1 …: the same in every chart of a page
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    title = str(getattr(fig, "title", "") or fig.get_label())
    description = str(getattr(fig, "description", ""))
    head = []
    if title:
        element = ET.Element(f"{{{SVG}}}title")
        element.text = title
        head.append(element)
    if description:
        element = ET.Element(f"{{{SVG}}}desc")
        element.text = description
        head.append(element)
    for k, element in enumerate(head):
        root.insert(k, element)
    for defs in root.iter(f"{{{SVG}}}defs"):
        if len(defs) == 0 and not (defs.text or "").strip():
            for parent in root.iter():
                if defs in list(parent):
                    parent.remove(defs)
                    break
    return ET.tostring(root, encoding="unicode")
