"""The registry's commands: seed, demo, serve, migrate, createuser, check and manage. Each
sets Django up when it runs (common.setup_django), so the engine's commands stay fast."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    InputError,
    database_name,
    in_range,
    iso_date,
    migrate,
    pending_migrations,
    setup_django,
    setup_migrated_django,
)
from .keys import check_keys
from .server import port_free, run_server
from .worker import demo_worker

if TYPE_CHECKING:
    from hsreg.seeding.writer import Summary

DEFAULT_BIND = "127.0.0.1:8000"
MAX_PATIENTS = 1_000_000
COMMANDS = ("seed", "demo", "serve", "migrate", "createuser", "check")


def add_commands(commands: Any) -> None:
    """The parsers of seed, demo, serve, migrate, createuser and check."""
    seed_cmd = commands.add_parser(
        "seed",
        help="fill an empty registry database with synthetic patients",
        description="Migrate the database (DATABASE_URL, else SQLite in HSREG_DATA_DIR) if "
        "needed and fill it with synthetic patients whose histories exercise every rule of "
        "the guideline, at about 20 units. Refuses a database that already has patients.",
    )
    seed_cmd.add_argument(
        "--patients",
        type=_count,
        required=True,
        metavar="N",
        help=f"how many patients (1 to {MAX_PATIENTS:,})",
    )
    _seed_option(seed_cmd)
    seed_cmd.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the date the histories lead up to (default today)",
    )
    seed_cmd.add_argument(
        "--extra-visits",
        type=_extra_visits,
        default=0.0,
        metavar="X",
        help="on average X more earlier assessments per patient (load tests; default 0)",
    )
    seed_cmd.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="processes writing at once (PostgreSQL only; default one per CPU)",
    )

    demo_cmd = commands.add_parser(
        "demo",
        help="run the registry with synthetic patients on this computer",
        description="Create (or reuse) a demo database of synthetic patients in HSREG_DATA_DIR "
        "(default the user's data dir), create the user 'demo' and serve the registry on "
        "http://127.0.0.1:PORT/. Ctrl-C stops it.",
    )
    demo_cmd.add_argument(
        "--port", type=_port, default=8000, help="port on 127.0.0.1 (default 8000)"
    )
    demo_cmd.add_argument(
        "--patients",
        type=_count,
        default=2000,
        metavar="N",
        help="patients in a new demo database (default 2000)",
    )
    _seed_option(demo_cmd)
    demo_cmd.add_argument(
        "--reset", action="store_true", help="delete the demo database and build it again"
    )

    serve_cmd = commands.add_parser(
        "serve",
        help="serve the registry in production (gunicorn)",
        description="Serve hsreg with gunicorn. Needs HSREG_SECRET_KEY, and a database with "
        "every migration applied (hsreg migrate). Static files are served by the application. "
        "Behind a proxy or on another address than 127.0.0.1, put the host name the browsers "
        "use in HSREG_ALLOWED_HOSTS.",
    )
    serve_cmd.add_argument(
        "--bind",
        type=_bind,
        default=DEFAULT_BIND,
        metavar="HOST:PORT",
        help=f"address to listen on (default {DEFAULT_BIND})",
    )
    serve_cmd.add_argument(
        "--workers",
        type=_workers,
        default=2 * (os.cpu_count() or 1) + 1,
        metavar="N",
        help="worker processes (default 2 x CPUs + 1)",
    )
    serve_cmd.add_argument(
        "--access-log", action="store_true", help="log every request to standard output"
    )

    commands.add_parser(
        "migrate",
        help="create or update the database tables",
        description="Apply every pending migration to the database (DATABASE_URL, else SQLite "
        "in HSREG_DATA_DIR).",
    )

    user_cmd = commands.add_parser(
        "createuser",
        help="create a user who is a member of one or more units",
        description="Create a user and make them a member of the units given by RESH id (the "
        "first is their current unit). The password is asked for twice, or read from the "
        "first line of standard input with --password-stdin.",
    )
    user_cmd.add_argument("--username", required=True)
    user_cmd.add_argument(
        "--unit",
        type=_resh_id,
        action="append",
        required=True,
        metavar="RESH",
        help="a unit's RESH id; repeat for more units",
    )
    user_cmd.add_argument("--first-name", default="")
    user_cmd.add_argument(
        "--role",
        choices=["registrar", "unit_leader", "reporting", "coordinator"],
        default="registrar",
        help="the role at each of the units (default registrar); the registry's first "
        "coordinator is made this way",
    )
    user_cmd.add_argument("--last-name", default="")
    user_cmd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    check_cmd = commands.add_parser(
        "check",
        help="check the configuration (Django's system checks); --deploy for production",
        description="Run Django's system checks with hsreg's settings from the environment, "
        "failing on warnings too (check --fail-level WARNING). With --deploy, also the checks "
        "of a production deployment (HTTPS, HSTS, secure cookies, secret key, debug off): run "
        "it with the environment hsreg serve gets. Exit 0 when clean, 2 with one line per "
        "problem.",
    )
    check_cmd.add_argument(
        "--deploy", action="store_true", help="also check the settings for production"
    )


def _seed_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="seed of the synthetic data: the same seed gives the same patients (default 1)",
    )


_count = in_range(1, MAX_PATIENTS)
_workers = in_range(1, 64)
_extra_visits = in_range(0, 20, what="number")


_port = in_range(1, 65535, what="port number")


def _bind(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host:
        raise argparse.ArgumentTypeError(f"must be HOST:PORT, such as {DEFAULT_BIND}, not {text!r}")
    _port(port)
    return text


def _resh_id(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a RESH id (a whole number), not {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    if args.command == "seed":
        return _seed(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "serve":
        return _serve_command(args)
    if args.command == "migrate":
        setup_django()
        migrate(verbosity=1)
        return EXIT_OK
    if args.command == "check":
        return _check(deploy=args.deploy)
    return _createuser(args)


def _seed(args: argparse.Namespace) -> int:
    """hsreg seed: synthetic patients into an empty registry (the demo's kind of data, so
    synthetic id numbers are accepted: HSREG_DEMO=1 unless set)."""
    os.environ.setdefault("HSREG_DEMO", "1")
    setup_django()
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.patients.models import Patient  # noqa: PLC0415

    if pending_migrations():
        migrate(verbosity=0)
    existing = Patient.objects.count()
    if existing:
        raise InputError(
            f"the database ({database_name()}) already has {existing} patients: seed fills an "
            "empty registry (hsreg demo --reset rebuilds the demo's)"
        )
    today = args.today or timezone.localdate()
    print(
        f"Seeding {args.patients:,} synthetic patients (seed {args.seed}, today {today}) "
        f"into {database_name()}",
        file=sys.stderr,
        flush=True,
    )
    summary = _seed_with_progress(
        patients=args.patients,
        seed=args.seed,
        today=today,
        extra_visits=args.extra_visits,
        workers=args.workers,
    )
    _print_summary(summary)
    return EXIT_OK


def _seed_with_progress(
    *, patients: int, seed: int, today: date, extra_visits: float = 0.0, workers: int | None = None
) -> Summary:
    from tqdm import tqdm  # noqa: PLC0415

    from hsreg.seeding.writer import seed as write  # noqa: PLC0415

    with tqdm(total=patients, unit=" patients", file=sys.stderr, mininterval=0.5) as bar:
        return write(
            patients=patients,
            seed=seed,
            today=today,
            extra_visits=extra_visits,
            progress=bar.update,
            workers=workers,
        )


def _print_summary(summary: Summary) -> None:
    rate = summary.patients / summary.seconds if summary.seconds else 0
    rows = summary.rows
    print(
        f"Seeded {summary.patients:,} patients in {summary.seconds:.1f} s ({rate:,.0f} patients/s, "
        f"{summary.workers} process{'es' if summary.workers > 1 else ''}): "
        f"{rows['assessments']:,} doctor's assessments with {rows['findings']:,} region findings, "
        f"{rows['reports']:,} patient's reports, {rows['courses']:,} drug courses, "
        f"{rows['interventions']:,} interventions, {rows['screenings']:,} screenings, "
        f"{rows['vaccinations']:,} vaccinations, {rows['labs']:,} lab checks, "
        f"{rows['due_items']:,} due items, {rows['episodes']:,} episodes for the reports.",
        flush=True,
    )


def _demo(args: argparse.Namespace) -> int:
    """hsreg demo: a synthetic registry on 127.0.0.1, built once and reused."""
    from hsreg.seeding import demo  # noqa: PLC0415 - no Django import at module level

    if not port_free("127.0.0.1", args.port):
        raise InputError(f"--port {args.port}: the port is in use; choose another with --port")
    directory = demo.data_dir().resolve()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["HSREG_DEMO"] = "1"
    os.environ["HSREG_DATA_DIR"] = str(directory)
    # the patients' links in the invitations point at this server (its worker inherits it)
    os.environ.setdefault("HSREG_PUBLIC_URL", f"http://127.0.0.1:{args.port}")
    if os.environ.pop("DATABASE_URL", None):
        print("hsreg demo: DATABASE_URL is ignored; the demo has its own SQLite database.")
    database = directory / "hsreg.sqlite3"
    print(f"Demo data directory: {directory}", flush=True)
    if args.reset:
        _delete_sqlite(database)
    setup_django()
    from django.db import connections  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.patients.models import Patient  # noqa: PLC0415

    migrate(verbosity=0)
    patients = Patient.objects.count()
    if patients and not demo.demo_user_exists():
        print("The demo database was not finished being built; building it again.", flush=True)
        connections.close_all()
        _delete_sqlite(database)
        migrate(verbosity=0)
        patients = 0
    if patients:
        print(
            f"Reusing the demo database {database} ({patients:,} patients); "
            "hsreg demo --reset builds it again.",
            flush=True,
        )
    else:
        print(f"Building the demo database {database} ...", flush=True)
        summary = _seed_with_progress(
            patients=args.patients, seed=args.seed, today=timezone.localdate()
        )
        _print_summary(summary)
    check_keys(command="demo")
    login = demo.ensure_demo_user(directory)
    url = f"http://127.0.0.1:{args.port}/"
    banner = (
        "\n"
        "  hsreg demo (synthetic patients only)\n"
        f"  Open:      {url}\n"
        f"  Username:  {login.username}\n"
        f"  Password:  {login.password}\n"
        f"  (the password is kept in {directory / demo.PASSWORD_FILE})\n"
        f"  Roles:     {demo.roles_text()} (choose the unit at the top of the page)\n"
        + "".join(f"{line}\n" for line in login.second_factor_lines())
        + "  Jobs:      a worker (hsreg worker) runs beside the server: the due items of\n"
        "             every patient brought up to today now and every night at 02:00, the\n"
        "             annual report PDFs, the mails, and the patients' invitations (their\n"
        "             e-mails and SMS are printed here, not sent; the link is in them)\n"
        "  Ctrl-C stops the demo.\n"
    )
    with demo_worker():  # the background jobs, stopped with the server (cli.worker)
        return run_server(
            bind=f"127.0.0.1:{args.port}",
            workers=2,
            access_log=False,
            log_level="warning",
            ready=banner,
        )


def _delete_sqlite(database: Path) -> None:
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)


def _serve_command(args: argparse.Namespace) -> int:
    """hsreg serve: the production server."""
    if not os.environ.get("HSREG_SECRET_KEY"):
        raise InputError(
            "HSREG_SECRET_KEY is not set: hsreg serve needs a long random secret in it, e.g. "
            "HSREG_SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""
        )
    setup_migrated_django()
    check_keys(command="serve")
    from django.conf import settings  # noqa: PLC0415

    if settings.DEBUG:
        print(
            "hsreg serve: warning: HSREG_DEBUG is set, so error pages show the code and "
            "settings to anyone; never in production.",
            file=sys.stderr,
        )
    host, _, port = args.bind.rpartition(":")
    if not port_free(host, int(port)):
        raise InputError(f"--bind {args.bind}: the address is in use")
    return run_server(
        bind=args.bind,
        workers=args.workers,
        access_log=args.access_log,
        log_level="info",
        ready=f"hsreg: serving http://{args.bind}/ with {args.workers} workers; Ctrl-C stops.",
    )


def _check(*, deploy: bool) -> int:
    """hsreg check [--deploy]: the key check (keycheck), then Django's ``check --fail-level
    WARNING`` (``--deploy`` adds the production checks). A warning fails too: a production registry of health data has no
    setting it may knowingly leave weak, and one silenced on purpose is listed in
    SILENCED_SYSTEM_CHECKS with its reason."""
    setup_django()
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.base import SystemCheckError  # noqa: PLC0415
    from django.db import DatabaseError  # noqa: PLC0415

    try:
        check_keys(command="check")
    except DatabaseError as error:
        # Django's checks need no database; the key check is skipped, and says so.
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(
            f"hsreg: warning: the keys were not checked: the database cannot be used "
            f"({database_name()}): {first}",
            file=sys.stderr,
        )
    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except SystemCheckError as error:
        print("hsreg: " + str(error).strip().removeprefix("SystemCheckError: "), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _createuser(args: argparse.Namespace) -> int:
    setup_django()
    from django.contrib.auth.password_validation import validate_password  # noqa: PLC0415
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    from hsreg.accounts.models import Role, User  # noqa: PLC0415
    from hsreg.accounts.services import create_user  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    if pending_migrations():
        raise InputError("the database has migrations not applied: run hsreg migrate first")
    username = args.username.strip()
    if not username:
        raise InputError("--username: must not be empty")
    if User.objects.filter(username=username).exists():
        raise InputError(f"--username {username}: a user with that name exists")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=args.unit)}
    unknown = [str(r) for r in args.unit if r not in units]
    if unknown:
        raise InputError(f"--unit {', '.join(unknown)}: no unit has that RESH id")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise InputError("password: the two passwords differ")
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise InputError("password: " + " ".join(error.messages)) from None
    user = create_user(
        username=username,
        password=password,
        units=[units[r] for r in dict.fromkeys(args.unit)],
        first_name=args.first_name,
        last_name=args.last_name,
        role=Role(args.role),
    )
    names = ", ".join(f"{u.name} ({u.pk})" for u in user.units.order_by("name"))
    print(f"Created {username}, a member of: {names}.")
    return EXIT_OK


def manage(arguments: list[str]) -> int:
    """hsreg manage ARGS: Django's manage.py with hsreg's settings."""
    setup_django()
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    try:
        execute_from_command_line(["hsreg manage", *arguments])
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    return EXIT_OK
