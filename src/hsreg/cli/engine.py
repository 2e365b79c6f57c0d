"""The guideline engine's commands: ``evaluate``, ``schema`` and ``drugs``. They need no
database, and this module imports no Django, so they start as fast as the engine allows."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from hsreg.guideline import (
    DRUGS,
    LANGS,
    CaseError,
    Lang,
    case_json_schema,
    evaluate,
    load_json,
)
from hsreg.guideline.catalog import describe

from .common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, InputError

COMMANDS = ("evaluate", "schema", "drugs")


def add_commands(commands: Any) -> None:
    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="evaluate a case document by the guideline and print the result as JSON",
        description="Evaluate a case document (hsreg schema describes it) and print the "
        "evaluation as JSON. Bad input: exit 2, one line per problem on stderr.",
    )
    source = evaluate_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "case", nargs="?", metavar="CASE.json", help="the case document; - reads standard input"
    )
    source.add_argument(
        "--jsonl",
        metavar="FILE",
        help="evaluate one case document per line (- reads standard input) and "
        "print one evaluation per line; blank lines are skipped",
    )
    _lang_option(evaluate_cmd)

    commands.add_parser("schema", help="print the JSON Schema of the case document")

    drugs_cmd = commands.add_parser("drugs", help="print the drug catalog as JSON")
    _lang_option(drugs_cmd)


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="nb",
        help="language of the texts (default nb, Norwegian bokmål)",
    )


def run(args: argparse.Namespace) -> int:
    """Runs an engine command; bad input exits 2, a reader that went away is no error."""
    try:
        if args.command == "evaluate":
            if args.jsonl is not None:
                return _evaluate_lines(args.jsonl, args.lang)
            return _evaluate_one(args.case, args.lang)
        if args.command == "schema":
            _print_json(case_json_schema())
        elif args.command == "drugs":
            _print_json([describe(drug, args.lang) for drug in DRUGS.values()])
        return EXIT_OK
    except InputError as error:
        print(f"hsreg: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (hsreg … | head): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:
        if os.environ.get("HSREG_DEBUG"):
            traceback.print_exc()
        print(
            f"hsreg: internal error ({type(error).__name__}); please report it. "
            "Set HSREG_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _print_json(data: Any, *, indent: int | None = 2) -> None:
    """JSON in UTF-8, as its standard says, whatever the terminal's encoding."""
    separators = None if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    sys.stdout.buffer.write(text.encode() + b"\n")
    sys.stdout.flush()


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


def _evaluate_one(path: str, lang: Lang) -> int:
    try:
        evaluation = evaluate(load_json(_read(path)), today=date.today())
    except CaseError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    _print_json(evaluation.to_dict(lang))
    return EXIT_OK


def _lines(path: str) -> Iterable[bytes]:
    if path == "-":
        yield from sys.stdin.buffer
        return
    try:
        file: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below, streamed line by line
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    with file:
        yield from file


def _evaluate_lines(path: str, lang: Lang) -> int:
    """One evaluation per line, in order; a bad line prints ``{"line": N, "errors": […]}`` in
    its place (and on stderr) and the others are still evaluated."""
    today = date.today()
    bad = 0
    for number, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        try:
            evaluation = evaluate(load_json(line), today=today)
        except CaseError as error:
            bad += 1
            for problem in error.problems:
                print(f"line {number}: {problem}", file=sys.stderr)
            _print_json(
                {"line": number, "errors": [p.as_dict() for p in error.problems]}, indent=None
            )
            continue
        _print_json(evaluation.to_dict(lang), indent=None)
    return EXIT_BAD_INPUT if bad else EXIT_OK
