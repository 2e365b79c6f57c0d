"""How one column gets its value: a source names where it comes from in hsreg (for the README)
and reads it from a form. Values are written as the dictionary writes them: codes as their
``listeverdier``, a ticked box as 1 and an unticked one as 0, dates as YYYY-MM-DD."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .dictionary import DATE_FORMAT


@dataclass(frozen=True, slots=True)
class Extra:
    """What a form's row needs beyond the form: the drugs of the intervention's finished
    courses, and the patient's height."""

    drugs: frozenset[str] = frozenset()
    #: the patient's height (MedicalHistory.height_cm), which HISREG copies to the doctor's form
    height: int | None = None


Reader = Callable[[Any, Extra], Any]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a column comes from (``origin``, for the README) and how it is read; ``read``
    None means hsreg does not store it and ``origin`` says why."""

    origin: str
    read: Reader | None = field(default=None, compare=False)
    #: the model field a column is stored in as is (``stored``), which the import fills
    field: str = ""
    #: where hsreg keeps it (the form-coverage table, hisreg.coverage): "Model.field", or
    #: several; for a column not exported, ``origin`` says why
    kept_in: str = ""
    #: stored by hsreg but left out of the export (``origin`` says why)
    withheld: bool = False

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
    return Source(
        f"{model}.{name}",
        lambda record, _extra: getattr(record, name),
        field=name,
        kept_in=f"{model}.{name}",
    )


def derived(origin: str, read: Reader, *, kept_in: str, field: str = "") -> Source:
    """A column read from what hsreg keeps in ``kept_in`` (a field, a list, a course), which
    the import fills from ``field`` when it names the form's field."""
    return Source(origin, read, field=field, kept_in=kept_in)


def withheld(kept_in: str, reason: str) -> Source:
    """Stored by hsreg (``kept_in``) but not exported, for ``reason``."""
    return Source(f"not exported: {reason}", kept_in=kept_in, withheld=True)


def whole(value: Decimal | None) -> int | None:
    """A one-decimal scale as the dictionary's whole number (desimaler 0): half up, so 4.5 is
    5 (Decimal's ROUND_HALF_UP, never a float's rounding)."""
    if value is None:
        return None
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def any_of(*flags: bool) -> int:
    """A yes/no (0/1) question that is yes when any of its boxes is ticked."""
    return 1 if any(flags) else 0
