"""The APIs for systems under load (issue 14): PostgreSQL with 100,000 synthetic patients,
``hsreg serve`` (gunicorn), 50 concurrent clients, against the targets of issue 14: p95 of a
CDS Hooks ``patient-view`` call under 200 ms, p95 of one patient's FHIR Observation search
under 100 ms, beside the trivial view.

Run it by hand from the repository root (it is not a test; seeding 100,000 takes minutes):

    .venv/bin/python benchmarks/bench_api.py            # 100,000 patients in database bench_api
    .venv/bin/python benchmarks/bench_api.py --reuse    # bench_api as it is, if it holds patients
    .venv/bin/python benchmarks/bench_api.py --quick    # 2,000 patients (dev.py bench: a minute)

What it does:

1. makes the database with the registry load benchmark's loader (bench_registry_load:
   ``hsreg migrate`` and ``hsreg seed --patients N``) in ``bench_api`` on
   ``postgresql://postgres@127.0.0.1:5432`` (``bench_api_quick`` with ``--quick``), or reuses it
   with ``--reuse``; the database is kept (``--drop`` drops it afterwards). It is a throwaway
   database, so its keys are fixed ones of this script (the key check then lets a reused
   database serve);
2. with Django in this process, makes two API clients of the seeded registry's largest unit
   (hsreg.apiclients.services.create_client): a record system allowed to read patients and
   observations and to evaluate cases, and a CDS Hooks client whose JWK Set is served by the
   record system stand-in of the hooks tests (tests/cdshooks/recordsystem.py) on port 8641;
3. starts ``hsreg serve`` (gunicorn, 2 x CPUs + 1 sync workers, the README's production path)
   on 127.0.0.1:8640 with ``HSREG_PUBLIC_URL`` naming it (CDS Hooks checks the JWT's audience),
   and takes the record system's bearer token from ``/oauth/token/`` (client credentials);
4. runs each scenario with 50 concurrent clients (threads; bench_registry_load's ``load``), 20
   requests each, twice: the *latency* pass, each client pausing 1-5 s before a request (a
   clinician opening records; the targets are about this pass), and the *saturation* pass
   without pauses (queueing: what the server can carry at most); before them, as many clients
   as workers send 3 requests each untimed, so every worker has loaded its code. ``--quick``:
   2,000 patients and 5 requests per client, with the same pauses (shorter ones would ask
   for more calls a second than two cores carry, and the targets would measure queueing).
   The scenarios:

   - ``login page``: GET /login/, the trivial Django view the others are compared with;
   - ``patient-view``: POST /cds-services/hsreg-patient-view about a random patient of the
     unit, its Patient prefetched, a JWT signed per call by the record system's EC P-384 key
     (signed before the pass, so the client's signing is not timed), target p95 < 200 ms;
   - ``Observation search``: GET /fhir/Observation?patient=<id> of a random patient of the
     unit with the bearer token (one page of at most 50), target p95 < 100 ms;
   - ``evaluate``: POST /api/evaluate of the example case document (no target: the engine as a
     service, for comparison).

It prints p50/p95/p99/max latency, throughput and errors per scenario and pass, and pass/FAIL
against each target. The marks are informative (a shared machine may be slower): the run
exits 1 only when a request failed (an unexpected status or a connection error).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # the loader, and the record system stand-in

from bench_registry_load import (  # noqa: E402 - found through the path above
    HSREG,
    SHOWCASE_UNIT,
    Result,
    Session,
    add_load_options,
    drop_database,
    fresh_database,
    load,
    percentile,
    run,
    sample,
    wait_until_serving,
)
from bench_reports import database_url, seeded_patients  # noqa: E402 - as above

# A throwaway database's keys, the same every run so that --reuse passes the key check.
SECRET_KEY = "hsreg-bench-api-throwaway-database-secret-key-not-for-production"  # noqa: S105
RESEARCH_KEY = "hsreg-bench-api-throwaway-database-research-key"
CASE = ROOT / "examples" / "eligible-adult.json"
PATIENT_VIEW = "/cds-services/hsreg-patient-view"
TARGETS = {"patient-view (CDS Hooks)": 0.200, "Observation search (FHIR)": 0.100}


@dataclass(frozen=True)
class Server:
    host: str
    port: int

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def send(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """One request on its own connection (gunicorn's sync workers close each one)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


# --- setting up ---------------------------------------------------------------------------


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> str:
    existing = seeded_patients(args.admin_url, args.database) if args.reuse else 0
    if existing:
        url = database_url(args.admin_url, args.database)
        print(f"Reusing {args.database} ({existing:,} patients)", flush=True)
        run([str(HSREG), "migrate"], {**env, "DATABASE_URL": url})
        return url
    url = fresh_database(args.admin_url, args.database)
    run([str(HSREG), "migrate"], {**env, "DATABASE_URL": url})
    started = time.perf_counter()
    print(run([str(HSREG), "seed", "--patients", str(args.patients)], {**env, "DATABASE_URL": url}))
    print(f"Seeding took {time.perf_counter() - started:.0f} s", flush=True)
    return url


def setup_django(env: dict[str, str]) -> None:
    """Django in this process on the benchmark's database, with the server's settings."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "hsreg.config.settings"
    import django  # noqa: PLC0415 - configured by the environment above

    django.setup()


@dataclass
class Clients:
    """The API clients of the unit: the record system's client id and secret, and the CDS
    Hooks client's id with its signing key (None when hsreg has no CDS Hooks services)."""

    client_id: str
    secret: str
    cds_client_id: str | None
    cds_key: Any


def make_clients(jwks_port: int) -> tuple[Clients, Any]:
    from hsreg.accounts.actor import system_actor  # noqa: PLC0415 - after django.setup()
    from hsreg.apiclients.services import create_client  # noqa: PLC0415 - after django.setup()
    from hsreg.units.models import Unit  # noqa: PLC0415 - after django.setup()

    unit = Unit.objects.get(resh_id=SHOWCASE_UNIT)
    suffix = f"{int(time.time()):x}"  # a reused database keeps the clients of earlier runs
    record, secret = create_client(
        actor=system_actor(),
        unit=unit,
        name=f"bench-api-{suffix}",
        scopes="system/Patient.rs system/Observation.crs system/GuidanceResponse.c",
    )
    try:
        from tests.cdshooks.recordsystem import RecordServer  # noqa: PLC0415

        from hsreg.cdshooks.signing import new_signing_key, public_jwks  # noqa: PLC0415
    except ImportError:
        return Clients(record.client_id, secret, None, None), None
    key = new_signing_key(kid="bench-api")
    jwks = RecordServer(jwks_port)
    jwks.state.jwks = public_jwks(key)
    cds, _ = create_client(
        actor=system_actor(),
        unit=unit,
        name=f"bench-cds-{suffix}",
        scopes="system/Patient.rs",
        jwks_url=jwks.jwks_url,
    )
    return Clients(record.client_id, secret, cds.client_id, key), jwks


def access_token(server: Server, clients: Clients) -> str:
    import base64  # noqa: PLC0415

    basic = base64.b64encode(f"{clients.client_id}:{clients.secret}".encode()).decode()
    status, body = server.send(
        "POST",
        "/oauth/token/",
        body=b"grant_type=client_credentials",
        headers={
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    if status != 200:
        raise SystemExit(f"the token endpoint answered {status}: {body[:200]!r}")
    token: str = json.loads(body)["access_token"]
    return token


# --- the scenarios ------------------------------------------------------------------------

Request = Callable[[Session, random.Random], str | None]


def expect(status: int, wanted: int, what: str, body: bytes) -> str | None:
    return None if status == wanted else f"{status} from {what}: {body[:120]!r}"


@dataclass
class Scenario:
    name: str
    request: Request
    before_pass: Callable[[int], None] = lambda count: None  # what a pass of count requests needs


def scenarios(
    server: Server, clients: Clients, token: str, patients: list[tuple[int, str]]
) -> list[Scenario]:
    bearer = {"Authorization": f"Bearer {token}"}

    def login_page(_: Session, rng: random.Random) -> str | None:
        status, body = server.send("GET", "/login/", headers={})
        return expect(status, 200, "/login/", body)

    def observations(_: Session, rng: random.Random) -> str | None:
        patient_id, _number = rng.choice(patients)
        path = f"/fhir/Observation?patient={patient_id}"
        status, body = server.send("GET", path, headers=bearer)
        if status == 200 and json.loads(body).get("resourceType") != "Bundle":
            return f"no Bundle from {path}"
        return expect(status, 200, path, body)

    case = CASE.read_bytes()

    def evaluate(_: Session, rng: random.Random) -> str | None:
        headers = {**bearer, "Content-Type": "application/json"}
        status, body = server.send("POST", "/api/evaluate", body=case, headers=headers)
        return expect(status, 200, "/api/evaluate", body)

    found = [
        Scenario("login page (trivial view)", login_page),
        Scenario("Observation search (FHIR)", observations),
        Scenario("evaluate (engine API)", evaluate),
    ]
    if clients.cds_client_id is not None:
        found.insert(1, patient_view_scenario(server, clients, patients))
    return found


def patient_view_scenario(
    server: Server, clients: Clients, patients: list[tuple[int, str]]
) -> Scenario:
    """The hook with a JWT per call; the JWTs are signed before each pass (``sign``), as
    every jti may be used once and a JWT lives at most 5 minutes."""
    from tests.cdshooks.recordsystem import fhir_patient, hook_body  # noqa: PLC0415

    from hsreg.cdshooks.signing import call_jwt  # noqa: PLC0415 - hooks are there

    audience = server.base + PATIENT_VIEW
    client_id = str(clients.cds_client_id)
    tokens: queue.SimpleQueue[str] = queue.SimpleQueue()

    def sign(count: int) -> None:
        for _ in range(count):
            tokens.put(call_jwt(key=clients.cds_key, client_id=client_id, audience=audience))

    def patient_view(_: Session, rng: random.Random) -> str | None:
        _patient_id, national_id = rng.choice(patients)
        body = hook_body("patient-view", patient=fhir_patient("p1", national_id))
        headers = {
            "Authorization": f"Bearer {tokens.get_nowait()}",
            "Content-Type": "application/json",
        }
        status, answer = server.send(
            "POST", PATIENT_VIEW, body=json.dumps(body).encode(), headers=headers
        )
        if status == 200 and "cards" not in json.loads(answer):
            return "no cards"
        return expect(status, 200, PATIENT_VIEW, answer)

    return Scenario("patient-view (CDS Hooks)", patient_view, sign)


# --- running and reporting ----------------------------------------------------------------


def report(results: list[Result], *, marked: bool) -> None:
    print(
        f"{'scenario':28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'req/s':>6}  target"
    )
    for r in results:
        ms = [x * 1000 for x in r.latencies]
        target = TARGETS.get(r.name)
        p95 = percentile(ms, 95)
        mark = ""
        if target is not None:
            verdict = "pass" if p95 < target * 1000 else "FAIL"
            mark = (
                f"p95 < {target * 1000:.0f} ms: {verdict}"
                if marked
                else f"({target * 1000:.0f} ms)"
            )
        print(
            f"{r.name:28} {len(ms):8} {len(r.errors):6} {percentile(ms, 50):7.0f} {p95:7.0f} "
            f"{percentile(ms, 99):7.0f} {max(ms):7.0f} {len(ms) / r.seconds:6.1f}  {mark}"
        )
    for r in results:
        for error in sorted(set(r.errors))[:5]:
            print(f"  {r.name}: {error}")


def measure(args: argparse.Namespace, server: Server, clients: Clients) -> int:
    unit = sample(args.url)  # the largest unit's first 5,000 patients
    patients = list(zip(unit.patient_ids, unit.national_ids, strict=True))
    token = access_token(server, clients)
    session = Session(server.host, server.port)  # unused: the requests carry their own headers
    saturation = (0.0, 0.0)
    passes = [tuple(args.think), saturation] if args.think[1] else [saturation]
    results: dict[tuple[float, ...], list[Result]] = {think: [] for think in passes}
    for number, scenario in enumerate(scenarios(server, clients, token, patients)):
        # warm every worker's code path and connection: as many clients as workers at once
        scenario.before_pass(args.workers * 3)
        warm = load(
            scenario.name,
            scenario.request,
            session,
            clients=args.workers,
            per_client=3,
            limit=args.time_limit,
            seed=number + 100,
            think=(0.0, 0.0),
        )
        if warm.errors:
            raise SystemExit(f"{scenario.name}: {warm.errors[0]}")
        for think in passes:
            scenario.before_pass(args.clients * args.requests)
            results[think].append(
                load(
                    scenario.name,
                    scenario.request,
                    session,
                    clients=args.clients,
                    per_client=args.requests,
                    limit=args.time_limit,
                    seed=number,
                    think=think,
                )
            )
        print(f"  {scenario.name}: done", flush=True)
    if clients.cds_client_id is None:
        print("\npatient-view (CDS Hooks): not measured, hsreg.cdshooks is not installed here.")
    for think in passes:
        print(
            f"\n{args.clients} clients, "
            + (
                f"each pausing {think[0]:g}-{think[1]:g} s before a request (the targets):"
                if think[1]
                else "no pause between requests (saturation: the server's capacity):"
            )
        )
        report(results[think], marked=bool(think[1]))
    failed = sum(len(r.errors) for rs in results.values() for r in rs)
    if failed:
        print(f"\n{failed} requests failed.")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_load_options(parser)
    parser.add_argument("--database", help="default bench_api (bench_api_quick with --quick)")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database if it holds patients"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--port", type=int, default=8640, help="hsreg serve's port (8640)")
    parser.add_argument(
        "--jwks-port", type=int, default=8641, help="the record system's JWKS (8641)"
    )
    args = parser.parse_args()
    if args.quick:
        args.patients = 2000
    args.database = args.database or ("bench_api_quick" if args.quick else "bench_api")
    args.requests = args.requests or (5 if args.quick else 20)

    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; {args.patients:,} patients "
        f"in {args.database}, {args.clients} clients x {args.requests} requests per scenario "
        f"and pass, gunicorn with {args.workers} workers",
        flush=True,
    )
    server = Server("127.0.0.1", args.port)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HSREG_") and k != "DJANGO_SETTINGS_MODULE"
    }
    data_dir = tempfile.mkdtemp(prefix="hsreg-bench-api-")
    env.update(
        HSREG_SECRET_KEY=SECRET_KEY,
        HSREG_RESEARCH_KEY=RESEARCH_KEY,
        HSREG_DATA_DIR=data_dir,
        HSREG_INSECURE_HTTP="1",  # plain http on loopback: TLS is a proxy's in production
        HSREG_PUBLIC_URL=server.base,  # the audience of the CDS Hooks JWTs
    )
    args.url = prepare_database(args, env)
    env["DATABASE_URL"] = args.url
    process = None
    django_ready = False
    try:
        setup_django(env)
        django_ready = True
        clients, _jwks = make_clients(args.jwks_port)
        log = Path(data_dir) / "serve.log"  # what hsreg serve says, shown if it stops
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - hsreg serve
                [
                    str(HSREG),
                    "serve",
                    "--bind",
                    f"{server.host}:{server.port}",
                    "--workers",
                    str(args.workers),
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        try:
            wait_until_serving(server.port, process)
        except SystemExit:
            print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
            raise
        return measure(args, server, clients)
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        if django_ready:
            from django.db import connections  # noqa: PLC0415 - set up by now

            connections.close_all()
        if args.drop:
            drop_database(args.admin_url, args.database)


if __name__ == "__main__":
    raise SystemExit(main())
