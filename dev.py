#!/usr/bin/env python3
"""Sets up hsreg in a virtual environment from the lock files and runs it.

    python3 dev.py demo    install the runtime dependencies and run the demo (hsreg demo)
    python3 dev.py test    install the development dependencies and run every check and test
    python3 dev.py bench   run the benchmark scripts and print their figures
    python3 dev.py lock    re-resolve the lock files from pyproject.toml (needs the package index)

Only the Python standard library is used here, so this runs on a fresh machine with
Python 3.11 or later. The environment lives in .venv and is reinstalled when a lock file changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
POSTGRESQL_TESTS = (
    "tests/registry",
    "tests/audit",
    "tests/access",
    "tests/accounts",
    "tests/units",
    "tests/reports",
    "tests/objections/test_objections.py",
    "tests/test_cli_registry.py",
    "tests/test_backup_restore.py",
    "tests/test_keycheck.py",
    "tests/sharing",
    "tests/fuzz",
    "tests/jobs",
    "tests/questionnaires",
    "tests/apiclients",
    "tests/hisreg",
    "tests/fhir",
    "tests/cdshooks",
    "tests/engine_api",
    "tests/delegations",
    "tests/treatments",
    "tests/worklists",
    "tests/patients",
)
#: When both passes run, the SQLite pass sweeps odd input as the primary roles only (the
#: anonymous visitor and the registrar, who between them open every page a person reaches);
#: the PostgreSQL pass sweeps as every role. The sweep is the slowest test and its findings
#: are the views', not the database's; odd path values (SQLite's integer overflow) are
#: still tried on both.
SQLITE_ALONGSIDE = (
    "-k",
    "not test_odd_values_in_every_field_and_parameter_are_never_a_server_error"
    " or anonymous or registrar",
)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def ensure_venv(lock: Path) -> None:
    """Creates .venv and installs ``lock`` (hash-checked) and hsreg itself, unless done already."""
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / f".installed-{lock.name}"
    wanted = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    pip = (PYTHON, "-m", "pip", "--disable-pip-version-check", "--quiet")
    run(*pip, "install", "--require-hashes", "--no-deps", "-r", lock)
    run(*pip, "install", "--no-deps", "--no-build-isolation", "--editable", ROOT)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.write_text(wanted)


def demo(args: list[str]) -> None:
    """Runs ``hsreg demo ARGS``: the registry with synthetic patients on http://127.0.0.1:8000/
    (``--port``, ``--patients``, ``--seed``, ``--reset``; ``.venv/bin/hsreg demo --help``)."""
    ensure_venv(RUNTIME_LOCK)
    command = [str(BIN / ("hsreg.exe" if os.name == "nt" else "hsreg")), "demo", *args]
    print("+", " ".join(command), flush=True)
    process = subprocess.Popen(command, cwd=ROOT)
    while True:
        try:
            code = process.wait()
        except KeyboardInterrupt:
            continue  # Ctrl-C reached hsreg too: wait while it stops its server cleanly
        break
    if code:
        raise SystemExit(code)


def test(pytest_args: list[str]) -> None:
    ensure_venv(DEV_LOCK)
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "mypy")
    run(PYTHON, "-m", "bandit", "-q", "-r", "src", "-lll")  # fails on a high-severity finding
    audit()
    if not (os.environ.get("HSREG_TEST_DATABASE_URL") and not pytest_args):
        run(PYTHON, "-m", "pytest", *pytest_args)
        return
    # The database tests once more, on the real PostgreSQL server (the browser tests are left
    # to the SQLite pass: they test pages, not the database). With two cores or more the two
    # passes run at the same time, each in its own process with its own test database and
    # data folder; the PostgreSQL pass's output is printed when it is done.
    env = {**os.environ, "HSREG_TEST_DB": "postgresql"}
    postgresql = (PYTHON, "-m", "pytest", *POSTGRESQL_TESTS)
    if (os.cpu_count() or 1) < 2:
        run(PYTHON, "-m", "pytest")
        print("\nThe database tests again, on PostgreSQL:", flush=True)
        run(*postgresql, env=env)
        return
    print("+", " ".join(str(c) for c in postgresql), "(on PostgreSQL, meanwhile)", flush=True)
    with tempfile.TemporaryFile() as output:
        second = subprocess.Popen(
            [str(c) for c in postgresql], cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:
            print("+", PYTHON, "-m pytest", *SQLITE_ALONGSIDE, flush=True)
            first = subprocess.run(
                [str(PYTHON), "-m", "pytest", *SQLITE_ALONGSIDE], cwd=ROOT, check=False
            )
        finally:
            code = second.wait()
        print("\nThe database tests again, on PostgreSQL:", flush=True)
        output.seek(0)
        sys.stdout.buffer.write(output.read())
        sys.stdout.flush()
    if first.returncode or code:
        raise SystemExit(first.returncode or code)


def audit() -> None:
    """pip-audit of both lock files (hash-checked, without installing anything) against the
    Python Packaging Advisory Database, through PyPI's JSON API.

    A known vulnerability fails. So does a locked package the index does not know. When the
    vulnerability source cannot be reached at all (offline, or an index mirror without PyPI's
    per-version JSON), nothing was audited: that is said loudly, and it fails only when
    HSREG_REQUIRE_AUDIT=1, so an offline machine can still run the tests. pip-audit itself
    would report "No known vulnerabilities found" after skipping every package."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "audit.json"
        command = [
            str(PYTHON), "-m", "pip_audit", "--disable-pip", "--require-hashes",
            "-r", str(RUNTIME_LOCK), "-r", str(DEV_LOCK),
            "--progress-spinner", "off", "--format", "json", "--output", str(report),
        ]  # fmt: skip
        print("+", " ".join(command), flush=True)
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        found = json.loads(report.read_text()) if report.exists() else None
    if found is None:  # pip-audit stopped before writing: it could not connect
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        _unaudited(f"pip-audit could not reach its vulnerability source: {last}")
        return
    _judge(found["dependencies"])


def _judge(dependencies: list[dict[str, Any]]) -> None:
    """Fails on pip-audit's report of known vulnerabilities or of packages it could not
    audit; says so when it could audit none."""
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    skipped = [d for d in dependencies if "skip_reason" in d]
    if vulnerable:
        raise SystemExit(f"pip-audit: {len(vulnerable)} locked packages have known vulnerabilities")
    if skipped and len(skipped) == len(dependencies):
        _unaudited(f"pip-audit could audit none of the packages ({skipped[0]['skip_reason']})")
        return
    if skipped:
        for dependency in skipped:
            print(dependency["skip_reason"])
        raise SystemExit(f"pip-audit: {len(skipped)} locked packages could not be audited")
    print(f"pip-audit: {len(dependencies)} locked packages, no known vulnerabilities", flush=True)


def _unaudited(reason: str) -> None:
    print(f"WARNING: the dependencies were NOT audited. {reason}", flush=True)
    if os.environ.get("HSREG_REQUIRE_AUDIT") == "1":
        raise SystemExit("HSREG_REQUIRE_AUDIT=1: an unaudited run fails")


def bench() -> None:
    """The engine's benchmark, the pages' server time on a 2,000-patient demo (about a minute),
    and the registry's load, national report and API benchmarks in their
    quick form (2,000 patients; `bench_registry_load.py`, `bench_reports.py` and `bench_api.py`
    without --quick seed 100,000 and take minutes)."""
    ensure_venv(DEV_LOCK)
    run(PYTHON, ROOT / "benchmarks" / "bench_evaluate.py")
    run(PYTHON, ROOT / "benchmarks" / "bench_pages.py")  # a 2,000-patient SQLite demo
    if os.environ.get("HSREG_TEST_DATABASE_URL"):
        run(PYTHON, ROOT / "benchmarks" / "bench_registry_load.py", "--quick")
        run(PYTHON, ROOT / "benchmarks" / "bench_reports.py", "--quick")
        # the FHIR, CDS Hooks and engine APIs under 50 clients (about a minute; issue 14)
        run(PYTHON, ROOT / "benchmarks" / "bench_api.py", "--quick", "--drop")


def lock() -> None:
    """Resolves both lock files with pip-tools, in a throwaway environment of its own."""
    tools = ROOT / ".venv-lock"
    tools_python = tools / ("Scripts" if os.name == "nt" else "bin") / "python"
    if not tools_python.exists():
        venv.EnvBuilder(with_pip=True).create(tools)
        run(tools_python, "-m", "pip", "install", "--quiet", "pip-tools")
    common = (
        "-m",
        "piptools",
        "compile",
        "--quiet",
        "--generate-hashes",
        "--allow-unsafe",
        "--build-deps-for",
        "editable",
        "--strip-extras",
        "--no-emit-index-url",
        "pyproject.toml",
    )
    run(tools_python, *common, "--output-file", RUNTIME_LOCK.name)
    run(tools_python, *common, "--extra", "dev", "--output-file", DEV_LOCK.name)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs before any environment exists
        raise SystemExit("hsreg needs Python 3.11 or later.")
    command, *rest = sys.argv[1:] or ["help"]
    if command == "demo":
        demo(rest)
    elif command == "test":
        test(rest)
    elif command == "bench":
        bench()
    elif command == "lock":
        lock()
    else:
        print(__doc__)
        raise SystemExit(0 if command in ("help", "-h", "--help") else 2)


if __name__ == "__main__":
    main()
