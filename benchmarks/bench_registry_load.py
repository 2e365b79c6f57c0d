"""The registry under load: PostgreSQL with 100,000 synthetic patients, gunicorn, 50 clients.

Run it by hand from the repository root (it is not a test, and takes minutes):

    .venv/bin/python benchmarks/bench_registry_load.py            # 100,000 patients
    .venv/bin/python benchmarks/bench_registry_load.py --quick    # 2,000 patients, 5 requests

What it does:

1. creates a fresh database (``hsreg_bench`` on ``postgresql://postgres@127.0.0.1:5432``,
   ``--admin-url`` and ``--database`` change them), runs ``hsreg migrate`` and
   ``hsreg seed`` with extra earlier assessments, so a patient has about 10 doctor's
   assessments (with their regions and reports), and times the seeding;
2. creates a user who is a member of every unit (current unit: the largest), and starts
   ``hsreg serve`` (gunicorn, 2 x CPUs + 1 sync workers) on a free loopback port;
3. logs in once with a standard-library client (http.client, cookies, the CSRF token),
   enrols the user's authenticator (the key from the page, its TOTP code) as a new user does, and
   runs each scenario twice with 50 concurrent clients (threads), 20 requests each, at most
   120 s per pass:

   - the *latency* pass, which the p95 < 150 ms target is about: each client is a clinician
     who reads the answer for 1-5 s (uniform, seeded; Locust's ``between(1, 5)``) before the
     next request, so up to 50 requests are in flight but the server is not saturated;
   - the *saturation* pass: no pause at all, so 50 requests are always queued at 2 x CPUs + 1
     workers. Latency there is queueing time (50 / throughput) and says what the server can
     carry at most, in requests per second; on a 2-CPU machine even the trivial view cannot
     answer 50 queued requests within 150 ms.

   The scenarios:

   - ``login page``: GET /login/, Django's LoginView rendering its template - the trivial
     Django view the others are compared with (same middleware, session and CSRF);
   - ``search by name``: the patient search with the first letters of a last name;
   - ``search by id number``: the search with an 11-digit national id number;
   - ``patient page``: a random patient of the unit, with the guideline panel (the case
     document read from the database and evaluated);
   - ``assessment save``: POST of a finished doctor's assessment (records:new
     'doctor-assessment', two body regions counted), which saves it through
     records.services and refreshes the patient's due items; a redirect is success.

It prints p50/p95/max latency, throughput and errors per scenario and pass (``--think 0 0``
runs the saturation pass only), and exits 1 if any request failed (an unexpected status or a
connection error). ``--keep`` keeps the database.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psycopg
from django_otp.oath import TOTP
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
HSREG = Path(sys.executable).with_name("hsreg")
SHOWCASE_UNIT = 4208711  # hsreg.seeding.units.SHOWCASE: the unit with the most patients
USERNAME = "bench"
EXTRA_VISITS = "6"  # earlier assessments per patient on average: about 10 in all


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, latency: float, error: str | None) -> None:
        self.latencies.append(latency)
        if error:
            self.errors.append(error)


# --- a small HTTP client ------------------------------------------------------------------


class Session:
    """Cookies and the CSRF token of one logged-in user; each request opens a connection
    (gunicorn's sync workers close it after every response)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            body = None
            if form is not None:
                body = urllib.parse.urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
                headers["Referer"] = f"http://{self.host}:{self.port}{path}"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    with self.lock:
                        self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            connection.close()

    def log_in(self, username: str, password: str) -> None:
        status, _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"the login page answered {status} without a CSRF token")
        status, headers, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"logging in failed ({status}, {headers.get('Location')})")
        self.enrol_second_factor(headers["Location"])

    def enrol_second_factor(self, path: str) -> None:
        """The new user's first login goes on to the enrolment of the authenticator app: read
        the key the page shows and answer with its current code, as the app would."""
        status, headers, page = self.request("GET", path)
        while status == 302:  # the start page sends a user without a second factor on
            path = headers["Location"]
            status, headers, page = self.request("GET", path)
        key = re.search(rb'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or key is None or token is None:
            raise SystemExit(f"{path} answered {status} without a TOTP key to enrol")
        secret = base64.b32decode(key[1].replace(b" ", b""))
        code = f"{TOTP(secret).token():06d}"
        form = {"code": code, "csrfmiddlewaretoken": token[1].decode()}
        status, _, _ = self.request("POST", path, form)
        if status != 200:  # the page of recovery codes
            raise SystemExit(f"enrolling the second factor failed ({status})")


# --- setting up ---------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str], *, stdin: str | None = None) -> str:
    print("+", " ".join(command[1:] if command[0] == str(HSREG) else command), flush=True)
    completed = subprocess.run(  # noqa: S603 - hsreg's own commands
        command,
        cwd=ROOT,
        env=env,
        input=stdin,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise SystemExit(f"{command[1]} failed with exit code {completed.returncode}")
    return completed.stdout


def fresh_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@dataclass(frozen=True)
class Sample:
    patient_ids: list[int]
    national_ids: list[str]
    name_prefixes: list[str]
    units: list[int]
    sizes: dict[str, int]


def sample(url: str) -> Sample:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT p.id, p.national_id, p.last_name FROM patients_patient p "
            "JOIN patients_enrolment e ON e.patient_id = p.id WHERE e.unit_id = %s "
            "ORDER BY p.id LIMIT 5000",
            [SHOWCASE_UNIT],
        ).fetchall()
        units = [
            r[0] for r in connection.execute("SELECT resh_id FROM units_unit ORDER BY resh_id")
        ]
        sizes = {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in (
                "patients_patient",
                "assessments_doctorassessment",
                "assessments_regionfinding",
                "assessments_patientreport",
                "treatments_drugcourse",
                "worklists_dueitem",
            )
        }
    return Sample(
        patient_ids=[r[0] for r in rows],
        national_ids=[r[1] for r in rows],
        name_prefixes=sorted({r[2][:3] for r in rows}),
        units=[SHOWCASE_UNIT, *(u for u in units if u != SHOWCASE_UNIT)],
        sizes=sizes,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"hsreg serve exited with {server.returncode}")
        try:
            status, _, _ = Session("127.0.0.1", port).request("GET", "/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("hsreg serve did not answer within a minute")


# --- the scenarios ------------------------------------------------------------------------


def assessment_form(rng: random.Random) -> dict[str, str]:
    """A finished doctor's assessment (assessments.forms.DoctorAssessmentForm): today, before
    treatment, counts in two regions (the grid's ``<region>-<cell>`` fields)."""
    form = {
        "date": date.today().isoformat(),
        "occasion": "pre",
        "weight_kg": str(rng.randint(60, 120)),
        "inflammatory_activity": rng.choice(("mild", "moderate", "severe")),
        "action": "finish",
    }
    for region in rng.sample(["axilla_left", "axilla_right", "groin_left", "groin_right"], 2):
        form[f"{region}-nodules"] = str(rng.randint(0, 6))
        form[f"{region}-abscesses"] = str(rng.randint(0, 3))
        form[f"{region}-draining_tunnels"] = str(rng.randint(0, 2))
        form[f"{region}-hurley"] = str(rng.randint(1, 3))
    return form


Request = Callable[[Session, random.Random], str | None]


def expect(status: int, wanted: int, path: str) -> str | None:
    return None if status == wanted else f"{status} from {path}"


def scenarios(s: Sample) -> list[tuple[str, Request]]:
    def login_page(session: Session, rng: random.Random) -> str | None:
        return expect(session.request("GET", "/login/")[0], 200, "/login/")

    def by_name(session: Session, rng: random.Random) -> str | None:
        path = "/patients/?" + urllib.parse.urlencode({"q": rng.choice(s.name_prefixes)})
        return expect(session.request("GET", path)[0], 200, path)

    def by_number(session: Session, rng: random.Random) -> str | None:
        path = "/patients/?q=" + rng.choice(s.national_ids)
        status, _, page = session.request("GET", path)
        return expect(status, 200, path) or (None if b"/patients/" in page else "no patient found")

    def patient_page(session: Session, rng: random.Random) -> str | None:
        path = f"/patients/{rng.choice(s.patient_ids)}/"
        return expect(session.request("GET", path)[0], 200, path)

    def save(session: Session, rng: random.Random) -> str | None:
        path = f"/patients/{rng.choice(s.patient_ids)}/forms/doctor-assessment/new/"
        status, _, page = session.request("POST", path, assessment_form(rng))
        if status in (200, 400):  # the form came back instead of the patient page
            errors = re.findall(rb'class="errors?"[^>]*>(.*?)<', page)[:2]
            return f"{status} from {path}: the form was refused {errors}"
        return expect(status, 302, path)

    return [
        ("login page (trivial view)", login_page),
        ("search by name", by_name),
        ("search by id number", by_number),
        ("patient page", patient_page),
        ("assessment save", save),
    ]


def load(
    name: str,
    request: Request,
    session: Session,
    *,
    clients: int,
    per_client: int,
    limit: float,
    seed: int,
    think: tuple[float, float],
) -> Result:
    result = Result(name)
    lock = threading.Lock()
    deadline = time.monotonic() + limit

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        pause = random.Random(seed * 1000 + number + 500)
        for _ in range(per_client):
            if think[1]:  # a clinician reads the page before the next click
                time.sleep(pause.uniform(*think))
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            try:
                error = request(session, rng)
            except (OSError, http.client.HTTPException) as problem:
                error = f"{type(problem).__name__}: {problem}"
            latency = time.perf_counter() - started
            with lock:
                result.add(latency, error)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(results: list[Result]) -> None:
    print(
        f"{'scenario':28} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'req/s':>7}"
    )
    for r in results:
        ms = [x * 1000 for x in r.latencies]
        print(
            f"{r.name:28} {len(ms):8} {len(r.errors):6} {statistics.median(ms):8.0f} "
            f"{percentile(ms, 95):8.0f} {max(ms):8.0f} {len(ms) / r.seconds:7.1f}"
        )
    for r in results:
        for error in sorted(set(r.errors))[:5]:
            print(f"  {r.name}: {error}")


# --- main ---------------------------------------------------------------------------------


def add_load_options(parser: argparse.ArgumentParser) -> None:
    """The options of a load benchmark (this one and bench_api): the registry's size, the
    PostgreSQL server, the clients, their requests and pauses, the server's workers."""
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 patients, 5 requests")
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--requests", type=int, help="per client, scenario and pass (20; 5 with --quick)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=120, help="seconds per scenario and pass"
    )
    parser.add_argument(
        "--think",
        nargs=2,
        type=float,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="a client's pause before each request, uniform between MIN and MAX seconds "
        "(default 1 5, as Locust's between(1, 5)); 0 0 runs only the saturation pass",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="hsreg_bench")
    add_load_options(parser)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    patients = 2000 if args.quick else args.patients
    args.requests = args.requests or (5 if args.quick else 20)

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; {patients:,} patients, "
        f"{args.clients} clients x {args.requests} requests per scenario, gunicorn with "
        f"{args.workers} workers",
        flush=True,
    )
    url = fresh_database(args.admin_url, args.database)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HSREG_") and k != "DJANGO_SETTINGS_MODULE"
    }
    # plain http on loopback: production's TLS redirect and secure cookies are for a proxy
    env.update(
        DATABASE_URL=url, HSREG_SECRET_KEY=secrets.token_urlsafe(50), HSREG_INSECURE_HTTP="1"
    )
    server = None
    try:
        run([str(HSREG), "migrate"], env)
        started = time.perf_counter()
        print(
            run(
                [str(HSREG), "seed", "--patients", str(patients), "--extra-visits", EXTRA_VISITS],
                env,
            ).strip()
        )
        seeding = time.perf_counter() - started
        s = sample(url)
        print(
            f"Seeding took {seeding:.0f} s (command included); the database holds "
            + ", ".join(f"{n:,} {table.split('_', 1)[1]}" for table, n in s.sizes.items())
            + f"; {s.sizes['assessments_doctorassessment'] / s.sizes['patients_patient']:.1f} "
            "doctor's assessments per patient."
        )
        password = secrets.token_urlsafe(16)
        units = [arg for unit in s.units for arg in ("--unit", str(unit))]
        run(
            [str(HSREG), "createuser", "--username", USERNAME, *units, "--password-stdin"],
            env,
            stdin=password + "\n",
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - hsreg serve
            [str(HSREG), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until_serving(port, server)
        session = Session("127.0.0.1", port)
        session.log_in(USERNAME, password)
        saturation = (0.0, 0.0)
        passes = [saturation, tuple(args.think)] if args.think[1] else [saturation]
        results: dict[tuple[float, float], list[Result]] = {think: [] for think in passes}
        for number, (name, request) in enumerate(scenarios(s)):
            for _ in range(3):  # warm each worker's code path and connection
                request(session, random.Random(number))
            for think in passes:
                results[think].append(
                    load(
                        name,
                        request,
                        session,
                        clients=args.clients,
                        per_client=args.requests,
                        limit=args.time_limit,
                        seed=number,
                        think=think,
                    )
                )
            print(f"  {name}: done", flush=True)
        for think in passes:
            print(
                f"\n{args.clients} clients, "
                + (
                    f"each pausing {think[0]:g}-{think[1]:g} s before a request (the latency "
                    "target):"
                    if think[1]
                    else "no pause between requests (saturation: the server's capacity):"
                )
            )
            report(results[think])
        failed = sum(len(r.errors) for rs in results.values() for r in rs)
        if failed:
            print(f"\n{failed} requests failed.")
        return 1 if failed else 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        if not args.keep:
            drop_database(args.admin_url, args.database)


if __name__ == "__main__":
    raise SystemExit(main())
