"""Backing the registry up while it runs, and restoring it into an empty database.

Backup: SQLite through its online backup API (``sqlite3.Connection.backup``: a consistent copy
while the server reads and writes); PostgreSQL through ``pg_dump --format=custom`` inside a
snapshot exported by a REPEATABLE READ transaction, so the manifest's row counts are those of
the very state pg_dump writes. The manifest (backup.archive) goes with it.

Restore, in an order that touches the target last: the archive and its manifest are read; the
backup must be of this database vendor and of migrations this hsreg knows; the keys of the
environment must verify the key check the backup carries (keycheck: under another secret key
the objections are not recognised, under another research key the pseudonyms change); the
target database must be empty; the database member's checksum is verified; it is loaded
(PostgreSQL: pg_restore in one transaction), every table's rows are counted against the
manifest, and only then is the database migrated to this version and the keys stamped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from hsreg import __version__
from hsreg.keycheck.models import KeyStamp
from hsreg.keycheck.services import KeyCheck, Stamp, ensure_keys, verify

from .archive import MEMBERS, Archive, BackupError, Manifest, sha256_of, write

MIGRATIONS_TABLE = "django_migrations"
KEY_TABLE = KeyStamp._meta.db_table


@dataclass(frozen=True, slots=True)
class BackedUp:
    manifest: Manifest
    path: Path
    size: int


@dataclass(frozen=True, slots=True)
class Restored:
    manifest: Manifest
    migrations_applied: int
    keys: KeyCheck
    warnings: tuple[str, ...]


def vendor() -> str:
    return str(connection.vendor)


# --- backup ---------------------------------------------------------------------------------


def backup(*, out: Path) -> BackedUp:
    """Writes a backup archive of the database of the settings to ``out`` (which must not
    exist: a good backup is never overwritten by accident)."""
    if out.exists():
        raise BackupError(f"--out {out}: the file exists; give a new name (keep the old backup)")
    with tempfile.TemporaryDirectory(prefix="hsreg-backup-") as scratch:
        database = Path(scratch) / MEMBERS[vendor()]
        if vendor() == "sqlite":
            facts = _sqlite_backup(into=database)
        elif vendor() == "postgresql":
            facts = _postgresql_backup(into=database)
        else:
            raise BackupError(f"the database vendor {vendor()} cannot be backed up by hsreg")
        migrations, tables, stamps, server_version = facts
        manifest = Manifest(
            hsreg_version=__version__,
            vendor=vendor(),
            created_at=timezone.now().isoformat(timespec="seconds"),
            migrations=migrations,
            tables=tables,
            checksums={database.name: sha256_of(database)},
            key_check=[s.as_dict() for s in stamps],
            server_version=server_version,
        )
        write(out, manifest=manifest, database=database)
    return BackedUp(manifest=manifest, path=out, size=out.stat().st_size)


Facts = tuple[list[str], dict[str, int], list[Stamp], str]


def _sqlite_backup(*, into: Path) -> Facts:
    source_path = Path(settings.DATABASES["default"]["NAME"])
    if not source_path.is_file():
        raise BackupError(
            f"there is no database at {source_path} (HSREG_DATA_DIR, or DATABASE_URL): "
            "nothing to back up"
        )
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(into)
    try:
        source.backup(target)  # one step: a consistent copy, while others keep writing
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        source.close()
    try:
        return (*_sqlite_facts(target), "sqlite " + sqlite3.sqlite_version)
    finally:
        target.close()


def _sqlite_facts(db: sqlite3.Connection) -> tuple[list[str], dict[str, int], list[Stamp]]:
    """Migrations, rows per table and key stamps of an SQLite database file."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    tables = {
        name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608 - names from sqlite_master
        for name in names
    }
    migrations = (
        _migration_names(db.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE}").fetchall())  # noqa: S608
        if MIGRATIONS_TABLE in tables
        else []
    )
    stamps = (
        [
            Stamp(kind=k, value=v, stamped_at=str(t))
            for k, v, t in db.execute(
                f"SELECT kind, value, stamped_at FROM {KEY_TABLE} ORDER BY stamped_at, id"  # noqa: S608
            )
        ]
        if KEY_TABLE in tables
        else []
    )
    return migrations, tables, stamps


def _migration_names(rows: list[tuple[Any, ...]]) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in rows)


def _postgresql_backup(*, into: Path) -> Facts:
    pg_dump = _tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # The counts and pg_dump see one snapshot: what the manifest says is what is dumped.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        migrations, tables, stamps = _django_facts(cursor)
        result = subprocess.run(  # noqa: S603 - pg_dump, arguments from the settings
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
             f"--file={into}", f"--dbname={settings.DATABASES['default']['NAME']}"],
            env=_libpq_environment(), capture_output=True, text=True, check=False,
        )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {_first_line(result.stderr)}")
    return migrations, tables, stamps, "postgresql " + str(server_version)


def _django_facts(cursor: Any) -> tuple[list[str], dict[str, int], list[Stamp]]:
    """Migrations, rows per table and key stamps, through the connection (PostgreSQL)."""
    names = sorted(connection.introspection.table_names(cursor))
    tables: dict[str, int] = {}
    for name in names:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
        tables[name] = int(cursor.fetchone()[0])
    migrations: list[str] = []
    if MIGRATIONS_TABLE in tables:
        cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE}")  # noqa: S608
        migrations = _migration_names(cursor.fetchall())
    stamps: list[Stamp] = []
    if KEY_TABLE in tables:
        cursor.execute(f"SELECT kind, value, stamped_at FROM {KEY_TABLE} ORDER BY stamped_at, id")  # noqa: S608
        stamps = [Stamp(kind=k, value=v, stamped_at=t.isoformat()) for k, v, t in cursor.fetchall()]
    return migrations, tables, stamps


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed: it comes with PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client)"
        )
    return found


def _libpq_environment() -> dict[str, str]:
    """The connection of the settings for pg_dump and pg_restore, as libpq's variables (the
    password never on a command line)."""
    database = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "(no message)"


# --- restore --------------------------------------------------------------------------------


def restore(*, path: Path) -> Restored:
    """Restores the archive at ``path`` into the (empty) database of the settings, verifies
    it, migrates it and stamps the keys; BackupError (or keycheck.KeyMismatchError) otherwise."""
    archive = Archive(path)
    try:
        manifest = archive.manifest
        warnings = _check_before_loading(manifest, path=path)
        with _private_directory() as scratch:
            database = scratch / manifest.member
            archive.extract_database(database)
            if manifest.vendor == "sqlite":
                _sqlite_load(database, manifest=manifest, path=path)
            else:
                _postgresql_load(database, manifest=manifest, path=path)
    finally:
        archive.close()
    connections.close_all()
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    call_command("migrate", interactive=False, verbosity=0)
    keys = ensure_keys()
    return Restored(
        manifest=manifest, migrations_applied=pending, keys=keys, warnings=tuple(warnings)
    )


def _check_before_loading(manifest: Manifest, *, path: Path) -> list[str]:
    if manifest.vendor != vendor():
        raise BackupError(
            f"{path}: a backup of a {manifest.vendor} database cannot be restored into "
            f"{vendor()} (DATABASE_URL): restore it into the same kind of database"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest.migrations) - known)
    if unknown:
        raise BackupError(
            f"{path}: the backup was made by a newer hsreg ({manifest.hsreg_version}; "
            f"migrations {', '.join(unknown[:3])}{' …' if len(unknown) > 3 else ''} are not "
            f"known to hsreg {__version__}): restore it with hsreg {manifest.hsreg_version} "
            "or later"
        )
    try:
        stamps = [Stamp.from_dict(s) for s in manifest.key_check]
    except ValueError as error:
        raise BackupError(f"{path}: the manifest's key_check cannot be read ({error})") from None
    warnings = list(verify(stamps))
    if not stamps:
        warnings.append(
            "warning: this backup carries no key check (made before hsreg had one): the keys "
            "in use now are recorded as this registry's; they must be the keys it was made with"
        )
    _refuse_unless_empty()
    return warnings


def _refuse_unless_empty() -> None:
    if vendor() == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        if target.exists() and target.stat().st_size:
            with sqlite3.connect(target) as db:
                tables = [
                    r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                ]
            db.close()
            if tables:
                raise BackupError(
                    f"the database {target} is not empty ({len(tables)} tables): "
                    "restore loads only into an empty database. Move that file away, or point "
                    "HSREG_DATA_DIR (or DATABASE_URL) to a new place"
                )
        return
    tables = connection.introspection.table_names(include_views=True)
    if tables:
        name = settings.DATABASES["default"]["NAME"]
        raise BackupError(
            f"the database {name} is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}): "
            f"restore loads only into an empty database. Create a new one (createdb) and point "
            "DATABASE_URL to it"
        )


@contextmanager
def _private_directory() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hsreg-restore-") as scratch:
        yield Path(scratch)


def _sqlite_load(database: Path, *, manifest: Manifest, path: Path) -> None:
    with sqlite3.connect(database) as db:
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        migrations, tables, _stamps = _sqlite_facts(db)
    db.close()
    if check != "ok":
        raise BackupError(f"{path}: the database in the archive is damaged ({check})")
    _compare(manifest, tables=tables, migrations=migrations, path=path)
    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    connections.close_all()
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".hsreg-restore-")
    os.close(descriptor)
    shutil.copyfile(database, temporary)
    os.chmod(temporary, 0o600)
    os.replace(temporary, target)


def _postgresql_load(database: Path, *, manifest: Manifest, path: Path) -> None:
    pg_restore = _tool("pg_restore")
    connections.close_all()
    # Owner and grants are the target server's business: the restoring role owns what it
    # loads (--no-owner), and no GRANT names a role that may not exist there (--no-acl).
    result = subprocess.run(  # noqa: S603 - pg_restore, arguments from the settings
        [pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
         "--no-password", f"--dbname={settings.DATABASES['default']['NAME']}", str(database)],
        env=_libpq_environment(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(
            f"pg_restore failed, nothing was restored (one transaction): "
            f"{_first_line(result.stderr)}"
        )
    with connection.cursor() as cursor:
        migrations, tables, _stamps = _django_facts(cursor)
    _compare(manifest, tables=tables, migrations=migrations, path=path, loaded=True)


def _compare(
    manifest: Manifest,
    *,
    tables: dict[str, int],
    migrations: list[str],
    path: Path,
    loaded: bool = False,
) -> None:
    """The loaded database against the manifest: the same tables with the same rows, the
    same migrations."""
    differences = [
        f"{name}: {tables.get(name, 'no table')} rows, the manifest says {count}"
        for name, count in manifest.tables.items()
        if tables.get(name) != count
    ] + [
        f"{name}: a table the manifest does not list"
        for name in tables
        if name not in manifest.tables
    ]
    if migrations != sorted(manifest.migrations):
        differences.append("the applied migrations differ from the manifest's")
    if differences:
        after = (
            " The database now holds this incomplete restore: drop it and create it empty "
            "before trying again."
            if loaded
            else " Nothing was restored."
        )
        raise BackupError(
            f"{path}: the database in the archive does not match its manifest: "
            + "; ".join(differences[:5])
            + after
        )
