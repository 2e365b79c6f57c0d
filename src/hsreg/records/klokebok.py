"""HISREG's data dictionary ("klokebok", 2021-01-07), vendored as data/hisreg-klokebok-*.csv.

Our forms ask the registry's questions with its codes and ranges: a model field that carries a
klokebok variable names it in ``Record.KLOKEBOK``, the allowed range (maksintervall) becomes the
field's validators, and the plausible range (normalintervall) a warning shown beside the field.
A test checks that every named variable exists here and that ranges and codes agree.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).parent / "data" / "hisreg-klokebok-2021-01-07.csv"


@dataclass(frozen=True, slots=True)
class Question:
    """One variable of one HISREG table, as the klokebok defines it."""

    table: str
    name: str
    form: str
    text: str
    required: bool
    kind: str
    help: str
    allowed: tuple[Decimal | None, Decimal | None]
    plausible: tuple[Decimal | None, Decimal | None]
    codes: dict[str, str] = field(default_factory=dict)


def _number(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text) if text else None


@cache
def questions() -> dict[tuple[str, str], Question]:
    """Every (table, variable) of the klokebok. Forms sharing a table (3- and 6-month
    controls) share their questions; the first form's wording is kept."""
    found: dict[tuple[str, str], Question] = {}
    with SOURCE.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            key = (row["tabell"], row["fysisk_feltnavn"])
            code = row["listeverdier"].strip()
            if key in found:
                if code and code not in found[key].codes:
                    found[key].codes[code] = row["listetekst"]
                continue
            found[key] = Question(
                table=row["tabell"],
                name=row["fysisk_feltnavn"],
                form=row["skjemanavn"],
                text=row["ledetekst"],
                required=row["obligatorisk"] == "Ja",
                kind=row["type"],
                help=row["hjelpetekst"],
                allowed=(
                    _number(row["maksintervall_start_numerisk"]),
                    _number(row["maksintervall_slutt_numerisk"]),
                ),
                plausible=(
                    _number(row["normalintervall_start_numerisk"]),
                    _number(row["normalintervall_slutt_numerisk"]),
                ),
                codes={code: row["listetekst"]} if code else {},
            )
    return found


def question(table: str, name: str) -> Question:
    return questions()[(table, name)]
