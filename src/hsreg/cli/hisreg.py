"""``hsreg hisreg export --out DIR``: the registry in HISREG's tables (hsreg.hisreg), for the
registry coordinator on the server. The command runs as hsreg itself and writes one audit row.

``--out`` is a new directory (made) or an empty one; anything else is refused (exit 2, naming
``--out``) so an export never mixes with other files or overwrites an earlier one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .common import (
    EXIT_OK,
    InputError,
    setup_migrated_django,
)

COMMANDS = ("hisreg",)


def add_commands(commands: Any) -> None:
    hisreg = commands.add_parser(
        "hisreg",
        help="the registry in HISREG's tables (the old registry's data dictionary)",
        description="Read or write the registry as HISREG's export: one ;-separated UTF-8 "
        "file per table of HISREG's data dictionary (klokebok 2021-01-07).",
    )
    actions = hisreg.add_subparsers(dest="hisreg_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write every finished, current form as HISREG's tables",
        description="Write registration.csv, preintervention.csv, preinterventiondoctor.csv, "
        "intervention.csv, patientcontrol.csv and doctorcontrol.csv into DIR: the dictionary's "
        "columns and codes, one row per finished, current form (drafts and corrected earlier "
        "versions are left out), keyed by the registry id, the unit's RESH id, the form's id "
        "and the episode. No national id number is written. One audit row records the export.",
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="a new or empty directory to write the files into",
    )


def check_output(path: Path) -> None:
    """``--out``: a new directory (its parent must exist) or an empty one."""
    if path.exists():
        if not path.is_dir():
            raise InputError(f"--out {path}: is not a directory")
        if any(path.iterdir()):
            raise InputError(f"--out {path}: the directory is not empty")
    elif not path.parent.is_dir():
        raise InputError(f"--out {path}: the folder {path.parent} does not exist")
    folder = path if path.exists() else path.parent
    if not os.access(folder, os.W_OK):
        raise InputError(f"--out {path}: cannot be written (permission denied)")


def run(args: argparse.Namespace) -> int:
    directory = args.out
    check_output(directory)  # refused before the database is touched
    setup_migrated_django()
    from hsreg.accounts.actor import system_actor  # noqa: PLC0415 - after setup
    from hsreg.hisreg.export import export  # noqa: PLC0415

    directory.mkdir(exist_ok=True)
    written = export(actor=system_actor(request_id="cli hisreg export"), directory=directory)
    rows = ", ".join(f"{table} {count}" for table, count in written.counts.items())
    print(f"hsreg: wrote {written.files} files to {directory} ({rows} rows)", file=sys.stderr)
    return EXIT_OK
