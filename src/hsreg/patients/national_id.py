"""Norwegian national id numbers: fødselsnummer, D-number and H-number, via python-stdnum.

Birth date and sex are read from the number, so they are never typed twice. Synthetic test
numbers (Skatteetaten's Tenor test data add 80 to the month) are accepted only when the settings
say so (the demo and the tests): they can never belong to a real person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import fodselsnummer

SYNTHETIC_MONTH_OFFSET = 80


@dataclass(frozen=True, slots=True)
class NationalId:
    number: str  # 11 digits
    birth_date: date
    sex: str  # "female" or "male"
    synthetic: bool


def _synthetic_as_real(number: str) -> str | None:
    month = int(number[2:4])
    if month <= SYNTHETIC_MONTH_OFFSET:
        return None
    return f"{number[:2]}{month - SYNTHETIC_MONTH_OFFSET:02d}{number[4:]}"


def parse(value: str, *, accept_synthetic: bool | None = None) -> NationalId:
    """The validated number with its birth date and sex; raises a Django `ValidationError`
    whose message says what is wrong."""
    if accept_synthetic is None:
        accept_synthetic = bool(getattr(settings, "HSREG_ACCEPT_SYNTHETIC_IDS", False))
    number = fodselsnummer.compact(value or "")
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(_("A national id number has 11 digits."), code="length")
    checks_ok = (
        fodselsnummer.calc_check_digit1(number[:9]) == number[9]
        and fodselsnummer.calc_check_digit2(number[:10]) == number[10]
    )
    if not checks_ok:
        raise ValidationError(
            _("The check digits do not match: the number is mistyped."), code="checksum"
        )
    real = _synthetic_as_real(number)
    synthetic = real is not None
    if synthetic and not accept_synthetic:
        raise ValidationError(
            _("Synthetic test numbers are not accepted in this registry."), code="synthetic"
        )
    try:
        birth_date = fodselsnummer.get_birth_date(real or number)
    except StdnumError:
        raise ValidationError(
            _("The number does not hold a valid birth date."), code="birth_date"
        ) from None
    if birth_date > date.today():
        raise ValidationError(_("The birth date in the number is in the future."), code="future")
    gender = fodselsnummer.get_gender(number)
    return NationalId(number, birth_date, "female" if gender == "F" else "male", synthetic)


def is_national_id(text: str) -> bool:
    """Whether a search text looks like an id number (11 digits, spaces allowed)."""
    compact = text.replace(" ", "")
    return len(compact) == 11 and compact.isascii() and compact.isdigit()


def synthetic_number(birth_date: date, individual: int) -> str | None:
    """A synthetic test number (month + 80) for ``birth_date`` with the given individual number
    (0-999), or None when no check digits exist for it. Used by the demo data only."""
    year = birth_date.year % 100
    base = (
        f"{birth_date.day:02d}{birth_date.month + SYNTHETIC_MONTH_OFFSET:02d}{year:02d}"
        f"{individual:03d}"
    )
    k1 = fodselsnummer.calc_check_digit1(base)
    if len(k1) != 1:
        return None
    k2 = fodselsnummer.calc_check_digit2(base + k1)
    if len(k2) != 1:
        return None
    return base + k1 + k2
