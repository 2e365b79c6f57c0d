"""The ``hsreg`` command.

The guideline commands (evaluate, schema, drugs: cli.engine) need no database. The registry
commands (seed, demo, serve, migrate, createuser, check, manage: cli.registry; report:
cli.reports; backup and restore: cli.backup; worker: cli.worker; invite: cli.invite;
apiclient: cli.apiclient) set
Django up when they run, with DJANGO_SETTINGS_MODULE=hsreg.config.settings unless it is set,
so ``hsreg evaluate`` stays as fast as before.

Exit codes: 0 done, 2 bad input or usage (every problem on stderr, one per line, naming the
field or option), 1 an internal error. A user never sees a traceback unless HSREG_DEBUG is set.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hsreg import __version__

from . import apiclient, backup, engine, hisreg, invite, registry, reports, worker
from .common import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, InputError, guarded

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_OK", "InputError", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hsreg",
        description="Hidradenitis suppurativa: the NFDV guideline applied, and the HISREG registry.",
    )
    parser.add_argument("--version", action="version", version=f"hsreg {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    engine.add_commands(commands)
    registry.add_commands(commands)
    reports.add_commands(commands)
    backup.add_commands(commands)
    worker.add_commands(commands)
    invite.add_commands(commands)
    hisreg.add_commands(commands)
    apiclient.add_commands(commands)
    commands.add_parser(
        "manage",
        add_help=False,
        help="run one of Django's management commands (hsreg manage help lists them)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["manage"]:
        # Django parses the rest itself, options and all.
        return guarded(lambda: registry.manage(arguments[1:]))
    args = _parser().parse_args(arguments)
    if args.command in engine.COMMANDS:
        return engine.run(args)
    if args.command == "report":
        return guarded(lambda: reports.run(args))
    if args.command in backup.COMMANDS:
        return guarded(lambda: backup.run(args))
    if args.command in worker.COMMANDS:
        return guarded(lambda: worker.run(args))
    if args.command in invite.COMMANDS:
        return guarded(lambda: invite.run(args))
    if args.command in hisreg.COMMANDS:
        return guarded(lambda: hisreg.run(args))
    if args.command in apiclient.COMMANDS:
        return guarded(lambda: apiclient.run(args))
    return guarded(lambda: registry.run(args))
