"""What every command of ``hsreg`` shares: the exit codes, the error a command raises for bad
input, the guard that turns errors into one line and an exit code, Django's setup with the
settings of the environment, and the argparse types that name the option they refuse."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
SETTINGS = "hsreg.config.settings"


class InputError(Exception):
    """Input the command cannot use; the message names what and why."""


def guarded(command: Callable[[], int]) -> int:
    """Runs a registry command: its problems as one line each and exit 2, an internal error
    as exit 1 without a traceback (unless HSREG_DEBUG=1), Ctrl-C as a quiet stop."""
    try:
        return int(command())
    except InputError as error:
        print(f"hsreg: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\nhsreg: stopped.", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("HSREG_DEBUG"):
            traceback.print_exc()
        if is_database_error(error):
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(
                f"hsreg: the database cannot be used ({database_name()}): {first}",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        print(
            f"hsreg: internal error ({type(error).__name__}); please report it. "
            "Set HSREG_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def setup_django() -> None:
    """Django with hsreg's settings; a setting that is missing or wrong is bad input (exit 2)
    naming the environment variable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url  # noqa: PLC0415

        try:
            dj_database_url.parse(url)
        except ValueError as error:
            raise InputError(f"DATABASE_URL: {error}") from None
    import django  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    try:
        django.setup()
    except ImproperlyConfigured as error:
        raise InputError(str(error)) from None
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    translation.activate("en")  # the command's own messages and Django's are English


def is_database_error(error: Exception) -> bool:
    if "django.db" not in sys.modules:
        return False
    from django.db import DatabaseError  # noqa: PLC0415

    return isinstance(error, DatabaseError)


def database_name() -> str:
    """The database in words, without a password: the SQLite file or host/name."""
    try:
        from django.conf import settings  # noqa: PLC0415

        database = settings.DATABASES["default"]
    except Exception:
        return "DATABASE_URL"
    if database["ENGINE"].endswith("sqlite3"):
        return str(database["NAME"])
    return f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or ''}/{database['NAME']}"


def pending_migrations() -> int:
    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def setup_migrated_django() -> None:
    """Sets Django up on a database whose migrations are all applied: a command that reads or
    writes the registry refuses (exit 2) to run on tables older than its code."""
    setup_django()
    pending = pending_migrations()
    if pending:
        raise InputError(
            f"the database ({database_name()}) has {pending} migration(s) not applied: "
            "run hsreg migrate first"
        )


def options_error(error: Any, options: dict[str, str]) -> InputError:
    """A service's ValidationError as the command's error: each field named by its option
    (``options``: field -> "--option"; else "--<field>"), as the CLI names bad input."""
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    fields = getattr(error, "error_dict", {}) or {None: error.error_list}
    return InputError(
        "; ".join(
            f"{options.get(str(name), '--' + str(name))}: {message}"
            for name, errors in fields.items()
            for message in ValidationError(errors).messages
        )
    )


def migrate(*, verbosity: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", interactive=False, verbosity=verbosity)


def in_range(low: float, high: float, *, what: str = "whole number") -> Any:
    """An argparse type: a whole number (or, for ``what="number"``, any number) from ``low``
    to ``high``; argparse names the option when it refuses."""
    convert = float if what == "number" else int

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a {what}, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be a {what} from {low:,} to {high:,}, not {text!r}"
            )
        return value

    return parse


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date that exists, written YYYY-MM-DD, not {text!r}"
        ) from None


def writable(path: Path, *, option: str = "--out") -> None:
    """Refuses an output path that cannot be written, before the work is done."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InputError(f"{option} {path}: is a directory")
    if not folder.is_dir():
        raise InputError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{option} {path}: cannot be written (permission denied)")
