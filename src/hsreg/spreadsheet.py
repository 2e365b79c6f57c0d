"""Cells of exported spreadsheets (CSV and XLSX) that a spreadsheet program cannot run.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some programs strip before reading the rest) is taken as a formula by Excel, LibreOffice and
Google Sheets: a unit named ``=HYPERLINK("http://x","y")`` through a public account
application would be published as a live link, and ``=cmd|...`` can run programs (CSV/formula
injection, OWASP). Every export neutralises such text the way OWASP advises: a leading ``'``,
which the programs show as text and which a reader of the raw file recognises.

Numbers stay numbers: a Python int or float is written as a number literal (``-5``,
``2.5``), which every program reads as that number and never as a formula, so only text is
changed, in an XLSX cell (where a numeric value is typed as a number) and in a CSV field alike.
Text that merely looks like a negative number (``"-1,5"``) is text and gets the prefix.

Pure Python, no Django: imported by the reports' exports and by the audit log's CSV files.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: the first characters that make a spreadsheet program read a cell as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_text(text: str) -> str:
    """``text`` with a ``'`` in front when it would be read as a formula; unchanged otherwise."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_field(value: Any) -> Any:
    """A CSV field that cannot be a formula: numbers (and None) as they are, anything else as
    its text, neutralised (neutral_text)."""
    if value is None or isinstance(value, int | float):
        return value
    return neutral_text(str(value))


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row whose every field is neutralised (csv_field)."""
    return [csv_field(v) for v in values]


def xlsx_cell(value: Any) -> Any:
    """An XLSX cell: text neutralised; numbers, dates and empty cells kept as they are (a
    numeric value is never a formula, and neutralising it would turn a number into text)."""
    return neutral_text(value) if isinstance(value, str) else value


def xlsx_row(values: Iterable[Any]) -> list[Any]:
    """An XLSX row whose text cells are neutralised (xlsx_cell)."""
    return [xlsx_cell(v) for v in values]
