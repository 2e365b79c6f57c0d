"""The research extract's patient pseudonyms: a keyed hash of the patient's internal id.

A researcher needs to see which episodes belong to the same patient, and must not be able to
get back to the patient. The internal id is a small counter, so a plain hash of it could be
undone by hashing 1, 2, 3, ...; an HMAC-SHA256 under a key the researcher never sees cannot.

The key lives outside the database, like the key of the objections' hashes
(objections.fingerprint), but it is a key of its own and never Django's SECRET_KEY: a copy of
the database and the extract together give nothing, and rotating the secret key (sessions, the
objections) does not renumber the patients of a running study. It is ``HSREG_RESEARCH_KEY``
from the environment, or else a random key made on first use and kept in the data directory
(HSREG_DATA_DIR/research-key, readable by its owner only). A new key gives every patient a new
pseudonym, so extracts made under different keys cannot be linked.

A pseudonym is the first 16 hex digits (64 bits) of the HMAC in four groups of four
("3f9a-0c12-88be-4d07"): short enough to read, with no collision to expect among a registry's
patients, and no long run of digits that a scan for national id numbers would flag.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "research-key"
#: HMAC message prefix, so this key used for anything else later gives other values
DOMAIN = b"hsreg.reports.research.patient:"
HEX_DIGITS = 16
GROUP = 4


def research_key_file() -> Path:
    """Where the research key is kept when HSREG_RESEARCH_KEY is not set."""
    return Path(settings.DATA_DIR) / KEY_FILE


def research_key() -> bytes:
    """The pseudonym key: HSREG_RESEARCH_KEY, else the data directory's key file, made with
    `secrets` on first use. Refuses a key equal to the Django secret key."""
    configured: str = getattr(settings, "HSREG_RESEARCH_KEY", "")
    key = configured or _kept_key(research_key_file())
    if key == settings.SECRET_KEY:
        raise ImproperlyConfigured(
            "HSREG_RESEARCH_KEY must differ from HSREG_SECRET_KEY: the research pseudonyms "
            "need a key of their own."
        )
    return key.encode("utf-8")


def _kept_key(path: Path) -> str:
    """The key stored at ``path``, or a new random one stored there (mode 0600)."""
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return value


def pseudonym(patient_id: int, *, key: bytes) -> str:
    """The patient's pseudonym under ``key`` (research_key()): the same for the same patient and
    key, unrelated across keys."""
    digest = hmac.new(key, DOMAIN + str(patient_id).encode("ascii"), hashlib.sha256).hexdigest()
    short = digest[:HEX_DIGITS]
    return "-".join(short[i : i + GROUP] for i in range(0, HEX_DIGITS, GROUP))
