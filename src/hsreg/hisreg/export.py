"""Writes the registry as HISREG's export: one ``<tabell>.csv`` per table of the data
dictionary, ``;``-separated UTF-8, the header the key columns and then the dictionary's
columns (hisreg.dictionary), one row per finished, current form (hisreg.rows). Beside them hsreg's ``units.csv`` and,
only when asked, ``patients.csv`` with the national id numbers (hisreg.keyfiles), which an
import (hisreg.importing) needs to take the registry over.

A registry coordinator runs it on the server (``hsreg hisreg export --out DIR``), as hsreg
itself; one audit row (action EXPORT) names how many files and rows were written, never a
patient or a value."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hsreg.accounts.actor import Actor
from hsreg.audit.models import Action
from hsreg.audit.services import log

from .dictionary import DELIMITER, ENCODING, file_name, header, tables
from .keyfiles import PATIENTS_FILE, UNITS_FILE, write_patients, write_units
from .rows import rows

__all__ = ["DELIMITER", "ENCODING", "Written", "export", "file_name"]


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: table -> rows (not counting the header), and the lines of
    hsreg's files beside them (hisreg.keyfiles: units.csv, patients.csv when asked)."""

    directory: Path
    counts: dict[str, int]
    beside: dict[str, int]

    @property
    def files(self) -> int:
        return len(self.counts) + len(self.beside)


def export(*, actor: Actor, directory: Path, national_ids: bool = False) -> Written:
    """Writes every table and units.csv into ``directory`` (which must exist), patients.csv
    too when ``national_ids`` is asked for, and audits the export."""
    counts: dict[str, int] = {}
    for table in tables():
        with (directory / file_name(table)).open("w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle, delimiter=DELIMITER, lineterminator="\n")
            writer.writerow(header(table))
            count = 0
            for line in rows(table):
                writer.writerow(line)
                count += 1
        counts[table] = count
    beside = {UNITS_FILE: write_units(directory)}
    if national_ids:
        beside[PATIENTS_FILE] = write_patients(directory)
    log(
        actor=actor,
        action=Action.EXPORT,
        target="hisreg export",
        detail={
            "files": len(counts) + len(beside),
            "rows": counts,
            "units": beside[UNITS_FILE],
            "national_ids": beside.get(PATIENTS_FILE, 0),
        },
    )
    return Written(directory=directory, counts=counts, beside=beside)
