"""Writes the registry as HISREG's export: one ``<tabell>.csv`` per table of the data
dictionary, ``;``-separated UTF-8, the header the key columns and then the dictionary's
columns (hisreg.dictionary), one row per finished, current form (hisreg.rows).

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

from .dictionary import header, tables
from .rows import rows

ENCODING = "utf-8"
DELIMITER = ";"


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: table -> rows (not counting the header)."""

    directory: Path
    counts: dict[str, int]

    @property
    def files(self) -> int:
        return len(self.counts)


def file_name(table: str) -> str:
    return f"{table}.csv"


def export(*, actor: Actor, directory: Path) -> Written:
    """Writes every table into ``directory`` (which must exist) and audits the export."""
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
    log(
        actor=actor,
        action=Action.EXPORT,
        target="hisreg export",
        detail={"files": len(counts), "rows": counts},
    )
    return Written(directory=directory, counts=counts)
