"""The ``hsreg`` command.

Exit codes: 0 done, 2 bad input or usage (every problem on stderr, one per line, naming the
field), 1 an internal error. A user never sees a traceback unless HSREG_DEBUG is set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from hsreg import __version__
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

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


class InputError(Exception):
    """Input the command cannot use; the message names what and why."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hsreg",
        description="Hidradenitis suppurativa: the NFDV guideline applied, and the HISREG registry.",
    )
    parser.add_argument("--version", action="version", version=f"hsreg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

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
    return parser


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="nb",
        help="language of the texts (default nb, Norwegian bokmål)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
