"""Does the registry run with the keys its data was made with? The key check answers before
``serve``, ``demo``, ``restore`` and ``check`` go on.

Two keys live outside the database and give meaning to what is in it: HSREG_SECRET_KEY keys
the hashes that stand for the national id numbers of patients who objected
(objections.fingerprint), and the research key keys the research pseudonyms
(reports.pseudonyms). Under another secret key an objection is no longer recognised and the
person can be registered again; under another research key every pseudonym changes. Nothing
fails loudly in either case, so the database keeps a stamp of each key (an HMAC of a fixed
label, models.KeyStamp) and the commands compare.

Rotation of the secret key is allowed (HSREG_SECRET_KEY_FALLBACKS): a secret key stamp
verified by a fallback key is accepted with a warning that the fallback must stay, and the new
key is stamped beside it. So the table holds one stamp per secret key the database was used
with, and every one of them must still be the key or a fallback: an objection recorded under
any of them is recognised only through it. The research key has no fallback: a study's
pseudonyms are made with one key.

Stamps are made when the database is set up (post_migrate on a database without any) and, for
a key not stamped yet, when a command first runs with it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils.crypto import salted_hmac

from hsreg.reports.pseudonyms import research_key, research_key_file

from .models import KeyStamp

SECRET_SALT = "hsreg.keycheck.secret-key"  # noqa: S105 - an HMAC salt, not a secret
LABEL = "the key this registry's data was made with"
RESEARCH_LABEL = b"hsreg.keycheck.research-key:" + LABEL.encode()
SECRET_KEY_NAME = "HSREG_SECRET_KEY"  # noqa: S105 - the name of the setting
RESEARCH_KEY_NAME = "research key"


class KeyMismatchError(Exception):
    """The keys of the environment do not verify the database's stamps. ``key`` names the
    key (HSREG_SECRET_KEY or the research key); the message says why and what to do."""

    def __init__(self, *, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class Stamp:
    """A stamp as the database or a backup's manifest holds it."""

    kind: str
    value: str
    stamped_at: str  # ISO 8601

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value, "stamped_at": self.stamped_at}

    @classmethod
    def from_dict(cls, data: Any) -> Stamp:
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("kind", "value", "stamped_at")
        ):
            raise ValueError("a key check stamp needs kind, value and stamped_at")
        return cls(kind=data["kind"], value=data["value"], stamped_at=data["stamped_at"])

    @property
    def day(self) -> str:
        return self.stamped_at[:10]


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """What a check found: the kinds of key stamped now, and warnings to print."""

    stamped: tuple[str, ...]
    warnings: tuple[str, ...]


def secret_stamp(key: str) -> str:
    return salted_hmac(SECRET_SALT, LABEL, secret=key, algorithm="sha256").hexdigest()


def research_stamp(key: bytes) -> str:
    return hmac.new(key, RESEARCH_LABEL, hashlib.sha256).hexdigest()


def _research_key(*, create: bool) -> tuple[bytes | None, str]:
    """The research key as reports.pseudonyms finds it, and where it came from in words; None
    when there is none yet and ``create`` is false (a check must not make a new key)."""
    configured = getattr(settings, "HSREG_RESEARCH_KEY", "")
    path = research_key_file()
    where = "HSREG_RESEARCH_KEY" if configured else f"the research key in {path}"
    if not configured and not path.exists() and not create:
        return None, where
    try:
        return research_key(), where
    except ImproperlyConfigured as error:
        raise KeyMismatchError(key=RESEARCH_KEY_NAME, message=str(error)) from None


def verify(stamps: Sequence[Stamp]) -> tuple[str, ...]:
    """Compares ``stamps`` with the keys of the settings. Returns warnings (a stamp verified
    by a fallback key); raises KeyMismatchError naming the key that is wrong or missing."""
    warnings = [*_verify_secret([s for s in stamps if s.kind == KeyStamp.Kind.SECRET])]
    research = [s for s in stamps if s.kind == KeyStamp.Kind.RESEARCH]
    if research:
        _verify_research(research[0])
    return tuple(warnings)


def _verify_secret(stamps: Sequence[Stamp]) -> Iterable[str]:
    if not stamps:
        return
    fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    values = [secret_stamp(k) for k in [settings.SECRET_KEY, *fallbacks]]
    found = {
        stamp: values.index(stamp.value) if stamp.value in values else None for stamp in stamps
    }
    if all(index is None for index in found.values()):
        others = (
            f", and none of the {len(fallbacks)} keys in HSREG_SECRET_KEY_FALLBACKS is either"
            if fallbacks
            else ""
        )
        raise KeyMismatchError(
            key=SECRET_KEY_NAME,
            message=f"wrong secret key: HSREG_SECRET_KEY is not the secret key this database "
            f"was set up with (key check of {stamps[0].day}){others}. Under another key the "
            "objections (reservasjon) recorded in it are not recognised, and a patient who "
            "objected could be registered again. Set HSREG_SECRET_KEY to the secret key kept "
            "for this registry (after a key rotation: the new key in HSREG_SECRET_KEY and the "
            "earlier ones in HSREG_SECRET_KEY_FALLBACKS).",
        )
    for stamp, index in found.items():
        if index is None:
            raise KeyMismatchError(
                key=SECRET_KEY_NAME,
                message="missing secret key: a secret key this database was used with (key "
                f"check of {stamp.day}) is neither HSREG_SECRET_KEY nor in "
                "HSREG_SECRET_KEY_FALLBACKS. The objections (reservasjon) recorded while it "
                "was the key would no longer be recognised, and those patients could be "
                "registered again. Put that key back in HSREG_SECRET_KEY_FALLBACKS.",
            )
        if index:
            yield (
                f"warning: HSREG_SECRET_KEY_FALLBACKS (key {index} of {len(fallbacks)}) holds a "
                f"secret key this database was used with (since {stamp.day}): keep it there. "
                "The objections recorded under it are recognised only through it."
            )


def _verify_research(stamp: Stamp) -> None:
    key, where = _research_key(create=False)
    path = research_key_file()
    if key is None:
        raise KeyMismatchError(
            key=RESEARCH_KEY_NAME,
            message=f"missing research key: HSREG_RESEARCH_KEY is not set and {path} does not "
            "exist, but this database's research pseudonyms were made with a research key "
            f"(key check of {stamp.day}). Set HSREG_RESEARCH_KEY to that key, or put it in "
            f"{path}; any other key would change every research pseudonym.",
        )
    if research_stamp(key) != stamp.value:
        raise KeyMismatchError(
            key=RESEARCH_KEY_NAME,
            message=f"wrong research key: {where} is not the research key this database was "
            f"used with (key check of {stamp.day}), and every research pseudonym would change. "
            f"Set HSREG_RESEARCH_KEY to the research key kept for this registry (or put it in "
            f"{path}).",
        )


def is_set_up(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database has the key check's table (it has been migrated)."""
    connection = connections[using]
    return KeyStamp._meta.db_table in connection.introspection.table_names()


def stamps(*, using: str = DEFAULT_DB_ALIAS) -> list[Stamp]:
    """The database's stamps, oldest first."""
    return [
        Stamp(kind=s.kind, value=s.value, stamped_at=s.stamped_at.isoformat())
        for s in KeyStamp.objects.using(using).order_by("stamped_at", "id")
    ]


def ensure_keys(*, using: str = DEFAULT_DB_ALIAS) -> KeyCheck:
    """Verifies the keys of the settings against the database's stamps (KeyMismatchError when they
    do not fit) and stamps a key not stamped yet: at first use, or the new key after a
    rotation (the old one verified as a fallback). A database not set up yet has nothing to
    check."""
    if not is_set_up(using=using):
        return KeyCheck(stamped=(), warnings=())
    try:
        with transaction.atomic(using=using):
            existing = stamps(using=using)
            warnings = verify(existing)
            stamped = _stamp_missing(existing, using=using)
    except IntegrityError:  # another process stamped the same key at the same moment
        return KeyCheck(stamped=(), warnings=verify(stamps(using=using)))
    if KeyStamp.Kind.SECRET in stamped and existing:
        warnings = (
            *warnings,
            "warning: the key check now records HSREG_SECRET_KEY beside the earlier secret "
            "key(s) of this database (a key rotation).",
        )
    return KeyCheck(stamped=stamped, warnings=warnings)


def _stamp_missing(existing: Sequence[Stamp], *, using: str) -> tuple[str, ...]:
    stamped: list[str] = []
    current = secret_stamp(settings.SECRET_KEY)
    if current not in {s.value for s in existing if s.kind == KeyStamp.Kind.SECRET}:
        KeyStamp.objects.using(using).create(kind=KeyStamp.Kind.SECRET, value=current)
        stamped.append(KeyStamp.Kind.SECRET)
    if not any(s.kind == KeyStamp.Kind.RESEARCH for s in existing):
        key, _where = _research_key(create=True)
        assert key is not None  # noqa: S101 - made when missing
        KeyStamp.objects.using(using).create(kind=KeyStamp.Kind.RESEARCH, value=research_stamp(key))
        stamped.append(KeyStamp.Kind.RESEARCH)
    return tuple(stamped)


def stamp_new_database(*, using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """post_migrate: a database set up now gets the stamps of the keys it is set up with. A
    database with stamps is left alone (``migrate`` is no key check: serve, demo, restore and
    check are), and so is the research key when it is refused (equal to the secret key):
    the commands that need it say so."""
    if not is_set_up(using=using) or KeyStamp.objects.using(using).exists():
        return
    with transaction.atomic(using=using):
        KeyStamp.objects.using(using).create(
            kind=KeyStamp.Kind.SECRET, value=secret_stamp(settings.SECRET_KEY)
        )
        try:
            key, _where = _research_key(create=True)
        except KeyMismatchError:
            return
        assert key is not None  # noqa: S101 - made when missing
        KeyStamp.objects.using(using).create(kind=KeyStamp.Kind.RESEARCH, value=research_stamp(key))
