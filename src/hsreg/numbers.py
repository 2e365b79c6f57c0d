"""Whole numbers that someone else wrote: a query parameter, a hidden field, a search, a cell
of an uploaded file.

``str.isdigit`` is true for ``²``, ``٣`` and ``５`` (``int`` then refuses some of them and
reads others), and ``int`` of more than 4,300 digits raises: each was a 500 once (issue 11
point 9). So every place that turns such text into a number reads it here. Pure Python.
"""

from __future__ import annotations


def whole_number(text: str, *, max_digits: int) -> int | None:
    """``text`` as a whole number when it is ASCII digits only, at most ``max_digits`` of
    them (leading zeros aside); None otherwise, for the caller to answer as "no such" or
    with a message."""
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > max_digits:
        return None
    return int(text)
