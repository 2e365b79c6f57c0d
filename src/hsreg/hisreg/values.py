"""How one column gets its value: a source names where it comes from in hsreg (for the README)
and reads it from a form. Values are written as the dictionary writes them: codes as their
``listeverdier``, a ticked box as 1 and an unticked one as 0, dates as YYYY-MM-DD."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .dictionary import DATE_FORMAT


@dataclass(frozen=True, slots=True)
class Extra:
    """What a form's row needs beyond the form: the drugs of the intervention's finished
    courses, and the counts of the patient's doctor's assessment before this one."""

    drugs: frozenset[str] = frozenset()
    previous: tuple[int | None, int | None, int | None] | None = None


Reader = Callable[[Any, Extra], Any]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a column comes from (``origin``, for the README) and how it is read; ``read``
    None means hsreg does not store it and ``origin`` says why."""

    origin: str
    read: Reader | None = field(default=None, compare=False)
    #: the model field a column is stored in as is (``stored``), which the import fills
    field: str = ""

    @property
    def stored(self) -> bool:
        return self.read is not None


def text(value: Any) -> str:
    """A value as the file holds it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def stored(model: str, name: str) -> Source:
    """A model field, as stored (codes are HISREG's already)."""
    return Source(f"{model}.{name}", lambda record, _extra: getattr(record, name), field=name)


def derived(origin: str, read: Reader) -> Source:
    return Source(origin, read)


def not_stored(reason: str) -> Source:
    return Source(f"not stored: {reason}")


def any_of(*flags: bool) -> int:
    """A yes/no (0/1) question that is yes when any of its boxes is ticked."""
    return 1 if any(flags) else 0
