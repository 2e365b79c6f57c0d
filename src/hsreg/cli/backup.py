"""``hsreg backup --out FILE`` and ``hsreg restore FILE``: the command-line face of
hsreg.backup.services (the archive, its manifest and the checks live there)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import (
    EXIT_OK,
    InputError,
    database_name,
    setup_django,
    writable,
)

COMMANDS = ("backup", "restore")


def add_commands(commands: Any) -> None:
    backup_cmd = commands.add_parser(
        "backup",
        help="back the registry's database up into one archive (while it runs)",
        description="Write one archive holding the database (SQLite through its online backup "
        "API, PostgreSQL through pg_dump) and a manifest: hsreg version, migrations, rows per "
        "table, checksums. The keys (HSREG_SECRET_KEY, its fallbacks, the research key) are "
        "never in it: keep them apart. Safe while hsreg serve runs.",
    )
    backup_cmd.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="the archive to write (new file)"
    )
    restore_cmd = commands.add_parser(
        "restore",
        help="restore a backup archive into an empty database",
        description="Verify the archive (checksums, then the rows of every table), check that "
        "HSREG_SECRET_KEY and the research key are the backup's, load it into the database "
        "(DATABASE_URL, else SQLite in HSREG_DATA_DIR), which must be empty, and migrate it "
        "to this version of hsreg.",
    )
    restore_cmd.add_argument("archive", type=Path, metavar="FILE", help="the backup archive")


def run(args: argparse.Namespace) -> int:
    if args.command == "backup":
        return _backup(args.out)
    return _restore(args.archive)


def _backup(out: Path) -> int:
    writable(out)
    setup_django()
    from hsreg.backup.archive import BackupError  # noqa: PLC0415
    from hsreg.backup.services import backup  # noqa: PLC0415

    # A database whose migrations are pending is backed up as it is: that is the backup to
    # take before an upgrade (hsreg restore migrates it).
    try:
        made = backup(out=out)
    except BackupError as error:
        raise InputError(str(error)) from None
    manifest = made.manifest
    print(
        f"Backed up {database_name()} to {out} ({made.size / 1024:,.0f} KiB): "
        f"{len(manifest.tables)} tables, {manifest.rows:,} rows, "
        f"{len(manifest.migrations)} migrations. The keys are not in it: keep HSREG_SECRET_KEY, "
        "its fallbacks and the research key apart from it."
    )
    return EXIT_OK


def _restore(archive: Path) -> int:
    setup_django()
    from hsreg.backup.archive import BackupError  # noqa: PLC0415
    from hsreg.backup.services import restore  # noqa: PLC0415
    from hsreg.keycheck.services import KeyMismatchError  # noqa: PLC0415

    try:
        restored = restore(path=archive)
    except KeyMismatchError as error:
        raise InputError(f"{error} Nothing was restored.") from None
    except BackupError as error:
        raise InputError(str(error)) from None
    for warning in (*restored.warnings, *restored.keys.warnings):
        print(f"hsreg: {warning}", file=sys.stderr)
    manifest = restored.manifest
    print(
        f"Restored {archive} (hsreg {manifest.hsreg_version}, made {manifest.created_at}) into "
        f"{database_name()}: {len(manifest.tables)} tables, {manifest.rows:,} rows, as the "
        f"manifest says; {restored.migrations_applied} migration(s) applied since. The keys "
        "verify its key check."
    )
    return EXIT_OK
