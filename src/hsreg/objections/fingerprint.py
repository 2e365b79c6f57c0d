"""The keyed hash that stands for a national id number once its patient has objected.

A plain hash would not do: an 11-digit number with a birth date and check digits has only a
few tens of millions of possible values, so anyone holding the table could hash them all and
read the numbers back. An HMAC keyed with the secret key (Django's ``salted_hmac``, SHA-256,
with a salt of its own so no other use of the key produces the same values) cannot be reversed
without the key.

The hash depends on HSREG_SECRET_KEY. ``fingerprints`` gives one per key in use, the current
key and ``SECRET_KEY_FALLBACKS``, so an objection recorded before a key rotation is still
found as long as the old key stays among the fallbacks.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

KEY_SALT = "hsreg.objections.national_id"


def fingerprint(number: str, *, secret: str | None = None) -> str:
    """The hash of a validated 11-digit number under ``secret`` (default: the current key)."""
    return salted_hmac(KEY_SALT, number, secret=secret, algorithm="sha256").hexdigest()


def fingerprints(number: str) -> list[str]:
    """The number's hash under the current key and each fallback key."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [fingerprint(number, secret=key) for key in keys]
