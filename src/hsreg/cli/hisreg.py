"""``hsreg hisreg export --out DIR`` and ``hsreg hisreg import DIR``: the registry in HISREG's
tables (hsreg.hisreg), for the registry coordinator on the server. Both run as hsreg itself.

``--out`` is a new directory (made) or an empty one; anything else is refused (exit 2, naming
``--out``) so an export never mixes with other files or overwrites an earlier one. The export
writes one audit row; ``--national-ids`` adds patients.csv (hisreg.keyfiles).

The import reads DIR into an empty registry (exit 2 naming the reason when it has patients),
all or nothing: every problem is printed by file, line and column and then exit 2, nothing
imported; ``--check`` reports the same without importing. Exit 0 prints what was (or would
be) imported.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .common import (
    EXIT_BAD_INPUT,
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
    export.add_argument(
        "--national-ids",
        action="store_true",
        help="also write patients.csv: each registry id's national id number and names, "
        "which an import into a new registry needs (identifiable data: keep it safe)",
    )
    imported = actions.add_parser(
        "import",
        help="read a directory of HISREG's tables into an empty registry",
        description="Read DIR, as hsreg hisreg export --national-ids writes it (the six "
        "tables, units.csv when units are missing, patients.csv), into an empty registry: "
        "units, patients, medical histories, interventions with their drug boxes as drug "
        "courses, the before-treatment forms and the 3- and 6-month controls, each validated "
        "by its form. Nothing is imported unless everything is valid; every problem is "
        "listed by file, line and column.",
    )
    imported.add_argument("directory", type=Path, metavar="DIR", help="the directory to read")
    imported.add_argument(
        "--check", action="store_true", help="report the problems without importing anything"
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
    if args.hisreg_command == "import":
        return run_import(args.directory, check=args.check)
    directory = args.out
    check_output(directory)  # refused before the database is touched
    setup_migrated_django()
    from hsreg.accounts.actor import system_actor  # noqa: PLC0415 - after setup
    from hsreg.hisreg.export import export  # noqa: PLC0415

    directory.mkdir(exist_ok=True)
    written = export(
        actor=system_actor(request_id="cli hisreg export"),
        directory=directory,
        national_ids=args.national_ids,
    )
    rows = ", ".join(f"{table} {count}" for table, count in written.counts.items())
    print(f"hsreg: wrote {written.files} files to {directory} ({rows} rows)", file=sys.stderr)
    return EXIT_OK


def run_import(directory: Path, *, check: bool) -> int:
    if not directory.is_dir():
        raise InputError(f"DIR {directory}: is not a directory")
    setup_migrated_django()
    from hsreg.accounts.actor import system_actor  # noqa: PLC0415 - after setup
    from hsreg.hisreg.importing import NotEmptyError, import_directory  # noqa: PLC0415

    try:
        outcome = import_directory(
            directory=directory, actor=system_actor(request_id="cli hisreg import"), check=check
        )
    except NotEmptyError as error:
        raise InputError(str(error)) from None
    counts = ", ".join(f"{name} {count}" for name, count in sorted(outcome.counts.items()))
    if outcome.problems:
        for line in outcome.problems.lines():
            print(f"hsreg: {line}", file=sys.stderr)
        print(f"hsreg: {outcome.problems.total} problems; nothing was imported", file=sys.stderr)
        return EXIT_BAD_INPUT
    done = "would import" if check else "imported"
    print(f"hsreg: {done} {counts or 'nothing'} from {directory}", file=sys.stderr)
    return EXIT_OK
