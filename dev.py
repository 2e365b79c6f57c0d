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
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"


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
    run(PYTHON, "-m", "pytest", *pytest_args)
    if os.environ.get("HSREG_TEST_DATABASE_URL") and not pytest_args:
        # The registry's database tests once more, on the real PostgreSQL server.
        print("\nThe registry tests again, on PostgreSQL:", flush=True)
        env = {**os.environ, "HSREG_TEST_DB": "postgresql"}
        run(PYTHON, "-m", "pytest", "tests/registry", "tests/test_cli_registry.py", env=env)


def bench() -> None:
    """The engine's benchmark, and the registry's load benchmark in its quick form (2,000
    patients; `bench_registry_load.py` without --quick seeds 100,000 and takes minutes)."""
    ensure_venv(DEV_LOCK)
    run(PYTHON, ROOT / "benchmarks" / "bench_evaluate.py")
    if os.environ.get("HSREG_TEST_DATABASE_URL"):
        run(PYTHON, ROOT / "benchmarks" / "bench_registry_load.py", "--quick")


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
