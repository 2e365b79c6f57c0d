"""The patient's mobile number, checked and written one way (E.164, ``+47…`` for a Norwegian
number), so the SMS gateway gets what it expects and a typo is refused where it is typed."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s().-]")
#: a Norwegian mobile number: 8 digits starting with 4 or 9
_NORWEGIAN = re.compile(r"[49]\d{7}")
#: any number with its country code: + and 8 to 15 digits (E.164)
_INTERNATIONAL = re.compile(r"\+[1-9]\d{7,14}")


def norwegian_mobile(text: str) -> str:
    """``text`` as an E.164 number: 8 digits (a Norwegian mobile number, 4xx or 9xx) become
    +47 and the digits; 0047 is read as +47; a number with + and its country code is kept.
    Spaces, dashes, dots and parentheses are ignored; '' stays ''. Anything else raises
    ValidationError saying what is expected."""
    number = _SEPARATORS.sub("", text or "")
    if not number:
        return ""
    if number.startswith("00"):
        number = "+" + number[2:]
    if _NORWEGIAN.fullmatch(number):
        return "+47" + number
    if number.startswith("+47"):
        if _NORWEGIAN.fullmatch(number[3:]):
            return number
    elif _INTERNATIONAL.fullmatch(number):
        return number
    raise ValidationError(
        _(
            "Write a Norwegian mobile number of 8 digits (starting with 4 or 9), or + and the "
            "country code before the number."
        ),
        code="mobile",
    )
