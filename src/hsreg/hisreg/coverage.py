"""The form-coverage table (issue 16, point 4): every variable of every form of HISREG's data
dictionary (records/data/hisreg-klokebok-2021-01-07.csv: 291 distinct (skjemanavn,
fysisk_feltnavn) pairs; the 3- and 6-month forms share their tables' columns) and where hsreg
stores it, or why it is an exception.

Generated from the export's own sources (hisreg.columns.sources): a column's source names the
model field(s) hsreg keeps it in (``Source.kept_in``), and a column stored but not exported says
why (``Source.withheld``), so the table cannot drift from the code. ``python -m
hsreg.hisreg.coverage`` prints it as the README shows it (a test compares them).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from hsreg.records.klokebok import SOURCE

from .columns import cell, print_table, sources
from .dictionary import BEYOND


@dataclass(frozen=True, slots=True)
class Covered:
    """One (form, variable) of the dictionary and where hsreg keeps it."""

    form: str
    table: str
    variable: str
    kept_in: str
    #: why it is an exception ('' when stored and exported)
    exception: str


@cache
def form_variables() -> tuple[tuple[str, str, str], ...]:
    """(skjemanavn, tabell, fysisk_feltnavn) of every distinct form variable, in the
    dictionary's order."""
    seen: dict[tuple[str, str], str] = {}
    with SOURCE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            seen.setdefault((row["skjemanavn"], row["fysisk_feltnavn"]), row["tabell"])
    return tuple((form, table, name) for (form, name), table in seen.items())


def coverage() -> list[Covered]:
    """Every (form, variable) pair of the dictionary, where hsreg keeps it and any exception.
    Raises when a variable has no source or its source names neither a place nor a reason."""
    from .columns import sources  # noqa: PLC0415 - the models need Django set up

    found = []
    for form, table, variable in form_variables():
        source = sources()[table][variable]
        if not source.kept_in:
            raise LookupError(f"{table}.{variable}: the source names no model field")
        exception = source.origin.removeprefix("not exported: ") if source.withheld else ""
        found.append(Covered(form, table, variable, source.kept_in, exception))
    return found


def table() -> str:
    """The README's form-coverage table: the counts, every exception with its reason, then
    every dictionary variable and the model field it is stored in."""
    rows = coverage()
    total = len(rows)
    stored = sum(1 for r in rows if r.kept_in)
    exported = sum(1 for r in rows if not r.exception)
    exceptions = [r for r in rows if r.exception]
    lines = [
        f"**{stored} of {total} stored; {exported} of {total} exported.** "
        f"Exceptions ({len(exceptions)}, stored but not exported):",
        "",
        "| Form (skjemanavn) | Variable | Stored in | Why not exported |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r.form} | {r.variable} | {cell(r.kept_in)} | {cell(r.exception)} |" for r in exceptions
    ]
    lines += [
        "",
        "| Form (skjemanavn) | Table | Variable | Stored in (hsreg) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {r.form} | {r.table} | {r.variable} | {cell(r.kept_in)}"
        + (" (not exported)" if r.exception else "")
        + " |"
        for r in rows
    ]
    beyond = [(t, c) for t, names in BEYOND.items() for c in names]
    lines += [
        "",
        "Beyond the dictionary, stored and exported after its columns (R reads them from "
        "HISREG's control tables): "
        + ", ".join(
            f"{table}.{column} ({cell(sources_kept(table, column))})" for table, column in beyond
        )
        + ".",
    ]
    return "\n".join(lines)


def sources_kept(table: str, column: str) -> str:
    return sources()[table][column].kept_in


def main() -> None:
    print_table(table)


if __name__ == "__main__":
    main()
