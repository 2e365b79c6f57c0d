"""The backup archive: a tar file holding ``manifest.json`` and one database member.

The manifest says what the archive holds and how to know it is whole: the hsreg version that
made it, the database vendor, the migrations applied, the rows of every table, the SHA-256 of
the database member, when it was made, and the key check's stamps (HMACs of a fixed label,
never a key: keycheck). The keys themselves (HSREG_SECRET_KEY, its fallbacks, the research
key) are never in it: a copy of the archive alone must not be enough.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = "hsreg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
KEYS_NOTE = (
    "HSREG_SECRET_KEY, HSREG_SECRET_KEY_FALLBACKS and the research key are not in this "
    "archive: keep them, apart from it and from each other."
)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the file, database or key
    and why."""


@dataclass(frozen=True, slots=True)
class Manifest:
    hsreg_version: str
    vendor: str
    created_at: str
    migrations: list[str]
    tables: dict[str, int]
    checksums: dict[str, str]
    key_check: list[dict[str, str]]
    server_version: str = ""

    @property
    def member(self) -> str:
        return MEMBERS[self.vendor]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "hsreg_version": self.hsreg_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "server_version": self.server_version},
            "migrations": self.migrations,
            "tables": self.tables,
            "sha256": self.checksums,
            "key_check": self.key_check,
            "keys": KEYS_NOTE,
        }
        return json.dumps(document, indent=2, sort_keys=False).encode() + b"\n"

    @classmethod
    def parse(cls, data: bytes, *, where: str) -> Manifest:
        try:
            document = json.loads(data)
            if document.get("format") != FORMAT:
                raise ValueError(f"not an {FORMAT} manifest")
            if document.get("format_version") != FORMAT_VERSION:
                raise ValueError(
                    f"format version {document.get('format_version')!r}, this hsreg reads "
                    f"{FORMAT_VERSION}"
                )
            vendor = document["database"]["vendor"]
            if vendor not in MEMBERS:
                raise ValueError(f"unknown database vendor {vendor!r}")
            tables = {str(k): int(v) for k, v in document["tables"].items()}
            checksums = {str(k): str(v) for k, v in document["sha256"].items()}
            return cls(
                hsreg_version=str(document["hsreg_version"]),
                vendor=vendor,
                created_at=str(document["created_at"]),
                migrations=[str(m) for m in document["migrations"]],
                tables=tables,
                checksums=checksums,
                key_check=list(document.get("key_check") or []),
                server_version=str(document["database"].get("server_version") or ""),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"{where}: the manifest cannot be read ({error})") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write(out: Path, *, manifest: Manifest, database: Path) -> None:
    """Writes the archive to ``out`` (readable by its owner only), through a temporary file
    beside it, so a backup that fails half-way leaves no file that looks whole."""
    compression = "w:gz" if manifest.vendor == "sqlite" else "w"  # pg_dump's is compressed
    descriptor, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        with tarfile.open(temporary, compression) as archive:
            _add(archive, MANIFEST, manifest.as_json())
            info = archive.gettarinfo(str(database), arcname=manifest.member)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = 0o600
            with database.open("rb") as file:
                archive.addfile(info, file)
        os.chmod(temporary, 0o600)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


class Archive:
    """A backup archive opened for reading: its manifest, and its database member copied to
    a private temporary file once its checksum is verified."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise BackupError(f"{path}: no such file")
        try:
            self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by close()
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"{path}: not an hsreg backup archive ({error})") from None
        members = {m.name: m for m in self._tar.getmembers()}
        if MANIFEST not in members:
            self.close()
            raise BackupError(f"{path}: not an hsreg backup archive (no {MANIFEST})")
        self.manifest = Manifest.parse(self._read(members[MANIFEST]), where=str(path))
        expected = {MANIFEST, self.manifest.member}
        strange = sorted(set(members) - expected)
        if strange or self.manifest.member not in members:
            self.close()
            what = f"unexpected members {', '.join(strange)}" if strange else "no database"
            raise BackupError(f"{path}: the archive is not as its manifest says ({what})")
        self._member = members[self.manifest.member]
        if not self._member.isfile():
            self.close()
            raise BackupError(f"{path}: {self._member.name} is not a regular file")

    def _read(self, member: tarfile.TarInfo) -> bytes:
        file = self._tar.extractfile(member)
        if file is None:
            raise BackupError(f"{self.path}: {member.name} is not a regular file")
        return file.read()

    def extract_database(self, into: Path) -> None:
        """Copies the database member to ``into`` (created with mode 0600) and verifies its
        SHA-256 against the manifest; a mismatch deletes the copy and refuses."""
        source = self._tar.extractfile(self._member)
        assert source is not None  # noqa: S101 - checked in __init__
        digest = hashlib.sha256()
        descriptor = os.open(into, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as target:
            _copy(source, target, digest)
        expected = self.manifest.checksums.get(self._member.name)
        if digest.hexdigest() != expected:
            into.unlink(missing_ok=True)
            raise BackupError(
                f"{self.path}: the checksum of {self._member.name} does not match the "
                "manifest: the archive is damaged or was changed; nothing was restored"
            )

    def close(self) -> None:
        self._tar.close()


def _copy(source: IO[bytes], target: IO[bytes], digest: Any) -> None:
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
