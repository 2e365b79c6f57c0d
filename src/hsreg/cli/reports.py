"""``hsreg report annual``: the annual report of a year as a PDF, made from the registry's
database (reports.annual does the work; this is its command-line face)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import EXIT_OK, InputError, iso_date, pending_migrations, setup_django, writable

FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2100  # reports.annual checks against --as-of too


def add_commands(commands: Any) -> None:
    report_cmd = commands.add_parser(
        "report",
        help="make the registry's reports (the annual report as PDF)",
        description="Make a report from the registry's database (DATABASE_URL, else SQLite in "
        "HSREG_DATA_DIR).",
    )
    kinds = report_cmd.add_subparsers(dest="report", required=True, metavar="REPORT")
    annual_cmd = kinds.add_parser(
        "annual",
        help="the annual report of a year as PDF (Norwegian bokmål)",
        description="Write the annual report of --year as a PDF: the quality indicators per "
        "unit with charts, national and regional results, coverage, distributions, averages, "
        "trends and the administrative tables. Only aggregates, with small numbers suppressed.",
    )
    annual_cmd.add_argument(
        "--year",
        type=_report_year,
        required=True,
        metavar="YEAR",
        help=f"the report year ({FIRST_REPORT_YEAR} to the --as-of date's year)",
    )
    annual_cmd.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="where to write the PDF"
    )
    annual_cmd.add_argument(
        "--as-of",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="count the forms dated up to this day (default today)",
    )


def _report_year(text: str) -> int:
    if not text.isdigit() or not FIRST_REPORT_YEAR <= int(text) <= LAST_REPORT_YEAR:
        raise argparse.ArgumentTypeError(
            f"must be a year from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR}, not {text!r}"
        )
    return int(text)


def run(args: argparse.Namespace) -> int:
    """hsreg report annual: the annual report of --year as a PDF file."""
    writable(args.out)
    setup_django()
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.reports.annual import ReportError, build_annual_report  # noqa: PLC0415

    if pending_migrations():
        raise InputError("the database has migrations not applied: run hsreg migrate first")
    as_of = args.as_of or timezone.localdate()
    if args.year > as_of.year:
        raise InputError(
            f"--year {args.year}: must not be after the year of the report date ({as_of})"
        )
    try:
        report = build_annual_report(year=args.year, as_of=as_of)
    except ReportError as error:
        raise InputError(str(error)) from None
    try:
        args.out.write_bytes(report.pdf)
    except OSError as error:
        raise InputError(f"--out {args.out}: {error.strerror}") from None
    print(
        f"Wrote the annual report {args.year} to {args.out} ({report.pages} pages, "
        f"{len(report.pdf) / 1024:,.0f} KiB, made in {report.seconds:.1f} s)."
    )
    return EXIT_OK
