"""The ``hsreg`` command.

The guideline commands (evaluate, schema, drugs) need no database. The registry commands
(seed, demo, serve, migrate, createuser, check, report, manage) set Django up when they run,
with DJANGO_SETTINGS_MODULE=hsreg.config.settings unless it is set, so ``hsreg evaluate`` stays
as fast as before.

Exit codes: 0 done, 2 bad input or usage (every problem on stderr, one per line, naming the
field or option), 1 an internal error. A user never sees a traceback unless HSREG_DEBUG is set.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import socket
import sys
import traceback
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from hsreg.seeding.writer import Summary

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
SETTINGS = "hsreg.config.settings"
DEFAULT_BIND = "127.0.0.1:8000"
MAX_PATIENTS = 1_000_000
FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2100  # reports.annual checks against --as-of too
REGISTRY_COMMANDS = ("seed", "demo", "serve", "migrate", "createuser", "check", "report")
#: gunicorn's access log line: the path without its query string (%(U)s, not %(r)s or %(q)s)
#: and no Referer (%(f)s), since a search by national id number puts the number in the URL.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'


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
    _registry_commands(commands)
    return parser


def _registry_commands(commands: Any) -> None:
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
        type=_iso_date,
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

    _report_command(commands)

    commands.add_parser(
        "manage",
        add_help=False,
        help="run one of Django's management commands (hsreg manage help lists them)",
    )


def _report_command(commands: Any) -> None:
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
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="count the forms dated up to this day (default today)",
    )


def _report_year(text: str) -> int:
    if not text.isdigit() or not FIRST_REPORT_YEAR <= int(text) <= LAST_REPORT_YEAR:
        raise argparse.ArgumentTypeError(
            f"must be a year from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR}, not {text!r}"
        )
    return int(text)


def _seed_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        metavar="S",
        help="seed of the synthetic data: the same seed gives the same patients (default 1)",
    )


def _in_range(low: float, high: float, *, what: str = "whole number") -> Any:
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


_count = _in_range(1, MAX_PATIENTS)
_workers = _in_range(1, 64)
_extra_visits = _in_range(0, 20, what="number")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a date that exists, written YYYY-MM-DD, not {text!r}"
        ) from None


_port = _in_range(1, 65535, what="port number")


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


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="nb",
        help="language of the texts (default nb, Norwegian bokmål)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["manage"]:
        # Django parses the rest itself, options and all.
        return _guarded(lambda: _manage(arguments[1:]))
    args = _parser().parse_args(arguments)
    if args.command in REGISTRY_COMMANDS:
        return _guarded(lambda: _registry(args))
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


def _guarded(command: Any) -> int:
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
        if _is_database_error(error):
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(
                f"hsreg: the database cannot be used ({_database_name()}): {first}",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
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


# --- the registry commands ----------------------------------------------------------------


def _registry(args: argparse.Namespace) -> int:
    if args.command == "seed":
        return _seed(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "serve":
        return _serve_command(args)
    if args.command == "migrate":
        _setup_django()
        _migrate(verbosity=1)
        return EXIT_OK
    if args.command == "check":
        return _check(deploy=args.deploy)
    if args.command == "report":
        return _annual_report(args)
    return _createuser(args)


def _setup_django() -> None:
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


def _is_database_error(error: Exception) -> bool:
    if "django.db" not in sys.modules:
        return False
    from django.db import DatabaseError  # noqa: PLC0415

    return isinstance(error, DatabaseError)


def _database_name() -> str:
    """The database in words, without a password: the SQLite file or host/name."""
    try:
        from django.conf import settings  # noqa: PLC0415

        database = settings.DATABASES["default"]
    except Exception:
        return "DATABASE_URL"
    if database["ENGINE"].endswith("sqlite3"):
        return str(database["NAME"])
    return f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or ''}/{database['NAME']}"


def _pending_migrations() -> int:
    from django.db import connection  # noqa: PLC0415
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _migrate(*, verbosity: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", interactive=False, verbosity=verbosity)


def _seed(args: argparse.Namespace) -> int:
    """hsreg seed: synthetic patients into an empty registry (the demo's kind of data, so
    synthetic id numbers are accepted: HSREG_DEMO=1 unless set)."""
    os.environ.setdefault("HSREG_DEMO", "1")
    _setup_django()
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.patients.models import Patient  # noqa: PLC0415

    if _pending_migrations():
        _migrate(verbosity=0)
    existing = Patient.objects.count()
    if existing:
        raise InputError(
            f"the database ({_database_name()}) already has {existing} patients: seed fills an "
            "empty registry (hsreg demo --reset rebuilds the demo's)"
        )
    today = args.today or timezone.localdate()
    print(
        f"Seeding {args.patients:,} synthetic patients (seed {args.seed}, today {today}) "
        f"into {_database_name()}",
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


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def _demo(args: argparse.Namespace) -> int:
    """hsreg demo: a synthetic registry on 127.0.0.1, built once and reused."""
    from hsreg.seeding import demo  # noqa: PLC0415 - no Django import at module level

    if not _port_free("127.0.0.1", args.port):
        raise InputError(f"--port {args.port}: the port is in use; choose another with --port")
    directory = demo.data_dir().resolve()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["HSREG_DEMO"] = "1"
    os.environ["HSREG_DATA_DIR"] = str(directory)
    if os.environ.pop("DATABASE_URL", None):
        print("hsreg demo: DATABASE_URL is ignored; the demo has its own SQLite database.")
    database = directory / "hsreg.sqlite3"
    print(f"Demo data directory: {directory}", flush=True)
    if args.reset:
        _delete_sqlite(database)
    _setup_django()
    from django.db import connections  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.patients.models import Patient  # noqa: PLC0415

    _migrate(verbosity=0)
    patients = Patient.objects.count()
    if patients and not demo.demo_user_exists():
        print("The demo database was not finished being built; building it again.", flush=True)
        connections.close_all()
        _delete_sqlite(database)
        _migrate(verbosity=0)
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
        + "  Ctrl-C stops the demo.\n"
    )
    return _run_server(
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
    _setup_django()
    pending = _pending_migrations()
    if pending:
        raise InputError(
            f"the database ({_database_name()}) has {pending} migration(s) not applied: "
            "run hsreg migrate first"
        )
    from django.conf import settings  # noqa: PLC0415

    if settings.DEBUG:
        print(
            "hsreg serve: warning: HSREG_DEBUG is set, so error pages show the code and "
            "settings to anyone; never in production.",
            file=sys.stderr,
        )
    host, _, port = args.bind.rpartition(":")
    if not _port_free(host, int(port)):
        raise InputError(f"--bind {args.bind}: the address is in use")
    return _run_server(
        bind=args.bind,
        workers=args.workers,
        access_log=args.access_log,
        log_level="info",
        ready=f"hsreg: serving http://{args.bind}/ with {args.workers} workers; Ctrl-C stops.",
    )


def _ignore_sigint(_worker: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _when_ready(ready: str) -> Any:
    def when_ready(arbiter: Any) -> None:
        arbiter.handle_int = arbiter.handle_term  # Ctrl-C: a graceful stop
        print(ready, flush=True)

    return when_ready


def _run_server(*, bind: str, workers: int, access_log: bool, log_level: str, ready: str) -> int:
    """Serves hsreg.config.wsgi with gunicorn (sync workers, forked from this process, which
    has Django set up already). Prints ``ready`` once the socket listens. Returns when the
    server stops (Ctrl-C or SIGTERM); in a worker process, gunicorn exits by itself."""
    from django.db import connections  # noqa: PLC0415
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = {
                "bind": [bind],
                "workers": workers,
                "worker_class": "sync",
                "accesslog": "-" if access_log else None,
                "access_log_format": ACCESS_LOG_FORMAT,
                "errorlog": "-",
                "loglevel": log_level,
                "proc_name": "hsreg",
                "when_ready": _when_ready(ready),
                # Ctrl-C in a terminal reaches the whole process group. Workers ignore it, and
                # the master stops them gracefully, as on SIGTERM: gunicorn's own Ctrl-C is a
                # quick stop that can cut a request short and log a traceback.
                "post_worker_init": _ignore_sigint,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from hsreg.config.wsgi import application  # noqa: PLC0415

            return application

    from django.conf import settings  # noqa: PLC0415

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise's root
    connections.close_all()  # each worker opens its own
    master = os.getpid()
    try:
        Server().run()
    except SystemExit as stop:
        if os.getpid() != master:
            raise  # a worker leaving: gunicorn's own way out
        code = stop.code if isinstance(stop.code, int) else 0
        print("hsreg: the server has stopped.", file=sys.stderr)
        return code
    return EXIT_OK


def _check(*, deploy: bool) -> int:
    """hsreg check [--deploy]: Django's ``check --fail-level WARNING`` (``--deploy`` adds the
    production checks). A warning fails too: a production registry of health data has no
    setting it may knowingly leave weak, and one silenced on purpose is listed in
    SILENCED_SYSTEM_CHECKS with its reason."""
    _setup_django()
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.base import SystemCheckError  # noqa: PLC0415

    try:
        call_command("check", deploy=deploy, fail_level="WARNING")
    except SystemCheckError as error:
        print("hsreg: " + str(error).strip().removeprefix("SystemCheckError: "), file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _createuser(args: argparse.Namespace) -> int:
    _setup_django()
    from django.contrib.auth.password_validation import validate_password  # noqa: PLC0415
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    from hsreg.accounts.models import Role, User  # noqa: PLC0415
    from hsreg.accounts.services import create_user  # noqa: PLC0415
    from hsreg.units.models import Unit  # noqa: PLC0415

    if _pending_migrations():
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


def _writable(path: Path) -> None:
    """Refuses an --out path that cannot be written, before the report is made."""
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InputError(f"--out {path}: is a directory")
    if not folder.is_dir():
        raise InputError(f"--out {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--out {path}: cannot be written (permission denied)")


def _annual_report(args: argparse.Namespace) -> int:
    """hsreg report annual: the annual report of --year as a PDF file."""
    _writable(args.out)
    _setup_django()
    from django.utils import timezone  # noqa: PLC0415

    from hsreg.reports.annual import ReportError, build_annual_report  # noqa: PLC0415

    if _pending_migrations():
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


def _manage(arguments: list[str]) -> int:
    """hsreg manage ARGS: Django's manage.py with hsreg's settings."""
    _setup_django()
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    try:
        execute_from_command_line(["hsreg manage", *arguments])
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    return EXIT_OK
