"""Reading an import's files: the dictionary's tables as ``hsreg hisreg export`` writes them
(hisreg.dictionary's header, ``;``-separated UTF-8), and hsreg's two files beside them,
``units.csv`` (the units, which HISREG's tables name only by RESH id) and ``patients.csv``
(each registry id's national id number, which HISREG kept outside its tables).

Every problem of a file's form (not UTF-8, a column missing or unknown, a line with too many or
too few cells) is reported by file, line and column; the values themselves are checked later
(hisreg.checks and the forms)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .dictionary import DELIMITER, file_name, header, tables
from .keyfiles import PATIENTS_FILE, PATIENTS_HEADER, UNITS_FILE, UNITS_HEADER
from .problems import Problems

__all__ = ["PATIENTS_FILE", "PATIENTS_HEADER", "UNITS_FILE", "UNITS_HEADER", "Line", "read"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a file after its header: its number in the file and its cells by column."""

    number: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


def read(
    directory: Path, name: str, columns: tuple[str, ...], problems: Problems, *, required: bool
) -> list[Line] | None:
    """The lines of ``directory/name`` (None when it is missing or unreadable as a whole: a
    problem is reported unless the file is optional and absent)."""
    path = directory / name
    if not path.is_file():
        if required:
            problems.add(name, 0, "", "the file is missing")
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(name, 0, "", f"is not UTF-8 (byte {error.start + 1} cannot be read)")
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER)
    try:
        first = next(reader)
    except StopIteration:
        problems.add(name, 1, "", "the file is empty: the first line names the columns")
        return None
    except csv.Error as error:
        problems.add(name, 1, "", f"cannot be read as ;-separated values ({error})")
        return None
    if not _header_ok(name, first, columns, problems):
        return None
    lines: list[Line] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not cells:
                continue  # an empty line (a file ending in two line breaks)
            if len(cells) != len(first):
                problems.add(
                    name, number, "", f"has {len(cells)} values; the header names {len(first)}"
                )
                continue
            lines.append(Line(number, dict(zip(first, (c.strip() for c in cells), strict=True))))
    except csv.Error as error:
        problems.add(name, reader.line_num, "", f"cannot be read as ;-separated values ({error})")
    return lines


def _header_ok(name: str, first: list[str], columns: tuple[str, ...], problems: Problems) -> bool:
    first = [c.strip() for c in first]
    ok = True
    for column in columns:
        if column not in first:
            problems.add(name, 1, column, "the column is missing")
            ok = False
    for column in first:
        if column not in columns:
            problems.add(name, 1, column, "is not a column of this file")
            ok = False
    if len(set(first)) != len(first):
        problems.add(name, 1, "", "names a column twice")
        ok = False
    return ok


def read_tables(directory: Path, problems: Problems) -> dict[str, list[Line]]:
    """Every table of the dictionary (each is required; an empty table has its header)."""
    found: dict[str, list[Line]] = {}
    for table in tables():
        lines = read(directory, file_name(table), header(table), problems, required=True)
        if lines is not None:
            found[table] = lines
    return found
