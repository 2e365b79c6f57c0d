"""Three-valued logic for criteria that may be unknown.

A criterion is ``True`` (met), ``False`` (not met) or ``None`` (unknown: the data that decides
it is missing). Combining them follows Kleene's logic, so an unknown only makes the result
unknown where it could change it: ``False and None`` is ``False``, ``True or None`` is ``True``.
"""

from __future__ import annotations

Tri = bool | None


def all3(*values: Tri) -> Tri:
    """Kleene AND: False if any is False, else None if any is None, else True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any3(*values: Tri) -> Tri:
    """Kleene OR: True if any is True, else None if any is None, else False."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def at_least(value: int | None, threshold: int) -> Tri:
    """``value >= threshold``, unknown when the value is."""
    return None if value is None else value >= threshold
