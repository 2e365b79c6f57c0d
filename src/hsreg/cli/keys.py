"""The key check before a command goes on (keycheck.services): serve, demo and check refuse
keys that do not fit the database, naming the key and what to do (exit 2)."""

from __future__ import annotations

import sys

from .common import InputError


def check_keys(*, command: str) -> None:
    """Verifies HSREG_SECRET_KEY (and its fallbacks) and the research key against the
    database's key check, stamping a key used for the first time; prints the warnings (a
    fallback key that must be kept). Django must be set up."""
    from hsreg.keycheck.services import KeyMismatchError, ensure_keys  # noqa: PLC0415

    try:
        result = ensure_keys()
    except KeyMismatchError as error:
        raise InputError(f"{error} hsreg {command} does not run with it.") from None
    for warning in result.warnings:
        print(f"hsreg: {warning}", file=sys.stderr)
