"""The QR code of a tablet invitation's link and its short code in groups, as the tablet shows
them: an inline SVG drawn by segno (no script or style, so the CSP needs no exception), as
accounts.mfa draws the authenticator's."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, title: str) -> SafeString:
    """``text`` (our own link) as an inline SVG QR code."""
    svg = segno.make(text, error="m").svg_inline(scale=5, title=title, svgclass="qr")
    return mark_safe(svg)  # noqa: S308 - segno's SVG of our own URL; segno escapes the title


def grouped(code: str) -> str:
    """A short code in groups of four, for reading aloud and typing: "ABCD EFGH"."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
